// RepeatedHostClass: a hostname class file that lists a class the host gets already.

/// Reports each class in `class/HOSTNAME` that fai-class defines for that host anyway: by a
/// class script (as far as `ClassScriptReading` can tell from its text), as DEFAULT, LAST or
/// the host name, or earlier in the same file.
public struct RepeatedHostClass: LintCheck {
    public init() {}
    public let id = "repeated-host-class"
    public let severity = Severity.warning
    public let summary = "a hostname class file that repeats a class the host already gets"
    public let rationale = """
        fai-class appends the classes of `class/HOSTNAME` after those the class scripts print, \
        without looking for repeats. FAI runs it as `fai-class -T`, which then ends with \
        "WARNING. Following classes are defined multiple times" and exit status 2, and \
        install_packages reads the package list of a repeated class twice. A class script is \
        read, not run: an `echo` of class names at its top level, or in the arm of a \
        `case $HOSTNAME in` the host name selects (as fai-doc's `class/50-host-classes`), counts.
        """

    static let hostCase = "#!/bin/bash\ncase $HOSTNAME in\n    faiserver)\n        echo \"FAIBASE DEBIAN FAISERVER\" ;;\n    web*|db*)\n        echo \"FAIBASE DEBIAN\" ;;\n    *)\n        echo FAIBASE ;;\nesac\n"

    public var triggeringExamples: [LintExample] {
        [
            LintExample(["class/50-host-classes": .script(Self.hostCase),
                         "class/web01": .text("# generated\nWEB FAIBASE\nDEBIAN\n")],
                        expect: [ExpectedFinding("class/web01", line: 2), ExpectedFinding("class/web01", line: 3)]),
            LintExample(["class/10-base": .script("#!/bin/sh\necho LINUX AMD64\n"),
                         "class/demo": .text("AMD64 XORG XORG DEFAULT\n")],
                        expect: [ExpectedFinding("class/demo"), ExpectedFinding("class/demo"), ExpectedFinding("class/demo")]),
        ]
    }

    public var nonTriggeringExamples: [LintExample] {
        [
            // FAISERVER only for faiserver; GRUB_PC printed only under an if.
            LintExample(["class/50-host-classes": .script(Self.hostCase),
                         "class/60-misc": .script("#!/bin/bash\nif [ -d /sys/firmware/efi ]; then\n    echo GRUB_EFI\nelse\n    echo GRUB_PC\nfi\n"),
                         "class/web01": .text("WEB FAISERVER GRUB_PC\n"),
                         "class/faiserver": .text("# more\nNFS_SERVER\n")]),
            // A sourced *.sh prints nothing fai-class reads; a non-executable script is skipped.
            LintExample(["class/20-hw.sh": .script("echo WEB\n"),
                         "class/30-off": .text("#!/bin/sh\necho WEB\n"),
                         "class/web01": .text("WEB\n")]),
        ]
    }

    public func findings(in subject: LintSubject) -> [Finding] {
        let reading = ClassScriptReading(subject.space.classScripts)
        let hosts = subject.space.hostClassFiles
        // A site has thousands of hosts: each is looked at on its own, on every core.
        return Parallel.map(hosts.count) { index in
            let host = hosts[index]
            return Self.repeats(in: host, reading: reading).map { repeat_ in
                finding(host.file.path, line: repeat_.line, "\(repeat_.name) is given to \(host.hostname) already by \(repeat_.givenBy), so fai-class -T ends with \"defined multiple times\" (exit 2) and install_packages reads its package list twice (remove \(repeat_.name) from this line)")
            }
        }.flatMap { $0 }
    }

    /// One class of a hostname class file that the host gets already.
    struct Repeat: Hashable {
        var name: String
        var line: Int
        /// `class/50-host-classes:22`, `fai-class (DEFAULT)`, `line 2 of this file`.
        var givenBy: String
    }

    static func repeats(in host: HostClassFile, reading: ClassScriptReading) -> [Repeat] {
        var given: [String: String] = [:]
        for printed in reading.classes(forHost: host.hostname) where given[printed.name] == nil {
            given[printed.name] = "\(printed.path):\(printed.line)"
        }
        for name in FAIFacts.alwaysDefinedClasses.union([host.hostname]) { given[name] = "fai-class itself" }
        var out: [Repeat] = []
        // Split as bytes: a class name is ASCII, and Character splitting costs a render of
        // 10,000 hosts a tenth of its time.
        let lines = host.file.contents.split(separator: 0x0A, omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() where line.first != UInt8(ascii: "#") {
            for bytes in line.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                let word = String(decoding: bytes, as: UTF8.self)
                if let by = given[word] {
                    out.append(Repeat(name: word, line: index + 1, givenBy: by))
                } else {
                    given[word] = "line \(index + 1) of this file"
                }
            }
        }
        return out
    }
}
