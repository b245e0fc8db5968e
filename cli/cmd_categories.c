/* cmd_categories.c — gongkai categories: the catalogue taxonomy and its rules. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "cli.h"
#include "taxonomy.h"
#include "tsv.h"

static const char usage[] =
    "usage: gongkai categories [--json]\n"
    "       gongkai categories --install FILE.tsv\n"
    "\n"
    "List the catalogue categories of the data directory (DATA/categories.tsv) and check\n"
    "them and the category rules (DATA/category-rules.tsv); both are created with\n"
    "defaults by the first archive run. --install checks FILE (columns: code, name,\n"
    "parent, required, scope) and makes it the data directory's taxonomy; items keep\n"
    "their categories until archived again or tagged.\n";

static int install(cli_t *cli, const char *file)
{
    char err[512], *text;
    size_t len;
    gk_status_t st = gk_tsv_read_file(file, &text, &len, err, sizeof err);
    gk_taxonomy_t *tax = NULL;
    if (st == GK_OK)
        st = gk_taxonomy_parse(text, len, file, &tax, err, sizeof err);
    if (st != GK_OK) {
        cli_error("categories", "%s", err);
        free(text);
        return st == GK_ERR_INVALID ? EXIT_USAGE : cli_exit_code(st);
    }
    gk_data_t *d;
    int rc = cli_open(cli, GK_OPEN_CREATE, &d);
    if (rc) {
        free(text);
        gk_taxonomy_free(tax);
        return rc;
    }
    /* Replace atomically: write beside it, then rename over it. */
    char path[4096], tmp[4200];
    snprintf(path, sizeof path, "%s/%s", gk_data_path(d), GK_TAXONOMY_FILE);
    snprintf(tmp, sizeof tmp, "%s.new", path);
    FILE *f = fopen(tmp, "wb");
    int ok = f && fwrite(text, 1, len, f) == len;
    ok = (f && fclose(f) == 0) && ok && rename(tmp, path) == 0;
    if (!ok) {
        cli_error("categories", "cannot write %s", path);
        remove(tmp);
    } else {
        printf("installed %zu categories from %s\n", gk_taxonomy_count(tax), file);
    }
    free(text);
    gk_taxonomy_free(tax);
    gk_data_close(d);
    return ok ? EXIT_OK : EXIT_DATA;
}

int cmd_categories(cli_t *cli, int argc, char **argv)
{
    if (cli_wants_help(argc, argv, usage))
        return EXIT_OK;
    static const struct option opts[] = {
        {"json", no_argument, 0, 'j'}, {"install", required_argument, 0, 'i'}, {0, 0, 0, 0}};
    int json = 0, c;
    const char *file = NULL;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'j')
            json = 1;
        else if (c == 'i')
            file = optarg;
        else {
            fputs(usage, stderr);
            return EXIT_USAGE;
        }
    }
    if (optind != argc) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    if (file)
        return install(cli, file);

    gk_data_t *d;
    int rc = cli_open(cli, GK_OPEN_READ, &d);
    if (rc)
        return rc;
    char err[512];
    gk_taxonomy_t *tax = NULL;
    gk_classifier_t *cls = NULL;
    gk_status_t st = gk_taxonomy_load(gk_data_path(d), 0, &tax, err, sizeof err);
    if (st == GK_OK)
        st = gk_classifier_load(gk_data_path(d), 0, tax, &cls, err, sizeof err);
    if (st != GK_OK) {
        cli_error("categories", "%s", err);
        gk_taxonomy_free(tax);
        gk_data_close(d);
        return st == GK_ERR_INVALID ? EXIT_PARTIAL : cli_exit_code(st);
    }
    json_t *list = json_array();
    for (size_t i = 0; i < gk_taxonomy_count(tax); i++) {
        const gk_category_t *cat = gk_taxonomy_at(tax, i);
        json_array_append_new(list, json_pack("{s:s, s:s, s:s?, s:b, s:s}", "code", cat->code, "name", cat->name,
                                              "parent", *cat->parent ? cat->parent : NULL, "required",
                                              cat->required, "scope", cat->scope));
    }
    size_t unused = gk_classifier_unused_rows(cls);
    if (json) {
        cli_print_json(json_pack("{s:o, s:I}", "categories", list, "rules_for_other_categories", (json_int_t)unused));
    } else {
        size_t i;
        json_t *e;
        json_array_foreach(list, i, e) {
            const char *parent = json_string_value(json_object_get(e, "parent"));
            printf("%-6s %s%s%s\n", json_string_value(json_object_get(e, "code")), parent ? "  " : "",
                   json_string_value(json_object_get(e, "name")),
                   json_is_true(json_object_get(e, "required")) ? "  (required)" : "");
        }
        if (unused)
            printf("%zu rule rows name categories this taxonomy lacks (they never fire)\n", unused);
        json_decref(list);
    }
    gk_classifier_free(cls);
    gk_taxonomy_free(tax);
    gk_data_close(d);
    return EXIT_OK;
}
