/*
 * csv.h — a reader of comma-separated values as RFC 4180 defines them.
 *
 * Records end at a line break (CRLF, LF, or a lone CR as old Mac editors
 * write it). A field that starts with a double quote runs to the matching
 * quote, "" standing for one quote; it may hold separators and line breaks,
 * which come back as "\n" whatever the file used. The reader is lenient
 * where people's files stray from the RFC without losing anything: a quote
 * inside an unquoted field is an ordinary character, and text after a
 * closing quote is kept (so "a" b reads as a b). Only a quote that never
 * closes is an error, since nothing after it can be told apart.
 *
 * The input is bytes of any ASCII-compatible encoding; fields are returned
 * NUL-terminated, so input holding NUL bytes reads them as a field's end.
 */
#ifndef GK_CSV_H
#define GK_CSV_H

#include <stddef.h>

#include "buf.h"
#include "gongkai.h"

typedef struct gk_csv_record {
    int line;               /* 1-based line the record starts on */
    size_t nfields;         /* at least 1: an empty line is one empty field */
    const char *const *field; /* as read, unquoted; valid until the next call */
} gk_csv_record_t;

typedef struct gk_csv {
    const char *p, *end;
    char sep;
    int line;               /* line the next record starts on */
    int open_line;          /* where an unterminated quote opened, else 0 */
    gk_buf_t text;          /* the record's fields, each NUL-terminated */
    size_t *off;            /* start of each field in text */
    const char **field;
    size_t nfields, cap;
    gk_csv_record_t rec;
} gk_csv_t;

/* Read DATA[0..len) with the field separator SEP (',' normally; ';' and
 * '\t' work the same way). DATA must outlive the reader. */
void gk_csv_init(gk_csv_t *csv, const char *data, size_t len, char sep);
void gk_csv_free(gk_csv_t *csv);

/*
 * The next record in *rec, or NULL at the end of the input.
 * GK_ERR_INVALID: a quoted field opened on line csv->open_line never
 * closes; the reader is then at the end. GK_OK, GK_ERR_NOMEM.
 */
gk_status_t gk_csv_next(gk_csv_t *csv, const gk_csv_record_t **rec);

#endif
