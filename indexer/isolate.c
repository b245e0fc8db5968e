/* isolate.c — extraction in child processes forked by a helper (isolate.h). */
#include "isolate.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* AddressSanitizer reserves terabytes of shadow address space: an address
 * space limit would stop every child, so sanitized builds go without. */
#if defined(__SANITIZE_ADDRESS__)
#define GK_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GK_UNDER_ASAN 1
#endif
#endif

/* How long past its own alarm a child may take before it is killed: the
 * alarm normally ends it, this only covers a child that ignored it. */
#define GRACE_SECONDS 5

struct gk_isolate {
    pid_t helper;
    int ctl;       /* SOCK_SEQPACKET to the helper */
};

/* One request: plain data, then two descriptors (the input, the socket
 * the child answers on) as SCM_RIGHTS. */
typedef struct request {
    /* The helper is a fork of this process, without exec: the extractor's
     * address is the same there, also for one outside the built-in table. */
    const gk_extractor_t *extractor;
    char mime[128];
    char charset[64];
    char path[1024];
    gk_extract_limits_t lim;
    uint64_t len;
} request_t;

/* ------------------------------------------------------------------ */
/* The child: one extraction, its answer written to a socket.         */

static int write_all(int fd, const void *p, size_t n)
{
    const char *s = p;
    while (n) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

/* A string as a 64-bit length and its bytes; UINT64_MAX for NULL. */
static int write_string(int fd, const char *s, size_t n)
{
    uint64_t len = s ? (uint64_t)n : UINT64_MAX;
    if (write_all(fd, &len, sizeof len))
        return -1;
    return s && n ? write_all(fd, s, n) : 0;
}

static void child_main(const request_t *rq, int in_fd, int out_fd)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    signal(SIGALRM, SIG_DFL);
    signal(SIGPIPE, SIG_IGN);
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);
#ifndef GK_UNDER_ASAN
    if (rq->lim.max_memory_bytes) {
        struct rlimit as = {rq->lim.max_memory_bytes, rq->lim.max_memory_bytes};
        setrlimit(RLIMIT_AS, &as);
    }
#endif
    if (rq->lim.max_seconds)
        alarm(rq->lim.max_seconds);

    int32_t pid = (int32_t)getpid();
    if (write_all(out_fd, &pid, sizeof pid))
        _exit(1);
    const unsigned char *data = (const unsigned char *)"";
    if (rq->len) {
        void *m = mmap(NULL, (size_t)rq->len, PROT_READ, MAP_PRIVATE, in_fd, 0);
        if (m == MAP_FAILED)
            _exit(1);
        data = m;
    }
    const gk_extractor_t *ex = rq->extractor;
    gk_input_t in = {rq->path, data, (size_t)rq->len, rq->mime, rq->charset[0] ? rq->charset : NULL};
    gk_fields_t f;
    gk_fields_init(&f);
    int32_t head[3] = {(int32_t)gk_extract(ex, &in, &rq->lim, &f), (int32_t)f.flags, (int32_t)f.pages};
    const char *strings[] = {f.error, f.title, f.author, f.created, f.modified, f.charset};
    int bad = write_all(out_fd, head, sizeof head);
    for (size_t i = 0; i < sizeof strings / sizeof strings[0] && !bad; i++)
        bad = write_string(out_fd, strings[i], strings[i] ? strlen(strings[i]) : 0);
    /* A failed extraction's partial text is not wanted (and may be what
     * broke a limit). */
    if (!bad)
        bad = head[0] == GK_OK ? write_string(out_fd, gk_buf_str(&f.body), f.body.len) : write_string(out_fd, NULL, 0);
    /* _exit: the atexit handlers and buffers are the parent's. */
    _exit(bad ? 1 : 0);
}

/* ------------------------------------------------------------------ */
/* The helper: receives requests, forks a child for each.             */

static ssize_t receive(int ctl, request_t *rq, int fds[2])
{
    char cbuf[CMSG_SPACE(2 * sizeof(int))];
    struct iovec iov = {rq, sizeof *rq};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
    ssize_t n;
    do
        n = recvmsg(ctl, &msg, MSG_CMSG_CLOEXEC);
    while (n < 0 && errno == EINTR);
    if (n <= 0)
        return n;
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    if ((size_t)n != sizeof *rq || !c || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(2 * sizeof(int))) {
        errno = EPROTO;
        return -1;
    }
    memcpy(fds, CMSG_DATA(c), 2 * sizeof(int));
    return n;
}

