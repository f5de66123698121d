/* SPDX-License-Identifier: MIT */
/* manifest.h: the MANIFEST file names the live state of an index: its
 * settings, a generation number, and each live segment with its deletion
 * file. It is only ever replaced atomically, so a reader sees one whole
 * generation. Format: top of manifest.c and docs/format.md. */
#ifndef GALEN_MANIFEST_H
#define GALEN_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/common.h"
#include "index.h"

enum { MANIFEST_VERSION = 1, MANIFEST_PATH_MAX = 4096 };

#define MANIFEST_NAME "MANIFEST"
#define MANIFEST_LOCK "LOCK"

struct manifest_seg {
    uint64_t id;       /* segment file seg-<id>.gseg */
    uint64_t size;     /* its size in bytes */
    uint32_t ndocs;    /* docs in it */
    uint32_t ndeleted; /* bits set in its deletion file */
    uint64_t del_id;   /* deletion file seg-<id>-<del_id>.gdel, 0 = none */
};

struct manifest {
    uint64_t generation; /* incremented by every commit */
    uint64_t next_id;    /* next unused file id */
    struct index_conf conf;
    uint32_t nsegs;
    struct manifest_seg *segs; /* owned (galen_malloc) */
};

/* Reads dir's MANIFEST into m (which the caller cleans up on success).
 * GALEN_OK, GALEN_ENOENT (no index), GALEN_EIO, GALEN_ENOMEM,
 * GALEN_ECORRUPT or GALEN_EVERSION with a message naming the file in err. */
GALEN_NODISCARD int manifest_read(const char *dir, struct manifest *m,
                                  char *err, size_t errcap);

/* Parses a manifest image; the same errors as manifest_read. */
GALEN_NODISCARD int manifest_parse(const unsigned char *p, size_t len,
                                   struct manifest *m, const char *name,
                                   char *err, size_t errcap);

/* Serialises m and replaces dir's MANIFEST atomically (temp file, fsync,
 * rename, fsync dir). GALEN_OK, GALEN_ENOMEM or GALEN_EIO. */
GALEN_NODISCARD int manifest_write(const char *dir, const struct manifest *m);

void manifest_cleanup(struct manifest *m);

/* True if c is a usable configuration (1..4 uniquely named fields, finite
 * non-negative weights and k1, b in [0, 1]). */
bool manifest_conf_valid(const struct index_conf *c);

/* File paths inside dir; false if they do not fit in cap. */
bool manifest_seg_path(char *out, size_t cap, const char *dir, uint64_t id);
bool manifest_del_path(char *out, size_t cap, const char *dir, uint64_t id,
                       uint64_t del_id);

#endif
