/* cmd_search.c — gongkai search QUERY */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "gongkai_json.h"

static const char usage[] =
    "usage: gongkai search QUERY [--category C] [--type T] [--year Y] [--from D] [--to D]\n"
    "                            [--sort relevance|date] [--page N] [--size N]\n"
    "                            [--scope public|all] [--json]\n"
    "\n"
    "Query language:\n"
    "  words             all must match; a Chinese word matches as an exact substring\n"
    "  \"exact phrase\"    these words, in this order\n"
    "  -word             must not match\n"
    "  a OR b            either\n"
    "  title:X type:X category:X organ:X year:2024 date:2024-01-01..2024-06-30\n"
    "                    (also 标题: 文种: 类别: 机关: 年度: 日期:)\n"
    "\n"
    "  --from/--to D     date range, YYYY, YYYY-MM or YYYY-MM-DD\n"
    "  --sort            relevance (default) or date (newest first)\n"
    "  --page N --size N page (from 1) and hits per page (1..1000, default 10)\n"
    "  --scope           public (default: published items only) or all\n"
    "  --json            print results as JSON\n";

static int parse_int(const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < -1000000 || v > 1000000)
        return 0;
    *out = (int)v;
    return 1;
}

/* A snippet is HTML (for the page and --json): here its marks become bold
 * on a terminal and nothing elsewhere, and its entities characters. */
static void print_snippet(const char *html, int tty)
{
    static const struct {
        const char *from, *to;
        int mark; /* shown on a terminal only */
    } subst[] = {{"<mark>", "\033[1m", 1}, {"</mark>", "\033[22m", 1}, {"&amp;", "&", 0},
                 {"&lt;", "<", 0},         {"&gt;", ">", 0},           {"&quot;", "\"", 0}};
    for (const char *s = html; *s;) {
        size_t k = 0, n = sizeof subst / sizeof subst[0];
        while (k < n && strncmp(s, subst[k].from, strlen(subst[k].from)) != 0)
            k++;
        if (k == n) {
            putchar(*s++);
            continue;
        }
        if (!subst[k].mark || tty)
            fputs(subst[k].to, stdout);
        s += strlen(subst[k].from);
    }
}

static void print_human(const gk_results_t *r, const gk_search_params_t *p)
{
    int tty = isatty(STDOUT_FILENO);
    size_t n = gk_results_count(r);
    printf("%s%lld results", gk_results_total_exact(r) ? "" : "about ", (long long)gk_results_total(r));
    if (n)
        printf(", %d–%zu", (p->page - 1) * p->size + 1, (size_t)((p->page - 1) * p->size) + n);
    printf("\n");
    for (size_t i = 0; i < n; i++) {
        const gk_hit_t *h = gk_results_hit(r, i);
        printf("\n[%lld] %s\n", (long long)h->id, h->title ? h->title : h->filename);
        printf("     %s", h->filename);
        if (h->docno)
            printf("  %s", h->docno);
        if (h->date)
            printf("  %s", h->date);
        if (h->type)
            printf("  %s", h->type);
        if (h->category)
            printf("  %s", h->category);
        printf("\n");
        if (*h->snippet) {
            fputs("     ", stdout);
            print_snippet(h->snippet, tty);
            putchar('\n');
        }
    }
}

int cmd_search(cli_t *cli, int argc, char **argv)
{
    if (cli_wants_help(argc, argv, usage))
        return EXIT_OK;
    static const struct option opts[] = {
        {"category", required_argument, 0, 'c'}, {"type", required_argument, 0, 't'},
        {"year", required_argument, 0, 'y'},     {"from", required_argument, 0, 'f'},
        {"to", required_argument, 0, 'T'},       {"sort", required_argument, 0, 's'},
        {"page", required_argument, 0, 'p'},     {"size", required_argument, 0, 'n'},
        {"scope", required_argument, 0, 'S'},    {"organ", required_argument, 0, 'o'},
        {"json", no_argument, 0, 'j'},           {0, 0, 0, 0},
    };
    gk_search_params_t p;
    gk_search_params_init(&p);
    int json = 0, c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'c': p.category = optarg; break;
        case 't': p.type = optarg; break;
        case 'o': p.organ = optarg; break;
        case 'f': p.from = optarg; break;
        case 'T': p.to = optarg; break;
        case 'j': json = 1; break;
        case 'y':
            if (!parse_int(optarg, &p.year) || p.year < 1000 || p.year > 9999) {
                cli_error("search", "--year wants a year such as 2024, not '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case 's':
            if (strcmp(optarg, "relevance") == 0)
                p.sort = GK_SORT_RELEVANCE;
            else if (strcmp(optarg, "date") == 0)
                p.sort = GK_SORT_DATE;
            else {
                cli_error("search", "--sort is relevance or date, not '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'p':
        case 'n':
            if (!parse_int(optarg, c == 'p' ? &p.page : &p.size)) {
                cli_error("search", "--%s wants a number, not '%s'", c == 'p' ? "page" : "size", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'S':
            if (strcmp(optarg, "public") == 0)
                p.scope = GK_SCOPE_PUBLIC;
            else if (strcmp(optarg, "all") == 0)
                p.scope = GK_SCOPE_ALL;
            else {
                cli_error("search", "--scope is public or all, not '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        default: fputs(usage, stderr); return EXIT_USAGE;
        }
    }
    if (optind + 1 != argc) {
        cli_error("search", optind >= argc ? "no query given (quote a query of several words)"
                                           : "one query argument expected (quote a query of several words)");
        return EXIT_USAGE;
    }
    if (p.page < 1 || p.size < 1 || p.size > GK_SEARCH_MAX_SIZE) {
        cli_error("search", "--page must be 1 or more and --size between 1 and %d", GK_SEARCH_MAX_SIZE);
        return EXIT_USAGE;
    }
    p.query = argv[optind];
    p.facets = json; /* the human listing shows no facets: skip the cost */
    gk_data_t *d;
    int rc = cli_open(cli, GK_OPEN_READ, &d);
    if (rc)
        return rc;
    cli_catch_up(cli, d);
    gk_results_t *r;
    gk_status_t st = gk_search(d, &p, &r);
    if (st != GK_OK) {
        cli_error("search", "%s", gk_data_error(d));
        gk_data_close(d);
        return cli_exit_code(st);
    }
    if (json)
        cli_print_json(gk_json_results(r));
    else
        print_human(r, &p);
    gk_results_free(r);
    gk_data_close(d);
    return EXIT_OK;
}
