/* Fuzz the DOCX extractor: a package whose body, header, footnotes and
 * core properties come from the input (see fuzz_extractor.h). */
#include "fuzz_extractor.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
    static const char rels[] =
        FUZZ_RELS_BEGIN FUZZ_REL("rId1", "officeDocument", "word/document.xml") FUZZ_RELS_END;
    static const char doc_rels[] = FUZZ_RELS_BEGIN FUZZ_REL("rId1", "header", "header1.xml")
        FUZZ_REL("rId2", "footnotes", "footnotes.xml") FUZZ_RELS_END;
    const char *names[] = {"_rels/.rels", "word/_rels/document.xml.rels", "word/document.xml", "word/header1.xml",
                           "word/footnotes.xml", "docProps/core.xml"};
    const char *parts[6] = {rels, doc_rels, "", "", "", ""};
    size_t lens[6] = {sizeof rels - 1, sizeof doc_rels - 1, 0, 0, 0, 0};
    fuzz_package(&gk_extractor_docx, data, len, names, parts, lens, 2, 6);
    return 0;
}
