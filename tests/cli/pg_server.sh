# A real PostgreSQL server for a test suite (sourced after lib.sh): pg_start DIR makes a
# cluster in DIR, owned by an unprivileged user (the server refuses to run as root), listening
# only on a Unix socket in DIR; pg_stop stops it (immediate) and removes DIR. A suite that needs
# a second server calls pg_start2 DIR (PG2_DIR, PG2_URL); pg_stop stops both. The caller's EXIT
# trap calls pg_stop, so a failing suite leaves no server behind.
# Local connections as the cluster's superuser "tr" are trusted; the role tr_pw must log in
# with a password (scram-sha-256), for the tests of passwords.
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
PG_DIR=
# A suite interrupted by a signal still runs its EXIT trap (pg_stop): the shell would
# otherwise die at once and leave its servers running.
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
PG2_DIR=

# as_pg_user CMD...: runs CMD as the unprivileged owner of the cluster (nobody when root)
as_pg_user() {
    if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

# pg_cluster DIR: a trusting cluster in DIR, started; its URL in PG_LAST_URL
pg_cluster() {
    mkdir -p "$1/data" && chmod 755 "$1" || return 1
    [ "$(id -u)" = 0 ] && chown nobody "$1" "$1/data"
    as_pg_user "$PGBIN/initdb" -D "$1/data" -U tr --auth=trust --no-sync -E UTF8 \
        --locale=C > "$1/initdb.log" 2>&1 || return 1
    # a password login for tr_pw, ahead of the trusting lines
    { echo "local all tr_pw scram-sha-256"; cat "$1/data/pg_hba.conf"; } > "$1/hba"
    cat "$1/hba" > "$1/data/pg_hba.conf"
    as_pg_user "$PGBIN/pg_ctl" -D "$1/data" -w -s -l "$1/server.log" \
        -o "-c listen_addresses='' -k $1 -c fsync=off -c full_page_writes=off" start \
        || return 1
    PG_LAST_URL="host=$1 user=tr dbname=postgres"
}

pg_start() {
    PG_DIR=$1
    pg_cluster "$PG_DIR" || return 1
    PG_URL=$PG_LAST_URL
}

pg_start2() {
    PG2_DIR=$1
    pg_cluster "$PG2_DIR" || return 1
    PG2_URL=$PG_LAST_URL
}

# pg_halt DIR: the cluster in DIR stopped (immediate) and DIR removed
pg_halt() {
    [ -f "$1/data/postmaster.pid" ] &&
        as_pg_user "$PGBIN/pg_ctl" -D "$1/data" -w -s -m immediate stop > /dev/null 2>&1
    rm -rf "$1"
}

pg_stop() {
    [ -n "$PG2_DIR" ] && pg_halt "$PG2_DIR"
    PG2_DIR=
    [ -n "$PG_DIR" ] && pg_halt "$PG_DIR"
    PG_DIR=
    return 0
}

# pgq SQL: one value (or rows, tab-separated) from the test server, as tr
pgq() {
    psql -X -q -At -F "$(printf '\t')" -v ON_ERROR_STOP=1 "$PG_URL" -c "$1"
}

# pgq2 SQL: the same from the second server
pgq2() {
    psql -X -q -At -F "$(printf '\t')" -v ON_ERROR_STOP=1 "$PG2_URL" -c "$1"
}

# pg_suite_start N: the suite's EXIT trap, then N (1 or 2) servers, one ok line; when a
# server does not start, one not_ok line with its logs and the suite ends (exit 1)
pg_suite_start() {
    trap 'pg_stop; rm -rf "$WORK"' EXIT
    what="a PostgreSQL server starts"
    [ "$1" = 2 ] && what="two PostgreSQL servers start"
    if ! pg_start "$(mktemp -d /tmp/tr_pg_XXXXXX)" ||
        { [ "$1" = 2 ] && ! pg_start2 "$(mktemp -d /tmp/tr_pg2_XXXXXX)"; }; then
        not_ok "$what (PGBIN=$PGBIN; 'make deps' installs postgresql)" \
            "$(cat "$PG_DIR/initdb.log" "$PG_DIR/server.log" 2>/dev/null | head -c 400)"
        finish
        exit 1
    fi
    ok "$what ($(pgq 'SHOW server_version'))"
}

# pg_demo_db DB: a store holding the demo fixtures (fixtures/demo-files.txt), to publish
pg_demo_db() {
    "$TR" init --db "$1" > /dev/null 2>&1
    # shellcheck disable=SC2046
    (cd "$FIX/.." && "$TR" import --db "$1" $(cat fixtures/demo-files.txt)) > /dev/null 2>&1
}
