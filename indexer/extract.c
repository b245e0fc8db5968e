/*
 * extract.c — limits, the fields record and the MIME → extractor table.
 */
#include "extract.h"

#include "fold.h"
#include "title.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gk_extract_limits_default(gk_extract_limits_t *lim)
{
    lim->max_file_bytes = (size_t)256 << 20;
    lim->max_text_bytes = (size_t)64 << 20;
    lim->max_inflated_bytes = (size_t)256 << 20;
    lim->max_inflate_ratio = 200;  /* office XML compresses 5-20x; bombs 1000x */
    lim->max_zip_entries = 10000;
    lim->max_xml_depth = 256;
    lim->max_pages = 10000;
    lim->max_seconds = 60;
    lim->max_memory_bytes = (size_t)2 << 30;
}

/* Where each named limit lives, and whether it is a byte size. */
static const struct {
    const char *name;
    size_t offset;
    int is_size_t;
    int bytes;
} limit_fields[] = {
    {"file-size", offsetof(gk_extract_limits_t, max_file_bytes), 1, 1},
    {"text-size", offsetof(gk_extract_limits_t, max_text_bytes), 1, 1},
    {"inflated-size", offsetof(gk_extract_limits_t, max_inflated_bytes), 1, 1},
    {"memory", offsetof(gk_extract_limits_t, max_memory_bytes), 1, 1},
    {"inflate-ratio", offsetof(gk_extract_limits_t, max_inflate_ratio), 0, 0},
    {"zip-entries", offsetof(gk_extract_limits_t, max_zip_entries), 0, 0},
    {"xml-depth", offsetof(gk_extract_limits_t, max_xml_depth), 0, 0},
    {"pages", offsetof(gk_extract_limits_t, max_pages), 0, 0},
    {"seconds", offsetof(gk_extract_limits_t, max_seconds), 0, 0},
};

const char gk_extract_limit_names[] =
    "file-size, text-size, inflated-size, memory (bytes; K, M, G suffixes), "
    "inflate-ratio, zip-entries, xml-depth, pages, seconds";

gk_status_t gk_extract_limits_set(gk_extract_limits_t *lim, const char *assignment)
{
    const char *eq = assignment ? strchr(assignment, '=') : NULL;
    if (!eq || eq[1] == '\0')
        return GK_ERR_INVALID;
    for (size_t i = 0; i < sizeof limit_fields / sizeof limit_fields[0]; i++) {
        if (strlen(limit_fields[i].name) != (size_t)(eq - assignment) ||
            strncmp(limit_fields[i].name, assignment, (size_t)(eq - assignment)) != 0)
            continue;
        errno = 0;
        char *end;
        unsigned long long v = strtoull(eq + 1, &end, 10);
        if (errno || end == eq + 1 || eq[1] == '-')
            return GK_ERR_INVALID;
        if (limit_fields[i].bytes && *end) {
            int shift = *end == 'K' || *end == 'k' ? 10 : *end == 'M' || *end == 'm' ? 20
                      : *end == 'G' || *end == 'g' ? 30 : -1;
            if (shift < 0 || v > (ULLONG_MAX >> shift))
                return GK_ERR_INVALID;
            v <<= shift;
            end++;
        }
        if (*end || v == 0)
            return GK_ERR_INVALID;
        char *field = (char *)lim + limit_fields[i].offset;
        if (limit_fields[i].is_size_t) {
            if (v > SIZE_MAX)
                return GK_ERR_INVALID;
            *(size_t *)field = (size_t)v;
        } else {
            if (v > UINT_MAX)
                return GK_ERR_INVALID;
            *(unsigned *)field = (unsigned)v;
        }
        return GK_OK;
    }
    return GK_ERR_INVALID;
}

const char *gk_fields_flag_names(unsigned flags)
{
    return flags & GK_FIELDS_NEEDS_OCR ? "needs_ocr" : NULL;
}

void gk_fields_init(gk_fields_t *f)
{
    memset(f, 0, sizeof *f);
    f->body = (gk_buf_t)GK_BUF_INIT;
}

void gk_fields_free(gk_fields_t *f)
{
    if (!f)
        return;
    gk_buf_free(&f->body);
    free(f->title);
    free(f->author);
    free(f->created);
    free(f->modified);
    free(f->charset);
    gk_fields_init(f);
}

