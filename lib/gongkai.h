/*
 * gongkai.h — the public API of the gongkai core library.
 *
 * The core owns a *data directory*: the catalogue (SQLite, the system of
 * record), the object store (originals by SHA-256) and the index (Xapian,
 * derived from the catalogue's change log and rebuildable at any time).
 *
 * Conventions
 *  - Every fallible call returns a gk_status_t; GK_OK is 0.
 *  - Handles are opaque. A constructor sets its out-parameter to NULL on
 *    failure. Every *_free / *_close accepts NULL.
 *  - A failed call on a data handle leaves a human-readable message on the
 *    handle (gk_data_error), valid until the next call on that handle.
 *  - Plain records (gk_item_t) are owned by the caller and released with
 *    their *_free function.
 *  - Library code never prints and never exits: only the programs do.
 */
#ifndef GONGKAI_H
#define GONGKAI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gk_status {
    GK_OK = 0,
    GK_ERR_NOMEM,        /* out of memory */
    GK_ERR_IO,           /* a file system call failed (see the message) */
    GK_ERR_NOT_FOUND,    /* no such item, file or key */
    GK_ERR_EXISTS,       /* the thing to create is already there */
    GK_ERR_INVALID,      /* a bad argument: query, option value, identifier */
    GK_ERR_BAD_FILE,     /* the input file is damaged, empty or not what it claims */
    GK_ERR_UNSUPPORTED,  /* no extractor handles this kind of file */
    GK_ERR_TOO_LARGE,    /* an input exceeds a configured limit */
    GK_ERR_ENCODING,     /* text that cannot be decoded to valid UTF-8 */
    GK_ERR_LOCKED,       /* another process holds the lock; try again later */
    GK_ERR_CORRUPT,      /* stored data failed a consistency check */
    GK_ERR_CATALOGUE,    /* SQLite reported an error */
    GK_ERR_INDEX,        /* Xapian reported an error */
    GK_ERR_EXTRACTOR,    /* an extractor itself failed (not the file's fault) */
    GK_ERR_INTERRUPTED,  /* stopped on request (signal) */
    GK_ERR_INTERNAL,     /* a bug: an invariant did not hold */
    GK_ERR_ENCRYPTED,    /* the input file needs a password to be read */
    GK_STATUS_LAST
} gk_status_t;

/* A short English description of a status; never NULL. */
const char *gk_status_to_string(gk_status_t status);

/* ------------------------------------------------------------------ */
/* Data directory                                                       */
/* ------------------------------------------------------------------ */

typedef struct gk_data gk_data_t;

enum {
    GK_OPEN_READ = 0,       /* read-only: fails if the directory is absent */
    GK_OPEN_WRITE = 1 << 0, /* allow changes to the catalogue */
    GK_OPEN_CREATE = 1 << 1 /* create the directory when absent (implies WRITE) */
};

/*
 * Open the data directory DIR. The catalogue schema is created or migrated
 * forward when the handle may write.
 * Returns GK_OK, GK_ERR_NOT_FOUND (no such data directory), GK_ERR_IO,
 * GK_ERR_CATALOGUE, GK_ERR_CORRUPT (schema newer than this program), GK_ERR_NOMEM.
 * On failure *out is NULL and, if errmsg is not NULL, *errmsg is a malloc'd
 * message for the caller to free.
 */
gk_status_t gk_data_open(const char *dir, int flags, gk_data_t **out, char **errmsg);
void gk_data_close(gk_data_t *data);
const char *gk_data_error(const gk_data_t *data);
const char *gk_data_path(const gk_data_t *data);
/*
 * Let searches on DATA use an index reader up to MS milliseconds old
 * before looking for newer commits (default 0: look before every search).
 * A server answering many searches a second sets this: looking costs a
 * file open and read per search.
 */
void gk_data_set_refresh(gk_data_t *data, unsigned ms);

/* ------------------------------------------------------------------ */
/* Items                                                                */
/* ------------------------------------------------------------------ */

