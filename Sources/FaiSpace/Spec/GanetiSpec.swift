// GanetiSpec: the spec's `ganeti:` keys for the Ganeti OS definition: its variants (sets of FAI classes) and FAI action.

/// What the Ganeti OS definition `fai` offers (docs/ganeti.md): each variant
/// (`gnt-instance add -o fai+VARIANT`) adds its FAI classes to `ADDCLASSES=`, and an
/// instance boots `action` unless its `-O action=` says otherwise.
///
/// ```yaml
/// ganeti:
///   variants: {web: [WEB], db: [DB, POSTGRES]}   # `default` (no classes) is always there
///   action: install
/// ```
public struct GanetiOS: Sendable, Hashable {
    /// One OS variant: a name Ganeti knows (`fai+NAME`) and the classes it adds.
    public struct Variant: Sendable, Hashable {
        public var name: String
        public var classes: [String]
    }

    /// Every variant, `default` first (`gnt-instance add -o fai+default`).
    public var variants: [Variant] = [Variant(name: GanetiOS.defaultVariant, classes: [])]
    /// The FAI action an instance boots when its `action` parameter is empty.
    public var action: BootAction = .install

    public static let defaultVariant = "default"
    static let keys = ["hostname_classes", "variants", "action"]

    /// The actions a Ganeti instance may boot: `localboot` would boot the disk that holds only iPXE.
    public static let actions: [BootAction] = [.install, .sysinfo, .inventory]

    /// A variant name: it names `variants/NAME.conf` and follows `+` in `-o fai+NAME`.
    static func isVariantName(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 32,
              (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return name.utf8.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }
}

extension GanetiOS {
    init(_ section: SpecMapping) throws(InputError) {
        if let node = section["variants"] {
            for (key, value) in try node.orderedEntries("variants") {
                let name = try key.string("a variant name")
                guard Self.isVariantName(name) else {
                    throw key.error("invalid Ganeti variant name '\(name)'",
                                    hint: "use a-z, 0-9, _ and - (at most 32, starting with a letter or digit): it names variants/NAME.conf")
                }
                let classes = value.isNull ? [] : try value.classNames("the classes of variant \(name)")
                if name == Self.defaultVariant {
                    variants[0].classes = classes
                } else {
                    variants.append(Variant(name: name, classes: classes))
                }
            }
        }
        if let node = section["action"] {
            let action = try node.bootAction()
            guard Self.actions.contains(action) else {
                throw node.error("a Ganeti instance cannot boot action \(action.rawValue)",
                                 hint: "give \(Self.actions.map(\.rawValue).joined(separator: ", ")): the instance's disk holds only iPXE until FAI installs it")
            }
            self.action = action
        }
    }
}
