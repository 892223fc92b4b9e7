// LinePattern: a PCRE2 pattern with pcre2grep's meaning, "matches some line of the text", made fast and bounded.
import Dispatch
import FoundationEssentials

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What `pcre2grep -q PATTERN` says about a text, line by line: the first line it stops at
/// (exit 0), or none (exit 1), or why it gives up (exit 2), and the lines on which PCRE2 hit a
/// resource limit on the way (pcre2grep reports each, counts it as not matching and reads on).
public struct LineSearch: Sendable, Hashable {
    /// The first matching line (without its newline); nil when there is none or the search gave up.
    public var line: Range<Int>?
    /// Lines before the answer on which PCRE2 hit its match, depth, heap or JIT stack limit.
    public var limitErrors: Int
    /// Why there is no answer: pcre2grep would exit 2 (a line too long for its buffer, too many
    /// errors), or the detection's time budget ran out. Nil when the search answered.
    public var failure: String?

    public init(line: Range<Int>? = nil, limitErrors: Int = 0, failure: String? = nil) {
        self.line = line
        self.limitErrors = limitErrors
        self.failure = failure
    }
}

/// A deadline shared by every pattern of one detection: checked between lines, so a detection
/// ends within the budget plus the cost of one line (one PCRE2 call, itself bounded by PCRE2's
/// match limit). `unlimited` never runs out.
public struct MatchBudget: Sendable {
    /// CLOCK_MONOTONIC nanoseconds; nil: no deadline.
    let deadline: UInt64?

    public static let unlimited = MatchBudget(deadline: nil)

    /// A budget of `seconds` from now.
    public static func seconds(_ seconds: Double) -> MatchBudget {
        MatchBudget(deadline: now() + UInt64(max(0, seconds) * 1e9))
    }

    /// The bound on matching in one `faigen detect`, documented in docs/detect.md.
    public static let detectionSeconds = 10.0

    var isExhausted: Bool {
        guard let deadline else { return false }
        return MatchBudget.now() > deadline
    }

    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}

/// A rule pattern. It fires when it matches at least one line of the evidence text, each line
/// searched on its own without its newline, exactly as `pcre2grep -q PATTERN` (or `-i` when
/// ``caseless``) does: `^` and `$` are the line's ends, and nothing can see a neighbouring line.
/// pcre2grep's other outcomes are kept too: a line on which PCRE2 hits a resource limit does
/// not match and the search reads on; the 22nd such line ends the search without an answer
/// ("Too many errors"), and so does a line longer than pcre2grep's buffer holds.
///
/// Checking a large kernel log line by line costs one PCRE2 call per line, so for patterns that
/// cannot tell a line inside the log from a line on its own (see ``isLineLocal``) the whole text
/// is searched once in multiline mode to find candidate lines, and only those lines are checked
/// on their own. Other patterns are matched line by line. Both ways give pcre2grep's answer.
/// A line longer than the kernel ever prints (``longLine``) is handed to PCRE2 only when it
/// holds, in order, the literal text one alternative of the pattern needs (``RequiredLiterals``):
/// a search for `ACPI:.*Xen.*HVM` tries every `ACPI:` of the line and is quadratic in its length.
public struct LinePattern: Sendable {
    /// The pattern as written in the rule.
    public let pattern: String
    /// Whether letters match either case (`pcre2grep -i`).
    public let caseless: Bool
    /// The pattern compiled for one line at a time (pcre2grep's view).
    public let lineRegex: PCRE2Regex
    /// The pattern compiled for a whole-text search, when that search finds every matching line.
    let textRegex: PCRE2Regex?
    /// The literal text each alternative needs; nil when some alternative needs none.
    let literals: RequiredLiterals?

