// ClassScriptSandbox: runs a config space's class scripts and defclass hooks for one host inside private namespaces, and reads back what each did.
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What happened when the class scripts ran for one host.
public struct SandboxRun: Sendable, Hashable {
    /// One class script or hook that ran.
    public struct Step: Sendable, Hashable {
        /// `50-host-classes` for a class script, `hooks/defclass.DEFAULT.sh` for a hook.
        public var name: String
        public var isHook: Bool
        /// nil when it never finished (the time limit, or a sourced script that exited).
        public var exitStatus: Int?
        /// Files it wrote, changed or removed on the root file system (kept in the sandbox only).
        public var wrote: [String] = []
        /// The xtrace lines of a bash script, `NAME:LINE: command`.
        public var trace: [String] = []
        /// The last lines it wrote to stderr.
        public var stderrTail: String = ""
    }

    /// Class scripts and hooks in the order they started.
    public var steps: [Step] = []
    /// Every class in order with the step that added it (`fai`, a script name,
    /// `additional-classes`, `host-file`, `ADDCLASSES`).
    public var classes: [(origin: String, name: String)] = []
    /// fai-class's output file, as the run left it.
    public var faiClasses: [String] = []
    /// Whether the whole run finished (the driver's last record was written).
    public var finished = false
    /// Whether the time limit stopped it.
    public var timedOut = false
    /// Class scripts fai-class skips, with why.
    public var skipped: [(name: String, reason: String)] = []
    /// `LOGDIR/additional.var` as the scripts left it.
    public var additionalVariables: String?
    /// Variables after the hooks ran (HOSTNAME, ADDCLASSES): hooks may change them.
    public var variables: [String: String] = [:]

    public static func == (lhs: SandboxRun, rhs: SandboxRun) -> Bool {
        lhs.steps == rhs.steps && lhs.faiClasses == rhs.faiClasses && lhs.finished == rhs.finished
            && lhs.timedOut == rhs.timedOut && lhs.classes.map { [$0.origin, $0.name] } == rhs.classes.map { [$0.origin, $0.name] }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(steps)
        hasher.combine(faiClasses)
    }
}

/// How FAI is run, as the class scripts see it (`$FAI_ACTION`, `$do_init_tasks`).
public enum FAIAction: String, Sendable, CaseIterable {
    /// An install client booted into the nfsroot: `fai install`, init tasks done.
    case install
    /// `fai dirinstall DIR` on a server: no init tasks.
    case dirinstall
    /// `fai-diskimage`: `fai install` into a loop device, no init tasks.
    case diskimage

    public var faiAction: String { self == .dirinstall ? "dirinstall" : "install" }
    public var doInitTasks: Int { self == .install ? 1 : 0 }
}

/// Runs class scripts the way fai-class does, but only inside new mount, network, PID and
/// UTS namespaces (util-linux `unshare`), chrooted into an overlay of `/` whose writes vanish,
/// with a scratch LOGDIR, the host's facts and a time limit (coreutils `timeout`, which kills
/// every process of the PID namespace with it).
public enum ClassScriptSandbox {
    public struct Options: Sendable {
        public var hostname: String
        public var addClasses: String
        /// A `faigen facts save` snapshot whose /proc, /sys files and kernel log the scripts see.
        public var factsDirectory: String?
        /// Seconds for the whole run.
        public var timeLimit: Int
        /// Run FAI's own `fai-class -T` instead of the step-by-step loop (no attribution).
        public var reference: Bool
        /// How FAI runs: FAI_ACTION and do_init_tasks, which class scripts test.
        public var action: FAIAction

        public init(hostname: String, addClasses: String = "", factsDirectory: String? = nil,
                    timeLimit: Int = 30, reference: Bool = false, action: FAIAction = .install) {
            self.hostname = hostname
            self.addClasses = addClasses
            self.factsDirectory = factsDirectory
            self.timeLimit = timeLimit
            self.reference = reference
            self.action = action
        }
    }

    /// The programs the sandbox needs, with the Debian package of each.
    static let tools = [("/usr/bin/unshare", "util-linux"), ("/usr/bin/timeout", "coreutils"),
                        ("/usr/sbin/chroot", "coreutils"), ("/usr/bin/env", "coreutils")]

