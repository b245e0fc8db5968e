/* odf.c — in progress. */
#include "extract.h"

static gk_status_t extract_stub(const gk_input_t *in, const gk_extract_limits_t *lim, gk_fields_t *out)
{
    (void)in;
    (void)lim;
    return gk_fields_fail(out, GK_ERR_UNSUPPORTED, "not supported yet");
}

static const char *const odt_types[] = {"application/vnd.oasis.opendocument.text", NULL};
const gk_extractor_t gk_extractor_odt = {"odt", odt_types, extract_stub, 1};

static const char *const ods_types[] = {"application/vnd.oasis.opendocument.spreadsheet", NULL};
const gk_extractor_t gk_extractor_ods = {"ods", ods_types, extract_stub, 1};

static const char *const odp_types[] = {"application/vnd.oasis.opendocument.presentation", NULL};
const gk_extractor_t gk_extractor_odp = {"odp", odp_types, extract_stub, 1};