static void helper_main(int ctl, pid_t parent)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(0);
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    /* Children are reaped here rather than by the kernel (SIGCHLD
     * ignored), so that their CPU time and peak memory count in this
     * process's rusage and so in the archiver's: time(1) shows them.
     * Reaping only between requests also keeps a timed-out child's pid
     * (a zombie at worst) from being reused before the parent kills it. */
    for (;;) {
        request_t rq;
        int fds[2];
        while (waitpid(-1, NULL, WNOHANG) > 0)
            ;
        ssize_t n = receive(ctl, &rq, fds);
        if (n == 0) {
            /* Every answer has been read or given up on (the parent kills
             * a child past its deadline): the waits are short. */
            while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
                ;
            _exit(0);
        }
        if (n < 0) {
            if (errno == EPROTO)
                continue;
            _exit(1);
        }
        rq.mime[sizeof rq.mime - 1] = '\0';
        rq.charset[sizeof rq.charset - 1] = rq.path[sizeof rq.path - 1] = '\0';
        /* A failed fork closes the answer socket unanswered: the parent
         * reports the extraction as failed. */
        if (fork() == 0) {
            close(ctl);
            child_main(&rq, fds[0], fds[1]);
        }
        close(fds[0]);
        close(fds[1]);
    }
}

/*
 * In a new helper, close every descriptor but the standard ones and KEEP.
 * A helper started after another holds a copy of the parent's end of the
 * other's socket; kept open, that copy would hide the parent's close, and
 * the other helper would wait for it forever.
 */
static void close_inherited(int keep)
{
    DIR *dir = opendir("/proc/self/fd");
    if (!dir) {
        long max = sysconf(_SC_OPEN_MAX);
        for (int fd = 3; fd < (max > 0 && max < 65536 ? max : 65536); fd++)
            if (fd != keep)
                close(fd);
        return;
    }
    int own = dirfd(dir);
    int fds[1024], n = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL && n < 1024) {
        int fd = atoi(e->d_name);
        if (e->d_name[0] != '.' && fd > 2 && fd != keep && fd != own)
            fds[n++] = fd;
    }
    closedir(dir);
    for (int i = 0; i < n; i++)
        close(fds[i]);
}

gk_status_t gk_isolate_start(gk_isolate_t **out, char *err, size_t errlen)
{
    *out = NULL;
    gk_isolate_t *iso = calloc(1, sizeof *iso);
    if (!iso)
        return GK_ERR_NOMEM;
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
        snprintf(err, errlen, "cannot create a socket for the extraction helper: %s", strerror(errno));
        free(iso);
        return GK_ERR_IO;
    }
    pid_t parent = getpid();
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "cannot start the extraction helper: %s", strerror(errno));
        close(sv[0]);
        close(sv[1]);
        free(iso);
        return GK_ERR_IO;
    }
    if (pid == 0) {
        close(sv[0]);
        close_inherited(sv[1]);
        helper_main(sv[1], parent);
    }
    close(sv[1]);
    iso->helper = pid;
    iso->ctl = sv[0];
    *out = iso;
    return GK_OK;
}

void gk_isolate_stop(gk_isolate_t *iso)
{
    if (!iso)
        return;
    close(iso->ctl);
    while (waitpid(iso->helper, NULL, 0) < 0 && errno == EINTR)
        ;
    free(iso);
}

