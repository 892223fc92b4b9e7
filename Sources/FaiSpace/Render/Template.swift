// Template: a text from config-templates/ with @NAME@ placeholders, and how to fill it.
import FoundationEssentials

/// One template, named by its path under config-templates/ (`class/60-detect-XenServer`).
///
/// A placeholder is `@NAME@` with NAME made of A-Z, 0-9 and `_`. Filling never
/// quotes: the generator that supplies a value has already shell-quoted it or
/// checked it against a safe character set, because only it knows whether the
/// value lands in a shell word, a case pattern or a menu.lst line. A line that
/// holds nothing but a placeholder whose value is empty disappears, so optional
/// blocks leave no blank line behind.
public struct Template: Sendable, Hashable {
    public var name: String
    public var text: String
    /// Where the text came from, for errors: the file of a --templates override,
    /// or `config-templates/NAME` for the copy built into faigen.
    public var origin: String
    /// The text split once into lines of literal text and placeholders: a render of a
    /// large site fills the same template a thousand times.
    private var lines: [Line]

    private enum Piece: Sendable, Hashable {
        case literal(String)
        /// A placeholder's name and its 1-based column.
        case placeholder(String, column: Int)
    }

    private struct Line: Sendable, Hashable {
        var pieces: [Piece]
        /// The name when the line holds nothing but one placeholder (and white space).
        var whole: String?
    }

    public init(name: String, text: String, origin: String? = nil) {
        self.name = name
        self.text = text
        self.origin = origin ?? "config-templates/\(name)"
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(Template.parse)
    }

    private static func parse(_ line: Substring) -> Line {
        var pieces: [Piece] = []
        var literal = ""
        var column = 1
        var rest = line
        while let at = rest.firstIndex(of: "@") {
            let before = rest[..<at]
            literal += before
            column += before.count
            let after = rest.index(after: at)
            if let close = rest[after...].firstIndex(of: "@"), case let candidate = rest[after..<close], isName(candidate) {
                if !literal.isEmpty { pieces.append(.literal(literal)) }
                literal = ""
                pieces.append(.placeholder(String(candidate), column: column))
                column += candidate.count + 2
                rest = rest[rest.index(after: close)...]
            } else {
                literal += "@"
                column += 1
                rest = rest[after...]
            }
        }
        literal += rest
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        let names = pieces.compactMap { piece -> String? in
            if case .placeholder(let name, _) = piece { return name }
            return nil
        }
        let onlySpace = pieces.allSatisfy { piece in
            if case .literal(let text) = piece { return text.allSatisfy { $0 == " " || $0 == "\t" } }
            return true
        }
        return Line(pieces: pieces, whole: names.count == 1 && onlySpace ? names[0] : nil)
    }

    /// The names of the placeholders the template uses, in order of first use.
    public var placeholders: [String] {
        var seen: [String] = []
        for line in lines {
            for case .placeholder(let name, _) in line.pieces where !seen.contains(name) { seen.append(name) }
        }
        return seen
    }

    /// The template with every placeholder replaced by its value.
    /// A placeholder without a value is an error naming its line and column.
    public func fill(_ values: [String: String]) throws(InputError) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + values.values.reduce(0) { $0 + $1.utf8.count })
        var first = true
        for (index, line) in lines.enumerated() {
            if let name = line.whole, let value = values[name], value.isEmpty { continue }
            if !first { out += "\n" }
            first = false
            for piece in line.pieces {
                switch piece {
                case .literal(let text):
                    out += text
                case .placeholder(let name, let column):
                    guard let value = values[name] else {
                        throw InputError(file: origin, line: index + 1, column: column,
                                         "unknown placeholder @\(name)@ in template \(self.name)",
                                         hint: "this template can use: \(values.keys.sorted().map { "@\($0)@" }.joined(separator: ", "))")
                    }
                    out += value
                }
            }
        }
        // A dropped last line must not eat the final newline.
        if text.hasSuffix("\n"), !out.hasSuffix("\n") { out += "\n" }
        return out
    }

    static func isName(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
    }
}

/// The templates rendering fills: the copies built into faigen, each replaced
/// by the file of the same name under a --templates directory when there is one.
public struct TemplateSet: Sendable {
    public private(set) var templates: [String: Template]

    /// The templates of config-templates/ as built into faigen.
    public static let embedded = TemplateSet(templates: Dictionary(uniqueKeysWithValues:
        EmbeddedTemplates.files.map { ($0.key, Template(name: $0.key, text: $0.value)) }))

    init(templates: [String: Template]) {
        self.templates = templates
    }

    /// The embedded templates with those found under `directory` put in their place.
    /// A file there that is no template faigen knows is an error: a typo in its
    /// name would otherwise be ignored silently.
    public static func overriding(with directory: URL) throws(InputError) -> TemplateSet {
        let base = directory.path
        guard try FileSystem.status(base)?.kind == .directory else {
            throw InputError(file: base, "the templates directory does not exist",
                             hint: "give --templates a directory laid out like config-templates/")
        }
        var set = embedded
        // Every regular file under the directory (symlinks are not followed), by its relative name.
        var pending = [""]
        while let relative = pending.popLast() {
            for entry in try FileSystem.listDirectory(relative.isEmpty ? base : base.joiningPath(relative)) {
                let name = relative.isEmpty ? entry : relative + "/" + entry
                let path = base.joiningPath(name)
                switch try FileSystem.status(path)?.kind {
                case .directory?: pending.append(name); continue
                case .regular?: break
                default: continue
                }
                guard set.templates[name] != nil else {
                    throw InputError(file: path, "not a template faigen knows",
                                     hint: "templates are: \(embedded.templates.keys.sorted().joined(separator: ", "))")
                }
                guard let text = String(validating: try FileSystem.readFile(path), as: UTF8.self) else {
                    throw InputError(file: path, "the template is not UTF-8 text")
                }
                set.templates[name] = Template(name: name, text: text, origin: path)
            }
        }
        return set
    }

    /// The template named `name`; every name rendering asks for is embedded.
    public func template(_ name: String) throws(InputError) -> Template {
        guard let template = templates[name] else {
            throw InputError(nil, "no template \(name)", hint: "run scripts/embed-templates and rebuild faigen")
        }
        return template
    }
}
