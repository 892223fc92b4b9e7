// LinePattern: a PCRE2 pattern with pcre2grep's meaning, "matches some line of the text", made fast.
import Dispatch
import Foundation

/// A rule pattern. It fires when it matches at least one line of the evidence text, each line
/// searched on its own without its newline, exactly as `pcre2grep -q PATTERN` (or `-i` when
/// ``caseless``) does: `^` and `$` are the line's ends, and nothing can see a neighbouring line.
///
/// Checking a large kernel log line by line costs one PCRE2 call per line, so for patterns that
/// cannot tell a line inside the log from a line on its own (see ``isLineLocal``) the whole text
/// is searched once in multiline mode to find candidate lines, and only those lines are checked
/// on their own. Other patterns are matched line by line. Both ways give pcre2grep's answer.
public struct LinePattern: Sendable {
    /// The pattern as written in the rule.
    public let pattern: String
    /// Whether letters match either case (`pcre2grep -i`).
    public let caseless: Bool
    /// The pattern compiled for one line at a time (pcre2grep's view).
    public let lineRegex: PCRE2Regex
    /// The pattern compiled for a whole-text search, when that search finds every matching line.
    let textRegex: PCRE2Regex?

    /// Compiles `pattern`; `largeText` (the kernel log) JIT-compiles it and prepares the
    /// whole-text search, which only pays off on long texts.
    public init(_ pattern: String, caseless: Bool = false, largeText: Bool = false) throws {
        self.pattern = pattern
        self.caseless = caseless
        let options: PCRE2Options = caseless ? [.caseless] : []
        lineRegex = try PCRE2Regex(pattern, options: options, jit: largeText)
        textRegex = largeText && LinePattern.isLineLocal(pattern)
            ? try PCRE2Regex(pattern, options: options.union(.multiline), jit: true) : nil
    }

    /// The first line of `text` the pattern matches (without its newline), or nil.
    public func firstMatchingLine(in text: UnsafeRawBufferPointer) -> Range<Int>? {
        if let textRegex {
            return textRegex.withScanner { textScanner in
                lineRegex.withScanner { lineScanner in
                    var start = 0
                    while start <= text.count, let hit = textScanner.firstMatch(in: text, from: start) {
                        let line = LinePattern.line(in: text, containing: hit.lowerBound)
                        // The empty piece after a final newline (or of an empty text) is no line.
                        if line.lowerBound == text.count { return nil }
                        if lineScanner.matches(UnsafeRawBufferPointer(rebasing: text[line])) { return line }
                        // A candidate that does not hold on its own line (it spanned a newline):
                        // go on from the next line.
                        start = line.upperBound + 1
                    }
                    return nil
                }
            }
        }
        return lineRegex.withScanner { scanner in
            var start = 0
            // The empty piece after a final newline (or of an empty text) is no line, as in pcre2grep.
            while start < text.count {
                let end = LinePattern.lineEnd(in: text, from: start)
                let line = start..<end
                if scanner.matches(UnsafeRawBufferPointer(rebasing: text[line])) { return line }
                start = end + 1
            }
            return nil
        }
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
    /// say for each on its own. For a large text (a kernel log of megabytes) that is eight or
    /// so passes over memory that does not fit in the cache; instead the text is cut at line
    /// ends into one segment per core, each segment into cache-sized pieces, and every pattern
    /// still looking is run over a piece while it is in the cache. Lines are never cut, so
    /// each piece holds whole lines and line semantics stay exact.
    static func firstMatchingLines(_ patterns: [LinePattern], in text: UnsafeRawBufferPointer) -> [Range<Int>?] {
        let cores = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        let segments = lineAlignedPieces(of: text, from: 0, to: text.count, count: text.count >= 1 << 20 ? cores : 1)
        var found = [[Range<Int>?]](repeating: [Range<Int>?](repeating: nil, count: patterns.count), count: segments.count)
        found.withUnsafeMutableBufferPointer { results in
            // Each segment writes only its own row; the text is only read.
            nonisolated(unsafe) let rows = results
            nonisolated(unsafe) let text = text
            let work: @Sendable (Int) -> Void = { segment in
                var row = [Range<Int>?](repeating: nil, count: patterns.count)
                var pending = Array(patterns.indices)
                let piece = 256 * 1024
                for part in lineAlignedPieces(of: text, from: segments[segment].lowerBound, to: segments[segment].upperBound,
                                              count: max(1, segments[segment].count / piece)) where !pending.isEmpty {
                    let chunk = UnsafeRawBufferPointer(rebasing: text[part])
                    pending.removeAll { index in
                        guard let line = patterns[index].firstMatchingLine(in: chunk) else { return false }
                        row[index] = (line.lowerBound + part.lowerBound)..<(line.upperBound + part.lowerBound)
                        return true
                    }
                }
                rows[segment] = row
            }
            if segments.count == 1 {
                work(0)
            } else {
                DispatchQueue.concurrentPerform(iterations: segments.count, execute: work)
            }
        }
        // The first segment holding a match has the first matching line.
        return patterns.indices.map { index in found.lazy.compactMap { $0[index] }.first }
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
