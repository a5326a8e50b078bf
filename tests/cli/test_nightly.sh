#!/bin/sh
# tradereport nightly: an inbox with a good file, the same bytes under another name, a broken
# file and a corrected re-delivery; archive, quarantine and reason file; the facts (read with
# sqlite3); the change summary against figures worked by hand; an empty re-run that changes
# nothing; a second writer that exits 4 and touches nothing; reports; moves across
# filesystems, name clashes, an I/O error mid-run, re-processing a fixed quarantined file.
. tests/cli/lib.sh
suite nightly
W=$WORK/n
DB=$W/trade.db
IN=$W/inbox
DAY=2026-01-01                 # SOURCE_DATE_EPOCH of lib.sh, UTC
mkdir -p "$IN"
TINY20=$FIX/tiny/BACI_HS17_Y2020_V202401b.csv
TINY21=$FIX/tiny/BACI_HS17_Y2021_V202401b.csv

dump_sum() { sqlite3 -batch "$DB" .dump | sha256sum | cut -d' ' -f1; }

# --- the command line ---
expect_rc "help nightly exits 0" 0 "$TR" help nightly
check_grep "help names the quarantine" "NAME.reason.txt" "$WORK/out"
expect_rc "--inbox is required" 2 "$TR" nightly --db "$DB"
expect_rc "--reports without --pair is a usage error" 2 \
    "$TR" nightly --db "$DB" --inbox "$IN" --reports "$W/rep"
expect_rc "a malformed --pair is a usage error" 2 "$TR" nightly --db "$DB" --inbox "$IN" --pair RUS
expect_rc "a missing inbox exits 5" 5 "$TR" nightly --db "$DB" --inbox "$W/nope"
check "a missing inbox creates no database" "$(ls "$W")" "inbox"
expect_rc "an unknown country in --pair exits 2" 2 \
    "$TR" nightly --db "$DB" --inbox "$IN" --pair RUS:XXQ

# --- yesterday: the 2021 file as first published ---
expect_rc "yesterday's import" 0 "$TR" import --db "$DB" "$TINY21"

# --- tonight's inbox ---
cp "$TINY20" "$IN/BACI_HS17_Y2020_V202401b.csv"                  # good: new partitions
cp "$TINY20" "$IN/BACI_HS17_Y2020_V202401b_copy.csv"             # the same bytes again
# broken: 2019, line 3 carries a value that is not a number
sed -e 's/^2020,/2019,/' -e '3s/500\.500/5OO.500/' "$TINY20" > "$IN/BACI_HS17_Y2019_V202401b.csv"
# corrected re-delivery of 2021 (same BOM, CRLF, padding): RUS->IRN 271019 2000.000 -> 2100.000,
# IRN->RUS 080410 500.250 -> 480.250 (thousands of US$)
sed -e 's/2000\.000/2100.000/' -e 's/500\.250/480.250/' "$TINY21" > "$IN/BACI_HS17_Y2021_V202501.csv"
# left alone: a file still being written, a hidden file, a subdirectory
echo partial > "$IN/BACI_HS17_Y2022_V202401b.csv.part"
echo hidden > "$IN/.notes"
mkdir "$IN/sub"

expect_rc "the run exits 1: one file was quarantined" 1 \
    "$TR" nightly --db "$DB" --inbox "$IN" --pair RUS:IRN --reports "$W/rep"
cp "$WORK/out" "$W/summary.txt"
check "nothing on stderr (cron mails only the summary)" "$(cat "$WORK/err")" ""

check "archive: the loaded and already-loaded files, in a dated folder beside the inbox" \
    "$(ls "$W/archive/$DAY" | tr '\n' ' ')" \
    "BACI_HS17_Y2020_V202401b.csv BACI_HS17_Y2020_V202401b_copy.csv BACI_HS17_Y2021_V202501.csv "
check "archived bytes are the delivered bytes" \
    "$(cmp "$TINY20" "$W/archive/$DAY/BACI_HS17_Y2020_V202401b_copy.csv" && echo same)" "same"
check "inbox: only the partial, the hidden file and the subdirectory are left" \
    "$(ls -A "$IN" | tr '\n' ' ')" ".notes BACI_HS17_Y2022_V202401b.csv.part sub "
