/*
 * SHA-256 for file identity in load_log: the same bytes are never loaded twice.
 * OpenSSL's libcrypto computes it (with the CPU's SHA instructions where there are any, about
 * six times the speed of plain C): the checksum of a 300 MB file must not cost more than
 * reading it. The one-call SHA256_* interface needs no allocation, so it cannot fail.
 */
#define OPENSSL_SUPPRESS_DEPRECATED /* SHA256_Init & co.: deprecated in 3.0, kept, no heap */
#include "tr/sha256.h"

#include <stdio.h>

void tr_sha256_init(struct tr_sha256 *s)
{
    SHA256_Init(&s->ctx);
}

void tr_sha256_update(struct tr_sha256 *s, const void *data, size_t n)
{
    SHA256_Update(&s->ctx, data, n);
}

void tr_sha256_final_hex(struct tr_sha256 *s, char hex[65])
{
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256_Final(digest, &s->ctx);
    for (int i = 0; i < SHA256_DIGEST_LENGTH; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
}
