/* test_extract_rtf.c — the RTF extractor: tokens, Unicode and code pages,
 * skipped destinations, metadata, hostile nesting, and the shared corpus. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testcorpus.h"
#include "testutil.h"

#include "extract.h"
#include "utf8.h"

static gk_status_t run_len(const void *data, size_t len, gk_fields_t *f)
{
    gk_extract_limits_t lim;
    gk_extract_limits_default(&lim);
    gk_input_t in = {"test.rtf", data, len, "text/rtf", NULL};
    gk_fields_free(f);
    gk_fields_init(f);
    gk_status_t rc = gk_extract(&gk_extractor_rtf, &in, &lim, f);
    if (rc == GK_OK)
        assert_true(gk_utf8_valid((const unsigned char *)gk_buf_str(&f->body), f->body.len));
    return rc;
}

static gk_status_t run(const char *rtf, gk_fields_t *f)
{
    return run_len(rtf, strlen(rtf), f);
}

/* Extract RTF, which must succeed, and compare the body with WANT. */
static void expect_body(const char *rtf, const char *want)
{
    gk_fields_t f;
    gk_fields_init(&f);
    gk_status_t rc = run(rtf, &f);
    if (rc != GK_OK)
        print_message("status %d: %s\n", rc, f.error);
    assert_int_equal(rc, GK_OK);
    assert_string_equal(gk_buf_str(&f.body), want);
    gk_fields_free(&f);
}

/* ------------------------------------------------------------------ */

static void test_plain_and_symbols(void **state)
{
    (void)state;
    expect_body("{\\rtf1\\ansi Hello\\par World}", "Hello\nWorld");
    /* Line ends in the source are not text; a space after a word is its end. */
    expect_body("{\\rtf1 a\r\nb\\tab c\\line d}", "ab\tc\nd");
    expect_body("{\\rtf1 \\\\ \\{ \\} a\\~b\\-c\\_d}", "\\ { } a\xC2\xA0" "bc\xE2\x80\x91" "d");
    expect_body("{\\rtf1 \\emdash\\endash\\bullet\\lquote x\\rquote\\ldblquote y\\rdblquote}",
                "\xE2\x80\x94\xE2\x80\x93\xE2\x80\xA2\xE2\x80\x98x\xE2\x80\x99\xE2\x80\x9Cy\xE2\x80\x9D");
    /* Formatting words and their parameters vanish, negative ones too. */
    expect_body("{\\rtf1 {\\b bold}\\fs24 \\li-360 x\\b0 y}", "boldxy");
    /* Leading blanks before {\rtf are allowed. */
    expect_body("  \r\n{\\rtf1 ok}", "ok");
}

static void test_registration_and_limits(void **state)
{
    (void)state;
    assert_ptr_equal(gk_extractor_for("text/rtf"), &gk_extractor_rtf);
    assert_ptr_equal(gk_extractor_for("application/rtf"), &gk_extractor_rtf);
    assert_string_equal(gk_extractor_rtf.name, "rtf");
    assert_int_equal(gk_extractor_rtf.isolate, 0);

    /* The document code page is reported. */
    gk_fields_t f;
    gk_fields_init(&f);
    assert_int_equal(run("{\\rtf1\\ansi\\ansicpg936 x}", &f), GK_OK);
    assert_string_equal(f.charset, "cp936");

    /* Text beyond the limit stops the parse. */
    gk_extract_limits_t lim;
    gk_extract_limits_default(&lim);
    lim.max_text_bytes = 16;
    const char *big = "{\\rtf1 0123456789\\par 0123456789\\par 0123456789}";
    gk_input_t in = {"big.rtf", (const unsigned char *)big, strlen(big), "text/rtf", NULL};
    gk_fields_free(&f);
    gk_fields_init(&f);
    assert_int_equal(gk_extract(&gk_extractor_rtf, &in, &lim, &f), GK_ERR_TOO_LARGE);

    /* A depth limit of one still reads nested text. */
    lim.max_text_bytes = 1024;
    lim.max_xml_depth = 1;
    const char *nested = "{\\rtf1 a{b{\\*\\x c}d}e}";
    gk_input_t in2 = {"nested.rtf", (const unsigned char *)nested, strlen(nested), "text/rtf", NULL};
    gk_fields_free(&f);
    gk_fields_init(&f);
    assert_int_equal(gk_extract(&gk_extractor_rtf, &in2, &lim, &f), GK_OK);
    assert_string_equal(gk_buf_str(&f.body), "abde");
    gk_fields_free(&f);
}

