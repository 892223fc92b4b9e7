// DetectionTable: the rule table and its evaluation over a machine's evidence into FAI classes.
import Dispatch

/// One rule that fired: which rule, on what evidence, defining which classes.
public struct RuleFiring: Sendable, Hashable {
    public var rule: String
    public var source: EvidenceSource
    public var classes: [String]
    public var reason: String
    /// The matching line, the compared value, or `present` / `absent`.
    public var detail: String
    /// Where the evidence came from (a path, `klogctl`, `cpuid instruction`); nil for `classes`.
    public var origin: String?
    /// The classes in the rule's `unless` that another rule defined; non-empty means it was vetoed.
    public var vetoedBy: [String]
}

/// A source a rule wanted that had no text, and why: listed, never fatal.
public struct SkippedSource: Sendable, Hashable {
    public var source: EvidenceSource
    public var origin: String
    public var reason: String
}

/// A pattern rule that could not be decided, and why (see ``LineSearch/failure``).
public struct UndecidedRule: Sendable, Hashable {
    public var rule: String
    public var source: EvidenceSource
    public var reason: String
}

/// The result of detection: the classes, in table order, and the evidence behind them.
public struct Detection: Sendable {
    public var classes: [String]
    /// Rules that fired, in table order.
    public var firings: [RuleFiring]
    /// Rules whose test held but that a class in their `unless` vetoed.
    public var vetoed: [RuleFiring]
    public var skipped: [SkippedSource]
    /// Pattern rules with no answer: pcre2grep would give up on the text (a line too long for
    /// its buffer, too many PCRE2 errors) or the time budget ran out. They do not fire.
    public var undecided: [UndecidedRule] = []

    /// The firings behind one class.
    public func evidence(for className: String) -> [RuleFiring] {
        firings.filter { $0.classes.contains(className) }
    }
}

/// An ordered table of detection rules (systemd's virt.c keeps the same knowledge as vendor tables).
///
/// Evaluation: every rule on a real evidence source is tested, together with its `also`
/// conditions (each on its own source); a rule whose test holds fires
/// unless one of its `unless` classes is defined by another rule whose test held (one round,
/// no chains). Then the rules on the ``EvidenceSource/classes`` source run in table order over
/// the classes so far, which is how the summaries `VIRTUAL`, `CONTAINER` and `PHYSICAL` are made.
public struct DetectionTable: Sendable {
    public var rules: [DetectionRule]

    public init(rules: [DetectionRule]) {
        self.rules = rules
    }

    /// The table with a rule set applied: replaced wholesale when the set drops the built-in
    /// rules, else rules with a known id replaced in place and new ones added at the end.
    public func merging(_ set: DetectionRuleSet) -> DetectionTable {
        guard set.keepsBuiltin else { return DetectionTable(rules: set.rules) }
        var merged = rules
        for rule in set.rules {
            if let index = merged.firstIndex(where: { $0.id == rule.id }) {
                merged[index] = rule
            } else {
                merged.append(rule)
            }
        }
        return DetectionTable(rules: merged)
    }

    /// The evidence sources the rules read, in ``EvidenceSource`` order.
    public var sources: [EvidenceSource] {
        EvidenceSource.allCases.filter { source in
            source != .classes && rules.contains { $0.source == source || $0.also.contains { $0.source == source } }
        }
    }

