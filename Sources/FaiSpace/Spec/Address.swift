// Address: a host's MAC address, IP address, subnet and name, each parsed once into one canonical form.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An Ethernet MAC address, written as six hex pairs separated by colons.
/// Its text is always lower case (`52:54:00:12:34:56`), as pxelinux, dnsmasq and
/// dhcpd name it, so two spellings of one address are one value.
public struct MACAddress: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The 48 bits, first octet highest.
    public let value: UInt64

    /// Parses `52:54:00:12:34:56` (either case); nil for anything else, including
    /// non-ASCII digits (full-width `５`) and other separators.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 17 else { return nil }
        var value: UInt64 = 0
        for index in 0..<17 {
            let byte = bytes[index]
            if index % 3 == 2 {
                guard byte == UInt8(ascii: ":") else { return nil }
                continue
            }
            guard let digit = hexValue(byte) else { return nil }
            value = value << 4 | UInt64(digit)
        }
        self.value = value
    }

    public init(value: UInt64) {
        self.value = value & 0xFFFF_FFFF_FFFF
    }

    /// The six octets, first first.
    public var octets: [UInt8] {
        (0..<6).map { UInt8(truncatingIfNeeded: value >> (40 - 8 * UInt64($0))) }
    }

    /// Whether the group bit is set: a multicast or broadcast address, never a network card's.
    public var isGroup: Bool { octets[0] & 1 == 1 }

    /// The octets in lower-case hex joined by `separator`.
    public func text(separator: String) -> String {
        octets.map(hexPair).joined(separator: separator)
    }

    /// `52:54:00:12:34:56`.
    public var description: String { text(separator: ":") }

    /// The name pxelinux and GRUB look for first: `01-` (Ethernet) and the octets joined by `-`.
    public var pxelinuxName: String { "01-" + text(separator: "-") }

    public static func < (lhs: MACAddress, rhs: MACAddress) -> Bool { lhs.value < rhs.value }
}

/// An IPv4 or IPv6 address, parsed by the system's `inet_pton` and written back by
/// `inet_ntop`: `::1` and `0:0:0:0:0:0:0:1`, `fe80::1` and `FE80::1` are one value.
/// IPv4 takes dotted decimal only: `inet_pton` refuses `010.000.000.001` (C's
/// `inet_aton` reads leading zeros as octal, so the spelling is ambiguous) and `:::`.
public struct IPAddress: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Family: Sendable, Hashable { case v4, v6 }

    public let family: Family
    /// The address bits: IPv4 in the low 32 bits of `low`, IPv6 as two 64-bit halves.
    public let high: UInt64
    public let low: UInt64

    /// The longest text either family may take (INET6_ADDRSTRLEN less the NUL).
    static let maximumLength = 45

    /// Parses an address; nil when `inet_pton` does not take it. A text with a colon
    /// is IPv6, else IPv4.
    public init?(_ text: String) {
        let utf8 = text.utf8
        // inet_pton reads a C string: a NUL would end the text early, and the system's
        // parser takes ASCII only.
        guard !utf8.isEmpty, utf8.count <= Self.maximumLength, utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        let isV6 = utf8.contains(UInt8(ascii: ":"))
        var buffer = [UInt8](repeating: 0, count: 16)
        let parsed = text.withCString { cText in
            buffer.withUnsafeMutableBytes { inet_pton(isV6 ? AF_INET6 : AF_INET, cText, $0.baseAddress) }
        }
        guard parsed == 1 else { return nil }
        if isV6 {
            self.init(v6Bytes: buffer)
        } else {
            self.init(v4: buffer[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        }
    }

    public init(v4: UInt32) {
        family = .v4
        high = 0
        low = UInt64(v4)
    }

    init(v6Bytes bytes: [UInt8]) {
        family = .v6
        high = bytes[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        low = bytes[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    public init(v6High: UInt64, low: UInt64) {
        family = .v6
        high = v6High
        self.low = low
    }

    /// The address in network byte order: 4 bytes or 16.
    public var bytes: [UInt8] {
        switch family {
        case .v4: return (0..<4).map { UInt8(truncatingIfNeeded: low >> (24 - 8 * UInt64($0))) }
        case .v6: return (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64($0))) }
            + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64($0))) }
        }
    }

    /// The bit width of the family: 32 or 128.
    public var width: Int { family == .v4 ? 32 : 128 }

    /// The canonical text, as `inet_ntop` writes it (RFC 5952 for IPv6).
    public var description: String {
        var address = bytes
        var text = [CChar](repeating: 0, count: 64)
        let written = address.withUnsafeMutableBytes { raw in
            inet_ntop(family == .v4 ? AF_INET : AF_INET6, raw.baseAddress, &text, socklen_t(text.count))
        }
        precondition(written != nil, "inet_ntop failed on an address inet_pton made")
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The IPv4 address in upper-case hex (`0A01010B`): pxelinux's and GRUB's per-IP file name.
    public var hexName: String {
        bytes.map { hexPair($0).uppercased() }.joined()
    }

    /// The address plus `offset` within the same family (no wrap past the end).
    func adding(_ offset: UInt64) -> IPAddress? {
        switch family {
        case .v4:
            let sum = low + offset
            return sum <= UInt64(UInt32.max) ? IPAddress(v4: UInt32(sum)) : nil
        case .v6:
            let (newLow, carry) = low.addingReportingOverflow(offset)
            if carry {
                guard high < UInt64.max else { return nil }
                return IPAddress(v6High: high + 1, low: newLow)
            }
            return IPAddress(v6High: high, low: newLow)
        }
    }

    public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        if lhs.family != rhs.family { return lhs.family == .v4 }
        return (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }
}

