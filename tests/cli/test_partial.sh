#!/bin/sh
# Figures that are not all goods are flagged wherever they stand in for a total: a WITS HS6
# extract of a few products, a reporter's Comtrade file without a TOTAL row for a flow
# (Kyrgyzstan's 2024 imports from Iran: three HS6 rows). Which declarations those are is read
# from the fixture files by tests/cli/partial_expect.py (python's csv module), never from the
# tool. Also: v_bilateral_growth.best_side_changed is NULL where a series has no previous year.
. tests/cli/lib.sh
suite partial
DB=$WORK/p.db

"$TR" init --db "$DB" > /dev/null 2>&1
expect_rc "fixtures import" 0 "$TR" import --db "$DB" --quiet fixtures/baci/*.csv \
    fixtures/comtrade/*.csv fixtures/wits-trade/*.csv

$PY tests/cli/partial_expect.py fixtures/comtrade fixtures/wits-trade/*.csv > "$WORK/want"
sq "$DB" "SELECT source || '|' || year || '|' || reporter || '|' || partner || '|' || flow
          FROM v_trade_annual WHERE goods_partial = 1 AND flow IN ('X', 'M')" | sort > "$WORK/got"
check "the files' partial declarations are there to compare" \
    "$(grep -c '^comtrade|2024|KGZ|IRN|M$' "$WORK/want") $(grep -c '^wits|' "$WORK/want")" "1 40"
check "v_trade_annual: goods_partial = 1 on exactly the declarations without a TOTAL row" \
    "$(diff "$WORK/got" "$WORK/want")" ""
check "v_trade_annual: no BACI row is partial (a BACI file holds every product)" \
    "$(sq "$DB" "SELECT count(*) FROM v_trade_annual WHERE source = 'baci' AND goods_partial <> 0")" "0"
check "v_trade_annual: goods_partial is never NULL" \
    "$(sq "$DB" "SELECT count(*) FROM v_trade_annual WHERE goods_partial IS NULL")" "0"

# v_bilateral_annual: a row is partial when either side's declaration is, in both orientations
awk -F'|' '$4 != "W00" {print $1 "|" $2 "|" $3 "|" $4; print $1 "|" $2 "|" $4 "|" $3}' \
    "$WORK/want" | sort -u > "$WORK/want_pairs"
sq "$DB" "SELECT source || '|' || year || '|' || a || '|' || b FROM v_bilateral_annual
          WHERE goods_partial = 1" | sort > "$WORK/got_pairs"
check "v_bilateral_annual: goods_partial = 1 on exactly the pairs with a partial declaration" \
    "$(diff "$WORK/got_pairs" "$WORK/want_pairs")" ""
check "v_bilateral_annual: the other rows are 0, not NULL" \
    "$(sq "$DB" "SELECT count(*) FROM v_bilateral_annual WHERE goods_partial IS NULL")" "0"

# claims: a turnover claim about Kazakhstan and Russia, which WITS has as an HS6 extract only
cat > "$WORK/claims.csv" <<'EOC'
article,published,paraphrase,metric,a,b,year,base_year,stated_value,unit,tolerance_pct,product_code,note
Test article,2024,Kazakhstan-Russia trade was $25 bn in 2021,turnover,KAZ,RUS,2021,,25000000000,USD,5,,
EOC
expect_rc "a claim about KAZ-RUS imports" 0 "$TR" import --db "$DB" --format claims "$WORK/claims.csv"
ID=$(sq "$DB" "SELECT claim_id FROM claim WHERE a = 'KAZ' AND b = 'RUS'")
check "v_claim_check: the WITS figures (KAZ's declarations) are partial, with a note" \
    "$(sq "$DB" "SELECT group_concat(definition || '=' || goods_partial || '|' || coalesce(note, ''), ';')
                 FROM (SELECT * FROM v_claim_check WHERE claim_id = $ID AND source = 'wits'
                       ORDER BY definition)")" \
    "best turnover, 2021=1|partial: sums the products a file listed (no TOTAL row), not all goods;turnover as KAZ reports, 2021=1|partial: sums the products a file listed (no TOTAL row), not all goods;turnover as RUS reports (mirror), 2021=0|"
check "v_claim_check: Comtrade and BACI definitions of the claim are not" \
    "$(sq "$DB" "SELECT count(*) || ' ' || sum(goods_partial) || ' ' || count(note)
                 FROM v_claim_check WHERE claim_id = $ID AND source IN ('comtrade', 'baci')")" \
    "4 0 0"
expect_rc "claims --pair KAZ:RUS" 0 "$TR" claims --db "$DB" --pair KAZ:RUS
check_grep "claims prints the caveat beside the WITS figure" \
    "wits .*partial: sums the products a file listed" "$WORK/out"

# the briefing: KAZ-RUS from WITS is an HS6 extract in every year, so the PDF marks each year
# and says so on the cover, the key figures and the charts; the workbook's Bilateral sheet
# says it per year and Summary beside its totals. The years come from partial_expect.py.
want_years=$(awk -F'|' '$1 == "wits" && (($3 == "KAZ" && $4 == "RUS") || ($3 == "RUS" && $4 == "KAZ")) {print $2}' \
    "$WORK/want" | sort -u | tr '\n' ' ')
check "partial_expect.py: KAZ-RUS in WITS is partial in 2018-2022" "$want_years" "2018 2019 2020 2021 2022 "
expect_rc "report KAZ:RUS from WITS" 0 "$TR" report --db "$DB" --pair KAZ:RUS --source wits \
    --out "$WORK/rep"
pdftotext -layout "$WORK/rep/KAZ-RUS.pdf" "$WORK/kaz.txt"
check "PDF: every year of the key figures is marked *" \
    "$(grep -oE '^ *20[0-9]{2} \*' "$WORK/kaz.txt" | tr -d ' *' | sort -u | tr '\n' ' ')" "$want_years"
check "PDF: the cover, the key figures and both charts say not all goods, with the years" \
    "$(tr '\n' ' ' < "$WORK/kaz.txt" | grep -o 'Not all goods in 2018.2022' | wc -l)" "4"
$PY tests/tools/xlsx_dump.py "$WORK/rep/KAZ-RUS.xlsx" cells Bilateral > "$WORK/kaz.cells"
check "workbook: Bilateral's Goods covered column says partial in every year" \
    "$(awk -F'\t' '$1 == "K1" || $1 ~ /^K[2-9]$/ {print $2}' "$WORK/kaz.cells" | sort | uniq -c | sed 's/^ *//' | paste -sd';')" \
    "1 Goods covered;5 partial: listed products only"
