/* SPDX-License-Identifier: MIT */
/* index_writer.c: the single writer of an index directory. Added documents
 * are analysed into an in-memory accumulator whose segment file is being
 * built alongside; when the memory budget is reached, or at commit, it is
 * finished as a new segment. Deletes (and replacements) set bits in the
 * deletion bitmaps of the writer's own copies of the segments. A commit
 * writes new deletion files, then a new MANIFEST atomically; only after
 * that is durable are the files it no longer names unlinked, so readers
 * holding an older snapshot keep working.
 *
 * Directory layout: MANIFEST (manifest.c), LOCK (flock'd by the writer),
 * seg-<id>.gseg (segment.c) and seg-<id>-<del_id>.gdel (deletion files,
 * segment.c). Files that the MANIFEST does not name are leftovers of a
 * crash or of an uncommitted writer and are removed when a writer opens. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <galen/error.h>

#include "accum.h"
#include "base/error.h"
#include "base/fileio.h"
#include "base/mem.h"
#include "index.h"
#include "manifest.h"
#include "merge.h"
#include "segment.h"
#include "text/analyzer.h"

enum {
    MERGE_FACTOR = 10, /* segments of one size tier that trigger a merge */
    MEM_BUDGET_MIN = 64 * 1024
};

struct wseg {
    struct segment *seg; /* the writer's own mapping; bitmap is mutable */
    uint64_t id;
    uint64_t size;
    uint64_t del_id;   /* current deletion file, 0 = none */
    bool is_dirty;     /* deletions not yet written */
    bool is_committed; /* named by the durable MANIFEST */
};

struct index_writer {
    char *dir;
    int lock_fd;
    struct index_conf conf;
    uint64_t generation;
    uint64_t next_id;
    struct wseg *segs;
    size_t nsegs, segs_cap;
    struct analyzer *an;
    struct accum *acc;
    struct segment_builder *b; /* the buffer's segment, or NULL */
    uint64_t b_id;
    size_t budget;
    enum postings_codec codec;
    int broken;    /* sticky error after a partial failure */
    char **doomed; /* unlink after the next durable MANIFEST */
    size_t ndoomed, doomed_cap;
    bool in_merge_policy;
    struct index_write_stats st;
    char errmsg[SEGMENT_ERR_MAX];
};

static _Thread_local char open_errmsg[SEGMENT_ERR_MAX];

static int set_err(struct index_writer *w, int rc, const char *fmt, ...)
    GALEN_PRINTF(3, 4);

static int set_err(struct index_writer *w, int rc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(w->errmsg, sizeof w->errmsg, fmt, ap);
    va_end(ap);
    return rc;
}

const char *index_writer_errmsg(const struct index_writer *w)
{
    return w ? w->errmsg : open_errmsg;
}

void index_writer_set_mem_budget(struct index_writer *w, size_t bytes)
{
    w->budget = MAX(bytes, (size_t)MEM_BUDGET_MIN);
}

int index_writer_set_codec(struct index_writer *w, int codec)
{
    if (codec != POSTINGS_CODEC_VARINT && codec != POSTINGS_CODEC_PACKED)
        return GALEN_EINVAL;
    w->codec = (enum postings_codec)codec;
    return GALEN_OK;
}

void index_writer_stats(const struct index_writer *w,
                        struct index_write_stats *st)
{
    *st = w->st;
}

/* ---- small helpers ------------------------------------------------------ */

static int seg_path(const struct index_writer *w, uint64_t id, char *out,
                    size_t cap)
{
    return manifest_seg_path(out, cap, w->dir, id) ? GALEN_OK : GALEN_EINVAL;
}

static int doom(struct index_writer *w, const char *path)
{
    char *p;

    if (w->ndoomed == w->doomed_cap) {
        size_t cap = w->doomed_cap ? w->doomed_cap * 2 : 16;
        char **q = galen_realloc(w->doomed, cap * sizeof *q);

        if (!q)
            return GALEN_ENOMEM;
        w->doomed = q;
        w->doomed_cap = cap;
    }
    p = galen_strdup(path);
    if (!p)
        return GALEN_ENOMEM;
    w->doomed[w->ndoomed++] = p;
    return GALEN_OK;
}

