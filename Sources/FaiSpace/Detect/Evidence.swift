// Evidence: read each evidence source from the live system or from a snapshot root; never fatal.
import CCPUID

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of one piece of evidence: an array, or a large file mapped read-only, which
/// spares copying (and zeroing fresh pages for) a kernel log of many megabytes.
public struct EvidenceText: Sendable, Hashable {
    private enum Storage: @unchecked Sendable {
        case bytes([UInt8])
        case mapped(MappedFile)
    }

    private let storage: Storage

    public init(_ bytes: [UInt8]) {
        storage = .bytes(bytes)
    }

    init(mapped file: MappedFile) {
        storage = .mapped(file)
    }

    public var count: Int {
        switch storage {
        case .bytes(let bytes): bytes.count
        case .mapped(let file): file.count
        }
    }

    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        switch storage {
        case .bytes(let bytes): return try bytes.withUnsafeBytes(body)
        case .mapped(let file): return try withExtendedLifetime(file) { try body(file.buffer) }
        }
    }

    /// A copy of the bytes.
    public var bytes: [UInt8] {
        withUnsafeBytes { Array($0) }
    }

    public static func == (lhs: EvidenceText, rhs: EvidenceText) -> Bool {
        lhs.withUnsafeBytes { left in rhs.withUnsafeBytes { right in left.elementsEqual(right) } }
    }

    public func hash(into hasher: inout Hasher) {
        withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}

/// A file mapped read-only and private, unmapped when the last reference goes.
final class MappedFile: @unchecked Sendable {
    let buffer: UnsafeRawBufferPointer
    var count: Int { buffer.count }

    /// Maps the open file `fd` of `size` bytes; nil when mmap refuses.
    init?(fd: Int32, size: Int) {
        // MAP_POPULATE maps the cached pages at once: one call instead of a fault per few pages.
        guard size > 0, let base = mmap(nil, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0), base != MAP_FAILED else {
            return nil
        }
        buffer = UnsafeRawBufferPointer(start: base, count: size)
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: buffer.baseAddress), buffer.count)
    }
}

/// What one source gave: its text, or why there is none.
public enum EvidenceReading: Sendable, Hashable {
    /// The evidence text (for presence sources, empty: the path exists).
    case text(EvidenceText)
    /// The source is not there (no such file, or not this kind of machine).
    case absent
    /// The source is there but could not be read; the reason says why (e.g. permission denied).
    case unreadable(String)
}

/// The evidence of one machine, source by source, with where each reading came from.
public struct Evidence: Sendable {
    public var readings: [EvidenceSource: EvidenceReading]
    /// Where each reading came from: a path, or `cpuid instruction`, `klogctl`, `/dev/kmsg`.
    public var origins: [EvidenceSource: String]

    public init(readings: [EvidenceSource: EvidenceReading] = [:], origins: [EvidenceSource: String] = [:]) {
        self.readings = readings
        self.origins = origins
    }

    public subscript(source: EvidenceSource) -> EvidenceReading {
        readings[source] ?? .absent
    }

    /// ``collect(root:sources:)`` for the snapshot `faigen detect --root DIR` names: a path
    /// that is no directory (symlinks followed) is an error, as no snapshot is empty evidence.
    public static func collect(snapshot root: String, sources: some Sequence<EvidenceSource>) throws(InputError) -> Evidence {
        guard FileSystem.resolvedStatus(root)?.kind == .directory else {
            throw InputError(file: root, "--root is not a directory", hint: "give a snapshot made by `faigen facts save DIR`")
        }
        return collect(root: root, sources: sources)
    }

    /// Reads `sources` from under `root`, the `--root DIR` snapshot layout of DESIGN.md.
    public static func collect(root: String, sources: some Sequence<EvidenceSource>) -> Evidence {
        var evidence = Evidence()
        let base = root.hasSuffix("/") ? String(root.dropLast()) : root
        for source in sources where source != .classes && evidence.readings[source] == nil {
            guard let relative = source.snapshotPath else { continue }
            let path = base + "/" + relative
            evidence.readings[source] = readSource(path, as: source.reading)
            evidence.origins[source] = path
        }
        return evidence
    }

