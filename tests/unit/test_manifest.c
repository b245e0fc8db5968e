/* test_manifest.c — the CSV reader and the 归档文件目录 (filing list):
 * columns and aliases, value rules, error messages with line numbers,
 * encodings, matching files to rows, size and garbage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "csv.h"
#include "manifest.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                              */
/* ------------------------------------------------------------------ */

static gk_manifest_t *parse_ok_len(const char *text, size_t len)
{
    gk_manifest_t *m = NULL;
    char *err = NULL;
    gk_status_t rc = gk_manifest_parse(text, len, "m.csv", &m, &err);
    if (rc != GK_OK)
        print_message("unexpected errors:\n%s", err ? err : "(none)\n");
    assert_int_equal(rc, GK_OK);
    assert_null(err);
    assert_non_null(m);
    return m;
}

static gk_manifest_t *parse_ok(const char *text) { return parse_ok_len(text, strlen(text)); }

/* The error text of a manifest that must be refused (caller frees). */
static char *parse_bad_len(const char *text, size_t len)
{
    gk_manifest_t *m = (gk_manifest_t *)1;
    char *err = NULL;
    assert_int_equal(gk_manifest_parse(text, len, "m.csv", &m, &err), GK_ERR_INVALID);
    assert_null(m);
    assert_non_null(err);
    return err;
}

static char *parse_bad(const char *text) { return parse_bad_len(text, strlen(text)); }

