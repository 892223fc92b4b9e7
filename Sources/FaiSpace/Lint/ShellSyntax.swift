// ShellSyntax: which shell runs a script (from its #! line), and that shell's -n verdict on it.
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The `#!` line of a script, split the way the kernel does: interpreter path, then at most
/// one argument.
public struct Shebang: Sendable, Hashable {
    public var interpreter: String
    public var argument: String?

    /// Nil when the bytes do not start with `#!`.
    public init?(_ bytes: some Collection<UInt8>) {
        guard bytes.starts(with: [0x23, 0x21]) else { return nil }  // "#!"
        let firstLine = bytes.dropFirst(2).prefix { $0 != 0x0A }
        let text = String(String(decoding: firstLine, as: UTF8.self).trimmingBlanks())
        let parts = text.split(maxSplits: 1, whereSeparator: { $0 == " " || $0 == "\t" })
        guard let first = parts.first else { return nil }
        interpreter = String(first)
        argument = parts.count > 1 ? String(parts[1].trimmingBlanks()) : nil
    }

    /// The program that ends up running the script: `bash` for `#!/usr/bin/env bash`.
    public var programName: String {
        let base = String(interpreter.split(separator: "/").last ?? "")
        if base == "env", let argument {
            // `env -S bash -e` and `env bash` both name the program in their first non-option word.
            return argument.split(separator: " ").first { !$0.hasPrefix("-") }.map(String.init) ?? base
        }
        return base
    }
}

/// A syntax error a shell reported for a script.
public struct ShellSyntaxError: Sendable, Hashable {
    public var line: Int
    public var message: String
}

/// Runs `SHELL -n FILE`, which parses without executing anything.
public enum ShellSyntax {
    /// Directories searched for a shell named by `#!/usr/bin/env NAME` or missing at its path.
    static let searchPath = ["/usr/bin", "/bin", "/usr/local/bin", "/usr/sbin", "/sbin"]

    /// The executable for a shell name, or nil when it is not a shell with `-n` or not installed.
    public static func shellExecutable(named name: String, preferred path: String? = nil) -> String? {
        guard FAIFacts.syntaxCheckingShells.contains(name) else { return nil }
        if let path, path.hasPrefix("/"), path.hasSuffix("/" + name),
           FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        return searchPath.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// What `shell -n` said about a file.
    public enum Outcome: Sendable, Hashable {
        case parses
        case syntaxError(ShellSyntaxError)
        /// Killed at lint's time limit for one file.
        case timedOut
        /// Not a regular file within lint's size limit when the shell was to read it.
        case notChecked
    }

    /// `shell -n` over a file, given on its standard input (`/dev/stdin` names it, so a file
    /// name with a newline cannot garble the message), bounded by `limits`. Throws when the
    /// shell cannot be started. `lineCount` keeps an "unexpected end of file" past the last
    /// line pointing at the last line.
    public static func check(file: String, shell: String, lineCount: Int, limits: LintLimits = .standard) throws(InputError) -> Outcome {
        guard let input = ToolRun.openInput(file, limit: limits.maxFileBytes) else { return .notChecked }
        let result = try ToolRun.run(shell, ["-n", "/dev/stdin"], input: input, seconds: limits.toolSeconds)
        if result.timedOut { return .timedOut }
        guard result.status != 0 else { return .parses }
        return .syntaxError(parse(diagnostics: String(decoding: result.output, as: UTF8.self), file: "/dev/stdin", lineCount: lineCount))
    }

    /// Reads bash's `FILE: line N: message` and dash's `FILE: N: message`; a shell that
    /// fails without either still fails, at line 1.
    static func parse(diagnostics: String, file: String, lineCount: Int) -> ShellSyntaxError {
        let lines = diagnostics.split(separator: "\n").map(String.init)
        for raw in lines {
            var rest = Substring(raw)
            if rest.hasPrefix(file + ":") { rest = rest.dropFirst(file.count + 1) }
            rest = rest.drop { $0 == " " }
            if rest.hasPrefix("line ") { rest = rest.dropFirst(5) }
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard let number = Int(digits), rest.dropFirst(digits.count).hasPrefix(":") else { continue }
            let message = String(rest.dropFirst(digits.count + 1).trimmingBlanks())
            if message.hasPrefix("warning:") { continue }
            return ShellSyntaxError(line: min(max(number, 1), max(lineCount, 1)), message: message)
        }
        let message = lines.first { !$0.isEmpty }?.replacing(file + ": ", with: "")
        return ShellSyntaxError(line: 1, message: message ?? "the shell rejected the script")
    }
}

/// Whether bytes are text: no NUL and no C0 control character a text file would not hold.
/// Encoding is not judged: Latin-1 debconf answers are text too.
public enum TextContent {
    public static func isText(_ bytes: some Sequence<UInt8>) -> Bool {
        for byte in bytes where byte < 0x20 {
            switch byte {
            case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B, 0x08: continue  // tab, newlines, form feed, escape, backspace
            default: return false
            }
        }
        return true
    }

    /// The first non-text byte's line (1-based), for pointing a finding at it.
    public static func lineOfFirstNonText(_ bytes: [UInt8]) -> Int {
        var line = 1
        for byte in bytes {
            if byte == 0x0A { line += 1; continue }
            if !isText(CollectionOfOne(byte)) { return line }
        }
        return line
    }
}
