// SiteSpec: the declarative description of a site that `faigen render` turns into config-space files.
import Foundation

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
    /// Where the spec came from (a path, or `defaultSiteSpecName`), for generated headers.
    public var source: String
    /// Per-class content, in spec order.
    public var classes: [ClassSpec] = []
    /// Kernel-log rules of `detect:` for class/60-detect-XenServer; nil renders no such script
    /// unless `grub_legacy` needs it.
    public var detect: [KernelLogRule]?
    /// The XenServer guest menu.lst and its postinst; nil renders none.
    public var grubLegacy: GrubLegacy?
    /// `ganeti.hostname_classes`; nil renders no host name class script.
    public var hostnameClasses: [HostnameClassRule]?
    /// `nfsroot.packages`; nil renders no files/etc/fai/NFSROOT/FAISERVER.
    public var nfsroot: [PackageGroup]?
    public var hosts: [HostSpec] = []
    /// `boot:`: the network boot of the hosts (docs/boot.md); nil makes no boot files.
    public var boot: BootSpec?

    public init(site: String, version: String, source: String) {
        self.site = site
        self.version = version
        self.source = source
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
            for (key, value) in try classes.orderedEntries("classes") {
                self.classes.append(try ClassSpec(name: try key.className("a class name"), node: value))
            }
        }
        if let grub = top["grub_legacy"] { grubLegacy = try GrubLegacy(node: grub) }
        if let ganeti = top["ganeti"] { hostnameClasses = try HostnameClassRule.rules(ganeti: ganeti) }
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
    }

    /// Reads a spec file.
    public init(contentsOf path: String) throws(InputError) {
        try self.init(yaml: FileSystem.readNamedTextFile(path, expected: "a site spec (YAML)"), file: path)
    }

    /// The spec faigen uses: `explicitPath` (--spec) if given, else `faigen.yaml` in
    /// `directory` if there is one, else the embedded default site.
    public static func locate(explicitPath: String?, directory: String) throws(InputError) -> SiteSpec {
        if let explicitPath { return try SiteSpec(contentsOf: explicitPath) }
        let local = directory.joiningPath(localSpecName)
        if try FileSystem.status(local) != nil { return try SiteSpec(contentsOf: local) }
        return try SiteSpec(yaml: defaultSiteSpec, file: defaultSiteSpecName)
    }

    /// The spec file looked for in the current directory.
    public static let localSpecName = "faigen.yaml"
}
