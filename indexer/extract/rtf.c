/*
 * rtf.c — RTF: a one-pass reader of the RTF token stream.
 *
 * The parser is a flat loop over the bytes with an explicit stack of group
 * states, so its time is linear in the input and its memory is the input's
 * text plus a stack of bounded depth. Groups nested beyond the cap are still
 * read: they share the state of the deepest stacked group, and a
 * destination opened among them is skipped by counting braces, so text
 * inside even 100,000 nested groups comes out.
 *
 * Text arrives three ways: plain bytes, \uN Unicode escapes (followed by
 * \ucN fallback characters that are skipped), and \'hh bytes in a code
 * page: the font's \fcharset, else the document's \ansicpg. Consecutive
 * \'hh bytes are decoded together, since one GBK or Big5 character is two.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ucnv.h>

#include "extract.h"
#include "utf8.h"

/* Group states kept when the limits give none, and at most. */
#define RTF_DEFAULT_DEPTH 256
#define RTF_MAX_DEPTH 65536
/* Font numbers with a recorded code page; Word's theme fonts reach 31507. */
#define RTF_MAX_FONTS 32768
/* Longest control word kept (the RTF specification allows 32 letters). */
#define RTF_MAX_WORD 32
/* Fallback characters skipped after \uN at most, whatever \ucN says. */
#define RTF_MAX_UC 255
/* Bytes of title or author kept at most. */
#define RTF_MAX_META 65536
/* ICU converters kept open for the code pages of one document. */
#define RTF_CONVERTERS 8

/* Where the text of a group goes. */
enum {
    D_BODY,     /* the document text */
    D_SKIP,     /* nowhere: a destination that is not text */
    D_FONTTBL,  /* nowhere, but \fN \fcharsetN define code pages */
    D_INFO,     /* nowhere, but \title, \author and the dates are read */
    D_TITLE,
    D_AUTHOR,
    D_CREATIM,
    D_REVTIM,
    D_NONE = 0xFF /* no \upr around the group */
};

/* Font code-page entries that depend on the document code page. */
#define CP_UNSET 0
#define CP_ANSI 1      /* \fcharset0 */
#define CP_DEFAULT 2   /* \fcharset1 */

typedef struct {
    unsigned char dest;
    unsigned char upr_dest;  /* the destination \ud restores inside \upr */
    unsigned char uc;        /* fallback characters after each \uN */
    unsigned char dbch_sel;  /* \dbch selected: \afN names the double-byte font */
    int font;                /* \fN in force, -1 for the default font */
    int dbch_font;           /* \dbch\afN in force, -1 for none */
} group_t;

typedef struct {
    int yr, mo, dy, hr, min, sec;
} rtf_time_t;

typedef struct {
    int cp;
    UConverter *cnv;
} converter_t;

typedef struct {
    const unsigned char *s;
    size_t len, pos;
    size_t max_text;

    group_t cur;
    group_t *stack;
    unsigned depth, cap;
    unsigned long extra;     /* groups open beyond the cap */
    unsigned long skip_at;   /* among those, the level of a skipped destination */
    int done;                /* the outermost group has closed */
    int star;                /* \* seen: an unknown destination follows */
    unsigned ucskip;         /* fallback characters still to skip */
    uint16_t high;           /* a high surrogate waiting for its pair */

    int doc_cp;
    int deff;
    uint16_t *fontcp;        /* per font number: a code page or CP_* */

    gk_buf_t run;            /* \'hh bytes not yet decoded */
    int run_cp;
    int run_alt_cp;          /* the code page if the run is not whole pairs */
    int run_trail;           /* the run ends in a double-byte lead byte */

    gk_buf_t *body, title, author;
    rtf_time_t created, modified;
    converter_t cnv[RTF_CONVERTERS];
    unsigned next_cnv;
    gk_status_t error;       /* a failure that stops the parse */
} parser_t;

/* ------------------------------------------------------------------ */
/* Output                                                               */
/* ------------------------------------------------------------------ */

static unsigned char dest_of(const parser_t *p)
{
    return p->skip_at ? D_SKIP : p->cur.dest;
}

