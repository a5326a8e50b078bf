#!/bin/sh
# tradereport publish against a real PostgreSQL server (tests/cli/pg_server.sh): every view's
# rows equal SQLite's (tests/cli/pg_compare.py reads both sides itself: python's sqlite3 and
# psql), publishes are incremental, atomic and exclusive, and the server's refusals are clear.
. tests/cli/lib.sh
. tests/cli/pg_server.sh
suite publish

pg_suite_start 1

DB=$WORK/demo.db
pg_demo_db "$DB"
VIEWS=$(ls sql/views | sed 's/\.sql$//' | grep -v '^fact_trade$')
# every column of the server's fact_trade, against SQLite's view joined to the dimensions
FACT_COLS="trade_key, value_usd, net_wgt_kg, qty, qty_unit, cif_usd, fob_usd, flags, load_id, \
source_id, year, month, reporter_id, classification, partner_id, flow, product_id"
FACTS="fact_trade|SELECT f.$(echo "$FACT_COLS" | sed 's/, /, f./g'), \
s.source, r.iso3 AS reporter, p.iso3 AS partner, d.code AS product FROM fact_trade f \
LEFT JOIN dim_source s ON s.source_id = f.source_id \
JOIN dim_country r ON r.country_id = f.reporter_id JOIN dim_country p ON p.country_id = \
f.partner_id JOIN dim_product d ON d.product_id = f.product_id|SELECT $FACT_COLS, source, \
reporter, partner, product FROM fact_trade"

# v_hs_concordance over the codes of the data (the whole tables' chained pairs, older revision
# to older revision through HS2022, run to 34 million rows): its direct pairs are compared row
# by row every time, and after the first publish the chained pairs too, by revision pair,
# relationship and match with their counts of rows and distinct codes
CONC=$(concordance_filter "$DB")
DIRECT="v_hs_concordance_direct|SELECT * FROM v_hs_concordance WHERE via IS NULL AND ($CONC)|\
SELECT * FROM v_hs_concordance WHERE via IS NULL AND ($CONC)"
CHAINED_Q="SELECT from_classification, to_classification, relationship, match, count(*) AS n, \
count(DISTINCT from_code) AS nf, count(DISTINCT to_code) AS nt FROM v_hs_concordance \
WHERE via IS NOT NULL AND ($CONC) GROUP BY 1, 2, 3, 4"
CHAINED="v_hs_concordance_chained|$CHAINED_Q|$CHAINED_Q"
VIEWS=$(echo "$VIEWS" | grep -v '^v_hs_concordance$')

# the summaries, row for row (an incremental publish sends them by partition)
SUMS="sum_trade|SELECT * FROM sum_trade|SELECT * FROM sum_trade
sum_annual|SELECT * FROM sum_annual|SELECT * FROM sum_annual
sum_bilateral|SELECT * FROM sum_bilateral|SELECT * FROM sum_bilateral"

