// DiskConfigSyntax: a disk_config file that FAI's setup-storage cannot parse (`setup-storage -s`).

/// Runs FAI's own parser, `setup-storage -s` (Debian package fai-setup-storage), over every
/// `disk_config/CLASS`, the way `shell-syntax` runs `sh -n`; see `SetupStorage` for how it
/// is kept from touching a disk. Without fai-setup-storage installed the check reports nothing.
public struct DiskConfigSyntax: LintCheck {
    public init() {}
    public let id = "disk-config-syntax"
    public let severity = Severity.error
    public let summary = "a disk_config file that setup-storage -s rejects"
    public let rationale = """
        setup-storage reads `disk_config/CLASS` in the partition task, on the client, and stops \
        the install at the first line it cannot parse (`primray` for `primary`, a size without \
        a unit it knows, a mount point used twice). `setup-storage -s` is its syntax check: lint \
        runs it over a copy of each file, as nobody, with a scratch LOGDIR, a disk list of its \
        own and lint's time limit, so it never looks at a real disk (one perl loads FAI's \
        grammar once and runs setup-storage in a child per file). It needs Debian package \
        fai-setup-storage on the machine that runs lint.
        """
    public let requiredTools = [RequiredTool(path: SetupStorage.executable, package: "fai-setup-storage")]

    public var triggeringExamples: [LintExample] {
        [
            LintExample(["disk_config/FAIBASE": .text("""
                disk_config disk1 disklabel:msdos bootable:1
                primary /      2G-50G   ext4  rw,noatime,errors=remount-ro
                primray swap   200-1G   swap  sw

                """)], expect: [ExpectedFinding("disk_config/FAIBASE", line: 3)]),
            LintExample(["disk_config/LVM": .text("""
                disk_config disk1
                primary /     2G-50G  ext4  rw
                primary /     1G      ext4  rw

                """)], expect: [ExpectedFinding("disk_config/LVM")]),
        ]
    }

    public var nonTriggeringExamples: [LintExample] {
        [
            LintExample(["disk_config/LVM": .text("""
                # <type> <mountpoint> <size> <fs type> <mount options> <misc options>
                disk_config disk1 fstabkey:uuid align-at:1M
                primary /boot   200     ext4    rw,noatime
                primary -       4G-     -       -

                disk_config lvm
                vg vg1  disk1.2
                vg1-root     /       3G-50G   ext4    noatime,rw
                vg1-swap     swap    200-4G   swap    sw

                """)]),
        ]
    }

    public func findings(in subject: LintSubject) -> [Finding] {
        let files = subject.space.diskConfigs.map(\.file).filter {
            subject.oversized[$0.path] == nil && TextContent.isText($0.contents)
        }
        return zip(files, SetupStorage.check(files.map(\.contents), limits: subject.limits)).compactMap { file, outcome in
            switch outcome {
            case .parses, .notChecked:
                return nil
            case .timedOut:
                return finding(file.path, "setup-storage -s did not finish within \(subject.limits.toolTimeText), lint's time limit for one file, and was stopped: the file is not checked (simplify it)")
            case .error(let line, let message):
                let lineCount = max(1, file.contents.count { $0 == 0x0A } + (file.contents.last == 0x0A ? 0 : 1))
                return finding(file.path, line: min(line, lineCount), "setup-storage -s: \(message)")
            }
        }
    }
}
