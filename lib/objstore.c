/*
 * objstore.c — originals, stored once each under objects/ by SHA-256
 * (objects/ab/abcdef…). Write-once: temp file, fsync, rename, fsync of the
 * directory, so an object is durable before the catalogue row naming it
 * commits; a crash can leave only an unreferenced temp file or object.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core.h"
#include "sha256.h"

char *gk__object_path(const gk_data_t *d, const char *sha)
{
    char name[96];
    snprintf(name, sizeof name, "objects/%.2s/%s", sha, sha);
    return gk__path(d->dir, name);
}

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

gk_status_t gk_object_store(gk_data_t *d, const char *sha, const void *bytes, size_t len)
{
    if (strlen(sha) != 64)
        return gk__fail(d, GK_ERR_INVALID, "bad object name");
    char *path = gk__object_path(d, sha);
    char sub[96];
    snprintf(sub, sizeof sub, "objects/%.2s", sha);
    char *subdir = gk__path(d->dir, sub);
    char *tmp = subdir ? malloc(strlen(subdir) + 32) : NULL;
    gk_status_t rc = GK_OK;
    int fd = -1;
    if (!path || !subdir || !tmp) {
        rc = GK_ERR_NOMEM;
        goto out;
    }
    struct stat sb;
    if (stat(path, &sb) == 0 && (size_t)sb.st_size == len)
        goto out; /* already stored: content-addressed, so the same bytes */
    if (mkdir(subdir, 0755) == 0) {
        char *objects = gk__path(d->dir, "objects");
        if (objects)
            gk__fsync_dir(objects);
        free(objects);
    } else if (errno != EEXIST) {
        rc = gk__fail(d, GK_ERR_IO, "cannot create %s: %s", subdir, strerror(errno));
        goto out;
    }
    sprintf(tmp, "%s/.tmp-%ld", subdir, (long)getpid());
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0444);
    if (fd < 0 || write_all(fd, bytes, len) != 0 || fsync(fd) != 0) {
        rc = gk__fail(d, GK_ERR_IO, "cannot write %s: %s", tmp, strerror(errno));
        goto out;
    }
    if (close(fd) != 0) {
        fd = -1;
        rc = gk__fail(d, GK_ERR_IO, "cannot write %s: %s", tmp, strerror(errno));
        goto out;
    }
    fd = -1;
    if (rename(tmp, path) != 0 || gk__fsync_dir(subdir) != 0) {
        rc = gk__fail(d, GK_ERR_IO, "cannot store %s: %s", path, strerror(errno));
        goto out;
    }
out:
    if (fd >= 0)
        close(fd);
    if (rc != GK_OK && tmp)
        unlink(tmp);
    free(path);
    free(subdir);
    free(tmp);
    return rc;
}

/* Copy the object to OUT, hashing as we go; the caller decides on a mismatch. */
static gk_status_t copy_hashing(gk_data_t *d, const char *src, FILE *out, char hex[65])
{
    FILE *in = fopen(src, "rb");
    if (!in)
        return gk__fail(d, errno == ENOENT ? GK_ERR_NOT_FOUND : GK_ERR_IO, "cannot open %s: %s", src,
                        strerror(errno));
    gk_sha256_t h;
    gk_sha256_init(&h);
    char buf[1 << 16];
    size_t n;
    gk_status_t rc = GK_OK;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
        gk_sha256_update(&h, buf, n);
        if (out && fwrite(buf, 1, n, out) != n) {
            rc = gk__fail(d, GK_ERR_IO, "write failed: %s", strerror(errno));
            break;
        }
    }
    if (ferror(in))
        rc = gk__fail(d, GK_ERR_IO, "cannot read %s: %s", src, strerror(errno));
    fclose(in);
    gk_sha256_hex(&h, hex);
    return rc;
}

gk_status_t gk__object_check(gk_data_t *d, const char *sha)
{
    char *path = gk__object_path(d, sha);
    if (!path)
        return GK_ERR_NOMEM;
    char hex[65];
    gk_status_t rc = copy_hashing(d, path, NULL, hex);
    if (rc == GK_OK && strcmp(hex, sha) != 0)
        rc = gk__fail(d, GK_ERR_CORRUPT, "object %s has SHA-256 %s", sha, hex);
    free(path);
    return rc;
}

gk_status_t gk_item_write_original(gk_data_t *d, const gk_item_t *item, const char *path)
{
    char *src = gk__object_path(d, item->sha256);
    if (!src)
        return GK_ERR_NOMEM;
    int to_stdout = strcmp(path, "-") == 0;
    char *tmp = NULL;
    FILE *out = stdout;
    gk_status_t rc = GK_OK;
    if (!to_stdout) {
        /* Write beside the target and rename only when the digest matched. */
        tmp = malloc(strlen(path) + 16);
        if (!tmp) {
            free(src);
            return GK_ERR_NOMEM;
        }
        sprintf(tmp, "%s.part", path);
        out = fopen(tmp, "wb");
        if (!out) {
            rc = gk__fail(d, GK_ERR_IO, "cannot write %s: %s", tmp, strerror(errno));
            goto done;
        }
    }
    char hex[65];
    rc = copy_hashing(d, src, out, hex);
    if (rc == GK_OK && strcmp(hex, item->sha256) != 0)
        rc = gk__fail(d, GK_ERR_CORRUPT, "the stored original of item %lld is damaged (SHA-256 %s, expected %s)",
                      (long long)item->id, hex, item->sha256);
    if (!to_stdout) {
        if (fclose(out) != 0 && rc == GK_OK)
            rc = gk__fail(d, GK_ERR_IO, "cannot write %s: %s", tmp, strerror(errno));
        if (rc == GK_OK && rename(tmp, path) != 0)
            rc = gk__fail(d, GK_ERR_IO, "cannot write %s: %s", path, strerror(errno));
        if (rc != GK_OK)
            unlink(tmp);
    } else if (fflush(stdout) != 0 && rc == GK_OK) {
        rc = gk__fail(d, GK_ERR_IO, "write failed: %s", strerror(errno));
    }
done:
    free(src);
    free(tmp);
    return rc;
}

gk_status_t gk_item_open_original(gk_data_t *d, const gk_item_t *item, int *fd, int64_t *size)
{
    char *path = gk__object_path(d, item->sha256);
    if (!path)
        return gk__fail(d, GK_ERR_NOMEM, "out of memory");
    int f = open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (f < 0 || fstat(f, &sb) != 0) {
        int e = errno;
        if (f >= 0)
            close(f);
        gk_status_t st = e == ENOENT ? GK_ERR_NOT_FOUND : GK_ERR_IO;
        gk__fail(d, st, "cannot open the original of item %lld: %s", (long long)item->id, strerror(e));
        free(path);
        return st;
    }
    free(path);
    *fd = f;
    *size = (int64_t)sb.st_size;
    return GK_OK;
}
