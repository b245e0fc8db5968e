/* test_analysis.c — the analysis chain: folding (NFKC + case folding,
 * full-width forms, Kangxi radicals, compatibility ideographs), WORD /
 * BIGRAM / UNIGRAM / CJK_WORD / STEM tokens with their byte offsets and
 * positions, query terms against document terms, gk_fold and gk_fold_key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analysis.h"

#define MAX_TOKS 4096
#define TERM_MAX 256

typedef struct tok {
    gk_token_kind_t kind;
    char text[TERM_MAX];
    size_t start, end;
    uint32_t pos, run;
    int positional;
} tok_t;

typedef struct toks {
    tok_t v[MAX_TOKS];
    size_t n;
    const char *input;
    size_t input_len;
} toks_t;

static gk_tokenizer_t *tk;

static int setup(void **state)
{
    (void)state;
    return gk_tokenizer_new(&tk) == GK_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    gk_tokenizer_free(tk);
    return 0;
}

static int collect(void *ctx, const gk_token_t *t)
{
    toks_t *c = ctx;
    assert_true(c->n < MAX_TOKS);
    assert_true(t->len < TERM_MAX);
    assert_true(t->start < t->end);
    assert_true(t->end <= c->input_len);
    assert_int_equal(t->positional, t->kind == GK_TOKEN_WORD || t->kind == GK_TOKEN_BIGRAM);
    tok_t *o = &c->v[c->n++];
    o->kind = t->kind;
    memcpy(o->text, t->text, t->len);
    o->text[t->len] = '\0';
    o->start = t->start;
    o->end = t->end;
    o->pos = t->pos;
    o->run = t->run;
    o->positional = t->positional;
    return 0;
}

/* Tokenize S into a fresh (heap) list; asserts success. */
static toks_t *tokenize(const char *s, gk_tokenize_reason_t reason)
{
    toks_t *c = calloc(1, sizeof *c);
    assert_non_null(c);
    c->input = s;
    c->input_len = strlen(s);
    assert_int_equal(gk_tokenize(tk, reason, s, strlen(s), collect, c), 0);
    return c;
}

static size_t count_kind(const toks_t *c, gk_token_kind_t kind)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n; i++)
        n += c->v[i].kind == kind;
    return n;
}

static const tok_t *find(const toks_t *c, gk_token_kind_t kind, const char *text)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].kind == kind && strcmp(c->v[i].text, text) == 0)
            return &c->v[i];
    return NULL;
}

/* The source bytes of T in its input must be exactly SRC. */
static void assert_source(const toks_t *c, const tok_t *t, const char *src)
{
    assert_non_null(t);
    char buf[TERM_MAX];
    size_t n = t->end - t->start;
    assert_true(n < sizeof buf);
    memcpy(buf, c->input + t->start, n);
    buf[n] = '\0';
    assert_string_equal(buf, src);
}

/* Same kinds, texts and positions (offsets differ between equivalent inputs). */
static void assert_same_terms(const toks_t *a, const toks_t *b)
{
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        assert_int_equal(a->v[i].kind, b->v[i].kind);
        assert_string_equal(a->v[i].text, b->v[i].text);
        assert_int_equal(a->v[i].pos, b->v[i].pos);
    }
}

/* ------------------------------------------------------------------ */

static void test_fullwidth_equals_ascii(void **state)
{
    (void)state;
    toks_t *fw = tokenize("ＡＢＣ ２０２３", GK_TOKENIZE_DOCUMENT);
    toks_t *up = tokenize("ABC 2023", GK_TOKENIZE_DOCUMENT);
    toks_t *lo = tokenize("abc 2023", GK_TOKENIZE_DOCUMENT);
    assert_same_terms(fw, up);
    assert_same_terms(fw, lo);
    assert_non_null(find(fw, GK_TOKEN_WORD, "abc"));
    assert_non_null(find(fw, GK_TOKEN_WORD, "2023"));
    /* Offsets point at the full-width bytes of the input. */
    assert_source(fw, find(fw, GK_TOKEN_WORD, "abc"), "ＡＢＣ");
    assert_source(fw, find(fw, GK_TOKEN_WORD, "2023"), "２０２３");
    assert_source(up, find(up, GK_TOKEN_WORD, "abc"), "ABC");
    /* Query mode folds the same way. */
    toks_t *q = tokenize("ＡＢＣ ２０２３", GK_TOKENIZE_QUERY);
    assert_same_terms(q, lo);
    free(fw);
    free(up);
    free(lo);
    free(q);
}

