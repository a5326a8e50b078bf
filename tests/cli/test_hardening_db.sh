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

finish
