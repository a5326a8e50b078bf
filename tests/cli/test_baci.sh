#!/bin/sh
# BACI end to end on the realistic fixtures: every annual total in v_trade_annual equals an
# independent computation with python's csv module (tests/tools/fixture_totals.py), both
# country-file layouts load (the old one is Latin-1), and importing the tree twice changes
# nothing.
. tests/cli/lib.sh
suite baci
DB=$WORK/b.db

expect_rc "BACI trade, country and product files import" 0 "$TR" import --db "$DB" fixtures/baci/*.csv
expect_rc "old-layout Latin-1 country file imports" 0 "$TR" import --db "$DB" fixtures/baci-old/country_codes_V202301.csv
check "legacy 8-bit file detected (Windows-1252) and converted" \
    "$(sq "$DB" "SELECT encoding FROM load_log WHERE file_name = 'country_codes_V202301.csv'")" "windows-1252"
check "every row read is loaded or rejected" \
    "$(sq "$DB" "SELECT count(*) FROM load_log WHERE rows_read <> rows_loaded + rows_rejected")" "0"
check "BACI 490 maps to Other Asia nes (S19)" \
    "$(sq "$DB" "SELECT d.iso3 FROM country_code c JOIN dim_country d USING (country_id) WHERE c.system = 'baci' AND c.code = '490'")" "S19"
check "product descriptions from the product file" \
    "$(sq "$DB" "SELECT count(*) FROM dim_product WHERE classification = 'H5' AND description IS NOT NULL")" \
    "$(($(wc -l < fixtures/baci/product_codes_HS17_V202401b.csv) - 1))"

"$TR" query --db "$DB" --tsv "SELECT source, year, reporter, partner, flow, value_usd FROM v_trade_annual WHERE source = 'baci' ORDER BY 1, 2, 3, 4, 5" \
    | sed 1d > "$WORK/ours.tsv"
$PY tests/tools/fixture_totals.py baci fixtures/baci/BACI_*.csv | sort > "$WORK/theirs.tsv"
sort "$WORK/ours.tsv" > "$WORK/ours.sorted"
check "fixture rows compared" "$(test "$(wc -l < "$WORK/theirs.tsv")" -gt 50 && echo many)" "many"
if diff "$WORK/ours.sorted" "$WORK/theirs.tsv" > "$WORK/diff"; then
    ok "v_trade_annual equals the independent python totals (thousands x 1000)"
else
    not_ok "v_trade_annual equals the independent python totals" "$(head -c 400 "$WORK/diff")"
fi
check "RUS->IRN 2021 as published (US\$ 3.07 bn)" \
    "$(q "$DB" "SELECT value_usd FROM v_trade_annual WHERE source='baci' AND reporter='RUS' AND partner='IRN' AND year=2021")" "3070000000"
check "RUS-IRN turnover 2021 (3.07 + 0.972 bn)" \
    "$(q "$DB" "SELECT turnover_best FROM v_bilateral_annual WHERE source='baci' AND a='RUS' AND b='IRN' AND year=2021")" "4042000000"

dump() { sqlite3 "$DB" "SELECT * FROM fact_trade ORDER BY trade_key; SELECT * FROM sum_trade;" | sha256sum; }
before=$(dump)
expect_rc "importing the tree again exits 0" 0 "$TR" import --db "$DB" fixtures/baci/*.csv fixtures/baci-old/*.csv
check "every file reported as already loaded" "$(grep -c 'already loaded' "$WORK/out")" "7"
check "importing twice leaves the same facts" "$(dump)" "$before"
expect_rc "invariants hold" 0 "$TR" check --db "$DB"
finish
