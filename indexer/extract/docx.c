/*
 * docx.c — Word documents (Office Open XML, WordprocessingML), and the
 * package reading shared with xlsx.c and pptx.c (ooxml.h).
 *
 * The text comes from the main part (found through the package's
 * relationships, so WPS files whose parts are named differently work) in
 * reading order, then the footnotes, endnotes, headers, footers and
 * comments the main part links to. Tracked deletions, field codes and the
 * VML copies of text boxes (mc:Fallback) are not text the reader sees, so
 * they are skipped.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ooxml.h"

/* ------------------------------------------------------------------ */
/* Package: relationships, main part, properties (ooxml.h)              */
/* ------------------------------------------------------------------ */

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Append segment S[0..n) to the path in OUT, folding "." and "..";
 * 0 when ".." would climb above the package root. */
static int push_segment(gk_buf_t *out, const char *s, size_t n)
{
    if (n == 0 || (n == 1 && s[0] == '.'))
        return 1;
    if (n == 2 && s[0] == '.' && s[1] == '.') {
        if (out->len == 0)
            return 0;
        char *slash = memrchr(out->data, '/', out->len);
        out->len = slash ? (size_t)(slash - out->data) : 0;
        out->data[out->len] = '\0';
        return 1;
    }
    if (out->len)
        gk_buf_putc(out, '/');
    for (size_t i = 0; i < n; i++) {
        int h1, h2;
        if (s[i] == '%' && i + 2 < n && (h1 = hexval((unsigned char)s[i + 1])) >= 0 &&
            (h2 = hexval((unsigned char)s[i + 2])) >= 0) {
            gk_buf_putc(out, (char)(h1 * 16 + h2));
            i += 2;
        } else {
            gk_buf_putc(out, s[i]);
        }
    }
    return 1;
}

static int push_path(gk_buf_t *out, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        const char *slash = memchr(s + i, '/', n - i);
        size_t seg = slash ? (size_t)(slash - (s + i)) : n - i;
        if (!push_segment(out, s + i, seg))
            return 0;
        i += seg + 1;
    }
    return 1;
}

char *gk_ooxml_resolve(const char *base, const char *target)
{
    gk_buf_t out = GK_BUF_INIT;
    gk_buf_puts(&out, "");
    int ok = 1;
    if (target[0] != '/') {
        const char *slash = strrchr(base, '/');
        if (slash)
            ok = push_path(&out, base, (size_t)(slash - base));
    }
    /* A fragment or query is no part of the part name. */
    size_t n = strcspn(target, "#?");
    if (ok)
        ok = push_path(&out, target, n);
    if (!ok || out.len == 0 || gk_buf_failed(&out) || memchr(out.data, '\0', out.len)) {
        gk_buf_free(&out);
        return NULL;
    }
    return gk_buf_steal(&out);
}

gk_status_t gk_ooxml_optional(gk_status_t status, gk_fields_t *f)
{
    if (status == GK_ERR_TOO_LARGE || status == GK_ERR_NOMEM || status == GK_ERR_ENCRYPTED)
        return status;
    if (status != GK_OK)
        f->error[0] = '\0';
    return GK_OK;
}

gk_status_t gk_ooxml_read_part(gk_zip_t *z, const char *name, gk_buf_t *out, gk_fields_t *f)
{
    gk_buf_reset(out);
    return gk_zip_read_name(z, name, out, f);
}

/* The name of PART's relationship part: "dir/_rels/file.rels". */
static char *rels_name(const char *part)
{
    gk_buf_t b = GK_BUF_INIT;
    const char *slash = strrchr(part, '/');
    if (slash)
        gk_buf_append(&b, part, (size_t)(slash - part) + 1);
    gk_buf_puts(&b, "_rels/");
    gk_buf_puts(&b, slash ? slash + 1 : part);
    gk_buf_puts(&b, ".rels");
    return gk_buf_steal(&b);
}

static int rels_add(gk_ooxml_rels_t *rels, size_t *cap, char *id, char *type, char *target)
{
    if (rels->n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        gk_ooxml_rel_t *v = realloc(rels->v, ncap * sizeof *v);
        if (!v)
            return 0;
        rels->v = v;
        *cap = ncap;
    }
    rels->v[rels->n++] = (gk_ooxml_rel_t){id, type, target};
    return 1;
}

