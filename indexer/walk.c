/* walk.c — the files of an archive run, in order (walk.h). */
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_DEPTH 64

typedef struct walker {
    dev_t skip_dev;
    ino_t skip_ino;
    gk_walk_fn fn;
    void *ctx;
} walker_t;

static int walk_path(const walker_t *w, const char *path, int depth)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        char err[256];
        snprintf(err, sizeof err, "%s", strerror(errno));
        return w->fn(w->ctx, path, errno == ENOENT ? GK_ERR_NOT_FOUND : GK_ERR_IO, err);
    }
    if (!S_ISDIR(sb.st_mode))
        return w->fn(w->ctx, path, GK_OK, NULL);
    if (sb.st_dev == w->skip_dev && sb.st_ino == w->skip_ino)
        return 0; /* the data directory inside a tree being archived */
    if (depth > MAX_DEPTH)
        return w->fn(w->ctx, path, GK_ERR_TOO_LARGE, "directories nested too deeply");
    /* Sorted, so runs over the same tree are reproducible. */
    struct dirent **ents;
    int n = scandir(path, &ents, NULL, alphasort);
    if (n < 0) {
        char err[256];
        snprintf(err, sizeof err, "cannot read directory: %s", strerror(errno));
        return w->fn(w->ctx, path, GK_ERR_IO, err);
    }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        const char *name = ents[i]->d_name;
        if (rc == 0 && strcmp(name, ".") != 0 && strcmp(name, "..") != 0) {
            size_t len = strlen(path) + strlen(name) + 2;
            char *child = malloc(len);
            if (child) {
                snprintf(child, len, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", name);
                struct stat lsb;
                /* Do not follow links to directories: they can loop. */
                if (!(lstat(child, &lsb) == 0 && S_ISLNK(lsb.st_mode) && stat(child, &sb) == 0 && S_ISDIR(sb.st_mode)))
                    rc = walk_path(w, child, depth + 1);
                free(child);
            } else {
                rc = w->fn(w->ctx, path, GK_ERR_NOMEM, "out of memory");
            }
        }
        free(ents[i]);
    }
    free(ents);
    return rc;
}

int gk_walk(const char *const *paths, size_t n, dev_t skip_dev, ino_t skip_ino, gk_walk_fn fn, void *ctx)
{
    walker_t w = {skip_dev, skip_ino, fn, ctx};
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = walk_path(&w, paths[i], 0);
    return rc;
}
