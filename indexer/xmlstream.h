/*
 * xmlstream.h — a streaming XML reader for the parts of office documents, safe
 * for hostile input.
 *
 * libxml2's xmlTextReader, so memory stays bounded by a node, not by the
 * part, with what a hostile part can do bounded once for every format:
 * a document type declaration (the way to entity bombs such as "billion
 * laughs"; office formats never need one) is refused, entities are never
 * substituted, nothing is loaded from the network, and elements nested
 * deeper than the limit end the read. Errors go to the fields' error.
 *
 *     gk_xml_t *x;
 *     if ((st = gk_xml_open(part, len, lim, f, &x)) != GK_OK) return st;
 *     while ((r = gk_xml_next(x)) > 0)
 *         if (gk_xml_is_start(x, "t")) ...
 *     st = gk_xml_close(x);   (the status of the read)
 */
#ifndef GK_XMLSTREAM_H
#define GK_XMLSTREAM_H

#include <libxml/xmlreader.h>
#include <stddef.h>

#include "extract.h"

typedef struct gk_xml gk_xml_t;

gk_status_t gk_xml_open(const char *xml, size_t len, const gk_extract_limits_t *lim, gk_fields_t *f,
                        gk_xml_t **out);

/* Advance to the next node: 1 when there is one, 0 at the end, -1 on an
 * error (the message is in the fields; gk_xml_close returns its status). */
int gk_xml_next(gk_xml_t *x);

/* Release the reader; returns GK_OK, or the status of the error that
 * ended the read (GK_ERR_BAD_FILE, GK_ERR_TOO_LARGE, GK_ERR_NOMEM). */
gk_status_t gk_xml_close(gk_xml_t *x);

/* The libxml2 reader, for node types, names and values. */
xmlTextReaderPtr gk_xml_reader(gk_xml_t *x);

/* Is the current node a start tag / an end tag with this local name
 * (namespace prefix ignored)? */
int gk_xml_is_start(gk_xml_t *x, const char *local);
int gk_xml_is_end(gk_xml_t *x, const char *local);

/* The current node's local name, "" when none. */
const char *gk_xml_name(gk_xml_t *x);

/* The value of a text, CDATA or significant-whitespace node, else NULL. */
const char *gk_xml_text(gk_xml_t *x);

/* The attribute with this local name on the current element (any
 * namespace), malloc'd, or NULL. */
char *gk_xml_attr(gk_xml_t *x, const char *local);

int gk_xml_depth(gk_xml_t *x);

#endif
