// SiteParts: the sections of a site spec that rendering turns into config-space files.

/// A kernel-log detection rule as the XenServer class script evaluates it: a PCRE2
/// pattern matched against each line of `dmesg` (as `pcre2grep -q`), the classes it
/// defines, and the classes that veto it when already defined.
public struct KernelLogRule: Sendable, Hashable {
    public var pattern: String
    /// Letters match either case (`pcre2grep -i`).
    public var caseless: Bool
    public var classes: [String]
    public var unless: [String]

    public init(pattern: String, caseless: Bool = false, classes: [String], unless: [String] = []) {
        self.pattern = pattern
        self.caseless = caseless
        self.classes = classes
        self.unless = unless
    }

    /// Seed 003's rule: a XenServer guest, HVM (its ACPI tables name Xen) or paravirtualized;
    /// not a Xen dom0, whose PV kernel prints the same line (the class script's XEN_DOM0 fact).
    public static let xenServer = KernelLogRule(
        pattern: "(ACPI:.*Xen.*HVM|Booting paravirtualized kernel on Xen)", classes: ["XENSERVER"], unless: ["XEN_DOM0"])
}

/// One entry of `ganeti.hostname_classes`: hosts whose name matches `pattern` get `classes`.
public struct HostnameClassRule: Sendable, Hashable {
    public var pattern: String
    public var classes: [String]

    public init(pattern: String, classes: [String]) {
        self.pattern = pattern
        self.classes = classes
    }
}

/// The grub-legacy menu.lst of XenServer guests (seed 003) and its postinst.
public struct GrubLegacy: Sendable, Hashable {
    /// The class whose hosts get this menu.lst and skip the MBR install.
    public var className: String
    /// Default of ROOT_PARTITION, the root device the kernel mounts.
    public var rootPartition: String
    /// Default of GROOT, grub's name of the partition holding /boot.
    public var groot: String
    public var kernel: String
    public var initrd: String
    public var kernelArgs: String
    /// Seconds grub waits before it boots the default entry.
    public var timeout: Int
    public var serialConsole: SerialConsole?

    public init(className: String = "XENSERVER", rootPartition: String = "/dev/xvda1",
                groot: String = "(hd0,0)", kernel: String = "/vmlinuz", initrd: String = "/initrd.img",
                kernelArgs: String = "console=hvc0", timeout: Int = 5, serialConsole: SerialConsole? = nil) {
        self.className = className
        self.rootPartition = rootPartition
        self.groot = groot
        self.kernel = kernel
        self.initrd = initrd
        self.kernelArgs = kernelArgs
        self.timeout = timeout
        self.serialConsole = serialConsole
    }
}

/// grub legacy's `serial` command: which port, how fast.
public struct SerialConsole: Sendable, Hashable {
    public var unit: Int
    public var speed: Int

    public init(unit: Int = 0, speed: Int = 115200) {
        self.unit = unit
        self.speed = speed
    }
}

/// A `PACKAGES command [classes]` line and the packages under it.
public struct PackageGroup: Sendable, Hashable {
    public var command: String
    /// Classes after the command: the group applies only when one is defined.
    public var classes: [String]
    public var packages: [String]

    public init(command: String, classes: [String] = [], packages: [String]) {
        self.command = command
        self.classes = classes
        self.packages = packages
    }
}

/// A file that fcopy installs for a class: `files/PATH/CLASS`.
public struct FileSpec: Sendable, Hashable {
    /// Absolute path on the installed host (`/etc/motd`).
    public var path: String
    public var content: String
    public var mode: UInt32
    public var owner: String?
    public var group: String?
    /// A script fcopy runs as `postinst CLASS DESTFILE` after it copied the file.
    public var postinst: String?

    public init(path: String, content: String, mode: UInt32 = 0o644, owner: String? = nil,
                group: String? = nil, postinst: String? = nil) {
        self.path = path
        self.content = content
        self.mode = mode
        self.owner = owner
        self.group = group
        self.postinst = postinst
    }
}

/// What the spec declares for one class.
public struct ClassSpec: Sendable, Hashable {
    public var name: String
    public var packages: [PackageGroup]
    /// `NAME=value` lines of `class/NAME.var`, in spec order.
    public var variables: [ClassVariable]
    /// `disk_config/NAME`, in setup-storage's format, written as given.
    public var diskConfig: String?
    /// `debconf/NAME`, lines for debconf-set-selections, written as given.
    public var debconf: String?
    public var files: [FileSpec]

    public init(name: String, packages: [PackageGroup] = [], variables: [ClassVariable] = [],
                diskConfig: String? = nil, debconf: String? = nil, files: [FileSpec] = []) {
        self.name = name
        self.packages = packages
        self.variables = variables
        self.diskConfig = diskConfig
        self.debconf = debconf
        self.files = files
    }
}

/// One shell variable of a `CLASS.var` file.
public struct ClassVariable: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A host the site installs: its classes, and its MAC and IP for the boot side.
public struct HostSpec: Sendable, Hashable {
    public var name: HostName
    public var mac: MACAddress?
    public var ip: IPAddress?
    public var classes: [String]
    /// The host's own `boot:` fields (action, flags, kernel arguments, ADDCLASSES).
    public var boot = HostBoot()

    public init(name: HostName, mac: MACAddress? = nil, ip: IPAddress? = nil, classes: [String] = []) {
        self.name = name
        self.mac = mac
        self.ip = ip
        self.classes = classes
    }
}
