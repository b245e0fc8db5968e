/*
 * manifest.h — the 归档文件目录 (filing list) a records office hands over
 * with a year's documents (DA/T 22-2015, DOMAIN.md §4), read from CSV so
 * that its values can stand in for the ones extracted from the files.
 *
 * The file: RFC 4180 CSV (csv.h) in UTF-8, with or without BOM, or in
 * GB18030/GBK; a file whose first row holds tabs and no commas is read as
 * tab-separated (what spreadsheets save as "Unicode text"). The header row
 * names the columns in any order:
 *
 *   件号 (序号)                 number, as written
 *   档号                        archive code
 *   责任者 (发文机关)           organ
 *   文号 (发文字号)             document number, as written
 *   题名 (标题, 文件题名)       title                        required
 *   日期 (成文日期)             YYYYMMDD, YYYY-MM-DD, YYYY/M/D, YYYY.M.D or
 *                               YYYY年M月D日, kept as YYYY-MM-DD
 *   页数                        a whole number
 *   密级, 公开属性, 公开方式,   主动公开/公开, 依申请公开, 不予公开, a 密级
 *   密级/公开属性               (秘密, 机密, 绝密, maybe ★ and a period),
 *                               or public/application/internal
 *   备注                        note
 *   文件名 (文件, 电子文件名)   the file, maybe with a relative path  required
 *
 * Other columns are ignored. A list may have both a 密级 and a 公开属性
 * column; they must then agree where both are filled. Rows above the
 * header that name no known column (a printed list's title row) are
 * skipped, as are blank rows. Values are trimmed of blanks, the
 * ideographic space included. Every row needs a 文件名 and a 题名, and no
 * 文件名 may be listed twice.
 */
#ifndef GK_MANIFEST_H
#define GK_MANIFEST_H

#include <stddef.h>

#include "buf.h"
#include "gongkai.h"

/* Errors listed in a failed parse's message; one line says how many more. */
#define GK_MANIFEST_MAX_ERRORS 20
/* gk_manifest_load refuses larger files. */
#define GK_MANIFEST_MAX_BYTES ((size_t)64 << 20)

typedef struct gk_manifest_row {
    int line;                    /* 1-based line of the row in the file */
    char *number;                /* 件号, as written, or NULL */
    char *archive_code;          /* 档号, or NULL */
    char *organ;                 /* 责任者, or NULL */
    char *docno;                 /* 文号, as written (the caller normalises), or NULL */
    char *title;                 /* 题名, never NULL or empty */
    char *date;                  /* YYYY-MM-DD, or NULL */
    int pages;                   /* -1 when not given */
    int visibility;              /* -1 not given, else a gk_visibility_t */
    char *note;                  /* 备注, or NULL */
    char *file;                  /* 文件名 as written (trimmed), never NULL or empty */
    int used;                    /* set by the caller when a file matched the row */
} gk_manifest_row_t;

typedef struct gk_manifest gk_manifest_t;

/*
 * Parse DATA (LEN bytes, UTF-8 or GB18030); SOURCE names it in messages.
 * On GK_ERR_INVALID, *errors (when ERRORS is not NULL) is a malloc'd text
 * of one message per line, "SOURCE:LINE: what is wrong", in line order, at
 * most GK_MANIFEST_MAX_ERRORS of them (caller frees); the manifest is not
 * returned. Otherwise *errors is NULL. GK_OK, GK_ERR_INVALID, GK_ERR_NOMEM.
 */
gk_status_t gk_manifest_parse(const char *data, size_t len, const char *source, gk_manifest_t **out,
                              char **errors);

/* Read and parse the file PATH (at most GK_MANIFEST_MAX_BYTES). Also
 * GK_ERR_IO, GK_ERR_NOT_FOUND and GK_ERR_TOO_LARGE, with *errors set. */
gk_status_t gk_manifest_load(const char *path, gk_manifest_t **out, char **errors);

void gk_manifest_free(gk_manifest_t *m);
size_t gk_manifest_count(const gk_manifest_t *m);
/* Rows in file order; NULL when I is out of range. */
gk_manifest_row_t *gk_manifest_row(gk_manifest_t *m, size_t i);

/*
 * The row for the archived file PATH: the row whose 文件名 is PATH's
 * trailing path components (a/b/c.pdf matches .../a/b/c.pdf; the longest
 * such 文件名 wins), else the row whose 文件名's base name equals PATH's
 * base name when only one row has it. NULL when none.
 *
 * Both sides are compared as bytes after the same tidying: '\' reads as
 * '/' (lists made on Windows), "./" and repeated '/' are dropped, and the
 * ASCII letters of the extension are compared without case (.PDF = .pdf).
 * A row may match several files; the caller's `used` tells it so.
 */
gk_manifest_row_t *gk_manifest_match(gk_manifest_t *m, const char *path);

#endif
