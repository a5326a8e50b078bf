#!/bin/sh
# make bench, third part: a whole BACI release as CEPII ships it, imported in one command.
# The release (BENCH_RELEASE_YEARS years of BENCH_RELEASE_ROWS rows, zipped) and a zip of its
# first year come from tools/bench_release_gen.sh. Then, taken in turn (BENCH_RELEASE_RUNS
# rounds, default 1):
#   reference   `unzip -p` of each year member piped into `sqlite3 .import` (untyped table, no
#               index), one sqlite3 per member into one database
#   tradereport `tradereport import RELEASE.zip` into the full schema (every access path)
# and prints wall time, rows/s, peak RSS, database size against the uncompressed CSV bytes, the
# ratio, rows/s of the whole release against the one-year zip, and where the time goes: the
# import's own account (`import --timings`, summed over the members of the last round) and
# `unzip -p` alone (decompression) from outside.
set -eu
cd "$(dirname "$0")/.."
TR=$(pwd)/tradereport
ROWS=${BENCH_RELEASE_ROWS:-10000000}
YEARS=${BENCH_RELEASE_YEARS:-7}
RUNS=${BENCH_RELEASE_RUNS:-1}
B=bench/release
REL=V202601
sh tools/bench_release_gen.sh
ZIP=$B/BACI_HS17_$REL.zip
ONE=$B/BACI_HS17_Y2017_$REL.zip
members=$(unzip -Z1 "$ZIP" | grep '^BACI_HS17_Y')
csv_bytes=$(unzip -Zt "$ZIP" | awk '{ print $3 }')
rows=$((ROWS * YEARS))
cat "$ZIP" "$ONE" > /dev/null   # into the page cache, for every contender alike

# timed DB CMD...: runs CMD on a fresh DB; prints "wall_s rss_kb db_bytes"
timed() {
    db=$1; shift
    rm -f "$db" "$db-wal" "$db-shm" "$db.lock"
    /usr/bin/time -f "%e %M" -o "$B/time.out" "$@" > "$B/cmd.out" 2> "$B/err.out" || {
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
    timed "$B/ours.db" "$TR" import --quiet --timings --db "$B/ours.db" "$ZIP" >> "$B/ours.runs"
    cp "$B/cmd.out" "$B/ours.timings"
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
printf '\nwhere the time goes (import --timings, every member summed, %% of the wall time; the\n'
printf 'writer thread inserts while the rows are parsed, and each member but the first is unpacked\n'
printf 'beside the one before it, so the parts add up to more than the whole):\n'
awk -F'[ :,()]+' -v w="$ours_s" '/: time / {
        for (i = 1; i <= NF; i++)
            if ($i ~ /^(unpack|rows|finish|sums|summaries|lineage|commit)$/ && $(i + 1) != "over")
                t[$i] += $(i + 1)
            else if ($i == "partners") t["partner sums"] += $(i + 1)
    }
    END {
        n = split("unpack rows finish sums summaries lineage commit", k, " ")
        for (i = 1; i <= n; i++) {
            printf "  %-34s %8.2f s  %5.1f%%\n", k[i], t[k[i]], 100 * t[k[i]] / w
            if (k[i] == "rows")
                printf "    %-32s %8.2f s  %5.1f%%\n", "of it, sums over partners counted", t["partner sums"], 100 * t["partner sums"] / w
        }
    }' "$B/ours.timings"
awk -v u="$unzip_s" -v w="$ours_s" 'BEGIN {
    printf "  from outside: unzip -p of every member alone %6.2f s  %5.1f%% of the import\n", u, 100 * u / w }'
printf '\ntargets:\n'
awk -v w="$ours_s" -v f="$ref_s" -v m="$ours_rss" -v m1="$one_rss" -v r="$rows" -v r1="$ROWS" \
    -v w1="$one_s" -v s="$ours_size" -v c="$csv_bytes" 'BEGIN {
    t = w / f;   printf "  release / reference                  %6.2f  (target <= 0.80)  %s\n", t, (t <= 0.8) ? "met" : "NOT MET"
    p = m / 1024; printf "  peak RSS                          %6.0f MB (target < 300)   %s\n", p, (p < 300) ? "met" : "NOT MET"
    q = m / m1;  printf "  peak RSS release / one year          %6.2f  (target <= 1.20)  %s\n", q, (q <= 1.2) ? "met" : "NOT MET"
    g = (r / w) / (r1 / w1); printf "  rows/s release / one year            %6.2f  (target >= 0.90)  %s\n", g, (g >= 0.9) ? "met" : "NOT MET"
    d = s / c;   printf "  database / uncompressed CSV          %6.2f  (target <= 2.00)  %s\n", d, (d <= 2) ? "met" : "NOT MET"
}'
echo "  (peak RSS counts the process; each member is read from a memfd of its uncompressed size,"
echo "   two at a time: the one loading and the next)"
rm -f "$B"/*.db "$B"/*.db-wal "$B"/*.db-shm "$B"/*.db.lock