static gk_buf_t *sink(parser_t *p)
{
    switch (dest_of(p)) {
    case D_BODY:
        return p->body;
    case D_TITLE:
        return &p->title;
    case D_AUTHOR:
        return &p->author;
    default:
        return NULL;
    }
}

/* Append C to the current destination; control characters other than
 * layout ones never reach the text. */
static void put_cp(parser_t *p, uint32_t c)
{
    gk_buf_t *b = sink(p);
    if (!b || (b != p->body && b->len >= RTF_MAX_META))
        return;
    if ((c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7F && c <= 0x9F) || c == 0xFEFF ||
        c > 0x10FFFF)
        return;
    if (c >= 0xD800 && c <= 0xDFFF)
        c = 0xFFFD;
    char u[4];
    gk_buf_append(b, u, (size_t)gk_utf8_put(c, u));
    if (b == p->body && b->len > p->max_text && !p->error)
        p->error = GK_ERR_TOO_LARGE;
}

/* A high surrogate not followed by its low half is damage. */
static void drop_high(parser_t *p)
{
    if (p->high) {
        p->high = 0;
        put_cp(p, 0xFFFD);
    }
}

static void emit(parser_t *p, uint32_t c)
{
    drop_high(p);
    put_cp(p, c);
}

/* One UTF-16 code unit, from \uN or from a decoded byte run. */
static void emit_unit(parser_t *p, uint16_t u)
{
    if (u >= 0xD800 && u <= 0xDBFF) {
        drop_high(p);
        p->high = u;
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
        if (p->high) {
            uint32_t c = 0x10000 + (((uint32_t)p->high - 0xD800) << 10) + (u - 0xDC00);
            p->high = 0;
            put_cp(p, c);
        } else {
            put_cp(p, 0xFFFD);
        }
    } else {
        emit(p, u);
    }
}

/* ------------------------------------------------------------------ */
/* Code pages                                                           */
/* ------------------------------------------------------------------ */

static int is_dbcs(int cp)
{
    return cp == 932 || cp == 936 || cp == 949 || cp == 950 || cp == 20936 || cp == 54936;
}

static int is_lead(int cp, unsigned char b)
{
    if (cp == 932)
        return (b >= 0x81 && b <= 0x9F) || (b >= 0xE0 && b <= 0xFC);
    return b >= 0x81 && b <= 0xFE;
}

/* The code page a \fcharsetN names. */
static int charset_cp(long charset)
{
    static const struct {
        int charset, cp;
    } map[] = {
        {0, CP_ANSI},   {1, CP_DEFAULT}, {2, 1252},   {77, 10000},  {128, 932},  {129, 949},
        {134, 936},     {136, 950},      {161, 1253}, {162, 1254},  {163, 1258}, {177, 1255},
        {178, 1256},    {186, 1257},     {204, 1251}, {222, 874},   {238, 1250}, {254, 437},
        {255, 850},
    };
    for (size_t k = 0; k < sizeof map / sizeof map[0]; k++)
        if (map[k].charset == charset)
            return map[k].cp;
    return CP_DEFAULT;
}

/*
 * The code page a font stands for (see current_cp for \fcharset0).
 */
static int font_cp(const parser_t *p, int font)
{
    int cp = (p->fontcp && font >= 0 && font < RTF_MAX_FONTS) ? p->fontcp[font] : CP_UNSET;
    if (cp == CP_UNSET || cp == CP_DEFAULT)
        return p->doc_cp;
    if (cp == CP_ANSI)
        return is_dbcs(p->doc_cp) ? p->doc_cp : 1252;
    return cp;
}

/*
 * The code page of \'hh bytes here: the current font's, else the
 * document's. \fcharset0 strictly means Windows-1252, but writers put it on
 * fonts carrying GBK or Big5 text in documents that declare \ansicpg936 or
 * 950, and for Chinese documents losing the Chinese text is far worse than
 * misreading a Latin accent; so in a double-byte document it means the
 * document's code page.
 */
static int current_cp(const parser_t *p)
{
    return font_cp(p, p->cur.font >= 0 ? p->cur.font : p->deff);
}

/*
 * Choose the code page of a byte run starting with B. Word names a Latin
 * font with \fN and the font of double-byte characters with \dbch\afN; as
 * Word does, a lead byte of the latter's code page starts a double-byte
 * character. The Latin code page stays in reserve for a run that turns out
 * not to be pairs (a lone accented letter).
 */
