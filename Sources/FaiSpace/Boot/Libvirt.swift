// Libvirt: a libvirt domain per host that boots FAI from the network with the host's MAC, for sites on QEMU/KVM.

/// `libvirt/HOST.xml` defines a domain named after the host (`virsh define libvirt/HOST.xml`)
/// whose interface has the host's MAC on the configured libvirt network or bridge, and boots
/// from the network first, then from its disk `DISK_DIR/HOST.qcow2`.
enum Libvirt {
    static let directory = "libvirt"

    static func files(_ site: BootSite) -> [GeneratedFile] {
        guard let virt = site.boot.libvirt else { return [] }
        return site.perHost { host, mac in textFile("\(directory)/\(host.name).xml", domain(site, virt, host, mac)) }
    }

    static func domain(_ site: BootSite, _ virt: LibvirtSpec, _ host: HostSpec, _ mac: MACAddress) -> String {
        let source = switch virt.source {
        case .network(let name): "<interface type='network'>\n      <source network='\(escaped(name))'/>"
        case .bridge(let name): "<interface type='bridge'>\n      <source bridge='\(escaped(name))'/>"
        }
        let comment = commentText(site.header("", "libvirt domain of host \(host.name) (\(mac)), network boot first (docs/hypervisors.md)"))
        return """
            <!--\(comment) -->
            <domain type='\(virt.domainType)'>
              <name>\(escaped(host.name.text))</name>
              <memory unit='MiB'>\(virt.memory)</memory>
              <vcpu>\(virt.cpus)</vcpu>
              <os>
                <type arch='x86_64' machine='pc'>hvm</type>
                <boot dev='network'/>
                <boot dev='hd'/>
              </os>
              <features>
                <acpi/>
                <apic/>
              </features>
              <devices>
                <disk type='file' device='disk'>
                  <driver name='qemu' type='qcow2'/>
                  <source file='\(escaped(virt.diskDirectory))/\(escaped(host.name.text)).qcow2'/>
                  <target dev='vda' bus='virtio'/>
                </disk>
                \(source)
                  <mac address='\(mac)'/>
                  <model type='virtio'/>
                </interface>
                <serial type='pty'/>
                <console type='pty'/>
              </devices>
            </domain>

            """
    }

    /// Text that stays inside an XML comment: no `--`, no control characters.
    static func commentText(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let safe: Unicode.Scalar = scalar.value < 0x20 || scalar.value == 0x7F ? " " : scalar
            if safe == "-", out.last == "-" { out.append(" ") }
            out.append(safe)
        }
        while out.last == " " { out.removeLast() }
        return String(out)
    }

    /// Text as XML character data or an attribute value in single or double quotes.
    static func escaped(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "'": out += "&apos;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}
