// Reading a config space and writing it back gives the same tree: bytes, modes, links, empty directories.
import Foundation
import Testing
@testable import FaiSpace
#if canImport(Glibc)
import Glibc
#endif

@Suite struct ConfigSpaceRoundTripTests {
    @Test func faiDocExampleIsWrittenBackIdentical() throws {
        _ = try requireTool(faiDocExample + "/class/50-host-classes", package: "fai-doc")
        let space = try ConfigSpaceReader.read(faiDocExample)
        let out = try scratchDirectory().appendingPathComponent("copy").path
        try space.write(to: out)
        let expected = snapshot(faiDocExample), actual = snapshot(out)
        #expect(expected.count > 90)
        #expect(differences(expected, actual) == [])
    }

    @Test func faiDocExampleIsSplitIntoFaiParts() throws {
        _ = try requireTool(faiDocExample + "/class/50-host-classes", package: "fai-doc")
        let space = try ConfigSpaceReader.read(faiDocExample)
        #expect(space.classScripts.map(\.name).contains("50-host-classes"))
        #expect(space.classScripts.first { $0.name == "20-hwdetect.sh" }?.kind == .sourced)
        #expect(space.classScripts.first { $0.name == "50-host-classes" }?.kind == .executed)
        #expect(space.classVariables.map(\.className).contains("FAIBASE"))
        #expect(space.packageLists.map(\.className).contains("DEBIAN"))
        #expect(space.aptKeys.map(\.className) == ["DEBIAN.gpg"])
        #expect(space.hooks.contains { $0.task == "savelog" && $0.className == "LAST" && $0.isSourced })
        #expect(space.hooks.contains { $0.task == "instsoft" && $0.className == "DEBIAN" && !$0.isSourced })
        #expect(space.customizationScripts.contains { $0.className == "FAIBASE" && $0.name == "10-misc" })
        let rcLocal = space.fcopyEntries.first { $0.destination == "/etc/rc.local" }
        #expect(rcLocal?.classes == ["CLOUD", "FAISERVER"])
        #expect(space.diskConfigs.map(\.className).contains("LVM"))
        #expect(space.debconfs.map(\.className) == ["CLOUD", "DEBIAN", "GERMAN"])
        #expect(space.basefiles.map(\.path) == ["basefiles/mk-basefile"])
        #expect(space.tests.map(\.path).sorted() == ["tests/FAIBASE_TEST", "tests/Faitest.pm"])
        #expect(space.otherFiles.map(\.path) == ["class/example.profile"])
        #expect(space.directories.contains(Directory(path: "files/root-ssh-key", mode: 0o755)))
        let xorg = try #require(space.packageLists.first { $0.className == "XORG" })
        #expect(xorg.sections.first?.command == PackagesCommand(command: "install-norec", classes: ["DEBIAN"]))
    }

    @Test func oddModesSymlinksAndEmptyDirectoriesSurvive() throws {
        let root = try scratchDirectory()
        let tree = root.appendingPathComponent("space")
        try makeFile(tree, "class/10-base", "#!/bin/sh\necho BASE\n", mode: 0o755)
        try makeFile(tree, "class/secret.var", "PW=x\n", mode: 0o600)
        try makeFile(tree, "files/usr/bin/ping/DEBIAN", "elf", mode: 0o4755)
        try makeFile(tree, "files/tmp/sticky/DEBIAN", "t", mode: 0o1777)
        try makeFile(tree, "files/srv/shared/DEBIAN", "g", mode: 0o2750)
        try makeFile(tree, "package_config/DEBIAN", "PACKAGES install\nvim\n", mode: 0o640)
        try FileManager.default.createDirectory(at: tree.appendingPathComponent("hooks/empty"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: tree.appendingPathComponent("files/locked"), withIntermediateDirectories: true)
        #expect(chmod(tree.appendingPathComponent("files/locked").path, 0o500) == 0)
        try FileManager.default.createDirectory(at: tree.appendingPathComponent("scripts/DEMO"), withIntermediateDirectories: true)
        #expect(symlink("../../class/10-base", tree.appendingPathComponent("scripts/DEMO/10-base").path) == 0)
        #expect(symlink("/nowhere/at/all", tree.appendingPathComponent("files/dangling").path) == 0)

        let space = try ConfigSpaceReader.read(tree.path)
        #expect(space.symlinks.map(\.path) == ["files/dangling", "scripts/DEMO/10-base"])
        let out = root.appendingPathComponent("out").path
        try space.write(to: out)
        let expected = snapshot(tree.path), actual = snapshot(out)
        #expect(expected["files/usr/bin/ping/DEBIAN"] == .file(mode: 0o4755, contents: Array("elf".utf8)))
        #expect(expected["files/dangling"] == .symlink(target: "/nowhere/at/all"))
        #expect(expected["hooks/empty"] == .directory(mode: 0o755))
        #expect(differences(expected, actual) == [])
    }

    @Test func writingIntoANonEmptyDirectoryIsRefused() throws {
        let root = try scratchDirectory()
        try makeFile(root, "keep", "mine\n")
        var space = ConfigSpace()
        space.otherFiles = [ConfigFile(path: "README", contents: Array("x".utf8))]
        #expect(throws: InputError.self) { try space.write(to: root.path) }
        #expect(snapshot(root.path).keys.sorted() == ["keep"])
    }

    @Test func pathsOutsideTheRootAreRefused() throws {
        let root = try scratchDirectory().appendingPathComponent("out")
        var space = ConfigSpace()
        space.otherFiles = [ConfigFile(path: "../escape", contents: [])]
        #expect(throws: InputError.self) { try space.write(to: root.path) }
        #expect(!FileManager.default.fileExists(atPath: root.deletingLastPathComponent().appendingPathComponent("escape").path))
    }
}
