#include "hub/hub_admin.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "hub/hub_html.h"
#include "hub/hub_session.h"
#include "hub/hub_signup.h"
#include "hub/hub_staff.h"
#include "model/feed.h"
#include "model/rrule.h"

#define TAG "hub-admin"

/* A form body larger than this is refused: the console's forms are small. */
#define FORM_MAX (64u * 1024u)
/* The occurrences the week page lists at most. */
#define WEEK_MAX 2000
#define DAYS 7

enum page { PAGE_NONE, PAGE_WEEK, PAGE_LOGIN, PAGE_LOGOUT, PAGE_LIST, PAGE_PRINT, PAGE_CSV };

/* The form fields the console reads; others are ignored. */
enum field { FIELD_USERNAME, FIELD_PASSWORD, FIELD_CSRF, FIELD_COUNT };

static const struct {
    const char *name;
    size_t max;
} fields[FIELD_COUNT] = {
    [FIELD_USERNAME] = {"username", 256},
    [FIELD_PASSWORD] = {"password", HUB_PASSWORD_MAX},
    [FIELD_CSRF] = {"csrf", 128},
};

struct hub_admin_request {
    enum page page;
    bool post;
    bool answered;                  /* refused from the headers alone */
    bool has_session;
    struct hub_session session;
    struct MHD_PostProcessor *pp;
    char *values[FIELD_COUNT];
    size_t lens[FIELD_COUNT];
    bool bad_form;                  /* a field too long, or the body too large */
    size_t body_bytes;
};

bool hub_admin_owns(const char *url)
{
    return strcmp(url, "/admin") == 0 || strncmp(url, "/admin/", 7) == 0;
}

static enum page page_of(const char *url)
{
    static const struct {
        const char *path;
        enum page page;
    } pages[] = {
        {"/admin", PAGE_WEEK},          {"/admin/", PAGE_WEEK},
        {"/admin/login", PAGE_LOGIN},   {"/admin/logout", PAGE_LOGOUT},
        {"/admin/list", PAGE_LIST},     {"/admin/print", PAGE_PRINT},
        {"/admin/list.csv", PAGE_CSV},
    };
    for (size_t i = 0; i < sizeof pages / sizeof *pages; i++)
        if (strcmp(url, pages[i].path) == 0)
            return pages[i].page;
    return PAGE_NONE;
}

void hub_admin_request_free(struct hub_admin_request *rq)
{
    if (!rq)
        return;
    if (rq->pp)
        MHD_destroy_post_processor(rq->pp);
    for (int f = 0; f < FIELD_COUNT; f++)
        if (rq->values[f]) {
            sodium_memzero(rq->values[f], rq->lens[f]);
            free(rq->values[f]);
        }
    hub_session_clear(&rq->session);
    free(rq);
}

bool hub_admin_peer_is_loopback(const struct sockaddr *addr)
{
    if (!addr)
        return false;
    if (addr->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)addr;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (addr->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)addr)->sin6_addr;
        if (IN6_IS_ADDR_LOOPBACK(a))
            return true;
        return IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127;
    }
    return false;
}

static const struct sockaddr *peer(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    return info ? info->client_addr : NULL;
}

/* The address logins are counted against (see hub_admin.h). */
static void login_address(struct MHD_Connection *c, char out[HUB_ADDRESS_MAX])
{
    const struct sockaddr *addr = peer(c);
    snprintf(out, HUB_ADDRESS_MAX, "unknown");
    if (addr && addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)addr)->sin_addr, out, HUB_ADDRESS_MAX);
    else if (addr && addr->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)addr)->sin6_addr, out,
                  HUB_ADDRESS_MAX);
    if (!hub_admin_peer_is_loopback(addr))
        return;
    const char *xff = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For");
    if (!xff)
        return;
    const char *last = strrchr(xff, ',');
    last = last ? last + 1 : xff;
    while (*last == ' ')
        last++;
    size_t n = strcspn(last, " ");
    if (n > 0 && n < HUB_ADDRESS_MAX) {
        memcpy(out, last, n);
        out[n] = '\0';
    }
}

/* ---- responses ------------------------------------------------------------------ */

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
static enum MHD_Result send_body(struct MHD_Connection *c, unsigned status, char *body,
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

static enum MHD_Result redirect(struct MHD_Connection *c, const char *location,
                                const char *cookie)
{
    return send_body(c, MHD_HTTP_SEE_OTHER, NULL, 0, NULL, true, MHD_HTTP_HEADER_LOCATION,
                     location, cookie ? MHD_HTTP_HEADER_SET_COOKIE : NULL, cookie);
}

/* A page being written: the stream and the language it speaks. */
struct out {
    FILE *f;
    char *buf;
    size_t len;
    enum hub_lang lang;
    char lang_query[16];            /* "" or "?lang=en" to keep a chosen language */
    char lang_param[16];            /* "" or "&lang=en" */
};

static bool out_open(struct out *o, struct MHD_Connection *c)
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
    o->f = open_memstream(&o->buf, &o->len);
    return o->f != NULL;
}

