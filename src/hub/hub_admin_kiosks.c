/*
 * The console's kiosks page (issue 13): how each kiosk the user may see is
 * doing, from its last heartbeat (hub-api-v1.md "Heartbeat"), with a
 * warning in words for one that is silent, never heard from, or showing
 * content older than a day; enrolling a kiosk and replacing its token,
 * with the token shown once on the answer page.
 *
 *   GET  /admin/kiosks
 *   POST /admin/kiosks/enrol   kiosk_id, locations (repeated), csrf
 *   POST /admin/kiosks/token   kiosk_id, csrf; a confirmation page first,
 *                              then the same POST with confirm=1
 *
 * Who sees what (docs/spec-notes.md): a coordinator every kiosk; staff of
 * some locations the kiosks that serve one of them (a kiosk for all
 * locations serves theirs too). Replacing a token cuts a kiosk off until
 * someone puts the new one in, so staff may do it only to a kiosk that
 * serves nothing but their locations. Enrolling and tokens reuse
 * hub_db.c's kiosk add/token, the code behind `buurthub kiosk add/token`.
 */
#include <inttypes.h>
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "hub/hub_admin_page.h"
#include "hub/hub_audit.h"

#define TAG "hub-admin"

/* The hub does not know a kiosk's sync.heartbeat_s; config-v1.md's
 * default is what a kiosk sends at unless told otherwise
 * (docs/spec-notes.md). Silent: more than three of these. */
#define HEARTBEAT_DEFAULT_S 300
#define SILENT_HEARTBEATS 3
/* Content older than this is stale. */
#define STALE_S (24 * 3600)
/* Checkbox values the enrol form takes at most. */
#define LOCATIONS_MAX 64

enum text {
    T_TITLE, T_NONE, T_HEARTBEAT, T_NEVER, T_AGO_S, T_AGO_MIN, T_AGO_H, T_AGO_D, T_VERSION,
    T_SCREEN, T_SCREEN_ON, T_SCREEN_OFF, T_SCREEN_FAULT, T_LAST_SYNC, T_LAST_ERROR,
    T_PENDING, T_REJECTED, T_FREE_DISK, T_LOCATIONS, T_ALL_LOCATIONS, T_WARNING,
    T_WARN_NEVER, T_WARN_SILENT, T_WARN_STALE, T_OK, T_NEW_TOKEN, T_ENROL_TITLE, T_KIOSK_ID,
    T_ENROL_LOCATIONS, T_ENROL_LOCATIONS_HINT, T_ENROL_BUTTON, T_ERR_ID, T_ERR_EXISTS,
    T_ERR_LOCATIONS, T_TOKEN_TITLE, T_TOKEN_ONCE, T_TOKEN_HOW, T_TOKEN_CONFIRM_TITLE,
    T_TOKEN_CONFIRM, T_TOKEN_YES, T_BACK, T_COUNT
};

