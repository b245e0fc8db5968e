/* testutil.h — small helpers shared by the unit tests (include after cmocka.h). */
#ifndef GK_TESTUTIL_H
#define GK_TESTUTIL_H

#include <stdlib.h>
#include <string.h>

#include <unicode/ucnv.h>

/* Encode UTF8 into the charset TO with ICU; returns a malloc'd buffer. */
static inline unsigned char *encode(const char *to, const char *utf8, size_t *len)
{
    size_t cap = strlen(utf8) * 4 + 16;
    char *out = malloc(cap);
    assert_non_null(out);
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = ucnv_convert(to, "UTF-8", out, (int32_t)cap, utf8, -1, &st);
    assert_true(U_SUCCESS(st));
    *len = (size_t)n;
    return (unsigned char *)out;
}

#endif
