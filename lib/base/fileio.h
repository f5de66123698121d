/* SPDX-License-Identifier: MIT */
/* fileio.h: the few file operations the index needs to be crash-safe:
 * read a whole small file, replace a file atomically (write a temp file,
 * fsync, rename, fsync the directory) and fsync a directory. */
#ifndef GALEN_FILEIO_H
#define GALEN_FILEIO_H

#include <stddef.h>

#include "common.h"

/* The one whole-file reader: reads all of path (a file, a pipe, a device)
 * into a galen_malloc'd buffer (caller frees) if it is at most max bytes.
 * The buffer is NUL-terminated (*len does not count the NUL), so text can
 * be parsed in place; an empty file gives *len 0. GALEN_OK, GALEN_ENOENT,
 * GALEN_EIO (errno says why when the open failed), GALEN_ENOMEM or
 * GALEN_ETOOBIG; *data is NULL on failure. */
GALEN_NODISCARD int fileio_read_all(const char *path, size_t max,
                                    unsigned char **data, size_t *len);

/* Writes data to "<path>.tmp", fsyncs it, renames it over path and fsyncs
 * the directory dir. GALEN_OK or GALEN_EIO (the temp file is removed). */
GALEN_NODISCARD int fileio_write_atomic(const char *dir, const char *path,
                                        const void *data, size_t len);

/* fsyncs the directory so renames and unlinks in it are durable. */
GALEN_NODISCARD int fileio_sync_dir(const char *dir);

/* Writes all n bytes to fd, retrying short writes. GALEN_OK or EIO. */
GALEN_NODISCARD int fileio_write_fd(int fd, const void *p, size_t n);

/* Formats "<path>: <message>" into err[0..cap) (nothing when err is NULL
 * or cap is 0) and returns rc, so a reader can report and fail in one
 * statement: return fileio_errf(err, cap, GALEN_ECORRUPT, path, ...). */
int fileio_errf(char *err, size_t cap, int rc, const char *path,
                const char *fmt, ...) GALEN_PRINTF(5, 6);

#endif