# same_as_sqlite NAME [SCHEMA] [direct]: every view and the facts (readable columns included)
# equal; v_hs_concordance as said above (its chained pairs unless "direct")
same_as_sqlite() {
    chained=$CHAINED
    [ "${3:-}" = direct ] && chained=
    # shellcheck disable=SC2086
    if (IFS='
'; $PY tests/cli/pg_compare.py "$DB" "$PG_URL" "${2:-tradereport}" $VIEWS "$FACTS" $SUMS \
        "$DIRECT" ${chained:+"$chained"}) \
        > "$WORK/cmp" 2>&1; then
        ok "$1: $(grep -c ': same ' "$WORK/cmp") views, the facts and the summaries equal SQLite's"
    else
        not_ok "$1" "$(grep -v ': same ' "$WORK/cmp" | head -c 600)"
    fi
}

# --- a full publish ---
expect_rc "publish the fixture database" 0 "$TR" publish --db "$DB" --to "$PG_URL"
check_grep "it says what it sent" '35 tables .* 18 loads sent \(2508 fact rows\)' "$WORK/err"
same_as_sqlite "full publish"
check "facts partitioned by year (one partition per year, none in the default)" \
    "$(pgq "SELECT count(*) FILTER (WHERE c.relname LIKE 'fact_trade_y%'),
                   (SELECT count(*) FROM tradereport.fact_trade_other)
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'tradereport.fact_trade'::regclass")" \
    "$(sqlite3 "$DB" "SELECT count(DISTINCT year) FROM fact_trade")	0"
check "the server records every load with its row count" \
    "$(pgq 'SELECT count(*), sum(rows) FROM tradereport.publish_load')" \
    "$(sqlite3 -separator '	' "$DB" 'SELECT count(DISTINCT load_id), count(*) FROM fact_trade_packed')"
check "the store records the publish" \
    "$(sqlite3 "$DB" "SELECT status, loads_sent, rows_sent FROM publish_log")" "published|18|2508"

# --- publish --citus: the distributed layout as SQL text (Debian has no Citus): run on this
# server with stand-ins for Citus' two functions that record their arguments ---
expect_rc "publish --citus prints the Citus layout" 0 "$TR" publish --db "$DB" --citus
cp "$WORK/out" "$WORK/citus.sql"
pgq "CREATE TABLE public.citus_call (fn text, tbl regclass, col text);
     CREATE FUNCTION public.create_distributed_table(t regclass, c text) RETURNS void
       LANGUAGE sql AS \$\$INSERT INTO public.citus_call VALUES ('distributed', t, c)\$\$;
     CREATE FUNCTION public.create_reference_table(t regclass) RETURNS void
       LANGUAGE sql AS \$\$INSERT INTO public.citus_call VALUES ('reference', t, NULL)\$\$"
check "its SQL runs on the published schema (every table it names exists)" \
    "$(psql -X -q -v ON_ERROR_STOP=1 "$PG_URL" -f "$WORK/citus.sql" > /dev/null 2>&1; echo $?)" "0"
check "fact_trade distributed by reporter_id" \
    "$(pgq "SELECT tbl::text, col FROM public.citus_call WHERE fn = 'distributed'")" \
    "tradereport.fact_trade	reporter_id"
check "every other published table a reference table" \
    "$(pgq "SELECT string_agg(c.relname, ' ' ORDER BY c.relname) FROM public.citus_call k
            JOIN pg_class c ON c.oid = k.tbl WHERE k.fn = 'reference'")" \
    "$(sqlite3 "$DB" "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master
        WHERE type = 'table' AND name NOT LIKE 'sqlite%'
          AND name NOT IN ('fact_trade_packed', 'publish_log', 'sum_product', 'sum_chapter')
        ORDER BY name)")"
pgq "DROP TABLE public.citus_call; DROP FUNCTION public.create_distributed_table(regclass, text);
     DROP FUNCTION public.create_reference_table(regclass)"
expect_rc "publish --citus with --to is a usage error" 2 \
    "$TR" publish --db "$DB" --citus --to "$PG_URL"

# --- a re-run changes nothing ---
before=$(pgq 'SELECT published_at FROM tradereport.publish_state')
expect_rc "publish again" 0 "$TR" publish --db "$DB" --to "$PG_URL"
check_grep "a re-run finds the server up to date" 'is up to date' "$WORK/err"
check "a re-run writes nothing on the server" \
    "$(pgq 'SELECT published_at FROM tradereport.publish_state')" "$before"
check "nor in the store" "$(sqlite3 "$DB" 'SELECT count(*) FROM publish_log')" "1"


# --- incremental: an extract that replaces part of a load, its correction, an unload ---
D=$FIX/deliveries
sum_oid() { pgq "SELECT 'tradereport.$1'::regclass::oid"; }
oid_trade=$(sum_oid sum_trade)
"$TR" import --db "$DB" "$D/comtrade_plus_A_2021_RUS_CHN.csv" > /dev/null 2>&1
expect_rc "publish after a new extract" 0 "$TR" publish --db "$DB" --to "$PG_URL"
check_grep "only the new load and the one it took rows from are sent" \
    ' 2 loads sent .* 0 removed' "$WORK/err"
