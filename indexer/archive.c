/* archive.c — the archiving pipeline of archive.h. */
#include "archive.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "identifiers.h"
#include "prepare.h"
#include "walk.h"

/* A batch commits after this many files or this much text, whichever first. */
#define BATCH_FILES 64
#define BATCH_TEXT_BYTES (16u << 20)

void gk_archive_opts_init(gk_archive_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->visibility = GK_VIS_PUBLIC;
    o->jobs = 1;
    gk_extract_limits_default(&o->limits);
}

/* An item added in the open batch: reported once the batch commits. */
typedef struct pending {
    char *path;
    int64_t id, bytes;
    const char *format;
    int manifest_line;
} pending_t;

/* The writer's side of a run: the catalogue and the caller's events. */
typedef struct run {
    gk_data_t *d;
    const gk_archive_opts_t *o;
    gk_archive_fn fn;
    void *ctx;
    int in_txn;
    int batch_files;
    size_t batch_bytes;
    gk_status_t fatal;     /* a catalogue or storage error that stops the run */
    gk_manifest_row_t *row; /* the manifest's row for the file being written */
    pending_t *pending;    /* added in the open batch, not yet reported */
    size_t npending;
} run_t;

static void report(run_t *r, const char *path, gk_archive_outcome_t outcome, int64_t id, gk_status_t st,
                   const char *error, const char *format, int64_t bytes)
{
    gk_archive_event_t ev = {path, outcome, id, st, error, format, bytes, r->row ? r->row->line : 0};
    if (r->fn)
        r->fn(r->ctx, path, &ev);
}

/*
 * End the open batch: commit it (COMMIT set) or roll it back, then report
 * its items, as added only once their rows are durable: a batch lost to a
 * full disk reports its files as failed, to be archived by the next run.
 */
static gk_status_t end_batch(run_t *r, int commit)
{
    gk_status_t st = GK_OK;
    if (r->in_txn) {
        st = commit ? gk_catalogue_commit(r->d) : gk_catalogue_rollback(r->d);
        if (commit && st != GK_OK)
            gk_catalogue_rollback(r->d);
    }
    int kept = commit && st == GK_OK;
    char why[512];
    snprintf(why, sizeof why, "not archived: the batch it was in could not be committed (%s); run again",
             st != GK_OK ? gk_data_error(r->d) : "the run stopped");
    for (size_t i = 0; i < r->npending; i++) {
        pending_t *p = &r->pending[i];
        gk_archive_event_t ev = {p->path, kept ? GK_ARCHIVE_ADDED : GK_ARCHIVE_FAILED, kept ? p->id : 0,
                                 kept ? GK_OK : GK_ERR_IO, kept ? NULL : why, p->format, p->bytes,
                                 p->manifest_line};
        if (r->fn)
            r->fn(r->ctx, p->path, &ev);
        free(p->path);
    }
    r->npending = 0;
    r->in_txn = 0;
    r->batch_files = 0;
    r->batch_bytes = 0;
    return st;
}

static gk_status_t commit_batch(run_t *r) { return end_batch(r, 1); }

/*
 * Add IT with text BODY to the catalogue in the run's open transaction
 * (opened here when needed), numbering it there: 档号 and 索引号 come from
 * gap-free series, so the duplicate check is made again under the
 * transaction's lock first. GK_ERR_EXISTS (*id the existing item) when
 * another run, or an identical file earlier in this one, holds the bytes.
 */
static gk_status_t open_batch(run_t *r)
{
    if (r->in_txn)
        return GK_OK;
    gk_status_t st = gk_catalogue_begin(r->d);
    r->in_txn = st == GK_OK;
    return st;
}

