/*
 * doc.c — Word 97-2003 binary documents (.doc; Kingsoft WPS .wps is the
 * same format), and the OLE2 helpers that xls.c shares (ole2.h).
 *
 * The text is reached without interpreting formatting: the FIB at the
 * start of the WordDocument stream names the table stream and the Clx in
 * it, whose piece table maps character positions (CPs) to file offsets,
 * each piece either UTF-16LE or "compressed" 8-bit text. Only the table
 * paragraphs' properties are read, to tell a row end from a cell end.
 * Word 6/95 files (one run of 8-bit text in the document's code page) are
 * read when they were not fast-saved.
 */
#include <glib.h>
#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-input-memory.h>
#include <gsf/gsf-input.h>
#include <gsf/gsf-utils.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unicode/ucnv.h>

#include "decode.h"
#include "extract.h"
#include "ole2.h"
#include "utf8.h"

/* ------------------------------------------------------------------ */
/* OLE2 container                                                      */
/* ------------------------------------------------------------------ */

/* libgsf reports damaged sector chains through g_warning and failed
 * g_return_if_fail checks (criticals); the extractor turns them into a
 * status, so the messages would only be noise on stderr. */
static void drop_log(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer data)
{
    (void)domain;
    (void)level;
    (void)msg;
    (void)data;
}

static void init_gsf(void)
{
    gsf_init();
    GLogLevelFlags levels = G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE |
                            G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG;
    g_log_set_handler("libgsf:msole", levels, drop_log, NULL);
    g_log_set_handler("libgsf", levels, drop_log, NULL);
}

GsfInfile *gk_ole_open(const unsigned char *data, size_t len)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, init_gsf);
    if (len < 512 || memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) != 0)
        return NULL;
    GsfInput *input = gsf_input_memory_new(data, (gsf_off_t)len, FALSE);
    if (!input)
        return NULL;
    GsfInfile *ole = gsf_infile_msole_new(input, NULL);
    g_object_unref(input);
    return ole;
}

int gk_ole_has(GsfInfile *ole, const char *name)
{
    GsfInput *child = gsf_infile_child_by_name(ole, name);
    if (!child)
        return 0;
    g_object_unref(child);
    return 1;
}

gk_status_t gk_ole_read(GsfInfile *ole, const char *name, size_t max, unsigned char **data, size_t *len,
                        gk_fields_t *out)
{
    *data = NULL;
    *len = 0;
    GsfInput *child = gsf_infile_child_by_name(ole, name);
    if (!child)
        return GK_OK;
    gk_status_t st = GK_OK;
    gsf_off_t size = gsf_input_size(child);
    unsigned char *buf = NULL;
    if (size < 0 || (uint64_t)size > max) {
        st = gk_fields_fail(out, GK_ERR_BAD_FILE, "stream %s claims %lld bytes, more than the file",
                            name, (long long)size);
    } else if (!(buf = malloc((size_t)size + 1))) {
        st = gk_fields_fail(out, GK_ERR_NOMEM, "out of memory reading stream %s", name);
    } else if (size > 0 && !gsf_input_read(child, (size_t)size, buf)) {
        st = gk_fields_fail(out, GK_ERR_BAD_FILE, "stream %s cannot be read (broken sector chain)", name);
    }
    g_object_unref(child);
    if (st != GK_OK) {
        free(buf);
        return st;
    }
    *data = buf;
    *len = (size_t)size;
    return GK_OK;
}

/* ------------------------------------------------------------------ */
/* Text conversion                                                     */
/* ------------------------------------------------------------------ */

/* Append one code point, keeping only what belongs in indexed text. */
static void put_cp(gk_buf_t *out, uint32_t c)
{
    if (c == 0 || (c < 0x20 && c != '\t' && c != '\n') || c == 0x7F)
        return;
    char u[4];
    gk_buf_append(out, u, (size_t)gk_utf8_put(c, u));
}

