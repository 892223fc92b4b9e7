// BootSpec: the spec's `boot:` section and each host's `boot:` fields, read and checked once.

/// What a host does when it boots from the network: an `FAI_ACTION` of the nfsroot, or
/// (`localboot`) the next boot device, as `fai-chboot -o` sets it.
public enum BootAction: String, Sendable, Hashable, CaseIterable {
    /// `FAI_ACTION=install` (`fai-chboot -I`): install the host.
    case install
    /// `FAI_ACTION=sysinfo` (`fai-chboot -S`): show what the host has, change nothing.
    case sysinfo
    /// `FAI_ACTION=inventory`: print the host's hardware inventory.
    case inventory
    /// Boot from the local disk (`fai-chboot -o`).
    case localboot

    /// The value of `FAI_ACTION=` on the kernel command line; nil for `localboot`.
    public var faiAction: String? { self == .localboot ? nil : rawValue }

    static let known = allCases.map(\.rawValue).joined(separator: ", ")
}

/// How the nfsroot's kernel mounts its root: fai-chboot adds `rootovl` when the nfsroot's
/// kernel has overlayfs, `aufs` when it has aufs, else nothing.
public enum RootOverlay: String, Sendable, Hashable, CaseIterable {
    case rootovl, aufs, none
}

/// The `boot:` section: what the nfsroot kernel is called and where it finds its root and
/// config space, the FAI flags and arguments every host gets, and the DHCP subnet.
///
/// ```yaml
/// boot:
///   kernel: 6.1.0-28-amd64          # vmlinuz-KVER and initrd.img-KVER in the TFTP root
///   nfsroot: /srv/fai/nfsroot
///   nfsroot_server: 10.1.1.1
///   config_src: nfs://10.1.1.1/srv/fai/config
///   flags: [verbose, sshd, createvt]
///   server: 10.1.1.1                # next-server: the TFTP server
///   subnet: 10.1.1.0/24
///   range: [10.1.1.100, 10.1.1.199]
/// ```
public struct BootSpec: Sendable, Hashable {
    /// KVER: the kernel is `vmlinuz-KVER`, the initrd `initrd.img-KVER` (fai-make-nfsroot's names).
    public var kernelVersion: String
    public var nfsroot: String = "/srv/fai/nfsroot"
    /// The NFS server of the nfsroot (`root=nfs:SERVER:PATH`); nil leaves it to DHCP's root-path.
    public var nfsrootServer: IPAddress?
    public var overlay: RootOverlay = .rootovl
    /// `FAI_CONFIG_SRC`, such as `nfs://server/srv/fai/config` or the URL of a `faigen build`.
    public var configSource: String?
    public var flags: [String] = []
    /// Kernel arguments every host gets, word by word.
    public var kernelArgs: [String] = []
    /// The action of a host that names none.
    public var action: BootAction = .install
    /// What a machine whose MAC the spec does not list boots (pxelinux.cfg/default and friends).
    public var unknown: BootAction = .localboot
    /// Where OUTDIR is on the FAI server, for the paths dnsmasq, dhcpd, Kea and tftpd-hpa
    /// read (TFTP root SERVER_DIR/tftp); nil: OUTDIR's own absolute path.
    public var serverDirectory: String?
    /// The FAI server's address: next-server for TFTP.
    public var server: IPAddress
    public var subnet: IPNetwork
    /// The dynamic range for machines the spec does not list; nil: reserved hosts only.
    public var range: ClosedRange<IPAddress>?
    public var router: IPAddress?
    public var dns: [IPAddress] = []
    public var domain: HostName?
    /// The server's interface on the subnet (dnsmasq `interface=`, Kea `interfaces-config`).
    public var interface: String?
    /// The boot file DHCP names for a BIOS PXE client, in the TFTP root.
    public var biosLoader = "pxelinux.0"
    /// The boot file for a UEFI x86-64 client: GRUB's network image as grub-mknetdir makes it.
    public var uefiLoader = "grub/x86_64-efi/core.efi"
    /// The boot file for a client that is already iPXE (DHCP user class `iPXE`); nil: the others'.
    public var ipxeLoader: String?
    /// XenServer, VirtualBox and libvirt machines for the hosts (docs/boot.md); nil: none.
    public var xenserver: XenServerSpec?
    public var virtualbox: VirtualBoxSpec?
    public var libvirt: LibvirtSpec?

    public init(kernelVersion: String, server: IPAddress, subnet: IPNetwork) {
        self.kernelVersion = kernelVersion
        self.server = server
        self.subnet = subnet
    }

    public var kernel: String { "vmlinuz-" + kernelVersion }
    public var initrd: String { "initrd.img-" + kernelVersion }