    /// Compiles `pattern`; `largeText` (the kernel log) JIT-compiles it, as pcre2grep does, and
    /// prepares the whole-text search, which only pays off on long texts.
    public init(_ pattern: String, caseless: Bool = false, largeText: Bool = false) throws {
        self.pattern = pattern
        self.caseless = caseless
        let options: PCRE2Options = caseless ? [.caseless] : []
        lineRegex = try PCRE2Regex(pattern, options: options, jit: largeText)
        textRegex = largeText && LinePattern.isLineLocal(pattern)
            ? try PCRE2Regex(pattern, options: options.union(.multiline), jit: true) : nil
        literals = RequiredLiterals(pattern, caseless: caseless)
    }

    /// Lines from this length on are checked for the pattern's literals before PCRE2 sees them.
    /// The kernel prints at most 1024 bytes a record, so a real kernel log never has one.
    static let longLine = 1024

    /// The first line of `text` the pattern matches (without its newline), or nil (no match, or
    /// pcre2grep would give up).
    public func firstMatchingLine(in text: UnsafeRawBufferPointer) -> Range<Int>? {
        search(text).line
    }

    /// What `pcre2grep -q` says on `text`, with the time `budget` (see ``MatchBudget``).
    public func search(_ text: UnsafeRawBufferPointer, budget: MatchBudget = .unlimited) -> LineSearch {
        let layout = Pcre2grepBuffer.layout(of: text)
        var result = search(text, from: 0, upTo: layout.refusedLine?.lowerBound ?? text.count, longLines: layout.hasLongLine,
                            budget: budget, errorsBefore: 0)
        if result.line == nil, result.failure == nil, let refused = layout.refusedLine {
            result.failure = Pcre2grepBuffer.refusal(text, line: refused)
        }
        return result
    }

    /// The search of the lines in `text[from..<end]` (`from` at a line start, `end` after a
    /// newline or at the text's end), after `errorsBefore` limit errors; ranges and messages
    /// count from the start of `text`.
    func search(_ text: UnsafeRawBufferPointer, from: Int, upTo end: Int, longLines: Bool, budget: MatchBudget,
                errorsBefore: Int) -> LineSearch {
        var errors = errorsBefore
        // Nothing after `end` is seen; what comes before `from` is only ever a newline's far side.
        let subject = UnsafeRawBufferPointer(rebasing: text[0..<end])
        func gaveUp(_ reason: String) -> LineSearch { LineSearch(limitErrors: errors - errorsBefore, failure: reason) }
        return lineRegex.withScanner { lineScanner -> LineSearch in
            /// pcre2grep's verdict on one line: nil to read on, or the search's result.
            func check(_ line: Range<Int>) -> LineSearch? {
                let bytes = UnsafeRawBufferPointer(rebasing: subject[line])
                if line.count >= LinePattern.longLine, let literals, !literals.mayMatch(bytes) { return nil }
                switch lineScanner.search(bytes) {
                case .match: return LineSearch(line: line, limitErrors: errors - errorsBefore)
                case .noMatch: return nil
                case .error(_, let message):
                    errors += 1
                    // pcre2grep: `if (error_count++ > 20)` abandons at the 22nd error.
                    if errors > Pcre2grepBuffer.maxErrors {
                        return gaveUp("PCRE2 failed on \(errors) lines (the last, line \(LinePattern.lineNumber(of: line.lowerBound, in: subject)): \(message)); pcre2grep abandons the search after \(Pcre2grepBuffer.maxErrors)")
                    }
                    return nil
                }
            }
            func lineByLine(from start: Int) -> LineSearch {
                var start = start
                // The empty piece after a final newline (or of an empty text) is no line, as in pcre2grep.
                while start < end {
                    if budget.isExhausted { return gaveUp(LinePattern.budgetMessage(at: start, in: subject)) }
                    let lineEnd = LinePattern.lineEnd(in: subject, from: start)
                    if let verdict = check(start..<lineEnd) { return verdict }
                    start = lineEnd + 1
                }
                return LineSearch(limitErrors: errors - errorsBefore)
            }
            // A long line makes the whole-text search quadratic: go line by line, with the literal check.
            guard let textRegex, !longLines else { return lineByLine(from: from) }
            return textRegex.withScanner { textScanner -> LineSearch in
                var start = from
                while start < end {
                    if budget.isExhausted { return gaveUp(LinePattern.budgetMessage(at: start, in: subject)) }
                    switch textScanner.search(subject, from: start) {
                    case .noMatch:
                        return LineSearch(limitErrors: errors - errorsBefore)
                    case .error:
                        // The whole-text search hit a limit somewhere after `start`: which lines hit
                        // it on their own only pcre2grep's way tells.
                        return lineByLine(from: start)
                    case .match(let hit):
                        let line = LinePattern.line(in: subject, containing: hit.lowerBound)
                        // The empty piece after a final newline (or of an empty text) is no line.
                        if line.lowerBound == end { return LineSearch(limitErrors: errors - errorsBefore) }
                        // Lines before the candidate hold no match of the whole-text search, so
                        // none on their own; the candidate itself is checked as pcre2grep would.
                        if let verdict = check(line) { return verdict }
                        // A candidate that does not hold on its own line (it spanned a newline):
                        // go on from the next line.
                        start = line.upperBound + 1
                    }
                }
                return LineSearch(limitErrors: errors - errorsBefore)
            }
        }
    }

