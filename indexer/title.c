/* title.c — choosing an item's title (title.h). */
#include "title.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicode/uchar.h>

#include "utf8.h"

/* Longest first line, in characters, still taken as a title. */
#define TITLE_MAX_CHARS 80

static int is_blank(uint32_t c)
{
    return c == 0xFEFF || u_isUWhiteSpace((UChar32)c);
}

void gk_trim_blanks(const unsigned char *s, size_t from, size_t to, size_t *b, size_t *e)
{
    size_t i = from;
    while (i < to) {
        size_t j = i;
        if (!is_blank(gk_utf8_next(s, to, &j)))
            break;
        i = j;
    }
    *b = i;
    *e = i;
    while (i < to) {
        if (!is_blank(gk_utf8_next(s, to, &i)))
            *e = i;
    }
}

static size_t count_chars(const unsigned char *s, size_t len)
{
    size_t i = 0, n = 0;
    while (i < len) {
        gk_utf8_next(s, len, &i);
        n++;
    }
    return n;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

int gk_title_is_useless(const char *title)
{
    if (!title)
        return 1;
    size_t b, e;
    gk_trim_blanks((const unsigned char *)title, 0, strlen(title), &b, &e);
    if (e == b)
        return 1;
    static const char *const defaults[] = {"Microsoft Word - ", "Microsoft PowerPoint - ", "Untitled", "无标题",
                                           "新建 ", "文档", "PowerPoint Presentation"};
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
        if (strncasecmp(title + b, defaults[i], strlen(defaults[i])) == 0)
            return 1;
    static const char *const extensions[] = {".doc", ".docx", ".wps", ".pdf", ".ofd", ".xls", ".xlsx",
                                             ".rtf", ".odt", ".txt", ".ppt", ".pptx", ".html", ".htm"};
    for (size_t i = 0; i < sizeof extensions / sizeof extensions[0]; i++)
        if (ends_with(title, extensions[i]))
            return 1;
    return 0;
}

gk_status_t gk_title_from_body(gk_fields_t *f)
{
    const unsigned char *s = (const unsigned char *)gk_buf_str(&f->body);
    size_t len = f->body.len, pos = 0;
    while (pos < len) {
        const unsigned char *nl = memchr(s + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - s) : len, b, e;
        gk_trim_blanks(s, pos, end, &b, &e);
        if (e > b) {
            if (count_chars(s + b, e - b) <= TITLE_MAX_CHARS)
                return gk_fields_set(&f->title, (const char *)s + b, e - b);
            return GK_OK;
        }
        pos = end + 1;
    }
    return GK_OK;
}
