#include "hub/hub_import.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/feed.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "hub/hub_csv.h"
#include "hub/hub_json.h"

#define TAG "hub-import"

/* ---- canonical JSON of a validated item ------------------------------------- */

static void put_string(json_t *o, const char *key, const char *value)
{
    if (value)
        json_object_set_new(o, key, json_string(value));
}

/* A text the validator gave as JSON (a localized text), as a value again. */
static void put_json_text(json_t *o, const char *key, const char *json_text)
{
    if (json_text)
        json_object_set_new(o, key, json_loads(json_text, JSON_DECODE_ANY, NULL));
}

static void put_strings(json_t *o, const char *key, const struct feed_strings *list)
{
    if (!list->count)
        return;
    json_t *array = json_array();
    for (size_t i = 0; array && i < list->count; i++)
        json_array_append_new(array, json_string(list->items[i]));
    json_object_set_new(o, key, array);
}

static void put_time(json_t *o, const char *key, int64_t t)
{
    char text[RFC3339_LEN];
    rfc3339_format_local(t, text);
    json_object_set_new(o, key, json_string(text));
}

static json_t *location_json(const struct feed_location *l)
{
    json_t *o = json_object();
    put_string(o, "id", l->id);
    put_json_text(o, "name", l->name_json);
    put_string(o, "address", l->address);
    put_string(o, "neighbourhood", l->neighbourhood);
    if (l->has_coordinates) {
        json_object_set_new(o, "lat", json_real(l->lat));
        json_object_set_new(o, "lon", json_real(l->lon));
    }
    put_json_text(o, "accessibility", l->accessibility_json);
    return o;
}

static const struct {
    const char *name;
    unsigned bit;
} field_names[] = {{"name", SIGNUP_NAME},
                   {"phone", SIGNUP_PHONE},
                   {"email", SIGNUP_EMAIL},
                   {"party_size", SIGNUP_PARTY_SIZE},
                   {"remark", SIGNUP_REMARK}};

static json_t *signup_json(const struct feed_signup *s)
{
    json_t *o = json_object();
    if (s->capacity >= 0)
        json_object_set_new(o, "capacity", json_integer(s->capacity));
    if (s->n_taken_by_occurrence) {
        json_t *taken = json_object();
        for (size_t i = 0; i < s->n_taken_by_occurrence; i++) {
            char key[RFC3339_LEN];
            rfc3339_format_local(s->taken_by_occurrence[i].occurrence, key);
            json_object_set_new(taken, key, json_integer(s->taken_by_occurrence[i].taken));
        }
        json_object_set_new(o, "taken", taken);
    } else {
        json_object_set_new(o, "taken", json_integer(s->taken));
    }
    json_object_set_new(o, "waitlist", json_boolean(s->waitlist));
    json_object_set_new(o, "closes_before_min", json_integer(s->closes_before_min));
    json_t *fields = json_array();
    for (size_t i = 0; i < sizeof field_names / sizeof *field_names; i++)
        if (s->fields & field_names[i].bit)
            json_array_append_new(fields, json_string(field_names[i].name));
    json_object_set_new(o, "fields", fields);
    return o;
}

static json_t *contact_json(const struct feed_contact *contact)
{
    json_t *o = json_object();
    put_string(o, "phone", contact->phone);
    put_string(o, "email", contact->email);
    put_string(o, "url", contact->url);
    return o;
}

static json_t *activity_json(const struct feed_activity *a)
{
    json_t *o = json_object();
    put_string(o, "id", a->id);
    put_json_text(o, "title", a->title_json);
    put_json_text(o, "summary", a->summary_json);
    put_json_text(o, "description", a->description_json);
    put_strings(o, "themes", &a->themes);
    put_strings(o, "functions", &a->functions);
    put_strings(o, "audience", &a->audience);
    put_string(o, "location_id", a->location_id);
    put_time(o, "starts_at", a->starts_at);
    if (a->ends_at != a->starts_at)
        put_time(o, "ends_at", a->ends_at);
    put_string(o, "rrule", a->rrule_text);
    if (a->n_exdates) {
        json_t *ex = json_array();
        for (size_t i = 0; i < a->n_exdates; i++) {
            char text[RFC3339_LEN];
            rfc3339_format_local(a->exdates[i], text);
            json_array_append_new(ex, json_string(text));
        }
        json_object_set_new(o, "exdates", ex);
    }
    put_json_text(o, "cost", a->cost_json);
    put_string(o, "url", a->url);
    put_string(o, "image", a->image);
    if (a->signup.present)
        json_object_set_new(o, "signup", signup_json(&a->signup));
    if (a->contact.json)
        json_object_set_new(o, "contact", contact_json(&a->contact));
    if (a->updated_at)
        put_time(o, "updated_at", a->updated_at);
    return o;
}

/* The validated slots with only the fields feed-v1 defines, in its order. */
static json_t *walk_in_json(const char *walk_in_text)
{
    json_t *walk_in = json_loads(walk_in_text, 0, NULL);
    if (!walk_in)
        return NULL;
    json_t *out = json_array();
    size_t i;
    json_t *slot;
    json_array_foreach(walk_in, i, slot) {
        json_array_append_new(out, json_pack("{sOsOsO}", "days", json_object_get(slot, "days"),
                                             "opens", json_object_get(slot, "opens"), "closes",
                                             json_object_get(slot, "closes")));
    }
    json_decref(walk_in);
    return out;
}

static json_t *service_json(const struct feed_service *s)
{
    json_t *o = json_object();
    put_string(o, "id", s->id);
    put_json_text(o, "name", s->name_json);
    put_string(o, "organization", s->organization);
    put_json_text(o, "description", s->description_json);
    put_strings(o, "themes", &s->themes);
    put_strings(o, "functions", &s->functions);
    put_strings(o, "topics", &s->topics);
    put_string(o, "location_id", s->location_id);
    if (s->walk_in_json)
        json_object_set_new(o, "walk_in", walk_in_json(s->walk_in_json));
    put_string(o, "phone", s->phone);
    put_string(o, "email", s->email);
    put_string(o, "url", s->url);
    put_json_text(o, "how_to", s->how_to_json);
    if (s->updated_at)
        put_time(o, "updated_at", s->updated_at);
    return o;
}

