// ConfdirHook: a confdir hook inside the config space, where FAI never looks for it.

/// Reports `hooks/confdir.*` in the config space.
public struct ConfdirHook: LintCheck {
    public init() {}
    public let id = "confdir-hook"
    public let severity = Severity.warning
    public let summary = "a confdir hook in the config space"
    public let rationale = """
        The confdir task fetches the config space, so its hooks run before the config space \
        exists on the client: FAI looks for them only in the nfsroot (`$NFSROOT/$FAI/hooks`, \
        fai-guide "Hooks"). A confdir hook in the config space runs only when the config space \
        happens to sit at `$FAI` already.
        """

    public var triggeringExamples: [LintExample] {
        [LintExample(["hooks/confdir.DEFAULT": .script("#!/bin/sh\ntrue\n")], expect: [ExpectedFinding("hooks/confdir.DEFAULT")])]
    }

    public var nonTriggeringExamples: [LintExample] {
        [LintExample(["hooks/setup.DEFAULT.sh": .script("#!/bin/bash\ntrue\n")])]
    }

    public func findings(in subject: LintSubject) -> [Finding] {
        subject.space.hooks.filter { FAIFacts.hookTasksOutsideConfigSpace.contains($0.task) }.map { hook in
            finding(hook.file.path, "\(hook.task) hooks run before the config space is fetched: FAI looks for them in the nfsroot ($NFSROOT/$FAI/hooks), not here")
        }
    }
}
