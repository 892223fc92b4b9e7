// ClassScriptReading: which classes the class scripts of a config space give a host, read from their text without running them.
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One class a class script prints, where it prints it.
public struct PrintedClass: Sendable, Hashable {
    public var name: String
    /// The class script, relative to the config space root (`class/50-host-classes`).
    public var path: String
    /// 1-based line of the `echo` that prints it.
    public var line: Int

    public init(name: String, path: String, line: Int) {
        self.name = name
        self.path = path
        self.line = line
    }
}

/// What executed class scripts print, as far as their text says it for certain: an `echo` of
/// literal class names at the top level of the script, and the `echo` of the arm of a top-level
/// `case $HOSTNAME in` that the host name selects (shell glob patterns, first match wins), as
/// fai-doc's `class/50-host-classes` is written. Anything under `if`, a loop, a function or a
/// variable is left out: the reading may miss classes, never invents one.
///
/// The scripts are read, not run: on the FAI server a class script would see the server's
/// hardware (fai-doc's `20-hwdetect.sh` loads kernel modules and writes /proc), and a hostile
/// or slow script could do anything; the one shape FAI's own example uses is easy to read.
public struct ClassScriptReading: Sendable {
    struct Arm: Sendable {
        var patterns: [String]
        var printed: [PrintedClass]
    }

    struct Script: Sendable {
        var always: [PrintedClass] = []
        /// The arms of each top-level `case $HOSTNAME in`, in order.
        var hostCases: [[Arm]] = []
    }

    var scripts: [Script] = []

    /// Reads every class script fai-class executes (not sourced `*.sh`, whose output it ignores).
    public init(_ classScripts: [ClassScript]) {
        for script in classScripts where script.isRun && script.kind == .executed {
            scripts.append(Self.read(String(decoding: script.file.contents, as: UTF8.self), path: script.file.path))
        }
    }

    /// The classes the scripts print for host `name`, in script order.
    public func classes(forHost name: String) -> [PrintedClass] {
        var out: [PrintedClass] = []
        for script in scripts {
            out += script.always
            for arms in script.hostCases {
                if let arm = arms.first(where: { $0.patterns.contains { Self.globMatches($0, name) } }) {
                    out += arm.printed
                }
            }
        }
        return out
    }

    static func globMatches(_ pattern: String, _ name: String) -> Bool {
        fnmatch(pattern, name, 0) == 0
    }

    private static let openers: Set<String> = ["if", "for", "while", "until", "case", "{", "select"]
    private static let closers: Set<String> = ["fi", "done", "esac", "}"]

    static func read(_ text: String, path: String) -> Script {
        var script = Script()
        var depth = 0
        // Inside a top-level `case $HOSTNAME in`: its arms so far, and whether an arm is open.
        var arms: [Arm]?
        var armOpen = false
        // Compound commands opened inside the current arm: an echo under them is conditional.
        var armDepth = 0
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            var line = Substring(raw)
            if let hash = line.firstIndex(of: "#"), hash == line.startIndex || line[line.index(before: hash)].isWhitespace {
                line = line[..<hash]
            }
            let trimmed = String(line.trimmingBlanks())
            if trimmed.isEmpty { continue }
            let words = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            if var current = arms, depth == 1 {
                if words.first == "esac" {
                    script.hostCases.append(current)
                    arms = nil
                    depth -= 1
                    continue
                }
                var body = Substring(trimmed)
                if !armOpen, let close = Self.armPatternEnd(body) {
                    let patterns = body[..<close].trimming { $0 == "(" || $0 == " " || $0 == "\t" }
                    current.append(Arm(patterns: patterns.split(separator: "|").map { Self.unquoted(String($0.trimmingBlanks())) },
                                       printed: []))
                    armOpen = true
                    body = body[body.index(after: close)...]
                }
                if armOpen {
                    let ends = body.contains(";;")
                    let statement = ends ? String(body[..<body.firstRange(of: ";;")!.lowerBound]) : String(body)
                    // Command by command, so `if X; then echo A; fi` counts as nested.
                    for command in statement.split(separator: ";") {
                        if armDepth == 0, let names = Self.echoedClasses(command) {
                            current[current.count - 1].printed += names.map { PrintedClass(name: $0, path: path, line: lineNumber) }
                        }
                        for word in command.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) {
                            if openers.contains(word) { armDepth += 1 }
                            if closers.contains(word) { armDepth = max(0, armDepth - 1) }
                        }
                    }
                    if ends {
                        armOpen = false
                        armDepth = 0
                    }
                }
                arms = current
                continue
            }
            if depth == 0, words.count >= 3, words[0] == "case", words.last == "in",
               ["$HOSTNAME", "\"$HOSTNAME\"", "${HOSTNAME}", "\"${HOSTNAME}\""].contains(words[1]) {
                arms = []
                armOpen = false
                armDepth = 0
                depth += 1
                continue
            }
            if depth == 0, let names = Self.echoedClasses(Substring(trimmed)) {
                script.always += names.map { PrintedClass(name: $0, path: path, line: lineNumber) }
            }
            for word in words {
                if openers.contains(word) { depth += 1 }
                if closers.contains(word) { depth = max(0, depth - 1) }
            }
        }
        return script
    }

    /// The `)` that ends a case arm's patterns, outside quotes.
    static func armPatternEnd(_ text: Substring) -> Substring.Index? {
        var quote: Character?
        for index in text.indices {
            let character = text[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == ")" {
                return index
            }
        }
        return nil
    }

    /// The class names of `echo WORDS` when every word is a literal class name; nil otherwise.
    static func echoedClasses(_ command: Substring) -> [String]? {
        let words = command.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { unquoted(String($0)) }
        guard words.first == "echo", words.count >= 2 else { return nil }
        var names: [String] = []
        for word in words.dropFirst() {
            for name in word.split(separator: " ") {
                guard FAIFacts.isSafeClassName(String(name)) else { return nil }
                names.append(String(name))
            }
        }
        return names
    }

    static func unquoted(_ word: String) -> String {
        word.filter { $0 != "\"" && $0 != "'" }
    }
}
