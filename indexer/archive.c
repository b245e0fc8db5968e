/* archive.c — the archiving pipeline of archive.h. */
#include "archive.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "detect.h"
#include "identifiers.h"
#include "sha256.h"
#include "tagging.h"

/* A batch commits after this many files or this much text, whichever first. */
#define BATCH_FILES 64
#define BATCH_TEXT_BYTES (16u << 20)

void gk_archive_opts_init(gk_archive_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->visibility = GK_VIS_PUBLIC;
    gk_extract_limits_default(&o->limits);
}

typedef struct run {
    gk_data_t *d;
    const gk_archive_opts_t *o;
    gk_archive_fn fn;
    void *ctx;
    gk_detector_t *det;
    int in_txn;
    int batch_files;
    size_t batch_bytes;
    gk_status_t fatal;     /* a catalogue or storage error that stops the run */
    gk_manifest_row_t *row; /* the manifest's row for the file being archived */
    dev_t data_dev;        /* the data directory, never archived into itself */
    ino_t data_ino;
} run_t;

static void report(run_t *r, const char *path, gk_archive_outcome_t outcome, int64_t id, gk_status_t st,
                   const char *error, const char *format, int64_t bytes)
{
    gk_archive_event_t ev = {path, outcome, id, st, error, format, bytes, r->row ? r->row->line : 0};
    if (r->fn)
        r->fn(r->ctx, path, &ev);
}

static gk_status_t commit_batch(run_t *r)
{
    if (!r->in_txn)
        return GK_OK;
    r->in_txn = 0;
    r->batch_files = 0;
    r->batch_bytes = 0;
    return gk_catalogue_commit(r->d);
}

/* Read a whole regular file, refusing it beyond LIMIT bytes. */
static gk_status_t read_file(const char *path, size_t limit, unsigned char **data, size_t *len, char *err,
                             size_t errlen)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open: %s", strerror(errno));
        return GK_ERR_IO;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        snprintf(err, errlen, "not a regular file");
        close(fd);
        return GK_ERR_BAD_FILE;
    }
    if ((size_t)sb.st_size > limit) {
        snprintf(err, errlen, "file of %lld bytes exceeds the limit of %zu bytes", (long long)sb.st_size, limit);
        close(fd);
        return GK_ERR_TOO_LARGE;
    }
    unsigned char *buf = malloc((size_t)sb.st_size + 1);
    if (!buf) {
        close(fd);
        return GK_ERR_NOMEM;
    }
    size_t got = 0;
    while (got < (size_t)sb.st_size) {
        ssize_t n = read(fd, buf + got, (size_t)sb.st_size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            snprintf(err, errlen, "cannot read: %s", n < 0 ? strerror(errno) : "file shrank while reading");
            free(buf);
            close(fd);
            return GK_ERR_IO;
        }
        got += (size_t)n;
    }
    close(fd);
    *data = buf;
    *len = got;
    return GK_OK;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* A title when the extractor found none: the file name without extension. */
static char *fallback_title(const char *path)
{
    const char *b = base_name(path);
    const char *dot = strrchr(b, '.');
    return strndup(b, dot && dot != b ? (size_t)(dot - b) : strlen(b));
}

/*
 * Add IT with text BODY to the catalogue in the run's open transaction
 * (opened here when needed), numbering it there: 档号 and 索引号 come from
 * gap-free series, so the duplicate check is made again under the
 * transaction's lock first. GK_ERR_EXISTS (*id the existing item) when
 * another run archived the same bytes meanwhile.
 */
static gk_status_t add_item(run_t *r, gk_item_t *it, const gk_buf_t *body, int64_t *id)
{
    gk_status_t st;
    if (!r->in_txn) {
        if ((st = gk_catalogue_begin(r->d)) != GK_OK)
            return st;
        r->in_txn = 1;
    }
    if (gk_catalogue_find_sha(r->d, it->sha256, id) == GK_OK)
        return GK_ERR_EXISTS;
    char *code = NULL, *index_no = NULL;
    int year = it->year;
    /* A 档号 from the manifest stands; otherwise the filing numbers it. */
    st = it->archive_code ? GK_OK : gk_assign_archive_code(r->d, &r->o->filing, &code);
    if (st == GK_OK)
        st = gk_assign_index_no(r->d, year, &index_no);
    if (st == GK_OK) {
        const char *given_code = it->archive_code;
        if (code)
            it->archive_code = code;
        it->index_no = index_no;
        st = gk_catalogue_add(r->d, it, gk_buf_str(body), body->len, id);
        it->archive_code = (char *)given_code;
        it->index_no = NULL;
    }
    free(code);
    free(index_no);
    return st;
}

