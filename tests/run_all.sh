#!/bin/sh
# Runs every suite (the C unit runner, then each tests/cli/*.sh), prints their lines, and ends
# with exactly one line "N passed, N failed" summing them all. Exit 1 when anything failed.
# Needs TR_BIN (the tradereport binary) and UNIT_BIN (the unit test runner).
set -u
cd "$(dirname "$0")/.." || exit 1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0

run_suite() {
    name=$1; shift
    "$@" > "$log" 2>&1
    rc=$?
    cat "$log"
    line=$(grep -E '^# [a-z0-9_-]+: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
    if [ -z "$line" ]; then
        echo "not ok - suite $name ended without a count (exit $rc)"
        echo "# $name: 0 passed, 1 failed" >> "$log.sum"
        status=1
        return
    fi
    echo "$line" >> "$log.sum"
    [ "$rc" -eq 0 ] || status=1
}

: > "$log.sum"
run_suite unit "$UNIT_BIN"
for t in tests/cli/test_*.sh; do
    run_suite "$(basename "$t" .sh)" sh "$t"
done
passed=$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed/\1/' "$log.sum" | awk '{s+=$1} END {print s+0}')
failed=$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed/\2/' "$log.sum" | awk '{s+=$1} END {print s+0}')
rm -f "$log.sum"
[ "$failed" -eq 0 ] || status=1
echo "$passed passed, $failed failed"
exit $status