/* Queues a segment's files for removal once the MANIFEST no longer names
 * them; a never-committed segment has no reader and goes at once. */
static int doom_seg(struct index_writer *w, const struct wseg *ws)
{
    char path[MANIFEST_PATH_MAX];
    int rc = GALEN_OK;

    if (!ws->is_committed) {
        if (seg_path(w, ws->id, path, sizeof path) == GALEN_OK)
            unlink(path);
        return GALEN_OK;
    }
    if (seg_path(w, ws->id, path, sizeof path) == GALEN_OK)
        rc = doom(w, path);
    if (rc == GALEN_OK && ws->del_id &&
        manifest_del_path(path, sizeof path, w->dir, ws->id, ws->del_id))
        rc = doom(w, path);
    return rc;
}

static void unlink_doomed(struct index_writer *w)
{
    size_t i;

    for (i = 0; i < w->ndoomed; i++) {
        unlink(w->doomed[i]);
        galen_free(w->doomed[i]);
    }
    w->ndoomed = 0;
}

static int push_seg(struct index_writer *w, const struct wseg *ws)
{
    if (w->nsegs == w->segs_cap) {
        size_t cap = w->segs_cap ? w->segs_cap * 2 : 8;
        struct wseg *q = galen_realloc(w->segs, cap * sizeof *q);

        if (!q)
            return GALEN_ENOMEM;
        w->segs = q;
        w->segs_cap = cap;
    }
    w->segs[w->nsegs++] = *ws;
    return GALEN_OK;
}

static void remove_seg(struct index_writer *w, size_t i)
{
    segment_close(w->segs[i].seg);
    memmove(&w->segs[i], &w->segs[i + 1], (w->nsegs - i - 1) * sizeof *w->segs);
    w->nsegs--;
}

/* ---- opening ------------------------------------------------------------ */

static int lock_dir(struct index_writer *w)
{
    char path[MANIFEST_PATH_MAX];

    if ((size_t)snprintf(path, sizeof path, "%s/%s", w->dir, MANIFEST_LOCK) >=
        sizeof path)
        return set_err(w, GALEN_EINVAL, "%s: path too long", w->dir);
    w->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (w->lock_fd < 0)
        return set_err(w, GALEN_EIO, "%s: cannot open: %s", path,
                       strerror(errno));
    if (flock(w->lock_fd, LOCK_EX | LOCK_NB) != 0)
        return set_err(w, errno == EWOULDBLOCK ? GALEN_ESTATE : GALEN_EIO,
                       "%s: another writer has the index open", path);
    return GALEN_OK;
}

static int open_committed(struct index_writer *w, const struct manifest_seg *ms)
{
    char path[MANIFEST_PATH_MAX];
    struct wseg ws = {NULL, ms->id, ms->size, ms->del_id, false, true};
    int rc = seg_path(w, ms->id, path, sizeof path);

    if (rc == GALEN_OK)
        rc = segment_open(path, ms->size, &ws.seg, w->errmsg, sizeof w->errmsg);
    if (rc != GALEN_OK)
        return rc;
    if (ws.seg->nfields != w->conf.nfields || ws.seg->ndocs != ms->ndocs)
        rc =
            set_err(w, GALEN_ECORRUPT, "%s: does not match the MANIFEST", path);
    if (rc == GALEN_OK && ms->del_id &&
        manifest_del_path(path, sizeof path, w->dir, ms->id, ms->del_id))
        rc = segment_load_deletes(ws.seg, path, w->errmsg, sizeof w->errmsg);
    if (rc == GALEN_OK)
        rc = push_seg(w, &ws);
    if (rc != GALEN_OK)
        segment_close(ws.seg);
    return rc;
}

