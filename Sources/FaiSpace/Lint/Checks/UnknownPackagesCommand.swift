// UnknownPackagesCommand: a PACKAGES line whose command install_packages does not know.

/// Reports `PACKAGES word` where word is not in install_packages' command table.
public struct UnknownPackagesCommand: LintCheck {
    public init() {}
    public let id = "unknown-packages-command"
    public let severity = Severity.error
    public let summary = "a PACKAGES command install_packages does not know"
    public let rationale = """
        install_packages only warns "Unknown action" and then installs nothing from the \
        section, so a typo like `PACKAGES instal` silently drops every package below it. The \
        known commands are the ones `install_packages -H` lists.
        """

    public var triggeringExamples: [LintExample] {
        [
            LintExample(["package_config/DEBIAN": .text("# base\nPACKAGES install\nvim\n\nPACKAGES instal\nmc\n")],
                        expect: [ExpectedFinding("package_config/DEBIAN", line: 5)]),
            LintExample(["files/etc/fai/NFSROOT/DEFAULT": .text("PACKAGES apt-get\npcre2-utils\n")],
                        expect: [ExpectedFinding("files/etc/fai/NFSROOT/DEFAULT")]),
        ]
    }

    public var nonTriggeringExamples: [LintExample] {
        [
            LintExample(["package_config/DEBIAN": .text("PACKAGES install-norec\nvim\nPACKAGES taskinst\ngnome-desktop\nPACKAGES dnfi\nNetworkManager\n")]),
        ]
    }

    public func findings(in subject: LintSubject) -> [Finding] {
        let known = knownPackageCommands.sorted().joined(separator: " ")
        return subject.space.allPackageLists.flatMap { list in
            list.sections.compactMap { section -> Finding? in
                guard let command = section.command, !command.isKnown else { return nil }
                return finding(list.path, line: section.header.number,
                               "unknown PACKAGES command '\(command.command)': install_packages warns \"Unknown action\" and installs nothing from this section (known: \(known))")
            }
        }
    }
}

extension ConfigSpace {
    /// The package lists of the config space and of the nfsroot: both are read by install_packages.
    var allPackageLists: [PackageList] { packageLists + nfsrootPackageLists }
}
