// FcopyScriptNotExecutable: an fcopy postinst or preinst without an execute bit.

/// Reports `files/PATH/postinst` and `files/PATH/preinst` that are not executable.
public struct FcopyScriptNotExecutable: LintCheck {
    public init() {}
    public let id = "fcopy-script-not-executable"
    public let severity = Severity.error
    public let summary = "an fcopy postinst or preinst that is not executable"
    public let rationale = """
        fcopy runs `postinst CLASS DESTFILE` and `preinst` only when they are executable; \
        otherwise it skips them, with a message only under `-v`, and the file is installed \
        without the step.
        """

    public var triggeringExamples: [LintExample] {
        [
            LintExample(["files/etc/motd/FAIBASE": .text("hi\n"), "files/etc/motd/postinst": .text("#!/bin/sh\nexit 0\n")],
                        expect: [ExpectedFinding("files/etc/motd/postinst")]),
            LintExample(["files/etc/motd/FAIBASE": .text("hi\n"), "files/etc/motd/preinst": .text("#!/bin/sh\nexit 0\n")],
                        expect: [ExpectedFinding("files/etc/motd/preinst")]),
        ]
    }

    public var nonTriggeringExamples: [LintExample] {
        [
            LintExample(["files/etc/motd/FAIBASE": .text("hi\n"), "files/etc/motd/postinst": .script("#!/bin/sh\nexit 0\n"),
                         "files/etc/motd/file-modes": .text("root root 0644 FAIBASE\n")]),
        ]
    }

    public func findings(in subject: LintSubject) -> [Finding] {
        subject.space.runScripts.filter { ($0.role == "postinst" || $0.role == "preinst") && !$0.file.isExecutable }.map { script in
            finding(script.file.path, "\(script.role) is not executable, so fcopy does not run it for \(script.file.path.parentPath.dropFirst("files".count)) (chmod +x \(script.file.path))")
        }
    }
}
