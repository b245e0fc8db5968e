/*
 * routes.h — the handlers behind the route table of server.c. Each fills
 * a reply from a request; REST is the part of the path after the route's
 * prefix ("" for exact routes).
 */
#ifndef GK_SEARCHD_ROUTES_H
#define GK_SEARCHD_ROUTES_H

#include "server.h"

/* api.c: the JSON API of DESIGN.md */
void api_search(request_t *rq, const char *rest, reply_t *out);
void api_suggest(request_t *rq, const char *rest, reply_t *out);
void api_items(request_t *rq, const char *rest, reply_t *out);
void api_healthz(request_t *rq, const char *rest, reply_t *out);

/* Search parameters from a request's query string, validated: GK_OK, or
 * GK_ERR_INVALID with a message in ERR. The strings point into the
 * request. */
gk_status_t api_search_params(const request_t *rq, gk_search_params_t *p, char *err, size_t errlen);

/* page.c: the search page, rendered on the server */
void page_search(request_t *rq, const char *rest, reply_t *out);
void page_static(request_t *rq, const char *rest, reply_t *out);

/* metrics.c */
void metrics_page(request_t *rq, const char *rest, reply_t *out);

#endif
