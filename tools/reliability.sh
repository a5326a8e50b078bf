#!/bin/sh
# make reliability: the figures README quotes, from the results under build/reliability/.
# A piece without a result is run first (RERUN=1: every piece again): the bad-input corpus,
# `make SANITIZE=address,undefined test` with the sanitizers' reports kept in files,
# `make valgrind`, `make faults`, `make fuzz`. Prints the figures (also to
# build/reliability/figures.txt); exits 1 unless every figure that must be 0 is 0.
set -u
cd "$(dirname "$0")/.." || exit 1
R=build/reliability
mkdir -p "$R"
MAKE=${MAKE:-make}
need() { [ "${RERUN:-0}" = 1 ] || [ ! -s "$R/$1" ]; }

# the bad-input corpus, with the binary `make faults` builds
if need badinputs.tsv; then
    $MAKE -s --no-print-directory BUILD=build/faults BIN=build/faults/tradereport SANITIZE= \
        build/faults/tradereport > /dev/null
    TR_BIN=$(pwd)/build/faults/tradereport sh tests/cli/test_bad_inputs.sh > "$R/badinputs.log" 2>&1
    tried=0 matched=0
    TAB=$(printf '\t')
    while IFS="$TAB" read -r cs rest; do
        [ "$cs" = case ] && continue
        tried=$((tried + 1))
        grep -q "^not ok [0-9]* - bad_inputs: $cs" "$R/badinputs.log" || matched=$((matched + 1))
    done < fixtures/bad/expected.tsv
    regress=$(find fixtures/bad/fuzz -type f ! -name README.md 2> /dev/null | wc -l)
    printf 'bad\ttried\t%s\nbad\tmatched\t%s\nbad\tfuzz_regressions\t%s\n' \
        "$tried" "$matched" "$regress" > "$R/badinputs.tsv"
fi

# the test suites under ASan and UBSan, every report in a file of its own. In CI, where
# `make SANITIZE=address,undefined test` has just passed (it fails the run on the first report),
# SANITIZER_PASSED=all records that instead of a second pass.
if need sanitizer.tsv && [ -n "${SANITIZER_PASSED:-}" ]; then
    printf 'sanitizer\ttests\t%s 0\nsanitizer\terrors\t0\n' "$SANITIZER_PASSED" > "$R/sanitizer.tsv"
