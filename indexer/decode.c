/*
 * decode.c — bytes of unknown encoding to valid UTF-8 (see decode.h).
 *
 * Every candidate decoding goes through the same strict path: ICU converts
 * with a callback that counts each illegal or unmapped sequence, and the
 * UTF-8 result is then judged as text (no NUL, few control characters and
 * unassigned code points). A candidate that fails is rolled back, so a
 * binary file never comes out as "text" merely because some 8-bit charset
 * maps every byte.
 */
#include "decode.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/ucsdet.h>

/* Bad characters allowed per hundred before a decoding is refused. */
#define GK_BAD_PERCENT 1
/* The detector and the UTF-16 sniffer only look at this much. */
#define GK_SNIFF_BYTES (256 * 1024)
/* ICU's GB18030 / Big5 recognizers give 10 to short texts of few
 * double-byte characters and 0 to what does not fit the scheme. */
#define GK_MIN_CONFIDENCE 10
/* A declared single-byte label loses to Chinese found with this confidence. */
#define GK_CHINESE_CONFIDENCE 50

/* ------------------------------------------------------------------ */
/* Candidate conversion                                                 */
/* ------------------------------------------------------------------ */

/* Substitute U+FFFD for each bad sequence, so that the whole input is
 * converted and plausible() can judge the damage against its length. */
static void substitute_cb(const void *context, UConverterToUnicodeArgs *args,
                          const char *units, int32_t length,
                          UConverterCallbackReason reason, UErrorCode *err)
{
    (void)context;
    if (reason == UCNV_ILLEGAL || reason == UCNV_UNASSIGNED || reason == UCNV_IRREGULAR)
        UCNV_TO_U_CALLBACK_SUBSTITUTE(NULL, args, units, length, reason, err);
}

static void buf_truncate(gk_buf_t *b, size_t len)
{
    b->len = len;
    if (b->data)
        b->data[len] = '\0';
}

/* Convert DATA with the ICU converter NAME, appending UTF-8 to OUT. */
static gk_status_t convert(const char *name, const unsigned char *data, size_t len,
                           gk_buf_t *out)
{
    UErrorCode st = U_ZERO_ERROR;
    UConverter *src = ucnv_open(name, &st);
    if (U_FAILURE(st))
        return GK_ERR_ENCODING;
    UConverter *dst = ucnv_open("UTF-8", &st);
    if (U_FAILURE(st)) {
        ucnv_close(src);
        return GK_ERR_NOMEM;
    }
    ucnv_setToUCallBack(src, substitute_cb, NULL, NULL, NULL, &st);

    UChar pivot[4096], *pivot_src = pivot, *pivot_dst = pivot;
    char chunk[16384];
    const char *in = (const char *)data, *in_end = in + len;
    gk_status_t rc = GK_OK;
    UBool reset = 1;
    while (U_SUCCESS(st)) {
        char *target = chunk;
        ucnv_convertEx(dst, src, &target, chunk + sizeof chunk, &in, in_end, pivot,
                       &pivot_src, &pivot_dst, pivot + 4096, reset, 1, &st);
        reset = 0;
        gk_buf_append(out, chunk, (size_t)(target - chunk));
        if (st == U_BUFFER_OVERFLOW_ERROR)
            st = U_ZERO_ERROR;
        else
            break;
    }
    if (U_FAILURE(st))
        rc = GK_ERR_ENCODING;
    else if (gk_buf_failed(out))
        rc = GK_ERR_NOMEM;
    ucnv_close(src);
    ucnv_close(dst);
    return rc;
}

/* Is TEXT (valid UTF-8) plausible text? NUL never is; control characters
 * other than layout ones, U+FFFD (in the input, or put there by a
 * conversion for each bad sequence) and unassigned code points count as
 * bad. Private-use characters are allowed: GB18030-2005 maps a few real
 * ideographs there. */
