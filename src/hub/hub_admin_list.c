/*
 * The actions on an occurrence's list (issue 13): marking attendance,
 * cancelling a sign-up (the waiting list moves up), and adding a sign-up
 * taken by phone, judged by hub_signup.c exactly as a kiosk's is.
 *
 *   POST /admin/list/attend   activity, at, signup_id, present=1|0, csrf
 *   POST /admin/list/cancel   activity, at, signup_id, csrf; a confirmation
 *                             page first, then the same POST with confirm=1
 *   POST /admin/list/add      activity, at, name, phone, email, party_size,
 *                             remark, waitlist_ok, csrf
 *
 * Each action answers 303 back to the list with ?notice= naming what
 * happened (PRG); the notice is a word from a fixed list, never anything
 * a resident typed, since URLs end up in proxies' logs and the browser's
 * history. An occurrence the user may not see, or a sign-up that is not
 * the named occurrence's, answers 404. The audit rows (signup.attend,
 * signup.cancel, signup.add) carry the sign-up's id, never a name.
 */
#include <inttypes.h>
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "hub/hub_admin_page.h"
#include "hub/hub_signup.h"

#define TAG "hub-admin"

/* What the console's sign-ups carry as kiosk_id: marks them as taken by
 * staff in the listing and its CSV (docs/spec-notes.md). */
#define CONSOLE_KIOSK_ID "console"

/* ---- texts ----------------------------------------------------------------------------- */

enum text {
    T_ATTEND, T_ATTENDED, T_UNDO, T_CANCEL, T_CANCEL_TITLE, T_CANCEL_QUESTION,
    T_CANCEL_WAITING, T_CANCEL_YES, T_CANCEL_NO, T_PERSONS,
    T_ADD_TITLE, T_ADD_HINT, T_EMAIL, T_WAITLIST_OK, T_ADD_BUTTON,
    T_ERR_NAME, T_ERR_PHONE, T_ERR_EMAIL, T_ERR_PARTY, T_ERR_REMARK, T_ERR_RULES,
    T_NOTICE_ATTENDED, T_NOTICE_UNATTENDED, T_NOTICE_CANCELLED, T_NOTICE_MOVED_UP,
    T_NOTICE_NOT_CANCELLABLE, T_NOTICE_CONFIRMED, T_NOTICE_WAITLISTED, T_NOTICE_FULL,
    T_NOTICE_CLOSED, T_COUNT
};

