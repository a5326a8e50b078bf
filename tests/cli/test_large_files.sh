#!/bin/sh
# Files large enough (> 4 MiB) that the file scan (sha256, UTF-8, NUL) and the fact inserts run
# on second threads while the file is parsed: the outcome must be exactly what the one-thread
# path gives, duplicates, replacements and failures included.
. tests/cli/lib.sh
suite large_files
F=$WORK/BACI_HS17_Y2021_V202401b.csv
# 200,000 rows of Russia (643) -> Iran (364) and back, products 100000..299999, value 1.000
awk 'BEGIN { print "t,i,j,k,v,q";
             for (n = 0; n < 200000; n++)
                 printf "2021,%s,%s,%06d,1.000,2.500\n", (n % 2 ? "643" : "364"),
                        (n % 2 ? "364" : "643"), 100000 + n }' > "$F"
check "the file is over 4 MiB" "$(test "$(stat -c %s "$F")" -gt 4194304 && echo yes)" "yes"
expect_rc "a large file loads (parallel scan)" 0 "$TR" import --db "$WORK/p.db" "$F"
TR_SERIAL_SCAN=1 expect_rc "the same file, scanned first" 0 "$TR" import --db "$WORK/s.db" "$F"
check "both paths load the same facts" \
    "$(sq "$WORK/p.db" "SELECT count(*), sum(value_usd) FROM fact_trade")" \
    "$(sq "$WORK/s.db" "SELECT count(*), sum(value_usd) FROM fact_trade")"
check "200,000 rows of US\$ 1,000" "$(sq "$WORK/p.db" "SELECT count(*) || ' ' || sum(value_usd) FROM fact_trade")" \
    "200000 200000000"
check "the sha256 is recorded by the parallel scan" \
    "$(sq "$WORK/p.db" "SELECT sha256 FROM load_log")" "$(sha256sum "$F" | cut -d' ' -f1)"
expect_rc "same bytes again: already loaded" 0 "$TR" import --db "$WORK/p.db" "$F"
check_grep "reported as already loaded" "already loaded as load 1" "$WORK/out"

# a Latin-1 byte deep in a file with no UTF-8 character: parsed again as Windows-1252,
# converted, the row rejected for its value
L=$WORK/latin/BACI_HS17_Y2021_V202401b.csv
mkdir -p "$WORK/latin"
{ cat "$F"; printf '2021,643,364,999999,1.000,2.5\351\n'; } > "$L"
expect_rc "a large Latin-1 file loads with --max-rejects 1" 0 "$TR" import --db "$WORK/l.db" --max-rejects 1 "$L"
check "encoding recorded as Windows-1252" "$(sq "$WORK/l.db" "SELECT encoding FROM load_log")" "windows-1252"
check "the bad row rejected on its line" \
    "$(sq "$WORK/l.db" "SELECT line || ' ' || error_type FROM load_reject")" "200002 BAD_NUMBER"

# a NUL byte deep in the file: the scan's verdict fails the file, nothing committed
N=$WORK/nul/BACI_HS17_Y2021_V202401b.csv
mkdir -p "$WORK/nul"
{ cat "$F"; printf '2021,643,364,999999,1.000,2\0005\n'; } > "$N"
expect_rc "a large file with a NUL byte is rejected" 3 "$TR" import --db "$WORK/n.db" "$N"
check_grep "the NUL byte is named with its line" "BACI_HS17_Y2021_V202401b.csv:200002: binary data" "$WORK/err"
check "nothing committed" "$(sq "$WORK/n.db" "SELECT count(*) FROM fact_trade")" "0"
check "the failure recorded with the file's sha256" \
    "$(sq "$WORK/n.db" "SELECT status || ' ' || sha256 FROM load_log")" "failed $(sha256sum "$N" | cut -d' ' -f1)"

# duplicates deep in a large file: found by the writer thread, rejected on their own lines
D=$WORK/dup/BACI_HS17_Y2021_V202401b.csv
mkdir -p "$WORK/dup"
{ cat "$F"; sed -n '3p;150000p' "$F"; } > "$D"
expect_rc "two duplicate rows, --max-rejects 2 (writer thread)" 0 "$TR" import --db "$WORK/d.db" --max-rejects 2 "$D"
TR_WRITER_THREAD=0 expect_rc "the same, inserted inline" 0 "$TR" import --db "$WORK/d0.db" --max-rejects 2 "$D"
check "the duplicates rejected on their lines" \
    "$(sq "$WORK/d.db" "SELECT group_concat(line || ' ' || error_type, ', ') FROM load_reject")" \
    "200002 DUPLICATE_KEY, 200003 DUPLICATE_KEY"
check "counts: 200,002 read, 200,000 loaded, 2 rejected" \
    "$(sq "$WORK/d.db" "SELECT rows_read || ' ' || rows_loaded || ' ' || rows_rejected FROM load_log")" \
    "200002 200000 2"
check "partition rows add up to the rows loaded" \
    "$(sq "$WORK/d.db" "SELECT sum(rows) FROM load_partition")" "200000"
state() {
    sqlite3 "$1" "SELECT * FROM fact_trade ORDER BY trade_key; SELECT * FROM sum_trade ORDER BY 1,2,3,4,5,6,7;
                  SELECT * FROM sum_annual ORDER BY 1,2,3,4,5; SELECT * FROM load_partition ORDER BY 1,2,3,4,5,6;
                  SELECT line, byte_offset, error_type, raw_line FROM load_reject ORDER BY 1;
                  SELECT * FROM sum_product ORDER BY 1, 2, 3, 4, 5, 6;
                  SELECT * FROM sum_chapter ORDER BY 1, 2, 3, 4, 5, 6, 7, 8;
                  SELECT rows_read, rows_loaded, rows_rejected, rows_replaced FROM load_log;" | sha256sum
}
check "writer thread and inline give the same database" "$(state "$WORK/d.db")" "$(state "$WORK/d0.db")"

