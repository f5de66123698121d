/* SPDX-License-Identifier: MIT */
/* service.h: lib/service's own names for the functions galen/service.h
 * exports (lib/api forwards to them). The web service's data access on top of
 * the content store: users and sessions, patient questions and replies,
 * comments and their moderation, and the editorial review queue. Every query is
 * a prepared statement (store_stmt). A service owns one store connection and,
 * like the store, is not thread-safe: the server keeps a pool with one service
 * per worker thread. Times passed in are Unix seconds; times read back are
 * the store's ISO 8601 UTC strings ("2025-03-21T10:00:00Z"). */
#ifndef GALEN_SERVICE_SERVICE_H
#define GALEN_SERVICE_SERVICE_H

#include <stdbool.h>
#include <stddef.h>

#include <galen/service.h>

#include "auth.h"
#include "base/common.h"

struct galen_service;
struct galen_store;

/* Opens the store at store_path (creating and migrating it as galen_store_open
 * does) and wraps it. Caller closes with service_close. */
GALEN_NODISCARD int service_open(const char *store_path,
                                 struct galen_service **out);
void service_close(struct galen_service *svc);

/* The underlying store, borrowed. */
struct galen_store *service_store(struct galen_service *svc);

/* Last error message (the store's). Borrowed. */
const char *service_errmsg(struct galen_service *svc);

/* ---- users and sessions ------------------------------------------------ */

/* True if name is 2..63 bytes of [A-Za-z0-9._-]. */
bool service_user_name_ok(const char *name);

/* Adds a user with an Argon2id hash of password. A specialist needs a
 * specialty; other roles must not have one. GALEN_EINVAL for a bad name,
 * password, role or specialty, GALEN_EEXIST if the name is taken. *id may
 * be NULL. */
GALEN_NODISCARD int service_user_add(struct galen_service *svc,
                                     const char *name, const char *password,
                                     enum galen_role role,
                                     const char *specialty, long long now,
                                     long long *id);

/* Checks name and password. GALEN_OK and *out filled, or GALEN_EPERM for
 * any failure (unknown name, wrong password, disabled account); the time
 * taken does not say which. */
GALEN_NODISCARD int service_user_login(struct galen_service *svc,
                                       const char *name, const char *password,
                                       struct galen_user *out);

/* The secret called name, len (<= 64) bytes, shared by every process on
 * the store: created at random by the first caller, read by the others.
 * GALEN_OK, GALEN_ECORRUPT (stored with another length), GALEN_EDB. */
GALEN_NODISCARD int service_secret(struct galen_service *svc, const char *name,
                                   unsigned char *out, size_t len);

/* Sets user id's password (an Argon2id hash of it) and ends their
 * sessions. GALEN_EINVAL for a bad password, GALEN_ENOENT for no user. */
GALEN_NODISCARD int service_user_set_password(struct galen_service *svc,
                                              long long id,
                                              const char *password);

/* Deletes user id and their sessions. GALEN_ENOENT for no user,
 * GALEN_EINVAL when their replies or questions still name them (disable
 * the account instead). */
GALEN_NODISCARD int service_user_delete(struct galen_service *svc,
                                        long long id);

/* Enables or disables a user; disabling also ends their sessions.
 * GALEN_ENOENT if there is no such user. */
GALEN_NODISCARD int service_user_set_disabled(struct galen_service *svc,
                                              long long id, bool disabled);

/* Calls cb for each user, by name. A non-zero return stops the walk and is
 * returned. */
GALEN_NODISCARD int
service_users(struct galen_service *svc,
              int (*cb)(void *ctx, const struct galen_user *u), void *ctx);

/* Starts a session for user_id lasting ttl seconds and writes its token
 * (the only copy of it; the store keeps its hash) to token. */
GALEN_NODISCARD int service_session_new(struct galen_service *svc,
                                        long long user_id, long long now,
                                        long ttl,
                                        char token[GALEN_TOKEN_LEN + 1]);

/* Looks a session token up. GALEN_OK with the user, or GALEN_ENOENT if the
 * token is unknown, expired, or its user disabled. */
GALEN_NODISCARD int service_session_get(struct galen_service *svc,
                                        const char *token, long long now,
                                        struct galen_user *out);

/* Ends the session with token (no error if there is none). */
GALEN_NODISCARD int service_session_end(struct galen_service *svc,
                                        const char *token);

/* ---- account.c: passwords, reset links, the account audit trail --------- */

/* Changes user id's password after checking current, and ends every
 * session of theirs but keep_token's (NULL: all). GALEN_EPERM if current
 * is wrong, GALEN_EINVAL for an unfit new password, GALEN_ENOENT for no
 * (enabled) user. Audited as "password_changed". */
