// BootRig: the pieces of tests that boot a VM: the guest (scripts/vm-rig), a network namespace (scripts/boot-netns), daemons killed by PID.
import Foundation
import Testing

/// The guest kernel and initramfs of scripts/vm-rig, built once per kernel package.
struct Guest {
    var directory: URL
    var kernelVersion: String

    var kernel: URL { directory.appendingPathComponent("vmlinuz") }
    var initrd: URL { directory.appendingPathComponent("initrd.img") }

    /// Builds (or finds in the cache) the guest; a missing tool or package fails the test naming it.
    static func prepare() throws -> Guest {
        let result = try run(repositoryRoot.appendingPathComponent("scripts/vm-rig").path, ["guest"])
        guard result.status == 0 else {
            Issue.record("scripts/vm-rig guest failed: \(result.stderr)")
            throw RigError.failed("vm-rig guest")
        }
        let directory = URL(fileURLWithPath: result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let version = try String(contentsOf: directory.appendingPathComponent("kernel-version"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return Guest(directory: directory, kernelVersion: version)
    }

    /// What the guest printed: its kernel command line and, with faigen_rig=dhcp, its lease.
    struct Serial {
        var log: String
        var cmdline: String? { line("FAIGEN-CMDLINE: ") }
        var lease: String? { line("FAIGEN-LEASE: ") }
        var finished: Bool { log.contains("FAIGEN-END") }

        func line(_ prefix: String) -> String? {
            // The serial console ends lines with CR LF, which Swift takes as one character.
            log.replacingOccurrences(of: "\r", with: "").split(separator: "\n").first { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
        }
        /// The words of the command line.
        var words: Set<String> { Set((cmdline ?? "").split(separator: " ").map(String.init)) }
    }

    /// Boots QEMU (scripts/vm-rig boot: -accel tcg, under timeout) with `arguments`, inside
    /// `namespace` when given; returns what the serial console showed.
    static func boot(_ arguments: [String], log: URL, seconds: Int = 240, namespace: String? = nil) throws -> Serial {
        let rig = repositoryRoot.appendingPathComponent("scripts/vm-rig").path
        var command = [rig, "boot", log.path, String(seconds)] + arguments
        if let namespace { command = ["/usr/sbin/ip", "netns", "exec", namespace] + command }
        let output = log.appendingPathExtension("out")
        let status = waitForExit(try spawn(command, output: output))
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        if status != 0 {
            let messages = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            Issue.record("QEMU exited \(status) (124: timed out after \(seconds) s): \(messages.suffix(600)); serial: \(text.suffix(1500))")
        }
        return Serial(log: text)
    }

    /// A TFTP root holding the generated tftp/ tree plus the BIOS loader and the guest's kernel
    /// and initrd under the names the spec gives them.
    func installBootFiles(into tftp: URL) throws {
        let fm = FileManager.default
        let copies: [(String, String)] = [
            (try requireFile("/usr/lib/PXELINUX/pxelinux.0", package: "pxelinux"), "pxelinux.0"),
            (try requireFile("/usr/lib/syslinux/modules/bios/ldlinux.c32", package: "syslinux-common"), "ldlinux.c32"),
            (kernel.path, "vmlinuz-\(kernelVersion)"), (initrd.path, "initrd.img-\(kernelVersion)"),
        ]
        for (source, name) in copies {
            let target = tftp.appendingPathComponent(name)
            try? fm.removeItem(at: target)
            try fm.copyItem(atPath: source, toPath: target.path)
            try fm.setAttributes([.posixPermissions: 0o644], ofItemAtPath: target.path)
        }
    }
}

enum RigError: Error { case failed(String) }

/// A network namespace from scripts/boot-netns: bridge fbr0 with `address`, tap fbtap0, veth carrier.
final class BootNamespace {
    let name: String

    init(address: String) throws {
        name = "faigen-boot-\(getpid())-\(UInt16.random(in: 0...UInt16.max))"
        let result = try run(repositoryRoot.appendingPathComponent("scripts/boot-netns").path, ["up", name, address])
        guard result.status == 0 else {
            Issue.record("cannot make a network namespace: \(result.stderr)")
            _ = try? run(repositoryRoot.appendingPathComponent("scripts/boot-netns").path, ["down", name])
            throw RigError.failed("boot-netns up")
        }
    }

    /// Kills what still runs inside (by PID) and removes the namespace; called even when a test fails.
    func remove() {
        let result = try? run(repositoryRoot.appendingPathComponent("scripts/boot-netns").path, ["down", name])
        if result?.status != 0 { Issue.record("cannot remove network namespace \(name): \(result?.stderr ?? "")") }
    }

    /// Runs a command inside the namespace to its end.
    func execute(_ command: [String]) throws -> RunResult {
        try run("/usr/sbin/ip", ["netns", "exec", name] + command)
    }
}

/// A server started inside a namespace in the foreground, its output in a file, stopped by
/// its PID. Started with posix_spawn and reaped with waitpid: the PID is the server's own
/// (`ip netns exec` execs the command).
final class Daemon {
    let pid: pid_t
    let output: URL
    let name: String
    private var exited = false

    init(_ name: String, namespace: BootNamespace, command: [String], output: URL, environment: [String: String] = [:]) throws {
        self.name = name
        self.output = output
        pid = try spawn(["/usr/sbin/ip", "netns", "exec", namespace.name] + command, output: output, environment: environment)
    }

    var log: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

    var isRunning: Bool {
        if exited { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { exited = true }
        return !exited
    }

    /// Waits until the log shows `text`, or the server died, or `seconds` passed.
    func waitFor(_ text: String, seconds: Double = 30) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if log.contains(text) { return true }
            if !isRunning { return log.contains(text) }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return log.contains(text)
    }

    func signal(_ number: Int32) { if isRunning { kill(pid, number) } }

    /// SIGTERM to the server's PID, then SIGKILL if it does not go; reaped either way.
    func stop() {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        for _ in 0..<50 where isRunning { Thread.sleep(forTimeInterval: 0.1) }
        if isRunning {
            kill(pid, SIGKILL)
            _ = waitForExit(pid)
            exited = true
        }
    }
}

/// Starts `command` with standard output and error into `output` and no input; its PID.
func spawn(_ command: [String], output: URL, environment: [String: String] = [:]) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0)=\($1)" }
    let argv = command.map { strdup($0) } + [nil]
    let envp = variables.map { strdup($0) } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    var pid: pid_t = 0
    let result = posix_spawn(&pid, command[0], &actions, nil, argv, envp)
    guard result == 0 else {
        Issue.record("cannot start \(command[0]): \(String(cString: strerror(result)))")
        throw RigError.failed(command[0])
    }
    return pid
}

/// Waits for `pid` and returns its exit status (128 + signal when killed).
func waitForExit(_ pid: pid_t) -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
        if errno != EINTR { return -1 }
    }
    return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
}

/// A file a test needs from a Debian package; missing fails the test naming the package.
func requireFile(_ path: String, package: String) throws -> String {
    guard FileManager.default.fileExists(atPath: path) else {
        Issue.record("\(path) is missing: install Debian package \(package) (make test does)")
        throw ToolMissing(path: path)
    }
    return path
}
