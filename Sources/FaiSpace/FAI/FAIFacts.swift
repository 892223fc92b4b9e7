// FAIFacts: what FAI's own tools accept, as data, taken from fai-client 6.0 (Debian bookworm).

/// Facts about FAI that the model and lint check against (besides the model's
/// `knownPackageCommands`). Each names the file it comes from;
/// `FAIFactsTests` compares them with the installed fai-client so a new FAI is noticed.
public enum FAIFacts {
    /// The commands that hand their words to dpkg, apt or tasksel, where a package (or task)
    /// name is lower case by Debian policy (section 5.6.7). rpm, pacman and apk names may
    /// have upper case (`NetworkManager`), so only these get the upper-case warning.
    public static let debianPackageCommands: Set<String> = [
        "apt", "aptitude", "aptitude-r", "cupt", "cupt-r", "dselect-upgrade", "hold",
        "install", "install-norec", "remove", "taskinst", "taskrm", "unpack",
    ]

    /// The only option `install_packages` allows after the command (`PACKAGES install
    /// release=bookworm-backports`); any other `word=value` is "not allowed".
    public static let packagesOptionPrefix = "release="

    /// Every task FAI runs through `task NAME` (`/usr/sbin/fai`, `/usr/lib/fai/subroutines`),
    /// which calls `call_hook NAME` first: hooks named `NAME.CLASS[.sh]` run for these.
    public static let hookTasks: Set<String> = [
        "confdir", "setup", "defclass", "defvar", "action",
        "install", "dirinstall", "softupdate", "sysinfo", "inventory",
        "partition", "mountdisks", "extrbase", "debconf", "repository", "updatebase",
        "instsoft", "configure", "tests", "finish", "chboot", "savelog", "faiend",
    ]

    /// Tasks whose hooks FAI looks up outside the config space: `confdir` hooks run before
    /// the config space is fetched, so only `$nfsroot/$FAI/hooks` is searched (fai-guide, Hooks).
    public static let hookTasksOutsideConfigSpace: Set<String> = ["confdir"]

    /// Tasks whose hooks run before fai-class defines the classes (`/usr/sbin/fai`: `task
    /// setup`, `task defclass`, and `call_hook` runs before the task itself).
    public static let tasksBeforeClassDefinition: Set<String> = ["setup", "defclass"]

    /// The classes FAI has before fai-class runs: `/usr/sbin/fai` sets
    /// `classes="DEFAULT $(uname -s | tr a-z A-Z) $HOSTNAME LAST"` (LINUX on Linux), unless
    /// `fai -c` gave a list.
    public static let classesBeforeClassDefinition: Set<String> = ["DEFAULT", "LINUX", "LAST"]

    /// The classes every run has, whatever the class scripts say: `fai-class` starts with
    /// `DEFAULT` and ends with `$HOSTNAME LAST`.
    public static let alwaysDefinedClasses: Set<String> = ["DEFAULT", "LAST"]

    /// Characters the fai-guide forbids in a class name ("must not contain a hyphen, a hash,
    /// a semicolon or a dot"): a dot would split `hooks/TASK.CLASS` and `CLASS.var`, the
    /// others break the shell words and cfengine `-D` lists FAI builds from class names.
    /// The hostname class is the exception: a hostname may contain hyphens.
    public static let forbiddenClassNameCharacters: Set<Character> = ["-", "#", ";", "."]

    /// Classes `fai-make-nfsroot` (fai-server) gives every nfsroot it builds, in `setclasses`:
    /// `NFSROOT`, and `FULL` unless `-s` asks for the small list. Packages of `/etc/fai/NFSROOT`
    /// under these (or under no class) are always installed; the architecture, distribution
    /// and `NONFREE` (`-N`) classes depend on the build, so they do not count.
    public static let nfsrootDefaultClasses: Set<String> = ["NFSROOT", "FULL"]

    /// Shells whose `-n` flag parses a script without running it.
    public static let syntaxCheckingShells: Set<String> = ["sh", "bash", "dash", "ksh", "mksh", "zsh", "posh"]

    /// Whether `name` is a class name faigen writes or accepts from outside: A-Z, 0-9 and `_`
    /// only, so it is safe as a bare shell word anywhere in a script (the defclass hook demands
    /// the same of ADDCLASSES).
    public static func isSafeClassName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
    }

    /// Whether a class name can be a hostname class: FAI adds `$HOSTNAME` as the only lower
    /// case class, and hostnames are letters, digits and hyphens.
    public static func isHostnameLike(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
        }
    }

    /// What is wrong with a class name by FAI's conventions, or nil when nothing is.
    /// Forbidden characters are errors; mixed case and other characters are warnings.
    public static func classNameProblem(_ name: String) -> ClassNameProblem? {
        if isHostnameLike(name) { return nil }
        if let bad = name.first(where: { forbiddenClassNameCharacters.contains($0) }) {
            return .forbiddenCharacter(bad)
        }
        let hasUpper = name.unicodeScalars.contains { ("A"..."Z").contains($0) }
        let hasLower = name.unicodeScalars.contains { ("a"..."z").contains($0) }
        if hasUpper && hasLower { return .mixedCase }
        if let odd = name.first(where: { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_")) }) {
            return .unusualCharacter(odd)
        }
        return nil
    }
}

/// A way a class name breaks FAI's convention (fai-guide, "Defining classes").
public enum ClassNameProblem: Sendable, Hashable {
    /// `-`, `#`, `;` or `.` in a name that is not a lower-case hostname.
    case forbiddenCharacter(Character)
    /// Upper and lower case letters: not a class (upper case) and not a hostname (lower case).
    case mixedCase
    /// Something other than letters, digits and underscores.
    case unusualCharacter(Character)

    public var isError: Bool {
        if case .forbiddenCharacter = self { return true }
        return false
    }
}
