/*
 * catalogue.c — the system of record: items, their text and the change log,
 * in SQLite (WAL). The schema version lives in PRAGMA user_version and
 * migrations run forward, one step at a time, inside a transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

/* Each migration takes the schema from version i to i+1. */
static const char *const migrations[] = {
    /* 0 → 1 */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE items("
    "  id INTEGER PRIMARY KEY,"
    "  sha256 TEXT NOT NULL UNIQUE,"
    "  filename TEXT NOT NULL,"
    "  source_path TEXT,"
    "  size INTEGER NOT NULL,"
    "  mime TEXT NOT NULL,"
    "  format TEXT,"
    "  charset TEXT,"
    "  title TEXT,"
    "  date TEXT,"
    "  docno TEXT,"
    "  organ TEXT,"
    "  category TEXT,"
    "  type TEXT,"
    "  visibility TEXT NOT NULL DEFAULT 'public'"
    "    CHECK (visibility IN ('public','application','internal')),"
    "  year INTEGER,"
    "  pages INTEGER,"
    "  flags TEXT,"
    "  archive_code TEXT UNIQUE,"
    "  index_no TEXT UNIQUE,"
    "  archived_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL);"
    "CREATE INDEX items_docno ON items(docno);"
    /* Text apart from the item rows, so scans of metadata stay small. */
    "CREATE TABLE texts(item_id INTEGER PRIMARY KEY REFERENCES items(id), body TEXT NOT NULL);"
    /* Every change to an item appends here; the index follows this log. */
    "CREATE TABLE changes("
    "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  item_id INTEGER NOT NULL,"
    "  op TEXT NOT NULL CHECK (op IN ('put','delete')),"
    "  at TEXT NOT NULL);",
    /* 1 → 2: government metadata read from the text, with how each value
     * was decided, and the log of changes made by hand. */
    "ALTER TABLE items ADD COLUMN recipients TEXT;"
    "ALTER TABLE items ADD COLUMN cited_docnos TEXT;"
    "ALTER TABLE items ADD COLUMN provenance TEXT;"
    "CREATE TABLE item_log("
    "  id INTEGER PRIMARY KEY,"
    "  item_id INTEGER NOT NULL REFERENCES items(id),"
    "  at TEXT NOT NULL,"
    "  field TEXT NOT NULL,"
    "  old TEXT,"
    "  new TEXT,"
    "  how TEXT NOT NULL);"
    "CREATE INDEX item_log_item ON item_log(item_id);"
    /* Numbering series (件号 per filing class, 索引号 per year): the last
     * number given, advanced inside the transaction that uses it. */
    "CREATE TABLE series(name TEXT PRIMARY KEY, last INTEGER NOT NULL);",
    /* 2 → 3: files an archive run could not take, until a later run does,
     * so that a rerun can take only those (archive --retry-failed). */
    "CREATE TABLE failures(path TEXT PRIMARY KEY, status TEXT NOT NULL, error TEXT, at TEXT NOT NULL);",
};

#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))
_Static_assert(NMIGRATIONS == GK_SCHEMA_VERSION, "GK_SCHEMA_VERSION names the last migration");

gk_status_t gk__cat_exec(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? GK_OK : GK_ERR_CATALOGUE;
}

int gk__cat_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
    /* A handful of statements per connection: a scan is cheaper than the
     * parse it saves (a search looks up each hit's row and text). */
    for (sqlite3_stmt *s = sqlite3_next_stmt(db, NULL); s; s = sqlite3_next_stmt(db, s)) {
        const char *text = sqlite3_sql(s);
        if (!sqlite3_stmt_busy(s) && text && strcmp(text, sql) == 0) {
            sqlite3_reset(s);
            sqlite3_clear_bindings(s);
            *st = s;
            return SQLITE_OK;
        }
    }
    return sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
}

