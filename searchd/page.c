/*
 * page.c — the public search page, rendered here so that it works without
 * JavaScript (a plain form GET); www/app.js only enhances it (suggestions,
 * in-place updates through ?partial=1, which returns the inside of
 * <main id="results">). Everything shown is HTML-escaped; snippets come
 * escaped from the core with <mark> as the only markup.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "assets.h"
#include "routes.h"
#include "utf8.h"

#define PAGE_SIZE 10
/* Page links shown around the current one. */
#define PAGE_SPAN 4

static const struct facet_name {
    const char *field, *label;
} facets[] = {{"category", "类别"}, {"type", "文种"}, {"year", "年份"}, {"organ", "发布机构"}};

/* Append S percent-encoded for a query string. */
static void put_encoded(gk_buf_t *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (isalnum(*p) || strchr("-._~", *p))
            gk_buf_putc(b, (char)*p);
        else
            gk_buf_printf(b, "%%%02X", *p);
    }
}

/* The page's state, as it goes into links: the query and the filters. */
typedef struct state {
    const char *q;
    const char *filter[4];   /* by the index of facets[] */
    int page;
} state_t;

/* A link to STATE with filter F set to VALUE (NULL: removed, F < 0: none
 * changed) on page PAGE, HTML-escaped for an attribute. */
static void put_link(gk_buf_t *b, const state_t *st, int f, const char *value, int page)
{
    gk_buf_t url = GK_BUF_INIT;
    gk_buf_puts(&url, "/?q=");
    put_encoded(&url, st->q);
    for (int i = 0; i < 4; i++) {
        const char *v = i == f ? value : st->filter[i];
        if (v) {
            gk_buf_printf(&url, "&%s=", facets[i].field);
            put_encoded(&url, v);
        }
    }
    if (page > 1)
        gk_buf_printf(&url, "&page=%d", page);
    gk_buf_append_html(b, gk_buf_str(&url), url.len);
    gk_buf_free(&url);
}

static void put_text(gk_buf_t *b, const char *s)
{
    if (s)
        gk_buf_append_html(b, s, strlen(s));
}

static void put_facets(gk_buf_t *b, const state_t *st, const gk_results_t *r)
{
    gk_buf_puts(b, "<aside class=\"facets\">");
    int any = 0;
    for (int i = 0; i < 4; i++)
        any |= st->filter[i] != NULL;
    if (any) {
        gk_buf_puts(b, "<p class=\"filters\">已选：");
        for (int i = 0; i < 4; i++) {
            if (!st->filter[i])
                continue;
            gk_buf_puts(b, "<a class=\"filter\" href=\"");
            put_link(b, st, i, NULL, 1);
            gk_buf_printf(b, "\">%s：", facets[i].label);
            put_text(b, st->filter[i]);
            gk_buf_puts(b, " ×</a> ");
        }
        gk_buf_puts(b, "</p>");
    }
    for (int i = 0; i < 4; i++) {
        const gk_facet_t *vals;
        size_t n = gk_results_facets(r, facets[i].field, &vals);
        if (n == 0)
            continue;
        gk_buf_printf(b, "<section class=\"facet\" data-field=\"%s\"><h2>%s</h2><ul>", facets[i].field,
                      facets[i].label);
        for (size_t k = 0; k < n && k < 20; k++) {
            gk_buf_puts(b, "<li><a href=\"");
            put_link(b, st, i, vals[k].name, 1);
            gk_buf_puts(b, "\">");
            put_text(b, vals[k].name);
            gk_buf_printf(b, "</a> <span class=\"count\">%lld</span></li>", (long long)vals[k].count);
        }
        gk_buf_puts(b, "</ul></section>");
    }
    gk_buf_puts(b, "</aside>");
}

static void put_hits(gk_buf_t *b, const gk_results_t *r)
{
    gk_buf_puts(b, "<ol class=\"hits\">");
    for (size_t i = 0; i < gk_results_count(r); i++) {
        const gk_hit_t *h = gk_results_hit(r, i);
        gk_buf_printf(b, "<li class=\"hit\"><h3><a href=\"/api/items/%lld/file\">", (long long)h->id);
        put_text(b, h->title && *h->title ? h->title : h->filename);
        gk_buf_puts(b, "</a></h3><p class=\"meta\">");
        const char *meta[][2] = {{"docno", h->docno}, {"date", h->date}, {"category", h->category}, {"type", h->type}};
        for (int k = 0; k < 4; k++) {
            if (!meta[k][1] || !*meta[k][1])
                continue;
            gk_buf_printf(b, "<span class=\"%s\">", meta[k][0]);
            put_text(b, meta[k][1]);
            gk_buf_puts(b, "</span>");
        }
        gk_buf_printf(b, "</p><p class=\"snippet\">%s</p></li>", h->snippet);
    }
    gk_buf_puts(b, "</ol>");
}

