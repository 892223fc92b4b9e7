// HypervisorSpecTests: boot.xenserver, boot.virtualbox and boot.libvirt are read with their defaults and checked with FILE:LINE:COLUMN.
import Foundation
import Testing
@testable import FaiSpace

/// A boot section with every hypervisor part; the errors below replace one value in it.
let hypervisorSpec = """
    site: lab
    version: 1
    boot:
      kernel: 6.1.0-28-amd64
      server: 10.1.1.1
      subnet: 10.1.1.0/24
      xenserver:
        repository: http://10.1.1.1/fai-xen
        release: bookworm
        template: FAI lab
        kernel_args: console=hvc0
      virtualbox:
        network_type: intnet
        network: fai
        memory: 2048
        ostype: Debian_64
      libvirt:
        network: default
        type: kvm
        disk_dir: /srv/vm
    hosts:
      - {name: web01, mac: '52:54:00:00:10:01'}

    """

@Suite struct HypervisorSpecTests {
    @Test func sectionsAreReadWithTheSeedsDefaults() throws {
        let boot = try #require(try SiteSpec(yaml: hypervisorSpec, file: "lab.yaml").boot)
        let xen = try #require(boot.xenserver)
        #expect(xen.repository == "http://10.1.1.1/fai-xen" && xen.release == "bookworm" && xen.arch == "amd64")
        #expect(xen.vendorTemplate == "Debian Lenny 5.0 (32-bit)")
        #expect(xen.bootDirectory == "dists/bookworm/main/installer-amd64/current/images/netboot/xen")
        #expect(boot.virtualbox == VirtualBoxSpec(attachment: .intnet, network: "fai", memory: 2048, cpus: 1, disk: 8192, ostype: "Debian_64"))
        #expect(boot.libvirt?.source == .network("default") && boot.libvirt?.diskDirectory == "/srv/vm")
        // The seed's template: release lenny; a 686 kernel is i386.
        let minimal = hypervisorSpec.replacingOccurrences(of: "6.1.0-28-amd64", with: "6.1.0-28-686-pae")
            .replacingOccurrences(of: "    release: bookworm\n", with: "")
        let seed = try #require(try SiteSpec(yaml: minimal, file: "lab.yaml").boot?.xenserver)
        #expect(seed.release == "lenny" && seed.arch == "i386" && seed.template == "FAI lab")
        // No section, no files of its target.
        let none = try SiteSpec(yaml: bootExampleSpec, file: "lab.yaml")
        let site = try BootSite(spec: none, serverDirectory: "/srv/fai/boot")
        #expect(!site.generatedFiles().contains { ["xenserver/", "virtualbox/", "libvirt/"].contains(where: $0.path.hasPrefix) })
    }

    static let errors: [(String, String, String)] = [
        // (what is replaced, by what, the expected error)
        ("repository: http://10.1.1.1/fai-xen", "repository: file:///srv/fai-xen", "lab.yaml:8:17: invalid repository 'file:///srv/fai-xen'"),
        ("repository: http://10.1.1.1/fai-xen", "repository: 'http://x/$(reboot)'", "lab.yaml:8:17: invalid repository 'http://x/$(reboot)'"),
        ("repository: http://10.1.1.1/fai-xen", "repository: http://10.1.1.1/fai-xen/dists/bookworm", "lab.yaml:8:17: repository 'http://10.1.1.1/fai-xen/dists/bookworm' names a dists/ directory"),
        ("repository: http://10.1.1.1/fai-xen", "repo: http://10.1.1.1/fai-xen", "lab.yaml:8:5: unknown key 'repo' in boot.xenserver"),
        ("release: bookworm", "release: ../etc", "lab.yaml:9:14: invalid release '../etc'"),
        ("release: bookworm", "arch: sparc", "lab.yaml:9:11: unknown arch 'sparc' (give amd64 or i386 (XenServer PV guests))"),
        ("kernel: 6.1.0-28-amd64", "kernel: 6.1.0-28-arm64", "lab.yaml:8:5: boot.xenserver has no arch and the kernel '6.1.0-28-arm64' names none"),
        ("template: FAI lab", "template: \"FAI\\tlab\"", #"lab.yaml:10:15: invalid template "FAI\tlab""#),
        ("template: FAI lab", "template: \(String(repeating: "x", count: 256))", "lab.yaml:10:15: invalid template"),
        ("kernel_args: console=hvc0", "kernel_args: 'console=hvc0;reboot'", "lab.yaml:11:18: invalid kernel arguments 'console=hvc0;reboot'"),
        ("kernel_args: console=hvc0", "kernel_args: FAI_ACTION=sysinfo", "lab.yaml:11:18: kernel argument 'FAI_ACTION=sysinfo' is one faigen writes itself"),
        ("network_type: intnet", "network_type: nat", "lab.yaml:13:19: unknown network_type 'nat' (give one of intnet, hostonly, bridged, natnetwork)"),
        ("network: fai", "network: \"fai\\u0007\"", #"lab.yaml:14:14: invalid network "fai\u{07}""#),
        ("memory: 2048", "memory: 16", "lab.yaml:15:13: memory (MiB) 16 is out of range (give 64 to 1048576)"),
        ("memory: 2048", "memory: 2G", "lab.yaml:15:13: memory (MiB) must be a whole number"),
        ("ostype: Debian_64", "ostype: Debian 64", "lab.yaml:16:13: invalid ostype 'Debian 64'"),
        ("network: default", "network: default\n    bridge: br0", "lab.yaml:19:13: boot.libvirt has both network and bridge"),
        ("network: default", "bridge: 'br0;x'", "lab.yaml:18:13: invalid bridge 'br0;x'"),
        ("type: kvm", "type: xen", "lab.yaml:19:11: unknown domain type 'xen' (give kvm, or qemu where there is no KVM)"),
        ("disk_dir: /srv/vm", "disk_dir: srv/vm", "lab.yaml:20:15: invalid disk_dir 'srv/vm'"),
    ]

    @Test(arguments: errors.indices)
    func badHypervisorValueIsOneLocatedError(index: Int) throws {
        let (old, new, expected) = Self.errors[index]
        #expect(hypervisorSpec.contains(old))
        let yaml = hypervisorSpec.replacingOccurrences(of: old, with: new)
        let error = #expect(throws: InputError.self) { try SiteSpec(yaml: yaml, file: "lab.yaml") }
        #expect(error?.description.hasPrefix(expected) == true, "\(String(describing: error))")
        #expect(error?.description.contains("\n") == false)
    }
}
