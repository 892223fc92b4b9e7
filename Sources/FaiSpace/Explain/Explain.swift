// Explain: for one host, the classes FAI gives it and why, then what FAI's tools do with those classes.

public enum Explain {
    public struct Options: Sendable {
        /// `ADDCLASSES` as FAI gets it (commas or blanks between classes).
        public var addClasses: String = ""
        /// A `faigen facts save` snapshot of the host.
        public var factsDirectory: String?
        /// Run the class scripts in the sandbox (false: `--no-exec`, the static answer).
        public var execute: Bool = true
        /// Seconds the class scripts may take together.
        public var timeLimit: Int = 30
        /// The site spec, for the static answer (hostname patterns, detection rules).
        public var spec: SiteSpec?
        /// How FAI runs for the host (the class scripts may test it).
        public var action: FAIAction = .install

        public init(addClasses: String = "", factsDirectory: String? = nil, execute: Bool = true,
                    timeLimit: Int = 30, spec: SiteSpec? = nil) {
            self.addClasses = addClasses
            self.factsDirectory = factsDirectory
            self.execute = execute
            self.timeLimit = timeLimit
            self.spec = spec
        }
    }

    /// Explains one host of the config space at `directory`.
    public static func host(_ hostname: String, configSpace directory: String, options: Options) throws(InputError) -> HostExplanation {
        let plain = hostname.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x2E }
        guard plain, !hostname.isEmpty, !hostname.hasPrefix("-"), !hostname.hasPrefix("."), hostname.utf8.count <= 253 else {
            throw InputError(file: "HOST", "'\(hostname)' is not a plain host name",
                             hint: "give the host name FAI gets from hostname=: letters, digits and hyphens")
        }
        let space = try ConfigSpaceReader.read(directory)
        return try host(hostname, space: space, directory: directory, options: options)
    }

    static func host(_ hostname: String, space: ConfigSpace, directory: String, options: Options) throws(InputError) -> HostExplanation {
        var facts: KernelLog?
        if let path = options.factsDirectory { facts = try KernelLog(snapshot: path) }
        var resolution: ClassResolution
        if options.execute {
            let run = try ClassScriptSandbox.run(configSpace: directory, options: .init(
                hostname: hostname, addClasses: options.addClasses, factsDirectory: options.factsDirectory,
                timeLimit: options.timeLimit, action: options.action))
            resolution = ClassResolution(run: run, space: space, hostname: hostname, kernelLog: facts, spec: options.spec,
                                         timeLimit: options.timeLimit)
        } else {
            resolution = ClassResolution(staticFor: hostname, space: space, addClasses: options.addClasses,
                                         kernelLog: facts, spec: options.spec)
        }
        return explanation(hostname: hostname, space: space, resolution: resolution, executed: options.execute)
    }

    static func explanation(hostname: String, space: ConfigSpace, resolution: ClassResolution, executed: Bool) -> HostExplanation {
        let classes = resolution.classList
        let packages = PackageResolution(space: space, classes: classes)
        let files = FcopyResolution(space: space, classes: classes)
        var explanation = HostExplanation(
            hostname: hostname, executed: executed, classes: resolution.classes, classList: classes,
            unknowns: resolution.unknowns, classSteps: resolution.steps,
            packages: packages.groups, installPackagesList: packages.listOutput,
            files: files.choices, filesWithoutClass: files.withoutClass,
            scripts: scripts(space: space, classes: classes), hooks: hooks(space: space, classes: classes, hostname: hostname),
            diskConfig: diskConfig(space: space, classes: classes),
            debconf: perClass(space.debconfs.map(\.file.path), classes: classes, directory: "debconf"),
            variableFiles: perClass(space.classVariables.map(\.file.path), classes: classes, directory: "class", suffix: ".var"),
            additionalVariables: resolution.additionalVariables, problems: [])
        explanation.problems = resolution.problems + packages.problems
        return explanation
    }

    /// fai-do-scripts' call_conf: per class, `scripts/CLASS` when it is an executable file,
    /// else the executable `scripts/CLASS/[0-9][0-9]*` in name order, skipping backups.
    static func scripts(space: ConfigSpace, classes: [String]) -> [ScriptStep] {
        var byClass: [String: [CustomizationScript]] = [:]
        for script in space.customizationScripts { byClass[script.className, default: []].append(script) }
        var steps: [ScriptStep] = []
        for name in classes {
            for script in (byClass[name] ?? []).sorted(by: { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) })
            where script.isRun && script.file.isExecutable && !skippedScriptSuffixes.contains(where: { script.name.hasSuffix($0) }) {
                steps.append(ScriptStep(task: "configure", path: script.file.path, sourced: false))
            }
        }
        return steps
    }

    /// fai-do-scripts' do_script skips these.
    static let skippedScriptSuffixes = ["~", ".dpkg-old", ".dpkg-new", ".dpkg-inst", ".dpkg-tmp", ".dpkg-dist"]

    /// call_hook for each task of `fai install` in order: per class, `TASK.CLASS.sh` (sourced)
    /// then `TASK.CLASS`, executable ones only. Hooks of tasks before fai-class see FAI's first
    /// classes (DEFAULT LINUX HOSTNAME LAST).
    static func hooks(space: ConfigSpace, classes: [String], hostname: String) -> [ScriptStep] {
        let byName = Dictionary(space.hooks.map { ($0.file.name, $0) }, uniquingKeysWith: { first, _ in first })
        let early = ["DEFAULT", "LINUX", hostname, "LAST"]
        var steps: [ScriptStep] = []
        for task in FAIFacts.installTaskOrder {
            let taskClasses = FAIFacts.tasksBeforeClassDefinition.contains(task) ? early : classes
            for name in taskClasses {
                for (suffix, sourced) in [(".sh", true), ("", false)] {
                    if let hook = byName["\(task).\(name)\(suffix)"], hook.file.isExecutable {
                        steps.append(ScriptStep(task: task, path: hook.file.path, sourced: sourced))
                    }
                }
            }
        }
        return steps
    }

    /// setup-storage: `reverse split(/\s+/, $ENV{classes})`, the first readable `disk_config/CLASS`.
    static func diskConfig(space: ConfigSpace, classes: [String]) -> String? {
        let names = Set(space.diskConfigs.map(\.className))
        return classes.reversed().first(where: names.contains).map { "disk_config/\($0)" }
    }

    /// The files `DIRECTORY/CLASS[SUFFIX]` that exist, in class order (a class twice, twice).
    static func perClass(_ paths: [String], classes: [String], directory: String, suffix: String = "") -> [String] {
        let present = Set(paths)
        return classes.map { "\(directory)/\($0)\(suffix)" }.filter(present.contains)
    }
}

