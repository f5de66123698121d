/* SPDX-License-Identifier: MIT */
/* test_app.c: the web application will not open without its safety files:
 * a lexicon or red-flag rules file that is missing or unreadable makes
 * app_open fail and name it, even when there is no index yet (so no engine
 * would be opened), and it opens when both can be read. */
/* cmocka.h needs these headers first. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */
#include <string.h>

#include <galen/error.h>

#include "../../httpd/app.h"
#include "test_util.h"

/* app_open on a fresh data folder with the given safety files; returns its
 * code and leaves its message in errmsg. */
static int open_with(const char *lexicon, const char *redflags,
                     char errmsg[300])
{
    char dir[TMP_DIR_MAX];
    struct app_conf conf;
    struct app *app = NULL;
    int rc;

    tmp_dir(dir);
    memset(&conf, 0, sizeof conf);
    conf.data_dir = dir;
    conf.threads = 1;
    conf.web_dir = "web";
    conf.lexicon = lexicon;
    conf.redflags = redflags;
    rc = app_open(&conf, &app);
    memcpy(errmsg, conf.errmsg, sizeof conf.errmsg);
    app_close(app);
    assert_int_equal(tmp_rm(dir), 0);
    return rc;
}

static void missing_redflags_refused(void **state)
{
    char msg[300];

    (void)state;
    assert_int_not_equal(
        open_with("data/lexicon.tsv", "/nonexistent/redflags.txt", msg),
        GALEN_OK);
    assert_non_null(strstr(msg, "red-flag rules"));
    assert_non_null(strstr(msg, "/nonexistent/redflags.txt"));
}

static void missing_lexicon_refused(void **state)
{
    char msg[300];

    (void)state;
    assert_int_not_equal(
        open_with("/nonexistent/lexicon.tsv", "data/redflags.txt", msg),
        GALEN_OK);
    assert_non_null(strstr(msg, "lexicon"));
    assert_non_null(strstr(msg, "/nonexistent/lexicon.tsv"));
}

static void readable_files_open(void **state)
{
    char msg[300];

    (void)state;
    assert_int_equal(open_with("data/lexicon.tsv", "data/redflags.txt", msg),
                     GALEN_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(missing_redflags_refused),
        cmocka_unit_test(missing_lexicon_refused),
        cmocka_unit_test(readable_files_open),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
