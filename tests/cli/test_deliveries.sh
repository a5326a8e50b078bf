#!/bin/sh
# Deliveries as they really come: extracts split by partner, corrections, older releases,
# shorter redeliveries, and undo. The figures come from the fixture files read by python's csv
# module (an independent reader), never from the tool.
. "$(dirname "$0")/lib.sh"
suite deliveries

D=$FIX/deliveries
BACI=$FIX/baci
# csv_total FILE FLOW: the file's TOTAL row for a flow, as python reads it
csv_total() {
    $PY -c "import csv,sys
print(sum(int(r['primaryValue']) for r in csv.DictReader(open(sys.argv[1]))
          if r['flowCode'] == sys.argv[2] and r['cmdCode'] == 'TOTAL' and r['partner2Code'] == '0'
          and r['customsCode'] == 'C00' and r['motCode'] == '0'))" "$1" "$2"
}
bilateral() {   # bilateral DB A B: "a_exports a_imports turnover_best best_side" for 2021
    sq "$1" "SELECT coalesce(a_exports_to_b, 'NULL') || ' ' || coalesce(a_imports_from_b, 'NULL')
             || ' ' || coalesce(turnover_best, 'NULL') || ' ' || coalesce(best_side, 'NULL')
             FROM v_bilateral_annual WHERE a = '$2' AND b = '$3' AND year = 2021"
}
state() {       # everything a reader sees: the bilateral view, sums, facts
    { sq "$1" "SELECT * FROM v_bilateral_annual ORDER BY 1, 2, 3, 4"
      sq "$1" "SELECT * FROM sum_trade ORDER BY 1, 2, 3, 4, 5, 6, 7"
      sq "$1" "SELECT * FROM fact_trade ORDER BY trade_key"
      sq "$1" "SELECT * FROM load_partition ORDER BY 1, 2, 3, 4, 5, 6"; } | sha256sum
}

# ---- 1. extracts split by partner: the second keeps the first ----
DB=$WORK/extracts.db
irn_x=$(csv_total "$D/comtrade_plus_A_2021_RUS_IRN.csv" X)
irn_m=$(csv_total "$D/comtrade_plus_A_2021_RUS_IRN.csv" M)
chn_x=$(csv_total "$D/comtrade_plus_A_2021_RUS_CHN.csv" X)
chn_m=$(csv_total "$D/comtrade_plus_A_2021_RUS_CHN.csv" M)
check "python reads RUS-IRN 2021 as 3,070,000,000 + 972,000,000" "$irn_x $irn_m" "3070000000 972000000"
expect_rc "RUS-IRN extract loads" 0 "$TR" import --db "$DB" "$D/comtrade_plus_A_2021_RUS_IRN.csv"
expect_rc "RUS-CHN extract loads" 0 "$TR" import --db "$DB" "$D/comtrade_plus_A_2021_RUS_CHN.csv"
check "the RUS-CHN extract replaces nothing" "$(grep -c replaced "$WORK/out")" "0"
check "RUS-IRN kept after the RUS-CHN extract: 4,042,000,000 by RUS" \
    "$(bilateral "$DB" RUS IRN)" "$irn_x $irn_m $((irn_x + irn_m)) RUS"
check "RUS-CHN from its own extract" "$(bilateral "$DB" RUS CHN)" \
    "$chn_x $chn_m $((chn_x + chn_m)) RUS"
before_fix=$(state "$DB")
check_v=$("$TR" check --db "$DB")

# ---- a corrected RUS-IRN replaces RUS-IRN only ----
expect_rc "the corrected RUS-IRN extract loads" 0 "$TR" import --db "$DB" \
    "$D/comtrade_plus_A_2021_RUS_IRN_revised.csv"
check_grep "it replaced the 13 rows of RUS-IRN" "replaced 13 earlier rows" "$WORK/out"
rev_x=$(csv_total "$D/comtrade_plus_A_2021_RUS_IRN_revised.csv" X)
check "RUS-IRN now the correction's figure" "$(bilateral "$DB" RUS IRN)" \
    "$rev_x $irn_m $((rev_x + irn_m)) RUS"
