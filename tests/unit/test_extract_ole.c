/* Tests of the OLE2 binary Office extractors: Word 97-2003 / 6 (.doc) and
 * Excel BIFF8 (.xls). Synthetic files are written with libgsf's OLE2
 * writer; the shared corpus gives the real-world checks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testcorpus.h"
#include "testutil.h"

#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-input-memory.h>
#include <gsf/gsf-outfile-msole.h>
#include <gsf/gsf-outfile.h>
#include <gsf/gsf-output-memory.h>
#include <gsf/gsf-utils.h>

#include "extract.h"
#include "utf8.h"

/* ------------------------------------------------------------------ */
/* Building files                                                      */
/* ------------------------------------------------------------------ */

static void put16(gk_buf_t *b, unsigned v)
{
    unsigned char p[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    gk_buf_append(b, p, 2);
}

static void put32(gk_buf_t *b, uint32_t v)
{
    put16(b, v & 0xFFFF);
    put16(b, v >> 16);
}

static void set16(gk_buf_t *b, size_t at, unsigned v)
{
    b->data[at] = (char)v;
    b->data[at + 1] = (char)(v >> 8);
}

static void set32(gk_buf_t *b, size_t at, uint32_t v)
{
    set16(b, at, v & 0xFFFF);
    set16(b, at + 2, v >> 16);
}

static void pad_to(gk_buf_t *b, size_t len)
{
    while (b->len < len)
        gk_buf_putc(b, 0);
}

/* UTF-8 as UTF-16LE code units appended to B; returns the unit count. */
static size_t put_utf16(gk_buf_t *b, const char *utf8)
{
    size_t i = 0, n = 0, len = strlen(utf8);
    while (i < len) {
        uint32_t c = gk_utf8_next((const unsigned char *)utf8, len, &i);
        if (c >= 0x10000) {
            put16(b, 0xD800 + ((c - 0x10000) >> 10));
            put16(b, 0xDC00 + ((c - 0x10000) & 0x3FF));
            n += 2;
        } else {
            put16(b, c);
            n++;
        }
    }
    return n;
}

typedef struct {
    const char *name;
    const gk_buf_t *data;
} stream_t;

/* An OLE2 compound file holding the streams (malloc'd, *len bytes). */
static unsigned char *make_ole(const stream_t *s, size_t n, size_t *len)
{
    gsf_init();
    GsfOutput *mem = gsf_output_memory_new();
    GsfOutfile *ole = gsf_outfile_msole_new(mem);
    assert_non_null(ole);
    for (size_t k = 0; k < n; k++) {
        GsfOutput *child = gsf_outfile_new_child(ole, s[k].name, FALSE);
        assert_non_null(child);
        if (s[k].data->len)
            assert_true(gsf_output_write(child, s[k].data->len, (const guint8 *)s[k].data->data));
        gsf_output_close(child);
        g_object_unref(child);
    }
    gsf_output_close(GSF_OUTPUT(ole));
    g_object_unref(ole);
    *len = (size_t)gsf_output_size(mem);
    unsigned char *bytes = malloc(*len);
    assert_non_null(bytes);
    memcpy(bytes, gsf_output_memory_get_bytes(GSF_OUTPUT_MEMORY(mem)), *len);
    g_object_unref(mem);
    return bytes;
}

static gk_status_t run(const gk_extractor_t *ex, const unsigned char *data, size_t len,
                       const gk_extract_limits_t *limits, gk_fields_t *f)
{
    gk_extract_limits_t lim;
    gk_extract_limits_default(&lim);
    if (limits)
        lim = *limits;
    gk_fields_init(f);
    gk_input_t in = {"test", data, len, ex->mime_types[0], NULL};
    gk_status_t st = gk_extract(ex, &in, &lim, f);
    if (st == GK_OK)
        assert_true(gk_utf8_valid((const unsigned char *)gk_buf_str(&f->body), f->body.len));
    return st;
}

/* A SummaryInformation stream: code page 936, a GBK title, a UTF-16
 * author, a creation time and a page count. */
static void make_summary(gk_buf_t *s)
{
    static const unsigned char fmtid[16] = {0xe0, 0x85, 0x9f, 0xf2, 0xf9, 0x4f, 0x68, 0x10,
                                            0xab, 0x91, 0x08, 0x00, 0x2b, 0x27, 0xb3, 0xd9};
    put16(s, 0xFFFE);
    put16(s, 0);
    put32(s, 0x0002000A);
    pad_to(s, 24);
    put32(s, 1);
    gk_buf_append(s, fmtid, 16);
    put32(s, 48);
    size_t set = s->len;
    put32(s, 0);     /* size, set below */
    put32(s, 5);
    size_t index = s->len;
    pad_to(s, index + 5 * 8);
    uint32_t pids[5] = {1, 2, 4, 12, 14};
    for (int k = 0; k < 5; k++) {
        set32(s, index + 8 * (size_t)k, pids[k]);
        set32(s, index + 8 * (size_t)k + 4, (uint32_t)(s->len - set));
        switch (pids[k]) {
        case 1:
            put32(s, 2);
            put32(s, 936);
            break;
        case 2: {
            size_t n;
            unsigned char *gbk = encode("GB18030", "关于印发的通知", &n);
            put32(s, 30);
            put32(s, (uint32_t)n + 1);
            gk_buf_append(s, gbk, n);
            gk_buf_putc(s, 0);
            free(gbk);
            break;
        }
        case 4: {
            put32(s, 31);
            size_t at = s->len;
            put32(s, 0);
            size_t n = put_utf16(s, "国务院办公厅");
            put16(s, 0);
            set32(s, at, (uint32_t)n + 1);
            break;
        }
        case 12:   /* 2024-01-02T03:04:05Z */
            put32(s, 64);
            put32(s, (uint32_t)(133486382450000000ULL & 0xFFFFFFFF));
            put32(s, (uint32_t)(133486382450000000ULL >> 32));
            break;
        case 14:
            put32(s, 3);
            put32(s, 7);
            break;
        }
        pad_to(s, (s->len + 3) & ~(size_t)3);
    }
    set32(s, set, (uint32_t)(s->len - set));
}

/* ------------------------------------------------------------------ */
/* Word 97                                                             */
/* ------------------------------------------------------------------ */

#define FIB_LW 64          /* FibRgLw97 */
#define FIB_FCLCB 154      /* FibRgFcLcb97 */
#define TEXT_FC 1024       /* the Unicode piece */
#define TEXT8_FC 1536      /* the compressed piece */
#define FKP_PN 4           /* PAPX FKP page: offset 2048 */

typedef struct {
    const char *unicode;   /* first piece, UTF-16 */
    const char *latin1;    /* second piece, 8-bit (cp1252 bytes), may be NULL */
    unsigned flags;        /* FIB flags besides fWhichTblStm */
    uint32_t ttp_fc;       /* file offset of a row-end mark, or 0 */
    uint32_t piece_shift;  /* added to the first piece's fc */
} doc_spec_t;

static unsigned char *make_doc(const doc_spec_t *spec, size_t *len)
{
    gk_buf_t w = GK_BUF_INIT, t = GK_BUF_INIT, sum = GK_BUF_INIT;
    pad_to(&w, TEXT_FC);
    size_t n0 = put_utf16(&w, spec->unicode), n1 = spec->latin1 ? strlen(spec->latin1) : 0;
    pad_to(&w, TEXT8_FC);
    if (n1)
        gk_buf_append(&w, spec->latin1, n1);
    pad_to(&w, FKP_PN * 512 + 512);
    set16(&w, 0, 0xA5EC);
    set16(&w, 2, 0xC1);
    set16(&w, 10, 0x0200 | spec->flags);
    set16(&w, 32, 14);
    set16(&w, 62, 22);
    set32(&w, FIB_LW + 12, (uint32_t)(n0 + n1));
    set16(&w, 152, 93);

    /* Clx: one Pcdt with one or two pieces. */
    size_t np = n1 ? 2 : 1;
    gk_buf_putc(&t, 0x02);
    put32(&t, (uint32_t)(4 * (np + 1) + 8 * np));
    put32(&t, 0);
    put32(&t, (uint32_t)n0);
    if (n1)
        put32(&t, (uint32_t)(n0 + n1));
    put16(&t, 0);
    put32(&t, TEXT_FC + spec->piece_shift);
    put16(&t, 0);
    if (n1) {
        put16(&t, 0);
        put32(&t, (TEXT8_FC * 2) | 0x40000000u);
        put16(&t, 0);
    }
    set32(&w, FIB_FCLCB + 33 * 8, 0);
    set32(&w, FIB_FCLCB + 33 * 8 + 4, (uint32_t)t.len);

    if (spec->ttp_fc) {
        /* PlcBtePapx: one FKP whose single run marks the paragraph
         * [ttp_fc, ttp_fc + 2) with sprmPFTtp. */
        set32(&w, FIB_FCLCB + 13 * 8, (uint32_t)t.len);
        set32(&w, FIB_FCLCB + 13 * 8 + 4, 12);
        put32(&t, spec->ttp_fc);
        put32(&t, spec->ttp_fc + 2);
        put32(&t, FKP_PN);
        size_t fkp = FKP_PN * 512;
        set32(&w, fkp, spec->ttp_fc);
        set32(&w, fkp + 4, spec->ttp_fc + 2);
        w.data[fkp + 8] = (char)128;         /* PapxInFkp at 256 */
        w.data[fkp + 256] = 3;               /* 5 bytes: istd, sprm, operand */
        set16(&w, fkp + 257, 0);
        set16(&w, fkp + 259, 0x2417);
        w.data[fkp + 261] = 1;
        w.data[fkp + 511] = 1;
    }
    make_summary(&sum);
    stream_t s[] = {{"WordDocument", &w}, {"1Table", &t}, {"\005SummaryInformation", &sum}};
    unsigned char *file = make_ole(s, 3, len);
    gk_buf_free(&w);
    gk_buf_free(&t);
    gk_buf_free(&sum);
    return file;
}

static void check_doc(const doc_spec_t *spec, gk_status_t want, const char *text)
{
    size_t len;
    unsigned char *file = make_doc(spec, &len);
    gk_fields_t f;
    gk_status_t st = run(&gk_extractor_doc, file, len, NULL, &f);
    if (st != want)
        fprintf(stderr, "status %d (%s)\n", st, f.error);
    assert_int_equal(st, want);
    if (text)
        assert_string_equal(gk_buf_str(&f.body), text);
    gk_fields_free(&f);
    free(file);
}

static void test_doc_pieces_and_metadata(void **state)
{
    (void)state;
    doc_spec_t spec = {"通知\r第二段\x0Bx\x1E" "y\x1Fz\tq\x01\r", "caf\xE9 \x93q\x94\r", 0, 0, 0};
    size_t len;
    unsigned char *file = make_doc(&spec, &len);
    gk_fields_t f;
    assert_int_equal(run(&gk_extractor_doc, file, len, NULL, &f), GK_OK);
    assert_string_equal(gk_buf_str(&f.body), "通知\n第二段\nx-yz\tq\ncafé “q”\n");
    assert_string_equal(f.title, "关于印发的通知");
    assert_string_equal(f.author, "国务院办公厅");
    assert_string_equal(f.created, "2024-01-02T03:04:05Z");
    assert_int_equal(f.pages, 7);
    gk_fields_free(&f);
    free(file);
}

static void test_doc_fields(void **state)
{
    (void)state;
    /* A hyperlink keeps its result; a field nested in another's code is
     * dropped with it; an unclosed field hides only what follows it. */
    doc_spec_t spec = {"a\x13 HYPERLINK \"http://x\" \x14link\x15"
                       "b\x13 IF \x13 DATE \x14" "1\x15 = 1 \x14yes\x15"
                       "c\r",
                       NULL, 0, 0, 0};
    check_doc(&spec, GK_OK, "alinkbyesc\n");
}

static void test_doc_table_rows(void **state)
{
    (void)state;
    /* Cells end with 0x07; the row's own 0x07 (at the fourth character)
     * is marked by sprmPFTtp in the paragraph properties. */
    doc_spec_t spec = {"甲\x07乙\x07\x07后\r", NULL, 0, TEXT_FC + 2 * 4, 0};
    check_doc(&spec, GK_OK, "甲\t乙\n后\n");
    doc_spec_t plain = {"甲\x07乙\x07\x07后\r", NULL, 0, 0, 0};
    check_doc(&plain, GK_OK, "甲\t乙\t\t后\n");
}

static void test_doc_encrypted_flag(void **state)
{
    (void)state;
    doc_spec_t spec = {"secret\r", NULL, 0x0100, 0, 0};
    check_doc(&spec, GK_ERR_ENCRYPTED, NULL);
}

static void test_doc_piece_beyond_stream(void **state)
{
    (void)state;
    doc_spec_t spec = {"text\r", NULL, 0, 0, 0x7FFF0000};
    check_doc(&spec, GK_ERR_BAD_FILE, NULL);
}

static void test_doc_not_ole(void **state)
{
    (void)state;
    gk_fields_t f;
    static const unsigned char junk[600] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 not really";
    assert_int_equal(run(&gk_extractor_doc, junk, sizeof junk, NULL, &f), GK_ERR_BAD_FILE);
    gk_fields_free(&f);
    assert_int_equal(run(&gk_extractor_doc, (const unsigned char *)"hello", 5, NULL, &f), GK_ERR_BAD_FILE);
    gk_fields_free(&f);
    /* An OLE2 file without a WordDocument stream. */
    gk_buf_t x = GK_BUF_INIT;
    gk_buf_puts(&x, "data");
    stream_t s[] = {{"Other", &x}};
    size_t len;
    unsigned char *file = make_ole(s, 1, &len);
    assert_int_equal(run(&gk_extractor_doc, file, len, NULL, &f), GK_ERR_BAD_FILE);
    assert_non_null(strstr(f.error, "WordDocument"));
    gk_fields_free(&f);
    free(file);
    gk_buf_free(&x);
}

static void test_word6(void **state)
{
    (void)state;
    size_t n;
    unsigned char *gbk = encode("GB18030", "中华人民共和国国务院令\r第一条 为了规范管理，制定本条例。\r", &n);
    gk_buf_t w = GK_BUF_INIT;
    pad_to(&w, 0x300);
    gk_buf_append(&w, gbk, n);
    set16(&w, 0, 0xA5EC);
    set16(&w, 2, 0x68);
    set16(&w, 6, 0x0804);
    set32(&w, 0x18, 0x300);
    set32(&w, 0x34, (uint32_t)n);
    stream_t s[] = {{"WordDocument", &w}};
    size_t len;
    unsigned char *file = make_ole(s, 1, &len);
    gk_fields_t f;
    assert_int_equal(run(&gk_extractor_doc, file, len, NULL, &f), GK_OK);
    assert_string_equal(gk_buf_str(&f.body), "中华人民共和国国务院令\n第一条 为了规范管理，制定本条例。\n");
    gk_fields_free(&f);
    /* Fast-saved Word 6 files are refused with a reason. */
    set16(&w, 10, 0x0004);
    free(file);
    file = make_ole(s, 1, &len);
    assert_int_equal(run(&gk_extractor_doc, file, len, NULL, &f), GK_ERR_BAD_FILE);
    assert_non_null(strstr(f.error, "Word 6/95"));
    gk_fields_free(&f);
    free(file);
    free(gbk);
    gk_buf_free(&w);
}

/* ------------------------------------------------------------------ */
/* Excel                                                               */
/* ------------------------------------------------------------------ */

static void record(gk_buf_t *b, unsigned type, const gk_buf_t *data)
{
    put16(b, type);
    put16(b, (unsigned)data->len);
    gk_buf_append(b, data->data, data->len);
}

static void bof(gk_buf_t *b, unsigned dt)
{
    gk_buf_t d = GK_BUF_INIT;
    put16(&d, 0x0600);
    put16(&d, dt);
    pad_to(&d, 16);
    record(b, 0x0809, &d);
    gk_buf_free(&d);
}

static void cell_head(gk_buf_t *d, unsigned row, unsigned col, unsigned xf)
{
    gk_buf_reset(d);
    put16(d, row);
    put16(d, col);
    put16(d, xf);
}

static void put_double(gk_buf_t *d, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, 8);
    put32(d, (uint32_t)bits);
    put32(d, (uint32_t)(bits >> 32));
}

