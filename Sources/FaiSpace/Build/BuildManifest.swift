// BuildManifest: faiconfig.mtree, every entry of a build (path, type, mode, size, sha256, link target).

/// A build's manifest in mtree(5) format, the format BSD `mtree -f` verifies a tree against
/// and libarchive's `bsdtar` reads. One line per entry, sorted by path, each path a full
/// path from the root (`./class/DEFAULT.var`) with every byte that is not printable ASCII,
/// and `\`, `#`, written as `\ooo` (octal), so a line never breaks and never starts a comment:
///
/// ```
/// #mtree
/// . type=dir
/// ./class type=dir uid=0 gid=0 mode=0755 time=0.0
/// ./class/50-host-classes type=file uid=0 gid=0 mode=0755 size=123 time=0.0 sha256digest=3b…
/// ./files/etc/motd/DEBIAN type=link uid=0 gid=0 time=0.0 link=../issue/DEBIAN
/// ```
enum BuildManifest {
    /// The sha256 of every regular file, by path; computed on every core.
    static func hashes(_ entries: [TreeEntry]) -> [String: String] {
        let files = entries.compactMap { entry -> ConfigFile? in
            if case .file(let file) = entry { return file }
            return nil
        }
        let digests = Parallel.map(files.count) { sha256Hex(files[$0].contents) }
        return Dictionary(zip(files.map(\.path), digests), uniquingKeysWith: { first, _ in first })
    }

    /// `manifest`, the ``contents(_:hashes:mtime:)`` of some entries, with the lines of `added`
    /// put where they sort: before the line of the entry at `index` of those entries. The same
    /// bytes as the contents of all of them, without making every other line again.
    static func inserting(_ added: [TreeEntry], at index: Int, into manifest: [UInt8], hashes: [String: String],
                          mtime: Int64) -> [UInt8] {
        // Two lines of header, then one line per entry.
        var offset = manifest.startIndex
        var lines = 0
        while lines < index + 2, let newline = manifest[offset...].firstIndex(of: 0x0A) {
            offset = newline + 1
            lines += 1
        }
        var inserted: [UInt8] = []
        let time = timeField(mtime)
        for entry in added { appendLine(&inserted, entry, hashes: hashes, time: time) }
        var out = Array(manifest[..<offset])
        out.reserveCapacity(manifest.count + inserted.count)
        out += inserted
        out += manifest[offset...]
        return out
    }

    static func contents(_ entries: [TreeEntry], hashes: [String: String], mtime: Int64) -> [UInt8] {
        // The root first, without mode or time: it is FAI's $FAI, made before the archive is unpacked.
        var out: [UInt8] = Array("#mtree\n. type=dir\n".utf8)
        let time = timeField(mtime)
        // Lines are made a chunk at a time on every core, then joined in order.
        let chunk = 1024
        let parts = Parallel.map((entries.count + chunk - 1) / chunk, minimumChunk: 1) { index in
            var part: [UInt8] = []
            part.reserveCapacity(chunk * 160)
            for entry in entries[(index * chunk)..<min(entries.count, (index + 1) * chunk)] {
                appendLine(&part, entry, hashes: hashes, time: time)
            }
            return part
        }
        out.reserveCapacity(out.count + parts.reduce(0) { $0 + $1.count })
        for part in parts { out += part }
        return out
    }

    /// ` time=MTIME.0`, the same on every line.
    private static func timeField(_ mtime: Int64) -> [UInt8] {
        Array(" time=\(mtime).0".utf8)
    }

    private static func appendLine(_ out: inout [UInt8], _ entry: TreeEntry, hashes: [String: String], time: [UInt8]) {
        out += "./".utf8
        appendEncoded(&out, entry.path)
        switch entry {
        case .directory(let directory):
            out += " type=dir uid=0 gid=0 mode=".utf8
            appendMode(&out, directory.mode)
            out += time
            out.append(0x0A)
        case .file(let file):
            out += " type=file uid=0 gid=0 mode=".utf8
            appendMode(&out, file.mode)
            out += " size=".utf8
            out += String(file.contents.count).utf8
            out += time
            out += " sha256digest=".utf8
            out += (hashes[file.path] ?? sha256Hex(file.contents)).utf8
            out.append(0x0A)
        case .symlink(let link):
            out += " type=link uid=0 gid=0".utf8
            out += time
            out += " link=".utf8
            appendEncoded(&out, link.target)
            out.append(0x0A)
        }
    }

    /// At least four octal digits, as `0755`.
    private static func appendMode(_ out: inout [UInt8], _ mode: UInt32) {
        var digits: [UInt8] = []
        var value = mode
        repeat {
            digits.append(0x30 + UInt8(value & 7))
            value >>= 3
        } while value != 0
        while digits.count < 4 { digits.append(0x30) }
        out += digits.reversed()
    }

    /// mtree's (vis(3)) octal escapes for everything but printable ASCII other than `\` and `#`.
    static func encode(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        appendEncoded(&out, text)
        return out
    }

    private static func appendEncoded(_ out: inout [UInt8], _ text: String) {
        for byte in text.utf8 {
            if byte > 0x20, byte < 0x7F, byte != 0x5C, byte != 0x23 {
                out.append(byte)
            } else {
                out.append(0x5C)
                for shift in [6, 3, 0] { out.append(0x30 + (byte >> UInt8(shift)) & 7) }
            }
        }
    }
}