static const char *const texts[T_COUNT][HUB_LANG_COUNT] = {
    [T_TITLE] = {"Kiosken", "Kiosks"},
    [T_NONE] = {"Er zijn (voor u) nog geen kiosken.", "There are no kiosks (for you) yet."},
    [T_HEARTBEAT] = {"Laatste teken van leven", "Last heartbeat"},
    [T_NEVER] = {"nooit", "never"},
    [T_AGO_S] = {"seconden geleden", "seconds ago"},
    [T_AGO_MIN] = {"minuten geleden", "minutes ago"},
    [T_AGO_H] = {"uur geleden", "hours ago"},
    [T_AGO_D] = {"dagen geleden", "days ago"},
    [T_VERSION] = {"Versie", "Version"},
    [T_SCREEN] = {"Scherm", "Screen"},
    [T_SCREEN_ON] = {"aan", "on"},
    [T_SCREEN_OFF] = {"uit (buiten openingstijd)", "off (outside opening hours)"},
    [T_SCREEN_FAULT] = {"storing", "fault"},
    [T_LAST_SYNC] = {"Laatst bijgewerkt", "Last sync"},
    [T_LAST_ERROR] = {"Laatste fout", "Last error"},
    [T_PENDING] = {"Aanmeldingen nog te versturen", "Sign-ups pending"},
    [T_REJECTED] = {"Aanmeldingen geweigerd", "Sign-ups rejected"},
    [T_FREE_DISK] = {"Vrije schijfruimte", "Free disk"},
    [T_LOCATIONS] = {"Locaties", "Locations"},
    [T_ALL_LOCATIONS] = {"alle", "all"},
    [T_WARNING] = {"Let op:", "Warning:"},
    [T_WARN_NEVER] = {"deze kiosk heeft nog nooit iets van zich laten horen.",
                      "this kiosk has never sent a heartbeat."},
    [T_WARN_SILENT] = {"deze kiosk is langer dan drie hartslagen stil. Staat hij aan en heeft"
                       " hij netwerk?",
                       "this kiosk has been silent for longer than three heartbeats. Is it on"
                       " and online?"},
    [T_WARN_STALE] = {"deze kiosk toont inhoud die ouder is dan een dag.",
                      "this kiosk shows content older than a day."},
    [T_OK] = {"In orde.", "All well."},
    [T_NEW_TOKEN] = {"Nieuw token", "Replace token"},
    [T_ENROL_TITLE] = {"Kiosk aanmelden", "Enrol a kiosk"},
    [T_KIOSK_ID] = {"Kiosk-id (letters, cijfers, - en _)", "Kiosk id (letters, digits, - and _)"},
    [T_ENROL_LOCATIONS] = {"Locaties van de kiosk", "The kiosk's locations"},
    [T_ENROL_LOCATIONS_HINT] = {"Geen vinkje: alle locaties (alleen voor coördinatoren).",
                                "None ticked: all locations (coordinators only)."},
    [T_ENROL_BUTTON] = {"Aanmelden en token maken", "Enrol and make a token"},
    [T_ERR_ID] = {"Gebruik 1 tot 128 letters, cijfers, - of _.",
                  "Use 1 to 128 letters, digits, - or _."},
    [T_ERR_EXISTS] = {"Er is al een kiosk met dit id. Vraag daar een nieuw token voor.",
                      "A kiosk with this id exists. Replace its token instead."},
    [T_ERR_LOCATIONS] = {"Kies ten minste één van uw locaties.",
                         "Choose at least one of your locations."},
    [T_TOKEN_TITLE] = {"Token van kiosk", "Token of kiosk"},
    [T_TOKEN_ONCE] = {"Dit token ziet u maar één keer: de hub bewaart het niet. Schrijf het"
                      " nu over of kopieer het.",
                      "You see this token only once: the hub does not keep it. Copy it now."},
    [T_TOKEN_HOW] = {"Op de kiosk: zet het token als enige regel in het bestand dat"
                     " kiosk.token_file noemt (bijvoorbeeld /etc/buurtkiosk/token, alleen"
                     " leesbaar voor de kiosk), zet kiosk.id op het id hierboven en kiosk.hub"
                     " op het adres van deze hub, en herstart buurtkiosk.",
                     "On the kiosk: put the token as the only line of the file that"
                     " kiosk.token_file names (for example /etc/buurtkiosk/token, readable by"
                     " the kiosk only), set kiosk.id to the id above and kiosk.hub to this"
                     " hub's address, and restart buurtkiosk."},
    [T_TOKEN_CONFIRM_TITLE] = {"Nieuw token maken", "Replace the token"},
    [T_TOKEN_CONFIRM] = {"Het oude token werkt daarna niet meer: de kiosk kan niets meer"
                         " ophalen of versturen tot het nieuwe token erin staat.",
                         "The old token stops working at once: the kiosk can fetch or send"
                         " nothing until the new token is in place."},
    [T_TOKEN_YES] = {"Ja, nieuw token maken", "Yes, replace the token"},
    [T_BACK] = {"Terug naar de kiosken", "Back to the kiosks"},
};

static const char *tx(const struct admin_out *o, enum text t)
{
    return texts[t][o->lang];
}

unsigned admin_kiosk_warnings(int64_t now, int64_t heartbeat_at, int64_t sync_ok_at,
                              int64_t heartbeat_s)
{
    if (heartbeat_at < 0)
        return KIOSK_WARN_NEVER;
    unsigned w = 0;
    if (now - heartbeat_at > SILENT_HEARTBEATS * heartbeat_s)
        w |= KIOSK_WARN_SILENT;
    /* A kiosk that never synced shows the bundled sample, or nothing. */
    if (sync_ok_at < 0 || now - sync_ok_at > STALE_S)
        w |= KIOSK_WARN_STALE;
    return w;
}

/* ---- who may see and change which kiosk ------------------------------------------------ */