static void test_not_rtf(void **state)
{
    (void)state;
    gk_fields_t f;
    gk_fields_init(&f);
    assert_int_equal(run("hello world", &f), GK_ERR_BAD_FILE);
    assert_int_equal(run("{\\rt", &f), GK_ERR_BAD_FILE);
    assert_int_equal(run("x{\\rtf1 hi}", &f), GK_ERR_BAD_FILE);
    assert_true(strlen(f.error) > 0);
    gk_fields_free(&f);
}

static void test_unicode_fallbacks(void **state)
{
    (void)state;
    /* \uc1 (the default): one fallback character, plain or \'hh. */
    expect_body("{\\rtf1 \\u20013?\\u25991\\'3f!}", "中文!");
    /* \uc0: nothing follows to skip. */
    expect_body("{\\rtf1 \\uc0\\u20013\\u25991 x}", "中文x");
    /* \uc2: two fallback bytes, e.g. a GBK pair, are skipped. */
    expect_body("{\\rtf1 \\uc2\\u20013\\'d6\\'d0\\u25991??z}", "中文z");
    /* \uc is a group property: outside the group it is 1 again. */
    expect_body("{\\rtf1 {\\uc2\\u20013??}\\u25991?y}", "中文y");
    /* Negative values are code units above 0x7FFF; unsigned ones work too. */
    expect_body("{\\rtf1 \\u-201?\\u40723?}", "\xEF\xBC\xB7\xE9\xBC\x93");
    /* A surrogate pair in two \u: U+20000. A lone half is damage. */
    expect_body("{\\rtf1 \\u-10176?\\u-9216?}", "\xF0\xA0\x80\x80");
    expect_body("{\\rtf1 \\u-10176?x}", "\xEF\xBF\xBDx");
    expect_body("{\\rtf1 \\u-9216?x}", "\xEF\xBF\xBDx");
    /* A control word counts as one fallback character. */
    expect_body("{\\rtf1 \\u20013\\par x}", "中x");
}

static void test_code_pages(void **state)
{
    (void)state;
    /* \ansicpg936: GBK pairs, decoded together even across a line end. */
    expect_body("{\\rtf1\\ansi\\ansicpg936 \\'d6\\'d0\\'ce\r\n\\'c4}", "中文");
    /* A GBK trail byte in the ASCII range may be written as itself. */
    expect_body("{\\rtf1\\ansi\\ansicpg936 \\'81@\\'d6\\'d0}", "丂中");
    /* Windows-1252 by default. */
    expect_body("{\\rtf1\\ansi caf\\'e9 \\'93q\\'94}", "café \xE2\x80\x9Cq\xE2\x80\x9D");
    /* A \fcharset134 font in a 1252 document overrides the document code page. */
    expect_body("{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss\\fcharset0 Arial;}"
                "{\\f1\\fnil\\fcharset134 \\'cb\\'ce\\'cc\\'e5;}{\\f2\\fnil\\fcharset136 MingLiU;}}"
                "caf\\'e9 {\\f1 \\'d6\\'d0\\'ce\\'c4}\\f2 \\'a4\\'a4\\'a4\\'e5\\plain \\'e9}",
                "café 中文中文é");
    /* Word's \dbch\afN names the font of double-byte characters next to a
     * Latin \fN; Latin bytes stay in the Latin code page. */
    expect_body("{\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0\\fcharset0 Times;}{\\f13\\fcharset134 SimSun;}}"
                "\\hich\\af0\\dbch\\af13\\loch\\f0 A\\'d6\\'d0 \\'3f}",
                "A中 ?");
    expect_body("{\\rtf1\\ansi{\\fonttbl{\\f0\\fcharset0 Times;}{\\f13\\fcharset134 SimSun;}}"
                "\\hich\\af13\\loch\\f0 caf\\'e9}",
                "café");
    expect_body("{\\rtf1\\ansi{\\fonttbl{\\f0\\fcharset0 Times;}{\\f13\\fcharset134 SimSun;}}"
                "\\dbch\\af13\\loch\\f0 caf\\'e9 \\'d6\\'d0}",
                "café 中");
    /* \deff selects the font of text outside any \f. */
    expect_body("{\\rtf1\\ansi\\deff1{\\fonttbl{\\f0 A;}{\\f1\\fcharset134 B;}}\\'d6\\'d0}", "中");
    /* Bytes that do not decode become U+FFFD, never invalid UTF-8. */
    gk_fields_t f;
    gk_fields_init(&f);
    assert_int_equal(run("{\\rtf1\\ansicpg936 \\'d6}", &f), GK_OK);
    assert_string_equal(gk_buf_str(&f.body), "\xEF\xBF\xBD");
    gk_fields_free(&f);
}

