#!/bin/sh
# The command line contract (help, version, usage errors, exit codes), init, query formats, and
# a BACI file with every trap flowing into the views — checked against hand-worked totals
# (fixtures/tiny/README.md).
. tests/cli/lib.sh
suite foundation
DB=$WORK/t.db

expect_rc "--help exits 0" 0 "$TR" --help
check_grep "--help lists the exit codes" "4  busy" "$WORK/out"
expect_rc "--version exits 0" 0 "$TR" --version
check_grep "--version names the tool" "^tradereport [0-9]" "$WORK/out"
expect_rc "help import exits 0" 0 "$TR" help import
expect_rc "import --help exits 0" 0 "$TR" import --help
expect_rc "no command is a usage error" 2 "$TR"
expect_rc "unknown command exits 2" 2 "$TR" frobnicate
check_grep "unknown command names itself on stderr" "unknown command 'frobnicate'" "$WORK/err"
expect_rc "unknown option exits 2" 2 "$TR" query --bogus "SELECT 1"
expect_rc "help for unknown command exits 2" 2 "$TR" help nosuch
expect_rc "bad --max-rejects exits 2" 2 "$TR" import --db "$DB" --max-rejects x f.csv
expect_rc "query on a missing database exits 5" 5 "$TR" query --db "$WORK/none.db" "SELECT 1"
expect_rc "import of a missing file exits 5" 5 "$TR" import --db "$DB" "$WORK/missing.csv"
check_grep "missing file is named on stderr" "missing.csv" "$WORK/err"

expect_rc "init creates a database" 0 "$TR" init --db "$DB"
check "schema version is set" "$(sq "$DB" 'PRAGMA user_version')" "$(ls sql/*.sql | wc -l | tr -d ' ')"
check "journal mode is WAL" "$(sq "$DB" 'PRAGMA journal_mode')" "wal"
before=$(sq "$DB" "SELECT count(*) FROM sqlite_schema")
expect_rc "init again is harmless" 0 "$TR" init --db "$DB"
check "init again keeps the schema" "$(sq "$DB" "SELECT count(*) FROM sqlite_schema")" "$before"
expect_rc "a non-database file exits 5" 5 "$TR" query --db fixtures/tiny/README.md "SELECT 1"

expect_rc "BACI 2021 with BOM, CRLF, padding, NA imports" 0 \
    "$TR" import --db "$DB" fixtures/tiny/BACI_HS17_Y2021_V202401b.csv
check_grep "import reports the counts" "6 rows read, 6 loaded, 0 rejected" "$WORK/out"
expect_rc "BACI 2020 imports" 0 "$TR" import --db "$DB" fixtures/tiny/BACI_HS17_Y2020_V202401b.csv

# hand-worked totals (fixtures/tiny/README.md), thousands of US$ times 1000
run "$TR" query --db "$DB" "SELECT value_usd FROM v_trade_annual WHERE reporter='RUS' AND partner='IRN' AND year=2021 AND flow='X'"
check "RUS->IRN 2021 from the documented query" "$(tail -n 1 "$WORK/out" | tr -d ' ')" "3235000"
check "IRN->RUS 2021 (code that lost its leading zero)" \
    "$(q "$DB" "SELECT value_usd FROM v_trade_annual WHERE reporter='IRN' AND partner='RUS' AND year=2021")" "600000"
check "RUS->CHN 2021" \
    "$(q "$DB" "SELECT value_usd FROM v_trade_annual WHERE reporter='RUS' AND partner='CHN' AND year=2021")" "70000000"
check "leading zero kept in the product code" \
    "$(sq "$DB" "SELECT count(*) FROM dim_product WHERE code IN ('010121','080520','080410')")" "3"
check "NA quantity stored as NULL" \
    "$(sq "$DB" "SELECT count(*) FROM fact_trade WHERE net_wgt_kg IS NULL")" "3"
check "padded quantity parsed: 10.500 t = 10500 kg" \
    "$(sq "$DB" "SELECT CAST(net_wgt_kg AS INTEGER) FROM fact_trade WHERE value_usd = 2000000")" "10500"
check "HS revision and release from the file name" \
    "$(sq "$DB" "SELECT classification || ' ' || data_year || ' ' || release FROM load_log WHERE load_id = 1")" \
    "H5 2021 V202401b"
check "sha256 recorded" "$(sq "$DB" "SELECT sha256 FROM load_log WHERE load_id = 1")" \
    "$(sha256sum fixtures/tiny/BACI_HS17_Y2021_V202401b.csv | cut -d' ' -f1)"
check "bilateral turnover 2021 both orientations" \
    "$(q "$DB" "SELECT turnover_best || ' ' || best_side FROM v_bilateral_annual WHERE a='IRN' AND b='RUS' AND year=2021")" \
    "3835000 reconciled"
check "bilateral: A's imports are B's exports in BACI" \
    "$(q "$DB" "SELECT a_imports_from_b || ' ' || b_exports_to_a FROM v_bilateral_annual WHERE a='RUS' AND b='IRN' AND year=2020")" \
    "250000 250000"

