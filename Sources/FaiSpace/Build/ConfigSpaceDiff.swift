// ConfigSpaceDiff: what changed between two builds or config-space trees, package lists read through the model.

/// A config space to compare: a build (its directory or its archive) or a tree on disk.
public struct ComparedSpace: Sendable {
    /// Every entry, sorted by path; faigen's own `.faigen/` is not part of it.
    public var entries: [TreeEntry]
    /// The build's version (`.faigen/version`), when it has one.
    public var version: String?

    /// Reads `path`: a build directory (holding `faiconfig.tar.gz`), a `.tar.gz` or `.tar`
    /// file, or a config-space directory (read as `faigen render --base` reads one).
    public init(path: String) throws(InputError) {
        guard let status = try FileSystem.status(path) else {
            throw InputError(file: path, "no such file or directory", hint: "give a build directory, a faiconfig.tar.gz or a config space")
        }
        let kind = status.kind == .symlink ? FileSystem.resolvedStatus(path)?.kind : status.kind
        let archive = path.joiningPath(ConfigSpaceBuild.archiveName)
        if kind == .regular {
            try self.init(archive: FileSystem.readFile(path, followingSymlinks: true), file: path)
        } else if kind == .directory, FileSystem.resolvedStatus(archive)?.kind == .regular {
            try self.init(archive: FileSystem.readFile(archive, followingSymlinks: true), file: archive)
        } else {
            let space = try ConfigSpaceReader.read(path)
            let versionFile = path.joiningPath(ConfigSpaceBuild.versionPath)
            let version = FileSystem.resolvedStatus(versionFile)?.kind == .regular
                ? (try? FileSystem.readFile(versionFile)) : nil
            self.init(entries: space.entries, version: version.map(Self.versionLine))
        }
    }

    /// The entries of a (gzip'd) tar archive.
    public init(archive bytes: [UInt8], file: String) throws(InputError) {
        let tar = bytes.starts(with: [0x1f, 0x8b]) ? try Gzip.decompress(bytes, file: file) : bytes
        var entries: [TreeEntry] = []
        var version: String?
        var seen: Set<String> = []
        for entry in try Tar.entries(tar, file: file) {
            guard seen.insert(entry.path).inserted else {
                throw InputError(file: file, "holds \(entry.path) twice", hint: "give an archive faigen build wrote")
            }
            if entry.path == ConfigSpaceBuild.versionPath, case .file(let versionFile) = entry {
                version = Self.versionLine(versionFile.contents)
            }
            entries.append(entry)
        }
        self.init(entries: entries, version: version)
    }

    public init(entries: [TreeEntry], version: String?) {
        self.entries = entries.filter { $0.path != ".faigen" && !$0.path.hasPrefix(".faigen/") }.sorted { $0.path < $1.path }
        self.version = version
    }

    private static func versionLine(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.prefix { $0 != 0x0A }.prefix(200), as: UTF8.self)
    }
}

/// The differences between two config spaces, as a reviewer reads them before a version goes out.
public struct ConfigSpaceDiff: Sendable {
    public enum Change: Sendable, Hashable {
        case added(path: String, what: String)
        case removed(path: String, what: String)
        /// A file's bytes differ (sizes old and new).
        case content(path: String, old: Int, new: Int)
        case mode(path: String, old: UInt32, new: UInt32)
        case symlink(path: String, old: String, new: String)
        /// A file became a symlink, a directory a file, ...
        case kind(path: String, old: String, new: String)
    }

    /// One package more or less in one section of a package list.
    public struct PackageChange: Sendable, Hashable {
        /// The list (`package_config/WEB`, `files/etc/fai/NFSROOT/FAISERVER`).
        public var list: String
        /// The list's class (its file name).
        public var className: String
        /// The section's `PACKAGES` command with its option and classes (`install`, `install-norec release=bookworm-backports`).
        public var command: String
        public var package: String
        public var added: Bool
    }

    public var oldVersion: String?
    public var newVersion: String?
    public var changes: [Change] = []
    public var packageChanges: [PackageChange] = []

    public var isEmpty: Bool { changes.isEmpty }

