/* testzip.h — zip packages built in memory with libzip, for the unit tests
 * of the zip-based extractors (include after cmocka.h). */
#ifndef GK_TESTZIP_H
#define GK_TESTZIP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

/* A member of a package: its name and its contents (a C string). */
typedef struct {
    const char *name, *data;
} part_t;

/* A zip of PARTS (NULL-name terminated), malloc'd into *LEN bytes. */
static inline unsigned char *make_zip(const part_t *parts, size_t *len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    assert_non_null(src);
    zip_source_keep(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    assert_non_null(za);
    for (const part_t *p = parts; p->name; p++) {
        zip_source_t *s = zip_source_buffer(za, p->data, strlen(p->data), 0);
        assert_non_null(s);
        assert_true(zip_file_add(za, p->name, s, ZIP_FL_ENC_UTF_8) >= 0);
    }
    assert_int_equal(zip_close(za), 0);
    assert_int_equal(zip_source_open(src), 0);
    assert_int_equal(zip_source_seek(src, 0, SEEK_END), 0);
    zip_int64_t n = zip_source_tell(src);
    assert_true(n > 0);
    assert_int_equal(zip_source_seek(src, 0, SEEK_SET), 0);
    unsigned char *buf = malloc((size_t)n);
    assert_non_null(buf);
    assert_int_equal(zip_source_read(src, buf, (zip_uint64_t)n), n);
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&ze);
    *len = (size_t)n;
    return buf;
}

#endif
