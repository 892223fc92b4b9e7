// ScriptNotExecutable: a class script, hook or scripts/ script without an execute bit.

/// Reports class scripts (`class/NN*`), hooks and `scripts/CLASS/NN*` that are not executable.
public struct ScriptNotExecutable: LintCheck {
    public init() {}
    public let id = "script-not-executable"
    public let severity = Severity.error
    public let summary = "a class script, hook or scripts/ script that is not executable"
    public let rationale = """
        FAI runs only executable files: fai-class warns "is not executable, so it's not used \
        for defining classes", call_hook prints "Skipping ... because it's not executable", \
        and fai-do-scripts passes over it without a word. Sourced `*.sh` files need the bit too.
        """

    public var triggeringExamples: [LintExample] {
        [
            LintExample(["class/50-host-classes": .text("#!/bin/sh\necho FAIBASE\n")], expect: [ExpectedFinding("class/50-host-classes")]),
            LintExample(["hooks/instsoft.DEBIAN.sh": .text("#!/bin/bash\nexport X=1\n")], expect: [ExpectedFinding("hooks/instsoft.DEBIAN.sh")]),
            LintExample(["scripts/FAIBASE/10-misc": .text("#!/bin/sh\ntrue\n", mode: 0o640)], expect: [ExpectedFinding("scripts/FAIBASE/10-misc")]),
        ]
    }

    public var nonTriggeringExamples: [LintExample] {
        [
            LintExample(["class/50-host-classes": .script("#!/bin/sh\necho FAIBASE\n"),
                         "class/50-host-classes~": .text("#!/bin/sh\necho OLD\n"),
                         "class/FAIBASE.var": .text("X=1\n"),
                         "scripts/FAIBASE/10-misc": .text("#!/bin/sh\ntrue\n", mode: 0o744),
                         "scripts/FAIBASE/README": .text("notes\n")]),
        ]
    }

    public func findings(in subject: LintSubject) -> [Finding] {
        subject.space.runScripts.filter { $0.role != "postinst" && $0.role != "preinst" && !$0.file.isExecutable }.map { script in
            finding(script.file.path, "\(script.role) is not executable, so \(script.runner) skips it (chmod +x \(script.file.path))")
        }
    }
}
