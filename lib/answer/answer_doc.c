/* SPDX-License-Identifier: MIT */
/* answer_doc.c: rebuilds a struct doc from what the index stores for it:
 * the title and body fields and the meta blob that store_index.c writes
 * (the document's metadata as JSON, with each section's byte range in the
 * body). The blob is untrusted bytes: anything malformed or out of range
 * is GALEN_ECORRUPT, never a crash. */
#include "answer_doc.h"

#include <cjson/cJSON.h>
#include <string.h>

#include <galen/error.h>

#include "base/mem.h"

static const char *jstr(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int set_str(char **field, const cJSON *o, const char *key)
{
    const char *v = jstr(o, key);

    return v ? doc_set_cstr(field, v) : GALEN_OK;
}

static int set_list(struct doc_strlist *l, const cJSON *o, const char *key)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, key), *it;
    int rc = GALEN_OK;

    if (!a)
        return GALEN_OK;
    if (!cJSON_IsArray(a))
        return GALEN_ECORRUPT;
    cJSON_ArrayForEach(it, a)
    {
        if (!cJSON_IsString(it))
            return GALEN_ECORRUPT;
        rc = doc_strlist_add(l, it->valuestring, strlen(it->valuestring));
        if (rc != GALEN_OK)
            return rc;
    }
    return GALEN_OK;
}

/* The enumerated fields: unknown names are corrupt, absent ones default. */
static int set_enums(struct doc *d, const cJSON *o)
{
    const char *v;

    v = jstr(o, "kind");
    if (v && doc_kind_parse(v, &d->kind) != GALEN_OK)
        return GALEN_ECORRUPT;
    v = jstr(o, "audience");
    if (v && doc_audience_parse(v, &d->audience) != GALEN_OK)
        return GALEN_ECORRUPT;
    v = jstr(o, "evidence");
    if (v && doc_evidence_parse(v, &d->evidence) != GALEN_OK)
        return GALEN_ECORRUPT;
    v = jstr(o, "status");
    if (v && doc_status_parse(v, &d->status) != GALEN_OK)
        return GALEN_ECORRUPT;
    if (cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(o, "has_answer")))
        d->has_answer = false;
    return GALEN_OK;
}

static int set_scalars(struct doc *d, const cJSON *o)
{
    static const struct {
        const char *key;
        size_t off;
    } f[] = {
        {"source", offsetof(struct doc, source)},
        {"authors", offsetof(struct doc, authors)},
        {"date", offsetof(struct doc, date)},
        {"url", offsetof(struct doc, url)},
        {"licence", offsetof(struct doc, licence)},
        {"specialty", offsetof(struct doc, specialty)},
        {"question_type", offsetof(struct doc, question_type)},
        {"semantic_group", offsetof(struct doc, semantic_group)},
        {"pmid", offsetof(struct doc, pmid)},
        {"doi", offsetof(struct doc, doi)},
        {"age_band", offsetof(struct doc, age_band)},
        {"sex", offsetof(struct doc, sex)},
        {"asked", offsetof(struct doc, asked)},
        {"replied", offsetof(struct doc, replied)},
    };

    size_t k;
    int rc = GALEN_OK;

    for (k = 0; k < ARRAY_SIZE(f) && rc == GALEN_OK; k++)
        rc = set_str((char **)((char *)d + f[k].off), o, f[k].key);
    if (rc == GALEN_OK)
        rc = set_list(&d->focus, o, "focus");
    if (rc == GALEN_OK)
        rc = set_list(&d->synonyms, o, "synonyms");
    if (rc == GALEN_OK)
        rc = set_list(&d->pub_types, o, "pub_types");
    return rc == GALEN_OK ? set_enums(d, o) : rc;
}