void gk__cat_close(sqlite3 *db)
{
    if (!db)
        return;
    sqlite3_stmt *s;
    while ((s = sqlite3_next_stmt(db, NULL)) != NULL)
        sqlite3_finalize(s);
    sqlite3_close(db);
}

static int user_version(sqlite3 *db)
{
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    return v;
}

static gk_status_t migrate(sqlite3 *db, char *err, size_t errlen)
{
    for (;;) {
        int v = user_version(db);
        if (v < 0) {
            snprintf(err, errlen, "cannot read the catalogue's schema version: %s", sqlite3_errmsg(db));
            return GK_ERR_CATALOGUE;
        }
        if (v == NMIGRATIONS)
            return GK_OK;
        if (v > NMIGRATIONS) {
            snprintf(err, errlen, "catalogue schema %d is newer than this program (%d)", v, NMIGRATIONS);
            return GK_ERR_CORRUPT;
        }
        char *msg = NULL;
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d;", v + 1);
        if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK ||
            /* Another process may have migrated while we waited for the lock. */
            (user_version(db) == v && (sqlite3_exec(db, migrations[v], NULL, NULL, &msg) != SQLITE_OK ||
                                       sqlite3_exec(db, pragma, NULL, NULL, &msg) != SQLITE_OK)) ||
            sqlite3_exec(db, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
            snprintf(err, errlen, "migrating the catalogue to schema %d: %s", v + 1,
                     msg ? msg : sqlite3_errmsg(db));
            sqlite3_free(msg);
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            return GK_ERR_CATALOGUE;
        }
    }
}

gk_status_t gk__cat_open(const char *path, int writable, sqlite3 **out, char *err, size_t errlen)
{
    *out = NULL;
    sqlite3 *db;
    int flags = writable ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
    if (sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot open the catalogue %s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return GK_ERR_CATALOGUE;
    }
    /* SQLite opens a file it cannot write read-only without a word: a
     * writer must know now, not when its first commit fails. */
    if (writable && sqlite3_db_readonly(db, "main") == 1) {
        snprintf(err, errlen, "cannot write the catalogue %s: the data directory is read-only", path);
        sqlite3_close(db);
        return GK_ERR_IO;
    }
    /* Concurrent archive runs and readers wait for each other, not fail. */
    sqlite3_busy_timeout(db, 60000);
    if (writable) {
        if (gk__cat_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;") !=
            GK_OK) {
            snprintf(err, errlen, "cannot set up the catalogue %s: %s", path, sqlite3_errmsg(db));
            sqlite3_close(db);
            return GK_ERR_CATALOGUE;
        }
        gk_status_t st = migrate(db, err, errlen);
        if (st != GK_OK) {
            sqlite3_close(db);
            return st;
        }
    } else {
        int v = user_version(db);
        if (v >= 0 && v < NMIGRATIONS) {
            /* A reader of a catalogue an older program wrote (the daemon or
             * search after an upgrade): migrate it, when it may be written,
             * rather than refuse until some write command runs. */
            sqlite3 *w = NULL;
            if (sqlite3_open_v2(path, &w, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK) {
                sqlite3_busy_timeout(w, 60000);
                char werr[256];
                if (gk__cat_exec(w, "PRAGMA journal_mode=WAL;") == GK_OK)
                    migrate(w, werr, sizeof werr);
            }
            sqlite3_close(w);
            v = user_version(db);
        }
        if (v != NMIGRATIONS) {
            snprintf(err, errlen,
                     v > NMIGRATIONS ? "catalogue schema %d is newer than this program (%d)"
                                     : "catalogue schema %d needs migrating to %d: open it once for writing",
                     v, NMIGRATIONS);
            sqlite3_close(db);
            return v < 0 ? GK_ERR_CATALOGUE : GK_ERR_CORRUPT;
        }
    }
    *out = db;
    return GK_OK;
}

gk_status_t gk__cat_meta_get(sqlite3 *db, const char *key, char **value)
{
    sqlite3_stmt *st;
    *value = NULL;
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key=?", -1, &st, NULL) != SQLITE_OK)
        return GK_ERR_CATALOGUE;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    gk_status_t rc = GK_ERR_NOT_FOUND;
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *value = strdup((const char *)sqlite3_column_text(st, 0));
        rc = *value ? GK_OK : GK_ERR_NOMEM;
    } else if (r != SQLITE_DONE) {
        rc = GK_ERR_CATALOGUE;
    }
    sqlite3_finalize(st);
    return rc;
}