static int plausible(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0, chars = 0, bad = 0;
    while (i < len) {
        uint32_t c = gk_utf8_next(s, len, &i);
        chars++;
        if (c == 0)
            return 0;
        if (c < 0x20) {
            if (c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v')
                bad++;
        } else if (c >= 0x7F && c <= 0x9F) {
            bad++;
        } else if (c == 0xFFFD || (c >= 0x80 && u_charType((UChar32)c) == U_UNASSIGNED)) {
            /* A replacement character is damage, whether the input already
             * held it or the conversion put it there. */
            bad++;
        }
    }
    return bad * 100 <= chars * GK_BAD_PERCENT;
}

/* Try one candidate: on success OUT holds it after START; on refusal OUT is
 * rolled back to START. */
static gk_status_t attempt(const char *icu_name, const unsigned char *data, size_t len,
                           gk_buf_t *out, size_t start)
{
    gk_status_t rc = convert(icu_name, data, len, out);
    if (rc == GK_OK && !plausible(out->data ? out->data + start : "", out->len - start))
        rc = GK_ERR_ENCODING;
    if (rc != GK_OK && rc != GK_ERR_NOMEM)
        buf_truncate(out, start);
    return rc;
}

/*
 * UTF-8 damaged in a few places (a truncated sequence, a stray byte) is
 * still UTF-8: many well-formed multi-byte sequences and at most one bad
 * byte for twenty of them. Text in a legacy Chinese encoding almost never
 * forms long runs of valid UTF-8 sequences, so this does not take GB18030
 * for UTF-8.
 */
static int mostly_utf8(const unsigned char *data, size_t len)
{
    size_t multi = 0, bad = 0, i = 0;
    if (len > GK_SNIFF_BYTES)
        len = GK_SNIFF_BYTES;
    while (i < len) {
        size_t at = i;
        uint32_t c = gk_utf8_next(data, len, &i);
        if (c == 0 || (c == 0xFFFD && !(i - at == 3 && data[at] == 0xEF)))
            bad++;
        else if (i - at > 1)
            multi++;
    }
    return multi >= 16 && bad * 20 <= multi;
}

/* Convert damaged UTF-8, NUL bytes included, with U+FFFD for what is bad. */
static gk_status_t convert_lenient_utf8(const unsigned char *data, size_t len, gk_buf_t *out)
{
    if (!memchr(data, 0, len))
        return convert("UTF-8", data, len, out);
    gk_buf_t copy = GK_BUF_INIT;
    for (size_t i = 0; i < len; i++) {
        if (data[i])
            gk_buf_putc(&copy, (char)data[i]);
        else
            gk_buf_puts(&copy, "\xEF\xBF\xBD");
    }
    gk_status_t rc = gk_buf_failed(&copy) ? GK_ERR_NOMEM
                                          : convert("UTF-8", (const unsigned char *)copy.data, copy.len, out);
    gk_buf_free(&copy);
    return rc;
}

static gk_status_t attempt_utf8(const unsigned char *data, size_t len, gk_buf_t *out,
                                size_t start)
{
    if (!gk_utf8_valid(data, len))
        return GK_ERR_ENCODING;
    gk_buf_append(out, data, len);
    if (gk_buf_failed(out))
        return GK_ERR_NOMEM;
    if (!plausible(out->data ? out->data + start : "", len)) {
        buf_truncate(out, start);
        return GK_ERR_ENCODING;
    }
    return GK_OK;
}

/* ------------------------------------------------------------------ */
/* UTF-16 without BOM                                                   */
/* ------------------------------------------------------------------ */

/* Code points Chinese text in UTF-16 is made of. Chosen so that 8-bit text
 * read as UTF-16 mostly falls outside: a Latin letter or digit in the high
 * byte gives U+21xx..U+4Dxx or U+20xx with a low byte above 0x3B. */
static int cjk_text_char(unsigned c)
{
    return c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c < 0x7F) ||
           (c >= 0xA0 && c <= 0xFF) ||
           (c >= 0x2010 && c <= 0x203B) ||      /* dashes, quotes, ellipsis */
           (c >= 0x2100 && c <= 0x218F) ||      /* letterlike, Roman numerals */
           (c >= 0x2460 && c <= 0x24FF) ||      /* circled numbers */
           (c >= 0x2500 && c <= 0x25FF) ||      /* box drawing, shapes */
           (c >= 0x3000 && c <= 0x303F) ||      /* CJK punctuation */
           (c >= 0x4E00 && c <= 0x9FFF) ||      /* CJK unified ideographs */
           (c >= 0xF900 && c <= 0xFAFF) ||      /* compatibility ideographs */
           (c >= 0xFE30 && c <= 0xFE4F) ||      /* vertical forms */
           (c >= 0xFF00 && c <= 0xFFEF);        /* full-width forms */
}

/* Share (per thousand) of the code units of DATA that look like Chinese
 * text when read with the given byte order. */
static unsigned utf16_score(const unsigned char *data, size_t len, int big_endian)
{
    size_t n = len / 2, good = 0;
    if (n == 0)
        return 0;
    for (size_t k = 0; k < n; k++) {
        unsigned hi = data[2 * k + (big_endian ? 0 : 1)];
        unsigned lo = data[2 * k + (big_endian ? 1 : 0)];
        if (cjk_text_char(hi << 8 | lo))
            good++;
    }
    return (unsigned)(good * 1000 / n);
}

