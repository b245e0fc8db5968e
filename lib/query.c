/*
 * query.c — the query language, parsed and compiled to a Xapian query.
 *
 *   words            every word must match (a Chinese run matches as an
 *                    exact substring: a phrase of its bigrams)
 *   "exact phrase"   the words in this order, adjacent
 *   -word -"phrase"  must not match
 *   a OR b           either (binds tighter than the implicit AND)
 *   title:…  type:…  category:…  organ:…  year:2023  date:2023-01-01..2023-06-30
 *   docno:青政发〔2023〕12号 (any bracket form)  visibility:public|application|internal
 *                    (also 标题: 文种: 类别: 机关: 年度: 日期: 文号: 公开方式:)
 *
 * Ranking: the match is boosted, never widened, by the same clauses in the
 * title field, by the words standing together as an exact phrase, and by
 * the whole query equalling a title or a 文号, so exact-title, title and exact-phrase
 * matches come first (search.c then re-ranks the first hits by title); ICU
 * words of the query add weight for documents where they stand as words. Visibility is a filter added here, below the
 * query language: nothing a query says can lift it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>

#include "core.h"
#include "utf8.h"

#define MAX_CLAUSES 64
/* Terms in one clause: a phrase of 256 bigrams is a 257-character quote. */
#define MAX_TERMS 256
#define TITLE_WEIGHT 2.0
#define PHRASE_WEIGHT 1.5
#define EXACT_TITLE_WEIGHT 6.0
#define CJK_WORD_WEIGHT 0.5
/* An unfinished last word (gk_search_params_t.prefix) stands for at most
 * this many of the words it begins, the most frequent. */
#define PREFIX_EXPANSION 64

typedef enum field {
    F_NONE, F_TITLE, F_TYPE, F_CATEGORY, F_ORGAN, F_YEAR, F_DATE, F_DOCNO, F_VISIBILITY
} field_t;

typedef struct clause {
    field_t field;
    int negate;
    int quoted;
    int or_next;      /* joined to the next clause by OR */
    char *text;       /* the value, NUL-terminated */
} clause_t;

struct gk_query {
    clause_t clauses[MAX_CLAUSES];
    int n;
    char **marks;     /* folded strings to highlight */
    size_t nmarks, capmarks;
    char *keys[MAX_CLAUSES]; /* title keys of the positive words, for re-ranking */
    size_t nkeys;     /* 0 unless the query is plain words (no OR, no -, no fields) */
};

static const struct {
    const char *name;
    field_t field;
} field_names[] = {
    {"title", F_TITLE},    {"标题", F_TITLE},    {"题名", F_TITLE},    {"type", F_TYPE},
    {"文种", F_TYPE},      {"类型", F_TYPE},     {"category", F_CATEGORY}, {"类别", F_CATEGORY},
    {"分类", F_CATEGORY},  {"organ", F_ORGAN},   {"机关", F_ORGAN},    {"发文机关", F_ORGAN},
    {"year", F_YEAR},      {"年度", F_YEAR},     {"年份", F_YEAR},     {"date", F_DATE},
    {"日期", F_DATE},      {"docno", F_DOCNO},  {"文号", F_DOCNO},  {"发文字号", F_DOCNO},
    {"visibility", F_VISIBILITY}, {"公开方式", F_VISIBILITY},
};

void gk__query_free(gk_query_t *q)
{
    if (!q)
        return;
    for (int i = 0; i < q->n; i++)
        free(q->clauses[i].text);
    for (size_t i = 0; i < q->nmarks; i++)
        free(q->marks[i]);
    free(q->marks);
    for (size_t i = 0; i < q->nkeys; i++)
        free(q->keys[i]);
    free(q);
}

size_t gk__query_title_keys(const gk_query_t *q, const char *const **out)
{
    *out = (const char *const *)q->keys;
    return q->nkeys;
}

