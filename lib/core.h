/*
 * core.h — the private interface between the files of the core library.
 * One section per file, as SQLite's fts5Int.h. Nothing here is API: the
 * programs use gongkai.h (and the indexer, catalogue.h's insert path).
 */
#ifndef GK_CORE_H
#define GK_CORE_H

#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>

#include "analysis.h"
#include "buf.h"
#include "gongkai.h"
#include "xapian_shim.h"

/* ---- datadir.c ----------------------------------------------------- */

struct gk_data {
    char *dir;
    int writable;
    sqlite3 *db;               /* the catalogue */
    int nshards;               /* index shards, fixed when the index is created */
    gkx_db_t *reader;          /* all shards as one, opened on first search */
    unsigned refresh_ms;       /* how old the reader may be (gk_data_set_refresh) */
    int64_t reader_checked_ms; /* when the reader was last opened or refreshed */
    gk_tokenizer_t *tok;       /* for queries and snippets on this handle */
    char err[1024];
};

/* Record a message on the handle and return STATUS (for one-line returns). */
gk_status_t gk__fail(gk_data_t *d, gk_status_t status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* DIR/NAME into a malloc'd string (NULL on OOM). */
char *gk__path(const char *dir, const char *name);
/* The path of shard K under DIR/index (or DIR/<base> when base is given). */
char *gk__shard_path(const gk_data_t *d, const char *base, int k);
/* fsync the directory DIR, so a rename or create in it is durable. */
int gk__fsync_dir(const char *dir);
/* The current time as ISO 8601 UTC, into buf (>= 21 bytes). */
void gk__now_iso(char *buf, size_t len);
/* Open (lazily) or refresh the combined reader of all shards. */
gk_status_t gk__reader(gk_data_t *d, gkx_db_t **out);
/* The handle's tokenizer, created on first use. */
gk_status_t gk__tokenizer(gk_data_t *d, gk_tokenizer_t **out);

/* ---- catalogue.c ---------------------------------------------------- */

#define GK_SCHEMA_VERSION 3

/* Open the catalogue at PATH (WAL), creating/migrating when WRITABLE. */
gk_status_t gk__cat_open(const char *path, int writable, sqlite3 **out, char *err, size_t errlen);
gk_status_t gk__cat_meta_get(sqlite3 *db, const char *key, char **value);
gk_status_t gk__cat_meta_set(sqlite3 *db, const char *key, const char *value);
gk_status_t gk__cat_exec(sqlite3 *db, const char *sql);
/* A prepared statement for SQL, reused: a statement of this connection
 * with the same text that is not running is reset and handed back, else
 * one is prepared. Callers sqlite3_reset (never finalize) it when done, so
 * it holds no read transaction; gk__cat_close finalizes them all. */
int gk__cat_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st);
/* Finalize the cached statements and close DB. */
void gk__cat_close(sqlite3 *db);
/* Load the item ID (GK_ERR_NOT_FOUND when absent). */
gk_status_t gk__cat_get(sqlite3 *db, int64_t id, gk_item_t **out);
gk_status_t gk__cat_text(sqlite3 *db, int64_t id, char **text, size_t *len);
/* Up to CAP bytes of the start of item ID's text into BUF, without reading
 * the rest: *len bytes read, *total the text's length. *BLOB is opened on
 * first use and moved from row to row after; the caller closes it
 * (sqlite3_blob_close), which ends its read transaction. */
gk_status_t gk__cat_text_start(sqlite3 *db, sqlite3_blob **blob, int64_t id, char *buf, size_t cap, size_t *len,
                              size_t *total);
gk_status_t gk__cat_max_seq(sqlite3 *db, int64_t *seq);

/* One change of the log. */
typedef struct gk_change {
    int64_t seq;
    int64_t item_id;
} gk_change_t;

/* Up to MAX changes with seq > AFTER, in order; returns how many in *n. */
gk_status_t gk__cat_changes(sqlite3 *db, int64_t after, gk_change_t *out, int max, int *n);
/* Every item id, ascending, to FN. */
gk_status_t gk__cat_each_id(sqlite3 *db, int (*fn)(void *ctx, int64_t id, const char *sha, int64_t size),
                            void *ctx);

/* ---- objstore.c ----------------------------------------------------- */

/* The path of the object named SHA (malloc'd). */
char *gk__object_path(const gk_data_t *d, const char *sha);
/* GK_OK when the object exists and hashes to SHA; GK_ERR_NOT_FOUND,
 * GK_ERR_CORRUPT or GK_ERR_IO otherwise. */
gk_status_t gk__object_check(gk_data_t *d, const char *sha);

/* ---- index.c -------------------------------------------------------- */

/* Finish or undo a shard swap that a crash cut short (see compact_shards). */
void gk__recover_shards(gk_data_t *d);

/* Term prefixes and value slots of the index schema. */
#define GK_PREFIX_ID "Q"
#define GK_PREFIX_TITLE "S"
#define GK_PREFIX_STEM "Z"
#define GK_PREFIX_EXACT_TITLE "XE"
#define GK_PREFIX_VISIBILITY "XV"
#define GK_PREFIX_CATEGORY "XC"
#define GK_PREFIX_TYPE "XT"
#define GK_PREFIX_YEAR "XY"
#define GK_PREFIX_ORGAN "XO"
#define GK_PREFIX_FORMAT "XF"
#define GK_PREFIX_DOCNO "XD"

enum {
    GK_SLOT_DATE = 0,     /* YYYYMMDD, for sorting and date ranges */
    GK_SLOT_CATEGORY = 1, /* facet values, as displayed */
    GK_SLOT_TYPE = 2,
    GK_SLOT_YEAR = 3,
    GK_SLOT_ORGAN = 4,
    GK_SLOT_VISIBILITY = 5
};

/* The key of TITLE for exact-title matching (folded letters, digits and
 * CJK only, cut to a term's length; malloc'd), or NULL when empty. The
 * index holds GK_PREFIX_EXACT_TITLE + key, and each document's data is
 * "id<TAB>key<TAB>key..." for re-ranking by title. */
char *gk__title_key(const char *title);

/* ---- query.c -------------------------------------------------------- */

typedef struct gk_query gk_query_t;

/* Parse and compile P's query and filters into QB. *root is the query;
 * the highlight list (folded strings to mark in snippets) stays on *out. */
gk_status_t gk__query_compile(gk_data_t *d, const gk_search_params_t *p, gkx_qb_t *qb, gkx_q *root,
                              gk_query_t **out);
void gk__query_free(gk_query_t *q);
/* Folded strings to mark in snippets: N entries. */
size_t gk__query_highlights(const gk_query_t *q, const char *const **out);
/* The title keys of a plain query's words (none for queries with OR,
 * exclusions or fields), for re-ranking the first hits by title. */
size_t gk__query_title_keys(const gk_query_t *q, const char *const **out);

/* ---- snippet.c ------------------------------------------------------ */

/* A snippet of about WIDTH characters of TEXT around the best cluster of
 * the folded strings MARKS, HTML-escaped with <mark></mark>; malloc'd. */
char *gk__snippet(const char *text, size_t len, const char *const *marks, size_t nmarks, size_t width);
/* The same snippet made from only the first LEN bytes of a longer text
 * (which may end inside a character), or NULL when those bytes cannot
 * decide it: then make it from the whole text. */
char *gk__snippet_of_start(const char *text, size_t len, const char *const *marks, size_t nmarks, size_t width);

#endif
