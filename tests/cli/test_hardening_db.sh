#!/bin/sh
# Hardening of the database side (doc/reliability.md, "Hardening: the database and query"):
# `query` runs only reads (no VACUUM INTO, ATTACH, fts3_tokenizer, pragmas that set); a
# briefing reads one snapshot even when an import commits between its SELECTs; users' own
# views survive every writer and a writer that brings nothing leaves the file's bytes alone;
# a newer or foreign database is left unchanged; output cells are safe for spreadsheets and
# terminals; a negative value that rounds to 0 is still negative. Facts are read back with the
# sqlite3 shell and openpyxl (tests/tools/xlsx_dump.py), never with tradereport itself.
. tests/cli/lib.sh
suite hardening_db
DUMP="$PY tests/tools/xlsx_dump.py"
sha() { sha256sum "$1" | cut -d' ' -f1; }

# --- 1. query reads and nothing else ------------------------------------------------------
DB=$WORK/q.db
expect_rc "query: a database to attack" 0 "$TR" import --db "$DB" \
    fixtures/tiny/BACI_HS17_Y2021_V202401b.csv
expect_rc "query: VACUUM INTO is refused" 1 "$TR" query --db "$DB" "VACUUM INTO '$WORK/stolen.db'"
check "query: VACUUM INTO wrote no copy" "$(test -e "$WORK/stolen.db" && echo copy)" ""
expect_rc "query: fts3_tokenizer() (a memory pointer) is refused" 1 \
    "$TR" query --db "$DB" "SELECT hex(fts3_tokenizer('simple'))"
expect_rc "query: fts3_tokenizer() with two arguments is refused" 1 \
    "$TR" query --db "$DB" "SELECT fts3_tokenizer('simple', x'0000000000000000')"
sqlite3 "$WORK/other.db" "CREATE TABLE secret(x); INSERT INTO secret VALUES ('s3cret');"
expect_rc "query: ATTACH of another file is refused" 1 \
    "$TR" query --db "$DB" "ATTACH '$WORK/other.db' AS o"
expect_rc "query: a temporary table is refused" 1 "$TR" query --db "$DB" "CREATE TEMP TABLE t(x)"
expect_rc "query: a pragma that sets is refused" 1 "$TR" query --db "$DB" "PRAGMA cache_size = 5"
expect_rc "query: user_version = N is refused" 1 "$TR" query --db "$DB" "PRAGMA user_version = 3"
expect_rc "query: load_extension() is refused" 1 \
    "$TR" query --db "$DB" "SELECT load_extension('/nonexistent/lib.so')"
expect_rc "query: two statements are refused" 2 "$TR" query --db "$DB" "SELECT 1; SELECT 2"
check "query: the database is unchanged" "$(sq "$DB" 'PRAGMA user_version')" \
    "$(ls sql/*.sql | wc -l | tr -d ' ')"
expect_rc "query: PRAGMA table_info still works" 0 "$TR" query --db "$DB" --tsv \
    "PRAGMA table_info(meta)"
check "query: table_info lists meta's columns" "$(cut -f2 "$WORK/out" | tr '\n' ' ')" \
    "name key value "
expect_rc "query: pragma_table_info() and json_each() work" 0 "$TR" query --db "$DB" --tsv \
    "SELECT count(*) FROM pragma_table_info('meta') JOIN json_each('[1,2]')"
check "query: 2 columns x 2 elements" "$(sed -n 2p "$WORK/out")" "4"
expect_rc "query: reading user_version works" 0 "$TR" query --db "$DB" "PRAGMA user_version"

# --- 2. a briefing reads one state of the database ----------------------------------------
DB=$WORK/snap.db
expect_rc "snapshot: BACI 2019-2021 import" 0 "$TR" import --db "$DB" \
    fixtures/baci/country_codes_V202401b.csv fixtures/baci/product_codes_HS17_V202401b.csv \
    fixtures/baci/BACI_HS17_Y2019_V202401b.csv fixtures/baci/BACI_HS17_Y2020_V202401b.csv \
    fixtures/baci/BACI_HS17_Y2021_V202401b.csv
sqlite3 "$DB" ".backup '$WORK/before.db'"
# a corrected 2021 (every value doubled, a later release) and a new year, imported by the test
# hook between the briefing's bilateral series and the rest of its SELECTs
awk -F, -v OFS=, 'NR > 1 { $5 = $5 * 2 } { print }' fixtures/baci/BACI_HS17_Y2021_V202401b.csv \
    > "$WORK/BACI_HS17_Y2021_V202501.csv"
cp fixtures/baci/BACI_HS17_Y2022_V202401b.csv "$WORK/"
HOOK="'$TR' import --db '$DB' '$WORK/BACI_HS17_Y2021_V202501.csv' '$WORK/BACI_HS17_Y2022_V202401b.csv' > '$WORK/hook.out' 2>&1"
expect_rc "snapshot: report with an import between its reads" 0 \
    env TR_TEST_REPORT_BETWEEN_READS="$HOOK" "$TR" report --db "$DB" --pair RUS:IRN \
    --source baci --out "$WORK/rep"
