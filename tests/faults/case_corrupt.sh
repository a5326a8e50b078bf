#!/bin/sh
# Damaged files. Input files cut short at many byte offsets, in four formats: a cut inside a
# record fails the file (exit 3, nothing committed, the state before); a cut that leaves whole
# records loads exactly those (counted by python's csv module). A database copy damaged in its
# header, in pages spread over the file, zeroed, cut short, or with a torn WAL: every command
# exits without crashing, `check` does not say ok for a damaged structure, an import into it
# fails with 5 or succeeds on an intact part, and a torn WAL falls back to the last commit.
. tests/cli/lib.sh
. tests/faults/lib.sh
suite faults_corrupt

BASE=$WORK/base.db
"$TR" init --db "$BASE" > /dev/null 2>&1
"$TR" import --db "$BASE" "$FIX/tiny/BACI_HS17_Y2020_V202401b.csv" > /dev/null 2>&1
BEFORE=$($STATE digest "$BASE")

fresh() {
    rm -f "$WORK/f.db" "$WORK/f.db-wal" "$WORK/f.db-shm" "$WORK/f.db.lock"
    cp "$BASE" "$WORK/f.db"
}

# records FILE: data records in FILE as python's csv module reads them (header excluded,
# blank lines not counted)
records() {
    $PY -c 'import csv, sys
rows = [r for r in csv.reader(open(sys.argv[1], newline="", encoding="latin-1")) if r]
print(max(len(rows) - 1, 0))' "$1"
}

# ---- truncated CSV files ----
for spec in "baci/BACI_HS17_Y2021_V202401b.csv|24" \
            "comtrade/comtrade_plus_A_2014-2024_TUR.csv|10" \
            "wits-tariff/AVEMFN_H6_364_643_2025.csv|8" \
            "claims/my_claims.csv|6"; do
    src=$FIX/${spec%|*}
    n=${spec#*|}
    size=$(wc -c < "$src")
    mkdir -p "$WORK/cut"
    cut=$WORK/cut/$(basename "$src")
    # offsets: spread over the file, plus each side of three line ends
    ends=$($PY -c 'import sys
d = open(sys.argv[1], "rb").read()
pos = [i + 1 for i, c in enumerate(d) if c == 10]
pick = [pos[len(pos) // 4], pos[len(pos) // 2], pos[-2]] if len(pos) > 4 else []
print(" ".join("%d %d %d" % (p - 1, p, p + 1) for p in pick))' "$src")
    for off in $( (spread "$n" $((size - 1)); for x in $ends; do echo "$x"; done) | sort -nu); do
        [ "$off" -ge "$size" ] && continue
        head -c "$off" "$src" > "$cut"
        fresh
        run "$TR" import --db "$WORK/f.db" "$cut"
        want=$(records "$cut")
        problems=$($STATE check "$WORK/f.db" | head -n 3 | tr '\n' ';')
        state=$($STATE digest "$WORK/f.db")
        loaded=$(sq "$WORK/f.db" "SELECT coalesce(sum(rows_loaded), 0) FROM load_log
                                  WHERE status = 'committed' AND path = '$cut'")
        name="$(basename "$src") cut to $off of $size bytes"
        why=$problems
        case $RC in
        3) [ "$state" = "$BEFORE" ] || why="$why exit 3 but the facts changed;"
           grep -Eq "$(basename "$src"):[0-9]+: " "$WORK/err" || why="$why no FILE:LINE;" ;;
        0) [ "$loaded" = "$want" ] || why="$why loaded $loaded rows, python's csv reads $want;" ;;
        *) why="$why exit $RC: $(head -c 200 "$WORK/err");" ;;
        esac
        if [ -z "$why" ]; then
            ok "truncated_csv: $name (exit $RC, $loaded rows)"
            inject_result truncated_csv ok
        else
            not_ok "truncated_csv: $name" "$why"
            inject_result truncated_csv fail
        fi
    done
done

# ---- damaged database copies ----
IN=$FIX/baci/BACI_HS17_Y2021_V202401b.csv
DB=$WORK/data.db
cp "$BASE" "$DB"
"$TR" import --db "$DB" "$IN" > /dev/null 2>&1
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
PAGES=$(sqlite3 "$DB" "PRAGMA page_count")
PSIZE=$(sqlite3 "$DB" "PRAGMA page_size")

# damage HOW ARG: writes the damaged copy to $WORK/d.db
damage() {
    rm -f "$WORK/d.db" "$WORK/d.db-wal" "$WORK/d.db-shm" "$WORK/d.db.lock"
    cp "$DB" "$WORK/d.db"
    $PY - "$WORK/d.db" "$1" "$2" "$PSIZE" <<'EOF'
import os, random, sys
path, how, arg, psize = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rnd = random.Random(arg)          # the same damage every run
with open(path, "r+b") as f:
    if how == "header":           # the 100-byte file header
        f.seek(0); f.write(bytes(rnd.randrange(256) for _ in range(100)))
    elif how == "page":           # garbage in the middle of page ARG (1-based)
        f.seek((arg - 1) * psize + psize // 3); f.write(bytes(rnd.randrange(256) for _ in range(512)))
    elif how == "zero":           # page ARG all zeros
        f.seek((arg - 1) * psize); f.write(bytes(psize))
    elif how == "cut":            # the file cut to ARG pages
        f.truncate(arg * psize)
EOF
}

for spec in "header 1" "cut 1" "cut $((PAGES / 2))" "cut $((PAGES - 1))" \
            $(for p in $(spread 10 "$PAGES"); do echo "page $p"; echo "zero $p"; done | tr ' ' :); do
    spec=$(echo "$spec" | tr : ' ')
    # shellcheck disable=SC2086  # "how arg"
    damage $spec
    why=
    run "$TR" check --db "$WORK/d.db"
    c_rc=$RC
    [ "$RC" -lt 128 ] || why="$why check crashed ($RC);"
    ic=$(sqlite3 "$WORK/d.db" "PRAGMA integrity_check" 2>&1 | head -n 1)
    if [ "$ic" != ok ] && [ "$c_rc" -eq 0 ]; then
        why="$why check says ok, sqlite3 says '$ic';"
    fi
    for cmd in query report loads claims import; do
        case $cmd in
        query) run "$TR" query --db "$WORK/d.db" "SELECT sum(value_usd) FROM fact_trade" ;;
        report) run "$TR" report --db "$WORK/d.db" --pair RUS:IRN --out "$WORK/drep" ;;
        loads) run "$TR" loads --db "$WORK/d.db" ;;
        claims) run "$TR" claims --db "$WORK/d.db" ;;
        import) run "$TR" import --db "$WORK/d.db" "$FIX/baci/BACI_HS17_Y2022_V202401b.csv" ;;
        esac
        [ "$RC" -lt 128 ] || why="$why $cmd crashed ($RC): $(head -c 150 "$WORK/err");"
        rc_in "$RC" "0 1 5" || why="$why $cmd exit $RC: $(head -c 150 "$WORK/err");"
    done
    if [ -z "$why" ]; then
        ok "corrupt_db: $spec of $PAGES pages (check exit $c_rc, integrity: $(echo "$ic" | head -c 60))"
        inject_result corrupt_db ok
    else
        not_ok "corrupt_db: $spec of $PAGES pages" "$why"
        inject_result corrupt_db fail
    fi
