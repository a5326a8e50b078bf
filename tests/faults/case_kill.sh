#!/bin/sh
# kill -9 during an import, at many points: after N rows (the binary's own test hook
# TR_TEST_DIE_AFTER_ROWS, swept over 20 values and the batch boundaries), at every write and
# every fsync the run makes (schema upgrade at open, the facts, inside COMMIT, the checkpoint at
# close), into a new partition and into one a corrected file replaces. After each: the database
# is the state before or the state after, nothing is claimed that is not there, the lock is
# free, and a clean re-run equals an undisturbed run.
. tests/cli/lib.sh
. tests/faults/lib.sh
suite faults_kill

IN=$FIX/baci/BACI_HS17_Y2021_V202401b.csv          # 308 rows, a new partition
OLD=$FIX/tiny/BACI_HS17_Y2021_V202401b.csv         # 6 rows of 2021 that IN replaces
ROWS=$($PY -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1]))) - 1)' "$IN")

BASE=$WORK/base.db
"$TR" init --db "$BASE" > /dev/null 2>&1
"$TR" import --db "$BASE" "$FIX/tiny/BACI_HS17_Y2020_V202401b.csv" > /dev/null 2>&1
BASE_R=$WORK/base_r.db                             # the replacement scenario
cp "$BASE" "$BASE_R"
"$TR" import --db "$BASE_R" "$OLD" > /dev/null 2>&1

# state_of BASEDB: sets BEFORE and AFTER (after an undisturbed import of IN)
state_of() {
    BEFORE=$($STATE digest "$1")
    cp "$1" "$WORK/u.db"
    "$TR" import --db "$WORK/u.db" "$IN" > /dev/null 2>&1
    AFTER=$($STATE digest "$WORK/u.db")
    rm -f "$WORK/u.db"*
}

# one KIND NAME BASEDB ENV...: a killed import of IN into a copy of BASEDB, verified.
one() {
    o_kind=$1 o_name=$2 o_base=$3
    shift 3
    db=$WORK/f.db
    rm -f "$db" "$db"-wal "$db"-shm "$db".lock
    cp "$o_base" "$db"
    fault env "$@" "$TR" import --db "$db" "$IN"
    verify "$o_kind" "$o_name" "$db" "$RC" 137 "$BEFORE" "$AFTER" "$TR" import --db "$db" "$IN"
}

for scenario in new replace; do
    if [ $scenario = new ]; then b=$BASE; else b=$BASE_R; fi
    state_of "$b"
    check "$scenario: an undisturbed import changes the database" \
        "$([ "$BEFORE" != "$AFTER" ] && echo changed)" changed

    # after N rows: 20 points spread over the file, plus either side of a 50-row batch
    for n in $( (spread 20 $((ROWS - 1)); echo 49 50 51 99 100 101) | sort -nu); do
        one kill "$scenario: after $n of $ROWS rows" "$b" TR_TEST_DIE_AFTER_ROWS="$n"
    done

    # at every write and every fsync of a whole run
    cp "$b" "$WORK/count.db"
    count_io n "$TR" import --db "$WORK/count.db" "$IN"
    rm -f "$WORK/count.db"*
    check "$scenario: the run makes writes and syncs to kill at" \
        "$([ "${n_writes:-0}" -gt 10 ] && [ "${n_syncs:-0}" -gt 1 ] && echo yes)" yes
    w=1
    while [ "$w" -le "${n_writes:-0}" ]; do
        one kill "$scenario: at write $w of $n_writes" "$b" TR_FAULT_AT_WRITE="$w"
        w=$((w + 1))
    done
    s=1
    while [ "$s" -le "${n_syncs:-0}" ]; do
        one kill "$scenario: at fsync $s of $n_syncs" "$b" TR_FAULT_AT_SYNC="$s"
        s=$((s + 1))
    done
done

# inside COMMIT exactly: the writes to the WAL after the last row was read
cp "$BASE" "$WORK/count.db"
count_io c env TR_FAULT_TRIGGER=BACI_HS17_Y2021 TR_FAULT_PATH=count.db-wal "$TR" import \
    --db "$WORK/count.db" "$IN"
rm -f "$WORK/count.db"*
state_of "$BASE"
w=1
while [ "$w" -le "${c_writes:-0}" ]; do
    one kill "new: at WAL write $w of $c_writes after the input was opened" "$BASE" \
        TR_FAULT_TRIGGER=BACI_HS17_Y2021 TR_FAULT_PATH=f.db-wal TR_FAULT_AT_WRITE="$w"
    w=$((w + 1))
done
finish
