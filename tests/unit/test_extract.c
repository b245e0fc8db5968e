/* test_extract.c — the MIME table, the text, markdown and HTML extractors,
 * and content-based type detection. */
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
#include <unicode/uchar.h>
#include <unicode/ucnv.h>

#include "detect.h"
#include "extract.h"
#include "fold.h"
#include "title.h"
#include "utf8.h"

static gk_status_t run(const gk_extractor_t *x, const char *mime, const void *data, size_t len,
                       gk_fields_t *f)
{
    gk_extract_limits_t lim;
    gk_extract_limits_default(&lim);
    gk_input_t in = {"test", data, len, mime, NULL};
    gk_fields_free(f);
    return gk_extract(x, &in, &lim, f);
}

/* ------------------------------------------------------------------ */

static void test_table(void **state)
{
    assert_ptr_equal(gk_extractor_for("text/html"), &gk_extractor_html);
    assert_ptr_equal(gk_extractor_for("application/xhtml+xml"), &gk_extractor_html);
    assert_ptr_equal(gk_extractor_for("text/plain"), &gk_extractor_text);
    assert_ptr_equal(gk_extractor_for("text/x-foo"), &gk_extractor_text);
    assert_ptr_equal(gk_extractor_for("text/markdown"), &gk_extractor_markdown);
    assert_ptr_equal(gk_extractor_for("text/x-markdown"), &gk_extractor_markdown);
    assert_null(gk_extractor_for("application/octet-stream"));
    assert_null(gk_extractor_for("image/png"));
    /* The markup of a document format is not plain text. */
    assert_ptr_equal(gk_extractor_for("text/rtf"), &gk_extractor_rtf);
    assert_null(gk_extractor_for("text/x-tex"));
    assert_ptr_equal(gk_extractor_for("application/pdf"), &gk_extractor_pdf);
    assert_ptr_equal(gk_extractor_for("application/vnd.oasis.opendocument.text"), &gk_extractor_odt);
    assert_null(gk_extractor_for("text"));
    assert_null(gk_extractor_for(""));
    assert_null(gk_extractor_for(NULL));
    gk_extract_limits_t lim;
    gk_extract_limits_default(&lim);
    assert_int_equal(lim.max_file_bytes, (size_t)256 << 20);
    assert_int_equal(lim.max_text_bytes, (size_t)64 << 20);
}

static void test_html_basic(void **state)
{
    const char *page =
        "<!DOCTYPE html><html><head><title>\n  Notice &amp;\n  Rules </title>"
        "<style>p { color: red }</style><script>var hidden = 1;</script></head>"
        "<body><noscript>enable js</noscript><h1>Heading</h1>"
        "<p>One   &lt;two&gt;\n  &#20013;&#x6587; &quot;q&quot;</p>"
        "<div>A<br>B</div><ul><li>x</li><li>y</li></ul>"
        "<table><tr><td>c1</td><td>c2</td></tr><tr><th>c3</th><td>c4</td></tr></table>"
        "<pre>  keep   this\n  layout</pre><p>end</p></body></html>";
    gk_fields_t f;
    gk_fields_init(&f);
    assert_int_equal(run(&gk_extractor_html, "text/html", page, strlen(page), &f), GK_OK);
    const char *t = gk_buf_str(&f.body);
    assert_string_equal(f.title, "Notice & Rules");
    assert_null(strstr(t, "hidden"));
    assert_null(strstr(t, "color"));
    assert_null(strstr(t, "enable js"));
    assert_null(strstr(t, "Notice"));
    assert_non_null(strstr(t, "Heading\n\nOne <two> 中文 \"q\"\n\nA\nB\n\nx\ny\n\nc1\tc2\nc3\tc4"));
    assert_non_null(strstr(t, "  keep   this\n  layout\n\nend"));
    assert_int_equal(t[0], 'H');
    assert_int_equal(t[strlen(t) - 1], 'd');
    assert_string_equal(f.charset, "utf-8");
    gk_fields_free(&f);
}

static void test_html_title_from_h1(void **state)
{
    const char *page = "<html><body><h1> First <b>heading</b> </h1><p>text</p></body></html>";
    gk_fields_t f;
    gk_fields_init(&f);
    assert_int_equal(run(&gk_extractor_html, "text/html", page, strlen(page), &f), GK_OK);
    assert_string_equal(f.title, "First heading");
    gk_fields_free(&f);
}

