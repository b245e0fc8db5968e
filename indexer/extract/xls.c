/*
 * xls.c — Excel 97-2003 workbooks (BIFF8; Kingsoft ET writes the same) and
 * BIFF5/7 ones, from the Workbook (or Book) stream of the OLE2 file.
 *
 * The stream is a run of records (type, length, data). The globals
 * substream holds the shared strings (SST), number formats and the list of
 * sheets with their stream offsets; each sheet substream holds the cells.
 * Cells are written row by row, "\t" between cells and "\n" after each
 * row, the sheet name on its own line first. Numbers in a date format are
 * written as dates, others as the shortest exact decimal.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "ole2.h"

enum {
    R_FORMULA = 0x0006, R_EOF = 0x000A, R_DATEMODE = 0x0022, R_FILEPASS = 0x002F, R_CONTINUE = 0x003C,
    R_CODEPAGE = 0x0042, R_BOUNDSHEET = 0x0085, R_MULRK = 0x00BD, R_RSTRING = 0x00D6, R_XF = 0x00E0,
    R_SST = 0x00FC, R_LABELSST = 0x00FD, R_NUMBER = 0x0203, R_LABEL = 0x0204, R_BOOLERR = 0x0205,
    R_STRING = 0x0207, R_RK = 0x027E, R_FORMAT = 0x041E, R_BOF = 0x0809,
};

#define BIFF8 0x0600

/* ------------------------------------------------------------------ */
/* Records                                                             */
/* ------------------------------------------------------------------ */

typedef struct {
    const unsigned char *s;  /* the Workbook stream */
    size_t len;
} stream_t;

typedef struct {
    unsigned type;
    const unsigned char *p;  /* its data */
    size_t len;
    size_t next;             /* offset of the following record */
} record_t;

/* The record at offset AT, or 0 when none fits in the stream. */
static int record_at(const stream_t *st, size_t at, record_t *r)
{
    if (at > st->len || st->len - at < 4)
        return 0;
    size_t n = gk_rd16(st->s + at + 2);
    if (n > st->len - at - 4)
        return 0;
    r->type = gk_rd16(st->s + at);
    r->p = st->s + at + 4;
    r->len = n;
    r->next = at + 4 + n;
    return 1;
}

/* A record's data followed by its CONTINUE records, read as one byte
 * sequence except where a string's characters cross a boundary. */
typedef struct {
    const stream_t *st;
    record_t cur;
    size_t pos;      /* in cur */
    int bad;         /* read past the end */
} cursor_t;

static void cursor_init(cursor_t *c, const stream_t *st, const record_t *r)
{
    c->st = st;
    c->cur = *r;
    c->pos = 0;
    c->bad = 0;
}

/* Move to the next CONTINUE record; 0 when there is none. */
static int cursor_continue(cursor_t *c)
{
    record_t r;
    if (!record_at(c->st, c->cur.next, &r) || r.type != R_CONTINUE)
        return 0;
    c->cur = r;
    c->pos = 0;
    return 1;
}

static size_t cursor_avail(const cursor_t *c) { return c->cur.len - c->pos; }

/* Copy N bytes (across CONTINUE boundaries) to DST, or skip them when
 * DST is NULL. */
static int cursor_read(cursor_t *c, unsigned char *dst, size_t n)
{
    while (n && !c->bad) {
        if (!cursor_avail(c) && !cursor_continue(c)) {
            c->bad = 1;
            break;
        }
        size_t k = cursor_avail(c) < n ? cursor_avail(c) : n;
        if (dst) {
            memcpy(dst, c->cur.p + c->pos, k);
            dst += k;
        }
        c->pos += k;
        n -= k;
    }
    return !c->bad;
}

/* ------------------------------------------------------------------ */
/* Strings                                                             */
/* ------------------------------------------------------------------ */

/* Append N Latin-1 bytes (a BIFF8 string without high bytes) as UTF-8. */
static void put_latin1(gk_buf_t *out, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned c = p[i];
        if (c < 0x80) {
            if (c >= 0x20 || c == '\t' || c == '\n')
                gk_buf_putc(out, (char)c);
        } else {
            char u[2] = {(char)(0xC0 | c >> 6), (char)(0x80 | (c & 0x3F))};
            gk_buf_append(out, u, 2);
        }
    }
}

