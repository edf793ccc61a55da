/*
 * The staff console under /admin/ (hub-api-v1.md "The staff console"):
 * routing, the login and logout, the week page, an occurrence's sign-up
 * list, its print view and its CSV. Served by hub_http.c's daemon in the
 * same process, on the same database.
 *
 *   GET  /admin/login            the login form (username, password)
 *   POST /admin/login            303 to /admin/ with a new session cookie
 *   POST /admin/logout           ends the session (csrf)
 *   GET  /admin/                 today and the next 6 days, per occurrence
 *   GET  /admin/list?activity=ID&at=UNIX     an occurrence's sign-ups
 *   GET  /admin/print?activity=ID&at=UNIX    the same, for one A4 page
 *   GET  /admin/list.csv?activity=ID&at=UNIX the same as CSV
 *
 * Any page takes ?lang=nl|en; without it Accept-Language decides, Dutch
 * first. Sessions, CSRF and login limits are hub_session.h's; HTML is
 * hub_html.h's. No GET changes anything but a session's last use.
 */
#ifndef BK_HUB_ADMIN_H
#define BK_HUB_ADMIN_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/clock.h"
#include "hub/hub_db.h"

struct hub_admin_options {
    struct hub_pool *pool;
    const struct clock *clock;
    bool secure_cookies;            /* [hub] secure_cookies */
    int session_idle_min;           /* [hub] session_idle_min */
};

/* True for /admin and every path under /admin/. */
bool hub_admin_owns(const char *url);

/* One request's state; *state starts NULL. */
struct hub_admin_request;

/* MHD's access handler for the console's paths: same arguments and
 * calling pattern (first call with the headers, then the body in pieces,
 * then a call with *upload_data_size == 0). */
enum MHD_Result hub_admin_handle(const struct hub_admin_options *opts, struct MHD_Connection *c,
                                 const char *url, const char *method, const char *upload_data,
                                 size_t *upload_data_size, struct hub_admin_request **state);

/* Frees a request's state (NULL is fine); wipes the password it held. */
void hub_admin_request_free(struct hub_admin_request *rq);

#endif
