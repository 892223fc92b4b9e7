// GanetiOSTests: the Ganeti OS definition `faigen boot` writes, run with the environment Ganeti gives its scripts, and the disk create wrote booted in QEMU.
import Foundation
import Testing

/// The `ganeti:` section every test here adds to the VM site (vmSpec): two variants.
let ganetiSection = "ganeti:\n  variants: {web: [WEB], db: [DB, POSTGRES]}\n"

/// `faigen boot` of the VM site with the Ganeti section, and disks as files: the OS
/// definition run as a Ganeti node runs it (ganeti-os-interface(7), API 20).
struct GanetiNode {
    var dir: URL
    var out: URL
    var osDirectory: URL { out.appendingPathComponent("ganeti/os/fai") }
    var configDirectory: URL { out.appendingPathComponent("ganeti/instance-fai") }

    init(_ name: String, kernelVersion: String = "6.1.0-99-amd64", extra: String = "") throws {
        for (tool, package) in [("/usr/sbin/mkfs.fat", "dosfstools"), ("/usr/bin/mcopy", "mtools"), ("/usr/bin/mtype", "mtools"),
                                ("/usr/bin/syslinux", "syslinux")] {
            _ = try requireTool(tool, package: package)
        }
        _ = try requireFile("/usr/lib/ipxe/ipxe.lkrn", package: "ipxe")
        _ = try requireFile("/usr/lib/syslinux/mbr/mbr.bin", package: "syslinux-common")
        dir = try scratchDirectory(name)
        out = dir.appendingPathComponent("boot")
        let spec = dir.appendingPathComponent("site.yaml")
        try vmSpec(kernelVersion: kernelVersion, extra: extra + ganetiSection).write(to: spec, atomically: true, encoding: .utf8)
        let made = try faigen("boot", "--spec", spec.path, out.path)
        #expect(made.status == 0, "\(made.stderr)")
    }

    /// A disk of `mebibytes` MiB of a repeating pattern (so "nothing written" is a real check).
    func disk(_ name: String, mebibytes: Int = 8) throws -> URL {
        let url = dir.appendingPathComponent(name)
        let block = Data((0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) })
        var data = Data(capacity: mebibytes << 20)
        for _ in 0..<mebibytes { data.append(block) }
        try data.write(to: url)
        return url
    }

    /// The environment Ganeti's node daemon gives an OS script (cleaned: nothing else),
    /// for instance web7 of variant web with addclasses=DB_X on `disk`.
    func environment(disk: URL, _ changes: [String: String?] = [:]) -> [String: String] {
        var variables: [String: String] = [
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "OS_API_VERSION": "20", "OS_NAME": "fai", "INSTANCE_OS": "fai+web",
            "OS_VARIANT": "web", "INSTANCE_NAME": "web7.vmlab.example.org", "HYPERVISOR": "kvm",
            "DISK_COUNT": "1", "DISK_0_PATH": disk.path, "DISK_0_ACCESS": "rw", "DISK_0_BACKEND_TYPE": "file:loop",
            "NIC_COUNT": "1", "NIC_0_MAC": "52:54:00:77:00:42", "NIC_0_MODE": "bridged", "NIC_0_BRIDGE": "br0",
            "OSP_ADDCLASSES": "DB_X", "DEBUG_LEVEL": "0",
            // Ganeti cleans the environment; this points the scripts at the generated settings
            // instead of /etc/ganeti/instance-fai, and their temporary files into the test's directory.
            "INSTANCE_FAI_CONFDIR": configDirectory.path, "TMPDIR": dir.path,
        ]
        if let size = try? FileManager.default.attributesOfItem(atPath: disk.path)[.size] as? Int { variables["DISK_0_SIZE"] = String(size >> 20) }
        for (key, value) in changes { variables[key] = value }
        return variables
    }

    func script(_ name: String, _ arguments: [String] = [], environment: [String: String]) throws -> RunResult {
        try run(osDirectory.appendingPathComponent(name).path, arguments, environment: environment)
    }

    /// Ganeti's own node code (scripts/ganeti-node: Debian's ganeti-3.0 library, unpacked)
    /// on this definition, with /etc/ganeti/instance-fai from OUTDIR in a private mount namespace.
    func ganeti(_ arguments: String...) throws -> RunResult {
        try run(repositoryRoot.appendingPathComponent("scripts/ganeti-node").path, ["run", out.path, dir.path] + arguments)
    }

    /// The iPXE script on the disk's FAT partition (1 MiB in), read with mtools.
    func ipxeScript(on disk: URL) throws -> String {
        let result = try run("/usr/bin/mtype", ["-i", "\(disk.path)@@1048576", "::faigen.ipxe"], environment: ["MTOOLS_SKIP_CHECK": "1"])
        #expect(result.status == 0, "mtype: \(result.stderr)")
        return result.stdout
    }

    /// The words of the iPXE script's kernel line.
    func kernelWords(on disk: URL) throws -> [String] {
        let line = try ipxeScript(on: disk).split(separator: "\n").first { $0.hasPrefix("kernel ") } ?? ""
        return line.split(separator: " ").map(String.init)
    }
}

