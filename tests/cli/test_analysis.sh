#!/bin/sh
# Analysis on the BACI fixtures: v_trade against the raw files read with Python's csv module,
# every recipe of doc/cookbook.md answered the same way (tests/cli/analysis_expect.py), each
# kind of question read through an access path (EXPLAIN QUERY PLAN), codes in any case, World
# as WLD, and country groups by year.
. tests/cli/lib.sh
suite analysis
DB=$WORK/a.db
expect_rc "BACI fixtures import" 0 "$TR" import --db "$DB" "$FIX"/baci/*.csv

# v_trade holds every fact once: row count and value against the CSV files.
want=$("$PY" - "$FIX/baci" <<'PYEOF'
import csv, glob, sys
from decimal import Decimal
n = v = 0
for p in glob.glob(sys.argv[1] + '/BACI_*.csv'):
    for r in csv.DictReader(open(p, encoding='utf-8-sig')):
        n += 1; v += int(Decimal(r['v'].strip()) * 1000)
print(n, v)
PYEOF
)
check "v_trade: every fact once (rows, US$) as in the CSV files" \
    "$(q "$DB" "SELECT count(*) || ' ' || sum(value_usd) FROM v_trade")" "$want"
check "v_trade: one row per fact_trade row" \
    "$(q "$DB" "SELECT count(*) FROM v_trade")" "$(sq "$DB" "SELECT count(*) FROM fact_trade")"
check "v_trade: BACI weight NA is NULL, never 0" \
    "$(q "$DB" "SELECT count(*) FROM v_trade WHERE net_wgt_kg IS NULL")" \
    "$(awk -F, 'FNR > 1 && $6 ~ /^ *NA/' "$FIX"/baci/BACI_*.csv | wc -l | tr -d ' ')"
check "v_trade: names of one hand-checked fact (2021 ARM→BLR 220820, 142,798.202 k$)" \
    "$(q "$DB" "SELECT source||' '||classification||' '||month||' '||flow||' '||level||' '||chapter||' '||section||' '||value_usd||' '||net_wgt_kg FROM v_trade WHERE reporter='ARM' AND partner='BLR' AND year=2021 AND product='220820'")" \
    "baci H5 0 X HS6 22 IV 142798202 28318545.0"

# hs_chapter against the HS 2022 nomenclature (fixtures/hs-nomenclature/README.md)
check "hs_chapter: chapter → section as in HS 2022" \
    "$(sq "$DB" "SELECT chapter || ',' || section FROM hs_chapter WHERE chapter <> '77' ORDER BY 1")" \
    "$(tail -n +2 "$FIX/hs-nomenclature/chapters_HS2022.csv")"

# The cookbook: each recipe's SQL, run by the tool, equals Python's answer from the CSV files.
recipe() { awk -v id="-- cookbook:$1" '$0 == id {f = 1; next} f && /^```/ {exit} f' doc/cookbook.md; }
for id in Q1 Q2 Q3 Q4 Q5 Q6 Q7 Q8 Q9 Q10 P1 P2 P3; do
    "$TR" query --db "$DB" --tsv "$(recipe $id)" > "$WORK/$id.tsv" 2> "$WORK/err"
    check "cookbook $id equals the CSV files read with Python" \
        "$("$PY" tests/cli/analysis_expect.py "$id" "$WORK/$id.tsv" 2>&1)" "ok"
done

# The sums over partners kept at import, row by row, against the CSV files read with Python;
# and equal to v_trade summed in SQL, weights included.
"$TR" query --db "$DB" --tsv "SELECT year, reporter, product, value_usd, net_wgt_kg, facts
    FROM v_trade_product WHERE source = 'baci'" > "$WORK/TP.tsv"
check "v_trade_product equals the CSV files summed over partners (value, kg, rows)" \
    "$("$PY" tests/cli/analysis_expect.py TP "$WORK/TP.tsv" 2>&1)" "ok"
"$TR" query --db "$DB" --tsv "SELECT year, reporter, chapter, section, value_usd, facts
    FROM v_trade_chapter WHERE source = 'baci' AND level = 'HS6'" > "$WORK/TC.tsv"
check "v_trade_chapter equals the CSV files summed by chapter (value, rows, section)" \
    "$("$PY" tests/cli/analysis_expect.py TC "$WORK/TC.tsv" 2>&1)" "ok"
check "v_trade_product's weights are v_trade's, NULL where none was reported" \
    "$(q "$DB" "SELECT count(*) FROM (SELECT year, reporter, product, sum(net_wgt_kg) AS kg
        FROM v_trade GROUP BY 1, 2, 3) t JOIN v_trade_product p USING (year, reporter, product)
        WHERE abs(coalesce(p.net_wgt_kg, -1) - coalesce(t.kg, -1)) > 1e-6 * abs(coalesce(t.kg, 1))")" "0"

# `check` proves the sums over partners equal to the facts: a changed, an extra and a missing
# summary row are each found
cp "$DB" "$WORK/t1.db"; cp "$DB" "$WORK/t2.db"; cp "$DB" "$WORK/t3.db"
sqlite3 "$WORK/t1.db" "UPDATE sum_product SET value_usd = value_usd + 1 WHERE product_id =
    (SELECT min(product_id) FROM sum_product)"
sqlite3 "$WORK/t2.db" "INSERT INTO sum_product SELECT source_id, year, reporter_id, month, flow,
    product_id + 100000, value_usd, facts, net_wgt_kg, facts_with_weight FROM sum_product LIMIT 1"
sqlite3 "$WORK/t3.db" "DELETE FROM sum_chapter WHERE chapter = (SELECT min(chapter) FROM sum_chapter)"
expect_rc "check finds a sum_product value that differs from the facts" 1 "$TR" check --db "$WORK/t1.db"
check_grep "... and names it" "FAIL partner_sums_match.sql: sum_product differs from the facts" "$WORK/out"
expect_rc "check finds a sum_product row without facts" 1 "$TR" check --db "$WORK/t2.db"
check_grep "... by the row counts" "sum_product has [0-9]* rows, the facts [0-9]* groups" "$WORK/out"
expect_rc "check finds missing sum_chapter rows" 1 "$TR" check --db "$WORK/t3.db"
check_grep "... and names them" "sum_chapter differs from sum_product for reporter" "$WORK/out"

# Access paths: no question reads all facts unless it asks about all of them (Q4, Q9 read
# the sums over partners instead); a country filter starts at the country; a product filter
# reads each fact by its exact key.
plan() { sqlite3 "$DB" "EXPLAIN QUERY PLAN $1" > "$WORK/plan"; }
no_full_scan() {
    if grep -qE "SCAN (f|fact_trade_packed)( |$)|SEARCH f USING AUTOMATIC" "$WORK/plan"; then
        not_ok "$1" "$(cat "$WORK/plan")"
    else ok "$1"; fi
}
no_scan_at_all() {
    if grep -qE "SCAN (f|g|fact_trade_packed|sum_trade)( |$)" "$WORK/plan"; then
        not_ok "$1" "$(cat "$WORK/plan")"
    else ok "$1"; fi
}
for id in Q1 Q2 Q3 Q5 Q6 Q7 Q8 Q10 P1 P2; do
    plan "$(recipe $id)"
    no_scan_at_all "cookbook $id: only the country's key ranges are read"
done
plan "$(recipe P3)"
no_full_scan "cookbook P3: facts read by key range, never scanned"
# the sums over partners: each source and year sought by key (with the reporter if asked)
sums_only() {
    if grep -qE "SCAN g( |$)|SEARCH f |SCAN f( |$)|fact_trade_packed" "$WORK/plan"; then
        not_ok "$1" "$(cat "$WORK/plan")"
    else ok "$1"; fi
}
for id in Q4 Q9; do
    plan "$(recipe $id)"
    sums_only "cookbook $id: reads the sums kept at import, no fact"
done
for v in v_trade_product v_trade_chapter; do
    for w in "year = 2021" "reporter = 'tur'" "reporter = 'Chn' AND year BETWEEN 2019 AND 2020"; do
        plan "SELECT year, reporter, SUM(value_usd) FROM $v WHERE $w GROUP BY 1, 2"
        sums_only "$v WHERE $w: sought by key"
    done
done
plan "SELECT year, SUM(value_usd) FROM v_trade_product WHERE reporter = 'tur' AND year = 2020 GROUP BY 1"
check_grep "a reporter and year read only that reporter's rows of the year" \
    "SEARCH g USING PRIMARY KEY \(source_id=\? AND year=\? AND reporter_id=\?\)" "$WORK/plan"
# the same kinds with other countries, products, years and lower case
for w in "partner = 'kaz'" "reporter = 'tur' AND year = 2020" "partner = 'irn' AND product = '870323'" \
         "reporter = 'Chn' AND partner IN ('rus', 'blr')"; do
    plan "SELECT year, reporter, partner, product, SUM(value_usd) FROM v_trade WHERE $w GROUP BY 1, 2, 3, 4"
    no_scan_at_all "v_trade WHERE $w: read through an index"
done
plan "SELECT year, reporter, SUM(value_usd) FROM v_trade WHERE partner = 'rus' AND product = '854231' GROUP BY 1, 2"
check_grep "a product filter reads each fact by its exact key" "SEARCH f USING INTEGER PRIMARY KEY \(rowid=\?\)" "$WORK/plan"
plan "SELECT year, reporter, SUM(value_usd) FROM v_trade WHERE partner = 'rus' AND chapter = '85' GROUP BY 1, 2"
check_grep "a chapter filter finds its products by index" "dim_product_chapter" "$WORK/plan"
plan "SELECT year, SUM(value_usd) FROM v_trade WHERE partner = 'rus'"
check_grep "a partner filter starts at the country's code (any case)" "SEARCH p USING COVERING INDEX dim_country_iso3_nocase" "$WORK/plan"

# Codes as people type them
check "lower-case codes match (v_trade)" \
    "$(q "$DB" "SELECT count(*) FROM v_trade WHERE reporter = 'chn' AND partner = 'Rus'")" \
    "$(q "$DB" "SELECT count(*) FROM v_trade WHERE reporter = 'CHN' AND partner = 'RUS'")"
check "lower-case codes match (v_trade_annual, v_bilateral_annual)" \
    "$(q "$DB" "SELECT (SELECT count(*) FROM v_trade_annual WHERE reporter = 'irn' AND partner = 'rus') || ' ' || (SELECT count(*) FROM v_bilateral_annual WHERE a = 'irn' AND b = 'rus')")" \
    "4 4"
check "World answers to WLD and W00 in any case" \
    "$(q "$DB" "SELECT group_concat(DISTINCT iso3) || ' ' || count(*) FROM v_country WHERE code IN ('wld', 'W00')")" "W00 2"
check "EU: 28 members in 2020 (UK through the transition), 27 from 2021" \
    "$(q "$DB" "SELECT group_concat(n, ' ') FROM (SELECT count(*) AS n FROM v_country_group WHERE group_code = 'EU' AND year IN (2020, 2021) GROUP BY year ORDER BY year)")" \
    "28 27"
check "BRICS 2024: the nine members" \
    "$(q "$DB" "SELECT group_concat(iso3, ' ') FROM (SELECT iso3 FROM v_country_group WHERE group_code = 'brics' AND year = 2024 ORDER BY iso3)")" \
    "ARE BRA CHN EGY ETH IND IRN RUS ZAF"
check "EAEU: Armenia and Kyrgyzstan from 2015, none in 2014" \
    "$(q "$DB" "SELECT (SELECT count(*) FROM v_country_group WHERE group_code = 'EAEU' AND year = 2014) || ' ' || (SELECT group_concat(iso3, ' ') FROM (SELECT iso3 FROM v_country_group WHERE group_code = 'EAEU' AND year = 2015 ORDER BY iso3))")" \
    "0 ARM BLR KAZ KGZ RUS"
# tradereport schema and help views: one source (sql/schema_doc.tsv) for every object.
"$TR" help views | awk '{print $1}' | sort > "$WORK/doc_names"
sq "$DB" "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite%' ORDER BY name" | sort > "$WORK/db_names"
check "help views names every table and view of a new database, and no other" \
    "$(diff "$WORK/doc_names" "$WORK/db_names")" ""
undescribed=""
for o in $(cat "$WORK/db_names"); do
    "$TR" schema --db "$DB" "$o" > "$WORK/schema_o" 2>&1 || undescribed="$undescribed $o(rc)"
    grep -q "(not described)" "$WORK/schema_o" && undescribed="$undescribed $o"
done
check "schema NAME describes every column of every table and view" "$undescribed" ""
check "schema v_trade: the columns an economist asked for, in order" \
    "$("$TR" schema --db "$DB" v_trade | awk 'NR > 3 {printf "%s ", $1}')" \
    "source classification year month reporter partner flow product level chapter section description value_usd net_wgt_kg qty qty_unit load_id "
check "schema v_trade: value_usd in US\$, weight in kg" \
    "$("$TR" schema --db "$DB" v_trade | awk '$1 == "value_usd" || $1 == "net_wgt_kg" {printf "%s=%s ", $1, $2}')" \
    "value_usd=US\$ net_wgt_kg=kg "
sqlite3 "$DB" "CREATE VIEW my_pairs AS SELECT 1 AS n"
check_grep "schema lists a user's own view as not described by tradereport" \
    "^my_pairs .*not described by tradereport" /dev/stdin <<EOF2
$("$TR" schema --db "$DB")
EOF2
expect_rc "schema of an unknown name exits 1" 1 "$TR" schema --db "$DB" no_such_view
check_grep "and says which name" "no table or view named 'no_such_view'" "$WORK/err"
awk '/^<!-- schema:begin/ {f = 1; next} /^<!-- schema:end/ {f = 0} f' README.md > "$WORK/readme_schema"
check "README's schema section is tools/schema_readme.sh's text (sql/schema_doc.tsv)" \
    "$(sh tools/schema_readme.sh | diff - "$WORK/readme_schema")" ""
finish
