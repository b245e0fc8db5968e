/*
 * ofd.c — OFD (GB/T 33190-2016), the Chinese fixed-layout format of
 * electronic government documents.
 *
 * An OFD file is a zip: OFD.xml at the root names one or more documents
 * (DocBody → DocRoot, e.g. Doc_0/Document.xml) with their DocInfo
 * metadata; Document.xml lists the pages (Page@BaseLoc) and the template
 * pages (CommonData/TemplatePage); each page's Content.xml holds layers of
 * TextObjects whose TextCode elements carry Unicode text at a position.
 * Element names are matched by local name, as producers use different
 * namespace prefixes (ofd:, none, ...).
 *
 * Text is placed, not flowed, so lines are rebuilt from positions. Each
 * TextCode is put on the page: its TextObject's Boundary origin plus its
 * X/Y through the object's CTM. Two consecutive TextCodes whose baselines
 * are within half a font size of each other, the second not starting left
 * of the first, are one line and join without a separator (a space only
 * when a gap wider than 1.5 em separates them, as between form fields);
 * otherwise a new line starts. Document order is kept: producers write
 * text in reading order, and it keeps multi-column pages apart. Only when
 * that order is clearly not reading order — at least three lines start
 * above the previous one or left of it on the same baseline, and they are
 * over a quarter of all lines (form generators write fields in any order)
 * — are the page's TextCodes sorted into lines top to bottom, left to
 * right.
 *
 * A page's template (often the red header of a 公文) is written before the
 * page's own text, for each page that uses it. Signatures (Signs/) are
 * never read; text drawn as paths has no characters to find (OCR).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "xmlstream.h"
#include "zipfile.h"

#define MAX_DOCS 16          /* DocBody elements read */
#define MAX_TEMPLATES 256    /* TemplatePage entries kept per document */
#define MAX_PAGE_TEMPLATES 8 /* Template elements used per page */
#define MAX_FIELD 4096       /* bytes kept of a metadata value or path */
#define DEFAULT_SIZE 3.5     /* font size (mm) when a TextObject has none */

/* ------------------------------------------------------------------ */
/* Small parsing helpers                                               */
/* ------------------------------------------------------------------ */

static double finite_or(double v, double dflt) { return isfinite(v) ? v : dflt; }

/* Up to N numbers from a space-separated attribute; returns how many. */
static int parse_numbers(const char *s, double *v, int n)
{
    int k = 0;
    while (s && *s && k < n) {
        char *end;
        double d = strtod(s, &end);
        if (end == s)
            break;
        v[k++] = finite_or(d, 0);
        s = end;
    }
    return k;
}

static double attr_number(gk_xml_t *x, const char *name, double dflt)
{
    char *v = gk_xml_attr(x, name);
    double d = dflt;
    if (v)
        parse_numbers(v, &d, 1);
    free(v);
    return d;
}

/* The advance of a TextCode: the sum of its DeltaX entries, where
 * "g N v" stands for N entries of v. Only the gaps between its NCHARS
 * characters count, which also bounds the work for hostile counts. */
static double advance(const char *delta, size_t nchars)
{
    double sum = 0;
    size_t used = 0, want = nchars > 0 ? nchars - 1 : 0;
    const char *s = delta;
    while (s && *s && used < want) {
        while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
            s++;
        if (*s == 'g') {
            char *end;
            double n = strtod(s + 1, &end);
            double v = strtod(end, &end);
            s = end;
            if (!(n >= 1))
                continue;
            size_t cnt = n > (double)(want - used) ? want - used : (size_t)n;
            sum += finite_or(v, 0) * (double)cnt;
            used += cnt;
            continue;
        }
        char *end;
        double v = strtod(s, &end);
        if (end == s)
            break;
        sum += finite_or(v, 0);
        used++;
        s = end;
    }
    return sum;
}

static size_t utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* ------------------------------------------------------------------ */
/* Pages: TextCodes as positioned runs                                  */
/* ------------------------------------------------------------------ */

typedef struct {
    double x, y;      /* the run's start on the page (mm, y down) */
    double xend;      /* where its last character ends */
    double size;      /* font size on the page */
    size_t off, len;  /* its text in the page's text buffer */
    int rotated;      /* its CTM turns it by more than 45 degrees */
    int dup;          /* the same text drawn again at the same place */
} run_t;

typedef struct {
    run_t *v;
    size_t n, cap;
    gk_buf_t text;
    int failed;
} runs_t;

