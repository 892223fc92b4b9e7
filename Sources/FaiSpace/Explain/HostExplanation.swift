// HostExplanation: what FAI does for one host (classes and why, packages, files, scripts, hooks, disk_config, debconf, .var) as values.

/// Where a class came from.
public struct ClassOrigin: Sendable, Hashable, Encodable {
    public enum Kind: String, Sendable, Hashable, Encodable {
        /// fai-class itself: DEFAULT, the host name, LAST.
        case fai
        /// A class script printed it (or a `.sh` one set it in `newclasses`).
        case classScript = "class-script"
        /// A class script wrote it to `$LOGDIR/additional-classes`.
        case additionalClasses = "additional-classes"
        /// `class/HOSTNAME`.
        case hostFile = "host-file"
        /// `ADDCLASSES` (kernel command line, Ganeti's addclasses=, `fai -c`).
        case addClasses = "ADDCLASSES"
    }

    public var kind: Kind
    /// Config-space relative file (`class/50-host-classes`), nil for fai and ADDCLASSES.
    public var file: String?
    public var line: Int?
    /// What fired: the traced command, a detection rule and its evidence, a spec pattern.
    public var detail: String?

    public init(kind: Kind, file: String? = nil, line: Int? = nil, detail: String? = nil) {
        self.kind = kind
        self.file = file
        self.line = line
        self.detail = detail
    }

    public var location: String {
        guard let file else { return kind.rawValue }
        return line.map { "\(file):\($0)" } ?? file
    }
}

/// One class of the host, with every place that defined it (two or more is a problem).
public struct ExplainedClass: Sendable, Hashable, Encodable {
    public var name: String
    public var origins: [ClassOrigin]
}

/// One package word as install_packages collects it.
public struct PackageChoice: Sendable, Hashable, Encodable {
    /// The word as written (`exim4-`, `foo/bookworm-backports`, `${kernelname}`).
    public var word: String
    /// The list and line it came from (`package_config/DEBIAN`, 12).
    public var file: String
    public var line: Int
    /// The class whose list it is.
    public var list: String
}

/// One command install_packages runs: `install-norec` with its packages, per `release=` option.
public struct PackageCommandGroup: Sendable, Hashable, Encodable {
    public var command: String
    /// `release=bookworm-backports`, nil when the PACKAGES line had no option.
    public var option: String?
    public var packages: [PackageChoice]
}

/// The file fcopy copies to one path, and from which class.
public struct FcopyChoice: Sendable, Hashable, Encodable {
    /// `/etc/motd`.
    public var destination: String
    /// `files/etc/motd/FAIBASE`.
    public var source: String
    public var className: String
    /// Owner, group and mode from `file-modes`, else the source file's mode (owner and group
    /// are then the config space's, shown as nil).
    public var owner: String?
    public var group: String?
    public var mode: String
    public var postinst: String?
    public var preinst: String?
    public var substitutes: Bool
}

/// A script or hook FAI runs for the host, in order.
public struct ScriptStep: Sendable, Hashable, Encodable {
    /// The task it runs in (`configure` for scripts/, the hook's task for hooks).
    public var task: String
    public var path: String
    /// A hook named `.sh` is sourced by FAI's shell; others are executed.
    public var sourced: Bool
}

/// Something FAI would do twice, both ways, or never, with each side's place.
public struct ExplainProblem: Sendable, Hashable, Encodable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Encodable {
        case duplicateClass = "duplicate-class"
        case twoBootLoaders = "two-boot-loaders"
        case installedAndRemoved = "installed-and-removed"
        case classNeverDefined = "class-never-defined"
        case scriptFailed = "class-script-failed"
        case scriptTimedOut = "class-script-timed-out"
        case scriptWroteOutsideLogdir = "class-script-wrote-outside-logdir"
        case scriptUsedNetwork = "class-script-used-network"
    }

    public var kind: Kind
    public var message: String
    /// `file:line` of each side.
    public var places: [String]

    public var description: String {
        places.isEmpty ? "\(kind.rawValue): \(message)" : "\(kind.rawValue): \(message) [\(places.joined(separator: ", "))]"
    }
}

/// Everything `faigen explain HOST` answers.
public struct HostExplanation: Sendable, Hashable, Encodable {
    public var hostname: String
    /// Whether the class scripts ran (in the sandbox) or the answer is static (`--no-exec`).
    public var executed: Bool
    /// The classes in FAI's order, each once.
    public var classes: [ExplainedClass]
    /// `$classes` exactly as FAI has it (a class defined twice appears twice).
    public var classList: [String]
    /// What could not be known without running code (`--no-exec`), or a script that did not finish.
    public var unknowns: [String]
    /// Class scripts and hooks that ran while classes were defined, with their exit status.
    public var classSteps: [ClassStep]
    /// install_packages' commands in the order it runs them.
    public var packages: [PackageCommandGroup]
    /// What `install_packages -l` prints: the packages of the last command it collects
    /// (it keeps only the last list it built; an FAI quirk).
    public var installPackagesList: [String]
    public var files: [FcopyChoice]
    /// fcopy paths none of whose classes this host has.
    public var filesWithoutClass: [String]
    public var scripts: [ScriptStep]
    public var hooks: [ScriptStep]
    /// setup-storage's choice: the last class with a `disk_config/CLASS`.
    public var diskConfig: String?
    /// fai-debconf reads these in class order.
    public var debconf: [String]
    /// task_defvar sources these in class order.
    public var variableFiles: [String]
    /// `$LOGDIR/additional.var` written by the class scripts.
    public var additionalVariables: String?
    public var problems: [ExplainProblem]

    /// A class script or hook run while classes were defined.
    public struct ClassStep: Sendable, Hashable, Encodable {
        public var name: String
        public var exitStatus: Int?
        public var wrote: [String]
    }
}
