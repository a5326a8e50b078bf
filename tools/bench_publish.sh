#!/bin/sh
# make bench, publish part (called by tools/bench.sh): on a throw-away PostgreSQL server
# (tests/cli/pg_server.sh), RUNS rounds taken in turn of
#   psql \copy   of the BACI CSV into an untyped table without index (the reference)
#   tradereport publish of the database that CSV was imported into (full: a fresh schema)
# then RUNS rounds of an incremental publish after one more year file, taken in turn with
# \copy of that file (after each, the file is unloaded and published away again, untimed).
# usage: tools/bench_publish.sh TR DB CSV RUNS WORKDIR BENCH_GEN CODES
set -eu
cd "$(dirname "$0")/.."
TR=$1 DB=$2 CSV=$3 RUNS=$4 B=$5 GEN=$6 CODES=$7
. tests/cli/pg_server.sh
pg_start "$(mktemp -d /tmp/tr_pgbench_XXXXXX)" || { echo "bench: no PostgreSQL server" >&2; exit 1; }
trap pg_stop EXIT
chmod o+r "$CSV"

t_s() { s=$(date +%s%N); "$@" > /dev/null 2>&1 || { echo "bench: failed: $*" >&2; exit 1; }
        e=$(date +%s%N); awk -v n=$((e - s)) 'BEGIN { printf "%.2f\n", n / 1e9 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
copy_csv() {
    pgq "DROP TABLE IF EXISTS public.raw; CREATE TABLE public.raw (a text, b text, c text,
         d text, e text, f text)"
    t_s psql -X -q "$PG_URL" -c "\\copy public.raw FROM '$1' WITH (FORMAT csv, HEADER true)"
}
full_publish() {
    pgq "SET client_min_messages = warning; DROP SCHEMA IF EXISTS tradereport CASCADE" > /dev/null
    t_s "$TR" publish --db "$DB" --to "$PG_URL"
}

: > "$B/pg_ref.runs"; : > "$B/pg_ours.runs"
i=0
while [ "$i" -lt "$RUNS" ]; do
    copy_csv "$CSV" >> "$B/pg_ref.runs"
    full_publish >> "$B/pg_ours.runs"
    i=$((i + 1))
done
ref=$(median < "$B/pg_ref.runs"); ours=$(median < "$B/pg_ours.runs")

# one more year: imported, then published on top of the full publish
Y=$B/BACI_HS17_Y2022_V000001.csv
rows=$(( $(wc -l < "$CSV") - 1 ))
[ -s "$Y" ] || "$GEN" baci $(( rows / 10 )) 2022 "$CODES" > "$Y"
chmod o+r "$Y"
: > "$B/pg_inc_ref.runs"; : > "$B/pg_inc.runs"
i=0
while [ "$i" -lt "$RUNS" ]; do
    "$TR" import --quiet --db "$DB" "$Y" > /dev/null
    copy_csv "$Y" >> "$B/pg_inc_ref.runs"
    t_s "$TR" publish --db "$DB" --to "$PG_URL" >> "$B/pg_inc.runs"
    "$TR" unload --db "$DB" "$(sqlite3 "$DB" 'SELECT max(load_id) FROM load_log')" > /dev/null
    "$TR" publish --db "$DB" --to "$PG_URL" > /dev/null 2>&1   # the server back as before
    i=$((i + 1))
done
inc_ref=$(median < "$B/pg_inc_ref.runs"); inc=$(median < "$B/pg_inc.runs")

printf '\npublish to PostgreSQL %s (median of %s, taken in turn with the reference):\n' \
    "$(pgq 'SHOW server_version' | cut -d' ' -f1)" "$RUNS"
awk -v r="$ref" -v o="$ours" -v n="$rows" -v ir="$inc_ref" -v i="$inc" 'BEGIN {
    printf "  psql \\copy of the CSV, untyped, no index  %8.2f s\n", r
    printf "  tradereport publish, full (%d rows)   %8.2f s  ratio %5.2f (target <= 1.00) %s\n",
           n, o, o / r, (o / r <= 1.0 ? "met" : "NOT MET")
    printf "  one more year file (%d rows): \\copy %.2f s, incremental publish %.2f s (%.2f x)\n",
           n / 10, ir, i, i / ir
}'
