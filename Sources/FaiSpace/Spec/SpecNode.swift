// SpecNode: reading YAML nodes of a spec with file:line:column in every error.
import Yams

/// A YAML node of a spec file together with the file name, so every error names where it is.
/// Add keys to a spec by reading them through these helpers: they check types, report
/// unknown keys, and give 1-based line and column from the node's mark.
public struct SpecNode {
    public var node: Node
    public var file: String

    public init(_ node: Node, file: String) {
        self.node = node
        self.file = file
    }

    /// The node's place in the file.
    public var location: SourceLocation {
        SourceLocation(file: file, line: node.mark?.line, column: node.mark?.column)
    }

    public func error(_ message: String, hint: String? = nil) -> InputError {
        InputError(location, message, hint: hint)
    }

    /// A spec reads numbers, modes and versions from the text as written, so its scalars
    /// need only the null and bool tags: resolving fewer tags makes large specs (10,000
    /// hosts) parse in a fraction of the time.
    static let specResolver = Resolver.basic.appending(Resolver.Rule.bool).appending(Resolver.Rule.null)

    /// Parses YAML text into its root node; not YAML or empty is one InputError.
    public static func parse(yaml: String, file: String) throws(InputError) -> SpecNode {
        // YAML allows a byte-order mark at the start of a stream (YAML 1.2, 5.2); Yams, given
        // the text as UTF-8, would read it as a character.
        var yaml = yaml
        if yaml.unicodeScalars.first == "\u{FEFF}" { yaml.unicodeScalars.removeFirst() }
        try YAMLAliasBound.check(yaml, file: file)
        let root: Node?
        do {
            root = try compose(yaml)
        } catch let error as YamlError {
            throw yamlError(error, yaml: yaml, file: file)
        } catch {
            throw InputError(file: file, line: 1, column: 1, "not YAML: \(error)", hint: "fix the YAML syntax")
        }
        guard let root else {
            throw InputError(file: file, line: 1, column: 1, "the spec is empty", hint: "write at least `site:` and `version:`")
        }
        return SpecNode(root, file: file)
    }

    /// The document as `specResolver` composes it, as far as a spec reads it (keys as text,
    /// values as text, null or bool). Tags matter to the composer only where it
    /// compares mapping keys for duplicates, and there the null and bool tags (a regular
    /// expression match each per key) tell apart only keys of the same text, one plain and one
    /// quoted or tagged. So the document is composed without resolving tags first; that
    /// finds every duplicate `specResolver` finds unless a node is explicitly tagged bool or
    /// null. Comparing resolves a key's tag in place, so a scalar used both as a key and (by
    /// an alias) as a value would read differently as a bool afterwards. On any error, with
    /// such a tag, with an alias, or when the tree is larger than its text, it is composed
    /// again with `specResolver`, whose result stands.
    static func compose(_ yaml: String) throws -> Node? {
        // An empty document (nil) goes the second way too.
        if let root = try? Yams.compose(yaml: yaml, Resolver.basic) {
            // Every tag starts with `!` and every anchor with `&`: text without either has
            // neither, and the tree need not be looked through.
            if !yaml.utf8.contains(where: { $0 == UInt8(ascii: "!") || $0 == UInt8(ascii: "&") }) { return root }
            var walk = TagWalk(budget: yaml.utf8.count + 1)
            if walk.isPlain(root) { return root }
        }
        return try Yams.compose(yaml: yaml, specResolver)
    }

    /// Looks through a composed tree for what makes resolving tags matter.
    private struct TagWalk {
        /// Nodes left to look at: without aliases a tree has fewer nodes than its text has bytes.
        var budget: Int
        /// Where each scalar starts: an alias repeats the node it names, with its mark.
        var scalarMarks: Set<Int> = []

        /// Whether no node is explicitly tagged bool or null and no scalar appears twice.
        mutating func isPlain(_ node: Node) -> Bool {
            budget -= 1
            guard budget >= 0 else { return false }
            // The tags as written: `Node.tag` would resolve them, and a plain scalar resolved
            // as a string no longer reads as a bool.
            switch node {
            case .scalar(let scalar):
                guard let mark = scalar.mark, scalarMarks.insert(mark.line << 32 | mark.column).inserted else { return false }
                return !Self.isBoolOrNull(scalar.tag)
            case .alias:
                return false
            case .sequence(let sequence):
                guard !Self.isBoolOrNull(sequence.tag) else { return false }
                for item in sequence where !isPlain(item) { return false }
                return true
            case .mapping(let mapping):
                guard !Self.isBoolOrNull(mapping.tag) else { return false }
                for (key, value) in mapping where !isPlain(key) || !isPlain(value) { return false }
                return true
            }
        }

        static func isBoolOrNull(_ tag: Tag) -> Bool {
            let name = tag.description
            return name == Tag.Name.bool.rawValue || name == Tag.Name.null.rawValue
        }
    }

