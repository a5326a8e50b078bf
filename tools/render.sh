#!/bin/sh
# make render: every page of the briefing as PNG, to look at before a release. The PDF as
# Cairo drew it (pdftoppm), and the workbook as LibreOffice prints it (landscape A4, fit to
# width, charts on their own pages: the page setup the workbook carries), converted to PDF by
# LibreOffice and then to PNG. Usage: render.sh REPORT.xlsx REPORT.pdf OUTDIR
# Prints one line per file with its page count; exits 1 when a tool is missing or a page
# count is 0.
set -u
XLSX=$1 PDF=$2 OUT=$3
for tool in pdftoppm pdfinfo soffice; do
    command -v "$tool" > /dev/null || {
        echo "render: $tool missing; run: apt-get install -y poppler-utils libreoffice-calc" >&2
        exit 1
    }
done
rm -rf "$OUT"
mkdir -p "$OUT/workbook" "$OUT/pdf"
# LibreOffice writes its profile under HOME: a private one, so a desktop session's is untouched
LO_HOME=$(mktemp -d)
trap 'rm -rf "$LO_HOME"' EXIT
HOME=$LO_HOME soffice --headless --convert-to pdf --outdir "$OUT/workbook" "$XLSX" \
    > "$OUT/workbook/soffice.log" 2>&1
WB_PDF=$OUT/workbook/$(basename "$XLSX" .xlsx).pdf
[ -s "$WB_PDF" ] || { echo "render: LibreOffice made no PDF of $XLSX ($OUT/workbook/soffice.log)" >&2; exit 1; }
pdftoppm -r 60 -png "$WB_PDF" "$OUT/workbook/page"
pdftoppm -r 60 -png "$PDF" "$OUT/pdf/page"
status=0
for f in "$WB_PDF" "$PDF"; do
    pages=$(pdfinfo "$f" | awk '/^Pages:/ {print $2}')
    echo "render: $f: ${pages:-0} pages"
    [ "${pages:-0}" -gt 0 ] || status=1
done
echo "render: PNG pages in $OUT/workbook and $OUT/pdf"
exit $status
