/*
 * analysis.c — the tokenizer chain of analysis.h: the "unicode" base module
 * (folding, CJK bigrams/unigrams/ICU words, letter/digit words) and the
 * "stem" filter module.
 */
#include "analysis.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "buf.h"
#include "utf8.h"
#include "xapian_shim.h"

/* Longest word kept as a term: Xapian's limit is 245 bytes per term, and
 * longer "words" are base64 blobs or runs of digits nobody searches for. */
#define MAX_WORD_BYTES 64
/* Longest CJK run handed to ICU's word breaker at once. */
#define MAX_ICU_RUN 4096

/* ------------------------------------------------------------------ */
/* Character classes                                                    */
/* ------------------------------------------------------------------ */

int gk_is_cjk(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x20000 && c <= 0x3134F) || (c >= 0xF900 && c <= 0xFAFF) || c == 0x3007 ||
           (c >= 0x3040 && c <= 0x30FF) || /* kana */
           (c >= 0xAC00 && c <= 0xD7AF);    /* hangul syllables */
}

int gk_is_word_char(uint32_t c)
{
    if (c < 0x80)
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (gk_is_cjk(c))
        return 0;
    if (u_isalnum((UChar32)c))
        return 1;
    int8_t t = u_charType((UChar32)c);
    return t == U_NON_SPACING_MARK || t == U_COMBINING_SPACING_MARK;
}

/* ------------------------------------------------------------------ */
/* Folding: NFKC + case folding with a map back to input offsets        */
/* ------------------------------------------------------------------ */

typedef struct fold_vec {
    gk_folded_char_t *v;
    size_t n, cap;
} fold_vec_t;

static int fold_push(fold_vec_t *f, uint32_t cp, size_t start, size_t end)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 256;
        gk_folded_char_t *v = realloc(f->v, cap * sizeof *v);
        if (!v)
            return 0;
        f->v = v;
        f->cap = cap;
    }
    f->v[f->n++] = (gk_folded_char_t){cp, (uint32_t)start, (uint32_t)end};
    return 1;
}

/* Characters that nfkc_cf leaves as they are and that start a new
 * normalization segment: the common case, handled without ICU. */
static int fold_fast(uint32_t c, uint32_t *out)
{
    if (c < 0x80) {
        *out = (c >= 'A' && c <= 'Z') ? c + 32 : c;
        return 1;
    }
    if (c >= 0x4E00 && c <= 0x9FFF) {
        /* Unified ideographs have no decomposition and no case. */
        *out = c;
        return 1;
    }
    return 0;
}

/*
 * ICU normalizes per segment; we cut the input where the normalizer says a
 * boundary may fall, so every folded character maps back to the input
 * bytes of its segment (usually one code point).
 */
gk_status_t gk_fold(const char *text, size_t len, gk_folded_char_t **out, size_t *n)
{
    UErrorCode uerr = U_ZERO_ERROR;
    const UNormalizer2 *norm = unorm2_getNFKCCasefoldInstance(&uerr);
    if (U_FAILURE(uerr))
        return GK_ERR_INTERNAL;

    const unsigned char *s = (const unsigned char *)text;
    fold_vec_t f = {0};
    size_t i = 0;
    UChar seg[64], res[256];
    while (i < len) {
        size_t start = i;
        uint32_t c = gk_utf8_next(s, len, &i), fc;
        if (fold_fast(c, &fc)) {
            /* A combining mark after an ASCII letter belongs to its segment. */
            if (!(i < len && s[i] >= 0xCC && s[i] <= 0xCD)) {
                if (!fold_push(&f, fc, start, i))
                    goto nomem;
                continue;
            }
        }
        /* Gather one normalization segment. */
        int32_t sl = 0;
        U16_APPEND_UNSAFE(seg, sl, c);
        while (i < len && sl < (int32_t)(sizeof seg / sizeof seg[0]) - 2) {
            size_t j = i;
            uint32_t d = gk_utf8_next(s, len, &j);
            if (unorm2_hasBoundaryBefore(norm, (UChar32)d))
                break;
            U16_APPEND_UNSAFE(seg, sl, d);
            i = j;
        }
        uerr = U_ZERO_ERROR;
        int32_t rl = unorm2_normalize(norm, seg, sl, res, (int32_t)(sizeof res / sizeof res[0]), &uerr);
        if (U_FAILURE(uerr)) {
            /* A segment that folds to more than res holds: keep it as it is. */
            memcpy(res, seg, (size_t)sl * sizeof(UChar));
            rl = sl;
        }
        for (int32_t k = 0; k < rl;) {
            UChar32 d;
            U16_NEXT_UNSAFE(res, k, d);
            if (!fold_push(&f, (uint32_t)d, start, i))
                goto nomem;
        }
    }
    *out = f.v;
    *n = f.n;
    return GK_OK;
nomem:
    free(f.v);
    *out = NULL;
    *n = 0;
    return GK_ERR_NOMEM;
}

