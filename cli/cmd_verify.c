/* cmd_verify.c — gongkai verify */
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: gongkai verify [--json]\n"
    "\n"
    "Check every stored original against its SHA-256 and that the index holds\n"
    "exactly the catalogue's items. Exit status 0 only when all is well, 1 when\n"
    "a problem was found (each is listed).\n";

static void problem(void *ctx, int64_t id, const char *what)
{
    json_t *list = ctx;
    if (list)
        json_array_append_new(list, json_pack("{s:I, s:s}", "id", (json_int_t)id, "problem", what));
    else
        fprintf(stderr, "gongkai: verify: item %lld: %s\n", (long long)id, what);
}

int cmd_verify(cli_t *cli, int argc, char **argv)
{
    if (cli_wants_help(argc, argv, usage))
        return EXIT_OK;
    int json;
    int rc = cli_json_only(argc, argv, usage, &json);
    gk_data_t *d;
    if (rc || (rc = cli_open(cli, GK_OPEN_READ, &d)))
        return rc;
    json_t *problems = json ? json_array() : NULL;
    gk_verify_report_t r;
    gk_status_t st = gk_verify(d, &r, problem, problems);
    if (st != GK_OK) {
        cli_error("verify", "%s", gk_data_error(d));
        json_decref(problems);
        gk_data_close(d);
        return cli_exit_code(st) == EXIT_NOTFOUND ? EXIT_PARTIAL : cli_exit_code(st);
    }
    int ok = r.objects_missing == 0 && r.objects_corrupt == 0 && r.index_missing == 0 && r.index_extra == 0 &&
             r.index_lag == 0;
    if (json) {
        cli_print_json(json_pack("{s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "ok", ok, "items",
                                 (json_int_t)r.items, "objects_ok", (json_int_t)r.objects_ok, "objects_missing",
                                 (json_int_t)r.objects_missing, "objects_corrupt", (json_int_t)r.objects_corrupt,
                                 "index_missing", (json_int_t)r.index_missing, "index_extra",
                                 (json_int_t)r.index_extra, "index_lag", (json_int_t)r.index_lag, "problems",
                                 problems));
    } else {
        printf("%lld items: %lld originals ok, %lld missing, %lld damaged; index: %lld missing, %lld extra, "
               "%lld changes behind\n%s\n",
               (long long)r.items, (long long)r.objects_ok, (long long)r.objects_missing,
               (long long)r.objects_corrupt, (long long)r.index_missing, (long long)r.index_extra,
               (long long)r.index_lag, ok ? "ok" : "PROBLEMS FOUND");
    }
    gk_data_close(d);
    return ok ? EXIT_OK : EXIT_PARTIAL;
}
