#!/bin/sh
# Runs every fuzz target for SECONDS (first argument) each, two at a time (one per core):
# first the regressions in fixtures/bad/fuzz/<format>/ (each must pass), then libFuzzer seeded
# from fixtures/ (copied into $FUZZ_DIR/corpus/<format>, which keeps what it finds) with
# tests/fuzz/csv.dict. A crash is minimised into $FUZZ_DIR/crashes/<format>/ and fails the run:
# copy it into fixtures/bad/fuzz/<format>/ once understood (tests/fuzz/README.md).
# Prints one ok / not ok line per target and "N passed, N failed"; writes the figures to
# build/reliability/fuzz.tsv.
set -u
cd "$(dirname "$0")/../.."
SECONDS_EACH=${1:-60}
D=${FUZZ_DIR:-build/fuzz}
R=build/reliability
mkdir -p "$R" "$D/logs"
: > "$R/fuzz.tsv.tmp"
TAB=$(printf '\t')
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
LSAN_OPTIONS=suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0
export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS

# one FORMAT SEEDS: regressions, then fuzzing; the verdict goes to $D/logs/FORMAT.result
one() {
    fmt=$1 seeds=$2
    bin=$D/fuzz_$fmt
    log=$D/logs/$fmt.log
    corpus=$D/corpus/$fmt
    crashes=$D/crashes/$fmt
    mkdir -p "$corpus" "$crashes"
    # shellcheck disable=SC2086  # seeds are globs
    for f in $seeds; do
        [ -f "$f" ] && cp "$f" "$corpus/seed-$(basename "$(dirname "$f")")-$(basename "$f")"
    done
    regress=0 why=
    if ls fixtures/bad/fuzz/"$fmt"/* > /dev/null 2>&1; then
        for f in fixtures/bad/fuzz/"$fmt"/*; do
            [ "$(basename "$f")" = README.md ] && continue
            regress=$((regress + 1))
            "$bin" "$f" > "$D/logs/$fmt.regress.log" 2>&1 ||
                why="$why regression $f fails;"
        done
    fi
    "$bin" -max_total_time="$SECONDS_EACH" -max_len=16384 -timeout=20 -rss_limit_mb=2048 \
        -dict=tests/fuzz/csv.dict -artifact_prefix="$crashes/" -print_final_stats=1 \
        "$corpus" > "$log" 2>&1
    frc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    crashed=0
    for c in "$crashes"/crash-* "$crashes"/leak-* "$crashes"/timeout-* "$crashes"/oom-*; do
        [ -f "$c" ] || continue
        case $c in *.min) continue ;; esac
        crashed=$((crashed + 1))
        "$bin" -minimize_crash=1 -max_total_time=60 -exact_artifact_path="$c.min" "$c" \
            > "$c.minimize.log" 2>&1
    done
    [ "$frc" -eq 0 ] || why="$why libFuzzer exit $frc;"
    [ "$crashed" -eq 0 ] || why="$why $crashed crash(es) in $crashes;"
    printf '%s\t%s\t%s\t%s\t%s\n' "$fmt" "${execs:-0}" "$crashed" "$regress" "$why" \
        > "$D/logs/$fmt.result"
}

pids=
n=0
while IFS="$TAB" read -r fmt name seeds; do
    [ "$fmt" = format ] && continue
    [ -x "$D/fuzz_$fmt" ] || { echo "not ok - fuzz $fmt: $D/fuzz_$fmt not built"; continue; }
    rm -f "$D/logs/$fmt.result"
    one "$fmt" "$seeds" &
    pids="$pids $!"
    n=$((n + 1))
    if [ $((n % 2)) -eq 0 ]; then
        wait $pids
        pids=
    fi
done < tests/fuzz/targets.tsv
wait $pids

passed=0 failed=0
for r in "$D"/logs/*.result; do
    [ -f "$r" ] || continue
    IFS="$TAB" read -r fmt execs crashed regress why < "$r"
    printf 'fuzz\t%s\t%s\t%s\t%s\n' "$fmt" "$execs" "$crashed" "$regress" >> "$R/fuzz.tsv.tmp"
    if [ -z "$why" ]; then
        passed=$((passed + 1))
        echo "ok - fuzz $fmt: $execs executions in ${SECONDS_EACH}s, $regress regressions, no crash"
    else
        failed=$((failed + 1))
        echo "not ok - fuzz $fmt: $why (log: $D/logs/$fmt.log)"
        grep -m 3 -E 'ERROR|fuzz_import|runtime error' "$D/logs/$fmt.log" | sed 's/^/#   /'
    fi
done
mv "$R/fuzz.tsv.tmp" "$R/fuzz.tsv"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
