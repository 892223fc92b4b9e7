// TwoBootLoaders: a class script that gives grub-legacy hosts (XenServer guests) a second boot loader.
import FoundationEssentials

/// Finds the classes whose package lists install `grub-legacy` (faigen's `grub_legacy` class,
/// XENSERVER) and the classes that install GRUB 2 (`grub-pc`, `grub-efi*`) or run
/// `grub-install` from `scripts/CLASS/`; then reports every line of a class script that
/// prints such a GRUB 2 class without first asking whether the host is in the grub-legacy class.
/// Lines in the arms of a `case $HOSTNAME in` give classes to hosts the admin named, who
/// knows whether they are XenServer guests; those are left alone.
public struct TwoBootLoaders: LintCheck {
    public init() {}
    public let id = "two-boot-loaders"
    public let severity = Severity.warning
    public let summary = "a class script that gives grub-legacy hosts a GRUB 2 class as well"
    public let rationale = """
        A XenServer paravirtualized guest boots through pygrub, which reads grub-legacy's \
        `menu.lst`; nothing may be installed into its MBR. When a class script also gives it \
        a class such as fai-doc's GRUB_PC, install_packages installs grub-pc beside \
        grub-legacy (grub-pc conflicts with it) and `scripts/GRUB_PC/10-setup` runs \
        `grub-install`. FAI 6.0's install_packages reads the words after `PACKAGES command` as \
        a list of classes any of which enables the section (`GRUB_PC && ! XENSERVER` would \
        enable it for XENSERVER too), so the one place to keep the two apart is the class \
        script: print the GRUB 2 class only when the host is not in the grub-legacy class \
        (`ifclass XENSERVER || echo GRUB_PC`), in a script that runs after the one defining \
        XENSERVER.
        """

    static let grubLegacyList = "PACKAGES install-norec\ngrub-legacy\n\nPACKAGES remove\ngrub-pc\n"
    static let debianList = "PACKAGES install-norec\nless\n\nPACKAGES install-norec GRUB_PC\ngrub-pc\n"
    static let misc = "#! /bin/bash\n\nifclass -o GRUB_PC GRUB_EFI && exit 0\n\nif [ -d /sys/firmware/efi ]; then\n    echo GRUB_EFI\nelif ifclass -o I386 AMD64 ; then\n    echo GRUB_PC\nfi\n"
    static let detect = "#!/bin/sh\nif log_matches -e 'Xen'; then define XENSERVER; fi\n"

    public var triggeringExamples: [LintExample] {
        [
            LintExample(["class/60-detect-XenServer": .script(Self.detect),
                         "class/60-misc": .script(Self.misc),
                         "package_config/XENSERVER": .text(Self.grubLegacyList),
                         "package_config/DEBIAN": .text(Self.debianList),
                         "scripts/GRUB_EFI/10-setup": .script("#!/bin/bash\n$ROOTCMD grub-install --target=x86_64-efi\n")],
                        expect: [ExpectedFinding("class/60-misc", line: 6), ExpectedFinding("class/60-misc", line: 8)]),
            LintExample(["class/60-detect-XenServer": .script(Self.detect),
                         "class/70-boot": .script("#!/bin/bash\necho FAIBASE GRUB_PC\n"),
                         "package_config/XENSERVER": .text(Self.grubLegacyList),
                         "package_config/GRUB_PC": .text("PACKAGES install\ngrub-pc\n")],
                        expect: [ExpectedFinding("class/70-boot", line: 2)]),
        ]
    }

    public var nonTriggeringExamples: [LintExample] {
        [
            // The fixed lines; and without a grub-legacy class nothing conflicts.
            LintExample(["class/60-detect-XenServer": .script(Self.detect),
                         "class/60-misc": .script(Self.misc.replacing("    echo GRUB_", with: "    ifclass XENSERVER || echo GRUB_")),
                         "package_config/XENSERVER": .text(Self.grubLegacyList),
                         "package_config/DEBIAN": .text(Self.debianList)]),
            LintExample(["class/60-misc": .script(Self.misc),
                         "package_config/DEBIAN": .text(Self.debianList)]),
            // A GRUB 2 class that installs no boot loader and runs no grub-install.
            LintExample(["class/60-detect-XenServer": .script(Self.detect),
                         "class/60-misc": .script(Self.misc),
                         "package_config/XENSERVER": .text(Self.grubLegacyList)]),
        ]
    }

    /// Debian's GRUB 2 boot loader packages, each `Conflicts: grub-legacy` (grub-pc) or
    /// installing into the same boot sector or ESP.
    static func isGrub2Package(_ name: String) -> Bool {
        name == "grub-pc" || name == "grub2" || name.hasPrefix("grub-efi")
    }

