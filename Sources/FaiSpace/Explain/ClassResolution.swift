// ClassResolution: the host's classes in FAI's order and where each came from, from a sandbox run or from the config space's text alone.

struct ClassResolution: Sendable {
    /// `$classes` as FAI has it, duplicates included.
    var classList: [String] = []
    var classes: [ExplainedClass] = []
    var unknowns: [String] = []
    var steps: [HostExplanation.ClassStep] = []
    var problems: [ExplainProblem] = []
    var additionalVariables: String?

    private mutating func add(_ name: String, _ origin: ClassOrigin) {
        classList.append(name)
        if let index = classes.firstIndex(where: { $0.name == name }) {
            classes[index].origins.append(origin)
        } else {
            classes.append(ExplainedClass(name: name, origins: [origin]))
        }
    }

    /// From a sandbox run: every class with the step that added it and the traced line.
    init(run: SandboxRun, space: ConfigSpace, hostname: String, kernelLog: KernelLog?, spec: SiteSpec?, timeLimit: Int) {
        let scripts = Dictionary(space.classScripts.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let hostFile = space.hostClassFiles.first { $0.hostname == (run.variables["HOSTNAME"] ?? hostname) }
        let stepsByName = Dictionary(run.steps.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        for (originName, name) in run.classes {
            switch originName {
            case "fai":
                add(name, ClassOrigin(kind: .fai))
            case "host-file":
                let path = hostFile?.file.path ?? "class/\(hostname)"
                add(name, ClassOrigin(kind: .hostFile, file: path, line: hostFile.flatMap { Self.line(of: name, in: $0.file.contents, skippingComments: true) }))
            case "ADDCLASSES":
                add(name, ClassOrigin(kind: .addClasses, detail: run.variables["ADDCLASSES"].map { "ADDCLASSES=\($0)" }))
            case "additional-classes":
                add(name, ClassOrigin(kind: .additionalClasses, file: "$LOGDIR/additional-classes",
                                      detail: "a class script wrote it there"))
            default:
                let path = "class/\(originName)"
                var origin = ClassOrigin(kind: .classScript, file: path)
                if let step = stepsByName[originName], let (line, command) = Self.tracedLine(of: name, script: originName, trace: step.trace) {
                    origin.line = line
                    origin.detail = command
                } else if let script = scripts[originName] {
                    origin.line = Self.line(of: name, in: script.file.contents, skippingComments: true)
                }
                if let evidence = Self.detectionEvidence(for: name, script: scripts[originName], kernelLog: kernelLog, spec: spec) {
                    origin.detail = evidence
                }
                add(name, origin)
            }
        }
        additionalVariables = run.additionalVariables
        for step in run.steps {
            steps.append(HostExplanation.ClassStep(name: step.isHook ? step.name : "class/\(step.name)",
                                                   exitStatus: step.exitStatus, wrote: step.wrote))
            let path = step.isHook ? step.name : "class/\(step.name)"
            if step.exitStatus == nil {
                if run.timedOut {
                    problems.append(ExplainProblem(kind: .scriptTimedOut,
                        message: "\(path) did not finish within the time limit of \(timeLimit) s and was killed; the classes after it are unknown",
                        places: [path]))
                    unknowns.append("\(path) was stopped by the time limit: the classes it and the later scripts define are unknown")
                } else {
                    problems.append(ExplainProblem(kind: .scriptFailed,
                        message: "\(path) ended the class run (exit in a sourced script?); the classes after it are unknown", places: [path]))
                    unknowns.append("\(path) ended the class run: the classes after it are unknown")
                }
            } else if let status = step.exitStatus, status != 0 {
                let tail = step.stderrTail.split(separator: "\n").last.map { ": \($0)" } ?? ""
                problems.append(ExplainProblem(kind: .scriptFailed,
                    message: "\(path) exited with status \(status)\(tail) (fai-class reports it FAILED; the sandbox has no network)",
                    places: [path]))
            }
            if let network = step.stderrTail.split(separator: "\n").first(where: { line in Self.networkErrors.contains { line.contains($0) } }) {
                problems.append(ExplainProblem(kind: .scriptUsedNetwork,
                    message: "\(path) tried to reach the network, which the sandbox does not have: \(network)", places: [path]))
            }
            if !step.wrote.isEmpty {
                problems.append(ExplainProblem(kind: .scriptWroteOutsideLogdir,
                    message: "\(path) wrote outside LOGDIR: \(step.wrote.prefix(5).joined(separator: ", ")) (kept in the sandbox; on an install client it changes the nfsroot or the target)",
                    places: [path]))
            }
        }
        if !run.finished && run.timedOut && !run.steps.contains(where: { $0.exitStatus == nil }) {
            problems.append(ExplainProblem(kind: .scriptTimedOut, message: "the class run did not finish within \(timeLimit) s", places: []))
        }
        addDuplicateProblems()
    }

    /// Without running anything: DEFAULT, the classes of faigen-generated scripts that the
    /// spec and the facts decide, the host file, ADDCLASSES, the host name and LAST. Every
    /// other class script is an unknown.
    init(staticFor hostname: String, space: ConfigSpace, addClasses: String, kernelLog: KernelLog?, spec: SiteSpec?) {
        add("DEFAULT", ClassOrigin(kind: .fai))
        let sorted = space.classScripts.sorted { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
        for script in sorted where script.isRun {
            let path = script.file.path
            let text = String(decoding: script.file.contents, as: UTF8.self)
            if Self.isGenerated(text), text.contains("hostname_matches"), let rules = spec?.hostnameClasses {
                for rule in rules {
                    guard let regex = try? PCRE2Regex(rule.pattern), regex.matches(hostname) else { continue }
                    for name in rule.classes {
                        add(name, ClassOrigin(kind: .classScript, file: path, line: Self.line(containing: rule.pattern, in: script.file.contents),
                                              detail: "host name matches '\(rule.pattern)' (spec ganeti.hostname_classes)"))
                    }
                }
                continue
            }
            if Self.isGenerated(text), text.contains("dmesg") {
                guard let kernelLog else {
                    unknowns.append("\(path): reads the kernel log; give --facts DIR for its classes")
                    continue
                }
                for rule in [KernelLogRule.xenServer] + (spec?.detect ?? []) {
                    guard let regex = try? PCRE2Regex(rule.pattern, options: rule.caseless ? [.caseless] : []) else { continue }
                    guard let index = kernelLog.lines.firstIndex(where: { regex.matches($0) }) else { continue }
                    for name in rule.classes where !classList.contains(name) && !rule.unless.contains(where: classList.contains) {
                        add(name, ClassOrigin(kind: .classScript, file: path, line: Self.line(containing: rule.pattern, in: script.file.contents),
                                              detail: "kernel log line \(index + 1) matches '\(rule.pattern)': \(kernelLog.lines[index])"))
                    }
                }
                continue
            }
            unknowns.append("\(path): not run (--no-exec); the classes it defines are unknown")
        }
        if let file = space.hostClassFiles.first(where: { $0.hostname == hostname }) {
            for name in file.classes {
                add(name, ClassOrigin(kind: .hostFile, file: file.file.path, line: Self.line(of: name, in: file.file.contents, skippingComments: true)))
            }
        }
        // The generated defclass hook keeps only [A-Z0-9_]+ names; without it, fai-class takes every word.
        let filtered = space.hooks.contains { $0.file.name == "defclass.DEFAULT.sh" && Self.isGenerated(String(decoding: $0.file.contents, as: UTF8.self)) }
        for word in addClasses.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init) {
            if filtered && !FAIFacts.isSafeClassName(word) {
                unknowns.append("ADDCLASSES word '\(word)' is dropped by hooks/defclass.DEFAULT.sh")
                continue
            }
            add(word, ClassOrigin(kind: .addClasses, detail: "ADDCLASSES=\(addClasses)"))
        }
        add(hostname, ClassOrigin(kind: .fai))
        add("LAST", ClassOrigin(kind: .fai))
        addDuplicateProblems()
    }

    private mutating func addDuplicateProblems() {
        for explained in classes where explained.origins.count > 1 {
            problems.append(ExplainProblem(kind: .duplicateClass,
                message: "class \(explained.name) is defined \(explained.origins.count) times (fai-class -T exits 2; install_packages reads its list twice)",
                places: explained.origins.map(\.location)))
        }
    }

    /// What resolvers, curl, wget and connect(2) say when there is no network.
    static let networkErrors = ["Could not resolve host", "Temporary failure in name resolution", "Name or service not known",
                                "Network is unreachable", "unable to resolve host", "No address associated with hostname",
                                "Connection refused", "Could not connect to", "network is unreachable"]

    static func isGenerated(_ text: String) -> Bool { text.prefix(400).contains("Generated by faigen") }

    /// The last traced command of SCRIPT that names the class as a word: the line that printed it.
    static func tracedLine(of name: String, script: String, trace: [String]) -> (Int, String)? {
        for raw in trace.reversed() {
            let line = raw.drop { $0 == "+" }
            guard line.hasPrefix(script + ":") else { continue }
            let rest = line.dropFirst(script.count + 1)
            guard let colon = rest.firstIndex(of: ":"), let number = Int(rest[..<colon]) else { continue }
            let command = rest[rest.index(after: colon)...].trimmingPrefix(" ")
            let words = command.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
            if words.contains(where: { $0 == name }) { return (number, String(command.prefix(200))) }
        }
        return nil
    }

    /// The first line (not a comment, when asked) that has the class as a word.
    static func line(of name: String, in contents: [UInt8], skippingComments: Bool) -> Int? {
        let lines = String(decoding: contents, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            if skippingComments && line.hasPrefix("#") { continue }
            if line.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }).contains(where: { $0 == name }) {
                return index + 1
            }
        }
        return nil
    }

    static func line(containing text: String, in contents: [UInt8]) -> Int? {
        let lines = String(decoding: contents, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        return lines.firstIndex { $0.contains(text) }.map { $0 + 1 }
    }

    /// For a class of a faigen-generated kernel-log script: the rule and the kernel-log line
    /// of the snapshot that fires it.
    static func detectionEvidence(for name: String, script: ClassScript?, kernelLog: KernelLog?, spec: SiteSpec?) -> String? {
        guard let script, let kernelLog else { return nil }
        let text = String(decoding: script.file.contents, as: UTF8.self)
        guard isGenerated(text), text.contains("dmesg") else { return nil }
        for rule in [KernelLogRule.xenServer] + (spec?.detect ?? []) where rule.classes.contains(name) {
            guard let regex = try? PCRE2Regex(rule.pattern, options: rule.caseless ? [.caseless] : []),
                  let index = kernelLog.lines.firstIndex(where: { regex.matches($0) }) else { continue }
            return "kernel log line \(index + 1) matches '\(rule.pattern)': \(kernelLog.lines[index])"
        }
        return nil
    }
}
