// EvidenceSource: every place a Linux client shows what platform it runs on, and where a snapshot keeps it.

/// One piece of evidence a detection rule can test. The raw value is the name used in rule
/// files (`source: dmi:sys_vendor`); ``snapshotPath`` is where `--root DIR` and
/// `faigen facts save DIR` keep it, relative to DIR (or `/` on the live system).
public enum EvidenceSource: String, Sendable, Hashable, CaseIterable, Codable {
    /// The CPUID hypervisor vendor signature (leaf 0x40000000), e.g. `KVMKVMKVM`, trailing NULs removed.
    case cpuid
    /// The kernel log (`dmesg`): klogctl, `/dev/kmsg`, `/var/log/dmesg` or `$LOGDIR/dmesg.log`.
    case kernelLog = "kernel-log"
    case cmdline
    case cpuinfo
    /// `/proc/self/status`: Linux-VServer (`VxID:`) and OpenVZ (`envID:`) add lines here.
    case selfStatus = "self-status"
    case selfCgroup = "self-cgroup"
    /// `/proc/1/environ` with its NUL separators turned into newlines.
    case pid1Environ = "pid1-environ"
    case osrelease
    case procXen = "proc-xen"
    case xenCapabilities = "xen-capabilities"
    case sysinfo
    case lparcfg
    case hypervisorType = "hypervisor-type"
    case hypervisorGuestType = "hypervisor-guest-type"
    /// `/sys/hypervisor/properties/features`: Xen's feature bits as hex (`000228f0`); bit 11
    /// (XENFEAT_dom0) marks the control domain even before xenfs is mounted on /proc/xen.
    case xenFeatures = "xen-features"
    case dmiSysVendor = "dmi:sys_vendor"
    case dmiProductName = "dmi:product_name"
    case dmiProductVersion = "dmi:product_version"
    case dmiBoardVendor = "dmi:board_vendor"
    case dmiBiosVendor = "dmi:bios_vendor"
    case dmiBiosVersion = "dmi:bios_version"
    case dmiChassisAssetTag = "dmi:chassis_asset_tag"
    /// The SMBIOS "virtual machine" bit (type 0, BIOS characteristics extension byte 2, bit 4):
    /// the evidence is `1` or `0`, absent when the table is missing or too short.
    case smbiosVMBit = "smbios-vm-bit"
    /// `/proc/device-tree/compatible`, NUL-separated strings turned into lines.
    case deviceTreeCompatible = "device-tree:compatible"
    case deviceTreeHypervisor = "device-tree:hypervisor"
    /// The names of the top-level device-tree nodes, one a line (QEMU's `fw-cfg@...`).
    case deviceTreeNodes = "device-tree:nodes"
    case dockerenv
    case containerenv
    case systemdContainer = "systemd-container"
    /// `/dev/mdesc`, the SPARC sun4v machine description device: only under the LDoms hypervisor.
    case devMdesc = "dev-mdesc"
    /// The CPU architecture as `uname -m` prints it (`x86_64`, `aarch64`, `sparc64`); kept in a
    /// snapshot as `.faigen/arch` for rules that only mean something on one architecture.
    case arch
    /// Not read from the system: the classes the other rules defined, one a line.
    /// Rules on it derive summaries (`VIRTUAL`, `CONTAINER`, `PHYSICAL`).
    case classes

    /// Where the evidence lives under a root directory; nil for ``classes``.
    public var snapshotPath: String? {
        switch self {
        case .cpuid: ".faigen/cpuid-vendor"
        case .kernelLog: "var/log/dmesg"
        case .cmdline: "proc/cmdline"
        case .cpuinfo: "proc/cpuinfo"
        case .selfStatus: "proc/self/status"
        case .selfCgroup: "proc/self/cgroup"
        case .pid1Environ: "proc/1/environ"
        case .osrelease: "proc/sys/kernel/osrelease"
        case .procXen: "proc/xen"
        case .xenCapabilities: "proc/xen/capabilities"
        case .sysinfo: "proc/sysinfo"
        case .lparcfg: "proc/ppc64/lparcfg"
        case .hypervisorType: "sys/hypervisor/type"
        case .hypervisorGuestType: "sys/hypervisor/guest_type"
        case .dmiSysVendor: "sys/class/dmi/id/sys_vendor"
        case .dmiProductName: "sys/class/dmi/id/product_name"
        case .dmiProductVersion: "sys/class/dmi/id/product_version"
        case .dmiBoardVendor: "sys/class/dmi/id/board_vendor"
        case .dmiBiosVendor: "sys/class/dmi/id/bios_vendor"
        case .dmiBiosVersion: "sys/class/dmi/id/bios_version"
        case .dmiChassisAssetTag: "sys/class/dmi/id/chassis_asset_tag"
        case .smbiosVMBit: "sys/firmware/dmi/entries/0-0/raw"
        case .deviceTreeCompatible: "proc/device-tree/compatible"
        case .deviceTreeHypervisor: "proc/device-tree/hypervisor/compatible"
        case .deviceTreeNodes: "proc/device-tree"
        case .dockerenv: ".dockerenv"
        case .containerenv: "run/.containerenv"
        case .systemdContainer: "run/systemd/container"
        case .devMdesc: "dev/mdesc"
        case .arch: ".faigen/arch"
        case .xenFeatures: "sys/hypervisor/properties/features"
        case .classes: nil
        }
    }

    /// How the file at ``snapshotPath`` becomes evidence text.
    enum Reading {
        /// The file's bytes as they are.
        case content
        /// The file's bytes with NUL separators turned into newlines (environ, device-tree strings).
        case nulSeparated
        /// Only whether the path exists (a file or a directory); the text is empty.
        case presence
        /// The names in a directory, sorted, one a line.
        case directoryListing
        /// The SMBIOS type 0 record: `1` or `0` for its virtual-machine bit.
        case smbiosVMBit
        /// Not a file (``cpuid`` and ``kernelLog`` on the live system, ``classes``).
        case special
    }

    var reading: Reading {
        switch self {
        case .pid1Environ, .deviceTreeCompatible, .deviceTreeHypervisor: .nulSeparated
        case .procXen, .dockerenv, .containerenv, .devMdesc: .presence
        case .deviceTreeNodes: .directoryListing
        case .smbiosVMBit: .smbiosVMBit
        case .classes: .special
        default: .content
        }
    }
}
