/* manifest.c — the 归档文件目录 (filing list) read from CSV (manifest.h). */
#include "manifest.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csv.h"
#include "decode.h"
#include "readfile.h"

/* ------------------------------------------------------------------ */
/* Columns                                                              */
/* ------------------------------------------------------------------ */

typedef enum column {
    COL_NUMBER,
    COL_ARCHIVE_CODE,
    COL_ORGAN,
    COL_DOCNO,
    COL_TITLE,
    COL_DATE,
    COL_PAGES,
    COL_VISIBILITY,
    COL_NOTE,
    COL_FILE,
    COL_COUNT
} column_t;

/* The names a header may give each column; the first is the one messages
 * use when the column is missing. */
static const char *const column_names[COL_COUNT][6] = {
    [COL_NUMBER] = {"件号", "序号"},
    [COL_ARCHIVE_CODE] = {"档号"},
    [COL_ORGAN] = {"责任者", "发文机关"},
    [COL_DOCNO] = {"文号", "发文字号"},
    [COL_TITLE] = {"题名", "标题", "文件题名"},
    [COL_DATE] = {"日期", "成文日期"},
    [COL_PAGES] = {"页数"},
    [COL_VISIBILITY] = {"密级", "公开属性", "公开方式", "密级/公开属性", "密级／公开属性"},
    [COL_NOTE] = {"备注"},
    [COL_FILE] = {"文件名", "文件", "电子文件名"},
};

/* Rows before the header that name no known column are taken for a
 * printed list's title lines, but only this many. */
#define HEADER_SEARCH 5
/* A list may give 密级 and 公开属性 in separate columns. */
#define MAX_VIS_COLUMNS 4

typedef struct layout {
    size_t ncols;                  /* fields in the header row */
    long at[COL_COUNT];            /* field of each column, -1 when absent */
    char *name[COL_COUNT];         /* as the header wrote it, for messages */
    size_t vis[MAX_VIS_COLUMNS];   /* every visibility column */
    char *vis_name[MAX_VIS_COLUMNS];
    size_t nvis;
} layout_t;

static column_t column_of(const char *name)
{
    for (int c = 0; c < COL_COUNT; c++)
        for (int k = 0; column_names[c][k]; k++)
            if (strcmp(name, column_names[c][k]) == 0)
                return (column_t)c;
    return COL_COUNT;
}

/* ------------------------------------------------------------------ */
/* Values                                                               */
/* ------------------------------------------------------------------ */

/* Length of the blank at S, or 0: ASCII blanks and line breaks, the
 * ideographic and no-break spaces spreadsheets of Chinese text carry, and
 * a stray byte order mark. */
static size_t blank_at(const unsigned char *s, size_t n)
{
    if (n >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n'))
        return 1;
    if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
        return 2;
    if (n >= 3 && ((s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) ||
                   (s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)))
        return 3;
    return 0;
}

/* The length of a blank ending at S[n-1], or 0. */
static size_t blank_before(const unsigned char *s, size_t n)
{
    for (size_t k = 1; k <= 3 && k <= n; k++)
        if (blank_at(s + n - k, k) == k)
            return k;
    return 0;
}

/* S without the blanks at either end: *start and *len. */
static void trim_span(const char *s, size_t *start, size_t *len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s), a = 0, k;
    while ((k = blank_at(u + a, n - a)) > 0)
        a += k;
    while (n > a && (k = blank_before(u + a, n - a)) > 0)
        n -= k;
    *start = a;
    *len = n - a;
}

static int is_blank(const char *s)
{
    size_t a, n;
    trim_span(s, &a, &n);
    return n == 0;
}

/* A trimmed copy of S, or NULL when S is blank; *nomem on failure. */
static char *dup_trimmed(const char *s, int *nomem)
{
    size_t a, n;
    trim_span(s, &a, &n);
    if (n == 0)
        return NULL;
    char *d = malloc(n + 1);
    if (!d) {
        *nomem = 1;
        return NULL;
    }
    memcpy(d, s + a, n);
    d[n] = '\0';
    return d;
}

