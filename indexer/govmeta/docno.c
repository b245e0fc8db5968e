/*
 * docno.c — 发文字号: 机关代字 + year + serial + 号 (青政发〔2023〕12号),
 * and decrees without a year (国令第711号).
 *
 * A 文号 is found from its 号 backwards, which keeps every look-around
 * bounded: a few blanks, five digits, a bracket, four digits, a bracket,
 * fifteen letters. Whatever brackets and digits were typed, the result
 * is normalised to 〔〕 and ASCII, without 第 or blanks, as DOMAIN.md §3
 * describes the number.
 */
#include <stdlib.h>
#include <string.h>

#include "govmeta_int.h"

#define HAO "\xE5\x8F\xB7" /* 号 */
#define DI 0x7B2C          /* 第 */
#define LING 0x4EE4        /* 令 */

/* Blanks allowed between the parts ("青住建发 〔2023〕14 号"); a few, no more. */
#define MAX_BLANKS 4
/* The issuer code: 1..15 letters before the year (DOMAIN.md §3). */
#define MAX_ISSUER 15
/* A decree's issuer: 1..12 ideographs, then 令. */
#define MAX_DECREE_ISSUER 13

/* The year brackets seen in the wild, after folding (［ → [, （ → (). */
static int is_open(uint32_t c)
{
    return c == 0x3014 || c == '[' || c == '(' || c == 0x3010 || c == 0x3016 || c == 0xFE5D || c == 0x3018;
}

static int is_close(uint32_t c)
{
    return c == 0x3015 || c == ']' || c == ')' || c == 0x3011 || c == 0x3017 || c == 0xFE5E || c == 0x3019;
}

static void blanks_back(const char *s, size_t from, size_t *i)
{
    for (int n = 0; n < MAX_BLANKS; n++) {
        size_t j = *i;
        if (!gm_is_blank(gm_prev(s, from, &j)))
            return;
        *i = j;
    }
}

/* The digits ending at *i (at most MAX, and not one more before them):
 * their number, their value in *V; -1 when there are too many. */
static int digits_back(const char *s, size_t from, size_t *i, int max, long *v)
{
    long value = 0, scale = 1;
    int n = 0;
    for (;;) {
        size_t j = *i;
        uint32_t c = gm_prev(s, from, &j);
        if (!gm_is_digit(c))
            break;
        if (n == max)
            return -1;
        value += (long)(c - '0') * scale;
        scale *= 10;
        *i = j;
        n++;
    }
    *v = value;
    return n;
}

/*
 * Words that run into the issuer code in a sentence ("根据国办发〔2019〕1号",
 * "…12号和青政发〔2023〕13号"): no issuer code begins with them, so they
 * are cut off the front.
 */
#define WORD(w) {w, sizeof w - 1}
static const struct {
    const char *w;
    size_t n;
} LEAD_WORDS[] = {
    WORD("根据"), WORD("依据"), WORD("按照"), WORD("依照"), WORD("参照"), WORD("遵照"), WORD("对照"),
    WORD("结合"), WORD("贯彻"), WORD("落实"), WORD("执行"), WORD("印发"), WORD("转发"), WORD("批转"),
    WORD("下发"), WORD("现将"), WORD("特将"), WORD("并将"), WORD("按"), WORD("据"), WORD("依"),
    WORD("将"), WORD("把"), WORD("对"), WORD("是"), WORD("为"), WORD("即"), WORD("在"),
    WORD("以"), WORD("的"), WORD("和"), WORD("及"), WORD("与"), WORD("或"), WORD("并"),
    WORD("号"), WORD("等"), WORD("年"), WORD("月"), WORD("日"), WORD("见"),
};

static size_t trim_lead_words(const char *s, size_t b, size_t e)
{
    size_t k = 0;
    while (k < sizeof LEAD_WORDS / sizeof LEAD_WORDS[0]) {
        size_t m = LEAD_WORDS[k].n;
        /* Every word is ideographs, three bytes each: the first byte that
         * differs settles most of them. */
        if (e - b > m && s[b + 2] == LEAD_WORDS[k].w[2] && memcmp(s + b, LEAD_WORDS[k].w, m) == 0) {
            b += m;
            k = 0;
        } else {
            k++;
        }
    }
    return b;
}

/* The 〔year〕serial form; *I is just before the closing bracket. */
static int year_form(const char *s, size_t from, size_t i, gm_docno_t *d)
{
    long year;
    blanks_back(s, from, &i);
    if (digits_back(s, from, &i, 4, &year) != 4 || year < 1900 || year > 2099)
        return 0;
    blanks_back(s, from, &i);
    size_t j = i;
    if (!is_open(gm_prev(s, from, &j)))
        return 0;
    i = j;
    blanks_back(s, from, &i);
    size_t e = i;
    int n = 0;
    for (; n < MAX_ISSUER; n++) {
        j = i;
        if (!gm_is_letter(gm_prev(s, from, &j)))
            break;
        i = j;
    }
    if (i == e)
        return 0;
    j = i;
    d->before = gm_prev(s, from, &j);
    d->delimited = !gm_is_letter(d->before);
    d->run = i;
    d->issuer_end = e;
    d->year = (int)year;
    d->decree = 0;
    return 1;
}

