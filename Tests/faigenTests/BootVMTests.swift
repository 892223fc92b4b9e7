// BootVMTests: a virtual machine boots through what `faigen boot` wrote: pxelinux, iPXE and GRUB (UEFI),
// over QEMU's own TFTP and over real dnsmasq, ISC dhcpd and Kea inside a network namespace.
import Foundation
import Testing

/// The site every VM test boots: a known host, and machines the spec does not list boot sysinfo.
func vmSpec(kernelVersion: String, extra: String = "", action: String = "install") -> String {
    """
    site: vmlab
    version: 1
    boot:
      kernel: \(kernelVersion)
      nfsroot_server: 10.77.0.1
      config_src: git+https://git.example.org/fai/config.git#main
      flags: [verbose, sshd]
      kernel_args: console=ttyS0 quiet faigen_rig=dhcp
      unknown: sysinfo
      server: 10.77.0.1
      subnet: 10.77.0.0/24
      range: [10.77.0.100, 10.77.0.150]
      router: 10.77.0.1
      dns: [10.77.0.1]
      domain: vmlab.example.org
    \(extra)hosts:
      - {name: vm01, mac: '52:54:00:77:00:01', ip: 10.77.0.11, boot: {action: \(action), addclasses: [WEB, DEBUG]}}

    """
}

let vmHostMAC = "52:54:00:77:00:01"
let vmUnknownMAC = "52:54:00:77:00:99"

/// The words of the command line the spec gives the known host.
func expectKnownHostBooted(_ serial: Guest.Serial, action: String = "install", sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(serial.cmdline != nil, "no command line on the serial console: \(serial.log.suffix(2000))", sourceLocation: sourceLocation)
    let words = serial.words
    for word in ["hostname=vm01", "ADDCLASSES=WEB,DEBUG", "FAI_ACTION=\(action)", "FAI_CONFIG_SRC=git+https://git.example.org/fai/config.git#main",
                 "FAI_FLAGS=verbose,sshd", "root=nfs:10.77.0.1:/srv/fai/nfsroot:vers=3", "ip=dhcp"] {
        #expect(words.contains(word), "\(word) missing from \(serial.cmdline ?? "")", sourceLocation: sourceLocation)
    }
}

func expectDefaultBooted(_ serial: Guest.Serial, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(serial.cmdline != nil, "no command line on the serial console: \(serial.log.suffix(2000))", sourceLocation: sourceLocation)
    #expect(serial.words.contains("FAI_ACTION=sysinfo"), "\(serial.cmdline ?? "")", sourceLocation: sourceLocation)
    #expect(!serial.words.contains { $0.hasPrefix("hostname=") }, sourceLocation: sourceLocation)
}

/// One boot tree: the spec written, `faigen boot` run, the loader, kernel and initrd beside it.
struct BootFixture {
    var dir: URL
    var out: URL
    var guest: Guest
    var tftp: URL { out.appendingPathComponent("tftp") }

    init(_ name: String, extra: String = "", action: String = "install") throws {
        guest = try Guest.prepare()
        dir = try scratchDirectory(name)
        out = dir.appendingPathComponent("boot")
        let spec = dir.appendingPathComponent("site.yaml")
        try vmSpec(kernelVersion: guest.kernelVersion, extra: extra, action: action).write(to: spec, atomically: true, encoding: .utf8)
        let result = try faigen("boot", "--spec", spec.path, out.path)
        #expect(result.status == 0, "\(result.stderr)")
        try guest.installBootFiles(into: tftp)
        // dnsmasq serves TFTP as its own user: the tree must be readable by others.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path)
    }

    func log(_ name: String) -> URL { dir.appendingPathComponent(name) }
}

/// QEMU's user network: its DHCP and built-in TFTP (`tftp=`, `bootfile=`), nothing reaches the host's network.
func userNetwork(tftp: URL, bootfile: String, mac: String) -> [String] {
    ["-netdev", "user,id=n0,restrict=on,tftp=\(tftp.path),bootfile=\(bootfile)", "-device", "e1000,netdev=n0,mac=\(mac)", "-boot", "order=n"]
}

