/* server.c — listeners, the route table, dispatch and the access log (server.h). */
#include "server.h"

#include <errno.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "gongkai_json.h"
#include "metrics.h"
#include "routes.h"

/* How old a thread's index reader may be before it looks for new commits. */
#define INDEX_REFRESH_MS 250

typedef void (*handler_fn)(request_t *rq, const char *rest, reply_t *out);

/* The routes: an exact path, or a prefix (ending in '/') whose rest goes
 * to the handler. The name labels the metrics. */
static const struct route {
    const char *path;
    int prefix;
    const char *name;
    handler_fn fn;
} routes[] = {
    {"/", 0, "page", page_search},
    {"/static/", 1, "static", page_static},
    {"/api/search", 0, "search", api_search},
    {"/api/suggest", 0, "suggest", api_suggest},
    {"/api/items/", 1, "items", api_items},
    {"/healthz", 0, "healthz", api_healthz},
    {"/metrics", 0, "metrics", metrics_page},
};

typedef struct listener {
    const searchd_config_t *cfg;
    gk_scope_t scope;
    const char *label;            /* "public" or "staff", for the log */
    struct MHD_Daemon *daemon;
} listener_t;

/* Per connection: when the request began, and what it became. */
typedef struct exchange {
    struct timespec start;
    const char *route;
    unsigned status;
    char method[8];
    char path[256];
} exchange_t;

/* ------------------------------------------------------------------ */
/* One read-only data handle per worker thread                        */

static pthread_key_t data_key;
static pthread_once_t data_once = PTHREAD_ONCE_INIT;

static void close_data(void *d) { gk_data_close(d); }
static void make_key(void) { pthread_key_create(&data_key, close_data); }

/* The calling thread's handle, opened on first use. SQLite connections and
 * Xapian databases are not shared between threads. */
static gk_data_t *thread_data(const char *dir, char *err, size_t errlen)
{
    pthread_once(&data_once, make_key);
    gk_data_t *d = pthread_getspecific(data_key);
    if (d)
        return d;
    char *msg = NULL;
    if (gk_data_open(dir, GK_OPEN_READ, &d, &msg) != GK_OK) {
        snprintf(err, errlen, "%s", msg ? msg : "cannot open the data directory");
        free(msg);
        return NULL;
    }
    /* New archives show within a quarter second, and a search does not pay
     * for looking at the index's version files every time. */
    gk_data_set_refresh(d, INDEX_REFRESH_MS);
    pthread_setspecific(data_key, d);
    return d;
}

/* ------------------------------------------------------------------ */
/* Requests and replies                                               */

const char *request_arg(const request_t *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

void reply_json(reply_t *out, unsigned status, json_t *doc)
{
    out->status = status;
    out->content_type = "application/json; charset=utf-8";
    gk_buf_reset(&out->body);
    char *s = doc ? json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(GK_JSON_REAL_DIGITS)) : NULL;
    json_decref(doc);
    if (!s) {
        out->status = 500;
        gk_buf_puts(&out->body, "{\"error\":\"out of memory\"}");
        return;
    }
    gk_buf_puts(&out->body, s);
    gk_buf_putc(&out->body, '\n');
    free(s);
}

void reply_error(reply_t *out, unsigned status, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    reply_json(out, status, json_pack("{s:s}", "error", msg));
}

static const struct route *find_route(const char *url, const char **rest)
{
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        const struct route *r = &routes[i];
        size_t n = strlen(r->path);
        if (r->prefix ? strncmp(url, r->path, n) == 0 : strcmp(url, r->path) == 0) {
            *rest = url + (r->prefix ? n : strlen(url));
            return r;
        }
    }
    return NULL;
}

