// RenderRecoveryTests: a crafted manifest, a second render, a kill or a failure at any step, a git
// clone: after each the output directory is what one render of one spec makes, and nothing else.
import FaiSpace
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Every entry below `root` (hidden ones too), by relative path: kind, mode, and the sha256 of
/// a file's bytes or a symlink's target.
func outputTree(_ root: URL) throws -> [String: String] {
    let find = try run("/usr/bin/find", [root.path, "-mindepth", "1", "-printf", "%P\\0%y\\0%m\\0"])
    let fields = find.stdout.split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
    var tree: [String: String] = [:]
    var index = 0
    while index + 2 < fields.count {
        let (path, kind, mode) = (fields[index], fields[index + 1], fields[index + 2])
        let full = root.appendingPathComponent(path).path
        switch kind {
        case "f": tree[path] = "f \(mode) \(sha256Hex([UInt8](FileManager.default.contents(atPath: full) ?? Data())))"
        case "l": tree[path] = "l \((try? FileManager.default.destinationOfSymbolicLink(atPath: full)) ?? "?")"
        default: tree[path] = "\(kind) \(mode)"
        }
        index += 3
    }
    return tree
}

/// A synthetic site spec (bench/synthetic-site) written into `dir`.
func syntheticSpec(_ dir: URL, hosts: Int, classes: Int, variant: Int) throws -> URL {
    let yaml = try run("/bin/sh", [repositoryRoot.appendingPathComponent("bench/synthetic-site").path, "\(hosts)", "\(classes)", "\(variant)"])
    #expect(yaml.status == 0)
    let url = dir.appendingPathComponent("site-\(hosts)-\(classes)-\(variant).yaml")
    try yaml.stdout.write(to: url, atomically: true, encoding: .utf8)
    return url
}

/// A hand-written base config space: directories of several modes, empty ones, files and a
/// symlink; `variant` changes some of it (files and directories that only one variant has).
func makeBase(_ root: URL, variant: Int) throws {
    let fm = FileManager.default
    for index in 0..<40 {
        let directory = root.appendingPathComponent("files/etc/base\(index % 8)/v\(variant)-\(index)")
        try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data("base \(index) variant \(variant)\n".utf8).write(to: directory.appendingPathComponent("DEFAULT"))
        #expect(chmod(directory.path, [0o755, 0o750, 0o775, 0o711][index % 4]) == 0)
    }
    try fm.createDirectory(at: root.appendingPathComponent("files/empty-\(variant)/inner"), withIntermediateDirectories: true)
    try fm.createDirectory(at: root.appendingPathComponent("class"), withIntermediateDirectories: true)
    try Data("#!/bin/sh\necho BASE\(variant)\n".utf8).write(to: root.appendingPathComponent("class/10-base"))
    #expect(chmod(root.appendingPathComponent("class/10-base").path, 0o755) == 0)
    #expect(symlink("10-base", root.appendingPathComponent("class/11-link").path) == 0)
}

/// Runs faigen under strace, which sends SIGKILL (or makes the call fail) on the `when`-th
/// call of `syscall` in some thread; says whether faigen was killed.
@discardableResult
func faigenUnderStrace(_ inject: String, _ arguments: [String], directory: URL? = nil) throws -> RunResult {
    let strace = try requireTool("/usr/bin/strace", package: "strace")
    return try run(strace, ["-f", "-o", "/dev/null", "-e", "inject=\(inject)", faigenBinary.path] + arguments, directory: directory)
}

@Suite struct RenderRecovery {
    // MARK: issue 7.1, 7.2: the manifest cannot name a path outside OUTDIR

    static let craftedPaths: [(path: String, column: Int)] = [
        ("../victim", 73), ("/x", 73), ("../dir/sub/keep", 73), ("class/../../victim", 79), ("a//b", 75),
        ("./victim", 73), ("class/", 79), (".git/config", 73), (".faigen/manifest", 73), ("a/\u{301}/../../victim", 76),
    ]

