// Explain's resolution without running anything: given these classes and this config space, this is what install_packages, fcopy, fai-do-scripts, hooks and setup-storage do.
import Testing
@testable import FaiSpace

@Suite struct ExplainResolutionTests {
    static func space(_ files: [String: String], executable: Set<String> = []) throws -> ConfigSpace {
        try ConfigSpace(entries: files.map { path, text in
            .file(ConfigFile(path: path, contents: Array(text.utf8), mode: executable.contains(path) ? 0o755 : 0o644))
        })
    }

    @Test func packagesInInstallPackagesOrder() throws {
        let space = try Self.space([
            "package_config/DEBIAN": "PACKAGES install-norec\nless\nPACKAGES install GNOME\nfirefox-esr\nPACKAGES remove\nnano\n",
            "package_config/WEB": "nginx # the server\nPACKAGES install-norec release=bookworm-backports\nnginx\nPACKAGES install-norec DEBIAN\ncurl\n",
        ])
        let resolution = PackageResolution(space: space, classes: ["DEFAULT", "DEBIAN", "WEB", "host", "LAST"])
        #expect(resolution.groups.map { "\($0.command) \($0.option ?? "-"): \($0.packages.map(\.word).joined(separator: " "))" } == [
            "install-norec -: less curl",
            "install-norec release=bookworm-backports: nginx",
            "remove -: nano",
        ])
        // A word before any PACKAGES line is skipped, as install_packages does ("PACKAGES .. line missing").
        #expect(resolution.groups[0].packages[1].file == "package_config/WEB")
        #expect(resolution.groups[0].packages[1].line == 5)
        #expect(resolution.listOutput == ["nano"])
    }

    @Test func installedAndRemovedAndTwoBootLoaders() throws {
        let space = try Self.space([
            "package_config/DEBIAN": "PACKAGES install-norec GRUB_PC\ngrub-pc\nPACKAGES install-norec GRUB_EFI\ngrub-efi-amd64\nPACKAGES install\nsudo\n",
            "package_config/LOCKED": "PACKAGES install\nsudo-\n",
        ])
        let resolution = PackageResolution(space: space, classes: ["DEBIAN", "GRUB_PC", "GRUB_EFI", "LOCKED"])
        #expect(resolution.problems.map(\.places) == [
            ["package_config/DEBIAN:6", "package_config/LOCKED:2"],
            ["package_config/DEBIAN:2", "package_config/DEBIAN:4"],
        ])
        #expect(resolution.problems.map(\.kind) == [.installedAndRemoved, .twoBootLoaders])
    }

    @Test func fcopyTakesTheLastClassAndItsFileModes() throws {
        let space = try Self.space([
            "files/etc/motd/DEFAULT": "default\n",
            "files/etc/motd/WEB": "web\n",
            "files/etc/motd/file-modes": "root adm 0640 WEB\nroot root 0644\n",
            "files/etc/issue/CLOUD": "cloud\n",
        ])
        let resolution = FcopyResolution(space: space, classes: ["DEFAULT", "WEB", "web01", "LAST"])
        #expect(resolution.choices.map { "\($0.destination) \($0.className) \($0.owner ?? "-"):\($0.group ?? "-") \($0.mode)" }
                == ["/etc/motd WEB root:adm 0640"])
        #expect(resolution.withoutClass == ["/etc/issue"])
        let other = FcopyResolution(space: space, classes: ["WEB", "DEFAULT"])
        #expect(other.choices.first.map { "\($0.className) \($0.owner ?? "-"):\($0.group ?? "-") \($0.mode)" } == "DEFAULT root:root 0644")
    }

    @Test func scriptsHooksDiskConfigInFAIOrder() throws {
        let executable: Set<String> = ["scripts/WEB/20-b", "scripts/WEB/10-a", "scripts/DEFAULT/90-x", "scripts/WEB/30-c~",
                                       "hooks/instsoft.WEB", "hooks/setup.DEFAULT.sh", "hooks/setup.WEB"]
        let space = try Self.space([
            "scripts/WEB/20-b": "", "scripts/WEB/10-a": "", "scripts/DEFAULT/90-x": "", "scripts/WEB/30-c~": "",
            "scripts/WEB/40-not-executable": "",
            "hooks/instsoft.WEB": "", "hooks/setup.DEFAULT.sh": "", "hooks/setup.WEB": "",
            "disk_config/DEFAULT": "", "disk_config/WEB": "", "disk_config/LAST0": "",
        ], executable: executable)
        let classes = ["DEFAULT", "WEB", "web01", "LAST"]
        #expect(Explain.scripts(space: space, classes: classes).map(\.path)
                == ["scripts/DEFAULT/90-x", "scripts/WEB/10-a", "scripts/WEB/20-b"])
        // setup hooks run before fai-class: only FAI's first classes, so not setup.WEB.
        #expect(Explain.hooks(space: space, classes: classes, hostname: "web01").map { "\($0.task) \($0.path)" }
                == ["setup hooks/setup.DEFAULT.sh", "instsoft hooks/instsoft.WEB"])
        #expect(Explain.diskConfig(space: space, classes: classes) == "disk_config/WEB")
    }
}
