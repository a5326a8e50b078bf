#!/bin/sh
# One writer at a time, readers never blocked, synchronous=FULL. A writer is stopped (SIGSTOP,
# raised by the shim) in the middle of its transaction and in the middle of its COMMIT; a second
# writer must exit 4 at once naming the first one's pid, and readers must get the state before
# at once. A reader holding a long read transaction must not block an import. Two importers
# started together: each commits or exits 4, never both half. Each commit fsyncs the WAL.
. tests/cli/lib.sh
. tests/faults/lib.sh
suite faults_concurrency

A=$FIX/baci/BACI_HS17_Y2021_V202401b.csv
B=$FIX/baci/BACI_HS17_Y2022_V202401b.csv
BASE=$WORK/base.db
"$TR" init --db "$BASE" > /dev/null 2>&1
"$TR" import --db "$BASE" "$FIX/tiny/BACI_HS17_Y2020_V202401b.csv" > /dev/null 2>&1
BEFORE=$($STATE digest "$BASE")
N0=$(sq "$BASE" 'SELECT count(*) FROM fact_trade')
cp "$BASE" "$WORK/u.db"
"$TR" import --db "$WORK/u.db" "$A" > /dev/null 2>&1
AFTER_A=$($STATE digest "$WORK/u.db")
"$TR" import --db "$WORK/u.db" "$B" > /dev/null 2>&1
AFTER_AB=$($STATE digest "$WORK/u.db")
rm -f "$WORK/u.db"*
cp "$BASE" "$WORK/u.db"
"$TR" import --db "$WORK/u.db" "$B" "$A" > /dev/null 2>&1
AFTER_BA=$($STATE digest "$WORK/u.db")
rm -f "$WORK/u.db"*

fresh() {
    rm -f "$WORK/f.db" "$WORK/f.db-wal" "$WORK/f.db-shm" "$WORK/f.db.lock"
    cp "$BASE" "$WORK/f.db"
}

# now_ms: milliseconds, for "at once"
now_ms() { date +%s%3N; }

# stopped PID: waits (up to 4 s) until PID has stopped itself; 0 when it has.
stopped() {
    i=0
    while [ "$i" -lt 200 ]; do
        grep -q '^State:.*T' "/proc/$1/status" 2> /dev/null && return 0
        kill -0 "$1" 2> /dev/null || return 1
        sleep 0.02
        i=$((i + 1))
    done
    return 1
}

