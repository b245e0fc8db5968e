/*
 * main.c — the gongkai command: global options, then one subcommand from
 * the table below, each in its own cmd_<name>.c.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "gongkai_json.h"

static const command_t commands[] = {
    {"archive", cmd_archive, "archive files and directories"},
    {"search", cmd_search, "search the archive"},
    {"show", cmd_show, "show an item's metadata"},
    {"tag", cmd_tag, "correct an item's category, type, visibility, 文号… by hand"},
    {"categories", cmd_categories, "list or check the catalogue categories and their rules"},
    {"get", cmd_get, "write an item's original file, verified"},
    {"text", cmd_text, "print an item's extracted text"},
    {"reindex", cmd_reindex, "rebuild the index from the catalogue"},
    {"verify", cmd_verify, "check every original and the index"},
    {"config", cmd_config, "the data directory's settings (索引号 organisation code and pattern)"},
    {"export", cmd_export, "a year's 归档文件目录 and 公开目录 as CSV or JSON"},
    {"stats", cmd_stats, "counts by format, category, type, year, visibility"},
    {"serve", cmd_serve, "serve the search page and API (gongkai-searchd)"},
};

static void usage(FILE *out)
{
    fprintf(out,
            "usage: gongkai [--data DIR] COMMAND [ARGS]\n"
            "\n"
            "A full-text search and archive engine for government documents.\n"
            "\n"
            "Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(out,
            "\n"
            "Options:\n"
            "  --data DIR   the data directory (default $GONGKAI_DATA, else ./gongkai-data)\n"
            "  --help       this help; 'gongkai COMMAND --help' for a command\n"
            "  --version    the version\n");
}

void cli_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "gongkai: %s%s", cmd ? cmd : "", cmd ? ": " : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_exit_code(gk_status_t st)
{
    switch (st) {
    case GK_OK: return EXIT_OK;
    case GK_ERR_INVALID: return EXIT_USAGE;
    case GK_ERR_NOT_FOUND: return EXIT_NOTFOUND;
    case GK_ERR_INTERRUPTED: return EXIT_INTERRUPTED;
    default: return EXIT_DATA;
    }
}

int cli_open(cli_t *cli, int flags, gk_data_t **out)
{
    char *err = NULL;
    gk_status_t st = gk_data_open(cli->data_dir, flags, out, &err);
    if (st != GK_OK) {
        cli_error(NULL, "%s", err ? err : gk_status_to_string(st));
        free(err);
        return st == GK_ERR_NOT_FOUND ? EXIT_DATA : cli_exit_code(st);
    }
    return EXIT_OK;
}

void cli_print_json(json_t *j)
{
    if (!j) {
        cli_error(NULL, "out of memory");
        return;
    }
    json_dumpf(j, stdout, JSON_COMPACT | JSON_REAL_PRECISION(GK_JSON_REAL_DIGITS));
    fputc('\n', stdout);
    json_decref(j);
}

void cli_catch_up(cli_t *cli, gk_data_t *d)
{
    int64_t lag = 0;
    if (gk_index_lag(d, &lag) != GK_OK || lag == 0)
        return;
    /* Readers open the data read-only; catching up takes a writer of its own. */
    gk_data_t *w = NULL;
    gk_status_t st = gk_data_open(cli->data_dir, GK_OPEN_WRITE, &w, NULL);
    if (st == GK_OK)
        st = gk_index_update(w, NULL, NULL);
    if (st != GK_OK && st != GK_ERR_LOCKED)
        cli_error(NULL, "warning: the index lags the catalogue by %lld changes and cannot catch up: %s",
                  (long long)lag, w ? gk_data_error(w) : gk_status_to_string(st));
    gk_data_close(w);
}

int cli_wants_help(int argc, char **argv, const char *usage_text)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage_text, stdout);
            return 1;
        }
    }
    return 0;
}

void cli_csv_field(FILE *f, const char *s, int last)
{
    s = s ? s : "";
    if (strpbrk(s, ",\"\r\n")) {
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else {
        fputs(s, f);
    }
    fputs(last ? "\r\n" : ",", f);
}

int cli_json_only(int argc, char **argv, const char *usage_text, int *json)
{
    *json = argc == 2 && strcmp(argv[1], "--json") == 0;
    if (argc > 2 || (argc == 2 && !*json)) {
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

int main(int argc, char **argv)
{
    cli_t cli = {.prog = "gongkai"};
    cli.data_dir = getenv("GONGKAI_DATA");
    if (!cli.data_dir || !*cli.data_dir)
        cli.data_dir = "./gongkai-data";
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
            cli.data_dir = argv[++i];
        } else if (strncmp(argv[i], "--data=", 7) == 0) {
            cli.data_dir = argv[i] + 7;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return EXIT_OK;
        } else if (strcmp(argv[i], "--version") == 0) {
            printf("gongkai 0.1.0\n");
            return EXIT_OK;
        } else {
            cli_error(NULL, "unknown option '%s'", argv[i]);
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (i == argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
        if (strcmp(argv[i], commands[k].name) == 0) {
            optind = 1;
            return commands[k].run(&cli, argc - i, argv + i);
        }
    }
    cli_error(NULL, "unknown command '%s'", argv[i]);
    usage(stderr);
    return EXIT_USAGE;
}
