/*
 * One trade flow as the importers make it and the loader writes it: the declaration the
 * import (src/import/) and the load (src/load/) share, with no code of its own.
 * Ownership: the strings a fact points to belong to whoever filled it (the format's row).
 */
#ifndef TR_FACT_H
#define TR_FACT_H

#include <stdint.h>

#define TR_MISSING_INT INT64_MIN

/* One trade flow, ready for fact_trade. Missing numbers are NAN / TR_MISSING_INT. */
struct tr_fact {
    int source_id;
    int classification;    /* 0..6 = H0..H6 */
    int year, month;       /* month 0 = annual */
    int reporter, partner; /* country ids */
    int flow;              /* tr_flow_id */
    int product;           /* product id */
    int64_t value_usd;
    double net_wgt_kg;
    double qty;
    const char *qty_unit; /* NULL = none */
    int64_t cif_usd, fob_usd;
    int flags; /* 1 qty estimated, 2 weight estimated */
    /* Breakdown rows (not the totals over 2nd partner / customs / transport mode). */
    int breakdown;
    int partner2; /* country id or 0 */
    const char *customs_code, *mot_code;
};

#endif