check "quarantine: the broken file and its reason" "$(ls "$W/quarantine" | tr '\n' ' ')" \
    "BACI_HS17_Y2019_V202401b.csv BACI_HS17_Y2019_V202401b.csv.reason.txt "
R=$W/quarantine/BACI_HS17_Y2019_V202401b.csv.reason.txt
check_grep "reason: the error" "^error: +1 row rejected.*BAD_NUMBER" "$R"
check_grep "reason: the line" "^line: +3$" "$R"
check_grep "reason: the rows" "^rows: +3 read, 1 rejected, nothing committed" "$R"
check_grep "reason: the first reject" "BACI_HS17_Y2019_V202401b.csv:3: BAD_NUMBER in v" "$R"
check_grep "reason: how to re-process" "^  mv '.*/quarantine/BACI_HS17_Y2019_V202401b.csv' '.*/inbox/BACI_HS17_Y2019_V202401b.csv'" "$R"

# facts, read with sqlite3: 2020 (3 rows) and the corrected 2021 (6 rows); nothing of 2019
check "facts: 9 rows" "$(sq "$DB" 'SELECT count(*) FROM fact_trade')" "9"
# 3,335,000 + 580,000 + 70,000,000 (2021) + 1,500,500 + 250,000 (2020)
check "facts: total value" "$(sq "$DB" 'SELECT sum(value_usd) FROM fact_trade')" "75665500"
check "facts: nothing of the quarantined year" \
    "$(sq "$DB" 'SELECT count(*) FROM fact_trade WHERE year = 2019')" "0"
check "RUS->IRN 2021 is the corrected figure" \
    "$(sq "$DB" "SELECT value_usd FROM v_trade_annual WHERE reporter='RUS' AND partner='IRN' AND year=2021")" \
    "3335000"
check "lineage: the first 2021 file superseded, the broken one failed" \
    "$(sq "$DB" "SELECT group_concat(file_name || ':' || status, ' ') FROM (SELECT * FROM load_log ORDER BY load_id)")" \
    "BACI_HS17_Y2021_V202401b.csv:superseded BACI_HS17_Y2019_V202401b.csv:failed BACI_HS17_Y2020_V202401b.csv:committed BACI_HS17_Y2021_V202501.csv:committed"
check "nightly_run records the run" \
    "$(sq "$DB" "SELECT files_ok, files_already, files_failed, rows_loaded, rows_rejected, rows_replaced, reports_written, exit_code, started_at, finished_at IS NOT NULL FROM nightly_run")" \
    "2|1|1|9|1|6|1|1|2026-01-01T00:00:00Z|1"
check "nightly_file records each file" \
    "$(sq "$DB" "SELECT group_concat(outcome || ':' || coalesce(load_id, '-'), ' ') FROM (SELECT * FROM nightly_file ORDER BY seq)")" \
    "quarantined:2 loaded:3 already:3 loaded:4"
check "nightly_change: the moved totals, unchanged RUS->CHN left out" \
    "$(sq "$DB" "SELECT group_concat(reporter || '>' || partner || ' ' || old_usd || ' ' || new_usd || ' ' || change_usd, ', ') FROM (SELECT * FROM nightly_change ORDER BY reporter)")" \
    "IRN>RUS 600000 580000 -20000, RUS>IRN 3235000 3335000 100000"

# the morning summary
S=$W/summary.txt
check_grep "summary: files" "^files: 4: 2 loaded, 1 already loaded, 1 quarantined$" "$S"
check_grep "summary: rows" "^rows: +9 loaded, 1 rejected, 6 earlier rows replaced$" "$S"
check_grep "summary: the quarantined file and its line" \
    "QUARANTINED +BACI_HS17_Y2019_V202401b.csv: line 3: " "$S"
check_grep "summary: the already-loaded copy" \
    "already +BACI_HS17_Y2020_V202401b_copy.csv: same bytes as load 3" "$S"
check_grep "summary: the new partitions" "^  new +baci H5 2020: IRN, RUS$" "$S"
check_grep "summary: the revised partitions" "^  revised +baci H5 2021: IRN, RUS$" "$S"
# hand-worked: RUS->IRN 1234.567 + 2100.000 + 0.433 = 3335 vs 3235 thousand: +100,000, +3.09 %;
# IRN->RUS 480.250 + 99.750 = 580 vs 600 thousand: -20,000, -3.33 %
check_grep "summary: RUS->IRN moved +100,000 (+3.09%)" \
    "^  baci +2021 +RUS +IRN +X +3,235,000 +3,335,000 +\+100,000 +\+3\.09%$" "$S"
