// faigen: the command line over FaiSpace; one file a subcommand.
import ArgumentParser
import FaiSpace

@main
struct Faigen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "faigen",
        abstract: "Model, lint, render, build and detect for FAI (Fully Automatic Installation) config spaces.",
        discussion: """
            faigen reads and writes an FAI config space (class/, files/, package_config/, \
            scripts/, hooks/, disk_config/, debconf/, basefiles/, tests/) without losing a \
            byte or a mode bit, checks it, renders generated parts from a site spec, and \
            detects the platform classes of a booted client.

            Typical use:
              faigen render /srv/fai/config
              faigen build --spec site.yaml --base /srv/fai/config-src --output /var/www/fai
              faigen lint /srv/fai/config
              faigen detect
            """,
        version: FaigenVersion.string,
        subcommands: [Render.self, Build.self, Diff.self, Boot.self, LintCommand.self, Detect.self, Facts.self, ExplainCommand.self]
    )

    /// `faigen detect` with plain arguments skips ArgumentParser (see Detect.fastPath).
    static func main() {
        if let status = Detect.fastPath(CommandLine.arguments) {
            if status != 0 { Self.exit(withError: ExitCode(status)) }
            return
        }
        Self.main(nil)
    }
}
