/* fold.c — look-alike ideographs to unified ones (fold.h). */
#include "fold.h"

#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/utf8.h>

/* Does C have a unified ideograph to fold to? Kangxi radicals map under
 * NFKC (compatibility), the compatibility ideographs under NFC (their
 * decompositions are canonical). The CJK Radicals Supplement (U+2E80–2EFF)
 * is left alone: Unicode gives nearly none of it a mapping. */
static const UNormalizer2 *normalizer_for(UChar32 c)
{
    UErrorCode err = U_ZERO_ERROR;
    if (c >= 0x2F00 && c <= 0x2FD5)
        return unorm2_getNFKCInstance(&err);
    if ((c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F))
        return unorm2_getNFCInstance(&err);
    return NULL;
}

/* Lead bytes of the ranges above: E2 BC–BF (U+2F00–2FFF), EF A4–AB
 * (U+F900–FAFF), F0 AF (U+2F800–2FFFF). A cheap test before decoding. */
static int may_fold(const unsigned char *p, size_t left)
{
    if (left < 3)
        return 0;
    if (p[0] == 0xE2)
        return p[1] >= 0xBC && p[1] <= 0xBF;
    if (p[0] == 0xEF)
        return p[1] >= 0xA4 && p[1] <= 0xAB;
    return p[0] == 0xF0 && p[1] == 0xAF;
}

/* The unified ideograph for C, or C itself. */
static UChar32 fold_one(UChar32 c)
{
    const UNormalizer2 *n = normalizer_for(c);
    if (!n)
        return c;
    UChar out[4];
    UErrorCode err = U_ZERO_ERROR;
    int32_t len = unorm2_getDecomposition(n, c, out, 4, &err);
    if (U_FAILURE(err) || len <= 0)
        return c;
    UChar32 first;
    int32_t i = 0;
    U16_NEXT(out, i, len, first);
    /* Only a mapping to one character is a look-alike fold. */
    return i == len ? first : c;
}

gk_status_t gk_fold_ideographs(gk_buf_t *text)
{
    if (gk_buf_failed(text))
        return GK_ERR_NOMEM;
    unsigned char *s = (unsigned char *)text->data;
    size_t len = text->len, i = 0;
    while (i < len) {
        if (!may_fold(s + i, len - i)) {
            i++;
            continue;
        }
        int32_t pos = (int32_t)i, end = (int32_t)(len - i > 4 ? i + 4 : len);
        UChar32 c;
        U8_NEXT(s, pos, end, c);
        if (c < 0) {
            i++;
            continue;
        }
        UChar32 f = fold_one(c);
        size_t old_len = (size_t)pos - i;
        if (f != c && (size_t)U8_LENGTH(f) <= old_len) {
            /* Every fold target here is a BMP or plane-2 ideograph of 3 or
             * 4 bytes, never longer than the source; close the gap. */
            unsigned char enc[4];
            int32_t n = 0;
            UBool bad = 0;
            U8_APPEND(enc, n, 4, f, bad);
            if (!bad) {
                memcpy(s + i, enc, (size_t)n);
                if ((size_t)n < old_len) {
                    memmove(s + i + n, s + pos, len - (size_t)pos);
                    len -= old_len - (size_t)n;
                }
                i += (size_t)n;
                continue;
            }
        }
        i = (size_t)pos;
    }
    text->len = len;
    if (text->data)
        text->data[len] = '\0';
    return GK_OK;
}
