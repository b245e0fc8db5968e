/*
 * numbering.c — gap-free number series (件号 within a filing class, the
 * sequence of 索引号 within a year) and the data directory's settings.
 *
 * A number is taken inside the caller's catalogue transaction, which holds
 * SQLite's write lock: two archive runs, or several workers, can never take
 * the same number, and a transaction that rolls back gives its numbers
 * back, so the series has no gaps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

gk_status_t gk_catalogue_next_number(gk_data_t *d, const char *series, int64_t *out)
{
    *out = 0;
    if (!d->writable || sqlite3_get_autocommit(d->db))
        return gk__fail(d, GK_ERR_INVALID, "numbers are taken inside a catalogue transaction");
    sqlite3_stmt *st;
    if (gk__cat_prepare(d->db,
                        "INSERT INTO series(name, last) VALUES(?, 1)"
                        " ON CONFLICT(name) DO UPDATE SET last = last + 1 RETURNING last",
                        &st) != SQLITE_OK)
        return gk__fail(d, GK_ERR_CATALOGUE, "numbering %s: %s", series, sqlite3_errmsg(d->db));
    sqlite3_bind_text(st, 1, series, -1, SQLITE_TRANSIENT);
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    while (r == SQLITE_ROW)
        r = sqlite3_step(st);
    sqlite3_reset(st);
    if (r != SQLITE_DONE || *out <= 0)
        return gk__fail(d, GK_ERR_CATALOGUE, "numbering %s: %s", series, sqlite3_errmsg(d->db));
    return GK_OK;
}

static int setting_key_valid(const char *key)
{
    /* Settings share the meta table with internal keys: keep them apart. */
    return key && strncmp(key, "setting.", 8) != 0 && strlen(key) > 0 && strlen(key) < 64;
}

gk_status_t gk_setting_get(gk_data_t *d, const char *key, char **value)
{
    *value = NULL;
    if (!setting_key_valid(key))
        return gk__fail(d, GK_ERR_INVALID, "not a setting: %s", key ? key : "");
    char k[96];
    snprintf(k, sizeof k, "setting.%s", key);
    gk_status_t rc = gk__cat_meta_get(d->db, k, value);
    if (rc != GK_OK && rc != GK_ERR_NOT_FOUND)
        return gk__fail(d, rc, "reading the setting %s: %s", key, sqlite3_errmsg(d->db));
    return rc;
}

gk_status_t gk_setting_set(gk_data_t *d, const char *key, const char *value)
{
    if (!setting_key_valid(key))
        return gk__fail(d, GK_ERR_INVALID, "not a setting: %s", key ? key : "");
    if (!d->writable)
        return gk__fail(d, GK_ERR_INVALID, "the data directory is open read-only");
    char k[96];
    snprintf(k, sizeof k, "setting.%s", key);
    if (gk__cat_meta_set(d->db, k, value) != GK_OK)
        return gk__fail(d, GK_ERR_CATALOGUE, "writing the setting %s: %s", key, sqlite3_errmsg(d->db));
    return GK_OK;
}
