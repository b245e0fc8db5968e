/* test_extract_ofd.c — the OFD extractor on packages built here with libzip
 * and on the real OFD files of the shared corpus. */
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

static gk_status_t run_lim(const unsigned char *data, size_t len, const gk_extract_limits_t *lim, gk_fields_t *f)
{
    gk_input_t in = {"test", data, len, "application/ofd", NULL};
    gk_fields_free(f);
    return gk_extract(&gk_extractor_ofd, &in, lim, f);
}

static gk_status_t run(const unsigned char *data, size_t len, gk_fields_t *f)
{
    gk_extract_limits_t lim;
    gk_extract_limits_default(&lim);
    return run_lim(data, len, &lim, f);
}

#define OFD_NS " xmlns:ofd=\"http://www.ofdspec.org/2016\""

static const char *const ofd_xml =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ofd:OFD" OFD_NS " Version=\"1.0\" DocType=\"OFD\"><ofd:DocBody>"
    "<ofd:DocInfo><ofd:DocID>x</ofd:DocID><ofd:Title>关于开展检查的通知</ofd:Title><ofd:Author>某某县人民政府办公室"
    "</ofd:Author><ofd:CreationDate>2023-03-16</ofd:CreationDate><ofd:ModDate>2023-03-17</ofd:ModDate>"
    "<ofd:Creator>某软件</ofd:Creator></ofd:DocInfo>"
    "<ofd:DocRoot>\n  /Doc_1/Document.xml\n</ofd:DocRoot><ofd:Signatures>Doc_1/Signs/Signatures.xml</ofd:Signatures>"
    "</ofd:DocBody></ofd:OFD>";

/* Pages relative to Document.xml and from the root; a template before each
 * page that uses it; a second layer repeating text; element names without
 * a prefix in one part. */
static const char *const document_xml =
    "<ofd:Document" OFD_NS "><ofd:CommonData><ofd:MaxUnitID>99</ofd:MaxUnitID>"
    "<ofd:TemplatePage ID=\"5\" BaseLoc=\"Tpls/Tpl_0/Content.xml\"/></ofd:CommonData><ofd:Pages>"
    "<ofd:Page ID=\"1\" BaseLoc=\"Pages/Page_0/Content.xml\"/>"
    "<ofd:Page ID=\"2\" BaseLoc=\"/Doc_1/Pages/Page_1/Content.xml\"/>"
    "</ofd:Pages><ofd:Annotations>Annots/Annotations.xml</ofd:Annotations></ofd:Document>";

static const char *const template_xml =
    "<ofd:Page" OFD_NS "><ofd:Content><ofd:Layer ID=\"6\">"
    "<ofd:TextObject ID=\"7\" Boundary=\"40 30 130 20\" Size=\"14\">"
    "<ofd:TextCode X=\"0\" Y=\"14\" DeltaX=\"g 7 14\">某某县人民政府文件</ofd:TextCode></ofd:TextObject>"
    "</ofd:Layer></ofd:Content></ofd:Page>";

static const char *const page0_xml =
    "<ofd:Page" OFD_NS "><ofd:Template TemplateID=\"5\" ZOrder=\"Background\"/><ofd:Content><ofd:Layer ID=\"10\">"
    /* one line in two objects, then a line in two codes of one object */
    "<ofd:TextObject ID=\"11\" Boundary=\"30 80 20 6\" Size=\"5\">"
    "<ofd:TextCode X=\"0\" Y=\"5\" DeltaX=\"5 5\">县政府</ofd:TextCode></ofd:TextObject>"
    "<ofd:TextObject ID=\"12\" Boundary=\"45 80.3 40 6\" Size=\"5\">"
    "<ofd:TextCode X=\"0\" Y=\"5\" DeltaX=\"g 3 5\">办公室：</ofd:TextCode></ofd:TextObject>"
    "<ofd:TextObject ID=\"13\" Boundary=\"30 90 150 20\" Size=\"5\">"
    "<ofd:TextCode X=\"10\" Y=\"5\" DeltaX=\"g 4 5\">现将有关事项</ofd:TextCode>"
    "<ofd:TextCode X=\"0\" Y=\"12\" DeltaX=\"g 3 5\">通知如下。</ofd:TextCode></ofd:TextObject>"
    "<ofd:PathObject ID=\"14\" Boundary=\"0 0 10 10\"><ofd:AbbreviatedData>M 0 0 L 1 1</ofd:AbbreviatedData>"
    "</ofd:PathObject>"
    "</ofd:Layer><ofd:Layer ID=\"20\">"
    "<ofd:TextObject ID=\"21\" Boundary=\"30 80 20 6\" Size=\"5\">"
    "<ofd:TextCode X=\"0\" Y=\"5\" DeltaX=\"5 5\">县政府</ofd:TextCode></ofd:TextObject>"
    "</ofd:Layer></ofd:Content></ofd:Page>";

