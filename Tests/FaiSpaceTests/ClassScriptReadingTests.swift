// ClassScriptReadingTests: what fai-doc's class scripts give a host, read from their text.
import Foundation
import Testing
@testable import FaiSpace

@Suite struct ClassScriptReadingTests {
    /// fai-doc's class/50-host-classes: the arm the host name selects, first match wins;
    /// `ifclass AMD64 && echo ROCKY8_64` is conditional and left out, as is everything of
    /// 60-misc (under if) and 10-base-classes (uname, variables).
    @Test(arguments: [
        ("faiserver", ["FAIBASE", "DEBIAN", "DEMO", "FAISERVER"]),
        ("client07", ["FAIBASE", "DEBIAN", "DEMO"]),
        ("demohost", ["FAIBASE", "DEBIAN", "DEMO"]),
        ("xfcehost", ["FAIBASE", "DEBIAN", "DEMO", "XORG", "XFCE", "LVM"]),
        ("rocky", ["FAIBASE", "ROCKY"]),
        ("web01", ["FAIBASE", "DEBIAN", "DEMO"]),
    ])
    func faiDocExample(host: String, classes: [String]) throws {
        let space = try ConfigSpaceReader.read("/usr/share/doc/fai-doc/examples/simple")
        let reading = ClassScriptReading(space.classScripts)
        let printed = reading.classes(forHost: host)
        #expect(printed.map(\.name) == classes)
        #expect(printed.allSatisfy { $0.path == "class/50-host-classes" })
    }

    @Test func topLevelEchoCountsNestedOnesDoNot() {
        let text = """
            #!/bin/sh
            echo BASE "QUOTED TWO"  # comment
            if true; then
                echo NESTED
            fi
            case "$HOSTNAME" in
                web*|'db01') echo WEB; echo MORE ;;
                mail*)
                    if [ -e /x ]; then echo NO; fi
                    echo MAIL
                    ;;
            esac
            echo $VARIABLE
            """
        let script = ClassScript(file: ConfigFile(path: "class/20-x", contents: Array(text.utf8), mode: 0o755))
        let reading = ClassScriptReading([script])
        #expect(reading.classes(forHost: "web7").map(\.name) == ["BASE", "QUOTED", "TWO", "WEB", "MORE"])
        #expect(reading.classes(forHost: "db01").map(\.line) == [2, 2, 2, 7, 7])
        #expect(reading.classes(forHost: "mail1").map(\.name) == ["BASE", "QUOTED", "TWO", "MAIL"])
        #expect(reading.classes(forHost: "other").map(\.name) == ["BASE", "QUOTED", "TWO"])
    }
}