/* Walk a relationship part, adding each Relationship; the status of the read. */
static gk_status_t rels_parse(const gk_buf_t *xml, const char *part, const gk_extract_limits_t *lim,
                              gk_fields_t *f, gk_ooxml_rels_t *out)
{
    gk_xml_t *x;
    gk_status_t st = gk_xml_open(gk_buf_str(xml), xml->len, lim, f, &x);
    if (st != GK_OK)
        return st;
    size_t cap = 0;
    while (gk_xml_next(x) > 0) {
        if (!gk_xml_is_start(x, "Relationship"))
            continue;
        char *id = gk_xml_attr(x, "Id"), *type = gk_xml_attr(x, "Type"), *target = gk_xml_attr(x, "Target");
        char *mode = gk_xml_attr(x, "TargetMode");
        char *resolved = NULL;
        if (target && !(mode && strcmp(mode, "External") == 0))
            resolved = gk_ooxml_resolve(part, target);
        free(target);
        free(mode);
        if (id && type && rels_add(out, &cap, id, type, resolved))
            continue;
        int incomplete = !id || !type;
        free(id);
        free(type);
        free(resolved);
        if (!incomplete) {
            gk_xml_close(x);
            return gk_fields_fail(f, GK_ERR_NOMEM, "out of memory reading relationships");
        }
    }
    return gk_xml_close(x);
}

gk_status_t gk_ooxml_rels_read(gk_zip_t *z, const char *part, const gk_extract_limits_t *lim, gk_fields_t *f,
                               gk_ooxml_rels_t *out)
{
    out->v = NULL;
    out->n = 0;
    char *name = rels_name(part);
    if (!name)
        return gk_fields_fail(f, GK_ERR_NOMEM, "out of memory reading relationships");
    gk_buf_t xml = GK_BUF_INIT;
    gk_status_t st = gk_ooxml_read_part(z, name, &xml, f);
    if (st == GK_OK)
        st = rels_parse(&xml, part, lim, f, out);
    gk_buf_free(&xml);
    free(name);
    if (st == GK_ERR_NOT_FOUND)
        st = GK_OK;
    st = gk_ooxml_optional(st, f);
    if (st != GK_OK)
        gk_ooxml_rels_free(out);
    return st;
}

void gk_ooxml_rels_free(gk_ooxml_rels_t *rels)
{
    for (size_t i = 0; i < rels->n; i++) {
        free(rels->v[i].id);
        free(rels->v[i].type);
        free(rels->v[i].target);
    }
    free(rels->v);
    rels->v = NULL;
    rels->n = 0;
}

const gk_ooxml_rel_t *gk_ooxml_rel_id(const gk_ooxml_rels_t *rels, const char *id)
{
    for (size_t i = 0; id && i < rels->n; i++)
        if (strcmp(rels->v[i].id, id) == 0)
            return &rels->v[i];
    return NULL;
}

char *gk_ooxml_rid(gk_xml_t *x)
{
    xmlTextReaderPtr r = gk_xml_reader(x);
    if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT)
        return NULL;
    char *found = NULL;
    if (xmlTextReaderMoveToFirstAttribute(r) == 1) {
        do {
            const char *local = (const char *)xmlTextReaderConstLocalName(r);
            const char *ns = (const char *)xmlTextReaderConstNamespaceUri(r);
            if (local && ns && strcmp(local, "id") == 0 && ends_with(ns, "/relationships")) {
                const xmlChar *v = xmlTextReaderConstValue(r);
                found = strdup(v ? (const char *)v : "");
                break;
            }
        } while (xmlTextReaderMoveToNextAttribute(r) == 1);
        xmlTextReaderMoveToElement(r);
    }
    return found;
}

static int type_is(const char *type, const char *suffix)
{
    size_t n = strlen(type), m = strlen(suffix);
    return n > m && type[n - m - 1] == '/' && strcmp(type + n - m, suffix) == 0;
}

const gk_ooxml_rel_t *gk_ooxml_rel_type(const gk_ooxml_rels_t *rels, const char *suffix, size_t *from)
{
    size_t start = from ? *from : 0;
    for (size_t i = start; i < rels->n; i++)
        if (type_is(rels->v[i].type, suffix)) {
            if (from)
                *from = i + 1;
            return &rels->v[i];
        }
    if (from)
        *from = rels->n;
    return NULL;
}

