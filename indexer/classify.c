/* classify.c — catalogue categories from readable rules (classify.h). */
#include "classify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsv.h"

/* The body is looked at only this far: what a document is about shows in
 * its first pages, and the rules run on every archived file. */
#define BODY_WINDOW (64 * 1024)
#define BODY_MAX_HITS 3
/* Words of a category's scope (taxonomy.h) found in the title, and per
 * distinct word in the body. */
#define SCOPE_TITLE_WEIGHT 2.0
#define SCOPE_BODY_WEIGHT 0.5
#define MAX_WORDS 64

typedef enum field { F_TYPE, F_TITLE, F_ORGAN, F_BODY } field_t;

typedef struct rule {
    const gk_category_t *category;
    field_t field;
    char *words[MAX_WORDS];
    size_t nwords;
    double weight;
    char origin[96]; /* "category-rules.tsv:12", or "scope of 社会救助" */
} rule_t;

struct gk_classifier {
    const gk_taxonomy_t *tax;
    rule_t *rules;
    size_t n, cap;
    size_t unused;
};

static const char *const columns[] = {"category", "field", "words", "weight"};

void gk_classifier_free(gk_classifier_t *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        for (size_t k = 0; k < c->rules[i].nwords; k++)
            free(c->rules[i].words[k]);
    free(c->rules);
    free(c);
}

size_t gk_classifier_unused_rows(const gk_classifier_t *c) { return c ? c->unused : 0; }

static rule_t *new_rule(gk_classifier_t *c)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 64;
        rule_t *v = realloc(c->rules, cap * sizeof *v);
        if (!v)
            return NULL;
        c->rules = v;
        c->cap = cap;
    }
    rule_t *r = &c->rules[c->n++];
    memset(r, 0, sizeof *r);
    return r;
}

/* Split S at any of the byte strings in SEPS into R's words (copies). */
static int add_words(rule_t *r, const char *s, const char *const *seps, size_t nseps)
{
    while (*s) {
        size_t len = strlen(s), cut = len, skip = 0;
        for (size_t i = 0; i < nseps; i++) {
            const char *at = strstr(s, seps[i]);
            if (at && (size_t)(at - s) < cut) {
                cut = (size_t)(at - s);
                skip = strlen(seps[i]);
            }
        }
        if (cut > 0 && r->nwords < MAX_WORDS && !(r->words[r->nwords++] = strndup(s, cut)))
            return GK_ERR_NOMEM;
        s += cut + skip;
    }
    return GK_OK;
}

typedef struct parse_ctx {
    gk_classifier_t *c;
    const char *source;
    char *err;
    size_t errlen;
} parse_ctx_t;

static int add_row(void *arg, const gk_tsv_row_t *row)
{
    parse_ctx_t *p = arg;
    static const char *const names[] = {"type", "title", "organ", "body"};
    int field = -1;
    for (int i = 0; i < 4; i++)
        if (strcmp(row->field[1], names[i]) == 0)
            field = i;
    char *end;
    double weight = strtod(row->field[3], &end);
    if (field < 0 || !*row->field[2] || end == row->field[3] || *end || weight <= 0 || weight > 1000) {
        snprintf(p->err, p->errlen,
                 "%s:%d: a rule is CATEGORY, a field (type, title, organ or body), words and a weight above 0",
                 p->source, row->line);
        return GK_ERR_INVALID;
    }
    const gk_category_t *cat = gk_taxonomy_find(p->c->tax, row->field[0]);
    if (!cat) {
        p->c->unused++;
        return GK_OK;
    }
    rule_t *r = new_rule(p->c);
    if (!r)
        return GK_ERR_NOMEM;
    r->category = cat;
    r->field = (field_t)field;
    r->weight = weight;
    snprintf(r->origin, sizeof r->origin, "%s:%d", p->source, row->line);
    static const char *const space[] = {" "};
    return add_words(r, row->field[2], space, 1);
}

/* Each category's scope words become two rules: in the title, in the body. */
static int add_scope_rules(gk_classifier_t *c)
{
    static const char *const seps[] = {"、", "，", ",", "；", ";", " ", "与", "和", "及"};
    for (size_t i = 0; i < gk_taxonomy_count(c->tax); i++) {
        const gk_category_t *cat = gk_taxonomy_at(c->tax, i);
        if (!*cat->scope)
            continue;
        for (int f = 0; f < 2; f++) {
            rule_t *r = new_rule(c);
            if (!r)
                return GK_ERR_NOMEM;
            r->category = cat;
            r->field = f == 0 ? F_TITLE : F_BODY;
            r->weight = f == 0 ? SCOPE_TITLE_WEIGHT : SCOPE_BODY_WEIGHT;
            snprintf(r->origin, sizeof r->origin, "scope of %s", cat->name);
            if (add_words(r, cat->scope, seps, sizeof seps / sizeof seps[0]) != GK_OK)
                return GK_ERR_NOMEM;
            /* One character says too little to classify by. */
            size_t k = 0;
            for (size_t w = 0; w < r->nwords; w++) {
                if (strlen(r->words[w]) > 3)
                    r->words[k++] = r->words[w];
                else
                    free(r->words[w]);
            }
            r->nwords = k;
        }
    }
    return GK_OK;
}