    public init(old: ComparedSpace, new: ComparedSpace) {
        oldVersion = old.version
        newVersion = new.version
        let before = Dictionary(old.entries.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(new.entries.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        for path in Set(before.keys).union(after.keys).sorted() {
            switch (before[path], after[path]) {
            case (nil, let entry?): changes.append(.added(path: path, what: Self.describe(entry)))
            case (let entry?, nil): changes.append(.removed(path: path, what: Self.describe(entry)))
            case (let a?, let b?): changes += Self.compare(path, a, b)
            case (nil, nil): break
            }
        }
        let oldLists = Self.packageLists(old.entries), newLists = Self.packageLists(new.entries)
        for path in Set(oldLists.keys).union(newLists.keys).sorted() {
            packageChanges += Self.comparePackages(path, oldLists[path], newLists[path])
        }
    }

    private static func compare(_ path: String, _ a: TreeEntry, _ b: TreeEntry) -> [Change] {
        switch (a, b) {
        case (.file(let x), .file(let y)):
            var out: [Change] = []
            if x.contents != y.contents { out.append(.content(path: path, old: x.contents.count, new: y.contents.count)) }
            if x.mode != y.mode { out.append(.mode(path: path, old: x.mode, new: y.mode)) }
            return out
        case (.directory(let x), .directory(let y)):
            return x.mode == y.mode ? [] : [.mode(path: path, old: x.mode, new: y.mode)]
        case (.symlink(let x), .symlink(let y)):
            return x.target == y.target ? [] : [.symlink(path: path, old: x.target, new: y.target)]
        default:
            return [.kind(path: path, old: describe(a), new: describe(b))]
        }
    }

    static func describe(_ entry: TreeEntry) -> String {
        switch entry {
        case .file(let file): "file \(modeText(file.mode)), \(file.contents.count) bytes"
        case .directory(let directory): "directory \(modeText(directory.mode))"
        case .symlink(let link): "symlink -> \(link.target)"
        }
    }

    static func modeText(_ mode: UInt32) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// The package lists of a tree, read through the model as install_packages reads them.
    private static func packageLists(_ entries: [TreeEntry]) -> [String: PackageList] {
        let (space, _) = ConfigSpace.classify(entries)
        return Dictionary((space.packageLists + space.nfsrootPackageLists).map { ($0.path, $0) },
                          uniquingKeysWith: { first, _ in first })
    }

    private static func comparePackages(_ path: String, _ old: PackageList?, _ new: PackageList?) -> [PackageChange] {
        func counts(_ list: PackageList?) -> (order: [String], words: [String: [String: Int]]) {
            var order: [String] = []
            var words: [String: [String: Int]] = [:]
            for section in list?.sections ?? [] {
                guard let command = section.command else { continue }
                let key = ([command.command] + (command.option.map { [$0] } ?? []) + command.classes).joined(separator: " ")
                if words[key] == nil { order.append(key) }
                for package in section.packages { words[key, default: [:]][package.word, default: 0] += 1 }
            }
            return (order, words)
        }
        let before = counts(old), after = counts(new)
        let className = path.lastPathComponent
        var keys = after.order
        for key in before.order where after.words[key] == nil { keys.append(key) }
        var out: [PackageChange] = []
        for key in keys {
            let was = before.words[key] ?? [:], now = after.words[key] ?? [:]
            for word in Set(was.keys).union(now.keys).sorted() {
                let delta = (now[word] ?? 0) - (was[word] ?? 0)
                guard delta != 0 else { continue }
                for _ in 0..<abs(delta) {
                    out.append(PackageChange(list: path, className: className, command: key, package: word, added: delta > 0))
                }
            }
        }
        return out
    }

    /// The report, one line a change: the versions, every entry change in path order, then
    /// the package-list changes by list and section.
    public var lines: [String] {
        var out: [String] = []
        if oldVersion != nil || newVersion != nil, oldVersion != newVersion {
            out.append("version  \(oldVersion ?? "(none)") -> \(newVersion ?? "(none)")")
        }
        for change in changes {
            switch change {
            case .added(let path, let what): out.append("added    \(path) (\(what))")
            case .removed(let path, let what): out.append("removed  \(path) (\(what))")
            case .content(let path, let old, let new): out.append("changed  \(path) (\(old) -> \(new) bytes)")
            case .mode(let path, let old, let new): out.append("mode     \(path) \(Self.modeText(old)) -> \(Self.modeText(new))")
            case .symlink(let path, let old, let new): out.append("symlink  \(path) -> \(old), now -> \(new)")
            case .kind(let path, let old, let new): out.append("type     \(path) \(old), now \(new)")
            }
        }
        for change in packageChanges {
            out.append("package  \(change.added ? "+" : "-")\(change.package) in \(change.className), PACKAGES \(change.command) (\(change.list))")
        }
        return out.map { $0.replacingNewlines() }
    }
}