GALEN_NODISCARD int account_change_password(struct galen_service *svc,
                                            long long id, const char *current,
                                            const char *password,
                                            const char *keep_token,
                                            long long now);

/* Issues a one-time link to reset user id's password, valid ttl seconds,
 * replacing their earlier unused ones; writes its token (the only copy).
 * actor is the admin (NULL: the command line). GALEN_ENOENT for no
 * (enabled) user. Audited as "reset_issued". */
GALEN_NODISCARD int account_reset_issue(struct galen_service *svc, long long id,
                                        const struct galen_user *actor,
                                        long long now, long ttl,
                                        char token[GALEN_TOKEN_LEN + 1]);

/* GALEN_OK and the user's name if token is a live reset link, else
 * GALEN_ENOENT. */
GALEN_NODISCARD int account_reset_check(struct galen_service *svc,
                                        const char *token, long long now,
                                        char name[GALEN_NAME_MAX]);

/* Sets a new password with a reset link, uses the link up and ends every
 * session of the user. GALEN_ENOENT if the link is unknown, used or
 * expired; GALEN_EINVAL for an unfit password (the link stays usable).
 * Audited as "password_reset". */
GALEN_NODISCARD int account_reset_use(struct galen_service *svc,
                                      const char *token, const char *password,
                                      long long now);

/* Calls cb with the account audit trail, newest first: user's events, or
 * everyone's when user is NULL; at most limit (0: 100). */
GALEN_NODISCARD int
account_events(struct galen_service *svc, const char *user, size_t limit,
               int (*cb)(void *ctx, const struct galen_account_event *e),
               void *ctx);

/* ---- patient questions and replies ------------------------------------- */

/* Validates and stores a question. GALEN_EINVAL with a reason in
 * service_errmsg for an empty or oversized title or body, invalid text or
 * an unknown age band, sex or specialty. */
GALEN_NODISCARD int service_question_add(struct galen_service *svc,
                                         const struct galen_question_in *in,
                                         long long *id);

/* Who may read a question (docs/api.md, "Privacy"): editors and admins;
 * specialists when it asks for their specialty or none; its registered
 * asker; whoever holds its secret link (link may be NULL); and everyone once
 * it is answered, if its asker agreed to publication. */
bool service_question_visible(const struct galen_question *q,
                              const struct galen_user *u, const char *link);

/* Whether u sees the asker's user name (staff and the asker). */
bool service_question_shows_asker(const struct galen_question *q,
                                  const struct galen_user *u);

/* Loads question id with its replies, oldest first. GALEN_ENOENT. Caller
 * frees with service_question_free. Callers check
 * service_question_visible before showing it. */
GALEN_NODISCARD int service_question_get(struct galen_service *svc,
                                         long long id,
                                         struct galen_question **out);
void service_question_free(struct galen_question *q);

/* Calls cb for questions, newest first: the published answered ones when
 * answered is true, else the whole unanswered queue (editors). Replies are
 * not loaded. */
GALEN_NODISCARD int service_questions(
    struct galen_service *svc, bool answered, size_t limit, size_t offset,
    int (*cb)(void *ctx, const struct galen_question *q), void *ctx);

/* Calls cb for the unanswered questions a specialist in specialty may
 * reply to (that specialty or none), newest first. */
GALEN_NODISCARD int
service_questions_queue(struct galen_service *svc, const char *specialty,
                        size_t limit, size_t offset,
                        int (*cb)(void *ctx, const struct galen_question *q),
                        void *ctx);

/* Adds a reply by the specialist u. GALEN_EPERM if the question asked for
 * another specialty than u's, GALEN_EINVAL for empty or invalid text,
 * GALEN_ENOENT if there is no such question. The question becomes
 * answered, in u's specialty. */
GALEN_NODISCARD int service_reply_add(struct galen_service *svc,
                                      long long question_id,
                                      const struct galen_user *u,
                                      const char *body, long long now,
                                      long long *id);

/* Calls cb with up to k published answered questions (replies loaded)
 * most like text by shared words, best first, leaving out exclude_id. Questions
 * sharing no word are not returned. Looks at the 500 most recent answered
 * questions: the answer engine's index covers the published archive. */
GALEN_NODISCARD int service_similar_questions(
    struct galen_service *svc, const char *text, long long exclude_id, size_t k,
    int (*cb)(void *ctx, const struct galen_question *q), void *ctx);

/* Calls cb with FAQ topics (documents' focus terms) and the specialty that
 * tags them, most documents first; specialty NULL for every specialty. */
