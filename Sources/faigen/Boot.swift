// faigen boot: write the boot files of a spec's hosts (PXE, GRUB, iPXE, DHCP, TFTP) into OUTDIR safely.
import ArgumentParser
import FaiSpace
import FoundationEssentials

struct Boot: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boot",
        abstract: "Write the network boot files of the spec's hosts: pxelinux, GRUB, iPXE, dnsmasq, ISC dhcpd, Kea, /etc/hosts, tftpd-hpa.",
        discussion: """
            From the spec's boot: section and hosts (docs/boot.md), one MAC, IP, name and \
            kernel command line per host go into every file, so DHCP, TFTP and the config \
            space cannot disagree:
              tftp/pxelinux.cfg/01-MAC, default   BIOS, byte for byte as fai-chboot writes them
              tftp/grub/grub.cfg-01-MAC, grub.cfg  UEFI, GRUB's network image (grub-mknetdir --subdir=grub)
              tftp/boot.ipxe, tftp/ipxe/*.ipxe    iPXE: a dispatcher chaining the MAC's script
              dnsmasq/faigen.conf, dhcp-hosts     dnsmasq DHCP and TFTP; hosts reread on SIGHUP
              hosts                               /etc/hosts lines, also dnsmasq's addn-hosts
              dhcpd/dhcpd.conf, hosts.conf        ISC dhcpd subnet and host blocks
              kea/kea-dhcp4.conf, reservations.json  Kea
              tftpd-hpa/tftpd-hpa                 /etc/default/tftpd-hpa
              ganeti/os/fai, ganeti/instance-fai  with ganeti: the Ganeti OS definition fai (docs/ganeti.md)
              xenserver/*.sh                      xe scripts: PV install template, VM per host, re-arm; eliloader repository
              virtualbox/HOST.sh, libvirt/HOST.xml  a VM per host booting from the network (docs/hypervisors.md)
            Files are written as `faigen render` writes them: recorded in \
            OUTDIR/.faigen/manifest, each through a temporary name and a rename; a file \
            edited by hand is reported and kept unless --force; files of removed hosts go.

            --switch HOST=ACTION boots one host into install, sysinfo, inventory or \
            localboot (as fai-chboot -I, -S, -a, -o do) until switched back with \
            HOST=spec; switched hosts are kept in OUTDIR/boot-actions, so a later \
            `faigen boot` does not undo them.

            Examples:
              faigen boot --spec site.yaml /srv/fai/boot
              faigen boot --switch web01=localboot /srv/fai/boot
              faigen boot --switch web01=sysinfo --switch web02=spec /srv/fai/boot
            """
    )

    @Option(name: .long, help: ArgumentHelp("The site spec (YAML); default ./faigen.yaml, else the embedded default site.",
                                             valueName: "file"))
    var spec: String?

    @Option(name: .customLong("switch"), help: ArgumentHelp("Boot HOST into ACTION (install, sysinfo, inventory, localboot) from now on, or back into the spec's action (spec). Repeatable.",
                                                             valueName: "host=action"))
    var switches: [String] = []

    @Flag(name: .long, help: "Overwrite (or remove) boot files that were edited by hand since faigen wrote them.")
    var force = false

    @Flag(name: .long, help: "When another faigen is writing into OUTDIR, wait for it to finish instead of stopping at once.")
    var wait = false

    @Argument(help: ArgumentHelp("The directory to write into (created if missing); serve OUTDIR/tftp over TFTP.", valueName: "outdir"))
    var outputDirectory: String

    func run() throws {
        try Diagnostics.run {
            let siteSpec = try SiteSpec.locate(explicitPath: spec, directory: FileManager.default.currentDirectoryPath)
            var parsed: [BootSwitch] = []
            for argument in switches { parsed.append(try BootSwitch(argument: argument)) }
            let result = try BootWriter.apply(spec: siteSpec, outputDirectory: outputDirectory, switches: parsed, force: force, wait: wait)
            let report = result.report
            for path in report.keptEdited {
                Diagnostics.warning("\(outputDirectory.joiningPath(path)): edited by hand since faigen wrote it; left alone (--force overwrites)")
            }
            for path in report.overwrittenEdited {
                Diagnostics.warning("\(outputDirectory.joiningPath(path)): edited by hand; overwritten because of --force")
            }
            for change in parsed {
                let host = result.site.hosts.first { $0.name.key == change.host.key }
                if let host { print("\(host.name) (\(host.mac!)) boots \(result.site.action(of: host).rawValue)") }
            }
            print("boot files of \(result.site.hosts.count) hosts of site \(siteSpec.site) in \(outputDirectory): "
                  + "\(report.written.count) written, \(report.unchanged.count) unchanged, "
                  + "\(report.removed.count) removed, \(report.keptEdited.count) kept (edited by hand)")
        }
    }
}
