/* Fuzz the analysis chain and the snippet maker with arbitrary bytes. */
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "core.h"

static int count(void *ctx, const gk_token_t *tok)
{
    /* Offsets must lie inside the input and never run backwards within a token. */
    size_t *n = ctx;
    if (tok->start > tok->end || tok->len == 0)
        abort();
    (*n)++;
    return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
    static gk_tokenizer_t *tok;
    if (!tok && gk_tokenizer_new(&tok) != GK_OK)
        abort();
    size_t n = 0;
    gk_tokenize(tok, GK_TOKENIZE_DOCUMENT, (const char *)data, len, count, &n);
    gk_tokenize(tok, GK_TOKENIZE_QUERY, (const char *)data, len, count, &n);
    /* Mark the first few bytes of the input in the input itself. */
    char mark[8];
    size_t mlen = len < sizeof mark - 1 ? len : sizeof mark - 1;
    memcpy(mark, data, mlen);
    mark[mlen] = '\0';
    const char *marks[] = {mark};
    free(gk__snippet((const char *)data, len, marks, 1, 40));
    free(gk_fold_key((const char *)data, len));
    return 0;
}
