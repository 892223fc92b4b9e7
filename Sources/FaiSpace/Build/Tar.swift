// Tar: a config space as a POSIX tar (ustar, pax records for long names) and back.

/// The tar format of build archives, written and read by faigen itself.
///
/// Written: one ustar header per entry in the order given, owner and group 0 with empty
/// names (`--numeric-owner`), the one mtime given, permission bits as the entry has them,
/// directories as `PATH/`, no entry for the root (so FAI's `ftar` leaves `$FAI`'s own mode
/// alone), a pax `x` record before an entry whose path or link target does not fit ustar's
/// fields (its own name is fixed, `PaxHeaders/NAME`, never a process id), two zero blocks,
/// then zeros up to a 10240-byte record as GNU tar writes. Nothing in it depends on the
/// machine, the user or the clock.
///
/// Read: ustar and GNU tar files with pax (`x`, `g`) and GNU long-name (`L`, `K`) records;
/// regular files, directories and symlinks. Every path must stay inside the archive's root.
public enum Tar {
    static let block = 512
    static let record = 10240

    /// The tar bytes of `entries` (paths relative, sorted by the caller), every mtime `mtime`.
    public static func archive(_ entries: [TreeEntry], mtime: Int64) -> [UInt8] {
        // An entry's bytes depend on it alone and end on a block boundary: chunks of entries
        // are written on every core, then joined in order.
        let chunk = 256
        let parts = Parallel.map((entries.count + chunk - 1) / chunk, minimumChunk: 1) { index in
            let slice = entries[(index * chunk)..<min(entries.count, (index + 1) * chunk)]
            var out: [UInt8] = []
            out.reserveCapacity(slice.reduce(0) { size, entry in
                var size = size + 3 * block + entry.path.utf8.count
                if case .file(let file) = entry { size += file.contents.count + block }
                return size
            })
            for entry in slice { append(&out, entry, mtime: mtime) }
            return out
        }
        var out: [UInt8] = []
        out.reserveCapacity(parts.reduce(record) { $0 + $1.count })
        for part in parts { out += part }
        out += repeatElement(0, count: 2 * block)
        out += repeatElement(0, count: (record - out.count % record) % record)
        return out
    }

    private static func append(_ out: inout [UInt8], _ entry: TreeEntry, mtime: Int64) {
        switch entry {
        case .file(let file):
            appendEntry(&out, path: file.path, type: UInt8(ascii: "0"), mode: file.mode, size: file.contents.count,
                        link: "", mtime: mtime)
            out += file.contents
            pad(&out)
        case .directory(let directory):
            appendEntry(&out, path: directory.path + "/", type: UInt8(ascii: "5"), mode: directory.mode, size: 0,
                        link: "", mtime: mtime)
        case .symlink(let link):
            appendEntry(&out, path: link.path, type: UInt8(ascii: "2"), mode: 0o777, size: 0,
                        link: link.target, mtime: mtime)
        }
    }

    private static func pad(_ out: inout [UInt8]) {
        out += repeatElement(0, count: (block - out.count % block) % block)
    }

    private static func appendEntry(_ out: inout [UInt8], path: String, type: UInt8, mode: UInt32, size: Int,
                                    link: String, mtime: Int64) {
        var path = path, link = link
        path.withUTF8 { pathBytes in
            link.withUTF8 { linkBytes in
                let split = splitUstarName(pathBytes)
                if split == nil || linkBytes.count > 100 || size > 0o77777777777 {
                    var body: [UInt8] = []
                    if split == nil { body += paxRecord("path", Array(pathBytes)) }
                    if linkBytes.count > 100 { body += paxRecord("linkpath", Array(linkBytes)) }
                    if size > 0o77777777777 { body += paxRecord("size", Array(String(size).utf8)) }
                    let name = Array(("PaxHeaders/" + String(decoding: pathBytes, as: UTF8.self).lastPathComponent).utf8.prefix(100))
                    name.withUnsafeBufferPointer { name in
                        appendHeader(&out, name: name[...], prefix: name[0..<0], type: UInt8(ascii: "x"), mode: 0o644,
                                     size: body.count, link: name[0..<0], mtime: mtime)
                    }
                    out += body
                    pad(&out)
                }
                let (prefix, name) = split ?? (pathBytes[0..<0], pathBytes[max(0, pathBytes.count - 100)...])
                appendHeader(&out, name: name, prefix: prefix, type: type, mode: mode, size: min(size, 0o77777777777),
                             link: linkBytes[..<min(linkBytes.count, 100)], mtime: mtime)
            }
        }
    }

