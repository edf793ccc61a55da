/*
 * What the console's page modules share (internal to src/hub): a request
 * as a page sees it, the form it posted, writing an HTML answer, and the
 * page handlers that hub_admin.c routes to.
 *
 * A page module owns one concern (the week and an occurrence's list; the
 * content forms; the kiosks; the audit log). hub_admin.c has already
 * checked the session, and for a POST the CSRF token, before a handler
 * runs; a handler checks only what its page is about, including that the
 * user may see the item (else 404).
 */
#ifndef BK_HUB_ADMIN_PAGE_H
#define BK_HUB_ADMIN_PAGE_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "hub/hub_admin.h"
#include "hub/hub_html.h"
#include "hub/hub_session.h"
#include "model/feed.h"

/* ---- a posted form ------------------------------------------------------------------ */

/* The fields of an application/x-www-form-urlencoded or multipart body,
 * in the order sent; a name may repeat (checkboxes). Values are wiped
 * when the request ends: a form may carry a password or a resident's
 * name. */
struct admin_form;

/* The first value of name, or NULL when absent. */
const char *admin_form_get(const struct admin_form *form, const char *name);

/* How many values name has, and the i-th of them (NULL past the end). */
size_t admin_form_count(const struct admin_form *form, const char *name);
const char *admin_form_nth(const struct admin_form *form, const char *name, size_t i);

/* True when a field was longer than its limit or there were too many:
 * the form must be refused as a whole. */
bool admin_form_bad(const struct admin_form *form);

/* For hub_admin.c, which fills a form from MHD's post processor: a new
 * empty form (NULL when out of memory), a piece of a field's value as MHD
 * hands it over (offset 0 starts a new value, so a repeated name makes a
 * second value; false when out of memory; a field over its limit, or too
 * many fields, mark the form bad instead), and freeing (wiping every
 * value). */
struct admin_form *admin_form_new(void);
bool admin_form_add(struct admin_form *form, const char *name, const char *data, size_t size,
                    uint64_t offset);
void admin_form_mark_bad(struct admin_form *form);
void admin_form_free(struct admin_form *form);

/* ---- a request, as a page sees it ------------------------------------------------- */

struct admin_ctx {
    const struct hub_admin_options *opts;
    struct MHD_Connection *c;
    const struct hub_session *session;  /* the logged-in staff member */
    const struct admin_form *form;      /* a POST's fields; NULL for a GET */
};

/* A query argument of the URL, or NULL. */
const char *admin_arg(const struct admin_ctx *cx, const char *name);

/* The hub's clock, now. */
int64_t admin_now(const struct admin_ctx *cx);

/* The peer's address, or NULL. */
const struct sockaddr *admin_peer(struct MHD_Connection *c);

/* ---- writing an answer ------------------------------------------------------------- */

/* A page being written: the stream and the language it speaks. */
struct admin_out {
    FILE *f;                        /* writes into buf (admin_out_open) */
    char *buf;                      /* the page so far, NUL-terminated; NULL = empty */
    size_t len, cap;
    enum hub_lang lang;
    char lang_query[16];            /* "" or "?lang=en" to keep a chosen language */
    char lang_param[16];            /* "" or "&lang=en" */
};

/* Opens a page in the request's language (?lang=, else Accept-Language). */
bool admin_out_open(struct admin_out *o, struct MHD_Connection *c);

/* Opens part: a buffer of its own in page's language, for a piece of
 * the page written before it is known where it goes. Close it with
 * admin_out_close (then part->buf, part->len hold it) and free part->buf,
 * or admin_out_discard. */
bool admin_out_part(struct admin_out *part, const struct admin_out *page);
bool admin_out_close(struct admin_out *o);

/* The console's text m in the page's language. */
const char *admin_msg(const struct admin_out *o, enum hub_msg m);

/* Sends the page as text/html (no-store unless told) with one more header
 * when h is not NULL; closes o either way. */
enum MHD_Result admin_out_send(struct admin_out *o, struct MHD_Connection *c, unsigned status,
                               bool no_store, const char *h, const char *v);

/* Drops a page half written (before answering something else). */
void admin_out_discard(struct admin_out *o);

/* Queues body (malloc'd, taken; NULL for none) with a content type and up
 * to two more headers. */
enum MHD_Result admin_send_body(struct MHD_Connection *c, unsigned status, char *body,
                                size_t len, const char *type, bool no_store, const char *h1,
                                const char *v1, const char *h2, const char *v2);

/* 303 to location, setting cookie when not NULL. */
enum MHD_Result admin_redirect(struct MHD_Connection *c, const char *location,
                               const char *cookie);

/* A short page saying one thing (404, 403, 500, 429), with one more
 * header when h is not NULL. */
enum MHD_Result admin_simple_page(struct MHD_Connection *c, unsigned status, enum hub_msg m,
                                  const char *h, const char *v);

/* The page frame for a logged-in user, with the console's navigation. */
void admin_page_begin(struct admin_out *o, const struct admin_ctx *cx, const char *title);

/* A labelled form field: <label for=name>, the control, and, when error is
 * not NULL, the error beside it, tied with aria-describedby and marked
 * aria-invalid. type is an <input> type, or "textarea". extra is more
 * attributes (already safe HTML, e.g. "required maxlength=\"200\"") or
 * NULL. value is escaped. */
