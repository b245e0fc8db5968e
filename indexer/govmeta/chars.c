/* chars.c — folded code points, character classes and string tests. */
#include <string.h>

#include "govmeta_int.h"
#include "utf8.h"

/* Full-width ASCII forms to ASCII and the ideographic space to a space:
 * the part of NFKC the layout rules rely on, one code point at a time. */
static uint32_t fold(uint32_t c)
{
    if (c >= 0xFF01 && c <= 0xFF5E)
        return c - 0xFEE0;
    if (c == 0x3000)
        return ' ';
    return c;
}

/* The three-byte sequence at P as a code point, or 0 when it is not a
 * well-formed one (overlong forms and surrogates included): the common
 * case of CJK text, decoded without the general decoder. */
static uint32_t three(const unsigned char *p)
{
    if ((p[0] & 0xF0) != 0xE0 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
        return 0;
    uint32_t c = ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    return c >= 0x800 && (c < 0xD800 || c > 0xDFFF) ? c : 0;
}

uint32_t gm_next(const char *s, size_t len, size_t *i)
{
    const unsigned char *p = (const unsigned char *)s + *i;
    if (p[0] < 0x80) {
        (*i)++;
        return p[0];
    }
    if (len - *i >= 3) {
        uint32_t c = three(p);
        if (c) {
            *i += 3;
            return fold(c);
        }
    }
    return fold(gk_utf8_next((const unsigned char *)s, len, i));
}

uint32_t gm_prev(const char *s, size_t from, size_t *i)
{
    size_t end = *i;
    if (end <= from)
        return 0;
    unsigned char b = (unsigned char)s[end - 1];
    if (b < 0x80) {
        *i = end - 1;
        return b;
    }
    if (end - from >= 3) {
        uint32_t c = three((const unsigned char *)s + end - 3);
        if (c) {
            *i = end - 3;
            return fold(c);
        }
    }
    /* Back over continuation bytes, never more than a sequence holds. */
    size_t j = end - 1;
    while (j > from && end - j < 4 && ((unsigned char)s[j] & 0xC0) == 0x80)
        j--;
    size_t k = j;
    uint32_t c = gk_utf8_next((const unsigned char *)s, end, &k);
    if (k == end) {
        *i = j;
        return fold(c);
    }
    /* The last byte does not end a sequence that starts after FROM. */
    *i = end - 1;
    return 0xFFFD;
}

int gm_is_blank(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == 0xA0 || c == 0x3000 ||
           (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x205F || c == 0xFEFF;
}

int gm_is_digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}

int gm_is_han(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF);
}

int gm_is_letter(uint32_t c)
{
    return gm_is_han(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

int gm_is_sentence_punct(uint32_t c)
{
    return c == 0x3002 || c == ',' || c == ';' || c == '!' || c == '?' || c == ':';
}

size_t gm_nchars(const char *s, size_t len)
{
    size_t i = 0, n = 0;
    while (i < len) {
        gk_utf8_next((const unsigned char *)s, len, &i);
        n++;
    }
    return n;
}

int gm_has_prefix(const char *s, size_t len, const char *prefix)
{
    size_t m = strlen(prefix);
    return len >= m && memcmp(s, prefix, m) == 0;
}

int gm_has_suffix(const char *s, size_t len, const char *suffix)
{
    size_t m = strlen(suffix);
    return len >= m && memcmp(s + len - m, suffix, m) == 0;
}

const char *gm_find(const char *s, size_t len, const char *needle)
{
    return memmem(s, len, needle, strlen(needle));
}

int gm_any(const char *s, size_t len, int (*pred)(uint32_t))
{
    size_t i = 0;
    while (i < len)
        if (pred(gm_next(s, len, &i)))
            return 1;
    return 0;
}

void gm_trim(const char **s, size_t *len)
{
    size_t b = 0, e = *len, i = 0;
    while (i < e) {
        size_t j = i;
        if (!gm_is_blank(gm_next(*s, e, &j)))
            break;
        i = j;
    }
    b = i;
    while (e > b) {
        size_t j = e;
        if (!gm_is_blank(gm_prev(*s, b, &j)))
            break;
        e = j;
    }
    *s += b;
    *len = e - b;
}

void gm_put_clean(gk_buf_t *b, const char *s, size_t len)
{
    size_t i = 0, run = 0;
    while (i < len) {
        size_t j = i;
        uint32_t c = gk_utf8_next((const unsigned char *)s, len, &j);
        /* Valid bytes go out in runs. The decoder reads a bad byte as a
         * one-byte U+FFFD (a typed U+FFFD is three): only that is replaced.
         * NULs are dropped, so that values stay C strings. */
        if (c == 0xFFFD && j - i == 1) {
            gk_buf_append(b, s + run, i - run);
            gk_buf_puts(b, "\xEF\xBF\xBD");
            run = j;
        } else if (c == 0) {
            gk_buf_append(b, s + run, i - run);
            run = j;
        }
        i = j;
    }
    gk_buf_append(b, s + run, len - run);
}

void gm_put_folded(gk_buf_t *b, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint32_t c = gm_next(s, len, &i);
        if (gm_is_blank(c) || c == 0)
            continue;
        char out[4];
        gk_buf_append(b, out, (size_t)gk_utf8_put(c, out));
    }
}

char *gm_strdup_clean(const char *s, size_t len)
{
    gk_buf_t b = GK_BUF_INIT;
    gm_put_clean(&b, s, len);
    return gk_buf_steal(&b);
}
