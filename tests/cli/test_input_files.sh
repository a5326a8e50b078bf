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
# (it replaces the year's 2 rows with 1: --accept-shrink, or the shrink guard refuses it)
expect_rc "a row with a 4200-byte product code is rejected" 0 \
    "$TR" import --db "$DB" --max-rejects 1 --accept-shrink "$D/r/BACI_HS17_Y2021_V202401b.csv"
check "its raw text is cut on a character" "$(utf8_ok "$DB" "SELECT raw_line FROM load_reject")" "valid"
check "its message is cut on a character" "$(utf8_ok "$DB" "SELECT message FROM load_reject")" "valid"
check "the raw text keeps what fits" \
    "$(sq "$DB" "SELECT length(CAST(raw_line AS BLOB)) FROM load_reject")" "4095"

# --- text: UTF-8 with a stray byte, Windows-1252, UTF-16 (fixtures/bad 35-37) ---
BAD=$FIX/bad
DB=$WORK/text.db
fresh_db "$DB"
desc() { sq "$DB" "SELECT description FROM dim_product WHERE code = '$1' AND description IS NOT NULL ORDER BY product_id DESC LIMIT 1"; }
expect_rc "a UTF-8 file with one stray Latin-1 byte fails over --max-rejects 0" 3 \
    "$TR" import --db "$DB" "$BAD/35-utf8-stray-byte/product_codes_HS17_V202401b.csv"
check_grep "its line is named as BAD_ENCODING" "product_codes_HS17_V202401b.csv:4: BAD_ENCODING" "$WORK/err"
expect_rc "with --max-rejects 1 the other lines load" 0 \
    "$TR" import --db "$DB" --max-rejects 1 "$BAD/35-utf8-stray-byte/product_codes_HS17_V202401b.csv"
check "the file stays UTF-8" "$(sq "$DB" "SELECT encoding FROM load_log WHERE status = 'committed'")" "utf-8"
check "its UTF-8 text is stored exactly, not re-read as Latin-1" "$(desc 020230)" \
    "Meat of bovine animals; boneless cuts, frozen (café crème)"
check "en dash kept" "$(desc 030367)" "Fish; frozen, Alaska Pollack – Theragra chalcogramma"
check "the euro sign kept" "$(desc 271019)" "Petroleum oils; €-priced, not crude"
check "the bad line is rejected at line 4, its text shown with U+FFFD" \
    "$(sq "$DB" "SELECT line || ' ' || error_type || ' ' || raw_line FROM load_reject r JOIN load_log l USING (load_id) WHERE l.status = 'committed'")" \
    '4 BAD_ENCODING 090111,"Coffee; not roasted, caf� vert"'

DB=$WORK/cp.db
fresh_db "$DB"
expect_rc "a Windows-1252 file loads" 0 "$TR" import --db "$DB" "$BAD/36-windows-1252/product_codes_HS17_V202401b.csv"
check "recorded as windows-1252" "$(sq "$DB" "SELECT encoding FROM load_log")" "windows-1252"
check "smart quotes, en dash and the euro sign are their characters" "$(desc 020230)" \
    "“Meat” of bovine animals – boneless, € priced"
check "single quotes and é" "$(desc 090111)" "Coffee; café vert, ‘green’"
check "ellipsis; 0x81 (undefined in 1252) is U+0081" \
    "$(sq "$DB" "SELECT hex(CAST(description AS BLOB)) FROM dim_product WHERE code = '271019' AND description IS NOT NULL")" \
    "$(printf 'Petroleum oils \342\200\246 undefined byte \302\201 kept' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)"

expect_rc "UTF-16 text (Excel's Unicode Text) is refused" 3 \
    "$TR" import --db "$DB" "$BAD/37-utf16-excel/BACI_HS17_Y2021_V202401b.csv"
check_grep "with what to do" "BACI_HS17_Y2021_V202401b.csv:1: UTF-16 text .*save it as \"CSV UTF-8\"" "$WORK/err"

# --- not regular files: refused at once, before the database is opened ---
D=$WORK/special
mkdir -p "$D"
mkfifo "$D/fifo.csv"
expect_rc "a FIFO is refused at once (a hang would be exit 124)" 3 \
    timeout -k 5 10 "$TR" import --db "$D/t.db" "$D/fifo.csv"
check_grep "named as a FIFO" "fifo.csv' is a FIFO" "$WORK/err"
check "refused before the database is opened: none created" "$(ls "$D")" "fifo.csv"
expect_rc "/dev/zero is refused at once" 3 timeout -k 5 10 "$TR" import --db "$D/t.db" /dev/zero
check_grep "named as a device" "'/dev/zero' is a character device" "$WORK/err"
expect_rc "a directory is refused" 3 timeout -k 5 10 "$TR" import --db "$D/t.db" "$D"
fresh_db "$D/t2.db"
expect_rc "a FIFO among good files: the others load, exit 3" 3 \
    timeout -k 5 20 "$TR" import --db "$D/t2.db" "$D/fifo.csv" "$TINY21"
check "the good file loaded" "$(sq "$D/t2.db" "SELECT count(*) FROM load_log WHERE status = 'committed'")" "1"

# --- huge and endless regular files: bounded memory, SIGTERM obeyed ---
# peak RSS (MB) and exit code of a command, measured by python3 (getrusage of the child)
rss_run() {
    "$PY" - "$@" <<'PYEOF'
import resource, subprocess, sys
with open(sys.argv[1], "w") as err:
    rc = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=err).returncode
