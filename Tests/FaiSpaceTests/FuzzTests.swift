// FuzzTests: every parser of outside input, fed mutations of a saved corpus: no trap, no hang, no write outside OUTDIR.
//
// A deterministic mutation fuzzer in Swift rather than libFuzzer: it runs inside `swift test`
// with no second, instrumented build of the package (which on this machine's two shared cores
// costs more than the whole suite), its inputs are reproducible from the seed, and `make fuzz`
// runs the same targets longer with a fresh seed. Each target's corpus is
// Tests/Fixtures/fuzz/TARGET/: real inputs plus the ones that once found a bug.
//
// FAIGEN_FUZZ_ITERATIONS (default 200 per target) and FAIGEN_FUZZ_SEED (default fixed) set
// the run; the input being tried is written to FAIGEN_FUZZ_SAVE/TARGET when that is set, so
// a trap leaves the input that caused it behind.
import Foundation
import Testing

@testable import FaiSpace

/// A small, fast, seedable generator (SplitMix64), so a run is the same on every machine.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

struct Fuzzer {
    var random: SplitMix64
    let corpus: [[UInt8]]
    let tokens: [[UInt8]]

    /// One mutation of a corpus entry, or two entries spliced; a few mutations stacked.
    mutating func input() -> [UInt8] {
        var bytes = corpus[Int.random(in: 0..<corpus.count, using: &random)]
        for _ in 0..<Int.random(in: 1...4, using: &random) { mutate(&bytes) }
        // Keep inputs small enough that a run stays quick; the limits under test are about shape, not size.
        if bytes.count > 64 * 1024 { bytes.removeLast(bytes.count - 64 * 1024) }
        return bytes
    }

    mutating func mutate(_ bytes: inout [UInt8]) {
        let position = bytes.isEmpty ? 0 : Int.random(in: 0...bytes.count, using: &random)
        switch Int.random(in: 0..<8, using: &random) {
        case 0 where !bytes.isEmpty:  // flip a bit
            let index = min(position, bytes.count - 1)
            bytes[index] ^= 1 << UInt8.random(in: 0..<8, using: &random)
        case 1:  // insert a random byte
            bytes.insert(UInt8.random(in: 0...255, using: &random), at: position)
        case 2 where !bytes.isEmpty:  // delete a range
            let end = min(bytes.count, position + Int.random(in: 1...16, using: &random))
            bytes.removeSubrange(min(position, bytes.count - 1)..<end)
        case 3 where !bytes.isEmpty:  // repeat a range
            let start = min(position, bytes.count - 1)
            let end = min(bytes.count, start + Int.random(in: 1...64, using: &random))
            let piece = bytes[start..<end]
            for _ in 0..<Int.random(in: 1...8, using: &random) { bytes.insert(contentsOf: piece, at: start) }
        case 4, 5:  // insert a token of the format
            bytes.insert(contentsOf: tokens[Int.random(in: 0..<tokens.count, using: &random)], at: position)
        case 6:  // splice in part of another entry
            let other = corpus[Int.random(in: 0..<corpus.count, using: &random)]
            guard !other.isEmpty else { return }
            let start = Int.random(in: 0..<other.count, using: &random)
            bytes.insert(contentsOf: other[start..<min(other.count, start + Int.random(in: 1...256, using: &random))], at: position)
        default:  // a line of the input swapped with its neighbour
            var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
            guard lines.count > 1 else { return }
            let index = Int.random(in: 0..<(lines.count - 1), using: &random)
            lines.swapAt(index, index + 1)
            bytes = Array(lines.joined(separator: [0x0A]))
        }
    }
}

@Suite(.serialized) struct FuzzTests {
    static let root = repositoryRoot.appendingPathComponent("Tests/Fixtures/fuzz")
    static let iterations = Int(ProcessInfo.processInfo.environment["FAIGEN_FUZZ_ITERATIONS"] ?? "") ?? 200
    /// Long enough for the default run many times over; `make fuzz` runs far more inputs.
    static let minutes = iterations > 1_000 ? 120 : 5
    static let seed = UInt64(ProcessInfo.processInfo.environment["FAIGEN_FUZZ_SEED"] ?? "") ?? 0x0FA1_6E17

    static let yamlTokens = ["&a ", "*a", "&b [*a, *a, *a]", ": ", "- ", "? ", "[", "]", "{", "}", ",", "\n  ", "null", "~",
                             "''", "\"\\u0000\"", "!!str ", "!!bool ", "\u{FEFF}", "|\n  x\n", "#", "\t", "\r", "%YAML 1.1\n",
                             "---\n", "...\n", "<<: *a\n", "\u{0}", "\u{85}", "\u{2028}", "\\", "'", "\""]