/* Whether the user sees a kiosk with these locations (JSON array, NULL =
 * all): one of them is the user's. */
static bool kiosk_visible(const char *user_locations, const char *kiosk_locations)
{
    if (!user_locations || !kiosk_locations)
        return true;
    json_t *locs = json_loads(kiosk_locations, 0, NULL);
    bool any = false;
    size_t i;
    json_t *v;
    json_array_foreach(locs, i, v) {
        any |= hub_session_may_see(user_locations, json_string_value(v));
    }
    json_decref(locs);
    return any;
}

/* Whether the user may replace its token: every location it serves is the
 * user's (a kiosk for all locations: coordinators only). */
static bool kiosk_manageable(const char *user_locations, const char *kiosk_locations)
{
    if (!user_locations)
        return true;
    if (!kiosk_locations)
        return false;
    json_t *locs = json_loads(kiosk_locations, 0, NULL);
    bool all = json_array_size(locs) > 0;
    size_t i;
    json_t *v;
    json_array_foreach(locs, i, v) {
        all &= hub_session_may_see(user_locations, json_string_value(v));
    }
    json_decref(locs);
    return all;
}

/* ---- the page -------------------------------------------------------------------------- */

static void ago(struct admin_out *o, int64_t seconds)
{
    if (seconds < 0)
        seconds = 0;
    if (seconds < 120)
        fprintf(o->f, "%" PRId64 " %s", seconds, tx(o, T_AGO_S));
    else if (seconds < 2 * 3600)
        fprintf(o->f, "%" PRId64 " %s", seconds / 60, tx(o, T_AGO_MIN));
    else if (seconds < 2 * 86400)
        fprintf(o->f, "%" PRId64 " %s", seconds / 3600, tx(o, T_AGO_H));
    else
        fprintf(o->f, "%" PRId64 " %s", seconds / 86400, tx(o, T_AGO_D));
}

static void when_and_ago(struct admin_out *o, int64_t t, int64_t now)
{
    if (t < 0) {
        fputs(tx(o, T_NEVER), o->f);
        return;
    }
    char when[RFC3339_LEN];
    rfc3339_format_local(t, when);
    fprintf(o->f, "<time datetime=\"%s\">%.10s %.5s</time> (", when, when, when + 11);
    ago(o, now - t);
    fputs(")", o->f);
}

static void dd_int(struct admin_out *o, enum text label, sqlite3_stmt *st, int col,
                   const char *unit)
{
    fprintf(o->f, "<dt>%s</dt><dd>", tx(o, label));
    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        fputs("–", o->f);
    else
        fprintf(o->f, "%" PRId64 "%s", (int64_t)sqlite3_column_int64(st, col), unit);
    fputs("</dd>", o->f);
}

static void dd_text(struct admin_out *o, enum text label, const char *value)
{
    fprintf(o->f, "<dt>%s</dt><dd>", tx(o, label));
    hub_html_text(o->f, value && *value ? value : "–");
    fputs("</dd>", o->f);
}

/* One kiosk's card: its state, its warnings in words, and the button that
 * replaces its token when the user may. */
