// sha256Hex: the content hash faigen records in manifests.
import CLibCrypto

/// The SHA-256 of `bytes` as 64 lower-case hex digits.
public func sha256Hex(_ bytes: [UInt8]) -> String {
    // One buffer of 64 hex digits: a manifest hashes every generated file twice a render.
    let digits: [UInt8] = Array("0123456789abcdef".utf8)
    var hex: [UInt8] = []
    hex.reserveCapacity(64)
    var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
    bytes.withUnsafeBufferPointer { input in
        var context = SHA256_CTX()
        SHA256_Init(&context)
        SHA256_Update(&context, input.baseAddress, input.count)
        SHA256_Final(&digest, &context)
    }
    for byte in digest {
        hex.append(digits[Int(byte >> 4)])
        hex.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: hex, as: UTF8.self)
}
