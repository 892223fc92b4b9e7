// YAMLComposer: which keys are duplicates, how scalars read as null and bool, what an alias is, and the emitter's round trip.
import Testing
@testable import FaiSpace

@Suite struct SpecComposeTests {
    /// The outcome of composing `yaml` as a spec reads it: the text of every key and the bool
    /// reading of every value (`-` for none), or the error.
    static func outcome(_ yaml: String) -> String {
        do {
            guard let root = try YAMLComposer.compose(yaml, file: "s.yaml") else { return "empty" }
            var read: [String] = []
            func walk(_ node: YAMLNode) {
                switch node {
                case .scalar: read.append(node.bool.map(String.init) ?? (node.isNull ? "null" : "-"))
                case .sequence(let sequence): sequence.forEach(walk)
                case .mapping(let mapping): mapping.forEach { read.append("key \($0.key.string ?? "-")"); walk($0.value) }
                }
            }
            walk(root)
            return read.joined(separator: ",")
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: [
        // Keys of one text, one plain and one quoted: the spec resolver tells them apart.
        ("classes:\n  NO: {}\n  'NO': {}\n", "key classes,key NO,key NO"),
        ("a:\n  null: 1\n  'null': 2\n", "key a,key null,-,key null,-"),
        ("a:\n  true: 1\n  \"true\": 2\n", "key a,key true,-,key true,-"),
        ("a: {~: 1, '~': 2}\n", "key a,key ~,-,key ~,-"),
        // An explicit bool or null tag makes a plain key of the same text a duplicate.
        ("a:\n  !!bool true: 1\n  true: 2\n", "s.yaml:3:3: duplicate key true in a mapping (keep one of them)"),
        ("a:\n  !!null null: 1\n  null: 2\n", "s.yaml:3:3: duplicate key null in a mapping (keep one of them)"),
        ("a:\n  !<tag:yaml.org,2002:bool> yes: 1\n  yes: 2\n", "s.yaml:3:3: duplicate key yes in a mapping (keep one of them)"),
        ("%TAG !y! tag:yaml.org,2002:\n---\na:\n  !y!bool on: 1\n  on: 2\n", "s.yaml:5:3: duplicate key on in a mapping (keep one of them)"),
        ("a:\n  [!!bool true]: 1\n  [true]: 2\n", "s.yaml:3:3: duplicate key (a list as key) in a mapping (keep one of them)"),
        // `!!str` makes a plain key a string: the same key as a quoted one.
        ("a:\n  !!str true: 1\n  'true': 2\n", "s.yaml:3:3: duplicate key true in a mapping (keep one of them)"),
        // A scalar that is a value and, through an alias, a key: it reads the same both ways.
        ("rule:\n  caseless: &flag true\n  *flag : x\n", "key rule,key caseless,true,key true,-"),
        ("a: &x {b: yes}\nc:\n  *x : 1\n", "key a,key b,true,key c,key -,-"),
        // Plain duplicates, errors, empty documents, and a spec without any of the above.
        ("site: a\nsite: b\n", "s.yaml:2:1: duplicate key site in a mapping (keep one of them)"),
        ("a: [unclosed\n", "s.yaml:2:1: not YAML: while parsing a flow sequence: did not find expected ',' or ']' (fix the YAML syntax)"),
        ("a: *nothing\n", "s.yaml:1:4: not YAML: found undefined alias *nothing (define the anchor &nothing before its alias)"),
        ("a: 1\n---\nb: 2\n", "s.yaml:2:1: not YAML: expected a single document in the stream: but found another document (keep one document (one ---) in the file)"),
        ("", "empty"),
        ("# only a comment\n", "empty"),
        ("\u{FEFF}a: 1\n", "key a,-"),
        ("site: lab\nversion: 1\nhosts:\n  - {name: a, classes: [A, true, 'yes', ~, Off]}\n",
         "key site,-,key version,-,key hosts,key name,-,key classes,-,true,-,null,false"),
        ("a:\n  postinst: |\n    #!/bin/sh\n    true && echo 'yes!'\n  true: 'a & b'\n  'true': x\n",
         "key a,key postinst,-,key true,-,key true,-"),
        ("a: {b: !!str yes, c: ! yes, d: \"no\"}\ne: |\n  yes\n", "key a,key b,-,key c,true,key d,-,key e,-"),
    ])
    func composes(yaml: String, expected: String) {
        #expect(Self.outcome(yaml) == expected)
    }

    @Test func quotedAndPlainClassOfOneNameIsTheSpecsDuplicate() {
        #expect {
            try SiteSpec(yaml: "site: lab\nversion: 1\nclasses:\n  NO: {}\n  'NO': {}\n", file: "s.yaml")
        } throws: { error in
            (error as? InputError)?.description.hasPrefix("s.yaml:5:3: duplicate key 'NO' in classes") == true
        }
    }

