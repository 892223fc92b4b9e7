// PackageList: a package_config/CLASS file (or the nfsroot list), parsed the way install_packages reads it.

/// The package commands `install_packages` knows (its `%command` table, without the `-internal` ones).
public let knownPackageCommands: Set<String> = [
    "install", "install-norec", "remove", "dselect-upgrade", "pacman-S", "pacman-Rns",
    "taskinst", "taskrm", "hold", "aptitude", "aptitude-r", "apt", "cupt", "cupt-r", "unpack",
    "urpmi", "urpme", "yumi", "yumr", "yumgroup", "dnfi", "dnfr", "dnfgroup", "y2i", "y2r",
    "yast", "zypper", "zypper-pattern", "zypper-product", "zypper-rm", "rpmr", "smarti",
    "smartr", "apk-add", "apk-del",
]

/// A package list: lines before the first `PACKAGES` line, then one section per `PACKAGES` line.
///
/// install_packages reads it line by line: `#` starts a comment anywhere, blank lines are
/// skipped, `PACKAGES command [release=R] [classes]` opens a section, `PRELOAD`/`PRELOADRM`
/// fetch files, every other word is a package. Every line keeps its text and 1-based number,
/// so a list that is parsed and not changed is written back byte for byte, and an edited
/// list re-serialises only the lines that changed.
public struct PackageList: Sendable, Hashable {
    /// Path relative to the config space root (`package_config/DEBIAN`).
    public var path: String
    public var mode: UInt32
    /// Lines before the first `PACKAGES` line (comments, blanks; packages here are an error to FAI).
    public var preamble: [PackageListLine]
    public var sections: [PackageSection]
    /// Whether the last line ends with a newline (a file may end without one).
    public var endsWithNewline: Bool

    public init(path: String, mode: UInt32 = 0o644, preamble: [PackageListLine] = [],
                sections: [PackageSection] = [], endsWithNewline: Bool = true) {
        self.path = path
        self.mode = mode
        self.preamble = preamble
        self.sections = sections
        self.endsWithNewline = endsWithNewline
    }

    /// The class this list belongs to: its file name (`package_config/DEBIAN` → `DEBIAN`).
    public var className: String { path.lastPathComponent }

    /// All lines in file order: preamble, then each section's header and body.
    public var lines: [PackageListLine] {
        preamble + sections.flatMap { [$0.header] + $0.lines }
    }

    /// The bytes of the file: unchanged lines exactly as read, changed ones re-serialised.
    public var contents: [UInt8] {
        let all = lines
        var text = all.map(\.text).joined(separator: "\n")
        if endsWithNewline && !all.isEmpty { text += "\n" }
        return Array(text.utf8)
    }

    public var file: ConfigFile { ConfigFile(path: path, contents: contents, mode: mode) }
}

/// One `PACKAGES` line and the lines up to the next one.
public struct PackageSection: Sendable, Hashable {
    /// The `PACKAGES` line itself (its content is `.packagesCommand`).
    public var header: PackageListLine
    public var lines: [PackageListLine]

    public init(header: PackageListLine, lines: [PackageListLine] = []) {
        self.header = header
        self.lines = lines
    }

    public init(command: String, option: String? = nil, classes: [String] = [], lines: [PackageListLine] = []) {
        self.init(header: PackageListLine(.packagesCommand(PackagesCommand(command: command, option: option, classes: classes))),
                  lines: lines)
    }

    /// The `PACKAGES` command of this section; nil only if `header` was edited into something else.
    public var command: PackagesCommand? {
        if case .packagesCommand(let command) = header.content { return command }
        return nil
    }

    /// Every package of the section, in order.
    public var packages: [PackageReference] { lines.flatMap(\.packages) }
}

/// `PACKAGES <command> [option] [class list or class expression]`.
public struct PackagesCommand: Sendable, Hashable {
    /// `install`, `install-norec`, `aptitude`, ... (see `knownPackageCommands`).
    public var command: String
    /// The `NAME=VALUE` word after the command; install_packages allows only `release=`.
    public var option: String?
    /// The words after the command and option: the section applies when any of them is a
    /// defined class; newer FAI also reads a class expression here (`! MINT`).
    public var classes: [String]