typedef enum gk_visibility {
    GK_VIS_PUBLIC = 0,      /* 主动公开 */
    GK_VIS_APPLICATION = 1, /* 依申请公开 */
    GK_VIS_INTERNAL = 2     /* 不予公开 / internal */
} gk_visibility_t;

const char *gk_visibility_name(gk_visibility_t v);
/* Parses "public", "application", "internal"; GK_ERR_INVALID otherwise. */
gk_status_t gk_visibility_parse(const char *s, gk_visibility_t *out);

/* One archived item, as the catalogue holds it. Strings are NUL-terminated
 * UTF-8 or NULL when unknown. */
typedef struct gk_item {
    int64_t id;
    char *sha256;       /* 64 lower-case hex digits */
    char *filename;     /* original file name, without directories */
    char *source_path;  /* path as given when archived */
    int64_t size;
    char *mime;         /* detected MIME type */
    char *format;       /* extractor that read it: "text", "markdown", "html" */
    char *charset;      /* charset decision, e.g. "gb18030 (detected, 100)" */
    char *title;
    char *date;         /* YYYY-MM-DD (成文日期), or NULL */
    char *docno;        /* 发文字号, or NULL */
    char *organ;        /* 发文机关 */
    char *category;     /* catalogue category */
    char *type;         /* 文种 / record type */
    gk_visibility_t visibility;
    int year;           /* archive year (0 when unknown) */
    int pages;          /* 0 when not paged */
    char *flags;        /* comma-separated, e.g. "needs_ocr"; NULL when none */
    char *archive_code; /* 档号 */
    char *index_no;     /* 索引号 */
    char *archived_at;  /* ISO 8601 UTC */
    char *updated_at;
    char *recipients;   /* 主送机关, as printed */
    char *cited_docnos; /* other 文号 the text cites, ';'-separated */
    char *provenance;   /* JSON object: for each field read from the document,
                         * {"rule": what decided it, "confidence": 0..1} */
} gk_item_t;

void gk_item_free(gk_item_t *item);

/*
 * Find an item by its id, 档号, 索引号 or 文号 (tried in that order).
 * Returns GK_OK, GK_ERR_NOT_FOUND, GK_ERR_CATALOGUE, GK_ERR_NOMEM.
 */
gk_status_t gk_item_lookup(gk_data_t *data, const char *ident, gk_item_t **out);

/* The extracted text of an item (malloc'd, NUL-terminated, caller frees). */
gk_status_t gk_item_text(gk_data_t *data, int64_t id, char **text, size_t *len);

/*
 * Copy the original of ITEM to the file PATH (or to stdout when PATH is
 * "-"), checking its SHA-256 on the way. GK_ERR_CORRUPT when the stored
 * bytes no longer match, in which case nothing is left at PATH.
 */
gk_status_t gk_item_write_original(gk_data_t *data, const gk_item_t *item, const char *path);

/*
 * Open the stored original of ITEM for reading (for serving it): a file
 * descriptor the caller closes, and its size. The bytes are not hashed
 * here (verify does that for the whole store). GK_ERR_NOT_FOUND when the
 * object is missing, GK_ERR_IO.
 */
gk_status_t gk_item_open_original(gk_data_t *data, const gk_item_t *item, int *fd, int64_t *size);

/* ------------------------------------------------------------------ */
/* Adding items: the archiving path into the object store and catalogue  */
/* ------------------------------------------------------------------ */

/*
 * Store DATA[0..len) under its SHA-256 (64 hex digits) in objects/: written
 * to a temporary file, fsync'd, renamed into place and the directory
 * fsync'd, so it is durable before any catalogue row names it. Storing
 * bytes already present is a no-op. Returns GK_OK, GK_ERR_IO.
 */
gk_status_t gk_object_store(gk_data_t *data, const char *sha256, const void *bytes, size_t len);

/* Catalogue transactions: many additions in one commit, for speed. The
 * commit is the point of no return. */
