/*
 * isolate.h — extraction in a child process, under a time and a memory
 * limit.
 *
 * Some parsers (Poppler, libgsf) cannot be bounded from outside: a
 * crafted PDF can loop or allocate without end inside the library. Those
 * extractors (gk_extractor_t.isolate) run in a child process that an alarm
 * ends after max_seconds and whose address space is capped at
 * max_memory_bytes, so a bad file costs one failed item, never the batch.
 *
 * Children are forked by a small single-threaded helper process (a
 * "zygote") started before the archiving threads: forking a process that
 * runs index writers could leave a child holding a lock no thread will
 * release, and forking the small helper is cheaper than forking the
 * archiver. The helper ignores SIGINT and SIGTERM (Ctrl-C lets the current
 * file finish) and ends when its parent closes the connection or dies.
 *
 * One gk_isolate_t serves one thread at a time.
 */
#ifndef GK_ISOLATE_H
#define GK_ISOLATE_H

#include <stddef.h>

#include "extract.h"

typedef struct gk_isolate gk_isolate_t;

/* Start the helper process. Call before the process starts threads.
 * Returns GK_OK, GK_ERR_IO (fork or socket failed; ERR says why). */
gk_status_t gk_isolate_start(gk_isolate_t **out, char *err, size_t errlen);

/* Stop the helper (children still running end by their alarm). */
void gk_isolate_stop(gk_isolate_t *iso);

/*
 * gk_extract(EX, IN, LIM, OUT) in a child process. Besides the statuses of
 * gk_extract: GK_ERR_TOO_LARGE when the child ran out of time,
 * GK_ERR_EXTRACTOR when it died (a crash, or the memory limit) or the
 * helper could not start one.
 */
gk_status_t gk_isolate_extract(gk_isolate_t *iso, const gk_extractor_t *ex, const gk_input_t *in,
                               const gk_extract_limits_t *lim, gk_fields_t *out);

#endif