@Suite(.serialized) struct BootVM {
    @Test func biosPxelinuxBootsTheHostsEntryAndUnknownMachinesTheDefault() throws {
        let fixture = try BootFixture("pxelinux")
        let known = try Guest.boot(userNetwork(tftp: fixture.tftp, bootfile: "pxelinux.0", mac: vmHostMAC), log: fixture.log("known.log"))
        expectKnownHostBooted(known)
        let unknown = try Guest.boot(userNetwork(tftp: fixture.tftp, bootfile: "pxelinux.0", mac: vmUnknownMAC), log: fixture.log("unknown.log"))
        expectDefaultBooted(unknown)
    }

    @Test func biosIPXEChainsTheHostsScriptAndUnknownMachinesTheDefault() throws {
        let fixture = try BootFixture("ipxe")
        let known = try Guest.boot(userNetwork(tftp: fixture.tftp, bootfile: "boot.ipxe", mac: vmHostMAC), log: fixture.log("known.log"))
        expectKnownHostBooted(known)
        #expect(known.words.contains("initrd=initrd.img-\(fixture.guest.kernelVersion)"))
        let unknown = try Guest.boot(userNetwork(tftp: fixture.tftp, bootfile: "boot.ipxe", mac: vmUnknownMAC), log: fixture.log("unknown.log"))
        expectDefaultBooted(unknown)
    }

    @Test func uefiGrubLoadsTheHostsConfiguration() throws {
        let fixture = try BootFixture("uefi", action: "sysinfo")
        let mknetdir = try requireTool("/usr/bin/grub-mknetdir", package: "grub-common")
        _ = try requireFile("/usr/lib/grub/x86_64-efi/normal.mod", package: "grub-efi-amd64-bin")
        let code = try requireFile("/usr/share/OVMF/OVMF_CODE.fd", package: "ovmf")
        let vars = try requireFile("/usr/share/OVMF/OVMF_VARS.fd", package: "ovmf")
        // GRUB's network image, as the admin makes it (docs/boot.md): tftp/grub/x86_64-efi/core.efi.
        let made = try run(mknetdir, ["--net-directory=\(fixture.tftp.path)", "--subdir=grub", "-d", "/usr/lib/grub/x86_64-efi"])
        #expect(made.status == 0, "\(made.stderr)")
        let ourVars = fixture.log("OVMF_VARS.fd")
        try FileManager.default.copyItem(atPath: vars, toPath: ourVars.path)
        let firmware = ["-drive", "if=pflash,format=raw,readonly=on,file=\(code)", "-drive", "if=pflash,format=raw,file=\(ourVars.path)"]
        let serial = try Guest.boot(firmware + userNetwork(tftp: fixture.tftp, bootfile: "grub/x86_64-efi/core.efi", mac: vmHostMAC),
                                    log: fixture.log("uefi.log"), seconds: 420)
        expectKnownHostBooted(serial, action: "sysinfo")
    }

    /// dnsmasq from the generated snippet serves DHCP and TFTP in a namespace; the VM gets its
    /// reserved address and name, and dnsmasq's log shows it sent the host's pxelinux entry.
    @Test func dnsmasqServesDHCPAndTFTP() throws {
        let fixture = try BootFixture("dnsmasq", extra: "  interface: fbr0\n")
        let dnsmasq = try requireTool("/usr/sbin/dnsmasq", package: "dnsmasq")
        let namespace = try BootNamespace(address: "10.77.0.1/24")
        defer { namespace.remove() }
        let conf = fixture.out.appendingPathComponent("dnsmasq/faigen.conf").path
        let check = try namespace.execute([dnsmasq, "--test", "--conf-file=\(conf)"])
        #expect(check.status == 0, "dnsmasq --test: \(check.stderr)")
        let server = try Daemon("dnsmasq", namespace: namespace, command: [
            dnsmasq, "--keep-in-foreground", "--conf-file=\(conf)", "--log-dhcp", "--log-facility=-", "--no-resolv", "--no-hosts",
            "--dhcp-leasefile=\(fixture.log("dnsmasq.leases").path)", "--pid-file=",
        ], output: fixture.log("dnsmasq.log"))
        defer { server.stop() }
        try #require(server.waitFor("TFTP root is"), "dnsmasq did not start: \(server.log)")
        let serial = try Guest.boot(["-netdev", "tap,id=n0,ifname=fbtap0,script=no,downscript=no", "-device", "e1000,netdev=n0,mac=\(vmHostMAC)",
                                     "-boot", "order=n"], log: fixture.log("vm.log"), namespace: namespace.name)
        expectKnownHostBooted(serial)
        #expect(serial.lease?.contains("ip=10.77.0.11 hostname=vm01") == true, "lease: \(serial.lease ?? "none")")
        #expect(server.log.contains("sent \(fixture.tftp.path)/pxelinux.cfg/01-52-54-00-77-00-01"), "\(server.log.suffix(3000))")
        // Adding a host needs a SIGHUP only: dnsmasq rereads dhcp-hosts and hosts.
        server.signal(SIGHUP)
        #expect(server.waitFor("read \(fixture.out.path)/dnsmasq/dhcp-hosts"), "\(server.log.suffix(1000))")
    }

