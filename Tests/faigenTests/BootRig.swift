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
        let command = [rig, "boot", log.path, String(seconds)] + arguments
        let result = namespace.map { try? run("/usr/sbin/ip", ["netns", "exec", $0] + command) }
            ?? (try? run(command[0], Array(command.dropFirst())))
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        if let result, result.status != 0 {
            Issue.record("QEMU exited \(result.status) (124: timed out after \(seconds) s): \(result.stderr.suffix(600)); serial: \(text.suffix(1500))")
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

/// A server started inside a namespace in the foreground, its output in a file, stopped by its PID.
final class Daemon {
    let process = Process()
    let output: URL
    let name: String

    init(_ name: String, namespace: BootNamespace, command: [String], output: URL, environment: [String: String]? = nil) throws {
        self.name = name
        self.output = output
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        // `ip netns exec` execs the command: the PID is the server's own.
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        process.arguments = ["netns", "exec", namespace.name] + command
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var log: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

    /// Waits until the log shows `text`, or the server died, or `seconds` passed.
    func waitFor(_ text: String, seconds: Double = 30) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if log.contains(text) { return true }
            if !process.isRunning { return false }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return log.contains(text)
    }

    /// SIGTERM to the server's PID, then SIGKILL if it does not go.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        for _ in 0..<50 where process.isRunning { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

/// A file a test needs from a Debian package; missing fails the test naming the package.
func requireFile(_ path: String, package: String) throws -> String {
    guard FileManager.default.fileExists(atPath: path) else {
        Issue.record("\(path) is missing: install Debian package \(package) (make test does)")
        throw ToolMissing(path: path)
    }
    return path
}
