/* test_extract_odf.c — the OpenDocument extractors (ODT, ODS, ODP) on
 * packages built here with libzip, and CJK fidelity on the shared corpus. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testcorpus.h"
#include "testzip.h"

#include "extract.h"
#include "utf8.h"

static gk_status_t run(const gk_extractor_t *x, const unsigned char *data, size_t len, gk_fields_t *f)
{
    gk_extract_limits_t lim;
    gk_extract_limits_default(&lim);
    gk_input_t in = {"test", data, len, x->mime_types[0], NULL};
    gk_fields_free(f);
    return gk_extract(x, &in, &lim, f);
}

#define NS                                                                                                  \
    " xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\""                                    \
    " xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\""                                        \
    " xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\""                                      \
    " xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\""                                     \
    " xmlns:presentation=\"urn:oasis:names:tc:opendocument:xmlns:presentation:1.0\""                        \
    " xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\""                                      \
    " xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\""                                        \
    " xmlns:dc=\"http://purl.org/dc/elements/1.1/\""                                                        \
    " xmlns:dc2=\"urn:other\""

static const char *const odt_meta =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-meta" NS "><office:meta>"
    "<meta:initial-creator>张三</meta:initial-creator><dc:creator>李四</dc:creator>"
    "<dc:title>关于印发办法的通知</dc:title><meta:creation-date>2020-07-23T10:00:00</meta:creation-date>"
    "<dc:date>2021-01-02T03:04:05</dc:date>"
    "<meta:document-statistic meta:page-count=\"7\" meta:word-count=\"9\"/></office:meta></office:document-meta>";

/* ------------------------------------------------------------------ */
/* ODT                                                                  */
/* ------------------------------------------------------------------ */

static void test_odt_order(void **state)
{
    (void)state;
    const char *content =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content" NS "><office:body><office:text>"
        "<text:sequence-decls><text:sequence-decl text:name=\"Table\"/></text:sequence-decls>"
        "<text:tracked-changes><text:changed-region text:id=\"c1\"><text:deletion>"
        "<text:p>已删除的文字</text:p></text:deletion></text:changed-region></text:tracked-changes>"
        "<text:h text:outline-level=\"1\">第一章 总则</text:h>\n  "
        "<text:p>第一条<text:s text:c=\"3\"/>为了<text:span>规范</text:span>管理<text:note text:note-class=\"footnote\">"
        "<text:note-citation>1</text:note-citation><text:note-body><text:p>脚注内容</text:p></text:note-body>"
        "</text:note>，制定本办法。</text:p>"
        "<text:p>甲<text:tab/>乙<text:line-break/>丙\n   丁</text:p>"
        "<text:p/>"
        "<text:list><text:list-item><text:p>（一）列表项</text:p></text:list-item></text:list>"
        "<office:annotation><dc:creator>审阅人</dc:creator><text:p>批注不是正文</text:p></office:annotation>"
        "<table:table><table:table-row><table:table-cell><text:p>名称</text:p></table:table-cell>"
        "<table:table-cell><text:p>数量</text:p></table:table-cell></table:table-row>"
        "<table:table-row><table:table-cell><text:p>苹果</text:p></table:table-cell>"
        "<table:table-cell><text:p>3</text:p></table:table-cell></table:table-row></table:table>"
        "<text:p>附件：说明</text:p>"
        "</office:text></office:body></office:document-content>";
    const char *styles =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-styles" NS "><office:automatic-styles>"
        "<style:page-layout style:name=\"pm1\"><style:header-style><style:header-footer-properties/>"
        "</style:header-style></style:page-layout></office:automatic-styles><office:master-styles>"
        "<style:master-page style:name=\"Standard\"><style:header><text:p>某某市人民政府</text:p></style:header>"
        "<style:footer><text:p>第<text:page-number>1</text:page-number>页</text:p></style:footer></style:master-page>"
        "<style:master-page style:name=\"Other\"><style:header><text:p>某某市人民政府</text:p></style:header>"
        "</style:master-page></office:master-styles></office:document-styles>";
    part_t parts[] = {{"mimetype", "application/vnd.oasis.opendocument.text"},
                      {"content.xml", content},
                      {"styles.xml", styles},
                      {"meta.xml", odt_meta},
                      {NULL, NULL}};
    size_t len;
    unsigned char *zip = make_zip(parts, &len);
    gk_fields_t f;
    gk_fields_init(&f);
    assert_int_equal(run(&gk_extractor_odt, zip, len, &f), GK_OK);
    assert_string_equal(gk_buf_str(&f.body), "第一章 总则\n"
                                             "第一条   为了规范管理1，制定本办法。\n"
                                             "甲\t乙\n丙 丁\n"
                                             "（一）列表项\n"
                                             "名称\t数量\n"
                                             "苹果\t3\n"
                                             "附件：说明\n"
                                             "脚注内容\n"
                                             "某某市人民政府\n"
                                             "第1页");
    assert_string_equal(f.title, "关于印发办法的通知");
    assert_string_equal(f.author, "张三");
    assert_string_equal(f.created, "2020-07-23T10:00:00");
    assert_string_equal(f.modified, "2021-01-02T03:04:05");
    assert_int_equal(f.pages, 7);
    gk_fields_free(&f);
    free(zip);
}

