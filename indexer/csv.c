/* csv.c — RFC 4180 comma-separated values (csv.h). */
#include "csv.h"

#include <stdlib.h>
#include <string.h>

void gk_csv_init(gk_csv_t *csv, const char *data, size_t len, char sep)
{
    memset(csv, 0, sizeof *csv);
    csv->p = data ? data : "";
    csv->end = csv->p + (data ? len : 0);
    csv->sep = sep;
    csv->line = 1;
}

void gk_csv_free(gk_csv_t *csv)
{
    if (!csv)
        return;
    gk_buf_free(&csv->text);
    free(csv->off);
    free(csv->field);
    csv->off = NULL;
    csv->field = NULL;
    csv->nfields = csv->cap = 0;
}

/* Start a new field at the current end of the record's text. */
static gk_status_t open_field(gk_csv_t *c)
{
    if (c->nfields == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 16;
        size_t *off = realloc(c->off, cap * sizeof *off);
        if (!off)
            return GK_ERR_NOMEM;
        c->off = off;
        const char **field = realloc(c->field, cap * sizeof *field);
        if (!field)
            return GK_ERR_NOMEM;
        c->field = field;
        c->cap = cap;
    }
    c->off[c->nfields++] = c->text.len;
    return GK_OK;
}

/* If the input is at a line break, consume it (CRLF counts as one). */
static int take_break(gk_csv_t *c)
{
    if (*c->p == '\n') {
        c->p++;
    } else if (*c->p == '\r') {
        c->p++;
        if (c->p < c->end && *c->p == '\n')
            c->p++;
    } else {
        return 0;
    }
    c->line++;
    return 1;
}

/* The body of a quoted field, after its opening quote, up to and including
 * the closing one. 0 when the input ends first. */
static int read_quoted(gk_csv_t *c)
{
    for (;;) {
        const char *q = c->p;
        while (q < c->end && *q != '"' && *q != '\r' && *q != '\n')
            q++;
        gk_buf_append(&c->text, c->p, (size_t)(q - c->p));
        c->p = q;
        if (q == c->end)
            return 0;
        if (take_break(c)) {
            gk_buf_putc(&c->text, '\n');
        } else if (q + 1 < c->end && q[1] == '"') {
            gk_buf_putc(&c->text, '"');
            c->p = q + 2;
        } else {
            c->p = q + 1;
            return 1;
        }
    }
}

/* Unquoted text up to the next separator or line break. */
static void read_plain(gk_csv_t *c)
{
    const char *q = c->p;
    while (q < c->end && *q != c->sep && *q != '\r' && *q != '\n')
        q++;
    gk_buf_append(&c->text, c->p, (size_t)(q - c->p));
    c->p = q;
}

gk_status_t gk_csv_next(gk_csv_t *c, const gk_csv_record_t **rec)
{
    *rec = NULL;
    if (c->p >= c->end)
        return GK_OK;
    gk_buf_reset(&c->text);
    c->nfields = 0;
    int start = c->line;
    for (;;) {
        if (open_field(c) != GK_OK)
            return GK_ERR_NOMEM;
        if (c->p < c->end && *c->p == '"') {
            int quote_line = c->line;
            c->p++;
            if (!read_quoted(c)) {
                c->open_line = quote_line;
                return GK_ERR_INVALID;
            }
        }
        read_plain(c);
        gk_buf_putc(&c->text, '\0');
        if (c->p < c->end && *c->p == c->sep) {
            c->p++;
            continue;
        }
        if (c->p < c->end)
            take_break(c);
        break;
    }
    if (gk_buf_failed(&c->text))
        return GK_ERR_NOMEM;
    for (size_t i = 0; i < c->nfields; i++)
        c->field[i] = c->text.data + c->off[i];
    c->rec.line = start;
    c->rec.nfields = c->nfields;
    c->rec.field = c->field;
    *rec = &c->rec;
    return GK_OK;
}
