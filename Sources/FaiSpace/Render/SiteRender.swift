// SiteRender: the files a site spec generates; RenderWriter writes them.

/// What a render makes over a hand-written config space: the files, what it left out of them
/// so FAI's tools accept the result, and the findings about hand-written files it cannot change.
public struct SiteRendering: Sendable {
    public var files: [GeneratedFile]
    /// What the render did about the hand-written space, one line each (`class/web01: ...`).
    public var notes: [String]
    /// Problems of the hand-written files that only their owner can fix, with the fix.
    public var warnings: [Finding]
}

extension SiteSpec {
    /// The checks a render runs over the hand-written space with its generated files laid over.
    public static let renderChecks: [any LintCheck] = [TwoBootLoaders(), RepeatedHostClass()]

    /// The generated files laid over `space`, the hand-written config space (the `--base`, or
    /// what OUTDIR holds; nil for none): a host's `class/HOSTNAME` leaves out the classes the space's class
    /// scripts, the host name rules or fai-class itself already give that host, since fai-class
    /// -T warns about a class defined twice and exits 2; and the findings of `renderChecks` over the result.
    public func rendering(templates: TemplateSet = .embedded, over space: ConfigSpace?) throws(InputError) -> SiteRendering {
        var rendering = try renderedFiles(templates: templates, over: space)
        rendering.warnings = warnings(of: rendering.files, over: space)
        return rendering
    }

    /// ``rendering(templates:over:)`` without its warnings: the files and the notes.
    public func renderedFiles(templates: TemplateSet = .embedded, over space: ConfigSpace?) throws(InputError) -> SiteRendering {
        var files = try generatedFiles(templates: templates)
        let space = space ?? ConfigSpace()
        let generatedPaths = Set(files.map(\.path))
        let handWritten = space.classScripts.filter { !generatedPaths.contains($0.file.path) }
        let reading = ClassScriptReading(handWritten)
        let rules: [(PCRE2Regex, [String])] = (hostnameClasses ?? []).compactMap { rule in
            (try? PCRE2Regex(rule.pattern)).map { ($0, rule.classes) }
        }
        var notes: [String] = []
        let generators = Generators(templates: templates, specName: origin)
        // class/HOSTNAME of each host that repeats a class, as it is without the repeats (nil: no
        // file), and what was left out; each host on its own, on every core, in host order.
        let hosts = self.hosts
        let perHost = Parallel.map(hosts.count) { index -> Result<(path: String, file: GeneratedFile?, notes: [String])?, InputError> in
            let host = hosts[index]
            guard !host.classes.isEmpty else { return .success(nil) }
            let printed = reading.classes(forHost: host.name.text)
            // Only a rule giving a class the host lists can repeat one: the others are not matched.
            let matched = rules.filter { regex, classes in classes.contains(where: host.classes.contains) && regex.matches(host.name.text) }
            // Most hosts repeat nothing: then there is no file to make again, and no notes.
            guard host.classes.contains(where: { name in
                name == host.name.text || FAIFacts.alwaysDefinedClasses.contains(name)
                    || printed.contains { $0.name == name } || matched.contains { $0.1.contains(name) }
            }) else { return .success(nil) }
            var given: [String: String] = [:]
            for printed in printed where given[printed.name] == nil {
                given[printed.name] = "\(printed.path):\(printed.line)"
            }
            for (_, classes) in matched {
                for name in classes where given[name] == nil { given[name] = Generators.hostnameScriptPath }
            }
            for name in FAIFacts.alwaysDefinedClasses.union([host.name.text]) { given[name] = "fai-class itself" }
            var kept: [String] = []
            var dropped: [String: [String]] = [:]
            for name in host.classes {
                if let by = given[name] {
                    dropped[by, default: []].append(name)
                } else if !kept.contains(name) {
                    kept.append(name)
                }
            }
            guard !dropped.isEmpty else { return .success(nil) }
            let path = "class/\(host.name)"
            var shorter = host
            shorter.classes = kept
            return Result { () throws(InputError) in
                let file = try generators.hostClassFile(shorter)
                let notes = dropped.sorted(by: { $0.key < $1.key }).map { by, names in
                    "\(path): \(names.joined(separator: " ")) left out, \(by) gives \(names.count == 1 ? "it" : "them") to \(host.name) already"
                }
                return (path, file, notes)
            }
        }
        var reduced: [String: GeneratedFile?] = [:]
        for result in perHost {
            guard let (path, file, hostNotes) = try result.get() else { continue }
            reduced[path] = file
            notes += hostNotes
        }
        // Classes the kernel-log script defines only where its log matches: a host that lists
        // one as well gets it twice there, which no render can know in advance.
        if detect != nil || grubLegacy != nil {
            let detected = Set(([KernelLogRule.xenServer] + (detect ?? [])).flatMap(\.classes))
            for host in hosts {
                let both = host.classes.filter { detected.contains($0) }
                guard !both.isEmpty else { continue }
                notes.append("class/\(host.name): \(both.joined(separator: " ")) also comes from \(Generators.detectScriptPath) where the kernel log matches; on such a host fai-class -T finds it twice (leave it to the detection)")
            }
        }
        notes += fqdnNotes(space)
        if !reduced.isEmpty {
            files = files.compactMap { file in
                guard let replacement = reduced[file.path] else { return file }
                return replacement
            }
        }
        return SiteRendering(files: files, notes: notes, warnings: [])
    }

