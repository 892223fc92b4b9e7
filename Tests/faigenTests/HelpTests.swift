// HelpTests: the CLI starts and its help reads like a manual.
import Testing

@Test func helpNamesTheTool() throws {
    let result = try faigen("--help")
    #expect(result.status == 0)
    #expect(result.stdout.contains("FAI"))
}