static void test_skipped_destinations(void **state)
{
    (void)state;
    expect_body("{\\rtf1{\\fonttbl{\\f0 Arial;}}{\\colortbl;\\red0\\green0\\blue0;}"
                "{\\stylesheet{\\s0 Normal;}}{\\*\\generator Writer;}A{\\*\\unknown skipped {x} y}B"
                "{\\pict\\pngblip 89504e47}{\\*\\themedata 504b}C}",
                "ABC");
    /* \bin N skips N raw bytes, braces and backslashes included. */
    expect_body("{\\rtf1 a{\\pict\\bin6 {}}\\x\xff}b}", "ab");
    expect_body("{\\rtf1 a\\bin5 {}}\\x b}", "a b");
    /* Fields: the instruction is skipped, the result kept. */
    expect_body("{\\rtf1 see {\\field{\\*\\fldinst HYPERLINK \"http://x\"}{\\fldrslt "
                "\\u38142?\\u25509?}}.}",
                "see 链接.");
    /* Headers and footers are text. */
    expect_body("{\\rtf1 {\\header H}{\\footer F}body}", "HFbody");
    /* Unknown destinations without \* are formatting: their text stays. */
    expect_body("{\\rtf1 {\\foo kept}}", "kept");
}

static void test_info(void **state)
{
    (void)state;
    gk_fields_t f;
    gk_fields_init(&f);
    const char *rtf =
        "{\\rtf1\\ansi{\\info{\\title \\u25919?\\u24220?\\u20844?\\u25253?}{\\author Zhang San}"
        "{\\creatim\\yr2021\\mo6\\dy23\\hr10\\min5}{\\revtim\\yr2022\\mo1\\dy2\\hr0\\min0}"
        "{\\printim\\yr1999\\mo1\\dy1}}body\\par}";
    assert_int_equal(run(rtf, &f), GK_OK);
    assert_string_equal(gk_buf_str(&f.body), "body\n");
    assert_string_equal(f.title, "政府公报");
    assert_string_equal(f.author, "Zhang San");
    assert_string_equal(f.created, "2021-06-23T10:05:00");
    assert_string_equal(f.modified, "2022-01-02T00:00:00");

    /* LibreOffice: an ANSI title in \upr, the Unicode one in \*\ud; year 0
     * means no date. */
    rtf = "{\\rtf1{\\info{\\upr{\\title \\'3f\\'3f}{\\*\\ud{\\title \\u19978\\'3f\\u28023\\'3f}}}"
          "{\\creatim\\yr0\\mo0\\dy0\\hr0\\min0}}x}";
    assert_int_equal(run(rtf, &f), GK_OK);
    assert_string_equal(gk_buf_str(&f.body), "x");
    assert_string_equal(f.title, "上海");
    assert_null(f.created);
    assert_null(f.author);

    /* \title outside \info is not the title, nor body text (the title
     * may then come from the body's first line). */
    assert_int_equal(run("{\\rtf1 {\\title T}b}", &f), GK_OK);
    assert_true(!f.title || strcmp(f.title, "T") != 0);
    assert_string_equal(gk_buf_str(&f.body), "b");
    gk_fields_free(&f);
}

static void test_tables(void **state)
{
    (void)state;
    expect_body("{\\rtf1 \\trowd\\cellx1000\\cellx2000\\pard\\intbl A\\cell B\\cell\\row"
                "\\trowd\\cellx1000\\cellx2000\\pard\\intbl C\\cell D\\cell\\row after}",
                "A\tB\t\nC\tD\t\nafter");
}

static void test_unbalanced(void **state)
{
    (void)state;
    /* The document ends with its outermost group. */
    expect_body("{\\rtf1 a}}}} b", "a");
    expect_body("{\\rtf1 a}\\u20013? junk", "a");
    /* Unterminated groups. */
    expect_body("{\\rtf1 {{{a {\\b b", "a b");
    /* Truncated tokens at the end of the input. */
    expect_body("{\\rtf1 x\\u", "x");
    /* A minus without digits is text. */
    expect_body("{\\rtf1 x\\u-", "x-");
    expect_body("{\\rtf1 x\\u20013", "x中");
    expect_body("{\\rtf1 x\\'d", "x");
    expect_body("{\\rtf1 x\\", "x");
    expect_body("{\\rtf1 x\\bin99999 abc", "x");
    expect_body("{\\rtf1 x{\\*", "x");
    /* A control word longer than the specification allows is ignored. */
    expect_body("{\\rtf1 a\\abcdefghijklmnopqrstuvwxyzabcdefghijklmnop b}", "ab");
    /* A huge parameter does not overflow. */
    expect_body("{\\rtf1 {\\uc99999999999999999\\u20013abc}d}", "中d");
}