/* The 令第N号 form; *I is just after 令. */
static int decree_form(const char *s, size_t from, size_t i, gm_docno_t *d)
{
    size_t e = i, j = i;
    gm_prev(s, from, &j); /* 令 itself */
    i = j;
    int n = 1;
    while (n < MAX_DECREE_ISSUER) {
        j = i;
        if (!gm_is_han(gm_prev(s, from, &j)))
            break;
        i = j;
        n++;
    }
    if (n < 2)
        return 0;
    j = i;
    d->before = gm_prev(s, from, &j);
    d->delimited = !gm_is_han(d->before);
    d->run = i;
    d->issuer_end = e;
    d->year = 0;
    d->decree = 1;
    return 1;
}

/* Does the 号 at S[hao..hao+3) end a 文号 (nothing before FROM)? */
static int ending_at(const char *s, size_t from, size_t hao, gm_docno_t *d)
{
    size_t i = hao;
    long serial;
    blanks_back(s, from, &i);
    int nd = digits_back(s, from, &i, 5, &serial);
    if (nd < 1)
        return 0;
    blanks_back(s, from, &i);
    size_t j = i;
    uint32_t c = gm_prev(s, from, &j);
    int di = 0;
    if (c == DI) {
        di = 1;
        i = j;
        blanks_back(s, from, &i);
        j = i;
        c = gm_prev(s, from, &j);
    }
    int ok;
    if (is_close(c))
        ok = year_form(s, from, j, d);
    else if (di && c == LING)
        ok = decree_form(s, from, i, d);
    else
        ok = 0;
    if (!ok)
        return 0;
    d->serial = serial;
    d->from = trim_lead_words(s, d->run, d->issuer_end);
    d->to = hao + 3;
    return 1;
}

/* The next 号 at or after POS: its last byte found with memchr, which
 * stays fast however many there are (memmem restarts at every hit). */
static const char *next_hao(const char *s, size_t pos, size_t len)
{
    while (pos + 3 <= len) {
        const char *p = memchr(s + pos + 2, HAO[2], len - pos - 2);
        if (!p)
            return NULL;
        if (p[-2] == HAO[0] && p[-1] == HAO[1])
            return p - 2;
        pos = (size_t)(p - s) - 1;
    }
    return NULL;
}

int gm_docno_next(const char *s, size_t from, size_t len, size_t *pos, gm_docno_t *d)
{
    while (*pos < len) {
        const char *h = next_hao(s, *pos, len);
        if (!h)
            break;
        size_t hao = (size_t)(h - s);
        *pos = hao + 3;
        if (ending_at(s, from, hao, d))
            return 1;
    }
    *pos = len;
    return 0;
}

int gm_docno_line(const char *s, size_t len, gm_docno_t *d)
{
    size_t pos = 0, b = 0;
    const char *inner = s;
    size_t n = len;
    /* A number printed in parentheses on its own line is still the number. */
    if (n >= 2 && (gm_has_prefix(s, n, "（") || s[0] == '(')) {
        size_t k = 0;
        gm_next(s, n, &k);
        size_t e = n;
        uint32_t c = gm_prev(s, k, &e);
        if (c == ')') {
            inner = s + k;
            n = e - k;
            b = k;
        }
    }
    if (!gm_docno_next(inner, 0, n, &pos, d) || d->run != 0 || d->from != 0)
        return 0;
    const char *rest = inner + d->to;
    size_t rlen = n - d->to;
    gm_trim(&rest, &rlen);
    if (rlen != 0 && !gm_has_prefix(rest, rlen, "签发人"))
        return 0;
    d->from += b;
    d->run += b;
    d->issuer_end += b;
    d->to += b;
    return 1;
}

/* N in decimal, without leading zeros. */
static void put_number(gk_buf_t *b, long n)
{
    char digits[24];
    size_t k = sizeof digits;
    do {
        digits[--k] = (char)('0' + n % 10);
        n /= 10;
    } while (n > 0 && k > 0);
    gk_buf_append(b, digits + k, sizeof digits - k);
}

void gm_docno_put(gk_buf_t *b, const char *s, const gm_docno_t *d)
{
    gm_put_folded(b, s + d->from, d->issuer_end - d->from);
    if (d->decree) {
        gk_buf_puts(b, "第");
    } else {
        gk_buf_puts(b, "〔");
        put_number(b, d->year);
        gk_buf_puts(b, "〕");
    }
    put_number(b, d->serial);
    gk_buf_puts(b, "号");
}

char *gk_docno_normalise(const char *s)
{
    if (!s)
        return NULL;
    size_t len = strlen(s), pos = 0;
    gm_trim(&s, &len);
    gm_docno_t d;
    if (!gm_docno_next(s, 0, len, &pos, &d) || d.run != 0 || d.from != 0 || d.to != len)
        return NULL;
    gk_buf_t b = GK_BUF_INIT;
    gm_docno_put(&b, s, &d);
    return gk_buf_steal(&b);
}
