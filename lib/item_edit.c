/*
 * item_edit.c — changing an item's metadata after it was archived (a
 * correction by hand with `gongkai tag`, or a rule run again). Every
 * change is logged in item_log (when, which field, old → new, how) and
 * appended to the change log, so the index follows.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

/* The fields that may change, and their columns. */
static const char *const editable[] = {"title", "date", "docno", "organ", "category", "type", "visibility"};

static int valid_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return 0;
    int m = atoi(s + 5), d = atoi(s + 8);
    return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static gk_status_t step_done(sqlite3_stmt *st)
{
    int r = sqlite3_step(st);
    sqlite3_reset(st);
    return r == SQLITE_DONE ? GK_OK : GK_ERR_CATALOGUE;
}

gk_status_t gk_item_set(gk_data_t *d, int64_t id, const char *field, const char *value, const char *how,
                        int *changed)
{
    if (changed)
        *changed = 0;
    if (!d->writable)
        return gk__fail(d, GK_ERR_INVALID, "the data directory is open read-only");
    const char *column = NULL;
    for (size_t i = 0; i < sizeof editable / sizeof editable[0]; i++)
        if (strcmp(field, editable[i]) == 0)
            column = editable[i];
    if (!column)
        return gk__fail(d, GK_ERR_INVALID, "'%s' cannot be changed (title, date, docno, organ, category, type, visibility can)",
                        field);
    if (value && !*value)
        value = NULL;
    gk_visibility_t vis;
    if (strcmp(column, "visibility") == 0 && (!value || gk_visibility_parse(value, &vis) != GK_OK))
        return gk__fail(d, GK_ERR_INVALID, "visibility is public, application or internal, not '%s'",
                        value ? value : "");
    if (strcmp(column, "date") == 0 && value && !valid_date(value))
        return gk__fail(d, GK_ERR_INVALID, "a date is YYYY-MM-DD, not '%s'", value);

    char sql[256];
    sqlite3_stmt *st;
    snprintf(sql, sizeof sql, "SELECT %s FROM items WHERE id=?", column);
    if (gk__cat_prepare(d->db, sql, &st) != SQLITE_OK)
        return gk__fail(d, GK_ERR_CATALOGUE, "reading item %lld: %s", (long long)id, sqlite3_errmsg(d->db));
    sqlite3_bind_int64(st, 1, id);
    int r = sqlite3_step(st);
    if (r != SQLITE_ROW) {
        sqlite3_reset(st);
        return r == SQLITE_DONE ? gk__fail(d, GK_ERR_NOT_FOUND, "no item %lld", (long long)id)
                                : gk__fail(d, GK_ERR_CATALOGUE, "reading item %lld: %s", (long long)id,
                                           sqlite3_errmsg(d->db));
    }
    const char *cur = (const char *)sqlite3_column_text(st, 0);
    char *old = cur ? strdup(cur) : NULL;
    sqlite3_reset(st);
    if ((old == NULL && value == NULL) || (old && value && strcmp(old, value) == 0)) {
        free(old);
        return GK_OK; /* nothing to change, nothing to log */
    }

    char now[32];
    gk__now_iso(now, sizeof now);
    gk_status_t rc = GK_ERR_CATALOGUE;
    snprintf(sql, sizeof sql,
             "UPDATE items SET %s=?, updated_at=?, provenance=json_set(COALESCE(provenance,'{}'), '$.%s',"
             " json_object('rule', ?, 'confidence', 1.0)) WHERE id=?",
             column, column);
    if (gk__cat_prepare(d->db, sql, &st) != SQLITE_OK)
        goto fail;
    if (value)
        sqlite3_bind_text(st, 1, value, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, how, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, id);
    if (step_done(st) != GK_OK)
        goto fail;
    if (gk__cat_prepare(d->db, "INSERT INTO item_log(item_id, at, field, old, new, how) VALUES(?,?,?,?,?,?)",
                        &st) != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, column, -1, SQLITE_STATIC);
    if (old)
        sqlite3_bind_text(st, 4, old, -1, SQLITE_TRANSIENT);
    if (value)
        sqlite3_bind_text(st, 5, value, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, how, -1, SQLITE_TRANSIENT);
    if (step_done(st) != GK_OK)
        goto fail;
    if (gk__cat_prepare(d->db, "INSERT INTO changes(item_id, op, at) VALUES(?, 'put', ?)", &st) != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
    if (step_done(st) != GK_OK)
        goto fail;
    free(old);
    if (changed)
        *changed = 1;
    return GK_OK;
fail:
    free(old);
    return gk__fail(d, rc, "changing %s of item %lld: %s", column, (long long)id, sqlite3_errmsg(d->db));
}

gk_status_t gk_item_history(gk_data_t *d, int64_t id, gk_item_change_fn fn, void *ctx)
{
    sqlite3_stmt *st;
    if (gk__cat_prepare(d->db, "SELECT at, field, old, new, how FROM item_log WHERE item_id=? ORDER BY id", &st) !=
        SQLITE_OK)
        return gk__fail(d, GK_ERR_CATALOGUE, "reading the history of item %lld: %s", (long long)id,
                        sqlite3_errmsg(d->db));
    sqlite3_bind_int64(st, 1, id);
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        gk_item_change_t c = {
            .at = (const char *)sqlite3_column_text(st, 0),
            .field = (const char *)sqlite3_column_text(st, 1),
            .old_value = (const char *)sqlite3_column_text(st, 2),
            .new_value = (const char *)sqlite3_column_text(st, 3),
            .how = (const char *)sqlite3_column_text(st, 4),
        };
        fn(ctx, &c);
    }
    sqlite3_reset(st);
    return r == SQLITE_DONE ? GK_OK
                            : gk__fail(d, GK_ERR_CATALOGUE, "reading the history of item %lld: %s", (long long)id,
                                       sqlite3_errmsg(d->db));
}

gk_status_t gk_index_requeue(gk_data_t *d, int64_t id)
{
    if (!d->writable)
        return gk__fail(d, GK_ERR_INVALID, "the data directory is open read-only");
    char now[32];
    gk__now_iso(now, sizeof now);
    sqlite3_stmt *st;
    /* 'put' whether or not the item exists: the index writer replaces the
     * document of an item it finds and deletes one it does not. */
    if (gk__cat_prepare(d->db, "INSERT INTO changes(item_id, op, at) VALUES(?, 'put', ?)", &st) != SQLITE_OK)
        return gk__fail(d, GK_ERR_CATALOGUE, "queueing item %lld: %s", (long long)id, sqlite3_errmsg(d->db));
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
    if (step_done(st) != GK_OK)
        return gk__fail(d, GK_ERR_CATALOGUE, "queueing item %lld: %s", (long long)id, sqlite3_errmsg(d->db));
    return GK_OK;
}