char *gk_fold_key(const char *text, size_t len)
{
    gk_folded_char_t *fc;
    size_t n;
    if (!gk_utf8_valid((const unsigned char *)text, len) || gk_fold(text, len, &fc, &n) != GK_OK)
        return NULL;
    gk_buf_t b = GK_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (gk_is_cjk(fc[i].cp) || gk_is_word_char(fc[i].cp)) {
            char u[4];
            gk_buf_append(&b, u, (size_t)gk_utf8_put(fc[i].cp, u));
        }
    }
    free(fc);
    return gk_buf_steal(&b);
}

char *gk_docno_key(const char *docno)
{
    char *key = gk_fold_key(docno, strlen(docno));
    if (!key)
        return NULL;
    /* 〔2024〕第5号 is 〔2024〕5号: drop a 第 between the year and the serial. */
    static const char di[] = "\xE7\xAC\xAC";
    for (char *p = strstr(key, di); p; p = strstr(p, di)) {
        if (p > key && p[-1] >= '0' && p[-1] <= '9' && p[3] >= '0' && p[3] <= '9')
            memmove(p, p + 3, strlen(p + 3) + 1);
        else
            p += 3;
    }
    return key;
}

/* ------------------------------------------------------------------ */
/* The "unicode" base module                                            */
/* ------------------------------------------------------------------ */

typedef struct unicode_tok {
    UBreakIterator *words;   /* ICU word breaker for CJK runs */
    UChar *u16;              /* scratch for one CJK run in UTF-16 */
    int32_t *u16_char;       /* UTF-16 index → index of the character in the run */
    size_t u16_cap;
    gk_buf_t term;
} unicode_tok_t;

static void unicode_destroy(void *inst)
{
    unicode_tok_t *u = inst;
    if (!u)
        return;
    if (u->words)
        ubrk_close(u->words);
    free(u->u16);
    free(u->u16_char);
    gk_buf_free(&u->term);
    free(u);
}

static gk_status_t unicode_create(void *next_inst, const gk_tokenizer_module_t *next, void **inst)
{
    (void)next_inst;
    (void)next;
    unicode_tok_t *u = calloc(1, sizeof *u);
    if (!u)
        return GK_ERR_NOMEM;
    UErrorCode err = U_ZERO_ERROR;
    u->words = ubrk_open(UBRK_WORD, "zh", NULL, 0, &err);
    if (U_FAILURE(err)) {
        unicode_destroy(u);
        return GK_ERR_INTERNAL;
    }
    *inst = u;
    return GK_OK;
}

typedef struct emit_ctx {
    unicode_tok_t *u;
    gk_token_fn fn;
    void *ctx;
    uint32_t pos;   /* last position handed out */
    uint32_t run;
    size_t base;    /* offset of the current chunk in the input */
} emit_ctx_t;

