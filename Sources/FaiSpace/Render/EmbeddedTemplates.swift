// EmbeddedTemplates: config-templates/ built into faigen; written by scripts/embed-templates, do not edit.

enum EmbeddedTemplates {
    /// Template text by path under config-templates/.
    static let files: [String: String] = [
        "class/45-ganeti-hostname": ####"""
#!/bin/sh
@HEADER@
# Maps the host name to classes through PCRE2 patterns. FAI takes the name from
# hostname= on the kernel command line, which a Ganeti OS definition sets from
# the instance name, so it comes from outside: here it is only ever data, fed
# to pcre2grep on standard input, and a name that is not a plain host name
# defines nothing.

# FAI exports HOSTNAME to class scripts.
# shellcheck disable=SC3028
name=${HOSTNAME:-}
if [ -z "$name" ] && [ -r /proc/sys/kernel/hostname ]; then
    read -r name < /proc/sys/kernel/hostname
fi
# A setup hook may have cut HOSTNAME short before the classes are defined (fai-doc's
# hooks/setup.DEFAULT.sh: HOSTNAME=${HOSTNAME%%.*}), while Ganeti passed the FQDN. During
# an install from the nfsroot FAI takes the name from the last hostname= word of the kernel
# command line: read that word the same way, as data, so a pattern for the FQDN fires too.
passed=
if [ "${do_init_tasks:-0}" = 1 ] && [ -r /proc/cmdline ]; then
    read -r cmdline < /proc/cmdline || true
    set -f
    for word in $cmdline; do
        case $word in
            hostname=*) passed=${word#hostname=} ;;
        esac
    done
    set +f
fi
case $passed in
    "$name" | '' | -* | *[!A-Za-z0-9.-]*) passed= ;;
esac
case $name in
    '' | -* | *[!A-Za-z0-9.-]*)
        echo "45-ganeti-hostname: the host name is not a plain host name; no classes from it" >&2
        exit 0 ;;
esac
if ! command -v pcre2grep >/dev/null 2>&1; then
    echo "45-ganeti-hostname: pcre2grep is missing; add pcre2-utils to the nfsroot package list" >&2
    exit 1
fi

status=0
found=

# define CLASS...: remembers each class once, so fai-class -T sees no duplicate.
define() {
    for class in "$@"; do
        case " $found " in
            *" $class "*) ;;
            *) found="$found $class" ;;
        esac
    done
}

# hostname_matches -e PATTERN...: succeeds when the host name, or the name the kernel
# command line passed, matches a pattern.
hostname_matches() {
    printf '%s\n' "$name" ${passed:+"$passed"} | pcre2grep -q "$@"
    case $? in
        0) return 0 ;;
        1) return 1 ;;
        *) echo "45-ganeti-hostname: pcre2grep failed on pattern $*" >&2
           status=1
           return 1 ;;
    esac
}

@RULES@

for class in $found; do
    echo "$class"
done
exit "$status"

"""####,
        "class/60-detect-XenServer": ####"""
#!/bin/sh
@HEADER@
# Defines classes from the kernel log with PCRE2 patterns, the same rules
# `faigen detect` evaluates on a kernel log. XENSERVER marks a guest of Citrix
# XenServer, paravirtualized or HVM; never a Xen dom0, whose kernel prints the
# same boot line. fai-class runs this and takes every word it prints as a class.

# The kernel log describes the machine this runs on. `fai dirinstall` builds a
# tree, and fai-diskimage runs `fai install` into an image from a host that was
# not booted as the client (do_init_tasks=0, no nfsroot): there the log is the
# build host's, so nothing is classed from it. Such an image gets its classes
# from `fai -c`/`fai-diskimage -c`, or from ADDCLASSES with -N.
building=
case ${FAI_ACTION:-} in
    dirinstall) building=yes ;;
    install) [ "${do_init_tasks:-1}" = 0 ] && [ ! -e /.THIS_IS_THE_FAI_NFSROOT ] && building=yes ;;
esac
if [ -n "$building" ]; then
    printf '%s\n' "60-detect-XenServer: FAI_ACTION=$FAI_ACTION builds for another machine: the kernel log is the build host's, no class comes from it (give classes with -c or ADDCLASSES)" >&2
    exit 0
fi

if ! command -v pcre2grep >/dev/null 2>&1; then
    echo "60-detect-XenServer: pcre2grep is missing; add pcre2-utils to the nfsroot package list" >&2
    exit 1
