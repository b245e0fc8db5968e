/*
 * head.c — what a line of a 公文 is, judged by itself and its neighbours:
 * the parts of the 版头 (份号, 密级, 紧急程度, 发文机关标志, 文号, 签发人),
 * dates and the lines that carry them, organ names, the 主送机关 line, and
 * where the body begins.
 *
 * The title is whatever text is left between these, so each kind here is
 * meant to be narrow: a line is GM_TEXT unless it clearly is something else.
 */
#include <string.h>

#include "govmeta_int.h"

/* An organ name longer than this is a sentence. */
#define MAX_ORGAN_CHARS 40
/* A 发文机关标志 longer than this is a title ending in 文件. */
#define MAX_MARK_CHARS 40
/* An indented line this long is a paragraph even without punctuation. */
#define LONG_PARAGRAPH_CHARS 60

/* How organ names end (…人民政府, …财政局, …办公室, …委员会, …指挥部). */
static const char *const ORGAN_SUFFIX[] = {
    "政府", "局", "厅", "部", "委", "办", "院", "中心", "会", "组", "处", "科", "股", "所", "站",
    "队", "室", "署", "司", "行", "社", "馆", "团", "校", "镇", "乡", "村", "社区", "街道", "党组",
};

static int has_organ_suffix(const char *s, size_t len)
{
    for (size_t k = 0; k < sizeof ORGAN_SUFFIX / sizeof ORGAN_SUFFIX[0]; k++)
        if (gm_has_suffix(s, len, ORGAN_SUFFIX[k]))
            return 1;
    return 0;
}

/* Characters no organ name carries: punctuation of sentences and lists,
 * quotation marks, title marks, digits. */
static int not_in_organ_name(uint32_t c)
{
    return gm_is_sentence_punct(c) || gm_is_digit(c) || c == 0x3001 || c == 0x300A || c == 0x300B ||
           c == 0x201C || c == 0x201D || c == '"' || c == 0x2014 || c == '*' || c == 0x2026;
}

int gm_is_organ(const char *s, size_t len, int want_suffix)
{
    if (len > GM_MAX_SHORT_LINE)
        return 0;
    gm_trim(&s, &len);
    size_t n = gm_nchars(s, len);
    if (n < 2 || n > MAX_ORGAN_CHARS || gm_any(s, len, not_in_organ_name) || !gm_any(s, len, gm_is_han))
        return 0;
    return !want_suffix || has_organ_suffix(s, len);
}

size_t gm_organ_fields(const char *s, size_t len, int want_suffix, gm_span_t *f, size_t max)
{
    gm_span_t tmp[8];
    if (len > GM_MAX_SHORT_LINE)
        return 0;
    if (!f || max == 0) {
        f = tmp;
        max = sizeof tmp / sizeof tmp[0];
    }
    size_t n = gm_fields(s, len, f, max);
    if (n == 0 || n > max)
        return 0;
    /* Side by side, each name must end like an organ: two words of a
     * heading are not two organs. */
    for (size_t k = 0; k < n; k++)
        if (!gm_is_organ(f[k].s, f[k].len, want_suffix || n > 1))
            return 0;
    return n;
}

/* 第N号 alone: the number line under a 令 mark. */
static int decree_number_line(const gm_line_t *l)
{
    size_t i = 0;
    if (!gm_has_prefix(l->s, l->len, "第"))
        return 0;
    i = 3;
    int digits = 0;
    while (i < l->len) {
        size_t j = i;
        uint32_t c = gm_next(l->s, l->len, &j);
        if (!gm_is_digit(c))
            break;
        digits++;
        i = j;
    }
    return digits > 0 && digits <= 5 && l->len - i == 3 && gm_has_suffix(l->s, l->len, "号");
}

/* A short line of ideographs ending with 令, over a 第N号 line. */
static int decree_mark(const gm_lines_t *L, size_t i)
{
    const gm_line_t *l = &L->v[i];
    return i + 1 < L->n && gm_has_suffix(l->s, l->len, "令") && gm_nchars(l->s, l->len) <= 20 &&
           !gm_any(l->s, l->len, not_in_organ_name) && decree_number_line(&L->v[i + 1]);
}

static int is_mark(const gm_line_t *l)
{
    return gm_has_suffix(l->s, l->len, "文件") && gm_nchars(l->s, l->len) <= MAX_MARK_CHARS &&
           !gm_find(l->s, l->len, "关于") && !gm_any(l->s, l->len, not_in_organ_name);
}

