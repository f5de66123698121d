/* SPDX-License-Identifier: MIT */
/* fileio.c: whole-file reads and atomic replacement. A replacement is
 * visible all at once or not at all: the rename is the commit point, and
 * the data is fsynced before it and the directory after it. */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <galen/error.h>

#include "buf.h"
#include "mem.h"

int fileio_read_all(const char *path, size_t max, unsigned char **data,
                    size_t *len)
{
    unsigned char chunk[16384];
    struct buf b;
    int rc = GALEN_OK;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    *data = NULL;
    if (fd < 0)
        return errno == ENOENT ? GALEN_ENOENT : GALEN_EIO;
    /* Read to the end rather than trust st_size: pipes and /dev/stdin
     * have none. One byte over max is room for the NUL. */
    buf_init(&b, max < SIZE_MAX ? max + 1 : max);
    while (rc == GALEN_OK) {
        ssize_t n = read(fd, chunk, sizeof chunk);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            rc = GALEN_EIO;
        if (n <= 0)
            break;
        buf_put(&rc, &b, chunk, (size_t)n);
    }
    close(fd);
    if (rc == GALEN_OK && b.len > max)
        rc = GALEN_ETOOBIG;
    buf_put_nul(&rc, &b);
    if (rc != GALEN_OK) {
        buf_cleanup(&b);
        return rc;
    }
    *data = buf_take(&b, len);
    return GALEN_OK;
}

int fileio_write_fd(int fd, const void *p, size_t n)
{
    const unsigned char *q = p;

    while (n > 0) {
        ssize_t k = write(fd, q, n);

        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return GALEN_EIO;
        q += k;
        n -= (size_t)k;
    }
    return GALEN_OK;
}

int fileio_sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc = GALEN_OK;

    if (fd < 0)
        return GALEN_EIO;
    if (fsync(fd) != 0)
        rc = GALEN_EIO;
    close(fd);
    return rc;
}

int fileio_write_atomic(const char *dir, const char *path, const void *data,
                        size_t len)
{
    char tmp[4096];
    int fd;
    int rc;

    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp)
        return GALEN_EINVAL;
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return GALEN_EIO;
    rc = fileio_write_fd(fd, data, len);
    if (rc == GALEN_OK && fsync(fd) != 0)
        rc = GALEN_EIO;
    if (close(fd) != 0 && rc == GALEN_OK)
        rc = GALEN_EIO;
    if (rc == GALEN_OK && rename(tmp, path) != 0)
        rc = GALEN_EIO;
    if (rc != GALEN_OK) {
        unlink(tmp);
        return rc;
    }
    return fileio_sync_dir(dir);
}

int fileio_errf(char *err, size_t cap, int rc, const char *path,
                const char *fmt, ...)
{
    va_list ap;
    int n;

    if (!err || cap == 0)
        return rc;
    n = snprintf(err, cap, "%s: ", path);
    if (n < 0 || (size_t)n >= cap)
        return rc;
    va_start(ap, fmt);
    vsnprintf(err + n, cap - (size_t)n, fmt, ap);
    va_end(ap);
    return rc;
}
