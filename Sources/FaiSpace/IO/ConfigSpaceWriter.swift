// Writing a config space to a new directory: the same bytes, modes, symlinks and directories.

extension ConfigSpace {
    /// Writes the space into `root`, which must not exist or be empty (rendering into an
    /// existing tree goes through `RenderWriter`, which keeps what faigen did not write).
    /// Directory modes are set last, deepest first, so a read-only directory still gets its files.
    public func write(to root: String) throws(InputError) {
        let entries = self.entries
        try Self.validate(entries)
        if let status = try FileSystem.status(root) {
            guard status.kind == .directory else {
                throw InputError(file: root, "exists and is not a directory", hint: "choose a new directory")
            }
            guard try FileSystem.listDirectory(root).isEmpty else {
                throw InputError(file: root, "is not empty", hint: "write into a new directory, or use faigen render, which updates a tree safely")
            }
        }
        try FileSystem.makeDirectories(root)
        for entry in entries {
            let full = root.joiningPath(entry.path)
            switch entry {
            case .directory:
                // Owner-writable while its content is written; its own mode is set below.
                try FileSystem.makeDirectories(full, mode: 0o700)
            case .file(let file):
                try FileSystem.makeDirectories(full.parentPath)
                try FileSystem.writeFileAtomically(full, contents: file.contents, mode: file.mode)
            case .symlink(let link):
                try FileSystem.makeDirectories(full.parentPath)
                try FileSystem.makeSymlinkAtomically(full, target: link.target)
            }
        }
        for case .directory(let directory) in entries.reversed() {
            try FileSystem.changeMode(root.joiningPath(directory.path), directory.mode)
        }
    }

    /// Paths must be relative, without `.`/`..`/empty parts, and unique: a space built in
    /// code must not write outside its root or twice to one place.
    static func validate(_ entries: [TreeEntry]) throws(InputError) {
        var seen: Set<String> = []
        for entry in entries {
            try validateRelativePath(entry.path)
            guard seen.insert(entry.path).inserted else {
                throw InputError(file: entry.path, "appears twice in the config space", hint: "keep one entry per path")
            }
        }
    }
}

/// A path inside a config space: relative, `/`-separated, no empty, `.` or `..` part.
func validateRelativePath(_ path: String) throws(InputError) {
    guard !path.isEmpty, !path.hasPrefix("/"), !hasEmptyOrDotPart(path) else {
        throw InputError(file: path, "is not a relative path inside the config space",
                         hint: "use a path like class/50-host-classes, without leading /, . or ..")
    }
}

/// Whether a path has an empty, `.` or `..` part. An ASCII path is checked on its bytes
/// (every rendered path is checked); another is split by Character, where a `/` followed
/// by a combining mark is not a separator.
private func hasEmptyOrDotPart(_ path: String) -> Bool {
    guard path.utf8.allSatisfy({ $0 < 0x80 }) else {
        return path.pathComponents.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." })
    }
    return path.utf8.split(separator: 0x2F, omittingEmptySubsequences: false).contains { part in
        part.isEmpty || part.elementsEqual([0x2E]) || part.elementsEqual([0x2E, 0x2E])
    }
}
