// Manifest: OUTDIR/.faigen/manifest, what faigen wrote into a config space (path, sha256, mode).

/// The record of every file and symlink faigen wrote into an output directory, so a later
/// render knows which files are its own, which were edited by hand, and which are stale.
///
/// Format: `#` comment lines, then one line per entry, sorted by path:
/// `MODE SHA256 PATH`, MODE in octal with the file type as git writes it (`100644`,
/// `104755` for a setuid file, `120000` for a symlink, whose SHA256 is that of its target).
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
        return bytes
    }

    /// Parses a manifest; `file` names it in errors.
    public init(contents: [UInt8], file: String) throws(InputError) {
        let text = try decodeText(contents, path: file, expected: "a faigen manifest")
        var entries: [Entry] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            // Made only for a bad line: a manifest has one line per generated file.
            var bad: InputError {
                InputError(file: file, line: index + 1, column: 1, "not a manifest line (MODE SHA256 PATH)",
                           hint: "the manifest is written by faigen; restore it from version control or remove .faigen to start afresh")
            }
            guard fields.count == 3, fields[1].utf8.count == 64,
                  fields[1].utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) || ($0 >= 65 && $0 <= 70) }),
                  !fields[2].isEmpty, let typed = UInt32(fields[0], radix: 8) else { throw bad }
            switch typed & 0o170000 {
            case 0o120000:
                entries.append(Entry(path: String(fields[2]), sha256: String(fields[1]), mode: 0, isSymlink: true))
            case 0o100000:
                entries.append(Entry(path: String(fields[2]), sha256: String(fields[1]), mode: typed & 0o7777))
            default:
                throw bad
            }
        }
        self.init(entries: entries)
    }
}
