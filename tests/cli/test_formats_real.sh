#!/bin/sh
# The files people really hold (fixtures/comtrade_variants/README.md): legacy Comtrade CSV under
# every known spelling of its columns, a legacy file mixing HS revisions, Comtrade Plus data as
# the official Python client saves it, and a renamed BACI file loaded with options that say
# what its name no longer does. Figures come from python readers of the raw files
# (tests/tools/variant_totals.py, tests/tools/fixture_totals.py) or from the fixture READMEs.
. tests/cli/lib.sh
suite formats_real
V=$FIX/comtrade_variants
ANNUAL="SELECT source, year, reporter, partner, flow, value_usd FROM v_trade_annual
        WHERE is_partial = 0"
BILATERAL="SELECT year, a, b, a_exports_to_b, a_imports_from_b, b_exports_to_a,
                  b_imports_from_a, turnover_best, best_side
           FROM v_bilateral_annual WHERE year BETWEEN 2014 AND 2016 ORDER BY 1, 2, 3"

newdb() {
    rm -f "$1" "$1-wal" "$1-shm"
    "$TR" init --db "$1" > /dev/null
}

annual_db() {
    "$TR" query --db "$1" --tsv "$ANNUAL" | sed 1d | LC_ALL=C sort
}

# same NAME GOT_FILE WANT_FILE: two sorted lists are equal (and not empty).
same() {
    if [ ! -s "$3" ]; then
        not_ok "$1" "the reference list is empty"
    elif cmp -s "$2" "$3"; then
        ok "$1 ($(wc -l < "$3" | tr -d ' ') keys)"
    else
        not_ok "$1" "$(diff "$2" "$3" | head -n 6 | tr '\n' ' ')"
    fi
}

# facts DB: the loaded facts without their load ids, sorted.
facts() {
    sq "$1" "SELECT year, month, reporter_id, partner_id, flow, classification, product_id,
                    value_usd, net_wgt_kg, qty, qty_unit, cif_usd, fob_usd, flags
             FROM fact_trade ORDER BY 1, 2, 3, 4, 5, 6, 7"
}

