/*
 * search.c — one search code path for the CLI and the daemon: compile the
 * query (query.c), run it on all shards, and dress the hits with catalogue
 * fields and snippets.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

#define SNIPPET_WIDTH 120
/* A snippet is first looked for in this much of the start of the text. */
#define SNIPPET_START_BYTES 8192
/* The first hits of a plain query are re-ranked by how they match in the
 * title: an exact title first, then titles holding every word, the more of
 * the title the query covers the better. */
#define RERANK_DEPTH 50
/* Totals are exact up to this many matches (with facets, always). */
#define EXACT_TOTAL_BELOW 1000

static const unsigned facet_slots[] = {GK_SLOT_CATEGORY, GK_SLOT_TYPE, GK_SLOT_YEAR, GK_SLOT_ORGAN,
                                       GK_SLOT_VISIBILITY};
static const char *const facet_names[] = {"category", "type", "year", "organ", "visibility"};
#define NFACETS (sizeof facet_slots / sizeof facet_slots[0])

struct gk_results {
    int64_t total;
    int total_exact;
    size_t n;
    gk_hit_t *hits;
    gk_item_t **items;      /* own the strings the hits point to */
    char **snippets;
    gk_facet_t *facets[NFACETS];
    size_t nfacet[NFACETS];
    char *facet_strings;    /* one block holding every facet name */
};

void gk_search_params_init(gk_search_params_t *p)
{
    memset(p, 0, sizeof *p);
    p->page = 1;
    p->size = 10;
    p->facets = 1;
    p->snippets = 1;
    p->scope = GK_SCOPE_PUBLIC;
}

void gk_results_free(gk_results_t *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        gk_item_free(r->items[i]);
        free(r->snippets[i]);
    }
    free(r->items);
    free(r->snippets);
    free(r->hits);
    for (size_t k = 0; k < NFACETS; k++)
        free(r->facets[k]);
    free(r->facet_strings);
    free(r);
}

int64_t gk_results_total(const gk_results_t *r) { return r->total; }
int gk_results_total_exact(const gk_results_t *r) { return r->total_exact; }
size_t gk_results_count(const gk_results_t *r) { return r->n; }
const gk_hit_t *gk_results_hit(const gk_results_t *r, size_t i) { return i < r->n ? &r->hits[i] : NULL; }

size_t gk_results_facets(const gk_results_t *r, const char *field, const gk_facet_t **out)
{
    for (size_t k = 0; k < NFACETS; k++) {
        if (strcmp(field, facet_names[k]) == 0) {
            *out = r->facets[k];
            return r->nfacet[k];
        }
    }
    *out = NULL;
    return 0;
}

static gk_status_t copy_facets(gk_results_t *r, const gkx_mset_t *m)
{
    size_t bytes = 0;
    for (size_t k = 0; k < NFACETS; k++) {
        for (size_t i = 0; i < gkx_mset_facet_size(m, k); i++) {
            const char *v;
            uint64_t c;
            gkx_mset_facet(m, k, i, &v, &c);
            bytes += strlen(v) + 1;
        }
    }
    r->facet_strings = malloc(bytes + 1);
    if (!r->facet_strings)
        return GK_ERR_NOMEM;
    char *at = r->facet_strings;
    for (size_t k = 0; k < NFACETS; k++) {
        size_t n = gkx_mset_facet_size(m, k);
        r->facets[k] = calloc(n + 1, sizeof(gk_facet_t));
        if (!r->facets[k])
            return GK_ERR_NOMEM;
        for (size_t i = 0; i < n; i++) {
            const char *v;
            uint64_t c;
            gkx_mset_facet(m, k, i, &v, &c);
            strcpy(at, v);
            r->facets[k][i] = (gk_facet_t){at, (int64_t)c};
            at += strlen(v) + 1;
        }
        r->nfacet[k] = n;
    }
    return GK_OK;
}

typedef struct ranked {
    size_t index;    /* position in the mset */
    int tier;        /* 2 exact title, 1 title holds every word, 0 other */
    double score;
} ranked_t;

