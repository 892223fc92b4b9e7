// pcre2-leak-driver: exercises every PCRE2Regex path so scripts/pcre2-leak-check can count what outlives it.
import Dispatch

var hits = 0
for round in 0..<200 {
    // Compile (with JIT), match, scan with a reused match data, and free, under each option set.
    let options: PCRE2Options = [[], .caseless, .utf, [.multiline, .dotAll]][round % 4]
    if let regex = try? PCRE2Regex("(ACPI:.*Xen.*HVM|Booting paravirtualized kernel on Xen)", options: options) {
        if regex.matches("[0.0] Booting paravirtualized kernel on Xen") { hits += 1 }
        _ = regex.firstMatch(in: [0xff, 0xfe, 0xc3] + Array(" ACPI: XSDT (v01 Xen HVM)".utf8))
        regex.withScanner { scanner in
            for line in ["a", "ACPI: Xen HVM", ""] {
                var line = line
                _ = line.withUTF8 { scanner.matches(UnsafeRawBufferPointer($0)) }
            }
        }
    }
    // Compile errors must not leave anything behind either.
    _ = try? PCRE2Regex("(unclosed \(round)")
    _ = try? PCRE2Regex("a**")
}
// One regex shared by several threads.
if let shared = try? PCRE2Regex("KVM") {
    DispatchQueue.concurrentPerform(iterations: 8) { index in
        for _ in 0..<100 { _ = shared.matches(index % 2 == 0 ? "KVMKVMKVM" : "XenVMMXenVMM") }
    }
}
// Rule patterns: the line-by-line scanner and the whole-text search with candidate lines.
for round in 0..<50 {
    for pattern in ["(ACPI:.*Xen.*HVM|Booting paravirtualized kernel on Xen)", "\\AHVM", "Xen[^x]*+$"] {
        if let linePattern = try? LinePattern(pattern, caseless: round % 2 == 0, largeText: round % 3 != 0),
           linePattern.matches("[0.0] first\n[0.0] ACPI: XSDT (v01 Xen    HVM )\nlast") {
            hits += 1
        }
    }
}
print("pcre2-leak-driver: \(hits) matches")
