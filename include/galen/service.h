/* SPDX-License-Identifier: MIT */
/* galen/service.h: the health-information service on top of the content
 * store, for the web server and embedders: roles and tokens, users and
 * sessions, patient questions and specialist replies, comments and their
 * moderation, the editorial review queue, versions and diffs, and reading
 * documents (galen/doc.h). Every query is a prepared statement. A service
 * owns one store connection and, like the store, is not thread-safe: the
 * server keeps a pool with one service per worker thread. Times passed in
 * are Unix seconds; times read back are the store's ISO 8601 UTC strings
 * ("2025-03-21T10:00:00Z").
 *
 * Errors are enum galen_err codes (galen/error.h); galen_service_errmsg()
 * says more. A function that fails leaves *out NULL. */
#ifndef GALEN_PUBLIC_SERVICE_H
#define GALEN_PUBLIC_SERVICE_H

#include <stdbool.h>
#include <stddef.h>

#include <galen/common.h>
#include <galen/doc.h>

GALEN_BEGIN_DECLS

struct galen_service;

/* ---- roles, permissions, tokens ---------------------------------------- */

enum galen_role {
    GALEN_ROLE_ANON,       /* not logged in: an anonymous patient */
    GALEN_ROLE_PATIENT,    /* a registered patient */
    GALEN_ROLE_SPECIALIST, /* replies to patient questions in a specialty */
    GALEN_ROLE_EDITOR,     /* editor/reviewer: review and moderation */
    GALEN_ROLE_ADMIN,      /* manages users */
    GALEN_ROLE_COUNT
};

enum galen_perm {
    GALEN_PERM_READ,            /* public pages, ask, search, articles */
    GALEN_PERM_QUESTION_SUBMIT, /* submit a patient question */
    GALEN_PERM_COMMENT,         /* post a comment (held for moderation) */
    GALEN_PERM_ACCOUNT,         /* a logged-in user's own session */
    GALEN_PERM_QUESTION_QUEUE,  /* see unanswered questions */
    GALEN_PERM_REPLY,           /* reply to a question in one's specialty */
    GALEN_PERM_REVIEW,          /* dashboard, review actions, diffs, audit */
    GALEN_PERM_MODERATE,        /* approve or reject comments */
    GALEN_PERM_USERS,           /* list, add and disable users */
    GALEN_PERM_COUNT
};

enum {
    GALEN_PASSWORD_MIN = 8,   /* bytes */
    GALEN_PASSWORD_MAX = 128, /* bytes; bounds the work a request can ask */
    GALEN_TOKEN_LEN = 43      /* base64url of 32 random bytes, no padding */
};

/* True if role may exercise perm. Out-of-range values are refused. */
GALEN_API bool galen_role_can(enum galen_role role, enum galen_perm perm);

/* Static lowercase name ("specialist") or "unknown". */
GALEN_API const char *galen_role_name(enum galen_role role);

/* Parses a role name (not "anon"). GALEN_OK or GALEN_EINVAL. */
GALEN_API GALEN_NODISCARD int galen_role_parse(const char *name,
                                               enum galen_role *out);

/* Initialises libsodium (password hashing, tokens). Call once before
 * anything below; thread-safe and idempotent. GALEN_OK or GALEN_EINVAL if
 * libsodium cannot start. */
GALEN_API GALEN_NODISCARD int galen_auth_init(void);

/* Writes a fresh random token (base64url, NUL-terminated) into out. */
GALEN_API void galen_token_new(char out[GALEN_TOKEN_LEN + 1]);

/* True if token has the shape galen_token_new produces. */
GALEN_API bool galen_token_ok(const char *token);

/* A server-wide CSRF key. Tokens are a keyed hash of the session token, so
 * a CSRF token is valid only with the cookie it was issued for. */
struct galen_csrf_key {
    unsigned char k[32];
};

/* Fills key with random bytes. */
GALEN_API void galen_csrf_key_init(struct galen_csrf_key *key);

/* Writes the CSRF token for session_token into out (base64url). */
GALEN_API void galen_csrf_token(const struct galen_csrf_key *key,
                                const char *session_token,
                                char out[GALEN_TOKEN_LEN + 1]);

/* True if given is the CSRF token of session_token. Constant-time. NULL or
 * empty arguments are refused. */
