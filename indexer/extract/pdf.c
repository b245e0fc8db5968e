/*
 * pdf.c — PDF through poppler-glib, read from memory, one page at a time:
 * a page is loaded, its text taken and the page released before the next,
 * so memory follows the largest page, not the document.
 *
 * Poppler's text comes in reading order but with a few habits that hurt
 * search, repaired here page by page:
 *   - spaces between CJK characters (glyphs placed one by one) are removed;
 *   - U+FFFD, control characters and byte-order marks are dropped;
 *   - pages where nearly every line is one CJK character (vertical titles,
 *     some "print to PDF" drivers) have those lines joined;
 *   - a line that fills the text width and ends inside a CJK sentence is
 *     joined to the next, since the analyser never makes a bigram across a
 *     line break and "通\n过" would not be found as "通过".
 *
 * A document is a scan when at least half of its pages show an image and
 * fewer than GK_PDF_TEXTLESS_CHARS non-blank characters, or when it has no
 * text at all: it is read (GK_OK, with whatever little text there is) and
 * flagged GK_FIELDS_NEEDS_OCR.
 */
#include <stdint.h>
#include <string.h>

#include <poppler.h>

#include "extract.h"
#include "fullwidth_shift.h"
#include "utf8.h"

/* A page with fewer non-blank characters than this has no real text layer:
 * a page number or a stamp's caption at most. */
#define GK_PDF_TEXTLESS_CHARS 10

/* Single-character line joining: at least this many non-empty lines on the
 * page, and at least this share (percent) of them one CJK character each. */
#define GK_PDF_COLUMN_MIN_LINES 4
#define GK_PDF_COLUMN_SHARE 80

/* Wrapped-line joining: a line counts as full when its width is at least
 * this share (percent) of the page's widest line, and the widest line must
 * be at least this wide (in half-width units) for the page to be prose. */
#define GK_PDF_FULL_LINE_SHARE 80
#define GK_PDF_PROSE_MIN_WIDTH 30

/* ------------------------------------------------------------------ */
/* Poppler's diagnostics                                               */
/* ------------------------------------------------------------------ */

/* poppler-glib sends its parser's complaints to g_log in the "Poppler"
 * domain. They are kept out of the terminal, and the last one is kept to
 * explain a refusal ("Couldn't read xref table"). */
static _Thread_local char last_poppler_message[160];

static void poppler_log(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
    (void)domain;
    (void)level;
    (void)data;
    if (message)
        g_strlcpy(last_poppler_message, message, sizeof last_poppler_message);
}

static gpointer install_log_handler(gpointer data)
{
    (void)data;
    g_log_set_handler("Poppler", G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION, poppler_log, NULL);
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Characters                                                          */
/* ------------------------------------------------------------------ */

static int is_han(uint32_t c)
{
    return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0x20000 && c <= 0x3FFFF);
}

/* Characters of CJK text: ideographs, radicals, CJK punctuation (not the
 * ideographic space), kana and full-width forms. */
static int is_cjk(uint32_t c)
{
    return is_han(c) || (c >= 0x2E80 && c <= 0x2FDF) || (c >= 0x3001 && c <= 0x30FF) ||
           (c >= 0x3100 && c <= 0x31FF) || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF01 && c <= 0xFF60) ||
           (c >= 0xFFE0 && c <= 0xFFE6);
}

/* Display width in half-width units, to compare line lengths. */
static unsigned char_width(uint32_t c)
{
    return is_cjk(c) || (c >= 0xAC00 && c <= 0xD7A3) ? 2 : 1;
}

/* Sentence ends after which a line break is a paragraph break. */
static int ends_sentence(uint32_t c)
{
    return c == 0x3002 /* 。 */ || c == 0xFF01 /* ！ */ || c == 0xFF1F /* ？ */ || c == 0xFF1B /* ； */ ||
           c == 0xFF1A /* ： */;
}