    public static let keys = ["kernel", "nfsroot", "nfsroot_server", "overlay", "config_src", "flags", "kernel_args",
                              "action", "unknown", "server_dir", "server", "subnet", "range", "router", "dns",
                              "domain", "interface", "loaders"] + hypervisorKeys

    /// The flags FAI's scripts test (`flag_NAME` in fai-client, `initial` from fai-chboot -E).
    /// FAI defines each flag with `eval "flag_$flag=1"`: nothing else may get there.
    public static let knownFlags = ["createvt", "debug", "halt", "initial", "menu", "reboot", "sshd", "verbose", "wait"]

    /// The FAI_CONFIG_SRC methods fai-client has a get-config-dir-METHOD for.
    public static let configMethods = ["cvs", "file", "git", "hg", "http", "https", "nfs", "scp", "sftp", "svn"]

    /// Kernel arguments faigen writes itself from other keys.
    static let reservedArguments = ["hostname", "ADDCLASSES", "FAI_ACTION", "FAI_FLAGS", "FAI_CONFIG_SRC", "root", "initrd", "ip", "BOOT_IMAGE"]
}

/// A host's own `boot:` fields; what is not given comes from the `boot:` section.
///
/// ```yaml
/// hosts:
///   - {name: web01, mac: '52:54:00:00:10:01', ip: 10.1.1.11,
///      boot: {action: install, flags: [verbose, reboot], kernel_args: 'console=ttyS0', addclasses: [WEB]}}
/// ```
public struct HostBoot: Sendable, Hashable {
    public var action: BootAction?
    public var flags: [String]?
    public var kernelArgs: [String] = []
    /// `ADDCLASSES=`: classes FAI adds after the class scripts, for this host.
    public var addClasses: [String] = []

    public init(action: BootAction? = nil, flags: [String]? = nil, kernelArgs: [String] = [], addClasses: [String] = []) {
        self.action = action
        self.flags = flags
        self.kernelArgs = kernelArgs
        self.addClasses = addClasses
    }

    static let keys = ["action", "flags", "kernel_args", "addclasses"]
}

extension BootSpec {
    /// Reads `boot:`; `hosts` are the hosts already read, whose `boot:` fields, addresses
    /// and MACs are checked against it here (`hostsNode` gives their places).
    init(node: SpecNode) throws(InputError) {
        let top = try node.mapping("boot", known: Self.keys)
        let kernelNode = try top.required("kernel")
        let version = try kernelNode.string("kernel")
        guard version.utf8.count <= 64, let first = version.utf8.first, Validate.isAlphanumeric(first),
              version.utf8.allSatisfy({ Validate.isAlphanumeric($0) || "._+-".utf8.contains($0) }) else {
            throw kernelNode.error("invalid kernel version '\(version)'",
                                   hint: "give the nfsroot kernel's version (KVER of vmlinuz-KVER), such as 6.1.0-28-amd64")
        }
        let serverNode = try top.required("server")
        let subnetNode = try top.required("subnet")
        self.init(kernelVersion: version, server: try serverNode.ipv4("server"), subnet: try subnetNode.network("subnet"))
        if let value = top["nfsroot"] { nfsroot = try value.absolutePath("nfsroot") }
        if let value = top["nfsroot_server"] { nfsrootServer = try value.ipv4("nfsroot_server") }
        if let value = top["overlay"] {
            let text = try value.string("overlay")
            guard let overlay = RootOverlay(rawValue: text) else {
                throw value.error("unknown overlay '\(text)'", hint: "give rootovl (the nfsroot kernel has overlayfs), aufs or none")
            }
            self.overlay = overlay
        }
        if let value = top["config_src"] { configSource = try value.configSource() }
        if let value = top["flags"] { flags = try value.faiFlags() }
        if let value = top["kernel_args"] { kernelArgs = try value.kernelArguments() }
        if let value = top["action"] { action = try value.bootAction() }
        if let value = top["unknown"] { unknown = try value.bootAction() }
        if let value = top["server_dir"] { serverDirectory = try value.absolutePath("server_dir") }
        if let value = top["range"] {
            let ends = try value.list("range")
            guard ends.count == 2 else { throw value.error("range must be two addresses", hint: "write [FIRST, LAST]") }
            let low = try ends[0].ipv4("the range's first address"), high = try ends[1].ipv4("the range's last address")
            guard low <= high else { throw ends[1].error("the range ends at \(high), before it starts at \(low)", hint: "write [FIRST, LAST]") }
            for (end, ip) in [(ends[0], low), (ends[1], high)] where !subnet.contains(ip) {
                throw end.error("range address \(ip) is outside the subnet \(subnet)", hint: "give addresses of \(subnet)")
            }
            range = low...high
        }
        if let value = top["router"] {
            let ip = try value.ipv4("router")
            guard subnet.contains(ip) else { throw value.error("router \(ip) is outside the subnet \(subnet)", hint: "give an address of \(subnet)") }
            router = ip
        }
        if let value = top["dns"] {
            for item in try value.list("dns") { dns.append(try item.ipv4("a DNS server")) }
        }
        if let value = top["domain"] { domain = try value.hostName("domain") }
        if let value = top["interface"] {
            let name = try value.string("interface")
            guard name.utf8.count <= 15, name.utf8.allSatisfy({ Validate.isAlphanumeric($0) || "_.-".utf8.contains($0) }) else {
                throw value.error("invalid interface name '\(name)'", hint: "give a network interface name such as eth1 (at most 15 of A-Z, a-z, 0-9, _ . -)")
            }
            interface = name
        }
        if let value = top["loaders"] {
            let loaders = try value.mapping("loaders", known: Self.loaderKeys)
            if let bios = loaders["bios"] { biosLoader = try bios.tftpPath("the BIOS loader") }
            if let uefi = loaders["uefi"] { uefiLoader = try uefi.tftpPath("the UEFI loader") }
            if let ipxe = loaders["ipxe"] { ipxeLoader = try ipxe.tftpPath("the iPXE loader") }
        }
        try readHypervisors(top)
    }

