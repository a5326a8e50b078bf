#!/bin/sh
# Runs every suite (the C unit runner, then each tests/cli/*.sh), prints their lines, and ends
# with exactly one line "N passed, N failed" summing them all. Exit 1 when anything failed.
# Suites run TR_TEST_JOBS at a time (default: the number of cores; each suite works in its own
# temporary folder, and make valgrind runs them two at a time too); their output is printed
# whole, suite by suite, in name order.
# Needs TR_BIN (the tradereport binary) and UNIT_BIN (the unit test runner).
set -u
cd "$(dirname "$0")/.." || exit 1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
jobs=${TR_TEST_JOBS:-$(nproc 2> /dev/null || echo 2)}


{
    echo "unit $UNIT_BIN"
    for t in tests/cli/test_*.sh; do echo "$(basename "$t" .sh) sh $t"; done
} > "$out/list"
# shellcheck disable=SC2016  # expanded by the sh that xargs starts
tr '\n' '\0' < "$out/list" | xargs -0 -P "$jobs" -I{} sh -c '
    out=$1; set -- $2; name=$1; shift
    "$@" > "$out/$name.log" 2>&1; echo $? > "$out/$name.rc"' sh "$out" {}

status=0
: > "$out/sum"
while read -r name _; do
    cat "$out/$name.log"
    rc=$(cat "$out/$name.rc" 2> /dev/null || echo 1)
    line=$(grep -E '^# [a-z0-9_-]+: [0-9]+ passed, [0-9]+ failed$' "$out/$name.log" | tail -n 1)
    if [ -z "$line" ]; then
        echo "not ok - suite $name ended without a count (exit $rc)"
        line="# $name: 0 passed, 1 failed"
        status=1
    fi
    echo "$line" >> "$out/sum"
    [ "$rc" -eq 0 ] || status=1
done < "$out/list"
passed=$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed/\1/' "$out/sum" | awk '{s+=$1} END {print s+0}')
failed=$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed/\2/' "$out/sum" | awk '{s+=$1} END {print s+0}')
[ "$failed" -eq 0 ] || status=1
echo "$passed passed, $failed failed"
exit $status
