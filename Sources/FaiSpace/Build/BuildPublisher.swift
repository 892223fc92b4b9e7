// BuildPublisher: puts a build into OUTPUT/VERSION/ whole or not at all; a published version never changes.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What publishing did.
public enum PublishResult: Sendable, Equatable {
    /// `OUTPUT/VERSION` was made.
    case published(directory: String)
    /// `OUTPUT/VERSION` already held exactly these files: nothing changed.
    case alreadyPublished(directory: String)
}

/// Publishes builds into an output directory, one directory per version:
///
/// - the files are written into a fresh temporary directory inside OUTPUT
///   (`.faigen-build-XXXXXX`), each written and fsync'd, the directory fsync'd, and then the
///   directory is renamed to `VERSION` in one step: archive, manifest and sums appear
///   together or not at all, also when faigen is killed or the disk fills (then the
///   temporary directory is removed, or, after a kill, by the next build);
/// - a version that exists already with the same files is left alone (a no-op); with other
///   files it is an error, and nothing changes: a published version never changes;
/// - one build (or render) at a time per OUTPUT, by ``OutputLock`` (`flock(2)` on
///   `OUTPUT/.faigen/lock`, which the kernel releases when the process ends).
public enum BuildPublisher {
    static let temporaryPrefix = ".faigen-build-"

    public static func publish(_ build: ConfigSpaceBuild, into output: String) throws(InputError) -> PublishResult {
        let lock = try OutputLock.acquire(output, wait: false)
        defer { lock.release() }
        for name in try FileSystem.listDirectory(output) where name.hasPrefix(temporaryPrefix) {
            try removeBuildDirectory(output.joiningPath(name))
        }
        let target = output.joiningPath(build.version)
        if let status = try FileSystem.status(target) {
            guard status.kind == .directory else {
                throw InputError(file: target, "exists and is not a build directory", hint: "move it away, then build again")
            }
            let names = try FileSystem.listDirectory(target)
            let same = names == build.files.map(\.name).sorted() && build.files.allSatisfy { file in
                (try? FileSystem.readFile(target.joiningPath(file.name))) == file.contents
            }
            guard same else {
                throw InputError(file: target, "version \(build.version) is already published with other content",
                                 hint: "a published version never changes: change the spec's version: or build into another --output")
            }
            return .alreadyPublished(directory: target)
        }
        let temporary = try makeTemporaryDirectory(in: output)
        do throws(InputError) {
            for file in build.files {
                do throws(InputError) {
                    try FileSystem.writeFileAtomically(temporary.joiningPath(file.name), contents: file.contents, mode: 0o644)
                } catch {
                    // Named where it was going: the temporary directory is gone when the user reads this.
                    var located = error
                    located.location = SourceLocation(file: target.joiningPath(file.name))
                    throw located
                }
            }
            // mkdtemp makes 0700; a web server must read it.
            try FileSystem.changeMode(temporary, 0o755)
            try FileSystem.syncFileSystem(of: temporary)
            guard rename(temporary, target) == 0 else {
                throw InputError(file: target, "cannot rename the build into place: \(FileSystem.errorText())")
            }
        } catch {
            try? removeBuildDirectory(temporary)
            throw error
        }
        try FileSystem.syncFileSystem(of: output)
        return .published(directory: target)
    }

    private static func makeTemporaryDirectory(in output: String) throws(InputError) -> String {
        guard let made = FileSystem.makeTemporaryDirectory(prefix: output.joiningPath(temporaryPrefix)) else {
            throw InputError(file: output, "cannot create a directory in it: \(FileSystem.errorText())",
                             hint: "give an --output directory faigen can write")
        }
        return made
    }

    /// Removes a temporary build directory: it holds only the build's files and their temporaries.
    private static func removeBuildDirectory(_ directory: String) throws(InputError) {
        guard try FileSystem.status(directory)?.kind == .directory else { return }
        for name in try FileSystem.listDirectory(directory) {
            try FileSystem.remove(directory.joiningPath(name), sync: false)
        }
        guard FileSystem.removeEmptyDirectory(directory) else {
            throw InputError(file: directory, "cannot remove a build's temporary directory: \(FileSystem.errorText())")
        }
    }
}
