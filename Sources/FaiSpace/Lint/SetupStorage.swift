// SetupStorage: FAI's own disk_config parser (`setup-storage -s`) run over one file, where it cannot touch a disk.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Runs `setup-storage -s` (Debian package fai-setup-storage) over a disk_config file.
///
/// `-s` parses the file with FAI's grammar and checks it (`check_config`), then exits
/// before setup-storage looks at a disk; read `/usr/sbin/setup-storage`. To keep it that way
/// whatever the file says:
/// - the file comes on standard input (`-f -`), so no config-space path reaches perl's
///   two-argument `open`;
/// - as root it runs as nobody (`setpriv --reuid=65534 --regid=65534 --clear-groups
///   --no-new-privs`), who cannot open a disk for writing; never `-X`;
/// - `disklist` is set (no `fai-disk-info`), to the names `-s` itself gives `disk1`,
///   `disk2`, ... (`sdxa`, `sdxb`, ...), so a `disk1.2` reference resolves;
/// - `LOGDIR` and `-L` are a scratch directory of its own, removed afterwards;
/// - the environment is only PATH, LOGDIR, disklist, HOME and LC_ALL, and the run is killed
///   at lint's time limit (``LintLimits/toolSeconds``).
public enum SetupStorage {
    public static let executable = "/usr/sbin/setup-storage"
    static let setpriv = "/usr/bin/setpriv"

    public enum Outcome: Sendable, Hashable {
        case parses
        /// FAI's error, at the line it names (1 when it names none).
        case error(line: Int, message: String)
        case timedOut
        /// Not run: setup-storage not installed, nothing safe to run it as, or the file is
        /// not a regular file within the size limit.
        case notChecked
    }

    /// Whether FAI's parser is installed here.
    public static var isInstalled: Bool { access(executable, X_OK) == 0 }

    public static func check(file: String, limits: LintLimits = .standard) -> Outcome {
        guard isInstalled else { return .notChecked }
        let asRoot = geteuid() == 0
        if asRoot, access(setpriv, X_OK) != 0 { return .notChecked }
        var template = Array("/tmp/faigen-setup-storage-XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else { return .notChecked }
        let scratch = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { removeScratch(scratch) }
        if asRoot { _ = chown(scratch, 65534, 65534) }
        guard let input = ToolRun.openInput(file, limit: limits.maxFileBytes) else { return .notChecked }
        let disks = (0..<26).map { "sdx" + String(UnicodeScalar(UInt8(ascii: "a") + UInt8($0))) }.joined(separator: " ")
        let environment = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LOGDIR=\(scratch)", "disklist=\(disks)",
                           "HOME=\(scratch)", "LC_ALL=C"]
        let command = [executable, "-s", "-L", scratch, "-f", "-"]
        let result: ToolRun.Result
        do {
            if asRoot {
                result = try ToolRun.run(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", "--no-new-privs"] + command,
                                         input: input, environment: environment, includeStdout: true, seconds: limits.toolSeconds)
            } else {
                result = try ToolRun.run(executable, Array(command.dropFirst()), input: input, environment: environment,
                                         includeStdout: true, seconds: limits.toolSeconds)
            }
        } catch {
            return .notChecked
        }
        if result.timedOut { return .timedOut }
        guard result.status != 0 else { return .parses }
        let (line, message) = parse(String(decoding: result.output, as: UTF8.self))
        return .error(line: line, message: message)
    }

    /// setup-storage's error: the Parse::RecDescent `ERROR (line N): ...` report (its
    /// indented continuation lines joined), preferring the `Invalid line` one that names the
    /// line it could not read; else the last line it died with, at line 1.
    static func parse(_ output: String) -> (Int, String) {
        var reports: [(line: Int, text: String)] = []
        var others: [String] = []
        for raw in output.split(separator: "\n") {
            let text = raw.trimmingCharacters(in: " \t")
            guard !text.isEmpty else { continue }
            if text.hasPrefix("ERROR (line "), let close = text.firstIndex(of: ")"),
               let number = Int(text[text.index(text.startIndex, offsetBy: "ERROR (line ".count)..<close]) {
                let message = text[text.index(after: close)...].drop { $0 == ":" || $0 == " " }
                reports.append((number, String(message)))
            } else if raw.hasPrefix(" ") || raw.hasPrefix("\t"), !reports.isEmpty {
                reports[reports.count - 1].text += " " + text
            } else if !noise.contains(where: { text.hasPrefix($0) }) {
                others.append(String(text))
            }
        }
        if let report = reports.first(where: { $0.text.hasPrefix("Invalid line") }) ?? reports.first {
            return (max(report.line, 1), report.text)
        }
        return (1, others.last ?? "setup-storage -s rejected the file")
    }

    /// Lines setup-storage prints on every run.
    private static let noise = ["setup-storage is running in test-only mode", "Starting setup-storage", "Using config file:",
                                "No disks defined", "Syntax error", "Created data directory"]

    private static func removeScratch(_ directory: String) {
        if let dir = opendir(directory) {
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self) }
                if name != "." && name != ".." { unlink(directory + "/" + name) }
            }
            closedir(dir)
        }
        rmdir(directory)
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in blanks: String) -> Substring {
        let set = Set(blanks)
        guard let first = firstIndex(where: { !set.contains($0) }), let last = lastIndex(where: { !set.contains($0) }) else { return self[endIndex...] }
        return self[first...last]
    }
}
