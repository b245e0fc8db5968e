/*
 * export.c — a year's items as the two lists the offices hand on: the
 * 归档文件目录 (filing list, DA/T 22-2015) for the archives, and the
 * 公开目录 (disclosure catalogue) for the portal, with a short summary
 * (内容概述) taken from each text.
 */
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "utf8.h"

/* 内容概述: about this many characters of the text's first paragraph. */
#define SUMMARY_CHARS 80

/* Is LINE (LEN bytes) one of the head lines a summary must skip: the
 * title, the 文号, a line ending in a colon (主送机关)? */
static int head_line(const gk_item_t *it, const char *line, size_t len)
{
    if (it->title && strlen(it->title) == len && memcmp(it->title, line, len) == 0)
        return 1;
    if (it->title && len < strlen(it->title) && memmem(it->title, strlen(it->title), line, len))
        return 1; /* a title wrapped over lines */
    if (len >= 3 && (memcmp(line + len - 3, "：", 3) == 0 || line[len - 1] == ':'))
        return 1;
    return it->docno && len < 64 && memmem(line, len, "号", 3) && memmem(line, len, "〔", 3);
}

/* The first paragraph of TEXT long enough to say what the document is
 * about, cut at SUMMARY_CHARS characters. malloc'd. */
static char *summary_of(const gk_item_t *it, const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t pos = 0;
    while (pos < len) {
        size_t end = pos;
        while (end < len && s[end] != '\n')
            end++;
        /* Trim ASCII blanks and ideographic spaces. */
        size_t b = pos, e = end;
        for (;;) {
            if (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r'))
                b++;
            else if (b + 3 <= e && s[b] == 0xE3 && s[b + 1] == 0x80 && s[b + 2] == 0x80)
                b += 3;
            else
                break;
        }
        while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r'))
            e--;
        size_t chars = 0;
        for (size_t i = b; i < e; i++)
            chars += (s[i] & 0xC0) != 0x80;
        if (chars >= 20 && !head_line(it, text + b, e - b)) {
            size_t i = b, n = 0;
            while (i < e && n < SUMMARY_CHARS) {
                gk_utf8_next(s, e, &i);
                n++;
            }
            gk_buf_t out = GK_BUF_INIT;
            gk_buf_append(&out, text + b, i - b);
            if (i < e)
                gk_buf_puts(&out, "…");
            return gk_buf_steal(&out);
        }
        pos = end + 1;
    }
    return strdup("");
}

gk_status_t gk_export_items(gk_data_t *d, int year, int public_only, gk_export_fn fn, void *ctx)
{
    sqlite3_stmt *st;
    const char *sql =
        "SELECT id FROM items WHERE COALESCE(year, CAST(substr(date,1,4) AS INTEGER)) = ?1"
        " AND (?2 = 0 OR visibility = 'public')"
        " ORDER BY archive_code IS NULL, archive_code, date, id";
    if (sqlite3_prepare_v2(d->db, sql, -1, &st, NULL) != SQLITE_OK)
        return gk__fail(d, GK_ERR_CATALOGUE, "exporting: %s", sqlite3_errmsg(d->db));
    sqlite3_bind_int(st, 1, year);
    sqlite3_bind_int(st, 2, public_only);
    gk_status_t rc = GK_OK;
    int r;
    int64_t n = 0;
    while (rc == GK_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        gk_item_t *it;
        if ((rc = gk__cat_get(d->db, sqlite3_column_int64(st, 0), &it)) != GK_OK)
            break;
        char *text = NULL, *summary = NULL;
        size_t len = 0;
        if (gk__cat_text(d->db, it->id, &text, &len) == GK_OK)
            summary = summary_of(it, text, len);
        gk_export_row_t row = {.item = it, .number = ++n, .summary = summary ? summary : ""};
        fn(ctx, &row);
        free(summary);
        free(text);
        gk_item_free(it);
    }
    if (rc == GK_OK && r != SQLITE_DONE)
        rc = gk__fail(d, GK_ERR_CATALOGUE, "exporting: %s", sqlite3_errmsg(d->db));
    sqlite3_finalize(st);
    return rc;
}
