// VirtualBox: a VBoxManage script per host that makes a VM booting FAI from the network with the host's MAC (seed 004).

/// `virtualbox/HOST.sh` registers a VM named after the host whose first network card has the
/// host's MAC (VirtualBox writes it as 12 hex digits) on the configured network, boots from
/// the network first and then from its disk, so a PXE setup can be tried on a workstation.
/// The card is an Intel PRO/1000 MT Desktop (82540EM), whose boot ROM VirtualBox ships.
enum VirtualBox {
    static let directory = "virtualbox"

    static func files(_ site: BootSite) -> [GeneratedFile] {
        guard let box = site.boot.virtualbox else { return [] }
        return site.perHost { host, mac in scriptFile("\(directory)/\(host.name).sh", text(site, box, host, mac)) }
    }

    /// The MAC as `VBoxManage modifyvm --macaddress1` takes it.
    static func macAddress(_ mac: MACAddress) -> String { mac.text(separator: "").uppercased() }

    static func text(_ site: BootSite, _ box: VirtualBoxSpec, _ host: HostSpec, _ mac: MACAddress) -> String {
        let name = "\(host.name).sh"
        return shellHeader(site, "a VirtualBox VM for host \(host.name) (\(mac)) that boots FAI from the network (docs/hypervisors.md)") + """
            \(shellAssignment("name", host.name.text))
            \(shellAssignment("network", box.network))

            if VBoxManage showvminfo "$name" >/dev/null 2>&1; then
            \techo "\(name): a VM named $name exists: remove it first (VBoxManage unregistervm $name --delete)" >&2
            \texit 1
            fi
            VBoxManage createvm --name "$name" --ostype \(box.ostype) --register
            VBoxManage modifyvm "$name" --memory \(box.memory) --cpus \(box.cpus) --boot1 net --boot2 disk --boot3 none --boot4 none
            VBoxManage modifyvm "$name" --nic1 \(box.attachment.rawValue) \(box.attachment.option) "$network" --nictype1 82540EM --macaddress1 \(macAddress(mac)) --cableconnected1 on
            settings=$(VBoxManage showvminfo "$name" --machinereadable | sed -n 's/^CfgFile="\\(.*\\)"$/\\1/p')
            if [ -z "$settings" ]; then
            \techo "\(name): VBoxManage showvminfo names no settings file of $name" >&2
            \texit 1
            fi
            disk="${settings%/*}/$name.vdi"
            VBoxManage createmedium disk --filename "$disk" --size \(box.disk) --format VDI
            VBoxManage storagectl "$name" --name SATA --add sata --controller IntelAhci --portcount 1
            VBoxManage storageattach "$name" --storagectl SATA --port 0 --device 0 --type hdd --medium "$disk"
            echo "VM $name boots from the network: VBoxManage startvm $name --type headless"

            """
    }
}
