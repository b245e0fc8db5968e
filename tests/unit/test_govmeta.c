/* test_govmeta.c — government metadata from the layout of a 公文 (govmeta.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "buf.h"
#include "govmeta.h"
#include "testcorpus.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_SANITIZER 1
#endif
#endif
#ifndef UNDER_SANITIZER
#define UNDER_SANITIZER 0
#endif

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static gk_govmeta_t read_meta(const char *text)
{
    gk_govmeta_t m;
    assert_int_equal(gk_govmeta_extract(text, strlen(text), &m), GK_OK);
    return m;
}

/* Field F of TEXT equals WANT (NULL: not found). */
static void expect_field(const char *text, gk_govmeta_field_t f, const char *want)
{
    gk_govmeta_t m = read_meta(text);
    if (!want) {
        if (m.value[f])
            print_message("%s: unexpected \"%s\"\n", gk_govmeta_field_name(f), m.value[f]);
        assert_null(m.value[f]);
        assert_null(m.rule[f]);
        assert_true(m.confidence[f] == 0);
    } else {
        if (!m.value[f] || strcmp(m.value[f], want) != 0)
            print_message("%s: got \"%s\", want \"%s\"\n", gk_govmeta_field_name(f), m.value[f] ? m.value[f] : "(null)",
                          want);
        assert_non_null(m.value[f]);
        assert_string_equal(m.value[f], want);
        assert_non_null(m.rule[f]);
        assert_true(m.confidence[f] > 0 && m.confidence[f] <= 1);
    }
    gk_govmeta_free(&m);
}

