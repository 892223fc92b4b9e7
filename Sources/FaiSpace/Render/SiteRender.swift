// SiteRender: the files a site spec generates; RenderWriter writes them.

extension SiteSpec {
    /// The config-space files this spec generates, filled from `templates`. Each part comes
    /// from its key, so a spec of `site:` and `version:` alone generates nothing: `detect`
    /// (or `grub_legacy`, whose class it defines) the kernel-log class script, `ganeti` the
    /// host name class script and the defclass hook, and so on.
    /// Two parts that would write the same path are an error, so no file is lost silently.
    public func generatedFiles(templates: TemplateSet = .embedded) throws(InputError) -> [GeneratedFile] {
        do {
            return try files(templates: templates)
        } catch {
            // A conflict between parts (two postinst scripts for one path) has no single
            // line to point at: name the spec file at least.
            var located = error
            if located.location == nil { located.location = SourceLocation(file: source) }
            throw located
        }
    }

    private func files(templates: TemplateSet) throws(InputError) -> [GeneratedFile] {
        let generators = Generators(templates: templates, specName: source)
        var files: [GeneratedFile] = []
        if detect != nil || grubLegacy != nil { files.append(try generators.detectScript(rules: detect ?? [])) }
        if let hostnameClasses {
            files.append(try generators.hostnameScript(rules: hostnameClasses))
            files.append(try generators.defclassHook())
        }
        if let grubLegacy { files += try generators.grubLegacy(grubLegacy) }
        if let nfsroot { files.append(try generators.nfsrootList(nfsroot)) }
        for spec in classes { files += try generators.classFiles(spec) }
        files += try generators.fileHelpers(classes)
        // The files each class's customization script has fcopy install.
        for (className, calls) in try Generators.fcopyCalls(classes, grub: grubLegacy, nfsroot: nfsroot != nil) {
            files.append(try generators.fcopyScript(className: className, calls: calls))
        }
        // One file per host, each independent of the others: made on every core, taken in order.
        let hostFiles = Parallel.map(hosts.count) { index in
            Result { () throws(InputError) in try generators.hostClassFile(hosts[index]) }
        }
        for file in hostFiles {
            if let file = try file.get() { files.append(file) }
        }
        var seen: Set<String> = []
        for file in files where !seen.insert(file.path).inserted {
            throw InputError(file: source, "two parts of the spec both generate \(file.path)",
                             hint: "rename the host, class or file that collides")
        }
        return files.sorted { $0.path < $1.path }
    }
}
