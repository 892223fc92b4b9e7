// OutputLock: one render (or build) at a time per output directory, by flock(2) on OUTDIR/.faigen/lock.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock on an output directory, held from before a render reads the directory
/// until after it wrote its manifest.
///
/// The lock is `flock(2)` on `OUTDIR/.faigen/lock`: the kernel drops it when the process
/// ends, so a render killed at any moment leaves nothing stuck. The file holds the holder's
/// process id (for the message another render prints) and is removed on release, so it is
/// there only while a render runs (or after one was killed, harmless). A render that takes
/// the lock checks that the file it locked is still the one at the path, so removing it
/// cannot let two renders in. Directories made to hold the lock (OUTDIR, `.faigen`) are
/// removed again on release when nothing else went into them.
public final class OutputLock {
    public let outputDirectory: String
    private var descriptor: Int32
    private let created: [String]

    static let name = ".faigen/lock"

    private init(outputDirectory: String, descriptor: Int32, created: [String]) {
        self.outputDirectory = outputDirectory
        self.descriptor = descriptor
        self.created = created
    }

    deinit { release() }

    /// Takes the lock on `outputDirectory`, creating it (and `.faigen`) when missing. When
    /// another process holds it: waits when `wait` (telling `waiting` first, once), else
    /// throws at once, naming the holder.
    public static func acquire(_ outputDirectory: String, wait: Bool,
                               waiting: ((String) -> Void)? = nil) throws(InputError) -> OutputLock {
        if let status = try FileSystem.status(outputDirectory), status.kind != .directory,
           FileSystem.resolvedStatus(outputDirectory)?.kind != .directory {
            throw InputError(file: outputDirectory, "exists and is not a directory", hint: "give a directory to render into")
        }
        var created: [String] = []
        let faigenDirectory = outputDirectory.joiningPath(".faigen")
        let lockFile = outputDirectory.joiningPath(name)
        do throws(InputError) {
            // Bounded: each round either locks the file at the path or saw it replaced meanwhile.
            for _ in 0..<1000 {
                created += try makeMissingDirectories(outputDirectory)
                switch try FileSystem.status(faigenDirectory)?.kind {
                case nil:
                    if mkdir(faigenDirectory, 0o755) == 0 {
                        created.append(faigenDirectory)
                        try FileSystem.changeMode(faigenDirectory, 0o755)  // not the umask's
                    } else if errno != EEXIST {
                        throw InputError(file: faigenDirectory, "cannot create directory: \(FileSystem.errorText())")
                    }
                case .directory?:
                    break
                default:
                    throw InputError(file: faigenDirectory, "is not a directory; faigen keeps its manifest and lock there",
                                     hint: "move it away, then render again")
                }
                let fd = open(lockFile, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o644)
                if fd < 0 {
                    if errno == ENOENT { continue }  // .faigen was removed meanwhile: make it again
                    throw InputError(file: lockFile, "cannot open the lock: \(FileSystem.errorText())",
                                     hint: "faigen must be able to write into OUTDIR/.faigen")
                }
                var result: Int32
                repeat { result = flock(fd, LOCK_EX | LOCK_NB) } while result != 0 && errno == EINTR
                if result != 0, errno == EWOULDBLOCK {
                    let holder = readHolder(fd).map { " (process \($0))" } ?? ""
                    if wait {
                        waiting?("another faigen\(holder) is rendering into \(outputDirectory); waiting for it to finish")
                        repeat { result = flock(fd, LOCK_EX) } while result != 0 && errno == EINTR
                    } else {
                        close(fd)
                        throw InputError(file: outputDirectory, "another faigen\(holder) is rendering into this directory",
                                         hint: "render again when it has finished, or give --wait to wait for it")
                    }
                }
                if result != 0 {
                    let code = errno
                    close(fd)
                    throw InputError(file: lockFile, "cannot lock: \(FileSystem.errorText(code))")
                }
                var locked = stat(), atPath = stat()
                if fstat(fd, &locked) == 0, lstat(lockFile, &atPath) == 0,
                   locked.st_dev == atPath.st_dev, locked.st_ino == atPath.st_ino {
                    let pid = Array("\(getpid())\n".utf8)
                    _ = ftruncate(fd, 0)
                    _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
                    return OutputLock(outputDirectory: outputDirectory, descriptor: fd, created: created)
                }
                close(fd)  // the holder before us removed the file: lock the new one
            }
            throw InputError(file: lockFile, "cannot take the lock: it keeps being replaced", hint: "render again")
        } catch {
            for directory in created.reversed() { FileSystem.removeEmptyDirectory(directory) }
            throw error
        }
    }

    /// Releases the lock: the lock file goes, and so do the directories made for it when empty.
    public func release() {
        guard descriptor >= 0 else { return }
        unlink(outputDirectory.joiningPath(Self.name))
        close(descriptor)
        descriptor = -1
        for directory in created.reversed() { FileSystem.removeEmptyDirectory(directory) }
    }

    /// The process id written into the lock file by the process that holds it, if any.
    private static func readHolder(_ fd: Int32) -> Int? {
        var buffer = [UInt8](repeating: 0, count: 16)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int(String(decoding: buffer[0..<count], as: UTF8.self).trimmingSuffix("\n"))
    }

    /// Creates the missing directories of `path`, outermost first; returns those it created.
    private static func makeMissingDirectories(_ path: String) throws(InputError) -> [String] {
        var missing: [String] = []
        var current = path
        // parentPath is always shorter, so this walk ends.
        while !current.isEmpty, try FileSystem.status(current) == nil {
            missing.append(current)
            current = current.parentPath
        }
        var created: [String] = []
        for directory in missing.reversed() {
            if mkdir(directory, 0o755) == 0 {
                created.append(directory)
                try FileSystem.changeMode(directory, 0o755)
            } else if errno != EEXIST {
                throw InputError(file: directory, "cannot create directory: \(FileSystem.errorText())")
            }
        }
        return created
    }
}

private extension String {
    func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}
