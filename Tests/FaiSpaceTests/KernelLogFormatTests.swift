// KernelLogFormatTests: the live kernel log readers give the text `dmesg` prints, so patterns see the same lines.
import Foundation
import Testing

@testable import FaiSpace

@Suite struct KernelLogFormatTests {
    @Test func klogctlPriorityPrefixesAreDropped() {
        let raw = Array("<6>[    0.000000] Linux version 6.1.0\n<4>[    0.000000] Hypervisor detected: KVM\n<12>[    1.5] x <3> y\nplain\n".utf8)
        let text = String(decoding: KernelLogFormat.fromKlogctl(raw[...]), as: UTF8.self)
        #expect(text == "[    0.000000] Linux version 6.1.0\n[    0.000000] Hypervisor detected: KVM\n[    1.5] x <3> y\nplain\n")
    }

    @Test func klogctlKeepsWhatIsNotAPrefix() {
        let raw = Array("<a>[0.0] not a priority\n<>empty\n<7".utf8)
        #expect(String(decoding: KernelLogFormat.fromKlogctl(raw[...]), as: UTF8.self) == "<a>[0.0] not a priority\n<>empty\n<7")
    }

    @Test func kmsgRecordsBecomeDmesgLines() {
        let records = [
            Array("6,0,0,-;Linux version 6.1.0-18-amd64\n".utf8),
            Array("4,412,12345,-;Hypervisor detected: KVM\n SUBSYSTEM=cpu\n DEVICE=+cpu:0\n".utf8),
            Array("6,9000,123456789,c;Booting paravirtualized kernel on KVM\n".utf8),
            Array("garbage without header\n".utf8),
        ]
        let text = String(decoding: KernelLogFormat.fromKmsg(records), as: UTF8.self)
        #expect(text == """
            [    0.000000] Linux version 6.1.0-18-amd64
            [    0.012345] Hypervisor detected: KVM
            [  123.456789] Booting paravirtualized kernel on KVM

            """)
    }

    @Test func seedPatternSeesTheSameLinesFromEveryReader() throws {
        let rule = try #require(try DetectionTable.builtin().rules.first { $0.id == "xenserver" })
        let fromKlogctl = KernelLogFormat.fromKlogctl(Array("<6>[    0.000000] Booting paravirtualized kernel on Xen\n".utf8)[...])
        let fromKmsg = KernelLogFormat.fromKmsg([Array("6,1,0,-;Booting paravirtualized kernel on Xen\n".utf8)])
        #expect(fromKlogctl == fromKmsg)
        #expect(fromKmsg.withUnsafeBytes { rule.check($0) } == "[    0.000000] Booting paravirtualized kernel on Xen")
    }

    @Test func savedLogsAreTheFallbackInOrder() throws {
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let varLog = directory.appendingPathComponent("var-log-dmesg").path
        let faiLog = directory.appendingPathComponent("dmesg.log").path
        try Data("[    0.000000] Hypervisor detected: VMware\n".utf8).write(to: URL(fileURLWithPath: faiLog))
        let (reading, origin) = Evidence.kernelLogFromFiles([varLog, faiLog], reasons: ["klogctl: operation not permitted"])
        #expect(origin == faiLog)
        guard case .text(let text) = reading else {
            Issue.record("no text from \(faiLog)")
            return
        }
        #expect(text.bytes == Array("[    0.000000] Hypervisor detected: VMware\n".utf8))
        try FileManager.default.removeItem(atPath: faiLog)
        let (none, _) = Evidence.kernelLogFromFiles([varLog, faiLog], reasons: ["klogctl: operation not permitted"])
        #expect(none == .unreadable("klogctl: operation not permitted; \(varLog): absent; \(faiLog): absent"))
    }
}