static const char *msg(const struct out *o, enum hub_msg m)
{
    return hub_html_msg(o->lang, m);
}

static enum MHD_Result out_send(struct out *o, struct MHD_Connection *c, unsigned status,
                                bool no_store, const char *h, const char *v)
{
    if (fclose(o->f) != 0) {
        free(o->buf);
        return MHD_NO;
    }
    return send_body(c, status, o->buf, o->len, "text/html; charset=utf-8", no_store, h, v,
                     NULL, NULL);
}

/* A short page saying one thing (404, 403, 500, 429). */
static enum MHD_Result simple_page(struct MHD_Connection *c, unsigned status, enum hub_msg m,
                                   const char *h, const char *v)
{
    struct out o;
    if (!out_open(&o, c))
        return MHD_NO;
    hub_html_begin(o.f, o.lang, msg(&o, m), false, NULL, NULL, o.lang_query);
    fputs("<p>", o.f);
    hub_html_text(o.f, msg(&o, m));
    fputs("</p>", o.f);
    hub_html_end(o.f);
    return out_send(&o, c, status, true, h, v);
}

/* ---- login and logout -------------------------------------------------------------- */

static enum MHD_Result login_page(struct MHD_Connection *c, unsigned status, enum hub_msg error,
                                  const char *h, const char *v)
{
    struct out o;
    if (!out_open(&o, c))
        return MHD_NO;
    hub_html_begin(o.f, o.lang, msg(&o, MSG_LOGIN_TITLE), false, NULL, NULL, o.lang_query);
    fputs("<h1>", o.f);
    hub_html_text(o.f, msg(&o, MSG_LOGIN_TITLE));
    fputs("</h1>", o.f);
    if (error != MSG_COUNT) {
        fputs("<p class=\"error\" id=\"login-error\" role=\"alert\">", o.f);
        hub_html_text(o.f, msg(&o, error));
        fputs("</p>", o.f);
    }
    fprintf(o.f, "<form method=\"post\" action=\"/admin/login%s\">", o.lang_query);
    const char *described = error != MSG_COUNT ? " aria-describedby=\"login-error\"" : "";
    fprintf(o.f, "<label for=\"username\">%s</label>"
                 "<input id=\"username\" name=\"username\" type=\"text\" autocomplete=\"username\""
                 " autocapitalize=\"none\" spellcheck=\"false\" required maxlength=\"64\"%s>",
            msg(&o, MSG_USERNAME), described);
    fprintf(o.f, "<label for=\"password\">%s</label>"
                 "<input id=\"password\" name=\"password\" type=\"password\""
                 " autocomplete=\"current-password\" required%s>",
            msg(&o, MSG_PASSWORD), described);
    fprintf(o.f, "<div><button type=\"submit\">%s</button></div></form>", msg(&o, MSG_LOG_IN));
    fprintf(o.f, "<p><a href=\"/admin/login?lang=%s\" lang=\"%s\">%s</a></p>",
            o.lang == HUB_LANG_NL ? "en" : "nl", o.lang == HUB_LANG_NL ? "en" : "nl",
            msg(&o, MSG_OTHER_LANGUAGE));
    hub_html_end(o.f);
    /* The login page may be cached: it holds nothing of anyone. */
    return out_send(&o, c, status, false, h, v);
}

static bool secure_cookie(const struct hub_admin_options *opts, struct MHD_Connection *c)
{
    if (opts->secure_cookies)
        return true;
    const char *proto = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-Proto");
    return proto && strcasecmp(proto, "https") == 0 && hub_admin_peer_is_loopback(peer(c));
}

