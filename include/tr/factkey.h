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

/* Prefixes of the key, as shifts: key >> shift is the part named, and every key sharing it
 * lies in [prefix << shift, ((prefix + 1) << shift) - 1]. */
#define TR_KEY_GROUP_SHIFT 20      /* source..flow: one sum_trade row */
#define TR_KEY_PAIR_SHIFT 24       /* source..partner */
#define TR_KEY_PARTITION_SHIFT 34  /* source, year, month, reporter, classification */
#define TR_KEY_REPORTER_SHIFT 37   /* source, year, month, reporter */
#define TR_KEY_PERIOD_SHIFT 47     /* source, year, month */

struct tr_factkey {
    int source;          /* 1..7 */
    int year;            /* 1900..2155 */
    int month;           /* 0 = annual, 1..12 */
    int reporter;        /* country id 1..1023 */
    int classification;  /* 0..7 */
    int partner;         /* country id 1..1023 */
    int flow;            /* 1..15 */
    int product;         /* product id 1..1048575 */
};

static inline int64_t tr_factkey_pack(const struct tr_factkey *k)
{
    uint64_t v = (uint64_t)k->source;
    v = (v << 8) | (uint64_t)(k->year - TR_KEY_YEAR_MIN);
    v = (v << 4) | (uint64_t)k->month;
    v = (v << 10) | (uint64_t)k->reporter;
    v = (v << 3) | (uint64_t)k->classification;
    v = (v << 10) | (uint64_t)k->partner;
    v = (v << 4) | (uint64_t)k->flow;
    v = (v << 20) | (uint64_t)k->product;
    return (int64_t)v;
}

static inline void tr_factkey_unpack(int64_t key, struct tr_factkey *k)
{
    uint64_t v = (uint64_t)key;
    k->product = (int)(v & 0xFFFFF), v >>= 20;
    k->flow = (int)(v & 0xF), v >>= 4;
    k->partner = (int)(v & 0x3FF), v >>= 10;
    k->classification = (int)(v & 0x7), v >>= 3;
    k->reporter = (int)(v & 0x3FF), v >>= 10;
    k->month = (int)(v & 0xF), v >>= 4;
    k->year = (int)(v & 0xFF) + TR_KEY_YEAR_MIN, v >>= 8;
    k->source = (int)(v & 0x7);
}

/* 1 when every part is in range for packing. */
static inline int tr_factkey_valid(const struct tr_factkey *k)
{
    return k->source >= 1 && k->source <= 7 && k->year >= TR_KEY_YEAR_MIN &&
           k->year <= TR_KEY_YEAR_MAX && k->month >= 0 && k->month <= 12 && k->reporter >= 1 &&
           k->reporter <= 1023 && k->classification >= 0 && k->classification <= 7 &&
           k->partner >= 1 && k->partner <= 1023 && k->flow >= 1 && k->flow <= 15 &&
           k->product >= 1 && k->product <= 0xFFFFF;
}

#endif
