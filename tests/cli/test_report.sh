#!/bin/sh
# The briefing workbook end to end on the realistic fixtures: `report --pair RUS:IRN` on a BACI
# database (and on BACI + Comtrade when this build imports Comtrade files), read back with the
# independent reader tests/tools/xlsx_dump.py (openpyxl); every compared figure is read from
# the views with the sqlite3 shell, never from tradereport. Checks the sheet list, whole tables
# against their views, the native charts, Sources against load_log, the fixed creation time.
. tests/cli/lib.sh
suite report
DUMP="$PY tests/tools/xlsx_dump.py"

# norm: numbers in '|'-separated fields as the two readers print them (python repr, sqlite3
# text) made comparable: integral values without decimals, others with six.
norm() {
    awk -F'|' -v OFS='|' '
        function n(v,  x) {
            if (v !~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/) return v
            x = v + 0
            return x == int(x) ? sprintf("%.0f", x) : sprintf("%.6f", x)
        }
        { for (i = 1; i <= NF; i++) $i = n($i); print }'
}

# rows FILE SHEET "A B C": the data rows (2..last) of a sheet, the given columns joined by '|'.
rows() {
    $DUMP "$1" cells "$2" | awk -F'\t' -v cols="$3" '
        { match($1, /^[A-Z]+/); c = substr($1, 1, RLENGTH); r = substr($1, RLENGTH + 1) + 0
          v[c, r] = $2; if (r > last) last = r }
        END { n = split(cols, k, " ")
              for (r = 2; r <= last; r++) {
                  line = ""
                  for (i = 1; i <= n; i++) line = line (i > 1 ? "|" : "") v[k[i], r]
                  print line } }' | norm | sort
}

# expect DB SQL: the view's rows, normalized and sorted like rows().
expect() {
    sqlite3 -batch -noheader -separator '|' "$1" "$2" | norm | sort
}

# same_rows NAME GOT_FILE WANT_FILE: equal non-empty row sets.
same_rows() {
    if [ ! -s "$3" ]; then
        not_ok "$1" "the view returned no rows to compare"
    elif diff "$2" "$3" > "$WORK/diff"; then
        ok "$1 ($(wc -l < "$3" | tr -d ' ') rows)"
    else
        not_ok "$1" "$(head -c 400 "$WORK/diff")"
    fi
}

# beside FILE SHEET LABEL COL: the cell in column COL of the row whose A cell is LABEL.
beside() {
    $DUMP "$1" cells "$2" | awk -F'\t' -v label="$3" -v col="$4" '
        { v[$1] = $2; if ($2 == label && $1 ~ /^A[0-9]+$/ && !row) row = substr($1, 2) }
        END { if (row) print v[col row] }'
}

PAIR="((a = 'RUS' AND b = 'IRN') OR (a = 'IRN' AND b = 'RUS'))"
FLOW_PAIR="((reporter = 'RUS' AND partner = 'IRN') OR (reporter = 'IRN' AND partner = 'RUS'))"
# Claims about RUS-IRN: the pair either way, or a group that holds one of them (EAEU, which
# RUS joined in 2015) with the other; written out by hand for this pair.
CLAIM_PAIR="($PAIR OR (a = 'EAEU' AND b = 'IRN') OR (a = 'IRN' AND b = 'EAEU'))"

