/* Fuzz type detection and every extractor it can choose, with arbitrary files. */
#include <stdlib.h>

#include "detect.h"
#include "extract.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
    static gk_detector_t *det;
    char err[256];
    if (!det && gk_detector_new(&det, err, sizeof err) != GK_OK)
        abort();
    char mime[128], charset[64];
    if (gk_detect(det, data, len, mime, sizeof mime, charset, sizeof charset) != GK_OK)
        return 0;
    gk_extract_limits_t lim;
    gk_extract_limits_default(&lim);
    /* Whatever libmagic says, also try each text extractor on the bytes. */
    const gk_extractor_t *all[] = {gk_extractor_for(mime), &gk_extractor_text, &gk_extractor_markdown,
                                   &gk_extractor_html};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (!all[i])
            continue;
        gk_fields_t f;
        gk_fields_init(&f);
        gk_input_t in = {"fuzz", data, len, mime, charset};
        gk_status_t st = gk_extract(all[i], &in, &lim, &f);
        /* What an extractor accepts must be valid UTF-8. */
        if (st == GK_OK && !gk_utf8_valid((const unsigned char *)gk_buf_str(&f.body), f.body.len))
            abort();
        gk_fields_free(&f);
    }
    return 0;
}