    @Test(arguments: craftedPaths.indices, [Manifest.path, Manifest.pendingPath])
    func manifestPathOutsideOutdirIsOneLocatedErrorAndNothingChanges(index: Int, record: String) throws {
        let (path, column) = Self.craftedPaths[index]
        let dir = try scratchDirectory()
        let out = dir.appendingPathComponent("out")
        #expect(try faigen("render", out.path, directory: dir).status == 0)
        // The victims outside OUTDIR, with their real hash and mode in the crafted line.
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("dir/sub"), withIntermediateDirectories: true)
        for victim in ["victim", "dir/sub/keep"] { try Data("precious\n".utf8).write(to: dir.appendingPathComponent(victim)) }
        // Line 2 holds the crafted line, after the first comment line of a real manifest.
        let manifestURL = out.appendingPathComponent(record)
        let lines = try String(contentsOf: out.appendingPathComponent(Manifest.path), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let crafted = [lines[0], "100644 \(sha256Hex(Array("precious\n".utf8))) \(path)"] + lines.dropFirst()
        try Data(crafted.joined(separator: "\n").utf8).write(to: manifestURL)
        let outside = try outputTree(dir).filter { !$0.key.hasPrefix("out/") && $0.key != "out" }
        let inside = try outputTree(out)
        for force in [false, true] {
            // timeout: an absolute path once sent the parent walk into an endless loop.
            let result = try run("/usr/bin/timeout", ["-s", "KILL", "30", faigenBinary.path, "render"] + (force ? ["--force"] : []) + [out.path], directory: dir)
            #expect(result.status == 2, "\(path): \(result.status) \(result.stderr)")
            let stderr = result.stderr.split(separator: "\n")
            #expect(stderr.count == 1, "\(result.stderr)")
            #expect(result.stderr.hasPrefix("faigen: error: \(manifestURL.path):2:\(column): "), "\(path): \(result.stderr)")
            #expect(result.stderr.contains("restore it from version control"), "\(result.stderr)")
        }
        #expect(try outputTree(dir).filter { !$0.key.hasPrefix("out/") && $0.key != "out" } == outside)
        #expect(try outputTree(out) == inside)
    }

    @Test func manifestLineTwiceIsAnError() throws {
        let dir = try scratchDirectory()
        let out = dir.appendingPathComponent("out")
        #expect(try faigen("render", out.path, directory: dir).status == 0)
        let url = out.appendingPathComponent(Manifest.path)
        let text = try String(contentsOf: url, encoding: .utf8)
        let first = text.split(separator: "\n").first { !$0.hasPrefix("#") }!
        try (text + first + "\n").write(to: url, atomically: true, encoding: .utf8)
        let result = try faigen("render", out.path, directory: dir)
        #expect(result.status == 2)
        #expect(result.stderr.contains("is recorded twice"), "\(result.stderr)")
    }

    // MARK: issue 7.3: one render at a time per OUTDIR