/* ERR holds the message NEEDLE (a substring). */
static void assert_has(const char *err, const char *needle)
{
    if (!strstr(err, needle))
        print_message("expected '%s' in:\n%s", needle, err);
    assert_non_null(strstr(err, needle));
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* One row with the header "题名,文件名,COLUMN" and the value VALUE. */
static gk_status_t one_value(const char *column, const char *value, gk_manifest_t **m, char **err)
{
    char text[512];
    snprintf(text, sizeof text, "题名,文件名,%s\n标题,a.pdf,%s\n", column, value);
    *err = NULL;
    return gk_manifest_parse(text, strlen(text), "m.csv", m, err);
}

/* ------------------------------------------------------------------ */
/* The CSV reader                                                       */
/* ------------------------------------------------------------------ */

static const gk_csv_record_t *next_ok(gk_csv_t *c)
{
    const gk_csv_record_t *r;
    assert_int_equal(gk_csv_next(c, &r), GK_OK);
    return r;
}

static void test_csv_rfc4180(void **state)
{
    const char *in = "a,\"b,c\",\"say \"\"hi\"\"\"\r\n"
                     "\"two\r\nlines\",x\n"
                     "\n"
                     "last,,\n"
                     "\"\"";
    gk_csv_t c;
    gk_csv_init(&c, in, strlen(in), ',');
    const gk_csv_record_t *r = next_ok(&c);
    assert_non_null(r);
    assert_int_equal(r->line, 1);
    assert_int_equal(r->nfields, 3);
    assert_string_equal(r->field[0], "a");
    assert_string_equal(r->field[1], "b,c");
    assert_string_equal(r->field[2], "say \"hi\"");

    r = next_ok(&c);
    assert_int_equal(r->line, 2);
    assert_int_equal(r->nfields, 2);
    assert_string_equal(r->field[0], "two\nlines");
    assert_string_equal(r->field[1], "x");

    r = next_ok(&c); /* an empty line is one empty field */
    assert_int_equal(r->line, 4);
    assert_int_equal(r->nfields, 1);
    assert_string_equal(r->field[0], "");

    r = next_ok(&c);
    assert_int_equal(r->line, 5);
    assert_int_equal(r->nfields, 3);
    assert_string_equal(r->field[0], "last");
    assert_string_equal(r->field[2], "");

    r = next_ok(&c); /* no final line break */
    assert_int_equal(r->line, 6);
    assert_int_equal(r->nfields, 1);
    assert_string_equal(r->field[0], "");
    assert_null(next_ok(&c));
    assert_null(next_ok(&c));
    gk_csv_free(&c);
}

static void test_csv_lenient(void **state)
{
    /* Quotes inside an unquoted field are text; text after a closing quote
     * is kept; a lone CR ends a record. */
    const char *in = "a\"b,\"q\" tail,c\rnext;x";
    gk_csv_t c;
    gk_csv_init(&c, in, strlen(in), ',');
    const gk_csv_record_t *r = next_ok(&c);
    assert_int_equal(r->nfields, 3);
    assert_string_equal(r->field[0], "a\"b");
    assert_string_equal(r->field[1], "q tail");
    assert_string_equal(r->field[2], "c");
    r = next_ok(&c);
    assert_int_equal(r->line, 2);
    assert_int_equal(r->nfields, 1);
    assert_string_equal(r->field[0], "next;x");
    assert_null(next_ok(&c));
    gk_csv_free(&c);

    gk_csv_init(&c, "a;b;\"c;d\"", 9, ';');
    r = next_ok(&c);
    assert_int_equal(r->nfields, 3);
    assert_string_equal(r->field[2], "c;d");
    gk_csv_free(&c);
}

static void test_csv_unterminated(void **state)
{
    const char *in = "a,b\nc,\"open\nmore\nstill\n";
    gk_csv_t c;
    gk_csv_init(&c, in, strlen(in), ',');
    assert_non_null(next_ok(&c));
    const gk_csv_record_t *r = (const gk_csv_record_t *)1;
    assert_int_equal(gk_csv_next(&c, &r), GK_ERR_INVALID);
    assert_null(r);
    assert_int_equal(c.open_line, 2);
    assert_null(next_ok(&c));
    gk_csv_free(&c);
}

/* ------------------------------------------------------------------ */
/* Columns                                                              */
/* ------------------------------------------------------------------ */

static void test_all_columns(void **state)
{
    gk_manifest_t *m = parse_ok(
        "件号,档号,责任者,文号,题名,日期,页数,密级/公开属性,备注,文件名,其他\n"
        "0001,0194-WS·2016-D30-BGS-0001,某市人民政府办公室,某政办发〔2016〕1号,关于印发某某办法的通知,"
        "20160105,12,主动公开,附件两份,2016/0001.pdf,ignored\n"
        "0002,,,,[会议纪要],,,,,2016/0002.ofd,\n");
    assert_int_equal(gk_manifest_count(m), 2);
    gk_manifest_row_t *r = gk_manifest_row(m, 0);
    assert_int_equal(r->line, 2);
    assert_string_equal(r->number, "0001");
    assert_string_equal(r->archive_code, "0194-WS·2016-D30-BGS-0001");
    assert_string_equal(r->organ, "某市人民政府办公室");
    assert_string_equal(r->docno, "某政办发〔2016〕1号");
    assert_string_equal(r->title, "关于印发某某办法的通知");
    assert_string_equal(r->date, "2016-01-05");
    assert_int_equal(r->pages, 12);
    assert_int_equal(r->visibility, GK_VIS_PUBLIC);
    assert_string_equal(r->note, "附件两份");
    assert_string_equal(r->file, "2016/0001.pdf");
    assert_int_equal(r->used, 0);

    r = gk_manifest_row(m, 1);
    assert_int_equal(r->line, 3);
    assert_string_equal(r->number, "0002");
    assert_null(r->archive_code);
    assert_null(r->organ);
    assert_null(r->docno);
    assert_string_equal(r->title, "[会议纪要]");
    assert_null(r->date);
    assert_int_equal(r->pages, -1);
    assert_int_equal(r->visibility, -1);
    assert_null(r->note);
    assert_null(gk_manifest_row(m, 2));
    gk_manifest_free(m);
}

static void test_aliases_any_order(void **state)
{
    gk_manifest_t *m = parse_ok(
        " 电子文件名 ,\xE3\x80\x80标题,成文日期,发文字号,发文机关,序号,公开方式,备注\n"
        "  x.pdf , 关于某事的通知\xE3\x80\x80,2020年1月2日,某发〔2020〕3号,某局,7,依申请公开,\n");
    gk_manifest_row_t *r = gk_manifest_row(m, 0);
    assert_string_equal(r->file, "x.pdf");
    assert_string_equal(r->title, "关于某事的通知");
    assert_string_equal(r->date, "2020-01-02");
    assert_string_equal(r->docno, "某发〔2020〕3号");
    assert_string_equal(r->organ, "某局");
    assert_string_equal(r->number, "7");
    assert_int_equal(r->visibility, GK_VIS_APPLICATION);
    gk_manifest_free(m);

    static const char *const file_names[] = {"文件名", "文件", "电子文件名"};
    static const char *const title_names[] = {"题名", "标题", "文件题名"};
    static const char *const vis_names[] = {"密级", "公开属性", "公开方式", "密级/公开属性"};
    for (size_t i = 0; i < 3; i++) {
        for (size_t k = 0; k < 4; k++) {
            char text[256];
            snprintf(text, sizeof text, "%s,%s,%s\n不予公开,t,f.pdf\n", vis_names[k], title_names[i], file_names[i]);
            m = parse_ok(text);
            assert_string_equal(gk_manifest_row(m, 0)->title, "t");
            assert_string_equal(gk_manifest_row(m, 0)->file, "f.pdf");
            assert_int_equal(gk_manifest_row(m, 0)->visibility, GK_VIS_INTERNAL);
            gk_manifest_free(m);
        }
    }
}

static void test_required_columns(void **state)
{
    char *err = parse_bad("件号,题名\n1,x\n");
    assert_has(err, "m.csv:1: the header has no 文件名 column (nor 文件, 电子文件名)");
    free(err);
    err = parse_bad("\n\n件号,文件名\n1,x.pdf\n");
    assert_has(err, "m.csv:3: the header has no 题名 column");
    free(err);
    /* Both missing: two messages. */
    err = parse_bad("件号,档号\n");
    assert_int_equal(count_lines(err), 2);
    free(err);
}

static void test_duplicate_column(void **state)
{
    char *err = parse_bad("题名,文件名,标题\nt,a.pdf,u\n");
    assert_has(err, "m.csv:1: columns '题名' and '标题' both give the 题名");
    free(err);
}

static void test_no_header(void **state)
{
    char *err = parse_bad("a,b\n1,2\n3,4\n5,6\n7,8\n9,10\n11,12\n");
    assert_has(err, "m.csv:1: no header row");
    free(err);
}

static void test_title_row_above_header(void **state)
{
    gk_manifest_t *m = parse_ok("2023年度归档文件目录,,,\n"
                                ",,,\n"
                                "件号,题名,文件名,页数\n"
                                "0001,通知,a.pdf,3\n");
    assert_int_equal(gk_manifest_count(m), 1);
    assert_int_equal(gk_manifest_row(m, 0)->line, 4);
    gk_manifest_free(m);
}

static void test_unknown_columns_ignored(void **state)
{
    gk_manifest_t *m = parse_ok("保管期限,题名,年度,文件名,\nD30,通知,2023,a.pdf,\n");
    assert_int_equal(gk_manifest_count(m), 1);
    gk_manifest_free(m);
}

/* ------------------------------------------------------------------ */
/* Values                                                               */
/* ------------------------------------------------------------------ */

static void test_dates(void **state)
{
    static const struct {
        const char *in, *out;
    } good[] = {
        {"20230305", "2023-03-05"},    {"2023-03-05", "2023-03-05"}, {"2023-3-5", "2023-03-05"},
        {"2023/3/5", "2023-03-05"},    {"2023/12/31", "2023-12-31"}, {"2023.3.5", "2023-03-05"},
        {"2023年3月5日", "2023-03-05"}, {"2023年12月01日", "2023-12-01"}, {"2024-02-29", "2024-02-29"},
        {"2000-02-29", "2000-02-29"},  {" 2023-03-05 ", "2023-03-05"},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        gk_manifest_t *m;
        char *err;
        assert_int_equal(one_value("日期", good[i].in, &m, &err), GK_OK);
        assert_string_equal(gk_manifest_row(m, 0)->date, good[i].out);
        gk_manifest_free(m);
    }
    static const char *const bad[] = {
        "2023-13-01", "2023-02-29", "1900-02-29", "20230231", "2023-04-31", "2023-00-10", "2023-01-00",
        "2023/3-5",   "23-3-5",     "2023-3",     "2023年3月5", "2023年3月5日x", "202303051", "March 5",
        "2023-003-05", "0999-01-01", "2023/3/5/",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gk_manifest_t *m;
        char *err;
        assert_int_equal(one_value("日期", bad[i], &m, &err), GK_ERR_INVALID);
        char want[128];
        snprintf(want, sizeof want, "m.csv:2: 日期 '%s' is not a date", bad[i]);
        assert_has(err, want);
        free(err);
    }
    /* The message names the column as the header does. */
    gk_manifest_t *m;
    char *err;
    assert_int_equal(one_value("成文日期", "2023-13-01", &m, &err), GK_ERR_INVALID);
    assert_has(err, "m.csv:2: 成文日期 '2023-13-01' is not a date");
    free(err);
}

static void test_pages(void **state)
{
    static const struct {
        const char *in;
        int pages;
    } good[] = {{"12", 12}, {"0", 0}, {"007", 7}, {"", -1}, {" 3 ", 3}, {"999999999", 999999999}};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        gk_manifest_t *m;
        char *err;
        assert_int_equal(one_value("页数", good[i].in, &m, &err), GK_OK);
        assert_int_equal(gk_manifest_row(m, 0)->pages, good[i].pages);
        gk_manifest_free(m);
    }
    static const char *const bad[] = {"-1", "3页", "1.5", "1e3", "+4", "9999999999", "x", "１２"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gk_manifest_t *m;
        char *err;
        assert_int_equal(one_value("页数", bad[i], &m, &err), GK_ERR_INVALID);
        char want[128];
        snprintf(want, sizeof want, "m.csv:2: 页数 '%s' is not a number of pages", bad[i]);
        assert_has(err, want);
        free(err);
    }
}

