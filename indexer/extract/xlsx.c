/*
 * xlsx.c — Excel workbooks (Office Open XML, SpreadsheetML).
 *
 * Each sheet, in the workbook's order, is written as its name on a line
 * and then its rows, one line each, cells separated by tabs (empty cells
 * keep their column, so a catalogue's columns stay aligned). Cells are
 * written as Excel shows them where that matters for search: shared and
 * inline strings as text (without phonetic guides), booleans as TRUE and
 * FALSE, and numbers whose cell format is a date as dates (2021-05-12),
 * since a date cell's value is only a day count.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ooxml.h"

/* ------------------------------------------------------------------ */
/* Number formats: which are dates                                      */
/* ------------------------------------------------------------------ */

#define FMT_DATE 1u
#define FMT_TIME 2u

/* Built-in formats (ECMA-376 18.8.30), with the ids East Asian locales
 * give to their date and time formats (年月日, 时分秒). */
static unsigned builtin_kind(long id)
{
    if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || id == 36 || (id >= 50 && id <= 54) || id == 57 ||
        id == 58)
        return FMT_DATE;
    if ((id >= 18 && id <= 21) || (id >= 32 && id <= 35) || (id >= 45 && id <= 47) || id == 55 || id == 56)
        return FMT_TIME;
    if (id == 22)
        return FMT_DATE | FMT_TIME;
    return 0;
}

/* What a format code shows of a date: y, d and m (a month unless beside an
 * hour or second) are the date; h, s and AM/PM the time. Literal text
 * ("..." and \x), padding (_x, *x) and brackets ([Red], [$-804],
 * [DBNum1]) are not, except elapsed time such as [h] and [mm]. */
static unsigned code_kind(const char *code)
{
    unsigned kind = 0;
    int month_or_minute = 0;
    for (const char *p = code; *p && *p != ';'; p++) {
        char c = (char)tolower((unsigned char)*p);
        if (c == '"') {
            const char *q = strchr(p + 1, '"');
            if (!q)
                break;
            p = q;
        } else if (c == '\\' || c == '_' || c == '*') {
            if (!p[1])
                break;
            p++;
        } else if (c == '[') {
            const char *q = strchr(p + 1, ']');
            if (!q)
                break;
            if (q > p + 1 && strspn(p + 1, "hHmMsS") == (size_t)(q - p - 1))
                kind |= FMT_TIME;
            p = q;
        } else if (strncasecmp(p, "am/pm", 5) == 0 || strncasecmp(p, "a/p", 3) == 0) {
            kind |= FMT_TIME;
            p += (c == 'a' && tolower((unsigned char)p[1]) == 'm') ? 4 : 2;
        } else if (c == 'y' || c == 'd') {
            kind |= FMT_DATE;
        } else if (c == 'h' || c == 's') {
            kind |= FMT_TIME;
        } else if (c == 'm') {
            month_or_minute = 1;
        }
    }
    if (month_or_minute && !(kind & FMT_TIME))
        kind |= FMT_DATE;
    return kind;
}

typedef struct {
    long id;
    unsigned kind;
} numfmt_t;

typedef struct {
    numfmt_t *fmts;       /* the workbook's own formats */
    size_t nfmts;
    long *xf_fmt;         /* cellXfs[i].numFmtId */
    unsigned char *xf_kind;
    size_t nxf;
} styles_t;

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 1;
    size_t ncap = *cap ? *cap * 2 : 32;
    void *nv = realloc(*v, ncap * size);
    if (!nv)
        return 0;
    *v = nv;
    *cap = ncap;
    return 1;
}

static long attr_long(gk_xml_t *x, const char *name, long dflt)
{
    char *v = gk_xml_attr(x, name);
    if (!v)
        return dflt;
    char *end;
    long n = strtol(v, &end, 10);
    if (end == v)
        n = dflt;
    free(v);
    return n;
}

