/* Fuzz the PDF extractor (poppler-glib) with arbitrary bytes. */
#include "fuzz_extractor.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
    fuzz_extractor(&gk_extractor_pdf, data, len);
    return 0;
}
