/* tsv.c — tab-separated files edited by people (tsv.h). */
#include "tsv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "readfile.h"
#include "utf8.h"

/* Blanks at either end of a field: ASCII and the ideographic space, which
 * editors of Chinese text put in by accident. */
static char *trim(char *s)
{
    for (;;) {
        if (*s == ' ' || *s == '\t' || *s == '\r')
            s++;
        else if ((unsigned char)s[0] == 0xE3 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0x80)
            s += 3;
        else
            break;
    }
    size_t n = strlen(s);
    for (;;) {
        if (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
            n--;
        else if (n >= 3 && (unsigned char)s[n - 3] == 0xE3 && (unsigned char)s[n - 2] == 0x80 &&
                 (unsigned char)s[n - 1] == 0x80)
            n -= 3;
        else
            break;
    }
    s[n] = '\0';
    return s;
}

/* Split LINE (modified) at tabs into ROW. */
static void split(char *line, gk_tsv_row_t *row)
{
    row->nfields = 0;
    char *p = line;
    for (;;) {
        char *tab = strchr(p, '\t');
        if (tab)
            *tab = '\0';
        if (row->nfields < GK_TSV_MAX_FIELDS)
            row->field[row->nfields++] = trim(p);
        if (!tab)
            break;
        p = tab + 1;
    }
}

int gk_tsv_each(const char *text, size_t len, const char *source, const char *const *want, size_t nwant,
                gk_tsv_fn fn, void *ctx, char *err, size_t errlen)
{
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    if (!gk_utf8_valid((const unsigned char *)text, len)) {
        snprintf(err, errlen, "%s: not UTF-8 text", source);
        return GK_ERR_INVALID;
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return GK_ERR_NOMEM;
    memcpy(copy, text, len);
    copy[len] = '\0';
    int rc = GK_OK, header_seen = 0, line = 0;
    for (char *p = copy, *next; p && *p && rc == GK_OK; p = next) {
        line++;
        char *nl = strchr(p, '\n');
        next = nl ? nl + 1 : NULL;
        if (nl)
            *nl = '\0';
        char *lead = p;
        while (*lead == ' ')
            lead++;
        if (*lead == '#' || *trim(lead) == '\0')
            continue;
        gk_tsv_row_t row = {.line = line};
        split(p, &row);
        if (!header_seen) {
            header_seen = 1;
            for (size_t i = 0; i < nwant; i++) {
                if (i >= row.nfields || strcmp(row.field[i], want[i]) != 0) {
                    snprintf(err, errlen, "%s:%d: the header must name the columns", source, line);
                    for (size_t k = 0; k < nwant; k++)
                        snprintf(err + strlen(err), errlen - strlen(err), "%s%s", k ? ", " : " ", want[k]);
                    rc = GK_ERR_INVALID;
                    break;
                }
            }
            continue;
        }
        while (row.nfields < nwant)
            row.field[row.nfields++] = "";
        rc = fn(ctx, &row);
    }
    if (rc == GK_OK && !header_seen) {
        snprintf(err, errlen, "%s: empty (no header row)", source);
        rc = GK_ERR_INVALID;
    }
    free(copy);
    return rc;
}

gk_status_t gk_tsv_read_file(const char *path, char **text, size_t *len, char *err, size_t errlen)
{
    char why[256];
    /* People's files are small: refuse anything huge. */
    gk_status_t rc = gk_read_file(path, (size_t)16 << 20, (unsigned char **)text, len, why, sizeof why);
    if (rc != GK_OK)
        snprintf(err, errlen, "cannot read %s: %s", path, why);
    return rc;
}
