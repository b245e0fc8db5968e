/*
 * text.c — plain text: decoded to UTF-8 and kept exactly as decoded, so
 * that the stored text of a GB18030 or UTF-16 file equals its UTF-8 form.
 */
#include <stdint.h>
#include <string.h>

#include "decode.h"
#include "extract.h"
#include "title.h"

static int all_blank(const gk_buf_t *b)
{
    size_t s, e;
    gk_trim_blanks((const unsigned char *)gk_buf_str(b), 0, b->len, &s, &e);
    return e == s;
}

static gk_status_t text_extract(const gk_input_t *in, const gk_extract_limits_t *lim,
                                gk_fields_t *out)
{
    (void)lim; /* the text size is checked by gk_extract */
    /* libmagic's charset hint is not passed on: it calls GB18030 text
     * "iso-8859-1", and the decoder finds BOMs and UTF-16 by itself. */
    char decision[96];
    gk_buf_reset(&out->body);
    gk_status_t rc = gk_decode_text(in->data, in->len, NULL, &out->body, decision, sizeof decision);
    if (rc == GK_ERR_NOMEM)
        return gk_fields_fail(out, rc, "out of memory decoding the text");
    if (rc != GK_OK)
        return gk_fields_fail(out, GK_ERR_ENCODING,
                              "not decodable as UTF-8, UTF-16, GB18030 or Big5 text");
    if (all_blank(&out->body))
        return gk_fields_fail(out, GK_ERR_BAD_FILE, "empty file");
    if (gk_fields_set(&out->charset, decision, strlen(decision)) != GK_OK)
        return gk_fields_fail(out, GK_ERR_NOMEM, "out of memory");
    return GK_OK;
}

/* Empty files are routed here so that they get a clear "empty file". */
static const char *const text_types[] = {
    "text/plain", "application/x-empty", "inode/x-empty", "text/*", NULL,
};

const gk_extractor_t gk_extractor_text = {"text", text_types, text_extract, 0};
