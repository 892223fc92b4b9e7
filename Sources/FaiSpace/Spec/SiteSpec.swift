// SiteSpec: the declarative description of a site that `faigen render` turns into config-space files.
import FoundationEssentials

/// A site spec, read from YAML; docs/spec.md describes every key with an example.
///
/// ```yaml
/// site: example        # the site's name
/// version: 2024.1      # the spec's version, recorded with builds
/// classes: {WEB: {packages: {install: [nginx]}}}
/// grub_legacy: {class: XENSERVER}
/// ganeti: {hostname_classes: [{pattern: '^web\d+', classes: [WEB]}]}
/// nfsroot: {packages: {install-norec: [nfs-common, fai-nfsroot]}}
/// hosts: [{name: web01, mac: '52:54:00:00:00:01', ip: 10.1.1.11, classes: [WEB]}]
/// ```
///
/// To add a key: add a property, add the key to `SiteSpec.keys`, and read it in
/// `init(node:)` through `SpecNode`, so its errors carry file:line:column.
public struct SiteSpec: Sendable, Hashable {
    public var site: String
    public var version: String
    /// Where the spec came from (a path, or `defaultSiteSpecName`), for error messages.
    public var source: String
    /// How generated headers name the spec: its site and a hash of its text, never the path
    /// it was typed as, so the same spec gives the same bytes however it is named.
    public var origin: String
    /// Per-class content, in spec order.
    public var classes: [ClassSpec] = []
    /// Kernel-log rules of `detect:` for class/60-detect-XenServer; nil renders no such script
    /// unless `grub_legacy` needs it.
    public var detect: [KernelLogRule]?
    /// The XenServer guest menu.lst and its postinst; nil renders none.
    public var grubLegacy: GrubLegacy?
    /// `ganeti.hostname_classes`; nil renders no host name class script.
    public var hostnameClasses: [HostnameClassRule]?
    /// `ganeti:` as `faigen boot` reads it: the Ganeti OS definition's variants (docs/ganeti.md);
    /// nil (no `ganeti:` section) writes no OS definition.
    public var ganetiOS: GanetiOS?
    /// `nfsroot.packages`; nil renders no files/etc/fai/NFSROOT/FAISERVER.
    public var nfsroot: [PackageGroup]?
    public var hosts: [HostSpec] = []
    /// `boot:`: the network boot of the hosts (docs/boot.md); nil makes no boot files.
    public var boot: BootSpec?

    public init(site: String, version: String, source: String) {
        self.site = site
        self.version = version
        self.source = source
        self.origin = "site \(site)"
    }

    /// The keys a spec may have at its top level.
    public static let keys = ["site", "version", "detect", "classes", "grub_legacy", "ganeti", "nfsroot", "hosts", "boot"]

    /// Decodes a spec from its root node.
    public init(node: SpecNode) throws(InputError) {
        let top = try node.mapping("the site spec", known: Self.keys)
        self.init(site: try top.required("site").string("site"),
                  version: try top.required("version").string("version"),
                  source: node.file)
        if let rules = top["detect"] { detect = try KernelLogRule.rules(detect: rules) }
        if let classes = top["classes"] {
            // Each class on its own, on every core; the first error in spec order is reported.
            let entries = try classes.orderedEntries("classes")
            self.classes = try Parallel.tryMap(entries.count) { index throws(InputError) in
                try ClassSpec(name: try entries[index].key.className("a class name"), node: entries[index].value)
            }
        }
        if let grub = top["grub_legacy"] { grubLegacy = try GrubLegacy(node: grub) }
        if let ganeti = top["ganeti"] {
            let section = try ganeti.mapping("ganeti", known: GanetiOS.keys)
            if let rules = section["hostname_classes"] { hostnameClasses = try HostnameClassRule.rules(rules) }
            ganetiOS = try GanetiOS(section)
        }
        if let nfsroot = top["nfsroot"] {
            let section = try nfsroot.mapping("nfsroot", known: ["packages"])
            self.nfsroot = try PackageGroup.groups(from: try section.required("packages"))
        }
        if let hosts = top["hosts"] { self.hosts = try HostSpec.hosts(from: hosts) }
        try readBoot(top)
    }

