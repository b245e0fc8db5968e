/* Fuzz the ODF extractor (ODT, ODS and ODP share one reader) with arbitrary bytes. */
#include "fuzz_extractor.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
    fuzz_extractor(&gk_extractor_odt, data, len);
    return 0;
}
