/*
 * doctype.c — the 文种 a title ends with.
 *
 * A title is issuer + 关于…的 + 文种, so the type is read off its end:
 * the longest known type wins (工作要点 over 要点, 命令 over 令). The
 * statutory fifteen come first in the table, then the record types the
 * portals use; compounds fold to their base type, as DOMAIN.md §3 says
 * (实施意见 → 意见, 会议纪要 → 纪要).
 */
#include <string.h>

#include "govmeta_int.h"

typedef struct doctype {
    const char *suffix; /* what the title ends with */
    const char *type;   /* the 文种 it stands for */
} doctype_t;

static const doctype_t TYPES[] = {
    /* 党政机关公文处理工作条例, art. 8 */
    {"决议", "决议"}, {"决定", "决定"}, {"命令", "命令"}, {"令", "令"}, {"公报", "公报"},
    {"公告", "公告"}, {"通告", "通告"}, {"意见", "意见"}, {"通知", "通知"}, {"通报", "通报"},
    {"报告", "报告"}, {"请示", "请示"}, {"批复", "批复"}, {"议案", "议案"}, {"函", "函"},
    {"纪要", "纪要"},
    /* compounds folded to the base type */
    {"实施意见", "意见"}, {"复函", "函"}, {"会议纪要", "纪要"}, {"工作总结", "总结"},
    {"实施细则", "细则"}, {"实施办法", "办法"}, {"实施方案", "方案"}, {"年报", "报告"},
    /* regulations and the record types of the disclosure portals */
    {"条例", "条例"}, {"规定", "规定"}, {"办法", "办法"}, {"细则", "细则"}, {"规则", "规则"},
    {"方案", "方案"}, {"规划", "规划"}, {"计划", "计划"}, {"要点", "要点"}, {"工作要点", "工作要点"},
    {"总结", "总结"}, {"公示", "公示"}, {"预案", "预案"}, {"应急预案", "应急预案"}, {"指南", "指南"},
    {"章程", "章程"}, {"标准", "标准"}, {"清单", "清单"}, {"目录", "目录"}, {"纲要", "纲要"},
    {"守则", "守则"}, {"准则", "准则"}, {"导则", "导则"}, {"规程", "规程"}, {"指引", "指引"},
    {"须知", "须知"}, {"制度", "制度"}, {"简报", "简报"}, {"答复", "答复"}, {"说明", "说明"},
};

/* The verbs of a notice that prints or forwards another document. */
static const char *const PRINTING[] = {"印发", "转发", "批转"};

/* S without one trailing parenthetical: （试行）, （2023—2025年）, (摘要). */
static int drop_parenthetical(const char *s, size_t *len)
{
    size_t e = *len, i = e;
    uint32_t c = gm_prev(s, 0, &i);
    if (c != ')')
        return 0;
    int depth = 1;
    while (i > 0) {
        c = gm_prev(s, 0, &i);
        if (c == ')')
            depth++;
        else if (c == '(' && --depth == 0)
            break;
    }
    if (depth != 0 || i == 0)
        return 0;
    const char *t = s;
    size_t n = i;
    gm_trim(&t, &n);
    *len = n;
    return 1;
}

/* Where the last printing verb of S ends, or 0. */
static size_t after_printing_verb(const char *s, size_t len)
{
    size_t best = 0;
    for (size_t k = 0; k < sizeof PRINTING / sizeof PRINTING[0]; k++) {
        const char *p = s, *hit;
        size_t m = strlen(PRINTING[k]);
        while ((hit = gm_find(p, len - (size_t)(p - s), PRINTING[k])) != NULL) {
            p = hit + m;
            if ((size_t)(p - s) > best)
                best = (size_t)(p - s);
        }
    }
    return best;
}

static const char *longest_suffix(const char *s, size_t len)
{
    const char *type = NULL;
    size_t best = 0;
    for (size_t k = 0; k < sizeof TYPES / sizeof TYPES[0]; k++) {
        size_t m = strlen(TYPES[k].suffix);
        if (m > best && gm_has_suffix(s, len, TYPES[k].suffix)) {
            best = m;
            type = TYPES[k].type;
        }
    }
    return type;
}

const char *gm_doctype(const char *s, size_t len, int *printed)
{
    *printed = 0;
    gm_trim(&s, &len);
    /* A title quoted whole: 《青山县政府投资项目管理办法》. */
    if (gm_has_prefix(s, len, "《") && gm_has_suffix(s, len, "》") && len > 6) {
        s += 3;
        len -= 6;
    }
    for (int k = 0; k < 3 && drop_parenthetical(s, &len); k++)
        ;
    size_t verb = after_printing_verb(s, len);
    const char *type = longest_suffix(s, len);
    /*
     * 关于印发《…办法》的通知 ends with 通知 anyway; a title that ends with
     * the printed document itself (…印发《…》, …印发…办法 with no 的
     * after the verb) is still the notice that prints it.
     */
    if (verb && (gm_has_suffix(s, len, "》") ||
                 (type && strcmp(type, "通知") != 0 && !gm_find(s + verb, len - verb, "的")))) {
        *printed = 1;
        return "通知";
    }
    return type;
}

const char *gk_doctype_of_title(const char *title)
{
    int printed;
    return title ? gm_doctype(title, strlen(title), &printed) : NULL;
}
