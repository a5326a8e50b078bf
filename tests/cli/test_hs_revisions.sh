#!/bin/sh
# HS revisions: every reference row at init, whether copied from the template or made from sql/
# (counts and pairs against the shipped files, read by python3's csv module), a database of an
# earlier version or of another copy of data/hs completed at its next import, CHPL flows across the HS2017 -> HS2022 break with their match, a
# concordance group equal across the break, coverage of six-digit detail, and route countries
# named. Figures are worked by hand in fixtures/hs/README.md or computed from the fixture files
# by python3, never by the tool.
. "$(dirname "$0")/lib.sh"
suite hs_revisions

DB=$WORK/hs.db
expect_rc "init" 0 "$TR" init --db "$DB"
# --- init: every reference row, from the template as from sql/ --------------------------------
check "init writes every correlation, nomenclature and section row" \
    "$(sq "$DB" "SELECT (SELECT count(*) FROM hs_correlation) || '|' || (SELECT count(*) FROM hs_nomenclature) || '|' || (SELECT count(*) FROM hs_nomenclature_section)")" \
    "$($PY -c "import csv, glob
n = lambda f: sum(1 for _ in csv.reader(open(f))) - 1
print('%d|%d|%d' % (sum(n(f) for f in glob.glob('data/hs/HS2022toHS*.csv')), n('data/hs/HS2022.csv'), n('data/hs/sections.csv')))")"
check "a new database copied from the template is in WAL mode and whole" \
    "$(sq "$DB" "PRAGMA journal_mode") $(sq "$DB" "PRAGMA integrity_check")" "wal ok"
# the template's precondition: it is exactly what the migrations of sql/ make
SQLDB=$WORK/from_sql.db
expect_rc "init from sql/ (TR_DB_TEMPLATE=0)" 0 env TR_DB_TEMPLATE=0 "$TR" init --db "$SQLDB"
dump() {   # every schema object, every meta row and every reference row, in a fixed order
    sq "$1" "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name;
             SELECT * FROM meta ORDER BY key; PRAGMA user_version; PRAGMA journal_mode;
             SELECT * FROM hs_correlation ORDER BY 1, 2, 3, 4;
             SELECT * FROM hs_nomenclature ORDER BY 1, 2; SELECT * FROM hs_nomenclature_section ORDER BY 1" | sha256sum
}
check "the template's copy equals a database made from sql/: schema, meta, reference rows" \
    "$(dump "$DB")" "$(dump "$SQLDB")"
check "the hand-made hs_conversion table is gone" \
    "$(sq "$DB" "SELECT count(*) FROM sqlite_schema WHERE name='hs_conversion'")" "0"

# --- reference load: every file as shipped ----------------------------------------------------
FULL=$WORK/full.db
expect_rc "init a second database" 0 "$TR" init --db "$FULL"
expect_rc "reference load" 0 "$TR" reference --db "$FULL" load
check "reference load on a new database adds nothing" "$(cat "$WORK/out")" \
    "$FULL: HS reference data loaded, 0 correlation rows added"
for y in 2017:H5 2012:H4 2007:H3 2002:H2 1996:H1 1992:H0; do
    f=data/hs/HS2022toHS${y%%:*}.csv
    want=$($PY -c "import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1]))) - 1)" "$f")
    check "hs_correlation H6->${y#*:} holds the $want rows of $(basename "$f")" \
        "$(sq "$FULL" "SELECT count(*) FROM hs_correlation WHERE from_classification='H6' AND to_classification='${y#*:}'")" "$want"
done
check "H6->H5 is the 15,657 rows SOURCES.md states" \
    "$(sq "$FULL" "SELECT count(*) FROM hs_correlation WHERE to_classification='H5'")" "15657"
# every pair as shipped, row for row (python's csv module against the table)
want=$($PY - <<'PYEOF'
import csv, hashlib
rows = []
for y, c in (('2017', 'H5'), ('2012', 'H4'), ('2007', 'H3'), ('2002', 'H2'), ('1996', 'H1'), ('1992', 'H0')):
    for r in list(csv.reader(open('data/hs/HS2022toHS%s.csv' % y)))[1:]:   # hs2022, older, relationship
        rows.append('%s|%s|%s|%s' % (r[0], c, r[1], r[2]))
print(hashlib.sha256('\n'.join(sorted(rows)).encode()).hexdigest())
PYEOF
)
check "every correlation pair and relationship equals the shipped files" \
    "$($PY -c "import sys,hashlib; print(hashlib.sha256(sys.stdin.read().rstrip('\n').encode()).hexdigest())" <<EOF2