static int emit(emit_ctx_t *e, gk_token_kind_t kind, const gk_folded_char_t *c, size_t n,
                uint32_t pos)
{
    gk_buf_t *t = &e->u->term;
    gk_buf_reset(t);
    for (size_t i = 0; i < n; i++) {
        char b[4];
        gk_buf_append(t, b, (size_t)gk_utf8_put(c[i].cp, b));
    }
    if (gk_buf_failed(t))
        return GK_ERR_NOMEM;
    gk_token_t tok = {
        .kind = kind,
        .text = t->data,
        .len = t->len,
        .start = e->base + c[0].start,
        .end = e->base + c[n - 1].end,
        .pos = pos,
        .run = e->run,
        .positional = (kind == GK_TOKEN_WORD || kind == GK_TOKEN_BIGRAM),
    };
    return e->fn(e->ctx, &tok);
}

/* ICU dictionary words of three or more characters inside one CJK run. */
static int emit_cjk_words(emit_ctx_t *e, const gk_folded_char_t *c, size_t n, uint32_t first_pos)
{
    unicode_tok_t *u = e->u;
    if (n > MAX_ICU_RUN)
        n = MAX_ICU_RUN;
    if (u->u16_cap < 2 * n) {
        size_t cap = 2 * n + 16;
        UChar *p = realloc(u->u16, cap * sizeof *p);
        if (!p)
            return GK_ERR_NOMEM;
        u->u16 = p;
        int32_t *q = realloc(u->u16_char, (cap + 1) * sizeof *q);
        if (!q)
            return GK_ERR_NOMEM;
        u->u16_char = q;
        u->u16_cap = cap;
    }
    int32_t len = 0;
    for (size_t i = 0; i < n; i++) {
        int32_t at = len;
        U16_APPEND_UNSAFE(u->u16, len, c[i].cp);
        for (int32_t k = at; k < len; k++)
            u->u16_char[k] = (int32_t)i;
    }
    u->u16_char[len] = (int32_t)n;
    UErrorCode err = U_ZERO_ERROR;
    ubrk_setText(u->words, u->u16, len, &err);
    if (U_FAILURE(err))
        return GK_ERR_INTERNAL;
    int32_t from = ubrk_first(u->words);
    for (int32_t to = ubrk_next(u->words); to != UBRK_DONE; from = to, to = ubrk_next(u->words)) {
        int32_t a = u->u16_char[from], b = u->u16_char[to];
        if (b - a < 3)
            continue;
        int rc = emit(e, GK_TOKEN_CJK_WORD, c + a, (size_t)(b - a), first_pos + (uint32_t)a);
        if (rc)
            return rc;
    }
    return 0;
}

static int emit_cjk_run(emit_ctx_t *e, gk_tokenize_reason_t reason, const gk_folded_char_t *c,
                        size_t n)
{
    int rc;
    if (n == 1) {
        /* A lone character has no bigram; it is found through its unigram. */
        return emit(e, GK_TOKEN_UNIGRAM, c, 1, e->pos);
    }
    uint32_t first = e->pos + 1;
    for (size_t i = 0; i + 1 < n; i++) {
        if ((rc = emit(e, GK_TOKEN_BIGRAM, c + i, 2, ++e->pos)))
            return rc;
    }
    /* Every other character begins a bigram, where a one-character query
     * finds it; only the last of the run needs a unigram. */
    if (reason == GK_TOKENIZE_DOCUMENT && (rc = emit(e, GK_TOKEN_UNIGRAM, c + n - 1, 1, e->pos)))
        return rc;
    if (n >= 3)
        return emit_cjk_words(e, c, n, first);
    return 0;
}

/*
 * The letter and digit parts of a word that mixes them, as standards and
 * codes are written with or without a space (GB3095, GB 3095): each part is
 * indexed beside the word, so that a query of the parts finds it.
 */
