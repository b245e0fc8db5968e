/* cmd_archive.c — gongkai archive PATH... */
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "archive.h"
#include "cli.h"

static const char usage[] =
    "usage: gongkai archive PATH... [--year Y] [--category C] [--type T]\n"
    "                               [--visibility public|application|internal]\n"
    "                               [--limit NAME=VALUE]... [--json]\n"
    "\n"
    "Archive files and directories (recursively). Each file is stored once by its\n"
    "SHA-256; a file whose bytes are already archived is reported as a duplicate of\n"
    "the existing item. Files that cannot be read are reported and skipped; the\n"
    "batch goes on. Ctrl-C finishes the current batch and stops; run the same\n"
    "command again to go on.\n"
    "\n"
    "  --year Y          archive year of these items\n"
    "  --category C      catalogue category (公开目录 class)\n"
    "  --type T          record type (文种)\n"
    "  --visibility V    public (主动公开, default), application (依申请公开), internal\n"
    "  --limit NAME=VALUE  change an extraction limit: file-size, text-size,\n"
    "                    inflated-size, memory (bytes; K, M, G suffixes), inflate-ratio,\n"
    "                    zip-entries, xml-depth, pages, seconds (per file). Defaults:\n"
    "                    file-size=256M text-size=64M inflated-size=256M memory=2G\n"
    "                    inflate-ratio=200 zip-entries=10000 xml-depth=256\n"
    "                    pages=10000 seconds=60\n"
    "  --json            print the summary as JSON\n"
    "\n"
    "Exit status: 0 all archived or duplicate, 1 some failed, 2 usage, 4 data\n"
    "directory unusable, 130 interrupted.\n";

/* A run adding at least this many items, and a quarter of the archive,
 * compacts the index: below that the index is small enough to stay in the
 * page cache either way, and the compaction would cost more than it saves. */
#define COMPACT_AFTER 5000

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

typedef struct tally {
    int json, tty;
    int64_t added, duplicate, failed, files, bytes;
    json_t *items;
    struct timespec t0;
} tally_t;

static double elapsed(const tally_t *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->t0.tv_sec) + (double)(now.tv_nsec - t->t0.tv_nsec) / 1e9;
}

static void on_event(void *ctx, const char *path, const gk_archive_event_t *ev)
{
    tally_t *t = ctx;
    if (!ev) {
        if (t->tty) {
            double s = elapsed(t);
            fprintf(stderr, "\r\033[K%lld files, %.1f MB/s, %lld failed  %.60s", (long long)t->files,
                    s > 0 ? (double)t->bytes / 1e6 / s : 0.0, (long long)t->failed, path);
        }
        return;
    }
    t->files++;
    t->bytes += ev->bytes;
    const char *status = "added";
    switch (ev->outcome) {
    case GK_ARCHIVE_ADDED: t->added++; break;
    case GK_ARCHIVE_DUPLICATE: t->duplicate++; status = "duplicate"; break;
    case GK_ARCHIVE_FAILED:
        t->failed++;
        status = "failed";
        if (!t->json) {
            if (t->tty)
                fprintf(stderr, "\r\033[K");
            fprintf(stderr, "gongkai: archive: %s: %s\n", ev->path, ev->error ? ev->error : "failed");
        }
        break;
    }
    if (t->items) {
        json_t *o = json_pack("{s:s, s:s}", "path", ev->path, "status", status);
        json_object_set_new(o, "id", ev->outcome == GK_ARCHIVE_FAILED ? json_null() : json_integer(ev->id));
        json_object_set_new(o, "error", ev->error ? json_string(ev->error) : json_null());
        json_array_append_new(t->items, o);
    }
}

static void on_index_progress(void *ctx, const gk_index_progress_t *p)
{
    tally_t *t = ctx;
    if (t->tty)
        fprintf(stderr, "\r\033[Kindexing %lld/%lld", (long long)p->applied, (long long)p->pending);
}

