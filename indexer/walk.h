/*
 * walk.h — the files an archive run takes, in a reproducible order: each
 * path given, and the trees under directories in name order. Symbolic
 * links to directories are not followed (they can loop), nesting stops at
 * 64 levels, and one directory (the data directory, if it sits inside a
 * tree being archived) is skipped.
 */
#ifndef GK_WALK_H
#define GK_WALK_H

#include <stddef.h>
#include <sys/types.h>

#include "gongkai.h"

/* Called for each file (STATUS GK_OK, ERROR NULL) and for each path that
 * cannot be walked (a failure status and its reason). Non-zero stops the
 * walk. */
typedef int (*gk_walk_fn)(void *ctx, const char *path, gk_status_t status, const char *error);

/* Walk PATHS[0..n), skipping the directory (SKIP_DEV, SKIP_INO). Returns
 * 0, or the callback's non-zero value that stopped it. */
int gk_walk(const char *const *paths, size_t n, dev_t skip_dev, ino_t skip_ino, gk_walk_fn fn, void *ctx);

#endif