static enum MHD_Result do_login(const struct hub_admin_options *opts, struct MHD_Connection *c,
                                struct hub_admin_request *rq)
{
    const char *username = rq->values[FIELD_USERNAME] ? rq->values[FIELD_USERNAME] : "";
    const char *password = rq->values[FIELD_PASSWORD] ? rq->values[FIELD_PASSWORD] : "";
    char address[HUB_ADDRESS_MAX];
    login_address(c, address);
    int64_t now = clock_now_s(opts->clock);
    struct hub_db *db = hub_pool_acquire(opts->pool);
    if (!db)
        return simple_page(c, MHD_HTTP_SERVICE_UNAVAILABLE, MSG_ERROR, NULL, NULL);
    /* A username field longer than any username still counts, cut. */
    char counted[HUB_USERNAME_MAX + 1];
    snprintf(counted, sizeof counted, "%s", username);
    int64_t wait = hub_login_retry_after(db, counted, address, now);
    if (wait != 0) {
        hub_pool_release(opts->pool, db);
        if (wait < 0)
            return simple_page(c, MHD_HTTP_INTERNAL_SERVER_ERROR, MSG_ERROR, NULL, NULL);
        char seconds[24];
        snprintf(seconds, sizeof seconds, "%" PRId64, wait);
        log_info(TAG, "login refused: too many failures (retry after %s s)", seconds);
        return login_page(c, MHD_HTTP_TOO_MANY_REQUESTS, MSG_LOGIN_LIMITED,
                          MHD_HTTP_HEADER_RETRY_AFTER, seconds);
    }
    bool valid = !rq->bad_form && hub_staff_username_valid(username);
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
        return simple_page(c, MHD_HTTP_INTERNAL_SERVER_ERROR, MSG_ERROR, NULL, NULL);
    char cookie[160];
    snprintf(cookie, sizeof cookie, "%s=%s; Path=/admin; HttpOnly; SameSite=Strict%s",
             HUB_SESSION_COOKIE, token, secure_cookie(opts, c) ? "; Secure" : "");
    sodium_memzero(token, sizeof token);
    log_info(TAG, "staff login");
    const char *lang = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "lang");
    enum MHD_Result rc = redirect(c, lang && strcmp(lang, "en") == 0 ? "/admin/?lang=en"
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
        return simple_page(c, MHD_HTTP_INTERNAL_SERVER_ERROR, MSG_ERROR, NULL, NULL);
    char cookie[160];
    snprintf(cookie, sizeof cookie, "%s=; Path=/admin; Max-Age=0; HttpOnly; SameSite=Strict%s",
             HUB_SESSION_COOKIE, secure_cookie(opts, c) ? "; Secure" : "");
    return redirect(c, "/admin/login", cookie);
}

/* ---- occurrences ------------------------------------------------------------------- */

/* A localized text of an item's body, in the page's language, else Dutch,
 * else English, else a plain string. ?1 is the language code. */
#define LOCALIZED(field)                                                                          \
    "CASE json_type(" field ") WHEN 'text' THEN json_extract(" field ")"                       \
    " ELSE COALESCE(json_extract(" field " || '.' || ?1),"                                   \
    " json_extract(" field " || '.nl'), json_extract(" field " || '.en')) END"

/* The week page's scan of every activity the user may see (?4: the
 * session's JSON list of locations, NULL = all). It leaves the title and
 * the location's name NULL: the page reads them with SQL_ACTIVITY only
 * for the activities that occur in the week, because taking them out of
 * every body, and every location's rows, were half the page's time (one
 * location's staff, 10,000 activities: p50 84 -> 41 ms; with schema 5's
 * index 17 ms; bench/bench_console.sh). */
static const char SQL_ACTIVITIES[] =
    "SELECT i.id, i.location_id, NULL, NULL, a.starts_at, a.rrule, a.exdates, a.capacity,"
    " a.has_signup FROM items i JOIN activities a ON a.id = i.id"
    " WHERE i.kind = ?3 AND (?4 IS NULL OR i.location_id IN (SELECT value FROM json_each(?4)))"
    " ORDER BY i.seq";

static const char SQL_ACTIVITY[] =
    "SELECT i.id, i.location_id, " LOCALIZED("i.body, '$.title'") ", "
    LOCALIZED("l.body, '$.name'") ", a.starts_at, a.rrule, a.exdates, a.capacity,"
    " a.has_signup FROM items i JOIN activities a ON a.id = i.id"
    " LEFT JOIN items l ON l.kind = ?2 AND l.id = i.location_id"
    " WHERE i.kind = ?3 AND i.id = ?4";

enum { COL_ID, COL_LOCATION, COL_TITLE, COL_LOCATION_NAME, COL_STARTS_AT, COL_RRULE,
       COL_EXDATES, COL_CAPACITY, COL_HAS_SIGNUP };

static void bind_activity_query(sqlite3_stmt *st, enum hub_lang lang)
{
    hub_db_bind_text(st, 1, hub_html_lang_code(lang));
    sqlite3_bind_int(st, 2, FEED_LOCATION);
    sqlite3_bind_int(st, 3, FEED_ACTIVITY);
}