/* Record a numFmt or a cellXfs xf. 0 on no memory. */
static int styles_node(styles_t *s, gk_xml_t *x, int in_xfs, size_t *fcap, size_t *xcap)
{
    if (gk_xml_is_start(x, "numFmt")) {
        char *code = gk_xml_attr(x, "formatCode");
        long id = attr_long(x, "numFmtId", -1);
        int ok = grow((void **)&s->fmts, fcap, s->nfmts, sizeof *s->fmts);
        if (ok)
            s->fmts[s->nfmts++] = (numfmt_t){id, code ? code_kind(code) : 0};
        free(code);
        return ok;
    }
    if (in_xfs && gk_xml_is_start(x, "xf")) {
        if (!grow((void **)&s->xf_fmt, xcap, s->nxf, sizeof *s->xf_fmt))
            return 0;
        s->xf_fmt[s->nxf++] = attr_long(x, "numFmtId", 0);
    }
    return 1;
}

/* A workbook's own format for an id wins over the built-in one. */
static unsigned fmt_kind(const styles_t *s, long id)
{
    for (size_t i = 0; i < s->nfmts; i++)
        if (s->fmts[i].id == id)
            return s->fmts[i].kind;
    return builtin_kind(id);
}

static gk_status_t styles_parse(const gk_buf_t *xml, const gk_extract_limits_t *lim, gk_fields_t *f, styles_t *s)
{
    gk_xml_t *x;
    gk_status_t st = gk_xml_open(gk_buf_str(xml), xml->len, lim, f, &x);
    if (st != GK_OK)
        return st;
    size_t fcap = 0, xcap = 0;
    int in_xfs = 0, ok = 1;
    while (ok && gk_xml_next(x) > 0) {
        if (gk_xml_is_start(x, "cellXfs"))
            in_xfs = 1;
        else if (gk_xml_is_end(x, "cellXfs"))
            in_xfs = 0;
        ok = styles_node(s, x, in_xfs, &fcap, &xcap);
    }
    st = gk_xml_close(x);
    if (!ok)
        return gk_fields_fail(f, GK_ERR_NOMEM, "out of memory reading styles");
    if (st == GK_OK && s->nxf) {
        s->xf_kind = malloc(s->nxf);
        if (!s->xf_kind)
            return gk_fields_fail(f, GK_ERR_NOMEM, "out of memory reading styles");
        for (size_t i = 0; i < s->nxf; i++)
            s->xf_kind[i] = (unsigned char)fmt_kind(s, s->xf_fmt[i]);
    }
    return st;
}

static void styles_free(styles_t *s)
{
    free(s->fmts);
    free(s->xf_fmt);
    free(s->xf_kind);
}

/* ------------------------------------------------------------------ */
/* Dates                                                               */
/* ------------------------------------------------------------------ */

/* Days since 1970-01-01 to a civil date (proleptic Gregorian). */
static void civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned long doe = (unsigned long)(z - era * 146097);
    unsigned long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = (long)yoe + era * 400;
    unsigned long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned long mp = (5 * doy + 2) / 153;
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = yy + (*m <= 2);
}

/* Write serial day number V as a date and/or time per KIND; 0 when V is
 * no date Excel could show (negative, after 9999). */
static int format_date(double v, unsigned kind, int date1904, char *out, size_t outlen)
{
    if (!(v >= 0 && v < 2958466))
        return 0;
    long days = (long)floor(v);
    long secs = lround((v - (double)days) * 86400.0);
    if (secs >= 86400) {
        days++;
        secs -= 86400;
    }
    char date[24] = "", time[32] = "";
    if (kind & FMT_DATE) {
        long y;
        unsigned m, d;
        if (date1904) {
            civil_from_days(days - 24107, &y, &m, &d);
        } else if (days == 60) {
            /* Excel keeps Lotus 1-2-3's 29 February 1900. */
            y = 1900, m = 2, d = 29;
        } else {
            civil_from_days(days - (days < 60 ? 25568 : 25569), &y, &m, &d);
        }
        snprintf(date, sizeof date, "%04ld-%02u-%02u", y, m, d);
    } else {
        secs += days * 86400;   /* elapsed time: [h]:mm:ss */
    }
    if (kind & FMT_TIME)
        snprintf(time, sizeof time, "%02ld:%02ld:%02ld", secs / 3600, secs / 60 % 60, secs % 60);
    snprintf(out, outlen, "%s%s%s", date, *date && *time ? " " : "", time);
    return 1;
}

