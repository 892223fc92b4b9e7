// SpecNode: reading YAML nodes of a spec with file:line:column in every error.

/// A YAML node of a spec file together with the file name, so every error names where it is.
/// Add keys to a spec by reading them through these helpers: they check types, report
/// unknown keys, and give 1-based line and column from the node's mark.
public struct SpecNode {
    public var node: YAMLNode
    public var file: String

    public init(_ node: YAMLNode, file: String) {
        self.node = node
        self.file = file
    }

    /// The node's place in the file.
    public var location: SourceLocation {
        SourceLocation(file: file, line: node.mark.line, column: node.mark.column)
    }

    public func error(_ message: String, hint: String? = nil) -> InputError {
        InputError(location, message, hint: hint)
    }

    /// Parses YAML text into its root node (``YAMLComposer``): not YAML, a repeated key, an
    /// alias past ``YAMLAliasBound``'s limits or an empty document is one InputError.
    public static func parse(yaml: String, file: String) throws(InputError) -> SpecNode {
        guard let root = try YAMLComposer.compose(yaml, file: file) else {
            throw InputError(file: file, line: 1, column: 1, "the spec is empty", hint: "write at least `site:` and `version:`")
        }
        return SpecNode(root, file: file)
    }

    /// The node as a mapping whose keys are all in `known`; an unknown key is an error at the key.
    public func mapping(_ what: String, known: [String]) throws(InputError) -> SpecMapping {
        guard let mapping = node.mapping else {
            throw error("\(what) must be a mapping of keys to values", hint: "known keys: \(known.joined(separator: ", "))")
        }
        var values: [(key: String, value: SpecNode)] = []
        values.reserveCapacity(mapping.count)
        for (key, value) in mapping {
            guard let name = key.scalar?.string else { throw SpecNode(key, file: file).error("\(what) has a key that is not a name") }
            guard known.contains(name) else {
                throw SpecNode(key, file: file).error("unknown key '\(name)' in \(what)", hint: "known keys: \(known.joined(separator: ", "))")
            }
            values.append((name, SpecNode(value, file: file)))
        }
        return SpecMapping(node: self, what: what, values: values)
    }

    /// Whether the node is YAML's null (`~`, `null`, empty, unquoted).
    var isNull: Bool { node.isNull }

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
    /// The keys and their values in file order. A spec mapping has a few keys: looking one up
    /// in order beats hashing it (10,000 hosts are 10,000 mappings). Where two keys read the
    /// same (`true` and `'true'`), the later one counts.
    public var values: [(key: String, value: SpecNode)]

    public subscript(key: String) -> SpecNode? { values.last { $0.key == key }?.value }

    /// The value of a key that must be there.
    public func required(_ key: String) throws(InputError) -> SpecNode {
        guard let value = self[key] else {
            throw node.error("\(what) has no '\(key)'", hint: "add `\(key):`")
        }
        return value
    }
}
