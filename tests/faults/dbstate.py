#!/usr/bin/env python3
"""What a fault case knows about a database, read with python's sqlite3 module (an independent
reader: none of tradereport's code is used).

  dbstate.py digest DB    sha256 of the canonical contents (below)
  dbstate.py dump DB      the canonical contents as text, for diffs
  dbstate.py check DB     problems, one per line; exit 1 if any:
                          integrity_check, foreign keys, every row accounted for, every
                          committed load's facts there, sql/checks/*.sql empty
  dbstate.py figures DB   "facts N loads N unaccounted N duplicates N" on one line

Canonical contents: every table's rows, sorted, with the rows of failed loads left out and load
ids renumbered 1, 2, ... over the loads that are not failed. A failed attempt that leaves its
lineage row behind (exit 3) then has the same contents as no attempt at all, and a clean re-run
after it the same contents as an undisturbed run.
"""
import glob
import hashlib
import os
import sqlite3
import sys

LOAD_COLS = ("load_id", "replaced_load_id")
# formats whose every loaded row is a row of a fact table or of claim, with its load_id
ROW_FORMATS = ("baci", "comtrade", "comtrade-legacy", "wits-trade", "wits-tariff", "claims")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def connect(path):
    # read-only, and never creating a file that is not there
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    con.execute("PRAGMA query_only = 1")
    return con


def tables(con):
    return [r[0] for r in con.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]


def columns(con, t):
    return [r[1] for r in con.execute('PRAGMA table_info("%s")' % t.replace('"', '""'))]


def fact_tables(con):
    """The tables that hold a load's rows: every fact_* table with a load_id column (whatever
    the schema calls them: fact_trade became a view over fact_trade_packed in migration 0007),
    and claim. Views are left out, so that no row is counted twice."""
    return [t for t in tables(con)
            if t == "claim" or (t.startswith("fact_") and "load_id" in columns(con, t))]


def canonical(con, sink):
    """Feeds the canonical contents to sink(text), table by table, rows in sorted order."""
    if "load_log" in tables(con):
        kept = [r[0] for r in con.execute(
            "SELECT load_id FROM load_log WHERE status <> 'failed' ORDER BY load_id")]
        failed = {r[0] for r in con.execute(
            "SELECT load_id FROM load_log WHERE status = 'failed'")}
    else:
        kept, failed = [], set()
    renum = {lid: i + 1 for i, lid in enumerate(kept)}
    for t in tables(con):
        cols = columns(con, t)
        idx = [i for i, c in enumerate(cols) if c in LOAD_COLS]
        q = '"%s"' % t.replace('"', '""')
        sink("== %s (%s)\n" % (t, ",".join(cols)))
        # renumbering keeps the order of load ids, so SQLite's sort is the canonical order
        order = ",".join(str(i + 1) for i in range(len(cols)))
        for r in con.execute("SELECT * FROM %s ORDER BY %s" % (q, order)):
            if idx:
                if any(r[i] in failed for i in idx):
                    continue
                r = list(r)
                for i in idx:
                    if r[i] is not None:
                        r[i] = renum.get(r[i], "?%s" % r[i])
                r = tuple(r)
            sink(repr(r) + "\n")


def count(con, sql, *args):
    return con.execute(sql, args).fetchone()[0] or 0


def problems(con):
    out = []
    ic = [r[0] for r in con.execute("PRAGMA integrity_check")]
    if ic != ["ok"]:
        out.extend("integrity_check: %s" % m for m in ic)
    for r in con.execute("PRAGMA foreign_key_check"):
        out.append("foreign key: %r" % (r,))
    unacc, _ = accounting(con, out)
    for path in sorted(glob.glob(os.path.join(ROOT, "sql", "checks", "*.sql"))):
        with open(path, encoding="utf-8") as f:
            for r in con.execute(f.read()):
                out.append("%s: %s" % (os.path.basename(path), r[0]))
    return out


def accounting(con, out):
    """Rows read and not accounted for, and loads that claim facts that are not there."""
    unacc = 0
    facts_in = fact_tables(con)
    for lid, fmt, status, read, loaded, rejected in con.execute(
            "SELECT load_id, format, status, rows_read, rows_loaded, rows_rejected "
            "FROM load_log ORDER BY load_id"):
        if read != loaded + rejected:
            unacc += abs(read - loaded - rejected)
            out.append("load %d: rows_read %d <> loaded %d + rejected %d"
                       % (lid, read, loaded, rejected))
        facts = sum(count(con, "SELECT count(*) FROM %s WHERE load_id = ?" % t, lid)
                    for t in facts_in)
        if status == "failed":
            if facts or loaded:
                unacc += facts
                out.append("failed load %d: %d facts, rows_loaded %d" % (lid, facts, loaded))
            continue
        if fmt not in ROW_FORMATS:
            continue
        replaced = count(con, "SELECT sum(old_rows) FROM load_replacement "
                              "WHERE replaced_load_id = ?", lid)
        if status == "committed" and facts + replaced != loaded:
            unacc += abs(loaded - facts - replaced)
            out.append("committed load %d (%s) claims %d rows loaded; %d facts there, %d replaced "
                       "later" % (lid, fmt, loaded, facts, replaced))
    return unacc, out


def figures(con):
    facts = sum(count(con, "SELECT count(*) FROM %s" % t)
                for t in fact_tables(con) if t != "claim")
    loads = count(con, "SELECT count(*) FROM load_log WHERE status <> 'failed'")
    unacc, _ = accounting(con, [])
    dups = count(con, "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM load_log "
                      "WHERE status = 'committed' GROUP BY sha256)")
    return "facts %d loads %d unaccounted %d duplicates %d" % (facts, loads, unacc, dups)


def main(argv):
    if len(argv) != 3 or argv[1] not in ("digest", "dump", "check", "figures"):
        sys.stderr.write(__doc__)
        return 2
    if not os.path.exists(argv[2]):
        print("missing" if argv[1] != "check" else "database '%s' is missing" % argv[2])
        return 1 if argv[1] == "check" else 0
    try:
        con = connect(argv[2])
        if argv[1] == "digest":
            h = hashlib.sha256()
            canonical(con, lambda text: h.update(text.encode()))
            print(h.hexdigest())
        elif argv[1] == "dump":
            canonical(con, sys.stdout.write)
        elif argv[1] == "figures":
            print(figures(con))
        else:
            p = problems(con)
            for m in p:
                print(m)
            return 1 if p else 0
    except sqlite3.DatabaseError as ex:
        print("unreadable: %s" % ex)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
