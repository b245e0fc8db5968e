/*
 * datadir.c — opening a data directory: catalogue.db, objects/, index/.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core.h"

#define DEFAULT_SHARDS 2
#define MAX_SHARDS 16

gk_status_t gk__fail(gk_data_t *d, gk_status_t status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->err, sizeof d->err, fmt, ap);
    va_end(ap);
    return status;
}

char *gk__path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

char *gk__shard_path(const gk_data_t *d, const char *base, int k)
{
    char name[64];
    snprintf(name, sizeof name, "%s/shard-%d", base ? base : "index", k);
    return gk__path(d->dir, name);
}

int gk__fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

void gk__now_iso(char *buf, size_t len)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int make_dir(const char *path)
{
    return mkdir(path, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

const char *gk_data_error(const gk_data_t *d) { return d ? d->err : "no data directory"; }

const char *gk_data_path(const gk_data_t *d) { return d->dir; }

/* The number of index shards: fixed the first time, kept in the catalogue. */
static gk_status_t load_shards(gk_data_t *d)
{
    char *v = NULL;
    gk_status_t rc = gk__cat_meta_get(d->db, "index_shards", &v);
    if (rc == GK_OK) {
        d->nshards = atoi(v);
        free(v);
        if (d->nshards < 1 || d->nshards > MAX_SHARDS)
            return gk__fail(d, GK_ERR_CORRUPT, "the catalogue names %d index shards", d->nshards);
        return GK_OK;
    }
    if (rc != GK_ERR_NOT_FOUND)
        return gk__fail(d, rc, "reading the catalogue: %s", sqlite3_errmsg(d->db));
    d->nshards = DEFAULT_SHARDS;
    const char *env = getenv("GONGKAI_INDEX_SHARDS");
    if (env && atoi(env) >= 1 && atoi(env) <= MAX_SHARDS)
        d->nshards = atoi(env);
    if (d->writable) {
        char num[16];
        snprintf(num, sizeof num, "%d", d->nshards);
        if (gk__cat_meta_set(d->db, "index_shards", num) != GK_OK)
            return gk__fail(d, GK_ERR_CATALOGUE, "writing the catalogue: %s", sqlite3_errmsg(d->db));
    }
    return GK_OK;
}

/* An index rebuild swaps index.new in for index; finish or undo one that a
 * crash interrupted, so "index" always names a complete index. */
static void recover_index_swap(gk_data_t *d)
{
    char *idx = gk__path(d->dir, "index"), *old = gk__path(d->dir, "index.old");
    struct stat sb;
    if (idx && old && stat(idx, &sb) != 0 && stat(old, &sb) == 0)
        rename(old, idx);
    free(idx);
    free(old);
}

