/*
 * The index follows the catalogue: compaction in place keeps every item
 * searchable, and a compaction or rebuild cut short between its renames is
 * undone or finished at the next open. Job slots bound how many threads
 * work at once, index writers included.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>

#include "gongkai.h"
#include "sha256.h"

static char dir[64];

static void add(gk_data_t *d, const char *name, const char *text)
{
    char sha[65];
    gk_sha256_buffer(text, strlen(text), sha);
    gk_item_t it = {.sha256 = sha, .filename = (char *)name, .mime = "text/plain", .size = (int64_t)strlen(text),
                    .title = (char *)name};
    int64_t id;
    assert_int_equal(gk_object_store(d, sha, text, strlen(text)), GK_OK);
    assert_int_equal(gk_catalogue_add(d, &it, text, strlen(text), &id), GK_OK);
}

static int64_t count(gk_data_t *d, const char *query)
{
    gk_search_params_t p;
    gk_search_params_init(&p);
    p.query = query;
    p.scope = GK_SCOPE_ALL;
    gk_results_t *r;
    assert_int_equal(gk_search(d, &p, &r), GK_OK);
    int64_t n = gk_results_total(r);
    gk_results_free(r);
    return n;
}

static void assert_clean(gk_data_t *d)
{
    gk_verify_report_t rep;
    assert_int_equal(gk_verify(d, &rep, NULL, NULL), GK_OK);
    assert_int_equal(rep.index_missing, 0);
    assert_int_equal(rep.index_extra, 0);
    assert_int_equal(rep.index_lag, 0);
    assert_int_equal(rep.objects_ok, rep.items);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/gk-index-XXXXXX");
    assert_non_null(mkdtemp(dir));
    gk_data_t *d;
    assert_int_equal(gk_data_open(dir, GK_OPEN_CREATE, &d, NULL), GK_OK);
    assert_int_equal(gk_catalogue_begin(d), GK_OK);
    char name[32], text[128];
    for (int i = 0; i < 40; i++) {
        snprintf(name, sizeof name, "doc-%02d.txt", i);
        snprintf(text, sizeof text, "第%d号 关于做好防汛工作的通知 %s", i, i % 2 ? "低保" : "教育");
        add(d, name, text);
    }
    assert_int_equal(gk_catalogue_commit(d), GK_OK);
    assert_int_equal(gk_index_update(d, NULL, NULL), GK_OK);
    gk_data_close(d);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

static void test_compact_in_place(void **state)
{
    (void)state;
    gk_data_t *d;
    assert_int_equal(gk_data_open(dir, GK_OPEN_WRITE, &d, NULL), GK_OK);
    assert_int_equal(count(d, "防汛"), 40);
    assert_int_equal(gk_index_compact(d), GK_OK);
    assert_int_equal(count(d, "防汛"), 40);
    assert_int_equal(count(d, "低保"), 20);
    assert_clean(d);
    /* Changes after a compaction are applied as before. */
    assert_int_equal(gk_catalogue_begin(d), GK_OK);
    add(d, "late.txt", "后来归档的防汛文件");
    assert_int_equal(gk_catalogue_commit(d), GK_OK);
    assert_int_equal(gk_index_update(d, NULL, NULL), GK_OK);
    assert_int_equal(count(d, "防汛"), 41);
    assert_clean(d);
    gk_data_close(d);
}

static void test_cut_short_compaction_recovered(void **state)
{
    (void)state;
    /* The state a crash between the two renames leaves: the shard moved
     * aside, its compact copy half written. */
    char src[128], old[160], tmp[160];
    snprintf(src, sizeof src, "%s/index/shard-0", dir);
    snprintf(old, sizeof old, "%s.old", src);
    snprintf(tmp, sizeof tmp, "%s.compact", src);
    assert_int_equal(rename(src, old), 0);
    assert_int_equal(mkdir(tmp, 0755), 0);
    gk_data_t *d;
    assert_int_equal(gk_data_open(dir, GK_OPEN_WRITE, &d, NULL), GK_OK);
    struct stat sb;
    assert_int_equal(stat(src, &sb), 0);
    assert_int_not_equal(stat(old, &sb), 0);
    assert_int_not_equal(stat(tmp, &sb), 0);
    assert_int_equal(count(d, "防汛"), 41);
    assert_clean(d);
    gk_data_close(d);
}

