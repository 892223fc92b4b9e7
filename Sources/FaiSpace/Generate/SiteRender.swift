// SiteRender: the files a site spec generates; RenderWriter writes them.

extension SiteSpec {
    /// The config-space files this spec generates. `site:` and `version:` alone generate
    /// none: a render of such a spec writes only the base (`--base`) and the manifest.
    public func generatedFiles() throws(InputError) -> [GeneratedFile] {
        []
    }
}
