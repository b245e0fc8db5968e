/*
 * Fuzz the query language end to end: parse, compile, search a small index
 * and make snippets. The data directory is built once, in a temporary
 * directory, from a few documents.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gongkai.h"
#include "sha256.h"

static gk_data_t *data;

static void add(const char *name, const char *text)
{
    char sha[65];
    gk_sha256_buffer(text, strlen(text), sha);
    gk_item_t it = {.sha256 = sha, .filename = (char *)name, .mime = "text/plain", .size = (int64_t)strlen(text),
                    .title = (char *)name, .category = "政策文件", .type = "通知", .date = "2023-05-12",
                    .year = 2023};
    int64_t id;
    if (gk_object_store(data, sha, text, strlen(text)) != GK_OK || gk_catalogue_add(data, &it, text, strlen(text), &id) != GK_OK)
        abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char dir[] = "/tmp/gk-fuzz-query-XXXXXX";
    if (!mkdtemp(dir) || gk_data_open(dir, GK_OPEN_CREATE, &data, NULL) != GK_OK)
        abort();
    gk_catalogue_begin(data);
    add("关于做好2023年防汛工作的通知", "各乡镇人民政府：为做好2023年防汛抗旱工作，现将有关事项通知如下。GB18030 regulations");
    add("最低生活保障办法", "第一条 为了规范最低生活保障工作，保障困难群众基本生活，制定本办法。PM2.5");
    add("Emergency plan", "An emergency plan for floods and droughts, with ＡＢＣ and ２０２３.");
    if (gk_catalogue_commit(data) != GK_OK || gk_index_update(data, NULL, NULL) != GK_OK)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *bytes, size_t len)
{
    char *q = malloc(len + 1);
    if (!q)
        return 0;
    memcpy(q, bytes, len);
    q[len] = '\0';
    gk_search_params_t p;
    gk_search_params_init(&p);
    p.query = q;
    p.scope = len % 2 ? GK_SCOPE_ALL : GK_SCOPE_PUBLIC;
    p.sort = len % 3 ? GK_SORT_RELEVANCE : GK_SORT_DATE;
    p.prefix = len % 5 == 0; /* completions, as /api/suggest asks */
    gk_results_t *r = NULL;
    if (gk_search(data, &p, &r) == GK_OK) {
        for (size_t i = 0; i < gk_results_count(r); i++)
            if (!gk_results_hit(r, i)->snippet)
                abort();
    }
    gk_results_free(r);
    free(q);
    return 0;
}