static void test_visibility(void **state)
{
    static const struct {
        const char *in;
        int vis;
    } good[] = {
        {"主动公开", GK_VIS_PUBLIC},       {"公开", GK_VIS_PUBLIC},          {"public", GK_VIS_PUBLIC},
        {"Public", GK_VIS_PUBLIC},         {"依申请公开", GK_VIS_APPLICATION}, {"application", GK_VIS_APPLICATION},
        {"不予公开", GK_VIS_INTERNAL},     {"internal", GK_VIS_INTERNAL},    {"秘密", GK_VIS_INTERNAL},
        {"机密", GK_VIS_INTERNAL},         {"绝密", GK_VIS_INTERNAL},        {"秘密★1年", GK_VIS_INTERNAL},
        {"机密★10年", GK_VIS_INTERNAL},    {"绝密★长期", GK_VIS_INTERNAL},   {"秘密 ★ 6个月", GK_VIS_INTERNAL},
        {"秘密*5年", GK_VIS_INTERNAL},     {"机密★", GK_VIS_INTERNAL},       {"", -1},
        {" 主动公开 ", GK_VIS_PUBLIC},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        gk_manifest_t *m;
        char *err;
        assert_int_equal(one_value("公开属性", good[i].in, &m, &err), GK_OK);
        assert_int_equal(gk_manifest_row(m, 0)->visibility, good[i].vis);
        gk_manifest_free(m);
    }
    static const char *const bad[] = {"公开?", "maybe", "秘密文件", "秘密★很久", "内部", "主动 公开"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gk_manifest_t *m;
        char *err;
        assert_int_equal(one_value("密级", bad[i], &m, &err), GK_ERR_INVALID);
        char want[128];
        snprintf(want, sizeof want, "m.csv:2: 密级 '%s' is not 主动公开, 依申请公开, 不予公开 or a 密级", bad[i]);
        assert_has(err, want);
        free(err);
    }
}