static void choose_run_cp(parser_t *p, unsigned char b)
{
    int cp = current_cp(p);
    p->run_cp = p->run_alt_cp = cp;
    if (is_dbcs(cp) || p->cur.dbch_font < 0)
        return;
    int dbcs = font_cp(p, p->cur.dbch_font);
    if (is_dbcs(dbcs) && is_lead(dbcs, b))
        p->run_cp = dbcs;
}

static const char *icu_name(int cp, char *tmp, size_t n)
{
    switch (cp) {
    case 936: case 20936: case 54936:
        return "GB18030";  /* a superset of GBK and GB2312 */
    case 950:
        return "windows-950";
    case 932:
        return "windows-31j";
    case 949:
        return "windows-949";
    case 10000:
        return "macintosh";
    case 65001:
        return "UTF-8";
    case 437: case 850: case 852: case 866:
        snprintf(tmp, n, "ibm-%d", cp);
        return tmp;
    default:
        snprintf(tmp, n, "windows-%d", cp);
        return tmp;
    }
}

/* An open converter for CP; unknown code pages are read as Windows-1252. */
static UConverter *converter(parser_t *p, int cp)
{
    for (unsigned k = 0; k < RTF_CONVERTERS; k++)
        if (p->cnv[k].cnv && p->cnv[k].cp == cp)
            return p->cnv[k].cnv;
    char tmp[32];
    UErrorCode st = U_ZERO_ERROR;
    UConverter *c = ucnv_open(icu_name(cp, tmp, sizeof tmp), &st);
    if (U_FAILURE(st)) {
        st = U_ZERO_ERROR;
        c = ucnv_open("windows-1252", &st);
        if (U_FAILURE(st))
            return NULL;
    }
    converter_t *slot = &p->cnv[p->next_cnv++ % RTF_CONVERTERS];
    if (slot->cnv)
        ucnv_close(slot->cnv);
    slot->cp = cp;
    slot->cnv = c;
    return c;
}

/* Decode the collected byte run into the current destination. */
static void flush_run(parser_t *p)
{
    if (!p->run.len)
        return;
    if (p->run_trail)
        p->run_cp = p->run_alt_cp;
    UConverter *c = converter(p, p->run_cp);
    if (!c) {
        p->error = GK_ERR_EXTRACTOR;
        p->run.len = 0;
        return;
    }
    ucnv_reset(c);
    const char *src = p->run.data, *end = src + p->run.len;
    UErrorCode st;
    do {
        UChar chunk[1024], *t = chunk;
        st = U_ZERO_ERROR;
        /* ICU's default callback substitutes what does not decode. */
        ucnv_toUnicode(c, &t, chunk + 1024, &src, end, NULL, 1, &st);
        for (UChar *u = chunk; u < t; u++)
            emit_unit(p, *u);
    } while (st == U_BUFFER_OVERFLOW_ERROR);
    p->run.len = 0;
    p->run_trail = 0;
}

static void add_byte(parser_t *p, unsigned char b)
{
    if (!p->run.len) {
        choose_run_cp(p, b);
        p->run_trail = 0;
    }
    gk_buf_putc(&p->run, (char)b);
    if (p->run_trail)
        p->run_trail = 0;
    else if (is_dbcs(p->run_cp) && is_lead(p->run_cp, b))
        p->run_trail = 1;
}

/* ------------------------------------------------------------------ */
/* Groups                                                               */
/* ------------------------------------------------------------------ */

static void settle(parser_t *p)
{
    flush_run(p);
    drop_high(p);
}

static void open_group(parser_t *p)
{
    settle(p);
    p->ucskip = 0;
    if (p->depth < p->cap)
        p->stack[p->depth++] = p->cur;
    else
        p->extra++;
}

static void close_group(parser_t *p)
{
    settle(p);
    p->ucskip = 0;
    p->star = 0;
    if (p->extra) {
        p->extra--;
        if (p->skip_at > p->extra)
            p->skip_at = 0;
    } else if (p->depth) {
        p->cur = p->stack[--p->depth];
        /* The document ends with its outermost group; what follows is
         * not RTF (often padding). */
        if (!p->depth)
            p->done = 1;
    }
}

