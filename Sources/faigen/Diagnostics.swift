// Diagnostics: how the CLI prints errors and maps them to exit codes.
import ArgumentParser
import FaiSpace
import Glibc

enum Diagnostics {
    /// Prints one line to standard error.
    static func error(_ text: String) {
        var stderr = StandardError()
        print("faigen: error: \(text)", to: &stderr)
    }

    /// Prints one line to standard error about what faigen is doing (not a problem).
    static func note(_ text: String) {
        var stderr = StandardError()
        print("faigen: \(text)", to: &stderr)
    }

    static func warning(_ text: String) {
        var stderr = StandardError()
        print("faigen: warning: \(text)", to: &stderr)
    }

    /// A render check's finding, its path below `root` (the config space it is about).
    static func warning(_ finding: Finding, root: String?) {
        warning("\(root.map { $0.joiningPath(finding.path) } ?? finding.path):\(finding.line): \(finding.message) [\(finding.check)]")
    }

    /// Runs a subcommand body; input errors become one line and exit code 2.
    static func run(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as InputError {
            Self.error(error.description)
            throw ExitCode(2)
        }
    }
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        // Straight to file descriptor 2, unbuffered, as FileHandle.standardError wrote.
        var bytes = Array(string.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }
}