check "the summaries are brought in step by partition, not recreated" \
    "$(sum_oid sum_trade)" "$oid_trade"
same_as_sqlite "after a new extract" tradereport direct
# a summary the server holds on another basis (another tool version or store schema) is
# sent whole again
pgq "UPDATE tradereport.publish_table SET basis = 'older' WHERE name = 'sum_annual'"
oid_annual=$(sum_oid sum_annual)
"$TR" import --db "$DB" "$D/comtrade_plus_A_2021_RUS_IRN.csv" "$D/comtrade_plus_A_2021_RUS_IRN_revised.csv" \
    > /dev/null 2>&1
expect_rc "publish after an extract and its correction" 0 "$TR" publish --db "$DB" --to "$PG_URL"
check "a summary of another basis is recreated whole" \
    "$([ "$(sum_oid sum_annual)" != "$oid_annual" ] && echo recreated)" "recreated"
last=$(sqlite3 "$DB" 'SELECT max(load_id) FROM load_log')
"$TR" unload --db "$DB" "$last" > /dev/null 2>&1
expect_rc "publish after an unload" 0 "$TR" publish --db "$DB" --to "$PG_URL"
check_grep "the unloaded load leaves the server" ' 1 removed' "$WORK/err"
check "the server no longer holds the unloaded load" \
    "$(pgq "SELECT count(*) FROM tradereport.fact_trade WHERE load_id = $last")" "0"
same_as_sqlite "after an unload" tradereport direct

# --- kill -9 in the middle of the COPY: the server keeps its previous state ---
# (under make valgrind the killed runs are of the binary itself, TR_REAL_BIN: a process killed
# on purpose holds every block it had, which memcheck would report as lost)
KILLED=${TR_REAL_BIN:-$TR}
rows_before=$(pgq 'SELECT count(*) FROM tradereport.fact_trade')
TR_TEST_PUBLISH_DIE_AFTER_ROWS=100 "$KILLED" publish --db "$DB" --to "$PG_URL" --schema killed \
    > /dev/null 2>&1
check "a publish killed mid-copy dies by SIGKILL" "$?" "137"
check "it leaves nothing on the server (no schema 'killed')" \
    "$(pgq "SELECT count(*) FROM pg_namespace WHERE nspname = 'killed'")" "0"
"$TR" import --db "$DB" "$D/comtrade_plus_A_2021_RUS_IRN_revised.csv" > /dev/null 2>&1
TR_TEST_PUBLISH_DIE_AFTER_ROWS=5 "$KILLED" publish --db "$DB" --to "$PG_URL" > /dev/null 2>&1
check "an incremental publish killed mid-copy dies by SIGKILL" "$?" "137"
check "the server still holds the previous state" \
    "$(pgq 'SELECT count(*) FROM tradereport.fact_trade')" "$rows_before"
expect_rc "the next run completes it" 0 "$TR" publish --db "$DB" --to "$PG_URL"
same_as_sqlite "after a killed publish and a re-run" tradereport direct

