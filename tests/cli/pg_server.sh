# A real PostgreSQL server for a test suite (sourced after lib.sh): pg_start DIR makes a
# cluster in DIR, owned by an unprivileged user (the server refuses to run as root), listening
# only on a Unix socket in DIR; pg_stop stops it (immediate) and removes DIR. The caller's EXIT
# trap calls pg_stop, so a failing suite leaves no server behind.
# Local connections as the cluster's superuser "tr" are trusted; the role tr_pw must log in
# with a password (scram-sha-256), for the tests of passwords.
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
PG_DIR=

# as_pg_user CMD...: runs CMD as the unprivileged owner of the cluster (nobody when root)
as_pg_user() {
    if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

pg_start() {
    PG_DIR=$1
    mkdir -p "$PG_DIR/data" && chmod 755 "$PG_DIR" || return 1
    [ "$(id -u)" = 0 ] && chown nobody "$PG_DIR" "$PG_DIR/data"
    as_pg_user "$PGBIN/initdb" -D "$PG_DIR/data" -U tr --auth=trust --no-sync -E UTF8 \
        --locale=C > "$PG_DIR/initdb.log" 2>&1 || return 1
    # a password login for tr_pw, ahead of the trusting lines
    { echo "local all tr_pw scram-sha-256"; cat "$PG_DIR/data/pg_hba.conf"; } > "$PG_DIR/hba"
    cat "$PG_DIR/hba" > "$PG_DIR/data/pg_hba.conf"
    as_pg_user "$PGBIN/pg_ctl" -D "$PG_DIR/data" -w -s -l "$PG_DIR/server.log" \
        -o "-c listen_addresses='' -k $PG_DIR -c fsync=off -c full_page_writes=off" start \
        || return 1
    PG_URL="host=$PG_DIR user=tr dbname=postgres"
}

pg_stop() {
    [ -n "$PG_DIR" ] || return 0
    [ -f "$PG_DIR/data/postmaster.pid" ] &&
        as_pg_user "$PGBIN/pg_ctl" -D "$PG_DIR/data" -w -s -m immediate stop > /dev/null 2>&1
    rm -rf "$PG_DIR"
    PG_DIR=
}

# pgq SQL: one value (or rows, tab-separated) from the test server, as tr
pgq() {
    psql -X -q -At -F "$(printf '\t')" -v ON_ERROR_STOP=1 "$PG_URL" -c "$1"
}
