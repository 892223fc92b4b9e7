#!/bin/sh
# bench/build.sh: faigen build of the synthetic site (10,000 hosts, 1,000 classes), render
# included, beside `tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -c . |
# gzip -n` of the same rendered tree (already on disk, page cache warm), in the same run;
# wall time, CPU time (user + system, every process and thread) and peak memory from
# /usr/bin/time -v, archive sizes, and the ratio. A third line does by hand what faigen
# build does: faigen render into a new directory, then that pipeline over it. Last, the
# floor (bench/floor.c): libyaml reading the spec's events, and zlib's level-6 deflate of the
# tar, each alone; a build does both, the first before anything else can start. Nothing is
# removed until the end: ext4 slows down creating inodes right after many were deleted. On a machine shared with other work the
# wall time of either side can stretch many times over; CPU time shows the work itself.
# faigen build also syncs what it writes before it renames the version into place; the
# pipeline leaves write-back to the kernel.
set -eu
FAIGEN=${FAIGEN:-.build/release/faigen}
HOSTS=${HOSTS:-10000}
CLASSES=${CLASSES:-1000}
RUNS=${RUNS:-5}
# The pipeline's tar options: reproducible as faigen build is, in every tar below.
export TAR_OPTIONS="--sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner"
work=$(mktemp -d "${TMPDIR:-/tmp}/faigen-bench-build.XXXXXX")
trap 'rm -rf "$work"' EXIT
bench/synthetic-site "$HOSTS" "$CLASSES" > "$work/site.yaml"
"$FAIGEN" render --spec "$work/site.yaml" "$work/tree" > /dev/null
rm -rf "$work/tree/.faigen"

# measure NAME COMMAND...: runs COMMAND under /usr/bin/time -v, prints seconds and peak KB
# (for a pipeline, the peak of its largest process).
measure() {
    name=$1
    shift
    /usr/bin/time -v -o "$work/time" "$@" > /dev/null
    seconds=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$work/time")
    peak=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time")
    cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$work/time")
    printf '%-40s %8.3f s wall %8.3f s cpu %8d KB\n' "$name" "$seconds" "$cpu" "$peak"
    echo "$seconds" > "$work/last"
}

echo "site: $HOSTS hosts, $CLASSES classes; rendered tree: $(find "$work/tree" -type f | wc -l) files, $(du -sk "$work/tree" | cut -f1) KB"
for run in $(seq 1 "$RUNS"); do
    measure "faigen build (render included)" "$FAIGEN" build 2> /dev/null --spec "$work/site.yaml" --output "$work/out$run"
    build=$(cat "$work/last")
    measure "tar --sort=name ... | gzip -n" sh -c 'cd "$1" && tar -c . | gzip -n > "$2"' \
        sh "$work/tree" "$work/pipeline$run.tar.gz"
    pipeline=$(cat "$work/last")
    measure "faigen render, then tar ... | gzip -n" sh -c '"$1" render --spec "$2" "$3" > /dev/null && cd "$3" &&
        tar --exclude=./.faigen -c . | gzip -n > "$4"' \
        sh "$FAIGEN" "$work/site.yaml" "$work/rendered$run" "$work/by-hand$run.tar.gz"
    by_hand=$(cat "$work/last")
    archive=$(find "$work/out$run" -name faiconfig.tar.gz -exec wc -c {} + | awk '{ print $1 }')
    awk -v b="$build" -v p="$pipeline" -v h="$by_hand" -v n="$run" -v a="$archive" -v g="$(wc -c < "$work/pipeline$run.tar.gz")" 'BEGIN {
        printf "run %d: faigen build / (tar | gzip -n) = %.2f; faigen build / (render, then tar | gzip -n) = %.2f; archives %d and %d bytes\n",
            n, (p > 0 ? b / p : 0), (h > 0 ? b / h : 0), a, g }'
done
${CC:-clang} -O2 -o "$work/floor" bench/floor.c -lyaml -lz
(cd "$work/tree" && tar -cf "$work/tree.tar" .)
echo "floor: libyaml's events of the spec alone $("$work/floor" yaml "$work/site.yaml");" \
    "zlib level 6 of the $(wc -c < "$work/tree.tar")-byte tar alone $("$work/floor" deflate "$work/tree.tar")"