check "RUS-CHN untouched" "$(bilateral "$DB" RUS CHN)" "$chn_x $chn_m $((chn_x + chn_m)) RUS"
check "lineage: RUS-IRN superseded, RUS-CHN committed, the correction committed" \
    "$(sq "$DB" "SELECT group_concat(status, ' ') FROM (SELECT status FROM load_log ORDER BY load_id)")" \
    "superseded committed committed"
check "loads says what load 3 replaced and what replaced load 1" \
    "$("$TR" loads --db "$DB" | awk -F'\t' '$1 == 1 { print $15 } $1 == 3 { print $14 }' | paste -sd'|' -)" \
    "load 3: 13 rows, US\$ 7417.9 m|load 1: 13 rows, US\$ 7417.9 m"

# ---- 3. the shrink guard ----
after_fix=$(state "$DB")
expect_rc "a shorter RUS-IRN redelivery is refused" 3 "$TR" import --db "$DB" \
    "$D/comtrade_plus_A_2021_RUS_IRN_short.csv"
check_grep "... with rows and US\$ before and after, per reporter" \
    "would remove more than 20% of what it replaces: 12 rows and US\\\$ 7447.9 m before, 6 rows and US\\\$ 6482.6 m after \(RUS 12 -> 6 rows" \
    "$WORK/err"
check "... and nothing changed" "$(state "$DB")" "$after_fix"
check "... its failed load replaced nothing" \
    "$(sq "$DB" "SELECT status || ' ' || rows_replaced FROM load_log ORDER BY load_id DESC LIMIT 1")" "failed 0"
expect_rc "--accept-shrink takes it" 0 "$TR" import --db "$DB" --accept-shrink \
    "$D/comtrade_plus_A_2021_RUS_IRN_short.csv"
short=$(sq "$DB" "SELECT max(load_id) FROM load_log")

# ---- 4. undo, newest first ----
expect_rc "the correction cannot go before the load that replaced it" 1 "$TR" unload --db "$DB" 3
check_grep "... which the message names" "rows of load 3 were replaced by load $short: unload load $short first" "$WORK/err"
expect_rc "the short redelivery unloads" 0 "$TR" unload --db "$DB" "$short"
check "... and the state is the correction's again" "$(state "$DB")" "$after_fix"
expect_rc "the correction unloads" 0 "$TR" unload --db "$DB" 3
check "... and the state is as before the correction" "$(state "$DB")" "$before_fix"
check "... with the same check output" "$("$TR" check --db "$DB")" "$check_v"
check "... RUS-IRN reads 4,042,000,000 again" "$(bilateral "$DB" RUS IRN)" \
    "$irn_x $irn_m $((irn_x + irn_m)) RUS"
check "loads shows both unloaded and load 1 committed again" \
    "$("$TR" loads --db "$DB" | awk -F'\t' 'NR > 1 { print $1 ":" $2 }' | paste -sd' ' -)" \
    "1:committed 2:committed 3:unloaded 4:failed 5:unloaded"
expect_rc "unloading again changes nothing" 0 "$TR" unload --db "$DB" 3
check_grep "... and says so" "already unloaded" "$WORK/out"
expect_rc "an unknown load is a usage error" 2 "$TR" unload --db "$DB" 99
expect_rc "a failed load has nothing to unload" 1 "$TR" unload --db "$DB" 4
expect_rc "the unloaded correction imports again (not 'already loaded')" 0 "$TR" import --db "$DB" \
    "$D/comtrade_plus_A_2021_RUS_IRN_revised.csv"
check_grep "... as a new load that replaces RUS-IRN" "load 6 .*replaced 13 earlier rows" "$WORK/out"
expect_rc "check passes after it all" 0 "$TR" check --db "$DB"

# ---- 2. releases in order (BACI) ----
B=$WORK/baci.db
R=$WORK/rel
mkdir -p "$R"
cp "$BACI/BACI_HS17_Y2021_V202401b.csv" "$R/BACI_HS17_Y2021_V202501.csv"
head -n 4 "$BACI/BACI_HS17_Y2021_V202401b.csv" > "$R/BACI_HS17_Y2021_V202401b.csv"
"$TR" import --db "$B" "$BACI/country_codes_V202401b.csv" "$BACI/product_codes_HS17_V202401b.csv" \
    "$R/BACI_HS17_Y2021_V202501.csv" > /dev/null
