#!/bin/sh
# make bench, third part: a whole BACI release as CEPII ships it, imported in one command.
# Generates BENCH_RELEASE_YEARS (7) year files 2017.. of BENCH_RELEASE_ROWS (10,000,000) rows
# each (build/bench_gen: ~250 countries, the HS2017 six-digit codes of the UNSD table in
# data/hs/, skewed values, 2% NA quantities), the release's country and product code files and
# a Readme.txt, zipped into bench/release/BACI_HS17_V202601.zip (deflate, as CEPII ships it),
# and a zip of the first year alone. Then, taken in turn (BENCH_RELEASE_RUNS rounds, default 1):
#   reference   `unzip -p` of each year member piped into `sqlite3 .import` (untyped table, no
#               index), one sqlite3 per member into one database
#   tradereport `tradereport import RELEASE.zip` into the full schema (every access path)
# and prints wall time, rows/s, peak RSS, database size against the uncompressed CSV bytes, the
# ratio, rows/s of the whole release against the one-year zip, and where the time goes as far
# as it can be told from outside: `unzip -p` alone (decompression) against the import.
set -eu
cd "$(dirname "$0")/.."
TR=$(pwd)/tradereport
ROWS=${BENCH_RELEASE_ROWS:-10000000}
YEARS=${BENCH_RELEASE_YEARS:-7}
RUNS=${BENCH_RELEASE_RUNS:-1}
B=bench/release
REL=V202601
mkdir -p "$B"
for tool in zip unzip; do
    command -v "$tool" > /dev/null || { echo "bench: $tool missing (make deps installs it)" >&2; exit 1; }
done

# the release's inputs: country codes that resolve, the real HS2017 codes, their descriptions
rm -f "$B/codes.db"*
"$TR" init --db "$B/codes.db" > /dev/null
sqlite3 "$B/codes.db" "SELECT c.code FROM country_code c JOIN dim_country d USING (country_id)
    WHERE c.system = 'baci' AND d.kind = 'country' AND c.valid_to = 9999
    ORDER BY CAST(c.code AS INTEGER) LIMIT 250" > "$B/codes_baci.txt"
tail -n +2 data/hs/HS2022toHS2017.csv | cut -d, -f2 | sort -u > "$B/products.txt"

stamp="$ROWS $YEARS $(sha256sum tools/bench_gen.c "$B/products.txt" "$B/codes_baci.txt" | sha256sum)"
ZIP=$B/BACI_HS17_$REL.zip
ONE=$B/BACI_HS17_Y2017_$REL.zip
if [ ! -s "$ZIP" ] || [ "$(cat "$B/stamp" 2> /dev/null)" != "$stamp" ]; then
    rm -rf "$B/members" "$ZIP" "$ONE"
    mkdir -p "$B/members"
    y=2017
    while [ "$y" -lt $((2017 + YEARS)) ]; do
        echo "generating BACI_HS17_Y${y}_$REL.csv ($ROWS rows)" >&2
        build/bench_gen baci "$ROWS" "$y" "$B/codes_baci.txt" "$B/products.txt" \
            > "$B/members/BACI_HS17_Y${y}_$REL.csv"
        y=$((y + 1))
    done
    sqlite3 -csv -header "$B/codes.db" "SELECT c.code AS country_code, d.name AS country_name,
        d.iso2 AS country_iso2, d.iso3 AS country_iso3 FROM country_code c
        JOIN dim_country d USING (country_id) WHERE c.system = 'baci' AND c.valid_to = 9999
        ORDER BY CAST(c.code AS INTEGER)" > "$B/members/country_codes_$REL.csv"
    /usr/bin/python3 - "$B/products.txt" data/hs/HS2022.csv \
        > "$B/members/product_codes_HS17_$REL.csv" <<'PYEOF'
import csv, sys
# an HS2017 code's description: the HS2022 code of the same number, else its HS2022 heading
names = {r['hscode']: r['description'] for r in csv.DictReader(open(sys.argv[2], encoding='utf-8'))}
w = csv.writer(sys.stdout, lineterminator='\n')
w.writerow(['code', 'description'])
for code in open(sys.argv[1]).read().split():
    w.writerow([code, names.get(code) or names.get(code[:4]) or names.get(code[:2], '')])
PYEOF
    printf 'BACI HS17 release %s, generated for make bench (tools/bench_release.sh).\n' "$REL" \
        > "$B/members/Readme.txt"
    echo "zipping $ZIP" >&2
    (cd "$B/members" && zip -q -X "../$(basename "$ZIP")" Readme.txt country_codes_$REL.csv \
        product_codes_HS17_$REL.csv BACI_HS17_Y*_$REL.csv &&
        zip -q -X "../$(basename "$ONE")" country_codes_$REL.csv BACI_HS17_Y2017_$REL.csv)
    rm -rf "$B/members"
    echo "$stamp" > "$B/stamp"
fi
members=$(unzip -Z1 "$ZIP" | grep '^BACI_HS17_Y')
csv_bytes=$(unzip -Zt "$ZIP" | awk '{ print $3 }')
rows=$((ROWS * YEARS))
cat "$ZIP" "$ONE" > /dev/null   # into the page cache, for every contender alike

