/* api.c — the JSON API: search, suggest, items and their originals, health. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gongkai_json.h"
#include "routes.h"
#include "utf8.h"

/* Hits per page the API serves at most (the core allows more for the CLI). */
#define API_MAX_SIZE 100
#define API_MAX_PAGE 1000
/* Longest filter value (category, type, organ) taken. */
#define API_MAX_FILTER 256
/* Titles offered by /api/suggest, and the longest prefix looked up. */
#define SUGGEST_COUNT 8
#define SUGGEST_MAX_BYTES 120

/* A whole decimal number within [lo, hi], or -1. */
static long parse_int(const char *s, long lo, long hi)
{
    if (!s || !*s || strlen(s) > 9)
        return -1;
    for (const char *p = s; *p; p++)
        if (!isdigit((unsigned char)*p))
            return -1;
    long v = strtol(s, NULL, 10);
    return v >= lo && v <= hi ? v : -1;
}

static int is_date(const char *s)
{
    return strlen(s) == 10 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
           isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) && s[4] == '-' &&
           isdigit((unsigned char)s[5]) && isdigit((unsigned char)s[6]) && s[7] == '-' &&
           isdigit((unsigned char)s[8]) && isdigit((unsigned char)s[9]);
}

static int valid_text(const char *s, size_t max)
{
    size_t n = strlen(s);
    return n <= max && gk_utf8_valid((const unsigned char *)s, n);
}

gk_status_t api_search_params(const request_t *rq, gk_search_params_t *p, char *err, size_t errlen)
{
    gk_search_params_init(p);
    p->scope = rq->scope;
    const char *q = request_arg(rq, "q");
    p->query = q ? q : "";
    if (!valid_text(p->query, GK_QUERY_MAX_BYTES)) {
        snprintf(err, errlen, "q must be valid UTF-8 of at most %d bytes", GK_QUERY_MAX_BYTES);
        return GK_ERR_INVALID;
    }
    const char *names[] = {"category", "type", "organ"};
    const char **fields[] = {&p->category, &p->type, &p->organ};
    for (int i = 0; i < 3; i++) {
        const char *v = request_arg(rq, names[i]);
        if (v && *v && !valid_text(v, API_MAX_FILTER)) {
            snprintf(err, errlen, "%s must be valid UTF-8 of at most %d bytes", names[i], API_MAX_FILTER);
            return GK_ERR_INVALID;
        }
        *fields[i] = v && *v ? v : NULL;
    }
    const char *v;
    if ((v = request_arg(rq, "year")) && *v && (p->year = (int)parse_int(v, 1900, 2999)) < 0) {
        snprintf(err, errlen, "year must be a year such as 2024");
        return GK_ERR_INVALID;
    }
    if ((v = request_arg(rq, "from")) && *v) {
        if (!is_date(v)) {
            snprintf(err, errlen, "from must be a date YYYY-MM-DD");
            return GK_ERR_INVALID;
        }
        p->from = v;
    }
    if ((v = request_arg(rq, "to")) && *v) {
        if (!is_date(v)) {
            snprintf(err, errlen, "to must be a date YYYY-MM-DD");
            return GK_ERR_INVALID;
        }
        p->to = v;
    }
    if ((v = request_arg(rq, "sort")) && *v) {
        if (strcmp(v, "relevance") == 0)
            p->sort = GK_SORT_RELEVANCE;
        else if (strcmp(v, "date") == 0)
            p->sort = GK_SORT_DATE;
        else {
            snprintf(err, errlen, "sort is relevance or date");
            return GK_ERR_INVALID;
        }
    }
    if ((v = request_arg(rq, "page")) && *v && (p->page = (int)parse_int(v, 1, API_MAX_PAGE)) < 0) {
        snprintf(err, errlen, "page must be a number from 1 to %d", API_MAX_PAGE);
        return GK_ERR_INVALID;
    }
    if ((v = request_arg(rq, "size")) && *v && (p->size = (int)parse_int(v, 1, API_MAX_SIZE)) < 0) {
        snprintf(err, errlen, "size must be a number from 1 to %d", API_MAX_SIZE);
        return GK_ERR_INVALID;
    }
    return GK_OK;
}

/* A failed search as a reply: the query's fault is a 400, the rest 503. */
static void search_failed(request_t *rq, gk_status_t st, reply_t *out)
{
    if (st == GK_ERR_INVALID)
        reply_error(out, 400, "%s", gk_data_error(rq->data));
    else if (st == GK_ERR_NOMEM)
        reply_error(out, 503, "out of memory");
    else
        reply_error(out, 503, "search unavailable: %s", gk_data_error(rq->data));
}

void api_search(request_t *rq, const char *rest, reply_t *out)
{
    (void)rest;
    gk_search_params_t p;
    char err[256];
    if (api_search_params(rq, &p, err, sizeof err) != GK_OK) {
        reply_error(out, 400, "%s", err);
        return;
    }
    gk_results_t *r;
    gk_status_t st = gk_search(rq->data, &p, &r);
    if (st != GK_OK) {
        search_failed(rq, st, out);
        return;
    }
    json_t *doc = gk_json_results(r);
    if (doc) {
        json_object_set_new(doc, "page", json_integer(p.page));
        json_object_set_new(doc, "size", json_integer(p.size));
    }
    reply_json(out, 200, doc);
    gk_results_free(r);
}

/* The typed text as a phrase within titles: characters that are syntax in
 * the query language become spaces, so what was typed is only words. */