check_grep "summary: IRN->RUS moved -20,000 (-3.33%)" \
    "^  baci +2021 +IRN +RUS +X +600,000 +580,000 +-20,000 +-3\.33%$" "$S"
check "summary: the largest revision first" \
    "$(grep -E '^  baci +2021' "$S" | awk '{print $3}' | tr '\n' ' ')" "RUS IRN "
check "summary: the unchanged total is not listed" "$(grep -c ' CHN ' "$S")" "0"
check_grep "summary: the partial file left in the inbox" "1 file still being written" "$S"

# reports
check "reports: both files written" \
    "$(ls "$W/rep" | tr '\n' ' ')" "RUS-IRN.pdf RUS-IRN.xlsx "
check "reports: no temporary files left" "$(ls -A "$W/rep" | grep -c tmp)" "0"
check "no temporary files anywhere" "$(find "$W" -name '*.tmp*' | wc -l | tr -d ' ')" "0"
# 2021 turnover after the revision: 3,335,000 + 580,000 = US$ 3.915 m (column H of Bilateral)
check "reports: the workbook shows the revised turnover" \
    "$($PY tests/tools/xlsx_dump.py "$W/rep/RUS-IRN.xlsx" cells Bilateral | grep '^H3	')" "H3	3.915"
check_grep "summary: the reports" "^  RUS-IRN.xlsx, RUS-IRN.pdf$" "$S"

# --- again, with an empty inbox: nothing changes ---
before=$(dump_sum)
expect_rc "an empty inbox exits 0" 0 \
    "$TR" nightly --db "$DB" --inbox "$IN" --pair RUS:IRN --reports "$W/rep"
check "an empty inbox prints nothing" "$(cat "$WORK/out" "$WORK/err")" ""
check "an empty inbox leaves the database as it was" "$(dump_sum)" "$before"

