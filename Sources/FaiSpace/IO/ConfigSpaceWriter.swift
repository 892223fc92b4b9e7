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

/// A path inside a config space (see ``RelativePath``), or an error naming it.
func validateRelativePath(_ path: String) throws(InputError) {
    if let problem = RelativePath.problem(path) { throw problem.error(path) }
}
