#!/bin/sh
# The source tree shows the architecture (doc/development.md, Layout): every C file lives in one
# part under src/, and a part includes only the headers of its own part or of the parts before
# it on the path core -> input -> store -> load -> import -> report -> render -> publish ->
# nightly -> cli (PARTS below).
# A header belongs to the part whose folder holds the .c file of the same name; headers with no
# .c (factkey.h, cmd.h, import_internal.h...) are shared declarations and may be included
# anywhere.
. tests/cli/lib.sh
suite layout

# The parts in their order, one a line: a new part is one more line in its place, and
# doc/architecture.md gets its paragraph.
PARTS="
core
input
store
load
import
report
render
publish
nightly
cli
"

rank() {
    i=0
    for p in $PARTS; do
        [ "$p" = "$1" ] && { echo "$i"; return; }
        i=$((i + 1))
    done
    echo -1
}

loose=$(find src -maxdepth 1 -type f -name '*.[ch]' | sort | tr '\n' ' ')
check "no C file loose in src/ (each is in a part's folder)" "$loose" ""

unknown=""
for d in src/*/; do
    d=${d%/}
    [ "$(rank "${d#src/}")" -ge 0 ] || unknown="$unknown ${d#src/}"
done
check "every folder under src/ is a known part" "$unknown" ""

# undocumented PART...: the parts without their "**`src/PART/` — ...**" paragraph
undocumented() {
    for p in "$@"; do
        grep -q "^\*\*\`src/$p/\`" doc/architecture.md || printf ' %s' "$p"
    done
}
# shellcheck disable=SC2086
check "every part has its paragraph in doc/architecture.md" "$(undocumented $PARTS)" ""
check "a part without a paragraph is caught" "$(undocumented core no_such_part)" " no_such_part"

# the part of each header that has a .c of the same name
find src -name '*.c' | sed -E 's#src/([a-z]+)/([a-z0-9_]+)\.c#\2.h \1#' | sort > "$WORK/owner"
check "a module name is used by one part only" \
    "$(cut -d' ' -f1 "$WORK/owner" | uniq -d | tr '\n' ' ')" ""

# upward FILE PART: the includes of FILE (read as a file of PART) that belong to a later part
upward() {
    own=$(rank "$2")
    for h in $(sed -nE 's/^#include "tr\/([a-z0-9_]+\.h)".*/\1/p' "$1"); do
        hp=$(awk -v h="$h" '$1 == h { print $2 }' "$WORK/owner")
        [ -n "$hp" ] || continue
        [ "$(rank "$hp")" -le "$own" ] || printf '%s includes %s (%s); ' "$1" "$h" "$hp"
    done
}

bad=""
for f in $(find src -name '*.c' | sort); do
    bad="$bad$(upward "$f" "$(echo "$f" | cut -d/ -f2)")"
done
check "no part includes a header of a part after it" "$bad" ""

# the check can fail: a store file that included report.h is caught
printf '#include "tr/stmt.h"\n#include "tr/report.h"\n' > "$WORK/probe.c"
check "an upward include is caught (store including report.h)" \
    "$(upward "$WORK/probe.c" store)" "$WORK/probe.c includes report.h (report); "

# undocumented_switches DOC: the TR_* environment switches src/ reads that DOC's table lacks
undocumented_switches() {
    for v in $(grep -rhoE 'getenv\("TR_[A-Z_]+"' src | sed -E 's/getenv\("([A-Z_]+)"/\1/' | sort -u); do
        grep -q "^| \`$v=" "$1" || printf ' %s' "$v"
    done
}
check "every TR_* switch the code reads is in doc/development.md" \
    "$(undocumented_switches doc/development.md)" ""
grep -v '^| `TR_SERIAL_SCAN=' doc/development.md > "$WORK/dev.md"
check "an undocumented switch is caught" "$(undocumented_switches "$WORK/dev.md")" " TR_SERIAL_SCAN"


# unformatted FILE...: the files clang-format (.clang-format) would change
unformatted() {
    for f in "$@"; do
        clang-format --dry-run --Werror "$f" 2> /dev/null || printf ' %s' "$f"
    done
}
if command -v clang-format > /dev/null; then
    # shellcheck disable=SC2046
    check "every C file is as clang-format writes it (make fmt)" \
        "$(unformatted $(git ls-files 'src/*.[ch]' 'include/*.h' 'tests/unit/*.[ch]'))" ""
    printf 'int  f(void) {return 0;}\n' > "$WORK/probe_fmt.c"
    check "a file clang-format would change is caught" "$(unformatted "$WORK/probe_fmt.c")" \
        " $WORK/probe_fmt.c"
else
    check "clang-format is installed (make deps)" "missing" "installed"
fi


# long FILE...: "FILE:LINE NAME N" for each function over 100 lines, signature to closing brace
# (clang-format puts a function's braces alone in column 0, and nothing else)
long_functions() {
    awk 'FNR == 1 { sig = 0 }
         /^[A-Za-z_]/ { if (!infn) { sig = FNR; name = $0 } }
         /^\{$/ { infn = 1 }
         /^\}$/ && infn { infn = 0; if (FNR - sig + 1 > 100) printf "%s:%d %d; ", FILENAME, sig, FNR - sig + 1 }' "$@"
}
# shellcheck disable=SC2046
check "no function in src/ is over 100 lines" "$(long_functions $(find src -name '*.c' | sort))" ""
check "no file in src/ is over 800 lines" \
    "$(wc -l $(find src -name '*.c' | sort) | awk '$2 != "total" && $1 > 800 { printf "%s ", $2 }')" ""
{ printf 'int f(void)\n{\n'; seq 1 98 | sed 's/.*/    ;/'; printf '}\n'; } > "$WORK/probe_long.c"
check "a function of 101 lines is caught" "$(long_functions "$WORK/probe_long.c")" \
    "$WORK/probe_long.c:1 101; "


# the commit-msg hook (make hooks): a subject of at most 72 characters and a body
hook() {
    printf "$1" > "$WORK/msg"
    sh tools/git-hooks/commit-msg "$WORK/msg" 2> /dev/null && echo ok || echo refused
}
check "commit-msg takes a 72-character subject with a body" \
    "$(hook "$(printf '%72s' | tr ' ' x)\\n\\nwhy\\n")" ok
check "commit-msg refuses a 73-character subject" \
    "$(hook "$(printf '%73s' | tr ' ' x)\\n\\nwhy\\n")" refused
check "commit-msg refuses a subject without a body" "$(hook 'subject\\n')" refused

finish