    /// Reads `sources` from the running machine: files under `/`, the CPUID instruction, and the
    /// kernel log through klogctl, then `/dev/kmsg`, then `/var/log/dmesg`, then FAI's
    /// `$LOGDIR/dmesg.log` (`logDirectory`, default `/tmp/fai`).
    public static func collectLive(sources: some Sequence<EvidenceSource>, logDirectory: String?) -> Evidence {
        var evidence = Evidence()
        for source in sources where evidence.readings[source] == nil {
            switch source {
            case .classes:
                continue
            case .cpuid:
                var signature = [CChar](repeating: 0, count: 13)
                let hasHypervisor = faigen_cpuid_hypervisor_vendor(&signature) == 1
                // On bare metal the snapshot file is empty: the same as "no signature".
                let bytes = hasHypervisor ? signature.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) } : []
                evidence.readings[.cpuid] = .text(EvidenceText(bytes))
                evidence.origins[.cpuid] = "cpuid instruction"
            case .kernelLog:
                let (reading, origin) = liveKernelLog(logDirectory: logDirectory)
                evidence.readings[.kernelLog] = reading
                evidence.origins[.kernelLog] = origin
            case .arch:
                evidence.readings[.arch] = .text(EvidenceText(Array(machineArchitecture().utf8)))
                evidence.origins[.arch] = "uname"
            default:
                guard let relative = source.snapshotPath else { continue }
                let path = "/" + relative
                evidence.readings[source] = readSource(path, as: source.reading)
                evidence.origins[source] = path
            }
        }
        return evidence
    }

    /// The CPU architecture of the running kernel, as `uname -m` prints it.
    static func machineArchitecture() -> String {
        var name = utsname()
        guard uname(&name) == 0 else { return "" }
        return withUnsafeBytes(of: name.machine) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// The live kernel log in `dmesg` format, and where it came from.
    static func liveKernelLog(logDirectory: String?) -> (EvidenceReading, String) {
        var reasons: [String] = []
        switch readKlogctl() {
        case .success(let text): return (.text(EvidenceText(text)), "klogctl")
        case .failure(let reason): reasons.append("klogctl: \(reason)")
        }
        switch readKmsg() {
        case .success(let text): return (.text(EvidenceText(text)), "/dev/kmsg")
        case .failure(let reason): reasons.append("/dev/kmsg: \(reason)")
        }
        return kernelLogFromFiles(["/var/log/dmesg", (logDirectory ?? "/tmp/fai") + "/dmesg.log"], reasons: reasons)
    }

    /// The first of `paths` that can be read (saved `dmesg` output), or why none could.
    static func kernelLogFromFiles(_ paths: [String], reasons: [String] = []) -> (EvidenceReading, String) {
        var reasons = reasons
        for path in paths {
            switch readSource(path, as: .content) {
            case .text(let text): return (.text(text), path)
            case .absent: reasons.append("\(path): absent")
            case .unreadable(let reason): reasons.append("\(path): \(reason)")
            }
        }
        return (.unreadable(reasons.joined(separator: "; ")), "kernel log")
    }

    struct Failure: Error { var reason: String }

    /// The kernel ring buffer through klogctl(2): `<N>` priority prefixes removed, as dmesg prints it.
    static func readKlogctl() -> Result<[UInt8], Failure> {
        #if os(Linux)
        let size = klogctl(10, nil, 0)  // SYSLOG_ACTION_SIZE_BUFFER
        guard size > 0 else { return .failure(Failure(reason: errnoText())) }
        // Not zero-filled first: a server's ring buffer can be many megabytes.
        var failure: Failure?
        let buffer = [UInt8](unsafeUninitializedCapacity: Int(size)) { raw, initialized in
            let count = klogctl(3, UnsafeMutableRawPointer(raw.baseAddress)?.assumingMemoryBound(to: CChar.self),
                                Int32(raw.count))  // SYSLOG_ACTION_READ_ALL
            if count < 0 { failure = Failure(reason: errnoText()) }
            initialized = max(0, Int(count))
        }
        if let failure { return .failure(failure) }
        return .success(KernelLogFormat.fromKlogctl(buffer[...]))
        #else
        return .failure(Failure(reason: "not Linux"))
        #endif
    }

    /// The kernel log records of `/dev/kmsg`, read without blocking and formatted as dmesg prints them.
    static func readKmsg() -> Result<[UInt8], Failure> {
        let fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return .failure(Failure(reason: errnoText())) }
        defer { close(fd) }
        var records: [[UInt8]] = []
        var record = [UInt8](repeating: 0, count: 8192)
        while true {
            let count = record.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                records.append(Array(record[0..<count]))
            } else if count < 0 && errno == EPIPE {
                continue  // a record was overwritten while reading: go on with the next one
            } else {
                if count < 0 && errno != EAGAIN && records.isEmpty { return .failure(Failure(reason: errnoText())) }
                break
            }
        }
        return .success(KernelLogFormat.fromKmsg(records))
    }

    /// Reads one path the way its source wants; any failure is a reading, never an error.
    static func readSource(_ path: String, as reading: EvidenceSource.Reading) -> EvidenceReading {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return errno == ENOENT || errno == ENOTDIR ? .absent : .unreadable(errnoText())
        }
        switch reading {
        case .presence:
            return .text(EvidenceText([]))
        case .directoryListing:
            guard let directory = opendir(path) else { return .unreadable(errnoText()) }
            defer { closedir(directory) }
            var names: [String] = []
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name != "." && name != ".." { names.append(name) }
            }
            return .text(EvidenceText(Array(names.sorted().joined(separator: "\n").utf8)))
        case .content, .nulSeparated, .smbiosVMBit, .special:
            guard (info.st_mode & S_IFMT) != S_IFDIR else { return .unreadable("is a directory") }
            let result = readFile(path)
            guard case .text(let text) = result, reading != .content else { return result }
            var bytes = text.bytes
            if reading == .nulSeparated {
                for index in bytes.indices where bytes[index] == 0 { bytes[index] = 0x0A }
            } else if reading == .smbiosVMBit {
                // SMBIOS type 0: byte 1 is the structure length; byte 0x13 (BIOS characteristics
                // extension byte 2, SMBIOS 2.4+) has bit 4 "system is a virtual machine".
                guard bytes.count >= 20, bytes[1] >= 20 else { return .unreadable("SMBIOS type 0 record too short") }
                return .text(EvidenceText(Array((bytes[19] & 0x10 != 0 ? "1" : "0").utf8)))
            }
            return .text(EvidenceText(bytes))
        }
    }

    /// Files from this size on are mapped instead of read.
    static let mappingThreshold = 64 * 1024

    /// The whole file. A large regular file is mapped; /proc and /sys files report size 0,
    /// so they are read in small pieces until end of file.
    static func readFile(_ path: String) -> EvidenceReading {
        // O_NONBLOCK and the regular-file check: a FIFO or device in a snapshot never hangs us.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return errno == ENOENT ? .absent : .unreadable(errnoText()) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .unreadable(errnoText()) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return .unreadable("not a regular file") }
        let size = Int(info.st_size)
        if size >= mappingThreshold, let file = MappedFile(fd: fd, size: size) {
            return .text(EvidenceText(mapped: file))
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size > 0 ? size + 1 : 4096)
        let failure: String? = withUnsafeTemporaryAllocation(byteCount: 4096, alignment: 16) { chunk in
            while true {
                let count = read(fd, chunk.baseAddress, chunk.count)
                if count < 0 {
                    if errno == EINTR { continue }
                    return errnoText()
                }
                if count == 0 { return nil }
                bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
            }
        }
        if let failure { return .unreadable(failure) }
        return .text(EvidenceText(bytes))
    }

    static func errnoText() -> String {
        String(cString: strerror(errno)).lowercased()
    }
}

