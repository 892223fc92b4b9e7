// Reading a config space from disk: every file, symlink and directory exactly as found (render), or as FAI follows it (lint).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads trees into `ConfigSpace`.
///
/// What is an error (an `InputError`, nothing is returned):
/// - the root missing or not a directory;
/// - a file or directory faigen cannot read (permissions), or a FIFO, socket or device,
///   which a config space cannot hold and faigen cannot copy;
/// - where FAI reads the content (a package list: `package_config/CLASS`,
///   `files/etc/fai/NFSROOT/CLASS`): a binary file, a directory, or a dangling symlink.
///
/// What is kept as found: every other symlink, dangling or not (it is copied as a link,
/// never followed; a symlink to a package list is not parsed), empty directories, and
/// every mode bit. `.git` and `.faigen` at the root are not part of the config space
/// (version control and faigen's own manifest) and are not read.
public enum ConfigSpaceReader {
    /// Names at the root that belong to tools, not to the config space.
    public static let ignoredRootNames: Set<String> = [".git", ".faigen"]

    /// Reads the config space at `root`; the first problem is thrown, naming `root/PATH`.
    public static func read(_ root: String) throws(InputError) -> ConfigSpace {
        let (entries, problems) = try readTree(root)
        if let first = problems.first { throw first.under(root) }
        let (space, classifyProblems) = ConfigSpace.classify(entries)
        if let first = classifyProblems.first { throw first.under(root) }
        return space
    }

    /// Reads one package list file outside a config space (`/etc/fai/NFSROOT` on a server).
    public static func readPackageList(_ path: String) throws(InputError) -> PackageList {
        guard let status = try FileSystem.status(path) else {
            throw InputError(file: path, "no such file", hint: "give the path of a package list")
        }
        try requireReadable(path, status: status, required: "a package list")
        return try PackageList(path: path, contents: FileSystem.readFile(path), mode: status.mode)
    }

    /// Walks the tree below `root`: entries with paths relative to it, and problems (relative paths).
    static func readTree(_ root: String) throws(InputError) -> ([TreeEntry], [InputError]) {
        guard let status = try FileSystem.status(root) else {
            throw InputError(file: root, "no such directory", hint: "give the path of an FAI config space")
        }
        if status.kind == .symlink, FileSystem.resolvedStatus(root)?.kind == .directory {
            // A root given through a symlink (/srv/fai/config -> ...) is read where it points.
        } else if status.kind != .directory {
            throw InputError(file: root, "not a directory", hint: "give the path of an FAI config space")
        }
        var entries: [TreeEntry] = []
        var problems: [InputError] = []
        try walk(root: root, relative: "", entries: &entries, problems: &problems)
        return (entries, problems)
    }

    private static func walk(root: String, relative: String, entries: inout [TreeEntry],
                             problems: inout [InputError]) throws(InputError) {
        let names: [String]
        do throws(InputError) {
            names = try FileSystem.listDirectory(root.joiningPath(relative))
        } catch {
            problems.append(error.relative(to: root))
            return
        }
        for name in names {
            if relative.isEmpty, ignoredRootNames.contains(name) { continue }
            let path = relative.joiningPath(name)
            let full = root.joiningPath(path)
            do throws(InputError) {
                guard let status = try FileSystem.status(full) else { continue }  // removed meanwhile
                let required = ConfigSpace.requiredContent(at: path)
                switch status.kind {
                case .directory:
                    entries.append(.directory(Directory(path: path, mode: status.mode)))
                    try walk(root: root, relative: path, entries: &entries, problems: &problems)
                case .symlink:
                    if let required { try requireReadable(full, status: status, required: required) }
                    entries.append(.symlink(Symlink(path: path, target: try FileSystem.readLink(full))))
                case .regular:
                    entries.append(.file(ConfigFile(path: path, contents: try FileSystem.readFile(full), mode: status.mode)))
                case .special(let what):
                    throw InputError(file: full, "is \(what), not a file, directory or symlink",
                                     hint: "a config space holds only files, directories and symlinks; remove it")
                }
            } catch {
                problems.append(error.relative(to: root))
            }
        }
    }

    /// Where content is needed, a dangling symlink or a directory is an error.
    private static func requireReadable(_ path: String, status: FileStatus, required: String) throws(InputError) {
        switch status.kind {
        case .regular:
            return
        case .directory:
            throw InputError(file: path, "a directory where \(required) should be", hint: "remove or rename the directory")
        case .special(let what):
            throw InputError(file: path, "is \(what) where \(required) should be", hint: "put a text file there")
        case .symlink:
            let target = (try? FileSystem.readLink(path)) ?? "?"
            guard let resolved = FileSystem.resolvedStatus(path) else {
                throw InputError(file: path, "dangling symlink (to \(target)) where \(required) should be",
                                 hint: "point the symlink at an existing file or remove it")
            }
            if resolved.kind == .directory {
                throw InputError(file: path, "symlink to a directory (\(target)) where \(required) should be",
                                 hint: "point the symlink at a file")
            }
        }
    }
}

