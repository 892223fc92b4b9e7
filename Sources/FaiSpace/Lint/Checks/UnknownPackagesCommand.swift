// UnknownPackagesCommand: a PACKAGES line whose command install_packages does not know.

/// Reports `PACKAGES word` where word is not in install_packages' command table, and a
/// bare `PACKAGES`.
public struct UnknownPackagesCommand: LintCheck {
    public init() {}
    public let id = "unknown-packages-command"
    public let severity = Severity.error
    public let summary = "a PACKAGES line with a command install_packages does not know, or none"
    public let rationale = """
        install_packages only warns "Unknown action" and then installs nothing from the \
        section, so a typo like `PACKAGES instal` silently drops every package below it. The \
        known commands are the ones `install_packages -H` lists. A `PACKAGES` with no command \
        is read as a package named PACKAGES.
        """

    public var triggeringExamples: [LintExample] {
        [
            LintExample(["package_config/DEBIAN": .text("# base\nPACKAGES install\nvim\n\nPACKAGES instal\nmc\n")],
                        expect: [ExpectedFinding("package_config/DEBIAN", line: 5)]),
            LintExample(["files/etc/fai/NFSROOT/DEFAULT": .text("PACKAGES apt-get\npcre2-utils\n")],
                        expect: [ExpectedFinding("files/etc/fai/NFSROOT/DEFAULT")]),
            LintExample(["package_config/DEBIAN": .text("PACKAGES install\nvim\nPACKAGES   # tools\nmc\n")],
                        expect: [ExpectedFinding("package_config/DEBIAN", line: 3)]),
        ]
    }

    public var nonTriggeringExamples: [LintExample] {
        [
            LintExample(["package_config/DEBIAN": .text("PACKAGES install-norec\nvim\nPACKAGES taskinst\ngnome-desktop\nPACKAGES dnfi\nNetworkManager\n")]),
        ]
    }

    public func findings(in subject: LintSubject) -> [Finding] {
        subject.space.allPackageLists.flatMap { list in
            list.lines.compactMap { line -> Finding? in
                if line.isBarePackagesKeyword {
                    return finding(list.path, line: line.number,
                                   "PACKAGES without a command: install_packages reads 'PACKAGES' as a package name here (write e.g. 'PACKAGES install')")
                }
                guard case .packagesCommand(let command) = line.content, !command.isKnown else { return nil }
                let advice = Self.nearestKnownCommand(to: command.command).map { "did you mean '\($0)'?" }
                    ?? "install_packages -H lists the known ones"
                return finding(list.path, line: line.number,
                               "unknown PACKAGES command '\(command.command)': install_packages warns \"Unknown action\" and installs nothing from this section (\(advice))")
            }
        }
    }

    /// The known command closest to a typo, when it is at most two edits away.
    static func nearestKnownCommand(to word: String) -> String? {
        let scored = knownPackageCommands.map { (command: $0, distance: editDistance(word, $0)) }
        guard let best = scored.min(by: { ($0.distance, $0.command) < ($1.distance, $1.command) }), best.distance <= 2
        else { return nil }
        return best.command
    }

    /// Levenshtein distance: insertions, deletions and substitutions.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

extension PackageListLine {
    /// A line whose first word is `PACKAGES` with nothing after it: install_packages'
    /// `/^PACKAGES\s+(\S+)/` does not match, so it reads the keyword as a package.
    var isBarePackagesKeyword: Bool { packages.first?.word == "PACKAGES" }
}

extension ConfigSpace {
    /// The package lists of the config space and of the nfsroot: both are read by install_packages.
    var allPackageLists: [PackageList] { packageLists + nfsrootPackageLists }
}
