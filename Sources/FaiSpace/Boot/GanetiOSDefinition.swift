// GanetiOSDefinition: the Ganeti OS definition `fai` (ganeti-os-interface(7), API 20), whose create makes the instance's disk boot FAI through iPXE.

/// `ganeti/os/fai/` installs as `/srv/ganeti/os/fai` (or `/usr/share/ganeti/os/fai`) on
/// every node, `ganeti/instance-fai/` as `/etc/ganeti/instance-fai` (docs/ganeti.md).
///
/// `create` writes a 4 MiB boot image onto the instance's first disk: an MBR (syslinux's
/// `mbr.bin`) and one FAT partition at 1 MiB holding syslinux, iPXE as a Linux kernel
/// (`ipxe.lkrn`) and an iPXE script as its initrd. The script gets DHCP and boots the site's
/// FAI kernel from the TFTP server with `hostname=INSTANCE_NAME` and `ADDCLASSES=` from the
/// variant and the `addclasses` parameter. FAI then installs over the whole disk.
///
/// The scripts are fixed text; the site's values are in `instance-fai/defaults` and
/// `variants/VARIANT.conf`, which an admin may edit on a node. Values from Ganeti's
/// environment and from those files are checked against plain character sets before
/// anything is written, and reach the iPXE script through `printf '%s'`, never `eval`.
enum GanetiOSDefinition {
    static let osDirectory = "ganeti/os/fai"
    static let configDirectory = "ganeti/instance-fai"

    static func files(_ site: BootSite) -> [GeneratedFile] {
        guard let os = site.spec.ganetiOS else { return [] }
        let header = site.header("#", "the Ganeti OS definition fai (docs/ganeti.md)")
        var files = [
            textFile("\(osDirectory)/ganeti_api_version", "20\n"),
            textFile("\(osDirectory)/variants.list", os.variants.map { $0.name + "\n" }.joined()),
            textFile("\(osDirectory)/parameters.list", """
                addclasses FAI classes to add (ADDCLASSES=), comma-separated names of A-Z, 0-9 and _, such as WEB,DB
                action The FAI action (FAI_ACTION=): \(GanetiOS.actions.map(\.rawValue).joined(separator: ", ")); default \(os.action.rawValue)

                """),
            textFile("\(osDirectory)/common.sh", "# shellcheck shell=sh\n# common.sh: what create, import, export, rename and verify share; sourced, not run\n"
                + header + commonScript),
            textFile("\(configDirectory)/defaults", defaults(site, os)),
        ]
        for (name, body) in scripts {
            files.append(GeneratedFile(path: "\(osDirectory)/\(name)",
                                       contents: Array(("#!/bin/sh\n# \(name): \(body.summary)\n" + header + body.text).utf8),
                                       mode: 0o755))
        }
        for variant in os.variants {
            files.append(textFile("\(configDirectory)/variants/\(variant.name).conf",
                                  site.header("#", "Ganeti OS variant fai+\(variant.name), read after ../defaults")
                                  + (variant.classes.isEmpty ? "# No FAI classes of its own: its instances get the CLASSES of ../defaults.\n"
                                     : "# FAI classes its instances get after those of ../defaults (ADDCLASSES=, before the addclasses parameter).\n"
                                     + "CLASSES=${CLASSES:+$CLASSES,}\(variant.classes.joined(separator: ","))\n")))
        }
        return files
    }

    /// `/etc/ganeti/instance-fai/defaults`: the site's FAI boot, as `faigen boot` writes it for a
    /// host the spec does not list, without the words create adds itself.
    static func defaults(_ site: BootSite, _ os: GanetiOS) -> String {
        var install = site
        install.boot.unknown = .install
        let arguments = install.entry(for: nil).arguments.filter { !$0.hasPrefix("FAI_ACTION=") }
        return site.header("#", "settings of the Ganeti OS definition fai, overridden by variants/VARIANT.conf") + """
            # The TFTP server the instance's iPXE loads the FAI kernel and initrd from (boot.server).
            TFTP_SERVER=\(site.boot.server)
            KERNEL=\(site.boot.kernel)
            INITRD=\(site.boot.initrd)
            # The kernel's arguments; create adds hostname=INSTANCE_NAME, ADDCLASSES= and FAI_ACTION=.
            KERNEL_ARGS="\(arguments.joined(separator: " "))"
            # The FAI action of an instance whose action parameter is empty.
            ACTION=\(os.action.rawValue)
            # FAI classes of every instance, comma-separated; a variant adds its own.
            CLASSES=
            # What create copies onto the disk (Debian packages ipxe and syslinux-common).
            IPXE_LKRN=/usr/lib/ipxe/ipxe.lkrn
            SYSLINUX_MBR=/usr/lib/syslinux/mbr/mbr.bin

            """
    }

