/* tagging.c — deciding an item's metadata and recording why (tagging.h). */
#include "tagging.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "govmeta.h"

/* A printed title must be at least this likely to replace the file's own
 * (a heading, metadata or the first line), and the text must be laid out
 * as a 公文: the layout rules read law texts, reports and web pages less
 * well than their own headings say. */
#define TITLE_MIN_CONFIDENCE 0.85

void gk_tags_free(gk_tags_t *t)
{
    char **s[] = {&t->title, &t->docno,        &t->date,       &t->organ,      &t->recipients,
                  &t->type,  &t->category,     &t->cited_docnos, &t->provenance, &t->archive_code};
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
        free(*s[i]);
        *s[i] = NULL;
    }
}

/* Record in PROV that FIELD was decided by RULE with CONFIDENCE. */
static void why(json_t *prov, const char *field, const char *rule, double confidence)
{
    json_object_set_new(prov, field, json_pack("{s:s, s:f}", "rule", rule, "confidence", confidence));
}

/* Take the govmeta value of field K into *dst, recording why. */
static void take(gk_govmeta_t *m, gk_govmeta_field_t k, char **dst, json_t *prov)
{
    if (!m->value[k])
        return;
    *dst = m->value[k];
    m->value[k] = NULL;
    why(prov, gk_govmeta_field_name(k), m->rule[k] ? m->rule[k] : "layout", m->confidence[k]);
}

static char *join_cited(const gk_govmeta_t *m)
{
    size_t n = 0;
    for (size_t i = 0; i < m->ncited; i++)
        n += strlen(m->cited[i]) + 1;
    if (n == 0)
        return NULL;
    char *s = malloc(n), *p = s;
    if (!s)
        return NULL;
    for (size_t i = 0; i < m->ncited; i++) {
        size_t k = strlen(m->cited[i]);
        memcpy(p, m->cited[i], k);
        p += k;
        *p++ = ';';
    }
    p[-1] = '\0';
    return s;
}

/* Does the text carry the marks of a 公文: its own 文号, a 主送机关, a date
 * standing under a signature, or a 纪要's head (office and date)? */
static int laid_out_as_gongwen(const gk_govmeta_t *m)
{
    static const char *const date_rules[] = {"date-under-signature", "date-signature-line", "date-head-line"};
    if (m->value[GK_META_DOCNO] || m->value[GK_META_RECIPIENTS])
        return 1;
    for (size_t i = 0; m->rule[GK_META_DATE] && i < sizeof date_rules / sizeof date_rules[0]; i++)
        if (strcmp(m->rule[GK_META_DATE], date_rules[i]) == 0)
            return 1;
    return 0;
}

/* Markdown heading marks ("## 标题") are markup, not title. */
static void strip_heading_marks(char *title)
{
    size_t n = strspn(title, "#");
    if (n > 0 && (title[n] == ' ' || title[n] == '\t')) {
        n += strspn(title + n, " \t");
        memmove(title, title + n, strlen(title + n) + 1);
    }
}

/* Replace *DST by the manifest's VALUE (when given), recording why. */
static int from_manifest(char **dst, const char *value, const char *field, const gk_manifest_row_t *row,
                         json_t *prov)
{
    if (!value || !*value)
        return 1;
    char *copy = strdup(value);
    if (!copy)
        return 0;
    free(*dst);
    *dst = copy;
    char rule[64];
    snprintf(rule, sizeof rule, "manifest line %d", row->line);
    why(prov, field, rule, 1.0);
    return 1;
}

/* The manifest's values over what the text said; the command line's
 * --type, --category and --visibility still win. */
static int apply_manifest(const gk_manifest_row_t *row, const gk_tag_given_t *given, gk_tags_t *out, json_t *prov)
{
    char *docno = row->docno ? gk_docno_normalise(row->docno) : NULL;
    int ok = from_manifest(&out->title, row->title, "title", row, prov) &&
             from_manifest(&out->docno, docno ? docno : row->docno, "docno", row, prov) &&
             from_manifest(&out->date, row->date, "date", row, prov) &&
             from_manifest(&out->organ, row->organ, "organ", row, prov) &&
             from_manifest(&out->archive_code, row->archive_code, "archive_code", row, prov);
    free(docno);
    if (row->visibility >= 0 && !given->visibility_given) {
        out->visibility = (gk_visibility_t)row->visibility;
        char rule[64];
        snprintf(rule, sizeof rule, "manifest line %d", row->line);
        why(prov, "visibility", rule, 1.0);
    }
    out->pages = row->pages;
    return ok;
}