    /// ustar's name (100 bytes) and prefix (155 bytes, joined by `/`); nil when the path fits neither.
    static func splitUstarName(_ path: UnsafeBufferPointer<UInt8>)
        -> (prefix: Slice<UnsafeBufferPointer<UInt8>>, name: Slice<UnsafeBufferPointer<UInt8>>)? {
        if path.count <= 100 { return (path[0..<0], path[...]) }
        // The last `/` that leaves a name of at most 100 bytes and a prefix of at most 155.
        let directoryEntry = path.last == 0x2F
        let searchEnd = directoryEntry ? path.count - 1 : path.count
        for index in stride(from: min(searchEnd - 1, 155), through: 1, by: -1) where path[index] == 0x2F {
            let name = path[(index + 1)...]
            if name.count > 100 { return nil }
            if name.isEmpty || (directoryEntry && name.count == 1) { continue }
            return (path[..<index], name)
        }
        return nil
    }

    /// One pax record: `LENGTH KEY=VALUE\n`, LENGTH counting itself.
    static func paxRecord(_ key: String, _ value: [UInt8]) -> [UInt8] {
        let rest = 1 + key.utf8.count + 1 + value.count + 1
        var length = rest + 1
        while String(length).utf8.count + rest != length { length = String(length).utf8.count + rest }
        return Array("\(length) \(key)=".utf8) + value + [0x0A]
    }