static void expect_docno(const char *written, const char *want)
{
    char *got = gk_docno_normalise(written);
    if (!want) {
        assert_null(got);
        return;
    }
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void expect_type(const char *title, const char *want)
{
    const char *got = gk_doctype_of_title(title);
    if (!want) {
        assert_null(got);
        return;
    }
    if (!got || strcmp(got, want) != 0)
        print_message("type of %s: got %s, want %s\n", title, got ? got : "(null)", want);
    assert_non_null(got);
    assert_string_equal(got, want);
}

/* ------------------------------------------------------------------ */
/* 文号                                                                */
/* ------------------------------------------------------------------ */

static void test_docno_normalise(void **state)
{
    (void)state;
    expect_docno("青政发〔2023〕12号", "青政发〔2023〕12号");
    expect_docno("青政发[2023] 12 号", "青政发〔2023〕12号");
    expect_docno("青政发(2019)31号", "青政发〔2019〕31号");
    expect_docno("青民发（2023）18号", "青民发〔2023〕18号");
    expect_docno("青政办发［2019］23号", "青政办发〔2019〕23号");
    expect_docno("青政征告【2023】4号", "青政征告〔2023〕4号");
    expect_docno("青政发﹝2023﹞15号", "青政发〔2023〕15号");
    expect_docno("青政发〖2023〗15号", "青政发〔2023〕15号");
    expect_docno("青财预（２０２４）３号", "青财预〔2024〕3号");
    expect_docno("青政发〔２０２３〕２７号", "青政发〔2023〕27号");
    expect_docno("青人社发〔2024〕第5号", "青人社发〔2024〕5号");
    expect_docno("青财预〔2024〕 12号", "青财预〔2024〕12号");
    expect_docno("青住建发 〔2023〕14 号", "青住建发〔2023〕14号");
    expect_docno("  青政发〔2023〕012号　", "青政发〔2023〕12号");
    expect_docno("ＸＹ发〔2023〕1号", "XY发〔2023〕1号");
    expect_docno("国令第711号", "国令第711号");
    expect_docno("国务院令 第 711 号", "国务院令第711号");
    /* Not a 文号. */
    expect_docno("〔2024〕第5期", NULL);
    expect_docno("〔2024〕5号", NULL);
    expect_docno("青政发〔2023〕", NULL);
    expect_docno("青政发〔23〕12号", NULL);
    expect_docno("青政发〔2023〕123456号", NULL);
    expect_docno("根据青政发〔2023〕12号", NULL);
    expect_docno("青政发〔2023〕12号文件", NULL);
    expect_docno("第711号", NULL);
    expect_docno("", NULL);
    expect_docno(NULL, NULL);
}

static void test_docno_line(void **state)
{
    (void)state;
    const char *head = "青山县人民政府文件\n\n青政发〔2023〕12号\n\n青山县人民政府关于调整标准的通知\n\n各乡镇人民政府：\n"
                       "　　根据《清江市人民政府关于调整标准的通知》（清政发〔2023〕9号）精神，现通知如下。\n";
    expect_field(head, GK_META_DOCNO, "青政发〔2023〕12号");
    /* 签发人 on the 文号 line of an upward document. */
    expect_field("云溪乡人民政府\n\n云政〔2024〕9号　　　　　　签发人：吴某某\n\n云溪乡人民政府关于申请资金的请示\n\n"
                 "县人民政府：\n　　我乡遭遇强降雨，恳请拨付资金。\n",
                 GK_META_DOCNO, "云政〔2024〕9号");
    /* A 文号 cited in the first lines is not the document's own. */
    const char *portal = "河西镇低保对象名单公告\n\n　　根据《青山县低保实施细则》（青民规〔2022〕1号）规定，现公告如下。\n\n"
                         "河西镇人民政府\n2024年4月8日\n";
    expect_field(portal, GK_META_DOCNO, NULL);
    gk_govmeta_t m = read_meta(portal);
    assert_int_equal(m.ncited, 1);
    assert_string_equal(m.cited[0], "青民规〔2022〕1号");
    gk_govmeta_free(&m);
    /* A 纪要's issue number is no 文号. */
    expect_field("青山县人民政府常务会议纪要\n\n〔2024〕第5期\n\n青山县人民政府办公室　　　　2024年3月8日\n\n"
                 "青山县人民政府第二十八次常务会议纪要\n\n　　2024年3月6日，县长主持召开常务会议，研究了以下事项。\n",
                 GK_META_DOCNO, NULL);
    /* A decree: the 令 mark over the 第N号 line. */
    const char *decree = "青山县人民政府令\n第6号\n\n青山县城市绿化管理办法\n\n　　第一条　为加强城市绿化管理，制定本办法。\n\n"
                         "　　　　　　　　县长　张某某\n　　　　　　　　2023年6月1日\n";
    expect_field(decree, GK_META_DOCNO, "青山县人民政府令第6号");
    expect_field(decree, GK_META_TITLE, "青山县城市绿化管理办法");
    expect_field(decree, GK_META_DATE, "2023-06-01");
    expect_field(decree, GK_META_ORGAN, "青山县人民政府");
}

static void test_cited(void **state)
{
    (void)state;
    const char *text = "青山县财政局文件\n\n青财预〔2024〕12号\n\n青山县财政局关于下达预算指标的通知\n\n县教育局：\n"
                       "　　根据《关于追加经费的复函》（青政办函[2024] 21号）和青政发〔2023〕第9号，以及根据国办发(1985)49号，"
                       "按照《条例》（国务院令第711号），现下达指标（青财预〔2024〕12号）。再次重申青政办函〔2024〕21号。\n";
    gk_govmeta_t m = read_meta(text);
    assert_string_equal(m.value[GK_META_DOCNO], "青财预〔2024〕12号");
    assert_int_equal(m.ncited, 4);
    assert_string_equal(m.cited[0], "青政办函〔2024〕21号");
    assert_string_equal(m.cited[1], "青政发〔2023〕9号");
    assert_string_equal(m.cited[2], "国办发〔1985〕49号");
    assert_string_equal(m.cited[3], "国务院令第711号");
    gk_govmeta_free(&m);
}

/* ------------------------------------------------------------------ */
/* 成文日期                                                            */
/* ------------------------------------------------------------------ */

/* A small signed notice dated DATE_LINE. */
static void expect_signed_date(const char *date_line, const char *want)
{
    char text[2048];
    snprintf(text, sizeof text,
             "青山县人民政府办公室\n\n青政办发〔2024〕9号\n\n青山县人民政府办公室关于召开会议的通知\n\n各乡镇人民政府：\n"
             "　　经县人民政府同意，定于2024年2月27日召开会议。\n\n"
             "　　　　　　　　　　青山县人民政府办公室\n　　　　　　　　　　%s\n\n公开方式：主动公开\n\n"
             "青山县人民政府办公室　　　　2024年3月1日印发\n",
             date_line);
    expect_field(text, GK_META_DATE, want);
}

static void test_dates(void **state)
{
    (void)state;
    expect_signed_date("2023年5月12日", "2023-05-12");
    expect_signed_date("2024年04月15日", "2024-04-15");
    expect_signed_date("2024 年 2 月 20 日", "2024-02-20");
    expect_signed_date("２０２４年２月２０日", "2024-02-20");
    expect_signed_date("二〇二三年五月十二日", "2023-05-12");
    expect_signed_date("二○二二年一月二十五日", "2022-01-25");
    expect_signed_date("二零二四年一月十日", "2024-01-10");
    expect_signed_date("二O二二年六月一日", "2022-06-01");
    expect_signed_date("二〇一九年十月十六日", "2019-10-16");
    expect_signed_date("二〇二二年十二月三十日", "2022-12-30");
    expect_signed_date("二〇二三年十一月三十一日", "2023-11-31");
    expect_signed_date("2023.12.28", "2023-12-28");
    expect_signed_date("2023-08-15", "2023-08-15");
    expect_signed_date("2023/5/12", "2023-05-12");
    /* Not dates: the signature line is then not dated. */
    expect_signed_date("2023年13月12日", NULL);
    expect_signed_date("二〇三五年", NULL);
    expect_signed_date("2023.12.281", NULL);
}

static void test_date_distractors(void **state)
{
    (void)state;
    /* The 印发 date and body dates lose to the date under the signature. */
    const char *text = "青山县人民政府文件\n\n青政发(2019)31号\n\n青山县人民政府关于林某职务任免的决定\n\n各乡镇人民政府：\n"
                       "　　经2019年10月14日县人民政府第三十六次常务会议研究，决定任命林某为副局长。\n\n"
                       "　　　　　　　　　　青山县人民政府\n　　　　　　　　二〇一九年十月十六日\n\n"
                       "抄送：县委组织部。\n青山县人民政府办公室　　　　　2019年10月17日印发\n";
    expect_field(text, GK_META_DATE, "2019-10-16");
    expect_field(text, GK_META_ORGAN, "青山县人民政府");
    /* An attachment signed later does not win over the main document. */
    const char *attached = "青山县人民政府文件\n\n青政发[2015]42号\n\n青山县人民政府关于印发临时救助实施办法的通知\n\n"
                           "各乡镇人民政府：\n　　现将《青山县临时救助实施办法》印发给你们，请认真贯彻执行。\n\n"
                           "附件：青山县临时救助实施办法\n\n　　　　　　青山县人民政府\n　　　　　二〇一五年九月二十八日\n\n"
                           "附件\n\n青山县临时救助实施办法\n\n　　第一条　为保障基本生活，制定本办法。\n\n"
                           "青山县民政局\n2015年10月8日\n";
    expect_field(attached, GK_META_DATE, "2015-09-28");
    expect_field(attached, GK_META_TITLE, "青山县人民政府关于印发临时救助实施办法的通知");
    expect_field(attached, GK_META_TYPE, "通知");
}

static void test_unsigned_dates(void **state)
{
    (void)state;
    /* A 决议: the date the meeting adopted it, under the title. */
    const char *resolution = "青山县人民代表大会常务委员会关于批准青山县2022年财政决算的决议\n\n"
                             "（2023年8月28日青山县第十八届人民代表大会常务委员会第十二次会议通过）\n\n"
                             "　　青山县第十八届人民代表大会常务委员会第十二次会议听取了报告，决定批准决算。\n";
    expect_field(resolution, GK_META_DATE, "2023-08-28");
    expect_field(resolution, GK_META_TITLE, "青山县人民代表大会常务委员会关于批准青山县2022年财政决算的决议");
    expect_field(resolution, GK_META_ORGAN, "青山县人民代表大会常务委员会");
    expect_field(resolution, GK_META_TYPE, "决议");
    /* A speech: the date after the dash, the organ on its own line. */
    const char *speech = "关于青山县2022年预算执行情况和2023年预算草案的报告\n\n"
                         "——2023年1月10日在青山县第十八届人民代表大会第三次会议上\n\n青山县财政局\n\n各位代表：\n"
                         "　　受县人民政府委托，现将预算执行情况报告如下，请予审议。\n";
    expect_field(speech, GK_META_DATE, "2023-01-10");
    expect_field(speech, GK_META_TITLE, "关于青山县2022年预算执行情况和2023年预算草案的报告");
    expect_field(speech, GK_META_ORGAN, "青山县财政局");
    expect_field(speech, GK_META_RECIPIENTS, "各位代表");
    /* A 纪要: the issuing office and the date in the head. */
    const char *minutes = "青山县人民政府常务会议纪要\n\n〔2024〕第5期\n\n青山县人民政府办公室　　　　　　2024年3月8日\n\n"
                          "青山县人民政府第二十八次常务会议纪要\n\n"
                          "　　2024年3月6日上午，县长主持召开常务会议，研究了以下事项。\n\n公开方式：不予公开\n\n"
                          "青山县人民政府办公室　　　　　2024年3月8日印发\n";
    expect_field(minutes, GK_META_DATE, "2024-03-08");
    expect_field(minutes, GK_META_ORGAN, "青山县人民政府办公室");
    expect_field(minutes, GK_META_TITLE, "青山县人民政府第二十八次常务会议纪要");
    expect_field(minutes, GK_META_TYPE, "纪要");
    expect_field(minutes, GK_META_VISIBILITY, "internal");
}

/* ------------------------------------------------------------------ */
/* 标题, 发文机关, 主送机关                                            */
/* ------------------------------------------------------------------ */

static void test_titles(void **state)
{
    (void)state;
    /* Wrapped mid-phrase: joined with nothing between the lines. */
    const char *wrapped = "青山县人民政府办公室文件\n\n青政办发[2024]13号\n\n"
                          "青山县人民政府办公室关于转发清江市人民政府办公室《关于做好\n2024年防汛工作的通知》的通知\n\n"
                          "各乡镇人民政府，各街道办事处：\n　　现将通知转发给你们，请认真贯彻执行。\n";
    expect_field(wrapped, GK_META_TITLE,
                 "青山县人民政府办公室关于转发清江市人民政府办公室《关于做好2024年防汛工作的通知》的通知");
    expect_field(wrapped, GK_META_RECIPIENTS, "各乡镇人民政府，各街道办事处");
    expect_field(wrapped, GK_META_TYPE, "通知");
    /* Organ on one line, the rest of the title under it, above the 文号. */
    const char *notice = "青山县人民政府\n征收土地公告\n\n青政征告【2023】4号\n\n"
                         "　　经江岭省人民政府批准，征收云溪乡集体土地，现将有关事项公告如下。\n\n"
                         "　　　　　　　　青山县人民政府\n　　　　　　　　2023年9月8日\n公开方式：主动公开\n";
    expect_field(notice, GK_META_TITLE, "青山县人民政府征收土地公告");
    expect_field(notice, GK_META_DOCNO, "青政征告〔2023〕4号");
    expect_field(notice, GK_META_RECIPIENTS, NULL);
    /* Joint mark on three lines, joint title with a space, joint signature. */
    const char *joint = "青山县民政局\n　　　　　　文件\n青山县财政局\n\n青民发（2023）18号\n\n"
                        "青山县民政局 青山县财政局关于提高特困人员基本生活标准的通知\n\n各乡镇人民政府：\n"
                        "　　经县人民政府同意，决定提高特困人员基本生活标准。\n\n"
                        "　　青山县民政局　　　　　　　青山县财政局\n　　　　　　　2023年6月30日\n";
    expect_field(joint, GK_META_TITLE, "青山县民政局 青山县财政局关于提高特困人员基本生活标准的通知");
    expect_field(joint, GK_META_ORGAN, "青山县民政局;青山县财政局");
    expect_field(joint, GK_META_DOCNO, "青民发〔2023〕18号");
    /* Joint organs on the first title line, 关于… on the next; 命令. */
    const char *order = "青山县人民政府\n青山县人民武装部文件\n\n青政发〔2024〕9号\n\n青山县人民政府 青山县人民武装部\n"
                        "关于做好2024年征兵工作的命令\n\n各乡镇人民政府：\n　　根据上级要求，决定开展征兵工作。\n\n"
                        "　　青山县人民政府　　　　　　青山县人民武装部\n　　　　　　　　　2024年2月26日\n";
    expect_field(order, GK_META_TITLE, "青山县人民政府 青山县人民武装部关于做好2024年征兵工作的命令");
    expect_field(order, GK_META_TYPE, "命令");
    expect_field(order, GK_META_ORGAN, "青山县人民政府;青山县人民武装部");
    /* Head lines: 份号, 密级, 紧急程度 above the mark. */
    const char *head = "000123\n机密★1年\n特急\n\n青山县人民政府文件\n\n青政发〔2024〕1号\n\n"
                       "青山县人民政府关于做好防汛工作的通知\n\n各乡镇人民政府：\n　　汛期将至，现就有关事项通知如下。\n";
    expect_field(head, GK_META_TITLE, "青山县人民政府关于做好防汛工作的通知");
    /* A parenthetical second line belongs to the title. */
    const char *plan = "青山县5G基站建设三年行动方案\n（2023—2025年）\n\n　　为加快推进5G网络建设，制定本方案。\n"
                       "　　一、工作目标\n\n青山县工业和信息化局\n2023-03-20\n";
    expect_field(plan, GK_META_TITLE, "青山县5G基站建设三年行动方案（2023—2025年）");
    expect_field(plan, GK_META_TYPE, "方案");
    expect_field(plan, GK_META_DATE, "2023-03-20");
    expect_field(plan, GK_META_ORGAN, "青山县工业和信息化局");
    /* A section heading between the title and the body is not the title. */
    const char *tender = "云溪乡农村饮水安全巩固提升工程竞争性磋商公告\n\n项目概况\n"
                         "　　本项目的潜在供应商应在交易中心获取采购文件，并于规定时间前提交响应文件。\n\n"
                         "云溪乡人民政府\n2024-05-06\n";
    expect_field(tender, GK_META_TITLE, "云溪乡农村饮水安全巩固提升工程竞争性磋商公告");
    /* Numbered body straight under the title. */
    const char *report = "河西镇人民政府2022年政府信息公开工作年度报告\n\n一、总体情况\n"
                         "　　2022年，河西镇人民政府认真贯彻条例。\n\n河西镇人民政府\n2023年1月18日\n";
    expect_field(report, GK_META_TITLE, "河西镇人民政府2022年政府信息公开工作年度报告");
    expect_field(report, GK_META_TYPE, "报告");
    /* Chapters under a 细则 with a 文号. */
    const char *rules = "青山县民政局\n\n青民规〔2022〕1号\n\n青山县城乡居民最低生活保障审核确认实施细则\n\n第一章　总　则\n"
                        "　　第一条　为规范低保审核确认工作，制定本细则。\n\n　　　　　　　　青山县民政局\n"
                        "　　　　　　　二O二二年六月一日\n";
    expect_field(rules, GK_META_TITLE, "青山县城乡居民最低生活保障审核确认实施细则");
    expect_field(rules, GK_META_TYPE, "细则");
    expect_field(rules, GK_META_DATE, "2022-06-01");
    /* No body at all: the first line. */
    expect_field("青山县人民政府关于公布名单的通知", GK_META_TITLE, "青山县人民政府关于公布名单的通知");
}

static void test_organ_fallbacks(void **state)
{
    (void)state;
    /* No signature: the issuer named at the head of the title. */
    expect_field("青山县人民政府关于公布名单的通知\n\n各乡镇：\n　　现将名单公布如下，请遵照执行。\n", GK_META_ORGAN,
                 "青山县人民政府");
    /* No signature, no issuer in the title: the 发文机关标志. */
    expect_field("青山县水利局文件\n\n青水发〔2024〕1号\n\n关于做好水库安全度汛的通知\n\n各水库管理站：\n"
                 "　　汛期将至，现就有关事项通知如下。\n",
                 GK_META_ORGAN, "青山县水利局");
}

/* ------------------------------------------------------------------ */
/* 公开方式                                                            */
/* ------------------------------------------------------------------ */

static void expect_visibility(const char *footer, const char *want)
{
    char text[2048];
    snprintf(text, sizeof text,
             "青山县财政局\n\n青财预〔2024〕3号\n\n青山县财政局关于公开2024年县级部门预算的通知\n\n县直各预算单位：\n"
             "　　根据有关规定，现就预算公开有关事项通知如下。依申请公开和不予公开的信息按规定办理。\n"
             "　　三、公开方式。统一在县政府门户网站集中公开。\n\n"
             "　　　　　　　　青山县财政局\n　　　　　　　　2024年2月5日\n\n%s\n",
             footer);
    expect_field(text, GK_META_VISIBILITY, want);
}

static void test_visibility(void **state)
{
    (void)state;
    expect_visibility("公开方式：主动公开", "public");
    expect_visibility("公开方式：依申请公开", "application");
    expect_visibility("公开方式：不予公开", "internal");
    expect_visibility("公开方式: 依申请公开", "application");
    expect_visibility("（此件公开发布）", "public");
    expect_visibility("（此件依申请公开）", "application");
    expect_visibility("抄送：县审计局。", NULL);
}

/* ------------------------------------------------------------------ */
/* 文种                                                                */
/* ------------------------------------------------------------------ */

static void test_doctype(void **state)
{
    (void)state;
    expect_type("青山县人民政府关于调整城乡居民最低生活保障标准的通知", "通知");
    expect_type("青山县人民政府关于促进农村集体经济高质量发展的实施意见", "意见");
    expect_type("青山县水利局关于取水许可延续申请的复函", "函");
    expect_type("青山县农业农村局2023年工作总结", "总结");
    expect_type("青山县政务公开工作领导小组2024年第一次会议纪要", "纪要");
    expect_type("河西镇2024年政务公开工作要点", "工作要点");
    expect_type("青山县城乡居民最低生活保障审核确认实施细则", "细则");
    expect_type("青山县城乡居民临时救助实施办法", "办法");
    expect_type("青山县2024年农村危房改造实施方案", "方案");
    expect_type("青山县“十四五”农业农村现代化规划（摘要）", "规划");
    expect_type("青山县5G基站建设三年行动方案（2023—2025年）", "方案");
    expect_type("青山县人民政府关于进一步规范政府采购活动的若干规定", "规定");
    expect_type("青山县人民政府 青山县人民武装部关于做好2024年征兵工作的命令", "命令");
    expect_type("青山县人民政府令", "令");
    expect_type("青山县民政局2023年政府信息公开工作年度报告", "报告");
    expect_type("青山县防汛抗旱应急预案", "应急预案");
    expect_type("上海市实施《义务教育法》办法", "办法");
    expect_type("上海市区县和乡镇人民代表大会代表直接选举实施细则", "细则");
    expect_type("某某条例（2020年修正）", "条例");
    expect_type("《青山县政府投资项目管理办法》", "办法");
    /* A notice that prints or forwards another document is a 通知. */
    expect_type("青山县人民政府关于印发青山县城乡居民临时救助实施办法的通知", "通知");
    expect_type("青山县人民政府办公室关于转发《关于做好防汛工作的意见》的通知", "通知");
    expect_type("中共青山县委办公室 青山县人民政府办公室印发《关于加强基层治理的意见》", "通知");
    expect_type("青山县人民政府办公室印发青山县防汛抗旱应急预案", "通知");
    expect_type("青山县人民政府关于印发规定的决定", "决定");
    expect_type("项目概况", NULL);
    expect_type("", NULL);
    expect_type(NULL, NULL);
}

/* ------------------------------------------------------------------ */
/* Hostile input                                                       */
/* ------------------------------------------------------------------ */

static void test_hostile(void **state)
{
    (void)state;
    gk_govmeta_t m;
    assert_int_equal(gk_govmeta_extract("", 0, &m), GK_OK);
    for (int f = 0; f < GK_META_NFIELDS; f++)
        assert_null(m.value[f]);
    assert_int_equal(m.ncited, 0);
    gk_govmeta_free(&m);
    assert_int_equal(gk_govmeta_extract(NULL, 5, &m), GK_OK);
    gk_govmeta_free(&m);
    gk_govmeta_free(NULL);
    assert_string_equal(gk_govmeta_field_name(GK_META_VISIBILITY), "visibility");
    assert_null(gk_govmeta_field_name(GK_META_NFIELDS));

    /* Invalid UTF-8 and NUL bytes inside the lines: values stay valid UTF-8. */
    static const char bad[] = "青山县\xff\xfe人民政府关于\xe4\xb8调整\0标准的通知\n\n各乡镇\xc0\xaf：\n"
                              "　　现通知如下，请遵照执行。\n\n青山县人民政府\n2023年5月12日\n\xe5\x8f";
    assert_int_equal(gk_govmeta_extract(bad, sizeof bad - 1, &m), GK_OK);
    for (int f = 0; f < GK_META_NFIELDS; f++)
        if (m.value[f])
            assert_true(gk_utf8_valid((const unsigned char *)m.value[f], strlen(m.value[f])));
    assert_string_equal(m.value[GK_META_DATE], "2023-05-12");
    gk_govmeta_free(&m);

    /* Truncated sequences at every cut of a real head. */
    const char *head = "青山县人民政府文件\n\n青政发〔2023〕12号\n\n青山县人民政府关于调整标准的通知\n";
    for (size_t cut = 0; cut <= strlen(head); cut++) {
        char *copy = malloc(cut ? cut : 1);
        assert_non_null(copy);
        memcpy(copy, head, cut);
        assert_int_equal(gk_govmeta_extract(copy, cut, &m), GK_OK);
        gk_govmeta_free(&m);
        free(copy);
    }

    /* Lone brackets, digits, 号 and 年 in every order, CR line ends. */
    const char *junk = "号号号〔〔〔2023〕〕〕号第号令第号令令第1号\r\n2023年年月日〇〇〇〇年十十月三十二日\r"
                       "（（（）））——\r\n　　　　\n公开方式：\n（此件）\n签发人：\n：\n";
    assert_int_equal(gk_govmeta_extract(junk, strlen(junk), &m), GK_OK);
    gk_govmeta_free(&m);
}

/* Builds LEN bytes of UNIT repeated, with a NUL after. */
static char *repeat(const char *unit, size_t len)
{
    size_t u = strlen(unit);
    char *s = malloc(len + 1);
    assert_non_null(s);
    for (size_t i = 0; i < len; i += u)
        memcpy(s + i, unit, len - i < u ? len - i : u);
    s[len] = '\0';
    return s;
}

/* Seconds LEN bytes of TEXT take. */
static double time_extract(const char *text, size_t len, size_t *ncited)
{
    gk_govmeta_t m;
    double t0 = now_seconds();
    assert_int_equal(gk_govmeta_extract(text, len, &m), GK_OK);
    double dt = now_seconds() - t0;
    *ncited = m.ncited;
    gk_govmeta_free(&m);
    return dt;
}

static void test_large(void **state)
{
    (void)state;
    const size_t len = 10u << 20;
    /* Sanitisers slow everything down about tenfold. */
    const double slow = UNDER_SANITIZER ? 10.0 : 1.0;
    size_t ncited;

    /* 10 MB of ordinary documents, one after another. */
    char *docs = repeat("青山县人民政府文件\n\n青政发〔2023〕12号\n\n青山县人民政府关于调整标准的通知\n\n"
                        "各乡镇人民政府，各街道办事处：\n　　根据《清江市人民政府关于调整标准的通知》（清政发〔2023〕9号）"
                        "精神，结合我县实际，决定调整城乡居民最低生活保障标准。新标准自2023年7月1日起执行。\n\n"
                        "　　　　　　　　青山县人民政府\n　　　　　　　　2023年5月12日\n\n公开方式：主动公开\n\n"
                        "青山县人民政府办公室　　　　2023年5月15日印发\n",
                        len);
    double dt = time_extract(docs, len, &ncited);
    print_message("10 MB of documents: %.3f s\n", dt);
    assert_true(dt < 0.5 * slow);
    assert_int_equal(ncited, 1);
    free(docs);

    /* 10 MB in shapes that would hurt a quadratic scan: one line, many
     * short lines, many brackets and 号 in a line, many blanks, many 文号. */
    static const char *const UNITS[] = {
        "青山县人民政府关于调整城乡居民最低生活保障标准的通知，",
        "青政发\n",
        "〔2023〕号〔2023〕12〕号　　　　　　　　第第第",
        "　　　　　　　　　　　　　　　　　　　　　　　　　",
        "青政发〔2023〕12号、",
        "再次重申青政发〔2023〕12号，",
        "二〇二三年五月二〇二三年",
        "号",
        "a",
        "\n",
    };
    for (size_t k = 0; k < sizeof UNITS / sizeof UNITS[0]; k++) {
        char *s = repeat(UNITS[k], len);
        dt = time_extract(s, len, &ncited);
        print_message("10 MB of shape %zu: %.3f s, %zu cited\n", k, dt, ncited);
        assert_true(dt < 2.0 * slow);
        free(s);
    }
}

/* ------------------------------------------------------------------ */
/* The govdocs corpus                                                  */
/* ------------------------------------------------------------------ */

/* The comparison of tools/metadata.py: NFKC, ASCII spaces removed, and
 * every kind of bracket as 〔〕. */
static char *norm(const char *s)
{
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&err);
    assert_true(U_SUCCESS(err));
    int32_t n = 0;
    size_t len = strlen(s);
    UChar *u = malloc((len + 1) * sizeof *u), *v = malloc((4 * len + 4) * sizeof *v);
    assert_non_null(u);
    assert_non_null(v);
    u_strFromUTF8(u, (int32_t)len + 1, &n, s, (int32_t)len, &err);
    assert_true(U_SUCCESS(err));
    int32_t m = unorm2_normalize(nfkc, u, n, v, (int32_t)(4 * len + 4), &err);
    assert_true(U_SUCCESS(err));
    char *out = malloc(4 * (size_t)m + 1), *p = out;
    assert_non_null(out);
    int32_t outlen = 0;
    char *utf8 = malloc(4 * (size_t)m + 1);
    assert_non_null(utf8);
    u_strToUTF8(utf8, 4 * m + 1, &outlen, v, m, &err);
    assert_true(U_SUCCESS(err));
    static const char *const OPEN[] = {"[", "(", "【", "﹝", "（", "［"};
    static const char *const CLOSE[] = {"]", ")", "】", "﹞", "）", "］"};
    for (const char *q = utf8; *q;) {
        size_t k, hit = 0;
        if (*q == ' ') {
            q++;
            continue;
        }
        for (k = 0; k < 6 && !hit; k++) {
            if (strncmp(q, OPEN[k], strlen(OPEN[k])) == 0) {
                memcpy(p, "〔", 3), p += 3, q += strlen(OPEN[k]), hit = 1;
            } else if (strncmp(q, CLOSE[k], strlen(CLOSE[k])) == 0) {
                memcpy(p, "〕", 3), p += 3, q += strlen(CLOSE[k]), hit = 1;
            }
        }
        if (!hit)
            *p++ = *q++;
    }
    *p = '\0';
    free(utf8);
    free(u);
    free(v);
    return out;
}