/* Send the rest of the current group to DEST. */
static void set_dest(parser_t *p, unsigned char dest)
{
    if (p->extra) {
        /* Beyond the cap a group has no state of its own: anything but
         * body text is skipped up to the brace that closes it. */
        if (dest != D_BODY && !p->skip_at)
            p->skip_at = p->extra;
        return;
    }
    if (p->cur.dest != D_SKIP)
        p->cur.dest = dest;
}

/* ------------------------------------------------------------------ */
/* Control words                                                        */
/* ------------------------------------------------------------------ */

enum {
    K_CHAR,      /* a character (arg) */
    K_SKIP,      /* a destination that is not text */
    K_KEEP,      /* a destination whose text is document text */
    K_FONTTBL,
    K_INFO,
    K_INFOTEXT,  /* \title, \author: arg is the destination */
    K_INFOTIME,  /* \creatim, \revtim */
    K_TIMEPART,  /* \yr \mo ...: arg is the field index */
    K_UPR,
    K_UD,
    K_U,
    K_UC,
    K_BIN,
    K_F,
    K_AF,        /* an associated font: the double-byte one after \dbch */
    K_ACH,       /* \dbch (arg 1) or another associated-font selector */
    K_FCHARSET,
    K_CPG,
    K_DEFF,
    K_PLAIN,
    K_ANSICPG,
    K_DOCCP,     /* \ansi \mac \pc \pca: arg is the code page */
};

typedef struct {
    const char *name;
    unsigned char kind;
    unsigned arg;
} word_t;

/* Sorted by strcmp for bsearch. Unknown words are formatting and are
 * ignored, unless they follow \* (then their group is skipped). */
static const word_t words[] = {
    {"af", K_AF, 0},
    {"ansi", K_DOCCP, 1252},
    {"ansicpg", K_ANSICPG, 0},
    {"author", K_INFOTEXT, D_AUTHOR},
    {"bin", K_BIN, 0},
    {"bullet", K_CHAR, 0x2022},
    {"cell", K_CHAR, '\t'},
    {"colorschememapping", K_SKIP, 0},
    {"colortbl", K_SKIP, 0},
    {"cpg", K_CPG, 0},
    {"creatim", K_INFOTIME, D_CREATIM},
    {"datastore", K_SKIP, 0},
    {"dbch", K_ACH, 1},
    {"deff", K_DEFF, 0},
    {"dy", K_TIMEPART, 2},
    {"emdash", K_CHAR, 0x2014},
    {"emspace", K_CHAR, 0x2003},
    {"endash", K_CHAR, 0x2013},
    {"enspace", K_CHAR, 0x2002},
    {"f", K_F, 0},
    {"fcharset", K_FCHARSET, 0},
    {"field", K_KEEP, 0},
    {"fldinst", K_SKIP, 0},
    {"fldrslt", K_KEEP, 0},
    {"fonttbl", K_FONTTBL, 0},
    {"footer", K_KEEP, 0},
    {"footerf", K_KEEP, 0},
    {"footerl", K_KEEP, 0},
    {"footerr", K_KEEP, 0},
    {"footnote", K_KEEP, 0},
    {"generator", K_SKIP, 0},
    {"header", K_KEEP, 0},
    {"headerf", K_KEEP, 0},
    {"headerl", K_KEEP, 0},
    {"headerr", K_KEEP, 0},
    {"hich", K_ACH, 0},
    {"hr", K_TIMEPART, 3},
    {"info", K_INFO, 0},
    {"latentstyles", K_SKIP, 0},
    {"ldblquote", K_CHAR, 0x201C},
    {"line", K_CHAR, '\n'},
    {"listoverridetable", K_SKIP, 0},
    {"listtable", K_SKIP, 0},
    {"loch", K_ACH, 0},
    {"lquote", K_CHAR, 0x2018},
    {"ltrch", K_ACH, 0},
    {"mac", K_DOCCP, 10000},
    {"min", K_TIMEPART, 4},
    {"mo", K_TIMEPART, 1},
    {"nestcell", K_CHAR, '\t'},
    {"nestrow", K_CHAR, '\n'},
    {"nesttableprops", K_SKIP, 0},
    {"nextfile", K_SKIP, 0},
    {"nonesttables", K_SKIP, 0},
    {"nonshppict", K_SKIP, 0},
    {"objclass", K_SKIP, 0},
    {"objdata", K_SKIP, 0},
    {"page", K_CHAR, '\n'},
    {"par", K_CHAR, '\n'},
    {"pc", K_DOCCP, 437},
    {"pca", K_DOCCP, 850},
    {"pict", K_SKIP, 0},
    {"plain", K_PLAIN, 0},
    {"qmspace", K_CHAR, 0x2005},
    {"rdblquote", K_CHAR, 0x201D},
    {"result", K_KEEP, 0},
    {"revtim", K_INFOTIME, D_REVTIM},
    {"row", K_CHAR, '\n'},
    {"rquote", K_CHAR, 0x2019},
    {"rsidtbl", K_SKIP, 0},
    {"rtlch", K_ACH, 0},
    {"rxe", K_SKIP, 0},
    {"sec", K_TIMEPART, 5},
    {"sect", K_CHAR, '\n'},
    {"shpinst", K_KEEP, 0},
    {"shprslt", K_SKIP, 0},
    {"shptxt", K_KEEP, 0},
    {"sp", K_SKIP, 0},
    {"stylesheet", K_SKIP, 0},
    {"tab", K_CHAR, '\t'},
    {"tc", K_SKIP, 0},
    {"tcn", K_SKIP, 0},
    {"template", K_SKIP, 0},
    {"themedata", K_SKIP, 0},
    {"title", K_INFOTEXT, D_TITLE},
    {"txe", K_SKIP, 0},
    {"u", K_U, 0},
    {"uc", K_UC, 0},
    {"ud", K_UD, 0},
    {"upr", K_UPR, 0},
    {"xe", K_SKIP, 0},
    {"xmlnstbl", K_SKIP, 0},
    {"yr", K_TIMEPART, 0},
    {"zwj", K_CHAR, 0x200D},
    {"zwnj", K_CHAR, 0x200C},
};

