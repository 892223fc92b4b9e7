// faigen build: the rendered config space as a versioned, reproducible archive for FAI_CONFIG_SRC.
import ArgumentParser
import FaiSpace
import FoundationEssentials

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build the rendered config space as OUTPUT/VERSION/faiconfig.tar.gz for FAI_CONFIG_SRC=http(s)://.",
        discussion: """
            Renders the site exactly as faigen render does (--spec, --base and --templates as \
            there) and writes, under OUTPUT/VERSION/:
              faiconfig.tar.gz  the config space, which FAI's get-config-dir-http unpacks with ftar
              faiconfig.mtree   the manifest: path, type, mode, size, sha256, link target per entry
              SHA256SUMS        for sha256sum -c
            VERSION is the spec's version: plus the first 12 hex digits of the content's sha256; \
            the archive holds it in .faigen/version. The same inputs give the same bytes \
            (sorted entries, owner 0, mtime SOURCE_DATE_EPOCH or 0, modes of the base as git \
            keeps them, gzip without name or time). The directory appears whole or not at \
            all; a version already in OUTPUT is left alone when equal and an error when not.

            Prints one line: the FAI_CONFIG_SRC value, --url followed by VERSION/faiconfig.tar.gz.

            Examples:
              faigen build --spec site.yaml --base /srv/fai/config-src --output /var/www/fai
              faigen build --output /var/www/fai --url https://faiserver/fai
            docs/build.md: publishing, selecting, rolling back and verifying a build.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The site spec (YAML); default ./faigen.yaml, else the embedded default site.", valueName: "file"))
    var spec: String?

    @Option(name: .long, help: ArgumentHelp("A hand-written config space the generated files are laid over.", valueName: "dir"))
    var base: String?

    @Option(name: .long, help: ArgumentHelp("A directory laid out like config-templates/ whose files replace the built-in templates.", valueName: "dir"))
    var templates: String?

    @Option(name: .long, help: ArgumentHelp("Where version directories go (created if missing).", valueName: "dir"))
    var output = "builds"

    @Option(name: .long, help: ArgumentHelp("The address OUTPUT is published at, for the printed FAI_CONFIG_SRC.", valueName: "url"))
    var url = "http://faiserver/fai"

    func run() throws {
        try Diagnostics.run {
            let siteSpec = try SiteSpec.locate(explicitPath: spec, directory: FileManager.default.currentDirectoryPath)
            let baseSpace = try base.map { path throws(InputError) in try ConfigSpaceReader.read(path) }
            let templateSet = try templates.map { path throws(InputError) in
                try TemplateSet.overriding(with: URL(fileURLWithPath: path))
            } ?? .embedded
            let build = try ConfigSpaceBuild(
                spec: siteSpec, base: baseSpace, templates: templateSet,
                mtime: try BuildTime.from(sourceDateEpoch: ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"]))
            for note in build.notes { Diagnostics.note(note) }
            for finding in build.warnings { Diagnostics.warning(finding, root: base) }
            for change in build.normalizedModes {
                Diagnostics.warning("\(base.map { $0.joiningPath(change.path) } ?? change.path): mode "
                    + "\(String(change.mode, radix: 8)) is stored as \(String(change.stored, radix: 8)), as git keeps it "
                    + "(give fcopy the mode with a file-modes file)")
            }
            switch try BuildPublisher.publish(build, into: output) {
            case .published(let directory):
                Diagnostics.note("built \(siteSpec.site) \(build.version) into \(directory)")
            case .alreadyPublished(let directory):
                Diagnostics.note("\(directory) already holds this build; nothing changed")
            }
            print(url.joiningPath(build.version).joiningPath(ConfigSpaceBuild.archiveName))
        }
    }
}
