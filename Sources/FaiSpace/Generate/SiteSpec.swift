// SiteSpec: the declarative description of a site that `faigen render` turns into config-space files.
import Foundation

/// A site spec, read from YAML.
///
/// ```yaml
/// site: example        # the site's name, named in every generated file's header
/// version: 2024.1      # the spec's version, recorded with builds
/// ```
///
/// To add a key: add a property, add the key to `SiteSpec.keys`, and read it in
/// `init(node:)` through `SpecNode`, so its errors carry file:line:column.
public struct SiteSpec: Sendable, Hashable {
    public var site: String
    public var version: String
    /// Where the spec came from (a path, or `defaultSiteSpecName`), for generated headers.
    public var source: String

    public init(site: String, version: String, source: String) {
        self.site = site
        self.version = version
        self.source = source
    }

    /// The keys a spec may have at its top level.
    public static let keys = ["site", "version"]

    /// Decodes a spec from its root node.
    public init(node: SpecNode) throws(InputError) {
        let top = try node.mapping("the site spec", known: Self.keys)
        self.init(site: try top.required("site").string("site"),
                  version: try top.required("version").string("version"),
                  source: node.file)
    }

    /// Parses a spec from YAML text; `file` names it in errors.
    public init(yaml: String, file: String) throws(InputError) {
        try self.init(node: SpecNode.parse(yaml: yaml, file: file))
    }

    /// Reads a spec file.
    public init(contentsOf path: String) throws(InputError) {
        guard let status = try FileSystem.status(path) else {
            throw InputError(file: path, "no such spec file", hint: "give the path of a site spec (YAML)")
        }
        guard status.kind == .regular || FileSystem.resolvedStatus(path)?.kind == .regular else {
            throw InputError(file: path, "not a regular file", hint: "give the path of a site spec (YAML)")
        }
        let bytes = try FileSystem.readFile(path)
        let text = try decodeText(bytes, path: path, expected: "a site spec (YAML)")
        try self.init(yaml: text, file: path)
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
