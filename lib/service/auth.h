/* SPDX-License-Identifier: MIT */
/* auth.h: roles and the permission table, password hashing (Argon2id via
 * libsodium), session tokens and CSRF tokens. Invariants: a plaintext
 * session token never reaches the store (only its BLAKE2b hash does), every
 * secret comparison is constant-time, and the permission table is the one
 * place that says which role may do what. */
#ifndef GALEN_SERVICE_AUTH_H
#define GALEN_SERVICE_AUTH_H

#include <stdbool.h>
#include <stddef.h>

#include <galen/service.h>

#include "base/common.h"

/* True if role may exercise perm. Out-of-range values are refused. */
bool auth_role_can(enum galen_role role, enum galen_perm perm);

/* Static lowercase name ("specialist") or "unknown". */
const char *auth_role_name(enum galen_role role);

/* Parses a role name (not "anon"). GALEN_OK or GALEN_EINVAL. */
GALEN_NODISCARD int auth_role_parse(const char *name, enum galen_role *out);

/* Static name of perm ("reply"), for logs and error messages. */
const char *auth_perm_name(enum galen_perm perm);

/* Initialises libsodium. Call once before anything below; thread-safe and
 * idempotent. GALEN_OK or GALEN_EINVAL if libsodium cannot start. */
GALEN_NODISCARD int auth_init(void);

enum {
    AUTH_PWHASH_LEN = 128,   /* crypto_pwhash_STRBYTES, NUL included */
    AUTH_TOKEN_HASH_LEN = 64 /* hex of a 32-byte BLAKE2b digest */
};

/* Hashes pw with Argon2id at libsodium's interactive limits into out (a
 * self-describing string, NUL-terminated). GALEN_EINVAL if pw's length is
 * outside [GALEN_PASSWORD_MIN, GALEN_PASSWORD_MAX], GALEN_ENOMEM if Argon2
 * cannot get its memory. */
GALEN_NODISCARD int auth_password_hash(const char *pw,
                                       char out[AUTH_PWHASH_LEN]);

/* Test hook: when fast is true, new hashes use libsodium's minimum cost
 * instead of the interactive limits, so fuzzers and tests that log in
 * thousands of times stay quick. Never set by the server. */
void auth_set_fast_hashing(bool fast);

/* True if pw matches stored (an auth_password_hash string). Takes as long
 * as a hash whether or not it matches. */
bool auth_password_verify(const char *stored, const char *pw);

/* Burns the time of one verification, so that a login for an unknown user
 * takes as long as one with a wrong password. */
void auth_password_dummy(const char *pw);

/* Writes a fresh random token (base64url, NUL-terminated) into out. */
void auth_token_new(char out[GALEN_TOKEN_LEN + 1]);

/* Writes the lowercase hex BLAKE2b-256 of token into out (NUL-terminated).
 * The store keeps only this. */
void auth_token_hash(const char *token, char out[AUTH_TOKEN_HASH_LEN + 1]);

/* True if token has the shape auth_token_new produces. */
bool auth_token_ok(const char *token);

/* Fills key with random bytes. */
void auth_csrf_key_init(struct galen_csrf_key *key);

/* Writes the CSRF token for session_token into out (base64url). */
void auth_csrf_token(const struct galen_csrf_key *key,
                     const char *session_token, char out[GALEN_TOKEN_LEN + 1]);

/* True if given is the CSRF token of session_token. Constant-time. NULL or
 * empty arguments are refused. */
bool auth_csrf_check(const struct galen_csrf_key *key,
                     const char *session_token, const char *given);

/* Constant-time equality of two NUL-terminated strings (the length is not
 * secret). */
bool auth_ct_equal(const char *a, const char *b);

/* Writes a Set-Cookie value "name=value; Path=PATH; HttpOnly;
 * SameSite=Strict; Max-Age=N" (plus "; Secure" if secure) into out.
 * max_age 0 deletes the cookie. GALEN_ETOOBIG if it does not fit,
 * GALEN_EINVAL for a path not starting with '/' or holding ';', ',' or a
 * blank. */
GALEN_NODISCARD int auth_cookie(char *out, size_t cap, const char *name,
                                const char *value, const char *path,
                                long max_age, bool secure);

/* Finds cookie name in a Cookie header and copies its value into out.
 * GALEN_OK, GALEN_ENOENT if absent, GALEN_ETOOBIG if longer than cap-1. */
GALEN_NODISCARD int auth_cookie_get(const char *header, const char *name,
                                    char *out, size_t cap);

#endif