fi
if ! log=$(dmesg 2>/dev/null); then
    echo "60-detect-XenServer: cannot read the kernel log with dmesg" >&2
    exit 1
fi

set -f
status=0
found=

# define CLASS...: remembers each class once, so fai-class -T sees no duplicate.
define() {
    for class in "$@"; do
        case " $found " in
            *" $class "*) ;;
            *) found="$found $class" ;;
        esac
    done
}

# undefined CLASS...: succeeds when none of the classes is defined yet, by an
# earlier class script (fai-class exports them in $classes, one a line), by
# this one, or by the machine facts below. Globbing is off, so the words of
# $classes stay words.
undefined() {
    for class in "$@"; do
        for defined in ${classes:-} $found $facts; do
            [ "$defined" = "$class" ] && return 1
        done
    done
    return 0
}

# log_matches [-i] -e PATTERN: succeeds when a line of the kernel log matches.
log_matches() {
    printf '%s\n' "$log" | pcre2grep -q "$@"
    case $? in
        0) return 0 ;;
        1) return 1 ;;
        *) echo "60-detect-XenServer: pcre2grep failed on pattern $*" >&2
           status=1
           return 1 ;;
    esac
}

# file_matches FILE PATTERN: succeeds when a line of FILE matches.
file_matches() {
    [ -f "$1" ] && pcre2grep -q -e "$2" "$1" 2>/dev/null
}

# A Xen control domain (dom0) by the evidence `faigen detect` uses: control_d
# in /proc/xen/capabilities, or bit 11 (XENFEAT_dom0) of the hex number in
# /sys/hypervisor/properties/features, which is there before xenfs is mounted.
# XEN_DOM0 only vetoes rules (`unless: [XEN_DOM0]`); it is not printed.
facts=
if file_matches /proc/xen/capabilities @XEN_DOM0_CAPABILITIES@ ||
        file_matches /sys/hypervisor/properties/features @XEN_DOM0_FEATURES@; then
    facts=XEN_DOM0
fi

@RULES@

for class in $found; do
    echo "$class"
done
exit "$status"

"""####,
        "files/boot/grub/menu.lst/XENSERVER": ####"""
@HEADER@
# grub legacy menu.lst for @CLASS@ guests. XenServer boots a paravirtualized
# guest through pygrub, which reads this file; grub is never installed into an
# MBR. The postinst beside this file replaces #ROOT_PARTITION# and #GROOT# and
# runs update-grub, which fills the automagic list below.

default         0
timeout         @TIMEOUT@
@SERIAL@
title           Debian GNU/Linux
root            #GROOT#
kernel          @KERNEL@ root=#ROOT_PARTITION# ro @KERNEL_ARGS@
initrd          @INITRD@

### BEGIN AUTOMAGIC KERNELS LIST
## lines between the AUTOMAGIC KERNELS LIST markers will be modified
## by the debian update-grub script except for the default options below

## DO NOT UNCOMMENT THEM, Just edit them to your needs

# kopt=root=#ROOT_PARTITION# ro @KERNEL_ARGS@
# groot=#GROOT#
# alternative=false
# lockalternative=false
# howmany=all
# memtest86=false

## ## End Default Options ##

### END DEBIAN AUTOMAGIC KERNELS LIST

"""####,
        "files/boot/grub/menu.lst/postinst": ####"""
#!/bin/sh
@HEADER@
# fcopy runs this as `postinst CLASS DESTFILE` after it copied menu.lst.
# On @CLASS@ guests (XenServer boots them through pygrub, which only reads
# menu.lst) it fills the #VAR# placeholders and runs update-grub, and never
# installs grub into an MBR. On other hosts it installs grub legacy on FAI's
# $BOOT_DEVICE from disk_var.sh. Any failing step exits non-zero, so fcopy
# reports the postinst as failed.

dest=${2:-}

fail() {
    echo "menu.lst postinst: $*" >&2
    exit 1
}

[ -n "$dest" ] || fail "usage: postinst CLASS DESTFILE"
[ -f "$dest" ] || fail "$dest is not a file"

# Replaces #ROOT_PARTITION# and #GROOT# in the destination file. The values
# reach perl through its environment, never through its program text.
substitute() {
    export ROOT_PARTITION GROOT
    perl -pi -e 's/#(ROOT_PARTITION|GROOT)#/$ENV{$1}/g' -- "$dest" ||
        fail "cannot replace the #VAR# placeholders in $dest"
}