typedef struct {
    int filepass;
    uint32_t sst_count;   /* 0: the real count */
    uint32_t sheet_shift; /* added to the first sheet's offset */
} xls_spec_t;

static unsigned char *make_xls(const xls_spec_t *spec, size_t *len)
{
    gk_buf_t b = GK_BUF_INIT, d = GK_BUF_INIT;
    bof(&b, 0x0005);
    if (spec->filepass) {
        gk_buf_reset(&d);
        put16(&d, 1);
        pad_to(&d, 54);
        record(&b, 0x002F, &d);
    }
    gk_buf_reset(&d);
    put16(&d, 1200);
    record(&b, 0x0042, &d);
    /* FORMAT 164: a Chinese date code. */
    gk_buf_reset(&d);
    put16(&d, 164);
    size_t at = d.len;
    put16(&d, 0);
    gk_buf_putc(&d, 1);
    set16(&d, at, (unsigned)put_utf16(&d, "yyyy\"年\"m\"月\"d\"日\""));
    record(&b, 0x041E, &d);
    /* XF 0-15 General, 16 date (14), 17 custom date, 18 "0.00". */
    unsigned fmts[19] = {[16] = 14, [17] = 164, [18] = 2};
    for (int k = 0; k < 19; k++) {
        gk_buf_reset(&d);
        put16(&d, 0);
        put16(&d, fmts[k]);
        pad_to(&d, 20);
        record(&b, 0x00E0, &d);
    }
    /* SST: a rich string, a Unicode one, and one whose characters go on
     * in a CONTINUE record in 16-bit form. */
    gk_buf_reset(&d);
    put32(&d, 3);
    put32(&d, spec->sst_count ? spec->sst_count : 3);
    put16(&d, 5);
    gk_buf_putc(&d, 0x08);
    put16(&d, 1);
    gk_buf_puts(&d, "Hello");
    put32(&d, 0x00010002);
    put16(&d, 2);
    gk_buf_putc(&d, 0x01);
    put_utf16(&d, "第一");
    put16(&d, 5);
    gk_buf_putc(&d, 0x00);
    gk_buf_puts(&d, "abc");
    record(&b, 0x00FC, &d);
    gk_buf_reset(&d);
    gk_buf_putc(&d, 0x01);
    put_utf16(&d, "中文");
    record(&b, 0x003C, &d);
    /* Two sheets; their offsets are set once known. */
    size_t sheet_at[2];
    const char *names[2] = {"S1", "表二"};
    for (int k = 0; k < 2; k++) {
        gk_buf_reset(&d);
        put32(&d, 0);
        put16(&d, 0);
        gk_buf_putc(&d, 2);   /* characters */
        gk_buf_putc(&d, (char)k);   /* 16-bit for the second */
        if (k)
            put_utf16(&d, names[k]);
        else
            gk_buf_puts(&d, names[k]);
        sheet_at[k] = b.len + 4;
        record(&b, 0x0085, &d);
    }
    gk_buf_reset(&d);
    record(&b, 0x000A, &d);

    set32(&b, sheet_at[0], (uint32_t)b.len + spec->sheet_shift);
    bof(&b, 0x0010);
    cell_head(&d, 0, 1, 15);
    put32(&d, 1);
    record(&b, 0x00FD, &d);
    cell_head(&d, 0, 0, 15);
    put32(&d, 0);
    record(&b, 0x00FD, &d);
    cell_head(&d, 1, 0, 16);
    put_double(&d, 45292);
    record(&b, 0x0203, &d);
    cell_head(&d, 1, 1, 15);
    put32(&d, 42 << 2 | 2);
    record(&b, 0x027E, &d);
    cell_head(&d, 2, 0, 18);           /* MULRK: 1.5 and 7/100 */
    put32(&d, 0x3FF80000);
    put16(&d, 18);
    put32(&d, 7 << 2 | 3);
    put16(&d, 1);
    record(&b, 0x00BD, &d);
    cell_head(&d, 3, 0, 15);           /* FORMULA with a string result */
    put16(&d, 0);
    pad_to(&d, 12);
    put16(&d, 0xFFFF);
    pad_to(&d, 22);
    record(&b, 0x0006, &d);
    gk_buf_reset(&d);
    put16(&d, 2);
    gk_buf_putc(&d, 1);
    put_utf16(&d, "公式");
    record(&b, 0x0207, &d);
    cell_head(&d, 3, 1, 15);
    gk_buf_putc(&d, 1);
    gk_buf_putc(&d, 0);
    record(&b, 0x0205, &d);
    cell_head(&d, 4, 0, 15);
    put32(&d, 2);
    record(&b, 0x00FD, &d);
    cell_head(&d, 4, 1, 17);
    put_double(&d, 45292.5);
    record(&b, 0x0203, &d);
    gk_buf_reset(&d);
    record(&b, 0x000A, &d);

    set32(&b, sheet_at[1], (uint32_t)b.len);
    bof(&b, 0x0010);
    cell_head(&d, 0, 0, 15);
    put16(&d, 3);
    gk_buf_putc(&d, 0);
    gk_buf_puts(&d, "x y");
    record(&b, 0x0204, &d);
    gk_buf_reset(&d);
    record(&b, 0x000A, &d);

    gk_buf_t sum = GK_BUF_INIT;
    make_summary(&sum);
    stream_t s[] = {{"Workbook", &b}, {"\005SummaryInformation", &sum}};
    unsigned char *file = make_ole(s, 2, len);
    gk_buf_free(&b);
    gk_buf_free(&d);
    gk_buf_free(&sum);
    return file;
}

