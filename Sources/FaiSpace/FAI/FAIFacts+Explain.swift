// What FAI runs in which order (fai, subroutines, install_packages), and which Debian packages are boot loaders: the facts explain resolves a host with.

extension FAIFacts {
    /// The tasks of `fai install` whose hooks come from the config space, in the order they
    /// run (/usr/sbin/fai: setup, defclass, defvar, action; /usr/lib/fai/subroutines'
    /// task_install; then faiend). `confdir` hooks run before the config space is there.
    public static let installTaskOrder = [
        "setup", "defclass", "defvar", "action", "install",
        "partition", "mountdisks", "extrbase", "debconf", "repository", "updatebase",
        "instsoft", "configure", "tests", "finish", "chboot", "savelog", "faiend",
    ]

    /// The order install_packages runs its commands (`@commands` in /usr/sbin/install_packages,
    /// without `clean-internal`).
    public static let packageCommandOrder = [
        "y2i", "y2r", "zypper", "zypper-pattern", "zypper-product", "zypper-rm", "yast", "rpmr",
        "urpmi", "urpme", "yumgroup", "yumi", "yumr", "dnfgroup", "dnfi", "dnfr", "smarti", "smartr",
        "hold", "taskrm", "taskinst", "cupt", "cupt-r", "install", "install-norec", "aptitude",
        "aptitude-r", "apt", "unpack", "remove", "dselect-upgrade", "pacman-Rns", "pacman-S",
        "apk-add", "apk-del",
    ]

    /// Commands whose words are packages apt installs (a trailing `-` removes one instead).
    public static let installingPackageCommands: Set<String> = [
        "install", "install-norec", "aptitude", "aptitude-r", "apt", "cupt", "cupt-r",
    ]

    /// Commands that remove the packages they name.
    public static let removingPackageCommands: Set<String> = ["remove"]

    /// Debian packages that each install a boot loader of their own into the target; a host
    /// that gets two of them gets whichever was configured last.
    public static let bootLoaderPackages: Set<String> = [
        "grub-pc", "grub-legacy", "grub-efi", "grub-efi-amd64", "grub-efi-ia32", "grub-efi-arm64",
        "grub-ieee1275", "grub-xen", "lilo", "extlinux", "systemd-boot", "elilo",
    ]
}
