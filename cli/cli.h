/*
 * cli.h — what the gongkai commands share: the command table entry, the
 * global options, exit codes and small output helpers.
 */
#ifndef GK_CLI_H
#define GK_CLI_H

#include <jansson.h>
#include <stdio.h>

#include "gongkai.h"

/* Exit codes (README.md lists them). */
enum {
    EXIT_OK = 0,
    EXIT_PARTIAL = 1,     /* done, but some inputs failed or verify found problems */
    EXIT_USAGE = 2,       /* bad command line or query */
    EXIT_NOTFOUND = 3,    /* no such item */
    EXIT_DATA = 4,        /* the data directory cannot be used (missing, locked, damaged, I/O) */
    EXIT_INTERRUPTED = 130
};

typedef struct cli {
    const char *data_dir;   /* --data, $GONGKAI_DATA, ./gongkai-data */
    const char *prog;
} cli_t;

typedef struct command {
    const char *name;
    int (*run)(cli_t *cli, int argc, char **argv);
    const char *summary;
} command_t;

int cmd_archive(cli_t *cli, int argc, char **argv);
int cmd_search(cli_t *cli, int argc, char **argv);
int cmd_show(cli_t *cli, int argc, char **argv);
int cmd_get(cli_t *cli, int argc, char **argv);
int cmd_text(cli_t *cli, int argc, char **argv);
int cmd_reindex(cli_t *cli, int argc, char **argv);
int cmd_verify(cli_t *cli, int argc, char **argv);
int cmd_stats(cli_t *cli, int argc, char **argv);
int cmd_serve(cli_t *cli, int argc, char **argv);
int cmd_tag(cli_t *cli, int argc, char **argv);
int cmd_categories(cli_t *cli, int argc, char **argv);
int cmd_export(cli_t *cli, int argc, char **argv);
int cmd_config(cli_t *cli, int argc, char **argv);

/* Open the data directory or print why not; returns the exit code to use on failure. */
int cli_open(cli_t *cli, int flags, gk_data_t **out);
/* The exit code for a library status. */
int cli_exit_code(gk_status_t st);
/* Print an error "gongkai: CMD: ..." on stderr. */
void cli_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Write S (NULL: empty) to F as one CSV field (RFC 4180 quoting), followed
 * by a comma, or by CRLF when LAST is set. */
void cli_csv_field(FILE *f, const char *s, int last);
/* Print JSON on stdout, one document and a newline. */
void cli_print_json(json_t *j);
/* Bring the index up to date before reading it, if it lags; quietly goes on
 * when another process holds the index. */
void cli_catch_up(cli_t *cli, gk_data_t *d);
/* Standard handling of -h/--help inside a command: prints USAGE, returns 1 if shown. */
int cli_wants_help(int argc, char **argv, const char *usage);
/* For commands whose only option is --json: sets *json, or prints USAGE
 * and returns EXIT_USAGE for anything else. */
int cli_json_only(int argc, char **argv, const char *usage, int *json);

#endif
