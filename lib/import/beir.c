/* SPDX-License-Identifier: MIT */
/* import_beir.c: BEIR corpus.jsonl to documents, one line at a time
 * through zlib (so .jsonl.gz works too) and cJSON. Only the current line
 * is held in memory, capped at BEIR_LINE_MAX. */
#include "beir.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include <galen/error.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/mem.h"

enum { BEIR_TITLE_CHARS = 90 };

static const char *str_field(const cJSON *o, const char *key, bool *bad)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    if (!v || cJSON_IsNull(v))
        return NULL;
    if (!cJSON_IsString(v)) {
        *bad = true;
        return NULL;
    }
    return v->valuestring;
}

/* Some corpora use numbers for _id; write them back as decimal text. */
static int id_field(const cJSON *o, char *buf, size_t cap, const char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "_id");

    if (cJSON_IsString(v)) {
        *out = v->valuestring;
        return GALEN_OK;
    }
    if (cJSON_IsNumber(v) && v->valuedouble >= 0 &&
        v->valuedouble < 9007199254740992.0 &&
        v->valuedouble == (double)(long long)v->valuedouble) {
        snprintf(buf, cap, "%lld", (long long)v->valuedouble);
        *out = buf;
        return GALEN_OK;
    }
    return GALEN_EPARSE;
}

/* The first words of text, cut at a space near BEIR_TITLE_CHARS bytes and
 * never inside a UTF-8 sequence, with an ellipsis when cut. */
static int title_from_text(struct doc *d, const char *text)
{
    size_t n = strlen(text), cut = n;
    char buf[BEIR_TITLE_CHARS + 8];

    if (n <= BEIR_TITLE_CHARS)
        return doc_set_cstr(&d->title, text);
    cut = BEIR_TITLE_CHARS;
    while (cut > BEIR_TITLE_CHARS / 2 && text[cut] != ' ')
        cut--;
    if (text[cut] != ' ') {
        cut = BEIR_TITLE_CHARS;
        while (cut > 0 && ((unsigned char)text[cut] & 0xc0) == 0x80)
            cut--;
    }
    memcpy(buf, text, cut);
    memcpy(buf + cut, "\xe2\x80\xa6", 4); /* U+2026 and the NUL */
    return doc_set_cstr(&d->title, buf);
}

static int fill(struct doc *d, const char *id, const char *title,
                const char *text, const char *source)
{
    int rc = doc_set_cstr(&d->id, id);

    if (rc == GALEN_OK)
        rc = title && *title ? doc_set_cstr(&d->title, title)
                             : title_from_text(d, text);
    if (rc == GALEN_OK)
        rc = doc_add_section(d, "", text, strlen(text));
    if (rc == GALEN_OK)
        rc = doc_set_cstr(&d->source, source);
    return rc;
}

static bool blank(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return false;
    }
    return true;
}

int import_beir_line(const char *line, size_t len, const char *source,
                     struct doc *d, struct diag *diag)
{
    char numid[32];
    const char *id = NULL, *title, *text;
    bool bad = false;
    cJSON *o;
    int rc;

    if (blank(line, len))
        return GALEN_ENOENT;
    o = cJSON_ParseWithLength(line, len);
    if (!cJSON_IsObject(o)) {
        cJSON_Delete(o);
        return diag_setf(diag, GALEN_EPARSE, 0, "not a JSON object");
    }
    title = str_field(o, "title", &bad);
    text = str_field(o, "text", &bad);
    if (id_field(o, numid, sizeof numid, &id) != GALEN_OK || bad) {
        cJSON_Delete(o);
        return diag_setf(diag, GALEN_EPARSE, 0,
                         bad ? "title and text must be strings"
                             : "missing or bad \"_id\"");
    }
    if (!text || !*text) {
        cJSON_Delete(o);
        return GALEN_ENOENT;
    }
    rc = fill(d, id, title, text, source);
    cJSON_Delete(o);
    if (rc != GALEN_OK)
        return diag_setf(diag, rc, 0, "%s", error_str(rc));
    return GALEN_OK;
}

/* ---- the file ---------------------------------------------------------- */

/* Reads one line into b (without the newline). Returns 1 for a line, 0 at
 * the end, or a negative galen code negated: -GALEN_EIO / -GALEN_ETOOBIG. */
static int read_line(gzFile g, struct buf *b)
{
    int rc = GALEN_OK;
    int c;

    buf_reset(b);
    for (;;) {
        c = gzgetc(g);
        if (c == -1)
            break;
        if (c == '\n')
            return 1;
        buf_put_byte(&rc, b, (unsigned char)c);
        if (rc != GALEN_OK)
            return -rc;
    }
    if (!gzeof(g))
        return -GALEN_EIO;
    return b->len > 0 ? 1 : 0;
}

/* The collection name: the folder holding the file, or the file's own
 * name without extension when it has no folder. */
static char *collection_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *start;

    if (!slash)
        return galen_strdup("beir");
    start = slash;
    while (start > path && start[-1] != '/')
        start--;
    if (start == slash)
        return galen_strdup("beir");
    return galen_strndup(start, (size_t)(slash - start));
}

static int one_line(const struct import_sink *sink, const struct buf *b,
                    const char *source, long line, struct diag *diag)
{
    struct diag d2 = {{0}, 0};
    struct doc d;
    int rc;

    doc_init(&d);
    rc = import_beir_line((const char *)b->data, b->len, source, &d, &d2);
    if (rc == GALEN_OK)
        rc = sink->doc(sink->ctx, &d, line);
    else if (rc == GALEN_EPARSE)
        rc = import_sink_bad(sink, line, d2.msg);
    else if (rc == GALEN_ENOENT)
        rc = GALEN_OK;
    else
        rc = diag_setf(diag, rc, line, "%s", d2.msg);
    doc_cleanup(&d);
    return rc;
}

int import_beir_file(const char *path, const struct import_sink *sink,
                     struct diag *diag)
{
    gzFile g = gzopen(path, "rb");
    char *source = collection_name(path);
    struct buf b;
    long line = 0;
    int rc = GALEN_OK;

    if (!g || !source) {
        galen_free(source);
        if (g)
            gzclose(g);
        return diag_setf(diag, g ? GALEN_ENOMEM : GALEN_EIO, 0, "%s",
                         g ? "out of memory" : strerror(errno));
    }
    gzbuffer(g, 1 << 17);
    buf_init(&b, BEIR_LINE_MAX);
    while (rc == GALEN_OK) {
        int got = read_line(g, &b);

        line++;
        if (got < 0)
            rc = diag_setf(
                diag, got == -GALEN_ETOOBIG ? GALEN_EPARSE : -got, line,
                got == -GALEN_ETOOBIG ? "line too long" : "read error");
        if (got <= 0)
            break;
        rc = one_line(sink, &b, source, line, diag);
        if (sink->progress && (line & 1023) == 0)
            sink->progress(sink->ctx, (uint64_t)gzoffset(g));
    }
    buf_cleanup(&b);
    galen_free(source);
    gzclose(g);
    return rc;
}
