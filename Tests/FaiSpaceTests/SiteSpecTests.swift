// SiteSpec: site and version from YAML; every error one line with file:line:column.
import Testing
@testable import FaiSpace

@Suite struct SiteSpecTests {
    @Test func siteAndVersion() throws {
        let spec = try SiteSpec(yaml: "site: lab\nversion: 2024.1\n", file: "faigen.yaml")
        var expected = SiteSpec(site: "lab", version: "2024.1", source: "faigen.yaml")
        expected.origin = "site lab (spec sha256 \(sha256Hex(Array("site: lab\nversion: 2024.1\n".utf8)).prefix(12)))"
        #expect(spec == expected)
    }

    @Test func embeddedDefaultSiteParses() throws {
        let spec = try SiteSpec(yaml: defaultSiteSpec, file: defaultSiteSpecName)
        #expect(!spec.site.isEmpty && !spec.version.isEmpty)
    }

    @Test(arguments: [
        ("site: lab\nversion: 1\ncolour: red\n", "s.yaml:3:1: unknown key 'colour' in the site spec (known keys: site, version, detect, classes, grub_legacy, ganeti, nfsroot, hosts, boot)"),
        ("site: lab\n", "s.yaml:1:1: the site spec has no 'version' (add `version:`)"),
        ("site: [a, b]\nversion: 1\n", "s.yaml:1:7: site must be a single value (a string) "),
        ("site:\nversion: 1\n", "s.yaml:1:6: site is empty (give it a value)"),
        ("- site\n", "s.yaml:1:1: the site spec must be a mapping of keys to values (known keys: site, version, detect, classes, grub_legacy, ganeti, nfsroot, hosts, boot)"),
        ("site: lab\nversion: 1\nsite: other\n", "s.yaml:3:1: duplicate key site in a mapping (keep one of them)"),
        ("site: [unclosed\nversion: 1\n", "s.yaml:2:8: not YAML: "),
        ("", "s.yaml:1:1: the spec is empty"),
        ("site: lab\nversion: 1\nhosts:\n  - name: a\n    name: b\n", "s.yaml:5:5: duplicate key name in a mapping"),
    ])
    func badSpecsAreOneLineErrors(yaml: String, expected: String) {
        #expect {
            try SiteSpec(yaml: yaml, file: "s.yaml")
        } throws: { error in
            let text = (error as? InputError)?.description ?? "\(error)"
            let expectedPrefix = expected.hasSuffix(" ") ? String(expected.dropLast()) : expected
            return text.hasPrefix(expectedPrefix) && !text.contains("\n")
        }
    }

    @Test(arguments: [
        // The second place a key appears (the line to delete), in block and flow mappings.
        ("site: lab\nversion: 1\nclasses:\n  WEB:\n    packages: a\n    # note\n    packages: b\n", "s.yaml:7:5: duplicate key packages"),
        ("site: lab\nversion: 1\nx: {a: 1, b: 2, a: 3}\n", "s.yaml:3:17: duplicate key a"),
        ("site: lab\nversion: 1\nx:\n  b: 1\n  a: 1\n  b: 2\n  a: 2\n", "s.yaml:6:3: duplicate key a, b"),
    ])
    func repeatedKeyIsNamedWhereItRepeats(yaml: String, expected: String) {
        #expect {
            try SiteSpec(yaml: yaml, file: "s.yaml")
        } throws: { error in
            "\(error)".hasPrefix(expected)
        }
    }
}
