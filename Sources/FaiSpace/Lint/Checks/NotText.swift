// NotText: a binary file where FAI reads text (package lists, disk_config, debconf, *.var, sourced scripts).

/// Reports a file with NUL or control bytes where FAI reads text: package lists (also not
/// UTF-8, as the model reads them), `disk_config/CLASS`, `debconf/CLASS`, `class/CLASS.var`,
/// `class/HOSTNAME`, sourced `*.sh` class scripts and hooks, and fcopy's `file-modes`.
/// Executed scripts may be binaries and are not judged.
public struct NotText: LintCheck {
    public init() {}
    public let id = "not-text"
    public let severity = Severity.error
    public let summary = "a file that is not text where FAI reads text"
    public let rationale = """
        install_packages, setup-storage, debconf-set-selections, fai-class and bash read these \
        files line by line: binary content turns into bogus package names, partitions, answers \
        or shell commands, usually a binary file dropped in the wrong directory.
        """

    public var triggeringExamples: [LintExample] {
        [
            LintExample(["package_config/DEBIAN": .file(Array("PACKAGES install\nvim\n".utf8) + [0, 1, 2], mode: 0o644)],
                        expect: [ExpectedFinding("package_config/DEBIAN", line: 3)]),
            LintExample(["disk_config/FAIBASE": .file([0x1F, 0x8B, 0x08, 0x00, 0x00], mode: 0o644)],
                        expect: [ExpectedFinding("disk_config/FAIBASE")]),
            LintExample(["class/50-host.sh": .file(Array("#!/bin/bash\nnewclasses=A\n".utf8) + [0x00], mode: 0o755)],
                        expect: [ExpectedFinding("class/50-host.sh", line: 3)]),
        ]
    }

    public var nonTriggeringExamples: [LintExample] {
        [
            LintExample(["package_config/DEBIAN": .text("PACKAGES install\nvim\n"),
                         "debconf/GERMAN": .file(Array("locales locales/default_environment_locale select de_DE.UTF-8 # M".utf8) + [0xFC, 0x0A], mode: 0o644)]),
            LintExample(["scripts/FAIBASE/10-tool": .file([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00], mode: 0o755),
                         "package_config/DEBIAN.gpg": .file([0x99, 0x02, 0x0D, 0x04, 0x00], mode: 0o644)]),
        ]
    }

    public func findings(in subject: LintSubject) -> [Finding] {
        let space = subject.space
        let files = subject.filePaths
        // Package lists the model could not decode stay files, with the problem saying where.
        var found = subject.problems.compactMap { problem -> Finding? in
            guard let location = problem.location, files.contains(location.file) else { return nil }
            return finding(location.file, line: location.line ?? 1, problem.message)
        }
        var textFiles: [(ConfigFile, String)] = []
        textFiles += space.classVariables.map { ($0.file, "bash sources it") }
        textFiles += space.hostClassFiles.map { ($0.file, "fai-class reads its words as classes") }
        textFiles += space.diskConfigs.map { ($0.file, "setup-storage reads it") }
        textFiles += space.debconfs.map { ($0.file, "debconf-set-selections reads it") }
        textFiles += space.fcopyEntries.compactMap(\.fileModes).map { ($0, "fcopy reads owner, group and mode from it") }
        textFiles += space.runScripts.filter { !$0.isExecuted }.map { ($0.file, "\($0.runner) sources it with bash") }
        for (file, reader) in textFiles where !TextContent.isText(file.contents) {
            found.append(finding(file.path, line: TextContent.lineOfFirstNonText(file.contents),
                                 "binary content (NUL or control bytes) in a file that must be text: \(reader)"))
        }
        return found
    }
}
