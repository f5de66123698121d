/* SPDX-License-Identifier: MIT */
/* service_qa.c: patient questions, specialists' replies and comments. Text
 * from the public is validated here (length, UTF-8, no control bytes) and
 * stored as given; escaping is the renderer's job (httpd/html.c), so the same
 * text is safe in HTML and JSON alike. A question is "open" until a
 * specialist replies, then "answered" in the replier's specialty. */
#include <stdio.h>
#include <string.h>

#include <galen/error.h>

#include "base/mem.h"
#include "base/utf8.h"
#include "content/store.h"
#include "service.h"
#include "service_internal.h"

/* True if s has a non-space character. */
static bool has_content(const char *s)
{
    for (; s && *s; s++) {
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return true;
    }
    return false;
}

static int check_text(struct galen_service *svc, const char *s, size_t max,
                      const char *what)
{
    char msg[128];
    size_t n = s ? strlen(s) : 0;

    if (!has_content(s))
        snprintf(msg, sizeof msg, "the %s is empty", what);
    else if (n > max)
        snprintf(msg, sizeof msg, "the %s is longer than %zu bytes", what, max);
    else if (!utf8_text_ok(s, n))
        snprintf(msg, sizeof msg, "the %s has invalid characters", what);
    else
        return GALEN_OK;
    return service_fail(svc, GALEN_EINVAL, msg);
}

/* Maps an optional choice to its canonical spelling; "" and NULL mean
 * none. Returns false for a value outside the list. */
static bool pick_opt(const char *const *list, const char *v, const char **out)
{
    *out = NULL;
    if (!v || !*v)
        return true;
    *out = service_pick(list, v);
    return *out != NULL;
}

int service_question_add(struct galen_service *svc,
                         const struct galen_question_in *in, long long *id)
{
    const char *age;
    const char *sex;
    const char *spec;
    char iso[SERVICE_ISO_LEN];
    char link[GALEN_TOKEN_LEN + 1];
    char link_hash[AUTH_TOKEN_HASH_LEN + 1];
    struct db_stmt *s;
    int rc = check_text(svc, in->title, GALEN_TITLE_MAX, "title");

    if (rc == GALEN_OK)
        rc = check_text(svc, in->body, GALEN_TEXT_MAX, "question");
    if (rc != GALEN_OK)
        return rc;
    if (!pick_opt(galen_age_bands, in->age_band, &age) ||
        !pick_opt(galen_sexes, in->sex, &sex) ||
        !pick_opt(galen_specialties, in->specialty, &spec))
        return service_fail(svc, GALEN_EINVAL,
                            "unknown age band, sex or specialty");
    rc = service_prep(svc,
                      "INSERT INTO patient_questions(user_id,title,body,"
                      "age_band,sex,asked_at,status,specialty,public,"
                      "link_hash) VALUES (?1,?2,?3,?4,?5,?6,'open',?7,?8,?9)",
                      &s);
    if (rc != GALEN_OK)
        return rc;
    auth_token_new(link);
    auth_token_hash(link, link_hash);
    db_bind_int64(s, 8, in->publish ? 1 : 0);
    service_bind(s, 9, link_hash);
    service_iso(in->now, iso);
    if (in->user_id > 0)
        db_bind_int64(s, 1, in->user_id);
    service_bind(s, 2, in->title);
    service_bind(s, 3, in->body);
    service_bind(s, 4, age);
    service_bind(s, 5, sex);
    service_bind(s, 6, iso);
    service_bind(s, 7, spec);
    rc = service_done(svc, s);
    if (rc == GALEN_OK && id)
        rc = service_last_id(svc, id);
    if (rc == GALEN_OK && in->link)
        memcpy(in->link, link, sizeof link);
    return rc;
}

bool service_question_visible(const struct galen_question *q,
                              const struct galen_user *u, const char *link)
{
    char h[AUTH_TOKEN_HASH_LEN + 1];

    if (q->answered && q->publish)
        return true;
    if (u->role == GALEN_ROLE_EDITOR || u->role == GALEN_ROLE_ADMIN)
        return true;
    if (u->role == GALEN_ROLE_SPECIALIST &&
        (!q->specialty[0] || strcmp(q->specialty, u->specialty) == 0))
        return true;
    if (u->role != GALEN_ROLE_ANON && q->user_id > 0 && q->user_id == u->id)
        return true;
    if (!link || !auth_token_ok(link) || !q->link_hash[0])
        return false;
    auth_token_hash(link, h);
    return auth_ct_equal(h, q->link_hash);
}

