/* test_extract_pdf.c — the PDF extractor: small PDFs written here by hand,
 * the hostile files, real-world files and text fidelity on the shared
 * corpus (skipped when it is absent). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "testcorpus.h"

#include "extract.h"
#include "extract/fullwidth_shift.h"
#include "utf8.h"

/* ------------------------------------------------------------------ */
/* Running the extractor                                               */
/* ------------------------------------------------------------------ */

static gk_status_t run_lim(const void *data, size_t len, const gk_extract_limits_t *lim, gk_fields_t *f)
{
    gk_input_t in = {"test.pdf", data, len, "application/pdf", NULL};
    gk_fields_free(f);
    gk_status_t st = gk_extract(&gk_extractor_pdf, &in, lim, f);
    if (st == GK_OK)
        assert_true(gk_utf8_valid((const unsigned char *)gk_buf_str(&f->body), f->body.len));
    return st;
}

static gk_status_t run(const void *data, size_t len, gk_fields_t *f)
{
    gk_extract_limits_t lim;
    gk_extract_limits_default(&lim);
    return run_lim(data, len, &lim, f);
}

static int contains(const gk_fields_t *f, const char *s)
{
    return strstr(gk_buf_str(&f->body), s) != NULL;
}

/* ------------------------------------------------------------------ */
/* Writing PDFs                                                        */
/* ------------------------------------------------------------------ */

#define MAX_OBJS 16

typedef struct {
    gk_buf_t obj[MAX_OBJS + 1]; /* object bodies, numbered from 1 */
    int n;
} pdf_t;

static int add_obj(pdf_t *p, const char *body)
{
    assert_true(p->n < MAX_OBJS);
    p->n++;
    p->obj[p->n] = (gk_buf_t)GK_BUF_INIT;
    gk_buf_puts(&p->obj[p->n], body);
    return p->n;
}

static int add_stream(pdf_t *p, const char *content)
{
    char head[64];
    snprintf(head, sizeof head, "<< /Length %zu >>\nstream\n", strlen(content));
    int n = add_obj(p, head);
    gk_buf_puts(&p->obj[n], content);
    gk_buf_puts(&p->obj[n], "\nendstream");
    return n;
}

/* The file, with a correct cross-reference table; object 1 is the catalog. */
static gk_buf_t pdf_file(pdf_t *p, int info)
{
    gk_buf_t b = GK_BUF_INIT;
    size_t off[MAX_OBJS + 1];
    gk_buf_puts(&b, "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n");
    for (int i = 1; i <= p->n; i++) {
        off[i] = b.len;
        gk_buf_printf(&b, "%d 0 obj\n%s\nendobj\n", i, gk_buf_str(&p->obj[i]));
        gk_buf_free(&p->obj[i]);
    }
    size_t xref = b.len;
    gk_buf_printf(&b, "xref\n0 %d\n0000000000 65535 f \n", p->n + 1);
    for (int i = 1; i <= p->n; i++)
        gk_buf_printf(&b, "%010zu 00000 n \n", off[i]);
    gk_buf_printf(&b, "trailer\n<< /Size %d /Root 1 0 R", p->n + 1);
    if (info)
        gk_buf_printf(&b, " /Info %d 0 R", info);
    gk_buf_printf(&b, " >>\nstartxref\n%zu\n%%%%EOF\n", xref);
    assert_false(gk_buf_failed(&b));
    return b;
}

/* A font whose codes are the UTF-16 code units of the text, with a
 * ToUnicode map for the characters in CHARS (UTF-8), so that the text
 * can be written in hex in content streams. No font program: text
 * extraction needs none. */
