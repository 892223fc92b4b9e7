// RenderSafetyTests: rendering into an existing config space keeps hand-written files, keeps and
// reports hand edits, and a render killed at any moment leaves every file old or new, never half.
import FaiSpace
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Regular files under `root` by relative path, without faigen's own `.faigen/`.
func regularFiles(_ root: URL) throws -> [String: Data] {
    var files: [String: Data] = [:]
    let base = root.standardizedFileURL.path
    guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return files }
    for case let url as URL in walker where try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true {
        let path = String(url.standardizedFileURL.path.dropFirst(base.count + 1))
        if path.hasPrefix(".faigen/") { continue }
        files[path] = FileManager.default.contents(atPath: url.path)
    }
    return files
}

/// A temporary name the writer uses beside a file before it renames it into place.
func isWriterTemporary(_ path: String) -> Bool {
    (path as NSString).lastPathComponent.hasPrefix(".") && path.contains(".faigen-")
}

@Suite struct RenderSafety {
    @Test func defaultSiteIntoACopyOfTheFaiDocExampleKeepsEveryHandWrittenFile() throws {
        _ = try requireTool(faiDocExample + "/class/50-host-classes", package: "fai-doc")
        let dir = try scratchDirectory()
        let config = dir.appendingPathComponent("config")
        #expect(try run("/bin/cp", ["-a", faiDocExample, config.path]).status == 0)
        let before = try treeState(config)
        let result = try faigen("render", "--starter", config.path, directory: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let after = try treeState(config)
        for (path, state) in before {
            #expect(after[path] == state, "\(path) changed")
        }
        let generated = try SiteSpec(yaml: defaultSiteSpec, file: defaultSiteSpecName).generatedFiles()
        #expect(after.count > before.count)
        // The combined space has no lint error, and no finding at all about a generated file.
        let lint = try faigen("lint", config.path)
        #expect(lint.status == 0, "\(lint.stdout)")
        let generatedPaths = Set(generated.map(\.path))
        for line in lint.stdout.split(separator: "\n") {
            let path = String(line.prefix { $0 != ":" })
            #expect(!generatedPaths.contains(path), "\(line)")
        }
        for file in generated {
            #expect(FileManager.default.contents(atPath: config.appendingPathComponent(file.path).path).map { [UInt8]($0) } == file.contents)
        }
    }

    @Test func defaultSiteOverTheFaiDocExampleAsBaseCopiesItIdentical() throws {
        _ = try requireTool(faiDocExample + "/class/50-host-classes", package: "fai-doc")
        let dir = try scratchDirectory()
        let out = dir.appendingPathComponent("out")
        let result = try faigen("render", "--starter", "--base", faiDocExample, out.path, directory: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let base = try treeState(URL(fileURLWithPath: faiDocExample))
        let rendered = try treeState(out)
        for (path, state) in base {
            let relative = String(path.dropFirst(faiDocExample.count))
            #expect(rendered[out.path + relative] == state, "\(relative) differs from the base")
        }
        #expect(rendered[out.appendingPathComponent("class/60-detect-XenServer").path] != nil)
    }

    @Test func handEditSurvivesTheNextRenderAndIsReported() throws {
        let dir = try scratchDirectory()
        let config = dir.appendingPathComponent("config")
        #expect(try faigen("render", config.path, directory: dir).status == 0)
        let script = config.appendingPathComponent("class/60-detect-XenServer")
        var text = try String(contentsOf: script, encoding: .utf8)
        text += "# local tweak\n"
        try text.write(to: script, atomically: false, encoding: .utf8)
        let again = try faigen("render", config.path, directory: dir)
        #expect(again.status == 0)
        #expect(again.stderr.contains("\(config.path)/class/60-detect-XenServer: edited by hand"), "\(again.stderr)")
        #expect(try String(contentsOf: script, encoding: .utf8) == text)
        // It stays reported on every render until --force puts the generated text back.
        #expect(try faigen("render", config.path, directory: dir).stderr.contains("60-detect-XenServer: edited by hand"))
        #expect(try faigen("render", "--force", config.path, directory: dir).status == 0)
        #expect(try String(contentsOf: script, encoding: .utf8) != text)
        #expect(try faigen("render", config.path, directory: dir).stderr.isEmpty)
    }

    @Test func partsNoLongerInTheSpecAreRemoved() throws {
        let dir = try scratchDirectory()
        let config = dir.appendingPathComponent("config")
        #expect(try faigen("render", config.path, directory: dir).status == 0)
        let spec = dir.appendingPathComponent("faigen.yaml")
        try "site: small\nversion: 2\nganeti:\n  hostname_classes:\n    - {pattern: '^web', classes: [WEB]}\n".write(to: spec, atomically: true, encoding: .utf8)
        let result = try faigen("render", config.path, directory: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let left = try regularFiles(config).keys.sorted()
        #expect(left == ["class/45-ganeti-hostname", "hooks/defclass.DEFAULT.sh"], "\(left)")
    }

    /// Renders two variants of a large site over each other (with `--base`, each over its own
    /// hand-written base) and kills the render with SIGKILL at random moments: every file present
    /// is then exactly the old or the new one, and recorded as faigen's; the render after the
    /// kills leaves exactly the tree a render into an empty directory makes (no temporary, no
    /// directory at 0700, no empty directory nobody needs).
    @Test(arguments: [false, true])
    func renderKilledAtRandomMomentsNeverLeavesAHalfWrittenFile(withBase: Bool) throws {
        let dir = try scratchDirectory()
        let config = dir.appendingPathComponent("config")
        var specs: [URL] = []
        var expected: [[String: [UInt8]]] = []
        var options: [[String]] = []
        for variant in 1...2 {
            let yaml = try run("/bin/sh", [repositoryRoot.appendingPathComponent("bench/synthetic-site").path, "800", "80", "\(variant)"])
            #expect(yaml.status == 0)
            let url = dir.appendingPathComponent("site.yaml.\(variant)")
            try yaml.stdout.write(to: url, atomically: true, encoding: .utf8)
            specs.append(url)
            let files = try SiteSpec(yaml: yaml.stdout, file: url.path).generatedFiles()
            var contents = Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0.contents) })
            options.append(["--spec", url.path])
            if withBase {
                let base = dir.appendingPathComponent("base\(variant)")
                try makeBase(base, variant: variant)
                for (path, data) in try regularFiles(base) { contents[path] = [UInt8](data) }
                options[variant - 1] += ["--base", base.path]
            }
            expected.append(contents)
            let full = try run(faigenBinary.path, ["render"] + options[variant - 1] + [config.path])
            #expect(full.status == 0, "\(full.stderr)")
        }
        #expect(expected[0].count > 1000)
        // How long one render takes here, to spread the kills over its whole run.
        let start = Date()
        #expect(try run(faigenBinary.path, ["render"] + options[0] + [config.path]).status == 0)
        let duration = max(Date().timeIntervalSince(start), 0.05)

        var generator = SystemRandomNumberGenerator()
        var killedMidway = 0
        var longestDelay = duration * 1.1
        var round = 0
        // Kill at a random moment of the render; a render that finished before its kill
        // halves the window, so the kills keep landing inside renders on a busy machine too.
        while killedMidway < 8, round < 60 {
            let process = Process()
            process.executableURL = faigenBinary
            process.arguments = ["render"] + options[(round + 1) % 2] + [config.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32(Double.random(in: 0..<longestDelay, using: &generator) * 1_000_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if process.terminationReason == .uncaughtSignal { killedMidway += 1 } else { longestDelay /= 2 }
            for (path, data) in try regularFiles(config) where !isWriterTemporary(path) {
                let bytes = [UInt8](data)
                #expect(bytes == expected[0][path] || bytes == expected[1][path], "round \(round): \(path) is neither old nor new")
            }
            // Every file is recorded as faigen's, by the manifest or by the pending record of
            // the killed render, so the next render takes none of them for a hand edit.
            let records = try [Manifest.path, Manifest.pendingPath].compactMap { name -> Manifest? in
                let url = config.appendingPathComponent(name)
                guard let bytes = FileManager.default.contents(atPath: url.path) else { return nil }
                return try Manifest(contents: [UInt8](bytes), file: url.path)
            }
            #expect(!records.isEmpty, "round \(round): no manifest")
            for (path, data) in try regularFiles(config) where !isWriterTemporary(path) {
                let sha = sha256Hex([UInt8](data))
                #expect(records.contains { $0.entries[path]?.sha256 == sha }, "round \(round): \(path) is in no faigen record")
            }
            round += 1
        }
        #expect(killedMidway == 8, "only \(killedMidway) renders were killed before they finished")
        // A render after the crashes finishes the job: the tree is exactly the new one.
        let final = try run(faigenBinary.path, ["render"] + options[1] + [config.path])
        #expect(final.status == 0 && final.stderr.isEmpty, "\(final.stderr)")
        let files = try regularFiles(config)
        #expect(!files.keys.contains(where: isWriterTemporary), "temporaries left: \(files.keys.filter(isWriterTemporary))")
        #expect(files.count == expected[1].count)
        for (path, data) in files { #expect([UInt8](data) == expected[1][path], "\(path)") }
        let reference = dir.appendingPathComponent("reference")
        #expect(try run(faigenBinary.path, ["render"] + options[1] + [reference.path]).status == 0)
        let want = try outputTree(reference), got = try outputTree(config)
        #expect(differences(want, got).isEmpty, "\(differences(want, got).prefix(10))")
    }
}
