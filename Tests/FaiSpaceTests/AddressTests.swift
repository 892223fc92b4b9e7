// AddressTests: MACs, IPs, networks and host names are parsed once into one canonical form.
import Testing
@testable import FaiSpace

@Suite struct AddressTests {
    @Test(arguments: [
        ("52:54:00:12:34:56", "52:54:00:12:34:56"), ("52:54:00:AB:cd:EF", "52:54:00:ab:cd:ef"),
    ])
    func macIsLowerCaseColonForm(text: String, canonical: String) throws {
        let mac = try #require(MACAddress(text))
        #expect(mac.description == canonical)
        #expect(mac.pxelinuxName == "01-" + canonical.replacingOccurrences(of: ":", with: "-"))
    }

    @Test(arguments: [
        "５2:54:00:12:34:56", "52:54:00:12:34:５6", "52-54-00-12-34-56", "525400123456", "52:54:00:12:34:56:",
        "52:54:00:12:34:5g", " 52:54:00:12:34:56", "52:54:00:12:34:56\0", "52:54:0:12:34:56",
    ])
    func macRejects(text: String) {
        #expect(MACAddress(text) == nil)
    }

    @Test func multicastMACIsNoHostsAddress() {
        #expect(throws: InputError.self) { try Validate.mac("01:00:5e:00:00:01") }
        #expect(throws: InputError.self) { try Validate.mac("ff:ff:ff:ff:ff:ff") }
    }

    @Test(arguments: [
        ("::1", "0:0:0:0:0:0:0:1"), ("fe80::1", "FE80::1"), ("2001:db8::1", "2001:0db8:0000:0000:0000:0000:0000:0001"),
        ("::ffff:10.1.1.1", "::FFFF:0A01:0101"),
    ])
    func ipv6SpellingsAreOneAddress(first: String, second: String) throws {
        let a = try #require(IPAddress(first)), b = try #require(IPAddress(second))
        #expect(a == b)
        #expect(a.description == b.description)
    }

    @Test(arguments: [
        ("10.1.1.11", "10.1.1.11", "0A01010B"), ("0.0.0.0", "0.0.0.0", "00000000"), ("255.255.255.255", "255.255.255.255", "FFFFFFFF"),
    ])
    func ipv4(text: String, canonical: String, hex: String) throws {
        let ip = try #require(IPAddress(text))
        #expect(ip.description == canonical && ip.hexName == hex && ip.family == .v4)
    }

    /// inet_pton refuses leading zeros: `010.000.000.001` is not silently 10.0.0.1 (nor octal 8.0.0.1).
    @Test(arguments: [
        "010.000.000.001", "01.2.3.4", ":::", "1:::2", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.٤", "１.2.3.4",
        "fe80::1%eth0", "10.1.1.1\0junk", "", " 10.1.1.1", "1::2::3", "12345::1",
    ])
    func ipRejects(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func networks() throws {
        let net = try #require(IPNetwork("10.1.1.0/24"))
        #expect(net.isNetworkAddress && net.contains(IPAddress("10.1.1.200")!) && !net.contains(IPAddress("10.1.2.1")!))
        #expect(!net.contains(IPAddress("::1")!))
        #expect(net.netmask.description == "255.255.255.0" && net.last.description == "10.1.1.255")
        #expect(IPNetwork("10.1.1.5/24")!.isNetworkAddress == false)
        #expect(IPNetwork("10.1.1.5/24")!.normalized.description == "10.1.1.0/24")
        let six = try #require(IPNetwork("2001:db8::/64"))
        #expect(six.contains(IPAddress("2001:db8::ffff")!) && !six.contains(IPAddress("2001:db9::1")!))
        #expect(six.last.description == "2001:db8::ffff:ffff:ffff:ffff")
        for bad in ["10.1.1.0", "10.1.1.0/33", "10.1.1.0/", "10.1.1.0/024", "x/8", "10.1.1.0/-1", "::/129"] {
            #expect(IPNetwork(bad) == nil, "\(bad)")
        }
    }

    @Test(arguments: [
        ("web01", true), ("web01.example.org", true), ("a", true), ("x-1.b", true), ("host.", false), ("a..b", false),
        (".a", false), ("-a", false), ("a-", false), ("a.-b", false), ("web 1", false), ("01web", false), ("wéb", false),
        (String(repeating: "a", count: 63), true), (String(repeating: "a", count: 64), false),
        (Array(repeating: String(repeating: "a", count: 63), count: 4).joined(separator: "."), false),
        ("a_b", false), ("", false),
    ])
    func hostNames(text: String, valid: Bool) {
        #expect((HostName(text) != nil) == valid, "\(text)")
    }

    @Test func specKeepsOneCanonicalFormAndFindsDuplicatesWrittenDifferently() throws {
        let spec = try SiteSpec(yaml: """
            site: lab
            version: 1
            hosts:
              - {name: a1, mac: '52:54:00:AB:CD:EF', ip: '2001:DB8:0:0:0:0:0:1'}
            """, file: "s.yaml")
        #expect(spec.hosts[0].mac?.description == "52:54:00:ab:cd:ef")
        #expect(spec.hosts[0].ip?.description == "2001:db8::1")
        for (first, second) in [("::1", "0:0:0:0:0:0:0:1"), ("fe80::1", "FE80::1")] {
            let yaml = "site: lab\nversion: 1\nhosts:\n  - {name: a1, ip: '\(first)'}\n  - {name: a2, ip: '\(second)'}\n"
            let error = #expect(throws: InputError.self) { try SiteSpec(yaml: yaml, file: "s.yaml") }
            #expect(error?.description.hasPrefix("s.yaml:5:20: duplicate IP address \(IPAddress(first)!) (first at s.yaml:4:20)") == true,
                    "\(String(describing: error))")
        }
        let leading = #expect(throws: InputError.self) {
            try SiteSpec(yaml: "site: lab\nversion: 1\nhosts:\n  - {name: a1, ip: 10.0.0.1}\n  - {name: a2, ip: 010.000.000.001}\n", file: "s.yaml")
        }
        #expect(leading?.description.hasPrefix("s.yaml:5:20: invalid IP address '010.000.000.001'") == true, "\(String(describing: leading))")
        let macCase = #expect(throws: InputError.self) {
            try SiteSpec(yaml: "site: lab\nversion: 1\nhosts:\n  - {name: a1, mac: '52:54:00:ab:cd:ef'}\n  - {name: a2, mac: '52:54:00:AB:CD:EF'}\n", file: "s.yaml")
        }
        #expect(macCase?.description.hasPrefix("s.yaml:5:21: duplicate MAC address 52:54:00:ab:cd:ef (first at s.yaml:4:21)") == true, "\(String(describing: macCase))")
        for name in ["host.", "a..b"] {
            let error = #expect(throws: InputError.self) {
                try SiteSpec(yaml: "site: lab\nversion: 1\nhosts:\n  - {name: '\(name)'}\n", file: "s.yaml")
            }
            #expect(error?.description.hasPrefix("s.yaml:4:12: invalid host name '\(name)'") == true, "\(String(describing: error))")
        }
    }
}