/* Read between MIN and MAX ASCII digits at *P into *V. */
static int digits(const char **p, int min, int max, int *v)
{
    int n = 0, x = 0;
    while (n < max && **p >= '0' && **p <= '9') {
        x = x * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    *v = x;
    return n >= min && !(**p >= '0' && **p <= '9');
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

/* S as YYYY-MM-DD in OUT; 0 when S is not a date in one of the forms the
 * header comment lists. The two separators of a form must be the same. */
static int parse_date(const char *s, char out[11])
{
    int y = 0, m = 0, d = 0;
    const char *p = s;
    size_t n = strlen(s);
    if (n == 8 && strspn(s, "0123456789") == 8) {
        y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
        m = (s[4] - '0') * 10 + (s[5] - '0');
        d = (s[6] - '0') * 10 + (s[7] - '0');
    } else {
        if (!digits(&p, 4, 4, &y))
            return 0;
        if (*p == '-' || *p == '/' || *p == '.') {
            char sep = *p++;
            if (!digits(&p, 1, 2, &m) || *p++ != sep || !digits(&p, 1, 2, &d) || *p)
                return 0;
        } else if (strncmp(p, "年", 3) == 0) {
            p += 3;
            if (!digits(&p, 1, 2, &m) || strncmp(p, "月", 3) != 0)
                return 0;
            p += 3;
            if (!digits(&p, 1, 2, &d) || strcmp(p, "日") != 0)
                return 0;
        } else {
            return 0;
        }
    }
    if (y < 1000 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return 0;
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
    return 1;
}

/* A page count: ASCII digits only, below a billion. -1 when not one. */
static int parse_pages(const char *s)
{
    while (*s == '0' && s[1])
        s++;
    size_t n = strlen(s);
    if (n == 0 || n > 9 || strspn(s, "0123456789") != n)
        return -1;
    return atoi(s);
}

static const char *skip_blanks(const char *p)
{
    size_t k;
    while ((k = blank_at((const unsigned char *)p, strlen(p))) > 0)
        p += k;
    return p;
}

/* A 保密期限 after a 密级: "1年", "6个月", "长期", or nothing. */
static int secrecy_period(const char *p)
{
    if (*p == '\0' || strcmp(p, "长期") == 0)
        return 1;
    int v;
    if (!digits(&p, 1, 3, &v))
        return 0;
    return strcmp(p, "年") == 0 || strcmp(p, "个月") == 0 || strcmp(p, "月") == 0;
}

/* A 密级, maybe with ★ and a period: "秘密", "机密★10年", "绝密 ★ 长期". */
static int is_secrecy(const char *s)
{
    static const char *const levels[] = {"秘密", "机密", "绝密"};
    for (size_t k = 0; k < 3; k++) {
        size_t n = strlen(levels[k]);
        if (strncmp(s, levels[k], n) != 0)
            continue;
        const char *p = skip_blanks(s + n);
        if (strncmp(p, "★", 3) == 0)
            p = skip_blanks(p + 3);
        else if (*p == '*')
            p = skip_blanks(p + 1);
        return secrecy_period(p);
    }
    return 0;
}

/* A gk_visibility_t, or -1 when S is none of the accepted values. */
static int parse_visibility(const char *s)
{
    if (strcmp(s, "主动公开") == 0 || strcmp(s, "公开") == 0 || strcasecmp(s, "public") == 0)
        return GK_VIS_PUBLIC;
    if (strcmp(s, "依申请公开") == 0 || strcasecmp(s, "application") == 0)
        return GK_VIS_APPLICATION;
    if (strcmp(s, "不予公开") == 0 || strcasecmp(s, "internal") == 0 || is_secrecy(s))
        return GK_VIS_INTERNAL;
    return -1;
}

/* ------------------------------------------------------------------ */
/* File names                                                           */
/* ------------------------------------------------------------------ */

/* The form of a 文件名 or path that matching compares: '\' as '/', no
 * empty or "." components, the extension's ASCII letters in lower case.
 * Malloc'd; *base is the offset of the last component. */
static char *file_key(const char *s, size_t *base)
{
    gk_buf_t b = GK_BUF_INIT;
    const char *p = s;
    if (*p == '/' || *p == '\\')
        gk_buf_putc(&b, '/');
    int first = 1;
    for (;;) {
        while (*p == '/' || *p == '\\')
            p++;
        if (!*p)
            break;
        size_t n = strcspn(p, "/\\");
        if (!(n == 1 && p[0] == '.')) {
            if (!first)
                gk_buf_putc(&b, '/');
            gk_buf_append(&b, p, n);
            first = 0;
        }
        p += n;
    }
    char *key = gk_buf_steal(&b);
    if (!key)
        return NULL;
    char *slash = strrchr(key, '/');
    *base = slash ? (size_t)(slash + 1 - key) : 0;
    char *dot = strrchr(key + *base, '.');
    for (char *c = dot; c && *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    return key;
}

static uint32_t hash_name(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* ------------------------------------------------------------------ */
/* The manifest                                                         */
/* ------------------------------------------------------------------ */

typedef struct entry {
    char *key;      /* file_key of the row's 文件名 */
    size_t base;    /* offset of its base name */
    size_t next;    /* next row with the same base-name hash, +1; 0 ends */
} entry_t;

struct gk_manifest {
    gk_manifest_row_t *rows;
    entry_t *ent;
    size_t n, cap;
    size_t *bucket; /* first row of each chain, +1; base names hashed */
    size_t nbucket; /* a power of two */
};

static void row_free(gk_manifest_row_t *r)
{
    free(r->number);
    free(r->archive_code);
    free(r->organ);
    free(r->docno);
    free(r->title);
    free(r->date);
    free(r->note);
    free(r->file);
}

void gk_manifest_free(gk_manifest_t *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        row_free(&m->rows[i]);
        free(m->ent[i].key);
    }
    free(m->rows);
    free(m->ent);
    free(m->bucket);
    free(m);
}

size_t gk_manifest_count(const gk_manifest_t *m) { return m ? m->n : 0; }

gk_manifest_row_t *gk_manifest_row(gk_manifest_t *m, size_t i) { return m && i < m->n ? &m->rows[i] : NULL; }

/* Append ROW (taken over, also on failure) with its key KEY. */
static gk_status_t add_row(gk_manifest_t *m, gk_manifest_row_t *row, char *key, size_t base)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 64;
        gk_manifest_row_t *rows = realloc(m->rows, cap * sizeof *rows);
        if (rows)
            m->rows = rows;
        entry_t *ent = rows ? realloc(m->ent, cap * sizeof *ent) : NULL;
        if (!ent) {
            row_free(row);
            free(key);
            return GK_ERR_NOMEM;
        }
        m->ent = ent;
        m->cap = cap;
    }
    m->rows[m->n] = *row;
    m->ent[m->n] = (entry_t){key, base, 0};
    m->n++;
    return GK_OK;
}

/* Is KEY (length kl) PATH's trailing components? */
static int is_suffix(const char *path, size_t pl, const char *key, size_t kl)
{
    if (kl > pl || memcmp(path + pl - kl, key, kl) != 0)
        return 0;
    return kl == pl || path[pl - kl - 1] == '/';
}

gk_manifest_row_t *gk_manifest_match(gk_manifest_t *m, const char *path)
{
    if (!m || !path || m->nbucket == 0)
        return NULL;
    size_t base;
    char *key = file_key(path, &base);
    if (!key)
        return NULL;
    size_t pl = strlen(key), best = 0, best_len = 0, only = 0, same = 0;
    for (size_t j = m->bucket[hash_name(key + base) & (m->nbucket - 1)]; j; j = m->ent[j - 1].next) {
        const entry_t *e = &m->ent[j - 1];
        if (strcmp(e->key + e->base, key + base) != 0)
            continue;
        same++;
        only = j;
        size_t kl = strlen(e->key);
        if (kl > best_len && is_suffix(key, pl, e->key, kl)) {
            best = j;
            best_len = kl;
        }
    }
    free(key);
    if (best)
        return &m->rows[best - 1];
    return same == 1 ? &m->rows[only - 1] : NULL;
}

/* ------------------------------------------------------------------ */
/* Messages                                                             */
/* ------------------------------------------------------------------ */

typedef struct message {
    int line;       /* 0: about the whole file */
    char *text;
} message_t;

/* The first GK_MANIFEST_MAX_ERRORS messages by line, and how many there
 * were in all: a damaged file can have one per row, and only the first few
 * are worth reading. */
typedef struct report {
    const char *source;
    message_t kept[GK_MANIFEST_MAX_ERRORS];
    size_t nkept, total;
    int nomem;
} report_t;

static void report(report_t *r, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void report(report_t *r, int line, const char *fmt, ...)
{
    r->total++;
    if (r->nkept == GK_MANIFEST_MAX_ERRORS && r->kept[r->nkept - 1].line <= line)
        return;
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    char *copy = strdup(text);
    if (!copy) {
        r->nomem = 1;
        return;
    }
    if (r->nkept == GK_MANIFEST_MAX_ERRORS)
        free(r->kept[--r->nkept].text);
    /* After every message on the same line, so each line's read in order. */
    size_t at = r->nkept;
    while (at > 0 && r->kept[at - 1].line > line)
        at--;
    memmove(&r->kept[at + 1], &r->kept[at], (r->nkept - at) * sizeof r->kept[0]);
    r->kept[at] = (message_t){line, copy};
    r->nkept++;
}

static void report_free(report_t *r)
{
    for (size_t i = 0; i < r->nkept; i++)
        free(r->kept[i].text);
    r->nkept = 0;
}

/* The messages, one a line (malloc'd), or NULL when out of memory. */
static char *report_text(const report_t *r)
{
    gk_buf_t b = GK_BUF_INIT;
    for (size_t i = 0; i < r->nkept; i++) {
        if (r->kept[i].line > 0)
            gk_buf_printf(&b, "%s:%d: %s\n", r->source, r->kept[i].line, r->kept[i].text);
        else
            gk_buf_printf(&b, "%s: %s\n", r->source, r->kept[i].text);
    }
    if (r->total > r->nkept)
        gk_buf_printf(&b, "%s: %zu more errors not shown\n", r->source, r->total - r->nkept);
    return gk_buf_steal(&b);
}

/* V fit for a one-line message: control characters as spaces, cut after
 * 40 characters. */
static const char *shown(const char *v, char *out, size_t outlen)
{
    size_t o = 0, chars = 0;
    const unsigned char *s = (const unsigned char *)v;
    while (*s && o + 8 < outlen) {
        if (chars == 40) {
            memcpy(out + o, "…", 3);
            o += 3;
            break;
        }
        size_t n = *s < 0x80 ? 1 : *s < 0xE0 ? 2 : *s < 0xF0 ? 3 : 4;
        if (n == 1) {
            out[o++] = (*s < 0x20 || *s == 0x7F) ? ' ' : (char)*s;
        } else {
            for (size_t k = 0; k < n && s[k]; k++)
                out[o++] = (char)s[k];
        }
        s += strnlen((const char *)s, n);
        chars++;
    }
    out[o] = '\0';
    return out;
}

/* ------------------------------------------------------------------ */
/* Parsing                                                              */
/* ------------------------------------------------------------------ */

typedef struct parser {
    report_t rep;
    layout_t lay;
    int have_header;
    int candidates;     /* non-blank rows seen while looking for the header */
    int first_line;     /* the first of them */
    gk_manifest_t *m;
} parser_t;

static void layout_free(layout_t *l)
{
    for (int c = 0; c < COL_COUNT; c++)
        free(l->name[c]);
    for (size_t k = 0; k < l->nvis; k++)
        free(l->vis_name[k]);
}

static int record_blank(const gk_csv_record_t *rec)
{
    for (size_t i = 0; i < rec->nfields; i++)
        if (!is_blank(rec->field[i]))
            return 0;
    return 1;
}

/* Does REC name at least one known column? */
static int names_a_column(const gk_csv_record_t *rec)
{
    for (size_t i = 0; i < rec->nfields; i++) {
        int nomem = 0;
        char *name = dup_trimmed(rec->field[i], &nomem);
        column_t c = name ? column_of(name) : COL_COUNT;
        free(name);
        if (c != COL_COUNT)
            return 1;
    }
    return 0;
}

/* Take REC as the header row. */
static void read_header(parser_t *p, const gk_csv_record_t *rec)
{
    layout_t *l = &p->lay;
    l->ncols = rec->nfields;
    int nomem = 0;
    for (size_t i = 0; i < rec->nfields; i++) {
        char *name = dup_trimmed(rec->field[i], &nomem);
        column_t c = name ? column_of(name) : COL_COUNT;
        if (c == COL_VISIBILITY && l->nvis < MAX_VIS_COLUMNS) {
            l->vis[l->nvis] = i;
            l->vis_name[l->nvis++] = name;
            if (l->at[c] < 0)
                l->at[c] = (long)i;
            continue;
        }
        if (c == COL_COUNT || c == COL_VISIBILITY) {
            free(name);
            continue;
        }
        if (l->at[c] >= 0) {
            report(&p->rep, rec->line, "columns '%s' and '%s' both give the %s", l->name[c], name,
                   column_names[c][0]);
            free(name);
            continue;
        }
        l->at[c] = (long)i;
        l->name[c] = name;
    }
    if (nomem)
        p->rep.nomem = 1;
    static const column_t required[] = {COL_FILE, COL_TITLE};
    for (size_t k = 0; k < 2; k++) {
        column_t c = required[k];
        if (l->at[c] >= 0)
            continue;
        gk_buf_t also = GK_BUF_INIT;
        for (int j = 1; column_names[c][j]; j++)
            gk_buf_printf(&also, "%s%s", j > 1 ? ", " : "", column_names[c][j]);
        report(&p->rep, rec->line, "the header has no %s column (nor %s)", column_names[c][0], gk_buf_str(&also));
        gk_buf_free(&also);
    }
}

/* The trimmed value of column C in REC, or NULL when absent or blank. */
static char *value(parser_t *p, const gk_csv_record_t *rec, column_t c)
{
    long at = p->lay.at[c];
    if (at < 0 || (size_t)at >= rec->nfields)
        return NULL;
    int nomem = 0;
    char *v = dup_trimmed(rec->field[at], &nomem);
    if (nomem)
        p->rep.nomem = 1;
    return v;
}

/* The row's visibility from every visibility column: they must agree. */
static int row_visibility(parser_t *p, const gk_csv_record_t *rec)
{
    const layout_t *l = &p->lay;
    int vis = -1;
    long from = -1;
    char tmp[256], tmp2[256];
    for (size_t k = 0; k < l->nvis; k++) {
        if (l->vis[k] >= rec->nfields)
            continue;
        int nomem = 0;
        char *v = dup_trimmed(rec->field[l->vis[k]], &nomem);
        if (nomem)
            p->rep.nomem = 1;
        if (!v)
            continue;
        int this = parse_visibility(v);
        if (this < 0) {
            report(&p->rep, rec->line, "%s '%s' is not 主动公开, 依申请公开, 不予公开 or a 密级", l->vis_name[k],
                   shown(v, tmp, sizeof tmp));
        } else if (vis >= 0 && this != vis) {
            int nomem2 = 0;
            char *prev = dup_trimmed(rec->field[l->vis[from]], &nomem2);
            report(&p->rep, rec->line, "%s '%s' and %s '%s' disagree", l->vis_name[from],
                   shown(prev ? prev : "", tmp2, sizeof tmp2), l->vis_name[k], shown(v, tmp, sizeof tmp));
            free(prev);
        } else if (vis < 0) {
            vis = this;
            from = (long)k;
        }
        free(v);
    }
    return vis;
}

/* Check and keep one data row. */
static void read_row(parser_t *p, const gk_csv_record_t *rec)
{
    const layout_t *l = &p->lay;
    char tmp[256];
    if (rec->nfields > l->ncols) {
        report(&p->rep, rec->line, "%zu fields, but the header names %zu columns (a comma in an unquoted value?)",
               rec->nfields, l->ncols);
        return;
    }
    gk_manifest_row_t row = {.line = rec->line, .pages = -1, .visibility = -1};
    row.number = value(p, rec, COL_NUMBER);
    row.archive_code = value(p, rec, COL_ARCHIVE_CODE);
    row.organ = value(p, rec, COL_ORGAN);
    row.docno = value(p, rec, COL_DOCNO);
    row.title = value(p, rec, COL_TITLE);
    row.note = value(p, rec, COL_NOTE);
    row.file = value(p, rec, COL_FILE);
    if (!row.title && l->at[COL_TITLE] >= 0)
        report(&p->rep, rec->line, "%s is empty", l->name[COL_TITLE]);

    char *date = value(p, rec, COL_DATE);
    if (date) {
        char iso[11];
        if (parse_date(date, iso)) {
            row.date = strdup(iso);
            if (!row.date)
                p->rep.nomem = 1;
        } else {
            report(&p->rep, rec->line, "%s '%s' is not a date", l->name[COL_DATE], shown(date, tmp, sizeof tmp));
        }
        free(date);
    }
    char *pages = value(p, rec, COL_PAGES);
    if (pages) {
        row.pages = parse_pages(pages);
        if (row.pages < 0)
            report(&p->rep, rec->line, "%s '%s' is not a number of pages", l->name[COL_PAGES],
                   shown(pages, tmp, sizeof tmp));
        free(pages);
    }
    row.visibility = row_visibility(p, rec);

    if (!row.file) {
        if (l->at[COL_FILE] >= 0)
            report(&p->rep, rec->line, "%s is empty", l->name[COL_FILE]);
        row_free(&row);
        return;
    }
    size_t base;
    char *key = file_key(row.file, &base);
    if (!key) {
        p->rep.nomem = 1;
        row_free(&row);
        return;
    }
    if (key[base] == '\0') {
        report(&p->rep, rec->line, "%s '%s' names no file", l->name[COL_FILE], shown(row.file, tmp, sizeof tmp));
        free(key);
        row_free(&row);
        return;
    }
    if (add_row(p->m, &row, key, base) != GK_OK)
        p->rep.nomem = 1;
}

static void read_record(parser_t *p, const gk_csv_record_t *rec)
{
    if (record_blank(rec))
        return;
    if (p->have_header) {
        read_row(p, rec);
        return;
    }
    if (p->candidates++ == 0)
        p->first_line = rec->line;
    if (names_a_column(rec)) {
        p->have_header = 1;
        read_header(p, rec);
    }
}

/* Hash the rows by base name, reporting each 文件名 listed again. */
static gk_status_t build_index(parser_t *p)
{
    gk_manifest_t *m = p->m;
    size_t nb = 16;
    while (nb < 2 * m->n)
        nb *= 2;
    m->bucket = calloc(nb, sizeof *m->bucket);
    if (!m->bucket)
        return GK_ERR_NOMEM;
    m->nbucket = nb;
    char tmp[256];
    for (size_t i = 0; i < m->n; i++) {
        entry_t *e = &m->ent[i];
        size_t *head = &m->bucket[hash_name(e->key + e->base) & (nb - 1)];
        size_t j = *head;
        while (j && strcmp(m->ent[j - 1].key, e->key) != 0)
            j = m->ent[j - 1].next;
        if (j) {
            /* Left out of the chain, so a third listing names the first. */
            report(&p->rep, m->rows[i].line, "%s '%s' is listed twice (also on line %d)", p->lay.name[COL_FILE],
                   shown(m->rows[i].file, tmp, sizeof tmp), m->rows[j - 1].line);
            continue;
        }
        e->next = *head;
        *head = i + 1;
    }
    return GK_OK;
}

/* Lines of TEXT holding U+FFFD: bytes the decoder could not read (or a
 * replacement character already there), which must not reach a title. */
static void report_damage(report_t *r, const char *text, size_t len)
{
    if (!memmem(text, len, "\xEF\xBF\xBD", 3))
        return;
    int line = 1, reported = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == len || text[i + 1] != '\n'))) {
            line++;
            reported = 0;
        } else if (!reported && text[i] == '\xEF' && i + 2 < len && memcmp(text + i, "\xEF\xBF\xBD", 3) == 0) {
            report(r, line, "bytes that are not valid UTF-8 or GB18030");
            reported = 1;
        }
    }
}

