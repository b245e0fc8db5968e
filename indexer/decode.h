/*
 * decode.h — bytes of unknown encoding to valid UTF-8.
 *
 * Order of decision (DOMAIN.md §5): a BOM (UTF-8, UTF-16LE/BE, GB18030),
 * then strict UTF-8, then UTF-16 without BOM when the byte pattern says so,
 * then ICU's charset detector restricted to the encodings Chinese
 * government text comes in (GB18030 ⊃ GBK ⊃ GB2312, Big5, UTF-16), with a
 * declared label (an HTML meta charset) winning when it decodes cleanly.
 * "gb2312" and "gbk" labels are read as GB18030 (as WHATWG does).
 */
#ifndef GK_DECODE_H
#define GK_DECODE_H

#include <stddef.h>

#include "buf.h"
#include "gongkai.h"
#include "utf8.h"

/*
 * Decode DATA[0..len) into OUT (appended, valid UTF-8, BOM removed).
 * DECLARED is a charset label found in the document (or NULL).
 * DECISION receives a short description of what was decided, e.g.
 * "utf-8", "utf-16le (bom)", "gb18030 (detected, confidence 100)",
 * "gb18030 (declared gb2312)".
 * Returns GK_OK, GK_ERR_ENCODING (no plausible decoding), GK_ERR_NOMEM.
 */
gk_status_t gk_decode_text(const unsigned char *data, size_t len, const char *declared,
                           gk_buf_t *out, char *decision, size_t decisionlen);

#endif
