#!/bin/sh
# v_tariff_summary and v_claim_check_tariff (doc/views-tariff.md). Expected numbers written
# by hand: fixtures/tiny-tariff/README.md works every one out; for fixtures/wits-tariff the
# shares of HS6 codes are those of fixtures/README.md and the line counts are sums over the
# files' rows (TotalNoOfValidLines, Nbr_Pref_Lines), given below with each check.
. tests/cli/lib.sh
suite tariffs

# ---------- a fresh database has both views ----------
FRESH=$WORK/fresh.db
expect_rc "init creates a fresh database" 0 "$TR" init --db "$FRESH"
check "both tariff views exist in a fresh database" \
    "$(sq "$FRESH" "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_schema WHERE type = 'view' AND name IN ('v_tariff_summary', 'v_claim_check_tariff', 'v_claim_check') ORDER BY name)")" \
    "v_claim_check v_claim_check_tariff v_tariff_summary"
check "no tariff data: the summary is empty" "$(sq "$FRESH" "SELECT count(*) FROM v_tariff_summary")" "0"
check "no tariff data: the built-in tariff claim is one 'no data' row" \
    "$(sq "$FRESH" "SELECT count(*) || '|' || definition || '|' || verdict || '|' || coalesce(source, 'NULL') FROM v_claim_check WHERE claim_id = 3")" \
    "1|tariff lines cut: no EAEU schedule with preferences, 2025|no data|NULL"