size_t gk__query_highlights(const gk_query_t *q, const char *const **out)
{
    *out = (const char *const *)q->marks;
    return q->nmarks;
}

/* ------------------------------------------------------------------ */
/* Lexing                                                               */
/* ------------------------------------------------------------------ */

static int is_space(uint32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x3000; }
static int is_quote(uint32_t c) { return c == '"' || c == 0x201C || c == 0x201D || c == 0xFF02; }
static int is_minus(uint32_t c) { return c == '-' || c == 0xFF0D; }
static int is_colon(uint32_t c) { return c == ':' || c == 0xFF1A; }

/* If S[i..] starts with "name:" for a known field, return it and advance. */
static field_t lex_field(const unsigned char *s, size_t len, size_t *i)
{
    for (size_t k = 0; k < sizeof field_names / sizeof field_names[0]; k++) {
        size_t n = strlen(field_names[k].name);
        if (*i + n < len && strncmp((const char *)s + *i, field_names[k].name, n) == 0) {
            size_t j = *i + n;
            if (is_colon(gk_utf8_next(s, len, &j))) {
                *i = j;
                return field_names[k].field;
            }
        }
    }
    return F_NONE;
}

static gk_status_t parse(gk_data_t *d, const char *text, gk_query_t *q)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t len = strlen(text), i = 0;
    while (i < len) {
        size_t j = i;
        uint32_t c = gk_utf8_next(s, len, &j);
        if (is_space(c)) {
            i = j;
            continue;
        }
        /* OR between two clauses (also "|"). */
        if ((c == 'O' && i + 2 <= len && s[i + 1] == 'R' && (i + 2 == len || s[i + 2] == ' ')) || c == '|') {
            if (q->n > 0)
                q->clauses[q->n - 1].or_next = 1;
            i = c == '|' ? j : i + 2;
            continue;
        }
        if (q->n == MAX_CLAUSES)
            return gk__fail(d, GK_ERR_INVALID, "too many words in the query (at most %d)", MAX_CLAUSES);
        clause_t *cl = &q->clauses[q->n];
        memset(cl, 0, sizeof *cl);
        if (is_minus(c)) {
            cl->negate = 1;
            i = j;
        }
        cl->field = lex_field(s, len, &i);
        size_t start = i, end;
        j = i;
        c = i < len ? gk_utf8_next(s, len, &j) : 0;
        if (i < len && is_quote(c)) {
            cl->quoted = 1;
            start = i = j;
            for (;;) {
                if (i >= len) {
                    end = i;
                    break;
                }
                size_t k = i;
                if (is_quote(gk_utf8_next(s, len, &k))) {
                    end = i;
                    i = k;
                    break;
                }
                i = k;
            }
        } else {
            while (i < len) {
                size_t k = i;
                if (is_space(gk_utf8_next(s, len, &k)))
                    break;
                i = k;
            }
            end = i;
        }
        if (end == start && cl->field == F_NONE && !cl->negate)
            continue;
        if (end == start)
            return gk__fail(d, GK_ERR_INVALID, "a field or '-' without a value in the query");
        cl->text = strndup(text + start, end - start);
        if (!cl->text)
            return GK_ERR_NOMEM;
        q->n++;
    }
    if (q->n > 0)
        q->clauses[q->n - 1].or_next = 0;
    return GK_OK;
}

/* ------------------------------------------------------------------ */
/* Compiling text clauses                                               */
/* ------------------------------------------------------------------ */

typedef struct run_collect {
    gkx_qb_t *qb;
    const char *prefix;
    int quoted;
    gkx_q parts[MAX_TERMS]; /* the clause's required parts (AND) */
    int nparts;
    gkx_q phrase[MAX_TERMS]; /* current run's positional terms */
    int overflow;         /* more terms than a clause may have */
    int nphrase;
    gkx_q words[64];      /* ICU words, for the ranking boost */
    int nwords;
    uint32_t run;
    gk_query_t *q;        /* NULL: no highlights wanted */
    gk_buf_t mark;        /* the folded text of the current run */
    gk_buf_t term;
    int last_is_word;     /* the last token so far is a word (or its stem) */
    gk_buf_t last_word;   /* that word, folded */
} run_collect_t;