gk_status_t gk_classifier_parse(const char *text, size_t len, const char *source, const gk_taxonomy_t *tax,
                                gk_classifier_t **out, char *err, size_t errlen)
{
    *out = NULL;
    gk_classifier_t *c = calloc(1, sizeof *c);
    if (!c)
        return GK_ERR_NOMEM;
    c->tax = tax;
    parse_ctx_t p = {c, source, err, errlen};
    int rc = gk_tsv_each(text, len, source, columns, 4, add_row, &p, err, errlen);
    if (rc == GK_OK)
        rc = add_scope_rules(c);
    if (rc != GK_OK) {
        gk_classifier_free(c);
        return (gk_status_t)rc;
    }
    *out = c;
    return GK_OK;
}

gk_status_t gk_classifier_load(const char *dir, int writable, const gk_taxonomy_t *tax, gk_classifier_t **out,
                               char *err, size_t errlen)
{
    *out = NULL;
    gk_status_t rc;
    if (writable && (rc = gk_write_default_file(dir, GK_CATEGORY_RULES_FILE, gk_default_category_rules_tsv, err,
                                                errlen)) != GK_OK)
        return rc;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, GK_CATEGORY_RULES_FILE);
    char *text;
    size_t len;
    if ((rc = gk_tsv_read_file(path, &text, &len, err, errlen)) == GK_ERR_NOT_FOUND)
        return gk_classifier_parse(gk_default_category_rules_tsv, strlen(gk_default_category_rules_tsv),
                                   "default category rules", tax, out, err, errlen);
    if (rc != GK_OK)
        return rc;
    rc = gk_classifier_parse(text, len, GK_CATEGORY_RULES_FILE, tax, out, err, errlen);
    free(text);
    return rc;
}

/* memmem over at most the body window. */
static int body_has(const gk_classify_input_t *in, const char *word)
{
    size_t n = in->body_len < BODY_WINDOW ? in->body_len : BODY_WINDOW;
    return in->body && memmem(in->body, n, word, strlen(word)) != NULL;
}

/* How much rule R adds for IN; *which: the word that fired. */
static double rule_score(const rule_t *r, const gk_classify_input_t *in, const char **which)
{
    const char *text = r->field == F_TYPE ? in->type : r->field == F_TITLE ? in->title : in->organ;
    int hits = 0;
    for (size_t w = 0; w < r->nwords; w++) {
        const char *word = r->words[w];
        int hit = r->field == F_BODY    ? body_has(in, word)
                  : r->field == F_TYPE ? text && strcmp(text, word) == 0
                                       : text && strstr(text, word) != NULL;
        if (!hit)
            continue;
        if (!hits)
            *which = word;
        hits++;
        if (r->field != F_BODY || hits == BODY_MAX_HITS)
            break;
    }
    return hits * r->weight;
}

void gk_classify(const gk_classifier_t *c, const gk_classify_input_t *in, gk_classification_t *out)
{
    memset(out, 0, sizeof *out);
    size_t ncat = gk_taxonomy_count(c->tax);
    double *score = calloc(ncat + 1, sizeof *score), *top = calloc(ncat + 1, sizeof *top);
    const rule_t **top_rule = calloc(ncat + 1, sizeof *top_rule);
    const char **top_word = calloc(ncat + 1, sizeof *top_word);
    if (!score || !top || !top_rule || !top_word)
        goto done;
    for (size_t i = 0; i < c->n; i++) {
        const rule_t *r = &c->rules[i];
        const char *word = NULL;
        double s = rule_score(r, in, &word);
        if (s <= 0)
            continue;
        size_t k = (size_t)(r->category - gk_taxonomy_at(c->tax, 0));
        score[k] += s;
        if (s > top[k]) {
            top[k] = s;
            top_rule[k] = r;
            top_word[k] = word;
        }
    }
    /* The highest score; on a tie the category listed first. */
    size_t best = ncat;
    for (size_t k = 0; k < ncat; k++)
        if (best == ncat || score[k] > score[best])
            best = k;
    double second = 0;
    for (size_t k = 0; k < ncat; k++)
        if (k != best && score[k] > second)
            second = score[k];
    if (best < ncat && score[best] >= GK_CLASSIFY_MIN_SCORE) {
        static const char *const names[] = {"type", "title", "organ", "body"};
        out->category = gk_taxonomy_at(c->tax, best);
        out->score = score[best];
        out->confidence = (score[best] - second) / score[best];
        snprintf(out->rule, sizeof out->rule, "%s %s (%s)", names[top_rule[best]->field], top_word[best],
                 top_rule[best]->origin);
    }
done:
    free(score);
    free(top);
    free(top_rule);
    free(top_word);
}