static void test_two_visibility_columns(void **state)
{
    gk_manifest_t *m = parse_ok("题名,文件名,密级,公开属性\n"
                                "a,a.pdf,,主动公开\n"
                                "b,b.pdf,秘密★1年,不予公开\n"
                                "c,c.pdf,机密,\n"
                                "d,d.pdf,,\n");
    assert_int_equal(gk_manifest_row(m, 0)->visibility, GK_VIS_PUBLIC);
    assert_int_equal(gk_manifest_row(m, 1)->visibility, GK_VIS_INTERNAL);
    assert_int_equal(gk_manifest_row(m, 2)->visibility, GK_VIS_INTERNAL);
    assert_int_equal(gk_manifest_row(m, 3)->visibility, -1);
    gk_manifest_free(m);

    char *err = parse_bad("题名,文件名,密级,公开属性\na,a.pdf,秘密,主动公开\n");
    assert_has(err, "m.csv:2: 密级 '秘密' and 公开属性 '主动公开' disagree");
    free(err);
}

static void test_empty_title_and_file(void **state)
{
    char *err = parse_bad("题名,文件名\n,a.pdf\nt,\nt,  \n");
    assert_has(err, "m.csv:2: 题名 is empty");
    assert_has(err, "m.csv:3: 文件名 is empty");
    assert_has(err, "m.csv:4: 文件名 is empty");
    free(err);
    err = parse_bad("题名,文件名\nt,./\n");
    assert_has(err, "m.csv:2: 文件名 './' names no file");
    free(err);
}

static void test_duplicate_file(void **state)
{
    char *err = parse_bad("题名,文件名\n"
                          "a,x/a.pdf\n"
                          "b,b.pdf\n"
                          "c,x/a.pdf\n"
                          "d,b.PDF\n"
                          "e,./x//a.pdf\n"
                          "f,y/a.pdf\n");
    assert_has(err, "m.csv:4: 文件名 'x/a.pdf' is listed twice (also on line 2)");
    assert_has(err, "m.csv:5: 文件名 'b.PDF' is listed twice (also on line 3)");
    assert_has(err, "m.csv:6: 文件名 './x//a.pdf' is listed twice");
    assert_int_equal(count_lines(err), 3);
    free(err);
}

static void test_too_many_fields(void **state)
{
    char *err = parse_bad("题名,文件名\n关于a,b的通知,a.pdf\nok,b.pdf,\n");
    assert_has(err, "m.csv:2: 3 fields, but the header names 2 columns");
    assert_has(err, "m.csv:3: 3 fields");
    free(err);
    /* Fewer fields than the header are empty values. */
    gk_manifest_t *m = parse_ok("题名,文件名,日期,备注\nt,a.pdf\n");
    assert_null(gk_manifest_row(m, 0)->date);
    gk_manifest_free(m);
}

static void test_unterminated_quote(void **state)
{
    char *err = parse_bad("题名,文件名\nt,a.pdf\n\"open,b.pdf\nu,c.pdf\n");
    assert_has(err, "m.csv:3: a quoted value opened here is never closed");
    free(err);
}

/* ------------------------------------------------------------------ */
/* File layout and encodings                                            */
/* ------------------------------------------------------------------ */