/* The creator alone is the author when there is no initial creator. */
static void test_odt_creator(void **state)
{
    (void)state;
    part_t parts[] = {{"content.xml", "<office:document-content" NS "><office:body><office:text>"
                                      "<text:p>正文</text:p></office:text></office:body></office:document-content>"},
                      {"meta.xml", "<office:document-meta" NS "><office:meta><dc:creator>李四</dc:creator>"
                                   "<dc2:title>不是标题</dc2:title></office:meta></office:document-meta>"},
                      {NULL, NULL}};
    size_t len;
    unsigned char *zip = make_zip(parts, &len);
    gk_fields_t f;
    gk_fields_init(&f);
    assert_int_equal(run(&gk_extractor_odt, zip, len, &f), GK_OK);
    assert_string_equal(gk_buf_str(&f.body), "正文");
    assert_string_equal(f.author, "李四");
    /* A title in another namespace is not dc:title. */
    assert_true(f.title == NULL || strcmp(f.title, "不是标题") != 0);
    gk_fields_free(&f);
    free(zip);
}

static void test_not_odf(void **state)
{
    (void)state;
    gk_fields_t f;
    gk_fields_init(&f);
    part_t parts[] = {{"mimetype", "application/vnd.oasis.opendocument.text"}, {"styles.xml", "<a/>"}, {NULL, NULL}};
    size_t len;
    unsigned char *zip = make_zip(parts, &len);
    assert_int_equal(run(&gk_extractor_odt, zip, len, &f), GK_ERR_BAD_FILE);
    assert_non_null(strstr(f.error, "content.xml"));
    free(zip);
    const unsigned char junk[] = "PK\3\4 this is not a zip at all";
    assert_int_equal(run(&gk_extractor_ods, junk, sizeof junk - 1, &f), GK_ERR_BAD_FILE);
    part_t broken[] = {{"content.xml", "<office:document-content><text:p>未闭合"}, {NULL, NULL}};
    zip = make_zip(broken, &len);
    assert_int_equal(run(&gk_extractor_odt, zip, len, &f), GK_ERR_BAD_FILE);
    free(zip);
    part_t encrypted[] = {{"content.xml", "\x01\x02binary"},
                          {"META-INF/manifest.xml", "<manifest:manifest><manifest:file-entry><manifest:encryption-data/>"
                                                    "</manifest:file-entry></manifest:manifest>"},
                          {NULL, NULL}};
    zip = make_zip(encrypted, &len);
    assert_int_equal(run(&gk_extractor_odt, zip, len, &f), GK_ERR_ENCRYPTED);
    free(zip);
    gk_fields_free(&f);
}

/* ------------------------------------------------------------------ */
/* ODS                                                                  */
/* ------------------------------------------------------------------ */

