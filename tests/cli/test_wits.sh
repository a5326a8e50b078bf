#!/bin/sh
# WITS bulk trade (--format wits-trade) and WITS/TRAINS tariff files (--format wits-tariff:
# AVEMFN, AVEPref, Pref). Trade totals are compared with the independent reader
# tests/tools/fixture_totals.py; tariff counts and figures with python's csv module or with the
# hand-worked fixtures/tiny-wits/README.md. Never with numbers the tool computed itself.
. tests/cli/lib.sh
suite wits
TRADE=$FIX/wits-trade/WITS_HS6_KAZ_ARM_RUS_IRN_2018-2022.csv
TAR=$FIX/wits-tariff
MFN=$TAR/AVEMFN_H6_364_643_2022_2024.csv
MFN25=$TAR/AVEMFN_H6_364_643_2025.csv
PREF25=$TAR/AVEPref_H6_364_643_EAEU_2025.csv

# pycount FILE [PREDICATE]: python's count of the data rows of FILE (csv.DictReader), or of those
# for which the Python expression PREDICATE holds for the row r.
pycount() {
    $PY - "$1" "${2:-True}" <<'EOF'
import csv, sys
with open(sys.argv[1], newline="") as f:
    print(sum(1 for r in csv.DictReader(f) if eval(sys.argv[2])))
EOF
}

# pycut MFN_FILE PREF_FILE REPORTER YEAR PARTNER: "cut base" = products whose preferential
# simple average is below the MFN one, out of products where both averages are numbers.
pycut() {
    $PY - "$@" <<'EOF'
import csv, sys
mfn_path, pref_path, rep, year, partner = sys.argv[1:]
def averages(path, want_partner):
    out = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            if r["Reporter_ISO_N"] != rep or r["Year"] != year:
                continue
            if want_partner is not None and r["Partner"] != want_partner:
                continue
            try:
                out[r["ProductCode"].zfill(6)] = float(r["SimpleAverage"])
            except ValueError:
                pass
    return out
m, p = averages(mfn_path, None), averages(pref_path, partner)
both = [k for k in m if k in p]
print(sum(1 for k in both if p[k] < m[k]), len(both))
EOF
}

# lineage DB: "read loaded rejected replaced status format" of the latest load.
lineage() {
    sq "$1" "SELECT rows_read || ' ' || rows_loaded || ' ' || rows_rejected || ' ' ||
             rows_replaced || ' ' || status || ' ' || format FROM load_log
             ORDER BY load_id DESC LIMIT 1"
}

# ---------- WITS bulk trade ----------
DB=$WORK/trade.db
n=$(pycount "$TRADE")
expect_rc "WITS trade file imports (format detected)" 0 "$TR" import --db "$DB" "$TRADE"
check "trade lineage: every row read is loaded" "$(lineage "$DB")" "$n $n 0 0 committed wits-trade"
"$TR" query --db "$DB" --tsv "SELECT 'wits-trade', year, reporter, partner, flow, value_usd
    FROM v_trade_annual WHERE source = 'wits'" | sed 1d | sort > "$WORK/got"
$PY tests/tools/fixture_totals.py wits-trade "$TRADE" | sort > "$WORK/want"
check "v_trade_annual equals the independent reader (all keys)" "$(cat "$WORK/got")" "$(cat "$WORK/want")"
check "independent reader found keys" "$(test -s "$WORK/want" && echo yes)" "yes"
# 4.00E+03 thousand US$ (Armenia's 2020 exports of 854231 to Russia) = 4,000,000 US$ by hand
check "scientific notation 4.00E+03 is US\$ 4,000,000 exactly" \
    "$(sq "$DB" "SELECT f.value_usd FROM fact_trade f JOIN dim_product p USING (product_id)
                 JOIN dim_country r ON r.country_id = f.reporter_id
                 WHERE r.iso3 = 'ARM' AND f.year = 2020 AND f.flow = 'X' AND p.code = '854231'")" \
    "4000000"
check "N.Q. and empty quantities are NULL (count from python)" \
    "$(sq "$DB" "SELECT count(*) FROM fact_trade WHERE source_id = 3 AND qty IS NULL")" \
    "$(pycount "$TRADE" 'r["QtyUnit"] == "N.Q." or r["Quantity"] == ""')"
check "an N.Q. row has neither quantity nor unit" \
    "$(sq "$DB" "SELECT coalesce(qty, 'NULL') || ' ' || coalesce(qty_unit, 'NULL') FROM fact_trade f
                 JOIN dim_product p USING (product_id) JOIN dim_country r ON r.country_id = f.reporter_id
                 WHERE r.iso3 = 'KAZ' AND f.year = 2018 AND f.flow = 'M' AND p.code = '720712'")" \
    "NULL NULL"