extension InputError {
    /// The same error with its file given relative to `root` (when it lies below it).
    func relative(to root: String) -> InputError {
        guard var location else { return self }
        let prefix = root.hasSuffix("/") ? root : root + "/"
        if location.file.hasPrefix(prefix) { location.file = String(location.file.dropFirst(prefix.count)) }
        var copy = self
        copy.location = location
        return copy
    }

    /// The same error with its (relative) file placed under `root`.
    func under(_ root: String) -> InputError {
        guard var location, !location.file.hasPrefix("/") else { return self }
        location.file = root.joiningPath(location.file)
        var copy = self
        copy.location = location
        return copy
    }
}

// MARK: - Reading as FAI reads: lint

/// What a symlink in a config space stands for when FAI follows it on the install client.
public enum LinkTarget: Sendable, Hashable {
    /// A regular file inside the config space: FAI reads it in the link's place, and so does lint.
    case file(realPath: String)
    /// A directory inside the config space; its files are checked where they are.
    case directory
    /// Nothing exists there.
    case dangling
    /// A chain of links that never ends (`stat` fails with ELOOP).
    case loop
    /// A FIFO, socket or device: FAI's `-f` tests (fai-class, fcopy, install_packages) skip it.
    case special(String)
    /// A file or directory outside the config space (an absolute target, or `..` past the
    /// root): FAI resolves it on the install client, where it names another file than here.
    case outside(String)
}

/// One symlink of the config space and what it resolves to.
public struct LinkResolution: Sendable, Hashable {
    public var path: String
    /// The target exactly as `readlink` returns it.
    public var target: String
    public var resolved: LinkTarget
}

/// A config space read for lint: symlinks followed as FAI follows them, every read bounded,
/// and everything the reader could not take in listed instead of stopping at the first.
public struct LintRead: Sendable {
    /// The files FAI reads, with symlinks to files inside the space read in the link's place.
    /// Files whose content no check reads (`basefiles/`, `tests/`, fcopy variants, apt keys,
    /// other files outside `class/`) are in the space with their mode and no content.
    public var space: ConfigSpace
    /// Problems, with paths relative to the root.
    public var problems: [InputError]
    public var links: [LinkResolution]
    /// Files larger than the limit, with their size: only the lines in their first
    /// `maxFileBytes` were read.
    public var oversized: [String: Int]
    /// Names that are not UTF-8, as relative paths with every byte outside printable ASCII
    /// written `\xNN`; nothing at or below them was read.
    public var undecodableNames: [String]
    /// Where a followed symlink's bytes really are (the realpath), for tools that read the file.
    public var realPaths: [String: String]
}

extension ConfigSpaceReader {
    /// Reads the config space at `root` as FAI reads it, for lint. Throws only when `root`
    /// is not a readable directory holding `class/` (FAI's `task_defclass` needs it).
    public static func readForLint(_ root: String, maxFileBytes: Int) throws(InputError) -> LintRead {
        guard let status = try FileSystem.status(root) else {
            throw InputError(file: root, "no such directory", hint: "give the path of an FAI config space")
        }
        guard status.kind == .directory || (status.kind == .symlink && FileSystem.resolvedStatus(root)?.kind == .directory) else {
            throw InputError(file: root, "not a directory", hint: "give the path of an FAI config space")
        }
        // The root itself must list: an unreadable root is an error, not a finding.
        _ = try listNames(root)
        guard FileSystem.resolvedStatus(root.joiningPath("class"))?.kind == .directory else {
            throw InputError(file: root, "not an FAI config space: it has no class/ directory, without which FAI's task_defclass stops",
                             hint: "give the config space's root directory, the one holding class/, package_config/ and files/")
        }
        var walker = LintWalker(root: root, rootReal: realPath(root) ?? root, maxFileBytes: maxFileBytes)
        walker.walk("")
        let (space, classifyProblems) = ConfigSpace.classify(walker.entries)
        return LintRead(space: space, problems: walker.problems + classifyProblems, links: walker.links,
                        oversized: walker.oversized, undecodableNames: walker.undecodableNames, realPaths: walker.realPaths)
    }

