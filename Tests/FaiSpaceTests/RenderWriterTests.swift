// RenderWriter: the Safety rules of DESIGN.md, one test each.
import Foundation
import Testing
@testable import FaiSpace
#if canImport(Glibc)
import Glibc
#endif

@Suite struct RenderWriterTests {
    static let hook = GeneratedFile(path: "hooks/defclass.DEFAULT.sh", contents: Array("#!/bin/sh\n: hook\n".utf8), mode: 0o755)
    static let detect = GeneratedFile(path: "class/60-detect-XenServer", contents: Array("#!/bin/sh\necho XENSERVER\n".utf8), mode: 0o755)

    func text(_ root: URL, _ path: String) -> String? {
        FileManager.default.contents(atPath: root.appendingPathComponent(path).path).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func manifestRecordsPathShaAndModeSorted() throws {
        let out = try scratchDirectory()
        let report = try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: [Self.hook, Self.detect], force: false)
        #expect(report.written == ["class/60-detect-XenServer", "hooks/defclass.DEFAULT.sh"])
        let manifest = try #require(text(out, ".faigen/manifest"))
        let lines = manifest.split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(lines == [
            "100755 \(sha256Hex(Self.detect.contents)) class/60-detect-XenServer",
            "100755 \(sha256Hex(Self.hook.contents)) hooks/defclass.DEFAULT.sh",
            "040755 - class",
            "040755 - hooks",
        ])
        #expect(snapshot(out.path)["hooks/defclass.DEFAULT.sh"] == .file(mode: 0o755, contents: Self.hook.contents))
        let again = try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: [Self.hook, Self.detect], force: false)
        #expect(again.unchanged == ["class/60-detect-XenServer", "hooks/defclass.DEFAULT.sh"])
        #expect(again.written.isEmpty)
    }

    /// What a render killed after writing its pending manifest leaves: the pending record,
    /// and (when it got that far) some of its files renamed into place.
    func simulateKilledRender(_ out: URL, _ generated: [GeneratedFile], renamed: [GeneratedFile]) throws {
        let plan = try RenderWriter.plan(outputDirectory: out.path, base: nil, generated: generated, force: false)
        if let settled = plan.settled {
            try Data(settled.contents).write(to: out.appendingPathComponent(Manifest.path))
        }
        try Data(plan.manifest.contents).write(to: out.appendingPathComponent(Manifest.pendingPath))
        for file in renamed { try makeFile(out, file.path, String(decoding: file.contents, as: UTF8.self), mode: file.mode) }
    }

    @Test func filesOfAKilledRenderAreNotTakenForHandEdits() throws {
        let out = try scratchDirectory()
        var hookB = Self.hook, detectB = Self.detect
        hookB.contents = Array("#!/bin/sh\n: hook B\n".utf8)
        detectB.contents = Array("#!/bin/sh\necho B\n".utf8)
        try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: [Self.hook, Self.detect], force: false)
        #expect(text(out, Manifest.pendingPath) == nil, "a finished render leaves no pending manifest")

        // Killed rendering B after one rename, then killed rendering A again before any.
        try simulateKilledRender(out, [hookB, detectB], renamed: [hookB])
        try simulateKilledRender(out, [Self.hook, Self.detect], renamed: [])
        let report = try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: [hookB, detectB], force: false)
        #expect(report.keptEdited.isEmpty)
        #expect(report.unchanged == [hookB.path])
        #expect(report.written == [detectB.path])
        #expect(text(out, detectB.path) == "#!/bin/sh\necho B\n")
        #expect(text(out, Manifest.pendingPath) == nil)

        // A hand edit after all that is still one.
        try makeFile(out, hookB.path, "#!/bin/sh\n: mine\n", mode: 0o755)
        let edited = try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: [Self.hook, Self.detect], force: false)
        #expect(edited.keptEdited == [hookB.path])
    }

    @Test func aFileOnlyAKilledRenderWroteIsRemovedWhenNoLongerRendered() throws {
        let out = try scratchDirectory()
        try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: [Self.hook], force: false)
        try simulateKilledRender(out, [Self.hook, Self.detect], renamed: [Self.detect])
        let report = try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: [Self.hook], force: false)
        #expect(report.removed == [Self.detect.path])
        #expect(text(out, Self.detect.path) == nil)
    }

    @Test func filesFaigenDidNotWriteAreKept() throws {
        let out = try scratchDirectory()
        try makeFile(out, "class/50-host-classes", "#!/bin/sh\necho MINE\n", mode: 0o755)
        try makeFile(out, "package_config/DEBIAN", "PACKAGES install\nvim\n")
        let before = snapshot(out.path)
        try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: [Self.detect], force: false)
        let after = snapshot(out.path, excluding: [".faigen"])
        for (path, entry) in before { #expect(after[path] == entry, "\(path)") }
    }

    @Test func handEditIsReportedAndKeptUnlessForced() throws {
        let out = try scratchDirectory()
        try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: [Self.hook], force: false)
        try makeFile(out, Self.hook.path, "#!/bin/sh\n: edited by hand\n", mode: 0o755)
        var newer = Self.hook
        newer.contents = Array("#!/bin/sh\n: hook v2\n".utf8)

        let kept = try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: [newer], force: false)
        #expect(kept.keptEdited == [Self.hook.path])
        #expect(kept.written.isEmpty)
        #expect(text(out, Self.hook.path) == "#!/bin/sh\n: edited by hand\n")
        // Still reported on the next render: the manifest keeps the old record.
        let stillKept = try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: [newer], force: false)
        #expect(stillKept.keptEdited == [Self.hook.path])

        let forced = try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: [newer], force: true)
        #expect(forced.written == [Self.hook.path])
        #expect(forced.overwrittenEdited == [Self.hook.path])
        #expect(text(out, Self.hook.path) == "#!/bin/sh\n: hook v2\n")
    }

    @Test func modeChangeByHandCountsAsAnEdit() throws {
        let out = try scratchDirectory()
        try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: [Self.hook], force: false)
        #expect(chmod(out.appendingPathComponent(Self.hook.path).path, 0o700) == 0)
        let report = try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: [Self.hook], force: false)
        #expect(report.keptEdited == [Self.hook.path])
        #expect(snapshot(out.path)[Self.hook.path] == .file(mode: 0o700, contents: Self.hook.contents))
    }

    @Test func staleGeneratedFileIsRemovedWithItsEmptyDirectory() throws {
        let out = try scratchDirectory()
        try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: [Self.hook, Self.detect], force: false)
        let report = try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: [Self.detect], force: false)
        #expect(report.removed == [Self.hook.path])
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("hooks").path))
        #expect(text(out, ".faigen/manifest")?.contains("hooks/") == false)
    }

    @Test func staleButEditedFileIsKept() throws {
        let out = try scratchDirectory()
        try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: [Self.hook], force: false)
        try makeFile(out, Self.hook.path, "mine now\n", mode: 0o755)
        let report = try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: [], force: false)
        #expect(report.keptEdited == [Self.hook.path])
        #expect(report.removed.isEmpty)
        #expect(text(out, Self.hook.path) == "mine now\n")
    }

    @Test func conflictChangesNothing() throws {
        let out = try scratchDirectory()
        try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: [Self.hook], force: false)
        try makeFile(out, Self.detect.path, "#!/bin/sh\necho HANDWRITTEN\n", mode: 0o755)
        let before = snapshot(out.path)
        var newer = Self.hook
        newer.contents = Array("changed\n".utf8)
        let extra = GeneratedFile(path: "files/etc/motd/DEFAULT", contents: Array("hi\n".utf8))
        for force in [false, true] {
            #expect {
                try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: [newer, Self.detect, extra], force: force)
            } throws: { error in
                (error as? InputError)?.description.contains("class/60-detect-XenServer: exists, differs from what the render writes, and was not written by faigen") == true
            }
            #expect(differences(before, snapshot(out.path)) == [])
        }
        let plan = try RenderWriter.plan(outputDirectory: out.path, base: nil, generated: [newer, Self.detect], force: false)
        #expect(plan.conflicts.count == 1)
    }

    @Test func directoryWhereAFileGoesIsAConflict() throws {
        let out = try scratchDirectory()
        try FileManager.default.createDirectory(at: out.appendingPathComponent(Self.hook.path), withIntermediateDirectories: true)
        try makeFile(out, "class", "a file where a directory goes\n")
        let plan = try RenderWriter.plan(outputDirectory: out.path, base: nil, generated: [Self.hook, Self.detect], force: true)
        #expect(plan.conflicts.count == 2)
        #expect(throws: InputError.self) {
            try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: [Self.hook, Self.detect], force: true)
        }
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(".faigen").path))
    }

    @Test func identicalHandWrittenFileIsAdopted() throws {
        let out = try scratchDirectory()
        try makeFile(out, Self.hook.path, "#!/bin/sh\n: hook\n", mode: 0o755)
        let report = try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: [Self.hook], force: false)
        #expect(report.unchanged == [Self.hook.path])
        #expect(text(out, ".faigen/manifest")?.contains(Self.hook.path) == true)
    }

    @Test func noTemporaryFilesAreLeft() throws {
        let out = try scratchDirectory()
        try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: [Self.hook, Self.detect], force: false)
        var newer = Self.detect
        newer.contents = Array("#!/bin/sh\necho XEN\n".utf8)
        try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: [Self.hook, newer], force: false)
        let paths = snapshot(out.path).keys.sorted()
        #expect(paths == [".faigen", ".faigen/manifest", "class", "class/60-detect-XenServer", "hooks", "hooks/defclass.DEFAULT.sh"])
    }

    /// Enough files for the plan and the writes to be shared between cores, given out of order.
    @Test func manyFilesInManyDirectoriesAreWrittenAndRecognised() throws {
        let out = try scratchDirectory()
        var files = (0..<600).map { index in
            GeneratedFile(path: "files/etc/d\(index % 40)/f\(index)/CLASS\(index % 3)",
                          contents: Array("content \(index)\n".utf8), mode: index % 7 == 0 ? 0o755 : 0o640)
        }
        files.reverse()
        let report = try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: files, force: false)
        #expect(report.written == files.map(\.path).sorted())
        let tree = snapshot(out.path, excluding: [".faigen"])
        for file in files { #expect(tree[file.path] == .file(mode: file.mode, contents: file.contents), "\(file.path)") }
        let manifest = try #require(text(out, ".faigen/manifest"))
        #expect(manifest.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.hasPrefix("04") }
            == files.sorted { $0.path < $1.path }.map { "\(String(0o100000 | $0.mode, radix: 8)) \(sha256Hex($0.contents)) \($0.path)" })
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(Manifest.pendingPath).path))

        var changed = files
        for index in stride(from: 0, to: changed.count, by: 50) { changed[index].contents += Array("more\n".utf8) }
        let again = try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: changed, force: false)
        #expect(again.written == stride(from: 0, to: changed.count, by: 50).map { changed[$0].path }.sorted())
        #expect(again.unchanged.count == files.count - again.written.count)
        #expect(!snapshot(out.path).keys.contains { $0.contains(".faigen-") })
    }

    @Test func baseAndGeneratedTogether() throws {
        let root = try scratchDirectory()
        let baseDir = root.appendingPathComponent("base")
        try makeFile(baseDir, "class/10-base", "#!/bin/sh\necho BASE\n", mode: 0o755)
        try makeFile(baseDir, "class/60-detect-XenServer", "old\n", mode: 0o755)
        try FileManager.default.createDirectory(at: baseDir.appendingPathComponent("files/empty"), withIntermediateDirectories: true)
        #expect(symlink("nowhere", baseDir.appendingPathComponent("files/dangling").path) == 0)
        let base = try ConfigSpaceReader.read(baseDir.path)
        let out = root.appendingPathComponent("out")
        try RenderWriter.apply(outputDirectory: out.path, base: base, generated: [Self.detect], force: false)
        var expected = snapshot(baseDir.path)
        expected["class/60-detect-XenServer"] = .file(mode: 0o755, contents: Self.detect.contents)
        #expect(differences(expected, snapshot(out.path, excluding: [".faigen"])) == [])
        #expect(text(out, ".faigen/manifest")?.contains("120000 \(sha256Hex(Array("nowhere".utf8))) files/dangling") == true)
    }

    @Test(arguments: ["../x", "/etc/passwd", ".faigen/manifest", "a//b", "./a"])
    func pathsOutsideTheSpaceAreRefused(path: String) throws {
        let out = try scratchDirectory()
        #expect(throws: InputError.self) {
            try RenderWriter.apply(outputDirectory: out.path, base: nil,
                                   generated: [GeneratedFile(path: path, contents: [])], force: false)
        }
        #expect(snapshot(out.path).isEmpty)
    }

    @Test func brokenManifestIsAnErrorWithItsLine() throws {
        let out = try scratchDirectory()
        try makeFile(out, ".faigen/manifest", "# comment\n100644 abc class/x\n")
        #expect {
            try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: [Self.hook], force: false)
        } throws: { error in
            (error as? InputError)?.description.contains("manifest:2:8: not a SHA-256 in lower-case hex") == true
        }
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("hooks").path))
    }

    @Test func secondLockOnOneOutdirFailsUntilTheFirstIsReleased() throws {
        let out = try scratchDirectory().appendingPathComponent("new/out")
        let first = try OutputLock.acquire(out.path, wait: false)
        #expect(throws: InputError.self) { _ = try OutputLock.acquire(out.path, wait: false) }
        #expect(throws: InputError.self) {
            try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: [Self.hook], force: false)
        }
        first.release()
        // Released: the lock file and the directories made for it are gone, and the next one gets it.
        #expect(!FileManager.default.fileExists(atPath: out.deletingLastPathComponent().path))
        try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: [Self.hook], force: false)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent(".faigen/lock").path))
    }

    @Test func outdirThroughASymlinkedFaigenDirectoryIsRefused() throws {
        let root = try scratchDirectory()
        let out = root.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("elsewhere"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        #expect(symlink("../elsewhere", out.appendingPathComponent(".faigen").path) == 0)
        #expect {
            try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: [Self.hook], force: false)
        } throws: { error in
            (error as? InputError)?.description.contains(".faigen: is not a directory") == true
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("elsewhere").path).isEmpty)
    }

    /// git stores 100644 or 100755 only: a 0640 file comes back 0644 (0664 under umask 002).
    @Test(arguments: [(0o640, 0o644, true), (0o640, 0o664, true), (0o750, 0o755, true), (0o4755, 0o755, true),
                      (0o640, 0o600, false), (0o755, 0o644, false), (0o640, 0o666, false), (0o644, 0o755, false)])
    func modeGitGivesOnCheckoutIsNoEdit(written: UInt32, cloned: UInt32, adopted: Bool) throws {
        let out = try scratchDirectory()
        var file = Self.hook
        file.mode = written
        try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: [file], force: false)
        #expect(chmod(out.appendingPathComponent(file.path).path, mode_t(cloned)) == 0)
        let report = try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: [file], force: false)
        #expect(report.keptEdited == (adopted ? [] : [file.path]))
        #expect(snapshot(out.path)[file.path] == .file(mode: adopted ? written : cloned, contents: file.contents))
    }

    @Test func directoriesFaigenMadeGoWhenNothingNeedsThem() throws {
        let root = try scratchDirectory()
        let baseDir = root.appendingPathComponent("base")
        try FileManager.default.createDirectory(at: baseDir.appendingPathComponent("files/empty/inner"), withIntermediateDirectories: true)
        #expect(chmod(baseDir.appendingPathComponent("files/empty").path, 0o750) == 0)
        let out = root.appendingPathComponent("out")
        try makeFile(out, "files/mine/keep", "a hand-written file\n")
        try RenderWriter.apply(outputDirectory: out.path, base: try ConfigSpaceReader.read(baseDir.path), generated: [Self.hook], force: false)
        #expect(snapshot(out.path)["files/empty"] == .directory(mode: 0o750))
        #expect(text(out, Manifest.path)?.contains("040750 - files/empty\n") == true)
        // The directory "files" was there before faigen: not recorded, never removed.
        #expect(text(out, Manifest.path)?.contains(" - files\n") == false)
        try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: [], force: false)
        #expect(snapshot(out.path, excluding: [".faigen"]).keys.sorted() == ["files", "files/mine", "files/mine/keep"])
    }

    /// A walk up the parents of any path ends, one step per `/` at most (an absolute manifest
    /// path once sent the walk into an endless loop).
    @Test(arguments: ["/x", "/", "//", "a/b/c", "../x", "a//b/", "/\u{301}/x", "x"])
    func everyWalkUpTheParentsEnds(path: String) {
        var parent = path, steps = 0
        while !parent.isEmpty, steps <= path.utf8.count {
            parent = parent.parentPath
            steps += 1
        }
        #expect(parent.isEmpty)
        #expect(RelativePath.ancestors(of: path).count <= path.utf8.filter { $0 == 0x2F }.count)
    }

    @Test func ancestorsAreThePrefixesBeforeEachSlash() {
        #expect(RelativePath.ancestors(of: "files/etc/motd/DEFAULT") == ["files", "files/etc", "files/etc/motd"])
        #expect(RelativePath.ancestors(of: "a/\u{301}b/c") == ["a", "a/\u{301}b"])
        #expect(RelativePath.ancestors(of: "name").isEmpty)
    }
}
