// FAIToolTests: FAI's own tools (fai-class, fcopy) run on what faigen renders, as on an install client.
import FaiSpace
import Foundation
import Testing

/// A rendered config space in a scratch directory, and the ways FAI runs it.
struct RenderedSpace {
    var root: URL
    var config: URL { root.appendingPathComponent("config") }

    /// Renders the parts the tests exercise: kernel-log detection, Ganeti host name
    /// classes, the defclass hook, the XenServer menu.lst and its postinst.
    init(_ name: String = #function, hostnameRules: [HostnameClassRule] = RenderedSpace.hostnameRules) throws {
        root = try scratchDirectory(name)
        let generators = Generators(specName: "tests")
        var files = [
            try generators.detectScript(rules: []),
            try generators.hostnameScript(rules: hostnameRules),
            try generators.defclassHook(),
        ]
        files += try generators.grubLegacy(GrubLegacy())
        try writeGeneratedFiles(files, into: config)
    }

    static let hostnameRules = [
        HostnameClassRule(pattern: #"^web\d+\."#, classes: ["WEB", "NGINX"]),
        HostnameClassRule(pattern: #"^(web|db)\d+\.example\.com$"#, classes: ["EXAMPLE"]),
        HostnameClassRule(pattern: #"^db\d+"#, classes: ["DB"]),
    ]

    /// A space already rendered under `root/config` (by `faigen render`).
    init(existing root: URL) {
        self.root = root
    }

    /// A `dmesg` that prints `log`, first in PATH.
    func fakeDmesg(printing log: URL) throws -> URL {
        let bin = root.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let script = bin.appendingPathComponent("dmesg")
        try "#!/bin/sh\nexec cat '\(log.path)'\n".write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        return bin
    }

    /// Runs `fai-class -T` over class/ as FAI's task defclass does, after sourcing the defclass
    /// hook when `hook` is set (FAI's call_hook sources `hooks/defclass.DEFAULT.sh` first).
    func faiClass(hostname: String, addclasses: String? = nil, log: URL? = nil, hook: Bool = false,
                  environment extra: [String: String] = [:]) throws -> (classes: [String], result: RunResult) {
        let faiClass = try requireTool("/usr/bin/fai-class", package: "fai-client")
        _ = try requireTool("/usr/bin/pcre2grep", package: "pcre2-utils")
        let logdir = root.appendingPathComponent("log")
        try FileManager.default.createDirectory(at: logdir, withIntermediateDirectories: true)
        let classFile = root.appendingPathComponent("FAI_CLASSES")
        try? FileManager.default.removeItem(at: classFile)
        var path = "/usr/sbin:/usr/bin:/sbin:/bin"
        if let log { path = try fakeDmesg(printing: log).path + ":" + path }
        var environment = ["PATH": path, "LOGDIR": logdir.path, "HOSTNAME": hostname, "FAI": config.path]
        if let addclasses { environment["ADDCLASSES"] = addclasses }
        environment.merge(extra) { _, new in new }
        let body = (hook ? ". \"$FAI/hooks/defclass.DEFAULT.sh\" && " : "")
            + "exec \(faiClass) -T \"$FAI/class\" \"$1\""
        let result = try run("/bin/bash", ["-c", body, "fai-class", classFile.path], environment: environment, directory: root)
        let text = (try? String(contentsOf: classFile, encoding: .utf8)) ?? ""
        return (text.split(separator: "\n").map(String.init), result)
    }
}

extension RenderedSpace {
    /// Runs class/60-detect-XenServer as on the machine a detect fixture describes: in a mount
    /// namespace whose /proc and /sys are the fixture's files, with `dmesg` printing its kernel log.
    func detectScript(onFixture name: String, environment extra: [String: String] = [:]) throws -> RunResult {
        let unshare = try requireTool("/usr/bin/unshare", package: "util-linux")
        _ = try requireTool("/usr/bin/pcre2grep", package: "pcre2-utils")
        let fixture = detectFixtures.appendingPathComponent("\(name)/root")
        let bin = try fakeDmesg(printing: fixture.appendingPathComponent("var/log/dmesg"))
        let body = """
            mount -t tmpfs faigen-proc /proc && mount -t tmpfs faigen-sys /sys || exit 97
            for dir in proc sys; do
                if [ -d "$1/$dir" ]; then cp -R "$1/$dir/." "/$dir/" || exit 98; fi
            done
            exec "$2"
            """
        var environment = ["PATH": bin.path + ":/usr/sbin:/usr/bin:/sbin:/bin"]
        environment.merge(extra) { _, new in new }
        let script = config.appendingPathComponent("class/60-detect-XenServer")
        return try run(unshare, ["--mount", "--propagation", "private", "/bin/sh", "-c", body, "sh", fixture.path, script.path],
                       environment: environment)
    }
}

let detectFixtures = repositoryRoot.appendingPathComponent("Tests/Fixtures/detect")

/// The detect fixtures that carry a kernel log (`root/var/log/dmesg`).
func detectFixturesWithKernelLog() -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: detectFixtures.path)) ?? []
    return names.filter { FileManager.default.fileExists(atPath: detectFixtures.appendingPathComponent("\($0)/root/var/log/dmesg").path) }
        .sorted()
}

