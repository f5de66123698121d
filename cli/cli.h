/* SPDX-License-Identifier: MIT */
/* cli.h: what the galen subcommands share: exit codes, the data folder,
 * logging and the TTY progress bar. libgalen never prints; this does. */
#ifndef GALEN_CLI_H
#define GALEN_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "common.h"

/* Documented exit codes (README, galen --help). */
enum cli_exit {
    EXIT_OK = 0,       /* success */
    EXIT_USAGE = 1,    /* bad command line */
    EXIT_DATA = 2,     /* bad input: malformed file, corrupt index, bad query */
    EXIT_IO = 3,       /* cannot read or write a file or the store */
    EXIT_NOTFOUND = 4, /* the thing asked for does not exist */
    EXIT_INTERNAL = 5  /* out of memory or another internal failure */
};

/* Maps a galen_err code to the exit code above. */
int cli_exit_for(int galen_err);

/* Default data folder when neither -d nor $GALEN_DATA is given. */
#define CLI_DEFAULT_DATA "galen-data"

/* Returns opt if set, else $GALEN_DATA if set, else CLI_DEFAULT_DATA.
 * Borrowed string. */
const char *cli_data_dir(const char *opt);

/* What to call the store at path in messages: path itself, or "the
 * PostgreSQL store" for a URL, which may hold a password. */
const char *cli_store_label(const char *path);

/* Keeps the data folder private (it holds patient questions and password
 * hashes): clears the group and other permission bits of dir and of
 * everything under it, warning when it had to. A folder that does not
 * exist yet is fine (the umask of 077 set in main creates it private).
 * Returns 0, or -1 after logging an error when a permission cannot be
 * changed. */
int cli_private_dir(const char *dir);

/* Writes "<data>/<name>" into out; returns false if it does not fit. */
bool cli_path(char *out, size_t cap, const char *data, const char *name);

enum log_level {
    LOG_LEVEL_ERROR,
    LOG_LEVEL_WARN,
    LOG_LEVEL_INFO,
    LOG_LEVEL_DEBUG
};
extern enum log_level cli_log_level;
void cli_log(enum log_level level, const char *fmt, ...) GALEN_PRINTF(2, 3);

/* The level is checked before the arguments are evaluated (Redis). */
#define LOG_AT(lvl, ...)                 \
    do {                                 \
        if ((lvl) <= cli_log_level)      \
            cli_log((lvl), __VA_ARGS__); \
    } while (0)
#define LOG_ERROR(...) LOG_AT(LOG_LEVEL_ERROR, __VA_ARGS__)
#define LOG_WARN(...)  LOG_AT(LOG_LEVEL_WARN, __VA_ARGS__)
#define LOG_INFO(...)  LOG_AT(LOG_LEVEL_INFO, __VA_ARGS__)
#define LOG_DEBUG(...) LOG_AT(LOG_LEVEL_DEBUG, __VA_ARGS__)

/* Progress bar on stderr, drawn only when stderr is a TTY. total may be 0
 * when unknown (then a counter is shown). */
struct progress {
    const char *label;
    uint64_t total;
    uint64_t last_drawn;
    double started;
    bool is_tty;
};

void progress_init(struct progress *p, const char *label, uint64_t total);
void progress_update(struct progress *p, uint64_t done);
void progress_done(struct progress *p, uint64_t done);

/* ---- the command line ---------------------------------------------------
 * Every subcommand parses with cli_getopt: getopt_long with GNU argument
 * permutation, so options may come before or after the words of a question
 * (put -- before words that start with -). opterr is off: cli_getopt prints
 * its own message naming the option, and returns '?' for any problem. */
struct option;
int cli_getopt(int argc, char **argv, const char *shortopts,
               const struct option *longopts);

/* Prints "galen CMD: MESSAGE" and a pointer to CMD --help on stderr; CMD is
 * argv[0] of the subcommand. Returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) GALEN_PRINTF(2, 3);

/* Checks that the data folder exists and is a folder. Logs and returns
 * EXIT_NOTFOUND (or EXIT_IO) if not: only commands that create a data
 * folder (import, user add, restore) may start without one. */
