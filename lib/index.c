/*
 * index.c — the index follows the catalogue.
 *
 * The index is split into shards (index/shard-K); item ID lives in shard
 * ID % nshards, and each shard is written by its own thread with its own
 * catalogue connection and tokenizer, so analysis and Xapian's inversion
 * run on every core. Each shard applies the change log in order and stores
 * the last seq it has applied in its metadata *in the same commit* as the
 * documents, so after a crash it resumes from there; replaying a change is
 * harmless (replace_document by the unique id term).
 *
 * Commits happen by accumulated text size, not only document count, so the
 * memory Xapian buffers between commits stays bounded whatever the batch.
 */
#include <errno.h>
#include <ftw.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core.h"

#define META_LAST_SEQ "gongkai.last_seq"
#define CHANGES_PER_FETCH 256
/*
 * A shard commits when it has buffered this much text, or this many
 * (term, document) pairs divided among the shards: Xapian holds every pair
 * in memory until the commit (about 80 bytes each, with positions), and
 * many small documents have more pairs per byte of text than a few large
 * ones. Together they keep an archive run under ~500 MB whatever its size.
 */
#define COMMIT_BYTES (12u << 20)
#define COMMIT_PAIRS (2u * 1000 * 1000)
/* How long a writer waits for another process's lock on a shard. */
#define LOCK_WAIT_SECONDS 120
/* Title tokens are also indexed unprefixed, after the body at this gap,
 * so a phrase can never run from the body into the title. */
#define TITLE_POS_GAP 100
#define EXACT_TITLE_MAX 200

/* ------------------------------------------------------------------ */
/* Building one document                                                */
/* ------------------------------------------------------------------ */

typedef struct doc_builder {
    gkx_doc_t *doc;
    const char *prefix;   /* "" for the body, "S" for the title */
    uint32_t pos_base;
    uint32_t last_pos;
    gk_buf_t term;
} doc_builder_t;

static int add_token(void *ctx, const gk_token_t *tok)
{
    doc_builder_t *b = ctx;
    gk_buf_reset(&b->term);
    gk_buf_puts(&b->term, b->prefix);
    if (tok->kind == GK_TOKEN_STEM)
        gk_buf_puts(&b->term, GK_PREFIX_STEM);
    gk_buf_append(&b->term, tok->text, tok->len);
    if (gk_buf_failed(&b->term))
        return GK_ERR_NOMEM;
    uint32_t pos = tok->positional ? b->pos_base + tok->pos : 0;
    if (pos > b->last_pos)
        b->last_pos = pos;
    gkx_doc_add(b->doc, b->term.data, b->term.len, pos);
    return 0;
}

char *gk__title_key(const char *title)
{
    char *key = title ? gk_fold_key(title, strlen(title)) : NULL;
    if (!key || !*key) {
        free(key);
        return NULL;
    }
    /* Cut at a character boundary within Xapian's term length limit. */
    size_t n = strlen(key);
    if (n > EXACT_TITLE_MAX) {
        n = EXACT_TITLE_MAX;
        while (n > 0 && ((unsigned char)key[n] & 0xC0) == 0x80)
            n--;
        key[n] = '\0';
    }
    return key;
}

#define TITLE_FORMS 3

/*
 * The forms a title is known by: itself and, for the titles of national
 * laws and regulations, the same without the state's name, as they are
 * cited and filed ("中华人民共和国母婴保健法" is "母婴保健法"; the name may
 * also stand inside, as in "…进出中华人民共和国口岸检查办法"); and for a
 * notice that prints or forwards a document (关于印发《X》的通知), the title
 * X of that document, which is what people search for.
 * Returns how many forms were written to FORMS (malloc'd strings).
 */
static int title_forms(const char *title, char *forms[TITLE_FORMS])
{
    static const char state[] = "中华人民共和国";
    int n = 0;
    if (!title || !*title || !(forms[n] = strdup(title)))
        return 0;
    n++;
    const char *at = strstr(title, state);
    if (at && strlen(title) > strlen(state)) {
        gk_buf_t b = GK_BUF_INIT;
        gk_buf_append(&b, title, (size_t)(at - title));
        gk_buf_puts(&b, at + strlen(state));
        if ((forms[n] = gk_buf_steal(&b)))
            n++;
    }
    const char *open = strstr(title, "《"), *close = open ? strstr(open, "》的") : NULL;
    if (close && (strstr(title, "印发") || strstr(title, "转发") || strstr(title, "批转")) && n < TITLE_FORMS) {
        /* To the last 》 before 的: an embedded title may quote another. */
        for (const char *c = close; (c = strstr(c + 3, "》的")) != NULL;)
            close = c;
        open += strlen("《");
        if (close > open && (forms[n] = strndup(open, (size_t)(close - open))))
            n++;
    }
    return n;
}