    /// Parses a spec from YAML text; `file` names it in errors.
    public init(yaml: String, file: String) throws(InputError) {
        try self.init(node: SpecNode.parse(yaml: yaml, file: file))
        origin = yaml == defaultSiteSpec ? defaultSiteOrigin
            : "site \(site) (spec sha256 \(sha256Hex(Array(yaml.utf8)).prefix(12)))"
    }

    /// Reads a spec file.
    public init(contentsOf path: String) throws(InputError) {
        try self.init(yaml: FileSystem.readNamedTextFile(path, expected: "a site spec (YAML)"), file: path)
    }

    /// The spec faigen uses: `explicitPath` (--spec) if given, else `faigen.yaml` in
    /// `directory` if there is one, else the embedded starter site, but only where it cannot
    /// change a config space: with `starter` (--starter), or when `outputDirectory` is missing,
    /// empty or an earlier render of the starter and no `base` is copied into it. Over any
    /// other tree (a space made by fai-mk-configspace, a render of another spec) the starter's
    /// DEFAULT files would change every host, so no spec there is an error saying how to give one.
    public static func locate(explicitPath: String?, directory: String, outputDirectory: String? = nil,
                              base: String? = nil, starter: Bool = false) throws(InputError) -> SiteSpec {
        if starter {
            if let explicitPath {
                throw InputError(file: explicitPath, "--spec and --starter both name a spec", hint: "give one of them")
            }
            return try SiteSpec(yaml: defaultSiteSpec, file: defaultSiteSpecName)
        }
        if let explicitPath { return try SiteSpec(contentsOf: explicitPath) }
        let local = directory.joiningPath(localSpecName)
        if try FileSystem.status(local) != nil { return try SiteSpec(contentsOf: local) }
        let hint = "give the site spec with --spec FILE or put it in ./\(localSpecName); "
            + "to write faigen's starter site there anyway, add --starter"
        if let base {
            throw InputError(file: base, "no site spec, and the embedded starter site would be laid over this config space", hint: hint)
        }
        if let outputDirectory, try !isNewOrStarterRender(outputDirectory) {
            throw InputError(file: outputDirectory, "no site spec, and this directory already holds a config space that the embedded starter site would change", hint: hint)
        }
        return try SiteSpec(yaml: defaultSiteSpec, file: defaultSiteSpecName)
    }

    /// Whether `directory` is missing, empty, or holds only an earlier render of the starter
    /// site: its manifest names files whose header names the starter.
    static func isNewOrStarterRender(_ directory: String) throws(InputError) -> Bool {
        guard let status = try FileSystem.status(directory) else { return true }
        guard status.kind == .directory else { return false }
        let names = try FileSystem.listDirectory(directory)
        if names.isEmpty { return true }
        let manifestPath = directory.joiningPath(Manifest.path)
        guard try FileSystem.status(manifestPath)?.kind == .regular else { return false }
        // Parsed as a render parses it: every path inside the directory.
        let manifest = try Manifest(contents: try FileSystem.readFile(manifestPath), file: manifestPath)
        let starterHeader = Generators(specName: defaultSiteOrigin).header
        // A few files are enough: every generated file of one render names the same spec.
        let candidates = manifest.entries.values.filter { !$0.isSymlink }.map(\.path)
            .filter { $0.hasPrefix("class/") || $0.hasPrefix("package_config/") || $0.hasPrefix("hooks/") }.sorted().prefix(16)
        for path in candidates {
            // Read only through real directories, never through a symlink out of the tree.
            var inside = true
            for ancestor in RelativePath.ancestors(of: path) {
                if try FileSystem.status(directory.joiningPath(ancestor))?.kind != .directory { inside = false }
            }
            let file = directory.joiningPath(path)
            guard inside, try FileSystem.status(file)?.kind == .regular else { continue }
            let head = String(decoding: try FileSystem.readFile(file).prefix(4096), as: UTF8.self)
            guard let header = head.split(separator: "\n").prefix(2).first(where: { $0.hasPrefix("# Generated by faigen from ") }) else { continue }
            return header == starterHeader
        }
        return false
    }

    /// The spec file looked for in the current directory.
    public static let localSpecName = "faigen.yaml"
}
