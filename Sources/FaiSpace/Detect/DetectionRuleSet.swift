// DetectionRuleSet: detection rules read from YAML (`--rules FILE`, or the site spec's `detect:` key).

/// Rules from a file or an embedded YAML node, and whether they extend or replace the built-in table.
///
/// The YAML form is either a list of rules, or a mapping `{builtin: true|false, rules: [...]}`;
/// `builtin: false` drops the built-in table. A rule whose `id` is already in the table replaces
/// that rule in place; a new id is added at the end. See docs/detect.md for the rule keys.
public struct DetectionRuleSet: Sendable {
    public var keepsBuiltin: Bool
    public var rules: [DetectionRule]

    public init(keepsBuiltin: Bool = true, rules: [DetectionRule]) {
        self.keepsBuiltin = keepsBuiltin
        self.rules = rules
    }

    /// Reads a rules file. Every problem is one InputError naming the file, line and column.
    public static func load(path: String) throws -> DetectionRuleSet {
        try parse(yaml: FileSystem.readNamedTextFile(path, expected: "a rules file (YAML, see docs/detect.md)"), file: path)
    }

    /// Parses the YAML text of a rules file; `file` names it in errors.
    public static func parse(yaml: String, file: String) throws -> DetectionRuleSet {
        let root: SpecNode
        do {
            root = try SpecNode.parse(yaml: yaml, file: file)
        } catch {
            // SpecNode speaks of "the spec"; a rules file is not one.
            if error.message == "the spec is empty" {
                throw InputError(error.location, "the rules file is empty", hint: "write a list of rules, see docs/detect.md")
            }
            throw error
        }
        return try parse(node: root.node, file: file)
    }

    /// Reads rules from a YAML node inside another document (the site spec's `detect:` key).
    public static func parse(node: YAMLNode, file: String) throws -> DetectionRuleSet {
        switch node {
        case .sequence:
            return DetectionRuleSet(rules: try parseRules(node, file: file))
        case .mapping:
            let fields = try SpecNode(node, file: file).mapping("the rules document", known: ["builtin", "rules"])
            var keepsBuiltin = true
            if let value = fields["builtin"]?.node {
                guard let flag = value.bool else {
                    throw InputError.at(value, file: file, "`builtin` must be true or false",
                                        hint: "false replaces the built-in table")
                }
                keepsBuiltin = flag
            }
            let rules = try fields["rules"].map { try parseRules($0.node, file: file) } ?? []
            return DetectionRuleSet(keepsBuiltin: keepsBuiltin, rules: rules)
        default:
            throw InputError.at(node, file: file, "expected a list of rules or a mapping with `rules:`",
                                hint: "see docs/detect.md")
        }
    }

    static func parseRules(_ node: YAMLNode, file: String) throws -> [DetectionRule] {
        guard case .sequence(let sequence) = node else {
            throw InputError.at(node, file: file, "`rules` must be a list of rules", hint: "start each rule with `- id:`")
        }
        var seen = Set<String>()
        var rules: [DetectionRule] = []
        for item in sequence {
            let rule = try parseRule(item, file: file)
            guard seen.insert(rule.id).inserted else {
                throw InputError.at(item, file: file, "rule id `\(rule.id)` is used twice", hint: "give each rule its own id")
            }
            rules.append(rule)
        }
        return rules
    }

    static let ruleKeys = [
        "id", "source", "pattern", "caseless", "equals", "present", "also", "classes", "unless", "reason", "examples",
    ]

    /// The keys of one `also:` condition: a source, its test and its examples.
    static let conditionKeys = ["source", "pattern", "caseless", "equals", "present", "examples"]

