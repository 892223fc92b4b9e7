// NfsrootListFile: reads and rewrites the FAI server's /etc/fai/NFSROOT for `faigen render --nfsroot-list`.

public enum NfsrootListFile {
    /// The merged content for the list at `path` (see ``NfsrootMerge``), worked out without
    /// writing, so a render can check it before it changes anything; nil when nothing changes.
    /// The list may be a symlink (a site keeping /etc/fai in git links it): it is followed.
    public static func plan(path: String, spec: SiteSpec) throws(InputError) -> [UInt8]? {
        let existing = try FileSystem.readNamedFile(path, expected: "the FAI server's nfsroot package list, /etc/fai/NFSROOT")
        let header = Generators(specName: spec.origin).header
        return try NfsrootMerge.merged(existing: existing, path: path, header: header)
    }

    /// Writes planned content atomically, keeping the file's mode. A symlink's target is
    /// rewritten, not the link replaced by a file.
    public static func write(path: String, contents: [UInt8]) throws(InputError) {
        let target = try FileSystem.realPath(path)
        let mode = FileSystem.resolvedStatus(target)?.mode ?? 0o644
        try FileSystem.writeFileAtomically(target, contents: contents, mode: mode)
    }
}
