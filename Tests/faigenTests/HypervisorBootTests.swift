// HypervisorBootTests: the xe and VBoxManage scripts `faigen boot` writes, run against recording stubs; the eliloader repository; the libvirt domains through virt-xml-validate.
import Foundation
import Testing

/// A recording `xe`: each call's arguments, NUL-separated, in STATE/calls/NNNN; it answers
/// the lookups the scripts make as xe does (`--minimal`: UUIDs joined by commas, or an empty
/// line), knowing only the names the test wrote into STATE, so a name that arrives changed
/// is not found. An unknown UUID is xe's error.
private let xeStub = #"""
    #!/bin/sh
    set -eu
    state=$FAIGEN_STUB_STATE
    n=$(find "$state/calls" -type f | wc -l)
    printf '%s\0' "$@" >"$state/calls/$(printf %04d "$n")"
    value() {
    	key=$1
    	shift
    	for arg in "$@"; do
    		case $arg in "$key="*) printf '%s' "${arg#"$key="}"; return 0 ;; esac
    	done
    	return 1
    }
    known() { [ -f "$state/$1" ] && [ "$2" = "$(cat "$state/$1")" ]; }
    invalid() { echo "The uuid you supplied was invalid." >&2; exit 1; }
    command=$1
    shift
    case $command in
    template-list)
    	name=$(value name-label "$@")
    	if known vendor-name "$name"; then echo afc6aad7-439d-7967-fc9f-80cdc27f9f70
    	elif known template-name "$name"; then echo 42814a5e-c287-7ff4-4770-def0b690e5e0
    	else echo; fi ;;
    vm-clone)
    	[ "$(value uuid "$@")" = afc6aad7-439d-7967-fc9f-80cdc27f9f70 ] || invalid
    	value new-name-label "$@" >"$state/template-name"
    	echo 42814a5e-c287-7ff4-4770-def0b690e5e0 ;;
    template-param-set)
    	[ "$(value uuid "$@")" = 42814a5e-c287-7ff4-4770-def0b690e5e0 ] || invalid ;;
    network-list)
    	if known network-name "$(value name-label "$@")"; then echo 9a4c1d3e-5b6f-4a7b-8c9d-0e1f2a3b4c5d; else echo; fi ;;
    vm-list)
    	name=$(value name-label "$@")
    	if [ -f "$state/vm-$name" ]; then cat "$state/vm-$name"; else echo; fi ;;
    vm-install)
    	known template-name "$(value template "$@")" || { echo "Template not found" >&2; exit 1; }
    	name=$(value new-name-label "$@")
    	count=0
    	[ -f "$state/vm-uuids" ] && count=$(wc -l <"$state/vm-uuids")
    	uuid=$(printf 'b0a1c2d3-0000-4000-8000-%012d' "$((count + 1))")
    	echo "$uuid" >>"$state/vm-uuids"
    	echo "$uuid" | tee "$state/vm-$name" ;;
    vm-param-set)
    	grep -qsx -e "$(value uuid "$@")" "$state/vm-uuids" || invalid ;;
    vif-create)
    	grep -qsx -e "$(value vm-uuid "$@")" "$state/vm-uuids" || invalid
    	echo 7e6d5c4b-3a29-4817-9605-f4e3d2c1b0a9 ;;
    *) echo "Unknown command: $command" >&2; exit 1 ;;
    esac

    """#

/// A recording `VBoxManage`: calls as for xe; `showvminfo` fails for a VM it did not create
/// and shows the settings file under STATE/VirtualBox VMs (a space in the path, as VirtualBox's own).
private let vboxStub = #"""
    #!/bin/sh
    set -eu
    state=$FAIGEN_STUB_STATE
    n=$(find "$state/calls" -type f | wc -l)
    printf '%s\0' "$@" >"$state/calls/$(printf %04d "$n")"
    case $1 in
    showvminfo)
    	[ -f "$state/vm-$2" ] || { echo "VBoxManage: error: Could not find a registered machine named '$2'" >&2; exit 1; }
    	if [ "${3:-}" = --machinereadable ]; then
    		printf 'name="%s"\nCfgFile="%s/VirtualBox VMs/%s/%s.vbox"\n' "$2" "$state" "$2" "$2"
    	fi ;;
    createvm) touch "$state/vm-$3" ;;
    modifyvm | createmedium | storagectl | storageattach) ;;
    *) echo "VBoxManage: error: unknown command $1" >&2; exit 1 ;;
    esac

    """#

@Suite struct HypervisorBoot {
    /// The golden spec, with the metacharacter template naming a file in `dir` that must never appear.
    static func boot(_ dir: URL) throws -> (out: URL, pwned: URL) {
        let pwned = dir.appendingPathComponent("pwned")
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("golden/boot-hypervisors.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "/tmp/pwned", with: pwned.path)
        try text.write(to: dir.appendingPathComponent("lab.yaml"), atomically: true, encoding: .utf8)
        let result = try faigen("boot", "--spec", "lab.yaml", "out", directory: dir)
        #expect(result.status == 0, "\(result.stderr)")
        return (dir.appendingPathComponent("out"), pwned)
    }

    /// A directory with the stub as `name`, and an empty state directory for it.
    static func stub(_ dir: URL, _ name: String, _ text: String) throws -> (bin: URL, state: URL) {
        let bin = dir.appendingPathComponent("bin"), state = dir.appendingPathComponent("state")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: state.appendingPathComponent("calls"), withIntermediateDirectories: true)
        let path = bin.appendingPathComponent(name)
        try text.write(to: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path.path)
        return (bin, state)
    }

    /// Runs a generated script with the stub first in PATH; returns its result and the calls it made.
    static func runScript(_ script: URL, _ arguments: [String] = [], bin: URL, state: URL,
                          environment extra: [String: String] = [:]) throws -> (RunResult, [[String]]) {
        let callsDirectory = state.appendingPathComponent("calls")
        let before = try FileManager.default.contentsOfDirectory(atPath: callsDirectory.path).count
        var environment = ["PATH": "\(bin.path):/usr/bin:/bin", "FAIGEN_STUB_STATE": state.path]
        environment.merge(extra) { $1 }
        let result = try run("/bin/sh", [script.path] + arguments, environment: environment)
        let names = try FileManager.default.contentsOfDirectory(atPath: callsDirectory.path).sorted().dropFirst(before)
        let calls = try names.map { name in
            try Data(contentsOf: callsDirectory.appendingPathComponent(name)).split(separator: 0, omittingEmptySubsequences: false)
                .dropLast().map { String(decoding: $0, as: UTF8.self) }
        }
        return (result, calls)
    }

    static let template = "FAI lab's \"PV\" $(touch PWNED); `id` & *"
    static let vendor = "Debian Lenny 5.0 (32-bit)"
    static let network = "Pool-wide network associated with eth0"
    static let templateUUID = "42814a5e-c287-7ff4-4770-def0b690e5e0"
    static let commonArgs = "ip=dhcp root=nfs:10.1.1.1:/srv/fai/nfsroot:vers=3 rootovl"
    static let faiArgs = "FAI_FLAGS=verbose,sshd FAI_CONFIG_SRC=nfs://10.1.1.1/srv/fai/config FAI_ACTION=install console=hvc0"

    static func templateSettings() -> [[String]] {
        [["template-param-set", "uuid=\(templateUUID)", "name-description=FAI network install, generated by faigen from lab.yaml"],
         ["template-param-set", "uuid=\(templateUUID)", "PV-bootloader=eliloader"],
         ["template-param-set", "uuid=\(templateUUID)", "other-config:install-distro=debianlike"],
         ["template-param-set", "uuid=\(templateUUID)", "other-config:install-repository=http://10.1.1.1/fai-xen"],
         ["template-param-set", "uuid=\(templateUUID)", "other-config:debian-release=bookworm"],
         ["template-param-set", "uuid=\(templateUUID)", "other-config:install-arch=amd64"],
         ["template-param-set", "uuid=\(templateUUID)", "PV-args=\(commonArgs) \(faiArgs)"]]
    }

    /// Seed 003's template, a VM per host and the re-arm, as exact xe calls; the template name
    /// with quotes, `$(...)`, backquotes, `;`, `&` and `*` reaches xe as one unchanged
    /// argument, and the PV-args with their spaces as one.
    @Test func xeScriptsMakeTheCallsOfSeed003() throws {
        let dir = try scratchDirectory()
        let (out, pwned) = try Self.boot(dir)
        let (bin, state) = try Self.stub(dir, "xe", xeStub)
        let template = Self.template.replacingOccurrences(of: "PWNED", with: pwned.path)
        try Self.vendor.write(to: state.appendingPathComponent("vendor-name"), atomically: true, encoding: .utf8)
        try Self.network.write(to: state.appendingPathComponent("network-name"), atomically: true, encoding: .utf8)
        let xen = out.appendingPathComponent("xenserver")

        // First run: the vendor template is copied, then the copy is set up.
        var (result, calls) = try Self.runScript(xen.appendingPathComponent("create-template.sh"), bin: bin, state: state)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == Self.templateUUID + "\n")
        #expect(calls == [["template-list", "name-label=\(template)", "--minimal"],
                          ["template-list", "name-label=\(Self.vendor)", "--minimal"],
                          ["vm-clone", "uuid=afc6aad7-439d-7967-fc9f-80cdc27f9f70", "new-name-label=\(template)"]]
                + Self.templateSettings())
        #expect(try String(contentsOf: state.appendingPathComponent("template-name"), encoding: .utf8) == template)

        // Again (the spec changed): the site's template is found and set up again, not copied twice.
        (result, calls) = try Self.runScript(xen.appendingPathComponent("create-template.sh"), bin: bin, state: state)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(calls == [["template-list", "name-label=\(template)", "--minimal"]] + Self.templateSettings())

        // A VM per host, with the host's command line and MAC.
        let vm = "b0a1c2d3-0000-4000-8000-000000000001"
        let webArgs = "PV-args=\(Self.commonArgs) hostname=web01 ADDCLASSES=WEB,DB \(Self.faiArgs)"
        (result, calls) = try Self.runScript(xen.appendingPathComponent("install-web01.sh"), bin: bin, state: state)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(calls == [["vm-list", "name-label=web01", "--minimal"],
                          ["network-list", "name-label=\(Self.network)", "--minimal"],
                          ["vm-install", "template=\(template)", "new-name-label=web01"],
                          ["vm-param-set", "uuid=\(vm)", webArgs],
                          ["vif-create", "vm-uuid=\(vm)", "network-uuid=9a4c1d3e-5b6f-4a7b-8c9d-0e1f2a3b4c5d", "device=0", "mac=52:54:00:00:10:01"]])
        #expect(result.stdout.contains("xe vm-start uuid=\(vm)"))
        // The same command line as the host's pxelinux entry (fai-chboot's), less the initrd, plus the PV console.
        let pxelinux = try String(contentsOf: out.appendingPathComponent("tftp/pxelinux.cfg/01-52-54-00-00-10-01"), encoding: .utf8)
        let append = try #require(pxelinux.split(separator: "\n").first { $0.hasPrefix("append ") })
        #expect(append.split(separator: " ").dropFirst(2).map(String.init) + ["console=hvc0"]
                == webArgs.dropFirst("PV-args=".count).split(separator: " ").map(String.init))

        // A second install of the same host stops at its first check.
        (result, calls) = try Self.runScript(xen.appendingPathComponent("install-web01.sh"), bin: bin, state: state)
        #expect(result.status != 0)
        #expect(result.stderr == "install-web01.sh: a VM named web01 exists: to install it again run rearm-web01.sh\n")
        #expect(calls == [["vm-list", "name-label=web01", "--minimal"]])

        // The seed's re-arm of an interrupted install.
        (result, calls) = try Self.runScript(xen.appendingPathComponent("rearm-web01.sh"), bin: bin, state: state)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(calls == [["vm-list", "name-label=web01", "--minimal"],
                          ["vm-param-set", "uuid=\(vm)", "PV-bootloader=eliloader"],
                          ["vm-param-set", "uuid=\(vm)", "other-config:install-distro=debianlike"],
                          ["vm-param-set", "uuid=\(vm)", webArgs]])

        // db01 boots locally by the spec, but its VM exists to install: FAI_ACTION=install,
        // its own kernel arguments, the PV console last.
        (result, calls) = try Self.runScript(xen.appendingPathComponent("rearm-db01.sh"), bin: bin, state: state)
        #expect(result.status != 0)
        #expect(result.stderr == "rearm-db01.sh: there is no VM named db01: make it with install-db01.sh\n")
        #expect(calls == [["vm-list", "name-label=db01", "--minimal"]])
        (result, calls) = try Self.runScript(xen.appendingPathComponent("install-db01.sh"), bin: bin, state: state)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(calls.count == 5 && calls[3] == ["vm-param-set", "uuid=b0a1c2d3-0000-4000-8000-000000000002",
                                                 "PV-args=\(Self.commonArgs) hostname=db01 console=ttyS0,115200n8 \(Self.faiArgs)"])
        #expect(!FileManager.default.fileExists(atPath: pwned.path), "a template name ran as code")
    }

    /// The first error stops a script (`set -eu`): a XenServer without the vendor template
    /// gets no copy and no settings; an unknown network gets no VM.
    @Test func xeScriptsStopAtTheFirstError() throws {
        let dir = try scratchDirectory()
        let (out, _) = try Self.boot(dir)
        let (bin, state) = try Self.stub(dir, "xe", xeStub)
        try "Debian Squeeze 6.0 (64-bit)".write(to: state.appendingPathComponent("vendor-name"), atomically: true, encoding: .utf8)
        var (result, calls) = try Self.runScript(out.appendingPathComponent("xenserver/create-template.sh"), bin: bin, state: state)
        #expect(result.status == 1)
        #expect(result.stderr == "create-template.sh: there is no template named '\(Self.vendor)' (xe template-list shows them): set boot.xenserver.vendor_template\n")
        #expect(calls.map(\.first) == ["template-list", "template-list"])
        (result, calls) = try Self.runScript(out.appendingPathComponent("xenserver/install-web01.sh"), bin: bin, state: state)
        #expect(result.status == 1)
        #expect(result.stderr.contains("there is not exactly one network named '\(Self.network)'"))
        #expect(calls.map(\.first) == ["vm-list", "network-list"])
        // A failing xe call ends the script there.
        try "0badc0de-0000-4000-8000-000000000000\n".write(to: state.appendingPathComponent("vm-web01"), atomically: true, encoding: .utf8)
        (result, calls) = try Self.runScript(out.appendingPathComponent("xenserver/rearm-web01.sh"), bin: bin, state: state)
        #expect(result.status == 1)
        #expect(calls.map(\.first) == ["vm-list", "vm-param-set"])
        #expect(result.stderr == "The uuid you supplied was invalid.\n")
    }

    /// Makes `bytes` into a newc cpio archive holding one file, with cpio(1).
    static func cpio(_ dir: URL, _ name: String, _ bytes: String) throws -> Data {
        let tree = dir.appendingPathComponent("cpio-\(name)")
        try FileManager.default.createDirectory(at: tree, withIntermediateDirectories: true)
        try bytes.write(to: tree.appendingPathComponent(name), atomically: true, encoding: .utf8)
        let result = try run("/bin/sh", ["-c", "cd \"$1\" && printf '%s\\n' \"$2\" | cpio -o -H newc --quiet > ../\(name).cpio", "sh", tree.path, name])
        #expect(result.status == 0, "\(result.stderr)")
        return try Data(contentsOf: dir.appendingPathComponent("\(name).cpio"))
    }

    static func compress(_ data: Data, _ tool: String, _ dir: URL) throws -> Data {
        let input = dir.appendingPathComponent("input")
        try data.write(to: input)
        let result = try run("/bin/sh", ["-c", "\(tool) < \"$1\" > \"$1.out\"", "sh", input.path])
        #expect(result.status == 0, "\(tool): \(result.stderr)")
        return try Data(contentsOf: URL(fileURLWithPath: input.path + ".out"))
    }

    /// eliloader (XenServer's debianlike handler) fetches `install-repository` + `/` +
    /// `dists/<debian-release>/` (unless the repository names dists/ already) +
    /// `main/installer-<install-arch>/current/images/netboot/xen/` + `vmlinuz` and `initrd.gz`.
    /// Those paths, from the values create-template.sh gives xe, are where fill-repository.sh
    /// puts the nfsroot's kernel and an initrd that is gzip: from dracut's zstd, from gzip, and
    /// an early-cpio initrd kept as it is.
    @Test(arguments: ["zstd", "gzip", "early-cpio", "unknown"])
    func repositoryHoldsWhatEliloaderFetches(_ initrdKind: String) throws {
        let dir = try scratchDirectory("repository\(initrdKind)")
        let (out, _) = try Self.boot(dir)
        let (bin, state) = try Self.stub(dir, "xe", xeStub)
        try Self.vendor.write(to: state.appendingPathComponent("vendor-name"), atomically: true, encoding: .utf8)
        let (made, calls) = try Self.runScript(out.appendingPathComponent("xenserver/create-template.sh"), bin: bin, state: state)
        #expect(made.status == 0, "\(made.stderr)")
        var otherConfig: [String: String] = [:]
        for call in calls where call.count == 3 && call[2].hasPrefix("other-config:") {
            let pair = call[2].dropFirst("other-config:".count).split(separator: "=", maxSplits: 1).map(String.init)
            otherConfig[pair[0]] = pair[1]
        }
        // eliloader's path, served from DIR as http://10.1.1.1/fai-xen.
        var url = try #require(otherConfig["install-repository"]) + "/"
        if !url.contains("/dists/") { url += "dists/\(try #require(otherConfig["debian-release"]))/" }
        url += "main/installer-\(try #require(otherConfig["install-arch"]))/current/images/netboot/xen/"
        #expect(otherConfig["install-distro"] == "debianlike")
        let prefix = "http://10.1.1.1/fai-xen/"
        #expect(url.hasPrefix(prefix))
        let repository = dir.appendingPathComponent("www/fai-xen")
        let bootDirectory = repository.appendingPathComponent(String(url.dropFirst(prefix.count)))

        let nfsroot = dir.appendingPathComponent("nfsroot")
        try FileManager.default.createDirectory(at: nfsroot.appendingPathComponent("boot"), withIntermediateDirectories: true)
        let kernel = Data("MZ a kernel \(initrdKind)".utf8)
        try kernel.write(to: nfsroot.appendingPathComponent("boot/vmlinuz-6.1.0-28-amd64"))
        let archive = try Self.cpio(dir, "init", "#!/bin/sh\necho FAI\n")
        let initrd: Data
        switch initrdKind {
        case "zstd": initrd = try Self.compress(archive, "zstd -q -c", dir)
        case "gzip": initrd = try Self.compress(archive, "gzip -c", dir)
        case "early-cpio": initrd = try Self.cpio(dir, "microcode", "early") + Self.compress(archive, "zstd -q -c", dir)
        default: initrd = Data("not an initrd".utf8)
        }
        try initrd.write(to: nfsroot.appendingPathComponent("boot/initrd.img-6.1.0-28-amd64"))

        let result = try run("/bin/sh", [out.appendingPathComponent("xenserver/fill-repository.sh").path, repository.path],
                             environment: ["PATH": "/usr/bin:/bin", "NFSROOT": nfsroot.path])
        let files = { () throws -> Set<String> in
            Set(try FileManager.default.subpathsOfDirectory(atPath: repository.path).filter {
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: repository.appendingPathComponent($0).path, isDirectory: &isDirectory) && !isDirectory.boolValue
            })
        }
        if initrdKind == "unknown" {
            // An initrd it cannot read: an error naming the bytes, and no file, not even a temporary.
            #expect(result.status == 1)
            #expect(result.stderr.hasSuffix("is of a compression this script does not know (magic 6e6f7420616e)\n"), "\(result.stderr)")
            #expect(try files() == [])
            return
        }
        #expect(result.status == 0, "\(result.stderr)")
        let vmlinuz = bootDirectory.appendingPathComponent("vmlinuz"), initrdGz = bootDirectory.appendingPathComponent("initrd.gz")
        #expect(result.stdout == "\(repository.path)/dists/bookworm/main/installer-amd64/current/images/netboot/xen/vmlinuz\n"
                + "\(repository.path)/dists/bookworm/main/installer-amd64/current/images/netboot/xen/initrd.gz\n")
        #expect(try Data(contentsOf: vmlinuz) == kernel)
        let written = try Data(contentsOf: initrdGz)
        if initrdKind == "early-cpio" {
            #expect(written == initrd)
            #expect(result.stderr.contains("starts with an uncompressed cpio archive: copied as it is"))
        } else {
            #expect(written.prefix(2) == Data([0x1F, 0x8B]), "initrd.gz is not gzip")
            let unpacked = try run("/bin/sh", ["-c", "gzip -dc < \"$1\"", "sh", initrdGz.path])
            #expect(unpacked.status == 0 && Data(unpacked.stdout.utf8) == archive)
        }
        // Nothing else in the repository: no temporaries left.
        #expect(try files() == ["dists/bookworm/main/installer-amd64/current/images/netboot/xen/vmlinuz",
                               "dists/bookworm/main/installer-amd64/current/images/netboot/xen/initrd.gz"])
        // Without the nfsroot it says what is missing and writes nothing.
        let missing = try run("/bin/sh", [out.appendingPathComponent("xenserver/fill-repository.sh").path, dir.appendingPathComponent("other").path],
                              environment: ["PATH": "/usr/bin:/bin", "NFSROOT": dir.appendingPathComponent("none").path])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("none/boot/vmlinuz-6.1.0-28-amd64 is missing"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("other").path))
    }

    /// Every generated script is shellcheck-clean at every severity (style included) and parses with dash.
    @Test func generatedScriptsAreShellcheckClean() throws {
        let shellcheck = try requireTool("/usr/bin/shellcheck", package: "shellcheck")
        let dir = try scratchDirectory()
        let (out, _) = try Self.boot(dir)
        var scripts: [String] = []
        for sub in ["xenserver", "virtualbox"] {
            scripts += try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent(sub).path).sorted()
                .map { out.appendingPathComponent("\(sub)/\($0)").path }
        }
        #expect(scripts.count == 8)
        let check = try run(shellcheck, ["--severity=style", "--shell=sh"] + scripts)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        for script in scripts {
            let parse = try run("/bin/dash", ["-n", script])
            #expect(parse.status == 0, "\(script): \(parse.stderr)")
        }
    }

    static func vboxCalls(_ name: String, mac: String, state: URL) -> [[String]] {
        let disk = "\(state.path)/VirtualBox VMs/\(name)/\(name).vdi"
        return [["showvminfo", name],
                ["createvm", "--name", name, "--ostype", "Debian_64", "--register"],
                ["modifyvm", name, "--memory", "2048", "--cpus", "2", "--boot1", "net", "--boot2", "disk", "--boot3", "none", "--boot4", "none"],
                ["modifyvm", name, "--nic1", "hostonly", "--hostonlyadapter1", "vboxnet0", "--nictype1", "82540EM", "--macaddress1", mac,
                 "--cableconnected1", "on"],
                ["showvminfo", name, "--machinereadable"],
                ["createmedium", "disk", "--filename", disk, "--size", "20480", "--format", "VDI"],
                ["storagectl", name, "--name", "SATA", "--add", "sata", "--controller", "IntelAhci", "--portcount", "1"],
                ["storageattach", name, "--storagectl", "SATA", "--port", "0", "--device", "0", "--type", "hdd", "--medium", disk]]
    }

    /// Seed 004's VM per host: registered, the host's MAC as VirtualBox writes it, the
    /// configured host-only network, network boot first, a disk in the VM's own folder.
    @Test func vboxManageScriptsMakeOneVMPerHost() throws {
        let dir = try scratchDirectory()
        let (out, _) = try Self.boot(dir)
        let (bin, state) = try Self.stub(dir, "VBoxManage", vboxStub)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("virtualbox").path).sorted() == ["db01.sh", "web01.sh"])
        for (name, mac) in [("web01", "525400001001"), ("db01", "525400ABCD02")] {
            let (result, calls) = try Self.runScript(out.appendingPathComponent("virtualbox/\(name).sh"), bin: bin, state: state)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(calls == Self.vboxCalls(name, mac: mac, state: state))
        }
        let (again, calls) = try Self.runScript(out.appendingPathComponent("virtualbox/web01.sh"), bin: bin, state: state)
        #expect(again.status == 1)
        #expect(again.stderr == "web01.sh: a VM named web01 exists: remove it first (VBoxManage unregistervm web01 --delete)\n")
        #expect(calls == [["showvminfo", "web01"]])
    }

    /// A bad value of a hypervisor section is one located line, exit 2, and nothing written,
    /// also over an OUTDIR written before.
    @Test func badHypervisorValueWritesNothing() throws {
        let dir = try scratchDirectory()
        let (out, _) = try Self.boot(dir)
        let before = try bootTree(out)
        let text = try String(contentsOf: dir.appendingPathComponent("lab.yaml"), encoding: .utf8)
        try text.replacingOccurrences(of: "network_type: hostonly", with: "network_type: nat")
            .write(to: dir.appendingPathComponent("lab.yaml"), atomically: true, encoding: .utf8)
        let result = try faigen("boot", "--spec", "lab.yaml", "out", directory: dir)
        #expect(result.status == 2)
        #expect(result.stderr == "faigen: error: lab.yaml:21:30: unknown network_type 'nat' (give one of intnet, hostonly, bridged, natnetwork)\n")
        #expect(try bootTree(out) == before)
    }

    /// The libvirt domains are valid by libvirt's own schema, and boot the host's MAC from the network first.
    @Test func libvirtDomainsValidate() throws {
        let validate = try requireTool("/usr/bin/virt-xml-validate", package: "libvirt-clients")
        let xmllint = try requireTool("/usr/bin/xmllint", package: "libxml2-utils")
        let dir = try scratchDirectory()
        let (out, _) = try Self.boot(dir)
        for (name, mac) in [("web01", "52:54:00:00:10:01"), ("db01", "52:54:00:ab:cd:02")] {
            let xml = out.appendingPathComponent("libvirt/\(name).xml").path
            let result = try run(validate, [xml, "domain"])
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            let query = try run(xmllint, ["--xpath", "concat(/domain/name, ' ', /domain/os/boot[1]/@dev, ' ', /domain/os/boot[2]/@dev, ' ', "
                                          + "/domain/devices/interface/mac/@address, ' ', /domain/devices/interface/source/@network)", xml])
            #expect(query.stdout == "\(name) network hd \(mac) default\n", "\(query.stderr)")
        }
        // A domain that is not valid fails the same check (the validator is no stub).
        let broken = dir.appendingPathComponent("broken.xml")
        try String(contentsOf: out.appendingPathComponent("libvirt/web01.xml"), encoding: .utf8)
            .replacingOccurrences(of: "<boot dev='network'/>", with: "<boot dev='floppy-net'/>").write(to: broken, atomically: true, encoding: .utf8)
        #expect(try run(validate, [broken.path, "domain"]).status != 0)
    }
}