check "snapshot: the import ran during the report and committed" \
    "$(sq "$DB" "SELECT count(*) FROM load_log WHERE status = 'committed' AND file_name IN
       ('BACI_HS17_Y2021_V202501.csv', 'BACI_HS17_Y2022_V202401b.csv')")" "2"
X=$WORK/rep/RUS-IRN.xlsx
# column B of the data rows of a sheet, sorted; and the same from the before-state
col() { $DUMP "$X" cells "$1" | awk -F'\t' -v c="$2" '$1 ~ "^" c "[0-9]+$" && $1 != c "1" { print $2 }' | sort; }
col Sources B > "$WORK/got"
sq "$WORK/before.db" "SELECT file_name FROM load_log WHERE status = 'committed'" | sort \
    > "$WORK/want"
check "snapshot: Sources lists the loads of the before-state" "$(cat "$WORK/got")" \
    "$(cat "$WORK/want")"
sum_col() { awk '{ s += $1 } END { printf "%.0f\n", s }'; }
check "snapshot: Composition's 2021 values are the before-state's" \
    "$($DUMP "$X" cells Composition | awk -F'\t' '
        { match($1, /^[A-Z]+/); c = substr($1, 1, RLENGTH); r = substr($1, RLENGTH + 1)
          v[c, r] = $2; if (r + 0 > last) last = r + 0 }
        END { for (r = 2; r <= last; r++) if (v["A", r] == 2021) s += v["E", r] * 1e6
              printf "%.0f\n", s }')" \
    "$(sq "$WORK/before.db" "SELECT printf('%.0f', sum(value_usd)) FROM v_composition
        WHERE source = 'baci' AND grouping = 'section' AND flow = 'X' AND year = 2021 AND
        ((reporter = 'RUS' AND partner = 'IRN') OR (reporter = 'IRN' AND partner = 'RUS'))")"
check "snapshot: no 2022 row on Composition (the year came in mid-report)" \
    "$($DUMP "$X" cells Composition | awk -F'\t' '$1 ~ /^A[0-9]+$/ && $2 == "2022"' | wc -l | tr -d ' ')" "0"

# --- 3. users' own views; a writer that brings nothing writes nothing ---------------------
DB=$WORK/user.db
IN=$WORK/inbox
mkdir -p "$IN"
expect_rc "users: init" 0 "$TR" init --db "$DB"
sq "$DB" "CREATE VIEW my_rus_irn AS SELECT year, turnover_best FROM v_bilateral_annual
          WHERE a = 'RUS' AND b = 'IRN'"
expect_rc "users: init again" 0 "$TR" init --db "$DB"
expect_rc "users: import" 0 "$TR" import --db "$DB" fixtures/tiny/BACI_HS17_Y2020_V202401b.csv
cp fixtures/tiny/BACI_HS17_Y2021_V202401b.csv "$IN/"
expect_rc "users: nightly" 0 "$TR" nightly --db "$DB" --inbox "$IN"
check "users: my_rus_irn survives init, import and nightly" \
    "$(sq "$DB" "SELECT count(*) FROM sqlite_schema WHERE name = 'my_rus_irn'")" "1"
check "users: my_rus_irn still reads our view" "$(sq "$DB" "SELECT count(*) FROM my_rus_irn")" "2"

DB=$WORK/long.db
LONG=v_$(printf '%0140d' 0 | tr 0 x)
expect_rc "long: init" 0 "$TR" init --db "$DB"
sq "$DB" "CREATE VIEW $LONG AS SELECT 1 AS one"
check "long: the user view's name has 142 characters" "${#LONG}" "142"
expect_rc "long: init keeps going with a 142-character user view" 0 "$TR" init --db "$DB"
expect_rc "long: import keeps going with it" 0 "$TR" import --db "$DB" \
    fixtures/tiny/BACI_HS17_Y2020_V202401b.csv
cp fixtures/tiny/BACI_HS17_Y2021_V202401b.csv "$IN/"
expect_rc "long: nightly keeps going with it" 0 "$TR" nightly --db "$DB" --inbox "$IN"
check "long: the view is still there" \
    "$(sq "$DB" "SELECT count(*) FROM sqlite_schema WHERE name = '$LONG'")" "1"