static const char *const texts[T_COUNT][HUB_LANG_COUNT] = {
    [T_ATTEND] = {"Aanwezig", "Present"},
    [T_ATTENDED] = {"aanwezig", "present"},
    [T_UNDO] = {"Ongedaan maken", "Undo"},
    [T_CANCEL] = {"Afmelden", "Cancel sign-up"},
    [T_CANCEL_TITLE] = {"Aanmelding afmelden", "Cancel a sign-up"},
    [T_CANCEL_QUESTION] = {"Wilt u deze aanmelding afmelden?", "Cancel this sign-up?"},
    [T_CANCEL_WAITING] = {"Wie op de wachtlijst staat en past, schuift door en komt op de"
                          " lijst om te bellen.",
                          "Whoever is on the waiting list and fits moves up and is listed"
                          " to be phoned."},
    [T_CANCEL_YES] = {"Ja, afmelden", "Yes, cancel it"},
    [T_CANCEL_NO] = {"Nee, terug naar de lijst", "No, back to the list"},
    [T_PERSONS] = {"personen", "people"},
    [T_ADD_TITLE] = {"Aanmelding per telefoon", "Sign-up taken by phone"},
    [T_ADD_HINT] = {"Dezelfde regels als op de kiosk: plaatsen, wachtlijst en sluitingstijd.",
                    "The same rules as on the kiosk: places, waiting list and closing time."},
    [T_EMAIL] = {"E-mail (alleen als de activiteit erom vraagt)",
                 "E-mail (only when the activity asks for it)"},
    [T_WAITLIST_OK] = {"Op de wachtlijst als het vol is", "On the waiting list when full"},
    [T_ADD_BUTTON] = {"Aanmelden", "Sign up"},
    [T_ERR_NAME] = {"Vul een naam in (ten hoogste 80 tekens).",
                    "Enter a name (at most 80 characters)."},
    [T_ERR_PHONE] = {"Vul een geldig telefoonnummer in.", "Enter a valid phone number."},
    [T_ERR_EMAIL] = {"Vul een geldig e-mailadres in.", "Enter a valid e-mail address."},
    [T_ERR_PARTY] = {"Een aantal van 1 tot 20 (1 als de activiteit niet naar het aantal vraagt).",
                     "A number from 1 to 20 (1 when the activity does not ask for it)."},
    [T_ERR_REMARK] = {"Ten hoogste 500 tekens, zonder vreemde tekens.",
                      "At most 500 characters, no control characters."},
    [T_ERR_RULES] = {"Deze activiteit neemt op dit moment geen aanmeldingen aan.",
                     "This activity takes no sign-ups for this date."},
    [T_NOTICE_ATTENDED] = {"Aanwezigheid genoteerd.", "Attendance marked."},
    [T_NOTICE_UNATTENDED] = {"Aanwezigheid weggehaald.", "Attendance mark removed."},
    [T_NOTICE_CANCELLED] = {"Afgemeld.", "Sign-up cancelled."},
    [T_NOTICE_MOVED_UP] = {"Afgemeld. Van de wachtlijst is doorgeschoven wie past: bellen!",
                           "Sign-up cancelled. Whoever fitted moved up from the waiting list:"
                           " please phone them."},
    [T_NOTICE_NOT_CANCELLABLE] = {"Niet afgemeld: deze aanmelding heeft geen plaats of"
                                  " wachtlijstplek (meer).",
                                  "Not cancelled: this sign-up holds no place or waiting-list"
                                  " spot (any more)."},
    [T_NOTICE_CONFIRMED] = {"Aangemeld: er is een plaats.", "Signed up: a place is confirmed."},
    [T_NOTICE_WAITLISTED] = {"Vol: op de wachtlijst gezet.",
                             "Full: put on the waiting list."},
    [T_NOTICE_FULL] = {"Niet aangemeld: de activiteit is vol en er is geen wachtlijst"
                       " (of die was niet gewenst).",
                       "Not signed up: the activity is full and there is no waiting list"
                       " (or it was not wanted)."},
    [T_NOTICE_CLOSED] = {"Niet aangemeld: de aanmelding voor deze datum is gesloten.",
                         "Not signed up: sign-ups for this date are closed."},
};

static const char *tx(const struct admin_out *o, enum text t)
{
    return texts[t][o->lang];
}

/* The notices a redirect may name, by the word in ?notice=. error: shown
 * as a refusal, not as a success. */
static const struct {
    const char *word;
    enum text text;
    bool error;
} notices[] = {
    {"attended", T_NOTICE_ATTENDED, false},
    {"unattended", T_NOTICE_UNATTENDED, false},
    {"cancelled", T_NOTICE_CANCELLED, false},
    {"moved-up", T_NOTICE_MOVED_UP, false},
    {"not-cancellable", T_NOTICE_NOT_CANCELLABLE, true},
    {"confirmed", T_NOTICE_CONFIRMED, false},
    {"waitlisted", T_NOTICE_WAITLISTED, false},
    {"full", T_NOTICE_FULL, true},
    {"closed", T_NOTICE_CLOSED, true},
};

/* ---- parsing --------------------------------------------------------------------------- */

bool admin_parse_int(const char *text, int64_t min, int64_t max, int64_t *out)
{
    if (!text || !*text || strlen(text) > 18)
        return false;
    int64_t v = 0;
    for (const char *p = text; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        v = v * 10 + (*p - '0');
    }
    if (v < min || v > max)
        return false;
    *out = v;
    return true;
}

/* ---- the list page's parts ------------------------------------------------------------- */

void admin_list_notice(struct admin_out *o, const struct admin_ctx *cx)
{
    const char *word = admin_arg(cx, "notice");
    for (size_t i = 0; word && i < sizeof notices / sizeof *notices; i++) {
        if (strcmp(word, notices[i].word) != 0)
            continue;
        /* role=status: a screen reader says it without moving the focus. */
        fprintf(o->f, "<p class=\"notice%s\" id=\"notice\" role=\"status\">",
                notices[i].error ? " error" : "");
        hub_html_text(o->f, tx(o, notices[i].text));
        fputs("</p>", o->f);
    }
}

/* The hidden fields naming the occurrence and the sign-up, with csrf. */
static void hidden_fields(struct admin_out *o, const struct admin_ctx *cx,
                          const struct admin_occ *x, const char *signup_id)
{
    fprintf(o->f, "<input type=\"hidden\" name=\"activity\" value=\"%s\">"
                  "<input type=\"hidden\" name=\"at\" value=\"%" PRId64 "\">", x->id, x->at);
    if (signup_id) {
        fputs("<input type=\"hidden\" name=\"signup_id\" value=\"", o->f);
        hub_html_text(o->f, signup_id);
        fputs("\">", o->f);
    }
    admin_csrf_field(o, cx);
}