/* Spreadsheets save "Unicode text" tab-separated: when a tab comes before
 * any comma, the file is read that way. */
static char separator(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (text[i] == ',')
            return ',';
        if (text[i] == '\t')
            return '\t';
    }
    return ',';
}

static gk_status_t decode(const char *data, size_t len, report_t *rep, gk_buf_t *text)
{
    char decision[128];
    /* The list is UTF-8 or GB18030: naming GB18030 makes the decoder try
     * it before its statistics, which may prefer Big5 on short text. */
    gk_status_t rc = gk_decode_text((const unsigned char *)data, len, "gb18030", text, decision, sizeof decision);
    if (rc == GK_ERR_NOMEM)
        return rc;
    if (rc != GK_OK) {
        report(rep, 0, "not UTF-8 or GB18030 text");
        return GK_ERR_INVALID;
    }
    if (strncmp(decision, "utf-8", 5) != 0 && strncmp(decision, "utf-16", 6) != 0 &&
        strncmp(decision, "gb18030", 7) != 0) {
        report(rep, 0, "not UTF-8 or GB18030 text (it reads as %s)", decision);
        return GK_ERR_INVALID;
    }
    report_damage(rep, gk_buf_str(text), text->len);
    return GK_OK;
}

static gk_status_t read_records(parser_t *p, const char *text, size_t len)
{
    gk_csv_t csv;
    gk_csv_init(&csv, text, len, separator(text, len));
    gk_status_t rc;
    const gk_csv_record_t *rec;
    while ((rc = gk_csv_next(&csv, &rec)) == GK_OK && rec && !p->rep.nomem) {
        read_record(p, rec);
        if (!p->have_header && p->candidates >= HEADER_SEARCH)
            break;
    }
    if (rc == GK_ERR_INVALID) {
        report(&p->rep, csv.open_line, "a quoted value opened here is never closed");
        rc = GK_OK;
    }
    gk_csv_free(&csv);
    if (rc == GK_OK && !p->have_header && p->candidates > 0)
        report(&p->rep, p->first_line, "no header row naming the columns (文件名, 题名, ...)");
    return rc;
}