static void test_case_folding(void **state)
{
    (void)state;
    toks_t *a = tokenize("Regulations REGULATIONS regulations ReGuLaTiOnS", GK_TOKENIZE_DOCUMENT);
    size_t words = 0;
    for (size_t i = 0; i < a->n; i++)
        if (a->v[i].kind == GK_TOKEN_WORD) {
            assert_string_equal(a->v[i].text, "regulations");
            words++;
        }
    assert_int_equal(words, 4);
    free(a);
    /* Non-ASCII case folding: Greek and German sharp s (full case folding). */
    toks_t *g = tokenize("ΣΟΦΙΑ σοφια", GK_TOKENIZE_DOCUMENT);
    const tok_t *w[2];
    size_t k = 0;
    for (size_t i = 0; i < g->n && k < 2; i++)
        if (g->v[i].kind == GK_TOKEN_WORD)
            w[k++] = &g->v[i];
    assert_int_equal(k, 2);
    assert_string_equal(w[0]->text, w[1]->text);
    free(g);
    toks_t *s = tokenize("STRASSE straße", GK_TOKENIZE_DOCUMENT);
    k = 0;
    for (size_t i = 0; i < s->n && k < 2; i++)
        if (s->v[i].kind == GK_TOKEN_WORD)
            w[k++] = &s->v[i];
    assert_int_equal(k, 2);
    assert_string_equal(w[0]->text, "strasse");
    assert_string_equal(w[1]->text, "strasse");
    free(s);
}

static void test_mixed_text(void **state)
{
    (void)state;
    const char *in = "GB18030编码2023年PM2.5";
    toks_t *c = tokenize(in, GK_TOKENIZE_DOCUMENT);
    /* Positional tokens, in order. */
    static const struct {
        gk_token_kind_t kind;
        const char *text, *src;
        uint32_t pos;
    } want[] = {
        {GK_TOKEN_WORD, "gb18030", "GB18030", 1},
        {GK_TOKEN_BIGRAM, "编码", "编码", 2},
        {GK_TOKEN_WORD, "2023", "2023", 3},
        {GK_TOKEN_WORD, "pm2", "PM2", 4},
        {GK_TOKEN_WORD, "5", "5", 5},
    };
    size_t k = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (!c->v[i].positional)
            continue;
        assert_true(k < sizeof want / sizeof want[0]);
        assert_int_equal(c->v[i].kind, want[k].kind);
        assert_string_equal(c->v[i].text, want[k].text);
        assert_source(c, &c->v[i], want[k].src);
        assert_int_equal(c->v[i].pos, want[k].pos);
        k++;
    }
    assert_int_equal(k, sizeof want / sizeof want[0]);
    /* Exact byte offsets. */
    const tok_t *t = find(c, GK_TOKEN_WORD, "gb18030");
    assert_int_equal(t->start, 0);
    assert_int_equal(t->end, 7);
    t = find(c, GK_TOKEN_BIGRAM, "编码");
    assert_int_equal(t->start, 7);
    assert_int_equal(t->end, 13);
    t = find(c, GK_TOKEN_WORD, "2023");
    assert_int_equal(t->start, 13);
    assert_int_equal(t->end, 17);
    /* The one-character run 年 is a unigram, colocated. */
    t = find(c, GK_TOKEN_UNIGRAM, "年");
    assert_non_null(t);
    assert_int_equal(t->start, 17);
    assert_int_equal(t->end, 20);
    assert_int_equal(t->positional, 0);
    t = find(c, GK_TOKEN_WORD, "pm2");
    assert_int_equal(t->start, 20);
    assert_int_equal(t->end, 23);
    t = find(c, GK_TOKEN_WORD, "5");
    assert_int_equal(t->start, 24);
    assert_int_equal(t->end, 25);
    /* In document mode the last character of the run 编码 is a unigram;
     * the first is found through the bigram it begins. */
    assert_null(find(c, GK_TOKEN_UNIGRAM, "编"));
    assert_source(c, find(c, GK_TOKEN_UNIGRAM, "码"), "码");
    /* No numeric stem; letters get one. */
    assert_null(find(c, GK_TOKEN_STEM, "2023"));
    assert_null(find(c, GK_TOKEN_STEM, "5"));
    free(c);

    /* The full-width form maps back to the full-width bytes. */
    const char *fw = "ＧＢ１８０３０编码２０２３年ＰＭ２.５";
    toks_t *f = tokenize(fw, GK_TOKENIZE_DOCUMENT);
    t = find(f, GK_TOKEN_WORD, "gb18030");
    assert_non_null(t);
    assert_int_equal(t->start, 0);
    assert_int_equal(t->end, 21);
    assert_source(f, t, "ＧＢ１８０３０");
    assert_source(f, find(f, GK_TOKEN_BIGRAM, "编码"), "编码");
    assert_source(f, find(f, GK_TOKEN_WORD, "2023"), "２０２３");
    assert_source(f, find(f, GK_TOKEN_WORD, "pm2"), "ＰＭ２");
    assert_source(f, find(f, GK_TOKEN_WORD, "5"), "５");
    /* And the same positional terms as the half-width text. */
    toks_t *h = tokenize(in, GK_TOKENIZE_QUERY);
    toks_t *fq = tokenize(fw, GK_TOKENIZE_QUERY);
    assert_same_terms(h, fq);
    free(f);
    free(h);
    free(fq);
}

