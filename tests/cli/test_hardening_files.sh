#!/bin/sh
# Hardening of the files the tool creates and the names it handles: a planted symlink at the
# lock file, at a report's temporary or final name, or in the nightly job's folders never
# makes the tool write through it; stale temporaries of killed reports are swept; every name
# of one database takes the same lock; an empty --db or ':memory:' is a usage error; hostile
# inbox names (shell quotes, newlines, 254 bytes) neither inject commands into the reason
# file, nor break the summary, nor stop the run. See doc/reliability.md, "Hardening".
. tests/cli/lib.sh
suite hardening_files
H=$WORK/h
mkdir -p "$H"
TINY20=$FIX/tiny/BACI_HS17_Y2020_V202401b.csv
TINY21=$FIX/tiny/BACI_HS17_Y2021_V202401b.csv

# hold_lock LOCKFILE: a second process holds the writer lock (flock, as the tool takes it)
# until release_lock.
hold_lock() {
    rm -f "$H/locked" "$H/release"
    ( flock -x 9; : > "$H/locked"; while [ ! -e "$H/release" ]; do sleep 0.05; done ) 9>> "$1" &
    HOLDER=$!
    i=0; while [ ! -e "$H/locked" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
}
release_lock() { : > "$H/release"; wait "$HOLDER"; rm -f "$H/locked" "$H/release"; }

# --- 1. the lock file: never written through a link ---
D=$H/lock
mkdir -p "$D"
echo "precious" > "$D/victim.txt"
ln -s victim.txt "$D/trade.db.lock"
expect_rc "a symlink at DB.lock: init refuses it, exit 5" 5 "$TR" init --db "$D/trade.db"
check_grep "the refusal names the symlink" "lock file .*symbolic link" "$WORK/err"
check "the link's target is untouched" "$(cat "$D/victim.txt")" "precious"
check "no database was created" "$(test -e "$D/trade.db" && echo created)" ""
rm -f "$D/trade.db.lock"
echo "precious" > "$D/victim2.txt"
ln "$D/victim2.txt" "$D/trade.db.lock"
expect_rc "a hard link at DB.lock: refused, exit 5" 5 "$TR" init --db "$D/trade.db"
check "the hard link's other name is untouched" "$(cat "$D/victim2.txt")" "precious"
rm -f "$D/trade.db.lock"
mkfifo "$D/trade.db.lock"
expect_rc "a fifo at DB.lock: refused, exit 5" 5 "$TR" init --db "$D/trade.db"
rm -f "$D/trade.db.lock"
if [ "$(id -u)" = 0 ] && id nobody > /dev/null 2>&1; then
    : > "$D/trade.db.lock"
    chown nobody "$D/trade.db.lock"
    expect_rc "a lock file owned by another user: refused, exit 5" 5 "$TR" init --db "$D/trade.db"
    check_grep "the refusal says whose it is" "owned by another user" "$WORK/err"
    rm -f "$D/trade.db.lock"
fi
expect_rc "with the lock file gone, init works" 0 "$TR" init --db "$D/trade.db"

# --- 1. reports: never written through a link ---
R=$H/rep
mkdir -p "$R/out"
DB=$R/trade.db
"$TR" init --db "$DB" > /dev/null 2>&1
"$TR" import --db "$DB" "$TINY20" "$TINY21" > /dev/null 2>&1
"$TR" report --db "$DB" --pair RUS:IRN --out "$R/good" > /dev/null 2>&1
cp "$DB" "$R/victim.db"
VICTIM_SUM=$(sha256sum < "$R/victim.db")
# the old temporary names were .A-B.xlsx.tmp-PID: exec keeps the shell's pid for the report
expect_rc "a link planted at the temporary name of this very run: report exits 0" 0 \
    sh -c 'ln -s ../victim.db "$1/.RUS-IRN.xlsx.tmp-$$"; ln -s ../victim.db "$1/.RUS-IRN.pdf.tmp-$$"
           shift; exec "$@"' sh "$R/out" "$TR" report --db "$DB" --pair RUS:IRN --out "$R/out"
check "the database the links point at is untouched" "$(sha256sum < "$R/victim.db")" "$VICTIM_SUM"
check "the final names are regular files, not links" \
    "$(test -f "$R/out/RUS-IRN.xlsx" && ! test -L "$R/out/RUS-IRN.xlsx" &&
       test -f "$R/out/RUS-IRN.pdf" && ! test -L "$R/out/RUS-IRN.pdf" && echo files)" files
check "the report is the complete report" \
    "$(cmp -s "$R/out/RUS-IRN.pdf" "$R/good/RUS-IRN.pdf" &&
       cmp -s "$R/out/RUS-IRN.xlsx" "$R/good/RUS-IRN.xlsx" && echo same)" same
