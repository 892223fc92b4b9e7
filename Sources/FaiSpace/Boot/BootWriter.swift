// BootWriter: `faigen boot`: every boot file of a spec written into OUTDIR through RenderWriter.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Writes the boot files of a spec into an output directory with the same safety as
/// `faigen render` (RenderWriter: manifest, temporaries and renames, hand edits kept), and
/// switches hosts between actions.
public enum BootWriter {
    public struct Result: Sendable {
        public var report: RenderReport
        public var site: BootSite
    }

    /// Applies `switches` to the hosts switched so far (OUTDIR/boot-actions) and writes every
    /// boot file. With the spec unchanged, a switch changes only the switched hosts' files
    /// and boot-actions; a host no longer in the spec loses its files and its switch.
    /// The switches are read and written under OUTDIR's lock (`wait` as for render), so two
    /// switches at once cannot lose one another.
    public static func apply(spec: SiteSpec, outputDirectory: String, switches: [BootSwitch] = [],
                             force: Bool, wait: Bool = false) throws(InputError) -> Result {
        guard let boot = spec.boot else {
            throw InputError(file: spec.source, "the spec has no boot: section", hint: "add boot: with kernel, server and subnet (docs/boot.md)")
        }
        let serverDirectory: String
        if let configured = boot.serverDirectory {
            serverDirectory = configured
        } else {
            serverDirectory = try absoluteServerDirectory(outputDirectory)
        }
        let site0 = try BootSite(spec: spec, serverDirectory: serverDirectory)
        let known = Set(site0.hosts.map(\.name.key))
        for change in switches where !known.contains(change.host.key) {
            throw InputError(file: "--switch", "no host \(change.host) with a MAC address in \(spec.source)",
                             hint: "switch a host the spec lists with mac:")
        }
        let lock = try OutputLock.acquire(outputDirectory, wait: wait)
        defer { lock.release() }
        var switched = try BootActions.read(outputDirectory: outputDirectory)
        for change in switches { switched.actions[change.host.key] = change.action }
        // A switch to the spec's own action is no switch.
        for host in site0.hosts where switched.actions[host.name.key] == boot.action(of: host) {
            switched.actions[host.name.key] = nil
        }
        let site = try BootSite(spec: spec, serverDirectory: serverDirectory, switched: switched)
        // RenderWriter.apply's steps, under the lock this function already holds.
        let plan = try RenderWriter.plan(outputDirectory: outputDirectory, base: nil, generated: site.generatedFiles(), force: force)
        if let first = plan.conflicts.first {
            var error = first
            if plan.conflicts.count > 1 { error.message += " (and \(plan.conflicts.count - 1) more conflicts)" }
            throw error
        }
        try RenderWriter.execute(plan, in: outputDirectory)
        return Result(report: plan.report, site: site)
    }

    /// OUTDIR as an absolute path, for the files the server configs name; it must be a path
    /// those configs can hold.
    static func absoluteServerDirectory(_ outputDirectory: String) throws(InputError) -> String {
        var path = outputDirectory
        if !path.hasPrefix("/") {
            var buffer = [CChar](repeating: 0, count: 4096)
            guard getcwd(&buffer, buffer.count) != nil else {
                throw InputError(file: outputDirectory, "cannot find the current directory", hint: "give OUTDIR as an absolute path")
            }
            path = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) + "/" + path
        }
        var steps: [Substring] = []
        for step in path.split(separator: "/") {
            if step == "." { continue }
            if step == ".." { _ = steps.popLast(); continue }
            steps.append(step)
        }
        let normalized = "/" + steps.joined(separator: "/")
        guard normalized.utf8.count <= 1024,
              normalized.utf8.allSatisfy({ Validate.isAlphanumeric($0) || "/_.+-".utf8.contains($0) }) else {
            throw InputError(file: outputDirectory, "the directory's path \(Validate.quote(normalized)) cannot be written into dnsmasq, dhcpd and Kea files",
                             hint: "set boot.server_dir to where OUTDIR is on the server (A-Z, a-z, 0-9 and / _ . + -)")
        }
        return normalized
    }
}