static void test_cjk_run_bigrams(void **state)
{
    (void)state;
    /* 8 characters: 7 bigrams at consecutive positions, and a unigram for
     * the last character (each other one begins a bigram). */
    const char *in = "关于加强安全生产";
    const char *chars[] = {"关", "于", "加", "强", "安", "全", "生", "产"};
    size_t n = 8;
    toks_t *d = tokenize(in, GK_TOKENIZE_DOCUMENT);
    assert_int_equal(count_kind(d, GK_TOKEN_BIGRAM), n - 1);
    assert_int_equal(count_kind(d, GK_TOKEN_UNIGRAM), 1);
    assert_int_equal(count_kind(d, GK_TOKEN_WORD), 0);
    uint32_t first = 0, k = 0;
    for (size_t i = 0; i < d->n; i++) {
        const tok_t *t = &d->v[i];
        if (t->kind != GK_TOKEN_BIGRAM)
            continue;
        char want[16];
        snprintf(want, sizeof want, "%s%s", chars[k], chars[k + 1]);
        assert_string_equal(t->text, want);
        assert_int_equal(t->start, 3 * k);
        assert_int_equal(t->end, 3 * k + 6);
        if (k == 0)
            first = t->pos;
        assert_int_equal(t->pos, first + k);
        k++;
    }
    assert_int_equal(first, 1);
    for (size_t i = 0; i + 1 < n; i++)
        assert_null(find(d, GK_TOKEN_UNIGRAM, chars[i]));
    const tok_t *u = find(d, GK_TOKEN_UNIGRAM, chars[n - 1]);
    assert_non_null(u);
    assert_int_equal(u->start, 3 * (n - 1));
    assert_int_equal(u->end, 3 * n);
    /* Colocated with the run's last bigram. */
    assert_int_equal(u->pos, first + n - 2);
    /* All tokens of one run share its run number. */
    for (size_t i = 1; i < d->n; i++)
        assert_int_equal(d->v[i].run, d->v[0].run);

    toks_t *q = tokenize(in, GK_TOKENIZE_QUERY);
    assert_int_equal(count_kind(q, GK_TOKEN_BIGRAM), n - 1);
    assert_int_equal(count_kind(q, GK_TOKEN_UNIGRAM), 0);
    free(d);
    free(q);

    /* A one-character run: its unigram in both modes, no bigram. */
    for (int r = 0; r < 2; r++) {
        toks_t *one = tokenize("年", r ? GK_TOKENIZE_QUERY : GK_TOKENIZE_DOCUMENT);
        assert_int_equal(one->n, 1);
        assert_int_equal(one->v[0].kind, GK_TOKEN_UNIGRAM);
        assert_string_equal(one->v[0].text, "年");
        assert_int_equal(one->v[0].start, 0);
        assert_int_equal(one->v[0].end, 3);
        free(one);
    }
    /* Two runs split by punctuation: bigrams never span the break, and the
     * positions go on without a gap. */
    toks_t *two = tokenize("政府，信息公开", GK_TOKENIZE_QUERY);
    assert_int_equal(count_kind(two, GK_TOKEN_BIGRAM), 4);
    assert_null(find(two, GK_TOKEN_BIGRAM, "府信"));
    const tok_t *a = find(two, GK_TOKEN_BIGRAM, "政府"), *b = find(two, GK_TOKEN_BIGRAM, "信息");
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(b->pos, a->pos + 1);
    assert_true(a->run != b->run);
    free(two);
}

