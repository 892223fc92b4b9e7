// The parts of class/: class scripts, CLASS.var files and hostname class files, as fai-class uses them.

/// A file in `class/` whose name starts with two digits; fai-class runs them in name order.
public struct ClassScript: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// Executed; every word it prints is a class.
        case executed
        /// `*.sh`: sourced by fai-class's shell; it may set `newclasses`.
        case sourced
        /// `*~` or `*.bak`: fai-class skips it.
        case backup
        /// `*.source`: fai-class refuses it ("deprecated, use .sh").
        case deprecatedSource
    }

    public var file: ConfigFile

    public init(file: ConfigFile) { self.file = file }

    public var name: String { file.name }

    public var kind: Kind {
        let name = self.name
        if name.hasSuffix("~") || name.hasSuffix(".bak") { return .backup }
        if name.hasSuffix(".sh") { return .sourced }
        if name.hasSuffix(".source") { return .deprecatedSource }
        return .executed
    }

    /// Whether fai-class runs it: not a backup, not `.source`, and executable
    /// (fai-class warns about and skips a non-executable one).
    public var isRun: Bool { (kind == .executed || kind == .sourced) && file.isExecutable }

    /// Whether a `class/` file name is a class script name (`[0-9][0-9]*`).
    public static func isScriptName(_ name: String) -> Bool {
        let digits = name.prefix(2)
        return digits.count == 2 && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }
}

/// `class/CLASS.var`: shell variables sourced for every host in CLASS.
public struct ClassVariables: Sendable, Hashable {
    public var file: ConfigFile

    public init(file: ConfigFile) { self.file = file }

    /// `DEBIAN` for `class/DEBIAN.var`.
    public var className: String { String(file.name.dropLast(".var".count)) }
}

/// `class/HOSTNAME`: a file named like a host whose lines are classes for that host
/// (fai-class: `grep -v "^#" $HOSTNAME`, every word a class).
public struct HostClassFile: Sendable, Hashable {
    public var file: ConfigFile

    public init(file: ConfigFile) { self.file = file }

    public var hostname: String { file.name }

    /// The classes the file defines: every word of every line not starting with `#`.
    /// Bytes that are not UTF-8 are replaced, which is what a word split would see anyway.
    public var classes: [String] {
        String(decoding: file.contents, as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("#") }
            .flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }) }
            .map(String.init)
    }

    /// Whether a `class/` file name looks like a host name: lower-case letters, digits and
    /// `-`, starting with a letter or digit, not a class script (`[0-9][0-9]*`). Upper-case
    /// names (`README`) and names with a dot (`example.profile`) are other files.
    public static func isHostName(_ name: String) -> Bool {
        FAIFacts.isHostnameLike(name) && !name.hasPrefix("-") && !ClassScript.isScriptName(name)
    }
}

/// A file named after a class in a directory FAI reads per class (`disk_config/CLASS`, `debconf/CLASS`).
public struct ClassFile: Sendable, Hashable {
    public var file: ConfigFile

    public init(file: ConfigFile) { self.file = file }

    public var className: String { file.name }
}
