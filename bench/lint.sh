#!/bin/sh
# bench/lint.sh: faigen lint on the fai-doc example, beside running bash -n over the same scripts and shellcheck.
set -eu
FAIGEN=${FAIGEN:-.build/release/faigen}
EXAMPLE=${EXAMPLE:-/usr/share/doc/fai-doc/examples/simple}
# The files lint parses with -n: class scripts, *.var, hooks, scripts/CLASS/NN*.
SCRIPTS="$EXAMPLE/class/[0-9]* $EXAMPLE/class/*.var $EXAMPLE/hooks/* $EXAMPLE/scripts/*/[0-9]*"
hyperfine --warmup 3 --runs 30 --ignore-failure \
    -n 'faigen lint (all checks)' "$FAIGEN lint $EXAMPLE" \
    -n 'bash -n, one run per script' "for f in $SCRIPTS; do bash -n \"\$f\"; done" \
    -n 'shellcheck -S error, all scripts' "shellcheck -S error $SCRIPTS"
