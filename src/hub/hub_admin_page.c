/* fopencookie (glibc, musl): the page's stream writes into a buffer the
 * page owns. */
#define _GNU_SOURCE
#include "hub/hub_admin_page.h"

#include <sodium.h>
#include <stdlib.h>
#include <stdio_ext.h>
#include <string.h>

#include "base/clock.h"

/* ---- a posted form ------------------------------------------------------------------ */

/* The console's forms are small: an activity with its translations has a
 * few dozen fields; a description is the longest value. */
#define FORM_FIELDS_MAX 200
#define FORM_NAME_MAX 64
#define FORM_VALUE_MAX (16u * 1024u)

struct form_field {
    char name[FORM_NAME_MAX + 1];
    char *value;
    size_t len;
};

struct admin_form {
    struct form_field fields[FORM_FIELDS_MAX];
    size_t count;
    bool bad;
};

struct admin_form *admin_form_new(void)
{
    return calloc(1, sizeof(struct admin_form));
}

void admin_form_mark_bad(struct admin_form *form)
{
    form->bad = true;
}

void admin_form_free(struct admin_form *form)
{
    if (!form)
        return;
    for (size_t i = 0; i < form->count; i++) {
        if (form->fields[i].value) {
            sodium_memzero(form->fields[i].value, form->fields[i].len);
            free(form->fields[i].value);
        }
    }
    free(form);
}

/* Appends a piece of field f's value. */
static bool append(struct admin_form *form, struct form_field *f, const char *data, size_t size)
{
    if (f->len + size > FORM_VALUE_MAX) {
        form->bad = true;
        return true;
    }
    /* Not realloc: it may leave a copy of a password behind. */
    char *more = malloc(f->len + size + 1);
    if (!more)
        return false;
    if (f->value) {
        memcpy(more, f->value, f->len);
        sodium_memzero(f->value, f->len);
        free(f->value);
    }
    memcpy(more + f->len, data, size);
    f->len += size;
    more[f->len] = '\0';
    f->value = more;
    return true;
}

bool admin_form_add(struct admin_form *form, const char *name, const char *data, size_t size,
                    uint64_t offset)
{
    /* MHD's post processor hands a multipart part without a name over
     * with a NULL name: no field, left out. */
    if (form->bad || !name)
        return true;
    if (strlen(name) > FORM_NAME_MAX) {
        form->bad = true;
        return true;
    }
    struct form_field *last = form->count ? &form->fields[form->count - 1] : NULL;
    if (offset > 0 && last && strcmp(last->name, name) == 0)
        return append(form, last, data, size);
    if (form->count == FORM_FIELDS_MAX) {
        form->bad = true;
        return true;
    }
    struct form_field *f = &form->fields[form->count++];
    memset(f, 0, sizeof *f);
    memcpy(f->name, name, strlen(name) + 1);
    /* An empty value is a value ("" for an emptied field). */
    f->value = calloc(1, 1);
    if (!f->value)
        return false;
    return append(form, f, data, size);
}

const char *admin_form_nth(const struct admin_form *form, const char *name, size_t i)
{
    if (!form)
        return NULL;
    for (size_t k = 0; k < form->count; k++)
        if (strcmp(form->fields[k].name, name) == 0 && i-- == 0)
            return form->fields[k].value;
    return NULL;
}

const char *admin_form_get(const struct admin_form *form, const char *name)
{
    return admin_form_nth(form, name, 0);
}

size_t admin_form_count(const struct admin_form *form, const char *name)
{
    size_t n = 0;
    for (size_t k = 0; form && k < form->count; k++)
        n += strcmp(form->fields[k].name, name) == 0;
    return n;
}

bool admin_form_bad(const struct admin_form *form)
{
    return form && form->bad;
}

/* ---- a request ------------------------------------------------------------------------ */

const char *admin_arg(const struct admin_ctx *cx, const char *name)
{
    return MHD_lookup_connection_value(cx->c, MHD_GET_ARGUMENT_KIND, name);
}

int64_t admin_now(const struct admin_ctx *cx)
{
    return clock_now_s(cx->opts->clock);
}

const struct sockaddr *admin_peer(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    return info ? info->client_addr : NULL;
}

/* ---- responses ------------------------------------------------------------------------ */

/* The headers every console answer carries. no_store is off only for
 * the login page. */
static void common_headers(struct MHD_Response *r, bool no_store)
{
    if (no_store)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self';"
                            " frame-ancestors 'none'; base-uri 'none'");
}

/* Queues body (malloc'd, taken) with a content type and up to two more
 * headers. */
enum MHD_Result admin_send_body(struct MHD_Connection *c, unsigned status, char *body,
                                size_t len, const char *type, bool no_store, const char *h1,
                                const char *v1, const char *h2, const char *v2)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, body ? body : (void *)"",
                                        body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    if (type)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    common_headers(r, no_store);
    if (h1)
        MHD_add_response_header(r, h1, v1);
    if (h2)
        MHD_add_response_header(r, h2, v2);
    enum MHD_Result rc = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return rc;
}

enum MHD_Result admin_redirect(struct MHD_Connection *c, const char *location,
                               const char *cookie)
{
    return admin_send_body(c, MHD_HTTP_SEE_OTHER, NULL, 0, NULL, true, MHD_HTTP_HEADER_LOCATION,
                     location, cookie ? MHD_HTTP_HEADER_SET_COOKIE : NULL, cookie);
}


/* The page stream's write: appends to o->buf, doubling it. A page of
 * 1.5 MiB (a coordinator's week) grew through open_memstream by a fresh
 * buffer, a copy and a memset at each step, a third of its time in page
 * faults (bench/bench_console.sh); realloc of a large block remaps it
 * instead. 0 = out of memory (fopencookie's error). */