/* The main part named by [Content_Types].xml, or NULL. */
static char *main_from_content_types(gk_zip_t *z, const char *kind, const char *ms_kind,
                                     const gk_extract_limits_t *lim, gk_fields_t *f, gk_status_t *st)
{
    gk_buf_t xml = GK_BUF_INIT;
    char *found = NULL;
    gk_xml_t *x = NULL;
    *st = gk_ooxml_read_part(z, "[Content_Types].xml", &xml, f);
    if (*st == GK_OK)
        *st = gk_xml_open(gk_buf_str(&xml), xml.len, lim, f, &x);
    while (*st == GK_OK && !found && gk_xml_next(x) > 0) {
        if (!gk_xml_is_start(x, "Override"))
            continue;
        char *type = gk_xml_attr(x, "ContentType"), *name = gk_xml_attr(x, "PartName");
        if (type && name && ends_with(type, "main+xml") && (strstr(type, kind) || strstr(type, ms_kind)))
            found = gk_ooxml_resolve("", name);
        free(type);
        free(name);
    }
    if (x) {
        gk_status_t cst = gk_xml_close(x);
        if (*st == GK_OK)
            *st = cst;
    }
    gk_buf_free(&xml);
    if (*st == GK_ERR_NOT_FOUND)
        *st = GK_OK;
    *st = gk_ooxml_optional(*st, f);
    return found;
}

/* The main part's entry name (malloc'd) in *NAME: the officeDocument
 * relationship first, then a [Content_Types].xml override whose type
 * contains KIND or MS_KIND and ends in "main+xml", then FALLBACK.
 * GK_ERR_NOT_FOUND (no error text) when none is in the zip. */
static gk_status_t main_part(gk_zip_t *z, const char *kind, const char *ms_kind, const char *fallback,
                             const gk_extract_limits_t *lim, gk_fields_t *f, char **name)
{
    *name = NULL;
    size_t idx;
    gk_ooxml_rels_t rels;
    gk_status_t st = gk_ooxml_rels_read(z, "", lim, f, &rels);
    if (st != GK_OK)
        return st;
    const gk_ooxml_rel_t *r = gk_ooxml_rel_type(&rels, "officeDocument", NULL);
    if (r && r->target && gk_zip_find(z, r->target, &idx))
        *name = strdup(r->target);
    gk_ooxml_rels_free(&rels);
    if (!*name) {
        *name = main_from_content_types(z, kind, ms_kind, lim, f, &st);
        if (st != GK_OK) {
            free(*name);
            *name = NULL;
            return st;
        }
        if (*name && !gk_zip_find(z, *name, &idx)) {
            free(*name);
            *name = NULL;
        }
    }
    if (!*name && gk_zip_find(z, fallback, &idx))
        *name = strdup(fallback);
    if (!*name)
        return GK_ERR_NOT_FOUND;
    return GK_OK;
}

/* Is the root element of XML named LOCAL? GK_OK when it is,
 * GK_ERR_NOT_FOUND (no error text) when it is not, or the status of the XML
 * error that came first. */
static gk_status_t check_root(const gk_buf_t *xml, const char *local, const gk_extract_limits_t *lim,
                              gk_fields_t *f)
{
    gk_xml_t *x;
    gk_status_t st = gk_xml_open(gk_buf_str(xml), xml->len, lim, f, &x);
    if (st != GK_OK)
        return st;
    int found = -1;
    while (found < 0 && gk_xml_next(x) > 0)
        if (xmlTextReaderNodeType(gk_xml_reader(x)) == XML_READER_TYPE_ELEMENT)
            found = strcmp(gk_xml_name(x), local) == 0;
    st = gk_xml_close(x);
    if (st == GK_OK && found < 0)
        st = gk_fields_fail(f, GK_ERR_BAD_FILE, "XML part without an element");
    return st != GK_OK ? st : found ? GK_OK : GK_ERR_NOT_FOUND;
}

