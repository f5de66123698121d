/* SPDX-License-Identifier: MIT */
/* sentmodel.c: loading and applying the sentence model (sentmodel.h). */
#include "sentmodel.h"

#include <math.h>
#include <string.h>

#include <galen/error.h>

#include "base/fileio.h"
#include "base/mem.h"
#include "base/str.h"

enum { MODEL_FILE_MAX = 1u << 16 };

const char *const sentmodel_names[SM_NFEATURES] = {
    "focus",   "rel",       "cue",  "heading", "doc",  "lead",
    "central", "anaphoric", "long", "context", "title"};

/* Before the model was fitted, a sentence scored 0.30 focus + 0.15
 * coverage + 0.30 cue + 0.10 heading + 0.15 document, times 0.85 when
 * anaphoric and 0.9 when long; only sentences naming the question were
 * candidates. */
const struct sentmodel sentmodel_default = {
    -2.0, {3.0, 1.5, 3.0, 1.0, 1.5, 0.0, 0.0, -0.5, -0.3, -4.0, 0.0}};

static int set_value(struct sentmodel *m, unsigned *seen, const char *name,
                     size_t nlen, double v, long line, struct diag *diag)
{
    size_t k;

    if (nlen == 4 && memcmp(name, "bias", 4) == 0) {
        if (*seen & 1u)
            return diag_set(diag, line, "bias given twice", GALEN_EPARSE);
        *seen |= 1u;
        m->bias = v;
        return GALEN_OK;
    }
    for (k = 0; k < SM_NFEATURES; k++) {
        if (strlen(sentmodel_names[k]) == nlen &&
            memcmp(sentmodel_names[k], name, nlen) == 0) {
            if (*seen & (2u << k))
                return diag_setf(diag, GALEN_EPARSE, line,
                                 "feature '%s' given twice",
                                 sentmodel_names[k]);
            *seen |= 2u << k;
            m->w[k] = v;
            return GALEN_OK;
        }
    }
    return diag_setf(diag, GALEN_EPARSE, line, "unknown feature '%.*s'",
                     (int)MIN(nlen, (size_t)64), name);
}

static int parse_line(struct sentmodel *m, unsigned *seen, struct str l,
                      long line, struct diag *diag)
{
    const char *tab = memchr(l.p, '\t', l.len);
    char num[64];
    size_t vlen;
    double v;

    if (!tab)
        return diag_set(diag, line, "expected NAME<TAB>WEIGHT", GALEN_EPARSE);
    vlen = l.len - (size_t)(tab + 1 - l.p);
    if (vlen == 0 || vlen >= sizeof num)
        return diag_set(diag, line, "bad weight", GALEN_EPARSE);
    memcpy(num, tab + 1, vlen);
    num[vlen] = '\0';
    if (str_to_double(num, &v) != GALEN_OK)
        return diag_setf(diag, GALEN_EPARSE, line, "bad weight '%s'", num);
    return set_value(m, seen, l.p, (size_t)(tab - l.p), v, line, diag);
}

int sentmodel_parse(const char *text, size_t len, struct sentmodel *out,
                    struct diag *diag)
{
    struct sentmodel m = {0};
    unsigned seen = 0;
    size_t pos = 0, k;
    long line = 0;
    struct str l;
    int rc;

    while (str_next_line(text, len, &pos, &l)) {
        line++;
        if (l.len == 0 || l.p[0] == '#')
            continue;
        rc = parse_line(&m, &seen, l, line, diag);
        if (rc != GALEN_OK)
            return rc;
    }
    if (!(seen & 1u))
        return diag_set(diag, line, "no bias", GALEN_EPARSE);
    for (k = 0; k < SM_NFEATURES; k++) {
        if (!(seen & (2u << k)))
            return diag_setf(diag, GALEN_EPARSE, line, "no weight for '%s'",
                             sentmodel_names[k]);
    }
    *out = m;
    return GALEN_OK;
}

int sentmodel_load(const char *path, struct sentmodel *out, struct diag *diag)
{
    unsigned char *data = NULL;
    size_t len = 0;
    int rc = fileio_read_all(path, MODEL_FILE_MAX, &data, &len);

    if (rc != GALEN_OK)
        return diag_set(diag, 0, "cannot read the answer model", rc);
    rc = sentmodel_parse((const char *)data, len, out, diag);
    galen_free(data);
    return rc;
}

double sentmodel_score(const struct sentmodel *m, const double *f)
{
    double z = m->bias;
    size_t k;

    for (k = 0; k < SM_NFEATURES; k++)
        z += m->w[k] * f[k];
    return 1.0 / (1.0 + exp(-z));
}
