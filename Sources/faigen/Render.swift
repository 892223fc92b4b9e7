// faigen render: write a site spec's generated files (and a base config space) into OUTDIR safely.
import ArgumentParser
import FaiSpace
import FoundationEssentials

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render a site spec into a config space directory, never touching files faigen did not write.",
        discussion: """
            The spec is --spec FILE, else ./faigen.yaml, else the embedded starter site; \
            the starter is written only into a new or empty OUTDIR or over an earlier render \
            of it, anywhere else only with --starter (docs/spec.md describes every key). The generated parts are the XenServer \
            detection class script, the Ganeti host name class script, the defclass hook \
            that filters ADDCLASSES, the grub-legacy menu.lst and its postinst, the nfsroot \
            package list, and per-class package_config, .var, disk_config, debconf and files/. \
            --templates DIR replaces built-in templates (see config-templates/); \
            --nfsroot-list FILE adds what the scripts need to an existing nfsroot list.

            With --base DIR, the config space in DIR is copied into OUTDIR through faigen's \
            model (same bytes, modes, symlinks, empty directories) and the generated files \
            are laid over it; without --base, OUTDIR is rendered in place and everything \
            already there stays. Over that hand-written space class/HOSTNAME leaves out the \
            classes its class scripts already give the host (fai-class -T exits 2 on a class \
            given twice), and render warns, at the hand-written file and line with the fix, \
            where a class script gives XenServer guests a second boot loader.

            faigen records what it wrote in OUTDIR/.faigen/manifest (MODE SHA256 PATH per \
            file). On the next render a file faigen wrote and you edited since is reported \
            and left alone (--force overwrites it), and files it no longer renders are \
            removed. A path the render needs that holds a file faigen did not write stops \
            the render before anything changes. Every file is written to a temporary name \
            and renamed into place.

            One render at a time per OUTDIR: a second one stops with an error naming the \
            first, or waits for it with --wait (a lock on OUTDIR/.faigen/lock, which a killed \
            render does not leave held).

            Examples:
              faigen render /srv/fai/config
              faigen render --spec site.yaml --base /srv/fai/config-src /srv/fai/config
              faigen render --force /srv/fai/config
              faigen render --wait /srv/fai/config
              faigen render --nfsroot-list /etc/fai/NFSROOT /srv/fai/config
            """
    )

    @Option(name: .long, help: ArgumentHelp("The site spec (YAML); default ./faigen.yaml, else the embedded starter site (into a new or empty OUTDIR).",
                                             valueName: "file"))
    var spec: String?

    @Flag(name: .long, help: "Render faigen's embedded starter site, even over an existing config space.")
    var starter = false

    @Option(name: .long, help: ArgumentHelp("A config space to copy into OUTDIR under the generated files.", valueName: "dir"))
    var base: String?

    @Option(name: .long, help: ArgumentHelp("A directory laid out like config-templates/ whose files replace the built-in templates of the same name.",
                                             valueName: "dir"))
    var templates: String?

    @Option(name: .long, help: ArgumentHelp("The FAI server's nfsroot package list (/etc/fai/NFSROOT): add what the generated scripts need, keeping its lines.",
                                             valueName: "file"))
    var nfsrootList: String?

    @Flag(name: .long, help: "Overwrite (or remove) generated files that were edited by hand since faigen wrote them.")
    var force = false

    @Flag(name: .long, help: "When another faigen is rendering into OUTDIR, wait for it to finish instead of stopping at once.")
    var wait = false

    @Argument(help: ArgumentHelp("The config space directory to render into (created if missing).", valueName: "outdir"))
    var outputDirectory: String

    func run() throws {
        try Diagnostics.run {
            let siteSpec = try SiteSpec.locate(explicitPath: spec, directory: FileManager.default.currentDirectoryPath,
                                               outputDirectory: outputDirectory, base: base, starter: starter)
            let baseSpace = try base.map { path throws(InputError) in try ConfigSpaceReader.read(path) }
            let templateSet = try templates.map { path throws(InputError) in
                try TemplateSet.overriding(with: URL(fileURLWithPath: path))
            } ?? .embedded
            // The hand-written space the files land in: the base, else what OUTDIR holds.
            // (A tree the reader refuses is left to the writer's checks, unanalysed.)
            let handWritten = baseSpace ?? (FileManager.default.fileExists(atPath: outputDirectory)
                ? try? ConfigSpaceReader.read(outputDirectory) : nil)
            let rendering = try siteSpec.rendering(templates: templateSet, over: handWritten)
            let generated = rendering.files
            // Worked out before the render writes, so a bad list changes nothing.
            let nfsroot = try nfsrootList.map { path throws(InputError) in
                (path, try NfsrootListFile.plan(path: path, spec: siteSpec))
            }
            let report = try RenderWriter.apply(outputDirectory: outputDirectory, base: baseSpace,
                                                generated: generated, force: force, wait: wait,
                                                waiting: { Diagnostics.note($0) })
            if let (path, contents) = nfsroot {
                if let contents {
                    try NfsrootListFile.write(path: path, contents: contents)
                    print("added the packages the generated scripts need to \(path)")
                } else {
                    print("\(path) already installs what the generated scripts need")
                }
            }
            for note in rendering.notes { print(note) }
            for finding in rendering.warnings { Diagnostics.warning(finding, root: base ?? outputDirectory) }
            for path in report.keptEdited {
                Diagnostics.warning("\(outputDirectory.joiningPath(path)): edited by hand since faigen wrote it; left alone (--force overwrites)")
            }
            for path in report.overwrittenEdited {
                Diagnostics.warning("\(outputDirectory.joiningPath(path)): edited by hand; overwritten because of --force")
            }
            print("rendered site \(siteSpec.site) \(siteSpec.version) into \(outputDirectory): "
                  + "\(report.written.count) written, \(report.unchanged.count) unchanged, "
                  + "\(report.removed.count) removed, \(report.keptEdited.count) kept (edited by hand)")
        }
    }
}

extension String {
    func joiningPath(_ name: String) -> String { hasSuffix("/") ? self + name : self + "/" + name }
}
