// RenderWriter: writes a render (base config space + generated files) into OUTDIR safely.

/// A file a render produces: a config-space file like any other (path, bytes, mode).
public typealias GeneratedFile = ConfigFile

/// What a render did (or would do), each list sorted by path.
public struct RenderReport: Sendable, Hashable {
    /// Written because new or changed (including hand-edited ones overwritten with force).
    public var written: [String] = []
    /// Already on disk with the same content and mode.
    public var unchanged: [String] = []
    /// Written by an earlier render, no longer rendered, removed.
    public var removed: [String] = []
    /// Written by faigen, then edited by hand: left alone (without force).
    public var keptEdited: [String] = []
    /// Hand-edited files that force overwrote or removed.
    public var overwrittenEdited: [String] = []

    public init() {}
}

/// The writes, removals and refusals of one render, worked out before anything on disk changes.
public struct RenderPlan: Sendable, Hashable {
    public var report = RenderReport()
    /// Paths faigen would have to change but did not write (a hand-written file not in the
    /// manifest, a directory where a file goes). Any conflict stops the render before it starts.
    public var conflicts: [InputError] = []
    /// Entries to write (files and symlinks), and directories to create, in path order.
    var writes: [TreeEntry] = []
    var newDirectories: [Directory] = []
    var removals: [String] = []
    var manifest = Manifest()
    /// Set when an earlier render was killed after its pending manifest was written: the
    /// faigen files as they are on disk now, recorded before this render writes anything.
    var settled: Manifest?
}