GALEN_API bool galen_csrf_check(const struct galen_csrf_key *key,
                                const char *session_token, const char *given);

/* Writes a Set-Cookie value "name=value; Path=/; HttpOnly;
 * SameSite=Strict; Max-Age=N" (plus "; Secure" if secure) into out.
 * max_age 0 deletes the cookie. GALEN_ETOOBIG if it does not fit. */
GALEN_API GALEN_NODISCARD int galen_cookie(char *out, size_t cap,
                                           const char *name, const char *value,
                                           long max_age, bool secure);

/* As galen_cookie, with path as the cookie's Path (an application mounted
 * under a prefix, "/galen"). GALEN_EINVAL for a path that does not start
 * with '/' or holds ';', ',' or a blank. */
GALEN_API GALEN_NODISCARD int
galen_cookie_path(char *out, size_t cap, const char *name, const char *value,
                  const char *path, long max_age, bool secure);

/* Finds cookie name in a Cookie header and copies its value into out.
 * GALEN_OK, GALEN_ENOENT if absent, GALEN_ETOOBIG if longer than cap-1. */
GALEN_API GALEN_NODISCARD int
galen_cookie_get(const char *header, const char *name, char *out, size_t cap);

/* ---- the service handle ------------------------------------------------- */

enum {
    GALEN_NAME_MAX = 64,      /* bytes of a user name, NUL included */
    GALEN_SPECIALTY_MAX = 64, /* bytes of a specialty, NUL included */
    GALEN_TITLE_MAX = 200,    /* bytes of a question title */
    GALEN_TEXT_MAX = 8000,    /* bytes of a question, reply or comment */
    GALEN_NOTE_MAX = 2000     /* bytes of a review or moderation note */
};

/* Opens the store at store_path (creating and migrating it as
 * galen_store_open does) and wraps it. On failure *out is NULL and
 * galen_service_errmsg(NULL) says why. Caller closes with
 * galen_service_close. */
GALEN_API GALEN_NODISCARD int galen_service_open(const char *store_path,
                                                 struct galen_service **out);
GALEN_API void galen_service_close(struct galen_service *svc);

/* The message of the last failed call on svc, or of the last failed
 * galen_service_open on this thread when svc is NULL. Borrowed; "" if
 * none. */
GALEN_API const char *galen_service_errmsg(const struct galen_service *svc);

/* ---- users and sessions ------------------------------------------------ */

struct galen_user {
    long long id;
    char name[GALEN_NAME_MAX];
    enum galen_role role;
    char specialty[GALEN_SPECIALTY_MAX]; /* "" unless a specialist */
    bool disabled;
};

/* True if name is 2..63 bytes of [A-Za-z0-9._-]. */
GALEN_API bool galen_user_name_ok(const char *name);

/* Adds a user with an Argon2id hash of password. A specialist needs a
 * specialty; other roles must not have one. GALEN_EINVAL for a bad name,
 * password, role or specialty, GALEN_EEXIST if the name is taken. *id may
 * be NULL. */
GALEN_API GALEN_NODISCARD int
galen_user_add(struct galen_service *svc, const char *name,
               const char *password, enum galen_role role,
               const char *specialty, long long now, long long *id);

/* Checks name and password. GALEN_OK and *out filled, or GALEN_EPERM for
 * any failure (unknown name, wrong password, disabled account); the time
 * taken does not say which. */
GALEN_API GALEN_NODISCARD int galen_user_login(struct galen_service *svc,
                                               const char *name,
                                               const char *password,
                                               struct galen_user *out);

/* Enables or disables a user; disabling also ends their sessions.
 * GALEN_ENOENT if there is no such user. */
GALEN_API GALEN_NODISCARD int
galen_user_set_disabled(struct galen_service *svc, long long id, bool disabled);

/* Sets user id's password (an Argon2id hash of it) and ends their
 * sessions. GALEN_EINVAL for a bad password, GALEN_ENOENT for no user. */
GALEN_API GALEN_NODISCARD int galen_user_set_password(struct galen_service *svc,
                                                      long long id,
                                                      const char *password);

/* Deletes user id and their sessions. GALEN_ENOENT for no user,
 * GALEN_EINVAL when their replies or questions still name them (disable
 * the account instead). */