static int same(const char *want, const char *got)
{
    char *a = norm(want), *b = norm(got ? got : "");
    int ok = strcmp(a, b) == 0;
    free(a);
    free(b);
    return ok;
}

/* Organs compare as sets of names. */
static int same_organs(const char *want, const char *got)
{
    char *a = norm(want), *b = norm(got ? got : "");
    int ok = 1;
    for (int pass = 0; pass < 2 && ok; pass++) {
        char *x = pass ? b : a, *y = pass ? a : b;
        char *copy = strdup(x), *save = NULL;
        for (char *t = strtok_r(copy, ";", &save); t && ok; t = strtok_r(NULL, ";", &save)) {
            int found = 0;
            char *copy2 = strdup(y), *save2 = NULL;
            for (char *u = strtok_r(copy2, ";", &save2); u; u = strtok_r(NULL, ";", &save2))
                found |= strcmp(t, u) == 0;
            free(copy2);
            ok = found;
        }
        free(copy);
    }
    free(a);
    free(b);
    return ok;
}

enum { C_FILE, C_TITLE, C_DOCNO, C_DATE, C_ORGAN, C_TYPE, C_CATEGORY, C_VISIBILITY, C_CITED, C_N };

typedef struct tally {
    int rows;
    int title, docno, date, organ, type, visibility, cited;
} tally_t;

