// SymlinkLoop: a symlink that resolves to itself through a chain of links.

/// Reports a symlink whose chain of targets never ends (`stat` fails with ELOOP).
public struct SymlinkLoop: LintCheck {
    public init() {}
    public let id = "symlink-loop"
    public let severity = Severity.error
    public let summary = "a symlink that leads back to itself"
    public let rationale = """
        FAI's tools follow symlinks: a loop (`A -> B`, `B -> A`) fails every open with "Too many \
        levels of symbolic links", so fai-class, fcopy and install_packages treat the path as \
        missing. It is not dangling: each link points at something that exists, a link.
        """

    public var triggeringExamples: [LintExample] {
        [
            LintExample(["package_config/DEBIAN": .symlink(target: "FAIBASE"), "package_config/FAIBASE": .symlink(target: "DEBIAN")],
                        expect: [ExpectedFinding("package_config/DEBIAN"), ExpectedFinding("package_config/FAIBASE")]),
            LintExample(["class/10-self": .symlink(target: "10-self")], expect: [ExpectedFinding("class/10-self")]),
        ]
    }

    public var nonTriggeringExamples: [LintExample] {
        [
            LintExample(["files/etc/motd/FAIBASE": .symlink(target: "DEBIAN"), "files/etc/motd/DEBIAN": .symlink(target: "LAST"),
                         "files/etc/motd/LAST": .text("hi\n"), "files/etc/issue/FAIBASE": .symlink(target: "/nonexistent")]),
        ]
    }

    public func findings(in subject: LintSubject) -> [Finding] {
        subject.links.filter { $0.resolved == .loop }.map { link in
            finding(link.path, "symlink loop (to \(link.target)): following it leads back to a link already followed, so FAI finds no file at this path (point it at a real file)")
        }
    }
}
