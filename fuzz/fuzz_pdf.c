/* Fuzz the PDF extractor directly with arbitrary bytes. */
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
    gk_input_t in = {"fuzz.pdf", data, len, "application/pdf", NULL};
    gk_status_t st = gk_extract(&gk_extractor_pdf, &in, &lim, &f);
    /* What the extractor accepts must be valid UTF-8, metadata included. */
    if (st == GK_OK && !gk_utf8_valid((const unsigned char *)gk_buf_str(&f.body), f.body.len))
        abort();
    const char *fields[] = {f.title, f.author, f.created, f.modified};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (st == GK_OK && fields[i] && !gk_utf8_valid((const unsigned char *)fields[i], strlen(fields[i])))
            abort();
    gk_fields_free(&f);
    return 0;
}