static ssize_t out_write(void *cookie, const char *data, size_t n)
{
    struct admin_out *o = cookie;
    if (o->cap - o->len <= n) {
        size_t cap = o->cap ? o->cap : 16384;
        while (cap - o->len <= n) {
            if (cap > SIZE_MAX / 2)
                return 0;
            cap *= 2;
        }
        char *grown = realloc(o->buf, cap);
        if (!grown)
            return 0;
        o->buf = grown;
        o->cap = cap;
    }
    memcpy(o->buf + o->len, data, n);
    o->len += n;
    o->buf[o->len] = '\0';
    return (ssize_t)n;
}

static bool out_stream_open(struct admin_out *o)
{
    o->buf = NULL;
    o->len = o->cap = 0;
    o->f = fopencookie(o, "w", (cookie_io_functions_t){.write = out_write});
    /* The page's stream is this thread's alone: without stdio's lock per
     * call, a coordinator's week page of thousands of rows is a tenth
     * faster (bench/bench_console.sh). */
    if (o->f)
        __fsetlocking(o->f, FSETLOCKING_BYCALLER);
    return o->f != NULL;
}

bool admin_out_part(struct admin_out *part, const struct admin_out *page)
{
    *part = *page;
    return out_stream_open(part);
}

bool admin_out_close(struct admin_out *o)
{
    bool ok = fclose(o->f) == 0;
    o->f = NULL;
    return ok;
}

bool admin_out_open(struct admin_out *o, struct MHD_Connection *c)
{
    memset(o, 0, sizeof *o);
    bool chosen;
    o->lang = hub_html_lang_pick(MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "lang"),
                                 MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                             MHD_HTTP_HEADER_ACCEPT_LANGUAGE),
                                 &chosen);
    if (chosen) {
        snprintf(o->lang_query, sizeof o->lang_query, "?lang=%s", hub_html_lang_code(o->lang));
        snprintf(o->lang_param, sizeof o->lang_param, "&lang=%s", hub_html_lang_code(o->lang));
    }
    return out_stream_open(o);
}

const char *admin_msg(const struct admin_out *o, enum hub_msg m)
{
    return hub_html_msg(o->lang, m);
}

enum MHD_Result admin_out_send(struct admin_out *o, struct MHD_Connection *c, unsigned status,
                               bool no_store, const char *h, const char *v)
{
    if (fclose(o->f) != 0) {
        free(o->buf);
        return MHD_NO;
    }
    return admin_send_body(c, status, o->buf, o->len, "text/html; charset=utf-8", no_store, h, v,
                     NULL, NULL);
}

/* A short page saying one thing (404, 403, 500, 429). */
enum MHD_Result admin_simple_page(struct MHD_Connection *c, unsigned status, enum hub_msg m,
                                  const char *h, const char *v)
{
    struct admin_out o;
    if (!admin_out_open(&o, c))
        return MHD_NO;
    hub_html_begin(o.f, o.lang, admin_msg(&o, m), false, NULL, NULL, o.lang_query);
    fputs("<p>", o.f);
    hub_html_text(o.f, admin_msg(&o, m));
    fputs("</p>", o.f);
    hub_html_end(o.f);
    return admin_out_send(&o, c, status, true, h, v);
}

void admin_out_discard(struct admin_out *o)
{
    if (o->f)
        fclose(o->f);
    free(o->buf);
    memset(o, 0, sizeof *o);
}

/* ---- page parts ------------------------------------------------------------------------ */

void admin_page_begin(struct admin_out *o, const struct admin_ctx *cx, const char *title)
{
    hub_html_begin(o->f, o->lang, title, false, cx->session->username, cx->session->csrf,
                   o->lang_query);
}

void admin_csrf_field(struct admin_out *o, const struct admin_ctx *cx)
{
    fputs("<input type=\"hidden\" name=\"csrf\" value=\"", o->f);
    hub_html_text(o->f, cx->session->csrf);
    fputs("\">", o->f);
}

void admin_field(struct admin_out *o, const char *name, const char *label, const char *type,
                 const char *value, const char *error, const char *extra)
{
    FILE *f = o->f;
    fputs("<div class=\"field\"><label for=\"", f);
    hub_html_text(f, name);
    fputs("\">", f);
    hub_html_text(f, label);
    fputs("</label>", f);
    if (error) {
        /* Before the control, so that a screen reader meets it first and
         * sighted users see it beside the field it is about. */
        fputs("<p class=\"error\" id=\"", f);
        hub_html_text(f, name);
        fputs("-error\">", f);
        hub_html_text(f, error);
        fputs("</p>", f);
    }
    bool area = strcmp(type, "textarea") == 0;
    fputs(area ? "<textarea" : "<input type=\"", f);
    if (!area) {
        hub_html_text(f, type);
        fputs("\"", f);
    }
    fputs(" id=\"", f);
    hub_html_text(f, name);
    fputs("\" name=\"", f);
    hub_html_text(f, name);
    fputs("\"", f);
    if (error) {
        fputs(" aria-invalid=\"true\" aria-describedby=\"", f);
        hub_html_text(f, name);
        fputs("-error\"", f);
    }
    if (extra) {
        fputc(' ', f);
        fputs(extra, f);
    }
    if (area) {
        fputs(">", f);
        hub_html_text(f, value);
        fputs("</textarea></div>", f);
    } else {
        fputs(" value=\"", f);
        hub_html_text(f, value);
        fputs("\"></div>", f);
    }
}