static void runs_free(runs_t *r)
{
    free(r->v);
    gk_buf_free(&r->text);
    memset(r, 0, sizeof *r);
}

static run_t *runs_add(runs_t *r)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        run_t *v = realloc(r->v, cap * sizeof *v);
        if (!v) {
            r->failed = 1;
            return NULL;
        }
        r->v = v;
        r->cap = cap;
    }
    run_t *u = &r->v[r->n++];
    memset(u, 0, sizeof *u);
    return u;
}

/* The state of the TextObject being read. */
typedef struct {
    double bx, by;     /* Boundary origin */
    double ctm[6];     /* a b c d e f */
    double size;
    double x, y;       /* the last TextCode's X/Y, for codes without them */
} textobj_t;

static void textobj_start(gk_xml_t *x, textobj_t *t)
{
    double b[4] = {0, 0, 0, 0};
    char *v = gk_xml_attr(x, "Boundary");
    parse_numbers(v, b, 4);
    free(v);
    t->bx = b[0];
    t->by = b[1];
    double m[6] = {1, 0, 0, 1, 0, 0};
    v = gk_xml_attr(x, "CTM");
    if (parse_numbers(v, m, 6) != 6) {
        m[0] = m[3] = 1;
        m[1] = m[2] = m[4] = m[5] = 0;
    }
    free(v);
    memcpy(t->ctm, m, sizeof m);
    t->size = attr_number(x, "Size", DEFAULT_SIZE);
    double scale = sqrt(fabs(m[0] * m[3] - m[1] * m[2]));
    if (scale > 0 && isfinite(scale))
        t->size *= scale;
    if (!(t->size > 0) || !isfinite(t->size))
        t->size = DEFAULT_SIZE;
    t->x = t->y = 0;
}

/* Text of a TextCode: spaces are kept, but a run of white space with a
 * line break in it is the producer's pretty-printing, one space. */
static void append_code_text(gk_buf_t *b, const char *s)
{
    while (s && *s) {
        size_t n = strspn(s, " \t\r\n");
        if (n == 0) {
            size_t k = strcspn(s, " \t\r\n");
            gk_buf_append(b, s, k);
            s += k;
        } else {
            size_t brk = strcspn(s, "\t\r\n");
            if (brk < n)
                gk_buf_putc(b, ' ');
            else
                gk_buf_append(b, s, n);
            s += n;
        }
    }
}

/* Read one TextCode (the reader is on its start tag) into a run. */
static void textcode(gk_xml_t *x, textobj_t *t, runs_t *r)
{
    t->x = attr_number(x, "X", t->x);
    t->y = attr_number(x, "Y", t->y);
    char *delta = gk_xml_attr(x, "DeltaX");
    size_t start = r->text.len;
    if (xmlTextReaderIsEmptyElement(gk_xml_reader(x)) != 1) {
        int depth = gk_xml_depth(x);
        while (gk_xml_next(x) > 0) {
            if (xmlTextReaderNodeType(gk_xml_reader(x)) == XML_READER_TYPE_END_ELEMENT && gk_xml_depth(x) == depth)
                break;
            append_code_text(&r->text, gk_xml_text(x));
        }
    }
    size_t len = r->text.len - start;
    /* A lone space placed on its own would only make a blank line. */
    if (strspn(r->text.data ? r->text.data + start : "", " ") == len) {
        r->text.len = start;
        if (r->text.data)
            r->text.data[start] = '\0';
        free(delta);
        return;
    }
    run_t *u = runs_add(r);
    if (!u) {
        free(delta);
        return;
    }
    const double *m = t->ctm;
    u->x = finite_or(t->bx + m[0] * t->x + m[2] * t->y + m[4], 0);
    u->y = finite_or(t->by + m[1] * t->x + m[3] * t->y + m[5], 0);
    double adv = advance(delta, utf8_chars(r->text.data + start, len)) * fabs(m[0]);
    u->xend = finite_or(u->x + adv + t->size, u->x);
    u->size = t->size;
    u->rotated = fabs(m[1]) > fabs(m[0]) || fabs(m[2]) > fabs(m[3]);
    u->off = start;
    u->len = len;
    free(delta);
}

/* Read the TextCodes of a page or template; TEMPLATES gets the IDs of the
 * templates the page uses (up to MAX_PAGE_TEMPLATES). */
