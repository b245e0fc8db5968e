/* json.c — the JSON shapes of DESIGN.md (see gongkai_json.h). */
#include <string.h>

#include "core.h"
#include "gongkai_json.h"

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

json_t *gk_json_hit(const gk_hit_t *h)
{
    return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:f}", "id", (json_int_t)h->id, "title",
                     str_or_null(h->title), "filename", str_or_null(h->filename), "category",
                     str_or_null(h->category), "type", str_or_null(h->type), "date", str_or_null(h->date), "docno",
                     str_or_null(h->docno), "organ", str_or_null(h->organ), "snippet", h->snippet, "score",
                     h->score);
}

json_t *gk_json_results(const gk_results_t *r)
{
    json_t *hits = json_array(), *facets = json_object();
    for (size_t i = 0; i < gk_results_count(r); i++)
        json_array_append_new(hits, gk_json_hit(gk_results_hit(r, i)));
    static const char *const fields[] = {"category", "type", "year", "organ", "visibility"};
    for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++) {
        const gk_facet_t *f;
        size_t n = gk_results_facets(r, fields[k], &f);
        json_t *o = json_object();
        for (size_t i = 0; i < n; i++)
            json_object_set_new(o, f[i].name, json_integer(f[i].count));
        json_object_set_new(facets, fields[k], o);
    }
    return json_pack("{s:I, s:o, s:o}", "total", (json_int_t)gk_results_total(r), "hits", hits, "facets", facets);
}

json_t *gk_json_item(const gk_item_t *it)
{
    json_t *flags = json_array();
    if (it->flags) {
        const char *s = it->flags;
        while (*s) {
            const char *e = strchr(s, ',');
            size_t n = e ? (size_t)(e - s) : strlen(s);
            if (n)
                json_array_append_new(flags, json_stringn(s, n));
            s += n + (e ? 1 : 0);
        }
    }
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(it->id));
    json_object_set_new(o, "title", str_or_null(it->title));
    json_object_set_new(o, "filename", str_or_null(it->filename));
    json_object_set_new(o, "category", str_or_null(it->category));
    json_object_set_new(o, "type", str_or_null(it->type));
    json_object_set_new(o, "date", str_or_null(it->date));
    json_object_set_new(o, "docno", str_or_null(it->docno));
    json_object_set_new(o, "organ", str_or_null(it->organ));
    json_object_set_new(o, "visibility", json_string(gk_visibility_name(it->visibility)));
    json_object_set_new(o, "archive_code", str_or_null(it->archive_code));
    json_object_set_new(o, "index_no", str_or_null(it->index_no));
    json_object_set_new(o, "sha256", str_or_null(it->sha256));
    json_object_set_new(o, "size", json_integer(it->size));
    json_object_set_new(o, "mime", str_or_null(it->mime));
    json_object_set_new(o, "format", str_or_null(it->format));
    json_object_set_new(o, "charset", str_or_null(it->charset));
    json_object_set_new(o, "pages", it->pages ? json_integer(it->pages) : json_null());
    json_object_set_new(o, "year", it->year ? json_integer(it->year) : json_null());
    json_object_set_new(o, "source_path", str_or_null(it->source_path));
    json_object_set_new(o, "archived_at", str_or_null(it->archived_at));
    json_object_set_new(o, "updated_at", str_or_null(it->updated_at));
    json_object_set_new(o, "flags", flags);
    json_object_set_new(o, "recipients", str_or_null(it->recipients));
    json_t *cited = json_array();
    for (const char *s = it->cited_docnos; s && *s;) {
        const char *e = strchr(s, ';');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n)
            json_array_append_new(cited, json_stringn(s, n));
        s += n + (e ? 1 : 0);
    }
    json_object_set_new(o, "cited_docnos", cited);
    json_t *prov = it->provenance ? json_loads(it->provenance, 0, NULL) : NULL;
    json_object_set_new(o, "provenance", prov ? prov : json_object());
    return o;
}

static void add_change(void *ctx, const gk_item_change_t *c)
{
    json_array_append_new(ctx, json_pack("{s:s, s:s, s:o, s:o, s:s}", "at", c->at, "field", c->field, "old",
                                         str_or_null(c->old_value), "new", str_or_null(c->new_value), "how",
                                         c->how));
}

json_t *gk_json_item_with_history(gk_data_t *d, const gk_item_t *it)
{
    json_t *o = gk_json_item(it), *h = json_array();
    gk_item_history(d, it->id, add_change, h);
    json_object_set_new(o, "history", h);
    return o;
}

/* An item's year for statistics: the archive year, else its 成文日期's. */
#define ITEM_YEAR "COALESCE(year, CAST(substr(date,1,4) AS INTEGER))"

/* {value: count} from a two-column GROUP BY query; YEAR (when not 0) binds ?1. */
static gk_status_t group_counts(gk_data_t *d, const char *sql, int year, json_t **out)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(d->db, sql, -1, &st, NULL) != SQLITE_OK)
        return gk__fail(d, GK_ERR_CATALOGUE, "%s", sqlite3_errmsg(d->db));
    if (year)
        sqlite3_bind_int(st, 1, year);
    json_t *o = json_object();
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        json_object_set_new(o, k ? k : "(none)", json_integer(sqlite3_column_int64(st, 1)));
    }
    sqlite3_finalize(st);
    *out = o;
    return GK_OK;
}

gk_status_t gk_stats_json(gk_data_t *d, int year, json_t **out)
{
    *out = NULL;
    static const struct {
        const char *key, *select, *order;
    } groups[] = {
        {"by_format", "format", "2 DESC"},
        {"by_category", "category", "2 DESC"},
        {"by_type", "type", "2 DESC"},
        {"by_year", ITEM_YEAR, "1"},
        {"by_visibility", "visibility", "2 DESC"},
        /* Months of the 成文日期, for the year's report. */
        {"by_month", "substr(date,1,7)", "1"},
    };
    const char *where = year ? " WHERE " ITEM_YEAR " = ?1" : "";
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*), COALESCE(SUM(size),0),"
             " SUM(CASE WHEN ','||flags||',' LIKE '%%,needs_ocr,%%' THEN 1 ELSE 0 END) FROM items%s",
             where);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(d->db, sql, -1, &st, NULL) != SQLITE_OK)
        return gk__fail(d, GK_ERR_CATALOGUE, "%s", sqlite3_errmsg(d->db));
    if (year)
        sqlite3_bind_int(st, 1, year);
    json_t *o = json_object();
    if (year)
        json_object_set_new(o, "year", json_integer(year));
    if (sqlite3_step(st) == SQLITE_ROW) {
        json_object_set_new(o, "items", json_integer(sqlite3_column_int64(st, 0)));
        json_object_set_new(o, "bytes", json_integer(sqlite3_column_int64(st, 1)));
        json_object_set_new(o, "needs_ocr", json_integer(sqlite3_column_int64(st, 2)));
    }
    sqlite3_finalize(st);
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++) {
        json_t *g = NULL;
        snprintf(sql, sizeof sql, "SELECT %s, COUNT(*) FROM items%s GROUP BY 1 ORDER BY %s", groups[i].select, where,
                 groups[i].order);
        gk_status_t rc = group_counts(d, sql, year, &g);
        if (rc != GK_OK) {
            json_decref(o);
            return rc;
        }
        json_object_set_new(o, groups[i].key, g);
    }
    int64_t lag = 0;
    if (gk_index_lag(d, &lag) == GK_OK)
        json_object_set_new(o, "index_lag", json_integer(lag));
    *out = o;
    return GK_OK;
}
