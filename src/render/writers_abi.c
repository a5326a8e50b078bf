/*
 * Part of tradereport-writers.so only: the figures a binary checks before it calls the
 * writers (tr/writers.h), so an object left from another version is refused, not called with
 * a struct of another shape.
 */
#include "tr/writers.h"

const struct tr_writers_abi tr_writers_abi = {TR_WRITERS_ABI, sizeof(struct tr_report)};
