/* test_catalogue.c — the data directory through the public API: open and
 * create, object store, catalogue transactions, lookups, text, originals
 * checked on the way out, index update, search parameters and scope,
 * verification. Each test works in its own temporary directory. */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ftw.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core.h"
#include "gongkai.h"
#include "sha256.h"
#include "utf8.h"

typedef struct fixture {
    char root[64];    /* the temporary directory */
    char data[128];   /* root/data: the data directory */
    gk_data_t *d;
} fixture_t;

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    chmod(path, 0700);
    return remove(path);
}

static int setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    const char *tmp = getenv("TMPDIR");
    snprintf(f->root, sizeof f->root, "%s/gk-cat-XXXXXX", tmp && strlen(tmp) < 40 ? tmp : "/tmp");
    if (!mkdtemp(f->root))
        return -1;
    snprintf(f->data, sizeof f->data, "%s/data", f->root);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    gk_data_close(f->d);
    nftw(f->root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

static void open_create(fixture_t *f)
{
    char *err = NULL;
    gk_status_t st = gk_data_open(f->data, GK_OPEN_CREATE, &f->d, &err);
    if (st != GK_OK)
        fail_msg("gk_data_open: %s (%s)", gk_status_to_string(st), err ? err : "");
    assert_null(err);
    assert_non_null(f->d);
}

/* A sample item; the caller sets what differs. */
static gk_item_t sample(const char *sha, const char *filename)
{
    gk_item_t it;
    memset(&it, 0, sizeof it);
    it.sha256 = (char *)sha;
    it.filename = (char *)filename;
    it.source_path = (char *)filename;
    it.mime = "text/plain";
    it.format = "text";
    it.charset = "utf-8";
    it.visibility = GK_VIS_PUBLIC;
    return it;
}

/* Store BYTES and add an item for them with TEXT in its own transaction. */
static int64_t add_item(fixture_t *f, const char *bytes, gk_item_t *it, const char *text)
{
    char sha[65];
    gk_sha256_buffer(bytes, strlen(bytes), sha);
    it->sha256 = sha;
    it->size = (int64_t)strlen(bytes);
    assert_int_equal(gk_object_store(f->d, sha, bytes, strlen(bytes)), GK_OK);
    assert_int_equal(gk_catalogue_begin(f->d), GK_OK);
    int64_t id = 0;
    gk_status_t st = gk_catalogue_add(f->d, it, text, strlen(text), &id);
    if (st != GK_OK)
        fail_msg("gk_catalogue_add: %s: %s", gk_status_to_string(st), gk_data_error(f->d));
    assert_int_equal(gk_catalogue_commit(f->d), GK_OK);
    assert_true(id > 0);
    it->sha256 = NULL;
    return id;
}

static int path_exists(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0;
}

/* ------------------------------------------------------------------ */

static void test_open(void **state)
{
    fixture_t *f = *state;
    gk_data_t *d = (gk_data_t *)1;
    char *err = NULL;
    /* Read-only on an absent directory: not found, NULL handle, a message. */
    assert_int_equal(gk_data_open(f->data, GK_OPEN_READ, &d, &err), GK_ERR_NOT_FOUND);
    assert_null(d);
    assert_non_null(err);
    free(err);
    assert_false(path_exists(f->data));

    open_create(f);
    assert_string_equal(gk_data_path(f->d), f->data);
    char path[256];
    snprintf(path, sizeof path, "%s/catalogue.db", f->data);
    assert_true(path_exists(path));

    /* The schema version is in PRAGMA user_version. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), GK_SCHEMA_VERSION);
    sqlite3_finalize(st);
    sqlite3_close(db);

    /* Opening again (read-only, then writable) works and keeps the version. */
    gk_data_close(f->d);
    f->d = NULL;
    assert_int_equal(gk_data_open(f->data, GK_OPEN_READ, &f->d, NULL), GK_OK);
    gk_data_close(f->d);
    f->d = NULL;
    open_create(f);

    /* gk_data_close and the frees accept NULL. */
    gk_data_close(NULL);
    gk_item_free(NULL);
    gk_results_free(NULL);
}

static void test_newer_schema_refused(void **state)
{
    fixture_t *f = *state;
    open_create(f);
    gk_data_close(f->d);
    f->d = NULL;
    char path[256];
    snprintf(path, sizeof path, "%s/catalogue.db", f->data);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version=%d", GK_SCHEMA_VERSION + 1);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    char *err = NULL;
    gk_data_t *d = NULL;
    assert_int_equal(gk_data_open(f->data, GK_OPEN_WRITE, &d, &err), GK_ERR_CORRUPT);
    assert_null(d);
    assert_non_null(err);
    free(err);
}

/* A reader of a catalogue an older program wrote migrates it when it may
 * write there: the last migration is undone by hand, then a read-only open
 * must succeed and leave the catalogue current. */
static void test_reader_migrates_older_schema(void **state)
{
    fixture_t *f = *state;
    open_create(f);
    gk_data_close(f->d);
    f->d = NULL;
    char path[256];
    snprintf(path, sizeof path, "%s/catalogue.db", f->data);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char sql[128];
    snprintf(sql, sizeof sql, "DROP TABLE failures; PRAGMA user_version=%d", GK_SCHEMA_VERSION - 1);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    char *err = NULL;
    if (gk_data_open(f->data, GK_OPEN_READ, &f->d, &err) != GK_OK)
        fail_msg("read-only open of an older catalogue: %s", err ? err : "?");
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), GK_SCHEMA_VERSION);
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_exec(db, "SELECT COUNT(*) FROM failures", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void test_add_and_lookup(void **state)
{
    fixture_t *f = *state;
    open_create(f);
    const char *bytes = "清溪县人民政府关于做好防汛工作的通知\n清政发〔2022〕7号\n各乡镇人民政府：……\n";
    gk_item_t it = sample(NULL, "001-tongzhi.txt");
    it.title = "清溪县人民政府关于做好防汛工作的通知";
    it.docno = "清政发〔2022〕7号";
    it.date = "2022-03-18";
    it.organ = "清溪县人民政府";
    it.category = "防汛抗旱";
    it.type = "通知";
    it.year = 2022;
    it.archive_code = "A001-2022-D30-0001";
    it.index_no = "11000000-2022-00001";
    int64_t id = add_item(f, bytes, &it, bytes);

    char sha[65];
    gk_sha256_buffer(bytes, strlen(bytes), sha);
    int64_t found = 0;
    assert_int_equal(gk_catalogue_find_sha(f->d, sha, &found), GK_OK);
    assert_int_equal(found, id);

    /* By id, 档号, 索引号 and 文号. */
    char ident[32];
    snprintf(ident, sizeof ident, "%lld", (long long)id);
    const char *idents[] = {ident, "A001-2022-D30-0001", "11000000-2022-00001", "清政发〔2022〕7号"};
    for (size_t i = 0; i < sizeof idents / sizeof idents[0]; i++) {
        gk_item_t *got = NULL;
        gk_status_t st = gk_item_lookup(f->d, idents[i], &got);
        if (st != GK_OK)
            fail_msg("lookup '%s': %s", idents[i], gk_status_to_string(st));
        assert_int_equal(got->id, id);
        assert_string_equal(got->sha256, sha);
        assert_string_equal(got->filename, "001-tongzhi.txt");
        assert_string_equal(got->mime, "text/plain");
        assert_string_equal(got->title, it.title);
        assert_string_equal(got->docno, it.docno);
        assert_string_equal(got->date, "2022-03-18");
        assert_string_equal(got->organ, "清溪县人民政府");
        assert_string_equal(got->category, "防汛抗旱");
        assert_string_equal(got->type, "通知");
        assert_int_equal(got->year, 2022);
        assert_int_equal(got->size, (int64_t)strlen(bytes));
        assert_int_equal(got->visibility, GK_VIS_PUBLIC);
        assert_non_null(got->archived_at);
        assert_null(got->flags);
        gk_item_free(got);
    }
    gk_item_t *none = (gk_item_t *)1;
    assert_int_equal(gk_item_lookup(f->d, "999999", &none), GK_ERR_NOT_FOUND);
    assert_null(none);
    assert_true(strlen(gk_data_error(f->d)) > 0);
    assert_int_equal(gk_item_lookup(f->d, "清政发〔2099〕1号", &none), GK_ERR_NOT_FOUND);
    assert_int_equal(gk_item_lookup(f->d, "", &none), GK_ERR_INVALID);

    /* The text round-trips byte for byte. */
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(gk_item_text(f->d, id, &text, &len), GK_OK);
    assert_int_equal(len, strlen(bytes));
    assert_memory_equal(text, bytes, len);
    assert_int_equal(text[len], '\0');
    free(text);
    assert_int_equal(gk_item_text(f->d, id + 1000, &text, &len), GK_ERR_NOT_FOUND);

    /* The same bytes again: GK_ERR_EXISTS with the existing id. */
    gk_item_t dup = sample(sha, "copy-of-001.txt");
    dup.size = (int64_t)strlen(bytes);
    assert_int_equal(gk_catalogue_begin(f->d), GK_OK);
    int64_t dup_id = -1;
    assert_int_equal(gk_catalogue_add(f->d, &dup, "x", 1, &dup_id), GK_ERR_EXISTS);
    assert_int_equal(dup_id, id);
    assert_int_equal(gk_catalogue_commit(f->d), GK_OK);

    /* A second item gets another id; missing required fields are refused. */
    gk_item_t b = sample(NULL, "002.txt");
    int64_t id2 = add_item(f, "another document", &b, "another document");
    assert_true(id2 != id);
    gk_item_t bad = sample("abc", "bad.txt");
    assert_int_equal(gk_catalogue_begin(f->d), GK_OK);
    assert_int_equal(gk_catalogue_add(f->d, &bad, "", 0, &dup_id), GK_ERR_INVALID);
    assert_int_equal(gk_catalogue_rollback(f->d), GK_OK);
}

static void test_rollback(void **state)
{
    fixture_t *f = *state;
    open_create(f);
    const char *bytes = "rolled back";
    char sha[65];
    gk_sha256_buffer(bytes, strlen(bytes), sha);
    assert_int_equal(gk_object_store(f->d, sha, bytes, strlen(bytes)), GK_OK);
    /* Storing the same bytes again is a no-op. */
    assert_int_equal(gk_object_store(f->d, sha, bytes, strlen(bytes)), GK_OK);
    int64_t lag0 = -1;
    assert_int_equal(gk_index_lag(f->d, &lag0), GK_OK);
    gk_item_t it = sample(sha, "r.txt");
    it.docno = "测试〔2024〕1号";
    it.size = (int64_t)strlen(bytes);
    assert_int_equal(gk_catalogue_begin(f->d), GK_OK);
    int64_t id = 0;
    assert_int_equal(gk_catalogue_add(f->d, &it, bytes, strlen(bytes), &id), GK_OK);
    assert_int_equal(gk_catalogue_rollback(f->d), GK_OK);

    int64_t found;
    assert_int_equal(gk_catalogue_find_sha(f->d, sha, &found), GK_ERR_NOT_FOUND);
    gk_item_t *got = NULL;
    char ident[32];
    snprintf(ident, sizeof ident, "%lld", (long long)id);
    assert_int_equal(gk_item_lookup(f->d, ident, &got), GK_ERR_NOT_FOUND);
    assert_int_equal(gk_item_lookup(f->d, "测试〔2024〕1号", &got), GK_ERR_NOT_FOUND);
    char *text;
    size_t len;
    assert_int_equal(gk_item_text(f->d, id, &text, &len), GK_ERR_NOT_FOUND);
    int64_t lag = -1;
    assert_int_equal(gk_index_lag(f->d, &lag), GK_OK);
    assert_int_equal(lag, lag0);

    /* Nothing left behind after a reopen either. */
    gk_data_close(f->d);
    f->d = NULL;
    open_create(f);
    assert_int_equal(gk_catalogue_find_sha(f->d, sha, &found), GK_ERR_NOT_FOUND);
    assert_int_equal(gk_index_update(f->d, NULL, NULL), GK_OK);
    gk_verify_report_t rep;
    assert_int_equal(gk_verify(f->d, &rep, NULL, NULL), GK_OK);
    assert_int_equal(rep.items, 0);
}

static unsigned char *read_all(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    unsigned char *buf = malloc(1 << 20);
    *len = fread(buf, 1, 1 << 20, fp);
    fclose(fp);
    return buf;
}

static int count_problems;
static void on_problem(void *ctx, int64_t id, const char *what)
{
    (void)ctx;
    (void)id;
    (void)what;
    count_problems++;
}

static void test_write_original(void **state)
{
    fixture_t *f = *state;
    open_create(f);
    /* Bytes with NULs and high bytes: originals are binary-safe. */
    unsigned char bytes[300];
    for (size_t i = 0; i < sizeof bytes; i++)
        bytes[i] = (unsigned char)(i * 7);
    char sha[65];
    gk_sha256_buffer(bytes, sizeof bytes, sha);
    assert_int_equal(gk_object_store(f->d, sha, bytes, sizeof bytes), GK_OK);
    gk_item_t it = sample(sha, "blob.bin");
    it.size = sizeof bytes;
    it.mime = "application/octet-stream";
    assert_int_equal(gk_catalogue_begin(f->d), GK_OK);
    int64_t id;
    assert_int_equal(gk_catalogue_add(f->d, &it, "", 0, &id), GK_OK);
    assert_int_equal(gk_catalogue_commit(f->d), GK_OK);
    assert_int_equal(gk_index_update(f->d, NULL, NULL), GK_OK);

    gk_item_t *got;
    char ident[32];
    snprintf(ident, sizeof ident, "%lld", (long long)id);
    assert_int_equal(gk_item_lookup(f->d, ident, &got), GK_OK);
    char out[256];
    snprintf(out, sizeof out, "%s/out.bin", f->root);
    assert_int_equal(gk_item_write_original(f->d, got, out), GK_OK);
    size_t len;
    unsigned char *back = read_all(out, &len);
    assert_non_null(back);
    assert_int_equal(len, sizeof bytes);
    assert_memory_equal(back, bytes, len);
    free(back);

    /* Tamper with the stored object. */
    char *obj = gk__object_path(f->d, sha);
    assert_non_null(obj);
    assert_true(path_exists(obj));
    assert_int_equal(chmod(obj, 0600), 0);
    FILE *fp = fopen(obj, "r+b");
    assert_non_null(fp);
    fseek(fp, 100, SEEK_SET);
    fputc(bytes[100] ^ 0x55, fp);
    fclose(fp);

    char out2[256], part[300];
    snprintf(out2, sizeof out2, "%s/out2.bin", f->root);
    snprintf(part, sizeof part, "%s.part", out2);
    assert_int_equal(gk_item_write_original(f->d, got, out2), GK_ERR_CORRUPT);
    assert_true(strlen(gk_data_error(f->d)) > 0);
    assert_false(path_exists(out2));
    assert_false(path_exists(part));
    /* An existing file named as output is not clobbered by a damaged copy. */
    assert_int_equal(gk_item_write_original(f->d, got, out), GK_ERR_CORRUPT);
    back = read_all(out, &len);
    assert_non_null(back);
    assert_int_equal(len, sizeof bytes);
    assert_memory_equal(back, bytes, len);
    free(back);

    /* Verification sees it. */
    gk_verify_report_t rep;
    count_problems = 0;
    assert_int_equal(gk_verify(f->d, &rep, on_problem, NULL), GK_OK);
    assert_int_equal(rep.items, 1);
    assert_int_equal(rep.objects_corrupt, 1);
    assert_true(count_problems >= 1);

    /* A missing object: GK_ERR_NOT_FOUND or GK_ERR_IO, never success. */
    assert_int_equal(unlink(obj), 0);
    gk_status_t st = gk_item_write_original(f->d, got, out2);
    assert_true(st == GK_ERR_NOT_FOUND || st == GK_ERR_IO);
    assert_false(path_exists(out2));
    assert_int_equal(gk_verify(f->d, &rep, NULL, NULL), GK_OK);
    assert_int_equal(rep.objects_missing, 1);
    free(obj);
    gk_item_free(got);
}

/* Add the three-item fixture and index it. */
static void add_search_fixture(fixture_t *f, int64_t ids[3])
{
    gk_item_t a = sample(NULL, "a.txt");
    a.title = "关于做好防汛抗旱工作的通知";
    a.category = "防汛";
    a.type = "通知";
    a.year = 2023;
    a.date = "2023-05-06";
    ids[0] = add_item(f, "a", &a, "关于做好防汛抗旱工作的通知。各乡镇人民政府要加强值班 regulations。");
    gk_item_t b = sample(NULL, "b.txt");
    b.title = "最低生活保障审核确认办法";
    b.type = "办法";
    b.year = 2022;
    b.date = "2022-03-18";
    ids[1] = add_item(f, "b", &b, "最低生活保障审核确认办法。县人民政府民政部门负责。");
    gk_item_t c = sample(NULL, "c.txt");
    c.title = "内部工作要点";
    c.visibility = GK_VIS_INTERNAL;
    ids[2] = add_item(f, "c", &c, "内部工作要点：防汛值班表，人民政府内部。");
    int64_t lag = 0;
    assert_int_equal(gk_index_lag(f->d, &lag), GK_OK);
    assert_true(lag >= 3);
    gk_status_t st = gk_index_update(f->d, NULL, NULL);
    if (st != GK_OK)
        fail_msg("gk_index_update: %s: %s", gk_status_to_string(st), gk_data_error(f->d));
    assert_int_equal(gk_index_lag(f->d, &lag), GK_OK);
    assert_int_equal(lag, 0);
}

static gk_results_t *run(fixture_t *f, const char *query, gk_scope_t scope)
{
    gk_search_params_t p;
    gk_search_params_init(&p);
    p.query = query;
    p.scope = scope;
    gk_results_t *r = NULL;
    gk_status_t st = gk_search(f->d, &p, &r);
    if (st != GK_OK)
        fail_msg("search '%s': %s: %s", query, gk_status_to_string(st), gk_data_error(f->d));
    return r;
}

static int has_hit(const gk_results_t *r, int64_t id)
{
    for (size_t i = 0; i < gk_results_count(r); i++)
        if (gk_results_hit(r, i)->id == id)
            return 1;
    return 0;
}

static void test_index_and_search(void **state)
{
    fixture_t *f = *state;
    open_create(f);
    int64_t ids[3];
    add_search_fixture(f, ids);

    gk_results_t *r = run(f, "防汛抗旱", GK_SCOPE_PUBLIC);
    assert_int_equal(gk_results_total(r), 1);
    assert_int_equal(gk_results_count(r), 1);
    const gk_hit_t *h = gk_results_hit(r, 0);
    assert_int_equal(h->id, ids[0]);
    assert_string_equal(h->filename, "a.txt");
    assert_string_equal(h->title, "关于做好防汛抗旱工作的通知");
    assert_string_equal(h->category, "防汛");
    assert_string_equal(h->type, "通知");
    assert_string_equal(h->date, "2023-05-06");
    assert_null(h->docno);
    assert_non_null(h->snippet);
    assert_non_null(strstr(h->snippet, "<mark>"));
    assert_null(gk_results_hit(r, 1));
    const gk_facet_t *fa;
    size_t nf = gk_results_facets(r, "category", &fa);
    assert_int_equal(nf, 1);
    assert_string_equal(fa[0].name, "防汛");
    assert_int_equal(fa[0].count, 1);
    gk_results_free(r);

    /* English stems match. */
    r = run(f, "regulation", GK_SCOPE_PUBLIC);
    assert_true(has_hit(r, ids[0]));
    gk_results_free(r);

    /* Scope: the internal item only with GK_SCOPE_ALL. */
    r = run(f, "内部工作要点", GK_SCOPE_PUBLIC);
    assert_int_equal(gk_results_total(r), 0);
    gk_results_free(r);
    r = run(f, "内部工作要点", GK_SCOPE_ALL);
    assert_int_equal(gk_results_total(r), 1);
    assert_true(has_hit(r, ids[2]));
    gk_results_free(r);
    /* 人民政府 is in all three; public sees two. */
    r = run(f, "人民政府", GK_SCOPE_PUBLIC);
    assert_int_equal(gk_results_total(r), 2);
    assert_false(has_hit(r, ids[2]));
    gk_results_free(r);
    r = run(f, "人民政府", GK_SCOPE_ALL);
    assert_int_equal(gk_results_total(r), 3);
    gk_results_free(r);
    /* No query text can lift the visibility filter. */
    r = run(f, "内部 OR 防汛", GK_SCOPE_PUBLIC);
    assert_false(has_hit(r, ids[2]));
    gk_results_free(r);
    /* The empty query lists public items. */
    r = run(f, "", GK_SCOPE_PUBLIC);
    assert_int_equal(gk_results_total(r), 2);
    gk_results_free(r);

    /* A query of only punctuation: GK_OK and nothing. */
    r = run(f, "，。！？", GK_SCOPE_ALL);
    assert_int_equal(gk_results_total(r), 0);
    assert_int_equal(gk_results_count(r), 0);
    gk_results_free(r);

    /* Filters. */
    gk_search_params_t p;
    gk_search_params_init(&p);
    p.query = "人民政府";
    p.year = 2022;
    assert_int_equal(gk_search(f->d, &p, &r), GK_OK);
    assert_int_equal(gk_results_total(r), 1);
    assert_true(has_hit(r, ids[1]));
    gk_results_free(r);
    gk_search_params_init(&p);
    p.type = "通知";
    assert_int_equal(gk_search(f->d, &p, &r), GK_OK);
    assert_int_equal(gk_results_total(r), 1);
    assert_true(has_hit(r, ids[0]));
    gk_results_free(r);

    /* Verification is clean. */
    gk_verify_report_t rep;
    count_problems = 0;
    assert_int_equal(gk_verify(f->d, &rep, on_problem, NULL), GK_OK);
    assert_int_equal(rep.items, 3);
    assert_int_equal(rep.objects_ok, 3);
    assert_int_equal(rep.objects_missing, 0);
    assert_int_equal(rep.objects_corrupt, 0);
    assert_int_equal(rep.index_missing, 0);
    assert_int_equal(rep.index_extra, 0);
    assert_int_equal(rep.index_lag, 0);
    assert_int_equal(count_problems, 0);

    /* A rebuild gives the same answers and a clean report. */
    assert_int_equal(gk_index_rebuild(f->d, NULL, NULL), GK_OK);
    r = run(f, "人民政府", GK_SCOPE_ALL);
    assert_int_equal(gk_results_total(r), 3);
    gk_results_free(r);
    assert_int_equal(gk_verify(f->d, &rep, NULL, NULL), GK_OK);
    assert_int_equal(rep.index_missing + rep.index_extra + rep.index_lag, 0);
    /* Updating an up-to-date index is a no-op. */
    assert_int_equal(gk_index_update(f->d, NULL, NULL), GK_OK);
}

static void test_bad_search_params(void **state)
{
    fixture_t *f = *state;
    open_create(f);
    int64_t ids[3];
    add_search_fixture(f, ids);
    gk_search_params_t p;
    gk_results_t *r = (gk_results_t *)1;

    /* 10,000 characters. */
    char *big = malloc(10001);
    assert_non_null(big);
    memset(big, 'a', 10000);
    big[10000] = '\0';
    gk_search_params_init(&p);
    p.query = big;
    assert_int_equal(gk_search(f->d, &p, &r), GK_ERR_INVALID);
    assert_null(r);
    assert_true(strlen(gk_data_error(f->d)) > 0);
    /* 10,000 Chinese characters (30,000 bytes) and 10,000 words. */
    char *cjk = malloc(30001);
    assert_non_null(cjk);
    for (int i = 0; i < 10000; i++)
        memcpy(cjk + 3 * i, "政", 3);
    cjk[30000] = '\0';
    p.query = cjk;
    assert_int_equal(gk_search(f->d, &p, &r), GK_ERR_INVALID);
    for (int i = 0; i < 10000; i++)
        big[i] = i % 2 ? ' ' : 'a';
    p.query = big;
    assert_int_equal(gk_search(f->d, &p, &r), GK_ERR_INVALID);
    free(cjk);
    free(big);

    /* Invalid UTF-8. */
    gk_search_params_init(&p);
    p.query = "\xff\xfe\xfd";
    assert_int_equal(gk_search(f->d, &p, &r), GK_ERR_INVALID);

    /* Page and size. */
    gk_search_params_init(&p);
    p.query = "人民政府";
    p.page = 0;
    assert_int_equal(gk_search(f->d, &p, &r), GK_ERR_INVALID);
    p.page = -1;
    assert_int_equal(gk_search(f->d, &p, &r), GK_ERR_INVALID);
    p.page = 1;
    p.size = 0;
    assert_int_equal(gk_search(f->d, &p, &r), GK_ERR_INVALID);
    p.size = 100000;
    assert_int_equal(gk_search(f->d, &p, &r), GK_ERR_INVALID);
    p.size = GK_SEARCH_MAX_SIZE + 1;
    assert_int_equal(gk_search(f->d, &p, &r), GK_ERR_INVALID);
    p.size = GK_SEARCH_MAX_SIZE;
    assert_int_equal(gk_search(f->d, &p, &r), GK_OK);
    gk_results_free(r);

    /* Bad field values. */
    gk_search_params_init(&p);
    p.query = "year:20x3";
    assert_int_equal(gk_search(f->d, &p, &r), GK_ERR_INVALID);
    p.query = "date:2023-13-01";
    assert_int_equal(gk_search(f->d, &p, &r), GK_ERR_INVALID);
    p.query = "人民政府";
    p.from = "yesterday";
    assert_int_equal(gk_search(f->d, &p, &r), GK_ERR_INVALID);

    /* Pages: page 2 of size 1 is the second hit of page 1 of size 2. */
    gk_search_params_init(&p);
    p.query = "人民政府";
    p.scope = GK_SCOPE_ALL;
    p.size = 2;
    gk_results_t *r2;
    assert_int_equal(gk_search(f->d, &p, &r2), GK_OK);
    assert_int_equal(gk_results_count(r2), 2);
    p.size = 1;
    p.page = 2;
    assert_int_equal(gk_search(f->d, &p, &r), GK_OK);
    assert_int_equal(gk_results_count(r), 1);
    assert_int_equal(gk_results_total(r), 3);
    assert_int_equal(gk_results_hit(r, 0)->id, gk_results_hit(r2, 1)->id);
    gk_results_free(r);
    gk_results_free(r2);
    /* A page past the end is empty, not an error. */
    p.page = 50;
    assert_int_equal(gk_search(f->d, &p, &r), GK_OK);
    assert_int_equal(gk_results_count(r), 0);
    gk_results_free(r);
}

/* The snippet of the only hit of QUERY (malloc'd). */
static char *only_snippet(fixture_t *f, const char *query)
{
    gk_results_t *r = run(f, query, GK_SCOPE_ALL);
    assert_int_equal(gk_results_count(r), 1);
    char *s = strdup(gk_results_hit(r, 0)->snippet);
    gk_results_free(r);
    return s;
}

/* Snippets of long texts: a match near the start is made from the start
 * alone, one far in or cut by where that start ends from the whole text;
 * all look the same. */
static void test_snippets_of_long_texts(void **state)
{
    fixture_t *f = *state;
    open_create(f);
    gk_buf_t text = GK_BUF_INIT;
    gk_buf_puts(&text, "开头说明水库调度。");
    while (text.len + 18 <= 8190)
        gk_buf_puts(&text, "普通段落文字");
    while (text.len < 8190)
        gk_buf_putc(&text, '.');
    /* 江 of 江堤 takes bytes 8190-8192: it straddles byte 8192, where the
     * start read for snippets ends. */
    gk_buf_puts(&text, "江堤加固工程。");
    while (text.len < 40000)
        gk_buf_puts(&text, "普通段落文字");
    gk_buf_puts(&text, "结尾提到蓄滞洪区。");
    gk_item_t it = sample(NULL, "long.txt");
    it.title = "长文";
    add_item(f, "long", &it, gk_buf_str(&text));
    gk_buf_free(&text);
    assert_int_equal(gk_index_update(f->d, NULL, NULL), GK_OK);

    const char *queries[] = {"水库调度", "江堤加固", "蓄滞洪区"};
    for (size_t i = 0; i < 3; i++) {
        char *s = only_snippet(f, queries[i]);
        char want[64];
        snprintf(want, sizeof want, "<mark>%s</mark>", queries[i]);
        if (!strstr(s, want))
            fail_msg("snippet for %s: %s", queries[i], s);
        /* About 120 characters, never the whole text. */
        assert_true(strlen(s) < 1200);
        assert_true(gk_utf8_valid((const unsigned char *)s, strlen(s)));
        free(s);
    }
}

/* A handle that may use a reader up to a minute old does not see a commit
 * made since; one that looks every time does. */
static void test_reader_refresh(void **state)
{
    fixture_t *f = *state;
    open_create(f);
    gk_item_t a = sample(NULL, "a.txt");
    add_item(f, "a", &a, "第一份文件提到防汛。");
    assert_int_equal(gk_index_update(f->d, NULL, NULL), GK_OK);
    gk_data_t *lazy, *eager;
    assert_int_equal(gk_data_open(f->data, GK_OPEN_READ, &lazy, NULL), GK_OK);
    assert_int_equal(gk_data_open(f->data, GK_OPEN_READ, &eager, NULL), GK_OK);
    gk_data_set_refresh(lazy, 60000);
    gk_search_params_t p;
    gk_search_params_init(&p);
    p.query = "防汛";
    p.scope = GK_SCOPE_ALL;
    gk_results_t *r;
    assert_int_equal(gk_search(lazy, &p, &r), GK_OK);
    assert_int_equal(gk_results_total(r), 1);
    gk_results_free(r);
    assert_int_equal(gk_search(eager, &p, &r), GK_OK);
    gk_results_free(r);

    gk_item_t b = sample(NULL, "b.txt");
    add_item(f, "b", &b, "第二份文件也提到防汛。");
    assert_int_equal(gk_index_update(f->d, NULL, NULL), GK_OK);
    assert_int_equal(gk_search(lazy, &p, &r), GK_OK);
    assert_int_equal(gk_results_total(r), 1);
    gk_results_free(r);
    assert_int_equal(gk_search(eager, &p, &r), GK_OK);
    assert_int_equal(gk_results_total(r), 2);
    gk_results_free(r);
    gk_data_close(lazy);
    gk_data_close(eager);
}

static void test_read_only_handle(void **state)
{
    fixture_t *f = *state;
    open_create(f);
    gk_data_close(f->d);
    f->d = NULL;
    assert_int_equal(gk_data_open(f->data, GK_OPEN_READ, &f->d, NULL), GK_OK);
    gk_item_t it = sample("0000000000000000000000000000000000000000000000000000000000000000", "x.txt");
    int64_t id;
    assert_int_not_equal(gk_catalogue_add(f->d, &it, "x", 1, &id), GK_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_schema_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reader_migrates_older_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(test_add_and_lookup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_original, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_and_search, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_search_params, setup, teardown),
        cmocka_unit_test_setup_teardown(test_snippets_of_long_texts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reader_refresh, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_only_handle, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