static int add_cjk_font(pdf_t *p, const char *chars)
{
    gk_buf_t cmap = GK_BUF_INIT;
    const unsigned char *s = (const unsigned char *)chars;
    size_t len = strlen(chars), i = 0, n = 0;
    while (i < len) {
        gk_utf8_next(s, len, &i);
        n++;
    }
    gk_buf_printf(&cmap, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                         "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                         "/CMapName /Test-UCS def\n/CMapType 2 def\n"
                         "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n%zu beginbfchar\n",
                  n);
    for (i = 0; i < len;) {
        uint32_t c = gk_utf8_next(s, len, &i);
        gk_buf_printf(&cmap, "<%04X> <%04X>\n", (unsigned)c, (unsigned)c);
    }
    gk_buf_puts(&cmap, "endbfchar\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend");
    int tu = add_stream(p, gk_buf_str(&cmap));
    gk_buf_free(&cmap);
    int cid = add_obj(p, "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TestSong"
                         " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
                         " /DW 1000 /CIDToGIDMap /Identity >>");
    char font[200];
    snprintf(font, sizeof font,
             "<< /Type /Font /Subtype /Type0 /BaseFont /TestSong /Encoding /Identity-H"
             " /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>",
             cid, tu);
    return add_obj(p, font);
}

/* "<hex>" of UTF8 as UTF-16BE code units (BMP only). */
static void hex16(gk_buf_t *b, const char *utf8)
{
    const unsigned char *s = (const unsigned char *)utf8;
    size_t len = strlen(utf8), i = 0;
    gk_buf_putc(b, '<');
    while (i < len)
        gk_buf_printf(b, "%04X", (unsigned)gk_utf8_next(s, len, &i));
    gk_buf_putc(b, '>');
}

/* Show UTF8 at (x, y) in the CJK font F1 at 12 points. */
static void show(gk_buf_t *content, int x, int y, const char *utf8)
{
    gk_buf_printf(content, "BT /F1 12 Tf %d %d Td ", x, y);
    hex16(content, utf8);
    gk_buf_puts(content, " Tj ET\n");
}

/* Pages from CONTENTS (NULL-terminated), the fonts F1 (CJK, covering
 * CHARS) and F2 (Helvetica) and an 8x8 grey image /Im1 on every page.
 * Object 1 is the catalog, 2 the page tree. */
