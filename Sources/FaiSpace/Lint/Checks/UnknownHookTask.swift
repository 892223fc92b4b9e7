// UnknownHookTask: a hook named after a task FAI does not have.

/// Reports `hooks/TASK.CLASS[.sh]` whose TASK is not one of FAI's tasks.
public struct UnknownHookTask: LintCheck {
    public init() {}
    public let id = "unknown-hook-task"
    public let severity = Severity.error
    public let summary = "a hook for a task FAI does not have"
    public let rationale = """
        FAI calls `hooks/TASK.CLASS` only from `task TASK`, for its own tasks (confdir, setup, \
        defclass, defvar, action, install, partition, mountdisks, extrbase, debconf, repository, \
        updatebase, instsoft, configure, tests, finish, chboot, savelog, faiend, softupdate, \
        dirinstall, sysinfo, inventory); a hook named after anything else (`instsof.DEBIAN`) \
        never runs. A user-defined action is `hooks/ACTION` without a dot.
        """

    public var triggeringExamples: [LintExample] {
        [
            LintExample(["hooks/instsof.DEBIAN": .script("#!/bin/sh\ntrue\n")], expect: [ExpectedFinding("hooks/instsof.DEBIAN")]),
            LintExample(["hooks/Partition.DEFAULT.sh": .script("#!/bin/bash\ntrue\n")], expect: [ExpectedFinding("hooks/Partition.DEFAULT.sh")]),
        ]
    }

    public var nonTriggeringExamples: [LintExample] {
        [
            LintExample(["hooks/instsoft.DEBIAN": .script("#!/bin/sh\ntrue\n"),
                         "hooks/savelog.LAST.sh": .script("#!/bin/bash\ntrue\n"),
                         "hooks/myaction": .script("#!/bin/sh\ntrue\n")]),
        ]
    }

    public func findings(in subject: LintSubject) -> [Finding] {
        subject.space.hooks.filter { !$0.hasKnownTask }.map { hook in
            finding(hook.file.path, "hook for unknown task '\(hook.task)': FAI runs hooks only before its own tasks (\(FAIFacts.hookTasks.sorted().joined(separator: " "))), so this one never runs")
        }
    }
}
