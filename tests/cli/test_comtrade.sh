#!/bin/sh
# Comtrade Plus and legacy CSV: every realistic fixture against the independent python reader
# (tests/tools/fixture_totals.py), then hand-worked tiny files (fixtures/tiny-comtrade/README.md)
# for quoting, trailing commas, missing quantities, flows, breakdowns, rejects and --max-rejects.
. tests/cli/lib.sh
suite comtrade
TINY=$FIX/tiny-comtrade
ANNUAL="SELECT source, year, reporter, partner, flow, value_usd FROM v_trade_annual
        WHERE is_partial = 0"

# annual_db DB: the database's complete all-goods totals, in the python reader's layout.
annual_db() {
    "$TR" query --db "$1" --tsv "$ANNUAL" | sed 1d | LC_ALL=C sort
}

# annual_py FORMAT FILE...: the python reader's totals; legacy rows are source "comtrade" here.
annual_py() {
    "$PY" tests/tools/fixture_totals.py "$@" | sed 's/^comtrade-legacy	/comtrade	/' | LC_ALL=C sort
}

# compare NAME DB FORMAT FILE...: the full sorted lists are equal.
compare() {
    name=$1; db=$2; shift 2
    annual_db "$db" > "$WORK/db.tsv"
    annual_py "$@" > "$WORK/py.tsv"
    if [ ! -s "$WORK/py.tsv" ]; then
        not_ok "$name" "the python reader printed nothing"
    elif cmp -s "$WORK/db.tsv" "$WORK/py.tsv"; then
        ok "$name ($(wc -l < "$WORK/py.tsv" | tr -d ' ') keys)"
    else
        not_ok "$name" "$(diff "$WORK/db.tsv" "$WORK/py.tsv" | head -n 6 | tr '\n' ' ')"
    fi
}

# value DB YEAR REPORTER PARTNER FLOW: one v_trade_annual value.
value() {
    q "$1" "SELECT value_usd FROM v_trade_annual WHERE year = $2 AND reporter = '$3'
            AND partner = '$4' AND flow = '$5'"
}