bool service_question_shows_asker(const struct galen_question *q,
                                  const struct galen_user *u)
{
    return u->role == GALEN_ROLE_EDITOR || u->role == GALEN_ROLE_ADMIN ||
           u->role == GALEN_ROLE_SPECIALIST ||
           (u->role != GALEN_ROLE_ANON && q->user_id > 0 &&
            q->user_id == u->id);
}

void service_question_free(struct galen_question *q)
{
    size_t i;

    if (!q)
        return;
    for (i = 0; i < q->nreplies; i++) {
        galen_free(q->replies[i].author);
        galen_free(q->replies[i].specialty);
        galen_free(q->replies[i].body);
        galen_free(q->replies[i].replied_at);
    }
    galen_free(q->replies);
    galen_free(q->title);
    galen_free(q->body);
    galen_free(q->age_band);
    galen_free(q->sex);
    galen_free(q->specialty);
    galen_free(q->asked_at);
    galen_free(q->asker);
    galen_free(q->link_hash);
    galen_free(q);
}

/* Copies column i; returns false on ENOMEM. */
static bool dup_col(struct db_stmt *s, int i, char **out)
{
    *out = galen_strdup(service_col(s, i));
    return *out != NULL;
}

/* The asker's name comes from users: the column read_question reads as
 * number 9 must be selected here. */
#define QUESTION_COLS                                               \
    "id,user_id,title,body,age_band,sex,asked_at,status,specialty," \
    "COALESCE((SELECT name FROM users WHERE users.id=user_id),'')," \
    "public,link_hash"

/* Fills q from a row of QUESTION_COLS. GALEN_OK or GALEN_ENOMEM. */
static int read_question(struct db_stmt *s, struct galen_question *q)
{
    q->id = db_col_int64(s, 0);
    q->user_id = db_col_int64(s, 1);
    q->answered = strcmp(service_col(s, 7), "answered") == 0;
    if (!dup_col(s, 2, &q->title) || !dup_col(s, 3, &q->body) ||
        !dup_col(s, 4, &q->age_band) || !dup_col(s, 5, &q->sex) ||
        !dup_col(s, 6, &q->asked_at) || !dup_col(s, 8, &q->specialty) ||
        !dup_col(s, 9, &q->asker) || !dup_col(s, 11, &q->link_hash))
        return GALEN_ENOMEM;
    q->publish = db_col_int(s, 10) != 0;
    return GALEN_OK;
}

static int add_reply(struct galen_question *q, struct db_stmt *s)
{
    struct galen_reply *r;
    struct galen_reply *v =
        galen_realloc(q->replies, (q->nreplies + 1) * sizeof *v);

    if (!v)
        return GALEN_ENOMEM;
    q->replies = v;
    r = &v[q->nreplies++];
    memset(r, 0, sizeof *r);
    r->id = db_col_int64(s, 0);
    r->user_id = db_col_int64(s, 1);
    if (!dup_col(s, 2, &r->author) || !dup_col(s, 3, &r->specialty) ||
        !dup_col(s, 4, &r->body) || !dup_col(s, 5, &r->replied_at))
        return GALEN_ENOMEM;
    return GALEN_OK;
}

static int load_replies(struct galen_service *svc, struct galen_question *q)
{
    struct db_stmt *s;
    int step = DB_DONE;
    int rc = service_prep(svc,
                          "SELECT r.id,r.user_id,COALESCE(u.name,''),"
                          "r.specialty,r.body,r.replied_at FROM replies r "
                          "LEFT JOIN users u ON u.id=r.user_id "
                          "WHERE r.question_id=?1 ORDER BY r.id",
                          &s);

    if (rc != GALEN_OK)
        return rc;
    db_bind_int64(s, 1, q->id);
    while (rc == GALEN_OK && (step = db_step(s)) == DB_ROW)
        rc = add_reply(q, s);
    if (rc == GALEN_OK && step != DB_DONE)
        rc = service_db_error(svc);
    db_reset(s);
    return rc;
}

