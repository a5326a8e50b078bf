"""Compares one query's rows from tradereport (TSV with a header) and DuckDB (TSV without):
the same rows in any order, numbers equal to 1e-9 relative. Prints "same" or what differs.
Usage: bench_compare.py TRADEREPORT_TSV DUCKDB_TSV"""
import math
import sys


def rows(path, header):
    with open(path, encoding='utf-8') as f:
        lines = [line.rstrip('\n').split('\t') for line in f if line.strip()]
    return lines[1:] if header else lines


def key(row):
    out = []
    for c in row:
        try:
            out.append((0, float(c), ''))
        except ValueError:
            out.append((1, 0.0, c))
    return out


def close(a, b):
    if a[0] != b[0]:
        return False
    if a[0] == 1:
        return a[2] == b[2]
    return math.isclose(a[1], b[1], rel_tol=1e-9, abs_tol=1e-9)


def main():
    ours = sorted(key(r) for r in rows(sys.argv[1], True))
    theirs = sorted(key(r) for r in rows(sys.argv[2], False))
    if len(ours) != len(theirs):
        print('differ: %d rows against %d' % (len(ours), len(theirs)))
        return
    for i, (a, b) in enumerate(zip(ours, theirs)):
        if len(a) != len(b) or not all(close(x, y) for x, y in zip(a, b)):
            print('differ at sorted row %d: %s against %s' % (i + 1, a, b))
            return
    print('same (%d rows)' % len(ours))


main()