static void test_icu_words(void **state)
{
    (void)state;
    toks_t *c = tokenize("中华人民共和国政府信息公开条例", GK_TOKENIZE_DOCUMENT);
    size_t words = count_kind(c, GK_TOKEN_CJK_WORD);
    assert_true(words >= 1);
    for (size_t i = 0; i < c->n; i++) {
        const tok_t *t = &c->v[i];
        if (t->kind != GK_TOKEN_CJK_WORD)
            continue;
        /* At least three characters, its source is its text (no folding here). */
        assert_true(t->end - t->start >= 9);
        assert_source(c, t, t->text);
        assert_int_equal(t->positional, 0);
    }
    /* ICU's dictionary splits this as 中华|人民|共和国. */
    assert_non_null(find(c, GK_TOKEN_CJK_WORD, "共和国"));
    free(c);
    toks_t *g = tokenize("清溪县人民政府办公室", GK_TOKENIZE_QUERY);
    assert_non_null(find(g, GK_TOKEN_CJK_WORD, "人民政府"));
    /* A CJK word is colocated with the bigram that starts where it starts. */
    for (size_t i = 0; i < g->n; i++) {
        if (g->v[i].kind != GK_TOKEN_CJK_WORD)
            continue;
        int ok = 0;
        for (size_t j = 0; j < g->n; j++)
            ok |= g->v[j].kind == GK_TOKEN_BIGRAM && g->v[j].start == g->v[i].start && g->v[j].pos == g->v[i].pos;
        assert_true(ok);
    }
    free(g);
    /* Two-character runs give no CJK word. */
    toks_t *s = tokenize("政府", GK_TOKENIZE_DOCUMENT);
    assert_int_equal(count_kind(s, GK_TOKEN_CJK_WORD), 0);
    free(s);
}

static void test_kangxi_and_compat(void **state)
{
    (void)state;
    /* ⾏ U+2F8F KANGXI RADICAL WALK folds to 行 U+884C. */
    toks_t *k = tokenize("政\xE2\xBE\x8F", GK_TOKENIZE_DOCUMENT);
    toks_t *p = tokenize("政行", GK_TOKENIZE_DOCUMENT);
    assert_same_terms(k, p);
    const tok_t *t = find(k, GK_TOKEN_BIGRAM, "政行");
    assert_non_null(t);
    assert_source(k, t, "政\xE2\xBE\x8F");
    assert_source(k, find(k, GK_TOKEN_UNIGRAM, "行"), "\xE2\xBE\x8F");
    free(k);
    free(p);
    /* U+F900 CJK COMPATIBILITY IDEOGRAPH folds to 豈 U+8C48. */
    toks_t *c = tokenize("\xEF\xA4\x80", GK_TOKENIZE_QUERY);
    assert_int_equal(c->n, 1);
    assert_int_equal(c->v[0].kind, GK_TOKEN_UNIGRAM);
    assert_string_equal(c->v[0].text, "\xE8\xB1\x88");
    assert_int_equal(c->v[0].start, 0);
    assert_int_equal(c->v[0].end, 3);
    free(c);
    toks_t *c2 = tokenize("\xEF\xA4\x80\xE2\xBE\x8F", GK_TOKENIZE_QUERY);
    assert_non_null(find(c2, GK_TOKEN_BIGRAM, "\xE8\xB1\x88行"));
    free(c2);
    gk_folded_char_t *fc;
    size_t n;
    assert_int_equal(gk_fold("\xEF\xA4\x80\xE2\xBE\x8F", 6, &fc, &n), GK_OK);
    assert_int_equal(n, 2);
    assert_int_equal(fc[0].cp, 0x8C48);
    assert_int_equal(fc[1].cp, 0x884C);
    assert_int_equal(fc[0].start, 0);
    assert_int_equal(fc[0].end, 3);
    assert_int_equal(fc[1].start, 3);
    assert_int_equal(fc[1].end, 6);
    free(fc);
}

