// Manifest: OUTDIR/.faigen/manifest, what faigen wrote into a config space (path, sha256, mode).

/// The record of every file and symlink faigen wrote into an output directory, so a later
/// render knows which files are its own, which were edited by hand, and which are stale.
///
/// Format: `#` comment lines, then one line per entry, sorted by path:
/// `MODE SHA256 PATH`, MODE in octal with the file type as git writes it (`100644`,
/// `104755` for a setuid file, `120000` for a symlink, whose SHA256 is that of its target),
/// then one line per directory faigen created: `040755 - PATH`.
public struct Manifest: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var path: String
        public var sha256: String
        /// Permission bits (0 for a symlink).
        public var mode: UInt32
        public var isSymlink: Bool

        public init(path: String, sha256: String, mode: UInt32, isSymlink: Bool = false) {
            self.path = path
            self.sha256 = sha256
            self.mode = mode
            self.isSymlink = isSymlink
        }

        init(_ entry: TreeEntry) {
            switch entry {
            case .file(let file):
                self.init(path: file.path, sha256: sha256Hex(file.contents), mode: file.mode)
            case .symlink(let link):
                self.init(path: link.path, sha256: sha256Hex(Array(link.target.utf8)), mode: 0, isSymlink: true)
            case .directory(let directory):
                self.init(path: directory.path, sha256: "", mode: directory.mode)
            }
        }

        /// Whether `current` is this file as `git clone` or `checkout` makes it: the same
        /// content, and the mode git gives a file it stored as 100644 or 100755 (it keeps only
        /// the owner's execute bit) under umask 022 or 002. Such a file is faigen's, not a hand
        /// edit: the render puts its mode back.
        func isGitCheckout(_ current: Entry) -> Bool {
            guard !isSymlink, !current.isSymlink, current.sha256 == sha256, current.mode != mode else { return false }
            let full: UInt32 = mode & 0o100 != 0 ? 0o777 : 0o666
            return current.mode == full & ~0o022 || current.mode == full & ~0o002
        }

        var typedMode: String {
            isSymlink ? "120000" : String(0o100000 | mode, radix: 8)
        }
    }

    /// Where the manifest lives inside an output directory.
    public static let path = ".faigen/manifest"
    /// What a render about to change files will record; present only while it runs, or after it was killed.
    public static let pendingPath = ".faigen/manifest.pending"

    /// Entries by path.
    public var entries: [String: Entry]
    /// Directories faigen created, with the mode each gets (`040MODE - PATH` lines), so that a
    /// later render removes one nothing needs any more when it is empty, and the render after
    /// a killed one (which left them 0700) sets their modes.
    public var directories: [String: UInt32] = [:]

    public init(entries: [Entry] = []) {
        self.entries = Dictionary(entries.map { ($0.path, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// The manifest file's bytes.
    public var contents: [UInt8] {
        var bytes: [UInt8] = []
        // One line per rendered file: appended as bytes, without string interpolation.
        bytes.reserveCapacity(200 + entries.count * 120)
        bytes += "# faigen manifest: the files faigen wrote here; MODE SHA256 PATH, one a line, sorted by path.\n".utf8
        bytes += "# Do not edit: faigen uses it to leave hand-edited files alone and to remove stale ones.\n".utf8
        for entry in entries.values.sorted(by: { $0.path < $1.path }) {
            bytes += entry.typedMode.utf8
            bytes.append(0x20)
            bytes += entry.sha256.utf8
            bytes.append(0x20)
            bytes += entry.path.utf8
            bytes.append(0x0A)
        }
        for (path, mode) in directories.sorted(by: { $0.key < $1.key }) {
            bytes += "0\(String(0o40000 | mode, radix: 8)) - \(path)\n".utf8
        }
        return bytes
    }

    /// Parses a manifest; `file` names it in errors. Every path must be one faigen could have
    /// written (a ``RelativePath`` outside `.faigen/` and `.git/`, once), since a render removes
    /// and overwrites what the manifest names: a bad line is an error at its line and column.
    public init(contents: [UInt8], file: String) throws(InputError) {
        let text = try decodeText(contents, path: file, expected: "a faigen manifest")
        var entries: [String: Entry] = [:]
        var directories: [String: UInt32] = [:]
        let fix = "the manifest is written by faigen; restore it from version control, or remove the line (or .faigen/) to start afresh"
        for (index, line) in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty || line.first == 0x23 { continue }
            // Made only for a bad line: a manifest has one line per generated file.
            func bad(_ what: String, at offset: Int = 0) -> InputError {
                let column = String(decoding: line.prefix(offset), as: UTF8.self).count + 1
                return InputError(file: file, line: index + 1, column: column, what, hint: fix)
            }
            let fields = line.split(separator: 0x20, maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3, fields[0].count == 6, fields[0].allSatisfy({ $0 >= 0x30 && $0 <= 0x37 }),
                  let typed = UInt32(String(decoding: fields[0], as: UTF8.self), radix: 8) else {
                throw bad("not a manifest line (MODE SHA256 PATH)")
            }
            let hashOffset = fields[0].count + 1
            let pathOffset = hashOffset + fields[1].count + 1
            let path = String(decoding: fields[2], as: UTF8.self)
            if let problem = RelativePath.problem(path) {
                throw bad("\(Self.quoted(path)) is not a path inside the output directory: \(problem.message)",
                          at: pathOffset + problem.offset)
            }
            if let top = path.pathComponents.first, Self.reservedRootNames.contains(top) {
                throw bad("\(Self.quoted(path)) is inside \(top)/, where faigen never writes", at: pathOffset)
            }
            guard entries[path] == nil, directories[path] == nil else {
                throw bad("\(Self.quoted(path)) is recorded twice", at: pathOffset)
            }
            let isHash = fields[1].count == 64 && fields[1].allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
            switch typed & 0o170000 {
            case 0o120000 where isHash && typed & 0o7777 == 0:
                entries[path] = Entry(path: path, sha256: String(decoding: fields[1], as: UTF8.self), mode: 0, isSymlink: true)
            case 0o100000 where isHash:
                entries[path] = Entry(path: path, sha256: String(decoding: fields[1], as: UTF8.self), mode: typed & 0o7777)
            case 0o040000 where fields[1].elementsEqual([0x2D]):
                directories[path] = typed & 0o7777
            case 0o120000, 0o100000, 0o040000:
                throw bad("not a SHA-256 in lower-case hex (or - for a directory)", at: hashOffset)
            default:
                throw bad("not a file (100MODE), symlink (120000) or directory (040MODE) mode")
            }
        }
        self.entries = entries
        self.directories = directories
    }

    /// Names at the root of an output directory faigen never writes into through a manifest.
    static let reservedRootNames: Set<String> = [".faigen", ".git"]

    private static func quoted(_ path: String) -> String {
        "'" + String(path.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) }) + "'"
    }
}
