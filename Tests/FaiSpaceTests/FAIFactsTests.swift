// FAIFactsTests: the FAI facts lint relies on agree with the installed fai-client.
import Foundation
import Testing
@testable import FaiSpace

@Suite struct FAIFactsTests {
    /// Every `task NAME` and literal `call_hook NAME` in fai and its subroutines, the places
    /// that look up `hooks/NAME.CLASS`.
    @Test func hookTasksAreTheTasksFAIRuns() throws {
        let fai = try requireTool("/usr/sbin/fai", package: "fai-client")
        let subroutines = "/usr/lib/fai/subroutines"
        var found: Set<String> = []
        for path in [fai, subroutines] {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            for line in text.split(separator: "\n") {
                let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard words.count >= 2, words[0] == "task" || words[0] == "call_hook",
                      words[1].allSatisfy({ $0.isLowercase }) else { continue }
                found.insert(String(words[1]))
            }
        }
        #expect(found == FAIFacts.hookTasks)
    }

    /// The model's commands are the ones `install_packages -H` lists, and the Debian ones among them.
    @Test func packagesCommandsAreInstallPackagesCommands() throws {
        let tool = try requireTool("/usr/sbin/install_packages", package: "fai-client")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/perl")
        process.arguments = [tool, "-H"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        // The short list: one command a line between "Short list:" and "Long list:".
        let short = text.components(separatedBy: "Short list:").last?.components(separatedBy: "Long list:").first ?? ""
        let commands = Set(short.split(whereSeparator: \.isWhitespace).map(String.init))
        #expect(commands == knownPackageCommands)
        #expect(FAIFacts.debianPackageCommands.isSubset(of: commands))
    }

    @Test(arguments: [
        ("DEBIAN", nil),
        ("GRUB_EFI", nil),
        ("ROCKY9_64", nil),
        ("faiserver", nil),
        ("web-01", nil),
        ("GRUB-PC", ClassNameProblem.forbiddenCharacter("-")),
        ("host.example.org", ClassNameProblem.forbiddenCharacter(".")),
        ("A;B", ClassNameProblem.forbiddenCharacter(";")),
        ("Webserver", ClassNameProblem.mixedCase),
        ("WEB+DB", ClassNameProblem.unusualCharacter("+")),
    ] as [(String, ClassNameProblem?)])
    func classNames(name: String, problem: ClassNameProblem?) {
        #expect(FAIFacts.classNameProblem(name) == problem)
    }
}