/* Read a BIFF8 string of CCH characters after its header (flags byte
 * included) into OUT. At each CONTINUE the characters go on with a new
 * flags byte saying whether they have high bytes. */
static int read_chars(cursor_t *c, size_t cch, gk_buf_t *out)
{
    unsigned char hdr[1];
    if (!cursor_read(c, hdr, 1))
        return 0;
    unsigned flags = hdr[0];
    size_t runs = 0, ext = 0;
    unsigned char tmp[4];
    if (flags & 0x08) {
        if (!cursor_read(c, tmp, 2))
            return 0;
        runs = 4 * (size_t)gk_rd16(tmp);
    }
    if (flags & 0x04) {
        if (!cursor_read(c, tmp, 4))
            return 0;
        ext = gk_rd32(tmp);
    }
    int high = flags & 0x01;
    while (cch) {
        if (!cursor_avail(c)) {
            if (!cursor_continue(c) || !cursor_avail(c)) {
                c->bad = 1;
                return 0;
            }
            high = c->cur.p[c->pos++] & 0x01;
            continue;
        }
        size_t unit = high ? 2 : 1, n = cursor_avail(c) / unit;
        if (n > cch)
            n = cch;
        if (n == 0) {   /* half a character before the boundary */
            c->bad = 1;
            return 0;
        }
        if (high)
            gk_ole_put16(out, c->cur.p + c->pos, n);
        else
            put_latin1(out, c->cur.p + c->pos, n);
        c->pos += n * unit;
        cch -= n;
    }
    return cursor_read(c, NULL, runs) && cursor_read(c, NULL, ext);
}

/* A string of a BIFF8 (XLUnicodeString: 16-bit count, or 8-bit when
 * SHORT) or BIFF5 (count then bytes in the workbook's code page) record. */
static int read_string(cursor_t *c, unsigned biff, const char *charset, int short_count, gk_buf_t *out)
{
    unsigned char n[2] = {0, 0};
    if (!cursor_read(c, n, short_count ? 1 : 2))
        return 0;
    size_t cch = short_count ? n[0] : gk_rd16(n);
    if (biff == BIFF8)
        return read_chars(c, cch, out);
    if (cch > cursor_avail(c))
        cch = cursor_avail(c);   /* BIFF5 strings never continue */
    gk_ole_put8(out, charset, c->cur.p + c->pos, cch);
    c->pos += cch;
    return 1;
}

/* ------------------------------------------------------------------ */
/* Number formats                                                      */
/* ------------------------------------------------------------------ */

enum { FMT_NUMBER, FMT_DATE, FMT_TIME, FMT_DATETIME };

/* The kind of a built-in format index (the Chinese-locale date formats
 * 27-36 and 50-58 included). */
static int builtin_kind(unsigned ifmt)
{
    if ((ifmt >= 14 && ifmt <= 17) || (ifmt >= 27 && ifmt <= 31) || (ifmt >= 34 && ifmt <= 36) ||
        (ifmt >= 50 && ifmt <= 58))
        return FMT_DATE;
    if (ifmt == 22)
        return FMT_DATETIME;
    if ((ifmt >= 18 && ifmt <= 21) || ifmt == 32 || ifmt == 33 || (ifmt >= 45 && ifmt <= 47))
        return FMT_TIME;
    return FMT_NUMBER;
}

/* The kind of a custom format code: quoted text, escapes and [..]
 * sections (colours, locales) are ignored, then y/d or m with them means
 * a date, h/s a time. "General" is a number despite its letters. */
static int code_kind(const char *s, size_t n)
{
    int date = 0, time = 0, month = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '"') {
            while (++i < n && s[i] != '"')
                ;
        } else if (ch == '\\' || ch == '_' || ch == '*') {
            i++;
        } else if (ch == '[') {
            while (++i < n && s[i] != ']')
                ;
        } else if ((ch == 'G' || ch == 'g') && n - i >= 7 && strncasecmp(s + i, "general", 7) == 0) {
            i += 6;
        } else if (ch == 'y' || ch == 'Y' || ch == 'd' || ch == 'D' || ch == 'e') {
            date = 1;
        } else if (ch == 'm' || ch == 'M') {
            month = 1;
        } else if (ch == 'h' || ch == 'H' || ch == 's' || ch == 'S') {
            time = 1;
        } else if (ch == ';') {
            break;   /* the positive section decides */
        }
    }
    if (month && !time)
        date = 1;
    return date && time ? FMT_DATETIME : date ? FMT_DATE : time ? FMT_TIME : FMT_NUMBER;
}

