/*
 * archive.h — archiving files and directory trees: read, fingerprint,
 * detect, extract, store the original, add to the catalogue.
 *
 * Each input file ends as exactly one of: added (a new item), duplicate
 * (its bytes are already archived: the existing id is reported) or failed
 * (with a reason; the batch goes on). Additions are committed in batches;
 * a commit is the point of no return, and objects are durable before the
 * rows naming them commit, so a crash at any moment loses at most the
 * uncommitted batch, which a rerun archives again exactly once.
 */
#ifndef GK_ARCHIVE_H
#define GK_ARCHIVE_H

#include <signal.h>

#include "classify.h"
#include "extract.h"
#include "identifiers.h"
#include "manifest.h"
#include "gongkai.h"
#include "isolate.h"

#define GK_ARCHIVE_MAX_JOBS 64

typedef struct gk_archive_opts {
    const char *category;         /* NULL: the category rules decide */
    const char *type;             /* NULL: the title's 文种 */
    gk_visibility_t visibility;   /* default GK_VIS_PUBLIC */
    int visibility_given;         /* else a printed 公开方式 wins over visibility */
    int year;                     /* 0: the year of the 成文日期 */
    const gk_classifier_t *classifier; /* the category rules; NULL: none */
    gk_filing_t filing;           /* 档号 for every item when filing.fonds is set */
    gk_manifest_t *manifest;      /* a 归档文件目录 whose rows describe the files, or NULL;
                                     rows that matched a file get used set */
    gk_extract_limits_t limits;
    int jobs;                     /* workers preparing files at once (1..GK_ARCHIVE_MAX_JOBS) */
    gk_isolate_t *const *isolates; /* one per worker: extractors marked isolate run
                                     in child processes under the time and memory
                                     limits; NULL: everything in process */
    gk_jobslots_t *slots;         /* each file is prepared holding a slot; NULL: no limit */
    volatile sig_atomic_t *stop;  /* when it becomes non-zero: commit and return GK_ERR_INTERRUPTED */
} gk_archive_opts_t;

void gk_archive_opts_init(gk_archive_opts_t *o);

typedef enum gk_archive_outcome {
    GK_ARCHIVE_ADDED,
    GK_ARCHIVE_DUPLICATE,
    GK_ARCHIVE_FAILED
} gk_archive_outcome_t;

typedef struct gk_archive_event {
    const char *path;
    gk_archive_outcome_t outcome;
    int64_t id;               /* the new item, or the one it duplicates */
    gk_status_t status;       /* for failures */
    const char *error;        /* for failures: the reason */
    const char *format;       /* extractor used, for added items */
    int64_t bytes;            /* size of the file */
    int manifest_line;        /* with a manifest: the file's row, or 0 when it has none */
} gk_archive_event_t;

/* Called once per input file (and per unreadable directory), in order.
 * PATH is the file being worked on before each event (event NULL), so a
 * progress display can name it. */
typedef void (*gk_archive_fn)(void *ctx, const char *path, const gk_archive_event_t *event);

/*
 * Archive PATHS (files and directories, recursively; symbolic links to
 * directories are not followed). Returns GK_OK when the run completed
 * (individual files may have failed: see the events), GK_ERR_INTERRUPTED
 * when stopped, or the catalogue/storage error that made it stop (what
 * was committed before stays).
 */
gk_status_t gk_archive_paths(gk_data_t *data, const char *const *paths, size_t n, const gk_archive_opts_t *opts,
                             gk_archive_fn fn, void *ctx);

#endif
