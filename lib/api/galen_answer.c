/* SPDX-License-Identifier: MIT */
/* galen_answer.c: the public answer API (galen/answer.h) over lib/answer.
 * A failed open, ask, find or render leaves *out NULL. */
#include <galen/answer.h>
#include <galen/error.h>

#include "answer/answer.h"

bool galen_answer_abstained(const struct galen_answer *ans)
{
    return answer_abstained(ans);
}

void galen_answer_free(struct galen_answer *ans)
{
    answer_free(ans);
}

int galen_answer_rank(struct galen_answerer *a, const char *question,
                      unsigned k,
                      void (*fn)(void *ctx, const char *id, double score),
                      void *ctx)
{
    return answer_rank(a, question, k, fn, ctx);
}

size_t galen_answer_redflag_count(const struct galen_answer *ans)
{
    return answer_redflag_count(ans);
}

int galen_answer_render(const struct galen_answer *ans,
                        enum galen_render_format fmt, unsigned flags,
                        unsigned width, char **out, size_t *len)
{
    int rc = answer_render(ans, fmt, flags, width, out, len);

    if (rc != GALEN_OK)
        *out = NULL;
    return rc;
}

size_t galen_answer_source_count(const struct galen_answer *ans)
{
    return answer_source_count(ans);
}

void galen_answerer_close(struct galen_answerer *a)
{
    answerer_close(a);
}

const char *galen_answerer_errmsg(const struct galen_answerer *a)
{
    return answerer_errmsg(a);
}

int galen_answerer_open(const char *data_dir,
                        const struct galen_answerer_opts *opts,
                        struct galen_answerer **out)
{
    int rc = answerer_open(data_dir, opts, out);

    if (rc != GALEN_OK)
        *out = NULL;
    return rc;
}

int galen_ask(struct galen_answerer *a, const char *question,
              const struct galen_ask_opts *o, struct galen_answer **out)
{
    int rc = answer_ask(a, question, o, out);

    if (rc != GALEN_OK)
        *out = NULL;
    return rc;
}

void galen_ask_opts_init(struct galen_ask_opts *o)
{
    answer_ask_opts_init(o);
}

bool galen_evidence_level_known(const char *name)
{
    return answer_evidence_level_known(name);
}

size_t galen_similar_count(const struct galen_similar *s)
{
    return answer_sim_count(s);
}

int galen_similar_find(struct galen_answerer *a, const char *question,
                       unsigned k, struct galen_similar **out)
{
    int rc = answer_sim_find(a, question, k, out);

    if (rc != GALEN_OK)
        *out = NULL;
    return rc;
}

void galen_similar_free(struct galen_similar *s)
{
    answer_sim_free(s);
}

const struct galen_similar_item *
galen_similar_get(const struct galen_similar *s, size_t i)
{
    return answer_sim_get(s, i);
}

int galen_similar_render(const struct galen_similar *s,
                         enum galen_render_format fmt, unsigned flags,
                         char **out, size_t *len)
{
    int rc = answer_sim_render(s, fmt, flags, out, len);

    if (rc != GALEN_OK)
        *out = NULL;
    return rc;
}

unsigned galen_source_kind_bit(const char *name)
{
    return answer_source_kind_bit(name);
}
