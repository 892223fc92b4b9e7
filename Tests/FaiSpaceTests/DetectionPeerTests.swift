// DetectionPeerTests: virt-what, run on each fixture through its --test-root, names nothing faigen does not.
import Foundation
import Testing

@testable import FaiSpace

@Suite struct DetectionPeerTests {
    /// virt-what's facts as faigen classes; nil: a fact with no class of its own (xen-domU is
    /// XEN_PV or XEN_HVM, `redhat` is a vendor, an s390x LPAR is not a hypervisor guest).
    static let virtWhatClasses: [String: String?] = [
        "kvm": "KVM", "qemu": "QEMU", "xen": "XEN", "xen-hvm": "XEN_HVM", "xen-dom0": "XEN_DOM0", "xen-domU": nil,
        "vmware": "VMWARE", "hyperv": "HYPERV", "virtualbox": "VIRTUALBOX", "parallels": "PARALLELS",
        "bhyve": "BHYVE", "lkvm": "LKVM", "nutanix_ahv": "NUTANIX_AHV", "rhev": "RHEV", "redhat": nil,
        "aws": "AWS", "google_cloud": "GCE", "alibaba_cloud": "ALIBABA_CLOUD", "docker": "DOCKER",
        "podman": "PODMAN", "lxc": "LXC", "openvz": "OPENVZ", "linux_vserver": "LINUX_VSERVER",
        "linux_vserver-guest": "LINUX_VSERVER", "ibm_systemz": nil, "ibm_systemz-zvm": "ZVM",
        "ibm_systemz-lpar": nil, "ldoms": "LDOMS", "ldoms-guest": "LDOMS", "ldoms-control": "LDOMS", "ibm_power-lpar_shared": "POWERVM_LPAR",
        "ibm_power-lpar_dedicated": "POWERVM_LPAR", "ibm_power-kvm": "KVM",
    ]

    /// Where faigen disagrees on purpose (docs/detect.md): VirtualBox offers KVM's paravirtual
    /// CPUID, and like systemd-detect-virt faigen names VirtualBox only; virt-what takes every
    /// linux,dummy-virt board without fw-cfg for kvmtool, where faigen says KVM (Firecracker,
    /// Cloud Hypervisor and kvmtool all show it); virt-what takes Xen's Hyper-V enlightenments
    /// for Hyper-V.
    static let knownDifferences: [String: Set<String>] = [
        "virtualbox": ["kvm"], "virtualbox-host-dmi": ["kvm"], "arm-kvmtool": ["lkvm"], "arm64-firecracker": ["lkvm"],
        "arm64-cloud-hypervisor": ["lkvm"], "xen-hvm-viridian": ["hyperv"],
    ]

    @Test func virtWhatOnEachFixtureNamesOnlyOurClasses() throws {
        let virtWhat = try requireTool("/usr/sbin/virt-what", package: "virt-what")
        let fixtures = repositoryRoot.appendingPathComponent("Tests/Fixtures/detect")
        let names = try FileManager.default.contentsOfDirectory(atPath: fixtures.path).filter { !$0.hasSuffix(".md") }.sorted()
        let scratch = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        var agreeing = 0
        for name in names {
            let root = scratch.appendingPathComponent(name)
            try FileManager.default.copyItem(at: fixtures.appendingPathComponent("\(name)/root"), to: root)
            try Self.installFakeTools(in: root)
            let facts = try Self.run(virtWhat, ["--test-root=\(root.path)"])
            let expected = Set(try String(contentsOf: fixtures.appendingPathComponent("\(name)/expected"), encoding: .utf8)
                .split(whereSeparator: \.isNewline).map(String.init))
            for fact in facts where !(Self.knownDifferences[name]?.contains(fact) ?? false) {
                guard let mapped = Self.virtWhatClasses[fact] else {
                    Issue.record("virt-what fact \(fact) on \(name) has no mapping")
                    continue
                }
                if let mapped { #expect(expected.contains(mapped), "\(name): virt-what says \(fact), faigen \(expected.sorted())") }
            }
            if !facts.isEmpty { agreeing += 1 }
        }
        // virt-what runs its x86 checks here, so most fixtures give it something to say.
        #expect(agreeing >= 25)
    }

    /// virt-what's test interface: it takes dmidecode, its CPUID helper and uname from the test
    /// root. These print the fixture's DMI strings, CPUID signature and architecture
    /// (`.faigen/arch`, when the fixture has one) the way the real tools do.
    static func installFakeTools(in root: URL) throws {
        func dmi(_ name: String) -> String {
            ((try? String(contentsOf: root.appendingPathComponent("sys/class/dmi/id/\(name)"), encoding: .utf8)) ?? "")
                .trimmingCharacters(in: .newlines)
        }
        var vmBit = ""
        if let raw = FileManager.default.contents(atPath: root.appendingPathComponent("sys/firmware/dmi/entries/0-0/raw").path),
           raw.count >= 20, raw[raw.startIndex + 19] & 0x10 != 0 {
            vmBit = "\tSystem is a virtual machine\n"
        }
        let dmidecode = """
            #!/bin/sh
            cat <<'EOF'
            BIOS Information
            \tVendor: \(dmi("bios_vendor"))
            \tVersion: \(dmi("bios_version"))
            \(vmBit)System Information
            \tManufacturer: \(dmi("sys_vendor"))
            \tProduct Name: \(dmi("product_name"))
            EOF

            """
        let signature = ((try? String(contentsOf: root.appendingPathComponent(".faigen/cpuid-vendor"), encoding: .utf8)) ?? "")
            .trimmingCharacters(in: .newlines)
        let helper = "#!/bin/sh\nprintf '%s' '\(signature)'\n"
        var tools = [("usr/sbin/dmidecode", dmidecode), ("usr/libexec/virt-what-cpuid-helper", helper)]
        if let arch = try? String(contentsOf: root.appendingPathComponent(".faigen/arch"), encoding: .utf8) {
            let machine = arch.trimmingCharacters(in: .whitespacesAndNewlines)
            tools.append(("usr/sbin/uname", "#!/bin/sh\nif [ \"$1\" = -m ]; then echo '\(machine)'; else exec /usr/bin/uname \"$@\"; fi\n"))
        }
        for (path, text) in tools {
            let file = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: file)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file.path)
        }
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(tool) \(arguments) failed")
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
    }
}
