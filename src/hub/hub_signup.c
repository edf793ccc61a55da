#include "hub/hub_signup.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "hub/hub_audit.h"
#include "hub/hub_csv.h"
#include "model/unitext.h"
#include "hub/hub_json.h"
#include "hub/hub_lease.h"

#define TAG "hub-signup"

/* ---- the body on its own (400) ------------------------------------------- */

bool hub_uuid_v4_valid(const char *text)
{
    static const char shape[] = "xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx";
    if (strlen(text) != HUB_SIGNUP_ID_LEN)
        return false;
    for (size_t i = 0; i < HUB_SIGNUP_ID_LEN; i++) {
        char c = text[i];
        switch (shape[i]) {
        case '-':
        case '4':
            if (c != shape[i])
                return false;
            break;
        case 'V':
            if (!strchr("89abAB", c) || !c)
                return false;
            break;
        default:
            if (!isxdigit((unsigned char)c))
                return false;
        }
    }
    return true;
}

static void set_err(char *err, size_t err_len, const char *text)
{
    snprintf(err, err_len, "%s", text);
}

/* A required string member; its value is checked by the caller. */
static const char *required_string(json_t *root, const char *key, char *err, size_t err_len)
{
    json_t *v = json_object_get(root, key);
    if (!json_is_string(v)) {
        snprintf(err, err_len, "%s is %s", key, v ? "not a string" : "missing");
        return NULL;
    }
    return json_string_value(v);
}

static bool language_valid(const char *lang)
{
    size_t n = strlen(lang);
    if (n == 0 || n > HUB_LANGUAGE_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)lang[i]) && lang[i] != '-')
            return false;
    return true;
}

bool hub_signup_parse(const char *body, size_t len, struct hub_signup_request *req, char *err,
                      size_t err_len)
{
    memset(req, 0, sizeof *req);
    req->root = hub_json_load_object(body, len, err, err_len);
    if (!req->root)
        return false;
    json_t *root = req->root;
    const char *text;
    if (!(req->signup_id = required_string(root, "signup_id", err, err_len)))
        goto bad;
    if (!hub_uuid_v4_valid(req->signup_id)) {
        set_err(err, err_len, "signup_id is not a UUID v4");
        goto bad;
    }
    if (!(req->kiosk_id = required_string(root, "kiosk_id", err, err_len)))
        goto bad;
    if (!feed_id_valid(req->kiosk_id)) {
        set_err(err, err_len, "kiosk_id is not [A-Za-z0-9_-]{1,128}");
        goto bad;
    }
    if (!(req->activity_id = required_string(root, "activity_id", err, err_len)))
        goto bad;
    if (!feed_id_valid(req->activity_id)) {
        set_err(err, err_len, "activity_id is not [A-Za-z0-9_-]{1,128}");
        goto bad;
    }
    if (!(text = required_string(root, "occurrence", err, err_len)))
        goto bad;
    if (!rfc3339_parse(text, &req->occurrence)) {
        set_err(err, err_len, "occurrence is not an RFC 3339 timestamp with an offset");
        goto bad;
    }
    if (!(text = required_string(root, "created_at", err, err_len)))
        goto bad;
    if (!rfc3339_parse(text, &req->created_at)) {
        set_err(err, err_len, "created_at is not an RFC 3339 timestamp with an offset");
        goto bad;
    }
    json_t *party = json_object_get(root, "party_size");
    if (!json_is_integer(party)) {
        set_err(err, err_len, party ? "party_size is not an integer" : "party_size is missing");
        goto bad;
    }
    req->party_size = json_integer_value(party);
    json_t *waitlist_ok = json_object_get(root, "waitlist_ok");
    if (waitlist_ok && !json_is_boolean(waitlist_ok)) {
        set_err(err, err_len, "waitlist_ok is not a boolean");
        goto bad;
    }
    req->waitlist_ok = json_is_true(waitlist_ok);
    if (!hub_json_optional_string(root, "name", &req->name, err, err_len) ||
        !hub_json_optional_string(root, "phone", &req->phone, err, err_len) ||
        !hub_json_optional_string(root, "email", &req->email, err, err_len) ||
        !hub_json_optional_string(root, "remark", &req->remark, err, err_len) ||
        !hub_json_optional_string(root, "language", &req->language, err, err_len))
        goto bad;
    if (req->language && !language_valid(req->language)) {
        set_err(err, err_len, "language is not a language code");
        goto bad;
    }
    return true;
bad:
    hub_signup_request_clear(req);
    return false;
}

void hub_signup_request_clear(struct hub_signup_request *req)
{
    if (!req)
        return;
    json_decref(req->root);
    memset(req, 0, sizeof *req);
}

/* ---- the body against an activity (422) ---------------------------------- */

static size_t utf8_count(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* No control characters (jansson has checked the UTF-8); line breaks
 * only where allowed. */
static bool plain_text(const char *s, bool breaks_ok)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == 0x7f || (c < 0x20 && !(breaks_ok && (c == '\n' || c == '\t'))))
            return false;
    }
    return true;
}

/* No control or format characters (bidi overrides, zero-width spaces:
 * a name staff read must be what it looks like), and not only white
 * space, whatever kind. */
