#!/bin/sh
# bench/lint-scale.sh: faigen lint over 10,000 and 100,000 fcopy variants in one directory, beside find(1) walking
# the same tree: the ratio at both sizes shows lint's walk stays linear (issue 7.6: 77 s at 100,000 before).
set -eu
FAIGEN=${FAIGEN:-.build/release/faigen}
WORK=$(mktemp -d /tmp/faigen-bench-lint-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
for count in 10000 100000; do
    space=$WORK/$count
    mkdir -p "$space/class" "$space/files/etc/motd"
    printf '#!/bin/sh\necho FAIBASE\n' > "$space/class/50-host-classes"
    chmod 755 "$space/class/50-host-classes"
    (cd "$space/files/etc/motd" && seq -f 'HOST%06g' 1 "$count" | xargs touch)
    echo "== $count fcopy variants in one directory"
    hyperfine --warmup 1 --runs 5 --ignore-failure \
        -n "faigen lint ($count variants)" "$FAIGEN lint $space" \
        -n "find -type f ($count variants)" "find $space -type f"
done
