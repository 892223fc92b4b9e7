// RenderWriter: writes a render (base config space + generated files) into OUTDIR safely.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

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
    /// Every directory the render creates, parents first: the rendered ones (`newDirectories`,
    /// made 0700 while files go in) and the missing parents of generated files (0755).
    var createdDirectories: [Directory] = []
    /// Directories faigen made before (manifest) or a killed render made (pending record) that
    /// this render needs too: they get their mode at the end.
    var recoveredDirectories: [Directory] = []
    /// Directories faigen made before that nothing renders now: removed when empty, else
    /// given the mode a killed render meant (a user's files keep them).
    var unneededDirectories: [Directory] = []
    var removals: [String] = []
    /// Paths no longer rendered (removed now, or by a killed render already): their parents
    /// are removed when that leaves them empty.
    var stale: [String] = []
    /// Directories where a killed render may have left temporaries.
    var temporaryDirectories: [String] = []
    /// Directories the render has entries in or renders itself: never pruned.
    var neededDirectories: Set<String> = []
    var manifest = Manifest()
    /// Set when an earlier render was killed after its pending manifest was written: the
    /// faigen files as they are on disk now, recorded before this render writes anything.
    var settled: Manifest?
}

/// Applies a render to an output directory, following DESIGN.md's Safety rules:
///
/// - one render at a time per output directory (``OutputLock``);
/// - what is written (base and generated) is recorded in `OUTDIR/.faigen/manifest`, with
///   the directories faigen created; every path read back from it must be a ``RelativePath``;
/// - a file faigen did not write is never changed: a rendered path that holds a different
///   hand-written file is a conflict, and a conflict stops the render with nothing changed;
/// - a file faigen wrote and someone edited since (content or mode differs from the manifest)
///   is reported and left alone, unless `force`; a mode git gives on checkout is no edit;
/// - a file faigen wrote earlier and no longer renders is removed (unless edited);
/// - each file goes to a temporary name in its directory, all are synced and renamed into
///   place, and the manifest is written last, so a crash leaves every file old or new. A
///   file already equal to what is rendered counts as unchanged, so a render after a crash
///   picks up where it stopped. Before it creates anything a render writes what it is about
///   to record, and the directories it creates, to `.faigen/manifest.pending`; a file that
///   matches either record is faigen's, so a file renamed into place by a render killed
///   before its manifest is not taken for a hand edit, and the next render sets the modes
///   of the directories it left 0700 and removes those nothing needs.
///
/// Directories faigen did not create are never removed or re-moded, except that directories
/// emptied by removing stale files are removed.
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
        /// The record faigen last wrote for `path` that the file on disk still matches (also
        /// after a git checkout, which keeps only 0644 and 0755), if any.
        func faigenRecord(_ path: String, matching current: Manifest.Entry) -> Manifest.Entry? {
            [old.entries[path], interrupted.entries[path]].compactMap { $0 }.first { $0 == current || $0.isGitCheckout(current) }
        }
        for entry in rendered {
            let length = outputDirectory.utf8.count + 1 + entry.path.utf8.count + 22
            guard length < Int(PATH_MAX) else {
                throw InputError(file: outputDirectory.joiningPath(entry.path),
                                 "is too long a path (\(length) bytes with the temporary name; the system takes \(Int(PATH_MAX) - 1))",
                                 hint: "render into a directory with a shorter path")
            }
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
                // Removed by a killed render, which may not have removed its empty parents yet.
                plan.stale.append(path)
                settled.entries[path] = old.entries[path] ?? interrupted.entries[path]
            case .record(let current) where faigenRecord(path, matching: current) != nil:
                plan.removals.append(path)
                plan.stale.append(path)
                plan.report.removed.append(path)
                settled.entries[path] = current
            case .record where force:
                plan.removals.append(path)
                plan.stale.append(path)
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
        if !interrupted.entries.isEmpty || !interrupted.directories.isEmpty { plan.settled = settled }

        // Directories: the rendered ones it creates, then the missing parents of what it writes.
        var creating: [String: UInt32] = [:]
        for directory in plan.newDirectories { creating[directory.path] = directory.mode }
        for entry in plan.writes {
            for ancestor in try ancestors.missing(entry.path) where creating[ancestor] == nil { creating[ancestor] = 0o755 }
        }
        plan.createdDirectories = creating.sorted { $0.key < $1.key }.map { Directory(path: $0.key, mode: $0.value) }

        // What a killed render left: directories it made (perhaps still 0700, perhaps no longer
        // needed) and temporaries in every directory it wrote to.
        var needed: [String: UInt32] = [:]
        for entry in rendered {
            if case .directory(let directory) = entry { needed[directory.path] = directory.mode }
            for ancestor in RelativePath.ancestors(of: entry.path) where needed[ancestor] == nil { needed[ancestor] = 0o755 }
        }
        // Directories faigen made earlier (recorded in the manifest) or a killed render made
        // (in its pending record): each still needed gets the mode the render wants (a killed
        // render left it 0700, git keeps no directory modes); each no longer needed goes when
        // empty. One a user filled stays; it gets the mode a killed render meant, if it made it.
        let madeBefore = old.directories.merging(interrupted.directories) { _, killed in killed }
        settled.directories = madeBefore
        for (path, mode) in madeBefore.sorted(by: { $0.key < $1.key }) where creating[path] == nil {
            guard try ancestors.blocking(path.joiningPath("-")) == nil,
                  let status = try FileSystem.status(outputDirectory.joiningPath(path)), status.kind == .directory else { continue }
            if let wanted = needed[path] {
                plan.recoveredDirectories.append(Directory(path: path, mode: wanted))
            } else {
                plan.unneededDirectories.append(Directory(path: path, mode: interrupted.directories[path] == nil ? status.mode : mode))
            }
        }
        for directory in plan.createdDirectories + plan.recoveredDirectories { plan.manifest.directories[directory.path] = directory.mode }
        plan.neededDirectories = Set(needed.keys)
        var temporaryDirectories: Set<String> = [".faigen"]
        for path in plan.report.written + plan.report.unchanged + plan.report.keptEdited { temporaryDirectories.insert(path.parentPath) }
        for path in interrupted.entries.keys { temporaryDirectories.insert(path.parentPath) }
        for path in interrupted.directories.keys { temporaryDirectories.insert(path) }
        for directory in temporaryDirectories.sorted() {
            // Only real directories inside OUTDIR: never through a symlink to elsewhere.
            let inside = try directory.isEmpty ? true : ancestors.blocking(directory.joiningPath("-")) == nil
            if inside {
                plan.temporaryDirectories.append(directory)
            }
        }
        return plan
    }

    /// Applies a render: takes the output directory's lock (waiting for another render when
    /// `wait`, after telling `waiting`, else failing at once), plans, stops with the first
    /// conflict (nothing changed), else writes, removes, and records the manifest.
    @discardableResult
    public static func apply(outputDirectory: String, base: ConfigSpace?, generated: [GeneratedFile],
                             force: Bool, wait: Bool = false, waiting: ((String) -> Void)? = nil) throws(InputError) -> RenderReport {
        // Checked before the lock makes anything: a bad path changes nothing.
        _ = try renderedEntries(base: base, generated: generated)
        let lock = try OutputLock.acquire(outputDirectory, wait: wait, waiting: waiting)
        defer { lock.release() }
        let plan = try plan(outputDirectory: outputDirectory, base: base, generated: generated, force: force)
        if let first = plan.conflicts.first {
            var error = first
            if plan.conflicts.count > 1 { error.message += " (and \(plan.conflicts.count - 1) more conflicts)" }
            throw error
        }
        try execute(plan, in: outputDirectory)
        return plan.report
    }

    /// Carries out a plan, under the output directory's lock.
    ///
    /// Order: temporaries a killed render left are removed; the records (settled manifest
    /// after a killed render, then the pending manifest with the directories this render
    /// creates) are written; directories are made, every file goes to a temporary name and
    /// one file-system sync makes them durable. A failure up to here undoes all of it, so
    /// OUTDIR is as it was. Then each temporary is renamed into place, stale files and the
    /// directories they leave empty are removed, directories get their modes, and the
    /// manifest is written last. A render killed at any moment is finished by the next one.
    static func execute(_ plan: RenderPlan, in outputDirectory: String) throws(InputError) {
        for directory in plan.temporaryDirectories {
            try FileSystem.removeLeftoverTemporaries(in: outputDirectory.joiningPath(directory))
        }
        let manifestFile = outputDirectory.joiningPath(Manifest.path)
        let pendingFile = outputDirectory.joiningPath(Manifest.pendingPath)
        if let settled = plan.settled {
            try FileSystem.writeFileAtomically(manifestFile, contents: settled.contents, mode: 0o644)
        }
        // What this render will record, and every directory it creates or must still put right,
        // before any of them exists.
        var pending = plan.manifest
        for directory in plan.unneededDirectories { pending.directories[directory.path] = directory.mode }
        try FileSystem.writeFileAtomically(pendingFile, contents: pending.contents, mode: 0o644)

        var made: [String] = []
        var temporaries: [(temporary: String, path: String)] = []
        do throws(InputError) {
            let rendered = Set(plan.newDirectories.map(\.path))
            for directory in plan.createdDirectories {
                // A rendered directory is owner-writable while files go in; its mode is set at the end.
                let full = outputDirectory.joiningPath(directory.path)
                let mode: UInt32 = rendered.contains(directory.path) ? 0o700 : directory.mode
                guard mkdir(full, mode_t(mode)) == 0 else {
                    throw InputError(file: full, "cannot create directory: \(FileSystem.errorText())")
                }
                made.append(full)
                try FileSystem.changeMode(full, mode)
            }
            // Each temporary is its own file: they are written on every core, each core mostly
            // in its own directories (the writes are in path order).
            let entries = plan.writes.filter { if case .directory = $0 { false } else { true } }
            let results = Parallel.map(entries.count) { index in
                Result { () throws(InputError) -> String in
                    let full = outputDirectory.joiningPath(entries[index].path)
                    switch entries[index] {
                    case .file(let file):
                        return try FileSystem.writeTemporary(for: full, contents: file.contents, mode: file.mode, sync: false)
                    case .symlink(let link):
                        return try FileSystem.makeTemporarySymlink(for: full, target: link.target)
                    case .directory:
                        return full
                    }
                }
            }
            var failure: InputError?
            temporaries.reserveCapacity(entries.count)
            for (index, result) in results.enumerated() {
                switch result {
                case .success(let temporary): temporaries.append((temporary, outputDirectory.joiningPath(entries[index].path)))
                case .failure(let error): failure = failure ?? error
                }
            }
            if let failure { throw failure }
            try FileSystem.syncFileSystem(of: outputDirectory)
        } catch {
            // Nothing is in place yet: put OUTDIR back as it was.
            for leftover in temporaries { FileSystem.removeTemporary(leftover.temporary) }
            for directory in made.reversed() { FileSystem.removeEmptyDirectory(directory) }
            if plan.settled == nil { try? FileSystem.remove(pendingFile) }
            throw error
        }

        // The renames, on every core too. A chunk whose rename fails removes the temporaries
        // it has not renamed yet (those paths keep their old files); the first failure in
        // path order is reported, and the next render finishes the job as after a crash.
        let chunk = 64
        let renamed = Parallel.map((temporaries.count + chunk - 1) / chunk, minimumChunk: 1) { part -> InputError? in
            let range = (part * chunk)..<min(temporaries.count, (part + 1) * chunk)
            for index in range {
                do throws(InputError) {
                    try FileSystem.moveIntoPlace(temporaries[index].temporary, temporaries[index].path)
                } catch {
                    for leftover in temporaries[(index + 1)..<range.upperBound] { FileSystem.removeTemporary(leftover.temporary) }
                    return error
                }
            }
            return nil
        }
        if let first = renamed.lazy.compactMap({ $0 }).first { throw first }
        for path in plan.removals {
            try FileSystem.remove(outputDirectory.joiningPath(path), sync: false)
        }
        // Directories that removals (now or by a killed render) left empty go, up to the
        // first one the render needs; each step up is a shorter path, so the walk ends.
        for path in plan.stale {
            for parent in RelativePath.ancestors(of: path).reversed() {
                guard !plan.neededDirectories.contains(parent),
                      FileSystem.removeEmptyDirectory(outputDirectory.joiningPath(parent)) else { break }
            }
        }
        for directory in plan.unneededDirectories.reversed() where !FileSystem.removeEmptyDirectory(outputDirectory.joiningPath(directory.path)) {
            if try FileSystem.status(outputDirectory.joiningPath(directory.path))?.kind == .directory {
                try FileSystem.changeMode(outputDirectory.joiningPath(directory.path), directory.mode)
            }
        }
        for directory in (plan.newDirectories + plan.recoveredDirectories).sorted(by: { $0.path > $1.path }) {
            try FileSystem.changeMode(outputDirectory.joiningPath(directory.path), directory.mode)
        }
        // The renames and removals reach the disk before the manifest that records them.
        try FileSystem.syncFileSystem(of: outputDirectory)
        try FileSystem.writeFileAtomically(manifestFile, contents: plan.manifest.contents, mode: 0o644)
        try FileSystem.remove(pendingFile, sync: false)
    }

    /// Base entries with generated files laid over them, validated, sorted by path.
    static func renderedEntries(base: ConfigSpace?, generated: [GeneratedFile]) throws(InputError) -> [TreeEntry] {
        let baseEntries = base?.entries ?? []
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
        }
        // Without a base, the generated files are the entries; a site's come sorted already.
        let entries: [TreeEntry]
        if baseEntries.isEmpty && generated.indices.dropFirst().allSatisfy({ generated[$0 - 1].path < generated[$0].path }) {
            entries = generated.map(TreeEntry.file)
        } else {
            var byPath: [String: TreeEntry] = [:]
            byPath.reserveCapacity(baseEntries.count + generated.count)
            for entry in baseEntries { byPath[entry.path] = entry }
            for file in generated { byPath[file.path] = .file(file) }
            entries = byPath.values.sorted { $0.path < $1.path }
        }
        for entry in entries {
            try validateRelativePath(entry.path)
            if entry.path == ".faigen" || entry.path.hasPrefix(".faigen/") {
                throw InputError(file: entry.path, "is inside .faigen/, which faigen keeps for its manifest",
                                 hint: "render it elsewhere")
            }
        }
        // A file and something below it cannot both be rendered.
        let notDirectories = baseEntries.isEmpty ? seen : Set(entries.lazy.compactMap { entry -> String? in
            if case .directory = entry { return nil }
            return entry.path
        })
        for entry in entries {
            for parent in RelativePath.ancestors(of: entry.path) where notDirectories.contains(parent) {
                throw InputError(file: entry.path, "lies below \(parent), which the render writes as a file",
                                 hint: "render one of them, not both")
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
            for ancestor in RelativePath.ancestors(of: path) {
                guard let status = try status(ancestor) else { return nil }
                if status.kind != .directory {
                    return InputError(file: outputDirectory.joiningPath(ancestor), "is not a directory, but the render writes \(path) below it",
                                      hint: "move it away, then render again")
                }
            }
            return nil
        }

        /// The ancestors of a path that do not exist yet, outermost first (after `blocking` found none in the way).
        mutating func missing(_ path: String) throws(InputError) -> [String] {
            let all = RelativePath.ancestors(of: path)
            for (index, ancestor) in all.enumerated() where try status(ancestor) == nil {
                return Array(all[index...])
            }
            return []
        }

        private mutating func status(_ ancestor: String) throws(InputError) -> FileStatus? {
            if let known = statuses[ancestor] { return known }
            let status = try FileSystem.status(outputDirectory.joiningPath(ancestor))
            statuses[ancestor] = .some(status)
            return status
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