static void put_pages(gk_buf_t *b, const state_t *st, int64_t total)
{
    int last = (int)((total + PAGE_SIZE - 1) / PAGE_SIZE);
    if (last > 1000)
        last = 1000;
    if (last <= 1)
        return;
    gk_buf_puts(b, "<nav class=\"pages\" aria-label=\"分页\">");
    if (st->page > 1) {
        gk_buf_puts(b, "<a href=\"");
        put_link(b, st, -1, NULL, st->page - 1);
        gk_buf_puts(b, "\" rel=\"prev\">上一页</a> ");
    }
    int from = st->page - PAGE_SPAN > 1 ? st->page - PAGE_SPAN : 1;
    int to = st->page + PAGE_SPAN < last ? st->page + PAGE_SPAN : last;
    for (int p = from; p <= to; p++) {
        if (p == st->page) {
            gk_buf_printf(b, "<span aria-current=\"page\">%d</span> ", p);
            continue;
        }
        gk_buf_puts(b, "<a href=\"");
        put_link(b, st, -1, NULL, p);
        gk_buf_printf(b, "\">%d</a> ", p);
    }
    if (st->page < last) {
        gk_buf_puts(b, "<a href=\"");
        put_link(b, st, -1, NULL, st->page + 1);
        gk_buf_puts(b, "\" rel=\"next\">下一页</a>");
    }
    gk_buf_puts(b, "</nav>");
}

/* The inside of <main id="results"> for this request. */
static void put_results(gk_buf_t *b, request_t *rq, unsigned *status)
{
    gk_search_params_t p;
    char err[256];
    if (api_search_params(rq, &p, err, sizeof err) != GK_OK) {
        *status = 400;
        gk_buf_puts(b, "<p class=\"error\">");
        put_text(b, err);
        gk_buf_puts(b, "</p>");
        return;
    }
    state_t st = {p.query, {p.category, p.type, request_arg(rq, "year"), p.organ}, p.page};
    if (st.filter[2] && !*st.filter[2])
        st.filter[2] = NULL;
    int filtered = st.filter[0] || st.filter[1] || st.filter[2] || st.filter[3];
    if (!*p.query && !filtered) {
        gk_buf_puts(b, "<p class=\"intro\">输入标题、文号或正文中的词语，检索本机关主动公开的政府信息。</p>");
        return;
    }
    p.size = PAGE_SIZE;
    gk_results_t *r;
    gk_status_t s = gk_search(rq->data, &p, &r);
    if (s != GK_OK) {
        *status = s == GK_ERR_INVALID ? 400 : 503;
        gk_buf_puts(b, "<p class=\"error\">");
        put_text(b, s == GK_ERR_INVALID ? gk_data_error(rq->data) : "检索暂时不可用，请稍后再试。");
        gk_buf_puts(b, "</p>");
        return;
    }
    int64_t total = gk_results_total(r);
    if (total == 0) {
        gk_buf_puts(b, "<p class=\"empty\">未找到与“");
        put_text(b, p.query);
        gk_buf_puts(b, "”相关的结果</p>");
    } else {
        gk_buf_printf(b, "<p class=\"summary\">共找到 <b>%lld</b> 条结果</p>", (long long)total);
    }
    gk_buf_puts(b, "<div class=\"layout\">");
    put_facets(b, &st, r);
    put_hits(b, r);
    gk_buf_puts(b, "</div>");
    put_pages(b, &st, total);
    gk_results_free(r);
}

void page_search(request_t *rq, const char *rest, reply_t *out)
{
    (void)rest;
    gk_buf_t *b = &out->body;
    out->status = 200;
    out->content_type = "text/html; charset=utf-8";
    const char *partial = request_arg(rq, "partial");
    if (partial && strcmp(partial, "1") == 0) {
        put_results(b, rq, &out->status);
        return;
    }
    const char *q = request_arg(rq, "q");
    gk_buf_puts(b, "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                   "<title>政府信息公开检索</title><link rel=\"stylesheet\" href=\"/static/style.css\"></head>"
                   "<body><header class=\"site\"><h1><a href=\"/\">政府信息公开检索</a></h1>"
                   "<form class=\"search\" action=\"/\" method=\"get\" role=\"search\">"
                   "<input id=\"q\" name=\"q\" type=\"search\" value=\"");
    if (q && gk_utf8_valid((const unsigned char *)q, strlen(q)))
        put_text(b, q);
    gk_buf_puts(b, "\" autocomplete=\"off\" placeholder=\"输入标题、文号或全文关键词\" aria-label=\"检索词\">"
                   "<button type=\"submit\">检索</button>"
                   "<ul id=\"suggest\" class=\"suggest\" role=\"listbox\" hidden></ul></form></header>"
                   "<main id=\"results\">");
    put_results(b, rq, &out->status);
    gk_buf_puts(b, "</main><script src=\"/static/app.js\" defer></script></body></html>");
}

void page_static(request_t *rq, const char *rest, reply_t *out)
{
    (void)rq;
    for (const gk_asset_t *a = gk_assets; a->name; a++) {
        if (strcmp(a->name, rest) != 0)
            continue;
        const char *dot = strrchr(a->name, '.');
        out->status = 200;
        out->content_type = dot && !strcmp(dot, ".css")  ? "text/css; charset=utf-8"
                            : dot && !strcmp(dot, ".js") ? "text/javascript; charset=utf-8"
                                                         : "application/octet-stream";
        out->cache_control = "public, max-age=300";
        gk_buf_reset(&out->body);
        gk_buf_append(&out->body, a->data, a->len);
        return;
    }
    reply_error(out, 404, "no such file");
}
