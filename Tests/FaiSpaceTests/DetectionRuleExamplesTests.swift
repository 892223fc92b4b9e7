// DetectionRuleExamplesTests: every built-in rule fires on its own `fire` examples and on none of its `quiet` ones.
import Testing

@testable import FaiSpace

@Suite struct DetectionRuleExamplesTests {
    @Test func everyRuleAgreesWithItsExamples() throws {
        let table = try DetectionTable.builtin()
        #expect(table.rules.count > 50)
        for rule in table.rules {
            #expect(!rule.examples.fire.isEmpty, "rule \(rule.id) has no fire example")
            #expect(!rule.examples.quiet.isEmpty, "rule \(rule.id) has no quiet example")
            let failing = rule.failingExamples()
            #expect(failing.fire.isEmpty, "rule \(rule.id) does not fire on \(failing.fire)")
            #expect(failing.quiet.isEmpty, "rule \(rule.id) fires on \(failing.quiet)")
        }
    }

    @Test func tableCoversTheVocabularyAndNothingElse() throws {
        let table = try DetectionTable.builtin()
        let defined = Set(table.rules.flatMap(\.classes))
        #expect(defined == Set(DetectionTable.vocabulary))
        let vetoes = Set(table.rules.flatMap(\.unless))
        #expect(vetoes.isSubset(of: Set(DetectionTable.vocabulary)))
        let ids = table.rules.map(\.id)
        #expect(Set(ids).count == ids.count, "rule ids repeat")
        #expect(table.rules.allSatisfy { !$0.reason.isEmpty && !$0.reason.contains("\n") })
    }

    @Test func xenServerRuleIsTheSeedPatternOnTheKernelLog() throws {
        let table = try DetectionTable.builtin()
        let rules = table.rules.filter { $0.classes.contains("XENSERVER") }
        #expect(rules.count == 1)
        let rule = try #require(rules.first)
        #expect(rule.source == .kernelLog)
        // A Xen dom0 prints the seed's line too (issue 8 item 7).
        #expect(rule.unless == ["XEN_DOM0"])
        guard case .pattern(let pattern) = rule.test else {
            Issue.record("XENSERVER is not a pattern rule")
            return
        }
        #expect(pattern.pattern == "(ACPI:.*Xen.*HVM|Booting paravirtualized kernel on Xen)")
        #expect(!pattern.caseless)
    }

    @Test func conditionsAreCheckedWithTheirOwnExamples() throws {
        // Amazon EC2 and the SMBIOS VM bit: both must hold; a wrong condition example fails.
        let condition = RuleCondition(source: .smbiosVMBit, test: .equals("1"),
                                      examples: RuleExamples(fire: ["0"], quiet: ["1"]))
        let rule = DetectionRule(id: "nitro", source: .dmiSysVendor, test: .equals("Amazon EC2"), also: [condition],
                                 classes: ["KVM"], reason: "wrong condition examples on purpose",
                                 examples: RuleExamples(fire: ["Amazon EC2"], quiet: ["QEMU"]))
        let failing = rule.failingExamples()
        #expect(failing.fire == ["0"])
        #expect(failing.quiet == ["1"])
        let table = DetectionTable(rules: [rule])
        #expect(table.sources == [.dmiSysVendor, .smbiosVMBit])
        func detect(_ vendor: String, _ bit: String?) -> [String] {
            var evidence = Evidence(readings: [.dmiSysVendor: .text(EvidenceText(Array(vendor.utf8)))])
            if let bit { evidence.readings[.smbiosVMBit] = .text(EvidenceText(Array(bit.utf8))) }
            return table.detect(evidence).classes
        }
        #expect(detect("Amazon EC2\n", "1") == ["KVM"])
        #expect(detect("Amazon EC2\n", "0").isEmpty)
        #expect(detect("Amazon EC2\n", nil).isEmpty)
        #expect(detect("QEMU\n", "1").isEmpty)
        let firing = table.detect(Evidence(readings: [.dmiSysVendor: .text(EvidenceText(Array("Amazon EC2".utf8))),
                                                      .smbiosVMBit: .text(EvidenceText(Array("1".utf8)))]))
        #expect(firing.firings.first?.detail == "Amazon EC2 and smbios-vm-bit: 1")
    }

    @Test func examplesCatchABrokenRule() throws {
        // The walker is only useful if a wrong rule fails it.
        let broken = DetectionRule(id: "broken", source: .cpuid, test: .equals("KVMKVMKVM"), classes: ["KVM"],
                                   reason: "wrong on purpose",
                                   examples: RuleExamples(fire: ["XenVMMXenVMM"], quiet: ["KVMKVMKVM"]))
        let failing = broken.failingExamples()
        #expect(failing.fire == ["XenVMMXenVMM"])
        #expect(failing.quiet == ["KVMKVMKVM"])
    }
}
