#!/bin/sh
# Reports under faults: killed (-9) at writes spread over the whole run, at each fsync and at
# each rename; stopped where each temporary file is synced (it is complete and not yet renamed)
# and where the folder is synced (after both renames);
# out of space on the temporary files (ENOSPC after B bytes, the descriptor turned into
# /dev/full, `ulimit -f` with SIGXFSZ ignored and not); standard output on /dev/full for every
# command that prints data. A report under its final name is always complete: either the
# earlier report that was there or the new one, byte for byte (SOURCE_DATE_EPOCH makes them
# reproducible). A handled failure exits 5 and leaves no temporary file behind.
. tests/cli/lib.sh
. tests/faults/lib.sh
suite faults_report

DB=$WORK/r.db
"$TR" init --db "$DB" > /dev/null 2>&1
"$TR" import --db "$DB" "$FIX/baci/BACI_HS17_Y2019_V202401b.csv" \
    "$FIX/baci/BACI_HS17_Y2020_V202401b.csv" > /dev/null 2>&1
"$TR" report --db "$DB" --pair RUS:IRN --out "$WORK/old" > /dev/null 2>&1   # the earlier one
"$TR" import --db "$DB" "$FIX/baci/BACI_HS17_Y2021_V202401b.csv" > /dev/null 2>&1
"$TR" report --db "$DB" --pair RUS:IRN --out "$WORK/new" > /dev/null 2>&1   # undisturbed
check "the earlier and the new report differ" \
    "$(cmp -s "$WORK/old/RUS-IRN.pdf" "$WORK/new/RUS-IRN.pdf" || echo differ)" differ
PARTIAL=0

# judge KIND NAME "ALLOWED RCS" WITH_OLD: the output folder $WORK/out holds, under each final
# name, the earlier report (WITH_OLD=1) or nothing, or the new report.
judge() {
    j_why=
    rc_in "$RC" "$3" || j_why="exit $RC, want one of $3: $(head -c 200 "$WORK/err")"
    for f in RUS-IRN.xlsx RUS-IRN.pdf; do
        g=$WORK/outdir/$f
        if [ -e "$g" ]; then
            if cmp -s "$g" "$WORK/new/$f"; then :
            elif [ "$4" = 1 ] && cmp -s "$g" "$WORK/old/$f"; then :
            else
                j_why="$j_why $f under its final name is partial ($(wc -c < "$g") bytes);"
                PARTIAL=$((PARTIAL + 1))
            fi
        elif [ "$4" = 1 ]; then
            j_why="$j_why the earlier $f was removed;"
        fi
    done
    if [ "$RC" -gt 0 ] && [ "$RC" -lt 128 ] &&
        ls -a "$WORK/outdir" | grep -q '\.tmp-'; then
        j_why="$j_why a temporary file was left behind after a handled failure;"
    fi
    if [ "$RC" -eq 0 ] && ! cmp -s "$WORK/outdir/RUS-IRN.pdf" "$WORK/new/RUS-IRN.pdf"; then
        j_why="$j_why exit 0 but the new report is not there;"
    fi
    if [ -z "$j_why" ]; then
        ok "$1: $2 (exit $RC)"
        inject_result "$1" ok
    else
        not_ok "$1: $2" "$j_why"
        inject_result "$1" fail
    fi
}

# setup WITH_OLD: an empty output folder, or one holding the earlier report
setup() {
    rm -rf "$WORK/outdir"
    mkdir -p "$WORK/outdir"
    [ "$1" = 1 ] && cp "$WORK/old/RUS-IRN.xlsx" "$WORK/old/RUS-IRN.pdf" "$WORK/outdir/"
}

report() { "$TR" report --db "$DB" --pair RUS:IRN --out "$WORK/outdir"; }

setup 0
count_io all env TR_FAULT_PATH=.tmp- "$TR" report --db "$DB" --pair RUS:IRN --out "$WORK/outdir"
setup 0
count_io any "$TR" report --db "$DB" --pair RUS:IRN --out "$WORK/outdir"
check "a report writes, renames twice" \
    "$([ "${any_writes:-0}" -gt 10 ] && [ "${any_renames:-0}" -eq 2 ] && echo yes)" yes
check "a report syncs its two files and its folder" \
    "$([ "${any_syncs:-0}" -ge 3 ] && echo yes)" yes

