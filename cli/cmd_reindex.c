/* cmd_reindex.c — gongkai reindex */
#include <unistd.h>

#include "cli.h"

static const char usage[] =
    "usage: gongkai reindex\n"
    "\n"
    "Rebuild the index from the catalogue, from scratch. The old index serves\n"
    "searches until the new one is complete.\n";

static int progress(void *ctx, const gk_index_progress_t *p)
{
    if (*(int *)ctx)
        fprintf(stderr, "\r\033[Kindexing %lld/%lld", (long long)p->applied, (long long)p->pending);
    return 0;
}

int cmd_reindex(cli_t *cli, int argc, char **argv)
{
    if (cli_wants_help(argc, argv, usage))
        return EXIT_OK;
    if (argc != 1) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    gk_data_t *d;
    int rc = cli_open(cli, GK_OPEN_WRITE, &d);
    if (rc)
        return rc;
    int tty = isatty(STDERR_FILENO);
    gk_status_t st = gk_index_rebuild(d, progress, &tty);
    if (tty)
        fprintf(stderr, "\r\033[K");
    if (st != GK_OK)
        cli_error("reindex", "%s", gk_data_error(d));
    else
        printf("index rebuilt\n");
    gk_data_close(d);
    return cli_exit_code(st);
}