/// Writes generated files under `directory` with their modes, as a test fixture.
func writeGeneratedFiles(_ files: [GeneratedFile], into directory: URL) throws {
    for file in files {
        let url = directory.appendingPathComponent(file.path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(file.contents).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: Int(file.mode)], ofItemAtPath: url.path)
    }
}

let kernelLogs = repositoryRoot.appendingPathComponent("Tests/Fixtures/kernel-logs")

@Suite struct DetectClassScriptUnderFaiClass {
    @Test(arguments: [("xen-pv.log", true), ("xen-hvm.log", true), ("kvm.log", false), ("bare-metal.log", false)])
    func xenServerExactlyForXenLogs(log: String, isXenServer: Bool) throws {
        let space = try RenderedSpace("detect\(log)")
        let (classes, result) = try space.faiClass(hostname: "client01", log: kernelLogs.appendingPathComponent(log))
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(classes.contains("XENSERVER") == isXenServer, "\(classes)")
        #expect(classes.first == "DEFAULT" && classes.last == "LAST")
        let status = try String(contentsOf: space.root.appendingPathComponent("log/status.log"), encoding: .utf8)
        #expect(status.contains("60-detect-XenServer") && !status.contains("FAILED"), "\(status)")
    }

    @Test func failingDmesgIsReportedByFaiClass() throws {
        let space = try RenderedSpace()
        let (classes, _) = try space.faiClass(hostname: "client01", log: space.root.appendingPathComponent("no-such-log"))
        #expect(!classes.contains("XENSERVER"))
        let status = try String(contentsOf: space.root.appendingPathComponent("log/status.log"), encoding: .utf8)
        #expect(status.contains("60-detect-XenServer") && status.contains("FAILED"), "\(status)")
    }
}

/// `fai dirinstall` and fai-diskimage run the class scripts on the build host (issue 8 item 6).
@Suite struct DetectClassScriptWhenBuildingAnImage {
    /// fai-diskimage runs `fai ... install DIR` on a host that was not booted as the client.
    static let building: [[String: String]] = [["FAI_ACTION": "dirinstall"], ["FAI_ACTION": "install", "do_init_tasks": "0"]]

    @Test(arguments: building)
    func theBuildHostsKernelLogClassesNothing(environment: [String: String]) throws {
        let space = try RenderedSpace("image\(environment.values.sorted().joined())")
        let xenLog = kernelLogs.appendingPathComponent("xen-pv.log")
        let (classes, result) = try space.faiClass(hostname: "image01", log: xenLog, environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(classes == ["DEFAULT", "image01", "LAST"], "\(classes)")
        #expect((result.stdout + result.stderr).contains("the kernel log is the build host's"), "\(result.stdout)\(result.stderr)")
        // The way to give the image the class: ADDCLASSES (or fai -c / fai-diskimage -c).
        let forced = try space.faiClass(hostname: "image01", addclasses: "XENSERVER", log: xenLog, environment: environment).classes
        #expect(forced == ["DEFAULT", "XENSERVER", "image01", "LAST"], "\(forced)")
    }

    @Test(arguments: [["FAI_ACTION": "install", "do_init_tasks": "1"], ["FAI_ACTION": "softupdate", "do_init_tasks": "0"], [:]])
    func aClientReadsItsOwnKernelLog(environment: [String: String]) throws {
        let space = try RenderedSpace("client\(environment.values.sorted().joined())")
        let (classes, result) = try space.faiClass(hostname: "client01", log: kernelLogs.appendingPathComponent("xen-pv.log"),
                                                   environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(classes == ["DEFAULT", "XENSERVER", "client01", "LAST"], "\(classes)")
    }
}

/// A Xen dom0 prints "Booting paravirtualized kernel on Xen" like a PV guest (issue 8 item 7).
@Suite struct DetectClassScriptOnXenDom0 {
    @Test(arguments: [("xen-dom0", false), ("xen-dom0-early", false), ("xen-pv-domu", true), ("xen-hvm-domu", true)])
    func xenServerOnlyForGuests(fixture: String, isXenServer: Bool) throws {
        let space = try RenderedSpace("dom0\(fixture)")
        let result = try space.detectScript(onFixture: fixture)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == (isXenServer ? "XENSERVER\n" : ""), "\(fixture): \(result.stdout)")
    }
}

@Suite struct HostnameClassesUnderFaiClass {
    @Test func webHostGetsTheSpecClassesOnce() throws {
        let space = try RenderedSpace()
        let (classes, result) = try space.faiClass(hostname: "web01.example.com", log: kernelLogs.appendingPathComponent("kvm.log"))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(classes == ["DEFAULT", "WEB", "NGINX", "EXAMPLE", "web01.example.com", "LAST"])
    }