GALEN_NODISCARD int
service_topics(struct galen_service *svc, const char *specialty, size_t limit,
               int (*cb)(void *ctx, const char *topic, const char *specialty,
                         long long ndocs),
               void *ctx);

/* ---- comments ---------------------------------------------------------- */

/* Holds a comment on doc_id for moderation. author may be NULL or empty
 * ("Anonymous"). GALEN_EINVAL for empty or invalid text, GALEN_ENOENT if
 * the document does not exist. */
GALEN_NODISCARD int service_comment_add(struct galen_service *svc,
                                        const char *doc_id, const char *author,
                                        const char *body, long long user_id,
                                        long long now, long long *id);

/* Calls cb for the comments of doc_id (NULL: of every document) in the
 * given status, oldest first. */
GALEN_NODISCARD int
service_comments(struct galen_service *svc, const char *doc_id,
                 enum galen_comment_status status,
                 int (*cb)(void *ctx, const struct galen_comment *c),
                 void *ctx);

/* Approves or rejects a pending comment. GALEN_ENOENT, or GALEN_ESTATE if
 * it was already moderated. */
GALEN_NODISCARD int service_comment_moderate(struct galen_service *svc,
                                             long long id, bool approve);

/* ---- editorial review -------------------------------------------------- */

/* Calls cb for documents in status (a doc_status name; NULL for all),
 * optionally of one kind (NULL for any), by title, at most limit. */
GALEN_NODISCARD int
service_docs(struct galen_service *svc, const char *status, const char *kind,
             size_t limit, size_t offset,
             int (*cb)(void *ctx, const struct galen_doc_row *r), void *ctx);

/* Fills *out for doc_id. GALEN_ENOENT if there is no such document. */
GALEN_NODISCARD int service_doc_info(struct galen_service *svc,
                                     const char *doc_id,
                                     struct galen_doc_info *out);

/* Counts of documents per status, indexed by enum doc_status. */
GALEN_NODISCARD int service_doc_counts(struct galen_service *svc,
                                       long long out[GALEN_DOC_STATUS_COUNT]);

/* Four-eyes review, the default: an approval must come from an editor
 * other than whoever submitted the document for this round of review and
 * whoever started the review. allow = true lifts that (a one-editor
 * site; `galen serve --self-review`). */
void service_set_self_review(struct galen_service *svc, bool allow);
bool service_self_review(const struct galen_service *svc);

/* Applies a review action to doc_id: "start" (submitted to under_review),
 * "approve" or "reject" (under_review to approved/rejected), "resubmit"
 * (rejected or approved back to submitted). A reject needs a note. An
 * approval breaking four-eyes review is GALEN_EPERM.
 * GALEN_ESTATE for an action that is not legal from the current status,
 * GALEN_EINVAL for an unknown action or a missing note, GALEN_ENOENT. */
GALEN_NODISCARD int service_review(struct galen_service *svc,
                                   const char *doc_id, const char *action,
                                   const struct galen_user *who,
                                   const char *note);

/* galen_review_sources and galen_review_source (galen/service.h). */
GALEN_NODISCARD int
service_review_sources(struct galen_service *svc,
                       int (*cb)(void *ctx, const struct galen_source_queue *q),
                       void *ctx);
GALEN_NODISCARD int service_review_source(struct galen_service *svc,
                                          const char *source,
                                          const char *action,
                                          const struct galen_user *who,
                                          const char *note, long long expect,
                                          struct galen_review_bulk *out);

/* ---- versions and diffs ------------------------------------------------ */

/* Calls cb for each earlier version of doc_id kept by the store, oldest
 * first (the current version is not among them). */
GALEN_NODISCARD int
service_doc_versions(struct galen_service *svc, const char *doc_id,
                     int (*cb)(void *ctx, long long version, const char *status,
                               const char *created_at),
                     void *ctx);

/* Writes a readable text of one version of doc_id for diffing: the title,
 * then each section as "## heading" and its paragraphs, one per line.
 * version 0 means the current one. GALEN_ENOENT if there is no such
 * version. Caller frees *out with galen_free. */
GALEN_NODISCARD int service_doc_text(struct galen_service *svc,
                                     const char *doc_id, long long version,
                                     char **out);

/* Line diff of a and b (longest common subsequence). Calls cb with op ' '
 * (in both), '-' (only in a) or '+' (only in b) for each line, in order.
 * Texts of more than GALEN_DIFF_MAX_LINES lines are shown as a whole
 * removal and addition. A non-zero return from cb stops the walk and is
 * returned; else GALEN_OK or GALEN_ENOMEM. */
GALEN_NODISCARD int service_diff(const char *a, const char *b,
                                 int (*cb)(void *ctx, char op, const char *line,
                                           size_t len),
                                 void *ctx);

#endif
