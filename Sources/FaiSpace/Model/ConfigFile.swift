// ConfigFile, Symlink, Directory: the raw entries of a config space tree, kept exactly as found.

/// A regular file of a config space: where it is, its bytes and its permission bits.
public struct ConfigFile: Sendable, Hashable {
    /// Path relative to the config space root, `/`-separated, no leading `./` (`class/DEBIAN.var`).
    public var path: String
    public var contents: [UInt8]
    /// Permission bits including setuid, setgid and sticky (`st_mode & 0o7777`).
    public var mode: UInt32

    public init(path: String, contents: [UInt8], mode: UInt32 = 0o644) {
        self.path = path
        self.contents = contents
        self.mode = mode
    }

    /// The last path component (`DEBIAN.var`).
    public var name: String { path.lastPathComponent }

    /// Whether any execute bit is set, as `test -x` sees it for its owner.
    public var isExecutable: Bool { mode & 0o111 != 0 }
}

/// A symbolic link, kept as a link (its target is not followed, and may not exist).
public struct Symlink: Sendable, Hashable {
    public var path: String
    /// The target exactly as `readlink` returns it.
    public var target: String

    public init(path: String, target: String) {
        self.path = path
        self.target = target
    }
}

/// A directory with its permission bits; kept so empty directories and directory modes survive.
public struct Directory: Sendable, Hashable {
    public var path: String
    public var mode: UInt32

    public init(path: String, mode: UInt32 = 0o755) {
        self.path = path
        self.mode = mode
    }
}

/// One entry of a tree, as the reader finds it and the writer makes it.
public enum TreeEntry: Sendable, Hashable {
    case file(ConfigFile)
    case symlink(Symlink)
    case directory(Directory)

    public var path: String {
        switch self {
        case .file(let file): file.path
        case .symlink(let link): link.path
        case .directory(let directory): directory.path
        }
    }
}

extension String {
    /// The part after the last `/` (the whole string when there is none).
    var lastPathComponent: String {
        guard let slash = utf8.lastIndex(of: 0x2F) else { return self }
        return String(decoding: utf8[utf8.index(after: slash)...], as: UTF8.self)
    }

    /// The part before the last `/` (empty when there is none, `/` for `/name`, empty for `/`).
    /// Always shorter than the path, so a walk up the parents ends. Found in the UTF-8 bytes,
    /// as the kernel splits a path: every `/` byte separates, whatever character follows it.
    var parentPath: String {
        guard let slash = utf8.lastIndex(of: 0x2F) else { return "" }
        if slash == utf8.startIndex { return utf8.count == 1 ? "" : "/" }
        return String(decoding: utf8[..<slash], as: UTF8.self)
    }

    /// The path split at its `/` bytes.
    var pathComponents: [String] {
        utf8.split(separator: 0x2F, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }
}
