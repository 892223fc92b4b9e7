// ScriptWithoutShebang: an executed script with no #! line.

/// Reports executed class scripts, hooks, `scripts/` scripts, postinst and preinst whose
/// text does not start with `#!`. Sourced `*.sh` files and binaries are not judged.
public struct ScriptWithoutShebang: LintCheck {
    public init() {}
    public let id = "script-without-shebang"
    public let severity = Severity.warning
    public let summary = "an executed script without a #! line"
    public let rationale = """
        The kernel cannot execute a text file without `#!`. It still runs because FAI starts \
        it from a shell that then reads it itself: bash for class scripts, hooks and \
        `scripts/`, but `/bin/sh` (dash) for fcopy's postinst and preinst, so the same text \
        runs under different shells, and breaks when started any other way.
        """

    public var triggeringExamples: [LintExample] {
        [
            LintExample(["class/60-misc": .script("echo GRUB_PC\n")], expect: [ExpectedFinding("class/60-misc")]),
            LintExample(["files/etc/motd/FAIBASE": .text("hi\n"), "files/etc/motd/postinst": .script("# fix motd\nexit 0\n")],
                        expect: [ExpectedFinding("files/etc/motd/postinst")]),
        ]
    }

    public var nonTriggeringExamples: [LintExample] {
        [
            LintExample(["class/20-hwdetect.sh": .script("newclasses=X\n"),
                         "class/60-misc": .script("#! /bin/bash\necho GRUB_PC\n"),
                         "scripts/FAIBASE/10-tool": .file([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00], mode: 0o755)]),
        ]
    }

    public func findings(in subject: LintSubject) -> [Finding] {
        subject.space.runScripts.compactMap { script in
            guard script.isExecuted, Shebang(script.file.contents) == nil, TextContent.isText(script.file.contents) else { return nil }
            let shell = script.start == .executedFromSh ? "/bin/sh" : "bash"
            return finding(script.file.path, "\(script.role) has no #! line: it runs only because \(script.runner) starts it from \(shell), which then reads it as a \(shell == "bash" ? "bash" : "sh") script (start it with #!/bin/bash or #!/bin/sh)")
        }
    }
}
