/* cmd_serve.c — gongkai serve: the search daemon on this data directory. */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char usage[] =
    "usage: gongkai serve [gongkai-searchd options]\n"
    "\n"
    "Serve the search page and API of this data directory with gongkai-searchd\n"
    "(by default the public side on http://127.0.0.1:8080/). Options after\n"
    "'serve' go to the daemon: --listen HOST:PORT, --staff-socket PATH,\n"
    "--threads N, --quiet; see gongkai-searchd --help. Ctrl-C stops it.\n";

/* gongkai-searchd beside this program (an installation, or the build
 * tree's searchd/ next to cli/), else NULL: found on PATH. */
static char *find_daemon(void)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return NULL;
    self[n] = '\0';
    const char *dir = dirname(self);
    const char *candidates[] = {"%s/gongkai-searchd", "%s/../searchd/gongkai-searchd"};
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
        char path[PATH_MAX + 64];
        snprintf(path, sizeof path, candidates[i], dir);
        if (access(path, X_OK) == 0)
            return strdup(path);
    }
    return NULL;
}

int cmd_serve(cli_t *cli, int argc, char **argv)
{
    if (cli_wants_help(argc, argv, usage))
        return EXIT_OK;
    char *daemon = find_daemon();
    char **args = calloc((size_t)argc + 4, sizeof *args);
    if (!args)
        return EXIT_DATA;
    int k = 0;
    args[k++] = "gongkai-searchd";
    args[k++] = "--data";
    args[k++] = (char *)cli->data_dir;
    for (int i = 1; i < argc; i++)
        args[k++] = argv[i];
    args[k] = NULL;
    fflush(NULL);
    if (daemon)
        execv(daemon, args);
    else
        execvp("gongkai-searchd", args);
    cli_error("serve", "cannot start gongkai-searchd: %s", strerror(errno));
    free(daemon);
    free(args);
    return EXIT_DATA;
}