# timed DB CMD...: runs CMD on a fresh DB; prints "wall_s rss_kb db_bytes"
timed() {
    db=$1; shift
    rm -f "$db" "$db-wal" "$db-shm" "$db.lock"
    /usr/bin/time -f "%e %M" -o "$B/time.out" "$@" > /dev/null 2> "$B/err.out" || {
        echo "bench: command failed: $*" >&2; cat "$B/err.out" >&2; exit 1; }
    size=$(( $(stat -c %s "$db") + $( [ -f "$db-wal" ] && stat -c %s "$db-wal" || echo 0) ))
    echo "$(cat "$B/time.out") $size"
}
# the reference: each year member streamed out of the zip into sqlite3 .import
reference() {
    for m in $members; do
        unzip -p "$ZIP" "$m" | sqlite3 "$B/ref.db" -cmd ".mode csv" ".import /dev/stdin t" || return 1
    done
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
maxof() { sort -n | tail -n 1; }

: > "$B/ref.runs"; : > "$B/ours.runs"; : > "$B/one.runs"; : > "$B/unzip.runs"
i=0
while [ "$i" -lt "$RUNS" ]; do
    rm -f "$B/ref.db"
    s=$(date +%s%N)
    reference
    e=$(date +%s%N)
    echo "$(( (e - s) / 1000000 )) 0 $(stat -c %s "$B/ref.db")" >> "$B/ref.runs"
    rm -f "$B/ref.db"
    timed "$B/ours.db" "$TR" import --quiet --db "$B/ours.db" "$ZIP" >> "$B/ours.runs"
    timed "$B/one.db" "$TR" import --quiet --db "$B/one.db" "$ONE" >> "$B/one.runs"
    s=$(date +%s%N)
    for m in $members; do unzip -p "$ZIP" "$m" > /dev/null; done
    e=$(date +%s%N)
    echo "$(( (e - s) / 1000000 ))" >> "$B/unzip.runs"
    i=$((i + 1))
done
ref_s=$(awk '{ print $1 / 1000 }' "$B/ref.runs" | median)
ref_size=$(awk '{ print $3 }' "$B/ref.runs" | tail -n 1)
ours_s=$(awk '{ print $1 }' "$B/ours.runs" | median)
ours_rss=$(awk '{ print $2 }' "$B/ours.runs" | maxof)
ours_size=$(awk '{ print $3 }' "$B/ours.runs" | tail -n 1)
one_s=$(awk '{ print $1 }' "$B/one.runs" | median)
one_rss=$(awk '{ print $2 }' "$B/one.runs" | maxof)
unzip_s=$(awk '{ print $1 / 1000 }' "$B/unzip.runs" | median)

printf '\nthe release: %s years x %s rows in %s (%s MB zipped, %s MB of CSV); median of %s\n' \
    "$YEARS" "$ROWS" "$(basename "$ZIP")" "$(( $(stat -c %s "$ZIP") / 1000000 ))" \
    "$((csv_bytes / 1000000))" "$RUNS"
printf '%-46s %10s %8s %11s %9s %9s %8s\n' "import" "rows" "wall s" "rows/s" "peak MB" "db MB" "ratio"
line() {   # label rows wall rss_kb size
    awk -v l="$1" -v r="$2" -v w="$3" -v m="$4" -v s="$5" -v f="$ref_s" 'BEGIN {
        printf "%-46s %10d %8.2f %11.0f %9s %10.1f %8.2f\n", l, r, w, r / w,
               (m > 0 ? sprintf("%.1f", m / 1024) : "-"), s / 1e6, w / f }'
}
line "unzip -p | sqlite3 .import (reference)" "$rows" "$ref_s" 0 "$ref_size"
line "tradereport import RELEASE.zip" "$rows" "$ours_s" "$ours_rss" "$ours_size"
awk -v r1="$ROWS" -v w1="$one_s" -v m1="$one_rss" 'BEGIN {
    printf "%-46s %10d %8.2f %11.0f %9.1f\n", "tradereport import, the first year alone", r1, w1,
           r1 / w1, m1 / 1024 }'
printf '\nwhere the time goes (from outside the process):\n'
awk -v u="$unzip_s" -v w="$ours_s" 'BEGIN {
    printf "  decompression (unzip -p of every member)   %7.2f s  %5.1f%% of the import\n", u, 100 * u / w
    printf "  the rest: parse, insert, summaries, commit %7.2f s\n", w - u }'
printf '\ntargets:\n'
awk -v w="$ours_s" -v f="$ref_s" -v m="$ours_rss" -v m1="$one_rss" -v r="$rows" -v r1="$ROWS" \
    -v w1="$one_s" -v s="$ours_size" -v c="$csv_bytes" 'BEGIN {
    t = w / f;   printf "  release / reference                  %6.2f  (target <= 0.80)  %s\n", t, (t <= 0.8) ? "met" : "NOT MET"
    p = m / 1024; printf "  peak RSS                          %6.0f MB (target < 300)   %s\n", p, (p < 300) ? "met" : "NOT MET"
    q = m / m1;  printf "  peak RSS release / one year          %6.2f  (target <= 1.20)  %s\n", q, (q <= 1.2) ? "met" : "NOT MET"
    g = (r / w) / (r1 / w1); printf "  rows/s release / one year            %6.2f  (target >= 0.90)  %s\n", g, (g >= 0.9) ? "met" : "NOT MET"
    d = s / c;   printf "  database / uncompressed CSV          %6.2f  (target <= 2.00)  %s\n", d, (d <= 2) ? "met" : "NOT MET"
}'
echo "  (peak RSS counts the process; each member is read from a memfd of its uncompressed size)"
rm -f "$B"/*.db "$B"/*.db-wal "$B"/*.db-shm "$B"/*.db.lock