/* Past libxml2's nesting limit the page is still read, without recursion. */
static void test_html_deep_nesting(void **state)
{
    gk_buf_t page = GK_BUF_INIT;
    gk_buf_puts(&page, "<html><head><title>嵌套</title><script>x()</script></head><body>");
    for (int k = 0; k < 10000; k++)
        gk_buf_puts(&page, "<div><span>");
    gk_buf_puts(&page, "政府信息&#20844;开 &amp; 条例<br>第二行");
    for (int k = 0; k < 10000; k++)
        gk_buf_puts(&page, "</span></div>");
    gk_buf_puts(&page, "<p>尾</p></body></html>");
    assert_false(gk_buf_failed(&page));
    gk_fields_t f;
    gk_fields_init(&f);
    assert_int_equal(run(&gk_extractor_html, "text/html", page.data, page.len, &f), GK_OK);
    assert_string_equal(f.title, "嵌套");
    assert_string_equal(gk_buf_str(&f.body), "政府信息公开 & 条例\n第二行\n\n尾");
    gk_fields_free(&f);
    gk_buf_free(&page);
}

static void test_html_gb18030_meta_gb2312(void **state)
{
    const char *page =
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">"
        "<title>国务院关于印发通知的决定</title></head>"
        "<body><p>朱镕基同志主持会议，研究部署政府信息公开工作。</p></body></html>";
    size_t n;
    unsigned char *gb = encode("GB18030", page, &n);
    gk_fields_t f;
    gk_fields_init(&f);
    assert_int_equal(run(&gk_extractor_html, "text/html", gb, n, &f), GK_OK);
    assert_string_equal(f.title, "国务院关于印发通知的决定");
    assert_string_equal(gk_buf_str(&f.body), "朱镕基同志主持会议，研究部署政府信息公开工作。");
    assert_string_equal(f.charset, "gb18030 (declared gb2312)");
    free(gb);

    /* The short form, <meta charset=...>, is found too. */
    const char *page2 = "<meta charset='GBK'><p>堃</p>";
    gb = encode("GB18030", page2, &n);
    assert_int_equal(run(&gk_extractor_html, "text/html", gb, n, &f), GK_OK);
    assert_string_equal(gk_buf_str(&f.body), "堃");
    assert_string_equal(f.charset, "gb18030 (declared gbk)");
    free(gb);
    gk_fields_free(&f);
}

static void test_text_and_markdown(void **state)
{
    gk_fields_t f;
    gk_fields_init(&f);
    const char *txt = "\n  政府信息公开条例  \r\n第一条 内容。\r\n";
    assert_int_equal(run(&gk_extractor_text, "text/plain", txt, strlen(txt), &f), GK_OK);
    assert_string_equal(gk_buf_str(&f.body), txt);   /* kept exactly */
    assert_string_equal(f.title, "政府信息公开条例");
    assert_string_equal(f.charset, "utf-8");

    const char *md = "<!-- x -->\n前言\n\n# 上海市人民建议征集若干规定 #\n\n正文\n";
    assert_int_equal(run(&gk_extractor_markdown, "text/markdown", md, strlen(md), &f), GK_OK);
    assert_string_equal(gk_buf_str(&f.body), md);
    assert_string_equal(f.title, "上海市人民建议征集若干规定");

    /* No heading: the first line, as for text; a long one is no title. */
    const char *md2 = "#hashtag is not a heading\nmore\n";
    assert_int_equal(run(&gk_extractor_markdown, "text/markdown", md2, strlen(md2), &f), GK_OK);
    assert_string_equal(f.title, "#hashtag is not a heading");
    char longline[400];
    memset(longline, 'a', 100);
    strcpy(longline + 100, "\nshort\n");
    assert_int_equal(run(&gk_extractor_text, "text/plain", longline, strlen(longline), &f), GK_OK);
    assert_null(f.title);

    /* GB18030 text is stored as its UTF-8 form. */
    size_t n;
    unsigned char *gb = encode("GB18030", "# 标题\n\n中华人民共和国政府信息公开条例\n", &n);
    assert_int_equal(run(&gk_extractor_markdown, "text/markdown", gb, n, &f), GK_OK);
    assert_string_equal(gk_buf_str(&f.body), "# 标题\n\n中华人民共和国政府信息公开条例\n");
    assert_string_equal(f.title, "标题");
    assert_true(strncmp(f.charset, "gb18030", 7) == 0);
    free(gb);
    gk_fields_free(&f);
}

