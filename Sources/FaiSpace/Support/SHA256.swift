// sha256Hex: the content hash faigen records in manifests.
import Crypto

/// The SHA-256 of `bytes` as 64 lower-case hex digits.
public func sha256Hex(_ bytes: [UInt8]) -> String {
    SHA256.hash(data: bytes).map { byte in
        let hex = String(byte, radix: 16)
        return byte < 0x10 ? "0" + hex : hex
    }.joined()
}
