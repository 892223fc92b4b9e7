// BuildArchiveTests: the tar and gzip faigen writes are read back by GNU tar and gzip exactly, and read by faigen.
@testable import FaiSpace
import Foundation
import Testing

@Suite struct BuildArchive {
    /// Entries that need every corner of the format: a path and a link target longer than
    /// ustar's fields (pax records), a path that only fits split into prefix and name, spaces,
    /// UTF-8, a setuid mode, an empty directory, a dangling symlink, an empty file.
    static let entries: [TreeEntry] = {
        let deep = (1...12).map { "directory\($0)" }.joined(separator: "/")
        let long = "files/" + String(repeating: "x", count: 120) + "/DEFAULT"
        var list: [TreeEntry] = [
            .directory(Directory(path: "class", mode: 0o755)),
            .file(ConfigFile(path: "class/50-host-classes", contents: Array("#!/bin/sh\necho WEB\n".utf8), mode: 0o755)),
            .directory(Directory(path: "empty", mode: 0o750)),
            .directory(Directory(path: "files", mode: 0o755)),
            .file(ConfigFile(path: "files/empty file", contents: [], mode: 0o644)),
            .file(ConfigFile(path: "files/grüße/DEFAULT", contents: Array("ä\n".utf8), mode: 0o4755)),
            .symlink(Symlink(path: "files/link", target: "../nowhere/" + String(repeating: "t", count: 150))),
            .file(ConfigFile(path: long, contents: Array(repeating: 0x41, count: 1000), mode: 0o600)),
            .file(ConfigFile(path: "files/" + deep + "/DEFAULT", contents: Array("deep\n".utf8), mode: 0o644)),
        ]
        for entry in list {
            var parent = entry.path.parentPath
            while !parent.isEmpty {
                if !list.contains(where: { $0.path == parent }) { list.append(.directory(Directory(path: parent, mode: 0o755))) }
                parent = parent.parentPath
            }
        }
        return list.sorted { $0.path < $1.path }
    }()

    @Test func gnuTarExtractsExactlyTheEntriesWithOwnerZeroAndTheGivenTime() throws {
        let dir = try scratchDirectory()
        let archive = dir.appendingPathComponent("a.tar")
        try Data(Tar.archive(Self.entries, mtime: 1_700_000_000)).write(to: archive)
        #expect(try Data(contentsOf: archive).count % 10240 == 0)
        let listing = try shell("tar --numeric-owner -tvf '\(archive.path)'")
        #expect(listing.status == 0, "\(listing.stderr)")
        for line in listing.stdout.split(separator: "\n") {
            #expect(line.contains(" 0/0 ") && line.contains("2023-11-14"), "\(line)")
        }
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let extract = try shell("TZ=UTC tar --numeric-owner -C '\(out.path)' -xpf '\(archive.path)'")
        #expect(extract.status == 0 && extract.stderr.isEmpty, "\(extract.stderr)")
        #expect(differences(Dictionary(uniqueKeysWithValues: Self.entries.map { ($0.path, Self.snapshotEntry($0)) }),
                            snapshot(out.path)) == [])
    }

    @Test func faigenReadsBackWhatItWroteAndWhatGnuTarWrote() throws {
        let bytes = Tar.archive(Self.entries, mtime: 0)
        #expect(try Tar.entries(bytes, file: "a.tar") == Self.entries)
        // GNU tar's own archive of the extracted tree (its long-name records, its ./ prefix).
        let dir = try scratchDirectory()
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Data(bytes).write(to: dir.appendingPathComponent("a.tar"))
        #expect(try shell("tar -C '\(out.path)' -xpf '\(dir.path)/a.tar'").status == 0)
        for format in ["gnu", "pax"] {
            let made = try shell("tar --format=\(format) --sort=name -C '\(out.path)' -cf '\(dir.path)/\(format).tar' .")
            #expect(made.status == 0, "\(made.stderr)")
            let read = try Tar.entries([UInt8](Data(contentsOf: dir.appendingPathComponent("\(format).tar"))), file: format)
            #expect(read.sorted { $0.path < $1.path } == Self.entries, "\(format)")
        }
    }

    @Test func aPathOutsideTheRootOrATruncatedArchiveIsAnError() throws {
        let escaping = Tar.archive([.file(ConfigFile(path: "../etc/passwd", contents: [1]))], mtime: 0)
        #expect(throws: InputError.self) { try Tar.entries(escaping, file: "evil.tar") }
        let absolute = Tar.archive([.file(ConfigFile(path: "/etc/passwd", contents: [1]))], mtime: 0)
        #expect(throws: InputError.self) { try Tar.entries(absolute, file: "evil.tar") }
        let whole = Tar.archive(Self.entries, mtime: 0)
        #expect(throws: InputError.self) { try Tar.entries(Array(whole.prefix(1300)), file: "cut.tar") }
        #expect(throws: InputError.self) { try Gzip.decompress(Array(Gzip.compress(whole).dropLast(20)), file: "cut.tar.gz") }
    }

    @Test func gzipIsReadByGzipIsTheSameEveryTimeAndHasNoNameOrTime() throws {
        // Several compression blocks: text, and bytes that do not compress.
        var generator = SystemRandomNumberGenerator()
        var input = Array(String(repeating: "PACKAGES install\nnginx\n", count: 20_000).utf8)
        input += (0..<300_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let compressed = Gzip.compress(input)
        #expect(Gzip.compress(input) == compressed)
        #expect(Array(compressed.prefix(10)) == [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3])
        let dir = try scratchDirectory()
        try Data(compressed).write(to: dir.appendingPathComponent("x.gz"))
        let check = try shell("gzip -t '\(dir.path)/x.gz' && gzip -dc '\(dir.path)/x.gz' | sha256sum")
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.hasPrefix(sha256Hex(input)))
        #expect(try Gzip.decompress(compressed, file: "x.gz") == input)
        #expect(Gzip.compress([]).count == 20)
        #expect(try Gzip.decompress(Gzip.compress([]), file: "e.gz") == [])
    }

    @Test func theManifestEscapesWhatWouldBreakALine() {
        #expect(BuildManifest.encode("files/a b\\c#d\ne") == Array(#"files/a\040b\134c\043d\012e"#.utf8))
        #expect(BuildManifest.encode("grüße") == Array(#"gr\303\274\303\237e"#.utf8))
    }

    static func snapshotEntry(_ entry: TreeEntry) -> SnapshotEntry {
        switch entry {
        case .file(let file): .file(mode: file.mode, contents: file.contents)
        case .directory(let directory): .directory(mode: directory.mode)
        case .symlink(let link): .symlink(target: link.target)
        }
    }
}

/// Runs a shell command line.
func shell(_ command: String) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}