    private static func yamlError(_ error: YamlError, yaml: String, file: String) -> InputError {
        let hint = "fix the YAML syntax"
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let what = context.map { "\($0.text): \(problem)" } ?? problem
            return InputError(file: file, line: mark.line, column: mark.column, "not YAML: \(what)", hint: hint)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.sorted()
            let place = repeatedKey(keys, in: yaml, mappingLine: context.mark.line, mappingColumn: context.mark.column)
            return InputError(file: file, line: place?.line ?? context.mark.line, column: place?.column ?? context.mark.column,
                              "duplicate key \(keys.joined(separator: ", ")) in a mapping",
                              hint: "keep one of them")
        case .reader(let problem, let offset, let value, _):
            // libyaml's reader names a byte offset (a control character, say): turn it into a place.
            let place = offset.map { offset -> (Int, Int) in
                var line = 1, column = 1
                for byte in yaml.utf8.prefix(offset) {
                    if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
                }
                return (line, column)
            } ?? (1, 1)
            let what = value >= 0 ? "\(problem) (#\(String(value, radix: 16, uppercase: true)))" : problem
            return InputError(file: file, line: place.0, column: place.1, "not YAML: \(what)", hint: "YAML text has no control characters")
        default:
            return InputError(file: file, line: 1, column: 1, "not YAML: \(error.description.split(separator: "\n").first ?? "")", hint: hint)
        }
    }

    /// Where a key of a block mapping appears for the second time. Yams names only the
    /// mapping's start; the user wants the line to delete. Nil for a flow mapping (`{a: 1, a: 2}`).
    static func repeatedKey(_ keys: [String], in yaml: String, mappingLine: Int,
                            mappingColumn: Int) -> (line: Int, column: Int)? {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        let indent = mappingColumn - 1
        guard mappingLine >= 1, indent >= 0 else { return nil }
        var seen: Set<String> = []
        for index in (mappingLine - 1)..<lines.count {
            let line = lines[index]
            let leading = line.prefix { $0 == " " }.count
            if index > mappingLine - 1 {
                let blank = line.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" }
                if !blank && !line.dropFirst(leading).hasPrefix("#") && leading < indent { break }  // the mapping ended
                if leading != indent { continue }
            }
            let rest = line.dropFirst(indent)
            for key in keys where ["\(key):", "\"\(key)\":", "'\(key)':"].contains(where: { rest.hasPrefix($0) }) {
                if !seen.insert(key).inserted { return (index + 1, indent + 1) }
            }
        }
        return nil
    }

    /// The node as a mapping whose keys are all in `known`; an unknown key is an error at the key.
    public func mapping(_ what: String, known: [String]) throws(InputError) -> SpecMapping {
        guard let mapping = node.mapping else {
            throw error("\(what) must be a mapping of keys to values", hint: "known keys: \(known.joined(separator: ", "))")
        }
        var values: [String: SpecNode] = [:]
        values.reserveCapacity(known.count)
        for (key, value) in mapping {
            let keyNode = SpecNode(key, file: file)
            guard let name = key.scalar?.string else { throw keyNode.error("\(what) has a key that is not a name") }
            guard known.contains(name) else {
                throw keyNode.error("unknown key '\(name)' in \(what)", hint: "known keys: \(known.joined(separator: ", "))")
            }
            values[name] = SpecNode(value, file: file)
        }
        return SpecMapping(node: self, what: what, values: values)
    }

    /// Whether the node is YAML's null (`~`, `null`, empty, unquoted). Checked by its text
    /// first: asking Yams resolves the tag with regular expressions, per scalar.
    var isNull: Bool {
        guard let scalar = node.scalar, scalar.style == .plain,
              ["", "~", "null", "Null", "NULL"].contains(scalar.string) else { return false }
        return node.null != nil
    }

    /// The node as a one-line, non-empty string (numbers and booleans as written).
    public func string(_ what: String) throws(InputError) -> String {
        guard let scalar = node.scalar else { throw error("\(what) must be a single value (a string)") }
        let text = scalar.string
        guard !isNull, !text.isEmpty else { throw error("\(what) is empty", hint: "give it a value") }
        guard !text.utf8.contains(0x0A) else { throw error("\(what) must be one line") }
        return text
    }
}

/// A mapping of a spec, its keys already checked.
public struct SpecMapping {
    public var node: SpecNode
    public var what: String
    public var values: [String: SpecNode]

    public subscript(key: String) -> SpecNode? { values[key] }

    /// The value of a key that must be there.
    public func required(_ key: String) throws(InputError) -> SpecNode {
        guard let value = values[key] else {
            throw node.error("\(what) has no '\(key)'", hint: "add `\(key):`")
        }
        return value
    }
}
