// RenderOptionTests: faigen render --nfsroot-list and --templates end to end.
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct RenderOptions {
    @Test func nfsrootListGainsPcre2UtilsAndKeepsItsLines() throws {
        let dir = try scratchDirectory()
        let list = dir.appendingPathComponent("NFSROOT")
        let original = "# our nfsroot\nPACKAGES install-norec\nnfs-common fai-nfsroot  # core\n"
        try original.write(to: list, atomically: true, encoding: .utf8)
        #expect(chmod(list.path, 0o640) == 0)
        let result = try faigen("render", "--nfsroot-list", list.path, dir.appendingPathComponent("config").path, directory: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let merged = try String(contentsOf: list, encoding: .utf8)
        #expect(merged.hasPrefix(original))
        #expect(merged.contains("\npcre2-utils\n") && merged.hasSuffix("# faigen: end\n"))
        #expect((try FileManager.default.attributesOfItem(atPath: list.path)[.posixPermissions] as? Int) == 0o640)
        let again = try faigen("render", "--nfsroot-list", list.path, dir.appendingPathComponent("config").path, directory: dir)
        #expect(again.stdout.contains("already installs what the generated scripts need"))
        #expect(try String(contentsOf: list, encoding: .utf8) == merged)
    }

    /// The starter site's nfsroot section lists nfs-common, rsync, curl and more; the stock
    /// /etc/fai/NFSROOT installs them under FULL: only pcre2-utils joins the server's list.
    @Test func stockNfsrootListGainsOnlyWhatTheScriptsNeed() throws {
        _ = try requireTool("/usr/sbin/fai-make-nfsroot", package: "fai-server")
        let dir = try scratchDirectory()
        let list = dir.appendingPathComponent("NFSROOT")
        let stock = try String(contentsOfFile: "/etc/fai/NFSROOT", encoding: .utf8)
        try stock.write(to: list, atomically: true, encoding: .utf8)
        let result = try faigen("render", "--nfsroot-list", list.path, dir.appendingPathComponent("config").path, directory: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let merged = try String(contentsOf: list, encoding: .utf8)
        #expect(merged.hasPrefix(stock))
        let added = merged.dropFirst(stock.count).split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(added == ["PACKAGES install-norec", "pcre2-utils"], "\(added)")
    }

    @Test func missingNfsrootListChangesNothing() throws {
        let dir = try scratchDirectory()
        let out = dir.appendingPathComponent("config")
        let result = try faigen("render", "--nfsroot-list", dir.appendingPathComponent("nope").path, out.path, directory: dir)
        #expect(result.status == 2)
        #expect(result.stderr.contains("nope:1:1: no such file (give the path of the FAI server's nfsroot package list"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    /// 7.13: a site that keeps /etc/fai in git links the list; the old main said "no such list".
    @Test func nfsrootListThroughASymlinkIsFollowedAndStaysALink() throws {
        let dir = try scratchDirectory()
        let real = dir.appendingPathComponent("etc-fai/NFSROOT")
        try FileManager.default.createDirectory(at: real.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "PACKAGES install-norec\nnfs-common\n".write(to: real, atomically: true, encoding: .utf8)
        let link = dir.appendingPathComponent("NFSROOT")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "etc-fai/NFSROOT")
        let result = try faigen("render", "--nfsroot-list", link.path, dir.appendingPathComponent("config").path, directory: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == "etc-fai/NFSROOT")
        #expect(try String(contentsOf: real, encoding: .utf8).contains("\npcre2-utils\n"))
        // A link to nothing is named as such.
        let dangling = dir.appendingPathComponent("dangling")
        try FileManager.default.createSymbolicLink(atPath: dangling.path, withDestinationPath: "nowhere")
        let broken = try faigen("render", "--nfsroot-list", dangling.path, dir.appendingPathComponent("config2").path, directory: dir)
        #expect(broken.status == 2 && broken.stderr.contains("dangling:1:1: a symlink to nothing"), "\(broken.stderr)")
    }

    @Test func templatesDirectoryReplacesABuiltInTemplate() throws {
        let dir = try scratchDirectory()
        let templates = dir.appendingPathComponent("templates/hooks")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        try "#!/bin/sh\n@HEADER@\n# our own hook\nADDCLASSES=\n".write(to: templates.appendingPathComponent("defclass.DEFAULT.sh"), atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("config")
        let result = try faigen("render", "--templates", dir.appendingPathComponent("templates").path, out.path, directory: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let hook = try String(contentsOf: out.appendingPathComponent("hooks/defclass.DEFAULT.sh"), encoding: .utf8)
        #expect(hook.hasPrefix("#!/bin/sh\n# Generated by faigen from faigen's starter site;") && hook.hasSuffix("# our own hook\nADDCLASSES=\n"))

        try "#!/bin/sh\n@NO_SUCH@\n".write(to: templates.appendingPathComponent("defclass.DEFAULT.sh"), atomically: true, encoding: .utf8)
        let bad = try faigen("render", "--templates", dir.appendingPathComponent("templates").path, out.path, directory: dir)
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("faigen: error: \(templates.path)/defclass.DEFAULT.sh:2:1: unknown placeholder @NO_SUCH@"), "\(bad.stderr)")
        #expect(try String(contentsOf: out.appendingPathComponent("hooks/defclass.DEFAULT.sh"), encoding: .utf8) == hook)
    }
}
