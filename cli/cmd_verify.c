/* cmd_verify.c — gongkai verify */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char usage[] =
    "usage: gongkai verify [--repair] [--json]\n"
    "\n"
    "Check every stored original against its SHA-256 and that the index holds\n"
    "exactly the catalogue's items. Exit status 0 only when all is well, 1 when\n"
    "a problem was found (each is listed). --repair indexes again every item the\n"
    "index lacks or holds wrongly, catches up with the change log, and checks\n"
    "again; a missing or damaged original cannot be repaired from here (restore\n"
    "it from a backup: its SHA-256 names it).\n";

typedef struct problems {
    json_t *list;       /* for --json */
    int collect;        /* --repair: keep the items whose index entry disagrees */
    int64_t *index_ids;
    size_t n, cap;
    int oom;
} problems_t;

static void problem(void *ctx, int64_t id, const char *what)
{
    problems_t *p = ctx;
    if (p->list)
        json_array_append_new(p->list, json_pack("{s:I, s:s}", "id", (json_int_t)id, "problem", what));
    else
        fprintf(stderr, "gongkai: verify: item %lld: %s\n", (long long)id, what);
    if (!p->collect || !strstr(what, "index"))
        return;
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 256;
        int64_t *v = realloc(p->index_ids, cap * sizeof *v);
        if (!v) {
            p->oom = 1;
            return;
        }
        p->index_ids = v;
        p->cap = cap;
    }
    p->index_ids[p->n++] = id;
}

/* One line on a terminal, redrawn: originals checked of all. */
static void show_progress(void *ctx, int64_t done, int64_t total)
{
    (void)ctx;
    fprintf(stderr, "\r\033[Kverifying %lld/%lld originals (%d%%)", (long long)done, (long long)total,
            total ? (int)(done * 100 / total) : 100);
}

/* Queue the index entries that disagree, and bring the index up to date. */
static gk_status_t repair(cli_t *cli, const problems_t *p)
{
    gk_data_t *w;
    gk_status_t st = gk_data_open(cli->data_dir, GK_OPEN_WRITE, &w, NULL);
    if (st != GK_OK)
        return st;
    st = gk_catalogue_begin(w);
    for (size_t i = 0; i < p->n && st == GK_OK; i++)
        st = gk_index_requeue(w, p->index_ids[i]);
    st = st == GK_OK ? gk_catalogue_commit(w) : (gk_catalogue_rollback(w), st);
    if (st == GK_OK)
        st = gk_index_update(w, NULL, NULL);
    if (st != GK_OK)
        cli_error("verify", "repair: %s", gk_data_error(w));
    gk_data_close(w);
    return st;
}

int cmd_verify(cli_t *cli, int argc, char **argv)
{
    if (cli_wants_help(argc, argv, usage))
        return EXIT_OK;
    int json = 0, fix = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (strcmp(argv[i], "--repair") == 0)
            fix = 1;
        else {
            fputs(usage, stderr);
            return EXIT_USAGE;
        }
    }
    gk_data_t *d;
    int rc = cli_open(cli, GK_OPEN_READ, &d);
    if (rc)
        return rc;
    problems_t pr = {.list = json ? json_array() : NULL, .collect = fix};
    json_t *problems = pr.list;
    gk_verify_report_t r;
    int tty = !json && isatty(STDERR_FILENO);
    gk_verify_progress_fn progress = tty ? show_progress : NULL;
    gk_status_t st = gk_verify_progress(d, &r, problem, &pr, progress, NULL);
    if (st == GK_OK && pr.oom)
        st = GK_ERR_NOMEM;
    if (tty)
        fprintf(stderr, "\r\033[K");
    int repaired = 0;
    if (st == GK_OK && fix && (pr.n || r.index_lag)) {
        /* Check again after the repair: the report is of what is left. */
        if (repair(cli, &pr) == GK_OK) {
            repaired = (int)pr.n;
            gk_data_close(d);
            if ((rc = cli_open(cli, GK_OPEN_READ, &d)) != 0) {
                free(pr.index_ids);
                json_decref(problems);
                return rc;
            }
            json_decref(problems);
            pr.list = problems = json ? json_array() : NULL;
            pr.n = 0;
            st = gk_verify_progress(d, &r, problem, &pr, progress, NULL);
            if (tty)
                fprintf(stderr, "\r\033[K");
        }
    }
    free(pr.index_ids);
    if (st != GK_OK) {
        cli_error("verify", "%s", gk_data_error(d));
        json_decref(problems);
        gk_data_close(d);
        return cli_exit_code(st) == EXIT_NOTFOUND ? EXIT_PARTIAL : cli_exit_code(st);
    }
    int ok = r.objects_missing == 0 && r.objects_corrupt == 0 && r.index_missing == 0 && r.index_extra == 0 &&
             r.index_lag == 0;
    if (json) {
        json_t *j = json_pack("{s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "ok", ok, "items",
                                 (json_int_t)r.items, "objects_ok", (json_int_t)r.objects_ok, "objects_missing",
                                 (json_int_t)r.objects_missing, "objects_corrupt", (json_int_t)r.objects_corrupt,
                                 "index_missing", (json_int_t)r.index_missing, "index_extra",
                                 (json_int_t)r.index_extra, "index_lag", (json_int_t)r.index_lag, "problems",
                                 problems);
        if (fix)
            json_object_set_new(j, "repaired", json_integer(repaired));
        cli_print_json(j);
    } else {
        printf("%lld items: %lld originals ok, %lld missing, %lld damaged; index: %lld missing, %lld extra, "
               "%lld changes behind\n%s\n",
               (long long)r.items, (long long)r.objects_ok, (long long)r.objects_missing,
               (long long)r.objects_corrupt, (long long)r.index_missing, (long long)r.index_extra,
               (long long)r.index_lag, ok ? "ok" : "PROBLEMS FOUND");
        if (repaired)
            printf("repaired: %d index entries made again\n", repaired);
    }
    gk_data_close(d);
    return ok ? EXIT_OK : EXIT_PARTIAL;
}
