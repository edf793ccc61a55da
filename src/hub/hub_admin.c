#include "hub/hub_admin.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "base/log.h"
#include "hub/hub_admin_page.h"
#include "hub/hub_peer.h"
#include "hub/hub_session.h"
#include "hub/hub_staff.h"

#define TAG "hub-admin"

/* A form body larger than this is refused: the console's forms are small. */
#define FORM_MAX (64u * 1024u)

typedef enum MHD_Result (*admin_handler)(const struct admin_ctx *cx);

/* Every page but the login and logout, which need no session or end it:
 * what a GET and a POST of its path do (NULL: that method is not
 * allowed). */
static const struct route {
    const char *path;
    admin_handler get;
    admin_handler post;
} routes[] = {
    {"/admin", admin_week_page, NULL},
    {"/admin/", admin_week_page, NULL},
    {"/admin/list", admin_list_page, NULL},
    {"/admin/print", admin_print_page, NULL},
    {"/admin/list.csv", admin_csv_page, NULL},
    /* An occurrence's list: its actions, the kiosks, the audit log. */
    {"/admin/list/attend", NULL, admin_list_attend},
    {"/admin/list/cancel", NULL, admin_list_cancel},
    {"/admin/list/add", NULL, admin_list_add},
    {"/admin/kiosks", admin_kiosks_page, NULL},
    {"/admin/kiosks/enrol", NULL, admin_kiosks_enrol},
    {"/admin/kiosks/token", NULL, admin_kiosks_token},
    {"/admin/audit", admin_audit_page, NULL},
    /* The content forms (hub_admin_content.c). */
    {"/admin/activities", admin_activities_page, NULL},
    {"/admin/activities/new", admin_activity_new_page, admin_activity_new_page},
    {"/admin/activities/edit", admin_activity_edit_page, admin_activity_edit_page},
    {"/admin/activities/cancel", admin_activity_cancel_page, admin_activity_cancel_page},
    {"/admin/activities/cancel-date", NULL, admin_activity_cancel_date_page},
    {"/admin/services", admin_services_page, NULL},
    {"/admin/services/new", admin_service_new_page, admin_service_new_page},
    {"/admin/services/edit", admin_service_edit_page, admin_service_edit_page},
    {"/admin/services/remove", NULL, admin_service_remove_page},
    {"/admin/announcements", admin_announcements_page, NULL},
    {"/admin/announcements/new", admin_announcement_new_page, admin_announcement_new_page},
    {"/admin/announcements/edit", admin_announcement_edit_page, admin_announcement_edit_page},
    {"/admin/announcements/remove", NULL, admin_announcement_remove_page},
};

struct hub_admin_request {
    const struct route *route;      /* NULL: login, logout or unknown */
    bool login, logout;
    bool post;
    bool answered;                  /* refused from the headers alone */
    bool has_session;
    struct hub_session session;
    struct MHD_PostProcessor *pp;
    struct admin_form *form;        /* a POST's fields */
    size_t body_bytes;
};

bool hub_admin_owns(const char *url)
{
    return strcmp(url, "/admin") == 0 || strncmp(url, "/admin/", 7) == 0;
}

static const struct route *route_of(const char *url)
{
    for (size_t i = 0; i < sizeof routes / sizeof *routes; i++)
        if (strcmp(url, routes[i].path) == 0)
            return &routes[i];
    return NULL;
}

void hub_admin_request_free(struct hub_admin_request *rq)
{
    if (!rq)
        return;
    if (rq->pp)
        MHD_destroy_post_processor(rq->pp);
    admin_form_free(rq->form);
    hub_session_clear(&rq->session);
    free(rq);
}

/* ---- login and logout -------------------------------------------------------------- */