/* Add the term PREFIX + KEY, taking KEY (malloc'd; NULL or empty adds
 * nothing): WEIGHTED with a frequency, else as a boolean filter term. */
static void add_key_term(gkx_doc_t *doc, const char *prefix, char *key, int weighted)
{
    if (key && *key && strlen(key) < 200) {
        gk_buf_t b = GK_BUF_INIT;
        gk_buf_puts(&b, prefix);
        gk_buf_puts(&b, key);
        if (!gk_buf_failed(&b)) {
            if (weighted)
                gkx_doc_add(doc, b.data, b.len, 0);
            else
                gkx_doc_add_boolean(doc, b.data);
        }
        gk_buf_free(&b);
    }
    free(key);
}

/* A boolean filter term PREFIX + folded VALUE. */
static void add_filter(gkx_doc_t *doc, const char *prefix, const char *value)
{
    if (value && *value)
        add_key_term(doc, prefix, gk_fold_key(value, strlen(value)), 0);
}

/* The 文号 as a term with a frequency, not a boolean filter: a query that
 * is a 文号 boosts by it (query.c), and a boolean term weighs nothing. */
static void add_docno(gkx_doc_t *doc, const char *docno)
{
    if (docno && *docno)
        add_key_term(doc, GK_PREFIX_DOCNO, gk_docno_key(docno), 1);
}

/* A joint document (organs "A;B") is found by each of its organs too. */
static void add_organ_parts(gkx_doc_t *doc, const char *organ)
{
    if (!organ || !strchr(organ, ';'))
        return;
    for (const char *s = organ; *s;) {
        size_t n = strcspn(s, ";");
        char *part = strndup(s, n);
        if (part)
            add_filter(doc, GK_PREFIX_ORGAN, part);
        free(part);
        s += n + (s[n] == ';');
    }
}

/* The year of an item for filters and facets: the archive year, else the
 * year of its date. */
static int item_year(const gk_item_t *it)
{
    if (it->year)
        return it->year;
    if (it->date && strlen(it->date) >= 4)
        return atoi(it->date);
    return 0;
}

