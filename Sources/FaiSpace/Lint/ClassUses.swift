// ClassUses: every place a config space names a class, and which classes it can define.

/// One place a class name is used: a file or directory named after it, a word after a
/// `PACKAGES` command, or a word in a hostname class file.
struct ClassUse: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// A file or directory FAI uses only for hosts in the class (`package_config/CLASS`).
        case perClassFile
        /// A class after `PACKAGES command`.
        case packagesLine
        /// A class listed in `class/HOSTNAME`.
        case hostClassFile
    }

    var name: String
    var path: String
    var line: Int
    var kind: Kind
    /// How FAI uses it, for messages: "package list", "disk_config", "fcopy variant", ...
    var what: String
}

extension ConfigSpace {
    /// Every class use, in path order.
    var classUses: [ClassUse] {
        var uses: [ClassUse] = []
        func perClass(_ name: String, _ path: String, _ what: String) {
            uses.append(ClassUse(name: name, path: path, line: 1, kind: .perClassFile, what: what))
        }
        for list in packageLists {
            perClass(list.className, list.path, "package list")
            for section in list.sections {
                guard let command = section.command, !command.isClassExpression else { continue }
                for name in command.classes {
                    uses.append(ClassUse(name: name, path: list.path, line: section.header.number,
                                         kind: .packagesLine, what: "PACKAGES line"))
                }
            }
        }
        for key in aptKeys { perClass(String(key.className.prefix { $0 != "." }), key.file.path, "apt key") }
        for disk in diskConfigs { perClass(disk.className, disk.file.path, "disk_config") }
        for debconf in debconfs { perClass(debconf.className, debconf.file.path, "debconf file") }
        for variables in classVariables { perClass(variables.className, variables.file.path, "class variables file") }
        for entry in fcopyEntries {
            for variant in entry.variants { perClass(variant.name, variant.path, "fcopy variant") }
        }
        var scriptDirectories: Set<String> = []
        for script in customizationScripts where script.isRun {
            let directory = script.file.path.parentPath
            if scriptDirectories.insert(directory).inserted { perClass(script.className, directory, "scripts directory") }
        }
        for hook in hooks where !hook.file.name.hasSuffix(".source") {
            perClass(hook.className, hook.file.path, "hook")
        }
        for host in hostClassFiles {
            let lines = String(decoding: host.file.contents, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            // fai-class: grep -v "^#" $HOSTNAME, then every word is a class.
            for (index, line) in lines.enumerated() where !line.hasPrefix("#") {
                for word in line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }) {
                    uses.append(ClassUse(name: String(word), path: host.file.path, line: index + 1,
                                         kind: .hostClassFile, what: "hostname class file"))
                }
            }
        }
        return uses.sorted { ($0.path, $0.line, $0.name) < ($1.path, $1.line, $1.name) }
    }
}

/// The classes a config space can define, judged from its text without running anything.
/// Deliberately generous: a class counts as definable when any file in `class/` (class
/// scripts and the data files they read, like `*.profile`) or any `setup`/`defclass` hook
/// (which may set `ADDCLASSES`) contains it as a word, or contains a word like `${c}_EFI`
/// that can expand to it; when a hostname class file lists it; when it is `DEFAULT` or
/// `LAST`; and when it is lower case, the form of the hostname class.
struct DefinableClasses: Sendable {
    var words: Set<String> = []
    /// Words with variables, as literal pieces between which anything may stand.
    var patterns: [[String]] = []

    init(_ space: ConfigSpace) {
        var texts: [[UInt8]] = space.classScripts.map(\.file.contents)
        texts += space.otherFiles.filter { $0.path.parentPath == "class" }.map(\.contents)
        texts += space.hooks.filter { ["setup", "defclass"].contains($0.task) }.map(\.file.contents)
        for text in texts { scan(String(decoding: text, as: UTF8.self)) }
        words.formUnion(FAIFacts.alwaysDefinedClasses)
        for host in space.hostClassFiles { words.formUnion(host.classes) }
    }

    func contains(_ name: String) -> Bool {
        if words.contains(name) || FAIFacts.isHostnameLike(name) { return true }
        return patterns.contains { Self.matches(name, pieces: $0) }
    }

    /// Splits shell text into words at blanks, quotes and operators; a word with `$` becomes
    /// a pattern when its literal part names something (`${c}_EFI`), else it is ignored
    /// (a bare `$classes` could be anything, and would make every class definable).
    private mutating func scan(_ text: String) {
        let separators: Set<Character> = [" ", "\t", "\n", "\r", "\"", "'", "`", ";", "|", "&", "<", ">", "(", ")", "=", ","]
        for raw in text.split(whereSeparator: { separators.contains($0) }) {
            if raw.contains("$") {
                let pieces = Self.literalPieces(raw)
                if pieces.contains(where: { $0.count >= 2 && $0.contains(where: \.isUppercase) }) {
                    patterns.append(pieces)
                }
            } else {
                for word in raw.split(whereSeparator: { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-")) }) {
                    words.insert(String(word))
                }
            }
        }
    }

    /// `${c}_EFI` → ["", "_EFI"]: the literal text around each `$NAME` or `${...}`.
    static func literalPieces(_ word: Substring) -> [String] {
        var pieces: [String] = [""]
        var index = word.startIndex
        while index < word.endIndex {
            let character = word[index]
            guard character == "$" else {
                pieces[pieces.count - 1].append(character)
                index = word.index(after: index)
                continue
            }
            var next = word.index(after: index)
            if next < word.endIndex, word[next] == "{" {
                next = word[next...].firstIndex(of: "}").map { word.index(after: $0) } ?? word.endIndex
            } else {
                next = word[next...].firstIndex { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_")) } ?? word.endIndex
            }
            pieces.append("")
            index = next
        }
        return pieces
    }

    /// Whether `name` is the pieces in order with anything (or nothing) between them.
    static func matches(_ name: String, pieces: [String]) -> Bool {
        var rest = Substring(name)
        for (position, piece) in pieces.enumerated() {
            if position == 0 {
                guard rest.hasPrefix(piece) else { return false }
                rest = rest.dropFirst(piece.count)
            } else if position == pieces.count - 1 {
                return rest.hasSuffix(piece)
            } else if let range = rest.firstRange(of: piece) {
                rest = rest[range.upperBound...]
            } else {
                return false
            }
        }
        return rest.isEmpty
    }
}
