#!/bin/sh
# Error messages that say what is wrong and what to do: every message names the value or file,
# says what is missing (no data for a pair is not "no trade") and what to try; usage errors exit
# 2 with the valid choices. Expected years come from the fixtures' own documentation
# (fixtures/README.md: Russia's Comtrade file has partners 2014-2021 and World only 2022-2024;
# Iran's 2014-2019 and 2021) and from the BACI file names (2019-2022), not from the tool.
. tests/cli/lib.sh
suite messages
DB=$WORK/m.db
OUT=$WORK/rep

"$TR" init --db "$DB" > /dev/null 2>&1
expect_rc "an empty database: report exits 1" 1 "$TR" report --db "$DB" --pair RUS:IRN --out "$OUT"
check_grep "... saying nothing is loaded and what to run" \
    "no data for RUS-IRN: the database holds no trade data yet; load files with 'tradereport import'" \
    "$WORK/err"

expect_rc "fixtures import" 0 "$TR" import --db "$DB" --quiet fixtures/baci/*.csv \
    fixtures/comtrade/comtrade_plus_A_2014-2024_RUS.csv \
    fixtures/comtrade/comtrade_plus_A_2014-2024_IRN.csv

# --- report: a pair without data ---------------------------------------------------------
expect_rc "report RUS:USA (no file has the pair) exits 1" 1 \
    "$TR" report --db "$DB" --pair RUS:USA --out "$OUT"
check_grep "... says 'no data' for the pair" "^tradereport report: no data for RUS-USA: " "$WORK/err"
check "... never the internal year range" "$(grep -c '9999' "$WORK/err")" "0"
check "... never 'no trade'" "$(grep -c 'no trade' "$WORK/err")" "0"
check_grep "... lists the partners RUS has data with" "RUS with [A-Z, ]*IRN" "$WORK/err"
check_grep "... and that USA has none" "USA with no partner" "$WORK/err"
check_grep "... and what to do" "Load a file that covers the pair \('tradereport loads'" "$WORK/err"
check "... and writes no file" "$(ls "$OUT" 2>/dev/null | wc -l | tr -d ' ')" "0"

expect_rc "report --pair RUS:RUS is a usage error" 2 "$TR" report --db "$DB" --pair RUS:RUS
check_grep "... naming the value" "--pair 'RUS:RUS' names one country twice" "$WORK/err"

# --- report: zero trade is data ----------------------------------------------------------
# Kyrgyzstan's 2021 TOTAL rows with Iran, made into rows with the USA of value 0
Z=$WORK/zero
mkdir "$Z"
$PY - fixtures/comtrade/comtrade_plus_A_2014-2024_KGZ.csv > "$Z/comtrade_plus_A_2021_KGZ.csv" <<'EOP'
import csv, sys
rows = csv.reader(open(sys.argv[1], newline="", encoding="utf-8-sig"))
head = next(rows)
col = {name: i for i, name in enumerate(head)}
out = csv.writer(sys.stdout, quoting=csv.QUOTE_ALL, lineterminator="\n")
out.writerow(head)
for r in rows:
    if [r[col[k]] for k in ("refYear", "partnerISO", "cmdCode", "partner2Code")] == ["2021", "IRN", "TOTAL", "0"]:
        r[col["partnerCode"]], r[col["partnerISO"]], r[col["partnerDesc"]] = "842", "USA", "United States"
        for k in ("cifvalue", "fobvalue", "primaryValue"):
            r[col[k]] = "0" if r[col[k]] else ""
        out.writerow(r)
EOP
"$TR" init --db "$Z/z.db" > /dev/null 2>&1
expect_rc "a file with KGZ-USA trade of 0 imports" 0 "$TR" import --db "$Z/z.db" \
    "$Z/comtrade_plus_A_2021_KGZ.csv"
check_grep "... two rows" "2 rows read, 2 loaded" "$WORK/out"
expect_rc "report for a pair whose files record zero trade is written" 0 \
    "$TR" report --db "$Z/z.db" --pair KGZ:USA --out "$Z/rep"
check_grep "... with a note that the zeros are figures, not missing data" \
    "note: the comtrade files record zero trade between KGZ and USA in 2021 \(figures of 0, not missing data\)" \
    "$WORK/err"
expect_rc "a pair with trade gets no such note" 0 \
    "$TR" report --db "$DB" --pair RUS:IRN --out "$Z/rep2"
check "... (stderr empty)" "$(wc -c < "$WORK/err" | tr -d ' ')" "0"

# --- report: --source --------------------------------------------------------------------
expect_rc "report --source BACI (upper case) works" 0 \
    "$TR" report --db "$DB" --pair RUS:IRN --source BACI --out "$OUT"
check "... writing both files" "$(ls "$OUT" | tr '\n' ' ')" "RUS-IRN.pdf RUS-IRN.xlsx "
expect_rc "report --source foo is a usage error" 2 \
    "$TR" report --db "$DB" --pair RUS:IRN --source foo --out "$WORK/rep2"
check_grep "... listing the sources" "unknown source 'foo' for --source: choose one of baci, comtrade, wits" \
    "$WORK/err"

# --- report: years a source does not cover ------------------------------------------------
expect_rc "report --from 2022 --source comtrade exits 1" 1 \
    "$TR" report --db "$DB" --pair RUS:IRN --from 2022 --source comtrade --out "$WORK/rep3"
check_grep "... names the source and the years asked" \
    "no data for RUS-IRN from comtrade in 2022 or later" "$WORK/err"
check_grep "... says Russia reports World totals only after 2021" \
    "RUS reports partners up to 2021, World totals only in 2022-2024" "$WORK/err"
check_grep "... says when Iran's reporting ends" "IRN reports up to 2021" "$WORK/err"
check_grep "... says which source covers the pair and when" "baci 2019-2022" "$WORK/err"
check_grep "... and which --source to try" "try --source baci$" "$WORK/err"
expect_rc "report --from 2030 (no source has it) exits 1" 1 \
    "$TR" report --db "$DB" --pair RUS:IRN --from 2030 --out "$WORK/rep3"
check_grep "... points at --from and --to" \
    "no data for RUS-IRN in 2030 or later: .*comtrade 2014-2021.*; choose years with --from and --to" \
    "$WORK/err"

# --- import --format ------------------------------------------------------------------------
expect_rc "import --format bacci is a usage error" 2 \
    "$TR" import --db "$DB" --format bacci fixtures/baci/country_codes_V202401b.csv
check_grep "... listing the formats" \
    "unknown format 'bacci' for --format; formats: auto, baci, baci-countries, baci-products, .*comtrade-legacy, claims" \
    "$WORK/err"

# --- --db that is not a database ----------------------------------------------------------
mkdir "$WORK/folder"
for c in loads check claims; do
    expect_rc "$c --db DIRECTORY exits 5" 5 "$TR" $c --db "$WORK/folder"
    check_grep "... saying it is a directory" "'$WORK/folder' is a directory, not a database file" \
        "$WORK/err"
    check "... not 'disk I/O error'" "$(grep -c 'disk I/O' "$WORK/err")" "0"
done
expect_rc "import --db DIRECTORY exits 5" 5 "$TR" import --db "$WORK/folder" \
    fixtures/baci/country_codes_V202401b.csv
check "... and leaves no lock file beside it" "$(ls "$WORK" | grep -c 'folder.lock')" "0"
cp fixtures/tiny/README.md "$WORK/notes.md"
for c in loads query import; do
    arg=; [ $c = query ] && arg="SELECT 1"; [ $c = import ] && arg=fixtures/baci/country_codes_V202401b.csv
    expect_rc "$c --db TEXT-FILE exits 5" 5 "$TR" $c --db "$WORK/notes.md" ${arg:+"$arg"}
    check_grep "... naming the file" "'$WORK/notes.md' is not a database file" "$WORK/err"
done
check "import left the text file alone, no lock beside it" \
    "$(cmp -s fixtures/tiny/README.md "$WORK/notes.md" && ls "$WORK" | grep -c notes)" "1"

# --- loads --rejects ----------------------------------------------------------------------
expect_rc "loads --rejects of a missing load exits 1" 1 "$TR" loads --db "$DB" --rejects 99
check_grep "... saying there is no such load" "no load 99 in '$DB'" "$WORK/err"
check "... and prints no header" "$(wc -c < "$WORK/out" | tr -d ' ')" "0"
expect_rc "loads --rejects of a clean load exits 0" 0 "$TR" loads --db "$DB" --rejects 1
check_grep "... saying it has no rejected rows" "load 1 has no rejected rows" "$WORK/err"
finish
