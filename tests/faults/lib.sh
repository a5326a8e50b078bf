# Shared helpers for the fault cases (sourced after tests/cli/lib.sh). Every case injects a
# fault into a real run of the binary and then checks, with independent readers (python's
# sqlite3 module in dbstate.py, the sqlite3 shell, flock(1)):
#   - PRAGMA integrity_check is ok, foreign keys hold, sql/checks/*.sql find nothing;
#   - the database holds exactly the state before the run or the state after an undisturbed run;
#   - no load_log row claims a committed load whose rows are not there (rows unaccounted = 0);
#   - the writer lock is free again;
#   - a clean re-run gives the same contents as an undisturbed run (no duplicates).
# Figures for `make reliability` go to $TR_FAULT_RESULTS, one line each:
#   inject KIND ok|fail         one fault injected, survived or not
#   metric NAME VALUE           rows_unaccounted, duplicates, partial_reports (summed)
# Needs TR_BIN, INJECT (tests/faults/inject.so) and TR_FAULT_RESULTS.
INJECT=${INJECT:?INJECT must name inject.so}
# Work on tmpfs when there is one: thousands of runs, each with fsyncs (synchronous=FULL) that
# a kill -9 does not need (the page cache survives it). FAULTS_TMP=/some/dir to choose.
FAULTS_TMP=${FAULTS_TMP:-/dev/shm}
if [ -d "$FAULTS_TMP" ] && [ -w "$FAULTS_TMP" ] &&
    fast=$(mktemp -d "$FAULTS_TMP/tr_faults_XXXXXX" 2> /dev/null); then
    rm -rf "$WORK"
    WORK=$fast
    trap 'rm -rf "$WORK"' EXIT
fi
RESULTS=${TR_FAULT_RESULTS:-/dev/null}
STATE="$PY $(pwd)/tests/faults/dbstate.py"
export SOURCE_DATE_EPOCH
# a signal-killed run must not leave a core file
ulimit -c 0 2>/dev/null || true

# A run under the shim takes well under a second; one that outlives RUN_LIMIT seconds
# (FAULT_RUN_LIMIT, default 60) is killed and exits 124, so a hang fails its case instead of
# stalling make faults. timeout passes a signal death on as 128 + the signal.
RUN_LIMIT=${FAULT_RUN_LIMIT:-60}
in_time() { timeout -k 5 "$RUN_LIMIT" "$@"; }

# watched BT CMD...: runs CMD; one still alive after RUN_LIMIT seconds gets the backtrace of
# every thread written to BT (gdb) and is killed: exit 124. The watchdog checks once a second
# and is itself killed when CMD ends first.
watched() {
    w_bt=$1
    shift
    rm -f "$w_bt" "$w_bt.tmp"
    "$@" &
    w_pid=$!
    (
        i=0
        while [ "$i" -lt "$RUN_LIMIT" ] && kill -0 "$w_pid" 2> /dev/null; do
            sleep 1
            i=$((i + 1))
        done
        if kill -0 "$w_pid" 2> /dev/null; then
            : > "$w_bt.tmp"   # tells the caller the dog is at work: wait for it
            gdb -p "$w_pid" -batch -ex "thread apply all bt" > "$w_bt.tmp" 2>&1 ||
                echo "no backtrace: gdb failed or is missing" >> "$w_bt.tmp"
            mv "$w_bt.tmp" "$w_bt"
            kill -9 "$w_pid" 2> /dev/null
        fi
    ) &
    w_dog=$!
    wait "$w_pid"
    w_rc=$?
    if [ -e "$w_bt.tmp" ] || [ -e "$w_bt" ]; then
        wait "$w_dog"
    else
        kill "$w_dog" 2> /dev/null
        wait "$w_dog" 2> /dev/null
    fi
    [ -e "$w_bt" ] && return 124
    return "$w_rc"
}

# hung_in BT: the innermost frame of a backtrace from watched that is not the C library's
# locking: "library NAME" for a shared library, "ours FILE:LINE" or "unknown".
hung_in() {
    awk '/^#[0-9]/ && !/nptl|sysdeps|libc\.so|libpthread|futex|lll_lock/ {
            if (match($0, / from [^ ]+/)) { print "library " substr($0, RSTART + 6, RLENGTH - 6); exit }
            if (match($0, / at [^ ]+$/)) { print "ours " substr($0, RSTART + 4); exit }
        }' "$1" | grep . || echo unknown
}

inject_result() { printf 'inject\t%s\t%s\n' "$1" "$2" >> "$RESULTS"; }
metric() { printf 'metric\t%s\t%s\n' "$1" "$2" >> "$RESULTS"; }

# fault CMD...: runs CMD with the shim preloaded; RC, $WORK/out, $WORK/err as run() does.
fault() {
    in_time env LD_PRELOAD="$INJECT" "$@" > "$WORK/out" 2> "$WORK/err"
    RC=$?
}

