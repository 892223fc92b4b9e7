// SetupStorage: FAI's own disk_config parser (`setup-storage -s`) run over one file, where it cannot touch a disk.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Runs `setup-storage -s` (Debian package fai-setup-storage) over disk_config files.
///
/// `-s` parses a file with FAI's grammar and checks it (`check_config`), then exits before
/// setup-storage looks at a disk; read `/usr/sbin/setup-storage`. Loading its grammar costs
/// perl about 0.4 s, so one perl loads FAI's modules once and, for each file, forks a child
/// that runs setup-storage itself (`do "/usr/sbin/setup-storage"` with `-s -L DIR -f FILE`):
/// the same program and parser, a tenth of the cost. To keep it away from any disk whatever
/// a file says:
/// - the files are copies of the bytes lint read, in a scratch directory of faigen's own
///   (`DIR/in/N`), so no config-space path reaches perl's two-argument `open`;
/// - as root it runs as nobody (`setpriv --reuid=65534 --regid=65534 --clear-groups
///   --no-new-privs`), who cannot open a disk for writing; never `-X`;
/// - `disklist` is set (no `fai-disk-info`), to the names `-s` itself gives `disk1`,
///   `disk2`, ... (`sdxa`, `sdxb`, ...), so a `disk1.2` reference resolves;
/// - `LOGDIR` and `-L` are the scratch `DIR/log`; the scratch directory is removed afterwards;
/// - the environment is only PATH, LOGDIR, disklist, HOME and LC_ALL; each child is ended by
///   `alarm` at lint's time limit (``LintLimits/toolSeconds``), and the whole run is killed
///   at that limit times the number of files, plus one.
public enum SetupStorage {
    public static let executable = "/usr/sbin/setup-storage"
    static let perl = "/usr/bin/perl"
    static let setpriv = "/usr/bin/setpriv"

    public enum Outcome: Sendable, Hashable {
        case parses
        /// FAI's error, at the line it names (1 when it names none).
        case error(line: Int, message: String)
        case timedOut
        /// Not run: setup-storage not installed, or nothing safe to run it as.
        case notChecked
    }

    /// Whether FAI's parser is installed here.
    public static var isInstalled: Bool { access(executable, X_OK) == 0 && access(perl, X_OK) == 0 }

    /// The perl that loads setup-storage's modules once and runs setup-storage -s in a child per file.
    static let driver = """
        use strict;
        use warnings;
        use lib "/usr/share/fai/setup-storage";
        package FAI;
        use Init; use Volumes; use Parser; use Sizes; use Commands; use Fstab; use Exec;
        package main;
        $| = 1;
        my ($dir, $count, $seconds) = @ARGV;
        for my $index (0 .. $count - 1) {
          my $pid = fork();
          die "fork: $!\n" unless defined $pid;
          if ($pid == 0) {
            alarm($seconds);
            @ARGV = ("-s", "-L", "$dir/log", "-f", "$dir/in/$index");
            do "\(executable)";
            print STDERR $@ if $@;
            exit 2;
          }
          waitpid($pid, 0);
          print "\n\(marker)$index $?\n";
        }
        """
    static let marker = "=== faigen setup-storage "

    /// One outcome per file, in order.
    public static func check(_ files: [[UInt8]], limits: LintLimits = .standard) -> [Outcome] {
        let none = [Outcome](repeating: .notChecked, count: files.count)
        guard !files.isEmpty, isInstalled else { return none }
        let asRoot = geteuid() == 0
        if asRoot, access(setpriv, X_OK) != 0 { return none }
        guard let scratch = FileSystem.makeTemporaryDirectory(prefix: "/tmp/faigen-setup-storage-") else { return none }
        defer { removeScratch(scratch) }
        guard chmod(scratch, 0o755) == 0, mkdir(scratch + "/in", 0o755) == 0, mkdir(scratch + "/log", 0o700) == 0 else { return none }
        if asRoot { _ = chown(scratch + "/log", 65534, 65534) }
        for (index, contents) in files.enumerated() {
            do { try FileSystem.writeFileAtomically(scratch + "/in/\(index)", contents: contents, mode: 0o644) } catch { return none }
        }
        guard let input = openDevNull() else { return none }
        let disks = (0..<26).map { "sdx" + String(UnicodeScalar(UInt8(ascii: "a") + UInt8($0))) }.joined(separator: " ")
        let environment = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LOGDIR=\(scratch)/log", "disklist=\(disks)",
                           "HOME=\(scratch)/log", "LC_ALL=C"]
        let seconds = max(1, Int(limits.toolSeconds.rounded(.up)))
        let command = [perl, "-e", driver, scratch, String(files.count), String(seconds)]
        let result: ToolRun.Result
        do {
            result = try ToolRun.run(asRoot ? setpriv : perl,
                                     (asRoot ? ["--reuid=65534", "--regid=65534", "--clear-groups", "--no-new-privs"] + command : Array(command.dropFirst())),
                                     input: input, environment: environment, includeStdout: true,
                                     seconds: limits.toolSeconds * Double(files.count + 1))
        } catch {
            return none
        }
        var outcomes = [Outcome](repeating: result.timedOut ? .timedOut : .notChecked, count: files.count)
        var segment = ""
        for line in String(decoding: result.output, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix(marker) else {
                segment += line
                segment += "\n"
                continue
            }
            let fields = line.dropFirst(marker.count).split(separator: " ")
            if fields.count == 2, let index = Int(fields[0]), let status = Int32(fields[1]), outcomes.indices.contains(index) {
                if status == 0 {
                    outcomes[index] = .parses
                } else if status & 0x7F == SIGALRM || status & 0x7F == SIGKILL {
                    outcomes[index] = .timedOut
                } else {
                    let (line, message) = parse(segment)
                    outcomes[index] = .error(line: line, message: message)
                }
            }
            segment = ""
        }
        return outcomes
    }

    private static func openDevNull() -> Int32? {
        let fd = open("/dev/null", O_RDONLY | O_CLOEXEC)
        return fd >= 0 ? fd : nil
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

    /// Removes the scratch directory and what is in it (two levels: in/, log/).
    private static func removeScratch(_ directory: String) {
        for sub in ["in", "log"] { removeFiles(directory + "/" + sub); rmdir(directory + "/" + sub) }
        removeFiles(directory)
        rmdir(directory)
    }

    private static func removeFiles(_ directory: String) {
        guard let dir = opendir(directory) else { return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if name != "." && name != ".." { unlink(directory + "/" + name) }
        }
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in blanks: String) -> Substring {
        let set = Set(blanks)
        guard let first = firstIndex(where: { !set.contains($0) }), let last = lastIndex(where: { !set.contains($0) }) else { return self[endIndex...] }
        return self[first...last]
    }
}