    public static func run(configSpace: String, options: Options) throws(InputError) -> SandboxRun {
        for (tool, package) in tools where access(tool, X_OK) != 0 {
            throw InputError(file: tool, "missing, so class scripts cannot run in a sandbox",
                             hint: "install Debian package \(package), or use --no-exec")
        }
        if geteuid() != 0 {
            throw InputError(file: configSpace, "running class scripts needs root (for private mount, network and PID namespaces)",
                             hint: "run as root, or use --no-exec for the answer without running them")
        }
        let config = absolute(configSpace)
        var facts = ""
        if let directory = options.factsDirectory { facts = absolute(directory) }
        let out = try makeScratch("out")
        let work = try makeScratch("root")
        defer {
            try? FileManager.default.removeItem(atPath: out)
            rmdir(work)
        }
        try write(out + "/driver", SandboxScripts.driver)
        try write(out + "/mode", options.reference ? "reference" : "steps")
        let arguments = [
            "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOSTNAME=\(options.hostname)",
            "ADDCLASSES=\(options.addClasses)", "FAI_ACTION=\(options.action.faiAction)",
            "do_init_tasks=\(options.action.doInitTasks)", "LC_ALL=C.UTF-8", "HOME=/root",
            "timeout", "-k", "2", String(options.timeLimit),
            "unshare", "--mount", "--net", "--pid", "--uts", "--ipc", "--fork", "--kill-child",
            "/bin/sh", "-c", SandboxScripts.setup, "faigen-explain", work, config, facts, out, options.hostname,
        ]
        let input = open("/dev/null", O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw InputError(file: "/dev/null", "cannot open: \(FileSystem.errorText())") }
        // timeout(1) inside holds the limit; this deadline only guards against timeout itself hanging.
        let ran = try ToolRun.run("/usr/bin/env", arguments, input: input, seconds: Double(options.timeLimit + 15))
        let (status, errors) = (ran.status, ran.output)
        var result = parse(out: out)
        result.timedOut = result.timedOut || ran.timedOut || status == 124 || status == 137 || status == -1
        if !result.timedOut, status != 0, result.steps.isEmpty {
            let message = String(decoding: errors.suffix(2000), as: UTF8.self)
                .split(separator: "\n").last.map(String.init) ?? "exit status \(status)"
            throw InputError(file: configSpace, "the sandbox for the class scripts could not be set up: \(message)",
                             hint: "explain needs root, overlayfs and unshare; use --no-exec for the static answer")
        }
        return result
    }

    static func parse(out: String) -> SandboxRun {
        var run = SandboxRun()
        let trace = (try? FileSystem.readFile(out + "/trace")) ?? []
        var traceStart: [String: Int] = [:]
        for line in readLines(out + "/record") {
            let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3 else { continue }
            let (what, name, value) = (fields[0], fields[1], fields[2])
            switch what {
            case "start":
                run.steps.append(SandboxRun.Step(name: value, isHook: name == "hook"))
            case "end":
                if let index = run.steps.lastIndex(where: { $0.name == name }) {
                    run.steps[index].exitStatus = Int(value)
                }
            case "wrote":
                if let index = run.steps.lastIndex(where: { $0.name == name }), run.steps[index].wrote.count < 100 {
                    run.steps[index].wrote.append(value)
                }
            case "trace":
                traceStart[name] = Int(value)
            case "trace-end":
                if let start = traceStart[name], let end = Int(value), start <= end, end <= trace.count,
                   let index = run.steps.lastIndex(where: { $0.name == name }) {
                    run.steps[index].trace = String(decoding: trace[start..<end], as: UTF8.self)
                        .split(separator: "\n").map(String.init)
                }
            case "class":
                run.classes.append((origin: name, name: value))
            case "skipped":
                run.skipped.append((name: name, reason: value))
            case "variable":
                run.variables[name] = value
            case "done":
                run.finished = true
            case "timeout":
                run.timedOut = true
            default:
                continue
            }
        }
        for index in run.steps.indices {
            let name = run.steps[index].name
            if !name.contains("/"), let bytes = try? FileSystem.readFile(out + "/stderr." + name) {
                run.steps[index].stderrTail = String(decoding: bytes.suffix(400), as: UTF8.self)
            }
        }
        run.faiClasses = readLines(out + "/FAI_CLASSES").flatMap { $0.split(separator: " ").map(String.init) }
        if let bytes = try? FileSystem.readFile(out + "/additional.var") {
            run.additionalVariables = String(decoding: bytes, as: UTF8.self)
        }
        return run
    }

    private static func readLines(_ path: String) -> [String] {
        guard let bytes = try? FileSystem.readFile(path) else { return [] }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    private static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        return FileManager.default.currentDirectoryPath + "/" + path
    }

    private static func makeScratch(_ name: String) throws(InputError) -> String {
        guard let made = FileSystem.makeTemporaryDirectory(prefix: "/tmp/faigen-explain-\(name).") else {
            throw InputError(file: "/tmp", "cannot make a scratch directory: \(FileSystem.errorText())")
        }
        return made
    }

    private static func write(_ path: String, _ text: String) throws(InputError) {
        try FileSystem.writeFileAtomically(path, contents: Array(text.utf8), mode: 0o644)
    }
}
