// SymlinkOutsideConfigSpace: a symlink whose target lies outside the config space.

/// Reports a symlink with an absolute target, or a relative one that climbs out of the
/// config space, when the target exists here. FAI follows it on the install client, where
/// it names the client's file; lint does not follow it, so its content is not checked.
public struct SymlinkOutsideConfigSpace: LintCheck {
    public init() {}
    public let id = "symlink-outside-config-space"
    public let severity = Severity.warning
    public let summary = "a symlink to a file or directory outside the config space"
    public let rationale = """
        FAI reads the config space on the install client (NFS, `ftar`, `git`), at `$FAI` \
        (`/var/lib/fai/config`), not at its place on the server: an absolute target, or one \
        that climbs out with `..`, is resolved there and names the client's file, which may \
        differ from the server's or not exist. Lint cannot check what it will be and does not \
        read it. Copy the file into the config space, or link within it.
        """

    public var triggeringExamples: [LintExample] {
        [
            LintExample(["files/etc/issue/FAIBASE": .symlink(target: "/etc/hostname")], expect: [ExpectedFinding("files/etc/issue/FAIBASE")]),
            LintExample(["class/DEBIAN.var": .symlink(target: "../../../../../../../../../../etc/hostname")],
                        expect: [ExpectedFinding("class/DEBIAN.var")]),
        ]
    }

    public var nonTriggeringExamples: [LintExample] {
        [
            LintExample(["files/etc/motd/FAIBASE": .symlink(target: "DEBIAN"), "files/etc/motd/DEBIAN": .text("hello\n"),
                         "scripts/FAIBASE": .symlink(target: "DEBIAN"), "scripts/DEBIAN/10-x": .script("#!/bin/sh\ntrue\n"),
                         "class/DEBIAN.var": .symlink(target: "/nonexistent/DEBIAN.var")]),
        ]
    }

    public func findings(in subject: LintSubject) -> [Finding] {
        subject.links.compactMap { link in
            guard case .outside(let what) = link.resolved else { return nil }
            return finding(link.path, "symlink to \(what) outside the config space (\(link.target)): FAI resolves it on the install client, where it names the client's file, so lint does not check it (copy the file into the config space or link within it)")
        }
    }
}
