/*
 * search_bench.c — search latency of the gongkai core, in one process.
 *
 * Opens a data directory once, then runs every query (from a TSV file with a
 * "query" column, or from the command line) WARMUP times untimed and RUNS
 * times timed. Each timed sample covers gk_search, reading every hit of the
 * page (and the facets when asked) and gk_results_free, measured with
 * clock_gettime(CLOCK_MONOTONIC). Prints p50, p90, p99, max and mean in
 * milliseconds over all samples, and queries per second.
 *
 * usage: gk_search_bench --data DIR [--queries FILE.tsv] [--column NAME]
 *                        [--runs N] [--warmup N] [--limit N]
 *                        [--scope public|all] [--size N] [--facets on|off]
 *                        [--snippets on|off] [--sort relevance|date] [--year Y]
 *                        [--slowest K] [--label TEXT] [--json] [QUERY...]
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gongkai.h"

#define MAX_QUERIES 100000
#define MAX_RUNS 10000
#define MAX_LINE (64 * 1024)

static const char usage[] =
    "usage: gk_search_bench --data DIR [--queries FILE.tsv] [--column NAME] [QUERY...]\n"
    "       [--runs N] [--warmup N] [--limit N] [--scope public|all] [--size N]\n"
    "       [--facets on|off] [--snippets on|off] [--sort relevance|date] [--year Y]\n"
    "       [--slowest K] [--label TEXT] [--json]\n"
    "\n"
    "  --queries FILE  TSV file with a header row; queries are read from the column\n"
    "                  named by --column (default \"query\")\n"
    "  --runs N        timed runs per query (default 5)\n"
    "  --warmup N      untimed runs per query before the timed ones (default 1)\n"
    "  --limit N       use at most the first N queries\n"
    "  --scope         all (default) or public\n"
    "  --size N        hits per page (default 10)\n"
    "  --facets        on (default) or off\n"
    "  --snippets      on (default) or off\n"
    "  --sort          relevance (default) or date\n"
    "  --year Y        archive-year filter (default: none)\n"
    "  --slowest K     also list the K queries with the highest median latency\n"
    "  --json          print one JSON document instead of text\n";

typedef struct query {
    char *text;
    double median_ms;
    int64_t total;  /* estimated matches of the last run */
    int failed;
} query_t;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int cmp_query_desc(const void *a, const void *b)
{
    const query_t *x = a, *y = b;
    return (x->median_ms < y->median_ms) - (x->median_ms > y->median_ms);
}

/* Nearest-rank percentile of a sorted array. */
static double percentile(const double *v, size_t n, double p)
{
    if (n == 0)
        return 0;
    size_t rank = (size_t)((p / 100.0) * (double)n + 0.999999);
    if (rank < 1)
        rank = 1;
    if (rank > n)
        rank = n;
    return v[rank - 1];
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < lo || v > hi)
        return 0;
    *out = v;
    return 1;
}

static int parse_onoff(const char *s, int *out)
{
    if (strcmp(s, "on") == 0 || strcmp(s, "1") == 0 || strcmp(s, "yes") == 0)
        *out = 1;
    else if (strcmp(s, "off") == 0 || strcmp(s, "0") == 0 || strcmp(s, "no") == 0)
        *out = 0;
    else
        return 0;
    return 1;
}

static int add_query(query_t **qs, size_t *n, size_t *cap, const char *text, size_t len)
{
    if (*n >= MAX_QUERIES)
        return 0;
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 256;
        query_t *nq = realloc(*qs, nc * sizeof *nq);
        if (!nq)
            return -1;
        *qs = nq;
        *cap = nc;
    }
    char *t = malloc(len + 1);
    if (!t)
        return -1;
    memcpy(t, text, len);
    t[len] = 0;
    (*qs)[*n] = (query_t){.text = t};
    (*n)++;
    return 1;
}