int service_question_get(struct galen_service *svc, long long id,
                         struct galen_question **out)
{
    struct galen_question *q = galen_calloc(1, sizeof *q);
    struct db_stmt *s;
    int rc;

    if (!q)
        return GALEN_ENOMEM;
    rc = service_prep(
        svc, "SELECT " QUESTION_COLS " FROM patient_questions WHERE id=?1", &s);
    if (rc == GALEN_OK) {
        db_bind_int64(s, 1, id);
        rc = db_step(s) == DB_ROW ? read_question(s, q) : GALEN_ENOENT;
        db_reset(s);
    }
    if (rc == GALEN_OK)
        rc = load_replies(svc, q);
    if (rc != GALEN_OK) {
        service_question_free(q);
        return rc;
    }
    *out = q;
    return GALEN_OK;
}

/* Frees the strings of a question read by read_question, keeping q. */
static void question_clear(struct galen_question *q)
{
    galen_free(q->title);
    galen_free(q->body);
    galen_free(q->age_band);
    galen_free(q->sex);
    galen_free(q->asked_at);
    galen_free(q->specialty);
    galen_free(q->asker);
    galen_free(q->link_hash);
    memset(q, 0, sizeof *q);
}

/* Runs a question query whose ?1.. are bound by bind, calling cb per row. */
static int question_rows(struct galen_service *svc, struct db_stmt *s,
                         int (*cb)(void *ctx, const struct galen_question *q),
                         void *ctx)
{
    struct galen_question q;
    int step = DB_DONE;
    int rc = GALEN_OK;

    memset(&q, 0, sizeof q);
    while (rc == GALEN_OK && (step = db_step(s)) == DB_ROW) {
        rc = read_question(s, &q);
        if (rc == GALEN_OK)
            rc = cb(ctx, &q);
        question_clear(&q);
    }
    if (rc == GALEN_OK && step != DB_DONE)
        rc = service_db_error(svc);
    db_reset(s);
    return rc;
}

int service_questions(struct galen_service *svc, bool answered, size_t limit,
                      size_t offset,
                      int (*cb)(void *ctx, const struct galen_question *q),
                      void *ctx)
{
    struct db_stmt *s;
    int rc = service_prep(svc,
                          "SELECT " QUESTION_COLS
                          " FROM patient_questions WHERE status=?1"
                          " AND (?1='open' OR public=1)"
                          " ORDER BY asked_at DESC, id DESC LIMIT ?2"
                          " OFFSET ?3",
                          &s);

    if (rc != GALEN_OK)
        return rc;
    service_bind(s, 1, answered ? "answered" : "open");
    db_bind_int64(s, 2, (int64_t)limit);
    db_bind_int64(s, 3, (int64_t)offset);
    return question_rows(svc, s, cb, ctx);
}

int service_questions_queue(struct galen_service *svc, const char *specialty,
                            size_t limit, size_t offset,
                            int (*cb)(void *ctx,
                                      const struct galen_question *q),
                            void *ctx)
{
    struct db_stmt *s;
    int rc = service_prep(svc,
                          "SELECT " QUESTION_COLS
                          " FROM patient_questions WHERE status='open'"
                          " AND (COALESCE(specialty,'')='' OR specialty=?1)"
                          " ORDER BY asked_at DESC, id DESC LIMIT ?2"
                          " OFFSET ?3",
                          &s);

    if (rc != GALEN_OK)
        return rc;
    service_bind(s, 1, specialty ? specialty : "");
    db_bind_int64(s, 2, (int64_t)limit);
    db_bind_int64(s, 3, (int64_t)offset);
    return question_rows(svc, s, cb, ctx);
}

/* Reads the requested specialty of question id into spec. */
static int question_specialty(struct galen_service *svc, long long id,
                              char *spec, size_t cap)
{
    struct db_stmt *s;
    int rc = service_prep(svc,
                          "SELECT COALESCE(specialty,'') FROM "
                          "patient_questions WHERE id=?1",
                          &s);

    if (rc != GALEN_OK)
        return rc;
    db_bind_int64(s, 1, id);
    rc = db_step(s) == DB_ROW ? GALEN_OK : GALEN_ENOENT;
    if (rc == GALEN_OK)
        snprintf(spec, cap, "%s", service_col(s, 0));
    db_reset(s);
    return rc;
}