/* Tier and score of a hit whose data is "id<TAB>key<TAB>key...". */
static ranked_t rank_hit(const char *data, double weight, const char *const *keys, size_t nkeys, const char *joined)
{
    ranked_t r = {0, 0, weight};
    const char *k = strchr(data, '\t');
    double best = 0;
    while (k) {
        k++;
        const char *end = strchr(k, '\t');
        size_t len = end ? (size_t)(end - k) : strlen(k);
        if (len == strlen(joined) && memcmp(k, joined, len) == 0) {
            r.tier = 2;
        } else if (r.tier < 2) {
            size_t covered = 0, i = 0;
            for (; i < nkeys; i++) {
                const char *hit = memmem(k, len, keys[i], strlen(keys[i]));
                if (!hit)
                    break;
                covered += strlen(keys[i]);
            }
            if (i == nkeys && len) {
                r.tier = 1;
                double c = (double)covered / (double)len;
                if (c > best)
                    best = c;
            }
        }
        k = end;
    }
    if (r.tier == 1)
        r.score = weight * (0.5 + best);
    return r;
}

static int ranked_cmp(const void *a, const void *b)
{
    const ranked_t *x = a, *y = b;
    if (x->tier != y->tier)
        return y->tier - x->tier;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return x->index < y->index ? -1 : x->index > y->index; /* stable */
}

static gk_status_t check_params(gk_data_t *d, const gk_search_params_t *p)
{
    if (p->page < 1)
        return gk__fail(d, GK_ERR_INVALID, "page must be 1 or more");
    if (p->size < 1 || p->size > GK_SEARCH_MAX_SIZE)
        return gk__fail(d, GK_ERR_INVALID, "size must be between 1 and %d", GK_SEARCH_MAX_SIZE);
    /* Deep pages are costly and nobody reads them. */
    if ((int64_t)p->page * p->size > 100000)
        return gk__fail(d, GK_ERR_INVALID, "page %d is beyond the last page served", p->page);
    return GK_OK;
}

/*
 * The snippet of item ID's text. The start of the text usually decides it
 * (titles and first mentions come early), so the whole text is read only
 * when the start has no match.
 */
static char *hit_snippet(sqlite3 *db, sqlite3_blob **blob, int64_t id, const char *const *marks, size_t nmarks)
{
    char start[SNIPPET_START_BYTES];
    size_t len, total;
    if (gk__cat_text_start(db, blob, id, start, sizeof start, &len, &total) != GK_OK)
        return NULL;
    if (len < total) {
        char *s = gk__snippet_of_start(start, len, marks, nmarks, SNIPPET_WIDTH);
        if (s)
            return s;
        char *text;
        if (gk__cat_text(db, id, &text, &len) != GK_OK)
            return NULL;
        s = gk__snippet(text, len, marks, nmarks, SNIPPET_WIDTH);
        free(text);
        return s;
    }
    return gk__snippet(start, len, marks, nmarks, SNIPPET_WIDTH);
}

