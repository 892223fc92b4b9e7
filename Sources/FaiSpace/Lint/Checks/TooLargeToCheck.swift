// TooLargeToCheck: a file FAI reads or runs that is larger than lint reads of one file.

/// Reports a file lint reads (class/, package lists, scripts/, hooks/, disk_config/,
/// debconf/, fcopy's postinst, preinst and file-modes) that is larger than
/// `LintLimits.maxFileBytes`: only its first lines are checked, and it is not given to
/// `bash -n` or `setup-storage -s`. Base images, tests and fcopy variants are not read and
/// may be any size.
public struct TooLargeToCheck: LintCheck {
    public init() {}
    public let id = "too-large-to-check"
    public let severity = Severity.error
    public let summary = "a script, list or config file larger than lint reads (8 MiB)"
    public let rationale = """
        No class script, package list, hook or disk_config is megabytes long: one that is was \
        generated wrongly, or is a binary or a sparse file put in the wrong place, and the \
        shell, install_packages or setup-storage would spend as long on it on every client. \
        Lint bounds what one file may cost: it reads the first 8 MiB (ending at a line end) \
        and does not run a checker over the file. A deliberate large file (a static binary in \
        `scripts/`) can be silenced in `.faigenlint`.
        """

    public var triggeringExamples: [LintExample] {
        [
            LintExample(["class/10-huge": .sparse(size: 1 << 30, mode: 0o755)], expect: [ExpectedFinding("class/10-huge")]),
            LintExample(["package_config/DEBIAN": .symlink(target: "../lists/debian"), "lists/debian": .sparse(size: 9 << 20, mode: 0o644)],
                        expect: [ExpectedFinding("package_config/DEBIAN")]),
        ]
    }

    public var nonTriggeringExamples: [LintExample] {
        [
            LintExample(["basefiles/DEBIAN.tar.xz": .sparse(size: 1 << 30, mode: 0o644),
                         "files/srv/image.iso/FAIBASE": .sparse(size: 1 << 30, mode: 0o644),
                         "class/50-host-classes": .script("#!/bin/sh\necho FAIBASE\n")]),
        ]
    }

    public func findings(in subject: LintSubject) -> [Finding] {
        subject.oversized.sorted { $0.key < $1.key }.map { path, size in
            finding(path, "\(size) bytes, more than lint's limit of \(subject.limits.fileSizeText) for one file: only the first lines were checked, and no bash -n or setup-storage -s ran over it (make it smaller, or silence this in .faigenlint if it is meant)")
        }
    }
}
