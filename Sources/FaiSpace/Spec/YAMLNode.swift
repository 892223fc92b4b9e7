// YAMLNode: a YAML document as the spec readers see it, composed from libyaml's events and written back by libyaml's emitter.
// The system's libyaml (the C library Yams wraps) without Yams: Yams imports all of Foundation
// and with it ICU's data (34 MB of the static binary); this reader needs only the standard library.
import CLibYAML
import Dispatch
import Synchronization

/// A place in YAML text: 1-based line and column, the column counted in characters (libyaml's marks).
public struct YAMLMark: Sendable, Hashable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}

/// A node of a composed YAML document. An alias is the node its anchor names (with that node's
/// mark); tags are kept as written, and read only where a spec needs them (null, bool, duplicate keys).
public indirect enum YAMLNode: Sendable {
    case scalar(Scalar)
    case sequence(Sequence)
    case mapping(Mapping)

    public struct Scalar: Sendable {
        /// libyaml's scalar styles.
        public enum Style: Sendable { case plain, singleQuoted, doubleQuoted, literal, folded }

        public var string: String
        public var style: Style
        /// The tag written before the scalar (`!!bool` as `tag:yaml.org,2002:bool`, `!`, `!local`); nil when none.
        public var tag: String?
        public var mark: YAMLMark

        public init(_ string: String, style: Style = .plain, tag: String? = nil, mark: YAMLMark = YAMLMark(line: 0, column: 0)) {
            self.string = string
            self.style = style
            self.tag = tag
            self.mark = mark
        }
    }

    public struct Sequence: RandomAccessCollection, Sendable {
        public var nodes: [YAMLNode]
        public var tag: String?
        /// `[a, b]` rather than one item a line.
        public var isFlow: Bool
        public var mark: YAMLMark

        public init(_ nodes: [YAMLNode], tag: String? = nil, isFlow: Bool = false, mark: YAMLMark = YAMLMark(line: 0, column: 0)) {
            self.nodes = nodes
            self.tag = tag
            self.isFlow = isFlow
            self.mark = mark
        }

        public var startIndex: Int { nodes.startIndex }
        public var endIndex: Int { nodes.endIndex }
        public subscript(position: Int) -> YAMLNode { nodes[position] }
    }

    public struct Mapping: RandomAccessCollection, Sendable {
        public var pairs: [(key: YAMLNode, value: YAMLNode)]
        public var tag: String?
        public var isFlow: Bool
        public var mark: YAMLMark

        public init(_ pairs: [(key: YAMLNode, value: YAMLNode)], tag: String? = nil, isFlow: Bool = false,
                    mark: YAMLMark = YAMLMark(line: 0, column: 0)) {
            self.pairs = pairs
            self.tag = tag
            self.isFlow = isFlow
            self.mark = mark
        }

        public var startIndex: Int { pairs.startIndex }
        public var endIndex: Int { pairs.endIndex }
        public subscript(position: Int) -> (key: YAMLNode, value: YAMLNode) { pairs[position] }
    }

    public var scalar: Scalar? {
        if case .scalar(let scalar) = self { return scalar }
        return nil
    }

    public var sequence: Sequence? {
        if case .sequence(let sequence) = self { return sequence }
        return nil
    }

    public var mapping: Mapping? {
        if case .mapping(let mapping) = self { return mapping }
        return nil
    }

    /// The text of a scalar; nil for a sequence or mapping.
    public var string: String? { scalar?.string }

    public var mark: YAMLMark {
        switch self {
        case .scalar(let scalar): scalar.mark
        case .sequence(let sequence): sequence.mark
        case .mapping(let mapping): mapping.mark
        }
    }

    /// YAML's null: a plain scalar `~`, `null`, `Null`, `NULL` or nothing. Quoted `'null'` is the word.
    public var isNull: Bool {
        guard case .scalar(let scalar) = self, scalar.style == .plain else { return false }
        return YAMLTag.isNullText(scalar.string)
    }

    /// A scalar read as a bool (`true`, `yes`, `on`, `false`, `no`, `off` in any case), unless
    /// it is quoted or tagged as a string; nil when it is no bool.
    public var bool: Bool? {
        guard case .scalar(let scalar) = self else { return nil }
        // Quoted and block scalars are strings, as is a scalar tagged `!!str`.
        if let tag = scalar.tag { if tag == YAMLTag.str { return nil } } else if scalar.style != .plain { return nil }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: return nil
        }
    }
}

