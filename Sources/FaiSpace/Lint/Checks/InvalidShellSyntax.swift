// InvalidShellSyntax: a shell script FAI runs or sources that its shell cannot parse (`sh -n`, `bash -n`).

/// Runs the shell that FAI would use with `-n` (parse, do not execute) over every class
/// script, hook, `scripts/` script, postinst, preinst and `class/*.var` file: bash for
/// sourced files, else the `#!` program when it is a shell, else the shell that starts it.
/// Perl, Python and binaries are not judged, nor scripts for a shell that is not installed.
public struct InvalidShellSyntax: LintCheck {
    public init() {}
    public let id = "shell-syntax"
    public let severity = Severity.error
    public let summary = "a shell script that fails sh -n or bash -n"
    public let rationale = """
        A syntax error stops a script at install time, on the client, after partitioning may \
        already have happened; `-n` finds it on the server. The shell is the one FAI uses: \
        sourced `*.sh` and `*.var` files are read by bash whatever their `#!` says, so a bash-ism \
        there is fine, while a `#!/bin/sh` script is parsed by dash.
        """

    public var triggeringExamples: [LintExample] {
        [
            LintExample(["class/50-host-classes": .script("#!/bin/sh\ncase $HOSTNAME in\n  web*) echo WEB ;;\nesca\n")],
                        expect: [ExpectedFinding("class/50-host-classes", line: 4)]),
            LintExample(["scripts/FAIBASE/10-misc": .script("#!/bin/sh\nif [[ -d /x ]]; then\n  arr=(a b)\nfi\n")],
                        expect: [ExpectedFinding("scripts/FAIBASE/10-misc", line: 3)]),
            LintExample(["class/DEBIAN.var": .text("release=bookworm\nif [ x ]; then\n")],
                        expect: [ExpectedFinding("class/DEBIAN.var", line: 2)]),
            LintExample(["hooks/instsoft.DEBIAN.sh": .script("#!/bin/sh\necho )\n")],
                        expect: [ExpectedFinding("hooks/instsoft.DEBIAN.sh", line: 2)]),
        ]
    }

    public var nonTriggeringExamples: [LintExample] {
        [
            LintExample(["class/20-hwdetect.sh": .script("#!/bin/sh\ndeclare -A seen\n[[ -d /x ]] && seen[x]=1\n"),
                         "scripts/FAIBASE/10-misc": .script("#!/bin/bash\nif [[ -d /x ]]; then\n  arr=(a b)\nfi\n"),
                         "scripts/FAIBASE/20-perl": .script("#!/usr/bin/perl\nprint \"fi\\n\" if (1;\n"),
                         "files/etc/motd/postinst": .script("#!/bin/sh\n[ -n \"$1\" ] || exit 1\n")]),
        ]
    }

    public func findings(in subject: LintSubject) -> [Finding] {
        let targets: [(ConfigFile, String)] = (subject.space.runScripts.compactMap { script in
            script.shellName.map { (script.file, $0) }
        } + subject.space.classVariables.map { ($0.file, "bash") }).filter { subject.oversized[$0.0.path] == nil }
        // One shell process per file dominates lint's time; run them on every core.
        return Parallel.map(targets.count, minimumChunk: 1) { index in
            check(targets[index].0, shellName: targets[index].1, subject: subject)
        }.compactMap { $0 }
    }

    private func check(_ file: ConfigFile, shellName: String, subject: LintSubject) -> Finding? {
        guard TextContent.isText(file.contents),
              let shell = ShellSyntax.shellExecutable(named: shellName, preferred: Shebang(file.contents)?.interpreter)
        else { return nil }
        let newlines = file.contents.count { $0 == 0x0A }
        let lineCount = newlines + (file.contents.last == 0x0A || file.contents.isEmpty ? 0 : 1)
        switch try? ShellSyntax.check(file: subject.absolutePath(file.path), shell: shell, lineCount: lineCount, limits: subject.limits) {
        case .syntaxError(let error):
            return finding(file.path, line: error.line, "\(shellName) -n: \(error.message)")
        case .timedOut:
            return finding(file.path, "\(shellName) -n did not finish within \(subject.limits.toolTimeText), lint's time limit for one file, and was stopped: the script is not checked")
        case .parses, .notChecked, nil:
            return nil
        }
    }
}