/*
 * Set FIELD ("title", "date", "docno", "organ", "category", "type" or
 * "visibility") of item ID to VALUE (NULL or "" clears it; visibility and
 * date are checked). HOW says who or what changed it (e.g. "tag"). A real
 * change is logged (gk_item_history) and queued for the index; setting the
 * value it already has does nothing. *changed (may be NULL) tells which.
 * Run it inside gk_catalogue_begin/commit. GK_OK, GK_ERR_INVALID,
 * GK_ERR_NOT_FOUND, GK_ERR_CATALOGUE.
 */
gk_status_t gk_item_set(gk_data_t *data, int64_t id, const char *field, const char *value, const char *how,
                        int *changed);

typedef struct gk_item_change {
    const char *at, *field, *old_value, *new_value, *how; /* old/new may be NULL */
} gk_item_change_t;
typedef void (*gk_item_change_fn)(void *ctx, const gk_item_change_t *change);
/* Every logged change of item ID, oldest first. */
gk_status_t gk_item_history(gk_data_t *data, int64_t id, gk_item_change_fn fn, void *ctx);

/*
 * The next number of SERIES (any name, e.g. "件号 Z109-WS·2024-D30-BGS"),
 * starting at 1. Only inside gk_catalogue_begin/commit: the transaction
 * holds the write lock, so numbers are unique across processes, and a
 * rollback returns them, so a series has no gaps.
 */
gk_status_t gk_catalogue_next_number(gk_data_t *data, const char *series, int64_t *out);

/* Settings of the data directory (e.g. "index_no.org"): GK_OK,
 * GK_ERR_NOT_FOUND (get: never set; *value NULL), GK_ERR_INVALID. */
gk_status_t gk_setting_get(gk_data_t *data, const char *key, char **value);
gk_status_t gk_setting_set(gk_data_t *data, const char *key, const char *value);

/* One item of an export, in filing order (档号, then 成文日期). */
typedef struct gk_export_row {
    const gk_item_t *item;
    int64_t number;          /* 1, 2, … in this export */
    const char *summary;     /* 内容概述: the start of the text's first paragraph */
} gk_export_row_t;
typedef void (*gk_export_fn)(void *ctx, const gk_export_row_t *row);
/* Every item of YEAR (archive year, else 成文日期's); with PUBLIC_ONLY
 * only those disclosed proactively (the 公开目录). */
gk_status_t gk_export_items(gk_data_t *data, int year, int public_only, gk_export_fn fn, void *ctx);

/*
 * Files archive runs could not take. Record PATH as failed (replacing an
 * earlier record), or clear it once a run has taken it; both inside
 * gk_catalogue_begin/commit. gk_failure_list calls FN for each, by path.
 */
gk_status_t gk_failure_record(gk_data_t *data, const char *path, gk_status_t status, const char *error);
gk_status_t gk_failure_clear(gk_data_t *data, const char *path);
typedef void (*gk_failure_fn)(void *ctx, const char *path, const char *status, const char *error, const char *at);
gk_status_t gk_failure_list(gk_data_t *data, gk_failure_fn fn, void *ctx);

gk_status_t gk_catalogue_begin(gk_data_t *data);
gk_status_t gk_catalogue_commit(gk_data_t *data);
gk_status_t gk_catalogue_rollback(gk_data_t *data);

/* The id of the item whose original has this SHA-256; GK_ERR_NOT_FOUND if none. */
gk_status_t gk_catalogue_find_sha(gk_data_t *data, const char *sha256, int64_t *id);

/*
 * Add ITEM (its id, archived_at and updated_at are ignored) with its
 * extracted TEXT, and append the change to the log. The object must have
 * been stored. Returns GK_OK (id in *id), GK_ERR_EXISTS (same SHA-256;
 * the existing id in *id), GK_ERR_CATALOGUE, GK_ERR_INVALID.
 */
gk_status_t gk_catalogue_add(gk_data_t *data, const gk_item_t *item, const char *text, size_t len,
                             int64_t *id);

/* ------------------------------------------------------------------ */
/* Index                                                                */
/* ------------------------------------------------------------------ */

