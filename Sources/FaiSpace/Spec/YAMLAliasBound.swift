// YAMLAliasBound: what anchors and aliases may cost a YAML document, checked on libyaml's events before it is composed.
// CYaml is the libyaml that Yams builds and links; its event parser is the only way to see an
// alias before Yams composes the tree, and composing is where an alias bomb costs its time.
import CYaml

/// The bound on alias expansion, as serious YAML loaders keep one (SnakeYAML's alias and
/// nesting limits, go-yaml's alias ratio): with `a: &a [x, x]`, `b: &b [*a, *a]`, ... each
/// level doubles what the document stands for, and Yams compares mapping keys by value, so
/// nine levels used as a key cost minutes. Every spec and rules file is composed by
/// ``SpecNode/parse(yaml:file:)``, which checks this first; docs/spec.md documents the limits.
enum YAMLAliasBound {
    /// Nodes that aliases may add to a document, counting each alias as a copy of its anchor's node.
    static let maxAliasedNodes = 1_000_000
    /// How deep a document may nest once its aliases are expanded.
    static let maxDepth = 64

    /// Throws at the first alias that takes the document past either limit. Text without both
    /// `&` and `*` has no alias that names an anchor and is not looked at; text libyaml cannot
    /// parse is left to the composer, which reports the syntax error.
    static func check(_ yaml: String, file: String) throws(InputError) {
        guard yaml.utf8.contains(UInt8(ascii: "&")), yaml.utf8.contains(UInt8(ascii: "*")) else { return }
        var text = yaml
        let failure: InputError? = text.withUTF8 { bytes in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return nil }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
            var walk = Walk()
            var event = yaml_event_t()
            while yaml_parser_parse(&parser, &event) == 1 {
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { return nil }
                if let problem = walk.take(event) {
                    return InputError(file: file, line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1,
                                      problem, hint: "YAML aliases may add at most \(maxAliasedNodes) nodes and nest \(maxDepth) levels deep; write the repeated part out, or use fewer aliases")
                }
            }
            return nil
        }
        if let failure { throw failure }
    }

    /// Node sizes and depths as the events come.
    struct Walk {
        struct Open {
            var anchor: String?
            var nodes = 1
            var depth = 0
        }

        /// What each anchor's node stands for: nodes and depth, aliases inside it expanded.
        var anchors: [String: (nodes: Int, depth: Int)] = [:]
        var open: [Open] = []
        var aliased = 0

        /// Takes one event; returns the problem when an alias goes past a limit.
        mutating func take(_ event: yaml_event_t) -> String? {
            switch event.type {
            case YAML_SCALAR_EVENT:
                add(nodes: 1, depth: 1, anchor: Self.name(event.data.scalar.anchor))
            case YAML_SEQUENCE_START_EVENT:
                open.append(Open(anchor: Self.name(event.data.sequence_start.anchor)))
            case YAML_MAPPING_START_EVENT:
                open.append(Open(anchor: Self.name(event.data.mapping_start.anchor)))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let closed = open.popLast() else { return nil }
                add(nodes: closed.nodes, depth: closed.depth + 1, anchor: closed.anchor)
            case YAML_ALIAS_EVENT:
                // An undefined alias is the composer's error to report.
                guard let name = Self.name(event.data.alias.anchor), let target = anchors[name] else { return nil }
                aliased += target.nodes
                if aliased > YAMLAliasBound.maxAliasedNodes {
                    return "the alias *\(name) takes the document past \(YAMLAliasBound.maxAliasedNodes) nodes added by aliases"
                }
                if open.count + target.depth > YAMLAliasBound.maxDepth {
                    return "the alias *\(name) nests the document deeper than \(YAMLAliasBound.maxDepth) levels"
                }
                add(nodes: target.nodes, depth: target.depth, anchor: nil)
            default:
                break
            }
            return nil
        }

        private mutating func add(nodes: Int, depth: Int, anchor: String?) {
            if let anchor { anchors[anchor] = (nodes, depth) }
            guard !open.isEmpty else { return }
            // Saturating: the limit is checked at each alias, long before this could overflow.
            open[open.count - 1].nodes = min(open[open.count - 1].nodes + nodes, Int.max / 2)
            open[open.count - 1].depth = max(open[open.count - 1].depth, depth)
        }

        static func name(_ anchor: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            anchor.map { String(cString: $0) }
        }
    }
}
