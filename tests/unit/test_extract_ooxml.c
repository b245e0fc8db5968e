/* test_extract_ooxml.c — the DOCX, XLSX and PPTX extractors: small
 * packages written here with libzip, the hostile files, real-world files
 * and text fidelity on the shared corpus (skipped when it is absent). */
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
#include "testzip.h"

#include "extract.h"
#include "utf8.h"

/* ------------------------------------------------------------------ */
/* Running the extractors                                              */
/* ------------------------------------------------------------------ */

static gk_status_t run_lim(const gk_extractor_t *ex, const void *data, size_t len, const gk_extract_limits_t *lim,
                           gk_fields_t *f)
{
    gk_input_t in = {"test", data, len, ex->mime_types[0], NULL};
    gk_fields_free(f);
    gk_status_t st = gk_extract(ex, &in, lim, f);
    if (st == GK_OK)
        assert_true(gk_utf8_valid((const unsigned char *)gk_buf_str(&f->body), f->body.len));
    return st;
}

static gk_status_t run(const gk_extractor_t *ex, const void *data, size_t len, gk_fields_t *f)
{
    gk_extract_limits_t lim;
    gk_extract_limits_default(&lim);
    return run_lim(ex, data, len, &lim, f);
}

static int contains(const gk_fields_t *f, const char *s) { return strstr(gk_buf_str(&f->body), s) != NULL; }

/* ------------------------------------------------------------------ */
/* Writing packages                                                    */
/* ------------------------------------------------------------------ */

#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define W_NS "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
#define R_NS "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define REL_NS "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\""
#define REL_TYPE "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

static const char core_xml[] =
    XML_DECL "<cp:coreProperties "
             "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
             "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\">"
             "<dc:title> 关于印发办法的通知 </dc:title><dc:creator>办公厅</dc:creator>"
             "<dcterms:created>2021-05-12T08:00:00Z</dcterms:created>"
             "<dcterms:modified>2021-06-01T09:30:00Z</dcterms:modified></cp:coreProperties>";

/* The main part is deliberately not word/document.xml: it is found
 * through the package relationship, as in files from WPS. */
static unsigned char *make_docx(size_t *len)
{
    static const part_t parts[] = {
        {"[Content_Types].xml",
         XML_DECL "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                  "<Override PartName=\"/word/main.xml\" ContentType=\"application/"
                  "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>"},
        {"_rels/.rels",
         XML_DECL "<Relationships " REL_NS "><Relationship Id=\"rId1\" Type=\"" REL_TYPE
                  "officeDocument\" Target=\"word/main.xml\"/><Relationship Id=\"rId2\" "
                  "Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" "
                  "Target=\"docProps/core.xml\"/></Relationships>"},
        {"word/_rels/main.xml.rels",
         XML_DECL "<Relationships " REL_NS ">"
                  "<Relationship Id=\"rId1\" Type=\"" REL_TYPE "header\" Target=\"header1.xml\"/>"
                  "<Relationship Id=\"rId2\" Type=\"" REL_TYPE "header\" Target=\"/word/header2.xml\"/>"
                  "<Relationship Id=\"rId3\" Type=\"" REL_TYPE "footnotes\" Target=\"footnotes.xml\"/>"
                  "<Relationship Id=\"rId4\" Type=\"" REL_TYPE "hyperlink\" Target=\"http://www.gov.cn/\" "
                  "TargetMode=\"External\"/></Relationships>"},
        {"word/main.xml",
         XML_DECL "<w:document " W_NS "><w:body>"
                  "<w:p><w:r><w:t>标题</w:t></w:r></w:p>"
                  "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>"
                  "<w:r><w:t>甲</w:t></w:r><w:r><w:tab/><w:t>乙</w:t></w:r>"
                  "<w:del w:id=\"1\"><w:r><w:delText>删除的字</w:delText></w:r></w:del>"
                  "<w:ins w:id=\"2\"><w:r><w:t>插入</w:t></w:r></w:ins>"
                  "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>"
                  "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>3</w:t></w:r>"
                  "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
                  "<w:r><w:br/><w:t xml:space=\"preserve\">丙 丁</w:t></w:r></w:p>"
                  "<w:p/>"
                  "<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/></w:tblGrid>"
                  "<w:tr><w:tc><w:p><w:r><w:t>A1</w:t></w:r></w:p></w:tc>"
                  "<w:tc><w:p><w:r><w:t>B1</w:t></w:r></w:p><w:p><w:r><w:t>续</w:t></w:r></w:p></w:tc></w:tr>"
                  "<w:tr><w:tc><w:p><w:r><w:t>A2</w:t></w:r></w:p></w:tc>"
                  "<w:tc><w:p><w:r><w:t>B2</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
                  "<w:p><w:r><w:t>末段</w:t></w:r></w:p>"
                  "<w:sectPr><w:headerReference r:id=\"rId1\" " R_NS "/></w:sectPr></w:body></w:document>"},
        {"word/header1.xml", XML_DECL "<w:hdr " W_NS "><w:p><w:r><w:t>页眉</w:t></w:r></w:p></w:hdr>"},
        {"word/header2.xml", XML_DECL "<w:hdr " W_NS "><w:p><w:r><w:t>页眉</w:t></w:r></w:p></w:hdr>"},
        {"word/footnotes.xml",
         XML_DECL "<w:footnotes " W_NS "><w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/>"
                  "</w:r></w:p></w:footnote><w:footnote w:id=\"1\"><w:p><w:r><w:t>脚注</w:t></w:r></w:p>"
                  "</w:footnote></w:footnotes>"},
        {"docProps/core.xml", core_xml},
        {NULL, NULL}};
    return make_zip(parts, len);
}

