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


MARK = '<<tr-compare-result>>'


def sqlite_rows(con, sql):
    cur = con.execute(sql)
    return [d[0] for d in cur.description], [tuple(r) for r in cur]


def pg_results(conninfo, schema, queries):
    """Every query's (columns, rows) from one psql session (one connection, one process)."""
    script = ['\\pset null \'%s\'' % NULL, 'SET search_path TO "%s";' % schema]
    for q in queries:
        script += ['\\echo %s' % MARK, q + ';']
    out = subprocess.run(['psql', '-X', '-q', '--csv', '-v', 'ON_ERROR_STOP=1', conninfo],
                         input='\n'.join(script) + '\n', capture_output=True, text=True,
                         check=True).stdout
    results = []
    for part in out.split(MARK + '\n')[1:]:
        rd = list(csv.reader(io.StringIO(part)))
        results.append((rd[0], [tuple(None if v == NULL else v for v in r) for r in rd[1:]]))
    return results


def queries(view):
    if '|' in view:
        return view.split('|')[1:]
    q = 'SELECT * FROM "%s"' % view
    return q, q


def compare(local, remote):
    lc, lr = local
    pc, pr = remote
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
    views = sys.argv[4:]
    con = sqlite3.connect('file:%s?mode=ro' % db, uri=True)
    local = [sqlite_rows(con, queries(v)[0]) for v in views]
    con.close()
    remote = pg_results(conninfo, schema, [queries(v)[1] for v in views])
    bad = 0
    for view, lo, re_ in zip(views, local, remote):
        verdict = compare(lo, re_)
        bad += not verdict.startswith('same')
        print('%s: %s' % (view.split('|')[0], verdict))
    return 1 if bad or len(remote) != len(views) else 0


if __name__ == '__main__':
    sys.exit(main())