static gk_status_t run_xls(const xls_spec_t *spec, const gk_extract_limits_t *lim, gk_fields_t *f)
{
    size_t len;
    unsigned char *file = make_xls(spec, &len);
    gk_status_t st = run(&gk_extractor_xls, file, len, lim, f);
    free(file);
    return st;
}

static void test_xls_cells(void **state)
{
    (void)state;
    xls_spec_t spec = {0, 0, 0};
    gk_fields_t f;
    assert_int_equal(run_xls(&spec, NULL, &f), GK_OK);
    assert_string_equal(gk_buf_str(&f.body), "S1\n"
                                             "Hello\t第一\n"
                                             "2024-01-01\t42\n"
                                             "1.5\t0.07\n"
                                             "公式\tTRUE\n"
                                             "abc中文\t2024-01-01\n"
                                             "表二\n"
                                             "x y\n");
    assert_string_equal(f.title, "关于印发的通知");
    assert_string_equal(f.author, "国务院办公厅");
    gk_fields_free(&f);
}

static void test_xls_refusals(void **state)
{
    (void)state;
    gk_fields_t f;
    xls_spec_t enc = {1, 0, 0};
    assert_int_equal(run_xls(&enc, NULL, &f), GK_ERR_ENCRYPTED);
    gk_fields_free(&f);
    xls_spec_t huge = {0, 0x7FFFFFFF, 0};
    assert_int_equal(run_xls(&huge, NULL, &f), GK_ERR_BAD_FILE);
    assert_non_null(strstr(f.error, "shared string"));
    gk_fields_free(&f);
    xls_spec_t shifted = {0, 0, 3};
    assert_int_equal(run_xls(&shifted, NULL, &f), GK_ERR_BAD_FILE);
    gk_fields_free(&f);
    gk_extract_limits_t lim;
    gk_extract_limits_default(&lim);
    lim.max_pages = 1;
    xls_spec_t ok = {0, 0, 0};
    assert_int_equal(run_xls(&ok, &lim, &f), GK_ERR_TOO_LARGE);
    gk_fields_free(&f);
    lim.max_pages = 100;
    lim.max_text_bytes = 10;
    assert_int_equal(run_xls(&ok, &lim, &f), GK_ERR_TOO_LARGE);
    gk_fields_free(&f);
}

