/*
 * The packed natural key of fact_trade: one 62-bit integer ordered as
 * source | year | month | reporter | classification | partner | flow | product,
 * so a sorted file appends in key order, duplicates collide, and one partition
 * (source, year, month, reporter, classification) is one contiguous key range.
 * Pure functions on integers; nothing is allocated.
 */
#ifndef TR_FACTKEY_H
#define TR_FACTKEY_H

#include <stdint.h>

#define TR_KEY_YEAR_MIN 1900
#define TR_KEY_YEAR_MAX 2155

/* Each part's place in the key: the one definition, used by tr_factkey_pack below and by
 * the SQL views, into whose embedded text tools/embed_sql.sh writes these numbers wherever
 * the SQL says @TR_KEY_...@ (and the flows' numbers for @TR_FLOW_NAME(x)@, @TR_FLOW_ID(x)@);
 * tests/cli/test_key_layout.sh fails on a view that types one of them as a number. */
#define TR_KEY_SOURCE_SHIFT 59
#define TR_KEY_YEAR_SHIFT 51
#define TR_KEY_MONTH_SHIFT 47
#define TR_KEY_REPORTER_SHIFT 37
#define TR_KEY_CLASS_SHIFT 34
#define TR_KEY_PARTNER_SHIFT 24
#define TR_KEY_FLOW_SHIFT 20
#define TR_KEY_PRODUCT_MASK 1048575
/* Each part's width, as the mask of its bits once shifted down (key >> shift & mask). */
#define TR_KEY_SOURCE_MASK 7
#define TR_KEY_YEAR_MASK 255
#define TR_KEY_MONTH_MASK 15
#define TR_KEY_COUNTRY_MASK 1023
#define TR_KEY_CLASS_MASK 7
#define TR_KEY_FLOW_MASK 15
/* The flows by their number in the key, 1 first (tr_flow_name) */
#define TR_KEY_FLOWS "X", "M", "RX", "RM", "XIP", "XOP", "MIP", "MOP", "DX", "FM"

/* Prefixes of the key, as shifts: key >> shift is the part named, and every key sharing it
 * lies in [prefix << shift, ((prefix + 1) << shift) - 1]. */
#define TR_KEY_GROUP_SHIFT TR_KEY_FLOW_SHIFT      /* source..flow: one sum_trade row */
#define TR_KEY_PAIR_SHIFT TR_KEY_PARTNER_SHIFT    /* source..partner */
#define TR_KEY_PARTITION_SHIFT TR_KEY_CLASS_SHIFT /* source, year, month, reporter, revision */
#define TR_KEY_PERIOD_SHIFT TR_KEY_MONTH_SHIFT    /* source, year, month */

struct tr_factkey {
    int source;         /* 1..7 */
    int year;           /* 1900..2155 */
    int month;          /* 0 = annual, 1..12 */
    int reporter;       /* country id 1..1023 */
    int classification; /* 0..7 */
    int partner;        /* country id 1..1023 */
    int flow;           /* 1..15 */
    int product;        /* product id 1..1048575 */
};

static inline int64_t tr_factkey_pack(const struct tr_factkey *k)
{
    return (int64_t)((uint64_t)k->source << TR_KEY_SOURCE_SHIFT |
                     (uint64_t)(k->year - TR_KEY_YEAR_MIN) << TR_KEY_YEAR_SHIFT |
                     (uint64_t)k->month << TR_KEY_MONTH_SHIFT |
                     (uint64_t)k->reporter << TR_KEY_REPORTER_SHIFT |
                     (uint64_t)k->classification << TR_KEY_CLASS_SHIFT |
                     (uint64_t)k->partner << TR_KEY_PARTNER_SHIFT |
                     (uint64_t)k->flow << TR_KEY_FLOW_SHIFT | (uint64_t)k->product);
}

static inline void tr_factkey_unpack(int64_t key, struct tr_factkey *k)
{
    uint64_t v = (uint64_t)key;
    k->product = (int)(v & TR_KEY_PRODUCT_MASK);
    k->flow = (int)(v >> TR_KEY_FLOW_SHIFT & TR_KEY_FLOW_MASK);
    k->partner = (int)(v >> TR_KEY_PARTNER_SHIFT & TR_KEY_COUNTRY_MASK);
    k->classification = (int)(v >> TR_KEY_CLASS_SHIFT & TR_KEY_CLASS_MASK);
    k->reporter = (int)(v >> TR_KEY_REPORTER_SHIFT & TR_KEY_COUNTRY_MASK);
    k->month = (int)(v >> TR_KEY_MONTH_SHIFT & TR_KEY_MONTH_MASK);
    k->year = (int)(v >> TR_KEY_YEAR_SHIFT & TR_KEY_YEAR_MASK) + TR_KEY_YEAR_MIN;
    k->source = (int)(v >> TR_KEY_SOURCE_SHIFT & TR_KEY_SOURCE_MASK);
}

/* 1 when every part is in range for packing. */
static inline int tr_factkey_valid(const struct tr_factkey *k)
{
    return k->source >= 1 && k->source <= TR_KEY_SOURCE_MASK && k->year >= TR_KEY_YEAR_MIN &&
           k->year <= TR_KEY_YEAR_MAX && k->month >= 0 && k->month <= 12 && k->reporter >= 1 &&
           k->reporter <= TR_KEY_COUNTRY_MASK && k->classification >= 0 &&
           k->classification <= TR_KEY_CLASS_MASK && k->partner >= 1 &&
           k->partner <= TR_KEY_COUNTRY_MASK && k->flow >= 1 && k->flow <= TR_KEY_FLOW_MASK &&
           k->product >= 1 && k->product <= TR_KEY_PRODUCT_MASK;
}

#endif
