#!/bin/sh
# make bench: import and report speed, measured against references in the same run.
# Generates deterministic BACI-format files (1 M and 10 M rows sorted as BACI ships them, and a
# shuffled copy of the 10 M file) and a 1 M-row Comtrade Plus file under bench/, then times
#   tradereport import       into the full schema (facts, summaries, lineage)
#   sqlite3 .import          of the same file into an untyped table without index (reference)
#   python csv + executemany into a typed table without index (what a user would script)
# and prints wall time (median of BENCH_RUNS runs, default 3), rows/s, MB/s, peak RSS, database
# size and the ratio to the reference; then one pair's series, the claim checks and a report
# on the 10 M-row database, and publish to PostgreSQL against psql \copy
# (tools/bench_publish.sh). Speed is only measured here, never asserted in a test.
set -eu
cd "$(dirname "$0")/.."
TR=$(pwd)/tradereport
RUNS=${BENCH_RUNS:-3}
B=bench
mkdir -p "$B"
PY=/usr/bin/python3

gen() {   # gen KIND ROWS FILE
    [ -s "$3" ] && return 0
    echo "generating $3" >&2
    build/bench_gen "$1" "$2" 2021 "$B/codes_$1.txt" > "$3.tmp" && mv "$3.tmp" "$3"
}

# country codes that resolve in a fresh database (BACI numeric; Comtrade numeric,ISO3)
rm -f "$B/codes.db"*
"$TR" init --db "$B/codes.db" > /dev/null
sqlite3 "$B/codes.db" "SELECT c.code FROM country_code c JOIN dim_country d USING (country_id)
    WHERE c.system = 'baci' AND d.kind = 'country' AND c.valid_to = 9999
    ORDER BY CAST(c.code AS INTEGER) LIMIT 250" > "$B/codes_baci.txt"
sqlite3 -separator , "$B/codes.db" "SELECT c.code, d.iso3 FROM country_code c JOIN dim_country d
    USING (country_id) WHERE c.system = 'comtrade' AND d.kind = 'country' AND c.valid_to = 9999
    ORDER BY CAST(c.code AS INTEGER) LIMIT 250" > "$B/codes_comtrade.txt"

S1=$B/BACI_HS17_Y2021_V000001.csv      # 1 M sorted
S10=$B/BACI_HS17_Y2021_V000010.csv     # 10 M sorted
X10=$B/BACI_HS17_Y2021_V000011.csv     # 10 M shuffled (same rows)
C1=$B/comtrade_plus_A_2021_bench.csv
gen baci 1000000 "$S1"
gen baci 10000000 "$S10"
if [ ! -s "$X10" ]; then
    echo "shuffling $X10" >&2
    { head -n 1 "$S10"; tail -n +2 "$S10" | shuf --random-source="$S1"; } > "$X10.tmp"
    mv "$X10.tmp" "$X10"
fi
gen comtrade 1000000 "$C1"
cat "$S1" "$S10" "$X10" "$C1" > /dev/null   # into the page cache, for every contender alike