    /// Runs `body` on each fuzzed input of `target`; an error must be an InputError on one line
    /// with a place, and anything else the body checks.
    static func run(_ target: String, tokens: [String], _ body: ([UInt8]) throws -> Void) throws {
        let directory = root.appendingPathComponent(target)
        let corpus = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted().map {
            try [UInt8](Data(contentsOf: directory.appendingPathComponent($0)))
        }
        #expect(!corpus.isEmpty, "no corpus in \(directory.path)")
        var seedHash = seed
        for byte in target.utf8 { seedHash = seedHash &* 31 &+ UInt64(byte) }
        var fuzzer = Fuzzer(random: SplitMix64(state: seedHash), corpus: corpus, tokens: tokens.map { Array($0.utf8) })
        let save = ProcessInfo.processInfo.environment["FAIGEN_FUZZ_SAVE"].map { URL(fileURLWithPath: $0).appendingPathComponent(target) }
        if let save { try FileManager.default.createDirectory(at: save.deletingLastPathComponent(), withIntermediateDirectories: true) }
        // The corpus itself first, then mutations.
        for (index, input) in (corpus + (0..<iterations).map { _ in fuzzer.input() }).enumerated() {
            if let save { try Data(input).write(to: save) }
            do {
                try body(input)
            } catch let error as InputError {
                let text = error.description
                #expect(!text.contains("\n") && error.location?.line != nil,
                        "\(target) input #\(index): error without a place or on several lines: \(text)")
            } catch {
                Issue.record("\(target) input #\(index): \(error) is not an InputError")
            }
        }
    }

    static func text(_ bytes: [UInt8]) throws(InputError) -> String {
        try decodeText(bytes, path: "fuzz", expected: "text")
    }

    /// The site spec, and for a spec that reads, its render into an OUTDIR: nothing may appear
    /// beside it.
    @Test(.timeLimit(.minutes(FuzzTests.minutes))) func siteSpec() throws {
        let scratch = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        var rendered = 0
        try Self.run("site-spec", tokens: Self.yamlTokens + ["classes:\n", "hosts:\n", "files:\n", "content: ", "install: ",
                                                             "/etc/../x", "../", "name: ", "mac: ", "ip: "]) { input in
            let spec = try SiteSpec(yaml: try Self.text(input), file: "fuzz.yaml")
            let generated = try spec.generatedFiles()
            // Writing is slow (fsync): render every spec that reads for the first few, then one in ten.
            guard rendered < 20 || rendered % 10 == 0 else { rendered += 1; return }
            rendered += 1
            let parent = scratch.appendingPathComponent("run\(rendered)")
            let outdir = parent.appendingPathComponent("out")
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: parent) }
            _ = try RenderWriter.apply(outputDirectory: outdir.path, base: nil, generated: generated, force: false)
            #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["out"], "a render wrote beside OUTDIR")
        }
    }

    @Test(.timeLimit(.minutes(FuzzTests.minutes))) func rulesFile() throws {
        try Self.run("rules-file", tokens: Self.yamlTokens + ["pattern: ", "(a+)+$", "source: kernel-log", "equals: ", "present: ",
                                                              "classes: [", "examples: {fire: [", "builtin: false\n"]) { input in
            let set = try DetectionRuleSet.parse(yaml: try Self.text(input), file: "rules.yaml")
            // The rules run over their own examples already; run the merged table over nothing too.
            _ = try DetectionTable.builtin().merging(set).detect(Evidence(), budget: .seconds(5))
        }
    }

    @Test(.timeLimit(.minutes(FuzzTests.minutes))) func packageList() throws {
        try Self.run("package-list", tokens: ["PACKAGES ", "install", "install-norec", "aptitude", " # ", "\n", "-", "/bookworm", "${X}",
                                              "release=x ", "! ", "&& ", "\u{0}", "\r\n", "\t"]) { input in
            let list = try PackageList(path: "package_config/FUZZ", contents: input)
            // Unchanged lines are written back exactly as read.
            #expect(list.contents == input, "package list not written back as read: \(String(decoding: input.prefix(200), as: UTF8.self))")
        }
    }

    /// Kernel-log lines: klogctl and /dev/kmsg formats, then the whole built-in table over the log.
    @Test(.timeLimit(.minutes(FuzzTests.minutes))) func kernelLog() throws {
        let table = try DetectionTable.builtin()
        try Self.run("kernel-log", tokens: ["<6>", "<", ">", "6,1234,5678,-;", "\n ", "\\x0a", "[    0.000000] ", "Hypervisor detected: ",
                                            "Booting paravirtualized kernel on Xen", "ACPI:", "Xen", "HVM", "\u{0}", "\u{FF}"]) { input in
            let formatted = KernelLogFormat.fromKlogctl(input[...])
            let records = input.split(separator: 0x0A).map(Array.init)
            let kmsg = KernelLogFormat.fromKmsg(records)
            for log in [input, formatted, kmsg] {
                let detection = table.detect(Evidence(readings: [.kernelLog: .text(EvidenceText(log))]), budget: .seconds(5))
                #expect(detection.undecided.isEmpty, "\(detection.undecided)")
            }
        }
    }

    /// DMI strings and /proc values: each fuzzed input written as four file sources of a
    /// snapshot (in turn, so every source gets inputs), read back through `--root`, and the
    /// built-in table run over it.
    @Test(.timeLimit(.minutes(FuzzTests.minutes))) func dmiAndProcValues() throws {
        let table = try DetectionTable.builtin()
        let scratch = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let sources = table.sources.filter { source in
            guard let path = source.snapshotPath, source != .kernelLog else { return false }
            return source.reading != .directoryListing && source.reading != .presence && !path.isEmpty
        }
        var round = 0
        try Self.run("dmi-proc", tokens: ["QEMU", "KVM", "Xen", "VMware, Inc.", "\u{0}", "container=lxc\u{0}", "envID:\t7\n", "control_d",
                                          "flags\t\t: hypervisor\n", "Amazon EC2", "  \n", "\u{FF}\u{FE}"]) { input in
            round += 1
            let root = scratch.appendingPathComponent("root\(round)")
            defer { try? FileManager.default.removeItem(at: root) }
            for offset in 0..<4 {
                let source = sources[(round * 4 + offset) % sources.count]
                let file = root.appendingPathComponent(source.snapshotPath!)
                try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(input).write(to: file)
            }
            let evidence = Evidence.collect(root: root.path, sources: table.sources)
            let detection = table.detect(evidence, budget: .seconds(5))
            #expect(detection.undecided.isEmpty, "\(detection.undecided)")
        }
    }
}