typedef struct gk_index_progress {
    int64_t applied;    /* changes applied so far in this call */
    int64_t pending;    /* changes still to apply, when known */
} gk_index_progress_t;

/* Called about five times a second while the index writers run. A non-zero
 * return stops them: each commits what it has applied, and the call
 * returns GK_ERR_INTERRUPTED; the next update goes on from there. */
typedef int (*gk_index_progress_fn)(void *ctx, const gk_index_progress_t *p);

/*
 * Bring the index up to date with the catalogue's change log. Idempotent and
 * crash-safe: each shard records the last change it applied in the same
 * Xapian commit as the change itself.
 * Returns GK_OK, GK_ERR_LOCKED (another process is writing the index),
 * GK_ERR_INDEX, GK_ERR_CATALOGUE, GK_ERR_NOMEM, GK_ERR_INTERRUPTED.
 */
gk_status_t gk_index_update(gk_data_t *data, gk_index_progress_fn fn, void *ctx);

/*
 * Index while archiving: writers that follow the change log in the
 * background (one thread per shard), applying each catalogue commit as it
 * lands. gk_indexer_finish applies everything committed so far, stops the
 * writers and frees the handle; it returns what gk_index_update would.
 * The data handle must stay open, and its catalogue connection is used by
 * the caller only from one thread.
 */
typedef struct gk_indexer gk_indexer_t;

/*
 * Job slots: at most N threads of one run compute at once, counting file
 * workers and index writers alike, so that "--jobs N" means N cores. Each
 * unit of work is done between acquire and release; slots are granted in
 * the order they were asked for. A NULL handle limits nothing.
 */
typedef struct gk_jobslots gk_jobslots_t;
gk_jobslots_t *gk_jobslots_new(int n);
void gk_jobslots_acquire(gk_jobslots_t *slots);
void gk_jobslots_release(gk_jobslots_t *slots);
void gk_jobslots_free(gk_jobslots_t *slots);

/* SLOTS (may be NULL) limits the writers' work; it must outlive the
 * indexer. */
gk_status_t gk_indexer_start(gk_data_t *data, gk_jobslots_t *slots, gk_indexer_t **out);
gk_status_t gk_indexer_finish(gk_indexer_t *ix, gk_index_progress_fn fn, void *ctx);

/* Throw the index away and rebuild it from the catalogue (from seq 0).
 * The old index stays searchable until the new one is complete. */
gk_status_t gk_index_rebuild(gk_data_t *data, gk_index_progress_fn fn, void *ctx);

/*
 * Rewrite every shard compactly (full blocks, no free space), under its
 * write lock. An index filled by a large archive run ends up about twice
 * the size it needs; compacting it makes it smaller and faster to search.
 * Returns GK_OK, GK_ERR_LOCKED, GK_ERR_INDEX, GK_ERR_IO, GK_ERR_NOMEM.
 */
gk_status_t gk_index_compact(gk_data_t *data);

/* Number of archived items. */
gk_status_t gk_catalogue_count(gk_data_t *data, int64_t *items);

/* Number of changes in the catalogue not yet applied to the index. */
gk_status_t gk_index_lag(gk_data_t *data, int64_t *lag);

/* ------------------------------------------------------------------ */
/* Search                                                               */
/* ------------------------------------------------------------------ */

typedef enum gk_sort { GK_SORT_RELEVANCE = 0, GK_SORT_DATE = 1 } gk_sort_t;
typedef enum gk_scope { GK_SCOPE_PUBLIC = 0, GK_SCOPE_ALL = 1 } gk_scope_t;

#define GK_QUERY_MAX_BYTES 2048
#define GK_SEARCH_MAX_SIZE 1000

