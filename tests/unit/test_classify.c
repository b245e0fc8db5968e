/*
 * test_classify.c — the catalogue taxonomy (taxonomy.c), its TSV reader
 * (tsv.c) and the category rules (classify.c): the built-in defaults load,
 * malformed files are refused with the line, the shared catalogue loads as
 * it is, and the default rules place the shared 公文 in its catalogue
 * (from the ground-truth title and type, so this measures the rules alone).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "classify.h"
#include "taxonomy.h"
#include "testcorpus.h"

static gk_taxonomy_t *parse_tax(const char *text, gk_status_t want, const char *want_err)
{
    gk_taxonomy_t *t = NULL;
    char err[512] = "";
    gk_status_t st = gk_taxonomy_parse(text, strlen(text), "t.tsv", &t, err, sizeof err);
    if (st != want)
        fail_msg("parse: %s, want %s (%s)", gk_status_to_string(st), gk_status_to_string(want), err);
    if (want_err && !strstr(err, want_err))
        fail_msg("message '%s' lacks '%s'", err, want_err);
    return t;
}

static void test_default_taxonomy_and_rules(void **state)
{
    (void)state;
    gk_taxonomy_t *t = parse_tax(gk_default_categories_tsv, GK_OK, NULL);
    assert_true(gk_taxonomy_count(t) >= 12);
    const gk_category_t *c = gk_taxonomy_find(t, "社会救助");
    assert_non_null(c);
    assert_ptr_equal(gk_taxonomy_find(t, c->code), c);
    assert_true(c->required);
    /* Every default rule names a default category. */
    gk_classifier_t *cls;
    char err[512];
    assert_int_equal(gk_classifier_parse(gk_default_category_rules_tsv, strlen(gk_default_category_rules_tsv),
                                         "rules", t, &cls, err, sizeof err),
                     GK_OK);
    assert_int_equal(gk_classifier_unused_rows(cls), 0);
    gk_classify_input_t in = {"通知", "青山县民政局关于调整城乡居民最低生活保障标准的通知", "青山县民政局",
                              "为保障困难群众基本生活……", 30};
    gk_classification_t out;
    gk_classify(cls, &in, &out);
    assert_non_null(out.category);
    assert_string_equal(out.category->name, "社会救助");
    assert_non_null(strstr(out.rule, "title"));
    assert_true(out.confidence > 0 && out.confidence <= 1);
    /* Nothing to go on: no category rather than a guess. */
    gk_classify_input_t none = {NULL, "附件", NULL, "", 0};
    gk_classify(cls, &none, &out);
    assert_null(out.category);
    gk_classifier_free(cls);
    gk_taxonomy_free(t);
}

static void test_malformed_taxonomies(void **state)
{
    (void)state;
    parse_tax("", GK_ERR_INVALID, "no header");
    parse_tax("code\tname\n01\ta\n", GK_ERR_INVALID, "header");
    parse_tax("code\tname\tparent\trequired\tscope\n01\t机构\t\trequired\t\n01\t别的\t\t\t\n", GK_ERR_INVALID,
              "t.tsv:3");
    parse_tax("code\tname\tparent\trequired\tscope\n01\t机构\t99\t\t\n", GK_ERR_INVALID, "parent 99");
    parse_tax("code\tname\tparent\trequired\tscope\n01\t机构\t\tmaybe\t\n", GK_ERR_INVALID, "t.tsv:2");
    parse_tax("code\tname\tparent\trequired\tscope\n\xff\xfe\n", GK_ERR_INVALID, "UTF-8");
    /* A byte order mark, CRLF, comments, blank lines and stray blanks are fine. */
    gk_taxonomy_t *t = parse_tax("\xEF\xBB\xBF# 目录\r\ncode\tname\tparent\trequired\tscope\r\n\r\n01\t 机构职能 \t\t"
                                 "required\t机构、职能\r\n0101\t内设机构\t01\toptional\t\r\n",
                                 GK_OK, NULL);
    assert_int_equal(gk_taxonomy_count(t), 2);
    assert_string_equal(gk_taxonomy_at(t, 0)->name, "机构职能");
    assert_string_equal(gk_taxonomy_at(t, 1)->parent, "01");
    char err[512] = "";
    gk_classifier_t *cls = NULL;
    const char *bad = "category\tfield\twords\tweight\n机构职能\theadline\t职能\t2\n";
    assert_int_equal(gk_classifier_parse(bad, strlen(bad), "r.tsv", t, &cls, err, sizeof err), GK_ERR_INVALID);
    assert_non_null(strstr(err, "r.tsv:2"));
    const char *zero = "category\tfield\twords\tweight\n机构职能\ttitle\t职能\t0\n";
    assert_int_equal(gk_classifier_parse(zero, strlen(zero), "r.tsv", t, &cls, err, sizeof err), GK_ERR_INVALID);
    /* Rows for other catalogues' categories are counted, not fatal. */
    const char *other = "category\tfield\twords\tweight\n社会救助\ttitle\t低保\t5\n机构职能\ttype\t通知\t1\n";
    assert_int_equal(gk_classifier_parse(other, strlen(other), "r.tsv", t, &cls, err, sizeof err), GK_OK);
    assert_int_equal(gk_classifier_unused_rows(cls), 1);
    /* The scope words of the taxonomy classify on their own. */
    gk_classify_input_t in = {"通知", "关于调整内设机构和职能的通知", NULL, "", 0};
    gk_classification_t out;
    gk_classify(cls, &in, &out);
    assert_non_null(out.category);
    assert_string_equal(out.category->name, "机构职能");
    gk_classifier_free(cls);
    gk_taxonomy_free(t);
}

