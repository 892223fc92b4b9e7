// InputError: the one shape of every user-facing error: where, what is wrong, what to do.

/// A place in an input file. Line and column are 1-based; either may be unknown.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?

    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String {
        var text = file
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        return text
    }
}

/// An error caused by the input (a file, a spec, an argument), never by faigen itself.
/// Printed as `FILE:LINE:COLUMN: message (what to do)` on one line.
public struct InputError: Error, Sendable, Hashable, CustomStringConvertible {
    public var location: SourceLocation?
    public var message: String
    public var hint: String?

    public init(_ location: SourceLocation?, _ message: String, hint: String? = nil) {
        self.location = location
        self.message = message
        self.hint = hint
    }

    public init(file: String, line: Int? = nil, column: Int? = nil, _ message: String, hint: String? = nil) {
        self.init(SourceLocation(file: file, line: line, column: column), message, hint: hint)
    }

    /// An error about an input file as a whole (missing, not a regular file, unreadable): it
    /// points at the file's start, `FILE:1:1:`, so it reads (and an editor jumps) like every
    /// other input error.
    public init(wholeFile file: String, _ message: String, hint: String? = nil) {
        self.init(SourceLocation(file: file, line: 1, column: 1), message, hint: hint)
    }

    public var description: String {
        var text = ""
        if let location { text = "\(location): " }
        text += message
        if let hint { text += " (\(hint))" }
        return text.replacingNewlines()
    }
}

extension String {
    /// Keeps a diagnostic on one line even when it quotes input with line breaks.
    func replacingNewlines() -> String {
        var out = ""
        out.reserveCapacity(count)
        for ch in self {
            switch ch {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.append(ch)
            }
        }
        return out
    }
}
