/* assets.h — the files of the search page (searchd/www), built in. */
#ifndef GK_ASSETS_H
#define GK_ASSETS_H

#include <stddef.h>

typedef struct gk_asset {
    const char *name;             /* file name, e.g. "app.js" */
    const unsigned char *data;
    size_t len;
} gk_asset_t;

/* Terminated by an entry whose name is NULL. */
extern const gk_asset_t gk_assets[];

#endif