/// The tags a spec tells apart: a plain scalar resolves to null, bool or str by its text (YAML
/// 1.1's words for bool, as Yams' resolver read them); every other node keeps its written tag.
enum YAMLTag {
    static let str = "tag:yaml.org,2002:str"
    static let bool = "tag:yaml.org,2002:bool"
    static let null = "tag:yaml.org,2002:null"
    static let seq = "tag:yaml.org,2002:seq"
    static let map = "tag:yaml.org,2002:map"

    static func isNullText(_ text: String) -> Bool {
        text.utf8.count <= 4 && ["", "~", "null", "Null", "NULL"].contains(text)
    }

    static func isBoolText(_ text: String) -> Bool {
        text.utf8.count <= 5 && [
            "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
            "on", "On", "ON", "off", "Off", "OFF",
        ].contains(text)
    }

    /// The scalar's tag: as written (`!` alone is a string), str when quoted or a block scalar,
    /// else null or bool by its text, else str.
    static func resolved(_ scalar: YAMLNode.Scalar) -> String {
        if let tag = scalar.tag { return tag == "!" ? str : tag }
        guard scalar.style == .plain else { return str }
        if isNullText(scalar.string) { return null }
        if isBoolText(scalar.string) { return bool }
        return str
    }
}

/// Composes YAML text into one document with libyaml's event parser: every problem is one
/// InputError at its line and column. Keys of a mapping must differ as the spec resolver reads
/// them (text and tag: plain `true` and quoted `'true'` differ); anchors and aliases are held to
/// ``YAMLAliasBound``'s limits as their events come, and no document nests deeper than
/// ``YAMLAliasBound/maxDepth`` levels.
///
/// A long text is read by libyaml on another core while the tree is built here, the events
/// handed over in batches (a site of 10,000 hosts is 170,000 events); the events are taken
/// in order, so the first problem in the text is the one reported, as when read in turn.
enum YAMLComposer {
    /// Shorter texts are read first, then composed, on this thread.
    static let concurrentSize = 64 * 1024
    /// Events per batch handed from the reader to the composer.
    static let batchSize = 4096

    static func compose(_ yaml: String, file: String) throws(InputError) -> YAMLNode? {
        var text = yaml
        let result: Result<YAMLNode?, InputError> = text.withUTF8 { bytes in
            var input = bytes
            // YAML allows a byte-order mark at the start of a stream (YAML 1.2, 5.2).
            if input.starts(with: [0xEF, 0xBB, 0xBF]) { input = UnsafeBufferPointer(rebasing: input.dropFirst(3)) }
            let channel = EventChannel()
            let reading = DispatchGroup()
            if input.count < concurrentSize {
                EventReader(file: file, input: input).read(into: channel)
            } else {
                // The reader uses `input` until it ends: it is stopped and waited for below,
                // before the text's bytes go away. A queue of its own gets a thread of its own
                // (libdispatch's overcommit pool), even when every worker waits for a composer.
                nonisolated(unsafe) let input = input
                DispatchQueue(label: "faigen.yaml-reader").async(group: reading) {
                    EventReader(file: file, input: input).read(into: channel)
                }
            }
            defer {
                channel.cancel()
                reading.wait()
            }
            var composer = Composer(file: file)
            return Result { () throws(InputError) in try composer.run(channel) }
        }
        return try result.get()
    }

    /// One node being composed: a sequence's items, or a mapping's keys and values in turn.
    private struct Open: Sendable {
        var isMapping: Bool
        var anchor: String?
        var tag: String?
        var isFlow: Bool
        var mark: YAMLMark
        var items: [YAMLNode] = []
    }

    /// A libyaml event as the composer takes it, its text already made.
    private enum Event: Sendable {
        case documentStart(YAMLMark)
        case alias(String, YAMLMark)
        case scalar(YAMLNode.Scalar, anchor: String?)
        case start(Open)
        case end
        case streamEnd
        /// The text is not YAML, or an alias goes past a limit, here: the last event.
        case failure(InputError)
    }

    /// Batches of events from the reader to the composer, in order.
    private final class EventChannel: Sendable {
        private struct State: ~Copyable {
            var batches: [[Event]] = []
            var next = 0
            var cancelled = false
        }

        private let state = Mutex(State())
        private let ready = DispatchSemaphore(value: 0)

        /// Hands a batch over; false once the composer has stopped taking them.
        func send(_ batch: [Event]) -> Bool {
            let taken = state.withLock { state -> Bool in
                guard !state.cancelled else { return false }
                state.batches.append(batch)
                return true
            }
            if taken { ready.signal() }
            return taken
        }

        /// The next batch, waiting for the reader to send it.
        func receive() -> [Event] {
            ready.wait()
            return state.withLock { state in
                let batch = state.batches[state.next]
                state.batches[state.next] = []
                state.next += 1
                return batch
            }
        }