/* 份号: six digits or so, alone or after 份号. */
static int is_copy_number(const gm_line_t *l)
{
    const char *s = l->s;
    size_t len = l->len, i = 0;
    if (gm_has_prefix(s, len, "份号")) {
        s += 6;
        len -= 6;
        while (i < len) {
            size_t j = i;
            uint32_t c = gm_next(s, len, &j);
            if (!gm_is_blank(c) && c != ':')
                break;
            i = j;
        }
    }
    size_t digits = 0;
    while (i < len) {
        if (!gm_is_digit(gm_next(s, len, &i)))
            return 0;
        digits++;
    }
    return digits >= 1 && digits <= 8;
}

static int is_secrecy(const gm_line_t *l)
{
    return (gm_has_prefix(l->s, l->len, "绝密") || gm_has_prefix(l->s, l->len, "机密") ||
            gm_has_prefix(l->s, l->len, "秘密") || gm_has_prefix(l->s, l->len, "密级")) &&
           gm_nchars(l->s, l->len) <= 20;
}

static int is_urgency(const gm_line_t *l)
{
    static const char *const WORDS[] = {"特急", "加急", "特提", "平急", "急件"};
    for (size_t k = 0; k < sizeof WORDS / sizeof WORDS[0]; k++)
        if (l->len == strlen(WORDS[k]) && memcmp(l->s, WORDS[k], l->len) == 0)
            return 1;
    return gm_has_prefix(l->s, l->len, "紧急程度") && gm_nchars(l->s, l->len) <= 12;
}

/* An issue number, 〔2024〕第5期 or 第5期 or 总第12期: a 纪要 or 简报 head,
 * never a 文号. */
static int is_issue(const gm_line_t *l)
{
    return gm_has_suffix(l->s, l->len, "期") && gm_find(l->s, l->len, "第") && gm_any(l->s, l->len, gm_is_digit) &&
           gm_nchars(l->s, l->len) <= 20 && !gm_any(l->s, l->len, gm_is_sentence_punct);
}

/* A date in parentheses, or after a dash, with what the date is of:
 * （2023年8月28日…会议通过）, ——2023年1月10日在…会议上. */
static int is_adopted(const gm_line_t *l)
{
    gm_date_t d;
    size_t i = 0, e = l->len;
    if (gm_next(l->s, l->len, &i) != '(' || gm_prev(l->s, 0, &e) != ')')
        return 0;
    return gm_date_find(l->s, l->len, &d);
}

static int is_speech(const gm_line_t *l)
{
    gm_date_t d;
    return (gm_has_prefix(l->s, l->len, "—") || gm_has_prefix(l->s, l->len, "--") ||
            gm_has_prefix(l->s, l->len, "─")) &&
           gm_date_find(l->s, l->len, &d);
}

/* Organ names, then a date that ends the line, at least one blank between:
 * a 纪要's head or a signature printed on one line. Not the 印发 line. */
static int is_organ_date(const gm_line_t *l)
{
    gm_date_t d;
    if (!gm_date_find(l->s, l->len, &d) || d.from == 0)
        return 0;
    const char *rest = l->s + d.to;
    size_t rlen = l->len - d.to;
    gm_trim(&rest, &rlen);
    if (rlen != 0)
        return 0;
    size_t b = d.from;
    if (!gm_is_blank(gm_prev(l->s, 0, &b)))
        return 0;
    return gm_organ_fields(l->s, d.from, 1, NULL, 0) > 0;
}

static int is_printed(const gm_line_t *l)
{
    gm_date_t d;
    const char *s = l->s;
    size_t len = l->len;
    if (!gm_has_suffix(s, len, "印发"))
        return 0;
    len -= 6;
    gm_trim(&s, &len);
    return gm_date_find(s, len, &d) && d.to == len;
}

gm_kind_t gm_kind(const gm_lines_t *L, size_t i)
{
    const gm_line_t *l = &L->v[i];
    gm_docno_t dn;
    gm_date_t dt;
    if (l->len > GM_MAX_SHORT_LINE)
        return GM_TEXT;
    if (gm_docno_line(l->s, l->len, &dn))
        return GM_DOCNO;
    if (gm_has_prefix(l->s, l->len, "签发人"))
        return GM_SIGNER;
    if (decree_number_line(l) && i > 0 && decree_mark(L, i - 1))
        return GM_DECREE;
    if (is_mark(l) || decree_mark(L, i))
        return GM_MARK;
    if (is_copy_number(l))
        return GM_COPYNO;
    if (is_secrecy(l))
        return GM_SECRECY;
    if (is_urgency(l))
        return GM_URGENCY;
    if (is_issue(l))
        return GM_ISSUE;
    if (gm_date_whole(l->s, l->len, &dt))
        return GM_DATE;
    if (is_printed(l))
        return GM_PRINTED;
    if (is_adopted(l))
        return GM_ADOPTED;
    if (is_speech(l))
        return GM_SPEECH;
    if (is_organ_date(l))
        return GM_ORGAN_DATE;
    return GM_TEXT;
}

