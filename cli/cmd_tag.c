/* cmd_tag.c — gongkai tag ID: correct an item's metadata by hand. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gongkai_json.h"
#include "govmeta.h"

static const char usage[] =
    "usage: gongkai tag ID [--category C] [--type T] [--visibility public|application|internal]\n"
    "                      [--docno N] [--date YYYY-MM-DD] [--title T] [--organ O] [--json]\n"
    "\n"
    "Set an item's metadata by hand; an empty value clears a field. Each change is logged\n"
    "(`gongkai show ID` lists them) and searched as soon as the command returns. ID is the\n"
    "item id, its 档号, its 索引号 or its 文号. Without options: the item's change history.\n";

#define NFIELDS 7

int cmd_tag(cli_t *cli, int argc, char **argv)
{
    if (cli_wants_help(argc, argv, usage))
        return EXIT_OK;
    static const char *const fields[NFIELDS] = {"category", "type", "visibility", "docno", "date", "title", "organ"};
    static const struct option opts[] = {
        {"category", required_argument, 0, 0}, {"type", required_argument, 0, 1},
        {"visibility", required_argument, 0, 2}, {"docno", required_argument, 0, 3},
        {"date", required_argument, 0, 4},     {"title", required_argument, 0, 5},
        {"organ", required_argument, 0, 6},    {"json", no_argument, 0, 'j'},
        {0, 0, 0, 0},
    };
    const char *value[NFIELDS] = {0};
    int json = 0, c, nset = 0;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c >= 0 && c < NFIELDS) {
            value[c] = optarg;
            nset++;
        } else if (c == 'j') {
            json = 1;
        } else {
            cli_error("tag", "unknown or incomplete option '%s'", argv[optind - 1]);
            fputs(usage, stderr);
            return EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    /* A 文号 is stored in its one normal form, however it was typed. */
    char *docno = value[3] && *value[3] ? gk_docno_normalise(value[3]) : NULL;
    if (docno)
        value[3] = docno;
    else if (value[3] && *value[3])
        cli_error("tag", "warning: '%s' is not written as a 文号; stored as given", value[3]);
    gk_data_t *d;
    int rc = cli_open(cli, nset ? GK_OPEN_WRITE : GK_OPEN_READ, &d);
    if (rc) {
        free(docno);
        return rc;
    }
    gk_item_t *it = NULL;
    gk_status_t st = gk_item_lookup(d, argv[optind], &it);
    if (st == GK_OK && nset) {
        st = gk_catalogue_begin(d);
        for (int k = 0; k < NFIELDS && st == GK_OK; k++)
            if (value[k])
                st = gk_item_set(d, it->id, fields[k], value[k], "tag", NULL);
        st = st == GK_OK ? gk_catalogue_commit(d) : (gk_catalogue_rollback(d), st);
        /* Searched at once: the index follows before the command returns. */
        if (st == GK_OK && (st = gk_index_update(d, NULL, NULL)) == GK_ERR_LOCKED) {
            cli_error("tag", "warning: the index is busy; the change shows in search once it catches up");
            st = GK_OK;
        }
    }
    if (st != GK_OK) {
        cli_error("tag", "%s", gk_data_error(d));
        gk_item_free(it);
        gk_data_close(d);
        free(docno);
        return cli_exit_code(st);
    }
    gk_item_t *now = NULL;
    if (gk_item_lookup(d, argv[optind], &now) != GK_OK) {
        /* The 文号 it was found by may have just changed. */
        char id[32];
        snprintf(id, sizeof id, "%lld", (long long)it->id);
        gk_item_lookup(d, id, &now);
    }
    json_t *j = gk_json_item_with_history(d, now ? now : it);
    if (json) {
        cli_print_json(j);
    } else {
        json_t *h = json_object_get(j, "history");
        size_t i;
        json_t *e;
        json_array_foreach(h, i, e) {
            printf("%s  %-10s %s → %s  (%s)\n", json_string_value(json_object_get(e, "at")),
                   json_string_value(json_object_get(e, "field")),
                   json_is_string(json_object_get(e, "old")) ? json_string_value(json_object_get(e, "old")) : "∅",
                   json_is_string(json_object_get(e, "new")) ? json_string_value(json_object_get(e, "new")) : "∅",
                   json_string_value(json_object_get(e, "how")));
        }
        if (json_array_size(h) == 0)
            printf("item %lld: no changes by hand\n", (long long)it->id);
        json_decref(j);
    }
    gk_item_free(now);
    gk_item_free(it);
    gk_data_close(d);
    free(docno);
    return EXIT_OK;
}