static void test_empty_and_bad(void **state)
{
    gk_fields_t f;
    gk_fields_init(&f);
    assert_int_equal(run(&gk_extractor_text, "text/plain", "", 0, &f), GK_ERR_BAD_FILE);
    assert_string_equal(f.error, "empty file");
    assert_int_equal(run(&gk_extractor_text, "text/plain", " \n\t\r\n　", strlen(" \n\t\r\n　"), &f), GK_ERR_BAD_FILE);
    assert_int_equal(run(&gk_extractor_markdown, "text/markdown", "\n\n", 2, &f), GK_ERR_BAD_FILE);
    assert_int_equal(run(&gk_extractor_html, "text/html", "", 0, &f), GK_ERR_BAD_FILE);
    const unsigned char bin[] = {0x00, 0x01, 0x02, 0xFF, 0xFE, 0x00, 0x80, 0x81, 0x1B, 0x00, 0x07};
    assert_int_equal(run(&gk_extractor_text, "text/plain", bin, sizeof bin, &f),
                     GK_ERR_ENCODING);
    assert_true(f.error[0] != '\0');
    gk_extract_limits_t lim;
    gk_extract_limits_default(&lim);
    lim.max_file_bytes = lim.max_text_bytes = 10;
    gk_input_t in = {"t", (const unsigned char *)"0123456789ab", 12, "text/plain", NULL};
    assert_int_equal(gk_extract(&gk_extractor_text, &in, &lim, &f), GK_ERR_TOO_LARGE);
    gk_fields_free(&f);
}

static void test_fold_ideographs(void **state)
{
    (void)state;
    /* Kangxi radicals (⾏ U+2F8F, ⽂ U+2F42), a compatibility ideograph
     * (U+F9B4 → 領) and a supplementary one (U+2F800 → 丽) fold; other
     * text, including a CJK Radicals Supplement character, stays. */
    gk_buf_t b = GK_BUF_INIT;
    gk_buf_puts(&b, "\u2F8F\u653F\u2F42\u4EF6 \uF9B4\u98DF\U0002F800 abc \u2E80");
    assert_int_equal(gk_fold_ideographs(&b), GK_OK);
    assert_string_equal(gk_buf_str(&b), "行政文件 領食丽 abc \u2E80");
    assert_int_equal(b.len, strlen(gk_buf_str(&b)));
    gk_buf_free(&b);
    /* Broken UTF-8 is left as it is. */
    gk_buf_puts(&b, "\xE2\xBE");
    assert_int_equal(gk_fold_ideographs(&b), GK_OK);
    assert_int_equal(b.len, 2);
    gk_buf_free(&b);
}

static void test_titles(void **state)
{
    (void)state;
    assert_true(gk_title_is_useless(NULL));
    assert_true(gk_title_is_useless("  "));
    assert_true(gk_title_is_useless("Microsoft Word - 通知.doc"));
    assert_true(gk_title_is_useless("关于印发办法的通知.docx"));
    assert_true(gk_title_is_useless("无标题"));
    assert_false(gk_title_is_useless("关于做好防汛工作的通知"));
    assert_false(gk_title_is_useless("Notice & Rules"));
    gk_fields_t f;
    gk_fields_init(&f);
    gk_buf_puts(&f.body, "\n\u3000 关于做好防汛工作的通知 \n正文第一段。\n");
    assert_int_equal(gk_title_from_body(&f), GK_OK);
    assert_string_equal(f.title, "关于做好防汛工作的通知");
    gk_fields_free(&f);
    /* A first line as long as a paragraph is no title. */
    gk_fields_init(&f);
    for (int i = 0; i < 30; i++)
        gk_buf_puts(&f.body, "政府信息公开");
    assert_int_equal(gk_title_from_body(&f), GK_OK);
    assert_null(f.title);
    gk_fields_free(&f);
}