gk_status_t gk__cat_meta_set(sqlite3 *db, const char *key, const char *value)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO meta(key,value) VALUES(?,?)", -1, &st, NULL) != SQLITE_OK)
        return GK_ERR_CATALOGUE;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    sqlite3_finalize(st);
    return r == SQLITE_DONE ? GK_OK : GK_ERR_CATALOGUE;
}

/* ---- items ---- */

#define ITEM_COLUMNS                                                                               \
    "id, sha256, filename, source_path, size, mime, format, charset, title, date, docno, organ, " \
    "category, type, visibility, year, pages, flags, archive_code, index_no, archived_at, updated_at, " \
    "recipients, cited_docnos, provenance"

static char *col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? strdup((const char *)s) : NULL;
}

static gk_item_t *item_from_row(sqlite3_stmt *st)
{
    gk_item_t *it = calloc(1, sizeof *it);
    if (!it)
        return NULL;
    it->id = sqlite3_column_int64(st, 0);
    it->sha256 = col_dup(st, 1);
    it->filename = col_dup(st, 2);
    it->source_path = col_dup(st, 3);
    it->size = sqlite3_column_int64(st, 4);
    it->mime = col_dup(st, 5);
    it->format = col_dup(st, 6);
    it->charset = col_dup(st, 7);
    it->title = col_dup(st, 8);
    it->date = col_dup(st, 9);
    it->docno = col_dup(st, 10);
    it->organ = col_dup(st, 11);
    it->category = col_dup(st, 12);
    it->type = col_dup(st, 13);
    const char *vis = (const char *)sqlite3_column_text(st, 14);
    if (gk_visibility_parse(vis, &it->visibility) != GK_OK)
        it->visibility = GK_VIS_INTERNAL; /* unknown values never widen access */
    it->year = sqlite3_column_int(st, 15);
    it->pages = sqlite3_column_int(st, 16);
    it->flags = col_dup(st, 17);
    it->archive_code = col_dup(st, 18);
    it->index_no = col_dup(st, 19);
    it->archived_at = col_dup(st, 20);
    it->updated_at = col_dup(st, 21);
    it->recipients = col_dup(st, 22);
    it->cited_docnos = col_dup(st, 23);
    it->provenance = col_dup(st, 24);
    return it;
}

void gk_item_free(gk_item_t *it)
{
    if (!it)
        return;
    char **strs[] = {&it->sha256, &it->filename, &it->source_path, &it->mime,  &it->format,
                     &it->charset, &it->title,   &it->date,        &it->docno, &it->organ,
                     &it->category, &it->type,   &it->flags,       &it->archive_code,
                     &it->index_no, &it->archived_at, &it->updated_at, &it->recipients,
                     &it->cited_docnos, &it->provenance};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
        free(*strs[i]);
    free(it);
}

/* Run SQL with one text parameter and load the single item it selects. */
static gk_status_t get_one(sqlite3 *db, const char *sql, const char *text, int64_t num, gk_item_t **out)
{
    sqlite3_stmt *st;
    *out = NULL;
    if (gk__cat_prepare(db, sql, &st) != SQLITE_OK)
        return GK_ERR_CATALOGUE;
    if (text)
        sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int64(st, 1, num);
    gk_status_t rc = GK_ERR_NOT_FOUND;
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *out = item_from_row(st);
        rc = *out ? GK_OK : GK_ERR_NOMEM;
    } else if (r != SQLITE_DONE) {
        rc = GK_ERR_CATALOGUE;
    }
    sqlite3_reset(st);
    return rc;
}

