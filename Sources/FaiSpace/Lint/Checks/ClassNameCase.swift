// ClassNameCase: a class name that is neither upper case (a class) nor lower case (a hostname).

/// Reports class names that mix upper and lower case, or have characters other than
/// letters, digits and `_` (besides the forbidden ones, which are `class-name-characters`).
public struct ClassNameCase: LintCheck {
    public init() {}
    public let id = "class-name-case"
    public let severity = Severity.warning
    public let summary = "a class name that mixes upper and lower case or has unusual characters"
    public let rationale = """
        fai-class: "the hostname (the only class in lowercase)"; every other class is upper \
        case by convention (fai-guide). A mixed-case name like `Webserver` is neither, and is \
        almost always a typo for `WEBSERVER`: class names are compared exactly.
        """

    public var triggeringExamples: [LintExample] {
        [
            LintExample(["disk_config/Webserver": .text("disk_config disk1\n")], expect: [ExpectedFinding("disk_config/Webserver")]),
            LintExample(["files/etc/motd/FAIBASE~": .text("old\n")], expect: [ExpectedFinding("files/etc/motd/FAIBASE~")]),
        ]
    }

    public var nonTriggeringExamples: [LintExample] {
        [
            LintExample(["disk_config/WEBSERVER": .text("disk_config disk1\n"),
                         "disk_config/webserver": .text("disk_config disk1\n"),
                         "disk_config/WEB-SERVER": .text("disk_config disk1\n")]),
        ]
    }

    public func findings(in subject: LintSubject) -> [Finding] {
        subject.space.classUses.compactMap { use in
            switch FAIFacts.classNameProblem(use.name) {
            case .mixedCase:
                return finding(use.path, line: use.line, "class name '\(use.name)' mixes upper and lower case: classes are upper case and only the hostname is lower case, so this \(use.what) matches neither '\(use.name.uppercased())' nor a host")
            case .unusualCharacter(let character):
                return finding(use.path, line: use.line, "class name '\(use.name)' contains '\(character)': FAI class names are upper case letters, digits and '_'")
            case .forbiddenCharacter, nil:
                return nil
            }
        }
    }
}