    @Test func iscDhcpdServesDHCPWithDnsmasqForTFTP() throws {
        let fixture = try BootFixture("dhcpd", extra: "  interface: fbr0\n")
        let dhcpd = try requireTool("/usr/sbin/dhcpd", package: "isc-dhcp-server")
        let namespace = try BootNamespace(address: "10.77.0.1/24")
        defer { namespace.remove() }
        let conf = fixture.out.appendingPathComponent("dhcpd/dhcpd.conf").path
        let check = try namespace.execute([dhcpd, "-t", "-4", "-cf", conf])
        #expect(check.status == 0, "dhcpd -t: \(check.stderr)")
        let leases = fixture.log("dhcpd.leases")
        FileManager.default.createFile(atPath: leases.path, contents: Data())
        let server = try Daemon("dhcpd", namespace: namespace, command: [
            dhcpd, "-f", "-d", "-4", "-cf", conf, "-lf", leases.path, "-pf", fixture.log("dhcpd.pid").path, "fbr0",
        ], output: fixture.log("dhcpd.log"))
        defer { server.stop() }
        try #require(server.waitFor("Server starting service"), "dhcpd did not start: \(server.log)")
        let tftp = try tftpOnlyDnsmasq(fixture, namespace)
        defer { tftp.stop() }
        try expectHostBootsThroughTheNamespace(fixture, namespace, tftp: tftp)
    }

    @Test func keaServesDHCPWithDnsmasqForTFTP() throws {
        let fixture = try BootFixture("kea", extra: "  interface: fbr0\n")
        let kea = try requireTool("/usr/sbin/kea-dhcp4", package: "kea-dhcp4-server")
        let namespace = try BootNamespace(address: "10.77.0.1/24")
        defer { namespace.remove() }
        let conf = fixture.out.appendingPathComponent("kea/kea-dhcp4.conf").path
        // Kea keeps its leases in /var/lib/kea: a private mount namespace with a tmpfs over
        // /var/lib, so nothing outside the test changes; its lock and PID files go to `state`.
        let state = fixture.dir.appendingPathComponent("kea-state")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        let environment = ["KEA_PIDFILE_DIR": state.path, "KEA_LOCKFILE_DIR": state.path]
        let check = try namespace.execute([kea, "-t", conf])
        #expect(check.status == 0, "kea-dhcp4 -t: \(check.stdout) \(check.stderr)")
        let server = try Daemon("kea", namespace: namespace, command: [
            "/usr/bin/unshare", "-m", "/bin/sh", "-c",
            "mount --make-rprivate / && mount -t tmpfs tmpfs /var/lib && mkdir /var/lib/kea && exec \"$0\" -c \"$1\"", kea, conf,
        ], output: fixture.log("kea.log"), environment: environment)
        defer { server.stop() }
        try #require(server.waitFor("DHCP4_STARTED"), "kea-dhcp4 did not start: \(server.log)")
        let tftp = try tftpOnlyDnsmasq(fixture, namespace)
        defer { tftp.stop() }
        try expectHostBootsThroughTheNamespace(fixture, namespace, tftp: tftp)
    }

