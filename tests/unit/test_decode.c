/* test_decode.c — gk_decode_text: BOMs, strict UTF-8, UTF-16 without BOM,
 * GB18030 detection, declared labels, and refusal of binary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testcorpus.h"
#include "testutil.h"
#include <unicode/ucnv.h>

#include "decode.h"

#define ZH "中华人民共和国政府信息公开条例\n第一条 为了保障公民、法人和其他组织依法获取政府信息，" \
           "提高政府工作的透明度，建设法治政府，充分发挥政府信息对人民群众生产、生活和经济社会活动的服务作用，制定本条例。\n"

static gk_status_t decode(const void *data, size_t len, const char *declared, gk_buf_t *out,
                          char *decision)
{
    gk_buf_reset(out);
    return gk_decode_text(data, len, declared, out, decision, 128);
}

static void test_utf8_passthrough(void **state)
{
    gk_buf_t b = GK_BUF_INIT;
    char d[128];
    assert_int_equal(decode(ZH, strlen(ZH), NULL, &b, d), GK_OK);
    assert_string_equal(gk_buf_str(&b), ZH);
    assert_string_equal(d, "utf-8");
    /* A declared label does not override valid UTF-8. */
    assert_int_equal(decode(ZH, strlen(ZH), "gb2312", &b, d), GK_OK);
    assert_string_equal(gk_buf_str(&b), ZH);
    gk_buf_free(&b);
}

static void test_utf8_bom(void **state)
{
    gk_buf_t b = GK_BUF_INIT;
    char d[128], in[512];
    snprintf(in, sizeof in, "\xEF\xBB\xBF%s", ZH);
    assert_int_equal(decode(in, strlen(in), NULL, &b, d), GK_OK);
    assert_string_equal(gk_buf_str(&b), ZH);
    assert_string_equal(d, "utf-8 (bom)");
    gk_buf_free(&b);
}

static void test_utf16_bom(void **state)
{
    gk_buf_t b = GK_BUF_INIT;
    char d[128];
    size_t n;
    unsigned char *le = encode("UTF-16LE", ZH "abc\n", &n);
    unsigned char *in = malloc(n + 2);
    assert_non_null(in);
    in[0] = 0xFF, in[1] = 0xFE;
    memcpy(in + 2, le, n);
    assert_int_equal(decode(in, n + 2, NULL, &b, d), GK_OK);
    assert_string_equal(gk_buf_str(&b), ZH "abc\n");
    assert_string_equal(d, "utf-16le (bom)");
    free(le);

    unsigned char *be = encode("UTF-16BE", ZH, &n);
    in[0] = 0xFE, in[1] = 0xFF;
    memcpy(in + 2, be, n);
    assert_int_equal(decode(in, n + 2, NULL, &b, d), GK_OK);
    assert_string_equal(gk_buf_str(&b), ZH);
    assert_string_equal(d, "utf-16be (bom)");
    free(be);
    free(in);
    gk_buf_free(&b);
}

static void test_utf16le_no_bom(void **state)
{
    gk_buf_t b = GK_BUF_INIT;
    char d[128];
    size_t n;
    unsigned char *le = encode("UTF-16LE", ZH, &n);
    assert_int_equal(decode(le, n, NULL, &b, d), GK_OK);
    assert_string_equal(gk_buf_str(&b), ZH);
    assert_string_equal(d, "utf-16le (no bom)");
    free(le);
    unsigned char *be = encode("UTF-16BE", ZH, &n);
    assert_int_equal(decode(be, n, NULL, &b, d), GK_OK);
    assert_string_equal(gk_buf_str(&b), ZH);
    assert_string_equal(d, "utf-16be (no bom)");
    free(be);
    gk_buf_free(&b);
}

static void test_gb18030_detected(void **state)
{
    gk_buf_t b = GK_BUF_INIT;
    char d[128];
    size_t n;
    /* U+20000 takes a four-byte GB18030 sequence. */
    const char *text = ZH "𠀀\n";
    unsigned char *gb = encode("GB18030", text, &n);
    assert_false(gk_utf8_valid(gb, n));
    assert_int_equal(decode(gb, n, NULL, &b, d), GK_OK);
    assert_string_equal(gk_buf_str(&b), text);
    assert_true(strncmp(d, "gb18030 (detected, confidence ", 30) == 0);
    int conf = atoi(d + 30);
    assert_true(conf >= 50);

    /* The GB18030 BOM is recognised and removed. */
    unsigned char *in = malloc(n + 4);
    assert_non_null(in);
    memcpy(in, "\x84\x31\x95\x33", 4);
    memcpy(in + 4, gb, n);
    assert_int_equal(decode(in, n + 4, NULL, &b, d), GK_OK);
    assert_string_equal(gk_buf_str(&b), text);
    assert_string_equal(d, "gb18030 (bom)");
    free(in);
    free(gb);
    gk_buf_free(&b);
}

static void test_declared_gb2312_reads_gbk(void **state)
{
    gk_buf_t b = GK_BUF_INIT;
    char d[128];
    /* 镕 (GBK E946) and 堃 (GBK 88D2) are not in GB2312. */
    const unsigned char gbk[] = {0xD6, 0xEC, 0xE9, 0x46, 0xBB, 0xF9, ' ', 0x88, 0xD2};
    assert_int_equal(decode(gbk, sizeof gbk, "GB2312", &b, d), GK_OK);
    assert_string_equal(gk_buf_str(&b), "朱镕基 堃");
    assert_string_equal(d, "gb18030 (declared gb2312)");
    gk_buf_free(&b);
}

