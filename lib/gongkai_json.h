/*
 * gongkai_json.h — the JSON shapes of DESIGN.md, built once here for the
 * CLI's --json and the daemon's API (jansson). Each function returns a new
 * reference (NULL on out-of-memory) for the caller to json_decref.
 */
#ifndef GONGKAI_JSON_H
#define GONGKAI_JSON_H

#include <jansson.h>

#include "gongkai.h"

/* A search hit: id, title, filename, category, type, date, docno, organ, snippet, score. */
json_t *gk_json_hit(const gk_hit_t *hit);
/* {"total", "hits": [...], "facets": {"category": {name: count}, "type", "year", "organ", "visibility"}} */
json_t *gk_json_results(const gk_results_t *r);
/* show --json: the hit's fields plus organ, visibility, archive_code, index_no,
 * sha256, size, mime, pages, archived_at, flags and the rest of the item. */
/* Significant digits of the numbers printed (scores, confidences): more
 * say nothing and show binary noise (0.94999999999999996). */
#define GK_JSON_REAL_DIGITS 6

json_t *gk_json_item(const gk_item_t *item);
/* The same, plus "history": the item's logged changes, oldest first
 * ([{"at", "field", "old", "new", "how"}]). */
json_t *gk_json_item_with_history(gk_data_t *data, const gk_item_t *item);

/* stats: {"items", "bytes", "by_format", "by_category", "by_type", "by_year",
 * "by_visibility", "by_month", "needs_ocr", "index_lag"}; with YEAR (not 0)
 * only the items of that year (archive year, else 成文日期's) and "year". */
gk_status_t gk_stats_json(gk_data_t *data, int year, json_t **out);

#endif