static int word_cmp(const void *key, const void *elem)
{
    return strcmp((const char *)key, ((const word_t *)elem)->name);
}

static void set_time(rtf_time_t *t, unsigned field, long v)
{
    int x = (int)v;
    switch (field) {
    case 0: t->yr = x; break;
    case 1: t->mo = x; break;
    case 2: t->dy = x; break;
    case 3: t->hr = x; break;
    case 4: t->min = x; break;
    default: t->sec = x; break;
    }
}

/* \bin N: N raw bytes that are never text. */
static void skip_binary(parser_t *p, int has_arg, long n)
{
    if (has_arg && n > 0)
        p->pos += (size_t)n < p->len - p->pos ? (size_t)n : p->len - p->pos;
}

/* \uN: a UTF-16 code unit, written as a signed 16-bit number by most
 * writers and unsigned by some. */
static void unicode(parser_t *p, int has_arg, long n)
{
    if (!has_arg)
        return;
    if (n < 0)
        n += 65536;
    if (n >= 0 && n <= 0xFFFF)
        emit_unit(p, (uint16_t)n);
    else if (n > 0xFFFF && n <= 0x10FFFF)
        emit(p, (uint32_t)n);
    p->ucskip = p->cur.uc;
}

static void font_word(parser_t *p, const word_t *w, int has_arg, long n)
{
    int in_range = has_arg && n >= 0 && n < RTF_MAX_FONTS;
    switch (w->kind) {
    case K_F:
        p->cur.font = in_range ? (int)n : -1;
        break;
    case K_AF:
        if (p->cur.dbch_sel)
            p->cur.dbch_font = in_range ? (int)n : -1;
        break;
    case K_ACH:
        p->cur.dbch_sel = (unsigned char)w->arg;
        break;
    case K_DEFF:
        p->deff = in_range ? (int)n : 0;
        break;
    default: /* \fcharset, \cpg inside a font definition */
        if (dest_of(p) != D_FONTTBL || p->cur.font < 0 || !has_arg)
            break;
        if (!p->fontcp) {
            p->fontcp = calloc(RTF_MAX_FONTS, sizeof *p->fontcp);
            if (!p->fontcp) {
                p->error = GK_ERR_NOMEM;
                break;
            }
        }
        if (w->kind == K_FCHARSET)
            p->fontcp[p->cur.font] = (uint16_t)charset_cp(n);
        else if (n > CP_DEFAULT && n <= 65535)
            p->fontcp[p->cur.font] = (uint16_t)n;
        break;
    }
}

