/*
 * markdown.c — Markdown is stored verbatim, as text; only the title
 * differs: the first ATX heading ("# Title") when there is one.
 */
#include <string.h>

#include "extract.h"

/* If LINE[0..len) is an ATX heading, its text range; 0 otherwise.
 * CommonMark: up to 3 spaces, 1-6 '#', then a blank or the line end;
 * an optional closing run of '#' preceded by a blank is not part of it. */
static int atx_heading(const char *line, size_t len, size_t *b, size_t *e)
{
    size_t i = 0, hashes = 0;
    while (i < len && i < 3 && line[i] == ' ')
        i++;
    while (i < len && line[i] == '#')
        i++, hashes++;
    if (hashes < 1 || hashes > 6)
        return 0;
    if (i < len && line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
        return 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    size_t end = len;
    while (end > i && (line[end - 1] == ' ' || line[end - 1] == '\t' || line[end - 1] == '\r'))
        end--;
    size_t close = end;
    while (close > i && line[close - 1] == '#')
        close--;
    if (close < end && (close == i || line[close - 1] == ' ' || line[close - 1] == '\t')) {
        end = close;
        while (end > i && (line[end - 1] == ' ' || line[end - 1] == '\t'))
            end--;
    }
    *b = i;
    *e = end;
    return 1;
}

static int fence(const char *line, size_t len)
{
    size_t i = 0;
    while (i < len && i < 3 && line[i] == ' ')
        i++;
    return len - i >= 3 && (!strncmp(line + i, "```", 3) || !strncmp(line + i, "~~~", 3));
}

static gk_status_t markdown_title(gk_fields_t *f)
{
    const char *s = gk_buf_str(&f->body);
    size_t len = f->body.len, pos = 0;
    int in_code = 0;
    while (pos < len) {
        const char *nl = memchr(s + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - s) : len, b, e;
        if (fence(s + pos, end - pos))
            in_code = !in_code;
        else if (!in_code && atx_heading(s + pos, end - pos, &b, &e) && e > b)
            return gk_fields_set(&f->title, s + pos + b, e - b);
        pos = end + 1;
    }
    return GK_OK;
}

static gk_status_t markdown_extract(const gk_input_t *in, const gk_extract_limits_t *lim,
                                    gk_fields_t *out)
{
    gk_status_t rc = gk_extractor_text.extract(in, lim, out);
    if (rc != GK_OK)
        return rc;
    if (markdown_title(out) != GK_OK)
        return gk_fields_fail(out, GK_ERR_NOMEM, "out of memory");
    return GK_OK;
}

static const char *const markdown_types[] = {"text/markdown", "text/x-markdown", NULL};

const gk_extractor_t gk_extractor_markdown = {"markdown", markdown_types, markdown_extract, 0};
