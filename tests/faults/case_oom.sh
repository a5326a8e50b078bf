#!/bin/sh
# Out of memory: the shim fails the Nth allocation (malloc, calloc, realloc: ours, libcsv's and
# SQLite's alike, all through the C library). For an import, every N in turn from the moment the
# input is opened to the end of the run (the rows, the lookups, COMMIT, the summaries), and every
# OOM_STRIDE-th N of the whole run (start-up, schema upgrade at open). For a report, every
# OOM_REPORT_STRIDE-th N. An import must exit 0 (the failure was absorbed) or 6 (5 when the C library
# reports the lack of memory as an I/O error), never crash, and leave the state before or after;
# a report must never leave a partial file under its final name.
# Each N: the exit, PRAGMA integrity_check and a content hash (the sqlite3 shell's .sha3sum)
# against the two states, the lock; every 100th N and every surprise also the full check of
# lib.sh (dbstate.py check, clean re-run). Two shards run in parallel. SQLite allocates through
# the C library, so each of its allocations fails in turn like ours.
. tests/cli/lib.sh
. tests/faults/lib.sh
suite faults_oom
STRIDE=${OOM_STRIDE:-97}
REPORT_STRIDE=${OOM_REPORT_STRIDE:-211}

IN=$FIX/tiny/BACI_HS17_Y2021_V202401b.csv
BASE=$WORK/base.db
"$TR" init --db "$BASE" > /dev/null 2>&1
# The HS reference rows every database holds from init (8 MB) are never written by an import:
# without them each of the thousands of runs below checks and hashes a 0.4 MB database, not a
# 9 MB one. meta still says they are current, so no import writes them back.
sqlite3 "$BASE" "DELETE FROM hs_correlation; DELETE FROM hs_nomenclature;
                 DELETE FROM hs_nomenclature_section; VACUUM;" > /dev/null
"$TR" import --db "$BASE" "$FIX/tiny/BACI_HS17_Y2020_V202401b.csv" > /dev/null 2>&1
hash() { sqlite3 "$1" "PRAGMA integrity_check" ".sha3sum"; }
H_BEFORE=$(hash "$BASE")
BEFORE=$($STATE digest "$BASE")
cp "$BASE" "$WORK/u.db"
"$TR" import --db "$WORK/u.db" "$IN" > /dev/null 2>&1
H_AFTER=$(hash "$WORK/u.db")
AFTER=$($STATE digest "$WORK/u.db")
rm -f "$WORK/u.db"*

cp "$BASE" "$WORK/c.db"
count_io win env TR_FAULT_TRIGGER=BACI_HS17_Y2021 "$TR" import --db "$WORK/c.db" "$IN"
cp "$BASE" "$WORK/c.db"
count_io all "$TR" import --db "$WORK/c.db" "$IN"
rm -f "$WORK/c.db"*
check "the import allocates (${win_allocs:-0} after the input is opened, ${all_allocs:-0} in all)" \
    "$([ "${win_allocs:-0}" -gt 100 ] && echo yes)" yes

