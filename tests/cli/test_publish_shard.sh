#!/bin/sh
# tradereport publish --shard against two real PostgreSQL servers (tests/cli/pg_server.sh):
# the coordinator's views read both and equal SQLite's (tests/cli/pg_compare.py), the shard
# holds its years' rows, aggregates run on the shard, publishes are incremental and a killed
# one leaves the coordinator as it was; a shard that cannot be reached is named by its years.
. tests/cli/lib.sh
. tests/cli/pg_server.sh
suite publish_shard

pg_suite_start 2

DB=$WORK/demo.db
pg_demo_db "$DB"
# v_hs_concordance's chained pairs are compared by test_publish.sh; its direct pairs of the
# data's codes here (lib.sh concordance_filter)
VIEWS=$(ls sql/views | sed 's/\.sql$//' | grep -v '^fact_trade$' | grep -v '^v_hs_concordance$')
CONC=$(concordance_filter "$DB")
DIRECT="v_hs_concordance_direct|SELECT * FROM v_hs_concordance WHERE via IS NULL AND ($CONC)|\
SELECT * FROM v_hs_concordance WHERE via IS NULL AND ($CONC)"
FACTS="fact_trade|SELECT trade_key, value_usd, load_id, year FROM fact_trade|\
SELECT trade_key, value_usd, load_id, year FROM fact_trade"
SHARD_YEARS="2014, 2015, 2016, 2021"

# sharded BIN: BIN publishes the store with 2014-2016 and 2021 on server 2
sharded() {
    "$1" publish --db "$DB" --to "$PG_URL" --shard "2014-2016=$PG2_URL" --shard "2021=$PG2_URL"
}

same_as_sqlite() {
        if $PY tests/cli/pg_compare.py "$DB" "$PG_URL" tradereport $VIEWS "$FACTS" "$DIRECT" \
        > "$WORK/cmp" 2>&1; then
        ok "$1: $(grep -c ': same ' "$WORK/cmp") views and the facts equal SQLite's"
    else
        not_ok "$1" "$(grep -v ': same ' "$WORK/cmp" | head -c 600)"
    fi
}

# shard_holds NAME: server 2 holds SQLite's rows of the shard years, the coordinator none
shard_holds() {
    check "$1: the shard holds those years' rows" \
        "$(pgq2 "SELECT string_agg(c.relname, ' ' ORDER BY c.relname) FROM pg_class c
                 JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'tradereport' AND c.relkind = 'r'" |
           sed 's/_g[0-9]*//g')" "fact_trade_y2014 fact_trade_y2015 fact_trade_y2016 fact_trade_y2021"
    counts=
    for t in $(pgq2 "SELECT relname FROM pg_class c JOIN pg_namespace n
                     ON n.oid = c.relnamespace WHERE n.nspname = 'tradereport'
                     AND c.relkind = 'r' ORDER BY relname"); do
        counts="$counts$(pgq2 "SELECT year, count(*) FROM tradereport.$t GROUP BY year")
"
    done
    check "$1: per year as many as SQLite's" "$counts" \
        "$(sqlite3 -separator '	' "$DB" "SELECT year, count(*) FROM fact_trade
            WHERE year IN ($SHARD_YEARS) GROUP BY year ORDER BY year")
"
    check "$1: the coordinator's partitions of those years are foreign tables" \
        "$(pgq "SELECT string_agg(c.relname || ':' || c.relkind::text, ' ' ORDER BY c.relname)
                FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'tradereport.fact_trade'::regclass
                  AND c.relname IN ('fact_trade_y2014', 'fact_trade_y2015', 'fact_trade_y2016',
                                    'fact_trade_y2021')")" \
        "fact_trade_y2014:f fact_trade_y2015:f fact_trade_y2016:f fact_trade_y2021:f"
    check "$1: no local row of those years on the coordinator" \
        "$(pgq "SELECT count(*) FROM tradereport.fact_trade f JOIN pg_class c
                ON c.oid = f.tableoid WHERE c.relkind <> 'f' AND f.year IN ($SHARD_YEARS)")" "0"
}

# --- a first sharded publish ---
expect_rc "publish with --shard" 0 sharded "$TR"
check_grep "it says what went to the shards" \
    "4 shard years sent \($(sqlite3 "$DB" "SELECT count(*) FROM fact_trade
        WHERE year IN ($SHARD_YEARS)") fact rows\)" "$WORK/err"
check "the message does not carry a shard's URL" "$(grep -c "$PG2_DIR" "$WORK/err")" "0"
same_as_sqlite "sharded publish"
shard_holds "sharded publish"

# --- aggregates run on the shard ---
pgq "SET enable_partitionwise_aggregate = on;
     EXPLAIN (VERBOSE) SELECT year, sum(value_usd) FROM tradereport.fact_trade GROUP BY year" \
    > "$WORK/plan"