    public init(command: String, option: String? = nil, classes: [String] = []) {
        self.command = command
        self.option = option
        self.classes = classes
    }

    /// Whether `command` is one install_packages knows.
    public var isKnown: Bool { knownPackageCommands.contains(command) }

    /// The release named by a `release=` option.
    public var release: String? {
        guard let option, option.hasPrefix("release=") else { return nil }
        return String(option.dropFirst("release=".count))
    }

    /// Whether the words after the command form a class expression rather than a list of names.
    public var isClassExpression: Bool {
        classes.contains { word in word.contains { "!&|()".contains($0) } }
    }
}

/// One package word: `name[/release][-]`, possibly with `${var}` in it.
public struct PackageReference: Sendable, Hashable {
    /// The word exactly as written (`linux-image-${arch}`, `exim4-`, `foo/bookworm-backports`).
    public var word: String

    public init(_ word: String) { self.word = word }

    public init(name: String, release: String? = nil, remove: Bool = false) {
        var word = name
        if let release { word += "/\(release)" }
        if remove { word += "-" }
        self.word = word
    }

    /// A trailing `-` asks apt to remove the package instead of installing it.
    public var isRemoval: Bool { word.count > 1 && word.hasSuffix("-") }

    private var withoutRemoval: Substring { isRemoval ? word.dropLast() : word[...] }

    /// The package name without `/release` and removal suffix.
    public var name: String {
        let base = withoutRemoval
        guard let slash = base.firstIndex(of: "/") else { return String(base) }
        return String(base[..<slash])
    }

    /// The release after `/` (`pkg/bookworm-backports`).
    public var release: String? {
        let base = withoutRemoval
        guard let slash = base.firstIndex(of: "/") else { return nil }
        return String(base[base.index(after: slash)...])
    }

    /// Whether the word holds a `${var}` or `$var` reference (expanded by FAI, not a literal name).
    public var hasVariable: Bool { word.contains("$") }
}

/// One line of a package list with its 1-based line number in the file it was read from.
public struct PackageListLine: Sendable, Hashable {
    public enum Content: Sendable, Hashable {
        /// Empty or only white space.
        case blank
        /// Only a comment (the comment text is in `comment`).
        case comment
        case packagesCommand(PackagesCommand)
        case packages([PackageReference])
        /// `PRELOAD URL DIRECTORY`: fetch a file before installing.
        case preload(url: String, directory: String)
        /// `PRELOADRM URL DIRECTORY`: fetch a file, remove it afterwards.
        case preloadRemove(url: String, directory: String)
    }

    /// 1-based line number in the file as read; 0 for a line made in code.
    public var number: Int
    public var content: Content
    /// The comment from the first `#` to the end of the line, `#` included.
    public var comment: String?
    /// The text as read and what it parsed to, so an unchanged line is written as read.
    private var source: Source?

    private struct Source: Sendable, Hashable {
        var text: String
        var content: Content
        var comment: String?
    }

    public init(_ content: Content, comment: String? = nil, number: Int = 0) {
        self.number = number
        self.content = content
        self.comment = comment
    }

    /// Parses one line (without its newline) the way install_packages' readconfig does.
    public init(parsing text: String, number: Int) {
        var body = Substring(text)
        var comment: String?
        if let hash = text.firstIndex(of: "#") {
            body = text[..<hash]
            comment = String(text[hash...])
        }
        let words = body.split(whereSeparator: \.isPackageListSpace).map(String.init)
        let content: Content
        if words.isEmpty {
            content = comment == nil ? .blank : .comment
        } else if body.hasPrefix("PACKAGES"), words[0] == "PACKAGES", words.count >= 2 {
            // readconfig: /^PACKAGES\s+(\S+)\s*(\S+=\S+)?\s*/, the rest is the class list.
            var rest = words.dropFirst(2)
            var option: String?
            if let first = rest.first, first.isOptionWord {
                option = first
                rest = rest.dropFirst()
            }
            content = .packagesCommand(PackagesCommand(command: words[1], option: option, classes: Array(rest)))
        } else if body.hasPrefix("PRELOAD"), words.count >= 3, words[0] == "PRELOAD" || words[0] == "PRELOADRM" {
            content = words[0] == "PRELOAD"
                ? .preload(url: words[1], directory: words[2])
                : .preloadRemove(url: words[1], directory: words[2])
        } else {
            content = .packages(words.map(PackageReference.init))
        }
        self.init(content, comment: comment, number: number)
        self.source = Source(text: text, content: content, comment: comment)
    }