# shard SHARD FIRST STEP LAST TRIGGER: one line "N rc state" per N into $WORK/shard.SHARD
shard() {
    s_db=$WORK/s$1.db
    s_dirty=1
    s_i=0
    n=$2
    : > "$WORK/shard.$1"
    while [ "$n" -le "$4" ]; do
        if [ "$s_dirty" = 1 ]; then
            rm -f "$s_db" "$s_db"-wal "$s_db"-shm
            cp "$BASE" "$s_db"
        fi
        in_time env LD_PRELOAD="$INJECT" TR_FAULT_TRIGGER="$5" TR_FAULT_MALLOC="$n" \
            "$TR" import --db "$s_db" "$IN" > /dev/null 2> "$WORK/s$1.err"
        rc=$?
        h=$(hash "$s_db")
        if [ "$h" = "$H_BEFORE" ]; then st=before; s_dirty=0
        elif [ "$h" = "$H_AFTER" ]; then st=after; s_dirty=1
        else st=other; s_dirty=1
        fi
        lock_free "$s_db" || st="$st,locked"
        # every 100th N, and every surprise, gets the full check and a re-run
        full=0
        s_i=$((${s_i:-0} + 1))
        [ $((s_i % 100)) -eq 1 ] && full=1
        [ "$st" != before ] && [ "$st" != after ] && full=1
        rc_in "$rc" "0 5 6" || full=1
        if [ "$full" = 1 ]; then
            problems=$($STATE check "$s_db" | head -n 3 | tr '\n' ';')
            "$TR" import --db "$s_db" "$IN" > /dev/null 2>&1
            rr=$?
            [ "$($STATE digest "$s_db")" = "$AFTER" ] || problems="$problems re-run differs;"
            [ "$rr" -eq 0 ] || problems="$problems re-run exit $rr;"
            s_dirty=1
            [ -n "$problems" ] && st="$st,$problems"
            [ "$rc" -ge 128 ] && st="$st,crash:$(head -c 200 "$WORK/s$1.err" | tr '\n' ' ')"
        fi
        echo "$n $rc $st" >> "$WORK/shard.$1"
        n=$((n + $3))
    done
}

