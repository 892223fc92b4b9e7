// faigen facts: snapshot this machine's detection evidence in the `faigen detect --root` layout.
import ArgumentParser
import FaiSpace
import FoundationEssentials

struct Facts: ParsableCommand {
    static let configuration = CommandConfiguration(
        // An explicit name spares ArgumentParser a reflective String(describing:) at startup.
        commandName: "facts",
        abstract: "Work with snapshots of the evidence `faigen detect` reads.",
        discussion: """
            A snapshot holds what this machine shows about its platform (CPUID signature, DMI \
            strings, /proc and /sys files, container markers, kernel log) in the layout that \
            `faigen detect --root DIR` reads. Attach one to a bug report, or keep it as a test \
            fixture.
            """,
        subcommands: [Save.self]
    )

    struct Save: ParsableCommand {
        static let configuration = CommandConfiguration(
            // An explicit name spares ArgumentParser a reflective String(describing:) at startup.
            commandName: "save",
            abstract: "Write a snapshot of this machine's detection evidence into DIR.",
            discussion: """
                DIR must not exist or be empty. Sources this machine does not have, or will \
                not let faigen read (run as root for /proc/1/environ and the kernel log), are \
                left out and listed. Replay it with `faigen detect --root DIR`.
                """
        )

        @Argument(help: ArgumentHelp("The snapshot directory to create (new or empty).", valueName: "DIR"))
        var directory: String

        func run() throws {
            try Diagnostics.run {
                let report = try FactsSnapshot.save(to: directory, logDirectory: ProcessInfo.processInfo.environment["LOGDIR"])
                print("saved \(report.written.count) evidence sources to \(directory)")
                for skipped in report.skipped {
                    print("skipped \(skipped.source.rawValue) (\(skipped.origin)): \(skipped.reason)")
                }
            }
        }
    }
}