static gk_status_t add_item(run_t *r, gk_item_t *it, const gk_buf_t *body, int64_t *id)
{
    gk_status_t st = open_batch(r);
    if (st != GK_OK)
        return st;
    if (gk_catalogue_find_sha(r->d, it->sha256, id) == GK_OK)
        return GK_ERR_EXISTS;
    char *code = NULL, *index_no = NULL;
    /* A 档号 from the manifest stands; otherwise the filing numbers it. */
    st = it->archive_code ? GK_OK : gk_assign_archive_code(r->d, &r->o->filing, &code);
    if (st == GK_OK)
        st = gk_assign_index_no(r->d, it->year, &index_no);
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

/*
 * Keep the failures of the run in the catalogue (by absolute path) until a
 * later run takes the file, for archive --retry-failed. A file taken, or
 * found archived, is cleared.
 */
static void note_outcome(run_t *r, const gk_prepared_t *p)
{
    if (r->fatal != GK_OK || open_batch(r) != GK_OK)
        return;
    char *abs = realpath(p->path, NULL);
    const char *path = abs ? abs : p->path;
    gk_status_t st = p->outcome == GK_ARCHIVE_FAILED ? gk_failure_record(r->d, path, p->status, p->error)
                                                     : gk_failure_clear(r->d, path);
    free(abs);
    if (st != GK_OK)
        r->fatal = st;
}

/* Write one prepared file: store the original, add the item, report. */
static void write_prepared(run_t *r, gk_prepared_t *p)
{
    if (r->fn)
        r->fn(r->ctx, p->path, NULL);
    r->row = p->row;
    if (r->row)
        r->row->used = 1;
    const char *format = p->ex ? p->ex->name : NULL;
    note_outcome(r, p);
    if (p->outcome == GK_ARCHIVE_FAILED) {
        report(r, p->path, GK_ARCHIVE_FAILED, 0, p->status, p->error, format, (int64_t)p->len);
    } else if (p->outcome == GK_ARCHIVE_DUPLICATE) {
        report(r, p->path, GK_ARCHIVE_DUPLICATE, p->dup_id, GK_OK, NULL, NULL, (int64_t)p->len);
    } else {
        gk_tags_t *t = &p->tags;
        gk_item_t it = {
            .sha256 = p->sha,
            .filename = (char *)p->filename,
            .source_path = p->path,
            .size = (int64_t)p->len,
            .mime = p->mime,
            .format = (char *)format,
            .charset = p->fields.charset,
            .title = t->title,
            .date = t->date,
            .docno = t->docno,
            .organ = t->organ,
            .category = t->category,
            .type = t->type,
            .visibility = t->visibility,
            .year = t->year,
            .pages = t->pages >= 0 ? t->pages : p->fields.pages,
            .flags = (char *)gk_fields_flag_names(p->fields.flags),
            .recipients = t->recipients,
            .cited_docnos = t->cited_docnos,
            .provenance = t->provenance,
            .archive_code = t->archive_code,
        };
        int64_t id;
        /* The original is durable before the row that names it can commit. */
        gk_status_t st = gk_object_store(r->d, p->sha, p->data, p->len);
        if (st == GK_OK)
            st = add_item(r, &it, &p->fields.body, &id);
        if (st == GK_ERR_EXISTS) {
            report(r, p->path, GK_ARCHIVE_DUPLICATE, id, GK_OK, NULL, NULL, (int64_t)p->len);
        } else if (st != GK_OK) {
            report(r, p->path, GK_ARCHIVE_FAILED, 0, st, gk_data_error(r->d), format, (int64_t)p->len);
            r->fatal = st;
        } else {
            r->batch_files++;
            r->batch_bytes += p->fields.body.len;
            char *path = strdup(p->path);
            if (!path) {
                r->fatal = GK_ERR_NOMEM;
            } else {
                r->pending[r->npending++] =
                    (pending_t){path, id, (int64_t)p->len, format, r->row ? r->row->line : 0};
                if (r->batch_files >= BATCH_FILES || r->batch_bytes >= BATCH_TEXT_BYTES)
                    r->fatal = commit_batch(r);
            }
        }
    }
    r->row = NULL;
}

/* ------------------------------------------------------------------ */
/* The pipeline: a walker, N workers preparing files, one writer        */
/* ------------------------------------------------------------------ */

/*
 * Files are numbered in walk order. The walker may run at most CAP files
 * ahead of the writer, so memory stays bounded whatever the batch size,
 * and file number K lives in slot K % CAP of both rings until the writer
 * has taken it. The writer takes files in walk order, so reports, 件号
 * and the catalogue's ids come out the same with any number of workers.
 */
typedef struct job {
    char *path;
    gk_status_t status; /* not GK_OK: the walk could not read it */
    char error[256];
} job_t;

typedef struct pipeline {
    pthread_mutex_t mu;
    pthread_cond_t changed;
    size_t cap;
    job_t *jobs;
    gk_prepared_t *results;
    unsigned char *ready;
    uint64_t produced;  /* files walked */
    uint64_t handed;    /* files taken by workers */
    uint64_t written;   /* files taken by the writer */
    int walk_done;
    int quit;           /* stop everything: interrupted or a fatal error */
    const char *const *paths;
    size_t npaths;
    dev_t data_dev;
    ino_t data_ino;
    gk_jobslots_t *slots;
} pipeline_t;

typedef struct worker {
    pipeline_t *pl;
    gk_preparer_t *prep;
    pthread_t thread;
    int started;
} worker_t;

static int enqueue(void *arg, const char *path, gk_status_t status, const char *error)
{
    pipeline_t *pl = arg;
    char *copy = strdup(path);
    pthread_mutex_lock(&pl->mu);
    while (pl->produced - pl->written >= pl->cap && !pl->quit)
        pthread_cond_wait(&pl->changed, &pl->mu);
    int quit = pl->quit;
    if (!quit) {
        job_t *j = &pl->jobs[pl->produced % pl->cap];
        j->path = copy;
        j->status = copy ? status : GK_ERR_NOMEM;
        snprintf(j->error, sizeof j->error, "%s", copy ? (error ? error : "") : "out of memory");
        copy = NULL;
        pl->produced++;
        pthread_cond_broadcast(&pl->changed);
    }
    pthread_mutex_unlock(&pl->mu);
    free(copy);
    return quit;
}

static void *walker_main(void *arg)
{
    pipeline_t *pl = arg;
    gk_walk(pl->paths, pl->npaths, pl->data_dev, pl->data_ino, enqueue, pl);
    pthread_mutex_lock(&pl->mu);
    pl->walk_done = 1;
    pthread_cond_broadcast(&pl->changed);
    pthread_mutex_unlock(&pl->mu);
    return NULL;
}

static void *worker_main(void *arg)
{
    worker_t *w = arg;
    pipeline_t *pl = w->pl;
    pthread_mutex_lock(&pl->mu);
    for (;;) {
        while (pl->handed == pl->produced && !pl->walk_done && !pl->quit)
            pthread_cond_wait(&pl->changed, &pl->mu);
        if (pl->quit || pl->handed == pl->produced)
            break;
        uint64_t k = pl->handed++;
        job_t job = pl->jobs[k % pl->cap];
        pl->jobs[k % pl->cap].path = NULL;
        pthread_mutex_unlock(&pl->mu);
        gk_prepared_t res;
        if (job.status != GK_OK || !job.path)
            gk_prepared_fail(&res, job.path ? job.path : "", job.status, job.error);
        else {
            gk_jobslots_acquire(pl->slots);
            gk_prepare(w->prep, job.path, &res);
            gk_jobslots_release(pl->slots);
        }
        free(job.path);
        pthread_mutex_lock(&pl->mu);
        pl->results[k % pl->cap] = res;
        pl->ready[k % pl->cap] = 1;
        pthread_cond_broadcast(&pl->changed);
    }
    pthread_mutex_unlock(&pl->mu);
    return NULL;
}

static int stopped(const run_t *r) { return r->fatal != GK_OK || (r->o->stop && *r->o->stop); }

/* The writer: take files in walk order until all are written or the run stops. */
static void write_all(run_t *r, pipeline_t *pl)
{
    pthread_mutex_lock(&pl->mu);
    for (;;) {
        size_t slot = pl->written % pl->cap;
        while (!pl->ready[slot] && !(pl->walk_done && pl->written == pl->produced) && !stopped(r)) {
            /* Wake now and then to notice an interruption. */
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_nsec += 100 * 1000000L;
            if (ts.tv_nsec >= 1000000000L) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&pl->changed, &pl->mu, &ts);
        }
        if (!pl->ready[slot] || stopped(r))
            break;
        gk_prepared_t res = pl->results[slot];
        pl->ready[slot] = 0;
        pl->written++;
        pthread_cond_broadcast(&pl->changed);
        pthread_mutex_unlock(&pl->mu);
        write_prepared(r, &res);
        gk_prepared_free(&res);
        pthread_mutex_lock(&pl->mu);
    }
    pl->quit = 1;
    pthread_cond_broadcast(&pl->changed);
    pthread_mutex_unlock(&pl->mu);
}