/* "utf-16le", "utf-16be" or NULL from the byte pattern alone. */
static const char *utf16_pattern(const unsigned char *data, size_t len)
{
    if (len < 4 || len % 2)
        return NULL;
    size_t n = len < GK_SNIFF_BYTES ? len : GK_SNIFF_BYTES;
    unsigned le = utf16_score(data, n, 0), be = utf16_score(data, n, 1);
    if (le >= 950 && le >= be)
        return "UTF-16LE";
    if (be >= 950)
        return "UTF-16BE";
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Labels and detection                                                 */
/* ------------------------------------------------------------------ */

/* Canonical name of a charset label: the GB family is GB18030 (as WHATWG
 * reads it), Big5 likewise; other labels are given to ICU as they are. */
static const char *canonical_label(const char *label, char *tmp, size_t tmplen)
{
    static const char *const gb[] = {
        "gb18030", "gb2312", "gbk", "x-gbk", "cp936", "euc-cn", "gb_2312-80", "gb_2312",
        "csgb2312", "chinese", "iso-ir-58", "csiso58gb231280", "windows-936", "ms936", NULL};
    static const char *const big5[] = {"big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5", NULL};
    static const char *const utf8[] = {"utf-8", "utf8", "unicode-1-1-utf-8", NULL};

    size_t n = 0;
    while (*label == ' ' || *label == '"' || *label == '\'')
        label++;
    for (; label[n] && n + 1 < tmplen; n++)
        tmp[n] = (char)tolower((unsigned char)label[n]);
    while (n > 0 && (tmp[n - 1] == ' ' || tmp[n - 1] == '"' || tmp[n - 1] == '\''))
        n--;
    tmp[n] = '\0';
    for (int k = 0; gb[k]; k++)
        if (!strcmp(tmp, gb[k]))
            return "gb18030";
    for (int k = 0; big5[k]; k++)
        if (!strcmp(tmp, big5[k]))
            return "big5";
    for (int k = 0; utf8[k]; k++)
        if (!strcmp(tmp, utf8[k]))
            return "utf-8";
    /* A meta tag is ASCII, so a document found to declare UTF-16 in it is
     * not UTF-16 (WHATWG ignores such a declaration too). */
    if (!strncmp(tmp, "utf-16", 6) || !strcmp(tmp, "unicode"))
        return NULL;
    /* Latin-1 labels mean windows-1252 on the web. */
    if (!strcmp(tmp, "iso-8859-1") || !strcmp(tmp, "latin1") || !strcmp(tmp, "us-ascii") ||
        !strcmp(tmp, "ascii") || !strcmp(tmp, "l1"))
        return "windows-1252";
    return tmp[0] ? tmp : NULL;
}

typedef struct {
    int gb18030;   /* ICU confidence, 0 when not reported */
    int big5;
} detection_t;

static gk_status_t detect(const unsigned char *data, size_t len, detection_t *d)
{
    d->gb18030 = d->big5 = 0;
    UErrorCode st = U_ZERO_ERROR;
    UCharsetDetector *det = ucsdet_open(&st);
    if (U_FAILURE(st))
        return GK_ERR_NOMEM;
    int32_t n = (int32_t)(len < GK_SNIFF_BYTES ? len : GK_SNIFF_BYTES);
    ucsdet_setText(det, (const char *)data, n, &st);
    int32_t count = 0;
    const UCharsetMatch **m = ucsdet_detectAll(det, &count, &st);
    for (int32_t k = 0; U_SUCCESS(st) && k < count; k++) {
        const char *name = ucsdet_getName(m[k], &st);
        int32_t conf = ucsdet_getConfidence(m[k], &st);
        if (U_FAILURE(st) || !name)
            break;
        if (!strcmp(name, "GB18030") && conf > d->gb18030)
            d->gb18030 = conf;
        else if (!strcmp(name, "Big5") && conf > d->big5)
            d->big5 = conf;
    }
    ucsdet_close(det);
    return GK_OK;
}

static int single_byte(const char *name)
{
    UErrorCode st = U_ZERO_ERROR;
    UConverter *c = ucnv_open(name, &st);
    if (U_FAILURE(st))
        return 0;
    int one = ucnv_getMaxCharSize(c) == 1;
    ucnv_close(c);
    return one;
}

/* ------------------------------------------------------------------ */
/* The decision                                                         */
/* ------------------------------------------------------------------ */

static void say(char *decision, size_t n, const char *fmt, const char *a, int conf)
{
    if (decision && n)
        snprintf(decision, n, fmt, a, conf);
}

/* Try the declared LABEL (canonical form of AS_WRITTEN), saying so in DECISION. */
static gk_status_t attempt_declared(const char *label, const char *as_written, const unsigned char *data,
                                   size_t len, gk_buf_t *out, size_t start, char *decision, size_t decisionlen)
{
    gk_status_t rc = attempt(label, data, len, out, start);
    if (rc == GK_OK && decision && decisionlen)
        snprintf(decision, decisionlen, "%s (declared %s)", label, as_written);
    return rc;
}

/* A BOM decides: the rest must decode under it. *handled says a BOM was
 * found. */
static gk_status_t by_bom(const unsigned char *data, size_t len, gk_buf_t *out, size_t start,
                          char *decision, size_t dlen, int *handled)
{
    static const struct {
        const char *bom, *icu, *name;
        size_t n;
    } boms[] = {
        {"\xEF\xBB\xBF", NULL, "utf-8", 3},
        {"\x84\x31\x95\x33", "GB18030", "gb18030", 4},
        {"\xFF\xFE", "UTF-16LE", "utf-16le", 2},
        {"\xFE\xFF", "UTF-16BE", "utf-16be", 2},
    };
    for (size_t k = 0; k < sizeof boms / sizeof boms[0]; k++) {
        if (len < boms[k].n || memcmp(data, boms[k].bom, boms[k].n))
            continue;
        *handled = 1;
        const unsigned char *rest = data + boms[k].n;
        size_t rlen = len - boms[k].n;
        gk_status_t rc = boms[k].icu ? attempt(boms[k].icu, rest, rlen, out, start)
                                     : attempt_utf8(rest, rlen, out, start);
        if (rc == GK_OK)
            say(decision, dlen, "%s (bom)", boms[k].name, 0);
        return rc;
    }
    *handled = 0;
    return GK_ERR_ENCODING;
}

gk_status_t gk_decode_text(const unsigned char *data, size_t len, const char *declared,
                           gk_buf_t *out, char *decision, size_t decisionlen)
{
    if (decision && decisionlen)
        decision[0] = '\0';
    if (gk_buf_failed(out))
        return GK_ERR_NOMEM;
    if (!data)
        len = 0;
    size_t start = out->len;
    gk_status_t rc;

    int handled;
    rc = by_bom(data, len, out, start, decision, decisionlen, &handled);
    if (handled)
        return rc;

    rc = attempt_utf8(data, len, out, start);
    if (rc != GK_ERR_ENCODING) {
        if (rc == GK_OK)
            say(decision, decisionlen, "%s", "utf-8", 0);
        return rc;
    }
    if (mostly_utf8(data, len)) {
        /* Bad sequences become U+FFFD: the document is kept, not lost.
         * mostly_utf8 has judged the bad bytes; the rest must be text. */
        rc = convert_lenient_utf8(data, len, out);
        if (rc == GK_OK && plausible(out->data ? out->data + start : "", out->len - start)) {
            say(decision, decisionlen, "%s", "utf-8 (invalid sequences replaced)", 0);
            return GK_OK;
        }
        if (rc == GK_ERR_NOMEM)
            return rc;
        buf_truncate(out, start);
    }

    const char *u16 = utf16_pattern(data, len);
    if (u16) {
        rc = attempt(u16, data, len, out, start);
        if (rc != GK_ERR_ENCODING) {
            if (rc == GK_OK)
                say(decision, decisionlen, "%s (no bom)",
                    u16[6] == 'L' ? "utf-16le" : "utf-16be", 0);
            return rc;
        }
    }

    char tmp[64];
    const char *label = declared ? canonical_label(declared, tmp, sizeof tmp) : NULL;
    int label_single = label && single_byte(label);
    if (label && !label_single && strcmp(label, "utf-8") != 0) {
        rc = attempt_declared(label, tmp, data, len, out, start, decision, decisionlen);
        if (rc != GK_ERR_ENCODING)
            return rc;
    }

    detection_t d;
    rc = detect(data, len, &d);
    if (rc != GK_OK)
        return rc;
    /* Big5 and GBK share their byte ranges, so only ICU's frequency
     * statistics tell them apart; GB18030 wins ties. */
    const char *first = d.big5 > d.gb18030 ? "Big5" : "GB18030";
    const char *second = d.big5 > d.gb18030 ? "GB18030" : "Big5";
    const char *order[2] = {first, second};
    for (int k = 0; k < 2; k++) {
        int conf = !strcmp(order[k], "Big5") ? d.big5 : d.gb18030;
        if (conf < GK_MIN_CONFIDENCE)
            continue;
        if (label_single && conf < GK_CHINESE_CONFIDENCE)
            continue;
        rc = attempt(order[k], data, len, out, start);
        if (rc != GK_ERR_ENCODING) {
            if (rc == GK_OK)
                say(decision, decisionlen, "%s (detected, confidence %d)",
                    order[k][0] == 'B' ? "big5" : "gb18030", conf);
            return rc;
        }
    }

    if (label_single)
        return attempt_declared(label, tmp, data, len, out, start, decision, decisionlen);
    return GK_ERR_ENCODING;
}