static bool name_ok(const char *name)
{
    if (!name || !plain_text(name, false) || !unitext_clean(name, false) || unitext_blank(name))
        return false;
    return utf8_count(name) <= HUB_NAME_MAX_CHARS;
}

/* The kiosk has checked the number properly (Dutch formats) and sends its
 * national form; the hub only refuses what cannot be a phone number, so
 * that it never turns away what a kiosk accepted. */
static bool phone_ok(const char *phone)
{
    if (!phone || strlen(phone) > HUB_PHONE_MAX_BYTES)
        return false;
    int digits = 0;
    for (const char *p = phone; *p; p++) {
        if (isdigit((unsigned char)*p))
            digits++;
        else if (!strchr(" +-().", *p))
            return false;
    }
    return digits >= 6;
}

static bool email_ok(const char *email)
{
    if (!email || strlen(email) > HUB_EMAIL_MAX_BYTES)
        return false;
    const char *at = strchr(email, '@');
    if (!at || at == email || strchr(at + 1, '@') || !strchr(at + 1, '.') ||
        !unitext_clean(email, false))
        return false;
    for (const char *p = email; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            return false;
    return at[1] != '.' && email[strlen(email) - 1] != '.';
}

bool hub_signup_check(const struct hub_signup_request *req, const struct hub_activity_rules *a,
                      char *err, size_t err_len)
{
    if (!a->has_signup) {
        set_err(err, err_len, "this activity takes no sign-ups");
        return false;
    }
    int64_t found = 0;
    if (rrule_expand(a->rule, a->starts_at, a->exdates, a->n_exdates, req->occurrence,
                     req->occurrence + 1, &found, 1) != 1) {
        set_err(err, err_len, "occurrence is not an occurrence of this activity");
        return false;
    }
    if (req->party_size < HUB_PARTY_MIN || req->party_size > HUB_PARTY_MAX) {
        set_err(err, err_len, "party_size is not 1 to 20");
        return false;
    }
    if (!(a->fields & SIGNUP_PARTY_SIZE) && req->party_size != 1) {
        set_err(err, err_len, "party_size must be 1: this activity does not ask for it");
        return false;
    }
    if ((a->fields & SIGNUP_NAME) && !name_ok(req->name)) {
        set_err(err, err_len,
                "name must be 1 to 80 characters, not only spaces, without control or format "
                "characters");
        return false;
    }
    if ((a->fields & SIGNUP_PHONE) && !phone_ok(req->phone)) {
        set_err(err, err_len, "phone is missing or not a phone number");
        return false;
    }
    if ((a->fields & SIGNUP_EMAIL) && !email_ok(req->email)) {
        set_err(err, err_len, "email is missing or not an e-mail address");
        return false;
    }
    if ((a->fields & SIGNUP_REMARK) && req->remark &&
        utf8_count(req->remark) > HUB_REMARK_MAX_CHARS) {
        set_err(err, err_len, "remark is longer than 500 characters");
        return false;
    }
    if ((a->fields & SIGNUP_REMARK) && req->remark &&
        (!plain_text(req->remark, true) || !unitext_clean(req->remark, true))) {
        set_err(err, err_len, "remark holds control or format characters");
        return false;
    }
    return true;
}

int64_t hub_signup_judged_at(int64_t created_at, int64_t received_at)
{
    if (created_at >= received_at - HUB_CREATED_MAX_AGE_S &&
        created_at <= received_at + HUB_CREATED_MAX_SKEW_S)
        return created_at;
    return received_at;
}

/* ---- the decision ---------------------------------------------------------- */

/* The one table of statuses. The schema's CHECK on signups.status
 * (hub_db.c, migrations 1 and 3) lists the same names: a new status needs
 * a migration too. */
static const struct {
    const char *name;
    bool accepted;
} statuses[HUB_SIGNUP_STATUS_COUNT] = {
    [HUB_SIGNUP_CONFIRMED] = {"confirmed", true},
    [HUB_SIGNUP_WAITLISTED] = {"waitlisted", true},
    [HUB_SIGNUP_FULL] = {"full", false},
    [HUB_SIGNUP_CLOSED] = {"closed", false},
    [HUB_SIGNUP_CANCELLED] = {"cancelled", false},
};

const char *hub_signup_status_name(enum hub_signup_status status)
{
    return statuses[status].name;
}

bool hub_signup_status_parse(const char *name, enum hub_signup_status *out)
{
    for (int s = 0; name && s < HUB_SIGNUP_STATUS_COUNT; s++)
        if (strcmp(name, statuses[s].name) == 0) {
            *out = (enum hub_signup_status)s;
            return true;
        }
    return false;
}

bool hub_signup_status_accepted(enum hub_signup_status status)
{
    return statuses[status].accepted;
}

static void answer_error(struct hub_signup_answer *out, unsigned status, const char *message)
{
    char *text = hub_json_error(message);
    out->status = status;
    out->retry_after_s = 0;
    snprintf(out->body, sizeof out->body, "%s", text ? text : "{\"error\":\"internal error\"}");
    free(text);
}

/* A temporary refusal: 503, and how long to wait (Retry-After). */
static void answer_later(struct hub_signup_answer *out, const char *message, unsigned seconds)
{
    answer_error(out, 503, message);
    out->retry_after_s = seconds;
}

void hub_signup_answer_busy(struct hub_signup_answer *out)
{
    answer_later(out, "busy, try again", HUB_BUSY_RETRY_AFTER_S);
}

/* The answer when the database could not decide or store a sign-up, by why
 * it failed (which hub_db keeps across the ROLLBACK). */
static void answer_failure(struct hub_db *db, struct hub_signup_answer *out)
{
    switch (hub_db_failure(db)) {
    case HUB_DB_FAILED_BUSY:
        hub_signup_answer_busy(out);
        return;
    case HUB_DB_FAILED_STORAGE:
        /* A full (or failing) disk is temporary for the kiosk, which keeps
         * the sign-up and comes back: say so, rather than "internal error". */
        log_error(TAG, "cannot store a sign-up: %s", hub_db_failure_text(db));
        answer_later(out, "the hub cannot store sign-ups now, try again later",
                     HUB_STORAGE_RETRY_AFTER_S);
        return;
    case HUB_DB_FAILED_INTERNALLY:
        break;
    }
    answer_error(out, 500, "internal error");
}

/* An activity's rules as stored, with the storage they point into. */
struct stored_activity {
    struct hub_activity_rules rules;
    struct rrule rule;
    int64_t *exdates;
    int64_t taken;                  /* the feed's places taken for the occurrence */
};

static const char SQL_ACTIVITY[] =
    "SELECT starts_at, rrule, exdates, has_signup, capacity, taken, taken_by_occurrence,"
    " waitlist, closes_before_min, fields FROM activities WHERE id = ?1";

/* Loads the activity. Returns 1 found, 0 unknown, -1 error. */
static int load_activity(struct hub_db *db, const char *id, int64_t occurrence,
                         struct stored_activity *a)
{
    memset(a, 0, sizeof *a);
    sqlite3_stmt *st = hub_db_prepare(db, SQL_ACTIVITY);
    if (!st)
        return -1;
    hub_db_bind_text(st, 1, id);
    int rc = hub_db_step(db, st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? 0 : -1;
    }
    int result = 1;
    struct hub_activity_rules *r = &a->rules;
    r->starts_at = sqlite3_column_int64(st, 0);
    const char *rrule_text = hub_db_column_text(st, 1);
    if (rrule_text) {
        char why[96];
        if (rrule_parse(rrule_text, &a->rule, why, sizeof why)) {
            r->rule = &a->rule;
        } else {
            log_error(TAG, "activity %s: stored rrule no longer parses: %s", id, why);
            result = -1;
        }
    }
    json_t *ex = sqlite3_column_type(st, 2) == SQLITE_NULL
                     ? NULL
                     : json_loads(hub_db_column_text(st, 2), 0, NULL);
    if (json_array_size(ex)) {
        a->exdates = calloc(json_array_size(ex), sizeof *a->exdates);
        if (!a->exdates)
            result = -1;
        for (size_t i = 0; a->exdates && i < json_array_size(ex); i++)
            a->exdates[i] = json_integer_value(json_array_get(ex, i));
        r->exdates = a->exdates;
        r->n_exdates = a->exdates ? json_array_size(ex) : 0;
    }
    json_decref(ex);
    r->has_signup = sqlite3_column_int(st, 3) != 0;
    r->capacity = sqlite3_column_int64(st, 4);
    a->taken = sqlite3_column_int64(st, 5);
    if (sqlite3_column_type(st, 6) != SQLITE_NULL) {
        /* The object form: occurrences it does not name have none taken. */
        a->taken = 0;
        json_t *pairs = json_loads(hub_db_column_text(st, 6), 0, NULL);
        size_t i;
        json_t *pair;
        json_array_foreach(pairs, i, pair) {
            if (json_integer_value(json_array_get(pair, 0)) == occurrence)
                a->taken = json_integer_value(json_array_get(pair, 1));
        }
        json_decref(pairs);
    }
    r->waitlist = sqlite3_column_int(st, 7) != 0;
    r->closes_before_min = sqlite3_column_int64(st, 8);
    r->fields = (unsigned)sqlite3_column_int(st, 9);
    sqlite3_reset(st);
    return result;
}

static const char SQL_EXISTING[] =
    "SELECT kiosk_id, status, position FROM signups WHERE signup_id = ?1";
static const char SQL_CONFIRMED_PLACES[] =
    "SELECT COALESCE((SELECT places FROM confirmed_places"
    " WHERE activity_id = ?1 AND occurrence = ?2), 0)";
static const char SQL_COUNT_PLACES[] =
    "INSERT INTO confirmed_places(activity_id, occurrence, places) VALUES(?1, ?2, ?3)"
    " ON CONFLICT(activity_id, occurrence) DO UPDATE SET places = places + excluded.places";
static const char SQL_WAITLIST_LENGTH[] =
    "SELECT COUNT(*) FROM signups WHERE activity_id = ?1 AND occurrence = ?2"
    " AND status = ?3";
static const char SQL_INSERT[] =
    "INSERT INTO signups(signup_id, kiosk_id, activity_id, occurrence, status, position,"
    " party_size, name, phone, email, remark, waitlist_ok, language, created_at, received_at,"
    " response) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";

/* A number about the request's occurrence: sql takes the activity as ?1,
 * the occurrence as ?2 and, unless status is NULL, a status as ?3. */
static int64_t single_int(struct hub_db *db, const char *sql,
                          const struct hub_signup_request *req, const char *status, bool *ok)
{
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    if (!st) {
        *ok = false;
        return 0;
    }
    hub_db_bind_text(st, 1, req->activity_id);
    sqlite3_bind_int64(st, 2, req->occurrence);
    if (status)
        hub_db_bind_text(st, 3, status);
    int64_t value = 0;
    if (hub_db_step(db, st) == SQLITE_ROW)
        value = sqlite3_column_int64(st, 0);
    else
        *ok = false;
    sqlite3_reset(st);
    return value;
}

/* What the hub decided, and where on the waiting list (0 = not on it). */
struct decision {
    enum hub_signup_status status;
    int64_t position;
    bool spend;                     /* confirmed within the kiosk's lease */
    struct hub_lease_state lease;   /* the kiosk's lease after it, with spend */
};

static void answer_decision(struct hub_signup_answer *out, const struct decision *d);

/* Looks for an earlier answer to this signup_id. 1 found (out filled),
 * 0 none, -1 error. */
static int earlier_answer(struct hub_db *db, const struct hub_signup_request *req,
                          struct hub_signup_answer *out)
{
    sqlite3_stmt *st = hub_db_prepare(db, SQL_EXISTING);
    if (!st)
        return -1;
    hub_db_bind_text(st, 1, req->signup_id);
    int rc = hub_db_step(db, st);
    if (rc == SQLITE_ROW) {
        const char *kiosk = hub_db_column_text(st, 0);
        if (!kiosk || strcmp(kiosk, req->kiosk_id) != 0) {
            /* Not a repeat but a different sign-up reusing the id: the
             * first one's answer is not this kiosk's to read. */
            answer_error(out, 422, "signup_id is already used by another kiosk");
        } else {
            /* The sign-up's status now: the first answer, unless staff
             * cancelled it or the waiting list moved (hub-api-v1.md). A
             * cancelled one has no place, and the kiosk's answers have no
             * word for it: "full" is the final answer that promises
             * nothing (docs/spec-notes.md). */
            struct decision d = {.status = HUB_SIGNUP_FULL};
            if (!hub_signup_status_parse(hub_db_column_text(st, 1), &d.status))
                log_error(TAG, "sign-up %s has an unknown status", req->signup_id);
            if (d.status == HUB_SIGNUP_CANCELLED)
                d.status = HUB_SIGNUP_FULL;
            if (d.status == HUB_SIGNUP_WAITLISTED)
                d.position = sqlite3_column_int64(st, 2);
            answer_decision(out, &d);
            if (out->status == 201)
                out->status = 200;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Decides on a request for an existing activity whose rules it meets.
 * false when the database failed. */
static bool decide(struct hub_db *db, const struct hub_signup_request *req,
                   const struct stored_activity *a, int64_t received_at, struct decision *d)
{
    bool ok = true;
    int64_t judged = hub_signup_judged_at(req->created_at, received_at);
    d->position = 0;
    if (judged >= req->occurrence - a->rules.closes_before_min * 60) {
        d->status = HUB_SIGNUP_CLOSED;
    } else if (a->rules.capacity < 0) {
        d->status = HUB_SIGNUP_CONFIRMED;
    } else {
        /* Leases (hub_lease.h): a sign-up that fits what its kiosk may still
         * confirm on its own is confirmed, always. Any other takes only
         * places nobody holds, and leaves the kiosk's lease as it was: the
         * kiosk asked the hub for it, so it still counts its lease as
         * whole, and the hub must keep holding it (docs/design.md). */
        int64_t hub_taken = single_int(db, SQL_CONFIRMED_PLACES, req, NULL, &ok);
        int64_t committed = 0;
        ok = ok && hub_lease_load(db, req->activity_id, req->occurrence, req->kiosk_id,
                                  &committed, &d->lease);
        /* room: what neither a confirmed sign-up nor another kiosk holds. */
        int64_t room = a->rules.capacity - a->taken - hub_taken - committed +
                       hub_lease_commitment(d->lease);
        enum hub_lease_fit fit = hub_lease_judge(d->lease, room, req->party_size, &d->lease);
        d->spend = fit == HUB_LEASE_WITHIN;
        if (fit != HUB_LEASE_NO_ROOM)
            d->status = HUB_SIGNUP_CONFIRMED;
        else if (a->rules.waitlist && req->waitlist_ok)
            d->status = HUB_SIGNUP_WAITLISTED;
        else
            d->status = HUB_SIGNUP_FULL;
    }
    if (ok && d->status == HUB_SIGNUP_WAITLISTED)
        d->position = 1 + single_int(db, SQL_WAITLIST_LENGTH, req,
                                     hub_signup_status_name(HUB_SIGNUP_WAITLISTED), &ok);
    return ok;
}

/* {"status": ...} (with the position on the waiting list): 201 for a
 * place or a waiting-list spot, 409 for a refusal. */
static void answer_decision(struct hub_signup_answer *out, const struct decision *d)
{
    const char *name = hub_signup_status_name(d->status);
    out->status = hub_signup_status_accepted(d->status) ? 201 : 409;
    if (d->position > 0)
        snprintf(out->body, sizeof out->body, "{\"status\":\"%s\",\"position\":%" PRId64 "}",
                 name, d->position);
    else
        snprintf(out->body, sizeof out->body, "{\"status\":\"%s\"}", name);
}

static bool store(struct hub_db *db, const struct hub_signup_request *req,
                  const struct decision *d, unsigned fields, int64_t received_at,
                  const char *response)
{
    sqlite3_stmt *st = hub_db_prepare(db, SQL_INSERT);
    if (!st)
        return false;
    /* Personal data for every status (staff call back who got no place
     * too), but only the fields the activity asked for. */
    bool keep = true;
    hub_db_bind_text(st, 1, req->signup_id);
    hub_db_bind_text(st, 2, req->kiosk_id);
    hub_db_bind_text(st, 3, req->activity_id);
    sqlite3_bind_int64(st, 4, req->occurrence);
    hub_db_bind_text(st, 5, hub_signup_status_name(d->status));
    if (d->position > 0)
        sqlite3_bind_int64(st, 6, d->position);
    sqlite3_bind_int64(st, 7, req->party_size);
    hub_db_bind_text(st, 8, keep && (fields & SIGNUP_NAME) ? req->name : NULL);
    hub_db_bind_text(st, 9, keep && (fields & SIGNUP_PHONE) ? req->phone : NULL);
    hub_db_bind_text(st, 10, keep && (fields & SIGNUP_EMAIL) ? req->email : NULL);
    hub_db_bind_text(st, 11, keep && (fields & SIGNUP_REMARK) ? req->remark : NULL);
    sqlite3_bind_int(st, 12, req->waitlist_ok);
    hub_db_bind_text(st, 13, req->language);
    sqlite3_bind_int64(st, 14, req->created_at);
    sqlite3_bind_int64(st, 15, received_at);
    hub_db_bind_text(st, 16, response);
    if (!hub_db_step_done(db, st))
        return false;
    if (d->status != HUB_SIGNUP_CONFIRMED)
        return true;
    /* Same transaction: the count can never disagree with the rows. */
    sqlite3_stmt *count = hub_db_prepare(db, SQL_COUNT_PLACES);
    if (!count)
        return false;
    hub_db_bind_text(count, 1, req->activity_id);
    sqlite3_bind_int64(count, 2, req->occurrence);
    sqlite3_bind_int64(count, 3, req->party_size);
    return hub_db_step_done(db, count);
}

/* who: the staff member who took it (the console), audited in the same
 * transaction; NULL for a kiosk's. */
static bool submit(struct hub_db *db, const struct hub_signup_request *req, int64_t received_at,
                   const char *who, struct hub_signup_answer *out)
{
    *out = (struct hub_signup_answer){0};
    if (!hub_db_begin_write(db)) {
        answer_failure(db, out);
        return false;
    }
    int earlier = earlier_answer(db, req, out);
    if (earlier != 0) {
        hub_db_rollback(db);
        if (earlier < 0)
            answer_failure(db, out);
        return earlier > 0;
    }

    struct stored_activity a;
    int found = load_activity(db, req->activity_id, req->occurrence, &a);
    bool ok = found >= 0, decided = false;
    struct decision d = {0};
    char why[120];
    if (found == 0) {
        answer_error(out, 404, "unknown activity");
    } else if (found > 0 && !hub_signup_check(req, &a.rules, why, sizeof why)) {
        answer_error(out, 422, why);
    } else if (found > 0) {
        ok = decided = decide(db, req, &a, received_at, &d);
    }
    free(a.exdates);
    if (decided) {
        answer_decision(out, &d);
        ok = store(db, req, &d, a.rules.fields, received_at, out->body) &&
             (!d.spend || hub_lease_store(db, req->activity_id, req->occurrence, req->kiosk_id,
                                          d.lease, received_at)) &&
             (d.status != HUB_SIGNUP_CONFIRMED || hub_db_bump_state(db)) &&
             (!who || hub_audit_record(db, received_at, who, HUB_AUDIT_SIGNUP_ADD,
                                       req->signup_id)) &&
             hub_db_commit(db);
    }
    if (!ok || !decided)
        hub_db_rollback(db);        /* a failure, or a 404 or 422 that stores nothing */
    if (!ok) {
        answer_failure(db, out);
        return false;
    }
    if (decided)
        log_info(TAG, "sign-up %s for %s from %s: %s", req->signup_id, req->activity_id,
                 req->kiosk_id, hub_signup_status_name(d.status));
    return true;
}

bool hub_signup_submit(struct hub_db *db, const struct hub_signup_request *req,
                       int64_t received_at, struct hub_signup_answer *out)
{
    return submit(db, req, received_at, NULL, out);
}

bool hub_signup_submit_by(struct hub_db *db, const struct hub_signup_request *req,
                          int64_t received_at, const char *who, struct hub_signup_answer *out)
{
    return submit(db, req, received_at, who, out);
}

/* ---- cancelling and the waiting list ------------------------------------------ */

static const char SQL_CANCEL_FIND[] =
    "SELECT status, activity_id, occurrence, party_size FROM signups WHERE signup_id = ?1";
static const char SQL_CANCEL_SET[] =
    "UPDATE signups SET status = ?2, position = NULL WHERE signup_id = ?1";
static const char SQL_UNCOUNT_PLACES[] =
    "UPDATE confirmed_places SET places = places - ?3 WHERE activity_id = ?1 AND occurrence = ?2";
static const char SQL_WAITING[] =
    "SELECT signup_id, party_size FROM signups WHERE activity_id = ?1 AND occurrence = ?2"
    " AND status = ?3 ORDER BY position, received_at, rowid";
static const char SQL_PROMOTE[] =
    "UPDATE signups SET status = ?2, position = NULL, to_call = 1 WHERE signup_id = ?1";
static const char SQL_RENUMBER[] = "UPDATE signups SET position = ?2 WHERE signup_id = ?1";

struct waiting {
    char id[HUB_SIGNUP_ID_LEN + 1];
    int64_t party;
};

static bool run_id(struct hub_db *db, const char *sql, const char *id, const char *text,
                   int64_t number, bool with_number)
{
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    if (!st)
        return false;
    hub_db_bind_text(st, 1, id);
    if (with_number)
        sqlite3_bind_int64(st, 2, number);
    else
        hub_db_bind_text(st, 2, text);
    return hub_db_step_done(db, st);
}

static bool count_places(struct hub_db *db, const char *sql, const char *activity_id,
                         int64_t occurrence, int64_t places)
{
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    if (!st)
        return false;
    hub_db_bind_text(st, 1, activity_id);
    sqlite3_bind_int64(st, 2, occurrence);
    sqlite3_bind_int64(st, 3, places);
    return hub_db_step_done(db, st);
}

/* The occurrence's waiting list in order. */
static bool load_waiting(struct hub_db *db, const struct hub_signup_request *key,
                         struct waiting **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = hub_db_prepare(db, SQL_WAITING);
    if (!st)
        return false;
    hub_db_bind_text(st, 1, key->activity_id);
    sqlite3_bind_int64(st, 2, key->occurrence);
    hub_db_bind_text(st, 3, hub_signup_status_name(HUB_SIGNUP_WAITLISTED));
    size_t cap = 0;
    int rc;
    bool ok = true;
    while (ok && (rc = hub_db_step(db, st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            struct waiting *more = realloc(*out, cap * sizeof *more);
            if (!more) {
                ok = false;
                break;
            }
            *out = more;
        }
        snprintf((*out)[*n].id, sizeof (*out)[*n].id, "%s", hub_db_column_text(st, 0));
        (*out)[(*n)++].party = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    return ok && rc == SQLITE_DONE;
}

/* Moves the waiting list up: in order, whoever fits the places nobody
 * holds (leases included, so that the invariant stays) is confirmed and
 * marked for a call; the others are numbered 1, 2, ... again. */
static bool move_up(struct hub_db *db, const struct hub_signup_request *key, int *promoted)
{
    struct stored_activity a;
    int found = load_activity(db, key->activity_id, key->occurrence, &a);
    free(a.exdates);
    if (found < 0)
        return false;
    bool ok = true;
    int64_t free_places = 0;
    /* An activity no longer in the content: nobody can be judged to fit. */
    if (found > 0 && a.rules.capacity < 0) {
        free_places = INT64_MAX;
    } else if (found > 0) {
        int64_t committed = 0;
        struct hub_lease_state none;
        int64_t confirmed = single_int(db, SQL_CONFIRMED_PLACES, key, NULL, &ok);
        ok = ok && hub_lease_load(db, key->activity_id, key->occurrence, "", &committed, &none);
        free_places = a.rules.capacity - a.taken - confirmed - committed;
    }
    struct waiting *list;
    size_t n;
    ok = ok && load_waiting(db, key, &list, &n);
    if (!ok)
        return false;
    int64_t position = 0;
    const char *confirmed_name = hub_signup_status_name(HUB_SIGNUP_CONFIRMED);
    for (size_t i = 0; ok && i < n; i++) {
        if (list[i].party <= free_places) {
            free_places -= list[i].party;
            ok = run_id(db, SQL_PROMOTE, list[i].id, confirmed_name, 0, false) &&
                 count_places(db, SQL_COUNT_PLACES, key->activity_id, key->occurrence,
                              list[i].party);
            (*promoted)++;
        } else {
            ok = run_id(db, SQL_RENUMBER, list[i].id, NULL, ++position, true);
        }
    }
    free(list);
    return ok;
}

enum hub_cancel_result hub_signup_cancel(struct hub_db *db, const char *signup_id,
                                         enum hub_signup_status *was, int *promoted)
{
    return hub_signup_cancel_by(db, signup_id, NULL, 0, was, promoted);
}

enum hub_cancel_result hub_signup_cancel_by(struct hub_db *db, const char *signup_id,
                                            const char *who, int64_t now,
                                            enum hub_signup_status *was, int *promoted)
{
    *promoted = 0;
    *was = HUB_SIGNUP_STATUS_COUNT;
    if (!hub_db_begin_write(db))
        return HUB_CANCEL_ERROR;
    sqlite3_stmt *st = hub_db_prepare(db, SQL_CANCEL_FIND);
    if (!st) {
        hub_db_rollback(db);
        return HUB_CANCEL_ERROR;
    }
    hub_db_bind_text(st, 1, signup_id);
    int rc = hub_db_step(db, st);
    /* The key of the occurrence, in the shape the helpers above take. */
    char activity[FEED_ID_MAX + 1] = "";
    struct hub_signup_request key = {.activity_id = activity};
    int64_t party = 0;
    bool known = rc == SQLITE_ROW && hub_signup_status_parse(hub_db_column_text(st, 0), was);
    if (known) {
        snprintf(activity, sizeof activity, "%s", hub_db_column_text(st, 1));
        key.occurrence = sqlite3_column_int64(st, 2);
        party = sqlite3_column_int64(st, 3);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        hub_db_rollback(db);
        return HUB_CANCEL_ERROR;
    }
    if (!known) {
        hub_db_rollback(db);
        return HUB_CANCEL_UNKNOWN;
    }
    if (*was != HUB_SIGNUP_CONFIRMED && *was != HUB_SIGNUP_WAITLISTED) {
        hub_db_rollback(db);
        return HUB_CANCEL_REFUSED;
    }
    bool ok = run_id(db, SQL_CANCEL_SET, signup_id,
                     hub_signup_status_name(HUB_SIGNUP_CANCELLED), 0, false);
    if (ok && *was == HUB_SIGNUP_CONFIRMED)
        ok = count_places(db, SQL_UNCOUNT_PLACES, key.activity_id, key.occurrence, party);
    /* A confirmed place freed moves the list up; a waiting spot freed only
     * closes the gap. */
    ok = ok && move_up(db, &key, promoted) && hub_db_bump_state(db) &&
         (!who || hub_audit_record(db, now, who, HUB_AUDIT_SIGNUP_CANCEL, signup_id)) &&
         hub_db_commit(db);
    if (!ok) {
        hub_db_rollback(db);
        return HUB_CANCEL_ERROR;
    }
    log_info(TAG, "sign-up %s cancelled (was %s); %d moved up from the waiting list", signup_id,
             hub_signup_status_name(*was), *promoted);
    return HUB_CANCEL_OK;
}

/* ---- attendance --------------------------------------------------------------- */

enum hub_attend_result hub_signup_attend(struct hub_db *db, const char *signup_id,
                                         const char *activity_id, int64_t occurrence,
                                         bool present, int64_t now, const char *who)
{
    /* Only a confirmed sign-up has a place to be present at. */
    static const char sql[] =
        "UPDATE signups SET attended_at = ?4 WHERE signup_id = ?1 AND activity_id = ?2"
        " AND occurrence = ?3 AND status = 'confirmed'";
    if (!hub_db_begin_write(db))
        return HUB_ATTEND_ERROR;
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    bool ok = st != NULL;
    if (ok) {
        hub_db_bind_text(st, 1, signup_id);
        hub_db_bind_text(st, 2, activity_id);
        sqlite3_bind_int64(st, 3, occurrence);
        if (present)
            sqlite3_bind_int64(st, 4, now);
        else
            sqlite3_bind_null(st, 4);
        ok = hub_db_step_done(db, st);
    }
    bool found = ok && sqlite3_changes(hub_db_handle(db)) == 1;
    if (found)
        ok = hub_audit_record(db, now, who, HUB_AUDIT_SIGNUP_ATTEND, signup_id) &&
             hub_db_commit(db);
    if (!ok || !found) {
        hub_db_rollback(db);
        return ok ? HUB_ATTEND_UNKNOWN : HUB_ATTEND_ERROR;
    }
    return HUB_ATTEND_OK;
}

/* ---- retention -------------------------------------------------------------- */

int hub_signup_erase_expired(struct hub_db *db, int64_t now, int retention_days)
{
    static const char sql[] =
        "UPDATE signups SET name = NULL, phone = NULL, email = NULL, remark = NULL,"
        " erased_at = ?1 WHERE erased_at IS NULL AND occurrence < ?2";
    if (!hub_db_begin_write(db))
        return -1;
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    bool ok = st != NULL;
    if (ok) {
        sqlite3_bind_int64(st, 1, now);
        sqlite3_bind_int64(st, 2, now - (int64_t)retention_days * 86400);
        ok = hub_db_step_done(db, st);
    }
    int n = ok ? sqlite3_changes(hub_db_handle(db)) : 0;
    if (!ok || !hub_db_commit(db)) {
        hub_db_rollback(db);
        return -1;
    }
    if (n > 0) {
        /* secure_delete zeroes the old cells in the database file, but
         * their pages live on in the WAL until it is checkpointed and cut. */
        int log_frames = 0, checkpointed = 0;
        int rc = sqlite3_wal_checkpoint_v2(hub_db_handle(db), NULL, SQLITE_CHECKPOINT_TRUNCATE,
                                           &log_frames, &checkpointed);
        if (rc != SQLITE_OK)
            log_warn(TAG, "checkpoint after erasing: %s", sqlite3_errmsg(hub_db_handle(db)));
        log_info(TAG, "erased the personal data of %d sign-ups past the retention of %d days", n,
                 retention_days);
    }
    return n;
}

/* ---- listing ---------------------------------------------------------------- */

/* The columns of the listing, in the order LIST_SELECT names them. */
enum list_column {
    LIST_SIGNUP_ID, LIST_ACTIVITY_ID, LIST_OCCURRENCE, LIST_STATUS, LIST_PARTY_SIZE, LIST_NAME,
    LIST_PHONE, LIST_EMAIL, LIST_REMARK, LIST_KIOSK_ID, LIST_CREATED_AT, LIST_RECEIVED_AT,
    LIST_CALL, LIST_POSITION, LIST_LANGUAGE, LIST_ATTENDED, LIST_COLUMN_COUNT
};

/* call: staff should phone this resident, who moved up from the waiting
 * list or got no place (hub-api-v1.md "signups --csv"). */
#define LIST_SELECT                                                                               \
    "SELECT signup_id, activity_id, occurrence, status, party_size, name, phone, email, remark,"  \
    " kiosk_id, created_at, received_at,"                                                         \
    " CASE WHEN to_call != 0 OR status IN ('full', 'closed') THEN 'yes' ELSE '' END AS \"call\","  \
    " position, language,"                                                                     \
    " CASE WHEN attended_at IS NOT NULL AND status = 'confirmed' THEN 'yes' ELSE ''"          \
    " END AS attended FROM signups"
static const char SQL_LIST_ALL[] = LIST_SELECT " ORDER BY received_at, rowid";
static const char SQL_LIST_ONE[] =
    LIST_SELECT " WHERE activity_id = ?1 ORDER BY occurrence, received_at, rowid";
static const char SQL_LIST_OCCURRENCE[] =
    LIST_SELECT " WHERE activity_id = ?1 AND occurrence = ?2 ORDER BY received_at, rowid";

static bool column_is_time(enum list_column col)
{
    return col == LIST_OCCURRENCE || col == LIST_CREATED_AT || col == LIST_RECEIVED_AT;
}

static void write_time(FILE *out, sqlite3_stmt *st, enum list_column col)
{
    char when[RFC3339_LEN];
    rfc3339_format_local(sqlite3_column_int64(st, (int)col), when);
    fputs(when, out);
}

/* The header is the SELECT's own column names. */
static void write_csv_header(FILE *out, sqlite3_stmt *st)
{
    for (int col = 0; col < LIST_COLUMN_COUNT; col++)
        fprintf(out, "%s%s", col ? "," : "", sqlite3_column_name(st, col));
    fputs("\r\n", out);
}

static void write_csv_row(FILE *out, sqlite3_stmt *st)
{
    for (int col = 0; col < LIST_COLUMN_COUNT; col++) {
        if (col)
            fputc(',', out);
        if (column_is_time((enum list_column)col))
            write_time(out, st, (enum list_column)col);
        else
            hub_csv_write_field(out, hub_db_column_text(st, col));
    }
    fputs("\r\n", out);
}

/* The plain listing keeps one line per sign-up whatever was typed, and
 * shows what is stored: anything unprintable (a bidi override stored
 * before the hub refused them) is written out as \u{202E}. */
static void write_plain(FILE *out, const char *text)
{
    unitext_print_escaped(out, text ? text : "-", SIZE_MAX);
}

static void write_text_row(FILE *out, sqlite3_stmt *st)
{
    write_time(out, st, LIST_OCCURRENCE);
    fputc(' ', out);
    write_plain(out, hub_db_column_text(st, LIST_ACTIVITY_ID));
    fprintf(out, " %s", hub_db_column_text(st, LIST_STATUS));
    if (sqlite3_column_type(st, LIST_POSITION) != SQLITE_NULL)
        fprintf(out, " #%" PRId64, (int64_t)sqlite3_column_int64(st, LIST_POSITION));
    fprintf(out, " party=%d name=", sqlite3_column_int(st, LIST_PARTY_SIZE));
    write_plain(out, hub_db_column_text(st, LIST_NAME));
    fputs(" phone=", out);
    write_plain(out, hub_db_column_text(st, LIST_PHONE));
    fputs(" email=", out);
    write_plain(out, hub_db_column_text(st, LIST_EMAIL));
    fputs(" remark=", out);
    write_plain(out, hub_db_column_text(st, LIST_REMARK));
    fprintf(out, " kiosk=%s id=%s", hub_db_column_text(st, LIST_KIOSK_ID),
            hub_db_column_text(st, LIST_SIGNUP_ID));
    const char *call = hub_db_column_text(st, LIST_CALL);
    fprintf(out, "%s\n", call && *call ? " call=yes" : "");
}

static bool list(struct hub_db *db, sqlite3_stmt *st, bool csv, FILE *out)
{
    if (csv)
        write_csv_header(out, st);
    int rc;
    while ((rc = hub_db_step(db, st)) == SQLITE_ROW) {
        if (csv)
            write_csv_row(out, st);
        else
            write_text_row(out, st);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        log_error(TAG, "%s", sqlite3_errmsg(hub_db_handle(db)));
        return false;
    }
    return true;
}

bool hub_signup_list(struct hub_db *db, const char *activity_id, bool csv, FILE *out)
{
    sqlite3_stmt *st = hub_db_prepare(db, activity_id ? SQL_LIST_ONE : SQL_LIST_ALL);
    if (!st)
        return false;
    if (activity_id)
        hub_db_bind_text(st, 1, activity_id);
    return list(db, st, csv, out);
}

bool hub_signup_list_occurrence(struct hub_db *db, const char *activity_id, int64_t occurrence,
                                FILE *out)
{
    sqlite3_stmt *st = hub_db_prepare(db, SQL_LIST_OCCURRENCE);
    if (!st)
        return false;
    hub_db_bind_text(st, 1, activity_id);
    sqlite3_bind_int64(st, 2, occurrence);
    return list(db, st, true, out);
}
