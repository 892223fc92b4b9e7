// Text: the few string operations faigen took from full Foundation, in the standard library (no ICU).

extension StringProtocol {
    /// The text with each control character (which would end or garble a comment line) shown as `?`.
    func controlCharactersShown() -> String {
        String(String.UnicodeScalarView(unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : $0 }))
    }

    /// The text without leading and trailing blanks: spaces and tabs (what Foundation's
    /// `CharacterSet.whitespaces` trims), never line breaks.
    func trimmingBlanks() -> SubSequence {
        trimming { $0.isWhitespace && !$0.isNewline }
    }

    /// The text without leading and trailing characters for which `drop` holds.
    func trimming(_ drop: (Character) -> Bool) -> SubSequence {
        guard let first = firstIndex(where: { !drop($0) }), let last = lastIndex(where: { !drop($0) }) else { return self[endIndex...] }
        return self[first...last]
    }

    /// Where `other` occurs last in the text, or nil.
    func lastRange(of other: some StringProtocol) -> Range<Index>? {
        var found: Range<Index>?
        var start = startIndex
        while start < endIndex, let range = self[start...].firstRange(of: other) {
            found = range
            start = index(after: range.lowerBound)
        }
        return found
    }
}