static void add_mark(gk_query_t *q, const char *s, size_t len)
{
    if (!q || len == 0)
        return;
    for (size_t i = 0; i < q->nmarks; i++)
        if (strlen(q->marks[i]) == len && memcmp(q->marks[i], s, len) == 0)
            return;
    if (q->nmarks == q->capmarks) {
        size_t cap = q->capmarks ? 2 * q->capmarks : 8;
        char **m = realloc(q->marks, cap * sizeof *m);
        if (!m)
            return;
        q->marks = m;
        q->capmarks = cap;
    }
    char *copy = strndup(s, len);
    if (copy)
        q->marks[q->nmarks++] = copy;
}

static gkx_q make_term(run_collect_t *r, const char *extra, const char *text, size_t len)
{
    gk_buf_reset(&r->term);
    gk_buf_puts(&r->term, r->prefix);
    gk_buf_puts(&r->term, extra);
    gk_buf_append(&r->term, text, len);
    return gkx_q_term(r->qb, gk_buf_str(&r->term), r->term.len);
}

/*
 * WORD (the query term Q stands for it) or, when the word mixes letters and
 * digits, also its parts as a phrase: "GB3095" finds "GB 3095" too. (The
 * index holds the parts of such words, so "GB 3095" finds "GB3095".)
 */
static gkx_q word_or_parts(run_collect_t *r, gkx_q q, const char *word, size_t len)
{
    gkx_q parts[GK_MAX_WORD_PARTS];
    size_t n = 0, from = 0, i = 0;
    int digit = -1;
    while (i < len) {
        size_t at = i;
        int d = u_isdigit((UChar32)gk_utf8_next((const unsigned char *)word, len, &i)) != 0;
        if (digit >= 0 && d != digit) {
            if (n == GK_MAX_WORD_PARTS - 1)
                return q; /* an identifier: searched whole */
            parts[n++] = make_term(r, "", word + from, at - from);
            from = at;
        }
        digit = d;
    }
    if (n == 0)
        return q;
    parts[n++] = make_term(r, "", word + from, len - from);
    gkx_q either[2] = {q, gkx_q_combine(r->qb, GKX_PHRASE, parts, n)};
    return gkx_q_combine(r->qb, GKX_OR, either, 2);
}

/* Close the current run: unquoted, each run is its own required part; a
 * quoted clause keeps collecting across runs into one phrase. */
static void flush_run(run_collect_t *r, int end_of_clause)
{
    add_mark(r->q, gk_buf_str(&r->mark), r->mark.len);
    gk_buf_reset(&r->mark);
    if ((r->quoted && !end_of_clause) || r->nphrase == 0)
        return;
    gkx_q part = r->nphrase == 1 && !r->quoted && r->last_is_word
                     ? word_or_parts(r, r->phrase[0], gk_buf_str(&r->last_word), r->last_word.len)
                     : gkx_q_combine(r->qb, GKX_PHRASE, r->phrase, (size_t)r->nphrase);
    if (r->nparts < MAX_TERMS)
        r->parts[r->nparts++] = part;
    else
        r->overflow = 1;
    r->nphrase = 0;
}