static void test_docx_synthetic(void **state)
{
    (void)state;
    size_t len;
    unsigned char *data = make_docx(&len);
    gk_fields_t f;
    gk_fields_init(&f);
    assert_int_equal(run(&gk_extractor_docx, data, len, &f), GK_OK);
    /* Reading order; the deletion and the field code are gone; the second
     * header repeats the first and is written once. */
    assert_string_equal(gk_buf_str(&f.body), "标题\n甲\t乙插入3\n丙 丁\nA1\tB1 续\nA2\tB2\n末段\n脚注\n页眉");
    assert_string_equal(f.title, "关于印发办法的通知");
    assert_string_equal(f.author, "办公厅");
    assert_string_equal(f.created, "2021-05-12T08:00:00Z");
    assert_string_equal(f.modified, "2021-06-01T09:30:00Z");
    gk_fields_free(&f);
    free(data);
}

/* No relationships at all: the main part from [Content_Types].xml, the
 * headers and footers by the names Word gives them. */
static void test_docx_without_relationships(void **state)
{
    (void)state;
    static const part_t parts[] = {
        {"[Content_Types].xml",
         XML_DECL "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                  "<Override PartName=\"/word/styles.xml\" ContentType=\"application/"
                  "vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
                  "<Override PartName=\"/word/body%20text.xml\" ContentType=\"application/"
                  "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>"},
        {"word/styles.xml", XML_DECL "<w:styles " W_NS "/>"},
        {"word/body text.xml",
         XML_DECL "<w:document " W_NS "><w:body><w:p><w:r><w:t>正文</w:t></w:r></w:p></w:body></w:document>"},
        {"word/footer1.xml", XML_DECL "<w:ftr " W_NS "><w:p><w:r><w:t>页脚</w:t></w:r></w:p></w:ftr>"},
        {"word/header1.xml", XML_DECL "<w:hdr " W_NS "><w:p><w:r><w:t>页眉</w:t></w:r></w:p></w:hdr>"},
        {"word/headerless.xml", XML_DECL "<w:hdr " W_NS "><w:p><w:r><w:t>不是页眉</w:t></w:r></w:p></w:hdr>"},
        {NULL, NULL}};
    size_t len;
    unsigned char *data = make_zip(parts, &len);
    gk_fields_t f;
    gk_fields_init(&f);
    assert_int_equal(run(&gk_extractor_docx, data, len, &f), GK_OK);
    assert_string_equal(gk_buf_str(&f.body), "正文\n页眉\n页脚");
    gk_fields_free(&f);
    free(data);
}

static void test_docx_not_a_package(void **state)
{
    (void)state;
    static const part_t parts[] = {{"readme.txt", "not a document"}, {NULL, NULL}};
    size_t len;
    unsigned char *data = make_zip(parts, &len);
    gk_fields_t f;
    gk_fields_init(&f);
    assert_int_equal(run(&gk_extractor_docx, data, len, &f), GK_ERR_BAD_FILE);
    assert_non_null(strstr(f.error, "no word/document.xml"));
    assert_int_equal(run(&gk_extractor_xlsx, data, len, &f), GK_ERR_BAD_FILE);
    assert_int_equal(run(&gk_extractor_pptx, data, len, &f), GK_ERR_BAD_FILE);
    /* Not a zip at all. */
    assert_int_equal(run(&gk_extractor_docx, "hello", 5, &f), GK_ERR_BAD_FILE);
    gk_fields_free(&f);
    free(data);
}

