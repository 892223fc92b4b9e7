// HypervisorSpec: the `boot:` section's xenserver:, virtualbox: and libvirt: parts, read and checked once.

/// `boot.xenserver`: the site's XenServer template for paravirtualized FAI installs (seed 003).
/// eliloader boots the template's first install from
/// `REPOSITORY/dists/RELEASE/main/installer-ARCH/current/images/netboot/xen/{vmlinuz,initrd.gz}`.
///
/// ```yaml
/// boot:
///   xenserver:
///     repository: http://10.1.1.1/fai-xen      # other-config:install-repository (required)
///     release: lenny                          # other-config:debian-release, the dists/ directory
///     arch: amd64                             # other-config:install-arch; default from the kernel's flavour
///     vendor_template: Debian Lenny 5.0 (32-bit)
///     template: FAI lab                       # the site's copy of the vendor template
///     network: Pool-wide network associated with eth0
///     kernel_args: console=hvc0
/// ```
public struct XenServerSpec: Sendable, Hashable {
    /// `other-config:install-repository`: where eliloader fetches the kernel and initrd.
    public var repository: String
    /// `other-config:debian-release`: the `dists/RELEASE` directory (the seed's template says lenny).
    public var release = "lenny"
    /// `other-config:install-arch`: i386 or amd64.
    public var arch: String
    /// The template XenServer ships, which the site's template copies (the seed's).
    public var vendorTemplate = "Debian Lenny 5.0 (32-bit)"
    /// The site's own template; nil: `FAI SITE`.
    public var template: String?
    /// The network (name-label) a host's VM gets its interface on.
    public var network = "Pool-wide network associated with eth0"
    /// Kernel arguments after FAI's: the PV console.
    public var kernelArgs = ["console=hvc0"]

    static let keys = ["repository", "release", "arch", "vendor_template", "template", "network", "kernel_args"]
    static let arches = ["amd64", "i386"]
    /// What eliloader accepts as an install repository (besides `cdrom`).
    static let schemes = ["http://", "https://", "ftp://", "nfs:"]
}

/// `boot.virtualbox`: a VBoxManage script per host that makes a VM booting from the network
/// with the host's MAC (seed 004).
///
/// ```yaml
/// boot:
///   virtualbox: {network_type: hostonly, network: vboxnet0, memory: 2048, cpus: 2, disk: 20480}
/// ```
public struct VirtualBoxSpec: Sendable, Hashable {
    /// How the VM's first network card is attached (`VBoxManage modifyvm --nic1`).
    public enum Attachment: String, Sendable, Hashable, CaseIterable {
        case intnet, hostonly, bridged, natnetwork

        /// The modifyvm option that names the network of card 1.
        var option: String {
            switch self {
            case .intnet: "--intnet1"
            case .hostonly: "--hostonlyadapter1"
            case .bridged: "--bridgeadapter1"
            case .natnetwork: "--nat-network1"
            }
        }
    }

    public var attachment: Attachment = .intnet
    /// The internal network, host-only interface, host interface or NAT network.
    public var network = "fai"
    /// MiB.
    public var memory = 1024
    public var cpus = 1
    /// MiB.
    public var disk = 8192
    public var ostype = "Debian_64"

    static let keys = ["network_type", "network", "memory", "cpus", "disk", "ostype"]
}

/// `boot.libvirt`: a libvirt domain per host that boots from the network with the host's MAC.
///
/// ```yaml
/// boot:
///   libvirt: {network: default, memory: 2048, cpus: 2, disk_dir: /var/lib/libvirt/images}
/// ```
public struct LibvirtSpec: Sendable, Hashable {
    /// The interface's `<source>`: a libvirt network or a host bridge.
    public enum Source: Sendable, Hashable {
        case network(String)
        case bridge(String)
    }

    public var source: Source = .network("default")
    /// MiB.
    public var memory = 1024
    public var cpus = 1
    /// Where the host's disk HOST.qcow2 is (the operator makes it with qemu-img).
    public var diskDirectory = "/var/lib/libvirt/images"
    /// kvm, or qemu where there is no KVM.
    public var domainType = "kvm"

    static let keys = ["network", "bridge", "memory", "cpus", "disk_dir", "type"]
    static let domainTypes = ["kvm", "qemu"]
}

extension BootSpec {
    static let hypervisorKeys = ["xenserver", "virtualbox", "libvirt"]

    /// Reads `xenserver:`, `virtualbox:` and `libvirt:` of the boot section.
    mutating func readHypervisors(_ top: SpecMapping) throws(InputError) {
        if let node = top["xenserver"] { xenserver = try XenServerSpec(node: node, kernelVersion: kernelVersion) }
        if let node = top["virtualbox"] { virtualbox = try VirtualBoxSpec(node: node) }
        if let node = top["libvirt"] { libvirt = try LibvirtSpec(node: node) }
    }
}

