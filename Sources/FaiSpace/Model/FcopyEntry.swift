// FcopyEntry: one directory under files/ that fcopy turns into one destination file.

/// `files/PATH/`: the per-class variants of the file fcopy installs at `/PATH`, plus the
/// helper files fcopy reads beside them.
///
/// fcopy copies the variant of the highest-priority class that has one; `preinst` runs on
/// a temporary copy before, `postinst CLASS DESTFILE` after; `file-modes` gives owner, group
/// and mode per class; `_substitute` asks for `%%VAR%%` substitution.
public struct FcopyEntry: Sendable, Hashable {
    /// The directory relative to the config space root (`files/etc/motd`).
    public var directory: String
    /// The variants, one per class, named after the class (`files/etc/motd/FAIBASE`).
    public var variants: [ConfigFile]
    public var postinst: ConfigFile?
    public var preinst: ConfigFile?
    public var fileModes: ConfigFile?
    public var substitute: ConfigFile?

    public init(directory: String, variants: [ConfigFile] = [], postinst: ConfigFile? = nil,
                preinst: ConfigFile? = nil, fileModes: ConfigFile? = nil, substitute: ConfigFile? = nil) {
        self.directory = directory
        self.variants = variants
        self.postinst = postinst
        self.preinst = preinst
        self.fileModes = fileModes
        self.substitute = substitute
    }

    /// The file fcopy writes in the target (`/etc/motd` for `files/etc/motd`).
    public var destination: String { "/" + directory.dropFirst("files/".count) }

    /// The classes that have a variant.
    public var classes: [String] { variants.map(\.name) }

    /// Every file of the entry.
    public var files: [ConfigFile] {
        variants + [postinst, preinst, fileModes, substitute].compactMap { $0 }
    }

    /// The helper file names fcopy reads beside the variants.
    public static let helperNames: Set<String> = ["postinst", "preinst", "file-modes", "_substitute"]

    /// Where a config space keeps the nfsroot package list: `files/etc/fai/NFSROOT/CLASS`
    /// (fai-make-nfsroot reads `/etc/fai/NFSROOT` on the server, installed from here).
    public static let nfsrootDirectory = "files/etc/fai/NFSROOT"
}