/// The kernel log of a facts snapshot, one entry a line.
struct KernelLog: Sendable {
    var lines: [String]

    init(snapshot: String) throws(InputError) {
        let path = snapshot.joiningPath("var/log/dmesg")
        guard let status = try FileSystem.status(snapshot), status.kind == .directory else {
            throw InputError(file: snapshot, "--facts is not a directory", hint: "give a snapshot made by `faigen facts save DIR`")
        }
        if try FileSystem.status(path) != nil {
            lines = String(decoding: try FileSystem.readFile(path), as: UTF8.self).split(separator: "\n").map(String.init)
        } else {
            lines = []
        }
    }
}

extension Explain {
    /// `faigen explain --all`: every host of the spec, plus the classes the config space
    /// gives material to (lists, files, scripts, ...) that none of those hosts gets.
    public static func all(configSpace directory: String, options: Options) throws(InputError) -> (table: ExplanationTable, problems: [ExplainProblem]) {
        guard let spec = options.spec else {
            throw InputError(file: directory, "--all needs a site spec with hosts", hint: "give --spec FILE")
        }
        let space = try ConfigSpaceReader.read(directory)
        var rows: [HostExplanation] = []
        for host in spec.hosts {
            rows.append(try Self.host(host.name.text, space: space, directory: directory, options: options))
        }
        let gotten = Set(rows.flatMap(\.classList))
        let unknown = rows.contains { !$0.unknowns.isEmpty }
        var problems: [ExplainProblem] = []
        if !unknown {
            var uses: [String: [ClassUse]] = [:]
            for use in space.classUses where use.kind == .perClassFile && !gotten.contains(use.name)
                && FAIFacts.isSafeClassName(use.name) && !FAIFacts.classesBeforeClassDefinition.contains(use.name) {
                uses[use.name, default: []].append(use)
            }
            for name in uses.keys.sorted() {
                let places = uses[name, default: []]
                problems.append(ExplainProblem(kind: .classNeverDefined,
                    message: "class \(name) has \(places.map(\.what).uniqued().joined(separator: ", ")) but none of the spec's \(rows.count) hosts gets it",
                    places: places.prefix(5).map { "\($0.path):\($0.line)" }))
            }
        }
        return (ExplanationTable(rows: rows), problems)
    }
}

extension Array where Element: Hashable {
    fileprivate func uniqued() -> [Element] {
        var seen: Set<Element> = []
        return filter { seen.insert($0).inserted }
    }
}