    static let scripts: [(String, (summary: String, text: String))] = [
        ("create", ("makes the instance's first disk boot iPXE, which boots FAI to install it", createScript)),
        ("export", ("writes a disk of the instance to standard output, byte for byte", exportScript)),
        ("import", ("writes what export wrote back onto a disk of the instance", importScript)),
        ("rename", ("gives a not yet installed instance its new name; an installed one keeps its own", renameScript)),
        ("verify", ("checks the OS parameters (addclasses, action) before Ganeti uses them", verifyScript)),
    ]

    static let commonScript = #"""

        set -eu
        export LC_ALL=C MTOOLS_SKIP_CHECK=1
        # Ganeti cleans the environment, so on a node this is always /etc/ganeti/instance-fai;
        # INSTANCE_FAI_CONFDIR points elsewhere to try the definition outside a cluster.
        CONFDIR=${INSTANCE_FAI_CONFDIR:-/etc/ganeti/instance-fai}
        # The boot image: 4 MiB, its FAT partition from sector 2048 (1 MiB) to the end.
        IMAGE_SECTORS=8192
        PART_START=2048
        UPPER=ABCDEFGHIJKLMNOPQRSTUVWXYZ
        LOWER=abcdefghijklmnopqrstuvwxyz
        DIGITS=0123456789
        [ "${DEBUG_LEVEL:-0}" = 0 ] || set -x

        # One line to standard error, which Ganeti shows the operator, and exit 1.
        die() {
            printf '%s: %s\n' "${0##*/}" "$*" >&2
            exit 1
        }

        # A value from outside, made fit for one line of a message: at most 64 characters,
        # anything unprintable shown as ?.
        shown() {
            printf '%s' "$1" | tr -c '[:print:]' '?' | cut -c 1-64
        }

        usage() {
            echo "usage: $1 (run by Ganeti with its environment; see ganeti-os-interface(7))" >&2
            exit "${2:-1}"
        }

        no_arguments() {
            name=$1
            shift
            case ${1:-} in -h | --help) usage "$name" 0 ;; esac
            [ $# -eq 0 ] || usage "$name"
        }