/* Append UTF-16 code units from FETCH(i), i < n, pairing surrogates. */
static void put_units(gk_buf_t *out, const void *src, size_t n, uint16_t (*fetch)(const void *, size_t))
{
    for (size_t i = 0; i < n; i++) {
        uint32_t c = fetch(src, i);
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n) {
            uint32_t d = fetch(src, i + 1);
            if (d >= 0xDC00 && d <= 0xDFFF) {
                put_cp(out, 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00));
                i++;
                continue;
            }
        }
        if (c >= 0xD800 && c <= 0xDFFF)
            c = 0xFFFD;
        else if (c == '\r')
            c = (i + 1 < n && fetch(src, i + 1) == '\n') ? 0 : '\n';
        put_cp(out, c);
    }
}

static uint16_t fetch_le(const void *src, size_t i) { return gk_rd16((const unsigned char *)src + 2 * i); }
static uint16_t fetch_uchar(const void *src, size_t i) { return ((const UChar *)src)[i]; }

void gk_ole_put16(gk_buf_t *out, const unsigned char *p, size_t n) { put_units(out, p, n, fetch_le); }

/* S in CHARSET as UTF-16 (malloc'd, *n units), or NULL. */
static UChar *to_uchars(const char *charset, const unsigned char *s, size_t len, int32_t *n)
{
    if (len > INT32_MAX / 4)
        return NULL;
    UErrorCode err = U_ZERO_ERROR;
    UConverter *cnv = ucnv_open(charset, &err);
    if (U_FAILURE(err)) {
        err = U_ZERO_ERROR;
        cnv = ucnv_open("GB18030", &err);
        if (U_FAILURE(err))
            return NULL;
    }
    int32_t cap = (int32_t)len * 2 + 2;
    UChar *u = malloc((size_t)cap * sizeof *u);
    if (u)
        *n = ucnv_toUChars(cnv, u, cap, (const char *)s, (int32_t)len, &err);
    ucnv_close(cnv);
    if (u && U_FAILURE(err)) {
        free(u);
        u = NULL;
    }
    return u;
}

void gk_ole_put8(gk_buf_t *out, const char *charset, const unsigned char *s, size_t len)
{
    if (len == 0)
        return;
    int32_t n = 0;
    UChar *u = to_uchars(charset, s, len, &n);
    if (!u) {
        out->failed = 1;
        return;
    }
    put_units(out, u, (size_t)n, fetch_uchar);
    free(u);
}

const char *gk_ole_charset(unsigned codepage)
{
    switch (codepage) {
    case 1200: return "UTF-16LE";
    case 65001: return "UTF-8";
    case 936: case 10008: case 20936: case 54936: return "GB18030";
    case 950: case 10002: return "windows-950";
    case 932: case 10001: return "windows-932";
    case 949: case 10003: return "windows-949";
    case 10000: return "macintosh";
    case 0: return "windows-1252";
    default: break;
    }
    static __thread char name[24];
    snprintf(name, sizeof name, "windows-%u", codepage);
    UErrorCode err = U_ZERO_ERROR;
    UConverter *cnv = ucnv_open(name, &err);
    if (U_FAILURE(err)) {
        err = U_ZERO_ERROR;
        snprintf(name, sizeof name, "cp%u", codepage);
        cnv = ucnv_open(name, &err);
    }
    if (U_FAILURE(err))
        return "GB18030";
    ucnv_close(cnv);
    return name;
}

/* ------------------------------------------------------------------ */
/* SummaryInformation                                                  */
/* ------------------------------------------------------------------ */

enum { VT_I2 = 2, VT_I4 = 3, VT_LPSTR = 30, VT_LPWSTR = 31, VT_FILETIME = 64 };
enum { PID_CODEPAGE = 1, PID_TITLE = 2, PID_AUTHOR = 4, PID_CREATED = 12, PID_SAVED = 13, PID_PAGES = 14 };

typedef struct {
    const unsigned char *p;   /* the property set */
    size_t len;
    uint32_t count;           /* properties in its index */
    unsigned codepage;
} propset_t;

/* Offset of property PID's value (its type word), or 0. */
static size_t prop_find(const propset_t *ps, uint32_t pid)
{
    for (uint32_t k = 0; k < ps->count; k++) {
        const unsigned char *e = ps->p + 8 + 8 * (size_t)k;
        uint32_t off = gk_rd32(e + 4);
        if (gk_rd32(e) == pid && off >= 8 && off <= ps->len - 8)
            return off;
    }
    return 0;
}

