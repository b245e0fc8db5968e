/*
 * fold.h — undo the look-alike ideographs extraction produces.
 *
 * PDF fonts without a proper ToUnicode map (and some office software) give
 * Kangxi radicals (⾏ U+2F8F for 行) or CJK compatibility ideographs
 * (U+F900–FAFF) where the text had unified ideographs. They look the same
 * and are not the same to a search engine, a user's copy and paste, or a
 * comparison with the source. Every extractor's text passes through here.
 */
#ifndef GK_FOLD_H
#define GK_FOLD_H

#include "buf.h"
#include "gongkai.h"

/* Replace, in place, each Kangxi radical (U+2F00–2FD5) and each
 * compatibility ideograph (U+F900–FAFF, U+2F800–2FA1F) of TEXT with the
 * unified ideograph Unicode maps it to. Text without them is untouched
 * (one scan, no copy). Returns GK_OK or GK_ERR_NOMEM. */
gk_status_t gk_fold_ideographs(gk_buf_t *text);

#endif
