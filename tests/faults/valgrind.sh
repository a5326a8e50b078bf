#!/bin/sh
# make valgrind: the unit runner and every tests/cli/test_*.sh, with each run of tradereport
# under valgrind memcheck (--leak-check=full, --error-exitcode=99, tests/valgrind.supp for the
# system libraries' own leaks). Two suites run at a time. A run with an error exits 99, which
# fails its test; every report lands in $VG_DIR/logs/vg.PID.log. Ends with "N passed, N failed"
# and writes the error count to build/reliability/valgrind.tsv.
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
exec valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \\
    --error-exitcode=99 --num-callers=30 --suppressions=$(pwd)/tests/valgrind.supp \\
    --log-file=$VG/logs/vg.%p.log "$VG/$prog" "\$@"
EOF
    chmod +x "$VG/$prog.vg"
done
export TR_BIN="$VG/tradereport.vg"
start=$(date +%s)

# suite NAME CMD...: output in $VG/suites/NAME.log, its count line in NAME.count
suite() {
    s_name=$1; shift
    "$@" > "$VG/suites/$s_name.log" 2>&1
    grep -E '^# [a-z0-9_-]+: [0-9]+ passed, [0-9]+ failed$' "$VG/suites/$s_name.log" |
        tail -n 1 > "$VG/suites/$s_name.count"
    [ -s "$VG/suites/$s_name.count" ] || echo "# $s_name: 0 passed, 1 failed" > "$VG/suites/$s_name.count"
}

# two suites at a time (2 cores)
set -- unit $(ls tests/cli/test_*.sh | xargs -n 1 basename | sed 's/\.sh$//')
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
    cat "$VG/suites/$s.count"
done
runs=$(ls "$VG"/logs | wc -l)
errors=$(cat "$VG"/logs/* 2> /dev/null |
    sed -n 's/.*ERROR SUMMARY: \([0-9][0-9]*\) errors.*/\1/p' | awk '{s+=$1} END {print s+0}')
bad_logs=$(find "$VG/logs" -type f -size +0 | wc -l)
if [ "$bad_logs" -gt 0 ]; then
    echo "# valgrind reports in:"
    find "$VG/logs" -type f -size +0 | head -n 5 | sed 's/^/#   /'
    find "$VG/logs" -type f -size +0 | head -n 1 | xargs head -n 30 | sed 's/^/#   /'
fi
printf 'valgrind\truns\t%s\nvalgrind\terrors\t%s\nvalgrind\treports\t%s\n' \
    "$runs" "$errors" "$bad_logs" > "$R/valgrind.tsv"
passed=$(cat "$VG"/suites/*.count | sed -E 's/.*: ([0-9]+) passed.*/\1/' | awk '{s+=$1} END {print s+0}')
failed=$(cat "$VG"/suites/*.count | sed -E 's/.*, ([0-9]+) failed/\1/' | awk '{s+=$1} END {print s+0}')
[ "$bad_logs" -eq 0 ] || failed=$((failed + 1))
echo "# valgrind: $runs runs of tradereport and the unit runner, $errors errors, $(($(date +%s) - start)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