check "product 80410 is stored as 080410" \
    "$(sq "$DB" "SELECT count(DISTINCT code) FROM dim_product WHERE code = '080410'") $(sq "$DB" "SELECT count(*) FROM dim_product WHERE length(code) = 5")" \
    "1 0"
check "flows M and X as python counts TradeFlowCode 5 and 6" \
    "$(sq "$DB" "SELECT sum(flow = 'M') || ' ' || sum(flow = 'X') FROM fact_trade")" \
    "$(pycount "$TRADE" 'r["TradeFlowCode"] == "5"') $(pycount "$TRADE" 'r["TradeFlowCode"] == "6"')"
check "one value per row: no separate CIF or FOB figure invented" \
    "$(sq "$DB" "SELECT count(*) FROM fact_trade WHERE cif_usd IS NOT NULL OR fob_usd IS NOT NULL")" "0"
expect_rc "check passes after a WITS trade import" 0 "$TR" check --db "$DB"
expect_rc "the same trade file again exits 0" 0 "$TR" import --db "$DB" "$TRADE"
check_grep "the same trade file is already loaded" "already loaded" "$WORK/out"

# hand-worked (fixtures/tiny-wits/README.md)
TDB=$WORK/tiny.db
expect_rc "tiny WITS trade file imports" 0 "$TR" import --db "$TDB" --format wits-trade \
    "$FIX/tiny-wits/WITS_tiny_trade.csv"
check "tiny: KAZ imports from IRN 2021 = 15,000 + 2,970,000 + 1,234,567" \
    "$(q "$TDB" "SELECT value_usd FROM v_trade_annual WHERE reporter = 'KAZ' AND partner = 'IRN' AND year = 2021 AND flow = 'M'")" \
    "4219567"
check "tiny: the Total row wins over the HS6 row below it (WLD is World)" \
    "$(q "$TDB" "SELECT value_usd FROM v_trade_annual WHERE reporter = 'KAZ' AND partner = 'W00' AND year = 2021 AND flow = 'X'")" \
    "60400000000"
check "tiny: ARM to RUS 2021 and RUS to IRN 2024 (H6)" \
    "$(q "$TDB" "SELECT group_concat(value_usd, ' ') FROM (SELECT value_usd FROM v_trade_annual WHERE (reporter, partner) IN (VALUES ('ARM', 'RUS'), ('RUS', 'IRN')) ORDER BY year)")" \
    "42500 350000"
check "tiny: quantity 1.2E+03 is 1200" \
    "$(sq "$TDB" "SELECT qty || ' ' || qty_unit FROM fact_trade JOIN dim_product USING (product_id) WHERE code = '080510'")" \
    "1200.0 Kg"
check "tiny: Total is stored as the all-goods code TOTAL" \
    "$(sq "$TDB" "SELECT level FROM dim_product WHERE code = 'TOTAL'")" "0"

