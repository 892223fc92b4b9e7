// Kea: a kea-dhcp4 configuration for the subnet and the host reservations it includes.

/// `kea/kea-dhcp4.conf` declares the subnet, its pool and options and the boot file by
/// client class, and takes its `reservations` from `kea/reservations.json` (a JSON array,
/// included with Kea's `<?include?>`). A site with its own Kea configuration includes
/// only the reservations.
enum Kea {
    static func files(_ site: BootSite) -> [GeneratedFile] {
        let boot = site.boot
        var options: [String] = []
        if let router = boot.router { options.append(option("routers", router.description)) }
        if !boot.dns.isEmpty { options.append(option("domain-name-servers", boot.dns.map(\.description).joined(separator: ", "))) }
        if let domain = boot.domain { options.append(option("domain-name", domain.text)) }
        var classes: [String] = []
        if let ipxe = boot.ipxeLoader {
            classes.append(#"{ "name": "faigen-ipxe", "test": "option[77].hex == 'iPXE'", "boot-file-name": \#(json(ipxe)) }"#)
        }
        let notIPXE = boot.ipxeLoader == nil ? "" : " and not member('faigen-ipxe')"
        classes.append(#"{ "name": "faigen-efi64", "test": "(option[93].hex == 0x0007 or option[93].hex == 0x0009)\#(notIPXE)", "boot-file-name": \#(json(boot.uefiLoader)) }"#)
        let pools = boot.range.map { #"[ { "pool": "\#($0.lowerBound) - \#($0.upperBound)" } ]"# } ?? "[ ]"
        let interfaces = boot.interface.map(json) ?? json("*")
        let conf = """
            \(site.header("//", "kea-dhcp4 configuration for network boot (docs/boot.md)"))\
            {
              "Dhcp4": {
                "interfaces-config": { "interfaces": [ \(interfaces) ] },
                "lease-database": { "type": "memfile", "lfc-interval": 3600 },
                "valid-lifetime": 43200,
                "client-classes": [
                  \(classes.joined(separator: ",\n      "))
                ],
                "subnet4": [
                  {
                    "id": 1,
                    "subnet": "\(boot.subnet)",
                    "pools": \(pools),
                    "next-server": "\(boot.server)",
                    "boot-file-name": \(json(boot.biosLoader)),
                    "option-data": [\(options.isEmpty ? "" : "\n          " + options.joined(separator: ",\n          ") + "\n        ")],
                    "reservations": <?include "\(site.serverDirectory.joiningPath(BootLayout.keaReservations))"?>
                  }
                ]
              }
            }

            """
        var reservations: [String] = []
        for host in site.hosts {
            var fields = [#""hw-address": "\#(host.mac!)""#]
            if let ip = host.ip { fields.append(#""ip-address": "\#(ip)""#) }
            fields.append(#""hostname": \#(json(host.name.text))"#)
            reservations.append("  { " + fields.joined(separator: ", ") + " }")
        }
        let reservationsText = reservations.isEmpty ? "[ ]\n" : "[\n" + reservations.joined(separator: ",\n") + "\n]\n"
        return [textFile(BootLayout.keaConfig, conf), textFile(BootLayout.keaReservations, reservationsText)]
    }

    static func option(_ name: String, _ data: String) -> String {
        #"{ "name": "\#(name)", "data": \#(json(data)) }"#
    }

    /// A JSON string: the spec's values are plain, but a quote or control character would
    /// still come out escaped.
    static func json(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
