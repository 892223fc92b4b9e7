// PCRE2Tests: the libpcre2-8 wrapper compiles, reports errors as PCRE2 does, and matches bytes safely.
import Foundation
import Testing

@testable import FaiSpace

@Suite struct PCRE2Tests {
    @Test func compileErrorCarriesPCRE2MessageAndOffset() throws {
        do {
            _ = try PCRE2Regex("(ACPI:.*Xen")
            Issue.record("an unbalanced group compiled")
        } catch let error as PCRE2CompileError {
            #expect(error.message == "missing closing parenthesis")
            #expect(error.offset == 11)
            #expect(error.pattern == "(ACPI:.*Xen")
            #expect(error.description.contains("offset 11"))
        }
        do {
            _ = try PCRE2Regex("Xen[")
            Issue.record("an unterminated class compiled")
        } catch let error as PCRE2CompileError {
            #expect(error.message == "missing terminating ] for character class")
            #expect(error.offset == 4)
        }
        do {
            _ = try PCRE2Regex("a**")
            Issue.record("a double quantifier compiled")
        } catch let error as PCRE2CompileError {
            #expect(error.message == "quantifier does not follow a repeatable item")
            #expect(error.offset == 2)
        }
    }

    @Test func seedPatternMatchesXenServerMessages() throws {
        let seed = try PCRE2Regex("(ACPI:.*Xen.*HVM|Booting paravirtualized kernel on Xen)")
        #expect(seed.matches("[    0.000000] ACPI: RSDP 0x00000000000EA020 000024 (v02 Xen   )\n[    0.000000] ACPI: XSDT 0x00000000FC00A6C0 000034 (v01 Xen    HVM      00000000 HVML 00000000)"))
        #expect(seed.matches("[    0.000000] Booting paravirtualized kernel on Xen"))
        #expect(!seed.matches("[    0.000000] Booting paravirtualized kernel on bare hardware"))
        #expect(!seed.matches(""))
    }

    @Test func firstMatchReportsByteOffsets() throws {
        let regex = try PCRE2Regex("Xen")
        #expect(regex.firstMatch(in: Array("on Xen HVM".utf8)) == 3..<6)
        #expect(regex.firstMatch(in: Array("no hypervisor".utf8)) == nil)
        let later = Array("Xen and Xen".utf8)
        #expect(later.withUnsafeBytes { regex.firstMatch(in: $0, from: 1) } == 8..<11)
        #expect(later.withUnsafeBytes { regex.firstMatch(in: $0, from: 99) } == nil)
        // Offsets are bytes: "é" is two UTF-8 bytes.
        #expect(regex.firstMatch(in: Array("é Xen".utf8)) == 3..<6)
    }

    @Test func caselessMultilineAndDotAll() throws {
        #expect(!(try PCRE2Regex("kvm")).matches("Hypervisor detected: KVM"))
        #expect(try PCRE2Regex("kvm", options: .caseless).matches("Hypervisor detected: KVM"))
        let log = "first line\nHypervisor detected: KVM\nlast"
        #expect(!(try PCRE2Regex("^Hypervisor")).matches(log))
        #expect(try PCRE2Regex("^Hypervisor", options: .multiline).matches(log))
        #expect(try PCRE2Regex("KVM$", options: .multiline).matches(log))
        #expect(!(try PCRE2Regex("line.Hyper")).matches(log))
        #expect(try PCRE2Regex("line.Hyper", options: .dotAll).matches(log))
        #expect(try PCRE2Regex("kvm # comment", options: [.extended, .caseless]).matches("KVM"))
    }

    @Test func utfMatchesCharactersNotBytes() throws {
        // Without UTF, "." is one byte and "é" is two; with UTF it is one character.
        #expect(!(try PCRE2Regex("^.$")).matches("é"))
        #expect(try PCRE2Regex("^.$", options: .utf).matches("é"))
        #expect(try PCRE2Regex("É", options: [.utf, .caseless]).matches("é"))
        #expect(!(try PCRE2Regex("É", options: .caseless)).matches("é"))
    }

    @Test func invalidUTF8SubjectNeverTraps() throws {
        let bytes: [UInt8] = Array("vendor ".utf8) + [0xff, 0xfe, 0xc3] + Array(" KVM".utf8)
        // UTF mode searches around the bad bytes.
        #expect(try PCRE2Regex("KVM", options: .utf).matches(bytes))
        #expect(!(try PCRE2Regex("Xen", options: .utf)).matches(bytes))
        // Byte mode does not care about UTF-8 at all.
        #expect(try PCRE2Regex("KVM").matches(bytes))
        #expect(try PCRE2Regex("\\xff").matches(bytes))
        // A truncated sequence at the very end.
        #expect(!(try PCRE2Regex("x", options: .utf)).matches([0xe2, 0x82]))
    }

    @Test func emptyPatternAndEmptySubject() throws {
        let empty = try PCRE2Regex("")
        #expect(empty.matches(""))
        #expect(empty.firstMatch(in: [UInt8]()) == 0..<0)
        #expect(!(try PCRE2Regex("x")).matches([UInt8]()))
    }

    @Test func noCopyOfTheSubject() throws {
        // Matching reads the caller's buffer: a match range points into it.
        let regex = try PCRE2Regex("HVM")
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 1)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: UInt8(ascii: "x"))
        #expect(!regex.matches(UnsafeRawBufferPointer(buffer)))
        buffer[40] = UInt8(ascii: "H"); buffer[41] = UInt8(ascii: "V"); buffer[42] = UInt8(ascii: "M")
        #expect(regex.firstMatch(in: UnsafeRawBufferPointer(buffer)) == 40..<43)
    }

    @Test func sharedAcrossThreads() async throws {
        let regex = try PCRE2Regex("(ACPI:.*Xen.*HVM|Booting paravirtualized kernel on Xen)", options: .utf)
        let hit = Array("[0.0] ACPI: XSDT (v01 Xen    HVM )".utf8)
        let miss = Array("[0.0] ACPI: XSDT (v01 BOCHS  BXPC )".utf8)
        let counts = await withTaskGroup(of: (Int, Int).self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var hits = 0, misses = 0
                    for index in 0..<2_000 {
                        if regex.matches(index % 2 == 0 ? hit : miss) { hits += 1 } else { misses += 1 }
                    }
                    return (hits, misses)
                }
            }
            var total = (0, 0)
            for await (hits, misses) in group { total.0 += hits; total.1 += misses }
            return total
        }
        #expect(counts.0 == 8_000)
        #expect(counts.1 == 8_000)
    }

    @Test func jitIsUsedWhenAvailable() throws {
        let regex = try PCRE2Regex("Xen")
        #expect(regex.isJITCompiled == PCRE2Regex.jitAvailable)
    }
}