static void test_fields(void **state)
{
    gk_fields_t f;
    gk_fields_init(&f);
    assert_int_equal(gk_fields_set(&f.author, "abcdef", 3), GK_OK);
    assert_string_equal(f.author, "abc");
    assert_int_equal(gk_fields_set(&f.author, "xy", 2), GK_OK);
    assert_string_equal(f.author, "xy");
    assert_int_equal(gk_fields_fail(&f, GK_ERR_BAD_FILE, "bad %d", 7), GK_ERR_BAD_FILE);
    assert_string_equal(f.error, "bad 7");
    gk_fields_free(&f);
    assert_null(f.author);
}

/* ------------------------------------------------------------------ */

static gk_detector_t *detector;

static void detect(const void *data, size_t len, char *mime, char *charset)
{
    assert_int_equal(gk_detect(detector, data, len, mime, 128, charset, 64), GK_OK);
}

static void test_detect(void **state)
{
    char mime[128], cs[64], err[256];
    assert_int_equal(gk_detector_new(&detector, err, sizeof err), GK_OK);
    const char *html = "<!DOCTYPE html>\n<html><head><title>t</title></head><body><p>x</p></body></html>\n";
    detect(html, strlen(html), mime, cs);
    assert_string_equal(mime, "text/html");

    const char *xhtml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- c -->\n"
                        "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><p>x</p></body></html>\n";
    detect(xhtml, strlen(xhtml), mime, cs);
    assert_string_equal(mime, "text/html");

    const char *md = "# 上海市人民建议征集若干规定\n\n2021年6月23日 通过\n\n第一条 为了贯彻落实。\n";
    detect(md, strlen(md), mime, cs);
    assert_string_equal(mime, "text/markdown");
    const char *table = "名称\n\n| 项目 | 内容 |\n|---|:---:|\n| a | b |\n";
    detect(table, strlen(table), mime, cs);
    assert_string_equal(mime, "text/markdown");

    const char *zh = "国务院办公厅关于做好政府信息依申请公开工作的意见\n"
                     "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n"
                     "《中华人民共和国政府信息公开条例》施行以来，各地区、各部门认真贯彻落实，"
                     "依申请公开工作取得了积极成效。为进一步做好政府信息依申请公开工作，经国务院同意，现提出以下意见。\n";
    size_t n;
    unsigned char *gb = encode("GB18030", zh, &n);
    detect(gb, n, mime, cs);
    assert_string_equal(mime, "text/plain");
    assert_string_equal(cs, "gb18030");
    free(gb);
    unsigned char *le = encode("UTF-16LE", zh, &n);
    detect(le, n, mime, cs);
    assert_string_equal(mime, "text/plain");
    assert_string_equal(cs, "utf-16le");
    free(le);

    unsigned char png[64] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13,
                             'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0};
    detect(png, sizeof png, mime, cs);
    assert_true(strncmp(mime, "text/", 5) != 0);
    unsigned char zip[64] = {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0};
    memcpy(zip + 30, "word/document.xml", 17);
    zip[26] = 17;
    detect(zip, sizeof zip, mime, cs);
    assert_true(strncmp(mime, "text/", 5) != 0);

    unsigned char rnd[4096];
    uint32_t x = 88172645u;
    for (size_t k = 0; k < sizeof rnd; k++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        rnd[k] = (unsigned char)x;
    }
    detect(rnd, sizeof rnd, mime, cs);
    assert_true(strncmp(mime, "text/", 5) != 0);
    gk_detector_free(detector);
    detector = NULL;
}

/* ------------------------------------------------------------------ */
/* The shared corpus: HTML text against its Markdown source             */
/* ------------------------------------------------------------------ */

/* The code points of S without whitespace; *n receives the count. */
static uint32_t *strip(const char *s, size_t len, size_t *n)
{
    uint32_t *cp = malloc((len + 1) * sizeof *cp);
    assert_non_null(cp);
    size_t i = 0, k = 0;
    while (i < len) {
        uint32_t c = gk_utf8_next((const unsigned char *)s, len, &i);
        if (!u_isUWhiteSpace((UChar32)c))
            cp[k++] = c;
    }
    *n = k;
    return cp;
}

static int cjk(uint32_t c) { return c >= 0x4E00 && c <= 0x9FFF; }