# summarise NAME FILE...: one ok line per sweep, one not ok line per N that failed
summarise() {
    name=$1; shift
    total=0 bad=0
    cat "$@" | sort -n > "$WORK/sweep"
    while read -r n rc st; do
        total=$((total + 1))
        if rc_in "$rc" "0 5 6" && { [ "$st" = before ] || [ "$st" = after ]; }; then
            inject_result oom ok
        else
            bad=$((bad + 1))
            inject_result oom fail
            not_ok "oom: $name: allocation $n fails" "exit $rc, state $st"
        fi
    done < "$WORK/sweep"
    dist=$(awk '{ c["exit " $2 ", " $3]++ }
        END { for (k in c) { printf "%s%s: %d", sep, k, c[k]; sep = "; " } }' "$WORK/sweep")
    if [ "$bad" -eq 0 ] && [ "$total" -gt 0 ]; then
        ok "oom: $name: $total allocations failed one at a time, all survived (exit state: $dist)"
    elif [ "$total" -eq 0 ]; then
        not_ok "oom: $name" "no allocation was failed"
    fi
}

# every N after the input is opened, in two interleaved shards
shard 1 1 2 "${win_allocs:-0}" BACI_HS17_Y2021 &
p1=$!
shard 2 2 2 "${win_allocs:-0}" BACI_HS17_Y2021 &
p2=$!
wait "$p1" "$p2"
summarise "import, every allocation after the input is opened" "$WORK/shard.1" "$WORK/shard.2"

# every STRIDE-th N of the whole run
shard 3 1 $((STRIDE * 2)) "${all_allocs:-0}" "" &
p1=$!
shard 4 $((1 + STRIDE)) $((STRIDE * 2)) "${all_allocs:-0}" "" &
p2=$!
wait "$p1" "$p2"
summarise "import, every ${STRIDE}th allocation of the whole run" "$WORK/shard.3" "$WORK/shard.4"

# a report: every REPORT_STRIDE-th N. Gating: no partial file under a final name after a
# failure of ours (exit 1, 5, 6), no crash before the libraries write. Libxlsxwriter 1.1 and
# Cairo 1.16 do not survive every failed allocation of their own (NULL dereferences, assertions,
# and now and then a file with a piece missing and no error returned): those are counted as a
# survey (oom_report_library), not failed, and listed with their backtrace in
# doc/reliability.md. A crash leaves only the temporary file, never a final name.
cp "$BASE" "$WORK/r.db"
"$TR" report --db "$WORK/r.db" --pair RUS:IRN --out "$WORK/good" > /dev/null 2>&1
count_io rep "$TR" report --db "$WORK/r.db" --pair RUS:IRN --out "$WORK/cnt"
rm -rf "$WORK/cnt"
# where the libraries start: the writers' shared object is loaded (dlopen runs the
# constructors of Cairo, pixman and libxlsxwriter) once the data are read, before any file
lib_from=${rep_dlopen:--1}
check "the report loads its writers once its data are read (allocation $lib_from of ${rep_allocs:-0})" \
    "$([ "$lib_from" -gt 1000 ] && [ "$lib_from" -lt "${rep_allocs:-0}" ] && echo yes)" yes
partial=0 total=0 bad=0 lib_crash=0 lib_wrong=0 lib_hang=0
n=1
while [ "$n" -le "${rep_allocs:-0}" ]; do
    rm -rf "$WORK/rep"
    watched "$WORK/hang.bt" env LD_PRELOAD="$INJECT" TR_FAULT_MALLOC="$n" "$TR" report \
        --db "$WORK/r.db" --pair RUS:IRN --out "$WORK/rep" > /dev/null 2> "$WORK/err"
    rc=$?
    why= wrong= hung_lib=
    if [ -e "$WORK/hang.bt" ]; then
        # hung for RUN_LIMIT seconds: inside a library it joins the survey below (fontconfig
        # keeps its lock when an allocation fails), anywhere else it fails
        where=$(hung_in "$WORK/hang.bt")
        case $where in
        "library "*) hung_lib=${where#library } ;;
        *) why="hung for $RUN_LIMIT s in $where;" ;;
        esac
    fi
    for f in RUS-IRN.xlsx RUS-IRN.pdf; do
        if [ -e "$WORK/rep/$f" ] && ! cmp -s "$WORK/rep/$f" "$WORK/good/$f"; then
            wrong="$wrong $f;"
        fi
    done
    total=$((total + 1))
    if [ -n "$hung_lib" ] ||
        { [ "$n" -ge "$lib_from" ] && { [ "$rc" -ge 128 ] || { [ "$rc" -eq 0 ] && [ -n "$wrong" ]; }; }; }; then
        # inside libxlsxwriter, Cairo or fontconfig: the survey
        if [ -n "$hung_lib" ]; then
            lib_hang=$((lib_hang + 1))
            echo "# oom in the report libraries: allocation $n: hung for $RUN_LIMIT s in $hung_lib"
        else
            if [ "$rc" -ge 128 ]; then lib_crash=$((lib_crash + 1)); else lib_wrong=$((lib_wrong + 1)); fi
            [ $((lib_crash + lib_wrong)) -le 5 ] &&
                echo "# oom in the report libraries: allocation $n: exit $rc${wrong:+, differs:$wrong} $(head -c 120 "$WORK/err" | tr '\n' ' ')"
        fi
        inject_result oom_report_library survey
        n=$((n + REPORT_STRIDE))
        continue
    fi
    rc_in "$rc" "0 1 5 6" || why="${why}exit $rc: $(head -c 200 "$WORK/err")"
    if [ -n "$wrong" ]; then
        why="$why under the final name, not the complete report:$wrong"
        partial=$((partial + 1))
    fi
    if [ "$rc" -eq 0 ] && [ ! -e "$WORK/rep/RUS-IRN.pdf" ]; then
        why="$why exit 0 without the report;"
    fi
    if [ -z "$why" ]; then
        inject_result oom ok
    else
        bad=$((bad + 1))
        inject_result oom fail
        not_ok "oom: report, allocation $n of $rep_allocs fails" "$why"
    fi
    n=$((n + REPORT_STRIDE))
done
metric partial_reports "$partial"
metric oom_report_library_crashes "$lib_crash"
metric oom_report_library_wrong "$lib_wrong"
metric oom_report_library_hangs "$lib_hang"
[ "$bad" -eq 0 ] && ok "oom: report, every ${REPORT_STRIDE}th of $rep_allocs allocations failed in turn ($total runs): no partial file; inside the libraries ($((rep_allocs - lib_from)) allocations from $lib_from on): $lib_crash crashes, $lib_hang hung, $lib_wrong wrong files with exit 0 (survey)"
finish