static void test_quoted_values(void **state)
{
    gk_manifest_t *m = parse_ok("题名,文件名,备注\r\n"
                                "\"关于甲,乙的通知\",\"a,1.pdf\",\"第一行\r\n第二行\"\r\n"
                                "\"他说\"\"好\"\"\",b.pdf,\"\"\r\n"
                                "c,c.pdf,\"x\n\ny\"\n"
                                "d,d.pdf,\n");
    assert_int_equal(gk_manifest_count(m), 4);
    gk_manifest_row_t *r = gk_manifest_row(m, 0);
    assert_string_equal(r->title, "关于甲,乙的通知");
    assert_string_equal(r->file, "a,1.pdf");
    assert_string_equal(r->note, "第一行\n第二行");
    assert_int_equal(r->line, 2);
    r = gk_manifest_row(m, 1);
    assert_string_equal(r->title, "他说\"好\"");
    assert_null(r->note);
    assert_int_equal(r->line, 4);
    r = gk_manifest_row(m, 2);
    assert_int_equal(r->line, 5);
    assert_string_equal(r->note, "x\n\ny");
    /* Line numbers count the line breaks inside quoted values. */
    assert_int_equal(gk_manifest_row(m, 3)->line, 8);
    gk_manifest_free(m);

    char *err = parse_bad("题名,文件名,日期\n\"a\nb\",a.pdf,\"x\ny\"\nc,c.pdf,2023-13-01\n");
    assert_has(err, "m.csv:2: 日期 'x y' is not a date");
    assert_has(err, "m.csv:5: 日期 '2023-13-01' is not a date");
    free(err);
}

static void test_crlf_bom_blank_rows(void **state)
{
    gk_manifest_t *m = parse_ok("\xEF\xBB\xBF题名,文件名\r\n\r\n,\r\n  ,\xE3\x80\x80\r\nt,a.pdf\r\n\r\nu,b.pdf");
    assert_int_equal(gk_manifest_count(m), 2);
    assert_string_equal(gk_manifest_row(m, 0)->title, "t");
    assert_string_equal(gk_manifest_row(m, 0)->file, "a.pdf");
    assert_int_equal(gk_manifest_row(m, 0)->line, 5);
    assert_string_equal(gk_manifest_row(m, 1)->file, "b.pdf");
    assert_int_equal(gk_manifest_row(m, 1)->line, 7);
    gk_manifest_free(m);
}

static void test_no_rows(void **state)
{
    gk_manifest_t *m = parse_ok("件号,题名,文件名\n");
    assert_int_equal(gk_manifest_count(m), 0);
    assert_null(gk_manifest_match(m, "a.pdf"));
    gk_manifest_free(m);
    m = parse_ok_len("", 0);
    assert_int_equal(gk_manifest_count(m), 0);
    gk_manifest_free(m);
    m = parse_ok("\r\n\n,,\n");
    assert_int_equal(gk_manifest_count(m), 0);
    gk_manifest_free(m);
    m = parse_ok("\xEF\xBB\xBF");
    gk_manifest_free(m);
}

static void test_tab_separated(void **state)
{
    gk_manifest_t *m = parse_ok("题名\t文件名\t日期\n关于甲,乙的通知\ta.pdf\t2023.1.2\n");
    assert_string_equal(gk_manifest_row(m, 0)->title, "关于甲,乙的通知");
    assert_string_equal(gk_manifest_row(m, 0)->date, "2023-01-02");
    gk_manifest_free(m);
}

static void test_gb18030(void **state)
{
    /* "题名,文件名,日期,公开属性\n关于印发通知,a.pdf,2023年3月5日,主动公开\n"
     * in GB18030 (iconv -f UTF-8 -t GB18030). */
    static const unsigned char gb[] = {
        0xcc, 0xe2, 0xc3, 0xfb, 0x2c, 0xce, 0xc4, 0xbc, 0xfe, 0xc3, 0xfb, 0x2c, 0xc8, 0xd5, 0xc6, 0xda,
        0x2c, 0xb9, 0xab, 0xbf, 0xaa, 0xca, 0xf4, 0xd0, 0xd4, 0x0a, 0xb9, 0xd8, 0xd3, 0xda, 0xd3, 0xa1,
        0xb7, 0xa2, 0xcd, 0xa8, 0xd6, 0xaa, 0x2c, 0x61, 0x2e, 0x70, 0x64, 0x66, 0x2c, 0x32, 0x30, 0x32,
        0x33, 0xc4, 0xea, 0x33, 0xd4, 0xc2, 0x35, 0xc8, 0xd5, 0x2c, 0xd6, 0xf7, 0xb6, 0xaf, 0xb9, 0xab,
        0xbf, 0xaa, 0x0a};
    gk_manifest_t *m = parse_ok_len((const char *)gb, sizeof gb);
    assert_int_equal(gk_manifest_count(m), 1);
    gk_manifest_row_t *r = gk_manifest_row(m, 0);
    assert_string_equal(r->title, "关于印发通知");
    assert_string_equal(r->file, "a.pdf");
    assert_string_equal(r->date, "2023-03-05");
    assert_int_equal(r->visibility, GK_VIS_PUBLIC);
    gk_manifest_free(m);
}

