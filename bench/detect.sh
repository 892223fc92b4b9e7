#!/bin/sh
# bench/detect.sh: `faigen detect` beside systemd-detect-virt and virt-what on this machine, and the
# kernel-log rules over a 16 MiB synthetic log beside `grep -E` and `pcre2grep` with the same patterns.
# Prints medians and ratios; asserts nothing. FAIGEN_BIN picks the binary (default: the release one).
set -eu
cd "$(dirname "$0")/.."
bin=${FAIGEN_BIN:-.build/release/faigen}
runs=${BENCH_RUNS:-100}
for tool in hyperfine systemd-detect-virt virt-what grep pcre2grep; do
    command -v "$tool" >/dev/null || { echo "bench/detect.sh: $tool is missing (make bench installs it)" >&2; exit 1; }
done
[ -x "$bin" ] || { echo "bench/detect.sh: $bin is missing; run make release" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Median (ms) of one command from a hyperfine CSV: command,mean,stddev,median,user,system,min,max.
median() { awk -F, -v cmd="$2" 'NR > 1 && $1 == cmd { printf "%.2f", $4 * 1000 }' "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo "-- platform detection on this machine: $("$bin" detect --format shell)"
echo "   systemd-detect-virt: $(systemd-detect-virt || true); virt-what: $(virt-what 2>/dev/null | tr '\n' ' ')"
# Each command exits 0 here, but on bare metal systemd-detect-virt exits 1: -i keeps it in.
hyperfine -N -i --style basic --warmup 10 --runs "$runs" --export-csv "$work/detect.csv" \
    "$bin detect" "systemd-detect-virt" "virt-what" >/dev/null 2>&1
ours=$(median "$work/detect.csv" "$bin detect")
systemd=$(median "$work/detect.csv" "systemd-detect-virt")
virtwhat=$(median "$work/detect.csv" "virt-what")
printf '   %-28s %9s ms\n' "faigen detect" "$ours" "systemd-detect-virt" "$systemd" "virt-what" "$virtwhat"
echo "   faigen / systemd-detect-virt = $(ratio "$ours" "$systemd")  (target <= 1.0)"
echo "   virt-what / faigen           = $(ratio "$virtwhat" "$ours")  (target >= 10)"

# A 16 MiB kernel log of a bare-metal boot: none of the kernel-log rules match, so every tool
# reads all of it. The lines are typical dmesg lines, cycled with growing timestamps.
mkdir -p "$work/root/var/log"
awk 'BEGIN {
    n = split("ACPI: SSDT 0x00000000BB4F1000 00A1C4 (v02 DELL   PE_SC3   00000002 INTL 20121018)|" \
              "pci 0000:00:1f.2: [8086:2822] type 00 class 0x010400|" \
              "Booting paravirtualized kernel on bare hardware|" \
              "usb 1-1: New USB device found, idVendor=8087, idProduct=0024, bcdDevice= 0.00|" \
              "EXT4-fs (sda1): mounted filesystem with ordered data mode. Quota mode: none.|" \
              "systemd[1]: Condition check resulted in xenstored.service - The Xen xenstore being skipped.|" \
              "kvm: Nested Virtualization enabled|" \
              "e1000e 0000:00:19.0 eth0: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx|" \
              "audit: type=1400 audit(1700000000.123:42): apparmor=\"STATUS\" operation=\"profile_load\"|" \
              "Hyper-threading is enabled on this CPU; Bluetooth: HCI device and connection manager initialized", lines, "|")
    size = 0; i = 0
    while (size < 16 * 1024 * 1024) {
        line = sprintf("[%5d.%06d] %s", i / 1000, (i * 977) % 1000000, lines[i % n + 1])
        print line; size += length(line) + 1; i++
    }
}' > "$work/log"
head -c $((16 * 1024 * 1024)) "$work/log" > "$work/root/var/log/dmesg"
# The same patterns: the kernel-log rules of the built-in table, printed by faigen itself.
"$bin" detect --print-rules > "$work/all.yaml"
awk 'NR == 1 { print; next } /^rules:/ { print; next }
     /^- id:/ { if (block != "" && keep) printf "%s", block; block = ""; keep = 0 }
     { block = block $0 "\n" } /^  source: kernel-log$/ { keep = 1 }
     END { if (keep) printf "%s", block }' "$work/all.yaml" > "$work/kernel-rules.yaml"
sed -n "s/^  pattern: '\(.*\)'$/\1/p" "$work/kernel-rules.yaml" | sed "s/''/'/g" > "$work/patterns"
count=$(wc -l < "$work/patterns")
echo "-- kernel-log rule scan: $count patterns over 16 MiB ($(wc -l < "$work/root/var/log/dmesg") lines)"
sed 's/^/   /' "$work/patterns"
# faigen runs its built-in table on a snapshot whose only evidence is the log: the kernel-log
# rules scan it, the other rules find their sources absent.
hyperfine -N -i --style basic --warmup 2 --runs "${BENCH_SCAN_RUNS:-20}" --export-csv "$work/scan.csv" \
    "$bin detect --root $work/root" \
    "grep -E -q -f $work/patterns $work/root/var/log/dmesg" \
    "pcre2grep -q -f $work/patterns $work/root/var/log/dmesg" >/dev/null 2>&1
scan=$(median "$work/scan.csv" "$bin detect --root $work/root")
grepe=$(median "$work/scan.csv" "grep -E -q -f $work/patterns $work/root/var/log/dmesg")
pcre=$(median "$work/scan.csv" "pcre2grep -q -f $work/patterns $work/root/var/log/dmesg")
for row in "faigen detect --root (log only):$scan" "grep -E -q -f patterns:$grepe" "pcre2grep -q -f patterns:$pcre"; do
    name=${row%:*}; ms=${row##*:}
    printf '   %-34s %9s ms  %8s MiB/s\n' "$name" "$ms" "$(awk -v ms="$ms" 'BEGIN { printf "%.0f", 16 / (ms / 1000) }')"
done
echo "   grep -E / faigen   = $(ratio "$grepe" "$scan")  (target >= 1.0: the rule scan at least as fast)"
echo "   pcre2grep / faigen = $(ratio "$pcre" "$scan")"