/// Applies a render to an output directory, following DESIGN.md's Safety rules:
///
/// - what is written (base and generated) is recorded in `OUTDIR/.faigen/manifest`;
/// - a file faigen did not write is never changed: a rendered path that holds a different
///   hand-written file is a conflict, and a conflict stops the render with nothing changed;
/// - a file faigen wrote and someone edited since (content or mode differs from the manifest)
///   is reported and left alone, unless `force`;
/// - a file faigen wrote earlier and no longer renders is removed (unless edited);
/// - each file goes to a temporary name in its directory, is fsync'd and renamed into place,
///   and the manifest is written last, so a crash leaves every file old or new. A file
///   already equal to what is rendered counts as unchanged, so a render after a crash
///   picks up where it stopped. Before its first rename a render writes what it is about
///   to record to `.faigen/manifest.pending`; a file that matches either record is faigen's,
///   so a file renamed into place by a render killed before its manifest is not taken for
///   a hand edit.
///
/// Existing directories are never removed or re-moded, except that directories emptied
/// by removing stale files are removed.
public enum RenderWriter {
    /// Works out what `apply` would do; reads OUTDIR, changes nothing.
    public static func plan(outputDirectory: String, base: ConfigSpace?, generated: [GeneratedFile],
                            force: Bool) throws(InputError) -> RenderPlan {
        let rendered = try renderedEntries(base: base, generated: generated)
        var plan = RenderPlan()
        if let status = try FileSystem.status(outputDirectory), status.kind != .directory {
            throw InputError(file: outputDirectory, "exists and is not a directory", hint: "give a directory to render into")
        }
        let manifestFile = outputDirectory.joiningPath(Manifest.path)
        let old = try readManifest(manifestFile, outputDirectory: outputDirectory)
        let interrupted = try readManifest(outputDirectory.joiningPath(Manifest.pendingPath), outputDirectory: outputDirectory)
        /// The record faigen last wrote for `path` that the file on disk still matches, if any.
        func faigenRecord(_ path: String, matching current: Manifest.Entry) -> Manifest.Entry? {
            [old.entries[path], interrupted.entries[path]].compactMap { $0 }.first { $0 == current }
        }
        var settled = Manifest()
        var renderedPaths: Set<String> = []
        var ancestors = AncestorCheck(outputDirectory: outputDirectory)

        // What stands at each rendered path, and the record of what the render puts there:
        // reading and hashing each file is independent of every other, so it runs on every
        // core; the decisions below take the results in path order, so errors come in the
        // same order as when each path was looked at in turn.
        let blocking = rendered.map { entry in Result { () throws(InputError) in try ancestors.blocking(entry.path) } }
        let probes = Parallel.map(rendered.count) { index in
            Result { () throws(InputError) -> Probe? in
                guard case .success(nil) = blocking[index] else { return nil }
                let entry = rendered[index]
                let full = outputDirectory.joiningPath(entry.path)
                if case .directory = entry { return .directory(try FileSystem.status(full)?.kind) }
                return .file(Manifest.Entry(entry), try currentRecord(full, path: entry.path))
            }
        }

        for (index, entry) in rendered.enumerated() {
            let full = outputDirectory.joiningPath(entry.path)
            renderedPaths.insert(entry.path)
            if let conflict = try blocking[index].get() {
                plan.conflicts.append(conflict)
                continue
            }
            let probe = try probes[index].get()
            if case .directory(let directory) = entry {
                guard case .directory(let kind)? = probe else { continue }
                switch kind {
                case nil: plan.newDirectories.append(directory)
                case .directory?: break
                default:
                    plan.conflicts.append(InputError(file: full, "is a file where the render has a directory",
                                                     hint: "move the file away, then render again"))
                }
                continue
            }
            guard case .file(let record, let onDisk)? = probe else { continue }
            switch onDisk {
            case .absent:
                plan.writes.append(entry)
                plan.report.written.append(entry.path)
                plan.manifest.entries[entry.path] = record
            case .record(let current) where current == record:
                plan.report.unchanged.append(entry.path)
                plan.manifest.entries[entry.path] = record
                settled.entries[entry.path] = record
            case .record(let current) where faigenRecord(entry.path, matching: current) != nil:
                plan.writes.append(entry)
                plan.report.written.append(entry.path)
                plan.manifest.entries[entry.path] = record
                settled.entries[entry.path] = current
            case .record where old.entries[entry.path] ?? interrupted.entries[entry.path] != nil:
                if force {
                    plan.writes.append(entry)
                    plan.report.written.append(entry.path)
                    plan.report.overwrittenEdited.append(entry.path)
                    plan.manifest.entries[entry.path] = record
                } else {
                    plan.report.keptEdited.append(entry.path)
                    // Keep the old record: the file stays faigen's, and stays reported as edited.
                    plan.manifest.entries[entry.path] = old.entries[entry.path] ?? interrupted.entries[entry.path]
                }
                settled.entries[entry.path] = old.entries[entry.path] ?? interrupted.entries[entry.path]
            case .record, .directory:
                plan.conflicts.append(InputError(
                    file: full,
                    onDisk == .directory ? "is a directory where the render writes a file"
                                         : "exists, differs from what the render writes, and was not written by faigen",
                    hint: "faigen never changes files it did not write: move it away or rename it, then render again"))
            }
        }

        let earlier = Set(old.entries.keys).union(interrupted.entries.keys)
        for path in earlier.sorted() where !renderedPaths.contains(path) {
            let full = outputDirectory.joiningPath(path)
            guard try ancestors.blocking(path) == nil else { continue }
            switch try currentRecord(full, path: path) {
            case .absent:
                continue
            case .record(let current) where faigenRecord(path, matching: current) != nil:
                plan.removals.append(path)
                plan.report.removed.append(path)
                settled.entries[path] = current
            case .record where force:
                plan.removals.append(path)
                plan.report.removed.append(path)
                plan.report.overwrittenEdited.append(path)
                settled.entries[path] = old.entries[path] ?? interrupted.entries[path]
            case .record, .directory:
                // Edited by hand after faigen wrote it: it is the user's now, so it leaves the manifest.
                plan.report.keptEdited.append(path)
            }
        }
        plan.report.keptEdited.sort()
        plan.report.overwrittenEdited.sort()
        if !interrupted.entries.isEmpty { plan.settled = settled }
        return plan
    }

    /// Applies a render: plans it, stops with the first conflict (nothing changed), else
    /// writes, removes, and records the manifest.
    @discardableResult
    public static func apply(outputDirectory: String, base: ConfigSpace?, generated: [GeneratedFile],
                             force: Bool) throws(InputError) -> RenderReport {
        let plan = try plan(outputDirectory: outputDirectory, base: base, generated: generated, force: force)
        if let first = plan.conflicts.first {
            var error = first
            if plan.conflicts.count > 1 { error.message += " (and \(plan.conflicts.count - 1) more conflicts)" }
            throw error
        }
        try execute(plan, in: outputDirectory)
        return plan.report
    }