static json_t *announcement_json(const struct feed_announcement *a)
{
    json_t *o = json_object();
    put_string(o, "id", a->id);
    put_json_text(o, "text", a->text_json);
    if (a->from)
        put_time(o, "from", a->from);
    if (a->until)
        put_time(o, "until", a->until);
    put_strings(o, "location_ids", &a->location_ids);
    put_string(o, "priority", a->priority == PRIORITY_URGENT ? "urgent" : "normal");
    return o;
}

/* ---- the sink: straight into the open transaction --------------------------- */

struct import_sink {
    struct hub_db *db;
    bool activities_only;           /* CSV: the locations came from the hub itself */
    int64_t seq;
};

static const char SQL_INSERT_ITEM[] =
    "INSERT INTO items(kind, id, seq, location_id, location_ids, body)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_INSERT_ACTIVITY[] =
    "INSERT INTO activities(id, starts_at, rrule, exdates, has_signup, capacity, taken,"
    " taken_by_occurrence, waitlist, closes_before_min, fields, location_id, title_nl, title_en)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?13,"
    " " HUB_SQL_LOCALIZED("?12", "'$'", "'nl'", "'en'") ","
    " " HUB_SQL_LOCALIZED("?12", "'$'", "'en'", "'nl'") ")";

static char *dump(json_t *value)
{
    return value ? json_dumps(value, HUB_JSON_FLAGS) : NULL;
}

static bool store_activity_rules(struct hub_db *db, const struct feed_activity *a)
{
    sqlite3_stmt *st = hub_db_prepare(db, SQL_INSERT_ACTIVITY);
    if (!st)
        return false;
    json_t *ex = NULL, *taken = NULL;
    if (a->n_exdates) {
        ex = json_array();
        for (size_t i = 0; i < a->n_exdates; i++)
            json_array_append_new(ex, json_integer(a->exdates[i]));
    }
    const struct feed_signup *s = &a->signup;
    if (s->n_taken_by_occurrence) {
        taken = json_array();
        for (size_t i = 0; i < s->n_taken_by_occurrence; i++)
            json_array_append_new(taken, json_pack("[II]",
                                                   (json_int_t)s->taken_by_occurrence[i].occurrence,
                                                   (json_int_t)s->taken_by_occurrence[i].taken));
    }
    char *ex_text = dump(ex), *taken_text = dump(taken);
    bool ok = (!ex || ex_text) && (!taken || taken_text);
    if (ok) {
        hub_db_bind_text(st, 1, a->id);
        sqlite3_bind_int64(st, 2, a->starts_at);
        hub_db_bind_text(st, 3, a->rrule_text);
        hub_db_bind_text(st, 4, ex_text);
        sqlite3_bind_int(st, 5, s->present);
        sqlite3_bind_int64(st, 6, s->present ? s->capacity : -1);
        sqlite3_bind_int64(st, 7, s->taken);
        hub_db_bind_text(st, 8, taken_text);
        sqlite3_bind_int(st, 9, s->waitlist);
        sqlite3_bind_int64(st, 10, s->closes_before_min);
        sqlite3_bind_int(st, 11, (int)s->fields);
        hub_db_bind_text(st, 12, a->title_json);
        hub_db_bind_text(st, 13, a->location_id);
        ok = hub_db_step_done(db, st);
    }
    free(ex_text);
    free(taken_text);
    json_decref(ex);
    json_decref(taken);
    return ok;
}

bool hub_import_store_item(struct hub_db *db, const struct feed_item *item, int64_t seq)
{
    json_t *o = NULL;
    const char *id = NULL, *location_id = NULL;
    const char *location_ids = NULL;   /* JSON array text */
    switch (item->kind) {
    case FEED_LOCATION:
        o = location_json(&item->u.location);
        id = item->u.location.id;
        break;
    case FEED_ACTIVITY:
        o = activity_json(&item->u.activity);
        id = item->u.activity.id;
        location_id = item->u.activity.location_id;
        break;
    case FEED_SERVICE:
        o = service_json(&item->u.service);
        id = item->u.service.id;
        location_id = item->u.service.location_id;
        break;
    case FEED_ANNOUNCEMENT:
        o = announcement_json(&item->u.announcement);
        id = item->u.announcement.id;
        location_ids = item->u.announcement.location_ids.json;
        break;
    case FEED_KIND_COUNT:
        return false;
    }
    char *body = dump(o);
    json_decref(o);
    sqlite3_stmt *st = hub_db_prepare(db, SQL_INSERT_ITEM);
    bool ok = body && st;
    if (ok) {
        sqlite3_bind_int(st, 1, (int)item->kind);
        hub_db_bind_text(st, 2, id);
        sqlite3_bind_int64(st, 3, seq);
        hub_db_bind_text(st, 4, location_id);
        hub_db_bind_text(st, 5, location_ids);
        hub_db_bind_text(st, 6, body);
        ok = hub_db_step_done(db, st);
    }
    free(body);
    if (ok && item->kind == FEED_ACTIVITY)
        ok = store_activity_rules(db, &item->u.activity);
    return ok;
}

static bool sink_add(void *ctx, const struct feed_item *item)
{
    struct import_sink *sink = ctx;
    if (sink->activities_only && item->kind != FEED_ACTIVITY)
        return true;
    return hub_import_store_item(sink->db, item, sink->seq++);
}

bool hub_import_remove_item(struct hub_db *db, enum feed_kind kind, const char *id)
{
    static const char del_item[] = "DELETE FROM items WHERE kind = ?1 AND id = ?2";
    static const char del_activity[] = "DELETE FROM activities WHERE id = ?1";
    sqlite3_stmt *st = hub_db_prepare(db, del_item);
    if (!st)
        return false;
    sqlite3_bind_int(st, 1, (int)kind);
    hub_db_bind_text(st, 2, id);
    if (!hub_db_step_done(db, st))
        return false;
    if (kind != FEED_ACTIVITY)
        return true;
    st = hub_db_prepare(db, del_activity);
    if (!st)
        return false;
    hub_db_bind_text(st, 1, id);
    return hub_db_step_done(db, st);
}