static void info_word(parser_t *p, const word_t *w, int has_arg, long n)
{
    unsigned char d = dest_of(p);
    switch (w->kind) {
    case K_INFO:
        set_dest(p, D_INFO);
        break;
    case K_INFOTEXT:
        if (d == D_INFO && !p->extra)
            gk_buf_reset(w->arg == D_TITLE ? &p->title : &p->author);
        set_dest(p, d == D_INFO ? (unsigned char)w->arg : D_SKIP);
        break;
    case K_INFOTIME:
        if (d == D_INFO && !p->extra)
            memset(w->arg == D_CREATIM ? &p->created : &p->modified, 0, sizeof(rtf_time_t));
        set_dest(p, d == D_INFO ? (unsigned char)w->arg : D_SKIP);
        break;
    default: /* K_TIMEPART */
        if (has_arg && (d == D_CREATIM || d == D_REVTIM))
            set_time(d == D_CREATIM ? &p->created : &p->modified, w->arg, n);
        break;
    }
}

static void do_word(parser_t *p, const char *name, int has_arg, long n)
{
    int star = p->star;
    p->star = 0;
    const word_t *w = bsearch(name, words, sizeof words / sizeof words[0], sizeof words[0], word_cmp);
    if (p->ucskip) {
        /* A control word stands for one fallback character. */
        p->ucskip--;
        if (w && w->kind == K_BIN)
            skip_binary(p, has_arg, n);
        return;
    }
    flush_run(p);
    if (!w) {
        if (star)
            set_dest(p, D_SKIP);
        return;
    }
    switch (w->kind) {
    case K_CHAR:
        emit(p, w->arg);
        break;
    case K_SKIP:
        set_dest(p, D_SKIP);
        break;
    case K_KEEP:
        break;
    case K_FONTTBL:
        set_dest(p, D_FONTTBL);
        break;
    case K_INFO: case K_INFOTEXT: case K_INFOTIME: case K_TIMEPART:
        info_word(p, w, has_arg, n);
        break;
    case K_UPR:
        /* {\upr{ANSI text}{\*\ud{Unicode text}}}: only the second is read. */
        if (!p->extra) {
            p->cur.upr_dest = p->cur.dest;
            p->cur.dest = D_SKIP;
        }
        break;
    case K_UD:
        if (!p->extra && p->cur.upr_dest != D_NONE)
            p->cur.dest = p->cur.upr_dest;
        break;
    case K_U:
        unicode(p, has_arg, n);
        break;
    case K_UC:
        p->cur.uc = (unsigned char)(!has_arg || n < 0 ? 0 : n > RTF_MAX_UC ? RTF_MAX_UC : n);
        break;
    case K_BIN:
        skip_binary(p, has_arg, n);
        break;
    case K_F: case K_AF: case K_ACH: case K_FCHARSET: case K_CPG: case K_DEFF:
        font_word(p, w, has_arg, n);
        break;
    case K_PLAIN:
        p->cur.font = -1;
        p->cur.dbch_font = -1;
        break;
    case K_ANSICPG:
        if (has_arg && n > CP_DEFAULT && n <= 65535)
            p->doc_cp = (int)n;
        break;
    default: /* K_DOCCP */
        p->doc_cp = (int)w->arg;
        break;
    }
}

/* ------------------------------------------------------------------ */
/* Tokens                                                               */
/* ------------------------------------------------------------------ */

/* Can C, an ASCII byte written as itself, end a double-byte character of CP? */
static int is_ascii_trail(int cp, unsigned char c)
{
    return (c >= 0x40 && c <= 0x7E) || (cp == 54936 && c >= '0' && c <= '9');
}

/* A byte of text: ASCII goes out at once, other bytes (and the ASCII
 * trail byte of a double-byte character) join the byte run. */