/* The starts of the current row's activity in [from, to), at most max. */
static size_t expand_row(sqlite3_stmt *st, int64_t from, int64_t to, int64_t *out, size_t max)
{
    struct rrule rule;
    const struct rrule *r = NULL;
    const char *text = hub_db_column_text(st, COL_RRULE);
    char why[96];
    if (text) {
        if (!rrule_parse(text, &rule, why, sizeof why))
            return 0;
        r = &rule;
    }
    int64_t exdates[64];
    size_t n_ex = 0;
    const char *ex_text = hub_db_column_text(st, COL_EXDATES);
    json_t *ex = ex_text ? json_loads(ex_text, 0, NULL) : NULL;
    size_t i;
    json_t *v;
    json_array_foreach(ex, i, v) {
        if (n_ex < sizeof exdates / sizeof *exdates)
            exdates[n_ex++] = json_integer_value(v);
    }
    json_decref(ex);
    return rrule_expand(r, sqlite3_column_int64(st, COL_STARTS_AT), exdates, n_ex, from, to, out,
                        max);
}

struct counts {
    int64_t confirmed, waiting, to_call;
};

static bool occurrence_counts(struct hub_db *db, const char *activity, int64_t at,
                              struct counts *out)
{
    static const char sql[] =
        "SELECT COALESCE(SUM(CASE WHEN status = 'confirmed' THEN party_size END), 0),"
        " COALESCE(SUM(status = 'waitlisted'), 0),"
        " COALESCE(SUM(status != 'cancelled' AND (to_call != 0 OR status IN ('full','closed'))),"
        " 0) FROM signups WHERE activity_id = ?1 AND occurrence = ?2";
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    if (!st)
        return false;
    hub_db_bind_text(st, 1, activity);
    sqlite3_bind_int64(st, 2, at);
    bool ok = hub_db_step(db, st) == SQLITE_ROW;
    if (ok) {
        out->confirmed = sqlite3_column_int64(st, 0);
        out->waiting = sqlite3_column_int64(st, 1);
        out->to_call = sqlite3_column_int64(st, 2);
    }
    sqlite3_reset(st);
    return ok;
}

/* One occurrence on the week page. */
struct occ {
    int64_t at;
    char id[FEED_ID_MAX + 1];
    char *title, *location;
    int64_t capacity;
    bool has_signup;
};

/* The title and location name of the activity id, in the page's
 * language, into x (SQL_ACTIVITY). false on a database error. */
