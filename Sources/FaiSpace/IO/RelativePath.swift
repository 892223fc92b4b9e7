// RelativePath: the one check that a path read from a manifest, a spec or an archive stays inside its root.

/// A path inside a root (a config space, OUTDIR, an archive): relative, `/`-separated, each
/// part a plain file name. Checked on its UTF-8 bytes, as the kernel reads it: every `/` byte
/// separates, whatever character follows it.
///
/// Refused: an empty path, a leading `/`, an empty, `.` or `..` part, a NUL or other control
/// character (a line break would split a manifest line), a part longer than a file name may
/// be (255 bytes), and a path longer than ``maximumBytes``.
public struct RelativePath: Sendable, Hashable {
    /// The longest file name Linux file systems take (NAME_MAX).
    public static let maximumNameBytes = 255
    /// The longest relative path: well inside PATH_MAX (4096) once the root is put before it.
    public static let maximumBytes = 3072

    /// What is wrong with a path, and the byte offset of the part that is wrong.
    public struct Problem: Error, Sendable, Hashable {
        public var message: String
        public var offset: Int
    }

    public let string: String

    public init(_ path: String) throws(Problem) {
        if let problem = Self.problem(path) { throw problem }
        string = path
    }

    /// What is wrong with `path` as a path inside a root, or nil.
    public static func problem(_ path: String) -> Problem? {
        let bytes = Array(path.utf8)
        guard !bytes.isEmpty else { return Problem(message: "an empty path", offset: 0) }
        guard bytes.count <= maximumBytes else {
            return Problem(message: "a path of \(bytes.count) bytes (at most \(maximumBytes))", offset: 0)
        }
        if bytes[0] == 0x2F { return Problem(message: "an absolute path", offset: 0) }
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 0x2F { end += 1 }
            let part = bytes[start..<end]
            if part.isEmpty { return Problem(message: "an empty part (// or a trailing /)", offset: start) }
            if part.elementsEqual([0x2E]) { return Problem(message: "a '.' part", offset: start) }
            if part.elementsEqual([0x2E, 0x2E]) { return Problem(message: "a '..' part, which leaves the directory", offset: start) }
            if part.count > maximumNameBytes {
                return Problem(message: "a name of \(part.count) bytes (a file name has at most \(maximumNameBytes))", offset: start)
            }
            if let bad = part.firstIndex(where: { $0 < 0x20 || $0 == 0x7F }) {
                return Problem(message: bytes[bad] == 0 ? "a NUL byte" : "a control character (byte \(bytes[bad]))", offset: bad)
            }
            start = end + 1
        }
        return nil
    }

    /// The directories above the path, outermost first: `a/b/c` gives `a`, `a/b`. A bounded
    /// walk over the path's own `/` bytes, so it ends whatever the path holds.
    public var ancestors: [String] { Self.ancestors(of: string) }

    /// The directories above any `/`-separated path, outermost first, each a prefix ending
    /// before one of its `/` bytes (a leading `/` gives none; empty prefixes are skipped).
    public static func ancestors(of path: String) -> [String] {
        var result: [String] = []
        let utf8 = path.utf8
        var index = utf8.startIndex
        while index < utf8.endIndex {
            if utf8[index] == 0x2F, index > utf8.startIndex {
                result.append(String(decoding: utf8[utf8.startIndex..<index], as: UTF8.self))
            }
            index = utf8.index(after: index)
        }
        return result
    }
}

extension RelativePath.Problem {
    /// The problem as an error about `path` (no file location of its own).
    func error(_ path: String, inside root: String = "the config space") -> InputError {
        InputError(file: path, "is not a path inside \(root): \(message)",
                   hint: "use a relative path like class/50-host-classes, without leading /, . or .., empty parts or control characters")
    }
}