gk_status_t gk_archive_paths(gk_data_t *d, const char *const *paths, size_t n, const gk_archive_opts_t *o,
                             gk_archive_fn fn, void *ctx)
{
    run_t r = {.d = d, .o = o, .fn = fn, .ctx = ctx};
    int jobs = o->jobs < 1 ? 1 : o->jobs > GK_ARCHIVE_MAX_JOBS ? GK_ARCHIVE_MAX_JOBS : o->jobs;
    pipeline_t pl = {.cap = (size_t)(2 * jobs + 2), .paths = paths, .npaths = n, .slots = o->slots};
    struct stat dsb;
    if (stat(gk_data_path(d), &dsb) == 0) {
        pl.data_dev = dsb.st_dev;
        pl.data_ino = dsb.st_ino;
    }
    worker_t w[GK_ARCHIVE_MAX_JOBS] = {0};
    pl.jobs = calloc(pl.cap, sizeof *pl.jobs);
    pl.results = calloc(pl.cap, sizeof *pl.results);
    pl.ready = calloc(pl.cap, 1);
    /* A batch commits when it reaches BATCH_FILES items. */
    r.pending = calloc(BATCH_FILES, sizeof *r.pending);
    if (!pl.jobs || !pl.results || !pl.ready || !r.pending) {
        free(pl.jobs);
        free(pl.results);
        free(pl.ready);
        free(r.pending);
        return GK_ERR_NOMEM;
    }
    pthread_mutex_init(&pl.mu, NULL);
    pthread_cond_init(&pl.changed, NULL);
    gk_status_t st = GK_OK;
    char err[256];
    for (int i = 0; i < jobs && st == GK_OK; i++) {
        w[i].pl = &pl;
        st = gk_preparer_new(gk_data_path(d), o, o->isolates ? o->isolates[i] : NULL, &w[i].prep, err, sizeof err);
    }
    pthread_t walker;
    int walking = st == GK_OK && pthread_create(&walker, NULL, walker_main, &pl) == 0;
    if (st == GK_OK && !walking)
        st = GK_ERR_NOMEM;
    for (int i = 0; i < jobs && st == GK_OK; i++)
        w[i].started = pthread_create(&w[i].thread, NULL, worker_main, &w[i]) == 0;
    if (st == GK_OK && !w[0].started)
        st = GK_ERR_NOMEM;
    if (st == GK_OK) {
        write_all(&r, &pl);
    } else {
        pthread_mutex_lock(&pl.mu);
        pl.quit = 1;
        pthread_cond_broadcast(&pl.changed);
        pthread_mutex_unlock(&pl.mu);
    }
    if (walking)
        pthread_join(walker, NULL);
    for (int i = 0; i < jobs; i++) {
        if (w[i].started)
            pthread_join(w[i].thread, NULL);
        gk_preparer_free(w[i].prep);
    }
    /* What was walked or prepared but not written is left for the next run. */
    for (size_t i = 0; i < pl.cap; i++) {
        free(pl.jobs[i].path);
        if (pl.ready[i])
            gk_prepared_free(&pl.results[i]);
    }
    free(pl.jobs);
    free(pl.results);
    free(pl.ready);
    pthread_cond_destroy(&pl.changed);
    pthread_mutex_destroy(&pl.mu);
    if (st != GK_OK) {
        free(r.pending);
        return st;
    }

    gk_status_t c = end_batch(&r, r.fatal == GK_OK);
    if (r.fatal == GK_OK)
        r.fatal = c;
    free(r.pending);
    if (r.fatal != GK_OK)
        return r.fatal;
    return o->stop && *o->stop ? GK_ERR_INTERRUPTED : GK_OK;
}