    /// The findings of ``renderChecks`` on the hand-written files of `space` with `files`,
    /// what this spec renders, laid over it.
    public func warnings(of files: [GeneratedFile], over space: ConfigSpace?) -> [Finding] {
        let space = space ?? ConfigSpace()
        let generatedPaths = Set(files.map(\.path))
        // The checks see the generated files but the hosts' class/HOSTNAME: a finding there is
        // on a generated path, left out below, and no check reads one host's file for another
        // path's finding (a site's 10,000 host files were a fifth of a build's render).
        let hostFiles = Set(hosts.map { "class/\($0.name)" })
        var entries = space.entries.filter { !generatedPaths.contains($0.path) }
        entries += files.lazy.filter { !hostFiles.contains($0.path) }.map(TreeEntry.file)
        let (merged, problems) = ConfigSpace.classify(entries)
        let subject = LintSubject(root: "", read: LintRead(space: merged, problems: problems, links: [], oversized: [:], undecodableNames: [], realPaths: [:]))
        return Self.renderChecks.flatMap { $0.findings(in: subject) }
            .filter { !generatedPaths.contains($0.path) }.sorted()
    }

    /// A setup hook that cuts HOSTNAME at the first dot (fai-doc's `HOSTNAME=${HOSTNAME%%.*}`)
    /// runs before fai-class: say where, and when a pattern with a dot still sees the FQDN.
    func fqdnNotes(_ space: ConfigSpace) -> [String] {
        let dotted = (hostnameClasses ?? []).map(\.pattern).filter { $0.contains("\\.") }
        guard !dotted.isEmpty else { return [] }
        var notes: [String] = []
        for hook in space.hooks where hook.task == "setup" {
            let lines = String(decoding: hook.file.contents, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            guard let index = lines.firstIndex(where: { $0.contains("HOSTNAME") && $0.contains("%%.*") && !$0.hasPrefix("#") }) else { continue }
            notes.append("\(hook.file.path):\(index + 1): cuts HOSTNAME at the first dot before fai-class runs; \(Generators.hostnameScriptPath) also matches the name from hostname= on the kernel command line, so the patterns with a dot (\(dotted.joined(separator: ", "))) see the FQDN Ganeti passed during an install from the nfsroot, but only the short name in softupdate and dirinstall")
        }
        return notes
    }

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
        let generators = Generators(templates: templates, specName: origin)
        var files: [GeneratedFile] = []
        if detect != nil || grubLegacy != nil { files.append(try generators.detectScript(rules: detect ?? [])) }
        if let hostnameClasses {
            files.append(try generators.hostnameScript(rules: hostnameClasses))
            files.append(try generators.defclassHook())
        }
        if let grubLegacy { files += try generators.grubLegacy(grubLegacy) }
        if let nfsroot { files.append(try generators.nfsrootList(nfsroot)) }
        // Each class's files, and each host's, independent of the others: made on every core,
        // taken in order (the first error in spec order is the one reported).
        let classes = self.classes
        files += try Parallel.tryMap(classes.count) { index throws(InputError) in try generators.classFiles(classes[index]) }.joined()
        files += try generators.fileHelpers(classes)
        // The files each class's customization script has fcopy install.
        let calls = try Generators.fcopyCalls(classes, grub: grubLegacy, nfsroot: nfsroot != nil)
        files += try Parallel.tryMap(calls.count) { index throws(InputError) in
            try generators.fcopyScript(className: calls[index].className, calls: calls[index].calls)
        }
        let hosts = self.hosts
        files += try Parallel.tryMap(hosts.count) { index throws(InputError) in try generators.hostClassFile(hosts[index]) }
            .compactMap { $0 }
        var seen: Set<String> = []
        for file in files where !seen.insert(file.path).inserted {
            throw InputError(file: source, "two parts of the spec both generate \(file.path)",
                             hint: "rename the host, class or file that collides")
        }
        return files.sorted { $0.path < $1.path }
    }
}