/* Trim blanks and set FIELD from the UTF-8 in TMP, unless empty. */
static void set_trimmed(char **field, gk_buf_t *tmp)
{
    const char *s = gk_buf_str(tmp);
    size_t b = 0, e = tmp->len;
    while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\n'))
        b++;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\n'))
        e--;
    if (e > b && !tmp->failed)
        gk_fields_set(field, s + b, e - b);
}

static void prop_string(const propset_t *ps, uint32_t pid, char **field)
{
    size_t off = prop_find(ps, pid);
    if (!off)
        return;
    uint32_t type = gk_rd32(ps->p + off) & 0xFFFF, n = gk_rd32(ps->p + off + 4);
    size_t room = ps->len - off - 8;
    const unsigned char *s = ps->p + off + 8;
    gk_buf_t tmp = GK_BUF_INIT;
    if (type == VT_LPWSTR || (type == VT_LPSTR && ps->codepage == 1200)) {
        size_t units = type == VT_LPWSTR ? n : n / 2;
        if (units > room / 2)
            units = room / 2;
        while (units && gk_rd16(s + 2 * (units - 1)) == 0)
            units--;
        gk_ole_put16(&tmp, s, units);
    } else if (type == VT_LPSTR) {
        size_t bytes = n < room ? n : room;
        while (bytes && s[bytes - 1] == 0)
            bytes--;
        gk_ole_put8(&tmp, gk_ole_charset(ps->codepage), s, bytes);
    }
    set_trimmed(field, &tmp);
    gk_buf_free(&tmp);
}

/* A FILETIME (100 ns ticks since 1601) as ISO 8601 UTC; 0 means unset. */
static void prop_time(const propset_t *ps, uint32_t pid, char **field)
{
    size_t off = prop_find(ps, pid);
    if (!off || off > ps->len - 12 || (gk_rd32(ps->p + off) & 0xFFFF) != VT_FILETIME)
        return;
    uint64_t ticks = gk_rd32(ps->p + off + 4) | (uint64_t)gk_rd32(ps->p + off + 8) << 32;
    const uint64_t epoch = 116444736000000000ULL;  /* 1970-01-01 in ticks */
    const uint64_t max = epoch + 253402300799ULL * 10000000ULL;  /* 9999-12-31 */
    if (ticks <= epoch || ticks > max)
        return;
    time_t t = (time_t)((ticks - epoch) / 10000000ULL);
    struct tm tm;
    char iso[32];
    if (!gmtime_r(&t, &tm) || !strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm))
        return;
    gk_fields_set(field, iso, strlen(iso));
}

static void parse_summary(const unsigned char *s, size_t n, int want_pages, gk_fields_t *out)
{
    if (n < 48 || gk_rd16(s) != 0xFFFE || gk_rd32(s + 24) < 1)
        return;
    uint32_t at = gk_rd32(s + 44);
    if (at > n - 8)
        return;
    propset_t ps = {s + at, n - at, 0, 1252};
    uint32_t size = gk_rd32(ps.p);
    if (size >= 8 && size < ps.len)
        ps.len = size;
    ps.count = gk_rd32(ps.p + 4);
    if (ps.count > (ps.len - 8) / 8)
        ps.count = (uint32_t)((ps.len - 8) / 8);
    size_t off = prop_find(&ps, PID_CODEPAGE);
    if (off && (gk_rd32(ps.p + off) & 0xFFFF) == VT_I2)
        ps.codepage = gk_rd16(ps.p + off + 4);
    prop_string(&ps, PID_TITLE, &out->title);
    prop_string(&ps, PID_AUTHOR, &out->author);
    prop_time(&ps, PID_CREATED, &out->created);
    prop_time(&ps, PID_SAVED, &out->modified);
    off = prop_find(&ps, PID_PAGES);
    if (want_pages && off && (gk_rd32(ps.p + off) & 0xFFFF) == VT_I4 && gk_rd32(ps.p + off + 4) <= 1000000)
        out->pages = (int)gk_rd32(ps.p + off + 4);
}

