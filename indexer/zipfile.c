/* zipfile.c — bounded reading of zip parts with libzip (zipfile.h). */
#include "zipfile.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

struct gk_zip {
    zip_t *za;
    const gk_extract_limits_t *lim;
    size_t count;
    size_t inflated;   /* bytes inflated so far, all entries */
};

/* Entries below this size are never refused for their ratio: a short part
 * of repeated characters compresses well without being a bomb. */
#define RATIO_FLOOR ((size_t)1 << 20)

gk_status_t gk_zip_open(const gk_input_t *in, const gk_extract_limits_t *lim, gk_fields_t *f, gk_zip_t **out)
{
    *out = NULL;
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(in->data, in->len, 0, &ze);
    if (!src) {
        zip_error_fini(&ze);
        return gk_fields_fail(f, GK_ERR_NOMEM, "out of memory opening the zip");
    }
    zip_t *za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    if (!za) {
        gk_status_t st = zip_error_code_zip(&ze) == ZIP_ER_MEMORY ? GK_ERR_NOMEM : GK_ERR_BAD_FILE;
        gk_fields_fail(f, st, "corrupt zip: %s", zip_error_strerror(&ze));
        zip_source_free(src);
        zip_error_fini(&ze);
        return st;
    }
    zip_error_fini(&ze);
    zip_int64_t n = zip_get_num_entries(za, 0);
    if (n < 0 || (zip_uint64_t)n > lim->max_zip_entries) {
        zip_discard(za);
        return gk_fields_fail(f, GK_ERR_TOO_LARGE, "zip of %lld entries exceeds the limit of %u", (long long)n,
                              lim->max_zip_entries);
    }
    gk_zip_t *z = calloc(1, sizeof *z);
    if (!z) {
        zip_discard(za);
        return gk_fields_fail(f, GK_ERR_NOMEM, "out of memory opening the zip");
    }
    z->za = za;
    z->lim = lim;
    z->count = (size_t)n;
    *out = z;
    return GK_OK;
}

void gk_zip_close(gk_zip_t *z)
{
    if (!z)
        return;
    zip_discard(z->za);
    free(z);
}

size_t gk_zip_count(const gk_zip_t *z) { return z->count; }

static int name_is_safe(const char *name)
{
    if (!name || !*name || name[0] == '/' || strchr(name, '\\'))
        return 0;
    for (const char *p = name; (p = strstr(p, "..")) != NULL; p += 2)
        if ((p == name || p[-1] == '/') && (p[2] == '/' || p[2] == '\0'))
            return 0;
    return 1;
}

const char *gk_zip_name(gk_zip_t *z, size_t i)
{
    if (i >= z->count)
        return NULL;
    const char *name = zip_get_name(z->za, (zip_uint64_t)i, ZIP_FL_ENC_GUESS);
    return name_is_safe(name) ? name : NULL;
}

int gk_zip_find(gk_zip_t *z, const char *name, size_t *index)
{
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < z->count; i++) {
            const char *n = gk_zip_name(z, i);
            if (n && (pass ? strcasecmp(n, name) : strcmp(n, name)) == 0) {
                *index = i;
                return 1;
            }
        }
    return 0;
}

gk_status_t gk_zip_read(gk_zip_t *z, size_t i, gk_buf_t *out, gk_fields_t *f)
{
    const char *name = gk_zip_name(z, i);
    if (!name)
        return gk_fields_fail(f, GK_ERR_BAD_FILE, "zip entry %zu has an unsafe name", i);
    zip_stat_t sb;
    zip_stat_init(&sb);
    if (zip_stat_index(z->za, (zip_uint64_t)i, 0, &sb) != 0)
        return gk_fields_fail(f, GK_ERR_BAD_FILE, "corrupt zip entry %s: %s", name, zip_strerror(z->za));
    if ((sb.valid & ZIP_STAT_ENCRYPTION_METHOD) && sb.encryption_method != ZIP_EM_NONE)
        return gk_fields_fail(f, GK_ERR_ENCRYPTED, "encrypted (zip entry %s needs a password)", name);
    size_t compressed = (sb.valid & ZIP_STAT_COMP_SIZE) ? (size_t)sb.comp_size : 0;
    /* What the directory declares refuses most bombs before a byte is
     * inflated; the counts below catch a directory that lies. */
    if ((sb.valid & ZIP_STAT_SIZE) && sb.size > z->lim->max_inflated_bytes - z->inflated)
        return gk_fields_fail(f, GK_ERR_TOO_LARGE, "zip entry %s declares %llu bytes (zip bomb?)", name,
                              (unsigned long long)sb.size);
    if ((sb.valid & ZIP_STAT_SIZE) && sb.size > RATIO_FLOOR && sb.size / (compressed ? compressed : 1) >
                                                                   z->lim->max_inflate_ratio)
        return gk_fields_fail(f, GK_ERR_TOO_LARGE, "zip entry %s inflates more than %u times its size (zip bomb?)",
                              name, z->lim->max_inflate_ratio);
    zip_file_t *zf = zip_fopen_index(z->za, (zip_uint64_t)i, 0);
    if (!zf) {
        int code = zip_error_code_zip(zip_get_error(z->za));
        if (code == ZIP_ER_NOPASSWD || code == ZIP_ER_WRONGPASSWD || code == ZIP_ER_ENCRNOTSUPP)
            return gk_fields_fail(f, GK_ERR_ENCRYPTED, "encrypted (zip entry %s needs a password)", name);
        return gk_fields_fail(f, code == ZIP_ER_MEMORY ? GK_ERR_NOMEM : GK_ERR_BAD_FILE,
                              "cannot open zip entry %s: %s", name, zip_strerror(z->za));
    }
    size_t mine = 0;
    gk_status_t st = GK_OK;
    char chunk[65536];
    for (;;) {
        zip_int64_t n = zip_fread(zf, chunk, sizeof chunk);
        if (n < 0) {
            st = gk_fields_fail(f, GK_ERR_BAD_FILE, "corrupt zip entry %s: %s", name, zip_file_strerror(zf));
            break;
        }
        if (n == 0)
            break;
        mine += (size_t)n;
        z->inflated += (size_t)n;
        /* Checked as the bytes come, so a bomb stops at the limit, not at
         * the end of its gigabyte. */
        if (z->inflated > z->lim->max_inflated_bytes) {
            st = gk_fields_fail(f, GK_ERR_TOO_LARGE, "zip inflates to more than %zu bytes (zip bomb?)",
                                z->lim->max_inflated_bytes);
            break;
        }
        if (mine > RATIO_FLOOR && mine / (compressed ? compressed : 1) > z->lim->max_inflate_ratio) {
            st = gk_fields_fail(f, GK_ERR_TOO_LARGE,
                                "zip entry %s inflates more than %u times its size (zip bomb?)", name,
                                z->lim->max_inflate_ratio);
            break;
        }
        gk_buf_append(out, chunk, (size_t)n);
        if (gk_buf_failed(out)) {
            st = gk_fields_fail(f, GK_ERR_NOMEM, "out of memory inflating %s", name);
            break;
        }
    }
    zip_fclose(zf);
    return st;
}

gk_status_t gk_zip_read_name(gk_zip_t *z, const char *name, gk_buf_t *out, gk_fields_t *f)
{
    size_t i;
    if (!gk_zip_find(z, name, &i))
        return GK_ERR_NOT_FOUND;
    return gk_zip_read(z, i, out, f);
}
