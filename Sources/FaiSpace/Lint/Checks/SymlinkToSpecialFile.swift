// SymlinkToSpecialFile: a symlink to a FIFO, socket or device, which FAI's tools do not follow.

/// Reports a symlink whose target is a FIFO, socket or device, in or out of the config
/// space. Lint examines such a target with `stat` only and never opens it.
public struct SymlinkToSpecialFile: LintCheck {
    public init() {}
    public let id = "symlink-to-special-file"
    public let severity = Severity.error
    public let summary = "a symlink to a FIFO, socket or device, which FAI skips"
    public let rationale = """
        fai-class runs a class script only if `[ -f ]` holds, install_packages reads \
        `package_config/CLASS` only if `-f`, fcopy takes a variant only if `-f`: a link to \
        `/dev/zero`, a FIFO or a socket fails the test and FAI passes over it without a word, \
        so the classes, packages or file it stood for silently go missing. (A reader that did \
        open it would block on the FIFO or read `/dev/zero` forever.)
        """

    public var triggeringExamples: [LintExample] {
        [
            LintExample(["package_config/DEBIAN": .symlink(target: "/dev/zero")], expect: [ExpectedFinding("package_config/DEBIAN")]),
            LintExample(["class/10-pipe": .symlink(target: "../pipe"), "pipe": .fifo], expect: [ExpectedFinding("class/10-pipe")]),
        ]
    }

    public var nonTriggeringExamples: [LintExample] {
        [
            LintExample(["package_config/DEBIAN": .symlink(target: "FAIBASE"), "package_config/FAIBASE": .text("PACKAGES install\nvim\n"),
                         "files/etc/issue/FAIBASE": .symlink(target: "/etc/hostname")]),
        ]
    }

    public func findings(in subject: LintSubject) -> [Finding] {
        subject.links.compactMap { link in
            guard case .special(let what) = link.resolved else { return nil }
            return finding(link.path, "symlink to \(what) (\(link.target)): FAI's -f test fails on it, so fai-class, fcopy and install_packages skip this path without a word (link to a regular file, or remove it)")
        }
    }
}
