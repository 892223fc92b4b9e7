// ConfigSpaceReader: what is kept as found, and the bad input that is one InputError.
import Foundation
import Testing
@testable import FaiSpace
#if canImport(Glibc)
import Glibc
#endif

@Suite struct ConfigSpaceReaderTests {
    func message(_ body: () throws -> Void) -> String? {
        do { try body() } catch let error as InputError { return error.description } catch { return "\(error)" }
        return nil
    }

    @Test func partsOfASyntheticSpace() throws {
        let root = try scratchDirectory()
        try makeFile(root, "class/20-detect.sh", "newclasses=X\n", mode: 0o755)
        try makeFile(root, "class/30-old.bak", "", mode: 0o755)
        try makeFile(root, "class/demohost", "# host classes\nFAIBASE DEMO\nXORG\n")
        try makeFile(root, "class/README", "notes\n")
        try makeFile(root, "files/etc/motd/FAIBASE", "hi\n")
        try makeFile(root, "files/etc/motd/postinst", "#!/bin/sh\n", mode: 0o755)
        try makeFile(root, "files/etc/motd/preinst", "#!/bin/sh\n", mode: 0o755)
        try makeFile(root, "files/etc/motd/file-modes", "root root 0644 FAIBASE\n")
        try makeFile(root, "files/etc/motd/_substitute", "")
        try makeFile(root, "files/etc/fai/NFSROOT/DEFAULT", "PACKAGES install\npcre2-utils\n")
        try makeFile(root, "files/etc/fai/NFSROOT/postinst", "#!/bin/sh\n", mode: 0o755)
        try makeFile(root, "hooks/partition.DEFAULT", "#!/bin/sh\n", mode: 0o755)
        try makeFile(root, "hooks/README", "x\n")
        try makeFile(root, "scripts/DEMO/10-misc", "#!/bin/sh\n", mode: 0o755)
        try makeFile(root, "scripts/DEMO/notes~", "", mode: 0o644)
        try makeFile(root, "package_config/DEMO.asc", "key\n")
        try makeFile(root, "package_config/notes.txt", "\u{0}binary is fine here\n")
        try makeFile(root, ".git/HEAD", "ref: refs/heads/main\n")
        try makeFile(root, ".faigen/manifest", "")
        try makeFile(root, "README.md", "a config space\n")

        let space = try ConfigSpaceReader.read(root.path)
        #expect(space.classScripts.map(\.kind) == [.sourced, .backup])
        #expect(space.classScripts.map(\.isRun) == [true, false])
        #expect(space.hostClassFiles.map(\.hostname) == ["demohost"])
        #expect(space.hostClassFiles.first?.classes == ["FAIBASE", "DEMO", "XORG"])
        let motd = try #require(space.fcopyEntries.first { $0.destination == "/etc/motd" })
        #expect(motd.classes == ["FAIBASE"])
        #expect(motd.postinst?.mode == 0o755 && motd.preinst != nil && motd.fileModes != nil && motd.substitute != nil)
        #expect(space.nfsrootPackageLists.map(\.path) == ["files/etc/fai/NFSROOT/DEFAULT"])
        #expect(space.nfsrootPackageLists.first?.sections.first?.packages.map(\.name) == ["pcre2-utils"])
        #expect(space.fcopyEntries.first { $0.destination == "/etc/fai/NFSROOT" }?.postinst != nil)
        #expect(space.hooks.map(\.task) == ["partition"])
        #expect(space.hooks.first?.hasKnownTask == true)
        #expect(space.customizationScripts.map(\.isRun) == [true, false])
        #expect(space.aptKeys.map(\.className) == ["DEMO.asc"])
        #expect(space.otherFiles.map(\.path) == ["README.md", "class/README", "hooks/README", "package_config/notes.txt"])
        #expect(!space.entries.contains { $0.path.hasPrefix(".git") || $0.path.hasPrefix(".faigen") })
    }