gk_status_t gk_manifest_parse(const char *data, size_t len, const char *source, gk_manifest_t **out,
                              char **errors)
{
    *out = NULL;
    if (errors)
        *errors = NULL;
    parser_t p = {.rep.source = source ? source : "manifest"};
    for (int c = 0; c < COL_COUNT; c++)
        p.lay.at[c] = -1;
    p.m = calloc(1, sizeof *p.m);
    gk_buf_t text = GK_BUF_INIT;
    gk_status_t rc = p.m ? decode(data, len, &p.rep, &text) : GK_ERR_NOMEM;
    if (rc == GK_OK)
        rc = read_records(&p, gk_buf_str(&text), text.len);
    if (rc == GK_OK && !p.rep.nomem)
        rc = build_index(&p);
    gk_buf_free(&text);
    layout_free(&p.lay);
    if (rc == GK_OK && p.rep.nomem)
        rc = GK_ERR_NOMEM;
    if ((rc == GK_OK || rc == GK_ERR_INVALID) && p.rep.total > 0) {
        rc = GK_ERR_INVALID;
        if (errors) {
            *errors = report_text(&p.rep);
            if (!*errors)
                rc = GK_ERR_NOMEM;
        }
    }
    report_free(&p.rep);
    if (rc != GK_OK) {
        gk_manifest_free(p.m);
        return rc;
    }
    *out = p.m;
    return GK_OK;
}