    @Test func otherHostsGetTheirOwnClasses() throws {
        let space = try RenderedSpace()
        #expect(try space.faiClass(hostname: "db7").classes == ["DEFAULT", "DB", "db7", "LAST"])
        #expect(try space.faiClass(hostname: "mail1.example.com").classes == ["DEFAULT", "mail1.example.com", "LAST"])
    }

    /// Host names and ADDCLASSES come from the kernel command line: none of this may run,
    /// and none may become a class, when FAI sources the hook and then runs fai-class.
    @Test func hostileNamesExecuteNothingAndAddNoClass() throws {
        let space = try RenderedSpace()
        let canary = space.root.appendingPathComponent("canary").path
        let hostile = [
            "$(touch \(canary))", "`touch \(canary)`", "web01;touch \(canary)", "web01${IFS}touch${IFS}\(canary)",
            "web01 touch \(canary)", "web01\ntouch \(canary)", "web01.example.com$(touch \(canary))",
            "*", "-x", "web01|touch \(canary)", "web01&&touch \(canary)", "$((1+1))", "'\"\\",
        ]
        for value in hostile {
            for (hostname, addclasses) in [(value, "WEB"), ("client01", value), ("client01", "DB,\(value),WEB"), (value, value)] {
                let (classes, result) = try space.faiClass(hostname: hostname, addclasses: addclasses, hook: true)
                #expect(result.status == 0, "\(value): \(result.stderr)")
                #expect(!FileManager.default.fileExists(atPath: canary), "\(value) ran a command")
                // Every class is a safe class name, except the host name class FAI adds last
                // but one, which is the host name when it is a plain one and FAI's "debian" otherwise.
                let plain = !hostname.isEmpty && !hostname.hasPrefix("-") && !hostname.hasPrefix(".") && !hostname.hasSuffix(".")
                    && !hostname.contains("..")
                    && hostname.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }
                #expect(classes.count >= 3 && classes[classes.count - 2] == (plain ? hostname : "debian"), "\(classes)")
                for name in classes.dropLast(2) {
                    #expect(name.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" },
                            "class \(name) from hostname \(hostname) ADDCLASSES \(addclasses)")
                }
                if addclasses.hasPrefix("DB,") { #expect(classes.contains("DB") && classes.contains("WEB"), "\(classes)") }
                if addclasses != "WEB" { #expect(result.stderr.contains("dropped from ADDCLASSES"), "\(result.stderr)") }
                if hostname != "client01" {
                    #expect(result.stderr.contains("not a plain host name") && classes.contains("debian"), "\(classes) \(result.stderr)")
                }
            }
        }
    }

    /// 7.13: `.` and `..` are not host names: fai-class would read class/. and class/..; the
    /// old hook kept them. An empty label is not plain either.
    @Test func dotNamesAreNotPlainHostNames() throws {
        let space = try RenderedSpace()
        for hostname in [".", "..", "a..b", ".web01", "web01."] {
            let (classes, result) = try space.faiClass(hostname: hostname, hook: true)
            #expect(result.status == 0, "\(hostname): \(result.stderr)")
            #expect(classes.count >= 3 && classes[classes.count - 2] == "debian" && !classes.contains(hostname), "\(hostname): \(classes)")
            #expect(result.stderr.contains("not a plain host name"), "\(hostname): \(result.stderr)")
        }
        #expect(try space.faiClass(hostname: "web01.example.com", hook: true).classes.contains("web01.example.com"))
    }