    @Test func secondRenderFailsAtOnceOrWaitsWithWait() throws {
        let flockTool = try requireTool("/usr/bin/flock", package: "util-linux")
        let dir = try scratchDirectory()
        let out = dir.appendingPathComponent("out")
        #expect(try faigen("render", out.path, directory: dir).status == 0)
        let before = try outputTree(out)
        // Another process holds the lock (flock(1) takes the same flock(2) lock faigen does).
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: flockTool)
        let lockFile = out.appendingPathComponent(".faigen/lock")
        holder.arguments = [lockFile.path, "-c", "echo 4242 > \(lockFile.path); sleep 6"]
        try holder.run()
        for _ in 0..<200 where (try? String(contentsOf: lockFile, encoding: .utf8)) != "4242\n" { usleep(50_000) }
        // The holder keeps the lock for 6 s from about now.
        let held = Date()
        let busy = try faigen("render", "--force", out.path, directory: dir)
        #expect(busy.status == 2)
        #expect(busy.stderr == "faigen: error: \(out.path): another faigen (process 4242) is rendering into this directory (render again when it has finished, or give --wait to wait for it)\n")
        var after = try outputTree(out)
        after[".faigen/lock"] = nil
        #expect(after == before.filter { $0.key != ".faigen/lock" })
        let waited = try faigen("render", "--wait", out.path, directory: dir)
        #expect(waited.status == 0, "\(waited.stderr)")
        #expect(waited.stderr == "faigen: another faigen (process 4242) is rendering into \(out.path); waiting for it to finish\n")
        #expect(Date().timeIntervalSince(held) > 3, "--wait did not wait for the holder")
        holder.waitUntilExit()
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(".faigen/lock").path))
    }

    /// 20 pairs of renders of two different specs into one OUTDIR, each pair started together:
    /// afterwards the tree and the manifest are exactly one spec's, and no file is taken for a hand edit.
    @Test func concurrentRendersOfDifferentSpecsLeaveOneSpecsTree() throws {
        let dir = try scratchDirectory()
        let specs = try [1, 2].map { try syntheticSpec(dir, hosts: 60, classes: 12, variant: $0) }
        var references: [[String: String]] = []
        for (index, spec) in specs.enumerated() {
            let reference = dir.appendingPathComponent("reference\(index)")
            #expect(try faigen("render", "--spec", spec.path, reference.path).status == 0)
            references.append(try outputTree(reference))
        }
        let out = dir.appendingPathComponent("out")
        for pair in 0..<20 {
            var processes: [Process] = []
            for spec in pair % 2 == 0 ? specs : specs.reversed() {
                let process = Process()
                process.executableURL = faigenBinary
                process.arguments = ["render", "--wait", "--spec", spec.path, out.path]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                processes.append(process)
            }
            for process in processes {
                process.waitUntilExit()
                #expect(process.terminationStatus == 0, "pair \(pair)")
            }
            let tree = try outputTree(out)
            let matches = references.contains(tree)
            #expect(matches, "pair \(pair): the tree is neither spec's: \(references.map { differences($0, tree).prefix(3) })")
        }
        for spec in specs {
            let again = try faigen("render", "--spec", spec.path, out.path)
            #expect(again.status == 0 && again.stderr.isEmpty, "\(again.stderr)")
            #expect(again.stdout.hasSuffix(" 0 kept (edited by hand)\n"), "\(again.stdout)")
        }
    }

    // MARK: issue 7.4: after a kill at any step, the next render leaves exactly one render's tree

    /// A `--base` render over an earlier one, killed (by strace, at an exact system call) while
    /// it creates directories, writes temporaries, renames them into place, removes stale files
    /// and directories, and sets directory modes; sometimes killed twice. The next render leaves
    /// exactly the tree a render into an empty directory makes: no temporary, no directory at
    /// 0700, no directory nobody needs, the manifest of that render.
    @Test(arguments: [
        "mkdir:signal=SIGKILL:when=3", "openat:signal=SIGKILL:when=40", "write:signal=SIGKILL:when=20",
        "syncfs:signal=SIGKILL:when=1", "rename:signal=SIGKILL:when=2", "rename:signal=SIGKILL:when=30",
        "rename:signal=SIGKILL:when=15", "unlink:signal=SIGKILL:when=3", "rmdir:signal=SIGKILL:when=2",
        "chmod:signal=SIGKILL:when=5", "syncfs:signal=SIGKILL:when=2",
    ])
    func baseRenderKilledAtAnyStepIsFinishedByTheNext(inject: String) throws {
        let dir = try scratchDirectory()
        let bases = [dir.appendingPathComponent("base1"), dir.appendingPathComponent("base2")]
        for (index, base) in bases.enumerated() { try makeBase(base, variant: index + 1) }
        let specs = try [1, 2].map { try syntheticSpec(dir, hosts: 80, classes: 20, variant: $0) }
        let reference = dir.appendingPathComponent("reference")
        #expect(try faigen("render", "--base", bases[1].path, "--spec", specs[1].path, reference.path).status == 0)
        let expected = try outputTree(reference)

        let out = dir.appendingPathComponent("out")
        #expect(try faigen("render", "--base", bases[0].path, "--spec", specs[0].path, out.path).status == 0)
        let killed = try faigenUnderStrace(inject, ["render", "--base", bases[1].path, "--spec", specs[1].path, out.path])
        #expect(killed.status == SIGKILL, "\(inject): not killed (\(killed.status) \(killed.stderr))")
        // Killed again rendering the other way, at the same step.
        try faigenUnderStrace(inject, ["render", "--base", bases[0].path, "--spec", specs[0].path, out.path])
        let final = try faigen("render", "--base", bases[1].path, "--spec", specs[1].path, out.path)
        #expect(final.status == 0 && final.stderr.isEmpty, "\(inject): \(final.stderr)")
        let tree = try outputTree(out)
        #expect(differences(expected, tree).isEmpty, "\(inject): \(differences(expected, tree).prefix(10))")
    }

    // MARK: issue 7.11: a failure after validation leaves OUTDIR as it was

    @Test(arguments: ["write:error=ENOSPC:when=8", "openat:error=EACCES:when=150", "mkdir:error=EDQUOT:when=4",
                      "symlink:error=ENOSPC:when=1", "syncfs:error=EIO:when=1"])
    func failedWriteLeavesOutdirAsItWas(inject: String) throws {
        let dir = try scratchDirectory()
        let base = dir.appendingPathComponent("base")
        try makeBase(base, variant: 1)
        let spec = try syntheticSpec(dir, hosts: 80, classes: 20, variant: 1)
        // Into a new directory: afterwards it does not exist.
        let fresh = dir.appendingPathComponent("new/out")
        let first = try faigenUnderStrace(inject, ["render", "--base", base.path, "--spec", spec.path, fresh.path])
        #expect(first.status == 2, "\(inject): \(first.status) \(first.stderr)")
        let left = try outputTree(dir.appendingPathComponent("new")).keys.sorted()
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("new").path), "\(inject): \(left.prefix(5))")
        // Over an earlier render: every entry as it was, no manifest.pending, no new directory.
        let out = dir.appendingPathComponent("out")
        #expect(try faigen("render", "--spec", spec.path, out.path).status == 0)
        let before = try outputTree(out)
        let again = try faigenUnderStrace(inject, ["render", "--base", base.path, "--spec", spec.path, out.path])
        #expect(again.status == 2, "\(inject): \(again.status) \(again.stderr)")
        #expect(again.stderr.split(separator: "\n").count == 1, "\(again.stderr)")
        let after = try outputTree(out)
        #expect(differences(before, after).isEmpty, "\(inject): \(differences(before, after).prefix(5))")
    }

    @Test func longestNamesRenderAndLongerOnesAreSpecErrors() throws {
        let dir = try scratchDirectory()
        let label = String(repeating: "a", count: 63)
        let host = [label, label, label, String(repeating: "b", count: 61)].joined(separator: ".")
        let longest = String(repeating: "C", count: 251)
        let spec = dir.appendingPathComponent("faigen.yaml")
        try "site: long\nversion: 1\nclasses:\n  \(longest): {var: {A: b}}\nhosts:\n  - {name: \(host), classes: [\(longest)]}\n"
            .write(to: spec, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        let result = try faigen("render", out.path, directory: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("class/\(host)").path))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("class/\(longest).var").path))

        let tooLong = String(repeating: "C", count: 252)
        try "site: long\nversion: 1\nclasses:\n  \(tooLong): {var: {A: b}}\n".write(to: spec, atomically: true, encoding: .utf8)
        let fresh = dir.appendingPathComponent("fresh")
        let refused = try faigen("render", fresh.path, directory: dir)
        #expect(refused.status == 2)
        #expect(refused.stderr.hasPrefix("faigen: error: \(spec.path):4:3: class name of 252 characters is too long"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: fresh.path))

        let longPart = String(repeating: "n", count: 256)
        try "site: long\nversion: 1\nclasses:\n  WEB:\n    files:\n      /etc/\(longPart): {content: x}\n"
            .write(to: spec, atomically: true, encoding: .utf8)
        let refusedPath = try faigen("render", fresh.path, directory: dir)
        #expect(refusedPath.status == 2)
        #expect(refusedPath.stderr.hasPrefix("faigen: error: \(spec.path):6:7: invalid file path"), "\(refusedPath.stderr)")
        #expect(!FileManager.default.fileExists(atPath: fresh.path))
    }

    // MARK: issue 8.4: a config space kept in git

    @Test func renderAfterGitCloneReportsNoEditsAndPutsModesBack() throws {
        let git = try requireTool("/usr/bin/git", package: "git")
        let dir = try scratchDirectory()
        let spec = try syntheticSpec(dir, hosts: 10, classes: 5, variant: 1)
        let repo = dir.appendingPathComponent("config")
        #expect(try faigen("render", "--spec", spec.path, repo.path).status == 0)
        let rendered = try outputTree(repo)
        #expect(rendered.values.contains { $0.hasPrefix("f 640 ") }, "the spec has no 0640 file")
        let environment = ["HOME": dir.path, "PATH": "/usr/bin:/bin", "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"]
        for arguments in [["init", "-q", repo.path], ["-C", repo.path, "add", "-A"], ["-C", repo.path, "commit", "-qm", "render"],
                          ["clone", "-q", repo.path, dir.appendingPathComponent("clone").path]] {
            let result = try run(git, arguments, environment: environment)
            #expect(result.status == 0, "git \(arguments): \(result.stderr)")
        }
        let clone = dir.appendingPathComponent("clone")
        #expect(try outputTree(clone).values.contains { $0.hasPrefix("f 640 ") } == false, "git kept a 0640 mode")
        let again = try faigen("render", "--spec", spec.path, clone.path)
        #expect(again.status == 0 && again.stderr.isEmpty, "\(again.stderr)")
        #expect(again.stdout.hasSuffix(", 0 kept (edited by hand)\n"), "\(again.stdout)")
        var tree = try outputTree(clone)
        tree = tree.filter { !$0.key.hasPrefix(".git") }
        #expect(differences(rendered, tree).isEmpty, "\(differences(rendered, tree).prefix(5))")

        // A real edit in a clone is still one.
        let clone2 = dir.appendingPathComponent("clone2")
        #expect(try run(git, ["clone", "-q", repo.path, clone2.path], environment: environment).status == 0)
        let edited = try #require(rendered.first { $0.value.hasPrefix("f 640 ") }?.key)
        try Data("mine\n".utf8).write(to: clone2.appendingPathComponent(edited))
        let caught = try faigen("render", "--spec", spec.path, clone2.path)
        #expect(caught.status == 0)
        #expect(caught.stdout.hasSuffix(", 1 kept (edited by hand)\n"), "\(caught.stdout)")
        #expect(caught.stderr.contains("\(edited): edited by hand"), "\(caught.stderr)")
        #expect(try String(contentsOf: clone2.appendingPathComponent(edited), encoding: .utf8) == "mine\n")
    }
}

/// The paths whose entries differ, each with both sides.
func differences(_ expected: [String: String], _ actual: [String: String]) -> [String] {
    Set(expected.keys).union(actual.keys).sorted().compactMap { path in
        expected[path] == actual[path] ? nil : "\(path): expected \(expected[path] ?? "nothing"), got \(actual[path] ?? "nothing")"
    }
}
