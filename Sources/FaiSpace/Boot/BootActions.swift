// BootActions: hosts switched away from the spec's action (`faigen boot --switch`), kept in OUTDIR/boot-actions.

/// The hosts `faigen boot --switch HOST=ACTION` set to another action than the spec's,
/// as fai-chboot -o/-S/-I would. They are kept in OUTDIR/boot-actions (`NAME ACTION` a
/// line) so that the next `faigen boot` keeps them: a host that FAI switched to
/// `localboot` after its install must not install again because the spec was rendered.
/// `--switch HOST=spec` returns a host to the spec's action; a host removed from the spec
/// loses its line.
public struct BootActions: Sendable, Hashable {
    /// The switched action of each host, by `HostName.key`.
    public var actions: [String: BootAction] = [:]

    public init() {}

    /// The largest boot-actions file read: a line per host of a very large site.
    static let maximumSize = 4 << 20

    /// Reads OUTDIR/boot-actions; none there is no switched host.
    public static func read(outputDirectory: String) throws(InputError) -> BootActions {
        let path = outputDirectory.joiningPath(BootLayout.switched)
        guard let status = try FileSystem.status(path) else { return BootActions() }
        guard status.kind == .regular else {
            throw InputError(file: path, "is not a regular file", hint: "faigen keeps the switched hosts there: move it away")
        }
        let bytes = try FileSystem.readFile(path)
        guard bytes.count <= maximumSize else {
            throw InputError(file: path, "is larger than \(maximumSize) bytes", hint: "it holds a line per switched host: remove what is not")
        }
        var actions = BootActions()
        for (index, line) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            let text = String(decoding: line, as: UTF8.self)
            if text.isEmpty || text.hasPrefix("#") { continue }
            let words = text.split(separator: " ", omittingEmptySubsequences: false)
            guard words.count == 2, let name = HostName(String(words[0])) else {
                throw InputError(file: path, line: index + 1, column: 1, "not a switched host: '\(text)'", hint: "write NAME ACTION, such as web01 localboot")
            }
            guard let action = BootAction(rawValue: String(words[1])) else {
                throw InputError(file: path, line: index + 1, column: words[0].count + 2, "unknown boot action '\(words[1])'",
                                 hint: "give one of \(BootAction.known)")
            }
            actions.actions[name.key] = action
        }
        return actions
    }

    /// The file that records the switched hosts of `site` (only hosts it still lists).
    func file(site: BootSite) -> GeneratedFile {
        var text = site.header("#", "hosts switched by `faigen boot --switch HOST=ACTION`, NAME ACTION a line; the others boot the spec's action")
        for host in site.hosts {
            if let action = actions[host.name.key] { text += "\(host.name) \(action.rawValue)\n" }
        }
        return textFile(BootLayout.switched, text)
    }
}

/// One `--switch HOST=ACTION`: ACTION is a boot action, or `spec` for the spec's own.
public struct BootSwitch: Sendable, Hashable {
    public var host: HostName
    /// nil: back to the spec's action.
    public var action: BootAction?

    public init(host: HostName, action: BootAction?) {
        self.host = host
        self.action = action
    }

    /// Parses `HOST=ACTION`.
    public init(argument: String) throws(InputError) {
        let parts = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let host = HostName(String(parts[0])) else {
            throw InputError(file: "--switch", "invalid switch '\(argument)'", hint: "write HOST=ACTION, such as web01=localboot")
        }
        if parts[1] == "spec" {
            self.init(host: host, action: nil)
            return
        }
        guard let action = BootAction(rawValue: String(parts[1])) else {
            throw InputError(file: "--switch", "unknown boot action '\(parts[1])'", hint: "give one of \(BootAction.known), or spec")
        }
        self.init(host: host, action: action)
    }
}