GALEN_API GALEN_NODISCARD int galen_user_delete(struct galen_service *svc,
                                                long long id);

/* The secret called name, len (<= 64) bytes, shared by every process on
 * the store (the CSRF key): created at random by the first caller, read by
 * the others. GALEN_OK, GALEN_ECORRUPT, GALEN_EDB. */
GALEN_API GALEN_NODISCARD int galen_service_secret(struct galen_service *svc,
                                                   const char *name,
                                                   unsigned char *out,
                                                   size_t len);

/* Calls cb for each user, by name. A non-zero return stops the walk and is
 * returned. */
GALEN_API GALEN_NODISCARD int
galen_users(struct galen_service *svc,
            int (*cb)(void *ctx, const struct galen_user *u), void *ctx);

/* Starts a session for user_id lasting ttl seconds and writes its token
 * (the only copy of it; the store keeps its hash) to token. */
GALEN_API GALEN_NODISCARD int
galen_session_new(struct galen_service *svc, long long user_id, long long now,
                  long ttl, char token[GALEN_TOKEN_LEN + 1]);

/* Looks a session token up. GALEN_OK with the user, or GALEN_ENOENT if the
 * token is unknown, expired, or its user disabled. */
GALEN_API GALEN_NODISCARD int galen_session_get(struct galen_service *svc,
                                                const char *token,
                                                long long now,
                                                struct galen_user *out);

/* Ends the session with token (no error if there is none). */
GALEN_API GALEN_NODISCARD int galen_session_end(struct galen_service *svc,
                                                const char *token);

/* ---- passwords and reset links ------------------------------------------ */

enum { GALEN_RESET_TTL = 3600 }; /* seconds a reset link lasts by default */

/* One entry of the account audit trail; strings borrowed for the
 * callback's duration. */
struct galen_account_event {
    const char *at;    /* ISO 8601 UTC */
    const char *user;  /* whose account */
    const char *actor; /* who did it; NULL: the command line */
    const char *event; /* "password_changed", "reset_issued",
                          "password_reset" */
};

/* A user changes their own password: checks current, sets password, and
 * ends every session of theirs except keep_token's (the one they are
 * using; NULL ends all). GALEN_EPERM if current is wrong, GALEN_EINVAL for
 * an unfit new password (8 to 128 bytes), GALEN_ENOENT for no enabled
 * user id. Recorded in the audit trail. */
GALEN_API GALEN_NODISCARD int
galen_user_change_password(struct galen_service *svc, long long id,
                           const char *current, const char *password,
                           const char *keep_token, long long now);

/* An admin (actor; NULL for the command line) issues a one-time link to
 * reset user id's password, valid ttl seconds (GALEN_RESET_TTL), which
 * replaces the user's earlier unused links. token receives its secret, the
 * only copy: the store keeps its hash. GALEN_ENOENT for no enabled user,
 * GALEN_EINVAL for ttl <= 0. Recorded in the audit trail. */
GALEN_API GALEN_NODISCARD int
galen_reset_issue(struct galen_service *svc, long long id,
                  const struct galen_user *actor, long long now, long ttl,
                  char token[GALEN_TOKEN_LEN + 1]);

/* GALEN_OK, with the user's name in name, if token is a reset link that is
 * unused and unexpired; GALEN_ENOENT otherwise. */
GALEN_API GALEN_NODISCARD int galen_reset_check(struct galen_service *svc,
                                                const char *token,
                                                long long now,
                                                char name[GALEN_NAME_MAX]);

/* Sets a new password with a reset link: the link is used up (a second
 * use, even racing from another process, gets GALEN_ENOENT) and every
 * session of the user ends. GALEN_ENOENT for an unknown, used or expired
 * link; GALEN_EINVAL for an unfit password, which leaves the link usable.
 * Recorded in the audit trail. */
GALEN_API GALEN_NODISCARD int galen_reset_use(struct galen_service *svc,
                                              const char *token,
                                              const char *password,
                                              long long now);

/* Calls cb with the account audit trail, newest first: the events of user
 * (NULL: of everyone), at most limit (0: 100). A non-zero return stops the
 * walk and is returned. */