# ---------- every realistic fixture on its own ----------
for f in "$FIX"/comtrade/*.csv "$FIX"/comtrade-legacy/*.csv; do
    b=$(basename "$f")
    fmt=comtrade
    case $f in */comtrade-legacy/*) fmt=comtrade-legacy ;; esac
    db=$WORK/one.db
    rm -f "$db" "$db-wal" "$db-shm"
    "$TR" init --db "$db" > /dev/null
    expect_rc "$b imports" 0 "$TR" import --db "$db" "$f"
    lines=$(($(wc -l < "$f") - 1))
    check "$b: rows read = data lines = loaded + rejected, format $fmt" \
        "$(sq "$db" "SELECT rows_read || ' ' || (rows_loaded + rows_rejected) || ' ' ||
                     rows_rejected || ' ' || format FROM load_log")" "$lines $lines 0 $fmt"
    compare "$b: annual totals equal the python reader" "$db" "$fmt" "$f"
done

# ---------- the Comtrade Plus fixtures together ----------
DB=$WORK/all.db
"$TR" init --db "$DB" > /dev/null
expect_rc "all Comtrade Plus files import" 0 "$TR" import --db "$DB" "$FIX"/comtrade/*.csv
compare "all Plus files: annual totals (annual rows win over months)" "$DB" comtrade \
    "$FIX"/comtrade/*.csv
check "World rows present as partner W00" \
    "$(q "$DB" "SELECT count(*) FROM v_trade_annual WHERE partner = 'W00' AND is_partial = 0")" \
    "$(annual_py comtrade "$FIX"/comtrade/*.csv | awk -F'\t' '$4 == "W00"' | wc -l | tr -d ' ')"
check "Russia's exports to Iran 2021: the headline, breakdown row not added" \
    "$(value "$DB" 2021 RUS IRN X)" "3070000000"
check "the sea-transport breakdown row is kept apart" \
    "$(sq "$DB" "SELECT mot_code || ' ' || value_usd FROM fact_trade_breakdown
                 WHERE reporter_id = 643 AND partner_id = 364 AND year = 2021")" "2100 1903377215"
check "China's imports from Russia 2022: the published figure, 2nd-partner row not added" \
    "$(value "$DB" 2022 CHN RUS M)" "114148716433"
check "the 2nd-partner breakdown row is kept apart" \
    "$(sq "$DB" "SELECT count(*) FROM fact_trade_breakdown WHERE reporter_id = 156
                 AND partner2_id = 643 AND year = 2022")" "1"
check "re-export flow RX kept" "$(value "$DB" 2022 TUR RUS RX)" "412903377"
check "inward processing MIP kept" "$(value "$DB" 2022 CHN RUS MIP)" "1873442106"
check "Other Asia nes (490) as S19" "$(value "$DB" 2022 CHN S19 M)" "238117530211"
check "no TOTAL row: the HS6 rows are summed" "$(value "$DB" 2024 KGZ IRN M)" "50173386"
check "HS2 rows under a TOTAL are not added" \
    "$(q "$DB" "SELECT level_used FROM v_trade_annual WHERE year = 2021 AND reporter = 'RUS'
               AND partner = 'IRN' AND flow = 'X'")" "TOTAL"
check "Türkiye 2024: the annual row wins over nine months" \
    "$(q "$DB" "SELECT basis FROM v_trade_annual WHERE year = 2024 AND reporter = 'TUR'
               AND partner = 'RUS' AND flow = 'M'")" "annual"
check "TOTAL rows: quantity and weight missing, not zero" \
    "$(sq "$DB" "SELECT count(*) FROM fact_trade f JOIN dim_product p USING (product_id)
                 WHERE p.code = 'TOTAL' AND (qty IS NOT NULL OR net_wgt_kg IS NOT NULL
                 OR qty_unit IS NOT NULL)")" "0"
check "drone code 880622 in H6 with its unit" \
    "$(sq "$DB" "SELECT qty_unit || ' ' || qty FROM fact_trade f JOIN dim_product p
                 USING (product_id) WHERE p.code = '880622' AND f.year = 2022")" "u 24974.0"
check "import values CIF, export values FOB" \
    "$(sq "$DB" "SELECT sum(flow = 'M' AND (cif_usd IS NULL OR fob_usd IS NOT NULL))
                 + sum(flow = 'X' AND (fob_usd IS NULL OR cif_usd IS NOT NULL))
                 FROM fact_trade")" "0"
expect_rc "check passes" 0 "$TR" check --db "$DB"

# The legacy Iran file holds the same TOTAL rows as the Plus file for 2014-2016: it replaces
# those partitions, and nothing is counted twice.
plus_irn_old=$(grep -c '^"C","A","201[456]0101"' "$FIX/comtrade/comtrade_plus_A_2014-2024_IRN.csv")
expect_rc "legacy Iran file on top imports" 0 \
    "$TR" import --db "$DB" "$FIX/comtrade-legacy/comtrade_legacy_2014-2016_IRN.csv"
check_grep "it replaces the Plus rows of 2014-2016" "replaced $plus_irn_old earlier rows" \
    "$WORK/out"
# expected: the Plus totals without Iran 2014-2016, and the legacy file's totals instead
annual_py comtrade "$FIX"/comtrade/*.csv |
    awk -F'\t' '!($3 == "IRN" && $2 >= 2014 && $2 <= 2016)' > "$WORK/expect.tsv"
annual_py comtrade-legacy "$FIX/comtrade-legacy/comtrade_legacy_2014-2016_IRN.csv" \
    >> "$WORK/expect.tsv"
annual_db "$DB" > "$WORK/db.tsv"
check "after the legacy file: Iran 2014-2016 from it, nothing counted twice" \
    "$(LC_ALL=C sort "$WORK/expect.tsv" | cmp - "$WORK/db.tsv" && echo same)" "same"
check "Iran's 2015 imports from Russia: the figure both files give, once" \
    "$(value "$DB" 2015 IRN RUS M)" \
    "$(annual_py comtrade "$FIX/comtrade/comtrade_plus_A_2014-2024_IRN.csv" |
       awk -F'\t' '$2 == 2015 && $3 == "IRN" && $4 == "RUS" && $5 == "M" { print $6 }')"
expect_rc "re-import of a Plus file exits 0" 0 \
    "$TR" import --db "$DB" "$FIX/comtrade/comtrade_plus_A_2014-2024_RUS.csv"
check_grep "re-import: already loaded" "already loaded as load" "$WORK/out"
expect_rc "check passes after replacement" 0 "$TR" check --db "$DB"

# ---------- monthly file alone: complete and partial years ----------
DB=$WORK/monthly.db
"$TR" init --db "$DB" > /dev/null
expect_rc "monthly file imports" 0 "$TR" import --db "$DB" \
    "$FIX/comtrade/comtrade_plus_M_2023-2024_CHN_TUR.csv"
check "China 2023 from 12 months" \
    "$(q "$DB" "SELECT basis || ' ' || is_partial FROM v_trade_annual WHERE year = 2023
               AND reporter = 'CHN' AND partner = 'RUS' AND flow = 'M'")" "monthly, complete 0"
check "Türkiye 2024: four keys flagged partial, nine months each" \
    "$(q "$DB" "SELECT count(*) || ' ' || min(months) || ' ' || max(months) FROM v_trade_annual
               WHERE year = 2024 AND reporter = 'TUR' AND is_partial = 1")" "4 9 9"
check "nothing else is partial" \
    "$(q "$DB" "SELECT count(*) FROM v_trade_annual WHERE is_partial = 1
               AND reporter <> 'TUR'")" "0"

# ---------- hand-worked: Comtrade Plus (fixtures/tiny-comtrade/README.md) ----------
DB=$WORK/tiny.db
"$TR" init --db "$DB" > /dev/null
PLUS=$TINY/comtrade_plus_A_2021_RUS.csv
expect_rc "an unknown partner fails the file by default (exit 3)" 3 "$TR" import --db "$DB" "$PLUS"
check_grep "the error names the file and line 12" "comtrade_plus_A_2021_RUS.csv:12:" "$WORK/err"
check "nothing committed" \
    "$(sq "$DB" "SELECT ((SELECT count(*) FROM fact_trade) + (SELECT count(*) FROM
                 fact_trade_breakdown)) || ' ' || (SELECT status FROM load_log)")" "0 failed"
check "the failed load keeps its reject with the line" \
    "$(sq "$DB" "SELECT line || ' ' || error_type || ' ' || column_name FROM load_reject")" \
    "12 UNKNOWN_CODE partnerCode"
expect_rc "--max-rejects 1 lets it through" 0 "$TR" import --db "$DB" --max-rejects 1 "$PLUS"
check_grep "counts: 12 read, 11 loaded, 1 rejected" "12 rows read, 11 loaded, 1 rejected" \
    "$WORK/out"
L=$(sq "$DB" "SELECT max(load_id) FROM load_log")
check "reject recorded with its line" \
    "$(sq "$DB" "SELECT line || ' ' || error_type FROM load_reject WHERE load_id = $L")" \
    "12 UNKNOWN_CODE"
check "load_log: read = loaded + rejected, HS revision and year from the rows" \
    "$(sq "$DB" "SELECT rows_read || ' ' || rows_loaded || ' ' || rows_rejected || ' ' ||
                 classification || ' ' || data_year FROM load_log WHERE load_id = $L")" \
    "12 11 1 H5 2021"
check "World row as W00" "$(value "$DB" 2021 RUS W00 X)" "5000000"
check "X to Iran: the TOTAL row only" "$(value "$DB" 2021 RUS IRN X)" "3000000"
check "RX with decimals rounded half away from zero" "$(value "$DB" 2021 RUS IRN RX)" "250001"
check "MIP flow" "$(value "$DB" 2021 RUS CHN MIP)" "700000"
check "M from Iran: breakdowns by transport and customs not added" \
    "$(value "$DB" 2021 RUS IRN M)" "900000"
check "unknown numeric code resolved by its ISO column (158 -> TWN)" \
    "$(value "$DB" 2021 RUS TWN X)" "60000"
check "three breakdown rows, 800000 in all" \
    "$(sq "$DB" "SELECT count(*) || ' ' || sum(value_usd) FROM fact_trade_breakdown
                 WHERE load_id = $L")" "3 800000"
check "N/A units, qty 0, estimated netWgt 0: NULL quantity and weight" \
    "$(sq "$DB" "SELECT sum(qty IS NULL) || ' ' || sum(qty_unit IS NULL) || ' ' ||
                 sum(net_wgt_kg IS NULL) || ' ' || count(*) FROM fact_trade WHERE load_id = $L")" \
    "7 7 7 8"
check "HS6 row: quantity, unit, weight, estimated-quantity flag" \
    "$(sq "$DB" "SELECT qty || ' ' || qty_unit || ' ' || net_wgt_kg || ' ' || flags
                 FROM fact_trade f JOIN dim_product p USING (product_id)
                 WHERE p.code = '100199'")" \
    "1000.0 kg 1000.0 1"
check "quoted description with a comma kept whole" \
    "$(sq "$DB" "SELECT description FROM dim_product WHERE code = '100199'
                 AND classification = 'H5'")" \
    "Wheat and meslin; other than durum wheat, other than seed"
check "import row: CIF value, no FOB" \
    "$(sq "$DB" "SELECT cif_usd || ' ' || coalesce(fob_usd, 'NULL') FROM fact_trade
                 WHERE load_id = $L AND flow = 'M'")" "900000 NULL"
expect_rc "same bytes again exits 0" 0 "$TR" import --db "$DB" "$PLUS"
check_grep "same bytes: already loaded" "already loaded as load $L" "$WORK/out"

MON=$TINY/comtrade_plus_M_2022_TUR_no_trailing_comma.csv
expect_rc "rows without the trailing comma (47 fields) import" 0 "$TR" import --db "$DB" "$MON"
check_grep "15 rows loaded" "15 rows read, 15 loaded, 0 rejected" "$WORK/out"
check "12 months: complete" \
    "$(q "$DB" "SELECT value_usd || ' ' || is_partial || ' ' || months FROM v_trade_annual
               WHERE year = 2022 AND reporter = 'TUR' AND flow = 'X'")" "12078 0 12"
check "3 months: partial" \
    "$(q "$DB" "SELECT value_usd || ' ' || is_partial || ' ' || months FROM v_trade_annual
               WHERE year = 2022 AND reporter = 'TUR' AND flow = 'M'")" "600 1 3"

# bad rows made from the tiny file: each rejected with its line, type and column
sed -e '2s/"5000000","0",/"12x","0",/' -e '3s/"3000000","3000000","0"/"3000000",,"0"/' \
    -e '6s/"RX","Re-export"/"ZZ","Re-export"/' -e '7s/"H5","HS"/"S4","HS"/' "$PLUS" \
    > "$WORK/bad_plus.csv"
expect_rc "bad values: --max-rejects 5 commits the rest" 0 \
    "$TR" import --db "$WORK/bad.db" --max-rejects 5 "$WORK/bad_plus.csv"
check "bad values: each reject with line, type and column" \
    "$(sq "$WORK/bad.db" "SELECT group_concat(line || ' ' || error_type || ' ' || column_name, '; ')
                          FROM (SELECT * FROM load_reject ORDER BY line)")" \
    "2 BAD_NUMBER primaryValue; 3 MISSING_VALUE primaryValue; 6 UNKNOWN_CODE flowCode; \
7 UNKNOWN_CODE classificationCode; 12 UNKNOWN_CODE partnerCode"
check "bad values: 12 read, 7 loaded" \
    "$(sq "$WORK/bad.db" "SELECT rows_read || ' ' || rows_loaded FROM load_log")" "12 7"

sed '5s/$/,/' "$MON" > "$WORK/mixed.csv"
expect_rc "a trailing comma on one row of a 47-field file is rejected" 3 \
    "$TR" import --db "$WORK/mixed.db" "$WORK/mixed.csv"
check "mixed widths: FIELD_COUNT at line 5" \
    "$(sq "$WORK/mixed.db" "SELECT line || ' ' || error_type FROM load_reject")" "5 FIELD_COUNT"
{ head -n 2 "$PLUS"; sed -n 3p "$PLUS" | cut -d, -f1-30 | tr -d '\n'; } > "$WORK/cut.csv"
expect_rc "a file cut after a comma in its last row fails, whatever --max-rejects" 3 \
    "$TR" import --db "$WORK/cut.db" --max-rejects 5 "$WORK/cut.csv"
check_grep "cut file: reported as truncated" "truncated file" "$WORK/err"
expect_rc "--format comtrade on a legacy file fails" 3 \
    "$TR" import --db "$WORK/cut.db" --format comtrade "$TINY/comtrade_legacy_M_2015_IRN.csv"

# ---------- hand-worked: legacy ----------
FULL=$TINY/comtrade_legacy_full_2015_EU2.csv
expect_rc "legacy 35-column file imports" 0 "$TR" import --db "$DB" "$FULL"
L=$(sq "$DB" "SELECT max(load_id) FROM load_log")
check "format detected, 'HS' as reported read as H4 for 2015" \
    "$(sq "$DB" "SELECT format || ' ' || classification || ' ' || rows_loaded FROM load_log
                 WHERE load_id = $L")" "comtrade-legacy H4 9"
check "EU-28 (97) imports from World" "$(value "$DB" 2015 EU2 W00 M)" "1000000"
check "explicit total codes 0/C00/0 count, breakdowns do not" "$(value "$DB" 2015 EU2 RUS M)" \
    "600000"
check "exports: TOTAL row, not the HS6 row or the transport breakdown" \
    "$(value "$DB" 2015 EU2 RUS X)" "400000"
check "flow 3 is RX" "$(value "$DB" 2015 EU2 RUS RX)" "30000"
check "flow 4 is RM" "$(value "$DB" 2015 EU2 RUS RM)" "20000"
check "three breakdown rows, 450000 in all" \
    "$(sq "$DB" "SELECT count(*) || ' ' || sum(value_usd) FROM fact_trade_breakdown
                 WHERE load_id = $L")" "3 450000"
check "Qty Unit 1 (No Quantity): NULL; unit 8: kg with Flag 2 = quantity estimated" \
    "$(sq "$DB" "SELECT group_concat(coalesce(qty_unit, 'NULL') || ' ' || coalesce(qty, 'NULL')
                 || ' ' || flags, '; ') FROM (SELECT * FROM fact_trade WHERE load_id = $L
                 AND flow = 'X' ORDER BY value_usd)")" "kg 5000.0 1; NULL NULL 0"

SHORTF=$TINY/comtrade_legacy_M_2015_IRN.csv
expect_rc "legacy 22-column monthly file imports" 0 "$TR" import --db "$DB" "$SHORTF"
check "two months of 2015: partial, TOTAL rows only" \
    "$(q "$DB" "SELECT value_usd || ' ' || is_partial || ' ' || months FROM v_trade_annual
               WHERE year = 2015 AND reporter = 'IRN' AND partner = 'RUS' AND flow = 'M'")" \
    "300 1 2"
check "unit code 5 stored as u" \
    "$(sq "$DB" "SELECT qty_unit || ' ' || qty || ' ' || month FROM fact_trade
                 WHERE qty IS NOT NULL AND reporter_id = 364")" "u 12.0 2"
expect_rc "check passes on the tiny database" 0 "$TR" check --db "$DB"
finish