# ---------- hand-worked: fixtures/tiny-tariff ----------
DB=$WORK/t.db
expect_rc "tiny tariff fixtures import" 0 "$TR" import --db "$DB" "$FIX"/tiny-tariff/*.csv
RI="FROM v_tariff_summary WHERE importer = 'RUS' AND partner = 'IRN' AND year = 2023"
check "RUS on IRN 2023: 5 HS6 codes, 240220 (no ad-valorem data) left out, 11 lines, AVEPref" \
    "$(sq "$DB" "SELECT partner_kind || '|' || pref_codes || '|' || nomenclature || '|' || dataset || '|' || n_hs6 || '|' || n_hs6_na || '|' || n_lines $RI")" \
    "country|364|H6|AVEPref|5|1|11"
check "simple averages MFN 7.2, preferential and applied 5.7, margin 1.5 (NA not 0: would give 6.0)" \
    "$(sq "$DB" "SELECT mfn_avg || '|' || pref_avg || '|' || ahs_avg || '|' || margin_pp $RI")" \
    "7.2|5.7|5.7|1.5"
check "preferential below MFN: 2 of 5 HS6 codes, 5 of 11 lines in them" \
    "$(sq "$DB" "SELECT n_hs6_pref_below_mfn || '|' || hs6_pref_below_mfn_pct || '|' || n_lines_in_cut_codes || '|' || lines_in_cut_codes_pct $RI")" \
    "2|40.0|5|45.4545"
check "national lines with a preference (Pref file beside AVEPref): 4 of 11" \
    "$(sq "$DB" "SELECT n_pref_lines || '|' || n_pref_base_lines || '|' || pref_lines_pct $RI")" \
    "4|11|36.3636"
check "duty-free: 1 of 5 codes, 3 of 11 lines, 1 of 11 million US\$" \
    "$(sq "$DB" "SELECT duty_free_hs6_pct || '|' || duty_free_lines_pct || '|' || duty_free_value_pct $RI")" \
    "20.0|27.2727|9.0909"
check "weights: Russia's own 2022 imports (not 2021, not Iran's mirror), 11 million US\$" \
    "$(sq "$DB" "SELECT weights_source || '|' || weights_basis || '|' || weights_year || '|' || weights_classification || '|' || weights_value_usd $RI")" \
    "wits|imports as RUS reports|2022|H6|11000000"
check "trade-weighted MFN 92/11, applied 67/11; 8 of 11 million in codes cut" \
    "$(sq "$DB" "SELECT weighted_mfn_avg || '|' || weighted_ahs_avg || '|' || value_pref_below_mfn_pct $RI")" \
    "8.3636|6.0909|72.7273"
check "the NA row stays NULL in fact_tariff" \
    "$(sq "$DB" "SELECT coalesce(t.simple_avg, 'NULL') || '|' || t.n_na_lines || '/' || t.n_lines FROM fact_tariff t JOIN dim_product p USING (product_id) WHERE t.importer_id = 643 AND t.dataset = 'AVEMFN' AND p.code = '240220'")" \
    "NULL|3/3"
check "an unknown scheme code: a row of its own, no country, no weights" \
    "$(sq "$DB" "SELECT partner_kind || '|' || n_hs6_pref_below_mfn || '|' || hs6_pref_below_mfn_pct || '|' || pref_avg || '|' || pref_lines_pct || '|' || duty_free_lines_pct || '|' || coalesce(weights_source, 'NULL') || '|' || coalesce(weighted_ahs_avg, 'NULL') FROM v_tariff_summary WHERE importer = 'RUS' AND partner = 'GSPX'")" \
    "scheme|1|20.0|6.2|27.2727|9.0909|NULL|NULL"

IE="FROM v_tariff_summary WHERE importer = 'IRN' AND partner = 'EAEU' AND year = 2023"
check "IRN on EAEU 2023, the group as given: 3 codes, 5 lines, averages" \
    "$(sq "$DB" "SELECT partner_kind || '|' || n_hs6 || '|' || n_hs6_na || '|' || n_lines || '|' || mfn_avg || '|' || pref_avg || '|' || ahs_avg || '|' || margin_pp $IE")" \
    "group|3|0|5|26.6667|21.0|21.0|5.6667"
check "IRN on EAEU: 2 of 3 codes cut, 3 of 5 lines, no Pref file (NULL, not 0)" \
    "$(sq "$DB" "SELECT hs6_pref_below_mfn_pct || '|' || lines_in_cut_codes_pct || '|' || coalesce(pref_lines_pct, 'NULL') || '|' || duty_free_hs6_pct || '|' || duty_free_lines_pct $IE")" \
    "66.6667|60.0|NULL|33.3333|20.0"
check "IRN on EAEU: weights summed over the members (RUS + KAZ), 2023, not 2024" \
    "$(sq "$DB" "SELECT weights_source || '|' || weights_basis || '|' || weights_year || '|' || weights_value_usd || '|' || value_pref_below_mfn_pct || '|' || duty_free_value_pct || '|' || weighted_ahs_avg || '|' || weighted_mfn_avg $IE")" \
    "wits|imports as IRN reports|2023|7000000|71.4286|57.1429|16.1429|20.2857"
check "the group expands to a row per member of 2023" \
    "$(sq "$DB" "SELECT group_concat(partner || ':' || partner_kind || ':' || pref_codes, ' ') FROM (SELECT * FROM v_tariff_summary WHERE importer = 'IRN' AND year = 2023 ORDER BY partner)")" \
    "ARM:country:EAEU BLR:country:EAEU EAEU:group:EAEU KAZ:country:EAEU KGZ:country:EAEU RUS:country:EAEU"
check "member row RUS: its own imports only, 4 of 4 million in codes cut" \
    "$(sq "$DB" "SELECT hs6_pref_below_mfn_pct || '|' || weights_value_usd || '|' || value_pref_below_mfn_pct || '|' || weighted_ahs_avg FROM v_tariff_summary WHERE importer = 'IRN' AND partner = 'RUS'")" \
    "66.6667|4000000|100.0|3.25"
check "member row ARM: no trade data, every weight column NULL" \
    "$(sq "$DB" "SELECT coalesce(weights_source, 'NULL') || '|' || coalesce(weights_year, 'NULL') || '|' || coalesce(weights_value_usd, 'NULL') || '|' || coalesce(weighted_ahs_avg, 'NULL') || '|' || coalesce(value_pref_below_mfn_pct, 'NULL') FROM v_tariff_summary WHERE importer = 'IRN' AND partner = 'ARM'")" \
    "NULL|NULL|NULL|NULL|NULL"

# the claims (fixtures/tiny-tariff/claims_tiny_tariff.csv): every definition and its verdict
A="FROM v_claim_check WHERE article = 'Tiny fixture (tariff claim A)'"
B="FROM v_claim_check WHERE article = 'Tiny fixture (tariff claim B)'"
cv() {   # cv WHERE-CLAUSE DEFINITION: computed|diff|verdict|is_closest of one definition
    sq "$DB" "SELECT coalesce(computed_value, 'NULL') || '|' || coalesce(diff_pct, 'NULL') || '|' || verdict || '|' || is_closest $1 AND definition = '$2'"
}
check "claim A '40 %': HS6 codes 2/5 = 40.0, consistent, closest" \
    "$(cv "$A" "HS6 codes cut: RUS tariff on IRN, 2 of 5")" "40.0|0.0|consistent|1"
check "claim A: Pref lines 4/11 = 36.36, overstated by 10%" \
    "$(cv "$A" "pref. lines: RUS tariff on IRN, 4 of 11")" "36.36|10.0|overstated|0"
check "claim A: lines in cut codes 5/11 = 45.45, understated" \
    "$(cv "$A" "lines in cut codes: RUS tariff on IRN, 5 of 11")" "45.45|-12.0|understated|0"
check "claim A: import value 8/11 = 72.73 (weights wits 2022), understated" \
    "$(cv "$A" "value in cut codes: RUS tariff on IRN, wits 2022")" "72.73|-45.0|understated|0"
check "claim A, other side: Iran's tariff on RUS (through EAEU) 2/3 codes" \
    "$(cv "$A" "other side, HS6 codes cut: IRN tariff on RUS, 2 of 3")" "66.67|-40.0|understated|0"
check "claim A, other side: no Pref file for Iran is 'no data'" \
    "$(cv "$A" "other side, pref. lines: IRN tariff on RUS, no Pref file")" "NULL|NULL|no data|0"
check "claim A, other side: lines 3/5" \
    "$(cv "$A" "other side, lines in cut codes: IRN tariff on RUS, 3 of 5")" "60.0|-33.33|understated|0"
check "claim A, other side: value 4/4 of Iran's imports from RUS 2023" \
    "$(cv "$A" "other side, value in cut codes: IRN tariff on RUS, wits 2023")" "100.0|-60.0|understated|0"
check "claim A: 8 definitions" "$(sq "$DB" "SELECT count(*) $A")" "8"
check "claim B 'EAEU 90 %': the member with a schedule (RUS) applies it; value 72.73 closest" \
    "$(cv "$B" "value in cut codes: RUS tariff on IRN, wits 2022")" "72.73|23.75|overstated|1"
check "claim B: HS6 codes 40.0, overstated" \
    "$(cv "$B" "HS6 codes cut: RUS tariff on IRN, 2 of 5")" "40.0|125.0|overstated|0"
check "claim B, other side: Iran on the EAEU group, value 5/7 of members' goods" \
    "$(cv "$B" "other side, value in cut codes: IRN tariff on EAEU, wits 2023")" "71.43|26.0|overstated|0"
check "claim B, other side: HS6 codes 2/3" \
    "$(cv "$B" "other side, HS6 codes cut: IRN tariff on EAEU, 2 of 3")" "66.67|35.0|overstated|0"
check "built-in claim 3 (2025, no schedule that year): one 'no data' row" \
    "$(sq "$DB" "SELECT count(*) || '|' || definition || '|' || verdict FROM v_claim_check WHERE claim_id = 3")" \
    "1|tariff lines cut: no EAEU schedule with preferences, 2025|no data"

# the two views agree with each other and with v_claim_check
same_as_claim_check() {
    sq "$1" "SELECT count(*) FROM v_claim_check_tariff t
             LEFT JOIN v_claim_check c ON c.claim_id = t.claim_id AND c.definition = t.definition
              AND c.source IS t.source
             WHERE c.claim_id IS NULL OR c.verdict IS NOT t.verdict OR c.diff_pct IS NOT t.diff_pct
                OR c.computed_value IS NOT round(t.computed_value, 2)"
}
same_as_summary() {   # definitions 1, 3, 4 against the summary row of the same side
    sq "$1" "SELECT count(*) FROM v_claim_check_tariff t
             JOIN v_tariff_summary s ON s.importer = t.importer AND s.partner = t.partner
              AND s.year = t.year AND s.source = t.source
             WHERE round(t.computed_value, 4) IS NOT CASE
                   WHEN t.definition LIKE '%HS6 codes cut:%' THEN s.hs6_pref_below_mfn_pct
                   WHEN t.definition LIKE '%pref. lines:%' THEN s.pref_lines_pct
                   WHEN t.definition LIKE '%lines in cut codes:%' THEN s.lines_in_cut_codes_pct
                   ELSE s.value_pref_below_mfn_pct END"
}
check "every tariff definition appears in v_claim_check with the same figures" \
    "$(same_as_claim_check "$DB")" "0"
check "the claim check computes what v_tariff_summary shows" "$(same_as_summary "$DB")" "0"

# fact_trade (the view over fact_trade_packed) is read by key range only (no scan, no automatic index)
for v in v_claim_check_tariff v_tariff_summary; do
    run sqlite3 "$DB" "EXPLAIN QUERY PLAN SELECT * FROM $v"
    if grep -qE "(SCAN|AUTOMATIC).* f( |$)|(SCAN|SEARCH) f USING AUTOMATIC|SCAN fact_trade" "$WORK/out" \
       || ! grep -qE "SEARCH (f|fact_trade_packed) USING INTEGER PRIMARY KEY" "$WORK/out"; then
        not_ok "$v reads fact_trade by key range only" "$(grep -E ' f |fact_trade' "$WORK/out")"
    else
        ok "$v reads fact_trade by key range only"
    fi
done

# a scheme taught its members: the lowest preference that reaches a country counts
sq "$DB" "INSERT INTO tariff_partner_group (group_code, country_id) VALUES ('GSPX', 364)"
check "IRN also reached through GSPX: 870323 at 10, 3 of 5 codes cut" \
    "$(sq "$DB" "SELECT pref_codes || '|' || hs6_pref_below_mfn_pct || '|' || pref_avg || '|' || pref_lines_pct $RI")" \
    "364+GSPX|60.0|4.7|63.6364"
check "GSPX is now a group" \
    "$(sq "$DB" "SELECT partner_kind FROM v_tariff_summary WHERE importer = 'RUS' AND partner = 'GSPX'")" "group"
check "the claim check follows: 3 of 5 codes (tied closest with the other side's 3 of 5 lines)" \
    "$(cv "$A" "HS6 codes cut: RUS tariff on IRN, 3 of 5")" "60.0|-33.33|understated|1"
check "... and still agrees with the summary" "$(same_as_summary "$DB")" "0"

# ---------- fixtures/wits-tariff, BACI as weights, the built-in "about 90 percent" ----------
DB=$WORK/w.db
expect_rc "wits-tariff, BACI and user claims import" 0 "$TR" import --db "$DB" \
    "$FIX"/wits-tariff/*.csv "$FIX"/baci/*.csv "$FIX"/claims/my_claims.csv
S="FROM v_tariff_summary WHERE importer = 'RUS' AND partner = 'IRN'"
check "RUS on IRN 2022: 240220 without ad-valorem data left out, 10 of 59 (fixtures/README.md)" \
    "$(sq "$DB" "SELECT n_hs6 || '|' || n_hs6_na || '|' || n_hs6_pref_below_mfn || '|' || hs6_pref_below_mfn_pct $S AND year = 2022")" \
    "59|1|10|16.9492"
check "RUS on IRN 2024: AVEPref used, Pref file's lines 15 of 118 (7 NA lines out of 125)" \
    "$(sq "$DB" "SELECT dataset || '|' || n_hs6_pref_below_mfn || '/' || n_hs6 || '|' || n_pref_lines || '|' || n_pref_base_lines || '|' || pref_lines_pct $S AND year = 2024")" \
    "AVEPref|10/60|15|118|12.7119"
check "RUS on IRN 2025: 53 of 60 codes; 108 of 125 lines in them; no Pref file" \
    "$(sq "$DB" "SELECT hs6_pref_below_mfn_pct || '|' || n_lines_in_cut_codes || '|' || n_lines || '|' || lines_in_cut_codes_pct || '|' || coalesce(pref_lines_pct, 'NULL') $S AND year = 2025")" \
    "88.3333|108|125|86.4|NULL"
# BACI 2022 Iran -> Russia: 12 products summing to the headline 1,040,000,000; 080252
# (88,883,288) is not among the 60 tariff codes, the other 11 are all cut in 2025.
check "RUS on IRN 2025: weights BACI 2022 (latest earlier year), all weighted codes cut" \
    "$(sq "$DB" "SELECT weights_source || '|' || weights_basis || '|' || weights_year || '|' || weights_classification || '|' || weights_value_usd || '|' || value_pref_below_mfn_pct $S AND year = 2025")" \
    "baci|BACI, reconciled|2022|H5|951116712|100.0"
check "IRN on EAEU 2025: 53 of 60 codes, 111 of 127 lines (870323: 1 of 4 lines NA)" \
    "$(sq "$DB" "SELECT hs6_pref_below_mfn_pct || '|' || n_lines_in_cut_codes || '|' || n_lines || '|' || lines_in_cut_codes_pct FROM v_tariff_summary WHERE importer = 'IRN' AND partner = 'EAEU' AND year = 2025")" \
    "88.3333|111|127|87.4016"
check "IRN on EAEU 2024: Pref file's lines 22 of 127" \
    "$(sq "$DB" "SELECT n_pref_lines || '|' || n_pref_base_lines || '|' || pref_lines_pct FROM v_tariff_summary WHERE importer = 'IRN' AND partner = 'EAEU' AND year = 2024")" \
    "22|127|17.3228"

C3="FROM v_claim_check WHERE claim_id = 3"
cv3() { sq "$DB" "SELECT coalesce(computed_value, 'NULL') || '|' || coalesce(diff_pct, 'NULL') || '|' || verdict || '|' || is_closest $C3 AND definition = '$1'"; }
check "'about 90 percent': HS6 codes 53/60 = 88.33, consistent within 5%" \
    "$(cv3 "HS6 codes cut: RUS tariff on IRN, 53 of 60")" "88.33|1.89|consistent|1"
check "'about 90 percent': lines in cut codes 108/125 = 86.4, consistent" \
    "$(cv3 "lines in cut codes: RUS tariff on IRN, 108 of 125")" "86.4|4.17|consistent|0"
check "'about 90 percent': national lines per the Pref file: none for 2025, no data" \
    "$(cv3 "pref. lines: RUS tariff on IRN, no Pref file")" "NULL|NULL|no data|0"
check "'about 90 percent': import value (BACI 2022) 100%, understated" \
    "$(cv3 "value in cut codes: RUS tariff on IRN, baci 2022")" "100.0|-10.0|understated|0"
check "'about 90 percent', other side: Iran's lines 111/127 = 87.4, consistent" \
    "$(cv3 "other side, lines in cut codes: IRN tariff on EAEU, 111 of 127")" "87.4|2.97|consistent|0"
check "'about 90 percent', other side: Iran's HS6 codes 53/60, tied closest" \
    "$(cv3 "other side, HS6 codes cut: IRN tariff on EAEU, 53 of 60")" "88.33|1.89|consistent|1"
check "the user's '87% of Iran's lines' claim: closest is Iran's lines 87.4" \
    "$(sq "$DB" "SELECT definition || '|' || computed_value || '|' || diff_pct || '|' || verdict FROM v_claim_check WHERE paraphrase LIKE '%87%' AND is_closest = 1")" \
    "lines in cut codes: IRN tariff on EAEU, 111 of 127|87.4|-0.46|consistent"
check "every tariff definition appears in v_claim_check with the same figures (wits-tariff)" \
    "$(same_as_claim_check "$DB")" "0"
check "the claim check computes what v_tariff_summary shows (wits-tariff)" \
    "$(same_as_summary "$DB")" "0"
expect_rc "claims prints the tariff definitions" 0 "$TR" claims --db "$DB"
check_grep "claims table: HS6 codes 53 of 60 (88.3%, 90 stated: +1.7 pp), consistent" \
    "HS6 codes cut: RUS tariff on IRN, 53 of 60 +wits +88\.3% +\+1\.7 pp +consistent" "$WORK/out"
expect_rc "invariants hold" 0 "$TR" check --db "$DB"
finish
