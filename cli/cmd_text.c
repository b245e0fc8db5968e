/* cmd_text.c — gongkai text ID */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: gongkai text ID\n"
    "\n"
    "Print the text extracted from an item (UTF-8). ID is the item id, its 档号,\n"
    "its 索引号 or its 文号.\n";

int cmd_text(cli_t *cli, int argc, char **argv)
{
    if (cli_wants_help(argc, argv, usage))
        return EXIT_OK;
    if (argc != 2) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    gk_data_t *d;
    int rc = cli_open(cli, GK_OPEN_READ, &d);
    if (rc)
        return rc;
    gk_item_t *it;
    gk_status_t st = gk_item_lookup(d, argv[1], &it);
    if (st == GK_OK) {
        char *text;
        size_t len;
        st = gk_item_text(d, it->id, &text, &len);
        if (st == GK_OK) {
            fwrite(text, 1, len, stdout);
            free(text);
        }
        gk_item_free(it);
    }
    if (st != GK_OK)
        cli_error("text", "%s", gk_data_error(d));
    gk_data_close(d);
    return cli_exit_code(st);
}
