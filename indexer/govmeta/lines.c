/* lines.c — the text as trimmed, non-blank lines, and lines as fields. */
#include <stdlib.h>
#include <string.h>

#include "govmeta_int.h"

/* Columns of a leading blank: a full-width space is as wide as an
 * ideograph (two columns), so 　　 and four ASCII spaces indent alike. */
static unsigned blank_width(const char *s, size_t len, size_t i, size_t *next)
{
    *next = i;
    uint32_t c = gm_next(s, len, next);
    if (*next - i == 3 && (unsigned char)s[i] == 0xE3 && c == ' ')
        return 2;
    return c == '\t' ? 4 : 1;
}

static gk_status_t push(gm_lines_t *out, size_t *cap, const gm_line_t *l)
{
    if (out->n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        gm_line_t *v = realloc(out->v, ncap * sizeof *v);
        if (!v)
            return GK_ERR_NOMEM;
        out->v = v;
        *cap = ncap;
    }
    out->v[out->n++] = *l;
    return GK_OK;
}

gk_status_t gm_lines_split(const char *text, size_t len, size_t max, gm_lines_t *out)
{
    out->v = NULL;
    out->n = 0;
    size_t cap = 0, pos = 0;
    unsigned gap = 0;
    while (pos < len && out->n < max) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        size_t next = nl ? end + 1 : len;
        /* CR LF ends a line as LF does; a lone CR ends one too. */
        const char *cr = memchr(text + pos, '\r', end - pos);
        if (cr) {
            size_t at = (size_t)(cr - text);
            next = at + 1 == end && nl ? end + 1 : at + 1;
            end = at;
        }
        unsigned indent = 0;
        size_t i = pos;
        while (i < end) {
            size_t j = i;
            uint32_t c = gm_next(text, end, &j);
            if (!gm_is_blank(c))
                break;
            indent += blank_width(text, end, i, &j);
            i = j;
        }
        const char *s = text + i;
        size_t n = end - i;
        gm_trim(&s, &n);
        if (n == 0) {
            gap = 1;
        } else {
            gm_line_t l = {s, n, indent, gap};
            if (push(out, &cap, &l) != GK_OK) {
                gm_lines_free(out);
                return GK_ERR_NOMEM;
            }
            gap = 0;
        }
        pos = next;
    }
    return GK_OK;
}

void gm_lines_free(gm_lines_t *l)
{
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

size_t gm_fields(const char *s, size_t len, gm_span_t *f, size_t max)
{
    size_t n = 0, i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len) {
            size_t k = j;
            if (!gm_is_blank(gm_next(s, len, &k)))
                break;
            j = k;
        }
        if (j >= len)
            break;
        size_t b = j;
        while (j < len) {
            size_t k = j;
            if (gm_is_blank(gm_next(s, len, &k)))
                break;
            j = k;
        }
        if (n < max) {
            f[n].s = s + b;
            f[n].len = j - b;
        }
        n++;
        i = j;
    }
    return n;
}