static void suggest_query(const char *typed, char *q, size_t qlen)
{
    size_t n = 0;
    n += (size_t)snprintf(q, qlen, "title:\"");
    for (const char *s = typed; *s && n + 3 < qlen; s++)
        q[n++] = strchr("\"\\:()-", *s) ? ' ' : *s;
    q[n++] = '"';
    q[n] = '\0';
}

void api_suggest(request_t *rq, const char *rest, reply_t *out)
{
    (void)rest;
    const char *typed = request_arg(rq, "q");
    if (typed && !valid_text(typed, SUGGEST_MAX_BYTES)) {
        reply_error(out, 400, "q must be valid UTF-8 of at most %d bytes", SUGGEST_MAX_BYTES);
        return;
    }
    json_t *list = json_array();
    size_t blank = typed ? strspn(typed, " \t\r\n") : 0;
    if (typed && typed[blank]) {
        char q[SUGGEST_MAX_BYTES * 2 + 16];
        suggest_query(typed + blank, q, sizeof q);
        gk_search_params_t p;
        gk_search_params_init(&p);
        p.query = q;
        p.size = SUGGEST_COUNT;
        p.scope = rq->scope;
        p.facets = 0;
        p.snippets = 0;
        /* "regul" offers "Regulations on …"; "regulation " only the whole word. */
        size_t n = strlen(typed);
        p.prefix = n > 0 && (isalnum((unsigned char)typed[n - 1]) || (unsigned char)typed[n - 1] >= 0x80);
        gk_results_t *r;
        gk_status_t st = gk_search(rq->data, &p, &r);
        if (st != GK_OK && st != GK_ERR_INVALID) {
            json_decref(list);
            search_failed(rq, st, out);
            return;
        }
        for (size_t i = 0; st == GK_OK && i < gk_results_count(r); i++) {
            const gk_hit_t *h = gk_results_hit(r, i);
            json_array_append_new(list, json_pack("{s:I, s:s}", "id", (json_int_t)h->id, "title",
                                                  h->title ? h->title : ""));
        }
        if (st == GK_OK)
            gk_results_free(r);
    }
    reply_json(out, 200, json_pack("{s:o}", "suggestions", list));
}

/* Content-Disposition for FILENAME: inline (a browser shows PDFs), with
 * the UTF-8 name percent-encoded (RFC 6266) and an ASCII fallback. */
static void disposition(char *out, size_t outlen, const char *filename)
{
    size_t n = (size_t)snprintf(out, outlen, "inline; filename=\"download\"; filename*=UTF-8''");
    for (const unsigned char *s = (const unsigned char *)filename; *s && n + 4 < outlen; s++) {
        if (isalnum(*s) || strchr("-._~", *s))
            out[n++] = (char)*s;
        else
            n += (size_t)snprintf(out + n, outlen - n, "%%%02X", *s);
    }
    out[n] = '\0';
}

void api_items(request_t *rq, const char *rest, reply_t *out)
{
    /* REST is "ID" or "ID/file"; anything else (dots, more slashes) is no
     * item: nothing here is ever a file system path. */
    size_t digits = strspn(rest, "0123456789");
    int file = strcmp(rest + digits, "/file") == 0;
    if (digits == 0 || digits > 18 || (rest[digits] && !file)) {
        reply_error(out, 404, "no such item");
        return;
    }
    char id[20];
    memcpy(id, rest, digits);
    id[digits] = '\0';
    gk_item_t *it;
    gk_status_t st = gk_item_lookup(rq->data, id, &it);
    /* On the public side an item that is not public does not exist: the
     * same 404, so that its existence does not leak either. */
    if (st == GK_OK && rq->scope == GK_SCOPE_PUBLIC && it->visibility != GK_VIS_PUBLIC) {
        gk_item_free(it);
        st = GK_ERR_NOT_FOUND;
    }
    if (st == GK_ERR_NOT_FOUND) {
        reply_error(out, 404, "no such item");
        return;
    }
    if (st != GK_OK) {
        reply_error(out, 503, "catalogue unavailable: %s", gk_data_error(rq->data));
        return;
    }
    if (!file) {
        reply_json(out, 200, gk_json_item(it));
    } else {
        int fd;
        int64_t size;
        if (gk_item_open_original(rq->data, it, &fd, &size) != GK_OK) {
            reply_error(out, 503, "the original is unavailable: %s", gk_data_error(rq->data));
        } else {
            out->status = 200;
            out->fd = fd;
            out->fd_size = size;
            /* Copied: the item is freed before the reply is sent. */
            snprintf(out->type_buf, sizeof out->type_buf, "%s",
                     it->mime && strchr(it->mime, '/') ? it->mime : "application/octet-stream");
            out->content_type = out->type_buf;
            disposition(out->disposition, sizeof out->disposition, it->filename ? it->filename : "original");
            out->cache_control = "private, max-age=3600";
        }
    }
    gk_item_free(it);
}

void api_healthz(request_t *rq, const char *rest, reply_t *out)
{
    (void)rest;
    int64_t lag = 0;
    gk_status_t st = gk_index_lag(rq->data, &lag);
    if (st != GK_OK) {
        reply_error(out, 503, "%s", gk_data_error(rq->data));
        return;
    }
    /* How far the index lags says how much changed, public or not: staff only. */
    json_t *doc = json_pack("{s:s}", "status", "ok");
    if (rq->scope != GK_SCOPE_PUBLIC)
        json_object_set_new(doc, "index_lag", json_integer(lag));
    reply_json(out, 200, doc);
}
