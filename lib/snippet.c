/*
 * snippet.c — a short extract of a document around what the query matched,
 * with <mark> around each match. Matching runs on folded text (the same
 * folding as the index), and marks land on the original bytes through the
 * folded characters' offsets, so full-width or upper-case text is marked
 * as typed in the document.
 */
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "utf8.h"

#define MAX_HITS 4096

typedef struct span {
    size_t from, to; /* folded character indexes, [from, to) */
    int mark;        /* which mark matched */
} span_t;

/* Decode a folded mark into code points (caller frees). */
static uint32_t *decode(const char *s, size_t *n)
{
    size_t len = strlen(s), i = 0;
    uint32_t *cp = malloc((len + 1) * sizeof *cp);
    if (!cp)
        return NULL;
    *n = 0;
    while (i < len)
        cp[(*n)++] = gk_utf8_next((const unsigned char *)s, len, &i);
    return cp;
}

static int span_cmp(const void *a, const void *b)
{
    const span_t *x = a, *y = b;
    return x->from < y->from ? -1 : x->from > y->from;
}

/* Append the original bytes [from, to) with whitespace runs collapsed. */
static void put_text(gk_buf_t *b, const char *text, size_t from, size_t to)
{
    size_t run = from;
    for (size_t i = from; i < to; i++) {
        char c = text[i];
        if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
            gk_buf_append_html(b, text + run, i - run);
            if (b->len == 0 || b->data[b->len - 1] != ' ')
                gk_buf_putc(b, ' ');
            run = i + 1;
        }
    }
    gk_buf_append_html(b, text + run, to - run);
}

/*
 * The snippet of one chunk of the text, or NULL when NEED_HIT is set and
 * nothing matches in it. MORE_BEFORE: text precedes this chunk.
 */
static char *chunk_snippet(const char *text, size_t len, const char *const *marks, size_t nmarks, size_t width,
                           int need_hit, int more_before)
{
    gk_folded_char_t *fc = NULL;
    size_t n = 0;
    gk_buf_t out = GK_BUF_INIT;
    span_t *hits = NULL;
    size_t nhits = 0;
    if (gk_fold(text, len, &fc, &n) != GK_OK)
        return need_hit ? NULL : strdup("");
    hits = malloc(MAX_HITS * sizeof *hits);
    if (!hits)
        goto done;
    for (size_t m = 0; m < nmarks; m++) {
        size_t mn;
        uint32_t *mc = decode(marks[m], &mn);
        if (!mc || mn == 0) {
            free(mc);
            continue;
        }
        int word = gk_is_word_char(mc[0]);
        for (size_t i = 0; i + mn <= n && nhits < MAX_HITS; i++) {
            if (fc[i].cp != mc[0])
                continue;
            size_t k = 1;
            while (k < mn && fc[i + k].cp == mc[k])
                k++;
            if (k < mn)
                continue;
            /* A word must stand alone: "ip" is not inside "ship". */
            if (word && ((i > 0 && gk_is_word_char(fc[i - 1].cp)) ||
                         (i + mn < n && gk_is_word_char(fc[i + mn].cp))))
                continue;
            hits[nhits++] = (span_t){i, i + mn, (int)m};
        }
        free(mc);
    }
    if (need_hit && nhits == 0) {
        free(hits);
        free(fc);
        return NULL;
    }
    qsort(hits, nhits, sizeof *hits, span_cmp);

    /* The window of WIDTH characters holding the most distinct marks. */
    size_t best_start = 0, best_score = 0;
    for (size_t h = 0; h < nhits; h++) {
        size_t start = hits[h].from > width / 4 ? hits[h].from - width / 4 : 0;
        unsigned long seen = 0;
        size_t score = 0;
        for (size_t k = h; k < nhits && hits[k].to <= start + width; k++) {
            unsigned long bit = 1ul << (hits[k].mark % 64);
            score += (seen & bit) ? 1 : 8;
            seen |= bit;
        }
        if (score > best_score) {
            best_score = score;
            best_start = start;
        }
    }
    size_t end = best_start + width < n ? best_start + width : n;
    if (best_start > 0 || more_before)
        gk_buf_puts(&out, "…");
    size_t at = n ? fc[best_start].start : 0; /* byte offset written so far */
    int marked = 0;                             /* a mark has been written */
    for (size_t h = 0; h < nhits; h++) {
        if (hits[h].from < best_start || hits[h].to > end)
            continue;
        size_t from = fc[hits[h].from].start, to = fc[hits[h].to - 1].end;
        if (from < at)
            continue; /* overlaps a mark already written */
        if (from == at && marked && out.len >= 7) {
            out.len -= 7; /* adjacent to the previous mark: extend it */
            out.data[out.len] = '\0';
        } else {
            put_text(&out, text, at, from);
            gk_buf_puts(&out, "<mark>");
        }
        put_text(&out, text, from, to);
        gk_buf_puts(&out, "</mark>");
        at = to;
        marked = 1;
    }
    if (n)
        put_text(&out, text, at, fc[end - 1].end);
    if (end < n)
        gk_buf_puts(&out, "…");
done:
    free(hits);
    free(fc);
    char *s = gk_buf_steal(&out);
    return s ? s : strdup("");
}

