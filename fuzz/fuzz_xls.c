/* Fuzz the XLS extractor (OLE2 compound files in the seeds) with arbitrary bytes. */
#include "fuzz_extractor.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
    fuzz_extractor(&gk_extractor_xls, data, len);
    return 0;
}