void gk_ole_summary(GsfInfile *ole, int want_pages, gk_fields_t *out)
{
    unsigned char *s;
    size_t n;
    gk_fields_t scratch;  /* a damaged stream's reason is not the file's */
    gk_fields_init(&scratch);
    if (gk_ole_read(ole, "\005SummaryInformation", 1 << 20, &s, &n, &scratch) == GK_OK && s)
        parse_summary(s, n, want_pages, out);
    free(s);
    gk_fields_free(&scratch);
}

/* ------------------------------------------------------------------ */
/* The FIB                                                             */
/* ------------------------------------------------------------------ */

#define FIB_IDENT 0xA5EC
#define FIB_ENCRYPTED 0x0100
#define FIB_TABLE1 0x0200
#define FIB_COMPLEX 0x0004
#define NFIB_WORD6 101      /* Word 6.0; 104 is Word 95 */
#define NFIB_WORD97 106     /* earlier than this is the Word 6 layout */

/* The text subdocuments in CP order: main text, footnotes, headers,
 * (macros), comments, endnotes, text boxes, header text boxes. */
enum { SUB_MAIN, SUB_FTN, SUB_HDD, SUB_MCR, SUB_ATN, SUB_EDN, SUB_TXBX, SUB_HDRTXBX, SUB_COUNT };

typedef struct {
    unsigned nfib;
    unsigned flags;
    uint32_t ccp[SUB_COUNT];
    uint32_t fc_clx, lcb_clx;
    uint32_t fc_papx, lcb_papx;   /* PlcBtePapx: paragraph properties */
} fib_t;

static gk_status_t parse_fib97(const unsigned char *w, size_t n, fib_t *fib, gk_fields_t *out)
{
    size_t pos = 32;
    unsigned csw = gk_rd16(w + pos);
    pos += 2 + 2 * (size_t)csw;
    if (pos + 2 > n)
        return gk_fields_fail(out, GK_ERR_BAD_FILE, "Word FIB truncated");
    unsigned cslw = gk_rd16(w + pos);
    size_t lw = pos + 2;
    pos = lw + 4 * (size_t)cslw;
    if (cslw < 11 || pos + 2 > n)
        return gk_fields_fail(out, GK_ERR_BAD_FILE, "Word FIB truncated");
    unsigned pairs = gk_rd16(w + pos);
    size_t fl = pos + 2;
    if (pairs < 34 || fl + 8 * (size_t)pairs > n)
        return gk_fields_fail(out, GK_ERR_BAD_FILE, "Word FIB truncated");
    for (int k = 0; k < SUB_COUNT; k++)
        fib->ccp[k] = gk_rd32(w + lw + 4 * (3 + (size_t)k));
    fib->fc_papx = gk_rd32(w + fl + 8 * 13);
    fib->lcb_papx = gk_rd32(w + fl + 8 * 13 + 4);
    fib->fc_clx = gk_rd32(w + fl + 8 * 33);
    fib->lcb_clx = gk_rd32(w + fl + 8 * 33 + 4);
    return GK_OK;
}

/* ------------------------------------------------------------------ */
/* Table rows: paragraphs whose properties carry sprmPFTtp             */
/* ------------------------------------------------------------------ */

typedef struct {
    uint32_t *fc;   /* pairs [start, end) of file offsets, sorted */
    size_t n, cap;
} ranges_t;

static void ranges_add(ranges_t *r, uint32_t a, uint32_t b)
{
    if (r->n && r->fc[2 * r->n - 1] == a) {  /* extend the previous run */
        r->fc[2 * r->n - 1] = b;
        return;
    }
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 64;
        uint32_t *p = realloc(r->fc, cap * 2 * sizeof *p);
        if (!p)
            return;
        r->fc = p;
        r->cap = cap;
    }
    r->fc[2 * r->n] = a;
    r->fc[2 * r->n + 1] = b;
    r->n++;
}

static int ranges_has(const ranges_t *r, uint32_t fc)
{
    size_t lo = 0, hi = r->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (fc < r->fc[2 * mid])
            hi = mid;
        else if (fc >= r->fc[2 * mid + 1])
            lo = mid + 1;
        else
            return 1;
    }
    return 0;
}

/* Operand size of the Sprm at P (grpprl of LEN bytes from there), or 0
 * when it runs past the end. */