static void test_invalid_encoding(void **state)
{
    /* UTF-8 with two stray bytes on lines 3 and 5: decodable, but the
     * values would be damaged, so refused with the lines named. */
    gk_buf_t b = GK_BUF_INIT;
    gk_buf_puts(&b, "题名,文件名,备注\n");
    for (int i = 2; i <= 12; i++)
        gk_buf_printf(&b, "关于印发某某办法的通知%s,%d.pdf,某市人民政府办公室关于做好政府信息公开工作的意见\n",
                      i == 3 ? "\xFF" : i == 5 ? "\xC3" : "", i);
    char *err = parse_bad_len(b.data, b.len);
    gk_buf_free(&b);
    assert_has(err, "m.csv:3: bytes that are not valid UTF-8 or GB18030");
    assert_has(err, "m.csv:5: bytes that are not valid UTF-8 or GB18030");
    assert_int_equal(count_lines(err), 2);
    free(err);

    /* Nothing like text at all. */
    static const unsigned char bin[] = {0x00, 0x01, 0x02, 0xFF, 0xFE, 0x00, 0x80, 0x81, 0x00, 0x00, 0x7F, 0x03};
    err = parse_bad_len((const char *)bin, sizeof bin);
    assert_has(err, "m.csv: not UTF-8 or GB18030 text");
    free(err);
}

/* ------------------------------------------------------------------ */
/* Messages                                                             */
/* ------------------------------------------------------------------ */

static void test_errors_limited_and_ordered(void **state)
{
    gk_buf_t b = GK_BUF_INIT;
    gk_buf_puts(&b, "题名,文件名,日期\n");
    for (int i = 0; i < 30; i++)
        gk_buf_printf(&b, "t%d,f%d.pdf,2023-13-%02d\n", i, i, i + 1);
    /* A later duplicate of line 2 is reported on its own line, which is
     * past the first twenty, so it is counted but not shown. */
    gk_buf_puts(&b, "t,f0.pdf,\n");
    char *err = parse_bad_len(b.data, b.len);
    assert_int_equal(count_lines(err), GK_MANIFEST_MAX_ERRORS + 1);
    assert_has(err, "m.csv:2: 日期 '2023-13-01' is not a date\nm.csv:3: 日期 '2023-13-02'");
    assert_has(err, "m.csv:21: 日期 '2023-13-20' is not a date\nm.csv: 11 more errors not shown\n");
    assert_null(strstr(err, "m.csv:22:"));
    free(err);
    gk_buf_free(&b);

    /* Messages come in line order whatever found them first. */
    err = parse_bad("题名,文件名,日期,备注\n"
                    "t,a.pdf,x,某市人民政府办公室关于做好政府信息公开工作的意见某市人民政府办公室关于做好政府信息公开工作的意见\n"
                    "t,b\xFF.pdf,,某市人民政府办公室关于做好政府信息公开工作的意见某市人民政府办公室关于做好政府信息公开工作的意见\n"
                    "t,a.pdf,,某市人民政府办公室关于做好政府信息公开工作的意见某市人民政府办公室关于做好政府信息公开工作的意见\n");
    const char *l2 = strstr(err, "m.csv:2:"), *l3 = strstr(err, "m.csv:3:"), *l4 = strstr(err, "m.csv:4:");
    assert_non_null(l2);
    assert_non_null(l3);
    assert_non_null(l4);
    assert_true(l2 < l3 && l3 < l4);
    free(err);

    /* Values in messages stay on one line and are cut short. */
    err = parse_bad("题名,文件名,日期\nt,a.pdf,\"2023\n13\"\n"
                    "t,b.pdf,一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三\n");
    assert_has(err, "m.csv:2: 日期 '2023 13' is not a date");
    assert_has(err, "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十…' is not");
    free(err);
}

/* ------------------------------------------------------------------ */
/* Matching                                                             */
/* ------------------------------------------------------------------ */

