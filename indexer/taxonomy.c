/* taxonomy.c — the catalogue categories of a data directory (taxonomy.h). */
#include "taxonomy.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tsv.h"

struct gk_taxonomy {
    gk_category_t *v;
    size_t n, cap;
};

static const char *const columns[] = {"code", "name", "parent", "required", "scope"};

void gk_taxonomy_free(gk_taxonomy_t *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i].code);
        free(t->v[i].name);
        free(t->v[i].parent);
        free(t->v[i].scope);
    }
    free(t->v);
    free(t);
}

size_t gk_taxonomy_count(const gk_taxonomy_t *t) { return t ? t->n : 0; }

const gk_category_t *gk_taxonomy_at(const gk_taxonomy_t *t, size_t i) { return t && i < t->n ? &t->v[i] : NULL; }

const gk_category_t *gk_taxonomy_find(const gk_taxonomy_t *t, const char *name)
{
    if (!t || !name)
        return NULL;
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->v[i].name, name) == 0)
            return &t->v[i];
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->v[i].code, name) == 0)
            return &t->v[i];
    return NULL;
}

typedef struct parse_ctx {
    gk_taxonomy_t *t;
    const char *source;
    char *err;
    size_t errlen;
} parse_ctx_t;

static int add_row(void *arg, const gk_tsv_row_t *row)
{
    parse_ctx_t *p = arg;
    gk_taxonomy_t *t = p->t;
    const char *code = row->field[0], *name = row->field[1], *req = row->field[3];
    if (!*code || !*name) {
        snprintf(p->err, p->errlen, "%s:%d: a category needs a code and a name", p->source, row->line);
        return GK_ERR_INVALID;
    }
    if (gk_taxonomy_find(t, name) || gk_taxonomy_find(t, code)) {
        snprintf(p->err, p->errlen, "%s:%d: the code %s or the name %s is used twice", p->source, row->line, code,
                 name);
        return GK_ERR_INVALID;
    }
    if (*req && strcmp(req, "required") != 0 && strcmp(req, "optional") != 0) {
        snprintf(p->err, p->errlen, "%s:%d: required is 'required', 'optional' or empty, not '%s'", p->source,
                 row->line, req);
        return GK_ERR_INVALID;
    }
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 32;
        gk_category_t *v = realloc(t->v, cap * sizeof *v);
        if (!v)
            return GK_ERR_NOMEM;
        t->v = v;
        t->cap = cap;
    }
    gk_category_t *c = &t->v[t->n];
    *c = (gk_category_t){strdup(code), strdup(name), strdup(row->field[2]), strdup(row->field[4]),
                         strcmp(req, "required") == 0};
    t->n++;
    return c->code && c->name && c->parent && c->scope ? GK_OK : GK_ERR_NOMEM;
}

gk_status_t gk_taxonomy_parse(const char *text, size_t len, const char *source, gk_taxonomy_t **out, char *err,
                              size_t errlen)
{
    *out = NULL;
    gk_taxonomy_t *t = calloc(1, sizeof *t);
    if (!t)
        return GK_ERR_NOMEM;
    parse_ctx_t p = {t, source, err, errlen};
    int rc = gk_tsv_each(text, len, source, columns, 5, add_row, &p, err, errlen);
    for (size_t i = 0; rc == GK_OK && i < t->n; i++) {
        const char *parent = t->v[i].parent;
        if (*parent && !gk_taxonomy_find(t, parent)) {
            snprintf(err, errlen, "%s: the parent %s of %s is not a category of the file", source, parent,
                     t->v[i].name);
            rc = GK_ERR_INVALID;
        }
    }
    if (rc == GK_OK && t->n == 0) {
        snprintf(err, errlen, "%s: no categories", source);
        rc = GK_ERR_INVALID;
    }
    if (rc != GK_OK) {
        gk_taxonomy_free(t);
        return (gk_status_t)rc;
    }
    *out = t;
    return GK_OK;
}

gk_status_t gk_write_default_file(const char *dir, const char *name, const char *text, char *err, size_t errlen)
{
    char path[4096], tmp[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (access(path, F_OK) == 0)
        return GK_OK;
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    size_t len = strlen(text);
    int ok = fd >= 0 && write(fd, text, len) == (ssize_t)len && fsync(fd) == 0;
    if (fd >= 0)
        ok = close(fd) == 0 && ok;
    /* link(2) rather than rename(2): a file someone else put there first wins. */
    if (ok && link(tmp, path) != 0 && errno != EEXIST)
        ok = 0;
    int saved = errno;
    unlink(tmp);
    if (!ok) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(saved));
        return GK_ERR_IO;
    }
    return GK_OK;
}

gk_status_t gk_taxonomy_load(const char *dir, int writable, gk_taxonomy_t **out, char *err, size_t errlen)
{
    *out = NULL;
    gk_status_t rc;
    if (writable &&
        (rc = gk_write_default_file(dir, GK_TAXONOMY_FILE, gk_default_categories_tsv, err, errlen)) != GK_OK)
        return rc;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, GK_TAXONOMY_FILE);
    char *text;
    size_t len;
    if ((rc = gk_tsv_read_file(path, &text, &len, err, errlen)) == GK_ERR_NOT_FOUND) {
        /* A read-only handle on a directory that never archived: the default. */
        return gk_taxonomy_parse(gk_default_categories_tsv, strlen(gk_default_categories_tsv), "default categories",
                                 out, err, errlen);
    }
    if (rc != GK_OK)
        return rc;
    rc = gk_taxonomy_parse(text, len, path, out, err, errlen);
    free(text);
    return rc;
}