/* The default rules with the shared catalogue, on the shared 公文, given
 * their true title, type and organ. */
static void test_rules_on_govdocs(void **state)
{
    (void)state;
    const char *corpus = corpus_or_skip("the category rules on govdocs");
    char path[4096];
    snprintf(path, sizeof path, "%s/govdocs-categories.tsv", corpus);
    size_t len;
    char *text = slurp(path, &len);
    assert_non_null(text);
    gk_taxonomy_t *t = NULL;
    char err[512] = "";
    if (gk_taxonomy_parse(text, len, path, &t, err, sizeof err) != GK_OK)
        fail_msg("the shared catalogue does not load: %s", err);
    free(text);
    gk_classifier_t *cls;
    assert_int_equal(gk_classifier_parse(gk_default_category_rules_tsv, strlen(gk_default_category_rules_tsv),
                                         "rules", t, &cls, err, sizeof err),
                     GK_OK);
    snprintf(path, sizeof path, "%s/govdocs.tsv", corpus);
    char *tsv = slurp(path, &len);
    assert_non_null(tsv);
    int right = 0, total = 0;
    for (char *line = strchr(tsv, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
        char *col[9] = {0};
        char *p = line + 1;
        for (int k = 0; k < 9; k++) {
            col[k] = p;
            char *end = p + strcspn(p, "\t\n");
            if (*end != '\t') {
                p = end;
                break;
            }
            p = end + 1;
        }
        if (!col[6])
            continue;
        char file[256], title[1024], organ[512], type[64], want[128];
#define FIELD(dst, k) snprintf(dst, sizeof dst, "%.*s", (int)strcspn(col[k], "\t\n"), col[k])
        FIELD(file, 0);
        FIELD(title, 1);
        FIELD(organ, 4);
        FIELD(type, 5);
        FIELD(want, 6);
        snprintf(path, sizeof path, "%s/govdocs/%s", corpus, file);
        size_t blen;
        char *body = slurp(path, &blen);
        gk_classify_input_t in = {type, title, organ, body, body ? blen : 0};
        gk_classification_t out;
        gk_classify(cls, &in, &out);
        total++;
        if (out.category && strcmp(out.category->name, want) == 0)
            right++;
        else
            printf("  %s: want %s, got %s (%s)\n", file, want, out.category ? out.category->name : "none", out.rule);
        free(body);
    }
    printf("category rules on govdocs: %d/%d\n", right, total);
    assert_true(total >= 50);
    assert_true(right * 100 >= total * 75);
    free(tsv);
    gk_classifier_free(cls);
    gk_taxonomy_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_taxonomy_and_rules),
        cmocka_unit_test(test_malformed_taxonomies),
        cmocka_unit_test(test_rules_on_govdocs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
