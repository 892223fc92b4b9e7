// SiteSpecSections: reading the spec's classes, detect, grub_legacy, ganeti, nfsroot and hosts keys.

extension SpecNode {
    /// The node as a mapping in file order, each key with its own node: for keys the
    /// spec's user chooses (class names, file paths, commands), where order matters.
    func orderedEntries(_ what: String) throws(InputError) -> [(key: SpecNode, value: SpecNode)] {
        guard let mapping = node.mapping else {
            throw error("\(what) must be a mapping")
        }
        var entries: [(key: SpecNode, value: SpecNode)] = []
        var seen: Set<String> = []
        for (key, value) in mapping {
            let keyNode = SpecNode(key, file: file)
            guard let name = key.scalar?.string, !name.isEmpty else { throw keyNode.error("\(what) has a key that is not a name") }
            guard seen.insert(name).inserted else { throw keyNode.error("duplicate key '\(name)' in \(what)", hint: "keep one of them") }
            entries.append((keyNode, SpecNode(value, file: file)))
        }
        return entries
    }

    /// The node as a sequence; a single value counts as a list of one.
    func list(_ what: String) throws(InputError) -> [SpecNode] {
        if let sequence = node.sequence { return sequence.map { SpecNode($0, file: file) } }
        if node.scalar != nil, !isNull { return [self] }
        throw error("\(what) must be a list", hint: "write [a, b] or one item a line starting with -")
    }

    /// A list of one-line strings.
    func strings(_ what: String) throws(InputError) -> [String] {
        var out: [String] = []
        for item in try list(what) { out.append(try item.string(what)) }
        return out
    }

    /// Text that may span lines (file content, disk_config); empty is allowed, written `''`.
    /// YAML's null (`null`, `~`, or nothing after the colon) is no text: an error, never the
    /// word `null` in a generated file.
    func text(_ what: String) throws(InputError) -> String {
        guard let scalar = node.scalar else { throw error("\(what) must be text", hint: "use a block scalar: `\(what): |`") }
        guard !isNull else {
            throw error("\(what) is null (YAML reads `null`, `~` and nothing as no value)",
                        hint: "write '' for empty text, quote 'null' for the word, or remove the key")
        }
        return scalar.string
    }

    func integer(_ what: String) throws(InputError) -> Int {
        guard let scalar = node.scalar, let value = Int(scalar.string) else {
            throw error("\(what) must be a whole number")
        }
        return value
    }

    /// Runs a check from `Validate` and puts this node's place on its error.
    func checked(_ check: () throws(InputError) -> Void) throws(InputError) {
        do {
            try check()
        } catch {
            var located = error
            located.location = location
            throw located
        }
    }

    /// A class name, checked.
    func className(_ what: String) throws(InputError) -> String {
        let name = try string(what)
        try checked { () throws(InputError) in try Validate.className(name) }
        return name
    }

    func classNames(_ what: String) throws(InputError) -> [String] {
        var out: [String] = []
        for item in try list(what) { out.append(try item.className(what)) }
        return out
    }
}

extension PackageGroup {
    static let what = "packages"

    /// `packages:` maps the rest of a `PACKAGES` line (`install`, `install-norec AMD64`)
    /// to its packages, in file order.
    static func groups(from node: SpecNode) throws(InputError) -> [PackageGroup] {
        var groups: [PackageGroup] = []
        for (key, value) in try node.orderedEntries("packages") {
            let words = (try key.string("a PACKAGES command")).split(separator: " ").map(String.init)
            guard let command = words.first else { throw key.error("empty PACKAGES command") }
            try key.checked { () throws(InputError) in
                try Validate.packageCommand(command)
                for name in words.dropFirst() { try Validate.className(name) }
            }
            var packages: [String] = []
            for item in try value.list("the packages of PACKAGES \(command)") {
                let name = try item.string("a package")
                try item.checked { () throws(InputError) in
                    try Validate.packageName(name)
                    try Validate.packageNameCase(name, command: command)
                }
                packages.append(name)
            }
            groups.append(PackageGroup(command: command, classes: Array(words.dropFirst()), packages: packages))
        }
        return groups
    }
}

extension ClassSpec {
    static let keys = ["packages", "var", "disk_config", "debconf", "files"]
    static let fileKeys = ["content", "mode", "owner", "group", "postinst"]

