// faigen render: write a site spec's generated files (and a base config space) into OUTDIR safely.
import ArgumentParser
import FaiSpace
import Foundation

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render a site spec into a config space directory, never touching files faigen did not write.",
        discussion: """
            The spec is --spec FILE, else ./faigen.yaml, else the embedded default site. \
            With --base DIR, the config space in DIR is copied into OUTDIR through faigen's \
            model (same bytes, modes, symlinks, empty directories) and the generated files \
            are laid over it; without --base, OUTDIR is rendered in place and everything \
            already there stays.

            faigen records what it wrote in OUTDIR/.faigen/manifest (MODE SHA256 PATH per \
            file). On the next render a file faigen wrote and you edited since is reported \
            and left alone (--force overwrites it), and files it no longer renders are \
            removed. A path the render needs that holds a file faigen did not write stops \
            the render before anything changes. Every file is written to a temporary name \
            and renamed into place.

            Examples:
              faigen render /srv/fai/config
              faigen render --spec site.yaml --base /srv/fai/config-src /srv/fai/config
              faigen render --force /srv/fai/config
            """
    )

    @Option(name: .long, help: ArgumentHelp("The site spec (YAML); default ./faigen.yaml, else the embedded default site.",
                                             valueName: "file"))
    var spec: String?

    @Option(name: .long, help: ArgumentHelp("A config space to copy into OUTDIR under the generated files.", valueName: "dir"))
    var base: String?

    @Flag(name: .long, help: "Overwrite (or remove) generated files that were edited by hand since faigen wrote them.")
    var force = false

    @Argument(help: ArgumentHelp("The config space directory to render into (created if missing).", valueName: "outdir"))
    var outputDirectory: String

    func run() throws {
        try Diagnostics.run {
            let siteSpec = try SiteSpec.locate(explicitPath: spec, directory: FileManager.default.currentDirectoryPath)
            let baseSpace = try base.map { path throws(InputError) in try ConfigSpaceReader.read(path) }
            let generated = try siteSpec.generatedFiles()
            let report = try RenderWriter.apply(outputDirectory: outputDirectory, base: baseSpace,
                                                generated: generated, force: force)
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