/* Text inside more groups than the depth limit is still read; a skipped
 * destination among those groups is skipped up to its closing brace. */
static void test_deep_groups_synthetic(void **state)
{
    (void)state;
    const size_t depth = 100000;
    gk_buf_t b = GK_BUF_INIT;
    gk_buf_puts(&b, "{\\rtf1\\ansi ");
    for (size_t k = 0; k < depth; k++)
        gk_buf_putc(&b, '{');
    gk_buf_puts(&b, "\\u25919?{\\*\\junk no{{x}}}\\u24220?");
    for (size_t k = 0; k < depth; k++)
        gk_buf_putc(&b, '}');
    gk_buf_puts(&b, " end}");
    assert_false(gk_buf_failed(&b));
    gk_fields_t f;
    gk_fields_init(&f);
    assert_int_equal(run_len(b.data, b.len, &f), GK_OK);
    assert_string_equal(gk_buf_str(&f.body), "政府 end");
    gk_fields_free(&f);
    gk_buf_free(&b);
}

/* ------------------------------------------------------------------ */
/* The shared corpus                                                    */
/* ------------------------------------------------------------------ */

static void test_hostile_deep_groups(void **state)
{
    (void)state;
    corpus_or_skip("hostile RTF test");
    size_t len;
    char *data = corpus_file(&len, "hostile/rtf_deep_groups.rtf");
    assert_non_null(data);
    gk_fields_t f;
    gk_fields_init(&f);
    assert_int_equal(run_len(data, len, &f), GK_OK);
    assert_non_null(strstr(gk_buf_str(&f.body), "政府"));
    gk_fields_free(&f);
    free(data);
}

typedef struct {
    fidelity_t fd;
    int titles;
    double seconds;
    size_t bytes;
} rtf_fidelity_t;

static void rtf_fidelity_row(const corpus_row_t *row, void *ctx)
{
    rtf_fidelity_t *c = ctx;
    gk_fields_t f;
    gk_fields_init(&f);
    double t0 = now_seconds();
    gk_status_t rc = run_len(row->data, row->len, &f);
    c->seconds += now_seconds() - t0;
    c->bytes += row->len;
    if (rc != GK_OK)
        print_message("%s: status %d: %s\n", row->file, rc, f.error);
    assert_int_equal(rc, GK_OK);
    /* LibreOffice writes an ANSI title of '?' before the Unicode one. */
    assert_non_null(f.title);
    assert_null(strchr(f.title, '?'));
    c->titles++;
    fidelity_add(&c->fd, row, gk_buf_str(&f.body), f.body.len);
    gk_fields_free(&f);
}

/* Every GK_CORPUS_STEP-th RTF file (default 10) against its Markdown
 * source: recall and precision of CJK 8-grams. */
static void test_corpus(void **state)
{
    (void)state;
    corpus_or_skip("RTF corpus test");
    int step = corpus_step();
    rtf_fidelity_t c = {{0}, 0, 0, 0};
    corpus_rows("rtf", step, rtf_fidelity_row, &c);
    fidelity_mean(&c.fd);
    print_message("corpus: %d RTF files (every %d), CJK 8-gram recall %.4f, precision %.4f, "
                  "worst %.4f, titles %d; %.1f files/s, %.1f MB/s\n",
                  c.fd.files, step, c.fd.recall, c.fd.precision, c.fd.worst, c.titles,
                  c.seconds > 0 ? c.fd.files / c.seconds : 0.0,
                  c.seconds > 0 ? (double)c.bytes / 1e6 / c.seconds : 0.0);
    fidelity_assert(&c.fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_and_symbols),
        cmocka_unit_test(test_registration_and_limits),
        cmocka_unit_test(test_not_rtf),
        cmocka_unit_test(test_unicode_fallbacks),
        cmocka_unit_test(test_code_pages),
        cmocka_unit_test(test_skipped_destinations),
        cmocka_unit_test(test_info),
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_unbalanced),
        cmocka_unit_test(test_deep_groups_synthetic),
        cmocka_unit_test(test_hostile_deep_groups),
        cmocka_unit_test(test_corpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