static size_t sprm_operand(const unsigned char *p, size_t len)
{
    unsigned sprm = gk_rd16(p);
    switch (sprm >> 13) {
    case 0: case 1: return 1;
    case 2: case 4: case 5: return 2;
    case 3: return 4;
    case 7: return 3;
    default: break;
    }
    if (len < 3)
        return 0;
    if (sprm == 0xD608 || sprm == 0xD606)   /* sprmTDefTable(10): 2-byte length */
        return len >= 4 ? (size_t)gk_rd16(p + 2) + 1 : 0;
    return (size_t)p[2] + 1;
}

/* Does the grpprl make its paragraph a table row end (TTP)? */
static int grpprl_ttp(const unsigned char *p, size_t len)
{
    size_t i = 0;
    while (i + 2 <= len) {
        unsigned sprm = gk_rd16(p + i);
        size_t op = sprm_operand(p + i, len - i);
        if (!op || i + 2 + op > len)
            break;
        if ((sprm == 0x2417 || sprm == 0x244C) && p[i + 2])  /* sprmPFTtp, sprmPFInnerTtp */
            return 1;
        i += 2 + op;
    }
    return 0;
}

/* Collect the file offsets of TTP paragraphs from each PAPX FKP page. */
static void find_row_ends(const unsigned char *w, size_t wlen, const unsigned char *t, size_t tlen,
                          const fib_t *fib, ranges_t *rows)
{
    if (fib->lcb_papx < 4 || fib->fc_papx > tlen || fib->lcb_papx > tlen - fib->fc_papx)
        return;
    size_t npages = (fib->lcb_papx - 4) / 8;
    const unsigned char *pn = t + fib->fc_papx + 4 * (npages + 1);
    for (size_t k = 0; k < npages; k++) {
        size_t page = (size_t)(gk_rd32(pn + 4 * k) & 0x3FFFFF) * 512;
        if (page + 512 > wlen)
            continue;
        const unsigned char *fkp = w + page;
        unsigned crun = fkp[511];
        if (crun == 0 || 4 * (crun + 1) + 13 * crun > 511)
            continue;
        for (unsigned r = 0; r < crun; r++) {
            size_t b = (size_t)fkp[4 * (crun + 1) + 13 * r] * 2;
            if (b == 0 || b >= 511)
                continue;
            size_t cb = fkp[b], at = b + 1;
            if (cb == 0) {
                cb = (size_t)fkp[b + 1] * 2;
                at = b + 2;
            } else {
                cb = cb * 2 - 1;
            }
            if (cb < 2 || at + cb > 511)
                continue;
            if (grpprl_ttp(fkp + at + 2, cb - 2))   /* past the istd */
                ranges_add(rows, gk_rd32(fkp + 4 * r), gk_rd32(fkp + 4 * (r + 1)));
        }
    }
}

/* ------------------------------------------------------------------ */
/* Character stream to text                                            */
/* ------------------------------------------------------------------ */

#define FIELD_DEPTH_MAX 64

typedef struct {
    gk_buf_t *out;
    size_t limit;
    unsigned depth;      /* fields open, up to FIELD_DEPTH_MAX tracked */
    unsigned deep;       /* fields open beyond that */
    unsigned hidden;     /* open fields still in their code part */
    uint64_t result;     /* bit k: field k has passed its separator */
    uint32_t high;       /* a high surrogate waiting for its pair */
    const ranges_t *rows;
} emit_t;

static void field_begin(emit_t *em)
{
    em->hidden++;
    if (em->depth < FIELD_DEPTH_MAX) {
        em->result &= ~(1ULL << em->depth);
        em->depth++;
    } else {
        em->deep++;
    }
}

static void field_separator(emit_t *em)
{
    if (em->deep || !em->depth)
        return;
    uint64_t bit = 1ULL << (em->depth - 1);
    if (!(em->result & bit)) {
        em->result |= bit;
        em->hidden--;
    }
}

static void field_end(emit_t *em)
{
    if (em->deep) {
        em->deep--;
        em->hidden--;
        return;
    }
    if (!em->depth)
        return;
    em->depth--;
    if (!(em->result & (1ULL << em->depth)))
        em->hidden--;
}

