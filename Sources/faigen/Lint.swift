// faigen lint: check a config space the way FAI's tools will read it; one finding a line.
import ArgumentParser
import FaiSpace

struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check an FAI config space for what FAI would skip, refuse or misread.",
        discussion: """
            Reads DIR the way fai-class, fcopy, install_packages and fai-do-scripts do and \
            prints one finding a line, sorted:

              PATH:LINE: error|warning: message

            PATH is relative to DIR; a finding about a whole file points at line 1. Shell \
            scripts are parsed with their shell's -n flag (never run). Exit status: 0 when \
            there is no error (warnings allowed), 1 when there is an error, 2 when DIR cannot \
            be read at all. The checks are listed by --list-checks and in docs/lint.md.

            Examples:
              faigen lint
              faigen lint /usr/share/doc/fai-doc/examples/simple
              faigen lint --list-checks
            """
    )

    @Flag(name: .long, help: "Print every check (id, severity, what it reports) and exit.")
    var listChecks = false

    @Argument(help: ArgumentHelp("The config space to check.", valueName: "dir"))
    var directory: String = "/srv/fai/config"

    func run() throws {
        if listChecks {
            for check in FaiSpace.Lint.checks {
                print("\(check.id) (\(check.severity.rawValue)): \(check.summary)")
            }
            return
        }
        var failed = false
        try Diagnostics.run {
            let findings = try FaiSpace.Lint.run(directory)
            for finding in findings { print(finding) }
            failed = FaiSpace.Lint.hasErrors(findings)
        }
        if failed { throw ExitCode(1) }
    }
}
