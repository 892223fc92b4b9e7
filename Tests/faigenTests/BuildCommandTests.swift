// BuildCommandTests: faigen build writes a reproducible, verifiable, never-half-written version directory.
import FaiSpace
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// What stands at each path below `root` (lstat, readlink), relative paths, `.faigen/` of a
/// render left out when `withoutFaigen`: mode, type and bytes, to compare trees exactly.
func modeTree(_ root: String, withoutFaigen: Bool = false) -> [String: String] {
    var result: [String: String] = [:]
    func walk(_ relative: String) {
        let directory = relative.isEmpty ? root : root + "/" + relative
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names {
            if relative.isEmpty, withoutFaigen, name == ".faigen" { continue }
            let path = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard lstat(root + "/" + path, &info) == 0 else { continue }
            let mode = String(UInt32(info.st_mode) & 0o7777, radix: 8)
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                result[path] = "directory \(mode)"
                walk(path)
            case S_IFLNK:
                result[path] = "symlink -> \((try? FileManager.default.destinationOfSymbolicLink(atPath: root + "/" + path)) ?? "?")"
            case S_IFREG:
                result[path] = "file \(mode) \(sha256Hex([UInt8](FileManager.default.contents(atPath: root + "/" + path) ?? Data())))"
            default:
                result[path] = "other \(mode)"
            }
        }
    }
    walk("")
    return result
}

/// A hand-written base config space with what a tar must carry exactly: scripts, a package
/// list, a symlink (dangling too), an empty directory, a path longer than ustar's 100 bytes,
/// a name with a space. `order` reverses the creation order; `umask` is the checkout's.
func makeBase(_ root: URL, reversed: Bool = false, umask mask: String = "022", mtime: String = "2020-01-01") throws {
    let long = "files/etc/" + String(repeating: "long-directory-name/", count: 6) + "app.conf"
    var steps = [
        "mkdir -p class && printf '#!/bin/sh\\necho WEB\\n' > class/50-host-classes && chmod +x class/50-host-classes",
        "mkdir -p package_config && printf 'PACKAGES install\\nvim\\n' > package_config/BASE",
        "mkdir -p files/etc/motd && printf 'hello\\n' > 'files/etc/motd/WITH SPACE' && ln -s 'WITH SPACE' files/etc/motd/DEFAULT",
        "mkdir -p files/etc/gone && ln -s /nowhere files/etc/gone/DEFAULT",
        "mkdir -p basefiles/empty",
        "mkdir -p \((long as NSString).deletingLastPathComponent) && printf 'x=1\\n' > \(long)",
        "mkdir -p scripts/BASE && printf '#!/bin/sh\\ntrue\\n' > scripts/BASE/10-true && chmod +x scripts/BASE/10-true",
    ]
    if reversed { steps.reverse() }
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    let script = "set -e; umask \(mask); cd '\(root.path)'; " + steps.joined(separator: "; ")
        + "; find . -exec touch -h -d \(mtime) {} +"
    let result = try run("/bin/sh", ["-c", script])
    #expect(result.status == 0, "\(result.stderr)")
}

/// The one version directory below `output` (hidden temporaries aside).
func versionDirectories(_ output: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: output.path).filter { !$0.hasPrefix(".") }.sorted()
}

let siteSpecYAML = """
    site: lab
    version: "2024.1"
    classes:
      WEB: {packages: {install: [nginx]}, var: {TIMEZONE: Europe/Berlin}}
    ganeti:
      hostname_classes:
        - {pattern: '^web\\d+', classes: [WEB]}
    hosts:
      - {name: web01, mac: "52:54:00:00:10:03", ip: 10.1.1.13, classes: [WEB]}

    """

