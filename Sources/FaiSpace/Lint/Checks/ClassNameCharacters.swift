// ClassNameCharacters: a class name with a character FAI forbids (hyphen, hash, semicolon, dot).

/// Reports class names with `-`, `#`, `;` or `.`, wherever a class is named: a per-class
/// file or directory, a `PACKAGES` line, a hostname class file. Lower-case names are the
/// hostname class and may have hyphens.
public struct ClassNameCharacters: LintCheck {
    public init() {}
    public let id = "class-name-characters"
    public let severity = Severity.error
    public let summary = "a class name with a hyphen, hash, semicolon or dot"
    public let rationale = """
        The fai-guide: class names "must not contain a hyphen, a hash, a semicolon or a dot, \
        but may contain underscores and digits". FAI finds `hooks/TASK.CLASS` and \
        `CLASS.var` by splitting names at dots (`package_config/CLASS.gpg` is a key, not a list), and \
        hands classes to shells and cfengine (`-D` with classes joined by dots) as words. Only \
        the hostname class (lower case) may have hyphens.
        """

    public var triggeringExamples: [LintExample] {
        [
            LintExample(["package_config/GRUB-PC": .text("PACKAGES install\ngrub-pc\n")], expect: [ExpectedFinding("package_config/GRUB-PC")]),
            LintExample(["hooks/instsoft.WEB.SERVER": .script("#!/bin/sh\ntrue\n")], expect: [ExpectedFinding("hooks/instsoft.WEB.SERVER")]),
            LintExample(["package_config/DEBIAN": .text("PACKAGES install\nvim\nPACKAGES install GRUB-EFI\ngrub-efi\n")],
                        expect: [ExpectedFinding("package_config/DEBIAN", line: 3)]),
            LintExample(["class/web01": .text("# classes\nFAIBASE WEB-SERVER\n")], expect: [ExpectedFinding("class/web01", line: 2)]),
        ]
    }

    public var nonTriggeringExamples: [LintExample] {
        [
            LintExample(["package_config/GRUB_PC": .text("PACKAGES install\ngrub-pc\n"),
                         "package_config/web-01": .text("PACKAGES install\nnginx\n"),
                         "package_config/DEBIAN.gpg": .file([0x99, 0x01], mode: 0o644),
                         "files/etc/motd/ROCKY9_64": .text("hi\n"),
                         "class/web-01": .text("FAIBASE WEB\n")]),
        ]
    }

    public func findings(in subject: LintSubject) -> [Finding] {
        subject.space.classUses.compactMap { use in
            guard case .forbiddenCharacter(let character) = FAIFacts.classNameProblem(use.name) else { return nil }
            return finding(use.path, line: use.line, "class name '\(use.name)' in this \(use.what) contains '\(character)': FAI class names are upper case letters, digits and '_' (the fai-guide forbids '-', '#', ';' and '.'; only the lower-case hostname may have '-')")
        }
    }
}
