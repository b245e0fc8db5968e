/*
 * govmeta.c — the metadata of one 公文, put together from the layout
 * (govmeta.h). Each field is decided by the strongest rule that finds
 * something, in this order:
 *
 *   文号      the 文号 line of the head
 *   标题      the block above the 主送机关 line or the first paragraph
 *   成文日期  the date under the signature; else under the title; else in the head
 *   发文机关  the signature; else the title (before 关于); else an organ
 *             line under the title; else the head (纪要); else the 发文机关标志
 *   主送机关  the line ending with a colon under the title
 *   文种      the title's ending
 *   公开方式  the printed 公开方式 line or （此件…） note
 */
#include <stdlib.h>
#include <string.h>

#include "govmeta_int.h"

/* Lines laid out: a 公文 has a few hundred; text beyond this many lines
 * is still searched for cited 文号 but not laid out. */
#define MAX_LINES 200000
/* Organs signed side by side or stacked. */
#define MAX_ORGANS 8

#define NONE ((size_t)-1)

/* Everything the rules found, before it becomes strings. */
typedef struct reading {
    gm_lines_t lines;
    gm_layout_t lay;
    gm_signature_t sig;
    gk_status_t rc; /* sticky: GK_ERR_NOMEM once an allocation failed */
} reading_t;

/* Take V (malloc'd, or NULL after a failed allocation) as field F. An
 * empty V is no value. */
static void set_field(reading_t *r, gk_govmeta_t *out, gk_govmeta_field_t f, char *v, double conf, const char *rule)
{
    if (!v) {
        r->rc = GK_ERR_NOMEM;
        return;
    }
    if (!*v) {
        free(v);
        return;
    }
    free(out->value[f]);
    out->value[f] = v;
    out->confidence[f] = conf;
    out->rule[f] = rule;
}

static void put_docno(reading_t *r, gk_govmeta_t *out)
{
    const gm_layout_t *lay = &r->lay;
    if (lay->docno_line == NONE)
        return;
    gk_buf_t b = GK_BUF_INIT;
    const gm_line_t *l = &r->lines.v[lay->docno_line];
    if (lay->decree_mark != NONE) {
        /* 国务院令 over 第711号: the two lines are one number. */
        const gm_line_t *m = &r->lines.v[lay->decree_mark];
        gm_put_folded(&b, m->s, m->len);
        gm_put_folded(&b, l->s, l->len);
        set_field(r, out, GK_META_DOCNO, gk_buf_steal(&b), 0.9, "docno-decree-head");
        return;
    }
    gm_docno_put(&b, l->s, &lay->docno);
    int signed_line = gm_find(l->s, l->len, "签发人") != NULL;
    set_field(r, out, GK_META_DOCNO, gk_buf_steal(&b), 0.95, signed_line ? "docno-signer-line" : "docno-line");
}

static void put_title(reading_t *r, gk_govmeta_t *out)
{
    const gm_layout_t *lay = &r->lay;
    if (lay->title_to == lay->title_from)
        return;
    gk_buf_t b = GK_BUF_INIT;
    gm_put_title(&b, &r->lines, lay);
    set_field(r, out, GK_META_TITLE, gk_buf_steal(&b), lay->title_conf, lay->title_rule);
}

static void put_type(reading_t *r, gk_govmeta_t *out)
{
    const char *title = out->value[GK_META_TITLE];
    if (!title)
        return;
    int printed;
    const char *type = gm_doctype(title, strlen(title), &printed);
    if (!type)
        return;
    double conf = out->confidence[GK_META_TITLE] < 0.9 ? out->confidence[GK_META_TITLE] : 0.9;
    set_field(r, out, GK_META_TYPE, strdup(type), conf, printed ? "type-printing-notice" : "type-title-suffix");
}

static void put_date(reading_t *r, gk_govmeta_t *out)
{
    const gm_signature_t *sig = &r->sig;
    if (sig->date_line == NONE)
        return;
    set_field(r, out, GK_META_DATE, gm_date_string(&sig->date), sig->date_conf, sig->date_rule);
}

/* Append the organ names of S[0..len) to B, ';' between them. */
static void put_organs(gk_buf_t *b, const char *s, size_t len, int want_suffix)
{
    gm_span_t f[MAX_ORGANS];
    size_t n = gm_organ_fields(s, len, want_suffix, f, MAX_ORGANS);
    for (size_t k = 0; k < n; k++) {
        if (b->len)
            gk_buf_putc(b, ';');
        gm_put_clean(b, f[k].s, f[k].len);
    }
}

/* The organs of lines [from, to); on a GM_ORGAN_DATE line, what stands
 * before the date. */
static char *organs_of_lines(const reading_t *r, size_t from, size_t to, int on_date_line)
{
    gk_buf_t b = GK_BUF_INIT;
    for (size_t i = from; i < to; i++) {
        const gm_line_t *l = &r->lines.v[i];
        gm_date_t d;
        size_t len = l->len;
        if (on_date_line && gm_date_find(l->s, l->len, &d))
            len = d.from;
        put_organs(&b, l->s, len, 0);
    }
    return gk_buf_steal(&b);
}

/* The issuer named at the head of the title: 青山县民政局 青山县财政局关于… */
static char *organs_of_title(const char *title)
{
    static const char *const WORDS[] = {"关于", "印发", "转发", "批转"};
    size_t len = strlen(title), end = len;
    for (size_t k = 0; k < sizeof WORDS / sizeof WORDS[0]; k++) {
        const char *p = gm_find(title, len, WORDS[k]);
        if (p && (size_t)(p - title) < end)
            end = (size_t)(p - title);
    }
    gk_buf_t b = GK_BUF_INIT;
    if (end < len && end > 0)
        put_organs(&b, title, end, 0);
    return gk_buf_steal(&b);
}

