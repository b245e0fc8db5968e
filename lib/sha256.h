/* sha256.h — SHA-256 (FIPS 180-4), streaming. */
#ifndef GK_SHA256_H
#define GK_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct gk_sha256 {
    uint32_t h[8];
    uint64_t bytes;
    unsigned char block[64];
    size_t fill;
} gk_sha256_t;

void gk_sha256_init(gk_sha256_t *s);
void gk_sha256_update(gk_sha256_t *s, const void *data, size_t len);
/* Finish and write 64 lower-case hex digits and a NUL to HEX. */
void gk_sha256_hex(gk_sha256_t *s, char hex[65]);
/* One-shot convenience. */
void gk_sha256_buffer(const void *data, size_t len, char hex[65]);

#endif
