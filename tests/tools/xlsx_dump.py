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
  xlsx_dump.py FILE valign SHEET   every non-empty cell as "A1<TAB>vertical alignment" (top,
                                   center, bottom; Excel's default, none set, is bottom)
  xlsx_dump.py FILE layout SHEET   "freeze<TAB>A2" (top-left unfrozen cell, empty if none),
                                   "filter<TAB>A1:H5" (autofilter range, empty if none), then
                                   "width<TAB>A<TAB>12.71" per column with a set width,
                                   "height<TAB>ROW<TAB>points" per row with a set height
  xlsx_dump.py FILE style SHEET    one line per chart series: "<chart number><TAB><series name>
                                   <TAB>marker <symbol or none><TAB>line <dash> <width pt>" or
                                   "line none"
  xlsx_dump.py FILE print SHEET    page setup: "orientation<TAB>landscape", "paper<TAB>9",
                                   "fit<TAB>1<TAB>0" (pages wide, tall), "titles<TAB>$1:$1",
                                   "area<TAB>...", "breaks<TAB>23 47" (rows a page ends after),
                                   "anchor<TAB>A24<TAB>absolute" per chart, then
                                   "height<TAB>ROW<TAB>points" per row with a set height
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
            "layout": 4, "style": 4, "print": 4, "valign": 4}
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
    elif what == "valign":
        for row in sheet(wb, argv[3]).iter_rows():
            for cell in row:
                if cell.value is not None and cell.value != "":
                    out.append("%s\t%s" % (cell.coordinate, cell.alignment.vertical or "bottom"))
    elif what == "layout":
        ws = sheet(wb, argv[3])
        out.append("freeze\t" + (ws.freeze_panes or ""))
        out.append("filter\t" + (ws.auto_filter.ref or ""))
        for key in sorted(ws.column_dimensions.keys(), key=lambda k: (len(k), k)):
            dim = ws.column_dimensions[key]
            if dim.customWidth and dim.width:
                out.append("width\t%s\t%.2f" % (key, dim.width))
        for r in sorted(ws.row_dimensions.keys()):
            d = ws.row_dimensions[r]
            if d.customHeight and d.ht:
                out.append("height\t%d\t%.1f" % (r, d.ht))
    elif what == "style":
        for i, chart in enumerate(sheet(wb, argv[3])._charts, 1):
            for s in chart.series:
                marker = s.marker.symbol if s.marker is not None and s.marker.symbol else "none"
                ln = s.spPr.ln if s.spPr is not None else None
                if ln is not None and ln.noFill:
                    line = "line none"
                elif ln is not None:
                    line = "line %s %.2f" % (ln.prstDash or "solid", (ln.w or 0) / 12700.0)
                else:
                    line = "line default"
                out.append("%d\t%s\tmarker %s\t%s" % (i, text(series_name(s)), marker, line))
    elif what == "print":
        ws = sheet(wb, argv[3])
        ps = ws.page_setup
        out.append("orientation\t%s" % (ps.orientation or ""))
        out.append("paper\t%s" % (ps.paperSize or ""))
        fit = ws.sheet_properties.pageSetUpPr
        if fit is not None and fit.fitToPage:
            # OOXML's default for an absent fitToWidth / fitToHeight is 1
            out.append("fit\t%s\t%s" % (1 if ps.fitToWidth is None else ps.fitToWidth,
                                          1 if ps.fitToHeight is None else ps.fitToHeight))
        out.append("titles\t%s" % (ws.print_title_rows or ""))
        out.append("area\t%s" % (ws.print_area or ""))
        out.append("breaks\t%s" % " ".join(str(b.id) for b in ws.row_breaks.brk))
        for chart in ws._charts:
            a = chart.anchor
            m = a._from
            out.append("anchor\t%s%d\t%s" % (openpyxl.utils.get_column_letter(m.col + 1),
                                              m.row + 1, getattr(a, "editAs", "") or ""))
        for r in sorted(ws.row_dimensions.keys()):
            d = ws.row_dimensions[r]
            if d.customHeight and d.ht:
                out.append("height\t%d\t%.1f" % (r, d.ht))
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
