/* cmd_config.c — gongkai config: the data directory's settings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "identifiers.h"

static const char usage[] =
    "usage: gongkai config [KEY [VALUE]] [--json]\n"
    "\n"
    "Show or change the data directory's settings:\n"
    "  index_no.org      the 统一社会信用代码 (18 characters) or 组织机构代码 (9) that\n"
    "                    starts each 索引号 (also set by archive --org-code)\n"
    "  index_no.pattern  how a 索引号 is written: {org}, {year}, {seq} or {seq:N}\n"
    "                    (N digits, zero-padded); default {org}/{year}-{seq:5}\n"
    "A new setting applies to items archived after it; numbers already given stay.\n";

static const char *const keys[] = {GK_SETTING_INDEX_ORG, GK_SETTING_INDEX_PATTERN};
#define NKEYS (sizeof keys / sizeof keys[0])

/* Why VALUE cannot be KEY's value, or NULL when it can. */
static const char *invalid(const char *key, const char *value)
{
    if (strcmp(key, GK_SETTING_INDEX_ORG) == 0)
        return gk_org_code_valid(value) ? NULL : "an 18-character 统一社会信用代码 or a 9-character 组织机构代码";
    /* A pattern must expand, and must number: without {seq} every item of a
     * year would get the same 索引号. */
    char *probe = gk_index_no_format(value, "ORG", 2024, 1);
    int ok = probe && strstr(value, "{seq");
    free(probe);
    return ok ? NULL : "a pattern of text and {org}, {year}, {seq} or {seq:N}, with a {seq}";
}

int cmd_config(cli_t *cli, int argc, char **argv)
{
    if (cli_wants_help(argc, argv, usage))
        return EXIT_OK;
    int json = 0;
    const char *args[2] = {0};
    int nargs = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (nargs < 2) {
            args[nargs++] = argv[i];
        } else {
            fputs(usage, stderr);
            return EXIT_USAGE;
        }
    }
    size_t k = 0;
    if (args[0]) {
        while (k < NKEYS && strcmp(keys[k], args[0]) != 0)
            k++;
        if (k == NKEYS) {
            cli_error("config", "unknown setting '%s'", args[0]);
            fputs(usage, stderr);
            return EXIT_USAGE;
        }
    }
    const char *why = args[1] ? invalid(args[0], args[1]) : NULL;
    if (why) {
        cli_error("config", "%s wants %s, not '%s'", args[0], why, args[1]);
        return EXIT_USAGE;
    }
    gk_data_t *d;
    int rc = cli_open(cli, args[1] ? GK_OPEN_CREATE : GK_OPEN_READ, &d);
    if (rc)
        return rc;
    gk_status_t st = args[1] ? gk_setting_set(d, args[0], args[1]) : GK_OK;
    json_t *out = json_object();
    for (size_t i = 0; st == GK_OK && i < NKEYS; i++) {
        if (args[0] && i != k)
            continue;
        char *v = NULL;
        gk_status_t g = gk_setting_get(d, keys[i], &v);
        if (g != GK_OK && g != GK_ERR_NOT_FOUND)
            st = g;
        json_object_set_new(out, keys[i], v ? json_string(v) : json_null());
        free(v);
    }
    if (st != GK_OK) {
        cli_error("config", "%s", gk_data_error(d));
        json_decref(out);
        gk_data_close(d);
        return cli_exit_code(st);
    }
    if (json) {
        cli_print_json(out);
    } else {
        const char *key;
        json_t *v;
        json_object_foreach(out, key, v) printf("%-17s %s\n", key, json_is_string(v) ? json_string_value(v) : "(unset)");
        json_decref(out);
    }
    gk_data_close(d);
    return EXIT_OK;
}
