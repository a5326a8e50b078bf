#!/bin/sh
# Input files as they arrive (doc/reliability.md, "Hardening: input files"): texts cut at a
# character boundary wherever they are cut; mixed, Windows-1252 and UTF-16 text; FIFOs,
# devices and endless files refused or bounded; the bytes hashed are the bytes parsed. Stored
# text is read back with sqlite3 and decoded by python3 (strict UTF-8), independent readers.
. tests/cli/lib.sh
suite input_files
TINY21=$FIX/tiny/BACI_HS17_Y2021_V202401b.csv

# utf8_ok DB SQL: "valid" when every value the query returns is strict UTF-8 (python3 decodes
# the bytes sqlite3 gives as hex), else the first bad value's hex.
utf8_ok() {
    sqlite3 -batch -noheader "$1" "SELECT hex(CAST(($2) AS BLOB))" | "$PY" -c '
import sys
for h in sys.stdin.read().split():
    try:
        bytes.fromhex(h).decode("utf-8")
    except UnicodeDecodeError:
        print("invalid:", h[:80]); sys.exit()
print("valid")'
}

fresh_db() {
    rm -f "$1"
    "$TR" init --db "$1" > /dev/null 2>&1
}

# --- cuts on a character boundary ---
D=$WORK/cut
mkdir -p "$D"
DB=$D/t.db
fresh_db "$DB"
# a 152-byte name (76 x U+0416, two bytes each) of a country the master lacks: report.c keeps
# 127 bytes of a name, the middle of the 64th character
NAME=$("$PY" -c 'print("\u0416" * 76)')
printf 'country_code,country_name,country_iso2,country_iso3\n999,%s,XA,XXA\n' "$NAME" \
    > "$D/country_codes_V202401b.csv"
expect_rc "a country file with a 152-byte name loads" 0 "$TR" import --db "$DB" "$D/country_codes_V202401b.csv"
check "the name is stored whole" "$(sq "$DB" "SELECT name FROM dim_country WHERE iso3 = 'XXA'")" "$NAME"
mkdir -p "$D/b"
printf 't,i,j,k,v,q\n2021,999,364,271019,100.000,1.0\n2021,364,999,271019,50.000,1.0\n2020,999,364,271019,90.000,1.0\n' \
    > "$D/b/BACI_HS17_Y2021_V202401b.csv"
expect_rc "trade of that country loads" 0 "$TR" import --db "$DB" "$D/b/BACI_HS17_Y2021_V202401b.csv"
expect_rc "report with the long-named country exits 0" 0 "$TR" report --db "$DB" --pair XXA:IRN --out "$D/rep"
pdftotext "$D/rep/XXA-IRN.pdf" "$D/rep.txt" 2>/dev/null
check_grep "the PDF names the country" "$("$PY" -c 'print("\u0416" * 10)')" "$D/rep.txt"
# a product description longer than the importer's 1024-byte buffer, odd-aligned
DESC=$("$PY" -c 'print("x" + "\u20ac" * 400)')
printf 'code,description\n271019,"%s"\n' "$DESC" > "$D/product_codes_HS17_V202401b.csv"
expect_rc "a product file with a 1201-byte description loads" 0 "$TR" import --db "$DB" "$D/product_codes_HS17_V202401b.csv"
check "the description is cut on a character" \
    "$(utf8_ok "$DB" "SELECT description FROM dim_product WHERE description LIKE 'x%'")" "valid"
# a rejected row longer than the 4096 bytes of raw text kept, cut in a character
mkdir -p "$D/r"
LONGK=$("$PY" -c 'print("\u0416" * 2100)')
{ head -2 "$TINY21"; printf '2021,643,364,%s,1.000,1.0\r\n' "$LONGK"; } > "$D/r/BACI_HS17_Y2021_V202401b.csv"
expect_rc "a row with a 4200-byte product code is rejected" 0 \
    "$TR" import --db "$DB" --max-rejects 1 "$D/r/BACI_HS17_Y2021_V202401b.csv"
check "its raw text is cut on a character" "$(utf8_ok "$DB" "SELECT raw_line FROM load_reject")" "valid"
check "its message is cut on a character" "$(utf8_ok "$DB" "SELECT message FROM load_reject")" "valid"
check "the raw text keeps what fits" \
    "$(sq "$DB" "SELECT length(CAST(raw_line AS BLOB)) FROM load_reject")" "4095"

finish