/* ------------------------------------------------------------------ */
/* Loading                                                              */
/* ------------------------------------------------------------------ */

static void set_error(char **errors, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void set_error(char **errors, const char *fmt, ...)
{
    if (!errors)
        return;
    gk_buf_t b = GK_BUF_INIT;
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    gk_buf_printf(&b, "%s\n", text);
    *errors = gk_buf_steal(&b);
}

/* The whole file PATH into *data (malloc'd), refusing one over the limit. */
static gk_status_t read_file(const char *path, char **data, size_t *len, char **errors)
{
    char why[256];
    gk_status_t rc = gk_read_file(path, GK_MANIFEST_MAX_BYTES, (unsigned char **)data, len, why, sizeof why);
    if (rc != GK_OK)
        set_error(errors, "cannot read %s: %s", path, why);
    /* A directory or device given as the manifest cannot be read. */
    return rc == GK_ERR_BAD_FILE ? GK_ERR_IO : rc;
}

gk_status_t gk_manifest_load(const char *path, gk_manifest_t **out, char **errors)
{
    *out = NULL;
    if (errors)
        *errors = NULL;
    char *data;
    size_t len;
    gk_status_t rc = read_file(path, &data, &len, errors);
    if (rc != GK_OK)
        return rc;
    rc = gk_manifest_parse(data, len, path, out, errors);
    free(data);
    return rc;
}