# Whether this host is in class @CLASS@: FAI's $classes (one a line, or
# space-separated) or the class whose menu.lst fcopy copied. Globbing is off,
# so the words of $classes stay words.
set -f
is_guest() {
    for class in ${classes:-} "$@"; do
        [ "$class" = @CLASS@ ] && return 0
    done
    return 1
}

if is_guest "${1:-}"; then
    ROOT_PARTITION=${ROOT_PARTITION:-@ROOT_PARTITION@}
    GROOT=${GROOT:-@GROOT@}
    substitute
    # ROOTCMD is "chroot TARGET" from fcopy: split into words on purpose.
    # shellcheck disable=SC2086
    $ROOTCMD /usr/sbin/update-grub || fail "update-grub failed"
    exit 0
fi

disk_var=${LOGDIR:-/tmp/fai}/disk_var.sh
[ -r "$disk_var" ] || fail "$disk_var is missing; FAI writes it when it partitions the disks"
# shellcheck source=/dev/null
. "$disk_var" || fail "cannot read $disk_var"
[ -n "${BOOT_DEVICE:-}" ] || fail "$disk_var sets no BOOT_DEVICE"
ROOT_PARTITION=${ROOT_PARTITION:-@ROOT_PARTITION@}
GROOT=${GROOT:-@GROOT@}
substitute
# shellcheck disable=SC2086
$ROOTCMD /usr/sbin/grub-install "$BOOT_DEVICE" || fail "grub-install on $BOOT_DEVICE failed"
# shellcheck disable=SC2086
$ROOTCMD /usr/sbin/update-grub || fail "update-grub failed"
exit 0

"""####,
        "hooks/defclass.DEFAULT.sh": ####"""
#!/bin/sh
@HEADER@
# FAI sources this hook before fai-class defines the classes. fai-class adds
# every word of ADDCLASSES and the host name as classes without checking them,
# and both come from the kernel command line, that is from outside. Keep in
# ADDCLASSES only class names made of A-Z, 0-9 and _, say which names were
# dropped, and replace a host name that is not a plain host name. The hook
# runs inside FAI's shell: it never exits, and restores IFS and globbing.

_faigen_kept=
_faigen_dropped=
case $- in
    *f*) _faigen_noglob=yes ;;
    *) _faigen_noglob=no ;;
esac
if [ -n "${IFS+set}" ]; then
    _faigen_ifs=$IFS
    _faigen_ifs_set=yes
else
    _faigen_ifs_set=no
fi

# Split on commas and white space, with globbing off: a word is only data.
set -f
IFS=', 	
'
for _faigen_word in ${ADDCLASSES:-}; do
    case $_faigen_word in
        '') ;;
        *[!A-Z0-9_]*) _faigen_dropped="$_faigen_dropped $_faigen_word" ;;
        *) _faigen_kept="$_faigen_kept $_faigen_word" ;;
    esac
done
if [ "$_faigen_ifs_set" = yes ]; then
    IFS=$_faigen_ifs
else
    unset IFS
fi
if [ "$_faigen_noglob" = no ]; then
    set +f
fi

if [ -n "$_faigen_dropped" ]; then
    printf 'defclass.DEFAULT.sh: dropped from ADDCLASSES (a class name is A-Z, 0-9 and _):%s\n' "$_faigen_dropped" >&2
fi
ADDCLASSES=${_faigen_kept# }
export ADDCLASSES

# A plain host name is labels of A-Z, a-z, 0-9 and - joined by single dots: `.` and
# `..` are not (fai-class would read class/. and class/..), nor is an empty label.
case ${HOSTNAME:-} in
    -* | .* | *. | *..* | *[!A-Za-z0-9.-]*)
        printf 'defclass.DEFAULT.sh: the host name is not a plain host name (labels of A-Z, a-z, 0-9 and - joined by single dots); using debian, the name FAI itself falls back to\n' >&2
        HOSTNAME=debian
        export HOSTNAME ;;
esac

unset _faigen_kept _faigen_dropped _faigen_word _faigen_noglob _faigen_ifs _faigen_ifs_set

"""####,
        "scripts/fcopy": ####"""
#!/bin/sh
@HEADER@
# FAI runs this in task configure for class @CLASS@. fcopy installs each file
# below from the config space's files/ (the file of the highest-priority class
# that has one) into the target, with the owner, group and mode after -m (or
# from file-modes beside the files), and runs the postinst beside it. Every
# file is tried; any failure makes this script fail, and FAI reports it.
status=0
@FCOPY@
exit "$status"

"""####,
    ]
}