int cmd_archive(cli_t *cli, int argc, char **argv)
{
    if (cli_wants_help(argc, argv, usage))
        return EXIT_OK;
    static const struct option opts[] = {
        {"year", required_argument, 0, 'y'},       {"category", required_argument, 0, 'c'},
        {"type", required_argument, 0, 't'},       {"visibility", required_argument, 0, 'v'},
        {"json", no_argument, 0, 'j'},             {"limit", required_argument, 0, 'l'},
        {0, 0, 0, 0},
    };
    gk_archive_opts_t o;
    gk_archive_opts_init(&o);
    tally_t t = {0};
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'y': {
            char *end;
            long y = strtol(optarg, &end, 10);
            if (*end || y < 1900 || y > 2999) {
                cli_error("archive", "--year wants a year such as 2024, not '%s'", optarg);
                return EXIT_USAGE;
            }
            o.year = (int)y;
            break;
        }
        case 'c': o.category = optarg; break;
        case 't': o.type = optarg; break;
        case 'v':
            if (gk_visibility_parse(optarg, &o.visibility) != GK_OK) {
                cli_error("archive", "--visibility is public, application or internal, not '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'j': t.json = 1; break;
        case 'l':
            if (gk_extract_limits_set(&o.limits, optarg) != GK_OK) {
                cli_error("archive", "--limit wants NAME=VALUE with NAME one of %s; not '%s'",
                          gk_extract_limit_names, optarg);
                return EXIT_USAGE;
            }
            break;
        default: fputs(usage, stderr); return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        cli_error("archive", "no files or directories given");
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    /* Before any thread starts: see isolate.h. */
    char err[256];
    if (gk_isolate_start(&o.isolate, err, sizeof err) != GK_OK) {
        cli_error("archive", "%s", err);
        return EXIT_DATA;
    }
    gk_data_t *d;
    int rc = cli_open(cli, GK_OPEN_CREATE, &d);
    if (rc) {
        gk_isolate_stop(o.isolate);
        return rc;
    }
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    o.stop = &stop_flag;
    t.tty = isatty(STDERR_FILENO);
    if (t.json)
        t.items = json_array();
    clock_gettime(CLOCK_MONOTONIC, &t.t0);

    /* The index follows the catalogue's commits while files are archived. */
    gk_indexer_t *ix = NULL;
    gk_status_t ist = gk_indexer_start(d, &ix);
    gk_status_t st = gk_archive_paths(d, (const char *const *)argv + optind, (size_t)(argc - optind), &o, on_event, &t);
    if (t.tty)
        fprintf(stderr, "\r\033[K");
    if (st != GK_OK && st != GK_ERR_INTERRUPTED)
        cli_error("archive", "stopped: %s", gk_data_error(d));
    /* What was committed is indexed now, also after an interruption. */
    if (ist == GK_OK)
        ist = gk_indexer_finish(ix, on_index_progress, &t);
    if (t.tty)
        fprintf(stderr, "\r\033[K");
    if (ist != GK_OK)
        cli_error("archive", "the index could not be brought up to date (%s); it catches up on the next run",
                  gk_data_error(d));
    /* A bulk load leaves the index about twice the size it needs: compact
     * it when this run added a large part of the archive. */
    int64_t items = 0;
    if (ist == GK_OK && t.added >= COMPACT_AFTER && gk_catalogue_count(d, &items) == GK_OK && t.added * 4 >= items) {
        if (t.tty)
            fprintf(stderr, "compacting the index…");
        gk_status_t cst = gk_index_compact(d);
        if (t.tty)
            fprintf(stderr, "\r\033[K");
        if (cst != GK_OK)
            cli_error("archive", "warning: the index could not be compacted: %s", gk_data_error(d));
    }
    if (t.json) {
        json_t *j = json_pack("{s:I, s:I, s:I, s:o}", "added", (json_int_t)t.added, "duplicate",
                              (json_int_t)t.duplicate, "failed", (json_int_t)t.failed, "items", t.items);
        json_object_set_new(j, "seconds", json_real(elapsed(&t)));
        cli_print_json(j);
    } else {
        printf("%lld added, %lld duplicate, %lld failed (%.1f s)\n", (long long)t.added, (long long)t.duplicate,
               (long long)t.failed, elapsed(&t));
    }
    if (st == GK_ERR_INTERRUPTED)
        fprintf(stderr, "gongkai: archive: interrupted; what was archived is kept. Run the same command again to "
                        "go on: archived files are recognised and skipped.\n");
    gk_data_close(d);
    gk_isolate_stop(o.isolate);
    if (st != GK_OK)
        return cli_exit_code(st);
    if (ist != GK_OK && ist != GK_ERR_LOCKED)
        return EXIT_DATA;
    return t.failed ? EXIT_PARTIAL : EXIT_OK;
}
