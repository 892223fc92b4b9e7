// PCRE2: a compiled, immutable, thread-safe libpcre2-8 pattern matched over UTF-8 bytes without copying.
import CPCRE2

/// Compile options of a ``PCRE2Regex``; each maps to one `PCRE2_*` compile flag.
public struct PCRE2Options: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `PCRE2_CASELESS`: letters match either case (`pcre2grep -i`).
    public static let caseless = PCRE2Options(rawValue: PCRE2_CASELESS)
    /// `PCRE2_MULTILINE`: `^` and `$` also match at line starts and ends inside the subject.
    public static let multiline = PCRE2Options(rawValue: PCRE2_MULTILINE)
    /// `PCRE2_DOTALL`: `.` also matches a newline.
    public static let dotAll = PCRE2Options(rawValue: PCRE2_DOTALL)
    /// `PCRE2_UTF` plus `PCRE2_MATCH_INVALID_UTF`: the pattern and subject are UTF-8 characters,
    /// and a subject with invalid UTF-8 is still searched (the bad bytes never match) instead of
    /// failing, because kernel logs and firmware strings are not guaranteed to be valid UTF-8.
    public static let utf = PCRE2Options(rawValue: PCRE2_UTF | PCRE2_MATCH_INVALID_UTF)
    /// `PCRE2_EXTENDED`: whitespace in the pattern is ignored and `#` starts a comment.
    public static let extended = PCRE2Options(rawValue: PCRE2_EXTENDED)
    /// `PCRE2_UCP`: `\d`, `\w`, `\s` and POSIX classes use Unicode properties (needs `utf`).
    public static let ucp = PCRE2Options(rawValue: PCRE2_UCP)
    /// `PCRE2_ANCHORED`: the match must start at the start offset.
    public static let anchored = PCRE2Options(rawValue: PCRE2_ANCHORED)
}

/// A pattern PCRE2 refused, with PCRE2's own message and the byte offset in the pattern where it stopped.
public struct PCRE2CompileError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    public let offset: Int
    public let pattern: String

    public init(message: String, offset: Int, pattern: String) {
        self.message = message
        self.offset = offset
        self.pattern = pattern
    }

    public var description: String { "invalid PCRE2 pattern at offset \(offset): \(message)" }
}

/// A PCRE2 pattern compiled once (JIT-compiled when the library supports it).
///
/// The compiled code is never changed after `init`, and every match allocates its own match
/// data, so one instance can be shared by any number of threads (PCRE2 documents compiled code
/// as read-only during matching). Everything PCRE2 allocated is freed in `deinit`.
public final class PCRE2Regex: @unchecked Sendable {
    public let pattern: String
    public let options: PCRE2Options
    /// Whether PCRE2's JIT compiled this pattern (false on platforms without JIT support).
    public let isJITCompiled: Bool
    private let code: OpaquePointer

    /// Compiles `pattern`. `jit: false` skips JIT compilation, which costs more than it saves
    /// for a pattern matched a few times against short subjects (one DMI string, say).
    public init(_ pattern: String, options: PCRE2Options = [], jit: Bool = true) throws {
        var errorCode: Int32 = 0
        var errorOffset: Int = 0
        // A trailing NUL keeps the pointer valid for the empty pattern; the length excludes it.
        let bytes = Array(pattern.utf8) + [0]
        let compiled: OpaquePointer? = bytes.withUnsafeBufferPointer { buffer in
            pcre2_compile_8(buffer.baseAddress, buffer.count - 1, options.rawValue,
                            &errorCode, &errorOffset, nil)
        }
        guard let compiled else {
            throw PCRE2CompileError(message: PCRE2Regex.message(for: errorCode), offset: errorOffset,
                                    pattern: pattern)
        }
        self.pattern = pattern
        self.options = options
        self.code = compiled
        // JIT failure (no JIT on this CPU, or memory) is not an error: the interpreter still matches.
        self.isJITCompiled = jit && pcre2_jit_compile_8(compiled, PCRE2_JIT_COMPLETE) == 0
    }

    deinit {
        pcre2_code_free_8(code)
    }

    /// Whether the pattern matches anywhere in `subject`; the bytes are read in place.
    public func matches(_ subject: UnsafeRawBufferPointer) -> Bool {
        firstMatch(in: subject) != nil
    }

    public func matches(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { matches($0) }
    }

