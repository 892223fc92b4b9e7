// UnreadableEntry: a path FAI cannot read as what it must be (permissions, FIFO, directory or dangling symlink for a package list).

/// Reports what the reader could not read: a file without read permission, a FIFO, socket
/// or device, and at a package list's place a directory or a dangling symlink. Content
/// problems of files that were read (a binary package list) are `not-text`'s. The examples
/// cannot show a permission problem (the tests run as root, who reads everything);
/// `LintTests.anUnreadableFileIsAnErrorFinding` runs faigen as nobody for that.
public struct UnreadableEntry: LintCheck {
    public init() {}
    public let id = "unreadable-entry"
    public let severity = Severity.error
    public let summary = "a file that cannot be read, a FIFO, socket or device, or a directory or dangling symlink where a package list must be"
    public let rationale = """
        FAI copies the config space to the client and reads it there: a file the server cannot \
        read breaks the copy (NFS export, `ftar`, `git`), a FIFO blocks the reader, and \
        install_packages cannot read a directory or a dangling symlink as `package_config/CLASS`.
        """

    public var triggeringExamples: [LintExample] {
        [
            LintExample(["class/10-pipe": .fifo], expect: [ExpectedFinding("class/10-pipe")]),
            LintExample(["package_config/DEBIAN/vim": .text("vim\n")], expect: [ExpectedFinding("package_config/DEBIAN")]),
            LintExample(["package_config/DEBIAN": .symlink(target: "missing")], expect: [ExpectedFinding("package_config/DEBIAN")]),
        ]
    }

    public var nonTriggeringExamples: [LintExample] {
        [
            LintExample(["package_config/DEBIAN": .text("PACKAGES install\nvim\n")]),
            LintExample(["package_config/DEBIAN": .symlink(target: "FAIBASE"), "package_config/FAIBASE": .text("PACKAGES install\nvim\n")]),
        ]
    }

    public func findings(in subject: LintSubject) -> [Finding] {
        let files = subject.filePaths
        return subject.problems.compactMap { problem in
            let path = problem.location?.file ?? "."
            guard !files.contains(path) else { return nil }
            var message = problem.message
            if let hint = problem.hint { message += " (\(hint))" }
            return finding(path, line: problem.location?.line ?? 1, message)
        }
    }
}
