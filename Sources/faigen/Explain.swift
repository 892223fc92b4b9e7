// faigen explain: which classes a host gets and why, and so which packages, files, scripts and hooks.
import ArgumentParser
import FaiSpace
import FoundationEssentials

extension FAIAction: ExpressibleByArgument {}

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show the classes a host gets and why, and the packages, files, scripts and hooks FAI gives it.",
        discussion: """
            For HOST: the classes in FAI's order and what defined each (class script and \
            line, class/HOSTNAME, ADDCLASSES, a detection rule and its evidence from --facts); \
            then exactly as FAI resolves them: install_packages' commands with their packages, \
            the file fcopy copies to each path and from which class, scripts/ and hooks in the \
            order they run, the disk_config setup-storage takes, the debconf and .var files. \
            Problems are listed with the file and line of each side: a class defined twice, \
            two boot loaders, a package installed and removed.

            The class scripts are the admin's code: explain runs them as fai-class does, but \
            only inside private mount, network, PID and UTS namespaces (as root), chrooted into \
            an overlay of / whose writes vanish, with a scratch LOGDIR, the facts of --facts \
            (its kernel log is what dmesg prints; empty without one), no network and a time \
            limit. --no-exec runs nothing and marks what it cannot know.

            Exit status: 0, or 1 when a problem was found, 2 for bad input.

            Examples:
              faigen explain web01 /srv/fai/config
              faigen explain --addclasses XENSERVER --facts snap/ guest1 /srv/fai/config
              faigen explain --no-exec --format json build01 fai-config
              faigen explain --all --spec site.yaml /srv/fai/config
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Flag(name: .long, help: "Explain every host of the spec: one table, host × classes, with counts of packages and files.")
    var all = false

    @Option(name: .long, help: ArgumentHelp("A snapshot made by `faigen facts save DIR`: the host's /proc, /sys and kernel log.", valueName: "dir"))
    var facts: String?

    @Option(name: .long, help: ArgumentHelp("ADDCLASSES as FAI gets it (commas between classes).", valueName: "list"))
    var addclasses: String = ""

    @Flag(name: .customLong("no-exec"), help: "Run no class script: the static answer, with what it cannot know marked.")
    var noExec = false

    @Option(name: .long, help: ArgumentHelp("Seconds the class scripts may take together.", valueName: "seconds"))
    var timeLimit: Int = 30

    @Option(name: .long, help: ArgumentHelp("The site spec (hosts for --all, hostname patterns and detection rules for --no-exec); default ./faigen.yaml, else the embedded default site.", valueName: "file"))
    var spec: String?

    @Option(name: .long, help: ArgumentHelp("How FAI runs for the host, which class scripts may test: install (a booted install client), dirinstall, diskimage.", valueName: "action"))
    var action: FAIAction = .install

    @Option(name: .long, help: "Output format: text or json.")
    var format: Format = .text

    @Argument(help: ArgumentHelp("The host name (as FAI gets it from hostname=), then the config space (default /srv/fai/config).", valueName: "host-and-dir"))
    var arguments: [String] = []

    func validate() throws {
        let expected = all ? 0...1 : 1...2
        guard expected.contains(arguments.count) else {
            throw ValidationError(all ? "--all takes at most a config space directory" : "give HOST and optionally the config space directory")
        }
        guard (1...3600).contains(timeLimit) else { throw ValidationError("--time-limit must be 1 to 3600 seconds") }
    }

    func run() throws {
        var problems = false
        try Diagnostics.run {
            let directory = (all ? arguments.first : arguments.dropFirst().first) ?? "/srv/fai/config"
            let siteSpec = try SiteSpec.locate(explicitPath: spec, directory: FileManager.default.currentDirectoryPath)
            var options = Explain.Options(addClasses: addclasses, factsDirectory: facts, execute: !noExec,
                                          timeLimit: timeLimit, spec: siteSpec)
            options.action = action
            if all {
                let (table, found) = try Explain.all(configSpace: directory, options: options)
                switch format {
                case .text:
                    print(table.text, terminator: "")
                    for problem in table.rows.flatMap({ row in row.problems.map { "\(row.hostname): \($0)" } }) { print(problem) }
                    for problem in found { print(problem) }
                case .json:
                    print(try Self.json(AllReport(hosts: table.rows, problems: found)))
                }
                problems = !found.isEmpty || table.rows.contains { !$0.problems.isEmpty }
                return
            }
            let explanation = try Explain.host(arguments[0], configSpace: directory, options: options)
            switch format {
            case .text: print(explanation.report, terminator: "")
            case .json: print(try Self.json(explanation))
            }
            problems = !explanation.problems.isEmpty
        }
        if problems { throw ExitCode(1) }
    }

    struct AllReport: Encodable {
        var hosts: [HostExplanation]
        var problems: [ExplainProblem]
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