/* ------------------------------------------------------------------ */
/* Shared strings                                                       */
/* ------------------------------------------------------------------ */

typedef struct {
    gk_buf_t pool;
    size_t *off;      /* string i is pool[off[i] .. off[i+1]) */
    size_t n;
} sst_t;

static gk_status_t sst_parse(const gk_buf_t *xml, const gk_extract_limits_t *lim, gk_fields_t *f, sst_t *s)
{
    gk_xml_t *x;
    gk_status_t st = gk_xml_open(gk_buf_str(xml), xml->len, lim, f, &x);
    if (st != GK_OK)
        return st;
    size_t cap = 0;
    int skip = -1, in_si = 0, in_t = 0, ok = 1, too_large = 0;
    gk_buf_puts(&s->pool, "");
    while (ok && !too_large && gk_xml_next(x) > 0) {
        if (gk_ooxml_skipping(x, &skip))
            continue;
        if (gk_xml_is_start(x, "rPh")) {
            gk_ooxml_skip_start(x, &skip);
        } else if (gk_xml_is_start(x, "si")) {
            /* off[n] starts string n; one more slot closes the last. */
            ok = grow((void **)&s->off, &cap, s->n + 1, sizeof *s->off);
            if (ok)
                s->off[s->n] = s->pool.len;
            in_si = ok && !gk_xml_is_end(x, "si");
            if (ok && !in_si)
                s->n++;
        } else if (gk_xml_is_end(x, "si") && in_si) {
            s->n++;
            in_si = 0;
        } else if (gk_xml_is_start(x, "t")) {
            in_t = !gk_xml_is_end(x, "t");
        } else if (gk_xml_is_end(x, "t")) {
            in_t = 0;
        } else if (in_si && in_t) {
            const char *v = gk_xml_text(x);
            if (v)
                gk_buf_puts(&s->pool, v);
            ok = !gk_buf_failed(&s->pool);
            too_large = s->pool.len > lim->max_text_bytes;
        }
    }
    st = gk_xml_close(x);
    if (s->off)
        s->off[s->n] = s->pool.len;
    if (!ok)
        return gk_fields_fail(f, GK_ERR_NOMEM, "out of memory reading shared strings");
    if (too_large)
        return gk_fields_fail(f, GK_ERR_TOO_LARGE, "shared strings exceed the text limit of %zu bytes",
                              lim->max_text_bytes);
    return st;
}

static void sst_free(sst_t *s)
{
    gk_buf_free(&s->pool);
    free(s->off);
}

/* ------------------------------------------------------------------ */
/* Sheets                                                              */
/* ------------------------------------------------------------------ */

typedef struct {
    const sst_t *sst;
    const styles_t *styles;
    int date1904;
    gk_ooxml_text_t *t;
    gk_buf_t value;      /* the current cell's v or inline string */
    char type[16];       /* its t attribute */
    long style;          /* its s attribute */
    long col;            /* its column, 0-based */
    long last_col;       /* column of the last cell written in the row, -1 */
    int in_value;        /* inside v, or inside t of an inline string */
} sheet_walk_t;

/* The column of a cell reference ("BC12" → 54), or -1. */
static long ref_column(const char *ref)
{
    long col = 0;
    const char *p = ref;
    for (; isalpha((unsigned char)*p) && p - ref < 3; p++)
        col = col * 26 + (toupper((unsigned char)*p) - 'A' + 1);
    return p == ref ? -1 : col - 1;
}