# --- one publish per schema at a time: a session holds the lock a publish takes ---
mkfifo "$WORK/hold"
psql -X -q "$PG_URL" < "$WORK/hold" > /dev/null 2>&1 &
holder=$!
exec 9> "$WORK/hold"
echo "BEGIN; SELECT pg_advisory_xact_lock(hashtext('tradereport publish tradereport'));" >&9
i=0
while [ "$(pgq "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")" = 0 ] &&
    [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
"$TR" import --db "$DB" "$FIX/deliveries/comtrade_plus_A_2021_RUS_IRN.csv" > /dev/null 2>&1
expect_rc "a second publish to the same schema exits 4" 4 "$TR" publish --db "$DB" --to "$PG_URL"
check_grep "saying another publish is running" 'another publish to schema .tradereport. is running' \
    "$WORK/err"
echo "COMMIT;" >&9
exec 9>&-
wait "$holder"

# --- read access for analysts ---
pgq "CREATE ROLE analyst LOGIN" > /dev/null
AN_URL="host=$PG_DIR user=analyst dbname=postgres"
expect_rc "publish --grant-read analyst" 0 "$TR" publish --db "$DB" --to "$PG_URL" --grant-read analyst
check "the read role reads the views" \
    "$(psql -X -At "$AN_URL" -c 'SELECT count(*) FROM tradereport.v_trade_annual' 2>&1)" \
    "$(sqlite3 "$DB" 'SELECT count(*) FROM v_trade_annual')"
psql -X -At "$AN_URL" -c "DELETE FROM tradereport.fact_trade" > "$WORK/out" 2>&1
check "the read role cannot write ($(head -c 60 "$WORK/out"))" \
    "$(grep -c 'permission denied' "$WORK/out")" "1"
"$TR" unload --db "$DB" "$(sqlite3 "$DB" 'SELECT max(load_id) FROM load_log')" > /dev/null 2>&1
expect_rc "a later publish (tables recreated)" 0 "$TR" publish --db "$DB" --to "$PG_URL"
check "keeps the read role's access" \
    "$(psql -X -At "$AN_URL" -c 'SELECT count(*) FROM tradereport.dim_country' 2>&1)" \
    "$(sqlite3 "$DB" 'SELECT count(*) FROM dim_country')"

# --- the server's refusals: a clear message, exit 2 or 5, nothing written ---
expect_rc "a URL libpq cannot read is a usage error (exit 2)" 2 \
    "$TR" publish --db "$DB" --to "postgresql://tr:s3cret-pw@[::1"
check "the message does not repeat the URL (it may hold a password)" \
    "$(grep -c 's3cret-pw' "$WORK/err")" "0"
expect_rc "a schema name that is no plain SQL name is a usage error" 2 \
    "$TR" publish --db "$DB" --to "$PG_URL" --schema 'Bad-Name'
expect_rc "an unreachable server exits 5" 5 \
    "$TR" publish --db "$DB" --to "host=$WORK/nowhere user=tr dbname=postgres"
check_grep "saying it cannot connect" 'cannot connect to the server' "$WORK/err"
pgq "CREATE ROLE tr_pw LOGIN PASSWORD 'right-secret'; GRANT CREATE ON DATABASE postgres TO tr_pw;
     CREATE ROLE other; CREATE SCHEMA theirs AUTHORIZATION other" > /dev/null
PW_URL="host=$PG_DIR user=tr_pw dbname=postgres"
expect_rc "a wrong password exits 5" 5 \
    env PGPASSWORD=wrong-secret "$TR" publish --db "$DB" --to "$PW_URL" --schema team
check_grep "saying the login failed" 'password authentication failed for user "tr_pw"' "$WORK/err"
check "without printing the password" "$(grep -c 'wrong-secret' "$WORK/err")" "0"
check "nothing written (no schema 'team')" \
    "$(pgq "SELECT count(*) FROM pg_namespace WHERE nspname = 'team'")" "0"
expect_rc "the password from PGPASSWORD" 0 \
    env PGPASSWORD=right-secret "$TR" publish --db "$DB" --to "$PW_URL" --schema team
check "makes the publishing role the schema's owner" \
    "$(pgq "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'team'")" "tr_pw"
echo "*:*:*:tr_pw:right-secret" > "$WORK/pgpass"
chmod 600 "$WORK/pgpass"
expect_rc "the password from a password file (PGPASSFILE, as ~/.pgpass)" 0 \
    env PGPASSFILE="$WORK/pgpass" "$TR" publish --db "$DB" --to "$PW_URL" --schema team
expect_rc "a schema owned by another role exits 5" 5 \
    env PGPASSWORD=right-secret "$TR" publish --db "$DB" --to "$PW_URL" --schema theirs
check_grep "naming its owner" "schema 'theirs' belongs to role 'other', not to 'tr_pw'" "$WORK/err"
check "nothing written in it" \
    "$(pgq "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'theirs'")" "0"

# --- reference load writes HS rows outside any load: the next publish still sends them ---
RDB=$WORK/ref.db
"$TR" init --db "$RDB" > /dev/null 2>&1
"$TR" import --db "$RDB" "$D/comtrade_plus_A_2021_RUS_CHN.csv" > /dev/null 2>&1
"$TR" publish --db "$RDB" --to "$PG_URL" --schema hsref > /dev/null 2>&1
"$TR" reference --db "$RDB" load > /dev/null 2>&1
expect_rc "publish after reference load" 0 "$TR" publish --db "$RDB" --to "$PG_URL" --schema hsref
check "sends the reference rows (not 'up to date')" \
    "$(pgq 'SELECT count(*) FROM hsref.hs_correlation')" \
    "$(sqlite3 "$RDB" 'SELECT count(*) FROM hs_correlation')"
$PY tests/cli/pg_compare.py "$RDB" "$PG_URL" hsref v_product_description > "$WORK/cmp" 2>&1
check "v_product_description equals SQLite's over every HS2022 code ($(head -c 80 "$WORK/cmp"))" \
    "$(grep -c ': same ' "$WORK/cmp")" "1"

# --- an incremental publish reads the changed loads by their partitions' key ranges; a store
# whose load_partition misses a partition of a load still sends every row (the counts differ,
# the ranged COPY is rolled back and one pass over the store sends them) ---
PDB=$WORK/parts.db
"$TR" init --db "$PDB" > /dev/null 2>&1
"$TR" import --db "$PDB" "$D/comtrade_plus_A_2021_RUS_CHN.csv" > /dev/null 2>&1
"$TR" publish --db "$PDB" --to "$PG_URL" --schema parts > /dev/null 2>&1
"$TR" import --db "$PDB" "$D/comtrade_plus_A_2021_RUS_IRN.csv" > /dev/null 2>&1
sqlite3 "$PDB" "DELETE FROM load_partition WHERE (load_id, source_id, classification, year,
    month, reporter_id) = (SELECT load_id, source_id, classification, year, month, reporter_id
    FROM load_partition WHERE load_id = (SELECT max(load_id) FROM load_log) LIMIT 1)"
