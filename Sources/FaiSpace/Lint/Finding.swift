// Finding: one problem lint found, at a path (relative to the config space) and line.

/// How bad a finding is: an error makes `faigen lint` exit 1, a warning does not.
public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable, Codable {
    case error
    case warning

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        lhs == .error && rhs == .warning
    }
}

/// One problem in a config space. `line` is 1-based; a finding about a whole file or
/// directory points at line 1, so every finding reads `PATH:LINE: severity: message [check]`.
/// As JSON (`faigen lint --format json`) it is `{"path", "line", "severity", "check", "message"}`.
public struct Finding: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// Path relative to the config space root, `/`-separated, e.g. `package_config/DEBIAN`.
    public var path: String
    public var line: Int
    public var severity: Severity
    public var message: String
    /// The id of the check that found it (`unknown-packages-command`).
    public var check: String

    public init(path: String, line: Int = 1, severity: Severity, message: String, check: String) {
        self.path = path
        self.line = line
        self.severity = severity
        self.message = message
        self.check = check
    }

    /// `PATH:LINE: error|warning: message [check-id]`, on one line whatever the message quotes.
    public var description: String {
        "\(path):\(line): \(severity.rawValue): \(message) [\(check)]".replacingNewlines()
    }

    /// By path, then line, then severity, then message: the order `faigen lint` prints.
    public static func < (lhs: Finding, rhs: Finding) -> Bool {
        if lhs.path != rhs.path { return lhs.path.utf8.lexicographicallyPrecedes(rhs.path.utf8) }
        if lhs.line != rhs.line { return lhs.line < rhs.line }
        if lhs.severity != rhs.severity { return lhs.severity < rhs.severity }
        if lhs.message != rhs.message { return lhs.message < rhs.message }
        return lhs.check < rhs.check
    }
}