static gk_status_t read_runs(const gk_buf_t *xml, const gk_extract_limits_t *lim, gk_fields_t *f, runs_t *r,
                             char **templates, int *ntemplates)
{
    gk_xml_t *x;
    gk_status_t st = gk_xml_open(gk_buf_str(xml), xml->len, lim, f, &x);
    if (st != GK_OK)
        return st;
    textobj_t t;
    memset(&t, 0, sizeof t);
    t.ctm[0] = t.ctm[3] = 1;
    t.size = DEFAULT_SIZE;
    while (gk_xml_next(x) > 0 && !r->failed && !gk_buf_failed(&r->text)) {
        if (xmlTextReaderNodeType(gk_xml_reader(x)) != XML_READER_TYPE_ELEMENT)
            continue;
        const char *name = gk_xml_name(x);
        if (strcmp(name, "TextObject") == 0) {
            textobj_start(x, &t);
        } else if (strcmp(name, "TextCode") == 0) {
            textcode(x, &t, r);
            if (r->text.len > lim->max_text_bytes)
                break;
        } else if (strcmp(name, "Template") == 0 && templates && *ntemplates < MAX_PAGE_TEMPLATES) {
            char *id = gk_xml_attr(x, "TemplateID");
            if (id)
                templates[(*ntemplates)++] = id;
        }
    }
    st = gk_xml_close(x);
    if (st == GK_OK && (r->failed || gk_buf_failed(&r->text)))
        st = gk_fields_fail(f, GK_ERR_NOMEM, "out of memory");
    if (st == GK_OK && r->text.len > lim->max_text_bytes)
        st = gk_fields_fail(f, GK_ERR_TOO_LARGE, "text exceeds %zu bytes", lim->max_text_bytes);
    return st;
}

/* ------------------------------------------------------------------ */
/* Lines                                                                */
/* ------------------------------------------------------------------ */

static double line_tolerance(const run_t *a, const run_t *b)
{
    double s = a->size > b->size ? a->size : b->size;
    return s * 0.5;
}

/* Turned text (stamps, vertical labels drawn a character at a time) runs
 * along no baseline we know: neighbouring turned characters join. */
static int same_line(const run_t *prev, const run_t *cur)
{
    double tol = line_tolerance(prev, cur);
    if (prev->rotated && cur->rotated)
        return hypot(cur->x - prev->x, cur->y - prev->y) <= 4 * tol;
    return fabs(cur->y - prev->y) <= tol && cur->x >= prev->x - tol;
}

/* Is document order clearly not reading order? Pages of mostly turned
 * text have no rows to sort into and keep their order. */
static int scrambled(const runs_t *r)
{
    size_t lines = 1, up = 0, rotated = 0;
    for (size_t i = 0; i < r->n; i++)
        rotated += r->v[i].rotated != 0;
    if (rotated * 4 > r->n)
        return 0;
    for (size_t i = 1; i < r->n; i++) {
        if (same_line(&r->v[i - 1], &r->v[i]))
            continue;
        lines++;
        double tol = line_tolerance(&r->v[i - 1], &r->v[i]);
        /* Reading order never climbs the page, nor steps left on a line. */
        if (r->v[i].y < r->v[i - 1].y - tol || fabs(r->v[i].y - r->v[i - 1].y) <= tol)
            up++;
    }
    return up >= 3 && up * 4 > lines;
}

static int by_y(const void *a, const void *b)
{
    const run_t *p = a, *q = b;
    if (p->y != q->y)
        return p->y < q->y ? -1 : 1;
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    return p->off < q->off ? -1 : p->off > q->off;
}

static int by_x(const void *a, const void *b)
{
    const run_t *p = a, *q = b;
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    return p->off < q->off ? -1 : p->off > q->off;
}

/* Sort into lines: by baseline, runs within tolerance of a line's first
 * run join it, each line read left to right. */
static void sort_geometric(runs_t *r)
{
    qsort(r->v, r->n, sizeof *r->v, by_y);
    size_t i = 0;
    while (i < r->n) {
        size_t j = i + 1;
        while (j < r->n && fabs(r->v[j].y - r->v[i].y) <= line_tolerance(&r->v[i], &r->v[j]))
            j++;
        qsort(r->v + i, j - i, sizeof *r->v, by_x);
        /* Line them up on the first baseline so the writer joins them. */
        for (size_t k = i; k < j; k++)
            r->v[k].y = r->v[i].y;
        i = j;
    }
}

static int same_text(const runs_t *r, const run_t *a, const run_t *b)
{
    return a->len == b->len && memcmp(r->text.data + a->off, r->text.data + b->off, a->len) == 0;
}

