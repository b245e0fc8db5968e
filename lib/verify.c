/*
 * verify.c — fixity and agreement: every object hashes to its name, and the
 * index holds exactly the catalogue's items.
 */
#include <stdlib.h>
#include <string.h>

#include "core.h"

typedef struct id_set {
    int64_t *v;
    size_t n, cap;
} id_set_t;

static int id_push(id_set_t *s, int64_t id)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 1024;
        int64_t *v = realloc(s->v, cap * sizeof *v);
        if (!v)
            return 1;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = id;
    return 0;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

typedef struct verify_ctx {
    gk_data_t *d;
    gk_verify_report_t *rep;
    gk_verify_problem_fn fn;
    void *ctx;
    id_set_t ids;
    int oom;
    gk_verify_progress_fn progress;
    void *pctx;
    int64_t total;
} verify_ctx_t;

/* How often progress is told: hashing is the slow part, a file at a time. */
#define PROGRESS_EVERY 32

static int check_item(void *ctx, int64_t id, const char *sha, int64_t size)
{
    verify_ctx_t *v = ctx;
    (void)size;
    v->rep->items++;
    if (v->progress && v->rep->items % PROGRESS_EVERY == 0)
        v->progress(v->pctx, v->rep->items, v->total);
    if (id_push(&v->ids, id)) {
        v->oom = 1;
        return 1;
    }
    gk_status_t rc = gk__object_check(v->d, sha);
    if (rc == GK_OK) {
        v->rep->objects_ok++;
    } else if (rc == GK_ERR_NOT_FOUND) {
        v->rep->objects_missing++;
        if (v->fn)
            v->fn(v->ctx, id, "original missing from the object store");
    } else {
        v->rep->objects_corrupt++;
        if (v->fn)
            v->fn(v->ctx, id, gk_data_error(v->d));
    }
    return 0;
}

static int collect_term(void *ctx, const char *term, size_t len)
{
    id_set_t *s = ctx;
    (void)len;
    return id_push(s, strtoll(term + strlen(GK_PREFIX_ID), NULL, 10));
}

gk_status_t gk_verify(gk_data_t *d, gk_verify_report_t *rep, gk_verify_problem_fn fn, void *ctx)
{
    return gk_verify_progress(d, rep, fn, ctx, NULL, NULL);
}

gk_status_t gk_verify_progress(gk_data_t *d, gk_verify_report_t *rep, gk_verify_problem_fn fn, void *ctx,
                               gk_verify_progress_fn progress, void *pctx)
{
    memset(rep, 0, sizeof *rep);
    verify_ctx_t v = {.d = d, .rep = rep, .fn = fn, .ctx = ctx, .progress = progress, .pctx = pctx};
    if (progress && gk_catalogue_count(d, &v.total) != GK_OK)
        v.total = 0;
    gk_status_t rc = gk__cat_each_id(d->db, check_item, &v);
    if (progress && rc == GK_OK)
        progress(pctx, rep->items, v.total);
    if (rc != GK_OK || v.oom) {
        free(v.ids.v);
        return v.oom ? GK_ERR_NOMEM : gk__fail(d, rc, "reading the catalogue: %s", sqlite3_errmsg(d->db));
    }
    gkx_db_t *db = NULL;
    id_set_t idx = {0};
    if ((rc = gk__reader(d, &db)) != GK_OK || (rc = gkx_db_each_term(db, GK_PREFIX_ID, collect_term, &idx)) != GK_OK) {
        free(v.ids.v);
        free(idx.v);
        return rc == GK_ERR_NOT_FOUND ? rc : gk__fail(d, rc, "reading the index: %s", db ? gkx_db_error(db) : d->err);
    }
    /* allterms come in string order ("Q10" < "Q9"): sort numerically. */
    if (idx.n)
        qsort(idx.v, idx.n, sizeof *idx.v, cmp_id);
    size_t i = 0, j = 0;
    while (i < v.ids.n || j < idx.n) {
        if (j == idx.n || (i < v.ids.n && v.ids.v[i] < idx.v[j])) {
            rep->index_missing++;
            if (fn)
                fn(ctx, v.ids.v[i], "missing from the index");
            i++;
        } else if (i == v.ids.n || idx.v[j] < v.ids.v[i]) {
            rep->index_extra++;
            if (fn)
                fn(ctx, idx.v[j], "in the index but not in the catalogue");
            j++;
        } else {
            i++;
            j++;
        }
    }
    free(v.ids.v);
    free(idx.v);
    return gk_index_lag(d, &rep->index_lag);
}
