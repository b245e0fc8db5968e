/*
 * layout.c — the title, the 主送机关 and an organ line under the title,
 * from where they are printed.
 *
 * The title is the block of lines just above the body (the 主送机关 line
 * or the first paragraph), once the lines of the 版头 are set aside. When
 * the block nearest the body does not end with a 文种 (a section heading
 * such as 项目概况, or the organ line of a speech), the nearest block
 * above it that does is taken: a title names its type, headings do not.
 */
#include <string.h>

#include "govmeta_int.h"

/* A title is printed on one to three lines; a block of more than this is
 * not taken whole. */
#define MAX_TITLE_LINES 4
/* Bytes of a title, joined: anything longer is prose. */
#define MAX_TITLE_BYTES 1024
/* Without a body, the title is looked for among the first lines only. */
#define MAX_HEAD_LINES 30

#define NONE ((size_t)-1)

void gm_find_docno(const gm_lines_t *L, gm_layout_t *lay)
{
    lay->docno_line = NONE;
    lay->decree_mark = NONE;
    size_t end = lay->body < L->n ? lay->body : (L->n < MAX_HEAD_LINES ? L->n : MAX_HEAD_LINES);
    for (size_t i = 0; i < end; i++) {
        gm_kind_t k = gm_kind(L, i);
        if (k == GM_DOCNO && gm_docno_line(L->v[i].s, L->v[i].len, &lay->docno)) {
            lay->docno_line = i;
            return;
        }
        if (k == GM_DECREE) {
            lay->docno_line = i;
            lay->decree_mark = i - 1;
            return;
        }
    }
}

/* The lines [a, b] joined into BUF (NUL-terminated); 0 when too long. */
static size_t join(const gm_lines_t *L, size_t a, size_t b, char *buf, size_t cap)
{
    size_t n = 0;
    for (size_t i = a; i <= b; i++) {
        if (n + L->v[i].len + 1 > cap)
            return 0;
        memcpy(buf + n, L->v[i].s, L->v[i].len);
        n += L->v[i].len;
    }
    buf[n] = '\0';
    return n;
}

/* The 文种 that lines [a, b] end with as one title, or NULL. */
static const char *block_type(const gm_lines_t *L, size_t a, size_t b)
{
    char buf[MAX_TITLE_BYTES];
    size_t n = join(L, a, b, buf, sizeof buf);
    int printed;
    return n ? gm_doctype(buf, n, &printed) : NULL;
}

/* The last line E in [a, b] such that lines [a, e] end with a 文种, or
 * NONE. Printed without blank lines, a title runs straight into what
 * follows it (a heading, an organ line): its first lines are the typed ones. */
static size_t typed_end(const gm_lines_t *L, size_t a, size_t b)
{
    for (size_t e = b + 1; e-- > a;)
        if (block_type(L, a, e))
            return e;
    return NONE;
}

/* The block of text lines that ends at line B: no blank line and no line
 * of another kind inside it. */
static size_t block_start(const gm_lines_t *L, size_t b)
{
    size_t a = b;
    while (a > 0 && L->v[a].gap == 0 && gm_kind(L, a - 1) == GM_TEXT)
        a--;
    return a;
}

static void choose(gm_layout_t *lay, size_t a, size_t b, double conf, const char *rule)
{
    lay->title_from = a;
    lay->title_to = b + 1;
    lay->title_conf = conf;
    lay->title_rule = rule;
}

/* No body was recognised: the first block of the head that names a type,
 * else the first block. */
static void title_from_top(const gm_lines_t *L, gm_layout_t *lay)
{
    size_t end = L->n < MAX_HEAD_LINES ? L->n : MAX_HEAD_LINES, first = NONE, first_end = 0;
    for (size_t i = 0; i < end; i++) {
        if (gm_kind(L, i) != GM_TEXT)
            continue;
        size_t b = i;
        while (b + 1 < end && L->v[b + 1].gap == 0 && gm_kind(L, b + 1) == GM_TEXT)
            b++;
        if (b - i + 1 <= MAX_TITLE_LINES) {
            if (block_type(L, i, b)) {
                choose(lay, i, b, 0.6, "title-first-lines");
                return;
            }
            if (first == NONE) {
                first = i;
                first_end = b;
            }
        }
        i = b;
    }
    if (first != NONE)
        choose(lay, first, first_end, 0.4, "title-first-lines");
}

void gm_find_title(const gm_lines_t *L, gm_layout_t *lay)
{
    lay->title_from = lay->title_to = 0;
    lay->title_conf = 0;
    lay->title_rule = NULL;
    if (lay->body >= L->n) {
        title_from_top(L, lay);
        return;
    }
    int recipients = gm_is_recipients(&L->v[lay->body]);
    size_t nearest_a = NONE, nearest_b = NONE;
    size_t i = recipients ? gm_recipients_start(L, lay->body) : lay->body;
    while (i > 0) {
        i--;
        if (gm_kind(L, i) != GM_TEXT)
            continue;
        size_t b = i, a = block_start(L, b);
        i = a;
        /* Of an overlong block, only the last lines can be the title. */
        if (b - a + 1 > MAX_TITLE_LINES)
            a = b + 1 - MAX_TITLE_LINES;
        int nearest = nearest_a == NONE;
        if (nearest) {
            nearest_a = a;
            nearest_b = b;
        }
        size_t e = typed_end(L, a, b);
        if (e == NONE)
            continue;
        int whole = e == b;
        b = e;
        if (!whole)
            choose(lay, a, b, 0.75, "title-typed-lines");
        else if (lay->docno_line != NONE && b < lay->docno_line)
            choose(lay, a, b, 0.85, "title-above-docno");
        else if (nearest)
            choose(lay, a, b, recipients ? 0.95 : 0.9, recipients ? "title-before-recipients" : "title-before-body");
        else
            choose(lay, a, b, 0.8, "title-typed-block");
        return;
    }
    if (nearest_a != NONE)
        choose(lay, nearest_a, nearest_b, 0.55, recipients ? "title-before-recipients" : "title-before-body");
}

void gm_put_title(gk_buf_t *b, const gm_lines_t *L, const gm_layout_t *lay)
{
    for (size_t i = lay->title_from; i < lay->title_to; i++)
        gm_put_clean(b, L->v[i].s, L->v[i].len);
}

size_t gm_find_recipients(const gm_lines_t *L, const gm_layout_t *lay, size_t *first)
{
    if (lay->body >= L->n || lay->title_to == lay->title_from || lay->title_to > lay->body ||
        !gm_is_recipients(&L->v[lay->body]))
        return NONE;
    *first = gm_recipients_start(L, lay->body);
    if (*first < lay->title_to)
        *first = lay->title_to;
    return lay->body;
}

size_t gm_find_organ_line(const gm_lines_t *L, const gm_layout_t *lay)
{
    if (lay->title_to == lay->title_from)
        return NONE;
    size_t end = lay->body < L->n ? lay->body : L->n;
    if (end > lay->title_to + MAX_HEAD_LINES)
        end = lay->title_to + MAX_HEAD_LINES;
    for (size_t i = lay->title_to; i < end; i++)
        if (gm_kind(L, i) == GM_TEXT && gm_organ_fields(L->v[i].s, L->v[i].len, 1, NULL, 0) > 0)
            return i;
    return NONE;
}
