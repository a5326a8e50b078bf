#!/bin/sh
# Files large enough (> 4 MiB) that the file scan (sha256, UTF-8, NUL) runs on a second thread
# while the file is parsed: the outcome must be exactly what the one-thread path gives.
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

# a Latin-1 byte deep in the file: parsed again, converted, the row rejected for its value
L=$WORK/latin/BACI_HS17_Y2021_V202401b.csv
mkdir -p "$WORK/latin"
{ cat "$F"; printf '2021,643,364,999999,1.000,2.5\351\n'; } > "$L"
expect_rc "a large Latin-1 file loads with --max-rejects 1" 0 "$TR" import --db "$WORK/l.db" --max-rejects 1 "$L"
check "encoding recorded as Latin-1" "$(sq "$WORK/l.db" "SELECT encoding FROM load_log")" "latin-1"
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

finish