typedef struct gk_search_params {
    const char *query;     /* the query language of README.md; may be "" */
    const char *category;  /* filters; NULL = any */
    const char *type;
    const char *organ;
    int year;              /* 0 = any */
    const char *from;      /* YYYY-MM-DD inclusive, NULL = open */
    const char *to;
    gk_sort_t sort;
    int page;              /* 1-based */
    int size;              /* hits per page, 1..GK_SEARCH_MAX_SIZE */
    gk_scope_t scope;      /* GK_SCOPE_PUBLIC restricts to public items, always */
    int facets;            /* non-zero: count facets over the whole result set */
    int snippets;          /* non-zero: make highlighted snippets */
    int prefix;            /* non-zero: the query's last word is still being typed and
                            * matches any word it begins (for completions) */
} gk_search_params_t;

/* Sensible defaults: page 1, size 10, relevance, public scope, snippets and facets on. */
void gk_search_params_init(gk_search_params_t *p);

typedef struct gk_hit {
    int64_t id;
    double score;
    const char *title, *filename, *category, *type, *date, *docno, *organ;
    const char *snippet;   /* HTML-escaped, with <mark>…</mark>; never NULL */
} gk_hit_t;

typedef struct gk_facet {
    const char *name;
    int64_t count;
} gk_facet_t;

typedef struct gk_results gk_results_t;

/*
 * Run a search. Returns GK_OK, GK_ERR_INVALID (a malformed query or
 * parameter; the message is on the handle), GK_ERR_NOT_FOUND (the index has
 * never been built: run gk_index_update or gk_index_rebuild), GK_ERR_INDEX,
 * GK_ERR_CATALOGUE, GK_ERR_NOMEM. Results belong to the caller until
 * gk_results_free.
 */
gk_status_t gk_search(gk_data_t *data, const gk_search_params_t *params, gk_results_t **out);
/* Matching documents: exact with facets or below 1000, else an estimate
 * (gk_results_total_exact says which). */
int64_t gk_results_total(const gk_results_t *r);
int gk_results_total_exact(const gk_results_t *r);
size_t gk_results_count(const gk_results_t *r);
/* The i-th hit of this page; valid until gk_results_free. */
const gk_hit_t *gk_results_hit(const gk_results_t *r, size_t i);
/* Facet values of FIELD ("category", "type", "year", "organ", "visibility"), largest first. */
size_t gk_results_facets(const gk_results_t *r, const char *field, const gk_facet_t **out);
void gk_results_free(gk_results_t *r);

/* ------------------------------------------------------------------ */
/* Verification and statistics                                          */
/* ------------------------------------------------------------------ */

typedef struct gk_verify_report {
    int64_t items;
    int64_t objects_ok;
    int64_t objects_missing;
    int64_t objects_corrupt;
    int64_t index_missing;   /* items the index lacks */
    int64_t index_extra;     /* index documents with no catalogue item */
    int64_t index_lag;       /* changes not yet applied */
} gk_verify_report_t;

typedef void (*gk_verify_problem_fn)(void *ctx, int64_t id, const char *what);

/* Check every object against its SHA-256 and the index against the
 * catalogue. GK_OK means the checks ran (look at the report); the problem
 * callback, if given, hears of each problem found. GK_ERR_NOT_FOUND: the
 * index has never been built; GK_ERR_CATALOGUE, GK_ERR_INDEX, GK_ERR_NOMEM. */
gk_status_t gk_verify(gk_data_t *data, gk_verify_report_t *report, gk_verify_problem_fn fn, void *ctx);
/* The same, telling PROGRESS (with PCTX) how many of the TOTAL originals
 * have been checked, now and then and once at the end. */
typedef void (*gk_verify_progress_fn)(void *pctx, int64_t done, int64_t total);
gk_status_t gk_verify_progress(gk_data_t *data, gk_verify_report_t *report, gk_verify_problem_fn fn, void *ctx,
                               gk_verify_progress_fn progress, void *pctx);

/* Queue item ID to be indexed again (inside gk_catalogue_begin/commit): its
 * document is replaced, or deleted when the catalogue has no such item.
 * gk_index_update applies it. For verify --repair. */
gk_status_t gk_index_requeue(gk_data_t *data, int64_t id);

#ifdef __cplusplus
}
#endif
#endif /* GONGKAI_H */
