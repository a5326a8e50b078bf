#!/bin/sh
# import --format claims (src/import/import_claims.c, fixtures/claims/README-format.md): users' claims
# land in the claim table beside the built-in ones, checked column by column against python3's
# csv module; re-delivery under the same file name replaces the earlier load's claims.
# Rejected claim rows and their lines are in the bad-input corpus (fixtures/bad/32-*).
. tests/cli/lib.sh
suite import_claims
DB=$WORK/c.db
CLAIMS=$FIX/claims/my_claims.csv
"$TR" init --db "$DB" > /dev/null 2>&1
builtin=$(sq "$DB" "SELECT count(*) FROM claim WHERE origin = 'builtin'")

# user claims as python's csv module reads them: the columns we store, tolerance default 5
py_rows() {
    "$PY" - "$1" <<'EOF'
import csv, sys
with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:
    for r in csv.DictReader(f):
        num = lambda s: repr(float(s)) if s.strip() else ''
        print('|'.join([r['article'], r['metric'], r['a'], r['b'], r['year'], r['base_year'],
                        num(r['stated_value']), r['unit'],
                        num(r['tolerance_pct']) if r['tolerance_pct'].strip() else '5.0',
                        r['product_code'], r['note']]))
EOF
}
db_rows() {
    sqlite3 -batch -noheader "$DB" "SELECT article, metric, coalesce(a, ''), coalesce(b, ''),
        coalesce(year, ''), coalesce(base_year, ''), coalesce(stated_value, ''), coalesce(unit, ''),
        tolerance_pct, coalesce(product_code, ''), coalesce(period_note, '')
        FROM claim WHERE origin = 'user' AND load_id = $1 ORDER BY claim_id"
}

expect_rc "the claims file imports (format detected)" 0 "$TR" import --db "$DB" "$CLAIMS"
check_grep "detected as claims" "load 1 \(claims\): 4 rows read, 4 loaded, 0 rejected" "$WORK/out"
check "row count equals python's csv count" \
    "$(sq "$DB" "SELECT count(*) FROM claim WHERE origin = 'user'")" "$(py_rows "$CLAIMS" | wc -l | tr -d ' ')"
check "every stored column equals python's reading" "$(db_rows 1)" "$(py_rows "$CLAIMS")"
check "built-in claims untouched" "$(sq "$DB" "SELECT count(*) FROM claim WHERE origin = 'builtin'")" "$builtin"
check "load_log row" \
    "$(sq "$DB" "SELECT source || ' ' || format || ' ' || status || ' ' || rows_loaded FROM load_log WHERE load_id = 1")" \
    "reference claims committed 4"
check "no facts from a claims file" "$(sq "$DB" "SELECT count(*) FROM fact_trade")" "0"
expect_rc "check passes after a claims load" 0 "$TR" check --db "$DB"
expect_rc "the same bytes again exit 0" 0 "$TR" import --db "$DB" --format claims "$CLAIMS"
check_grep "... and are already loaded" "already loaded as load 1" "$WORK/out"
check "... and change nothing" "$(sq "$DB" "SELECT count(*) FROM claim WHERE origin = 'user'")" "4"

# a corrected delivery under the same name, from another folder: replaces load 1's claims
mkdir -p "$WORK/v2" "$WORK/other"
{ head -n 1 "$CLAIMS"
  echo 'Russian customs (FCS) figures reported by RT,2022,Russia exported $3.1 bn to Iran in 2021,exports,RUS,IRN,2021,,3.1e9,USD,,,corrected'
  echo 'An op-ed,2024,Russia is the largest foreign investor in Iran,not_measurable,,,,,,,,,"investment, not trade"'
} > "$WORK/v2/my_claims.csv"
expect_rc "a corrected my_claims.csv imports" 0 "$TR" import --db "$DB" "$WORK/v2/my_claims.csv"
check_grep "... and reports the replaced claims" "2 loaded, 0 rejected, replaced 4 earlier rows" "$WORK/out"
check "only the corrected claims remain" "$(db_rows 2)" "$(py_rows "$WORK/v2/my_claims.csv")"
check "no user claims of the old load" "$(sq "$DB" "SELECT count(*) FROM claim WHERE load_id = 1")" "0"
check "old load superseded, new one counts the replaced rows" \
    "$(sq "$DB" "SELECT group_concat(load_id || ':' || status || ':' || rows_replaced, ' ') FROM load_log")" \
    "1:superseded:0 2:committed:4"
