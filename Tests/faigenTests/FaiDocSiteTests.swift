// FaiDocSiteTests: a five-host site rendered over the fai-doc example, then run by FAI's own fai-class, install_packages and fcopy.
import Foundation
import Testing

/// A realistic site over fai-doc's example: a XenServer guest class with grub-legacy, Ganeti
/// host name patterns for the FQDN, a 0640 file, and hosts that `class/50-host-classes` knows.
let fiveHostSpec = #"""
    site: example
    version: "2026.1"
    detect: []
    grub_legacy: {class: XENSERVER}
    ganeti:
      hostname_classes:
        - {pattern: '^(web|db)\d+\.example\.com$', classes: [EXAMPLE_COM]}
        - {pattern: '^web\d+(\.|$)', classes: [WEB]}
    classes:
      XENSERVER:
        packages: {install-norec: [grub-legacy], remove: [grub-pc]}
      WEB:
        packages: {install-norec: [nginx]}
        files:
          /etc/nginx/conf.d/status.conf:
            content: "server { listen 127.0.0.1:8080; }\n"
            mode: "0640"
            owner: root
            group: www-data
      DB:
        packages: {install-norec: [postgresql]}
      EXAMPLE_COM:
        packages: {install-norec: [unattended-upgrades]}
    hosts:
      - {name: faiserver, mac: "52:54:00:00:20:01", ip: 10.1.2.1, classes: [FAIBASE, DEBIAN, FAISERVER]}
      - {name: web01, mac: "52:54:00:00:20:02", ip: 10.1.2.2, classes: [FAIBASE, WEB]}
      - {name: db01, mac: "52:54:00:00:20:03", ip: 10.1.2.3, classes: [DEBIAN, DB]}
      - {name: xen01, mac: "52:54:00:00:20:04", ip: 10.1.2.4, classes: [DEMO, DB]}
      - {name: client07, mac: "52:54:00:00:20:05", ip: 10.1.2.5, classes: [FAIBASE, GERMAN]}

    """#

/// A copy of fai-doc's example config space, as fai-mk-configspace makes it.
func faiDocCopy(in directory: URL) throws -> URL {
    _ = try requireTool(faiDocExample + "/class/50-host-classes", package: "fai-doc")
    let base = directory.appendingPathComponent("base")
    let copy = try run("/bin/cp", ["-a", faiDocExample, base.path])
    #expect(copy.status == 0, "\(copy.stderr)")
    return base
}

/// One host as an FAI install runs it, in its own mount and UTS namespace (so the example's
/// setup hook may set the host name and its 20-hwdetect.sh may write /proc/sys/kernel/printk
/// without touching this machine): the kernel command line holds `hostname=FQDN`, FAI's
/// subroutines are sourced with `set -a` as /usr/sbin/fai does, the setup and defclass hooks
/// are sourced as call_hook does, and `fai-class -T` defines the classes.
struct FaiInstallRun {
    var config: URL
    var scratch: URL

    func faiClass(fqdn: String, kernelLog: URL) throws -> (classes: [String], result: RunResult) {
        let faiClass = try requireTool("/usr/bin/fai-class", package: "fai-client")
        _ = try requireTool("/usr/bin/unshare", package: "util-linux")
        _ = try requireTool("/usr/bin/pcre2grep", package: "pcre2-utils")
        let run = scratch.appendingPathComponent("run-\(fqdn)")
        let logdir = run.appendingPathComponent("log")
        let bin = run.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: logdir, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try "#!/bin/sh\nexec cat '\(kernelLog.path)'\n".write(to: bin.appendingPathComponent("dmesg"), atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin.appendingPathComponent("dmesg").path)
        let cmdline = run.appendingPathComponent("cmdline")
        try "BOOT_IMAGE=vmlinuz ip=dhcp FAI_ACTION=install hostname=\(fqdn) ADDCLASSES=\n".write(to: cmdline, atomically: true, encoding: .utf8)
        let printk = run.appendingPathComponent("printk")
        try "4 4 1 7\n".write(to: printk, atomically: true, encoding: .utf8)
        let classFile = logdir.appendingPathComponent("FAI_CLASSES")
        let script = """
            mount --bind "$RUN/cmdline" /proc/cmdline || exit 97
            mount --bind "$RUN/printk" /proc/sys/kernel/printk || exit 97
            set -a
            . /usr/lib/fai/subroutines
            set +a
            HOSTNAME=\(fqdn)
            export HOSTNAME
            classes="DEFAULT LINUX $HOSTNAME LAST"
            for hook in "$FAI/hooks/setup.DEFAULT.sh" "$FAI/hooks/defclass.DEFAULT.sh"; do
                [ -f "$hook" ] && . "$hook"
            done
            exec \(faiClass) -T "$FAI/class" "$LOGDIR/FAI_CLASSES"
            """
        let environment = ["PATH": bin.path + ":/usr/lib/fai:/usr/sbin:/usr/bin:/sbin:/bin", "FAI": config.path, "LOGDIR": logdir.path,
                           "RUN": run.path, "FAI_ACTION": "install", "do_init_tasks": "1", "ADDCLASSES": ""]
        let result = try runTool("/usr/bin/unshare", ["--mount", "--uts", "--propagation", "private", "--fork", "/bin/bash", "-c", script],
                                 environment: environment, directory: run)
        let text = (try? String(contentsOf: classFile, encoding: .utf8)) ?? ""
        return (text.split(separator: "\n").map(String.init), result)
    }

    /// install_packages as task instsoft runs it, on a FAI_ROOT without an apt cache so no
    /// name is dropped as unknown: `-l` (which prints only the last command's list), and `-n -v`,
    /// which prints every apt-get it would run; the packages are the words of the install runs.
    func packages(classes: [String]) throws -> (packages: [String], list: RunResult, dryRun: RunResult) {
        let tool = try requireTool("/usr/sbin/install_packages", package: "fai-client")
        let root = scratch.appendingPathComponent("root")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let environment = ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "FAI": config.path, "FAI_ROOT": root.path,
                           "classes": classes.joined(separator: "\n")]
        let list = try runTool("/usr/bin/perl", [tool, "-l"], environment: environment)
        let dryRun = try runTool("/usr/bin/perl", [tool, "-n", "-v"], environment: environment)
        var packages: [String] = []
        for line in dryRun.stderr.split(separator: "\n") where line.contains("executing") && line.contains("apt-get") {
            let words = line.split(separator: " ").map(String.init)
            guard let install = words.lastIndex(where: { $0 == "install" || $0 == "--no-install-recommends" }) else { continue }
            packages += words[(install + 1)...]
        }
        return (packages, list, dryRun)
    }

    /// `fcopy -n -r` of every file the classes select, from the config space into an empty target.
    func fcopyDryRun(classes: [String]) throws -> RunResult {
        let fcopy = try requireTool("/usr/sbin/fcopy", package: "fai-client")
        let target = scratch.appendingPathComponent("target")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        let logdir = scratch.appendingPathComponent("fcopy-log")
        try FileManager.default.createDirectory(at: logdir, withIntermediateDirectories: true)
        return try runTool(fcopy, ["-n", "-i", "-r", "-s", config.appendingPathComponent("files").path, "-t", target.path, "/"],
                                   environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "classes": classes.joined(separator: "\n"),
                                                 "LOGDIR": logdir.path, "FAI": config.path])
    }

    /// Customization scripts of the classes that run grub-install.
    func grubInstallScripts(classes: [String]) throws -> [String] {
        var found: [String] = []
        for name in classes {
            let directory = config.appendingPathComponent("scripts/\(name)")
            for script in (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [] {
                let text = try String(contentsOf: directory.appendingPathComponent(script), encoding: .utf8)
                if text.contains("grub-install") { found.append("scripts/\(name)/\(script)") }
            }
        }
        return found
    }
}

/// `run` under another name, for the methods of FaiInstallRun.
func runTool(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: URL? = nil) throws -> RunResult {
    try run(executable, arguments, environment: environment, directory: directory)
}

/// Applies the one-line changes render printed (`PATH:LINE: ... (change the line to `NEW`)`)
/// to the base, as the administrator would.
func applyLineFixes(_ stderr: String, base: URL) throws -> Int {
    var applied = 0
    for line in stderr.split(separator: "\n") where line.contains("change the line to `") {
        let location = line.components(separatedBy: "faigen: warning: ").last ?? ""
        let parts = location.split(separator: ":", maxSplits: 2)
        guard parts.count == 3, let number = Int(parts[1]) else { continue }
        let fixed = String(line.components(separatedBy: "change the line to `")[1].split(separator: "`")[0])
        let url = URL(fileURLWithPath: String(parts[0]))
        var lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
        lines[number - 1] = fixed
        try lines.joined(separator: "\n").write(to: url, atomically: false, encoding: .utf8)
        applied += 1
    }
    return applied
}

@Suite struct FiveHostSiteOverTheFaiDocExample {
    /// Render, take the one-line fixes render gives for the hand-written class script, render
    /// again, then run each host as FAI would: fai-class -T, install_packages -l, fcopy -n.
    @Test func everyHostInstallsCleanlyUnderFAIsOwnTools() throws {
        let dir = try scratchDirectory()
        let base = try faiDocCopy(in: dir)
        let spec = dir.appendingPathComponent("faigen.yaml")
        try fiveHostSpec.write(to: spec, atomically: true, encoding: .utf8)
        let config = dir.appendingPathComponent("config")
        let first = try faigen("render", "--spec", spec.path, "--base", base.path, config.path)
        #expect(first.status == 0, "\(first.stderr)")
        // The hand-written class/60-misc prints GRUB_PC and GRUB_EFI for XenServer guests too.
        #expect(first.stderr.contains("\(base.path)/class/60-misc:8:") && first.stderr.contains("[two-boot-loaders]"), "\(first.stderr)")
        // faigen build of the same spec and base gives the same warning and notes, on stderr,
        // and builds: its stdout stays the one FAI_CONFIG_SRC line.
        let build = try faigen("build", "--spec", spec.path, "--base", base.path, "--output", dir.appendingPathComponent("builds").path)
        #expect(build.status == 0, "\(build.stderr)")
        #expect(build.stderr.contains("faigen: warning: \(base.path)/class/60-misc:8:") && build.stderr.contains("[two-boot-loaders]"), "\(build.stderr)")
        #expect(build.stderr.contains("faigen: class/web01: FAIBASE left out, class/50-host-classes:"), "\(build.stderr)")
        #expect(build.stdout.split(separator: "\n").count == 1 && build.stdout.hasSuffix("/faiconfig.tar.gz\n"), "\(build.stdout)")
        // As rendered, before the fix: the XenServer guest gets GRUB_PC, grub-pc beside grub-legacy.
        let unfixed = FaiInstallRun(config: config, scratch: dir.appendingPathComponent("unfixed"))
        let guest = try unfixed.faiClass(fqdn: "xen01.example.com", kernelLog: kernelLogs.appendingPathComponent("xen-pv.log"))
        #expect(guest.classes.contains("XENSERVER") && guest.classes.contains("GRUB_PC"), "\(guest.classes)")
        let unfixedPackages = try unfixed.packages(classes: guest.classes).packages
        #expect(unfixedPackages.contains("grub-pc") && unfixedPackages.contains("grub-legacy"), "\(unfixedPackages)")
        #expect(try applyLineFixes(first.stderr, base: base) == 2, "\(first.stderr)")
        #expect(first.stderr.contains("(change the line to `    ifclass XENSERVER || echo GRUB_PC`)"), "\(first.stderr)")
        let second = try faigen("render", "--spec", spec.path, "--base", base.path, config.path)
        #expect(second.status == 0 && !second.stderr.contains("warning"), "\(second.stderr)")
        // Classes fai-doc's 50-host-classes or the host name rules give were left out of class/HOSTNAME.
        #expect(second.stdout.contains("class/web01: FAIBASE left out, class/50-host-classes:"), "\(second.stdout)")

        let fai = FaiInstallRun(config: config, scratch: dir)
        let hosts = [("faiserver.example.com", "bare-metal.log"), ("web01.example.com", "kvm.log"),
                     ("db01.example.com", "kvm.log"), ("xen01.example.com", "xen-pv.log"), ("client07.example.com", "bare-metal.log")]
        for (fqdn, log) in hosts {
            let (classes, result) = try fai.faiClass(fqdn: fqdn, kernelLog: kernelLogs.appendingPathComponent(log))
            #expect(result.status == 0, "\(fqdn): \(result.stdout)\(result.stderr)")
            #expect(!result.stderr.contains("defined multiple times"), "\(fqdn): \(result.stderr)")
            #expect(Set(classes).count == classes.count, "\(fqdn): \(classes)")
            let short = String(fqdn.prefix { $0 != "." })
            #expect(classes.last == "LAST" && classes.dropLast().last == short, "\(fqdn): \(classes)")
            let listed = try fai.packages(classes: classes)
            #expect(listed.list.status == 0 && listed.dryRun.status == 0, "\(fqdn): \(listed.list.stderr)\(listed.dryRun.stderr)")
            let packages = listed.packages
            #expect(!(packages.contains("grub-pc") && packages.contains("grub-legacy")), "\(fqdn): \(classes) \(packages)")
            let fcopy = try fai.fcopyDryRun(classes: classes)
            #expect(fcopy.status == 0, "\(fqdn): \(fcopy.stdout)\(fcopy.stderr)")
            switch short {
            case "xen01":
                #expect(classes.contains("XENSERVER") && !classes.contains("GRUB_PC"), "\(classes)")
                #expect(packages.contains("grub-legacy"))
                #expect(try fai.grubInstallScripts(classes: classes).isEmpty, "\(classes)")
                #expect(classes.contains("DB") && classes.contains("DEMO"))
            case "web01":
                // The FQDN pattern fires although the setup hook cut HOSTNAME to web01.
                #expect(classes.contains("WEB") && classes.contains("EXAMPLE_COM"), "\(classes)")
                #expect(classes.contains("GRUB_PC") && packages.contains("grub-pc"), "\(classes)")
                #expect(fcopy.stdout.contains("status.conf") || fcopy.stderr.contains("status.conf"), "\(fcopy.stdout)\(fcopy.stderr)")
            case "db01":
                #expect(classes.contains("DB") && classes.contains("EXAMPLE_COM"), "\(classes)")
            case "faiserver":
                #expect(classes.contains("FAISERVER") && !classes.contains("EXAMPLE_COM"), "\(classes)")
            default:
                #expect(classes.contains("GERMAN") && classes.contains("DEMO"), "\(classes)")
            }
        }
        let copyScript = try String(contentsOf: config.appendingPathComponent("scripts/WEB/90-faigen-files"), encoding: .utf8)
        #expect(copyScript.contains("fcopy -m 'root,www-data,0640' -v -- '/etc/nginx/conf.d/status.conf'"), "\(copyScript)")
    }

    /// Without faigen's dedupe, the spec's class/web01 repeats what 50-host-classes prints:
    /// lint says so, at the line, for a hand-written host file.
    @Test func lintReportsAHostFileThatRepeatsAClass() throws {
        let dir = try scratchDirectory()
        let base = try faiDocCopy(in: dir)
        try "# web server\nFAIBASE WEB\n".write(to: base.appendingPathComponent("class/web01"), atomically: true, encoding: .utf8)
        let lint = try faigen("lint", base.path)
        #expect(lint.stdout.contains("class/web01:2: warning: FAIBASE is given to web01 already by class/50-host-classes:"), "\(lint.stdout)")
        #expect(!lint.stdout.contains("class/web01:2: warning: WEB"))
    }
}

@Suite struct GanetiFQDNUnderTheSetupHook {
    /// fai-doc's setup hook cuts HOSTNAME to web01 before fai-class runs; the class script
    /// still sees the FQDN Ganeti passed on the kernel command line.
    @Test func anFQDNPatternFiresAfterTheHostnameWasShortened() throws {
        let dir = try scratchDirectory()
        let base = try faiDocCopy(in: dir)
        let spec = dir.appendingPathComponent("site.yaml")
        try """
            site: ganeti
            version: 1
            ganeti:
              hostname_classes:
                - {pattern: '^web\\d+\\.example\\.com$', classes: [WEB]}
                - {pattern: '^web\\d+$', classes: [SHORT]}
            """.write(to: spec, atomically: true, encoding: .utf8)
        let config = dir.appendingPathComponent("config")
        let render = try faigen("render", "--spec", spec.path, "--base", base.path, config.path)
        #expect(render.status == 0, "\(render.stderr)")
        #expect(render.stdout.contains("hooks/setup.DEFAULT.sh:4: cuts HOSTNAME at the first dot") && render.stdout.contains("only the short name in softupdate"), "\(render.stdout)")
        let fai = FaiInstallRun(config: config, scratch: dir)
        let (classes, result) = try fai.faiClass(fqdn: "web01.example.com", kernelLog: kernelLogs.appendingPathComponent("kvm.log"))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(classes.contains("web01") && !classes.contains("web01.example.com"), "\(classes)")
        #expect(classes.contains("WEB") && classes.contains("SHORT"), "\(classes)")
    }
}

@Suite struct DetectedClassListedForAHost {
    /// A host that lists XENSERVER gets it twice on a Xen guest, where the kernel-log script
    /// defines it too: render says so, and fai-class -T shows it is true.
    @Test func renderNamesTheHostAndFaiClassAgrees() throws {
        let dir = try scratchDirectory()
        let spec = dir.appendingPathComponent("site.yaml")
        try "site: xen\nversion: 1\ndetect: []\nhosts: [{name: xen01, classes: [XENSERVER]}]\n".write(to: spec, atomically: true, encoding: .utf8)
        let render = try faigen("render", "--spec", spec.path, dir.appendingPathComponent("config").path)
        #expect(render.status == 0, "\(render.stderr)")
        #expect(render.stdout.contains("class/xen01: XENSERVER also comes from class/60-detect-XenServer"), "\(render.stdout)")
        let space = RenderedSpace(existing: dir)
        let (_, result) = try space.faiClass(hostname: "xen01", log: kernelLogs.appendingPathComponent("xen-pv.log"))
        #expect(result.status == 2 && result.stderr.contains("defined multiple times"), "\(result.stderr)")
    }
}