static gk_status_t build_document(gk_tokenizer_t *tok, const gk_item_t *it, const char *text, size_t len,
                                  gkx_doc_t *doc)
{
    gkx_doc_clear(doc);
    doc_builder_t b = {.doc = doc, .prefix = ""};
    int rc = gk_tokenize(tok, GK_TOKENIZE_DOCUMENT, text, len, add_token, &b);
    char *forms[TITLE_FORMS];
    int nforms = title_forms(it->title, forms);
    /* Data: the item id, then the title keys, for re-ranking hits by title. */
    gk_buf_t data = GK_BUF_INIT;
    gk_buf_printf(&data, "%" PRId64, it->id);
    /* Every form of the title belongs to the text too (a page's <title>
     * may not be in its body, and the short form of a law's title is not),
     * so a query matches on the text alone and the title only boosts. */
    for (int k = 0; k < nforms && rc == 0; k++) {
        b.pos_base = b.last_pos + TITLE_POS_GAP;
        rc = gk_tokenize(tok, GK_TOKENIZE_DOCUMENT, forms[k], strlen(forms[k]), add_token, &b);
    }
    if (rc == 0 && nforms) {
        b.prefix = GK_PREFIX_TITLE;
        b.pos_base = 0;
        for (int k = 0; k < nforms && rc == 0; k++) {
            b.last_pos = 0;
            rc = gk_tokenize(tok, GK_TOKENIZE_DOCUMENT, forms[k], strlen(forms[k]), add_token, &b);
            b.pos_base = b.last_pos + TITLE_POS_GAP;
            char *key = gk__title_key(forms[k]);
            if (key) {
                gk_buf_t t = GK_BUF_INIT;
                gk_buf_puts(&t, GK_PREFIX_EXACT_TITLE);
                gk_buf_puts(&t, key);
                if (!gk_buf_failed(&t))
                    gkx_doc_add(doc, t.data, t.len, 0);
                gk_buf_free(&t);
                gk_buf_printf(&data, "\t%s", key);
            }
            free(key);
        }
    }
    for (int k = 0; k < nforms; k++)
        free(forms[k]);
    gk_buf_free(&b.term);
    if (rc != 0 || gk_buf_failed(&data)) {
        gk_buf_free(&data);
        return rc ? (gk_status_t)rc : GK_ERR_NOMEM;
    }
    gkx_doc_set_data(doc, data.data);
    gk_buf_free(&data);

    gkx_doc_add_boolean(doc, it->visibility == GK_VIS_PUBLIC        ? GK_PREFIX_VISIBILITY "public"
                             : it->visibility == GK_VIS_APPLICATION ? GK_PREFIX_VISIBILITY "application"
                                                                    : GK_PREFIX_VISIBILITY "internal");
    gkx_doc_set_value(doc, GK_SLOT_VISIBILITY, gk_visibility_name(it->visibility));
    add_filter(doc, GK_PREFIX_CATEGORY, it->category);
    add_filter(doc, GK_PREFIX_TYPE, it->type);
    add_filter(doc, GK_PREFIX_ORGAN, it->organ);
    add_organ_parts(doc, it->organ);
    add_filter(doc, GK_PREFIX_FORMAT, it->format);
    add_docno(doc, it->docno);
    char num[32];
    int year = item_year(it);
    if (year) {
        snprintf(num, sizeof num, "%d", year);
        add_filter(doc, GK_PREFIX_YEAR, num);
        gkx_doc_set_value(doc, GK_SLOT_YEAR, num);
    }
    if (it->date && strlen(it->date) == 10) {
        char ymd[9] = {it->date[0], it->date[1], it->date[2], it->date[3],
                       it->date[5], it->date[6], it->date[8], it->date[9], 0};
        gkx_doc_set_value(doc, GK_SLOT_DATE, ymd);
    }
    if (it->category)
        gkx_doc_set_value(doc, GK_SLOT_CATEGORY, it->category);
    if (it->type)
        gkx_doc_set_value(doc, GK_SLOT_TYPE, it->type);
    if (it->organ)
        gkx_doc_set_value(doc, GK_SLOT_ORGAN, it->organ);
    return GK_OK;
}

/* ------------------------------------------------------------------ */
/* Shard writers                                                        */
/* ------------------------------------------------------------------ */

struct gk_indexer {
    gk_data_t *d;
    const char *base;          /* "index" or the rebuild directory */
    gk_jobslots_t *slots;      /* shared with the run's other workers, or NULL */
    int64_t target;            /* -1 while following; then apply up to this seq and stop */
    int stop;                  /* set: commit what was applied and stop now */
    struct shard_job *jobs;
    pthread_t *threads;
    int started;
};

typedef struct shard_job {
    gk_indexer_t *ix;
    int shard;
    int64_t applied;           /* changes applied (for progress) */
    gk_status_t rc;
    int done;                  /* set when the writer has finished */
    char err[512];
} shard_job_t;

static int64_t shard_last_seq(gkx_db_t *db)
{
    char *v = NULL;
    int64_t seq = 0;
    if (gkx_db_get_metadata(db, META_LAST_SEQ, &v) == GK_OK && v)
        seq = strtoll(v, NULL, 10);
    free(v);
    return seq;
}