static void test_match(void **state)
{
    gk_manifest_t *m = parse_ok("题名,文件名\n"
                                "r1,2023/办公室/0001.pdf\n"
                                "r2,2023/财务/0001.pdf\n"
                                "r3,notice.PDF\n"
                                "r4,sub\\win.doc\n"
                                "r5,only/here.ofd\n"
                                "r6,c.pdf\n"
                                "r7,b/c.pdf\n");
#define MATCH(path) (gk_manifest_match(m, path) ? gk_manifest_match(m, path)->title : "(none)")
    /* By trailing path components. */
    assert_string_equal(MATCH("/mnt/in/2023/办公室/0001.pdf"), "r1");
    assert_string_equal(MATCH("/mnt/in/2023/财务/0001.pdf"), "r2");
    assert_string_equal(MATCH("2023/财务/0001.pdf"), "r2");
    assert_string_equal(MATCH("/mnt/in/./2023//财务/0001.pdf"), "r2");
    /* An ambiguous base name matches nothing. */
    assert_string_equal(MATCH("/mnt/in/other/0001.pdf"), "(none)");
    assert_string_equal(MATCH("办公室/0001.pdf"), "(none)");
    /* The ASCII extension ignores case, the rest of the name does not. */
    assert_string_equal(MATCH("/mnt/x/notice.pdf"), "r3");
    assert_string_equal(MATCH("/mnt/x/notice.Pdf"), "r3");
    assert_string_equal(MATCH("/mnt/x/Notice.pdf"), "(none)");
    /* Backslashes in the list are separators. */
    assert_string_equal(MATCH("/mnt/sub/win.DOC"), "r4");
    /* By a base name only one row has. */
    assert_string_equal(MATCH("/elsewhere/here.ofd"), "r5");
    assert_string_equal(MATCH("here.ofd"), "r5");
    /* The longest 文件名 that is a suffix wins; components are whole. */
    assert_string_equal(MATCH("/a/b/c.pdf"), "r7");
    assert_string_equal(MATCH("/a/x/c.pdf"), "r6");
    assert_string_equal(MATCH("c.pdf"), "r6");
    assert_string_equal(MATCH("/a/bc.pdf"), "(none)");
    assert_string_equal(MATCH("/a/xb/c.pdf"), "r6");
    assert_string_equal(MATCH("/elsewhere/none.pdf"), "(none)");
    assert_string_equal(MATCH(""), "(none)");
    assert_string_equal(MATCH("/"), "(none)");
#undef MATCH
    assert_null(gk_manifest_match(NULL, "a.pdf"));
    assert_null(gk_manifest_match(m, NULL));
    gk_manifest_row_t *r = gk_manifest_match(m, "/x/here.ofd");
    r->used = 1;
    assert_int_equal(gk_manifest_row(m, 4)->used, 1);
    gk_manifest_free(m);
}

/* ------------------------------------------------------------------ */
/* Size, files, garbage                                                 */
/* ------------------------------------------------------------------ */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_large(void **state)
{
    enum { ROWS = 10000 };
    gk_buf_t b = GK_BUF_INIT;
    gk_buf_puts(&b, "件号,档号,责任者,文号,题名,日期,页数,密级,备注,文件名\r\n");
    for (int i = 1; i <= ROWS; i++)
        gk_buf_printf(&b,
                      "%04d,0194-WS·2023-D30-BGS-%04d,某市人民政府办公室,某政办发〔2023〕%d号,"
                      "\"关于印发某某办法（第%d号）的通知\",2023-%02d-%02d,%d,%s,,2023/BGS/%04d.pdf\r\n",
                      i, i, i, i, i % 12 + 1, i % 28 + 1, i % 50, i % 3 ? "主动公开" : "依申请公开", i);
    double t0 = now();
    gk_manifest_t *m = parse_ok_len(b.data, b.len);
    double parsed = now() - t0;
    assert_int_equal(gk_manifest_count(m), ROWS);
    t0 = now();
    for (int i = 1; i <= ROWS; i++) {
        char path[64];
        snprintf(path, sizeof path, "/mnt/in/2023/BGS/%04d.pdf", i);
        gk_manifest_row_t *r = gk_manifest_match(m, path);
        assert_non_null(r);
        assert_int_equal(r->line, i + 1);
    }
    double matched = now() - t0;
    print_message("%d rows (%zu bytes): parsed in %.3f s, every file matched in %.3f s\n", ROWS, b.len, parsed,
                  matched);
    /* Well under a second; the sanitizers slow everything several times
     * over (mostly the allocator), so they get more room. */
    double limit = 0.5;
#if defined(__SANITIZE_ADDRESS__)
    limit = 1.0;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    limit = 1.0;
#endif
#endif
    assert_true(parsed < limit);
    assert_true(matched < limit);
    gk_manifest_free(m);
    gk_buf_free(&b);
}