$(sq "$FULL" "SELECT from_code || '|' || to_classification || '|' || to_code || '|' || relationship FROM hs_correlation ORDER BY 1")
EOF2
)" "$want"
want=$($PY -c "import csv; print(sum(1 for _ in csv.DictReader(open('data/hs/HS2022.csv', encoding='utf-8'))))")
check "hs_nomenclature holds the $want rows of HS2022.csv" "$(sq "$FULL" "SELECT count(*) FROM hs_nomenclature")" "$want"
check "the 21 sections" "$(sq "$FULL" "SELECT count(*) FROM hs_nomenclature_section")" "21"
want=$($PY -c "import csv; print([r['description'] for r in csv.DictReader(open('data/hs/HS2022.csv', encoding='utf-8')) if r['hscode']=='880730'][0])")
check "880730's description as shipped" \
    "$(sq "$FULL" "SELECT description FROM hs_nomenclature WHERE code='880730'")" "$want"
expect_rc "reference load again" 0 "$TR" reference --db "$FULL" load
check "loading again adds nothing" "$(cat "$WORK/out")" "$FULL: HS reference data loaded, 0 correlation rows added"
check "no row loaded twice" "$(sq "$FULL" "SELECT count(*) FROM hs_correlation")" "104411"
expect_rc "reference without 'load' is a usage error" 2 "$TR" reference --db "$FULL"

