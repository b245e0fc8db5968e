/* metrics.h — request counters and latencies for /metrics (Prometheus text). */
#ifndef GK_SEARCHD_METRICS_H
#define GK_SEARCHD_METRICS_H

/* Count one request to ROUTE (a route name of server.c, or "none") that
 * ended with STATUS after SECONDS. Thread-safe. */
void metrics_record(const char *route, unsigned status, double seconds);

#endif
