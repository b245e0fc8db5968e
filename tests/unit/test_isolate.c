/* test_isolate.c — extraction in child processes: answers, time and memory limits, crashes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "isolate.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

static gk_status_t fill(const gk_input_t *in, const gk_extract_limits_t *lim, gk_fields_t *out)
{
    (void)lim;
    /* The input arrives whole; the answer carries every field. */
    gk_buf_append(&out->body, in->data, in->len);
    gk_buf_puts(&out->body, "|");
    gk_buf_puts(&out->body, in->mime);
    gk_fields_set(&out->title, "标题", strlen("标题"));
    gk_fields_set(&out->created, "2024-05-12T00:00:00Z", 20);
    out->pages = 7;
    out->flags = GK_FIELDS_NEEDS_OCR;
    return GK_OK;
}

static gk_status_t refuse(const gk_input_t *in, const gk_extract_limits_t *lim, gk_fields_t *out)
{
    (void)in;
    (void)lim;
    return gk_fields_fail(out, GK_ERR_ENCRYPTED, "encrypted (password required)");
}

static gk_status_t hang(const gk_input_t *in, const gk_extract_limits_t *lim, gk_fields_t *out)
{
    (void)in;
    (void)lim;
    while (!out->error[0]) /* never set: only the alarm ends this */
        pause();
    return GK_OK;
}

static gk_status_t crash(const gk_input_t *in, const gk_extract_limits_t *lim, gk_fields_t *out)
{
    (void)in;
    (void)lim;
    (void)out;
    abort();
}

static gk_status_t hog(const gk_input_t *in, const gk_extract_limits_t *lim, gk_fields_t *out)
{
    (void)in;
    (void)lim;
    /* Allocate and touch until the address-space limit says no. */
    for (size_t i = 0; i < 4096; i++) {
        char *p = malloc((size_t)64 << 20);
        if (!p)
            abort(); /* as a C++ library does on bad_alloc */
        memset(p, 1, (size_t)64 << 20);
    }
    gk_buf_puts(&out->body, "never");
    return GK_OK;
}

static gk_status_t big(const gk_input_t *in, const gk_extract_limits_t *lim, gk_fields_t *out)
{
    (void)in;
    (void)lim;
    for (int i = 0; i < 200000; i++)
        gk_buf_printf(&out->body, "第%06d行 政府信息公开\n", i);
    return GK_OK;
}

static const char *const any[] = {"*/*", NULL};
static const gk_extractor_t ex_fill = {"fill", any, fill, 1};
static const gk_extractor_t ex_refuse = {"refuse", any, refuse, 1};
static const gk_extractor_t ex_hang = {"hang", any, hang, 1};
static const gk_extractor_t ex_crash = {"crash", any, crash, 1};
static const gk_extractor_t ex_hog = {"hog", any, hog, 1};
static const gk_extractor_t ex_big = {"big", any, big, 1};

static gk_isolate_t *iso;

static int setup(void **state)
{
    (void)state;
    char err[256];
    return gk_isolate_start(&iso, err, sizeof err) == GK_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    gk_isolate_stop(iso);
    return 0;
}

static gk_status_t run(const gk_extractor_t *ex, const char *data, gk_extract_limits_t *lim, gk_fields_t *f)
{
    gk_input_t in = {"t", (const unsigned char *)data, strlen(data), "application/x-test", NULL};
    gk_fields_init(f);
    return gk_isolate_extract(iso, ex, &in, lim, f);
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void test_answer_round_trip(void **state)
{
    (void)state;
    gk_extract_limits_t lim;
    gk_extract_limits_default(&lim);
    gk_fields_t f;
    assert_int_equal(run(&ex_fill, "正文 text", &lim, &f), GK_OK);
    assert_string_equal(gk_buf_str(&f.body), "正文 text|application/x-test");
    assert_string_equal(f.title, "标题");
    assert_string_equal(f.created, "2024-05-12T00:00:00Z");
    assert_null(f.author);
    assert_int_equal(f.pages, 7);
    assert_int_equal(f.flags, GK_FIELDS_NEEDS_OCR);
    gk_fields_free(&f);

    assert_int_equal(run(&ex_refuse, "x", &lim, &f), GK_ERR_ENCRYPTED);
    assert_string_equal(f.error, "encrypted (password required)");
    gk_fields_free(&f);

    /* The shared checks of gk_extract run in the child too. */
    assert_int_equal(run(&ex_fill, "", &lim, &f), GK_ERR_BAD_FILE);
    assert_string_equal(f.error, "empty file");
    gk_fields_free(&f);
}

static void test_large_answer(void **state)
{
    (void)state;
    gk_extract_limits_t lim;
    gk_extract_limits_default(&lim);
    gk_fields_t f;
    assert_int_equal(run(&ex_big, "x", &lim, &f), GK_OK);
    assert_true(f.body.len > 5000000);
    assert_non_null(strstr(gk_buf_str(&f.body), "第199999行 政府信息公开\n"));
    gk_fields_free(&f);
    /* Beyond the text limit the child refuses it (gk_extract's check). */
    lim.max_text_bytes = 1 << 20;
    assert_int_equal(run(&ex_big, "x", &lim, &f), GK_ERR_TOO_LARGE);
    gk_fields_free(&f);
}

static void test_time_limit(void **state)
{
    (void)state;
    gk_extract_limits_t lim;
    gk_extract_limits_default(&lim);
    lim.max_seconds = 1;
    gk_fields_t f;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(run(&ex_hang, "x", &lim, &f), GK_ERR_TOO_LARGE);
    assert_non_null(strstr(f.error, "longer than 1 seconds"));
    assert_true(seconds_since(&t0) < 4.0);
    gk_fields_free(&f);
    /* The helper goes on serving after a child was ended. */
    assert_int_equal(run(&ex_fill, "again", &lim, &f), GK_OK);
    gk_fields_free(&f);
}

static void test_crash(void **state)
{
    (void)state;
    gk_extract_limits_t lim;
    gk_extract_limits_default(&lim);
    gk_fields_t f;
    assert_int_equal(run(&ex_crash, "x", &lim, &f), GK_ERR_EXTRACTOR);
    assert_non_null(strstr(f.error, "crash"));
    gk_fields_free(&f);
    assert_int_equal(run(&ex_fill, "after", &lim, &f), GK_OK);
    gk_fields_free(&f);
}

static void test_memory_limit(void **state)
{
    (void)state;
#ifdef UNDER_ASAN
    skip(); /* no address-space limit under AddressSanitizer */
#endif
    gk_extract_limits_t lim;
    gk_extract_limits_default(&lim);
    lim.max_memory_bytes = (size_t)512 << 20;
    lim.max_seconds = 30;
    gk_fields_t f;
    assert_int_equal(run(&ex_hog, "x", &lim, &f), GK_ERR_EXTRACTOR);
    gk_fields_free(&f);
}

int main(void)
{
    /* A child killed by its alarm must not take the test with it. */
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_answer_round_trip),
        cmocka_unit_test(test_large_answer),
        cmocka_unit_test(test_time_limit),
        cmocka_unit_test(test_crash),
        cmocka_unit_test(test_memory_limit),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