static int emit_word_parts(emit_ctx_t *e, const gk_folded_char_t *c, size_t n)
{
    size_t cut[GK_MAX_WORD_PARTS], ncut = 0;
    for (size_t k = 1; k < n; k++) {
        if (u_isdigit((UChar32)c[k].cp) == u_isdigit((UChar32)c[k - 1].cp))
            continue;
        if (ncut == GK_MAX_WORD_PARTS - 1)
            return 0;
        cut[ncut++] = k;
    }
    if (ncut == 0)
        return 0;
    cut[ncut] = n;
    for (size_t p = 0, from = 0; p <= ncut; from = cut[p++]) {
        int rc = emit(e, GK_TOKEN_WORD_PART, c + from, cut[p] - from, e->pos);
        if (rc)
            return rc;
    }
    return 0;
}

size_t gk_text_chunk_end(const char *text, size_t len, size_t from, size_t max)
{
    if (len - from <= max)
        return len;
    const char *nl = memrchr(text + from + max / 2, '\n', max / 2);
    if (nl)
        return (size_t)(nl - text) + 1;
    size_t end = from + max;
    while (end > from && ((unsigned char)text[end] & 0xC0) == 0x80)
        end--;
    return end;
}

/* Tokens of one chunk; positions and runs carry on in E. */
static int tokenize_chunk(emit_ctx_t *e, gk_tokenize_reason_t reason, const char *text, size_t len)
{
    gk_folded_char_t *fc;
    size_t n;
    gk_status_t st = gk_fold(text, len, &fc, &n);
    if (st != GK_OK)
        return st;
    int rc = 0;
    size_t i = 0;
    while (i < n && rc == 0) {
        size_t j = i;
        if (gk_is_cjk(fc[i].cp)) {
            while (j < n && gk_is_cjk(fc[j].cp))
                j++;
            rc = emit_cjk_run(e, reason, fc + i, j - i);
            e->run++;
        } else if (gk_is_word_char(fc[i].cp)) {
            while (j < n && gk_is_word_char(fc[j].cp))
                j++;
            size_t bytes = 0;
            for (size_t k = i; k < j; k++)
                bytes += fc[k].cp < 0x80 ? 1 : fc[k].cp < 0x800 ? 2 : fc[k].cp < 0x10000 ? 3 : 4;
            if (bytes <= MAX_WORD_BYTES)
                rc = emit(e, GK_TOKEN_WORD, fc + i, j - i, ++e->pos);
            if (rc == 0 && bytes <= MAX_WORD_BYTES && reason == GK_TOKENIZE_DOCUMENT)
                rc = emit_word_parts(e, fc + i, j - i);
            e->run++;
        } else {
            j++;
        }
        i = j;
    }
    free(fc);
    return rc;
}

/* Folding keeps a 12-byte record per character: long texts go in chunks
 * cut at line ends, which no CJK run or word crosses, to bound memory. */
static int unicode_tokenize(void *inst, gk_tokenize_reason_t reason, const char *text, size_t len,
                            gk_token_fn fn, void *ctx)
{
    if (!gk_utf8_valid((const unsigned char *)text, len))
        return GK_ERR_ENCODING;
    emit_ctx_t e = {.u = inst, .fn = fn, .ctx = ctx};
    int rc = 0;
    for (size_t from = 0; from < len && rc == 0;) {
        size_t end = gk_text_chunk_end(text, len, from, GK_TEXT_CHUNK);
        e.base = from;
        rc = tokenize_chunk(&e, reason, text + from, end - from);
        from = end;
    }
    return rc;
}

const gk_tokenizer_module_t gk_tokenizer_unicode = {
    "unicode", unicode_create, unicode_destroy, unicode_tokenize,
};

/* ------------------------------------------------------------------ */
/* The "stem" filter module                                             */
/* ------------------------------------------------------------------ */

typedef struct stem_tok {
    void *next_inst;
    const gk_tokenizer_module_t *next;
    gkx_stemmer_t *stemmer;
} stem_tok_t;

typedef struct stem_ctx {
    stem_tok_t *s;
    gk_token_fn fn;
    void *ctx;
} stem_ctx_t;

static int has_letter(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!(s[i] >= '0' && s[i] <= '9'))
            return 1;
    return 0;
}