/* The 发文机关标志: organ lines, …文件 and …令 lines above the 文号 or title. */
static char *organs_of_mark(const reading_t *r)
{
    const gm_layout_t *lay = &r->lay;
    size_t end = lay->docno_line != NONE ? lay->docno_line : lay->title_from;
    gk_buf_t b = GK_BUF_INIT;
    for (size_t i = 0; i < end && i < r->lines.n; i++) {
        const gm_line_t *l = &r->lines.v[i];
        gm_kind_t k = gm_kind(&r->lines, i);
        if (k == GM_MARK && gm_has_suffix(l->s, l->len, "文件"))
            put_organs(&b, l->s, l->len - 6, 0);
        else if (k == GM_MARK && gm_has_suffix(l->s, l->len, "令"))
            put_organs(&b, l->s, l->len - 3, 0);
        else if (k == GM_TEXT)
            put_organs(&b, l->s, l->len, 1);
    }
    return gk_buf_steal(&b);
}

static void put_organ(reading_t *r, gk_govmeta_t *out)
{
    const gm_signature_t *sig = &r->sig;
    int head_line = sig->organ_rule && strcmp(sig->organ_rule, "organ-head-line") == 0;
    if (sig->organ_to > sig->organ_from && !head_line) {
        set_field(r, out, GK_META_ORGAN, organs_of_lines(r, sig->organ_from, sig->organ_to, sig->organ_on_date_line),
                  sig->organ_conf, sig->organ_rule);
        if (out->value[GK_META_ORGAN] || r->rc)
            return;
    }
    if (out->value[GK_META_TITLE]) {
        set_field(r, out, GK_META_ORGAN, organs_of_title(out->value[GK_META_TITLE]), 0.7, "organ-title");
        if (out->value[GK_META_ORGAN] || r->rc)
            return;
    }
    size_t line = gm_find_organ_line(&r->lines, &r->lay);
    if (line != NONE) {
        set_field(r, out, GK_META_ORGAN, organs_of_lines(r, line, line + 1, 0), 0.75, "organ-under-title");
        if (out->value[GK_META_ORGAN] || r->rc)
            return;
    }
    if (head_line) {
        set_field(r, out, GK_META_ORGAN, organs_of_lines(r, sig->organ_from, sig->organ_to, 1), sig->organ_conf,
                  sig->organ_rule);
        if (out->value[GK_META_ORGAN] || r->rc)
            return;
    }
    set_field(r, out, GK_META_ORGAN, organs_of_mark(r), 0.5, "organ-mark");
}

/* The 主送机关 without its colon, wrapped lines joined. */
static void put_recipients(reading_t *r, gk_govmeta_t *out)
{
    size_t first, last = gm_find_recipients(&r->lines, &r->lay, &first);
    if (last == NONE)
        return;
    gk_buf_t b = GK_BUF_INIT;
    for (size_t i = first; i <= last; i++) {
        const gm_line_t *l = &r->lines.v[i];
        const char *s = l->s;
        size_t e = l->len;
        if (i == last) {
            gm_prev(l->s, 0, &e); /* the colon */
            gm_trim(&s, &e);
        }
        gm_put_clean(&b, s, e);
    }
    set_field(r, out, GK_META_RECIPIENTS, gk_buf_steal(&b), 0.9, "recipients-under-title");
}

static void put_visibility(reading_t *r, gk_govmeta_t *out)
{
    const char *rule;
    double conf;
    const char *v = gm_find_visibility(&r->lines, 0, &rule, &conf);
    if (v)
        set_field(r, out, GK_META_VISIBILITY, strdup(v), conf, rule);
}

gk_status_t gk_govmeta_extract(const char *text, size_t len, gk_govmeta_t *out)
{
    memset(out, 0, sizeof *out);
    if (!text)
        len = 0;
    reading_t r;
    memset(&r, 0, sizeof r);
    if (gm_lines_split(text, len, MAX_LINES, &r.lines) != GK_OK)
        return GK_ERR_NOMEM;
    r.lay.body = gm_body_start(&r.lines);
    gm_find_docno(&r.lines, &r.lay);
    gm_find_title(&r.lines, &r.lay);
    gm_find_signature(&r.lines, &r.lay, &r.sig);

    put_docno(&r, out);
    put_title(&r, out);
    put_type(&r, out);
    put_date(&r, out);
    put_organ(&r, out);
    put_recipients(&r, out);
    put_visibility(&r, out);
    if (r.rc == GK_OK)
        r.rc = gm_find_cited(text, len, out->value[GK_META_DOCNO], &out->cited, &out->ncited);

    gm_lines_free(&r.lines);
    if (r.rc != GK_OK)
        gk_govmeta_free(out);
    return r.rc;
}

void gk_govmeta_free(gk_govmeta_t *m)
{
    if (!m)
        return;
    for (int f = 0; f < GK_META_NFIELDS; f++)
        free(m->value[f]);
    for (size_t i = 0; i < m->ncited; i++)
        free(m->cited[i]);
    free(m->cited);
    memset(m, 0, sizeof *m);
}

const char *gk_govmeta_field_name(gk_govmeta_field_t f)
{
    static const char *const NAMES[GK_META_NFIELDS] = {"title", "docno", "date", "organ",
                                                       "recipients", "type", "visibility"};
    return (unsigned)f < GK_META_NFIELDS ? NAMES[f] : NULL;
}