static void text_byte(parser_t *p, unsigned char c)
{
    if (p->ucskip) {
        p->ucskip--;
        return;
    }
    if (!sink(p))
        return;
    if (c >= 0x80 || (p->run_trail && is_ascii_trail(p->run_cp, c))) {
        add_byte(p, c);
        return;
    }
    flush_run(p);
    emit(p, c);
}

/* ASCII classes, whatever the locale. */
static int is_letter(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int hex_value(unsigned char c)
{
    if (is_digit(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static void hex_byte(parser_t *p)
{
    if (p->len - p->pos < 2) {
        p->pos = p->len;  /* a byte cut off by the end of the file */
        return;
    }
    int hi = hex_value(p->s[p->pos]), lo = hex_value(p->s[p->pos + 1]);
    if (hi < 0 || lo < 0)
        return;
    p->pos += 2;
    if (p->ucskip) {
        p->ucskip--;
        return;
    }
    if (sink(p))
        add_byte(p, (unsigned char)(hi << 4 | lo));
}

static void control_symbol(parser_t *p, unsigned char c)
{
    if (c == '\'') {
        hex_byte(p);
        return;
    }
    if (c == '*') {
        p->star = 1;
        return;
    }
    if (c == '\\' || c == '{' || c == '}') {
        text_byte(p, c);
        return;
    }
    if (p->ucskip) {
        p->ucskip--;
        return;
    }
    switch (c) {
    case '~':
        flush_run(p);
        emit(p, 0xA0);
        break;
    case '_':
        flush_run(p);
        emit(p, 0x2011);
        break;
    case '\r': case '\n':  /* a backslash ending a line is \par */
        flush_run(p);
        emit(p, '\n');
        break;
    default:  /* \- optional hyphen, \: index subentry, \| formula */
        break;
    }
}

/* After a backslash: a control word \letters[-digits][space] or a symbol. */
static void control(parser_t *p)
{
    if (p->pos >= p->len)
        return;
    const unsigned char *s = p->s;
    if (!is_letter(s[p->pos])) {
        control_symbol(p, s[p->pos++]);
        return;
    }
    char name[RTF_MAX_WORD + 2];
    size_t n = 0;
    while (p->pos < p->len && is_letter(s[p->pos])) {
        if (n <= RTF_MAX_WORD)
            name[n++] = (char)s[p->pos];
        p->pos++;
    }
    name[n] = '\0';  /* a word too long keeps 33 letters and matches nothing */

    int neg = 0, has_arg = 0;
    long v = 0;
    if (p->pos < p->len && s[p->pos] == '-' && p->pos + 1 < p->len && is_digit(s[p->pos + 1])) {
        neg = 1;
        p->pos++;
    }
    while (p->pos < p->len && is_digit(s[p->pos])) {
        if (v < 100000000L)
            v = v * 10 + (s[p->pos] - '0');
        has_arg = 1;
        p->pos++;
    }
    if (neg)
        v = -v;
    if (p->pos < p->len && s[p->pos] == ' ')
        p->pos++;
    do_word(p, name, has_arg, v);
}

static void parse(parser_t *p)
{
    while (p->pos < p->len && !p->done && !p->error) {
        unsigned char c = p->s[p->pos++];
        switch (c) {
        case '{':
            open_group(p);
            break;
        case '}':
            close_group(p);
            break;
        case '\\':
            control(p);
            break;
        case '\r': case '\n':
            break;
        default:
            text_byte(p, c);
            break;
        }
    }
    settle(p);
}

/* ------------------------------------------------------------------ */
/* Results                                                              */
/* ------------------------------------------------------------------ */

/* A metadata string with its layout characters turned into spaces and
 * the ends trimmed. */
static gk_status_t set_text_field(char **field, gk_buf_t *b)
{
    char *s = b->data;
    size_t len = b->len;
    if (!s)
        return GK_OK;
    for (size_t k = 0; k < len; k++)
        if (s[k] == '\n' || s[k] == '\t')
            s[k] = ' ';
    while (len && s[0] == ' ') {
        s++;
        len--;
    }
    while (len && s[len - 1] == ' ')
        len--;
    return len ? gk_fields_set(field, s, len) : GK_OK;
}

static gk_status_t set_time_field(char **field, const rtf_time_t *t)
{
    char tmp[40];
    if (t->yr < 1 || t->yr > 9999)
        return GK_OK;
    if (t->mo < 1 || t->mo > 12 || t->dy < 1 || t->dy > 31)
        snprintf(tmp, sizeof tmp, "%04d", t->yr);
    else if (t->hr < 0 || t->hr > 23 || t->min < 0 || t->min > 59 || t->sec < 0 || t->sec > 59)
        snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", t->yr, t->mo, t->dy);
    else
        snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02d", t->yr, t->mo, t->dy, t->hr,
                 t->min, t->sec);
    return gk_fields_set(field, tmp, strlen(tmp));
}

/* Does DATA start with "{\rtf", after blanks and a UTF-8 BOM? */
static int is_rtf(const unsigned char *data, size_t len, size_t *start)
{
    size_t i = 0;
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        i = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n' ||
                       data[i] == '\f' || data[i] == '\v'))
        i++;
    *start = i;
    return len - i >= 5 && !memcmp(data + i, "{\\rtf", 5);
}

static void parser_free(parser_t *p)
{
    for (unsigned k = 0; k < RTF_CONVERTERS; k++)
        if (p->cnv[k].cnv)
            ucnv_close(p->cnv[k].cnv);
    free(p->stack);
    free(p->fontcp);
    gk_buf_free(&p->run);
    gk_buf_free(&p->title);
    gk_buf_free(&p->author);
}

static gk_status_t finish(parser_t *p, const gk_extract_limits_t *lim, gk_fields_t *out)
{
    if (p->error == GK_ERR_TOO_LARGE)
        return gk_fields_fail(out, GK_ERR_TOO_LARGE, "text exceeds the limit of %zu bytes",
                              lim->max_text_bytes);
    if (p->error == GK_ERR_EXTRACTOR)
        return gk_fields_fail(out, GK_ERR_EXTRACTOR, "no ICU converter for code page %d",
                              p->run_cp);
    if (p->error == GK_ERR_NOMEM || gk_buf_failed(&out->body) || gk_buf_failed(&p->run) ||
        gk_buf_failed(&p->title) || gk_buf_failed(&p->author))
        return gk_fields_fail(out, GK_ERR_NOMEM, "out of memory");
    char cs[32];
    snprintf(cs, sizeof cs, "cp%d", p->doc_cp);
    if (gk_fields_set(&out->charset, cs, strlen(cs)) != GK_OK ||
        set_text_field(&out->title, &p->title) != GK_OK ||
        set_text_field(&out->author, &p->author) != GK_OK ||
        set_time_field(&out->created, &p->created) != GK_OK ||
        set_time_field(&out->modified, &p->modified) != GK_OK)
        return gk_fields_fail(out, GK_ERR_NOMEM, "out of memory");
    return GK_OK;
}

static gk_status_t rtf_extract(const gk_input_t *in, const gk_extract_limits_t *lim,
                               gk_fields_t *out)
{
    size_t start;
    if (!is_rtf(in->data, in->len, &start))
        return gk_fields_fail(out, GK_ERR_BAD_FILE, "not an RTF file (no {\\rtf header)");

    parser_t p;
    memset(&p, 0, sizeof p);
    p.s = in->data;
    p.len = in->len;
    p.pos = start;
    p.max_text = lim->max_text_bytes;
    p.cap = lim->max_xml_depth ? lim->max_xml_depth : RTF_DEFAULT_DEPTH;
    if (p.cap > RTF_MAX_DEPTH)
        p.cap = RTF_MAX_DEPTH;
    p.stack = malloc(p.cap * sizeof *p.stack);
    if (!p.stack)
        return gk_fields_fail(out, GK_ERR_NOMEM, "out of memory");
    p.cur.dest = D_BODY;
    p.cur.upr_dest = D_NONE;
    p.cur.uc = 1;
    p.cur.font = -1;
    p.cur.dbch_font = -1;
    p.doc_cp = 1252;
    gk_buf_reset(&out->body);
    p.body = &out->body;

    parse(&p);
    gk_status_t rc = finish(&p, lim, out);
    parser_free(&p);
    return rc;
}

static const char *const rtf_types[] = {"text/rtf", "application/rtf", NULL};
const gk_extractor_t gk_extractor_rtf = {"rtf", rtf_types, rtf_extract, 0};