# run_once DB CMD...: runs CMD once on a fresh DB; prints "wall_s rss_kb db_bytes"
run_once() {
    db=$1; shift
    rm -f "$db" "$db-wal" "$db-shm" "$db.lock"
    /usr/bin/time -f "%e %M" -o "$B/time.out" "$@" > /dev/null 2> "$B/err.out" || {
        echo "bench: command failed: $*" >&2; cat "$B/err.out" >&2; exit 1; }
    size=$(( $(stat -c %s "$db") + $( [ -f "$db-wal" ] && stat -c %s "$db-wal" || echo 0) ))
    echo "$(cat "$B/time.out") $size"
}
# summary FILE: of the "wall rss size" lines in FILE, "median_wall max_rss last_size"
summary() {
    sort -n "$1" | awk '{ w[NR] = $1; if ($2 > r) r = $2; s = $3 }
        END { print w[int((NR + 1) / 2)], r, s }'
}
# measure DB CMD...: RUNS runs of CMD on a fresh DB; prints "wall_median rss_kb db_bytes"
measure() {
    db=$1; shift
    : > "$B/runs.txt"
    i=0
    while [ "$i" -lt "$RUNS" ]; do
        run_once "$db" "$@" >> "$B/runs.txt"
        i=$((i + 1))
    done
    summary "$B/runs.txt"
}
# measure_against_ref FILE: RUNS rounds of (sqlite3 .import, tradereport import) of FILE, taken
# in turn so that both see the machine in the same state (its speed drifts by tens of percent
# within the hour); leaves the medians in $B/ref.txt and $B/ours.txt as "wall rss size"
measure_against_ref() {
    : > "$B/ref.runs"; : > "$B/ours.runs"
    i=0
    while [ "$i" -lt "$RUNS" ]; do
        run_once "$B/ref.db" sqlite3 "$B/ref.db" -cmd ".mode csv" ".import $1 t" >> "$B/ref.runs"
        run_once "$B/ours.db" "$TR" import --quiet --db "$B/ours.db" "$1" >> "$B/ours.runs"
        i=$((i + 1))
    done
    summary "$B/ref.runs" > "$B/ref.txt"
    summary "$B/ours.runs" > "$B/ours.txt"
}

rows_of() { echo $(( $(wc -l < "$1") - 1 )); }

printf '\nmachine: %s cores, %s, %s; SQLite %s\n' "$(nproc)" \
    "$(free -g | awk '/Mem:/ {print $2 " GiB"}')" "$(uname -m)" "$(sqlite3 --version | cut -d' ' -f1)"
printf 'median of %s runs; the reference and tradereport runs taken in turn; input in the page cache\n\n' "$RUNS"
printf '%-44s %10s %8s %11s %9s %9s %10s %8s\n' "import" "rows" "wall s" "rows/s" "MB/s" \
    "peak MB" "db MB" "ratio"

: > "$B/results.tsv"
report_line() {   # label file wall rss size ref_wall
    rows=$(rows_of "$2"); mb=$(( $(stat -c %s "$2") / 1000000 ))
    printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$rows" "$3" "$4" "$6" >> "$B/results.tsv"
    awk -v l="$1" -v r="$rows" -v w="$3" -v m="$4" -v s="$5" -v f="$6" -v mb="$mb" 'BEGIN {
        printf "%-44s %10d %8.2f %11.0f %9.1f %9.1f %10.1f %8.2f\n", l, r, w, r / w, mb / w,
               m / 1024, s / 1e6, w / f }'
}

for f in "$S1" "$S10" "$X10" "$C1"; do
    case $f in
        "$S1") tag="1 M sorted";; "$S10") tag="10 M sorted";; "$X10") tag="10 M shuffled";;
        *) tag="Comtrade Plus 1 M";;
    esac
    measure_against_ref "$f"
    set -- $(cat "$B/ref.txt")
    ref=$1
    report_line "sqlite3 .import, $tag (reference)" "$f" "$1" "$2" "$3" "$ref"
    set -- $(cat "$B/ours.txt")
    report_line "tradereport import, $tag" "$f" "$1" "$2" "$3" "$ref"
    [ "$f" = "$C1" ] && continue
    set -- $(measure "$B/py.db" "$PY" tools/bench_python_loader.py "$f" "$B/py.db")
    report_line "python csv + executemany, $tag" "$f" "$1" "$2" "$3" "$ref"
done