@Suite struct BuildCommand {
    @Test func writesArchiveManifestAndSumsAndPrintsTheConfigSource() throws {
        let dir = try scratchDirectory()
        try makeBase(dir.appendingPathComponent("base"))
        try siteSpecYAML.write(to: dir.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
        let output = dir.appendingPathComponent("www")
        let result = try faigen("build", "--spec", "site.yaml", "--base", "base", "--output", "www",
                                "--url", "https://faiserver/fai/", directory: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let versions = try versionDirectories(output)
        #expect(versions.count == 1 && versions[0].hasPrefix("2024.1-") && versions[0].count == "2024.1-".count + 12, "\(versions)")
        let version = versions.first ?? ""
        #expect(result.stdout == "https://faiserver/fai/\(version)/faiconfig.tar.gz\n")
        let build = output.appendingPathComponent(version)
        #expect(try FileManager.default.contentsOfDirectory(atPath: build.path).sorted() == ["SHA256SUMS", "faiconfig.mtree", "faiconfig.tar.gz"])
        let check = try run("/bin/sh", ["-c", "cd '\(build.path)' && sha256sum --strict -c SHA256SUMS"])
        #expect(check.status == 0 && check.stdout == "faiconfig.mtree: OK\nfaiconfig.tar.gz: OK\n", "\(check.stdout)\(check.stderr)")
        // GNU tar: no wrapper directory, owner 0/0, mtime 0 without SOURCE_DATE_EPOCH.
        let listing = try run("/bin/sh", ["-c", "TZ=UTC tar --numeric-owner -tvzf '\(build.path)/faiconfig.tar.gz'"])
        #expect(listing.status == 0, "\(listing.stderr)")
        let lines = listing.stdout.split(separator: "\n")
        #expect(lines.contains { $0.hasSuffix(" class/") } && !lines.contains { $0.contains(" ./") })
        for line in lines { #expect(line.contains(" 0/0 ") && line.contains("1970-01-01 00:00"), "\(line)") }
        // The version inside, and the tree the archive holds is what faigen render writes.
        let unpacked = dir.appendingPathComponent("unpacked")
        try FileManager.default.createDirectory(at: unpacked, withIntermediateDirectories: true)
        #expect(try run("/bin/tar", ["--numeric-owner", "-C", unpacked.path, "-xpzf", build.path + "/faiconfig.tar.gz"]).status == 0)
        #expect(try String(contentsOf: unpacked.appendingPathComponent(".faigen/version"), encoding: .utf8) == version + "\n")
        let rendered = dir.appendingPathComponent("rendered")
        #expect(try faigen("render", "--spec", "site.yaml", "--base", "base", rendered.path, directory: dir).status == 0)
        var expected = modeTree(rendered.path, withoutFaigen: true)
        expected[".faigen"] = "directory 755"
        expected[".faigen/version"] = "file 644 \(sha256Hex(Array((version + "\n").utf8)))"
        #expect(modeTree(unpacked.path) == expected)
        // The manifest names every entry with its type, mode, size, digest or target.
        let manifest = try String(contentsOf: build.appendingPathComponent("faiconfig.mtree"), encoding: .utf8)
        #expect(manifest.hasPrefix("#mtree\n. type=dir\n"))
        #expect(manifest.contains("./basefiles/empty type=dir uid=0 gid=0 mode=0755 time=0.0\n"))
        #expect(manifest.contains("./files/etc/gone/DEFAULT type=link uid=0 gid=0 time=0.0 link=/nowhere\n"))
        #expect(manifest.contains("./files/etc/motd/WITH\\040SPACE type=file uid=0 gid=0 mode=0644 size=6 time=0.0 sha256digest=\(sha256Hex(Array("hello\n".utf8)))\n"))
        #expect(manifest.contains("./class/50-host-classes type=file uid=0 gid=0 mode=0755 "))
        #expect(manifest.split(separator: "\n").count == expected.count + 2)
        // BSD mtree checks the unpacked tree against it: types, modes, owners, sizes, digests, targets, times.
        let mtree = try requireTool("/usr/bin/mtree", package: "mtree-netbsd")
        let verified = try run(mtree, ["-p", unpacked.path, "-f", build.path + "/faiconfig.mtree"])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        // The gzip header carries no name and no time.
        let archive = [UInt8](try Data(contentsOf: build.appendingPathComponent("faiconfig.tar.gz")))
        #expect(Array(archive.prefix(10)) == [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3])
    }

    /// Two checkouts in two directories, made in opposite order under different umasks with
    /// different mtimes, built under different time zones and locales, the spec named in
    /// different ways: the same bytes. One byte more in any input: another version.
    @Test func sameInputsGiveTheSameBytesAndOneChangedByteAnotherVersion() throws {
        let dir = try scratchDirectory()
        let first = dir.appendingPathComponent("checkout-one"), second = dir.appendingPathComponent("elsewhere/checkout-two")
        try makeBase(first.appendingPathComponent("base"), umask: "022", mtime: "2001-02-03")
        try makeBase(second.appendingPathComponent("base"), reversed: true, umask: "077", mtime: "2024-05-06")
        for root in [first, second] {
            try siteSpecYAML.write(to: root.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
        }
        func build(_ root: URL, spec: String, umask mask: String, tz: String, locale: String,
                   epoch: String? = nil) throws -> (version: String, archive: Data) {
            let output = root.appendingPathComponent("out-\(UUID().uuidString.prefix(6))")
            var environment = ["PATH": "/usr/bin:/bin", "TZ": tz, "LC_ALL": locale]
            if let epoch { environment["SOURCE_DATE_EPOCH"] = epoch }
            let result = try run("/bin/sh", ["-c", "umask \(mask); exec \"$0\" \"$@\"", faigenBinary.path, "build",
                                             "--spec", spec, "--base", "base", "--output", output.path],
                                 environment: environment, directory: root)
            #expect(result.status == 0, "\(result.stderr)")
            let version = try versionDirectories(output).first ?? ""
            return (version, try Data(contentsOf: output.appendingPathComponent(version).appendingPathComponent("faiconfig.tar.gz")))
        }
        let one = try build(first, spec: "site.yaml", umask: "022", tz: "UTC", locale: "C")
        let two = try build(second, spec: second.path + "/./site.yaml", umask: "077", tz: "Pacific/Kiritimati", locale: "C.UTF-8")
        #expect(one.version == two.version)
        #expect(one.archive == two.archive)

        // SOURCE_DATE_EPOCH is the mtime of every entry, and so part of the version.
        let dated = try build(first, spec: "site.yaml", umask: "022", tz: "UTC", locale: "C", epoch: "1700000000")
        #expect(dated.version != one.version)

        var versions: Set<String> = [one.version]
        // One byte of a value in the spec, one in a base file, one mode bit, a symlink's
        // target, an empty directory. (The version follows the content: a spec comment that
        // changes nothing rendered keeps it, since clients get the same bytes.)
        let changes = [
            "sed -i 's/nginx/nginy/' site.yaml",
            "printf 'y' >> 'base/files/etc/motd/WITH SPACE'",
            "chmod u+x base/package_config/BASE",
            "ln -sfn '/nowhere2' base/files/etc/gone/DEFAULT",
            "mkdir base/basefiles/empty/more",
        ]
        for change in changes {
            let copy = dir.appendingPathComponent("change-\(versions.count)")
            #expect(try run("/bin/sh", ["-c", "cp -a '\(first.path)' '\(copy.path)' && cd '\(copy.path)' && \(change)"]).status == 0)
            let changed = try build(copy, spec: "site.yaml", umask: "022", tz: "UTC", locale: "C")
            #expect(versions.insert(changed.version).inserted, "\(change) left the version \(changed.version)")
            #expect(changed.archive != one.archive)
        }
    }

    @Test func buildingAPublishedVersionAgainChangesNothingAndOtherContentIsRefused() throws {
        let dir = try scratchDirectory()
        let output = dir.appendingPathComponent("www")
        let first = try faigen("build", "--output", output.path, directory: dir)
        #expect(first.status == 0, "\(first.stderr)")
        let before = try treeState(output)
        let again = try faigen("build", "--output", output.path, directory: dir)
        #expect(again.status == 0 && again.stdout == first.stdout && again.stderr.contains("nothing changed"), "\(again.stderr)")
        #expect(try treeState(output) == before)
        // The published archive altered: the same version must not be published differently.
        let version = try versionDirectories(output)[0]
        let archive = output.appendingPathComponent(version).appendingPathComponent("faiconfig.tar.gz")
        let handle = try FileHandle(forWritingTo: archive)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([0]))
        try handle.close()
        let altered = try treeState(output)
        let refused = try faigen("build", "--output", output.path, directory: dir)
        #expect(refused.status == 2 && refused.stdout.isEmpty)
        #expect(refused.stderr == "faigen: error: \(output.path)/\(version): version \(version) is already published with other content (a published version never changes: change the spec's version: or build into another --output)\n")
        #expect(try treeState(output) == altered)
    }

    @Test func badInputIsOneLineAndWritesNothing() throws {
        let dir = try scratchDirectory()
        try "site: lab\nversion: \"1/2\"\n".write(to: dir.appendingPathComponent("slash.yaml"), atomically: true, encoding: .utf8)
        let output = dir.appendingPathComponent("www")
        let badVersion = try faigen("build", "--spec", "slash.yaml", "--output", output.path, directory: dir)
        #expect(badVersion.status == 2 && badVersion.stderr.hasPrefix("faigen: error: slash.yaml: version '1/2' cannot name a build directory"))
        #expect(badVersion.stderr.split(separator: "\n").count == 1)
        let badEpoch = try faigen("build", "--output", output.path, environment: ["SOURCE_DATE_EPOCH": "yesterday"], directory: dir)
        #expect(badEpoch.status == 2 && badEpoch.stderr.hasPrefix("faigen: error: SOURCE_DATE_EPOCH: 'yesterday' is not a number"))
        #expect(!FileManager.default.fileExists(atPath: output.path))
        try "not a directory".write(to: output, atomically: true, encoding: .utf8)
        let onFile = try faigen("build", "--output", output.path, directory: dir)
        #expect(onFile.status == 2 && onFile.stderr == "faigen: error: \(output.path): exists and is not a directory (give a directory to render into)\n")
    }

    /// A read-only output (a read-only bind mount: root ignores mode bits) and a full disk (a
    /// small tmpfs), each in a private mount namespace: one line, exit 2, no partial archive,
    /// the version published before unchanged.
    @Test(arguments: ["read-only", "full"])
    func unwritableOrFullOutputLeavesTheEarlierVersionAlone(_ kind: String) throws {
        let unshare = try requireTool("/usr/bin/unshare", package: "util-linux")
        let dir = try scratchDirectory("\(kind)")
        let output = dir.appendingPathComponent("www")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        // A base that does not compress: 2 MiB of random bytes.
        let big = dir.appendingPathComponent("big")
        try makeBase(big)
        #expect(try run("/bin/sh", ["-c", "head -c 2097152 /dev/urandom > '\(big.path)/basefiles/random'"]).status == 0)
        let mount = kind == "full" ? "mount -t tmpfs -o size=1m tmpfs \"$out\""
            : "mount --bind \"$out\" \"$out\""
        let readOnly = kind == "full" ? "" : "mount -o remount,bind,ro \"$out\""
        let script = """
            set -u
            out=$1 faigen=$2 big=$3
            \(mount) || exit 90
            "$faigen" build --output "$out" > /dev/null 2>&1 || exit 91
            \(readOnly)
            (cd "$out" && for d in */; do (cd "$d" && sha256sum SHA256SUMS faiconfig.tar.gz faiconfig.mtree); done) > "$out.before"
            "$faigen" build --base "$big" --output "$out" 2> "$out.stderr"
            echo $? > "$out.status"
            ls -A "$out" > "$out.listing"
            (cd "$out" && for d in */; do (cd "$d" && sha256sum SHA256SUMS faiconfig.tar.gz faiconfig.mtree); done) > "$out.after"
            """
        let result = try run(unshare, ["-m", "--propagation", "private", "/bin/sh", "-c", script, "sh",
                                       output.path, faigenBinary.path, big.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let text = { (suffix: String) in (try? String(contentsOfFile: output.path + suffix, encoding: .utf8)) ?? "" }
        #expect(text(".status") == "2\n")
        let stderr = text(".stderr")
        #expect(stderr.split(separator: "\n").count == 1 && stderr.hasPrefix("faigen: error: \(output.path)"), "\(stderr)")
        #expect(stderr.contains(kind == "full" ? "No space left on device" : "Read-only file system"), "\(stderr)")
        // One version, the earlier one, with the same bytes; no temporary left behind.
        let listing = text(".listing").split(separator: "\n")
        #expect(listing.count == 1, "\(listing)")
        #expect(!text(".before").isEmpty && text(".before") == text(".after"))
    }

    /// SIGKILL at random moments of a build: every version directory in OUTPUT is whole (its
    /// sums check), the earlier version keeps its bytes, and the next build cleans up.
    @Test func buildKilledAtRandomMomentsNeverPublishesHalf() throws {
        let dir = try scratchDirectory()
        let output = dir.appendingPathComponent("www")
        #expect(try faigen("build", "--output", output.path, directory: dir).status == 0)
        let earlier = try versionDirectories(output)[0]
        let before = try treeState(output.appendingPathComponent(earlier))
        let yaml = try run("/bin/sh", [repositoryRoot.appendingPathComponent("bench/synthetic-site").path, "2000", "200"])
        let spec = dir.appendingPathComponent("big.yaml")
        try yaml.stdout.write(to: spec, atomically: true, encoding: .utf8)
        let start = Date()
        let timing = dir.appendingPathComponent("timing")
        #expect(try faigen("build", "--spec", spec.path, "--output", timing.path).status == 0)
        var window = max(Date().timeIntervalSince(start), 0.05) * 1.1
        var killed = 0, round = 0
        var generator = SystemRandomNumberGenerator()
        while killed < 6, round < 40 {
            round += 1
            let process = Process()
            process.executableURL = faigenBinary
            process.arguments = ["build", "--spec", spec.path, "--output", output.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32(Double.random(in: 0..<window, using: &generator) * 1_000_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if process.terminationReason == .uncaughtSignal { killed += 1 } else {
                window /= 2
                // It finished: start again from the earlier version alone.
                for name in try versionDirectories(output) where name != earlier {
                    try FileManager.default.removeItem(at: output.appendingPathComponent(name))
                }
            }
            for name in try versionDirectories(output) {
                let check = try run("/bin/sh", ["-c", "cd '\(output.path)/\(name)' && sha256sum --quiet -c SHA256SUMS"])
                #expect(check.status == 0, "round \(round): \(name) is not whole: \(check.stdout)")
            }
            #expect(try treeState(output.appendingPathComponent(earlier)) == before)
        }
        #expect(killed == 6, "only \(killed) builds were killed before they finished")
        let final = try faigen("build", "--spec", spec.path, "--output", output.path)
        #expect(final.status == 0, "\(final.stderr)")
        let left = try FileManager.default.contentsOfDirectory(atPath: output.path).filter { $0.hasPrefix(".faigen-build-") }
        #expect(left.isEmpty, "\(left)")
        #expect(try versionDirectories(output).count == 2)
    }
}
