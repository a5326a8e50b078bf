#!/bin/sh
# The bad-input corpus (fixtures/bad/README.md): every case of fixtures/bad/expected.tsv is
# imported into a copy of a baseline database (fixtures/tiny 2020, plus the case's before/ files)
# and must give its exit code (never a crash), its committed rows and its reject types; load_log
# must balance; a failed step must leave every committed table byte for byte as it was and name
# FILE:LINE on stderr. Hand-checked line numbers and totals follow the table.
. tests/cli/lib.sh
suite bad_inputs
BAD=$FIX/bad
TAB=$(printf '\t')

# fingerprint DB: a sha256 over every table a failed import must not touch.
fingerprint() {
    for t in "fact_trade ORDER BY trade_key" \
             "fact_trade_breakdown ORDER BY rowid" \
             "sum_trade ORDER BY reporter_id, partner_id, source_id, classification, year, month, flow" \
             "load_partition ORDER BY load_id, source_id, classification, year, month, reporter_id" \
             "claim ORDER BY claim_id" \
             "country_code ORDER BY system, code, valid_from" \
             "dim_country ORDER BY country_id" \
             "dim_product ORDER BY product_id" \
             "(SELECT load_id, status, rows_loaded, rows_replaced FROM load_log WHERE status <> 'failed') ORDER BY load_id"; do
        echo "== $t"
        sqlite3 -batch "$1" "SELECT * FROM $t"
    done | sha256sum | cut -d' ' -f1
}

BASE=$WORK/base.db
"$TR" init --db "$BASE" > /dev/null 2>&1
"$TR" import --db "$BASE" "$FIX/tiny/BACI_HS17_Y2020_V202401b.csv" > /dev/null 2>&1
check "baseline holds the 2020 tiny file" "$(sq "$BASE" 'SELECT count(*) FROM fact_trade')" "3"

