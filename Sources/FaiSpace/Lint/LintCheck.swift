// LintCheck: the shape of one lint check, and the example trees every check carries.

/// One check of a config space. Each check is a value in its own file under `Checks/`
/// that carries trees which must fire it and trees which must not; `LintCheckTests`
/// walks every check in `LintChecks.all` over its own examples, so a new check is tested
/// by adding it there.
public protocol LintCheck: Sendable {
    /// Stable kebab-case name, e.g. `unknown-packages-command`.
    var id: String { get }
    var severity: Severity { get }
    /// One line: what the check reports.
    var summary: String { get }
    /// Why it matters in FAI's terms, for `docs/lint.md`.
    var rationale: String { get }
    /// Trees in which the check must report exactly the expected findings.
    var triggeringExamples: [LintExample] { get }
    /// Trees in which the check must stay quiet.
    var nonTriggeringExamples: [LintExample] { get }
    /// Programs the check runs, which the machine running lint (and its tests) must have.
    var requiredTools: [RequiredTool] { get }

    func findings(in subject: LintSubject) -> [Finding]
}

extension LintCheck {
    public var requiredTools: [RequiredTool] { [] }

    /// A finding of this check, with its id and severity.
    public func finding(_ path: String, line: Int = 1, _ message: String) -> Finding {
        Finding(path: path, line: line, severity: severity, message: message, check: id)
    }
}

/// A program a check runs, and the Debian package that has it.
public struct RequiredTool: Sendable, Hashable {
    public var path: String
    public var package: String

    public init(path: String, package: String) {
        self.path = path
        self.package = package
    }
}

/// A small config space given as data: relative path to node. Parent directories are
/// implied by the paths, and so is `class/`: every example is a config space. A `\xNN` in
/// a path stands for that byte (a name that is not UTF-8), as lint's findings write it.
public struct LintExample: Sendable {
    public var tree: [String: ExampleNode]
    /// Where the check must fire (path and line), for a triggering example; empty otherwise.
    public var expected: [ExpectedFinding]

    public init(_ tree: [String: ExampleNode], expect expected: [ExpectedFinding] = []) {
        self.tree = tree
        self.expected = expected
    }
}

/// One place a triggering example must produce a finding.
public struct ExpectedFinding: Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var line: Int

    public init(_ path: String, line: Int = 1) {
        self.path = path
        self.line = line
    }

    public var description: String { "\(path):\(line)" }
}

/// One node of an example tree.
public enum ExampleNode: Sendable, Hashable {
    /// A regular file with its bytes and permission bits.
    case file([UInt8], mode: UInt32)
    case symlink(target: String)
    case directory
    /// A named pipe: a path that exists but cannot be read as a file.
    case fifo
    /// A file of `size` bytes that takes no room on disk (all zero bytes).
    case sparse(size: Int, mode: UInt32)

    /// A text file, mode 0644.
    public static func text(_ content: String) -> ExampleNode { .file(Array(content.utf8), mode: 0o644) }
    /// An executable text file, mode 0755.
    public static func script(_ content: String) -> ExampleNode { .file(Array(content.utf8), mode: 0o755) }
    public static func text(_ content: String, mode: UInt32) -> ExampleNode { .file(Array(content.utf8), mode: mode) }
}
