// DetectionRuleSetTests: rules read from YAML, and every way a rules file can be wrong.
import Testing

@testable import FaiSpace

@Suite struct DetectionRuleSetTests {
    static let goodRule = """
        - id: my-cloud
          source: dmi:sys_vendor
          equals: ExampleCloud
          classes: [MYCLOUD, KVM]
          reason: DMI vendor of our private cloud
          examples:
            fire: ["ExampleCloud\\n"]
            quiet: ["QEMU\\n", null]
        """

    @Test func listFormAddsRules() throws {
        let set = try DetectionRuleSet.parse(yaml: Self.goodRule, file: "rules.yaml")
        #expect(set.keepsBuiltin)
        let rule = try #require(set.rules.first)
        #expect(rule.id == "my-cloud")
        #expect(rule.source == .dmiSysVendor)
        #expect(rule.classes == ["MYCLOUD", "KVM"])
        #expect(rule.location == SourceLocation(file: "rules.yaml", line: 1, column: 3))
        #expect(rule.examples.quiet == ["QEMU\n", nil])
        let table = try DetectionTable.builtin().merging(set)
        #expect(table.rules.last?.id == "my-cloud")
    }

    @Test func mappingFormReplacesTheTableOrARule() throws {
        let yaml = """
            builtin: false
            rules:
              - id: xenserver
                source: kernel-log
                pattern: 'Booting paravirtualized kernel on Xen'
                caseless: true
                classes: XENSERVER
                reason: only PV guests
                examples:
                  fire: ["[0.0] booting paravirtualized kernel on xen"]
                  quiet: ["[0.0] ACPI: XSDT (v01 Xen    HVM )"]
            """
        let set = try DetectionRuleSet.parse(yaml: yaml, file: "r.yaml")
        #expect(!set.keepsBuiltin)
        let builtin = try DetectionTable.builtin()
        #expect(builtin.merging(set).rules.map(\.id) == ["xenserver"])
        var keep = set
        keep.keepsBuiltin = true
        let merged = builtin.merging(keep)
        #expect(merged.rules.count == builtin.rules.count)
        let index = try #require(merged.rules.firstIndex { $0.id == "xenserver" })
        #expect(builtin.rules[index].id == "xenserver")
        guard case .pattern(let pattern) = merged.rules[index].test else {
            Issue.record("not a pattern")
            return
        }
        #expect(pattern.caseless)
    }

    @Test func embeddedNodeOfAnotherDocument() throws {
        // The site spec's `detect:` key holds the same rule format.
        let spec = "version: 1\ndetect:\n" + Self.goodRule.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        let document = try SpecNode.parse(yaml: spec, file: "site.yaml")
        let node = try #require(document.node.mapping?.first { $0.key.string == "detect" }?.value)
        let set = try DetectionRuleSet.parse(node: node, file: "site.yaml")
        #expect(set.rules.first?.location == SourceLocation(file: "site.yaml", line: 3, column: 5))
    }

    @Test func invalidPatternCarriesPCRE2MessageAndOffset() throws {
        let yaml = """
            - id: bad
              source: kernel-log
              pattern: '(ACPI:.*Xen'
              classes: [XEN]
              reason: unbalanced
              examples: {fire: [x], quiet: [y]}
            """
        let error = try #require(throws: InputError.self) { try DetectionRuleSet.parse(yaml: yaml, file: "bad.yaml") }
        #expect(error.location == SourceLocation(file: "bad.yaml", line: 3, column: 24))
        #expect(error.message.contains("missing closing parenthesis"))
        #expect(error.message.contains("offset 11"))
        #expect(error.description.hasPrefix("bad.yaml:3:24: invalid PCRE2 pattern: missing closing parenthesis at offset 11"))
    }

    @Test func unknownSourceIsNamed() throws {
        let yaml = """
            - id: bad
              source: dmi:sys_vendr
              equals: QEMU
              classes: [QEMU]
              reason: typo
              examples: {fire: [QEMU], quiet: [KVM]}
            """
        let error = try #require(throws: InputError.self) { try DetectionRuleSet.parse(yaml: yaml, file: "bad.yaml") }
        #expect(error.location == SourceLocation(file: "bad.yaml", line: 2, column: 11))
        #expect(error.message == "unknown evidence source `dmi:sys_vendr`")
        #expect(error.hint?.contains("dmi:sys_vendor") == true)
    }