    static func budgetMessage(at offset: Int, in text: UnsafeRawBufferPointer) -> String {
        "the time budget of the detection ran out at line \(lineNumber(of: offset, in: text)) (see docs/detect.md)"
    }

    /// The 1-based number of the line holding byte `offset`.
    static func lineNumber(of offset: Int, in text: UnsafeRawBufferPointer) -> Int {
        guard let base = text.baseAddress else { return 1 }
        var count = 1
        var cursor = 0
        let limit = min(offset, text.count)
        while cursor < limit, let found = memchr(base + cursor, 0x0A, limit - cursor) {
            count += 1
            cursor = base.distance(to: UnsafeRawPointer(found)) + 1
        }
        return count
    }

    public func matches(_ text: UnsafeRawBufferPointer) -> Bool {
        firstMatchingLine(in: text) != nil
    }

    public func matches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { matches(UnsafeRawBufferPointer($0)) }
    }

    /// Whether a multiline search of the whole text finds a match starting in every line that
    /// matches on its own. It can miss one only when the pattern looks outside the line or at
    /// the subject's ends (`\A`, `\z`, `\Z`, `\G`, lookaround), gives up backtracking (possessive
    /// quantifiers, atomic groups, verbs), or turns multiline off; extra candidates are harmless
    /// because every candidate line is checked on its own. This check is textual and cautious:
    /// when in doubt it says no, and the pattern is matched line by line.
    static func isLineLocal(_ pattern: String) -> Bool {
        let bytes = Array(pattern.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let next: UInt8? = index + 1 < bytes.count ? bytes[index + 1] : nil
            switch byte {
            case UInt8(ascii: "\\"):
                if let next, Array("AzZGK".utf8).contains(next) { return false }
                index += 2
                continue
            case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "}"):
                if next == UInt8(ascii: "+") { return false }
            case UInt8(ascii: "("):
                if next == UInt8(ascii: "*") { return false }
                if next == UInt8(ascii: "?") {
                    // Only non-capturing groups and option settings without `m` are line-local.
                    var cursor = index + 2
                    while cursor < bytes.count, Array("isxnU-^".utf8).contains(bytes[cursor]) { cursor += 1 }
                    guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: ":") || bytes[cursor] == UInt8(ascii: ")")
                    else { return false }
                }
            default:
                break
            }
            index += 1
        }
        return true
    }

    /// For each pattern, the first line of `text` it matches, as `firstMatchingLine(in:)` would
    /// say for each on its own.
    static func firstMatchingLines(_ patterns: [LinePattern], in text: UnsafeRawBufferPointer) -> [Range<Int>?] {
        searches(patterns, in: text).map(\.line)
    }

    /// For each pattern, what `search(_:budget:)` would say for each on its own. For a large
    /// text (a kernel log of megabytes) that is eight or so passes over memory that does not fit
    /// in the cache; instead the text is cut at line ends into one segment per core, each
    /// segment into cache-sized pieces, and every pattern still looking is run over a piece
    /// while it is in the cache. Lines are never cut, so each piece holds whole lines and line
    /// semantics stay exact; the segments' results are then read in order, as pcre2grep reads
    /// the lines, so a match after pcre2grep's 22nd error or its refused line does not count.
    public static func searches(_ patterns: [LinePattern], in text: UnsafeRawBufferPointer,
                                budget: MatchBudget = .unlimited) -> [LineSearch] {
        let layout = Pcre2grepBuffer.layout(of: text)
        let end = layout.refusedLine?.lowerBound ?? text.count
        let cores = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        let segments = lineAlignedPieces(of: text, from: 0, to: end, count: end >= 1 << 20 ? cores : 1)
        var found = [[LineSearch?]](repeating: [LineSearch?](repeating: nil, count: patterns.count), count: segments.count)
        found.withUnsafeMutableBufferPointer { results in
            // Each segment writes only its own row; the text is only read.
            nonisolated(unsafe) let rows = results
            nonisolated(unsafe) let text = text
            let work: @Sendable (Int) -> Void = { segment in
                var row = [LineSearch?](repeating: nil, count: patterns.count)
                var errors = [Int](repeating: 0, count: patterns.count)
                var pending = Array(patterns.indices)
                let piece = 256 * 1024
                for part in lineAlignedPieces(of: text, from: segments[segment].lowerBound, to: segments[segment].upperBound,
                                              count: max(1, segments[segment].count / piece)) where !pending.isEmpty {
                    pending.removeAll { index in
                        var result = patterns[index].search(text, from: part.lowerBound, upTo: part.upperBound,
                                                            longLines: layout.hasLongLine, budget: budget,
                                                            errorsBefore: errors[index])
                        errors[index] += result.limitErrors
                        result.limitErrors = errors[index]
                        guard result.line != nil || result.failure != nil else { return false }
                        row[index] = result
                        return true
                    }
                }
                for index in pending { row[index] = LineSearch(limitErrors: errors[index]) }
                rows[segment] = row
            }
            if segments.count == 1 {
                work(0)
            } else {
                DispatchQueue.concurrentPerform(iterations: segments.count, execute: work)
            }
        }
        // Read the segments in order: the first one with an answer (or a failure) decides, once
        // the errors of the segments before it are counted.
        return patterns.indices.map { index in
            var errors = 0
            for row in found {
                guard let result = row[index] else { continue }
                let total = errors + result.limitErrors
                if total > Pcre2grepBuffer.maxErrors {
                    return LineSearch(limitErrors: total,
                                      failure: "PCRE2 failed on more than \(Pcre2grepBuffer.maxErrors) lines; pcre2grep abandons the search then")
                }
                if result.line != nil || result.failure != nil {
                    return LineSearch(line: result.line, limitErrors: total, failure: result.failure)
                }
                errors = total
            }
            if let refused = layout.refusedLine {
                return LineSearch(limitErrors: errors, failure: Pcre2grepBuffer.refusal(text, line: refused))
            }
            return LineSearch(limitErrors: errors)
        }
    }

    /// `count` consecutive ranges covering `start..<end` of `text`, each ending after a newline
    /// (or at `end`), about equally long; fewer when lines are long.
    static func lineAlignedPieces(of text: UnsafeRawBufferPointer, from start: Int, to end: Int, count: Int) -> [Range<Int>] {
        guard count > 1, end > start else { return [start..<end] }
        var pieces: [Range<Int>] = []
        var lower = start
        let size = (end - start) / count
        while lower < end {
            var upper = min(end, lower + max(size, 1))
            while upper < end, text[upper - 1] != 0x0A { upper += 1 }
            pieces.append(lower..<upper)
            lower = upper
        }
        return pieces
    }

    static func lineEnd(in text: UnsafeRawBufferPointer, from start: Int) -> Int {
        var end = start
        while end < text.count, text[end] != 0x0A { end += 1 }
        return end
    }

    /// The line (without its newline) holding byte `offset`; a newline belongs to the line it ends.
    static func line(in text: UnsafeRawBufferPointer, containing offset: Int) -> Range<Int> {
        var start = min(offset, text.count)
        while start > 0, text[start - 1] != 0x0A { start -= 1 }
        return start..<lineEnd(in: text, from: start)
    }
}

