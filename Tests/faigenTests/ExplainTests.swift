// faigen explain against FAI's own tools: fai-class's classes, install_packages' commands, fcopy's files, and the sandbox holding the admin's class scripts.
import FaiSpace
import Foundation
import Testing

/// The hosts fai-doc's class/50-host-classes names (client* as client01; rocky is its Rocky
/// host), and the hosts of the default site.
let exampleHosts = ["faiserver", "demohost", "client01", "xfcehost", "gnomehost", "ubuntuhost", "rocky"]
let defaultSiteHosts = ["web01", "db01", "build01"]

/// The default site rendered over the fai-doc example, made once for the suite.
let renderedOverExample: Result<URL, ExplainTestFailure> = {
    do {
        let out = try scratchDirectory("explain-rendered").appendingPathComponent("config")
        let result = try faigen("render", "--starter", "--base", faiDocExample, out.path, directory: out.deletingLastPathComponent())
        guard result.status == 0 else { return .failure(ExplainTestFailure(text: "render failed: \(result.stderr)")) }
        return .success(out)
    } catch {
        return .failure(ExplainTestFailure(text: "render failed: \(error)"))
    }
}()

struct ExplainTestFailure: Error, Sendable, CustomStringConvertible { var text: String; var description: String { text } }

/// `faigen explain --format json`, decoded as loose JSON.
func explainJSON(_ host: String, _ space: URL, _ extra: [String] = []) throws -> (status: Int32, json: [String: Any], stderr: String) {
    let result = try run(faigenBinary.path, ["explain", "--format", "json"] + extra + [host, space.path],
                         directory: space.deletingLastPathComponent())
    let object = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
    return (result.status, object, result.stderr)
}

@Suite struct ExplainTests {
    /// fai-class itself, run in the same sandbox with the same host, facts and hooks.
    func faiClass(_ host: String, _ space: URL) throws -> [String] {
        let run = try ClassScriptSandbox.run(configSpace: space.path, options: .init(hostname: host, reference: true))
        return run.faiClasses
    }

    /// One explain per host, compared with the FAI tool behind each part: fai-class for the
    /// classes, `install_packages -n -v` (every command it would run) and `-l` for the
    /// packages, `fcopy -n` for the files.
    @Test(arguments: exampleHosts + defaultSiteHosts)
    func explainIsWhatFAIDoes(host: String) throws {
        let installPackages = try requireTool("/usr/sbin/install_packages", package: "fai-client")
        let fcopy = try requireTool("/usr/sbin/fcopy", package: "fai-client")
        _ = try requireTool("/usr/bin/fai-class", package: "fai-client")
        let space = try renderedOverExample.get()
        let (status, json, stderr) = try explainJSON(host, space)
        #expect(status == 0 || status == 1, "\(stderr)")
        let classes = json["class_list"] as? [String] ?? []
        let expected = try faiClass(host, space)
        #expect(!expected.isEmpty)
        #expect(classes == expected, "explain \(host): \(classes) but fai-class: \(expected)")

        let root = try scratchDirectory("explain-root")
        let environment = ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "classes": classes.joined(separator: " "),
                           "FAI": space.path, "FAI_ROOT": root.path, "MAXPACKAGES": "100000"]
        let dry = try run(installPackages, ["-n", "-v"], environment: environment)
        let executed = dry.stderr.split(separator: "\n").compactMap { line -> String? in
            guard let range = line.range(of: "executing ") else { return nil }
            let command = line[range.upperBound...].split(separator: " ").joined(separator: " ")
            // apt-get clean, dpkg --configure --pending and dpkg -C run after every list.
            if command.hasSuffix(" clean") || command.hasSuffix("--pending") || command.hasSuffix("dpkg -C") { return nil }
            return command
        }
        let groups = json["packages"] as? [[String: Any]] ?? []
        #expect(!groups.isEmpty)
        #expect(executed.count == groups.count, "install_packages -n ran \(executed) for \(groups.map { $0["command"] ?? "" })")
        for (line, group) in zip(executed, groups) {
            let words = (group["packages"] as? [[String: Any]] ?? []).compactMap { $0["word"] as? String }
            #expect(line.hasSuffix(" " + words.joined(separator: " ")), "\(line) does not end with \(words)")
            if let option = group["option"] as? String, option.hasPrefix("release=") {
                #expect(line.contains("-t \(option.dropFirst("release=".count))"))
            }
        }
        let list = try run(installPackages, ["-l"], environment: environment)
        let printed = list.stdout.split(whereSeparator: \.isWhitespace).map(String.init)
        #expect(printed == (json["install_packages_list"] as? [String] ?? []), "install_packages -l: \(list.stdout) \(list.stderr)")