        /// Stops taking batches: the reader stops at its next.
        func cancel() {
            state.withLock { $0.cancelled = true }
        }
    }

    /// Runs libyaml's parser over the text and sends its events, ending with the stream's end
    /// or the first problem.
    private struct EventReader {
        let file: String
        let input: UnsafeBufferPointer<UInt8>

        func read(into channel: EventChannel) {
            var batch: [Event] = []
            batch.reserveCapacity(YAMLComposer.batchSize)
            // The parser keeps a pointer to itself: it must not move while it reads.
            let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
            defer { parser.deallocate() }
            guard yaml_parser_initialize(parser) == 1 else {
                _ = channel.send([.failure(InputError(file: file, line: 1, column: 1, "not YAML: out of memory"))])
                return
            }
            defer { yaml_parser_delete(parser) }
            yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(parser, input.baseAddress, input.count)
            // Only text with both `&` and `*` can have an alias that names an anchor.
            var bound = input.contains(UInt8(ascii: "&")) && input.contains(UInt8(ascii: "*")) ? YAMLAliasBound.Walk() : nil
            var event = yaml_event_t()
            var ended = false
            while !ended {
                guard yaml_parser_parse(parser, &event) == 1 else {
                    batch.append(.failure(syntaxError(parser.pointee)))
                    break
                }
                let mark = YAMLMark(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
                if bound != nil, let problem = bound!.take(event) {
                    yaml_event_delete(&event)
                    batch.append(.failure(InputError(file: file, line: mark.line, column: mark.column, problem, hint: YAMLAliasBound.hint)))
                    break
                }
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    batch.append(.streamEnd)
                    ended = true
                case YAML_DOCUMENT_START_EVENT:
                    batch.append(.documentStart(mark))
                case YAML_ALIAS_EVENT:
                    batch.append(.alias(Self.name(event.data.alias.anchor) ?? "", mark))
                case YAML_SCALAR_EVENT:
                    let data = event.data.scalar
                    let text = String(decoding: UnsafeBufferPointer(start: data.value, count: data.length), as: UTF8.self)
                    let style: YAMLNode.Scalar.Style
                    switch data.style {
                    case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
                    case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
                    case YAML_LITERAL_SCALAR_STYLE: style = .literal
                    case YAML_FOLDED_SCALAR_STYLE: style = .folded
                    default: style = .plain
                    }
                    batch.append(.scalar(.init(text, style: style, tag: Self.name(data.tag), mark: mark), anchor: Self.name(data.anchor)))
                case YAML_SEQUENCE_START_EVENT:
                    let data = event.data.sequence_start
                    batch.append(.start(Open(isMapping: false, anchor: Self.name(data.anchor), tag: data.implicit != 0 ? nil : Self.name(data.tag),
                                             isFlow: data.style == YAML_FLOW_SEQUENCE_STYLE, mark: mark)))
                case YAML_MAPPING_START_EVENT:
                    let data = event.data.mapping_start
                    batch.append(.start(Open(isMapping: true, anchor: Self.name(data.anchor), tag: data.implicit != 0 ? nil : Self.name(data.tag),
                                             isFlow: data.style == YAML_FLOW_MAPPING_STYLE, mark: mark)))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    batch.append(.end)
                default:
                    break
                }
                yaml_event_delete(&event)
                if batch.count >= YAMLComposer.batchSize {
                    guard channel.send(batch) else { return }
                    batch = []
                    batch.reserveCapacity(YAMLComposer.batchSize)
                }
            }
            _ = channel.send(batch)
        }

        /// libyaml's reader, scanner or parser error at its place.
        private func syntaxError(_ parser: yaml_parser_t) -> InputError {
            let problem = parser.problem.map { String(cString: $0) } ?? "unknown error"
            switch parser.error {
            case YAML_READER_ERROR:
                // The reader names a byte offset (a control character, say): turn it into a place.
                var line = 1, column = 1
                for byte in input.prefix(parser.problem_offset) {
                    if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
                }
                let value = parser.problem_value
                let what = value >= 0 ? "\(problem) (#\(String(value, radix: 16, uppercase: true)))" : problem
                return InputError(file: file, line: line, column: column, "not YAML: \(what)", hint: "YAML text has no control characters")
            case YAML_SCANNER_ERROR, YAML_PARSER_ERROR, YAML_COMPOSER_ERROR:
                let what = parser.context.map { "\(String(cString: $0)): \(problem)" } ?? problem
                return InputError(file: file, line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1,
                                  "not YAML: \(what)", hint: "fix the YAML syntax")
            default:
                return InputError(file: file, line: 1, column: 1, "not YAML: \(problem)", hint: "fix the YAML syntax")
            }
        }

