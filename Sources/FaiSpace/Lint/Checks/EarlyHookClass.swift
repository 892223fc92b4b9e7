// EarlyHookClass: a setup or defclass hook for a class that does not exist yet when it would run.

/// Reports `hooks/setup.CLASS` and `hooks/defclass.CLASS` (with or without `.sh`) for a
/// CLASS other than DEFAULT, LINUX, LAST or a hostname.
public struct EarlyHookClass: LintCheck {
    public init() {}
    public let id = "early-hook-class"
    public let severity = Severity.warning
    public let summary = "a setup or defclass hook for a class that is not defined yet at that point"
    public let rationale = """
        Hooks run for the classes FAI has when their task starts. setup and defclass run \
        before fai-class, when `/usr/sbin/fai` has set only `DEFAULT $(uname -s | tr a-z A-Z) \
        $HOSTNAME LAST`; a `hooks/defclass.FAIBASE` therefore never runs, unless `fai -c` \
        gives FAIBASE. The fai-guide: hooks called before classes are defined "can only use \
        the following classes: DEFAULT $HOSTNAME LAST".
        """

    public var triggeringExamples: [LintExample] {
        [
            LintExample(["hooks/defclass.FAIBASE.sh": .script("#!/bin/bash\nADDCLASSES=X\n")],
                        expect: [ExpectedFinding("hooks/defclass.FAIBASE.sh")]),
            LintExample(["hooks/setup.WEB": .script("#!/bin/sh\ntrue\n")], expect: [ExpectedFinding("hooks/setup.WEB")]),
        ]
    }

    public var nonTriggeringExamples: [LintExample] {
        [
            LintExample(["hooks/setup.DEFAULT.sh": .script("#!/bin/bash\ntrue\n"),
                         "hooks/defclass.LINUX": .script("#!/bin/sh\ntrue\n"),
                         "hooks/setup.demohost": .script("#!/bin/sh\ntrue\n"),
                         "hooks/instsoft.FAIBASE": .script("#!/bin/sh\ntrue\n")]),
        ]
    }

    public func findings(in subject: LintSubject) -> [Finding] {
        subject.space.hooks.compactMap { hook in
            guard FAIFacts.tasksBeforeClassDefinition.contains(hook.task),
                  !FAIFacts.classesBeforeClassDefinition.contains(hook.className),
                  !FAIFacts.isHostnameLike(hook.className) else { return nil }
            return finding(hook.file.path, "\(hook.task) hooks run before fai-class defines classes, when only DEFAULT, LINUX, the hostname and LAST exist, so this hook for \(hook.className) runs only when fai -c gives \(hook.className)")
        }
    }
}