static enum MHD_Result send_reply(struct MHD_Connection *c, reply_t *out)
{
    struct MHD_Response *resp;
    if (out->fd >= 0) {
        resp = MHD_create_response_from_fd64((uint64_t)out->fd_size, out->fd);
        out->fd = -1; /* the response closes it */
    } else {
        resp = MHD_create_response_from_buffer(out->body.len, (void *)gk_buf_str(&out->body),
                                               MHD_RESPMEM_MUST_COPY);
    }
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, out->content_type);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    /* The page loads nothing from elsewhere and runs no inline code. */
    if (strncmp(out->content_type, "text/html", 9) == 0)
        MHD_add_response_header(resp, "Content-Security-Policy", "default-src 'self'");
    if (out->disposition[0])
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_DISPOSITION, out->disposition);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, out->cache_control ? out->cache_control : "no-store");
    enum MHD_Result r = MHD_queue_response(c, out->status, resp);
    MHD_destroy_response(resp);
    return r;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
    (void)version;
    (void)upload;
    listener_t *l = cls;
    exchange_t *ex = *con_cls;
    if (!ex) {
        /* First call: only the headers are in. Note the time and wait for
         * the body (none is wanted: a body ends in 405 below). */
        if (!(ex = calloc(1, sizeof *ex)))
            return MHD_NO;
        clock_gettime(CLOCK_MONOTONIC, &ex->start);
        snprintf(ex->method, sizeof ex->method, "%s", method);
        snprintf(ex->path, sizeof ex->path, "%s", url);
        ex->route = "none";
        *con_cls = ex;
        return MHD_YES;
    }
    if (*upload_size) {
        *upload_size = 0; /* discard a body */
        return MHD_YES;
    }
    reply_t out = {.status = 200, .content_type = "application/json; charset=utf-8", .body = GK_BUF_INIT, .fd = -1};
    const char *rest = "";
    const struct route *r = find_route(url, &rest);
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
        reply_error(&out, 405, "method %s not allowed: use GET", method);
    } else if (!r) {
        reply_error(&out, 404, "no such route: %s", url);
    } else {
        char err[512];
        request_t rq = {c, thread_data(l->cfg->data_dir, err, sizeof err), l->scope};
        ex->route = r->name;
        if (!rq.data)
            reply_error(&out, 503, "the archive cannot be opened: %s", err);
        else
            r->fn(&rq, rest, &out);
    }
    if (gk_buf_failed(&out.body))
        reply_error(&out, 500, "out of memory");
    ex->status = out.status;
    enum MHD_Result res = send_reply(c, &out);
    gk_buf_free(&out.body);
    return res;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)c;
    listener_t *l = cls;
    exchange_t *ex = *con_cls;
    if (!ex)
        return;
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    double secs = (double)(end.tv_sec - ex->start.tv_sec) + (double)(end.tv_nsec - ex->start.tv_nsec) / 1e9;
    unsigned status = ex->status ? ex->status : 499; /* ended before a reply */
    metrics_record(ex->route, status, secs);
    if (l->cfg->access_log) {
        char when[32];
        time_t now = time(NULL);
        struct tm tm;
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
        fprintf(stderr, "%s %s %s %s %u %.2fms%s\n", when, l->label, ex->method, ex->path, status, secs * 1e3,
                toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
    }
    free(ex);
    *con_cls = NULL;
}

/* ------------------------------------------------------------------ */
/* Listeners                                                          */

/* HOST:PORT, [IPV6]:PORT or localhost:PORT into *SA; -1 when malformed. */
static int parse_listen(const char *spec, struct sockaddr_storage *sa, socklen_t *salen)
{
    const char *colon = strrchr(spec, ':');
    if (!colon || colon == spec)
        return -1;
    const char *host = spec, *host_end = colon;
    if (spec[0] == '[') {
        host = spec + 1;
        host_end = colon - 1;
        if (host_end < host || *host_end != ']')
            return -1;
    }
    char h[64];
    if ((size_t)(host_end - host) >= sizeof h)
        return -1;
    memcpy(h, host, (size_t)(host_end - host));
    h[host_end - host] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (!colon[1] || *end || port < 0 || port > 65535)
        return -1;
    memset(sa, 0, sizeof *sa);
    if (spec[0] == '[') {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)sa;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((uint16_t)port);
        *salen = sizeof *s6;
        return inet_pton(AF_INET6, h, &s6->sin6_addr) == 1 ? 0 : -1;
    }
    struct sockaddr_in *s4 = (struct sockaddr_in *)sa;
    s4->sin_family = AF_INET;
    s4->sin_port = htons((uint16_t)port);
    *salen = sizeof *s4;
    return inet_pton(AF_INET, strcmp(h, "localhost") == 0 ? "127.0.0.1" : h, &s4->sin_addr) == 1 ? 0 : -1;
}

/* A listening TCP socket for SPEC; its URL (with the port bound, when
 * SPEC asked for port 0) into URL. */
static int tcp_listener(const char *spec, char *url, size_t urllen)
{
    struct sockaddr_storage sa;
    socklen_t salen;
    if (parse_listen(spec, &sa, &salen) != 0) {
        fprintf(stderr, "gongkai-searchd: --listen wants HOST:PORT or [IPV6]:PORT, not '%s'\n", spec);
        return -2;
    }
    int fd = socket(sa.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, (struct sockaddr *)&sa, salen) != 0 || listen(fd, 128) != 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &salen) != 0) {
        fprintf(stderr, "gongkai-searchd: cannot listen on %s: %s\n", spec, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    char host[INET6_ADDRSTRLEN];
    if (sa.ss_family == AF_INET6) {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&sa;
        inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof host);
        snprintf(url, urllen, "http://[%s]:%u/", host, (unsigned)ntohs(s6->sin6_port));
    } else {
        const struct sockaddr_in *s4 = (const struct sockaddr_in *)&sa;
        inet_ntop(AF_INET, &s4->sin_addr, host, sizeof host);
        snprintf(url, urllen, "http://%s:%u/", host, (unsigned)ntohs(s4->sin_port));
    }
    return fd;
}