static void test_docx_text_limit(void **state)
{
    (void)state;
    size_t len;
    unsigned char *data = make_docx(&len);
    gk_fields_t f;
    gk_fields_init(&f);
    gk_extract_limits_t lim;
    gk_extract_limits_default(&lim);
    lim.max_text_bytes = 10;
    assert_int_equal(run_lim(&gk_extractor_docx, data, len, &lim, &f), GK_ERR_TOO_LARGE);
    gk_fields_free(&f);
    free(data);
}

/* ------------------------------------------------------------------ */
/* XLSX                                                                */
/* ------------------------------------------------------------------ */

#define S_NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""

static unsigned char *make_xlsx(int date1904, size_t *len)
{
    const char *workbook =
        date1904 ? XML_DECL "<workbook " S_NS " " R_NS "><workbookPr date1904=\"1\"/><sheets>"
                            "<sheet name=\"数据\" sheetId=\"2\" r:id=\"rId2\"/>"
                            "<sheet name=\"说明\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
                 : XML_DECL "<workbook " S_NS " " R_NS "><workbookPr/><sheets>"
                            "<sheet name=\"数据\" sheetId=\"2\" r:id=\"rId2\"/>"
                            "<sheet name=\"说明\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
    const part_t parts[] = {
        {"[Content_Types].xml",
         XML_DECL "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"},
        {"_rels/.rels",
         XML_DECL "<Relationships " REL_NS "><Relationship Id=\"rId1\" Type=\"" REL_TYPE
                  "officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"},
        {"xl/workbook.xml", workbook},
        {"xl/_rels/workbook.xml.rels",
         XML_DECL "<Relationships " REL_NS ">"
                  "<Relationship Id=\"rId1\" Type=\"" REL_TYPE "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
                  "<Relationship Id=\"rId2\" Type=\"" REL_TYPE "worksheet\" Target=\"worksheets/sheet2.xml\"/>"
                  "<Relationship Id=\"rId3\" Type=\"" REL_TYPE "sharedStrings\" Target=\"sharedStrings.xml\"/>"
                  "<Relationship Id=\"rId4\" Type=\"" REL_TYPE "styles\" Target=\"styles.xml\"/></Relationships>"},
        {"xl/sharedStrings.xml",
         XML_DECL "<sst " S_NS "><si><t>标题</t></si>"
                  "<si><r><t>富</t></r><r><rPr><b/></rPr><t>文本</t></r><rPh sb=\"0\" eb=\"1\"><t>ふ</t></rPh></si>"
                  "<si><t>说明文字</t></si></sst>"},
        {"xl/styles.xml",
         XML_DECL "<styleSheet " S_NS "><numFmts><numFmt numFmtId=\"164\" formatCode=\"yyyy\\-mm\\-dd\"/>"
                  "<numFmt numFmtId=\"165\" formatCode=\"&quot;第&quot;0&quot;号&quot;\"/></numFmts>"
                  "<cellStyleXfs><xf numFmtId=\"14\"/></cellStyleXfs>"
                  "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/><xf numFmtId=\"22\"/>"
                  "<xf numFmtId=\"20\"/><xf numFmtId=\"31\"/><xf numFmtId=\"165\"/></cellXfs></styleSheet>"},
        {"xl/worksheets/sheet1.xml",
         XML_DECL "<worksheet " S_NS "><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>2</v></c></row>"
                  "</sheetData></worksheet>"},
        {"xl/worksheets/sheet2.xml",
         XML_DECL "<worksheet " S_NS "><sheetData>"
                  "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" t=\"inlineStr\"><is><t>内联</t></is></c>"
                  "<c r=\"D1\" s=\"1\"/></row>"
                  "<row r=\"2\"><c r=\"A2\" s=\"1\"><v>44328</v></c><c r=\"B2\" s=\"2\"><v>44328.5</v></c>"
                  "<c r=\"C2\" s=\"3\"><v>44328.5</v></c><c r=\"D2\" t=\"b\"><v>1</v></c>"
                  "<c r=\"E2\" t=\"str\"><f>A1&amp;\"\"</f><v>公式</v></c><c r=\"F2\"><v>0.30000000000000004</v></c>"
                  "<c r=\"G2\" s=\"4\"><v>0.75</v></c><c r=\"H2\" s=\"5\"><v>44328</v></c>"
                  "<c r=\"I2\" s=\"6\"><v>12</v></c></row>"
                  "<row r=\"3\"><c r=\"B3\" t=\"s\"><v>1</v></c></row>"
                  "</sheetData></worksheet>"},
        {NULL, NULL}};
    return make_zip(parts, len);
}

