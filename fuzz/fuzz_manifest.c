/* Fuzz the 归档文件目录 reader (manifest.h): CSV in UTF-8 or GB18030. */
#include <stdlib.h>

#include "manifest.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
    gk_manifest_t *m = NULL;
    char *errors = NULL;
    if (gk_manifest_parse((const char *)data, len, "fuzz.csv", &m, &errors) == GK_OK) {
        /* Every row has a title and a file, and matching never fails hard. */
        for (size_t i = 0; i < gk_manifest_count(m); i++) {
            const gk_manifest_row_t *row = gk_manifest_row(m, i);
            if (!row->title || !*row->title || !row->file || !*row->file)
                abort();
        }
        gk_manifest_match(m, "/archive/2024/G0001.txt");
        gk_manifest_match(m, "x");
    }
    free(errors);
    gk_manifest_free(m);
    return 0;
}