n_cases=0
while IFS="$TAB" read -r cs args want_rc want_rows want_types; do
    [ "$cs" = case ] && continue
    n_cases=$((n_cases + 1))
    dir=$BAD/$cs
    if [ -f "$dir/generate.sh" ]; then
        dir=$WORK/gen-$cs
        mkdir -p "$dir"
        sh "$BAD/$cs/generate.sh" "$dir"
    fi
    db=$WORK/$cs.db
    cp "$BASE" "$db"
    if [ -d "$BAD/$cs/before" ]; then
        expect_rc "$cs: the earlier delivery imports" 0 "$TR" import --db "$db" "$BAD/$cs"/before/*
    fi
    first_new=$(($(sq "$db" 'SELECT coalesce(max(load_id), 0) FROM load_log') + 1))
    facts0=$(sq "$db" 'SELECT count(*) FROM fact_trade')

    # the steps: "args | args", exit codes "rc|rc"
    step=0
    rest_args=$args
    rest_rc=$want_rc
    while [ -n "$rest_args" ]; do
        step=$((step + 1))
        a=${rest_args%% | *}
        case $rest_args in *" | "*) rest_args=${rest_args#* | } ;; *) rest_args= ;; esac
        r=${rest_rc%%|*}
        case $rest_rc in *"|"*) rest_rc=${rest_rc#*|} ;; *) rest_rc= ;; esac
        a=$(printf '%s' "$a" | sed "s#@/#$dir/#g")
        before=$(fingerprint "$db")
        step_first=$(($(sq "$db" 'SELECT coalesce(max(load_id), 0) FROM load_log') + 1))
        set -f
        # shellcheck disable=SC2086  # args are words without spaces, split on purpose
        expect_rc "$cs: step $step exits $r" "$r" "$TR" import --db "$db" $a
        set +f
        if [ "$RC" -ne 0 ] && [ "$RC" -lt 128 ]; then
            check "$cs: step $step leaves facts, sums, claims and codes as they were" \
                "$(fingerprint "$db")" "$before"
            check "$cs: step $step records one failed load" \
                "$(sq "$db" "SELECT group_concat(status) FROM load_log WHERE load_id >= $step_first")" \
                "failed"
            # a verdict on the whole file (the shrink guard) names the file without a line
            check_grep "$cs: step $step names FILE:LINE (or FILE for the whole file) on stderr" \
                "$(printf '%s' "$dir" | sed 's/[.]/[.]/g')/[^:]+(:[0-9]+)?: " "$WORK/err"
        fi
        cp "$WORK/out" "$WORK/$cs.out"
        cp "$WORK/err" "$WORK/$cs.err"
        last_first=$step_first
    done

    # what the case committed, and how load_log balances
    check "$cs: rows loaded" \
        "$(sq "$db" "SELECT coalesce(sum(rows_loaded), 0) FROM load_log WHERE load_id >= $first_new AND status IN ('committed', 'superseded')")" \
        "$want_rows"
    check "$cs: load_log balances (rows_read = rows_loaded + rows_rejected)" \
        "$(sq "$db" "SELECT count(*) FROM load_log WHERE load_id >= $first_new AND rows_read <> rows_loaded + rows_rejected")" "0"
    check "$cs: fact rows follow the committed trade loads" \
        "$(sq "$db" "SELECT count(*) - $facts0 FROM fact_trade")" \
        "$(sq "$db" "SELECT coalesce(sum(rows_loaded - rows_replaced), 0) FROM load_log WHERE load_id >= $first_new AND status = 'committed' AND format = 'baci'")"
    got_types=$(sq "$db" "SELECT DISTINCT error_type FROM load_reject WHERE load_id >= $last_first ORDER BY 1" | paste -sd, -)
    check "$cs: reject types" "${got_types:--}" "$want_types"
    run "$TR" check --db "$db"
    check "$cs: check passes afterwards" "$RC $(grep -m1 FAIL "$WORK/out")" "0 "
done < "$BAD/expected.tsv"
check "the corpus has at least 25 cases" "$([ "$n_cases" -ge 25 ] && echo yes)" "yes"
# fuzz/ holds the fuzzers' regression inputs, replayed by make fuzz, not corpus cases
check "every case folder is in expected.tsv" \
    "$(ls "$BAD" | grep -v -e '[.]md$' -e '[.]tsv$' -e '^fuzz$' | sort | paste -sd' ' -)" \
    "$(cut -f1 "$BAD/expected.tsv" | sed 1d | sort | paste -sd' ' -)"

# ---- hand-checked details (lines counted in the fixture files by hand) ----
rej() {   # rej CASE: "line column type" of each reject of the case's last load(s)
    sq "$WORK/$1.db" "SELECT line || ' ' || coalesce(column_name, '-') || ' ' || error_type FROM load_reject
                      WHERE load_id = (SELECT max(load_id) FROM load_log) ORDER BY line" | paste -sd';' -
}
fact_sum() { sq "$WORK/$1.db" "SELECT count(*) || ' ' || sum(value_usd) FROM fact_trade"; }

# 1 BOM: the BOM is not data: header recognised, 1,750,500 baseline + 3,734,817
check "01: BOM file totals" "$(fact_sum 01-bom-valid)" "6 5485317"
check "02: invalid UTF-8 is rejected on the line that holds it" \
    "$(grep -c 'BACI_HS17_Y2021_V202401b.csv:3: BAD_ENCODING: invalid UTF-8 at byte 80 ' "$WORK/02-bom-invalid-utf8.err" 2>/dev/null || true)" "1"
check "03: CRLF, LF and CR line ends all load: 1,750,500 + 73,734,817" \
    "$(fact_sum 03-mixed-line-ends)" "7 75485317"
check "04: a record after a bare CR line end gets its own line number" "$(rej 04-cr-line-numbers)" \
    "3 k BAD_PRODUCT"
check "04: the rejected raw line is that record alone" \
    "$(sq "$WORK/04-cr-line-numbers.db" "SELECT raw_line FROM load_reject")" "2021,643,364,ABC123,2000.000,10.500"
check "08: the short row is line 3" "$(rej 08-too-few-fields)" "3 - FIELD_COUNT"
check "10: a legacy 8-bit file detected and recorded as Windows-1252" \
    "$(sq "$WORK/10-latin1-country-file.db" "SELECT encoding FROM load_log WHERE format = 'baci-countries'")" "windows-1252"
check "10: Latin-1 text converted to UTF-8 in the reject" \
    "$(sq "$WORK/10-latin1-country-file.db" "SELECT line || ' ' || (instr(raw_line, 'Territoire français') > 0) FROM load_reject")" "5 1"
check "12: the 10 MB record fails the file at line 3 (memory stays bounded)" \
    "$(sq "$WORK/12-field-10mb.db" "SELECT substr(message, 1, 30) FROM load_log WHERE status = 'failed'")" \
    "line 3: a record longer than 1"
check "14: 1e400 in v (line 3) and in q (line 4)" "$(rej 14-1e400)" "3 v OUT_OF_RANGE;4 q OUT_OF_RANGE"
check "17: an empty quantity is a missing quantity, not a reject" \
    "$(sq "$WORK/17-empty-values.db" "SELECT count(*) FROM fact_trade WHERE year = 2021 AND qty IS NULL")" "2"
check "17: empty value line 3, empty exporter line 4" "$(rej 17-empty-values)" \
    "3 v MISSING_VALUE;4 i UNKNOWN_CODE"
check "19: the duplicate is line 5; the first occurrence is kept" \
    "$(rej 19-duplicate-keys) $(sq "$WORK/19-duplicate-keys.db" "SELECT value_usd FROM fact_trade f JOIN dim_product p USING (product_id) WHERE p.code = '010121' AND f.year = 2021")" \
    "5 - DUPLICATE_KEY 1234567"
check "22: the cut record is line 4" "$(rej 22-truncated)" "4 - FIELD_COUNT"
check "22: the truncation error names FILE:4" \
    "$(grep -c 'BACI_HS17_Y2021_V202401b.csv:4: truncated file' "$WORK/22-truncated.err" 2>/dev/null || true)" "1"
check "25: a header-only file commits an empty load" \
    "$(sq "$WORK/25-header-only.db" "SELECT status || ' ' || rows_read FROM load_log WHERE load_id = 2")" "committed 0"
check "26: the error lists the formats tried and the header found" \
    "$(grep -c 'header "year,exporter,importer,product,value,quantity" matches none of the formats tried (baci, baci-countries, baci-products' "$WORK/26-unknown-header.err" 2>/dev/null || true)" "1"
check "27: the second run is 'already loaded'" \
    "$(grep -c 'already loaded as load 2, nothing changed' "$WORK/27-same-file-twice.out" 2>/dev/null || true)" "1"
check "27: one load only" "$(sq "$WORK/27-same-file-twice.db" "SELECT count(*) FROM load_log")" "2"
check "28: a new release replaces the year's rows: 1,750,500 + 73,750,000" \
    "$(fact_sum 28-redelivery-new-release)" "7 75500500"
check "28: rows_replaced and the earlier load superseded" \
    "$(sq "$WORK/28-redelivery-new-release.db" "SELECT group_concat(load_id || ':' || status || ':' || rows_replaced, ' ') FROM load_log")" \
    "1:committed:0 2:superseded:0 3:committed:4"
check "29: a corrected file of the same name replaces the rows: 1,750,500 + 73,839,817" \
    "$(fact_sum 29-redelivery-same-name)" "8 75590317"
check "29: rows_replaced and the earlier load superseded" \
    "$(sq "$WORK/29-redelivery-same-name.db" "SELECT group_concat(load_id || ':' || status || ':' || rows_replaced, ' ') FROM load_log")" \
    "1:committed:0 2:superseded:0 3:committed:4"
check "30: the failed run is kept (all 3 rows read count as not loaded), the re-run commits" \
    "$(sq "$WORK/30-rerun-higher-max-rejects.db" "SELECT group_concat(load_id || ':' || status || ':' || rows_rejected, ' ') FROM load_log")" \
    "1:committed:0 2:failed:3 3:committed:1"
check "30: the reject is line 3, importer" "$(rej 30-rerun-higher-max-rejects)" "3 j UNKNOWN_CODE"
check "31: blank lines are not rows" \
    "$(sq "$WORK/31-blank-lines.db" "SELECT rows_read FROM load_log WHERE load_id = 2")" "3"
check "32: claim rejects by line and column (a quoted note spans lines 2-3)" "$(rej 32-claims-bad-values)" \
    "4 metric BAD_VALUE;5 b UNKNOWN_CODE;6 unit BAD_VALUE;7 stated_value BAD_NUMBER;8 year BAD_NUMBER;11 stated_value OUT_OF_RANGE;12 product_code BAD_PRODUCT;14 unit MISSING_VALUE;15 - FIELD_COUNT"
check "33: the implausible value is line 3, the others load: 1,234,567 + 500,250 US$" \
    "$(rej 33-implausible-value) $(fact_sum 33-implausible-value)" "3 - OUT_OF_RANGE 5 3485317"
check "34: the sum passes 2^63 at line 9225, and the error says so" \
    "$(grep -c 'BACI_HS17_Y2021_V202401b.csv:9225: the values of one reporter, partner, year and flow add up beyond' "$WORK/34-group-sum-overflow.err" 2>/dev/null || true)" "1"
finish