    public func findings(in subject: LintSubject) -> [Finding] {
        let space = subject.space
        // Class → where its lists install grub-legacy, and GRUB 2.
        var legacy: [String: String] = [:]
        var grub2: [String: String] = [:]
        for list in space.packageLists {
            for section in list.sections {
                guard let command = section.command, command.command.hasPrefix("install") || command.command.hasPrefix("aptitude") || command.command == "apt" else { continue }
                let classes = command.classes.isEmpty ? [list.className] : command.classes.filter(FAIFacts.isSafeClassName)
                for line in section.lines {
                    for package in line.packages where !package.isRemoval {
                        for name in classes {
                            if package.name == "grub-legacy", legacy[name] == nil { legacy[name] = "\(list.path):\(line.number)" }
                            if Self.isGrub2Package(package.name), grub2[name] == nil {
                                grub2[name] = "\(package.name) in \(list.path):\(line.number)"
                            }
                        }
                    }
                }
            }
        }
        guard let legacyClass = legacy.keys.sorted().first else { return [] }
        for script in space.customizationScripts where script.isRun {
            let text = String(decoding: script.file.contents, as: UTF8.self)
            if text.split(whereSeparator: { $0.isWhitespace || $0 == ";" || $0 == "\"" }).contains("grub-install") {
                let reason = "grub-install in \(script.file.path)"
                grub2[script.className] = grub2[script.className].map { "\($0), \(reason)" } ?? reason
            }
        }
        for name in legacy.keys { grub2[name] = nil }
        guard !grub2.isEmpty else { return [] }
        // The first class script that names the grub-legacy class defines it, as far as text tells.
        let scripts = space.classScripts.filter(\.isRun).sorted { $0.file.path < $1.file.path }
        let definer = scripts.first { Self.words(of: String(decoding: $0.file.contents, as: UTF8.self)).contains(legacyClass) }
        var out: [Finding] = []
        for script in scripts where script.kind == .executed && script.file.path != definer?.file.path {
            let text = String(decoding: script.file.contents, as: UTF8.self)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            // A script that leaves early for the grub-legacy class is fine as it is.
            if lines.contains(where: { $0.contains("ifclass") && $0.contains("exit") && Self.words(of: String($0)).contains(legacyClass) }) { continue }
            var hostCaseDepth = 0
            for (index, raw) in lines.enumerated() {
                let line = Self.withoutComment(raw)
                let words = Self.words(of: line)
                if words.first == "case" {
                    if hostCaseDepth > 0 || words.contains(where: { $0.contains("HOSTNAME") }) { hostCaseDepth += 1 }
                    continue
                }
                if hostCaseDepth > 0 {
                    if words.contains("esac") { hostCaseDepth -= 1 }
                    continue
                }
                guard !words.contains(legacyClass), let echo = words.firstIndex(of: "echo") else { continue }
                for name in words[echo...] where grub2[name] != nil {
                    let order = definer.map { $0.file.path < script.file.path } ?? true
                        ? "" : "; and rename \(script.file.path) to sort after \(definer!.file.path), which defines \(legacyClass)"
                    out.append(finding(script.file.path, line: index + 1, "prints \(name) also for \(legacyClass) hosts, which boot through grub-legacy (\(legacy[legacyClass]!)): \(name) brings \(grub2[name]!), a second boot loader (change the line to `\(Self.fixedLine(line, printing: name, unless: legacyClass))`\(order))"))
                }
            }
        }
        return out
    }

    /// The line without a trailing `# comment` (a `#` at the start of a word).
    static func withoutComment(_ line: Substring) -> String {
        var previous: Character = " "
        for index in line.indices {
            if line[index] == "#", previous == " " || previous == "\t" {
                var kept = line[..<index]
                while let last = kept.last, last == " " || last == "\t" { kept = kept.dropLast() }
                return String(kept)
            }
            previous = line[index]
        }
        return String(line)
    }

    static func words(of text: String) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ";" || $0 == "\"" || $0 == "'" || $0 == "(" || $0 == ")" }).map(String.init)
    }

    /// The line with `name` taken out of its `echo` and printed only for hosts not in
    /// `legacyClass`: `    echo GRUB_PC` → `    ifclass XENSERVER || echo GRUB_PC`,
    /// `echo "FAIBASE GRUB_PC" ;;` → `echo "FAIBASE"; ifclass XENSERVER || echo GRUB_PC ;;`.
    static func fixedLine(_ line: String, printing name: String, unless legacyClass: String) -> String {
        guard let echoRange = line.firstRange(of: "echo") else { return line }
        let prefix = line[..<echoRange.lowerBound]
        var rest = line[echoRange.upperBound...]
        var suffix = ""
        if let end = rest.firstRange(of: ";;") {
            suffix = " " + rest[end.lowerBound...].trimmingPrefix(while: \.isWhitespace)
            rest = rest[..<end.lowerBound]
        }
        let guarded = "ifclass \(legacyClass) || echo \(name)"
        let others = rest.split(whereSeparator: { $0 == " " || $0 == "\t" })
            .map { $0.filter { $0 != "\"" } }.filter { !$0.isEmpty && $0 != name }
        if others.isEmpty { return prefix + guarded + suffix }
        let quoted = rest.contains("\"") ? "\"\(others.joined(separator: " "))\"" : others.joined(separator: " ")
        return prefix + "echo \(quoted); " + guarded + suffix
    }
}
