// SpecNode.compose: composing without tag resolution first gives what the spec resolver gives.
import Testing
import Yams
@testable import FaiSpace

@Suite struct SpecComposeTests {
    /// The outcome of composing `yaml` as a spec reads it: the tree (its serialization, the
    /// text of keys, and the bool reading of every value, which depends on how tags were
    /// resolved; a key is read as text only) or the error.
    static func outcome(_ compose: () throws -> Node?) -> String {
        do {
            guard let root = try compose() else { return "empty" }
            var bools: [String] = []
            func walk(_ node: Node) {
                switch node {
                case .scalar: bools.append("\(node.bool.map(String.init) ?? "-")")
                case .sequence(let sequence): sequence.forEach(walk)
                case .mapping(let mapping): mapping.forEach { bools.append("key \($0.key.scalar?.string ?? "-")"); walk($0.value) }
                case .alias: bools.append("alias")
                }
            }
            walk(root)
            return ((try? Yams.serialize(node: root)) ?? "unserializable") + bools.joined(separator: ",")
        } catch {
            return "error: \(error)"
        }
    }

    @Test(arguments: [
        // Keys of one text, one plain and one quoted: the spec resolver tells them apart.
        "classes:\n  NO: {}\n  'NO': {}\n",
        "a:\n  null: 1\n  'null': 2\n",
        "a:\n  true: 1\n  \"true\": 2\n",
        "a: {~: 1, '~': 2}\n",
        // An explicit bool or null tag makes a plain key of the same text a duplicate.
        "a:\n  !!bool true: 1\n  true: 2\n",
        "a:\n  !!null null: 1\n  null: 2\n",
        "a:\n  !<tag:yaml.org,2002:bool> yes: 1\n  yes: 2\n",
        "%TAG !y! tag:yaml.org,2002:\n---\na:\n  !y!bool on: 1\n  on: 2\n",
        "a:\n  [!!bool true]: 1\n  [true]: 2\n",
        // A scalar that is a value and, through an alias, a key: its tag is resolved as a key.
        "rule:\n  caseless: &flag true\n  *flag : x\n",
        "a: &x {b: yes}\nc:\n  *x : 1\n",
        // Plain duplicates, errors, empty documents, and a spec without any of the above.
        "site: a\nsite: b\n",
        "a: [unclosed\n",
        "",
        "# only a comment\n",
        "site: lab\nversion: 1\nhosts:\n  - {name: a, classes: [A, true, 'yes', ~]}\n",
        // `!` and `&` in scalars only: the tree is looked through and found plain.
        "a:\n  postinst: |\n    #!/bin/sh\n    true && echo 'yes!'\n  true: 'a & b'\n  'true': x\n",
        "a:\n  postinst: \"#!/bin/sh\"\n  on: 1\n  flag: on\n",
    ])
    func sameAsTheSpecResolver(yaml: String) {
        let fast = Self.outcome { try SpecNode.compose(yaml) }
        let reference = Self.outcome { try Yams.compose(yaml: yaml, SpecNode.specResolver) }
        #expect(fast == reference)
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
        // Each level doubles the tree (2^40 empty lists, no scalar repeated): the walk stops
        // within its budget and the spec resolver composes the document.
        var yaml = "a0: &a0 []\n"
        for level in 1...40 { yaml += "a\(level): &a\(level) [*a\(level - 1), *a\(level - 1)]\n" }
        let root = try #require(try SpecNode.compose(yaml))
        #expect(root.mapping?.count == 41)
    }
}
