#!/bin/sh
# The packed key of fact_trade has one definition, include/tr/factkey.h: the SQL that runs
# against the database (sql/views, sql/checks, sql/refresh) writes its parts' places as
# @TR_KEY_..._SHIFT@, their widths as @TR_KEY_..._MASK@ and flow numbers as @TR_FLOW_ID(x)@ /
# @TR_FLOW_NAME(x)@, which tools/embed_sql.sh fills in at build time; a number typed again in
# a view would silently go stale the day the layout changes. The migrations (sql/NNNN_*.sql)
# are history, applied once and never edited: 0001 typed the layout of its day, 0007 replaced
# that table, so they are not checked.
. tests/cli/lib.sh
suite key_layout

# retyped FILE...: each line of FILE that writes a part of the key as a literal number: a
# shift, a part's mask, the product mask, or the flows' numbers (two WHENs in a row mapping
# codes to numbers or back; one WHEN over a local 1/2 choice is not the key's)
retyped() {
    grep -nHE \
        -e '(<<|>>)[[:space:]]*[0-9]' \
        -e 'SHIFT@\)?[[:space:]]*&[[:space:]]*[0-9]' \
        -e '\b(1048575|0x[fF]{5})\b' \
        -e "WHEN '[A-Z]+' THEN [0-9]+ WHEN '[A-Z]+' THEN [0-9]" \
        -e "WHEN [0-9]+ THEN '[A-Z]+' WHEN [0-9]+ THEN '[A-Z]+'" \
        "$@" | tr '\n' ' '
}

set -- sql/views/*.sql sql/checks/*.sql sql/refresh/*.sql
check "no view, check or refresh retypes the key's layout" "$(retyped "$@")" ""

# the check can fail: each way of retyping the layout is caught
mkdir -p "$WORK/probe"
printf 'SELECT (k.source_id << 59) FROM t;\n' > "$WORK/probe/shift.sql"
printf 'SELECT (trade_key >> @TR_KEY_FLOW_SHIFT@) & 15 FROM t;\n' > "$WORK/probe/mask.sql"
printf 'SELECT trade_key & 1048575 FROM t;\n' > "$WORK/probe/product.sql"
printf "SELECT CASE flow WHEN 'X' THEN 1 WHEN 'M' THEN 2 END FROM t;\n" > "$WORK/probe/flow.sql"
printf "SELECT CASE f WHEN 1 THEN 'X' WHEN 2 THEN 'M' END FROM t;\n" > "$WORK/probe/name.sql"
printf 'SELECT (k.source_id << @TR_KEY_SOURCE_SHIFT@) & @TR_KEY_SOURCE_MASK@ FROM t;\n' \
    > "$WORK/probe/good.sql"
for p in shift mask product flow name; do
    check "a retyped key part is caught ($p)" \
        "$(retyped "$WORK/probe/$p.sql" | cut -d: -f2)" "1"
done
check "the tokens themselves pass" "$(retyped "$WORK/probe/good.sql")" ""

# The numbers the build wrote into the views are factkey.h's: the binary's v_basket_flows
# (read back from a new database with sqlite3) holds the source shift and the product mask.
DB=$WORK/k.db
expect_rc "init" 0 "$TR" init --db "$DB"
shift_n=$(sed -n 's/^#define TR_KEY_SOURCE_SHIFT \([0-9]*\).*/\1/p' include/tr/factkey.h)
mask_n=$(sed -n 's/^#define TR_KEY_PRODUCT_MASK \([0-9]*\).*/\1/p' include/tr/factkey.h)
sqlite3 -batch "$DB" "SELECT sql FROM sqlite_schema WHERE name = 'v_basket_flows'" \
    > "$WORK/basket.sql"
check_grep "v_basket_flows has factkey.h's source shift" "<< $shift_n\\)" "$WORK/basket.sql"
check_grep "v_basket_flows has factkey.h's product mask" "\\| $mask_n\\)" "$WORK/basket.sql"
check "no token is left in the views" \
    "$(sqlite3 -batch "$DB" "SELECT count(*) FROM sqlite_schema WHERE sql LIKE '%@TR_%'")" "0"

finish
