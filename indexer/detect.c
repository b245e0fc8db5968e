/*
 * detect.c — the MIME type from the content: libmagic first, then a few
 * refinements libmagic cannot make (GB18030 and BOM-less UTF-16 text,
 * Markdown, XHTML, and the document inside a zip or OLE2 container: see
 * container.h). The file name is never consulted.
 */
#include "detect.h"

#include "container.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <magic.h>

#include "buf.h"
#include "decode.h"

/* Refinements decode at most this much of the file. */
#define GK_DETECT_SAMPLE (64 * 1024)
#define GK_MAGIC_TEXT_PREFIX (4 * 1024)
/* Markdown headings count only among the first lines. */
#define GK_MD_HEADING_LINES 5
/* Binary libmagic could not name becomes text only with this much
 * confidence from the charset detector. */
#define GK_TEXT_CONFIDENCE 50

/*
 * Two libmagic handles. Text-looking content (no NUL byte in its first
 * kilobytes, not a PDF) is told apart by the few rules of magic/text.magic,
 * compiled into this program, plus libmagic's own encoding checks: the full
 * database runs hundreds of text patterns (about 1.5 ms a file) to find
 * kinds of text we read the same way. Everything else meets the full
 * database, on the whole buffer.
 */
struct gk_detector {
    magic_t full;
    magic_t text;
};

/* The compiled text rules (generated from magic/text.magic at build time). */
extern const unsigned char gk_text_magic[];
extern const size_t gk_text_magic_len;

static magic_t open_magic(int text, char *err, size_t errlen)
{
    /* MAGIC_MIME is MAGIC_MIME_TYPE | MAGIC_MIME_ENCODING: "type; charset=x". */
    magic_t m = magic_open(MAGIC_MIME);
    if (!m) {
        if (err && errlen)
            snprintf(err, errlen, "magic_open failed");
        return NULL;
    }
    void *bufs[1] = {(void *)gk_text_magic};
    size_t sizes[1] = {gk_text_magic_len};
    if ((text ? magic_load_buffers(m, bufs, sizes, 1) : magic_load(m, NULL)) != 0) {
        if (err && errlen)
            snprintf(err, errlen, "cannot load the %s magic database: %s", text ? "text" : "system",
                     magic_error(m) ? magic_error(m) : "unknown error");
        magic_close(m);
        return NULL;
    }
    return m;
}

gk_status_t gk_detector_new(gk_detector_t **out, char *err, size_t errlen)
{
    *out = NULL;
    gk_detector_t *d = calloc(1, sizeof *d);
    if (!d)
        return GK_ERR_NOMEM;
    if (!(d->full = open_magic(0, err, errlen)) || !(d->text = open_magic(1, err, errlen))) {
        gk_detector_free(d);
        return GK_ERR_EXTRACTOR;
    }
    *out = d;
    return GK_OK;
}

void gk_detector_free(gk_detector_t *d)
{
    if (!d)
        return;
    if (d->full)
        magic_close(d->full);
    if (d->text)
        magic_close(d->text);
    free(d);
}

static gk_status_t copy_out(char *dst, size_t dstlen, const char *src, size_t n)
{
    if (!dst || dstlen == 0)
        return GK_ERR_INVALID;
    if (n >= dstlen)
        return GK_ERR_INVALID;
    memcpy(dst, src, n);
    dst[n] = '\0';
    return GK_OK;
}

/* A sample of DATA that ends on a character boundary in every encoding the
 * decoder considers: right after (or at) a '\n', at an even offset. 0x0A is
 * never part of a multi-byte UTF-8 or GB18030 character, and an even cut
 * keeps UTF-16 aligned. */
static size_t sample_length(const unsigned char *data, size_t len)
{
    if (len <= GK_DETECT_SAMPLE)
        return len;
    for (size_t k = GK_DETECT_SAMPLE; k > GK_DETECT_SAMPLE / 2; k--) {
        if (data[k - 1] == '\n')
            return k % 2 ? k - 1 : k;
    }
    return GK_DETECT_SAMPLE;
}

/* The charset name and ICU confidence out of a decision string such as
 * "gb18030 (detected, confidence 87)"; confidence 100 when the decision
 * did not come from the detector (BOM, declared, byte pattern). */
static void parse_decision(const char *decision, char *name, size_t namelen, int *confidence)
{
    size_t n = strcspn(decision, " (");
    if (n >= namelen)
        n = namelen - 1;
    memcpy(name, decision, n);
    name[n] = '\0';
    const char *c = strstr(decision, "confidence ");
    *confidence = c ? atoi(c + 11) : 100;
}

static int line_is_table_delimiter(const char *s, size_t len)
{
    /* |---|:--:| ... : pipes, dashes, colons and blanks, with a pipe and
     * a run of at least three dashes. */
    int pipe = 0, dashes = 0, run = 0;
    for (size_t k = 0; k < len; k++) {
        char c = s[k];
        if (c == '-') {
            if (++run >= 3)
                dashes = 1;
            continue;
        }
        run = 0;
        if (c == '|')
            pipe = 1;
        else if (c != ':' && c != ' ' && c != '\t' && c != '\r')
            return 0;
    }
    return pipe && dashes;
}

static int line_is_heading(const char *s, size_t len)
{
    size_t i = 0, hashes = 0;
    while (i < len && i < 3 && s[i] == ' ')
        i++;
    while (i < len && s[i] == '#')
        i++, hashes++;
    return hashes >= 1 && hashes <= 6 && i + 1 < len && s[i] == ' ' && s[i + 1] != ' ';
}

/* Markdown by content: an ATX heading among the first non-blank lines, or
 * a pipe-table delimiter row anywhere in TEXT (UTF-8). */
