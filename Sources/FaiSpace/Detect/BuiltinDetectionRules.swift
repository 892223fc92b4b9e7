// BuiltinDetectionRules: the built-in detection table, one row per piece of evidence a platform shows.
//
// Sources of the knowledge: systemd's src/basic/virt.c (CPUID and DMI vendor tables, the SMBIOS
// VM bit, Xen dom0, containers), virt-what 1.25 (/usr/sbin/virt-what), Linux's boot messages
// ("Hypervisor detected: ...", "Booting paravirtualized kernel on ..."), cloud vendors'
// documented DMI strings, and seed 003's XenServer pattern.

extension DetectionTable {
    /// Every class of the vocabulary (DESIGN.md), as the built-in table defines them.
    public static let vocabulary: [String] = [
        "XEN", "XEN_PV", "XEN_HVM", "XEN_DOM0", "XENSERVER", "KVM", "QEMU", "VMWARE", "HYPERV", "VIRTUALBOX",
        "PARALLELS", "BHYVE", "POWERVM_LPAR", "ZVM", "LDOMS", "LKVM", "ACRN", "NUTANIX_AHV", "RHEV", "APPLE_VZ",
        "AWS", "GCE", "AZURE", "ALIBABA_CLOUD",
        "DOCKER", "PODMAN", "LXC", "SYSTEMD_NSPAWN", "WSL", "OPENVZ", "LINUX_VSERVER",
        "VIRTUAL", "CONTAINER", "PHYSICAL",
    ]

    /// The seed's XenServer test (seed 003, `class/60-detect-XenServer`), kept byte for byte.
    public static let xenServerPattern = "(ACPI:.*Xen.*HVM|Booting paravirtualized kernel on Xen)"

    /// A Xen control domain: `control_d` among the words of `/proc/xen/capabilities`.
    public static let xenDom0CapabilitiesPattern = "control_d"

    /// A Xen control domain: bit 11 (XENFEAT_dom0, 0x800) of the hex number in
    /// `/sys/hypervisor/properties/features`, which is the third hex digit from the right being 8 or more.
    public static let xenDom0FeaturesPattern = "^[0-9a-fA-F]*[89a-fA-F][0-9a-fA-F]{2}$"

    /// The built-in table. Its patterns are constants checked by the tests; a failure to
    /// compile one is reported as an InputError on "built-in rules" rather than a trap.
    public static func builtin() throws -> DetectionTable {
        DetectionTable(rules: try BuiltinDetectionRules.rows.map { try $0.rule() })
    }
}

/// One row of the built-in table, written compactly; `rule()` makes the DetectionRule.
struct BuiltinRow {
    enum Test { case pattern(String), caseless(String), equals(String), present(Bool) }

    /// A further piece of evidence the row needs at the same time (``RuleCondition``).
    struct Also {
        var source: EvidenceSource
        var test: Test
        var fire: [String?]
        var quiet: [String?]
    }

    var id: String
    var source: EvidenceSource
    var test: Test
    var also: [Also] = []
    var classes: [String]
    var unless: [String] = []
    var reason: String
    var fire: [String?]
    var quiet: [String?]

    func rule() throws -> DetectionRule {
        DetectionRule(id: id, source: source, test: try compile(test, on: source),
                      also: try also.map { condition in
                          RuleCondition(source: condition.source, test: try compile(condition.test, on: condition.source),
                                        examples: RuleExamples(fire: condition.fire, quiet: condition.quiet))
                      },
                      classes: classes, unless: unless, reason: reason, examples: RuleExamples(fire: fire, quiet: quiet))
    }

    func compile(_ test: Test, on source: EvidenceSource) throws -> RuleTest {
        do {
            switch test {
            case .pattern(let text): return .pattern(try LinePattern(text, largeText: source == .kernelLog))
            case .caseless(let text): return .pattern(try LinePattern(text, caseless: true, largeText: source == .kernelLog))
            case .equals(let value): return .equals(value)
            case .present(let flag): return .present(flag)
            }
        } catch let error as PCRE2CompileError {
            throw InputError(file: "built-in rules", "rule \(id): \(error)")
        }
    }
}

enum BuiltinDetectionRules {
    static let hypervisorClasses = [
        "XEN", "XEN_PV", "XEN_HVM", "XENSERVER", "KVM", "QEMU", "VMWARE", "HYPERV", "VIRTUALBOX", "PARALLELS",
        "BHYVE", "POWERVM_LPAR", "ZVM", "LDOMS", "LKVM", "ACRN", "NUTANIX_AHV", "RHEV", "APPLE_VZ",
    ]
    static let containerClasses = ["DOCKER", "PODMAN", "LXC", "SYSTEMD_NSPAWN", "WSL", "OPENVZ", "LINUX_VSERVER"]