    static func parseRule(_ node: YAMLNode, file: String) throws -> DetectionRule {
        let fields = try SpecNode(node, file: file).mapping("a rule", known: ruleKeys)
        func required(_ name: String) throws -> YAMLNode {
            try fields.required(name).node
        }
        func string(_ value: YAMLNode, _ name: String) throws -> String {
            guard case .scalar(let scalar) = value else {
                throw InputError.at(value, file: file, "`\(name)` must be a string")
            }
            // YAML's null is no value, not the word `null`.
            guard !SpecNode(value, file: file).isNull else {
                throw InputError.at(value, file: file, "`\(name)` is null (YAML reads `null`, `~` and nothing as no value)",
                                    hint: "give it a value; quote 'null' for the word")
            }
            return scalar.string
        }

        let idNode = try required("id")
        let id = try string(idNode, "id")
        guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
            throw InputError.at(idNode, file: file, "rule id `\(id)` is not a plain name", hint: "use letters, digits, - _ .")
        }
        let sourceNode = try required("source")
        let sourceName = try string(sourceNode, "source")
        guard let source = EvidenceSource(rawValue: sourceName) else {
            throw InputError.at(sourceNode, file: file, "unknown evidence source `\(sourceName)`",
                                hint: "use one of \(EvidenceSource.allCases.map(\.rawValue).joined(separator: ", "))")
        }

        let test = try parseTest(fields, source: source, node: node, file: file)
        let also = try fields["also"].map { try parseConditions($0.node, file: file) } ?? []