# --- a second writer: exits 4 at once, touches nothing ---
cp "$TINY20" "$IN/BACI_HS17_Y2020_V202401b.csv"
( flock -x 9; : > "$W/locked"; while [ ! -e "$W/release" ]; do sleep 0.05; done ) 9> "$DB.lock" &
holder=$!
i=0; while [ ! -e "$W/locked" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
before=$(dump_sum)
archived=$(find "$W/archive" -type f | wc -l)
expect_rc "a second writer exits 4" 4 "$TR" nightly --db "$DB" --inbox "$IN"
check_grep "busy is said on stderr" "busy" "$WORK/err"
check "busy: the file stays in the inbox" \
    "$(test -f "$IN/BACI_HS17_Y2020_V202401b.csv" && echo yes)" "yes"
check "busy: nothing archived" "$(find "$W/archive" -type f | wc -l)" "$archived"
check "busy: the database is untouched" "$(dump_sum)" "$before"
: > "$W/release"
wait "$holder"
rm -f "$W/locked" "$W/release"

# the writer that holds the lock works; the same name again does not overwrite the archive
expect_rc "the other job works" 0 "$TR" nightly --db "$DB" --inbox "$IN"
check_grep "same bytes again: already loaded" "already +BACI_HS17_Y2020_V202401b.csv" "$WORK/out"
check_grep "summary says nothing changed" "no partition is new or revised" "$WORK/out"
check "a name clash in the archive gets a suffix" \
    "$(ls "$W/archive/$DAY" | grep -c '^BACI_HS17_Y2020_V202401b\.1\.csv$')" "1"
check "the first archived file is kept" \
    "$(cmp "$TINY20" "$W/archive/$DAY/BACI_HS17_Y2020_V202401b.csv" && echo same)" "same"

# --- re-processing the fixed quarantined file, moved across filesystems ---
sed 's/5OO\.500/500.500/' "$W/quarantine/BACI_HS17_Y2019_V202401b.csv" \
    > "$IN/BACI_HS17_Y2019_V202401b.csv"
rm "$W/quarantine/BACI_HS17_Y2019_V202401b.csv" "$R"
cp "$IN/BACI_HS17_Y2019_V202401b.csv" "$W/fixed.csv"
expect_rc "the fixed file loads (copy+fsync+rename+unlink path)" 0 \
    env TR_TEST_EXDEV=1 "$TR" nightly --db "$DB" --inbox "$IN"
check_grep "summary: 2019 is new" "^  new +baci H5 2019: IRN, RUS$" "$WORK/out"
check "moved across: archived intact" \
    "$(cmp "$W/fixed.csv" "$W/archive/$DAY/BACI_HS17_Y2019_V202401b.csv" && echo same)" "same"
check "moved across: gone from the inbox" \
    "$(test -e "$IN/BACI_HS17_Y2019_V202401b.csv" || echo gone)" "gone"
check "moved across: no temporary file left" "$(ls -A "$W/archive/$DAY" | grep -c tmp)" "0"
check "2019 facts loaded" "$(sq "$DB" 'SELECT count(*) FROM fact_trade WHERE year = 2019')" "3"

# a second broken delivery under the same name: quarantined beside the first, not over it
sed -e 's/^2020,/2019,/' -e '3s/500\.500/5OO.500/' "$TINY20" > "$W/q1.csv"
cp "$W/q1.csv" "$W/quarantine/BACI_HS17_Y2018_V202401b.csv"
sed -e 's/^2020,/2018,/' -e '2s/1000\.000/x/' "$TINY20" > "$IN/BACI_HS17_Y2018_V202401b.csv"
expect_rc "a broken file exits 1" 1 "$TR" nightly --db "$DB" --inbox "$IN"
check "a name clash in the quarantine gets a suffix" \
    "$(ls "$W/quarantine" | grep -c '^BACI_HS17_Y2018_V202401b\.1\.csv\(\.reason\.txt\)\{0,1\}$')" "2"
check "the earlier quarantined file is kept" \
    "$(cmp "$W/q1.csv" "$W/quarantine/BACI_HS17_Y2018_V202401b.csv" && echo same)" "same"
check_grep "its reason names line 2" "^line: +2$" "$W/quarantine/BACI_HS17_Y2018_V202401b.1.csv.reason.txt"

# --- an I/O error after a commit: the file stays in the inbox, the next run archives it ---
sed 's/^2020,/2022,/' "$TINY20" > "$IN/BACI_HS17_Y2022_V202401b.csv"
mkdir -p "$W/arch2" && : > "$W/arch2/$DAY"     # a file where the day's folder should go
expect_rc "archive not writable: exit 5" 5 \
    "$TR" nightly --db "$DB" --inbox "$IN" --archive "$W/arch2"
check_grep "the error is on stderr" "arch2/$DAY" "$WORK/err"
check_grep "the summary says the file was not moved" "still in the inbox, not moved: " "$WORK/out"
check_grep "the summary ends with the cause" "^stopped: .*arch2/$DAY" "$WORK/out"
check "the committed file stays in the inbox" \
    "$(test -f "$IN/BACI_HS17_Y2022_V202401b.csv" && echo yes)" "yes"
check "its load is recorded, not its move" \
    "$(sq "$DB" "SELECT outcome, destination IS NULL FROM nightly_file WHERE file_name = 'BACI_HS17_Y2022_V202401b.csv'")" \
    "loaded|1"
check "the run is recorded with exit 5" \
    "$(sq "$DB" "SELECT exit_code FROM nightly_run ORDER BY run_id DESC LIMIT 1")" "5"
expect_rc "the next run archives it" 0 "$TR" nightly --db "$DB" --inbox "$IN"
check_grep "as already loaded" "already +BACI_HS17_Y2022_V202401b.csv" "$WORK/out"
check "the inbox holds only what is left alone" "$(ls -A "$IN" | tr '\n' ' ')" \
    ".notes BACI_HS17_Y2022_V202401b.csv.part sub "
# a pair without data: no report for it, the others written, exit 1
cp "$TINY20" "$IN/again.csv"
expect_rc "a pair without data exits 1" 1 \
    "$TR" nightly --db "$DB" --inbox "$IN" --pair RUS:ARM --pair RUS:IRN --reports "$W/rep4"
check_grep "the summary says which report was not written" "RUS-ARM: NOT WRITTEN: no data for RUS-ARM" "$WORK/out"
check "only the pair with data has files" "$(ls -A "$W/rep4" | tr '\n' ' ')" "RUS-IRN.pdf RUS-IRN.xlsx "
expect_rc "check passes after all runs" 0 "$TR" check --db "$DB"
finish
