/* testcorpus.h — helpers for the unit tests that read files, above all
 * those of the shared corpus (GK_SHARED_CORPUS; include after cmocka.h):
 * whole files, the rows of formats.tsv one format at a time, and text
 * fidelity as the share of CJK 8-grams an extracted text and its source
 * have in common.
 *
 * The fidelity tests read every GK_CORPUS_STEP-th file of their format
 * (default 10; GK_CORPUS_STEP=1 reads them all). */
#ifndef GK_TESTCORPUS_H
#define GK_TESTCORPUS_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "utf8.h"

/* ------------------------------------------------------------------ */
/* Files                                                               */
/* ------------------------------------------------------------------ */

/* The whole file PATH, malloc'd, with a NUL after its *LEN bytes; NULL
 * (and *LEN 0) when it cannot be opened. */
static inline void *slurp(const char *path, size_t *len)
{
    *len = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap + 1);
    assert_non_null(buf);
    while ((got = fread(buf + n, 1, cap - n, fp)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
            assert_non_null(buf);
        }
    }
    fclose(fp);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Seconds on the monotonic clock, for throughput figures. */
static inline double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------ */
/* The shared corpus                                                   */
/* ------------------------------------------------------------------ */

/* The shared corpus, or NULL when GK_SHARED_CORPUS names no directory. */
static inline const char *corpus_dir(void)
{
    const char *dir = getenv("GK_SHARED_CORPUS");
    struct stat st;
    if (!dir || !*dir || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return NULL;
    return dir;
}

/* The shared corpus; without it the test is skipped, saying that WHAT is. */
static inline const char *corpus_or_skip(const char *what)
{
    const char *dir = corpus_dir();
    if (!dir) {
        print_message("GK_SHARED_CORPUS absent: %s skipped\n", what);
        skip();
    }
    return dir;
}

/* The corpus file named by FMT (relative to the corpus), read whole with
 * slurp; NULL when it is absent. */
static inline void *corpus_file(size_t *len, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void *corpus_file(size_t *len, const char *fmt, ...)
{
    char name[2048], path[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(name, sizeof name, fmt, ap);
    va_end(ap);
    snprintf(path, sizeof path, "%s/%s", corpus_dir(), name);
    return slurp(path, len);
}

/* GK_CORPUS_STEP, or 10 when it is unset or not a positive number. */
static inline int corpus_step(void)
{
    const char *s = getenv("GK_CORPUS_STEP");
    return s && atoi(s) > 0 ? atoi(s) : 10;
}

/* A row of formats.tsv, with its two files read whole. */
typedef struct {
    const char *file, *id, *format; /* the row's first three columns */
    unsigned char *data;            /* formats/FILE */
    size_t len;
    char *src;                      /* texts/ID.md, the source text */
    size_t srclen;
} corpus_row_t;

typedef void corpus_row_fn(const corpus_row_t *row, void *ctx);

/* Calls FN(ROW, CTX) on the first, the STEP+1-th, ... of the rows of
 * formats.tsv whose format is FORMAT, in the order of the file; both of
 * a row's files must exist. Returns the number of calls. */
static inline int corpus_rows(const char *format, int step, corpus_row_fn *fn, void *ctx)
{
    char path[4096], line[8192];
    snprintf(path, sizeof path, "%s/formats.tsv", corpus_dir());
    FILE *tsv = fopen(path, "r");
    assert_non_null(tsv);
    int seen = 0, calls = 0;
    while (fgets(line, sizeof line, tsv)) {
        if (!strchr(line, '\n') && !feof(tsv)) {
            /* An overlong line: no file is named that long; drop the rest. */
            int c;
            while ((c = fgetc(tsv)) != EOF && c != '\n')
                ;
        }
        char file[512], id[64], fmt[64];
        if (sscanf(line, "%511[^\t]\t%63[^\t]\t%63[^\t\n]", file, id, fmt) != 3 || strcmp(fmt, format) != 0 ||
            seen++ % step != 0)
            continue;
        corpus_row_t row = {file, id, fmt, NULL, 0, NULL, 0};
        row.data = corpus_file(&row.len, "formats/%s", file);
        row.src = corpus_file(&row.srclen, "texts/%s.md", id);
        assert_non_null(row.data);
        assert_non_null(row.src);
        fn(&row, ctx);
        calls++;
        free(row.data);
        free(row.src);
    }
    fclose(tsv);
    return calls;
}

/* ------------------------------------------------------------------ */
/* Fidelity: CJK 8-grams of the source found in the text and back      */
/* ------------------------------------------------------------------ */

/* Hashes of the 8-grams of the CJK ideographs (U+3400..U+9FFF) of a
 * text, everything else removed first; sorted and distinct. */
typedef struct {
    uint64_t *h;
    size_t n;
} cjk_grams_t;

static inline int cjk_grams_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The CJK 8-grams of the LEN bytes of UTF-8 at S; free .h. */
static inline cjk_grams_t cjk_grams(const char *s, size_t len)
{
    uint32_t *cp = malloc((len + 1) * sizeof *cp);
    assert_non_null(cp);
    size_t n = 0, i = 0;
    while (i < len) {
        uint32_t c = gk_utf8_next((const unsigned char *)s, len, &i);
        if (c >= 0x3400 && c <= 0x9FFF)
            cp[n++] = c;
    }
    cjk_grams_t g = {malloc((n + 1) * sizeof(uint64_t)), 0};
    assert_non_null(g.h);
    for (size_t k = 0; k + 8 <= n; k++) {
        uint64_t h = 1469598103934665603ull;
        for (size_t j = 0; j < 8; j++)
            h = (h ^ cp[k + j]) * 1099511628211ull;
        g.h[g.n++] = h;
    }
    free(cp);
    qsort(g.h, g.n, sizeof *g.h, cjk_grams_cmp);
    size_t u = 0;
    for (size_t k = 0; k < g.n; k++)
        if (u == 0 || g.h[u - 1] != g.h[k])
            g.h[u++] = g.h[k];
    g.n = u;
    return g;
}

/* The number of 8-grams in both A and B. */
static inline size_t cjk_grams_common(const cjk_grams_t *a, const cjk_grams_t *b)
{
    size_t i = 0, j = 0, n = 0;
    while (i < a->n && j < b->n) {
        if (a->h[i] < b->h[j])
            i++;
        else if (a->h[i] > b->h[j])
            j++;
        else
            n++, i++, j++;
    }
    return n;
}

/* Recall (the share of the source's CJK 8-grams found in the text) and
 * precision (the share of the text's found in the source). A source
 * without 8-grams is recalled in full; a text without them is precise
 * only when its source has none either. */
static inline void cjk_fidelity(const char *src, size_t srclen, const char *text, size_t len, double *recall,
                                double *precision)
{
    cjk_grams_t s = cjk_grams(src, srclen), t = cjk_grams(text, len);
    size_t both = cjk_grams_common(&s, &t);
    *recall = s.n ? (double)both / (double)s.n : 1.0;
    *precision = t.n ? (double)both / (double)t.n : (s.n ? 0.0 : 1.0);
    free(s.h);
    free(t.h);
}

/* Recall and precision over the files of a fidelity test. */
typedef struct {
    int files;
    double recall, precision; /* sums, then means after fidelity_mean */
    double worst;             /* the lowest recall or precision of a file */
    int print_all;            /* print every file's figures, not only those below 0.98 */
} fidelity_t;

/* Scores TEXT, extracted from ROW's file, against ROW's source. */
static inline void fidelity_add(fidelity_t *fd, const corpus_row_t *row, const char *text, size_t len)
{
    double r, p;
    cjk_fidelity(row->src, row->srclen, text, len, &r, &p);
    if (fd->print_all || r < 0.98 || p < 0.98)
        print_message("%s: recall %.4f precision %.4f\n", row->file, r, p);
    if (fd->files == 0 || r < fd->worst)
        fd->worst = r;
    if (p < fd->worst)
        fd->worst = p;
    fd->recall += r;
    fd->precision += p;
    fd->files++;
}

/* Turns FD's sums into means; at least one file must have been scored. */
static inline void fidelity_mean(fidelity_t *fd)
{
    assert_true(fd->files > 0);
    fd->recall /= fd->files;
    fd->precision /= fd->files;
}

/* Fails the test when the mean recall or precision is below 0.98. */
static inline void fidelity_assert(const fidelity_t *fd)
{
    assert_true(fd->recall >= 0.98);
    assert_true(fd->precision >= 0.98);
}

#endif
