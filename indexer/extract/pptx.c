/*
 * pptx.c — PowerPoint presentations (Office Open XML, PresentationML).
 *
 * Slides in the presentation's order (its slide list, not the part names:
 * slide3.xml may be shown first), each slide's paragraphs one per line,
 * table cells separated by tabs, then the slide's speaker notes. The slide
 * number, date and slide-image placeholders are left out: they repeat on
 * every slide and say nothing about it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ooxml.h"

typedef struct {
    gk_ooxml_text_t *t;
    int skip;        /* depth of the subtree being skipped, or -1 */
    int in_t;        /* inside an a:t */
    int cells;       /* open table cells */
    int boilerplate; /* inside a shape that is a slide number, date, image placeholder */
} slide_walk_t;

static int boilerplate_placeholder(gk_xml_t *x)
{
    char *type = gk_xml_attr(x, "type");
    int yes = type && (strcmp(type, "sldNum") == 0 || strcmp(type, "dt") == 0 || strcmp(type, "sldImg") == 0);
    free(type);
    return yes;
}

static void slide_start(slide_walk_t *w, gk_xml_t *x)
{
    const char *name = gk_xml_name(x);
    int empty = xmlTextReaderIsEmptyElement(gk_xml_reader(x)) == 1;
    if (strcmp(name, "Fallback") == 0)
        gk_ooxml_skip_start(x, &w->skip);
    else if (strcmp(name, "sp") == 0)
        w->boilerplate = 0;
    else if (strcmp(name, "ph") == 0)
        w->boilerplate = boilerplate_placeholder(x);
    else if (strcmp(name, "t") == 0)
        w->in_t = !empty;
    else if (strcmp(name, "br") == 0)
        gk_ooxml_want(w->t, '\n');
    else if (strcmp(name, "tc") == 0 && !empty)
        w->cells++;
}

static void slide_end(slide_walk_t *w, const char *name)
{
    if (strcmp(name, "t") == 0)
        w->in_t = 0;
    else if (strcmp(name, "sp") == 0)
        w->boilerplate = 0;
    else
        gk_ooxml_block_end(w->t, &w->cells, name);
}

/* Append the text of a slide or notes part. */
static gk_status_t slide_text(const gk_buf_t *xml, const gk_extract_limits_t *lim, gk_fields_t *f,
                              gk_ooxml_text_t *t)
{
    gk_xml_t *x;
    gk_status_t st = gk_xml_open(gk_buf_str(xml), xml->len, lim, f, &x);
    if (st != GK_OK)
        return st;
    slide_walk_t w = {t, -1, 0, 0, 0};
    int full = 0;
    while (!full && gk_xml_next(x) > 0) {
        if (gk_ooxml_skipping(x, &w.skip))
            continue;
        int type = xmlTextReaderNodeType(gk_xml_reader(x));
        if (type == XML_READER_TYPE_ELEMENT) {
            slide_start(&w, x);
            if (xmlTextReaderIsEmptyElement(gk_xml_reader(x)) == 1)
                slide_end(&w, gk_xml_name(x));
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            slide_end(&w, gk_xml_name(x));
        } else if (w.in_t && !w.boilerplate) {
            const char *s = gk_xml_text(x);
            if (s)
                gk_ooxml_put(t, s, strlen(s));
        }
        full = gk_ooxml_full(t);
    }
    st = gk_xml_close(x);
    if (st == GK_OK && full)
        st = gk_ooxml_full_status(t, f);
    gk_ooxml_want(t, '\n');
    return st;
}

