// LintDirective: a `# faigen-lint` comment or `.faigenlint` line that silences nothing because it is wrong.

/// Reports a `# faigen-lint` comment that is not `disable=CHECK-ID[,...]`, a `.faigenlint`
/// line that is not `disable=CHECK-ID[,...] [PATTERN...]`, and a check id no check has.
public struct LintDirective: LintCheck {
    public init() {}
    public let id = "lint-directive"
    public let severity = Severity.error
    public let summary = "a faigen-lint comment or .faigenlint line that is malformed or names an unknown check"
    public let rationale = """
        A silencing rule with a typo in the check id silences nothing, and the finding it was \
        meant for comes back under a rule that looks right. Each rule names check ids as \
        `faigen lint --list-checks` prints them.
        """

    public var triggeringExamples: [LintExample] {
        [
            LintExample(["package_config/GERMAN": .text("# faigen-lint disable=undefined-clas\nPACKAGES install\nlocales\n")],
                        expect: [ExpectedFinding("package_config/GERMAN")]),
            LintExample([".faigenlint": .text("# opt-in classes\ndisable=undefined-class package_config/GERMAN\nignore=shell-syntax\n")],
                        expect: [ExpectedFinding(".faigenlint", line: 3)]),
        ]
    }

    public var nonTriggeringExamples: [LintExample] {
        [
            LintExample(["package_config/GERMAN": .text("# faigen-lint disable=undefined-class,upper-case-package-name opt-in\nPACKAGES install\nlocales\n"),
                         ".faigenlint": .text("disable=undefined-class debconf/* class/GERMAN.var  # opt-in\n\ndisable=confdir-hook\n"),
                         "class/50-host-classes": .script("#!/bin/sh\n# faigen-linter is not a directive\necho A\n")]),
        ]
    }

    public func findings(in subject: LintSubject) -> [Finding] {
        LintSettings(subject.space).malformed.map { finding($0.path, line: $0.line, $0.message) }
    }
}
