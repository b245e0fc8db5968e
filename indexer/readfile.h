/*
 * readfile.h — a whole regular file into memory, refused beyond a limit:
 * the one reader for archived files, taxonomies, rules and manifests.
 */
#ifndef GK_READFILE_H
#define GK_READFILE_H

#include <stddef.h>

#include "gongkai.h"

/*
 * Read PATH into *data (malloc'd, with a NUL after its *len bytes, so text
 * can be used as a string). GK_OK; GK_ERR_NOT_FOUND (no such file),
 * GK_ERR_BAD_FILE (not a regular file), GK_ERR_TOO_LARGE (over LIMIT
 * bytes), GK_ERR_IO or GK_ERR_NOMEM, with the reason in ERR (without the
 * path, which the caller reports).
 */
gk_status_t gk_read_file(const char *path, size_t limit, unsigned char **data, size_t *len, char *err,
                         size_t errlen);

#endif
