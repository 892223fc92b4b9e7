// TemplateTests: the templates built into faigen equal config-templates/, and how filling works.
@testable import FaiSpace
import Foundation
import Testing

@Suite struct EmbeddedTemplatesMatchConfigTemplates {
    /// Fails while scripts/embed-templates has not been run after a template changed.
    @Test func embeddedCopyEqualsTheFiles() throws {
        let directory = repositoryRoot.appendingPathComponent("config-templates")
        var onDisk: [String: String] = [:]
        let walker = try #require(FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]))
        for case let url as URL in walker where try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true {
            let name = String(url.standardizedFileURL.path.dropFirst(directory.standardizedFileURL.path.count + 1))
            onDisk[name] = try String(contentsOf: url, encoding: .utf8)
        }
        #expect(!onDisk.isEmpty)
        #expect(Set(onDisk.keys) == Set(EmbeddedTemplates.files.keys), "run scripts/embed-templates")
        for (name, text) in onDisk {
            #expect(EmbeddedTemplates.files[name] == text, "\(name) differs from its embedded copy: run scripts/embed-templates")
        }
    }
}

@Suite struct TemplateFilling {
    @Test func placeholdersAreReplacedAndEmptyWholeLinesDrop() throws {
        let template = Template(name: "t", text: "a @X@ b\n  @OPT@\nmail@example.com @@ end\n")
        #expect(try template.fill(["X": "1", "OPT": ""]) == "a 1 b\nmail@example.com @@ end\n")
        #expect(try template.fill(["X": "1", "OPT": "two"]) == "a 1 b\n  two\nmail@example.com @@ end\n")
        #expect(template.placeholders == ["X", "OPT"])
    }

    @Test func unknownPlaceholderNamesItsLineAndColumn() throws {
        let template = Template(name: "class/x", text: "ok\n  echo @NOPE@\n", origin: "/t/class/x")
        let error = try #require(throws: InputError.self) { try template.fill([:]) }
        #expect(error.description.hasPrefix("/t/class/x:2:8: unknown placeholder @NOPE@"))
    }

    @Test func overrideDirectoryReplacesOneTemplateAndRejectsStrangers() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tpl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("hooks"), withIntermediateDirectories: true)
        try "#!/bin/sh\n@HEADER@\n: custom\n".write(to: directory.appendingPathComponent("hooks/defclass.DEFAULT.sh"), atomically: true, encoding: .utf8)
        let set = try TemplateSet.overriding(with: directory)
        let hook = try Generators(templates: set, specName: "s").defclassHook()
        #expect(String(decoding: hook.contents, as: UTF8.self).hasSuffix(": custom\n"))
        #expect(try set.template("class/60-detect-XenServer") == TemplateSet.embedded.template("class/60-detect-XenServer"))
        try "x".write(to: directory.appendingPathComponent("hooks/typo.sh"), atomically: true, encoding: .utf8)
        #expect(throws: InputError.self) { try TemplateSet.overriding(with: directory) }
    }
}

@Suite struct ShellQuoting {
    @Test(arguments: ["plain", "it's", "$(id) `id` ${IFS} ; & | * ?", "new\nline", "'", "", "\\"])
    func quotedWordExpandsToItself(value: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "printf '%s' \(ShellWord.quoted(value))"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(String(decoding: data, as: UTF8.self) == value)
    }
}

@Suite struct GeneratorsRefuseUnsafeValues {
    let generators = Generators(specName: "tests")

    @Test func classNamesAndPatterns() {
        #expect(throws: InputError.self) { try generators.hostnameScript(rules: [HostnameClassRule(pattern: "^web", classes: ["web"])]) }
        #expect(throws: InputError.self) { try generators.hostnameScript(rules: [HostnameClassRule(pattern: "^web(", classes: ["WEB"])]) }
        #expect(throws: InputError.self) { try generators.detectScript(rules: [KernelLogRule(pattern: "a\nb", classes: ["X"])]) }
        #expect(throws: InputError.self) { try generators.detectScript(rules: [KernelLogRule(pattern: "a", classes: ["X;Y"])]) }
    }

    @Test func grubValues() {
        #expect(throws: InputError.self) { try generators.grubLegacy(GrubLegacy(rootPartition: "/dev/xvda1; reboot")) }
        #expect(throws: InputError.self) { try generators.grubLegacy(GrubLegacy(rootPartition: "/dev/../etc/passwd")) }
        #expect(throws: InputError.self) { try generators.grubLegacy(GrubLegacy(groot: "(hd0,0)$(x)")) }
        #expect(throws: InputError.self) { try generators.grubLegacy(GrubLegacy(kernelArgs: "quiet $(reboot)")) }
        #expect(throws: InputError.self) { try generators.grubLegacy(GrubLegacy(timeout: -1)) }
        #expect(throws: InputError.self) { try generators.grubLegacy(GrubLegacy(serialConsole: SerialConsole(unit: 0, speed: 1234))) }
        #expect(throws: Never.self) { try generators.grubLegacy(GrubLegacy(serialConsole: SerialConsole())) }
    }

    @Test func packagesFilesAndHosts() {
        #expect(throws: InputError.self) { try generators.nfsrootList([PackageGroup(command: "install", packages: ["vim;reboot"])]) }
        #expect(throws: InputError.self) { try generators.nfsrootList([PackageGroup(command: "instal", packages: ["vim"])]) }
        #expect(throws: InputError.self) { try generators.classFiles(ClassSpec(name: "A", files: [FileSpec(path: "/etc/../x", content: "")])) }
        #expect(throws: InputError.self) { try generators.classFiles(ClassSpec(name: "A", variables: [ClassVariable(name: "1X", value: "")])) }
        #expect(throws: InputError.self) { try generators.fileHelpers([ClassSpec(name: "A", files: [FileSpec(path: "/x", content: "", owner: "root;id")])]) }
        // A host's name is a HostName, checked when it is made: no unchecked name reaches class/.
        #expect(HostName("01web") == nil && HostName("web 1") == nil)
        #expect(throws: InputError.self) { try generators.hostClassFile(HostSpec(name: HostName("web1")!, classes: ["web;reboot"])) }
    }
}

@Suite struct NfsrootPackageList {
    @Test func gainsPcre2UtilsUnlessInstalled() throws {
        let list = try Generators(specName: "s").nfsrootList([PackageGroup(command: "install-norec", packages: ["nfs-common", "fai-nfsroot"])])
        #expect(list.path == "files/etc/fai/NFSROOT/FAISERVER")
        #expect(String(decoding: list.contents, as: UTF8.self) == """
            # Generated by faigen from s; change the spec and run faigen render instead of editing this file.

            PACKAGES install-norec
            nfs-common
            fai-nfsroot

            PACKAGES install-norec
            pcre2-utils

            """)
        let already = try Generators(specName: "s").nfsrootList([PackageGroup(command: "install", packages: ["pcre2-utils"])])
        #expect(String(decoding: already.contents, as: UTF8.self).components(separatedBy: "pcre2-utils").count == 2)
    }
}