    init(name: String, node: SpecNode) throws(InputError) {
        self.init(name: name)
        let top = try node.mapping("class \(name)", known: Self.keys)
        if let packages = top["packages"] { self.packages = try PackageGroup.groups(from: packages) }
        if let variables = top["var"] {
            for (key, value) in try variables.orderedEntries("var of class \(name)") {
                let variable = try key.string("a variable name")
                try key.checked { () throws(InputError) in try Validate.variableName(variable) }
                let text = try value.text("the value of \(variable)")
                // A shell reads a script as C strings: a NUL would cut the value short.
                guard !text.contains("\0") else { throw value.error("the value of \(variable) holds a NUL character", hint: "remove it") }
                self.variables.append(ClassVariable(name: variable, value: text))
            }
        }
        if let disk = top["disk_config"] { diskConfig = try disk.text("disk_config") }
        if let debconf = top["debconf"] { self.debconf = try debconf.text("debconf") }
        if let files = top["files"] {
            for (key, value) in try files.orderedEntries("files of class \(name)") {
                let path = try key.string("a file path")
                try key.checked { () throws(InputError) in try Validate.installPath(path) }
                self.files.append(try FileSpec(path: path, node: value))
            }
        }
    }
}

extension FileSpec {
    init(path: String, node: SpecNode) throws(InputError) {
        let top = try node.mapping("file \(path)", known: ClassSpec.fileKeys)
        self.init(path: path, content: try top.required("content").text("content"))
        if let modeNode = top["mode"] {
            let text = try modeNode.string("mode")
            let digits = text.hasPrefix("0o") ? String(text.dropFirst(2)) : text
            guard !digits.isEmpty, digits.count <= 4, let value = UInt32(digits, radix: 8), value <= 0o7777 else {
                throw modeNode.error("invalid mode '\(text)'", hint: "write an octal mode in quotes, such as \"0644\"")
            }
            mode = value
        }
        if let ownerNode = top["owner"] {
            let name = try ownerNode.string("owner")
            try ownerNode.checked { () throws(InputError) in try Validate.accountName(name, what: "owner") }
            owner = name
        }
        if let groupNode = top["group"] {
            let name = try groupNode.string("group")
            try groupNode.checked { () throws(InputError) in try Validate.accountName(name, what: "group") }
            group = name
        }
        if let script = top["postinst"] { postinst = try script.text("postinst") }
    }
}

extension GrubLegacy {
    static let keys = ["class", "root_partition", "groot", "kernel", "initrd", "kernel_args", "timeout", "serial_console"]

    init(node: SpecNode) throws(InputError) {
        self.init()
        let top = try node.mapping("grub_legacy", known: Self.keys)
        if let value = top["class"] { className = try value.className("class") }
        if let value = top["root_partition"] {
            let path = try value.string("root_partition")
            try value.checked { () throws(InputError) in try Validate.devicePath(path, what: "root partition") }
            rootPartition = path
        }
        if let value = top["groot"] {
            let text = try value.string("groot")
            try value.checked { () throws(InputError) in try Validate.groot(text) }
            groot = text
        }
        if let value = top["kernel"] {
            let path = try value.string("kernel")
            try value.checked { () throws(InputError) in try Validate.bootFile(path, what: "kernel") }
            kernel = path
        }
        if let value = top["initrd"] {
            let path = try value.string("initrd")
            try value.checked { () throws(InputError) in try Validate.bootFile(path, what: "initrd") }
            initrd = path
        }
        if let value = top["kernel_args"] {
            let args = value.isNull ? "" : try value.text("kernel_args")
            try value.checked { () throws(InputError) in try Validate.kernelArgs(args) }
            kernelArgs = args
        }
        if let value = top["timeout"] {
            let seconds = try value.integer("timeout")
            try value.checked { () throws(InputError) in try Validate.timeout(seconds) }
            timeout = seconds
        }
        if let value = top["serial_console"] {
            let serial = try value.mapping("serial_console", known: ["unit", "speed"])
            var console = SerialConsole()
            if let unit = serial["unit"] { console.unit = try unit.integer("unit") }
            if let speed = serial["speed"] { console.speed = try speed.integer("speed") }
            let checked = console
            try value.checked { () throws(InputError) in try Validate.serialConsole(checked) }
            serialConsole = console
        }
    }
}

extension HostnameClassRule {
    /// `ganeti: { hostname_classes: [ {pattern, classes} ] }`.
    static func rules(_ node: SpecNode) throws(InputError) -> [HostnameClassRule] {
        var rules: [HostnameClassRule] = []
        for item in try node.list("hostname_classes") {
            let entry = try item.mapping("a hostname_classes entry", known: ["pattern", "classes"])
            let patternNode = try entry.required("pattern")
            let pattern = try patternNode.string("pattern")
            try patternNode.checked { () throws(InputError) in try Validate.scriptPattern(pattern) }
            let classes = try entry.required("classes").classNames("classes")
            guard !classes.isEmpty else { throw item.error("the pattern \(pattern) gives no classes", hint: "list at least one class") }
            rules.append(HostnameClassRule(pattern: pattern, classes: classes))
        }
        return rules
    }
}