    /// The VM with vm01's MAC boots on the namespace's tap: its entry, its reserved lease, and
    /// the TFTP server's log naming the per-MAC pxelinux file it sent.
    private func expectHostBootsThroughTheNamespace(_ fixture: BootFixture, _ namespace: BootNamespace, tftp: Daemon) throws {
        let serial = try Guest.boot(["-netdev", "tap,id=n0,ifname=fbtap0,script=no,downscript=no", "-device", "e1000,netdev=n0,mac=\(vmHostMAC)",
                                     "-boot", "order=n"], log: fixture.log("vm.log"), namespace: namespace.name)
        expectKnownHostBooted(serial)
        #expect(serial.lease?.contains("ip=10.77.0.11 hostname=vm01") == true, "lease: \(serial.lease ?? "none")")
        #expect(tftp.log.contains("sent \(fixture.tftp.path)/pxelinux.cfg/01-52-54-00-77-00-01"), "\(tftp.log.suffix(2000))")
    }

    /// `dnsmasq --test`, `dhcpd -t -cf` and `kea-dhcp4 -t`, inside a namespace where the
    /// interface exists, accept every server file of specs that take each branch of the
    /// generators (iPXE loader or not, range or none, options or none).
    @Test func serverFilesPassTheServersOwnChecks() throws {
        let dnsmasq = try requireTool("/usr/sbin/dnsmasq", package: "dnsmasq-base")
        let dhcpd = try requireTool("/usr/sbin/dhcpd", package: "isc-dhcp-server")
        let kea = try requireTool("/usr/sbin/kea-dhcp4", package: "kea-dhcp4-server")
        let namespace = try BootNamespace(address: "10.77.0.1/24")
        defer { namespace.remove() }
        let variants = [
            vmSpec(kernelVersion: "6.1.0-99-amd64", extra: "  interface: fbr0\n"),
            """
            site: bare
            version: 1
            boot:
              kernel: 6.1.0-99-amd64
              server: 10.77.0.1
              subnet: 10.77.0.0/16
              loaders: {bios: undionly.kpxe, uefi: ipxe.efi, ipxe: boot.ipxe}
            hosts:
              - {name: 1web.lab-x.example.org, mac: '52:54:00:77:00:01', ip: 10.77.3.1}
              - {name: nomac, ip: 10.77.3.2}
              - {name: noip, mac: '52:54:00:77:00:02'}

            """,
        ]
        for (index, yaml) in variants.enumerated() {
            let dir = try scratchDirectory("serverfiles\(index)")
            let spec = dir.appendingPathComponent("site.yaml"), out = dir.appendingPathComponent("boot")
            try yaml.write(to: spec, atomically: true, encoding: .utf8)
            let made = try faigen("boot", "--spec", spec.path, out.path)
            #expect(made.status == 0, "\(made.stderr)")
            for check in [[dnsmasq, "--test", "--conf-file=\(out.path)/dnsmasq/faigen.conf"],
                          [dhcpd, "-t", "-4", "-cf", "\(out.path)/dhcpd/dhcpd.conf"],
                          [kea, "-t", "\(out.path)/kea/kea-dhcp4.conf"]] {
                let result = try namespace.execute(check)
                #expect(result.status == 0, "variant \(index): \(check.joined(separator: " ")): \(result.stdout.suffix(800)) \(result.stderr.suffix(800))")
            }
        }
    }

    /// dnsmasq for TFTP only (no DHCP, no DNS) beside dhcpd or Kea.
    func tftpOnlyDnsmasq(_ fixture: BootFixture, _ namespace: BootNamespace) throws -> Daemon {
        let dnsmasq = try requireTool("/usr/sbin/dnsmasq", package: "dnsmasq")
        let server = try Daemon("dnsmasq-tftp", namespace: namespace, command: [
            dnsmasq, "--keep-in-foreground", "--conf-file=/dev/null", "--port=0", "--interface=fbr0", "--bind-interfaces",
            "--enable-tftp", "--tftp-root=\(fixture.tftp.path)", "--log-facility=-", "--pid-file=",
        ], output: fixture.log("dnsmasq-tftp.log"))
        try #require(server.waitFor("TFTP root is"), "dnsmasq (TFTP) did not start: \(server.log)")
        return server
    }
}
