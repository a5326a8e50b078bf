#!/usr/bin/python3
"""Independent reader of the workbooks tradereport writes, for tests (uses openpyxl only).

Run with Debian's /usr/bin/python3 (python3-openpyxl). Usage:
  xlsx_dump.py FILE sheets         sheet names, one per line
  xlsx_dump.py FILE cells SHEET    every non-empty cell as "A1<TAB>value"; numbers with repr(),
                                   tabs, newlines and backslashes in text escaped as \\t \\n \\\\
  xlsx_dump.py FILE charts SHEET   one line per chart: "<type><TAB><number of series>",
                                   e.g. "lineChart<TAB>3"
  xlsx_dump.py FILE series SHEET   one line per chart series: "<chart number from 1><TAB>
                                   <type><TAB><series name><TAB><categories><TAB><values>",
                                   ranges as written, e.g. "Mirror!$E$2:$E$9"
  xlsx_dump.py FILE formats SHEET  every numeric cell as "A1<TAB>number format", e.g. "0.0%"
  xlsx_dump.py FILE layout SHEET   "freeze<TAB>A2" (top-left unfrozen cell, empty if none),
                                   "filter<TAB>A1:H5" (autofilter range, empty if none), then
                                   "width<TAB>A<TAB>12.71" per column with a set width
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


USAGE = ("usage: xlsx_dump.py FILE sheets|cells SHEET|charts SHEET|series SHEET|formats SHEET|"
         "layout SHEET|props")


def ref(data):
    """The formula of a series' categories or values (number or string reference), or ""."""
    if data is None:
        return ""
    for attr in ("numRef", "strRef"):
        r = getattr(data, attr, None)
        if r is not None and r.f:
            return r.f
    return ""


def series_name(s):
    if s.tx is None:
        return ""
    if s.tx.strRef is not None and s.tx.strRef.f:
        return s.tx.strRef.f
    return s.tx.v or ""


def sheet(wb, name):
    if name not in wb.sheetnames:
        die("no sheet %r (have: %s)" % (name, ", ".join(wb.sheetnames)))
    return wb[name]


def main(argv):
    if len(argv) < 3:
        die(USAGE)
    path, what = argv[1], argv[2]
    need = {"sheets": 3, "props": 3, "cells": 4, "charts": 4, "series": 4, "formats": 4,
            "layout": 4}
    if what not in need or len(argv) != need[what]:
        die(USAGE)
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
    elif what == "series":
        for i, chart in enumerate(sheet(wb, argv[3])._charts, 1):
            for s in chart.series:
                out.append("%d\t%s\t%s\t%s\t%s" % (i, chart.tagname, text(series_name(s)),
                                                   ref(s.cat), ref(s.val)))
    elif what == "formats":
        for row in sheet(wb, argv[3]).iter_rows():
            for cell in row:
                if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    out.append("%s\t%s" % (cell.coordinate, text(cell.number_format)))
    elif what == "layout":
        ws = sheet(wb, argv[3])
        out.append("freeze\t" + (ws.freeze_panes or ""))
        out.append("filter\t" + (ws.auto_filter.ref or ""))
        for key in sorted(ws.column_dimensions.keys(), key=lambda k: (len(k), k)):
            dim = ws.column_dimensions[key]
            if dim.customWidth and dim.width:
                out.append("width\t%s\t%.2f" % (key, dim.width))
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
