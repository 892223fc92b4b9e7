// Template: a text from config-templates/ with @NAME@ placeholders, and how to fill it.
import Foundation

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

    public init(name: String, text: String, origin: String? = nil) {
        self.name = name
        self.text = text
        self.origin = origin ?? "config-templates/\(name)"
    }

    /// The names of the placeholders the template uses, in order of first use.
    public var placeholders: [String] {
        var seen: [String] = []
        for token in tokens() {
            if case .placeholder(let name, _) = token, !seen.contains(name) { seen.append(name) }
        }
        return seen
    }

    /// The template with every placeholder replaced by its value.
    /// A placeholder without a value is an error naming its line and column.
    public func fill(_ values: [String: String]) throws(InputError) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + values.values.reduce(0) { $0 + $1.utf8.count })
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.element.trimmingCharacters(in: .whitespaces)
            if let name = Template.wholePlaceholder(trimmed), let value = values[name], value.isEmpty {
                continue
            }
            if line.offset > 0 { out += "\n" }
            out += try fillLine(String(line.element), number: line.offset + 1, values: values)
        }
        // A dropped last line must not eat the final newline.
        if text.hasSuffix("\n"), !out.hasSuffix("\n") { out += "\n" }
        return out
    }

    private func fillLine(_ line: String, number: Int, values: [String: String]) throws(InputError) -> String {
        var out = ""
        var column = 1
        var rest = Substring(line)
        while let at = rest.firstIndex(of: "@") {
            out += rest[..<at]
            column += rest[..<at].count
            let after = rest.index(after: at)
            if let close = rest[after...].firstIndex(of: "@"),
               case let name = rest[after..<close], Template.isName(name) {
                guard let value = values[String(name)] else {
                    throw InputError(file: origin, line: number, column: column,
                                     "unknown placeholder @\(name)@ in template \(self.name)",
                                     hint: "this template can use: \(values.keys.sorted().map { "@\($0)@" }.joined(separator: ", "))")
                }
                out += value
                column += name.count + 2
                rest = rest[rest.index(after: close)...]
            } else {
                out += "@"
                column += 1
                rest = rest[after...]
            }
        }
        out += rest
        return out
    }

    private enum Token { case placeholder(String, Int) }

    private func tokens() -> [Token] {
        var found: [Token] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var rest = line[...]
            while let at = rest.firstIndex(of: "@") {
                let after = rest.index(after: at)
                if let close = rest[after...].firstIndex(of: "@"), Template.isName(rest[after..<close]) {
                    found.append(.placeholder(String(rest[after..<close]), number + 1))
                    rest = rest[rest.index(after: close)...]
                } else {
                    rest = rest[after...]
                }
            }
        }
        return found
    }

    static func isName(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
    }

    static func wholePlaceholder(_ line: String) -> String? {
        guard line.count > 2, line.hasPrefix("@"), line.hasSuffix("@") else { return nil }
        let inner = line.dropFirst().dropLast()
        return isName(inner) ? String(inner) : nil
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
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InputError(file: directory.path, "the templates directory does not exist",
                             hint: "give --templates a directory laid out like config-templates/")
        }
        var set = embedded
        guard let walker = fm.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw InputError(file: directory.path, "cannot read the templates directory")
        }
        let base = directory.standardizedFileURL.path
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            let path = url.standardizedFileURL.path
            let name = String(path.dropFirst(base.count).drop { $0 == "/" })
            guard set.templates[name] != nil else {
                throw InputError(file: path, "not a template faigen knows",
                                 hint: "templates are: \(embedded.templates.keys.sorted().joined(separator: ", "))")
            }
            guard let data = fm.contents(atPath: path) else {
                throw InputError(file: path, "cannot read the template")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw InputError(file: path, "the template is not UTF-8 text")
            }
            set.templates[name] = Template(name: name, text: text, origin: path)
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
