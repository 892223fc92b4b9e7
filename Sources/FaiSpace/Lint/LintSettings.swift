// LintSettings: which findings the config space silences, per file (a comment) and for the whole space (.faigenlint).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The findings a config space asks lint not to report.
///
/// - In a file: a comment line `# faigen-lint disable=CHECK-ID[,CHECK-ID...]` (anything
///   after a blank is a free reason) silences those checks for that file, wherever the line
///   stands, as shellcheck's `# shellcheck disable=` does at the top of a script.
/// - For the config space: `.faigenlint` at its root, one rule a line,
///   `disable=CHECK-ID[,CHECK-ID...] [PATTERN...]`: without patterns the checks are off for
///   the whole space; with them only for paths a pattern matches (shell glob, `*` within one
///   path component, a directory covers everything below it). `#` starts a comment.
///
/// `.faigenlint` is a plain file of the config space rather than a file in `.faigen/`
/// (faigen's own state, which the reader and `render --base` leave out): it travels with the
/// hand-written space through git, `render --base` and `faigen build`, so a render's output
/// lints as its base does, and it needs no YAML parser for three words a line.
public struct LintSettings: Sendable {
    public static let fileName = ".faigenlint"
    /// The comment word that starts an in-file directive.
    public static let directiveWord = "faigen-lint"

    /// One `disable=` found in a file or in `.faigenlint`.
    public struct Rule: Sendable, Hashable {
        /// Where it is written, for `lint-directive` findings.
        public var path: String
        public var line: Int
        public var checks: [String]
        /// For a `.faigenlint` rule, the path patterns it covers (none: the whole space); a
        /// rule written in a file covers that file only.
        public var patterns: [String]

        func covers(_ finding: Finding) -> Bool {
            guard checks.contains(finding.check) else { return false }
            if path != LintSettings.fileName { return finding.path == path }
            return patterns.isEmpty || patterns.contains { LintSettings.matches($0, finding.path) }
        }
    }

    public var rules: [Rule] = []
    /// Lines that say `faigen-lint` or stand in `.faigenlint` but are not a rule, with what is wrong.
    public var malformed: [(path: String, line: Int, message: String)] = []

    public init(_ space: ConfigSpace) {
        for file in space.files where !file.contents.isEmpty {
            if file.path == Self.fileName {
                readSettingsFile(file)
            } else if file.contents.firstRange(of: Array(Self.directiveWord.utf8)) != nil {
                readDirectives(file)
            }
        }
    }

    /// Whether a rule silences the finding.
    public func silences(_ finding: Finding) -> Bool {
        rules.contains { $0.covers(finding) }
    }

    /// A pattern matches a path, or a directory above it.
    static func matches(_ pattern: String, _ path: String) -> Bool {
        var candidate = path
        while !candidate.isEmpty {
            if fnmatch(pattern, candidate, FNM_PATHNAME | FNM_PERIOD) == 0 { return true }
            candidate = candidate.parentPath
        }
        return false
    }

    private mutating func readDirectives(_ file: ConfigFile) {
        for (index, line) in Self.lines(file.contents).enumerated() {
            var rest = line.drop { $0 == " " || $0 == "\t" }
            guard rest.first == "#" else { continue }
            rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
            guard rest.hasPrefix(Self.directiveWord) else { continue }
            rest = rest.dropFirst(Self.directiveWord.count)
            guard rest.first == " " || rest.first == "\t" else { continue }  // faigen-linter, faigen-lint: ...
            add(rest.drop { $0 == " " || $0 == "\t" }, path: file.path, line: index + 1, allowPatterns: false)
        }
    }

    private mutating func readSettingsFile(_ file: ConfigFile) {
        for (index, line) in Self.lines(file.contents).enumerated() {
            let text = line.prefix { $0 != "#" }.trimmingBlanks
            guard !text.isEmpty else { continue }
            add(text, path: file.path, line: index + 1, allowPatterns: true)
        }
    }

    /// `disable=ID,ID [PATTERN...]`: in a file the words after the ids are a free reason.
    private mutating func add(_ text: Substring, path: String, line: Int, allowPatterns: Bool) {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard let first = words.first, first.hasPrefix("disable=") else {
            malformed.append((path, line, "'\(text.trimmingBlanks)' is not a lint rule: write disable=CHECK-ID[,CHECK-ID]"
                                + (allowPatterns ? " [PATH-PATTERN...]" : "")))
            return
        }
        let checks = first.dropFirst("disable=".count).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let known = Set(Lint.checks.map(\.id))
        let unknown = checks.filter { !known.contains($0) }
        guard unknown.isEmpty, !checks.isEmpty else {
            let names = unknown.map { $0.isEmpty ? "(empty)" : "'\($0)'" }.joined(separator: ", ")
            malformed.append((path, line, "unknown check id \(names) in disable=, so nothing is silenced by it (faigen lint --list-checks lists the ids)"))
            return
        }
        let extra = words.dropFirst().map(String.init)
        rules.append(Rule(path: path, line: line, checks: checks, patterns: allowPatterns ? extra : []))
    }

    private static func lines(_ bytes: [UInt8]) -> [Substring] {
        String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    }
}

extension Substring {
    fileprivate var trimmingBlanks: Substring {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !blank($0) }), let last = lastIndex(where: { !blank($0) }) else { return self[endIndex...] }
        return self[first...last]
    }
}