    /// Appends one 512-byte ustar header, written in place.
    private static func appendHeader(_ out: inout [UInt8], name: Slice<UnsafeBufferPointer<UInt8>>,
                                     prefix: Slice<UnsafeBufferPointer<UInt8>>, type: UInt8, mode: UInt32, size: Int,
                                     link: Slice<UnsafeBufferPointer<UInt8>>, mtime: Int64) {
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: block))
        out.withUnsafeMutableBufferPointer { buffer in
            let header = UnsafeMutableBufferPointer(rebasing: buffer[start..<(start + block)])
            func put(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, at offset: Int) {
                for (index, byte) in bytes.enumerated() { header[offset + index] = byte }
            }
            // WIDTH-1 octal digits, zero-padded, then a NUL (or what `end` says).
            func octal(_ value: Int64, width: Int, at offset: Int, end: UInt8 = 0) {
                var value = value
                for index in stride(from: offset + width - 2, through: offset, by: -1) {
                    header[index] = 0x30 + UInt8(truncatingIfNeeded: value & 7)
                    value >>= 3
                }
                header[offset + width - 1] = end
            }
            put(name, at: 0)
            octal(Int64(mode & 0o7777), width: 8, at: 100)
            octal(0, width: 8, at: 108)
            octal(0, width: 8, at: 116)
            octal(Int64(size), width: 12, at: 124)
            octal(mtime, width: 12, at: 136)
            header[156] = type
            put(link, at: 157)
            for (index, byte) in "ustar\u{0}00".utf8.enumerated() { header[257 + index] = byte }
            octal(0, width: 8, at: 329)
            octal(0, width: 8, at: 337)
            put(prefix, at: 345)
            // The checksum counts its own field as eight spaces: six digits, a NUL, a space.
            var sum = 8 * 0x20
            for byte in header { sum += Int(byte) }
            octal(Int64(sum), width: 7, at: 148)
            header[155] = 0x20
        }
    }

    /// The entries of a tar file, in archive order; `file` names it in errors. The root
    /// (`.` or `./`) is left out; `./` before paths is dropped.
    public static func entries(_ bytes: [UInt8], file: String) throws(InputError) -> [TreeEntry] {
        var entries: [TreeEntry] = []
        var offset = 0
        var pax: [String: String] = [:]
        var longName: String?, longLink: String?
        func bad(_ message: String) -> InputError {
            InputError(file: file, "\(message) (tar block at byte \(offset))", hint: "give a tar file faigen build or GNU tar wrote")
        }
        while offset + block <= bytes.count {
            let header = bytes[offset..<(offset + block)]
            if header.allSatisfy({ $0 == 0 }) { return entries }
            let stored = try number(header, 148, 8, bad)
            let sum = header.enumerated().reduce(0) { $0 + ((148..<156).contains($1.offset) ? 0x20 : Int($1.element)) }
            guard stored == sum else { throw bad("header checksum does not match") }
            var size = try number(header, 124, 12, bad)
            if let paxSize = pax["size"].flatMap({ Int($0) }) { size = paxSize }
            let dataStart = offset + block
            guard size >= 0, dataStart + size <= bytes.count else { throw bad("entry runs past the end of the archive") }
            let data = Array(bytes[dataStart..<(dataStart + size)])
            offset = dataStart + (size + block - 1) / block * block
            let type = header[header.startIndex + 156]
            switch type {
            case UInt8(ascii: "x"):
                pax = try parsePax(data, bad)
                continue
            case UInt8(ascii: "g"):
                continue
            case UInt8(ascii: "L"):
                longName = String(decoding: data.prefix { $0 != 0 }, as: UTF8.self)
                continue
            case UInt8(ascii: "K"):
                longLink = String(decoding: data.prefix { $0 != 0 }, as: UTF8.self)
                continue
            default:
                break
            }
            var path = pax["path"] ?? longName ?? ustarPath(header)
            let link = pax["linkpath"] ?? longLink ?? string(header, 157, 100)
            pax = [:]
            longName = nil
            longLink = nil
            let mode = UInt32(try number(header, 100, 8, bad) & 0o7777)
            while path.hasPrefix("./") { path.removeFirst(2) }
            while path.hasSuffix("/") { path.removeLast() }
            if path.isEmpty || path == "." { continue }
            if let problem = RelativePath.problem(path) {
                throw bad("entry '\(path)' is not a path inside the archive: \(problem.message)")
            }
            switch type {
            case UInt8(ascii: "0"), 0, UInt8(ascii: "7"):
                entries.append(.file(ConfigFile(path: path, contents: data, mode: mode)))
            case UInt8(ascii: "5"):
                entries.append(.directory(Directory(path: path, mode: mode)))
            case UInt8(ascii: "2"):
                entries.append(.symlink(Symlink(path: path, target: link)))
            case UInt8(ascii: "1"):
                throw bad("entry '\(path)' is a hard link, which a config space build does not hold")
            default:
                throw bad("entry '\(path)' has tar type '\(Character(Unicode.Scalar(type)))', not a file, directory or symlink")
            }
        }
        if offset == bytes.count, !bytes.isEmpty { return entries }
        throw InputError(file: file, "ends inside a tar entry (truncated)", hint: "fetch or build it again")
    }

    private static func ustarPath(_ header: ArraySlice<UInt8>) -> String {
        let name = string(header, 0, 100)
        let magic = header[(header.startIndex + 257)..<(header.startIndex + 262)]
        guard magic.elementsEqual("ustar".utf8) else { return name }
        let prefix = string(header, 345, 155)
        return prefix.isEmpty ? name : prefix + "/" + name
    }

    private static func string(_ header: ArraySlice<UInt8>, _ offset: Int, _ width: Int) -> String {
        let field = header[(header.startIndex + offset)..<(header.startIndex + offset + width)]
        return String(decoding: field.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// An octal field (spaces and NULs around it), or GNU's base-256 when the top bit is set.
    private static func number(_ header: ArraySlice<UInt8>, _ offset: Int, _ width: Int,
                               _ bad: (String) -> InputError) throws(InputError) -> Int {
        let field = header[(header.startIndex + offset)..<(header.startIndex + offset + width)]
        if let first = field.first, first & 0x80 != 0 {
            var value = Int(first & 0x3f)
            for byte in field.dropFirst() {
                guard value < Int.max >> 9 else { throw bad("a numeric field is out of range") }
                value = value << 8 | Int(byte)
            }
            return value
        }
        var value = 0
        var digits = 0
        for byte in field {
            if byte == 0 || byte == 0x20 { if digits > 0 { break } else { continue } }
            guard (0x30...0x37).contains(byte), value < Int.max >> 4 else { throw bad("a numeric field is not octal") }
            value = value * 8 + Int(byte - 0x30)
            digits += 1
        }
        return value
    }

    private static func parsePax(_ data: [UInt8], _ bad: (String) -> InputError) throws(InputError) -> [String: String] {
        var records: [String: String] = [:]
        var index = 0
        while index < data.count {
            guard let space = data[index...].firstIndex(of: 0x20),
                  let length = Int(String(decoding: data[index..<space], as: UTF8.self)),
                  length > space - index, index + length <= data.count, data[index + length - 1] == 0x0A,
                  let equals = data[(space + 1)..<(index + length)].firstIndex(of: 0x3D) else {
                throw bad("a pax record is malformed")
            }
            let key = String(decoding: data[(space + 1)..<equals], as: UTF8.self)
            records[key] = String(decoding: data[(equals + 1)..<(index + length - 1)], as: UTF8.self)
            index += length
        }
        return records
    }
}