        let files = json["files"] as? [[String: Any]] ?? []
        let without = json["files_without_class"] as? [String] ?? []
        let target = try scratchDirectory("explain-target")
        let paths = files.compactMap { $0["destination"] as? String } + without
        let copy = try run(fcopy, ["-n", "-i", "-s", space.path + "/files", "-t", target.path,
                                   "-c", classes.joined(separator: ",")] + paths,
                           environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"])
        var copied: [String: String] = [:]
        for line in copy.stdout.split(separator: "\n") where line.hasPrefix("fcopy: copied ") {
            let parts = line.dropFirst("fcopy: copied ".count).components(separatedBy: " to ")
            guard parts.count == 2 else { continue }
            copied[String(parts[1].dropFirst(target.path.count))] = String(parts[0].dropFirst(space.path.count + 1))
        }
        var explained: [String: String] = [:]
        for file in files {
            if let destination = file["destination"] as? String, let source = file["source"] as? String {
                explained[destination] = source
            }
        }
        #expect(!explained.isEmpty)
        #expect(explained == copied, "fcopy -n: \(copy.stdout) \(copy.stderr)")
    }

    @Test func conflictsNameEachSide() throws {
        let space = try scratchDirectory("explain-conflict").appendingPathComponent("config")
        _ = try run("/bin/cp", ["-a", faiDocExample, space.path])
        // 50-host-classes gives every other host FAIBASE DEBIAN DEMO and 60-misc GRUB_PC on amd64.
        try "# a host in two boot-loader classes, FAIBASE twice\nGRUB_EFI REMOVER\nFAIBASE\n"
            .write(to: space.appendingPathComponent("class/twoloaders"), atomically: true, encoding: .utf8)
        try "PACKAGES remove\nsudo\n".write(to: space.appendingPathComponent("package_config/REMOVER"), atomically: true, encoding: .utf8)
        let (status, json, stderr) = try explainJSON("twoloaders", space)
        #expect(status == 1, "\(stderr)")
        let problems = json["problems"] as? [[String: Any]] ?? []
        func places(_ kind: String) -> [String] {
            problems.filter { $0["kind"] as? String == kind }.flatMap { $0["places"] as? [String] ?? [] }
        }
        #expect(places("duplicate-class") == ["class/50-host-classes:25", "class/twoloaders:3"])
        #expect(places("two-boot-loaders") == ["package_config/DEBIAN:48", "package_config/DEBIAN:51"])
        #expect(places("installed-and-removed") == ["package_config/DEBIAN:14", "package_config/REMOVER:2"])
        let text = try faigen("explain", "twoloaders", space.path, directory: space.deletingLastPathComponent())
        #expect(text.stdout.contains("two-boot-loaders: two boot loaders: grub-pc (class DEBIAN) and grub-efi (class DEBIAN)"))
    }