gk_status_t gk_search(gk_data_t *d, const gk_search_params_t *p, gk_results_t **out)
{
    *out = NULL;
    gk_status_t rc = check_params(d, p);
    if (rc != GK_OK)
        return rc;
    gkx_db_t *db;
    if ((rc = gk__reader(d, &db)) != GK_OK)
        return rc;
    gkx_qb_t *qb = NULL;
    gk_query_t *q = NULL;
    gkx_mset_t *m = NULL;
    gk_results_t *r = NULL;
    size_t *order = NULL;
    sqlite3_blob *blob = NULL; /* reads the texts for snippets */
    gkx_q root;
    if ((rc = gkx_qb_new(&qb)) != GK_OK)
        goto out;
    if ((rc = gk__query_compile(d, p, qb, &root, &q)) != GK_OK)
        goto out;
    const char *const *keys;
    size_t nkeys = gk__query_title_keys(q, &keys);
    uint32_t offset = (uint32_t)((p->page - 1) * p->size);
    int rerank = p->sort == GK_SORT_RELEVANCE && nkeys > 0 && offset < RERANK_DEPTH;
    gkx_search_t s = {
        .query = root,
        .sort_slot = p->sort == GK_SORT_DATE ? GK_SLOT_DATE : -1,
        .offset = rerank ? 0 : offset,
        .size = rerank ? (offset + (uint32_t)p->size > RERANK_DEPTH ? offset + (uint32_t)p->size : RERANK_DEPTH)
                       : (uint32_t)p->size,
        .facet_slots = p->facets ? facet_slots : NULL,
        .nfacets = p->facets ? NFACETS : 0,
        .check_at_least = EXACT_TOTAL_BELOW,
    };
    if ((rc = gkx_search(db, qb, &s, &m)) != GK_OK) {
        rc = gk__fail(d, rc, "search failed: %s", gkx_db_error(db));
        goto out;
    }
    r = calloc(1, sizeof *r);
    size_t n = gkx_mset_size(m);
    if (!r || !(r->hits = calloc(n + 1, sizeof *r->hits)) || !(r->items = calloc(n + 1, sizeof *r->items)) ||
        !(r->snippets = calloc(n + 1, sizeof *r->snippets))) {
        rc = GK_ERR_NOMEM;
        goto out;
    }
    r->total = (int64_t)gkx_mset_total(m);
    r->total_exact = gkx_mset_total_exact(m);
    /* The order to take hits in: Xapian's, or re-ranked at the top. */
    order = malloc((n + 1) * sizeof *order);
    if (!order) {
        rc = GK_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    if (rerank) {
        gk_buf_t joined = GK_BUF_INIT;
        for (size_t i = 0; i < nkeys; i++)
            gk_buf_puts(&joined, keys[i]);
        size_t depth = n < RERANK_DEPTH ? n : RERANK_DEPTH;
        ranked_t *rk = malloc((depth + 1) * sizeof *rk);
        if (rk && !gk_buf_failed(&joined)) {
            for (size_t i = 0; i < depth; i++) {
                rk[i] = rank_hit(gkx_mset_data(m, i), gkx_mset_weight(m, i), keys, nkeys, gk_buf_str(&joined));
                rk[i].index = i;
            }
            qsort(rk, depth, sizeof *rk, ranked_cmp);
            for (size_t i = 0; i < depth; i++)
                order[i] = rk[i].index;
        }
        free(rk);
        gk_buf_free(&joined);
    }
    size_t first = rerank ? offset : 0, last = rerank ? (offset + (size_t)p->size < n ? offset + (size_t)p->size : n) : n;
    const char *const *marks;
    size_t nmarks = gk__query_highlights(q, &marks);
    for (size_t k = first; k < last; k++) {
        size_t i = order[k];
        int64_t id = strtoll(gkx_mset_data(m, i), NULL, 10);
        gk_item_t *it;
        rc = gk__cat_get(d->db, id, &it);
        if (rc == GK_ERR_NOT_FOUND)
            continue; /* deleted since the index was written */
        if (rc != GK_OK) {
            rc = gk__fail(d, rc, "reading item %" PRId64 ": %s", id, sqlite3_errmsg(d->db));
            goto out;
        }
        char *snippet = p->snippets ? hit_snippet(d->db, &blob, id, marks, nmarks) : NULL;
        r->items[r->n] = it;
        r->snippets[r->n] = snippet ? snippet : strdup("");
        r->hits[r->n] = (gk_hit_t){
            .id = id,
            .score = gkx_mset_weight(m, i),
            .title = it->title,
            .filename = it->filename,
            .category = it->category,
            .type = it->type,
            .date = it->date,
            .docno = it->docno,
            .organ = it->organ,
            .snippet = r->snippets[r->n] ? r->snippets[r->n] : "",
        };
        r->n++;
    }
    rc = p->facets ? copy_facets(r, m) : GK_OK;
out:
    sqlite3_blob_close(blob);
    free(order);
    if (rc == GK_OK) {
        *out = r;
        r = NULL;
    }
    gk_results_free(r);
    gkx_mset_free(m);
    gk__query_free(q);
    gkx_qb_free(qb);
    return rc;
}