# lock_free DB: 0 when nobody holds the writer lock of DB.
lock_free() {
    [ ! -e "$1.lock" ] || flock -n -x "$1.lock" true
}

# rc_in RC LIST: RC is one of the space-separated LIST.
rc_in() {
    for x in $2; do [ "$1" = "$x" ] && return 0; done
    return 1
}

# verify KIND NAME DB RC "ALLOWED RCS" BEFORE AFTER [RERUN_CMD...]
# The checks listed at the top of this file, after one injected fault. BEFORE and AFTER are
# dbstate digests; RERUN_CMD (optional) is the clean re-run, after which the digest must be
# AFTER. Prints one ok/not ok line for the injection and records it.
verify() {
    v_kind=$1 v_name=$2 v_db=$3 v_rc=$4 v_allowed=$5 v_before=$6 v_after=$7
    shift 7
    v_why=
    if ! rc_in "$v_rc" "$v_allowed"; then
        v_why="exit $v_rc, want one of $v_allowed; stderr: $(head -c 300 "$WORK/err")"
    fi
    v_problems=$($STATE check "$v_db" 2>&1)
    if [ -n "$v_problems" ]; then
        v_why="${v_why:+$v_why; }$(printf '%s' "$v_problems" | head -n 5 | tr '\n' ';')"
        metric rows_unaccounted "$($STATE figures "$v_db" | sed -E 's/.*unaccounted ([0-9]+).*/\1/')"
    fi
    v_state=$($STATE digest "$v_db")
    if [ "$v_state" = "$v_after" ]; then
        v_end=after
    elif [ "$v_state" = "$v_before" ]; then
        v_end=before
    else
        v_end=other
        v_why="${v_why:+$v_why; }contents are neither the state before nor the state after"
    fi
    if ! lock_free "$v_db"; then
        v_why="${v_why:+$v_why; }the writer lock is still held"
    fi
    if [ $# -gt 0 ]; then
        "$@" > "$WORK/rerun.out" 2> "$WORK/rerun.err"
        v_rr=$?
        v_state=$($STATE digest "$v_db")
        if [ "$v_rr" -ne 0 ]; then
            v_why="${v_why:+$v_why; }clean re-run exits $v_rr: $(head -c 200 "$WORK/rerun.err")"
        elif [ "$v_state" != "$v_after" ]; then
            v_dups=$($STATE figures "$v_db" | sed -E 's/.*duplicates ([0-9]+).*/\1/')
            metric duplicates "$v_dups"
            v_why="${v_why:+$v_why; }clean re-run differs from an undisturbed run ($v_dups duplicate loads)"
        fi
    fi
    if [ -z "$v_why" ]; then
        ok "$v_kind: $v_name (exit $v_rc, state $v_end)"
        inject_result "$v_kind" ok
    else
        not_ok "$v_kind: $v_name" "$v_why"
        inject_result "$v_kind" fail
    fi
}

# spread N MAX: about N distinct values from 1 to MAX, evenly spread, both ends included.
spread() {
    awk -v n="$1" -v max="$2" 'BEGIN {
        if (max < 1) exit
        if (n > max) n = max
        for (i = 0; i < n; i++) {
            v = (n == 1) ? 1 : 1 + int(i * (max - 1) / (n - 1) + 0.5)
            if (!(v in seen)) { seen[v] = 1; print v }
        }
    }'
}

# count_io VAR_PREFIX CMD...: runs CMD under the shim with TR_FAULT_COUNT (keeping whatever
# TR_FAULT_TRIGGER / TR_FAULT_PATH the caller exported) and sets ${prefix}_allocs, _writes,
# _bytes, _syncs, _renames, _reads, _dlopen (allocations before the first dlopen, or -1).
count_io() {
    c_prefix=$1; shift
    rm -f "$WORK/count"
    in_time env LD_PRELOAD="$INJECT" TR_FAULT_COUNT="$WORK/count" "$@" > /dev/null 2>&1
    set -- $(cat "$WORK/count")
    eval "${c_prefix}_allocs=$2 ${c_prefix}_writes=$4 ${c_prefix}_bytes=$6 \
          ${c_prefix}_syncs=$8 ${c_prefix}_renames=${10} ${c_prefix}_reads=${12} \
          ${c_prefix}_dlopen=${14}"
}

# limited BLOCKS ignore|default CMD...: CMD with `ulimit -f BLOCKS` (512-byte blocks) and SIGXFSZ
# ignored (writes fail with EFBIG) or not (the process is killed); RC, $WORK/out, $WORK/err as
# run() gives them. Python starts it, so no shell reports the signal on the terminal.
limited() {
    "$PY" -c 'import resource, signal, subprocess, sys
limit, how = int(sys.argv[1]) * 512, sys.argv[2]
def pre():
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN if how == "ignore" else signal.SIG_DFL)
rc = subprocess.call(sys.argv[3:], preexec_fn=pre)
sys.exit(128 - rc if rc < 0 else rc)' "$@" > "$WORK/out" 2> "$WORK/err"
    RC=$?
}
