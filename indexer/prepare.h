/*
 * prepare.h — everything an archive run does to one file before the
 * catalogue sees it: read, fingerprint, recognise a file already archived,
 * detect the type, extract the text (in a child process for the parsers
 * that need bounds) and decide the item's metadata. This is the part that
 * runs on several workers at once; a gk_preparer_t belongs to one thread.
 */
#ifndef GK_PREPARE_H
#define GK_PREPARE_H

#include "archive.h"
#include "extract.h"
#include "tagging.h"

typedef struct gk_preparer gk_preparer_t;

typedef struct gk_prepared {
    char *path;
    const char *filename;         /* the last part of path */
    gk_archive_outcome_t outcome; /* ADDED: ready to add; DUPLICATE (dup_id); FAILED */
    gk_status_t status;           /* for FAILED */
    char error[512];
    int64_t dup_id;
    unsigned char *data;          /* the file */
    size_t len;
    char sha[65];
    char mime[128];
    const gk_extractor_t *ex;
    gk_fields_t fields;
    gk_tags_t tags;
    gk_manifest_row_t *row;       /* the manifest's row for the file, or NULL */
} gk_prepared_t;

/* A preparer for the run options O. ISO (may be NULL: everything in
 * process) is this worker's own. A read-only handle on DATA_DIR recognises
 * files already archived before they are extracted. */
gk_status_t gk_preparer_new(const char *data_dir, const gk_archive_opts_t *o, gk_isolate_t *iso, gk_preparer_t **out,
                            char *err, size_t errlen);
void gk_preparer_free(gk_preparer_t *p);

/* Prepare the file PATH (copied) into OUT. */
void gk_prepare(gk_preparer_t *p, const char *path, gk_prepared_t *out);
/* A failure that happened before any file was read (a walk error). */
void gk_prepared_fail(gk_prepared_t *out, const char *path, gk_status_t status, const char *error);
void gk_prepared_free(gk_prepared_t *out);

#endif
