/*
 * detect.h — what kind of file is this? Decided from the content with
 * libmagic, never from the file name.
 *
 * A gk_detector_t wraps a magic_t, which is not thread-safe: use one per
 * thread.
 */
#ifndef GK_DETECT_H
#define GK_DETECT_H

#include <stddef.h>

#include "gongkai.h"

typedef struct gk_detector gk_detector_t;

gk_status_t gk_detector_new(gk_detector_t **out, char *err, size_t errlen);
void gk_detector_free(gk_detector_t *d);

/*
 * Detect the MIME type and a charset hint of DATA[0..len).
 * Text that libmagic calls text/plain but that is Markdown by its content
 * (headings, tables) is reported as "text/markdown"; text in an encoding
 * libmagic does not know (GB18030 without BOM) is still reported as
 * text/plain. mime and charset receive NUL-terminated strings.
 */
gk_status_t gk_detect(gk_detector_t *d, const void *data, size_t len,
                      char *mime, size_t mimelen, char *charset, size_t charsetlen);

#endif
