// PackageResolution and FcopyResolution: what install_packages and fcopy do with a host's classes, the way their perl reads the config space.

/// install_packages' readconfig and its command loop: for each class in order (twice when
/// defined twice) `package_config/CLASS` is read; a `PACKAGES command [option] [classes]`
/// section counts when it names no class or any defined one; its words go to the command's
/// list for that option. Commands run in `@commands` order, options in sorted order.
struct PackageResolution: Sendable {
    var groups: [PackageCommandGroup] = []
    /// install_packages -l: the list of the last command it built one for.
    var listOutput: [String] = []
    var problems: [ExplainProblem] = []

    init(space: ConfigSpace, classes: [String]) {
        let defined = Set(classes)
        let lists = Dictionary(space.packageLists.map { ($0.className, $0) }, uniquingKeysWith: { first, _ in first })
        var collected: [String: [String: [PackageChoice]]] = [:]
        for name in classes {
            guard let list = lists[name] else { continue }
            for section in list.sections {
                guard let command = section.command else { continue }
                let applies = command.classes.isEmpty || command.classes.contains(where: defined.contains)
                guard applies else { continue }
                for line in section.lines {
                    for package in line.packages {
                        collected[command.command, default: [:]][command.option ?? "", default: []].append(
                            PackageChoice(word: package.word, file: list.path, line: line.number, list: name))
                    }
                }
            }
        }
        for command in FAIFacts.packageCommandOrder {
            guard let options = collected[command] else { continue }
            for option in options.keys.sorted() {
                let packages = options[option] ?? []
                groups.append(PackageCommandGroup(command: command, option: option.isEmpty ? nil : option, packages: packages))
                if command != "hold" && command != "dselect-upgrade" { listOutput = packages.map(\.word) }
            }
        }
        problems = Self.conflicts(groups)
    }

    /// A package installed by one list and removed by another (or by `pkg-`), and two boot
    /// loaders installed, each side with its file and line.
    static func conflicts(_ groups: [PackageCommandGroup]) -> [ExplainProblem] {
        var installed: [String: PackageChoice] = [:]
        var removed: [String: PackageChoice] = [:]
        var installOrder: [String] = []
        for group in groups {
            let installs = FAIFacts.installingPackageCommands.contains(group.command)
            let removes = FAIFacts.removingPackageCommands.contains(group.command)
            for choice in group.packages {
                let reference = PackageReference(choice.word)
                if removes || (installs && reference.isRemoval) {
                    if removed[reference.name] == nil { removed[reference.name] = choice }
                } else if installs {
                    if installed[reference.name] == nil {
                        installed[reference.name] = choice
                        installOrder.append(reference.name)
                    }
                }
            }
        }
        var problems: [ExplainProblem] = []
        for name in installOrder {
            guard let install = installed[name], let remove = removed[name] else { continue }
            problems.append(ExplainProblem(kind: .installedAndRemoved,
                message: "package \(name) is installed by \(install.list) and removed by \(remove.list) (install_packages installs it, then removes it)",
                places: ["\(install.file):\(install.line)", "\(remove.file):\(remove.line)"]))
        }
        var loaders: [String: PackageChoice] = [:]
        var loaderOrder: [String] = []
        for name in installOrder where removed[name] == nil && FAIFacts.bootLoaderPackages.contains(name) {
            let family = name.hasPrefix("grub-efi") ? "grub-efi" : name
            if loaders[family] == nil {
                loaders[family] = installed[name]
                loaderOrder.append(family)
            }
        }
        if loaderOrder.count > 1 {
            let sides = loaderOrder.compactMap { loaders[$0] }
            problems.append(ExplainProblem(kind: .twoBootLoaders,
                message: "two boot loaders: " + sides.map { "\(PackageReference($0.word).name) (class \($0.list))" }.joined(separator: " and "),
                places: sides.map { "\($0.file):\($0.line)" }))
        }
        return problems
    }
}

/// fcopy's choice for every `files/PATH/`: `@classes = reverse @classes`, the first class
/// with a file `files/PATH/CLASS`; its modes from `file-modes` (the line for the class, else
/// the line without one) or the source file.
struct FcopyResolution: Sendable {
    var choices: [FcopyChoice] = []
    var withoutClass: [String] = []

    init(space: ConfigSpace, classes: [String]) {
        let priority = Array(classes.reversed())
        for entry in space.fcopyEntries where entry.directory != FcopyEntry.nfsrootDirectory {
            let variants = Dictionary(entry.variants.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            guard let name = priority.first(where: { variants[$0] != nil }), let source = variants[name] else {
                withoutClass.append(entry.destination)
                continue
            }
            var choice = FcopyChoice(destination: entry.destination, source: source.path, className: name,
                                     owner: nil, group: nil, mode: String(source.mode, radix: 8).leftPadded(to: 4),
                                     postinst: entry.postinst.map(\.path), preinst: entry.preinst.map(\.path),
                                     substitutes: entry.substitute != nil)
            if let modes = entry.fileModes, let (owner, group, mode) = Self.fileMode(modes.contents, className: name) {
                choice.owner = owner
                choice.group = group
                choice.mode = mode
            }
            choices.append(choice)
        }
    }

    /// read_file_mode: `owner group mode [class]` lines; the class's line, else the last line without a class.
    static func fileMode(_ contents: [UInt8], className: String) -> (String, String, String)? {
        var fallback: (String, String, String)?
        for line in String(decoding: contents, as: UTF8.self).split(separator: "\n") {
            if line.hasPrefix("#") || line.allSatisfy(\.isWhitespace) { continue }
            let words = line.split(whereSeparator: \.isWhitespace).map(String.init)
            guard words.count >= 3 else { continue }
            let mode = words[2].leftPadded(to: 4)
            if words.count >= 4 {
                if words[3] == className { return (words[0], words[1], mode) }
            } else {
                fallback = (words[0], words[1], mode)
            }
        }
        return fallback
    }
}