static enum MHD_Result login_page(struct MHD_Connection *c, unsigned status, enum hub_msg error,
                                  const char *h, const char *v)
{
    struct admin_out o;
    if (!admin_out_open(&o, c))
        return MHD_NO;
    hub_html_begin(o.f, o.lang, admin_msg(&o, MSG_LOGIN_TITLE), false, NULL, NULL, o.lang_query);
    fputs("<h1>", o.f);
    hub_html_text(o.f, admin_msg(&o, MSG_LOGIN_TITLE));
    fputs("</h1>", o.f);
    if (error != MSG_COUNT) {
        fputs("<p class=\"error\" id=\"login-error\" role=\"alert\">", o.f);
        hub_html_text(o.f, admin_msg(&o, error));
        fputs("</p>", o.f);
    }
    fprintf(o.f, "<form method=\"post\" action=\"/admin/login%s\">", o.lang_query);
    const char *described = error != MSG_COUNT ? " aria-describedby=\"login-error\"" : "";
    fprintf(o.f, "<label for=\"username\">%s</label>"
                 "<input id=\"username\" name=\"username\" type=\"text\" autocomplete=\"username\""
                 " autocapitalize=\"none\" spellcheck=\"false\" required maxlength=\"64\"%s>",
            admin_msg(&o, MSG_USERNAME), described);
    fprintf(o.f, "<label for=\"password\">%s</label>"
                 "<input id=\"password\" name=\"password\" type=\"password\""
                 " autocomplete=\"current-password\" required%s>",
            admin_msg(&o, MSG_PASSWORD), described);
    fprintf(o.f, "<div><button type=\"submit\">%s</button></div></form>", admin_msg(&o, MSG_LOG_IN));
    fprintf(o.f, "<p><a href=\"/admin/login?lang=%s\" lang=\"%s\">%s</a></p>",
            o.lang == HUB_LANG_NL ? "en" : "nl", o.lang == HUB_LANG_NL ? "en" : "nl",
            admin_msg(&o, MSG_OTHER_LANGUAGE));
    hub_html_end(o.f);
    /* The login page may be cached: it holds nothing of anyone. */
    return admin_out_send(&o, c, status, false, h, v);
}

static bool secure_cookie(const struct hub_admin_options *opts, struct MHD_Connection *c)
{
    if (opts->secure_cookies)
        return true;
    const char *proto = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-Proto");
    return proto && strcasecmp(proto, "https") == 0 && hub_peer_is_loopback(admin_peer(c));
}

static enum MHD_Result do_login(const struct hub_admin_options *opts, struct MHD_Connection *c,
                                struct hub_admin_request *rq)
{
    const char *username = admin_form_get(rq->form, "username");
    const char *password = admin_form_get(rq->form, "password");
    username = username ? username : "";
    password = password ? password : "";
    char address[HUB_ADDRESS_MAX];
    hub_peer_address(c, address);
    int64_t now = clock_now_s(opts->clock);
    struct hub_db *db = hub_pool_acquire(opts->pool);
    if (!db)
        return admin_simple_page(c, MHD_HTTP_SERVICE_UNAVAILABLE, MSG_ERROR, NULL, NULL);
    /* A username field longer than any username still counts, cut. */
    char counted[HUB_USERNAME_MAX + 1];
    snprintf(counted, sizeof counted, "%s", username);
    int64_t wait = hub_login_retry_after(db, counted, address, now);
    if (wait != 0) {
        hub_pool_release(opts->pool, db);
        if (wait < 0)
            return admin_simple_page(c, MHD_HTTP_INTERNAL_SERVER_ERROR, MSG_ERROR, NULL, NULL);
        char seconds[24];
        snprintf(seconds, sizeof seconds, "%" PRId64, wait);
        log_info(TAG, "login refused: too many failures (retry after %s s)", seconds);
        return login_page(c, MHD_HTTP_TOO_MANY_REQUESTS, MSG_LOGIN_LIMITED,
                          MHD_HTTP_HEADER_RETRY_AFTER, seconds);
    }
    bool valid = !admin_form_bad(rq->form) && hub_staff_username_valid(username);
    enum hub_staff_result r = valid ? hub_staff_verify(db, username, password) : HUB_STAFF_UNKNOWN;
    char token[HUB_SESSION_TOKEN_LEN + 1] = "";
    bool ok = r == HUB_STAFF_OK && hub_session_create(db, username, now, token);
    if (r == HUB_STAFF_UNKNOWN && !hub_login_failed(db, counted, address, now))
        r = HUB_STAFF_ERROR;
    hub_pool_release(opts->pool, db);
    if (r == HUB_STAFF_UNKNOWN) {
        /* Never the username: a password typed into its field would land
         * in the log. */
        log_info(TAG, "login failed");
        return login_page(c, MHD_HTTP_OK, MSG_LOGIN_FAILED, NULL, NULL);
    }
    if (!ok)
        return admin_simple_page(c, MHD_HTTP_INTERNAL_SERVER_ERROR, MSG_ERROR, NULL, NULL);
    char cookie[160];
    snprintf(cookie, sizeof cookie, "%s=%s; Path=/admin; HttpOnly; SameSite=Strict%s",
             HUB_SESSION_COOKIE, token, secure_cookie(opts, c) ? "; Secure" : "");
    sodium_memzero(token, sizeof token);
    log_info(TAG, "staff login");
    const char *lang = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "lang");
    enum MHD_Result rc = admin_redirect(c, lang && strcmp(lang, "en") == 0 ? "/admin/?lang=en"
                                                                      : "/admin/", cookie);
    sodium_memzero(cookie, sizeof cookie);
    return rc;
}

