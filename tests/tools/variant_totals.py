#!/usr/bin/python3
"""Second reader for files whose columns are named differently (fixtures/comtrade_variants):
the columns to read are given by their header text, as a person reading the file would pick
them, so nothing is shared with tradereport's own name matching.

    variant_totals.py FILE year=COL reporter=COL partner=COL flow=COL cmd=COL value=COL
                      [p2=COL customs=COL mot=COL]

Prints `comtrade<TAB>year<TAB>reporter<TAB>partner<TAB>flow<TAB>value_usd`, sorted: annual
rows (a 4-digit period or year), commodity TOTAL, 2nd partner / customs / transport empty or
their total code (0, C00, 0). Values are decimals (pandas writes 1420000000.0) rounded half up
to whole US$; codes written as floats ("643.0") are whole numbers. Flow 1 M, 2 X, 3 RX, 4 RM.
Country numbers become ISO3 through tests/tools/fixture_totals.py's table.
"""
import csv
import os
import sys
from decimal import Decimal, ROUND_HALF_UP

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixture_totals  # noqa: E402  (its country table only)

FLOWS = {"1": "M", "2": "X", "3": "RX", "4": "RM"}


def code(s):
    s = s.strip()
    return s[:-2] if s.endswith(".0") else s


def main(argv):
    path, cols = argv[1], dict(a.split("=", 1) for a in argv[2:])
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    at = {k: header.index(v) for k, v in cols.items()}
    out = {}
    for n, r in enumerate(rows[1:], 2):
        if r[at["cmd"]].strip() != "TOTAL" or len(code(r[at["year"]])) != 4:
            continue
        if any(k in at and code(r[at[k]]) not in ("", total)
               for k, total in (("p2", "0"), ("customs", "C00"), ("mot", "0"))):
            continue
        where = "%s:%d" % (path, n)
        flow = code(r[at["flow"]])
        key = (int(code(r[at["year"]])), fixture_totals.iso(code(r[at["reporter"]]), where),
               fixture_totals.iso(code(r[at["partner"]]), where), FLOWS.get(flow, flow))
        if key in out:
            sys.exit("%s: second TOTAL row for %r" % (where, key))
        out[key] = int(Decimal(r[at["value"]]).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    for k in sorted(out):
        print("comtrade\t%d\t%s\t%s\t%s\t%d" % (k + (out[k],)))


if __name__ == "__main__":
    main(sys.argv)