# ---------- the generated fixtures are what their generator writes from their sources ----------
mkdir "$WORK/gen"
"$PY" "$V/make_variants.py" --out "$WORK/gen"
differ=""
for f in "$WORK"/gen/*.csv; do
    cmp -s "$f" "$V/$(basename "$f")" || differ="$differ $(basename "$f")"
done
check "make_variants.py rewrites the 7 committed files byte for byte" \
    "$(ls "$WORK/gen" | wc -l | tr -d ' ')$differ" "7"

# ---------- legacy: the Iran file under every spelling ----------
LEG=$FIX/comtrade-legacy/comtrade_legacy_2014-2016_IRN.csv
PLUS_IRN=$FIX/comtrade/comtrade_plus_A_2014-2024_IRN.csv
"$PY" tests/tools/fixture_totals.py comtrade-legacy "$LEG" |
    sed 's/^comtrade-legacy	/comtrade	/' | LC_ALL=C sort > "$WORK/leg.tsv"
newdb "$WORK/plus.db"
"$TR" import --db "$WORK/plus.db" "$PLUS_IRN" > /dev/null
"$TR" query --db "$WORK/plus.db" --tsv "$BILATERAL" > "$WORK/bil_plus.tsv"

# variant FILE COLUMNS...: imports the file alone; its totals equal the python reader of its
# own bytes and of the 22-column original; v_bilateral_annual equals the Comtrade Plus file's.
variant() {
    f=$V/$1; b=$1; shift
    newdb "$WORK/v.db"
    expect_rc "$b imports" 0 "$TR" import --db "$WORK/v.db" "$f"
    check "$b: read as comtrade-legacy, 74 rows loaded, none rejected" \
        "$(sq "$WORK/v.db" "SELECT format, rows_read, rows_loaded, rows_rejected FROM load_log")" \
        "comtrade-legacy|74|74|0"
    annual_db "$WORK/v.db" > "$WORK/db.tsv"
    "$PY" tests/tools/variant_totals.py "$f" "$@" | LC_ALL=C sort > "$WORK/py.tsv"
    same "$b: annual totals equal the python reader of the file" "$WORK/db.tsv" "$WORK/py.tsv"
    same "$b: ... and of the 22-column original" "$WORK/db.tsv" "$WORK/leg.tsv"
    "$TR" query --db "$WORK/v.db" --tsv "$BILATERAL" > "$WORK/bil.tsv"
    same "$b: v_bilateral_annual 2014-2016 equals the Comtrade Plus file's" \
        "$WORK/bil.tsv" "$WORK/bil_plus.tsv"
}
variant legacy_compact_2014-2016_IRN.csv year=Year reporter="Reporter Code" \
    partner="Partner Code" flow="TradeFlow Code" cmd="Commodity Code" value=TradeValueUS
variant legacy_snake_2014-2016_IRN.csv year=year reporter=reporter_code \
    partner=partner_code flow=trade_flow_code cmd=commodity_code value=trade_value_usd
variant legacy_api_json_pandas_2014-2016_IRN.csv year=yr reporter=rtCode partner=ptCode \
    flow=rgCode cmd=cmdCode value=TradeValue p2=ptCode2 customs=cstCode mot=motCode
check "Russia-Iran 2015 as Iran reports it: imports 971,741,641, exports 269,183,405" \
    "$(sq "$WORK/v.db" "SELECT a_imports_from_b || ' ' || a_exports_to_b FROM v_bilateral_annual
                        WHERE year = 2015 AND a = 'IRN' AND b = 'RUS'")" "971741641 269183405"

# ---------- legacy: the 35-column EU file under other spellings (hand-worked) ----------
for b in legacy_compact_full_2015_EU2.csv legacy_snake_full_2015_EU2.csv; do
    newdb "$WORK/eu.db"
    expect_rc "$b imports" 0 "$TR" import --db "$WORK/eu.db" "$V/$b"
    check "$b: the hand-worked totals (README)" \
        "$("$TR" query --db "$WORK/eu.db" --tsv "SELECT group_concat(partner || ' ' || flow ||
               ' ' || value_usd, '; ') FROM (SELECT * FROM v_trade_annual ORDER BY 3, 4)" |
           sed -n 2p)" \
        "RUS M 600000; RUS RM 20000; RUS RX 30000; RUS X 400000; W00 M 1000000"
    check "$b: 3 breakdown rows, US$ 450,000, never summed" \
        "$(sq "$WORK/eu.db" "SELECT count(*) || ' ' || sum(value_usd) FROM fact_trade_breakdown")" \
        "3 450000"
    check "$b: CIF and FOB columns read (EU2 imports from RUS: CIF 600,000; exports FOB 400,000)" \
        "$(sq "$WORK/eu.db" "SELECT group_concat(coalesce(cif_usd, '-') || '/' ||
                                    coalesce(fob_usd, '-'), ' ')
                             FROM (SELECT * FROM fact_trade WHERE partner_id IN
                                   (SELECT country_id FROM dim_country WHERE iso3 = 'RUS')
                                   AND product_id IN (SELECT product_id FROM dim_product
                                                      WHERE code = 'TOTAL')
                                   AND flow IN ('M', 'X') ORDER BY flow)")" \
        "600000/- -/400000"
    check "$b: Qty Unit 8 is kg, the quantity 5000 estimated (Flag 2)" \
        "$(sq "$WORK/eu.db" "SELECT qty || ' ' || qty_unit || ' ' || flags FROM fact_trade
                             WHERE qty IS NOT NULL")" "5000.0 kg 1"
done

# ---------- legacy: one file mixing H2, H3 and H4 (hand-worked) ----------
MIX=$V/legacy_mixed_revisions_IRN.csv
newdb "$WORK/mix.db"
expect_rc "a legacy file mixing H2, H3 and H4 imports" 0 "$TR" import --db "$WORK/mix.db" "$MIX"
check "each row keeps its own revision (H2 2, H3 2, H4 2)" \
    "$(sq "$WORK/mix.db" "SELECT group_concat(classification || ' ' || n, ', ') FROM
                          (SELECT classification, count(*) n FROM fact_trade GROUP BY 1)")" \
    "H2 2, H3 2, H4 2"
check "the hand-worked Iran-Russia figures (README)" \
    "$("$TR" query --db "$WORK/mix.db" --tsv "SELECT group_concat(year || ' ' ||
           coalesce(a_imports_from_b, '-') || ' ' || coalesce(a_exports_to_b, '-'), '; ')
           FROM (SELECT * FROM v_bilateral_annual WHERE a = 'IRN' AND b = 'RUS' ORDER BY year)" |
       sed -n 2p)" "2006 100000 40000; 2009 200000 0; 2013 300000 60000"
check "load_log says the file holds several revisions (classification NULL)" \
    "$(sq "$WORK/mix.db" "SELECT coalesce(classification, 'NULL') FROM load_log")" "NULL"

# ---------- errors: which required columns are missing, by name ----------
newdb "$WORK/err.db"
"$TR" import --db "$WORK/err.db" "$LEG" > /dev/null
before=$(facts "$WORK/err.db" | sha256sum)
"$PY" - "$LEG" "$WORK/no_value.csv" <<'PYEOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
drop = [rows[0].index("Commodity Code"), rows[0].index("Trade Value (US$)")]
with open(sys.argv[2], "w", newline="") as f:
    csv.writer(f, lineterminator="\n").writerows(
        [[c for i, c in enumerate(r) if i not in drop] for r in rows])
PYEOF
expect_rc "a legacy file without Commodity Code and Trade Value fails (exit 3)" 3 \
    "$TR" import --db "$WORK/err.db" "$WORK/no_value.csv"
check_grep "... the error lists both missing columns by name" \
    "no_value.csv:1: not a legacy Comtrade file: required columns missing: Commodity Code, Trade Value \(US\\\$\)" \
    "$WORK/err"
check "... and the facts are unchanged" "$(facts "$WORK/err.db" | sha256sum)" "$before"

sed '1s/^Classification,Year,Period/Classification,yr,Period/; 1s/,Trade Value (US\$),/,TradeValue,/' \
    "$LEG" > "$WORK/twice.csv"
sed -i '1s/,Flag$/,TradeValueUS/' "$WORK/twice.csv"
expect_rc "a header naming Trade Value twice fails (exit 3)" 3 \
    "$TR" import --db "$WORK/err.db" "$WORK/twice.csv"
check_grep "... saying which column and where" \
    "names the column Trade Value \(US\\\$\) twice \(columns 21 and 22\)" "$WORK/err"

sed '1s/,primaryValue,/,primary_value_usd,/; 1s/,cmdCode,/,commodity,/' \
    "$FIX/comtrade/comtrade_plus_A_2014-2024_RUS.csv" > "$WORK/plus_missing.csv"
expect_rc "a Comtrade Plus file lacking cmdCode and primaryValue fails (exit 3)" 3 \
    "$TR" import --db "$WORK/err.db" "$WORK/plus_missing.csv"
check_grep "... listing them" "not a Comtrade Plus file: required columns missing: cmdCode, primaryValue" \
    "$WORK/err"
check "... and the facts are unchanged" "$(facts "$WORK/err.db" | sha256sum)" "$before"

printf 'alpha,beta,gamma\n1,2,3\n' > "$WORK/other.csv"
expect_rc "a header like no format's still fails as an unknown layout" 3 \
    "$TR" import --db "$WORK/err.db" "$WORK/other.csv"
check_grep "... with the formats tried" "unknown file layout" "$WORK/err"

# ---------- Comtrade Plus saved by the Python client (pandas to_csv) ----------
PR=$FIX/comtrade/comtrade_plus_A_2014-2024_RUS.csv
PP=$V/plus_pandas_A_2014-2024_RUS.csv
newdb "$WORK/pp.db"
expect_rc "Comtrade Plus saved by pandas imports" 0 "$TR" import --db "$WORK/pp.db" "$PP"
check "... as comtrade, all 189 rows loaded" \
    "$(sq "$WORK/pp.db" "SELECT format, rows_read, rows_loaded FROM load_log")" "comtrade|189|189"
annual_db "$WORK/pp.db" > "$WORK/db.tsv"
"$PY" tests/tools/variant_totals.py "$PP" year=refYear reporter=reporterCode \
    partner=partnerCode flow=flowCode cmd=cmdCode value=primaryValue p2=partner2Code \
    customs=customsCode mot=motCode | LC_ALL=C sort > "$WORK/py.tsv"
same "annual totals equal the python reader of the pandas file" "$WORK/db.tsv" "$WORK/py.tsv"
"$PY" tests/tools/fixture_totals.py comtrade "$PR" | LC_ALL=C sort > "$WORK/orig.tsv"
same "... and of the portal CSV it was made from" "$WORK/db.tsv" "$WORK/orig.tsv"
newdb "$WORK/pr.db"
"$TR" import --db "$WORK/pr.db" "$PR" > /dev/null
check "every fact (values, quantities, units, flags) equals the portal CSV's" \
    "$(facts "$WORK/pp.db" | sha256sum)" "$(facts "$WORK/pr.db" | sha256sum)"
check "Russia's exports to Iran 2020: 1420000000.0 is exactly US\$ 1,420,000,000" \
    "$(sq "$WORK/pp.db" "SELECT a_exports_to_b FROM v_bilateral_annual
                         WHERE year = 2020 AND a = 'RUS' AND b = 'IRN'")" "1420000000"
grep -q ',1420000000.0,' "$PP" && ok "... written as 1420000000.0 in the file" ||
    not_ok "... written as 1420000000.0 in the file" "not found"

# the hand-worked tiny file (fixtures/tiny-comtrade/README.md), through pandas
TP=$V/plus_pandas_A_2021_RUS.csv
newdb "$WORK/tp.db"
expect_rc "the tiny pandas file with --max-rejects 1 imports" 0 \
    "$TR" import --db "$WORK/tp.db" --max-rejects 1 "$TP"
check "... 11 loaded, 1 rejected: line 12, the unknown partner 999" \
    "$(sq "$WORK/tp.db" "SELECT l.rows_loaded || ' ' || l.rows_rejected || ' ' || r.line || ' ' ||
                         r.error_type FROM load_log l JOIN load_reject r USING (load_id)")" \
    "11 1 12 UNKNOWN_CODE"
check "... the hand-worked totals; 250000.5 rounds to 250,001 as in the portal CSV" \
    "$("$TR" query --db "$WORK/tp.db" --tsv "SELECT group_concat(partner || ' ' || flow || ' ' ||
           value_usd, '; ') FROM (SELECT * FROM v_trade_annual ORDER BY 3, 4)" | sed -n 2p)" \
    "CHN MIP 700000; IRN M 900000; IRN RX 250001; IRN X 3000000; TWN X 60000; W00 X 5000000"
check "... empty units (N/A) and 0.0 quantities are missing, not zero: 7 of 8 NULL" \
    "$(sq "$WORK/tp.db" "SELECT sum(qty IS NULL) || ' ' || sum(net_wgt_kg IS NULL) FROM fact_trade")" \
    "7 7"
sed '3s/,3000000\.0,0,False,True$/,,0,False,True/' "$TP" > "$WORK/empty_value.csv"
expect_rc "an empty primaryValue is not a zero: the row is rejected (exit 3)" 3 \
    "$TR" import --db "$WORK/tp.db" --max-rejects 1 "$WORK/empty_value.csv"
check_grep "... MISSING_VALUE in primaryValue at line 3" "empty_value.csv:3: MISSING_VALUE in primaryValue" \
    "$WORK/err"

# ---------- BACI: a renamed file and the options that say its name ----------
B=$FIX/baci
newdb "$WORK/b.db"
"$TR" import --db "$WORK/b.db" "$B/country_codes_V202401b.csv" \
    "$B/product_codes_HS17_V202401b.csv" > /dev/null
cp "$B/BACI_HS17_Y2021_V202401b.csv" "$WORK/russia_iran_2021.csv"
expect_rc "a renamed BACI file without options is refused (exit 3)" 3 \
    "$TR" import --db "$WORK/b.db" "$WORK/russia_iran_2021.csv"
check_grep "... naming the options" "give them with --hs-revision, --year and --release" "$WORK/err"
expect_rc "... and with only two of them" 3 \
    "$TR" import --db "$WORK/b.db" --hs-revision H5 --year 2021 "$WORK/russia_iran_2021.csv"
check "nothing of it loaded" "$(sq "$WORK/b.db" "SELECT count(*) FROM fact_trade")" "0"
sha_before=$(sha256sum < "$WORK/b.db")
expect_rc "--hs-revision contradicting a CEPII name: exit 2" 2 \
    "$TR" import --db "$WORK/b.db" --hs-revision H6 "$B/BACI_HS17_Y2022_V202401b.csv"
check_grep "... naming both" "--hs-revision H6 contradicts the file name 'BACI_HS17_Y2022_V202401b.csv' \(H5\)" \
    "$WORK/err"
expect_rc "--year contradicting a CEPII name: exit 2" 2 \
    "$TR" import --db "$WORK/b.db" --year 2021 "$B/BACI_HS17_Y2022_V202401b.csv"
expect_rc "--release contradicting a CEPII name: exit 2" 2 \
    "$TR" import --db "$WORK/b.db" --release V202501 "$B/BACI_HS17_Y2022_V202401b.csv"
expect_rc "a conflict in one file of several refuses the command: exit 2" 2 \
    "$TR" import --db "$WORK/b.db" --hs-revision H5 --year 2021 --release V202401b \
    "$WORK/russia_iran_2021.csv" "$B/BACI_HS17_Y2022_V202401b.csv"
expect_rc "--hs-revision H9: exit 2" 2 \
    "$TR" import --db "$WORK/b.db" --hs-revision H9 --year 2021 --release V202401b \
    "$WORK/russia_iran_2021.csv"
expect_rc "--release 2024: exit 2" 2 \
    "$TR" import --db "$WORK/b.db" --hs-revision H5 --year 2021 --release 2024 \
    "$WORK/russia_iran_2021.csv"
expect_rc "--year 0: exit 2 (not taken as 'no year')" 2 \
    "$TR" import --db "$WORK/b.db" --hs-revision H5 --year 0 --release V202401b \
    "$WORK/russia_iran_2021.csv"
expect_rc "--year 1960: exit 2 (before BACI's data)" 2 \
    "$TR" import --db "$WORK/b.db" --hs-revision H5 --year 1960 --release V202401b \
    "$WORK/russia_iran_2021.csv"
check "the refusals left the database file byte for byte unchanged" \
    "$(sha256sum < "$WORK/b.db")" "$sha_before"
expect_rc "the renamed file with --hs-revision HS17 --year 2021 --release V202401b loads" 0 \
    "$TR" import --db "$WORK/b.db" --hs-revision HS17 --year 2021 --release V202401b \
    "$WORK/russia_iran_2021.csv"
check "load_log: H5, 2021, V202401b, 308 rows" \
    "$(sq "$WORK/b.db" "SELECT classification, data_year, release, rows_loaded FROM load_log
                        WHERE status = 'committed' AND format = 'baci'")" "H5|2021|V202401b|308"
"$PY" tests/tools/fixture_totals.py baci "$WORK/russia_iran_2021.csv" | LC_ALL=C sort > "$WORK/py.tsv"
annual_db "$WORK/b.db" > "$WORK/db.tsv"
same "its totals equal the python reader of the file" "$WORK/db.tsv" "$WORK/py.tsv"
check "Russia's exports to Iran 2021: US\$ 3,070,000,000 (fixtures/README.md)" \
    "$(sq "$WORK/b.db" "SELECT a_exports_to_b FROM v_bilateral_annual
                        WHERE year = 2021 AND a = 'RUS' AND b = 'IRN'")" "3070000000"
expect_rc "the CEPII-named original is then already loaded (same bytes)" 0 \
    "$TR" import --db "$WORK/b.db" "$B/BACI_HS17_Y2021_V202401b.csv"
check_grep "... says so" "already loaded" "$WORK/out"
expect_rc "options agreeing with a CEPII name are accepted" 0 \
    "$TR" import --db "$WORK/b.db" --hs-revision H5 --year 2022 --release V202401b \
    "$B/BACI_HS17_Y2022_V202401b.csv"
cp "$B/BACI_HS17_Y2020_V202401b.csv" "$WORK/baci_2020_renamed.csv"
expect_rc "a renamed 2020 file given as --year 2021 fails (exit 3)" 3 \
    "$TR" import --db "$WORK/b.db" --hs-revision H5 --year 2021 --release V202401b \
    "$WORK/baci_2020_renamed.csv"
check_grep "... its rows are of another year" "BAD_PERIOD in t: year 2020 in a file given as --year 2021" \
    "$WORK/err"

finish
