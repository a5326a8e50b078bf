#!/bin/sh
# Prints the README's schema section from sql/schema_doc.tsv, the one source of `tradereport
# schema` and `help views`: a table of the views with their purpose, then the tables by name.
# tests/cli/test_analysis.sh checks that README.md holds exactly this text between the
# schema:begin and schema:end markers; after changing the TSV, paste this output there.
set -eu
tsv=${1:-sql/schema_doc.tsv}
echo '| view | what |'
echo '|---|---|'
grep -v '^#' "$tsv" | awk -F'\t' '$2 == "" && $3 == "view" {printf "| `%s` | %s |\n", $1, $4}'
echo
grep -v '^#' "$tsv" | awk -F'\t' '
    $2 == "" && $3 == "table" {names = names (names == "" ? "" : ", ") "`" $1 "`"}
    END {
        text = "Tables: " names "."
        n = split(text, w, " "); line = ""
        for (i = 1; i <= n; i++) {
            if (length(line) + length(w[i]) + 1 > 95) { print line; line = w[i] }
            else line = (line == "" ? w[i] : line " " w[i])
        }
        print line
    }'