static bool sink_retract(void *ctx, enum feed_kind kind, const char *id)
{
    struct import_sink *sink = ctx;
    if (sink->activities_only && kind != FEED_ACTIVITY)
        return true;
    return hub_import_remove_item(sink->db, kind, id);
}

/* ---- applying ------------------------------------------------------------------ */

/* A hash of everything a feed is built from, to tell a re-import of the
 * same content (which keeps generated_at and every ETag) from a change. */
static bool content_hash(struct hub_db *db, const char *publisher, const char *languages,
                         char hex[2 * crypto_generichash_BYTES + 1])
{
    static const char sql[] = "SELECT kind, id, body FROM items ORDER BY kind, seq";
    crypto_generichash_state state;
    crypto_generichash_init(&state, NULL, 0, crypto_generichash_BYTES);
    const char *parts[2] = {publisher ? publisher : "", languages ? languages : ""};
    for (int i = 0; i < 2; i++)
        crypto_generichash_update(&state, (const unsigned char *)parts[i], strlen(parts[i]) + 1);
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    if (!st)
        return false;
    int rc;
    while ((rc = hub_db_step(db, st)) == SQLITE_ROW) {
        unsigned char kind = (unsigned char)sqlite3_column_int(st, 0);
        crypto_generichash_update(&state, &kind, 1);
        for (int col = 1; col <= 2; col++)
            crypto_generichash_update(&state, sqlite3_column_text(st, col),
                                      (size_t)sqlite3_column_bytes(st, col) + 1);
    }
    sqlite3_reset(st);
    unsigned char hash[crypto_generichash_BYTES];
    crypto_generichash_final(&state, hash, sizeof hash);
    sodium_bin2hex(hex, 2 * crypto_generichash_BYTES + 1, hash, sizeof hash);
    return rc == SQLITE_DONE;
}

/* Records the new content's hash; moves content_changed_at and the state
 * version only when the content really changed. */
static bool finish_content(struct hub_db *db, const char *publisher, const char *languages,
                           int64_t now, bool *changed)
{
    char hex[2 * crypto_generichash_BYTES + 1];
    if (!content_hash(db, publisher, languages, hex))
        return false;
    char *old = hub_db_meta_get_text(db, HUB_META_CONTENT_HASH);
    *changed = !old || strcmp(old, hex) != 0;
    free(old);
    if (!*changed)
        return true;
    return hub_db_meta_set_text(db, HUB_META_CONTENT_HASH, hex) &&
           hub_db_meta_set_int(db, HUB_META_CONTENT_CHANGED_AT, now) && hub_db_bump_state(db);
}

bool hub_import_content_changed(struct hub_db *db, int64_t now)
{
    char *publisher = hub_db_meta_get_text(db, HUB_META_PUBLISHER);
    char *languages = hub_db_meta_get_text(db, HUB_META_LANGUAGES);
    bool changed;
    bool ok = finish_content(db, publisher, languages, now, &changed);
    free(publisher);
    free(languages);
    return ok;
}

/* ---- import safety: what an import would remove ------------------------------------ */

/* hub-api-v1: an import that would leave no items, or keep fewer than half
 * the ids of a kind that held at least this many, needs --force. */
#define SAFETY_MIN_HELD 10
/* Removed ids named in the refusal, per kind. */
#define SAFETY_NAMED 10

/* The ids the hub held before the import, per kind. */
struct held_ids {
    char **ids[FEED_KIND_COUNT];
    size_t n[FEED_KIND_COUNT];
};

static void held_ids_free(struct held_ids *h)
{
    for (int k = 0; k < FEED_KIND_COUNT; k++) {
        for (size_t i = 0; i < h->n[k]; i++)
            free(h->ids[k][i]);
        free(h->ids[k]);
        h->ids[k] = NULL;
        h->n[k] = 0;
    }
}

static bool held_ids_load(struct hub_db *db, struct held_ids *h)
{
    static const char sql[] = "SELECT kind, id FROM items ORDER BY kind, seq";
    memset(h, 0, sizeof *h);
    size_t cap[FEED_KIND_COUNT] = {0};
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    if (!st)
        return false;
    int rc;
    bool ok = true;
    while (ok && (rc = hub_db_step(db, st)) == SQLITE_ROW) {
        int k = sqlite3_column_int(st, 0);
        const char *id = hub_db_column_text(st, 1);
        if (k < 0 || k >= FEED_KIND_COUNT || !id)
            continue;
        if (h->n[k] == cap[k]) {
            cap[k] = cap[k] ? cap[k] * 2 : 64;
            char **more = realloc(h->ids[k], cap[k] * sizeof *more);
            if (!more) {
                ok = false;
                break;
            }
            h->ids[k] = more;
        }
        char *copy = strdup(id);
        ok = copy != NULL;
        if (copy)
            h->ids[k][h->n[k]++] = copy;
    }
    sqlite3_reset(st);
    if (!ok || rc != SQLITE_DONE) {
        held_ids_free(h);
        return false;
    }
    return true;
}

static const char *const kind_plurals[FEED_KIND_COUNT] = {"locations", "activities", "services",
                                                           "announcements"};

/* Inside the import's transaction, after the new content went in: false
 * (with the reason on errs) when the import must not go through without
 * --force. *failed tells a database error from a refusal. */