/// Turns the kernel's own log formats into the text `dmesg` prints, so that a rule pattern
/// sees the same lines in `faigen detect` as in `dmesg | pcre2grep`.
enum KernelLogFormat {
    /// klogctl lines start with `<N>` (syslog priority): dmesg drops it.
    static func fromKlogctl(_ raw: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var atLineStart = true
        var index = raw.startIndex
        while index < raw.endIndex {
            if atLineStart, raw[index] == UInt8(ascii: "<") {
                var cursor = index + 1
                while cursor < raw.endIndex, raw[cursor] >= 0x30, raw[cursor] <= 0x39 { cursor += 1 }
                if cursor < raw.endIndex, cursor > index + 1, raw[cursor] == UInt8(ascii: ">") { index = cursor + 1 }
            }
            atLineStart = false
            guard index < raw.endIndex else { break }
            let byte = raw[index]
            out.append(byte)
            if byte == 0x0A { atLineStart = true }
            index += 1
        }
        return out
    }

    /// /dev/kmsg records are `PRIO,SEQ,USEC,FLAGS;message` followed by ` KEY=value` lines;
    /// dmesg prints `[SECONDS.MICROS] message`, with message escapes (`\x0a`) kept as they are.
    static func fromKmsg(_ records: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        for record in records {
            guard let semicolon = record.firstIndex(of: UInt8(ascii: ";")) else { continue }
            let header = record[..<semicolon].split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            guard header.count >= 3, let micros = Int(String(decoding: header[2], as: UTF8.self)) else { continue }
            var end = record.index(after: semicolon)
            while end < record.endIndex, record[end] != 0x0A { end += 1 }
            let seconds = String(micros / 1_000_000)
            let fraction = String(micros % 1_000_000)
            let stamp = "[" + String(repeating: " ", count: max(0, 5 - seconds.count)) + seconds + "."
                + String(repeating: "0", count: 6 - fraction.count) + fraction + "] "
            out.append(contentsOf: stamp.utf8)
            out.append(contentsOf: record[record.index(after: semicolon)..<end])
            out.append(0x0A)
        }
        return out
    }
}
