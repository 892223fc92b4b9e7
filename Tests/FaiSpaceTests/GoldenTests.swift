// GoldenTests: the trees rendered from the default site and the specs in golden/ match golden/ byte for byte and mode for mode.
@testable import FaiSpace
import Foundation
import Testing

/// A golden case: a spec and the tree it renders. `make golden` (FAIGEN_UPDATE_GOLDEN=1)
/// rewrites the tree and its mode list instead of comparing; review `git diff golden/`.
/// Modes live in golden/NAME.modes because git keeps only the executable bit.
struct GoldenCase: CustomTestStringConvertible, Sendable {
    var name: String
    var specText: String
    var specName: String

    var testDescription: String { name }

    static var all: [GoldenCase] {
        var cases = [GoldenCase(name: "default", specText: defaultSiteSpec, specName: defaultSiteSpecName)]
        for name in ["xenserver", "ganeti"] {
            let url = repositoryRoot.appendingPathComponent("golden/\(name).yaml")
            cases.append(GoldenCase(name: name, specText: (try? String(contentsOf: url, encoding: .utf8)) ?? "",
                                    specName: "\(name).yaml"))
        }
        return cases
    }
}

@Suite struct GoldenTrees {
    @Test(arguments: GoldenCase.all)
    func renderedTreeMatchesGolden(_ golden: GoldenCase) throws {
        let spec = try SiteSpec(yaml: golden.specText, file: golden.specName)
        try Self.check(try spec.generatedFiles(), golden: golden.name)
    }

    /// golden/boot-NAME holds what `faigen boot` writes for golden/boot-NAME.yaml (a server
    /// directory in the spec, so the files do not depend on where the test runs).
    @Test(arguments: ["boot-ganeti", "boot-hypervisors"])
    func bootTreeMatchesGolden(_ name: String) throws {
        let url = repositoryRoot.appendingPathComponent("golden/\(name).yaml")
        let spec = try SiteSpec(yaml: try String(contentsOf: url, encoding: .utf8), file: "\(name).yaml")
        let site = try BootSite(spec: spec, serverDirectory: try #require(spec.boot?.serverDirectory))
        try Self.check(site.generatedFiles(), golden: name)
    }

    static func check(_ files: [GeneratedFile], golden name: String) throws {
        let tree = repositoryRoot.appendingPathComponent("golden/\(name)")
        let modesFile = repositoryRoot.appendingPathComponent("golden/\(name).modes")
        let modes = files.map { String($0.mode, radix: 8).leftPadded(to: 4) + " " + $0.path }.joined(separator: "\n") + "\n"
        let fm = FileManager.default
        if ProcessInfo.processInfo.environment["FAIGEN_UPDATE_GOLDEN"] == "1" {
            try? fm.removeItem(at: tree)
            for file in files {
                let url = tree.appendingPathComponent(file.path)
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.contents).write(to: url)
                try fm.setAttributes([.posixPermissions: Int(file.mode)], ofItemAtPath: url.path)
            }
            try Data(modes.utf8).write(to: modesFile)
            return
        }
        #expect(try String(contentsOf: modesFile, encoding: .utf8) == modes, "modes differ from golden/\(name).modes; run make golden")
        var onDisk: Set<String> = []
        let walker = try #require(fm.enumerator(at: tree, includingPropertiesForKeys: [.isRegularFileKey]))
        for case let url as URL in walker where try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true {
            onDisk.insert(String(url.standardizedFileURL.path.dropFirst(tree.standardizedFileURL.path.count + 1)))
        }
        #expect(onDisk == Set(files.map(\.path)), "files differ from golden/\(name); run make golden")
        for file in files {
            let url = tree.appendingPathComponent(file.path)
            #expect(fm.contents(atPath: url.path).map { [UInt8]($0) } == file.contents, "\(file.path) differs from golden; run make golden")
            // git keeps the executable bit: check that much on the checked-out tree too.
            let mode = (try fm.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int) ?? 0
            #expect((mode & 0o100 != 0) == (file.mode & 0o100 != 0), "\(file.path) executable bit")
        }
    }
}