static void archive_file(run_t *r, const char *path)
{
    if (r->fn)
        r->fn(r->ctx, path, NULL);
    r->row = r->o->manifest ? gk_manifest_match(r->o->manifest, path) : NULL;
    if (r->row)
        r->row->used = 1;
    unsigned char *data = NULL;
    size_t len = 0;
    char err[512] = "";
    gk_fields_t f;
    gk_fields_init(&f);
    gk_status_t st = read_file(path, r->o->limits.max_file_bytes, &data, &len, err, sizeof err);
    if (st != GK_OK) {
        report(r, path, GK_ARCHIVE_FAILED, 0, st, err, NULL, 0);
        goto out;
    }
    char sha[65];
    gk_sha256_buffer(data, len, sha);
    int64_t id;
    if (gk_catalogue_find_sha(r->d, sha, &id) == GK_OK) {
        report(r, path, GK_ARCHIVE_DUPLICATE, id, GK_OK, NULL, NULL, (int64_t)len);
        goto out;
    }
    char mime[128], charset[64];
    if ((st = gk_detect(r->det, data, len, mime, sizeof mime, charset, sizeof charset)) != GK_OK) {
        report(r, path, GK_ARCHIVE_FAILED, 0, st, "cannot detect the file type", NULL, (int64_t)len);
        goto out;
    }
    const gk_extractor_t *ex = gk_extractor_for(mime);
    if (!ex) {
        snprintf(err, sizeof err, "unsupported file type %s", mime);
        report(r, path, GK_ARCHIVE_FAILED, 0, GK_ERR_UNSUPPORTED, err, NULL, (int64_t)len);
        goto out;
    }
    gk_input_t in = {path, data, len, mime, charset};
    st = ex->isolate && r->o->isolate ? gk_isolate_extract(r->o->isolate, ex, &in, &r->o->limits, &f)
                                      : gk_extract(ex, &in, &r->o->limits, &f);
    if (st != GK_OK) {
        snprintf(err, sizeof err, "%s", f.error[0] ? f.error : gk_status_to_string(st));
        report(r, path, GK_ARCHIVE_FAILED, 0, st, err, ex->name, (int64_t)len);
        goto out;
    }
    char *fallback = fallback_title(path);
    gk_tag_given_t given = {r->o->category, r->o->type, r->o->visibility, r->o->visibility_given, r->o->year,
                            r->o->classifier, r->row};
    gk_tags_t tags;
    if (!fallback || gk_tag_item(&f, fallback, &given, &tags) != GK_OK) {
        free(fallback);
        report(r, path, GK_ARCHIVE_FAILED, 0, GK_ERR_NOMEM, "out of memory", ex->name, (int64_t)len);
        goto out;
    }
    gk_item_t it = {
        .sha256 = sha,
        .filename = (char *)base_name(path),
        .source_path = (char *)path,
        .size = (int64_t)len,
        .mime = mime,
        .format = (char *)ex->name,
        .charset = f.charset,
        .title = tags.title,
        .date = tags.date,
        .docno = tags.docno,
        .organ = tags.organ,
        .category = tags.category,
        .type = tags.type,
        .visibility = tags.visibility,
        .year = tags.year,
        .pages = tags.pages >= 0 ? tags.pages : f.pages,
        .flags = (char *)gk_fields_flag_names(f.flags),
        .recipients = tags.recipients,
        .cited_docnos = tags.cited_docnos,
        .provenance = tags.provenance,
        .archive_code = tags.archive_code,
    };
    /* The original is durable before the row that names it can commit. */
    st = gk_object_store(r->d, sha, data, len);
    if (st == GK_OK)
        st = add_item(r, &it, &f.body, &id);
    free(fallback);
    gk_tags_free(&tags);
    if (st == GK_ERR_EXISTS) {
        report(r, path, GK_ARCHIVE_DUPLICATE, id, GK_OK, NULL, NULL, (int64_t)len);
    } else if (st != GK_OK) {
        report(r, path, GK_ARCHIVE_FAILED, 0, st, gk_data_error(r->d), ex->name, (int64_t)len);
        r->fatal = st;
    } else {
        r->batch_files++;
        r->batch_bytes += f.body.len;
        report(r, path, GK_ARCHIVE_ADDED, id, GK_OK, NULL, ex->name, (int64_t)len);
        if (r->batch_files >= BATCH_FILES || r->batch_bytes >= BATCH_TEXT_BYTES)
            r->fatal = commit_batch(r);
    }
out:
    r->row = NULL;
    gk_fields_free(&f);
    free(data);
}