static enum MHD_Result do_logout(const struct hub_admin_options *opts, struct MHD_Connection *c)
{
    const char *token = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, HUB_SESSION_COOKIE);
    struct hub_db *db = hub_pool_acquire(opts->pool);
    bool ok = db && hub_session_end(db, token, clock_now_s(opts->clock));
    hub_pool_release(opts->pool, db);
    if (!ok)
        return admin_simple_page(c, MHD_HTTP_INTERNAL_SERVER_ERROR, MSG_ERROR, NULL, NULL);
    char cookie[160];
    snprintf(cookie, sizeof cookie, "%s=; Path=/admin; Max-Age=0; HttpOnly; SameSite=Strict%s",
             HUB_SESSION_COOKIE, secure_cookie(opts, c) ? "; Secure" : "");
    return admin_redirect(c, "/admin/login", cookie);
}

/* ---- dispatch -------------------------------------------------------------------------- */

static enum MHD_Result on_field(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *filename, const char *content_type,
                                const char *transfer_encoding, const char *data, uint64_t off,
                                size_t size)
{
    (void)kind, (void)filename, (void)content_type, (void)transfer_encoding;
    struct hub_admin_request *rq = cls;
    return admin_form_add(rq->form, key, data, size, off) ? MHD_YES : MHD_NO;
}

static bool is_method(const char *method, const char *want)
{
    return strcmp(method, want) == 0;
}

/* The first call: route, method, session; a POST without a session is
 * refused before its body is read. */
