/*
 * odf.c — OpenDocument text, spreadsheets and presentations (ODT, ODS, ODP).
 *
 * All three keep their text in content.xml, read here in one streaming
 * pass in document order: paragraphs and headings end in "\n", table
 * cells are joined by "\t" and rows by "\n", slides follow one another
 * with their speaker notes after them (as content.xml stores them).
 * Footnote and endnote bodies are gathered and written after the body so
 * they do not cut the sentence that cites them; headers and footers of
 * the master pages (styles.xml) come last, each distinct text once.
 * Deleted text kept for change tracking, comments and alt text are left out.
 *
 * Spreadsheets describe runs of identical cells and rows with a repeat
 * count (a sheet is often 1,048,576 rows of which three are used). Empty
 * runs write nothing, a gap of empty cells before a filled one writes at
 * most GAP_TABS tabs, and a filled run is repeated at most MAX_REPEAT
 * times, so output stays proportional to the content actually stored.
 */
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "xmlstream.h"
#include "zipfile.h"

#define MAX_REPEAT 256       /* copies of a repeated non-empty cell or row */
#define GAP_TABS 64          /* tabs written for a run of empty cells */
#define MAX_TABLE_NEST 16    /* tables inside cells deeper than this are flattened */
#define MAX_SPACES 1024      /* text:s c="..." */

/* ------------------------------------------------------------------ */
/* Sinks: a buffer with separators waiting to be written                */
/* ------------------------------------------------------------------ */

typedef struct {
    gk_buf_t buf;
    int nl;          /* a line break is due before the next text */
    int sp;          /* collapsed white space is due */
} sink_t;

static int ends_with(const gk_buf_t *b, char c) { return b->len > 0 && b->data[b->len - 1] == c; }

/* Write what is due before text: a break (never at the very start, never
 * doubled), else a space that is not at a line or cell start. */
static void sink_flush(sink_t *s)
{
    if (s->nl) {
        if (s->buf.len > 0 && !ends_with(&s->buf, '\n'))
            gk_buf_putc(&s->buf, '\n');
    } else if (s->sp && s->buf.len > 0 && !ends_with(&s->buf, '\n') && !ends_with(&s->buf, '\t') &&
               !ends_with(&s->buf, ' ')) {
        gk_buf_putc(&s->buf, ' ');
    }
    s->nl = s->sp = 0;
}

static void sink_raw(sink_t *s, const char *text, size_t len)
{
    if (!len)
        return;
    sink_flush(s);
    gk_buf_append(&s->buf, text, len);
}

/* Character data of a paragraph: runs of XML white space count as one
 * space, as ODF defines (literal runs of spaces are text:s elements). */
static void sink_text(sink_t *s, const char *t)
{
    while (*t) {
        if (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r') {
            s->sp = 1;
            t++;
            continue;
        }
        const char *run = t;
        while (*t && *t != ' ' && *t != '\t' && *t != '\n' && *t != '\r')
            t++;
        sink_raw(s, run, (size_t)(t - run));
    }
}

static void sink_break(sink_t *s)
{
    s->nl = 1;
    s->sp = 0;
}

static void sink_free(sink_t *s) { gk_buf_free(&s->buf); }

/* ------------------------------------------------------------------ */
/* Tables                                                              */
/* ------------------------------------------------------------------ */

typedef struct {
    sink_t row;          /* the row being read */
    sink_t cell;         /* the cell being read */
    size_t col;          /* column index of the next cell */
    size_t written_col;  /* column of the last cell written to the row */
    int wrote;           /* the row holds a cell */
    unsigned row_repeat;
    unsigned cell_repeat;
    int in_row, in_cell;
} table_t;

/* A repeat attribute, 1 when absent or invalid; big values are kept so
 * column counting stays right, only the copies written are capped. */
static unsigned repeat_attr(gk_xml_t *x, const char *name)
{
    char *v = gk_xml_attr(x, name);
    unsigned long n = v ? strtoul(v, NULL, 10) : 1;
    free(v);
    if (n < 1)
        n = 1;
    if (n > (1ul << 24))
        n = 1ul << 24;
    return (unsigned)n;
}

/* ------------------------------------------------------------------ */
/* The walk over content.xml (or styles.xml)                             */
/* ------------------------------------------------------------------ */

