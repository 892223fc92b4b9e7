// Parallel.map and the byte-level path and host checks that rendering relies on.
import Testing
@testable import FaiSpace

@Suite struct ParallelTests {
    @Test(arguments: [0, 1, 31, 64, 1000, 10_007])
    func mapKeepsIndexOrder(count: Int) {
        #expect(Parallel.map(count) { $0 * 3 + 1 } == (0..<count).map { $0 * 3 + 1 })
        #expect(Parallel.map(count, minimumChunk: 1) { String($0) } == (0..<count).map { String($0) })
    }

    @Test func parentAndLastComponentOfPaths() {
        #expect("class/45-ganeti-hostname".parentPath == "class")
        #expect("files/etc/motd/DEFAULT".parentPath == "files/etc/motd")
        #expect("files/etc/motd/DEFAULT".lastPathComponent == "DEFAULT")
        #expect("/etc".parentPath == "/")
        #expect("name".parentPath == "" && "name".lastPathComponent == "name")
        #expect("dir/".parentPath == "dir" && "dir/".lastPathComponent == "")
        #expect("é/ü".parentPath == "é" && "é/ü".lastPathComponent == "ü")
        // The kernel splits at every `/` byte, even one a combining mark follows.
        #expect("a/b/\u{301}c".parentPath == "a/b" && "a/b/\u{301}c".lastPathComponent == "\u{301}c")
        // Each parent is shorter, so a walk up ends: `/` has none.
        #expect("/".parentPath == "" && "//".parentPath == "/")
    }

    @Test(arguments: [
        ("class/x", true), ("a//b", false), ("./a", false), ("a/..", false), ("a/.b", true), ("a/..b", true),
        ("", false), ("/a", false), ("a/", false), ("é/ü", true), ("é//ü", false), ("a//\u{301}", false), ("a/\u{301}/..", false),
        ("x\u{0}y", false), ("x\ny", false), (String(repeating: "n", count: 255), true), (String(repeating: "n", count: 256), false),
    ])
    func relativePaths(path: String, valid: Bool) {
        #expect(((try? validateRelativePath(path)) != nil) == valid)
    }

    @Test(arguments: [
        ("52:54:00:12:34:56", true), ("52:54:00:AB:cd:EF", true), ("52:54:00:12:34", false), ("52:54:00:12:34:5", false),
        ("52:54:00:12:34:5g", false), ("52-54-00-12-34-56", false), ("52:54:00:12:34:56:", false),
        ("５2:54:00:12:34:56", false), ("52:54:00:12:34:５6", false),
    ])
    func macAddresses(value: String, valid: Bool) {
        #expect(((try? Validate.mac(value)) != nil) == valid)
    }

    @Test(arguments: [
        ("10.1.1.11", true), ("0.0.0.0", true), ("255.255.255.255", true), ("256.1.1.1", false), ("1.2.3", false),
        ("1.2.3.4.5", false), ("1..2.3", false), ("1.2.3.0004", false), ("01.2.3.4", false), ("a.b.c.d", false),
        ("fe80::1", true), ("2001:db8:0:0:0:0:0:1", true), ("1.2.3.٤", false), (":::", false), ("1:::2", false),
    ])
    func ipAddresses(value: String, valid: Bool) {
        #expect(((try? Validate.ipAddress(value)) != nil) == valid)
    }
}