    @Test func binaryPackageListIsAnErrorWithPlace() throws {
        let root = try scratchDirectory()
        try makeFile(root, "package_config/DEBIAN", bytes: Array("PACKAGES install\n".utf8) + [0x89, 0x50, 0x4E, 0x47])
        #expect(message { _ = try ConfigSpaceReader.read(root.path) }
                == "\(root.path)/package_config/DEBIAN:2:1: binary file (not UTF-8 text) where a package list should be (a UTF-8 text file is expected here)")
    }

    @Test func binaryNfsrootListIsAnError() throws {
        let root = try scratchDirectory()
        try makeFile(root, "files/etc/fai/NFSROOT/DEFAULT", bytes: [0])
        #expect(message { _ = try ConfigSpaceReader.read(root.path) }?
            .hasPrefix("\(root.path)/files/etc/fai/NFSROOT/DEFAULT:1:1: binary file (NUL byte) where a package list should be") == true)
    }

    @Test func danglingSymlinkIsKeptExceptWhereContentIsNeeded() throws {
        let root = try scratchDirectory()
        try FileManager.default.createDirectory(at: root.appendingPathComponent("package_config"), withIntermediateDirectories: true)
        #expect(symlink("gone", root.appendingPathComponent("disk_config").path) == 0)
        #expect(try ConfigSpaceReader.read(root.path).symlinks == [Symlink(path: "disk_config", target: "gone")])
        #expect(symlink("/gone/DEBIAN", root.appendingPathComponent("package_config/DEBIAN").path) == 0)
        #expect(message { _ = try ConfigSpaceReader.read(root.path) }
                == "\(root.path)/package_config/DEBIAN: dangling symlink (to /gone/DEBIAN) where a package list should be (point the symlink at an existing file or remove it)")
    }

    @Test func directoryWhereAPackageListShouldBe() throws {
        let root = try scratchDirectory()
        try FileManager.default.createDirectory(at: root.appendingPathComponent("package_config/DEBIAN"), withIntermediateDirectories: true)
        #expect(message { _ = try ConfigSpaceReader.read(root.path) }
                == "\(root.path)/package_config/DEBIAN: a directory where a package list should be (remove or rename the directory)")
    }

    @Test func fifoIsRefusedWithoutOpeningIt() throws {
        let root = try scratchDirectory()
        try FileManager.default.createDirectory(at: root.appendingPathComponent("class"), withIntermediateDirectories: true)
        #expect(mkfifo(root.appendingPathComponent("class/10-pipe").path, 0o755) == 0)
        #expect(message { _ = try ConfigSpaceReader.read(root.path) }?
            .hasPrefix("\(root.path)/class/10-pipe: is a FIFO, not a file, directory or symlink") == true)
    }

    @Test func missingRootOrFileRoot() throws {
        let root = try scratchDirectory()
        #expect(message { _ = try ConfigSpaceReader.read(root.path + "/nope") } == "\(root.path)/nope: no such directory (give the path of an FAI config space)")
        try makeFile(root, "file", "")
        #expect(message { _ = try ConfigSpaceReader.read(root.path + "/file") } == "\(root.path)/file: not a directory (give the path of an FAI config space)")
    }

    @Test func lintReadKeepsGoingWithRelativePaths() throws {
        let root = try scratchDirectory()
        try makeFile(root, "class/50-host-classes", "#!/bin/sh\necho A\n", mode: 0o755)
        try makeFile(root, "package_config/DEBIAN", bytes: [0x00])
        try makeFile(root, "package_config/GOOD", "PACKAGES install\nvim\n")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("package_config/DIR"), withIntermediateDirectories: true)
        #expect(symlink("nowhere", root.appendingPathComponent("package_config/LINK").path) == 0)
        #expect(mkfifo(root.appendingPathComponent("package_config/PIPE").path, 0o644) == 0)
        let read = try ConfigSpaceReader.readForLint(root.path, maxFileBytes: 1 << 20)
        #expect(read.problems.map { $0.location?.file ?? "" } == ["package_config/LINK", "package_config/PIPE",
                                                                    "package_config/DEBIAN", "package_config/DIR"])
        #expect(read.space.packageLists.map(\.className) == ["GOOD"])
        #expect(read.space.otherFiles.map(\.path) == ["package_config/DEBIAN"])
        #expect(read.links == [LinkResolution(path: "package_config/LINK", target: "nowhere", resolved: .dangling)])
    }

    /// Lint's reading follows a link to a file inside the space and reads it in the link's
    /// place; render's reading keeps every link a link (the --base copy stays faithful).
    @Test func lintFollowsLinksRenderKeepsThem() throws {
        let root = try scratchDirectory()
        try makeFile(root, "class/50-host-classes", "#!/bin/sh\necho A\n", mode: 0o755)
        try makeFile(root, "lists/debian", "PACKAGES install\nvim\n", mode: 0o640)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("package_config"), withIntermediateDirectories: true)
        #expect(symlink("../lists/debian", root.appendingPathComponent("package_config/DEBIAN").path) == 0)
        #expect(symlink("/dev/null", root.appendingPathComponent("package_config/NULL").path) == 0)
        let read = try ConfigSpaceReader.readForLint(root.path, maxFileBytes: 1 << 20)
        let list = try #require(read.space.packageLists.first { $0.className == "DEBIAN" })
        #expect(list.sections.first?.packages.map(\.name) == ["vim"])
        #expect(list.file.mode == 0o640)
        #expect(read.links.map(\.resolved) == [.file(realPath: realpathString(root.path + "/lists/debian")), .special("a character device")])
        let faithful = try ConfigSpaceReader.read(root.path)
        #expect(faithful.symlinks.map(\.path) == ["package_config/DEBIAN", "package_config/NULL"])
        #expect(faithful.packageLists.isEmpty)
    }

    /// Issue 7.6: a file over the limit is read up to its last whole line within it.
    @Test func lintReadIsBoundedPerFile() throws {
        let root = try scratchDirectory()
        try makeFile(root, "class/50-host-classes", "#!/bin/sh\n" + String(repeating: "echo A\n", count: 100), mode: 0o755)
        let read = try ConfigSpaceReader.readForLint(root.path, maxFileBytes: 100)
        #expect(read.oversized == ["class/50-host-classes": 710])
        #expect(read.space.classScripts.first?.file.contents == Array(("#!/bin/sh\n" + String(repeating: "echo A\n", count: 12)).utf8))
    }

    @Test func nfsrootConfGivesTheConfigDirectory() throws {
        let root = try scratchDirectory()
        func directory(_ text: String) throws -> String? {
            try makeFile(root, "nfsroot.conf", text)
            return ConfigSpaceReader.configDirectory(nfsrootConf: root.path + "/nfsroot.conf")
        }
        #expect(try directory("# x\nNFSROOT=/srv/fai/nfsroot\nFAI_CONFIGDIR=/srv/fai/config\n") == "/srv/fai/config")
        #expect(try directory("FAI_CONFIGDIR=/a\nexport FAI_CONFIGDIR='/b c'  # later wins\n") == "/b c")
        #expect(try directory("  FAI_CONFIGDIR=\"/srv/x\"; echo\n") == "/srv/x")
        #expect(try directory("#FAI_CONFIGDIR=/x\nNFSROOT=/y\n") == nil)
        #expect(try directory("FAI_CONFIGDIR=$HOME/config\n") == nil)
        #expect(try directory("FAI_CONFIGDIR=\n") == nil)
        #expect(ConfigSpaceReader.configDirectory(nfsrootConf: root.path + "/missing") == nil)
        #expect(Lint.defaultDirectory(nfsrootConf: root.path + "/missing") == "/srv/fai/config")
    }

    @Test func namesThatAreNotUTF8AreEscaped() {
        #expect(ConfigSpaceReader.escapedName([0x35, 0x35, 0x2D, 0xFF]) == "55-\\xFF")
        #expect(ConfigSpaceReader.escapedName(Array("a\\b\n".utf8)) == "a\\x5Cb\\x0A")
    }

    @Test func serverNfsrootListIsReadAlone() throws {
        let root = try scratchDirectory()
        try makeFile(root, "NFSROOT", "PACKAGES install-norec\nnfs-common\n")
        let list = try ConfigSpaceReader.readPackageList(root.path + "/NFSROOT")
        #expect(list.sections.first?.packages.map(\.name) == ["nfs-common"])
        #expect(message { _ = try ConfigSpaceReader.readPackageList(root.path) } == "\(root.path): a directory where a package list should be (remove or rename the directory)")
    }
}

private func realpathString(_ path: String) -> String {
    guard let resolved = realpath(path, nil) else { return path }
    defer { free(resolved) }
    return String(cString: resolved)
}