static int is_line_break(uint32_t c)
{
    return c == '\n' || c == '\r' || c == '\f' || c == 0x0B || c == 0x85 || c == 0x2028 || c == 0x2029;
}

static int is_blank(uint32_t c)
{
    return c == ' ' || c == '\t' || c == 0xA0 || c == 0x3000 || (c >= 0x2000 && c <= 0x200A);
}

/* Nothing a reader sees: controls, the replacement character (a glyph with
 * no Unicode mapping), byte-order marks and zero-width characters. */
static int is_dropped(uint32_t c)
{
    return (c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7F && c <= 0x9F) || c == 0xFFFD || c == 0xFEFF ||
           (c >= 0x200B && c <= 0x200F) || (c >= 0xFFF0 && c <= 0xFFFC) || (c >= 0xD800 && c <= 0xDFFF);
}

static void put_char(gk_buf_t *b, uint32_t c)
{
    char u[4];
    gk_buf_append(b, u, (size_t)gk_utf8_put(c, u));
}

/* ------------------------------------------------------------------ */
/* Cleaning one page                                                   */
/* ------------------------------------------------------------------ */

/* Write TEXT to OUT as non-empty trimmed lines ended by '\n', each run of
 * blanks one space, none between two CJK characters, and invisible
 * characters dropped. Returns the number of non-blank characters. */
static size_t clean_lines(const char *text, gk_buf_t *out)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t len = strlen(text), i = 0, visible = 0;
    int space = 0;    /* blanks seen since the last character written */
    uint32_t prev = 0;                  /* last character written on this line, 0 at line start */
    while (i < len) {
        uint32_t c = gk_utf8_next(s, len, &i);
        if (is_line_break(c)) {
            if (prev)
                gk_buf_putc(out, '\n');
            prev = 0;
            space = 0;
            continue;
        }
        if (is_dropped(c))
            continue;
        if (is_blank(c)) {
            space = 1;
            continue;
        }
        if (space && prev && !(is_cjk(prev) && is_cjk(c)))
            gk_buf_putc(out, ' ');
        space = 0;
        put_char(out, c);
        prev = c;
        visible++;
    }
    if (prev)
        gk_buf_putc(out, '\n');
    return visible;
}

typedef struct {
    const char *s;   /* the line, without its '\n' */
    size_t len;
    unsigned width;  /* in half-width units */
    unsigned chars;
    uint32_t first, last;
} line_t;

/* The line of CLEAN starting at *POS; advances *POS past its '\n'. */
static int next_line(const gk_buf_t *clean, size_t *pos, line_t *l)
{
    const unsigned char *s = (const unsigned char *)gk_buf_str(clean);
    if (*pos >= clean->len)
        return 0;
    const unsigned char *nl = memchr(s + *pos, '\n', clean->len - *pos);
    size_t end = nl ? (size_t)(nl - s) : clean->len, i = *pos;
    memset(l, 0, sizeof *l);
    l->s = (const char *)s + *pos;
    l->len = end - *pos;
    while (i < end) {
        uint32_t c = gk_utf8_next(s, end, &i);
        if (!l->chars)
            l->first = c;
        l->last = c;
        l->chars++;
        l->width += char_width(c);
    }
    *pos = end < clean->len ? end + 1 : end;
    return 1;
}

static int single_cjk(const line_t *l)
{
    return l->chars == 1 && is_cjk(l->first);
}

/* Does line A run on into line B? */
static int joins(const line_t *a, const line_t *b, int column_page, unsigned widest)
{
    if (column_page && single_cjk(a) && single_cjk(b))
        return 1;
    if (widest < GK_PDF_PROSE_MIN_WIDTH || (size_t)a->width * 100 < (size_t)widest * GK_PDF_FULL_LINE_SHARE)
        return 0;
    return is_cjk(a->last) && !ends_sentence(a->last) && is_cjk(b->first);
}