extension HostSpec {
    static let keys = ["name", "mac", "ip", "classes", "boot"]

    /// `hosts:`, a list; names, MACs and IPs must each be unique.
    static func hosts(from node: SpecNode) throws(InputError) -> [HostSpec] {
        var hosts: [HostSpec] = []
        var names: [String: SourceLocation] = [:]
        var macs: [MACAddress: SourceLocation] = [:]
        var ips: [IPAddress: SourceLocation] = [:]
        let items = try node.list("hosts")
        hosts.reserveCapacity(items.count)
        names.reserveCapacity(items.count)
        macs.reserveCapacity(items.count)
        ips.reserveCapacity(items.count)
        // Each host is read on its own, on every core (a site has thousands); the uniqueness
        // checks then go through them in order, taking each field's result where a host read
        // in turn would, so the first error is the same.
        let fields = Parallel.map(items.count) { index in HostFields.read(items[index]) }
        for fields in fields {
            let (nameNode, name) = try fields.name.get()
            if let first = names[name.key] {
                throw nameNode.error("duplicate host '\(name)' (first at \(first))", hint: "give each host once")
            }
            names[name.key] = nameNode.location
            var host = HostSpec(name: name)
            if let (macNode, mac) = try fields.mac.get() {
                if let first = macs[mac] { throw macNode.error("duplicate MAC address \(mac) (first at \(first))", hint: "give each host its own MAC") }
                macs[mac] = macNode.location
                host.mac = mac
            }
            if let (ipNode, ip) = try fields.ip.get() {
                if let first = ips[ip] { throw ipNode.error("duplicate IP address \(ip) (first at \(first))", hint: "give each host its own address") }
                ips[ip] = ipNode.location
                host.ip = ip
            }
            host.classes = try fields.classes.get()
            hosts.append(host)
        }
        return hosts
    }

    /// One host's fields, each read and checked, or the error reading it gave.
    private struct HostFields {
        var name: Result<(SpecNode, HostName), InputError>
        var mac: Result<(SpecNode, MACAddress)?, InputError>
        var ip: Result<(SpecNode, IPAddress)?, InputError>
        var classes: Result<[String], InputError>

        static func read(_ item: SpecNode) -> HostFields {
            let entry: SpecMapping
            do throws(InputError) {
                entry = try item.mapping("a host", known: HostSpec.keys)
            } catch {
                // Nothing after the mapping is read: the first field reports its error.
                return HostFields(name: .failure(error), mac: .failure(error), ip: .failure(error), classes: .failure(error))
            }
            return HostFields(
                name: Result { () throws(InputError) in
                    let nameNode = try entry.required("name")
                    return (nameNode, try nameNode.hostName("name"))
                },
                mac: Result { () throws(InputError) in
                    guard let macNode = entry["mac"] else { return nil }
                    return (macNode, try macNode.macAddress("mac"))
                },
                ip: Result { () throws(InputError) in
                    guard let ipNode = entry["ip"] else { return nil }
                    return (ipNode, try ipNode.ipAddress("ip"))
                },
                classes: Result { () throws(InputError) in try entry["classes"]?.classNames("classes") ?? [] })
        }
    }
}

extension KernelLogRule {
    /// The kernel-log rules of `detect:`, which holds rules in `faigen detect --rules` form
    /// (docs/detect.md). Rules on other evidence sources, or with `also` conditions on them,
    /// are valid there but have no shell form in the class script: it reads only the kernel log.
    static func rules(detect node: SpecNode) throws(InputError) -> [KernelLogRule] {
        let set: DetectionRuleSet
        do {
            set = try DetectionRuleSet.parse(node: node.node, file: node.file)
        } catch let error as InputError {
            throw error
        } catch {
            throw node.error("cannot read the detect rules: \(error)", hint: "see docs/detect.md")
        }
        var rules: [KernelLogRule] = []
        for rule in set.rules where rule.source == .kernelLog && rule.also.isEmpty {
            guard case .pattern(let pattern) = rule.test else { continue }
            let converted = KernelLogRule(pattern: pattern.pattern, caseless: pattern.caseless,
                                          classes: rule.classes, unless: rule.unless)
            // pcre2grep reads a pattern with a line break as several patterns.
            do throws(InputError) {
                try Validate.scriptPattern(converted.pattern)
            } catch {
                var located = error
                located.location = rule.location ?? node.location
                throw located
            }
            rules.append(converted)
        }
        return rules
    }
}
