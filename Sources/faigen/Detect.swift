// faigen detect: print the platform classes of this machine (or of a snapshot) from the rule table.
import ArgumentParser
import FaiSpace
import FoundationEssentials
import Glibc

struct Detect: ParsableCommand {
    static let configuration = CommandConfiguration(
        // An explicit name spares ArgumentParser a reflective String(describing:) at startup.
        commandName: "detect",
        abstract: "Print the platform classes of this machine: hypervisor, cloud, container.",
        discussion: """
            Evaluates the detection table (built in, plus --rules FILE) over the evidence this \
            machine shows: the CPUID hypervisor signature, DMI strings, the SMBIOS virtual \
            machine bit, /proc and /sys files, the device tree, container markers and the \
            kernel log. Prints FAI classes such as KVM, XEN_PV, XENSERVER, AWS, DOCKER, and \
            the summaries VIRTUAL, CONTAINER or PHYSICAL. A source that is absent or not \
            readable is skipped (listed by --format json), never fatal.

            A class script in the config space can use it directly:
              #!/bin/sh
              faigen detect

            Rule format and evidence sources: docs/detect.md.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case classes, json, shell
    }

    @Option(name: .long, help: ArgumentHelp(
        "Read the evidence from this snapshot instead of the running machine (DIR/proc/..., DIR/sys/..., DIR/var/log/dmesg, DIR/.faigen/cpuid-vendor; `faigen facts save` writes one).",
        valueName: "DIR"))
    var root: String?

    @Option(name: .long, help: ArgumentHelp(
        "A YAML rules file: its rules are added to the built-in table, replacing rules with the same id (`builtin: false` replaces the whole table).",
        valueName: "FILE"))
    var rules: String?

    @Option(name: .long, help: "Output: `classes` (one a line), `json` (classes with the evidence behind each), or `shell` (classes=\"...\").")
    var format: Format = .classes

    @Flag(name: .long, help: "Print the rule table in use (built in, with --rules applied) as a rules file, and detect nothing.")
    var printRules = false

    func run() throws {
        try Diagnostics.run {
            try Self.detect(root: root, rules: rules, format: format, printRules: printRules)
        }
    }

    static func detect(root: String?, rules: String?, format: Format, printRules: Bool) throws {
        var table = try DetectionTable.builtin()
        if let rules {
            table = table.merging(try DetectionRuleSet.load(path: rules))
        }
        if printRules {
            print(try DetectionRuleSet.yaml(for: table.rules), terminator: "")
            return
        }
        let evidence: Evidence
        if let root {
            evidence = try Evidence.collect(snapshot: root, sources: table.sources)
        } else {
            // FAI's log directory: the kernel log's last fallback. getenv, not ProcessInfo: no dictionary.
            evidence = Evidence.collectLive(sources: table.sources, logDirectory: getenv("LOGDIR").map { String(cString: $0) })
        }
        let detection = table.detect(evidence)
        switch format {
        case .classes:
            if !detection.classes.isEmpty { print(detection.classes.joined(separator: "\n")) }
        case .shell:
            print("classes=\"\(detection.classes.joined(separator: " "))\"")
        case .json:
            print(try DetectionReport(detection).json())
        }
        // As the class script does when pcre2grep fails on a rule: the classes found, and exit 1.
        for item in detection.undecided {
            Diagnostics.warning("rule \(item.rule) on \(item.source.rawValue) not decided: \(item.reason)")
        }
        if !detection.undecided.isEmpty { throw ExitCode(1) }
    }

    /// Runs `faigen detect` without ArgumentParser when the arguments are plainly `detect`
    /// followed by `--root DIR`, `--rules FILE`, `--format F` (or `--opt=value`), each at most
    /// once: class scripts run it in every FAI class pass, and ArgumentParser's reflective setup
    /// costs more CPU than the detection itself. Returns nil for anything else (help, unknown or
    /// repeated options, a bad format), which then goes through ArgumentParser as usual; so
    /// both ways accept the same invocations and do the same thing. Returns the exit status.
    static func fastPath(_ arguments: [String]) -> Int32? {
        guard arguments.count >= 2, arguments[1] == "detect" else { return nil }
        var values: [String: String] = [:]
        var index = 2
        while index < arguments.count {
            let word = arguments[index]
            let name: String, value: String
            if let equals = word.firstIndex(of: "="), word.hasPrefix("--") {
                name = String(word[..<equals])
                value = String(word[word.index(after: equals)...])
                index += 1
            } else {
                guard index + 1 < arguments.count else { return nil }
                name = word
                value = arguments[index + 1]
                index += 2
            }
            guard ["--root", "--rules", "--format"].contains(name), values[name] == nil,
                  !value.isEmpty, !value.hasPrefix("-") else { return nil }
            values[name] = value
        }
        var format = Format.classes
        if let text = values["--format"] {
            guard let chosen = Format(rawValue: text) else { return nil }
            format = chosen
        }
        do {
            try Diagnostics.run {
                try detect(root: values["--root"], rules: values["--rules"], format: format, printRules: false)
            }
            return 0
        } catch let exit as ExitCode {
            return exit.rawValue
        } catch {
            Diagnostics.error("\(error)")
            return 1
        }
    }
}

/// The `--format json` document: classes, the firings behind each, vetoed rules, skipped sources.
struct DetectionReport: Encodable {
    struct Firing: Encodable {
        var rule: String
        var source: String
        var origin: String?
        var detail: String
        var reason: String
        var classes: [String]
        var vetoedBy: [String]?

        enum CodingKeys: String, CodingKey {
            case rule, source, origin, detail, reason, classes
            case vetoedBy = "vetoed_by"
        }
    }

    struct Skipped: Encodable {
        var source: String
        var origin: String
        var reason: String
    }

    struct Undecided: Encodable {
        var rule: String
        var source: String
        var reason: String
    }

    var classes: [String]
    var evidence: [String: [Firing]]
    var vetoed: [Firing]
    var skipped: [Skipped]
    var undecided: [Undecided]

    init(_ detection: Detection) {
        func firing(_ item: RuleFiring) -> Firing {
            Firing(rule: item.rule, source: item.source.rawValue, origin: item.origin, detail: item.detail,
                   reason: item.reason, classes: item.classes, vetoedBy: item.vetoedBy.isEmpty ? nil : item.vetoedBy)
        }
        classes = detection.classes
        evidence = Dictionary(uniqueKeysWithValues: detection.classes.map { name in
            (name, detection.evidence(for: name).map(firing))
        })
        vetoed = detection.vetoed.map(firing)
        skipped = detection.skipped.map { Skipped(source: $0.source.rawValue, origin: $0.origin, reason: $0.reason) }
        undecided = detection.undecided.map { Undecided(rule: $0.rule, source: $0.source.rawValue, reason: $0.reason) }
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