static int by_off(const void *a, const void *b)
{
    const run_t *p = a, *q = b;
    return p->off < q->off ? -1 : p->off > q->off;
}

/* Drop text drawn twice at one place (some producers repeat a layer, or
 * fake bold by drawing again): the later copy in document order goes.
 * Copies are found as neighbours in page order, a bounded look-ahead. */
static void drop_duplicates(runs_t *r)
{
    if (r->n < 2)
        return;
    qsort(r->v, r->n, sizeof *r->v, by_y);
    for (size_t i = 0; i < r->n; i++) {
        run_t *a = &r->v[i];
        double eps = a->size * 0.2;
        for (size_t j = i + 1; j < r->n && j < i + 64 && r->v[j].y - a->y <= eps; j++) {
            run_t *b = &r->v[j];
            if (!b->dup && fabs(b->x - a->x) <= eps && same_text(r, a, b))
                (a->off < b->off ? b : a)->dup = 1;
        }
    }
    qsort(r->v, r->n, sizeof *r->v, by_off);
    size_t k = 0;
    for (size_t i = 0; i < r->n; i++)
        if (!r->v[i].dup)
            r->v[k++] = r->v[i];
    r->n = k;
}

/* Write the runs as lines to OUT. */
static void write_lines(runs_t *r, gk_buf_t *out)
{
    drop_duplicates(r);
    if (r->n == 0)
        return;
    if (scrambled(r))
        sort_geometric(r);
    if (out->len > 0 && out->data[out->len - 1] != '\n')
        gk_buf_putc(out, '\n');
    for (size_t i = 0; i < r->n; i++) {
        const run_t *cur = &r->v[i];
        if (i > 0) {
            const run_t *prev = &r->v[i - 1];
            if (!same_line(prev, cur))
                gk_buf_putc(out, '\n');
            else if (cur->x - prev->xend > 1.5 * cur->size)
                gk_buf_putc(out, ' ');
        }
        gk_buf_append(out, r->text.data + cur->off, cur->len);
    }
    gk_buf_putc(out, '\n');
}

/* ------------------------------------------------------------------ */
/* Paths inside the package                                             */
/* ------------------------------------------------------------------ */

/* Join DIR (ending in '/' or empty) and LOC into a zip entry name, with
 * "." and ".." resolved; LOC starting with '/' is from the package root. */
static void resolve(const char *dir, const char *loc, gk_buf_t *out)
{
    gk_buf_t joined = GK_BUF_INIT;
    while (*loc == ' ' || *loc == '\t' || *loc == '\n' || *loc == '\r')
        loc++;
    if (*loc != '/')
        gk_buf_puts(&joined, dir);
    gk_buf_puts(&joined, loc);
    gk_buf_reset(out);
    const char *p = gk_buf_str(&joined);
    while (*p) {
        while (*p == '/')
            p++;
        const char *seg = p;
        while (*p && *p != '/')
            p++;
        size_t n = (size_t)(p - seg);
        /* Trailing white space in an element value is not part of a name. */
        while (!*p && n > 0 && (seg[n - 1] == ' ' || seg[n - 1] == '\n' || seg[n - 1] == '\r' || seg[n - 1] == '\t'))
            n--;
        if (n == 0 || (n == 1 && seg[0] == '.'))
            continue;
        if (n == 2 && seg[0] == '.' && seg[1] == '.') {
            char *slash = out->len ? memrchr(out->data, '/', out->len) : NULL;
            out->len = slash ? (size_t)(slash - out->data) : 0;
            if (out->data)
                out->data[out->len] = '\0';
            continue;
        }
        if (out->len)
            gk_buf_putc(out, '/');
        gk_buf_append(out, seg, n);
    }
    gk_buf_free(&joined);
}

/* The directory part of NAME, with its trailing '/', into OUT. */
static void dir_of(const char *name, gk_buf_t *out)
{
    gk_buf_reset(out);
    const char *slash = strrchr(name, '/');
    if (slash)
        gk_buf_append(out, name, (size_t)(slash - name) + 1);
    else
        gk_buf_puts(out, "");
}

/* Find LOC relative to DIR; failing that from the root (some producers
 * write package paths without the leading '/'), or as a directory holding
 * Content.xml. */
static int find_part(gk_zip_t *z, const char *dir, const char *loc, size_t *idx)
{
    gk_buf_t name = GK_BUF_INIT;
    int found = 0;
    const char *dirs[2] = {dir, ""};
    for (int d = 0; d < 2 && !found; d++) {
        resolve(dirs[d], loc, &name);
        found = name.len && !gk_buf_failed(&name) && gk_zip_find(z, name.data, idx);
        if (!found && name.len) {
            gk_buf_puts(&name, "/Content.xml");
            found = !gk_buf_failed(&name) && gk_zip_find(z, name.data, idx);
        }
    }
    gk_buf_free(&name);
    return found;
}