/* Written bottom line first, character by character: sorted into lines. */
static const char *const page1_xml =
    "<Page xmlns=\"http://www.ofdspec.org/2016\"><Template TemplateID=\"5\"/><Content><Layer ID=\"30\">"
    "<TextObject ID=\"31\" Boundary=\"60 200 5 5\" Size=\"5\"><TextCode X=\"0\" Y=\"5\">日</TextCode></TextObject>"
    "<TextObject ID=\"32\" Boundary=\"50 200 5 5\" Size=\"5\"><TextCode X=\"0\" Y=\"5\">月</TextCode></TextObject>"
    "<TextObject ID=\"33\" Boundary=\"40 200 5 5\" Size=\"5\"><TextCode X=\"0\" Y=\"5\">三</TextCode></TextObject>"
    "<TextObject ID=\"34\" Boundary=\"55 180 5 5\" Size=\"5\"><TextCode X=\"0\" Y=\"5\">府</TextCode></TextObject>"
    "<TextObject ID=\"35\" Boundary=\"50 180 5 5\" Size=\"5\"><TextCode X=\"0\" Y=\"5\">政</TextCode></TextObject>"
    "<TextObject ID=\"36\" Boundary=\"45 180 5 5\" Size=\"5\"><TextCode X=\"0\" Y=\"5\">县</TextCode></TextObject>"
    "<TextObject ID=\"37\" Boundary=\"40 160 5 5\" Size=\"5\"><TextCode X=\"5\" Y=\"5\">二</TextCode></TextObject>"
    "<TextObject ID=\"38\" Boundary=\"40 160 5 5\" Size=\"5\"><TextCode X=\"0\" Y=\"5\">一</TextCode></TextObject>"
    "</Layer></Content></Page>";

static const char *const annotations_xml =
    "<ofd:Annotations" OFD_NS "><ofd:Page PageID=\"2\"><ofd:FileLoc>Page_1/Annotation.xml</ofd:FileLoc></ofd:Page>"
    "</ofd:Annotations>";

static const char *const annotation_xml =
    "<ofd:PageAnnot" OFD_NS "><ofd:Annot Type=\"Watermark\"><ofd:Appearance Boundary=\"0 0 210 297\">"
    "<ofd:TextObject Boundary=\"0 0 210 297\" Size=\"8\" CTM=\"0.7071 0.7071 -0.7071 0.7071 0 0\">"
    "<ofd:TextCode X=\"10\" Y=\"10\">内部资料</ofd:TextCode></ofd:TextObject>"
    "<ofd:TextObject Boundary=\"0 0 210 297\" Size=\"8\" CTM=\"0.7071 0.7071 -0.7071 0.7071 0 100\">"
    "<ofd:TextCode X=\"10\" Y=\"10\">内部资料</ofd:TextCode></ofd:TextObject>"
    "</ofd:Appearance></ofd:Annot></ofd:PageAnnot>";