int cli_need_data(const char *data);

/* After an index error rc: says how to fix a corrupt index (galen index
 * --rebuild) when rc is GALEN_ECORRUPT or GALEN_EVERSION. */
void cli_index_hint(int rc, const char *data);

/* Creates dir and its missing parents: 0, or -1 with errno set. */
int cli_make_dirs(const char *dir);

/* True when output to fd should be coloured: forced > 0 yes, forced == 0
 * no, forced < 0 when fd is a terminal and $NO_COLOR is unset or empty. */
bool cli_color(int fd, int forced);

/* Prints a cJSON value (consumed) on stdout as one line. EXIT_OK, or
 * EXIT_INTERNAL when out of memory. */
struct cJSON;
int cli_print_json(struct cJSON *v);

/* Joins argv[from..argc) with single spaces into out[0..cap). Returns 0,
 * or -1 when the words do not fit. */
int cli_join_args(int argc, char **argv, int from, char *out, size_t cap);

/* Monotonic clock in seconds. */
double cli_now(void);

/* Parses all of s as a finite number: 0, or -1 if it is not one. */
int cli_number(const char *s, double *out);

/* Parses all of s (as cli_number does) as a whole number in [min, max]:
 * 0, or -1 if it is not one. */
int cli_uint(const char *s, unsigned min, unsigned max, unsigned *out);

/* Parses "FIELD=VALUE" (BM25F weight, or b when !is_weight) into the
 * entry of fp[0..*n) named FIELD, adding one if needed. The name is
 * borrowed from arg, which is modified. 0, or -1 for bad syntax or too many
 * fields. */
struct galen_field_param;
int cli_field_param(char *arg, bool is_weight, struct galen_field_param *fp,
                    size_t *n);

/* Subcommands. argv[0] is the subcommand name. */
int cmd_index(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_ask(int argc, char **argv);
int cmd_similar(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_delete(int argc, char **argv);
int cmd_review(int argc, char **argv);

/* Where an installed galen keeps the files that ship in data/ and web/:
 * PREFIX/share/galen, compiled in by the Makefile. */
extern const char cli_share_dir[];

/* The safety files: galen does not answer without them. */
#define CLI_LEXICON  "lexicon.tsv"
#define CLI_REDFLAGS "redflags.txt"

/* Finds a file that ships with galen (lexicon.tsv, redflags.txt, web):
 * in the data folder (when data is not NULL), in $GALEN_SHARE, in the
 * source tree when the executable is build/MODE/galen, in cli_share_dir,
 * or in ../share/galen beside the executable. The first place that has
 * the name wins. Writes its path to out and returns GALEN_OK; GALEN_ENOENT
 * if no place has it; GALEN_EIO if the first one that has it cannot be read
 * (out then names it). If looked is not NULL, it gets the places tried. */
int cli_share_file(const char *data, const char *name, char *out, size_t cap,
                   char *looked, size_t looked_cap);

/* Finds a safety file: the given path (when not NULL) or the one
 * cli_share_file finds for name. A missing or unreadable file is an error
 * logged with its name and where galen looked. Returns a galen_err code. */
int cli_safety_file(const char *given, const char *data, const char *name,
                    char *out, size_t cap);

/* Opens the answer engine on data, with the given lexicon and red-flag
 * files or, when NULL, the ones cli_safety_file finds. Logs failures.
 * Returns a galen_err code. */
struct galen_answerer;
int cli_open_answerer(const char *data, const char *lexicon,
                      const char *redflags, struct galen_answerer **out);

/* `galen index` with no file: updates <data>/index from <data>/store.db,
 * or rebuilds it from scratch when rebuild is set or the index is missing
 * (cmd_import.c). Prints a summary unless quiet, as JSON when json.
 * Returns an exit code. */
int cli_index_store(const char *data, bool rebuild, bool quiet, bool json);

#endif
