# Shared helpers for the CLI tests (sourced). Each test file calls `suite NAME` first and
# `finish` last. A command that dies from a signal (exit >= 128) always fails the case:
# a crash is never an expected failure.
set -u
TR=${TR_BIN:-$(pwd)/tradereport}
PY=/usr/bin/python3
FIX=$(pwd)/fixtures
T_PASS=0
T_FAIL=0
T_N=0
SUITE=cli
WORK=$(mktemp -d /tmp/tr_cli_XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export SOURCE_DATE_EPOCH=1767225600   # 2026-01-01T00:00:00Z: deterministic reports

suite() { SUITE=$1; }

ok() {
    T_N=$((T_N + 1)); T_PASS=$((T_PASS + 1))
    echo "ok $T_N - $SUITE: $1"
}

not_ok() {
    T_N=$((T_N + 1)); T_FAIL=$((T_FAIL + 1))
    echo "not ok $T_N - $SUITE: $1: $2"
}

# run CMD...: runs it, keeping exit code in RC, stdout in $WORK/out, stderr in $WORK/err.
run() {
    "$@" > "$WORK/out" 2> "$WORK/err"
    RC=$?
}

# expect_rc NAME WANT CMD...: the command exits WANT (and never by a signal).
expect_rc() {
    name=$1; want=$2; shift 2
    run "$@"
    if [ "$RC" -ge 128 ]; then
        not_ok "$name" "crashed with exit $RC: $(head -c 300 "$WORK/err")"
    elif [ "$RC" -ne "$want" ]; then
        not_ok "$name" "exit $RC, want $want; stderr: $(head -c 300 "$WORK/err")"
    else
        ok "$name"
    fi
}

# check NAME GOT WANT: string equality.
check() {
    if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got '$2', want '$3'"; fi
}

# check_grep NAME PATTERN FILE: FILE contains PATTERN (grep -E).
check_grep() {
    if grep -Eq -- "$2" "$3"; then ok "$1"; else not_ok "$1" "'$2' not in $(head -c 300 "$3")"; fi
}

# q DB SQL: one value from the database, via the tool itself in TSV without the header.
q() {
    "$TR" query --db "$1" --tsv "$2" | sed -n 2p
}

# sq DB SQL: one value read with the sqlite3 shell — an independent reader.
sq() {
    sqlite3 -batch -noheader "$1" "$2"
}

finish() {
    echo "# $SUITE: $T_PASS passed, $T_FAIL failed"
    [ "$T_FAIL" -eq 0 ]
}

# concordance_filter DB: v_hs_concordance read as people read it, by revision and code: one
# "(from_classification = 'H5' AND from_code IN (...)) OR ..." over the database's six-digit
# codes. Every database holds the whole tables, whose chained pairs run to 34 million rows.
concordance_filter() {
    sq "$1" "SELECT group_concat(f, ' OR ') FROM (SELECT '(from_classification = ''' || classification || ''' AND from_code IN (' || group_concat('''' || code || '''', ',') || '))' AS f FROM dim_product WHERE level = 6 AND classification BETWEEN 'H0' AND 'H6' GROUP BY classification)"
}