/* One slide and its notes. A damaged slide loses its own text only. */
static gk_status_t pptx_slide(gk_zip_t *z, const char *name, const gk_extract_limits_t *lim, gk_fields_t *f,
                              gk_ooxml_text_t *t, gk_buf_t *xml)
{
    gk_status_t st = gk_ooxml_read_part(z, name, xml, f);
    if (st == GK_OK)
        st = slide_text(xml, lim, f, t);
    st = gk_ooxml_optional(st == GK_ERR_NOT_FOUND ? GK_OK : st, f);
    if (st != GK_OK)
        return st;
    gk_ooxml_rels_t rels;
    if ((st = gk_ooxml_rels_read(z, name, lim, f, &rels)) != GK_OK)
        return st;
    const gk_ooxml_rel_t *notes = gk_ooxml_rel_type(&rels, "notesSlide", NULL);
    if (notes && notes->target) {
        st = gk_ooxml_read_part(z, notes->target, xml, f);
        if (st == GK_OK)
            st = slide_text(xml, lim, f, t);
        st = gk_ooxml_optional(st == GK_ERR_NOT_FOUND ? GK_OK : st, f);
    }
    gk_ooxml_rels_free(&rels);
    return st;
}

/* The slide parts in the order of the presentation's slide list. */
static gk_status_t slide_list(const gk_buf_t *xml, const gk_ooxml_rels_t *rels, const gk_extract_limits_t *lim,
                              gk_fields_t *f, const char ***out, size_t *n)
{
    gk_xml_t *x;
    gk_status_t st = gk_xml_open(gk_buf_str(xml), xml->len, lim, f, &x);
    if (st != GK_OK)
        return st;
    size_t cap = 0;
    while (gk_xml_next(x) > 0) {
        if (!gk_xml_is_start(x, "sldId"))
            continue;
        char *rid = gk_ooxml_rid(x);
        const gk_ooxml_rel_t *r = gk_ooxml_rel_id(rels, rid);
        free(rid);
        if (!r || !r->target)
            continue;
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 32;
            const char **v = realloc(*out, ncap * sizeof *v);
            if (!v) {
                gk_xml_close(x);
                return gk_fields_fail(f, GK_ERR_NOMEM, "out of memory reading the slide list");
            }
            *out = v;
            cap = ncap;
        }
        (*out)[(*n)++] = r->target;
    }
    return gk_xml_close(x);
}

static gk_status_t pptx_slides(gk_zip_t *z, const char *main, gk_buf_t *xml, const gk_extract_limits_t *lim,
                               gk_fields_t *out)
{
    gk_ooxml_rels_t rels;
    gk_status_t st = gk_ooxml_rels_read(z, main, lim, out, &rels);
    if (st != GK_OK)
        return st;
    const char **slides = NULL;
    size_t n = 0;
    st = slide_list(xml, &rels, lim, out, &slides, &n);
    if (st == GK_OK && n > lim->max_pages)
        st = gk_fields_fail(out, GK_ERR_TOO_LARGE, "presentation of %zu slides exceeds the limit of %u", n,
                            lim->max_pages);
    gk_ooxml_text_t t;
    gk_ooxml_text_init(&t, &out->body, lim);
    for (size_t i = 0; st == GK_OK && i < n; i++) {
        gk_ooxml_want(&t, '\n');
        st = pptx_slide(z, slides[i], lim, out, &t, xml);
    }
    if (st == GK_OK)
        out->pages = (int)n;
    free(slides);
    gk_ooxml_rels_free(&rels);
    return st;
}

static gk_status_t pptx_extract(const gk_input_t *in, const gk_extract_limits_t *lim, gk_fields_t *out)
{
    gk_zip_t *z;
    gk_status_t st = gk_zip_open(in, lim, out, &z);
    if (st != GK_OK)
        return st;
    char *main = NULL;
    gk_buf_t xml = GK_BUF_INIT;
    static const gk_ooxml_package_t pptx = {"PPTX", "presentationml", "ms-powerpoint", "ppt/presentation.xml",
                                            "presentation"};
    st = gk_ooxml_open_main(z, &pptx, lim, out, &main, &xml);
    if (st == GK_OK)
        st = pptx_slides(z, main, &xml, lim, out);
    if (st == GK_OK)
        st = gk_ooxml_properties(z, NULL, lim, out);
    gk_buf_free(&xml);
    free(main);
    gk_zip_close(z);
    return st;
}

static const char *const pptx_types[] = {
    "application/vnd.openxmlformats-officedocument.presentationml.presentation", NULL};
const gk_extractor_t gk_extractor_pptx = {"pptx", pptx_types, pptx_extract, 1};