static enum MHD_Result on_headers(const struct hub_admin_options *opts, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  struct hub_admin_request *rq)
{
    rq->route = route_of(url);
    rq->login = strcmp(url, "/admin/login") == 0;
    rq->logout = strcmp(url, "/admin/logout") == 0;
    rq->post = is_method(method, MHD_HTTP_METHOD_POST);
    bool get = is_method(method, MHD_HTTP_METHOD_GET) || is_method(method, MHD_HTTP_METHOD_HEAD);
    if (!rq->post && !get) {
        rq->answered = true;
        return admin_send_body(c, MHD_HTTP_METHOD_NOT_ALLOWED, NULL, 0, NULL, true,
                               MHD_HTTP_HEADER_ALLOW, "GET, HEAD, POST", NULL, NULL);
    }
    if (!rq->login) {
        const char *token = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, HUB_SESSION_COOKIE);
        struct hub_db *db = hub_pool_acquire(opts->pool);
        enum hub_session_result r =
            db ? hub_session_lookup(db, token, clock_now_s(opts->clock),
                                    (int64_t)opts->session_idle_min * 60, &rq->session)
               : HUB_SESSION_ERROR;
        hub_pool_release(opts->pool, db);
        if (r == HUB_SESSION_ERROR) {
            rq->answered = true;
            return admin_simple_page(c, MHD_HTTP_SERVICE_UNAVAILABLE, MSG_ERROR, NULL, NULL);
        }
        rq->has_session = r == HUB_SESSION_OK;
        if (!rq->has_session && rq->post) {
            rq->answered = true;
            return admin_simple_page(c, MHD_HTTP_FORBIDDEN, MSG_FORBIDDEN, NULL, NULL);
        }
    }
    const char *length =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (rq->post && length && strtoull(length, NULL, 10) > FORM_MAX) {
        rq->answered = true;
        return admin_simple_page(c, MHD_HTTP_CONTENT_TOO_LARGE, MSG_ERROR, NULL, NULL);
    }
    if (rq->post) {
        rq->form = admin_form_new();
        if (!rq->form)
            return MHD_NO;
        /* NULL for a body that is not a form: its fields are then all
         * absent, so the CSRF check refuses it. */
        rq->pp = MHD_create_post_processor(c, 4096, on_field, rq);
    }
    return MHD_YES;
}

static enum MHD_Result on_complete(const struct hub_admin_options *opts,
                                   struct MHD_Connection *c, struct hub_admin_request *rq)
{
    if (rq->login)
        return rq->post ? do_login(opts, c, rq)
                        : login_page(c, MHD_HTTP_OK, MSG_COUNT, NULL, NULL);
    if (!rq->has_session)
        return admin_redirect(c, "/admin/login", NULL);
    /* The CSRF token before anything else. */
    if (rq->post && !hub_session_csrf_ok(&rq->session, admin_form_get(rq->form, "csrf")))
        return admin_simple_page(c, MHD_HTTP_FORBIDDEN, MSG_FORBIDDEN, NULL, NULL);
    if (rq->logout)
        return rq->post ? do_logout(opts, c)
                        : admin_send_body(c, MHD_HTTP_METHOD_NOT_ALLOWED, NULL, 0, NULL, true,
                                          MHD_HTTP_HEADER_ALLOW, "POST", NULL, NULL);
    if (!rq->route)
        return admin_simple_page(c, MHD_HTTP_NOT_FOUND, MSG_NOT_FOUND, NULL, NULL);
    admin_handler handler = rq->post ? rq->route->post : rq->route->get;
    if (!handler)
        return admin_send_body(c, MHD_HTTP_METHOD_NOT_ALLOWED, NULL, 0, NULL, true,
                               MHD_HTTP_HEADER_ALLOW, rq->route->get ? "GET, HEAD" : "POST",
                               NULL, NULL);
    if (rq->post && admin_form_bad(rq->form))
        return admin_simple_page(c, MHD_HTTP_CONTENT_TOO_LARGE, MSG_ERROR, NULL, NULL);
    struct admin_ctx cx = {opts, c, &rq->session, rq->post ? rq->form : NULL};
    return handler(&cx);
}

enum MHD_Result hub_admin_handle(const struct hub_admin_options *opts, struct MHD_Connection *c,
                                 const char *url, const char *method, const char *upload_data,
                                 size_t *upload_data_size, struct hub_admin_request **state)
{
    struct hub_admin_request *rq = *state;
    if (!rq) {
        rq = calloc(1, sizeof *rq);
        if (!rq)
            return MHD_NO;
        *state = rq;
        return on_headers(opts, c, url, method, rq);
    }
    if (rq->answered) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        rq->body_bytes += n;
        if (rq->body_bytes > FORM_MAX)
            return MHD_NO;
        if (rq->pp && MHD_post_process(rq->pp, upload_data, n) != MHD_YES)
            admin_form_mark_bad(rq->form);
        return MHD_YES;
    }
    return on_complete(opts, c, rq);
}