gk_status_t gk_fields_set(char **field, const char *s, size_t len)
{
    char *copy = malloc(len + 1);
    if (!copy)
        return GK_ERR_NOMEM;
    if (len)
        memcpy(copy, s, len);
    copy[len] = '\0';
    free(*field);
    *field = copy;
    return GK_OK;
}

gk_status_t gk_fields_fail(gk_fields_t *f, gk_status_t status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->error, sizeof f->error, fmt, ap);
    va_end(ap);
    return status;
}

/* Files that announce by their container that they need a password (an
 * OOXML package encrypted into an OLE2 file) fail as such without an
 * extractor trying to read them. */
static gk_status_t refuse_encrypted(const gk_input_t *in, const gk_extract_limits_t *lim, gk_fields_t *out)
{
    (void)in;
    (void)lim;
    return gk_fields_fail(out, GK_ERR_ENCRYPTED, "encrypted (password required)");
}

static const char *const encrypted_types[] = {"application/encrypted", NULL};
static const gk_extractor_t encrypted = {"encrypted", encrypted_types, refuse_encrypted, 0};

/* Every extractor, in order of preference when two claim the same type. */
static const gk_extractor_t *const extractors[] = {
    &gk_extractor_pdf,
    &gk_extractor_docx,
    &gk_extractor_xlsx,
    &gk_extractor_pptx,
    &gk_extractor_odt,
    &gk_extractor_ods,
    &gk_extractor_odp,
    &gk_extractor_ofd,
    &gk_extractor_doc,
    &gk_extractor_xls,
    &gk_extractor_rtf,
    &gk_extractor_html,
    &gk_extractor_markdown,
    &gk_extractor_text,
    &encrypted,
};
#define N_EXTRACTORS (sizeof extractors / sizeof extractors[0])

/* Does PATTERN, a wildcard entry ("text/" then a star), cover MIME? */
static int wildcard_match(const char *pattern, const char *mime)
{
    size_t n = strlen(pattern);
    if (n < 2 || strcmp(pattern + n - 2, "/*") != 0)
        return 0;
    return strncmp(pattern, mime, n - 1) == 0 && mime[n - 1] != '\0';
}

const gk_extractor_t *gk_extractor_for(const char *mime)
{
    if (!mime || !*mime)
        return NULL;
    /* Exact types first over the whole table, so that a wildcard of one
     * extractor never shadows the exact type of another. */
    for (size_t k = 0; k < N_EXTRACTORS; k++)
        for (const char *const *t = extractors[k]->mime_types; *t; t++)
            if (strcmp(*t, mime) == 0)
                return extractors[k];
    /* Text that is the markup of a document format is no plain text:
     * without an extractor of its own it is unsupported, not indexed as
     * control words. */
    static const char *const markup[] = {"text/x-tex", "text/troff"};
    for (size_t i = 0; i < sizeof markup / sizeof markup[0]; i++)
        if (strcmp(mime, markup[i]) == 0)
            return NULL;
    for (size_t k = 0; k < N_EXTRACTORS; k++)
        for (const char *const *t = extractors[k]->mime_types; *t; t++)
            if (wildcard_match(*t, mime))
                return extractors[k];
    return NULL;
}

gk_status_t gk_extract(const gk_extractor_t *ex, const gk_input_t *in, const gk_extract_limits_t *lim,
                       gk_fields_t *out)
{
    if (in->len > lim->max_file_bytes)
        return gk_fields_fail(out, GK_ERR_TOO_LARGE, "file of %zu bytes exceeds the limit of %zu", in->len,
                              lim->max_file_bytes);
    if (in->len == 0)
        return gk_fields_fail(out, GK_ERR_BAD_FILE, "empty file");
    gk_status_t st = ex->extract(in, lim, out);
    if (st == GK_OK && out->body.len > lim->max_text_bytes)
        st = gk_fields_fail(out, GK_ERR_TOO_LARGE, "extracted text of %zu bytes exceeds the limit of %zu",
                            out->body.len, lim->max_text_bytes);
    if (st == GK_OK && gk_buf_failed(&out->body))
        st = gk_fields_fail(out, GK_ERR_NOMEM, "out of memory extracting text");
    if (st == GK_OK)
        st = gk_fold_ideographs(&out->body);
    if (st == GK_OK && gk_title_is_useless(out->title)) {
        free(out->title);
        out->title = NULL;
        if (gk_title_from_body(out) != GK_OK)
            st = gk_fields_fail(out, GK_ERR_NOMEM, "out of memory");
    }
    return st;
}
