#!/bin/sh
# make valgrind: the unit runner and every tests/cli/test_*.sh but those in VG_SKIP (default
# test_large_files: the same code paths as the others on files of megabytes, 5 minutes under
# valgrind), with each run of tradereport under valgrind memcheck (--leak-check=full,
# --error-exitcode=99, tests/valgrind.supp for the system libraries' own leaks). Two suites run
# at a time. A run with an error exits 99, which fails its test; every run's report lands in
# $VG_DIR/logs/vg.PID.log. Ends with "N passed, N failed" and writes the runs and errors to
# build/reliability/valgrind.tsv.
# Needs VG_DIR holding tradereport and unit_tests built with -O1 -g.
set -u
cd "$(dirname "$0")/../.." || exit 1
command -v valgrind > /dev/null || {
    echo "valgrind: missing; run: apt-get install -y valgrind" >&2
    exit 1
}
VG=${VG_DIR:?VG_DIR must name the build folder}
R=build/reliability
mkdir -p "$R"
rm -rf "$VG/logs" "$VG/suites"
mkdir -p "$VG/logs" "$VG/suites"
for prog in tradereport unit_tests; do
    cat > "$VG/$prog.vg" <<EOF
#!/bin/sh
exec valgrind --leak-check=full --show-leak-kinds=definite,possible \\
    --error-exitcode=99 --num-callers=30 --suppressions=$(pwd)/tests/valgrind.supp \\
    --log-file=$VG/logs/vg.%p.log "$VG/$prog" "\$@"
EOF
    chmod +x "$VG/$prog.vg"
done
# TR_REAL_BIN: for the test that copies the binary on its own (a copy of the wrapper would
# still run the binary beside its writers)
export TR_BIN="$VG/tradereport.vg" TR_REAL_BIN="$VG/tradereport"
start=$(date +%s)

# suite NAME CMD...: output in $VG/suites/NAME.log, its count line in NAME.count
suite() {
    s_name=$1; shift
    s_t0=$(date +%s)
    "$@" > "$VG/suites/$s_name.log" 2>&1
    echo "$(($(date +%s) - s_t0))" > "$VG/suites/$s_name.secs"
    grep -E '^# [a-z0-9_-]+: [0-9]+ passed, [0-9]+ failed$' "$VG/suites/$s_name.log" |
        tail -n 1 > "$VG/suites/$s_name.count"
    [ -s "$VG/suites/$s_name.count" ] || echo "# $s_name: 0 passed, 1 failed" > "$VG/suites/$s_name.count"
}

# two suites at a time (2 cores)
skip=" ${VG_SKIP-test_large_files} "
set -- unit
for t in tests/cli/test_*.sh; do
    t=$(basename "$t" .sh)
    case $skip in *" $t "*) echo "# valgrind: $t skipped (VG_SKIP)" ;; *) set -- "$@" "$t" ;; esac
done
pids=
n=0
for s in "$@"; do
    if [ "$s" = unit ]; then
        suite unit "$VG/unit_tests.vg" &
    else
        suite "$s" sh "tests/cli/$s.sh" &
    fi
    pids="$pids $!"
    n=$((n + 1))
    if [ $((n % 2)) -eq 0 ]; then
        wait $pids
        pids=
    fi
done
wait $pids

for s in "$@"; do
    grep -E '^not ok' "$VG/suites/$s.log"
    echo "$(cat "$VG/suites/$s.count") ($(cat "$VG/suites/$s.secs") s)"
done
runs=$(grep -l 'ERROR SUMMARY' "$VG"/logs/* 2> /dev/null | wc -l)
# every run ends its log with "ERROR SUMMARY: N errors"; a log without one is a child that
# went on to exec another program (the unit runner's pdftotext, say), unless it shows an error
errors=0 bad_logs=0 first=
for l in "$VG"/logs/*; do
    [ -f "$l" ] || continue
    n=$(sed -n 's/.*ERROR SUMMARY: \([0-9][0-9]*\) errors.*/\1/p' "$l" | tail -n 1)
    if [ -z "$n" ] && grep -qE 'Invalid|uninitialised|Process terminating|Mismatched' "$l"; then
        n=1
    fi
    if [ "${n:-0}" != 0 ]; then
        errors=$((errors + ${n:-1}))
        bad_logs=$((bad_logs + 1))
        [ -n "$first" ] || first=$l
    fi
done
if [ "$bad_logs" -gt 0 ]; then
    echo "# valgrind found errors in $bad_logs runs, the first:"
    grep -v -E '^==[0-9]+== *$' "$first" | sed -n '4p' | sed 's/^/#   /'
    grep -v -E '^==[0-9]+== *$' "$first" |
        grep -A 8 -E 'Invalid|uninitialised|lost in|Mismatched|overlap|Process terminating' |
        head -n 30 | sed 's/^/#   /'
fi
printf 'valgrind\truns\t%s\nvalgrind\terrors\t%s\nvalgrind\treports\t%s\n' \
    "$runs" "$errors" "$bad_logs" > "$R/valgrind.tsv"
passed=$(cat "$VG"/suites/*.count | sed -E 's/.*: ([0-9]+) passed.*/\1/' | awk '{s+=$1} END {print s+0}')
failed=$(cat "$VG"/suites/*.count | sed -E 's/.*, ([0-9]+) failed/\1/' | awk '{s+=$1} END {print s+0}')
[ "$bad_logs" -eq 0 ] || failed=$((failed + 1))
echo "# valgrind: $runs runs of tradereport and the unit runner, $errors errors, $(($(date +%s) - start)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