typedef struct {
    gk_xml_t *x;
    const gk_extract_limits_t *lim;
    gk_fields_t *f;
    int styles;           /* reading styles.xml: only headers and footers count */
    sink_t *main;         /* where top-level text goes */
    sink_t notes;         /* footnote / endnote bodies */
    int note_depth;       /* open text:note-body elements */
    table_t tables[MAX_TABLE_NEST];
    int ntables;          /* open tables we track */
    int deep_tables;      /* open tables beyond MAX_TABLE_NEST */
    int para;             /* open text:p / text:h */
    int skip_depth;       /* > 0: inside a subtree being skipped, its depth + 1 */
    int hf;               /* inside a master page header or footer (styles) */
    int slides;           /* draw:page count (content.xml) */
    gk_status_t status;
} walk_t;

/* The sink text goes to now. */
static sink_t *current(walk_t *w)
{
    if (w->note_depth > 0)
        return &w->notes;
    if (w->ntables > 0) {
        table_t *t = &w->tables[w->ntables - 1];
        if (t->in_cell)
            return &t->cell;
        if (t->in_row)
            return &t->row;
    }
    return w->main;
}

static sink_t *parent_of_table(walk_t *w)
{
    if (w->ntables > 1) {
        table_t *t = &w->tables[w->ntables - 2];
        if (t->in_cell)
            return &t->cell;
        if (t->in_row)
            return &t->row;
    }
    return w->main;
}

/* Subtrees whose text is not part of the document's reading text. */
static int skipped_element(const char *name)
{
    static const char *const names[] = {
        "tracked-changes",  /* deleted text kept for change tracking */
        "annotation",       /* comments */
        "sequence-decls", "variable-decls", "user-field-decls",
        "forms", "scripts", "event-listeners",
        "page-thumbnail",
        NULL,
    };
    for (const char *const *n = names; *n; n++)
        if (strcmp(name, *n) == 0)
            return 1;
    return 0;
}

static void start_skip(walk_t *w)
{
    if (!xmlTextReaderIsEmptyElement(gk_xml_reader(w->x)))
        w->skip_depth = gk_xml_depth(w->x) + 1;
}

/* A date cell's ISO date (YYYY-MM-DD) into OUT, or 0. */
static int cell_date(gk_xml_t *x, char out[11])
{
    char *type = gk_xml_attr(x, "value-type");
    int is_date = type && strcmp(type, "date") == 0;
    free(type);
    if (!is_date)
        return 0;
    char *v = gk_xml_attr(x, "date-value");
    int ok = v && strlen(v) >= 10;
    for (int k = 0; ok && k < 10; k++)
        ok = (k == 4 || k == 7) ? v[k] == '-' : (v[k] >= '0' && v[k] <= '9');
    if (ok) {
        memcpy(out, v, 10);
        out[10] = '\0';
    }
    free(v);
    return ok;
}

static void table_start(walk_t *w)
{
    sink_break(current(w));
    if (w->ntables >= MAX_TABLE_NEST) {
        w->deep_tables++;
        return;
    }
    table_t *t = &w->tables[w->ntables++];
    memset(t, 0, sizeof *t);
}

static void table_end(walk_t *w)
{
    if (w->deep_tables > 0) {
        w->deep_tables--;
        return;
    }
    if (w->ntables == 0)
        return;
    table_t *t = &w->tables[--w->ntables];
    sink_free(&t->row);
    sink_free(&t->cell);
    sink_break(current(w));
}

static void row_start(walk_t *w)
{
    if (w->deep_tables > 0 || w->ntables == 0)
        return;
    table_t *t = &w->tables[w->ntables - 1];
    gk_buf_reset(&t->row.buf);
    t->row.nl = t->row.sp = 0;
    t->col = t->written_col = 0;
    t->wrote = 0;
    t->in_row = 1;
    t->row_repeat = repeat_attr(w->x, "number-rows-repeated");
}

/* A filled row goes to the table's parent once per repeat (capped); an
 * empty one, however often repeated, writes nothing. */