/// How pcre2grep reads a text: into a buffer that starts at 3 x 20 KiB and doubles up to
/// 3 x 1 MiB (its defaults, `--buffer-size` and `--max-buffer-size`), sliding by a third as it
/// goes. A line that reaches the end of a full buffer of the largest size is "too long for the
/// internal buffer": pcre2grep stops there and exits 2. Whether a line fits depends on where the
/// buffer stands when it is reached (from 1 MiB up to 3 MiB), so the buffer is followed here as
/// pcre2grep moves it (pcre2grep.c, `pcre2grep()`, version 10.42).
enum Pcre2grepBuffer {
    static let startThird = 20_480
    static let maxThird = 1_048_576
    /// `if (error_count++ > 20)`: the 22nd PCRE2 error abandons the run.
    static let maxErrors = 21

    struct Layout {
        /// The first line pcre2grep refuses (without its newline), if any.
        var refusedLine: Range<Int>?
        /// Whether a line before it is at least ``LinePattern/longLine`` long.
        var hasLongLine: Bool
    }

    static func layout(of text: UnsafeRawBufferPointer) -> Layout {
        guard let base = text.baseAddress else { return Layout(refusedLine: nil, hasLongLine: false) }
        let total = text.count
        var third = startThird
        var origin = 0                      // offset in the text of the buffer's first byte
        var filled = min(3 * third, total)  // bytes in the buffer
        var pointer = 0                     // the current line's start, inside the buffer
        var hasLongLine = false
        while pointer < filled {
            let from = origin + pointer
            let newline = memchr(base + from, 0x0A, filled - pointer).map { base.distance(to: UnsafeRawPointer($0)) }
            guard let newline else {
                if filled == 3 * third {
                    // The line runs to the end of a full buffer: grow it, or refuse the line.
                    if third < maxThird {
                        third = min(2 * third, maxThird)
                        filled = min(3 * third, total - origin)
                        continue
                    }
                    return Layout(refusedLine: from..<LinePattern.lineEnd(in: text, from: from), hasLongLine: hasLongLine)
                }
                // The last line, without a newline.
                if total - from >= LinePattern.longLine { hasLongLine = true }
                break
            }
            if newline - from >= LinePattern.longLine { hasLongLine = true }
            pointer = newline + 1 - origin
            if filled >= 3 * third, pointer > 2 * third {
                origin += third
                pointer -= third
                filled = 2 * third + min(third, total - (origin + 2 * third))
            }
        }
        return Layout(refusedLine: nil, hasLongLine: hasLongLine)
    }