# ---------- WITS/TRAINS tariffs ----------
DB=$WORK/tariff.db
for f in "$TAR"/*.csv; do
    expect_rc "tariff $(basename "$f") imports (format detected)" 0 "$TR" import --db "$DB" "$f"
    n=$(pycount "$f")
    check "tariff $(basename "$f"): lineage" "$(lineage "$DB")" "$n $n 0 0 committed wits-tariff"
done
# counted after all five files: MFN, AVEPref and Pref rows of one importer and year never
# replace each other
for f in "$TAR"/*.csv; do
    check "tariff $(basename "$f"): stored rows = python's data rows" \
        "$(sq "$DB" "SELECT count(*) FROM fact_tariff t JOIN load_log l USING (load_id)
                     WHERE l.file_name = '$(basename "$f")' AND l.status = 'committed'")" \
        "$(pycount "$f")"
done
check "duty types and variants" \
    "$(sq "$DB" "SELECT group_concat(x, ' ') FROM (SELECT dataset || ':' || duty_type || ':' || count(*) AS x FROM fact_tariff GROUP BY dataset, duty_type ORDER BY dataset)")" \
    "AVEMFN:MFN:$(( $(pycount "$MFN") + $(pycount "$MFN25") )) AVEPref:PRF:$(( $(pycount "$TAR/AVEPref_H6_364_643_EAEU_2022_2024.csv") + $(pycount "$PREF25") )) Pref:PRF:$(pycount "$TAR/Pref_H6_364_643_EAEU_2024.csv")"
check "NA on all lines (Russia 2022 240220) is stored with NULL averages, not 0" \
    "$(sq "$DB" "SELECT coalesce(simple_avg, 'NULL') || ' ' || coalesce(min_rate, 'NULL') || ' ' || n_na_lines || ' ' || n_lines
                 FROM fact_tariff t JOIN dim_product p USING (product_id)
                 WHERE dataset = 'AVEMFN' AND importer_id = 643 AND year = 2022 AND p.code = '240220'")" \
    "NULL NULL 2 2"
check "no row without ad-valorem lines has an average" \
    "$(sq "$DB" "SELECT count(*) FROM fact_tariff WHERE n_na_lines = n_lines AND simple_avg IS NOT NULL")" "0"
check "empty Pref rates are NULL (count from python)" \
    "$(sq "$DB" "SELECT count(*) FROM fact_tariff WHERE dataset = 'Pref' AND simple_avg IS NULL")" \
    "$(pycount "$TAR/Pref_H6_364_643_EAEU_2024.csv" 'r["SimpleAverage"] == ""')"
check "a partly NA row keeps its average (Russia 2022 640399: 13.75)" \
    "$(sq "$DB" "SELECT simple_avg || ' ' || n_na_lines || '/' || n_lines FROM fact_tariff t JOIN dim_product p USING (product_id)
                 WHERE dataset = 'AVEMFN' AND importer_id = 643 AND year = 2022 AND p.code = '640399'")" \
    "13.75 1/3"
check "10121 is stored as 010121 (rows from python)" \
    "$(sq "$DB" "SELECT count(*) FROM fact_tariff t JOIN dim_product p USING (product_id)
                 JOIN load_log l USING (load_id) WHERE p.code = '010121' AND l.file_name = '$(basename "$MFN")'")" \
    "$(pycount "$MFN" 'r["ProductCode"] == "10121"')"
check "no five-digit HS6 codes" "$(sq "$DB" "SELECT count(*) FROM dim_product WHERE classification = 'H6' AND length(code) <> 6")" "0"
check "a rate as the file gives it (Iran 2022 020130 for EAEU: 15.6)" \
    "$(sq "$DB" "SELECT simple_avg FROM fact_tariff t JOIN dim_product p USING (product_id)
                 WHERE dataset = 'AVEPref' AND importer_id = 364 AND year = 2022 AND p.code = '020130'")" \
    "15.6"
check "group partner EAEU kept as given, without a country id" \
    "$(sq "$DB" "SELECT count(*) FROM fact_tariff WHERE partner_code = 'EAEU' AND partner_id IS NULL AND dataset = 'AVEPref'")" \
    "$(( $(pycount "$TAR/AVEPref_H6_364_643_EAEU_2022_2024.csv" 'r["Partner"] == "EAEU"') + $(pycount "$PREF25" 'r["Partner"] == "EAEU"') ))"
check "partner 364 is resolved to Iran" \
    "$(sq "$DB" "SELECT group_concat(DISTINCT c.iso3) FROM fact_tariff t JOIN dim_country c ON c.country_id = t.partner_id WHERE t.partner_code = '364'")" \
    "IRN"
check "EAEU expands to its five members" \
    "$(sq "$DB" "SELECT group_concat(iso3, ' ') FROM (SELECT c.iso3 FROM tariff_partner_group g JOIN dim_country c USING (country_id) WHERE g.group_code = 'EAEU' ORDER BY c.iso3)")" \
    "ARM BLR KAZ KGZ RUS"
check "MFN rows have no partner" "$(sq "$DB" "SELECT count(*) FROM fact_tariff WHERE duty_type = 'MFN' AND partner_code IS NOT NULL")" "0"
for spec in "364 2025 EAEU $PREF25 $MFN25" "643 2022 364 $TAR/AVEPref_H6_364_643_EAEU_2022_2024.csv $MFN"; do
    set -- $spec
    check "lines cut below MFN, importer $1 $2 for $3 (as python counts)" \
        "$(sq "$DB" "SELECT sum(p.simple_avg < m.simple_avg) || ' ' || count(*) FROM fact_tariff p
                     JOIN fact_tariff m ON m.importer_id = p.importer_id AND m.year = p.year
                      AND m.nomenclature = p.nomenclature AND m.product_id = p.product_id
                      AND m.dataset = 'AVEMFN'
                     WHERE p.dataset = 'AVEPref' AND p.importer_id = $1 AND p.year = $2
                       AND p.partner_code = '$3' AND p.simple_avg IS NOT NULL AND m.simple_avg IS NOT NULL")" \
        "$(pycut "$5" "$4" "$1" "$2" "$3")"
done

# a corrected MFN file for one importer and year replaces that partition, nothing else
total=$(sq "$DB" "SELECT count(*) FROM fact_tariff")
mfn_load=$(sq "$DB" "SELECT load_id FROM load_log WHERE file_name = '$(basename "$MFN")'")
(head -n 1 "$MFN"; grep '^H6,364,2022,' "$MFN" | sed 's/^H6,364,2022,10121,52,26,26,26,/H6,364,2022,10121,50,24,26,25,/') \
    > "$WORK/AVEMFN_H6_364_2022_fix.csv"
check "the corrected file differs in one row" \
    "$(grep '^H6,364,2022,' "$MFN" | diff - "$WORK/AVEMFN_H6_364_2022_fix.csv" | grep -c '^> H6')" "1"
n=$(pycount "$WORK/AVEMFN_H6_364_2022_fix.csv")
expect_rc "corrected MFN file imports" 0 "$TR" import --db "$DB" "$WORK/AVEMFN_H6_364_2022_fix.csv"
check "corrected MFN file replaced the old partition" "$(lineage "$DB")" \
    "$n $n 0 $(pycount "$MFN" 'r["Reporter_ISO_N"] == "364" and r["Year"] == "2022"') committed wits-tariff"
check_grep "import reports the replaced rows" "replaced $n earlier rows" "$WORK/out"
check "the corrected rate is visible" \
    "$(sq "$DB" "SELECT group_concat(simple_avg) FROM fact_tariff t JOIN dim_product p USING (product_id)
                 WHERE dataset = 'AVEMFN' AND importer_id = 364 AND year = 2022 AND p.code = '010121'")" "25.0"
check "row count unchanged" "$(sq "$DB" "SELECT count(*) FROM fact_tariff")" "$total"
check "the earlier load keeps its other partitions" \
    "$(sq "$DB" "SELECT status || ' ' || (SELECT count(*) FROM fact_tariff WHERE load_id = $mfn_load) FROM load_log WHERE load_id = $mfn_load")" \
    "committed $(pycount "$MFN" 'not (r["Reporter_ISO_N"] == "364" and r["Year"] == "2022")')"
check "Iran 2022 preferences untouched by the MFN correction" \
    "$(sq "$DB" "SELECT count(*) FROM fact_tariff WHERE importer_id = 364 AND year = 2022 AND duty_type = 'PRF'")" \
    "$(pycount "$TAR/AVEPref_H6_364_643_EAEU_2022_2024.csv" 'r["Reporter_ISO_N"] == "364" and r["Year"] == "2022"')"
# a corrected copy of a whole file supersedes the earlier load
sed 's/^H6,643,2025,10121,/H6,643,2025,010121,/' "$MFN25" > "$WORK/AVEMFN_2025_again.csv"
old25=$(sq "$DB" "SELECT load_id FROM load_log WHERE file_name = '$(basename "$MFN25")'")
expect_rc "a whole MFN file delivered again imports" 0 "$TR" import --db "$DB" "$WORK/AVEMFN_2025_again.csv"
check "the earlier whole-file load is superseded" \
    "$(sq "$DB" "SELECT status || ' ' || (SELECT count(*) FROM fact_tariff WHERE load_id = $old25) FROM load_log WHERE load_id = $old25")" \
    "superseded 0"
check "row count unchanged after the whole file" "$(sq "$DB" "SELECT count(*) FROM fact_tariff")" "$total"
total=$(sq "$DB" "SELECT count(*) FROM fact_tariff")
expect_rc "the same tariff bytes again exit 0" 0 "$TR" import --db "$DB" "$MFN"
check "the same tariff bytes change nothing" "$(sq "$DB" "SELECT count(*) FROM fact_tariff")" "$total"

# trade and tariffs of one reporter, year and revision are separate partitions
expect_rc "a WITS trade file for Russia H6 2024 beside Russia's 2024 tariffs" 0 \
    "$TR" import --db "$DB" "$FIX/tiny-wits/WITS_tiny_trade.csv"
check "trade did not replace tariffs" "$(lineage "$DB") $(sq "$DB" "SELECT count(*) FROM fact_tariff")" \
    "7 7 0 0 committed wits-trade $total"

# rejects
(head -n 3 "$MFN25"; echo "H6,999,2025,10121,47,21,26,23.5,0,0,0,2,2,2,0"; sed -n '4,10p' "$MFN25") \
    > "$WORK/AVEMFN_bad_reporter.csv"
expect_rc "an unknown reporter code fails the file (exit 3)" 3 "$TR" import --db "$DB" "$WORK/AVEMFN_bad_reporter.csv"
check_grep "the reject names file, line and reason" "AVEMFN_bad_reporter.csv:4: UNKNOWN_CODE in Reporter_ISO_N" "$WORK/err"
check "nothing committed" "$(sq "$DB" "SELECT count(*) FROM fact_tariff")" "$total"
check "the failed load keeps its reject with the line" \
    "$(sq "$DB" "SELECT l.status || ' ' || r.line || ' ' || r.error_type || ' ' || r.raw_line FROM load_log l JOIN load_reject r USING (load_id) ORDER BY l.load_id DESC LIMIT 1")" \
    "failed 4 UNKNOWN_CODE H6,999,2025,10121,47,21,26,23.5,0,0,0,2,2,2,0"
expect_rc "with --max-rejects 1 the rest loads" 0 "$TR" import --db "$DB" --max-rejects 1 "$WORK/AVEMFN_bad_reporter.csv"
check "lineage with one reject (Iran's 2025 MFN partition replaced)" "$(lineage "$DB")" \
    "10 9 1 $(pycount "$MFN25" 'r["Reporter_ISO_N"] == "364"') committed wits-tariff"
(cat "$FIX/tiny-wits/AVEPref_tiny_2024.csv"; sed -n 2p "$FIX/tiny-wits/AVEPref_tiny_2024.csv") > "$WORK/AVEPref_dup.csv"
expect_rc "a row given twice fails the file" 3 "$TR" import --db "$WORK/dup.db" "$WORK/AVEPref_dup.csv"
check_grep "the second copy is a DUPLICATE_KEY on its line" "AVEPref_dup.csv:6: DUPLICATE_KEY" "$WORK/err"
expect_rc "--format wits-tariff on a trade file exits 3" 3 "$TR" import --db "$WORK/x.db" --format wits-tariff "$TRADE"
check_grep "and says why" "not a WITS tariff file" "$WORK/err"
printf 'NomenCode,Reporter_ISO_N,Year,ProductCode,Sum_Of_Rates,Min_Rate,Max_Rate,SimpleAverage,Nbr_NA_Lines,Nbr_Free_Lines,Nbr_AVE_Lines,Nbr_Dutiable_Lines,TotalNoOfValidLines,TotalNoOfLines,EstCode\nH6,643,2024,10121,1,1,1,1,0,0,0,1,1,1,0\nH6,643,2024,10121,"1\n' \
    > "$WORK/AVEMFN_broken.csv"
expect_rc "a tariff file cut inside a quote exits 3" 3 "$TR" import --db "$WORK/x.db" "$WORK/AVEMFN_broken.csv"

# hand-worked (fixtures/tiny-wits/README.md)
TDB=$WORK/tiny-tariff.db
expect_rc "tiny AVEPref file imports" 0 "$TR" import --db "$TDB" "$FIX/tiny-wits/AVEPref_tiny_2024.csv"
check "tiny: NA lines = lines with rates written as 0 is NULL, not 0" \
    "$(sq "$TDB" "SELECT coalesce(simple_avg, 'NULL') FROM fact_tariff JOIN dim_product USING (product_id) WHERE code = '240220'")" "NULL"
check "tiny: average recomputable as sum / valid lines (27.5 / 2)" \
    "$(sq "$TDB" "SELECT simple_avg || ' ' || (sum_rates / n_valid_lines) FROM fact_tariff JOIN dim_product USING (product_id) WHERE code = '640399'")" \
    "13.75 13.75"
check "tiny: 918 (EU) is a group: no country id, 27 members in 2024" \
    "$(sq "$TDB" "SELECT coalesce(t.partner_id, 'NULL') || ' ' || count(g.country_id) FROM fact_tariff t
                  LEFT JOIN tariff_partner_group g ON g.group_code = t.partner_code
                   AND t.year BETWEEN coalesce(g.joined, 0) AND coalesce(g.left_year, 9999)
                  WHERE t.partner_code = '918'")" "NULL 27"
check "tiny: an unknown scheme code is kept as given" \
    "$(sq "$TDB" "SELECT partner_code || ' ' || coalesce(partner_id, 'NULL') || ' ' || coalesce(simple_avg, 'NULL') FROM fact_tariff JOIN dim_product USING (product_id) WHERE code = '870323'")" \
    "GSPX NULL NULL"
finish