static bool import_is_safe(struct hub_db *db, const struct held_ids *held, FILE *errs,
                           bool *failed)
{
    static const char count_sql[] = "SELECT kind, count(*) FROM items GROUP BY kind";
    static const char has_sql[] = "SELECT 1 FROM items WHERE kind = ?1 AND id = ?2";
    *failed = false;
    size_t total = 0, removed[FEED_KIND_COUNT] = {0};
    sqlite3_stmt *st = hub_db_prepare(db, count_sql);
    int rc = SQLITE_ERROR;
    while (st && (rc = hub_db_step(db, st)) == SQLITE_ROW)
        total += (size_t)sqlite3_column_int64(st, 1);
    if (st)
        sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        *failed = true;
        return false;
    }
    /* Which of the old ids are gone, named (a few) for the refusal. */
    char names[FEED_KIND_COUNT][SAFETY_NAMED * (FEED_ID_MAX + 2) + 1];
    for (int k = 0; k < FEED_KIND_COUNT; k++) {
        names[k][0] = '\0';
        size_t len = 0;
        for (size_t i = 0; i < held->n[k]; i++) {
            st = hub_db_prepare(db, has_sql);
            if (!st) {
                *failed = true;
                return false;
            }
            sqlite3_bind_int(st, 1, k);
            hub_db_bind_text(st, 2, held->ids[k][i]);
            rc = hub_db_step(db, st);
            sqlite3_reset(st);
            if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
                *failed = true;
                return false;
            }
            if (rc == SQLITE_ROW)
                continue;
            if (removed[k]++ < SAFETY_NAMED)
                len += (size_t)snprintf(names[k] + len, sizeof names[k] - len, "%s%s",
                                        len ? ", " : "", held->ids[k][i]);
        }
    }
    size_t held_total = 0;
    for (int k = 0; k < FEED_KIND_COUNT; k++)
        held_total += held->n[k];
    bool safe = true;
    if (total == 0) {
        safe = false;
        fprintf(errs, "buurthub: import refused: it would leave no items");
        if (held_total) {
            fputs(" (it would remove", errs);
            bool first = true;
            for (int k = 0; k < FEED_KIND_COUNT; k++)
                if (held->n[k]) {
                    fprintf(errs, "%s %zu %s", first ? "" : ",", held->n[k], kind_plurals[k]);
                    first = false;
                }
            fputs(")", errs);
        }
        fputs("\n", errs);
    } else {
        for (int k = 0; k < FEED_KIND_COUNT; k++) {
            size_t kept = held->n[k] - removed[k];
            if (held->n[k] < SAFETY_MIN_HELD || kept * 2 >= held->n[k])
                continue;
            safe = false;
            fprintf(errs,
                    "buurthub: import refused: it would keep %zu of the %zu %s and remove %zu: "
                    "%s%s\n",
                    kept, held->n[k], kind_plurals[k], removed[k], names[k],
                    removed[k] > SAFETY_NAMED ? ", ..." : "");
        }
    }
    if (!safe)
        fputs("buurthub: nothing changed; import --force FILE to replace the content anyway\n",
              errs);
    return safe;
}

/* "import failed: WHAT: database or disk is full": SQLite's reason, which
 * hub_db keeps across the ROLLBACK, when it was SQLite that failed. */
static void print_failure(FILE *errs, const struct hub_db *db, const char *what)
{
    const char *why = hub_db_failure_text(db);
    fprintf(errs, "buurthub: import failed: %s%s%s\n", what, why ? ": " : "", why ? why : "");
}

/* publisher and languages, which the validator checked but does not hand
 * over, as compact JSON texts (NULL when absent). */
static bool top_level_extras(const char *body, size_t len, char **publisher, char **languages)
{
    *publisher = *languages = NULL;
    json_t *doc = json_loadb(body, len, 0, NULL);
    if (!doc)
        return false;
    json_t *p = json_object_get(doc, "publisher");
    if (json_is_object(p)) {
        json_t *clean = json_object();
        put_string(clean, "name", json_string_value(json_object_get(p, "name")));
        put_string(clean, "url", json_string_value(json_object_get(p, "url")));
        *publisher = dump(clean);
        json_decref(clean);
    }
    json_t *l = json_object_get(doc, "languages");
    if (json_is_array(l))
        *languages = dump(l);
    json_decref(doc);
    return true;
}

enum hub_import_result hub_import_feed(struct hub_db *db, const char *body, size_t len,
                                       int64_t now, bool force, FILE *out, FILE *errs)
{
    if (!hub_db_begin_write(db)) {
        print_failure(errs, db, "the database is busy or unwritable");
        return HUB_IMPORT_FAILED;
    }
    struct held_ids held;
    if (!held_ids_load(db, &held)) {
        hub_db_rollback(db);
        print_failure(errs, db, "could not read the content");
        return HUB_IMPORT_FAILED;
    }
    if (!hub_db_exec(db, "DELETE FROM items; DELETE FROM activities;")) {
        hub_db_rollback(db);
        held_ids_free(&held);
        print_failure(errs, db, "could not write the database");
        return HUB_IMPORT_FAILED;
    }
    struct import_sink ctx = {.db = db};
    struct feed_sink sink = {.ctx = &ctx, .add = sink_add, .retract = sink_retract};
    struct feed_report rep;
    enum feed_result result = feed_parse(body, len, &sink, &rep);
    if (result != FEED_ACCEPTED) {
        hub_db_rollback(db);
        held_ids_free(&held);
        /* The same lines as validate-feed for the same document, then why
         * it went no further: --force never applies a broken document. */
        feed_report_print(&rep, errs, errs);
        if (result == FEED_REJECTED)
            fprintf(errs, "buurthub: import refused: %s\n", rep.reason[0] ? rep.reason : "invalid");
        else
            print_failure(errs, db, rep.reason);
        feed_report_clear(&rep);
        return result == FEED_REJECTED ? HUB_IMPORT_REFUSED : HUB_IMPORT_FAILED;
    }
    bool check_failed = false;
    if (!force && !import_is_safe(db, &held, errs, &check_failed)) {
        hub_db_rollback(db);
        held_ids_free(&held);
        if (check_failed)
            print_failure(errs, db, "could not compare the content");
        else
            feed_report_print(&rep, errs, errs);
        feed_report_clear(&rep);
        return check_failed ? HUB_IMPORT_FAILED : HUB_IMPORT_REFUSED;
    }
    held_ids_free(&held);
    char *publisher = NULL, *languages = NULL;
    bool changed = false;
    bool ok = top_level_extras(body, len, &publisher, &languages) &&
              hub_db_meta_set_text(db, HUB_META_PUBLISHER, publisher) &&
              hub_db_meta_set_text(db, HUB_META_LANGUAGES, languages) &&
              finish_content(db, publisher, languages, now, &changed) && hub_db_commit(db);
    free(publisher);
    free(languages);
    if (!ok) {
        hub_db_rollback(db);
        print_failure(errs, db, "could not write the database");
        feed_report_clear(&rep);
        return HUB_IMPORT_FAILED;
    }
    feed_report_print(&rep, errs, errs);
    fprintf(out,
            "imported: locations=%zu activities=%zu services=%zu announcements=%zu skipped=%zu%s\n",
            rep.kept[FEED_LOCATION], rep.kept[FEED_ACTIVITY], rep.kept[FEED_SERVICE],
            rep.kept[FEED_ANNOUNCEMENT], rep.skipped, changed ? "" : " (content unchanged)");
    log_debug(TAG, "content imported (%s)", changed ? "changed" : "unchanged");
    feed_report_clear(&rep);
    return HUB_IMPORT_OK;
}