/* The text of the cell just read, into BUF (or pointing into the pool). */
static const char *cell_text(sheet_walk_t *w, char *buf, size_t buflen, size_t *len)
{
    const char *v = gk_buf_str(&w->value);
    *len = w->value.len;
    if (strcmp(w->type, "s") == 0) {
        char *end;
        unsigned long i = strtoul(v, &end, 10);
        if (end == v || i >= w->sst->n)
            return NULL;
        *len = w->sst->off[i + 1] - w->sst->off[i];
        return w->sst->pool.data + w->sst->off[i];
    }
    if (strcmp(w->type, "b") == 0) {
        snprintf(buf, buflen, "%s", strcmp(v, "1") == 0 || strcmp(v, "true") == 0 ? "TRUE" : "FALSE");
    } else if (w->type[0] == '\0' || strcmp(w->type, "n") == 0) {
        char *end;
        double d = strtod(v, &end);
        if (end == v || *end)
            return v;
        unsigned kind = w->style >= 0 && (size_t)w->style < w->styles->nxf && w->styles->xf_kind
                            ? w->styles->xf_kind[w->style]
                            : 0;
        /* %.15g: the digits Excel shows, without binary noise (0.1+0.2). */
        if (!kind || !format_date(d, kind, w->date1904, buf, buflen))
            snprintf(buf, buflen, "%.15g", d);
    } else {
        return v;   /* str, inlineStr, e (#N/A), d (ISO 8601) */
    }
    *len = strlen(buf);
    return buf;
}

/* Columns skipped between two cells are kept as tabs up to this many;
 * a sheet with one cell in column XFD writes one tab, not 16 383. */
#define MAX_GAP 64

static void cell_end(sheet_walk_t *w)
{
    char buf[64];
    size_t len;
    const char *s = cell_text(w, buf, sizeof buf, &len);
    w->in_value = 0;
    if (!s || len == 0)
        return;
    long gap = w->col - w->last_col;
    if (gap < 1 || gap > MAX_GAP)
        gap = 1;
    /* Before the first written cell of a row, its empty columns only. */
    if (w->last_col < 0) {
        gap--;
        gk_ooxml_want(w->t, '\n');
    }
    for (long i = 0; i < gap; i++)
        gk_ooxml_put(w->t, "\t", 1);
    gk_ooxml_put(w->t, s, len);
    w->last_col = w->col;
}

static void cell_start(sheet_walk_t *w, gk_xml_t *x)
{
    char *ref = gk_xml_attr(x, "r"), *type = gk_xml_attr(x, "t");
    long col = ref ? ref_column(ref) : -1;
    w->col = col >= 0 ? col : w->last_col + 1;
    snprintf(w->type, sizeof w->type, "%s", type ? type : "");
    w->style = attr_long(x, "s", 0);
    gk_buf_reset(&w->value);
    w->in_value = 0;
    free(ref);
    free(type);
}

static void sheet_node(sheet_walk_t *w, gk_xml_t *x, int *skip)
{
    int type = xmlTextReaderNodeType(gk_xml_reader(x));
    if (type == XML_READER_TYPE_ELEMENT) {
        const char *name = gk_xml_name(x);
        int empty = xmlTextReaderIsEmptyElement(gk_xml_reader(x)) == 1;
        if (strcmp(name, "row") == 0)
            w->last_col = -1;
        else if (strcmp(name, "c") == 0) {
            cell_start(w, x);
            if (empty)
                cell_end(w);
        } else if (strcmp(name, "rPh") == 0 || strcmp(name, "f") == 0)
            gk_ooxml_skip_start(x, skip);
        else if ((strcmp(name, "v") == 0 || strcmp(name, "t") == 0) && !empty)
            w->in_value = 1;
    } else if (type == XML_READER_TYPE_END_ELEMENT) {
        const char *name = gk_xml_name(x);
        if (strcmp(name, "c") == 0)
            cell_end(w);
        else if (strcmp(name, "v") == 0 || strcmp(name, "t") == 0)
            w->in_value = 0;
        else if (strcmp(name, "row") == 0)
            gk_ooxml_want(w->t, '\n');
    } else if (w->in_value) {
        const char *s = gk_xml_text(x);
        if (s)
            gk_buf_puts(&w->value, s);
    }
}