    @Test func explicitlyTaggedDuplicateKeyIsStillFound() {
        #expect {
            try SiteSpec(yaml: "site: lab\nversion: 1\nclasses:\n  !!bool YES: {}\n  YES: {}\n", file: "s.yaml")
        } throws: { error in
            (error as? InputError)?.description.contains("duplicate key YES in a mapping") == true
        }
    }

    @Test func aliasedTreeLargerThanItsTextIsComposed() throws {
        // Each level doubles the tree (2^16 empty lists once expanded, within the alias bound).
        var yaml = "a0: &a0 []\n"
        for level in 1...15 { yaml += "a\(level): &a\(level) [*a\(level - 1), *a\(level - 1)]\n" }
        let root = try #require(try YAMLComposer.compose(yaml, file: "s.yaml"))
        #expect(root.mapping?.count == 16)
    }

    @Test func nestingDeeperThanTheBoundIsAnError() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(Self.outcome("a: " + deep + "\n").hasPrefix("s.yaml:1:67: the document nests deeper than 64 levels"))
    }

    @Test func readerErrorNamesTheCharacter() {
        #expect(Self.outcome("a: b\nc: \u{01}\n") == "s.yaml:2:4: not YAML: control characters are not allowed (#1) (YAML text has no control characters)")
    }

    /// A text past `concurrentSize` is read by libyaml on another core while the tree is
    /// built: each problem is reported as when read in turn, the first in the text first,
    /// wherever the batches are cut. Each case follows 8,000 lines of padding (104 KB, 16,000
    /// events, four batches), so its error is 8,000 lines further down.
    @Test(arguments: [
        "a:\n  b: 1\n  b: 2\n",
        "a: [1, 2\n",
        "a: *nowhere\n",
        "a: b\nc: \u{01}\n",
        "a: 1\n---\nb: 2\n",
        "a: " + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "\n",
        // A duplicate key before a syntax error: the duplicate is reported.
        "a:\n  b: 1\n  b: 2\nc: [\n",
    ])
    func longTextReportsTheSameFirstProblem(_ text: String) {
        let padding = (0..<8000).map { "k\(String(100_000 + $0).dropFirst()): value\n" }.joined()
        #expect(padding.utf8.count > YAMLComposer.concurrentSize)
        let short = Self.outcome(text)
        let parts = short.split(separator: ":", maxSplits: 2)
        guard parts.count == 3, let line = Int(parts[1]) else {
            Issue.record("not an error: \(short)")
            return
        }
        #expect(Self.outcome(padding + text) == "\(parts[0]):\(line + 8000):\(parts[2])")
    }

    /// A problem in the middle of a long text stops the read there: a later one is not reported.
    @Test func longTextStopsAtItsFirstProblem() {
        var lines = (0..<8000).map { "k\($0): value\n" }
        lines[5000] = "n:\n  x: 1\n  x: 2\n"
        #expect(Self.outcome(lines.joined() + "z: [\n") == "s.yaml:5003:3: duplicate key x in a mapping (keep one of them)")
        let composed = Self.outcome((0..<8000).map { "k\($0): value\n" }.joined())
        #expect(composed.split(separator: ",").count == 16000)
    }

    /// Long texts composed at once, from every worker thread, each give the whole document:
    /// each composer takes only its own reader's events, and every reader gets a thread.
    @Test(.timeLimit(.minutes(1))) func longTextsComposedAtOnceAllFinish() {
        let text = (0..<8000).map { "k\($0): value\n" }.joined()
        let counts = Parallel.map(32, minimumChunk: 1) { _ in Self.outcome(text).split(separator: ",").count }
        #expect(counts == Array(repeating: 16000, count: 32))
    }

    /// What the emitter writes reads back to the same text, styles and bools.
    @Test func emitterRoundTrip() throws {
        let node = YAMLNode.mapping(.init([
            (.scalar(.init("pattern")), .scalar(.init("\\bXen\\b 'x'", style: .singleQuoted))),
            (.scalar(.init("reason")), .scalar(.init("two\nlines\tand é", style: .doubleQuoted))),
            (.scalar(.init("caseless")), .scalar(.init("true"))),
            (.scalar(.init("classes")), .sequence(.init([.scalar(.init("A")), .scalar(.init("B"))], isFlow: true))),
            (.scalar(.init("fire")), .sequence(.init([.scalar(.init("null")), .scalar(.init("x", style: .singleQuoted))]))),
        ]))
        let text = try YAMLEmitter.serialize(node)
        #expect(text == """
            pattern: '\\bXen\\b ''x'''
            reason: "two\\nlines\\tand \\xE9"
            caseless: true
            classes: [A, B]
            fire:
            - null
            - 'x'

            """)
        #expect(Self.outcome(text) == "key pattern,-,key reason,-,key caseless,true,key classes,-,-,key fire,null,-")
    }
}