void admin_list_row_actions(struct admin_out *o, const struct admin_ctx *cx,
                            const struct admin_occ *x, const char *signup_id, bool confirmed,
                            bool attended)
{
    FILE *f = o->f;
    /* Sign-up ids are UUIDs (checked on the way in), safe in an id. */
    if (confirmed && attended) {
        fprintf(f, "<span class=\"attended\" id=\"attended-%s\">%s</span> ", signup_id,
                tx(o, T_ATTENDED));
        fprintf(f, "<form class=\"inline\" method=\"post\" action=\"/admin/list/attend%s\">",
                o->lang_query);
        hidden_fields(o, cx, x, signup_id);
        fprintf(f, "<input type=\"hidden\" name=\"present\" value=\"0\">"
                   "<button type=\"submit\" id=\"unattend-%s\">%s</button></form> ",
                signup_id, tx(o, T_UNDO));
    } else if (confirmed) {
        fprintf(f, "<form class=\"inline\" method=\"post\" action=\"/admin/list/attend%s\">",
                o->lang_query);
        hidden_fields(o, cx, x, signup_id);
        fprintf(f, "<input type=\"hidden\" name=\"present\" value=\"1\">"
                   "<button type=\"submit\" id=\"attend-%s\">%s</button></form> ",
                signup_id, tx(o, T_ATTEND));
    }
    fprintf(f, "<form class=\"inline\" method=\"post\" action=\"/admin/list/cancel%s\">",
            o->lang_query);
    hidden_fields(o, cx, x, signup_id);
    fprintf(f, "<button type=\"submit\" id=\"cancel-%s\">%s</button></form>", signup_id,
            tx(o, T_CANCEL));
}

/* The phone sign-up form's fields, in the order shown. */
enum add_field { F_NAME, F_PHONE, F_EMAIL, F_PARTY, F_REMARK, F_COUNT };

static const char *const field_names[F_COUNT] = {"name", "phone", "email", "party_size",
                                                 "remark"};

struct admin_list_add {
    const char *value[F_COUNT];
    bool waitlist_ok;
    enum text error[F_COUNT];       /* T_COUNT: none */
    enum text general;              /* T_COUNT: none */
};

void admin_list_add_form(struct admin_out *o, const struct admin_ctx *cx,
                         const struct admin_occ *x, const struct admin_list_add *add)
{
    FILE *f = o->f;
    static const enum hub_msg labels[F_COUNT] = {MSG_NAME, MSG_PHONE, MSG_COUNT, MSG_PARTY,
                                                 MSG_REMARK};
    fprintf(f, "<section aria-labelledby=\"add-title\"><h2 id=\"add-title\">%s</h2><p>%s</p>",
            tx(o, T_ADD_TITLE), tx(o, T_ADD_HINT));
    bool errors = false;
    for (int i = 0; add && i < F_COUNT; i++)
        errors |= add->error[i] != T_COUNT;
    if (add && (errors || add->general != T_COUNT)) {
        fprintf(f, "<p class=\"error\" role=\"alert\">%s",
                admin_msg(o, MSG_FORM_HAS_ERRORS));
        if (add->general != T_COUNT)
            fprintf(f, " %s", tx(o, add->general));
        fputs("</p>", f);
    }
    fprintf(f, "<form method=\"post\" action=\"/admin/list/add%s\">", o->lang_query);
    hidden_fields(o, cx, x, NULL);
    static const char *const extra[F_COUNT] = {
        "maxlength=\"80\" autocomplete=\"off\"", "maxlength=\"40\" autocomplete=\"off\"",
        "maxlength=\"254\" autocomplete=\"off\"", "min=\"1\" max=\"20\" required",
        "maxlength=\"500\""};
    static const char *const types[F_COUNT] = {"text", "tel", "email", "number", "textarea"};
    for (int i = 0; i < F_COUNT; i++) {
        const char *value = add ? add->value[i] : NULL;
        if (i == F_PARTY && !value)
            value = "1";
        const char *label = i == F_EMAIL ? tx(o, T_EMAIL) : admin_msg(o, labels[i]);
        admin_field(o, field_names[i], label, types[i], value,
                    add && add->error[i] != T_COUNT ? tx(o, add->error[i]) : NULL, extra[i]);
    }
    bool wait = add ? add->waitlist_ok : true;
    fprintf(f, "<div class=\"field\"><input type=\"checkbox\" id=\"waitlist_ok\""
               " name=\"waitlist_ok\" value=\"1\"%s> <label for=\"waitlist_ok\""
               " style=\"display:inline\">%s</label></div>",
            wait ? " checked" : "", tx(o, T_WAITLIST_OK));
    fprintf(f, "<div><button type=\"submit\" id=\"add-signup\">%s</button></div></form>"
               "</section>",
            tx(o, T_ADD_BUTTON));
}