rm -rf "$R/out"
mkdir -p "$R/out"
cp "$DB" "$R/victim.db"
VICTIM_SUM=$(sha256sum < "$R/victim.db")
ln -s ../victim.db "$R/out/RUS-IRN.xlsx"
ln -s ../victim.db "$R/out/RUS-IRN.pdf"
expect_rc "final names that are links: report exits 0" 0 \
    "$TR" report --db "$DB" --pair RUS:IRN --out "$R/out"
check "the links are replaced, their target untouched" \
    "$(sha256sum < "$R/victim.db" | cut -c1-16) $(test -L "$R/out/RUS-IRN.pdf" || echo replaced)" \
    "$(echo "$VICTIM_SUM" | cut -c1-16) replaced"
check "no temporary left beside the report" "$(ls -A "$R/out" | tr '\n' ' ')" \
    "RUS-IRN.pdf RUS-IRN.xlsx "

# --- 2. stale temporaries of killed reports are swept, and only they ---
DEAD=$(sh -c 'echo $$')          # a pid that has exited
S=$R/stale
mkdir -p "$S/.RUS-IRN.tmp-$DEAD-AbC123"
echo old > "$S/.RUS-IRN.xlsx.tmp-$DEAD"                              # an earlier version's name
echo old > "$S/.RUS-IRN.tmp-$DEAD-AbC123/.RUS-IRN.xlsx.tmp-$DEAD"     # today's private folder
echo old > "$S/.RUS-IRN.tmp-$DEAD-AbC123/.RUS-IRN.pdf.tmp-$DEAD"
echo keep > "$R/keep.txt"
ln -s ../keep.txt "$S/.RUS-IRN.pdf.tmp-$DEAD"                        # a link: left alone
echo live > "$S/.RUS-IRN.xlsx.tmp-$$"                                # a live pid: left alone
echo mine > "$S/notes.tmp-$DEAD"                                     # not our pattern
echo mine > "$S/.notes.tmp-${DEAD}x"
expect_rc "a report in a folder with stale temporaries exits 0" 0 \
    "$TR" report --db "$DB" --pair RUS:IRN --out "$S"
check "the dead run's temporaries are gone, links and live or foreign names stay" \
    "$(ls -A "$S" | tr '\n' ' ')" \
    ".RUS-IRN.pdf.tmp-$DEAD .RUS-IRN.xlsx.tmp-$$ .notes.tmp-${DEAD}x RUS-IRN.pdf RUS-IRN.xlsx notes.tmp-$DEAD "
check "the link's target is untouched" "$(cat "$R/keep.txt")" "keep"

# --- 3. every name of one database shares its lock ---
ln -s trade.db "$D/alias.db"
hold_lock "$D/trade.db.lock"
expect_rc "a writer through a symlinked name waits for the real file's lock: exit 4" 4 \
    "$TR" import --db "$D/alias.db" "$TINY20"
check_grep "busy is said" "busy" "$WORK/err"
expect_rc "and through a relative name with ./ and ..: exit 4" 4 \
    sh -c "cd '$D' && '$TR' import --db ./../lock/alias.db '$TINY20'"
release_lock
check "the link got no lock file of its own" "$(test -e "$D/alias.db.lock" && echo yes)" ""
mkdir -p "$H/realdir"
ln -s realdir "$H/linkdir"
hold_lock "$H/realdir/new.db.lock"
expect_rc "a new database in a symlinked folder takes the real folder's lock: exit 4" 4 \
    "$TR" init --db "$H/linkdir/new.db"
release_lock
check "busy: nothing created" "$(test -e "$H/realdir/new.db" && echo created)" ""
ln -s nowhere.db "$D/dangling.db"
expect_rc "a --db that is a symlink to nothing is refused, exit 5" 5 \
    "$TR" init --db "$D/dangling.db"
check "the dangling link's target was not created" \
    "$(test -e "$D/nowhere.db" && echo created)" ""

# --- 4. no throwaway database ---
N=$H/empty
mkdir -p "$N/inbox"
cp "$TINY20" "$N/inbox/"
expect_rc "nightly --db '' is a usage error" 2 "$TR" nightly --db "" --inbox "$N/inbox"
check "nightly --db '': the inbox is untouched" "$(ls "$N/inbox")" "BACI_HS17_Y2020_V202401b.csv"
check "nightly --db '': nothing archived" "$(test -e "$N/archive" && echo archived)" ""
expect_rc "nightly --db :memory: is a usage error" 2 "$TR" nightly --db :memory: --inbox "$N/inbox"
check "nightly --db :memory:: the inbox is untouched" "$(ls "$N/inbox")" \
    "BACI_HS17_Y2020_V202401b.csv"
