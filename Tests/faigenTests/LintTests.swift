// LintTests: `faigen lint` end to end: output format, sorting, exit codes.
import Foundation
import Testing

@Suite struct LintTests {
    /// PATH:LINE: error|warning: message [check-id], the id one of lint's checks.
    static func isFindingLine(_ line: Substring) -> Bool {
        let parts = line.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, !parts[0].isEmpty, !parts[0].hasPrefix("/"), Int(parts[1]) != nil,
              parts[2] == " error" || parts[2] == " warning", parts[3].hasSuffix("]"),
              let open = parts[3].lastIndex(of: "[") else { return false }
        return checkIds.contains(String(parts[3][parts[3].index(after: open)...].dropLast()))
    }

    static let checkIds: Set<String> = {
        let listed = (try? faigen("lint", "--list-checks").stdout) ?? ""
        return Set(listed.split(separator: "\n").map { String($0.prefix { $0 != " " }) })
    }()

    @Test func faiDocExampleHasWarningsOnlyAndExitsZero() throws {
        _ = try requireTool(faiDocExample + "/class/50-host-classes", package: "fai-doc")
        let result = try faigen("lint", faiDocExample)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.isEmpty)
        let lines = result.stdout.split(separator: "\n")
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy(Self.isFindingLine), "\(result.stdout)")
        #expect(!lines.contains { $0.contains(": error: ") })
        #expect(lines.map(String.init) == lines.map(String.init).sorted())
    }

    @Test func errorsExitOneWithSortedRelativeFindings() throws {
        let root = try scratchDirectory()
        try write(root, "package_config/DEBIAN", "PACKAGES install\nvim\nPACKAGES instal\nmc\n")
        try write(root, "class/50-host-classes", "#!/bin/sh\necho FAIBASE DEBIAN\n", mode: 0o644)
        try write(root, "scripts/DEBIAN/10-misc", "#!/bin/sh\nif true; then\n  echo\n", mode: 0o755)
        let result = try faigen("lint", root.path)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(result.stdout)")
        #expect(lines.allSatisfy { Self.isFindingLine(Substring($0)) })
        #expect(lines[0].hasPrefix("class/50-host-classes:1: error: class script is not executable"))
        #expect(lines[0].hasSuffix(" [script-not-executable]"))
        #expect(lines[1].hasPrefix("package_config/DEBIAN:3: error: unknown PACKAGES command 'instal'"))
        #expect(lines[1].hasSuffix(" [unknown-packages-command]"))
        #expect(lines[2].hasPrefix("scripts/DEBIAN/10-misc:3: error: sh -n: "))
        #expect(lines[2].hasSuffix(" [shell-syntax]"))
    }

    @Test func warningsAloneExitZero() throws {
        let root = try scratchDirectory()
        try write(root, "class/50-host-classes", "#!/bin/sh\necho FAIBASE\n", mode: 0o755)
        try write(root, "package_config/FAIBASE", "PACKAGES install\nVim\n")
        let result = try faigen("lint", root.path)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout == "package_config/FAIBASE:2: warning: upper case in package name 'Vim': Debian package names are lower case, so apt will not find it [upper-case-package-name]\n")
    }

    @Test func aCleanTreePrintsNothing() throws {
        let root = try scratchDirectory()
        try write(root, "class/50-host-classes", "#!/bin/sh\necho FAIBASE\n", mode: 0o755)
        try write(root, "package_config/FAIBASE", "PACKAGES install\nvim\n")
        let result = try faigen("lint", root.path)
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty && result.stderr.isEmpty)
    }

    @Test func aMissingDirectoryExitsTwoWithOneLine() throws {
        let result = try faigen("lint", "/nonexistent/fai/config")
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "faigen: error: /nonexistent/fai/config: no such directory (give the path of an FAI config space)\n")
    }

    @Test func aFileInsteadOfADirectoryExitsTwo() throws {
        let root = try scratchDirectory()
        try write(root, "notadir", "x\n")
        let result = try faigen("lint", root.appendingPathComponent("notadir").path)
        #expect(result.status == 2)
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func helpNamesTheDefaultDirectory() throws {
        let result = try faigen("lint", "--help")
        #expect(result.status == 0)
        let words = result.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
        #expect(words.contains("(default: FAI_CONFIGDIR from /etc/fai/nfsroot.conf when it sets it, else /srv/fai/config)"))
    }

    /// A file without read permission is a finding, not a crash. Root reads every file, so
    /// as root faigen runs as nobody (setpriv) for this test.
    @Test func anUnreadableFileIsAnErrorFinding() throws {
        let root = try scratchDirectory()
        try write(root, "class/50-host-classes", "#!/bin/sh\necho DEBIAN\n", mode: 0o755)
        try write(root, "package_config/DEBIAN", "PACKAGES install\nvim\n", mode: 0o000)
        try write(root, "class/DEBIAN.var", "X=1\n", mode: 0o000)
        let result: RunResult
        if getuid() == 0 {
            let setpriv = try requireTool("/usr/bin/setpriv", package: "util-linux")
            result = try run(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", faigenBinary.path, "lint", root.path])
        } else {
            result = try faigen("lint", root.path)
        }
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout == """
            class/DEBIAN.var:1: error: cannot read: Permission denied (make the file readable for faigen) [unreadable-entry]
            package_config/DEBIAN:1: error: cannot read: Permission denied (make the file readable for faigen) [unreadable-entry]

            """)
    }

    /// What faigen renders lints clean: the default site and every golden tree.
    @Test func renderedTreesHaveNoLintErrors() throws {
        let output = try scratchDirectory().appendingPathComponent("config")
        let rendered = try faigen("render", output.path)
        #expect(rendered.status == 0, "\(rendered.stderr)")
        var trees = [output.path]
        let golden = repositoryRoot.appendingPathComponent("golden")
        for name in try FileManager.default.contentsOfDirectory(atPath: golden.path).sorted() {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: golden.appendingPathComponent(name).path, isDirectory: &isDirectory),
               isDirectory.boolValue {
                trees.append(golden.appendingPathComponent(name).path)
            }
        }
        #expect(trees.count > 1)
        for tree in trees {
            let result = try faigen("lint", tree)
            #expect(result.status == 0, "\(tree): \(result.stdout)\(result.stderr)")
            #expect(!result.stdout.contains(": error: "), "\(tree): \(result.stdout)")
        }
    }

    /// Issue 7.8: a DIR that cannot be listed is exit 2 and one line on stderr, not a finding.
    @Test func anUnlistableDirectoryExitsTwoWithOneLine() throws {
        let root = try scratchDirectory()
        try write(root, "class/50-host-classes", "#!/bin/sh\necho FAIBASE\n", mode: 0o755)
        #expect(chmod(root.path, 0o000) == 0)
        defer { chmod(root.path, 0o755) }
        let result = try faigenAsNobody("lint", root.path)
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "faigen: error: \(root.path): cannot list directory: Permission denied (make the directory readable for faigen)\n")
    }

    /// Issue 8.10: a tree without class/ is not an FAI config space: exit 2, saying so.
    @Test func aTreeWithoutClassIsNotAConfigSpace() throws {
        let parent = try scratchDirectory()
        try write(parent, "config/class/50-host-classes", "#!/bin/sh\necho FAIBASE\n", mode: 0o755)
        let empty = parent.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        var directories = [parent.path, empty.path]
        if !FileManager.default.fileExists(atPath: "/tmp/class") { directories.append("/tmp") }
        for directory in directories {
            let result = try faigen("lint", directory)
            #expect(result.status == 2, "\(directory): \(result.stdout)\(result.stderr)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr == "faigen: error: \(directory): not an FAI config space: it has no class/ directory, without which FAI's task_defclass stops (give the config space's root directory, the one holding class/, package_config/ and files/)\n")
        }
        #expect(try faigen("lint", parent.appendingPathComponent("config").path).status == 0)
    }

    /// Issue 8.10: without DIR, lint checks FAI_CONFIGDIR from /etc/fai/nfsroot.conf. The
    /// test gives faigen its own /etc/fai in a private mount namespace.
    @Test func theDefaultDirectoryComesFromNfsrootConf() throws {
        let unshare = try requireTool("/usr/bin/unshare", package: "util-linux")
        let root = try scratchDirectory()
        try write(root, "space/class/50-host-classes", "#!/bin/sh\necho FAIBASE\n", mode: 0o755)
        try write(root, "space/package_config/FAIBASE", "PACKAGES instal\nvim\n")
        let space = root.appendingPathComponent("space").path
        let script = """
            mount -t tmpfs tmpfs /etc/fai || exit 99
            printf '# comment\\nNFSROOT=/srv/fai/nfsroot\\nFAI_CONFIGDIR="%s"  # ours\\n' "$1" > /etc/fai/nfsroot.conf
            exec "$2" lint
            """
        let result = try run(unshare, ["-m", "--propagation", "private", "/bin/sh", "-c", script, "sh", space, faigenBinary.path])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.hasPrefix("package_config/FAIBASE:1: error: unknown PACKAGES command 'instal'"), "\(result.stdout)")
        let none = try run(unshare, ["-m", "--propagation", "private", "/bin/sh", "-c",
                                     "mount -t tmpfs tmpfs /etc/fai || exit 99; exec \"$1\" lint", "sh", faigenBinary.path])
        #expect(none.status == 2)
        #expect(none.stderr.hasPrefix("faigen: error: /srv/fai/config: "), "\(none.stderr)")
    }

    /// Issue 7.5: what links point at is followed as FAI follows it, and nothing they point
    /// at makes lint wait: /dev/zero, a FIFO, a 1 GB sparse file, a loop.
    @Test func symlinksAreFollowedAsFAIFollowsThem() throws {
        let root = try scratchDirectory()
        try write(root, "class/50-host-classes", "#!/bin/sh\necho FAIBASE DEBIAN ZERO\n", mode: 0o755)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("package_config"), withIntermediateDirectories: true)
        #expect(symlink("/dev/zero", root.appendingPathComponent("package_config/ZERO").path) == 0)
        #expect(mkfifo(root.appendingPathComponent("fifo").path, 0o644) == 0)
        #expect(symlink("../fifo", root.appendingPathComponent("class/10-pipe").path) == 0)
        try write(root, "big", "")
        #expect(truncate(root.appendingPathComponent("big").path, 1 << 30) == 0)
        #expect(chmod(root.appendingPathComponent("big").path, 0o755) == 0)
        #expect(symlink("../big", root.appendingPathComponent("class/20-big").path) == 0)
        try write(root, "lists/debian", "PACKAGES instal\nvim\n")
        #expect(symlink("../lists/debian", root.appendingPathComponent("package_config/DEBIAN").path) == 0)
        #expect(symlink("LOOP2", root.appendingPathComponent("package_config/FAIBASE").path) == 0)
        #expect(symlink("FAIBASE", root.appendingPathComponent("package_config/LOOP2").path) == 0)
        let result = try run("/usr/bin/timeout", ["120", faigenBinary.path, "lint", root.path])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.allSatisfy { Self.isFindingLine(Substring($0)) }, "\(result.stdout)")
        let places = lines.map { line in String(line[..<line.index(line.firstIndex(of: ":")!, offsetBy: 2)]) + " " + String(line.split(separator: "[").last!.dropLast()) }
        #expect(places.contains("class/10-pipe:1 symlink-to-special-file"), "\(result.stdout)")
        #expect(places.contains("class/20-big:1 too-large-to-check"), "\(result.stdout)")
        #expect(places.contains("package_config/ZERO:1 symlink-to-special-file"), "\(result.stdout)")
        #expect(places.contains("package_config/DEBIAN:1 unknown-packages-command"), "\(result.stdout)")
        #expect(places.contains("package_config/FAIBASE:1 symlink-loop"), "\(result.stdout)")
        #expect(!result.stdout.contains("dangling"), "\(result.stdout)")
    }

    /// Issue 7.7: a name that is not UTF-8 is reported, and the rest of its directory is
    /// still checked (the syntax error beside it, and no false "never defined").
    @Test func aNameThatIsNotUTF8HidesNothingElse() throws {
        let root = try scratchDirectory()
        try write(root, "class/50-host-classes", "#!/bin/sh\necho FAIBASE\n", mode: 0o755)
        try write(root, "class/55-broken", "#!/bin/sh\nif true; then\n", mode: 0o755)
        try write(root, "package_config/FAIBASE", "PACKAGES install\nvim\n")
        let bad = Array(root.path.utf8) + Array("/class/56-caf".utf8) + [0xE9, 0]
        let fd = open(bad.map { CChar(bitPattern: $0) }, O_WRONLY | O_CREAT, 0o755)
        #expect(fd >= 0)
        close(fd)
        let result = try faigen("lint", root.path)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(result.stdout)")
        #expect(lines.first?.hasPrefix("class/55-broken:2: error: sh -n: ") == true, "\(result.stdout)")
        #expect(lines.last == "class/56-caf\\xE9:1: error: name is not UTF-8: lint cannot check it or anything below it, and faigen render --base cannot copy it (rename it) [file-name-not-utf8]")
    }

    /// Issue 8.11: disk_config is checked by FAI's own parser, at the line it names.
    @Test func diskConfigIsCheckedBySetupStorage() throws {
        _ = try requireTool("/usr/sbin/setup-storage", package: "fai-setup-storage")
        let root = try scratchDirectory()
        try write(root, "class/50-host-classes", "#!/bin/sh\necho FAIBASE\n", mode: 0o755)
        try write(root, "disk_config/FAIBASE", "disk_config disk1 disklabel:msdos bootable:1\nprimary / 2G-50G ext4 rw,noatime,errors=remount-ro\nprimray swap 200-1G swap sw\n")
        let result = try faigen("lint", root.path)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout == "disk_config/FAIBASE:3: error: setup-storage -s: Invalid line: Was expecting '\\n' but found \"primray swap 200-1G swap sw\" instead [disk-config-syntax]\n")
    }

    /// Issue 8.12: the findings as JSON, with the exit status of the text output.
    @Test func jsonFormatHasEveryFindingWithItsCheck() throws {
        let root = try scratchDirectory()
        try write(root, "class/50-host-classes", "#!/bin/sh\necho FAIBASE\n", mode: 0o755)
        try write(root, "package_config/FAIBASE", "PACKAGES install\nVim\nPACKAGES instal\nmc\n")
        let result = try faigen("lint", "--format", "json", root.path)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(document["errors"] as? Int == 1)
        #expect(document["warnings"] as? Int == 1)
        let findings = try #require(document["findings"] as? [[String: Any]])
        #expect(findings.map { $0["check"] as? String } == ["upper-case-package-name", "unknown-packages-command"])
        #expect(findings.map { $0["line"] as? Int } == [2, 3])
        #expect(findings.allSatisfy { $0["path"] as? String == "package_config/FAIBASE" && ($0["message"] as? String)?.isEmpty == false })
        #expect(findings.map { $0["severity"] as? String } == ["warning", "error"])
    }

    /// Issue 8.12: a finding is silenced in its file, or for the config space in .faigenlint.
    @Test func findingsAreSilencedPerFileAndPerConfigSpace() throws {
        let root = try scratchDirectory()
        try write(root, "class/50-host-classes", "#!/bin/sh\necho FAIBASE\n", mode: 0o755)
        try write(root, "package_config/FAIBASE", "# faigen-lint disable=upper-case-package-name  the vendor's name\nPACKAGES install\nVim\n")
        try write(root, "package_config/GERMAN", "PACKAGES install\nlocales\n")
        try write(root, "debconf/GERMAN", "locales locales/default_environment_locale select de_DE.UTF-8\n")
        try write(root, "package_config/KIOSK", "PACKAGES install\nfirefox-esr\n")
        #expect(try faigen("lint", root.path).stdout.split(separator: "\n").count == 3)
        try write(root, ".faigenlint", "# opt-in classes\ndisable=undefined-class package_config/GERMAN debconf/*\n")
        let result = try faigen("lint", root.path)
        #expect(result.status == 0)
        #expect(result.stdout == "package_config/KIOSK:1: warning: class KIOSK is never defined here: no class script, file in class/ or setup/defclass hook mentions it, no hostname class file lists it, and it is not DEFAULT, LAST or a hostname, so this package list is used only when KIOSK comes from ADDCLASSES or fai -c [undefined-class]\n")
        try write(root, ".faigenlint", "disable=undefined-class\ndisable=undefined-clas\n")
        let typo = try faigen("lint", root.path)
        #expect(typo.status == 1)
        #expect(typo.stdout == ".faigenlint:2: error: unknown check id 'undefined-clas' in disable=, so nothing is silenced by it (faigen lint --list-checks lists the ids) [lint-directive]\n")
    }

    /// Runs faigen as nobody when the tests run as root (who reads everything).
    private func faigenAsNobody(_ arguments: String...) throws -> RunResult {
        guard getuid() == 0 else { return try run(faigenBinary.path, arguments) }
        let setpriv = try requireTool("/usr/bin/setpriv", package: "util-linux")
        return try run(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", faigenBinary.path] + arguments)
    }

    private func write(_ root: URL, _ path: String, _ text: String, mode: Int = 0o644) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
    }
}