static bool activity_texts(struct hub_db *db, enum hub_lang lang, const char *id, struct occ *x)
{
    sqlite3_stmt *st = hub_db_prepare(db, SQL_ACTIVITY);
    if (!st)
        return false;
    bind_activity_query(st, lang);
    hub_db_bind_text(st, 4, id);
    int rc = hub_db_step(db, st);
    if (rc == SQLITE_ROW) {
        const char *title = hub_db_column_text(st, COL_TITLE);
        const char *loc = hub_db_column_text(st, COL_LOCATION_NAME);
        x->title = strdup(title ? title : id);
        x->location = loc ? strdup(loc) : NULL;
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW && x->title;
}

static int occ_cmp(const void *a, const void *b)
{
    const struct occ *x = a, *y = b;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    return strcmp(x->id, y->id);
}

static void hhmm(int64_t t, char out[8])
{
    struct local_time lt;
    tz_to_local(t, &lt);
    snprintf(out, 8, "%02d:%02d", lt.hour, lt.minute);
}

static void day_heading(FILE *f, enum hub_lang lang, int64_t t)
{
    static const char *const days[2][7] = {
        {"maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"},
        {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}};
    static const char *const months[2][12] = {
        {"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
         "september", "oktober", "november", "december"},
        {"January", "February", "March", "April", "May", "June", "July", "August", "September",
         "October", "November", "December"}};
    struct local_time lt;
    tz_to_local(t, &lt);
    int wd = civil_weekday(lt.year, lt.month, lt.day);
    if (lang == HUB_LANG_EN)
        fprintf(f, "%s %d %s %d", days[1][wd], lt.day, months[1][lt.month - 1], lt.year);
    else
        fprintf(f, "%s %d %s %d", days[0][wd], lt.day, months[0][lt.month - 1], lt.year);
}

static enum MHD_Result week_page(const struct hub_admin_options *opts, struct MHD_Connection *c,
                                 const struct hub_admin_request *rq)
{
    struct out o;
    if (!out_open(&o, c))
        return MHD_NO;
    int64_t now = clock_now_s(opts->clock);
    int64_t day[DAYS + 1];
    day[0] = tz_start_of_day(now);
    /* 36 h past a day's start is always inside the next day, whatever
     * daylight saving does to its length. */
    for (int d = 1; d <= DAYS; d++)
        day[d] = tz_start_of_day(day[d - 1] + 36 * 3600);

    struct occ *occs = calloc(WEEK_MAX, sizeof *occs);
    size_t n = 0;
    bool ok = occs != NULL;
    struct hub_db *db = ok ? hub_pool_acquire(opts->pool) : NULL;
    ok = db && hub_db_begin_read(db);
    sqlite3_stmt *st = ok ? hub_db_prepare(db, SQL_ACTIVITIES) : NULL;
    if (st) {
        bind_activity_query(st, o.lang);
        hub_db_bind_text(st, 4, rq->session.locations);
        int rc;
        while ((rc = hub_db_step(db, st)) == SQLITE_ROW && n < WEEK_MAX && ok) {
            if (!hub_session_may_see(rq->session.locations, hub_db_column_text(st, COL_LOCATION)))
                continue;
            int64_t starts[64];
            size_t k = expand_row(st, day[0], day[DAYS], starts, 64);
            struct occ texts = {0};
            if (k > 0)
                ok = activity_texts(db, o.lang, hub_db_column_text(st, COL_ID), &texts);
            for (size_t j = 0; ok && j < k && n < WEEK_MAX; j++) {
                struct occ *x = &occs[n++];
                x->at = starts[j];
                snprintf(x->id, sizeof x->id, "%s", hub_db_column_text(st, COL_ID));
                x->title = strdup(texts.title);
                x->location = texts.location ? strdup(texts.location) : NULL;
                x->capacity = sqlite3_column_int64(st, COL_CAPACITY);
                x->has_signup = sqlite3_column_int(st, COL_HAS_SIGNUP) != 0;
            }
            free(texts.title);
            free(texts.location);
        }
        ok = ok && (rc == SQLITE_ROW || rc == SQLITE_DONE);
        sqlite3_reset(st);
    } else {
        ok = false;
    }
    if (ok)
        qsort(occs, n, sizeof *occs, occ_cmp);

    hub_html_begin(o.f, o.lang, msg(&o, MSG_WEEK_TITLE), false, rq->session.username,
                   rq->session.csrf, o.lang_query);
    fputs("<h1>", o.f);
    hub_html_text(o.f, msg(&o, MSG_WEEK_TITLE));
    fputs("</h1>", o.f);
    size_t next = 0;
    for (int d = 0; ok && d < DAYS; d++) {
        fputs("<h2>", o.f);
        day_heading(o.f, o.lang, day[d]);
        fputs("</h2>", o.f);
        size_t first = next;
        while (next < n && occs[next].at < day[d + 1])
            next++;
        if (first == next) {
            fprintf(o.f, "<p>%s</p>", msg(&o, MSG_NOTHING_THIS_DAY));
            continue;
        }
        fprintf(o.f, "<table><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                     "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s"
                     "</th><th scope=\"col\">%s</th></tr></thead><tbody>",
                msg(&o, MSG_TIME), msg(&o, MSG_ACTIVITY), msg(&o, MSG_LOCATION),
                msg(&o, MSG_CONFIRMED), msg(&o, MSG_WAITING), msg(&o, MSG_TO_CALL));
        for (size_t j = first; j < next && ok; j++) {
            struct occ *x = &occs[j];
            struct counts k = {0, 0, 0};
            ok = occurrence_counts(db, x->id, x->at, &k);
            char t[8];
            hhmm(x->at, t);
            fprintf(o.f, "<tr><td>%s</td><td><a href=\"/admin/list?activity=%s&amp;at=%" PRId64
                         "%s\">", t, x->id, x->at, o.lang_param);
            hub_html_text(o.f, x->title);
            fputs("</a></td><td>", o.f);
            hub_html_text(o.f, x->location);
            fprintf(o.f, "</td><td>%" PRId64, k.confirmed);
            if (x->capacity >= 0)
                fprintf(o.f, " / %" PRId64, x->capacity);
            fprintf(o.f, "</td><td>%" PRId64 "</td><td>%" PRId64 "</td></tr>", k.waiting,
                    k.to_call);
        }
        fputs("</tbody></table>", o.f);
    }
    if (db)
        hub_db_commit(db);
    hub_pool_release(opts->pool, db);
    for (size_t j = 0; j < n; j++) {
        free(occs[j].title);
        free(occs[j].location);
    }
    free(occs);
    hub_html_end(o.f);
    if (!ok) {
        fclose(o.f);
        free(o.buf);
        return simple_page(c, MHD_HTTP_INTERNAL_SERVER_ERROR, MSG_ERROR, NULL, NULL);
    }
    return out_send(&o, c, MHD_HTTP_OK, true, NULL, NULL);
}

/* ---- an occurrence's list ----------------------------------------------------------- */

/* The occurrence a list page names, when it exists and the user may see
 * it: 1 found, 0 not (404), -1 error. */
static int find_occurrence(struct hub_db *db, struct MHD_Connection *c,
                           const struct hub_session *session, enum hub_lang lang,
                           struct occ *out)
{
    memset(out, 0, sizeof *out);
    const char *id = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "activity");
    const char *at = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "at");
    if (!id || !feed_id_valid(id) || !at || !*at)
        return 0;
    char *end;
    errno = 0;
    long long v = strtoll(at, &end, 10);
    if (errno || *end || v < 0)
        return 0;
    sqlite3_stmt *st = hub_db_prepare(db, SQL_ACTIVITY);
    if (!st)
        return -1;
    bind_activity_query(st, lang);
    hub_db_bind_text(st, 4, id);
    int rc = hub_db_step(db, st);
    int found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
    if (found == 1 && !hub_session_may_see(session->locations,
                                           hub_db_column_text(st, COL_LOCATION)))
        found = 0;
    int64_t start;
    if (found == 1 && expand_row(st, (int64_t)v, (int64_t)v + 1, &start, 1) != 1)
        found = 0;
    if (found == 1) {
        out->at = (int64_t)v;
        snprintf(out->id, sizeof out->id, "%s", id);
        const char *title = hub_db_column_text(st, COL_TITLE);
        const char *loc = hub_db_column_text(st, COL_LOCATION_NAME);
        out->title = strdup(title ? title : id);
        out->location = loc ? strdup(loc) : NULL;
        out->capacity = sqlite3_column_int64(st, COL_CAPACITY);
        out->has_signup = sqlite3_column_int(st, COL_HAS_SIGNUP) != 0;
        if (!out->title)
            found = -1;
    }
    sqlite3_reset(st);
    return found;
}

