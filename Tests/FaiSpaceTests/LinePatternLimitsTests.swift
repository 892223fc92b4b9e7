// LinePatternLimitsTests: pcre2grep's outcomes past PCRE2's limits and its buffer, and the time bound (issue 7.10).
import Foundation
import Testing

@testable import FaiSpace

@Suite struct LinePatternLimitsTests {
    /// pcre2grep -q's exit status on `text`, and its stderr.
    static func pcre2grep(_ pattern: String, _ text: [UInt8]) throws -> (status: Int32, stderr: String) {
        let tool = try requireTool("/usr/bin/pcre2grep", package: "pcre2-utils")
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("log")
        try Data(text).write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["-q", pattern, file.path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, stderr)
    }

    /// The exit status pcre2grep -q would have, from a search.
    static func status(_ search: LineSearch) -> Int32 {
        search.failure != nil ? 2 : search.line != nil ? 0 : 1
    }

    static func search(_ pattern: String, _ text: [UInt8], largeText: Bool) throws -> LineSearch {
        let linePattern = try LinePattern(pattern, largeText: largeText)
        return text.withUnsafeBytes { linePattern.search($0) }
    }

    static let catastrophic = "^(a+)+$"
    static let badLine = String(repeating: "a", count: 30) + "b\n"

    /// The issue's case: the first line hits PCRE2's match limit, a later one matches. The old
    /// whole-log search took the limit error for "no match" anywhere in the log.
    @Test func matchLimitOnOneLineDoesNotHideALaterMatch() throws {
        let text = Array((Self.badLine + "aaaa\n").utf8)
        let peer = try Self.pcre2grep(Self.catastrophic, text)
        #expect(peer.status == 0 && peer.stderr.contains("error -47"), "\(peer)")
        for largeText in [false, true] {
            let result = try Self.search(Self.catastrophic, text, largeText: largeText)
            #expect(result.line == 32..<36 && result.limitErrors == 1 && result.failure == nil, "largeText \(largeText): \(result)")
        }
    }

    /// pcre2grep abandons the run at its 22nd PCRE2 error (exit 2), not before.
    @Test(arguments: [1, 21, 22])
    func errorCountAgreesWithPcre2grep(badLines: Int) throws {
        let text = Array((String(repeating: Self.badLine, count: badLines) + "aaaa\n").utf8)
        let peer = try Self.pcre2grep(Self.catastrophic, text)
        for largeText in [false, true] {
            let result = try Self.search(Self.catastrophic, text, largeText: largeText)
            #expect(Self.status(result) == peer.status, "\(badLines) bad lines, largeText \(largeText): \(result), pcre2grep \(peer.status)")
            // The same, read by the parallel path for large logs.
            let pattern = try LinePattern(Self.catastrophic, largeText: true)
            let together = text.withUnsafeBytes { LinePattern.searches([pattern], in: $0) }
            #expect(Self.status(together[0]) == peer.status)
        }
    }

    /// A line pcre2grep's buffer cannot hold ends its run with exit 2; whether a line fits
    /// depends on where the buffer stands (1 to 3 MiB), so lines around the edges are tried.
    @Test(arguments: [
        [("x", 2 << 20), ("hello", 1)],
        [("x", 3 << 20), ("hello", 1)],
        [("x", (3 << 20) - 2), ("hello", 1)],
        [("x", (3 << 20) - 1), ("hello", 1)],
        [("hello", 1), ("x", 4 << 20)],
        [("short line", 150_000), ("x", (1 << 20) + 10), ("hello", 1)],
        [("short line", 150_000), ("x", (2 << 20) + 10), ("hello", 1)],
        [("y", 700_000), ("x", (2 << 20) + 300_000), ("hello", 1)],
    ])
    func lineTooLongForPcre2grepsBuffer(pieces: [(String, Int)]) throws {
        var text: [UInt8] = []
        for (piece, count) in pieces {
            // One character repeated is one long line; a longer piece is that many lines.
            if piece.count == 1 {
                text += [UInt8](repeating: piece.utf8.first!, count: count) + [0x0A]
            } else {
                for _ in 0..<count { text += Array(piece.utf8) + [0x0A] }
            }
        }
        let peer = try Self.pcre2grep("hello", text)
        for largeText in [false, true] {
            let result = try Self.search("hello", text, largeText: largeText)
            #expect(Self.status(result) == peer.status, "largeText \(largeText): \(result.failure ?? "-"), pcre2grep \(peer)")
        }
        let together = text.withUnsafeBytes { LinePattern.searches([try! LinePattern("hello", largeText: true)], in: $0) }
        #expect(Self.status(together[0]) == peer.status)
    }

