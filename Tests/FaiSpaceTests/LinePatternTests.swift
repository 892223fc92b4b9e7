// LinePatternTests: a rule pattern means what `pcre2grep -q PATTERN` means on the same text.
import Foundation
import Testing

@testable import FaiSpace

@Suite struct LinePatternTests {
    static let texts: [String] = [
        "",
        "\n",
        "one line without newline",
        "[    0.000000] Booting paravirtualized kernel on Xen\n[    0.000000] next\n",
        "[    0.000000] Booting paravirtualized kernel on Xen HVM\n",
        "[    0.000000] ACPI: RSDP 0x00000000000EA020 000024 (v02 Xen   )\n[    0.000000] ACPI: XSDT (v01 Xen    HVM      00000000)\n",
        "ACPI: Xen\nHVM on the next line\n",
        "first\r\nHypervisor detected: KVM\r\nlast\r\n",
        "abc\nxyz\n\n\nkvm at the end",
        "x\n\n",
        "aaa\nbbb\naaa\n",
    ]

    static let patterns: [String] = [
        "(ACPI:.*Xen.*HVM|Booting paravirtualized kernel on Xen)",
        "Booting paravirtualized kernel on Xen$",
        "^\\[",
        "^$",
        "KVM$",
        "KVM\\r$",
        "Xen\\s+HVM",
        "Xen[^x]*HVM",
        "\\Aabc",
        "\\AHVM",
        "(?<=\\n)HVM",
        "(?<!\\n)HVM on",
        "kvm\\z",
        "end(?!\\n)",
        "a[^x]*+$",
        "(?i)hypervisor detected: kvm",
        "(?-m)^bbb$",
        "^a.*a$",
        "x*",
        "line\\nHVM",
        "(*CR)^HVM",
    ]

    @Test func agreesWithPcre2grepLineByLine() throws {
        let pcre2grep = try requireTool("/usr/bin/pcre2grep", package: "pcre2-utils")
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var compared = 0
        for (textIndex, text) in Self.texts.enumerated() {
            let file = directory.appendingPathComponent("log\(textIndex)")
            try Data(text.utf8).write(to: file)
            for pattern in Self.patterns {
                for largeText in [false, true] {
                    let linePattern = try LinePattern(pattern, largeText: largeText)
                    let expected = try Self.pcre2grepMatches(pcre2grep, pattern, file.path)
                    #expect(linePattern.matches(text) == expected,
                            "pattern \(pattern) on text #\(textIndex) (largeText \(largeText)): pcre2grep says \(expected)")
                    compared += 1
                }
            }
        }
        #expect(compared == Self.texts.count * Self.patterns.count * 2)
    }

    @Test func allPatternsTogetherFindWhatEachFindsAlone() throws {
        // 3 MiB of lines with hits at the start, near piece and segment boundaries, and at the end.
        var lines = (0..<40_000).map { String(format: "[%5d.%06d] usb 1-1: New USB device found, idVendor=8087", $0 / 1000, $0) }
        lines[0] = "[    0.000000] Booting paravirtualized kernel on bare hardware"
        lines[3_300] = "[    3.300000] Hypervisor detected: KVM"
        lines[20_000] = "[   20.000000] ACPI: XSDT 0x00000000FC00A6C0 000034 (v01 Xen    HVM      00000000 HVML 00000000)"
        lines[20_001] = "[   20.000001] Hypervisor detected: KVM"
        lines[39_999] = "Booting paravirtualized kernel on Xen"
        let text = lines.joined(separator: "\n") + "\n"
        #expect(text.utf8.count > 2 << 20)
        let patterns = try [
            "(ACPI:.*Xen.*HVM|Booting paravirtualized kernel on Xen)", "Hypervisor detected: KVM", "bare hardware$",
            "on Xen$", "\\Aon Xen", "^Booting", "(?<=\\] )Hypervisor", "never there", "idVendor=8087$",
        ].map { try LinePattern($0, largeText: true) }
        var copy = text
        copy.withUTF8 { raw in
            let bytes = UnsafeRawBufferPointer(raw)
            let together = LinePattern.firstMatchingLines(patterns, in: bytes)
            for (pattern, found) in zip(patterns, together) {
                #expect(found == pattern.firstMatchingLine(in: bytes), "pattern \(pattern.pattern)")
            }
            #expect(together[1].map { String(decoding: UnsafeRawBufferPointer(rebasing: bytes[$0]), as: UTF8.self) }
                == "[    3.300000] Hypervisor detected: KVM")
            #expect(together[7] == nil)
            let pieces = LinePattern.lineAlignedPieces(of: bytes, from: 0, to: bytes.count, count: 7)
            #expect(pieces.first?.lowerBound == 0 && pieces.last?.upperBound == bytes.count)
            #expect(zip(pieces, pieces.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound && bytes[$0.upperBound - 1] == 0x0A })
        }
    }

    @Test func caselessIsPcre2grepDashI() throws {
        let pcre2grep = try requireTool("/usr/bin/pcre2grep", package: "pcre2-utils")
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("log")
        try Data("[ 0.0] Hypervisor detected: KVM\n".utf8).write(to: file)
        let result = try Self.run(pcre2grep, ["-q", "-i", "hypervisor DETECTED: kvm", file.path])
        #expect(result == 0)
        #expect(try LinePattern("hypervisor DETECTED: kvm", caseless: true, largeText: true)
            .matches("[ 0.0] Hypervisor detected: KVM\n"))
        #expect(!(try LinePattern("hypervisor DETECTED: kvm", largeText: true)).matches("[ 0.0] Hypervisor detected: KVM\n"))
    }

    @Test func wholeTextSearchOnlyForLineLocalPatterns() {
        #expect(LinePattern.isLineLocal("(ACPI:.*Xen.*HVM|Booting paravirtualized kernel on Xen)"))
        #expect(LinePattern.isLineLocal("(?i)kvm"))
        #expect(LinePattern.isLineLocal("(?:a|b)\\b"))
        #expect(!LinePattern.isLineLocal("\\Aabc"))
        #expect(!LinePattern.isLineLocal("(?<=x)y"))
        #expect(!LinePattern.isLineLocal("(?=x)"))
        #expect(!LinePattern.isLineLocal("a*+"))
        #expect(!LinePattern.isLineLocal("(?>a)"))
        #expect(!LinePattern.isLineLocal("(?-m)^a$"))
        #expect(!LinePattern.isLineLocal("(*CR)a"))
    }

    @Test func matchingLineIsReported() throws {
        let pattern = try LinePattern("Hypervisor detected: (\\S+)", largeText: true)
        var log = "[ 0.0] Linux version 6.1\n[ 0.0] Hypervisor detected: KVM\n[ 0.1] done\n"
        let line = log.withUTF8 { pattern.firstMatchingLine(in: UnsafeRawBufferPointer($0)) }
        #expect(line == 25..<56)
    }

    static func pcre2grepMatches(_ tool: String, _ pattern: String, _ file: String) throws -> Bool {
        let status = try Self.run(tool, ["-q", "--", pattern, file])
        guard status == 0 || status == 1 else {
            Issue.record("pcre2grep failed (\(status)) on \(pattern)")
            return false
        }
        return status == 0
    }

    /// Runs a tool and returns its exit status.
    static func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
