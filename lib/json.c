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
    static const char *const fields[] = {"category", "type", "year", "organ"};
    for (size_t k = 0; k < 4; k++) {
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
    return o;
}

/* {value: count} from a two-column GROUP BY query. */
static gk_status_t group_counts(gk_data_t *d, const char *sql, json_t **out)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(d->db, sql, -1, &st, NULL) != SQLITE_OK)
        return gk__fail(d, GK_ERR_CATALOGUE, "%s", sqlite3_errmsg(d->db));
    json_t *o = json_object();
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        json_object_set_new(o, k ? k : "(none)", json_integer(sqlite3_column_int64(st, 1)));
    }
    sqlite3_finalize(st);
    *out = o;
    return GK_OK;
}

gk_status_t gk_stats_json(gk_data_t *d, json_t **out)
{
    *out = NULL;
    static const struct {
        const char *key, *sql;
    } groups[] = {
        {"by_format", "SELECT format, COUNT(*) FROM items GROUP BY 1 ORDER BY 2 DESC"},
        {"by_category", "SELECT category, COUNT(*) FROM items GROUP BY 1 ORDER BY 2 DESC"},
        {"by_type", "SELECT type, COUNT(*) FROM items GROUP BY 1 ORDER BY 2 DESC"},
        {"by_year", "SELECT COALESCE(year, CAST(substr(date,1,4) AS INTEGER)), COUNT(*) FROM items"
                    " GROUP BY 1 ORDER BY 1"},
        {"by_visibility", "SELECT visibility, COUNT(*) FROM items GROUP BY 1 ORDER BY 2 DESC"},
    };
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(d->db,
                           "SELECT COUNT(*), COALESCE(SUM(size),0),"
                           " SUM(CASE WHEN ','||flags||',' LIKE '%,needs_ocr,%' THEN 1 ELSE 0 END) FROM items",
                           -1, &st, NULL) != SQLITE_OK)
        return gk__fail(d, GK_ERR_CATALOGUE, "%s", sqlite3_errmsg(d->db));
    json_t *o = json_object();
    if (sqlite3_step(st) == SQLITE_ROW) {
        json_object_set_new(o, "items", json_integer(sqlite3_column_int64(st, 0)));
        json_object_set_new(o, "bytes", json_integer(sqlite3_column_int64(st, 1)));
        json_object_set_new(o, "needs_ocr", json_integer(sqlite3_column_int64(st, 2)));
    }
    sqlite3_finalize(st);
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++) {
        json_t *g = NULL;
        gk_status_t rc = group_counts(d, groups[i].sql, &g);
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