        static func name(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            pointer.map { String(decodingCString: $0, as: UTF8.self) }
        }
    }

    /// Builds the tree from the events, in order.
    private struct Composer {
        let file: String
        var anchors: [String: YAMLNode] = [:]
        var open: [Open] = []
        var root: YAMLNode?

        init(file: String) {
            self.file = file
        }

        mutating func run(_ channel: EventChannel) throws(InputError) -> YAMLNode? {
            var documents = 0
            while true {
                for event in channel.receive() {
                    switch event {
                    case .streamEnd:
                        return root
                    case .failure(let error):
                        throw error
                    case .documentStart(let mark):
                        documents += 1
                        if documents > 1 {
                            throw InputError(file: file, line: mark.line, column: mark.column,
                                             "not YAML: expected a single document in the stream: but found another document",
                                             hint: "keep one document (one ---) in the file")
                        }
                    case .alias(let name, let mark):
                        guard let node = anchors[name] else {
                            throw InputError(file: file, line: mark.line, column: mark.column, "not YAML: found undefined alias *\(name)",
                                             hint: "define the anchor &\(name) before its alias")
                        }
                        add(node)
                    case .scalar(let scalar, let anchor):
                        let node = YAMLNode.scalar(scalar)
                        if let anchor { anchors[anchor] = node }
                        add(node)
                    case .start(let opened):
                        guard open.count < YAMLAliasBound.maxDepth else {
                            throw InputError(file: file, line: opened.mark.line, column: opened.mark.column,
                                             "the document nests deeper than \(YAMLAliasBound.maxDepth) levels",
                                             hint: "a spec needs a few levels; write it with fewer nested lists and mappings")
                        }
                        open.append(opened)
                    case .end:
                        guard let closed = open.popLast() else { break }
                        let node: YAMLNode
                        if closed.isMapping {
                            var pairs: [(key: YAMLNode, value: YAMLNode)] = []
                            pairs.reserveCapacity(closed.items.count / 2)
                            var index = 0
                            while index + 1 < closed.items.count {
                                pairs.append((closed.items[index], closed.items[index + 1]))
                                index += 2
                            }
                            try checkDuplicates(pairs)
                            node = .mapping(.init(pairs, tag: closed.tag, isFlow: closed.isFlow, mark: closed.mark))
                        } else {
                            node = .sequence(.init(closed.items, tag: closed.tag, isFlow: closed.isFlow, mark: closed.mark))
                        }
                        if let anchor = closed.anchor { anchors[anchor] = node }
                        add(node)
                    }
                }
            }
        }

        private mutating func add(_ node: YAMLNode) {
            if open.isEmpty { root = node } else { open[open.count - 1].items.append(node) }
        }

        /// Two keys that read the same: one error naming every repeated key, at the first
        /// place a key repeats (the line to delete).
        private func checkDuplicates(_ pairs: [(key: YAMLNode, value: YAMLNode)]) throws(InputError) {
            guard pairs.count > 1 else { return }
            var repeats: [(first: Int, second: Int)] = []
            if pairs.count <= 8, pairs.allSatisfy({ $0.key.scalar != nil }) {
                // A few scalar keys (nearly every mapping of a spec): compared in place, pair by
                // pair, with nothing made for them (a site's 10,000 hosts are 10,000 mappings).
                func same(_ first: Int, _ second: Int) -> Bool {
                    guard case .scalar(let a) = pairs[first].key, case .scalar(let b) = pairs[second].key else { return false }
                    return a.string == b.string && YAMLTag.resolved(a) == YAMLTag.resolved(b)
                }
                for second in 1..<pairs.count {
                    if let first = (0..<second).first(where: { same($0, second) }) { repeats.append((first, second)) }
                }
            } else {
                let keys = pairs.map { KeyIdentity($0.key) }
                var seen: [KeyIdentity: Int] = [:]
                seen.reserveCapacity(keys.count)
                for (index, key) in keys.enumerated() {
                    if let first = seen[key] { repeats.append((first, index)) } else { seen[key] = index }
                }
            }
            guard let place = repeats.first else { return }
            var names: [String] = []
            for (first, _) in repeats {
                let name = pairs[first].key.string ?? "(a \(pairs[first].key.mapping != nil ? "mapping" : "list") as key)"
                if !names.contains(name) { names.append(name) }
            }
            let mark = pairs[place.second].key.mark
            throw InputError(file: file, line: mark.line, column: mark.column,
                             "duplicate key \(names.sorted().joined(separator: ", ")) in a mapping", hint: "keep one of them")
        }
    }

