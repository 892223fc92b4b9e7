// DetectionFixtureTests: each platform snapshot under Tests/Fixtures/detect gives exactly its expected classes.
import Foundation
import Testing

@testable import FaiSpace

@Suite struct DetectionFixtureTests {
    static let fixtures = repositoryRoot.appendingPathComponent("Tests/Fixtures/detect")

    static func names() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: fixtures.path)
            .filter { !$0.hasSuffix(".md") }.sorted()
    }

    static func expected(_ name: String) throws -> Set<String> {
        let text = try String(contentsOf: fixtures.appendingPathComponent("\(name)/expected"), encoding: .utf8)
        return Set(text.split(whereSeparator: \.isNewline).map(String.init))
    }

    static func detect(_ name: String, table: DetectionTable? = nil) throws -> Detection {
        let table = try table ?? DetectionTable.builtin()
        let root = fixtures.appendingPathComponent("\(name)/root").path
        return table.detect(Evidence.collect(root: root, sources: table.sources))
    }

    @Test(arguments: try names())
    func fixtureGivesItsClasses(_ name: String) throws {
        let detection = try Self.detect(name)
        #expect(Set(detection.classes) == (try Self.expected(name)), "fixture \(name)")
        #expect(detection.classes.count == Set(detection.classes).count, "a class repeats in \(name)")
        // Summaries come last.
        let summaries: Set = ["VIRTUAL", "CONTAINER", "PHYSICAL"]
        if let first = detection.classes.firstIndex(where: summaries.contains) {
            #expect(detection.classes[first...].allSatisfy(summaries.contains), "order in \(name): \(detection.classes)")
        }
        // Every class is backed by a firing rule.
        for name in detection.classes {
            #expect(!detection.evidence(for: name).isEmpty)
        }
    }

    @Test func everyVocabularyClassHasAFixture() throws {
        var covered = Set<String>()
        for name in try Self.names() { covered.formUnion(try Self.expected(name)) }
        #expect(covered == Set(DetectionTable.vocabulary))
        #expect(try Self.names().count >= 35)
    }

    @Test func negativesStayPhysical() throws {
        for name in ["bare-metal-mentions-xen", "kvm-host", "aws-metal", "s390-lpar", "oracle-server", "xen-dom0", "xen-dom0-early"] {
            let detection = try Self.detect(name)
            #expect(detection.classes.last == "PHYSICAL", "\(name): \(detection.classes)")
            #expect(!detection.classes.contains("XENSERVER"))
            #expect(!detection.classes.contains("KVM"))
        }
    }

    /// XENSERVER exactly when the seed's pattern matches the log, except on a Xen dom0, whose
    /// PV kernel prints "Booting paravirtualized kernel on Xen" too (issue 8 item 7).
    @Test func xenServerFiresExactlyWhenTheSeedPatternMatchesTheLogOfAGuest() throws {
        let seed = try PCRE2Regex(DetectionTable.xenServerPattern)
        var dom0s = 0
        for name in try Self.names() {
            let log = Self.fixtures.appendingPathComponent("\(name)/root/var/log/dmesg")
            let lines = ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
            let seedMatches = lines.contains { seed.matches($0) }
            let detection = try Self.detect(name)
            let dom0 = detection.classes.contains("XEN_DOM0")
            if dom0 && seedMatches {
                dom0s += 1
                #expect(detection.vetoed.contains { $0.rule == "xenserver" && $0.vetoedBy == ["XEN_DOM0"] }, "fixture \(name)")
            }
            #expect(detection.classes.contains("XENSERVER") == (seedMatches && !dom0), "fixture \(name)")
        }
        #expect(dom0s == 2, "xen-dom0 and xen-dom0-early print the PV boot line")
    }

    /// Each platform of issue 9, by the evidence that names it.
    @Test(arguments: [
        ("gce-arm64", "dmi-gce-kvm"), ("parallels-kvm-cpuid", "dmi-parallels"), ("aws-graviton", "dmi-aws-nitro"),
        ("ldoms-guest", "dev-mdesc"), ("ldoms-guest", "kernel-sun4v"), ("apple-vz", "dmi-apple-vz"),
        ("virtualbox-host-dmi", "dmi-virtualbox-board"), ("xen-dom0-early", "xen-features-dom0"),
        ("xen-pv-old-kernel", "xen-capabilities-pv"), ("arm64-firecracker", "device-tree-dummy-virt"),
        ("arm64-cloud-hypervisor", "device-tree-dummy-virt"), ("xen-hvm-viridian", "dmi-xen"),
    ])
    func platformIsNamedByItsEvidence(_ name: String, _ rule: String) throws {
        let detection = try Self.detect(name)
        #expect(detection.firings.contains { $0.rule == rule }, "fixture \(name): \(detection.firings.map(\.rule))")
    }

    @Test func kvmPassedThroughIsVetoedNotLost() throws {
        // Parallels and VirtualBox offer KVM's CPUID signature; Xen offers Hyper-V's.
        for (name, rule, by) in [("parallels-kvm-cpuid", "cpuid-kvm", "PARALLELS"), ("parallels-kvm-cpuid", "kernel-kvm", "PARALLELS"),
                                 ("virtualbox-host-dmi", "cpuid-kvm", "VIRTUALBOX"), ("xen-hvm-viridian", "cpuid-hyperv", "XEN")] {
            let detection = try Self.detect(name)
            #expect(detection.vetoed.contains { $0.rule == rule && $0.vetoedBy.contains(by) }, "\(name) \(rule)")
        }
    }

    @Test func largeKernelLogGivesTheSameClasses() throws {
        // Past 1 MiB the kernel log is mapped and its rules run on all cores: same answers.
        for name in ["xen-hvm-domu", "xen-pv-domu", "bare-metal-mentions-xen", "kvm-host", "acrn"] {
            let directory = try scratchDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let source = Self.fixtures.appendingPathComponent("\(name)/root")
            let root = directory.appendingPathComponent("root")
            try FileManager.default.copyItem(at: source, to: root)
            let log = root.appendingPathComponent("var/log/dmesg")
            var text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            let padding = "[   12.000000] usb 1-1: New USB device found, idVendor=8087, idProduct=0024\n"
            text = String(repeating: padding, count: 8_000) + text + String(repeating: padding, count: 8_000)
            try FileManager.default.createDirectory(at: log.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: log)
            let table = try DetectionTable.builtin()
            let evidence = Evidence.collect(root: root.path, sources: table.sources)
            if case .text(let read) = evidence[.kernelLog] {
                #expect(read.count == text.utf8.count)
                #expect(read.count >= DetectionTable.largeText)
            }
            #expect(Set(table.detect(evidence).classes) == (try Self.expected(name)), "fixture \(name) with a large log")
        }
    }

    @Test func vetoesAreExplained() throws {
        // VirtualBox offers KVM's paravirtual interface: the KVM evidence is vetoed, not lost.
        let detection = try Self.detect("virtualbox")
        #expect(!detection.classes.contains("KVM"))
        #expect(detection.vetoed.contains { $0.rule == "cpuid-kvm" && $0.vetoedBy == ["VIRTUALBOX"] })
    }

    @Test func absentSourcesAreSkippedNotFatal() throws {
        let detection = try Self.detect("ldoms")
        let skipped = Set(detection.skipped.map(\.source))
        #expect(skipped.contains(.kernelLog))
        #expect(skipped.contains(.cpuid))
        #expect(detection.skipped.first { $0.source == .cpuid }?.reason == "absent")
        #expect(detection.classes.contains("LDOMS"))
    }

    @Test func unreadableSourceIsSkippedWithItsReason() throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A directory where a file is expected cannot be read as one; detection goes on.
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("proc/cpuinfo"),
                                                withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent(".faigen"),
                                                withIntermediateDirectories: true)
        try Data("KVMKVMKVM\n".utf8).write(to: directory.appendingPathComponent(".faigen/cpuid-vendor"))
        let table = try DetectionTable.builtin()
        let detection = table.detect(Evidence.collect(root: directory.path, sources: table.sources))
        #expect(detection.classes == ["KVM", "VIRTUAL"])
        let cpuinfo = detection.skipped.first { $0.source == .cpuinfo }
        #expect(cpuinfo?.reason == "is a directory")
        #expect(cpuinfo?.origin == directory.path + "/proc/cpuinfo")
        // A FIFO where the kernel log should be is skipped, not waited on.
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("var/log"), withIntermediateDirectories: true)
        #expect(mkfifo(directory.appendingPathComponent("var/log/dmesg").path, 0o644) == 0)
        let again = table.detect(Evidence.collect(root: directory.path, sources: table.sources))
        #expect(again.skipped.first { $0.source == .kernelLog }?.reason == "not a regular file")
        #expect(again.classes == ["KVM", "VIRTUAL"])
    }
}
