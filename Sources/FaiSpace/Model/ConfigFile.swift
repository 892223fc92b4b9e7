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
        guard let slash = lastSlash else { return self }
        return String(self[index(after: slash)...])
    }

    /// The part before the last `/` (empty when there is none, `/` for `/name`).
    var parentPath: String {
        guard let slash = lastSlash else { return "" }
        if slash == startIndex { return "/" }
        return String(self[..<slash])
    }

    /// The last `/` that stands as a character of its own. Found in the UTF-8 bytes, since
    /// rendering asks for the parents of every path; a `/` with a non-ASCII byte beside it
    /// might join a combining mark into one character, so that case asks Character search.
    private var lastSlash: Index? {
        let bytes = utf8
        guard let slash = bytes.lastIndex(of: 0x2F) else { return nil }
        let next = bytes.index(after: slash)
        let standsAlone = (slash == bytes.startIndex || bytes[bytes.index(before: slash)] < 0x80)
            && (next == bytes.endIndex || bytes[next] < 0x80)
        return standsAlone ? slash : lastIndex(of: "/")
    }

    /// The path split at `/`.
    var pathComponents: [String] { split(separator: "/", omittingEmptySubsequences: false).map(String.init) }
}
