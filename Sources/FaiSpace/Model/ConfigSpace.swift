// ConfigSpace: a whole FAI config space, every file in the part FAI gives it, and back to a tree.

/// An FAI config space (what `/srv/fai/config` holds), split into the parts FAI's tools read.
///
/// Every file of the tree is in exactly one part, with its bytes and mode, so `entries` gives
/// back the tree it was made from. Symlinks are kept as links in `symlinks` wherever they are;
/// every directory (empty or not) is in `directories` with its mode.
public struct ConfigSpace: Sendable, Hashable {
    /// `class/[0-9][0-9]*`.
    public var classScripts: [ClassScript] = []
    /// `class/CLASS.var`.
    public var classVariables: [ClassVariables] = []
    /// `class/HOSTNAME`.
    public var hostClassFiles: [HostClassFile] = []
    /// `files/PATH/...`, one entry per directory that holds files.
    public var fcopyEntries: [FcopyEntry] = []
    /// `package_config/CLASS`.
    public var packageLists: [PackageList] = []
    /// `files/etc/fai/NFSROOT/CLASS`: the nfsroot package lists (same format).
    public var nfsrootPackageLists: [PackageList] = []
    /// `package_config/CLASS.gpg` and `.asc`: apt keys copied for hosts in CLASS.
    public var aptKeys: [ClassFile] = []
    /// `scripts/CLASS/NAME`.
    public var customizationScripts: [CustomizationScript] = []
    /// `hooks/TASK.CLASS[.sh]`.
    public var hooks: [Hook] = []
    /// `disk_config/CLASS`.
    public var diskConfigs: [ClassFile] = []
    /// `debconf/CLASS`.
    public var debconfs: [ClassFile] = []
    /// `basefiles/...` (base images and the script that makes them).
    public var basefiles: [ConfigFile] = []
    /// `tests/...`.
    public var tests: [ConfigFile] = []
    /// Every other file, kept as it is.
    public var otherFiles: [ConfigFile] = []
    public var symlinks: [Symlink] = []
    /// Every directory below the root, with its mode.
    public var directories: [Directory] = []

    public init() {}

    /// Every regular file of every part.
    public var files: [ConfigFile] {
        var all: [ConfigFile] = []
        all += classScripts.map(\.file)
        all += classVariables.map(\.file)
        all += hostClassFiles.map(\.file)
        all += fcopyEntries.flatMap(\.files)
        all += packageLists.map(\.file)
        all += nfsrootPackageLists.map(\.file)
        all += aptKeys.map(\.file)
        all += customizationScripts.map(\.file)
        all += hooks.map(\.file)
        all += diskConfigs.map(\.file)
        all += debconfs.map(\.file)
        all += basefiles + tests + otherFiles
        return all
    }

    /// The tree: every file, symlink and directory, sorted by path.
    public var entries: [TreeEntry] {
        let all = files.map(TreeEntry.file) + symlinks.map(TreeEntry.symlink) + directories.map(TreeEntry.directory)
        return all.sorted { $0.path < $1.path }
    }

    /// What a path must hold for FAI to read it, when FAI reads its content (a package list);
    /// nil when any entry may stand there. A directory or a dangling symlink there is an error.
    public static func requiredContent(at path: String) -> String? {
        let parts = path.pathComponents
        if parts.count == 2, parts[0] == "package_config", PackageListPlace.isListName(parts[1]) {
            return "a package list"
        }
        if path.parentPath == FcopyEntry.nfsrootDirectory, !FcopyEntry.helperNames.contains(path.lastPathComponent) {
            return "an nfsroot package list"
        }
        return nil
    }

    /// Builds a config space from a tree; the first entry FAI could not read is the error.
    public init(entries: [TreeEntry]) throws(InputError) {
        let (space, problems) = ConfigSpace.classify(entries)
        if let first = problems.first { throw first }
        self = space
    }