baci_before=$(state "$B")
baci_check=$("$TR" check --db "$B")
rus_chn=$($PY -c "import csv
print(round(sum(float(r['v']) * 1000 for r in csv.DictReader(open('$BACI/BACI_HS17_Y2021_V202401b.csv', encoding='utf-8-sig'))
            if r['t'] == '2021' and r['i'] == '643' and r['j'] == '156')))")
check "RUS exports to CHN 2021 as python reads the V202501 file" \
    "$(sq "$B" "SELECT a_exports_to_b FROM v_bilateral_annual WHERE a = 'RUS' AND b = 'CHN'")" "$rus_chn"
expect_rc "an older release after a newer one is refused" 3 "$TR" import --db "$B" \
    "$R/BACI_HS17_Y2021_V202401b.csv"
check_grep "... naming both releases and the row" \
    "BACI_HS17_Y2021_V202401b.csv:2: release V202401b is older than release V202501 of load 3" "$WORK/err"
check "... and nothing changed" "$(state "$B")" "$baci_before"
check "... its failed load replaced nothing" \
    "$(sq "$B" "SELECT status || ' ' || rows_replaced FROM load_log ORDER BY load_id DESC LIMIT 1")" "failed 0"
expect_rc "--allow-older-release alone meets the shrink guard (3 rows for 308)" 3 "$TR" import \
    --db "$B" --allow-older-release "$R/BACI_HS17_Y2021_V202401b.csv"
check_grep "... which names the reporters that lose most" \
    "308 rows and US\\\$ 646151.0 m before, 3 rows and US\\\$ 397.0 m after \(CHN 27 -> 0 rows" "$WORK/err"
check "... and nothing changed" "$(state "$B")" "$baci_before"
expect_rc "both flags take it" 0 "$TR" import --db "$B" --allow-older-release --accept-shrink \
    "$R/BACI_HS17_Y2021_V202401b.csv"
taken=$(sq "$B" "SELECT max(load_id) FROM load_log")
# ---- never a confident zero ----
check "RUS-CHN has no row left: not reported, not 0" \
    "$(sq "$B" "SELECT count(*) FROM v_bilateral_annual WHERE a = 'RUS' AND b = 'CHN'")" "0"
check "Belarus's exports to Armenia, withdrawn by the older file, read NULL, not 0" \
    "$(bilateral "$B" BLR ARM)" "NULL 397000000 NULL reconciled"
expect_rc "the older release unloads" 0 "$TR" unload --db "$B" "$taken"
check "... and the newer release's state is back" "$(state "$B")" "$baci_before"
check "... with the same check output" "$("$TR" check --db "$B")" "$baci_check"

# ---- the nightly job quarantines a refused delivery and lists it first ----
N=$WORK/night
mkdir -p "$N/inbox"
cp "$B" "$N/t.db"
cp "$R/BACI_HS17_Y2021_V202401b.csv" "$N/inbox/"
expect_rc "nightly: an older release in the inbox quarantines (exit 1)" 1 "$TR" nightly \
    --db "$N/t.db" --inbox "$N/inbox"
check "... the refusals come first in the summary" \
    "$(grep -n -m1 -e 'refused by the delivery guards' -e QUARANTINED "$WORK/out" | cut -d: -f2-)" \
    "refused by the delivery guards (quarantined, nothing of them committed; if the file is right, import it by hand with the flag named):"
check_grep "... naming the guard" "OLDER RELEASE  BACI_HS17_Y2021_V202401b.csv: line 2: release V202401b is older" "$WORK/out"
check_grep "... and the reason file says why" "older than release V202501" \
    "$N/quarantine/BACI_HS17_Y2021_V202401b.csv.reason.txt"
check "... and the database holds the newer release" "$(state "$N/t.db")" "$baci_before"
take=$(grep -m1 '^  tradereport import' "$N/quarantine/BACI_HS17_Y2021_V202401b.csv.reason.txt")
check "... which gives the line that takes it by hand, not a move back" \
    "$take" "  tradereport import --db '$(cd "$N" && pwd -P)/t.db' --allow-older-release '$N/quarantine/BACI_HS17_Y2021_V202401b.csv'"
run sh -c "cd '$N' && PATH='$(dirname "$TR")':\$PATH && $take"
check "... and that line, pasted, meets the next guard (exit 3: 3 rows for 308)" "$RC" "3"
finish