static int stopped(const run_t *r) { return r->fatal != GK_OK || (r->o->stop && *r->o->stop); }

static void archive_path(run_t *r, const char *path, int depth)
{
    if (stopped(r))
        return;
    struct stat sb;
    if (stat(path, &sb) != 0) {
        char err[256];
        snprintf(err, sizeof err, "%s", strerror(errno));
        report(r, path, GK_ARCHIVE_FAILED, 0, errno == ENOENT ? GK_ERR_NOT_FOUND : GK_ERR_IO, err, NULL, 0);
        return;
    }
    if (!S_ISDIR(sb.st_mode)) {
        archive_file(r, path);
        return;
    }
    if (sb.st_dev == r->data_dev && sb.st_ino == r->data_ino)
        return; /* the data directory inside a tree being archived */
    if (depth > 64) {
        report(r, path, GK_ARCHIVE_FAILED, 0, GK_ERR_TOO_LARGE, "directories nested too deeply", NULL, 0);
        return;
    }
    /* Sorted, so runs over the same tree are reproducible. */
    struct dirent **ents;
    int n = scandir(path, &ents, NULL, alphasort);
    if (n < 0) {
        char err[256];
        snprintf(err, sizeof err, "cannot read directory: %s", strerror(errno));
        report(r, path, GK_ARCHIVE_FAILED, 0, GK_ERR_IO, err, NULL, 0);
        return;
    }
    for (int i = 0; i < n; i++) {
        const char *name = ents[i]->d_name;
        if (strcmp(name, ".") && strcmp(name, "..") && !stopped(r)) {
            size_t len = strlen(path) + strlen(name) + 2;
            char *child = malloc(len);
            if (child) {
                snprintf(child, len, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", name);
                struct stat lsb;
                /* Do not follow links to directories: they can loop. */
                if (lstat(child, &lsb) == 0 && S_ISLNK(lsb.st_mode) && stat(child, &sb) == 0 && S_ISDIR(sb.st_mode))
                    ;
                else
                    archive_path(r, child, depth + 1);
                free(child);
            }
        }
        free(ents[i]);
    }
    free(ents);
}

gk_status_t gk_archive_paths(gk_data_t *d, const char *const *paths, size_t n, const gk_archive_opts_t *o,
                             gk_archive_fn fn, void *ctx)
{
    run_t r = {.d = d, .o = o, .fn = fn, .ctx = ctx};
    struct stat dsb;
    if (stat(gk_data_path(d), &dsb) == 0) {
        r.data_dev = dsb.st_dev;
        r.data_ino = dsb.st_ino;
    }
    char err[256];
    gk_status_t st = gk_detector_new(&r.det, err, sizeof err);
    if (st != GK_OK)
        return st;
    for (size_t i = 0; i < n && !stopped(&r); i++)
        archive_path(&r, paths[i], 0);
    gk_status_t c = commit_batch(&r);
    if (r.fatal == GK_OK)
        r.fatal = c;
    if (r.fatal != GK_OK && r.in_txn)
        gk_catalogue_rollback(d);
    gk_detector_free(r.det);
    if (r.fatal != GK_OK)
        return r.fatal;
    return o->stop && *o->stop ? GK_ERR_INTERRUPTED : GK_OK;
}
