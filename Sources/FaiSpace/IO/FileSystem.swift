// FileSystem: the few POSIX calls faigen needs, each failure turned into an InputError naming the path.
import CSyncfs
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What `lstat` says stands at a path.
enum FileKind: Equatable {
    case regular, directory, symlink
    /// A FIFO, socket or device: nothing a config space may hold.
    case special(String)
}

struct FileStatus {
    var kind: FileKind
    /// Permission bits with setuid, setgid and sticky.
    var mode: UInt32
}

enum FileSystem {
    static func errorText(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }

    /// `mkdtemp`: a new mode-0700 directory named `prefix` plus six random characters; nil
    /// (with `errno` set) when it cannot be made.
    static func makeTemporaryDirectory(prefix: String) -> String? {
        var template = Array((prefix + "XXXXXX").utf8CString)
        guard mkdtemp(&template) != nil else { return nil }
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `lstat`; nil when nothing is there.
    static func status(_ path: String) throws(InputError) -> FileStatus? {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return nil }
            throw InputError(file: path, "cannot examine: \(errorText())", hint: "check the path and its permissions")
        }
        return FileStatus(kind: kind(of: info.st_mode), mode: UInt32(info.st_mode) & 0o7777)
    }

    /// `stat` (following symlinks); nil when the path does not resolve (a dangling symlink).
    static func resolvedStatus(_ path: String) -> FileStatus? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileStatus(kind: kind(of: info.st_mode), mode: UInt32(info.st_mode) & 0o7777)
    }

    private static func kind(of mode: mode_t) -> FileKind {
        switch mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        case S_IFIFO: return .special("a FIFO")
        case S_IFSOCK: return .special("a socket")
        case S_IFCHR: return .special("a character device")
        case S_IFBLK: return .special("a block device")
        default: return .special("an unknown kind of file")
        }
    }

    /// The whole content of a regular file. Inside a config space a symlink is an entry of
    /// its own and never followed; a file the user names on the command line may be a link.
    static func readFile(_ path: String, followingSymlinks: Bool = false) throws(InputError) -> [UInt8] {
        // O_NONBLOCK: if a FIFO was swapped in after lstat, open must not hang.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | (followingSymlinks ? 0 : O_NOFOLLOW))
        guard fd >= 0 else {
            throw InputError(file: path, "cannot read: \(errorText())", hint: "make the file readable for faigen")
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw InputError(file: path, "cannot read: \(errorText())", hint: "make the file readable for faigen")
            }
            if count == 0 { break }
            bytes += buffer[0..<count]
        }
        return bytes
    }

    /// The text of a file the user names (`--spec`, `--rules`): symlinks followed, anything
    /// but a regular file refused before it is opened, UTF-8 required. `expected` says what
    /// the file should be in errors ("a site spec (YAML)").
    static func readNamedTextFile(_ path: String, expected: String) throws(InputError) -> String {
        try decodeText(readNamedFile(path, expected: expected), path: path, expected: expected)
    }

    /// The bytes of a file the user names: symlinks followed, anything but a regular file
    /// refused before it is opened; every error points at the file as a whole (`FILE:1:1:`).
    static func readNamedFile(_ path: String, expected: String) throws(InputError) -> [UInt8] {
        let whole: (InputError) -> InputError = { InputError(wholeFile: path, $0.message, hint: $0.hint) }
        let found: FileStatus?
        do { found = try status(path) } catch { throw whole(error) }
        guard found != nil else {
            throw InputError(wholeFile: path, "no such file", hint: "give the path of \(expected)")
        }
        guard let resolved = resolvedStatus(path) else {
            throw InputError(wholeFile: path, "a symlink to nothing", hint: "give the path of \(expected)")
        }
        guard resolved.kind == .regular else {
            throw InputError(wholeFile: path, "not a regular file", hint: "give the path of \(expected)")
        }
        do { return try readFile(path, followingSymlinks: true) } catch { throw whole(error) }
    }

    /// The names in a directory, sorted, without `.` and `..`.
    static func listDirectory(_ path: String) throws(InputError) -> [String] {
        guard let dir = opendir(path) else {
            throw InputError(file: path, "cannot list directory: \(errorText())", hint: "make the directory readable for faigen")
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix(while: { $0 != 0 })) }
            // A name that is not UTF-8 could not be written back under the same name.
            guard let name = String(validating: bytes, as: UTF8.self) else {
                throw InputError(file: path.joiningPath(String(decoding: bytes, as: UTF8.self)),
                                 "file name is not UTF-8", hint: "rename it")
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// The path with every symlink resolved (realpath(3)).
    static func realPath(_ path: String) throws(InputError) -> String {
        guard let resolved = realpath(path, nil) else {
            throw InputError(wholeFile: path, "cannot resolve: \(errorText())", hint: "check the path and its symlinks")
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func readLink(_ path: String) throws(InputError) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count)
        guard count >= 0 else { throw InputError(file: path, "cannot read symlink: \(errorText())") }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Creates a directory and its missing parents with `mode`; an existing directory is fine.
    static func makeDirectories(_ path: String, mode: UInt32 = 0o755) throws(InputError) {
        if let existing = try status(path) {
            guard existing.kind == .directory else {
                throw InputError(file: path, "exists and is not a directory", hint: "move it away")
            }
            return
        }
        let parent = path.parentPath
        if !parent.isEmpty { try makeDirectories(parent) }
        if mkdir(path, mode_t(mode)) == 0 {
            // The umask must not decide the mode of a directory faigen creates.
            try changeMode(path, mode)
        } else if errno != EEXIST {
            throw InputError(file: path, "cannot create directory: \(errorText())")
        }
    }

    static func changeMode(_ path: String, _ mode: UInt32) throws(InputError) {
        guard chmod(path, mode_t(mode)) == 0 else { throw InputError(file: path, "cannot set mode: \(errorText())") }
    }

    /// Writes a file so that `path` holds either its old or its new content, never half:
    /// a temporary file in the same directory, written, mode set, fsync'd, renamed over `path`,
    /// and the directory fsync'd so the rename itself survives a crash.
    static func writeFileAtomically(_ path: String, contents: [UInt8], mode: UInt32) throws(InputError) {
        let temporary = try writeTemporary(for: path, contents: contents, mode: mode, sync: true)
        try moveIntoPlace(temporary, path)
        syncDirectory(path.parentPath)
    }

    /// Writes `contents` to a new temporary file beside `path` (see ``temporaryName(for:)``)
    /// and returns its name; fsync'd when `sync`, else left for one ``syncFileSystem(of:)``
    /// over many files, which costs one flush instead of one per file.
    static func writeTemporary(for path: String, contents: [UInt8], mode: UInt32, sync: Bool) throws(InputError) -> String {
        var template = Array(temporaryName(for: path).utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw InputError(file: path, "cannot create a temporary file beside it: \(errorText())") }
        let temporary = String(decoding: template.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var failure: InputError?
        var written = 0
        while written < contents.count, failure == nil {
            let count = contents.withUnsafeBytes { raw in write(fd, raw.baseAddress.map { $0 + written }, raw.count - written) }
            if count < 0 && errno != EINTR { failure = InputError(file: path, "cannot write: \(errorText())") }
            if count > 0 { written += count }
        }
        // fchmod after writing: mkstemp makes 0600, and a write may clear setuid bits.
        if failure == nil, fchmod(fd, mode_t(mode)) != 0 { failure = InputError(file: path, "cannot set mode: \(errorText())") }
        if failure == nil, sync, fsync(fd) != 0 { failure = InputError(file: path, "cannot sync: \(errorText())") }
        close(fd)
        if let failure {
            unlink(temporary)
            throw failure
        }
        return temporary
    }

    /// Renames a temporary file over `path`; the temporary is removed when that fails.
    static func moveIntoPlace(_ temporary: String, _ path: String) throws(InputError) {
        guard rename(temporary, path) == 0 else {
            let failure = InputError(file: path, "cannot rename into place: \(errorText())")
            unlink(temporary)
            throw failure
        }
    }

    /// Flushes everything written on the file system holding `path` (syncfs(2)): the
    /// contents of many temporary files before they are renamed into place, or the renames
    /// and removals afterwards. One flush costs far less than an fsync per file.
    static func syncFileSystem(of path: String) throws(InputError) {
        let fd = open(path.isEmpty ? "." : path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw InputError(file: path, "cannot open to sync: \(errorText())") }
        defer { close(fd) }
        guard faigen_syncfs(fd) == 0 else { throw InputError(file: path, "cannot sync: \(errorText())") }
    }

    /// Removes a temporary file that will not be renamed into place.
    static func removeTemporary(_ temporary: String) {
        unlink(temporary)
    }

    /// Makes a symlink at `path` (replacing what is there) through a temporary name and a rename.
    static func makeSymlinkAtomically(_ path: String, target: String) throws(InputError) {
        let temporary = try makeTemporarySymlink(for: path, target: target)
        guard rename(temporary, path) == 0 else {
            let text = errorText()
            unlink(temporary)
            throw InputError(file: path, "cannot rename symlink into place: \(text)")
        }
        syncDirectory(path.parentPath)
    }

    /// Makes a symlink to `target` under a new temporary name beside `path` and returns the
    /// name, for ``moveIntoPlace(_:_:)`` later.
    static func makeTemporarySymlink(for path: String, target: String) throws(InputError) -> String {
        for attempt in 0..<100 {
            let name = ".\(temporaryStem(path.lastPathComponent, suffixBytes: 22)).faigen-\(getpid())-\(attempt)"
            let temporary = path.parentPath.joiningPath(name)
            if symlink(target, temporary) == 0 { return temporary }
            if errno != EEXIST { throw InputError(file: path, "cannot create symlink: \(errorText())") }
        }
        throw InputError(file: path, "cannot find a free temporary name beside it")
    }

    /// Removes a file; the directory is fsync'd unless the caller syncs the file system after a batch.
    static func remove(_ path: String, sync: Bool = true) throws(InputError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw InputError(file: path, "cannot remove: \(errorText())") }
        if sync { syncDirectory(path.parentPath) }
    }

    /// Removes a directory if it is empty; says whether it did.
    @discardableResult
    static func removeEmptyDirectory(_ path: String) -> Bool { rmdir(path) == 0 }

    /// The mkstemp template for a file written atomically: hidden, recognisable, same directory.
    static func temporaryName(for path: String) -> String {
        path.parentPath.joiningPath(".\(temporaryStem(path.lastPathComponent, suffixBytes: 15)).faigen-XXXXXX")
    }

    /// The file name a temporary starts with: the name itself, cut (at a character boundary)
    /// so that with `suffixBytes` more it is still a valid file name of at most 255 bytes.
    static func temporaryStem(_ name: String, suffixBytes: Int) -> String {
        let room = RelativePath.maximumNameBytes - suffixBytes
        guard name.utf8.count > room else { return name }
        var stem = ""
        for scalar in name.unicodeScalars {
            guard stem.utf8.count + String(scalar).utf8.count <= room else { break }
            stem.unicodeScalars.append(scalar)
        }
        return stem
    }

    /// Whether a directory entry is a temporary file or symlink faigen left behind when it was
    /// killed before the rename (`.NAME.faigen-XXXXXX`, `.NAME.faigen-PID-N`).
    static func isTemporaryName(_ name: String) -> Bool {
        guard name.hasPrefix("."), let marker = name.lastRange(of: ".faigen-"),
              marker.lowerBound > name.index(after: name.startIndex) else { return false }
        // mkstemp's six letters and digits, or PID-ATTEMPT: nothing a user names a file.
        let tail = name[marker.upperBound...]
        if tail.count == 6, tail.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) { return true }
        let numbers = tail.split(separator: "-", omittingEmptySubsequences: false)
        return numbers.count == 2 && numbers.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    /// Removes the temporaries a killed render left in `directory`; a missing directory has none.
    static func removeLeftoverTemporaries(in directory: String) throws(InputError) {
        guard let status = try status(directory), status.kind == .directory else { return }
        for name in try listDirectory(directory) where isTemporaryName(name) {
            unlink(directory.joiningPath(name))
        }
    }

    private static func syncDirectory(_ path: String) {
        let fd = open(path.isEmpty ? "." : path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}

extension String {
    /// `self/name`, or `name` when self is empty.
    func joiningPath(_ name: String) -> String {
        if isEmpty { return name }
        if name.isEmpty { return self }
        return hasSuffix("/") ? self + name : self + "/" + name
    }
}