static void test_cut_short_rebuild_recovered(void **state)
{
    (void)state;
    /* A rebuild that moved the old index aside and died before putting
     * the new one in place. */
    char idx[128], old[128];
    snprintf(idx, sizeof idx, "%s/index", dir);
    snprintf(old, sizeof old, "%s/index.old", dir);
    assert_int_equal(rename(idx, old), 0);
    gk_data_t *d;
    assert_int_equal(gk_data_open(dir, GK_OPEN_WRITE, &d, NULL), GK_OK);
    assert_int_equal(count(d, "防汛"), 41);
    assert_clean(d);
    assert_int_equal(gk_index_rebuild(d, NULL, NULL), GK_OK);
    assert_int_equal(count(d, "防汛"), 41);
    assert_clean(d);
    gk_data_close(d);
}

/* ------------------------------------------------------------------ */
/* Job slots                                                            */
/* ------------------------------------------------------------------ */

typedef struct slot_user {
    gk_jobslots_t *slots;
    int *holders, *most;
    pthread_mutex_t *mu;
} slot_user_t;

static void *use_slots(void *arg)
{
    slot_user_t *u = arg;
    for (int i = 0; i < 200; i++) {
        gk_jobslots_acquire(u->slots);
        pthread_mutex_lock(u->mu);
        if (++*u->holders > *u->most)
            *u->most = *u->holders;
        pthread_mutex_unlock(u->mu);
        struct timespec ts = {0, 50 * 1000};
        nanosleep(&ts, NULL);
        pthread_mutex_lock(u->mu);
        --*u->holders;
        pthread_mutex_unlock(u->mu);
        gk_jobslots_release(u->slots);
    }
    return NULL;
}

static void test_jobslots_bound_threads(void **state)
{
    (void)state;
    gk_jobslots_t *slots = gk_jobslots_new(2);
    assert_non_null(slots);
    int holders = 0, most = 0;
    pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    slot_user_t u = {slots, &holders, &most, &mu};
    pthread_t t[6];
    for (int i = 0; i < 6; i++)
        assert_int_equal(pthread_create(&t[i], NULL, use_slots, &u), 0);
    for (int i = 0; i < 6; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(holders, 0);
    assert_int_equal(most, 2); /* never more than two; two at once, so no lock-step */
    gk_jobslots_free(slots);
}

typedef struct finisher {
    gk_indexer_t *ix;
    gk_status_t rc;
    int done;
    gk_index_progress_fn fn;
    void *ctx;
} finisher_t;

static void *finish_index(void *arg)
{
    finisher_t *f = arg;
    f->rc = gk_indexer_finish(f->ix, f->fn, f->ctx);
    __atomic_store_n(&f->done, 1, __ATOMIC_RELEASE);
    return NULL;
}

/* An indexer on D whose only job slot the test holds: its writers can
 * apply nothing until the test lets go. */
static gk_indexer_t *start_held(gk_data_t *d, gk_jobslots_t **slots)
{
    *slots = gk_jobslots_new(1);
    assert_non_null(*slots);
    gk_jobslots_acquire(*slots);
    gk_indexer_t *ix;
    assert_int_equal(gk_indexer_start(d, *slots, &ix), GK_OK);
    return ix;
}

static void test_index_writers_wait_for_a_slot(void **state)
{
    (void)state;
    gk_data_t *d;
    assert_int_equal(gk_data_open(dir, GK_OPEN_WRITE, &d, NULL), GK_OK);
    int64_t before = count(d, "防汛");
    gk_jobslots_t *slots;
    gk_indexer_t *ix = start_held(d, &slots);
    assert_int_equal(gk_catalogue_begin(d), GK_OK);
    add(d, "slot-a.txt", "等待槽位的防汛文件甲");
    add(d, "slot-b.txt", "等待槽位的防汛文件乙");
    assert_int_equal(gk_catalogue_commit(d), GK_OK);
    finisher_t f = {ix, GK_OK, 0, NULL, NULL};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, finish_index, &f), 0);
    struct timespec ts = {0, 300 * 1000 * 1000};
    nanosleep(&ts, NULL);
    assert_int_equal(__atomic_load_n(&f.done, __ATOMIC_ACQUIRE), 0);
    gk_jobslots_release(slots);
    pthread_join(t, NULL);
    assert_int_equal(f.rc, GK_OK);
    assert_int_equal(count(d, "防汛"), before + 2);
    assert_clean(d);
    gk_jobslots_free(slots);
    gk_data_close(d);
}

