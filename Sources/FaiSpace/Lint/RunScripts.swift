// RunScripts: the files FAI runs (class scripts, hooks, scripts/, fcopy's postinst and preinst) and how it starts them.

/// A file FAI runs, with who starts it and how; the script checks share this list.
struct RunScript: Sendable {
    enum Start: Sendable {
        /// Executed by a bash script (fai-class, call_hook, fai-do-scripts): without `#!`,
        /// bash reads the file as a bash script itself.
        case executedFromBash
        /// Sourced by bash (`class/NN*.sh`, `hooks/*.sh`): the `#!` line is only a comment.
        case sourcedByBash
        /// Executed through `/bin/sh -c` (fcopy's perl `system`): without `#!`, sh reads it.
        case executedFromSh
    }

    var file: ConfigFile
    /// What an FAI user calls it: "class script", "hook", "script", "postinst", "preinst".
    var role: String
    /// The FAI program that runs it.
    var runner: String
    var start: Start

    var isExecuted: Bool { start != .sourcedByBash }

    /// The shell that parses it when FAI runs it, or nil when that is not a shell with `-n`
    /// (a perl script, an ELF binary).
    var shellName: String? {
        if start == .sourcedByBash { return "bash" }
        if let shebang = Shebang(file.contents) {
            let name = shebang.programName
            return FAIFacts.syntaxCheckingShells.contains(name) ? name : nil
        }
        guard TextContent.isText(file.contents) else { return nil }
        return start == .executedFromSh ? "sh" : "bash"
    }
}

extension ConfigSpace {
    /// Every file FAI runs: class scripts (not backups or `.source`), hooks (not `.source`),
    /// `scripts/CLASS/NN*`, and every fcopy `postinst` and `preinst`.
    var runScripts: [RunScript] {
        var all: [RunScript] = []
        for script in classScripts {
            switch script.kind {
            case .executed: all.append(RunScript(file: script.file, role: "class script", runner: "fai-class", start: .executedFromBash))
            case .sourced: all.append(RunScript(file: script.file, role: "class script", runner: "fai-class", start: .sourcedByBash))
            case .backup, .deprecatedSource: continue
            }
        }
        for hook in hooks where !hook.file.name.hasSuffix(".source") {
            all.append(RunScript(file: hook.file, role: "hook", runner: "FAI",
                                 start: hook.isSourced ? .sourcedByBash : .executedFromBash))
        }
        for script in customizationScripts where script.isRun {
            all.append(RunScript(file: script.file, role: "script", runner: "fai-do-scripts", start: .executedFromBash))
        }
        for entry in fcopyEntries {
            if let postinst = entry.postinst {
                all.append(RunScript(file: postinst, role: "postinst", runner: "fcopy", start: .executedFromSh))
            }
            if let preinst = entry.preinst {
                all.append(RunScript(file: preinst, role: "preinst", runner: "fcopy", start: .executedFromSh))
            }
        }
        return all
    }
}
