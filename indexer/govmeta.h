/*
 * govmeta.h — the government metadata of one 公文 (official document),
 * read from its plain text: 标题, 发文字号, 成文日期, 发文机关, 主送机关,
 * 文种 and 公开方式.
 *
 * The rules follow the printed layout of GB/T 9704-2012 rather than any
 * one issuer's habits: the 文号 stands alone on a line of the head, the
 * title is the block of lines above the 主送机关 or the first paragraph,
 * the 成文日期 stands under the signature, and so on. Each field carries
 * the name of the rule that decided it and a confidence in 0..1: about
 * 0.9 and above for strong layout evidence, lower for fallbacks.
 */
#ifndef GK_GOVMETA_H
#define GK_GOVMETA_H

#include <stddef.h>

#include "gongkai.h"

typedef enum gk_govmeta_field {
    GK_META_TITLE,      /* 标题, exactly as printed, wrapped lines joined */
    GK_META_DOCNO,      /* 发文字号, normalised (gk_docno_normalise) */
    GK_META_DATE,       /* 成文日期, YYYY-MM-DD */
    GK_META_ORGAN,      /* 发文机关, joint ones separated by ';' in signature order */
    GK_META_RECIPIENTS, /* 主送机关, without the closing colon */
    GK_META_TYPE,       /* 文种 of the title (gk_doctype_of_title) */
    GK_META_VISIBILITY, /* "public", "application" or "internal", only when printed */
    GK_META_NFIELDS
} gk_govmeta_field_t;

typedef struct gk_govmeta {
    char *value[GK_META_NFIELDS];       /* malloc'd UTF-8, NULL when not found */
    double confidence[GK_META_NFIELDS]; /* 0 when not found */
    const char *rule[GK_META_NFIELDS];  /* static name of the deciding rule, e.g. "docno-line"; NULL when not found */
    char **cited;                       /* the other 文号 of the text, normalised, in order of first
                                           appearance, no duplicates, never the document's own */
    size_t ncited;
} gk_govmeta_t;

/*
 * Read the metadata of TEXT (UTF-8, LEN bytes; invalid bytes are read as
 * U+FFFD). OUT is overwritten; everything in it belongs to the caller
 * until gk_govmeta_free. Fields not found stay NULL.
 * Returns GK_OK or GK_ERR_NOMEM (OUT is then empty).
 */
gk_status_t gk_govmeta_extract(const char *text, size_t len, gk_govmeta_t *out);

/* Release what gk_govmeta_extract put in M (NULL-safe); M is left empty. */
void gk_govmeta_free(gk_govmeta_t *m);

/* "title", "docno", "date", "organ", "recipients", "type", "visibility";
 * NULL for anything else. */
const char *gk_govmeta_field_name(gk_govmeta_field_t f);

/*
 * The 文种 a title ends with, as a static string ("通知", "意见",
 * "工作要点", ...), or NULL. A trailing parenthetical such as （试行） or
 * （2023—2025年） is dropped first, the longest known type wins, and the
 * usual compounds are folded (实施意见 → 意见, 复函 → 函, 会议纪要 → 纪要).
 * A notice that prints (印发/转发/批转) another document is 通知 whatever
 * that document's type.
 */
const char *gk_doctype_of_title(const char *title);

/*
 * S, a 文号 as written ("青政发[2023] 12 号", "青财预（２０２４）３号",
 * "青人社发〔2024〕第5号", "国令第711号"), normalised: 〔〕 around the year,
 * ASCII digits, no 第 before the serial, no leading zeros, no blanks
 * (青政发〔2023〕12号). Decrees keep their 第: 国令第711号. Blanks around
 * S are ignored; anything else makes it not a 文号.
 * Returns a malloc'd string, or NULL when S is not a 文号 (or on NOMEM).
 */
char *gk_docno_normalise(const char *s);

#endif