/* One character of the document at file offset FC. */
static void emit_char(emit_t *em, uint32_t c, uint32_t fc)
{
    switch (c) {
    case 0x13: field_begin(em); return;
    case 0x14: field_separator(em); return;
    case 0x15: field_end(em); return;
    default: break;
    }
    if (em->hidden)
        return;
    if (c >= 0xD800 && c <= 0xDBFF) {
        em->high = c;
        return;
    }
    if (c >= 0xDC00 && c <= 0xDFFF) {
        c = em->high ? 0x10000 + ((em->high - 0xD800) << 10) + (c - 0xDC00) : 0xFFFD;
        em->high = 0;
    } else if (em->high) {
        put_cp(em->out, 0xFFFD);
        em->high = 0;
    }
    switch (c) {
    case 0x0D: case 0x0B: case 0x0C: c = '\n'; break;
    case 0x07:
        if (!em->rows || !ranges_has(em->rows, fc)) {
            c = '\t';
        } else if (em->out->len && em->out->data[em->out->len - 1] == '\t') {
            em->out->data[em->out->len - 1] = '\n';   /* the last cell's tab ends the row */
            return;
        } else {
            c = '\n';
        }
        break;
    case 0x1E: c = '-'; break;
    case 0xF0B7: c = 0x2022; break;   /* Symbol-font bullet */
    default: break;
    }
    put_cp(em->out, c);
}

typedef struct {
    uint32_t cp, fc;   /* first CP; fc as stored (bit 30: compressed) */
} piece_t;

typedef struct {
    piece_t *p;        /* n pieces and a sentinel with the end CP */
    size_t n;
} pieces_t;

/* The piece table in the Clx at T[fc_clx..+lcb_clx). */
static gk_status_t parse_clx(const unsigned char *t, size_t tlen, const fib_t *fib, pieces_t *pc,
                             gk_fields_t *out)
{
    if (fib->fc_clx > tlen || fib->lcb_clx > tlen - fib->fc_clx)
        return gk_fields_fail(out, GK_ERR_BAD_FILE, "Word piece table lies outside the table stream");
    const unsigned char *c = t + fib->fc_clx;
    size_t len = fib->lcb_clx, i = 0;
    while (i < len && c[i] == 0x01) {   /* Prc: formatting, skipped */
        int16_t cb = i + 3 <= len ? (int16_t)gk_rd16(c + i + 1) : -1;
        if (cb < 0)
            break;
        i += 3 + (size_t)cb;
    }
    if (i + 5 > len || c[i] != 0x02)
        return gk_fields_fail(out, GK_ERR_BAD_FILE, "Word piece table missing");
    uint32_t lcb = gk_rd32(c + i + 1);
    const unsigned char *plc = c + i + 5;
    if (lcb < 4 + 12 || lcb > len - i - 5 || (lcb - 4) % 12)
        return gk_fields_fail(out, GK_ERR_BAD_FILE, "Word piece table damaged");
    size_t n = (lcb - 4) / 12;
    pc->p = malloc((n + 1) * sizeof *pc->p);
    if (!pc->p)
        return gk_fields_fail(out, GK_ERR_NOMEM, "out of memory reading the piece table");
    for (size_t k = 0; k <= n; k++) {
        pc->p[k].cp = gk_rd32(plc + 4 * k);
        pc->p[k].fc = k < n ? gk_rd32(plc + 4 * (n + 1) + 8 * k + 2) : 0;
        if (k && pc->p[k].cp < pc->p[k - 1].cp)
            return gk_fields_fail(out, GK_ERR_BAD_FILE, "Word piece table out of order");
    }
    pc->n = n;
    return GK_OK;
}

