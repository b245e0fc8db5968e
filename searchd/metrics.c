/* metrics.c — counters and a latency histogram, served as Prometheus text. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "gongkai_json.h"
#include "metrics.h"
#include "routes.h"

/* Upper bounds of the latency buckets, in seconds. */
static const double bounds[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
#define NBOUNDS (sizeof bounds / sizeof bounds[0])
#define MAX_SERIES 64

static struct series {
    char route[16];
    unsigned status;
    unsigned long long count;
} series[MAX_SERIES];
static size_t nseries;
static unsigned long long buckets[NBOUNDS + 1], observations;
static double total_seconds;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void metrics_record(const char *route, unsigned status, double seconds)
{
    pthread_mutex_lock(&lock);
    size_t i = 0;
    while (i < nseries && !(series[i].status == status && strcmp(series[i].route, route) == 0))
        i++;
    if (i == nseries && nseries < MAX_SERIES) {
        snprintf(series[i].route, sizeof series[i].route, "%s", route);
        series[i].status = status;
        nseries++;
    }
    if (i < nseries)
        series[i].count++;
    size_t b = 0;
    while (b < NBOUNDS && seconds > bounds[b])
        b++;
    buckets[b]++;
    observations++;
    total_seconds += seconds;
    pthread_mutex_unlock(&lock);
}

void metrics_page(request_t *rq, const char *rest, reply_t *out)
{
    (void)rest;
    gk_buf_t *b = &out->body;
    gk_buf_puts(b, "# HELP gongkai_http_requests_total Requests answered, by route and status.\n"
                   "# TYPE gongkai_http_requests_total counter\n");
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < nseries; i++)
        gk_buf_printf(b, "gongkai_http_requests_total{route=\"%s\",status=\"%u\"} %llu\n", series[i].route,
                      series[i].status, series[i].count);
    gk_buf_puts(b, "# HELP gongkai_http_request_duration_seconds Time from request to reply.\n"
                   "# TYPE gongkai_http_request_duration_seconds histogram\n");
    unsigned long long cumulative = 0;
    for (size_t i = 0; i < NBOUNDS; i++) {
        cumulative += buckets[i];
        gk_buf_printf(b, "gongkai_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n", bounds[i], cumulative);
    }
    gk_buf_printf(b, "gongkai_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n", observations);
    gk_buf_printf(b, "gongkai_http_request_duration_seconds_sum %.6f\n", total_seconds);
    gk_buf_printf(b, "gongkai_http_request_duration_seconds_count %llu\n", observations);
    pthread_mutex_unlock(&lock);
    /* The public side counts public items only: how many others there
     * are is not public either. */
    json_t *stats = NULL;
    if (gk_stats_json(rq->data, 0, &stats) == GK_OK) {
        json_t *n = rq->scope == GK_SCOPE_PUBLIC ? json_object_get(json_object_get(stats, "by_visibility"), "public")
                                                 : json_object_get(stats, "items");
        gk_buf_printf(b, "# HELP gongkai_items Items in the catalogue (public items on the public side).\n"
                         "# TYPE gongkai_items gauge\ngongkai_items %lld\n", (long long)json_integer_value(n));
        json_decref(stats);
    }
    int64_t lag = 0;
    if (rq->scope != GK_SCOPE_PUBLIC && gk_index_lag(rq->data, &lag) == GK_OK)
        gk_buf_printf(b, "# HELP gongkai_index_lag Catalogue changes the index has not applied.\n"
                         "# TYPE gongkai_index_lag gauge\ngongkai_index_lag %lld\n", (long long)lag);
    out->status = 200;
    out->content_type = "text/plain; version=0.0.4; charset=utf-8";
}