    static func refusal(_ text: UnsafeRawBufferPointer, line: Range<Int>) -> String {
        "line \(LinePattern.lineNumber(of: line.lowerBound, in: text)) is \(line.count) bytes long, too long for pcre2grep's buffer (at most \(maxThird) bytes are sure to fit); pcre2grep stops there and exits 2"
    }
}

/// The literal text a match of a pattern needs, per top-level alternative, in order: for
/// `(ACPI:.*Xen.*HVM|Booting paravirtualized kernel on Xen)` a line can match only if it holds
/// `ACPI:`, then `Xen`, then `HVM`, or `Booting paravirtualized kernel on Xen`. Read from the
/// pattern's text cautiously: anything it does not understand ends a literal, and a pattern
/// it cannot read safely (option settings, `\Q`, verbs) has none, so the check never rules out
/// a line the pattern could match.
struct RequiredLiterals: Sendable {
    /// Per alternative, the literals it needs in order; each alternative has at least one.
    let alternatives: [[[UInt8]]]
    let caseless: Bool

    init?(_ pattern: String, caseless: Bool) {
        let bytes = Array(pattern.utf8)
        // Inline options, verbs, quoting and comments change how the rest reads: no literals.
        for index in bytes.indices where bytes[index] == UInt8(ascii: "(") && index + 1 < bytes.count {
            let next = bytes[index + 1]
            if next == UInt8(ascii: "*") { return nil }
            if next == UInt8(ascii: "?"), index + 2 < bytes.count, ![UInt8(ascii: ":"), UInt8(ascii: "<"), UInt8(ascii: "="),
                                                                   UInt8(ascii: "!")].contains(bytes[index + 2]) {
                return nil
            }
        }
        if pattern.contains("\\Q") || pattern.contains("\\E") { return nil }
        var body = bytes[...]
        // One group around the whole pattern, as seed 003 writes it: its alternatives are the pattern's.
        if body.first == UInt8(ascii: "("), RequiredLiterals.groupEnd(bytes, from: 0) == bytes.count - 1,
           bytes.count >= 2, bytes[1] != UInt8(ascii: "?") {
            body = bytes[1..<(bytes.count - 1)]
        }
        var alternatives: [[[UInt8]]] = []
        for alternative in RequiredLiterals.topLevelAlternatives(body) {
            let literals = RequiredLiterals.literals(alternative, caseless: caseless)
            guard !literals.isEmpty else { return nil }
            alternatives.append(literals)
        }
        guard !alternatives.isEmpty else { return nil }
        self.alternatives = alternatives
        self.caseless = caseless
    }