static void test_ofd_synthetic(void **state)
{
    (void)state;
    part_t parts[] = {{"OFD.xml", ofd_xml},
                      {"Doc_1/Document.xml", document_xml},
                      {"Doc_1/Tpls/Tpl_0/Content.xml", template_xml},
                      {"Doc_1/Pages/Page_0/Content.xml", page0_xml},
                      {"Doc_1/Pages/Page_1/Content.xml", page1_xml},
                      {"Doc_1/Annots/Annotations.xml", annotations_xml},
                      {"Doc_1/Annots/Page_1/Annotation.xml", annotation_xml},
                      {"Doc_1/Signs/Sign_0/SignedValue.dat", "\x30\x82 not xml"},
                      {NULL, NULL}};
    size_t len;
    unsigned char *zip = make_zip(parts, &len);
    gk_fields_t f;
    gk_fields_init(&f);
    assert_int_equal(run(zip, len, &f), GK_OK);
    assert_string_equal(gk_buf_str(&f.body), "某某县人民政府文件\n"
                                             "县政府办公室：\n"
                                             "现将有关事项\n"
                                             "通知如下。\n"
                                             "某某县人民政府文件\n"
                                             "一二\n"
                                             "县政府\n"
                                             "三月日\n"
                                             "内部资料\n");
    assert_int_equal(f.pages, 2);
    assert_string_equal(f.title, "关于开展检查的通知");
    assert_string_equal(f.author, "某某县人民政府办公室");
    assert_string_equal(f.created, "2023-03-16");
    assert_string_equal(f.modified, "2023-03-17");

    gk_extract_limits_t lim;
    gk_extract_limits_default(&lim);
    lim.max_pages = 1;
    assert_int_equal(run_lim(zip, len, &lim, &f), GK_ERR_TOO_LARGE);
    gk_fields_free(&f);
    free(zip);
}

/* Wide gaps on a line read as a space; a missing page is skipped. */
static void test_ofd_gaps(void **state)
{
    (void)state;
    part_t parts[] = {
        {"OFD.xml", "<OFD><DocBody><DocRoot>Doc_0/Document.xml</DocRoot></DocBody></OFD>"},
        {"Doc_0/Document.xml", "<Document><Pages><Page ID=\"1\" BaseLoc=\"Pages/Page_0/Content.xml\"/>"
                               "<Page ID=\"2\" BaseLoc=\"Pages/Missing/Content.xml\"/></Pages></Document>"},
        {"Doc_0/Pages/Page_0/Content.xml",
         "<Page><Content><Layer>"
         "<TextObject Boundary=\"10 10 100 10\" Size=\"4\"><TextCode X=\"0\" Y=\"4\" DeltaX=\"4 4\">姓名：</TextCode>"
         "</TextObject><TextObject Boundary=\"60 10 100 10\" Size=\"4\"><TextCode X=\"0\" Y=\"4\">张三</TextCode>"
         "</TextObject><TextObject Boundary=\"10 20 100 10\" Size=\"4\"><TextCode X=\"0\" Y=\"4\">Hello\n"
         "        world</TextCode></TextObject></Layer></Content></Page>"},
        {NULL, NULL}};
    size_t len;
    unsigned char *zip = make_zip(parts, &len);
    gk_fields_t f;
    gk_fields_init(&f);
    assert_int_equal(run(zip, len, &f), GK_OK);
    assert_string_equal(gk_buf_str(&f.body), "姓名： 张三\nHello world\n");
    assert_int_equal(f.pages, 2);
    gk_fields_free(&f);
    free(zip);
}

