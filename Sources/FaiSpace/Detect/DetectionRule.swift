// DetectionRule: one row of the detection table: evidence source, test, classes, reason, examples.

/// What a rule asks of its evidence.
public enum RuleTest: Sendable {
    /// Some line of the evidence text matches (pcre2grep semantics, see ``LinePattern``).
    case pattern(LinePattern)
    /// The evidence text, without trailing whitespace and newlines, is exactly this value.
    case equals(String)
    /// The source exists (`true`) or does not (`false`): a file or directory is there.
    case present(Bool)
}

extension RuleTest {
    /// Whether the test holds for `evidence` (nil: the source is absent or unreadable).
    /// Returns the matching line or value as the detail to show, or nil when it does not hold.
    public func check(_ evidence: UnsafeRawBufferPointer?) -> String? {
        evaluate(evidence).detail
    }

    /// The test on `evidence`: the detail when it holds, and for a pattern, why there is no
    /// answer when pcre2grep would give up (exit 2) or `budget` ran out (see ``LineSearch``).
    public func evaluate(_ evidence: UnsafeRawBufferPointer?,
                         budget: MatchBudget = .unlimited) -> (detail: String?, failure: String?) {
        if case .pattern(let pattern) = self {
            guard let evidence else { return (nil, nil) }
            let result = pattern.search(evidence, budget: budget)
            return (result.line.map { String(decoding: UnsafeRawBufferPointer(rebasing: evidence[$0]), as: UTF8.self) },
                    result.failure)
        }
        return (compare(evidence), nil)
    }

    /// The `equals` and `present` tests.
    private func compare(_ evidence: UnsafeRawBufferPointer?) -> String? {
        switch self {
        case .present(let wanted):
            return (evidence != nil) == wanted ? (wanted ? "present" : "absent") : nil
        case .equals(let value):
            guard let evidence else { return nil }
            // Compared as bytes with plain loops: this runs for every DMI string on every
            // detection, and generic sequence helpers cost more at startup than the comparison.
            let end = DetectionRule.trimmedCount(evidence)
            var wanted = value
            return wanted.withUTF8 { raw in
                let count = DetectionRule.trimmedCount(UnsafeRawBufferPointer(raw))
                guard count == end else { return nil }
                var index = 0
                while index < end {
                    if raw[index] != evidence[index] { return nil }
                    index += 1
                }
                return String(decoding: UnsafeRawBufferPointer(rebasing: evidence[0..<end]), as: UTF8.self)
            }
        case .pattern:
            return nil  // evaluate(_:budget:) searches
        }
    }

    /// Whether the test holds on an example text (nil: the source is absent).
    func holds(onExample example: String?) -> Bool {
        guard var text = example else { return check(nil) != nil }
        return text.withUTF8 { check(UnsafeRawBufferPointer($0)) } != nil
    }
}

/// Evidence a rule must fire on, and evidence it must not fire on. Each example is the text
/// of the rule's own source; nil stands for "the source is absent". For rules on the
/// ``EvidenceSource/classes`` source the text is the classes so far, one a line.
public struct RuleExamples: Sendable, Hashable {
    public var fire: [String?]
    public var quiet: [String?]

    public init(fire: [String?], quiet: [String?]) {
        self.fire = fire
        self.quiet = quiet
    }
}

/// A further piece of evidence a rule needs at the same time as its own (`also:` in a rules
/// file): Amazon EC2's DMI vendor *and* the SMBIOS virtual-machine bit. The rule holds only
/// when its test and every condition hold; each condition carries its own examples.
public struct RuleCondition: Sendable {
    public var source: EvidenceSource
    public var test: RuleTest
    public var examples: RuleExamples

    public init(source: EvidenceSource, test: RuleTest, examples: RuleExamples) {
        self.source = source
        self.test = test
        self.examples = examples
    }