GALEN_API GALEN_NODISCARD int
galen_account_events(struct galen_service *svc, const char *user, size_t limit,
                     int (*cb)(void *ctx, const struct galen_account_event *e),
                     void *ctx);

/* ---- patient questions and replies ------------------------------------- */

struct galen_reply {
    long long id;
    long long user_id;
    char *author;    /* the specialist's name ("" if the account is gone) */
    char *specialty; /* the specialty they replied in */
    char *body;
    char *replied_at;
};

/* A question and its replies; every string is owned and never NULL. */
struct galen_question {
    long long id;
    char *title;
    char *body;
    char *age_band;  /* "40-49", or "" */
    char *sex;       /* "female", "male", "other" or "" */
    char *specialty; /* requested or answering specialty, "" if none */
    char *asked_at;
    bool answered;
    long long user_id; /* 0 for an anonymous patient */
    char *asker;       /* the registered asker's user name, or "" */
    bool publish;      /* the asker agreed to publication once answered */
    char *link_hash;   /* hash of the asker's secret link, or "" */
    struct galen_reply *replies;
    size_t nreplies;
};

/* What a patient submits. Strings are borrowed. */
struct galen_question_in {
    const char *title;
    const char *body;
    const char *age_band;  /* NULL or one of galen_age_bands */
    const char *sex;       /* NULL or one of galen_sexes */
    const char *specialty; /* NULL or one of galen_specialties */
    long long user_id;     /* 0 when anonymous */
    long long now;
    bool publish; /* the asker agrees to publication once answered */
    char *link;   /* out, optional: GALEN_TOKEN_LEN + 1 bytes receive the
                     secret that lets the asker read the question */
};

/* NULL-terminated lists of the accepted values (static). */
GALEN_API extern const char *const galen_age_bands[];
GALEN_API extern const char *const galen_sexes[];
GALEN_API extern const char *const galen_specialties[];

/* Validates and stores a question. GALEN_EINVAL with a reason in
 * galen_service_errmsg for an empty or oversized title or body, invalid text or
 * an unknown age band, sex or specialty. */
GALEN_API GALEN_NODISCARD int
galen_question_add(struct galen_service *svc,
                   const struct galen_question_in *in, long long *id);

/* Who may read a question (docs/api.md, "Privacy"): editors and admins;
 * specialists when it asks for their specialty or none; its registered
 * asker; whoever holds its secret link (link may be NULL); and everyone
 * once it is answered, if its asker agreed to publication. */
GALEN_API bool galen_question_visible(const struct galen_question *q,
                                      const struct galen_user *u,
                                      const char *link);

/* Whether u sees the asker's user name (staff and the asker). */
GALEN_API bool galen_question_shows_asker(const struct galen_question *q,
                                          const struct galen_user *u);

/* Loads question id with its replies, oldest first. GALEN_ENOENT. Caller
 * frees with galen_question_free. Callers check galen_question_visible
 * before showing it. */
GALEN_API GALEN_NODISCARD int galen_question_get(struct galen_service *svc,
                                                 long long id,
                                                 struct galen_question **out);
GALEN_API void galen_question_free(struct galen_question *q);

/* Calls cb for questions, newest first: the published answered ones when
 * answered is true, else the whole unanswered queue (editors). Replies are
 * not loaded. */
GALEN_API GALEN_NODISCARD int galen_questions(
    struct galen_service *svc, bool answered, size_t limit, size_t offset,
    int (*cb)(void *ctx, const struct galen_question *q), void *ctx);

/* Calls cb for the unanswered questions a specialist in specialty may
 * reply to (that specialty or none), newest first. */
GALEN_API GALEN_NODISCARD int
galen_questions_queue(struct galen_service *svc, const char *specialty,
                      size_t limit, size_t offset,
                      int (*cb)(void *ctx, const struct galen_question *q),
                      void *ctx);

/* Adds a reply by the specialist u. GALEN_EPERM if the question asked for
 * another specialty than u's, GALEN_EINVAL for empty or invalid text,
 * GALEN_ENOENT if there is no such question. The question becomes
 * answered, in u's specialty. */
GALEN_API GALEN_NODISCARD int galen_reply_add(struct galen_service *svc,
                                              long long question_id,
                                              const struct galen_user *u,
                                              const char *body, long long now,
                                              long long *id);