static void test_xlsx_synthetic(void **state)
{
    (void)state;
    size_t len;
    unsigned char *data = make_xlsx(0, &len);
    gk_fields_t f;
    gk_fields_init(&f);
    assert_int_equal(run(&gk_extractor_xlsx, data, len, &f), GK_OK);
    /* Workbook order (sheet2 first); the empty B1 keeps its column; dates
     * by the cell's format; phonetic runs dropped. */
    assert_string_equal(gk_buf_str(&f.body), "数据\n"
                                             "标题\t\t内联\n"
                                             "2021-05-12\t2021-05-12\t2021-05-12 12:00:00\tTRUE\t公式\t0.3\t"
                                             "18:00:00\t2021-05-12\t12\n"
                                             "\t富文本\n"
                                             "说明\n"
                                             "说明文字");
    gk_fields_free(&f);
    free(data);

    data = make_xlsx(1, &len);
    assert_int_equal(run(&gk_extractor_xlsx, data, len, &f), GK_OK);
    assert_true(contains(&f, "\n2025-05-13\t"));
    gk_extract_limits_t lim;
    gk_extract_limits_default(&lim);
    lim.max_pages = 1;
    assert_int_equal(run_lim(&gk_extractor_xlsx, data, len, &lim, &f), GK_ERR_TOO_LARGE);
    /* A workbook is no document. */
    assert_int_equal(run(&gk_extractor_docx, data, len, &f), GK_ERR_BAD_FILE);
    gk_fields_free(&f);
    free(data);
}

/* ------------------------------------------------------------------ */
/* PPTX                                                                */
/* ------------------------------------------------------------------ */

#define P_NS                                                                                                   \
    "xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\" "                                   \
    "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\""

#define SHAPE(ph, text)                                                                                       \
    "<p:sp><p:nvSpPr><p:cNvPr id=\"1\" name=\"s\"/><p:cNvSpPr/><p:nvPr>" ph "</p:nvPr></p:nvSpPr>"            \
    "<p:txBody><a:bodyPr/>" text "</p:txBody></p:sp>"

static unsigned char *make_pptx(size_t *len)
{
    static const part_t parts[] = {
        {"[Content_Types].xml",
         XML_DECL "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"},
        {"_rels/.rels",
         XML_DECL "<Relationships " REL_NS "><Relationship Id=\"rId1\" Type=\"" REL_TYPE
                  "officeDocument\" Target=\"ppt/presentation.xml\"/></Relationships>"},
        {"ppt/presentation.xml",
         XML_DECL "<p:presentation " P_NS " " R_NS "><p:sldIdLst><p:sldId id=\"256\" r:id=\"rId3\"/>"
                  "<p:sldId id=\"257\" r:id=\"rId2\"/></p:sldIdLst></p:presentation>"},
        {"ppt/_rels/presentation.xml.rels",
         XML_DECL "<Relationships " REL_NS ">"
                  "<Relationship Id=\"rId2\" Type=\"" REL_TYPE "slide\" Target=\"slides/slide1.xml\"/>"
                  "<Relationship Id=\"rId3\" Type=\"" REL_TYPE "slide\" Target=\"slides/slide2.xml\"/>"
                  "</Relationships>"},
        {"ppt/slides/slide2.xml",
         XML_DECL "<p:sld " P_NS "><p:cSld><p:spTree>" SHAPE(
             "<p:ph type=\"title\"/>", "<a:p><a:r><a:t>第一页</a:t></a:r></a:p><a:p><a:r><a:t>第二</a:t></a:r>"
                                       "<a:br/><a:r><a:t>段</a:t></a:r></a:p>") SHAPE("<p:ph type=\"sldNum\"/>",
                                                                                      "<a:p><a:fld type=\"slidenum\">"
                                                                                      "<a:t>7</a:t></a:fld></a:p>")
             "</p:spTree></p:cSld></p:sld>"},
        {"ppt/slides/slide1.xml",
         XML_DECL "<p:sld " P_NS "><p:cSld><p:spTree>" SHAPE("", "<a:p><a:r><a:t>第二页</a:t></a:r></a:p>")
             "<p:graphicFrame><a:graphic><a:graphicData><a:tbl><a:tr><a:tc><a:txBody><a:p><a:r><a:t>格一</a:t>"
             "</a:r></a:p></a:txBody></a:tc><a:tc><a:txBody><a:p><a:r><a:t>格二</a:t></a:r></a:p></a:txBody>"
             "</a:tc></a:tr></a:tbl></a:graphicData></a:graphic></p:graphicFrame>"
             "</p:spTree></p:cSld></p:sld>"},
        {"ppt/slides/_rels/slide1.xml.rels",
         XML_DECL "<Relationships " REL_NS "><Relationship Id=\"rId1\" Type=\"" REL_TYPE
                  "notesSlide\" Target=\"../notesSlides/notesSlide1.xml\"/></Relationships>"},
        {"ppt/notesSlides/notesSlide1.xml",
         XML_DECL "<p:notes " P_NS "><p:cSld><p:spTree>" SHAPE("<p:ph type=\"sldImg\"/>", "") SHAPE(
             "<p:ph type=\"body\"/>", "<a:p><a:r><a:t>备注</a:t></a:r></a:p>") SHAPE("<p:ph type=\"sldNum\"/>",
                                                                                    "<a:p><a:r><a:t>2</a:t></a:r>"
                                                                                    "</a:p>")
             "</p:spTree></p:cSld></p:notes>"},
        {"docProps/core.xml", core_xml},
        {NULL, NULL}};
    return make_zip(parts, len);
}