/* ------------------------------------------------------------------ */
/* The workbook                                                        */
/* ------------------------------------------------------------------ */

typedef struct {
    size_t off, len;
} span_t;

typedef struct {
    uint32_t pos;     /* stream offset of its BOF */
    span_t name;      /* in book_t.names */
} sheet_t;

typedef struct {
    uint32_t row;
    uint16_t col;
    uint32_t seq;     /* record order, for a stable sort */
    span_t text;      /* in book_t.cells */
} cell_t;

typedef struct {
    stream_t st;
    unsigned biff;
    const char *charset;
    int date1904;
    span_t *sst;        /* shared strings, in sst_text */
    size_t nsst;
    gk_buf_t sst_text;
    uint16_t *xf_fmt;         /* per XF index: its number format */
    unsigned char *xf_kind;   /* per XF index: FMT_* of that format */
    size_t nxf;
    struct {
        uint16_t ifmt;
        unsigned char kind;
    } *fmts;
    size_t nfmt;
    sheet_t *sheets;
    size_t nsheets;
    gk_buf_t names;
    cell_t *cell;       /* of the current sheet */
    size_t ncell, capcell;
    gk_buf_t cells;
    gk_fields_t *out;
    const gk_extract_limits_t *lim;
} book_t;

/* Grow *P (elements of SIZE) to hold N+1, doubling. */
static int grow(void *p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 1;
    size_t c = *cap ? 2 * *cap : 16;
    void *q = realloc(*(void **)p, c * size);
    if (!q)
        return 0;
    *(void **)p = q;
    *cap = c;
    return 1;
}

static gk_status_t nomem(book_t *b) { return gk_fields_fail(b->out, GK_ERR_NOMEM, "out of memory reading the workbook"); }

static gk_status_t read_sst(book_t *b, const record_t *r)
{
    if (r->len < 8)
        return gk_fields_fail(b->out, GK_ERR_BAD_FILE, "shared string table truncated");
    uint32_t count = gk_rd32(r->p + 4);
    /* Each string takes at least 3 bytes of the SST and its CONTINUEs,
     * which lie within the rest of the stream. */
    size_t room = b->st.len - (size_t)(r->p - b->st.s);
    if (count > room / 3)
        return gk_fields_fail(b->out, GK_ERR_BAD_FILE, "shared string table claims %u strings in %zu bytes",
                              count, room);
    cursor_t c;
    cursor_init(&c, &b->st, r);
    c.pos = 8;
    size_t cap = 0;
    for (uint32_t k = 0; k < count; k++) {
        if (!grow(&b->sst, &cap, b->nsst, sizeof *b->sst))
            return nomem(b);
        size_t start = b->sst_text.len;
        if (!read_string(&c, b->biff, b->charset, 0, &b->sst_text)) {
            b->sst_text.len = start;
            break;   /* a short table: the strings read so far are kept */
        }
        b->sst[b->nsst++] = (span_t){start, b->sst_text.len - start};
        if (b->sst_text.len > b->lim->max_text_bytes)
            return gk_fields_fail(b->out, GK_ERR_TOO_LARGE, "shared strings exceed the text limit");
    }
    return gk_buf_failed(&b->sst_text) ? nomem(b) : GK_OK;
}

static gk_status_t read_format(book_t *b, const record_t *r, size_t *cap)
{
    if (r->len < 3)
        return GK_OK;
    cursor_t c;
    cursor_init(&c, &b->st, r);
    c.pos = 2;
    gk_buf_t code = GK_BUF_INIT;
    int ok = read_string(&c, b->biff, b->charset, b->biff != BIFF8, &code);
    if (ok && grow(&b->fmts, cap, b->nfmt, sizeof *b->fmts)) {
        b->fmts[b->nfmt].ifmt = gk_rd16(r->p);
        b->fmts[b->nfmt].kind = (unsigned char)code_kind(gk_buf_str(&code), code.len);
        b->nfmt++;
    }
    gk_buf_free(&code);
    return GK_OK;
}