/* ------------------------------------------------------------------ */
/* The parent: send the request, read the answer under a deadline.    */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int send_request(int ctl, const request_t *rq, int in_fd, int answer_fd)
{
    char cbuf[CMSG_SPACE(2 * sizeof(int))];
    memset(cbuf, 0, sizeof cbuf);
    struct iovec iov = {(void *)rq, sizeof *rq};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(2 * sizeof(int));
    int fds[2] = {in_fd, answer_fd};
    memcpy(CMSG_DATA(c), fds, sizeof fds);
    ssize_t n;
    do
        n = sendmsg(ctl, &msg, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    return n == (ssize_t)sizeof *rq ? 0 : -1;
}

/* The input as an anonymous in-memory file the child maps. */
static int input_file(const gk_input_t *in)
{
    int fd = memfd_create("gongkai-input", MFD_CLOEXEC);
    if (fd < 0)
        return -1;
    if (write_all(fd, in->data, in->len) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Read the child's answer into ANS until EOF, the deadline or CAP bytes.
 * Returns 0 at EOF, 1 on timeout, -1 on an error or overflow. */
static int read_answer(int fd, gk_buf_t *ans, double deadline, size_t cap)
{
    char chunk[65536];
    for (;;) {
        double left = deadline - now();
        if (left <= 0)
            return 1;
        struct pollfd p = {fd, POLLIN, 0};
        int r = poll(&p, 1, (int)(left * 1000) + 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            return 1;
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            return 0;
        gk_buf_append(ans, chunk, (size_t)n);
        if (gk_buf_failed(ans) || ans->len > cap)
            return -1;
    }
}

/* Take the next string of the answer at *pos: 1 and *s (NULL or a
 * pointer into the answer, length *n), or 0 when the answer ends early. */
static int take_string(const gk_buf_t *ans, size_t *pos, const char **s, size_t *n)
{
    uint64_t len;
    if (ans->len - *pos < sizeof len)
        return 0;
    memcpy(&len, ans->data + *pos, sizeof len);
    *pos += sizeof len;
    if (len == UINT64_MAX) {
        *s = NULL;
        *n = 0;
        return 1;
    }
    if (len > ans->len - *pos)
        return 0;
    *s = ans->data + *pos;
    *n = (size_t)len;
    *pos += (size_t)len;
    return 1;
}

/* Decode a complete answer into OUT; -1 when it is incomplete. */
static int decode_answer(gk_buf_t *ans, gk_fields_t *out, gk_status_t *st)
{
    int32_t head[4]; /* pid, status, flags, pages */
    if (ans->len < sizeof head)
        return -1;
    memcpy(head, ans->data, sizeof head);
    size_t pos = sizeof head;
    const char *s[7];
    size_t n[7];
    for (int i = 0; i < 7; i++)
        if (!take_string(ans, &pos, &s[i], &n[i]))
            return -1;
    if (pos != ans->len || head[1] < 0 || head[1] >= GK_STATUS_LAST)
        return -1;
    *st = (gk_status_t)head[1];
    out->flags = (unsigned)head[2];
    out->pages = head[3];
    if (s[0])
        snprintf(out->error, sizeof out->error, "%.*s", (int)n[0], s[0]);
    char **fields[] = {&out->title, &out->author, &out->created, &out->modified, &out->charset};
    for (int i = 0; i < 5; i++)
        if (s[i + 1] && gk_fields_set(fields[i], s[i + 1], n[i + 1]) != GK_OK)
            return -1;
    if (s[6]) {
        /* The body is the answer's tail: move it to the front and hand
         * the buffer over rather than copy megabytes. */
        memmove(ans->data, s[6], n[6]);
        ans->len = n[6];
        ans->data[n[6]] = '\0';
        gk_buf_free(&out->body);
        out->body = *ans;
        *ans = (gk_buf_t)GK_BUF_INIT;
    }
    return 0;
}

gk_status_t gk_isolate_extract(gk_isolate_t *iso, const gk_extractor_t *ex, const gk_input_t *in,
                               const gk_extract_limits_t *lim, gk_fields_t *out)
{
    request_t rq;
    memset(&rq, 0, sizeof rq);
    rq.extractor = ex;
    snprintf(rq.mime, sizeof rq.mime, "%s", in->mime ? in->mime : "");
    snprintf(rq.charset, sizeof rq.charset, "%s", in->charset ? in->charset : "");
    snprintf(rq.path, sizeof rq.path, "%s", in->path ? in->path : "");
    rq.lim = *lim;
    rq.len = in->len;

    int in_fd = input_file(in);
    if (in_fd < 0)
        return gk_fields_fail(out, GK_ERR_EXTRACTOR, "cannot pass the file to the extraction process: %s",
                              strerror(errno));
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        close(in_fd);
        return gk_fields_fail(out, GK_ERR_EXTRACTOR, "cannot create a socket: %s", strerror(errno));
    }
    int sent = send_request(iso->ctl, &rq, in_fd, sv[1]);
    close(in_fd);
    close(sv[1]);
    if (sent != 0) {
        close(sv[0]);
        return gk_fields_fail(out, GK_ERR_EXTRACTOR, "the extraction helper process is gone");
    }

    double start = now();
    double deadline = start + (lim->max_seconds ? lim->max_seconds + GRACE_SECONDS : 24 * 3600);
    gk_buf_t ans = GK_BUF_INIT;
    int r = read_answer(sv[0], &ans, deadline, lim->max_text_bytes + ((size_t)1 << 20));
    close(sv[0]);
    gk_status_t st = GK_OK;
    if (r == 0 && decode_answer(&ans, out, &st) == 0) {
        gk_buf_free(&ans);
        return st;
    }
    if (r != 0 && ans.len >= sizeof(int32_t)) {
        /* The child is still running past its alarm, or answered too much. */
        int32_t pid;
        memcpy(&pid, ans.data, sizeof pid);
        if (pid > 0)
            kill((pid_t)pid, SIGKILL);
    }
    gk_buf_free(&ans);
    if (lim->max_seconds && now() - start >= lim->max_seconds)
        return gk_fields_fail(out, GK_ERR_TOO_LARGE, "extraction took longer than %u seconds", lim->max_seconds);
    return gk_fields_fail(out, GK_ERR_EXTRACTOR, "the %s extractor crashed or exceeded the memory limit", ex->name);
}
