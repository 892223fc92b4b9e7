// VersionTests: `faigen --version` prints the one version FaigenVersion holds, which the Makefile also reads.
import FaiSpace
import Foundation
import Testing

@Test func versionPrintsTheLibraryVersion() throws {
    let result = try faigen("--version")
    #expect(result.status == 0)
    #expect(result.stdout == FaigenVersion.string + "\n")
    #expect(result.stderr.isEmpty)
}

@Test func makefileReadsTheSameVersion() throws {
    let result = try run("/usr/bin/make", ["-s", "--no-print-directory", "-C", repositoryRoot.path, "print-version"])
    #expect(result.status == 0, "make print-version: \(result.stderr)")
    #expect(result.stdout == FaigenVersion.string + "\n")
}