static void test_load(void **state)
{
    char path[] = "/tmp/gk-manifest-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *text = "题名,文件名,日期\nt,a.pdf,2023-13-01\n";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);

    gk_manifest_t *m = (gk_manifest_t *)1;
    char *err = NULL;
    assert_int_equal(gk_manifest_load(path, &m, &err), GK_ERR_INVALID);
    assert_null(m);
    char want[128];
    snprintf(want, sizeof want, "%s:2: 日期 '2023-13-01' is not a date", path);
    assert_has(err, want);
    free(err);

    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("题名,文件名\nt,a.pdf\n", f);
    fclose(f);
    assert_int_equal(gk_manifest_load(path, &m, &err), GK_OK);
    assert_null(err);
    assert_int_equal(gk_manifest_count(m), 1);
    gk_manifest_free(m);
    unlink(path);

    assert_int_equal(gk_manifest_load(path, &m, &err), GK_ERR_NOT_FOUND);
    assert_null(m);
    assert_has(err, "cannot read /tmp/gk-manifest-");
    free(err);
    assert_int_equal(gk_manifest_load("/tmp", &m, &err), GK_ERR_IO);
    assert_non_null(err);
    free(err);
    gk_manifest_free(NULL);
    assert_int_equal(gk_manifest_count(NULL), 0);
    assert_null(gk_manifest_row(NULL, 0));
}

/* Parse DATA and check the result is consistent, whatever it is. */
static void survive(const char *data, size_t len)
{
    gk_manifest_t *m = NULL;
    char *err = NULL;
    gk_status_t rc = gk_manifest_parse(data, len, "g.csv", &m, &err);
    assert_true(rc == GK_OK || rc == GK_ERR_INVALID);
    if (rc == GK_OK) {
        assert_null(err);
        for (size_t i = 0; i < gk_manifest_count(m); i++) {
            gk_manifest_row_t *r = gk_manifest_row(m, i);
            assert_non_null(r->title);
            assert_non_null(r->file);
            gk_manifest_match(m, r->file);
        }
        gk_manifest_match(m, "/x/y.pdf");
    } else {
        assert_null(m);
        assert_non_null(err);
        assert_true(count_lines(err) <= GK_MANIFEST_MAX_ERRORS + 1);
    }
    free(err);
    gk_manifest_free(m);
}

static void test_garbage(void **state)
{
    static const char *const cases[] = {
        "\"", "\"\"", "\"\"\"", ",", ",,,,\n,,,", "\n", "\r", "\r\r\n\n", "题名,文件名\n\"",
        "题名,文件名\n\"\"\"", "题名,文件名\nt,\"a.pdf", "题名,文件名\nt,a.pdf\"\"\"\n", "题名,文件名\n,,,,,,,,,,,,",
        "\xEF\xBB\xBF\"", "题名\n", "文件名\nx", "题名,文件名,密级,密级,密级,密级,密级,密级\nt,f,秘密,公开,,,,\n",
        "题名,文件名\nt,/\nt,\\\\\nt,.\nt,a/./.\n",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        survive(cases[i], strlen(cases[i]));

    /* Random bytes, and random mixes of the characters CSV cares about. */
    srand(20240601);
    static const char alphabet[] = ",\"\r\n\t 题名文件日期a./\\★";
    unsigned char buf[4096];
    for (int round = 0; round < 400; round++) {
        size_t len = (size_t)(rand() % (int)sizeof buf);
        for (size_t k = 0; k < len; k++)
            buf[k] = round % 2 ? (unsigned char)rand() : (unsigned char)alphabet[rand() % (int)(sizeof alphabet - 1)];
        survive((const char *)buf, len);
        /* The same after a valid header. */
        gk_buf_t b = GK_BUF_INIT;
        gk_buf_puts(&b, "题名,文件名,日期,页数,公开属性\n");
        gk_buf_append(&b, buf, len);
        survive(b.data, b.len);
        gk_buf_free(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_rfc4180),
        cmocka_unit_test(test_csv_lenient),
        cmocka_unit_test(test_csv_unterminated),
        cmocka_unit_test(test_all_columns),
        cmocka_unit_test(test_aliases_any_order),
        cmocka_unit_test(test_required_columns),
        cmocka_unit_test(test_duplicate_column),
        cmocka_unit_test(test_no_header),
        cmocka_unit_test(test_title_row_above_header),
        cmocka_unit_test(test_unknown_columns_ignored),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_pages),
        cmocka_unit_test(test_visibility),
        cmocka_unit_test(test_two_visibility_columns),
        cmocka_unit_test(test_empty_title_and_file),
        cmocka_unit_test(test_duplicate_file),
        cmocka_unit_test(test_too_many_fields),
        cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_quoted_values),
        cmocka_unit_test(test_crlf_bom_blank_rows),
        cmocka_unit_test(test_no_rows),
        cmocka_unit_test(test_tab_separated),
        cmocka_unit_test(test_gb18030),
        cmocka_unit_test(test_invalid_encoding),
        cmocka_unit_test(test_errors_limited_and_ordered),
        cmocka_unit_test(test_match),
        cmocka_unit_test(test_large),
        cmocka_unit_test(test_load),
        cmocka_unit_test(test_garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