    /// A class script that writes outside LOGDIR, one that reads the network, one that sleeps
    /// forever: the machine is unchanged, the time limit stops the run, the report names each.
    @Test func sandboxHoldsHostileClassScripts() throws {
        let scratch = try scratchDirectory("explain-hostile")
        let space = scratch.appendingPathComponent("config")
        let marker = "faigen-explain-\(UUID().uuidString.prefix(8))"
        let outside = scratch.appendingPathComponent("written-by-class-script")
        let scripts = [
            "10-writes": "#!/bin/sh\necho pwned > /etc/\(marker)\necho pwned > \(outside.path)\necho WRITER\n",
            "20-network": "#!/bin/bash\nexec 3<>/dev/tcp/192.0.2.1/80 && echo NETWORK\n",
            "30-sleeps": "#!/bin/sh\necho SLEEPER\nexec sleep 86400 # \(marker)\n",
            "40-after": "#!/bin/sh\necho AFTER\n",
        ]
        try FileManager.default.createDirectory(at: space.appendingPathComponent("class"), withIntermediateDirectories: true)
        for (name, text) in scripts {
            let url = space.appendingPathComponent("class/\(name)")
            try text.write(to: url, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        }
        let started = Date()
        let (status, json, stderr) = try explainJSON("victim", space, ["--time-limit", "5"])
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(status == 1, "\(stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/etc/\(marker)"))
        #expect(!FileManager.default.fileExists(atPath: outside.path))
        let problems = (json["problems"] as? [[String: Any]] ?? []).map { "\($0["kind"] ?? ""): \($0["message"] ?? "")" }
        #expect(problems.contains { $0.hasPrefix("class-script-wrote-outside-logdir: class/10-writes wrote outside LOGDIR: /etc/\(marker)") }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("class-script-used-network: class/20-network tried to reach the network") }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("class-script-timed-out: class/30-sleeps did not finish within the time limit of 5 s") }, "\(problems)")
        let classes = json["class_list"] as? [String] ?? []
        #expect(classes.contains("WRITER") && !classes.contains("NETWORK") && !classes.contains("AFTER"))
        // Nothing the sandbox started is left running, and its scratch directories are gone.
        let processes = try FileManager.default.contentsOfDirectory(atPath: "/proc").filter { $0.allSatisfy(\.isNumber) }
        let leftover = processes.filter { pid in
            ((try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))).map { String(decoding: $0, as: UTF8.self) } ?? "").contains("86400")
        }
        #expect(leftover.isEmpty)
    }

    /// A `faigen facts save` snapshot of a Xen PV guest: the generated detection script sees
    /// its kernel log (not the build machine's), fai-class agrees, and the class names the
    /// rule and the kernel-log line that fired it, with or without running the scripts.
    @Test func factsDecideDetectionWithEvidence() throws {
        let space = try renderedOverExample.get()
        let facts = repositoryRoot.appendingPathComponent("Tests/Fixtures/detect/xen-pv-domu/root").path
        for extra in [[], ["--no-exec"]] {
            let (_, json, stderr) = try explainJSON("xs01", space, ["--facts", facts] + extra)
            let xen = (json["classes"] as? [[String: Any]] ?? []).first { $0["name"] as? String == "XENSERVER" }
            let origin = (xen?["origins"] as? [[String: Any]])?.first
            #expect(origin?["file"] as? String == "class/60-detect-XenServer", "\(extra) \(stderr)")
            #expect((origin?["detail"] as? String ?? "").contains("matches '(ACPI:.*Xen.*HVM|Booting paravirtualized kernel on Xen)': [    0.000000] Booting paravirtualized kernel on Xen"))
            if extra.isEmpty {
                let reference = try ClassScriptSandbox.run(configSpace: space.path, options: .init(hostname: "xs01", factsDirectory: facts, reference: true))
                #expect(reference.faiClasses.contains("XENSERVER"))
                #expect((json["class_list"] as? [String] ?? []) == reference.faiClasses)
            }
        }
        let (_, plain, _) = try explainJSON("xs01", space)
        #expect(!(plain["class_list"] as? [String] ?? ["XENSERVER"]).contains("XENSERVER"))
    }

    @Test func noExecIsStaticWithUnknownsMarked() throws {
        let space = try renderedOverExample.get()
        let (_, web, _) = try explainJSON("web01", space, ["--no-exec"])
        let classes = web["class_list"] as? [String] ?? []
        #expect(classes == ["DEFAULT", "WEB", "web01", "LAST"])
        let unknowns = web["unknowns"] as? [String] ?? []
        #expect(unknowns.contains("class/50-host-classes: not run (--no-exec); the classes it defines are unknown"))
        #expect(unknowns.contains("class/60-detect-XenServer: reads the kernel log; give --facts DIR for its classes"))
        let (_, build, _) = try explainJSON("build01", space, ["--no-exec", "--addclasses", "XENSERVER,bad;word"])
        let origins = (build["classes"] as? [[String: Any]] ?? []).map { ($0["name"] as? String ?? "", ($0["origins"] as? [[String: Any]])?.first?["file"] as? String) }
        #expect(origins.contains { $0.0 == "DEVEL" && $0.1 == "class/build01" })
        #expect((build["class_list"] as? [String] ?? []) == ["DEFAULT", "DEVEL", "XENSERVER", "build01", "LAST"])
    }

    @Test func allIsOneTableOfTheSpecsHosts() throws {
        let space = try renderedOverExample.get()
        let result = try faigen("explain", "--all", space.path, directory: space.deletingLastPathComponent())
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("HOST") == true, "\(result.stderr)")
        for host in defaultSiteHosts { #expect(lines.contains { $0.hasPrefix(host + " ") }) }
    }
}