    @Test func hookKeepsValidAddclassesAndRestoresTheShell() throws {
        let space = try RenderedSpace()
        let hook = space.config.appendingPathComponent("hooks/defclass.DEFAULT.sh").path
        let script = """
            IFS=' '; set +f; before="$IFS$-"
            . "\(hook)"
            printf '%s|%s|%s|%s\\n' "$ADDCLASSES" "$HOSTNAME" "$([ "$IFS$-" = "$before" ] && echo same)" "$(set | grep -c '^_faigen_')"
            """
        let result = try run("/bin/bash", ["-c", script], environment: ["ADDCLASSES": "WEB, DB,bad-name,,X_1", "HOSTNAME": "web01.example.com", "PATH": "/usr/bin:/bin"])
        #expect(result.stdout == "WEB DB X_1|web01.example.com|same|0\n", "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("dropped from ADDCLASSES") && result.stderr.contains("bad-name"))
    }
}

/// The kernel-log rules of a spec, also given to `faigen detect --rules`, so the class script
/// and the library evaluate the very same rules.
let detectRulesYAML = """
      - id: citrix-kernel
        source: kernel-log
        pattern: 'Linux version \\S+ \\(Debian [^)]*\\.xs\\d'
        classes: [XS_KERNEL]
        reason: the Citrix kernel from xs-tools
        examples:
          fire: ['Linux version 2.6.32-4-686-bigmem (Debian 2.6.32-10.xs5.6.0.226) (gcc)']
          quiet: ['Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org)']
      - id: kvm-clock
        source: kernel-log
        pattern: 'KVM-CLOCK: using msrs'
        caseless: true
        classes: [KVM_CLOCK, PARAVIRT_CLOCK]
        reason: the KVM paravirtual clock
        examples:
          fire: ['kvm-clock: Using msrs 4b564d01 and 4b564d00']
          quiet: ['tsc: Detected 2100.000 MHz processor']
    """

@Suite struct DefaultSiteUnderFaiClass {
    /// `faigen render OUT` with nothing else: the embedded default site.
    @Test func webHostOfTheDefaultSiteGetsItsClasses() throws {
        let dir = try scratchDirectory()
        let out = dir.appendingPathComponent("config")
        let render = try faigen("render", out.path, directory: dir)
        #expect(render.status == 0, "\(render.stderr)")
        let space = RenderedSpace(existing: dir)
        let (classes, result) = try space.faiClass(hostname: "web01.example.com", log: kernelLogs.appendingPathComponent("xen-pv.log"))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(classes == ["DEFAULT", "WEB", "XENSERVER", "XS_KERNEL", "web01.example.com", "LAST"], "\(classes)")
        let db = try space.faiClass(hostname: "db01", log: kernelLogs.appendingPathComponent("bare-metal.log")).classes
        #expect(db == ["DEFAULT", "DB", "db01", "LAST"], "\(db)")
        let build = try space.faiClass(hostname: "build01", log: kernelLogs.appendingPathComponent("kvm.log")).classes
        #expect(build == ["DEFAULT", "DEVEL", "build01", "LAST"], "\(build)")
    }
}

/// The class script and `faigen detect` given the same machine: the kernel logs, and every
/// detect fixture that has one (there the script also reads the fixture's /proc and /sys,
/// where the Xen dom0 evidence is).
@Suite struct ClassScriptAgreesWithFaigenDetect {
    static let scriptable: Set<String> = ["XENSERVER", "XS_KERNEL", "KVM_CLOCK", "PARAVIRT_CLOCK"]

    /// A space rendered from a spec with `detectRulesYAML`, and the same rules as a rules file.
    static func render(_ name: String) throws -> (space: RenderedSpace, rules: URL) {
        let dir = try scratchDirectory(name)
        let spec = dir.appendingPathComponent("site.yaml")
        try "site: agree\nversion: 1\ndetect:\n\(detectRulesYAML)\n".write(to: spec, atomically: true, encoding: .utf8)
        let rules = dir.appendingPathComponent("rules.yaml")
        try detectRulesYAML.write(to: rules, atomically: true, encoding: .utf8)
        let render = try faigen("render", "--spec", spec.path, dir.appendingPathComponent("config").path)
        #expect(render.status == 0, "\(render.stderr)")
        return (RenderedSpace(existing: dir), rules)
    }

