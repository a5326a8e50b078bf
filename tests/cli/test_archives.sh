#!/bin/sh
# Delivery archives (.zip, .gz), built from the loose BACI fixtures by
# fixtures/archives/make_archives.py: members recognised like loose files, reference members
# first, readme and PDF skipped; lineage (archive and member, the uncompressed member's sha256
# and size, checked with python's hashlib); the same data loose, gzipped or zipped is one load;
# a CRC error, a cut stream, a bad row fail only their member (exit 3, ARCHIVE:MEMBER[:LINE]);
# bomb limits; unsafe member names; the nightly job. Every figure is compared with
# tests/tools/fixture_totals.py and with a loose-file import of the same files.
. tests/cli/lib.sh
suite archives
A=$WORK/arc
mkdir -p "$A"
$PY fixtures/archives/make_archives.py "$FIX" "$A" || not_ok "archives built" "make_archives.py failed"
BACI=$FIX/baci
Y20=BACI_HS17_Y2020_V202401b.csv
Y21=BACI_HS17_Y2021_V202401b.csv
Y22=BACI_HS17_Y2022_V202401b.csv
annual() {   # annual DB: BACI totals of v_trade_annual, sorted (TSV, no header)
    "$TR" query --db "$1" --tsv "SELECT source, year, reporter, partner, flow, value_usd FROM v_trade_annual WHERE source = 'baci'" | sed 1d | sort
}
sha() { $PY -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' "$1"; }

# ---- a CEPII-style release zip: codes, two years, a readme and a PDF ----
DB=$WORK/zip.db
expect_rc "release zip imports" 0 "$TR" import --db "$DB" "$A/release.zip"
check "one line per member, reference members first, readme and PDF skipped" \
    "$(sed 's/: load [0-9]* (\([a-z-]*\)).*/ \1/' "$WORK/out" | sed "s#^$A/##" | paste -sd'|' -)" \
    "release.zip:country_codes_V202401b.csv baci-countries|release.zip:product_codes_HS17_V202401b.csv baci-products|release.zip:Readme.txt: skipped, not a data file|release.zip:BACI_doc.pdf: skipped, not a data file|release.zip:$Y20 baci|release.zip:$Y21 baci"
check "four loads, each committed on its own" \
    "$(sq "$DB" "SELECT group_concat(format || '=' || status, ' ') FROM (SELECT * FROM load_log ORDER BY load_id)")" \
    "baci-countries=committed baci-products=committed baci=committed baci=committed"
check "loads shows archive:member" \
    "$("$TR" loads --db "$DB" | cut -f4 | sed -n 4,5p | paste -sd' ' -)" "release.zip:$Y20 release.zip:$Y21"
check "load_log keeps the uncompressed member's sha256 and size (python hashlib)" \
    "$(sq "$DB" "SELECT sha256 || ' ' || bytes FROM load_log WHERE load_id = 3")" \
    "$(sha "$BACI/$Y20") $(wc -c < "$BACI/$Y20" | tr -d ' ')"
check "load_archive names the archive (sha256, size) and the member" \
    "$(sq "$DB" "SELECT archive_name || ' ' || archive_sha256 || ' ' || archive_bytes || ' ' || member_name FROM load_archive WHERE load_id = 4")" \
    "release.zip $(sha "$A/release.zip") $(wc -c < "$A/release.zip" | tr -d ' ') $Y21"
check "path keeps ARCHIVE:MEMBER as given" \
    "$(sq "$DB" "SELECT path FROM load_log WHERE load_id = 1")" "$A/release.zip:country_codes_V202401b.csv"
$PY tests/tools/fixture_totals.py baci "$BACI/$Y20" "$BACI/$Y21" | sort > "$WORK/py.tsv"
annual "$DB" > "$WORK/zip.tsv"
check "zipped totals: rows compared" "$(test "$(wc -l < "$WORK/py.tsv")" -gt 50 && echo many)" "many"
check "zipped totals equal python's totals of the loose files" "$(diff "$WORK/zip.tsv" "$WORK/py.tsv" | head -3)" ""
LOOSE=$WORK/loose.db
"$TR" import --db "$LOOSE" "$BACI/country_codes_V202401b.csv" "$BACI/product_codes_HS17_V202401b.csv" \
    "$BACI/$Y20" "$BACI/$Y21" > /dev/null 2>&1
annual "$LOOSE" > "$WORK/loose.tsv"
check "zipped totals equal the loose-file import's" "$(diff "$WORK/zip.tsv" "$WORK/loose.tsv" | head -3)" ""
check "product descriptions as from the loose file" \
    "$(sq "$DB" "SELECT count(*) FROM dim_product WHERE description IS NOT NULL")" \
    "$(sq "$LOOSE" "SELECT count(*) FROM dim_product WHERE description IS NOT NULL")"
expect_rc "the zip again exits 0" 0 "$TR" import --db "$DB" "$A/release.zip"
check "every member already loaded" "$(grep -c 'already loaded' "$WORK/out")" "4"

# ---- the same data loose, then zipped or gzipped: already loaded ----
DB=$WORK/same.db
"$TR" import --db "$DB" "$BACI/$Y20" > /dev/null 2>&1
expect_rc "zip after its loose 2020 file exits 0" 0 "$TR" import --db "$DB" "$A/release.zip"
check "its 2020 member is the loose load" "$(grep -c "release.zip:$Y20: already loaded as load 1" "$WORK/out")" "1"
check "2020 rows once" "$(sq "$DB" "SELECT count(*) FROM fact_trade t JOIN load_log l USING (load_id) WHERE l.data_year = 2020")" \
    "$(($(wc -l < "$BACI/$Y20") - 1))"
expect_rc ".csv.gz imports" 0 "$TR" import --db "$DB" "$A/$Y22.gz"
check ".csv.gz member named after the file" "$(grep -c "$Y22.gz:$Y22: load 5 (baci)" "$WORK/out")" "1"
check ".csv.gz lineage: uncompressed size" "$(sq "$DB" "SELECT bytes FROM load_log WHERE load_id = 5")" \
    "$(wc -c < "$BACI/$Y22" | tr -d ' ')"
expect_rc "the loose 2022 file after its .gz exits 0" 0 "$TR" import --db "$DB" "$BACI/$Y22"
check "the loose file is the gzipped load" "$(grep -c 'already loaded as load 5' "$WORK/out")" "1"
$PY tests/tools/fixture_totals.py baci "$BACI/$Y20" "$BACI/$Y21" "$BACI/$Y22" | sort > "$WORK/py.tsv"
check "loose + zip + gz totals equal python's" "$(annual "$DB" | diff - "$WORK/py.tsv" | head -3)" ""

# ---- failure per member ----
DB=$WORK/crc.db
expect_rc "a zip with a CRC error exits 3" 3 "$TR" import --db "$DB" "$A/crc.zip"
check_grep "the damaged member named with the reason" "crc.zip:$Y20: damaged member: ZIP bad CRC" "$WORK/err"
check "the other members committed" \
    "$(sq "$DB" "SELECT group_concat(file_name, ' ') FROM load_log WHERE status = 'committed'")" \
    "crc.zip:country_codes_V202401b.csv crc.zip:$Y21"
check "nothing of the damaged member" "$(sq "$DB" "SELECT count(*) FROM fact_trade t JOIN load_log l USING (load_id) WHERE l.data_year = 2020")" "0"
expect_rc "a re-run exits 3 again" 3 "$TR" import --db "$DB" "$A/crc.zip"
check "a re-run skips what loaded" "$(grep -c 'already loaded' "$WORK/out")" "2"
check "a re-run adds no load" "$(sq "$DB" "SELECT count(*) FROM load_log")" "2"

DB=$WORK/row.db
expect_rc "a member with a bad row exits 3" 3 "$TR" import --db "$DB" "$A/badrow.zip"
check_grep "ARCHIVE:MEMBER:LINE and the reason" \
    "badrow.zip:BACI_HS17_Y2018_V202401b.csv:3: .*UNKNOWN_CODE" "$WORK/err"
check "the failed member is a failed load, the good one committed" \
    "$(sq "$DB" "SELECT group_concat(data_year || '=' || status || '/' || rows_loaded, ' ') FROM (SELECT * FROM load_log ORDER BY load_id)")" \
    "2019=committed/308 2018=failed/0"
check "the reject keeps its line" "$(sq "$DB" "SELECT line || ' ' || error_type FROM load_reject")" "3 UNKNOWN_CODE"
check "no 2018 facts" "$(sq "$DB" "SELECT count(*) FROM fact_trade t JOIN load_log l USING (load_id) WHERE l.data_year = 2018")" "0"

DB=$WORK/cut.db
expect_rc "a cut .gz exits 3" 3 "$TR" import --db "$DB" "$A/cut.csv.gz"
check_grep "named as truncated" "cut.csv.gz:cut.csv: truncated gzip data" "$WORK/err"
check "nothing loaded from it" "$(sq "$DB" "SELECT count(*) FROM load_log")" "0"
expect_rc "plain text named .gz exits 3" 3 "$TR" import --db "$DB" "$A/notgzip.csv.gz"
check_grep "said to hold no gzip data" "notgzip.csv.gz' is named .gz but holds no gzip data" "$WORK/err"

# ---- decompression bombs ----
DB=$WORK/bomb.db
expect_rc "a ratio bomb exits 3" 3 "$TR" import --db "$DB" "$A/bomb.zip"
check_grep "refused for its ratio" "ratio above the limit of 200 \(--max-ratio\)" "$WORK/err"
check "nothing loaded, nothing recorded" "$(sq "$DB" "SELECT count(*) FROM load_log") $(sq "$DB" "SELECT count(*) FROM fact_trade")" "0 0"
expect_rc "--max-ratio raises the limit (the member then loads as data: 1 row)" 0 \
    "$TR" import --db "$DB" --max-ratio 100000 "$A/bomb.zip"
check "its one row" "$(sq "$DB" "SELECT rows_loaded FROM load_log")" "1"
expect_rc "--max-uncompressed refuses a bigger member" 3 \
    "$TR" import --db "$WORK/size.db" --max-uncompressed 10k "$A/release.zip"
check_grep "refused for its size" "$Y20: .*limit .*--max-uncompressed" "$WORK/err"
check "the small members still load" "$(sq "$WORK/size.db" "SELECT count(*) FROM load_log WHERE status = 'committed'")" "2"
expect_rc "a bad --max-ratio is a usage error" 2 "$TR" import --db "$DB" --max-ratio 0 "$A/bomb.zip"
expect_rc "a bad --max-uncompressed is a usage error" 2 "$TR" import --db "$DB" --max-uncompressed 5X "$A/bomb.zip"

# ---- unsafe member names: labels only, refused ----
DB=$WORK/names.db
( cd "$WORK" && "$TR" import --db "$DB" "$A/names.zip" > "$WORK/out" 2> "$WORK/err" ); RC=$?
check "unsafe names: exit 3" "$RC" "3"
check_grep "a '..' member refused" "names.zip:\.\./$Y20\$|names.zip:\.\./BACI_HS17_Y2019_V202401b.csv: member name with a '\.\.' component" "$WORK/err"
check_grep "a member with a control character refused, shown escaped" \
    'BACI_HS17_Y2019\\x1b\[2J_V202401b.csv: member name with a control character' "$WORK/err"
check "no raw escape byte on stderr" "$(tr -d '\n' < "$WORK/err" | grep -c "$(printf '\033')")" "0"
check "the safe member loaded, nothing else" \
    "$(sq "$DB" "SELECT group_concat(file_name) FROM load_log")" "names.zip:$Y22"
check "nothing written beside the archive or above it" "$(ls "$A" | grep -c BACI_HS17_Y2019)" "0"

# ---- the nightly job ----
N=$WORK/night
mkdir -p "$N/in"
cp "$A/release.zip" "$A/crc.zip" "$N/in/"
DB=$WORK/night.db
"$TR" init --db "$DB" > /dev/null 2>&1
expect_rc "nightly with a good and a damaged zip exits 1 (quarantine)" 1 \
    "$TR" nightly --db "$DB" --inbox "$N/in" --archive "$N/arch" --quarantine "$N/q"
check "the good zip archived whole" "$(ls "$N"/arch/*/)" "release.zip"
check "the damaged zip quarantined" "$(ls "$N/q" | paste -sd' ' -)" "crc.zip crc.zip.reason.txt"
check_grep "the reason names the member" "crc.zip:$Y20: damaged member" "$N/q/crc.zip.reason.txt"
check "the inbox is empty" "$(ls "$N/in" | wc -l | tr -d ' ')" "0"
check "its members loaded before it was archived (crc.zip, first by name, brought two)" \
    "$(sq "$DB" "SELECT group_concat(a.archive_name || ':' || l.format, ' ') FROM load_archive a JOIN load_log l USING (load_id) WHERE l.status = 'committed'")" \
    "crc.zip:baci-countries crc.zip:baci release.zip:baci-products release.zip:baci"
check "nightly totals equal python's" \
    "$(annual "$DB" | diff - "$($PY tests/tools/fixture_totals.py baci "$BACI/$Y20" "$BACI/$Y21" | sort > "$WORK/py2.tsv"; echo "$WORK/py2.tsv")" | head -3)" ""
check "nightly_file: the zip loaded" \
    "$(sq "$DB" "SELECT outcome FROM nightly_file WHERE file_name = 'release.zip'")" "loaded"


# ---- --timings: one line per committed load, its parts adding up to its whole ----
DB=$WORK/timings.db
expect_rc "import --timings --quiet of the release zip" 0 "$TR" import --timings --quiet --db "$DB" "$A/release.zip"
check "a timings line per committed member, none for the skipped ones" \
    "$(grep -c ': time [0-9.]* s: unpack [0-9.]*, rows [0-9.]* (sums over partners [0-9.]* of it), finish [0-9.]*, sums [0-9.]*, summaries [0-9.]*, lineage [0-9.]*, commit [0-9.]*$' "$WORK/out")" "4"
check "the parts add up to the whole (within rounding)" \
    "$(awk -F'[ :,()]+' '/: time / { n = 0; for (i = 1; i <= NF; i++) if ($i ~ /^(unpack|rows|finish|sums|summaries|lineage|commit)$/ && $(i + 1) != "over") n += $(i + 1); for (i = 1; i <= NF; i++) if ($i == "time") t = $(i + 1); d = n - t; if (d > 0.03 || d < -0.03) bad++ } END { print bad + 0 }' "$WORK/out")" "0"
check "a loose file has no unpack part" \
    "$("$TR" import --timings --quiet --db "$WORK/timings_loose.db" "$BACI/$Y20" | grep -c ': time .*: rows .*commit')|$("$TR" import --timings --quiet --db "$WORK/timings_loose2.db" "$BACI/$Y20" | grep -c unpack)" "1|0"
check "--timings says nothing of a file already loaded" \
    "$("$TR" import --timings --quiet --db "$WORK/timings_loose.db" "$BACI/$Y20" | wc -l | tr -d ' ')" "0"

# ---- data members unpacked one ahead of their load, on a helper thread ----
# Two BACI years of 200,000 rows with random values: a zip over 4 MiB, where the helper is the
# default. The outcome must be what member-by-member unpacking gives, a damaged member included.
BIG=$WORK/big
mkdir -p "$BIG"
for y in 2020 2021; do
    awk -v y=$y 'BEGIN { srand(y); print "t,i,j,k,v,q";
        for (n = 0; n < 200000; n++)
            printf "%d,%s,%s,%06d,%.3f,%.3f\n", y, (n % 2 ? "643" : "364"), (n % 2 ? "364" : "643"),
                   100000 + n, rand() * 1e6, rand() * 1e3 }' > "$BIG/BACI_HS17_Y${y}_V202401b.csv"