expect_rc "TRADEREPORT_DB='' nightly is a usage error" 2 \
    env TRADEREPORT_DB= "$TR" nightly --inbox "$N/inbox"
check "TRADEREPORT_DB='': the inbox is untouched" "$(ls "$N/inbox")" \
    "BACI_HS17_Y2020_V202401b.csv"
expect_rc "init --db '' is a usage error" 2 "$TR" init --db ""
expect_rc "import --db :memory: is a usage error" 2 "$TR" import --db :memory: "$TINY20"
expect_rc "TRADEREPORT_DB='' init is a usage error" 2 \
    sh -c "cd '$N' && TRADEREPORT_DB= '$TR' init"
check "TRADEREPORT_DB='': no trade.db made instead" "$(test -e "$N/trade.db" && echo made)" ""
expect_rc "query --db '' is a usage error" 2 "$TR" query --db "" "SELECT 1"

# --- 5. hostile names in the nightly inbox ---
DAY=2026-01-01                 # SOURCE_DATE_EPOCH of lib.sh, UTC
NDB0=$H/night0.db
"$TR" init --db "$NDB0" > /dev/null 2>&1
# fresh NAME: a new night folder W with an inbox IN and its own database NDB (each scenario
# on its own, so one failing does not hide the next)
fresh() {
    W=$H/$1
    IN=$W/inbox
    NDB=$W/trade.db
    mkdir -p "$IN" "$W/sandbox"
    cp "$NDB0" "$NDB"
}

fresh quote
QUOTE="BACI_HS17_Y2019_V2024'; touch PWNED; echo '.csv"
printf 'not,a,trade,file\n1,2,3,4\n' > "$IN/$QUOTE"
expect_rc "a quarantined name with shell quotes: exit 1" 1 "$TR" nightly --db "$NDB" --inbox "$IN"
R1=$W/quarantine/$QUOTE.reason.txt
check "its reason file has one mv line" "$(grep -c '^  mv ' "$R1" 2> /dev/null)" 1
# paste the suggested line into a shell, in a folder of its own
(cd "$W/sandbox" && grep '^  mv ' "$R1" | sh > /dev/null 2>&1)
check "pasting the mv line runs no injected command (no PWNED)" \
    "$(find "$W" -name PWNED | wc -l | tr -d ' ')" 0
check "pasting the mv line puts the file back in the inbox under its name" \
    "$(test -f "$IN/$QUOTE" && echo back)" back

fresh names
NL="BACI_HS17_Y2021_V2024
01b.csv"
ESC=$(printf 'BACI_HS17_Y2017_\033[2J\033[31mred.csv')
cp "$TINY21" "$IN/$NL"
printf 'garbage\n' > "$IN/$ESC"
cp "$TINY20" "$IN/BACI_HS17_Y2020_V202401b.csv"
expect_rc "a newline and escape sequences in names: exit 1" 1 \
    "$TR" nightly --db "$NDB" --inbox "$IN"
cp "$WORK/out" "$W/summary.txt"
check "the summary: a name with a newline stays on one line, escaped" \
    "$(grep -c '^01b\.csv' "$W/summary.txt") $(grep -c 'V2024\\n01b\.csv: ' "$W/summary.txt")" "0 1"
check "the summary: one line per file" \
    "$(grep -cE '^  (loaded|already|QUARANTINED|ERROR) ' "$W/summary.txt")" 3
check "the summary holds no escape character" \
    "$(tr -dc '\033' < "$W/summary.txt" | wc -c | tr -d ' ')" 0
check_grep "... it shows it as \\x1b" 'Y2017_\\x1b\[2J\\x1b\[31mred\.csv' "$W/summary.txt"
check "the reason file holds no escape character" \
    "$(cat "$W/quarantine"/*.reason.txt | tr -dc '\033' | wc -c | tr -d ' ')" 0
check_grep "a name with escape characters gets no shell line" "no shell line" \
    "$(ls -d "$W/quarantine"/BACI_HS17_Y2017_*.reason.txt)"

fresh long
LONG=$(printf 'BACI_HS17_Y2018_%0234d.csv' 0)          # 254 bytes
printf 'garbage\n' > "$IN/$LONG"
cp "$TINY20" "$IN/BACI_HS17_Y2020_V202401b.csv"
check "the long name is 254 bytes" "${#LONG}" 254
expect_rc "a 254-byte name beside a normal file: the run goes on, exit 1" 1 \
    "$TR" nightly --db "$NDB" --inbox "$IN"