static int insert_reply(struct galen_service *svc, long long qid,
                        const struct galen_user *u, const char *body,
                        const char *iso, long long *id)
{
    struct db_stmt *s;
    int rc = service_prep(svc,
                          "INSERT INTO replies(question_id,user_id,specialty,"
                          "body,replied_at) VALUES (?1,?2,?3,?4,?5)",
                          &s);

    if (rc != GALEN_OK)
        return rc;
    db_bind_int64(s, 1, qid);
    db_bind_int64(s, 2, u->id);
    service_bind(s, 3, u->specialty);
    service_bind(s, 4, body);
    service_bind(s, 5, iso);
    rc = service_done(svc, s);
    if (rc == GALEN_OK && id)
        rc = service_last_id(svc, id);
    if (rc != GALEN_OK)
        return rc;
    rc = service_prep(svc,
                      "UPDATE patient_questions SET status='answered',"
                      "specialty=?2 WHERE id=?1",
                      &s);
    if (rc != GALEN_OK)
        return rc;
    db_bind_int64(s, 1, qid);
    service_bind(s, 2, u->specialty);
    return service_done(svc, s);
}

int service_reply_add(struct galen_service *svc, long long question_id,
                      const struct galen_user *u, const char *body,
                      long long now, long long *id)
{
    char spec[GALEN_SPECIALTY_MAX];
    char iso[SERVICE_ISO_LEN];
    int rc;

    if (u->role != GALEN_ROLE_SPECIALIST || !u->specialty[0])
        return service_fail(svc, GALEN_EPERM, "only specialists reply");
    rc = question_specialty(svc, question_id, spec, sizeof spec);
    if (rc == GALEN_ENOENT)
        return service_fail(svc, rc, "no such question");
    if (rc != GALEN_OK)
        return rc;
    if (spec[0] && strcmp(spec, u->specialty) != 0)
        return service_fail(svc, GALEN_EPERM,
                            "this question asks for another specialty");
    rc = check_text(svc, body, GALEN_TEXT_MAX, "reply");
    if (rc != GALEN_OK)
        return rc;
    service_iso(now, iso);
    rc = store_begin(service_store(svc));
    if (rc != GALEN_OK)
        return rc;
    rc = insert_reply(svc, question_id, u, body, iso, id);
    if (rc == GALEN_OK)
        rc = store_commit(service_store(svc));
    if (rc != GALEN_OK)
        store_rollback(service_store(svc));
    return rc;
}

/* ---- comments ---------------------------------------------------------- */

static int doc_exists(struct galen_service *svc, const char *doc_id)
{
    struct db_stmt *s;
    int rc = service_prep(svc, "SELECT 1 FROM documents WHERE id=?1", &s);

    if (rc != GALEN_OK)
        return rc;
    service_bind(s, 1, doc_id);
    rc = db_step(s) == DB_ROW ? GALEN_OK : GALEN_ENOENT;
    db_reset(s);
    return rc;
}

int service_comment_add(struct galen_service *svc, const char *doc_id,
                        const char *author, const char *body, long long user_id,
                        long long now, long long *id)
{
    char iso[SERVICE_ISO_LEN];
    struct db_stmt *s;
    int rc = check_text(svc, body, GALEN_TEXT_MAX, "comment");

    if (rc == GALEN_OK && has_content(author))
        rc = check_text(svc, author, GALEN_NAME_MAX - 1, "name");
    if (rc != GALEN_OK)
        return rc;
    rc = doc_exists(svc, doc_id);
    if (rc != GALEN_OK)
        return rc == GALEN_ENOENT ? service_fail(svc, rc, "no such document")
                                  : rc;
    rc = service_prep(svc,
                      "INSERT INTO comments(doc_id,user_id,author,body,"
                      "created_at,status) VALUES (?1,?2,?3,?4,?5,'pending')",
                      &s);
    if (rc != GALEN_OK)
        return rc;
    service_iso(now, iso);
    service_bind(s, 1, doc_id);
    if (user_id > 0)
        db_bind_int64(s, 2, user_id);
    service_bind(s, 3, has_content(author) ? author : "Anonymous");
    service_bind(s, 4, body);
    service_bind(s, 5, iso);
    rc = service_done(svc, s);
    if (rc == GALEN_OK && id)
        rc = service_last_id(svc, id);
    return rc;
}

static const char *const comment_status_names[] = {"pending", "approved",
                                                   "rejected"};

