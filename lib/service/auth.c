/* SPDX-License-Identifier: MIT */
/* auth.c: the role/permission table and libsodium-backed secrets. Session
 * tokens are 32 random bytes; the store sees only their BLAKE2b-256 hash, so
 * a leaked database does not hand out live sessions. CSRF tokens are a keyed
 * BLAKE2b of the session token under a per-server key. */
#include "auth.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include <galen/error.h>

#define P(x) (1u << GALEN_PERM_##x)

/* The one permission table. Each row is a role, each bit a permission. */
static const unsigned role_perms[GALEN_ROLE_COUNT] = {
    [GALEN_ROLE_ANON] = P(READ) | P(QUESTION_SUBMIT) | P(COMMENT),
    [GALEN_ROLE_PATIENT] =
        P(READ) | P(QUESTION_SUBMIT) | P(COMMENT) | P(ACCOUNT),
    [GALEN_ROLE_SPECIALIST] =
        P(READ) | P(COMMENT) | P(ACCOUNT) | P(QUESTION_QUEUE) | P(REPLY),
    [GALEN_ROLE_EDITOR] = P(READ) | P(COMMENT) | P(ACCOUNT) |
                          P(QUESTION_QUEUE) | P(REVIEW) | P(MODERATE),
    [GALEN_ROLE_ADMIN] = P(READ) | P(ACCOUNT) | P(USERS),
};

#undef P

static const char *const role_names[GALEN_ROLE_COUNT] = {
    "anon", "patient", "specialist", "editor", "admin"};

static const char *const perm_names[GALEN_PERM_COUNT] = {
    "read",  "question_submit", "comment",  "account", "question_queue",
    "reply", "review",          "moderate", "users"};

bool auth_role_can(enum galen_role role, enum galen_perm perm)
{
    if ((unsigned)role >= GALEN_ROLE_COUNT ||
        (unsigned)perm >= GALEN_PERM_COUNT)
        return false;
    return (role_perms[role] >> perm) & 1u;
}

const char *auth_role_name(enum galen_role role)
{
    if ((unsigned)role >= GALEN_ROLE_COUNT)
        return "unknown";
    return role_names[role];
}

int auth_role_parse(const char *name, enum galen_role *out)
{
    unsigned i;

    if (!name)
        return GALEN_EINVAL;
    if (strcmp(name, "reviewer") == 0) {
        *out = GALEN_ROLE_EDITOR;
        return GALEN_OK;
    }
    for (i = GALEN_ROLE_PATIENT; i < GALEN_ROLE_COUNT; i++) {
        if (strcmp(name, role_names[i]) == 0) {
            *out = (enum galen_role)i;
            return GALEN_OK;
        }
    }
    return GALEN_EINVAL;
}

const char *auth_perm_name(enum galen_perm perm)
{
    if ((unsigned)perm >= GALEN_PERM_COUNT)
        return "unknown";
    return perm_names[perm];
}

int auth_init(void)
{
    return sodium_init() < 0 ? GALEN_EINVAL : GALEN_OK;
}

static bool fast_hashing;

void auth_set_fast_hashing(bool fast)
{
    fast_hashing = fast;
}

static unsigned long long ops_limit(void)
{
    return fast_hashing ? crypto_pwhash_OPSLIMIT_MIN
                        : crypto_pwhash_OPSLIMIT_INTERACTIVE;
}

static size_t mem_limit(void)
{
    return fast_hashing ? crypto_pwhash_MEMLIMIT_MIN
                        : crypto_pwhash_MEMLIMIT_INTERACTIVE;
}

int auth_password_hash(const char *pw, char out[AUTH_PWHASH_LEN])
{
    size_t len = pw ? strlen(pw) : 0;
    char tmp[crypto_pwhash_STRBYTES];

    if (len < GALEN_PASSWORD_MIN || len > GALEN_PASSWORD_MAX)
        return GALEN_EINVAL;
    if (crypto_pwhash_str(tmp, pw, len, ops_limit(), mem_limit()) != 0)
        return GALEN_ENOMEM;
    memcpy(out, tmp, AUTH_PWHASH_LEN);
    return GALEN_OK;
}

bool auth_password_verify(const char *stored, const char *pw)
{
    size_t len = pw ? strlen(pw) : 0;

    if (!stored || len == 0 || len > GALEN_PASSWORD_MAX) {
        auth_password_dummy("timing");
        return false;
    }
    return crypto_pwhash_str_verify(stored, pw, len) == 0;
}