    /// The names in a directory, sorted, without `.` and `..`; names that are not UTF-8
    /// come back apart, as bytes, so one such name hides nothing else.
    static func listNames(_ path: String) throws(InputError) -> (names: [String], undecodable: [[UInt8]]) {
        guard let dir = opendir(path) else {
            throw InputError(file: path, "cannot list directory: \(FileSystem.errorText())", hint: "make the directory readable for faigen")
        }
        defer { closedir(dir) }
        var names: [String] = []
        var undecodable: [[UInt8]] = []
        while let entry = readdir(dir) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix(while: { $0 != 0 })) }
            if let name = String(validating: bytes, as: UTF8.self) {
                if name != "." && name != ".." { names.append(name) }
            } else {
                undecodable.append(bytes)
            }
        }
        return (names.sorted(), undecodable)
    }

    /// A file name with every byte outside printable ASCII (and `\`) written `\xNN`.
    public static func escapedName(_ bytes: [UInt8]) -> String {
        var text = ""
        for byte in bytes {
            if byte >= 0x20 && byte < 0x7F && byte != 0x5C {
                text.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                text += "\\x" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return text
    }

    /// `realpath(3)`; nil when the path does not resolve.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// What a symlink stands for (see ``LinkTarget``); its target is examined with `stat`, never opened.
    static func resolveLink(_ full: String, target: String, rootReal: String) -> LinkTarget {
        var info = stat()
        guard stat(full, &info) == 0 else { return errno == ELOOP ? .loop : .dangling }
        let kind: FileKind
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        case S_IFIFO: return .special("a FIFO")
        case S_IFSOCK: return .special("a socket")
        case S_IFCHR: return .special("a character device")
        case S_IFBLK: return .special("a block device")
        default: return .special("an unknown kind of file")
        }
        let what = kind == .directory ? "a directory" : "a file"
        guard !target.hasPrefix("/"), let real = realPath(full), real.hasPrefix(rootReal.hasSuffix("/") ? rootReal : rootReal + "/")
        else { return .outside(what) }
        return kind == .directory ? .directory : .file(realPath: real)
    }

    /// Whether lint reads the content of the file at `path`: class/, package lists, fcopy's
    /// helper files and nfsroot lists, scripts/, hooks/, disk_config/, debconf/ and the
    /// root's `.faigenlint`; not base images, tests, fcopy variants or apt keys, which can be
    /// large and which no check reads.
    static func lintReadsContent(_ path: String) -> Bool {
        let parts = path.pathComponents
        switch (parts.first ?? "", parts.count) {
        case ("class", 2), ("scripts", 3), ("hooks", 2), ("disk_config", 2), ("debconf", 2):
            return true
        case ("package_config", 2):
            return PackageListPlace.isListName(parts[1])
        case ("files", 3...):
            return path.parentPath == FcopyEntry.nfsrootDirectory || FcopyEntry.helperNames.contains(parts[parts.count - 1])
        case (LintSettings.fileName, 1):
            return true
        default:
            return false
        }
    }

    /// Reads at most `limit` bytes of a regular file, without blocking on what stands there:
    /// opened with O_NONBLOCK and checked with fstat before a byte is read. Nil when it is not
    /// a regular file (a FIFO or device swapped in, or a symlink's target). When the file is
    /// larger than `limit`, the bytes end at the last newline within it, so no line is cut.
    static func readBounded(_ path: String, limit: Int, following: Bool) throws(InputError)
        -> (bytes: [UInt8], size: Int, mode: UInt32)? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | (following ? 0 : O_NOFOLLOW))
        guard fd >= 0 else {
            throw InputError(file: path, "cannot read: \(FileSystem.errorText())", hint: "make the file readable for faigen")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        let size = Int(info.st_size)
        let mode = UInt32(info.st_mode) & 0o7777
        var bytes = [UInt8](repeating: 0, count: min(size, limit))
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { readFromDescriptor(fd, $0.baseAddress! + filled, $0.count - filled) }
            if count < 0 {
                if errno == EINTR { continue }
                throw InputError(file: path, "cannot read: \(FileSystem.errorText())", hint: "make the file readable for faigen")
            }
            if count == 0 { break }
            filled += count
        }
        bytes.removeSubrange(filled...)
        if size > limit, let lastNewline = bytes.lastIndex(of: 0x0A) { bytes.removeSubrange((lastNewline + 1)...) }
        return (bytes, size, mode)
    }
}

/// read(2), named apart from ``ConfigSpaceReader/read(_:)``.
private func readFromDescriptor(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}

/// The walk behind ``ConfigSpaceReader/readForLint(_:maxFileBytes:)``: one lstat per entry,
/// one bounded read per file whose content lint reads, linear in the size of the tree.
private struct LintWalker {
    let root: String
    let rootReal: String
    let maxFileBytes: Int
    var entries: [TreeEntry] = []
    var problems: [InputError] = []
    var links: [LinkResolution] = []
    var oversized: [String: Int] = [:]
    var undecodableNames: [String] = []
    var realPaths: [String: String] = [:]

