/* Fuzz the RTF extractor directly with arbitrary bytes. */
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
    gk_extract_limits_t lim;
    gk_extract_limits_default(&lim);
    gk_fields_t f;
    gk_fields_init(&f);
    gk_input_t in = {"fuzz.rtf", data, len, "text/rtf", NULL};
    gk_status_t st = gk_extract(&gk_extractor_rtf, &in, &lim, &f);
    /* What the extractor accepts must be valid UTF-8, metadata included. */
    if (st == GK_OK) {
        if (!gk_utf8_valid((const unsigned char *)gk_buf_str(&f.body), f.body.len))
            abort();
        const char *fields[] = {f.title, f.author, f.created, f.modified};
        for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++)
            if (fields[k] && !gk_utf8_valid((const unsigned char *)fields[k], strlen(fields[k])))
                abort();
    }
    gk_fields_free(&f);
    return 0;
}