/* Calls cb with up to k published answered questions (replies loaded) most
 * like text
 * by shared words, best first, leaving out exclude_id. Questions sharing
 * no word are not returned. Looks at the 500 most recent answered
 * questions: the answer engine's index covers the published archive. */
GALEN_API GALEN_NODISCARD int galen_similar_questions(
    struct galen_service *svc, const char *text, long long exclude_id, size_t k,
    int (*cb)(void *ctx, const struct galen_question *q), void *ctx);

/* Calls cb with FAQ topics (documents' focus terms) and the specialty that
 * tags them, most documents first; specialty NULL for every specialty. */
GALEN_API GALEN_NODISCARD int
galen_topics(struct galen_service *svc, const char *specialty, size_t limit,
             int (*cb)(void *ctx, const char *topic, const char *specialty,
                       long long ndocs),
             void *ctx);

/* ---- comments ---------------------------------------------------------- */

enum galen_comment_status {
    GALEN_COMMENT_PENDING,
    GALEN_COMMENT_APPROVED,
    GALEN_COMMENT_REJECTED
};

struct galen_comment {
    long long id;
    const char *doc_id; /* borrowed for the callback */
    const char *author;
    const char *body;
    enum galen_comment_status status;
    const char *created_at;
};

/* Holds a comment on doc_id for moderation. author may be NULL or empty
 * ("Anonymous"). GALEN_EINVAL for empty or invalid text, GALEN_ENOENT if
 * the document does not exist. */
GALEN_API GALEN_NODISCARD int
galen_comment_add(struct galen_service *svc, const char *doc_id,
                  const char *author, const char *body, long long user_id,
                  long long now, long long *id);

/* Calls cb for the comments of doc_id (NULL: of every document) in the
 * given status, oldest first. */
GALEN_API GALEN_NODISCARD int
galen_comments(struct galen_service *svc, const char *doc_id,
               enum galen_comment_status status,
               int (*cb)(void *ctx, const struct galen_comment *c), void *ctx);

/* Approves or rejects a pending comment. GALEN_ENOENT, or GALEN_ESTATE if
 * it was already moderated. */
GALEN_API GALEN_NODISCARD int
galen_comment_moderate(struct galen_service *svc, long long id, bool approve);

/* ---- editorial review -------------------------------------------------- */

struct galen_doc_row {
    const char *id; /* borrowed for the callback */
    const char *title;
    const char *kind;
    const char *status;
    const char *updated; /* ISO 8601 of the last status change or edit */
    long long version;
};

/* Calls cb for documents in status (a doc_status name; NULL for all),
 * optionally of one kind (NULL for any), by title, at most limit. */
GALEN_API GALEN_NODISCARD int
galen_docs(struct galen_service *svc, const char *status, const char *kind,
           size_t limit, size_t offset,
           int (*cb)(void *ctx, const struct galen_doc_row *r), void *ctx);

/* The review state of one document. */
struct galen_doc_info {
    char status[16];     /* doc_status name */
    char updated_at[32]; /* ISO 8601 of the last change */
    long long version;
};

/* Fills *out for doc_id. GALEN_ENOENT if there is no such document. */
GALEN_API GALEN_NODISCARD int galen_doc_info(struct galen_service *svc,
                                             const char *doc_id,
                                             struct galen_doc_info *out);

/* Counts of documents per status, indexed by enum galen_doc_status. */
GALEN_API GALEN_NODISCARD int
galen_doc_counts(struct galen_service *svc,
                 long long out[GALEN_DOC_STATUS_COUNT]);

/* Four-eyes review, the default: an approval must come from an editor
 * other than whoever submitted the document for this round of review and
 * whoever started the review. allow = true lifts that (a one-editor site;
 * `galen serve --self-review`). */
GALEN_API void galen_service_set_self_review(struct galen_service *svc,
                                             bool allow);

/* Applies a review action to doc_id: "start" (submitted to under_review),
 * "approve" or "reject" (under_review to approved/rejected), "resubmit"
 * (rejected or approved back to submitted). A reject needs a note. An
 * approval breaking four-eyes review is GALEN_EPERM. GALEN_ESTATE for an action
 * that is not legal from the current status, GALEN_EINVAL for an unknown action
 * or a missing note, GALEN_ENOENT. */
