#!/usr/bin/python3
"""Independent reader of the workbooks tradereport writes, for tests (uses openpyxl only).

Run with Debian's /usr/bin/python3 (python3-openpyxl). Usage:
  xlsx_dump.py FILE sheets         sheet names, one per line
  xlsx_dump.py FILE cells SHEET    every non-empty cell as "A1<TAB>value"; numbers with repr(),
                                   tabs, newlines and backslashes in text escaped as \\t \\n \\\\
  xlsx_dump.py FILE charts SHEET   one line per chart: "<type><TAB><number of series>",
                                   e.g. "lineChart<TAB>3"
  xlsx_dump.py FILE props          "title<TAB>...", "creator<TAB>...", "created<TAB>...Z"
Exit 0 on success, 1 with a message on stderr on any error.
"""
import sys

try:
    import openpyxl
except ImportError:
    sys.stderr.write("xlsx_dump.py: openpyxl is missing; run with /usr/bin/python3\n")
    sys.exit(1)


def die(msg):
    sys.stderr.write("xlsx_dump.py: %s\n" % msg)
    sys.exit(1)


def text(value):
    if isinstance(value, bool):
        return repr(value)
    if isinstance(value, (int, float)):
        return repr(value)
    s = str(value)
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def sheet(wb, name):
    if name not in wb.sheetnames:
        die("no sheet %r (have: %s)" % (name, ", ".join(wb.sheetnames)))
    return wb[name]


def main(argv):
    if len(argv) < 3:
        die("usage: xlsx_dump.py FILE sheets|cells SHEET|charts SHEET|props")
    path, what = argv[1], argv[2]
    need = {"sheets": 3, "props": 3, "cells": 4, "charts": 4}
    if what not in need or len(argv) != need[what]:
        die("usage: xlsx_dump.py FILE sheets|cells SHEET|charts SHEET|props")
    try:
        wb = openpyxl.load_workbook(path)
    except Exception as exc:  # any unreadable file is a test failure, reported the same way
        die("cannot read %r: %s" % (path, exc))

    out = []
    if what == "sheets":
        out = list(wb.sheetnames)
    elif what == "cells":
        for row in sheet(wb, argv[3]).iter_rows():
            for cell in row:
                if cell.value is not None and cell.value != "":
                    out.append("%s\t%s" % (cell.coordinate, text(cell.value)))
    elif what == "charts":
        for chart in sheet(wb, argv[3])._charts:
            out.append("%s\t%d" % (chart.tagname, len(chart.series)))
    elif what == "props":
        p = wb.properties
        created = p.created.strftime("%Y-%m-%dT%H:%M:%SZ") if p.created else ""
        out = ["title\t" + text(p.title or ""), "creator\t" + text(p.creator or ""),
               "created\t" + created]
    for line in out:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