done
$PY -c 'import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for f in sys.argv[2:]: z.write(f, f.split("/")[-1])' "$BIG/big.zip" "$BIG"/BACI_HS17_Y202*.csv
check "the zip is over 4 MiB" "$(test "$(stat -c %s "$BIG/big.zip")" -gt 4194304 && echo yes)" "yes"
sumv() { $PY -c 'import csv, sys
print(sum(int(r["v"].replace(".", "")) for f in sys.argv[1:] for r in csv.DictReader(open(f))))' "$@"; }
facts() { sq "$1" "SELECT count(*) || ' ' || sum(value_usd) FROM fact_trade"; }
lineage() { sq "$1" "SELECT group_concat(file_name || ' ' || status || ' ' || rows_loaded || ' ' || sha256, '|') FROM (SELECT * FROM load_log ORDER BY load_id)"; }
script -qec "env -u TR_ARCHIVE_PREFETCH '$TR' import --db '$WORK/ahead.db' '$BIG/big.zip'" /dev/null > "$WORK/tty.out" 2>&1
check "on a terminal the second member was unpacked beside the first one's load" \
    "$(grep -c "big.zip:BACI_HS17_Y2021_V202401b.csv: [0-9]* MB unpacked in [0-9.]* s ([0-9]* MB/s) beside the last load; [1-9][0-9]*% of the archive loaded, about [0-9]* s left" "$WORK/tty.out")" "1"
check "the first member's unpack had no load beside it, nothing loaded yet" \
    "$(tr -d '\r' < "$WORK/tty.out" | grep -c "big.zip:BACI_HS17_Y2020_V202401b.csv: [0-9]* MB unpacked in [0-9.]* s ([0-9]* MB/s); 0% of the archive loaded$")" "1"
check "then the load's own progress: member, percent, MB, rows/s, time left" \
    "$(tr '\r' '\n' < "$WORK/tty.out" | grep -c "^BACI_HS17_Y2021_V202401b.csv: 100%  [0-9]* of [0-9]* MB  [0-9]* rows/s  ETA [0-9]* s")" "1"
TR_ARCHIVE_PREFETCH=0 expect_rc "the same zip unpacked member by member" 0 "$TR" import --db "$WORK/inline.db" "$BIG/big.zip"
check "400,000 facts, their value as python sums the CSV files (whole US\$)" \
    "$(facts "$WORK/ahead.db")" "400000 $(sumv "$BIG"/BACI_HS17_Y202*.csv)"
check "the same facts either way" "$(facts "$WORK/ahead.db")" "$(facts "$WORK/inline.db")"
check "the same lineage either way (members, rows, uncompressed sha256)" \
    "$(lineage "$WORK/ahead.db")" "$(lineage "$WORK/inline.db")"
# the 2021 member damaged in its compressed data: the 2020 member stays committed
$PY -c 'import sys, zipfile
p = sys.argv[1]
with zipfile.ZipFile(p) as z: i = z.getinfo("BACI_HS17_Y2021_V202401b.csv")
raw = bytearray(open(p, "rb").read())
raw[i.header_offset + 30 + len(i.filename) + i.compress_size // 2] ^= 0xFF
open(sys.argv[2], "wb").write(raw)' "$BIG/big.zip" "$BIG/damaged.zip"
for mode in 1 0; do
    TR_ARCHIVE_PREFETCH=$mode expect_rc "a damaged second member exits 3 (unpacked ahead: $mode)" 3 \
        "$TR" import --db "$WORK/damaged$mode.db" "$BIG/damaged.zip"
    sed "s#$BIG/##" "$WORK/err" > "$WORK/damaged$mode.err"
    check "only the 2020 member committed (unpacked ahead: $mode)" \
        "$(sq "$WORK/damaged$mode.db" "SELECT group_concat(data_year || '=' || status, ' ') FROM load_log")" "2020=committed"
done
check_grep "the damaged member named" "damaged.zip:BACI_HS17_Y2021_V202401b.csv: damaged member" "$WORK/damaged1.err"
check "the same message either way" "$(cat "$WORK/damaged1.err")" "$(cat "$WORK/damaged0.err")"

finish
