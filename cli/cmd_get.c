/* cmd_get.c — gongkai get ID [-o FILE] */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char usage[] =
    "usage: gongkai get ID [-o FILE]\n"
    "\n"
    "Write the original file of an item, checked against its SHA-256 on the way.\n"
    "Without -o it is written under its original file name in the current\n"
    "directory; -o - writes it to standard output. An existing file is not\n"
    "overwritten unless named with -o.\n";

int cmd_get(cli_t *cli, int argc, char **argv)
{
    if (cli_wants_help(argc, argv, usage))
        return EXIT_OK;
    static const struct option opts[] = {{"output", required_argument, 0, 'o'}, {0, 0, 0, 0}};
    const char *out = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        if (c == 'o')
            out = optarg;
        else {
            fputs(usage, stderr);
            return EXIT_USAGE;
        }
    }
    if (optind + 1 != argc) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    gk_data_t *d;
    int rc = cli_open(cli, GK_OPEN_READ, &d);
    if (rc)
        return rc;
    gk_item_t *it;
    gk_status_t st = gk_item_lookup(d, argv[optind], &it);
    if (st == GK_OK) {
        const char *path = out ? out : it->filename;
        if (!out && access(path, F_OK) == 0) {
            cli_error("get", "%s exists; name another file with -o", path);
            gk_item_free(it);
            gk_data_close(d);
            return EXIT_USAGE;
        }
        st = gk_item_write_original(d, it, path);
        if (st == GK_OK && strcmp(path, "-") != 0)
            fprintf(stderr, "%s (%lld bytes, SHA-256 verified)\n", path, (long long)it->size);
        gk_item_free(it);
    }
    if (st != GK_OK)
        cli_error("get", "%s", gk_data_error(d));
    gk_data_close(d);
    return cli_exit_code(st);
}