static int looks_like_markdown(const char *text, size_t len)
{
    size_t pos = 0;
    int nonblank = 0;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        const char *line = text + pos;
        size_t n = end - pos;
        int blank = 1;
        for (size_t k = 0; k < n; k++)
            if (!isspace((unsigned char)line[k]))
                blank = 0;
        if (!blank) {
            nonblank++;
            if (nonblank <= GK_MD_HEADING_LINES && line_is_heading(line, n))
                return 1;
            if (line_is_table_delimiter(line, n))
                return 1;
        }
        pos = end + 1;
    }
    return 0;
}

/* Is the root element of this XML <html>? Skips the XML declaration,
 * processing instructions, comments, the doctype and blanks. */
static int xml_root_is_html(const unsigned char *data, size_t len)
{
    const char *s = (const char *)data, *end = s + (len < GK_DETECT_SAMPLE ? len : GK_DETECT_SAMPLE);
    if (end - s >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
        s += 3;
    while (s < end) {
        if (isspace((unsigned char)*s)) {
            s++;
            continue;
        }
        if (*s != '<')
            return 0;
        const char *close;
        if (end - s >= 4 && !memcmp(s, "<!--", 4)) {
            close = NULL;
            for (const char *p = s + 4; p + 3 <= end; p++)
                if (!memcmp(p, "-->", 3)) {
                    close = p + 2;
                    break;
                }
        } else if (end - s >= 2 && (s[1] == '?' || s[1] == '!')) {
            close = memchr(s, '>', (size_t)(end - s));
        } else {
            /* The root element; a namespace prefix (<h:html) is allowed. */
            const char *name = s + 1, *p = name;
            while (p < end && (isalnum((unsigned char)*p) || *p == ':' || *p == '-' || *p == '_'))
                p++;
            const char *colon = memchr(name, ':', (size_t)(p - name));
            if (colon)
                name = colon + 1;
            return p - name == 4 && !strncasecmp(name, "html", 4) && p < end &&
                   (isspace((unsigned char)*p) || *p == '>' || *p == '/');
        }
        if (!close)
            return 0;
        s = close + 1;
    }
    return 0;
}

/* Text-looking: no NUL byte early and not a PDF (whose header is text). */
static int looks_textual(const unsigned char *bytes, size_t len)
{
    size_t n = len < GK_MAGIC_TEXT_PREFIX ? len : GK_MAGIC_TEXT_PREFIX;
    return !memchr(bytes, 0, n) && !(len >= 5 && memcmp(bytes, "%PDF-", 5) == 0);
}

/* The text prefix libmagic sees, cut after a newline so that no character
 * is split (its encoding check would call a split character binary). */
static size_t text_prefix(const unsigned char *bytes, size_t len)
{
    if (len <= GK_MAGIC_TEXT_PREFIX)
        return len;
    const unsigned char *nl = memrchr(bytes, '\n', GK_MAGIC_TEXT_PREFIX);
    return nl && nl - bytes > GK_MAGIC_TEXT_PREFIX / 2 ? (size_t)(nl - bytes) + 1 : len;
}

gk_status_t gk_detect(gk_detector_t *d, const void *data, size_t len,
                      char *mime, size_t mimelen, char *charset, size_t charsetlen)
{
    if (!d || (!data && len))
        return GK_ERR_INVALID;
    const unsigned char *bytes = data ? data : (const unsigned char *)"";
    const char *r = looks_textual(bytes, len) ? magic_buffer(d->text, bytes, text_prefix(bytes, len))
                                              : magic_buffer(d->full, bytes, len);
    if (!r)
        return GK_ERR_EXTRACTOR;

    /* "type/subtype; charset=x" */
    size_t tlen = strcspn(r, "; ");
    char type[128], cs[64] = "";
    if (tlen >= sizeof type)
        tlen = sizeof type - 1;
    memcpy(type, r, tlen);
    type[tlen] = '\0';
    const char *c = strstr(r, "charset=");
    if (c) {
        size_t n = strcspn(c + 8, "; ");
        if (n >= sizeof cs)
            n = sizeof cs - 1;
        memcpy(cs, c + 8, n);
        cs[n] = '\0';
    }

    if ((!strcmp(type, "text/xml") || !strcmp(type, "application/xml") ||
         !strcmp(type, "application/xhtml+xml")) &&
        xml_root_is_html(bytes, len))
        strcpy(type, "text/html");

    gk_container_refine(bytes, len, type, sizeof type);

    int octets = !strcmp(type, "application/octet-stream");
    int plain = !strcmp(type, "text/plain");
    if (octets || plain) {
        gk_buf_t text = GK_BUF_INIT;
        char decision[96];
        size_t n = sample_length(bytes, len);
        gk_status_t rc = gk_decode_text(bytes, n, NULL, &text, decision, sizeof decision);
        if (rc == GK_ERR_NOMEM) {
            gk_buf_free(&text);
            return rc;
        }
        if (rc == GK_OK && n > 0) {
            char name[32];
            int conf;
            parse_decision(decision, name, sizeof name, &conf);
            /* Binary libmagic could not name is text only when the
             * decoder is sure; utf-8 here would be libmagic's miss too. */
            if (octets && conf >= GK_TEXT_CONFIDENCE) {
                strcpy(type, "text/plain");
                plain = 1;
            }
            if (plain) {
                snprintf(cs, sizeof cs, "%s", name);
                if (looks_like_markdown(gk_buf_str(&text), text.len))
                    strcpy(type, "text/markdown");
            }
        }
        gk_buf_free(&text);
    }

    gk_status_t rc = copy_out(mime, mimelen, type, strlen(type));
    if (rc == GK_OK && charset)
        rc = copy_out(charset, charsetlen, cs, strlen(cs));
    return rc;
}