static int collect_token(void *ctx, const gk_token_t *tok)
{
    run_collect_t *r = ctx;
    if (tok->run != r->run) {
        flush_run(r, 0);
        r->run = tok->run;
    }
    if (tok->kind != GK_TOKEN_WORD && tok->kind != GK_TOKEN_STEM)
        r->last_is_word = 0;
    switch (tok->kind) {
    case GK_TOKEN_WORD:
        r->last_is_word = 1;
        gk_buf_reset(&r->last_word);
        gk_buf_append(&r->last_word, tok->text, tok->len);
        gk_buf_append(&r->mark, tok->text, tok->len);
        if (r->nphrase < MAX_TERMS)
            r->phrase[r->nphrase++] = make_term(r, "", tok->text, tok->len);
        else
            r->overflow = 1;
        break;
    case GK_TOKEN_STEM:
        /* Unquoted, a word matches any word with the same stem. */
        if (!r->quoted && r->nphrase > 0)
            r->phrase[r->nphrase - 1] = make_term(r, GK_PREFIX_STEM, tok->text, tok->len);
        break;
    case GK_TOKEN_BIGRAM:
        if (r->mark.len == 0) {
            gk_buf_append(&r->mark, tok->text, tok->len);
        } else {
            /* Overlapping bigrams: only the second character is new. */
            size_t k = tok->len;
            while (k > 0 && ((unsigned char)tok->text[k - 1] & 0xC0) == 0x80)
                k--;
            if (k > 0)
                k--;
            gk_buf_append(&r->mark, tok->text + k, tok->len - k);
        }
        if (r->nphrase < MAX_TERMS)
            r->phrase[r->nphrase++] = make_term(r, "", tok->text, tok->len);
        else
            r->overflow = 1;
        break;
    case GK_TOKEN_UNIGRAM: {
        /* A lone character cannot take part in a phrase: it is required on
         * its own, as the last character of a run (its unigram) or as the
         * first of a bigram. */
        gk_buf_append(&r->mark, tok->text, tok->len);
        gkx_q either[2] = {make_term(r, "", tok->text, tok->len), -1};
        either[1] = gkx_q_wildcard(r->qb, gk_buf_str(&r->term), r->term.len, 0);
        if (r->nparts < MAX_TERMS)
            r->parts[r->nparts++] = gkx_q_combine(r->qb, GKX_OR, either, 2);
        else
            r->overflow = 1;
        break;
    }
    case GK_TOKEN_CJK_WORD:
        if (r->nwords < 64)
            r->words[r->nwords++] = make_term(r, "", tok->text, tok->len);
        break;
    case GK_TOKEN_WORD_PART: /* documents only: see word_or_parts */
        break;
    }
    return gk_buf_failed(&r->term) ? GK_ERR_NOMEM : 0;
}

/* Inside quotes, spaces between Chinese characters are typing, not breaks. */
static char *join_cjk_spaces(const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t len = strlen(text), i = 0;
    gk_buf_t b = GK_BUF_INIT;
    uint32_t prev = 0;
    while (i < len) {
        size_t start = i;
        uint32_t c = gk_utf8_next(s, len, &i);
        if (is_space(c) && gk_is_cjk(prev)) {
            size_t k = i;
            while (k < len) {
                size_t m = k;
                uint32_t e = gk_utf8_next(s, len, &m);
                if (!is_space(e)) {
                    if (gk_is_cjk(e))
                        i = k; /* drop the spaces */
                    break;
                }
                k = m;
            }
            if (i == k)
                continue;
        }
        gk_buf_append(&b, text + start, i - start);
        prev = c;
    }
    return gk_buf_steal(&b);
}

/*
 * Compile the text of one clause with term PREFIX ("" body, "S" title).
 * *match receives the required query (-1 when the text has no terms),
 * *words the optional ICU-word boost (-1 when none). UNFINISHED: the
 * clause's last word, if it ends in one, is still being typed.
 */
