/* doc.c — in progress. */
#include "extract.h"

static gk_status_t extract_stub(const gk_input_t *in, const gk_extract_limits_t *lim, gk_fields_t *out)
{
    (void)in;
    (void)lim;
    return gk_fields_fail(out, GK_ERR_UNSUPPORTED, "not supported yet");
}

static const char *const doc_types[] = {"application/msword", NULL};
const gk_extractor_t gk_extractor_doc = {"doc", doc_types, extract_stub, 1};