static void test_pptx_synthetic(void **state)
{
    (void)state;
    size_t len;
    unsigned char *data = make_pptx(&len);
    gk_fields_t f;
    gk_fields_init(&f);
    assert_int_equal(run(&gk_extractor_pptx, data, len, &f), GK_OK);
    /* The slide list's order, not the part names'; notes after their
     * slide; slide numbers left out. */
    assert_string_equal(gk_buf_str(&f.body), "第一页\n第二\n段\n第二页\n格一\t格二\n备注");
    assert_int_equal(f.pages, 2);
    assert_string_equal(f.title, "关于印发办法的通知");
    gk_fields_free(&f);
    free(data);
}

/* ------------------------------------------------------------------ */
/* The shared corpus                                                   */
/* ------------------------------------------------------------------ */

static gk_status_t run_file(const gk_extractor_t *ex, const char *dir, const char *name, gk_fields_t *f)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    size_t len;
    unsigned char *data = slurp(path, &len);
    assert_non_null(data);
    gk_status_t st = run(ex, data, len, f);
    free(data);
    return st;
}

static void test_hostile(void **state)
{
    (void)state;
    const char *dir = corpus_or_skip("DOCX hostile files");
    gk_fields_t f;
    gk_fields_init(&f);
    time_t t0 = time(NULL);
    assert_int_equal(run_file(&gk_extractor_docx, dir, "hostile/zip_bomb_1GiB.docx", &f), GK_ERR_TOO_LARGE);
    assert_true(time(NULL) - t0 < 20);

    gk_status_t st = run_file(&gk_extractor_docx, dir, "hostile/billion_laughs.docx", &f);
    assert_true(st == GK_ERR_BAD_FILE || (st == GK_OK && f.body.len < 100000));
    if (st == GK_ERR_BAD_FILE)
        assert_non_null(strstr(f.error, "document type"));

    st = run_file(&gk_extractor_docx, dir, "hostile/broken_central_directory.docx", &f);
    assert_true(st == GK_ERR_BAD_FILE || st == GK_OK);

    assert_int_equal(run_file(&gk_extractor_docx, dir, "hostile/zip_slip_paths.docx", &f), GK_OK);
    assert_true(contains(&f, "中华人民共和国国境卫生检疫法"));
    assert_int_equal(run_file(&gk_extractor_docx, dir, "hostile/docx_named_as.pdf", &f), GK_OK);
    assert_true(contains(&f, "中华人民共和国国境卫生检疫法"));
    gk_fields_free(&f);
}

typedef struct {
    fidelity_t fd;
    size_t bytes;
} docx_fidelity_t;

static void docx_fidelity_row(const corpus_row_t *row, void *ctx)
{
    docx_fidelity_t *c = ctx;
    gk_fields_t f;
    gk_fields_init(&f);
    c->bytes += row->len;
    assert_int_equal(run(&gk_extractor_docx, row->data, row->len, &f), GK_OK);
    fidelity_add(&c->fd, row, gk_buf_str(&f.body), f.body.len);
    gk_fields_free(&f);
}

