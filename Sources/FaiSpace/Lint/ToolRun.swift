// ToolRun: one run of a checking program (`bash -n`, `setup-storage -s`) over one file, bounded in time and output.
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A program lint runs over one file, with the file on its standard input, bounded in time
/// (killed, with its whole process group, at the deadline) and in what it may print.
struct ToolRun {
    struct Result {
        /// The exit status; -1 when a signal ended it.
        var status: Int32
        /// What it printed (stderr, and stdout when asked), at most ``outputLimit`` bytes.
        var output: [UInt8]
        /// Killed at the deadline.
        var timedOut: Bool
    }

    /// Held while a pipe is made and while a child is spawned.
    private static let spawnLock = Mutex(())

    /// Diagnostics past this are read and dropped: a checker cannot make lint hold more.
    static let outputLimit = 64 * 1024

    /// Opens a file to give a tool on its standard input: a regular file of at most `limit`
    /// bytes, opened without blocking (a FIFO swapped in is refused, not waited on). Nil when
    /// it is not such a file.
    static func openInput(_ path: String, limit: Int) -> Int32? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) <= limit else {
            close(fd)
            return nil
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return fd
    }

    /// Runs `executable arguments` with `input` as stdin (closed here), stdout on /dev/null
    /// unless `includeStdout`, and `environment` (else faigen's own), for at most `seconds`.
    static func run(_ executable: String, _ arguments: [String], input: Int32, environment: [String]? = nil,
                    includeStdout: Bool = false, seconds: Double) throws(InputError) -> Result {
        defer { close(input) }
        var fds: [Int32] = [-1, -1]
        // The pipe is made close-on-exec under the lock every spawn here takes, so no child
        // that another thread starts meanwhile holds its write end (and keeps this read waiting).
        let piped = spawnLock.withLock { _ in
            guard pipe(&fds) == 0 else { return false }
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            return true
        }
        guard piped else {
            throw InputError(file: executable, "cannot make a pipe: \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input, 0)
        if includeStdout {
            posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
        // A process group of its own, so the deadline kills whatever it started too.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.map { strdup($0) } + [nil] }
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp ?? [] { free(pointer) }
        }
        var pid = pid_t()
        let spawned = spawnLock.withLock { _ in
            envp.map { posix_spawn(&pid, executable, &actions, &attributes, argv, $0) }
                ?? posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        }
        close(fds[1])
        guard spawned == 0 else {
            close(fds[0])
            throw InputError(file: executable, "cannot run: \(String(cString: strerror(spawned)))")
        }
        let deadline = monotonicSeconds() + seconds
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var timedOut = false
        while true {
            let remaining = deadline - monotonicSeconds()
            if remaining <= 0, !timedOut {
                timedOut = true
                kill(-pid, SIGKILL)
            }
            var poller = pollfd(fd: fds[0], events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, timedOut ? -1 : Int32(min(remaining * 1000 + 1, 60_000)))
            if ready < 0 && errno == EINTR { continue }
            if ready == 0 { continue }
            let count = buffer.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            if output.count < outputLimit { output += buffer[0..<min(count, outputLimit - output.count)] }
        }
        close(fds[0])
        // It closed its output; it may still run (a child holding nothing open): the deadline holds.
        var status: Int32 = 0
        while true {
            let waited = waitpid(pid, &status, WNOHANG)
            if waited == pid || (waited < 0 && errno != EINTR) { break }
            if waited == 0 {
                if !timedOut, monotonicSeconds() >= deadline {
                    timedOut = true
                    kill(-pid, SIGKILL)
                }
                usleep(2_000)
            }
        }
        // WIFEXITED / WEXITSTATUS, which Swift does not import as functions.
        let exitStatus: Int32 = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : -1
        return Result(status: exitStatus, output: output, timedOut: timedOut)
    }

    private static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
