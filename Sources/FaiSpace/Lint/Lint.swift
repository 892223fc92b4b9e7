// Lint: reads a config space the way FAI would and runs every check over it.

/// What one file may cost lint: how much of it is read, and how long a checking program
/// (`bash -n`, `setup-storage -s`) may run over it. Beyond either the file is reported, not checked.
public struct LintLimits: Sendable, Hashable {
    /// Bytes read of one file (8 MiB); a larger file is `too-large-to-check`.
    public var maxFileBytes: Int
    /// Seconds one checking program may run over one file (30 s) before it is killed.
    public var toolSeconds: Double

    public init(maxFileBytes: Int = 8 << 20, toolSeconds: Double = 30) {
        self.maxFileBytes = maxFileBytes
        self.toolSeconds = toolSeconds
    }

    public static let standard = LintLimits()

    /// `8 MiB`, `30 s`: as docs and findings state them.
    public var fileSizeText: String { Self.bytesText(maxFileBytes) }
    public var toolTimeText: String { toolSeconds == toolSeconds.rounded() ? "\(Int(toolSeconds)) s" : "\(toolSeconds) s" }

    static func bytesText(_ bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}

/// What a check looks at: the config space as FAI reads it (symlinks to files inside it
/// read in their place), what the reader met on the way (paths relative to `root`), and
/// `root` itself for tools that read a real file (`bash -n`).
public struct LintSubject: Sendable {
    public var root: String
    public var space: ConfigSpace
    public var problems: [InputError]
    /// Every symlink and what it resolves to.
    public var links: [LinkResolution]
    /// Files over `limits.maxFileBytes`, with their size; only their first lines were read.
    public var oversized: [String: Int]
    /// Names that are not UTF-8, escaped (`class/55-\xFF`); nothing below them was read.
    public var undecodableNames: [String]
    public var limits: LintLimits
    private var realPaths: [String: String]

    public init(root: String, read: LintRead, limits: LintLimits = .standard) {
        self.root = root
        space = read.space
        problems = read.problems
        links = read.links
        oversized = read.oversized
        undecodableNames = read.undecodableNames
        realPaths = read.realPaths
        self.limits = limits
    }

    /// Where a config space file's bytes are on disk: a followed symlink's target, else the path under root.
    public func absolutePath(_ path: String) -> String { realPaths[path] ?? root.joiningPath(path) }

    /// Paths of the regular files the model holds, for telling an unreadable entry from a
    /// file whose content FAI could not use.
    public var filePaths: Set<String> { Set(space.files.map(\.path)) }
}

/// The lint entry point: `faigen lint` is `Lint.run(directory)` printed.
public enum Lint {
    /// Every check, in the order `docs/lint.md` lists them.
    public static let checks: [any LintCheck] = [
        UnreadableEntry(),
        FileNameNotUTF8(),
        DanglingSymlink(),
        SymlinkLoop(),
        SymlinkToSpecialFile(),
        SymlinkOutsideConfigSpace(),
        TooLargeToCheck(),
        NotText(),
        UnknownPackagesCommand(),
        PackagesBeforeCommand(),
        PackagesOption(),
        UpperCasePackageName(),
        ScriptNotExecutable(),
        ScriptWithoutShebang(),
        InvalidShellSyntax(),
        DiskConfigSyntax(),
        FcopyScriptNotExecutable(),
        UnknownHookTask(),
        ConfdirHook(),
        EarlyHookClass(),
        DeprecatedSourceSuffix(),
        ClassNameCharacters(),
        ClassNameCase(),
        UndefinedClass(),
        RepeatedHostClass(),
        TwoBootLoaders(),
        LintDirective(),
    ]

    /// Reads the config space at `root` and returns every finding, sorted. Only a root that
    /// cannot be read at all is an error; everything below it becomes a finding.
    ///
    /// Findings silenced by a `# faigen-lint disable=ID` line in their file or by the
    /// config space's `.faigenlint` are left out (see ``LintSettings``).
    public static func run(_ root: String, checks: [any LintCheck] = Lint.checks,
                           limits: LintLimits = .standard) throws(InputError) -> [Finding] {
        let read = try ConfigSpaceReader.readForLint(root, maxFileBytes: limits.maxFileBytes)
        let subject = LintSubject(root: root, read: read, limits: limits)
        let settings = LintSettings(subject.space)
        return checks.flatMap { $0.findings(in: subject) }.filter { !settings.silences($0) }.sorted()
    }

    /// The default config space: `FAI_CONFIGDIR` from `/etc/fai/nfsroot.conf` when that
    /// file sets it (as fai-make-nfsroot and fai-setup read it), else `/srv/fai/config`.
    public static func defaultDirectory(nfsrootConf: String = "/etc/fai/nfsroot.conf") -> String {
        ConfigSpaceReader.configDirectory(nfsrootConf: nfsrootConf) ?? "/srv/fai/config"
    }

