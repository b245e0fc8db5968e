/* Fuzz the XLSX extractor: a package whose worksheet, shared strings,
 * styles and (optionally) workbook come from the input (see
 * fuzz_extractor.h). */
#include "fuzz_extractor.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
    static const char rels[] =
        FUZZ_RELS_BEGIN FUZZ_REL("rId1", "officeDocument", "xl/workbook.xml") FUZZ_RELS_END;
    static const char wb_rels[] = FUZZ_RELS_BEGIN FUZZ_REL("rId1", "worksheet", "worksheets/sheet1.xml")
        FUZZ_REL("rId2", "sharedStrings", "sharedStrings.xml") FUZZ_REL("rId3", "styles", "styles.xml")
            FUZZ_RELS_END;
    static const char workbook[] =
        "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
        "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        "<sheets><sheet name=\"s\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
    const char *names[] = {"_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml",
                           "xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml"};
    const char *parts[6] = {rels, wb_rels, "", "", "", workbook};
    size_t lens[6] = {sizeof rels - 1, sizeof wb_rels - 1, 0, 0, 0, sizeof workbook - 1};
    fuzz_package(&gk_extractor_xlsx, data, len, names, parts, lens, 2, 6);
    return 0;
}
