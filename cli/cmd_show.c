/* cmd_show.c — gongkai show ID */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gongkai_json.h"

static const char usage[] =
    "usage: gongkai show ID [--json]\n"
    "\n"
    "Show an item's metadata. ID is the item id, its 档号, its 索引号 or its 文号.\n";

int cmd_show(cli_t *cli, int argc, char **argv)
{
    if (cli_wants_help(argc, argv, usage))
        return EXIT_OK;
    int json = 0;
    const char *ident = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (!ident && (argv[i][0] != '-' || strcmp(argv[i - 1], "--") == 0))
            ident = argv[i];
        else if (strcmp(argv[i], "--") != 0) {
            cli_error("show", "unexpected argument '%s'", argv[i]);
            return EXIT_USAGE;
        }
    }
    if (!ident) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    gk_data_t *d;
    int rc = cli_open(cli, GK_OPEN_READ, &d);
    if (rc)
        return rc;
    gk_item_t *it;
    gk_status_t st = gk_item_lookup(d, ident, &it);
    if (st != GK_OK) {
        cli_error("show", "%s", gk_data_error(d));
        gk_data_close(d);
        return cli_exit_code(st);
    }
    json_t *j = gk_json_item_with_history(d, it);
    if (json) {
        cli_print_json(j);
    } else {
        const char *key;
        json_t *v;
        json_object_foreach(j, key, v) {
            if (json_is_null(v) || (json_is_array(v) && json_array_size(v) == 0))
                continue;
            char *s = json_is_string(v) ? NULL : json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
            printf("%-13s %s\n", key, s ? s : json_string_value(v));
            free(s);
        }
        json_decref(j);
    }
    gk_item_free(it);
    gk_data_close(d);
    return EXIT_OK;
}