/* ------------------------------------------------------------------ */
/* OFD.xml and Document.xml                                             */
/* ------------------------------------------------------------------ */

typedef struct {
    char *root;                       /* DocRoot */
} docbody_t;

typedef struct {
    char *id, *loc;
    char *text;                       /* its lines, once read; NULL before */
    int read;
} template_t;

typedef struct {
    char *page_id, *loc;              /* an Annotations.xml entry, LOC from the root */
} annot_t;

typedef struct {
    char **pages;                     /* Page@BaseLoc in order */
    char **page_ids;                  /* their Page@ID (or NULL) */
    size_t npages, cap;
    char *annotations;                /* Document.xml's Annotations, or NULL */
    annot_t *annots;
    size_t nannots;
    template_t templates[MAX_TEMPLATES];
    int ntemplates;
    int failed;
} document_t;

static void document_free(document_t *d)
{
    for (size_t i = 0; i < d->npages; i++) {
        free(d->pages[i]);
        free(d->page_ids[i]);
    }
    free(d->pages);
    free(d->page_ids);
    free(d->annotations);
    for (size_t i = 0; i < d->nannots; i++) {
        free(d->annots[i].page_id);
        free(d->annots[i].loc);
    }
    free(d->annots);
    for (int i = 0; i < d->ntemplates; i++) {
        free(d->templates[i].id);
        free(d->templates[i].loc);
        free(d->templates[i].text);
    }
    memset(d, 0, sizeof *d);
}

/* The text content of the current element (the reader is on its start
 * tag), at most MAX_FIELD bytes, malloc'd; NULL when empty. */
static char *element_text(gk_xml_t *x)
{
    if (xmlTextReaderIsEmptyElement(gk_xml_reader(x)) == 1)
        return NULL;
    gk_buf_t b = GK_BUF_INIT;
    int depth = gk_xml_depth(x);
    while (gk_xml_next(x) > 0) {
        if (xmlTextReaderNodeType(gk_xml_reader(x)) == XML_READER_TYPE_END_ELEMENT && gk_xml_depth(x) == depth)
            break;
        const char *s = gk_xml_text(x);
        if (s && b.len < MAX_FIELD)
            gk_buf_puts(&b, s);
    }
    /* Values are trimmed: producers pretty-print them. */
    const char *s = gk_buf_str(&b);
    size_t start = strspn(s, " \t\r\n"), end = b.len;
    while (end > start && strchr(" \t\r\n", s[end - 1]))
        end--;
    char *v = NULL;
    if (end > start && !gk_buf_failed(&b)) {
        v = malloc(end - start + 1);
        if (v) {
            memcpy(v, s + start, end - start);
            v[end - start] = '\0';
        }
    }
    gk_buf_free(&b);
    return v;
}

static void set_once(char **field, char *value)
{
    if (value && !*field)
        *field = value;
    else
        free(value);
}

/* OFD.xml: the documents' roots, and the first document's metadata. */
static gk_status_t read_ofd_xml(const gk_buf_t *xml, const gk_extract_limits_t *lim, gk_fields_t *out,
                                docbody_t *docs, int *ndocs)
{
    gk_xml_t *x;
    gk_status_t st = gk_xml_open(gk_buf_str(xml), xml->len, lim, out, &x);
    if (st != GK_OK)
        return st;
    int in_info = 0, body = -1;
    while (gk_xml_next(x) > 0) {
        int type = xmlTextReaderNodeType(gk_xml_reader(x));
        const char *n = gk_xml_name(x);
        if (type == XML_READER_TYPE_END_ELEMENT) {
            if (strcmp(n, "DocInfo") == 0)
                in_info = 0;
            continue;
        }
        if (type != XML_READER_TYPE_ELEMENT)
            continue;
        if (strcmp(n, "DocBody") == 0) {
            body++;
        } else if (strcmp(n, "DocInfo") == 0) {
            in_info = xmlTextReaderIsEmptyElement(gk_xml_reader(x)) != 1;
        } else if (strcmp(n, "DocRoot") == 0) {
            char *root = element_text(x);
            if (root && *ndocs < MAX_DOCS)
                docs[(*ndocs)++].root = root;
            else
                free(root);
        } else if (in_info && body <= 0) {
            if (strcmp(n, "Title") == 0)
                set_once(&out->title, element_text(x));
            else if (strcmp(n, "Author") == 0)
                set_once(&out->author, element_text(x));
            else if (strcmp(n, "CreationDate") == 0)
                set_once(&out->created, element_text(x));
            else if (strcmp(n, "ModDate") == 0)
                set_once(&out->modified, element_text(x));
        }
    }
    return gk_xml_close(x);
}

