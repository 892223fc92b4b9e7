// LintCheckTests: every lint check over its own examples, and lint over the fai-doc example.
import Foundation
import Testing
@testable import FaiSpace

/// Writes an example tree to a fresh directory, exactly: modes, symlinks, FIFOs, sparse
/// files, and names with `\xNN` as those bytes. `class/` is always there: every example is
/// a config space.
func materialize(_ example: LintExample, name: String = #function) throws -> URL {
    let root = try scratchDirectory(name)
    #expect(mkdir(root.path + "/class", 0o755) == 0)
    for (path, node) in example.tree.sorted(by: { $0.key < $1.key }) {
        let full = Array(root.path.utf8) + [0x2F] + exampleNameBytes(path)
        var parent = full.count - 1
        while parent > 0, full[parent] != 0x2F { parent -= 1 }
        makeDirectories(Array(full[..<parent]))
        let cPath = full.map { CChar(bitPattern: $0) } + [0]
        switch node {
        case .file(let bytes, let mode):
            let fd = open(cPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            #expect(fd >= 0, "\(path)")
            #expect(bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == bytes.count)
            #expect(fchmod(fd, mode_t(mode)) == 0)
            close(fd)
        case .sparse(let size, let mode):
            let fd = open(cPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            #expect(fd >= 0 && ftruncate(fd, off_t(size)) == 0 && fchmod(fd, mode_t(mode)) == 0, "\(path)")
            close(fd)
        case .symlink(let target):
            #expect(symlink(target, cPath) == 0, "\(path)")
        case .directory:
            makeDirectories(full)
        case .fifo:
            #expect(mkfifo(cPath, 0o644) == 0)
        }
    }
    return root
}

/// A path of an example tree as bytes: `\xNN` is the byte NN.
func exampleNameBytes(_ path: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var rest = Substring(path)
    while let first = rest.first {
        if rest.hasPrefix("\\x"), let byte = UInt8(rest.dropFirst(2).prefix(2), radix: 16) {
            bytes.append(byte)
            rest = rest.dropFirst(4)
        } else {
            bytes += Array(String(first).utf8)
            rest = rest.dropFirst()
        }
    }
    return bytes
}

private func makeDirectories(_ path: [UInt8]) {
    for index in path.indices where index > 0 && (path[index] == 0x2F || index == path.count - 1) {
        let prefix = index == path.count - 1 && path[index] != 0x2F ? Array(path) : Array(path[..<index])
        _ = mkdir(prefix.map { CChar(bitPattern: $0) } + [0], 0o755)
    }
}

@Suite struct LintCheckTests {
    @Test(arguments: Lint.checks.map(\.id))
    func firesExactlyWhereItsExamplesSay(id: String) throws {
        let check = try #require(Lint.checks.first { $0.id == id })
        for tool in check.requiredTools { _ = try requireTool(tool.path, package: tool.package) }
        #expect(!check.triggeringExamples.isEmpty, "\(id) has no example that fires it")
        #expect(!check.nonTriggeringExamples.isEmpty, "\(id) has no example that keeps it quiet")
        for (index, example) in check.triggeringExamples.enumerated() {
            let root = try materialize(example)
            let before = snapshot(root.path)
            let findings = try Lint.run(root.path, checks: [check])
            #expect(differences(before, snapshot(root.path)).isEmpty, "\(id) changed the tree it checked")
            let places = Set(findings.map { ExpectedFinding($0.path, line: $0.line) })
            #expect(places == Set(example.expected), "\(id) triggering example \(index + 1): \(findings)")
            #expect(findings.count == example.expected.count, "\(id) triggering example \(index + 1) fired twice somewhere: \(findings)")
            #expect(findings.allSatisfy { $0.severity == check.severity && $0.check == id && !$0.message.isEmpty })
        }
        for (index, example) in check.nonTriggeringExamples.enumerated() {
            let root = try materialize(example)
            let findings = try Lint.run(root.path, checks: [check])
            #expect(findings.isEmpty, "\(id) non-triggering example \(index + 1): \(findings)")
        }
    }

    @Test func checkIdsAreUniqueKebabCase() {
        let ids = Lint.checks.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" } })
    }

    /// The fai-doc example has no errors; its warnings are the ones listed here, so a new
    /// noisy warning fails this test. GERMAN, STANDARD and IMAGE are opt-in classes: no class
    /// script of the example prints them (a user adds them with ADDCLASSES or fai -c), which
    /// is what undefined-class says.
    @Test func faiDocExampleHasNoErrors() throws {
        _ = try requireTool(faiDocExample + "/class/50-host-classes", package: "fai-doc")
        let findings = try Lint.run(faiDocExample)
        #expect(!Lint.hasErrors(findings), "\(findings.filter { $0.severity == .error })")
        let warnings = findings.map { "\($0.path):\($0.line) \($0.check)" }
        #expect(warnings == [
            "class/GERMAN.var:1 undefined-class",
            "debconf/GERMAN:1 undefined-class",
            "hooks/debconf.IMAGE:1 undefined-class",
            "package_config/GERMAN:1 undefined-class",
            "package_config/STANDARD:1 undefined-class",
        ], "\(findings.map(\.description).joined(separator: "\n"))")
    }

    @Test func findingsPrintAsPathLineSeverityMessage() {
        let finding = Finding(path: "package_config/DEBIAN", line: 3, severity: .error, message: "bad\nthing", check: "x")
        #expect(finding.description == "package_config/DEBIAN:3: error: bad\\nthing [x]")
    }

    @Test func findingsSortByPathThenLine() {
        let a = Finding(path: "class/10-a", line: 9, severity: .warning, message: "m", check: "x")
        let b = Finding(path: "class/10-a", line: 10, severity: .error, message: "m", check: "x")
        let c = Finding(path: "class/2", line: 1, severity: .error, message: "m", check: "x")
        #expect([c, b, a].sorted() == [a, b, c])
    }

    @Test func aMissingDirectoryIsAnInputError() {
        #expect(throws: InputError.self) { try Lint.run("/nonexistent/fai/config") }
    }
}

