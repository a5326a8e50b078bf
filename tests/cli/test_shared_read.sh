#!/bin/sh
# A database the reader can only read: a folder chmod 555 and a file chmod 444 owned by
# someone else (as root, the reads run as nobody through setpriv). query, claims, loads,
# schema and report work on a published WAL database and on a rollback-journal copy; a WAL
# database someone can still write is refused with the reason and the owner's remedies,
# never read without its -shm; committed data in a -wal file is seen through a read-only -shm.
. tests/cli/lib.sh
suite shared_read
SRC=$WORK/src.db
expect_rc "BACI fixtures import" 0 "$TR" import --db "$SRC" "$FIX"/baci/*.csv
facts_want=$(sq "$SRC" "SELECT count(*) || ' ' || sum(value_usd) FROM fact_trade")

chmod 711 "$WORK"
if [ "$(id -u)" = 0 ]; then
    as_reader() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
    # the build tree may sit in a folder only its owner can enter (a mktemp -d clone): the
    # reader runs a copy of the binary and its writers from a folder it can read (under
    # make valgrind TR is a wrapper script: the copy is of the binary it runs, TR_REAL_BIN)
    real=${TR_REAL_BIN:-$TR}
    mkdir -m 755 "$WORK/bin"
    cp "$real" "$(dirname "$real")/tradereport-writers.so" "$WORK/bin/"
    chmod 755 "$WORK/bin/tradereport"
    chmod 644 "$WORK/bin/tradereport-writers.so"
    TR=$WORK/bin/tradereport
    # under the sanitizers, the leak suppressions too (LSAN_OPTIONS names them in the tree)
    supp=$(printf '%s\n' "${LSAN_OPTIONS:-}" | tr ':' '\n' | sed -n 's/^suppressions=//p')
    if [ -n "$supp" ] && [ -f "$supp" ]; then
        cp "$supp" "$WORK/bin/lsan.supp" && chmod 644 "$WORK/bin/lsan.supp"
        LSAN_OPTIONS=$(printf '%s' "$LSAN_OPTIONS" |
                       sed "s|suppressions=[^:]*|suppressions=$WORK/bin/lsan.supp|")
        export LSAN_OPTIONS
    fi
else
    as_reader() { "$@"; }
fi
# publish DIR NAME: a copy of the source in WAL mode, checkpointed and closed (no -wal)
publish() {
    mkdir -p "$1"
    cp "$SRC" "$1/$2"
    sqlite3 "$1/$2" "PRAGMA wal_checkpoint(TRUNCATE);" > /dev/null
}
reader_query() { as_reader "$TR" query --db "$1" --tsv "$2" 2> "$WORK/err" | sed -n 2p; }
OUT=$WORK/reports
mkdir -p "$OUT" && chmod 777 "$OUT"

# 1. published: the file and its folder read-only for everyone, no -wal file
P=$WORK/published
publish "$P" t.db
check "the published database is in WAL mode" "$(sq "$P/t.db" "PRAGMA journal_mode")" "wal"
chmod 444 "$P/t.db"; chmod 555 "$P"
check "query reads it as nobody (rows and US\$ as the writer's)" \
    "$(reader_query "$P/t.db" "SELECT count(*) || ' ' || sum(value_usd) FROM v_trade")" "$facts_want"
expect_rc "loads works" 0 as_reader "$TR" loads --db "$P/t.db"
expect_rc "claims works" 0 as_reader "$TR" claims --db "$P/t.db"
expect_rc "schema works" 0 as_reader "$TR" schema --db "$P/t.db" v_trade
expect_rc "report works (written to the reader's own folder)" 0 \
    as_reader "$TR" report --db "$P/t.db" --pair RUS:IRN --out "$OUT"
check "report wrote both files" "$(ls "$OUT" | tr '\n' ' ')" "RUS-IRN.pdf RUS-IRN.xlsx "
check "nothing was created beside the database" "$(ls -A "$P")" "t.db"

# 2. a WAL database its owner can still write, in a folder the reader cannot write
W=$WORK/writable
publish "$W" t.db
chmod 644 "$W/t.db"; chmod 555 "$W"
expect_rc "a WAL database someone may still write is refused (exit 5)" 5 \
    as_reader "$TR" query --db "$W/t.db" "SELECT 1"
check_grep "the reason: its -shm file cannot be created there" "WAL mode and SQLite must create its -shm file" "$WORK/err"
check_grep "and what the owner can do" "journal_mode = DELETE.*chmod a-w" "$WORK/err"

# 3. the owner's remedy: a rollback-journal copy reads in a read-only folder, even writable
C=$WORK/copy
mkdir -p "$C"
sqlite3 "$SRC" "VACUUM INTO '$C/t.db'"
check "the copy is in rollback-journal mode" "$(sqlite3 "$C/t.db" "PRAGMA journal_mode = DELETE")" "delete"
chmod 644 "$C/t.db"; chmod 555 "$C"
check "query reads the copy as nobody" \
    "$(reader_query "$C/t.db" "SELECT count(*) || ' ' || sum(value_usd) FROM v_trade")" "$facts_want"
expect_rc "claims reads the copy" 0 as_reader "$TR" claims --db "$C/t.db"

# 4. a writer stopped after a commit: the -wal holds data the main file does not have
L=$WORK/live
publish "$L" t.db
"$PY" - "$L/t.db" <<'PYEOF'
import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute('PRAGMA wal_autocheckpoint = 0')
c.execute('UPDATE fact_trade_packed SET value_usd = value_usd + 1 '
          'WHERE rowid IN (SELECT rowid FROM fact_trade_packed LIMIT 10)')
os._exit(0)   # no close: the -wal and -shm files stay, as after a crash
PYEOF
chmod 555 "$L"
# (read it only as the reader: the sqlite3 shell, as root, would checkpoint it on closing)
check "the writer left its -wal and -shm files" "$(ls "$L" | tr '\n' ' ')" "t.db t.db-shm t.db-wal "
wal_want="$(echo "$facts_want" | awk '{print $1}') $(($(echo "$facts_want" | awk '{print $2}') + 10))"
check "a reader sees the committed -wal data (10 rows + 1 US\$ each) through the read-only -shm" \
    "$(reader_query "$L/t.db" "SELECT count(*) || ' ' || sum(value_usd) FROM v_trade")" "$wal_want"
chmod 755 "$L"; rm -f "$L/t.db-shm"; chmod 444 "$L/t.db"; chmod 555 "$L"
expect_rc "a -wal file without its -shm is never read around (exit 5)" 5 \
    as_reader "$TR" query --db "$L/t.db" "SELECT 1"
check_grep "and the message says a writer's -wal file is there" "its -wal file is there" "$WORK/err"
chmod -R u+w "$P" "$W" "$C" "$L"
finish