static int add_ref(struct doc *d, const cJSON *r)
{
    struct doc_ref *ref;
    const cJSON *year = cJSON_GetObjectItemCaseSensitive(r, "year");
    int rc;

    if (!cJSON_IsObject(r))
        return GALEN_ECORRUPT;
    rc = doc_add_ref(d, &ref);
    if (rc == GALEN_OK)
        rc = set_str(&ref->kind, r, "kind");
    if (rc == GALEN_OK)
        rc = set_str(&ref->title, r, "title");
    if (rc == GALEN_OK)
        rc = set_str(&ref->source, r, "source");
    if (rc == GALEN_OK)
        rc = set_str(&ref->authors, r, "authors");
    if (rc == GALEN_OK)
        rc = set_str(&ref->pmid, r, "pmid");
    if (rc == GALEN_OK)
        rc = set_str(&ref->doi, r, "doi");
    if (rc == GALEN_OK)
        rc = set_str(&ref->url, r, "url");
    if (cJSON_IsNumber(year) && year->valuedouble >= 0 &&
        year->valuedouble < 10000)
        ref->year = (int)year->valuedouble;
    return rc;
}

static int set_refs(struct doc *d, const cJSON *o)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, "references"), *it;
    int rc = GALEN_OK;

    if (!a)
        return GALEN_OK;
    if (!cJSON_IsArray(a))
        return GALEN_ECORRUPT;
    cJSON_ArrayForEach(it, a)
    {
        rc = add_ref(d, it);
        if (rc != GALEN_OK)
            return rc;
    }
    return GALEN_OK;
}

/* One section: body[start..end), less the heading line store_index.c puts
 * before the text. */
static int add_section(struct doc *d, const cJSON *s, struct str body)
{
    const cJSON *js = cJSON_GetObjectItemCaseSensitive(s, "start");
    const cJSON *je = cJSON_GetObjectItemCaseSensitive(s, "end");
    const char *heading = jstr(s, "heading");
    size_t start, end, hl;

    if (!heading || !cJSON_IsNumber(js) || !cJSON_IsNumber(je) ||
        js->valuedouble < 0 || je->valuedouble < js->valuedouble ||
        je->valuedouble > (double)body.len)
        return GALEN_ECORRUPT;
    start = (size_t)js->valuedouble;
    end = (size_t)je->valuedouble;
    hl = strlen(heading);
    if (hl > 0 && end - start > hl &&
        memcmp(body.p + start, heading, hl) == 0 && body.p[start + hl] == '\n')
        start += hl + 1;
    return doc_add_section(d, heading, body.p + start, end - start);
}

static int set_sections(struct doc *d, const cJSON *o, struct str body)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, "sections"), *it;
    int rc = GALEN_OK;

    if (!a)
        return doc_add_section(d, "", body.p ? body.p : "", body.len);
    if (!cJSON_IsArray(a))
        return GALEN_ECORRUPT;
    cJSON_ArrayForEach(it, a)
    {
        rc = cJSON_IsObject(it) ? add_section(d, it, body) : GALEN_ECORRUPT;
        if (rc != GALEN_OK)
            return rc;
    }
    return GALEN_OK;
}

static int fill(struct doc *d, const cJSON *o, struct str id, struct str title,
                struct str body)
{
    int rc = doc_set(&d->id, id.p, id.len);

    if (rc == GALEN_OK)
        rc = title.len ? doc_set(&d->title, title.p, title.len)
                       : set_str(&d->title, o, "title");
    if (rc == GALEN_OK && !d->title)
        rc = doc_set_cstr(&d->title, "");
    if (rc == GALEN_OK)
        rc = set_scalars(d, o);
    if (rc == GALEN_OK)
        rc = set_refs(d, o);
    if (rc == GALEN_OK)
        rc = set_sections(d, o, body);
    return rc;
}

int answer_doc_load(struct str id, struct str title, struct str body,
                    struct str meta, struct doc **out)
{
    struct doc *d = doc_new();
    cJSON *o = NULL;
    int rc = GALEN_OK;

    if (!d)
        return GALEN_ENOMEM;
    if (meta.len > 0) {
        o = cJSON_ParseWithLength(meta.p, meta.len);
        if (!cJSON_IsObject(o))
            rc = GALEN_ECORRUPT;
    }
    if (rc == GALEN_OK)
        rc = fill(d, o, id, title, body);
    cJSON_Delete(o);
    if (rc != GALEN_OK) {
        doc_free(d);
        return rc == GALEN_EPARSE ? GALEN_ECORRUPT : rc;
    }
    *out = d;
    return GALEN_OK;
}
