/*
 * fuzz_extractor.h — what the extractor fuzz targets share: running one
 * extractor on the input with the invariant every extractor keeps, and,
 * for the zip-based formats, turning an input into a valid package so
 * that mutations reach the XML readers instead of dying on checksums.
 */
#ifndef GK_FUZZ_EXTRACTOR_H
#define GK_FUZZ_EXTRACTOR_H

#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "extract.h"
#include "utf8.h"

static inline int fuzz_valid(const char *s)
{
    return !s || gk_utf8_valid((const unsigned char *)s, strlen(s));
}

/* Run EX on DATA as a file of EX's first MIME type. What an extractor
 * accepts must be valid UTF-8, its metadata included: abort otherwise. */
static inline void fuzz_extractor(const gk_extractor_t *ex, const unsigned char *data, size_t len)
{
    gk_extract_limits_t lim;
    gk_extract_limits_default(&lim);
    gk_fields_t f;
    gk_fields_init(&f);
    gk_input_t in = {"fuzz", data, len, ex->mime_types[0], NULL};
    if (gk_extract(ex, &in, &lim, &f) == GK_OK &&
        (!gk_utf8_valid((const unsigned char *)gk_buf_str(&f.body), f.body.len) || !fuzz_valid(f.title) ||
         !fuzz_valid(f.author) || !fuzz_valid(f.created) || !fuzz_valid(f.modified)))
        abort();
    gk_fields_free(&f);
}

/* A stored (uncompressed) zip of NAMES[i] = PARTS[i][0..LENS[i]),
 * malloc'd, or NULL. */
static inline unsigned char *fuzz_zip(const char *const *names, const char *const *parts, const size_t *lens,
                                      size_t n, size_t *len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (!src)
        return NULL;
    zip_source_keep(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    unsigned char *out = NULL;
    if (za) {
        for (size_t i = 0; i < n; i++) {
            zip_source_t *s = zip_source_buffer(za, parts[i], lens[i], 0);
            zip_int64_t idx = s ? zip_file_add(za, names[i], s, ZIP_FL_OVERWRITE) : -1;
            if (idx < 0)
                zip_source_free(s);
            else
                zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
        }
        if (zip_close(za) != 0)
            zip_discard(za);
        else if (zip_source_open(src) == 0) {
            zip_source_seek(src, 0, SEEK_END);
            zip_int64_t size = zip_source_tell(src);
            zip_source_seek(src, 0, SEEK_SET);
            if (size > 0 && (out = malloc((size_t)size)) != NULL &&
                zip_source_read(src, out, (zip_uint64_t)size) != size) {
                free(out);
                out = NULL;
            }
            *len = size > 0 ? (size_t)size : 0;
            zip_source_close(src);
        }
    }
    zip_source_free(src);
    zip_error_fini(&ze);
    return out;
}

/*
 * Fuzz EX with a package: input that starts as a zip ("PK") is given as it
 * is; anything else is split at NUL bytes into the parts N_FIXED.. of
 * NAMES (PARTS[0..N_FIXED) are the fixed ones: relationships and such),
 * and the package of all N parts is extracted.
 */
static inline void fuzz_package(const gk_extractor_t *ex, const unsigned char *data, size_t len,
                                const char *const *names, const char **parts, size_t *lens, size_t n_fixed,
                                size_t n)
{
    if (len >= 2 && data[0] == 'P' && data[1] == 'K') {
        fuzz_extractor(ex, data, len);
        return;
    }
    size_t k = n_fixed, start = 0;
    for (size_t i = 0; i <= len && k < n; i++)
        if (i == len || data[i] == '\0') {
            parts[k] = (const char *)data + start;
            lens[k++] = i - start;
            start = i + 1;
        }
    size_t zlen = 0;
    unsigned char *zip = fuzz_zip(names, parts, lens, n, &zlen);
    if (zip)
        fuzz_extractor(ex, zip, zlen);
    free(zip);
}

#define FUZZ_RELS_BEGIN "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
#define FUZZ_REL(id, type, target)                                                                            \
    "<Relationship Id=\"" id "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/" \
    type "\" Target=\"" target "\"/>"
#define FUZZ_RELS_END "</Relationships>"

#endif
