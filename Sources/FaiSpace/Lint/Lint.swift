// Lint: reads a config space the way FAI would and runs every check over it.

/// What a check looks at: the config space as the model read it, the problems the reader
/// met on the way (paths relative to `root`), and `root` itself for tools that need a real
/// file (`bash -n`).
public struct LintSubject: Sendable {
    public var root: String
    public var space: ConfigSpace
    public var problems: [InputError]

    public init(root: String, space: ConfigSpace, problems: [InputError]) {
        self.root = root
        self.space = space
        self.problems = problems
    }

    /// The path of a config space file on disk.
    public func absolutePath(_ path: String) -> String { root.joiningPath(path) }

    /// Paths of the regular files the model holds, for telling an unreadable entry from a
    /// file whose content FAI could not use.
    public var filePaths: Set<String> { Set(space.files.map(\.path)) }
}

/// The lint entry point: `faigen lint` is `Lint.run(directory)` printed.
public enum Lint {
    /// Every check, in the order `docs/lint.md` lists them.
    public static let checks: [any LintCheck] = [
        UnreadableEntry(),
        DanglingSymlink(),
        NotText(),
        UnknownPackagesCommand(),
        PackagesBeforeCommand(),
        PackagesOption(),
        UpperCasePackageName(),
        ScriptNotExecutable(),
        ScriptWithoutShebang(),
        InvalidShellSyntax(),
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
    ]

    /// Reads the config space at `root` and returns every finding, sorted. Only a root that
    /// cannot be read at all is an error; everything below it becomes a finding.
    public static func run(_ root: String, checks: [any LintCheck] = Lint.checks) throws(InputError) -> [Finding] {
        let (space, problems) = try ConfigSpaceReader.readReporting(root)
        let subject = LintSubject(root: root, space: space, problems: problems)
        return checks.flatMap { $0.findings(in: subject) }.sorted()
    }

    /// `docs/lint.md`: every check with its id, severity, summary and rationale.
    public static func documentation(_ checks: [any LintCheck] = Lint.checks) -> String {
        var text = """
            # faigen lint checks

            `faigen lint [DIR]` reads an FAI config space (default `/srv/fai/config`) the way
            FAI's own tools do and prints one finding a line, `PATH:LINE: error|warning: message`,
            sorted, with PATH relative to DIR. It exits 1 when there is an error, else 0 (2 when
            DIR cannot be read at all). This file is generated from the checks in
            `Sources/FaiSpace/Lint/Checks/` (`make golden` rewrites it); each check carries the
            example trees that must and must not fire it, and `LintCheckTests` runs them all.

            | check | severity | reports |
            |---|---|---|

            """
        for check in checks {
            text += "| [`\(check.id)`](#\(check.id)) | \(check.severity.rawValue) | \(check.summary) |\n"
        }
        for check in checks {
            text += "\n## \(check.id)\n\n*\(check.severity.rawValue)*: \(check.summary).\n\n\(check.rationale)\n"
        }
        return text
    }

    /// Whether findings make `faigen lint` fail.
    public static func hasErrors(_ findings: [Finding]) -> Bool {
        findings.contains { $0.severity == .error }
    }
}