    static let loaderKeys = ["bios", "uefi", "ipxe"]

    /// Reads each host's `boot:` fields and checks every host against this section: IPv4
    /// addresses inside the subnet, outside the dynamic range, not the server's or router's.
    func readHosts(_ hosts: inout [HostSpec], node: SpecNode) throws(InputError) {
        let items = try node.list("hosts")
        for (index, item) in items.enumerated() where index < hosts.count {
            let entry = try item.mapping("a host", known: HostSpec.keys)
            if let ipNode = entry["ip"], let ip = hosts[index].ip {
                guard ip.family == .v4 else {
                    throw ipNode.error("IP address \(ip) is not IPv4", hint: "DHCP (v4) hands out the boot addresses: give an address of \(subnet)")
                }
                guard subnet.contains(ip) else {
                    throw ipNode.error("IP address \(ip) is outside the subnet \(subnet)", hint: "give an address of \(subnet), or change boot.subnet")
                }
                if let range, range.contains(ip) {
                    throw ipNode.error("IP address \(ip) is inside the dynamic range \(range.lowerBound)-\(range.upperBound)",
                                       hint: "give a reserved host an address outside boot.range")
                }
                for (what, other) in [("the server's", Optional(server)), ("the router's", router)] where other == ip {
                    throw ipNode.error("IP address \(ip) is \(what) address", hint: "give the host its own address")
                }
                if ip == subnet.address || (ip == subnet.last && subnet.prefixLength < 31) {
                    throw ipNode.error("IP address \(ip) is the subnet's \(ip == subnet.address ? "network" : "broadcast") address",
                                       hint: "give the host an address between them")
                }
            }
            if let bootNode = entry["boot"] {
                guard hosts[index].mac != nil else {
                    throw bootNode.error("host \(hosts[index].name) has boot fields but no MAC address",
                                         hint: "add mac: a host boots by its MAC")
                }
                hosts[index].boot = try HostBoot(node: bootNode)
            }
        }
    }

    /// The FAI action `host` boots into.
    public func action(of host: HostSpec) -> BootAction { host.boot.action ?? action }
}

extension HostBoot {
    init(node: SpecNode) throws(InputError) {
        self.init()
        let top = try node.mapping("a host's boot", known: Self.keys)
        if let value = top["action"] { action = try value.bootAction() }
        if let value = top["flags"] { flags = try value.faiFlags() }
        if let value = top["kernel_args"] { kernelArgs = try value.kernelArguments() }
        if let value = top["addclasses"] { addClasses = try value.classNames("addclasses") }
    }
}

extension SiteSpec {
    /// Reads `boot:` and the hosts' `boot:` fields; a host with boot fields needs the section.
    mutating func readBoot(_ top: SpecMapping) throws(InputError) {
        if let node = top["boot"] {
            let boot = try BootSpec(node: node)
            if let hostsNode = top["hosts"] { try boot.readHosts(&hosts, node: hostsNode) }
            self.boot = boot
        } else if let hostsNode = top["hosts"] {
            // HostSpec.hosts has read every host already: only a boot key is left to find.
            for item in hostsNode.node.sequence?.nodes ?? [] {
                if let pair = item.mapping?.pairs.first(where: { $0.key.string == "boot" }) {
                    throw SpecNode(pair.value, file: hostsNode.file)
                        .error("a host's boot fields need the spec's boot: section", hint: "add boot: with kernel, server and subnet")
                }
            }
        }
    }
}

