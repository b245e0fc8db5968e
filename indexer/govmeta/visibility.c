/*
 * visibility.c — 公开方式, as printed under the signature: a line
 * `公开方式：主动公开` (or 依申请公开, 不予公开), or the 附注 （此件公开发布）.
 *
 * Only a line that begins with the label and says one of the three
 * values counts: bodies mention 依申请公开 and 不予公开 freely, and a
 * numbered paragraph 三、公开方式。… is about something else.
 */
#include <string.h>

#include "govmeta_int.h"

/* The value that the words of S state, or NULL. The negative forms are
 * tested first: 不予公开 contains 公开 as 主动公开 does. */
static const char *value_of(const char *s, size_t len)
{
    if (gm_find(s, len, "不予公开") || gm_find(s, len, "不公开") || gm_find(s, len, "免予公开"))
        return "internal";
    if (gm_find(s, len, "依申请公开"))
        return "application";
    if (gm_find(s, len, "主动公开") || gm_find(s, len, "公开发布"))
        return "public";
    return NULL;
}

/* `公开方式：…`: the value after the label and its colon. */
static const char *from_label(const gm_line_t *l)
{
    static const char LABEL[] = "公开方式";
    if (!gm_has_prefix(l->s, l->len, LABEL))
        return NULL;
    size_t i = sizeof LABEL - 1;
    while (i < l->len) {
        size_t j = i;
        uint32_t c = gm_next(l->s, l->len, &j);
        if (c == ':')
            return value_of(l->s + j, l->len - j);
        if (!gm_is_blank(c))
            return NULL;
        i = j;
    }
    return NULL;
}

/* （此件公开发布）, （此件依申请公开）: the whole line in parentheses. */
static const char *from_note(const gm_line_t *l)
{
    size_t i = 0, e = l->len;
    if (gm_next(l->s, l->len, &i) != '(' || gm_prev(l->s, 0, &e) != ')' || e < i)
        return NULL;
    if (!gm_has_prefix(l->s + i, e - i, "此件") || gm_nchars(l->s + i, e - i) > 12)
        return NULL;
    return value_of(l->s + i, e - i);
}

const char *gm_find_visibility(const gm_lines_t *L, size_t from, const char **rule, double *conf)
{
    for (size_t i = from; i < L->n; i++) {
        const char *v = from_label(&L->v[i]);
        if (v) {
            *rule = "visibility-line";
            *conf = 0.95;
            return v;
        }
        v = from_note(&L->v[i]);
        if (v) {
            *rule = "visibility-note";
            *conf = 0.9;
            return v;
        }
    }
    *rule = NULL;
    *conf = 0;
    return NULL;
}
