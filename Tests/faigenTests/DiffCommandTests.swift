// DiffCommandTests: faigen diff between trees and builds, every kind of change, package lists by class and command.
import FaiSpace
import Foundation
import Testing

@Suite struct DiffCommand {
    /// Two trees that differ in every way a reviewer must see.
    func makeTrees(_ dir: URL) throws -> (old: URL, new: URL) {
        let old = dir.appendingPathComponent("old"), new = dir.appendingPathComponent("new")
        try makeBase(old)
        let setup = """
            set -e
            cp -a old new
            printf 'PACKAGES install\\nvim\\nnginx\\nnginx\\n# comment only\\nPACKAGES install-norec\\ncurl\\n' > old/package_config/WEB
            printf 'PACKAGES install\\nvim apache2 nginx\\nPACKAGES aptitude DEBIAN\\nhtop\\n' > new/package_config/WEB
            mkdir -p old/files/etc/fai/NFSROOT new/files/etc/fai/NFSROOT
            printf 'PACKAGES install-norec\\nnfs-common\\n' > old/files/etc/fai/NFSROOT/FAISERVER
            printf 'PACKAGES install-norec\\nnfs-common\\npcre2-utils\\n' > new/files/etc/fai/NFSROOT/FAISERVER
            printf 'new\\n' > new/class/WEB.var
            rm new/scripts/BASE/10-true
            printf 'hello!\\n' > 'new/files/etc/motd/WITH SPACE'
            chmod +x new/package_config/BASE
            ln -sfn /elsewhere new/files/etc/gone/DEFAULT
            rm new/files/etc/motd/DEFAULT && printf 'x\\n' > new/files/etc/motd/DEFAULT
            mkdir new/basefiles/empty/more
            """
        #expect(try run("/bin/sh", ["-c", setup], directory: dir).status == 0)
        return (old, new)
    }

    static let expectedLines = [
        "added    basefiles/empty/more (directory 0755)",
        "added    class/WEB.var (file 0644, 4 bytes)",
        "changed  files/etc/fai/NFSROOT/FAISERVER (34 -> 46 bytes)",
        "type     files/etc/motd/DEFAULT symlink -> WITH SPACE, now file 0644, 2 bytes",
        "changed  files/etc/motd/WITH SPACE (6 -> 7 bytes)",
        "symlink  files/etc/gone/DEFAULT -> /nowhere, now -> /elsewhere",
        "mode     package_config/BASE 0644 -> 0755",
        "changed  package_config/WEB (76 -> 65 bytes)",
        "removed  scripts/BASE/10-true (file 0755, 15 bytes)",
        "package  +pcre2-utils in FAISERVER, PACKAGES install-norec (files/etc/fai/NFSROOT/FAISERVER)",
        "package  +apache2 in WEB, PACKAGES install (package_config/WEB)",
        "package  -nginx in WEB, PACKAGES install (package_config/WEB)",
        "package  +htop in WEB, PACKAGES aptitude DEBIAN (package_config/WEB)",
        "package  -curl in WEB, PACKAGES install-norec (package_config/WEB)",
    ]

    @Test func equalTreesAreExitZeroAndSilent() throws {
        let dir = try scratchDirectory()
        let (old, _) = try makeTrees(dir)
        let result = try faigen("diff", old.path, old.path)
        #expect(result.status == 0 && result.stdout.isEmpty && result.stderr.isEmpty)
    }

    @Test func everyKindOfChangeBetweenTwoTreesIsOneLineAndExitOne() throws {
        let dir = try scratchDirectory()
        let (old, new) = try makeTrees(dir)
        let result = try faigen("diff", old.path, new.path)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").map(String.init).sorted() == Self.expectedLines.sorted(), "\(result.stdout)")
        // In path order, package changes last, by list and section.
        #expect(result.stdout.split(separator: "\n").suffix(5).map(String.init) == Array(Self.expectedLines.suffix(5)))
    }

    /// Between two builds (version directories, or one archive and an unpacked tree) the same
    /// changes appear, with the versions; an archive equals the tree it unpacks to.
    @Test func betweenBuildsArchivesAndTreesTheSameChangesWithTheVersions() throws {
        let dir = try scratchDirectory()
        let (old, new) = try makeTrees(dir)
        // A spec that generates nothing: the builds hold the trees alone.
        try "site: diff\nversion: \"1\"\n".write(to: dir.appendingPathComponent("faigen.yaml"), atomically: true, encoding: .utf8)
        for (base, name) in [(old, "www-old"), (new, "www-new")] {
            let built = try faigen("build", "--base", base.path, "--output", name, directory: dir)
            #expect(built.status == 0, "\(built.stderr)")
        }
        let oldBuild = try versionDirectories(dir.appendingPathComponent("www-old")).first ?? ""
        let newBuild = try versionDirectories(dir.appendingPathComponent("www-new")).first ?? ""
        let oldPath = dir.path + "/www-old/" + oldBuild, newPath = dir.path + "/www-new/" + newBuild
        let result = try faigen("diff", oldPath, newPath)
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "version  \(oldBuild) -> \(newBuild)")
        #expect(Array(lines.dropFirst()).sorted() == Self.expectedLines.sorted(), "\(result.stdout)")

        let unpacked = dir.appendingPathComponent("unpacked")
        try FileManager.default.createDirectory(at: unpacked, withIntermediateDirectories: true)
        let archive = newPath + "/faiconfig.tar.gz"
        #expect(try run("/bin/tar", ["-C", unpacked.path, "-xpzf", archive]).status == 0)
        let same = try faigen("diff", archive, unpacked.path)
        #expect(same.status == 0 && same.stdout.isEmpty, "\(same.stdout)\(same.stderr)")
    }

    @Test func aMissingOrBrokenSideIsExitTwoWithOneLine() throws {
        let dir = try scratchDirectory()
        let missing = try faigen("diff", dir.path + "/nothing", dir.path)
        #expect(missing.status == 2 && missing.stderr == "faigen: error: \(dir.path)/nothing: no such file or directory (give a build directory, a faiconfig.tar.gz or a config space)\n")
        let broken = dir.appendingPathComponent("broken.tar.gz")
        try Data([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]).write(to: broken)
        let result = try faigen("diff", broken.path, dir.path)
        #expect(result.status == 2 && result.stderr.hasPrefix("faigen: error: \(broken.path): ") && result.stderr.split(separator: "\n").count == 1,
                "\(result.stderr)")
    }
}