    @Test func malformedYAMLHasLineAndColumn() throws {
        let yaml = "- id: bad\n  source: [cpuid\n  classes: [KVM]\n"
        let error = try #require(throws: InputError.self) { try DetectionRuleSet.parse(yaml: yaml, file: "bad.yaml") }
        #expect(error.location?.file == "bad.yaml")
        #expect(error.location?.line != nil)
        #expect(error.message.hasPrefix("not YAML: "))
        let tabs = try #require(throws: InputError.self) {
            try DetectionRuleSet.parse(yaml: "- id: x\n\tsource: cpuid\n", file: "tab.yaml")
        }
        #expect(tabs.location?.line == 2)
    }

    @Test func alsoConditionsNeedEveryPieceOfEvidence() throws {
        let yaml = """
            - id: nitro-like
              source: dmi:sys_vendor
              equals: ExampleCloud
              also:
                - source: smbios-vm-bit
                  equals: "1"
                  examples: {fire: ["1"], quiet: ["0", null]}
              classes: [KVM]
              reason: our cloud's VMs, not its bare metal
              examples: {fire: ["ExampleCloud\\n"], quiet: ["QEMU\\n"]}
            """
        let set = try DetectionRuleSet.parse(yaml: yaml, file: "rules.yaml")
        let rule = try #require(set.rules.first)
        #expect(rule.also.map(\.source) == [.smbiosVMBit])
        let table = DetectionTable(rules: set.rules)
        func classes(_ bit: String) -> [String] {
            table.detect(Evidence(readings: [.dmiSysVendor: .text(EvidenceText(Array("ExampleCloud\n".utf8))),
                                             .smbiosVMBit: .text(EvidenceText(Array(bit.utf8)))])).classes
        }
        #expect(classes("1") == ["KVM"])
        #expect(classes("0") == [])
        // A condition is checked against its own examples, and names its line.
        let wrong = yaml.replacingOccurrences(of: "quiet: [\"0\", null]", with: "quiet: [\"1\"]")
        let error = try #require(throws: InputError.self) { try DetectionRuleSet.parse(yaml: wrong, file: "rules.yaml") }
        #expect(error.message == "the condition on smbios-vm-bit holds on its quiet example `1`")
        #expect(error.location?.line == 7)
        let classesSource = yaml.replacingOccurrences(of: "- source: smbios-vm-bit", with: "- source: classes")
        #expect(throws: InputError.self) { try DetectionRuleSet.parse(yaml: classesSource, file: "rules.yaml") }
    }

    @Test func otherMistakes() throws {
        func error(_ yaml: String) throws -> InputError {
            try #require(throws: InputError.self) { try DetectionRuleSet.parse(yaml: yaml, file: "r.yaml") }
        }
        let base = "  source: cpuid\n  classes: [KVM]\n  reason: r\n  examples: {fire: [KVMKVMKVM], quiet: [x]}\n"
        #expect(try error("- id: a\n" + base).message == "the rule has no test")
        #expect(try error("- id: a\n  equals: KVMKVMKVM\n  present: true\n" + base).message == "the rule has 2 tests")
        #expect(try error("- id: a\n  equals: KVMKVMKVM\n  colour: red\n" + base).message == "unknown key 'colour' in a rule")
        #expect(try error("- id: a\n  equals: XenVMMXenVMM\n" + base).message
            == "rule `a` does not fire on its example `KVMKVMKVM`")
        #expect(try error("- id: a\n  equals: x\n  source: cpuid\n  classes: [KVM]\n  reason: r\n  examples: {fire: [x], quiet: [x]}\n").message
            == "rule `a` fires on its quiet example `x`")
        #expect(try error("- id: a\n  equals: KVMKVMKVM\n  source: cpuid\n  classes: [kvm]\n  reason: r\n  examples: {fire: [KVMKVMKVM], quiet: [x]}\n").message
            == "`kvm` is not an FAI class name")
        #expect(try error("- id: a\n  equals: KVMKVMKVM\n  source: cpuid\n  classes: [KVM]\n  reason: r\n  examples: {fire: [KVMKVMKVM]}\n").message
            == "a rule needs at least one `fire` and one `quiet` example")
        let twice = "- id: a\n  equals: KVMKVMKVM\n" + base
        #expect(try error(twice + twice).message == "rule id `a` is used twice")
        #expect(try error("").message == "the rules file is empty")
        #expect(try error("- id: a\n  pattern: \"KVM\\nXen\"\n" + base).message == "the pattern spans several lines")
        #expect(try error("rules: 3").message == "`rules` must be a list of rules")
        #expect(try error("rulez: []").message == "unknown key 'rulez' in the rules document")
    }

    @Test func printedTableReadsBackAsTheSameTable() throws {
        let builtin = try DetectionTable.builtin()
        let yaml = try DetectionRuleSet.yaml(for: builtin.rules)
        let set = try DetectionRuleSet.parse(yaml: yaml, file: "printed.yaml")
        #expect(!set.keepsBuiltin)
        #expect(set.rules.count == builtin.rules.count)
        for (printed, original) in zip(set.rules, builtin.rules) {
            #expect(printed.id == original.id)
            #expect(printed.source == original.source)
            #expect(printed.classes == original.classes)
            #expect(printed.unless == original.unless)
            #expect(printed.reason == original.reason)
            #expect(printed.examples == original.examples, "examples of \(original.id)")
            #expect(printed.also.map(\.source) == original.also.map(\.source), "conditions of \(original.id)")
            #expect(printed.also.map(\.examples) == original.also.map(\.examples), "condition examples of \(original.id)")
            switch (printed.test, original.test) {
            case (.pattern(let a), .pattern(let b)): #expect(a.pattern == b.pattern && a.caseless == b.caseless)
            case (.equals(let a), .equals(let b)): #expect(a == b)
            case (.present(let a), .present(let b)): #expect(a == b)
            default: Issue.record("rule \(original.id) changed its kind of test")
            }
        }
    }

    @Test func missingFile() throws {
        let error = try #require(throws: InputError.self) {
            try DetectionRuleSet.load(path: "/nonexistent/rules.yaml")
        }
        #expect(error.location?.file == "/nonexistent/rules.yaml")
    }
}
