/* SPDX-License-Identifier: MIT */
/* index_read.c: opens a snapshot of an index: reads the MANIFEST, maps
 * every segment it names and loads their deletion bitmaps. The snapshot
 * never changes; a writer that commits later replaces the MANIFEST and
 * unlinks old files, which stay alive for us through our mmaps. If a file
 * vanishes between reading the MANIFEST and opening it, a newer generation
 * was committed meanwhile, and we start over from the new MANIFEST. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <galen/error.h>

#include "base/mem.h"
#include "index.h"
#include "manifest.h"
#include "segment.h"

enum { OPEN_RETRIES = 8 };

struct index {
    char *dir;
    struct index_conf conf;
    uint64_t generation;
    uint32_t nsegs;
    struct segment **segs;
    uint64_t ndocs, nlive;
    double avg_len[INDEX_MAX_FIELDS];
    char errmsg[SEGMENT_ERR_MAX];
};

static _Thread_local char open_errmsg[SEGMENT_ERR_MAX];

void index_conf_default(struct index_conf *c)
{
    memset(c, 0, sizeof *c);
    c->nfields = 2;
    c->k1 = 1.2f;
    memcpy(c->field[0].name, "title", 6);
    c->field[0].weight = 2.0f;
    c->field[0].b = 0.75f;
    c->field[0].stem = true;
    c->field[0].stop = true;
    memcpy(c->field[1].name, "body", 5);
    c->field[1].weight = 1.0f;
    c->field[1].b = 0.75f;
    c->field[1].stem = true;
    c->field[1].stop = true;
}

static void msg(char *err, size_t cap, const char *fmt, ...) GALEN_PRINTF(3, 4);

static void msg(char *err, size_t cap, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, cap, fmt, ap);
    va_end(ap);
}

static void free_segs(struct index *idx)
{
    uint32_t i;

    for (i = 0; i < idx->nsegs; i++)
        segment_close(idx->segs[i]);
    galen_free(idx->segs);
    idx->segs = NULL;
    idx->nsegs = 0;
}

void index_close(struct index *idx)
{
    if (!idx)
        return;
    free_segs(idx);
    galen_free(idx->dir);
    galen_free(idx);
}

static int open_one(const char *dir, const struct manifest_seg *ms,
                    unsigned nfields, struct segment **out, char *err,
                    size_t cap)
{
    char path[MANIFEST_PATH_MAX];
    struct segment *s = NULL;
    int rc;

    if (!manifest_seg_path(path, sizeof path, dir, ms->id))
        return GALEN_EINVAL;
    rc = segment_open(path, ms->size, &s, err, cap);
    if (rc != GALEN_OK)
        return rc;
    if (s->nfields != nfields || s->ndocs != ms->ndocs) {
        msg(err, cap, "%s: does not match the MANIFEST (fields or docs)", path);
        segment_close(s);
        return GALEN_ECORRUPT;
    }
    if (ms->del_id != 0) {
        if (!manifest_del_path(path, sizeof path, dir, ms->id, ms->del_id))
            rc = GALEN_EINVAL;
        else
            rc = segment_load_deletes(s, path, err, cap);
    }
    if (rc == GALEN_OK && s->ndeleted != ms->ndeleted) {
        msg(err, cap, "%s: deletion count does not match the MANIFEST", path);
        rc = GALEN_ECORRUPT;
    }
    if (rc != GALEN_OK) {
        segment_close(s);
        return rc;
    }
    *out = s;
    return GALEN_OK;
}

static void compute_stats(struct index *idx)
{
    uint64_t total[INDEX_MAX_FIELDS] = {0};
    uint32_t i;
    unsigned f;

    idx->ndocs = 0;
    idx->nlive = 0;
    for (i = 0; i < idx->nsegs; i++) {
        const struct segment *s = idx->segs[i];

        idx->ndocs += s->ndocs;
        idx->nlive += s->ndocs - s->ndeleted;
        for (f = 0; f < INDEX_MAX_FIELDS; f++)
            total[f] += s->field_total[f];
    }
    for (f = 0; f < INDEX_MAX_FIELDS; f++)
        idx->avg_len[f] = idx->ndocs ? (double)total[f] / idx->ndocs : 0;
}

/* One attempt. A segment file that is missing sets *retry: a writer
 * committed (and cleaned up) after we read the MANIFEST. */