/// An IP network in CIDR form (`10.1.1.0/24`): its address has no bits set past the prefix.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    public let address: IPAddress
    public let prefixLength: Int

    /// Parses `ADDRESS/LENGTH`; nil when either part is not valid. Host bits set past the
    /// prefix are an error the caller words (`network(ofHostBits:)` tells which network was meant).
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPAddress(String(parts[0])),
              !parts[1].isEmpty, parts[1].count <= 3, parts[1].utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              let length = Int(parts[1]), length <= address.width, !(parts[1].count > 1 && parts[1].hasPrefix("0")) else { return nil }
        self.address = address
        self.prefixLength = length
    }

    public init(address: IPAddress, prefixLength: Int) {
        self.address = address
        self.prefixLength = prefixLength
    }

    /// Whether the address has no bits set past the prefix.
    public var isNetworkAddress: Bool { masked(address) == address }

    /// This network with the host bits of its address cleared.
    public var normalized: IPNetwork { IPNetwork(address: masked(address), prefixLength: prefixLength) }

    func masked(_ ip: IPAddress) -> IPAddress {
        switch ip.family {
        case .v4:
            let mask: UInt64 = prefixLength == 0 ? 0 : (UInt64(UInt32.max) << UInt64(32 - prefixLength)) & UInt64(UInt32.max)
            return IPAddress(v4: UInt32(ip.low & mask))
        case .v6:
            let highMask: UInt64 = prefixLength == 0 ? 0 : (prefixLength >= 64 ? UInt64.max : UInt64.max << UInt64(64 - prefixLength))
            let lowMask: UInt64 = prefixLength <= 64 ? 0 : (prefixLength == 128 ? UInt64.max : UInt64.max << UInt64(128 - prefixLength))
            return IPAddress(v6High: ip.high & highMask, low: ip.low & lowMask)
        }
    }

    public func contains(_ ip: IPAddress) -> Bool {
        ip.family == address.family && masked(ip) == address
    }

    /// The last address of the network (IPv4's broadcast address).
    public var last: IPAddress {
        let hostBits = address.width - prefixLength
        switch address.family {
        case .v4:
            let span: UInt64 = hostBits == 0 ? 0 : (UInt64(1) << UInt64(hostBits)) - 1
            return IPAddress(v4: UInt32(address.low | span))
        case .v6:
            let lowSpan: UInt64 = hostBits >= 64 ? UInt64.max : (hostBits == 0 ? 0 : (UInt64(1) << UInt64(hostBits)) - 1)
            let highSpan: UInt64 = hostBits <= 64 ? 0 : (hostBits == 128 ? UInt64.max : (UInt64(1) << UInt64(hostBits - 64)) - 1)
            return IPAddress(v6High: address.high | highSpan, low: address.low | lowSpan)
        }
    }

    /// The IPv4 netmask in dotted form (`255.255.255.0`), as dhcpd and dnsmasq write it.
    public var netmask: IPAddress {
        let mask: UInt64 = prefixLength == 0 ? 0 : (UInt64(UInt32.max) << UInt64(32 - prefixLength)) & UInt64(UInt32.max)
        return IPAddress(v4: UInt32(mask))
    }

    public var description: String { "\(address)/\(prefixLength)" }
}