int service_comments(struct galen_service *svc, const char *doc_id,
                     enum galen_comment_status status,
                     int (*cb)(void *ctx, const struct galen_comment *c),
                     void *ctx)
{
    struct db_stmt *s;
    int step = DB_DONE;
    int rc = service_prep(
        svc,
        "SELECT id,doc_id,author,body,created_at FROM "
        "comments WHERE (CAST(?1 AS TEXT) IS NULL OR doc_id=?1) AND "
        "status=?2 ORDER BY id",
        &s);

    if (rc != GALEN_OK)
        return rc;
    if ((unsigned)status > GALEN_COMMENT_REJECTED)
        return GALEN_EINVAL;
    service_bind(s, 1, doc_id);
    service_bind(s, 2, comment_status_names[status]);
    while (rc == GALEN_OK && (step = db_step(s)) == DB_ROW) {
        struct galen_comment c = {db_col_int64(s, 0),
                                  service_col(s, 1),
                                  service_col(s, 2),
                                  service_col(s, 3),
                                  status,
                                  service_col(s, 4)};

        rc = cb(ctx, &c);
    }
    if (rc == GALEN_OK && step != DB_DONE)
        rc = service_db_error(svc);
    db_reset(s);
    return rc;
}

int service_comment_moderate(struct galen_service *svc, long long id,
                             bool approve)
{
    struct db_stmt *s;
    int rc = service_prep(svc,
                          "UPDATE comments SET status=?2 WHERE id=?1 AND "
                          "status='pending'",
                          &s);

    if (rc != GALEN_OK)
        return rc;
    db_bind_int64(s, 1, id);
    service_bind(s, 2, approve ? "approved" : "rejected");
    rc = service_done(svc, s);
    if (rc != GALEN_OK || service_changes(svc) > 0)
        return rc;
    rc = service_prep(svc, "SELECT 1 FROM comments WHERE id=?1", &s);
    if (rc != GALEN_OK)
        return rc;
    db_bind_int64(s, 1, id);
    rc = db_step(s) == DB_ROW ? GALEN_ESTATE : GALEN_ENOENT;
    db_reset(s);
    return service_fail(svc, rc,
                        rc == GALEN_ESTATE ? "the comment was already moderated"
                                           : "no such comment");
}

/* ---- similar questions and topics -------------------------------------- */

enum { WORDS_MAX = 64, WORD_LEN = 24, SIMILAR_POOL = 500, SIMILAR_MAX = 10 };

struct words {
    char w[WORDS_MAX][WORD_LEN];
    size_t n;
};

static bool is_stop(const char *w)
{
    static const char *const stop[] = {
        "about", "after", "also", "been",  "does",   "doctor", "from",
        "have",  "hello", "just", "like",  "more",   "much",   "some",
        "that",  "there", "they", "this",  "what",   "when",   "which",
        "with",  "would", "your", "could", "should", "thank",  "thanks",
        "very",  "will",  "into", NULL};
    size_t i;

    for (i = 0; stop[i]; i++) {
        if (strcmp(stop[i], w) == 0)
            return true;
    }
    return false;
}

/* Collects distinct lowercase ASCII words of 4+ letters, minus stop words;
 * a cheap stand-in for the analyzer, enough to rank a few hundred recent
 * questions. */
static void words_of(const char *s, struct words *out)
{
    char w[WORD_LEN];
    size_t n = 0;
    size_t i;

    out->n = 0;
    for (;; s++) {
        char c = *s;

        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            if (n + 1 < WORD_LEN)
                w[n++] = (char)(c | 0x20);
            continue;
        }
        w[n] = '\0';
        if (n >= 4 && !is_stop(w) && out->n < WORDS_MAX) {
            for (i = 0; i < out->n && strcmp(out->w[i], w) != 0; i++)
                ;
            if (i == out->n)
                memcpy(out->w[out->n++], w, n + 1);
        }
        n = 0;
        if (!c)
            break;
    }
}

static size_t overlap(const struct words *a, const struct words *b)
{
    size_t i;
    size_t j;
    size_t n = 0;

    for (i = 0; i < a->n; i++) {
        for (j = 0; j < b->n; j++) {
            if (strcmp(a->w[i], b->w[j]) == 0) {
                n++;
                break;
            }
        }
    }
    return n;
}

