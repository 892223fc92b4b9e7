// scripts/CLASS/NN-name and hooks/TASK.CLASS[.sh]: the scripts FAI runs per class.

/// `scripts/CLASS/NAME`: fai runs the ones named `[0-9][0-9]*` in the configure task.
public struct CustomizationScript: Sendable, Hashable {
    public var file: ConfigFile

    public init(file: ConfigFile) { self.file = file }

    /// The class directory (`FAIBASE` for `scripts/FAIBASE/10-misc`).
    public var className: String { file.path.parentPath.lastPathComponent }

    public var name: String { file.name }

    /// Whether fai-do-scripts runs it: its name starts with two digits and it is no backup.
    public var isRun: Bool {
        ClassScript.isScriptName(name) && !name.hasSuffix("~") && !name.hasSuffix(".bak")
    }
}

/// `hooks/TASK.CLASS[.sh]`: run before TASK for hosts in CLASS; a `.sh` hook is sourced.
public struct Hook: Sendable, Hashable {
    public var file: ConfigFile

    public init(file: ConfigFile) { self.file = file }

    /// `instsoft` for `hooks/instsoft.DEBIAN`.
    public var task: String {
        let name = file.name
        guard let dot = name.firstIndex(of: ".") else { return name }
        return String(name[..<dot])
    }

    /// `DEBIAN` for `hooks/instsoft.DEBIAN` and `hooks/savelog.LAST.sh`.
    public var className: String {
        let name = file.name
        guard let dot = name.firstIndex(of: ".") else { return "" }
        var rest = name[name.index(after: dot)...]
        if rest.hasSuffix(".sh") { rest = rest.dropLast(3) }
        return String(rest)
    }

    /// A `.sh` hook is sourced by fai's shell (and may change its variables); others are executed.
    public var isSourced: Bool { file.name.hasSuffix(".sh") }

    /// Whether FAI knows the task the hook names.
    public var hasKnownTask: Bool { FAIFacts.hookTasks.contains(task) }

    /// Whether a `hooks/` file name has the `TASK.CLASS` shape.
    public static func isHookName(_ name: String) -> Bool {
        guard let dot = name.firstIndex(of: "."), dot != name.startIndex else { return false }
        return name.index(after: dot) != name.endIndex
    }
}
