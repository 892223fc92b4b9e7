// NfsrootMerge: adds the packages a render needs to an existing /etc/fai/NFSROOT without rewriting its lines.

/// The admin's own NFSROOT list stays as it is, line for line. What the generated scripts
/// need (`Generators.scriptNeeds`) and the list does not install yet goes into one block
/// between marker comments at the end; a later merge replaces that block in place, and drops
/// it when the list itself installs everything. The spec's own `nfsroot:` packages are not
/// merged: they are the config space's list (`files/etc/fai/NFSROOT/FAISERVER`), not a
/// change to the server's.
public enum NfsrootMerge {
    static let begin = "# faigen: begin of the packages the generated scripts need"
    static let end = "# faigen: end"

    /// The new content of the list at `path`, or nil when it already holds what is needed.
    public static func merged(existing: [UInt8], path: String, header: String) throws(InputError) -> [UInt8]? {
        let list = try PackageList(path: path, contents: existing)
        // Lines as written (split at the newline byte, as PackageList does), our block cut out.
        var lines = existing.split(separator: 0x0A, omittingEmptySubsequences: false).map { Array($0) }
        if list.endsWithNewline || lines.last?.isEmpty == true { lines.removeLast() }
        var blockStart: Int?
        var blockRange: Range<Int>?
        for (index, line) in lines.enumerated() {
            if line == Array(begin.utf8) { blockStart = index }
            if line == Array(end.utf8), let start = blockStart {
                blockRange = start..<(index + 1)
                break
            }
        }
        // What the admin's lines already list, by PACKAGES line (command and classes).
        var installed: [String: Set<String>] = [:]
        let blockNumbers = blockRange.map { ($0.lowerBound + 1)...($0.upperBound) }
        for section in list.sections {
            guard let command = section.command, blockNumbers?.contains(section.header.number) != true else { continue }
            let key = ([command.command] + command.classes).joined(separator: " ")
            for line in section.lines where blockNumbers?.contains(line.number) != true {
                for package in line.packages where !package.isRemoval {
                    installed[key, default: []].insert(package.name)
                }
            }
        }
        // A package an install section lists without classes, or for a class fai-make-nfsroot
        // defines on every nfsroot it makes (FULL unless -s), is installed already.
        let everywhere = installed.filter { key, _ in
            let words = key.split(separator: " ").map(String.init)
            return words[0].hasPrefix("install")
                && (words.count == 1 || words.dropFirst().contains { FAIFacts.nfsrootDefaultClasses.contains($0) })
        }.values.reduce(into: Set<String>()) { $0.formUnion($1) }
        var block: [String] = []
        for group in Generators.withScriptNeeds([]) {
            let key = ([group.command] + group.classes).joined(separator: " ")
            let missing = group.packages.filter { name in
                let bare = String(name.prefix { $0 != "/" && $0 != "=" })
                if everywhere.contains(bare) { return false }
                return !(installed[key]?.contains(bare) ?? false)
            }
            guard !missing.isEmpty else { continue }
            block.append("PACKAGES " + key)
            block += missing
        }
        var newLines = lines.map { String(decoding: $0, as: UTF8.self) }
        let newBlock = block.isEmpty ? [] : [begin, header] + block + [end]
        if let blockRange {
            newLines.replaceSubrange(blockRange, with: newBlock)
        } else {
            guard !newBlock.isEmpty else { return nil }
            newLines += newBlock
        }
        let text = newLines.joined(separator: "\n") + (newLines.isEmpty ? "" : "\n")
        let bytes = Array(text.utf8)
        return bytes == existing ? nil : bytes
    }
}
