// TreeSnapshot: an independent walk of a directory (lstat, readlink) to compare trees in tests.
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// What stands at one path of a tree, as the tests compare it.
enum SnapshotEntry: Equatable, CustomStringConvertible {
    case file(mode: UInt32, contents: [UInt8])
    /// A file over 64 MiB (a sparse test file), compared by size and modification time.
    case largeFile(mode: UInt32, size: Int, modified: Int)
    case symlink(target: String)
    case directory(mode: UInt32)
    case other(mode: UInt32)

    var description: String {
        switch self {
        case .file(let mode, let contents): "file \(String(mode, radix: 8)) \(contents.count) bytes"
        case .largeFile(let mode, let size, _): "file \(String(mode, radix: 8)) \(size) bytes"
        case .symlink(let target): "symlink -> \(target)"
        case .directory(let mode): "directory \(String(mode, radix: 8))"
        case .other(let mode): "other \(String(mode, radix: 8))"
        }
    }
}

/// Every entry below `root`, keyed by relative path; names in `excluding` at the root are left out.
func snapshot(_ root: String, excluding: Set<String> = []) -> [String: SnapshotEntry] {
    var result: [String: SnapshotEntry] = [:]
    func walk(_ relative: String) {
        let directory = relative.isEmpty ? root : root + "/" + relative
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names {
            if relative.isEmpty && excluding.contains(name) { continue }
            let path = relative.isEmpty ? name : relative + "/" + name
            let full = root + "/" + path
            var info = stat()
            guard lstat(full, &info) == 0 else { continue }
            let mode = UInt32(info.st_mode) & 0o7777
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                result[path] = .directory(mode: mode)
                walk(path)
            case S_IFLNK:
                result[path] = .symlink(target: (try? FileManager.default.destinationOfSymbolicLink(atPath: full)) ?? "")
            case S_IFREG where info.st_size > 64 << 20:
                result[path] = .largeFile(mode: mode, size: Int(info.st_size), modified: Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec))
            case S_IFREG:
                result[path] = .file(mode: mode, contents: [UInt8](FileManager.default.contents(atPath: full) ?? Data()))
            default:
                result[path] = .other(mode: mode)
            }
        }
    }
    walk("")
    return result
}

/// The differences between two snapshots, one line each; empty when they are the same.
func differences(_ expected: [String: SnapshotEntry], _ actual: [String: SnapshotEntry]) -> [String] {
    Set(expected.keys).union(actual.keys).sorted().compactMap { path in
        let want = expected[path], got = actual[path]
        guard want != got else { return nil }
        return "\(path): expected \(want.map(\.description) ?? "nothing"), got \(got.map(\.description) ?? "nothing")"
    }
}

/// Writes a file with an exact mode (chmod after creating, so umask does not interfere).
func makeFile(_ root: URL, _ path: String, _ text: String, mode: UInt32 = 0o644) throws {
    try makeFile(root, path, bytes: Array(text.utf8), mode: mode)
}

func makeFile(_ root: URL, _ path: String, bytes: [UInt8], mode: UInt32 = 0o644) throws {
    let url = root.appendingPathComponent(path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
    #expect(chmod(url.path, mode_t(mode)) == 0)
}