    /// The scriptable classes `faigen detect --root ROOT --rules RULES` prints.
    static func detect(root: URL, rules: URL) throws -> Set<String> {
        let detect = try faigen("detect", "--root", root.path, "--rules", rules.path)
        #expect(detect.status == 0, "\(detect.stderr)")
        return Set(detect.stdout.split(separator: "\n").map(String.init)).intersection(scriptable)
    }

    @Test(arguments: ["xen-pv.log", "xen-hvm.log", "kvm.log", "bare-metal.log"])
    func sameClassesForTheSameLog(log: String) throws {
        let (space, rules) = try Self.render("agree\(log)")
        let logURL = kernelLogs.appendingPathComponent(log)
        let (faiClasses, result) = try space.faiClass(hostname: "nomatch", log: logURL)
        #expect(result.status == 0, "\(result.stderr)")
        let fromScript = Set(faiClasses).subtracting(["DEFAULT", "nomatch", "LAST"])

        let snapshot = space.root.appendingPathComponent("root")
        try FileManager.default.createDirectory(at: snapshot.appendingPathComponent("var/log"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: logURL, to: snapshot.appendingPathComponent("var/log/dmesg"))
        let fromDetect = try Self.detect(root: snapshot, rules: rules)
        #expect(fromScript == fromDetect, "class script \(fromScript.sorted()) vs faigen detect \(fromDetect.sorted())")
        #expect(fromScript.contains("XENSERVER") == log.hasPrefix("xen"))
        #expect(fromScript.contains("KVM_CLOCK") == (log == "kvm.log"))
    }

    @Test(arguments: detectFixturesWithKernelLog())
    func sameClassesForTheSameMachine(fixture: String) throws {
        let (space, rules) = try Self.render("agree-\(fixture)")
        let script = try space.detectScript(onFixture: fixture)
        #expect(script.status == 0, "\(script.stderr)")
        let fromScript = Set(script.stdout.split(separator: "\n").map(String.init))
        let fromDetect = try Self.detect(root: detectFixtures.appendingPathComponent("\(fixture)/root"), rules: rules)
        #expect(fromScript == fromDetect, "\(fixture): class script \(fromScript.sorted()) vs faigen detect \(fromDetect.sorted())")
    }

    @Test func mostFixturesHaveAKernelLog() {
        #expect(detectFixturesWithKernelLog().count >= 35)
    }
}

@Suite struct DetectRulesWithUnlessUnderFaiClass {
    /// golden/xenserver.yaml's balloon rule is vetoed by NO_BALLOON from an earlier class script.
    @Test func anEarlierClassVetoesARule() throws {
        let dir = try scratchDirectory()
        let spec = repositoryRoot.appendingPathComponent("golden/xenserver.yaml").path
        #expect(try faigen("render", "--spec", spec, dir.appendingPathComponent("config").path).status == 0)
        let space = RenderedSpace(existing: dir)
        let log = kernelLogs.appendingPathComponent("xen-pv.log")
        #expect(try space.faiClass(hostname: "guest", log: log).classes == ["DEFAULT", "XENSERVER", "XEN_BALLOON", "guest", "LAST"])
        let veto = space.config.appendingPathComponent("class/10-no-balloon")
        try "#!/bin/sh\necho NO_BALLOON\n".write(to: veto, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: veto.path)
        #expect(try space.faiClass(hostname: "guest", log: log).classes == ["DEFAULT", "NO_BALLOON", "XENSERVER", "guest", "LAST"])
    }
}

@Suite struct HostnameScriptAlone {
    /// Without the hook (a config space that drops it), the host name class script still
    /// treats a hostile name as data: nothing runs and it defines no class.
    @Test func hostileNameRunsNothingInTheClassScript() throws {
        let space = try RenderedSpace()
        let canary = space.root.appendingPathComponent("canary").path
        for name in ["$(touch \(canary))", "`touch \(canary)`", "web01;touch \(canary)", "web01\ntouch \(canary)", "web1${IFS}x"] {
            let script = space.config.appendingPathComponent("class/45-ganeti-hostname").path
            let result = try run(script, [], environment: ["HOSTNAME": name, "PATH": "/usr/bin:/bin"])
            #expect(result.status == 0 && result.stdout.isEmpty, "\(name): \(result.stdout)")
            #expect(result.stderr.contains("not a plain host name"))
            #expect(!FileManager.default.fileExists(atPath: canary))
        }
    }
}