print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
PYEOF
}
S=$WORK/sparse/BACI_HS17_Y2021_V202401b.csv
mkdir -p "$WORK/sparse"
printf 't,i,j,k,v,q\n' > "$S"
truncate -s 1G "$S"                # a header, then 1 GB of zeros (no disk used)
fresh_db "$WORK/sparse.db"
set -- $(rss_run "$WORK/sparse.err" "$TR" import --db "$WORK/sparse.db" "$S")
check "a 1 GB sparse file fails (exit 3)" "$1" "3"
check_grep "with its line" "BACI_HS17_Y2021_V202401b.csv:2: " "$WORK/sparse.err"
check "peak memory stays under 200 MB (was 2.1 GB)" "$([ "$2" -lt 200 ] && echo yes || echo "$2 MB")" "yes"

truncate -s 64G "$S"               # a scan of minutes
# term_during_scan NAME ENV: SIGTERM one second into the import of the 64 GB file must end it
# within 3 s with exit 143 (a watchdog kills it after 30 s; ulimit -v keeps a regression that
# buffers the file from taking the machine's memory)
# (a binary under AddressSanitizer reserves terabytes of address space at start: no cap then)
VCAP=4000000
(ulimit -v "$VCAP"; "$TR" --version) > /dev/null 2>&1 || VCAP=unlimited
term_during_scan() {
    fresh_db "$WORK/term.db"
    (ulimit -v "$VCAP"; exec env $2 "$TR" import --db "$WORK/term.db" "$S") > /dev/null 2> "$WORK/term.err" &
    pid=$!
    sleep 1
    kill -TERM "$pid"
    t0=$(date +%s)
    (sleep 30; kill -KILL "$pid" 2> /dev/null) &
    dog=$!
    wait "$pid"
    rc=$?
    t1=$(date +%s)
    kill "$dog" 2> /dev/null
    check "$1: SIGTERM during the scan exits 143" "$rc" "143"
    check "$1: promptly (within 3 s)" "$([ $((t1 - t0)) -le 3 ] && echo yes || echo "$((t1 - t0)) s")" "yes"
    check "$1: nothing recorded" "$(sq "$WORK/term.db" "SELECT count(*) FROM load_log")" "0"
}
term_during_scan "scan before the parse" TR_SERIAL_SCAN=1
term_during_scan "scan beside the parse" TR_WRITER_THREAD=1
rm -f "$S"

# --- the bytes hashed are the bytes parsed ---
# a file appended to after it was hashed (test hook): it changed while read, nothing committed
D=$WORK/grow
mkdir -p "$D"
cp "$TINY21" "$D/BACI_HS17_Y2021_V202401b.csv"
fresh_db "$D/t.db"
TR_TEST_APPEND_AFTER_SCAN='2021,156,364,271019,1.000,1.0
' expect_rc "a file appended to while read fails" 3 \
    "$TR" import --db "$D/t.db" "$D/BACI_HS17_Y2021_V202401b.csv"
check_grep "as changed while it was being read" "changed while it was being read" "$WORK/err"
check "nothing committed" "$(sq "$D/t.db" "SELECT count(*) FROM fact_trade")" "0"

# nightly: the inbox entry is replaced by other bytes after it was hashed (test hook renames a
# prepared file over it): the bytes read load under their own sha256, the entry (the other
# bytes) is quarantined, and when those bytes come again they load
W=$WORK/swap
IN=$W/inbox
mkdir -p "$IN"
NAME=BACI_HS17_Y2021_V202401b.csv
A=$W/a.csv
B=$W/b.csv
cp "$TINY21" "$A"
sed -e 's/2000\.000/2100.000/' "$TINY21" > "$B"
cp "$A" "$IN/$NAME"
cp "$B" "$W/b-prepared.csv"
fresh_db "$W/t.db"
TR_TEST_SWAP_AFTER_SCAN=$W/b-prepared.csv expect_rc "the run exits 1: the swapped entry is quarantined" 1 \
    "$TR" nightly --db "$W/t.db" --inbox "$IN"
check "the load's sha256 is that of the bytes parsed (a)" \
    "$(sq "$W/t.db" "SELECT sha256 FROM load_log WHERE status = 'committed'")" \
    "$(sha256sum "$A" | cut -d' ' -f1)"
check "the facts are a's: RUS->IRN 271019 at 2,000,000 US$" \
    "$(sq "$W/t.db" "SELECT f.value_usd FROM fact_trade f JOIN dim_product p USING (product_id) JOIN dim_country r ON r.country_id = f.reporter_id JOIN dim_country q ON q.country_id = f.partner_id WHERE p.code = '271019' AND r.iso3 = 'RUS' AND q.iso3 = 'IRN'")" \
    "2000000"
check "the quarantined entry holds b's bytes" \
    "$(cmp "$B" "$W/quarantine/$NAME" > /dev/null 2>&1 && echo same)" "same"
check_grep "its reason says it is another file than the one loaded" \
    "different file from the one loaded" "$W/quarantine/$NAME.reason.txt"
check "nothing was archived" "$(ls "$W/archive" 2>/dev/null | wc -l)" "0"
cp "$B" "$IN/$NAME"
expect_rc "b delivered again loads" 0 "$TR" nightly --db "$W/t.db" --inbox "$IN"
check "b is a new load, not 'already loaded'" \
    "$(sq "$W/t.db" "SELECT count(*) FROM load_log WHERE status IN ('committed', 'superseded') AND sha256 = '$(sha256sum "$B" | cut -d' ' -f1)'")" "1"
check "b's value stands" \
    "$(sq "$W/t.db" "SELECT f.value_usd FROM fact_trade f JOIN dim_product p USING (product_id) JOIN dim_country r ON r.country_id = f.reporter_id JOIN dim_country q ON q.country_id = f.partner_id WHERE p.code = '271019' AND r.iso3 = 'RUS' AND q.iso3 = 'IRN'")" \
    "2100000"

finish
