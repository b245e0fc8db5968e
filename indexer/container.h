/*
 * container.h — the type of a document from what its container holds.
 *
 * libmagic names a zip or an OLE2 compound file by its first bytes; the
 * document inside is named by its parts: OFD.xml makes an OFD, a
 * "mimetype" entry an ODF document, word/document.xml a DOCX; a
 * WordDocument stream makes a DOC (also Kingsoft WPS), Workbook an XLS
 * (also Kingsoft ET), EncryptedPackage a password-protected OOXML file.
 */
#ifndef GK_CONTAINER_H
#define GK_CONTAINER_H

#include <stddef.h>

/* If TYPE (libmagic's answer, a zip or OLE2 type) can be made more precise
 * from the container's entries, write the better type into TYPE (of size
 * TYPELEN) and return 1; else leave it and return 0. */
int gk_container_refine(const unsigned char *data, size_t len, char *type, size_t typelen);

#endif
