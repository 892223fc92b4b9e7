// Gzip: the gzip stream of a build archive (deterministic, on every core) and reading one back.
import CZlib

/// gzip through the system's zlib (`zlib1g-dev`; the release binary links `libz.a`).
///
/// Why zlib and not a deflate of our own: zlib is what gzip, curl and FAI's `zcat` are
/// built on, its output for a given level and input is fixed by its code alone (no clock,
/// no randomness, no thread timing), and it is fast. A different zlib release may in
/// principle choose other matches for the same input, so the archive's bytes are those of
/// the zlib faigen was linked with; the version's content hash never depends on them (it is
/// taken over the manifest, not over the compressed bytes).
///
/// The stream is cut like pigz cuts it: the input is split into blocks of ``blockSize``
/// bytes, each compressed on its own with the 32 KiB before it as its dictionary, ended by
/// a sync flush (byte-aligned, not final), and the last ended by finish. The block size
/// is a constant, not the number of cores, so the bytes are the same on any machine, and the
/// blocks are compressed on every core at once.
///
/// The header has no file name and no time (as `gzip -n`): `1f 8b 08 00 00000000 00 03`.
public enum Gzip {
    /// Input bytes per independently compressed block.
    static let blockSize = 128 * 1024
    /// The deflate window zlib uses; the dictionary each block gets from the one before.
    static let window = 32 * 1024
    /// zlib's level; 6 is gzip's default.
    static let level: Int32 = 6
    /// What `decompress` produces at most: an archive that inflates beyond it is refused
    /// (a config space is megabytes, a gzip bomb is not).
    public static let maximumDecompressedSize = 4 << 30

    /// The gzip file of `bytes`.
    public static func compress(_ bytes: [UInt8]) -> [UInt8] {
        let blocks = max(1, (bytes.count + blockSize - 1) / blockSize)
        let compressed: [(data: [UInt8], crc: UInt, length: Int)] = bytes.withUnsafeBufferPointer { input in
            nonisolated(unsafe) let input = input
            return Parallel.map(blocks, minimumChunk: 1) { index in
                let start = index * blockSize
                let end = min(bytes.count, start + blockSize)
                return deflateBlock(input, start: start, end: end, last: index == blocks - 1)
            }
        }
        var out: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]
        out.reserveCapacity(compressed.reduce(18) { $0 + $1.data.count })
        var crc: UInt = crc32(0, nil, 0)
        for block in compressed {
            out += block.data
            crc = crc32_combine(crc, block.crc, .init(block.length))
        }
        let size = UInt32(truncatingIfNeeded: bytes.count)
        for value in [UInt32(truncatingIfNeeded: crc), size] {
            for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
        }
        return out
    }

    private static func deflateBlock(_ input: UnsafeBufferPointer<UInt8>, start: Int, end: Int,
                                     last: Bool) -> (data: [UInt8], crc: UInt, length: Int) {
        var stream = z_stream()
        // Raw deflate (negative window bits): the gzip header and trailer are written above.
        let status = deflateInit2_(&stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY,
                                   ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "zlib deflateInit2 failed: \(status)")
        defer { deflateEnd(&stream) }
        let base = UnsafeMutablePointer(mutating: input.baseAddress ?? UnsafePointer(bitPattern: 1)!)
        if start > 0 {
            let from = max(0, start - window)
            deflateSetDictionary(&stream, base + from, uInt(start - from))
        }
        let length = end - start
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(length))) + 64)
        stream.next_in = base + start
        stream.avail_in = uInt(length)
        let produced = out.withUnsafeMutableBufferPointer { buffer -> Int in
            stream.next_out = buffer.baseAddress
            stream.avail_out = uInt(buffer.count)
            // deflateBound leaves room for all of it, so one call consumes the block.
            let result = deflate(&stream, last ? Z_FINISH : Z_SYNC_FLUSH)
            precondition(result == (last ? Z_STREAM_END : Z_OK) && stream.avail_in == 0, "zlib deflate failed: \(result)")
            return buffer.count - Int(stream.avail_out)
        }
        out.removeSubrange(produced...)
        let crc = crc32(0, base + start, uInt(length))
        return (out, crc, length)
    }

    /// The bytes inside a gzip file (members one after the other, as `zcat` reads them);
    /// `file` names it in errors.
    public static func decompress(_ bytes: [UInt8], file: String) throws(InputError) -> [UInt8] {
        var stream = z_stream()
        // 15 + 32: zlib or gzip header, detected.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw InputError(file: file, "cannot start zlib's inflate")
        }
        defer { inflateEnd(&stream) }
        guard bytes.count >= 2, bytes[0] == 0x1f, bytes[1] == 0x8b else {
            throw InputError(file: file, "is not a gzip file", hint: "give a faiconfig.tar.gz that faigen build wrote")
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 4)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var failure: String?
        bytes.withUnsafeBufferPointer { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = uInt(input.count)
            while failure == nil {
                let result = chunk.withUnsafeMutableBufferPointer { buffer -> Int32 in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = uInt(buffer.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                out += chunk[0..<(chunk.count - Int(stream.avail_out))]
                if out.count > maximumDecompressedSize {
                    failure = "inflates to more than \(maximumDecompressedSize >> 30) GiB"
                } else if result == Z_STREAM_END {
                    // Another member may follow (zcat reads them all); padding zeros end it.
                    if stream.avail_in == 0 || stream.next_in.pointee != 0x1f { break }
                    inflateReset(&stream)
                } else if result != Z_OK {
                    failure = result == Z_BUF_ERROR ? "ends before its gzip stream does (truncated)"
                        : "is not a valid gzip stream (\(stream.msg.map { String(cString: $0) } ?? "zlib error \(result)"))"
                }
            }
        }
        if let failure { throw InputError(file: file, failure, hint: "fetch or build it again") }
        return out
    }
}
