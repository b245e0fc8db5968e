/*
 * ooxml.h — what the three Office Open XML extractors (DOCX, XLSX, PPTX)
 * share: finding parts through the package's relationships, the core
 * properties, and a text writer that merges separators.
 *
 * An OOXML package is a zip whose parts point at each other through
 * relationship parts (_rels/NAME.rels); the main part is the target of the
 * package's officeDocument relationship, not a fixed name (WPS and others
 * use other names). Everything here reads through zipfile.h and
 * xmlstream.h, so the zip and XML limits hold.
 */
#ifndef GK_OOXML_H
#define GK_OOXML_H

#include <stddef.h>

#include "extract.h"
#include "xmlstream.h"
#include "zipfile.h"

/* One relationship of a part; TARGET is resolved to a zip entry name. */
typedef struct gk_ooxml_rel {
    char *id;
    char *type;     /* the full type URI */
    char *target;   /* NULL for external targets (hyperlinks, ...) */
} gk_ooxml_rel_t;

typedef struct gk_ooxml_rels {
    gk_ooxml_rel_t *v;
    size_t n;
} gk_ooxml_rels_t;

/* Read the relationships of PART (e.g. "word/document.xml", or "" for the
 * package). A part without relationships gives an empty list and GK_OK;
 * a malformed relationship part is ignored the same way. */
gk_status_t gk_ooxml_rels_read(gk_zip_t *z, const char *part, const gk_extract_limits_t *lim, gk_fields_t *f,
                               gk_ooxml_rels_t *out);
void gk_ooxml_rels_free(gk_ooxml_rels_t *rels);

/* The relationship with this id, or the first at or after *FROM whose type
 * ends in "/" SUFFIX (transitional and strict URIs share their last
 * segment); *FROM is moved past it, so a loop visits every match. */
const gk_ooxml_rel_t *gk_ooxml_rel_id(const gk_ooxml_rels_t *rels, const char *id);
const gk_ooxml_rel_t *gk_ooxml_rel_type(const gk_ooxml_rels_t *rels, const char *suffix, size_t *from);

/* The r:id attribute of the current element (the relationships
 * namespace, transitional or strict; a plain "id" is something else),
 * malloc'd, or NULL. */
char *gk_ooxml_rid(gk_xml_t *x);

/* Resolve TARGET against the directory of BASE (a zip entry name) into a
 * malloc'd entry name: "../" and "./" folded, a leading "/" meaning the
 * package root, %XX decoded. NULL when it leaves the package or on no memory. */
char *gk_ooxml_resolve(const char *base, const char *target);

/* What tells one kind of package from another. */
typedef struct gk_ooxml_package {
    const char *format;      /* "DOCX", for messages */
    const char *kind;        /* content-type fragments: "wordprocessingml", */
    const char *ms_kind;     /* "ms-word" */
    const char *fallback;    /* the usual main part, "word/document.xml" */
    const char *root;        /* its root element, "document" */
} gk_ooxml_package_t;

/* Find the package's main part (the officeDocument relationship, then a
 * [Content_Types].xml override of its kind, then the usual name), read it
 * into XML and check its root element: a workbook given as a document is
 * no document. The part's name (malloc'd) goes to *NAME. GK_ERR_BAD_FILE
 * with a message when there is no such part, or the status of the read. */
gk_status_t gk_ooxml_open_main(gk_zip_t *z, const gk_ooxml_package_t *p, const gk_extract_limits_t *lim,
                               gk_fields_t *f, char **name, gk_buf_t *xml);

/* Inflate a part into OUT (reset first). */
gk_status_t gk_ooxml_read_part(gk_zip_t *z, const char *name, gk_buf_t *out, gk_fields_t *f);

/* Title, author, created and modified from docProps/core.xml into F; the
 * number in docProps/app.xml's element APP_COUNT ("Pages", "Slides") into
 * f->pages when APP_COUNT is not NULL. Only what must end the file is
 * returned (GK_ERR_TOO_LARGE, GK_ERR_NOMEM, GK_ERR_ENCRYPTED): damaged
 * metadata is skipped. */
gk_status_t gk_ooxml_properties(gk_zip_t *z, const char *app_count, const gk_extract_limits_t *lim,
                                gk_fields_t *f);

/* A failure in an optional part (a header, the notes, the styles) does not
 * lose the document's text: GK_OK for damage, STATUS for what must end the
 * file. */
gk_status_t gk_ooxml_optional(gk_status_t status, gk_fields_t *f);

/* The text writer. Separators are asked for, not written: a wanted
 * separator is written only before the next text, the strongest wins
 * ('\n' over '\t' over ' '), so empty paragraphs and cells leave no runs of
 * blank lines and nothing trails the text. */
typedef struct gk_ooxml_text {
    gk_buf_t *out;
    char pending;       /* 0, ' ', '\t' or '\n' */
    size_t limit;       /* max_text_bytes */
} gk_ooxml_text_t;

void gk_ooxml_text_init(gk_ooxml_text_t *t, gk_buf_t *out, const gk_extract_limits_t *lim);
void gk_ooxml_want(gk_ooxml_text_t *t, char sep);
/* Write the pending separator (if any text came before) and then S. */
void gk_ooxml_put(gk_ooxml_text_t *t, const char *s, size_t len);
/* Has the text outgrown the limit (or the buffer failed)? Writers stop
 * reading then; the caller reports GK_ERR_TOO_LARGE. */
int gk_ooxml_full(const gk_ooxml_text_t *t);
gk_status_t gk_ooxml_full_status(const gk_ooxml_text_t *t, gk_fields_t *f);

/* Skipping a subtree while streaming: after gk_ooxml_skip_start on a start
 * tag, gk_ooxml_skipping is true for every node up to and including its
 * end tag. SKIP is -1 when not skipping. */
void gk_ooxml_skip_start(gk_xml_t *x, int *skip);
int gk_ooxml_skipping(gk_xml_t *x, int *skip);

/* The end of a paragraph or table element, alike in WordprocessingML and
 * DrawingML: a paragraph ends a line (a space inside a table cell, so a
 * row stays on one line), a cell a tab, a row or table a line. *CELLS is
 * the depth of open cells. Returns 1 when NAME was one of these. */
int gk_ooxml_block_end(gk_ooxml_text_t *t, int *cells, const char *name);

#endif
