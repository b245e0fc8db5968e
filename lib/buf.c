/* buf.c — growable byte buffer with sticky allocation errors. */
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int buf_reserve(gk_buf_t *b, size_t extra)
{
    if (b->failed)
        return 0;
    if (b->len + extra + 1 <= b->cap)
        return 1;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) {
        if (cap > ((size_t)-1) / 2) {
            b->failed = 1;
            return 0;
        }
        cap *= 2;
    }
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = 1;
        return 0;
    }
    b->data = p;
    b->cap = cap;
    return 1;
}

void gk_buf_append(gk_buf_t *b, const void *data, size_t len)
{
    if (!buf_reserve(b, len))
        return;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void gk_buf_puts(gk_buf_t *b, const char *s) { gk_buf_append(b, s, strlen(s)); }

void gk_buf_putc(gk_buf_t *b, char c) { gk_buf_append(b, &c, 1); }

void gk_buf_printf(gk_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !buf_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void gk_buf_append_html(gk_buf_t *b, const char *s, size_t len)
{
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        default: continue;
        }
        gk_buf_append(b, s + run, i - run);
        gk_buf_puts(b, rep);
        run = i + 1;
    }
    gk_buf_append(b, s + run, len - run);
}

void gk_buf_reset(gk_buf_t *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void gk_buf_free(gk_buf_t *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}

char *gk_buf_steal(gk_buf_t *b)
{
    if (b->failed) {
        gk_buf_free(b);
        return NULL;
    }
    char *p = b->data ? b->data : strdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}
