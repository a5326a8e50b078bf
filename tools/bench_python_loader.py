#!/usr/bin/python3
"""What a user would script: python's csv module + sqlite3 executemany, one transaction,
into a plain typed table without index. Usage: bench_python_loader.py CSV DB"""
import csv
import sqlite3
import sys


def main():
    src, db = sys.argv[1], sys.argv[2]
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE t (t INTEGER, i INTEGER, j INTEGER, k TEXT, v REAL, q REAL)")
    with open(src, newline="", encoding="utf-8-sig") as f:
        rows = csv.reader(f)
        next(rows)
        con.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)",
                        ((r[0], r[1], r[2], r[3], r[4], None if r[5].strip() == "NA" else r[5])
                         for r in rows))
    con.commit()
    con.close()


if __name__ == "__main__":
    main()
