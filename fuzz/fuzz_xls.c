/* Fuzz the xls extractor directly with arbitrary bytes (OLE2 compound files
 * in the seed corpus). */
#include <stdlib.h>

#include "extract.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
    gk_extract_limits_t lim;
    gk_extract_limits_default(&lim);
    gk_fields_t f;
    gk_fields_init(&f);
    gk_input_t in = {"fuzz", data, len, gk_extractor_xls.mime_types[0], NULL};
    gk_status_t st = gk_extract(&gk_extractor_xls, &in, &lim, &f);
    /* What the extractor accepts must be valid UTF-8. */
    if (st == GK_OK && !gk_utf8_valid((const unsigned char *)gk_buf_str(&f.body), f.body.len))
        abort();
    gk_fields_free(&f);
    return 0;
}