static void test_ofd_bad(void **state)
{
    (void)state;
    gk_fields_t f;
    gk_fields_init(&f);
    size_t len;
    part_t none[] = {{"Doc_0/Document.xml", "<Document/>"}, {NULL, NULL}};
    unsigned char *zip = make_zip(none, &len);
    assert_int_equal(run(zip, len, &f), GK_ERR_BAD_FILE);
    assert_non_null(strstr(f.error, "OFD.xml"));
    free(zip);
    part_t nopages[] = {{"OFD.xml", "<OFD><DocBody><DocRoot>Doc_0/Document.xml</DocRoot></DocBody></OFD>"},
                        {"Doc_0/Document.xml", "<Document><Pages/></Document>"},
                        {NULL, NULL}};
    zip = make_zip(nopages, &len);
    assert_int_equal(run(zip, len, &f), GK_ERR_BAD_FILE);
    free(zip);
    part_t noroot[] = {{"OFD.xml", "<OFD><DocBody><DocRoot>../../etc/passwd</DocRoot></DocBody></OFD>"},
                       {NULL, NULL}};
    zip = make_zip(noroot, &len);
    assert_int_equal(run(zip, len, &f), GK_ERR_BAD_FILE);
    free(zip);
    part_t broken[] = {{"OFD.xml", "<OFD><DocBody>"}, {NULL, NULL}};
    zip = make_zip(broken, &len);
    assert_int_equal(run(zip, len, &f), GK_ERR_BAD_FILE);
    free(zip);
    const unsigned char junk[] = "PK\3\4junk";
    assert_int_equal(run(junk, sizeof junk - 1, &f), GK_ERR_BAD_FILE);
    gk_fields_free(&f);
}

/* ------------------------------------------------------------------ */
/* The real OFD files                                                   */
/* ------------------------------------------------------------------ */

static void test_ofd_real(void **state)
{
    (void)state;
    const char *dir = corpus_or_skip("real OFD files");
    static const struct {
        const char *file, *phrase, *absent;
        int pages;
    } cases[] = {
        {"ofdrw_n_gov_notice.ofd", "路桥区卫生局文件\n路卫发〔2011〕76号\n关于同意张阿三同志辞职的批复", NULL, 2},
        {"ofdrw_sesv4_signed.ofd", "你好呀，OFD Reader&Writer！", NULL, 1},
        {"ofdrw_chinese_dir_names.ofd", "你好呀，OFD Reader&Writer！", NULL, 1},
        {"ofdrw_helloworld.ofd", "你好呀，OFD Reader&Writer！", NULL, 1},
        {"zc310_helloworld.ofd", "你好呀，OFD Reader&Writer！", NULL, 2},
        {"ofdrw_multipage_poems.ofd", "十年生死两茫茫，不思量，自难忘。", NULL, 11},
        {"ofdrw_zsbk_construction_form.ofd", "建筑工程施工许可证附件", "建建筑筑", 2},
        {"ofdrw_invoice_sample.ofd", "重庆增值税电子普通发票", NULL, 1},
        {"ofdrw_gbt33190_excerpt.ofd", "字型变换", NULL, 4},
        {"ofdrw_annotations_manual.ofd", "可信安全浏览器\nWeb应用开发指南", NULL, 3},
        {"ofdrw_horizontal_text_suwell.ofd", "一二三四", NULL, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/real/%s", dir, cases[i].file);
        size_t len;
        unsigned char *data = slurp(path, &len);
        if (!data) {
            print_message("%s absent\n", path);
            skip();
        }
        gk_fields_t f;
        gk_fields_init(&f);
        gk_status_t st = run(data, len, &f);
        if (st != GK_OK)
            print_message("%s: %s\n", cases[i].file, f.error);
        assert_int_equal(st, GK_OK);
        assert_true(f.body.len > 0);
        assert_true(gk_utf8_valid((const unsigned char *)gk_buf_str(&f.body), f.body.len));
        if (!strstr(gk_buf_str(&f.body), cases[i].phrase))
            print_message("%s: no \"%s\" in:\n%s\n", cases[i].file, cases[i].phrase, gk_buf_str(&f.body));
        assert_non_null(strstr(gk_buf_str(&f.body), cases[i].phrase));
        if (cases[i].absent)
            assert_null(strstr(gk_buf_str(&f.body), cases[i].absent));
        assert_int_equal(f.pages, cases[i].pages);
        gk_fields_free(&f);
        free(data);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ofd_synthetic),
        cmocka_unit_test(test_ofd_gaps),
        cmocka_unit_test(test_ofd_bad),
        cmocka_unit_test(test_ofd_real),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