expect_rc "publish a load whose partitions are not all listed" 0 \
    "$TR" publish --db "$PDB" --to "$PG_URL" --schema parts
$PY tests/cli/pg_compare.py "$PDB" "$PG_URL" parts "$FACTS" > "$WORK/cmp" 2>&1
check "every fact sent all the same ($(head -c 80 "$WORK/cmp"))" \
    "$(grep -c ': same ' "$WORK/cmp")" "1"

# --- nightly --publish: the store goes to the server after a successful run ---
mkdir -p "$WORK/inbox"
cp "$FIX/deliveries/comtrade_plus_A_2021_RUS_IRN_revised.csv" "$WORK/inbox/"
expect_rc "nightly --publish" 0 "$TR" nightly --db "$DB" --inbox "$WORK/inbox" --publish "$PG_URL"
check "the server holds what the night loaded" \
    "$(pgq 'SELECT count(*), sum(rows) FROM tradereport.publish_load')" \
    "$(sqlite3 -separator '	' "$DB" 'SELECT count(DISTINCT load_id), count(*) FROM fact_trade_packed')"

# --- the comparison itself can fail: one changed figure on the server is found ---
pgq "UPDATE tradereport.sum_annual SET value_usd = value_usd + 1000
     WHERE ctid = (SELECT ctid FROM tradereport.sum_annual WHERE value_usd > 0 LIMIT 1)"
$PY tests/cli/pg_compare.py "$DB" "$PG_URL" tradereport v_trade_annual > "$WORK/cmp" 2>&1
check "a figure changed on the server is reported ($(head -c 80 "$WORK/cmp"))" \
    "$(grep -c 'column value_usd' "$WORK/cmp")" "1"

finish