        let classes = try classList(try required("classes"), "classes", file: file)
        if classes.isEmpty {
            throw InputError.at(try required("classes"), file: file, "`classes` is empty", hint: "name at least one class")
        }
        let unless = try fields["unless"].map { try classList($0.node, "unless", file: file) } ?? []
        let reasonNode = try required("reason")
        let reason = try string(reasonNode, "reason")
        if reason.isEmpty || reason.contains("\n") {
            throw InputError.at(reasonNode, file: file, "`reason` must be one non-empty line")
        }
        let examplesNode = try required("examples")
        let examples = try parseExamples(examplesNode, file: file)
        let rule = DetectionRule(id: id, source: source, test: test, also: also, classes: classes, unless: unless,
                                 reason: reason, examples: examples, location: InputError.location(of: node, file: file))
        // A rule is only as good as its examples: refuse one that disagrees with them.
        try refuse(rule.failingExamples(), at: examplesNode, file: file,
                   ignores: "rule `\(id)` does not fire on its example", holds: "rule `\(id)` fires on its quiet example")
        return rule
    }

    /// The one test of a rule or condition: `pattern` (with `caseless`), `equals` or `present`.
    static func parseTest(_ fields: SpecMapping, source: EvidenceSource, node: YAMLNode, file: String) throws -> RuleTest {
        func string(_ value: YAMLNode, _ name: String) throws -> String {
            guard case .scalar(let scalar) = value else {
                throw InputError.at(value, file: file, "`\(name)` must be a string")
            }
            return scalar.string
        }
        let tests = ["pattern", "equals", "present"].filter { fields[$0] != nil }
        guard tests.count == 1 else {
            throw InputError.at(node, file: file, tests.isEmpty ? "the rule has no test" : "the rule has \(tests.count) tests",
                                hint: "give exactly one of `pattern`, `equals`, `present`")
        }
        var caseless = false
        if let field = fields["caseless"]?.node {
            guard let flag = field.bool else {
                throw InputError.at(field, file: file, "`caseless` must be true or false")
            }
            guard fields["pattern"] != nil else {
                throw InputError.at(field, file: file, "`caseless` applies only to `pattern`")
            }
            caseless = flag
        }
        if let field = fields["pattern"] {
            let pattern = try string(field.node, "pattern")
            // Rules match one line at a time; pcre2grep would read a line break as a second pattern.
            if pattern.contains(where: \.isNewline) {
                throw InputError.at(field.node, file: file, "the pattern spans several lines",
                                    hint: "write it on one line: a rule matches one line of the log at a time")
            }
            do {
                return .pattern(try LinePattern(pattern, caseless: caseless, largeText: source == .kernelLog))
            } catch let error as PCRE2CompileError {
                throw InputError(InputError.location(of: field.node, file: file, offset: error.offset),
                                 "invalid PCRE2 pattern: \(error.message) at offset \(error.offset) in `\(pattern)`",
                                 hint: "fix the pattern; test it with pcre2grep")
            }
        } else if let field = fields["equals"] {
            return .equals(try string(field.node, "equals"))
        } else if let value = fields["present"]?.node {
            guard let flag = value.bool else {
                throw InputError.at(value, file: file, "`present` must be true or false")
            }
            return .present(flag)
        } else {
            throw InputError.at(node, file: file, "the rule has no test", hint: "give one of `pattern`, `equals`, `present`")
        }
    }

    /// The `also:` list: further evidence a rule needs at the same time, each with its examples.
    static func parseConditions(_ node: YAMLNode, file: String) throws -> [RuleCondition] {
        guard case .sequence(let sequence) = node, !sequence.isEmpty else {
            throw InputError.at(node, file: file, "`also` must be a non-empty list of conditions",
                                hint: "each condition has `source`, one test and `examples`")
        }
        return try sequence.map { item in
            let fields = try SpecNode(item, file: file).mapping("a condition", known: conditionKeys)
            let sourceNode = try fields.required("source").node
            guard let name = sourceNode.string, let source = EvidenceSource(rawValue: name), source != .classes else {
                throw InputError.at(sourceNode, file: file, "unknown evidence source `\(sourceNode.string ?? "?")` in a condition",
                                    hint: "use one of \(EvidenceSource.allCases.filter { $0 != .classes }.map(\.rawValue).joined(separator: ", "))")
            }
            let test = try parseTest(fields, source: source, node: item, file: file)
            let examplesNode = try fields.required("examples").node
            let condition = RuleCondition(source: source, test: test, examples: try parseExamples(examplesNode, file: file))
            try refuse(condition.failingExamples(), at: examplesNode, file: file,
                       ignores: "the condition on \(name) does not hold on its example",
                       holds: "the condition on \(name) holds on its quiet example")
            return condition
        }
    }

    /// Stops at the first example a rule or condition disagrees with: `ignores` starts the
    /// message for a fire example the test ignores, `holds` for a quiet one it holds on.
    static func refuse(_ failing: (fire: [String?], quiet: [String?]), at node: YAMLNode, file: String,
                       ignores: String, holds: String) throws {
        func quoted(_ example: String?) -> String { example.map { "`\($0)`" } ?? "(source absent)" }
        if let example = failing.fire.first {
            throw InputError.at(node, file: file, "\(ignores) \(quoted(example))", hint: "fix the test or the `fire` example")
        }
        if let example = failing.quiet.first {
            throw InputError.at(node, file: file, "\(holds) \(quoted(example))", hint: "fix the test or the `quiet` example")
        }
    }

    static func classList(_ node: YAMLNode, _ name: String, file: String) throws -> [String] {
        let items: [YAMLNode]
        switch node {
        case .scalar: items = [node]
        case .sequence(let sequence): items = Array(sequence)
        default: throw InputError.at(node, file: file, "`\(name)` must be a class name or a list of them")
        }
        return try items.map { item in
            guard let name = item.string, FAIFacts.isSafeClassName(name) else {
                throw InputError.at(item, file: file, "`\(item.string ?? "?")` is not an FAI class name",
                                    hint: "use upper case letters, digits and _")
            }
            return name
        }
    }

    static func parseExamples(_ node: YAMLNode, file: String) throws -> RuleExamples {
        guard case .mapping(let mapping) = node else {
            throw InputError.at(node, file: file, "`examples` must be a mapping with `fire` and `quiet` lists")
        }
        var fire: [String?]?, quiet: [String?]?
        for (key, value) in mapping {
            guard case .sequence(let sequence) = value else {
                throw InputError.at(value, file: file, "`examples.\(key.string ?? "?")` must be a list")
            }
            let texts: [String?] = try sequence.map { item in
                guard case .scalar(let scalar) = item else {
                    throw InputError.at(item, file: file, "an example must be a string (or null: source absent)")
                }
                return item.isNull ? nil : scalar.string
            }
            switch key.string {
            case "fire": fire = texts
            case "quiet": quiet = texts
            default:
                throw InputError.at(key, file: file, "unknown key `\(key.string ?? "?")` in examples", hint: "use `fire` and `quiet`")
            }
        }
        guard let fire, !fire.isEmpty, let quiet, !quiet.isEmpty else {
            throw InputError.at(node, file: file, "a rule needs at least one `fire` and one `quiet` example",
                                hint: "examples are evidence texts; null means the source is absent")
        }
        return RuleExamples(fire: fire, quiet: quiet)
    }
}