/* Read the column COLUMN of a TSV file with a header row. */
static int load_tsv(const char *path, const char *column, query_t **qs, size_t *n, size_t *cap)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "gk_search_bench: %s: %s\n", path, strerror(errno));
        return 0;
    }
    char *line = malloc(MAX_LINE);
    if (!line) {
        fclose(f);
        return 0;
    }
    int col = -1, ok = 1;
    long lineno = 0;
    while (fgets(line, MAX_LINE, f)) {
        lineno++;
        size_t len = strlen(line);
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = 0;
        /* split on tabs, bounded by the line length */
        char *fields[64];
        int nf = 0;
        char *p = line;
        while (nf < 64) {
            fields[nf++] = p;
            char *tab = strchr(p, '\t');
            if (!tab)
                break;
            *tab = 0;
            p = tab + 1;
        }
        if (col < 0) {
            for (int i = 0; i < nf; i++)
                if (strcmp(fields[i], column) == 0)
                    col = i;
            if (col < 0) {
                fprintf(stderr, "gk_search_bench: %s: no column named '%s' in the header\n", path, column);
                ok = 0;
                break;
            }
            continue;
        }
        if (col >= nf || !*fields[col])
            continue;
        size_t ql = strlen(fields[col]);
        if (ql >= GK_QUERY_MAX_BYTES) {
            fprintf(stderr, "gk_search_bench: %s:%ld: query too long, skipped\n", path, lineno);
            continue;
        }
        int r = add_query(qs, n, cap, fields[col], ql);
        if (r < 0) {
            ok = 0;
            break;
        }
        if (r == 0) {
            fprintf(stderr, "gk_search_bench: more than %d queries, the rest ignored\n", MAX_QUERIES);
            break;
        }
    }
    if (ferror(f)) {
        fprintf(stderr, "gk_search_bench: %s: read error\n", path);
        ok = 0;
    }
    free(line);
    fclose(f);
    return ok;
}

static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