    /// The built-in XENSERVER pattern on one huge line: `ACPI:.*Xen.*HVM` tries every `ACPI:`
    /// and runs to the line's end each time; 400 KB took 20 s on the old main, 2 MB minutes.
    @Test(.timeLimit(.minutes(1))) func builtInTableIsNotQuadraticOnOneHugeLine() throws {
        let pattern = try LinePattern(DetectionTable.xenServerPattern, largeText: true)
        let line = String(repeating: "ACPI: Xen ", count: 200_000)
        #expect(!pattern.matches(line + "\n"))
        #expect(pattern.matches(line + "HVM\n"))
        #expect(!pattern.matches("HVM " + line + "\n"))
        #expect(pattern.matches(String(repeating: "Booting paravirtualized kernel on ", count: 50_000) + "Xen\n"))
        // Every rule of the built-in table on the same line, as `faigen detect` runs them.
        let table = try DetectionTable.builtin()
        let evidence = Evidence(readings: [.kernelLog: .text(EvidenceText(Array((line + "\n").utf8)))])
        let detection = table.detect(evidence)
        #expect(detection.undecided.isEmpty && !detection.classes.contains("XENSERVER"))
    }

    @Test func requiredLiteralsAreReadCautiously() {
        #expect(RequiredLiterals(DetectionTable.xenServerPattern, caseless: false)?.alternatives.map { $0.map { String(decoding: $0, as: UTF8.self) } }
                == [["ACPI:", "Xen", "HVM"], ["Booting paravirtualized kernel on Xen"]])
        #expect(RequiredLiterals("ab?c", caseless: false)?.alternatives == [[Array("a".utf8), Array("c".utf8)]])
        #expect(RequiredLiterals("a\\.b", caseless: false)?.alternatives == [[Array("a.b".utf8)]])
        // No literal in some alternative, or escapes and options it does not read: no literals at all.
        for pattern in ["^(a+)+$", "abc|\\d+", "(?i)abc", "\\x41BC", "(a)\\1", "\\cAxyz", "\\p{Lu}bc", "(*CR)abc", "\\Qa.b\\E"] {
            #expect(RequiredLiterals(pattern, caseless: false) == nil, "\(pattern)")
        }
    }

    /// Every long line a literal check rules out is one pcre2grep finds no match on.
    @Test func literalCheckAgreesWithPcre2grepOnLongLines() throws {
        let filler = String(repeating: "z", count: 2_000)
        let lines = [
            filler + "ACPI: Xen HVM", filler + "acpi: xen hvm", "HVM Xen ACPI:" + filler, filler + "Booting paravirtualized kernel on Xen",
            filler + "a.b", filler + "axb", filler + "ac", filler + "abc",
        ]
        let patterns = [DetectionTable.xenServerPattern, "a\\.b", "ab?c", "Xen.*HVM$", "^z+ACPI"]
        for line in lines {
            for pattern in patterns {
                for caseless in [false, true] {
                    let text = Array((line + "\n").utf8)
                    let ours = try LinePattern(pattern, caseless: caseless, largeText: true)
                    let peer = try Self.pcre2grep(caseless ? "(?i)" + pattern : pattern, text)
                    #expect((ours.matches(line + "\n") ? 0 : 1) == peer.status, "\(pattern) caseless \(caseless) on \(line.suffix(40))")
                }
            }
        }
    }

    /// The time bound: a search whose budget has run out stops with a reason, not an answer.
    @Test func exhaustedBudgetStopsTheSearch() throws {
        let pattern = try LinePattern("hello", largeText: true)
        let text = Array("one\ntwo\nhello\n".utf8)
        let result = text.withUnsafeBytes { pattern.search($0, budget: .seconds(0)) }
        #expect(result.line == nil && result.failure?.contains("time budget") == true, "\(result)")
        #expect(text.withUnsafeBytes { pattern.search($0, budget: .seconds(60)) }.line == 8..<13)
    }

    /// A rule pcre2grep would give up on is reported as undecided, not as "no match".
    @Test func detectionReportsUndecidedRules() throws {
        let rules = try DetectionRuleSet.parse(yaml: """
            builtin: false
            rules:
              - id: catastrophic
                source: kernel-log
                pattern: '^(a+)+$'
                classes: [SLOW]
                reason: test
                examples: {fire: [aaa], quiet: [b]}
            """, file: "r.yaml")
        let table = DetectionTable(rules: []).merging(rules)
        let log = String(repeating: Self.badLine, count: 22) + "aaaa\n"
        let detection = table.detect(Evidence(readings: [.kernelLog: .text(EvidenceText(Array(log.utf8)))]))
        #expect(detection.classes.isEmpty)
        #expect(detection.undecided.map(\.rule) == ["catastrophic"])
        #expect(detection.undecided.first?.reason.contains("pcre2grep abandons") == true)
    }
}