# paused WHERE ENV...: starts importing A into f.db, stopped by the shim where ENV says.
for where in "mid-transaction (reading the input)|TR_FAULT_PATH=BACI_HS17_Y2021 TR_FAULT_AT_READ=3" \
             "mid-COMMIT (first WAL write after the rows)|TR_FAULT_TRIGGER=BACI_HS17_Y2021 TR_FAULT_PATH=f.db-wal TR_FAULT_AT_WRITE=1" \
             "mid-COMMIT (before the WAL fsync)|TR_FAULT_TRIGGER=BACI_HS17_Y2021 TR_FAULT_PATH=f.db-wal TR_FAULT_AT_SYNC=1"; do
    label=${where%%|*}
    envs=${where#*|}
    fresh
    # shellcheck disable=SC2086  # envs are NAME=VALUE words
    env LD_PRELOAD="$INJECT" $envs TR_FAULT_SIGNAL=19 "$TR" import --db "$WORK/f.db" "$A" \
        > "$WORK/a.out" 2> "$WORK/a.err" &
    apid=$!
    if ! stopped "$apid"; then
        not_ok "writer stopped $label" "it did not stop: $(head -c 200 "$WORK/a.err")"
        kill -9 "$apid" 2> /dev/null
        wait "$apid"
        continue
    fi
    for cmd in import init nightly; do
        mkdir -p "$WORK/inbox"
        t0=$(now_ms)
        case $cmd in
        import) run "$TR" import --db "$WORK/f.db" "$B" ;;
        init) run "$TR" init --db "$WORK/f.db" ;;
        nightly) run "$TR" nightly --db "$WORK/f.db" --inbox "$WORK/inbox" ;;
        esac
        t1=$(now_ms)
        if [ "$RC" -eq 4 ] && grep -q "pid $apid" "$WORK/err" && [ $((t1 - t0)) -lt 1000 ]; then
            ok "lock: a second writer ($cmd) while the first is stopped $label exits 4 at once naming pid $apid"
            inject_result lock ok
        else
            not_ok "lock: a second writer ($cmd) while the first is stopped $label" \
                "exit $RC after $((t1 - t0)) ms, want 4 at once naming pid $apid; stderr: $(head -c 200 "$WORK/err")"
            inject_result lock fail
        fi
    done
    # readers: the tool, the sqlite3 shell, check, a report; none waits for the writer
    for reader in query sqlite3 check report; do
        t0=$(now_ms)
        case $reader in
        query) run "$TR" query --db "$WORK/f.db" --tsv "SELECT count(*) FROM fact_trade"
               got=$(sed -n 2p "$WORK/out") ;;
        sqlite3) run sqlite3 "$WORK/f.db" "SELECT count(*) FROM fact_trade"
                 got=$(cat "$WORK/out") ;;
        check) run "$TR" check --db "$WORK/f.db"; got=$N0
               [ "$RC" -eq 0 ] || got="check exit $RC" ;;
        report) run "$TR" report --db "$WORK/f.db" --pair RUS:IRN --out "$WORK/rep"
                got=$N0; [ "$RC" -eq 0 ] || got="report exit $RC" ;;
        esac
        t1=$(now_ms)
        if [ "$got" = "$N0" ] && [ $((t1 - t0)) -lt 2000 ]; then
            ok "wal: a reader ($reader) while the writer is stopped $label is not blocked and sees the state before"
            inject_result reader ok
        else
            not_ok "wal: a reader ($reader) while the writer is stopped $label" \
                "got '$got' after $((t1 - t0)) ms, want $N0 at once; stderr: $(head -c 200 "$WORK/err")"
            inject_result reader fail
        fi
    done
    kill -s CONT "$apid"
    wait "$apid"
    RC=$?
    cp "$WORK/a.err" "$WORK/err"
    verify lock "the stopped writer ($label) resumes and commits" "$WORK/f.db" "$RC" 0 \
        "$AFTER_A" "$AFTER_A"
done

# the holder's pid is named even when the second writer comes right after the lock was taken:
# the first writer is stopped between taking the lock and writing its pid into DB.lock (which
# still holds the pid of a writer that has since exited), and goes on 50 ms after the second
# writer started; the second one must wait for the pid (briefly) and name it
fresh
echo 999999 > "$WORK/f.db.lock"
env LD_PRELOAD="$INJECT" TR_FAULT_PATH=f.db.lock TR_FAULT_AT_WRITE=1 TR_FAULT_SIGNAL=19 \
    "$TR" import --db "$WORK/f.db" "$A" > "$WORK/a.out" 2> "$WORK/a.err" &
apid=$!
if stopped "$apid"; then
    t0=$(now_ms)
    "$TR" import --db "$WORK/f.db" "$B" > "$WORK/out" 2> "$WORK/err" &
    bpid=$!
    sleep 0.05
    kill -s CONT "$apid"
    wait "$bpid"
    RC=$?
    t1=$(now_ms)
    if [ "$RC" -eq 4 ] && grep -q "pid $apid" "$WORK/err" && [ $((t1 - t0)) -lt 1000 ]; then
        ok "lock: a second writer right after the first took the lock names pid $apid ($((t1 - t0)) ms)"
        inject_result lock ok
    else
        not_ok "lock: a second writer right after the first took the lock (before it wrote its pid)" \
            "exit $RC after $((t1 - t0)) ms, want 4 at once naming pid $apid; stderr: $(head -c 200 "$WORK/err")"
        inject_result lock fail
    fi
else
    not_ok "lock: the first writer stops before writing its pid" "$(head -c 200 "$WORK/a.err")"
    kill -9 "$apid" 2> /dev/null
fi
wait "$apid"

