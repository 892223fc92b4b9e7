// PackagesBeforeCommand: package names before the first PACKAGES line of a package list.

/// Reports every line with packages before a list's first `PACKAGES` line.
public struct PackagesBeforeCommand: LintCheck {
    public init() {}
    public let id = "packages-before-command"
    public let severity = Severity.error
    public let summary = "packages before the first PACKAGES line"
    public let rationale = """
        install_packages needs a `PACKAGES command` before any package: it reports \
        "PACKAGES .. line missing" and skips every package above the first one.
        """

    public var triggeringExamples: [LintExample] {
        [
            LintExample(["package_config/FAIBASE": .text("# tools\nvim mc\nPACKAGES install\nless\n")],
                        expect: [ExpectedFinding("package_config/FAIBASE", line: 2)]),
            LintExample(["package_config/FAIBASE": .text("vim\n")], expect: [ExpectedFinding("package_config/FAIBASE")]),
        ]
    }

    public var nonTriggeringExamples: [LintExample] {
        [
            LintExample(["package_config/FAIBASE": .text("# tools\n\n# more\nPACKAGES install\nvim\n")]),
            LintExample(["package_config/FAIBASE": .text("")]),
            LintExample(["package_config/FAIBASE": .text("PACKAGES\nPACKAGES install\nvim\n")]),
            LintExample(["package_config/FAIBASE": .text("PRELOAD http://example.org/x.deb /var/cache\nPACKAGES install\nvim\n")]),
        ]
    }

    public func findings(in subject: LintSubject) -> [Finding] {
        subject.space.allPackageLists.flatMap { list in
            list.preamble.compactMap { line -> Finding? in
                switch line.content {
                case .packages(let packages) where !line.isBarePackagesKeyword:
                    let names = packages.map(\.word).joined(separator: " ")
                    return finding(list.path, line: line.number,
                                   "'\(names)' before any PACKAGES line: install_packages reports \"PACKAGES .. line missing\" and skips it (put a line like 'PACKAGES install' above)")
                case .blank, .comment, .packagesCommand, .preload, .preloadRemove, .packages:
                    // install_packages reads PRELOAD lines wherever they stand.
                    return nil
                }
            }
        }
    }
}