static void row_end(walk_t *w)
{
    if (w->deep_tables > 0 || w->ntables == 0)
        return;
    table_t *t = &w->tables[w->ntables - 1];
    if (!t->in_row)
        return;
    t->in_row = 0;
    if (t->row.buf.len == 0)
        return;
    sink_t *to = parent_of_table(w);
    unsigned n = t->row_repeat < MAX_REPEAT ? t->row_repeat : MAX_REPEAT;
    for (unsigned k = 0; k < n && to->buf.len <= w->lim->max_text_bytes; k++) {
        sink_break(to);
        sink_raw(to, t->row.buf.data, t->row.buf.len);
        sink_break(to);
    }
}

static void cell_start(walk_t *w)
{
    if (w->deep_tables > 0 || w->ntables == 0)
        return;
    table_t *t = &w->tables[w->ntables - 1];
    gk_buf_reset(&t->cell.buf);
    t->cell.nl = t->cell.sp = 0;
    t->in_cell = 1;
    t->cell_repeat = repeat_attr(w->x, "number-columns-repeated");
    char date[11];
    if (cell_date(w->x, date)) {
        sink_raw(&t->cell, date, 10);
        start_skip(w);   /* the displayed form of the date */
    }
}

static void cell_end(walk_t *w)
{
    if (w->deep_tables > 0 || w->ntables == 0)
        return;
    table_t *t = &w->tables[w->ntables - 1];
    if (!t->in_cell)
        return;
    t->in_cell = 0;
    if (t->cell.buf.len > 0) {
        unsigned n = t->cell_repeat < MAX_REPEAT ? t->cell_repeat : MAX_REPEAT;
        for (unsigned k = 0; k < n && t->row.buf.len <= w->lim->max_text_bytes; k++) {
            size_t col = t->col + k;
            size_t gap = t->wrote ? col - t->written_col : col;
            for (size_t g = 0; g < gap && g < GAP_TABS; g++)
                gk_buf_putc(&t->row.buf, '\t');
            gk_buf_append(&t->row.buf, t->cell.buf.data, t->cell.buf.len);
            t->written_col = col;
            t->wrote = 1;
        }
    }
    t->col += t->cell_repeat;
}

/* Header and footer elements of a master page (styles.xml). */
static int is_header_footer(const char *name)
{
    static const char *const names[] = {"header", "header-left", "header-first",
                                        "footer", "footer-left", "footer-first", NULL};
    for (const char *const *n = names; *n; n++)
        if (strcmp(name, *n) == 0)
            return 1;
    return 0;
}

/* Is the current element in a namespace whose URI ends in TAIL? */
static int ns_is(gk_xml_t *x, const char *tail)
{
    const char *uri = (const char *)xmlTextReaderConstNamespaceUri(gk_xml_reader(x));
    size_t n = uri ? strlen(uri) : 0, m = strlen(tail);
    return n >= m && strcmp(uri + n - m, tail) == 0;
}

static void on_start(walk_t *w, const char *name)
{
    xmlTextReaderPtr r = gk_xml_reader(w->x);
    int empty = xmlTextReaderIsEmptyElement(r) == 1;
    if (skipped_element(name) || (ns_is(w->x, ":svg-compatible:1.0") &&
                                   (strcmp(name, "desc") == 0 || strcmp(name, "title") == 0))) {
        start_skip(w);
        return;
    }
    if (w->styles) {
        if (is_header_footer(name) && !empty)
            w->hf++;
        if (!w->hf)
            return;
    }
    sink_t *s = current(w);
    if (strcmp(name, "p") == 0 || strcmp(name, "h") == 0) {
        sink_break(s);
        if (!empty)
            w->para++;
    } else if (strcmp(name, "s") == 0 && w->para) {
        char *c = gk_xml_attr(w->x, "c");
        long n = c ? strtol(c, NULL, 10) : 1;
        free(c);
        if (n < 1)
            n = 1;
        sink_flush(s);
        for (long k = 0; k < n && k < MAX_SPACES; k++)
            gk_buf_putc(&s->buf, ' ');
    } else if (strcmp(name, "tab") == 0 && w->para) {
        sink_flush(s);
        gk_buf_putc(&s->buf, '\t');
    } else if (strcmp(name, "line-break") == 0 && w->para) {
        sink_flush(s);
        gk_buf_putc(&s->buf, '\n');
    } else if (strcmp(name, "note-body") == 0 && !empty) {
        w->note_depth++;
        sink_break(&w->notes);
    } else if (strcmp(name, "table") == 0 && !empty) {
        table_start(w);
    } else if (strcmp(name, "table-row") == 0) {
        row_start(w);
        if (empty)
            row_end(w);
    } else if (strcmp(name, "table-cell") == 0 || strcmp(name, "covered-table-cell") == 0) {
        cell_start(w);
        if (empty)
            cell_end(w);
    } else if (strcmp(name, "page") == 0 && !w->styles && ns_is(w->x, ":drawing:1.0")) {
        w->slides++;
        sink_break(s);
    }
}