static void add_page(document_t *d, char *loc, char *id)
{
    if (d->npages == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        char **v = realloc(d->pages, cap * sizeof *v);
        if (v)
            d->pages = v;
        char **w = v ? realloc(d->page_ids, cap * sizeof *w) : NULL;
        if (w)
            d->page_ids = w;
        if (!v || !w) {
            d->failed = 1;
            free(loc);
            free(id);
            return;
        }
        d->cap = cap;
    }
    d->pages[d->npages] = loc;
    d->page_ids[d->npages++] = id;
}

/* Document.xml: pages in order and template pages. Stops counting pages
 * beyond MAX_PAGES + 1, enough to tell the limit was passed. */
static gk_status_t read_document_xml(const gk_buf_t *xml, const gk_extract_limits_t *lim, gk_fields_t *out,
                                     document_t *d)
{
    gk_xml_t *x;
    gk_status_t st = gk_xml_open(gk_buf_str(xml), xml->len, lim, out, &x);
    if (st != GK_OK)
        return st;
    while (gk_xml_next(x) > 0 && !d->failed) {
        if (xmlTextReaderNodeType(gk_xml_reader(x)) != XML_READER_TYPE_ELEMENT)
            continue;
        const char *n = gk_xml_name(x);
        if (strcmp(n, "Page") == 0 && d->npages <= lim->max_pages) {
            char *loc = gk_xml_attr(x, "BaseLoc");
            if (loc)
                add_page(d, loc, gk_xml_attr(x, "ID"));
        } else if (strcmp(n, "TemplatePage") == 0 && d->ntemplates < MAX_TEMPLATES) {
            char *id = gk_xml_attr(x, "ID"), *loc = gk_xml_attr(x, "BaseLoc");
            if (id && loc) {
                template_t *t = &d->templates[d->ntemplates++];
                t->id = id;
                t->loc = loc;
            } else {
                free(id);
                free(loc);
            }
        } else if (strcmp(n, "Annotations") == 0) {
            set_once(&d->annotations, element_text(x));
        }
    }
    st = gk_xml_close(x);
    if (st == GK_OK && d->failed)
        st = gk_fields_fail(out, GK_ERR_NOMEM, "out of memory");
    return st;
}

/* ------------------------------------------------------------------ */
/* Reading a document                                                   */
/* ------------------------------------------------------------------ */

typedef struct {
    gk_zip_t *z;
    const gk_extract_limits_t *lim;
    gk_fields_t *out;
    const char *dir;     /* Document.xml's directory, with '/' */
    document_t *doc;
} reader_t;

/* Statuses that end the extraction; others lose one page or template. */
static int fatal(gk_status_t st)
{
    return st == GK_ERR_TOO_LARGE || st == GK_ERR_NOMEM || st == GK_ERR_ENCRYPTED;
}

/* The lines of the part at LOC into OUT (TEMPLATES as in read_runs). */
static gk_status_t part_lines(reader_t *rd, const char *loc, gk_buf_t *out, char **templates, int *ntemplates)
{
    size_t idx;
    if (!find_part(rd->z, rd->dir, loc, &idx))
        return GK_ERR_NOT_FOUND;
    gk_buf_t xml = GK_BUF_INIT;
    runs_t runs;
    memset(&runs, 0, sizeof runs);
    gk_status_t st = gk_zip_read(rd->z, idx, &xml, rd->out);
    if (st == GK_OK)
        st = read_runs(&xml, rd->lim, rd->out, &runs, templates, ntemplates);
    if (st == GK_OK)
        write_lines(&runs, out);
    gk_buf_free(&xml);
    runs_free(&runs);
    return st;
}