/* ---- CSV -------------------------------------------------------------------------- */

/* Columns of the activities CSV. title/summary/description/cost take a
 * language suffix (_nl, _en, _ar, ...); a bare name means Dutch. */
enum column {
    COL_ID, COL_TITLE, COL_SUMMARY, COL_DESCRIPTION, COL_COST, COL_LOCATION_ID, COL_STARTS_AT,
    COL_ENDS_AT, COL_RRULE, COL_EXDATES, COL_THEMES, COL_FUNCTIONS, COL_AUDIENCE, COL_URL,
    COL_IMAGE, COL_SIGNUP, COL_CAPACITY, COL_TAKEN, COL_WAITLIST, COL_CLOSES_BEFORE_MIN,
    COL_SIGNUP_FIELDS, COL_CONTACT_PHONE, COL_CONTACT_EMAIL, COL_CONTACT_URL, COL_COUNT
};

static const char *const column_names[COL_COUNT] = {
    "id", "title", "summary", "description", "cost", "location_id", "starts_at", "ends_at",
    "rrule", "exdates", "themes", "functions", "audience", "url", "image", "signup", "capacity",
    "taken", "waitlist", "closes_before_min", "signup_fields", "contact_phone", "contact_email",
    "contact_url",
};

static bool column_is_text(enum column c)
{
    return c == COL_TITLE || c == COL_SUMMARY || c == COL_DESCRIPTION || c == COL_COST;
}

struct header_col {
    enum column column;
    char lang[16];                  /* for texts */
};

static bool lang_code(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 8)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!islower((unsigned char)s[i]) && s[i] != '-')
            return false;
    return true;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

