/* status.c — names of status codes and visibility values. */
#include <string.h>

#include "gongkai.h"

const char *gk_status_to_string(gk_status_t status)
{
    static const char *const names[GK_STATUS_LAST] = {
        [GK_OK] = "success",
        [GK_ERR_NOMEM] = "out of memory",
        [GK_ERR_IO] = "input/output error",
        [GK_ERR_NOT_FOUND] = "not found",
        [GK_ERR_EXISTS] = "already exists",
        [GK_ERR_INVALID] = "invalid argument",
        [GK_ERR_BAD_FILE] = "bad file",
        [GK_ERR_UNSUPPORTED] = "unsupported file type",
        [GK_ERR_TOO_LARGE] = "too large",
        [GK_ERR_ENCODING] = "undecodable text",
        [GK_ERR_LOCKED] = "locked by another process",
        [GK_ERR_CORRUPT] = "corrupt data",
        [GK_ERR_CATALOGUE] = "catalogue error",
        [GK_ERR_INDEX] = "index error",
        [GK_ERR_EXTRACTOR] = "extractor failure",
        [GK_ERR_INTERRUPTED] = "interrupted",
        [GK_ERR_INTERNAL] = "internal error",
        [GK_ERR_ENCRYPTED] = "encrypted",
    };
    if ((unsigned)status >= GK_STATUS_LAST || !names[status])
        return "unknown status";
    return names[status];
}

static const char *const vis_names[] = {"public", "application", "internal"};

const char *gk_visibility_name(gk_visibility_t v)
{
    return (unsigned)v < 3 ? vis_names[v] : "internal";
}

gk_status_t gk_visibility_parse(const char *s, gk_visibility_t *out)
{
    for (int i = 0; i < 3; i++) {
        if (s && strcmp(s, vis_names[i]) == 0) {
            *out = (gk_visibility_t)i;
            return GK_OK;
        }
    }
    return GK_ERR_INVALID;
}
