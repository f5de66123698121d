/* SPDX-License-Identifier: MIT */
/* test_util.h: helpers the unit test binaries share (each binary includes
 * it once, so everything here is static): a seeded xorshift64 generator,
 * so a random test draws the same numbers on every run; temporary folders
 * that are removed with everything in them; and the shared data folder. */
#ifndef GALEN_TEST_UTIL_H
#define GALEN_TEST_UTIL_H

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The state of rng(). A test that draws numbers seeds it first. */
static uint64_t rng_state = 1;

/* Restarts rng() from seed; 0, which xorshift never leaves, becomes 1. */
static inline void rng_seed(uint64_t seed)
{
    rng_state = seed ? seed : 1;
}

static inline uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

enum { TMP_DIR_MAX = 64 };

/* Makes a fresh folder /tmp/galen-test-XXXXXX and writes its path to out.
 * Aborts if it cannot: no test can run without one. */
static inline void tmp_dir(char out[TMP_DIR_MAX])
{
    snprintf(out, TMP_DIR_MAX, "/tmp/galen-test-XXXXXX");
    if (!mkdtemp(out))
        abort();
}

/* Removes path and, if it is a folder, everything below it (links are
 * removed, not followed). 0, or -1 if something could not be removed. */
static inline int tmp_rm(const char *path)
{
    struct stat st;
    struct dirent *e;
    DIR *d;
    int rc = 0;

    if (lstat(path, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    d = opendir(path);
    if (!d)
        return -1;
    for (;;) {
        char sub[512];
        int n;

        e = readdir(d);
        if (!e)
            break;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        n = snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        if (n < 0 || (size_t)n >= sizeof sub || tmp_rm(sub) != 0)
            rc = -1;
    }
    closedir(d);
    return rmdir(path) == 0 ? rc : -1;
}

/* The shared data folder: $GALEN_SHARED, else ../shared. Borrowed. */
static inline const char *shared_dir(void)
{
    const char *env = getenv("GALEN_SHARED");

    return env && *env ? env : "../shared";
}

#endif