static void kiosk_card(struct admin_out *o, const struct admin_ctx *cx, sqlite3_stmt *st,
                       int64_t now)
{
    FILE *f = o->f;
    const char *id = hub_db_column_text(st, 0);
    const char *locations = hub_db_column_text(st, 1);
    int64_t heartbeat_at = sqlite3_column_type(st, 2) == SQLITE_NULL
                               ? -1 : sqlite3_column_int64(st, 2);
    int64_t sync_ok_at = -1;
    const char *sync_text = hub_db_column_text(st, 5);
    if (sync_text && !rfc3339_parse(sync_text, &sync_ok_at))
        sync_ok_at = -1;
    unsigned w = admin_kiosk_warnings(now, heartbeat_at, sync_ok_at, HEARTBEAT_DEFAULT_S);
    /* Kiosk ids are feed ids ([A-Za-z0-9_-]): safe in an id attribute. */
    fprintf(f, "<section class=\"kiosk\" id=\"kiosk-%s\" aria-labelledby=\"kiosk-%s-title\">"
               "<h2 id=\"kiosk-%s-title\">", id, id, id);
    hub_html_text(f, id);
    fputs("</h2>", f);
    if (w) {
        fprintf(f, "<p class=\"error warning\" id=\"warning-%s\"><strong>%s</strong>", id,
                tx(o, T_WARNING));
        if (w & KIOSK_WARN_NEVER)
            fprintf(f, " %s", tx(o, T_WARN_NEVER));
        if (w & KIOSK_WARN_SILENT)
            fprintf(f, " %s", tx(o, T_WARN_SILENT));
        if (w & KIOSK_WARN_STALE)
            fprintf(f, " %s", tx(o, T_WARN_STALE));
        fputs("</p>", f);
    } else {
        fprintf(f, "<p class=\"ok\" id=\"ok-%s\">%s</p>", id, tx(o, T_OK));
    }
    fputs("<dl>", f);
    fprintf(f, "<dt>%s</dt><dd>", tx(o, T_LOCATIONS));
    if (!locations) {
        fputs(tx(o, T_ALL_LOCATIONS), f);
    } else {
        json_t *locs = json_loads(locations, 0, NULL);
        size_t i;
        json_t *v;
        json_array_foreach(locs, i, v) {
            if (i)
                fputs(", ", f);
            hub_html_text(f, json_string_value(v));
        }
        json_decref(locs);
    }
    fprintf(f, "</dd><dt>%s</dt><dd>", tx(o, T_HEARTBEAT));
    when_and_ago(o, heartbeat_at, now);
    fputs("</dd>", f);
    dd_text(o, T_VERSION, hub_db_column_text(st, 3));
    const char *screen = hub_db_column_text(st, 4);
    enum text screen_text = T_COUNT;
    if (screen && strcmp(screen, "on") == 0)
        screen_text = T_SCREEN_ON;
    else if (screen && strcmp(screen, "off") == 0)
        screen_text = T_SCREEN_OFF;
    else if (screen && strcmp(screen, "fault") == 0)
        screen_text = T_SCREEN_FAULT;
    fprintf(f, "<dt>%s</dt><dd%s>", tx(o, T_SCREEN),
            screen_text == T_SCREEN_FAULT ? " class=\"error\"" : "");
    hub_html_text(f, screen_text != T_COUNT ? tx(o, screen_text) : screen ? screen : "–");
    fprintf(f, "</dd><dt>%s</dt><dd>", tx(o, T_LAST_SYNC));
    when_and_ago(o, sync_ok_at, now);
    fputs("</dd>", f);
    dd_text(o, T_LAST_ERROR, hub_db_column_text(st, 6));
    dd_int(o, T_PENDING, st, 7, "");
    dd_int(o, T_REJECTED, st, 8, "");
    dd_int(o, T_FREE_DISK, st, 9, " MB");
    fputs("</dl>", f);
    if (kiosk_manageable(cx->session->locations, locations)) {
        fprintf(f, "<form method=\"post\" action=\"/admin/kiosks/token%s\">"
                   "<input type=\"hidden\" name=\"kiosk_id\" value=\"%s\">",
                o->lang_query, id);
        admin_csrf_field(o, cx);
        fprintf(f, "<button type=\"submit\" id=\"token-%s\">%s</button></form>", id,
                tx(o, T_NEW_TOKEN));
    }
    fputs("</section>", f);
}

/* The enrol form's state when it comes back with errors. */
struct enrol_form {
    const char *kiosk_id;
    const struct admin_form *chosen;   /* the posted checkboxes, or NULL */
    enum text id_error, locations_error;  /* T_COUNT: none */
};

static bool chosen(const struct admin_form *form, const char *location)
{
    for (size_t i = 0; form && i < admin_form_count(form, "locations"); i++)
        if (strcmp(admin_form_nth(form, "locations", i), location) == 0)
            return true;
    return false;
}

static const char SQL_LOCATIONS[] =
    "SELECT id, CASE json_type(body, '$.name') WHEN 'text' THEN json_extract(body, '$.name')"
    " ELSE COALESCE(json_extract(body, '$.name.' || ?1), json_extract(body, '$.name.nl'),"
    " json_extract(body, '$.name.en'), id) END FROM items WHERE kind = ?2 ORDER BY seq";