void admin_field(struct admin_out *o, const char *name, const char *label, const char *type,
                 const char *value, const char *error, const char *extra);

/* The hidden csrf field every form but the login's carries. */
void admin_csrf_field(struct admin_out *o, const struct admin_ctx *cx);

/* ---- the pages, by module ---------------------------------------------------------- */

/* hub_admin_occurrences.c: the week, an occurrence's list, print, CSV. */
enum MHD_Result admin_week_page(const struct admin_ctx *cx);
enum MHD_Result admin_list_page(const struct admin_ctx *cx);
enum MHD_Result admin_print_page(const struct admin_ctx *cx);
enum MHD_Result admin_csv_page(const struct admin_ctx *cx);

/* ---- an occurrence's list and its actions (lists) --------------------------------- */

/* An occurrence the user may see. */
struct admin_occ {
    int64_t at;
    char id[FEED_ID_MAX + 1];
    char *title, *location;
    int64_t capacity;               /* -1 = unlimited */
    bool has_signup;
};

/* hub_admin_occurrences.c: the occurrence the request names in activity
 * and at (the form's for a POST, the query's for a GET) when it exists
 * and the user may see it: 1 found (clear with admin_occ_clear), 0 not
 * (404), -1 error. Runs in the caller's transaction. */
int admin_occ_find(struct hub_db *db, const struct admin_ctx *cx, enum hub_lang lang,
                   struct admin_occ *out);
void admin_occ_clear(struct admin_occ *x);

/* The phone sign-up form's values and errors (hub_admin_list.c). */
struct admin_list_add;

/* hub_admin_occurrences.c: the list page again with status, showing the
 * phone sign-up form as add says (NULL: empty). */
enum MHD_Result admin_list_render(const struct admin_ctx *cx, unsigned status,
                                  const struct admin_list_add *add);

/* hub_admin_list.c: the list page's parts for its actions: the notice of
 * ?notice=, a row's action cell (attendance for a confirmed one, cancel),
 * and the phone sign-up form. */
void admin_list_notice(struct admin_out *o, const struct admin_ctx *cx);
void admin_list_row_actions(struct admin_out *o, const struct admin_ctx *cx,
                            const struct admin_occ *x, const char *signup_id, bool confirmed,
                            bool attended);
void admin_list_add_form(struct admin_out *o, const struct admin_ctx *cx,
                         const struct admin_occ *x, const struct admin_list_add *add);

/* POST /admin/list/attend, /admin/list/cancel, /admin/list/add. */
enum MHD_Result admin_list_attend(const struct admin_ctx *cx);
enum MHD_Result admin_list_cancel(const struct admin_ctx *cx);
enum MHD_Result admin_list_add(const struct admin_ctx *cx);

/* A whole number of text in [min, max] (digits only, no sign, no
 * spaces); false for anything else. */
bool admin_parse_int(const char *text, int64_t min, int64_t max, int64_t *out);

/* hub_admin_kiosks.c: GET /admin/kiosks, POST /admin/kiosks/enrol and
 * /admin/kiosks/token. */
enum MHD_Result admin_kiosks_page(const struct admin_ctx *cx);
enum MHD_Result admin_kiosks_enrol(const struct admin_ctx *cx);
enum MHD_Result admin_kiosks_token(const struct admin_ctx *cx);

/* How a kiosk is doing, from its last heartbeat (hub_admin_kiosks.c):
 * warnings as bits. heartbeat_at and sync_ok_at are -1 when never. */
enum admin_kiosk_warning {
    KIOSK_WARN_NEVER = 1,           /* never sent a heartbeat */
    KIOSK_WARN_SILENT = 2,          /* silent for longer than three heartbeats */
    KIOSK_WARN_STALE = 4,           /* content older than a day */
};
unsigned admin_kiosk_warnings(int64_t now, int64_t heartbeat_at, int64_t sync_ok_at,
                              int64_t heartbeat_s);

/* hub_admin_audit.c: GET /admin/audit. */
enum MHD_Result admin_audit_page(const struct admin_ctx *cx);

/* hub_admin_content.c: activities, services and announcements. A handler
 * that takes both methods shows its form for a GET and handles the form
 * for a POST. */
enum MHD_Result admin_activities_page(const struct admin_ctx *cx);
enum MHD_Result admin_activity_new_page(const struct admin_ctx *cx);
enum MHD_Result admin_activity_edit_page(const struct admin_ctx *cx);
enum MHD_Result admin_activity_cancel_page(const struct admin_ctx *cx);
enum MHD_Result admin_activity_cancel_date_page(const struct admin_ctx *cx);
enum MHD_Result admin_services_page(const struct admin_ctx *cx);
enum MHD_Result admin_service_new_page(const struct admin_ctx *cx);
enum MHD_Result admin_service_edit_page(const struct admin_ctx *cx);
enum MHD_Result admin_service_remove_page(const struct admin_ctx *cx);
enum MHD_Result admin_announcements_page(const struct admin_ctx *cx);
enum MHD_Result admin_announcement_new_page(const struct admin_ctx *cx);
enum MHD_Result admin_announcement_edit_page(const struct admin_ctx *cx);
enum MHD_Result admin_announcement_remove_page(const struct admin_ctx *cx);

#endif
