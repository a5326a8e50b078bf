#!/usr/bin/python3
"""Compares a view's rows in SQLite (python's sqlite3 module) and on PostgreSQL (psql --csv):
same columns, same rows in any order, numbers equal within 1e-6 relative. An independent check
of `tradereport publish`: neither side is read through tradereport.
usage: pg_compare.py SQLITE_DB PSQL_CONNINFO SCHEMA VIEW...   (prints one line per view)
A VIEW argument of the form LABEL|SQLITE_SELECT|POSTGRESQL_SELECT compares two queries instead
(the PostgreSQL one runs with search_path set to SCHEMA)."""
import csv
import io
import math
import sqlite3
import subprocess
import sys

NULL = '<<NULL>>'


def as_number(v):
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    if isinstance(v, str):
        try:
            return float(v)
        except ValueError:
            return None
    return None


def canon(v):
    """A sort key that equal values share (numbers to 6 significant digits)."""
    if v is None:
        return (0, '')
    n = as_number(v)
    if n is not None:
        return (1, '%.5e' % n)
    return (2, str(v))


def same(a, b):
    if a is None or b is None:
        return a is None and b is None
    na, nb = as_number(a), as_number(b)
    if na is not None and nb is not None:
        return math.isclose(na, nb, rel_tol=1e-6, abs_tol=1e-9)
    return str(a) == str(b)


def sqlite_rows(path, sql):
    con = sqlite3.connect('file:%s?mode=ro' % path, uri=True)
    cur = con.execute(sql)
    cols = [d[0] for d in cur.description]
    rows = [tuple(r) for r in cur]
    con.close()
    return cols, rows


def pg_rows(conninfo, schema, query):
    sql = '\\pset null \'%s\'\nSET search_path TO "%s";\n%s;\n' % (NULL, schema, query)
    out = subprocess.run(['psql', '-X', '-q', '--csv', '-v', 'ON_ERROR_STOP=1', conninfo],
                         input=sql, capture_output=True, text=True, check=True).stdout
    rd = list(csv.reader(io.StringIO(out)))
    cols = rd[0]
    rows = [tuple(None if v == NULL else v for v in r) for r in rd[1:]]
    return cols, rows


def compare(db, conninfo, schema, view):
    if '|' in view:
        _, lq, pq = view.split('|')
    else:
        lq = pq = 'SELECT * FROM "%s"' % view
    lc, lr = sqlite_rows(db, lq)
    pc, pr = pg_rows(conninfo, schema, pq)
    if lc != pc:
        return 'columns differ: sqlite %s, postgresql %s' % (lc, pc)
    if len(lr) != len(pr):
        return 'row counts differ: sqlite %d, postgresql %d' % (len(lr), len(pr))
    key = lambda r: tuple(canon(v) for v in r)
    for a, b in zip(sorted(lr, key=key), sorted(pr, key=key)):
        for i, (x, y) in enumerate(zip(a, b)):
            if not same(x, y):
                return 'column %s: sqlite %r, postgresql %r (row %r)' % (lc[i], x, y, a)
    return 'same %d rows' % len(lr)


def main():
    db, conninfo, schema = sys.argv[1:4]
    bad = 0
    for view in sys.argv[4:]:
        verdict = compare(db, conninfo, schema, view)
        bad += not verdict.startswith('same')
        print('%s: %s' % (view.split('|')[0], verdict))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
