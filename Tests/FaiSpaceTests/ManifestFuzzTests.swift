// ManifestFuzzTests: mutated manifests (a saved corpus, a fixed seed, a bounded count) never crash
// or hang the parser, and a render over them never removes or writes anything outside OUTDIR.
import Foundation
import Testing
@testable import FaiSpace

enum ManifestFuzz {
    /// Tests/Fixtures/manifest-corpus: a valid manifest and the attacks and breakages found so far.
    static let corpus: [[UInt8]] = {
        let directory = repositoryRoot.appendingPathComponent("Tests/Fixtures/manifest-corpus")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()) ?? []
        return names.compactMap { FileManager.default.contents(atPath: directory.appendingPathComponent($0).path).map { [UInt8]($0) } }
    }()

    /// How many inputs a run tries: FAIGEN_FUZZ_COUNT for a longer run (`make fuzz`).
    static func count(_ standard: Int) -> Int {
        ProcessInfo.processInfo.environment["FAIGEN_FUZZ_COUNT"].flatMap(Int.init) ?? standard
    }

    static let tokens: [[UInt8]] = ["../", "..", "/", "//", ".", "\0", "\n", "\r", " ", "#", "\u{301}", ".git/", ".faigen/",
                                    "100644 ", "120000 ", "040755 - ", "104755 ", String(repeating: "0", count: 64) + " ",
                                    String(repeating: "n", count: 260), "victim", "é"].map { Array($0.utf8) }

    /// One input: a corpus entry changed one to four times (bytes flipped, tokens put in, ranges
    /// cut, lines repeated, another entry spliced in).
    static func input(_ generator: inout SplitMix64) -> [UInt8] {
        var bytes = corpus.randomElement(using: &generator) ?? []
        for _ in 0..<Int.random(in: 1...4, using: &generator) {
            let at = bytes.isEmpty ? 0 : Int.random(in: 0...bytes.count, using: &generator)
            switch Int.random(in: 0..<5, using: &generator) {
            case 0 where !bytes.isEmpty:
                bytes[min(at, bytes.count - 1)] ^= UInt8.random(in: 1...255, using: &generator)
            case 1:
                bytes.insert(contentsOf: tokens.randomElement(using: &generator)!, at: at)
            case 2 where !bytes.isEmpty:
                let end = min(bytes.count, at + Int.random(in: 1...80, using: &generator))
                bytes.removeSubrange(min(at, end)..<end)
            case 3:
                let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
                if let line = lines.randomElement(using: &generator) { bytes += [0x0A] + line + [0x0A] }
            default:
                let other = corpus.randomElement(using: &generator) ?? []
                bytes.insert(contentsOf: other.prefix(Int.random(in: 0...other.count, using: &generator)), at: at)
            }
        }
        return bytes
    }
}

@Suite struct ManifestFuzzTests {
    @Test(.timeLimit(.minutes(2)))
    func parserTakesMutatedManifestsWithoutCrashOrHang() throws {
        #expect(ManifestFuzz.corpus.count >= 10)
        var generator = SplitMix64(state: 0xFA16E4)
        var accepted = 0
        for round in 0..<ManifestFuzz.count(4000) {
            let input = ManifestFuzz.input(&generator)
            do {
                let manifest = try Manifest(contents: input, file: "m")
                accepted += 1
                for path in Array(manifest.entries.keys) + Array(manifest.directories.keys) {
                    #expect(RelativePath.problem(path) == nil, "round \(round): accepted \(path.debugDescription)")
                    #expect(!path.hasPrefix(".git") && !path.hasPrefix(".faigen"), "round \(round): accepted \(path.debugDescription)")
                }
                // What it parsed, it writes back and reads the same.
                #expect(try Manifest(contents: manifest.contents, file: "m") == manifest, "round \(round)")
            } catch {
                #expect("\(error)".hasPrefix("m"), "round \(round): \(error)")
                #expect(!"\(error)".contains("\n"), "round \(round): \(error)")
            }
        }
        #expect(accepted > 100, "the mutations never kept a manifest valid: the fuzzer tests nothing but errors")
    }

    /// A render over a mutated manifest (or pending record) removes and writes only inside OUTDIR.
    @Test(.timeLimit(.minutes(2)))
    func renderOverMutatedManifestsStaysInsideOutdir() throws {
        let root = try scratchDirectory()
        let outside = root.appendingPathComponent("outside")
        // Files a manifest line could name from inside OUTDIR with their real hash and mode.
        for name in ["victim", "dir/sub/keep", "n"] { try makeFile(outside, name, "x") }
        try makeFile(root, "victim", "x")
        let out = root.appendingPathComponent("outside/out")
        let generated = [GeneratedFile(path: "class/x", contents: Array("x".utf8)),
                         GeneratedFile(path: "files/etc/x.conf/WEB", contents: Array("x".utf8), mode: 0o640)]
        try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: generated, force: false)
        let before = snapshot(root.path, excluding: ["outside"]).merging(
            snapshot(outside.path, excluding: ["out"]).map { ("outside/" + $0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        var generator = SplitMix64(state: 0x0D1F)
        for round in 0..<ManifestFuzz.count(150) {
            let record = Bool.random(using: &generator) ? Manifest.path : Manifest.pendingPath
            try makeFile(out, record, bytes: ManifestFuzz.input(&generator))
            do {
                try RenderWriter.apply(outputDirectory: out.path, base: nil, generated: Bool.random(using: &generator) ? generated : [],
                                       force: Bool.random(using: &generator))
            } catch {
                #expect(!"\(error)".contains("\n"), "round \(round): \(error)")
            }
            let after = snapshot(root.path, excluding: ["outside"]).merging(
                snapshot(outside.path, excluding: ["out"]).map { ("outside/" + $0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            #expect(differences(before, after) == [], "round \(round)")
            try? FileManager.default.removeItem(at: out.appendingPathComponent(Manifest.pendingPath))
        }
    }
}
