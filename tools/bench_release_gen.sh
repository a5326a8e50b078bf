#!/bin/sh
# make bench: the generated BACI release both the query set (tools/bench_queries.sh) and the
# release import (tools/bench_release.sh) run on. Writes, when absent or made by another
# generator or size, BENCH_RELEASE_YEARS (7) year files 2017.. of BENCH_RELEASE_ROWS
# (10,000,000) rows each (build/bench_gen: ~250 countries, the HS2017 six-digit codes of the
# UNSD table in data/hs/, skewed values, 2% NA quantities), the release's country and product
# code files and a Readme.txt, zipped into bench/release/BACI_HS17_V202601.zip (deflate, as
# CEPII ships it), and a zip of the first year alone (BACI_HS17_Y2017_V202601.zip).
set -eu
cd "$(dirname "$0")/.."
TR=$(pwd)/tradereport
ROWS=${BENCH_RELEASE_ROWS:-10000000}
YEARS=${BENCH_RELEASE_YEARS:-7}
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
if [ -s "$ZIP" ] && [ "$(cat "$B/stamp" 2> /dev/null)" = "$stamp" ]; then
    exit 0
fi
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
printf 'BACI HS17 release %s, generated for make bench (tools/bench_release_gen.sh).\n' "$REL" \
    > "$B/members/Readme.txt"
echo "zipping $ZIP" >&2
(cd "$B/members" && zip -q -X "../$(basename "$ZIP")" Readme.txt country_codes_$REL.csv \
    product_codes_HS17_$REL.csv BACI_HS17_Y*_$REL.csv &&
    zip -q -X "../$(basename "$ONE")" country_codes_$REL.csv BACI_HS17_Y2017_$REL.csv)
rm -rf "$B/members"
echo "$stamp" > "$B/stamp"