check "workbook: Summary says it beside the totals" \
    "$($PY tests/tools/xlsx_dump.py "$WORK/rep/KAZ-RUS.xlsx" cells Summary | grep -c 'Not all goods in 2018.2022')" "1"
expect_rc "report RUS:IRN from BACI (all goods)" 0 "$TR" report --db "$DB" --pair RUS:IRN \
    --source baci --out "$WORK/rep"
check "an all-goods briefing says nothing of the kind" \
    "$(pdftotext "$WORK/rep/RUS-IRN.pdf" - | grep -c 'Not all goods')" "0"

# best_side_changed: NULL exactly where the series has no row for the calendar year before
sq "$DB" "SELECT v.source || '|' || v.a || '|' || v.b || '|' || v.year FROM v_bilateral_annual v
          WHERE NOT EXISTS (SELECT 1 FROM v_bilateral_annual p WHERE p.source = v.source
                            AND p.a = v.a AND p.b = v.b AND p.year = v.year - 1)" | sort > "$WORK/want_first"
sq "$DB" "SELECT source || '|' || a || '|' || b || '|' || year FROM v_bilateral_growth
          WHERE best_side_changed IS NULL" | sort > "$WORK/got_first"
check "best_side_changed is NULL in a series' first year (and after a gap), only there" \
    "$(test -s "$WORK/want_first" && diff "$WORK/got_first" "$WORK/want_first")" ""
check "best_side_changed: Comtrade RUS-ARM 2014 (first year) NULL, 2022 (RUS World-only) 1" \
    "$(sq "$DB" "SELECT group_concat(coalesce(best_side_changed, 'NULL'), ' ') FROM
                 (SELECT best_side_changed FROM v_bilateral_growth WHERE source = 'comtrade'
                  AND a = 'RUS' AND b = 'ARM' AND year IN (2014, 2015, 2021, 2022) ORDER BY year)")" \
    "NULL 0 0 1"
finish