gk_status_t gk_tag_item(const gk_fields_t *f, const char *file_title, const gk_tag_given_t *given, gk_tags_t *out)
{
    memset(out, 0, sizeof *out);
    out->pages = -1;
    gk_govmeta_t m;
    if (gk_govmeta_extract(gk_buf_str(&f->body), f->body.len, &m) != GK_OK)
        return GK_ERR_NOMEM;
    json_t *prov = json_object();

    if (m.value[GK_META_TITLE])
        strip_heading_marks(m.value[GK_META_TITLE]);
    int printed = m.value[GK_META_TITLE] && *m.value[GK_META_TITLE];
    int have_own = f->title && *f->title;
    if (printed && (!have_own || (m.confidence[GK_META_TITLE] >= TITLE_MIN_CONFIDENCE && laid_out_as_gongwen(&m)))) {
        take(&m, GK_META_TITLE, &out->title, prov);
    } else if (have_own) {
        out->title = strdup(f->title);
        why(prov, "title", "file metadata or first line", 0.5);
    } else {
        out->title = strdup(file_title ? file_title : "");
        why(prov, "title", "file name", 0.2);
    }
    take(&m, GK_META_DOCNO, &out->docno, prov);
    take(&m, GK_META_DATE, &out->date, prov);
    take(&m, GK_META_RECIPIENTS, &out->recipients, prov);
    take(&m, GK_META_ORGAN, &out->organ, prov);
    if (!out->organ && f->author && *f->author) {
        out->organ = strdup(f->author);
        why(prov, "organ", "file metadata author", 0.3);
    }
    if (given->type) {
        out->type = strdup(given->type);
        why(prov, "type", "command line", 1.0);
    } else {
        take(&m, GK_META_TYPE, &out->type, prov);
    }

    out->visibility = given->visibility;
    if (given->visibility_given) {
        why(prov, "visibility", "command line", 1.0);
    } else if (m.value[GK_META_VISIBILITY] &&
               gk_visibility_parse(m.value[GK_META_VISIBILITY], &out->visibility) == GK_OK) {
        why(prov, "visibility", m.rule[GK_META_VISIBILITY] ? m.rule[GK_META_VISIBILITY] : "printed",
            m.confidence[GK_META_VISIBILITY]);
    } else {
        out->visibility = given->visibility;
        why(prov, "visibility", "default", 0.5);
    }

    if (given->row && !apply_manifest(given->row, given, out, prov)) {
        json_decref(prov);
        gk_govmeta_free(&m);
        gk_tags_free(out);
        return GK_ERR_NOMEM;
    }
    /* The 文种 follows the manifest's title, which wins over the printed one. */
    if (given->row && !given->type && out->title) {
        const char *t = gk_doctype_of_title(out->title);
        char *copy = t ? strdup(t) : NULL;
        if (copy) {
            free(out->type);
            out->type = copy;
            why(prov, "type", "type-of-manifest-title", 0.9);
        }
    }

    out->year = given->year;
    if (!out->year && out->date && strlen(out->date) >= 4)
        out->year = atoi(out->date);

    if (given->category) {
        out->category = strdup(given->category);
        why(prov, "category", "command line", 1.0);
    } else if (given->classifier) {
        gk_classify_input_t in = {out->type, out->title, out->organ, gk_buf_str(&f->body), f->body.len};
        gk_classification_t c;
        gk_classify(given->classifier, &in, &c);
        if (c.category) {
            out->category = strdup(c.category->name);
            why(prov, "category", c.rule, c.confidence);
        }
    }
    out->cited_docnos = join_cited(&m);
    out->provenance = json_dumps(prov, JSON_COMPACT | JSON_REAL_PRECISION(3));
    json_decref(prov);
    gk_govmeta_free(&m);
    if (!out->title || !out->provenance || (given->category && !out->category) || (given->type && !out->type)) {
        gk_tags_free(out);
        return GK_ERR_NOMEM;
    }
    return GK_OK;
}
