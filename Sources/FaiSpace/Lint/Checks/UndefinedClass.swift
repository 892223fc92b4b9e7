// UndefinedClass: a file for a class that nothing in the config space can define.

/// Reports package lists, disk_config, debconf, fcopy variants, `scripts/` directories,
/// hooks, `*.var` files and apt keys named after a class the config space cannot define
/// (see `DefinableClasses`: the search is generous, so a warning here is worth a look).
public struct UndefinedClass: LintCheck {
    public init() {}
    public let id = "undefined-class"
    public let severity = Severity.warning
    public let summary = "a file for a class that nothing in the config space defines"
    public let rationale = """
        FAI uses a per-class file only for hosts in that class. A class is defined by what a \
        class script prints (or sets in `newclasses`), a hostname class file, `DEFAULT`, \
        `LAST` and the hostname; otherwise only from outside, by `ADDCLASSES=` on the kernel \
        command line or `fai -c`. A file for a class no class script mentions is either meant \
        for such an outside class, or dead (a renamed class, a typo). It is a warning because \
        lint cannot see `ADDCLASSES`.
        """

    public var triggeringExamples: [LintExample] {
        [
            LintExample(["class/50-host-classes": .script("#!/bin/sh\necho FAIBASE DEBIAN\n"),
                         "package_config/GERMAN": .text("PACKAGES install\nlocales\n")],
                        expect: [ExpectedFinding("package_config/GERMAN")]),
            LintExample(["class/50-host-classes": .script("#!/bin/sh\necho FAIBASE\n"),
                         "scripts/WEBSERVR/10-nginx": .script("#!/bin/sh\ntrue\n"),
                         "files/etc/motd/WEBSERVR": .text("web\n")],
                        expect: [ExpectedFinding("scripts/WEBSERVR"), ExpectedFinding("files/etc/motd/WEBSERVR")]),
        ]
    }

    public var nonTriggeringExamples: [LintExample] {
        [
            LintExample(["class/50-host-classes": .script("#!/bin/sh\ncase $HOSTNAME in\n  web*) echo \"FAIBASE WEB\";;\nesac\n"),
                         "class/85-efi-classes": .script("#!/bin/bash\nfor c in FAIBASE; do echo ${c}_EFI; done\n"),
                         "class/demohost": .text("XORG\n"),
                         "class/desktop.profile": .text("Classes: GNOME\n"),
                         "package_config/WEB": .text("PACKAGES install\nnginx\n"),
                         "package_config/DEFAULT": .text("PACKAGES install\nvim\n"),
                         "package_config/XORG": .text("PACKAGES install\nxorg\n"),
                         "package_config/GNOME": .text("PACKAGES install\ngnome\n"),
                         "disk_config/FAIBASE_EFI": .text("disk_config disk1\n"),
                         "hooks/savelog.LAST.sh": .script("#!/bin/bash\ntrue\n"),
                         "hooks/defclass.DEFAULT.sh": .script("#!/bin/bash\n[ -e /dev/kiosk ] && ADDCLASSES=\"$ADDCLASSES,KIOSK\"\n"),
                         "package_config/KIOSK": .text("PACKAGES install\nfirefox-esr\n"),
                         "files/etc/motd/demohost": .text("hi\n")]),
        ]
    }

    public func findings(in subject: LintSubject) -> [Finding] {
        let definable = DefinableClasses(subject.space)
        var seen: Set<String> = []
        return subject.space.classUses.compactMap { use in
            guard use.kind == .perClassFile, FAIFacts.classNameProblem(use.name) == nil,
                  !definable.contains(use.name), seen.insert(use.path).inserted else { return nil }
            return finding(use.path, "class \(use.name) is never defined here: no class script, file in class/ or setup/defclass hook mentions it, no hostname class file lists it, and it is not DEFAULT, LAST or a hostname, so this \(use.what) is used only when \(use.name) comes from ADDCLASSES or fai -c")
        }
    }
}