extension SpecNode {
    /// An IPv4 address: DHCP (v4) and pxelinux deal in nothing else.
    func ipv4(_ what: String) throws(InputError) -> IPAddress {
        let ip = try ipAddress(what)
        guard ip.family == .v4 else { throw error("\(what) \(ip) is not an IPv4 address", hint: "give an address such as 10.1.1.1") }
        return ip
    }

    func network(_ what: String) throws(InputError) -> IPNetwork {
        let text = try string(what)
        guard let network = IPNetwork(text), network.address.family == .v4 else {
            throw error("invalid \(what) '\(text)'", hint: "give an IPv4 network in CIDR form, such as 10.1.1.0/24")
        }
        guard network.isNetworkAddress else {
            throw error("\(what) '\(text)' has host bits set", hint: "write the network address: \(network.normalized)")
        }
        return network
    }

    /// An absolute path of a plain character set: it lands in config files of several syntaxes.
    func absolutePath(_ what: String) throws(InputError) -> String {
        let path = try string(what)
        let steps = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard path.hasPrefix("/"), path.utf8.count <= 1024, steps.allSatisfy({ $0 != "." && $0 != ".." }),
              !path.contains("//"),
              path.utf8.allSatisfy({ Validate.isAlphanumeric($0) || "/_.+-".utf8.contains($0) }) else {
            throw error("invalid \(what) '\(path)'", hint: "give an absolute path such as /srv/fai/nfsroot (A-Z, a-z, 0-9 and / _ . + -)")
        }
        return path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    /// A file in the TFTP root: a relative path of a plain character set, no `..`.
    func tftpPath(_ what: String) throws(InputError) -> String {
        let path = try string(what)
        let steps = path.split(separator: "/", omittingEmptySubsequences: false)
        guard path.utf8.count <= 255, steps.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }),
              path.utf8.allSatisfy({ Validate.isAlphanumeric($0) || "/_.+-".utf8.contains($0) }) else {
            throw error("invalid \(what) '\(path)'", hint: "give a path inside the TFTP root such as pxelinux.0 (A-Z, a-z, 0-9 and / _ . + -)")
        }
        return path
    }

    func bootAction() throws(InputError) -> BootAction {
        let text = try string("action")
        guard let action = BootAction(rawValue: text) else {
            throw error("unknown boot action '\(text)'", hint: "give one of \(BootAction.known)")
        }
        return action
    }

    func faiFlags() throws(InputError) -> [String] {
        var flags: [String] = []
        for item in try list("flags") {
            let flag = try item.string("a flag")
            guard BootSpec.knownFlags.contains(flag) else {
                throw item.error("unknown FAI flag '\(flag)'", hint: "FAI knows \(BootSpec.knownFlags.joined(separator: ", "))")
            }
            if !flags.contains(flag) { flags.append(flag) }
        }
        return flags
    }

    /// Kernel arguments, as one line of words or a list of words. They land in a pxelinux
    /// append line, a GRUB `linux` line and an iPXE `kernel` line: a plain character set
    /// keeps every one of them one word of one line, and faigen's own arguments are not
    /// given twice.
    func kernelArguments() throws(InputError) -> [String] {
        let text: String
        if node.sequence != nil {
            text = try strings("kernel_args").joined(separator: " ")
        } else {
            text = isNull ? "" : try self.text("kernel_args")
        }
        do throws(InputError) {
            try Validate.kernelArgs(text)
        } catch {
            var located = error
            located.location = location
            throw located
        }
        let words = text.split(separator: " ").map(String.init)
        for word in words {
            let key = String(word.prefix { $0 != "=" })
            if BootSpec.reservedArguments.contains(key) {
                throw error("kernel argument '\(word)' is one faigen writes itself",
                            hint: "set it with the spec's own key (host name, addclasses, action, flags, config_src, nfsroot)")
            }
        }
        return words
    }

    /// `FAI_CONFIG_SRC`: a URL of a method fai-client knows, of characters that stay one word
    /// on every boot loader's command line.
    func configSource() throws(InputError) -> String {
        let url = try string("config_src")
        let method = String(url.prefix { $0 != "+" && $0 != ":" })
        guard let schemeEnd = url.firstRange(of: "://"), BootSpec.configMethods.contains(method),
              url.utf8.count <= 1024, url.distance(from: schemeEnd.upperBound, to: url.endIndex) > 0,
              url.utf8.allSatisfy({ Validate.isAlphanumeric($0) || "_.:/+@%~=,?#-".utf8.contains($0) }) else {
            throw error("invalid config_src '\(url)'",
                        hint: "give METHOD://... with a method FAI knows (\(BootSpec.configMethods.joined(separator: ", "))), of A-Z, a-z, 0-9 and _ . : / + @ % ~ = , ? # -")
        }
        return url
    }
}
