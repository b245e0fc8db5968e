/*
 * fullwidth_shift.c — see fullwidth_shift.h. The two GBK rows are read
 * through ICU's GBK converter once, so no table is written out here.
 */
#include "fullwidth_shift.h"

#include <pthread.h>
#include <stdint.h>

#include <unicode/ucnv.h>

#include "utf8.h"

#define ROW_CHARS 94 /* trail bytes 0xA1..0xFE */
/* A run of this many row-0xA0 characters (full-width forms may stand
 * between them, as in 犌犅／犜) marks a text as shifted. */
#define SHIFTED_RUN 3

static uint32_t row_a0[ROW_CHARS]; /* ascending, as GBK orders them */
static uint32_t row_a3[ROW_CHARS];
static int rows_ready;
static pthread_once_t rows_once = PTHREAD_ONCE_INIT;

static int decode_row(UConverter *cv, unsigned char lead, uint32_t *row)
{
    for (int t = 0; t < ROW_CHARS; t++) {
        char gbk[2] = {(char)lead, (char)(0xA1 + t)};
        UChar u[4];
        UErrorCode err = U_ZERO_ERROR;
        int32_t n = ucnv_toUChars(cv, u, 4, gbk, 2, &err);
        if (U_FAILURE(err) || n != 1)
            return 0;
        row[t] = u[0];
    }
    return 1;
}

static int ascending(const uint32_t *row)
{
    for (int t = 1; t < ROW_CHARS; t++)
        if (row[t] <= row[t - 1])
            return 0;
    return 1;
}

static void load_rows(void)
{
    UErrorCode err = U_ZERO_ERROR;
    UConverter *cv = ucnv_open("GBK", &err);
    if (U_FAILURE(err))
        return;
    /* row_a0_index searches row 0xA0, which GBK lists in code point order. */
    rows_ready = decode_row(cv, 0xA0, row_a0) && ascending(row_a0) && decode_row(cv, 0xA3, row_a3);
    ucnv_close(cv);
}

/* The trail-byte index of C in row 0xA0, or -1. */
static int row_a0_index(uint32_t c)
{
    if (c < row_a0[0] || c > row_a0[ROW_CHARS - 1])
        return -1;
    int lo = 0, hi = ROW_CHARS - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (row_a0[mid] == c)
            return mid;
        if (row_a0[mid] < c)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

static int is_fullwidth_form(uint32_t c) { return c >= 0xFF01 && c <= 0xFF5E; }

static int looks_shifted(const unsigned char *s, size_t len)
{
    size_t i = 0;
    int run = 0;
    while (i < len) {
        uint32_t c = gk_utf8_next(s, len, &i);
        if (row_a0_index(c) >= 0) {
            if (++run >= SHIFTED_RUN)
                return 1;
        } else if (!is_fullwidth_form(c)) {
            run = 0;
        }
    }
    return 0;
}

size_t gk_fullwidth_shift_repair(char *text, size_t len)
{
    pthread_once(&rows_once, load_rows);
    unsigned char *s = (unsigned char *)text;
    if (!rows_ready || !looks_shifted(s, len))
        return 0;
    size_t i = 0, fixed = 0;
    while (i < len) {
        size_t at = i;
        int k = row_a0_index(gk_utf8_next(s, len, &i));
        /* Both rows lie in the BMP above U+0800: three bytes each. */
        if (k >= 0 && i - at == 3 && row_a3[k] >= 0x800 && row_a3[k] <= 0xFFFF) {
            gk_utf8_put(row_a3[k], (char *)s + at);
            fixed++;
        }
    }
    return fixed;
}