struct cand {
    long long id;
    size_t score;
};

/* Scores the pool of recent answered questions against want. */
static int score_pool(struct galen_service *svc, const struct words *want,
                      long long exclude, struct cand *top, size_t k,
                      size_t *ntop)
{
    struct db_stmt *s;
    struct words have;
    char text[GALEN_TITLE_MAX + 1024];
    int step;
    int rc = service_prep(svc,
                          "SELECT id,title,substr(body,1,1000) FROM "
                          "patient_questions WHERE status='answered' AND "
                          "public=1 AND id<>?1 ORDER BY id DESC LIMIT ?2",
                          &s);

    if (rc != GALEN_OK)
        return rc;
    db_bind_int64(s, 1, exclude);
    db_bind_int64(s, 2, SIMILAR_POOL);
    *ntop = 0;
    while ((step = db_step(s)) == DB_ROW) {
        struct cand c = {db_col_int64(s, 0), 0};
        size_t i;

        snprintf(text, sizeof text, "%s %s", service_col(s, 1),
                 service_col(s, 2));
        words_of(text, &have);
        c.score = overlap(want, &have);
        if (c.score == 0)
            continue;
        /* Insertion into the small sorted top-k (ties keep newer first). */
        for (i = *ntop; i > 0 && top[i - 1].score < c.score; i--)
            if (i < k)
                top[i] = top[i - 1];
        if (i < k) {
            top[i] = c;
            if (*ntop < k)
                (*ntop)++;
        }
    }
    db_reset(s);
    return step == DB_DONE ? GALEN_OK : service_db_error(svc);
}

int service_similar_questions(
    struct galen_service *svc, const char *text, long long exclude_id, size_t k,
    int (*cb)(void *ctx, const struct galen_question *q), void *ctx)
{
    struct words want;
    struct cand top[SIMILAR_MAX];
    size_t ntop = 0;
    size_t i;
    int rc;

    words_of(text ? text : "", &want);
    if (want.n == 0 || k == 0)
        return GALEN_OK;
    rc = score_pool(svc, &want, exclude_id, top, MIN(k, SIMILAR_MAX), &ntop);
    for (i = 0; rc == GALEN_OK && i < ntop; i++) {
        struct galen_question *q = NULL;

        rc = service_question_get(svc, top[i].id, &q);
        if (rc == GALEN_OK)
            rc = cb(ctx, q);
        service_question_free(q);
    }
    return rc;
}

int service_topics(struct galen_service *svc, const char *specialty,
                   size_t limit,
                   int (*cb)(void *ctx, const char *topic,
                             const char *specialty, long long ndocs),
                   void *ctx)
{
    /* The one query whose dialects differ: each walks a JSON array. */
    static const char *const sql[] = {
        "SELECT j.value, d.specialty, count(*) AS n FROM "
        "documents d, json_each(d.focus) j WHERE "
        "d.specialty IS NOT NULL AND d.specialty<>'' AND "
        "(CAST(?1 AS TEXT) IS NULL OR d.specialty=?1) AND "
        "j.type='text' GROUP BY j.value, d.specialty "
        "ORDER BY n DESC, j.value LIMIT ?2",
        "SELECT j.value #>> '{}' AS v, d.specialty, count(*) AS n FROM "
        "documents d, json_array_elements(d.focus::json) AS j(value) WHERE "
        "d.specialty IS NOT NULL AND d.specialty<>'' AND "
        "(CAST(?1 AS TEXT) IS NULL OR d.specialty=?1) AND "
        "json_typeof(j.value)='string' GROUP BY v, d.specialty "
        "ORDER BY n DESC, v LIMIT ?2"};
    struct db_stmt *s;
    int step = DB_DONE;
    int rc = service_prep(
        svc, sql[store_kind(service_store(svc)) == DB_PG ? 1 : 0], &s);

    if (rc != GALEN_OK)
        return rc;
    service_bind(s, 1, specialty);
    db_bind_int64(s, 2, (int64_t)limit);
    while (rc == GALEN_OK && (step = db_step(s)) == DB_ROW)
        rc = cb(ctx, service_col(s, 0), service_col(s, 1), db_col_int64(s, 2));
    if (rc == GALEN_OK && step != DB_DONE)
        rc = service_db_error(svc);
    db_reset(s);
    return rc;
}