static void occ_clear(struct occ *x)
{
    free(x->title);
    free(x->location);
    memset(x, 0, sizeof *x);
}

enum list_part { PART_CONFIRMED, PART_WAITING, PART_CALLS };

/* One table of the list: confirmed, waiting (by position) or the refused
 * ones to call back. Returns false on a database error. */
static bool list_part(struct hub_db *db, struct out *o, const struct occ *x, enum list_part part)
{
    static const char sql[] =
        "SELECT status, position, party_size, name, phone, remark, to_call FROM signups"
        " WHERE activity_id = ?1 AND occurrence = ?2 AND ("
        "  (?3 = 0 AND status = 'confirmed') OR (?3 = 1 AND status = 'waitlisted') OR"
        "  (?3 = 2 AND status IN ('full', 'closed')))"
        " ORDER BY CASE WHEN ?3 = 1 THEN position ELSE 0 END, received_at, rowid";
    static const enum hub_msg captions[] = {MSG_CONFIRMED, MSG_WAITING, MSG_CALL};
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    if (!st)
        return false;
    hub_db_bind_text(st, 1, x->id);
    sqlite3_bind_int64(st, 2, x->at);
    sqlite3_bind_int(st, 3, (int)part);
    FILE *f = o->f;
    fprintf(f, "<h2>%s</h2>", msg(o, captions[part]));
    int rc, rows = 0;
    while ((rc = hub_db_step(db, st)) == SQLITE_ROW) {
        if (rows++ == 0) {
            fputs("<table><thead><tr>", f);
            if (part == PART_WAITING)
                fprintf(f, "<th scope=\"col\">%s</th>", msg(o, MSG_POSITION));
            fprintf(f, "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                       "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                       "<th scope=\"col\">%s</th></tr></thead><tbody>",
                    msg(o, MSG_NAME), msg(o, MSG_PHONE), msg(o, MSG_PARTY), msg(o, MSG_REMARK),
                    msg(o, MSG_CALL));
        }
        fputs("<tr>", f);
        if (part == PART_WAITING)
            fprintf(f, "<td>%d</td>", sqlite3_column_int(st, 1));
        fputs("<td>", f);
        hub_html_text(f, hub_db_column_text(st, 3));
        fputs("</td><td>", f);
        hub_html_text(f, hub_db_column_text(st, 4));
        fprintf(f, "</td><td>%d</td><td>", sqlite3_column_int(st, 2));
        hub_html_text(f, hub_db_column_text(st, 5));
        fputs("</td><td>", f);
        const char *status = hub_db_column_text(st, 0);
        if (part == PART_CALLS || sqlite3_column_int(st, 6) != 0) {
            fprintf(f, "<span class=\"call\">%s</span> (", msg(o, MSG_CALL_MARK));
            hub_html_text(f, part != PART_CALLS ? msg(o, MSG_MOVED_UP)
                             : strcmp(status, "full") == 0 ? msg(o, MSG_FULL)
                                                            : msg(o, MSG_CLOSED));
            fputs(")", f);
        }
        fputs("</td></tr>", f);
    }
    sqlite3_reset(st);
    if (rows)
        fputs("</tbody></table>", f);
    else
        fprintf(f, "<p>%s</p>", msg(o, MSG_NO_SIGNUPS));
    return rc == SQLITE_DONE;
}