    static let rows: [BuiltinRow] = [
        // CPUID leaf 0x40000000 signatures (systemd virt.c's cpuid vendor table).
        // VirtualBox and Parallels offer KVM's paravirtual interface, CPUID signature included.
        BuiltinRow(id: "cpuid-kvm", source: .cpuid, test: .equals("KVMKVMKVM"), classes: ["KVM"],
                   unless: ["VIRTUALBOX", "PARALLELS"], reason: "CPUID hypervisor signature KVMKVMKVM (KVM)",
                   fire: ["KVMKVMKVM"], quiet: ["", "TCGTCGTCGTCG", nil]),
        BuiltinRow(id: "cpuid-kvm-hyperv", source: .cpuid, test: .equals("Linux KVM Hv"), classes: ["KVM"],
                   reason: "CPUID signature of KVM exposing Hyper-V enlightenments",
                   fire: ["Linux KVM Hv"], quiet: ["Microsoft Hv"]),
        BuiltinRow(id: "cpuid-qemu-tcg", source: .cpuid, test: .equals("TCGTCGTCGTCG"), classes: ["QEMU"],
                   reason: "CPUID signature TCGTCGTCGTCG: QEMU emulation without KVM",
                   fire: ["TCGTCGTCGTCG"], quiet: ["KVMKVMKVM"]),
        BuiltinRow(id: "cpuid-xen", source: .cpuid, test: .equals("XenVMMXenVMM"), classes: ["XEN"],
                   reason: "CPUID signature XenVMMXenVMM (Xen)",
                   fire: ["XenVMMXenVMM"], quiet: ["KVMKVMKVM", ""]),
        BuiltinRow(id: "cpuid-xen-hvm", source: .cpuid, test: .equals("XenVMMXenVMM"), classes: ["XEN_HVM"],
                   unless: ["XEN_PV", "XEN_DOM0"], reason: "Xen CPUID leaves seen by a guest that is not PV nor dom0: HVM",
                   fire: ["XenVMMXenVMM"], quiet: ["VMwareVMware"]),
        BuiltinRow(id: "cpuid-vmware", source: .cpuid, test: .equals("VMwareVMware"), classes: ["VMWARE"],
                   reason: "CPUID signature VMwareVMware", fire: ["VMwareVMware"], quiet: ["KVMKVMKVM"]),
        // Xen (viridian=1) and QEMU show Hyper-V's signature to offer its enlightenments.
        BuiltinRow(id: "cpuid-hyperv", source: .cpuid, test: .equals("Microsoft Hv"), classes: ["HYPERV"],
                   unless: ["VIRTUALBOX", "QEMU", "XEN"], reason: "CPUID signature Microsoft Hv (Hyper-V)",
                   fire: ["Microsoft Hv"], quiet: ["Linux KVM Hv"]),
        BuiltinRow(id: "cpuid-bhyve", source: .cpuid, test: .equals("bhyve bhyve"), classes: ["BHYVE"],
                   reason: "CPUID signature \"bhyve bhyve \" (FreeBSD bhyve)", fire: ["bhyve bhyve ", "bhyve bhyve"],
                   quiet: ["KVMKVMKVM"]),
        BuiltinRow(id: "cpuid-acrn", source: .cpuid, test: .equals("ACRNACRNACRN"), classes: ["ACRN"],
                   reason: "CPUID signature ACRNACRNACRN (ACRN hypervisor)", fire: ["ACRNACRNACRN"], quiet: [""]),
        BuiltinRow(id: "cpuid-lkvm", source: .cpuid, test: .equals("LKVMLKVMLKVM"), classes: ["LKVM"],
                   reason: "CPUID signature LKVMLKVMLKVM (kvmtool)", fire: ["LKVMLKVMLKVM"], quiet: ["KVMKVMKVM"]),
        BuiltinRow(id: "cpuid-apple-vz", source: .cpuid, test: .equals("Apple VZ"), classes: ["APPLE_VZ"],
                   reason: "CPUID signature Apple VZ (Virtualization.framework on an Intel Mac)",
                   fire: ["Apple VZ"], quiet: ["VMwareVMware", ""]),

        // DMI strings (systemd virt.c's dmi_vendor_table, virt-what's dmidecode checks).
        BuiltinRow(id: "dmi-qemu", source: .dmiSysVendor, test: .equals("QEMU"), classes: ["QEMU"],
                   unless: ["KVM", "XEN"], reason: "DMI system vendor QEMU and no KVM or Xen CPUID: emulated",
                   fire: ["QEMU\n"], quiet: ["QEMU Virtual", "Dell Inc.\n", nil]),
        BuiltinRow(id: "dmi-kvm-product", source: .dmiProductName, test: .pattern("^(KVM|OpenStack Nova|OpenStack Compute|KubeVirt)"),
                   classes: ["KVM"], reason: "DMI product name of a KVM host stack (KVM, OpenStack Nova, KubeVirt)",
                   fire: ["KVM\n", "OpenStack Nova\n"], quiet: ["Standard PC (i440FX + PIIX, 1996)\n"]),
        BuiltinRow(id: "dmi-vmware", source: .dmiSysVendor, test: .pattern("^VMware"), classes: ["VMWARE"],
                   reason: "DMI system vendor VMware", fire: ["VMware, Inc.\n"], quiet: ["Dell Inc.\n"]),
        BuiltinRow(id: "dmi-virtualbox", source: .dmiSysVendor, test: .equals("innotek GmbH"), classes: ["VIRTUALBOX"],
                   reason: "DMI system vendor innotek GmbH (VirtualBox)", fire: ["innotek GmbH\n"], quiet: ["Oracle\n"]),
        BuiltinRow(id: "dmi-virtualbox-product", source: .dmiProductName, test: .equals("VirtualBox"),
                   classes: ["VIRTUALBOX"], reason: "DMI product name VirtualBox",
                   fire: ["VirtualBox\n"], quiet: ["VMware7,1\n"]),
        BuiltinRow(id: "dmi-parallels", source: .dmiSysVendor, test: .pattern("^Parallels"), classes: ["PARALLELS"],
                   reason: "DMI system vendor Parallels", fire: ["Parallels Software International Inc.\n"],
                   quiet: ["QEMU\n"]),
        BuiltinRow(id: "dmi-parallels-board", source: .dmiBoardVendor, test: .pattern("^Parallels"), classes: ["PARALLELS"],
                   reason: "DMI board vendor Parallels",
                   fire: ["Parallels Software International Inc.\n", "Parallels International GmbH.\n"],
                   quiet: ["Oracle Corporation\n"]),
        BuiltinRow(id: "dmi-parallels-product", source: .dmiProductName, test: .pattern("^Parallels"),
                   classes: ["PARALLELS"], reason: "DMI product name Parallels (x86 and Apple silicon guests)",
                   fire: ["Parallels Virtual Platform\n", "Parallels ARM Virtual Machine\n"], quiet: ["VirtualBox\n"]),
        // VirtualBox can pass the host's DMI strings through; the board vendor stays its own.
        // Oracle's physical servers have that board vendor too, hence the hypervisor CPU flag.
        BuiltinRow(id: "dmi-virtualbox-board", source: .dmiBoardVendor, test: .equals("Oracle Corporation"),
                   also: [.init(source: .cpuinfo, test: .pattern("^flags\\s*:.*\\bhypervisor\\b"),
                                fire: ["flags\t\t: fpu vme de pse tsc msr pae hypervisor lahf_lm\n"],
                                quiet: ["flags\t\t: fpu vme de pse tsc msr pae vmx lahf_lm\n", nil])],
                   classes: ["VIRTUALBOX"],
                   reason: "DMI board vendor Oracle Corporation on a CPU that runs under a hypervisor (VirtualBox)",
                   fire: ["Oracle Corporation\n"], quiet: ["LENOVO\n", nil]),
        BuiltinRow(id: "dmi-apple-vz", source: .dmiProductName, test: .pattern("^Apple Virtualization"),
                   classes: ["APPLE_VZ"], reason: "DMI product name of Apple's Virtualization.framework",
                   fire: ["Apple Virtualization Generic Platform\n"], quiet: ["MacBookPro11,2\n", "VirtualMac2,1\n"]),
        BuiltinRow(id: "dmi-bhyve", source: .dmiBiosVendor, test: .equals("BHYVE"), classes: ["BHYVE"],
                   reason: "DMI BIOS vendor BHYVE", fire: ["BHYVE\n"], quiet: ["SeaBIOS\n"]),
        BuiltinRow(id: "dmi-xen", source: .dmiSysVendor, test: .equals("Xen"), classes: ["XEN"],
                   reason: "DMI system vendor Xen (an HVM guest's firmware)", fire: ["Xen\n"], quiet: ["Xenon Systems\n"]),
        BuiltinRow(id: "dmi-hyperv", source: .dmiProductName, test: .equals("Virtual Machine"), classes: ["HYPERV"],
                   unless: ["VIRTUALBOX", "QEMU", "KVM", "XEN"],
                   reason: "DMI product name Virtual Machine (Hyper-V's firmware)",
                   fire: ["Virtual Machine\n"], quiet: ["Surface Laptop 4\n"]),
        BuiltinRow(id: "dmi-nutanix", source: .dmiSysVendor, test: .equals("Nutanix"), classes: ["NUTANIX_AHV"],
                   reason: "DMI system vendor Nutanix (AHV, KVM based)", fire: ["Nutanix\n"], quiet: ["QEMU\n"]),
        BuiltinRow(id: "dmi-rhev", source: .dmiProductName, test: .pattern("^(RHEV Hypervisor|oVirt Node)"),
                   classes: ["RHEV"], reason: "DMI product name of Red Hat Virtualization (RHEV) or its upstream oVirt",
                   fire: ["RHEV Hypervisor\n", "oVirt Node\n"], quiet: ["KVM\n"]),
        BuiltinRow(id: "dmi-ovirt", source: .dmiSysVendor, test: .equals("oVirt"), classes: ["RHEV"],
                   reason: "DMI system vendor oVirt (upstream of Red Hat Virtualization)",
                   fire: ["oVirt\n"], quiet: ["Red Hat\n"]),
        BuiltinRow(id: "smbios-vm-bit", source: .smbiosVMBit, test: .equals("1"), classes: ["VIRTUAL"],
                   unless: ["XEN_DOM0"], reason: "SMBIOS BIOS characteristics say: system is a virtual machine",
                   fire: ["1"], quiet: ["0", nil]),

        // Clouds: their DMI strings; the hypervisor below them comes from the rows above.
        BuiltinRow(id: "dmi-aws", source: .dmiSysVendor, test: .equals("Amazon EC2"), classes: ["AWS"],
                   reason: "DMI system vendor Amazon EC2 (Nitro instances, bare metal too)",
                   fire: ["Amazon EC2\n"], quiet: ["Amazon.com\n"]),
        BuiltinRow(id: "dmi-aws-bios", source: .dmiBiosVendor, test: .equals("Amazon EC2"), classes: ["AWS"],
                   reason: "DMI BIOS vendor Amazon EC2", fire: ["Amazon EC2\n"], quiet: ["SeaBIOS\n"]),
        BuiltinRow(id: "dmi-aws-xen", source: .dmiBiosVersion, test: .pattern("^[0-9]+\\.[0-9]+\\.amazon"), classes: ["AWS"],
                   reason: "DMI BIOS version N.N.amazon (Xen-based EC2 instances)",
                   fire: ["4.11.amazon\n"], quiet: ["4.11.1\n", "1.0 amazon\n"]),
        BuiltinRow(id: "dmi-gce", source: .dmiProductName, test: .equals("Google Compute Engine"), classes: ["GCE"],
                   reason: "DMI product name Google Compute Engine",
                   fire: ["Google Compute Engine\n"], quiet: ["Google Pixelbook\n"]),
        // Nitro and Google's hypervisor are KVM: on arm64 (Graviton, Tau T2A, Axion), where there
        // is no CPUID, the DMI strings are the evidence. EC2 bare metal has the same vendor but
        // not the SMBIOS virtual-machine bit (systemd's detect_vm_dmi makes the same check).
        BuiltinRow(id: "dmi-aws-nitro", source: .dmiSysVendor, test: .equals("Amazon EC2"),
                   also: [.init(source: .smbiosVMBit, test: .equals("1"), fire: ["1"], quiet: ["0", nil])],
                   classes: ["KVM"], reason: "DMI system vendor Amazon EC2 with the SMBIOS VM bit: a Nitro (KVM) instance",
                   fire: ["Amazon EC2\n"], quiet: ["Amazon.com\n", nil]),
        BuiltinRow(id: "dmi-gce-kvm", source: .dmiProductName, test: .equals("Google Compute Engine"), classes: ["KVM"],
                   reason: "DMI product name Google Compute Engine: a VM on Google's KVM hypervisor",
                   fire: ["Google Compute Engine\n"], quiet: ["Google Pixelbook\n", nil]),
        BuiltinRow(id: "dmi-gce-board", source: .dmiBoardVendor, test: .equals("Google"), classes: ["GCE"],
                   reason: "DMI board vendor Google", fire: ["Google\n"], quiet: ["Amazon EC2\n"]),
        BuiltinRow(id: "dmi-gce-vendor", source: .dmiSysVendor, test: .equals("Google"), classes: ["GCE"],
                   reason: "DMI system vendor Google", fire: ["Google\n"], quiet: ["GOOGLE LLC\n"]),
        BuiltinRow(id: "dmi-azure", source: .dmiChassisAssetTag, test: .equals("7783-7084-3265-9085-8269-3286-77"),
                   classes: ["AZURE"], reason: "DMI chassis asset tag 7783-7084-3265-9085-8269-3286-77 (Azure)",
                   fire: ["7783-7084-3265-9085-8269-3286-77\n"], quiet: ["No Asset Tag\n"]),
        BuiltinRow(id: "dmi-alibaba", source: .dmiSysVendor, test: .pattern("^Alibaba Cloud"), classes: ["ALIBABA_CLOUD"],
                   reason: "DMI system vendor Alibaba Cloud (ECS)", fire: ["Alibaba Cloud\n"], quiet: ["Alibaba\n"]),

        // Xen: /proc/xen, /sys/hypervisor, dom0 capabilities (virt-what, systemd's detect_xen).
        BuiltinRow(id: "proc-xen", source: .procXen, test: .present(true), classes: ["XEN"],
                   reason: "/proc/xen exists: the kernel runs on Xen", fire: [""], quiet: [nil]),
        BuiltinRow(id: "xen-dom0", source: .xenCapabilities, test: .pattern(DetectionTable.xenDom0CapabilitiesPattern),
                   classes: ["XEN", "XEN_DOM0"],
                   reason: "/proc/xen/capabilities has control_d: this is the Xen control domain (dom0)",
                   fire: ["control_d\n"], quiet: ["\n", nil]),
        // What systemd checks first: XENVER_get_features, readable before xenfs is mounted.
        BuiltinRow(id: "xen-features-dom0", source: .xenFeatures, test: .pattern(DetectionTable.xenDom0FeaturesPattern),
                   classes: ["XEN", "XEN_DOM0"],
                   reason: "Xen feature bit 11 (XENFEAT_dom0) is set: this is the hardware domain (dom0)",
                   fire: ["000228f0\n", "00000800\n", "00000f01\n"], quiet: ["000027f0\n", "00000705\n", "\n", nil]),
        // Old PV kernels have no guest_type; their domU has an empty capabilities file, no
        // firmware (no DMI) and no Xen CPUID leaves (a PV guest's CPUID is not intercepted).
        BuiltinRow(id: "xen-capabilities-pv", source: .xenCapabilities, test: .equals(""),
                   also: [.init(source: .dmiSysVendor, test: .present(false), fire: [nil], quiet: ["Xen\n"]),
                          .init(source: .cpuid, test: .equals(""), fire: [""], quiet: ["XenVMMXenVMM", nil])],
                   classes: ["XEN_PV"], unless: ["XEN_DOM0", "XEN_HVM"],
                   reason: "empty /proc/xen/capabilities, no DMI and no hypervisor CPUID: a paravirtualized domU",
                   fire: ["", "\n"], quiet: ["control_d\n", nil]),
        BuiltinRow(id: "hypervisor-type-xen", source: .hypervisorType, test: .equals("xen"), classes: ["XEN"],
                   reason: "/sys/hypervisor/type is xen", fire: ["xen\n"], quiet: ["\n", nil]),
        BuiltinRow(id: "xen-guest-pv", source: .hypervisorGuestType, test: .equals("PV"), classes: ["XEN_PV"],
                   unless: ["XEN_DOM0"], reason: "/sys/hypervisor/guest_type is PV: a paravirtualized domU",
                   fire: ["PV\n"], quiet: ["HVM\n", "PVH\n"]),
        BuiltinRow(id: "xen-guest-hvm", source: .hypervisorGuestType, test: .pattern("^(HVM|PVH)$"), classes: ["XEN_HVM"],
                   unless: ["XEN_DOM0"], reason: "/sys/hypervisor/guest_type is HVM or PVH: a hardware-virtualized domU",
                   fire: ["HVM\n", "PVH\n"], quiet: ["PV\n"]),
        BuiltinRow(id: "device-tree-xen", source: .deviceTreeHypervisor, test: .pattern("^xen"), classes: ["XEN"],
                   reason: "device tree hypervisor node is Xen (ARM)", fire: ["xen,xen-4.17\nxen,xen\n"],
                   quiet: ["linux,kvm\n"]),
        BuiltinRow(id: "device-tree-kvm", source: .deviceTreeHypervisor, test: .pattern("^linux,kvm$"), classes: ["KVM"],
                   reason: "device tree hypervisor node is linux,kvm", fire: ["linux,kvm\n"], quiet: ["xen,xen\n"]),
        BuiltinRow(id: "device-tree-vmware", source: .deviceTreeHypervisor, test: .pattern("^vmware"), classes: ["VMWARE"],
                   reason: "device tree hypervisor node is VMware (ARM)", fire: ["vmware\n"], quiet: ["xen,xen\n"]),

        // Kernel log (dmesg): matched line by line as `dmesg | pcre2grep -q PATTERN`.
        BuiltinRow(id: "xenserver", source: .kernelLog, test: .pattern(DetectionTable.xenServerPattern),
                   classes: ["XENSERVER"], unless: ["XEN_DOM0"],
                   reason: "kernel log of a XenServer guest, HVM or PV (seed 003's pattern); a dom0 prints it too",
                   fire: ["[    0.000000] ACPI: XSDT 0x00000000FC00A6C0 000034 (v01 Xen    HVM      00000000 HVML 00000000)",
                          "[    0.000000] Booting paravirtualized kernel on Xen"],
                   quiet: ["[    0.000000] Booting paravirtualized kernel on bare hardware",
                           "[    0.000000] ACPI: XSDT 0x00000000BFFE3000 000064 (v01 BOCHS  BXPC     00000001      01000013)",
                           "systemd[1]: Condition check resulted in xenstored.service - The Xen xenstore being skipped.", nil]),
        BuiltinRow(id: "kernel-xen", source: .kernelLog,
                   test: .pattern("Hypervisor detected: Xen|Booting paravirtualized kernel on Xen"), classes: ["XEN"],
                   reason: "the kernel says it boots on Xen",
                   fire: ["[    0.000000] Hypervisor detected: Xen HVM", "[    0.000000] Booting paravirtualized kernel on Xen"],
                   quiet: ["[    0.000000] Booting paravirtualized kernel on bare hardware", nil]),
        BuiltinRow(id: "kernel-xen-pv", source: .kernelLog,
                   test: .pattern("Hypervisor detected: Xen PV$|Booting paravirtualized kernel on Xen$"),
                   classes: ["XEN_PV"], unless: ["XEN_DOM0"], reason: "the kernel boots as a Xen PV guest",
                   fire: ["[    0.000000] Booting paravirtualized kernel on Xen", "[    0.000000] Hypervisor detected: Xen PV"],
                   quiet: ["[    0.000000] Booting paravirtualized kernel on Xen HVM", "Booting paravirtualized kernel on Xen PVH"]),
        BuiltinRow(id: "kernel-xen-hvm", source: .kernelLog,
                   test: .pattern("Hypervisor detected: Xen HVM|Booting paravirtualized kernel on Xen (HVM|PVH)$"),
                   classes: ["XEN_HVM"], unless: ["XEN_DOM0"], reason: "the kernel boots as a Xen HVM or PVH guest",
                   fire: ["[    0.000000] Hypervisor detected: Xen HVM",
                          "[    0.000000] Booting paravirtualized kernel on Xen PVH"],
                   quiet: ["[    0.000000] Booting paravirtualized kernel on Xen"]),
        BuiltinRow(id: "kernel-kvm", source: .kernelLog,
                   test: .pattern("Hypervisor detected: KVM|Booting paravirtualized kernel on KVM"), classes: ["KVM"],
                   unless: ["VIRTUALBOX", "PARALLELS"], reason: "the kernel detected the KVM hypervisor",
                   fire: ["[    0.000000] Hypervisor detected: KVM", "[    0.000000] Booting paravirtualized kernel on KVM"],
                   quiet: ["[    4.101331] kvm: Nested Virtualization enabled",
                           "[   12.022020] kvm_amd: TSC scaling supported"]),
        BuiltinRow(id: "kernel-vmware", source: .kernelLog, test: .pattern("Hypervisor detected: VMware"), classes: ["VMWARE"],
                   reason: "the kernel detected VMware", fire: ["[    0.000000] Hypervisor detected: VMware"],
                   quiet: ["[    3.0] vmw_vmci 0000:00:07.7: Using capabilities 0xc"]),
        BuiltinRow(id: "kernel-hyperv", source: .kernelLog, test: .pattern("Hypervisor detected: Microsoft Hyper-V"),
                   classes: ["HYPERV"], unless: ["VIRTUALBOX", "QEMU", "XEN"], reason: "the kernel detected Microsoft Hyper-V",
                   fire: ["[    0.000000] Hypervisor detected: Microsoft Hyper-V"],
                   quiet: ["[    0.000000] Hypervisor detected: KVM"]),
        BuiltinRow(id: "kernel-acrn", source: .kernelLog, test: .pattern("Hypervisor detected: ACRN"), classes: ["ACRN"],
                   reason: "the kernel detected the ACRN hypervisor", fire: ["[    0.000000] Hypervisor detected: ACRN"],
                   quiet: ["[    0.000000] Hypervisor detected: KVM"]),

        // /proc: cpuinfo, sysinfo (s390x), lparcfg (POWER), osrelease (WSL).
        BuiltinRow(id: "cpuinfo-hypervisor-flag", source: .cpuinfo, test: .pattern("^flags\\s*:.*\\bhypervisor\\b"),
                   classes: ["VIRTUAL"], unless: ["XEN_DOM0"],
                   reason: "the CPU flags include hypervisor: the kernel runs under one",
                   fire: ["flags\t\t: fpu vme de pse tsc msr pae hypervisor lahf_lm\n"],
                   quiet: ["flags\t\t: fpu vme de pse tsc msr pae vmx svm lahf_lm\n"]),
        BuiltinRow(id: "cpuinfo-qemu", source: .cpuinfo, test: .pattern("^model name\\s*:.*QEMU"), classes: ["QEMU"],
                   unless: ["KVM", "XEN"], reason: "a QEMU CPU model without KVM or Xen: emulation",
                   fire: ["model name\t: QEMU Virtual CPU version 2.5+\n"],
                   quiet: ["model name\t: Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz\n"]),
        BuiltinRow(id: "cpuinfo-power-kvm", source: .cpuinfo, test: .pattern("^model\\s*:.*emulated by qemu"), classes: ["KVM"],
                   reason: "a POWER pSeries machine emulated by qemu (KVM on POWER)",
                   fire: ["model\t\t: IBM pSeries (emulated by qemu)\n"], quiet: ["model\t\t: IBM,9009-22A\n"]),
        BuiltinRow(id: "cpuinfo-pseries", source: .cpuinfo, test: .pattern("^platform\\s*:\\s*pSeries"),
                   classes: ["POWERVM_LPAR"], unless: ["KVM", "QEMU"], reason: "a POWER pSeries logical partition (PowerVM)",
                   fire: ["platform\t: pSeries\n"], quiet: ["platform\t: PowerNV\n"]),
        BuiltinRow(id: "lparcfg", source: .lparcfg, test: .pattern("^partition_id="), classes: ["POWERVM_LPAR"],
                   unless: ["KVM", "QEMU"], reason: "/proc/ppc64/lparcfg describes a PowerVM partition",
                   fire: ["lparcfg 1.9\npartition_id=3\nshared_processor_mode=1\n"], quiet: ["lparcfg 1.9\n", nil]),
        BuiltinRow(id: "sysinfo-zvm", source: .sysinfo, test: .pattern("^VM[0-9]{2} Control Program:\\s*z/VM"),
                   classes: ["ZVM"], reason: "/proc/sysinfo names z/VM as the control program (s390x)",
                   fire: ["VM00 Control Program: z/VM    7.2.0\n"], quiet: ["LPAR Name:           LP01\n"]),
        BuiltinRow(id: "sysinfo-kvm", source: .sysinfo, test: .pattern("^VM[0-9]{2} Control Program:\\s*KVM/Linux"),
                   classes: ["KVM"], reason: "/proc/sysinfo names KVM as the control program (s390x)",
                   fire: ["VM00 Control Program: KVM/Linux\n"], quiet: ["VM00 Control Program: z/VM    7.2.0\n"]),
        BuiltinRow(id: "cpuinfo-sun4v", source: .cpuinfo, test: .pattern("^type\\s*:\\s*sun4v"), classes: ["LDOMS"],
                   reason: "a SPARC sun4v machine runs under the Logical Domains hypervisor",
                   fire: ["cpu\t\t: UltraSparc T5 (Niagara5)\ntype\t\t: sun4v\n"], quiet: ["type\t\t: sun4u\n"]),
        BuiltinRow(id: "dev-mdesc", source: .devMdesc, test: .present(true),
                   also: [.init(source: .arch, test: .pattern("^sparc"), fire: ["sparc64\n"], quiet: ["x86_64\n", nil])],
                   classes: ["LDOMS"], reason: "/dev/mdesc on SPARC: the LDoms hypervisor's machine description (virt-what)",
                   fire: [""], quiet: [nil]),
        BuiltinRow(id: "kernel-sun4v", source: .kernelLog, test: .pattern("^(\\[[ 0-9.]+\\] )?ARCH: SUN4V$"),
                   classes: ["LDOMS"], reason: "the SPARC kernel booted as sun4v (on the LDoms hypervisor)",
                   fire: ["[    0.000000] ARCH: SUN4V", "ARCH: SUN4V"], quiet: ["[    0.000000] ARCH: SUN4U"]),
        // linux,dummy-virt is the generic board of every KVM VMM on ARM (kvmtool, Firecracker,
        // Cloud Hypervisor, crosvm, QEMU); only QEMU adds its fw-cfg node (systemd: vm-other).
        BuiltinRow(id: "device-tree-dummy-virt", source: .deviceTreeCompatible, test: .pattern("^linux,dummy-virt$"),
                   classes: ["KVM"], unless: ["QEMU", "XEN", "VMWARE"],
                   reason: "device tree linux,dummy-virt without QEMU's fw-cfg: a VMM on ARM KVM (Firecracker, Cloud Hypervisor, kvmtool)",
                   fire: ["linux,dummy-virt\n"], quiet: ["raspberrypi,4-model-b\nbrcm,bcm2711\n"]),
        BuiltinRow(id: "device-tree-qemu", source: .deviceTreeNodes, test: .pattern("^fw-cfg@"), classes: ["QEMU"],
                   unless: ["XEN"], reason: "a fw-cfg device tree node: QEMU's firmware configuration device",
                   fire: ["chosen\nfw-cfg@9020000\nmemory@40000000\n"], quiet: ["chosen\nmemory@40000000\n"]),
        BuiltinRow(id: "osrelease-wsl", source: .osrelease, test: .pattern("[Mm]icrosoft|WSL"), classes: ["WSL"],
                   reason: "the kernel release is Microsoft's WSL kernel",
                   fire: ["5.15.153.1-microsoft-standard-WSL2\n", "4.4.0-19041-Microsoft\n"], quiet: ["6.1.0-18-amd64\n"]),

        // Containers (systemd's detect_container, virt-what).
        BuiltinRow(id: "dockerenv", source: .dockerenv, test: .present(true), classes: ["DOCKER"],
                   reason: "/.dockerenv exists (Docker creates it in every container)", fire: [""], quiet: [nil]),
        BuiltinRow(id: "cgroup-docker", source: .selfCgroup, test: .pattern("/docker/|/docker-[0-9a-f]+\\.scope"),
                   classes: ["DOCKER"], reason: "the process cgroup is a Docker container's",
                   fire: ["12:pids:/docker/4f1c2b\n", "0::/system.slice/docker-4f1c2b.scope\n"],
                   quiet: ["0::/user.slice/user-1000.slice/session-2.scope\n"]),
        BuiltinRow(id: "containerenv", source: .containerenv, test: .present(true), classes: ["PODMAN"],
                   reason: "/run/.containerenv exists (Podman creates it)", fire: [""], quiet: [nil]),
        BuiltinRow(id: "environ-podman", source: .pid1Environ, test: .pattern("^container=podman$"), classes: ["PODMAN"],
                   reason: "PID 1 runs with container=podman", fire: ["PATH=/usr/bin\ncontainer=podman\n"],
                   quiet: ["container=docker\n"]),
        BuiltinRow(id: "cgroup-podman", source: .selfCgroup, test: .pattern("/libpod-"), classes: ["PODMAN"],
                   reason: "the process cgroup is a Podman container's", fire: ["0::/machine.slice/libpod-9a3c.scope\n"],
                   quiet: ["0::/init.scope\n"]),
        BuiltinRow(id: "environ-lxc", source: .pid1Environ, test: .pattern("^container=lxc"), classes: ["LXC"],
                   reason: "PID 1 runs with container=lxc", fire: ["container=lxc\n", "container=lxc-libvirt\n"],
                   quiet: ["container=podman\n"]),
        BuiltinRow(id: "environ-nspawn", source: .pid1Environ, test: .pattern("^container=systemd-nspawn$"),
                   classes: ["SYSTEMD_NSPAWN"], reason: "PID 1 runs with container=systemd-nspawn",
                   fire: ["container=systemd-nspawn\n"], quiet: ["container=lxc\n"]),
        BuiltinRow(id: "systemd-container", source: .systemdContainer, test: .equals("systemd-nspawn"),
                   classes: ["SYSTEMD_NSPAWN"], reason: "/run/systemd/container says systemd-nspawn",
                   fire: ["systemd-nspawn\n"], quiet: ["lxc\n"]),
        BuiltinRow(id: "systemd-container-lxc", source: .systemdContainer, test: .pattern("^lxc"), classes: ["LXC"],
                   reason: "/run/systemd/container says lxc", fire: ["lxc\n", "lxc-libvirt\n"], quiet: ["docker\n"]),
        BuiltinRow(id: "systemd-container-docker", source: .systemdContainer, test: .equals("docker"), classes: ["DOCKER"],
                   reason: "/run/systemd/container says docker", fire: ["docker\n"], quiet: ["podman\n"]),
        BuiltinRow(id: "systemd-container-podman", source: .systemdContainer, test: .equals("podman"), classes: ["PODMAN"],
                   reason: "/run/systemd/container says podman", fire: ["podman\n"], quiet: ["docker\n"]),
        BuiltinRow(id: "openvz", source: .selfStatus, test: .pattern("^envID:\\s*[1-9]"), classes: ["OPENVZ"],
                   reason: "the process runs in an OpenVZ container (envID is not 0)",
                   fire: ["Name:\tfaigen\nenvID:\t101\nVPid:\t1\n"], quiet: ["Name:\tfaigen\nenvID:\t0\n", "Name:\tfaigen\n"]),
        BuiltinRow(id: "linux-vserver", source: .selfStatus, test: .pattern("^(VxID|s_context):\\s*[1-9]"),
                   classes: ["LINUX_VSERVER"], reason: "the process runs in a Linux-VServer guest (VxID is not 0)",
                   fire: ["Name:\tfaigen\nVxID:\t40001\n"], quiet: ["Name:\tfaigen\nVxID:\t0\n"]),

        // Summaries over the classes above.
        BuiltinRow(id: "virtual", source: .classes,
                   test: .pattern("^(" + hypervisorClasses.joined(separator: "|") + ")$"), classes: ["VIRTUAL"],
                   unless: ["XEN_DOM0"], reason: "a hypervisor class fired (Xen dom0 runs the hypervisor: not virtual)",
                   fire: ["KVM", "XEN\nXEN_HVM\nAWS"], quiet: ["DOCKER", "XEN\nXEN_DOM0", "AWS"]),
        BuiltinRow(id: "container", source: .classes,
                   test: .pattern("^(" + containerClasses.joined(separator: "|") + ")$"), classes: ["CONTAINER"],
                   reason: "a container class fired", fire: ["DOCKER", "KVM\nLXC"], quiet: ["KVM", ""]),
        BuiltinRow(id: "physical", source: .classes, test: .present(true), classes: ["PHYSICAL"],
                   unless: ["VIRTUAL", "CONTAINER"], reason: "no hypervisor and no container fired",
                   fire: ["", "AWS", "XEN\nXEN_DOM0"], quiet: ["KVM\nVIRTUAL", "DOCKER\nCONTAINER"]),
    ]
}