# a reader holding a read transaction for the whole import does not block it
fresh
$PY - "$WORK/f.db" "$TR" "$A" > "$WORK/reader.out" 2>&1 <<'EOF'
import sqlite3, subprocess, sys, time
db, tr, path = sys.argv[1:4]
con = sqlite3.connect(db, isolation_level=None)
con.execute("BEGIN")
n0 = con.execute("SELECT count(*) FROM fact_trade").fetchone()[0]
t0 = time.time()
p = subprocess.run([tr, "import", "--db", db, path], capture_output=True, timeout=60)
dt = time.time() - t0
n1 = con.execute("SELECT count(*) FROM fact_trade").fetchone()[0]   # same snapshot
con.execute("COMMIT")
n2 = con.execute("SELECT count(*) FROM fact_trade").fetchone()[0]   # a new one
print("rc=%d seconds=%.1f inside=%d,%d after=%d" % (p.returncode, dt, n0, n1, n2))
EOF
res=$(cat "$WORK/reader.out")
rows=$(($(wc -l < "$A") - 1))
case $res in
"rc=0 seconds="[0-4].*" inside=$N0,$N0 after=$((N0 + rows))")
    ok "wal: an import completes while a reader holds a read transaction ($res)"
    inject_result reader ok ;;
*)  not_ok "wal: an import while a reader holds a read transaction" "$res"
    inject_result reader fail ;;
esac
run "$TR" import --db "$WORK/f.db" "$A"
verify reader "after the long reader: the import is there once" "$WORK/f.db" "$RC" 0 \
    "$AFTER_A" "$AFTER_A"

# two importers started together, ten times: each commits or exits 4 naming a pid
i=1
while [ "$i" -le 10 ]; do
    fresh
    "$TR" import --db "$WORK/f.db" "$A" > "$WORK/a.out" 2> "$WORK/a.err" &
    p1=$!
    "$TR" import --db "$WORK/f.db" "$B" > "$WORK/b.out" 2> "$WORK/b.err" &
    p2=$!
    wait "$p1"; r1=$?
    wait "$p2"; r2=$?
    why=
    for x in "$r1:a" "$r2:b"; do
        r=${x%:*}
        case $r in
        0) ;;
        4) ;;   # which pid it names: the deterministic case below
        *) why="$why exit $r: $(head -c 200 "$WORK/${x#*:}.err");" ;;
        esac
    done
    # the one that was refused, run again, completes the pair
    [ "$r1" -eq 4 ] && "$TR" import --db "$WORK/f.db" "$A" > /dev/null 2>&1
    [ "$r2" -eq 4 ] && "$TR" import --db "$WORK/f.db" "$B" > /dev/null 2>&1
    problems=$($STATE check "$WORK/f.db")
    [ -z "$problems" ] || why="$why $problems"
    got=$($STATE digest "$WORK/f.db")
    [ "$got" = "$AFTER_AB" ] || [ "$got" = "$AFTER_BA" ] ||
        why="$why contents differ from A then B and from B then A;"
    if [ -z "$why" ]; then
        ok "lock: two importers at once, round $i (exits $r1 and $r2)"
        inject_result lock ok
    else
        not_ok "lock: two importers at once, round $i" "$why"
        inject_result lock fail
    fi
    i=$((i + 1))
done

# synchronous=FULL: every committed file costs at least one fsync of the WAL before the command
# returns (with NORMAL, WAL commits are not synced at all)
cp "$BASE" "$WORK/s.db"
count_io one env TR_FAULT_PATH=s.db-wal "$TR" import --db "$WORK/s.db" "$A"
cp "$BASE" "$WORK/s3.db"
count_io three env TR_FAULT_PATH=s3.db-wal "$TR" import --db "$WORK/s3.db" "$A" "$B" \
    "$FIX/baci/BACI_HS17_Y2019_V202401b.csv"
check "synchronous=FULL: two more committed files, at least two more WAL fsyncs ($one_syncs, then $three_syncs)" \
    "$([ $((three_syncs - one_syncs)) -ge 2 ] && echo yes)" yes
check "journal_mode is wal" "$(sq "$WORK/s3.db" 'PRAGMA journal_mode')" wal
finish
