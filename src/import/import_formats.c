/*
 * The table of input formats, in detection order. Adding a format: write import_<name>.c
 * defining a const struct tr_format, declare it here, add it to the table.
 */
#include <string.h>

#include "tr/import.h"

extern const struct tr_format tr_format_baci;
extern const struct tr_format tr_format_baci_countries;
extern const struct tr_format tr_format_baci_products;
extern const struct tr_format tr_format_wits_trade;
extern const struct tr_format tr_format_wits_tariff;
extern const struct tr_format tr_format_comtrade;
extern const struct tr_format tr_format_comtrade_legacy;
extern const struct tr_format tr_format_claims;

const struct tr_format *const tr_formats[] = {
    &tr_format_baci,
    &tr_format_baci_countries,
    &tr_format_baci_products,
    &tr_format_wits_trade,
    &tr_format_wits_tariff,
    &tr_format_comtrade,
    &tr_format_comtrade_legacy,
    &tr_format_claims,
    NULL,
};

const struct tr_format *tr_format_find(const char *name)
{
    for (size_t i = 0; tr_formats[i]; i++)
        if (strcmp(tr_formats[i]->name, name) == 0)
            return tr_formats[i];
    return NULL;
}
