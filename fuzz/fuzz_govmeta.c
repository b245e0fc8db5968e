/* Fuzz the 公文 metadata reader (govmeta.h) with arbitrary text. */
#include <stdlib.h>
#include <string.h>

#include "govmeta.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
    gk_govmeta_t m;
    if (gk_govmeta_extract((const char *)data, len, &m) != GK_OK)
        return 0;
    /* Whatever the input, every value is valid UTF-8 with a rule and a
     * confidence in (0, 1]. */
    for (int f = 0; f < GK_META_NFIELDS; f++) {
        const char *v = m.value[f];
        if (v && (!gk_utf8_valid((const unsigned char *)v, strlen(v)) || !m.rule[f] || m.confidence[f] <= 0 ||
                  m.confidence[f] > 1))
            abort();
    }
    for (size_t i = 0; i < m.ncited; i++)
        if (!gk_utf8_valid((const unsigned char *)m.cited[i], strlen(m.cited[i])))
            abort();
    char *s = malloc(len + 1);
    if (s) {
        memcpy(s, data, len);
        s[len] = '\0';
        free(gk_docno_normalise(s));
        gk_doctype_of_title(s);
        free(s);
    }
    gk_govmeta_free(&m);
    return 0;
}
