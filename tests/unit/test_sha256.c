/* test_sha256.c — SHA-256 against the FIPS 180-4 example vectors, and
 * streaming in odd chunk sizes against the one-shot digest. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sha256.h"

static const char MSG448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char MSG896[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                             "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

static void check_oneshot(const void *data, size_t len, const char *want)
{
    char hex[65];
    memset(hex, 'x', sizeof hex);
    gk_sha256_buffer(data, len, hex);
    assert_int_equal(hex[64], '\0');
    assert_string_equal(hex, want);
}

static void test_empty(void **state)
{
    (void)state;
    check_oneshot("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    /* A streaming hash that never sees data gives the same. */
    gk_sha256_t s;
    char hex[65];
    gk_sha256_init(&s);
    gk_sha256_update(&s, "", 0);
    gk_sha256_hex(&s, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_abc(void **state)
{
    (void)state;
    check_oneshot("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_448_bits(void **state)
{
    (void)state;
    assert_int_equal(strlen(MSG448), 56);
    check_oneshot(MSG448, strlen(MSG448), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_896_bits(void **state)
{
    (void)state;
    assert_int_equal(strlen(MSG896), 112);
    check_oneshot(MSG896, strlen(MSG896), "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

static void test_million_a(void **state)
{
    (void)state;
    const char *want = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
    size_t n = 1000000;
    char *buf = malloc(n);
    assert_non_null(buf);
    memset(buf, 'a', n);
    check_oneshot(buf, n, want);
    /* The same message fed one byte at a time, then in blocks of 1000. */
    gk_sha256_t s;
    char hex[65];
    gk_sha256_init(&s);
    for (size_t i = 0; i < n; i++)
        gk_sha256_update(&s, buf + i, 1);
    gk_sha256_hex(&s, hex);
    assert_string_equal(hex, want);
    gk_sha256_init(&s);
    for (size_t i = 0; i < n; i += 1000)
        gk_sha256_update(&s, buf + i, 1000);
    gk_sha256_hex(&s, hex);
    assert_string_equal(hex, want);
    free(buf);
}

/* Lengths around the 55/56/64-byte padding boundaries. */
static void test_padding_boundaries(void **state)
{
    (void)state;
    static const struct {
        size_t len;
        const char *want;
    } v[] = {
        {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
        {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
        {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
        {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
        {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
    };
    char buf[128];
    memset(buf, 'a', sizeof buf);
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        check_oneshot(buf, v[i].len, v[i].want);
}

/* A deterministic pseudo-random message hashed in chunks of many odd sizes
 * gives the one-shot digest. */
static void test_streaming_chunks(void **state)
{
    (void)state;
    size_t n = 100003;
    unsigned char *buf = malloc(n);
    assert_non_null(buf);
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = (unsigned char)x;
    }
    char want[65], hex[65];
    gk_sha256_buffer(buf, n, want);
    static const size_t chunks[] = {1, 3, 7, 13, 55, 56, 57, 63, 64, 65, 127, 129, 1000, 4097};
    for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
        gk_sha256_t s;
        gk_sha256_init(&s);
        for (size_t i = 0; i < n; i += chunks[c])
            gk_sha256_update(&s, buf + i, i + chunks[c] <= n ? chunks[c] : n - i);
        gk_sha256_hex(&s, hex);
        assert_string_equal(hex, want);
    }
    /* Varying chunk sizes within one stream, including empty updates. */
    gk_sha256_t s;
    gk_sha256_init(&s);
    size_t i = 0, k = 0;
    while (i < n) {
        size_t len = (k * 37 + 11) % 150;
        if (len > n - i)
            len = n - i;
        gk_sha256_update(&s, buf + i, len);
        i += len;
        k++;
    }
    gk_sha256_hex(&s, hex);
    assert_string_equal(hex, want);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),          cmocka_unit_test(test_abc),
        cmocka_unit_test(test_448_bits),       cmocka_unit_test(test_896_bits),
        cmocka_unit_test(test_million_a),      cmocka_unit_test(test_padding_boundaries),
        cmocka_unit_test(test_streaming_chunks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