check "with partitionwise aggregation each shard year is a Foreign Scan summing remotely" \
    "$(grep -c 'Remote SQL: SELECT year, sum(value_usd) FROM tradereport.fact_trade_y' \
        "$WORK/plan")" "4"
pgq "EXPLAIN (VERBOSE) SELECT year, sum(value_usd) FROM tradereport.fact_trade GROUP BY year" \
    > "$WORK/plan0"
check "without it the shard sends rows (the check can fail)" \
    "$(grep -c 'Remote SQL: SELECT year, sum(' "$WORK/plan0")" "0"

expect_rc "publish again" 0 sharded "$TR"
check_grep "a re-run finds everything up to date" 'is up to date' "$WORK/err"

# --- incremental: a file for a shard year; only that year goes to the shard again ---
old2014=$(pgq2 "SELECT relname FROM pg_class WHERE relname LIKE 'fact_trade_y2014_g%'
                AND relkind = 'r'")
"$TR" import --db "$DB" "$FIX/deliveries/comtrade_plus_A_2021_RUS_CHN.csv" > /dev/null 2>&1
expect_rc "publish after a file for 2021" 0 sharded "$TR"
check_grep "only 2021 goes to the shard again" '; 1 shard years sent' "$WORK/err"
check "the unchanged years keep their tables" \
    "$(pgq2 "SELECT relname FROM pg_class WHERE relname LIKE 'fact_trade_y2014_g%'
             AND relkind = 'r'")" "$old2014"
same_as_sqlite "after an incremental publish"
shard_holds "after an incremental publish"

# --- killed while copying to the shard: the coordinator keeps the previous state ---
KILLED=${TR_REAL_BIN:-$TR}
before=$(pgq "SELECT year, count(*), sum(value_usd) FROM tradereport.v_trade_annual
              GROUP BY year ORDER BY year")
"$TR" import --db "$DB" "$FIX/deliveries/comtrade_plus_A_2021_RUS_IRN.csv" > /dev/null 2>&1
(export TR_TEST_PUBLISH_DIE_AFTER_ROWS=5; sharded "$KILLED") > /dev/null 2>&1
check "a publish killed mid-copy to the shard dies by SIGKILL" "$?" "137"
check "the coordinator still returns the previous rows" \
    "$(pgq "SELECT year, count(*), sum(value_usd) FROM tradereport.v_trade_annual
            GROUP BY year ORDER BY year")" "$before"
expect_rc "the next run completes it" 0 sharded "$TR"
same_as_sqlite "after a killed publish and a re-run"
shard_holds "after a killed publish and a re-run"

# --- a year back from the shard: the coordinator holds it again ---
expect_rc "publish with 2021 no longer on the shard" 0 \
    "$TR" publish --db "$DB" --to "$PG_URL" --shard "2014-2016=$PG2_URL"
same_as_sqlite "after 2021 came back"
check "the shard dropped its 2021 table" \
    "$(pgq2 "SELECT count(*) FROM pg_class WHERE relname LIKE 'fact_trade_y2021_g%'")" "0"
expect_rc "and with 2021 on the shard again" 0 sharded "$TR"
shard_holds "2021 on the shard again"

# --- refusals: exit 2 before any connection, exit 5 naming the shard by its years ---
expect_rc "overlapping years are a usage error" 2 "$TR" publish --db "$DB" --to "$PG_URL" \
    --shard "2014-2016=$PG2_URL" --shard "2016-2018=$PG2_URL"
check_grep "naming both" '--shard 2016-2018 overlaps --shard 2014-2016' "$WORK/err"
expect_rc "a range that runs backwards is a usage error" 2 \
    "$TR" publish --db "$DB" --to "$PG_URL" --shard "2018-2014=$PG2_URL"
expect_rc "YEARS that are no year are a usage error" 2 \
    "$TR" publish --db "$DB" --to "$PG_URL" --shard "14=$PG2_URL"
expect_rc "a shard equal to --to is a usage error" 2 \
    "$TR" publish --db "$DB" --to "$PG_URL" --shard "2014=$PG_URL"
state=$(pgq 'SELECT fingerprint FROM tradereport.publish_state')
"$TR" import --db "$DB" "$FIX/deliveries/comtrade_plus_A_2021_RUS_IRN_revised.csv" \
    > /dev/null 2>&1
expect_rc "an unreachable shard exits 5" 5 "$TR" publish --db "$DB" --to "$PG_URL" \
    --shard "2014-2016=host=$WORK/nowhere user=tr password=s3cret-pw dbname=postgres"
check_grep "naming the shard by its years" '^tradereport publish: shard 2014-2016: cannot connect' \
    "$WORK/err"
check "without its URL or password" "$(grep -c -e 's3cret-pw' -e 'user=tr' "$WORK/err")" "0"
check "the coordinator is unchanged" \
    "$(pgq 'SELECT fingerprint FROM tradereport.publish_state')" "$state"

finish