/* Every prefix of a workbook stream (the tail cut off) is read or
 * refused, never crashed on. */
static void test_xls_truncated(void **state)
{
    (void)state;
    xls_spec_t spec = {0, 0, 0};
    size_t len;
    unsigned char *file = make_xls(&spec, &len);
    for (size_t cut = 1; cut < len; cut += 97) {
        gk_fields_t f;
        gk_status_t st = run(&gk_extractor_xls, file, cut, NULL, &f);
        assert_true(st == GK_OK || st == GK_ERR_BAD_FILE);
        gk_fields_free(&f);
    }
    free(file);
}

/* ------------------------------------------------------------------ */
/* Shared corpus                                                       */
/* ------------------------------------------------------------------ */

static void doc_fidelity_row(const corpus_row_t *row, void *ctx)
{
    gk_fields_t f;
    assert_int_equal(run(&gk_extractor_doc, row->data, row->len, NULL, &f), GK_OK);
    fidelity_add(ctx, row, gk_buf_str(&f.body), f.body.len);
    gk_fields_free(&f);
}

/* Every GK_CORPUS_STEP-th .doc of the corpus against its source text. */
static void test_corpus_doc_fidelity(void **state)
{
    (void)state;
    corpus_or_skip("DOC fidelity");
    fidelity_t fd = {.print_all = 1};
    corpus_rows("doc", corpus_step(), doc_fidelity_row, &fd);
    fidelity_mean(&fd);
    print_message("doc: %d files, mean recall %.4f, mean precision %.4f\n", fd.files, fd.recall, fd.precision);
    fidelity_assert(&fd);
}

