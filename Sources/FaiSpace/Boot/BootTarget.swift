// BootTarget: the kinds of boot files faigen makes from one host list, as a table.

/// One kind of boot file: what it is for, and how it is made from a site.
public struct BootTarget: Sendable {
    public var name: String
    /// What the files are and who reads them.
    public var summary: String
    var make: @Sendable (BootSite) -> [GeneratedFile]

    /// Every target, in the order docs/boot.md describes them.
    public static let all: [BootTarget] = [
        BootTarget(name: "pxelinux", summary: "tftp/pxelinux.cfg/01-MAC per host and default, as fai-chboot writes them (BIOS)",
                   make: Pxelinux.files),
        BootTarget(name: "grub", summary: "tftp/grub/grub.cfg-01-MAC per host and grub.cfg, which GRUB's network image loads (UEFI)",
                   make: GrubNetBoot.files),
        BootTarget(name: "ipxe", summary: "tftp/boot.ipxe, which chains tftp/ipxe/01-MAC.ipxe or ipxe/default.ipxe",
                   make: IPXEScripts.files),
        BootTarget(name: "dnsmasq", summary: "dnsmasq/faigen.conf (DHCP, boot file by client architecture, TFTP) and dnsmasq/dhcp-hosts",
                   make: Dnsmasq.files),
        BootTarget(name: "hosts", summary: "hosts: /etc/hosts lines, also dnsmasq's addn-hosts", make: HostsFile.files),
        BootTarget(name: "dhcpd", summary: "dhcpd/dhcpd.conf and the host blocks it includes, dhcpd/hosts.conf (ISC dhcpd)",
                   make: ISCDhcpd.files),
        BootTarget(name: "kea", summary: "kea/kea-dhcp4.conf and the reservations it includes, kea/reservations.json",
                   make: Kea.files),
        BootTarget(name: "tftpd-hpa", summary: "tftpd-hpa/tftpd-hpa: /etc/default/tftpd-hpa serving tftp/ without dnsmasq",
                   make: TftpdHpa.files),
    ]
}

extension BootSite {
    /// Every boot file of the site, sorted by path, plus the record of switched hosts.
    public func generatedFiles() -> [GeneratedFile] {
        var files = BootTarget.all.flatMap { $0.make(self) }
        files.append(switched.file(site: self))
        return files.sorted { $0.path < $1.path }
    }

    /// One file per host of a per-host target, made on every core, in host order.
    func perHost(_ make: @Sendable (HostSpec, MACAddress) -> GeneratedFile) -> [GeneratedFile] {
        let hosts = self.hosts
        return Parallel.map(hosts.count) { index in make(hosts[index], hosts[index].mac!) }
    }
}

func textFile(_ path: String, _ text: String) -> GeneratedFile {
    GeneratedFile(path: path, contents: Array(text.utf8), mode: 0o644)
}