/* Emit CPs [from, to) of the document through the pieces. */
static gk_status_t emit_range(emit_t *em, const pieces_t *pc, const unsigned char *w, size_t wlen,
                              uint32_t from, uint32_t to, gk_fields_t *out)
{
    for (size_t k = 0; k < pc->n && from < to; k++) {
        uint32_t a = pc->p[k].cp, b = pc->p[k + 1].cp;
        if (b <= from || a >= to)
            continue;
        uint32_t s = from > a ? from : a, e = to < b ? to : b;
        int compressed = (pc->p[k].fc & 0x40000000u) != 0;
        uint64_t base = compressed ? (pc->p[k].fc & ~0x40000000u) / 2 : pc->p[k].fc;
        uint64_t first = base + (uint64_t)(s - a) * (compressed ? 1 : 2);
        uint64_t bytes = (uint64_t)(e - s) * (compressed ? 1 : 2);
        if (first > wlen || bytes > wlen - first)
            return gk_fields_fail(out, GK_ERR_BAD_FILE, "Word piece points beyond the WordDocument stream");
        const unsigned char *p = w + first;
        for (uint32_t i = 0; i < e - s; i++) {
            uint32_t c = compressed ? p[i] : gk_rd16(p + 2 * (size_t)i);
            if (compressed && c >= 0x80 && c < 0xA0) {
                static const uint16_t cp1252[32] = {
                    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
                    0x2039, 0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
                    0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};
                c = cp1252[c - 0x80] ? cp1252[c - 0x80] : c;
            }
            emit_char(em, c, (uint32_t)(first + (compressed ? i : 2 * (uint64_t)i)));
        }
        if (em->out->len > em->limit)
            return gk_fields_fail(out, GK_ERR_TOO_LARGE, "text exceeds the limit of %zu bytes", em->limit);
        from = e;
    }
    return GK_OK;
}

/* The subdocuments worth indexing, each closed by a newline: headers and
 * header text boxes are left out (running titles and page numbers). */
static gk_status_t emit_document(emit_t *em, const pieces_t *pc, const unsigned char *w, size_t wlen,
                                 const fib_t *fib, gk_fields_t *out)
{
    uint64_t cp = 0;
    uint32_t end = pc->p[pc->n].cp;
    for (int k = 0; k < SUB_COUNT; k++) {
        uint64_t next = cp + fib->ccp[k];
        if (cp >= end)
            break;
        if (k != SUB_HDD && k != SUB_HDRTXBX && k != SUB_MCR && fib->ccp[k]) {
            uint32_t to = next < end ? (uint32_t)next : end;
            em->depth = em->deep = em->hidden = 0;
            gk_status_t st = emit_range(em, pc, w, wlen, (uint32_t)cp, to, out);
            if (st != GK_OK)
                return st;
            if (em->out->len && em->out->data[em->out->len - 1] != '\n')
                gk_buf_putc(em->out, '\n');
        }
        cp = next;
    }
    return GK_OK;
}

/* ------------------------------------------------------------------ */
/* Word 97-2003                                                        */
/* ------------------------------------------------------------------ */

static gk_status_t extract_word97(GsfInfile *ole, const unsigned char *w, size_t wlen, const fib_t *fib,
                                  const gk_input_t *in, const gk_extract_limits_t *lim, gk_fields_t *out)
{
    const char *table = fib->flags & FIB_TABLE1 ? "1Table" : "0Table";
    unsigned char *t;
    size_t tlen;
    gk_status_t st = gk_ole_read(ole, table, in->len, &t, &tlen, out);
    if (st != GK_OK)
        return st;
    if (!t)
        return gk_fields_fail(out, GK_ERR_BAD_FILE, "Word document without its %s stream", table);
    pieces_t pc = {NULL, 0};
    ranges_t rows = {NULL, 0, 0};
    st = parse_clx(t, tlen, fib, &pc, out);
    if (st == GK_OK) {
        find_row_ends(w, wlen, t, tlen, fib, &rows);
        emit_t em = {&out->body, lim->max_text_bytes, 0, 0, 0, 0, 0, &rows};
        st = emit_document(&em, &pc, w, wlen, fib, out);
    }
    free(rows.fc);
    free(pc.p);
    free(t);
    return st;
}

/* ------------------------------------------------------------------ */
/* Word 6/95                                                           */
/* ------------------------------------------------------------------ */

/* The ANSI code page of a Word language id, as Word 6 wrote its text. */
static const char *lid_charset(unsigned lid)
{
    switch (lid) {
    case 0x0804: case 0x1004: return "gb18030";
    case 0x0404: case 0x0C04: case 0x1404: return "big5";
    default: return NULL;
    }
}

/* A Word 6/95 file that was not fast-saved keeps its text as one run of
 * 8-bit characters from fcMin; its encoding is decided as for plain text,
 * the language id naming the likely one. */
