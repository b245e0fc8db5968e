/*
 * analysis.h — the one analysis chain, used for documents and queries alike.
 *
 * Modelled on SQLite FTS5's fts5_tokenizer: a tokenizer is a chain of
 * modules, each a small vtable (create / destroy / tokenize). A module pushes
 * tokens to a callback with the token's byte offsets in the *original* input
 * (for <mark> highlighting) and its position. A filter module wraps the next
 * module in the chain and sees its tokens before passing them on, so stages
 * (traditional/simplified folding, synonyms) can be added without touching
 * the others.
 *
 * Built-in chain: "stem" ∘ "unicode".
 *   unicode  UTF-8 validation; NFKC + case folding (ICU nfkc_cf: full-width
 *            ＡＢＣ/２０２３ become abc/2023, Kangxi radicals and
 *            compatibility ideographs become the ordinary characters);
 *            runs of CJK characters give overlapping character bigrams
 *            (positional: any Chinese substring of two or more characters
 *            is a phrase of bigrams), the run's last character as a
 *            unigram (every other character begins a bigram, so a
 *            one-character query is its unigram or any bigram it begins)
 *            and ICU dictionary words of three or more characters
 *            (colocated, for ranking); runs of letters/digits give words
 *            (positional).
 *   stem     adds the Snowball (English) stem of each alphabetic word,
 *            colocated.
 *
 * Positions: every positional token takes the next position; there is no
 * gap at punctuation, so a phrase never needs a window wider than its term
 * count. Bigrams never span a non-CJK character, so substring matching is
 * exact.
 */
#ifndef GK_ANALYSIS_H
#define GK_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>

#include "gongkai.h"

typedef enum gk_tokenize_reason {
    GK_TOKENIZE_DOCUMENT = 0, /* all token kinds */
    GK_TOKENIZE_QUERY = 1     /* only what a query needs: a one-character CJK run
                                 gives its UNIGRAM (to be matched as that unigram or
                                 any bigram beginning with it), longer runs their
                                 BIGRAMs and WORDs */
} gk_tokenize_reason_t;

typedef enum gk_token_kind {
    GK_TOKEN_WORD = 0,     /* folded letters/digits, positional */
    GK_TOKEN_STEM = 1,     /* stem of the preceding WORD, colocated */
    GK_TOKEN_BIGRAM = 2,   /* two CJK characters, positional */
    GK_TOKEN_UNIGRAM = 3,  /* the last CJK character of a run, colocated */
    GK_TOKEN_CJK_WORD = 4, /* ICU dictionary word of >= 3 CJK characters, colocated */
    GK_TOKEN_WORD_PART = 5 /* documents only: the letters or the digits of a WORD that
                              has both (GB3095: gb, 3095), colocated */
} gk_token_kind_t;

/* A word that mixes letters and digits in more parts than this is an
 * identifier, searched whole: it has no WORD_PART tokens, and a query of it
 * no alternative of its parts. */
#define GK_MAX_WORD_PARTS 4

typedef struct gk_token {
    gk_token_kind_t kind;
    const char *text;   /* folded UTF-8; valid only during the callback */
    size_t len;
    size_t start, end;  /* byte range in the original input */
    uint32_t pos;       /* position; colocated tokens carry their neighbour's */
    uint32_t run;       /* tokens of one CJK run or one word share a run number */
    int positional;     /* non-zero for WORD and BIGRAM */
} gk_token_t;

/* Return 0 to go on; anything else stops tokenizing and is returned. */
typedef int (*gk_token_fn)(void *ctx, const gk_token_t *tok);

/* A module of the chain (see the header comment). */
typedef struct gk_tokenizer_module {
    const char *name;
    /* Create an instance wrapping NEXT (NULL for a base module). */
    gk_status_t (*create)(void *next_inst, const struct gk_tokenizer_module *next, void **inst);
    void (*destroy)(void *inst);
    int (*tokenize)(void *inst, gk_tokenize_reason_t reason, const char *text, size_t len,
                    gk_token_fn fn, void *ctx);
} gk_tokenizer_module_t;

extern const gk_tokenizer_module_t gk_tokenizer_unicode;
extern const gk_tokenizer_module_t gk_tokenizer_stem;

/* A tokenizer is not thread-safe: use one per thread. */
typedef struct gk_tokenizer gk_tokenizer_t;

/* The default chain: stem ∘ unicode. */
gk_status_t gk_tokenizer_new(gk_tokenizer_t **out);
void gk_tokenizer_free(gk_tokenizer_t *t);

/*
 * Tokenize TEXT[0..len). Returns 0, GK_ERR_ENCODING when TEXT is not valid
 * UTF-8, or the first non-zero value the callback returned.
 */
int gk_tokenize(gk_tokenizer_t *t, gk_tokenize_reason_t reason, const char *text, size_t len,
                gk_token_fn fn, void *ctx);

/*
 * Folding shared by the tokenizer and the snippet maker: one folded code
 * point with the byte range of the input it came from.
 */
typedef struct gk_folded_char {
    uint32_t cp;
    uint32_t start, end;
} gk_folded_char_t;

/* Fold TEXT (valid UTF-8) into *out (malloc'd array, caller frees).
 * Returns GK_OK, GK_ERR_NOMEM, GK_ERR_INTERNAL (ICU failure). */
gk_status_t gk_fold(const char *text, size_t len, gk_folded_char_t **out, size_t *n);

/* Long texts are folded and tokenized in chunks of about this many bytes. */
#define GK_TEXT_CHUNK ((size_t)1 << 20)

/* The end of the chunk of TEXT starting at FROM: after the last line end
 * in the second half of the next MAX bytes, else at a character boundary. */
size_t gk_text_chunk_end(const char *text, size_t len, size_t from, size_t max);

/* Character classes of the chain. */
int gk_is_cjk(uint32_t cp);
int gk_is_word_char(uint32_t cp);

/*
 * A compact key for exact matching of short strings (titles, 文号): the
 * folded text with everything but letters, digits and CJK characters
 * removed. Malloc'd; "" when nothing is left; NULL on failure.
 */
char *gk_fold_key(const char *text, size_t len);
/* The key of a 文号 for matching: gk_fold_key (so every bracket form and
 * full-width digits agree: 青政发〔2023〕12号 → 青政发202312号) without a
 * stray 第 before the serial. malloc'd; NULL on bad UTF-8 or NOMEM. */
char *gk_docno_key(const char *docno);

#endif
