/*
 * tagging.h — an archived item's descriptive metadata, decided field by
 * field from what the command line says, what the document prints
 * (govmeta.h), the category rules (classify.h) and what the file's own
 * metadata says, in that order; with, for each value, the rule that
 * decided it and a confidence (the item's "provenance").
 */
#ifndef GK_TAGGING_H
#define GK_TAGGING_H

#include "classify.h"
#include "extract.h"
#include "gongkai.h"
#include "manifest.h"

/* What the person archiving said for the whole batch. */
typedef struct gk_tag_given {
    const char *category, *type; /* NULL: decide per item */
    gk_visibility_t visibility;
    int visibility_given;        /* else a printed 公开方式 decides, then visibility */
    int year;                    /* 0: the year of the 成文日期 */
    const gk_classifier_t *classifier; /* NULL: no category unless given */
    const gk_manifest_row_t *row;      /* the item's row of a 归档文件目录, or NULL:
                                          its values win over what the text says */
} gk_tag_given_t;

typedef struct gk_tags {
    char *title, *docno, *date, *organ, *recipients, *type, *category;
    char *cited_docnos;          /* ';'-separated */
    char *provenance;            /* JSON object: field → {"rule", "confidence"} */
    char *archive_code;          /* 档号 from the manifest, or NULL */
    gk_visibility_t visibility;
    int year;
    int pages;                   /* from the manifest, else -1 */
} gk_tags_t;

/* Decide the tags of an item whose extracted fields are F; FILE_TITLE is
 * the last resort for a title. GK_OK or GK_ERR_NOMEM. */
gk_status_t gk_tag_item(const gk_fields_t *f, const char *file_title, const gk_tag_given_t *given, gk_tags_t *out);
void gk_tags_free(gk_tags_t *t);

#endif
