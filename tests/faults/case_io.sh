#!/bin/sh
# I/O faults around an import: the database's disk fills up (ENOSPC after B bytes written to the
# database, its WAL, shared memory and lock files; `ulimit -f` with SIGXFSZ ignored and not),
# the input cannot be read (EIO after B bytes, during the checksum scan and during the parse),
# and the database is read-only (a read-only mount, simulated: chmod does not stop root; and
# SQLite's own mode=ro). An import must exit 5 (or 0 when only the checkpoint after COMMIT
# failed), leave the state before or after, free the lock, and a clean re-run must complete it.
. tests/cli/lib.sh
. tests/faults/lib.sh
suite faults_io

IN=$FIX/baci/BACI_HS17_Y2021_V202401b.csv
BYTES=$(wc -c < "$IN")
BASE=$WORK/base.db
"$TR" init --db "$BASE" > /dev/null 2>&1
"$TR" import --db "$BASE" "$FIX/tiny/BACI_HS17_Y2020_V202401b.csv" > /dev/null 2>&1
BEFORE=$($STATE digest "$BASE")
cp "$BASE" "$WORK/u.db"
"$TR" import --db "$WORK/u.db" "$IN" > /dev/null 2>&1
AFTER=$($STATE digest "$WORK/u.db")
rm -f "$WORK/u.db"*

fresh() {
    rm -f "$WORK/f.db" "$WORK/f.db-wal" "$WORK/f.db-shm" "$WORK/f.db.lock"
    cp "$BASE" "$WORK/f.db"
}
rerun() { "$TR" import --db "$WORK/f.db" "$IN"; }

# disk full for the database: ENOSPC once B bytes went to f.db*, B spread over a whole import
fresh
count_io d env TR_FAULT_PATH=f.db "$TR" import --db "$WORK/f.db" "$IN"
check "an import writes to the database files (${d_bytes:-0} bytes)" \
    "$([ "${d_bytes:-0}" -gt 10000 ] && echo yes)" yes
for b in 0 $(spread 24 $((${d_bytes:-1} - 1))); do
    fresh
    fault env TR_FAULT_PATH=f.db TR_FAULT_ENOSPC="$b" "$TR" import --db "$WORK/f.db" "$IN"
    verify disk_full_db "no space after $b of $d_bytes bytes" "$WORK/f.db" "$RC" "0 5" \
        "$BEFORE" "$AFTER" rerun
    if [ "$RC" -eq 0 ] && [ "$($STATE digest "$WORK/f.db")" != "$AFTER" ]; then
        not_ok "disk_full_db: no space after $b: exit 0" "but the import is not there"
    fi
done

# the file size limit (512-byte blocks): the WAL or the checkpoint cannot grow past it
for blocks in 1 16 64 256 512 1024; do
    for how in ignored killed; do
        fresh
        if [ $how = ignored ]; then
            limited "$blocks" ignore "$TR" import --db "$WORK/f.db" "$IN"
            verify disk_full_db "ulimit -f $blocks, SIGXFSZ ignored" "$WORK/f.db" "$RC" "0 5" \
                "$BEFORE" "$AFTER" rerun
        else
            limited "$blocks" default "$TR" import --db "$WORK/f.db" "$IN"
            verify disk_full_db "ulimit -f $blocks, killed by SIGXFSZ" "$WORK/f.db" "$RC" \
                "0 153" "$BEFORE" "$AFTER" rerun
        fi
    done
done

# read errors on the input: EIO from byte B on, in the first pass over it (the scan: sha256,
# encoding) or the second (the parse, inside the transaction); one descriptor serves both
for nth in 1 2; do
    phase=scan
    [ "$nth" = 2 ] && phase=parse
    for b in 0 1 $(spread 6 $((BYTES - 1))); do
        fresh
        fault env TR_FAULT_PATH=BACI_HS17_Y2021 TR_FAULT_READ_PASS="$nth" TR_FAULT_READ_EIO="$b" \
            "$TR" import --db "$WORK/f.db" "$IN"
        verify read_error "EIO after $b of $BYTES bytes of the input, in the $phase" \
            "$WORK/f.db" "$RC" 5 "$BEFORE" "$AFTER" rerun
        check_grep "read_error: EIO after $b bytes in the $phase names the file" \
            "BACI_HS17_Y2021_V202401b.csv.*(read error|Input/output error)" "$WORK/err"
    done
done

# a read-only database: on a read-only mount (the lock file cannot be created, nor the database
# opened for writing), and opened by SQLite with mode=ro
fresh
fault env TR_FAULT_PATH=f.db TR_FAULT_ROFS=1 "$TR" import --db "$WORK/f.db" "$IN"
verify read_only "import into a database on a read-only mount" "$WORK/f.db" "$RC" 5 \
    "$BEFORE" "$AFTER" rerun
fresh
fault env TR_FAULT_PATH=f.db TR_FAULT_ROFS=1 "$TR" query --db "$WORK/f.db" --tsv \
    "SELECT count(*) FROM fact_trade"
# SQLite needs the -shm file of a WAL database; without one on a read-only mount it cannot
# open it (5), with one it reads it; never a crash or other data
got="$RC $(sed -n 2p "$WORK/out")"
case $got in
"0 3"|"5 ") ok "read_only: a query on a read-only mount reads the data or exits 5 ($got)" ;;
*) not_ok "read_only: a query on a read-only mount" "got '$got', want '0 3' or '5'" ;;
esac
# SQLite's mode=ro (a relative URI: the lock file is named after the --db text)
fresh
(cd "$WORK" && exec "$TR" import --db "file:f.db?mode=ro" "$IN") > "$WORK/out" 2> "$WORK/err"
RC=$?
verify read_only "import into file:DB?mode=ro" "$WORK/f.db" "$RC" 5 "$BEFORE" "$AFTER" rerun
check_grep "read_only: mode=ro: SQLite refuses the write" "readonly database" "$WORK/err"
rm -f "$WORK/file:f.db?mode=ro.lock"
finish
