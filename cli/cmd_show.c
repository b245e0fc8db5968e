/* cmd_show.c — gongkai show ID */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gongkai_json.h"

static const char usage[] =
    "usage: gongkai show ID [--json]\n"
    "\n"
    "Show an item's metadata. ID is the item id, its 档号, its 索引号 or its 文号.\n";

#define INDENT "              " /* under the values, past the 13-column names */

/* A scalar as text: strings as they are, numbers as short as they go. */
static void print_scalar(const json_t *v)
{
    if (json_is_string(v))
        fputs(json_string_value(v), stdout);
    else if (json_is_integer(v))
        printf("%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        printf("%.3g", json_real_value(v));
    else if (json_is_null(v))
        fputs("-", stdout);
    else
        fputs(json_is_true(v) ? "true" : "false", stdout);
}

/* The fields for people: lists joined, provenance one field a line (how it
 * was decided, how sure), history one change a line. */
static void print_human(const json_t *item)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)item, key, v) {
        if (json_is_null(v) || (json_is_array(v) && json_array_size(v) == 0) ||
            (json_is_object(v) && json_object_size(v) == 0))
            continue;
        printf("%-13s ", key);
        size_t i;
        json_t *e;
        if (strcmp(key, "history") == 0) {
            json_array_foreach(v, i, e) {
                printf("%s%s  %s: ", i ? INDENT : "", json_string_value(json_object_get(e, "at")),
                       json_string_value(json_object_get(e, "field")));
                print_scalar(json_object_get(e, "old"));
                fputs(" → ", stdout);
                print_scalar(json_object_get(e, "new"));
                printf("  (%s)\n", json_string_value(json_object_get(e, "how")));
            }
        } else if (json_is_array(v)) {
            json_array_foreach(v, i, e) {
                fputs(i ? "; " : "", stdout);
                print_scalar(e);
            }
            putchar('\n');
        } else if (json_is_object(v)) {
            const char *field;
            int first = 1;
            json_object_foreach(v, field, e) {
                printf("%s%s: ", first ? "" : INDENT, field);
                print_scalar(json_is_object(e) ? json_object_get(e, "rule") : e);
                if (json_is_object(e) && json_object_get(e, "confidence")) {
                    fputs(" (", stdout);
                    print_scalar(json_object_get(e, "confidence"));
                    putchar(')');
                }
                putchar('\n');
                first = 0;
            }
        } else {
            print_scalar(v);
            putchar('\n');
        }
    }
}

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
        print_human(j);
        json_decref(j);
    }
    gk_item_free(it);
    gk_data_close(d);
    return EXIT_OK;
}