static gk_status_t compile_text(gk_data_t *d, gkx_qb_t *qb, const clause_t *cl, const char *prefix,
                                int unfinished, gk_query_t *q, gkx_q *match, gkx_q *words)
{
    gk_tokenizer_t *tok;
    gk_status_t rc = gk__tokenizer(d, &tok);
    if (rc != GK_OK)
        return rc;
    *match = *words = -1;
    char *text = cl->quoted ? join_cjk_spaces(cl->text) : strdup(cl->text);
    if (!text)
        return GK_ERR_NOMEM;
    run_collect_t *r = calloc(1, sizeof *r);
    if (!r) {
        free(text);
        return GK_ERR_NOMEM;
    }
    r->qb = qb;
    r->prefix = prefix;
    r->quoted = cl->quoted;
    r->q = q;
    int trc = gk_tokenize(tok, GK_TOKENIZE_QUERY, text, strlen(text), collect_token, r);
    if (trc == 0 && r->overflow)
        trc = GK_ERR_TOO_LARGE;
    if (trc == 0) {
        /* An unfinished word leaves the phrase and matches the words it
         * begins, wherever they stand. */
        int open_word = unfinished && r->last_is_word && r->nphrase > 0 && r->nparts < MAX_TERMS;
        if (open_word)
            r->nphrase--;
        flush_run(r, 1);
        if (open_word) {
            gk_buf_reset(&r->term);
            gk_buf_puts(&r->term, prefix);
            gk_buf_append(&r->term, r->last_word.data, r->last_word.len);
            r->parts[r->nparts++] = gkx_q_wildcard(qb, gk_buf_str(&r->term), r->term.len, PREFIX_EXPANSION);
        }
        if (r->nparts)
            *match = gkx_q_combine(qb, GKX_AND, r->parts, (size_t)r->nparts);
        if (r->nwords)
            *words = gkx_q_combine(qb, GKX_OR, r->words, (size_t)r->nwords);
    }
    gk_buf_free(&r->mark);
    gk_buf_free(&r->term);
    gk_buf_free(&r->last_word);
    free(r);
    free(text);
    if (trc == GK_ERR_ENCODING)
        return gk__fail(d, GK_ERR_INVALID, "the query is not valid UTF-8");
    if (trc == GK_ERR_TOO_LARGE)
        return gk__fail(d, GK_ERR_INVALID, "a word or phrase of the query is too long (at most %d terms)", MAX_TERMS);
    if (trc != 0)
        return gk__fail(d, (gk_status_t)trc, "cannot analyse the query");
    return gkx_qb_failed(qb) ? GK_ERR_NOMEM : GK_OK;
}

/* ------------------------------------------------------------------ */
/* Filters                                                              */
/* ------------------------------------------------------------------ */

/* The term PREFIX + KEY, taking KEY (malloc'd; NULL gives no term). */
static gkx_q key_term(gkx_qb_t *qb, const char *prefix, char *key)
{
    if (!key)
        return -1;
    gk_buf_t b = GK_BUF_INIT;
    gk_buf_puts(&b, prefix);
    gk_buf_puts(&b, key);
    free(key);
    gkx_q t = gkx_q_term(qb, gk_buf_str(&b), b.len);
    gk_buf_free(&b);
    return t;
}

static gkx_q filter_term(gkx_qb_t *qb, const char *prefix, const char *value)
{
    return key_term(qb, prefix, gk_fold_key(value, strlen(value)));
}

/* The term of a 文号 however it was typed (gk_docno_key). */
static gkx_q docno_term(gkx_qb_t *qb, const char *value) { return key_term(qb, GK_PREFIX_DOCNO, gk_docno_key(value)); }

/* Is TEXT written as a 文号 (code, a year in brackets, serial, 号), so that
 * the document bearing it should come before those citing it? */
static int looks_like_docno(const char *text)
{
    static const char *const open[] = {"〔", "[", "(", "（", "［", "【", "﹝", "〖"};
    const char *year = NULL;
    for (size_t i = 0; i < sizeof open / sizeof open[0] && !year; i++) {
        const char *o = strstr(text, open[i]);
        if (o)
            year = o + strlen(open[i]);
    }
    size_t n = strlen(text);
    while (n > 0 && (text[n - 1] == ' '))
        n--;
    return year && (year[0] == '1' || year[0] == '2') && n >= 3 && memcmp(text + n - 3, "号", 3) == 0;
}

