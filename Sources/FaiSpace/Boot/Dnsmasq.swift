// Dnsmasq: a dnsmasq config snippet for DHCP and TFTP, and its dhcp-hostsfile.

/// `dnsmasq/faigen.conf` (include it with `conf-file=`, or copy it to /etc/dnsmasq.d/):
/// DHCP on the subnet, the boot file by client architecture (DHCP option 93) and for
/// iPXE, TFTP from the TFTP root, and `enable-ra` (without router advertisements iPXE
/// waits 13 s for IPv6). The hosts are in `dnsmasq/dhcp-hosts` (`dhcp-hostsfile=`) and
/// `hosts` (`addn-hosts=`): dnsmasq rereads both on SIGHUP, so adding a host needs no restart.
enum Dnsmasq {
    static func files(_ site: BootSite) -> [GeneratedFile] {
        let boot = site.boot
        let mask = boot.subnet.netmask
        var lines = [site.header("#", "DHCP and TFTP for network boot (docs/boot.md); hosts are in dhcp-hosts and hosts, reread on SIGHUP")]
        if let interface = boot.interface { lines.append("interface=\(interface)") }
        if let range = boot.range {
            lines.append("dhcp-range=set:faigen,\(range.lowerBound),\(range.upperBound),\(mask),12h")
        } else {
            lines.append("dhcp-range=set:faigen,\(boot.subnet.address),static,\(mask),12h")
        }
        if let router = boot.router { lines.append("dhcp-option=tag:faigen,option:router,\(router)") }
        if !boot.dns.isEmpty { lines.append("dhcp-option=tag:faigen,option:dns-server," + boot.dns.map(\.description).joined(separator: ",")) }
        if let domain = boot.domain { lines.append("dhcp-option=tag:faigen,option:domain-name,\(domain)") }
        lines.append("dhcp-hostsfile=\(site.serverDirectory.joiningPath(BootLayout.dnsmasqHosts))")
        lines.append("addn-hosts=\(site.serverDirectory.joiningPath(BootLayout.hosts))")
        lines.append("# The boot file: iPXE asks with user class iPXE, UEFI x86-64 with client architecture 7 or 9, BIOS with 0.")
        lines.append("dhcp-userclass=set:faigen-ipxe,iPXE")
        lines.append("dhcp-match=set:faigen-efi64,option:client-arch,7")
        lines.append("dhcp-match=set:faigen-efi64,option:client-arch,9")
        if let ipxe = boot.ipxeLoader {
            lines.append("dhcp-boot=tag:faigen-ipxe,\(ipxe),,\(boot.server)")
            lines.append("dhcp-boot=tag:!faigen-ipxe,tag:faigen-efi64,\(boot.uefiLoader),,\(boot.server)")
            lines.append("dhcp-boot=tag:!faigen-ipxe,tag:!faigen-efi64,\(boot.biosLoader),,\(boot.server)")
        } else {
            lines.append("dhcp-boot=tag:faigen-efi64,\(boot.uefiLoader),,\(boot.server)")
            lines.append("dhcp-boot=tag:!faigen-efi64,\(boot.biosLoader),,\(boot.server)")
        }
        lines.append("enable-tftp")
        lines.append("tftp-root=\(site.tftpRoot)")
        lines.append("enable-ra")
        var hosts = [site.header("#", "dnsmasq dhcp-hostsfile: MAC,IP,NAME per host")]
        for host in site.hosts {
            hosts.append([host.mac?.description, host.ip?.description, host.name.text].compactMap { $0 }.joined(separator: ","))
        }
        return [textFile(BootLayout.dnsmasqConfig, lines.joined(separator: "\n") + "\n"),
                textFile(BootLayout.dnsmasqHosts, hosts.joined(separator: "\n") + "\n")]
    }
}

/// `hosts`: one line per host with an IP address, as /etc/hosts takes them and dnsmasq's
/// `addn-hosts` reads them: the address, the full name, and the short name.
enum HostsFile {
    static func files(_ site: BootSite) -> [GeneratedFile] {
        var lines = [site.header("#", "/etc/hosts lines of the hosts, also dnsmasq's addn-hosts")]
        for host in site.spec.hosts {
            guard let ip = host.ip else { continue }
            var names = [host.name.text]
            if let domain = site.boot.domain, !host.name.text.contains(".") { names = ["\(host.name).\(domain)", host.name.text] }
            else if host.name.shortName != host.name.text { names.append(host.name.shortName) }
            lines.append("\(ip)\t" + names.joined(separator: " "))
        }
        return [textFile(BootLayout.hosts, lines.joined(separator: "\n") + "\n")]
    }
}

/// `tftpd-hpa/tftpd-hpa`: /etc/default/tftpd-hpa for a site that serves the TFTP root
/// with tftpd-hpa instead of dnsmasq.
enum TftpdHpa {
    static func files(_ site: BootSite) -> [GeneratedFile] {
        let text = site.header("#", "/etc/default/tftpd-hpa serving the boot files without dnsmasq") + """
            TFTP_USERNAME="tftp"
            TFTP_DIRECTORY="\(site.tftpRoot)"
            TFTP_ADDRESS=":69"
            TFTP_OPTIONS="--secure"

            """
        return [textFile(BootLayout.tftpdHpa, text)]
    }
}