static void test_corpus_encrypted(void **state)
{
    (void)state;
    corpus_or_skip("encrypted DOC files");
    const char *names[] = {"hostile/password_protected.doc", "hostile/password_protected.docx"};
    for (size_t k = 0; k < 2; k++) {
        size_t len;
        unsigned char *data = corpus_file(&len, "%s", names[k]);
        assert_non_null(data);
        gk_fields_t f;
        assert_int_equal(run(&gk_extractor_doc, data, len, NULL, &f), GK_ERR_ENCRYPTED);
        assert_string_equal(f.error, "encrypted (password required)");
        gk_fields_free(&f);
        /* The encrypted OOXML package is refused by either extractor. */
        if (k == 1) {
            assert_int_equal(run(&gk_extractor_xls, data, len, NULL, &f), GK_ERR_ENCRYPTED);
            gk_fields_free(&f);
        }
        free(data);
    }
}

/* A corpus .doc with its streams damaged: the WordDocument stream cut
 * short, or the whole file cut in half. */
static void test_corpus_doc_damaged(void **state)
{
    (void)state;
    corpus_or_skip("damaged DOC files");
    size_t len;
    unsigned char *data = corpus_file(&len, "formats/L000022.doc");
    assert_non_null(data);
    gk_fields_t f;
    assert_int_equal(run(&gk_extractor_doc, data, len / 2, NULL, &f), GK_ERR_BAD_FILE);
    gk_fields_free(&f);

    /* Rewrite the file with the WordDocument stream truncated after the
     * FIB, keeping the table stream whose pieces now point beyond it. */
    gsf_init();
    GsfInput *in = gsf_input_memory_new(data, (gsf_off_t)len, FALSE);
    GsfInfile *ole = gsf_infile_msole_new(in, NULL);
    assert_non_null(ole);
    gk_buf_t streams[2] = {GK_BUF_INIT, GK_BUF_INIT};
    const char *names[2] = {"WordDocument", "1Table"};
    for (int k = 0; k < 2; k++) {
        GsfInput *child = gsf_infile_child_by_name(ole, names[k]);
        assert_non_null(child);
        size_t n = (size_t)gsf_input_size(child);
        const guint8 *p = gsf_input_read(child, n, NULL);
        assert_non_null(p);
        gk_buf_append(&streams[k], p, n);
        g_object_unref(child);
    }
    g_object_unref(ole);
    g_object_unref(in);
    for (size_t cut = 100; cut <= 1200; cut += 1100) {
        streams[0].len = cut;
        stream_t s[] = {{"WordDocument", &streams[0]}, {"1Table", &streams[1]}};
        size_t flen;
        unsigned char *file = make_ole(s, 2, &flen);
        assert_int_equal(run(&gk_extractor_doc, file, flen, NULL, &f), GK_ERR_BAD_FILE);
        gk_fields_free(&f);
        free(file);
    }
    gk_buf_free(&streams[0]);
    gk_buf_free(&streams[1]);
    free(data);
}