/// A host name as FAI uses it: `hostname=` on the kernel command line, `class/HOSTNAME`,
/// DHCP and the hosts file. Dot-separated labels of ASCII letters, digits and `-`, none
/// empty (no `host.` or `a..b`), none starting or ending with `-`, at most 63 bytes a
/// label and 253 in all; not starting with two digits, which fai-class would take for a
/// class script.
public struct HostName: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The name as the spec writes it.
    public let text: String

    public static let maximumLength = 253

    /// Why `text` is not a host name, or nil when it is one.
    public static func problem(_ text: String) -> (message: String, hint: String)? {
        let bytes = Array(text.utf8)
        let form = "a host name is labels of A-Z, a-z, 0-9 and - separated by single dots, each starting and ending with a letter or digit"
        guard !bytes.isEmpty, bytes.count <= maximumLength else {
            return ("invalid host name \(Validate.quote(text)) (\(bytes.count) bytes)", "a host name has 1 to \(maximumLength) bytes")
        }
        for label in bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard !label.isEmpty, label.count <= 63,
                  label.allSatisfy({ Validate.isAlphanumeric($0) || $0 == UInt8(ascii: "-") }),
                  label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-") else {
                return ("invalid host name \(Validate.quote(text))", form)
            }
        }
        if bytes.count >= 2, Validate.isDigit(bytes[0]), Validate.isDigit(bytes[1]) {
            return ("host name \(Validate.quote(text)) starts with two digits", "fai-class would take class/\(text) for a class script; rename the host")
        }
        return nil
    }

    public init?(_ text: String) {
        guard Self.problem(text) == nil else { return nil }
        self.text = text
    }

    /// The first label: the short name, as `/etc/hosts` lists beside the full one.
    public var shortName: String { String(text.prefix { $0 != "." }) }

    /// Names differing only in case are one name to DNS and DHCP.
    public var key: String { text.lowercased() }

    public var description: String { text }

    public static func < (lhs: HostName, rhs: HostName) -> Bool { lhs.text < rhs.text }
}

private func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    default: return nil
    }
}

private let hexDigits = Array("0123456789abcdef".utf8)

private func hexPair(_ byte: UInt8) -> String {
    String(decoding: [hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 15)]], as: UTF8.self)
}

extension SpecNode {
    /// The node's one-line text turned into a value by `parse`, whose error gets this node's place.
    func parsed<Value>(_ what: String, _ parse: (String) throws(InputError) -> Value) throws(InputError) -> Value {
        let text = try string(what)
        do {
            return try parse(text)
        } catch {
            var located = error
            located.location = location
            throw located
        }
    }

    func hostName(_ what: String) throws(InputError) -> HostName {
        try parsed(what) { (text) throws(InputError) in try Validate.hostName(text) }
    }

    func macAddress(_ what: String) throws(InputError) -> MACAddress {
        try parsed(what) { (text) throws(InputError) in try Validate.mac(text) }
    }

    func ipAddress(_ what: String) throws(InputError) -> IPAddress {
        try parsed(what) { (text) throws(InputError) in try Validate.ipAddress(text) }
    }
}