static int load_state(struct index_writer *w, const struct index_conf *conf)
{
    struct manifest m;
    uint32_t i;
    int rc = manifest_read(w->dir, &m, w->errmsg, sizeof w->errmsg);

    if (rc == GALEN_ENOENT) {
        if (conf)
            w->conf = *conf;
        else
            index_conf_default(&w->conf);
        if (!manifest_conf_valid(&w->conf))
            return set_err(w, GALEN_EINVAL, "invalid index settings");
        w->next_id = 1;
        w->errmsg[0] = '\0';
        return GALEN_OK;
    }
    if (rc != GALEN_OK)
        return rc;
    w->conf = m.conf;
    w->generation = m.generation;
    w->next_id = m.next_id;
    for (i = 0; i < m.nsegs && rc == GALEN_OK; i++)
        rc = open_committed(w, &m.segs[i]);
    manifest_cleanup(&m);
    return rc;
}

static bool is_referenced(const struct index_writer *w, const char *name)
{
    char buf[64];
    size_t i;

    for (i = 0; i < w->nsegs; i++) {
        const struct wseg *s = &w->segs[i];

        snprintf(buf, sizeof buf, "seg-%08llx.gseg", (unsigned long long)s->id);
        if (strcmp(buf, name) == 0)
            return true;
        snprintf(buf, sizeof buf, "seg-%08llx-%08llx.gdel",
                 (unsigned long long)s->id, (unsigned long long)s->del_id);
        if (s->del_id && strcmp(buf, name) == 0)
            return true;
    }
    return false;
}

/* Removes segment, deletion and temp files the MANIFEST does not name. */
static void remove_orphans(const struct index_writer *w)
{
    char path[MANIFEST_PATH_MAX];
    struct dirent *e;
    DIR *d = opendir(w->dir);

    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        bool ours = strncmp(e->d_name, "seg-", 4) == 0 && n > 9 &&
                    (strcmp(e->d_name + n - 5, ".gseg") == 0 ||
                     strcmp(e->d_name + n - 5, ".gdel") == 0 ||
                     strcmp(e->d_name + n - 4, ".tmp") == 0);

        if (strcmp(e->d_name, MANIFEST_NAME ".tmp") == 0)
            ours = true;
        if (!ours || is_referenced(w, e->d_name))
            continue;
        if ((size_t)snprintf(path, sizeof path, "%s/%s", w->dir, e->d_name) <
            sizeof path)
            unlink(path);
    }
    closedir(d);
}

static int writer_init(struct index_writer *w, const struct index_conf *conf)
{
    struct analyzer_opts opts[INDEX_MAX_FIELDS];
    unsigned f;
    int rc;

    if (mkdir(w->dir, 0755) != 0 && errno != EEXIST)
        return set_err(w, GALEN_EIO, "%s: cannot create: %s", w->dir,
                       strerror(errno));
    rc = lock_dir(w);
    if (rc == GALEN_OK)
        rc = load_state(w, conf);
    if (rc != GALEN_OK)
        return rc;
    remove_orphans(w);
    for (f = 0; f < w->conf.nfields; f++) {
        opts[f].stem = w->conf.field[f].stem;
        opts[f].stop = w->conf.field[f].stop;
    }
    rc = analyzer_new(&w->an);
    if (rc == GALEN_OK)
        rc = accum_new(w->conf.nfields, opts, &w->acc);
    if (rc != GALEN_OK)
        return set_err(w, rc, "out of memory");
    return GALEN_OK;
}

int index_writer_open(const char *dir, const struct index_conf *conf,
                      struct index_writer **out)
{
    struct index_writer *w = galen_calloc(1, sizeof *w);
    int rc;