gk_status_t gk_ooxml_open_main(gk_zip_t *z, const gk_ooxml_package_t *p, const gk_extract_limits_t *lim,
                               gk_fields_t *f, char **name, gk_buf_t *xml)
{
    gk_status_t st = main_part(z, p->kind, p->ms_kind, p->fallback, lim, f, name);
    if (st == GK_ERR_NOT_FOUND)
        return gk_fields_fail(f, GK_ERR_BAD_FILE, "not a %s package: no %s", p->format, p->fallback);
    if (st == GK_OK)
        st = gk_ooxml_read_part(z, *name, xml, f);
    if (st == GK_OK && (st = check_root(xml, p->root, lim, f)) == GK_ERR_NOT_FOUND)
        st = gk_fields_fail(f, GK_ERR_BAD_FILE, "not a %s package: %s is no %s", p->format, *name, p->root);
    return st;
}

/* Collect the text of the current element (up to its end) into B, trimmed. */
static void element_text(gk_xml_t *x, gk_buf_t *b)
{
    gk_buf_reset(b);
    gk_buf_puts(b, "");
    if (xmlTextReaderIsEmptyElement(gk_xml_reader(x)) == 1)
        return;
    int depth = gk_xml_depth(x);
    while (gk_xml_next(x) > 0 && gk_xml_depth(x) > depth) {
        const char *s = gk_xml_text(x);
        if (s)
            gk_buf_puts(b, s);
    }
    size_t start = 0, end = b->len;
    while (start < end && isspace((unsigned char)b->data[start]))
        start++;
    while (end > start && isspace((unsigned char)b->data[end - 1]))
        end--;
    memmove(b->data, b->data + start, end - start);
    b->len = end - start;
    b->data[b->len] = '\0';
}

/* Read a properties part and hand each element one level below the root
 * to VISIT. */
typedef void visit_fn(const char *elem, const gk_buf_t *text, gk_fields_t *f, const void *arg);

static gk_status_t walk_properties(gk_zip_t *z, const char *name, const gk_extract_limits_t *lim, gk_fields_t *f,
                                   visit_fn *visit, const void *arg)
{
    gk_buf_t xml = GK_BUF_INIT, text = GK_BUF_INIT;
    gk_xml_t *x;
    gk_status_t st = gk_ooxml_read_part(z, name, &xml, f);
    if (st == GK_OK && (st = gk_xml_open(gk_buf_str(&xml), xml.len, lim, f, &x)) == GK_OK) {
        while (gk_xml_next(x) > 0) {
            if (xmlTextReaderNodeType(gk_xml_reader(x)) != XML_READER_TYPE_ELEMENT || gk_xml_depth(x) != 1)
                continue;
            char elem[32];
            snprintf(elem, sizeof elem, "%s", gk_xml_name(x));
            element_text(x, &text);
            if (!gk_buf_failed(&text) && text.len)
                visit(elem, &text, f, arg);
        }
        st = gk_xml_close(x);
    }
    gk_buf_free(&xml);
    gk_buf_free(&text);
    return st == GK_ERR_NOT_FOUND ? GK_OK : st;
}

static void visit_core(const char *elem, const gk_buf_t *text, gk_fields_t *f, const void *arg)
{
    (void)arg;
    char **field = strcmp(elem, "title") == 0      ? &f->title
                   : strcmp(elem, "creator") == 0  ? &f->author
                   : strcmp(elem, "created") == 0  ? &f->created
                   : strcmp(elem, "modified") == 0 ? &f->modified
                                                   : NULL;
    if (field)
        gk_fields_set(field, text->data, text->len);
}

/* ARG names the element of app.xml that counts pages ("Pages", "Slides"). */
static void visit_app(const char *elem, const gk_buf_t *text, gk_fields_t *f, const void *arg)
{
    if (strcmp(elem, (const char *)arg) != 0)
        return;
    char *end;
    long n = strtol(text->data, &end, 10);
    if (*end == '\0' && n > 0 && n < INT_MAX)
        f->pages = (int)n;
}

/* The part of the package relationship of this type, or FALLBACK. */
static char *package_part(gk_zip_t *z, const char *type, const char *fallback, const gk_extract_limits_t *lim,
                          gk_fields_t *f, gk_status_t *st)
{
    gk_ooxml_rels_t rels;
    *st = gk_ooxml_rels_read(z, "", lim, f, &rels);
    if (*st != GK_OK)
        return NULL;
    const gk_ooxml_rel_t *r = gk_ooxml_rel_type(&rels, type, NULL);
    char *name = strdup(r && r->target ? r->target : fallback);
    gk_ooxml_rels_free(&rels);
    if (!name)
        *st = gk_fields_fail(f, GK_ERR_NOMEM, "out of memory reading properties");
    return name;
}

