// RenderSpecErrorTests: a bad site spec is one FILE:LINE:COLUMN line, exit 2, and no change on disk.
import Foundation
import Testing

/// Every file under `root` with its bytes and mode, to prove a failed render changed nothing.
func treeState(_ root: URL) throws -> [String: String] {
    var state: [String: String] = [:]
    let fm = FileManager.default
    guard let walker = fm.enumerator(at: root, includingPropertiesForKeys: nil) else { return state }
    for case let url as URL in walker {
        let attributes = try fm.attributesOfItem(atPath: url.path)
        let mode = (attributes[.posixPermissions] as? Int) ?? 0
        let data = fm.contents(atPath: url.path) ?? Data()
        state[url.path] = "\(attributes[.type] ?? "") \(String(mode, radix: 8)) \(data.base64EncodedString())"
    }
    return state
}

@Suite struct RenderSpecErrors {
    static let cases: [(name: String, spec: String, expected: String)] = [
        ("yaml", "site: lab\nversion: 1\nclasses:\n  WEB: [unclosed\n", ":5:1: not YAML: "),
        ("unknown-key", "site: lab\nversion: 1\nclasses:\n  WEB:\n    packges:\n      install: [nginx]\n",
         ":5:5: unknown key 'packges' in class WEB (known keys: packages, var, disk_config, debconf, files)"),
        ("class-name", "site: lab\nversion: 1\nganeti:\n  hostname_classes:\n    - pattern: '^web'\n      classes: [WEB, \"web;reboot\"]\n",
         ":6:22: invalid class name 'web;reboot' (a class name is made of A-Z, 0-9 and _)"),
        ("class-key", "site: lab\nversion: 1\nclasses:\n  Web:\n    packages: {install: [nginx]}\n",
         ":4:3: invalid class name 'Web' (a class name is made of A-Z, 0-9 and _)"),
        ("pcre2", "site: lab\nversion: 1\nganeti:\n  hostname_classes:\n    - pattern: '^web(\\d+'\n      classes: [WEB]\n",
         ":5:16: pattern '^web(\\d+' does not compile: missing closing parenthesis at offset 8"),
        ("duplicate-host", "site: lab\nversion: 1\nhosts:\n  - name: web01\n    classes: [WEB]\n  - name: db01\n  - name: web01\n",
         ":7:11: duplicate host 'web01' (first at "),
        ("duplicate-mac", "site: lab\nversion: 1\nhosts:\n  - {name: a1, mac: '52:54:00:00:00:01'}\n  - {name: a2, mac: '52:54:00:00:00:01'}\n",
         ":5:21: duplicate MAC address 52:54:00:00:00:01"),
        ("device", "site: lab\nversion: 1\ngrub_legacy:\n  root_partition: /dev/xvda1;reboot\n",
         ":4:19: invalid root partition '/dev/xvda1;reboot'"),
        ("package", "site: lab\nversion: 1\nnfsroot:\n  packages:\n    install: [pcre2-utils, \"$(reboot)\"]\n",
         ":5:28: invalid package name '$(reboot)'"),
        ("detect-rule", "site: lab\nversion: 1\ndetect:\n  - id: x\n    source: kernel-log\n    pattern: 'a(b'\n    classes: [X]\n    reason: r\n    examples: {fire: [ab], quiet: [c]}\n",
         ":6:18: invalid PCRE2 pattern"),
    ]

    @Test(arguments: cases.map(\.name))
    func badSpecIsOneLocatedLineAndChangesNothing(name: String) throws {
        let entry = try #require(Self.cases.first { $0.name == name })
        let dir = try scratchDirectory("specerror\(name)")
        let spec = dir.appendingPathComponent("site.yaml")
        try entry.spec.write(to: spec, atomically: true, encoding: .utf8)
        // An existing config space, rendered once from the default site.
        let out = dir.appendingPathComponent("config")
        #expect(try faigen("render", out.path, directory: dir).status == 0)
        try "hand written\n".write(to: out.appendingPathComponent("class/FAIBASE.var"), atomically: true, encoding: .utf8)
        let before = try treeState(out)
        let result = try faigen("render", "--spec", spec.path, out.path, directory: dir)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("faigen: error: \(spec.path)\(entry.expected)"), "\(result.stderr)")
        #expect(result.stderr.filter { $0 == "\n" }.count == 1)
        #expect(!result.stderr.contains("Fatal error"))
        #expect(try treeState(out) == before)
    }
}
