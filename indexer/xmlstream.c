/* xmlstream.c — the hostile-input-safe streaming reader of xmlstream.h. */
#include "xmlstream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct gk_xml {
    xmlTextReaderPtr r;
    const gk_extract_limits_t *lim;
    gk_fields_t *f;
    gk_status_t status;
};

/* Does the prolog (before the root element) hold a document type
 * declaration? Skips a BOM, the XML declaration, processing instructions,
 * comments and white space; the first other markup decides. */
static int has_doctype(const char *s, size_t len)
{
    size_t i = 0;
    if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
        i = 3;
    while (i < len) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            i++;
            continue;
        }
        if (c != '<')
            return 0;
        if (i + 1 < len && s[i + 1] == '?') {
            const char *e = memmem(s + i, len - i, "?>", 2);
            if (!e)
                return 0;
            i = (size_t)(e - s) + 2;
        } else if (i + 3 < len && !memcmp(s + i, "<!--", 4)) {
            const char *e = memmem(s + i, len - i, "-->", 3);
            if (!e)
                return 0;
            i = (size_t)(e - s) + 3;
        } else {
            return len - i >= 9 && !memcmp(s + i, "<!DOCTYPE", 9);
        }
    }
    return 0;
}

static void on_error(void *arg, xmlErrorPtr err)
{
    gk_xml_t *x = arg;
    if (!err || err->level < XML_ERR_ERROR || x->status != GK_OK)
        return;
    char msg[200];
    snprintf(msg, sizeof msg, "%s", err->message ? err->message : "malformed XML");
    msg[strcspn(msg, "\n")] = '\0';
    x->status = gk_fields_fail(x->f, GK_ERR_BAD_FILE, "malformed XML (line %d): %s", err->line, msg);
}

gk_status_t gk_xml_open(const char *xml, size_t len, const gk_extract_limits_t *lim, gk_fields_t *f,
                        gk_xml_t **out)
{
    *out = NULL;
    if (len > (size_t)INT32_MAX)
        return gk_fields_fail(f, GK_ERR_TOO_LARGE, "XML part of %zu bytes is too large", len);
    if (has_doctype(xml, len))
        return gk_fields_fail(f, GK_ERR_BAD_FILE, "XML part declares a document type (entities refused)");
    gk_xml_t *x = calloc(1, sizeof *x);
    if (!x)
        return gk_fields_fail(f, GK_ERR_NOMEM, "out of memory reading XML");
    x->lim = lim;
    x->f = f;
    /* No NOENT (entities stay references), no DTDLOAD, no network, no
     * HUGE (libxml2's own size and amplification limits stay on). */
    x->r = xmlReaderForMemory(xml, (int)len, NULL, NULL,
                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_COMPACT);
    if (!x->r) {
        free(x);
        return gk_fields_fail(f, GK_ERR_NOMEM, "cannot start the XML reader");
    }
    xmlTextReaderSetStructuredErrorHandler(x->r, on_error, x);
    *out = x;
    return GK_OK;
}

int gk_xml_next(gk_xml_t *x)
{
    if (x->status != GK_OK)
        return -1;
    int r = xmlTextReaderRead(x->r);
    if (r < 0) {
        if (x->status == GK_OK)
            x->status = gk_fields_fail(x->f, GK_ERR_BAD_FILE, "malformed XML");
        return -1;
    }
    if (r == 0)
        return 0;
    if (xmlTextReaderDepth(x->r) > (int)x->lim->max_xml_depth) {
        x->status = gk_fields_fail(x->f, GK_ERR_TOO_LARGE, "XML nested deeper than %u elements",
                                   x->lim->max_xml_depth);
        return -1;
    }
    if (x->status != GK_OK)
        return -1;
    return 1;
}

gk_status_t gk_xml_close(gk_xml_t *x)
{
    if (!x)
        return GK_OK;
    gk_status_t st = x->status;
    xmlFreeTextReader(x->r);
    free(x);
    return st;
}

xmlTextReaderPtr gk_xml_reader(gk_xml_t *x) { return x->r; }

const char *gk_xml_name(gk_xml_t *x)
{
    const xmlChar *n = xmlTextReaderConstLocalName(x->r);
    return n ? (const char *)n : "";
}

int gk_xml_is_start(gk_xml_t *x, const char *local)
{
    return xmlTextReaderNodeType(x->r) == XML_READER_TYPE_ELEMENT && strcmp(gk_xml_name(x), local) == 0;
}

int gk_xml_is_end(gk_xml_t *x, const char *local)
{
    /* An empty element (<a/>) is its own end. */
    int t = xmlTextReaderNodeType(x->r);
    if (t == XML_READER_TYPE_END_ELEMENT)
        return strcmp(gk_xml_name(x), local) == 0;
    return t == XML_READER_TYPE_ELEMENT && xmlTextReaderIsEmptyElement(x->r) == 1 &&
           strcmp(gk_xml_name(x), local) == 0;
}

const char *gk_xml_text(gk_xml_t *x)
{
    int t = xmlTextReaderNodeType(x->r);
    if (t != XML_READER_TYPE_TEXT && t != XML_READER_TYPE_CDATA && t != XML_READER_TYPE_SIGNIFICANT_WHITESPACE)
        return NULL;
    const xmlChar *v = xmlTextReaderConstValue(x->r);
    return v ? (const char *)v : "";
}

char *gk_xml_attr(gk_xml_t *x, const char *local)
{
    if (xmlTextReaderNodeType(x->r) != XML_READER_TYPE_ELEMENT)
        return NULL;
    char *found = NULL;
    if (xmlTextReaderMoveToFirstAttribute(x->r) == 1) {
        do {
            const xmlChar *n = xmlTextReaderConstLocalName(x->r);
            if (n && strcmp((const char *)n, local) == 0) {
                const xmlChar *v = xmlTextReaderConstValue(x->r);
                found = strdup(v ? (const char *)v : "");
                break;
            }
        } while (xmlTextReaderMoveToNextAttribute(x->r) == 1);
        xmlTextReaderMoveToElement(x->r);
    }
    return found;
}

int gk_xml_depth(gk_xml_t *x) { return xmlTextReaderDepth(x->r); }
