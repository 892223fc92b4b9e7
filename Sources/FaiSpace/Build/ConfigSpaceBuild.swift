// ConfigSpaceBuild: a rendered config space as a versioned, reproducible archive FAI fetches over http(s).
import Dispatch

/// One build: the render of a site (base plus generated parts, the same entries `faigen
/// render` writes) as `faiconfig.tar.gz`, its manifest, `SHA256SUMS` and its version.
///
/// The same inputs give the same bytes:
/// - entries sorted by path, every parent directory listed (mode 0755 unless the base has it);
/// - owner and group 0, numeric; one mtime for every entry (``BuildTime``);
/// - the base's modes as git keeps them (0755 when the owner may execute, else 0644;
///   directories 0755), so the umask of a checkout cannot change a build; a generated file
///   keeps the mode faigen gives it;
/// - gzip without name or time, cut into fixed blocks (``Gzip``).
/// Nothing of the host, the checkout's path, the locale or the time zone enters it.
///
/// The version is the spec's `version:`, a dash, and the first 12 hex digits of the sha256
/// of the manifest of the content (every entry's path, type, mode, size, sha256 or link
/// target, and the mtime): one changed byte anywhere gives another version. The archive
/// also holds it, in ``versionPath``, so a booted client can say which build it runs.
public struct ConfigSpaceBuild: Sendable {
    /// The archive's file name: FAI's get-config-dir-http takes the name up to its first dot
    /// as an ftar class and unpacks `CLASS.tar.gz`, so no dot may come before the extension.
    public static let archiveName = "faiconfig.tar.gz"
    /// The manifest (mtree(5) format, which `mtree -f` and bsdtar read).
    public static let manifestName = "faiconfig.mtree"
    public static let sumsName = "SHA256SUMS"
    /// Inside the archive: one line, the version. FAI reads nothing below a dot directory at
    /// the config space's root; a client reads `$FAI/.faigen/version`.
    public static let versionPath = ".faigen/version"
    /// Hex digits of the content hash in the version.
    static let shortHashLength = 12

    /// `VERSION-HASH`, the name of the build's directory.
    public var version: String
    /// The sha256 of the content manifest (the version carries its first 12 digits).
    public var contentHash: String
    /// Every entry of the archive, in archive order (the version file included).
    public var entries: [TreeEntry]
    /// The files of the build's directory by name: archive, manifest, sums.
    public var files: [(name: String, contents: [UInt8])]
    /// Base files whose mode git could not have given them (setuid, read-only, ...): stored as
    /// git would keep them. Set the installed mode with fcopy's `file-modes` instead.
    public var normalizedModes: [(path: String, mode: UInt32, stored: UInt32)]
    /// What the render did about the base, one line each, as `faigen render` prints them.
    public var notes: [String] = []
    /// The render's warnings about the base's files (``SiteSpec/warnings(of:over:)``).
    public var warnings: [Finding] = []

    /// Builds the render of `spec` over `base`, as `faigen render --base` writes it. The
    /// generated headers name the spec by its file name alone (`site.yaml`), so neither the
    /// checkout's path nor the way `--spec` was typed enters the build.
    public init(spec: SiteSpec, base: ConfigSpace?, templates: TemplateSet = .embedded, mtime: Int64) throws(InputError) {
        var named = spec
        named.source = spec.source.lastPathComponent
        let rendering = try named.renderedFiles(templates: templates, over: base)
        // The render's checks read the files on another core while the archive is made of them.
        let checks = Checks()
        let checking = DispatchGroup()
        DispatchQueue.global().async(group: checking) { [named] in checks.found = named.warnings(of: rendering.files, over: base) }
        // Waited for also when the build fails: nothing is left running.
        defer { checking.wait() }
        try self.init(siteVersion: spec.version, specFile: spec.source, base: base, generated: rendering.files, mtime: mtime)
        checking.wait()
        notes = rendering.notes
        warnings = checks.found
    }

    /// What the checks found, handed from the core that ran them (read after the wait).
    private final class Checks: @unchecked Sendable {
        var found: [Finding] = []
    }

