/* utf8.h — UTF-8 validation and decoding of single code points. */
#ifndef GK_UTF8_H
#define GK_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Non-zero when S[0..len) is valid UTF-8: no overlong forms, no surrogates,
 * nothing above U+10FFFF. */
int gk_utf8_valid(const unsigned char *s, size_t len);

/* Decode the code point at S[*i] (S has LEN bytes) and advance *i.
 * Invalid bytes give U+FFFD and advance by one. */
uint32_t gk_utf8_next(const unsigned char *s, size_t len, size_t *i);

/* Encode C into OUT (4 bytes room); returns the number of bytes. */
int gk_utf8_put(uint32_t c, char *out);

#endif