/* The enrol form, with a checkbox per location the user may see. */
static bool enrol_form(struct admin_out *o, const struct admin_ctx *cx, struct hub_db *db,
                       const struct enrol_form *e)
{
    FILE *f = o->f;
    fprintf(f, "<section aria-labelledby=\"enrol-title\"><h2 id=\"enrol-title\">%s</h2>",
            tx(o, T_ENROL_TITLE));
    if (e && (e->id_error != T_COUNT || e->locations_error != T_COUNT))
        fprintf(f, "<p class=\"error\" role=\"alert\">%s</p>",
                admin_msg(o, MSG_FORM_HAS_ERRORS));
    fprintf(f, "<form method=\"post\" action=\"/admin/kiosks/enrol%s\">", o->lang_query);
    admin_csrf_field(o, cx);
    admin_field(o, "kiosk_id", tx(o, T_KIOSK_ID), "text", e ? e->kiosk_id : NULL,
                e && e->id_error != T_COUNT ? tx(o, e->id_error) : NULL,
                "required maxlength=\"128\" pattern=\"[A-Za-z0-9_\\-]{1,128}\""
                " autocapitalize=\"none\" spellcheck=\"false\"");
    bool loc_error = e && e->locations_error != T_COUNT;
    fprintf(f, "<fieldset%s><legend>%s</legend>",
            loc_error ? " aria-describedby=\"locations-error\"" : "", tx(o, T_ENROL_LOCATIONS));
    if (loc_error)
        fprintf(f, "<p class=\"error\" id=\"locations-error\">%s</p>",
                tx(o, e->locations_error));
    if (!cx->session->locations)
        fprintf(f, "<p>%s</p>", tx(o, T_ENROL_LOCATIONS_HINT));
    sqlite3_stmt *st = hub_db_prepare(db, SQL_LOCATIONS);
    if (!st)
        return false;
    hub_db_bind_text(st, 1, hub_html_lang_code(o->lang));
    sqlite3_bind_int(st, 2, FEED_LOCATION);
    int rc;
    while ((rc = hub_db_step(db, st)) == SQLITE_ROW) {
        const char *id = hub_db_column_text(st, 0);
        if (!hub_session_may_see(cx->session->locations, id))
            continue;
        /* Location ids are feed ids: safe in attributes. */
        fprintf(f, "<div class=\"check\"><input type=\"checkbox\" name=\"locations\""
                   " id=\"loc-%s\" value=\"%s\"%s> <label for=\"loc-%s\" style=\"display:inline;"
                   "font-weight:normal\">", id, id, e && chosen(e->chosen, id) ? " checked" : "",
                id);
        hub_html_text(f, hub_db_column_text(st, 1));
        fprintf(f, " (%s)</label></div>", id);
    }
    sqlite3_reset(st);
    fprintf(f, "</fieldset><div><button type=\"submit\" id=\"enrol\">%s</button></div></form>"
               "</section>", tx(o, T_ENROL_BUTTON));
    return rc == SQLITE_DONE;
}

static enum MHD_Result kiosks_page(const struct admin_ctx *cx, unsigned status,
                                   const struct enrol_form *e)
{
    static const char sql[] =
        "SELECT k.id, k.locations, h.received_at, h.version, h.screen, h.last_sync_ok_at,"
        " h.last_sync_error, h.outbox_pending, h.outbox_rejected, h.free_disk_mb"
        " FROM kiosks k LEFT JOIN heartbeats h ON h.kiosk_id = k.id ORDER BY k.id";
    struct admin_out o;
    if (!admin_out_open(&o, cx->c))
        return MHD_NO;
    admin_page_begin(&o, cx, tx(&o, T_TITLE));
    fprintf(o.f, "<h1>%s</h1>", tx(&o, T_TITLE));
    struct hub_db *db = hub_pool_acquire(cx->opts->pool);
    bool ok = db && hub_db_begin_read(db);
    sqlite3_stmt *st = ok ? hub_db_prepare(db, sql) : NULL;
    ok = st != NULL;
    int64_t now = admin_now(cx);
    int shown = 0;
    if (ok) {
        int rc;
        while ((rc = hub_db_step(db, st)) == SQLITE_ROW) {
            if (!kiosk_visible(cx->session->locations, hub_db_column_text(st, 1)))
                continue;
            kiosk_card(&o, cx, st, now);
            shown++;
        }
        sqlite3_reset(st);
        ok = rc == SQLITE_DONE;
    }
    if (ok && shown == 0)
        fprintf(o.f, "<p>%s</p>", tx(&o, T_NONE));
    ok = ok && enrol_form(&o, cx, db, e);
    if (db)
        hub_db_commit(db);
    hub_pool_release(cx->opts->pool, db);
    hub_html_end(o.f);
    if (!ok) {
        admin_out_discard(&o);
        return admin_simple_page(cx->c, MHD_HTTP_INTERNAL_SERVER_ERROR, MSG_ERROR, NULL, NULL);
    }
    return admin_out_send(&o, cx->c, status, true, NULL, NULL);
}