static gk_status_t read_boundsheet(book_t *b, const record_t *r, size_t *cap)
{
    if (r->len < 7 || r->p[5] != 0)   /* dt 0: a worksheet (not a chart or macro sheet) */
        return GK_OK;
    if (!grow(&b->sheets, cap, b->nsheets, sizeof *b->sheets))
        return nomem(b);
    cursor_t c;
    cursor_init(&c, &b->st, r);
    c.pos = 6;
    size_t start = b->names.len;
    if (!read_string(&c, b->biff, b->charset, 1, &b->names))
        b->names.len = start;
    b->sheets[b->nsheets++] = (sheet_t){gk_rd32(r->p), {start, b->names.len - start}};
    return GK_OK;
}

/* The globals substream: everything before the first sheet. */
static gk_status_t read_globals(book_t *b)
{
    record_t r;
    if (!record_at(&b->st, 0, &r) || r.type != R_BOF || r.len < 4)
        return gk_fields_fail(b->out, GK_ERR_BAD_FILE, "workbook stream does not start with a BOF record");
    b->biff = gk_rd16(r.p);
    if (b->biff != BIFF8 && b->biff != 0x0500)
        return gk_fields_fail(b->out, GK_ERR_BAD_FILE, "Excel BIFF version %#x not supported", b->biff);
    size_t capfmt = 0, capsheet = 0, capxf = 0;
    gk_status_t st = GK_OK;
    for (size_t at = r.next; st == GK_OK && record_at(&b->st, at, &r) && r.type != R_EOF; at = r.next) {
        switch (r.type) {
        case R_FILEPASS:
            return gk_fields_fail(b->out, GK_ERR_ENCRYPTED, "encrypted (password required)");
        case R_CODEPAGE:
            if (r.len >= 2)
                b->charset = gk_ole_charset(gk_rd16(r.p));
            break;
        case R_DATEMODE:
            b->date1904 = r.len >= 2 && gk_rd16(r.p) == 1;
            break;
        case R_FORMAT:
            st = read_format(b, &r, &capfmt);
            break;
        case R_XF:
            if (!grow(&b->xf_fmt, &capxf, b->nxf, sizeof *b->xf_fmt))
                return nomem(b);
            b->xf_fmt[b->nxf++] = r.len >= 4 ? gk_rd16(r.p + 2) : 0;
            break;
        case R_SST:
            if (b->biff == BIFF8 && !b->sst)
                st = read_sst(b, &r);
            break;
        case R_BOUNDSHEET:
            st = read_boundsheet(b, &r, &capsheet);
            break;
        default:
            break;
        }
    }
    return st;
}

static int fmt_cmp(const void *a, const void *b)
{
    return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

/* Each XF's kind of number, once all FORMAT records are known: a FORMAT
 * record redefines a built-in index when it names one. */
static gk_status_t resolve_formats(book_t *b)
{
    if (b->nfmt)
        qsort(b->fmts, b->nfmt, sizeof *b->fmts, fmt_cmp);
    if (b->nxf && !(b->xf_kind = malloc(b->nxf)))
        return nomem(b);
    for (size_t k = 0; k < b->nxf; k++) {
        uint16_t key = b->xf_fmt[k];
        size_t lo = 0, hi = b->nfmt;
        int kind = builtin_kind(key);
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (b->fmts[mid].ifmt < key) {
                lo = mid + 1;
            } else if (b->fmts[mid].ifmt > key) {
                hi = mid;
            } else {
                kind = b->fmts[mid].kind;
                break;
            }
        }
        b->xf_kind[k] = (unsigned char)kind;
    }
    return GK_OK;
}

