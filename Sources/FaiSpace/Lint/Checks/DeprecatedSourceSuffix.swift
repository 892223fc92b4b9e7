// DeprecatedSourceSuffix: a class script or hook with the old .source suffix.

/// Reports `class/NN*.source` and `hooks/*.source`.
public struct DeprecatedSourceSuffix: LintCheck {
    public init() {}
    public let id = "deprecated-source-suffix"
    public let severity = Severity.error
    public let summary = "a class script or hook with the .source suffix"
    public let rationale = """
        FAI dropped `.source` for sourced files: fai-class and call_hook print "ERROR: The \
        .source suffix is deprecated. Use .sh instead." and do not source the file.
        """

    public var triggeringExamples: [LintExample] {
        [
            LintExample(["class/30-menu.source": .script("newclasses=A\n")], expect: [ExpectedFinding("class/30-menu.source")]),
            LintExample(["hooks/setup.DEFAULT.source": .script("X=1\n")], expect: [ExpectedFinding("hooks/setup.DEFAULT.source")]),
        ]
    }

    public var nonTriggeringExamples: [LintExample] {
        [LintExample(["class/30-menu.sh": .script("newclasses=A\n"), "hooks/setup.DEFAULT.sh": .script("X=1\n")])]
    }

    public func findings(in subject: LintSubject) -> [Finding] {
        let space = subject.space
        let files = space.classScripts.filter { $0.kind == .deprecatedSource }.map(\.file)
            + space.hooks.filter { $0.file.name.hasSuffix(".source") }.map(\.file)
        return files.map { file in
            finding(file.path, "the .source suffix is deprecated: FAI prints an ERROR and does not source it (rename it to \(file.name.dropLast(".source".count)).sh)")
        }
    }
}
