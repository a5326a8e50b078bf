#!/bin/sh
# SIGINT and SIGTERM during an import: raised inside the run at every read of the input (the
# scan and the parse), at write to the WAL and at every fsync (inside COMMIT), and sent from
# another process while a 30,000-row import is stopped at each read of its input. Each must exit
# 130 / 143 and leave the file either not loaded at all (rolled back) or fully loaded (the
# signal came after the last record, during COMMIT), release the lock, and the same command run
# again must give the undisturbed contents: it loads a rolled-back file, and reports a file that
# was committed as already loaded and skips it.
. tests/cli/lib.sh
. tests/faults/lib.sh
suite faults_signals

SMALL=$FIX/baci/BACI_HS17_Y2021_V202401b.csv
BASE=$WORK/base.db
"$TR" init --db "$BASE" > /dev/null 2>&1
"$TR" import --db "$BASE" "$FIX/tiny/BACI_HS17_Y2020_V202401b.csv" > /dev/null 2>&1

# a larger file of valid rows (tools/bench_gen, country codes from the database)
BIG=$WORK/big/BACI_HS17_Y2021_V000001.csv
mkdir -p "$WORK/big"
sqlite3 "$BASE" "SELECT c.code FROM country_code c JOIN dim_country d USING (country_id)
    WHERE c.system = 'baci' AND d.kind = 'country' AND c.valid_to = 9999
    ORDER BY CAST(c.code AS INTEGER) LIMIT 250" > "$WORK/codes.txt"
"${BENCH_GEN:-build/bench_gen}" baci 30000 2021 "$WORK/codes.txt" > "$BIG"

# states IN: BEFORE and AFTER for an import of IN into a copy of BASE
states() {
    BEFORE=$($STATE digest "$BASE")
    cp "$BASE" "$WORK/u.db"
    "$TR" import --db "$WORK/u.db" "$1" > /dev/null 2>&1
    AFTER=$($STATE digest "$WORK/u.db")
    rm -f "$WORK/u.db"*
}

fresh() {
    rm -f "$WORK/f.db" "$WORK/f.db-wal" "$WORK/f.db-shm" "$WORK/f.db.lock"
    cp "$BASE" "$WORK/f.db"
}

# rerun_says NAME: after verify (which set v_end), what the re-run printed matches the state the
# interrupted run left: "already loaded ..., nothing changed" after a commit, a load before.
rerun_says() {
    case $v_end in
    after) check_grep "$1: the re-run reports it already loaded" \
        'already loaded as load [0-9]+, nothing changed' "$WORK/rerun.out" ;;
    before) check_grep "$1: the re-run loads it" ': load [0-9]+ \(' "$WORK/rerun.out" ;;
    esac
}

# one NAME IN SIG ENV...: SIG raised by the shim at the point the ENV names.
one() {
    o_name=$1 o_in=$2 o_sig=$3
    shift 3
    fresh
    fault env TR_FAULT_SIGNAL="$o_sig" "$@" "$TR" import --db "$WORK/f.db" "$o_in"
    verify signal "SIG$(kill -l "$o_sig") $o_name" "$WORK/f.db" "$RC" $((128 + o_sig)) \
        "$BEFORE" "$AFTER" "$TR" import --db "$WORK/f.db" "$o_in"
    rerun_says "SIG$(kill -l "$o_sig") $o_name"
}

# the small file: at every read of it (scan, parse), at WAL writes inside COMMIT, at every fsync
states "$SMALL"
cp "$BASE" "$WORK/count.db"
count_io r env TR_FAULT_PATH=BACI_HS17_Y2021 "$TR" import --db "$WORK/count.db" "$SMALL"
cp "$BASE" "$WORK/count.db"
count_io w env TR_FAULT_PATH=count.db-wal "$TR" import --db "$WORK/count.db" "$SMALL"
rm -f "$WORK/count.db"*
for sig in 2 15; do
    k=1
    while [ "$k" -le "${r_reads:-0}" ]; do
        one "at read $k of $r_reads of the input" "$SMALL" "$sig" \
            TR_FAULT_PATH=BACI_HS17_Y2021 TR_FAULT_AT_READ="$k"
        k=$((k + 1))
    done
    for k in $(spread 8 "${w_writes:-0}"); do
        one "at WAL write $k of $w_writes" "$SMALL" "$sig" TR_FAULT_PATH=f.db-wal \
            TR_FAULT_AT_WRITE="$k"
    done
    k=1
    while [ "$k" -le "${w_syncs:-0}" ]; do
        one "at WAL fsync $k of $w_syncs" "$SMALL" "$sig" TR_FAULT_PATH=f.db-wal \
            TR_FAULT_AT_SYNC="$k"
        k=$((k + 1))
    done
done

# the large file, read in several blocks: at every read, raised inside the run, and sent by
# another process (kill) while the import is stopped at that read (SIGSTOP, then SIGCONT)
states "$BIG"
cp "$BASE" "$WORK/count.db"
count_io r env TR_FAULT_PATH=BACI_HS17_Y2021 "$TR" import --db "$WORK/count.db" "$BIG"
rm -f "$WORK/count.db"*
check "the large file is read in several blocks" "$([ "${r_reads:-0}" -ge 4 ] && echo yes)" yes
for sig in 2 15; do
    k=1
    while [ "$k" -le "${r_reads:-0}" ]; do
        one "at read $k of $r_reads of a 30,000-row file" "$BIG" "$sig" \
            TR_FAULT_PATH=BACI_HS17_Y2021 TR_FAULT_AT_READ="$k"
        k=$((k + 1))
    done
done
for sig in INT TERM; do
    want=130
    [ "$sig" = TERM ] && want=143
    k=1
    while [ "$k" -le "${r_reads:-0}" ]; do
        fresh
        env LD_PRELOAD="$INJECT" TR_FAULT_PATH=BACI_HS17_Y2021 TR_FAULT_AT_READ="$k" \
            TR_FAULT_SIGNAL=19 "$TR" import --db "$WORK/f.db" "$BIG" > "$WORK/out" 2> "$WORK/err" &
        pid=$!
        # wait until it has stopped itself (state T), then signal it and let it go on
        i=0
        while [ "$i" -lt 200 ] && ! grep -q '^State:.*T' "/proc/$pid/status" 2> /dev/null; do
            sleep 0.02
            i=$((i + 1))
        done
        kill -s "$sig" "$pid" 2> /dev/null
        kill -s CONT "$pid" 2> /dev/null
        wait "$pid"
        RC=$?
        verify signal "kill -$sig from another process at read $k of $r_reads" "$WORK/f.db" \
            "$RC" "$want" "$BEFORE" "$AFTER" "$TR" import --db "$WORK/f.db" "$BIG"
        rerun_says "kill -$sig at read $k"
        check_grep "kill -$sig at read $k: says nothing was committed" \
            "rolled back|nothing committed" "$WORK/err"
        k=$((k + 1))
    done
done
finish