/* One search, timed from the call to gk_search to the end of gk_results_free. */
static gk_status_t run_one(gk_data_t *d, const gk_search_params_t *p, double *ms, int64_t *total,
                           size_t *sink)
{
    static const char *fields[] = {"category", "type", "year", "organ"};
    double t0 = now_ms();
    gk_results_t *r = NULL;
    gk_status_t st = gk_search(d, p, &r);
    if (st == GK_OK) {
        *total = gk_results_total(r);
        size_t n = gk_results_count(r);
        for (size_t i = 0; i < n; i++) {
            const gk_hit_t *h = gk_results_hit(r, i);
            *sink += (size_t)h->id + strlen(h->snippet);
        }
        if (p->facets)
            for (size_t k = 0; k < 4; k++) {
                const gk_facet_t *fv;
                *sink += gk_results_facets(r, fields[k], &fv);
            }
        gk_results_free(r);
    }
    *ms = now_ms() - t0;
    return st;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"data", required_argument, 0, 'd'},     {"queries", required_argument, 0, 'q'},
        {"column", required_argument, 0, 'c'},   {"runs", required_argument, 0, 'r'},
        {"warmup", required_argument, 0, 'w'},   {"limit", required_argument, 0, 'l'},
        {"scope", required_argument, 0, 'S'},    {"size", required_argument, 0, 'n'},
        {"facets", required_argument, 0, 'f'},   {"snippets", required_argument, 0, 'p'},
        {"sort", required_argument, 0, 's'},     {"year", required_argument, 0, 'y'},
        {"slowest", required_argument, 0, 'k'},  {"label", required_argument, 0, 'L'},
        {"json", no_argument, 0, 'j'},           {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    const char *data_dir = NULL, *tsv = NULL, *column = "query", *label = "";
    long runs = 5, warmup = 1, limit = MAX_QUERIES, slowest = 0, v;
    int json = 0;
    gk_search_params_t params;
    gk_search_params_init(&params);
    params.scope = GK_SCOPE_ALL;
    params.size = 10;
    params.facets = 1;
    params.snippets = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': data_dir = optarg; break;
        case 'q': tsv = optarg; break;
        case 'c': column = optarg; break;
        case 'L': label = optarg; break;
        case 'j': json = 1; break;
        case 'h': fputs(usage, stdout); return 0;
        case 'r':
            if (!parse_long(optarg, 1, MAX_RUNS, &runs))
                goto bad;
            break;
        case 'w':
            if (!parse_long(optarg, 0, MAX_RUNS, &warmup))
                goto bad;
            break;
        case 'l':
            if (!parse_long(optarg, 1, MAX_QUERIES, &limit))
                goto bad;
            break;
        case 'k':
            if (!parse_long(optarg, 0, MAX_QUERIES, &slowest))
                goto bad;
            break;
        case 'n':
            if (!parse_long(optarg, 1, GK_SEARCH_MAX_SIZE, &v))
                goto bad;
            params.size = (int)v;
            break;
        case 'y':
            if (!parse_long(optarg, 1000, 9999, &v))
                goto bad;
            params.year = (int)v;
            break;
        case 'f':
            if (!parse_onoff(optarg, &params.facets))
                goto bad;
            break;
        case 'p':
            if (!parse_onoff(optarg, &params.snippets))
                goto bad;
            break;
        case 'S':
            if (strcmp(optarg, "all") == 0)
                params.scope = GK_SCOPE_ALL;
            else if (strcmp(optarg, "public") == 0)
                params.scope = GK_SCOPE_PUBLIC;
            else
                goto bad;
            break;
        case 's':
            if (strcmp(optarg, "relevance") == 0)
                params.sort = GK_SORT_RELEVANCE;
            else if (strcmp(optarg, "date") == 0)
                params.sort = GK_SORT_DATE;
            else
                goto bad;
            break;
        default:
            fputs(usage, stderr);
            return 2;
        }
        continue;
    bad:
        fprintf(stderr, "gk_search_bench: bad option value '%s'\n", optarg);
        fputs(usage, stderr);
        return 2;
    }
    if (!data_dir) {
        fputs("gk_search_bench: --data DIR is required\n", stderr);
        fputs(usage, stderr);
        return 2;
    }

    query_t *qs = NULL;
    size_t nq = 0, cap = 0;
    if (tsv && !load_tsv(tsv, column, &qs, &nq, &cap))
        return 1;
    for (int i = optind; i < argc; i++) {
        size_t ql = strlen(argv[i]);
        if (ql >= GK_QUERY_MAX_BYTES || add_query(&qs, &nq, &cap, argv[i], ql) <= 0) {
            fprintf(stderr, "gk_search_bench: query %d not usable\n", i - optind + 1);
            return 1;
        }
    }
    size_t nloaded = nq;
    if ((size_t)limit < nq)
        nq = (size_t)limit;
    if (nq == 0) {
        fputs("gk_search_bench: no queries (give --queries FILE or QUERY arguments)\n", stderr);
        return 2;
    }

    char *err = NULL;
    gk_data_t *d = NULL;
    double t_open = now_ms();
    gk_status_t st = gk_data_open(data_dir, GK_OPEN_READ, &d, &err);
    t_open = now_ms() - t_open;
    if (st != GK_OK) {
        fprintf(stderr, "gk_search_bench: %s: %s\n", data_dir, err ? err : gk_status_to_string(st));
        free(err);
        return 1;
    }
    int64_t lag = 0;
    if (gk_index_lag(d, &lag) == GK_OK && lag > 0)
        fprintf(stderr, "gk_search_bench: warning: the index is %lld changes behind the catalogue\n",
                (long long)lag);

    size_t nsamples = nq * (size_t)runs;
    double *all = malloc(nsamples * sizeof *all);
    double *per = malloc((size_t)runs * sizeof *per);
    if (!all || !per) {
        fputs("gk_search_bench: out of memory\n", stderr);
        return 1;
    }
    size_t ns = 0, sink = 0, nfailed = 0, nempty = 0;
    double t_wall = now_ms();
    for (size_t i = 0; i < nq; i++) {
        params.query = qs[i].text;
        double ms;
        int64_t total = 0;
        for (long w = 0; w < warmup; w++)
            run_one(d, &params, &ms, &total, &sink);
        size_t np = 0;
        for (long r = 0; r < runs; r++) {
            st = run_one(d, &params, &ms, &total, &sink);
            if (st != GK_OK) {
                if (!qs[i].failed)
                    fprintf(stderr, "gk_search_bench: query '%s': %s\n", qs[i].text, gk_data_error(d));
                qs[i].failed = 1;
                break;
            }
            per[np++] = ms;
            all[ns++] = ms;
        }
        if (qs[i].failed) {
            nfailed++;
            continue;
        }
        qsort(per, np, sizeof *per, cmp_double);
        qs[i].median_ms = percentile(per, np, 50);
        qs[i].total = total;
        if (total == 0)
            nempty++;
    }
    t_wall = now_ms() - t_wall;
    qsort(all, ns, sizeof *all, cmp_double);
    double sum = 0;
    for (size_t i = 0; i < ns; i++)
        sum += all[i];
    double mean = ns ? sum / (double)ns : 0;
    double p50 = percentile(all, ns, 50), p90 = percentile(all, ns, 90), p99 = percentile(all, ns, 99);
    double max = ns ? all[ns - 1] : 0;
    double qps = sum > 0 ? (double)ns / (sum / 1e3) : 0;

    if ((size_t)slowest > nq)
        slowest = (long)nq;
    if (slowest)
        qsort(qs, nq, sizeof *qs, cmp_query_desc);

    const char *sort_name = params.sort == GK_SORT_DATE ? "date" : "relevance";
    const char *scope_name = params.scope == GK_SCOPE_ALL ? "all" : "public";
    if (json) {
        printf("{\"label\":");
        json_string(stdout, label);
        printf(",\"data\":");
        json_string(stdout, data_dir);
        printf(",\"queries\":%zu,\"runs\":%ld,\"warmup\":%ld,\"samples\":%zu,\"failed\":%zu,"
               "\"no_match\":%zu,\"scope\":\"%s\",\"size\":%d,\"facets\":%s,\"snippets\":%s,"
               "\"sort\":\"%s\",\"year\":%d,\"open_ms\":%.3f,"
               "\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,\"mean_ms\":%.3f,"
               "\"qps\":%.1f,\"wall_s\":%.3f",
               nq, runs, warmup, ns, nfailed, nempty, scope_name, params.size,
               params.facets ? "true" : "false", params.snippets ? "true" : "false", sort_name,
               params.year, t_open, p50, p90, p99, max, mean, qps, t_wall / 1e3);
        if (nq == 1)
            printf(",\"total\":%lld", (long long)qs[0].total);
        if (slowest) {
            printf(",\"slowest\":[");
            for (long i = 0; i < slowest; i++) {
                printf("%s{\"query\":", i ? "," : "");
                json_string(stdout, qs[i].text);
                printf(",\"median_ms\":%.3f,\"total\":%lld}", qs[i].median_ms, (long long)qs[i].total);
            }
            printf("]");
        }
        printf("}\n");
    } else {
        if (*label)
            printf("%s\n", label);
        printf("data %s: %zu queries x %ld runs (+%ld warm-up), scope %s, size %d, facets %s, "
               "snippets %s, sort %s",
               data_dir, nq, runs, warmup, scope_name, params.size, params.facets ? "on" : "off",
               params.snippets ? "on" : "off", sort_name);
        if (params.year)
            printf(", year %d", params.year);
        printf("\n");
        if (nq == 1)
            printf("matches %lld\n", (long long)qs[0].total);
        printf("samples %zu, failed queries %zu, queries with no match %zu, open %.1f ms\n", ns, nfailed,
               nempty, t_open);
        printf("latency ms: p50 %.3f  p90 %.3f  p99 %.3f  max %.3f  mean %.3f\n", p50, p90, p99, max, mean);
        printf("throughput: %.1f queries/s (one thread)\n", qps);
        for (long i = 0; i < slowest; i++)
            printf("  slow %2ld: %8.3f ms  %8lld matches  %s\n", i + 1, qs[i].median_ms,
                   (long long)qs[i].total, qs[i].text);
    }
    if (sink == 42)
        fputc(' ', stderr); /* keep the reads of the results from being optimised away */
    for (size_t i = 0; i < nloaded; i++)
        free(qs[i].text);
    free(qs);
    free(all);
    free(per);
    gk_data_close(d);
    return nfailed ? 1 : 0;
}
