/*
 * zipfile.h — reading the parts of a zip-based document (OOXML, ODF, OFD)
 * under the extraction limits.
 *
 * The whole file is in memory; parts are inflated on request into a
 * buffer, never to disk. What a hostile zip can do is bounded here, once,
 * for every zip format: the number of entries, the bytes inflated in all,
 * and the inflation ratio of each entry (zip bombs) all end in
 * GK_ERR_TOO_LARGE; entries whose names would escape a directory ("../",
 * "/etc/...") are invisible; a damaged central directory is GK_ERR_BAD_FILE;
 * an encrypted entry is GK_ERR_ENCRYPTED. Errors are written to the
 * fields' error, as extractors report them.
 */
#ifndef GK_ZIPFILE_H
#define GK_ZIPFILE_H

#include <stddef.h>

#include "buf.h"
#include "extract.h"

typedef struct gk_zip gk_zip_t;

/* Open IN's bytes as a zip. The limits are kept (LIM must outlive Z). */
gk_status_t gk_zip_open(const gk_input_t *in, const gk_extract_limits_t *lim, gk_fields_t *f, gk_zip_t **out);
void gk_zip_close(gk_zip_t *z);

/* Entries are numbered 0..count-1 in central-directory order. The name of
 * entry I, or NULL when it is unsafe (absolute, "..", backslashes). */
size_t gk_zip_count(const gk_zip_t *z);
const char *gk_zip_name(gk_zip_t *z, size_t i);

/* The entry named NAME (exact, then ignoring ASCII case): 1 and *index,
 * or 0 when there is none. */
int gk_zip_find(gk_zip_t *z, const char *name, size_t *index);

/* Inflate entry I and append it to OUT (NUL-terminated as every gk_buf). */
gk_status_t gk_zip_read(gk_zip_t *z, size_t i, gk_buf_t *out, gk_fields_t *f);

/* gk_zip_find then gk_zip_read; GK_ERR_NOT_FOUND (no error text) when absent. */
gk_status_t gk_zip_read_name(gk_zip_t *z, const char *name, gk_buf_t *out, gk_fields_t *f);

#endif