static void on_end(walk_t *w, const char *name)
{
    if (w->styles && !w->hf)
        return;
    if (w->styles && is_header_footer(name)) {
        w->hf--;
        sink_break(w->main);
        return;
    }
    if (strcmp(name, "p") == 0 || strcmp(name, "h") == 0) {
        if (w->para > 0)
            w->para--;
        sink_break(current(w));
    } else if (strcmp(name, "note-body") == 0) {
        if (w->note_depth > 0)
            w->note_depth--;
        sink_break(&w->notes);
    } else if (strcmp(name, "table") == 0) {
        table_end(w);
    } else if (strcmp(name, "table-row") == 0) {
        row_end(w);
    } else if (strcmp(name, "table-cell") == 0 || strcmp(name, "covered-table-cell") == 0) {
        cell_end(w);
    } else if (strcmp(name, "page") == 0 || strcmp(name, "frame") == 0 || strcmp(name, "notes") == 0) {
        sink_break(current(w));
    }
}

static size_t walk_size(const walk_t *w)
{
    size_t n = w->main->buf.len + w->notes.buf.len;
    for (int k = 0; k < w->ntables; k++)
        n += w->tables[k].row.buf.len + w->tables[k].cell.buf.len;
    return n;
}

static int walk_failed(const walk_t *w)
{
    if (gk_buf_failed(&w->main->buf) || gk_buf_failed(&w->notes.buf))
        return 1;
    for (int k = 0; k < w->ntables; k++)
        if (gk_buf_failed(&w->tables[k].row.buf) || gk_buf_failed(&w->tables[k].cell.buf))
            return 1;
    return 0;
}

static gk_status_t walk(walk_t *w)
{
    xmlTextReaderPtr r = gk_xml_reader(w->x);
    int rc;
    while ((rc = gk_xml_next(w->x)) > 0) {
        int type = xmlTextReaderNodeType(r);
        if (w->skip_depth) {
            if (type == XML_READER_TYPE_END_ELEMENT && gk_xml_depth(w->x) + 1 == w->skip_depth) {
                w->skip_depth = 0;
                on_end(w, gk_xml_name(w->x));   /* e.g. the end of a date cell */
            }
            continue;
        }
        if (type == XML_READER_TYPE_ELEMENT) {
            const char *name = gk_xml_name(w->x);
            on_start(w, name);
            if (xmlTextReaderIsEmptyElement(r) == 1 && !w->skip_depth &&
                (strcmp(name, "p") == 0 || strcmp(name, "h") == 0 || strcmp(name, "page") == 0))
                on_end(w, name);
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            on_end(w, gk_xml_name(w->x));
        } else if (w->para > 0 && (!w->styles || w->hf)) {
            const char *t = gk_xml_text(w->x);
            if (!t && type == XML_READER_TYPE_WHITESPACE)
                t = " ";
            if (t)
                sink_text(current(w), t);
        }
        if ((w->note_depth || w->ntables) && walk_size(w) > w->lim->max_text_bytes)
            return gk_fields_fail(w->f, GK_ERR_TOO_LARGE, "text exceeds %zu bytes", w->lim->max_text_bytes);
        if (w->main->buf.len > w->lim->max_text_bytes)
            return gk_fields_fail(w->f, GK_ERR_TOO_LARGE, "text exceeds %zu bytes", w->lim->max_text_bytes);
        if (walk_failed(w))
            return gk_fields_fail(w->f, GK_ERR_NOMEM, "out of memory");
    }
    return GK_OK;
}

static void walk_free(walk_t *w)
{
    sink_free(&w->notes);
    for (int k = 0; k < w->ntables; k++) {
        sink_free(&w->tables[k].row);
        sink_free(&w->tables[k].cell);
    }
    w->ntables = 0;
}

