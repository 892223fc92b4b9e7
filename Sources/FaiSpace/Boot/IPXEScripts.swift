// IPXEScripts: boot.ipxe, which chains the script of the booting MAC, and the per-MAC scripts.

/// iPXE resolves a relative path against the script it runs, so every path here is
/// absolute on the TFTP server (`/vmlinuz-KVER`). `boot.ipxe` chains
/// `/ipxe/01-<mac>.ipxe` (the MAC as `${netX/mac:hexhyp}`) and falls back to
/// `/ipxe/default.ipxe`.
enum IPXEScripts {
    static func files(_ site: BootSite) -> [GeneratedFile] {
        var files = site.perHost { host, mac in
            textFile("\(BootLayout.ipxeDirectory)/\(mac.pxelinuxName).ipxe", script(site, site.entry(for: host), what: "host \(host.name) (\(mac))"))
        }
        files.append(textFile("\(BootLayout.ipxeDirectory)/default.ipxe", script(site, site.entry(for: nil), what: "machines the spec does not list")))
        files.append(textFile(BootLayout.ipxeDispatcher, "#!ipxe\n" + site.header("#", "chains the script of this machine's MAC")
            + "chain --autofree /ipxe/01-${netX/mac:hexhyp}.ipxe || chain --autofree /ipxe/default.ipxe\n"))
        return files
    }

    static func script(_ site: BootSite, _ entry: ChbootEntry, what: String) -> String {
        var text = "#!ipxe\n" + site.header("#", "iPXE network boot for \(what)")
        if entry.isLocalboot {
            // Back to the BIOS or firmware, which boots the next device: the local disk.
            text += "exit 1\n"
        } else {
            // `initrd=NAME` names the initrd for a UEFI kernel; a BIOS kernel ignores it.
            text += "kernel /\(site.boot.kernel) initrd=\(site.boot.initrd) \(entry.arguments.joined(separator: " "))\n"
                + "initrd /\(site.boot.initrd)\nboot\n"
        }
        return text
    }
}
