/* SPDX-License-Identifier: MIT */
/* store_test.h: runs the store's tests on both backends (included by one
 * test file each, so everything here is static). A test binary runs its
 * table on SQLite, then, when GALEN_TEST_PG holds a PostgreSQL URL
 * (tests/integration/store_pg.sh starts a private server and sets it),
 * again on PostgreSQL, each store in a fresh schema of its own. */
#ifndef GALEN_STORE_TEST_H
#define GALEN_STORE_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <galen/error.h>

#include "content/db.h"

/* The PostgreSQL URL while the table runs there, else NULL. */
static const char *test_pg;

/* Writes to out the target of a new, empty store: dir/name on SQLite; on
 * PostgreSQL the test URL with a schema made for it as search_path.
 * Aborts when that cannot be made: no test could run. */
static inline void test_store_target(const char *dir, const char *name,
                                     char *out, size_t cap)
{
    static unsigned seq;
    char schema[48], sql[96], err[256];
    struct db *db = NULL;

    if (!test_pg) {
        snprintf(out, cap, "%s/%s", dir, name);
        return;
    }
    snprintf(schema, sizeof schema, "t%ld_%u", (long)getpid(), seq++);
    snprintf(sql, sizeof sql, "CREATE SCHEMA %s", schema);
    if (db_open(test_pg, &db, err, sizeof err) != GALEN_OK ||
        db_exec(db, sql) != GALEN_OK) {
        fprintf(stderr, "cannot make schema %s: %s\n", schema,
                db ? db_errmsg(db) : err);
        abort();
    }
    db_close(db);
    if ((size_t)snprintf(out, cap, "%s%soptions=-csearch_path%%3D%s", test_pg,
                         strchr(test_pg, '?') ? "&" : "?", schema) >= cap)
        abort();
}

/* Runs tests (with group setup and teardown, which may be NULL) on SQLite
 * and then, if GALEN_TEST_PG is set, on PostgreSQL. The number of
 * failures. */
#define STORE_RUN_TESTS(tests, setup, teardown)                      \
    (cmocka_run_group_tests_name("sqlite", tests, setup, teardown) + \
     ((test_pg = getenv("GALEN_TEST_PG")) && *test_pg                \
          ? (printf("== the same tests on postgresql\n"),            \
             cmocka_run_group_tests_name("postgresql", tests, setup, \
                                         teardown))                  \
          : 0))

#endif