gk_status_t gk_ooxml_properties(gk_zip_t *z, const char *app_count, const gk_extract_limits_t *lim,
                                gk_fields_t *f)
{
    gk_status_t st;
    char *core = package_part(z, "core-properties", "docProps/core.xml", lim, f, &st);
    if (!core)
        return st;
    st = gk_ooxml_optional(walk_properties(z, core, lim, f, visit_core, NULL), f);
    free(core);
    if (st != GK_OK || !app_count)
        return st;
    char *app = package_part(z, "extended-properties", "docProps/app.xml", lim, f, &st);
    if (!app)
        return st;
    st = gk_ooxml_optional(walk_properties(z, app, lim, f, visit_app, app_count), f);
    free(app);
    return st;
}

/* ------------------------------------------------------------------ */
/* Text writer and subtree skipping (ooxml.h)                           */
/* ------------------------------------------------------------------ */

void gk_ooxml_text_init(gk_ooxml_text_t *t, gk_buf_t *out, const gk_extract_limits_t *lim)
{
    t->out = out;
    t->pending = 0;
    t->limit = lim->max_text_bytes;
}

static int sep_rank(char c) { return c == '\n' ? 3 : c == '\t' ? 2 : c == ' ' ? 1 : 0; }

void gk_ooxml_want(gk_ooxml_text_t *t, char sep)
{
    if (sep_rank(sep) > sep_rank(t->pending))
        t->pending = sep;
}

void gk_ooxml_put(gk_ooxml_text_t *t, const char *s, size_t len)
{
    if (len == 0)
        return;
    gk_buf_t *b = t->out;
    if (t->pending && b->len > 0 && b->data[b->len - 1] != '\n')
        gk_buf_putc(b, t->pending);
    t->pending = 0;
    gk_buf_append(b, s, len);
}

int gk_ooxml_full(const gk_ooxml_text_t *t) { return t->out->len > t->limit || gk_buf_failed(t->out); }

gk_status_t gk_ooxml_full_status(const gk_ooxml_text_t *t, gk_fields_t *f)
{
    if (gk_buf_failed(t->out))
        return gk_fields_fail(f, GK_ERR_NOMEM, "out of memory extracting text");
    return gk_fields_fail(f, GK_ERR_TOO_LARGE, "extracted text exceeds the limit of %zu bytes", t->limit);
}

void gk_ooxml_skip_start(gk_xml_t *x, int *skip)
{
    if (xmlTextReaderIsEmptyElement(gk_xml_reader(x)) != 1)
        *skip = gk_xml_depth(x);
}

int gk_ooxml_skipping(gk_xml_t *x, int *skip)
{
    if (*skip < 0)
        return 0;
    if (xmlTextReaderNodeType(gk_xml_reader(x)) == XML_READER_TYPE_END_ELEMENT && gk_xml_depth(x) == *skip)
        *skip = -1;
    return 1;
}

int gk_ooxml_block_end(gk_ooxml_text_t *t, int *cells, const char *name)
{
    if (strcmp(name, "p") == 0)
        gk_ooxml_want(t, *cells ? ' ' : '\n');
    else if (strcmp(name, "tc") == 0) {
        if (*cells)
            (*cells)--;
        gk_ooxml_want(t, '\t');
    } else if (strcmp(name, "tr") == 0 || strcmp(name, "tbl") == 0)
        gk_ooxml_want(t, '\n');
    else
        return 0;
    return 1;
}

/* ------------------------------------------------------------------ */
/* WordprocessingML text                                                */
/* ------------------------------------------------------------------ */

/* Elements whose content is not text on the page: properties (tab stops
 * would read as tabs), tracked deletions and moves, field codes, and the
 * fallback copy of content a newer reader shows from mc:Choice. */
static int docx_skipped(const char *name)
{
    static const char *const skipped[] = {"pPr",     "rPr",       "sectPr",     "tblPr",      "trPr",
                                          "tcPr",    "tblGrid",   "del",        "moveFrom",   "delText",
                                          "instrText", "delInstrText", "Fallback", "footnotePr", "endnotePr"};
    for (size_t i = 0; i < sizeof skipped / sizeof skipped[0]; i++)
        if (strcmp(name, skipped[i]) == 0)
            return 1;
    return 0;
}

