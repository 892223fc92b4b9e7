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
