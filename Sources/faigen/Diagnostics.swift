// Diagnostics: how the CLI prints errors and maps them to exit codes.
import ArgumentParser
import FaiSpace

import Foundation

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
        FileHandle.standardError.write(Data(string.utf8))
    }
}