/* ---- answers --------------------------------------------------------------------------- */

/* 303 back to the occurrence's list with a notice. */
static enum MHD_Result back_to_list(const struct admin_ctx *cx, const struct admin_occ *x,
                                    const char *notice)
{
    /* An activity id is a feed id ([A-Za-z0-9_-]): safe in a URL as is. */
    const char *lang = admin_arg(cx, "lang");
    char location[FEED_ID_MAX + 128];
    snprintf(location, sizeof location, "/admin/list?activity=%s&at=%" PRId64 "&notice=%s%s",
             x->id, x->at, notice, lang && strcmp(lang, "en") == 0 ? "&lang=en" : "");
    return admin_redirect(cx->c, location, NULL);
}

static enum MHD_Result not_found(const struct admin_ctx *cx)
{
    return admin_simple_page(cx->c, MHD_HTTP_NOT_FOUND, MSG_NOT_FOUND, NULL, NULL);
}

static enum MHD_Result failed(const struct admin_ctx *cx)
{
    return admin_simple_page(cx->c, MHD_HTTP_INTERNAL_SERVER_ERROR, MSG_ERROR, NULL, NULL);
}

/* The occurrence the form names, read in its own transaction: 1, 0, -1
 * as admin_occ_find. db stays acquired for the caller. */
static int occurrence_of(struct hub_db *db, const struct admin_ctx *cx, struct admin_occ *x)
{
    memset(x, 0, sizeof *x);
    if (!db || !hub_db_begin_read(db))
        return -1;
    int found = admin_occ_find(db, cx, HUB_LANG_NL, x);
    hub_db_commit(db);
    return found;
}

/* The sign-up the form names, when it is the occurrence's: 1 (with its
 * status, name and party size), 0 not, -1 error. */
static int signup_of(struct hub_db *db, const struct admin_occ *x, const char *signup_id,
                     char status[16], char **name, int *party)
{
    static const char sql[] = "SELECT status, name, party_size FROM signups WHERE signup_id = ?1"
                              " AND activity_id = ?2 AND occurrence = ?3";
    if (!signup_id || !hub_uuid_v4_valid(signup_id))
        return 0;
    if (!hub_db_begin_read(db))
        return -1;
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    int found = -1;
    if (st) {
        hub_db_bind_text(st, 1, signup_id);
        hub_db_bind_text(st, 2, x->id);
        sqlite3_bind_int64(st, 3, x->at);
        int rc = hub_db_step(db, st);
        found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
        if (found == 1) {
            snprintf(status, 16, "%s", hub_db_column_text(st, 0));
            const char *n = hub_db_column_text(st, 1);
            *name = n ? strdup(n) : NULL;
            *party = sqlite3_column_int(st, 2);
        }
        sqlite3_reset(st);
    }
    hub_db_commit(db);
    return found;
}

/* ---- attendance ------------------------------------------------------------------------ */

enum MHD_Result admin_list_attend(const struct admin_ctx *cx)
{
    const struct hub_admin_options *opts = cx->opts;
    int64_t present;
    if (!admin_parse_int(admin_form_get(cx->form, "present"), 0, 1, &present))
        return admin_simple_page(cx->c, MHD_HTTP_BAD_REQUEST, MSG_ERROR, NULL, NULL);
    struct hub_db *db = hub_pool_acquire(opts->pool);
    struct admin_occ x;
    int found = occurrence_of(db, cx, &x);
    const char *signup_id = admin_form_get(cx->form, "signup_id");
    enum hub_attend_result r = HUB_ATTEND_ERROR;
    if (found == 1)
        r = signup_id && hub_uuid_v4_valid(signup_id)
                ? hub_signup_attend(db, signup_id, x.id, x.at, present != 0, admin_now(cx),
                                    cx->session->username)
                : HUB_ATTEND_UNKNOWN;
    hub_pool_release(opts->pool, db);
    enum MHD_Result rc;
    if (found == 0 || r == HUB_ATTEND_UNKNOWN)
        rc = not_found(cx);
    else if (found < 0 || r == HUB_ATTEND_ERROR)
        rc = failed(cx);
    else
        rc = back_to_list(cx, &x, present ? "attended" : "unattended");
    if (found == 1)
        admin_occ_clear(&x);
    return rc;
}

