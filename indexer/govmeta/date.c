/*
 * date.c — dates as 公文 print them: 2023年5月12日 (also zero-padded or
 * with blanks between the parts), 二〇二三年五月十二日 (the zero written
 * 〇, ○, O or 零), and 2023.5.12, 2023-05-12, 2023/5/12.
 *
 * Every form is read forwards from its first character with a bounded
 * look-ahead, so finding all dates of a line is linear in its length.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "govmeta_int.h"

#define NIAN 0x5E74 /* 年 */
#define YUE 0x6708  /* 月 */
#define RI 0x65E5   /* 日 */
#define SHI 0x5341  /* 十 */

/* Blanks between the parts ("2024 年 2 月 20 日"); a few at most. */
#define MAX_BLANKS 3

typedef struct cursor {
    const char *s;
    size_t len, i;
} cursor_t;

static uint32_t peek(const cursor_t *c)
{
    if (c->i >= c->len)
        return 0;
    size_t j = c->i;
    return gm_next(c->s, c->len, &j);
}

static void skip(cursor_t *c)
{
    if (c->i < c->len)
        gm_next(c->s, c->len, &c->i);
}

static void blanks(cursor_t *c)
{
    for (int n = 0; n < MAX_BLANKS && gm_is_blank(peek(c)); n++)
        skip(c);
}

/* Up to MAX ASCII digits; their number (0 when none, -1 when more follow). */
static int number(cursor_t *c, int max, int *v)
{
    int n = 0;
    *v = 0;
    while (gm_is_digit(peek(c))) {
        if (n == max)
            return -1;
        *v = *v * 10 + (int)(peek(c) - '0');
        skip(c);
        n++;
    }
    return n;
}

static int valid(int y, int m, int d)
{
    return y >= 1900 && y <= 2099 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* One or two digits, then the character UNIT (月, 日), blanks allowed
 * around the number; the cursor ends just past UNIT. */
static int number_then(cursor_t *t, uint32_t unit, int *v)
{
    blanks(t);
    if (number(t, 2, v) < 1)
        return 0;
    blanks(t);
    if (peek(t) != unit)
        return 0;
    skip(t);
    return 1;
}

/* 2023年5月12日 or 2023.5.12 / 2023-05-12 / 2023/5/12. */
static int arabic(cursor_t *c, gm_date_t *d)
{
    int y, m, day;
    if (number(c, 4, &y) != 4)
        return 0;
    cursor_t t = *c;
    blanks(&t);
    if (peek(&t) == NIAN) {
        skip(&t);
        if (!number_then(&t, YUE, &m) || !number_then(&t, RI, &day))
            return 0;
    } else {
        uint32_t sep = peek(c);
        if (sep != '.' && sep != '-' && sep != '/')
            return 0;
        t = *c;
        skip(&t);
        if (number(&t, 2, &m) < 1 || peek(&t) != sep)
            return 0;
        skip(&t);
        if (number(&t, 2, &day) < 1)
            return 0;
    }
    if (!valid(y, m, day))
        return 0;
    *c = t;
    d->y = y;
    d->m = m;
    d->d = day;
    return 1;
}

/* A Chinese digit 0..9, or -1. The zero has many spellings. */
static int han_digit(uint32_t c)
{
    switch (c) {
    case 0x3007: case 0x25CB: case 0x25EF: case 0x96F6: case 'O': case 'o': case '0':
        return 0;
    case 0x4E00: return 1;
    case 0x4E8C: return 2;
    case 0x4E09: return 3;
    case 0x56DB: return 4;
    case 0x4E94: return 5;
    case 0x516D: return 6;
    case 0x4E03: return 7;
    case 0x516B: return 8;
    case 0x4E5D: return 9;
    default:
        return -1;
    }
}

/* 一 … 九, 十, 十一 … 十九, 二十 … 三十一: a month or a day. */
static int han_number(cursor_t *c)
{
    int v = 0, tens = -1;
    int u = han_digit(peek(c));
    if (peek(c) == SHI) {
        tens = 1;
        skip(c);
    } else if (u >= 1) {
        skip(c);
        if (peek(c) == SHI) {
            tens = u;
            skip(c);
        } else {
            return u;
        }
    } else {
        return -1;
    }
    v = tens * 10;
    u = han_digit(peek(c));
    if (u >= 1) {
        skip(c);
        v += u;
    }
    return v;
}

/* 二〇二三年五月十二日. */
static int chinese(cursor_t *c, gm_date_t *d)
{
    int y = 0;
    cursor_t t = *c;
    for (int k = 0; k < 4; k++) {
        int v = han_digit(peek(&t));
        if (v < 0)
            return 0;
        y = y * 10 + v;
        skip(&t);
    }
    if (peek(&t) != NIAN)
        return 0;
    skip(&t);
    int m = peek(&t) == 0x5143 /* 元 */ ? (skip(&t), 1) : han_number(&t);
    if (m < 0 || peek(&t) != YUE)
        return 0;
    skip(&t);
    int day = han_number(&t);
    if (day < 0 || peek(&t) != RI)
        return 0;
    skip(&t);
    if (!valid(y, m, day))
        return 0;
    *c = t;
    d->y = y;
    d->m = m;
    d->d = day;
    return 1;
}

int gm_date_at(const char *s, size_t len, size_t i, gm_date_t *d)
{
    cursor_t c = {s, len, i};
    uint32_t first = peek(&c);
    int ok;
    if (gm_is_digit(first)) {
        ok = arabic(&c, d);
        /* 2023.5.120 is no date. */
        if (ok && gm_is_digit(peek(&c)))
            ok = 0;
        if (!ok) {
            c.i = i;
            ok = chinese(&c, d);
        }
    } else {
        ok = han_digit(first) >= 0 && chinese(&c, d);
    }
    if (!ok)
        return 0;
    d->from = i;
    d->to = c.i;
    return 1;
}

int gm_date_find(const char *s, size_t len, gm_date_t *d)
{
    size_t i = 0;
    uint32_t prev = 0;
    while (i < len) {
        size_t j = i;
        uint32_t c = gm_next(s, len, &j);
        /* A date does not start inside a number. */
        if (!gm_is_digit(prev) && gm_date_at(s, len, i, d))
            return 1;
        prev = c;
        i = j;
    }
    return 0;
}

int gm_date_whole(const char *s, size_t len, gm_date_t *d)
{
    gm_trim(&s, &len);
    if (!gm_date_at(s, len, 0, d))
        return 0;
    const char *rest = s + d->to;
    size_t rlen = len - d->to;
    gm_trim(&rest, &rlen);
    return rlen == 0;
}

char *gm_date_string(const gm_date_t *d)
{
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", d->y, d->m, d->d);
    return strdup(tmp);
}
