/* cmd_stats.c — gongkai stats */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gongkai_json.h"

static const char usage[] =
    "usage: gongkai stats [--year Y] [--json]\n"
    "\n"
    "Counts of archived items: total, bytes, and by format, category, type, year,\n"
    "visibility and month of the 成文日期; items needing OCR. With --year, only that\n"
    "year's items: the figures of the proactive-disclosure part of a 政府信息公开\n"
    "工作年度报告.\n";

int cmd_stats(cli_t *cli, int argc, char **argv)
{
    if (cli_wants_help(argc, argv, usage))
        return EXIT_OK;
    int json = 0, year = 0;
    for (int i = 1; i < argc; i++) {
        char *end;
        if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (strcmp(argv[i], "--year") == 0 && i + 1 < argc) {
            long y = strtol(argv[++i], &end, 10);
            if (*end || y < 1900 || y > 2999) {
                cli_error("stats", "--year wants a year such as 2024, not '%s'", argv[i]);
                return EXIT_USAGE;
            }
            year = (int)y;
        } else {
            fputs(usage, stderr);
            return EXIT_USAGE;
        }
    }
    gk_data_t *d;
    int rc = cli_open(cli, GK_OPEN_READ, &d);
    if (rc)
        return rc;
    json_t *j;
    gk_status_t st = gk_stats_json(d, year, &j);
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
                /* Count first: names in Chinese would break a column after them. */
                json_object_foreach(v, k2, v2) printf("  %8lld  %s\n", (long long)json_integer_value(v2), k2);
            } else {
                printf("%-14s %lld\n", key, (long long)json_integer_value(v));
            }
        }
        json_decref(j);
    }
    gk_data_close(d);
    return EXIT_OK;
}
