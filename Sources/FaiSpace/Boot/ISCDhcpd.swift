// ISCDhcpd: an ISC dhcpd configuration for the subnet and the host blocks it includes.

/// `dhcpd/dhcpd.conf` declares the subnet, its range and options, the boot file by client
/// architecture, and includes `dhcpd/hosts.conf`, one `host` block per host. A site with
/// its own dhcpd.conf includes only hosts.conf.
enum ISCDhcpd {
    static func files(_ site: BootSite) -> [GeneratedFile] {
        let boot = site.boot
        var conf = site.header("#", "ISC dhcpd configuration for network boot (docs/boot.md)")
        conf += "option faigen-client-arch code 93 = unsigned integer 16;\n\n"
        conf += "subnet \(boot.subnet.address) netmask \(boot.subnet.netmask) {\n"
        if let range = boot.range { conf += "\trange \(range.lowerBound) \(range.upperBound);\n" }
        if let router = boot.router { conf += "\toption routers \(router);\n" }
        if !boot.dns.isEmpty { conf += "\toption domain-name-servers \(boot.dns.map(\.description).joined(separator: ", "));\n" }
        if let domain = boot.domain { conf += "\toption domain-name \"\(domain)\";\n" }
        conf += "\tnext-server \(boot.server);\n"
        var choice = ""
        if let ipxe = boot.ipxeLoader {
            choice += "\tif exists user-class and option user-class = \"iPXE\" {\n\t\tfilename \"\(ipxe)\";\n\t} els"
        } else {
            choice += "\t"
        }
        choice += "if option faigen-client-arch = 7 or option faigen-client-arch = 9 {\n\t\tfilename \"\(boot.uefiLoader)\";\n"
        choice += "\t} else {\n\t\tfilename \"\(boot.biosLoader)\";\n\t}\n"
        conf += choice + "}\n\n"
        conf += "include \"\(site.serverDirectory.joiningPath(BootLayout.dhcpdHosts))\";\n"

        var hosts = site.header("#", "ISC dhcpd host blocks, one per host")
        for host in site.hosts {
            hosts += "host \(host.name) {\n\thardware ethernet \(host.mac!);\n"
            if let ip = host.ip { hosts += "\tfixed-address \(ip);\n" }
            hosts += "\toption host-name \"\(host.name)\";\n}\n"
        }
        return [textFile(BootLayout.dhcpdConfig, conf), textFile(BootLayout.dhcpdHosts, hosts)]
    }
}
