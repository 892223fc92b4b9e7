#!/usr/bin/python3
"""ganeti-node.py OSDIR WORKDIR COMMAND ARGUMENTS...: Ganeti's node backend (the Python
library of Debian's ganeti-3.0) run against the OS definitions in OSDIR, as the node daemon
runs them; scripts/ganeti-node sets up /etc and PYTHONPATH.

  diagnose OS                                  _TryOSFromDisk (gnt-os diagnose): prints JSON
  validate OS+VARIANT PARAMS                   ValidateOS: runs verify parameters
  add OS+VARIANT NAME DISK MAC PARAMS          InstanceOsAdd: runs create; prints its environment as JSON
  rename OS+VARIANT NAME OLDNAME DISK MAC PARAMS  RunRenameInstance: runs rename

PARAMS is a JSON object of OS parameters (gnt-instance add -O). DISK is a file (a Ganeti
file disk with the loop driver). A failure Ganeti reports is printed to standard error and
exits 1.
"""
import json
import logging
import sys

from ganeti import backend, constants, objects, pathutils, serializer


def instance(os_name, name, disk_path, mac, params):
    size = 0
    with open(disk_path, "rb") as disk_file:
        size = disk_file.seek(0, 2) >> 20
    disk = objects.Disk(dev_type=constants.DT_FILE, logical_id=("loop", disk_path), size=size, mode="rw",
                        uuid="disk-0-uuid", params={}, children=[], iv_name="disk/0", name=None)
    nic = objects.NIC(mac=mac, uuid="nic-0-uuid", ip=None, name=None, netinfo=None,
                      nicparams={constants.NIC_MODE: constants.NIC_MODE_BRIDGED, constants.NIC_LINK: "br0", constants.NIC_VLAN: ""})
    return objects.Instance(name=name, os=os_name, uuid="instance-uuid", ctime=0, mtime=0, primary_node="node1.example.org",
                            secondary_nodes=[], hypervisor=constants.HT_KVM, nics=[nic], disks=["disk-0-uuid"], disks_info=[disk],
                            hvparams={}, beparams={}, osparams=params, osparams_private=serializer.PrivateDict())


def main(argv):
    if len(argv) < 4:
        sys.stderr.write(__doc__)
        return 2
    os_dir, work_dir, command, args = argv[1], argv[2], argv[3], argv[4:]
    # Where Ganeti built with --with-os-search-path=OSDIR looks, and its OS script logs.
    pathutils.OS_SEARCH_PATH = [os_dir]
    pathutils.LOG_OS_DIR = work_dir
    logging.disable(logging.CRITICAL)
    try:
        if command == "diagnose":
            ok, found = backend._TryOSFromDisk(args[0])
            if not ok:
                sys.stderr.write("%s\n" % found)
                return 1
            print(json.dumps({"api_versions": sorted(found.api_versions), "variants": found.supported_variants,
                              "parameters": [list(pair) for pair in found.supported_parameters]}))
        elif command == "validate":
            backend.ValidateOS(True, args[0], [constants.OS_VALIDATE_PARAMETERS], json.loads(args[1]), False)
        elif command == "add":
            inst = instance(args[0], args[1], args[2], args[3], json.loads(args[4]))
            print(json.dumps(backend.OSEnvironment(inst, backend.OSFromDisk(inst.os))))
            backend.InstanceOsAdd(inst, False, 0)
        elif command == "rename":
            inst = instance(args[0], args[1], args[3], args[4], json.loads(args[5]))
            backend.RunRenameInstance(inst, args[2], 0)
        else:
            sys.stderr.write("unknown command %s\n" % command)
            return 2
    except backend.RPCFail as failure:
        sys.stderr.write("%s\n" % failure)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