/* Append the lines of CLEAN to BODY, joining the ones that run on. */
static void emit_page(const gk_buf_t *clean, gk_buf_t *body)
{
    size_t pos = 0, lines = 0, singles = 0;
    unsigned widest = 0;
    line_t cur, nxt;
    while (next_line(clean, &pos, &cur)) {
        lines++;
        singles += single_cjk(&cur);
        if (cur.width > widest)
            widest = cur.width;
    }
    int column_page = lines >= GK_PDF_COLUMN_MIN_LINES && singles * 100 >= lines * GK_PDF_COLUMN_SHARE;
    pos = 0;
    if (!next_line(clean, &pos, &cur))
        return;
    for (;;) {
        gk_buf_append(body, cur.s, cur.len);
        if (!next_line(clean, &pos, &nxt))
            break;
        if (!joins(&cur, &nxt, column_page, widest))
            gk_buf_putc(body, '\n');
        cur = nxt;
    }
}

/* ------------------------------------------------------------------ */
/* Pages                                                               */
/* ------------------------------------------------------------------ */

typedef struct {
    int textless_with_images; /* pages that look scanned */
    size_t visible;           /* non-blank characters in the whole text */
} scan_stats_t;

static int has_images(PopplerPage *page)
{
    GList *images = poppler_page_get_image_mapping(page);
    int any = images != NULL;
    poppler_page_free_image_mapping(images);
    return any;
}

/* Append the text of page I to BODY, on a new line after earlier pages. */
static gk_status_t read_page(PopplerDocument *doc, int i, gk_buf_t *clean, gk_buf_t *body, scan_stats_t *st)
{
    PopplerPage *page = poppler_document_get_page(doc, i);
    if (!page)
        return GK_OK; /* a damaged page tree entry: the other pages still count */
    char *text = poppler_page_get_text(page);
    gk_buf_reset(clean);
    size_t visible = text ? clean_lines(text, clean) : 0;
    g_free(text);
    if (visible < GK_PDF_TEXTLESS_CHARS && has_images(page))
        st->textless_with_images++;
    g_object_unref(page);
    st->visible += visible;
    if (clean->len) {
        if (body->len && body->data[body->len - 1] != '\n')
            gk_buf_putc(body, '\n');
        emit_page(clean, body);
    }
    return gk_buf_failed(clean) || gk_buf_failed(body) ? GK_ERR_NOMEM : GK_OK;
}

static gk_status_t read_pages(PopplerDocument *doc, int n, const gk_extract_limits_t *lim, gk_fields_t *out)
{
    gk_buf_t clean = GK_BUF_INIT;
    scan_stats_t st = {0, 0};
    gk_status_t rc = GK_OK;
    for (int i = 0; i < n && rc == GK_OK; i++) {
        rc = read_page(doc, i, &clean, &out->body, &st);
        if (rc == GK_OK && out->body.len > lim->max_text_bytes)
            rc = gk_fields_fail(out, GK_ERR_TOO_LARGE, "text exceeds the limit of %zu bytes at page %d",
                                lim->max_text_bytes, i + 1);
    }
    gk_buf_free(&clean);
    if (rc == GK_ERR_NOMEM)
        return gk_fields_fail(out, rc, "out of memory extracting text");
    if (rc != GK_OK)
        return rc;
    gk_fullwidth_shift_repair(out->body.data, out->body.len);
    /* A scan: at least half the pages are images without text, or there is
     * no text at all (pages of vector outlines are scans too). */
    if (n > 0 && (st.textless_with_images * 2 >= n || st.visible == 0))
        out->flags |= GK_FIELDS_NEEDS_OCR;
    return GK_OK;
}

/* ------------------------------------------------------------------ */
/* Document information                                                */
/* ------------------------------------------------------------------ */