typedef struct {
    gk_ooxml_text_t *t;
    int skip;      /* depth of the subtree being skipped, or -1 */
    int in_t;      /* inside a w:t */
    int cells;     /* open table cells */
} docx_walk_t;

static void docx_start(docx_walk_t *w, gk_xml_t *x)
{
    const char *name = gk_xml_name(x);
    int empty = xmlTextReaderIsEmptyElement(gk_xml_reader(x)) == 1;
    if (docx_skipped(name))
        gk_ooxml_skip_start(x, &w->skip);
    else if (strcmp(name, "t") == 0)
        w->in_t = !empty;
    else if (strcmp(name, "tab") == 0 || strcmp(name, "ptab") == 0)
        gk_ooxml_want(w->t, '\t');
    else if (strcmp(name, "br") == 0 || strcmp(name, "cr") == 0)
        gk_ooxml_want(w->t, '\n');
    else if (strcmp(name, "noBreakHyphen") == 0)
        gk_ooxml_put(w->t, "-", 1);
    else if (strcmp(name, "tc") == 0 && !empty)
        w->cells++;
}

static void docx_end(docx_walk_t *w, const char *name)
{
    if (strcmp(name, "t") == 0)
        w->in_t = 0;
    else
        gk_ooxml_block_end(w->t, &w->cells, name);
}

/* Append the text of one WordprocessingML part (body, header, notes). */
static gk_status_t docx_part_text(const gk_buf_t *xml, const gk_extract_limits_t *lim, gk_fields_t *f,
                                  gk_ooxml_text_t *t)
{
    gk_xml_t *x;
    gk_status_t st = gk_xml_open(gk_buf_str(xml), xml->len, lim, f, &x);
    if (st != GK_OK)
        return st;
    docx_walk_t w = {t, -1, 0, 0};
    int full = 0;
    while (!full && gk_xml_next(x) > 0) {
        if (gk_ooxml_skipping(x, &w.skip))
            continue;
        int type = xmlTextReaderNodeType(gk_xml_reader(x));
        if (type == XML_READER_TYPE_ELEMENT) {
            docx_start(&w, x);
            if (xmlTextReaderIsEmptyElement(gk_xml_reader(x)) == 1)
                docx_end(&w, gk_xml_name(x));
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            docx_end(&w, gk_xml_name(x));
        } else if (w.in_t) {
            const char *s = gk_xml_text(x);
            if (s)
                gk_ooxml_put(t, s, strlen(s));
        }
        full = gk_ooxml_full(t);
    }
    st = gk_xml_close(x);
    if (st == GK_OK && full)
        st = gk_ooxml_full_status(t, f);
    gk_ooxml_want(t, '\n');
    return st;
}

/* The text of secondary parts of one kind, each once: sections repeat the
 * same header, which is worth indexing once. */
typedef struct {
    char **seen;
    size_t n, cap;
} seen_t;

static int seen_before(seen_t *s, const char *text, size_t len)
{
    for (size_t i = 0; i < s->n; i++)
        if (strlen(s->seen[i]) == len && memcmp(s->seen[i], text, len) == 0)
            return 1;
    if (s->n == s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 8;
        char **v = realloc(s->seen, ncap * sizeof *v);
        if (!v)
            return 0;
        s->seen = v;
        s->cap = ncap;
    }
    char *copy = strndup(text, len);
    if (copy)
        s->seen[s->n++] = copy;
    return 0;
}

static void seen_free(seen_t *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->seen[i]);
    free(s->seen);
}

/* Extract one secondary part into the text, skipping damage and repeats. */
static gk_status_t docx_secondary(gk_zip_t *z, const char *name, const gk_extract_limits_t *lim, gk_fields_t *f,
                                  gk_ooxml_text_t *t, seen_t *seen)
{
    gk_buf_t xml = GK_BUF_INIT, text = GK_BUF_INIT;
    gk_ooxml_text_t sub;
    gk_ooxml_text_init(&sub, &text, lim);
    sub.limit = t->limit > t->out->len ? t->limit - t->out->len : 0;
    gk_status_t st = gk_ooxml_read_part(z, name, &xml, f);
    if (st == GK_OK)
        st = docx_part_text(&xml, lim, f, &sub);
    if (st == GK_OK && text.len && !seen_before(seen, text.data, text.len)) {
        gk_ooxml_want(t, '\n');
        gk_ooxml_put(t, text.data, text.len);
        gk_ooxml_want(t, '\n');
    }
    gk_buf_free(&xml);
    gk_buf_free(&text);
    return gk_ooxml_optional(st == GK_ERR_NOT_FOUND ? GK_OK : st, f);
}

