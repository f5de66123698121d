/* SPDX-License-Identifier: MIT */
/* static.c: serves web/ (style.css, app.js) from memory. Files are loaded
 * once at startup by app_open, so a request never touches the disk and the
 * set of servable names is fixed: no path from a request reaches open(). */
#include <string.h>

#include "handlers.h"
#include "http.h"

void static_get(struct ctx *c)
{
    const struct web_file *f = NULL;
    size_t i;

    for (i = 0; i < c->app->nfiles; i++) {
        if (strcmp(c->app->files[i].name, c->slug) == 0)
            f = &c->app->files[i];
    }
    if (!f) {
        ctx_error(c, 404, "not_found", "no such file");
        return;
    }
    c->resp->content_type = f->mime;
    c->resp->cache = "public, max-age=3600";
    memcpy(c->resp->etag, f->etag, sizeof f->etag);
    if (c->req->if_none_match && strcmp(c->req->if_none_match, f->etag) == 0) {
        c->resp->status = 304;
        return;
    }
    c->resp->shared_body = f->data;
    c->resp->shared_len = f->len;
}