static int open_snapshot(struct index *idx, char *err, size_t cap, bool *retry)
{
    struct manifest m;
    uint32_t i;
    int rc = manifest_read(idx->dir, &m, err, cap);

    *retry = false;
    if (rc != GALEN_OK)
        return rc;
    idx->conf = m.conf;
    idx->generation = m.generation;
    idx->segs = galen_calloc(m.nsegs + 1, sizeof *idx->segs);
    if (!idx->segs) {
        manifest_cleanup(&m);
        msg(err, cap, "%s: out of memory", idx->dir);
        return GALEN_ENOMEM;
    }
    for (i = 0; i < m.nsegs; i++) {
        rc = open_one(idx->dir, &m.segs[i], m.conf.nfields, &idx->segs[i], err,
                      cap);
        if (rc != GALEN_OK) {
            *retry = rc == GALEN_ENOENT;
            break;
        }
        idx->nsegs++;
    }
    manifest_cleanup(&m);
    if (rc != GALEN_OK)
        free_segs(idx);
    return rc;
}

int index_open(const char *dir, struct index **out)
{
    struct index *idx = galen_calloc(1, sizeof *idx);
    int rc = GALEN_ENOMEM;
    int attempt;

    open_errmsg[0] = '\0';
    if (!idx || !(idx->dir = galen_strdup(dir))) {
        msg(open_errmsg, sizeof open_errmsg, "%s: out of memory", dir);
        index_close(idx);
        return GALEN_ENOMEM;
    }
    for (attempt = 0; attempt < OPEN_RETRIES; attempt++) {
        bool retry;

        rc = open_snapshot(idx, open_errmsg, sizeof open_errmsg, &retry);
        if (!retry)
            break;
    }
    if (rc != GALEN_OK) {
        index_close(idx);
        return rc;
    }
    compute_stats(idx);
    *out = idx;
    return GALEN_OK;
}

const char *index_errmsg(const struct index *idx)
{
    return idx ? idx->errmsg : open_errmsg;
}

const struct index_conf *index_get_conf(const struct index *idx)
{
    return &idx->conf;
}

uint32_t index_segment_count(const struct index *idx)
{
    return idx->nsegs;
}

const struct segment *index_segment(const struct index *idx, uint32_t i)
{
    return i < idx->nsegs ? idx->segs[i] : NULL;
}

uint64_t index_generation(const struct index *idx)
{
    return idx->generation;
}

uint64_t index_doc_count(const struct index *idx)
{
    return idx->ndocs;
}

uint64_t index_live_doc_count(const struct index *idx)
{
    return idx->nlive;
}

double index_avg_field_len(const struct index *idx, unsigned field)
{
    return field < INDEX_MAX_FIELDS ? idx->avg_len[field] : 0;
}

uint64_t index_df(const struct index *idx, struct str term)
{
    struct term_info ti;
    uint64_t df = 0;
    uint32_t i;

    for (i = 0; i < idx->nsegs; i++) {
        if (segment_lookup(idx->segs[i], term, &ti) == GALEN_OK)
            df += ti.df;
    }
    return df;
}

int index_find(const struct index *idx, struct str id, uint32_t *seg,
               uint32_t *doc)
{
    uint32_t i = idx->nsegs;

    while (i-- > 0) {
        uint32_t d;

        if (segment_find_id(idx->segs[i], id, &d) == GALEN_OK &&
            !segment_is_deleted(idx->segs[i], d)) {
            *seg = i;
            *doc = d;
            return GALEN_OK;
        }
    }
    return GALEN_ENOENT;
}

int index_verify(struct index *idx, index_progress_fn progress, void *ctx)
{
    uint32_t i;
    int rc;

    idx->errmsg[0] = '\0';
    for (i = 0; i < idx->nsegs; i++) {
        if (progress)
            progress(ctx, i, idx->nsegs);
        rc = segment_verify(idx->segs[i], idx->errmsg, sizeof idx->errmsg);
        if (rc != GALEN_OK)
            return rc;
    }
    if (progress)
        progress(ctx, idx->nsegs, idx->nsegs);
    return GALEN_OK;
}