    /// Whether `line` holds the literals of some alternative in order.
    func mayMatch(_ line: UnsafeRawBufferPointer) -> Bool {
        alternatives.contains { literals in
            var from = 0
            for literal in literals {
                guard let found = find(literal, in: line, from: from) else { return false }
                from = found + literal.count
            }
            return true
        }
    }

    private func find(_ literal: [UInt8], in line: UnsafeRawBufferPointer, from: Int) -> Int? {
        guard let base = line.baseAddress, from <= line.count, literal.count <= line.count - from else { return nil }
        if !caseless {
            // memchr to each candidate first byte, then memcmp: the literals are a few bytes.
            return literal.withUnsafeBytes { needle -> Int? in
                var index = from
                while index + needle.count <= line.count,
                      let found = memchr(base + index, Int32(needle[0]), line.count - needle.count + 1 - index) {
                    let offset = base.distance(to: UnsafeRawPointer(found))
                    if memcmp(base + offset, needle.baseAddress!, needle.count) == 0 { return offset }
                    index = offset + 1
                }
                return nil
            }
        }
        let first = literal[0] | 0x20
        var index = from
        while index + literal.count <= line.count {
            if line[index] | 0x20 == first {
                var offset = 1
                while offset < literal.count, line[index + offset] | 0x20 == literal[offset] | 0x20 { offset += 1 }
                if offset == literal.count { return index }
            }
            index += 1
        }
        return nil
    }