        # is_classes VALUE: VALUE is NAME[,NAME...], each of A-Z 0-9 _ (FAI's class names).
        is_classes() {
            [ "${#1}" -le 1024 ] || return 1
            case $1 in
            '' | ,* | *, | *,,* | *[!"$UPPER$DIGITS"_,]*) return 1 ;;
            esac
        }

        # is_hostname VALUE: labels of a-z A-Z 0-9 and -, joined by dots, as Ganeti's names are.
        is_hostname() {
            case $1 in *[!"$UPPER$LOWER$DIGITS".-]*) return 1 ;; esac
            case $1 in '' | .* | *. | *..* | -* | *- | *.-* | *-.*) return 1 ;; esac
            [ "${#1}" -le 253 ] || return 1
            rest=$1
            while [ -n "$rest" ]; do
                label=${rest%%.*}
                [ "${#label}" -le 63 ] || return 1
                case $rest in *.*) rest=${rest#*.} ;; *) rest= ;; esac
            done
        }

        # is_words VALUE: kernel arguments that stay words of one iPXE line: no $ { } ; | & " ' \ or newline.
        is_words() {
            [ "${#1}" -le 2048 ] || return 1
            case $1 in
            *[!"$UPPER$LOWER$DIGITS"' _=,.:/+@%~?#-']*) return 1 ;;
            esac
        }

        # is_tftp_name VALUE: a file in the TFTP root: A-Z a-z 0-9 / _ . + -, no ..
        is_tftp_name() {
            case $1 in
            '' | /* | *..* | *[!"$UPPER$LOWER$DIGITS"/_.+-]*) return 1 ;;
            esac
        }

        # check_parameters: the OS parameters (ganeti-os-interface(7): OSP_NAME).
        check_parameters() {
            if [ -n "${OSP_ADDCLASSES:-}" ] && ! is_classes "$OSP_ADDCLASSES"; then
                die "invalid addclasses '$(shown "$OSP_ADDCLASSES")': give FAI class names of A-Z, 0-9 and _ separated by commas, such as addclasses=WEB,DB"
            fi
            case ${OSP_ACTION:-} in
            '' | install | sysinfo | inventory) ;;
            *) die "invalid action '$(shown "$OSP_ACTION")': give install, sysinfo or inventory" ;;
            esac
        }

        check_api() {
            [ "${OS_API_VERSION:-}" = 20 ] || die "OS_API_VERSION is '$(shown "${OS_API_VERSION:-}")': this OS definition speaks API 20 (Ganeti 2.3 or later runs it)"
        }

        # load_settings: CONFDIR/defaults, then variants/OS_VARIANT.conf, each value checked.
        load_settings() {
            [ -f "$CONFDIR/defaults" ] || die "$CONFDIR/defaults is missing: copy faigen's ganeti/instance-fai to $CONFDIR on every node (docs/ganeti.md)"
            # shellcheck source=/dev/null
            . "$CONFDIR/defaults"
            variant=${OS_VARIANT:-default}
            case $variant in
            '' | [!"$LOWER$DIGITS"]* | *[!"$LOWER$DIGITS"_-]*) die "invalid variant '$(shown "$variant")': give one of variants.list, such as fai+default" ;;
            esac
            [ -f "$CONFDIR/variants/$variant.conf" ] || die "unknown variant $variant: $CONFDIR/variants/$variant.conf is missing (faigen's spec lists the variants under ganeti.variants)"
            # shellcheck source=/dev/null
            . "$CONFDIR/variants/$variant.conf"
            for setting in TFTP_SERVER KERNEL INITRD ACTION IPXE_LKRN SYSLINUX_MBR; do
                eval "value=\${$setting:-}"
                [ -n "$value" ] || die "$setting is not set in $CONFDIR/defaults or variants/$variant.conf"
            done
            case $TFTP_SERVER in *[!"$UPPER$LOWER$DIGITS".:-]*) die "TFTP_SERVER '$(shown "$TFTP_SERVER")' is not an address or host name" ;; esac
            case ${ACTION:-} in install | sysinfo | inventory) ;; *) die "ACTION '$(shown "${ACTION:-}")' in $CONFDIR is not install, sysinfo or inventory" ;; esac
            is_tftp_name "$KERNEL" || die "KERNEL '$(shown "$KERNEL")' is not a file name in the TFTP root"
            is_tftp_name "$INITRD" || die "INITRD '$(shown "$INITRD")' is not a file name in the TFTP root"
            is_words "${KERNEL_ARGS:-}" || die "KERNEL_ARGS in $CONFDIR holds characters iPXE or a kernel command line would not keep as words"
            [ -z "${CLASSES:-}" ] || is_classes "$CLASSES" || die "CLASSES '$(shown "$CLASSES")' of variant $variant is not a comma-separated list of class names"
        }

        # disk_size PATH: the size in bytes of a disk (regular file or block device).
        disk_size() {
            if [ -b "$1" ]; then
                blockdev --getsize64 "$1"
            elif [ -f "$1" ]; then
                stat -L -c %s "$1"
            else
                die "disk $(shown "$1") is neither a block device nor a file"
            fi
        }

        # first_disk: DISK_0_PATH, checked.
        first_disk() {
            case ${DISK_COUNT:-0} in '' | *[!0-9]* | 0) die "the instance has no disk (DISK_COUNT=$(shown "${DISK_COUNT:-}")): give it one with --disk 0:size=..." ;; esac
            [ -n "${DISK_0_PATH:-}" ] || die "DISK_0_PATH is not set: the fai OS needs the first disk as a block device or file (not only a userspace URI)"
            printf '%s\n' "$DISK_0_PATH"
        }

        # is_boot_image DISK: the disk still holds the image create wrote (not yet installed by FAI).
        is_boot_image() {
            mtype -i "$1@@$((PART_START * 512))" ::faigen.ipxe 2>/dev/null | grep -q '^# faigen: Ganeti OS fai'
        }

        # write_boot_image DISK NAME CLASSES ACTION: the MBR, the FAT partition with syslinux,
        # ipxe.lkrn and the iPXE script, made in a temporary file and then written over the
        # start of DISK in one dd.
        write_boot_image() {
            disk=$1 name=$2 classes=$3 action=$4
            for tool in mkfs.fat:dosfstools mcopy:mtools mtype:mtools syslinux:syslinux dd:coreutils; do
                command -v "${tool%%:*}" >/dev/null 2>&1 || die "${tool%%:*} is missing on this node: install Debian package ${tool#*:}"
            done
            [ -f "$IPXE_LKRN" ] || die "$IPXE_LKRN is missing on this node: install Debian package ipxe"
            [ -f "$SYSLINUX_MBR" ] || die "$SYSLINUX_MBR is missing on this node: install Debian package syslinux-common"
            size=$(disk_size "$disk")
            [ "$size" -ge $((IMAGE_SECTORS * 512)) ] || die "disk $(shown "$disk") has $size bytes: the boot image needs $((IMAGE_SECTORS * 512))"
            work=$(mktemp -d "${TMPDIR:-/tmp}/instance-fai.XXXXXX")
            trap 'rm -rf "$work"' EXIT
            image=$work/disk.img
            {
                echo '#!ipxe'
                echo '# faigen: Ganeti OS fai, the FAI boot of one instance'
                echo ':retry'
                echo 'dhcp || goto retry'
                printf 'kernel tftp://%s/%s initrd=%s %s hostname=%s' "$TFTP_SERVER" "$KERNEL" "$INITRD" "${KERNEL_ARGS:-}" "$name"
                [ -z "$classes" ] || printf ' ADDCLASSES=%s' "$classes"
                printf ' FAI_ACTION=%s\n' "$action"
                printf 'initrd tftp://%s/%s\n' "$TFTP_SERVER" "$INITRD"
                echo 'boot'
            } >"$work/faigen.ipxe"
            # SERIAL: syslinux reports on the first serial port too (an instance with a serial console).
            printf 'SERIAL 0 115200\nDEFAULT fai\nLABEL fai\n  KERNEL ipxe.lkrn\n  INITRD faigen.ipxe\n' >"$work/syslinux.cfg"
            dd if=/dev/zero of="$image" bs=512 count="$IMAGE_SECTORS" status=none
            mkfs.fat -F 12 -n FAIBOOT --offset="$PART_START" -h "$PART_START" "$image" $(((IMAGE_SECTORS - PART_START) / 2)) >/dev/null
            syslinux --offset $((PART_START * 512)) --install "$image"
            mcopy -i "$image@@$((PART_START * 512))" "$IPXE_LKRN" ::ipxe.lkrn
            mcopy -i "$image@@$((PART_START * 512))" "$work/syslinux.cfg" "$work/faigen.ipxe" ::
            dd if="$SYSLINUX_MBR" of="$image" bs=440 count=1 conv=notrunc status=none
            # One partition: active, type 0x01 (FAT12), sectors 2048 to 8191 (LBA; CHS says "use LBA").
            printf '\200\376\377\377\001\376\377\377\000\010\000\000\000\030\000\000' |
                dd of="$image" bs=1 seek=446 conv=notrunc status=none
            printf '\125\252' | dd of="$image" bs=1 seek=510 conv=notrunc status=none
            dd if="$image" of="$disk" bs=1M conv=notrunc,fsync status=none
            rm -rf "$work"
            trap - EXIT
        }

        """#

    static let createScript = #"""

        # shellcheck source=common.sh
        . "$(dirname "$0")/common.sh"
        no_arguments create "$@"
        check_api
        check_parameters
        load_settings
        is_hostname "${INSTANCE_NAME:-}" || die "invalid instance name '$(shown "${INSTANCE_NAME:-}")': give a host name (labels of a-z, 0-9 and -, joined by dots)"
        case ${HYPERVISOR:-} in
        xen-pvm | lxc | chroot) die "hypervisor $HYPERVISOR does not boot a disk's MBR: the fai OS needs kvm or xen-hvm" ;;
        esac
        disk=$(first_disk)
        classes=${CLASSES:-}
        if [ -n "${OSP_ADDCLASSES:-}" ]; then classes=${classes:+$classes,}$OSP_ADDCLASSES; fi
        write_boot_image "$disk" "$INSTANCE_NAME" "$classes" "${OSP_ACTION:-$ACTION}"

        """#

    static let verifyScript = #"""

        # shellcheck source=common.sh
        . "$(dirname "$0")/common.sh"
        case ${1:-} in -h | --help) usage "verify parameters" 0 ;; esac
        [ $# -ge 1 ] || usage "verify parameters"
        for check in "$@"; do
            case $check in
            parameters) check_parameters ;;
            *) die "unknown check '$(shown "$check")': verify knows parameters" ;;
            esac
        done

        """#

    static let exportScript = #"""
        # An instance FAI installed is a disk like any other: export dumps it whole.

        # shellcheck source=common.sh
        . "$(dirname "$0")/common.sh"
        no_arguments export "$@"
        disk=${EXPORT_DISK_PATH:-${EXPORT_DEVICE:-}}
        [ -n "$disk" ] || die "EXPORT_DISK_PATH is not set: Ganeti sets it for the disk to export"
        size=$(disk_size "$disk")
        if [ -n "${EXP_SIZE_FD:-}" ]; then
            case $EXP_SIZE_FD in *[!0-9]*) die "EXP_SIZE_FD '$(shown "$EXP_SIZE_FD")' is not a file descriptor" ;; esac
            printf '%s\n' "$size" >&"$EXP_SIZE_FD"
        fi
        dd if="$disk" bs=1M status=none

        """#

    static let importScript = #"""
        # Writes export's dump back; a dump longer than the disk is an error (its start is written).

        # shellcheck source=common.sh
        . "$(dirname "$0")/common.sh"
        no_arguments import "$@"
        disk=${IMPORT_DISK_PATH:-${IMPORT_DEVICE:-}}
        [ -n "$disk" ] || die "IMPORT_DISK_PATH is not set: Ganeti sets it for the disk to import"
        size=$(disk_size "$disk")
        head -c "$size" | dd of="$disk" bs=1M iflag=fullblock conv=notrunc,fsync status=none
        [ "$(head -c 1 | wc -c)" -eq 0 ] || die "the dump is longer than disk $(shown "$disk") ($size bytes): import it into a disk at least as large as the exported one"

        """#

    static let renameScript = #"""
        # Before FAI ran, the disk holds the iPXE script with hostname=OLD_INSTANCE_NAME: it gets
        # the new name. Once FAI installed the instance the name is inside its own system, which
        # this script does not change (ganeti-os-interface(7) allows that): it says so.

        # shellcheck source=common.sh
        . "$(dirname "$0")/common.sh"
        no_arguments rename "$@"
        is_hostname "${INSTANCE_NAME:-}" || die "invalid instance name '$(shown "${INSTANCE_NAME:-}")': give a host name (labels of a-z, 0-9 and -, joined by dots)"
        is_hostname "${OLD_INSTANCE_NAME:-}" || die "invalid old instance name '$(shown "${OLD_INSTANCE_NAME:-}")'"
        disk=$(first_disk)
        if ! is_boot_image "$disk"; then
            echo "rename: $OLD_INSTANCE_NAME is installed; its system keeps that host name until you change it inside or reinstall it (gnt-instance reinstall)" >&2
            exit 0
        fi
        work=$(mktemp -d "${TMPDIR:-/tmp}/instance-fai.XXXXXX")
        trap 'rm -rf "$work"' EXIT
        offset=$((PART_START * 512))
        mtype -i "$disk@@$offset" ::faigen.ipxe >"$work/old.ipxe"
        awk -v old="hostname=$OLD_INSTANCE_NAME" -v new="hostname=$INSTANCE_NAME" '
            $1 == "kernel" { for (i = 2; i <= NF; i++) if ($i == old) $i = new }
            { print }' "$work/old.ipxe" >"$work/faigen.ipxe"
        grep -q -F " hostname=$INSTANCE_NAME " "$work/faigen.ipxe" || die "the iPXE script on $(shown "$disk") does not name $OLD_INSTANCE_NAME: run gnt-instance reinstall"
        mcopy -o -i "$disk@@$offset" "$work/faigen.ipxe" ::faigen.ipxe

        """#
}