static int valid_year(const char *s)
{
    if (strlen(s) != 4)
        return 0;
    for (int i = 0; i < 4; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* "YYYY", "YYYY-MM" or "YYYY-MM-DD" to the sortable YYYYMMDD form, as the
 * lower (HIGH=0) or upper (HIGH=1) end of the period it names. */
static int date_key(const char *s, int high, char out[9])
{
    int y, m = 0, dd = 0, n = 0;
    size_t len = strlen(s);
    if (len == 4 && sscanf(s, "%4d%n", &y, &n) == 1 && n == 4) {
        snprintf(out, 9, "%04d%s", y, high ? "1231" : "0101");
        return 1;
    }
    if (len == 7 && sscanf(s, "%4d-%2d%n", &y, &m, &n) == 2 && n == 7 && m >= 1 && m <= 12) {
        snprintf(out, 9, "%04d%02d%s", y, m, high ? "31" : "01");
        return 1;
    }
    if (len == 10 && sscanf(s, "%4d-%2d-%2d%n", &y, &m, &dd, &n) == 3 && n == 10 && m >= 1 && m <= 12 &&
        dd >= 1 && dd <= 31) {
        snprintf(out, 9, "%04d%02d%02d", y, m, dd);
        return 1;
    }
    return 0;
}

/* A date range "A..B", "A..", "..B" or a single period "A". */
static gk_status_t date_range(gk_data_t *d, gkx_qb_t *qb, const char *from, const char *to, gkx_q *out)
{
    char lo[9], hi[9];
    if (from && *from && !date_key(from, 0, lo))
        return gk__fail(d, GK_ERR_INVALID, "bad date '%s' (use YYYY, YYYY-MM or YYYY-MM-DD)", from);
    if (to && *to && !date_key(to, 1, hi))
        return gk__fail(d, GK_ERR_INVALID, "bad date '%s' (use YYYY, YYYY-MM or YYYY-MM-DD)", to);
    *out = gkx_q_value_range(qb, GK_SLOT_DATE, from && *from ? lo : NULL, to && *to ? hi : NULL);
    return GK_OK;
}

static gk_status_t date_clause(gk_data_t *d, gkx_qb_t *qb, const char *text, gkx_q *out)
{
    const char *dots = strstr(text, "..");
    if (!dots)
        return date_range(d, qb, text, text, out);
    char *from = strndup(text, (size_t)(dots - text));
    if (!from)
        return GK_ERR_NOMEM;
    gk_status_t rc = date_range(d, qb, from, dots + 2, out);
    free(from);
    return rc;
}

/* ------------------------------------------------------------------ */
/* The whole query                                                      */
/* ------------------------------------------------------------------ */

typedef struct parts {
    gkx_q v[MAX_CLAUSES + 16];
    size_t n;
} parts_t;

static void push(parts_t *p, gkx_q q)
{
    if (q >= 0 && p->n < sizeof p->v / sizeof p->v[0])
        p->v[p->n++] = q;
}

gk_status_t gk__query_compile(gk_data_t *d, const gk_search_params_t *p, gkx_qb_t *qb, gkx_q *root,
                              gk_query_t **out)
{
    *out = NULL;
    *root = -1;
    const char *text = p->query ? p->query : "";
    if (strlen(text) > GK_QUERY_MAX_BYTES)
        return gk__fail(d, GK_ERR_INVALID, "the query is too long (%zu bytes; at most %d)", strlen(text),
                        GK_QUERY_MAX_BYTES);
    if (!gk_utf8_valid((const unsigned char *)text, strlen(text)))
        return gk__fail(d, GK_ERR_INVALID, "the query is not valid UTF-8");
    gk_query_t *q = calloc(1, sizeof *q);
    if (!q)
        return GK_ERR_NOMEM;
    gk_buf_t whole = GK_BUF_INIT; /* positive plain text, for the exact-title boost */
    gk_status_t rc = parse(d, text, q);
    if (rc != GK_OK)
        goto fail;

    parts_t must = {0}, must_not = {0}, boosts = {0}, filters = {0};
    parts_t or_group = {0}, or_title = {0};
    int had_text = 0, matched_text = 0, plain = 1;
    for (int i = 0; i < q->n; i++) {
        clause_t *cl = &q->clauses[i];
        gkx_q m = -1, w = -1, t = -1, tw = -1;
        int unfinished;
        switch (cl->field) {
        case F_NONE:
        case F_TITLE:
            had_text = had_text || !cl->negate;
            unfinished = p->prefix && i == q->n - 1 && !cl->negate;
            rc = compile_text(d, qb, cl, cl->field == F_TITLE ? GK_PREFIX_TITLE : "", unfinished,
                              cl->negate ? NULL : q, &m, &w);
            if (rc == GK_OK && cl->field == F_NONE && !cl->negate)
                rc = compile_text(d, qb, cl, GK_PREFIX_TITLE, unfinished, NULL, &t, &tw);
            if (rc != GK_OK)
                goto fail;
            if (cl->negate) {
                if (m < 0)
                    had_text = 1; /* "-，" excludes nothing, and must not match everything */
                push(&must_not, m);
                plain = 0;
                continue;
            }
            if (m >= 0)
                matched_text = 1;
            if (cl->field == F_NONE) {
                if (whole.len)
                    gk_buf_putc(&whole, ' ');
                gk_buf_puts(&whole, cl->text);
                char *key = gk__title_key(cl->text);
                if (key)
                    q->keys[q->nkeys++] = key;
            } else {
                plain = 0;
            }
            push(&boosts, w >= 0 ? gkx_q_scale(qb, w, CJK_WORD_WEIGHT) : -1);
            break;
        case F_TYPE:
            m = filter_term(qb, GK_PREFIX_TYPE, cl->text);
            break;
        case F_CATEGORY:
            m = filter_term(qb, GK_PREFIX_CATEGORY, cl->text);
            break;
        case F_ORGAN:
            m = filter_term(qb, GK_PREFIX_ORGAN, cl->text);
            break;
        case F_DOCNO:
            m = docno_term(qb, cl->text);
            break;
        case F_VISIBILITY: {
            gk_visibility_t v;
            if (gk_visibility_parse(cl->text, &v) != GK_OK) {
                rc = gk__fail(d, GK_ERR_INVALID, "visibility: wants public, application or internal, not '%s'",
                              cl->text);
                goto fail;
            }
            m = filter_term(qb, GK_PREFIX_VISIBILITY, gk_visibility_name(v));
            break;
        }
        case F_YEAR:
            if (!valid_year(cl->text)) {
                rc = gk__fail(d, GK_ERR_INVALID, "year: wants a four-digit year, not '%s'", cl->text);
                goto fail;
            }
            m = filter_term(qb, GK_PREFIX_YEAR, cl->text);
            break;
        case F_DATE:
            if ((rc = date_clause(d, qb, cl->text, &m)) != GK_OK)
                goto fail;
            break;
        }
        if (cl->field != F_NONE && cl->field != F_TITLE) {
            /* Field filters restrict; negated ones exclude. */
            push(cl->negate ? &must_not : &filters, m);
            continue;
        }
        /* Positive text: gather OR groups, then AND them. */
        push(&or_group, m);
        push(&or_title, t);
        if (!cl->or_next) {
            if (or_group.n)
                push(&must, gkx_q_combine(qb, GKX_OR, or_group.v, or_group.n));
            if (or_title.n)
                push(&boosts, gkx_q_scale(qb, gkx_q_combine(qb, GKX_OR, or_title.v, or_title.n), TITLE_WEIGHT));
            or_group.n = or_title.n = 0;
        } else {
            plain = 0;
        }
    }

    if (plain && q->nkeys > 1) {
        /* Several words: where they stand together as typed ranks higher. */
        clause_t together = {.quoted = 1, .text = whole.data};
        gkx_q m, w;
        if ((rc = compile_text(d, qb, &together, "", 0, NULL, &m, &w)) != GK_OK)
            goto fail;
        push(&boosts, m >= 0 ? gkx_q_scale(qb, m, PHRASE_WEIGHT) : -1);
    }
    if (plain && whole.len) {
        /* A query that is a 文号: the document that bears it first, before
         * the documents citing it. */
        if (looks_like_docno(gk_buf_str(&whole)))
            push(&boosts, gkx_q_scale(qb, docno_term(qb, gk_buf_str(&whole)), EXACT_TITLE_WEIGHT));
        char *key = gk__title_key(gk_buf_str(&whole));
        if (key) {
            gk_buf_t t = GK_BUF_INIT;
            gk_buf_puts(&t, GK_PREFIX_EXACT_TITLE);
            gk_buf_puts(&t, key);
            push(&boosts, gkx_q_scale(qb, gkx_q_term(qb, gk_buf_str(&t), t.len), EXACT_TITLE_WEIGHT));
            gk_buf_free(&t);
        }
        free(key);
    }
    gk_buf_free(&whole);
    if (!plain) {
        for (size_t i = 0; i < q->nkeys; i++)
            free(q->keys[i]);
        q->nkeys = 0;
    }

    /* Parameters and scope: filters that no query text can lift. */
    if (p->category && *p->category)
        push(&filters, filter_term(qb, GK_PREFIX_CATEGORY, p->category));
    if (p->type && *p->type)
        push(&filters, filter_term(qb, GK_PREFIX_TYPE, p->type));
    if (p->organ && *p->organ)
        push(&filters, filter_term(qb, GK_PREFIX_ORGAN, p->organ));
    if (p->year) {
        char y[16];
        snprintf(y, sizeof y, "%d", p->year);
        push(&filters, filter_term(qb, GK_PREFIX_YEAR, y));
    }
    if ((p->from && *p->from) || (p->to && *p->to)) {
        gkx_q r;
        if ((rc = date_range(d, qb, p->from, p->to, &r)) != GK_OK)
            goto fail;
        push(&filters, r);
    }
    if (p->scope != GK_SCOPE_ALL)
        push(&filters, gkx_q_term(qb, GK_PREFIX_VISIBILITY "public", strlen(GK_PREFIX_VISIBILITY "public")));

    gkx_q query;
    if (had_text && !matched_text) {
        /* Only punctuation or the like: nothing can match. */
        query = gkx_q_match_nothing(qb);
    } else if (must.n) {
        query = gkx_q_combine(qb, GKX_AND, must.v, must.n);
        if (boosts.n) {
            gkx_q mb[MAX_CLAUSES + 17];
            mb[0] = query;
            memcpy(mb + 1, boosts.v, boosts.n * sizeof(gkx_q));
            query = gkx_q_combine(qb, GKX_AND_MAYBE, mb, boosts.n + 1);
        }
    } else {
        query = gkx_q_match_all(qb);
    }
    if (must_not.n) {
        gkx_q nots = gkx_q_combine(qb, GKX_OR, must_not.v, must_not.n);
        gkx_q pair[2] = {query, nots};
        query = gkx_q_combine(qb, GKX_AND_NOT, pair, 2);
    }
    /* Filters within one field OR together, across fields AND: here every
     * filter is ANDed, which is the same for the single-valued fields. */
    for (size_t i = 0; i < filters.n; i++) {
        gkx_q pair[2] = {query, filters.v[i]};
        query = gkx_q_combine(qb, GKX_FILTER, pair, 2);
    }
    if (query < 0 || gkx_qb_failed(qb)) {
        rc = gkx_qb_failed(qb) ? GK_ERR_NOMEM : gk__fail(d, GK_ERR_INTERNAL, "the query could not be built");
        goto fail;
    }
    *root = query;
    *out = q;
    return GK_OK;
fail:
    gk_buf_free(&whole);
    gk__query_free(q);
    return rc;
}
