// faigen render end to end: a base copied exactly, the manifest, and bad input as one line and exit 2.
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The tree as `find` lists it (type, mode with setuid/sticky, path, link target) plus
/// `diff -r` on the contents: an independent check of what faigen wrote.
private func listing(_ root: String) throws -> [String] {
    let find = try requireTool("/usr/bin/find", package: "findutils")
    let result = try run(find, [root, "-mindepth", "1", "-not", "-path", root + "/.faigen*", "-printf", "%y %m %P %l\n"])
    return result.stdout.split(separator: "\n").map(String.init).sorted()
}

private func sameTree(_ expected: String, _ actual: String) throws {
    #expect(try listing(expected) == listing(actual))
    let diff = try run(try requireTool("/usr/bin/diff", package: "diffutils"),
                       ["-r", "--no-dereference", "-x", ".faigen", expected, actual])
    #expect(diff.status == 0, "\(diff.stdout)")
}

private func writeSpec(_ directory: URL, _ text: String = "site: lab\nversion: 1\n") throws -> String {
    let path = directory.appendingPathComponent("spec.yaml").path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
}

@Suite struct RenderCommandTests {
    @Test func baseFaiDocExampleIsCopiedIdentical() throws {
        _ = try requireTool(faiDocExample + "/class/50-host-classes", package: "fai-doc")
        let dir = try scratchDirectory()
        let out = dir.appendingPathComponent("OUT").path
        let result = try faigen("render", "--base", faiDocExample, "--spec", try writeSpec(dir), out)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "rendered site lab 1 into \(out): 86 written, 0 unchanged, 0 removed, 0 kept (edited by hand)\n")
        #expect(result.stderr == "")
        try sameTree(faiDocExample, out)
        let entries = try FileManager.default.contentsOfDirectory(atPath: out + "/.faigen")
        #expect(entries == ["manifest"])
        let again = try faigen("render", "--base", faiDocExample, "--spec", try writeSpec(dir), out)
        #expect(again.stdout.contains("0 written, 86 unchanged"))
    }

    @Test func setuidStickyAndSymlinksSurviveTheCommandLine() throws {
        let dir = try scratchDirectory()
        let base = dir.appendingPathComponent("base")
        try FileManager.default.createDirectory(at: base.appendingPathComponent("files/usr/bin/tool"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: base.appendingPathComponent("tests/empty"), withIntermediateDirectories: true)
        let tool = base.appendingPathComponent("files/usr/bin/tool/DEBIAN").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: tool))
        #expect(chmod(tool, 0o4755) == 0)
        #expect(chmod(base.appendingPathComponent("tests/empty").path, 0o1777) == 0)
        #expect(symlink("../gone", base.appendingPathComponent("files/dangling").path) == 0)
        let out = dir.appendingPathComponent("out").path
        let result = try faigen("render", "--base", base.path, "--spec", try writeSpec(dir), out)
        #expect(result.status == 0, "\(result.stderr)")
        try sameTree(base.path, out)
        #expect(try listing(out).contains("f 4755 files/usr/bin/tool/DEBIAN "))
    }

    @Test func umaskDoesNotDecideModes() throws {
        _ = try requireTool(faiDocExample + "/class/50-host-classes", package: "fai-doc")
        let dir = try scratchDirectory()
        let out = dir.appendingPathComponent("out").path
        let result = try run("/bin/sh", ["-c", "umask 077 && exec \"$0\" render --base \"$1\" --spec \"$2\" \"$3\"",
                                         faigenBinary.path, faiDocExample, try writeSpec(dir), out])
        #expect(result.status == 0, "\(result.stderr)")
        try sameTree(faiDocExample, out)
        let find = try run("/usr/bin/find", [out, "-maxdepth", "1", "-name", ".faigen", "-printf", "%m"])
        #expect(find.stdout == "755")
    }

    @Test func handEditIsAWarningAndForceOverwrites() throws {
        let dir = try scratchDirectory()
        let base = dir.appendingPathComponent("base")
        try FileManager.default.createDirectory(at: base.appendingPathComponent("class"), withIntermediateDirectories: true)
        try Data("A=1\n".utf8).write(to: base.appendingPathComponent("class/FAIBASE.var"))
        let out = dir.appendingPathComponent("out")
        let spec = try writeSpec(dir)
        #expect(try faigen("render", "--base", base.path, "--spec", spec, out.path).status == 0)
        try Data("A=2\n".utf8).write(to: out.appendingPathComponent("class/FAIBASE.var"))
        let kept = try faigen("render", "--base", base.path, "--spec", spec, out.path)
        #expect(kept.status == 0)
        #expect(kept.stderr == "faigen: warning: \(out.path)/class/FAIBASE.var: edited by hand since faigen wrote it; left alone (--force overwrites)\n")
        #expect(kept.stdout.contains("1 kept (edited by hand)"))
        #expect(FileManager.default.contents(atPath: out.appendingPathComponent("class/FAIBASE.var").path) == Data("A=2\n".utf8))
        let forced = try faigen("render", "--force", "--base", base.path, "--spec", spec, out.path)
        #expect(forced.status == 0)
        #expect(FileManager.default.contents(atPath: out.appendingPathComponent("class/FAIBASE.var").path) == Data("A=1\n".utf8))
    }

    @Test func specIsLookedUpInTheCurrentDirectory() throws {
        let dir = try scratchDirectory()
        try Data("site: here\nversion: 7\n".utf8).write(to: dir.appendingPathComponent("faigen.yaml"))
        let result = try faigen("render", "out", directory: dir)
        #expect(result.stdout.hasPrefix("rendered site here 7 into out: "))
        let fallback = try faigen("render", "out", directory: try scratchDirectory())
        #expect(fallback.status == 0, "\(fallback.stderr)")
        #expect(fallback.stdout.hasPrefix("rendered site starter "))
    }

    /// Runs faigen render on bad input: exit 2, one line on stderr, OUT not created.
    func expectOneLineError(_ arguments: [String], _ expected: String, in dir: URL,
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
        let out = dir.appendingPathComponent("out-never").path
        let result = try run(faigenBinary.path, ["render"] + arguments + [out], directory: dir)
        #expect(result.status == 2, sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("faigen: error: " + expected), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.filter { $0 == "\n" }.count == 1, sourceLocation: sourceLocation)
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"), sourceLocation: sourceLocation)
        #expect(!FileManager.default.fileExists(atPath: out), sourceLocation: sourceLocation)
    }

    @Test func specNamedThroughASymlinkIsRead() throws {
        let dir = try scratchDirectory()
        try Data("site: linked\nversion: 3\n".utf8).write(to: dir.appendingPathComponent("site.yaml"))
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("faigen.yaml").path,
                                                   withDestinationPath: "site.yaml")
        let result = try faigen("render", "--spec", "faigen.yaml", "out", directory: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("rendered site linked 3 into out: "))
    }

    @Test func specThatIsNotARegularFile() throws {
        let dir = try scratchDirectory()
        let fifo = dir.appendingPathComponent("fifo.yaml").path
        #expect(mkfifo(fifo, 0o644) == 0)
        try expectOneLineError(["--spec", fifo], "\(fifo):1:1: not a regular file", in: dir)
        try expectOneLineError(["--spec", dir.path], "\(dir.path):1:1: not a regular file", in: dir)
        let missing = dir.appendingPathComponent("missing.yaml").path
        try expectOneLineError(["--spec", missing], "\(missing):1:1: no such file", in: dir)
    }

    @Test func specThatIsNotYAML() throws {
        let dir = try scratchDirectory()
        let spec = try writeSpec(dir, "site: [lab\nversion: 1\n")
        try expectOneLineError(["--spec", spec], "\(spec):2:8: not YAML: ", in: dir)
        let binary = dir.appendingPathComponent("binary.yaml").path
        try Data([0x73, 0x3A, 0x20, 0xFF, 0x00]).write(to: URL(fileURLWithPath: binary))
        try expectOneLineError(["--spec", binary], "\(binary):1:4: binary file", in: dir)
    }

    @Test func unknownSpecKeyWithLineAndColumn() throws {
        let dir = try scratchDirectory()
        let spec = try writeSpec(dir, "site: lab\nversion: 1\n  # a comment\ncolour: red\n")
        try expectOneLineError(["--spec", spec], "\(spec):4:1: unknown key 'colour' in the site spec (known keys: site, version, detect, classes, grub_legacy, ganeti, nfsroot, hosts, boot)", in: dir)
    }

    @Test func binaryPackageListInTheBase() throws {
        let dir = try scratchDirectory()
        let base = dir.appendingPathComponent("base")
        try FileManager.default.createDirectory(at: base.appendingPathComponent("package_config"), withIntermediateDirectories: true)
        try Data([0x50, 0x41, 0x0A, 0x7F, 0x45, 0x4C, 0x46, 0x00]).write(to: base.appendingPathComponent("package_config/DEBIAN"))
        try expectOneLineError(["--spec", try writeSpec(dir), "--base", base.path],
                               "\(base.path)/package_config/DEBIAN:2:5: binary file (NUL byte) where a package list should be", in: dir)
    }

    @Test func danglingSymlinkWhereAPackageListShouldBe() throws {
        let dir = try scratchDirectory()
        let base = dir.appendingPathComponent("base")
        try FileManager.default.createDirectory(at: base.appendingPathComponent("package_config"), withIntermediateDirectories: true)
        #expect(symlink("../lists/DEBIAN", base.appendingPathComponent("package_config/DEBIAN").path) == 0)
        try expectOneLineError(["--spec", try writeSpec(dir), "--base", base.path],
                               "\(base.path)/package_config/DEBIAN: dangling symlink (to ../lists/DEBIAN) where a package list should be", in: dir)
    }

    @Test func directoryWhereAPackageListShouldBe() throws {
        let dir = try scratchDirectory()
        let base = dir.appendingPathComponent("base")
        try FileManager.default.createDirectory(at: base.appendingPathComponent("package_config/DEBIAN"), withIntermediateDirectories: true)
        try expectOneLineError(["--spec", try writeSpec(dir), "--base", base.path],
                               "\(base.path)/package_config/DEBIAN: a directory where a package list should be", in: dir)
        // A spec path that is a directory is the same kind of mistake.
        try expectOneLineError(["--spec", base.path], "\(base.path):1:1: not a regular file", in: dir)
    }

    @Test func fifoInTheBaseIsRefusedWithoutBlocking() throws {
        let dir = try scratchDirectory()
        let base = dir.appendingPathComponent("base")
        try FileManager.default.createDirectory(at: base.appendingPathComponent("files/etc/motd"), withIntermediateDirectories: true)
        #expect(mkfifo(base.appendingPathComponent("files/etc/motd/DEFAULT").path, 0o644) == 0)
        try expectOneLineError(["--spec", try writeSpec(dir), "--base", base.path],
                               "\(base.path)/files/etc/motd/DEFAULT: is a FIFO, not a file, directory or symlink", in: dir)
    }

    /// Root reads a mode-000 file anyway, so as root the file is read by faigen run as
    /// `nobody` (setpriv); as another user the mode alone makes it unreadable.
    @Test func unreadableFileInTheBase() throws {
        let dir = try scratchDirectory()
        #expect(chmod(dir.path, 0o755) == 0)
        let base = dir.appendingPathComponent("base")
        try FileManager.default.createDirectory(at: base.appendingPathComponent("class"), withIntermediateDirectories: true)
        let secret = base.appendingPathComponent("class/SECRET.var").path
        try Data("PW=x\n".utf8).write(to: URL(fileURLWithPath: secret))
        #expect(chmod(secret, 0o000) == 0)
        let spec = try writeSpec(dir)
        let out = dir.appendingPathComponent("out").path
        let result: RunResult
        if geteuid() == 0 {
            // The binary is copied beside the tree so that `nobody` can run it wherever the build is.
            let binary = dir.appendingPathComponent("faigen").path
            try FileManager.default.copyItem(atPath: faigenBinary.path, toPath: binary)
            let setpriv = try requireTool("/usr/bin/setpriv", package: "util-linux")
            result = try run(setpriv, ["--reuid=nobody", "--regid=nogroup", "--clear-groups", binary,
                                       "render", "--spec", spec, "--base", base.path, out])
        } else {
            result = try faigen("render", "--spec", spec, "--base", base.path, out)
        }
        #expect(result.status == 2)
        #expect(result.stderr == "faigen: error: \(secret): cannot read: Permission denied (make the file readable for faigen)\n")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