static int stem_cb(void *ctx, const gk_token_t *tok)
{
    stem_ctx_t *c = ctx;
    int rc = c->fn(c->ctx, tok);
    /* Parts too: an unquoted query word is looked up by its stem. */
    if (rc || (tok->kind != GK_TOKEN_WORD && tok->kind != GK_TOKEN_WORD_PART) || !has_letter(tok->text, tok->len))
        return rc;
    char buf[MAX_WORD_BYTES * 2 + 8];
    int n = gkx_stem(c->s->stemmer, tok->text, tok->len, buf, sizeof buf);
    if (n <= 0)
        return 0;
    gk_token_t st = *tok;
    st.kind = GK_TOKEN_STEM;
    st.text = buf;
    st.len = (size_t)n;
    st.positional = 0;
    return c->fn(c->ctx, &st);
}

static gk_status_t stem_create(void *next_inst, const gk_tokenizer_module_t *next, void **inst)
{
    stem_tok_t *s = calloc(1, sizeof *s);
    if (!s)
        return GK_ERR_NOMEM;
    gk_status_t st = gkx_stemmer_new("english", &s->stemmer);
    if (st != GK_OK) {
        free(s);
        return st;
    }
    s->next_inst = next_inst;
    s->next = next;
    *inst = s;
    return GK_OK;
}

static void stem_destroy(void *inst)
{
    stem_tok_t *s = inst;
    if (!s)
        return;
    gkx_stemmer_free(s->stemmer);
    free(s);
}

static int stem_tokenize(void *inst, gk_tokenize_reason_t reason, const char *text, size_t len,
                         gk_token_fn fn, void *ctx)
{
    stem_tok_t *s = inst;
    stem_ctx_t c = {s, fn, ctx};
    return s->next->tokenize(s->next_inst, reason, text, len, stem_cb, &c);
}

const gk_tokenizer_module_t gk_tokenizer_stem = {
    "stem", stem_create, stem_destroy, stem_tokenize,
};

/* ------------------------------------------------------------------ */
/* The chain                                                            */
/* ------------------------------------------------------------------ */

#define CHAIN_MAX 4

struct gk_tokenizer {
    const gk_tokenizer_module_t *mod[CHAIN_MAX]; /* [0] is the outermost */
    void *inst[CHAIN_MAX];
    int n;
};

void gk_tokenizer_free(gk_tokenizer_t *t)
{
    if (!t)
        return;
    for (int i = 0; i < t->n; i++)
        t->mod[i]->destroy(t->inst[i]);
    free(t);
}

gk_status_t gk_tokenizer_new(gk_tokenizer_t **out)
{
    /* Innermost first: each module wraps the one created before it. */
    static const gk_tokenizer_module_t *const chain[] = {&gk_tokenizer_unicode, &gk_tokenizer_stem};
    const int n = (int)(sizeof chain / sizeof chain[0]);
    *out = NULL;
    gk_tokenizer_t *t = calloc(1, sizeof *t);
    if (!t)
        return GK_ERR_NOMEM;
    void *inner = NULL;
    const gk_tokenizer_module_t *inner_mod = NULL;
    for (int i = 0; i < n; i++) {
        void *inst;
        gk_status_t st = chain[i]->create(inner, inner_mod, &inst);
        if (st != GK_OK) {
            gk_tokenizer_free(t);
            return st;
        }
        /* Keep the outermost at index 0 so tokenizing starts there. */
        memmove(t->mod + 1, t->mod, (size_t)t->n * sizeof t->mod[0]);
        memmove(t->inst + 1, t->inst, (size_t)t->n * sizeof t->inst[0]);
        t->mod[0] = chain[i];
        t->inst[0] = inst;
        t->n++;
        inner = inst;
        inner_mod = chain[i];
    }
    *out = t;
    return GK_OK;
}

int gk_tokenize(gk_tokenizer_t *t, gk_tokenize_reason_t reason, const char *text, size_t len,
                gk_token_fn fn, void *ctx)
{
    return t->mod[0]->tokenize(t->inst[0], reason, text, len, fn, ctx);
}