    /// Evaluates the table over `evidence`, matching patterns for at most `budget` (the
    /// documented bound, ``MatchBudget/detectionSeconds``, by default).
    public func detect(_ evidence: Evidence, budget: MatchBudget = .seconds(MatchBudget.detectionSeconds)) -> Detection {
        struct Held { var index: Int; var detail: String }
        var held: [Held] = []
        var skipped: [SkippedSource] = []
        let sources = self.sources
        for source in EvidenceSource.allCases where sources.contains(source) {
            let origin = evidence.origins[source] ?? source.snapshotPath ?? source.rawValue
            switch evidence[source] {
            case .text: break
            case .absent: skipped.append(SkippedSource(source: source, origin: origin, reason: "absent"))
            case .unreadable(let reason): skipped.append(SkippedSource(source: source, origin: origin, reason: reason))
            }
        }
        let (details, failures) = DetectionTable.check(rules, on: evidence, budget: budget)
        for (index, detail) in details.enumerated() {
            if let detail { held.append(Held(index: index, detail: detail)) }
        }
        let undecided = failures.enumerated().compactMap { index, reason in
            reason.map { UndecidedRule(rule: rules[index].id, source: rules[index].source, reason: $0) }
        }

        var classes: [String] = []
        var firings: [RuleFiring] = []
        var vetoed: [RuleFiring] = []
        func firing(_ rule: DetectionRule, _ detail: String, vetoedBy: [String]) -> RuleFiring {
            RuleFiring(rule: rule.id, source: rule.source, classes: rule.classes, reason: rule.reason, detail: detail,
                       origin: rule.source == .classes ? nil : evidence.origins[rule.source], vetoedBy: vetoedBy)
        }
        for entry in held {
            let rule = rules[entry.index]
            var others = Set<String>()
            for other in held where other.index != entry.index { others.formUnion(rules[other.index].classes) }
            let vetoes = rule.unless.filter(others.contains)
            if !vetoes.isEmpty {
                vetoed.append(firing(rule, entry.detail, vetoedBy: vetoes))
                continue
            }
            firings.append(firing(rule, entry.detail, vetoedBy: []))
            for name in rule.classes where !classes.contains(name) { classes.append(name) }
        }
        for rule in rules where rule.source == .classes {
            var text = classes.joined(separator: "\n")
            guard let detail = text.withUTF8({ rule.check(UnsafeRawBufferPointer($0)) }) else { continue }
            let vetoes = rule.unless.filter(classes.contains)
            if !vetoes.isEmpty {
                vetoed.append(firing(rule, detail, vetoedBy: vetoes))
                continue
            }
            firings.append(firing(rule, detail, vetoedBy: []))
            for name in rule.classes where !classes.contains(name) { classes.append(name) }
        }
        // Summaries (the classes that rules on `classes` define) go last, even when evidence
        // rules define them too (the SMBIOS VM bit says VIRTUAL): platform first, then summary.
        let summaries = Set(rules.filter { $0.source == .classes }.flatMap(\.classes))
        classes = classes.filter { !summaries.contains($0) } + classes.filter { summaries.contains($0) }
        return Detection(classes: classes, firings: firings, vetoed: vetoed, skipped: skipped, undecided: undecided)
    }

    /// Texts from this size on (a kernel log of megabytes) have all their pattern rules
    /// checked together, piece by piece and on all cores (``LinePattern/firstMatchingLines``).
    static let largeText = 1 << 20

    /// The detail of each rule's test (nil: it does not hold), and why a pattern rule has no
    /// answer (nil: it has one); rules on `classes` get nil here.
    static func check(_ rules: [DetectionRule], on evidence: Evidence,
                      budget: MatchBudget = .unlimited) -> (details: [String?], failures: [String?]) {
        var details = [String?](repeating: nil, count: rules.count)
        var failures = [String?](repeating: nil, count: rules.count)
        var shared: [EvidenceSource: [Int]] = [:]
        for (index, rule) in rules.enumerated() where rule.source != .classes {
            guard case .text(let text) = evidence[rule.source] else {
                details[index] = rule.check(nil)
                continue
            }
            if case .pattern = rule.test, text.count >= largeText {
                shared[rule.source, default: []].append(index)
            } else {
                (details[index], failures[index]) = text.withUnsafeBytes { rule.evaluate($0, budget: budget) }
            }
        }
        for (source, indices) in shared {
            guard case .text(let text) = evidence[source] else { continue }
            let patterns = indices.compactMap { index -> LinePattern? in
                if case .pattern(let pattern) = rules[index].test { return pattern }
                return nil
            }
            text.withUnsafeBytes { bytes in
                for (index, result) in zip(indices, LinePattern.searches(patterns, in: bytes, budget: budget)) {
                    details[index] = result.line.map { String(decoding: UnsafeRawBufferPointer(rebasing: bytes[$0]), as: UTF8.self) }
                    failures[index] = result.failure
                }
            }
        }
        // A rule with `also` conditions holds only when each of them holds on its own source.
        for (index, rule) in rules.enumerated() where !rule.also.isEmpty {
            guard var detail = details[index] else { continue }
            for condition in rule.also {
                let held: String?
                if case .text(let text) = evidence[condition.source] {
                    let result = text.withUnsafeBytes { condition.test.evaluate($0, budget: budget) }
                    held = result.detail
                    if let failure = result.failure { failures[index] = failure }
                } else {
                    held = condition.test.check(nil)
                }
                guard let held else {
                    details[index] = nil
                    break
                }
                detail += " and \(condition.source.rawValue): \(held)"
                details[index] = detail
            }
        }
        return (details, failures)
    }
}