static gk_status_t template_text(reader_t *rd, const char *id, gk_buf_t *out)
{
    for (int i = 0; i < rd->doc->ntemplates; i++) {
        template_t *t = &rd->doc->templates[i];
        if (strcmp(t->id, id) != 0)
            continue;
        if (!t->read) {
            gk_buf_t b = GK_BUF_INIT;
            t->read = 1;
            gk_status_t st = part_lines(rd, t->loc, &b, NULL, NULL);
            if (fatal(st)) {
                gk_buf_free(&b);
                return st;
            }
            t->text = b.len && !gk_buf_failed(&b) ? gk_buf_steal(&b) : NULL;
            gk_buf_free(&b);
        }
        if (t->text)
            gk_buf_puts(out, t->text);
        return GK_OK;
    }
    return GK_OK;
}

static gk_status_t read_page(reader_t *rd, const char *loc, gk_buf_t *body)
{
    char *templates[MAX_PAGE_TEMPLATES];
    int ntemplates = 0;
    gk_buf_t page = GK_BUF_INIT;
    gk_status_t st = part_lines(rd, loc, &page, templates, &ntemplates);
    for (int i = 0; i < ntemplates; i++) {
        if (!fatal(st)) {
            gk_status_t tst = template_text(rd, templates[i], body);
            if (fatal(tst))
                st = tst;
        }
        free(templates[i]);
    }
    if (!fatal(st))
        gk_buf_append(body, gk_buf_str(&page), page.len);
    gk_buf_free(&page);
    if (!fatal(st) && gk_buf_failed(body))
        st = gk_fields_fail(rd->out, GK_ERR_NOMEM, "out of memory");
    if (!fatal(st) && body->len > rd->lim->max_text_bytes)
        st = gk_fields_fail(rd->out, GK_ERR_TOO_LARGE, "text exceeds %zu bytes", rd->lim->max_text_bytes);
    return fatal(st) ? st : GK_OK;
}

/* Annotations.xml (at NAME): which annotation file belongs to which page.
 * Broken or missing, the document is read without its annotations. */
static gk_status_t read_annotations(reader_t *rd, const char *name)
{
    document_t *d = rd->doc;
    size_t idx;
    if (!find_part(rd->z, rd->dir, name, &idx))
        return GK_OK;
    gk_buf_t xml = GK_BUF_INIT, full = GK_BUF_INIT, dir = GK_BUF_INIT, loc = GK_BUF_INIT;
    gk_status_t st = gk_zip_read(rd->z, idx, &xml, rd->out);
    gk_xml_t *x = NULL;
    if (st == GK_OK)
        st = gk_xml_open(gk_buf_str(&xml), xml.len, rd->lim, rd->out, &x);
    if (st == GK_OK) {
        dir_of(gk_zip_name(rd->z, idx), &dir);
        char *page = NULL;
        size_t cap = 0;
        while (gk_xml_next(x) > 0 && d->nannots <= d->npages) {
            if (xmlTextReaderNodeType(gk_xml_reader(x)) != XML_READER_TYPE_ELEMENT)
                continue;
            const char *n = gk_xml_name(x);
            if (strcmp(n, "Page") == 0) {
                free(page);
                page = gk_xml_attr(x, "PageID");
            } else if (strcmp(n, "FileLoc") == 0 && page) {
                char *v = element_text(x);
                if (!v)
                    continue;
                resolve(gk_buf_str(&dir), v, &loc);
                free(v);
                if (d->nannots == cap) {
                    size_t ncap = cap ? cap * 2 : 8;
                    annot_t *a = realloc(d->annots, ncap * sizeof *a);
                    if (!a)
                        break;
                    d->annots = a;
                    cap = ncap;
                }
                gk_buf_reset(&full);
                gk_buf_putc(&full, '/');
                gk_buf_append(&full, gk_buf_str(&loc), loc.len);
                char *l = gk_buf_failed(&full) ? NULL : strdup(full.data);
                if (l) {
                    d->annots[d->nannots].page_id = page;
                    d->annots[d->nannots++].loc = l;
                    page = NULL;
                }
            }
        }
        free(page);
        st = gk_xml_close(x);
    }
    gk_buf_free(&xml);
    gk_buf_free(&full);
    gk_buf_free(&dir);
    gk_buf_free(&loc);
    return fatal(st) ? st : GK_OK;
}

/* Append the lines of SRC to DST, each distinct line once (watermark
 * stamps repeat one text across the page). */
static void append_distinct_lines(gk_buf_t *dst, const gk_buf_t *src)
{
    const char *p = gk_buf_str(src), *end = p + src->len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        int seen = 0;
        for (const char *q = gk_buf_str(src); q + n <= p && !seen;) {
            const char *m = memmem(q, (size_t)(p - q), p, n);
            if (!m)
                break;
            seen = (m == src->data || m[-1] == '\n') && m[n] == '\n';
            q = m + 1;
        }
        if (n && !seen) {
            gk_buf_append(dst, p, n);
            gk_buf_putc(dst, '\n');
        }
        p += n + 1;
    }
}