    open_errmsg[0] = '\0';
    if (!w || !(w->dir = galen_strdup(dir))) {
        galen_free(w);
        snprintf(open_errmsg, sizeof open_errmsg, "out of memory");
        return GALEN_ENOMEM;
    }
    w->lock_fd = -1;
    w->budget = INDEX_MEM_BUDGET;
    w->codec = (enum postings_codec)POSTINGS_CODEC_DEFAULT;
    rc = writer_init(w, conf);
    if (rc != GALEN_OK) {
        memcpy(open_errmsg, w->errmsg, sizeof open_errmsg);
        index_writer_close(w);
        return rc;
    }
    *out = w;
    return GALEN_OK;
}

void index_writer_close(struct index_writer *w)
{
    size_t i;

    if (!w)
        return;
    segment_builder_free(w->b); /* removes the unfinished file */
    for (i = 0; i < w->nsegs; i++) {
        char path[MANIFEST_PATH_MAX];

        if (!w->segs[i].is_committed &&
            seg_path(w, w->segs[i].id, path, sizeof path) == GALEN_OK)
            unlink(path);
        segment_close(w->segs[i].seg);
    }
    for (i = 0; i < w->ndoomed; i++)
        galen_free(w->doomed[i]); /* still named by the durable MANIFEST */
    galen_free(w->doomed);
    galen_free(w->segs);
    accum_free(w->acc);
    analyzer_free(w->an);
    if (w->lock_fd >= 0)
        close(w->lock_fd); /* releases the flock */
    galen_free(w->dir);
    galen_free(w);
}

/* ---- adding and deleting ------------------------------------------------ */

/* Marks every live copy of id deleted: in the buffer and in segments. */
static void apply_delete(struct index_writer *w, struct str id)
{
    uint32_t doc;
    size_t i;

    if (w->b && accum_find_id(w->acc, w->b, id, &doc) == GALEN_OK)
        accum_mark_deleted(w->acc, doc);
    for (i = 0; i < w->nsegs; i++) {
        if (segment_find_id(w->segs[i].seg, id, &doc) == GALEN_OK &&
            segment_mark_deleted(w->segs[i].seg, doc))
            w->segs[i].is_dirty = true;
    }
}

static int start_buffer(struct index_writer *w)
{
    char path[MANIFEST_PATH_MAX];
    int rc;

    w->b_id = w->next_id++;
    rc = seg_path(w, w->b_id, path, sizeof path);
    if (rc == GALEN_OK)
        rc = segment_builder_new(path, w->conf.nfields, w->codec, &w->b);
    if (rc != GALEN_OK)
        return set_err(w, rc, "%s: cannot create: %s", path, error_str(rc));
    return GALEN_OK;
}

/* Finishes the buffer as a new, not yet committed, segment. */
static int flush_buffer(struct index_writer *w)
{
    char path[MANIFEST_PATH_MAX];
    struct wseg ws = {NULL, w->b_id, 0, 0, false, false};
    uint32_t d;
    int rc;

    if (!w->b)
        return GALEN_OK;
    rc = seg_path(w, ws.id, path, sizeof path);
    if (rc == GALEN_OK)
        rc = accum_flush(w->acc, w->b, w->codec);
    if (rc == GALEN_OK)
        rc = segment_builder_finish(w->b, &ws.size);
    if (rc != GALEN_OK)
        return set_err(w, rc, "%s: cannot write: %s", path, error_str(rc));
    segment_builder_free(w->b);
    w->b = NULL;
    rc = segment_open(path, ws.size, &ws.seg, w->errmsg, sizeof w->errmsg);
    if (rc != GALEN_OK) {
        unlink(path);
        return rc;
    }
    for (d = 0; d < ws.seg->ndocs; d++) {
        if (accum_is_deleted(w->acc, d) && segment_mark_deleted(ws.seg, d))
            ws.is_dirty = true;
    }
    accum_reset(w->acc);
    rc = push_seg(w, &ws);
    if (rc != GALEN_OK) {
        segment_close(ws.seg);
        unlink(path);
    }
    return rc;
}

static int check_usable(struct index_writer *w)
{
    if (w->broken)
        return set_err(w, w->broken,
                       "an earlier failure left the writer unusable; "
                       "close it and open it again");
    return GALEN_OK;
}

