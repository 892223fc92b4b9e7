// Reading a config space from disk: every file, symlink and directory exactly as found.

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

    /// Reads what can be read and lists every problem instead of stopping at the first, for
    /// tools that report (lint). Problem paths are relative to `root`. An unreadable file is
    /// left out of the space; a package list FAI could not read is kept as an other file.
    /// Only a root that cannot be read at all is thrown.
    public static func readReporting(_ root: String) throws(InputError) -> (space: ConfigSpace, problems: [InputError]) {
        let (entries, problems) = try readTree(root)
        let (space, classifyProblems) = ConfigSpace.classify(entries)
        return (space, problems + classifyProblems)
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