gk_status_t gk__cat_get(sqlite3 *db, int64_t id, gk_item_t **out)
{
    return get_one(db, "SELECT " ITEM_COLUMNS " FROM items WHERE id=?", NULL, id, out);
}

gk_status_t gk__cat_text(sqlite3 *db, int64_t id, char **text, size_t *len)
{
    sqlite3_stmt *st;
    *text = NULL;
    if (gk__cat_prepare(db, "SELECT body FROM texts WHERE item_id=?", &st) != SQLITE_OK)
        return GK_ERR_CATALOGUE;
    sqlite3_bind_int64(st, 1, id);
    gk_status_t rc = GK_ERR_NOT_FOUND;
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        const char *b = (const char *)sqlite3_column_text(st, 0);
        size_t n = (size_t)sqlite3_column_bytes(st, 0);
        *text = malloc(n + 1);
        if (*text) {
            memcpy(*text, b ? b : "", n);
            (*text)[n] = '\0';
            if (len)
                *len = n;
            rc = GK_OK;
        } else {
            rc = GK_ERR_NOMEM;
        }
    } else if (r != SQLITE_DONE) {
        rc = GK_ERR_CATALOGUE;
    }
    sqlite3_reset(st);
    return rc;
}

gk_status_t gk__cat_text_start(sqlite3 *db, sqlite3_blob **blob, int64_t id, char *buf, size_t cap, size_t *len,
                              size_t *total)
{
    *len = *total = 0;
    int r;
    if (*blob) {
        r = sqlite3_blob_reopen(*blob, id);
        if (r != SQLITE_OK) {
            /* A failed move leaves the handle unusable: start afresh. */
            sqlite3_blob_close(*blob);
            *blob = NULL;
        }
    }
    if (!*blob)
        r = sqlite3_blob_open(db, "main", "texts", "body", id, 0, blob);
    if (r != SQLITE_OK)
        return r == SQLITE_ERROR ? GK_ERR_NOT_FOUND : GK_ERR_CATALOGUE;
    size_t n = (size_t)sqlite3_blob_bytes(*blob);
    *total = n;
    *len = n < cap ? n : cap;
    if (sqlite3_blob_read(*blob, buf, (int)*len, 0) != SQLITE_OK) {
        *len = 0;
        return GK_ERR_CATALOGUE;
    }
    return GK_OK;
}

gk_status_t gk_item_lookup(gk_data_t *d, const char *ident, gk_item_t **out)
{
    *out = NULL;
    if (!ident || !*ident)
        return gk__fail(d, GK_ERR_INVALID, "empty identifier");
    /* A bare number is an item id; otherwise try 档号, 索引号, 文号 in turn. */
    char *end;
    long long id = strtoll(ident, &end, 10);
    gk_status_t rc = GK_ERR_NOT_FOUND;
    if (*end == '\0' && id > 0)
        rc = gk__cat_get(d->db, id, out);
    static const char *const by[] = {
        "SELECT " ITEM_COLUMNS " FROM items WHERE archive_code=?",
        "SELECT " ITEM_COLUMNS " FROM items WHERE index_no=?",
        "SELECT " ITEM_COLUMNS " FROM items WHERE docno=? ORDER BY id LIMIT 1",
    };
    for (size_t i = 0; rc == GK_ERR_NOT_FOUND && i < sizeof by / sizeof by[0]; i++)
        rc = get_one(d->db, by[i], ident, 0, out);
    if (rc == GK_ERR_NOT_FOUND)
        return gk__fail(d, rc, "no item with id, 档号, 索引号 or 文号 '%s'", ident);
    if (rc != GK_OK)
        return gk__fail(d, rc, "looking up '%s': %s", ident, sqlite3_errmsg(d->db));
    return GK_OK;
}

