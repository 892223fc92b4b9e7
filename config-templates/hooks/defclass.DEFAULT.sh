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