/* Any failure past the argument checks may have left the buffer or the
 * segment list half changed, so it makes the writer refuse further work. */
static int breaks(struct index_writer *w, int rc)
{
    if (rc != GALEN_OK)
        w->broken = rc;
    return rc;
}

static uint64_t doc_bytes(const struct index_writer *w,
                          const struct index_doc *d)
{
    uint64_t n = d->meta.len;
    unsigned f;

    for (f = 0; f < w->conf.nfields; f++)
        n += d->field[f].len;
    return n;
}

int index_writer_add(struct index_writer *w, const struct index_doc *d)
{
    int rc = check_usable(w);
    unsigned f;

    if (rc != GALEN_OK)
        return rc;
    if (d->id.len == 0 || d->id.len > SEGMENT_ID_MAX)
        return set_err(w, GALEN_EINVAL, "document id must be 1..%d bytes",
                       SEGMENT_ID_MAX);
    if (doc_bytes(w, d) > INDEX_DOC_MAX)
        return set_err(w, GALEN_ETOOBIG, "document is larger than %d bytes",
                       INDEX_DOC_MAX);
    if (!w->b) {
        rc = start_buffer(w);
        if (rc != GALEN_OK)
            return breaks(w, rc);
    }
    apply_delete(w, d->id);
    rc = accum_add(w->acc, w->an, w->b, d);
    if (rc != GALEN_OK)
        return breaks(w,
                      set_err(w, rc, "cannot add document: %s", error_str(rc)));
    w->st.docs++;
    for (f = 0; f < w->conf.nfields; f++)
        w->st.text_bytes += d->field[f].len;
    if (accum_mem(w->acc) + segment_builder_mem(w->b) >= w->budget)
        rc = breaks(w, flush_buffer(w));
    return rc;
}

int index_writer_delete(struct index_writer *w, struct str id)
{
    int rc = check_usable(w);

    if (rc != GALEN_OK)
        return rc;
    if (id.len == 0 || id.len > SEGMENT_ID_MAX)
        return set_err(w, GALEN_EINVAL, "document id must be 1..%d bytes",
                       SEGMENT_ID_MAX);
    apply_delete(w, id);
    return GALEN_OK;
}

/* ---- committing --------------------------------------------------------- */

static int write_deletes(struct index_writer *w, struct wseg *ws)
{
    char path[MANIFEST_PATH_MAX];
    struct buf b;
    uint64_t del_id = w->next_id++;
    int rc;

    buf_init(&b, SIZE_MAX / 2);
    rc = segment_encode_deletes(ws->seg, &b);
    if (!manifest_del_path(path, sizeof path, w->dir, ws->id, del_id))
        rc = GALEN_EINVAL;
    if (rc == GALEN_OK)
        rc = fileio_write_atomic(w->dir, path, b.data, b.len);
    buf_cleanup(&b);
    if (rc != GALEN_OK)
        return set_err(w, rc, "%s: cannot write: %s", path, error_str(rc));
    if (ws->del_id && ws->is_committed &&
        manifest_del_path(path, sizeof path, w->dir, ws->id, ws->del_id))
        rc = doom(w, path);
    ws->del_id = del_id;
    ws->is_dirty = false;
    return rc;
}

/* Writes pending deletions and drops segments with no live doc left. */
static int settle_segments(struct index_writer *w)
{
    size_t i = 0;
    int rc = GALEN_OK;

    while (i < w->nsegs && rc == GALEN_OK) {
        struct wseg *ws = &w->segs[i];

        if (ws->seg->ndeleted == ws->seg->ndocs) {
            rc = doom_seg(w, ws);
            remove_seg(w, i);
            continue;
        }
        if (ws->is_dirty)
            rc = write_deletes(w, ws);
        i++;
    }
    return rc;
}

