// UpperCasePackageName: upper case in a Debian package name.

/// Reports a package name with an upper-case letter in a section whose command hands it to
/// apt, dpkg or tasksel. `${var}` parts are not judged (the variable name is not the value).
public struct UpperCasePackageName: LintCheck {
    public init() {}
    public let id = "upper-case-package-name"
    public let severity = Severity.warning
    public let summary = "upper case in a Debian package name"
    public let rationale = """
        Debian package names are lower case (Debian policy 5.6.7), so apt will not find one \
        with an upper-case letter; install_packages warns "Uppercase character found in \
        package name" too. Sections for rpm, pacman or apk (`dnfi`, `yumi`, ...) are not \
        judged: their names may be mixed case (`NetworkManager`).
        """

    public var triggeringExamples: [LintExample] {
        [
            LintExample(["package_config/DEBIAN": .text("PACKAGES install\nvim\nLibreoffice less\n")],
                        expect: [ExpectedFinding("package_config/DEBIAN", line: 3)]),
        ]
    }

    public var nonTriggeringExamples: [LintExample] {
        [
            LintExample(["package_config/ROCKY": .text("PACKAGES dnfi\nNetworkManager\n"),
                         "package_config/DEBIAN": .text("PACKAGES install\n${KERNEL_PACKAGE} vim/bookworm-backports exim4-\n")]),
        ]
    }

    public func findings(in subject: LintSubject) -> [Finding] {
        subject.space.allPackageLists.flatMap { list in
            list.sections.flatMap { section -> [Finding] in
                guard let command = section.command, FAIFacts.debianPackageCommands.contains(command.command) else { return [] }
                return section.lines.compactMap { line -> Finding? in
                    // A bare `PACKAGES` is unknown-packages-command's.
                    guard !line.isBarePackagesKeyword else { return nil }
                    let upper = line.packages.map(\.word).filter { Self.hasUpperCase(outsideVariables: $0) }
                    guard !upper.isEmpty else { return nil }
                    return finding(list.path, line: line.number,
                                   "upper case in package name \(upper.map { "'\($0)'" }.joined(separator: ", ")): Debian package names are lower case, so apt will not find it")
                }
            }
        }
    }

    /// Whether a word has an upper-case letter outside `${...}` and `$NAME`.
    static func hasUpperCase(outsideVariables word: String) -> Bool {
        DefinableClasses.literalPieces(Substring(word)).contains { $0.contains(where: \.isUppercase) }
    }
}
