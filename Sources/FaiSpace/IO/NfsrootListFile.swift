// NfsrootListFile: reads and rewrites the FAI server's /etc/fai/NFSROOT for `faigen render --nfsroot-list`.

public enum NfsrootListFile {
    /// The merged content for the list at `path` (see ``NfsrootMerge``), worked out without
    /// writing, so a render can check it before it changes anything; nil when nothing changes.
    public static func plan(path: String, spec: SiteSpec) throws(InputError) -> [UInt8]? {
        guard let status = try FileSystem.status(path), status.kind == .regular else {
            throw InputError(file: path, "no such nfsroot package list", hint: "give the FAI server's /etc/fai/NFSROOT")
        }
        let existing = try FileSystem.readFile(path)
        let header = Generators(specName: spec.origin).header
        return try NfsrootMerge.merged(existing: existing, path: path, header: header)
    }

    /// Writes planned content atomically, keeping the file's mode.
    public static func write(path: String, contents: [UInt8]) throws(InputError) {
        let mode = try FileSystem.status(path)?.mode ?? 0o644
        try FileSystem.writeFileAtomically(path, contents: contents, mode: mode)
    }
}
