// DebPackageTests: the Debian package builds (dpkg-deb, lintian without errors), installs with
// dpkg into a throwaway root through the README's fai-make-nfsroot hook, and there faigen runs,
// `man faigen-render` renders, the default site's spec in examples/ renders, and bash completes
// `faigen ren<TAB>` to `render`.
import FaiSpace
import Foundation
import Testing

/// What `make deb` (which `make test` runs first) generates for the package: man pages and completions.
private let generated = repositoryRoot.appendingPathComponent(".build/faigen-generated")

/// Builds the package with scripts/build-deb into `directory` and returns the .deb's path.
private func buildPackage(in directory: URL) throws -> String {
    for need in ["man1/faigen-render.1", "completions/faigen"] {
        let path = generated.appendingPathComponent(need).path
        if !FileManager.default.fileExists(atPath: path) {
            Issue.record("\(path) is missing: run make deb (make test does) first")
            throw ToolMissing(path: path)
        }
    }
    let version = FaigenVersion.string + "-1"
    // lintian (a minute on the 60 MB binary) already ran in make deb, which make test runs first.
    var environment = ProcessInfo.processInfo.environment
    environment["LINTIAN"] = "no"
    let built = try run(repositoryRoot.appendingPathComponent("scripts/build-deb").path,
                        [version, generated.path, directory.path], environment: environment)
    #expect(built.status == 0, "build-deb failed:\n\(built.stderr)")
    #expect(built.stderr.contains("Package: faigen"), "dpkg-deb --info shows the control file")
    let deb = built.stdout.split(separator: "\n").last.map(String.init) ?? ""
    #expect(deb.hasSuffix("_\(version)_amd64.deb") || deb.hasSuffix(".deb"))
    return deb
}

/// An empty root with the dpkg database dpkg --root needs, and nothing else.
private func throwawayRoot(in directory: URL) throws -> URL {
    let root = directory.appendingPathComponent("root")
    let admin = root.appendingPathComponent("var/lib/dpkg")
    for sub in ["info", "updates", "triggers"] {
        try FileManager.default.createDirectory(at: admin.appendingPathComponent(sub), withIntermediateDirectories: true)
    }
    FileManager.default.createFile(atPath: admin.appendingPathComponent("status").path, contents: Data())
    FileManager.default.createFile(atPath: admin.appendingPathComponent("available").path, contents: Data())
    return root
}