static void test_corpus_xls(void **state)
{
    (void)state;
    corpus_or_skip("real XLS files");
    struct {
        const char *file, *want[3];
    } cases[] = {
        {"real/easyexcel_wps_hyperlinks.xls", {"Sheet1\n第一列\t第二列\n", "多单元格超链接A\t多单元格超链接B\n", "合并单元格"}},
        {"real/easyexcel_mac_excel_cp10008.xls",
         {"产品数据\n紧密产品同步执行导入模板\n", "材质*\t等级\t标准号*", "通润春（TRC）\tWT8\t箱\t200\n"}},
    };
    for (size_t k = 0; k < 2; k++) {
        size_t len;
        unsigned char *data = corpus_file(&len, "%s", cases[k].file);
        assert_non_null(data);
        gk_fields_t f;
        assert_int_equal(run(&gk_extractor_xls, data, len, NULL, &f), GK_OK);
        for (int j = 0; j < 3; j++) {
            if (!strstr(gk_buf_str(&f.body), cases[k].want[j]))
                fprintf(stderr, "%s lacks %s\n", cases[k].file, cases[k].want[j]);
            assert_non_null(strstr(gk_buf_str(&f.body), cases[k].want[j]));
        }
        assert_non_null(f.modified);
        gk_fields_free(&f);
        free(data);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_doc_pieces_and_metadata),
        cmocka_unit_test(test_doc_fields),
        cmocka_unit_test(test_doc_table_rows),
        cmocka_unit_test(test_doc_encrypted_flag),
        cmocka_unit_test(test_doc_piece_beyond_stream),
        cmocka_unit_test(test_doc_not_ole),
        cmocka_unit_test(test_word6),
        cmocka_unit_test(test_xls_cells),
        cmocka_unit_test(test_xls_refusals),
        cmocka_unit_test(test_xls_truncated),
        cmocka_unit_test(test_corpus_doc_fidelity),
        cmocka_unit_test(test_corpus_encrypted),
        cmocka_unit_test(test_corpus_doc_damaged),
        cmocka_unit_test(test_corpus_xls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