static int write_manifest(struct index_writer *w)
{
    struct manifest m;
    size_t i;
    int rc;

    memset(&m, 0, sizeof m);
    m.generation = w->generation + 1;
    m.next_id = w->next_id;
    m.conf = w->conf;
    m.nsegs = (uint32_t)w->nsegs;
    m.segs = galen_calloc(w->nsegs + 1, sizeof *m.segs);
    if (!m.segs)
        return GALEN_ENOMEM;
    for (i = 0; i < w->nsegs; i++) {
        m.segs[i].id = w->segs[i].id;
        m.segs[i].size = w->segs[i].size;
        m.segs[i].ndocs = w->segs[i].seg->ndocs;
        m.segs[i].ndeleted = w->segs[i].seg->ndeleted;
        m.segs[i].del_id = w->segs[i].seg->ndeleted ? w->segs[i].del_id : 0;
    }
    /* New segment files must be durable before the MANIFEST names them. */
    rc = fileio_sync_dir(w->dir);
    if (rc == GALEN_OK)
        rc = manifest_write(w->dir, &m);
    manifest_cleanup(&m);
    if (rc != GALEN_OK)
        return set_err(w, rc, "%s/%s: cannot write: %s", w->dir, MANIFEST_NAME,
                       error_str(rc));
    w->generation++;
    for (i = 0; i < w->nsegs; i++)
        w->segs[i].is_committed = true;
    return GALEN_OK;
}

/* Counts distinct terms over all segments by walking their sorted
 * vocabularies together. */
static uint64_t count_terms(const struct index_writer *w)
{
    uint32_t *next = galen_calloc(w->nsegs + 1, sizeof *next);
    uint64_t n = 0;

    if (!next)
        return 0;
    for (;;) {
        struct str min = {"", 0};
        bool found = false;
        size_t i;

        for (i = 0; i < w->nsegs; i++) {
            const struct segment *s = w->segs[i].seg;

            if (next[i] < s->nterms &&
                (!found || str_cmp(segment_term_at(s, next[i]), min) < 0)) {
                min = segment_term_at(s, next[i]);
                found = true;
            }
        }
        if (!found)
            break;
        n++;
        for (i = 0; i < w->nsegs; i++) {
            const struct segment *s = w->segs[i].seg;

            if (next[i] < s->nterms && str_eq(segment_term_at(s, next[i]), min))
                next[i]++;
        }
    }
    galen_free(next);
    return n;
}

static void update_stats(struct index_writer *w)
{
    size_t i;

    w->st.index_bytes = 0;
    w->st.store_bytes = 0;
    for (i = 0; i < w->nsegs; i++) {
        w->st.store_bytes += w->segs[i].seg->store_bytes;
        w->st.index_bytes += w->segs[i].size - w->segs[i].seg->store_bytes;
    }
    w->st.terms = count_terms(w);
}

static int commit_once(struct index_writer *w)
{
    int rc = flush_buffer(w);

    if (rc == GALEN_OK)
        rc = settle_segments(w);
    if (rc == GALEN_OK)
        rc = write_manifest(w);
    if (rc != GALEN_OK)
        return breaks(w, rc);
    unlink_doomed(w);
    return GALEN_OK;
}

static int merge_policy(struct index_writer *w);

int index_writer_commit(struct index_writer *w)
{
    int rc = check_usable(w);

    if (rc == GALEN_OK)
        rc = commit_once(w);
    if (rc == GALEN_OK && !w->in_merge_policy)
        rc = merge_policy(w);
    if (rc == GALEN_OK)
        update_stats(w);
    return rc;
}

/* ---- merging ------------------------------------------------------------ */

/* Merges the segments at the ascending indices pick[0..k) into one, which
 * takes the place of the first. */