# Durable, not only atomic: each temporary file is synced when it is complete and before it is
# renamed; the folder is synced after both renames. The shim stops the run (SIGSTOP) at that
# fsync, the files are looked at, then the run is killed.
# stopped ENV...: a report stopped at the point ENV names; PID is the stopped process.
stopped() {
    env LD_PRELOAD="$INJECT" TR_FAULT_SIGNAL=19 "$@" "$TR" report --db "$DB" --pair RUS:IRN \
        --out "$WORK/outdir" > "$WORK/out" 2> "$WORK/err" &
    PID=$!
    i=0
    while [ "$i" -lt 500 ] && ! grep -q '^State:.*T' "/proc/$PID/status" 2> /dev/null; do
        sleep 0.02
        i=$((i + 1))
    done
}
let_go() {
    kill -9 "$PID" 2> /dev/null
    kill -CONT "$PID" 2> /dev/null
    wait "$PID" 2> /dev/null
}
for f in xlsx pdf; do
    setup 1
    stopped TR_FAULT_PATH=".$f.tmp-" TR_FAULT_AT_SYNC=1
    # the temporaries are in the run's private folder, .RUS-IRN.tmp-PID-XXXXXX
    tmp=$(ls -d "$WORK/outdir/.RUS-IRN.tmp-$PID-"*"/.RUS-IRN.$f.tmp-$PID" 2> /dev/null | head -n 1)
    check "at the fsync of the temporary .$f: it is the complete new file" \
        "$(cmp -s "$tmp" "$WORK/new/RUS-IRN.$f" && echo complete)" complete
    check "at the fsync of the temporary .$f: the final name still holds the earlier report" \
        "$(cmp -s "$WORK/outdir/RUS-IRN.$f" "$WORK/old/RUS-IRN.$f" && echo earlier)" earlier
    let_go
done
setup 1
stopped TR_FAULT_AT_SYNC="${any_syncs:-0}"
check "at the last fsync: it is the folder's" \
    "$(ls -l "/proc/$PID/fd" 2> /dev/null | grep -c " -> $WORK/outdir\$")" 1
check "at the last fsync: both final names hold the new report, no temporary file left" \
    "$(cmp -s "$WORK/outdir/RUS-IRN.xlsx" "$WORK/new/RUS-IRN.xlsx" &&
       cmp -s "$WORK/outdir/RUS-IRN.pdf" "$WORK/new/RUS-IRN.pdf" &&
       ! ls -a "$WORK/outdir" | grep -q '\.tmp-' && echo yes)" yes
let_go

for old in 0 1; do
    what="into an empty folder"
    [ "$old" = 1 ] && what="over an earlier report"
    for w in $(spread 30 "${any_writes:-0}"); do
        setup "$old"
        fault env TR_FAULT_AT_WRITE="$w" "$TR" report --db "$DB" --pair RUS:IRN \
            --out "$WORK/outdir"
        judge kill_report "kill -9 at write $w of $any_writes, $what" "137 0" "$old"
    done
    s=1
    while [ "$s" -le "${any_syncs:-0}" ]; do
        setup "$old"
        fault env TR_FAULT_AT_SYNC="$s" "$TR" report --db "$DB" --pair RUS:IRN \
            --out "$WORK/outdir"
        judge kill_report "kill -9 at fsync $s of $any_syncs, $what" 137 "$old"
        s=$((s + 1))
    done
    for r in 1 2; do
        setup "$old"
        fault env TR_FAULT_AT_RENAME="$r" "$TR" report --db "$DB" --pair RUS:IRN \
            --out "$WORK/outdir"
        judge kill_report "kill -9 before rename $r of 2, $what" 137 "$old"
    done
    for b in 0 $(spread 12 $((${all_bytes:-1} - 1))); do
        setup "$old"
        fault env TR_FAULT_PATH=.tmp- TR_FAULT_ENOSPC="$b" "$TR" report --db "$DB" \
            --pair RUS:IRN --out "$WORK/outdir"
        judge disk_full_report "no space after $b of $all_bytes bytes, $what" 5 "$old"
    done
    for f in xlsx pdf; do
        setup "$old"
        fault env TR_FAULT_PATH=".$f.tmp-" TR_FAULT_DEVFULL=1 "$TR" report --db "$DB" \
            --pair RUS:IRN --out "$WORK/outdir"
        judge disk_full_report "the temporary .$f is /dev/full, $what" 5 "$old"
    done
    for blocks in 1 8 40 80; do
        setup "$old"
        limited "$blocks" ignore "$TR" report --db "$DB" --pair RUS:IRN --out "$WORK/outdir"
        judge disk_full_report "ulimit -f $blocks, SIGXFSZ ignored, $what" 5 "$old"
        setup "$old"
        limited "$blocks" default "$TR" report --db "$DB" --pair RUS:IRN --out "$WORK/outdir"
        judge disk_full_report "ulimit -f $blocks, killed by SIGXFSZ, $what" "$((128 + 25))" "$old"
    done
done

# data on standard output: a full disk must not end in exit 0 with the data lost
stdout_full() {
    "$TR" "$@" > /dev/full 2> "$WORK/err"
    RC=$?
    if [ "$RC" -eq 5 ]; then
        ok "disk_full_stdout: '$1' > /dev/full exits 5"
        inject_result disk_full_report ok
    else
        not_ok "disk_full_stdout: '$*' > /dev/full" \
            "exit $RC, want 5 (the output was lost); stderr: $(head -c 200 "$WORK/err")"
        inject_result disk_full_report fail
    fi
}
stdout_full query --db "$DB" --csv "SELECT * FROM fact_trade"
stdout_full query --db "$DB" --tsv "SELECT * FROM fact_trade"
stdout_full claims --db "$DB" --csv
stdout_full loads --db "$DB"
stdout_full check --db "$DB"
stdout_full report --db "$DB" --pair RUS:IRN --out "$WORK/o2"
metric partial_reports "$PARTIAL"
finish