static void check_row(char **col, tally_t *t)
{
    size_t len;
    char *text = corpus_file(&len, "govdocs/%s", col[C_FILE]);
    assert_non_null(text);
    gk_govmeta_t m;
    assert_int_equal(gk_govmeta_extract(text, len, &m), GK_OK);
    gk_buf_t cited = GK_BUF_INIT;
    for (size_t i = 0; i < m.ncited; i++) {
        if (i)
            gk_buf_putc(&cited, ';');
        gk_buf_puts(&cited, m.cited[i]);
    }
    /* The set gives every document a visibility: public unless the text
     * prints otherwise. The reader reports only what is printed. */
    const char *vis = m.value[GK_META_VISIBILITY] ? m.value[GK_META_VISIBILITY] : "public";
    struct {
        const char *name, *want, *got;
        int ok, *count;
    } f[] = {
        {"title", col[C_TITLE], m.value[GK_META_TITLE], 0, &t->title},
        {"docno", col[C_DOCNO], m.value[GK_META_DOCNO], 0, &t->docno},
        {"date", col[C_DATE], m.value[GK_META_DATE], 0, &t->date},
        {"organ", col[C_ORGAN], m.value[GK_META_ORGAN], 0, &t->organ},
        {"type", col[C_TYPE], m.value[GK_META_TYPE], 0, &t->type},
        {"visibility", col[C_VISIBILITY], vis, 0, &t->visibility},
        {"cited", col[C_CITED], gk_buf_str(&cited), 0, &t->cited},
    };
    for (size_t k = 0; k < sizeof f / sizeof f[0]; k++) {
        f[k].ok = strcmp(f[k].name, "organ") == 0 ? same_organs(f[k].want, f[k].got) : same(f[k].want, f[k].got);
        *f[k].count += f[k].ok;
        if (!f[k].ok)
            print_message("%s %s: got \"%s\", want \"%s\"\n", col[C_FILE], f[k].name, f[k].got ? f[k].got : "",
                          f[k].want);
    }
    t->rows++;
    gk_buf_free(&cited);
    gk_govmeta_free(&m);
    free(text);
}