static gk_buf_t build(const char *const *contents, const char *chars, const char *info)
{
    pdf_t p = {.n = 0};
    add_obj(&p, "<< /Type /Catalog /Pages 2 0 R >>");
    int tree = add_obj(&p, "");
    int f1 = add_cjk_font(&p, chars);
    int f2 = add_obj(&p, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    char img[160];
    snprintf(img, sizeof img,
             "<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray"
             " /BitsPerComponent 8 /Length 64 >>\nstream\n");
    int im = add_obj(&p, img);
    for (int k = 0; k < 64; k++)
        gk_buf_putc(&p.obj[im], (char)(k * 4));
    gk_buf_puts(&p.obj[im], "\nendstream");
    gk_buf_t kids = GK_BUF_INIT;
    int count = 0;
    for (; contents[count]; count++) {
        int c = add_stream(&p, contents[count]);
        char page[300];
        snprintf(page, sizeof page,
                 "<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R"
                 " /Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> /XObject << /Im1 %d 0 R >> >> >>",
                 tree, c, f1, f2, im);
        gk_buf_printf(&kids, "%d 0 R ", add_obj(&p, page));
    }
    gk_buf_printf(&p.obj[tree], "<< /Type /Pages /Kids [%s] /Count %d >>", gk_buf_str(&kids), count);
    gk_buf_free(&kids);
    int info_obj = info ? add_obj(&p, info) : 0;
    return pdf_file(&p, info_obj);
}

/* ------------------------------------------------------------------ */
/* Synthetic files                                                     */
/* ------------------------------------------------------------------ */

static const char CHARS[] = "二中文竞争性磋商件第一章总则为了规范政府信息公开工作根据法律制定本条例通过。\xef\xbf\xbd";

static void test_text_pages_and_info(void **state)
{
    (void)state;
    const char *pages[] = {"BT /F2 12 Tf 72 700 Td (Hello PDF world) Tj ET\n",
                           "BT /F2 12 Tf 72 700 Td (Second page here) Tj ET\n", NULL};
    gk_buf_t pdf = build(pages, "", "<< /Title <FEFF6D4B8BD565876863> /Author (Gov Office)"
                                    " /CreationDate (D:20240102030405+08'00') /ModDate (D:20240315120000Z) >>");
    gk_fields_t f;
    gk_fields_init(&f);
    assert_int_equal(run(pdf.data, pdf.len, &f), GK_OK);
    assert_string_equal(gk_buf_str(&f.body), "Hello PDF world\nSecond page here");
    assert_int_equal(f.pages, 2);
    assert_int_equal(f.flags & GK_FIELDS_NEEDS_OCR, 0);
    assert_non_null(f.title);
    assert_non_null(f.author);
    assert_non_null(f.created);
    assert_non_null(f.modified);
    assert_string_equal(f.title, "\xe6\xb5\x8b\xe8\xaf\x95\xe6\x96\x87\xe6\xa1\xa3"); /* 测试文档 */
    assert_string_equal(f.author, "Gov Office");
    assert_string_equal(f.created, "2024-01-01T19:04:05Z");
    assert_string_equal(f.modified, "2024-03-15T12:00:00Z");

    /* Limits: pages, then text. */
    gk_extract_limits_t lim;
    gk_extract_limits_default(&lim);
    lim.max_pages = 1;
    assert_int_equal(run_lim(pdf.data, pdf.len, &lim, &f), GK_ERR_TOO_LARGE);
    gk_extract_limits_default(&lim);
    lim.max_text_bytes = 20;
    assert_int_equal(run_lim(pdf.data, pdf.len, &lim, &f), GK_ERR_TOO_LARGE);
    gk_fields_free(&f);
    gk_buf_free(&pdf);
}

static void test_cjk_cleanup(void **state)
{
    (void)state;
    gk_buf_t c1 = GK_BUF_INIT, c2 = GK_BUF_INIT, c3 = GK_BUF_INIT;
    /* Glyphs placed one by one with gaps: poppler sees words. A glyph that
     * maps to U+FFFD sits between two more. */
    show(&c1, 72, 700, "中");
    show(&c1, 87, 700, "文");
    show(&c1, 72, 650, "政府");
    show(&c1, 100, 650, "\xef\xbf\xbd");
    show(&c1, 112, 650, "信息");
    gk_buf_puts(&c1, "BT /F2 12 Tf 72 600 Td (ABC 12) Tj ET\n");
    /* The same gap between Latin words is a space that stays. */
    gk_buf_puts(&c1, "BT /F2 12 Tf 72 560 Td (AB) Tj ET\nBT /F2 12 Tf 91 560 Td (CD) Tj ET\n");
    /* A title set one character per line. */
    const char *title[] = {"竞", "争", "性", "磋", "商", "文", "件"};
    for (int k = 0; k < 7; k++)
        show(&c2, 290, 700 - 24 * k, title[k]);
    /* A heading, then a paragraph wrapped inside a word (通|过), then a
     * short line that ends the paragraph and a new one. */
    show(&c3, 72, 700, "第一章总则");
    show(&c3, 72, 680, "为了规范政府信息公开工作根据法律制定本条例第一条本条例通");
    show(&c3, 72, 660, "过。");
    show(&c3, 72, 640, "第二条政府");
    const char *pages[] = {gk_buf_str(&c1), gk_buf_str(&c2), gk_buf_str(&c3), NULL};
    gk_buf_t pdf = build(pages, CHARS, NULL);
    gk_fields_t f;
    gk_fields_init(&f);
    assert_int_equal(run(pdf.data, pdf.len, &f), GK_OK);
    assert_int_equal(f.pages, 3);
    /* No title in the document info: the first line stands in. */
    assert_non_null(f.title);
    assert_true(strlen(f.title) > 0 && strstr(gk_buf_str(&f.body), f.title) == gk_buf_str(&f.body));
    assert_true(contains(&f, "中文\n"));
    assert_true(contains(&f, "政府信息\n"));
    assert_false(contains(&f, "\xef\xbf\xbd"));
    assert_true(contains(&f, "ABC 12\n"));
    assert_true(contains(&f, "AB CD\n"));
    assert_true(contains(&f, "\n竞争性磋商文件\n"));
    assert_true(contains(&f, "\n第一章总则\n为了规范"));
    assert_true(contains(&f, "本条例通过。\n第二条政府"));
    gk_fields_free(&f);
    gk_buf_free(&pdf);
    gk_buf_free(&c1);
    gk_buf_free(&c2);
    gk_buf_free(&c3);
}

static void test_scan_needs_ocr(void **state)
{
    (void)state;
    const char *img = "q 500 0 0 700 40 70 cm /Im1 Do Q\n";
    gk_buf_t stamp = GK_BUF_INIT;
    gk_buf_puts(&stamp, img);
    gk_buf_puts(&stamp, "BT /F2 8 Tf 280 30 Td (- 2 -) Tj ET\n");
    const char *pages[] = {img, gk_buf_str(&stamp), img, NULL};
    gk_buf_t pdf = build(pages, "", NULL);
    gk_fields_t f;
    gk_fields_init(&f);
    assert_int_equal(run(pdf.data, pdf.len, &f), GK_OK);
    assert_int_equal(f.pages, 3);
    assert_true(f.flags & GK_FIELDS_NEEDS_OCR);
    assert_true(contains(&f, "2"));
    assert_true(f.body.len <= 5);
    gk_buf_free(&pdf);

    /* Pictures beside real text are no scan. */
    const char *text_pages[] = {"q 100 0 0 100 40 600 cm /Im1 Do Q\n"
                                "BT /F2 12 Tf 72 500 Td (A page of real text with a figure.) Tj ET\n",
                                NULL};
    pdf = build(text_pages, "", NULL);
    assert_int_equal(run(pdf.data, pdf.len, &f), GK_OK);
    assert_int_equal(f.flags & GK_FIELDS_NEEDS_OCR, 0);
    gk_fields_free(&f);
    gk_buf_free(&pdf);
    gk_buf_free(&stamp);
}

static void test_not_pdf(void **state)
{
    (void)state;
    gk_fields_t f;
    gk_fields_init(&f);
    static const char junk[] = "this is not a PDF at all, just some words\n";
    assert_int_equal(run(junk, sizeof junk - 1, &f), GK_ERR_BAD_FILE);
    assert_true(f.error[0] != '\0');

    const char *pages[] = {"BT /F2 12 Tf 72 700 Td (Hello) Tj ET\n", NULL};
    gk_buf_t pdf = build(pages, "", NULL);
    /* The header alone, and the file cut before its first object ends. */
    assert_int_equal(run(pdf.data, 16, &f), GK_ERR_BAD_FILE);
    assert_int_equal(run(pdf.data, 40, &f), GK_ERR_BAD_FILE);
    gk_buf_free(&pdf);

    /* A well-formed file with an empty page tree has nothing to read. */
    const char *none[] = {NULL};
    pdf = build(none, "", NULL);
    assert_int_equal(run(pdf.data, pdf.len, &f), GK_ERR_BAD_FILE);
    gk_fields_free(&f);
    gk_buf_free(&pdf);
}

/* ------------------------------------------------------------------ */
/* The shared corpus                                                   */
/* ------------------------------------------------------------------ */

/* Extract corpus file DIR/NAME; returns its status, or -1 when absent. */
static int run_file(const char *dir, const char *name, gk_fields_t *f, size_t *bytes)
{
    size_t len = 0;
    unsigned char *d = corpus_file(&len, "%s/%s", dir, name);
    if (!d)
        return -1;
    if (bytes)
        *bytes = len;
    gk_status_t st = run(d, len, f);
    free(d);
    return (int)st;
}

static void squeeze(const char *s, gk_buf_t *out)
{
    for (; *s; s++)
        if (*s != ' ')
            gk_buf_putc(out, *s);
}

static void test_hostile(void **state)
{
    (void)state;
    corpus_or_skip("hostile PDFs");
    static const struct {
        const char *file;
        int status;
        const char *text; /* expected in the body when GK_OK */
    } cases[] = {
        {"zero_bytes.pdf", GK_ERR_BAD_FILE, NULL},
        {"random_bytes.pdf", GK_ERR_BAD_FILE, NULL},
        {"truncated_half.pdf", GK_ERR_BAD_FILE, NULL},
        {"encrypted_user_password_aes256.pdf", GK_ERR_ENCRYPTED, NULL},
        {"encrypted_owner_only_no_extract.pdf", GK_OK, "中华人民共和国国境卫生检疫法"},
        {"pages_2000.pdf", GK_OK, "第2000页共2000页"},
        {"broken_xref.pdf", GK_OK, "Text should still be recoverable."},
        {"deep_array_200k.pdf", GK_OK, "deeply nested array in object 6"},
        {"docx_named_as.pdf", GK_ERR_BAD_FILE, NULL},
    };
    gk_fields_t f;
    gk_fields_init(&f);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int st = run_file("hostile", cases[i].file, &f, NULL);
        if (st == -1)
            continue;
        print_message("%-40s %d %s\n", cases[i].file, st, f.error);
        assert_int_equal(st, cases[i].status);
        if (st != GK_OK)
            assert_true(f.error[0] != '\0');
        if (cases[i].text) {
            /* Spaces between digits and CJK are poppler's; compare without. */
            gk_buf_t body = GK_BUF_INIT, want = GK_BUF_INIT;
            squeeze(gk_buf_str(&f.body), &body);
            squeeze(cases[i].text, &want);
            assert_non_null(strstr(gk_buf_str(&body), gk_buf_str(&want)));
            gk_buf_free(&body);
            gk_buf_free(&want);
        }
        if (cases[i].status == GK_ERR_ENCRYPTED)
            assert_string_equal(f.error, "encrypted (password required)");
        if (strcmp(cases[i].file, "pages_2000.pdf") == 0)
            assert_int_equal(f.pages, 2000);
    }
    gk_fields_free(&f);
}