/* Days since 1970-01-01 to a civil date (proleptic Gregorian). */
static void civil(long long z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* A serial date as text; 0 when out of the range Excel shows as dates. */
static int format_date(double v, int kind, int date1904, char *s, size_t n)
{
    if (!(v >= 0 && v < 2958466))   /* 9999-12-31 and before */
        return 0;
    long long total = llround(v * 86400.0), days = total / 86400, secs = total % 86400;
    char hms[16];
    snprintf(hms, sizeof hms, "%02lld:%02lld:%02lld", secs / 3600, secs / 60 % 60, secs % 60);
    if (kind == FMT_TIME || (days == 0 && !date1904 && kind != FMT_DATE)) {
        snprintf(s, n, "%s", hms);
        return 1;
    }
    int y;
    unsigned m, d;
    if (!date1904 && days == 60) {   /* the 1900-02-29 Lotus kept */
        y = 1900, m = 2, d = 29;
    } else {
        /* 1900 system: serial 1 is 1900-01-01, with the fictitious leap
         * day after serial 59; 1904 system: serial 0 is 1904-01-01. */
        long long epoch = date1904 ? -24107 : days < 60 ? -25568 : -25569;
        civil(days + epoch, &y, &m, &d);
    }
    if (kind == FMT_DATETIME && secs)
        snprintf(s, n, "%04d-%02u-%02u %s", y, m, d, hms);
    else
        snprintf(s, n, "%04d-%02u-%02u", y, m, d);
    return 1;
}

static double rk_value(uint32_t rk)
{
    double v;
    if (rk & 2) {
        v = (double)((int32_t)rk >> 2);
    } else {
        uint64_t bits = (uint64_t)(rk & 0xFFFFFFFCu) << 32;
        memcpy(&v, &bits, sizeof v);
    }
    return rk & 1 ? v / 100 : v;
}

static double le_double(const unsigned char *p)
{
    uint64_t bits = gk_rd32(p) | (uint64_t)gk_rd32(p + 4) << 32;
    double v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

/* Begin a cell at ROW, COL; its text is what is appended to b->cells
 * until the next cell. */
static int cell_begin(book_t *b, uint32_t row, uint16_t col)
{
    if (!grow(&b->cell, &b->capcell, b->ncell, sizeof *b->cell))
        return 0;
    b->cell[b->ncell] = (cell_t){row, col, (uint32_t)b->ncell, {b->cells.len, 0}};
    b->ncell++;
    return 1;
}

static void cell_end(book_t *b) { b->cell[b->ncell - 1].text.len = b->cells.len - b->cell[b->ncell - 1].text.off; }

static int add_text(book_t *b, uint32_t row, uint16_t col, const char *s, size_t len)
{
    if (!cell_begin(b, row, col))
        return 0;
    gk_buf_append(&b->cells, s, len);
    cell_end(b);
    return 1;
}

static int add_number(book_t *b, const unsigned char *rec, double v)
{
    unsigned xf = gk_rd16(rec + 4);
    int kind = xf < b->nxf ? b->xf_kind[xf] : FMT_NUMBER;
    char s[48];
    if (kind == FMT_NUMBER || !format_date(v, kind, b->date1904, s, sizeof s)) {
        if (!isfinite(v))
            return 1;
        snprintf(s, sizeof s, "%.15g", v == 0 ? 0.0 : v);
    }
    return add_text(b, gk_rd16(rec), gk_rd16(rec + 2), s, strlen(s));
}

static int add_string(book_t *b, const record_t *r, uint32_t row, uint16_t col, size_t at)
{
    cursor_t c;
    cursor_init(&c, &b->st, r);
    c.pos = at;
    if (!cell_begin(b, row, col))
        return 0;
    if (!read_string(&c, b->biff, b->charset, 0, &b->cells))
        b->cells.len = b->cell[b->ncell - 1].text.off;   /* a damaged string is left out */
    cell_end(b);
    return 1;
}

static const char *error_text(unsigned code)
{
    switch (code) {
    case 0x00: return "#NULL!";
    case 0x07: return "#DIV/0!";
    case 0x0F: return "#VALUE!";
    case 0x17: return "#REF!";
    case 0x1D: return "#NAME?";
    case 0x24: return "#NUM!";
    case 0x2A: return "#N/A";
    default: return "#ERROR";
    }
}

/* One cell record; FORMULA_AT keeps the cell of a formula whose string
 * result follows in a STRING record. Returns 0 on allocation failure. */
static int read_cell(book_t *b, const record_t *r, uint32_t *formula_at)
{
    const unsigned char *p = r->p;
    uint32_t pending = *formula_at;
    *formula_at = UINT32_MAX;
    switch (r->type) {
    case R_LABELSST: {
        if (r->len < 10)
            return 1;
        uint32_t k = gk_rd32(p + 6);
        if (k >= b->nsst)
            return 1;
        return add_text(b, gk_rd16(p), gk_rd16(p + 2), b->sst_text.data + b->sst[k].off, b->sst[k].len);
    }
    case R_LABEL:
    case R_RSTRING:
        return r->len < 8 || add_string(b, r, gk_rd16(p), gk_rd16(p + 2), 6);
    case R_NUMBER:
        return r->len < 14 || add_number(b, p, le_double(p + 6));
    case R_RK:
        return r->len < 10 || add_number(b, p, rk_value(gk_rd32(p + 6)));
    case R_MULRK: {
        if (r->len < 6)
            return 1;
        unsigned char rec[6];   /* row, col, xf as an RK record has them */
        memcpy(rec, p, 2);
        unsigned col = gk_rd16(p + 2);
        for (size_t i = 4; i + 6 <= r->len - 2; i += 6, col++) {
            rec[2] = (unsigned char)col;
            rec[3] = (unsigned char)(col >> 8);
            memcpy(rec + 4, p + i, 2);
            if (!add_number(b, rec, rk_value(gk_rd32(p + i + 2))))
                return 0;
        }
        return 1;
    }
    case R_BOOLERR:
        if (r->len < 8)
            return 1;
        if (p[7])
            return add_text(b, gk_rd16(p), gk_rd16(p + 2), error_text(p[6]), strlen(error_text(p[6])));
        return add_text(b, gk_rd16(p), gk_rd16(p + 2), p[6] ? "TRUE" : "FALSE", p[6] ? 4 : 5);
    case R_FORMULA:
        if (r->len < 14)
            return 1;
        if (gk_rd16(p + 12) != 0xFFFF)
            return add_number(b, p, le_double(p + 6));
        if (p[6] == 0)
            *formula_at = (uint32_t)gk_rd16(p) << 16 | gk_rd16(p + 2);
        else if (p[6] == 1)
            return add_text(b, gk_rd16(p), gk_rd16(p + 2), p[8] ? "TRUE" : "FALSE", p[8] ? 4 : 5);
        else if (p[6] == 2)
            return add_text(b, gk_rd16(p), gk_rd16(p + 2), error_text(p[8]), strlen(error_text(p[8])));
        return 1;
    case R_STRING:
        return pending == UINT32_MAX || add_string(b, r, pending >> 16, (uint16_t)pending, 0);
    default:
        *formula_at = pending;   /* SHRFMLA, ARRAY and TABLE come between */
        return 1;
    }
}

static int cell_cmp(const void *x, const void *y)
{
    const cell_t *a = x, *b = y;
    if (a->row != b->row)
        return a->row < b->row ? -1 : 1;
    if (a->col != b->col)
        return a->col < b->col ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* The sheet's cells, row by row, after its name. */
static void write_sheet(book_t *b, const sheet_t *sh)
{
    gk_buf_t *out = &b->out->body;
    if (out->len && out->data[out->len - 1] != '\n')
        gk_buf_putc(out, '\n');
    gk_buf_append(out, b->names.data ? b->names.data + sh->name.off : "", sh->name.len);
    gk_buf_putc(out, '\n');
    if (b->ncell)
        qsort(b->cell, b->ncell, sizeof *b->cell, cell_cmp);
    int row_open = 0;
    for (size_t k = 0; k < b->ncell; k++) {
        const cell_t *c = &b->cell[k];
        if (!c->text.len)
            continue;
        if (row_open)
            gk_buf_putc(out, k && b->cell[k - 1].row == c->row ? '\t' : '\n');
        gk_buf_append(out, b->cells.data + c->text.off, c->text.len);
        row_open = 1;
    }
    if (row_open)
        gk_buf_putc(out, '\n');
}

/* Read one sheet; *WALKED grows by the bytes of stream it covered. */
static gk_status_t read_sheet(book_t *b, const sheet_t *sh, size_t *walked)
{
    record_t r;
    b->ncell = 0;
    gk_buf_reset(&b->cells);
    if (!record_at(&b->st, sh->pos, &r) || r.type != R_BOF)
        return gk_fields_fail(b->out, GK_ERR_BAD_FILE, "sheet offset %u is not a BOF record", sh->pos);
    unsigned depth = 1;   /* charts embedded in the sheet are substreams of their own */
    uint32_t formula_at = UINT32_MAX;
    for (size_t at = r.next; depth && record_at(&b->st, at, &r); at = r.next) {
        if (r.type == R_BOF)
            depth++;
        else if (r.type == R_EOF)
            depth--;
        else if (depth == 1 && !read_cell(b, &r, &formula_at))
            return nomem(b);
        if (b->cells.len > b->lim->max_text_bytes)
            return gk_fields_fail(b->out, GK_ERR_TOO_LARGE, "text exceeds the limit of %zu bytes",
                                  b->lim->max_text_bytes);
    }
    *walked += r.next > sh->pos ? r.next - sh->pos : 0;
    if (gk_buf_failed(&b->cells))
        return nomem(b);
    write_sheet(b, sh);
    if (b->out->body.len > b->lim->max_text_bytes)
        return gk_fields_fail(b->out, GK_ERR_TOO_LARGE, "text exceeds the limit of %zu bytes",
                              b->lim->max_text_bytes);
    return GK_OK;
}

static gk_status_t read_book(book_t *b)
{
    gk_status_t st = read_globals(b);
    if (st == GK_OK)
        st = resolve_formats(b);
    if (st == GK_OK && b->nsheets > b->lim->max_pages)
        st = gk_fields_fail(b->out, GK_ERR_TOO_LARGE, "%zu sheets exceed the limit of %u", b->nsheets,
                            b->lim->max_pages);
    if (st == GK_OK && gk_buf_failed(&b->names))
        st = nomem(b);
    /* Sheets whose offsets point into one another would make the work
     * grow with the square of the stream: the sheets together may cover
     * the stream once. */
    size_t walked = 0;
    for (size_t k = 0; st == GK_OK && k < b->nsheets; k++) {
        st = read_sheet(b, &b->sheets[k], &walked);
        if (st == GK_OK && walked > b->st.len)
            st = gk_fields_fail(b->out, GK_ERR_BAD_FILE, "sheets overlap in the workbook stream");
    }
    return st;
}

static void book_free(book_t *b)
{
    free(b->sst);
    gk_buf_free(&b->sst_text);
    free(b->xf_fmt);
    free(b->xf_kind);
    free(b->fmts);
    free(b->sheets);
    gk_buf_free(&b->names);
    free(b->cell);
    gk_buf_free(&b->cells);
}

static gk_status_t extract_workbook(GsfInfile *ole, const gk_input_t *in, const gk_extract_limits_t *lim,
                                    gk_fields_t *out)
{
    if (gk_ole_has(ole, "EncryptedPackage") || gk_ole_has(ole, "EncryptionInfo"))
        return gk_fields_fail(out, GK_ERR_ENCRYPTED, "encrypted (password required)");
    unsigned char *s;
    size_t n;
    gk_status_t st = gk_ole_read(ole, "Workbook", in->len, &s, &n, out);
    if (st == GK_OK && !s)
        st = gk_ole_read(ole, "Book", in->len, &s, &n, out);
    if (st != GK_OK)
        return st;
    if (!s)
        return gk_fields_fail(out, GK_ERR_BAD_FILE, "no Workbook stream");
    book_t b = {.st = {s, n}, .charset = "windows-1252", .out = out, .lim = lim};
    b.sst_text = b.names = b.cells = (gk_buf_t)GK_BUF_INIT;
    st = read_book(&b);
    book_free(&b);
    free(s);
    if (st == GK_OK)
        gk_ole_summary(ole, 0, out);
    return st;
}

static gk_status_t extract_xls(const gk_input_t *in, const gk_extract_limits_t *lim, gk_fields_t *out)
{
    GsfInfile *ole = gk_ole_open(in->data, in->len);
    if (!ole)
        return gk_fields_fail(out, GK_ERR_BAD_FILE, "not an OLE2 compound file");
    gk_status_t st = extract_workbook(ole, in, lim, out);
    g_object_unref(ole);
    return st;
}

static const char *const xls_types[] = {"application/vnd.ms-excel", NULL};
const gk_extractor_t gk_extractor_xls = {"xls", xls_types, extract_xls, 1};
