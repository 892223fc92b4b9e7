// GrubNetBoot: the GRUB configuration a UEFI machine loads over the network, per MAC.

/// GRUB's network image (`grub-mknetdir --net-directory=TFTPROOT --subdir=grub`) loads
/// `grub/grub.cfg-01-<mac>` first, then IP-based names, then `grub/grub.cfg`
/// (grub_net_search_config_file, GRUB 2.06). The kernel command line is pxelinux's.
enum GrubNetBoot {
    static func files(_ site: BootSite) -> [GeneratedFile] {
        var files = site.perHost { host, mac in
            textFile("\(BootLayout.grubDirectory)/grub.cfg-\(mac.pxelinuxName)",
                     text(site, site.entry(for: host), what: "host \(host.name) (\(mac))"))
        }
        files.append(textFile("\(BootLayout.grubDirectory)/grub.cfg", text(site, site.entry(for: nil), what: "machines the spec does not list")))
        return files
    }

    static func text(_ site: BootSite, _ entry: ChbootEntry, what: String) -> String {
        var text = site.header("#", "GRUB network boot for \(what)") + "set default=0\nset timeout=0\n"
        if entry.isLocalboot {
            // Back to the firmware, which boots the next entry of its boot order: the local disk.
            text += "menuentry 'local disk' {\n\texit 1\n}\n"
        } else {
            let words = entry.arguments.map(quoted).joined(separator: " ")
            text += "menuentry 'FAI \(entry.action)' {\n\tlinux /\(site.boot.kernel) \(words)\n\tinitrd /\(site.boot.initrd)\n}\n"
        }
        return text
    }

    /// A word as GRUB's script reader keeps it: plain when it is, else in single quotes
    /// (the spec's values hold no quote, `$` or backslash).
    static func quoted(_ word: String) -> String {
        word.utf8.allSatisfy({ Validate.isAlphanumeric($0) || "_=,.:/+@-".utf8.contains($0) }) ? word : "'\(word)'"
    }
}