/* Lines that end with a colon but address no one. */
static const char *const NOT_RECIPIENTS[] = {
    "附件", "签发人", "抄送", "分送", "报送", "发送", "主题词", "公开方式", "联系人", "联系电话", "电话",
    "地址", "印发", "备注", "注", "时间", "地点", "出席", "列席", "参加",
};

int gm_is_recipients(const gm_line_t *l)
{
    size_t e = l->len;
    if (l->len > GM_MAX_SHORT_LINE || gm_prev(l->s, 0, &e) != ':' || l->indent >= 4)
        return 0;
    for (size_t k = 0; k < sizeof NOT_RECIPIENTS / sizeof NOT_RECIPIENTS[0]; k++)
        if (gm_has_prefix(l->s, l->len, NOT_RECIPIENTS[k]))
            return 0;
    /* A sentence that ends with a colon (现将有关事项通知如下：) is body. */
    size_t n = gm_nchars(l->s, l->len);
    return n >= 2 && n <= 200 && !gm_find(l->s, e, "。") && !memchr(l->s, ':', e) && !gm_find(l->s, e, "：") &&
           !gm_find(l->s, e, "如下") && !gm_find(l->s, e, "《");
}

/* Addressees too many for one line: a line the 主送机关 line continues,
 * ending with a comma or an enumeration comma. */
static int continues_recipients(const gm_line_t *l)
{
    size_t e = l->len;
    uint32_t c = gm_prev(l->s, 0, &e);
    return (c == ',' || c == 0x3001) && l->indent < 4 && l->len <= GM_MAX_SHORT_LINE && !gm_find(l->s, l->len, "。");
}

/* At most this many lines of addressees. */
#define MAX_RECIPIENT_LINES 5

size_t gm_recipients_start(const gm_lines_t *L, size_t i)
{
    size_t first = i;
    while (first > 0 && i - first < MAX_RECIPIENT_LINES - 1 && L->v[first].gap == 0 &&
           continues_recipients(&L->v[first - 1]) && gm_kind(L, first - 1) == GM_TEXT)
        first--;
    return first;
}

static int is_han_numeral(uint32_t c)
{
    return c == 0x4E00 || c == 0x4E8C || c == 0x4E09 || c == 0x56DB || c == 0x4E94 || c == 0x516D ||
           c == 0x4E03 || c == 0x516B || c == 0x4E5D || c == 0x5341;
}

/* Past the Chinese numerals at S[*i]; how many there were. */
static int numerals(const char *s, size_t len, size_t *i)
{
    int n = 0;
    while (*i < len) {
        size_t j = *i;
        if (!is_han_numeral(gm_next(s, len, &j)))
            break;
        *i = j;
        n++;
    }
    return n;
}

/* 一、 二、 …, （一）, 第一章, 第一条: the numbering of the body. */
static int is_numbered(const gm_line_t *l)
{
    const char *s = l->s;
    size_t len = l->len, i = 0, j;
    uint32_t c;
    if (numerals(s, len, &i) > 0)
        return i < len && gm_next(s, len, &i) == 0x3001; /* 、 */
    c = gm_next(s, len, &i);
    j = i;
    if (c == '(')
        return numerals(s, len, &i) > 0 && i < len && gm_next(s, len, &i) == ')';
    if (c == 0x7B2C /* 第 */ && numerals(s, len, &j) > 0 && j < len) {
        c = gm_next(s, len, &j);
        return c == 0x7AE0 /* 章 */ || c == 0x6761 /* 条 */ || c == 0x8282 /* 节 */;
    }
    return 0;
}

/* A paragraph of the body: numbered, or indented and reading as prose,
 * or flush left with full stops. Titles carry no sentence punctuation. */
static int is_paragraph(const gm_line_t *l)
{
    if (is_numbered(l))
        return 1;
    if (l->len > GM_MAX_SHORT_LINE)
        return l->indent >= 2 || gm_find(l->s, l->len, "。") != NULL;
    int punct = gm_any(l->s, l->len, gm_is_sentence_punct);
    if (l->indent >= 2)
        return punct || gm_nchars(l->s, l->len) > LONG_PARAGRAPH_CHARS;
    /* Flush left: full stops, or a long line of clauses. A title may hold
     * a comma but is seldom this long. */
    size_t n = gm_nchars(l->s, l->len);
    if (gm_find(l->s, l->len, "。") || gm_find(l->s, l->len, "；"))
        return n >= 10;
    return punct && n > LONG_PARAGRAPH_CHARS;
}

size_t gm_body_start(const gm_lines_t *L)
{
    for (size_t i = 0; i < L->n; i++) {
        if (gm_kind(L, i) != GM_TEXT)
            continue;
        if (gm_is_recipients(&L->v[i]) || is_paragraph(&L->v[i]))
            return i;
    }
    return L->n;
}
