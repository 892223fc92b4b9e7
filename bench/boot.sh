#!/bin/sh
# bench/boot.sh: faigen boot for the synthetic site (10,000 hosts with MACs and IPs) into an
# empty directory and again over its own output, beside the real fai-chboot run once per host
# for the first 100 hosts (fai-chboot writes one host per run) in the same run, extrapolated
# to all hosts and stated as such. faigen writes pxelinux, GRUB and iPXE entries per host plus
# the DHCP and hosts files; fai-chboot writes the pxelinux entry only.
set -eu
FAIGEN=${FAIGEN:-.build/release/faigen}
HOSTS=${HOSTS:-10000}
RUNS=${RUNS:-3}
SAMPLE=${SAMPLE:-100}
command -v fai-chboot >/dev/null || { echo "bench/boot.sh: fai-chboot is missing: install Debian package fai-server" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/faigen-bench-boot.XXXXXX")
trap 'rm -rf "$work"' EXIT
kver=6.1.0-99-amd64
src=nfs://10.255.255.1/srv/fai/config
{
    bench/synthetic-site "$HOSTS" 100
    printf 'boot:\n  kernel: %s\n  nfsroot: %s/nfsroot\n  nfsroot_server: 10.255.255.1\n  config_src: %s\n' "$kver" "$work" "$src"
    printf '  flags: [verbose, sshd, createvt]\n  server: 10.255.255.1\n  subnet: 10.0.0.0/8\n'
} > "$work/site.yaml"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { print b - a }'; }

echo "site: $HOSTS hosts"
for run in $(seq 1 "$RUNS"); do
    start=$(now)
    "$FAIGEN" boot --spec "$work/site.yaml" "$work/out$run" > /dev/null
    first=$(elapsed "$start")
    start=$(now)
    "$FAIGEN" boot --spec "$work/site.yaml" "$work/out$run" > /dev/null
    again=$(elapsed "$start")
    files=$(find "$work/out$run" -type f | wc -l)
    printf 'faigen boot, run %d: %.3f s into an empty directory (%d files), %.3f s again (nothing changes)\n' "$run" "$first" "$files" "$again"
done

# fai-chboot with a throwaway nfsroot.conf (-C), an empty kernel and overlayfs in the nfsroot.
mkdir -p "$work/nfsroot/boot" "$work/nfsroot/lib/modules/$kver/kernel/fs/overlayfs" "$work/tftp/pxelinux.cfg"
: > "$work/nfsroot/boot/vmlinuz-$kver"
printf 'NFSROOT=%s/nfsroot\nTFTPROOT=%s/tftp\nNFSROOT_SERVER=10.255.255.1\n' "$work" "$work" > "$work/nfsroot.conf"
awk '/^  - name: /{name=$3} /^    mac: /{gsub(/"/, "", $2); print name, $2}' "$work/site.yaml" | head -n "$SAMPLE" > "$work/hosts"
start=$(now)
while read -r name mac; do
    fai-chboot -C "$work" -I -f verbose,sshd,createvt -u "$src" -k "hostname=$name" "$mac" > /dev/null
done < "$work/hosts"
sample=$(elapsed "$start")
estimate=$(awk -v s="$sample" -v h="$HOSTS" -v n="$SAMPLE" 'BEGIN { print s * h / n }')
printf 'fai-chboot, %d hosts one run each: %.3f s; extrapolated to %d hosts: %.1f s (an estimate, not measured)\n' "$SAMPLE" "$sample" "$HOSTS" "$estimate"
# The entries fai-chboot wrote are faigen's bytes.
for entry in "$work"/tftp/pxelinux.cfg/*; do
    cmp -s "$entry" "$work/out1/tftp/pxelinux.cfg/$(basename "$entry")" || { echo "bench/boot.sh: $(basename "$entry") differs from fai-chboot's" >&2; exit 1; }
done
echo "the $SAMPLE entries fai-chboot wrote equal faigen's byte for byte"