/// docs/lint.md is generated from the checks; `make golden` rewrites it on purpose.
@Suite struct LintDocsGoldenTests {
    @Test func docsLintMarkdownMatchesTheChecks() throws {
        let url = repositoryRoot.appendingPathComponent("docs/lint.md")
        let generated = Lint.documentation()
        if ProcessInfo.processInfo.environment["FAIGEN_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(generated.utf8).write(to: url)
        }
        let onDisk = try String(contentsOf: url, encoding: .utf8)
        #expect(onDisk == generated, "docs/lint.md is stale: run make golden and review git diff docs/")
        for check in Lint.checks { #expect(onDisk.contains("## \(check.id)\n")) }
    }
}

@Suite struct LintMessageTests {
    @Test func aTypoedCommandGetsTheNearestKnownOne() {
        #expect(UnknownPackagesCommand.nearestKnownCommand(to: "instal") == "install")
        #expect(UnknownPackagesCommand.nearestKnownCommand(to: "install-norecs") == "install-norec")
        #expect(UnknownPackagesCommand.nearestKnownCommand(to: "frobnicate") == nil)
        #expect(UnknownPackagesCommand.editDistance("", "apt") == 3)
        #expect(UnknownPackagesCommand.editDistance("apt", "apt") == 0)
    }

    @Test func variableWordsBecomePatterns() {
        #expect(DefinableClasses.literalPieces("${c}_EFI") == ["", "_EFI"])
        #expect(DefinableClasses.matches("CLOUD_EFI", pieces: ["", "_EFI"]))
        #expect(!DefinableClasses.matches("CLOUD", pieces: ["", "_EFI"]))
        #expect(DefinableClasses.matches("ROCKY9_64", pieces: ["ROCKY", "_64"]))
    }

    @Test func settingsPatternsAreGlobsCoveringWhatIsBelow() {
        #expect(LintSettings.matches("debconf/*", "debconf/GERMAN"))
        #expect(!LintSettings.matches("debconf/*", "files/debconf/GERMAN"))
        #expect(LintSettings.matches("files/etc", "files/etc/motd/FAIBASE"))
        #expect(LintSettings.matches("files/*/motd", "files/etc/motd/FAIBASE"))
        #expect(!LintSettings.matches("package_config/GERMAN", "package_config/GERMANY"))
    }

    /// setup-storage's report: the `Invalid line` error with its continuation lines, else
    /// the line it died with.
    @Test func setupStorageErrorsAreRead() {
        let output = """
            setup-storage is running in test-only mode
            Starting setup-storage 3.0
            Using config file: -

                   ERROR (line 3): Invalid volume: Was expecting /^vg\\s+/, or
                                   type

                   ERROR (line 3): Invalid line: Was expecting '\\n' but found "primray
                                   swap 200-1G swap sw" instead
            Syntax error

            """
        #expect(SetupStorage.parse(output) == (3, "Invalid line: Was expecting '\\n' but found \"primray swap 200-1G swap sw\" instead"))
        #expect(SetupStorage.parse("Using config file: -\nMount point / used twice\n") == (1, "Mount point / used twice"))
    }

    /// Issue 7.6: the walk is linear; 20,000 variants in one directory read as one fcopy entry.
    @Test func manyFcopyVariantsAreOneEntry() throws {
        let root = try scratchDirectory()
        try makeFile(root, "class/50-host-classes", "#!/bin/sh\necho FAIBASE\n", mode: 0o755)
        let directory = root.appendingPathComponent("files/etc/motd")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for index in 0..<20_000 {
            let fd = open(directory.path + "/host\(index)", O_WRONLY | O_CREAT, 0o644)
            close(fd)
        }
        let read = try ConfigSpaceReader.readForLint(root.path, maxFileBytes: 1 << 20)
        #expect(read.space.fcopyEntries.count == 1)
        #expect(read.space.fcopyEntries.first?.variants.count == 20_000)
        #expect(try Lint.run(root.path).isEmpty)
    }

    /// The README's lint section lists every check as docs/lint.md does.
    @Test func readmeListsEveryCheck() throws {
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        for check in Lint.checks {
            let row = "| [`\(check.id)`](docs/lint.md#\(check.id)) | \(check.severity.rawValue) | \(check.summary) |"
            #expect(readme.contains(row), "README.md lacks the row: \(row)")
        }
    }
}