    static func execute(_ plan: RenderPlan, in outputDirectory: String) throws(InputError) {
        try FileSystem.makeDirectories(outputDirectory)
        for directory in plan.newDirectories {
            // Owner-writable while files go in; the directory's own mode is set at the end.
            try FileSystem.makeDirectories(outputDirectory.joiningPath(directory.path), mode: 0o700)
        }
        // Every file goes to a temporary name first, then one file-system sync makes all of
        // them durable, then each is renamed into place: a crash at any moment leaves each
        // path old or new, and the render pays one flush instead of one per file.
        // A render killed before its renames left temporaries beside the files it wrote:
        // every directory of this render is cleared of them first.
        let report = plan.report
        var directories: Set<String> = []
        for path in report.written + report.unchanged + report.keptEdited { directories.insert(path.parentPath) }
        for directory in directories.sorted() {
            try FileSystem.removeLeftoverTemporaries(in: outputDirectory.joiningPath(directory))
        }
        // The records this render is about to make, before any of its files is in place. After
        // an interrupted render, first the files as they are now, so each file on disk keeps
        // matching one of the two records however often renders are killed.
        let manifestFile = outputDirectory.joiningPath(Manifest.path)
        let pendingFile = outputDirectory.joiningPath(Manifest.pendingPath)
        try FileSystem.makeDirectories(manifestFile.parentPath)
        if let settled = plan.settled {
            try FileSystem.writeFileAtomically(manifestFile, contents: settled.contents, mode: 0o644)
        }
        let manifestContents = plan.manifest.contents
        try FileSystem.writeFileAtomically(pendingFile, contents: manifestContents, mode: 0o644)
        var madeDirectories: Set<String> = []
        for entry in plan.writes where madeDirectories.insert(entry.path.parentPath).inserted {
            try FileSystem.makeDirectories(outputDirectory.joiningPath(entry.path.parentPath))
        }
        // Each temporary is its own file: they are written on every core, each core mostly
        // in its own directories (the writes are in path order).
        let files: [(full: String, file: ConfigFile)] = plan.writes.compactMap { entry in
            guard case .file(let file) = entry else { return nil }
            return (outputDirectory.joiningPath(file.path), file)
        }
        let temporaries = Parallel.map(files.count) { index in
            Result { () throws(InputError) in
                try FileSystem.writeTemporary(for: files[index].full, contents: files[index].file.contents,
                                              mode: files[index].file.mode, sync: false)
            }
        }
        var pending: [(temporary: String, path: String)] = []
        pending.reserveCapacity(files.count)
        var failure: InputError?
        for (index, result) in temporaries.enumerated() {
            switch result {
            case .success(let temporary): pending.append((temporary, files[index].full))
            case .failure(let error): failure = failure ?? error
            }
        }
        do throws(InputError) {
            if let failure { throw failure }
            for entry in plan.writes {
                if case .symlink(let link) = entry {
                    try FileSystem.makeSymlinkAtomically(outputDirectory.joiningPath(link.path), target: link.target)
                }
            }
            try FileSystem.syncFileSystem(of: outputDirectory)
        } catch {
            for leftover in pending { FileSystem.removeTemporary(leftover.temporary) }
            throw error
        }
        // The renames, on every core too. A chunk whose rename fails removes the temporaries
        // it has not renamed yet (those paths keep their old files); the first failure in
        // path order is reported.
        let chunk = 64
        let renamed = Parallel.map((pending.count + chunk - 1) / chunk, minimumChunk: 1) { part -> InputError? in
            let range = (part * chunk)..<min(pending.count, (part + 1) * chunk)
            for index in range {
                do throws(InputError) {
                    try FileSystem.moveIntoPlace(pending[index].temporary, pending[index].path)
                } catch {
                    for leftover in pending[(index + 1)..<range.upperBound] { FileSystem.removeTemporary(leftover.temporary) }
                    return error
                }
            }
            return nil
        }
        if let first = renamed.lazy.compactMap({ $0 }).first { throw first }
        let kept = Set(plan.newDirectories.map(\.path))
        for path in plan.removals {
            try FileSystem.remove(outputDirectory.joiningPath(path), sync: false)
            // Prune directories the removal left empty, up to the output root.
            var parent = path.parentPath
            while !parent.isEmpty, !kept.contains(parent),
                  FileSystem.removeEmptyDirectory(outputDirectory.joiningPath(parent)) {
                parent = parent.parentPath
            }
        }
        for directory in plan.newDirectories.reversed() {
            try FileSystem.changeMode(outputDirectory.joiningPath(directory.path), directory.mode)
        }
        // The renames and removals reach the disk before the manifest that records them.
        try FileSystem.syncFileSystem(of: outputDirectory)
        try FileSystem.writeFileAtomically(manifestFile, contents: manifestContents, mode: 0o644)
        try FileSystem.remove(pendingFile, sync: false)
    }