void auth_password_dummy(const char *pw)
{
    /* Deriving a key at the interactive limits costs what verifying a
     * stored hash costs, and needs no shared state. */
    static const unsigned char salt[crypto_pwhash_SALTBYTES];
    unsigned char key[32];
    size_t len = pw ? strlen(pw) : 0;

    if (len > GALEN_PASSWORD_MAX)
        len = GALEN_PASSWORD_MAX;
    if (crypto_pwhash(key, sizeof key, pw ? pw : "", len, salt, ops_limit(),
                      mem_limit(), crypto_pwhash_ALG_ARGON2ID13) != 0)
        return;
    sodium_memzero(key, sizeof key);
}

static void b64url(const unsigned char *bin, size_t n,
                   char out[GALEN_TOKEN_LEN + 1])
{
    sodium_bin2base64(out, GALEN_TOKEN_LEN + 1, bin, n,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void auth_token_new(char out[GALEN_TOKEN_LEN + 1])
{
    unsigned char raw[32];

    randombytes_buf(raw, sizeof raw);
    b64url(raw, sizeof raw, out);
    sodium_memzero(raw, sizeof raw);
}

void auth_token_hash(const char *token, char out[AUTH_TOKEN_HASH_LEN + 1])
{
    unsigned char h[32];

    crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token),
                       NULL, 0);
    sodium_bin2hex(out, AUTH_TOKEN_HASH_LEN + 1, h, sizeof h);
}

bool auth_token_ok(const char *token)
{
    size_t i;

    if (!token || strlen(token) != GALEN_TOKEN_LEN)
        return false;
    for (i = 0; i < GALEN_TOKEN_LEN; i++) {
        char c = token[i];

        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return false;
    }
    return true;
}

void auth_csrf_key_init(struct galen_csrf_key *key)
{
    randombytes_buf(key->k, sizeof key->k);
}

void auth_csrf_token(const struct galen_csrf_key *key,
                     const char *session_token, char out[GALEN_TOKEN_LEN + 1])
{
    unsigned char h[32];
    crypto_generichash_state st;
    static const char domain[] = "galen-csrf-v1";

    crypto_generichash_init(&st, key->k, sizeof key->k, sizeof h);
    crypto_generichash_update(&st, (const unsigned char *)domain,
                              sizeof domain);
    crypto_generichash_update(&st, (const unsigned char *)session_token,
                              strlen(session_token));
    crypto_generichash_final(&st, h, sizeof h);
    b64url(h, sizeof h, out);
}

bool auth_csrf_check(const struct galen_csrf_key *key,
                     const char *session_token, const char *given)
{
    char want[GALEN_TOKEN_LEN + 1];

    if (!session_token || !*session_token || !given || !*given)
        return false;
    auth_csrf_token(key, session_token, want);
    return auth_ct_equal(want, given);
}

bool auth_ct_equal(const char *a, const char *b)
{
    size_t la = strlen(a);

    if (la != strlen(b))
        return false;
    return la == 0 || sodium_memcmp(a, b, la) == 0;
}

int auth_cookie(char *out, size_t cap, const char *name, const char *value,
                const char *path, long max_age, bool secure)
{
    int n;

    if (!path || path[0] != '/' || strpbrk(path, ";, \t\r\n"))
        return GALEN_EINVAL;
    n = snprintf(out, cap,
                 "%s=%s; Path=%s; HttpOnly; SameSite=Strict; "
                 "Max-Age=%ld%s",
                 name, value, path, max_age, secure ? "; Secure" : "");

    if (n < 0 || (size_t)n >= cap)
        return GALEN_ETOOBIG;
    return GALEN_OK;
}

int auth_cookie_get(const char *header, const char *name, char *out, size_t cap)
{
    size_t nlen = strlen(name);
    const char *p = header;

    while (p && *p) {
        const char *end;
        size_t vlen;

        while (*p == ' ' || *p == ';' || *p == '\t')
            p++;
        end = strchr(p, ';');
        if (!end)
            end = p + strlen(p);
        if ((size_t)(end - p) > nlen && strncmp(p, name, nlen) == 0 &&
            p[nlen] == '=') {
            vlen = (size_t)(end - p) - nlen - 1;
            if (vlen >= cap)
                return GALEN_ETOOBIG;
            memcpy(out, p + nlen + 1, vlen);
            out[vlen] = '\0';
            return GALEN_OK;
        }
        p = end;
    }
    return GALEN_ENOENT;
}