/* The text of the annotations of the page with ID, after its own. */
static gk_status_t page_annotations(reader_t *rd, const char *id, gk_buf_t *body)
{
    for (size_t i = 0; id && i < rd->doc->nannots; i++) {
        if (strcmp(rd->doc->annots[i].page_id, id) != 0)
            continue;
        gk_buf_t b = GK_BUF_INIT;
        gk_status_t st = part_lines(rd, rd->doc->annots[i].loc, &b, NULL, NULL);
        append_distinct_lines(body, &b);
        gk_buf_free(&b);
        if (fatal(st))
            return st;
    }
    return GK_OK;
}

/* One document (DocRoot ROOT): its pages' text appended to BODY, their
 * count added to *PAGES. A missing or broken Document.xml is skipped. */
static gk_status_t read_document(gk_zip_t *z, const char *root, const gk_extract_limits_t *lim, gk_fields_t *out,
                                 gk_buf_t *body, int *pages)
{
    size_t idx;
    if (!find_part(z, "", root, &idx))
        return GK_OK;
    gk_buf_t xml = GK_BUF_INIT, name = GK_BUF_INIT, dir = GK_BUF_INIT;
    document_t doc;
    memset(&doc, 0, sizeof doc);
    gk_status_t st = gk_zip_read(z, idx, &xml, out);
    if (st == GK_OK)
        st = read_document_xml(&xml, lim, out, &doc);
    gk_buf_free(&xml);
    if (st == GK_OK && doc.npages + (size_t)*pages > lim->max_pages)
        st = gk_fields_fail(out, GK_ERR_TOO_LARGE, "more than %u pages", lim->max_pages);
    if (st == GK_OK) {
        resolve("", root, &name);
        dir_of(gk_buf_str(&name), &dir);
        reader_t rd = {z, lim, out, gk_buf_str(&dir), &doc};
        if (doc.annotations)
            st = read_annotations(&rd, doc.annotations);
        for (size_t i = 0; i < doc.npages && st == GK_OK; i++) {
            st = read_page(&rd, doc.pages[i], body);
            if (st == GK_OK)
                st = page_annotations(&rd, doc.page_ids[i], body);
        }
        *pages += (int)doc.npages;
    }
    document_free(&doc);
    gk_buf_free(&name);
    gk_buf_free(&dir);
    return fatal(st) ? st : GK_OK;
}

static gk_status_t extract_ofd(const gk_input_t *in, const gk_extract_limits_t *lim, gk_fields_t *out)
{
    gk_zip_t *z;
    gk_status_t st = gk_zip_open(in, lim, out, &z);
    if (st != GK_OK)
        return st;
    gk_buf_t xml = GK_BUF_INIT, body = GK_BUF_INIT;
    docbody_t docs[MAX_DOCS];
    int ndocs = 0, pages = 0;
    memset(docs, 0, sizeof docs);
    st = gk_zip_read_name(z, "OFD.xml", &xml, out);
    if (st == GK_ERR_NOT_FOUND)
        st = gk_fields_fail(out, GK_ERR_BAD_FILE, "not an OFD package (no OFD.xml)");
    if (st == GK_OK)
        st = read_ofd_xml(&xml, lim, out, docs, &ndocs);
    for (int i = 0; i < ndocs && st == GK_OK; i++)
        st = read_document(z, docs[i].root, lim, out, &body, &pages);
    if (st == GK_OK && pages == 0)
        st = gk_fields_fail(out, GK_ERR_BAD_FILE, "OFD package without pages");
    if (st == GK_OK && gk_buf_failed(&body))
        st = gk_fields_fail(out, GK_ERR_NOMEM, "out of memory");
    if (st == GK_OK) {
        out->error[0] = '\0';   /* a skipped page or template is not an error */
        out->pages = pages;
        gk_buf_free(&out->body);
        out->body = body;
        body = (gk_buf_t)GK_BUF_INIT;
    }
    for (int i = 0; i < ndocs; i++)
        free(docs[i].root);
    gk_buf_free(&xml);
    gk_buf_free(&body);
    gk_zip_close(z);
    return st;
}

static const char *const ofd_types[] = {"application/ofd", NULL};
const gk_extractor_t gk_extractor_ofd = {"ofd", ofd_types, extract_ofd, 1};