# query output formats
run "$TR" query --db "$DB" --csv "SELECT 'a,b' AS x, 1 AS y, NULL AS z"
check "csv quotes and header" "$(cat "$WORK/out" | tr -d '\r')" "x,y,z
\"a,b\",1,"
run "$TR" query --db "$DB" --tsv "SELECT 'a' AS x, 2.5 AS y"
check "tsv header and row" "$(cat "$WORK/out")" "x	y
a	2.5"
expect_rc "bad SQL exits 1" 1 "$TR" query --db "$DB" "SELEC nonsense"
expect_rc "query is read-only" 1 "$TR" query --db "$DB" "DELETE FROM fact_trade"
check "facts untouched after refused write" "$(sq "$DB" 'SELECT count(*) FROM fact_trade')" "9"

# re-runs
sum_before=$(sq "$DB" "SELECT count(*), sum(value_usd) FROM fact_trade")
expect_rc "same bytes again exits 0" 0 "$TR" import --db "$DB" fixtures/tiny/BACI_HS17_Y2021_V202401b.csv
check_grep "same bytes are reported as already loaded" "already loaded as load 1" "$WORK/out"
check "same bytes change nothing" "$(sq "$DB" "SELECT count(*), sum(value_usd) FROM fact_trade")" "$sum_before"
expect_rc "check passes" 0 "$TR" check --db "$DB"
expect_rc "loads lists files" 0 "$TR" loads --db "$DB"
check_grep "loads shows the BACI file" "BACI_HS17_Y2021_V202401b.csv" "$WORK/out"

# the briefing
expect_rc "report writes both files" 0 "$TR" report --db "$DB" --pair RUS:IRN --out "$WORK/rep"
check "xlsx exists" "$(test -s "$WORK/rep/RUS-IRN.xlsx" && echo yes)" "yes"
check "pdf exists" "$(test -s "$WORK/rep/RUS-IRN.pdf" && echo yes)" "yes"
check "no temporary files left" "$(ls -A "$WORK/rep" | grep -c tmp)" "0"
expect_rc "report for a pair with no data exits 1" 1 "$TR" report --db "$DB" --pair RUS:ARM --out "$WORK/rep2"
check "no files for a pair with no data" "$(ls "$WORK/rep2" 2>/dev/null | wc -l | tr -d ' ')" "0"
expect_rc "report with an unknown country exits 2" 2 "$TR" report --db "$DB" --pair RUS:XXQ --out "$WORK/rep3"
expect_rc "report into an unwritable place exits 5" 5 "$TR" report --db "$DB" --pair RUS:IRN --out /proc/nonexistent
# upgrade from schema 6, where fact_trade was a table with generated columns: migration 0007
# moves every fact into fact_trade_packed and the view reads them back unchanged
U=$WORK/upgrade.db
cp "$DB" "$U"
facts_of() { sq "$1" "SELECT * FROM fact_trade ORDER BY trade_key" | sha256sum; }
facts=$(facts_of "$U")
sqlite3 "$U" "DROP VIEW fact_trade; DROP VIEW v_trade;
$(sed -n '/^CREATE TABLE fact_trade (/,/^);/p' sql/0001_schema.sql)
INSERT INTO fact_trade (trade_key, value_usd, net_wgt_kg, qty, qty_unit, cif_usd, fob_usd, flags, load_id)
    SELECT trade_key, value_usd, net_wgt_kg, qty, qty_unit, cif_usd, fob_usd, flags, load_id FROM fact_trade_packed;
DROP TABLE fact_trade_packed;
DROP TABLE fact_trade_history; DROP TABLE fact_trade_breakdown_history; DROP TABLE fact_tariff_history;
DROP TABLE trade_withdrawn; DROP TABLE load_unload; DROP INDEX fact_trade_breakdown_unit; DROP TABLE load_archive;
ALTER TABLE load_replacement DROP COLUMN old_value_usd;
DROP TABLE hs_correlation; DROP TABLE hs_nomenclature; DROP TABLE hs_nomenclature_section;
DROP TABLE hs_reference_code; DROP TABLE publish_log;
DROP VIEW v_trade_product; DROP VIEW v_trade_chapter; DROP TABLE sum_product; DROP TABLE sum_chapter;
DROP TABLE key_year;
DELETE FROM meta WHERE key = 'hs_reference'; PRAGMA user_version = 6;"
check "a schema-6 database holds its facts in the old table" \
    "$(sq "$U" "SELECT type || ' ' || (SELECT count(*) FROM fact_trade) FROM sqlite_schema WHERE name = 'fact_trade'")" "table 9"
expect_rc "init upgrades it" 0 "$TR" init --db "$U"
check "upgraded: fact_trade is a view, the version is current" \
    "$(sq "$U" "SELECT type FROM sqlite_schema WHERE name = 'fact_trade'") $(sq "$U" 'PRAGMA user_version')" \
    "view $(ls sql/*.sql | wc -l | tr -d ' ')"
check "every fact and every decoded column survives the upgrade" "$(facts_of "$U")" "$facts"
check "the upgrade wrote every HS reference row" \
    "$(sq "$U" "SELECT count(*) || '|' || (SELECT count(*) FROM hs_nomenclature) || '|' || (SELECT count(*) FROM meta WHERE key = 'hs_reference_all') FROM hs_correlation")" "104411|6940|1"
expect_rc "invariants hold after the upgrade" 0 "$TR" check --db "$U"
finish
