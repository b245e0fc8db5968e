/*
 * Fuzz the XLSX extractor. Input that starts as a zip ("PK") is given to
 * the extractor as it is; anything else is split at NUL bytes into a
 * worksheet, the shared strings, the styles and (optionally) the workbook
 * of a valid package, so that the mutations reach the SpreadsheetML
 * readers instead of dying on the zip's checksums.
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
    gk_input_t in = {"fuzz.xlsx", data, len, gk_extractor_xlsx.mime_types[0], NULL};
    gk_status_t st = gk_extract(&gk_extractor_xlsx, &in, &lim, &f);
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
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
        "</Relationships>";
    static const char wb_rels[] = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
        "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
        "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
        "</Relationships>";
    static const char workbook[] =
        "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
        "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        "<sheets><sheet name=\"s\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
    const char *names[] = {"_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml",
                           "xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml"};
    const char *parts[6] = {rels, wb_rels, "", "", "", workbook};
    size_t lens[6] = {sizeof rels - 1, sizeof wb_rels - 1, 0, 0, 0, sizeof workbook - 1};
    size_t k = 2, start = 0;
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
