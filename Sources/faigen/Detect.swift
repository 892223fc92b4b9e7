// faigen detect: print the platform classes of this machine (or of a snapshot) from the rule table.
import ArgumentParser
import FaiSpace
import Foundation

struct Detect: ParsableCommand {
    static let configuration = CommandConfiguration(
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

    func run() throws {
        try Diagnostics.run {
            var table = try DetectionTable.builtin()
            if let rules {
                table = table.merging(try DetectionRuleSet.load(path: rules))
            }
            let evidence: Evidence
            if let root {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
                    throw InputError(file: root, "--root is not a directory", hint: "give a snapshot made by `faigen facts save DIR`")
                }
                evidence = Evidence.collect(root: root, sources: table.sources)
            } else {
                evidence = Evidence.collectLive(sources: table.sources,
                                                environment: ProcessInfo.processInfo.environment)
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

    var classes: [String]
    var evidence: [String: [Firing]]
    var vetoed: [Firing]
    var skipped: [Skipped]

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
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
