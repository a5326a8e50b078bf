/*
 * The --shard YEARS=URL options of a publish: parsed and checked against each other and the
 * target before any connection is made, so a bad command line writes nothing anywhere. The
 * URL is only kept, never printed or checked here (pgconn.c checks it when connecting).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr/publish.h"

/* Years a fact partition can hold: four digits, as the partition names (fact_trade_y2021) */
#define YEAR_MIN 1000
#define YEAR_MAX 9999

/* a four-digit year at *p, advancing *p past it; -1 when there is none */
static int read_year(const char **p)
{
    int y = 0, n = 0;
    while (isdigit((unsigned char)**p) && n < 5) {
        y = y * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    return n == 4 && y >= YEAR_MIN && y <= YEAR_MAX ? y : -1;
}

int tr_publish_shard_parse(const char *arg, struct tr_publish_shard *s, struct tr_err *e)
{
    const char *p = arg;
    memset(s, 0, sizeof(*s));
    s->from = s->to = read_year(&p);
    if (s->from >= 0 && *p == '-') {
        p++;
        s->to = read_year(&p);
    }
    if (s->from < 0 || s->to < 0 || *p != '=' || !p[1])
        return tr_err_set(e, TR_EUSAGE,
                          "--shard: want YEARS=URL, YEARS a year or FROM-TO "
                          "(four digits each)");
    if (s->to < s->from)
        return tr_err_set(e, TR_EUSAGE, "--shard: the range %d-%d runs backwards", s->from,
                          s->to);
    s->url = p + 1;
    if (s->from == s->to)
        snprintf(s->label, sizeof(s->label), "%d", s->from);
    else
        snprintf(s->label, sizeof(s->label), "%d-%d", s->from, s->to);
    return TR_OK;
}

int tr_publish_check_shards(const struct tr_publish_opts *o, struct tr_err *e)
{
    for (int i = 0; i < o->n_shards; i++) {
        const struct tr_publish_shard *a = &o->shards[i];
        /* the same text only: two spellings of one server are not recognised (documented) */
        if (o->target && strcmp(a->url, o->target) == 0)
            return tr_err_set(e, TR_EUSAGE,
                              "--shard %s: the shard is the --to server; "
                              "its years stay there without --shard",
                              a->label);
        for (int j = 0; j < i; j++) {
            const struct tr_publish_shard *b = &o->shards[j];
            if (a->from <= b->to && b->from <= a->to)
                return tr_err_set(e, TR_EUSAGE, "--shard %s overlaps --shard %s", a->label,
                                  b->label);
        }
    }
    return TR_OK;
}