static int never_called(void *ctx, const gk_token_t *t)
{
    (void)ctx;
    (void)t;
    return 0;
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "\xff\xfe\xfd",            /* not UTF-8 at all */
        "abc\xc3\x28",             /* bad continuation */
        "\xc0\xaf",                /* overlong '/' */
        "\xe0\x80\xaf",            /* overlong, three bytes */
        "\xed\xa0\x80",            /* a UTF-16 surrogate */
        "\xf4\x90\x80\x80",        /* beyond U+10FFFF */
        "中\xe4\xb8",              /* truncated at the end */
        "\x80",                    /* a lone continuation byte */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(gk_tokenize(tk, GK_TOKENIZE_DOCUMENT, bad[i], strlen(bad[i]), never_called, NULL),
                         GK_ERR_ENCODING);
        assert_int_equal(gk_tokenize(tk, GK_TOKENIZE_QUERY, bad[i], strlen(bad[i]), never_called, NULL),
                         GK_ERR_ENCODING);
        assert_null(gk_fold_key(bad[i], strlen(bad[i])));
    }
    /* The tokenizer still works afterwards. */
    toks_t *c = tokenize("ok", GK_TOKENIZE_DOCUMENT);
    assert_non_null(find(c, GK_TOKEN_WORD, "ok"));
    free(c);
    /* An embedded NUL inside the given length is not an encoding error. */
    assert_int_equal(gk_tokenize(tk, GK_TOKENIZE_DOCUMENT, "a\0b", 3, never_called, NULL), 0);
}

static int stop_at_second(void *ctx, const gk_token_t *t)
{
    (void)t;
    int *n = ctx;
    return ++*n == 2 ? 42 : 0;
}

static void test_callback_stops(void **state)
{
    (void)state;
    int n = 0;
    assert_int_equal(gk_tokenize(tk, GK_TOKENIZE_DOCUMENT, "one two three", 13, stop_at_second, &n), 42);
    assert_int_equal(n, 2);
}

static void test_stems(void **state)
{
    (void)state;
    toks_t *c = tokenize("regulations 2023 12345 Running", GK_TOKENIZE_DOCUMENT);
    const tok_t *w = find(c, GK_TOKEN_WORD, "regulations");
    const tok_t *s = find(c, GK_TOKEN_STEM, "regul");
    assert_non_null(w);
    assert_non_null(s);
    assert_int_equal(s->pos, w->pos);
    assert_int_equal(s->start, w->start);
    assert_int_equal(s->end, w->end);
    assert_int_equal(s->positional, 0);
    assert_non_null(find(c, GK_TOKEN_STEM, "run"));
    /* Pure numbers have no stem. */
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].kind == GK_TOKEN_STEM) {
            assert_string_not_equal(c->v[i].text, "2023");
            assert_string_not_equal(c->v[i].text, "12345");
        }
    assert_int_equal(count_kind(c, GK_TOKEN_STEM), 2);
    /* Each STEM directly follows its WORD. */
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].kind == GK_TOKEN_STEM) {
            assert_true(i > 0);
            assert_int_equal(c->v[i - 1].kind, GK_TOKEN_WORD);
            assert_int_equal(c->v[i - 1].pos, c->v[i].pos);
        }
    free(c);
    /* The query gets the same stem. */
    toks_t *q = tokenize("REGULATIONS", GK_TOKENIZE_QUERY);
    assert_non_null(find(q, GK_TOKEN_STEM, "regul"));
    free(q);
}