    /// Base entries with generated files laid over them, validated, sorted by path.
    static func renderedEntries(base: ConfigSpace?, generated: [GeneratedFile]) throws(InputError) -> [TreeEntry] {
        var byPath: [String: TreeEntry] = [:]
        let baseEntries = base?.entries ?? []
        for entry in baseEntries { byPath[entry.path] = entry }
        var seen: Set<String> = []
        seen.reserveCapacity(generated.count)
        for file in generated {
            guard seen.insert(file.path).inserted else {
                throw InputError(file: file.path, "is generated twice", hint: "each generated path must be unique")
            }
            guard file.mode <= 0o7777 else {
                throw InputError(file: file.path, "has mode \(String(file.mode, radix: 8)), not a permission mode",
                                 hint: "use permission bits like 0o644 or 0o755")
            }
            byPath[file.path] = .file(file)
        }
        // Without a base, the generated files are the entries; a site's come sorted already.
        let entries = baseEntries.isEmpty && generated.indices.dropFirst().allSatisfy({ generated[$0 - 1].path < generated[$0].path })
            ? generated.map(TreeEntry.file)
            : byPath.values.sorted { $0.path < $1.path }
        for entry in entries {
            try validateRelativePath(entry.path)
            if entry.path.utf8.contains(0x0A) {
                throw InputError(file: entry.path.replacingNewlines(), "a path with a line break cannot be rendered",
                                 hint: "rename it")
            }
            if entry.path == ".faigen" || entry.path.hasPrefix(".faigen/") {
                throw InputError(file: entry.path, "is inside .faigen/, which faigen keeps for its manifest",
                                 hint: "render it elsewhere")
            }
        }
        // A file and something below it cannot both be rendered.
        for entry in entries {
            var parent = entry.path.parentPath
            while !parent.isEmpty {
                if let owner = byPath[parent], case .directory = owner {} else if byPath[parent] != nil {
                    throw InputError(file: entry.path, "lies below \(parent), which the render writes as a file",
                                     hint: "render one of them, not both")
                }
                parent = parent.parentPath
            }
        }
        return entries
    }

    private enum OnDisk: Equatable {
        case absent
        case directory
        case record(Manifest.Entry)
    }

    private static func currentRecord(_ full: String, path: String) throws(InputError) -> OnDisk {
        guard let status = try FileSystem.status(full) else { return .absent }
        switch status.kind {
        case .regular:
            return .record(Manifest.Entry(.file(ConfigFile(path: path, contents: try FileSystem.readFile(full), mode: status.mode))))
        case .symlink:
            return .record(Manifest.Entry(.symlink(Symlink(path: path, target: try FileSystem.readLink(full)))))
        case .directory:
            return .directory
        case .special(let what):
            throw InputError(file: full, "is \(what) where the render writes a file", hint: "remove it, then render again")
        }
    }

    /// What a plan found at a rendered path that no ancestor blocks.
    private enum Probe {
        /// A rendered directory, and the kind of what stands at its path (nil: nothing).
        case directory(FileKind?)
        /// A rendered file or symlink: its record, and what is on disk.
        case file(Manifest.Entry, OnDisk)
    }

    /// Finds a parent of a path that exists but is not a real directory (a file, or a symlink
    /// that would send the write elsewhere): a conflict. Each parent is examined once per
    /// plan, since thousands of rendered files share a few directories.
    private struct AncestorCheck {
        let outputDirectory: String
        var statuses: [String: FileStatus?] = [:]

        mutating func blocking(_ path: String) throws(InputError) -> InputError? {
            var ancestors: [String] = []
            var parent = path.parentPath
            while !parent.isEmpty {
                ancestors.append(parent)
                parent = parent.parentPath
            }
            for ancestor in ancestors.reversed() {
                let full = outputDirectory.joiningPath(ancestor)
                let status: FileStatus?
                if let known = statuses[ancestor] {
                    status = known
                } else {
                    status = try FileSystem.status(full)
                    statuses[ancestor] = .some(status)
                }
                guard let status else { return nil }
                if status.kind != .directory {
                    return InputError(file: full, "is not a directory, but the render writes \(path) below it",
                                      hint: "move it away, then render again")
                }
            }
            return nil
        }
    }

    private static func readManifest(_ file: String, outputDirectory: String) throws(InputError) -> Manifest {
        guard let status = try FileSystem.status(file) else { return Manifest() }
        guard status.kind == .regular else {
            throw InputError(file: file, "is not a regular file", hint: "remove it; faigen writes its manifest there")
        }
        return try Manifest(contents: FileSystem.readFile(file), file: file)
    }
}
