// FileNameNotUTF8: a file or directory name that is not UTF-8, which lint cannot check and render cannot copy.

/// Reports each name that is not valid UTF-8, escaped (`class/55-\xFF`); everything else
/// in its directory is still read and checked.
public struct FileNameNotUTF8: LintCheck {
    public init() {}
    public let id = "file-name-not-utf8"
    public let severity = Severity.error
    public let summary = "a file or directory name that is not UTF-8"
    public let rationale = """
        FAI itself handles any bytes, but faigen reads names as UTF-8: lint cannot check such a \
        file (or anything below such a directory), `faigen render --base` refuses to copy it, \
        and it usually comes from an archive unpacked with the wrong locale. The finding \
        writes each byte that is not printable ASCII as `\\xNN`. Rename it.
        """

    public var triggeringExamples: [LintExample] {
        [
            LintExample(["class/55-\\xFF": .script("#!/bin/sh\necho X\n"), "class/50-host-classes": .script("#!/bin/sh\necho A\n")],
                        expect: [ExpectedFinding("class/55-\\xFF")]),
            LintExample(["files/etc/caf\\xE9/FAIBASE": .text("x\n")], expect: [ExpectedFinding("files/etc/caf\\xE9")]),
        ]
    }

    public var nonTriggeringExamples: [LintExample] {
        [
            LintExample(["files/etc/café/FAIBASE": .text("x\n"), "class/50-host-classes": .script("#!/bin/sh\necho A\n")]),
        ]
    }

    public func findings(in subject: LintSubject) -> [Finding] {
        subject.undecodableNames.map { path in
            finding(path, "name is not UTF-8: lint cannot check it or anything below it, and faigen render --base cannot copy it (rename it)")
        }
    }
}
