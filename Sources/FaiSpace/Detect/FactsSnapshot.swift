// FactsSnapshot: copy this machine's evidence into the `--root` layout, for bug reports and tests.
import CCPUID
import FoundationEssentials
import Glibc

/// Writes a snapshot that `faigen detect --root DIR` reads back as this machine's evidence:
/// the raw files under their paths, the kernel log as `var/log/dmesg`, the CPUID signature as
/// `.faigen/cpuid-vendor`, the CPU architecture as `.faigen/arch`, empty files or directories
/// for presence-only sources, and empty directories (or files) named after the device-tree nodes.
public enum FactsSnapshot {
    public struct Report: Sendable {
        /// The sources written, in ``EvidenceSource`` order.
        public var written: [EvidenceSource]
        /// The sources this machine does not have or would not let us read.
        public var skipped: [SkippedSource]
    }

    /// Saves the live machine's evidence into `directory`, which must not exist or be empty.
    /// The snapshot is written beside it and renamed into place, so a failure leaves nothing.
    public static func save(to directory: String, logDirectory: String?) throws -> Report {
        let fileManager = FileManager.default
        let target = URL(fileURLWithPath: directory)
        let kind = try FileSystem.status(target.path)?.kind
        let exists = kind != nil
        if exists {
            guard kind == .directory, (try? FileSystem.listDirectory(target.path))?.isEmpty == true else {
                throw InputError(file: directory, "the snapshot directory exists and is not empty",
                                 hint: "name a new or empty directory")
            }
        }
        let parent = target.deletingLastPathComponent()
        guard fileManager.fileExists(atPath: parent.path) else {
            throw InputError(file: directory, "the parent directory does not exist", hint: "create \(parent.path) first")
        }
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).faigen-\(UUID().uuidString.prefix(8))")
        do {
            try fileManager.createDirectory(at: staging, withIntermediateDirectories: false)
            let report = try write(into: staging, logDirectory: logDirectory)
            if exists { try fileManager.removeItem(at: target) }
            try fileManager.moveItem(at: staging, to: target)
            return report
        } catch let error as InputError {
            try? fileManager.removeItem(at: staging)
            throw error
        } catch {
            try? fileManager.removeItem(at: staging)
            throw InputError(file: directory, "cannot write the snapshot: \(error)",
                             hint: "check that the directory is writable")
        }
    }

    static func write(into root: URL, logDirectory: String?) throws -> Report {
        var written: [EvidenceSource] = []
        var skipped: [SkippedSource] = []
        // Directory listings first: the device-tree files written after them keep their content.
        let order = EvidenceSource.allCases.filter { $0.reading == .directoryListing }
            + EvidenceSource.allCases.filter { $0.reading != .directoryListing }
        for source in order {
            guard let relative = source.snapshotPath else { continue }
            let destination = root.appendingPathComponent(relative)
            let live = "/" + relative
            let bytes: [UInt8]
            switch source {
            case .cpuid:
                var signature = [CChar](repeating: 0, count: 13)
                let hasHypervisor = faigen_cpuid_hypervisor_vendor(&signature) == 1
                let text = hasHypervisor ? String(decoding: signature.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) },
                                                  as: UTF8.self) + "\n" : ""
                bytes = Array(text.utf8)
            case .arch:
                bytes = Array((Evidence.machineArchitecture() + "\n").utf8)
            case .kernelLog:
                let (reading, origin) = Evidence.liveKernelLog(logDirectory: logDirectory)
                guard case .text(let text) = reading else {
                    skipped.append(SkippedSource(source: source, origin: origin, reason: reason(reading)))
                    continue
                }
                bytes = text.bytes
            default:
                switch source.reading {
                case .presence:
                    var info = stat()
                    guard stat(live, &info) == 0 else {
                        let why = errno == ENOENT ? "absent" : Evidence.errnoText()
                        skipped.append(SkippedSource(source: source, origin: live, reason: why))
                        continue
                    }
                    if (info.st_mode & S_IFMT) == S_IFDIR {
                        try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
                        written.append(source)
                        continue
                    }
                    bytes = []
                case .directoryListing:
                    let reading = Evidence.readSource(live, as: .directoryListing)
                    guard case .text(let listing) = reading else {
                        skipped.append(SkippedSource(source: source, origin: live, reason: reason(reading)))
                        continue
                    }
                    try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
                    for name in String(decoding: listing.bytes, as: UTF8.self).split(separator: "\n") {
                        var info = stat()
                        let isDirectory = stat(live + "/" + name, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
                        let entry = destination.appendingPathComponent(String(name), isDirectory: isDirectory)
                        if isDirectory {
                            try FileManager.default.createDirectory(at: entry, withIntermediateDirectories: true)
                        } else {
                            try Data().write(to: entry)
                        }
                    }
                    written.append(source)
                    continue
                default:
                    // The raw file, so that reading the snapshot repeats the same conversion.
                    let reading = Evidence.readFile(live)
                    guard case .text(let raw) = reading else {
                        skipped.append(SkippedSource(source: source, origin: live, reason: reason(reading)))
                        continue
                    }
                    bytes = raw.bytes
                }
            }
            try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            try Data(bytes).write(to: destination)
            written.append(source)
        }
        return Report(written: EvidenceSource.allCases.filter(written.contains), skipped: skipped)
    }

    static func reason(_ reading: EvidenceReading) -> String {
        switch reading {
        case .text: "read"
        case .absent: "absent"
        case .unreadable(let why): why
        }
    }
}