    /// Builds a config space from a tree and lists what FAI could not read (a binary package
    /// list, a directory where a package list should be); such entries are kept as other
    /// files or directories, so the tree is still complete. For tools that report, like lint.
    public static func classify(_ entries: [TreeEntry]) -> (ConfigSpace, [InputError]) {
        var space = ConfigSpace()
        var problems: [InputError] = []
        var fcopy: [String: FcopyEntry] = [:]
        for entry in entries.sorted(by: { $0.path < $1.path }) {
            switch entry {
            case .symlink(let link):
                space.symlinks.append(link)
            case .directory(let directory):
                if let required = requiredContent(at: directory.path) {
                    problems.append(InputError(file: directory.path, "a directory where \(required) should be",
                                               hint: "remove or rename the directory"))
                }
                space.directories.append(directory)
            case .file(let file):
                space.place(file, fcopy: &fcopy, problems: &problems)
            }
        }
        space.fcopyEntries = fcopy.values.sorted { $0.directory < $1.directory }
        return (space, problems)
    }

    private mutating func place(_ file: ConfigFile, fcopy: inout [String: FcopyEntry], problems: inout [InputError]) {
        let parts = file.path.pathComponents
        let name = file.name
        switch (parts.first ?? "", parts.count) {
        case ("class", 2):
            if ClassScript.isScriptName(name) {
                classScripts.append(ClassScript(file: file))
            } else if name.hasSuffix(".var"), name.count > ".var".count {
                classVariables.append(ClassVariables(file: file))
            } else if HostClassFile.isHostName(name) {
                hostClassFiles.append(HostClassFile(file: file))
            } else {
                otherFiles.append(file)
            }
        case ("package_config", 2):
            if PackageListPlace.isListName(name) {
                placePackageList(file, into: \.packageLists, problems: &problems)
            } else if name.hasSuffix(".gpg") || name.hasSuffix(".asc") {
                aptKeys.append(ClassFile(file: file))
            } else {
                otherFiles.append(file)
            }
        case ("files", 3...):
            let directory = file.path.parentPath
            if directory == FcopyEntry.nfsrootDirectory, !FcopyEntry.helperNames.contains(name) {
                placePackageList(file, into: \.nfsrootPackageLists, problems: &problems)
                return
            }
            // Taken out of the dictionary while it grows: a copy left there would make every
            // append copy the variants, quadratic in the files of one directory.
            var entry = fcopy.removeValue(forKey: directory) ?? FcopyEntry(directory: directory)
            switch name {
            case "postinst": entry.postinst = file
            case "preinst": entry.preinst = file
            case "file-modes": entry.fileModes = file
            case "_substitute": entry.substitute = file
            default: entry.variants.append(file)
            }
            fcopy[directory] = entry
        case ("scripts", 3):
            customizationScripts.append(CustomizationScript(file: file))
        case ("hooks", 2) where Hook.isHookName(name):
            hooks.append(Hook(file: file))
        case ("disk_config", 2):
            diskConfigs.append(ClassFile(file: file))
        case ("debconf", 2):
            debconfs.append(ClassFile(file: file))
        case ("basefiles", 2...):
            basefiles.append(file)
        case ("tests", 2...):
            tests.append(file)
        default:
            otherFiles.append(file)
        }
    }

    private mutating func placePackageList(_ file: ConfigFile, into part: WritableKeyPath<ConfigSpace, [PackageList]>,
                                           problems: inout [InputError]) {
        do throws(InputError) {
            self[keyPath: part].append(try PackageList(path: file.path, contents: file.contents, mode: file.mode))
        } catch {
            problems.append(error)
            otherFiles.append(file)
        }
    }
}

/// Which names in `package_config/` are package lists.
enum PackageListPlace {
    /// install_packages reads `package_config/CLASS` for each class; a name with a dot is not
    /// a class (`DEBIAN.gpg` is an apt key, `notes.txt` a note).
    static func isListName(_ name: String) -> Bool { !name.isEmpty && !name.contains(".") && !name.hasSuffix("~") }
}
