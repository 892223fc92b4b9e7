// BootCommandTests: `faigen boot` end to end: fai-chboot's own bytes, switching hosts, removed hosts, hand edits, bad specs.
import Foundation
import Testing

/// The boot tree of a directory, without faigen's manifest: path to bytes and mode.
func bootTree(_ root: URL) throws -> [String: String] {
    var tree: [String: String] = [:]
    for (path, state) in try treeState(root) where !path.contains("/.faigen/") && !path.hasSuffix("/.faigen") {
        tree[String(path.dropFirst(root.path.count + 1))] = state
    }
    return tree
}

@Suite struct BootCommand {
    /// A spec whose nfsroot is `root`/nfsroot, with hosts for each option fai-chboot has.
    static func chbootSpec(root: URL, variant: Int) -> String {
        switch variant {
        case 0:
            return """
                site: lab
                version: 1
                boot:
                  kernel: 6.1.0-99-amd64
                  nfsroot: \(root.path)/nfsroot
                  nfsroot_server: 10.1.1.1
                  config_src: git+https://git.example.org/fai/config.git#main
                  flags: [verbose, sshd, createvt]
                  kernel_args: console=ttyS0,115200n8 quiet
                  unknown: install
                  server: 10.1.1.1
                  subnet: 10.1.1.0/24
                hosts:
                  - {name: web01, mac: '52:54:00:00:10:01', ip: 10.1.1.11, boot: {addclasses: [WEB, DB]}}
                  - {name: db01, mac: '52:54:00:00:10:02', boot: {action: sysinfo}}
                  - {name: inv01, mac: '52:54:00:00:10:03', boot: {action: inventory, flags: [debug]}}
                  - {name: old01, mac: '52:54:00:00:10:04', boot: {action: localboot}}
                  - {name: noflags, mac: '52:54:00:00:10:05', boot: {flags: [], kernel_args: [noapic, 'vga=791']}}
                  - {name: Up01, mac: '52:54:00:AB:CD:EF'}

                """
        case 1:
            return """
                site: lab
                version: 1
                boot:
                  kernel: 6.1.0-99-amd64
                  nfsroot: \(root.path)/nfsroot
                  overlay: none
                  server: 10.1.1.1
                  subnet: 10.1.1.0/24
                hosts:
                  - {name: web01, mac: '52:54:00:00:10:01'}
                  - {name: sys01, mac: '52:54:00:00:10:02', boot: {action: sysinfo, addclasses: [A]}}

                """
        default:
            return """
                site: lab
                version: 1
                boot:
                  kernel: 6.1.0-99-amd64
                  nfsroot: \(root.path)/nfsroot
                  overlay: aufs
                  config_src: nfs://10.1.1.1/srv/fai/config
                  unknown: sysinfo
                  server: 10.1.1.1
                  subnet: 10.1.1.0/24
                hosts:
                  - {name: web01, mac: '52:54:00:00:10:01', boot: {flags: [reboot]}}

                """
        }
    }

    /// The fai-chboot command line that writes the same entry as each host of `chbootSpec`.
    static func chbootCalls(variant: Int) -> [[String]] {
        switch variant {
        case 0:
            let common = ["-f", "verbose,sshd,createvt", "-u", "git+https://git.example.org/fai/config.git#main"]
            return [
                ["-I"] + common + ["-k", "hostname=web01 ADDCLASSES=WEB,DB console=ttyS0,115200n8 quiet", "52:54:00:00:10:01"],
                ["-S"] + common + ["-k", "hostname=db01 console=ttyS0,115200n8 quiet", "52:54:00:00:10:02"],
                ["-a", "inventory", "-f", "debug", "-u", "git+https://git.example.org/fai/config.git#main",
                 "-k", "hostname=inv01 console=ttyS0,115200n8 quiet", "52:54:00:00:10:03"],
                ["-o", "52:54:00:00:10:04"],
                ["-I", "-u", "git+https://git.example.org/fai/config.git#main",
                 "-k", "hostname=noflags console=ttyS0,115200n8 quiet noapic vga=791", "52:54:00:00:10:05"],
                ["-I"] + common + ["-k", "hostname=Up01 console=ttyS0,115200n8 quiet", "52:54:00:ab:cd:ef"],
                ["-I"] + common + ["-k", "console=ttyS0,115200n8 quiet", "default"],
            ]
        case 1:
            return [["-I", "-k", "hostname=web01", "52:54:00:00:10:01"], ["-S", "-k", "hostname=sys01 ADDCLASSES=A", "52:54:00:00:10:02"],
                    ["-o", "default"]]
        default:
            return [["-I", "-f", "reboot", "-u", "nfs://10.1.1.1/srv/fai/config", "-k", "hostname=web01", "52:54:00:00:10:01"],
                    ["-S", "-u", "nfs://10.1.1.1/srv/fai/config", "default"]]
        }
    }