/* ---- cancelling ------------------------------------------------------------------------ */

/* The confirmation step: what is about to be cancelled, and the same POST
 * with confirm=1 (no JavaScript needed). */
static enum MHD_Result cancel_confirmation(const struct admin_ctx *cx, const struct admin_occ *x,
                                           const char *signup_id, const char *name, int party)
{
    struct admin_out o;
    if (!admin_out_open(&o, cx->c))
        return MHD_NO;
    admin_page_begin(&o, cx, tx(&o, T_CANCEL_TITLE));
    FILE *f = o.f;
    fprintf(f, "<h1>%s</h1><p>%s</p><p><strong>", tx(&o, T_CANCEL_TITLE),
            tx(&o, T_CANCEL_QUESTION));
    hub_html_text(f, name ? name : "—");
    fprintf(f, "</strong> (%d %s) – ", party, tx(&o, T_PERSONS));
    hub_html_text(f, x->title);
    fprintf(f, "</p><p>%s</p>", tx(&o, T_CANCEL_WAITING));
    fprintf(f, "<form method=\"post\" action=\"/admin/list/cancel%s\">", o.lang_query);
    hidden_fields(&o, cx, x, signup_id);
    fprintf(f, "<input type=\"hidden\" name=\"confirm\" value=\"1\">"
               "<button type=\"submit\" id=\"confirm-cancel\">%s</button></form>",
            tx(&o, T_CANCEL_YES));
    fprintf(f, "<p><a href=\"/admin/list?activity=%s&amp;at=%" PRId64 "%s\">%s</a></p>", x->id,
            x->at, o.lang_param, tx(&o, T_CANCEL_NO));
    hub_html_end(f);
    return admin_out_send(&o, cx->c, MHD_HTTP_OK, true, NULL, NULL);
}

enum MHD_Result admin_list_cancel(const struct admin_ctx *cx)
{
    const struct hub_admin_options *opts = cx->opts;
    struct hub_db *db = hub_pool_acquire(opts->pool);
    struct admin_occ x;
    int found = occurrence_of(db, cx, &x);
    const char *signup_id = admin_form_get(cx->form, "signup_id");
    const char *confirm = admin_form_get(cx->form, "confirm");
    char status[16] = "";
    char *name = NULL;
    int party = 0;
    if (found == 1)
        found = signup_of(db, &x, signup_id, status, &name, &party);
    enum MHD_Result rc;
    if (found == 1 && !(confirm && strcmp(confirm, "1") == 0)) {
        rc = cancel_confirmation(cx, &x, signup_id, name, party);
    } else if (found == 1) {
        enum hub_signup_status was;
        int promoted = 0;
        enum hub_cancel_result r = hub_signup_cancel_by(db, signup_id, cx->session->username,
                                                        admin_now(cx), &was, &promoted);
        rc = r == HUB_CANCEL_OK ? back_to_list(cx, &x, promoted ? "moved-up" : "cancelled")
             : r == HUB_CANCEL_REFUSED ? back_to_list(cx, &x, "not-cancellable")
             : r == HUB_CANCEL_UNKNOWN ? not_found(cx)
                                       : failed(cx);
    } else {
        rc = found == 0 ? not_found(cx) : failed(cx);
    }
    hub_pool_release(opts->pool, db);
    if (name) {
        sodium_memzero(name, strlen(name));
        free(name);
    }
    /* x is filled only when the occurrence was found, whatever the
     * sign-up's lookup said; clearing a zeroed one is harmless. */
    admin_occ_clear(&x);
    return rc;
}

/* ---- a sign-up taken by phone ---------------------------------------------------------- */

/* A fresh UUID v4, lower case, as a kiosk makes one. */
static void new_signup_id(char out[HUB_SIGNUP_ID_LEN + 1])
{
    unsigned char b[16];
    randombytes_buf(b, sizeof b);
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, HUB_SIGNUP_ID_LEN + 1,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
             b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
             b[15]);
}

/* hub_signup_check's reasons start with the field they are about (its
 * texts name fields, never values): the field to show the error beside. */