static bool parse_header(struct hub_csv_record *rec, struct header_col *cols, char *err,
                         size_t err_len)
{
    bool seen_id = false, seen_title_nl = false, seen_start = false;
    for (size_t i = 0; i < rec->n_fields; i++) {
        char *name = trim(rec->fields[i]);
        for (char *p = name; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        int found = -1;
        cols[i].lang[0] = '\0';
        for (int c = 0; c < COL_COUNT && found < 0; c++) {
            size_t n = strlen(column_names[c]);
            if (strcmp(name, column_names[c]) == 0) {
                found = c;
                if (column_is_text((enum column)c))
                    snprintf(cols[i].lang, sizeof cols[i].lang, "nl");
            } else if (column_is_text((enum column)c) && strncmp(name, column_names[c], n) == 0 &&
                       name[n] == '_' && lang_code(name + n + 1)) {
                found = c;
                snprintf(cols[i].lang, sizeof cols[i].lang, "%s", name + n + 1);
            }
        }
        if (found < 0) {
            snprintf(err, err_len, "line %zu: unknown column \"%.40s\" (see docs/hub.md)",
                     rec->line, name);
            return false;
        }
        for (size_t k = 0; k < i; k++)
            if (cols[k].column == (enum column)found && strcmp(cols[k].lang, cols[i].lang) == 0) {
                snprintf(err, err_len, "line %zu: column \"%.40s\" appears twice", rec->line,
                         name);
                return false;
            }
        cols[i].column = (enum column)found;
        seen_id = seen_id || found == COL_ID;
        seen_start = seen_start || found == COL_STARTS_AT;
        seen_title_nl = seen_title_nl || (found == COL_TITLE && strcmp(cols[i].lang, "nl") == 0);
    }
    if (!seen_id || !seen_title_nl || !seen_start) {
        snprintf(err, err_len, "line %zu: the header needs the columns id, title_nl and starts_at",
                 rec->line);
        return false;
    }
    return true;
}

/* Reads n digits (1..max) at *p. */
static bool digits(const char **p, int min, int max, int *out)
{
    int n = 0, v = 0;
    while (isdigit((unsigned char)(*p)[n]) && n < max)
        v = v * 10 + ((*p)[n++] - '0');
    if (n < min || isdigit((unsigned char)(*p)[n]))
        return false;
    *p += n;
    *out = v;
    return true;
}

/* A date as spreadsheets write it: 2026-11-26 or 26-11-2026 (also with /). */
static bool parse_date(const char **p, struct local_time *lt)
{
    const char *s = *p;
    int a, b, c;
    if (digits(&s, 4, 4, &a) && (*s == '-' || *s == '/')) {
        char sep = *s++;
        if (!digits(&s, 1, 2, &b) || *s++ != sep || !digits(&s, 1, 2, &c))
            return false;
        lt->year = a, lt->month = b, lt->day = c;
    } else {
        s = *p;
        if (!digits(&s, 1, 2, &a) || (*s != '-' && *s != '/'))
            return false;
        char sep = *s++;
        if (!digits(&s, 1, 2, &b) || *s++ != sep || !digits(&s, 4, 4, &c))
            return false;
        lt->year = c, lt->month = b, lt->day = a;
    }
    if (lt->month < 1 || lt->month > 12 || lt->day < 1 ||
        lt->day > civil_days_in_month(lt->year, lt->month) || lt->year < 1900 || lt->year > 2200)
        return false;
    *p = s;
    return true;
}

static bool parse_clock(const char **p, struct local_time *lt)
{
    const char *s = *p;
    int h, m, sec = 0;
    if (!digits(&s, 1, 2, &h) || *s++ != ':' || !digits(&s, 2, 2, &m))
        return false;
    if (*s == ':' && !(s++, digits(&s, 2, 2, &sec)))
        return false;
    if (h > 23 || m > 59 || sec > 59)
        return false;
    lt->hour = h, lt->minute = m, lt->second = sec;
    *p = s;
    return true;
}

/* A time cell: RFC 3339 as is; else a local "date time", or with a
 * reference instant a bare "HH:MM" (that day) or a bare date (that time
 * of day). Anything else stays as written, for the validator to name. */
static json_t *time_value(const char *cell, const int64_t *reference)
{
    int64_t t;
    if (rfc3339_parse(cell, &t))
        return json_string(cell);
    struct local_time lt = {0};
    if (reference)
        tz_to_local(*reference, &lt);
    const char *p = cell;
    bool ok;
    if (parse_date(&p, &lt)) {
        if (*p == ' ' || *p == 'T') {
            p++;
            ok = parse_clock(&p, &lt);
        } else {
            ok = reference != NULL;       /* a bare date: keep the time of day */
        }
    } else {
        ok = reference != NULL && parse_clock(&p, &lt);
    }
    if (!ok || *p)
        return json_string(cell);
    char text[RFC3339_LEN];
    rfc3339_format_local(tz_from_local(&lt), text);
    return json_string(text);
}

/* "a; b, c" as ["a","b","c"]. */
static json_t *list_value(const char *cell)
{
    json_t *array = json_array();
    const char *p = cell;
    while (array && *p) {
        p += strspn(p, " ,;\t");
        size_t n = strcspn(p, ",;");
        size_t end = n;
        while (end && (p[end - 1] == ' ' || p[end - 1] == '\t'))
            end--;
        if (end)
            json_array_append_new(array, json_stringn(p, end));
        p += n;
    }
    return array;
}

/* An integer cell as a JSON integer; anything else as written. */
static json_t *integer_value(const char *cell)
{
    char *end;
    errno = 0;
    long long v = strtoll(cell, &end, 10);
    if (errno || end == cell || *end)
        return json_string(cell);
    return json_integer(v);
}

/* yes/no in the words staff use; anything else as written. */
static int yes_no(const char *cell)
{
    static const char *const yes[] = {"yes", "ja", "true", "waar", "1", "y", "j"};
    static const char *const no[] = {"no", "nee", "false", "onwaar", "0", "n"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        if (strcasecmp(cell, yes[i]) == 0)
            return 1;
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        if (strcasecmp(cell, no[i]) == 0)
            return 0;
    return -1;
}

static json_t *bool_value(const char *cell)
{
    int v = yes_no(cell);
    return v < 0 ? json_string(cell) : json_boolean(v);
}

static json_t *text_object(json_t *item, const char *key)
{
    json_t *o = json_object_get(item, key);
    if (!o) {
        o = json_object();
        json_object_set_new(item, key, o);
    }
    return o;
}

/* One row as a feed-v1 activity; the validator judges it. */
static json_t *row_item(const struct hub_csv_record *rec, const struct header_col *cols,
                        size_t n_cols)
{
    json_t *item = json_object();
    json_t *signup = json_object();
    json_t *contact = json_object();
    int want_signup = -1;           /* the signup column: -1 = not said */
    const char *starts = NULL, *ends = NULL, *exdates = NULL;
    for (size_t i = 0; i < n_cols && i < rec->n_fields; i++) {
        const char *cell = trim(rec->fields[i]);
        if (!*cell)
            continue;
        switch (cols[i].column) {
        case COL_ID: json_object_set_new(item, "id", json_string(cell)); break;
        case COL_TITLE:
        case COL_SUMMARY:
        case COL_DESCRIPTION:
        case COL_COST:
            json_object_set_new(text_object(item, column_names[cols[i].column]), cols[i].lang,
                                json_string(cell));
            break;
        case COL_LOCATION_ID: json_object_set_new(item, "location_id", json_string(cell)); break;
        case COL_STARTS_AT: starts = cell; break;
        case COL_ENDS_AT: ends = cell; break;
        case COL_EXDATES: exdates = cell; break;
        case COL_RRULE: json_object_set_new(item, "rrule", json_string(cell)); break;
        case COL_THEMES:
        case COL_FUNCTIONS:
        case COL_AUDIENCE:
            json_object_set_new(item, column_names[cols[i].column], list_value(cell));
            break;
        case COL_URL:
        case COL_IMAGE:
            json_object_set_new(item, column_names[cols[i].column], json_string(cell));
            break;
        case COL_SIGNUP:
            want_signup = yes_no(cell);
            if (want_signup < 0)
                json_object_set_new(item, "signup", json_string(cell)); /* named by the validator */
            break;
        case COL_CAPACITY: json_object_set_new(signup, "capacity", integer_value(cell)); break;
        case COL_TAKEN: json_object_set_new(signup, "taken", integer_value(cell)); break;
        case COL_WAITLIST: json_object_set_new(signup, "waitlist", bool_value(cell)); break;
        case COL_CLOSES_BEFORE_MIN:
            json_object_set_new(signup, "closes_before_min", integer_value(cell));
            break;
        case COL_SIGNUP_FIELDS: json_object_set_new(signup, "fields", list_value(cell)); break;
        case COL_CONTACT_PHONE: json_object_set_new(contact, "phone", json_string(cell)); break;
        case COL_CONTACT_EMAIL: json_object_set_new(contact, "email", json_string(cell)); break;
        case COL_CONTACT_URL: json_object_set_new(contact, "url", json_string(cell)); break;
        case COL_COUNT: break;
        }
    }
    int64_t start = 0;
    bool have_start = false;
    if (starts) {
        json_t *v = time_value(starts, NULL);
        have_start = rfc3339_parse(json_string_value(v), &start);
        json_object_set_new(item, "starts_at", v);
    }
    if (ends)
        json_object_set_new(item, "ends_at", time_value(ends, have_start ? &start : NULL));
    if (exdates) {
        json_t *list = list_value(exdates);
        json_t *times = json_array();
        size_t k;
        json_t *e;
        json_array_foreach(list, k, e) {
            json_array_append_new(times, time_value(json_string_value(e), have_start ? &start : NULL));
        }
        json_decref(list);
        json_object_set_new(item, "exdates", times);
    }
    /* A row offers sign-up when it says so, or fills in any sign-up column. */
    if (want_signup == 1 || (want_signup < 0 && json_object_size(signup) > 0))
        json_object_set(item, "signup", signup);
    if (json_object_size(contact))
        json_object_set(item, "contact", contact);
    json_decref(signup);
    json_decref(contact);
    return item;
}

static const char SQL_LOCATIONS[] = "SELECT body FROM items WHERE kind = ?1 ORDER BY seq";

/* The document a CSV stands for: the hub's own locations (so that a
 * location_id is checked exactly as in a feed) and one activity per row.
 * lines[i] gets the line of row i. */
static json_t *csv_document(struct hub_db *db, const char *body, size_t len, int64_t now,
                            size_t **lines, size_t *n_rows, char *err, size_t err_len)
{
    struct hub_csv_reader r;
    hub_csv_reader_init(&r, body, len);
    struct hub_csv_record rec = {0};
    struct header_col cols[HUB_CSV_MAX_FIELDS];
    size_t n_cols = 0;
    enum hub_csv_result res = hub_csv_next(&r, &rec, err, err_len);
    if (res == HUB_CSV_END)
        snprintf(err, err_len, "the file is empty");
    if (res != HUB_CSV_RECORD)
        return NULL;
    bool ok = parse_header(&rec, cols, err, err_len);
    n_cols = rec.n_fields;
    hub_csv_record_clear(&rec);
    if (!ok)
        return NULL;

    /* generated_at is required of every feed; a sheet has none, so it is
     * the moment of the import (the hub's own feed sets its own). */
    char generated[RFC3339_LEN];
    rfc3339_format_local(now, generated);
    json_t *doc = json_pack("{sssiss}", "format", "buurtkiosk-feed", "version", 1, "generated_at",
                            generated);
    json_t *locations = json_array(), *activities = json_array();
    ok = doc && locations && activities;
    sqlite3_stmt *st = ok ? hub_db_prepare(db, SQL_LOCATIONS) : NULL;
    ok = ok && st;
    if (st)
        sqlite3_bind_int(st, 1, FEED_LOCATION);
    int rc = SQLITE_DONE;
    while (ok && (rc = hub_db_step(db, st)) == SQLITE_ROW)
        ok = json_array_append_new(locations,
                                   json_loads(hub_db_column_text(st, 0), 0,
                                              NULL)) == 0;
    /* Without all of them, rows would be refused for locations that exist. */
    ok = ok && rc == SQLITE_DONE;
    if (st)
        sqlite3_reset(st);
    size_t cap = 0;
    *n_rows = 0;
    *lines = NULL;
    while (ok && (res = hub_csv_next(&r, &rec, err, err_len)) == HUB_CSV_RECORD) {
        for (size_t i = n_cols; i < rec.n_fields; i++)
            if (*trim(rec.fields[i])) {
                snprintf(err, err_len, "line %zu: more cells than the header has columns",
                         rec.line);
                ok = false;
            }
        if (ok && *n_rows == cap) {
            cap = cap ? cap * 2 : 64;
            size_t *more = realloc(*lines, cap * sizeof *more);
            ok = more != NULL;
            if (more)
                *lines = more;
        }
        if (ok) {
            (*lines)[(*n_rows)++] = rec.line;
            ok = json_array_append_new(activities, row_item(&rec, cols, n_cols)) == 0;
        }
        hub_csv_record_clear(&rec);
    }
    ok = ok && res == HUB_CSV_END;
    if (ok) {
        json_object_set(doc, "locations", locations);
        json_object_set(doc, "activities", activities);
    }
    json_decref(locations);
    json_decref(activities);
    if (!ok) {
        json_decref(doc);
        free(*lines);
        *lines = NULL;
        return NULL;
    }
    return doc;
}

static int skip_cmp(const void *a, const void *b)
{
    const struct feed_skip *x = a, *y = b;
    if (x->kind != y->kind)
        return (int)x->kind - (int)y->kind;
    return (x->index > y->index) - (x->index < y->index);
}

enum hub_import_result hub_import_csv(struct hub_db *db, const char *body, size_t len,
                                      int64_t now, bool force, FILE *out, FILE *errs)
{
    if (!hub_db_begin_write(db)) {
        print_failure(errs, db, "the database is busy or unwritable");
        return HUB_IMPORT_FAILED;
    }
    struct held_ids held;
    if (!held_ids_load(db, &held)) {
        hub_db_rollback(db);
        print_failure(errs, db, "could not read the content");
        return HUB_IMPORT_FAILED;
    }
    char err[256] = "";
    size_t *lines = NULL, n_rows = 0;
    json_t *doc = csv_document(db, body, len, now, &lines, &n_rows, err, sizeof err);
    char *text = doc ? json_dumps(doc, HUB_JSON_FLAGS) : NULL;
    json_decref(doc);
    if (!text) {
        hub_db_rollback(db);
        if (err[0])
            fprintf(errs, "buurthub: import refused: %s\n", err);
        else if (hub_db_failure_text(db))
            print_failure(errs, db, "could not read the locations");
        else
            print_failure(errs, db, "out of memory");
        free(lines);
        held_ids_free(&held);
        return err[0] ? HUB_IMPORT_REFUSED : HUB_IMPORT_FAILED;
    }
    static const char del_activities[] = "DELETE FROM items WHERE kind = ?1";
    sqlite3_stmt *st = hub_db_prepare(db, del_activities);
    if (st)
        sqlite3_bind_int(st, 1, FEED_ACTIVITY);
    if (!st || !hub_db_step_done(db, st) || !hub_db_exec(db, "DELETE FROM activities")) {
        hub_db_rollback(db);
        print_failure(errs, db, "could not write the database");
        free(text);
        free(lines);
        held_ids_free(&held);
        return HUB_IMPORT_FAILED;
    }
    struct import_sink ctx = {.db = db, .activities_only = true};
    struct feed_sink sink = {.ctx = &ctx, .add = sink_add, .retract = sink_retract};
    struct feed_report rep;
    enum feed_result result = feed_parse(text, strlen(text), &sink, &rep);
    free(text);
    enum hub_import_result answer = HUB_IMPORT_OK;
    if (result == FEED_SINK_FAILED) {
        print_failure(errs, db, rep.reason);
        answer = HUB_IMPORT_FAILED;
    } else if (rep.skipped) {
        /* Every bad row by its line, also when no row was good (which
         * rejects the document whole): the sheet is fixed row by row. */
        /* In the sheet's order: a dangling location_id is found last. */
        qsort(rep.skips, rep.n_skips, sizeof *rep.skips, skip_cmp);
        for (size_t i = 0; i < rep.n_skips; i++) {
            const struct feed_skip *s = &rep.skips[i];
            const char *hint = strstr(s->reason, "RFC 3339")
                                   ? " (write 2026-12-01 14:00, 01-12-2026 14:00 or RFC 3339)"
                                   : "";
            if (s->kind == FEED_ACTIVITY && s->index < n_rows)
                fprintf(errs, "line %zu (%s): %s%s\n", lines[s->index],
                        s->id[0] ? s->id : "no id", s->reason, hint);
            else
                fprintf(errs, "%s %s: %s\n", feed_kind_name(s->kind), s->id, s->reason);
        }
        fprintf(errs, "buurthub: import refused: %zu bad row%s, nothing changed\n", rep.skipped,
                rep.skipped == 1 ? "" : "s");
        answer = HUB_IMPORT_REFUSED;
    } else if (result == FEED_REJECTED) {
        fprintf(errs, "buurthub: import refused: %s\n", rep.reason[0] ? rep.reason : "invalid");
        answer = HUB_IMPORT_REFUSED;
    }
    if (answer == HUB_IMPORT_OK) {
        for (size_t i = 0; i < rep.n_warnings; i++) {
            const struct feed_warning *w = &rep.warnings[i];
            if (w->kind == FEED_ACTIVITY && w->index < n_rows)
                fprintf(errs, "line %zu (%s): warning: %s\n", lines[w->index], w->id, w->message);
        }
        bool check_failed = false;
        if (!force && !import_is_safe(db, &held, errs, &check_failed))
            answer = check_failed ? HUB_IMPORT_FAILED : HUB_IMPORT_REFUSED;
        if (check_failed)
            print_failure(errs, db, "could not compare the content");
    }
    held_ids_free(&held);
    char *publisher = NULL, *languages = NULL;
    bool changed = false;
    if (answer == HUB_IMPORT_OK) {
        publisher = hub_db_meta_get_text(db, HUB_META_PUBLISHER);
        languages = hub_db_meta_get_text(db, HUB_META_LANGUAGES);
        if (!finish_content(db, publisher, languages, now, &changed) || !hub_db_commit(db)) {
            print_failure(errs, db, "could not write the database");
            answer = HUB_IMPORT_FAILED;
        }
    }
    hub_db_rollback(db);
    if (answer == HUB_IMPORT_OK) {
        fprintf(out,
                "imported: activities=%zu from CSV (locations, services and announcements kept)%s\n",
                rep.kept[FEED_ACTIVITY], changed ? "" : " (content unchanged)");
        log_debug(TAG, "activities imported from CSV (%s)", changed ? "changed" : "unchanged");
    }
    free(publisher);
    free(languages);
    free(lines);
    feed_report_clear(&rep);
    return answer;
}

/* ---- files --------------------------------------------------------------------------- */

bool hub_import_is_csv(const char *path, const char *body, size_t len)
{
    size_t n = strlen(path);
    if (n >= 4 && strcasecmp(path + n - 4, ".csv") == 0)
        return true;
    if (len >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0) {
        body += 3;
        len -= 3;
    }
    static const char *const starts[] = {"id,", "id;", "\"id\",", "\"id\";"};
    for (size_t i = 0; i < sizeof starts / sizeof *starts; i++) {
        size_t k = strlen(starts[i]);
        if (len >= k && strncasecmp(body, starts[i], k) == 0)
            return true;
    }
    return false;
}

enum hub_import_result hub_import_file(struct hub_db *db, const char *path, int64_t now,
                                       bool force, FILE *out, FILE *errs)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(errs, "buurthub: %s: %s\n", path, strerror(errno));
        return HUB_IMPORT_REFUSED;
    }
    /* One byte past the limit tells "too big" from "exactly the limit". */
    size_t cap = FEED_MAX_BODY + 1;
    char *body = malloc(cap);
    size_t len = body ? fread(body, 1, cap, f) : 0;
    bool read_error = ferror(f) != 0;
    fclose(f);
    if (!body || read_error) {
        free(body);
        fprintf(errs, "buurthub: %s: cannot read\n", path);
        return HUB_IMPORT_REFUSED;
    }
    enum hub_import_result r;
    if (len > FEED_MAX_BODY) {
        fprintf(errs, "buurthub: import refused: %s is over 16 MiB\n", path);
        r = HUB_IMPORT_REFUSED;
    } else if (hub_import_is_csv(path, body, len)) {
        r = hub_import_csv(db, body, len, now, force, out, errs);
    } else {
        r = hub_import_feed(db, body, len, now, force, out, errs);
    }
    free(body);
    return r;
}
