/* prepare.c — one file made ready for the catalogue (prepare.h). */
#include "prepare.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect.h"
#include "readfile.h"
#include "sha256.h"

struct gk_preparer {
    const gk_archive_opts_t *o;
    gk_isolate_t *iso;
    gk_detector_t *det;
    gk_data_t *reader; /* for recognising archived files; NULL if it cannot open */
};

gk_status_t gk_preparer_new(const char *data_dir, const gk_archive_opts_t *o, gk_isolate_t *iso, gk_preparer_t **out,
                            char *err, size_t errlen)
{
    *out = NULL;
    gk_preparer_t *p = calloc(1, sizeof *p);
    if (!p)
        return GK_ERR_NOMEM;
    p->o = o;
    p->iso = iso;
    gk_status_t st = gk_detector_new(&p->det, err, errlen);
    if (st != GK_OK) {
        free(p);
        return st;
    }
    /* Without it every file is extracted and the writer still finds the
     * duplicates: slower on a rerun, never wrong. */
    if (gk_data_open(data_dir, GK_OPEN_READ, &p->reader, NULL) != GK_OK)
        p->reader = NULL;
    *out = p;
    return GK_OK;
}

void gk_preparer_free(gk_preparer_t *p)
{
    if (!p)
        return;
    gk_detector_free(p->det);
    gk_data_close(p->reader);
    free(p);
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

void gk_prepared_fail(gk_prepared_t *out, const char *path, gk_status_t status, const char *error)
{
    memset(out, 0, sizeof *out);
    gk_fields_init(&out->fields);
    out->path = strdup(path);
    out->filename = out->path ? base_name(out->path) : "";
    out->outcome = GK_ARCHIVE_FAILED;
    out->status = status;
    snprintf(out->error, sizeof out->error, "%s", error ? error : gk_status_to_string(status));
}

void gk_prepared_free(gk_prepared_t *out)
{
    free(out->path);
    free(out->data);
    gk_fields_free(&out->fields);
    gk_tags_free(&out->tags);
    memset(out, 0, sizeof *out);
}


/* A title when the extractor found none: the file name without extension. */
static char *file_title(const char *path)
{
    const char *b = base_name(path);
    const char *dot = strrchr(b, '.');
    return strndup(b, dot && dot != b ? (size_t)(dot - b) : strlen(b));
}

static void fail(gk_prepared_t *out, gk_status_t st, const char *error)
{
    out->outcome = GK_ARCHIVE_FAILED;
    out->status = st;
    snprintf(out->error, sizeof out->error, "%s", error ? error : gk_status_to_string(st));
}

/* Read, recognise, detect, extract, tag: the first failure ends it. */
static void prepare(gk_preparer_t *p, const char *path, gk_prepared_t *out)
{
    const gk_archive_opts_t *o = p->o;
    out->row = o->manifest ? gk_manifest_match(o->manifest, path) : NULL;
    char err[512] = "";
    gk_status_t st = gk_read_file(path, o->limits.max_file_bytes, &out->data, &out->len, err, sizeof err);
    if (st != GK_OK) {
        fail(out, st, err);
        return;
    }
    gk_sha256_buffer(out->data, out->len, out->sha);
    if (p->reader && gk_catalogue_find_sha(p->reader, out->sha, &out->dup_id) == GK_OK) {
        out->outcome = GK_ARCHIVE_DUPLICATE;
        return;
    }
    char charset[64];
    if ((st = gk_detect(p->det, out->data, out->len, out->mime, sizeof out->mime, charset, sizeof charset)) != GK_OK) {
        fail(out, st, "cannot detect the file type");
        return;
    }
    const gk_extractor_t *ex = gk_extractor_for(out->mime);
    if (!ex) {
        snprintf(err, sizeof err, "unsupported file type %s", out->mime);
        fail(out, GK_ERR_UNSUPPORTED, err);
        return;
    }
    out->ex = ex;
    gk_input_t in = {path, out->data, out->len, out->mime, charset};
    st = ex->isolate && p->iso ? gk_isolate_extract(p->iso, ex, &in, &o->limits, &out->fields)
                               : gk_extract(ex, &in, &o->limits, &out->fields);
    if (st != GK_OK) {
        fail(out, st, out->fields.error[0] ? out->fields.error : NULL);
        return;
    }
    char *fallback = file_title(path);
    gk_tag_given_t given = {o->category, o->type, o->visibility, o->visibility_given, o->year, o->classifier, out->row};
    st = fallback ? gk_tag_item(&out->fields, fallback, &given, &out->tags) : GK_ERR_NOMEM;
    free(fallback);
    if (st != GK_OK)
        fail(out, st, "out of memory");
}

void gk_prepare(gk_preparer_t *p, const char *path, gk_prepared_t *out)
{
    memset(out, 0, sizeof *out);
    gk_fields_init(&out->fields);
    out->outcome = GK_ARCHIVE_ADDED;
    out->filename = "";
    if (!(out->path = strdup(path))) {
        fail(out, GK_ERR_NOMEM, NULL);
        return;
    }
    out->filename = base_name(out->path);
    prepare(p, path, out);
}
