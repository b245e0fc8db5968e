/*
 * classify.h — the catalogue category of an item, from rules people can
 * read and change: DATA/category-rules.tsv with the columns
 *
 *     category  field  words  weight
 *
 * A row adds WEIGHT to CATEGORY when FIELD of the item holds one of WORDS
 * (separated by spaces): field "type" equals a word, "title" and "organ"
 * contain one, and "body" scores once for each distinct word it contains,
 * at most three times. Each category's scope words (taxonomy.h) count too,
 * in the title and, less, in the body. The highest score wins when it
 * reaches GK_CLASSIFY_MIN_SCORE; ties go to the category listed first in
 * the taxonomy. Rows for categories the taxonomy lacks are ignored, so one
 * rules file serves several catalogues.
 */
#ifndef GK_CLASSIFY_H
#define GK_CLASSIFY_H

#include <stddef.h>

#include "gongkai.h"
#include "taxonomy.h"

#define GK_CATEGORY_RULES_FILE "category-rules.tsv"
#define GK_CLASSIFY_MIN_SCORE 2.0

typedef struct gk_classifier gk_classifier_t;

typedef struct gk_classify_input {
    const char *type, *title, *organ; /* NULL for unknown */
    const char *body;
    size_t body_len;
} gk_classify_input_t;

typedef struct gk_classification {
    const gk_category_t *category; /* NULL: no rule reached the minimum */
    double score, confidence;      /* confidence: how far ahead of the next, 0..1 */
    char rule[256];                /* what decided, e.g. "title 低保 (category-rules.tsv:21)" */
} gk_classification_t;

/* Parse the rules TEXT for taxonomy TAX (which must outlive the
 * classifier). GK_OK, GK_ERR_INVALID (with the line in ERR), GK_ERR_NOMEM. */
gk_status_t gk_classifier_parse(const char *text, size_t len, const char *source, const gk_taxonomy_t *tax,
                                gk_classifier_t **out, char *err, size_t errlen);
/* Load DIR/category-rules.tsv (first writing the default when absent and
 * WRITABLE is set). */
gk_status_t gk_classifier_load(const char *dir, int writable, const gk_taxonomy_t *tax, gk_classifier_t **out,
                               char *err, size_t errlen);
void gk_classifier_free(gk_classifier_t *c);

/* Rows naming a category the taxonomy lacks (they never fire). */
size_t gk_classifier_unused_rows(const gk_classifier_t *c);

void gk_classify(const gk_classifier_t *c, const gk_classify_input_t *in, gk_classification_t *out);

#endif