/// One line on standard error, ending in a newline: what Ganeti shows the operator.
func expectOneLine(_ result: RunResult, containing text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(result.status == 1, "exit \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr.contains(text), "\(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr.filter { $0 == "\n" }.count == 1 && result.stderr.hasSuffix("\n"), "not one line: \(result.stderr)", sourceLocation: sourceLocation)
}

@Suite struct GanetiOS {
    @Test func definitionHoldsWhatGanetiReadsAndPassesShellcheck() throws {
        let node = try GanetiNode("ganeti-files")
        let read = { (path: String) in try String(contentsOf: node.out.appendingPathComponent(path), encoding: .utf8) }
        #expect(try read("ganeti/os/fai/ganeti_api_version") == "20\n")
        #expect(try read("ganeti/os/fai/variants.list") == "default\nweb\ndb\n")
        let parameters = try read("ganeti/os/fai/parameters.list").split(separator: "\n").map { String($0.prefix { $0 != " " }) }
        #expect(parameters == ["addclasses", "action"])
        #expect(try read("ganeti/instance-fai/variants/db.conf").contains("\nCLASSES=${CLASSES:+$CLASSES,}DB,POSTGRES\n"))
        #expect(try read("ganeti/instance-fai/defaults").contains("\nTFTP_SERVER=10.77.0.1\nKERNEL=vmlinuz-6.1.0-99-amd64\n"))
        // The manifest records the scripts executable, the rest not.
        let manifest = try read(".faigen/manifest")
        for name in ["create", "export", "import", "rename", "verify"] {
            #expect(manifest.contains("100755 ") && manifest.split(separator: "\n").contains { $0.hasPrefix("100755 ") && $0.hasSuffix(" ganeti/os/fai/\(name)") }, "\(name)")
            let mode = try FileManager.default.attributesOfItem(atPath: node.osDirectory.appendingPathComponent(name).path)[.posixPermissions] as? Int
            #expect(mode == 0o755, "\(name): \(String(mode ?? 0, radix: 8))")
        }
        #expect(manifest.split(separator: "\n").contains { $0.hasPrefix("100644 ") && $0.hasSuffix(" ganeti/os/fai/common.sh") })
        // shellcheck at every severity, following common.sh; the settings files only assign.
        let shellcheck = try requireTool("/usr/bin/shellcheck", package: "shellcheck")
        let scripts = ["create", "export", "import", "rename", "verify", "common.sh"]
        let check = try run(shellcheck, ["-x"] + scripts, directory: node.osDirectory)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let settings = try run(shellcheck, ["--shell=sh", "--exclude=SC2034", "defaults", "variants/default.conf", "variants/web.conf", "variants/db.conf"],
                               directory: node.configDirectory)
        #expect(settings.status == 0, "\(settings.stdout)\(settings.stderr)")
    }

    @Test func createVerifyRenameExportImportAsGanetiRunsThem() throws {
        let node = try GanetiNode("ganeti-contract")
        let disk = try node.disk("disk0", mebibytes: 16)
        let env = node.environment(disk: disk)

        let verified = try node.script("verify", ["parameters"], environment: env)
        #expect(verified.status == 0 && verified.stderr.isEmpty, "\(verified.stderr)")
        #expect(try node.script("verify", [], environment: env).status == 1)
        #expect(try node.script("verify", ["--help"], environment: env).status == 0)
        expectOneLine(try node.script("verify", ["os"], environment: env), containing: "unknown check 'os'")
        #expect(try node.script("create", ["extra"], environment: env).status == 1)

        // create: an MBR booting the active FAT partition at 1 MiB, holding syslinux, iPXE and its script.
        let created = try node.script("create", environment: env)
        #expect(created.status == 0, "\(created.stderr)")
        let bytes = [UInt8](try Data(contentsOf: disk))
        #expect(bytes.count == 16 << 20, "create changed the disk's size")
        #expect(bytes[510] == 0x55 && bytes[511] == 0xAA && bytes[446] == 0x80)
        #expect(Array(bytes[454..<462]) == [0x00, 0x08, 0, 0, 0x00, 0x18, 0, 0], "partition: LBA 2048, 6144 sectors")
        #expect(bytes[462..<510].allSatisfy { $0 == 0 }, "one partition only")
        #expect(Array(bytes[0..<440]) == [UInt8](try Data(contentsOf: URL(fileURLWithPath: "/usr/lib/syslinux/mbr/mbr.bin"))))
        #expect(Array(bytes[(4 << 20)..<(4 << 20) + 64]) == Array(try Data(contentsOf: try node.disk("pattern", mebibytes: 5))[(4 << 20)..<(4 << 20) + 64]),
                "create wrote past its 4 MiB image")
        let listing = try run("/usr/bin/mdir", ["-a", "-b", "-i", "\(disk.path)@@1048576", "::"], environment: ["MTOOLS_SKIP_CHECK": "1"])
        #expect(Set(listing.stdout.split(separator: "\n").map { String($0.split(separator: "/").last ?? "") })
            .isSuperset(of: ["ldlinux.sys", "ldlinux.c32", "ipxe.lkrn", "syslinux.cfg", "faigen.ipxe"]), "\(listing.stdout)")
        let script = try node.ipxeScript(on: disk)
        #expect(script.hasPrefix("#!ipxe\n") && script.contains("\ndhcp || goto retry\n") && script.hasSuffix("\ninitrd tftp://10.77.0.1/initrd.img-6.1.0-99-amd64\nboot\n"), "\(script)")
        let words = try node.kernelWords(on: disk)
        #expect(words.first == "kernel" && words.dropFirst().first == "tftp://10.77.0.1/vmlinuz-6.1.0-99-amd64")
        for word in ["hostname=web7.vmlab.example.org", "ADDCLASSES=WEB,DB_X", "FAI_ACTION=install", "initrd=initrd.img-6.1.0-99-amd64",
                     "root=nfs:10.77.0.1:/srv/fai/nfsroot:vers=3", "FAI_FLAGS=verbose,sshd", "FAI_CONFIG_SRC=git+https://git.example.org/fai/config.git#main"] {
            #expect(words.contains(word), "\(word) missing from \(words)")
        }

        // The variant's classes come first; the default variant has none; action= picks FAI_ACTION.
        #expect(try node.script("create", environment: node.environment(disk: disk, ["OS_VARIANT": "db", "OSP_ADDCLASSES": "A,B"])).status == 0)
        #expect(try node.kernelWords(on: disk).contains("ADDCLASSES=DB,POSTGRES,A,B"))
        let plain = node.environment(disk: disk, ["OS_VARIANT": "default", "OSP_ADDCLASSES": nil, "OSP_ACTION": "sysinfo"])
        #expect(try node.script("create", environment: plain).status == 0)
        let plainWords = try node.kernelWords(on: disk)
        #expect(!plainWords.contains { $0.hasPrefix("ADDCLASSES=") } && plainWords.contains("FAI_ACTION=sysinfo"), "\(plainWords)")
        #expect(try node.script("create", environment: env).status == 0)

        // rename before FAI ran: the script on the disk names the new instance.
        let renamed = try node.script("rename", environment: node.environment(disk: disk, [
            "OLD_INSTANCE_NAME": "web7.vmlab.example.org", "INSTANCE_NAME": "web8.vmlab.example.org"]))
        #expect(renamed.status == 0, "\(renamed.stderr)")
        let renamedWords = try node.kernelWords(on: disk)
        #expect(renamedWords.contains("hostname=web8.vmlab.example.org") && !renamedWords.contains("hostname=web7.vmlab.example.org"))

        // export: the disk byte for byte on standard output, its size on EXP_SIZE_FD.
        let dump = node.dir.appendingPathComponent("dump"), size = node.dir.appendingPathComponent("size")
        var exportEnv = node.environment(disk: disk, ["EXPORT_INDEX": "0", "EXPORT_DISK_PATH": disk.path, "EXPORT_DEVICE": disk.path, "EXP_SIZE_FD": "3"])
        exportEnv["DISK_0_PATH"] = disk.path
        let exported = try run("/bin/sh", ["-c", "exec \"$0\" >\"$1\" 3>\"$2\"", node.osDirectory.appendingPathComponent("export").path, dump.path, size.path],
                               environment: exportEnv)
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(try Data(contentsOf: dump) == Data(contentsOf: disk))
        #expect(try String(contentsOf: size, encoding: .utf8) == "\(16 << 20)\n")

        // import: the dump onto a new disk of the same size; a longer dump than the disk fails.
        let target = try node.disk("disk-import", mebibytes: 16)
        let imported = try run("/bin/sh", ["-c", "exec \"$0\" <\"$1\"", node.osDirectory.appendingPathComponent("import").path, dump.path],
                               environment: node.environment(disk: target, ["IMPORT_INDEX": "0", "IMPORT_DISK_PATH": target.path, "IMPORT_DEVICE": target.path]))
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try Data(contentsOf: target) == Data(contentsOf: disk))
        let small = try node.disk("disk-small", mebibytes: 8)
        let tooLong = try run("/bin/sh", ["-c", "exec \"$0\" <\"$1\"", node.osDirectory.appendingPathComponent("import").path, dump.path],
                              environment: node.environment(disk: small, ["IMPORT_INDEX": "0", "IMPORT_DISK_PATH": small.path]))
        expectOneLine(tooLong, containing: "the dump is longer than disk")
        #expect(try Data(contentsOf: small).count == 8 << 20, "import grew the disk")

        // rename after FAI installed the instance (its disk no longer holds the boot image):
        // nothing on the disk changes, and the operator is told.
        try Data(count: 8 << 20).write(to: target)
        let installed = try Data(contentsOf: target)
        let renamedInstalled = try node.script("rename", environment: node.environment(disk: target, [
            "OLD_INSTANCE_NAME": "web8.vmlab.example.org", "INSTANCE_NAME": "web9.vmlab.example.org"]))
        #expect(renamedInstalled.status == 0, "\(renamedInstalled.stderr)")
        #expect(renamedInstalled.stderr.contains("keeps that host name"), "\(renamedInstalled.stderr)")
        #expect(try Data(contentsOf: target) == installed)
    }

    /// Ganeti's backend (ganeti-3.0's Python library, as ganeti-noded runs it) finds the
    /// definition valid, builds the environment of its scripts itself, and runs verify
    /// (ValidateOS), create (InstanceOsAdd) and rename (RunRenameInstance) with it.
    @Test func ganetisOwnNodeCodeRunsTheDefinition() throws {
        let node = try GanetiNode("ganeti-noded")
        let diagnosed = try node.ganeti("diagnose", "fai")
        try #require(diagnosed.status == 0, "\(diagnosed.stderr)")
        let found = try JSONSerialization.jsonObject(with: Data(diagnosed.stdout.utf8)) as? [String: Any]
        #expect(found?["api_versions"] as? [Int] == [20])
        #expect(found?["variants"] as? [String] == ["default", "web", "db"])
        #expect((found?["parameters"] as? [[String]])?.map { $0.first ?? "" } == ["addclasses", "action"])

        let valid = try node.ganeti("validate", "fai+web", #"{"addclasses": "WEB,DB", "action": "sysinfo"}"#)
        #expect(valid.status == 0, "\(valid.stderr)")
        let mark = node.dir.appendingPathComponent("ran")
        let hostile = try node.ganeti("validate", "fai+web", #"{"addclasses": "$(touch \#(mark.path))"}"#)
        #expect(hostile.status == 1 && hostile.stderr.contains("OS validation script failed") && hostile.stderr.contains("verify: invalid addclasses"), "\(hostile.stderr)")
        let noVariant = try node.ganeti("validate", "fai", #"{"addclasses": "WEB"}"#)
        #expect(noVariant.status == 1 && noVariant.stderr.contains("must include a variant"), "\(noVariant.stderr)")
        let unknownParameter = try node.ganeti("validate", "fai+web", #"{"classes": "WEB"}"#)
        #expect(unknownParameter.status == 1 && unknownParameter.stderr.contains("not supported by the OS fai: classes"), "\(unknownParameter.stderr)")

        let disk = try node.disk("disk0", mebibytes: 16)
        let added = try node.ganeti("add", "fai+web", "web7.vmlab.example.org", disk.path, "52:54:00:77:00:42", #"{"addclasses": "DB_X"}"#)
        #expect(added.status == 0, "\(added.stderr)")
        let environment = try JSONSerialization.jsonObject(with: Data((added.stdout.split(separator: "\n").first ?? "").utf8)) as? [String: String]
        for (key, value) in ["OS_API_VERSION": "20", "OS_VARIANT": "web", "OSP_ADDCLASSES": "DB_X", "INSTANCE_NAME": "web7.vmlab.example.org",
                             "DISK_COUNT": "1", "DISK_0_PATH": disk.path, "NIC_0_MAC": "52:54:00:77:00:42", "HYPERVISOR": "kvm"] {
            #expect(environment?[key] == value, "\(key): \(environment ?? [:])")
        }
        #expect(environment?["INSTANCE_FAI_CONFDIR"] == nil, "Ganeti's environment is its own")
        let words = try node.kernelWords(on: disk)
        #expect(words.contains("hostname=web7.vmlab.example.org") && words.contains("ADDCLASSES=WEB,DB_X") && words.contains("FAI_ACTION=install"), "\(words)")

        let before = try Data(contentsOf: disk)
        for params in [#"{"addclasses": "$(touch \#(mark.path))"}"#, #"{"addclasses": "WEB; reboot"}"#] {
            let refused = try node.ganeti("add", "fai+web", "web7.vmlab.example.org", disk.path, "52:54:00:77:00:42", params)
            #expect(refused.status == 1 && refused.stderr.contains("OS create script failed") && refused.stderr.contains("create: invalid addclasses"), "\(refused.stderr)")
        }
        #expect(try Data(contentsOf: disk) == before, "the disk changed")
        #expect(!FileManager.default.fileExists(atPath: mark.path), "a value from Ganeti ran as a command")

        let renamed = try node.ganeti("rename", "fai+web", "web8.vmlab.example.org", "web7.vmlab.example.org", disk.path, "52:54:00:77:00:42", #"{"addclasses": "DB_X"}"#)
        #expect(renamed.status == 0, "\(renamed.stderr)")
        #expect(try node.kernelWords(on: disk).contains("hostname=web8.vmlab.example.org"))
    }

    /// Every value from Ganeti's environment is data: a hostile one is refused in one line
    /// before anything is written, and nothing in it runs.
    @Test func hostileValuesAreRefusedAndTheDiskIsUntouched() throws {
        let node = try GanetiNode("ganeti-hostile")
        let disk = try node.disk("disk0")
        let before = try Data(contentsOf: disk)
        let mark = node.dir.appendingPathComponent("ran")
        let addclasses = ["$(touch \(mark.path))", "`touch \(mark.path)`", "WEB;touch \(mark.path)", "WEB DB", "web", "WEB,db", "WEB,,DB",
                          ",WEB", "WEB,", "WEB\nDB", "WEB&&touch \(mark.path)", "WEB|DB", "${IFS}", "WEB\u{00C9}", "WEB-DB", "*",
                          String(repeating: "A,", count: 600) + "A"]
        for value in addclasses {
            let env = node.environment(disk: disk, ["OSP_ADDCLASSES": value])
            expectOneLine(try node.script("verify", ["parameters"], environment: env), containing: "invalid addclasses")
            expectOneLine(try node.script("create", environment: env), containing: "invalid addclasses")
        }
        for value in ["install;reboot", "localboot", "INSTALL", "$(touch \(mark.path))"] {
            let env = node.environment(disk: disk, ["OSP_ACTION": value])
            expectOneLine(try node.script("verify", ["parameters"], environment: env), containing: "invalid action")
            expectOneLine(try node.script("create", environment: env), containing: "invalid action")
        }
        for value in ["$(touch \(mark.path))", "web7;reboot", "web 7", "-web7", "web7-", "web..example", ".web7", "web7.", "web_7",
                      "web7\nhostname=evil", String(repeating: "a", count: 64), "", "${hostname}", "web7#x"] {
            expectOneLine(try node.script("create", environment: node.environment(disk: disk, ["INSTANCE_NAME": value])), containing: "invalid instance name")
        }
        for value in ["../../../tmp/x", "Web", "web/../db", "-web", "$(touch \(mark.path))"] {
            expectOneLine(try node.script("create", environment: node.environment(disk: disk, ["OS_VARIANT": value])), containing: "invalid variant")
        }
        expectOneLine(try node.script("create", environment: node.environment(disk: disk, ["OS_VARIANT": "nosuch"])), containing: "unknown variant nosuch")
        expectOneLine(try node.script("create", environment: node.environment(disk: disk, ["OS_API_VERSION": "15"])), containing: "API 20")
        expectOneLine(try node.script("create", environment: node.environment(disk: disk, ["HYPERVISOR": "xen-pvm"])), containing: "kvm or xen-hvm")
        expectOneLine(try node.script("create", environment: node.environment(disk: disk, ["DISK_COUNT": "0"])), containing: "has no disk")
        expectOneLine(try node.script("create", environment: node.environment(disk: disk, ["DISK_0_PATH": nil])), containing: "DISK_0_PATH is not set")
        let tiny = try node.disk("tiny", mebibytes: 2)
        expectOneLine(try node.script("create", environment: node.environment(disk: tiny)), containing: "the boot image needs 4194304")
        #expect(try Data(contentsOf: tiny) == Data(contentsOf: try node.disk("tiny-pattern", mebibytes: 2)))
        // A settings file edited into something iPXE would run is refused too.
        let defaults = node.configDirectory.appendingPathComponent("defaults")
        let text = try String(contentsOf: defaults, encoding: .utf8)
        try (text + "KERNEL_ARGS=\"$KERNEL_ARGS \\${net0/mac} ; shell\"\n").write(to: defaults, atomically: true, encoding: .utf8)
        expectOneLine(try node.script("create", environment: node.environment(disk: disk)), containing: "KERNEL_ARGS")
        try (text + "ACTION='install FAI_FLAGS=debug'\n").write(to: defaults, atomically: true, encoding: .utf8)
        expectOneLine(try node.script("create", environment: node.environment(disk: disk)), containing: "ACTION 'install FAI_FLAGS=debug'")
        try text.write(to: defaults, atomically: true, encoding: .utf8)

        #expect(try Data(contentsOf: disk) == before, "the disk changed")
        #expect(!FileManager.default.fileExists(atPath: mark.path), "a value from the environment ran as a command")
        #expect(try FileManager.default.contentsOfDirectory(atPath: node.dir.path).filter { $0.hasPrefix("instance-fai.") }.isEmpty, "temporary files left")
    }
}

extension BootVM {
    /// The disk create wrote (run by Ganeti's InstanceOsAdd) boots in QEMU on the namespace rig with dnsmasq serving DHCP and
    /// TFTP from the generated files: syslinux starts iPXE from the disk, iPXE gets a lease
    /// and loads the FAI kernel and initrd by TFTP, and the kernel's command line names the
    /// instance and its classes.
    @Test func ganetiCreatedDiskBootsFAIThroughIPXE() throws {
        let fixture = try BootFixture("ganeti-vm", extra: "  interface: fbr0\n" + ganetiSection)
        let node = try GanetiNode("ganeti-vm-node", kernelVersion: fixture.guest.kernelVersion, extra: "  interface: fbr0\n")
        let disk = try node.disk("disk0", mebibytes: 16)
        let mac = "52:54:00:77:00:42"
        // Ganeti's own InstanceOsAdd runs create (scripts/ganeti-node).
        let created = try node.ganeti("add", "fai+web", "web7.vmlab.example.org", disk.path, mac, #"{"addclasses": "DB_X"}"#)
        try #require(created.status == 0, "\(created.stderr)")
        let namespace = try BootNamespace(address: "10.77.0.1/24")
        defer { namespace.remove() }
        let server = try dnsmasqServingDHCPAndTFTP(fixture, namespace)
        defer { server.stop() }
        // Booting from the disk only: no network boot ROM runs (-boot order=c), the NIC is for iPXE.
        let serial = try Guest.boot(["-drive", "file=\(disk.path),format=raw,if=ide", "-netdev", "tap,id=n0,ifname=fbtap0,script=no,downscript=no",
                                     "-device", "e1000,netdev=n0,mac=\(mac),romfile=", "-boot", "order=c"],
                                    log: fixture.log("ganeti-vm.log"), seconds: 600, namespace: namespace.name)
        #expect(serial.cmdline != nil, "no command line on the serial console: \(serial.log.suffix(2000)) dnsmasq: \(server.log.suffix(2000))")
        for word in ["hostname=web7.vmlab.example.org", "ADDCLASSES=WEB,DB_X", "FAI_ACTION=install", "FAI_CONFIG_SRC=git+https://git.example.org/fai/config.git#main",
                     "root=nfs:10.77.0.1:/srv/fai/nfsroot:vers=3", "initrd=initrd.img-\(fixture.guest.kernelVersion)"] {
            #expect(serial.words.contains(word), "\(word) missing from \(serial.cmdline ?? "")")
        }
        // syslinux from the disk loaded iPXE and its script (it reports on the serial port too).
        for text in ["SYSLINUX", "Loading ipxe.lkrn... ok", "Loading faigen.ipxe...ok"] {
            #expect(serial.log.contains(text), "\(text) missing from the serial console: \(serial.log.prefix(1500))")
        }
        // iPXE's lease (its DHCP request carries user class iPXE) and the kernel and initrd it fetched.
        let log = server.log
        let lease = log.split(separator: "\n").first { $0.contains("DHCPACK(fbr0) 10.77.0.1") && $0.contains(mac) }
        #expect(lease != nil, "no lease for \(mac): \(log.suffix(3000))")
        #expect(log.contains("user class: iPXE"), "\(log.suffix(3000))")
        #expect(log.contains("sent \(fixture.tftp.path)/vmlinuz-\(fixture.guest.kernelVersion) to 10.77.0.1"), "\(log.suffix(3000))")
        #expect(log.contains("sent \(fixture.tftp.path)/initrd.img-\(fixture.guest.kernelVersion) to 10.77.0.1"), "\(log.suffix(3000))")
        #expect(!log.contains("pxelinux.0 to"), "the VM booted from the network, not its disk: \(log.suffix(3000))")
    }
}