static const char *const samples[] = {
    "中华人民共和国政府信息公开条例",
    "清溪县人民政府关于印发《清溪县最低生活保障审核确认办法》的通知",
    "清政发〔2022〕7号",
    "GB18030编码2023年PM2.5",
    "ＧＢ／Ｔ　９７０４－２０１２《党政机关公文格式》",
    "第一条　为了保障公民、法人和其他组织依法获取政府信息，提高政府工作的透明度。",
    "The State Council regulations of 2019, art. 5; 国务院令第711号",
    "年 月 日",
    "⾏政许可法\xEF\xA4\x80",
    "あいう한국어テスト汉字",
};

/* Positional tokens only, as (text, pos) in order. */
static void positional(const toks_t *c, toks_t *out)
{
    out->n = 0;
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].positional)
            out->v[out->n++] = c->v[i];
}

static void test_query_terms_are_document_terms(void **state)
{
    (void)state;
    toks_t *pd = calloc(1, sizeof *pd), *pq = calloc(1, sizeof *pq);
    assert_non_null(pd);
    assert_non_null(pq);
    for (size_t s = 0; s < sizeof samples / sizeof samples[0]; s++) {
        toks_t *d = tokenize(samples[s], GK_TOKENIZE_DOCUMENT);
        toks_t *q = tokenize(samples[s], GK_TOKENIZE_QUERY);
        positional(d, pd);
        positional(q, pq);
        /* The same positional terms at the same positions. */
        assert_same_terms(pq, pd);
        /* Every query term (of any kind) is a document term. */
        for (size_t i = 0; i < q->n; i++) {
            const tok_t *t = &q->v[i];
            const tok_t *m = find(d, t->kind, t->text);
            if (!m)
                fail_msg("query term '%s' (kind %d) of \"%s\" is not a document term", t->text, t->kind,
                         samples[s]);
        }
        /* Query unigrams only for one-character runs. */
        for (size_t i = 0; i < q->n; i++) {
            if (q->v[i].kind != GK_TOKEN_UNIGRAM)
                continue;
            for (size_t j = 0; j < q->n; j++)
                if (j != i && q->v[j].run == q->v[i].run && q->v[j].kind == GK_TOKEN_BIGRAM)
                    fail_msg("query unigram '%s' in a run with bigrams", q->v[i].text);
        }
        free(d);
        free(q);
    }
    free(pd);
    free(pq);
}

/* Byte offsets of the code points of S (at most 256), count in *n. */
static void char_offsets(const char *s, size_t *off, size_t *n)
{
    size_t k = 0, len = strlen(s);
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            off[k++] = i;
    off[k] = len;
    *n = k;
}