static int merge_picked(struct index_writer *w, const size_t *pick, size_t k)
{
    struct segment *in[64];
    struct wseg ws = {NULL, w->next_id++, 0, 0, false, false};
    char path[MANIFEST_PATH_MAX];
    uint32_t ndocs = 0;
    size_t i;
    int rc = seg_path(w, ws.id, path, sizeof path);

    for (i = 0; i < k; i++)
        in[i] = w->segs[pick[i]].seg;
    if (rc == GALEN_OK)
        rc = merge_segments(in, (uint32_t)k, path, w->codec, &ndocs, &ws.size);
    if (rc == GALEN_OK && ndocs > 0)
        rc = segment_open(path, ws.size, &ws.seg, w->errmsg, sizeof w->errmsg);
    if (rc != GALEN_OK)
        return set_err(w, rc, "merge into %s failed: %s", path,
                       w->errmsg[0] ? w->errmsg : error_str(rc));
    for (i = k; i-- > 0;) {
        rc = doom_seg(w, &w->segs[pick[i]]);
        if (rc != GALEN_OK)
            break;
        remove_seg(w, pick[i]);
    }
    if (rc == GALEN_OK && ws.seg) {
        rc = push_seg(w, &ws);
        if (rc == GALEN_OK) {
            memmove(&w->segs[pick[0] + 1], &w->segs[pick[0]],
                    (w->nsegs - 1 - pick[0]) * sizeof *w->segs);
            w->segs[pick[0]] = ws;
        }
    }
    if (rc != GALEN_OK)
        segment_close(ws.seg);
    return rc;
}

static uint32_t live_docs(const struct wseg *ws)
{
    return ws->seg->ndocs - ws->seg->ndeleted;
}

/* Picks the k segments with the fewest live docs, in index order. */
static int pick_smallest(const struct index_writer *w, size_t k, size_t *pick)
{
    bool *taken = galen_calloc(w->nsegs + 1, sizeof *taken);
    size_t n, i, j;

    if (!taken)
        return GALEN_ENOMEM;
    for (n = 0; n < k; n++) {
        size_t best = SIZE_MAX;

        for (i = 0; i < w->nsegs; i++) {
            if (!taken[i] &&
                (best == SIZE_MAX ||
                 live_docs(&w->segs[i]) < live_docs(&w->segs[best])))
                best = i;
        }
        taken[best] = true;
    }
    for (i = 0, j = 0; i < w->nsegs; i++) {
        if (taken[i])
            pick[j++] = i;
    }
    galen_free(taken);
    return GALEN_OK;
}

int index_writer_merge(struct index_writer *w, unsigned max_segments)
{
    size_t pick[64];
    int rc = check_usable(w);

    if (rc != GALEN_OK)
        return rc;
    rc = breaks(w, flush_buffer(w));
    if (max_segments == 0)
        max_segments = 1;
    while (rc == GALEN_OK && w->nsegs > max_segments) {
        size_t k = MIN(w->nsegs - max_segments + 1, ARRAY_SIZE(pick));

        rc = pick_smallest(w, k, pick);
        if (rc == GALEN_OK)
            rc = breaks(w, merge_picked(w, pick, k));
    }
    if (rc == GALEN_OK)
        rc = index_writer_commit(w);
    return rc;
}

static unsigned tier_of(const struct wseg *ws)
{
    return (unsigned)log10((double)MAX(live_docs(ws), 1u));
}

/* Tiered policy: when MERGE_FACTOR segments share a size tier (a power of
 * ten of live docs), merge them into one and commit again. */
static int merge_policy(struct index_writer *w)
{
    size_t pick[MERGE_FACTOR];
    int rc = GALEN_OK;
    bool again = true;

    w->in_merge_policy = true;
    while (again && rc == GALEN_OK) {
        unsigned tier;

        again = false;
        for (tier = 0; tier < 10 && !again; tier++) {
            size_t i, k = 0;

            for (i = 0; i < w->nsegs && k < MERGE_FACTOR; i++) {
                if (tier_of(&w->segs[i]) == tier)
                    pick[k++] = i;
            }
            again = k == MERGE_FACTOR;
        }
        if (again)
            rc = breaks(w, merge_picked(w, pick, MERGE_FACTOR));
        if (again && rc == GALEN_OK)
            rc = commit_once(w);
    }
    w->in_merge_policy = false;
    return rc;
}