    /// The packages on this line (empty for other kinds of line).
    public var packages: [PackageReference] {
        if case .packages(let packages) = content { return packages }
        return []
    }

    /// The line's text: as read when unchanged, else written in the canonical form.
    public var text: String {
        if let source, source.content == content, source.comment == comment { return source.text }
        var body: String
        switch content {
        case .blank, .comment:
            body = ""
        case .packagesCommand(let command):
            body = (["PACKAGES", command.command] + (command.option.map { [$0] } ?? []) + command.classes)
                .joined(separator: " ")
        case .packages(let packages):
            body = packages.map(\.word).joined(separator: " ")
        case .preload(let url, let directory):
            body = "PRELOAD \(url) \(directory)"
        case .preloadRemove(let url, let directory):
            body = "PRELOADRM \(url) \(directory)"
        }
        if let comment {
            body += body.isEmpty ? comment : " \(comment)"
        }
        return body
    }
}

extension Character {
    /// Perl's `\s` as readconfig splits words (space, tab, CR, form feed, vertical tab).
    var isPackageListSpace: Bool { self == " " || self == "\t" || self == "\r" || self == "\u{0B}" || self == "\u{0C}" }
}

extension String {
    /// `\S+=\S+`: a word with `=` that is neither first nor last.
    fileprivate var isOptionWord: Bool {
        guard let equals = firstIndex(of: "=") else { return false }
        return equals != startIndex && index(after: equals) != endIndex
    }
}

extension PackageList {
    /// Parses a package list from its bytes. Not UTF-8 text (a NUL byte, or invalid UTF-8) is
    /// an InputError at the first bad byte: FAI would read garbage as package names.
    public init(path: String, contents: [UInt8], mode: UInt32 = 0o644) throws(InputError) {
        _ = try decodeText(contents, path: path, expected: "a package list")
        // Split at the newline byte, not at Character "\n": "\r\n" is one Character in Swift.
        var rawLines = contents.split(separator: 0x0A, omittingEmptySubsequences: false)
        let endsWithNewline = rawLines.count > 1 && rawLines.last?.isEmpty == true
        if endsWithNewline || (rawLines.count == 1 && rawLines[0].isEmpty) { rawLines.removeLast() }
        var preamble: [PackageListLine] = []
        var sections: [PackageSection] = []
        for (index, raw) in rawLines.enumerated() {
            let line = PackageListLine(parsing: String(decoding: raw, as: UTF8.self), number: index + 1)
            if case .packagesCommand = line.content {
                sections.append(PackageSection(header: line))
            } else if sections.isEmpty {
                preamble.append(line)
            } else {
                sections[sections.count - 1].lines.append(line)
            }
        }
        self.init(path: path, mode: mode, preamble: preamble, sections: sections, endsWithNewline: endsWithNewline)
    }
}

/// Decodes bytes that must be text: UTF-8 without NUL. The error names the line and column
/// of the first offending byte.
func decodeText(_ bytes: [UInt8], path: String, expected: String) throws(InputError) -> String {
    if !bytes.contains(0), let text = String(validating: bytes, as: UTF8.self) { return text }
    // Find the first offending byte for the message; only reached for bad input.
    var line = 1, column = 1
    var index = 0
    while index < bytes.count {
        let byte = bytes[index]
        if byte == 0 {
            throw InputError(file: path, line: line, column: column,
                             "binary file (NUL byte) where \(expected) should be",
                             hint: "a text file is expected here; move binary files elsewhere")
        }
        let length: Int
        switch byte {
        case 0x01...0x7F: length = 1
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: length = 0
        }
        let end = index + length
        if length == 0 || end > bytes.count
            || String(validating: bytes[index..<end], as: UTF8.self) == nil {
            break
        }
        if byte == 0x0A { line += 1; column = 1 } else { column += 1 }
        index = end
    }
    throw InputError(file: path, line: line, column: column,
                     "binary file (not UTF-8 text) where \(expected) should be",
                     hint: "a UTF-8 text file is expected here")
}