@Test func debPackageInstallsAWorkingFaigen() throws {
    let scratch = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let deb = try buildPackage(in: scratch)
    let root = try throwawayRoot(in: scratch)

    // Installed as the README's nfsroot hook does it: sourced, as fai-make-nfsroot sources its hooks.
    let hook = repositoryRoot.appendingPathComponent("scripts/nfsroot-hook-faigen").path
    let installed = try run("/bin/sh", ["-ec", ". \"$0\"", hook], environment: [
        "PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "NFSROOT": root.path, "FAIGEN_DEB": deb,
    ])
    #expect(installed.status == 0, "dpkg -i: \(installed.stdout)\(installed.stderr)")
    let listed = try run("/usr/bin/dpkg-query", ["--root=\(root.path)", "-W", "-f=${Status} ${Version}", "faigen"])
    #expect(listed.stdout == "install ok installed \(FaigenVersion.string)-1")

    // The root holds only the package: chroot into it and run the binary there (no libraries, no
    // toolchain), with /proc mounted as on a booted machine, in a mount namespace that ends with it.
    try FileManager.default.createDirectory(at: root.appendingPathComponent("proc"), withIntermediateDirectories: true)
    let version = try run("/usr/bin/unshare", ["--mount", "--propagation", "private", "/bin/sh", "-ec",
                                                "mount -t proc proc \"$0/proc\"; exec /usr/sbin/chroot \"$0\" /usr/bin/faigen --version",
                                                root.path])
    #expect(version.status == 0, "\(version.stderr)")
    #expect(version.stdout == FaigenVersion.string + "\n")

    // The default site's spec is in examples/, byte for byte the one built into faigen, and the
    // installed faigen renders it there as an admin would after copying it.
    let example = root.appendingPathComponent("usr/share/doc/faigen/examples/faigen.yaml")
    #expect((try? String(contentsOf: example, encoding: .utf8)) == defaultSiteSpec, "examples/faigen.yaml is the default site")
    let rendered = try run("/usr/bin/unshare", ["--mount", "--propagation", "private", "/bin/sh", "-ec",
                                                 "mount -t proc proc \"$0/proc\"; exec /usr/sbin/chroot \"$0\" /usr/bin/faigen render --spec /usr/share/doc/faigen/examples/faigen.yaml /srv/fai/config",
                                                 root.path])
    #expect(rendered.status == 0, "\(rendered.stderr)")
    #expect(rendered.stdout.hasPrefix("rendered site starter 1 into /srv/fai/config: 22 written"), "\(rendered.stdout)")
    #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("srv/fai/config/class/60-detect-XenServer").path))

    // man finds faigen-render by name in the installed tree and renders it (no roff left over).
    let man = try run("/usr/bin/man", ["faigen-render"], environment: [
        "PATH": "/usr/bin:/bin", "MANPATH": root.appendingPathComponent("usr/share/man").path,
        "MANWIDTH": "80", "MANPAGER": "cat", "PAGER": "cat", "LANG": "C.UTF-8",
    ])
    #expect(man.status == 0, "man faigen-render: \(man.stderr)")
    #expect(man.stdout.contains("FAIGEN-RENDER(1)"))
    #expect(man.stdout.contains("NAME"))
    #expect(man.stdout.contains("faigen render"))
    #expect(man.stdout.contains("--nfsroot-list"))
    #expect(!man.stdout.contains(".Sh ") && !man.stdout.contains(".Nm"))

    // bash completes `faigen ren<TAB>` with the installed completion script.
    let completion = root.appendingPathComponent("usr/share/bash-completion/completions/faigen").path
    let script = """
        source "$1"
        COMP_WORDS=(faigen ren); COMP_CWORD=1; COMP_LINE='faigen ren'; COMP_POINT=${#COMP_LINE}
        complete -p faigen >/dev/null || { echo 'no completion for faigen' >&2; exit 1; }
        function=$(complete -p faigen | sed -n 's/.*-F \\([^ ]*\\).*/\\1/p')
        "$function" faigen ren faigen
        printf '%s\\n' "${COMPREPLY[@]}"
        """
    let completed = try run("/bin/bash", ["-c", script, "bash", completion], environment: [
        "PATH": root.appendingPathComponent("usr/bin").path + ":/usr/bin:/bin",
    ])
    #expect(completed.status == 0, "\(completed.stderr)")
    #expect(completed.stdout.split(separator: "\n").map(String.init) == ["render"],
            "COMPREPLY for faigen ren<TAB>: \(completed.stdout) \(completed.stderr)")

    // zsh and fish completions are where their shells look.
    for path in ["usr/share/zsh/vendor-completions/_faigen", "usr/share/fish/vendor_completions.d/faigen.fish",
                 "usr/share/man/man1/faigen.1.gz", "usr/share/doc/faigen/copyright",
                 "usr/share/doc/faigen/changelog.Debian.gz"] {
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path), "\(path) installed")
    }
}

/// scripts/check-static-release reads the symbol table: a binary with ICU's data table in it
/// fails before anything runs (ldd cannot see a static ICU); one without gets past that step.
@Test func staticReleaseCheckRefusesLinkedICU() throws {
    let scratch = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let compiler = try requireTool("/usr/bin/cc", package: "gcc")
    let check = repositoryRoot.appendingPathComponent("scripts/check-static-release").path
    for (name, source) in [("with-icu", "const char icudt76_dat[16] = {1};\nint main(void) { return icudt76_dat[0] - 1; }\n"),
                           ("without-icu", "int main(void) { return 0; }\n")] {
        let file = scratch.appendingPathComponent(name + ".c")
        try Data(source.utf8).write(to: file)
        let binary = scratch.appendingPathComponent(name).path
        let built = try run(compiler, ["-O0", "-o", binary, file.path])
        #expect(built.status == 0, "\(built.stderr)")
        let checked = try run(check, [binary])
        // Neither is faigen, so the check fails either way; the ICU one at the symbol table.
        #expect(checked.status != 0)
        if name == "with-icu" {
            #expect(checked.stderr.contains("icudt76_dat") && checked.stderr.contains("ICU is linked in"), "\(checked.stdout)\(checked.stderr)")
        } else {
            #expect(checked.stdout.contains("no ICU symbols") && !checked.stderr.contains("ICU is linked in"), "\(checked.stdout)\(checked.stderr)")
        }
    }
}
