// LintTests: `faigen lint` end to end: output format, sorting, exit codes.
import Foundation
import Testing

@Suite struct LintTests {
    /// PATH:LINE: error|warning: message
    static func isFindingLine(_ line: Substring) -> Bool {
        let parts = line.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
        return parts.count == 4 && !parts[0].isEmpty && !parts[0].hasPrefix("/") && Int(parts[1]) != nil
            && (parts[2] == " error" || parts[2] == " warning") && parts[3].count > 2
    }

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
        #expect(lines[1].hasPrefix("package_config/DEBIAN:3: error: unknown PACKAGES command 'instal'"))
        #expect(lines[2].hasPrefix("scripts/DEBIAN/10-misc:3: error: sh -n: "))
    }

    @Test func warningsAloneExitZero() throws {
        let root = try scratchDirectory()
        try write(root, "class/50-host-classes", "#!/bin/sh\necho FAIBASE\n", mode: 0o755)
        try write(root, "package_config/FAIBASE", "PACKAGES install\nVim\n")
        let result = try faigen("lint", root.path)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout == "package_config/FAIBASE:2: warning: upper case in package name 'Vim': Debian package names are lower case, so apt will not find it\n")
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

    @Test func defaultDirectoryIsSrvFaiConfig() throws {
        let result = try faigen("lint", "--help")
        #expect(result.status == 0)
        #expect(result.stdout.contains("(default: /srv/fai/config)"))
    }

    /// A file without read permission is a finding, not a crash. Root reads every file, so
    /// as root faigen runs as nobody (setpriv) for this test.
    @Test func anUnreadableFileIsAnErrorFinding() throws {
        let root = try scratchDirectory()
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
            class/DEBIAN.var:1: error: cannot read: Permission denied (make the file readable for faigen)
            package_config/DEBIAN:1: error: cannot read: Permission denied (make the file readable for faigen)

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

    private func write(_ root: URL, _ path: String, _ text: String, mode: Int = 0o644) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
    }
}
