// YAMLAliasBound: what anchors and aliases may cost a YAML document, checked on libyaml's events as they are composed.
import CLibYAML

/// The bound on alias expansion, as serious YAML loaders keep one (SnakeYAML's alias and
/// nesting limits, go-yaml's alias ratio): with `a: &a [x, x]`, `b: &b [*a, *a]`, ... each
/// level doubles what the document stands for, and mapping keys are compared by value, so
/// nine levels used as a key would cost minutes. ``YAMLComposer`` (which every spec and rules
/// file goes through) hands each event to a ``Walk`` before it composes it, so the alias that
/// passes a limit is an error before anything is expanded; docs/spec.md documents the limits.
enum YAMLAliasBound {
    /// Nodes that aliases may add to a document, counting each alias as a copy of its anchor's node.
    static let maxAliasedNodes = 1_000_000
    /// How deep a document may nest once its aliases are expanded.
    static let maxDepth = 64

    static let hint = "YAML aliases may add at most \(maxAliasedNodes) nodes and nest \(maxDepth) levels deep; write the repeated part out, or use fewer aliases"

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