enum MHD_Result admin_kiosks_page(const struct admin_ctx *cx)
{
    return kiosks_page(cx, MHD_HTTP_OK, NULL);
}

/* ---- the token, once ------------------------------------------------------------------- */

static enum MHD_Result token_page(const struct admin_ctx *cx, const char *kiosk_id,
                                  char token[HUB_TOKEN_LEN + 1])
{
    struct admin_out o;
    if (!admin_out_open(&o, cx->c)) {
        sodium_memzero(token, HUB_TOKEN_LEN + 1);
        return MHD_NO;
    }
    admin_page_begin(&o, cx, tx(&o, T_TOKEN_TITLE));
    fprintf(o.f, "<h1>%s %s</h1><p><strong>%s</strong></p>"
                 "<p><code id=\"token\" style=\"font-size:1.3rem;word-break:break-all\">%s</code>"
                 "</p><p>%s</p><p><a href=\"/admin/kiosks%s\">%s</a></p>",
            tx(&o, T_TOKEN_TITLE), kiosk_id, tx(&o, T_TOKEN_ONCE), token, tx(&o, T_TOKEN_HOW),
            o.lang_query, tx(&o, T_BACK));
    sodium_memzero(token, HUB_TOKEN_LEN + 1);
    hub_html_end(o.f);
    /* Not a redirect: the token exists nowhere else; no-store keeps it out
     * of the browser's cache. */
    enum MHD_Result rc = admin_out_send(&o, cx->c, MHD_HTTP_OK, true, NULL, NULL);
    return rc;
}

/* Audits a kiosk change. hub_db.c's kiosk add/token commit on their own,
 * so the row follows in a transaction of its own (docs/spec-notes.md). */
static void audit_kiosk(const struct admin_ctx *cx, struct hub_db *db,
                        enum hub_audit_action action, const char *kiosk_id)
{
    hub_audit_record_alone(db, admin_now(cx), cx->session->username, action, kiosk_id);
}

enum MHD_Result admin_kiosks_enrol(const struct admin_ctx *cx)
{
    const char *id = admin_form_get(cx->form, "kiosk_id");
    struct enrol_form e = {id ? id : "", cx->form, T_COUNT, T_COUNT};
    if (!id || !feed_id_valid(id))
        e.id_error = T_ERR_ID;
    /* Every ticked location must be one the user may see; staff must tick
     * at least one (none is "all locations", a coordinator's to give). */
    size_t n = admin_form_count(cx->form, "locations");
    char list[LOCATIONS_MAX * (FEED_ID_MAX + 1) + 1] = "";
    size_t len = 0;
    bool locations_ok = n <= LOCATIONS_MAX && (n > 0 || !cx->session->locations);
    for (size_t i = 0; locations_ok && i < n; i++) {
        const char *loc = admin_form_nth(cx->form, "locations", i);
        locations_ok = feed_id_valid(loc) && hub_session_may_see(cx->session->locations, loc);
        if (locations_ok)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? "," : "", loc);
    }
    if (!locations_ok || (n > 0 && !hub_locations_valid(list)))
        e.locations_error = T_ERR_LOCATIONS;
    if (e.id_error != T_COUNT || e.locations_error != T_COUNT)
        return kiosks_page(cx, MHD_HTTP_UNPROCESSABLE_CONTENT, &e);
    struct hub_db *db = hub_pool_acquire(cx->opts->pool);
    char token[HUB_TOKEN_LEN + 1];
    enum hub_kiosk_result r =
        db ? hub_db_kiosk_add(db, id, n ? list : NULL, admin_now(cx), token) : HUB_KIOSK_ERROR;
    if (r == HUB_KIOSK_OK) {
        audit_kiosk(cx, db, HUB_AUDIT_KIOSK_ENROL, id);
        log_info(TAG, "kiosk %s enrolled in the console", id);
    }
    hub_pool_release(cx->opts->pool, db);
    if (r == HUB_KIOSK_EXISTS) {
        e.id_error = T_ERR_EXISTS;
        return kiosks_page(cx, MHD_HTTP_UNPROCESSABLE_CONTENT, &e);
    }
    if (r != HUB_KIOSK_OK)
        return admin_simple_page(cx->c, MHD_HTTP_INTERNAL_SERVER_ERROR, MSG_ERROR, NULL, NULL);
    return token_page(cx, id, token);
}