static void test_substring_bigrams(void **state)
{
    (void)state;
    size_t off[257], n;
    for (size_t s = 0; s < sizeof samples / sizeof samples[0]; s++) {
        const char *full = samples[s];
        toks_t *d = tokenize(full, GK_TOKENIZE_DOCUMENT);
        char_offsets(full, off, &n);
        for (size_t a = 0; a < n; a++) {
            for (size_t b = a + 1; b <= n && b <= a + 12; b++) {
                char sub[512];
                size_t len = off[b] - off[a];
                memcpy(sub, full + off[a], len);
                sub[len] = '\0';
                toks_t *sd = tokenize(sub, GK_TOKENIZE_DOCUMENT);
                /* Every bigram of the substring is a bigram of the whole. */
                for (size_t i = 0; i < sd->n; i++)
                    if (sd->v[i].kind == GK_TOKEN_BIGRAM && !find(d, GK_TOKEN_BIGRAM, sd->v[i].text))
                        fail_msg("bigram '%s' of \"%s\" missing from \"%s\"", sd->v[i].text, sub, full);
                /* The query bigrams of one run of the substring stand at
                 * consecutive positions in the whole, so a phrase query finds it. */
                toks_t *sq = tokenize(sub, GK_TOKENIZE_QUERY);
                size_t i = 0;
                while (i < sq->n) {
                    if (sq->v[i].kind != GK_TOKEN_BIGRAM) {
                        i++;
                        continue;
                    }
                    size_t j = i;
                    while (j < sq->n && (sq->v[j].kind != GK_TOKEN_BIGRAM || sq->v[j].run == sq->v[i].run))
                        j++;
                    /* sq->v[i..j) holds one run's bigrams (and its CJK words). */
                    int matched = 0;
                    for (size_t x = 0; x < d->n && !matched; x++) {
                        if (d->v[x].kind != GK_TOKEN_BIGRAM || strcmp(d->v[x].text, sq->v[i].text) != 0)
                            continue;
                        uint32_t p0 = d->v[x].pos;
                        int ok = 1;
                        for (size_t y = i; y < j && ok; y++) {
                            if (sq->v[y].kind != GK_TOKEN_BIGRAM)
                                continue;
                            int hit = 0;
                            for (size_t z = 0; z < d->n; z++)
                                hit |= d->v[z].kind == GK_TOKEN_BIGRAM && d->v[z].pos == p0 + (sq->v[y].pos - sq->v[i].pos) &&
                                       strcmp(d->v[z].text, sq->v[y].text) == 0;
                            ok = hit;
                        }
                        matched = ok;
                    }
                    if (!matched)
                        fail_msg("the bigrams of \"%s\" are not a phrase in \"%s\"", sub, full);
                    i = j;
                }
                free(sq);
                free(sd);
            }
        }
        free(d);
    }
}

static void test_fold_key(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } v[] = {
        {"〔2023〕 12号", "202312号"},
        {"〔２０２３〕　１２号", "202312号"},
        {"清政发〔2022〕7号", "清政发20227号"},
        {"清政发[2022]7号", "清政发20227号"},
        {"清政发（2022）7号", "清政发20227号"},
        {"清政发【2022】７号", "清政发20227号"},
        {"GB/T 9704-2012", "gbt97042012"},
        {"ＧＢ／Ｔ　９７０４－２０１２", "gbt97042012"},
        {"，。！？ 《》", ""},
        {"", ""},
        {"\xE2\xBE\x8F政", "行政"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char *k = gk_fold_key(v[i].in, strlen(v[i].in));
        assert_non_null(k);
        if (strcmp(k, v[i].want) != 0)
            fail_msg("gk_fold_key(\"%s\") = \"%s\", want \"%s\"", v[i].in, k, v[i].want);
        free(k);
    }
}

static void check_fold_cover(const char *s)
{
    gk_folded_char_t *fc = NULL;
    size_t n = 0, len = strlen(s);
    assert_int_equal(gk_fold(s, len, &fc, &n), GK_OK);
    if (len == 0) {
        assert_int_equal(n, 0);
        free(fc);
        return;
    }
    assert_true(n > 0);
    assert_int_equal(fc[0].start, 0);
    for (size_t i = 0; i < n; i++) {
        assert_true(fc[i].start < fc[i].end);
        if (i > 0) {
            /* Either the next piece of input, or one more character of the
             * same input segment (e.g. a ligature folding to two letters). */
            int next = fc[i].start == fc[i - 1].end;
            int same = fc[i].start == fc[i - 1].start && fc[i].end == fc[i - 1].end;
            if (!next && !same)
                fail_msg("gk_fold(\"%s\"): gap or overlap at %zu: [%u,%u) after [%u,%u)", s, i, fc[i].start,
                         fc[i].end, fc[i - 1].start, fc[i - 1].end);
        }
    }
    assert_int_equal(fc[n - 1].end, len);
    free(fc);
}