/* Walk one XML part into MAIN. SLIDES, when not NULL, gets the draw:page count. */
static gk_status_t read_part(const gk_buf_t *xml, int styles, sink_t *main, const gk_extract_limits_t *lim,
                             gk_fields_t *f, int *slides)
{
    walk_t w;
    memset(&w, 0, sizeof w);
    w.lim = lim;
    w.f = f;
    w.styles = styles;
    w.main = main;
    gk_status_t st = gk_xml_open(gk_buf_str(xml), xml->len, lim, f, &w.x);
    if (st != GK_OK)
        return st;
    st = walk(&w);
    gk_status_t xst = gk_xml_close(w.x);
    if (st == GK_OK)
        st = xst;
    if (st == GK_OK && w.notes.buf.len > 0) {
        sink_break(main);
        sink_raw(main, w.notes.buf.data, w.notes.buf.len);
        sink_break(main);
    }
    if (slides)
        *slides = w.slides;
    walk_free(&w);
    return st;
}

/* ------------------------------------------------------------------ */
/* Headers and footers: each distinct text once                          */
/* ------------------------------------------------------------------ */

/* Append the lines of HF to BODY that BODY's header/footer part (from
 * FROM on) does not hold yet; master pages often repeat one header. */
static void append_distinct_lines(gk_buf_t *body, size_t from, const gk_buf_t *hf)
{
    const char *p = gk_buf_str(hf), *end = p + hf->len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        int seen = 0;
        for (const char *q = body->data ? body->data + from : NULL; q && n;) {
            const char *m = memmem(q, body->len - (size_t)(q - body->data), p, n);
            if (!m)
                break;
            if ((m == body->data + from || m[-1] == '\n') && (m[n] == '\n' || m[n] == '\0')) {
                seen = 1;
                break;
            }
            q = m + 1;
        }
        if (n && !seen) {
            if (body->len > 0 && !ends_with(body, '\n'))
                gk_buf_putc(body, '\n');
            gk_buf_append(body, p, n);
        }
        p += n + 1;
    }
}

/* ------------------------------------------------------------------ */
/* meta.xml                                                            */
/* ------------------------------------------------------------------ */