/* Move P back to the start of the UTF-8 character it is in. */
static size_t char_start(const char *text, size_t p)
{
    while (p > 0 && ((unsigned char)text[p] & 0xC0) == 0x80)
        p--;
    return p;
}

/*
 * The snippet around the earliest mark found in the raw bytes, or NULL when
 * none is. Most marks (Chinese, lower-case words) stand in the text as they
 * are, so only a window around that mark is folded: snippets are made for
 * every hit of every search, and folding whole documents dominated search
 * time. MORE: TEXT is only the start of the document; then NULL also when
 * the window would reach past what is here.
 */
static char *fast_snippet(const char *text, size_t len, int more, const char *const *marks, size_t nmarks,
                          size_t width)
{
    const char *first = NULL;
    for (size_t m = 0; m < nmarks; m++) {
        /* Once a match is known, only one starting before it matters; the
         * haystack never reaches past the text. */
        size_t span = first ? (size_t)(first - text) + strlen(marks[m]) : len;
        const char *at = memmem(text, span < len ? span : len, marks[m], strlen(marks[m]));
        if (at && (!first || at < first))
            first = at;
    }
    if (!first)
        return NULL;
    size_t from = char_start(text, (size_t)(first - text) > width ? (size_t)(first - text) - width : 0);
    size_t to = (size_t)(first - text) + 6 * width;
    if (more && to >= len)
        return NULL;
    to = to >= len ? len : char_start(text, to);
    char *s = chunk_snippet(text + from, to - from, marks, nmarks, width, 1, from > 0);
    if (s && to < len && !(strlen(s) >= 3 && strcmp(s + strlen(s) - 3, "…") == 0)) {
        gk_buf_t b = GK_BUF_INIT;
        gk_buf_puts(&b, s);
        gk_buf_puts(&b, "…");
        free(s);
        s = gk_buf_steal(&b);
    }
    return s;
}

char *gk__snippet_of_start(const char *text, size_t len, const char *const *marks, size_t nmarks, size_t width)
{
    /* Leave out a character cut at the end. */
    if (len > 0) {
        size_t last = char_start(text, len - 1);
        unsigned char lead = (unsigned char)text[last];
        size_t need = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        if (last + need > len)
            len = last;
    }
    return fast_snippet(text, len, 1, marks, nmarks, width);
}

char *gk__snippet(const char *text, size_t len, const char *const *marks, size_t nmarks, size_t width)
{
    char *s = fast_snippet(text, len, 0, marks, nmarks, width);
    if (s)
        return s;
    /* The first chunk holding a match; folding chunk by chunk bounds memory. */
    for (size_t from = 0; from < len;) {
        size_t end = gk_text_chunk_end(text, len, from, GK_TEXT_CHUNK);
        char *s = chunk_snippet(text + from, end - from, marks, nmarks, width, 1, from > 0);
        if (s)
            return s;
        from = end;
    }
    return chunk_snippet(text, gk_text_chunk_end(text, len, 0, GK_TEXT_CHUNK), marks, nmarks, width, 0, 0);
}