    /// `docs/lint.md`: how lint reads, its limits, how to silence a finding, and every check
    /// with its id, severity, summary and rationale.
    public static func documentation(_ checks: [any LintCheck] = Lint.checks, limits: LintLimits = .standard) -> String {
        var text = """
            # faigen lint checks

            `faigen lint [--format text|json] [DIR]` reads an FAI config space the way FAI's own
            tools do and prints one finding a line, sorted, with PATH relative to DIR:

            ```
            PATH:LINE: error|warning: message [check-id]
            ```

            It exits 1 when there is an error, else 0 (warnings alone pass), and 2 with one line
            on stderr when DIR cannot be read or is not an FAI config space: a tree without
            `class/` is not one (FAI's `task_defclass` stops without it). DIR defaults to
            `FAI_CONFIGDIR` from `/etc/fai/nfsroot.conf` when that file sets it, else
            `/srv/fai/config`. This file is generated from the checks in
            `Sources/FaiSpace/Lint/Checks/` (`make golden` rewrites it); each check carries the
            example trees that must and must not fire it, and `LintCheckTests` runs them all.

            ## For scripts and CI

            `faigen lint --format json` prints the same findings as one JSON document, with the
            same exit status:

            ```json
            {"errors": 1, "warnings": 0, "findings": [{"path": "package_config/DEBIAN", "line": 3,
             "severity": "error", "check": "unknown-packages-command", "message": "..."}]}
            ```

            ## Silencing a finding

            - In the file: a comment line `# faigen-lint disable=CHECK-ID[,CHECK-ID...]`
              anywhere in it silences those checks for that file (words after a blank are a free
              reason), as shellcheck's `# shellcheck disable=` does. It works in every file FAI
              reads as text or shell (`#` is a comment in all of them).
            - For the config space: `.faigenlint` at DIR's root, one rule a line,
              `disable=CHECK-ID[,CHECK-ID...] [PATTERN...]`, `#` comments. Without a pattern the
              checks are off everywhere; a pattern is a shell glob (`*` stays within one path
              component) and a directory covers everything below it:

              ```
              # GERMAN and STANDARD are opt-in classes, given by ADDCLASSES
              disable=undefined-class package_config/GERMAN debconf/GERMAN class/GERMAN.var
              disable=confdir-hook
              ```

              `.faigenlint` is a plain file of the config space, not faigen state in `.faigen/`:
              it travels with the hand-written space through git, `faigen render --base` and
              `faigen build`, so rendered output lints as its base does.

            A rule with an unknown check id silences nothing and is itself an error
            ([`lint-directive`](#lint-directive)).

            ## Symlinks

            Lint follows a symlink as FAI does on the install client. A link to a file inside
            the config space is read and checked in the link's place (its mode is the target's,
            as `test -x` sees it); a link to a directory inside it is not walked twice (its
            files are checked where they are). A loop is [`symlink-loop`](#symlink-loop), a
            missing target [`dangling-symlink`](#dangling-symlink), a FIFO, socket or device
            [`symlink-to-special-file`](#symlink-to-special-file) (FAI's `-f` tests skip it), and
            a target outside the config space
            [`symlink-outside-config-space`](#symlink-outside-config-space) (resolved on the
            client, so not read). Targets are examined with `stat` and opened only when they are
            regular files, with `O_NONBLOCK`: nothing they point at can make lint wait.

            ## Limits

            What one file may cost lint is bounded, and a file beyond a bound is a finding that
            names the bound, never a hang:

            | limit | value | beyond it |
            |---|---|---|
            | bytes read of one file | \(limits.fileSizeText) | [`too-large-to-check`](#too-large-to-check); the first lines are checked, no checker runs |
            | time for one `sh -n` / `bash -n` | \(limits.toolTimeText) | the shell is killed; [`shell-syntax`](#shell-syntax) says it did not finish |
            | time for one `setup-storage -s` | \(limits.toolTimeText) | killed; [`disk-config-syntax`](#disk-config-syntax) says it did not finish |
            | diagnostics kept from one checker | \(LintLimits.bytesText(ToolRun.outputLimit)) | the rest is read and dropped |

            Files whose content no check reads are not read at all: `basefiles/` (base images),
            `tests/`, fcopy variants under `files/` and apt keys may be any size. The walk
            costs one `lstat` per entry and one bounded read per file it reads: linear in the
            size of the tree.

            ## Checks

            | check | severity | reports |
            |---|---|---|

            """
        for check in checks {
            text += "| [`\(check.id)`](#\(check.id)) | \(check.severity.rawValue) | \(check.summary) |\n"
        }
        for check in checks {
            text += "\n### \(check.id)\n\n*\(check.severity.rawValue)*: \(check.summary).\n\n\(check.rationale)\n"
        }
        return text
    }

    /// Whether findings make `faigen lint` fail.
    public static func hasErrors(_ findings: [Finding]) -> Bool {
        findings.contains { $0.severity == .error }
    }
}
