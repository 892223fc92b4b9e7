// faigen lint: check a config space the way FAI's tools will read it; one finding a line, or JSON.
import ArgumentParser
import FaiSpace
import FoundationEssentials

struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check an FAI config space for what FAI would skip, refuse or misread.",
        discussion: """
            Reads DIR the way fai-class, fcopy, install_packages, setup-storage and \
            fai-do-scripts do (symlinks followed as they follow them) and prints one finding a \
            line, sorted:

              PATH:LINE: error|warning: message [check-id]

            PATH is relative to DIR; a finding about a whole file points at line 1. Shell \
            scripts are parsed with their shell's -n flag and disk_config files with \
            setup-storage -s (never run for real). Exit status: 0 when there is no error \
            (warnings allowed), 1 when there is an error, 2 when DIR cannot be read or is not \
            an FAI config space (it has no class/). The checks are listed by --list-checks and \
            in docs/lint.md, which also says how to silence one: a line \
            `# faigen-lint disable=CHECK-ID` in the file, or `disable=CHECK-ID [PATH...]` in \
            DIR/.faigenlint.

            Examples:
              faigen lint
              faigen lint /usr/share/doc/fai-doc/examples/simple
              faigen lint --format json /srv/fai/config
              faigen lint --list-checks
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Flag(name: .long, help: "Print every check (id, severity, what it reports) and exit.")
    var listChecks = false

    @Option(name: .long, help: "Output: `text` (one finding a line) or `json` ({\"findings\": [{path, line, severity, check, message}], \"errors\", \"warnings\"}).")
    var format: Format = .text

    @Argument(help: ArgumentHelp(
        "The config space to check (default: FAI_CONFIGDIR from /etc/fai/nfsroot.conf when it sets it, else /srv/fai/config).",
        valueName: "dir"))
    var directory: String?

    func run() throws {
        if listChecks {
            for check in FaiSpace.Lint.checks {
                print("\(check.id) (\(check.severity.rawValue)): \(check.summary)")
            }
            return
        }
        var failed = false
        try Diagnostics.run {
            let findings = try FaiSpace.Lint.run(directory ?? FaiSpace.Lint.defaultDirectory())
            switch format {
            case .text:
                for finding in findings { print(finding) }
            case .json:
                print(try LintReport(findings).json())
            }
            failed = FaiSpace.Lint.hasErrors(findings)
        }
        if failed { throw ExitCode(1) }
    }
}

/// The `--format json` document.
struct LintReport: Encodable {
    var findings: [Finding]
    var errors: Int
    var warnings: Int

    init(_ findings: [Finding]) {
        self.findings = findings
        errors = findings.count { $0.severity == .error }
        warnings = findings.count { $0.severity == .warning }
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