static uint64_t gram_hash(const uint32_t *g)
{
    uint64_t h = 1469598103934665603ull;
    for (int k = 0; k < 8; k++) {
        h ^= g[k];
        h *= 1099511628211ull;
    }
    return h ? h : 1;
}

typedef struct {
    uint64_t *slot;
    size_t cap;
} set_t;

static void set_add(set_t *s, uint64_t h)
{
    size_t i = h & (s->cap - 1);
    while (s->slot[i] && s->slot[i] != h)
        i = (i + 1) & (s->cap - 1);
    s->slot[i] = h;
}

static int set_has(const set_t *s, uint64_t h)
{
    size_t i = h & (s->cap - 1);
    while (s->slot[i]) {
        if (s->slot[i] == h)
            return 1;
        i = (i + 1) & (s->cap - 1);
    }
    return 0;
}

/* Index after the next run of 8 CJK ideographs ending at or after *k in
 * CP[0..n), or 0 when there is none; *run carries the current run length. */
static size_t next_gram(const uint32_t *cp, size_t n, size_t *k, size_t *run)
{
    while (*k < n) {
        size_t i = (*k)++;
        if (!cjk(cp[i]))
            *run = 0;
        else if (++*run >= 8)
            return i + 1;
    }
    return 0;
}

typedef struct {
    int files, gb, below;
    size_t total, found;
    double worst;
} html_corpus_t;

static void html_row(const corpus_row_t *row, void *ctx)
{
    html_corpus_t *c = ctx;
    gk_fields_t f;
    gk_fields_init(&f);
    gk_status_t rc = run(&gk_extractor_html, "text/html", row->data, row->len, &f);
    if (rc != GK_OK)
        print_message("%s: status %d: %s\n", row->file, rc, f.error);
    assert_int_equal(rc, GK_OK);
    assert_true(f.body.len > 0);
    if (!strncmp(f.charset, "gb18030", 7))
        c->gb++;

    size_t tn, sn;
    uint32_t *tc = strip(f.body.data, f.body.len, &tn);
    uint32_t *sc = strip(row->src, row->srclen, &sn);
    set_t set = {NULL, 1024};
    while (set.cap < tn * 2)
        set.cap *= 2;
    set.slot = calloc(set.cap, sizeof *set.slot);
    assert_non_null(set.slot);
    size_t k = 0, run = 0, end;
    while ((end = next_gram(tc, tn, &k, &run)) != 0)
        set_add(&set, gram_hash(tc + end - 8));
    size_t t = 0, hit = 0;
    k = run = 0;
    while ((end = next_gram(sc, sn, &k, &run)) != 0) {
        t++;
        hit += set_has(&set, gram_hash(sc + end - 8));
    }
    double r = t ? (double)hit / (double)t : 1.0;
    if (r < c->worst)
        c->worst = r;
    if (r < 0.98) {
        c->below++;
        print_message("%s: %zu of %zu 8-grams (%.2f%%)\n", row->file, hit, t, 100.0 * r);
    }
    c->total += t;
    c->found += hit;
    c->files++;
    free(set.slot);
    free(tc);
    free(sc);
    gk_fields_free(&f);
}

static void test_corpus_html(void **state)
{
    (void)state;
    corpus_or_skip("corpus HTML test");
    html_corpus_t c = {0, 0, 0, 0, 0, 1.0};
    corpus_rows("html", 1, html_row, &c);
    print_message("corpus: %d HTML files (%d decoded as GB18030), CJK 8-grams found %zu of %zu "
                  "(%.3f%%), worst file %.3f%%, files below 98%%: %d\n",
                  c.files, c.gb, c.found, c.total, c.total ? 100.0 * (double)c.found / (double)c.total : 0.0,
                  100.0 * c.worst, c.below);
    assert_true(c.files > 0);
    assert_int_equal(c.below, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_html_basic),
        cmocka_unit_test(test_html_title_from_h1),
        cmocka_unit_test(test_html_deep_nesting),
        cmocka_unit_test(test_html_gb18030_meta_gb2312),
        cmocka_unit_test(test_text_and_markdown),
        cmocka_unit_test(test_empty_and_bad),
        cmocka_unit_test(test_fold_ideographs),
        cmocka_unit_test(test_titles),
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_detect),
        cmocka_unit_test(test_corpus_html),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