/* CJK characters (U+4E00..U+9FFF) in F's body. */
static size_t han_count(const gk_fields_t *f)
{
    const unsigned char *s = (const unsigned char *)gk_buf_str(&f->body);
    size_t i = 0, n = 0;
    while (i < f->body.len) {
        uint32_t c = gk_utf8_next(s, f->body.len, &i);
        n += c >= 0x4E00 && c <= 0x9FFF;
    }
    return n;
}

static void test_real_files(void **state)
{
    (void)state;
    corpus_or_skip("real PDFs");
    static const char *const chinese[] = {"ofdrw_e_invoice_itinerary.pdf", "ofdrw_procurement_print_to_pdf.pdf",
                                          "pymupdf_chinese_tables.pdf"};
    gk_fields_t f;
    gk_fields_init(&f);
    for (size_t i = 0; i < sizeof chinese / sizeof chinese[0]; i++) {
        int st = run_file("real", chinese[i], &f, NULL);
        if (st == -1)
            continue;
        print_message("%-40s %d pages, %zu Han characters\n", chinese[i], f.pages, han_count(&f));
        assert_int_equal(st, GK_OK);
        assert_true(han_count(&f) >= 20);
        assert_int_equal(f.flags & GK_FIELDS_NEEDS_OCR, 0);
    }
    if (run_file("real", "ofdrw_procurement_print_to_pdf.pdf", &f, NULL) == GK_OK)
        assert_true(contains(&f, "竞争性磋商文件"));
    if (run_file("real", "ofdrw_e_invoice_itinerary.pdf", &f, NULL) == GK_OK)
        assert_true(contains(&f, "电子发票"));
    /* Fonts without ToUnicode: text comes out, but much of it as the wrong
     * characters. The full-width Latin shifted to GBK row 0xA0 is put back. */
    int st = run_file("real", "ofdrw_gmt0031_standard.pdf", &f, NULL);
    if (st != -1) {
        assert_int_equal(st, GK_OK);
        assert_int_equal(f.pages, 11);
        assert_true(contains(&f, "ＧＭ／Ｔ００３１—２０１４"));
        assert_true(contains(&f, "Ｓｅｃｕｒｅ"));
        assert_false(contains(&f, "犌犕"));
    }
    gk_fields_free(&f);
}