static int stop_at_once(void *ctx, const gk_index_progress_t *p)
{
    (void)p;
    ++*(int *)ctx;
    return 1;
}

static void test_index_writers_stop_when_asked(void **state)
{
    (void)state;
    gk_data_t *d;
    assert_int_equal(gk_data_open(dir, GK_OPEN_WRITE, &d, NULL), GK_OK);
    int64_t before = count(d, "防汛");
    gk_jobslots_t *slots;
    gk_indexer_t *ix = start_held(d, &slots);
    assert_int_equal(gk_catalogue_begin(d), GK_OK);
    char name[32], text[64];
    for (int i = 0; i < 20; i++) {
        snprintf(name, sizeof name, "stop-%02d.txt", i);
        snprintf(text, sizeof text, "中途停下的第%d份防汛文件", i);
        add(d, name, text);
    }
    assert_int_equal(gk_catalogue_commit(d), GK_OK);
    /* The finisher asks them to stop at its first look, while they wait
     * for the slot; then each applies at most the change it holds. */
    int calls = 0;
    finisher_t f = {ix, GK_OK, 0, stop_at_once, &calls};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, finish_index, &f), 0);
    struct timespec ts = {0, 100 * 1000 * 1000};
    nanosleep(&ts, NULL);
    gk_jobslots_release(slots);
    pthread_join(t, NULL);
    assert_int_equal(f.rc, GK_ERR_INTERRUPTED);
    assert_true(calls >= 1);
    int64_t lag = 0;
    assert_int_equal(gk_index_lag(d, &lag), GK_OK);
    assert_true(lag >= 20 - 2);
    /* What was applied is committed, and the next update goes on from there. */
    assert_int_equal(gk_index_update(d, NULL, NULL), GK_OK);
    assert_int_equal(count(d, "防汛"), before + 20);
    assert_clean(d);
    gk_jobslots_free(slots);
    gk_data_close(d);
}

/* Every item put again, as verify --repair does, replaces its document. */
static void test_items_put_again_stay_single(void **state)
{
    (void)state;
    gk_data_t *d;
    assert_int_equal(gk_data_open(dir, GK_OPEN_WRITE, &d, NULL), GK_OK);
    int64_t items = 0, all = count(d, "防汛");
    assert_int_equal(gk_catalogue_count(d, &items), GK_OK);
    for (int64_t id = 1; id <= items; id++)
        assert_int_equal(gk_index_requeue(d, id), GK_OK);
    assert_int_equal(gk_index_update(d, NULL, NULL), GK_OK);
    assert_int_equal(count(d, "防汛"), all);
    assert_clean(d);
    gk_data_close(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compact_in_place),
        cmocka_unit_test(test_cut_short_compaction_recovered),
        cmocka_unit_test(test_cut_short_rebuild_recovered),
        cmocka_unit_test(test_jobslots_bound_threads),
        cmocka_unit_test(test_index_writers_wait_for_a_slot),
        cmocka_unit_test(test_index_writers_stop_when_asked),
        cmocka_unit_test(test_items_put_again_stay_single),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
