/*
 * Fuzz the PPTX extractor. Input that starts as a zip ("PK") is given to
 * the extractor as it is; anything else is split at NUL bytes into a
 * slide, its notes and (optionally) the presentation of a valid package,
 * so that the mutations reach the PresentationML reader instead of dying
 * on the zip's checksums.
 */
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "extract.h"
#include "utf8.h"

/* A stored (uncompressed) zip of NAMES[i] = PARTS[i], malloc'd, or NULL. */
static unsigned char *zip_parts(const char *const *names, const char *const *parts, const size_t *lens, size_t n,
                                size_t *len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (!src)
        return NULL;
    zip_source_keep(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    unsigned char *out = NULL;
    if (za) {
        for (size_t i = 0; i < n; i++) {
            zip_source_t *s = zip_source_buffer(za, parts[i], lens[i], 0);
            zip_int64_t idx = s ? zip_file_add(za, names[i], s, ZIP_FL_OVERWRITE) : -1;
            if (idx < 0)
                zip_source_free(s);
            else
                zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
        }
        if (zip_close(za) != 0)
            zip_discard(za);
        else if (zip_source_open(src) == 0) {
            zip_source_seek(src, 0, SEEK_END);
            zip_int64_t size = zip_source_tell(src);
            zip_source_seek(src, 0, SEEK_SET);
            if (size > 0 && (out = malloc((size_t)size)) != NULL &&
                zip_source_read(src, out, (zip_uint64_t)size) != size) {
                free(out);
                out = NULL;
            }
            *len = size > 0 ? (size_t)size : 0;
            zip_source_close(src);
        }
    }
    zip_source_free(src);
    zip_error_fini(&ze);
    return out;
}

static void check(const unsigned char *data, size_t len)
{
    gk_extract_limits_t lim;
    gk_extract_limits_default(&lim);
    gk_fields_t f;
    gk_fields_init(&f);
    gk_input_t in = {"fuzz.pptx", data, len, gk_extractor_pptx.mime_types[0], NULL};
    gk_status_t st = gk_extract(&gk_extractor_pptx, &in, &lim, &f);
    /* What the extractor accepts must be valid UTF-8, metadata included. */
    if (st == GK_OK && !gk_utf8_valid((const unsigned char *)gk_buf_str(&f.body), f.body.len))
        abort();
    const char *fields[] = {f.title, f.author, f.created, f.modified};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (st == GK_OK && fields[i] && !gk_utf8_valid((const unsigned char *)fields[i], strlen(fields[i])))
            abort();
    gk_fields_free(&f);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
    if (len >= 2 && data[0] == 'P' && data[1] == 'K') {
        check(data, len);
        return 0;
    }
    static const char rels[] = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"ppt/presentation.xml\"/>"
        "</Relationships>";
    static const char pres_rels[] = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide\" Target=\"slides/slide1.xml\"/>"
        "</Relationships>";
    static const char slide_rels[] = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesSlide\" Target=\"../notesSlides/notesSlide1.xml\"/>"
        "</Relationships>";
    static const char presentation[] =
        "<p:presentation xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\" "
        "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        "<p:sldIdLst><p:sldId id=\"256\" r:id=\"rId1\"/></p:sldIdLst></p:presentation>";
    const char *names[] = {"_rels/.rels", "ppt/_rels/presentation.xml.rels", "ppt/slides/_rels/slide1.xml.rels",
                           "ppt/slides/slide1.xml", "ppt/notesSlides/notesSlide1.xml", "ppt/presentation.xml"};
    const char *parts[6] = {rels, pres_rels, slide_rels, "", "", presentation};
    size_t lens[6] = {sizeof rels - 1, sizeof pres_rels - 1, sizeof slide_rels - 1, 0, 0, sizeof presentation - 1};
    size_t k = 3, start = 0;
    for (size_t i = 0; i <= len && k < 6; i++)
        if (i == len || data[i] == '\0') {
            parts[k] = (const char *)data + start;
            lens[k++] = i - start;
            start = i + 1;
        }
    size_t zlen = 0;
    unsigned char *zip = zip_parts(names, parts, lens, 6, &zlen);
    if (zip)
        check(zip, zlen);
    free(zip);
    return 0;
}