# a corrected large file replaces the partitions of the first while the writer inserts
C=$WORK/corr/BACI_HS17_Y2021_V202401b.csv
mkdir -p "$WORK/corr"
sed 's/,1\.000,2\.500$/,2.000,2.500/' "$F" > "$C"
cp "$WORK/p.db" "$WORK/c1.db"; cp "$WORK/p.db" "$WORK/c0.db"
expect_rc "a corrected large file loads (writer thread)" 0 "$TR" import --db "$WORK/c1.db" "$C"
TR_WRITER_THREAD=0 expect_rc "the same, inserted inline" 0 "$TR" import --db "$WORK/c0.db" "$C"
check "the correction replaced every row: 200,000 rows of US\$ 2,000" \
    "$(sq "$WORK/c1.db" "SELECT count(*) || ' ' || sum(value_usd) FROM fact_trade")" "200000 400000000"
check "rows replaced recorded" "$(sq "$WORK/c1.db" "SELECT rows_replaced FROM load_log WHERE load_id = 2")" "200000"
check "writer thread and inline give the same database after a replacement" \
    "$(state "$WORK/c1.db")" "$(state "$WORK/c0.db")"

# a shuffled large file is sorted (in runs, merged) before it is inserted: the same database
# as the sorted file; its duplicates are rejected on their lines with their text read back
X=$WORK/shuf/BACI_HS17_Y2021_V202401b.csv
mkdir -p "$WORK/shuf"
{ head -n 1 "$D"; tail -n +2 "$D" | shuf --random-source="$F"; } > "$X"
TMPDIR=$WORK/tmp; export TMPDIR; mkdir -p "$TMPDIR"
expect_rc "the shuffled file with two duplicates loads, --max-rejects 2" 0 "$TR" import --db "$WORK/x.db" --max-rejects 2 "$X"
check_grep "the import says the rows were sorted first" "far from key order: sorted before inserting" "$WORK/out"
unset TMPDIR
decoded() {
    sqlite3 "$1" "SELECT f.year, c.iso3, f.flow, p.code, f.value_usd, f.net_wgt_kg
                  FROM fact_trade f JOIN dim_product p USING (product_id)
                  JOIN dim_country c ON c.country_id = f.reporter_id ORDER BY 1, 2, 3, 4;
                  SELECT reporter_id, partner_id, year, total_usd, sum6_usd, n_rows FROM sum_trade ORDER BY 1, 2, 3;
                  SELECT * FROM sum_bilateral ORDER BY 1, 2, 3, 4;
                  SELECT s.year, c.iso3, s.flow, p.code, s.value_usd, s.facts,
                         printf('%.3f', s.net_wgt_kg), s.facts_with_weight
                  FROM sum_product s JOIN dim_product p USING (product_id)
                  JOIN dim_country c ON c.country_id = s.reporter_id ORDER BY 1, 2, 3, 4;
                  SELECT * FROM sum_chapter ORDER BY 1, 2, 3, 4, 5, 6, 7, 8;
                  SELECT rows_read, rows_loaded, rows_rejected FROM load_log;" | sha256sum
}
check "shuffled and sorted files give the same facts and summaries" "$(decoded "$WORK/x.db")" "$(decoded "$WORK/d.db")"
check "two duplicates rejected, each on its own line with its own text" \
    "$(sq "$WORK/x.db" "SELECT count(*), count(DISTINCT line) FROM load_reject WHERE error_type = 'DUPLICATE_KEY'")" "2|2"
for line in $(sq "$WORK/x.db" "SELECT line FROM load_reject"); do
    check "the rejected line $line quotes the file's line $line" \
        "$(sq "$WORK/x.db" "SELECT raw_line FROM load_reject WHERE line = $line")" "$(sed -n "${line}p" "$X")"
done
check "the temporary sort file is gone" "$(ls "$WORK/tmp" | wc -l | tr -d ' ')" "0"
TR_WRITER_THREAD=0 expect_rc "the shuffled file, inserted inline" 0 "$TR" import --db "$WORK/x0.db" --max-rejects 2 "$X"
check "inline sorting gives the same database" "$(state "$WORK/x0.db")" "$(state "$WORK/x.db")"
# every summary equal to the facts (tradereport check), sums over partners included, after
# duplicates, a replacement and the shuffled file's two passes
for db in d d0 c1 c0 x x0; do
    expect_rc "invariants hold in $db.db" 0 "$TR" check --db "$WORK/$db.db"
done

# a file sorted as BACI ships it, by exporter code, where ids do not follow codes (492 XEU
# has id 1002, 699 India id 356 after 697): inserted as it comes, not sorted first
O=$WORK/order/BACI_HS17_Y2020_V202401b.csv
mkdir -p "$WORK/order"
awk 'BEGIN { print "t,i,j,k,v,q"; split("4 8 12 492 496 498 697 699 703", ex, " ");
             for (e = 1; e <= 9; e++) for (n = 0; n < 3000; n++)
                 printf "2020,%d,364,%06d,1.000,2.500\n", ex[e], 100000 + n }' > "$O"
expect_rc "a sorted file with ids out of code order loads" 0 "$TR" import --db "$WORK/o.db" "$O"
check "27,000 rows loaded" "$(sq "$WORK/o.db" "SELECT count(*) FROM fact_trade")" "27000"
check "not sorted first: a few descents are not disorder" "$(grep -c "sorted before inserting" "$WORK/out")" "0"

finish
