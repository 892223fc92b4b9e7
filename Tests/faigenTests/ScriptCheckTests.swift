// ScriptCheckTests: every script faigen renders passes shellcheck (warnings and above) and sh -n.
import FaiSpace
import Foundation
import Testing

/// The shell files of a rendered tree: files starting with `#!`, hooks, and sourced `.var` files.
func renderedShellFiles(in root: URL) throws -> [URL] {
    var found: [URL] = []
    guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
    for case let url as URL in walker where url.pathComponents.contains(".faigen") == false {
        guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
        let head = try FileHandle(forReadingFrom: url).read(upToCount: 2) ?? Data()
        if head == Data("#!".utf8) || url.pathExtension == "var" || url.path.contains("/hooks/") {
            found.append(url)
        }
    }
    return found.sorted { $0.path < $1.path }
}

/// Runs shellcheck at severity warning and `sh -n` on each file; returns the complaints.
func checkShellFiles(_ files: [URL]) throws -> [String] {
    let shellcheck = try requireTool("/usr/bin/shellcheck", package: "shellcheck")
    var complaints: [String] = []
    for file in files {
        // A .var file only assigns variables that FAI uses elsewhere.
        let extra = file.pathExtension == "var" ? ["--shell=sh", "--exclude=SC2034"] : []
        let check = try run(shellcheck, ["--severity=warning"] + extra + [file.path])
        if check.status != 0 { complaints.append("shellcheck \(file.path):\n\(check.stdout)\(check.stderr)") }
        let syntax = try run("/bin/sh", ["-n", file.path])
        if syntax.status != 0 { complaints.append("sh -n \(file.path): \(syntax.stderr)") }
    }
    return complaints
}

@Suite struct RenderedScriptsPassShellcheck {
    @Test func generatorScriptsPass() throws {
        let space = try RenderedSpace()
        let generators = Generators(specName: "tests")
        let files = try generators.classFiles(ClassSpec(
            name: "WEB", variables: [ClassVariable(name: "TIMEZONE", value: "Europe/Berlin'; rm -rf /"),
                                     ClassVariable(name: "MOTD", value: "line one\nline $(two)")],
            files: [FileSpec(path: "/etc/motd", content: "hello\n", postinst: "#!/bin/sh\nchmod 0644 \"$2\"\n")]))
            + generators.fileHelpers([ClassSpec(name: "WEB", files: [FileSpec(path: "/etc/motd", content: "x", postinst: "#!/bin/sh\nchmod 0644 \"$2\"\n")])])
        try writeGeneratedFiles(files, into: space.config)
        let scripts = try renderedShellFiles(in: space.config)
        #expect(scripts.count == 6, "\(scripts.map(\.lastPathComponent))")
        let complaints = try checkShellFiles(scripts)
        #expect(complaints.isEmpty, "\(complaints.joined(separator: "\n"))")
    }

    /// Every shell file of every golden tree: the default site and the focused specs.
    @Test(arguments: ["default", "xenserver", "ganeti"])
    func goldenTreeScriptsPass(tree: String) throws {
        let scripts = try renderedShellFiles(in: repositoryRoot.appendingPathComponent("golden/\(tree)"))
        #expect(scripts.count >= 3, "\(scripts.map(\.path))")
        let complaints = try checkShellFiles(scripts)
        #expect(complaints.isEmpty, "\(complaints.joined(separator: "\n"))")
    }

    @Test func classVariablesKeepTheirValuesWhenSourced() throws {
        let space = try RenderedSpace()
        let value = "Europe/Berlin'; touch canary; $(touch canary) `x`\nsecond line"
        let files = try Generators(specName: "tests").classFiles(ClassSpec(name: "WEB", variables: [ClassVariable(name: "TZ_NAME", value: value)]))
        try writeGeneratedFiles(files, into: space.config)
        let result = try run("/bin/sh", ["-c", ". ./class/WEB.var && printf '%s' \"$TZ_NAME\""], directory: space.config)
        #expect(result.stdout == value)
        #expect(!FileManager.default.fileExists(atPath: space.config.appendingPathComponent("canary").path))
    }
}