gk_status_t gk_data_open(const char *dir, int flags, gk_data_t **out, char **errmsg)
{
    *out = NULL;
    if (errmsg)
        *errmsg = NULL;
    gk_data_t *d = calloc(1, sizeof *d);
    if (!d)
        return GK_ERR_NOMEM;
    d->writable = (flags & (GK_OPEN_WRITE | GK_OPEN_CREATE)) != 0;
    d->dir = strdup(dir);
    gk_status_t rc = GK_OK;
    char *cat = NULL, *objects = NULL;
    struct stat sb;
    if (!d->dir) {
        rc = GK_ERR_NOMEM;
        goto fail;
    }
    if (stat(dir, &sb) != 0) {
        if (!(flags & GK_OPEN_CREATE)) {
            rc = gk__fail(d, GK_ERR_NOT_FOUND, "no data directory at %s (archive something first)", dir);
            goto fail;
        }
        if (make_dir(dir) != 0) {
            rc = gk__fail(d, GK_ERR_IO, "cannot create %s: %s", dir, strerror(errno));
            goto fail;
        }
    } else if (!S_ISDIR(sb.st_mode)) {
        rc = gk__fail(d, GK_ERR_INVALID, "%s is not a directory", dir);
        goto fail;
    }
    cat = gk__path(dir, "catalogue.db");
    objects = gk__path(dir, "objects");
    if (!cat || !objects) {
        rc = GK_ERR_NOMEM;
        goto fail;
    }
    if (!d->writable && stat(cat, &sb) != 0) {
        rc = gk__fail(d, GK_ERR_NOT_FOUND, "no catalogue in %s (archive something first)", dir);
        goto fail;
    }
    if (d->writable && make_dir(objects) != 0) {
        rc = gk__fail(d, GK_ERR_IO, "cannot create %s: %s", objects, strerror(errno));
        goto fail;
    }
    rc = gk__cat_open(cat, d->writable, &d->db, d->err, sizeof d->err);
    if (rc != GK_OK)
        goto fail;
    if ((rc = load_shards(d)) != GK_OK)
        goto fail;
    /* Searches read a text per hit for its snippet: map the file rather
     * than copy pages through read(2), and keep more of them cached. (Not
     * for writers, whose memory an archive run bounds.) */
    if (!d->writable)
        gk__cat_exec(d->db, "PRAGMA mmap_size=1073741824; PRAGMA cache_size=-16384;");
    if (d->writable) {
        recover_index_swap(d);
        gk__recover_shards(d);
    }
    free(cat);
    free(objects);
    *out = d;
    return GK_OK;
fail:
    if (errmsg)
        *errmsg = strdup(d->err[0] ? d->err : gk_status_to_string(rc));
    free(cat);
    free(objects);
    gk_data_close(d);
    return rc;
}

void gk_data_close(gk_data_t *d)
{
    if (!d)
        return;
    gkx_db_close(d->reader);
    gk_tokenizer_free(d->tok);
    gk__cat_close(d->db);
    free(d->dir);
    free(d);
}

gk_status_t gk__tokenizer(gk_data_t *d, gk_tokenizer_t **out)
{
    if (!d->tok) {
        gk_status_t rc = gk_tokenizer_new(&d->tok);
        if (rc != GK_OK)
            return gk__fail(d, rc, "cannot create the tokenizer: %s", gk_status_to_string(rc));
    }
    *out = d->tok;
    return GK_OK;
}

void gk_data_set_refresh(gk_data_t *d, unsigned ms) { d->refresh_ms = ms; }

static int64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

gk_status_t gk__reader(gk_data_t *d, gkx_db_t **out)
{
    int64_t now = monotonic_ms();
    if (d->reader && d->refresh_ms && now - d->reader_checked_ms < (int64_t)d->refresh_ms) {
        *out = d->reader;
        return GK_OK;
    }
    d->reader_checked_ms = now;
    if (d->reader) {
        gk_status_t rc = gkx_db_reopen(d->reader);
        if (rc != GK_OK) {
            /* The index may have been rebuilt (directories swapped): start over. */
            gkx_db_close(d->reader);
            d->reader = NULL;
        }
    }
    if (!d->reader) {
        char *paths[MAX_SHARDS] = {0};
        int n = 0;
        gk_status_t rc = GK_OK;
        for (; n < d->nshards; n++) {
            if (!(paths[n] = gk__shard_path(d, NULL, n))) {
                rc = GK_ERR_NOMEM;
                break;
            }
        }
        char err[512] = "";
        if (rc == GK_OK)
            rc = gkx_db_open_readable((const char *const *)paths, (size_t)n, &d->reader, err, sizeof err);
        for (int k = 0; k < n; k++)
            free(paths[k]);
        if (rc == GK_ERR_NOT_FOUND)
            return gk__fail(d, rc, "the index of %s is missing: run 'gongkai reindex'", d->dir);
        if (rc != GK_OK)
            return gk__fail(d, rc, "cannot open the index: %s", err);
    }
    *out = d->reader;
    return GK_OK;
}
