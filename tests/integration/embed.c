/* SPDX-License-Identifier: MIT */
/* embed.c: a program that uses installed libgalen the way an embedder
 * would, built by install.sh with nothing but `pkg-config galen`. It opens
 * the data folder DIR, searches it for QUESTION, then asks it with the
 * lexicon and red-flag rules in SHARE, and prints the hits and the answer:
 *   embed DIR SHARE QUESTION
 * Exits 0 when the search found something and the question was answered.
 * It defines its own buf_init, as libgalen does internally: only galen_*
 * may be visible outside the library, so the two must not clash. */
#include <stdio.h>
#include <stdlib.h>

#include <galen/answer.h>
#include <galen/error.h>
#include <galen/search.h>

void buf_init(int *calls);

void buf_init(int *calls)
{
    (*calls)++;
}

static int search(const char *dir, const char *q)
{
    struct galen_index *gi = NULL;
    struct galen_hits *hits = NULL;
    struct galen_search_opts o;
    size_t i, n = 0;
    int rc = galen_index_open(dir, &gi);

    galen_search_opts_init(&o);
    o.k = 3;
    o.plain = true;
    if (rc == GALEN_OK)
        rc = galen_search(gi, q, &o, &hits);
    if (rc == GALEN_OK)
        n = galen_hits_count(hits);
    for (i = 0; i < n; i++)
        printf("hit %s %s\n", galen_hits_get(hits, i)->id,
               galen_hits_get(hits, i)->title);
    if (rc != GALEN_OK)
        fprintf(stderr, "embed: search: %s: %s\n", galen_strerror(rc),
                galen_index_errmsg());
    galen_hits_free(hits);
    galen_index_close(gi);
    return rc == GALEN_OK && n > 0 ? 0 : 1;
}

static int ask(const char *dir, const char *share, const char *q)
{
    char lexicon[4096], redflags[4096];
    struct galen_answerer_opts ao = {lexicon, redflags, NULL};
    struct galen_answerer *a = NULL;
    struct galen_answer *ans = NULL;
    struct galen_ask_opts o;
    char *text = NULL;
    size_t len = 0;
    int rc;

    snprintf(lexicon, sizeof lexicon, "%s/lexicon.tsv", share);
    snprintf(redflags, sizeof redflags, "%s/redflags.txt", share);
    rc = galen_answerer_open(dir, &ao, &a);
    galen_ask_opts_init(&o);
    if (rc == GALEN_OK)
        rc = galen_ask(a, q, &o, &ans);
    if (rc == GALEN_OK)
        rc = galen_answer_render(ans, GALEN_RENDER_TEXT, 0, 80, &text, &len);
    if (rc == GALEN_OK) {
        printf("red flags %zu, sources %zu, abstained %d\n",
               galen_answer_redflag_count(ans), galen_answer_source_count(ans),
               galen_answer_abstained(ans));
        fwrite(text, 1, len, stdout);
    } else {
        fprintf(stderr, "embed: ask: %s: %s\n", galen_strerror(rc),
                galen_answerer_errmsg(a));
    }
    galen_free_string(text);
    galen_answer_free(ans);
    galen_answerer_close(a);
    return rc == GALEN_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
    int calls = 0;

    buf_init(&calls);
    if (argc != 4 || calls != 1) {
        fprintf(stderr, "usage: embed DIR SHARE QUESTION\n");
        return 2;
    }
    if (search(argv[1], argv[3]) != 0 || ask(argv[1], argv[2], argv[3]) != 0)
        return 1;
    return 0;
}
