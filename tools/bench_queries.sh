#!/bin/sh
# make bench, second part: the economists' query set (tools/bench_queries.sql) on tradereport's
# database and on DuckDB (@duckdb/node-api, installed into build/duckdb when absent) over the
# same files: the generated BACI release of tools/bench_release_gen.sh (7 years 2017-2023 of
# 10 M rows: 70 M rows; BENCH_RELEASE_YEARS and BENCH_RELEASE_ROWS make it smaller), its zip
# imported by tradereport, its year files unzipped for DuckDB. Prints the import (time,
# database and access-path bytes against the CSV bytes), DuckDB's load time, and per query the median of BENCH_RUNS (3) runs on each side:
# tradereport as a whole `tradereport query` process, DuckDB in-process; the ratio, whether
# the results are the same rows (tools/bench_compare.py) and the targets (<= 1 s, <= 5x DuckDB).
set -eu
cd "$(dirname "$0")/.."
TR=$(pwd)/tradereport
RUNS=${BENCH_RUNS:-3}
B=bench/queries
PY=/usr/bin/python3
mkdir -p "$B"

if [ ! -d build/duckdb/node_modules/@duckdb/node-api ]; then
    echo "installing @duckdb/node-api into build/duckdb" >&2
    mkdir -p build/duckdb
    (cd build/duckdb && npm install --no-audit --no-fund @duckdb/node-api > /dev/null)
fi

# the generated release (tools/bench_release_gen.sh); its year members unzipped for DuckDB
sh tools/bench_release_gen.sh
ZIP=bench/release/BACI_HS17_V202601.zip
if [ "$(cat "$B/stamp" 2> /dev/null)" != "$(cat bench/release/stamp)" ]; then
    rm -rf "$B/csv" && mkdir -p "$B/csv"
    echo "unzipping the release's year files into $B/csv for DuckDB" >&2
    unzip -q "$ZIP" 'BACI_HS17_Y*' -d "$B/csv"
    cp bench/release/stamp "$B/stamp"
fi
files=$(ls "$B"/csv/BACI_HS17_Y*.csv)
csv_bytes=$(cat $files | wc -c)
nfiles=$(echo "$files" | wc -l)
rows=$(( $(cat $files | wc -l) - nfiles ))   # less each file's header

# tradereport: the release zip imported with every access path, timed; then what each path takes
DB=$B/q.db
rm -f "$DB" "$DB-wal" "$DB-shm" "$DB.lock"
s=$(date +%s%N)
"$TR" import --quiet --timings --db "$DB" "$ZIP" > "$B/import.timings"
import_ms=$(( ($(date +%s%N) - s) / 1000000 ))
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
db_bytes=$(stat -c %s "$DB")
printf '\nquery set: the release zip, %s rows in %s yearly BACI files (%s MB of CSV)\n' "$rows" \
    "$nfiles" "$((csv_bytes / 1000000))"
printf '  tradereport import, all access paths    %8.1f s, database %s MB (%.2f x the CSV)\n' \
    "$(echo "$import_ms" | awk '{print $1 / 1000}')" "$((db_bytes / 1000000))" \
    "$(awk -v d="$db_bytes" -v c="$csv_bytes" 'BEGIN {print d / c}')"
sqlite3 -separator ' ' "$DB" "SELECT name, sum(pgsize) FROM dbstat WHERE name IN
    ('dim_country_iso3_nocase', 'dim_product_code', 'dim_product_chapter', 'sum_trade_period',
     'sum_trade_partner_period', 'sum_trade_partner', 'sum_trade', 'sum_product',
     'sum_chapter') GROUP BY name ORDER BY name" |
    awk '{printf "  access path %-28s %10.2f MB\n", $1, $2 / 1e6}'
# their seconds, from the import's own account (import --timings, every member summed): the
# sums over partners (sum_product, sum_chapter) counted while parsing; sum_trade with its
# indexes and the last sums over partners written after; the summaries refreshed
awk -F'[ :,()]+' -v w="$import_ms" '/: time / {
        for (i = 1; i <= NF; i++)
            if ($i == "partners") p += $(i + 1)
            else if ($i == "sums" && $(i + 1) != "over") s += $(i + 1)
            else if ($i == "summaries") m += $(i + 1)
    }
    END {
        printf "  access paths, import seconds: sums over partners counted %.1f s (%.0f%%), sum_trade\n", p, 100000 * p / w
        printf "    and the sums written %.1f s (%.0f%%), summaries refreshed %.1f s (%.0f%%)\n", s, 100000 * s / w, m, 100000 * m / w
    }' "$B/import.timings"

# DuckDB over the same files, with the same names for countries and chapters
sqlite3 -csv -header "$DB" "SELECT c.code, d.iso3 FROM country_code c JOIN dim_country d USING (country_id)
    WHERE c.system = 'baci' AND c.valid_to = 9999" > "$B/countries.csv"
sqlite3 -csv -header "$DB" "SELECT chapter, section FROM hs_chapter" > "$B/chapters.csv"
node tools/bench_duckdb.mjs build/duckdb/node_modules/@duckdb/node-api "$B/countries.csv" \
    "$B/chapters.csv" tools/bench_queries.sql "$B" "$RUNS" $files > "$B/duck.txt"
printf '  DuckDB load into an in-memory table     %8.1f s (2 threads)\n\n' \
    "$(awk '$1 == "load" {print $2 / 1000}' "$B/duck.txt")"

# each query: tradereport's median whole-process time and its rows, against DuckDB's
printf '%-5s %14s %10s %8s  %-22s %s\n' query "tradereport ms" "DuckDB ms" ratio results targets
awk '/^-- Q[0-9]+/ {id = $2; next} /^--/ {next} id {print > ("'"$B"'/" id ".sql")}' \
    tools/bench_queries.sql
for n in 1 2 3 4 5 6 7 8 9 10; do
    id=Q$n
    : > "$B/t.txt"
    i=0
    while [ "$i" -lt "$RUNS" ]; do
        s=$(date +%s%N)
        "$TR" query --db "$DB" --tsv "$(cat "$B/$id.sql")" > "$B/tr_$id.tsv"
        echo $(( ($(date +%s%N) - s) / 1000000 )) >> "$B/t.txt"
        i=$((i + 1))
    done
    ours=$(sort -n "$B/t.txt" | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
    theirs=$(awk -v id="$id" '$1 == id {print $2}' "$B/duck.txt")
    same=$("$PY" tools/bench_compare.py "$B/tr_$id.tsv" "$B/duck_$id.tsv")
    awk -v id="$id" -v o="$ours" -v t="$theirs" -v s="$same" 'BEGIN {
        r = o / (t > 0 ? t : 0.1)
        printf "%-5s %14d %10.1f %8.1f  %-22s %s\n", id, o, t, r, s,
               (o <= 1000 ? "<=1s met" : "<=1s NOT MET") ", " (r <= 5 ? "<=5x met" : "<=5x NOT MET")
    }'
done
