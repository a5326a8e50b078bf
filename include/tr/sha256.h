/*
 * SHA-256 (FIPS 180-4, computed by libcrypto), streaming. The state lives in the caller's struct;
 * nothing is allocated.
 */
#ifndef TR_SHA256_H
#define TR_SHA256_H

#include <stddef.h>
#include <stdint.h>

#ifndef OPENSSL_SUPPRESS_DEPRECATED
#define OPENSSL_SUPPRESS_DEPRECATED
#endif
#include <openssl/sha.h>

struct tr_sha256 {
    SHA256_CTX ctx;
};

void tr_sha256_init(struct tr_sha256 *s);
void tr_sha256_update(struct tr_sha256 *s, const void *data, size_t n);
/* Writes 64 lower-case hex digits and a NUL into hex[65]. */
void tr_sha256_final_hex(struct tr_sha256 *s, char hex[65]);

#endif
