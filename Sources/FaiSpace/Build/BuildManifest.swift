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

    static func contents(_ entries: [TreeEntry], hashes: [String: String], mtime: Int64) -> [UInt8] {
        // The root first, without mode or time: it is FAI's $FAI, made before the archive is unpacked.
        var out: [UInt8] = Array("#mtree\n. type=dir\n".utf8)
        out.reserveCapacity(entries.count * 150)
        let common = " uid=0 gid=0"
        let time = " time=\(mtime).0"
        for entry in entries {
            out += encode("./" + entry.path)
            switch entry {
            case .directory(let directory):
                out += " type=dir\(common) mode=\(octal(directory.mode))\(time)\n".utf8
            case .file(let file):
                out += " type=file\(common) mode=\(octal(file.mode)) size=\(file.contents.count)\(time)".utf8
                out += " sha256digest=\(hashes[file.path] ?? sha256Hex(file.contents))\n".utf8
            case .symlink(let link):
                out += " type=link\(common)\(time) link=".utf8
                out += encode(link.target)
                out.append(0x0A)
            }
        }
        return out
    }

    private static func octal(_ mode: UInt32) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// mtree's (vis(3)) octal escapes for everything but printable ASCII other than `\` and `#`.
    static func encode(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if byte > 0x20, byte < 0x7F, byte != 0x5C, byte != 0x23 {
                out.append(byte)
            } else {
                out.append(0x5C)
                for shift in [6, 3, 0] { out.append(0x30 + (byte >> UInt8(shift)) & 7) }
            }
        }
        return out
    }
}
