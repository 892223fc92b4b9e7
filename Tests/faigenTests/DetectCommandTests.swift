// DetectCommandTests: `faigen detect` and `faigen facts save` end to end, on fixtures and on this machine.
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct DetectCommandTests {
    static let fixtures = repositoryRoot.appendingPathComponent("Tests/Fixtures/detect")

    static func root(_ name: String) -> String { fixtures.appendingPathComponent("\(name)/root").path }

    static func lines(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map(String.init)
    }

    @Test func classesOneALine() throws {
        let result = try faigen("detect", "--root", Self.root("docker-on-kvm"))
        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(result.stdout == "KVM\nDOCKER\nVIRTUAL\nCONTAINER\n")
    }

    /// 7.10: where pcre2grep would give up on the log (here a line longer than its buffer, exit
    /// 2, and the class script exits 1), detect prints the classes it found, names the rules it
    /// could not decide, and exits 1; the old main took the log for one without a match.
    @Test func undecidedKernelLogRulesExitOne() throws {
        let directory = try scratchDirectory()
        let root = directory.appendingPathComponent("root")
        let log = root.appendingPathComponent("var/log/dmesg")
        try FileManager.default.createDirectory(at: log.deletingLastPathComponent(), withIntermediateDirectories: true)
        var text = Data(String(repeating: "x", count: 4 << 20).utf8)
        text.append(Data("\n[    0.000000] Hypervisor detected: KVM\n".utf8))
        try text.write(to: log)
        let result = try faigen("detect", "--root", root.path, "--format", "json")
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("faigen: warning: rule kernel-kvm on kernel-log not decided: line 1 is 4194304 bytes long, too long for pcre2grep's buffer"),
                "\(result.stderr)")
        #expect(result.stdout.contains("\"undecided\"") && result.stdout.contains("\"rule\" : \"kernel-kvm\""))
        // pcre2grep agrees: exit 2 on the same log.
        let pcre2grep = try run(try requireTool("/usr/bin/pcre2grep", package: "pcre2-utils"), ["-q", "Hypervisor detected: KVM", log.path])
        #expect(pcre2grep.status == 2)
    }

    @Test func shellFormat() throws {
        let result = try faigen("detect", "--root", Self.root("aws-xen"), "--format", "shell")
        #expect(result.status == 0)
        #expect(result.stdout == "classes=\"XEN XEN_HVM AWS XENSERVER VIRTUAL\"\n")
    }

    @Test func jsonFormatShowsEvidenceAndSkippedSources() throws {
        let result = try faigen("detect", "--root", Self.root("xen-hvm-domu"), "--format", "json")
        #expect(result.status == 0)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let classes = try #require(document["classes"] as? [String])
        #expect(classes == ["XEN", "XEN_HVM", "XENSERVER", "VIRTUAL"])
        let evidence = try #require(document["evidence"] as? [String: [[String: Any]]])
        #expect(Set(evidence.keys) == Set(classes))
        let xenServer = try #require(evidence["XENSERVER"]?.first)
        #expect(xenServer["rule"] as? String == "xenserver")
        #expect(xenServer["source"] as? String == "kernel-log")
        #expect((xenServer["detail"] as? String)?.contains("ACPI: XSDT") == true)
        #expect((xenServer["origin"] as? String)?.hasSuffix("/var/log/dmesg") == true)
        let skipped = try #require(document["skipped"] as? [[String: String]])
        #expect(skipped.contains { $0["source"] == "lparcfg" && $0["reason"] == "absent" })
    }

    @Test func rulesFileAddsAClass() throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let rules = directory.appendingPathComponent("rules.yaml")
        try """
            - id: our-rack
              source: dmi:product_name
              pattern: '^PowerEdge R6[0-9]0$'
              classes: [RACK_DELL]
              reason: the Dell rack servers of our lab
              examples:
                fire: ["PowerEdge R650\\n"]
                quiet: ["PowerEdge T30\\n", null]
            """.write(to: rules, atomically: true, encoding: .utf8)
        let result = try faigen("detect", "--root", Self.root("bare-metal-mentions-xen"), "--rules", rules.path)
        #expect(result.status == 0)
        #expect(result.stdout == "RACK_DELL\nPHYSICAL\n")
    }

    @Test(arguments: [
        ("- id: bad\n  source: kernel-log\n  pattern: '(ACPI:.*Xen'\n  classes: [XEN]\n  reason: r\n  examples: {fire: [x], quiet: [y]}\n",
         ":3:24: invalid PCRE2 pattern: missing closing parenthesis at offset 11"),
        ("- id: bad\n  source: kernel-log\n  pattern: 'Xen[HVM'\n  classes: [XEN]\n  reason: r\n  examples: {fire: [x], quiet: [y]}\n",
         ":3:20: invalid PCRE2 pattern: missing terminating ] for character class at offset 7"),
        ("- id: bad\n  source: kernel-logs\n  pattern: Xen\n  classes: [XEN]\n  reason: r\n  examples: {fire: [Xen], quiet: [y]}\n",
         ":2:11: unknown evidence source `kernel-logs`"),
        ("- id: bad\n  source: [kernel-log\n  classes: [XEN]\n", ":3:"),
    ])
    func badRulesFileFailsWithItsPlace(_ yaml: String, _ expected: String) throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let rules = directory.appendingPathComponent("bad.yaml")
        try yaml.write(to: rules, atomically: true, encoding: .utf8)
        let result = try faigen("detect", "--root", Self.root("kvm"), "--rules", rules.path)
        #expect(result.status == 2)
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix("faigen: error: \(rules.path)\(expected)"), "stderr: \(result.stderr)")
        #expect(Self.lines(result.stderr).count == 1)
    }

    @Test func rulesFileThroughASymlinkIsReadAndAFifoIsRefused() throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
            - id: lab
              source: dmi:product_name
              pattern: '^PowerEdge'
              classes: [LAB]
              reason: our lab
              examples:
                fire: ["PowerEdge R650\\n"]
                quiet: ["ProLiant\\n", null]
            """
            .write(to: directory.appendingPathComponent("rules.yaml"), atomically: true, encoding: .utf8)
        let link = directory.appendingPathComponent("link.yaml")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "rules.yaml")
        let linked = try faigen("detect", "--root", Self.root("bare-metal-mentions-xen"), "--rules", link.path)
        #expect(linked.status == 0, "\(linked.stderr)")
        #expect(linked.stdout == "LAB\nPHYSICAL\n")
        // A FIFO would block a reader that opened it: it is refused before it is opened.
        let fifo = directory.appendingPathComponent("fifo.yaml").path
        #expect(mkfifo(fifo, 0o644) == 0)
        for path in [fifo, directory.path] {
            let result = try faigen("detect", "--root", Self.root("kvm"), "--rules", path)
            #expect(result.status == 2)
            #expect(result.stderr == "faigen: error: \(path):1:1: not a regular file (give the path of a rules file (YAML, see docs/detect.md))\n")
        }
    }

    @Test func plainArgumentsAndArgumentParserAgree() throws {
        // A repeated option is left to ArgumentParser (last one wins); the plain form takes the fast path.
        for name in ["kvm", "xen-dom0", "docker-on-kvm"] {
            for format in ["classes", "json", "shell"] {
                let fast = try faigen("detect", "--root", Self.root(name), "--format=\(format)")
                let parsed = try faigen("detect", "--format", "classes", "--root", Self.root(name), "--format", format)
                #expect(fast.status == 0 && parsed.status == 0)
                #expect(fast.stdout == parsed.stdout, "\(name) --format \(format)")
            }
        }
        let help = try faigen("detect", "--help")
        #expect(help.status == 0)
        #expect(help.stdout.contains("--print-rules"))
        let wrong = try faigen("detect", "--format", "xml")
        #expect(wrong.status == 64)
        #expect(wrong.stderr.contains("'xml' is invalid"))
    }

    @Test func badRootIsAnInputError() throws {
        let result = try faigen("detect", "--root", "/nonexistent/snapshot")
        #expect(result.status == 2)
        #expect(result.stderr == "faigen: error: /nonexistent/snapshot: --root is not a directory (give a snapshot made by `faigen facts save DIR`)\n")
    }

    /// The classes faigen uses for the names systemd-detect-virt and virt-what print.
    static let peerNames: [String: String] = [
        "kvm": "KVM", "qemu": "QEMU", "xen": "XEN", "xen-hvm": "XEN_HVM", "xen-dom0": "XEN_DOM0", "vmware": "VMWARE",
        "microsoft": "HYPERV", "hyperv": "HYPERV", "oracle": "VIRTUALBOX", "virtualbox": "VIRTUALBOX",
        "parallels": "PARALLELS", "bhyve": "BHYVE", "zvm": "ZVM", "ibm_systemz-zvm": "ZVM", "powervm": "POWERVM_LPAR",
        "acrn": "ACRN", "lkvm": "LKVM", "ldoms": "LDOMS", "nutanix_ahv": "NUTANIX_AHV", "rhev": "RHEV",
        "amazon": "AWS", "aws": "AWS", "google_cloud": "GCE", "alibaba_cloud": "ALIBABA_CLOUD",
        "docker": "DOCKER", "podman": "PODMAN", "lxc": "LXC", "systemd-nspawn": "SYSTEMD_NSPAWN", "wsl": "WSL",
        "openvz": "OPENVZ", "linux_vserver": "LINUX_VSERVER", "linux-vserver": "LINUX_VSERVER",
    ]

    @Test func namesThisMachineAsSystemdDetectVirtAndVirtWhatDo() throws {
        let systemd = try requireTool("/usr/bin/systemd-detect-virt", package: "systemd")
        let virtWhat = try requireTool("/usr/sbin/virt-what", package: "virt-what")
        let ours = Set(Self.lines(try faigen("detect").stdout))
        #expect(!ours.isEmpty)
        var peers: [String] = []
        for option in ["--vm", "--container"] {
            let name = Self.lines(try run(systemd, [option]).stdout).first ?? "none"
            if name != "none" { peers.append(name) }
        }
        if peers.isEmpty {
            #expect(ours.contains("PHYSICAL"), "systemd-detect-virt says none; faigen says \(ours)")
        }
        let virtWhatNames = Self.lines(try run(virtWhat, []).stdout)
        peers += virtWhatNames
        var named = 0
        for name in peers {
            guard let mapped = Self.peerNames[name] else { continue }
            named += 1
            #expect(ours.contains(mapped), "peer says \(name); faigen says \(ours.sorted())")
        }
        #expect(named > 0 || ours.contains("PHYSICAL"))
    }

    @Test func factsSaveReplaysAsThisMachine() throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let snapshot = directory.appendingPathComponent("snapshot")
        let saved = try faigen("facts", "save", snapshot.path)
        #expect(saved.status == 0, "\(saved.stderr)")
        #expect(saved.stdout.hasPrefix("saved "))
        #expect(FileManager.default.fileExists(atPath: snapshot.appendingPathComponent("proc/cpuinfo").path))
        #expect(FileManager.default.fileExists(atPath: snapshot.appendingPathComponent(".faigen/cpuid-vendor").path))
        let arch = try String(contentsOf: snapshot.appendingPathComponent(".faigen/arch"), encoding: .utf8)
        #expect(arch == (try run("/usr/bin/uname", ["-m"])).stdout, "the architecture as uname -m prints it")
        let live = try faigen("detect")
        let replay = try faigen("detect", "--root", snapshot.path)
        #expect(replay.status == 0)
        #expect(replay.stdout == live.stdout)
        // A second save into the now full directory changes nothing and fails.
        let again = try faigen("facts", "save", snapshot.path)
        #expect(again.status == 2)
        #expect(again.stderr.contains("exists and is not empty"))
        #expect(try faigen("detect", "--root", snapshot.path).stdout == live.stdout)
    }
}