static void test_fold_offsets(void **state)
{
    (void)state;
    check_fold_cover("");
    check_fold_cover("Hello, World! 123");
    check_fold_cover("中华人民共和国政府信息公开条例");
    check_fold_cover("GB18030编码2023年PM2.5");
    check_fold_cover("ＧＢ１８０３０编码，２０２３年");
    check_fold_cover("\xEF\xAC\x81le");           /* ﬁ ligature: two letters, one source */
    check_fold_cover("cafe\xCC\x81 Cafe\xCC\x81");  /* e + combining acute */
    check_fold_cover("①②③ ㈠ ㍻");
    /* One folded code point per input character for ASCII and CJK. */
    const char *s = "Ab中文1";
    gk_folded_char_t *fc;
    size_t n;
    assert_int_equal(gk_fold(s, strlen(s), &fc, &n), GK_OK);
    assert_int_equal(n, 5);
    assert_int_equal(fc[0].cp, 'a');
    assert_int_equal(fc[1].cp, 'b');
    assert_int_equal(fc[2].cp, 0x4E2D);
    assert_int_equal(fc[3].cp, 0x6587);
    assert_int_equal(fc[4].cp, '1');
    assert_int_equal(fc[2].start, 2);
    assert_int_equal(fc[2].end, 5);
    assert_int_equal(fc[4].start, 8);
    assert_int_equal(fc[4].end, 9);
    free(fc);
}

static void test_long_word_and_classes(void **state)
{
    (void)state;
    /* A 65-byte "word" (a blob) is not kept as a term; its neighbours are. */
    char in[200];
    memset(in, 'x', 65);
    strcpy(in + 65, " tail");
    toks_t *c = tokenize(in, GK_TOKENIZE_DOCUMENT);
    for (size_t i = 0; i < c->n; i++)
        assert_true(strlen(c->v[i].text) <= 64 * 2);
    assert_non_null(find(c, GK_TOKEN_WORD, "tail"));
    free(c);
    assert_true(gk_is_cjk(0x4E2D));
    assert_true(gk_is_cjk(0x3007));
    assert_false(gk_is_cjk('a'));
    assert_false(gk_is_cjk(0x3002)); /* 。 */
    assert_true(gk_is_word_char('Z'));
    assert_true(gk_is_word_char('7'));
    assert_false(gk_is_word_char(0x4E2D));
    assert_false(gk_is_word_char(','));
}

static void test_word_parts(void **state)
{
    (void)state;
    /* A word that mixes letters and digits brings its parts, colocated and
     * without positions, and a stem for a part with letters. */
    toks_t *c = tokenize("依据GB3095-2012标准 ＧＢ５０１６", GK_TOKENIZE_DOCUMENT);
    const tok_t *w = find(c, GK_TOKEN_WORD, "gb3095");
    assert_non_null(w);
    const tok_t *gb = find(c, GK_TOKEN_WORD_PART, "gb"), *num = find(c, GK_TOKEN_WORD_PART, "3095");
    assert_non_null(gb);
    assert_non_null(num);
    assert_int_equal(gb->pos, w->pos);
    assert_int_equal(num->pos, w->pos);
    assert_false(gb->positional);
    assert_source(c, num, "3095");
    assert_non_null(find(c, GK_TOKEN_STEM, "gb"));
    assert_non_null(find(c, GK_TOKEN_WORD_PART, "5016")); /* full-width folds first */
    assert_null(find(c, GK_TOKEN_WORD_PART, "2012"));      /* digits only: no parts */
    free(c);
    /* Five parts or more make an identifier, kept whole; queries never split. */
    c = tokenize("a1b2c3 x9", GK_TOKENIZE_DOCUMENT);
    assert_int_equal(count_kind(c, GK_TOKEN_WORD_PART), 2);
    free(c);
    c = tokenize("GB3095", GK_TOKENIZE_QUERY);
    assert_int_equal(count_kind(c, GK_TOKEN_WORD_PART), 0);
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fullwidth_equals_ascii),
        cmocka_unit_test(test_case_folding),
        cmocka_unit_test(test_mixed_text),
        cmocka_unit_test(test_cjk_run_bigrams),
        cmocka_unit_test(test_icu_words),
        cmocka_unit_test(test_kangxi_and_compat),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_callback_stops),
        cmocka_unit_test(test_stems),
        cmocka_unit_test(test_query_terms_are_document_terms),
        cmocka_unit_test(test_substring_bigrams),
        cmocka_unit_test(test_fold_key),
        cmocka_unit_test(test_fold_offsets),
        cmocka_unit_test(test_long_word_and_classes),
        cmocka_unit_test(test_word_parts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