/* A listening Unix socket at PATH, mode 0660: the staff are those whose
 * group may write it. A stale socket from a previous run is replaced;
 * any other file at PATH is left alone (an error). */
static int unix_listener(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof sa.sun_path) {
        fprintf(stderr, "gongkai-searchd: staff socket path too long: %s\n", path);
        return -1;
    }
    strcpy(sa.sun_path, path);
    struct stat sb;
    if (lstat(path, &sb) == 0) {
        if (!S_ISSOCK(sb.st_mode)) {
            fprintf(stderr, "gongkai-searchd: %s exists and is not a socket\n", path);
            return -1;
        }
        unlink(path);
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    mode_t old = umask(0117);
    int ok = bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 && chmod(path, 0660) == 0 && listen(fd, 128) == 0;
    umask(old);
    if (!ok) {
        fprintf(stderr, "gongkai-searchd: cannot listen on %s: %s\n", path, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

/* Serve the listening socket FD with L's scope. */
static struct MHD_Daemon *start(listener_t *l, int fd)
{
    const searchd_config_t *cfg = l->cfg;
    /* ITC: so that a quiesced daemon's threads learn of it at once. */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    /* One thread is the polling thread itself: libmicrohttpd warns about a
     * pool of fewer than two, so a pool is only asked for from two up. */
    struct MHD_OptionItem pool[] = {
        {cfg->threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END, cfg->threads, NULL},
        {MHD_OPTION_END, 0, NULL},
    };
    return MHD_start_daemon(flags, 0, NULL, NULL, on_request, l,
                            MHD_OPTION_LISTEN_SOCKET, fd,
                            MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections,
                            MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_seconds,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->max_request_bytes,
                            MHD_OPTION_NOTIFY_COMPLETED, on_completed, l,
                            MHD_OPTION_ARRAY, pool,
                            MHD_OPTION_END);
}

/* Stop taking connections, give those in flight up to GRACE seconds, stop. */
static void stop(listener_t *l, int grace)
{
    if (!l->daemon)
        return;
    MHD_socket s = MHD_quiesce_daemon(l->daemon);
    for (int i = 0; i < grace * 10; i++) {
        const union MHD_DaemonInfo *info = MHD_get_daemon_info(l->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
        if (!info || info->num_connections == 0)
            break;
        usleep(100000);
    }
    MHD_stop_daemon(l->daemon);
    if (s != MHD_INVALID_SOCKET)
        close(s);
    l->daemon = NULL;
}

int searchd_run(const searchd_config_t *cfg)
{
    /* Check the data directory once, so a wrong --data fails at start. */
    gk_data_t *probe;
    char *msg = NULL;
    if (gk_data_open(cfg->data_dir, GK_OPEN_READ, &probe, &msg) != GK_OK) {
        fprintf(stderr, "gongkai-searchd: %s\n", msg ? msg : "cannot open the data directory");
        free(msg);
        return 4;
    }
    gk_data_close(probe);

    /* Worker threads inherit this mask: only the main thread takes the
     * signals, in sigwait below. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    listener_t pub = {cfg, GK_SCOPE_PUBLIC, "public", NULL};
    listener_t staff = {cfg, GK_SCOPE_ALL, "staff", NULL};
    if (cfg->listen) {
        char url[128];
        int fd = tcp_listener(cfg->listen, url, sizeof url);
        if (fd < 0)
            return fd == -2 ? 2 : 1;
        if (!(pub.daemon = start(&pub, fd))) {
            fprintf(stderr, "gongkai-searchd: cannot serve %s\n", cfg->listen);
            close(fd);
            return 1;
        }
        fprintf(stderr, "gongkai-searchd: public search on %s\n", url);
    }
    if (cfg->staff_socket) {
        int fd = unix_listener(cfg->staff_socket);
        if (fd < 0 || !(staff.daemon = start(&staff, fd))) {
            if (fd >= 0)
                close(fd);
            stop(&pub, 0);
            return 1;
        }
        fprintf(stderr, "gongkai-searchd: staff search on unix:%s\n", cfg->staff_socket);
    }
    int sig = 0;
    sigwait(&sigs, &sig);
    fprintf(stderr, "gongkai-searchd: %s: finishing the requests in flight\n", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    stop(&pub, 10);
    stop(&staff, 10);
    if (cfg->staff_socket)
        unlink(cfg->staff_socket);
    return 0;
}
