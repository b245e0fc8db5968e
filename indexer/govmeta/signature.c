/*
 * signature.c — 发文机关署名 and 成文日期.
 *
 * GB/T 9704 prints the date on its own line right under the signing
 * organ(s), below the body and above 附注, 公开方式, 抄送 and the 印发
 * line. So the 成文日期 is the first date standing alone under an organ
 * name after the body begins: the printing date (…印发) never stands
 * alone, dates in the body sit inside sentences, and an attachment's
 * signature comes after the main document's.
 *
 * Documents that are not signed print their date elsewhere: in
 * parentheses under the title (决议: （…会议通过）), after a dash (a
 * speech: ——…在…会议上), or in the head beside the issuing office (纪要).
 */
#include <string.h>

#include "govmeta_int.h"

#define NONE ((size_t)-1)
/* Joint signatures stacked one organ a line: at most this many lines. */
#define MAX_SIGNATURE_LINES 4

/* The organ lines right above the date line I (none before FROM): the
 * first of them in *A. A blank line between name and date is tolerated
 * only when the name ends like an organ. */
static int organs_above(const gm_lines_t *L, size_t from, size_t i, size_t *a)
{
    if (i == 0 || i - 1 < from)
        return 0;
    size_t p = i - 1;
    if (!gm_organ_fields(L->v[p].s, L->v[p].len, L->v[i].gap != 0, NULL, 0))
        return 0;
    while (p > from && i - p < MAX_SIGNATURE_LINES && L->v[p].gap == 0 &&
           gm_organ_fields(L->v[p - 1].s, L->v[p - 1].len, 1, NULL, 0) == 1 && gm_kind(L, p - 1) == GM_TEXT)
        p--;
    *a = p;
    return 1;
}

static void set_date(gm_signature_t *sig, size_t line, const gm_date_t *d, double conf, const char *rule)
{
    sig->date = *d;
    sig->date_line = line;
    sig->date_conf = conf;
    sig->date_rule = rule;
}

static void set_organ(gm_signature_t *sig, size_t from, size_t to, int on_date_line, double conf, const char *rule)
{
    sig->organ_from = from;
    sig->organ_to = to;
    sig->organ_on_date_line = on_date_line;
    sig->organ_conf = conf;
    sig->organ_rule = rule;
}

/* The signature under the body: 1 when found. */
static int under_body(const gm_lines_t *L, size_t from, gm_signature_t *sig, size_t *alone, gm_date_t *alone_date)
{
    for (size_t i = from; i < L->n; i++) {
        const gm_line_t *l = &L->v[i];
        gm_date_t d;
        size_t a;
        if (l->len > GM_MAX_SHORT_LINE)
            continue;
        if (gm_date_whole(l->s, l->len, &d)) {
            if (organs_above(L, from, i, &a)) {
                set_date(sig, i, &d, 0.95, "date-under-signature");
                set_organ(sig, a, i, 0, 0.95, "organ-signature");
                return 1;
            }
            if (*alone == NONE) {
                *alone = i;
                *alone_date = d;
            }
        } else if (gm_kind(L, i) == GM_ORGAN_DATE && gm_date_find(l->s, l->len, &d)) {
            set_date(sig, i, &d, 0.85, "date-signature-line");
            set_organ(sig, i, i + 1, 1, 0.85, "organ-signature-line");
            return 1;
        }
    }
    return 0;
}

/* A date printed in the head or under the title of an unsigned document. */
static int in_head(const gm_lines_t *L, size_t end, gm_signature_t *sig)
{
    size_t head_line = NONE;
    for (size_t i = 0; i < end; i++) {
        gm_kind_t k = gm_kind(L, i);
        gm_date_t d;
        if ((k == GM_ADOPTED || k == GM_SPEECH) && gm_date_find(L->v[i].s, L->v[i].len, &d)) {
            set_date(sig, i, &d, 0.85, k == GM_ADOPTED ? "date-adopted-line" : "date-speech-line");
            return 1;
        }
        if (k == GM_ORGAN_DATE && head_line == NONE)
            head_line = i;
    }
    gm_date_t d;
    if (head_line != NONE && gm_date_find(L->v[head_line].s, L->v[head_line].len, &d)) {
        set_date(sig, head_line, &d, 0.8, "date-head-line");
        set_organ(sig, head_line, head_line + 1, 1, 0.75, "organ-head-line");
        return 1;
    }
    return 0;
}

void gm_find_signature(const gm_lines_t *L, const gm_layout_t *lay, gm_signature_t *sig)
{
    memset(sig, 0, sizeof *sig);
    sig->date_line = NONE;
    /* From the end of the title: a body recognised late (flush-left prose
     * without full stops) must not hide the signature above it. */
    size_t from = lay->title_to > lay->title_from && lay->title_to < lay->body ? lay->title_to : lay->body;
    if (from >= L->n)
        from = 0;
    size_t alone = NONE;
    gm_date_t alone_date;
    if (under_body(L, from, sig, &alone, &alone_date))
        return;
    size_t head_end = lay->body < L->n ? lay->body : lay->title_to;
    if (in_head(L, head_end, sig))
        return;
    if (alone != NONE)
        set_date(sig, alone, &alone_date, 0.6, "date-alone");
}