static void test_ods_cells(void **state)
{
    (void)state;
    const char *content =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content" NS "><office:body><office:spreadsheet>"
        "<table:table table:name=\"目录\">"
        "<table:table-column table:number-columns-repeated=\"16384\"/>"
        "<table:table-row><table:table-cell office:value-type=\"string\"><text:p>标题</text:p></table:table-cell>"
        "<table:table-cell office:value-type=\"string\"><text:p>发布日期</text:p></table:table-cell>"
        "<table:table-cell table:number-columns-repeated=\"16382\"/></table:table-row>"
        "<table:table-row><table:table-cell office:value-type=\"string\"><text:p>通知</text:p></table:table-cell>"
        "<table:table-cell office:value-type=\"date\" office:date-value=\"2020-07-23T00:00:00\">"
        "<text:p>07/23/20</text:p></table:table-cell>"
        "<table:table-cell table:number-columns-repeated=\"16382\"/></table:table-row>"
        "<table:table-row table:number-rows-repeated=\"1048573\"><table:table-cell "
        "table:number-columns-repeated=\"16384\"/></table:table-row>"
        "<table:table-row><table:table-cell table:number-columns-repeated=\"3\"/>"
        "<table:table-cell table:number-columns-repeated=\"2\" office:value-type=\"float\" office:value=\"1\">"
        "<text:p>1</text:p></table:table-cell><table:table-cell table:number-columns-repeated=\"16379\"/>"
        "</table:table-row>"
        "<table:table-row table:number-rows-repeated=\"2\"><table:table-cell><text:p>同</text:p></table:table-cell>"
        "<table:table-cell office:value-type=\"date\" office:date-value=\"bad\"><text:p>坏日期</text:p>"
        "</table:table-cell></table:table-row>"
        "</table:table></office:spreadsheet></office:body></office:document-content>";
    part_t parts[] = {{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"},
                      {"content.xml", content},
                      {NULL, NULL}};
    size_t len;
    unsigned char *zip = make_zip(parts, &len);
    gk_fields_t f;
    gk_fields_init(&f);
    assert_int_equal(run(&gk_extractor_ods, zip, len, &f), GK_OK);
    assert_string_equal(gk_buf_str(&f.body), "标题\t发布日期\n"
                                             "通知\t2020-07-23\n"
                                             "\t\t\t1\t1\n"
                                             "同\t坏日期\n"
                                             "同\t坏日期");
    /* A million empty rows of 16,384 empty cells write nothing. */
    assert_true(f.body.len < 100);
    gk_fields_free(&f);
    free(zip);
}

/* A filled row repeated a million times is written a bounded number of times. */
static void test_ods_repeat_bound(void **state)
{
    (void)state;
    const char *content =
        "<office:document-content" NS "><office:body><office:spreadsheet><table:table>"
        "<table:table-row table:number-rows-repeated=\"1048576\"><table:table-cell "
        "table:number-columns-repeated=\"16384\"><text:p>重复</text:p></table:table-cell></table:table-row>"
        "</table:table></office:spreadsheet></office:body></office:document-content>";
    part_t parts[] = {{"content.xml", content}, {NULL, NULL}};
    size_t len;
    unsigned char *zip = make_zip(parts, &len);
    gk_fields_t f;
    gk_fields_init(&f);
    assert_int_equal(run(&gk_extractor_ods, zip, len, &f), GK_OK);
    assert_non_null(strstr(gk_buf_str(&f.body), "重复\t重复"));
    assert_true(f.body.len < ((size_t)16 << 20));
    gk_fields_free(&f);
    free(zip);
}

/* ------------------------------------------------------------------ */
/* ODP                                                                  */
/* ------------------------------------------------------------------ */

static void test_odp_slides(void **state)
{
    (void)state;
    const char *content =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content" NS "><office:body><office:presentation>"
        "<draw:page draw:name=\"p1\"><draw:frame presentation:class=\"title\"><draw:text-box>"
        "<text:p>第一张标题</text:p></draw:text-box></draw:frame>"
        "<draw:frame><draw:text-box><text:list><text:list-item><text:p>要点一</text:p></text:list-item>"
        "</text:list></draw:text-box></draw:frame>"
        "<presentation:notes><draw:page-thumbnail/><draw:frame><draw:text-box><text:p>第一张备注</text:p>"
        "</draw:text-box></draw:frame></presentation:notes></draw:page>"
        "<draw:page draw:name=\"p2\"><draw:custom-shape><text:p>第二张</text:p></draw:custom-shape></draw:page>"
        "</office:presentation></office:body></office:document-content>";
    part_t parts[] = {{"mimetype", "application/vnd.oasis.opendocument.presentation"},
                      {"content.xml", content},
                      {"meta.xml", odt_meta},
                      {NULL, NULL}};
    size_t len;
    unsigned char *zip = make_zip(parts, &len);
    gk_fields_t f;
    gk_fields_init(&f);
    assert_int_equal(run(&gk_extractor_odp, zip, len, &f), GK_OK);
    assert_string_equal(gk_buf_str(&f.body), "第一张标题\n要点一\n第一张备注\n第二张");
    assert_int_equal(f.pages, 2);   /* slides counted, not the statistic */
    gk_fields_free(&f);
    free(zip);
}

/* ------------------------------------------------------------------ */
/* Fidelity on the shared corpus                                        */
/* ------------------------------------------------------------------ */

typedef struct {
    fidelity_t fd;
    double secs, mb;
} odt_fidelity_t;

static void odt_fidelity_row(const corpus_row_t *row, void *ctx)
{
    odt_fidelity_t *c = ctx;
    gk_fields_t f;
    gk_fields_init(&f);
    double t0 = now_seconds();
    assert_int_equal(run(&gk_extractor_odt, row->data, row->len, &f), GK_OK);
    c->secs += now_seconds() - t0;
    c->mb += (double)row->len / 1e6;
    assert_true(gk_utf8_valid((const unsigned char *)gk_buf_str(&f.body), f.body.len));
    fidelity_add(&c->fd, row, gk_buf_str(&f.body), f.body.len);
    gk_fields_free(&f);
}

/* Every GK_CORPUS_STEP-th ODT of formats.tsv against its source. */
static void test_corpus_fidelity(void **state)
{
    (void)state;
    corpus_or_skip("ODT fidelity");
    odt_fidelity_t c = {{0}, 0, 0};
    corpus_rows("odt", corpus_step(), odt_fidelity_row, &c);
    assert_true(c.fd.files >= 10);
    fidelity_mean(&c.fd);
    print_message("ODT fidelity, %d files: recall %.4f precision %.4f; %.0f files/s, %.1f MB/s\n", c.fd.files,
                  c.fd.recall, c.fd.precision, c.fd.files / c.secs, c.mb / c.secs);
    fidelity_assert(&c.fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_odt_order),      cmocka_unit_test(test_odt_creator),
        cmocka_unit_test(test_not_odf),        cmocka_unit_test(test_ods_cells),
        cmocka_unit_test(test_ods_repeat_bound), cmocka_unit_test(test_odp_slides),
        cmocka_unit_test(test_corpus_fidelity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
