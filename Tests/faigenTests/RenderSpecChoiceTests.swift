// RenderSpecChoiceTests: which spec a render uses, that the starter site never lands on a real config space, and that the spec's path is not in the output.
import Foundation
import Testing

/// Every file under `root` (path, mode, bytes), for "nothing changed" and "same bytes".
private func tree(_ root: URL) throws -> [String: String] {
    var out: [String: String] = [:]
    let enumerator = FileManager.default.enumerator(atPath: root.path)
    while let path = enumerator?.nextObject() as? String {
        let url = root.appendingPathComponent(path)
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        let mode = attributes[.posixPermissions] as? Int ?? 0
        let data = attributes[.type] as? FileAttributeType == .typeRegular ? try Data(contentsOf: url) : Data()
        out[path] = String(mode, radix: 8) + " " + data.base64EncodedString()
    }
    return out
}

@Suite struct StarterSiteOnlyWhereItChangesNothing {
    /// A space as fai-mk-configspace makes it (fai-doc's example copied): no spec is an error
    /// that says how to give one, and nothing in it changes.
    @Test func noSpecOverAnExistingConfigSpaceIsAnError() throws {
        let dir = try scratchDirectory()
        let config = try faiDocCopy(in: dir)
        let before = try tree(config)
        let result = try faigen("render", config.path, directory: dir)
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("\(config.path): no site spec") && result.stderr.contains("--spec FILE")
                && result.stderr.contains("./faigen.yaml") && result.stderr.contains("--starter"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(try tree(config) == before)
        #expect(!FileManager.default.fileExists(atPath: config.appendingPathComponent("class/DEFAULT.var").path))
    }

    @Test func noSpecWithABaseIsAnError() throws {
        let dir = try scratchDirectory()
        let base = try faiDocCopy(in: dir)
        let out = dir.appendingPathComponent("out")
        let result = try faigen("render", "--base", base.path, out.path, directory: dir)
        #expect(result.status == 2 && result.stderr.contains("--starter"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    /// A render of another spec is a config space too: rendering again without the spec
    /// must not swap the site for the starter.
    @Test func noSpecOverARenderOfAnotherSpecIsAnError() throws {
        let dir = try scratchDirectory()
        let spec = dir.appendingPathComponent("site.yaml")
        try "site: lab\nversion: 1\nhosts: [{name: web01, classes: [WEB]}]\n".write(to: spec, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("config")
        #expect(try faigen("render", "--spec", spec.path, out.path, directory: dir).status == 0)
        let result = try faigen("render", out.path, directory: dir)
        #expect(result.status == 2 && result.stderr.contains("no site spec"), "\(result.stderr)")
    }

    /// The manifest is read as a render reads it: a path out of the directory is an error at
    /// its line, and nothing outside is read to decide whether the starter may go there.
    @Test func aManifestPathOutOfTheDirectoryIsAnError() throws {
        let dir = try scratchDirectory()
        let out = dir.appendingPathComponent("config")
        try FileManager.default.createDirectory(at: out.appendingPathComponent(".faigen"), withIntermediateDirectories: true)
        try "100644 \(String(repeating: "0", count: 64)) ../outside\n".write(to: out.appendingPathComponent(".faigen/manifest"), atomically: true, encoding: .utf8)
        let result = try faigen("render", out.path, directory: dir)
        #expect(result.status == 2 && result.stderr.contains(".faigen/manifest:1:"), "\(result.stderr)")
    }

    /// `make render`: into a new directory, again over its own render, and --starter anywhere.
    @Test func starterIntoANewDirectoryAndOverItself() throws {
        let dir = try scratchDirectory()
        let out = dir.appendingPathComponent("fai-config")
        let first = try faigen("render", out.path, directory: dir)
        #expect(first.status == 0, "\(first.stderr)")
        let again = try faigen("render", out.path, directory: dir)
        #expect(again.status == 0 && again.stdout.contains("0 written"), "\(again.stdout)\(again.stderr)")
        let empty = dir.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        #expect(try faigen("render", empty.path, directory: dir).status == 0)
        let config = try faiDocCopy(in: dir)
        let forced = try faigen("render", "--starter", config.path, directory: dir)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(FileManager.default.fileExists(atPath: config.appendingPathComponent("class/DEFAULT.var").path))
        let both = try faigen("render", "--starter", "--spec", "x.yaml", config.path, directory: dir)
        #expect(both.status == 2 && both.stderr.contains("--spec and --starter"), "\(both.stderr)")
    }
}

@Suite struct SameSpecSameBytes {
    /// `--spec site/faigen.yaml`, `--spec ./faigen.yaml` and the implicit ./faigen.yaml: the
    /// same text gives the same files, byte for byte, manifest included.
    @Test func howTheSpecPathIsTypedDoesNotShowInTheOutput() throws {
        let dir = try scratchDirectory()
        let site = dir.appendingPathComponent("site")
        try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("golden/xenserver.yaml"), encoding: .utf8)
        try text.write(to: site.appendingPathComponent("faigen.yaml"), atomically: true, encoding: .utf8)
        let runs: [[String]] = [["--spec", "site/faigen.yaml"], ["--spec", "./faigen.yaml"], [], ["--spec", site.appendingPathComponent("faigen.yaml").path]]
        var trees: [[String: String]] = []
        for (index, arguments) in runs.enumerated() {
            let out = dir.appendingPathComponent("out\(index)")
            let cwd = arguments.first == nil || arguments[1].hasPrefix("./") ? site : dir
            let result = try run(faigenBinary.path, ["render"] + arguments + [out.path], directory: cwd)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            trees.append(try tree(out))
        }
        #expect(trees[0].count > 3)
        for other in trees.dropFirst() { #expect(other == trees[0]) }
        let detect = try String(contentsOf: dir.appendingPathComponent("out0/class/60-detect-XenServer"), encoding: .utf8)
        #expect(detect.split(separator: "\n")[1].hasPrefix("# Generated by faigen from site "), "\(detect)")
        #expect(!detect.contains("faigen.yaml"))
    }
}