/* Set FIELD to S cleaned to one line, or leave it NULL when S is blank. */
static gk_status_t set_info(char **field, char *s)
{
    gk_status_t rc = GK_OK;
    if (s) {
        gk_buf_t b = GK_BUF_INIT;
        clean_lines(s, &b);
        size_t n = b.len;
        for (size_t k = 0; k < n; k++)
            if (b.data[k] == '\n')
                b.data[k] = ' ';
        while (n && b.data[n - 1] == ' ')
            n--;
        if (gk_buf_failed(&b))
            rc = GK_ERR_NOMEM;
        else if (n)
            rc = gk_fields_set(field, b.data, n);
        gk_buf_free(&b);
    }
    g_free(s);
    return rc;
}

static gk_status_t set_date(char **field, GDateTime *t)
{
    if (!t)
        return GK_OK;
    GDateTime *utc = g_date_time_to_utc(t);
    char *iso = utc ? g_date_time_format(utc, "%Y-%m-%dT%H:%M:%SZ") : NULL;
    gk_status_t rc = iso ? gk_fields_set(field, iso, strlen(iso)) : GK_OK;
    g_free(iso);
    if (utc)
        g_date_time_unref(utc);
    g_date_time_unref(t);
    return rc;
}

static gk_status_t read_info(PopplerDocument *doc, gk_fields_t *out)
{
    if (set_info(&out->title, poppler_document_get_title(doc)) != GK_OK ||
        set_info(&out->author, poppler_document_get_author(doc)) != GK_OK ||
        set_date(&out->created, poppler_document_get_creation_date_time(doc)) != GK_OK ||
        set_date(&out->modified, poppler_document_get_modification_date_time(doc)) != GK_OK)
        return gk_fields_fail(out, GK_ERR_NOMEM, "out of memory reading the document information");
    return GK_OK;
}

/* ------------------------------------------------------------------ */
/* The extractor                                                       */
/* ------------------------------------------------------------------ */

static gk_status_t open_failed(GError *err, gk_fields_t *out)
{
    if (!err)
        return gk_fields_fail(out, GK_ERR_EXTRACTOR, "poppler could not open the document");
    gk_status_t rc;
    if (err->domain == POPPLER_ERROR && err->code == POPPLER_ERROR_ENCRYPTED)
        rc = gk_fields_fail(out, GK_ERR_ENCRYPTED, "encrypted (password required)");
    else if (last_poppler_message[0])
        rc = gk_fields_fail(out, GK_ERR_BAD_FILE, "%s (%s)", err->message, last_poppler_message);
    else
        rc = gk_fields_fail(out, GK_ERR_BAD_FILE, "%s", err->message);
    g_error_free(err);
    return rc;
}

static gk_status_t pdf_extract(const gk_input_t *in, const gk_extract_limits_t *lim, gk_fields_t *out)
{
    static GOnce log_once = G_ONCE_INIT;
    g_once(&log_once, install_log_handler, NULL);
    last_poppler_message[0] = '\0';

    /* Poppler reads the caller's bytes in place; the document, and with it
     * its reference to them, is gone before this returns. */
    GBytes *bytes = g_bytes_new_static(in->data, in->len);
    GError *err = NULL;
    /* No password: owner-password-only files open, and their permission
     * flags are advisory. */
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &err);
    g_bytes_unref(bytes);
    if (!doc)
        return open_failed(err, out);

    gk_buf_reset(&out->body);
    int n = poppler_document_get_n_pages(doc);
    out->pages = n > 0 ? n : 0;
    gk_status_t rc = read_info(doc, out);
    if (rc == GK_OK && out->pages == 0)
        rc = gk_fields_fail(out, GK_ERR_BAD_FILE, "PDF without pages");
    if (rc == GK_OK && (unsigned)out->pages > lim->max_pages)
        rc = gk_fields_fail(out, GK_ERR_TOO_LARGE, "%d pages exceed the limit of %u", out->pages, lim->max_pages);
    if (rc == GK_OK)
        rc = read_pages(doc, out->pages, lim, out);
    g_object_unref(doc);
    return rc;
}

static const char *const types[] = {"application/pdf", NULL};
const gk_extractor_t gk_extractor_pdf = {"pdf", types, pdf_extract, 1};