# sheets_want DB SOURCE: the sheet list the briefing must have; Monthly only with monthly
# rows, Baskets charts only with CHPL goods all exporters declared shipping to RUS or IRN.
sheets_want() {
    monthly=$(sqlite3 -batch -noheader "$1" \
        "SELECT count(*) FROM v_trade_monthly_ytd WHERE $FLOW_PAIR")
    chpl=$(sqlite3 -batch -noheader "$1" "SELECT count(*) FROM v_basket_flows
           WHERE source = '$2' AND basket = 'CHPL' AND destination IN ('RUS', 'IRN')
           AND declared_by = 'exporter' AND exporter = 'all'")
    printf 'Summary\nBilateral\n'
    [ "$monthly" -gt 0 ] && printf 'Monthly\n'
    printf 'Mirror\nComposition\nBaskets\n'
    [ "$chpl" -gt 0 ] && printf 'Baskets charts\n'
    printf 'Claims\nSources\nDefinitions\nChart data\n'
}

# block FILE TITLE: the data rows of the Chart data block whose title (column A) starts with
# TITLE, columns A B C joined by '|', up to the blank row that ends the block.
block() {
    $DUMP "$1" cells "Chart data" | awk -F'\t' -v title="$2" '
        { match($1, /^[A-Z]+/); c = substr($1, 1, RLENGTH); r = substr($1, RLENGTH + 1) + 0
          v[c, r] = $2; if (c == "A" && index($2, title) == 1 && !at) at = r
          if (r > last) last = r }
        END { if (!at) exit
              for (r = at + 2; r <= last && v["A", r] != ""; r++)
                  print v["A", r] "|" v["B", r] "|" v["C", r] }' | norm | sort
}

# check_workbook DB XLSX SOURCE LABEL: the checks every briefing passes.
check_workbook() {
    db=$1; x=$2; src=$3; tag=$4
    check "$tag: sheets in order" "$($DUMP "$x" sheets)" "$(sheets_want "$db" "$src")"

    rows "$x" Bilateral "A B C D E F G H" > "$WORK/got"
    expect "$db" "SELECT year, a_exports_to_b / 1e6, a_imports_from_b / 1e6, b_exports_to_a / 1e6,
                  b_imports_from_a / 1e6, turnover_a_reported / 1e6, turnover_b_reported / 1e6,
                  turnover_best / 1e6
                  FROM v_bilateral_annual WHERE source = '$src' AND a = 'RUS' AND b = 'IRN'" \
        > "$WORK/want"
    same_rows "$tag: Bilateral equals v_bilateral_annual in US\$ m" "$WORK/got" "$WORK/want"

    rows "$x" Composition "A B C E F G H" > "$WORK/got"
    expect "$db" "SELECT year, reporter, code, value_usd / 1e6, share_pct / 100.0,
                  baseline_usd / 1e6, change_pct / 100.0
                  FROM v_composition WHERE source = '$src' AND grouping = 'section'
                  AND flow = 'X' AND $FLOW_PAIR" > "$WORK/want"
    same_rows "$tag: Composition equals v_composition (sections, exporter's flow)" \
        "$WORK/got" "$WORK/want"
    exporters=$(sqlite3 -batch -noheader "$db" "SELECT count(DISTINCT reporter) FROM v_composition
                WHERE source = '$src' AND grouping = 'section' AND flow = 'X' AND $FLOW_PAIR")
    check "$tag: one column chart per exporter on Composition" \
        "$($DUMP "$x" charts Composition | grep -c '^barChart	[12]$')" "$exporters"

    rows "$x" Baskets "A B C D E F G H" > "$WORK/got"
    expect "$db" "SELECT year, tier, destination, exporter, declared_by, value_usd / 1e6,
                  baseline_usd / 1e6, change_pct / 100.0 FROM v_basket_flows
                  WHERE source = '$src' AND basket = 'CHPL' AND destination IN ('RUS', 'IRN')
                  AND (value_usd IS NOT NULL OR baseline_usd IS NOT NULL)" \
        > "$WORK/want"
    same_rows "$tag: Baskets equals v_basket_flows (CHPL to RUS and IRN, rows with a figure)" \
        "$WORK/got" "$WORK/want"

    rows "$x" Claims "A C D E F I J" > "$WORK/got"
    expect "$db" "SELECT claim_id, definition, coalesce(source, ''),
                  CASE WHEN unit = 'pct' OR metric IN ('turnover_growth_pct', 'tariff_pref_share')
                       THEN computed_value / 100.0 ELSE computed_value / 1e6 END,
                  CASE WHEN unit = 'pct' THEN stated_value / 100.0 ELSE stated_value / 1e6 END,
                  verdict, CASE is_closest WHEN 1 THEN 'yes' ELSE 'no' END
                  FROM v_claim_check WHERE $CLAIM_PAIR" > "$WORK/want"
    same_rows "$tag: Claims equals v_claim_check for the pair" "$WORK/got" "$WORK/want"

    # the files behind the figures: the source's annual files and reference files (RUS-IRN
    # has no monthly rows, so Comtrade's monthly file is out), and the claims file
    rows "$x" Sources "B" > "$WORK/got"
    sqlite3 -batch -noheader "$db" "SELECT file_name FROM load_log WHERE status = 'committed'
        AND ((format LIKE '$src%' AND file_name NOT LIKE '%\\_M\\_%' ESCAPE '\\')
             OR format = 'claims')" | sort > "$WORK/want"
    same_rows "$tag: Sources lists the files of $src and the claims, no other" \
        "$WORK/got" "$WORK/want"
    check "$tag: Sources lists no file of another source" \
        "$(rows "$x" Sources "C" | grep -cv "^$src\|^claims\|^Format")" "0"

    # three lines, and two series of points when a claim about the pair's turnover in US$
    # has a figure computed in a year of the series
    marked=$(sqlite3 -batch -noheader "$db" "SELECT count(*) FROM v_claim_check
             WHERE $CLAIM_PAIR AND metric = 'turnover' AND unit = 'USD'
             AND stated_value IS NOT NULL AND computed_value IS NOT NULL AND year IN
             (SELECT year FROM v_bilateral_annual WHERE source = '$src' AND a = 'RUS' AND b = 'IRN')")
    check "$tag: line chart of turnover on Bilateral" "$($DUMP "$x" charts Bilateral)" \
        "lineChart	$([ "$marked" -gt 0 ] && echo 5 || echo 3)"
    block "$x" "Trade turnover" | cut -d'|' -f1,2 > "$WORK/got"
    expect "$db" "SELECT year, turnover_a_reported / 1e6 FROM v_bilateral_annual
                  WHERE source = '$src' AND a = 'RUS' AND b = 'IRN'" > "$WORK/want"
    same_rows "$tag: the turnover chart's data (Chart data) equal v_bilateral_annual" \
        "$WORK/got" "$WORK/want"
    check "$tag: every chart plots Chart data, none a table a filter can hide rows of" \
        "$(for s in Bilateral Mirror Composition; do $DUMP "$x" series "$s"; done |
           cut -f4,5 | tr '\t' '\n' | grep -v "^'Chart data'!" | head -3)" ""
    check "$tag: workbook pages are A4 landscape, one page wide, header row repeated" \
        "$($DUMP "$x" print Bilateral | sed -n 1,4p | tr '\t\n' ' |')" \
        "orientation landscape|paper 9|fit 1 0|titles \$1:\$1|"
    check "$tag: creation time is the fixed SOURCE_DATE_EPOCH" \
        "$($DUMP "$x" props | sed -n 's/^created	//p')" "2026-01-01T00:00:00Z"
}

# --- BACI alone ----------------------------------------------------------------------------
DB=$WORK/baci.db
OUT=$WORK/rep
expect_rc "BACI fixtures import" 0 "$TR" import --db "$DB" fixtures/baci/*.csv
# user claims about the pair, about a group RUS belongs to, and about others (CHN-RUS and
# EAEU-CHN must stay out of this briefing)
run "$TR" import --db "$DB" --format claims fixtures/claims/my_claims.csv
cat > "$WORK/group_claims.csv" <<'EOF'
article,published,paraphrase,metric,a,b,year,base_year,stated_value,unit,tolerance_pct,product_code,note
Test,2024,EAEU-Iran trade was $5 bn in 2021,turnover,EAEU,IRN,2021,,5e9,USD,5,,
Test,2024,EAEU-China trade was $9 bn in 2021,turnover,EAEU,CHN,2021,,9e9,USD,5,,
EOF
expect_rc "claims about groups import" 0 \
    "$TR" import --db "$DB" --format claims "$WORK/group_claims.csv"
expect_rc "report RUS:IRN on BACI" 0 "$TR" report --db "$DB" --pair RUS:IRN --out "$OUT"
X=$OUT/RUS-IRN.xlsx
check "report prints the workbook's path first" "$(sed -n 1p "$WORK/out")" "$X"
check_workbook "$DB" "$X" baci baci

got=$(rows "$X" Bilateral "A H" | grep '^2021|')
want=$(expect "$DB" "SELECT year, turnover_best / 1e6 FROM v_bilateral_annual
                     WHERE source = 'baci' AND a = 'RUS' AND b = 'IRN' AND year = 2021")
check "Bilateral 2021 turnover (best) = v_bilateral_annual, 4042.0 US\$ m" "$got" "$want"
check "... which is the published 3.07 + 0.972 bn" "$got" "2021|4042"
latest=$(sqlite3 -batch -noheader "$DB" "SELECT max(year) FROM v_bilateral_annual
         WHERE source = 'baci' AND a = 'RUS' AND b = 'IRN'")
check "Summary key figures are for the latest year" "$(beside "$X" Summary "Key figure" B)" \
    "$latest"
check "Summary turnover (best) of the latest year" \
    "$(beside "$X" Summary "Turnover (best)" B | norm)" \
    "$(expect "$DB" "SELECT turnover_best / 1e6 FROM v_bilateral_annual WHERE source = 'baci'
                     AND a = 'RUS' AND b = 'IRN' AND year = $latest")"
check "Mirror explains why BACI has none" \
    "$($DUMP "$X" cells Mirror | grep -c '^A1	.*reconciled: one figure per flow, no mirror')" "1"
check "no mirror chart for BACI" "$($DUMP "$X" charts Mirror)" ""
check "a claim about CHN-RUS is not in this briefing" \
    "$($DUMP "$X" cells Claims | grep -c 'China imported')" "0"
check "a claim about EAEU-IRN is (RUS is in the EAEU), one row per definition tried" \
    "$($DUMP "$X" cells Claims | grep -c '	EAEU-Iran trade was')" \
    "$(sq "$DB" "SELECT count(*) FROM v_claim_check WHERE paraphrase LIKE 'EAEU-Iran trade was%'")"
check "a claim about EAEU-CHN is not" "$($DUMP "$X" cells Claims | grep -c 'EAEU-China')" "0"

# --- claims --pair: the briefing's claims, percentages without a sign, pp differences -------
expect_rc "claims --pair RUS:IRN" 0 "$TR" claims --db "$DB" --pair RUS:IRN
check "claims --pair lists the claims v_claim_check has about the pair (and EAEU-IRN)" \
    "$(sed -n 's/^Claim \([0-9]*\):.*/\1/p' "$WORK/out" | tr '\n' ' ')" \
    "$(sq "$DB" "SELECT DISTINCT claim_id FROM v_claim_check WHERE $CLAIM_PAIR ORDER BY 1" \
       | tr '\n' ' ')"
check "a share claim is stated without a sign (81%, not +81.0%)" \
    "$(grep -A2 'grew by about 81%' "$WORK/out" | sed -n 's/^  Stated: //p')" "81%"
# the closest BACI definition of that claim: stated - computed in percentage points, by sqlite3
want=$(sq "$DB" "SELECT printf('%+.1f pp', stated_value - computed_value) FROM v_claim_check
                 WHERE paraphrase LIKE '%grew by about 81%' AND source = 'baci'
                 AND is_closest = 1")
check "... and differs from the computed share in percentage points ($want)" \
    "$(grep -A6 'grew by about 81%' "$WORK/out" | grep '^\* .* baci ' | grep -c -- " $want ")" "1"
expect_rc "claims --pair RUS:RUS is a usage error" 2 "$TR" claims --db "$DB" --pair RUS:RUS
check_grep "... naming the value" "'RUS:RUS' names one country twice" "$WORK/err"

if command -v libreoffice > /dev/null 2>&1; then
    mkdir -p "$WORK/lo"
    expect_rc "LibreOffice converts the workbook to PDF" 0 \
        env HOME="$WORK/lo" libreoffice --headless --convert-to pdf --outdir "$WORK/lo" "$X"
    check "LibreOffice wrote the PDF" "$(test -s "$WORK/lo/RUS-IRN.pdf" && echo yes)" "yes"
fi

# --- BACI + Comtrade, when this build imports Comtrade files --------------------------------
DB2=$WORK/both.db
"$TR" import --db "$DB2" fixtures/baci/*.csv > /dev/null 2>&1
if "$TR" import --db "$DB2" fixtures/comtrade/*.csv > /dev/null 2>&1; then
    OUT2=$WORK/rep2
    expect_rc "report RUS:IRN from Comtrade" 0 \
        "$TR" report --db "$DB2" --pair RUS:IRN --source comtrade --out "$OUT2"
    X2=$OUT2/RUS-IRN.xlsx
    check_workbook "$DB2" "$X2" comtrade comtrade

    rows "$X2" Mirror "A B C D E F G H I" > "$WORK/got"
    expect "$DB2" "SELECT year, reporter, partner, flow, reported_usd / 1e6, mirror_usd / 1e6,
                   gap_usd / 1e6, ratio, flag FROM v_mirror_gap
                   WHERE source = 'comtrade' AND $FLOW_PAIR" > "$WORK/want"
    same_rows "comtrade: Mirror equals v_mirror_gap" "$WORK/got" "$WORK/want"
    n=$(sqlite3 -batch -noheader "$DB2" "SELECT count(*) FROM v_mirror_gap
        WHERE source = 'comtrade' AND reporter = 'RUS' AND partner = 'IRN' AND flow = 'X'")
    check "comtrade: mirror chart of RUS's exports, two series of $n years" \
        "$($DUMP "$X2" charts Mirror)" "barChart	2"
    block "$X2" "Mirror" > "$WORK/got"
    expect "$DB2" "SELECT year, reported_usd / 1e6, mirror_usd / 1e6 FROM v_mirror_gap
                   WHERE source = 'comtrade' AND reporter = 'RUS' AND partner = 'IRN'
                   AND flow = 'X'" > "$WORK/want"
    same_rows "comtrade: the mirror chart's data are RUS's exports to IRN, reported and mirror" \
        "$WORK/got" "$WORK/want"

    # monthly data: CHN-RUS has Comtrade monthly rows
    expect_rc "report CHN:RUS from Comtrade" 0 \
        "$TR" report --db "$DB2" --pair CHN:RUS --source comtrade --out "$OUT2"
    X3=$OUT2/CHN-RUS.xlsx
    check "CHN:RUS has a Monthly sheet" "$($DUMP "$X3" sheets | grep -c '^Monthly$')" "1"
    rows "$X3" Monthly "A B C D E F G H I J K" > "$WORK/got"
    expect "$DB2" "SELECT year, month, reporter, partner, flow, value_usd / 1e6, ytd_usd / 1e6,
                   ytd_growth_pct / 100.0, r12_usd / 1e6, r12_growth_pct / 100.0, source
                   FROM v_trade_monthly_ytd WHERE (reporter = 'CHN' AND partner = 'RUS')
                   OR (reporter = 'RUS' AND partner = 'CHN')" > "$WORK/want"
    same_rows "CHN:RUS Monthly equals v_trade_monthly_ytd" "$WORK/got" "$WORK/want"
fi
# The writers are a shared object found beside the binary (or in ../lib/tradereport, or the
# LIBDIR of make install): a copy of the binary alone still queries, and its report fails
# with exit 5, a message naming the file, and no file written. Under make valgrind $TR is a
# wrapper script that runs the binary where it was built, so the copy is of TR_REAL_BIN.
mkdir -p "$WORK/alone"
cp "${TR_REAL_BIN:-$TR}" "$WORK/alone/tradereport"
expect_rc "a binary without its writers still queries" 0 \
    "$WORK/alone/tradereport" query --db "$DB" "SELECT count(*) FROM v_bilateral_annual"
expect_rc "a binary without its writers: report exits 5" 5 \
    "$WORK/alone/tradereport" report --db "$DB" --pair RUS:IRN --out "$WORK/alone/out"
check_grep "... and names the writers it looked for" \
    "cannot load the report writers: .*alone/tradereport-writers.so" "$WORK/err"
check "... and creates nothing" "$([ -e "$WORK/alone/out" ] && echo exists)" ""
# a writers object left from another version: its ABI figures differ, so it is never called
cat > "$WORK/stale.c" <<'EOF2'
struct abi { int version; unsigned long report_size; };
const struct abi tr_writers_abi = {1, 64};
int tr_xlsx_write(void) { return *(volatile int *)0; }
int tr_pdf_write(void) { return *(volatile int *)0; }
EOF2
cc -shared -fPIC -o "$WORK/alone/tradereport-writers.so" "$WORK/stale.c"
expect_rc "a stale writers object: report exits 5 without calling it" 5 \
    "$WORK/alone/tradereport" report --db "$DB" --pair RUS:IRN --out "$WORK/alone/out"
check_grep "... and says to install both together" \
    "tradereport-writers.so was built for another version of tradereport \(writers ABI 1, report 64 bytes" \
    "$WORK/err"
check "... and creates nothing" "$([ -e "$WORK/alone/out" ] && echo exists)" ""
finish
