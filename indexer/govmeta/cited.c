/*
 * cited.c — the 文号 a document cites: every 文号 in the text other than
 * its own, normalised, each once, in the order they first appear.
 *
 * A 文号 run into a sentence (…。再次重申青政办函〔2024〕21号) has words
 * before its issuer code that no list of words can foresee. The text
 * itself says where the code begins: the same issuer printed cleanly
 * elsewhere, after a bracket or at the start of a line. So the issuers of
 * the clean numbers are learnt first, and a number whose issuer only ends
 * with one of them is cut there.
 *
 * Seen numbers and issuers go into small open-addressing sets, so a text
 * that cites a great many stays linear.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "govmeta_int.h"
#include "utf8.h"

typedef struct seen {
    const char **slot; /* the strings of the list, by hash; NULL when free */
    size_t cap;        /* a power of two */
} seen_t;

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* The slot where S is or belongs. */
static size_t probe(const seen_t *set, const char *s)
{
    size_t i = (size_t)hash(s) & (set->cap - 1);
    while (set->slot[i] && strcmp(set->slot[i], s) != 0)
        i = (i + 1) & (set->cap - 1);
    return i;
}

/* Room for one more at a load of at most a half. */
static gk_status_t reserve(seen_t *set, size_t count)
{
    if ((count + 1) * 2 <= set->cap)
        return GK_OK;
    seen_t bigger = {calloc(set->cap ? set->cap * 2 : 64, sizeof(char *)), set->cap ? set->cap * 2 : 64};
    if (!bigger.slot)
        return GK_ERR_NOMEM;
    for (size_t i = 0; i < set->cap; i++)
        if (set->slot[i])
            bigger.slot[probe(&bigger, set->slot[i])] = set->slot[i];
    free(set->slot);
    *set = bigger;
    return GK_OK;
}

static gk_status_t push(char ***list, size_t *n, size_t *cap, char *s)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        char **v = realloc(*list, ncap * sizeof *v);
        if (!v)
            return GK_ERR_NOMEM;
        *list = v;
        *cap = ncap;
    }
    (*list)[(*n)++] = s;
    return GK_OK;
}

/* Is S (LEN bytes, folded as issuer_of folds) in SET? */
static int contains(const seen_t *set, const char *s, size_t len)
{
    char key[80];
    size_t n = 0, i = 0;
    if (set->cap == 0)
        return 0;
    while (i < len) {
        uint32_t c = gm_next(s, len, &i);
        if (gm_is_blank(c) || c == 0)
            continue;
        if (n + 5 > sizeof key)
            return 0;
        n += (size_t)gk_utf8_put(c, key + n);
    }
    key[n] = '\0';
    return set->slot[probe(set, key)] != NULL;
}

/* A number set apart from any sentence: at the start of a line, after a
 * blank, a bracket, a closing title mark or in a list; its issuer whole. */
static int clean(const gm_docno_t *d)
{
    static const uint32_t APART[] = {0, '\n', '\r', ' ', '\t', '(', '[', ')', ']', ':', 0x3014, 0x3010, 0x3016,
                                     0x300A, 0x300B, 0x3001, 0x201C, '"'};
    if (!d->delimited || d->from != d->run)
        return 0;
    for (size_t k = 0; k < sizeof APART / sizeof APART[0]; k++)
        if (d->before == APART[k])
            return 1;
    return 0;
}

/* The folded issuer of D into B. */
static void issuer_of(gk_buf_t *b, const char *text, const gm_docno_t *d)
{
    gk_buf_reset(b);
    gm_put_folded(b, text + d->from, d->issuer_end - d->from);
}

/* The issuers of the clean numbers of TEXT, each once; *FIRST is where
 * the first number of any kind begins (LEN when there is none). */
static gk_status_t learn_issuers(const char *text, size_t len, seen_t *set, char ***owned, size_t *n, size_t *cap,
                                 size_t *first)
{
    size_t pos = 0;
    gm_docno_t d;
    gk_buf_t b = GK_BUF_INIT;
    gk_status_t rc = GK_OK;
    *first = len;
    while (rc == GK_OK && gm_docno_next(text, 0, len, &pos, &d)) {
        if (*first == len)
            *first = d.run;
        if (!clean(&d))
            continue;
        issuer_of(&b, text, &d);
        if (gk_buf_failed(&b) || reserve(set, *n) != GK_OK) {
            rc = GK_ERR_NOMEM;
            break;
        }
        size_t slot = probe(set, gk_buf_str(&b));
        if (set->slot[slot])
            continue;
        char *copy = strdup(gk_buf_str(&b));
        if (!copy || push(owned, n, cap, copy) != GK_OK) {
            free(copy);
            rc = GK_ERR_NOMEM;
            break;
        }
        set->slot[slot] = copy;
    }
    gk_buf_free(&b);
    return rc;
}

/* Cut D's issuer to the longest of its proper endings that ISSUERS knows,
 * unless it is known whole. */
static void cut_to_known(const char *text, gm_docno_t *d, const seen_t *issuers)
{
    if (clean(d) || contains(issuers, text + d->from, d->issuer_end - d->from))
        return;
    size_t i = d->from;
    gm_next(text, d->issuer_end, &i);
    for (; i < d->issuer_end; gm_next(text, d->issuer_end, &i)) {
        size_t rest = d->issuer_end - i;
        /* At least two characters: one is a fragment, not a code. */
        if (gm_nchars(text + i, rest) < 2)
            return;
        if (contains(issuers, text + i, rest)) {
            d->from = i;
            return;
        }
    }
}

static void drop(char **list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

gk_status_t gm_find_cited(const char *text, size_t len, const char *own, char ***out, size_t *nout)
{
    char **list = NULL;
    size_t n = 0, cap = 0, pos = 0;
    seen_t set = {NULL, 0}, issuers = {NULL, 0};
    char **owned = NULL;
    size_t nowned = 0, capowned = 0;
    gm_docno_t d;
    gk_buf_t b = GK_BUF_INIT;
    gk_status_t rc = learn_issuers(text, len, &issuers, &owned, &nowned, &capowned, &pos);
    while (rc == GK_OK && gm_docno_next(text, 0, len, &pos, &d)) {
        cut_to_known(text, &d, &issuers);
        gk_buf_reset(&b);
        gm_docno_put(&b, text, &d);
        if (gk_buf_failed(&b) || reserve(&set, n) != GK_OK) {
            rc = GK_ERR_NOMEM;
            break;
        }
        const char *s = gk_buf_str(&b);
        if (own && strcmp(s, own) == 0)
            continue;
        size_t slot = probe(&set, s);
        if (set.slot[slot])
            continue;
        char *copy = strdup(s);
        if (!copy || push(&list, &n, &cap, copy) != GK_OK) {
            free(copy);
            rc = GK_ERR_NOMEM;
            break;
        }
        set.slot[slot] = copy;
    }
    gk_buf_free(&b);
    free(set.slot);
    free(issuers.slot);
    drop(owned, nowned);
    if (rc != GK_OK) {
        drop(list, n);
        list = NULL;
        n = 0;
    }
    *out = list;
    *nout = n;
    return rc;
}
