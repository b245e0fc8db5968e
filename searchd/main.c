/* main.c — gongkai-searchd: options, then serve (server.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

static const char usage[] =
    "usage: gongkai-searchd [--data DIR] [--listen HOST:PORT] [--staff-socket PATH]\n"
    "                       [--threads N] [--max-connections N] [--timeout SECONDS] [--quiet]\n"
    "\n"
    "Serve searches of one archive over HTTP: the public search page and API on\n"
    "--listen (public items only), and the same API over the staff Unix socket\n"
    "(every item; access by the socket's permissions, 0660). SIGTERM or SIGINT\n"
    "stops it after the requests in flight.\n"
    "\n"
    "  --data DIR           the archive (default $GONGKAI_DATA, else ./gongkai-data)\n"
    "  --listen HOST:PORT   public listener: IPv4, [IPv6] or localhost (default\n"
    "                       127.0.0.1:8080; 'none' for none)\n"
    "  --staff-socket PATH  staff listener (default: none)\n"
    "  --threads N          worker threads per listener (default 4)\n"
    "  --max-connections N  open connections per listener (default 256)\n"
    "  --timeout SECONDS    close a connection idle or slow this long (default 15)\n"
    "  --quiet              no access log (one line per request on stderr)\n";

static int number(const char *opt, const char *s, long lo, long hi, unsigned *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v < lo || v > hi) {
        fprintf(stderr, "gongkai-searchd: %s wants a number from %ld to %ld, not '%s'\n", opt, lo, hi, s);
        return -1;
    }
    *out = (unsigned)v;
    return 0;
}

int main(int argc, char **argv)
{
    const char *env = getenv("GONGKAI_DATA");
    searchd_config_t cfg = {
        .data_dir = env && *env ? env : "gongkai-data",
        .listen = "127.0.0.1:8080",
        .threads = 4,
        .max_connections = 256,
        .timeout_seconds = 15,
        .max_request_bytes = 32 * 1024,
        .access_log = 1,
    };
    static const struct option opts[] = {
        {"data", required_argument, 0, 'd'},      {"listen", required_argument, 0, 'l'},
        {"staff-socket", required_argument, 0, 's'}, {"threads", required_argument, 0, 't'},
        {"max-connections", required_argument, 0, 'c'}, {"timeout", required_argument, 0, 'o'},
        {"quiet", no_argument, 0, 'q'},           {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': cfg.data_dir = optarg; break;
        case 'l': cfg.listen = strcmp(optarg, "none") == 0 ? NULL : optarg; break;
        case 's': cfg.staff_socket = optarg; break;
        case 't': if (number("--threads", optarg, 1, 256, &cfg.threads)) return 2; break;
        case 'c': if (number("--max-connections", optarg, 1, 100000, &cfg.max_connections)) return 2; break;
        case 'o': if (number("--timeout", optarg, 1, 3600, &cfg.timeout_seconds)) return 2; break;
        case 'q': cfg.access_log = 0; break;
        case 'h': fputs(usage, stdout); return 0;
        default: fputs(usage, stderr); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "gongkai-searchd: unexpected argument '%s'\n", argv[optind]);
        fputs(usage, stderr);
        return 2;
    }
    if (!cfg.listen && !cfg.staff_socket) {
        fprintf(stderr, "gongkai-searchd: nothing to listen on (--listen none and no --staff-socket)\n");
        return 2;
    }
    return searchd_run(&cfg);
}