/* Every GK_CORPUS_STEP-th DOCX of formats.tsv against its source. */
static void test_docx_fidelity(void **state)
{
    (void)state;
    corpus_or_skip("DOCX fidelity");
    docx_fidelity_t c = {{0}, 0};
    clock_t c0 = clock();
    corpus_rows("docx", corpus_step(), docx_fidelity_row, &c);
    double secs = (double)(clock() - c0) / CLOCKS_PER_SEC;
    fidelity_mean(&c.fd);
    print_message("docx fidelity on %d files: recall %.4f precision %.4f (%.1f files/s, %.1f MB/s incl. scoring)\n",
                  c.fd.files, c.fd.recall, c.fd.precision, secs > 0 ? c.fd.files / secs : 0,
                  secs > 0 ? c.bytes / secs / 1e6 : 0);
    fidelity_assert(&c.fd);
}

/* The CJK ideographs (U+3400..U+9FFF) in B. */
static int count_cjk(const gk_buf_t *b)
{
    int n = 0;
    for (size_t i = 0; i < b->len;) {
        uint32_t c = gk_utf8_next((const unsigned char *)gk_buf_str(b), b->len, &i);
        n += c >= 0x3400 && c <= 0x9FFF;
    }
    return n;
}

static void test_docx_real_wps(void **state)
{
    (void)state;
    const char *dir = corpus_or_skip("real WPS DOCX files");
    gk_fields_t f;
    gk_fields_init(&f);
    assert_int_equal(run_file(&gk_extractor_docx, dir, "real/poitl_wps_payment_notice.docx", &f), GK_OK);
    assert_true(count_cjk(&f.body) > 50);
    assert_true(contains(&f, "付款通知书"));
    assert_true(contains(&f, "本文档由Poi-tL生成"));   /* the footer */
    assert_string_equal(f.author, "luo");
    assert_string_equal(f.created, "2018-06-21T14:38:00Z");
    assert_int_equal(run_file(&gk_extractor_docx, dir, "real/poitl_wps_multiple_column.docx", &f), GK_OK);
    assert_true(count_cjk(&f.body) > 50);
    assert_true(contains(&f, "渲染3列"));
    gk_fields_free(&f);
}

static void test_xlsx_catalogue(void **state)
{
    (void)state;
    const char *dir = corpus_or_skip("XLSX catalogues");
    gk_fields_t f;
    gk_fields_init(&f);
    assert_int_equal(run_file(&gk_extractor_xlsx, dir, "formats/catalogue_50.xlsx", &f), GK_OK);
    assert_true(contains(&f, "catalogue_50\n序号\t索引号\t标题\t类别\t地区\t发布日期\t字节数\n"));
    /* F2 is the date cell 44099 in format yyyy-mm-dd; docs.tsv dates
     * L000015 2020-09-25. */
    assert_true(contains(&f, "\n1\tL000015\t上海市人民代表大会常务委员会关于促进和保障长三角生态绿色一体化发展"
                             "示范区建设若干问题的决定\t地方性法规\t上海\t2020-09-25\t3360\n"));
    static const char *const files[] = {"formats/catalogue_50.xlsx", "formats/catalogue_200.xlsx",
                                        "formats/catalogue_beijing.xlsx"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        assert_int_equal(run_file(&gk_extractor_xlsx, dir, files[i], &f), GK_OK);
        int lines = 0, dated = 0;
        for (const char *p = gk_buf_str(&f.body); (p = strchr(p, '\n')) != NULL; p++) {
            lines++;
            /* "\t2021-05-12\t" in the 发布日期 column */
            const char *tab = p;
            for (int col = 0; col < 5 && tab; col++)
                tab = strchr(tab + 1, '\t');
            if (tab && strlen(tab) > 12 && tab[1] >= '1' && tab[1] <= '2' && tab[5] == '-' && tab[8] == '-' &&
                tab[11] == '\t')
                dated++;
        }
        assert_true(lines >= 50);
        assert_true(dated >= lines / 2);
    }
    gk_fields_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_docx_synthetic),   cmocka_unit_test(test_docx_without_relationships),   cmocka_unit_test(test_docx_not_a_package),
        cmocka_unit_test(test_docx_text_limit),  cmocka_unit_test(test_xlsx_synthetic),
        cmocka_unit_test(test_pptx_synthetic),   cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_docx_fidelity),    cmocka_unit_test(test_docx_real_wps),
        cmocka_unit_test(test_xlsx_catalogue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
