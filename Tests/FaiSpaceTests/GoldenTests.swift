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
        try expectGolden(try spec.generatedFiles(), name: golden.name)
    }

    /// What one boot target writes for golden/boot-TARGET.yaml is golden/boot-TARGET/ (the
    /// other targets' files are BootTests' business); `make golden` rewrites it too.
    @Test(arguments: ["ganeti"])
    func bootTargetFilesMatchGolden(_ target: String) throws {
        let name = "boot-\(target)"
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("golden/\(name).yaml"), encoding: .utf8)
        let spec = try SiteSpec(yaml: text, file: "\(name).yaml")
        let site = try BootSite(spec: spec, serverDirectory: spec.boot?.serverDirectory ?? "/srv/fai/boot")
        let make = try #require(BootTarget.all.first { $0.name == target }, "no boot target \(target)").make
        try expectGolden(make(site).sorted { $0.path < $1.path }, name: name)
    }

    /// `files` are golden/NAME/ byte for byte and golden/NAME.modes mode for mode, or become
    /// them with FAIGEN_UPDATE_GOLDEN=1.
    func expectGolden(_ files: [GeneratedFile], name: String) throws {
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
