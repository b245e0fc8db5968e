/*
 * Inputs that once crashed or leaked under the fuzz targets (fuzz/), replayed
 * through the same code paths on every test run: the files of
 * fuzz/regressions/query as search queries, those of fuzz/regressions/extract
 * as files to detect and extract. Under ASan (scripts/test.sh --asan) a leak or overflow fails.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testcorpus.h"

#include "detect.h"
#include "extract.h"
#include "gongkai.h"
#include "sha256.h"

/* Call FN on every file of SOURCE_DIR/fuzz/regressions/KIND; returns the count. */
static int each_input(const char *kind, void (*fn)(void *ctx, const char *data, size_t len), void *ctx)
{
    const char *src = getenv("GK_SOURCE_DIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/fuzz/regressions/%s", src ? src : ".", kind);
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len = 0;
        char *data = slurp(path, &len);
        assert_non_null(data);
        fn(ctx, data, len);
        free(data);
        n++;
    }
    closedir(d);
    return n;
}

static void run_query(void *ctx, const char *data, size_t len)
{
    gk_search_params_t p;
    gk_search_params_init(&p);
    p.query = data;
    p.scope = GK_SCOPE_ALL;
    p.prefix = len % 5 == 0;
    gk_results_t *r = NULL;
    gk_status_t st = gk_search(ctx, &p, &r);
    /* A bad query is refused with a reason; a good one gives results. */
    assert_true(st == GK_OK || st == GK_ERR_INVALID);
    assert_true(st != GK_ERR_INVALID || strlen(gk_data_error(ctx)) > 0);
    gk_results_free(r);
}

/* The documents of fuzz/fuzz_query.c, so that a query reaches ranking
 * and snippets as it did there. */
static void add(gk_data_t *d, const char *name, const char *text)
{
    char sha[65];
    gk_sha256_buffer(text, strlen(text), sha);
    gk_item_t it = {.sha256 = sha, .filename = (char *)name, .mime = "text/plain", .size = (int64_t)strlen(text),
                    .title = (char *)name, .category = "政策文件", .type = "通知", .date = "2023-05-12",
                    .year = 2023};
    int64_t id;
    assert_int_equal(gk_object_store(d, sha, text, strlen(text)), GK_OK);
    assert_int_equal(gk_catalogue_add(d, &it, text, strlen(text), &id), GK_OK);
}

static void test_queries(void **state)
{
    (void)state;
    char dir[] = "/tmp/gk-regress-XXXXXX";
    assert_non_null(mkdtemp(dir));
    gk_data_t *d;
    assert_int_equal(gk_data_open(dir, GK_OPEN_CREATE, &d, NULL), GK_OK);
    assert_int_equal(gk_catalogue_begin(d), GK_OK);
    add(d, "关于做好2023年防汛工作的通知", "各乡镇人民政府：为做好2023年防汛抗旱工作，现将有关事项通知如下。GB18030 regulations");
    add(d, "最低生活保障办法", "第一条 为了规范最低生活保障工作，保障困难群众基本生活，制定本办法。PM2.5");
    add(d, "Emergency plan", "An emergency plan for floods and droughts, with ＡＢＣ and ２０２３.");
    assert_int_equal(gk_catalogue_commit(d), GK_OK);
    assert_int_equal(gk_index_update(d, NULL, NULL), GK_OK);
    int n = each_input("query", run_query, d);
    printf("replayed %d query inputs\n", n);
    assert_true(n > 0);
    gk_data_close(d);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

static void run_extract(void *ctx, const char *data, size_t len)
{
    char mime[128], charset[64];
    if (gk_detect(ctx, data, len, mime, sizeof mime, charset, sizeof charset) != GK_OK)
        return;
    const gk_extractor_t *ex = gk_extractor_for(mime);
    if (!ex)
        return;
    gk_extract_limits_t lim;
    gk_extract_limits_default(&lim);
    gk_fields_t f;
    gk_fields_init(&f);
    gk_input_t in = {"regression", (const unsigned char *)data, len, mime, charset};
    gk_status_t st = gk_extract(ex, &in, &lim, &f);
    assert_true(st == GK_OK || f.error[0]);
    gk_fields_free(&f);
}

static void test_extract(void **state)
{
    (void)state;
    gk_detector_t *det;
    char err[256];
    assert_int_equal(gk_detector_new(&det, err, sizeof err), GK_OK);
    printf("replayed %d extract inputs\n", each_input("extract", run_extract, det));
    gk_detector_free(det);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_queries),
        cmocka_unit_test(test_extract),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