/* ------------------------------------------------------------------ */
/* Fidelity                                                            */
/* ------------------------------------------------------------------ */

typedef struct {
    fidelity_t fd;
    double secs;
    long pages;
    size_t bytes;
    int scans;
} pdf_fidelity_t;

static void pdf_text_row(const corpus_row_t *row, void *ctx)
{
    pdf_fidelity_t *c = ctx;
    gk_fields_t f;
    gk_fields_init(&f);
    clock_t t0 = clock();
    gk_status_t st = run(row->data, row->len, &f);
    c->secs += (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_int_equal(st, GK_OK);
    assert_int_equal(f.flags & GK_FIELDS_NEEDS_OCR, 0);
    fidelity_add(&c->fd, row, gk_buf_str(&f.body), f.body.len);
    c->pages += f.pages;
    c->bytes += row->len;
    gk_fields_free(&f);
}

static void pdf_scan_row(const corpus_row_t *row, void *ctx)
{
    pdf_fidelity_t *c = ctx;
    gk_fields_t f;
    gk_fields_init(&f);
    assert_int_equal(run(row->data, row->len, &f), GK_OK);
    assert_true(f.flags & GK_FIELDS_NEEDS_OCR);
    c->scans++;
    gk_fields_free(&f);
}

/* Every GK_CORPUS_STEP-th text PDF of formats.tsv against its source,
 * and all the scans. */
static void test_fidelity(void **state)
{
    (void)state;
    corpus_or_skip("PDF fidelity");
    pdf_fidelity_t c = {{0}, 0, 0, 0, 0};
    corpus_rows("pdf", corpus_step(), pdf_text_row, &c);
    corpus_rows("pdf-scanned", 1, pdf_scan_row, &c);
    if (!c.fd.files)
        skip();
    fidelity_mean(&c.fd);
    print_message("%d PDFs: recall %.4f precision %.4f; %ld pages, %.1f MB in %.2f s (%.0f pages/s, %.1f MB/s); "
                  "%d scans flagged\n",
                  c.fd.files, c.fd.recall, c.fd.precision, c.pages, (double)c.bytes / 1e6, c.secs,
                  c.secs > 0 ? (double)c.pages / c.secs : 0, c.secs > 0 ? (double)c.bytes / 1e6 / c.secs : 0,
                  c.scans);
    fidelity_assert(&c.fd);
}

/* ------------------------------------------------------------------ */
/* Full-width Latin shifted to GBK row 0xA0                            */
/* ------------------------------------------------------------------ */

static size_t repair(char *buf, const char *text)
{
    strcpy(buf, text);
    return gk_fullwidth_shift_repair(buf, strlen(buf));
}

static void test_fullwidth_shift(void **state)
{
    (void)state;
    char buf[256];
    /* The marks of a shifted font: three of the row in a run, full-width
     * forms allowed between them. */
    assert_int_equal(repair(buf, "犌犕／犜００３１—２０１４ 标准"), 3);
    assert_string_equal(buf, "ＧＭ／Ｔ００３１—２０１４ 标准");
    assert_int_equal(repair(buf, "犛犲犮狌狉犲 and 犔８ alone"), 7);
    assert_string_equal(buf, "Ｓｅｃｕｒｅ and Ｌ８ alone");
    /* Traditional Chinese uses a few of these characters, never three in a
     * run: such text is left alone, also in full-width company. */
    assert_int_equal(repair(buf, "狀況良好，牽手同行，犢牛（１）狀態"), 0);
    assert_string_equal(buf, "狀況良好，牽手同行，犢牛（１）狀態");
    assert_int_equal(repair(buf, "狀（１）犢"), 0);
    assert_int_equal(repair(buf, ""), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_pages_and_info),
        cmocka_unit_test(test_cjk_cleanup),
        cmocka_unit_test(test_scan_needs_ocr),
        cmocka_unit_test(test_not_pdf),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_real_files),
        cmocka_unit_test(test_fullwidth_shift),
        cmocka_unit_test(test_fidelity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