static void read_meta(const gk_buf_t *xml, const gk_extract_limits_t *lim, gk_fields_t *out)
{
    gk_xml_t *x;
    gk_fields_t scratch;   /* a broken meta.xml does not fail the document */
    gk_fields_init(&scratch);
    if (gk_xml_open(gk_buf_str(xml), xml->len, lim, &scratch, &x) != GK_OK)
        return;
    char *initial = NULL, *creator = NULL;   /* the first author wins over the last editor */
    char **field = NULL;
    gk_buf_t text = GK_BUF_INIT;
    while (gk_xml_next(x) > 0) {
        int type = xmlTextReaderNodeType(gk_xml_reader(x));
        if (type == XML_READER_TYPE_ELEMENT) {
            const char *n = gk_xml_name(x);
            const char *uri = (const char *)xmlTextReaderConstNamespaceUri(gk_xml_reader(x));
            int dc = uri && strstr(uri, "purl.org/dc/") != NULL;
            gk_buf_reset(&text);
            field = NULL;
            if (dc && strcmp(n, "title") == 0)
                field = &out->title;
            else if (strcmp(n, "initial-creator") == 0)
                field = &initial;
            else if (dc && strcmp(n, "creator") == 0)
                field = &creator;
            else if (strcmp(n, "creation-date") == 0)
                field = &out->created;
            else if (dc && strcmp(n, "date") == 0)
                field = &out->modified;
            else if (strcmp(n, "document-statistic") == 0) {
                char *pc = gk_xml_attr(x, "page-count");
                long v = pc ? strtol(pc, NULL, 10) : 0;
                if (v > 0 && v < 1000000)
                    out->pages = (int)v;
                free(pc);
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (field && text.len && !gk_buf_failed(&text))
                gk_fields_set(field, text.data, text.len);
            field = NULL;
        } else if (field) {
            const char *t = gk_xml_text(x);
            if (t && text.len < 4096)
                gk_buf_puts(&text, t);
        }
    }
    gk_xml_close(x);
    gk_buf_free(&text);
    if (initial || creator) {
        free(out->author);
        out->author = initial ? initial : creator;
        if (initial)
            free(creator);
    }
}

/* ------------------------------------------------------------------ */
/* The package                                                          */
/* ------------------------------------------------------------------ */

/* Is the package encrypted? Its manifest then describes the ciphers. */
static int package_encrypted(gk_zip_t *z, gk_fields_t *f)
{
    gk_buf_t man = GK_BUF_INIT;
    int enc = gk_zip_read_name(z, "META-INF/manifest.xml", &man, f) == GK_OK && man.len &&
              memmem(man.data, man.len, "encryption-data", 15) != NULL;
    gk_buf_free(&man);
    return enc;
}

static gk_status_t extract_odf(const gk_input_t *in, const gk_extract_limits_t *lim, gk_fields_t *out)
{
    gk_zip_t *z;
    gk_status_t st = gk_zip_open(in, lim, out, &z);
    if (st != GK_OK)
        return st;
    /* The mimetype entry only tells a damaged ODF package from another
     * zip: libmagic has already read it, and one naming another ODF kind
     * (a spreadsheet sent as text) changes nothing, since all three kinds
     * are read from content.xml alike. */
    size_t idx;
    if (!gk_zip_find(z, "content.xml", &idx)) {
        int odf = gk_zip_find(z, "mimetype", &idx);
        gk_zip_close(z);
        return gk_fields_fail(out, GK_ERR_BAD_FILE, odf ? "ODF package without content.xml"
                                                       : "not an OpenDocument package (no content.xml)");
    }
    if (package_encrypted(z, out)) {
        gk_zip_close(z);
        return gk_fields_fail(out, GK_ERR_ENCRYPTED, "encrypted (ODF package needs a password)");
    }
    out->error[0] = '\0';

    gk_buf_t part = GK_BUF_INIT;
    sink_t body = {GK_BUF_INIT, 0, 0};
    int slides = 0;
    st = gk_zip_read(z, idx, &part, out);
    if (st == GK_OK)
        st = read_part(&part, 0, &body, lim, out, &slides);

    if (st == GK_OK) {
        gk_buf_reset(&part);
        if (gk_zip_read_name(z, "styles.xml", &part, out) == GK_OK) {
            sink_t hf = {GK_BUF_INIT, 0, 0};
            gk_fields_t scratch;   /* headers are a bonus: a broken styles.xml loses only them */
            gk_fields_init(&scratch);
            if (read_part(&part, 1, &hf, lim, &scratch, NULL) == GK_OK)
                append_distinct_lines(&body.buf, body.buf.len, &hf.buf);
            sink_free(&hf);
        }
        out->error[0] = '\0';
        gk_buf_reset(&part);
        if (gk_zip_read_name(z, "meta.xml", &part, out) == GK_OK)
            read_meta(&part, lim, out);
        out->error[0] = '\0';
    }
    gk_buf_free(&part);
    gk_zip_close(z);

    if (st == GK_OK && gk_buf_failed(&body.buf))
        st = gk_fields_fail(out, GK_ERR_NOMEM, "out of memory");
    if (st == GK_OK && slides > 0)
        out->pages = slides;
    if (st == GK_OK && (unsigned)slides > lim->max_pages)
        st = gk_fields_fail(out, GK_ERR_TOO_LARGE, "%d slides exceed the limit of %u", slides, lim->max_pages);
    if (st == GK_OK) {
        gk_buf_free(&out->body);
        out->body = body.buf;
        body.buf = (gk_buf_t)GK_BUF_INIT;
    }
    sink_free(&body);
    return st;
}

static const char *const odt_types[] = {"application/vnd.oasis.opendocument.text", NULL};
const gk_extractor_t gk_extractor_odt = {"odt", odt_types, extract_odf, 1};

static const char *const ods_types[] = {"application/vnd.oasis.opendocument.spreadsheet", NULL};
const gk_extractor_t gk_extractor_ods = {"ods", ods_types, extract_odf, 1};

static const char *const odp_types[] = {"application/vnd.oasis.opendocument.presentation", NULL};
const gk_extractor_t gk_extractor_odp = {"odp", odp_types, extract_odf, 1};