static enum MHD_Result list_page(const struct hub_admin_options *opts, struct MHD_Connection *c,
                                 const struct hub_admin_request *rq, bool print)
{
    struct out o;
    if (!out_open(&o, c))
        return MHD_NO;
    struct hub_db *db = hub_pool_acquire(opts->pool);
    struct occ x;
    int found = db && hub_db_begin_read(db) ? find_occurrence(db, c, &rq->session, o.lang, &x)
                                            : -1;
    bool ok = found == 1;
    if (ok) {
        char when[8];
        hhmm(x.at, when);
        hub_html_begin(o.f, o.lang, x.title, print, rq->session.username, rq->session.csrf,
                       o.lang_query);
        fputs("<h1>", o.f);
        hub_html_text(o.f, x.title);
        fputs("</h1><p>", o.f);
        day_heading(o.f, o.lang, x.at);
        fprintf(o.f, ", %s", when);
        if (x.location) {
            fputs(" – ", o.f);
            hub_html_text(o.f, x.location);
        }
        struct counts k = {0, 0, 0};
        ok = occurrence_counts(db, x.id, x.at, &k);
        fprintf(o.f, ". %s: %" PRId64, msg(&o, MSG_CONFIRMED), k.confirmed);
        if (x.capacity >= 0)
            fprintf(o.f, " / %" PRId64 " %s", x.capacity, msg(&o, MSG_PLACES));
        fputs(".</p>", o.f);
        if (!print) {
            fprintf(o.f, "<nav><ul><li><a href=\"/admin/print?activity=%s&amp;at=%" PRId64
                         "%s\">%s</a></li><li><a href=\"/admin/list.csv?activity=%s&amp;at=%"
                         PRId64 "\">%s</a></li><li><a href=\"/admin/%s\">%s</a></li></ul></nav>",
                    x.id, x.at, o.lang_param, msg(&o, MSG_PRINT), x.id, x.at,
                    msg(&o, MSG_CSV), o.lang_query, msg(&o, MSG_BACK));
        }
        ok = ok && list_part(db, &o, &x, PART_CONFIRMED) &&
             list_part(db, &o, &x, PART_WAITING) && list_part(db, &o, &x, PART_CALLS);
        hub_html_end(o.f);
        occ_clear(&x);
    }
    if (db)
        hub_db_commit(db);
    hub_pool_release(opts->pool, db);
    if (!ok) {
        fclose(o.f);
        free(o.buf);
        return found == 0 ? simple_page(c, MHD_HTTP_NOT_FOUND, MSG_NOT_FOUND, NULL, NULL)
                          : simple_page(c, MHD_HTTP_INTERNAL_SERVER_ERROR, MSG_ERROR, NULL, NULL);
    }
    return out_send(&o, c, MHD_HTTP_OK, true, NULL, NULL);
}

static enum MHD_Result csv_page(const struct hub_admin_options *opts, struct MHD_Connection *c,
                                const struct hub_admin_request *rq)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return MHD_NO;
    struct hub_db *db = hub_pool_acquire(opts->pool);
    struct occ x;
    int found = db && hub_db_begin_read(db) ? find_occurrence(db, c, &rq->session, HUB_LANG_NL,
                                                              &x)
                                            : -1;
    bool ok = found == 1 && hub_signup_list_occurrence(db, x.id, x.at, f);
    char disposition[FEED_ID_MAX + 80] = "";
    if (found == 1) {
        snprintf(disposition, sizeof disposition,
                 "attachment; filename=\"%s-%" PRId64 ".csv\"", x.id, x.at);
        occ_clear(&x);
    }
    if (db)
        hub_db_commit(db);
    hub_pool_release(opts->pool, db);
    bool closed = fclose(f) == 0;
    if (!ok || !closed) {
        free(buf);
        return found == 0 ? simple_page(c, MHD_HTTP_NOT_FOUND, MSG_NOT_FOUND, NULL, NULL)
                          : simple_page(c, MHD_HTTP_INTERNAL_SERVER_ERROR, MSG_ERROR, NULL, NULL);
    }
    return send_body(c, MHD_HTTP_OK, buf, len, "text/csv; charset=utf-8", true,
                     "Content-Disposition", disposition, NULL, NULL);
}

/* ---- dispatch -------------------------------------------------------------------------- */