static gk_status_t extract_word6(const unsigned char *w, size_t wlen, const fib_t *fib,
                                 const gk_extract_limits_t *lim, gk_fields_t *out)
{
    if (fib->flags & FIB_COMPLEX)
        return gk_fields_fail(out, GK_ERR_BAD_FILE, "Word 6/95 fast-saved document not supported");
    if (wlen < 0x38)
        return gk_fields_fail(out, GK_ERR_BAD_FILE, "Word FIB truncated");
    uint32_t fc = gk_rd32(w + 0x18), ccp = gk_rd32(w + 0x34);
    if (fc > wlen || ccp > wlen - fc)
        return gk_fields_fail(out, GK_ERR_BAD_FILE, "Word 6 text lies beyond the WordDocument stream");
    gk_buf_t utf8 = GK_BUF_INIT;
    char decision[96];
    gk_status_t st = gk_decode_text(w + fc, ccp, lid_charset(gk_rd16(w + 6)), &utf8, decision, sizeof decision);
    if (st == GK_OK) {
        gk_fields_set(&out->charset, decision, strlen(decision));
        emit_t em = {&out->body, lim->max_text_bytes, 0, 0, 0, 0, 0, NULL};
        const unsigned char *s = (const unsigned char *)gk_buf_str(&utf8);
        for (size_t i = 0; i < utf8.len && out->body.len <= em.limit;)
            emit_char(&em, gk_utf8_next(s, utf8.len, &i), 0);
        if (out->body.len > em.limit)
            st = gk_fields_fail(out, GK_ERR_TOO_LARGE, "text exceeds the limit of %zu bytes", em.limit);
    } else if (st == GK_ERR_ENCODING) {
        gk_fields_fail(out, st, "Word 6/95 text in an unknown encoding");
    }
    gk_buf_free(&utf8);
    return st;
}

/* ------------------------------------------------------------------ */
/* Entry point                                                         */
/* ------------------------------------------------------------------ */

static gk_status_t extract_word(GsfInfile *ole, const gk_input_t *in, const gk_extract_limits_t *lim,
                                gk_fields_t *out)
{
    if (gk_ole_has(ole, "EncryptedPackage") || gk_ole_has(ole, "EncryptionInfo"))
        return gk_fields_fail(out, GK_ERR_ENCRYPTED, "encrypted (password required)");
    unsigned char *w;
    size_t wlen;
    gk_status_t st = gk_ole_read(ole, "WordDocument", in->len, &w, &wlen, out);
    if (st != GK_OK)
        return st;
    if (!w)
        return gk_fields_fail(out, GK_ERR_BAD_FILE, "no WordDocument stream");
    fib_t fib = {0};
    if (wlen < 68 || gk_rd16(w) != FIB_IDENT) {
        st = gk_fields_fail(out, GK_ERR_BAD_FILE, "not a Word document (no FIB)");
    } else {
        fib.nfib = gk_rd16(w + 2);
        fib.flags = gk_rd16(w + 10);
        if (fib.flags & FIB_ENCRYPTED)
            st = gk_fields_fail(out, GK_ERR_ENCRYPTED, "encrypted (password required)");
        else if (fib.nfib < NFIB_WORD6)
            st = gk_fields_fail(out, GK_ERR_BAD_FILE, "Word 2 or earlier not supported (nFib %u)", fib.nfib);
        else if (fib.nfib < NFIB_WORD97)
            st = extract_word6(w, wlen, &fib, lim, out);
        else if ((st = parse_fib97(w, wlen, &fib, out)) == GK_OK)
            st = extract_word97(ole, w, wlen, &fib, in, lim, out);
    }
    free(w);
    if (st == GK_OK)
        gk_ole_summary(ole, 1, out);
    return st;
}

static gk_status_t extract_doc(const gk_input_t *in, const gk_extract_limits_t *lim, gk_fields_t *out)
{
    GsfInfile *ole = gk_ole_open(in->data, in->len);
    if (!ole)
        return gk_fields_fail(out, GK_ERR_BAD_FILE, "not an OLE2 compound file");
    gk_status_t st = extract_word(ole, in, lim, out);
    g_object_unref(ole);
    return st;
}

static const char *const doc_types[] = {"application/msword", NULL};
const gk_extractor_t gk_extractor_doc = {"doc", doc_types, extract_doc, 1};
