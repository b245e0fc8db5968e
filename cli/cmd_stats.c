/* cmd_stats.c — gongkai stats */
#include <string.h>

#include "cli.h"
#include "gongkai_json.h"

static const char usage[] =
    "usage: gongkai stats [--json]\n"
    "\n"
    "Counts of archived items: total, bytes, and by format, category, type, year\n"
    "and visibility; items needing OCR.\n";

int cmd_stats(cli_t *cli, int argc, char **argv)
{
    if (cli_wants_help(argc, argv, usage))
        return EXIT_OK;
    int json;
    int rc = cli_json_only(argc, argv, usage, &json);
    gk_data_t *d;
    if (rc || (rc = cli_open(cli, GK_OPEN_READ, &d)))
        return rc;
    json_t *j;
    gk_status_t st = gk_stats_json(d, &j);
    if (st != GK_OK) {
        cli_error("stats", "%s", gk_data_error(d));
        gk_data_close(d);
        return cli_exit_code(st);
    }
    if (json) {
        cli_print_json(j);
    } else {
        const char *key;
        json_t *v;
        json_object_foreach(j, key, v) {
            if (json_is_object(v)) {
                printf("%s:\n", key);
                const char *k2;
                json_t *v2;
                json_object_foreach(v, k2, v2) printf("  %-24s %lld\n", k2, (long long)json_integer_value(v2));
            } else {
                printf("%-14s %lld\n", key, (long long)json_integer_value(v));
            }
        }
        json_decref(j);
    }
    gk_data_close(d);
    return EXIT_OK;
}