static void test_damaged_utf8_kept(void **state)
{
    (void)state;
    /* Chinese UTF-8 with a stray continuation byte, an overlong "/", a
     * truncated sequence and a NUL: kept, with U+FFFD where it is bad. */
    gk_buf_t text = GK_BUF_INIT;
    for (int k = 0; k < 60; k++)
        gk_buf_puts(&text, "第一条 为了规范政府信息公开工作，制定本条例。\n");
    static const char damaged[] = "坏\x80字节\xC0\xAF与\xE6\x94截断\x00空字符。\n";
    gk_buf_append(&text, damaged, sizeof damaged - 1);
    gk_buf_t b = GK_BUF_INIT;
    char d[128];
    assert_int_equal(gk_decode_text((const unsigned char *)text.data, text.len, NULL, &b, d, sizeof d), GK_OK);
    assert_string_equal(d, "utf-8 (invalid sequences replaced)");
    assert_true(gk_utf8_valid((const unsigned char *)b.data, b.len));
    assert_non_null(strstr(b.data, "坏\xEF\xBF\xBD字节"));
    /* The truncated sequence and the NUL after it: one U+FFFD each. */
    assert_non_null(strstr(b.data, "与\xEF\xBF\xBD截断\xEF\xBF\xBD空字符"));
    assert_null(memchr(b.data, 0, b.len));
    assert_non_null(strstr(b.data, "制定本条例"));
    gk_buf_free(&b);
    gk_buf_free(&text);
}

static void test_random_binary_rejected(void **state)
{
    gk_buf_t b = GK_BUF_INIT;
    char d[128];
    unsigned char data[8192];
    uint32_t x = 2463534242u;
    for (size_t k = 0; k < sizeof data; k++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        data[k] = (unsigned char)(x >> 24);
    }
    data[100] = 0;
    gk_buf_puts(&b, "kept");
    assert_int_equal(gk_decode_text(data, sizeof data, NULL, &b, d, sizeof d), GK_ERR_ENCODING);
    /* Nothing of a refused candidate stays appended. */
    assert_string_equal(gk_buf_str(&b), "kept");
    /* Not even under a declared label that maps every byte. */
    assert_int_equal(decode(data, sizeof data, "iso-8859-1", &b, d), GK_ERR_ENCODING);
    assert_int_equal(decode(data, sizeof data, "gbk", &b, d), GK_ERR_ENCODING);
    /* A BOM in front of binary does not make it text. */
    static const char *const boms[] = {"\xFF\xFE", "\xFE\xFF", "\xEF\xBB\xBF", "\x84\x31\x95\x33"};
    for (int k = 0; k < 4; k++) {
        memcpy(data, boms[k], strlen(boms[k]));
        assert_int_equal(decode(data, sizeof data, NULL, &b, d), GK_ERR_ENCODING);
    }
    assert_int_equal(b.len, 0);
    gk_buf_free(&b);
}

static void test_invalid_not_gb_rejected(void **state)
{
    gk_buf_t b = GK_BUF_INIT;
    char d[128];
    const char bad[] = "abc\xC3\x28xyz\xFF\xFF\xFF\x80\x80 def\xC0\xAF";
    assert_int_equal(decode(bad, sizeof bad - 1, NULL, &b, d), GK_ERR_ENCODING);
    /* ASCII with NUL bytes is not text either. */
    const char nul[] = "abc\0def\0ghi\0jkl";
    assert_int_equal(decode(nul, sizeof nul - 1, NULL, &b, d), GK_ERR_ENCODING);
    gk_buf_free(&b);
}

static void test_empty(void **state)
{
    gk_buf_t b = GK_BUF_INIT;
    char d[128];
    assert_int_equal(decode("", 0, NULL, &b, d), GK_OK);
    assert_int_equal(b.len, 0);
    gk_buf_free(&b);
}

/* ------------------------------------------------------------------ */

typedef struct {
    gk_buf_t b;
    int same, failed;
} round_trip_t;

static void round_trip_row(const corpus_row_t *row, void *ctx)
{
    round_trip_t *c = ctx;
    char d[128];
    gk_status_t rc = decode(row->data, row->len, NULL, &c->b, d);
    if (rc != GK_OK || c->b.len != row->srclen || memcmp(c->b.data, row->src, row->srclen) != 0) {
        print_message("mismatch: %s (status %d, %s)\n", row->file, rc, d);
        c->failed++;
    } else {
        c->same++;
    }
}

/* Every GB18030 and UTF-16LE text of formats.tsv decodes to its source. */
static void test_corpus_text_round_trip(void **state)
{
    (void)state;
    corpus_or_skip("corpus round trip");
    round_trip_t c = {GK_BUF_INIT, 0, 0};
    corpus_rows("txt-gb18030", 1, round_trip_row, &c);
    int gb = c.same;
    corpus_rows("txt-utf16le", 1, round_trip_row, &c);
    int u16 = c.same - gb;
    gk_buf_free(&c.b);
    print_message("corpus: %d GB18030 and %d UTF-16LE files decode to their source exactly, "
                  "%d mismatches\n", gb, u16, c.failed);
    assert_int_equal(c.failed, 0);
    assert_true(gb > 0 && u16 > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_passthrough),
        cmocka_unit_test(test_utf8_bom),
        cmocka_unit_test(test_utf16_bom),
        cmocka_unit_test(test_utf16le_no_bom),
        cmocka_unit_test(test_gb18030_detected),
        cmocka_unit_test(test_declared_gb2312_reads_gbk),
        cmocka_unit_test(test_random_binary_rejected),
        cmocka_unit_test(test_damaged_utf8_kept),
        cmocka_unit_test(test_invalid_not_gb_rejected),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_corpus_text_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