static gk_status_t sheet_text(const gk_buf_t *xml, sheet_walk_t *w, const gk_extract_limits_t *lim, gk_fields_t *f)
{
    gk_xml_t *x;
    gk_status_t st = gk_xml_open(gk_buf_str(xml), xml->len, lim, f, &x);
    if (st != GK_OK)
        return st;
    int skip = -1, full = 0;
    w->last_col = -1;
    while (!full && gk_xml_next(x) > 0) {
        if (!gk_ooxml_skipping(x, &skip))
            sheet_node(w, x, &skip);
        full = gk_ooxml_full(w->t) || gk_buf_failed(&w->value) || w->value.len > lim->max_text_bytes;
    }
    st = gk_xml_close(x);
    if (st == GK_OK && gk_buf_failed(&w->value))
        st = gk_fields_fail(f, GK_ERR_NOMEM, "out of memory reading a cell");
    else if (st == GK_OK && full)
        st = gk_ooxml_full_status(w->t, f);
    return st;
}

/* ------------------------------------------------------------------ */
/* Workbook                                                            */
/* ------------------------------------------------------------------ */

typedef struct {
    char *name;
    char *rid;
} sheet_ref_t;

typedef struct {
    sheet_ref_t *v;
    size_t n;
    int date1904;
} workbook_t;

static void workbook_free(workbook_t *wb)
{
    for (size_t i = 0; i < wb->n; i++) {
        free(wb->v[i].name);
        free(wb->v[i].rid);
    }
    free(wb->v);
}

static gk_status_t workbook_parse(const gk_buf_t *xml, const gk_extract_limits_t *lim, gk_fields_t *f,
                                  workbook_t *wb)
{
    gk_xml_t *x;
    gk_status_t st = gk_xml_open(gk_buf_str(xml), xml->len, lim, f, &x);
    if (st != GK_OK)
        return st;
    size_t cap = 0;
    int ok = 1;
    while (ok && gk_xml_next(x) > 0) {
        if (gk_xml_is_start(x, "workbookPr")) {
            char *v = gk_xml_attr(x, "date1904");
            wb->date1904 = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
            free(v);
        } else if (gk_xml_is_start(x, "sheet")) {
            char *name = gk_xml_attr(x, "name"), *rid = gk_ooxml_rid(x);
            ok = grow((void **)&wb->v, &cap, wb->n, sizeof *wb->v);
            if (ok)
                wb->v[wb->n++] = (sheet_ref_t){name, rid};
            else
                free(name), free(rid);
        }
    }
    st = gk_xml_close(x);
    return ok ? st : gk_fields_fail(f, GK_ERR_NOMEM, "out of memory reading the workbook");
}

/* Read an optional workbook part (shared strings, styles) into XML: the
 * workbook's relationship of this type, else the usual name. */
static gk_status_t workbook_part(gk_zip_t *z, const gk_ooxml_rels_t *rels, const char *type, const char *fallback,
                                 gk_buf_t *xml, gk_fields_t *f)
{
    const gk_ooxml_rel_t *r = gk_ooxml_rel_type(rels, type, NULL);
    gk_status_t st = gk_ooxml_read_part(z, r && r->target ? r->target : fallback, xml, f);
    return st == GK_ERR_NOT_FOUND ? GK_OK : st;
}

typedef struct {
    gk_zip_t *z;
    const gk_extract_limits_t *lim;
    gk_fields_t *out;
    char *main;
    workbook_t wb;
    gk_ooxml_rels_t rels;
    sst_t sst;
    styles_t styles;
    gk_buf_t xml;
} xlsx_t;

