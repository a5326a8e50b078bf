#!/bin/sh
# One briefing, two renderers: every figure the PDF prints (key figures, claim checks, the
# turnover chart's claim labels) is the same cell of the workbook, as the PDF rounds it. The
# demo fixtures (fixtures/demo-files.txt) are imported; pdftotext reads the PDF and
# tests/tools/pdf_vs_xlsx.py reads the workbook with openpyxl, neither through tradereport.
. tests/cli/lib.sh
suite pdf_xlsx

if ! command -v pdftotext > /dev/null 2>&1; then
    not_ok "pdftotext is installed" "apt-get install poppler-utils"
    finish
fi
DB=$WORK/demo.db
# shellcheck disable=SC2046  # the list holds globs, one per line
expect_rc "demo fixtures import" 0 "$TR" import --db "$DB" $(cat fixtures/demo-files.txt)
expect_rc "report RUS:IRN" 0 env SOURCE_DATE_EPOCH=1767225600 \
    "$TR" report --db "$DB" --pair RUS:IRN --out "$WORK/rep"
pdftotext -layout "$WORK/rep/RUS-IRN.pdf" "$WORK/pdf.txt"
$PY tests/tools/pdf_vs_xlsx.py "$WORK/pdf.txt" "$WORK/rep/RUS-IRN.xlsx" > "$WORK/cmp" 2> "$WORK/cmperr"
check "the comparison ran" "$?:$(cat "$WORK/cmperr")" "0:"
check "no PDF figure differs from its workbook cell" "$(grep -v '^same ' "$WORK/cmp" | head -5)" ""
# every year of v_bilateral_annual was compared, 9 figures each, and every claim
years=$(sq "$DB" "SELECT count(*) FROM v_bilateral_annual WHERE source = 'comtrade'
                  AND a = 'RUS' AND b = 'IRN'")
check "every year's key figures compared ($years years, 9 figures each)" \
    "$(grep -c '^same key figures ' "$WORK/cmp")" "$((years * 9))"
check "both figures of each claim on Summary compared" \
    "$(grep -c '^same claim [0-9]* \(stated\|computed\)$' "$WORK/cmp")" \
    "$(($($PY tests/tools/xlsx_dump.py "$WORK/rep/RUS-IRN.xlsx" cells Summary |
          awk -F'\t' '$2 == "Claim" && $1 ~ /^A/ { at = substr($1, 2) + 0 }
                      { r = substr($1, 2) + 0 } $1 ~ /^D/ && at && r > at { n++ }
                      END { print n + 0 }') * 2))"
check "the turnover chart's stated and computed labels compared" \
    "$(grep -c '^same chart mark ' "$WORK/cmp")" "2"

# CHPL pages: the baseline year and every later year with a value (v_basket_flows, read here
# with sqlite3), the same in the PDF's legend and the workbook's chart data; Russia's own
# shipments to Iran named, not folded into Other
want=$(sq "$DB" "SELECT group_concat(year, ' ') FROM (SELECT DISTINCT year FROM v_basket_flows
    WHERE source = 'comtrade' AND destination = 'RUS' AND declared_by = 'exporter'
      AND value_usd IS NOT NULL AND year >= 2021 ORDER BY year)")
check "CHPL years to Russia in the PDF: $want" \
    "$(grep -A1 'CHPL goods shipped to Russian Federation, by tier' "$WORK/pdf.txt" | tail -n 1 |
       tr -s ' ' | sed 's/^ //; s/ $//')" "$want"
check "and in the workbook's chart data" "$($PY - "$WORK/rep/RUS-IRN.xlsx" <<'PYEOF'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])['Chart data']
for row in ws.iter_rows():
    if str(row[0].value or '').startswith('Baskets: CHPL goods to RUS'):
        head = [c.value for c in ws[row[0].row + 1]][1:]
        print(' '.join(str(v) for v in head if v is not None))
PYEOF
)" "$want"
check "Russia named among the exporters of CHPL goods to Iran" \
    "$(grep -A30 'CHPL goods shipped to Iran, by exporter' "$WORK/pdf.txt" | grep -c 'Russian')" "1"

# the comparison can fail: the BACI briefing's workbook against the Comtrade PDF differs
"$TR" report --db "$DB" --pair RUS:IRN --source baci --out "$WORK/baci" > /dev/null 2>&1
$PY tests/tools/pdf_vs_xlsx.py "$WORK/pdf.txt" "$WORK/baci/RUS-IRN.xlsx" > "$WORK/cmp2" 2>&1
check "another source's workbook is caught as different" \
    "$(grep -c '^differs ' "$WORK/cmp2" | awk '{ print ($1 > 0) }')" "1"
# wrapped claim texts: every cell of a row sits on its first line (Excel's default, bottom,
# put a claim's figures beside the next claim); only the title and the headers differ
check "Summary, Claims: every cell but the headers is top-aligned" \
    "$(for s in Summary Claims; do $PY tests/tools/xlsx_dump.py "$WORK/rep/RUS-IRN.xlsx" valign "$s" |
        awk -F'\t' -v s="$s" '$2 != "top" && $2 != "center" && !(s == "Summary" && $1 == "A1")'; done)" ""
finish
