/* utf8.c — strict UTF-8 (RFC 3629) validation and decoding. */
#include "utf8.h"

/* Length of the sequence a lead byte starts, 0 for bytes that cannot lead. */
static int lead_len(unsigned char c)
{
    if (c < 0x80) return 1;
    if (c < 0xC2) return 0;
    if (c < 0xE0) return 2;
    if (c < 0xF0) return 3;
    if (c < 0xF5) return 4;
    return 0;
}

/* Decode one sequence; returns its length or 0 when invalid. */
static int decode(const unsigned char *s, size_t len, uint32_t *cp)
{
    int n = lead_len(s[0]);
    if (n == 0 || (size_t)n > len)
        return 0;
    if (n == 1) {
        *cp = s[0];
        return 1;
    }
    uint32_t c = s[0] & (0x7F >> n);
    for (int k = 1; k < n; k++) {
        if ((s[k] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[k] & 0x3F);
    }
    static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (c < min[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

int gk_utf8_valid(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t c;
        int n = decode(s + i, len - i, &c);
        if (!n)
            return 0;
        i += (size_t)n;
    }
    return 1;
}

uint32_t gk_utf8_next(const unsigned char *s, size_t len, size_t *i)
{
    uint32_t c;
    int n = decode(s + *i, len - *i, &c);
    if (!n) {
        (*i)++;
        return 0xFFFD;
    }
    *i += (size_t)n;
    return c;
}

int gk_utf8_put(uint32_t c, char *out)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}
