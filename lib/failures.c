/*
 * failures.c — the files archive runs could not take, kept in the
 * catalogue until a later run takes them, so that a records office can
 * fix what was wrong and run only those again.
 */
#include <stdlib.h>
#include <string.h>

#include "core.h"

gk_status_t gk_failure_record(gk_data_t *d, const char *path, gk_status_t status, const char *error)
{
    char now[32];
    gk__now_iso(now, sizeof now);
    sqlite3_stmt *st;
    if (gk__cat_prepare(d->db, "INSERT OR REPLACE INTO failures(path, status, error, at) VALUES(?,?,?,?)", &st) !=
        SQLITE_OK)
        return gk__fail(d, GK_ERR_CATALOGUE, "recording a failure: %s", sqlite3_errmsg(d->db));
    sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, gk_status_to_string(status), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, error ? error : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, now, -1, SQLITE_TRANSIENT);
    int r = sqlite3_step(st);
    sqlite3_reset(st);
    return r == SQLITE_DONE ? GK_OK : gk__fail(d, GK_ERR_CATALOGUE, "recording a failure: %s", sqlite3_errmsg(d->db));
}

gk_status_t gk_failure_clear(gk_data_t *d, const char *path)
{
    sqlite3_stmt *st;
    if (gk__cat_prepare(d->db, "DELETE FROM failures WHERE path=?", &st) != SQLITE_OK)
        return gk__fail(d, GK_ERR_CATALOGUE, "clearing a failure: %s", sqlite3_errmsg(d->db));
    sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
    int r = sqlite3_step(st);
    sqlite3_reset(st);
    return r == SQLITE_DONE ? GK_OK : gk__fail(d, GK_ERR_CATALOGUE, "clearing a failure: %s", sqlite3_errmsg(d->db));
}

gk_status_t gk_failure_list(gk_data_t *d, gk_failure_fn fn, void *ctx)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(d->db, "SELECT path, status, error, at FROM failures ORDER BY path", -1, &st, NULL) !=
        SQLITE_OK)
        return gk__fail(d, GK_ERR_CATALOGUE, "reading the failures: %s", sqlite3_errmsg(d->db));
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW)
        fn(ctx, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
           (const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3));
    sqlite3_finalize(st);
    return r == SQLITE_DONE ? GK_OK : gk__fail(d, GK_ERR_CATALOGUE, "reading the failures: %s", sqlite3_errmsg(d->db));
}
