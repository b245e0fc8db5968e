/* Fuzz the PPTX extractor: a package whose slide, notes and (optionally)
 * presentation come from the input (see fuzz_extractor.h). */
#include "fuzz_extractor.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
    static const char rels[] =
        FUZZ_RELS_BEGIN FUZZ_REL("rId1", "officeDocument", "ppt/presentation.xml") FUZZ_RELS_END;
    static const char pres_rels[] = FUZZ_RELS_BEGIN FUZZ_REL("rId1", "slide", "slides/slide1.xml") FUZZ_RELS_END;
    static const char slide_rels[] =
        FUZZ_RELS_BEGIN FUZZ_REL("rId1", "notesSlide", "../notesSlides/notesSlide1.xml") FUZZ_RELS_END;
    static const char presentation[] =
        "<p:presentation xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\" "
        "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        "<p:sldIdLst><p:sldId id=\"256\" r:id=\"rId1\"/></p:sldIdLst></p:presentation>";
    const char *names[] = {"_rels/.rels", "ppt/_rels/presentation.xml.rels", "ppt/slides/_rels/slide1.xml.rels",
                           "ppt/slides/slide1.xml", "ppt/notesSlides/notesSlide1.xml", "ppt/presentation.xml"};
    const char *parts[6] = {rels, pres_rels, slide_rels, "", "", presentation};
    size_t lens[6] = {sizeof rels - 1, sizeof pres_rels - 1, sizeof slide_rels - 1, 0, 0, sizeof presentation - 1};
    fuzz_package(&gk_extractor_pptx, data, len, names, parts, lens, 3, 6);
    return 0;
}