cp "$WORK/out" "$W/summary.txt"
check "every file was handled: the inbox is empty" "$(ls -A "$IN" | wc -l | tr -d ' ')" 0
check "the normal file beside the 254-byte name is archived" \
    "$(ls "$W/archive/$DAY" 2> /dev/null | grep -c '^BACI_HS17_Y2020_V202401b.csv$')" 1
check "... and loaded" "$(sq "$NDB" "SELECT count(*) FROM load_log WHERE path LIKE \
'%BACI_HS17_Y2020_V202401b.csv' AND status = 'committed'")" 1
check "the 254-byte name is quarantined with a reason file (under a shortened name)" \
    "$(ls "$W/quarantine" | grep -c '^BACI_HS17_Y2018_0*~[0-9a-f]\{8\}\.csv\.reason\.txt$')" 1
check_grep "its reason file names the delivered file" "^file: +$LONG\$" \
    "$(ls -d "$W/quarantine"/BACI_HS17_Y2018_*.reason.txt)"
check_grep "the summary points at the shortened name" "see .*~[0-9a-f]{8}\.csv\.reason\.txt" \
    "$W/summary.txt"
# a 254-byte name that loads, twice: archived under its name, then (a clash) shortened
LONG16=$(printf 'BACI_HS17_Y2016_%0234d.csv' 0)
cp "$TINY21" "$IN/$LONG16"
expect_rc "a loadable 254-byte name: exit 0" 0 "$TR" nightly --db "$NDB" --inbox "$IN"
check "it is archived under its own name" "$(test -f "$W/archive/$DAY/$LONG16" && echo yes)" yes
cp "$TINY21" "$IN/$LONG16"
expect_rc "the same 254-byte name again (an archive clash): exit 0" 0 \
    "$TR" nightly --db "$NDB" --inbox "$IN"
check_grep "the clash is archived under a shortened name" "archived as .*~[0-9a-f]{8}\.1\.csv" \
    "$WORK/out"

# --- 1. nightly: no reason file or copy written through a planted link ---
fresh links
echo precious > "$W/victim.txt"
printf 'garbage\n' > "$IN/BAD.csv"
mkdir -p "$W/quarantine"
expect_rc "a link at the reason file's old temporary name of this very run: exit 1" 1 \
    sh -c 'ln -s ../victim.txt "$1/quarantine/.BAD.csv.reason.txt.tmp-$$"
           shift; exec "$@"' sh "$W" "$TR" nightly --db "$NDB" --inbox "$IN"
check "the reason file was written, the link's target untouched" \
    "$(grep -c '^file: ' "$W/quarantine/BAD.csv.reason.txt") $(cat "$W/victim.txt")" "1 precious"
cp "$TINY20" "$IN/BACI_HS17_Y2020_V202401b.csv"
mkdir -p "$W/archive/$DAY"
expect_rc "a copy across filesystems with a link at its old temporary name: exit 0" 0 \
    sh -c 'ln -s ../../victim.txt "$1/archive/'"$DAY"'/.BACI_HS17_Y2020_V202401b.csv.nightly-$$.tmp"
           shift; exec "$@"' sh "$W" env TR_TEST_EXDEV=1 "$TR" nightly --db "$NDB" --inbox "$IN"
check "the copy is archived, the link's target untouched" \
    "$(cmp -s "$TINY20" "$W/archive/$DAY/BACI_HS17_Y2020_V202401b.csv" && echo archived) $(cat "$W/victim.txt")" \
    "archived precious"

# today's archive folder is one the job makes: a symlink planted there is refused
fresh dayfolder
mkdir -p "$W/elsewhere" "$W/archive"
ln -s ../elsewhere "$W/archive/$DAY"
cp "$TINY20" "$IN/BACI_HS17_Y2020_V202401b.csv"
expect_rc "a symlink planted as today's archive folder: exit 5" 5 \
    "$TR" nightly --db "$NDB" --inbox "$IN"
check_grep "the refusal says why" "symbolic link" "$WORK/err"
check "nothing was moved through it; the file stays in the inbox" \
    "$(ls -A "$W/elsewhere" | wc -l | tr -d ' ') $(test -f "$IN/BACI_HS17_Y2020_V202401b.csv" && echo inbox)" "0 inbox"

# stale temporaries of a killed run are swept from the quarantine
fresh stale
DEAD=$(sh -c 'echo $$')
mkdir -p "$W/quarantine"
echo old > "$W/quarantine/.tradereport-reason.tmp-$DEAD-AbC123"
printf 'garbage\n' > "$IN/BAD2.csv"
expect_rc "a run after a killed one: exit 1" 1 "$TR" nightly --db "$NDB" --inbox "$IN"
check "the killed run's reason temporary is gone" \
    "$(ls -A "$W/quarantine" | tr '\n' ' ')" "BAD2.csv BAD2.csv.reason.txt "

finish