# a database of the tool's own only, so that nothing else can stop these writers early
DB=$WORK/idle.db
rm -f "$IN"/*
expect_rc "idle: import" 0 "$TR" import --db "$DB" fixtures/tiny/BACI_HS17_Y2020_V202401b.csv
before=$(sha "$DB")
expect_rc "idle: an already-loaded import exits 0" 0 "$TR" import --db "$DB" \
    fixtures/tiny/BACI_HS17_Y2020_V202401b.csv
check "idle: an already-loaded import leaves the file's bytes unchanged" "$(sha "$DB")" "$before"
check "idle: and leaves no WAL behind" "$(test -s "$DB-wal" && echo wal)" ""
expect_rc "idle: an empty nightly run exits 0" 0 "$TR" nightly --db "$DB" --inbox "$IN"
check "idle: an empty nightly run leaves the file's bytes unchanged" "$(sha "$DB")" "$before"
expect_rc "idle: init on a current database exits 0" 0 "$TR" init --db "$DB"
check "idle: init on a current database leaves the bytes unchanged" "$(sha "$DB")" "$before"

# --- 4. a newer database, another program's database ---------------------------------------
NEW=$WORK/newer.db
sqlite3 "$NEW" "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE load_log(load_id INTEGER PRIMARY KEY); PRAGMA user_version = 999;"
before=$(sha "$NEW")
expect_rc "newer: import exits 5" 5 "$TR" import --db "$NEW" fixtures/tiny/BACI_HS17_Y2020_V202401b.csv
check_grep "newer: the message names both schema versions" \
    "made by a newer tradereport \(schema 999, this one knows [0-9]+\)" "$WORK/err"
check "newer: journal mode still delete" "$(sq "$NEW" 'PRAGMA journal_mode')" "delete"
check "newer: file bytes unchanged" "$(sha "$NEW")" "$before"
expect_rc "newer: query exits 5" 5 "$TR" query --db "$NEW" "SELECT 1"
check_grep "newer: query says so too" "newer tradereport" "$WORK/err"
FOREIGN=$WORK/foreign.db
sqlite3 "$FOREIGN" "CREATE TABLE patients(id INTEGER PRIMARY KEY, name TEXT);
                    INSERT INTO patients VALUES (1, 'A');"
before=$(sha "$FOREIGN")
expect_rc "foreign: init exits 5" 5 "$TR" init --db "$FOREIGN"
check_grep "foreign: the message says it is not ours" "not a tradereport database" "$WORK/err"
expect_rc "foreign: import exits 5" 5 "$TR" import --db "$FOREIGN" \
    fixtures/tiny/BACI_HS17_Y2020_V202401b.csv
check "foreign: file bytes unchanged" "$(sha "$FOREIGN")" "$before"
check "foreign: no table of ours added" "$(sq "$FOREIGN" "SELECT group_concat(name) FROM sqlite_schema")" \
    "patients"

# --- 5. output cells and text -------------------------------------------------------------
DB=$WORK/out.db
ESC=$(printf '\033')
CL="$WORK/claims-x${ESC}[2J	y.csv"
{
    echo 'article,published,paraphrase,metric,a,b,year,base_year,stated_value,unit,tolerance_pct,product_code,note'
    echo "\"=HYPERLINK(\"\"http://x\"\")\",2023,@SUM(1+1) trade ${ESC}[31mred,turnover,RUS,IRN,2021,,3000000,USD,2,,note"
} > "$CL"
expect_rc "output: tiny BACI import" 0 "$TR" import --db "$DB" fixtures/tiny/BACI_HS17_Y2021_V202401b.csv
expect_rc "output: a claims file with formulas, ESC and a tab in its name" 0 \
    "$TR" import --db "$DB" --format claims "$CL"
expect_rc "output: claims --csv" 0 "$TR" claims --db "$DB" --csv
# the claim's row read with python's csv module: an independent RFC 4180 reader
$PY -c '
import csv, sys
for r in csv.DictReader(open(sys.argv[1], newline="")):
    if "HYPERLINK" in r["article"]:
        print("|".join([r["article"], r["paraphrase"][:5], r["definition"], r["diff_pct"][:1]]))
        break' "$WORK/out" > "$WORK/row"
check "output: text cells beginning = or @ get a leading apostrophe, others do not" \
    "$(cut -d'|' -f1-3 "$WORK/row")" "'=HYPERLINK(\"http://x\")|'@SUM|best turnover, 2021"
check "output: the claim's negative diff_pct stays a number" "$(cut -d'|' -f4 "$WORK/row")" "-"
expect_rc "output: claims table" 0 "$TR" claims --db "$DB"
check "output: no raw ESC in the claims table" "$(grep -c "$ESC" "$WORK/out")" "0"
check_grep "output: ESC shown as \\x1b in the claims table" '\\x1b\[31mred' "$WORK/out"
expect_rc "output: loads" 0 "$TR" loads --db "$DB"
check "output: no raw ESC in loads" "$(grep -c "$ESC" "$WORK/out")" "0"
check "output: every loads line has 15 columns" \
    "$(awk -F'\t' 'NF != 15' "$WORK/out" | wc -l | tr -d ' ')" "0"
check_grep "output: the file name's tab shows as backslash-t" 'claims-x\\x1b\[2J\\ty\.csv' "$WORK/out"
expect_rc "output: query --csv keeps data exact" 0 "$TR" query --db "$DB" --csv "SELECT '=1+1' AS f"
check "output: query --csv does not add an apostrophe" "$(sed -n 2p "$WORK/out" | tr -d '\r')" "=1+1"

finish
