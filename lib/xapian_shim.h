/*
 * xapian_shim.h — the C face of the only C++ file, xapian_shim.cc.
 *
 * Everything Xapian is behind opaque handles and a status; no exception and
 * no Xapian type crosses this line. The last Xapian error message is kept on
 * the handle (gkx_db_error) or, for calls without a database, returned in
 * an err buffer. Policy (which terms, which query, visibility) lives in C.
 */
#ifndef GK_XAPIAN_SHIM_H
#define GK_XAPIAN_SHIM_H

#include <stddef.h>
#include <stdint.h>

#include "gongkai.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- stemming ---- */
typedef struct gkx_stemmer gkx_stemmer_t;
gk_status_t gkx_stemmer_new(const char *language, gkx_stemmer_t **out);
void gkx_stemmer_free(gkx_stemmer_t *s);
/* Stem WORD into OUT (cap bytes, NUL-terminated); returns its length or -1. */
int gkx_stem(gkx_stemmer_t *s, const char *word, size_t len, char *out, size_t cap);

/* ---- databases ---- */
typedef struct gkx_db gkx_db_t;

/* Open (creating when absent) one writable shard at PATH.
 * GK_ERR_LOCKED when another writer holds it. */
gk_status_t gkx_db_open_writable(const char *path, gkx_db_t **out, char *err, size_t errlen);
/* Open the shards PATHS[0..n) read-only, searched as one database. */
gk_status_t gkx_db_open_readable(const char *const *paths, size_t n, gkx_db_t **out,
                                 char *err, size_t errlen);
void gkx_db_close(gkx_db_t *db);
/* Write a compact copy of the database at SRC to DST (a new directory):
 * full blocks, no free space, for a smaller and faster index. */
gk_status_t gkx_db_compact(const char *src, const char *dst, char *err, size_t errlen);
const char *gkx_db_error(const gkx_db_t *db);
/* Re-read the newest committed state (a reader only); cheap when unchanged. */
gk_status_t gkx_db_reopen(gkx_db_t *db);
uint64_t gkx_db_doccount(gkx_db_t *db);

/* Metadata (user key/value), read in *value (malloc'd, NULL when unset). */
gk_status_t gkx_db_get_metadata(gkx_db_t *db, const char *key, char **value);
gk_status_t gkx_db_set_metadata(gkx_db_t *db, const char *key, const char *value);
gk_status_t gkx_db_commit(gkx_db_t *db);

/* Calls FN for every term beginning with PREFIX (prefix included). */
gk_status_t gkx_db_each_term(gkx_db_t *db, const char *prefix,
                             int (*fn)(void *ctx, const char *term, size_t len), void *ctx);

/* ---- documents (builder) ---- */
typedef struct gkx_doc gkx_doc_t;
gk_status_t gkx_doc_new(gkx_doc_t **out);
void gkx_doc_free(gkx_doc_t *doc);
void gkx_doc_clear(gkx_doc_t *doc);
/* Add TERM at position POS (positional) or, with POS 0, without position. */
void gkx_doc_add(gkx_doc_t *doc, const char *term, size_t len, uint32_t pos);
/* A filter term: no wdf, no position. */
void gkx_doc_add_boolean(gkx_doc_t *doc, const char *term);
void gkx_doc_set_value(gkx_doc_t *doc, unsigned slot, const char *value);
void gkx_doc_set_data(gkx_doc_t *doc, const char *data);
/* Number of distinct terms in the document (a proxy for its index memory). */
size_t gkx_doc_termcount(gkx_doc_t *doc);
/* Replace the document holding the unique term IDTERM (add when absent). */
gk_status_t gkx_db_replace(gkx_db_t *db, const char *idterm, gkx_doc_t *doc);
gk_status_t gkx_db_delete(gkx_db_t *db, const char *idterm);

/* ---- queries ----
 * Query nodes belong to a builder and die with it; a node id is an index
 * into the builder. -1 stands for "no node" and propagates: an operation on
 * -1 gives -1 (the builder's failed flag tells OOM from "nothing"). */
typedef struct gkx_qb gkx_qb_t;
typedef int gkx_q;

typedef enum gkx_op {
    GKX_AND, GKX_OR, GKX_AND_NOT, GKX_AND_MAYBE, GKX_FILTER, GKX_PHRASE
} gkx_op_t;

gk_status_t gkx_qb_new(gkx_qb_t **out);
void gkx_qb_free(gkx_qb_t *qb);
int gkx_qb_failed(const gkx_qb_t *qb);
gkx_q gkx_q_term(gkx_qb_t *qb, const char *term, size_t len);
gkx_q gkx_q_match_all(gkx_qb_t *qb);
/* Any term beginning with PREFIX, weighted as one term; with MAX > 0, only
 * the MAX most frequent such terms (0: all of them). */
gkx_q gkx_q_wildcard(gkx_qb_t *qb, const char *prefix, size_t len, unsigned max);
gkx_q gkx_q_match_nothing(gkx_qb_t *qb);
/* Combine N nodes with OP (a phrase wants terms in order, adjacent). */
gkx_q gkx_q_combine(gkx_qb_t *qb, gkx_op_t op, const gkx_q *nodes, size_t n);
gkx_q gkx_q_scale(gkx_qb_t *qb, gkx_q q, double factor);
/* Documents whose value SLOT lies in [lo, hi] (strings; NULL = open). */
gkx_q gkx_q_value_range(gkx_qb_t *qb, unsigned slot, const char *lo, const char *hi);

/* ---- searching ---- */
typedef struct gkx_mset gkx_mset_t;

typedef struct gkx_search {
    gkx_q query;
    int sort_slot;          /* -1: relevance; else by this value, descending, then relevance */
    uint32_t offset, size;
    const unsigned *facet_slots;  /* count values of these slots over all matches */
    size_t nfacets;
    uint32_t check_at_least;      /* matches to examine at least: the total is exact
                                     below this; facets examine every match anyway */
} gkx_search_t;

gk_status_t gkx_search(gkx_db_t *db, gkx_qb_t *qb, const gkx_search_t *s, gkx_mset_t **out);
void gkx_mset_free(gkx_mset_t *m);
uint64_t gkx_mset_total(const gkx_mset_t *m);
/* Non-zero when the total is exact, not an estimate. */
int gkx_mset_total_exact(const gkx_mset_t *m);
size_t gkx_mset_size(const gkx_mset_t *m);
double gkx_mset_weight(const gkx_mset_t *m, size_t i);
/* The document data of hit I (valid until gkx_mset_free). */
const char *gkx_mset_data(const gkx_mset_t *m, size_t i);
/* Facet values of facet K: N entries, each a value and its count. */
size_t gkx_mset_facet_size(const gkx_mset_t *m, size_t k);
void gkx_mset_facet(const gkx_mset_t *m, size_t k, size_t i, const char **value, uint64_t *count);

#ifdef __cplusplus
}
#endif
#endif
