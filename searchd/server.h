/*
 * server.h — the HTTP side of gongkai-searchd: listeners, the route table,
 * requests and replies.
 *
 * One process serves two listeners over one data directory: the public
 * one (TCP) sees public items only, the staff one (a Unix socket, access
 * by file permissions) sees everything. The difference is one field of the
 * request, the scope, which every handler passes to the core where the
 * query is built; no handler filters results afterwards.
 */
#ifndef GK_SEARCHD_SERVER_H
#define GK_SEARCHD_SERVER_H

#include <microhttpd.h>
#include <stdint.h>

#include "buf.h"
#include "gongkai.h"
#include <jansson.h>

typedef struct searchd_config {
    const char *data_dir;
    const char *listen;           /* "HOST:PORT" for the public listener, or NULL */
    const char *staff_socket;     /* path of the staff Unix socket, or NULL */
    unsigned threads;             /* worker threads per listener */
    unsigned max_connections;     /* per listener */
    unsigned timeout_seconds;     /* an idle or slow connection is closed after this */
    size_t max_request_bytes;     /* request line and headers */
    int access_log;               /* one line per request on stderr */
} searchd_config_t;

typedef struct request {
    struct MHD_Connection *conn;
    gk_data_t *data;              /* this thread's read-only handle */
    gk_scope_t scope;             /* GK_SCOPE_PUBLIC on the public listener */
} request_t;

typedef struct reply {
    unsigned status;
    const char *content_type;     /* a static string, or type_buf */
    char type_buf[128];
    gk_buf_t body;
    int fd;                       /* when >= 0: the body is this file (fd_size bytes) */
    int64_t fd_size;
    char disposition[512];        /* Content-Disposition, or "" */
    const char *cache_control;    /* static string, or NULL */
} reply_t;

/* A query parameter (decoded), or NULL. */
const char *request_arg(const request_t *rq, const char *name);

/* Replies. */
void reply_json(reply_t *out, unsigned status, json_t *doc);   /* steals DOC */
void reply_error(reply_t *out, unsigned status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Serve until SIGTERM or SIGINT; in-flight requests finish. Returns an exit status. */
int searchd_run(const searchd_config_t *cfg);

#endif