    /// The examples that disagree with the test: fire examples it ignores, quiet ones it holds on.
    public func failingExamples() -> (fire: [String?], quiet: [String?]) {
        (examples.fire.filter { !test.holds(onExample: $0) }, examples.quiet.filter { test.holds(onExample: $0) })
    }
}

/// A detection rule: when ``test`` holds for ``source`` (and every condition in ``also``
/// holds for its own source), the client belongs to ``classes``, unless a class in ``unless``
/// was defined by another rule (see ``DetectionTable``).
public struct DetectionRule: Sendable, Identifiable {
    /// A unique name in the table; a rule file replaces a built-in rule with the same id.
    public var id: String
    public var source: EvidenceSource
    public var test: RuleTest
    /// Evidence from other sources that must hold as well (empty for most rules).
    public var also: [RuleCondition]
    /// FAI class names (`[A-Z0-9_]+`).
    public var classes: [String]
    /// Classes that veto this rule when another rule defines them.
    public var unless: [String]
    /// One line saying what the evidence means, shown by `faigen detect --format json`.
    public var reason: String
    public var examples: RuleExamples
    /// Where the rule was written; nil for the built-in table.
    public var location: SourceLocation?

    public init(id: String, source: EvidenceSource, test: RuleTest, also: [RuleCondition] = [], classes: [String],
                unless: [String] = [], reason: String, examples: RuleExamples, location: SourceLocation? = nil) {
        self.id = id
        self.source = source
        self.test = test
        self.also = also
        self.classes = classes
        self.unless = unless
        self.reason = reason
        self.examples = examples
        self.location = location
    }

    /// Whether the rule's own test holds for `evidence` (nil: the source is absent or unreadable).
    /// Returns the matching line or value as the detail to show, or nil when it does not hold.
    /// The ``also`` conditions are checked by ``DetectionTable``, which has their evidence.
    public func check(_ evidence: UnsafeRawBufferPointer?) -> String? {
        test.check(evidence)
    }

    /// ``check(_:)`` with why a pattern has no answer (see ``RuleTest/evaluate(_:budget:)``).
    public func evaluate(_ evidence: UnsafeRawBufferPointer?,
                         budget: MatchBudget = .unlimited) -> (detail: String?, failure: String?) {
        test.evaluate(evidence, budget: budget)
    }

    /// Whether the rule fires on one of its examples, on its own (``unless`` counts only for
    /// rules on ``EvidenceSource/classes``, whose example is the class list itself).
    public func fires(onExample example: String?) -> Bool {
        let held = test.holds(onExample: example)
        guard held, source == .classes, let example else { return held }
        let classes = Set(example.split(whereSeparator: \.isNewline).map(String.init))
        return classes.isDisjoint(with: unless)
    }

    /// The examples that disagree with the rule: fire examples it ignores, quiet ones it fires on,
    /// its own and those of its ``also`` conditions (each against its own test).
    public func failingExamples() -> (fire: [String?], quiet: [String?]) {
        var fire = examples.fire.filter { !fires(onExample: $0) }
        var quiet = examples.quiet.filter { fires(onExample: $0) }
        for condition in also {
            let failing = condition.failingExamples()
            fire += failing.fire
            quiet += failing.quiet
        }
        return (fire, quiet)
    }

    /// The length of `bytes` without trailing spaces, tabs, newlines and NULs.
    static func trimmedCount(_ bytes: UnsafeRawBufferPointer) -> Int {
        var end = bytes.count
        while end > 0 {
            let byte = bytes[end - 1]
            guard byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x00 else { break }
            end -= 1
        }
        return end
    }
}

extension String {
    /// Evidence files end in a newline (and DMI strings are often space-padded): compare without it.
    func trimmingTrailingWhitespace() -> String {
        var scalars = unicodeScalars[...]
        while let last = scalars.last, last == " " || last == "\t" || last == "\n" || last == "\r" || last == "\0" {
            scalars = scalars.dropLast()
        }
        return String(String.UnicodeScalarView(scalars))
    }
}