    init(root: String, rootReal: String, maxFileBytes: Int) {
        self.root = root
        self.rootReal = rootReal
        self.maxFileBytes = maxFileBytes
    }

    mutating func walk(_ relative: String) {
        let listing: (names: [String], undecodable: [[UInt8]])
        do throws(InputError) {
            listing = try ConfigSpaceReader.listNames(root.joiningPath(relative))
        } catch {
            problems.append(error.relative(to: root))
            return
        }
        undecodableNames += listing.undecodable.map { relative.joiningPath(ConfigSpaceReader.escapedName($0)) }
        for name in listing.names {
            if relative.isEmpty, ConfigSpaceReader.ignoredRootNames.contains(name) { continue }
            let path = relative.joiningPath(name)
            let full = root.joiningPath(path)
            do throws(InputError) {
                guard let status = try FileSystem.status(full) else { continue }  // removed meanwhile
                switch status.kind {
                case .directory:
                    entries.append(.directory(Directory(path: path, mode: status.mode)))
                    walk(path)
                case .symlink:
                    try follow(path, full)
                case .regular:
                    try readFile(path, full, following: false, mode: status.mode)
                case .special(let what):
                    throw InputError(file: full, "is \(what), not a file, directory or symlink",
                                     hint: "a config space holds only files, directories and symlinks; remove it")
                }
            } catch {
                problems.append(error.relative(to: root))
            }
        }
    }

    /// A symlink: to a file inside the space it is read in the link's place, anything else
    /// stays a link, with what it resolves to for the checks.
    private mutating func follow(_ path: String, _ full: String) throws(InputError) {
        let target = try FileSystem.readLink(full)
        let resolved = ConfigSpaceReader.resolveLink(full, target: target, rootReal: rootReal)
        links.append(LinkResolution(path: path, target: target, resolved: resolved))
        if case .file(let real) = resolved {
            realPaths[path] = real
            guard let mode = FileSystem.resolvedStatus(full)?.mode else { return }
            try readFile(path, full, following: true, mode: mode)
            return
        }
        entries.append(.symlink(Symlink(path: path, target: target)))
        guard let required = ConfigSpace.requiredContent(at: path) else { return }
        switch resolved {
        case .dangling:
            throw InputError(file: full, "dangling symlink (to \(target)) where \(required) should be",
                             hint: "point the symlink at an existing file or remove it")
        case .directory, .outside("a directory"):
            throw InputError(file: full, "symlink to a directory (\(target)) where \(required) should be",
                             hint: "point the symlink at a file")
        default:
            return
        }
    }

    private mutating func readFile(_ path: String, _ full: String, following: Bool, mode: UInt32) throws(InputError) {
        guard ConfigSpaceReader.lintReadsContent(path) else {
            entries.append(.file(ConfigFile(path: path, contents: [], mode: mode)))
            return
        }
        guard let read = try ConfigSpaceReader.readBounded(full, limit: maxFileBytes, following: following) else {
            throw InputError(file: full, "is no longer a regular file", hint: "a config space holds only files, directories and symlinks")
        }
        if read.size > maxFileBytes { oversized[path] = read.size }
        entries.append(.file(ConfigFile(path: path, contents: read.bytes, mode: read.mode)))
    }
}

extension ConfigSpaceReader {
    /// `FAI_CONFIGDIR` as `nfsrootConf` (a shell file, `/etc/fai/nfsroot.conf`) sets it: the
    /// last `FAI_CONFIGDIR=VALUE` line, the value unquoted. The file is read as data, never
    /// run: a missing or unreadable file, no such line, an empty value or one that needs the
    /// shell (`$`, a backquote) give nil.
    public static func configDirectory(nfsrootConf: String) -> String? {
        guard FileSystem.resolvedStatus(nfsrootConf)?.kind == .regular,
              let read = try? readBounded(nfsrootConf, limit: 1 << 20, following: true) else { return nil }
        var value: String?
        for raw in String(decoding: read.bytes, as: UTF8.self).split(separator: "\n") {
            var line = raw.drop { $0 == " " || $0 == "\t" }
            if line.hasPrefix("export ") { line = line.dropFirst("export ".count).drop { $0 == " " } }
            guard line.hasPrefix("FAI_CONFIGDIR=") else { continue }
            value = shellWord(line.dropFirst("FAI_CONFIGDIR=".count))
        }
        guard let value, !value.isEmpty, !value.contains("$"), !value.contains("`") else { return nil }
        return value
    }

    /// The first word of a shell assignment's value: quotes removed, a `#` comment or blank ends it.
    private static func shellWord(_ text: Substring) -> String {
        var word = ""
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil } else { word.append(character) }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == " " || character == "\t" || character == "#" || character == ";" {
                break
            } else {
                word.append(character)
            }
        }
        return word
    }
}