    /// The index of the `)` closing the group opened at `start`, or nil.
    static func groupEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var depth = 0
        var index = start
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 1
            case UInt8(ascii: "["): index = classEnd(bytes[...], from: index)
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"):
                depth -= 1
                if depth == 0 { return index }
            default: break
            }
            index += 1
        }
        return nil
    }

    /// The index of the `]` closing the class opened at `start` (`[]a]` and `[^]a]` hold a `]`).
    static func classEnd(_ bytes: ArraySlice<UInt8>, from start: Int) -> Int {
        var index = start + 1
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "^") { index += 1 }
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "]") { index += 1 }
        while index < bytes.endIndex {
            if bytes[index] == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if bytes[index] == UInt8(ascii: "[") && index + 1 < bytes.endIndex && bytes[index + 1] == UInt8(ascii: ":") {
                // A POSIX class such as [:alpha:] inside.
                if let close = bytes[(index + 2)...].firstIndex(of: UInt8(ascii: "]")) { index = close + 1; continue }
            }
            if bytes[index] == UInt8(ascii: "]") { return index }
            index += 1
        }
        return bytes.endIndex
    }

    /// The pattern split at `|` outside groups and classes.
    static func topLevelAlternatives(_ bytes: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var pieces: [ArraySlice<UInt8>] = []
        var depth = 0
        var start = bytes.startIndex
        var index = bytes.startIndex
        while index < bytes.endIndex {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 1
            case UInt8(ascii: "["): index = classEnd(bytes, from: index)
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"): depth -= 1
            case UInt8(ascii: "|") where depth == 0:
                pieces.append(bytes[start..<index])
                start = index + 1
            default: break
            }
            index += 1
        }
        pieces.append(bytes[start..<min(index, bytes.endIndex)])
        return pieces
    }

    /// The runs of literal bytes one alternative needs in order. Groups, classes, escapes other
    /// than escaped punctuation, `.`, anchors and anything quantified end a run; a character
    /// followed by a quantifier is left out of it, since `?`, `*` and `{0}` make it optional.
    static func literals(_ bytes: ArraySlice<UInt8>, caseless: Bool) -> [[UInt8]] {
        var runs: [[UInt8]] = []
        var run: [UInt8] = []
        func close() {
            if !run.isEmpty { runs.append(run) }
            run = []
        }
        let quantifiers: Set<UInt8> = [UInt8(ascii: "?"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "{")]
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            var literal: UInt8?
            var width = 1
            switch byte {
            case UInt8(ascii: "\\"):
                guard index + 1 < bytes.endIndex else { return [] }
                let next = bytes[index + 1]
                width = 2
                let isAlphanumeric = (next >= 0x30 && next <= 0x39) || (next | 0x20 >= 0x61 && next | 0x20 <= 0x7A)
                if !isAlphanumeric {
                    // Escaped punctuation stands for itself.
                    if next < 0x80 { literal = next }
                } else if !Array("dDsSwWbBhHvVRXNtnrfeaAzZGK".utf8).contains(next)
                    || (next == UInt8(ascii: "N") && index + 2 < bytes.endIndex && bytes[index + 2] == UInt8(ascii: "{")) {
                    // \x41, \101, \cA, \p{L}, \g{1}, \k<n>, \o{..}, \N{U+..}: more than two bytes, or a
                    // back reference; not read here, so this alternative gives no literals.
                    return []
                }
            case UInt8(ascii: "("):
                // Skip the group: what it needs may be optional or alternative.
                guard let end = groupEnd(Array(bytes[index...]), from: 0) else { return [] }
                width = end + 1
            case UInt8(ascii: "["):
                width = classEnd(bytes, from: index) - index + 1
            case UInt8(ascii: "|"), UInt8(ascii: ")"):
                return []  // not expected inside one alternative: read nothing
            case UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "$"), UInt8(ascii: "?"), UInt8(ascii: "*"),
                 UInt8(ascii: "+"), UInt8(ascii: "{"), UInt8(ascii: "}"):
                break
            default:
                // Non-ASCII bytes fold by locale tables in caseless mode: leave them out there.
                if byte < 0x80 || !caseless { literal = byte }
            }
            let after = index + width
            let quantified = after < bytes.endIndex && quantifiers.contains(bytes[after])
            if let literal, !quantified {
                run.append(literal)
            } else {
                close()
            }
            index = after
        }
        close()
        return runs
    }
}
