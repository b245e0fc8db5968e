/*
 * ole2.h — what the binary Office extractors (doc.c, xls.c) share: the
 * OLE2 compound file through libgsf, bounded stream reads, the
 * SummaryInformation property set, and 8-bit/UTF-16 text to UTF-8.
 * The functions are defined in doc.c.
 */
#ifndef GK_OLE2_H
#define GK_OLE2_H

#include <stddef.h>
#include <stdint.h>

#include <gsf/gsf-infile.h>

#include "extract.h"

static inline uint16_t gk_rd16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }

static inline uint32_t gk_rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The compound file in DATA (not copied: DATA must outlive it), or NULL
 * when DATA is not one. Initialises libgsf on first use and silences its
 * log messages about damaged files: the caller reports those itself. */
GsfInfile *gk_ole_open(const unsigned char *data, size_t len);

/* Non-zero when the compound file has a top-level stream NAME. */
int gk_ole_has(GsfInfile *ole, const char *name);

/* Read the whole stream NAME into a malloc'd buffer (*data, *len).
 * A missing stream gives GK_OK with *data NULL; a stream longer than MAX
 * or one that cannot be read (a broken sector chain) gives
 * GK_ERR_BAD_FILE, with the reason in OUT. */
gk_status_t gk_ole_read(GsfInfile *ole, const char *name, size_t max, unsigned char **data, size_t *len,
                        gk_fields_t *out);

/* Title, author, created, modified and (when WANT_PAGES) pages from the
 * "\005SummaryInformation" stream, if present and readable. A damaged
 * property set is ignored: metadata never fails an extraction. */
void gk_ole_summary(GsfInfile *ole, int want_pages, gk_fields_t *out);

/* The ICU converter name for a Windows code page number; code pages ICU
 * does not know (the Mac Chinese ones among them) fall back to GB18030. */
const char *gk_ole_charset(unsigned codepage);

/* Append S[0..len) in CHARSET (an ICU name) to OUT as UTF-8, control
 * characters other than tab and newline dropped. */
void gk_ole_put8(gk_buf_t *out, const char *charset, const unsigned char *s, size_t len);

/* Append N UTF-16LE code units at P to OUT as UTF-8: lone surrogates
 * become U+FFFD, control characters other than tab and newline are
 * dropped, carriage returns become newlines. */
void gk_ole_put16(gk_buf_t *out, const unsigned char *p, size_t n);

#endif