/* Secondary parts in the order they are read after the body. */
static const char *const secondary_types[] = {"footnotes", "endnotes", "header", "footer", "comments"};

/* Without relationships for the main part, the parts are found by the
 * names Word gives them, next to the main part. */
static gk_status_t docx_secondary_by_name(gk_zip_t *z, const char *main, const gk_extract_limits_t *lim,
                                          gk_fields_t *f, gk_ooxml_text_t *t, seen_t *seen)
{
    const char *slash = strrchr(main, '/');
    size_t dir = slash ? (size_t)(slash - main) + 1 : 0;
    gk_status_t st = GK_OK;
    for (size_t k = 0; st == GK_OK && k < sizeof secondary_types / sizeof secondary_types[0]; k++) {
        size_t klen = strlen(secondary_types[k]);
        for (size_t i = 0; st == GK_OK && i < gk_zip_count(z); i++) {
            const char *n = gk_zip_name(z, i);
            if (!n || strncmp(n, main, dir) != 0 || strchr(n + dir, '/') ||
                strncmp(n + dir, secondary_types[k], klen) != 0 || !ends_with(n, ".xml"))
                continue;
            /* "footnotes.xml", "header1.xml": the kind, digits, ".xml". */
            const char *p = n + dir + klen;
            while (isdigit((unsigned char)*p))
                p++;
            if (strcmp(p, ".xml") == 0)
                st = docx_secondary(z, n, lim, f, t, seen);
        }
    }
    return st;
}

static gk_status_t docx_secondaries(gk_zip_t *z, const char *main, const gk_extract_limits_t *lim, gk_fields_t *f,
                                    gk_ooxml_text_t *t)
{
    gk_ooxml_rels_t rels;
    gk_status_t st = gk_ooxml_rels_read(z, main, lim, f, &rels);
    if (st != GK_OK)
        return st;
    seen_t seen = {NULL, 0, 0};
    if (rels.n == 0)
        st = docx_secondary_by_name(z, main, lim, f, t, &seen);
    for (size_t k = 0; st == GK_OK && k < sizeof secondary_types / sizeof secondary_types[0]; k++) {
        size_t from = 0;
        const gk_ooxml_rel_t *r;
        while (st == GK_OK && (r = gk_ooxml_rel_type(&rels, secondary_types[k], &from)) != NULL)
            if (r->target)
                st = docx_secondary(z, r->target, lim, f, t, &seen);
    }
    seen_free(&seen);
    gk_ooxml_rels_free(&rels);
    if (st == GK_OK && gk_ooxml_full(t))
        st = gk_ooxml_full_status(t, f);
    return st;
}

static gk_status_t docx_extract(const gk_input_t *in, const gk_extract_limits_t *lim, gk_fields_t *out)
{
    gk_zip_t *z;
    gk_status_t st = gk_zip_open(in, lim, out, &z);
    if (st != GK_OK)
        return st;
    char *main = NULL;
    gk_buf_t xml = GK_BUF_INIT;
    static const gk_ooxml_package_t docx = {"DOCX", "wordprocessingml", "ms-word", "word/document.xml",
                                            "document"};
    st = gk_ooxml_open_main(z, &docx, lim, out, &main, &xml);
    gk_ooxml_text_t t;
    gk_ooxml_text_init(&t, &out->body, lim);
    if (st == GK_OK)
        st = docx_part_text(&xml, lim, out, &t);
    gk_buf_free(&xml);
    if (st == GK_OK)
        st = docx_secondaries(z, main, lim, out, &t);
    if (st == GK_OK)
        st = gk_ooxml_properties(z, "Pages", lim, out);
    free(main);
    gk_zip_close(z);
    return st;
}

static const char *const docx_types[] = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", NULL};
const gk_extractor_t gk_extractor_docx = {"docx", docx_types, docx_extract, 1};