    public func matches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { matches(UnsafeRawBufferPointer($0)) }
    }

    /// The byte range of the leftmost match at or after `start`, or nil when there is none.
    /// A subject PCRE2 cannot search (for example invalid UTF-8 without the `utf` option's
    /// invalid-UTF mode) counts as no match: a search never traps.
    public func firstMatch(in subject: UnsafeRawBufferPointer, from start: Int = 0) -> Range<Int>? {
        withScanner { $0.firstMatch(in: subject, from: start) }
    }

    /// Runs `body` with a scanner that reuses one match data for many searches on this thread,
    /// which saves an allocation per search when matching line by line. A JIT-compiled pattern
    /// gets the JIT stack pcre2grep gives its patterns (32 KiB growing to 1 MiB), so a pattern
    /// that needs more than PCRE2's default 32 KiB fails (or not) exactly as in pcre2grep; the
    /// match, depth and heap limits are PCRE2's defaults, which pcre2grep uses too. The JIT
    /// stack (a 1 MiB mapping) is made only when a search runs out of the default 32 KiB, and
    /// that search is run again with it: matching is deterministic, so the outcome is
    /// pcre2grep's either way, and the many short searches of a render map nothing.
    public func withScanner<Result>(_ body: (Scanner) throws -> Result) rethrows -> Result {
        let scanner = Scanner(code: code, matchData: pcre2_match_data_create_from_pattern_8(code, nil),
                              jit: isJITCompiled ? JITStack() : nil)
        defer {
            if let matchData = scanner.matchData { pcre2_match_data_free_8(matchData) }
        }
        return try withExtendedLifetime(self) { try body(scanner) }
    }

    /// A match context holding pcre2grep's JIT stack, made on first need, freed with the scanner.
    fileprivate final class JITStack {
        private(set) var context: OpaquePointer?
        private var stack: OpaquePointer?

        /// Makes the context and stack; false when PCRE2 could not allocate them.
        func make() -> Bool {
            if context != nil { return true }
            guard let created = pcre2_match_context_create_8(nil) else { return false }
            guard let stack = pcre2_jit_stack_create_8(32 * 1024, 1024 * 1024, nil) else {
                pcre2_match_context_free_8(created)
                return false
            }
            pcre2_jit_stack_assign_8(created, nil, UnsafeMutableRawPointer(stack))
            self.context = created
            self.stack = stack
            return true
        }

        deinit {
            if let context { pcre2_match_context_free_8(context) }
            if let stack { pcre2_jit_stack_free_8(stack) }
        }
    }

    /// What one search gave.
    public enum Outcome: Sendable, Hashable {
        /// The byte range of the leftmost match.
        case match(Range<Int>)
        case noMatch
        /// PCRE2 gave up: a resource limit (match, depth, heap or JIT stack limit) or another
        /// error; `code` is PCRE2's negative error code, `message` its text.
        case error(code: Int32, message: String)

        public var isResourceLimit: Bool {
            guard case .error(let code, _) = self else { return false }
            return [PCRE2_ERROR_MATCHLIMIT, PCRE2_ERROR_DEPTHLIMIT, PCRE2_ERROR_HEAPLIMIT, PCRE2_ERROR_JIT_STACKLIMIT]
                .contains(code)
        }
    }

    /// Searches with one regex and one match data; valid only inside ``withScanner(_:)``,
    /// which frees the match data when it returns (do not keep a copy).
    public struct Scanner {
        fileprivate let code: OpaquePointer
        fileprivate let matchData: OpaquePointer?
        fileprivate let jit: JITStack?

        fileprivate init(code: OpaquePointer, matchData: OpaquePointer?, jit: JITStack?) {
            self.code = code
            self.matchData = matchData
            self.jit = jit
        }

        /// The byte range of the leftmost match at or after `start` in `subject`, or nil: no
        /// match, or an error (a resource limit, or a subject PCRE2 refuses), never a trap.
        public func firstMatch(in subject: UnsafeRawBufferPointer, from start: Int = 0) -> Range<Int>? {
            guard case .match(let range) = search(subject, from: start) else { return nil }
            return range
        }

        /// The leftmost match at or after `start` in `subject`, no match, or PCRE2's error.
        public func search(_ subject: UnsafeRawBufferPointer, from start: Int = 0) -> Outcome {
            guard let matchData else { return .error(code: PCRE2_ERROR_NOMEMORY, message: PCRE2Regex.message(for: PCRE2_ERROR_NOMEMORY)) }
            guard start >= 0, start <= subject.count else { return .noMatch }
            func match(_ context: OpaquePointer?) -> Int32 {
                if let base = subject.baseAddress {
                    return pcre2_match_8(code, base.assumingMemoryBound(to: UInt8.self), subject.count, start, 0,
                                         matchData, context)
                }
                // PCRE2 10.42 wants a non-null subject even when it is empty.
                var empty: UInt8 = 0
                return pcre2_match_8(code, &empty, 0, 0, 0, matchData, context)
            }
            var result = match(jit?.context)
            if result == PCRE2_ERROR_JIT_STACKLIMIT, let jit, jit.context == nil, jit.make() {
                result = match(jit.context)
            }
            if result == PCRE2_ERROR_NOMATCH { return .noMatch }
            guard result >= 0 else { return .error(code: result, message: PCRE2Regex.message(for: result)) }
            guard let ovector = pcre2_get_ovector_pointer_8(matchData) else { return .noMatch }
            let lower = ovector[0], upper = ovector[1]
            // \K inside a lookahead can report an end before the start; keep the range valid.
            return .match(lower <= upper ? lower..<upper : upper..<lower)
        }

        public func matches(_ subject: UnsafeRawBufferPointer) -> Bool {
            firstMatch(in: subject) != nil
        }
    }

    public func firstMatch(in bytes: [UInt8]) -> Range<Int>? {
        bytes.withUnsafeBytes { firstMatch(in: $0) }
    }

    /// Whether this libpcre2 was built with JIT support.
    public static var jitAvailable: Bool {
        var value: UInt32 = 0
        return pcre2_config_8(UInt32(PCRE2_CONFIG_JIT), &value) >= 0 && value == 1
    }

    /// PCRE2's own text for an error code (compile or match).
    static func message(for errorCode: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = buffer.withUnsafeMutableBufferPointer {
            pcre2_get_error_message_8(errorCode, $0.baseAddress, $0.count)
        }
        guard length > 0 else { return "PCRE2 error \(errorCode)" }
        return String(decoding: buffer[0..<Int(length)], as: UTF8.self)
    }
}
