/*
 * buf.h — a growable byte buffer, always NUL-terminated.
 *
 * Errors are sticky (as in SQLite's fts5_buffer.c): after an allocation
 * failure every append is a no-op and gk_buf_failed() says so, so builders
 * can append freely and check once at the end.
 */
#ifndef GK_BUF_H
#define GK_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct gk_buf {
    char *data;     /* NUL-terminated; NULL until the first append */
    size_t len;
    size_t cap;
    int failed;     /* non-zero after an allocation failure */
} gk_buf_t;

#define GK_BUF_INIT {NULL, 0, 0, 0}

void gk_buf_append(gk_buf_t *b, const void *data, size_t len);
void gk_buf_puts(gk_buf_t *b, const char *s);
void gk_buf_putc(gk_buf_t *b, char c);
void gk_buf_printf(gk_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append S with the HTML special characters & < > " escaped. */
void gk_buf_append_html(gk_buf_t *b, const char *s, size_t len);
void gk_buf_reset(gk_buf_t *b);          /* length 0, keeps memory */
void gk_buf_free(gk_buf_t *b);           /* releases memory, back to GK_BUF_INIT */
/* Hand the contents to the caller (malloc'd; "" when empty) and reset. NULL on failure. */
char *gk_buf_steal(gk_buf_t *b);
static inline int gk_buf_failed(const gk_buf_t *b) { return b->failed; }
static inline const char *gk_buf_str(const gk_buf_t *b) { return b->data ? b->data : ""; }

#endif