# queries and the report on the 10 M-row database (the sorted file, loaded once more)
rm -f "$B/ours.db"*
"$TR" import --quiet --db "$B/ours.db" "$S10"
# the pair the built-in claims are about (both countries are among the generated codes)
a=RUS; b=IRN
t_ms() { s=$(date +%s%N); "$@" > /dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
best() { m=999999; for _ in 1 2 3; do v=$(t_ms "$@"); [ "$v" -lt "$m" ] && m=$v; done; echo "$m"; }
pair_ms=$(best "$TR" query --db "$B/ours.db" "SELECT * FROM v_bilateral_annual WHERE a = '$a' AND b = '$b'")
claims_ms=$(best "$TR" query --db "$B/ours.db" "SELECT * FROM v_claim_check WHERE (a = '$a' AND b = '$b') OR (a = '$b' AND b = '$a')")
all_claims_ms=$(best "$TR" claims --db "$B/ours.db")
report_ms=$(best timeout 600 "$TR" report --db "$B/ours.db" --pair "$a:$b" --out "$B/reports")
printf '\non the 10 M-row database (best of 3, whole process):\n'
printf '  one pair'"'"'s bilateral series (%s:%s)   %6d ms\n' "$a" "$b" "$pair_ms"
printf '  the pair'"'"'s claim checks                %6d ms\n' "$claims_ms"
printf '  every claim (tradereport claims)      %6d ms\n' "$all_claims_ms"
printf '  report, xlsx + pdf                    %6d ms\n' "$report_ms"

# publish of the 10 M-row database against psql \copy of its CSV (tools/bench_publish.sh)
sh tools/bench_publish.sh "$TR" "$B/ours.db" "$S10" "$RUNS" "$B" "$(pwd)/build/bench_gen" \
    "$B/codes_baci.txt"

# the targets, from the figures above
val() { awk -F'\t' -v l="$1" -v c="$2" '$1 == l { print $c }' "$B/results.tsv"; }
r10=$(val "tradereport import, 10 M sorted" 3); ref10=$(val "tradereport import, 10 M sorted" 5)
x10=$(val "tradereport import, 10 M shuffled" 3); refx=$(val "tradereport import, 10 M shuffled" 5)
r1=$(val "tradereport import, 1 M sorted" 3)
n1=$(val "tradereport import, 1 M sorted" 2); n10=$(val "tradereport import, 10 M sorted" 2)
m1=$(val "tradereport import, 1 M sorted" 4); m10=$(val "tradereport import, 10 M sorted" 4)
printf '\ntargets:\n'
awk -v w="$r10" -v f="$ref10" -v x="$refx" -v xs="$x10" -v r1="$r1" -v n1="$n1" -v n10="$n10" \
    -v m1="$m1" -v m10="$m10" -v p="$pair_ms" -v c="$claims_ms" -v rep="$report_ms" 'BEGIN {
    t = w / f;  printf "  10 M sorted / sqlite3 .import          %5.2f  (target <= 0.80, moonshot 0.50)  %s%s\n", t, (t <= 0.8 ? "met" : "NOT MET"), (t <= 0.5 ? ", moonshot met" : "")
    t = xs / x; printf "  10 M shuffled / sqlite3 .import        %5.2f  (target <= 1.00)  %s\n", t, (t <= 1.0 ? "met" : "NOT MET")
    t = (n10 / w) / (n1 / r1)
    printf "  rows/s at 10 M / rows/s at 1 M         %5.2f  (target >= 0.85)  %s\n", t, (t >= 0.85 ? "met" : "NOT MET")
    t = m10 / m1
    printf "  peak RSS 10 M / 1 M                    %5.2f  (target <= 1.20)  %s\n", t, (t <= 1.2 ? "met" : "NOT MET")
    printf "  peak RSS 10 M                          %5.0f MB (target < 300) %s\n", m10 / 1024, (m10 / 1024 < 300 ? "met" : "NOT MET")
    printf "  pair series + claim checks             %5d ms (target < 50)  %s\n", p + c, (p + c < 50 ? "met" : "NOT MET")
    printf "  report for one pair                    %5d ms (target < 1000) %s\n", rep, (rep < 1000 ? "met" : "NOT MET")
}'
