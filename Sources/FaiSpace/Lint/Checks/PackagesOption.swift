// PackagesOption: an option after the PACKAGES command other than release=.

/// Reports `PACKAGES command NAME=VALUE` where NAME is not `release`.
public struct PackagesOption: LintCheck {
    public init() {}
    public let id = "packages-option"
    public let severity = Severity.error
    public let summary = "an option other than release= after the PACKAGES command"
    public let rationale = """
        install_packages accepts one option after the command, `release=RELEASE` (apt's \
        `-t RELEASE`), and reports "PACKAGES option ... not allowed" for any other `NAME=VALUE`.
        """

    public var triggeringExamples: [LintExample] {
        [
            LintExample(["package_config/DEBIAN": .text("PACKAGES install\nvim\nPACKAGES install dist=bookworm-backports\nlinux-image-amd64\n")],
                        expect: [ExpectedFinding("package_config/DEBIAN", line: 3)]),
        ]
    }

    public var nonTriggeringExamples: [LintExample] {
        [
            LintExample(["package_config/DEBIAN": .text("PACKAGES install release=bookworm-backports AMD64\nlinux-image-amd64\n")]),
        ]
    }

    public func findings(in subject: LintSubject) -> [Finding] {
        subject.space.allPackageLists.flatMap { list in
            list.sections.compactMap { section -> Finding? in
                guard let option = section.command?.option, !option.hasPrefix(FAIFacts.packagesOptionPrefix) else { return nil }
                return finding(list.path, line: section.header.number,
                               "option '\(option)' is not allowed: install_packages takes only release=RELEASE after the command")
            }
        }
    }
}
