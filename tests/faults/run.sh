#!/bin/sh
# make faults: runs every tests/faults/case_*.sh (each prints ok / not ok lines and its own
# "# suite: N passed, N failed"), then one line "N passed, N failed" over all of them, and
# writes what `make reliability` quotes to build/reliability/faults.tsv (injections by kind,
# survived or not; rows unaccounted, duplicates, partial reports) and faults.log.
# Needs TR_BIN, INJECT; FAULTS_ONLY=kill,oom runs only those cases.
set -u
cd "$(dirname "$0")/../.." || exit 1
R=build/reliability
mkdir -p "$R"
TR_FAULT_RESULTS=$(pwd)/$R/faults.tsv.tmp
export TR_FAULT_RESULTS
: > "$TR_FAULT_RESULTS"
log=$R/faults.log
: > "$log"
sum=$(mktemp)
trap 'rm -f "$sum"' EXIT
status=0
start=$(date +%s)
for t in tests/faults/case_*.sh; do
    name=$(basename "$t" .sh)
    name=${name#case_}
    case ",${FAULTS_ONLY:-$name}," in *",$name,"*) ;; *) continue ;; esac
    t0=$(date +%s)
    sh "$t" > "$R/faults-$name.log" 2>&1
    rc=$?
    cat "$R/faults-$name.log" >> "$log"
    grep -v '^ok ' "$R/faults-$name.log"
    line=$(grep -E '^# [a-z0-9_-]+: [0-9]+ passed, [0-9]+ failed$' "$R/faults-$name.log" | tail -n 1)
    if [ -z "$line" ]; then
        echo "not ok - faults $name ended without a count (exit $rc)"
        echo "# $name: 0 passed, 1 failed" >> "$sum"
        status=1
        continue
    fi
    echo "$line ($(($(date +%s) - t0)) s)"
    echo "$line" >> "$sum"
    [ "$rc" -eq 0 ] || status=1
done
mv "$TR_FAULT_RESULTS" "$R/faults.tsv"
passed=$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed/\1/' "$sum" | awk '{s+=$1} END {print s+0}')
failed=$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed/\2/' "$sum" | awk '{s+=$1} END {print s+0}')
echo "# faults: $(($(date +%s) - start)) s; injections by kind (survived/injected):"
awk -F'\t' '$1 == "inject" { n[$2]++; if ($3 == "ok") s[$2]++ }
    END { for (k in n) printf "#   %-18s %d/%d\n", k, s[k], n[k] }' "$R/faults.tsv" | sort
[ "$failed" -eq 0 ] || status=1
echo "$passed passed, $failed failed"
exit $status