done

# a torn WAL: the import's commit is in the WAL (killed before any checkpoint), then the WAL's
# last frames are damaged or cut; SQLite's frame checksums must take the database back to the
# last whole commit, and a re-run must complete it
cp "$BASE" "$WORK/u.db"
"$TR" import --db "$WORK/u.db" "$IN" > /dev/null 2>&1
AFTER=$($STATE digest "$WORK/u.db")
rm -f "$WORK/u.db"*
for how in cut-frame cut-half garble-last garble-first; do
    fresh
    # the process dies at its first fsync after the input was read: the WAL holds the commit
    fault env TR_FAULT_TRIGGER=BACI_HS17_Y2021 TR_FAULT_PATH=f.db-wal TR_FAULT_AT_SYNC=1 \
        "$TR" import --db "$WORK/f.db" "$IN"
    $PY - "$WORK/f.db-wal" "$how" "$PSIZE" <<'EOF'
import os, sys
path, how, psize = sys.argv[1], sys.argv[2], int(sys.argv[3])
size = os.path.getsize(path)
frame = 24 + psize
with open(path, "r+b") as f:
    if how == "cut-frame":
        f.truncate(max(32, size - frame // 2))
    elif how == "cut-half":
        f.truncate(max(32, 32 + ((size - 32) // frame // 2) * frame))
    elif how == "garble-last":
        f.seek(size - 100); f.write(b"\xa5" * 100)
    elif how == "garble-first":
        f.seek(32 + 24 + 10); f.write(b"\x5a" * 64)
EOF
    RC=137
    verify torn_wal "$how after a kill at the WAL fsync" "$WORK/f.db" "$RC" 137 "$BEFORE" "$AFTER" \
        "$TR" import --db "$WORK/f.db" "$IN"
done
finish