elif need sanitizer.tsv; then
    rm -rf "$R/san"
    mkdir -p "$R/san"
    S=$(pwd)/$R/san
    $MAKE --no-print-directory SANITIZE=address,undefined test \
        SAN_ENV="ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:log_path=$S/asan \
                 LSAN_OPTIONS=suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0 \
                 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$S/ubsan" \
        > "$R/sanitizer.log" 2>&1
    tests=$(tail -n 1 "$R/sanitizer.log" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p')
    reports=$(cat "$S"/* 2> /dev/null | grep -cE '^(==[0-9]+==ERROR|SUMMARY: UndefinedBehaviorSanitizer)|runtime error:')
    printf 'sanitizer\ttests\t%s\nsanitizer\terrors\t%s\n' "${tests:-0 1}" "$reports" > "$R/sanitizer.tsv"
fi

need valgrind.tsv && $MAKE --no-print-directory valgrind > "$R/valgrind.log" 2>&1
need faults.tsv && $MAKE --no-print-directory faults > "$R/faults-run.log" 2>&1
need fuzz.tsv && $MAKE --no-print-directory fuzz > "$R/fuzz-run.log" 2>&1

val() { awk -F'\t' -v a="$2" -v b="$3" '$1 == a && $2 == b { print $3 }' "$R/$1" 2> /dev/null; }
metric() { awk -F'\t' -v m="$1" '$1 == "metric" && $2 == m { s += $3 } END { print s + 0 }' \
    "$R/faults.tsv" 2> /dev/null; }

{
    echo "tradereport reliability figures ($(date -u +%Y-%m-%d), $(git describe --always --dirty 2> /dev/null))"
    echo
    printf '%-44s %s\n' "bad inputs tried / matched" \
        "$(val badinputs.tsv bad tried) / $(val badinputs.tsv bad matched) (fixtures/bad; plus $(val badinputs.tsv bad fuzz_regressions) fuzz regressions)"
    echo "faults injected / survived, by kind:"
    awk -F'\t' '$1 == "inject" && $3 != "survey" { n[$2]++; if ($3 == "ok") s[$2]++ }
        END { for (k in n) printf "  %-42s %d / %d\n", k, n[k], s[k] }' "$R/faults.tsv" 2> /dev/null |
        sort
    awk -F'\t' '$1 == "inject" && $3 != "survey" { n++; if ($3 == "ok") s++ }
        END { printf "  %-42s %d / %d\n", "all kinds", n, s }' "$R/faults.tsv" 2> /dev/null
    printf '%-44s %s\n' "out of memory inside libxlsxwriter/Cairo" \
        "$(awk -F'\t' '$1 == "inject" && $3 == "survey"' "$R/faults.tsv" 2> /dev/null | wc -l) runs: $(metric oom_report_library_crashes) crashes, $(metric oom_report_library_hangs) hung, $(metric oom_report_library_wrong) wrong files with exit 0 (survey, not gating)"
    printf '%-44s %s\n' "rows unaccounted" "$(metric rows_unaccounted)"
    printf '%-44s %s\n' "duplicates from re-runs" "$(metric duplicates)"
    printf '%-44s %s\n' "partial reports seen" "$(metric partial_reports)"
    awk -F'\t' '$1 == "fuzz" { e += $3; c += $4; n++; r += $5 }
        END { printf "%-44s %d / %d (%d targets; %d regressions replayed)\n",
              "fuzz executions / crashes", e, c, n, r }' "$R/fuzz.tsv" 2> /dev/null
    set -- $(val sanitizer.tsv sanitizer tests)
    printf '%-44s %s\n' "sanitizer errors (ASan+UBSan over make test)" \
        "$(val sanitizer.tsv sanitizer errors) (tests: ${1:-?} passed, ${2:-?} failed)"
    printf '%-44s %s\n' "valgrind errors (memcheck over make test)" \
        "$(val valgrind.tsv valgrind errors) in $(val valgrind.tsv valgrind runs) runs"
} > "$R/figures.txt"
cat "$R/figures.txt"

# the figures that must be zero, and every fault survived; each one that is not says so
bad=0
fail() { echo "reliability: FAIL: $*"; bad=1; }
for m in rows_unaccounted duplicates partial_reports; do
    [ "$(metric $m)" = 0 ] || fail "$m is $(metric $m), must be 0"
done
grep -q "	fail$" "$R/faults.tsv" 2> /dev/null &&
    fail "$(grep -c "	fail$" "$R/faults.tsv") fault injections not survived ($R/faults.tsv)"
[ "$(val sanitizer.tsv sanitizer errors)" = 0 ] ||
    fail "sanitizer errors: $(val sanitizer.tsv sanitizer errors) ($R/san/)"
[ "$(val valgrind.tsv valgrind errors)" = 0 ] ||
    fail "valgrind errors: $(val valgrind.tsv valgrind errors) ($R/valgrind.log)"
[ "$(val valgrind.tsv valgrind reports)" = 0 ] ||
    fail "valgrind reports: $(val valgrind.tsv valgrind reports) ($R/valgrind.log)"
awk -F'\t' '$1 == "fuzz" && $4 > 0 { exit 1 }' "$R/fuzz.tsv" 2> /dev/null ||
    fail "fuzz crashes: $(awk -F'\t' '$1 == "fuzz" && $4 > 0 { printf "%s %d; ", $2, $4 }' \
        "$R/fuzz.tsv" 2> /dev/null)(build/fuzz/crashes/)"
[ "$(val badinputs.tsv bad tried)" = "$(val badinputs.tsv bad matched)" ] ||
    fail "bad inputs: $(val badinputs.tsv bad matched) of $(val badinputs.tsv bad tried) matched ($R/badinputs.log)"
exit $bad