# --- concordance groups: the connected codes of each file, computed here by python ----------
group_of() {   # group_of YEAR CODE: the smallest HS2022 code connected to older CODE
    $PY - "$1" "$2" <<'PYEOF'
import csv, sys
year, code = sys.argv[1], sys.argv[2]
pairs = [(r[0], r[1]) for r in list(csv.reader(open('data/hs/HS2022toHS%s.csv' % year)))[1:]]
seen, todo = {('o', code)}, [('o', code)]
while todo:
    side, c = todo.pop()
    for new, old in pairs:
        nxt = ('n', new) if side == 'o' and old == c else ('o', old) if side == 'n' and new == c else None
        if nxt and nxt not in seen:
            seen.add(nxt)
            todo.append(nxt)
print(min(c for s, c in seen if s == 'n'))
PYEOF
}
for oc in 2017:284440 2017:880330 2012:852580 1992:010111; do
    g=$(group_of "${oc%%:*}" "${oc#*:}")
    [ ${#g} -eq 6 ] || g="python found no group for ${oc#*:}"
    check "HS${oc%%:*} ${oc#*:}: concordance group $g" \
        "$(sq "$FULL" "SELECT DISTINCT concordance_group FROM hs_correlation WHERE to_code='${oc#*:}' AND to_classification=(CASE '${oc%%:*}' WHEN '2017' THEN 'H5' WHEN '2012' THEN 'H4' ELSE 'H0' END)")" "$g"
done

# --- per-code concordance --------------------------------------------------------------------
check "H5 284440 -> H6 284441: n:1, approximate (also 284442-284444)" \
    "$(sq "$FULL" "SELECT relationship || '|' || match || '|' || concordance_group FROM v_hs_concordance WHERE from_classification='H5' AND from_code='284440' AND to_code='284441'")" \
    "n:1|approximate|284441"
check "H6 284441 -> H5 284440: exact (all of it was 284440)" \
    "$(sq "$FULL" "SELECT match FROM v_hs_concordance WHERE from_classification='H6' AND from_code='284441' AND to_classification='H5'")" "exact"
check "H5 010121 -> H6 010121: 1:1, exact" \
    "$(sq "$FULL" "SELECT relationship || '|' || match FROM v_hs_concordance WHERE from_classification='H5' AND from_code='010121' AND to_classification='H6'")" "1:1|exact"
check "HS2012 -> HS2017 goes through the tables (chained via HS2022)" \
    "$(sq "$FULL" "SELECT relationship || '|' || via || '|' || match FROM v_hs_concordance WHERE from_classification='H4' AND from_code='010121' AND to_classification='H5'")" \
    "chained|H6|exact"
# drones: HS 8806 exists from HS2022; before, camera drones were television cameras (852580)
# and the others aircraft (8802): n:n rows in the UNSD table
want=$($PY -c "import csv; print(','.join(sorted({r['hs2017'] for r in csv.DictReader(open('data/hs/HS2022toHS2017.csv')) if r['hs2022'].startswith('8806')})))")
check "HS2022 8806 comes from HS2017 $want" \
    "$(sq "$FULL" "SELECT group_concat(to_code) FROM (SELECT DISTINCT to_code FROM hs_correlation WHERE to_classification='H5' AND from_code LIKE '8806%' ORDER BY 1)")" "$want"

# --- BACI HS17 2021 and HS22 2023 -------------------------------------------------------------
expect_rc "import the HS fixtures" 0 "$TR" import --db "$DB" fixtures/hs/country_codes_V202501.csv \
    fixtures/hs/BACI_HS17_Y2021_V202501.csv fixtures/hs/BACI_HS22_Y2023_V202501.csv \
    fixtures/hs/BACI_HS17_Y2022_V202501.csv fixtures/hs/BACI_HS12_Y2016_V202501.csv
check "the import leaves init's reference rows as they were" \
    "$(sq "$DB" "SELECT count(*) FROM hs_correlation")" "104411"
check "HS2017 854890's rows are all in, as in the shipped file" \
    "$(sq "$DB" "SELECT count(*) FROM hs_correlation WHERE to_classification = 'H5' AND to_code = '854890'")" \
    "$($PY -c "import csv; print(sum(1 for r in csv.reader(open('data/hs/HS2022toHS2017.csv')) if r[1] == '854890'))")"
chpl() {   # chpl DEST EXPORTER TIER YEAR: value|match|coverage
    sq "$DB" "SELECT coalesce(value_usd, 'NULL') || '|' || coalesce(match, 'NULL') || '|' || coverage FROM v_basket_flows WHERE source='baci' AND basket='CHPL' AND destination='$1' AND exporter='$2' AND tier='$3' AND year=$4"
}
check "tier 1, 2021: HS2017 854231 shares goods with 8549 (e-waste): approximate" "$(chpl RUS CHN 1 2021)" "2000000|approximate|detail"
check "tier 1, 2023: HS2022 854231 exact" "$(chpl RUS CHN 1 2023)" "2100000|exact|detail"
check "tier 2, 2021: HS2017 854890 -> 854800, approximate" "$(chpl RUS CHN 2 2021)" "300000|approximate|detail"
check "tier 2, 2023: 854800 exact" "$(chpl RUS CHN 2 2023)" "330000|exact|detail"
check "tier 3.A, 2021: 852580 -> 852589, approximate" "$(chpl RUS CHN 3.A 2021)" "150000|approximate|detail"
check "tier 3.A, 2023: 852589 exact (880621, a drone, is not on the list)" "$(chpl RUS CHN 3.A 2023)" "160000|exact|detail"
check "tier 3.B, 2021: 880330 -> 880730, approximate" "$(chpl RUS CHN 3.B 2021)" "250000|approximate|detail"
check "tier 3.B, 2023: 880730 exact" "$(chpl RUS CHN 3.B 2023)" "270000|exact|detail"
check "a tier with nothing shipped by a declaring exporter is 0, not missing" "$(chpl RUS CHN 4.A 2023)" "0|exact|detail"
check "the approximate part is stated" \
    "$(sq "$DB" "SELECT approximate_usd FROM v_basket_flows WHERE source='baci' AND destination='RUS' AND exporter='all' AND tier='2' AND year=2021")" "300000"
# coverage: TUR ships in 2023 only; CHN and IRN declared both years
check "tier 2 all 2023: coverage differs, change over CHN and IRN only" \
    "$(sq "$DB" "SELECT value_usd || '|' || baseline_usd || '|' || coverage_change || '|' || change_usd || '|' || change_pct || '|' || common_usd FROM v_basket_flows WHERE source='baci' AND destination='RUS' AND exporter='all' AND tier='2' AND year=2023")" \
    "370000|300000|differs|30000|10.0|330000"
check "Russia is named as an exporter to Iran (2021, approximate)" "$(chpl IRN RUS 3.B 2021)" "120000|approximate|detail"
check "Russia is named as an exporter to Iran (2023, exact)" "$(chpl IRN RUS 3.B 2023)" "130000|exact|detail"
check "nothing of Russia's lands in 'other'" \
    "$(sq "$DB" "SELECT count(*) FROM v_basket_flows WHERE destination='IRN' AND exporter='other'")" "0"

# --- drones: HS 8806 in HS2022 data, HS2017 852580 and 8802 before (approximate) ----------------
check "drone claim, 2022 in HS2017: IRN 852580 40,000 + 880240 25,000, approximate" \
    "$(sq "$DB" "SELECT computed_value || '|' || (definition LIKE '%approximate: an upper bound%') FROM v_claim_check WHERE claim_id = 6 AND source = 'baci'")" \
    "65000|1"

# --- a database of an earlier version, holding only its codes' rows, is completed -------------
# (versions before the template wrote at import the rows of the data's codes; simulated here)
cp "$DB" "$WORK/part.db"
sq "$WORK/part.db" "DELETE FROM hs_correlation WHERE NOT (from_code IN (SELECT code FROM dim_product WHERE classification = 'H6' AND level = 6) OR EXISTS (SELECT 1 FROM dim_product p WHERE p.classification = to_classification AND p.code = to_code));
DELETE FROM hs_nomenclature WHERE level = 6 AND code NOT IN (SELECT from_code FROM hs_correlation);
DELETE FROM meta WHERE key = 'hs_reference_all'" > /dev/null
check "the earlier database holds a part of the rows" \
    "$(sq "$WORK/part.db" "SELECT count(*) BETWEEN 1 AND 2000 FROM hs_correlation")" "1"
for v in "v_basket_flows" "v_trade_hs_group" "v_claim_check" \
         "v_product_description WHERE (classification, code) IN (SELECT classification, code FROM dim_product)"; do
    sq "$WORK/part.db" "SELECT * FROM $v" | sort > "$WORK/rows_part"
    sq "$DB" "SELECT * FROM $v" | sort > "$WORK/rows_all"
    check "${v%% *} has rows to compare" "$([ -s "$WORK/rows_part" ] && echo yes)" "yes"
    check "${v%% *} reads the same with the data's codes' rows as with all of them" \
        "$(sha256sum < "$WORK/rows_part")" "$(sha256sum < "$WORK/rows_all")"
done
expect_rc "an import into the earlier database" 0 "$TR" import --db "$WORK/part.db" fixtures/comtrade/comtrade_plus_A_2014-2024_CHN.csv
check "completes its reference rows" \
    "$(sq "$WORK/part.db" "SELECT count(*) || '|' || (SELECT count(*) FROM hs_nomenclature) || '|' || (SELECT count(*) FROM meta WHERE key = 'hs_reference_all') FROM hs_correlation")" \
    "104411|6940|1"

# --- rows of another binary's data are replaced, not mixed ------------------------------------
S=$WORK/stale.db
cp "$DB" "$S"; cp "$DB" "$WORK/fresh.db"
sq "$S" "UPDATE meta SET value = 'data/hs older copy' WHERE key IN ('hs_reference', 'hs_reference_all');
INSERT INTO hs_correlation VALUES ('H6', '000001', 'H5', '000001', '1:1', '000001', '000001');" >/dev/null
check "the stale copy holds its own row before the import" \
    "$(sq "$S" "SELECT count(*) FROM hs_correlation WHERE from_code = '000001'")" "1"
CHN=fixtures/comtrade/comtrade_plus_A_2014-2024_CHN.csv
expect_rc "import into a database holding another copy's rows" 0 "$TR" import --db "$S" "$CHN"
expect_rc "the same import into a current one" 0 "$TR" import --db "$WORK/fresh.db" "$CHN"
check "the other copy's rows are gone, this copy's are there for every code" \
    "$(sq "$S" "SELECT * FROM hs_correlation ORDER BY 1, 2, 3, 4" | sha256sum)" \
    "$(sq "$WORK/fresh.db" "SELECT * FROM hs_correlation ORDER BY 1, 2, 3, 4" | sha256sum)"

# --- a concordance group compares exactly across the break --------------------------------------
grp() {
    sq "$DB" "SELECT classification || '|' || value_usd || '|' || codes FROM v_trade_hs_group WHERE source='baci' AND reporter='RUS' AND partner='IRN' AND older_classification='H5' AND concordance_group='284441' AND year=$1"
}
check "group 284441, 2021 in HS2017: 284440" "$(grp 2021)" "H5|5000000|1"
check "group 284441, 2023 in HS2022: 284441 + 284444, the same total" "$(grp 2023)" "H6|5000000|2"

# a series across three revisions: HS2012 (2016), HS2017 (2021), HS2022 (2023), in the group
# chained over all six tables, named by python's own union of the files
chain=$($PY - <<'PYEOF'
import csv
parent = {}
def find(x):
    while parent.get(x, x) != x:
        x = parent[x]
    return x
for y in ('2017', '2012', '2007', '2002', '1996', '1992'):
    for r in list(csv.reader(open('data/hs/HS2022toHS%s.csv' % y)))[1:]:
        a, b = find(('H6', r[0])), find((y, r[1]))
        if a != b:
            parent[b] = a
root = find(('2012', '284440'))
print(min(c for (rev, c) in list(parent) + [root] if rev == 'H6' and find((rev, c)) == root))
PYEOF
)
chained() {
    sq "$DB" "SELECT classification || '|' || value_usd FROM v_trade_hs_group WHERE source='baci' AND reporter='RUS' AND partner='IRN' AND older_classification='chained' AND concordance_group='$chain' AND year=$1"
}
check "chained group $chain, 2016 in HS2012: 284440" "$(chained 2016)" "H4|4000000"
check "chained group $chain, 2021 in HS2017: 284440" "$(chained 2021)" "H5|5000000"
check "chained group $chain, 2023 in HS2022: 284441 + 284444" "$(chained 2023)" "H6|5000000"

# --- descriptions of older codes -----------------------------------------------------------------
want=$($PY -c "import csv; print([r['description'] for r in csv.DictReader(open('data/hs/HS2022.csv', encoding='utf-8')) if r['hscode']=='880730'][0])")
check "HS2017 880330 described by its HS2022 successor, marked" \
    "$(sq "$DB" "SELECT description_source || '|' || description FROM v_product_description WHERE classification='H5' AND code='880330'")" \
    "HS2022 880730 (correlated, approximate)|$want"
# a BACI product file, once loaded, describes its own codes
P=$WORK/prod.db
cp "$DB" "$P"
expect_rc "import a BACI HS17 product file" 0 "$TR" import --db "$P" fixtures/baci/product_codes_HS17_V202401b.csv
want=$($PY -c "import csv; print([r['description'] for r in csv.DictReader(open('fixtures/baci/product_codes_HS17_V202401b.csv', encoding='utf-8')) if r['code']=='880330'][0])")
check "HS2017 880330 then described by the product file" \
    "$(sq "$P" "SELECT description_source || '|' || description FROM v_product_description WHERE classification='H5' AND code='880330'")" \
    "source file|$want"
check "HS2022 854800 from the nomenclature" \
    "$(sq "$DB" "SELECT description_source FROM v_product_description WHERE classification='H6' AND code='854800'")" \
    "HS2022 nomenclature"

# --- coverage on the Comtrade fixtures: the "+125%" of the issue --------------------------------
C=$WORK/ct.db
expect_rc "import the Comtrade fixtures" 0 "$TR" import --db "$C" fixtures/comtrade/*.csv
# China's own tier-1 exports to Russia, read from its file by python3
tier1() {
    $PY - "$1" <<'PYEOF'
import csv, sys
t1 = {'854231', '854232', '854233', '854239'}
s = 0
for r in csv.DictReader(open('fixtures/comtrade/comtrade_plus_A_2014-2024_CHN.csv', encoding='utf-8-sig')):
    if (r['refYear'] == sys.argv[1] and r['flowCode'] == 'X' and r['partnerCode'] == '643'
            and r['partner2Code'] == '0' and r['customsCode'] == 'C00' and r['motCode'] == '0'
            and r['cmdCode'] in t1):
        s += int(float(r['primaryValue']))
print(s)
PYEOF
}
c21=$(tier1 2021); c22=$(tier1 2022)
pct=$($PY -c "print(round(100 * ($c22 / $c21 - 1), 4))")
check "tier 1 to RUS 2022: change over China alone (covered both years), coverage differs" \
    "$(sq "$C" "SELECT baseline_usd || '|' || common_usd || '|' || change_pct || '|' || coverage_change FROM v_basket_flows WHERE source='comtrade' AND destination='RUS' AND exporter='all' AND tier='1' AND declared_by='exporter' AND year=2022")" \
    "$c21|$c22|$pct|differs"
check "TUR 2021: no detail, not 0" \
    "$(sq "$C" "SELECT coalesce(value_usd, 'NULL') || '|' || coverage FROM v_basket_flows WHERE source='comtrade' AND destination='RUS' AND exporter='TUR' AND tier='1' AND declared_by='exporter' AND year=2021")" \
    "NULL|no detail"
finish
