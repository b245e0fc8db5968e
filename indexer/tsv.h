/*
 * tsv.h — the tab-separated files people edit in a data directory (the
 * catalogue taxonomy, the category rules): one record per line, a header
 * row naming the columns, '#' comment lines, blank lines ignored, CRLF and
 * a UTF-8 byte order mark tolerated.
 */
#ifndef GK_TSV_H
#define GK_TSV_H

#include <stddef.h>

#include "gongkai.h"

#define GK_TSV_MAX_FIELDS 16

typedef struct gk_tsv_row {
    int line;                          /* 1-based, for messages */
    size_t nfields;
    const char *field[GK_TSV_MAX_FIELDS]; /* NUL-terminated, trimmed of blanks */
} gk_tsv_row_t;

/* Called for every record after the header; non-zero stops the walk and is
 * returned. */
typedef int (*gk_tsv_fn)(void *ctx, const gk_tsv_row_t *row);

/*
 * Walk TEXT (LEN bytes, UTF-8). The header must hold the columns named in
 * WANT, in that order (extra columns after them are allowed). Records with
 * fewer fields get "" for the missing ones. Returns GK_OK, the callback's
 * non-zero value, GK_ERR_INVALID (bad header or encoding: a message naming
 * SOURCE and the line in ERR) or GK_ERR_NOMEM.
 */
int gk_tsv_each(const char *text, size_t len, const char *source, const char *const *want, size_t nwant,
                gk_tsv_fn fn, void *ctx, char *err, size_t errlen);

/* Read the whole file PATH (at most 16 MB) into *text (NUL-terminated;
 * caller frees); ERR names the path. */
gk_status_t gk_tsv_read_file(const char *path, char **text, size_t *len, char *err, size_t errlen);

#endif