static void place_error(struct admin_list_add *add, const char *why)
{
    static const struct {
        const char *prefix;
        enum add_field field;
        enum text text;
    } by_prefix[] = {
        {"name", F_NAME, T_ERR_NAME},       {"phone", F_PHONE, T_ERR_PHONE},
        {"email", F_EMAIL, T_ERR_EMAIL},    {"party_size", F_PARTY, T_ERR_PARTY},
        {"remark", F_REMARK, T_ERR_REMARK},
    };
    for (size_t i = 0; i < sizeof by_prefix / sizeof *by_prefix; i++) {
        if (strncmp(why, by_prefix[i].prefix, strlen(by_prefix[i].prefix)) == 0) {
            add->error[by_prefix[i].field] = by_prefix[i].text;
            return;
        }
    }
    add->general = T_ERR_RULES;
}

/* The word for the notice from the hub's answer body. */
static const char *answer_notice(const struct hub_signup_answer *ans)
{
    json_t *root = json_loads(ans->body, 0, NULL);
    enum hub_signup_status status = HUB_SIGNUP_FULL;
    bool known = hub_signup_status_parse(json_string_value(json_object_get(root, "status")),
                                         &status);
    json_decref(root);
    if (!known)
        return NULL;
    switch (status) {
    case HUB_SIGNUP_CONFIRMED: return "confirmed";
    case HUB_SIGNUP_WAITLISTED: return "waitlisted";
    case HUB_SIGNUP_CLOSED: return "closed";
    default: return "full";
    }
}

static const char *nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

enum MHD_Result admin_list_add(const struct admin_ctx *cx)
{
    const struct hub_admin_options *opts = cx->opts;
    struct admin_list_add add = {.general = T_COUNT};
    for (int i = 0; i < F_COUNT; i++) {
        add.value[i] = admin_form_get(cx->form, field_names[i]);
        add.error[i] = T_COUNT;
    }
    add.waitlist_ok = admin_form_get(cx->form, "waitlist_ok") != NULL;
    struct hub_db *db = hub_pool_acquire(opts->pool);
    struct admin_occ x;
    int found = occurrence_of(db, cx, &x);
    hub_pool_release(opts->pool, db);
    if (found != 1)
        return found == 0 ? not_found(cx) : failed(cx);
    int64_t party = 0;
    if (!admin_parse_int(add.value[F_PARTY], HUB_PARTY_MIN, HUB_PARTY_MAX, &party)) {
        add.error[F_PARTY] = T_ERR_PARTY;
        admin_occ_clear(&x);
        return admin_list_render(cx, MHD_HTTP_UNPROCESSABLE_CONTENT, &add);
    }
    char signup_id[HUB_SIGNUP_ID_LEN + 1];
    new_signup_id(signup_id);
    int64_t now = admin_now(cx);
    struct hub_signup_request req = {
        .signup_id = signup_id,
        .kiosk_id = CONSOLE_KIOSK_ID,
        .activity_id = x.id,
        .occurrence = x.at,
        .name = nonempty(add.value[F_NAME]),
        .phone = nonempty(add.value[F_PHONE]),
        .email = nonempty(add.value[F_EMAIL]),
        .remark = nonempty(add.value[F_REMARK]),
        .party_size = party,
        .waitlist_ok = add.waitlist_ok,
        .language = "nl",
        .created_at = now,
    };
    struct hub_signup_answer ans;
    db = hub_pool_acquire(opts->pool);
    bool ok = db && hub_signup_submit_by(db, &req, now, cx->session->username, &ans);
    hub_pool_release(opts->pool, db);
    enum MHD_Result rc;
    const char *notice = ok ? answer_notice(&ans) : NULL;
    if (!ok) {
        rc = ans.status == 503 ? admin_simple_page(cx->c, MHD_HTTP_SERVICE_UNAVAILABLE,
                                                   MSG_ERROR, NULL, NULL)
                               : failed(cx);
    } else if (ans.status == 422) {
        json_t *root = json_loads(ans.body, 0, NULL);
        const char *why = json_string_value(json_object_get(root, "error"));
        place_error(&add, why ? why : "");
        json_decref(root);
        rc = admin_list_render(cx, MHD_HTTP_UNPROCESSABLE_CONTENT, &add);
    } else if (ans.status == 404) {
        rc = not_found(cx);
    } else if (notice) {
        log_debug(TAG, "sign-up %s taken by phone for %s: %s", signup_id, x.id, notice);
        rc = back_to_list(cx, &x, notice);
    } else {
        rc = failed(cx);
    }
    admin_occ_clear(&x);
    return rc;
}
