// faigen diff: what changed between two builds or config spaces; exit 0 equal, 1 different, 2 on error.
import ArgumentParser
import FaiSpace

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what changed between two builds or config spaces (exit 0 equal, 1 different, 2 on error).",
        discussion: """
            OLD and NEW are each a build directory (OUTPUT/VERSION), a faiconfig.tar.gz, or a \
            config-space directory. One line per change: entries added, removed, changed \
            (content), their mode, symlink target or type; then every package added to or \
            removed from a package list, read as install_packages reads it, with the list's \
            class and the section's PACKAGES command. faigen's own .faigen/ is not compared; \
            the versions are shown when they differ.

            Example:
              faigen diff /var/www/fai/2024.1-3f2a9c1b7e4d /var/www/fai/2024.2-9c0d1e2f3a4b
              added    files/etc/motd/WEB (file 0644, 24 bytes)
              package  +nginx in WEB, PACKAGES install (package_config/WEB)
            """
    )

    @Argument(help: ArgumentHelp("The earlier build or config space.", valueName: "old"))
    var old: String

    @Argument(help: ArgumentHelp("The later build or config space.", valueName: "new"))
    var new: String

    func run() throws {
        var different = false
        try Diagnostics.run {
            let diff = ConfigSpaceDiff(old: try ComparedSpace(path: old), new: try ComparedSpace(path: new))
            for line in diff.lines { print(line) }
            different = !diff.isEmpty
        }
        if different { throw ExitCode(1) }
    }
}
