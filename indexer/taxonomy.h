/*
 * taxonomy.h — the catalogue categories (公开目录 classes) of a data
 * directory: DATA/categories.tsv with the columns
 *
 *     code  name  parent  required  scope
 *
 * (parent: a code or empty; required: "required", "optional" or empty;
 * scope: what belongs there, in words separated by 、，, or ；). A data
 * directory without one gets the default modelled on a county or town
 * disclosure catalogue (indexer/defaults/categories.tsv).
 */
#ifndef GK_TAXONOMY_H
#define GK_TAXONOMY_H

#include <stddef.h>

#include "gongkai.h"

#define GK_TAXONOMY_FILE "categories.tsv"

typedef struct gk_category {
    char *code, *name, *parent, *scope;
    int required;
} gk_category_t;

typedef struct gk_taxonomy gk_taxonomy_t;

/* Parse TEXT; SOURCE names it in messages. Codes and names must be unique
 * and every parent must be a code of the file. GK_OK, GK_ERR_INVALID (with
 * the line in ERR) or GK_ERR_NOMEM. */
gk_status_t gk_taxonomy_parse(const char *text, size_t len, const char *source, gk_taxonomy_t **out, char *err,
                              size_t errlen);
/* Load DIR/categories.tsv, first writing the default there when it is
 * absent and WRITABLE is set. */
gk_status_t gk_taxonomy_load(const char *dir, int writable, gk_taxonomy_t **out, char *err, size_t errlen);
void gk_taxonomy_free(gk_taxonomy_t *t);

size_t gk_taxonomy_count(const gk_taxonomy_t *t);
const gk_category_t *gk_taxonomy_at(const gk_taxonomy_t *t, size_t i);
/* The category named NAME, or with code NAME; NULL when none. */
const gk_category_t *gk_taxonomy_find(const gk_taxonomy_t *t, const char *name);

/* The default files, built in (NUL-terminated). */
extern const char gk_default_categories_tsv[];
extern const char gk_default_category_rules_tsv[];

/* Write TEXT to DIR/NAME unless that file exists (atomically: a temporary
 * file renamed into place). GK_OK also when it existed. */
gk_status_t gk_write_default_file(const char *dir, const char *name, const char *text, char *err, size_t errlen);

#endif