static gk_status_t xlsx_load(xlsx_t *b)
{
    static const gk_ooxml_package_t xlsx = {"XLSX", "spreadsheetml", "ms-excel", "xl/workbook.xml", "workbook"};
    gk_status_t st = gk_ooxml_open_main(b->z, &xlsx, b->lim, b->out, &b->main, &b->xml);
    if (st == GK_OK)
        st = workbook_parse(&b->xml, b->lim, b->out, &b->wb);
    if (st == GK_OK && b->wb.n > b->lim->max_pages)
        return gk_fields_fail(b->out, GK_ERR_TOO_LARGE, "workbook of %zu sheets exceeds the limit of %u", b->wb.n,
                              b->lim->max_pages);
    if (st == GK_OK)
        st = gk_ooxml_rels_read(b->z, b->main, b->lim, b->out, &b->rels);
    /* Without its strings a workbook has no text worth keeping; without
     * its styles, dates are still written as numbers. */
    if (st == GK_OK && (st = workbook_part(b->z, &b->rels, "sharedStrings", "xl/sharedStrings.xml", &b->xml,
                                           b->out)) == GK_OK && b->xml.len)
        st = sst_parse(&b->xml, b->lim, b->out, &b->sst);
    if (st == GK_OK && (st = workbook_part(b->z, &b->rels, "styles", "xl/styles.xml", &b->xml, b->out)) == GK_OK &&
        b->xml.len)
        st = gk_ooxml_optional(styles_parse(&b->xml, b->lim, b->out, &b->styles), b->out);
    return st;
}

static gk_status_t xlsx_sheets(xlsx_t *b)
{
    gk_ooxml_text_t t;
    gk_ooxml_text_init(&t, &b->out->body, b->lim);
    sheet_walk_t w = {&b->sst, &b->styles, b->wb.date1904, &t, GK_BUF_INIT, "", 0, 0, -1, 0};
    gk_status_t st = GK_OK;
    for (size_t i = 0; st == GK_OK && i < b->wb.n; i++) {
        const gk_ooxml_rel_t *r = gk_ooxml_rel_id(&b->rels, b->wb.v[i].rid);
        if (!r || !r->target)
            continue;
        st = gk_ooxml_read_part(b->z, r->target, &b->xml, b->out);
        if (st == GK_ERR_NOT_FOUND) {
            st = GK_OK;
            continue;
        }
        if (st != GK_OK)
            break;
        gk_ooxml_want(&t, '\n');
        if (b->wb.v[i].name)
            gk_ooxml_put(&t, b->wb.v[i].name, strlen(b->wb.v[i].name));
        gk_ooxml_want(&t, '\n');
        st = gk_ooxml_optional(sheet_text(&b->xml, &w, b->lim, b->out), b->out);
    }
    gk_buf_free(&w.value);
    return st;
}

static gk_status_t xlsx_extract(const gk_input_t *in, const gk_extract_limits_t *lim, gk_fields_t *out)
{
    xlsx_t b = {.lim = lim, .out = out, .sst = {GK_BUF_INIT, NULL, 0}, .xml = GK_BUF_INIT};
    gk_status_t st = gk_zip_open(in, lim, out, &b.z);
    if (st != GK_OK)
        return st;
    st = xlsx_load(&b);
    if (st == GK_OK)
        st = xlsx_sheets(&b);
    if (st == GK_OK)
        st = gk_ooxml_properties(b.z, NULL, lim, out);
    gk_buf_free(&b.xml);
    styles_free(&b.styles);
    sst_free(&b.sst);
    gk_ooxml_rels_free(&b.rels);
    workbook_free(&b.wb);
    free(b.main);
    gk_zip_close(b.z);
    return st;
}

static const char *const xlsx_types[] = {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                         NULL};
const gk_extractor_t gk_extractor_xlsx = {"xlsx", xlsx_types, xlsx_extract, 1};