static gk_status_t open_shard_writer(const char *path, gkx_db_t **db, char *err, size_t errlen)
{
    for (int waited = 0;; waited++) {
        gk_status_t rc = gkx_db_open_writable(path, db, err, errlen);
        /* A lock file that cannot be made is not another writer's lock:
         * waiting would not help. */
        if (rc == GK_ERR_LOCKED && strstr(err, "Read-only file system"))
            return GK_ERR_IO;
        if (rc != GK_ERR_LOCKED || waited >= LOCK_WAIT_SECONDS * 4)
            return rc;
        struct timespec ts = {0, 250 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

/* A commit merges what was buffered: work, like indexing, so it is done
 * holding a slot. */
static gk_status_t commit_shard(gkx_db_t *db, int64_t seq, gk_jobslots_t *slots)
{
    char num[32];
    snprintf(num, sizeof num, "%" PRId64, seq);
    gk_jobslots_acquire(slots);
    gk_status_t rc = gkx_db_set_metadata(db, META_LAST_SEQ, num);
    if (rc == GK_OK)
        rc = gkx_db_commit(db);
    gk_jobslots_release(slots);
    return rc;
}

/* Apply one change to the shard; adds its text size to *bytes and its
 * term count to *pairs. */
static gk_status_t apply_change(shard_job_t *j, sqlite3 *cat, gkx_db_t *db, gk_tokenizer_t *tok, gkx_doc_t *doc,
                                int64_t item_id, size_t *bytes, size_t *pairs)
{
    char idterm[32];
    snprintf(idterm, sizeof idterm, GK_PREFIX_ID "%" PRId64, item_id);
    gk_item_t *it = NULL;
    char *text = NULL;
    size_t len = 0;
    gk_status_t rc = gk__cat_get(cat, item_id, &it);
    if (rc == GK_OK)
        rc = gk__cat_text(cat, it->id, &text, &len);
    if (rc == GK_OK) {
        rc = build_document(tok, it, text, len, doc);
        if (rc == GK_OK)
            rc = gkx_db_replace(db, idterm, doc);
        *bytes += len;
        *pairs += gkx_doc_termcount(doc);
    } else if (rc == GK_ERR_NOT_FOUND) {
        rc = gkx_db_delete(db, idterm); /* the item is gone */
    }
    if (rc != GK_OK)
        snprintf(j->err, sizeof j->err, "indexing item %" PRId64 ": %s", item_id,
                 rc == GK_ERR_INDEX || rc == GK_ERR_NOMEM ? gkx_db_error(db)
                 : rc == GK_ERR_CATALOGUE                 ? sqlite3_errmsg(cat)
                                                          : gk_status_to_string(rc));
    gk_item_free(it);
    free(text);
    return rc;
}

static void *shard_main(void *arg)
{
    shard_job_t *j = arg;
    gk_indexer_t *ix = j->ix;
    gk_data_t *d = ix->d;
    sqlite3 *cat = NULL;
    gkx_db_t *db = NULL;
    gk_tokenizer_t *tok = NULL;
    gkx_doc_t *doc = NULL;
    char *path = gk__shard_path(d, ix->base, j->shard);
    char *catpath = gk__path(d->dir, "catalogue.db");
    gk_change_t changes[CHANGES_PER_FETCH];
    j->rc = GK_ERR_NOMEM;
    if (!path || !catpath)
        goto out;
    if ((j->rc = open_shard_writer(path, &db, j->err, sizeof j->err)) != GK_OK)
        goto out;
    if ((j->rc = gk__cat_open(catpath, 0, &cat, j->err, sizeof j->err)) != GK_OK)
        goto out;
    if ((j->rc = gk_tokenizer_new(&tok)) != GK_OK || (j->rc = gkx_doc_new(&doc)) != GK_OK) {
        snprintf(j->err, sizeof j->err, "cannot set up the analysis: %s", gk_status_to_string(j->rc));
        goto out;
    }
    int64_t last = shard_last_seq(db), committed = last;
    size_t pending_bytes = 0, pending_pairs = 0;
    const size_t max_pairs = COMMIT_PAIRS / (size_t)d->nshards;
    for (;;) {
        int64_t target = __atomic_load_n(&ix->target, __ATOMIC_ACQUIRE);
        if ((target >= 0 && last >= target) || __atomic_load_n(&ix->stop, __ATOMIC_RELAXED))
            break;
        int n;
        if ((j->rc = gk__cat_changes(cat, last, changes, CHANGES_PER_FETCH, &n)) != GK_OK) {
            snprintf(j->err, sizeof j->err, "reading the change log: %s", sqlite3_errmsg(cat));
            goto out;
        }
        if (n == 0) {
            if (target >= 0)
                break;
            /* Following an archive run: wait for its next commit. */
            struct timespec ts = {0, 20 * 1000 * 1000};
            nanosleep(&ts, NULL);
            continue;
        }
        for (int i = 0; i < n && (target < 0 || changes[i].seq <= target); i++) {
            if (__atomic_load_n(&ix->stop, __ATOMIC_RELAXED))
                break; /* before LAST moves past a change not applied */
            last = changes[i].seq;
            if (changes[i].item_id % d->nshards != j->shard)
                continue;
            gk_jobslots_acquire(ix->slots);
            j->rc = apply_change(j, cat, db, tok, doc, changes[i].item_id, &pending_bytes, &pending_pairs);
            gk_jobslots_release(ix->slots);
            if (j->rc != GK_OK)
                goto out;
            __atomic_add_fetch(&j->applied, 1, __ATOMIC_RELAXED);
        }
        if (pending_bytes >= COMMIT_BYTES || pending_pairs >= max_pairs) {
            if ((j->rc = commit_shard(db, last, ix->slots)) != GK_OK) {
                snprintf(j->err, sizeof j->err, "committing the index: %s", gkx_db_error(db));
                goto out;
            }
            committed = last;
            pending_bytes = pending_pairs = 0;
        }
    }
    if (last != committed || shard_last_seq(db) != last) {
        if ((j->rc = commit_shard(db, last, ix->slots)) != GK_OK) {
            snprintf(j->err, sizeof j->err, "committing the index: %s", gkx_db_error(db));
            goto out;
        }
    }
    j->rc = GK_OK;
out:
    gkx_doc_free(doc);
    gk_tokenizer_free(tok);
    gkx_db_close(db);
    gk__cat_close(cat);
    free(path);
    free(catpath);
    __atomic_store_n(&j->done, 1, __ATOMIC_RELEASE);
    return NULL;
}

static gk_status_t indexer_start(gk_data_t *d, const char *base, gk_jobslots_t *slots, gk_indexer_t **out)
{
    *out = NULL;
    char *dir = gk__path(d->dir, base);
    if (!dir)
        return GK_ERR_NOMEM;
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        gk_status_t rc = gk__fail(d, GK_ERR_IO, "cannot create %s: %s", dir, strerror(errno));
        free(dir);
        return rc;
    }
    free(dir);
    gk_indexer_t *ix = calloc(1, sizeof *ix);
    if (!ix || !(ix->jobs = calloc((size_t)d->nshards, sizeof *ix->jobs)) ||
        !(ix->threads = calloc((size_t)d->nshards, sizeof *ix->threads))) {
        if (ix)
            free(ix->jobs);
        free(ix);
        return GK_ERR_NOMEM;
    }
    ix->d = d;
    ix->base = base;
    ix->slots = slots;
    ix->target = -1;
    for (int k = 0; k < d->nshards; k++) {
        ix->jobs[k] = (shard_job_t){.ix = ix, .shard = k};
        if (pthread_create(&ix->threads[k], NULL, shard_main, &ix->jobs[k]) != 0)
            break;
        ix->started++;
    }
    *out = ix;
    return GK_OK;
}

gk_status_t gk_indexer_start(gk_data_t *d, gk_jobslots_t *slots, gk_indexer_t **out)
{
    *out = NULL;
    if (!d->writable)
        return gk__fail(d, GK_ERR_INVALID, "the data directory is open read-only");
    return indexer_start(d, "index", slots, out);
}

gk_status_t gk_indexer_finish(gk_indexer_t *ix, gk_index_progress_fn fn, void *ctx)
{
    if (!ix)
        return GK_OK;
    gk_data_t *d = ix->d;
    int64_t target = 0;
    gk_status_t rc = GK_OK;
    if (gk__cat_max_seq(d->db, &target) != GK_OK) {
        rc = gk__fail(d, GK_ERR_CATALOGUE, "reading the change log: %s", sqlite3_errmsg(d->db));
        target = 0; /* stop the writers at what they have */
    }
    int64_t pending = 0;
    if (fn && rc == GK_OK)
        gk_index_lag(d, &pending);
    __atomic_store_n(&ix->target, target, __ATOMIC_RELEASE);
    /* Report progress while the writers run. */
    for (int alive = ix->started; fn && alive;) {
        int64_t applied = 0;
        alive = 0;
        for (int k = 0; k < ix->started; k++) {
            applied += __atomic_load_n(&ix->jobs[k].applied, __ATOMIC_RELAXED);
            alive += !__atomic_load_n(&ix->jobs[k].done, __ATOMIC_ACQUIRE);
        }
        gk_index_progress_t p = {applied, pending > applied ? pending : applied};
        if (fn(ctx, &p) && alive && !__atomic_load_n(&ix->stop, __ATOMIC_RELAXED)) {
            __atomic_store_n(&ix->stop, 1, __ATOMIC_RELAXED);
            if (rc == GK_OK)
                rc = gk__fail(d, GK_ERR_INTERRUPTED, "interrupted; the index goes on from here at the next update");
        }
        struct timespec ts = {0, 200 * 1000 * 1000};
        if (alive)
            nanosleep(&ts, NULL);
    }
    if (ix->started != d->nshards && rc == GK_OK)
        rc = gk__fail(d, GK_ERR_NOMEM, "cannot start the index writers");
    for (int k = 0; k < ix->started; k++) {
        pthread_join(ix->threads[k], NULL);
        if (ix->jobs[k].rc != GK_OK && rc == GK_OK)
            rc = gk__fail(d, ix->jobs[k].rc, "index shard %d: %s", k, ix->jobs[k].err);
    }
    free(ix->jobs);
    free(ix->threads);
    free(ix);
    return rc;
}

/* Run every shard writer up to the current end of the log. */
static gk_status_t run_shards(gk_data_t *d, const char *base, gk_index_progress_fn fn, void *ctx)
{
    gk_indexer_t *ix;
    gk_status_t rc = indexer_start(d, base, NULL, &ix);
    return rc == GK_OK ? gk_indexer_finish(ix, fn, ctx) : rc;
}

gk_status_t gk_index_update(gk_data_t *d, gk_index_progress_fn fn, void *ctx)
{
    if (!d->writable)
        return gk__fail(d, GK_ERR_INVALID, "the data directory is open read-only");
    return run_shards(d, "index", fn, ctx);
}

gk_status_t gk_index_lag(gk_data_t *d, int64_t *lag)
{
    int64_t max;
    *lag = 0;
    if (gk__cat_max_seq(d->db, &max) != GK_OK)
        return gk__fail(d, GK_ERR_CATALOGUE, "reading the change log: %s", sqlite3_errmsg(d->db));
    int64_t min_applied = max;
    for (int k = 0; k < d->nshards; k++) {
        char *path = gk__shard_path(d, NULL, k);
        if (!path)
            return GK_ERR_NOMEM;
        gkx_db_t *db = NULL;
        char err[256];
        int64_t seq = 0;
        if (gkx_db_open_readable((const char *const *)&path, 1, &db, err, sizeof err) == GK_OK)
            seq = shard_last_seq(db);
        gkx_db_close(db);
        free(path);
        if (seq < min_applied)
            min_applied = seq;
    }
    /* Changes in the gap may belong to any shard: count them all. */
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(d->db, "SELECT COUNT(*) FROM changes WHERE seq>?", -1, &st, NULL) != SQLITE_OK)
        return gk__fail(d, GK_ERR_CATALOGUE, "%s", sqlite3_errmsg(d->db));
    sqlite3_bind_int64(st, 1, min_applied);
    if (sqlite3_step(st) == SQLITE_ROW)
        *lag = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return GK_OK;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int rm_tree(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return 0;
    return nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * Replace each shard under BASE by a compact copy: an index written in
 * batches has half-full blocks, and compaction roughly halves it. The
 * shard's write lock is held throughout, so no change can slip in between
 * the copy and the swap; a crash between the two renames is undone at the
 * next open (gk__recover_shards). Shards are compacted in parallel.
 */
typedef struct compact_job {
    gk_data_t *d;
    const char *base;
    int shard;
    gk_status_t rc;
    char err[512];
} compact_job_t;

static void *compact_one(void *arg)
{
    compact_job_t *j = arg;
    char *src = gk__shard_path(j->d, j->base, j->shard), *dir = gk__path(j->d->dir, j->base);
    char *tmp = src ? malloc(strlen(src) + 16) : NULL, *old = src ? malloc(strlen(src) + 16) : NULL;
    gkx_db_t *lock = NULL;
    j->rc = GK_ERR_NOMEM;
    if (!dir || !tmp || !old)
        goto out;
    sprintf(tmp, "%s.compact", src);
    sprintf(old, "%s.old", src);
    rm_tree(tmp);
    rm_tree(old);
    if ((j->rc = open_shard_writer(src, &lock, j->err, sizeof j->err)) != GK_OK ||
        (j->rc = gkx_db_compact(src, tmp, j->err, sizeof j->err)) != GK_OK) {
        rm_tree(tmp);
        goto out;
    }
    if (rename(src, old) != 0 || rename(tmp, src) != 0) {
        j->rc = GK_ERR_IO;
        snprintf(j->err, sizeof j->err, "cannot replace the shard: %s", strerror(errno));
        goto out;
    }
    gk__fsync_dir(dir);
    rm_tree(old);
out:
    gkx_db_close(lock);
    free(src);
    free(dir);
    free(tmp);
    free(old);
    return NULL;
}

static gk_status_t compact_shards(gk_data_t *d, const char *base)
{
    compact_job_t *jobs = calloc((size_t)d->nshards, sizeof *jobs);
    pthread_t *threads = calloc((size_t)d->nshards, sizeof *threads);
    int *started = calloc((size_t)d->nshards, sizeof *started);
    gk_status_t rc = GK_OK;
    if (!jobs || !threads || !started) {
        rc = GK_ERR_NOMEM;
        goto out;
    }
    for (int k = 0; k < d->nshards; k++) {
        jobs[k] = (compact_job_t){.d = d, .base = base, .shard = k};
        started[k] = pthread_create(&threads[k], NULL, compact_one, &jobs[k]) == 0;
        if (!started[k])
            compact_one(&jobs[k]); /* no thread to be had: do it here */
    }
    for (int k = 0; k < d->nshards; k++) {
        if (started[k])
            pthread_join(threads[k], NULL);
        if (jobs[k].rc != GK_OK && rc == GK_OK)
            rc = gk__fail(d, jobs[k].rc, "compacting index shard %d: %s", k, jobs[k].err);
    }
out:
    free(jobs);
    free(threads);
    free(started);
    return rc;
}

gk_status_t gk_index_compact(gk_data_t *d)
{
    if (!d->writable)
        return gk__fail(d, GK_ERR_INVALID, "the data directory is open read-only");
    gk_status_t rc = compact_shards(d, "index");
    if (d->reader) {
        gkx_db_close(d->reader);
        d->reader = NULL;
    }
    return rc;
}

void gk__recover_shards(gk_data_t *d)
{
    for (int k = 0; k < d->nshards; k++) {
        char *src = gk__shard_path(d, NULL, k);
        char *tmp = src ? malloc(strlen(src) + 16) : NULL;
        if (tmp) {
            struct stat sb;
            sprintf(tmp, "%s.old", src);
            if (stat(src, &sb) != 0 && stat(tmp, &sb) == 0)
                rename(tmp, src); /* a swap cut short: the old shard is whole */
            sprintf(tmp, "%s.compact", src);
            rm_tree(tmp);
            sprintf(tmp, "%s.old", src);
            rm_tree(tmp);
        }
        free(src);
        free(tmp);
    }
}

gk_status_t gk_index_rebuild(gk_data_t *d, gk_index_progress_fn fn, void *ctx)
{
    if (!d->writable)
        return gk__fail(d, GK_ERR_INVALID, "the data directory is open read-only");
    char *fresh = gk__path(d->dir, "index.new"), *cur = gk__path(d->dir, "index"),
         *old = gk__path(d->dir, "index.old");
    gk_status_t rc = GK_OK;
    if (!fresh || !cur || !old) {
        rc = GK_ERR_NOMEM;
        goto out;
    }
    rm_tree(fresh);
    rm_tree(old);
    if ((rc = run_shards(d, "index.new", fn, ctx)) != GK_OK || (rc = compact_shards(d, "index.new")) != GK_OK)
        goto out;
    /* Swap: a crash between the renames is undone at the next open. */
    struct stat sb;
    if (stat(cur, &sb) == 0 && rename(cur, old) != 0) {
        rc = gk__fail(d, GK_ERR_IO, "cannot move the old index aside: %s", strerror(errno));
        goto out;
    }
    if (rename(fresh, cur) != 0) {
        rc = gk__fail(d, GK_ERR_IO, "cannot put the new index in place: %s", strerror(errno));
        rename(old, cur);
        goto out;
    }
    gk__fsync_dir(d->dir);
    rm_tree(old);
    if (d->reader) {
        gkx_db_close(d->reader);
        d->reader = NULL;
    }
out:
    free(fresh);
    free(cur);
    free(old);
    return rc;
}
