// ExplanationText: the report `faigen explain` prints, and the host × classes table of `--all`.

extension HostExplanation {
    /// The report for people: classes and why, then what FAI does with them, then problems.
    public var report: String {
        var out: [String] = []
        out.append("host \(hostname): \(classList.count) classes (\(executed ? "class scripts run in a sandbox" : "static, --no-exec"))")
        out.append("")
        out.append("classes (FAI's order):")
        for explained in classes {
            let origins = explained.origins.map { origin -> String in
                var text = origin.kind == .fai ? "fai-class" : origin.location
                if let detail = origin.detail { text += " (\(detail))" }
                return text
            }
            out.append("  \(explained.name.padding(16))  \(origins.joined(separator: "; "))")
        }
        if !unknowns.isEmpty {
            out.append("")
            out.append("unknown:")
            out += unknowns.map { "  ? \($0)" }
        }
        if !classSteps.isEmpty {
            out.append("")
            out.append("class scripts and hooks run:")
            for step in classSteps {
                let status = step.exitStatus.map { $0 == 0 ? "OK" : "FAILED (\($0))" } ?? "did not finish"
                out.append("  \(step.name.padding(36))  \(status)")
            }
        }
        out.append("")
        out.append("packages (install_packages, in its command order):")
        if packages.isEmpty { out.append("  none") }
        for group in packages {
            let title = group.option.map { "\(group.command) \($0)" } ?? group.command
            out.append("  \(title): \(group.packages.count)")
            for choice in group.packages {
                out.append("    \(choice.word.padding(32))  \(choice.file):\(choice.line)")
            }
        }
        out.append("  install_packages -l prints: \(installPackagesList.joined(separator: " "))")
        out.append("")
        out.append("files (fcopy: the highest-priority class with a file wins):")
        if files.isEmpty { out.append("  none") }
        for file in files {
            var modes = file.mode
            if let owner = file.owner, let group = file.group { modes = "\(owner):\(group) \(file.mode)" }
            var extras: [String] = []
            if let postinst = file.postinst { extras.append("postinst \(postinst)") }
            if let preinst = file.preinst { extras.append("preinst \(preinst)") }
            if file.substitutes { extras.append("substituted") }
            let extra = extras.isEmpty ? "" : " (\(extras.joined(separator: ", ")))"
            out.append("  \(file.destination.padding(36))  \(file.className) \(modes)  \(file.source)\(extra)")
        }
        if !filesWithoutClass.isEmpty {
            out.append("  no class of this host for: \(filesWithoutClass.joined(separator: " "))")
        }
        out.append("")
        out.append("scripts (task configure, fai-do-scripts order):")
        if scripts.isEmpty { out.append("  none") }
        out += scripts.map { "  \($0.path)" }
        out.append("")
        out.append("hooks (in task order):")
        if hooks.isEmpty { out.append("  none") }
        out += hooks.map { "  \($0.task.padding(11))  \($0.path)\($0.sourced ? " (sourced)" : "")" }
        out.append("")
        out.append("disk_config: \(diskConfig ?? "none (setup-storage stops: no matching disk_config)")")
        out.append("debconf: \(debconf.isEmpty ? "none" : debconf.joined(separator: " "))")
        out.append("variables: \(variableFiles.isEmpty ? "none" : variableFiles.joined(separator: " "))"
                   + (additionalVariables == nil ? "" : " $LOGDIR/additional.var"))
        out.append("")
        if problems.isEmpty {
            out.append("problems: none")
        } else {
            out.append("problems:")
            out += problems.map { "  \($0)" }
        }
        return out.joined(separator: "\n") + "\n"
    }
}

/// The table of `faigen explain --all`: one row per host.
public struct ExplanationTable: Sendable {
    public var rows: [HostExplanation]

    public init(rows: [HostExplanation]) { self.rows = rows }

    public var text: String {
        let header = ["HOST", "PACKAGES", "FILES", "PROBLEMS", "CLASSES"]
        var lines = [header]
        for row in rows {
            let count = row.packages.reduce(0) { $0 + $1.packages.count }
            lines.append([row.hostname, String(count), String(row.files.count), String(row.problems.count),
                          row.classes.map(\.name).joined(separator: " ") + (row.unknowns.isEmpty ? "" : " ?")])
        }
        var widths = [Int](repeating: 0, count: header.count - 1)
        for line in lines { for index in widths.indices { widths[index] = max(widths[index], line[index].count) } }
        return lines.map { line in
            (widths.indices.map { line[$0].padding(widths[$0]) } + [line.last ?? ""]).joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