extension XenServerSpec {
    init(node: SpecNode, kernelVersion: String) throws(InputError) {
        let top = try node.mapping("boot.xenserver", known: Self.keys)
        let repositoryNode = try top.required("repository")
        let url = try repositoryNode.string("repository")
        guard Self.schemes.contains(where: { url.hasPrefix($0) && url.count > $0.count }), url.utf8.count <= 1024,
              url.utf8.allSatisfy({ Validate.isAlphanumeric($0) || "_.:/+@%~=,-".utf8.contains($0) }) else {
            throw repositoryNode.error("invalid repository '\(url)'",
                                       hint: "give the URL eliloader fetches from: http://, https://, ftp:// or nfs:SERVER:/PATH (A-Z, a-z, 0-9 and _ . : / + @ % ~ = , -)")
        }
        // eliloader adds dists/RELEASE/ only to a URL without /dists/; fill-repository.sh always writes it.
        guard !url.contains("/dists/") else {
            throw repositoryNode.error("repository '\(url)' names a dists/ directory",
                                       hint: "give the repository's root, such as http://10.1.1.1/fai-xen: release: names dists/RELEASE")
        }
        repository = url
        if let value = top["arch"] {
            let text = try value.string("arch")
            guard Self.arches.contains(text) else { throw value.error("unknown arch '\(text)'", hint: "give amd64 or i386 (XenServer PV guests)") }
            arch = text
        } else if kernelVersion.hasSuffix("-amd64") {
            arch = "amd64"
        } else if kernelVersion.hasSuffix("-686") || kernelVersion.hasSuffix("-686-pae") {
            arch = "i386"
        } else {
            throw node.error("boot.xenserver has no arch and the kernel '\(kernelVersion)' names none", hint: "add arch: amd64 or arch: i386")
        }
        if let value = top["release"] {
            let text = try value.string("release")
            guard text.utf8.count <= 64, let first = text.utf8.first, Validate.isAlphanumeric(first),
                  text.utf8.allSatisfy({ Validate.isAlphanumeric($0) || "._-".utf8.contains($0) }) else {
                throw value.error("invalid release '\(text)'", hint: "give the dists/ directory name, such as bookworm (A-Z, a-z, 0-9 and . _ -)")
            }
            release = text
        }
        if let value = top["vendor_template"] { vendorTemplate = try value.xenName("vendor_template") }
        if let value = top["template"] { template = try value.xenName("template") }
        if let value = top["network"] { network = try value.xenName("network") }
        if let value = top["kernel_args"] { kernelArgs = try value.kernelArguments() }
    }

    /// The repository directory eliloader reads the kernel and initrd from, below the repository.
    public var bootDirectory: String { "dists/\(release)/main/installer-\(arch)/current/images/netboot/xen" }
}

extension VirtualBoxSpec {
    init(node: SpecNode) throws(InputError) {
        self.init()
        let top = try node.mapping("boot.virtualbox", known: Self.keys)
        if let value = top["network_type"] {
            let text = try value.string("network_type")
            guard let attachment = Attachment(rawValue: text) else {
                throw value.error("unknown network_type '\(text)'", hint: "give one of \(Attachment.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.attachment = attachment
        }
        if let value = top["network"] { network = try value.xenName("network") }
        if let value = top["memory"] { memory = try value.bounded("memory (MiB)", 64...1_048_576) }
        if let value = top["cpus"] { cpus = try value.bounded("cpus", 1...64) }
        if let value = top["disk"] { disk = try value.bounded("disk (MiB)", 1...16_777_216) }
        if let value = top["ostype"] {
            let text = try value.string("ostype")
            guard text.utf8.count <= 64, text.utf8.allSatisfy({ Validate.isAlphanumeric($0) || $0 == UInt8(ascii: "_") }) else {
                throw value.error("invalid ostype '\(text)'", hint: "give a type `VBoxManage list ostypes` shows, such as Debian_64")
            }
            ostype = text
        }
    }
}

extension LibvirtSpec {
    init(node: SpecNode) throws(InputError) {
        self.init()
        let top = try node.mapping("boot.libvirt", known: Self.keys)
        if top["network"] != nil, let bridge = top["bridge"] {
            throw bridge.error("boot.libvirt has both network and bridge", hint: "give one: a libvirt network or a host bridge")
        }
        if let value = top["network"] { source = .network(try value.plainName("network")) }
        if let value = top["bridge"] { source = .bridge(try value.plainName("bridge")) }
        if let value = top["memory"] { memory = try value.bounded("memory (MiB)", 64...1_048_576) }
        if let value = top["cpus"] { cpus = try value.bounded("cpus", 1...64) }
        if let value = top["disk_dir"] { diskDirectory = try value.absolutePath("disk_dir") }
        if let value = top["type"] {
            let text = try value.string("type")
            guard Self.domainTypes.contains(text) else { throw value.error("unknown domain type '\(text)'", hint: "give kvm, or qemu where there is no KVM") }
            domainType = text
        }
    }
}

extension SpecNode {
    /// A name a hypervisor shows (a template, a network): any one line of at most 255 bytes
    /// without control characters. The scripts quote it; it is data, never code.
    func xenName(_ what: String) throws(InputError) -> String {
        let text = try string(what)
        guard text.utf8.count <= 255, text.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x7F }) else {
            throw error("invalid \(what) \(text.debugDescription)", hint: "give one line of at most 255 bytes without control characters")
        }
        return text
    }

    /// A network or bridge name of libvirt: A-Z, a-z, 0-9 and _ . -, at most 64 bytes.
    func plainName(_ what: String) throws(InputError) -> String {
        let text = try string(what)
        guard text.utf8.count <= 64, text.utf8.allSatisfy({ Validate.isAlphanumeric($0) || "_.-".utf8.contains($0) }) else {
            throw error("invalid \(what) '\(text)'", hint: "give a name of A-Z, a-z, 0-9 and _ . - (at most 64)")
        }
        return text
    }

    func bounded(_ what: String, _ range: ClosedRange<Int>) throws(InputError) -> Int {
        let value = try integer(what)
        guard range.contains(value) else {
            throw error("\(what) \(value) is out of range", hint: "give \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }
}
