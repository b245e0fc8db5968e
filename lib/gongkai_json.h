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
/* {"total", "hits": [...], "facets": {"category": {name: count}, "type", "year", "organ"}} */
json_t *gk_json_results(const gk_results_t *r);
/* show --json: the hit's fields plus organ, visibility, archive_code, index_no,
 * sha256, size, mime, pages, archived_at, flags and the rest of the item. */
json_t *gk_json_item(const gk_item_t *item);

/* stats: {"items", "bytes", "by_format", "by_category", "by_type", "by_year",
 * "by_visibility", "needs_ocr", "index_lag"}. */
gk_status_t gk_stats_json(gk_data_t *data, json_t **out);

#endif
