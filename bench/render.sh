#!/bin/sh
# bench/render.sh: faigen render of a synthetic site (10,000 hosts, 1,000 classes) into an
# empty directory and again over its own output, beside `cp -a` of the rendered tree, in
# the same run; wall time and peak memory from /usr/bin/time -v, and the ratio to cp -a.
# render syncs what it wrote (syncfs) before it renames files into place; `cp -a` leaves
# the write-back to the kernel, so cp -a followed by `sync -f` is shown as well.
set -eu
FAIGEN=${FAIGEN:-.build/release/faigen}
HOSTS=${HOSTS:-10000}
CLASSES=${CLASSES:-1000}
RUNS=${RUNS:-5}
work=$(mktemp -d "${TMPDIR:-/tmp}/faigen-bench-render.XXXXXX")
trap 'rm -rf "$work"' EXIT
bench/synthetic-site "$HOSTS" "$CLASSES" > "$work/site.yaml"

# measure NAME COMMAND...: runs COMMAND under /usr/bin/time -v, prints seconds and peak KB.
measure() {
    name=$1
    shift
    /usr/bin/time -v -o "$work/time" "$@" > /dev/null
    seconds=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$work/time")
    peak=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time")
    printf '%-34s %8.3f s %8d KB\n' "$name" "$seconds" "$peak"
    echo "$seconds" > "$work/last"
}

echo "site: $HOSTS hosts, $CLASSES classes ($(wc -c < "$work/site.yaml") bytes of YAML)"
# Each run renders and copies into fresh directories and nothing is removed until the end:
# ext4 slows down creating inodes right after many were deleted, which would charge one
# side for the other's clean-up.
for run in $(seq 1 "$RUNS"); do
    out=$work/out$run
    measure "render into an empty directory" "$FAIGEN" render --spec "$work/site.yaml" "$out"
    render=$(cat "$work/last")
    measure "cp -a of the rendered tree" cp -a "$out" "$work/copy$run"
    copy=$(cat "$work/last")
    measure "cp -a, then sync -f" sh -c 'cp -a "$1" "$2" && sync -f "$2"' sh "$out" "$work/durable$run"
    durable=$(cat "$work/last")
    measure "render again (nothing changes)" "$FAIGEN" render --spec "$work/site.yaml" "$out"
    files=$(find "$out" -type f | wc -l)
    awk -v r="$render" -v c="$copy" -v d="$durable" -v f="$files" -v n="$run" 'BEGIN {
        printf "run %d: %d files, render / cp -a = %.2f, render / (cp -a + sync -f) = %.2f\n", n, f, (c > 0 ? r / c : 0), (d > 0 ? r / d : 0) }'
done
