// InputErrorTests: every user-facing error is one line with its place.
import Testing
@testable import FaiSpace

@Test func inputErrorIsOneLineWithPlace() {
    let error = InputError(file: "site.yaml", line: 3, column: 7, "unknown key 'hostz'\nhere",
                           hint: "did you mean 'hosts'?")
    #expect(error.description == "site.yaml:3:7: unknown key 'hostz'\\nhere (did you mean 'hosts'?)")
    #expect(InputError(nil, "plain").description == "plain")
    #expect(InputError(file: "a", line: 2, "m").description == "a:2: m")
}