    /// Builds `generated` laid over `base`.
    public init(siteVersion: String, specFile: String, base: ConfigSpace?, generated: [GeneratedFile],
                mtime: Int64) throws(InputError) {
        try Self.validateVersion(siteVersion, specFile: specFile)
        var normalized: [(path: String, mode: UInt32, stored: UInt32)] = []
        let gitBase = base.map { Self.gitModes($0, changed: &normalized) }
        let rendered = try RenderWriter.renderedEntries(base: gitBase, generated: generated)
        var content = Self.withParentDirectories(rendered)
        var hashes = BuildManifest.hashes(content)
        let contentManifest = BuildManifest.contents(content, hashes: hashes, mtime: mtime)
        contentHash = sha256Hex(contentManifest)
        version = siteVersion + "-" + contentHash.prefix(Self.shortHashLength)
        // The version file is added after the hash it carries was taken.
        let versionFile = ConfigFile(path: Self.versionPath, contents: Array((version + "\n").utf8), mode: 0o644)
        let added: [TreeEntry] = content.contains { $0.path == ".faigen" } ? [.file(versionFile)]
            : [.directory(Directory(path: ".faigen", mode: 0o755)), .file(versionFile)]
        let place = content.firstIndex { $0.path > ".faigen" } ?? content.endIndex
        content.insert(contentsOf: added, at: place)
        hashes[Self.versionPath] = sha256Hex(versionFile.contents)
        entries = content
        let archive = Gzip.compress(Tar.archive(content, mtime: mtime))
        let manifest = BuildManifest.inserting(added, at: place, into: contentManifest, hashes: hashes, mtime: mtime)
        let sums = [(Self.manifestName, manifest), (Self.archiveName, archive)]
            .map { "\(sha256Hex($0.1))  \($0.0)\n" }.joined()
        files = [(Self.archiveName, archive), (Self.manifestName, manifest), (Self.sumsName, Array(sums.utf8))]
        normalizedModes = normalized
    }

    /// A version names a directory and a URL path segment: letters, digits, `.`, `_`, `+`,
    /// `~`, `-`, not starting with a dot.
    static func validateVersion(_ version: String, specFile: String) throws(InputError) {
        let allowed = version.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || "._+~-".utf8.contains(byte)
        }
        guard allowed, !version.isEmpty, !version.hasPrefix("."), version.utf8.count <= 100 else {
            throw InputError(file: specFile, "version '\(version)' cannot name a build directory",
                             hint: "use letters, digits, '.', '_', '+', '~' and '-' (at most 100), like version: \"2024.1\"")
        }
    }

    /// The base with the modes git would check it out with under umask 022.
    static func gitModes(_ base: ConfigSpace, changed: inout [(path: String, mode: UInt32, stored: UInt32)]) -> ConfigSpace {
        var entries = base.entries
        for index in entries.indices {
            switch entries[index] {
            case .file(var file):
                let stored: UInt32 = file.mode & 0o100 != 0 ? 0o755 : 0o644
                // What a checkout's umask does (remove group and other bits) is not worth a word.
                let checkout: UInt32 = stored == 0o755 ? 0o777 : 0o666
                let umaskOnly = file.mode & ~checkout == 0 && file.mode & 0o600 == 0o600
                if file.mode != stored, !umaskOnly { changed.append((path: file.path, mode: file.mode, stored: stored)) }
                file.mode = stored
                entries[index] = .file(file)
            case .directory(var directory):
                directory.mode = 0o755
                entries[index] = .directory(directory)
            case .symlink:
                break
            }
        }
        // Modes do not change which part a file belongs to, so this cannot fail.
        return (try? ConfigSpace(entries: entries)) ?? base
    }

    /// `entries` (sorted) with a directory entry, mode 0755, for every parent not listed.
    static func withParentDirectories(_ entries: [TreeEntry]) -> [TreeEntry] {
        var listed: Set<String> = []
        for case .directory(let directory) in entries { listed.insert(directory.path) }
        var all = entries
        for entry in entries {
            var parent = entry.path.parentPath
            while !parent.isEmpty, listed.insert(parent).inserted {
                all.append(.directory(Directory(path: parent, mode: 0o755)))
                parent = parent.parentPath
            }
        }
        if all.count == entries.count { return entries }
        return all.sorted { $0.path < $1.path }
    }
}

/// The time every entry of a build carries.
public enum BuildTime {
    /// Without `SOURCE_DATE_EPOCH`: 0, 1970-01-01 00:00:00 UTC.
    public static let fixed: Int64 = 0
    /// ustar's 11 octal digits.
    static let maximum: Int64 = 0o77777777777

    /// `SOURCE_DATE_EPOCH` (reproducible-builds.org: decimal seconds since 1970 UTC) if set,
    /// else ``fixed``.
    public static func from(sourceDateEpoch: String?) throws(InputError) -> Int64 {
        guard let text = sourceDateEpoch else { return fixed }
        guard !text.isEmpty, text.utf8.count <= 12, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
              let value = Int64(text), value <= maximum else {
            throw InputError(file: "SOURCE_DATE_EPOCH", "'\(text)' is not a number of seconds since 1970",
                             hint: "set it to an integer such as $(git log -1 --format=%ct), or unset it for \(fixed)")
        }
        return value
    }
}
