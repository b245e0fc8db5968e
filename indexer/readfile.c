/* readfile.c — whole files into memory (readfile.h). */
#include "readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

gk_status_t gk_read_file(const char *path, size_t limit, unsigned char **data, size_t *len, char *err,
                         size_t errlen)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        snprintf(err, errlen, "cannot open: %s", strerror(e));
        return e == ENOENT ? GK_ERR_NOT_FOUND : GK_ERR_IO;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        snprintf(err, errlen, "not a regular file");
        close(fd);
        return GK_ERR_BAD_FILE;
    }
    if ((size_t)sb.st_size > limit) {
        snprintf(err, errlen, "file of %lld bytes exceeds the limit of %zu bytes", (long long)sb.st_size, limit);
        close(fd);
        return GK_ERR_TOO_LARGE;
    }
    unsigned char *buf = malloc((size_t)sb.st_size + 1);
    if (!buf) {
        close(fd);
        return GK_ERR_NOMEM;
    }
    size_t got = 0;
    while (got < (size_t)sb.st_size) {
        ssize_t n = read(fd, buf + got, (size_t)sb.st_size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            snprintf(err, errlen, "cannot read: %s", n < 0 ? strerror(errno) : "file shrank while reading");
            free(buf);
            close(fd);
            return GK_ERR_IO;
        }
        got += (size_t)n;
    }
    close(fd);
    buf[got] = '\0';
    *data = buf;
    *len = got;
    return GK_OK;
}
