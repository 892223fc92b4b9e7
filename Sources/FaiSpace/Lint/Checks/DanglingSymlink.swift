// DanglingSymlink: a symlink in the config space that points nowhere.

/// Reports a symlink whose target does not exist. One at a package list's place is
/// `unreadable-entry`'s, which says what must stand there.
public struct DanglingSymlink: LintCheck {
    public init() {}
    public let id = "dangling-symlink"
    public let severity = Severity.error
    public let summary = "a symlink whose target does not exist"
    public let rationale = """
        fcopy, fai-class and install_packages follow symlinks; one that points nowhere makes \
        the file it stands for silently missing on the client, and tar-based config spaces \
        (`ftar`, `FAI_CONFIG_SRC=http...tar.gz`) carry the broken link along.
        """

    public var triggeringExamples: [LintExample] {
        [
            LintExample(["files/etc/motd/FAIBASE": .symlink(target: "../issue/FAIBASE")], expect: [ExpectedFinding("files/etc/motd/FAIBASE")]),
            LintExample(["class/DEBIAN.var": .symlink(target: "/nonexistent/DEBIAN.var")], expect: [ExpectedFinding("class/DEBIAN.var")]),
        ]
    }

    public var nonTriggeringExamples: [LintExample] {
        [
            LintExample(["files/etc/motd/FAIBASE": .symlink(target: "DEBIAN"), "files/etc/motd/DEBIAN": .text("hello\n")]),
            LintExample(["files/etc/issue/FAIBASE": .symlink(target: "/etc/hostname")]),
        ]
    }

    public func findings(in subject: LintSubject) -> [Finding] {
        let reported = Set(subject.problems.compactMap { $0.location?.file })
        return subject.links.compactMap { link in
            guard link.resolved == .dangling, !reported.contains(link.path) else { return nil }
            return finding(link.path, "dangling symlink to \(link.target): nothing exists there, so FAI finds no file at this path (fix the target or remove the link)")
        }
    }
}
