/*
 * extract.h — the one interface every format extractor implements.
 *
 * An extractor turns the bytes of one file into UTF-8 text in reading order
 * plus metadata fields. It never touches the catalogue or the index: it
 * sends what it finds to a gk_fields_t (as Omega's handlers send_field).
 * Extractors are chosen by the MIME type libmagic reports, through the table
 * in extract.c: the exact type first, then a whole-type entry ("text/" + "*").
 *
 * Failure classes (as Omega's Worker::extract):
 *   GK_OK              the file was read
 *   GK_ERR_BAD_FILE    this file is damaged / empty / not what it claims
 *   GK_ERR_ENCODING    its text cannot be decoded
 *   GK_ERR_TOO_LARGE   it exceeds a limit in gk_extract_limits_t
 *   GK_ERR_ENCRYPTED   it needs a password
 *   GK_ERR_EXTRACTOR   the extractor itself is broken (library failure):
 *                      the batch may stop using it
 *   GK_ERR_NOMEM
 * A human-readable reason goes to fields->error.
 */
#ifndef GK_EXTRACT_H
#define GK_EXTRACT_H

#include <stddef.h>

#include "buf.h"
#include "gongkai.h"

/* Limits shared by all extractors; gk_extract_limits_default() fills them.
 * Every one ends in a per-file error (GK_ERR_TOO_LARGE), never a crash. */
typedef struct gk_extract_limits {
    size_t max_file_bytes;     /* larger files are refused before reading */
    size_t max_text_bytes;     /* extracted text is refused beyond this */
    size_t max_inflated_bytes; /* zip formats: all entries read, inflated */
    unsigned max_inflate_ratio;/* zip formats: inflated / compressed, per entry */
    unsigned max_zip_entries;  /* zip formats: entries in the central directory */
    unsigned max_xml_depth;    /* element nesting in any XML part */
    unsigned max_pages;        /* pages (PDF, OFD) or sheets/slides */
    unsigned max_seconds;      /* wall time per file for isolated extractors */
    size_t max_memory_bytes;   /* address space of an isolated extraction */
} gk_extract_limits_t;

void gk_extract_limits_default(gk_extract_limits_t *lim);

/* Set one limit from "NAME=VALUE": file-size, text-size, inflated-size,
 * memory (bytes, with an optional K, M or G suffix), inflate-ratio,
 * zip-entries, xml-depth, pages, seconds. GK_ERR_INVALID for an unknown
 * name or a bad value. */
gk_status_t gk_extract_limits_set(gk_extract_limits_t *lim, const char *assignment);

/* The names gk_extract_limits_set knows, for help texts. */
extern const char gk_extract_limit_names[];

/* What an extractor found. Strings are malloc'd UTF-8 or NULL. */
typedef struct gk_fields {
    gk_buf_t body;       /* the text, in reading order, valid UTF-8 */
    char *title;
    char *author;        /* author or issuing organ from the file's metadata */
    char *created;       /* as found, ISO 8601 when the format says so */
    char *modified;
    char *charset;       /* how the bytes were decoded, e.g. "utf-8",
                            "gb18030 (detected, confidence 100)", "utf-16le (bom)" */
    int pages;           /* 0 when the format has no pages */
    unsigned flags;      /* GK_FIELDS_* */
    char error[256];     /* reason for a non-GK_OK status */
} gk_fields_t;

/* The document has no text layer (a scan): archive it, flag it for OCR. */
#define GK_FIELDS_NEEDS_OCR 1u

void gk_fields_init(gk_fields_t *f);
void gk_fields_free(gk_fields_t *f);
/* Replace a string field (title, author, ...) with a copy of S[0..len). */
gk_status_t gk_fields_set(char **field, const char *s, size_t len);
/* Record an error reason (printf-style) and return STATUS, for one-line returns. */
gk_status_t gk_fields_fail(gk_fields_t *f, gk_status_t status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The input: the whole file in memory (bounded by max_file_bytes). */
typedef struct gk_input {
    const char *path;        /* for messages only */
    const unsigned char *data;
    size_t len;
    const char *mime;        /* as detected, e.g. "text/html" */
    const char *charset;     /* libmagic's guess ("utf-8", "us-ascii", "utf-16le",
                                "unknown-8bit", ...), a hint only; may be NULL */
} gk_input_t;

typedef struct gk_extractor {
    const char *name;                 /* short format name: "text", "markdown", "html" */
    const char *const *mime_types;    /* NULL-terminated; an entry ending in "/" + "*" matches a whole type */
    gk_status_t (*extract)(const gk_input_t *in, const gk_extract_limits_t *lim, gk_fields_t *out);
    int isolate;                      /* run in a child process under time and memory
                                         limits (isolate.h): set for extractors built on
                                         libraries that cannot be bounded from outside */
} gk_extractor_t;

/* The extractor for MIME, or NULL when none handles it. */
const gk_extractor_t *gk_extractor_for(const char *mime);

/* Run EX on IN after the checks every format shares (size limit, empty
 * file), so each extractor starts from a non-empty input within limits. */
gk_status_t gk_extract(const gk_extractor_t *ex, const gk_input_t *in, const gk_extract_limits_t *lim,
                       gk_fields_t *out);

/* The flags as the catalogue stores them ("needs_ocr"), or NULL for none. */
const char *gk_fields_flag_names(unsigned flags);

/* Built-in extractors, one file each under extract/. */
extern const gk_extractor_t gk_extractor_text;
extern const gk_extractor_t gk_extractor_markdown;
extern const gk_extractor_t gk_extractor_html;
extern const gk_extractor_t gk_extractor_pdf;
extern const gk_extractor_t gk_extractor_docx;
extern const gk_extractor_t gk_extractor_xlsx;
extern const gk_extractor_t gk_extractor_pptx;
extern const gk_extractor_t gk_extractor_odt;
extern const gk_extractor_t gk_extractor_ods;
extern const gk_extractor_t gk_extractor_odp;
extern const gk_extractor_t gk_extractor_ofd;
extern const gk_extractor_t gk_extractor_doc;
extern const gk_extractor_t gk_extractor_xls;
extern const gk_extractor_t gk_extractor_rtf;

#endif