GALEN_API GALEN_NODISCARD int
galen_review(struct galen_service *svc, const char *doc_id, const char *action,
             const struct galen_user *who, const char *note);

/* The review queue of one source (a document's publisher: "MedlinePlus",
 * "galen editorial team"); borrowed for the callback. */
struct galen_source_queue {
    const char *source;
    long long submitted;    /* waiting for a review to start */
    long long under_review; /* waiting for a decision */
};

/* Calls cb for each source with documents pending review (submitted or
 * under review), by source. A non-zero return from cb stops the walk. */
GALEN_API GALEN_NODISCARD int
galen_review_sources(struct galen_service *svc,
                     int (*cb)(void *ctx, const struct galen_source_queue *q),
                     void *ctx);

/* What a bulk review did. Documents of the source not pending review
 * (approved, rejected) are not counted. */
struct galen_review_bulk {
    long long done;      /* documents moved, one review event each */
    long long not_ready; /* pending but not in a status the action takes:
                            approve takes only documents under review */
    long long own;       /* approve: left for another editor by four-eyes
                            review (who submitted or started their review) */
};

/* Applies action "start" or "approve" to every document of source that is
 * pending review, each as galen_review would (the same rules and one audit
 * event each), in one transaction; the documents it cannot act on are
 * counted in *out, not failed. expect >= 0 is the number of the source's
 * documents the action applies to (under review for approve, submitted for
 * start) as the editor saw it: GALEN_ESTATE, and nothing done, when the
 * queue has changed since. GALEN_EPERM when who may not review,
 * GALEN_EINVAL for another action or too long a note. */
GALEN_API GALEN_NODISCARD int
galen_review_source(struct galen_service *svc, const char *source,
                    const char *action, const struct galen_user *who,
                    const char *note, long long expect,
                    struct galen_review_bulk *out);

/* Reads the current version of doc_id as a read-only view (galen/doc.h).
 * GALEN_ENOENT if there is no such document; *out is NULL on failure.
 * Caller frees *out with galen_doc_free. */
GALEN_API GALEN_NODISCARD int galen_doc_get(struct galen_service *svc,
                                            const char *doc_id,
                                            const struct galen_doc **out);

/* One entry of a document's review audit trail; borrowed for the
 * callback. */
struct galen_doc_event {
    long long id;
    long long version;
    const char *from; /* NULL when the document was created */
    const char *to;
    const char *who;
    const char *at; /* ISO 8601 UTC */
    const char *note;
};

/* Calls cb for each review event of doc_id, oldest first. A non-zero
 * return from cb stops the walk and is returned. */
GALEN_API GALEN_NODISCARD int
galen_doc_history(struct galen_service *svc, const char *doc_id,
                  int (*cb)(void *ctx, const struct galen_doc_event *ev),
                  void *ctx);

/* ---- versions and diffs ------------------------------------------------ */

/* Calls cb for each earlier version of doc_id kept by the store, oldest
 * first (the current version is not among them). */
GALEN_API GALEN_NODISCARD int
galen_doc_versions(struct galen_service *svc, const char *doc_id,
                   int (*cb)(void *ctx, long long version, const char *status,
                             const char *created_at),
                   void *ctx);

/* Writes a readable text of one version of doc_id for diffing: the title,
 * then each section as "## heading" and its paragraphs, one per line.
 * version 0 means the current one. GALEN_ENOENT if there is no such
 * version. Caller frees *out with galen_free_string. */
GALEN_API GALEN_NODISCARD int galen_doc_text(struct galen_service *svc,
                                             const char *doc_id,
                                             long long version, char **out);

/* Line diff of a and b (longest common subsequence). Calls cb with op ' '
 * (in both), '-' (only in a) or '+' (only in b) for each line, in order.
 * Texts of more than GALEN_DIFF_MAX_LINES lines are shown as a whole
 * removal and addition. A non-zero return from cb stops the walk and is
 * returned; else GALEN_OK or GALEN_ENOMEM. */
enum { GALEN_DIFF_MAX_LINES = 2000 };

GALEN_API GALEN_NODISCARD int
galen_diff(const char *a, const char *b,
           int (*cb)(void *ctx, char op, const char *line, size_t len),
           void *ctx);

GALEN_END_DECLS

#endif