    /// A mapping key as duplicates are found: a scalar's text and resolved tag, or a
    /// collection's keys and values in order with its tag.
    private indirect enum KeyIdentity: Hashable {
        case scalar(String, String)
        case sequence([KeyIdentity], String)
        case mapping([KeyIdentity], String)

        init(_ node: YAMLNode) {
            switch node {
            case .scalar(let scalar):
                self = .scalar(scalar.string, YAMLTag.resolved(scalar))
            case .sequence(let sequence):
                self = .sequence(sequence.nodes.map(KeyIdentity.init), sequence.tag ?? YAMLTag.seq)
            case .mapping(let mapping):
                self = .mapping(mapping.pairs.flatMap { [KeyIdentity($0.key), KeyIdentity($0.value)] }, mapping.tag ?? YAMLTag.map)
            }
        }
    }
}

/// Writes a node as YAML text with libyaml's emitter: two-space indents, no line folding,
/// non-ASCII escaped, each scalar in its own style where libyaml can write it so.
enum YAMLEmitter {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func serialize(_ node: YAMLNode) throws -> String {
        let emitter = UnsafeMutablePointer<yaml_emitter_t>.allocate(capacity: 1)
        defer { emitter.deallocate() }
        guard yaml_emitter_initialize(emitter) == 1 else { throw Failure(description: "out of memory") }
        defer { yaml_emitter_delete(emitter) }
        let output = UnsafeMutablePointer<[UInt8]>.allocate(capacity: 1)
        output.initialize(to: [])
        defer { output.deinitialize(count: 1); output.deallocate() }
        yaml_emitter_set_output(emitter, { context, buffer, size in
            guard let context, let buffer else { return 0 }
            context.assumingMemoryBound(to: [UInt8].self).pointee.append(contentsOf: UnsafeBufferPointer(start: buffer, count: size))
            return 1
        }, output)
        yaml_emitter_set_indent(emitter, 2)
        yaml_emitter_set_width(emitter, -1)
        yaml_emitter_set_unicode(emitter, 0)
        yaml_emitter_set_break(emitter, YAML_LN_BREAK)
        yaml_emitter_set_encoding(emitter, YAML_UTF8_ENCODING)

        func emit(_ initialize: (UnsafeMutablePointer<yaml_event_t>) -> Int32) throws {
            var event = yaml_event_t()
            guard initialize(&event) == 1 else { throw Failure(description: "cannot make a YAML event") }
            guard yaml_emitter_emit(emitter, &event) == 1 else {
                throw Failure(description: emitter.pointee.problem.map { String(cString: $0) } ?? "YAML emitter error")
            }
        }
        func write(_ node: YAMLNode) throws {
            switch node {
            case .scalar(let scalar):
                let style: yaml_scalar_style_t = switch scalar.style {
                case .plain: YAML_PLAIN_SCALAR_STYLE
                case .singleQuoted: YAML_SINGLE_QUOTED_SCALAR_STYLE
                case .doubleQuoted: YAML_DOUBLE_QUOTED_SCALAR_STYLE
                case .literal: YAML_LITERAL_SCALAR_STYLE
                case .folded: YAML_FOLDED_SCALAR_STYLE
                }
                var bytes = Array(scalar.string.utf8)
                try bytes.withUnsafeMutableBufferPointer { value in
                    try emit { yaml_scalar_event_initialize($0, nil, nil, value.baseAddress, Int32(value.count), 1, 1, style) }
                }
            case .sequence(let sequence):
                try emit { yaml_sequence_start_event_initialize($0, nil, nil, 1, sequence.isFlow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE) }
                for item in sequence.nodes { try write(item) }
                try emit { yaml_sequence_end_event_initialize($0) }
            case .mapping(let mapping):
                try emit { yaml_mapping_start_event_initialize($0, nil, nil, 1, mapping.isFlow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE) }
                for pair in mapping.pairs {
                    try write(pair.key)
                    try write(pair.value)
                }
                try emit { yaml_mapping_end_event_initialize($0) }
            }
        }
        try emit { yaml_stream_start_event_initialize($0, YAML_UTF8_ENCODING) }
        try emit { yaml_document_start_event_initialize($0, nil, nil, nil, 1) }
        try write(node)
        try emit { yaml_document_end_event_initialize($0, 1) }
        try emit { yaml_stream_end_event_initialize($0) }
        return String(decoding: output.pointee, as: UTF8.self)
    }
}
