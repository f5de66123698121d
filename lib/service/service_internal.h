/* SPDX-License-Identifier: MIT */
/* service_internal.h: helpers shared by service.c, service_qa.c and
 * service_review.c: statement access, binding, column reads, errors. */
#ifndef GALEN_SERVICE_INTERNAL_H
#define GALEN_SERVICE_INTERNAL_H

#include "content/db.h"
#include "service.h"

enum { SERVICE_ISO_LEN = 21 }; /* "2025-03-21T10:00:00Z" plus NUL */

/* Formats Unix time t as ISO 8601 UTC. */
void service_iso(long long t, char out[SERVICE_ISO_LEN]);

/* The cached statement for sql (store_stmt). */
GALEN_NODISCARD int service_prep(struct galen_service *svc, const char *sql,
                                 struct db_stmt **out);

/* Binds v as text (v must outlive the step) or NULL. */
void service_bind(struct db_stmt *s, int i, const char *v);

/* Column i as text; "" for NULL. Borrowed until the next step. */
const char *service_col(struct db_stmt *s, int i);

/* Steps a statement that returns no rows and resets it. GALEN_OK,
 * GALEN_EEXIST for a uniqueness violation, GALEN_EINVAL for another
 * constraint, else GALEN_EDB. */
GALEN_NODISCARD int service_done(struct galen_service *svc, struct db_stmt *s);

/* Records msg as the last error and returns code. */
int service_fail(struct galen_service *svc, int code, const char *msg);

/* Records the database's message and returns GALEN_EDB. */
int service_db_error(struct galen_service *svc);

/* The key of the last insert (GALEN_OK or GALEN_EDB; call only after an
 * insert succeeded), and rows changed by the last statement. */
GALEN_NODISCARD int service_last_id(struct galen_service *svc, long long *id);
int service_changes(struct galen_service *svc);

/* The entry of a NULL-terminated list equal to v ignoring case (static),
 * or NULL. */
const char *service_pick(const char *const *list, const char *v);

#endif
