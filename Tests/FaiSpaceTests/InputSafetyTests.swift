// InputSafetyTests: issue 7's input defects in the spec and rules readers, one regression test each.
import Foundation
import Testing

@testable import FaiSpace

@Suite struct InputSafetyTests {
    /// `a0: &a0 [x, x, ...]`, `a1: &a1 [*a0, *a0, ...]`, ... and the last one used as a mapping
    /// key: under 1 KB of text that stands for `fanout ^ depth` nodes.
    static func aliasBomb(depth: Int, fanout: Int = 10, prefix: String = "") -> String {
        var text = prefix + "a0: &a0 [" + Array(repeating: "x", count: fanout).joined(separator: ", ") + "]\n"
        for level in 1..<depth {
            text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: fanout).joined(separator: ", ") + "]\n"
        }
        return text + "? *a\(depth - 1)\n: 1\n"
    }

    /// 7.9: a spec whose aliases stand for 10^9 nodes fails at once, at the alias that passes
    /// the limit; on the old main Yams hashed the expanded key for minutes.
    @Test(.timeLimit(.minutes(1))) func aliasBombInASpecIsAnErrorAtTheAlias() {
        let yaml = Self.aliasBomb(depth: 9, prefix: "site: lab\nversion: 1\n")
        #expect {
            try SiteSpec(yaml: yaml, file: "bomb.yaml")
        } throws: { error in
            let text = "\(error)"
            // Line 8 is `a5: &a5 [*a4, ...]`: a1 to a4 add 123,440 nodes, each *a4 111,111 more.
            return text.hasPrefix("bomb.yaml:8:45: the alias *a4 takes the document past 1000000 nodes")
                && !text.contains("\n")
        }
    }

    @Test(.timeLimit(.minutes(1))) func aliasBombInARulesFileIsTheSameError() {
        let yaml = Self.aliasBomb(depth: 9)
        #expect {
            try DetectionRuleSet.parse(yaml: yaml, file: "rules.yaml")
        } throws: { error in
            "\(error)".hasPrefix("rules.yaml:6:45: the alias *a4")
        }
    }

    @Test func aliasesNestingTooDeepAreAnError() {
        // 40 levels of brackets in an anchor, used inside 30 more: 70 levels once expanded.
        let deep = String(repeating: "[", count: 40) + "x" + String(repeating: "]", count: 40)
        let yaml = "site: lab\nversion: 1\na: &deep \(deep)\nb: " + String(repeating: "[", count: 30) + "*deep"
            + String(repeating: "]", count: 30) + "\n"
        #expect {
            try SiteSpec(yaml: yaml, file: "deep.yaml")
        } throws: { error in
            "\(error)".hasPrefix("deep.yaml:4:34: the alias *deep nests the document deeper than 64 levels")
        }
    }

    @Test func ordinaryAnchorsStillWork() throws {
        let yaml = """
            site: lab
            version: 1
            classes:
              WEB: {packages: {install: &common [vim, less]}}
              DB: {packages: {install: *common}}
            """
        let spec = try SiteSpec(yaml: yaml, file: "s.yaml")
        #expect(spec.classes.map { $0.packages.flatMap(\.packages) } == [["vim", "less"], ["vim", "less"]])
    }

    /// 7.12: YAML's null is no value; on the old main it became the text `null` (`TZ='null'`).
    @Test(arguments: [
        ("classes: {A: {files: {/etc/motd: {content: null}}}}", "content is null"),
        ("classes: {A: {files: {/etc/motd: {content: hi, postinst: ~}}}}", "postinst is null"),
        ("classes: {A: {disk_config: null}}", "disk_config is null"),
        ("classes: {A: {debconf: ~}}", "debconf is null"),
        ("classes: {A: {var: {TZ: null}}}", "the value of TZ is null"),
        ("classes: {A: {var: {TZ: }}}", "the value of TZ is null"),
    ])
    func nullIsNoText(section: String, message: String) {
        #expect {
            try SiteSpec(yaml: "site: lab\nversion: 1\n" + section + "\n", file: "s.yaml")
        } throws: { error in
            "\(error)".hasPrefix("s.yaml:3:") && "\(error)".contains(message)
        }
    }

    @Test func quotedNullAndEmptyTextAreText() throws {
        let spec = try SiteSpec(yaml: "site: lab\nversion: 1\nclasses: {A: {var: {TZ: 'null', EMPTY: ''}}}\n", file: "s.yaml")
        #expect(spec.classes.first?.variables.map(\.value) == ["null", ""])
    }

    @Test func nullRuleIdIsAnError() {
        let yaml = """
            - id: null
              source: cmdline
              equals: x
              classes: [X]
              reason: test
              examples: {fire: [x], quiet: [y]}
            """
        #expect {
            try DetectionRuleSet.parse(yaml: yaml, file: "r.yaml")
        } throws: { error in
            "\(error)".hasPrefix("r.yaml:1:7: `id` is null")
        }
    }

    /// 7.12: YAML allows a byte-order mark at the start; the old main refused the spec.
    @Test func specStartingWithAByteOrderMarkIsRead() throws {
        let spec = try SiteSpec(yaml: "\u{FEFF}site: lab\nversion: 1\nsite2: x\n".replacingOccurrences(of: "site2: x\n", with: ""),
                                file: "bom.yaml")
        #expect(spec.site == "lab")
        // Positions still count from the first character after the mark.
        #expect {
            try SiteSpec(yaml: "\u{FEFF}site: lab\nversion: 1\ncolour: red\n", file: "bom.yaml")
        } throws: { error in
            "\(error)".hasPrefix("bom.yaml:3:1: unknown key 'colour'")
        }
    }

    /// 8.12: what lint's upper-case-package-name warns about, the spec refuses.
    @Test func upperCasePackageNameIsAnErrorForDebianCommands() throws {
        #expect {
            try SiteSpec(yaml: "site: lab\nversion: 1\nclasses: {WEB: {packages: {install: [nginx, Nginx]}}}\n", file: "s.yaml")
        } throws: { error in
            "\(error)".hasPrefix("s.yaml:3:45: upper case in package name 'Nginx'")
        }
        // rpm's names may be mixed case, as lint says.
        _ = try SiteSpec(yaml: "site: lab\nversion: 1\nclasses: {ROCKY: {packages: {dnfi: [NetworkManager]}}}\n", file: "s.yaml")
    }

    @Test func unknownPackagesCommandGetsLintsSuggestion() {
        #expect {
            try SiteSpec(yaml: "site: lab\nversion: 1\nclasses: {WEB: {packages: {instal: [nginx]}}}\n", file: "s.yaml")
        } throws: { error in
            "\(error)" == "s.yaml:3:28: unknown PACKAGES command 'instal' (did you mean 'install'?)"
        }
    }

    /// 7.13: an error about a named file as a whole has a place like every other input error.
    @Test func errorsAboutAWholeFileHaveAPlace() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("missing.yaml").path
        #expect(throws: InputError(wholeFile: missing, "no such file", hint: "give the path of a site spec (YAML)")) {
            try SiteSpec(contentsOf: missing)
        }
        #expect {
            try SiteSpec(contentsOf: dir.path)
        } throws: { error in
            "\(error)".hasPrefix("\(dir.path):1:1: not a regular file")
        }
        #expect {
            try DetectionRuleSet.load(path: missing)
        } throws: { error in
            "\(error)".hasPrefix("\(missing):1:1: no such file")
        }
    }
}