static enum MHD_Result on_field(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *filename, const char *content_type,
                                const char *transfer_encoding, const char *data, uint64_t off,
                                size_t size)
{
    (void)kind, (void)filename, (void)content_type, (void)transfer_encoding, (void)off;
    struct hub_admin_request *rq = cls;
    for (int f = 0; f < FIELD_COUNT; f++) {
        if (strcmp(key, fields[f].name) != 0)
            continue;
        if (rq->lens[f] + size > fields[f].max) {
            rq->bad_form = true;
            return MHD_YES;
        }
        char *more = realloc(rq->values[f], rq->lens[f] + size + 1);
        if (!more)
            return MHD_NO;
        /* realloc may leave the old bytes behind; a password is small and
         * arrives in one piece in practice, so this is rare. */
        rq->values[f] = more;
        memcpy(more + rq->lens[f], data, size);
        rq->lens[f] += size;
        more[rq->lens[f]] = '\0';
    }
    return MHD_YES;
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
    rq->page = page_of(url);
    rq->post = is_method(method, MHD_HTTP_METHOD_POST);
    bool get = is_method(method, MHD_HTTP_METHOD_GET) || is_method(method, MHD_HTTP_METHOD_HEAD);
    if (!rq->post && !get) {
        rq->answered = true;
        return send_body(c, MHD_HTTP_METHOD_NOT_ALLOWED, NULL, 0, NULL, true,
                         MHD_HTTP_HEADER_ALLOW, "GET, HEAD, POST", NULL, NULL);
    }
    if (rq->page != PAGE_LOGIN) {
        const char *token = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, HUB_SESSION_COOKIE);
        struct hub_db *db = hub_pool_acquire(opts->pool);
        enum hub_session_result r =
            db ? hub_session_lookup(db, token, clock_now_s(opts->clock),
                                    (int64_t)opts->session_idle_min * 60, &rq->session)
               : HUB_SESSION_ERROR;
        hub_pool_release(opts->pool, db);
        if (r == HUB_SESSION_ERROR) {
            rq->answered = true;
            return simple_page(c, MHD_HTTP_SERVICE_UNAVAILABLE, MSG_ERROR, NULL, NULL);
        }
        rq->has_session = r == HUB_SESSION_OK;
        if (!rq->has_session && rq->post) {
            rq->answered = true;
            return simple_page(c, MHD_HTTP_FORBIDDEN, MSG_FORBIDDEN, NULL, NULL);
        }
    }
    const char *length =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (rq->post && length && strtoull(length, NULL, 10) > FORM_MAX) {
        rq->answered = true;
        return simple_page(c, MHD_HTTP_CONTENT_TOO_LARGE, MSG_ERROR, NULL, NULL);
    }
    /* NULL for a body that is not a form: its fields are then all absent,
     * so the CSRF check refuses it. */
    if (rq->post)
        rq->pp = MHD_create_post_processor(c, 4096, on_field, rq);
    return MHD_YES;
}

static enum MHD_Result on_complete(const struct hub_admin_options *opts,
                                   struct MHD_Connection *c, struct hub_admin_request *rq)
{
    if (rq->post && rq->page == PAGE_LOGIN)
        return do_login(opts, c, rq);
    if (rq->page == PAGE_LOGIN)
        return login_page(c, MHD_HTTP_OK, MSG_COUNT, NULL, NULL);
    if (!rq->has_session)
        return redirect(c, "/admin/login", NULL);
    if (rq->post) {
        /* The CSRF token before anything else. */
        if (!hub_session_csrf_ok(&rq->session, rq->values[FIELD_CSRF]))
            return simple_page(c, MHD_HTTP_FORBIDDEN, MSG_FORBIDDEN, NULL, NULL);
        if (rq->page == PAGE_LOGOUT)
            return do_logout(opts, c);
        return simple_page(c, rq->page == PAGE_NONE ? MHD_HTTP_NOT_FOUND
                                                    : MHD_HTTP_METHOD_NOT_ALLOWED,
                           rq->page == PAGE_NONE ? MSG_NOT_FOUND : MSG_ERROR, NULL, NULL);
    }
    switch (rq->page) {
    case PAGE_WEEK: return week_page(opts, c, rq);
    case PAGE_LIST: return list_page(opts, c, rq, false);
    case PAGE_PRINT: return list_page(opts, c, rq, true);
    case PAGE_CSV: return csv_page(opts, c, rq);
    case PAGE_LOGOUT:
        return send_body(c, MHD_HTTP_METHOD_NOT_ALLOWED, NULL, 0, NULL, true,
                         MHD_HTTP_HEADER_ALLOW, "POST", NULL, NULL);
    case PAGE_NONE:
    case PAGE_LOGIN: break;
    }
    return simple_page(c, MHD_HTTP_NOT_FOUND, MSG_NOT_FOUND, NULL, NULL);
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
        if (rq->pp && rq->post && MHD_post_process(rq->pp, upload_data, n) != MHD_YES)
            rq->bad_form = true;
        return MHD_YES;
    }
    return on_complete(opts, c, rq);
}