/* The kiosk's locations when it exists: 1 (locations malloc'd or NULL for
 * all), 0 unknown, -1 error. */
static int kiosk_locations(struct hub_db *db, const char *id, char **locations)
{
    static const char sql[] = "SELECT locations FROM kiosks WHERE id = ?1";
    *locations = NULL;
    if (!hub_db_begin_read(db))
        return -1;
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    int found = -1;
    if (st) {
        hub_db_bind_text(st, 1, id);
        int rc = hub_db_step(db, st);
        found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
        const char *locs = found == 1 ? hub_db_column_text(st, 0) : NULL;
        if (locs && !(*locations = strdup(locs)))
            found = -1;
        sqlite3_reset(st);
    }
    hub_db_commit(db);
    return found;
}

static enum MHD_Result token_confirmation(const struct admin_ctx *cx, const char *id)
{
    struct admin_out o;
    if (!admin_out_open(&o, cx->c))
        return MHD_NO;
    admin_page_begin(&o, cx, tx(&o, T_TOKEN_CONFIRM_TITLE));
    fprintf(o.f, "<h1>%s: %s</h1><p>%s</p><form method=\"post\" action=\"/admin/kiosks/token%s\">"
                 "<input type=\"hidden\" name=\"kiosk_id\" value=\"%s\">"
                 "<input type=\"hidden\" name=\"confirm\" value=\"1\">",
            tx(&o, T_TOKEN_CONFIRM_TITLE), id, tx(&o, T_TOKEN_CONFIRM), o.lang_query, id);
    admin_csrf_field(&o, cx);
    fprintf(o.f, "<button type=\"submit\" id=\"confirm-token\">%s</button></form>"
                 "<p><a href=\"/admin/kiosks%s\">%s</a></p>",
            tx(&o, T_TOKEN_YES), o.lang_query, tx(&o, T_BACK));
    hub_html_end(o.f);
    return admin_out_send(&o, cx->c, MHD_HTTP_OK, true, NULL, NULL);
}

enum MHD_Result admin_kiosks_token(const struct admin_ctx *cx)
{
    const char *id = admin_form_get(cx->form, "kiosk_id");
    const char *confirm = admin_form_get(cx->form, "confirm");
    if (!id || !feed_id_valid(id))
        return admin_simple_page(cx->c, MHD_HTTP_NOT_FOUND, MSG_NOT_FOUND, NULL, NULL);
    struct hub_db *db = hub_pool_acquire(cx->opts->pool);
    char *locations = NULL;
    int found = db ? kiosk_locations(db, id, &locations) : -1;
    /* A kiosk the user may not change is as good as unknown. */
    if (found == 1 && !kiosk_manageable(cx->session->locations, locations))
        found = 0;
    free(locations);
    enum MHD_Result rc;
    if (found != 1) {
        rc = admin_simple_page(cx->c, found == 0 ? MHD_HTTP_NOT_FOUND
                                                 : MHD_HTTP_INTERNAL_SERVER_ERROR,
                               found == 0 ? MSG_NOT_FOUND : MSG_ERROR, NULL, NULL);
    } else if (!(confirm && strcmp(confirm, "1") == 0)) {
        rc = token_confirmation(cx, id);
    } else {
        char token[HUB_TOKEN_LEN + 1];
        enum hub_kiosk_result r = hub_db_kiosk_new_token(db, id, admin_now(cx), token);
        if (r == HUB_KIOSK_OK) {
            audit_kiosk(cx, db, HUB_AUDIT_KIOSK_TOKEN, id);
            log_info(TAG, "kiosk %s: new token made in the console", id);
            rc = token_page(cx, id, token);
        } else {
            rc = admin_simple_page(cx->c, r == HUB_KIOSK_UNKNOWN ? MHD_HTTP_NOT_FOUND
                                                                 : MHD_HTTP_INTERNAL_SERVER_ERROR,
                                   r == HUB_KIOSK_UNKNOWN ? MSG_NOT_FOUND : MSG_ERROR, NULL,
                                   NULL);
        }
    }
    hub_pool_release(cx->opts->pool, db);
    return rc;
}