check "tolerance defaults to 5" "$(sq "$DB" "SELECT tolerance_pct FROM claim WHERE load_id = 2 AND metric = 'exports'")" "5.0"
check "not_measurable keeps the note as the reason" \
    "$(sq "$DB" "SELECT why_not_measurable || '|' || coalesce(a, 'NULL') FROM claim WHERE load_id = 2 AND metric = 'not_measurable'")" \
    "investment, not trade|NULL"

# another file name adds its claims beside them
cp "$CLAIMS" "$WORK/other/team_claims.csv"
printf 'Extra,2025,Extra claim,turnover,EAEU,IRN,2024,,1e9,USD,10,27,\n' >> "$WORK/other/team_claims.csv"
expect_rc "a file of another name adds claims" 0 "$TR" import --db "$DB" "$WORK/other/team_claims.csv"
check "both files' claims present" "$(sq "$DB" "SELECT count(*) FROM claim WHERE origin = 'user'")" "7"
check "group codes and product codes are kept as text" \
    "$(sq "$DB" "SELECT a || ' ' || product_code || ' ' || typeof(product_code) FROM claim WHERE article = 'Extra'")" \
    "EAEU 27 text"

# a failed corrected delivery changes nothing
before=$(sqlite3 -batch "$DB" "SELECT * FROM claim ORDER BY claim_id" | sha256sum)
{ head -n 1 "$CLAIMS"; echo 'X,2025,Y,exports,RUS,ZZZ,2021,,1,USD,5,,'; } > "$WORK/other/my_claims.csv"
expect_rc "a claims file with an unknown code fails" 3 "$TR" import --db "$DB" "$WORK/other/my_claims.csv"
check_grep "... naming FILE:LINE and the column" "my_claims.csv:2: UNKNOWN_CODE in b" "$WORK/err"
check "... and leaves every claim as it was" \
    "$(sqlite3 -batch "$DB" "SELECT * FROM claim ORDER BY claim_id" | sha256sum)" "$before"
check "... and the earlier load stays committed" \
    "$(sq "$DB" "SELECT status FROM load_log WHERE load_id = 2")" "committed"

# a header-only delivery of a name empties that name's claims, not the others'
head -n 1 "$CLAIMS" > "$WORK/other/my_claims.csv"
expect_rc "a header-only my_claims.csv imports" 0 "$TR" import --db "$DB" "$WORK/other/my_claims.csv"
check "my_claims.csv claims gone, team_claims.csv kept" \
    "$(sq "$DB" "SELECT count(*) FROM claim WHERE origin = 'user'")" "5"
expect_rc "check passes after re-deliveries" 0 "$TR" check --db "$DB"

# the example in README-format.md is a valid claims file
sed -n '/^## Example/,$p' "$FIX/claims/README-format.md" | sed -n '/^```$/,/^```$/p' | sed '/^```$/d' \
    > "$WORK/readme_example.csv"
expect_rc "the README example imports" 0 "$TR" import --db "$DB" "$WORK/readme_example.csv"
check_grep "... all of it" "4 rows read, 4 loaded, 0 rejected" "$WORK/out"
check "... as python reads it" "$(db_rows "$(sq "$DB" 'SELECT max(load_id) FROM load_log')")" \
    "$(py_rows "$WORK/readme_example.csv")"
expect_rc "--format claims on a BACI file fails" 3 "$TR" import --db "$DB" --format claims \
    "$FIX/tiny/BACI_HS17_Y2020_V202401b.csv"
check_grep "... saying what the header must be" "not a claims file" "$WORK/err"
finish