extension InputError {
    /// The position of a YAML node, moved `offset` characters into a one-line scalar
    /// (past its opening quote), so a pattern error points at the offending character.
    static func location(of node: YAMLNode, file: String, offset: Int = 0) -> SourceLocation {
        let mark = node.mark
        var column = mark.column
        if case .scalar(let scalar) = node {
            if scalar.style == .singleQuoted || scalar.style == .doubleQuoted { column += 1 }
            if scalar.style != .literal && scalar.style != .folded { column += offset }
        }
        return SourceLocation(file: file, line: mark.line, column: column)
    }

    static func at(_ node: YAMLNode, file: String, _ message: String, hint: String? = nil) -> InputError {
        InputError(location(of: node, file: file), message, hint: hint)
    }
}

extension DetectionRuleSet {
    /// The rules as a rules file that `parse(yaml:file:)` reads back to the same rules:
    /// `builtin: false` plus every rule. `faigen detect --print-rules` prints the effective
    /// table this way, as a starting point for a site's own rules file.
    public static func yaml(for rules: [DetectionRule]) throws -> String {
        func text(_ value: String) -> YAMLNode {
            // Single quotes keep a PCRE2 pattern's backslashes as they are; line breaks need double quotes.
            .scalar(.init(value, style: value.contains("\n") || value.contains("\t") ? .doubleQuoted : .singleQuoted))
        }
        func plain(_ value: String) -> YAMLNode { .scalar(.init(value)) }
        func list(_ values: [String]) -> YAMLNode { .sequence(.init(values.map(plain), isFlow: true)) }
        func examples(_ values: [String?]) -> YAMLNode {
            .sequence(.init(values.map { $0.map(text) ?? plain("null") }))
        }
        func test(_ test: RuleTest) -> [(key: YAMLNode, value: YAMLNode)] {
            switch test {
            case .pattern(let pattern):
                return [(plain("pattern"), text(pattern.pattern))] + (pattern.caseless ? [(plain("caseless"), plain("true"))] : [])
            case .equals(let value):
                return [(plain("equals"), text(value))]
            case .present(let flag):
                return [(plain("present"), plain(flag ? "true" : "false"))]
            }
        }
        func examplePair(_ value: RuleExamples) -> (key: YAMLNode, value: YAMLNode) {
            (plain("examples"), .mapping(.init([(plain("fire"), examples(value.fire)), (plain("quiet"), examples(value.quiet))])))
        }
        let nodes: [YAMLNode] = rules.map { rule in
            var pairs: [(key: YAMLNode, value: YAMLNode)] = [(plain("id"), plain(rule.id)), (plain("source"), plain(rule.source.rawValue))]
            pairs += test(rule.test)
            if !rule.also.isEmpty {
                let conditions: [YAMLNode] = rule.also.map { condition in
                    .mapping(.init([(plain("source"), plain(condition.source.rawValue))] + test(condition.test)
                                   + [examplePair(condition.examples)]))
                }
                pairs.append((plain("also"), .sequence(.init(conditions))))
            }
            pairs.append((plain("classes"), list(rule.classes)))
            if !rule.unless.isEmpty { pairs.append((plain("unless"), list(rule.unless))) }
            pairs.append((plain("reason"), text(rule.reason)))
            pairs.append(examplePair(rule.examples))
            return .mapping(.init(pairs))
        }
        let document = YAMLNode.mapping(.init([(plain("builtin"), plain("false")), (plain("rules"), .sequence(.init(nodes)))]))
        return try YAMLEmitter.serialize(document)
    }
}
