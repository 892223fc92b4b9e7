// GanetiSpecTests: the spec's ganeti.variants and ganeti.action, read with FILE:LINE:COLUMN errors, and the OS definition they give.
import Testing
@testable import FaiSpace

@Suite struct GanetiSpecTests {
    static func spec(_ ganeti: String) throws(InputError) -> SiteSpec {
        try SiteSpec(yaml: "site: lab\nversion: 1\nganeti:\n\(ganeti)", file: "lab.yaml")
    }

    @Test func variantsKeepSpecOrderAfterDefault() throws {
        let os = try #require(try Self.spec("  variants: {web: [WEB, NGINX], db: DB, default: [BASE]}\n  action: sysinfo\n").ganetiOS)
        #expect(os.variants.map(\.name) == ["default", "web", "db"])
        #expect(os.variants.map(\.classes) == [["BASE"], ["WEB", "NGINX"], ["DB"]])
        #expect(os.action == .sysinfo)
        // hostname_classes alone still gives the definition, with the default variant only.
        let only = try Self.spec("  hostname_classes: [{pattern: '^web', classes: [WEB]}]\n")
        #expect(only.ganetiOS?.variants.map(\.name) == ["default"] && only.hostnameClasses?.count == 1)
        #expect(try SiteSpec(yaml: "site: lab\nversion: 1\n", file: "lab.yaml").ganetiOS == nil)
    }

    /// Only a spec with `ganeti:` gets the OS definition from `faigen boot`.
    @Test func bootWritesTheDefinitionOnlyWithAGanetiSection() throws {
        let boot = "boot: {kernel: 6.1.0-28-amd64, server: 10.1.1.1, subnet: 10.1.1.0/24}\nhosts: [{name: a, mac: '52:54:00:00:10:01'}]\n"
        let without = try SiteSpec(yaml: "site: lab\nversion: 1\n" + boot, file: "lab.yaml")
        #expect(!(try BootSite(spec: without, serverDirectory: "/out").generatedFiles().contains { $0.path.hasPrefix("ganeti/") }))
        let with = try SiteSpec(yaml: "site: lab\nversion: 1\nganeti: {variants: {web: [WEB]}}\n" + boot, file: "lab.yaml")
        let paths = try BootSite(spec: with, serverDirectory: "/out").generatedFiles().map(\.path).filter { $0.hasPrefix("ganeti/") }
        #expect(paths.count == 12 && paths.contains("ganeti/instance-fai/variants/web.conf"), "\(paths)")
    }

    @Test(arguments: [
        ("  variants: {Web: [WEB]}\n", "lab.yaml:4:14: invalid Ganeti variant name 'Web'"),
        ("  variants: {'../x': [WEB]}\n", "lab.yaml:4:14: invalid Ganeti variant name '../x'"),
        ("  variants: {web: [web]}\n", "lab.yaml:4:20: invalid class name"),
        ("  variants: {web: ['WEB;reboot']}\n", "lab.yaml:4:20: invalid class name"),
        ("  action: localboot\n", "lab.yaml:4:11: a Ganeti instance cannot boot action localboot"),
        ("  action: reboot\n", "lab.yaml:4:11: unknown boot action 'reboot'"),
        ("  variant: {web: [WEB]}\n", "lab.yaml:4:3:"),
    ])
    func badGanetiSectionsNameTheValue(_ yaml: String, _ expected: String) {
        do {
            _ = try Self.spec(yaml)
            Issue.record("accepted \(yaml)")
        } catch {
            #expect(error.description.hasPrefix(expected), "\(error.description)")
        }
    }
}