static void test_corpus_govdocs(void **state)
{
    (void)state;
    corpus_or_skip("govdocs metadata test");
    size_t len;
    char *tsv = corpus_file(&len, "govdocs.tsv");
    if (!tsv) {
        print_message("govdocs.tsv absent: govdocs metadata test skipped\n");
        skip();
    }
    tally_t t = {0};
    char *save = NULL;
    int header = 1;
    for (char *line = strtok_r(tsv, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (header) {
            header = 0;
            continue;
        }
        char *col[C_N] = {0};
        int n = 0;
        for (char *p = line; n < C_N;) {
            col[n++] = p;
            char *tab = strchr(p, '\t');
            if (!tab)
                break;
            *tab = '\0';
            p = tab + 1;
        }
        while (n < C_N)
            col[n++] = "";
        check_row(col, &t);
    }
    free(tsv);
    assert_true(t.rows > 0);
    print_message("govmeta: docno %d/%d date %d/%d type %d/%d organ %d/%d visibility %d/%d title %d/%d cited %d/%d\n",
                  t.docno, t.rows, t.date, t.rows, t.type, t.rows, t.organ, t.rows, t.visibility, t.rows, t.title,
                  t.rows, t.cited, t.rows);
    assert_true(t.docno >= 0.95 * t.rows);
    assert_true(t.date >= 0.95 * t.rows);
    assert_true(t.type >= 0.90 * t.rows);
    assert_true(t.organ >= 0.85 * t.rows);
    assert_true(t.visibility >= 0.95 * t.rows);
    assert_true(t.title >= 0.90 * t.rows);
    assert_true(t.cited >= 0.90 * t.rows);
}

/* 文种 of the law titles that end with a regulation's type. */
static void test_corpus_law_titles(void **state)
{
    (void)state;
    corpus_or_skip("law title 文种 test");
    size_t len;
    char *tsv = corpus_file(&len, "docs.tsv");
    if (!tsv) {
        print_message("docs.tsv absent: law title 文种 test skipped\n");
        skip();
    }
    static const char *const TYPES[] = {"条例", "规定", "办法", "细则", "决定"};
    int total = 0, right = 0, title_col = -1;
    char *save = NULL;
    for (char *line = strtok_r(tsv, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *col[16] = {0};
        int n = 0;
        for (char *p = line; n < 16;) {
            col[n++] = p;
            char *tab = strchr(p, '\t');
            if (!tab)
                break;
            *tab = '\0';
            p = tab + 1;
        }
        if (title_col < 0) {
            for (int k = 0; k < n; k++)
                if (strcmp(col[k], "title") == 0)
                    title_col = k;
            assert_true(title_col >= 0);
            continue;
        }
        if (title_col >= n)
            continue;
        const char *title = col[title_col];
        for (size_t k = 0; k < sizeof TYPES / sizeof TYPES[0]; k++) {
            size_t tl = strlen(title), kl = strlen(TYPES[k]);
            if (tl < kl || strcmp(title + tl - kl, TYPES[k]) != 0)
                continue;
            total++;
            const char *got = gk_doctype_of_title(title);
            if (got && strcmp(got, TYPES[k]) == 0)
                right++;
            else
                print_message("%s: got %s, want %s\n", title, got ? got : "(null)", TYPES[k]);
        }
    }
    free(tsv);
    print_message("govmeta: law titles 文种 %d/%d\n", right, total);
    assert_true(total > 0);
    assert_int_equal(right, total);
}

/* The shared corpus beside the source tree when GK_SHARED_CORPUS is unset:
 * <source>/../shared/corpus, the source found from this file's path. */
static void default_corpus(void)
{
    if (getenv("GK_SHARED_CORPUS"))
        return;
    char path[4096];
    snprintf(path, sizeof path, "%s", __FILE__);
    char *tests = strstr(path, "/tests/unit/");
    if (!tests)
        return;
    snprintf(tests, sizeof path - (size_t)(tests - path), "/../shared/corpus");
    setenv("GK_SHARED_CORPUS", path, 0);
}

int main(void)
{
    default_corpus();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_docno_normalise),
        cmocka_unit_test(test_docno_line),
        cmocka_unit_test(test_cited),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_date_distractors),
        cmocka_unit_test(test_unsigned_dates),
        cmocka_unit_test(test_titles),
        cmocka_unit_test(test_organ_fallbacks),
        cmocka_unit_test(test_visibility),
        cmocka_unit_test(test_doctype),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_large),
        cmocka_unit_test(test_corpus_govdocs),
        cmocka_unit_test(test_corpus_law_titles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
