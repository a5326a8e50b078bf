#!/bin/sh
# The whole fixtures tree, every format, imported as `make demo` does: every row accounted
# for, invariants hold, and importing everything a second time leaves the database contents
# exactly as after the first time.
. tests/cli/lib.sh
suite fixtures_tree
DB=$WORK/all.db
FILES=$(cat fixtures/demo-files.txt)
# shellcheck disable=SC2086
expect_rc "the whole fixtures tree imports" 0 "$TR" import --db "$DB" $FILES
check "every file committed" \
    "$(sq "$DB" "SELECT count(*) FROM load_log WHERE status NOT IN ('committed', 'superseded')")" "0"
check "rows read = loaded + rejected for every file" \
    "$(sq "$DB" "SELECT count(*) FROM load_log WHERE rows_read <> rows_loaded + rows_rejected")" "0"
expect_rc "invariants hold" 0 "$TR" check --db "$DB"
contents() {
    sqlite3 "${1:-$DB}" "SELECT * FROM fact_trade ORDER BY trade_key;
                   SELECT * FROM fact_trade_breakdown ORDER BY 1,2,3,4,5,6,7,8,9,10,11;
                   SELECT * FROM fact_tariff ORDER BY 1;
                   SELECT * FROM sum_trade; SELECT * FROM sum_annual; SELECT * FROM sum_bilateral;
                   SELECT * FROM claim ORDER BY claim_id;
                   SELECT load_id, line, error_type, raw_line FROM load_reject ORDER BY 1, 2;
                   SELECT load_id, status, rows_read, rows_loaded FROM load_log ORDER BY 1;" | sha256sum
}
first=$(contents)
# shellcheck disable=SC2086
TR_WRITER_THREAD=1 expect_rc "the tree again, facts inserted on a second thread" 0 \
    "$TR" import --db "$WORK/threaded.db" $FILES
check "the writer thread gives the same contents as inline inserts" \
    "$(contents "$WORK/threaded.db")" "$first"
# shellcheck disable=SC2086
expect_rc "importing the tree again exits 0" 0 "$TR" import --db "$DB" $FILES
check "every file is already loaded the second time" \
    "$(grep -c 'already loaded' "$WORK/out")" "$(echo $FILES | wc -w | tr -d ' ')"
check "importing twice leaves the same contents as once" "$(contents)" "$first"
expect_rc "the demo report for RUS:IRN" 0 "$TR" report --db "$DB" --pair RUS:IRN --out "$WORK/rep"
finish