    /// For every option faigen mirrors, the real fai-chboot (run with a throwaway
    /// nfsroot.conf, `fai-chboot -C DIR`) writes the same bytes as `faigen boot`.
    @Test(arguments: [0, 1, 2])
    func pxelinuxFilesAreFaiChbootsBytes(variant: Int) throws {
        let chboot = try requireTool("/usr/sbin/fai-chboot", package: "fai-server")
        let dir = try scratchDirectory("chboot\(variant)")
        let fm = FileManager.default
        let nfsroot = dir.appendingPathComponent("nfsroot"), tftp = dir.appendingPathComponent("tftp")
        try fm.createDirectory(at: nfsroot.appendingPathComponent("boot"), withIntermediateDirectories: true)
        try fm.createDirectory(at: tftp.appendingPathComponent("pxelinux.cfg"), withIntermediateDirectories: true)
        // An empty kernel is enough for fai-chboot; the module directory decides rootovl or aufs.
        fm.createFile(atPath: nfsroot.appendingPathComponent("boot/vmlinuz-6.1.0-99-amd64").path, contents: Data())
        let fsDirectory = ["overlayfs", nil, "aufs"][variant]
        if let fsDirectory {
            try fm.createDirectory(at: nfsroot.appendingPathComponent("lib/modules/6.1.0-99-amd64/kernel/fs/\(fsDirectory)"),
                                   withIntermediateDirectories: true)
        }
        let conf = "NFSROOT=\(nfsroot.path)\nTFTPROOT=\(tftp.path)\n" + (variant == 0 ? "NFSROOT_SERVER=10.1.1.1\n" : "")
        try conf.write(to: dir.appendingPathComponent("nfsroot.conf"), atomically: true, encoding: .utf8)
        for call in Self.chbootCalls(variant: variant) {
            let result = try run(chboot, ["-C", dir.path] + call)
            #expect(result.status == 0, "fai-chboot \(call): \(result.stderr)")
        }
        let spec = dir.appendingPathComponent("site.yaml")
        try Self.chbootSpec(root: dir, variant: variant).write(to: spec, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        let result = try faigen("boot", "--spec", spec.path, out.path)
        #expect(result.status == 0, "\(result.stderr)")
        let theirs = try fm.contentsOfDirectory(atPath: tftp.appendingPathComponent("pxelinux.cfg").path).sorted()
        let ours = try fm.contentsOfDirectory(atPath: out.appendingPathComponent("tftp/pxelinux.cfg").path).sorted()
        #expect(ours == theirs)
        for name in theirs {
            let expected = try Data(contentsOf: tftp.appendingPathComponent("pxelinux.cfg/\(name)"))
            let actual = try Data(contentsOf: out.appendingPathComponent("tftp/pxelinux.cfg/\(name)"))
            #expect(actual == expected, "\(name): faigen wrote\n\(String(decoding: actual, as: UTF8.self))\nfai-chboot wrote\n\(String(decoding: expected, as: UTF8.self))")
        }
    }

    static let switchSpec = """
        site: lab
        version: 1
        boot:
          kernel: 6.1.0-99-amd64
          server: 10.1.1.1
          subnet: 10.1.1.0/24
          range: [10.1.1.100, 10.1.1.199]
        hosts:
          - {name: web01, mac: '52:54:00:00:10:01', ip: 10.1.1.11}
          - {name: web02, mac: '52:54:00:00:10:02', ip: 10.1.1.12}
          - {name: web03, mac: '52:54:00:00:10:03', ip: 10.1.1.13}

        """

    @Test func switchingAHostChangesOnlyItsFilesAndIsKept() throws {
        let dir = try scratchDirectory()
        let spec = dir.appendingPathComponent("site.yaml"), out = dir.appendingPathComponent("boot")
        try Self.switchSpec.write(to: spec, atomically: true, encoding: .utf8)
        #expect(try faigen("boot", "--spec", spec.path, out.path).status == 0)
        let original = try bootTree(out)
        let web02 = ["tftp/pxelinux.cfg/01-52-54-00-00-10-02", "tftp/grub/grub.cfg-01-52-54-00-00-10-02", "tftp/ipxe/01-52-54-00-00-10-02.ipxe"]
        #expect(web02.allSatisfy { original[$0] != nil })

        let switched = try faigen("boot", "--spec", spec.path, "--switch", "web02=localboot", out.path)
        #expect(switched.status == 0, "\(switched.stderr)")
        #expect(switched.stdout.contains("web02 (52:54:00:00:10:02) boots localboot"))
        let afterSwitch = try bootTree(out)
        let changed = Set(afterSwitch.keys.filter { afterSwitch[$0] != original[$0] })
        #expect(changed == Set(web02 + ["boot-actions"]))
        #expect(try String(contentsOf: out.appendingPathComponent(web02[0]), encoding: .utf8).contains("localboot -1\n"))

        // A later render of the same spec keeps the switch: the host does not install again.
        #expect(try faigen("boot", "--spec", spec.path, out.path).status == 0)
        #expect(try bootTree(out) == afterSwitch)

        // Back to the spec's action: the tree is what it was.
        #expect(try faigen("boot", "--spec", spec.path, "--switch", "web02=spec", out.path).status == 0)
        #expect(try bootTree(out) == original)

        // A host removed from the spec loses its entries everywhere.
        try Self.switchSpec.replacingOccurrences(of: "  - {name: web03, mac: '52:54:00:00:10:03', ip: 10.1.1.13}\n", with: "")
            .write(to: spec, atomically: true, encoding: .utf8)
        #expect(try faigen("boot", "--spec", spec.path, out.path).status == 0)
        let removed = try bootTree(out)
        #expect(!removed.keys.contains { $0.contains("10-03") })
        for file in ["dnsmasq/dhcp-hosts", "hosts", "dhcpd/hosts.conf", "kea/reservations.json"] {
            let text = try String(contentsOf: out.appendingPathComponent(file), encoding: .utf8)
            #expect(!text.contains("web03") && text.contains("web02"), "\(file)")
        }

        // A switch names a host the spec lists.
        let unknown = try faigen("boot", "--spec", spec.path, "--switch", "web03=install", out.path)
        #expect(unknown.status == 2 && unknown.stderr.contains("no host web03 with a MAC address"))
        #expect(try bootTree(out) == removed)
    }

    @Test func handEditedEntryIsKeptAndReported() throws {
        let dir = try scratchDirectory()
        let spec = dir.appendingPathComponent("site.yaml"), out = dir.appendingPathComponent("boot")
        try Self.switchSpec.write(to: spec, atomically: true, encoding: .utf8)
        #expect(try faigen("boot", "--spec", spec.path, out.path).status == 0)
        let entry = out.appendingPathComponent("tftp/pxelinux.cfg/01-52-54-00-00-10-01")
        try "default local\nlabel local\nlocalboot 0\n".write(to: entry, atomically: true, encoding: .utf8)
        let result = try faigen("boot", "--spec", spec.path, "--switch", "web01=sysinfo", out.path)
        #expect(result.status == 0)
        #expect(result.stderr.contains("\(entry.path): edited by hand since faigen wrote it; left alone"))
        #expect(try String(contentsOf: entry, encoding: .utf8) == "default local\nlabel local\nlocalboot 0\n")
        // The host's other entries did switch.
        #expect(try String(contentsOf: out.appendingPathComponent("tftp/ipxe/01-52-54-00-00-10-01.ipxe"), encoding: .utf8).contains("FAI_ACTION=sysinfo"))
    }

    static let badSpecs: [(name: String, old: String, new: String, expected: String)] = [
        ("outside-subnet", "ip: 10.1.1.12}", "ip: 10.2.1.12}", ":10:49: IP address 10.2.1.12 is outside the subnet 10.1.1.0/24"),
        ("duplicate-mac", "mac: '52:54:00:00:10:02'", "mac: '52:54:00:00:10:01'", ":10:24: duplicate MAC address 52:54:00:00:10:01"),
        ("duplicate-ip", "ip: 10.1.1.12}", "ip: 10.1.1.11}", ":10:49: duplicate IP address 10.1.1.11"),
        ("mac-form", "mac: '52:54:00:00:10:02'", "mac: '5254.0000.1002'", ":10:24: invalid MAC address '5254.0000.1002'"),
        ("kernel-arg-newline", "range: [10.1.1.100, 10.1.1.199]", "range: [10.1.1.100, 10.1.1.199]\n  kernel_args: \"quiet\\ndefault evil\"",
         ":8:16: invalid kernel arguments 'quiet\\ndefault evil'"),
    ]

    @Test(arguments: badSpecs.map(\.name))
    func badSpecIsOneLocatedLineAndWritesNothing(name: String) throws {
        let entry = try #require(Self.badSpecs.first { $0.name == name })
        let dir = try scratchDirectory("bootbad\(name)")
        let spec = dir.appendingPathComponent("site.yaml"), out = dir.appendingPathComponent("boot")
        try Self.switchSpec.write(to: spec, atomically: true, encoding: .utf8)
        #expect(try faigen("boot", "--spec", spec.path, out.path).status == 0)
        let before = try treeState(out)
        #expect(Self.switchSpec.contains(entry.old))
        try Self.switchSpec.replacingOccurrences(of: entry.old, with: entry.new).write(to: spec, atomically: true, encoding: .utf8)
        let result = try faigen("boot", "--spec", spec.path, out.path)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("faigen: error: \(spec.path)\(entry.expected)"), "\(result.stderr)")
        #expect(result.stderr.filter { $0 == "\n" }.count == 1)
        #expect(try treeState(out) == before)
        // Nor is anything made where nothing was.
        let fresh = dir.appendingPathComponent("fresh")
        #expect(try faigen("boot", "--spec", spec.path, fresh.path).status == 2)
        #expect(!FileManager.default.fileExists(atPath: fresh.path))
    }
}