gk_status_t gk_item_text(gk_data_t *d, int64_t id, char **text, size_t *len)
{
    gk_status_t rc = gk__cat_text(d->db, id, text, len);
    if (rc == GK_ERR_NOT_FOUND)
        return gk__fail(d, rc, "item %lld has no text", (long long)id);
    if (rc != GK_OK)
        return gk__fail(d, rc, "reading the text of item %lld: %s", (long long)id, sqlite3_errmsg(d->db));
    return GK_OK;
}

/* ---- adding ---- */

gk_status_t gk_catalogue_begin(gk_data_t *d)
{
    if (gk__cat_exec(d->db, "BEGIN IMMEDIATE") != GK_OK)
        return gk__fail(d, GK_ERR_CATALOGUE, "cannot start a catalogue transaction: %s", sqlite3_errmsg(d->db));
    return GK_OK;
}

gk_status_t gk_catalogue_commit(gk_data_t *d)
{
    if (gk__cat_exec(d->db, "COMMIT") != GK_OK)
        return gk__fail(d, GK_ERR_CATALOGUE, "cannot commit to the catalogue: %s", sqlite3_errmsg(d->db));
    return GK_OK;
}

gk_status_t gk_catalogue_rollback(gk_data_t *d)
{
    gk__cat_exec(d->db, "ROLLBACK");
    return GK_OK;
}

gk_status_t gk_catalogue_count(gk_data_t *d, int64_t *items)
{
    sqlite3_stmt *st;
    *items = 0;
    if (gk__cat_prepare(d->db, "SELECT COUNT(*) FROM items", &st) != SQLITE_OK)
        return gk__fail(d, GK_ERR_CATALOGUE, "%s", sqlite3_errmsg(d->db));
    if (sqlite3_step(st) == SQLITE_ROW)
        *items = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return GK_OK;
}

gk_status_t gk_catalogue_find_sha(gk_data_t *d, const char *sha, int64_t *id)
{
    sqlite3_stmt *st;
    if (gk__cat_prepare(d->db, "SELECT id FROM items WHERE sha256=?", &st) != SQLITE_OK)
        return gk__fail(d, GK_ERR_CATALOGUE, "%s", sqlite3_errmsg(d->db));
    sqlite3_bind_text(st, 1, sha, -1, SQLITE_STATIC);
    gk_status_t rc = GK_ERR_NOT_FOUND;
    int r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        rc = GK_OK;
    } else if (r != SQLITE_DONE) {
        rc = gk__fail(d, GK_ERR_CATALOGUE, "%s", sqlite3_errmsg(d->db));
    }
    sqlite3_reset(st);
    return rc;
}

