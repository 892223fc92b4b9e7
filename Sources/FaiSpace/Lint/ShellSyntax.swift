// ShellSyntax: which shell runs a script (from its #! line), and that shell's -n verdict on it.
import Foundation
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
        let text = String(decoding: firstLine, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        let parts = text.split(maxSplits: 1, whereSeparator: { $0 == " " || $0 == "\t" })
        guard let first = parts.first else { return nil }
        interpreter = String(first)
        argument = parts.count > 1 ? String(parts[1]).trimmingCharacters(in: .whitespaces) : nil
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

    /// The first syntax error `shell -n file` reports, nil when it parses. Throws when the
    /// shell cannot be started. `lineCount` keeps an "unexpected end of file" past the last
    /// line pointing at the last line.
    public static func check(file: String, shell: String, lineCount: Int) throws(InputError) -> ShellSyntaxError? {
        let (exitStatus, diagnostics) = try runCollectingErrors(shell, ["-n", file])
        guard exitStatus != 0 else { return nil }
        return parse(diagnostics: String(decoding: diagnostics, as: UTF8.self), file: file, lineCount: lineCount)
    }

    /// Runs a program with stdin and stdout on /dev/null and returns its exit status (-1 when
    /// a signal ended it) and what it wrote to stderr. posix_spawn and waitpid, not
    /// Foundation's Process, whose exit polling costs tens of milliseconds per run.
    static func runCollectingErrors(_ executable: String, _ arguments: [String]) throws(InputError) -> (Int32, [UInt8]) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else {
            throw InputError(file: executable, "cannot make a pipe: \(String(cString: strerror(errno)))")
        }
        // Close-on-exec, so other children do not keep the write end open. A child spawned by
        // another thread between pipe and fcntl may still hold it until it exits: a short
        // delay for this read, never a hang, since every child here is a `-n` run.
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        close(fds[1])
        guard spawned == 0 else {
            close(fds[0])
            throw InputError(file: executable, "cannot run: \(String(cString: strerror(spawned)))")
        }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            output += buffer[0..<count]
        }
        close(fds[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS, which Swift does not import as functions.
        let exitStatus: Int32 = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : -1
        return (exitStatus, output)
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
            let message = rest.dropFirst(digits.count + 1).trimmingCharacters(in: .whitespaces)
            if message.hasPrefix("warning:") { continue }
            return ShellSyntaxError(line: min(max(number, 1), max(lineCount, 1)), message: message)
        }
        let message = lines.first { !$0.isEmpty }?.replacingOccurrences(of: file + ": ", with: "")
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