static void bind_opt(sqlite3_stmt *st, int i, const char *s)
{
    if (s && *s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

gk_status_t gk_catalogue_add(gk_data_t *d, const gk_item_t *it, const char *text, size_t len, int64_t *id)
{
    if (!d->writable)
        return gk__fail(d, GK_ERR_INVALID, "the data directory is open read-only");
    if (!it->sha256 || strlen(it->sha256) != 64 || !it->filename || !it->mime)
        return gk__fail(d, GK_ERR_INVALID, "an item needs sha256, filename and mime");
    if (gk_catalogue_find_sha(d, it->sha256, id) == GK_OK)
        return GK_ERR_EXISTS;

    char now[32];
    gk__now_iso(now, sizeof now);
    sqlite3_stmt *st = NULL;
    gk_status_t rc = GK_ERR_CATALOGUE;
    if (sqlite3_prepare_v2(d->db,
                           "INSERT INTO items(sha256, filename, source_path, size, mime, format, charset, title,"
                           " date, docno, organ, category, type, visibility, year, pages, flags, archive_code,"
                           " index_no, archived_at, updated_at, recipients, cited_docnos, provenance)"
                           " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_text(st, 1, it->sha256, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, it->filename, -1, SQLITE_STATIC);
    bind_opt(st, 3, it->source_path);
    sqlite3_bind_int64(st, 4, it->size);
    sqlite3_bind_text(st, 5, it->mime, -1, SQLITE_STATIC);
    bind_opt(st, 6, it->format);
    bind_opt(st, 7, it->charset);
    bind_opt(st, 8, it->title);
    bind_opt(st, 9, it->date);
    bind_opt(st, 10, it->docno);
    bind_opt(st, 11, it->organ);
    bind_opt(st, 12, it->category);
    bind_opt(st, 13, it->type);
    sqlite3_bind_text(st, 14, gk_visibility_name(it->visibility), -1, SQLITE_STATIC);
    if (it->year)
        sqlite3_bind_int(st, 15, it->year);
    if (it->pages)
        sqlite3_bind_int(st, 16, it->pages);
    bind_opt(st, 17, it->flags);
    bind_opt(st, 18, it->archive_code);
    bind_opt(st, 19, it->index_no);
    sqlite3_bind_text(st, 20, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 21, now, -1, SQLITE_STATIC);
    bind_opt(st, 22, it->recipients);
    bind_opt(st, 23, it->cited_docnos);
    bind_opt(st, 24, it->provenance);
    if (sqlite3_step(st) != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(st);
    *id = sqlite3_last_insert_rowid(d->db);

    if (sqlite3_prepare_v2(d->db, "INSERT INTO texts(item_id, body) VALUES(?,?)", -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, *id);
    sqlite3_bind_text(st, 2, text ? text : "", text ? (int)len : 0, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(st);

    if (sqlite3_prepare_v2(d->db, "INSERT INTO changes(item_id, op, at) VALUES(?, 'put', ?)", -1, &st, NULL) !=
        SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, *id);
    sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(st);
    return GK_OK;
fail:
    rc = gk__fail(d, rc, "adding %s to the catalogue: %s", it->filename, sqlite3_errmsg(d->db));
    sqlite3_finalize(st);
    return rc;
}

/* ---- change log ---- */

gk_status_t gk__cat_max_seq(sqlite3 *db, int64_t *seq)
{
    sqlite3_stmt *st;
    *seq = 0;
    if (sqlite3_prepare_v2(db, "SELECT COALESCE(MAX(seq),0) FROM changes", -1, &st, NULL) != SQLITE_OK)
        return GK_ERR_CATALOGUE;
    gk_status_t rc = GK_ERR_CATALOGUE;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *seq = sqlite3_column_int64(st, 0);
        rc = GK_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

gk_status_t gk__cat_changes(sqlite3 *db, int64_t after, gk_change_t *out, int max, int *n)
{
    sqlite3_stmt *st;
    *n = 0;
    if (sqlite3_prepare_v2(db, "SELECT seq, item_id FROM changes WHERE seq>? ORDER BY seq LIMIT ?", -1, &st,
                           NULL) != SQLITE_OK)
        return GK_ERR_CATALOGUE;
    sqlite3_bind_int64(st, 1, after);
    sqlite3_bind_int(st, 2, max);
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW && *n < max) {
        out[*n].seq = sqlite3_column_int64(st, 0);
        out[*n].item_id = sqlite3_column_int64(st, 1);
        (*n)++;
    }
    sqlite3_finalize(st);
    return r == SQLITE_DONE || r == SQLITE_ROW ? GK_OK : GK_ERR_CATALOGUE;
}

gk_status_t gk__cat_each_id(sqlite3 *db, int (*fn)(void *ctx, int64_t id, const char *sha, int64_t size),
                            void *ctx)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT id, sha256, size FROM items ORDER BY id", -1, &st, NULL) != SQLITE_OK)
        return GK_ERR_CATALOGUE;
    int r;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        if (fn(ctx, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
               sqlite3_column_int64(st, 2)))
            break;
    }
    sqlite3_finalize(st);
    return r == SQLITE_DONE || r == SQLITE_ROW ? GK_OK : GK_ERR_CATALOGUE;
}
