/*
 * The content forms' items -> the hub's database (hub_content.h): judged
 * by the kiosk's feed validator, stored by hub_import's code for one item,
 * audited, and the content's version moved, in one transaction.
 */
#include "hub/hub_content.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "hub/hub_import.h"
#include "hub/hub_json.h"
#include "hub/hub_session.h"
#include "model/rrule.h"

/* ---- validating and storing ----------------------------------------------------------- */

/* The form field a validator's reason is about: the reason starts with
 * the feed field's name ("ends_at is before starts_at", "title: text over
 * 8 KiB", "signup.capacity ..."). "" when no field shows it. */
static const char *field_of_reason(enum feed_kind kind, const char *reason)
{
    static const struct {
        enum feed_kind kind;
        const char *key, *field;
    } map[] = {
        {FEED_ACTIVITY, "title", "title"},         {FEED_ACTIVITY, "description", "description"},
        {FEED_ACTIVITY, "location_id", "location_id"}, {FEED_ACTIVITY, "starts_at", "date"},
        {FEED_ACTIVITY, "ends_at", "end"},         {FEED_ACTIVITY, "rrule", "repeat"},
        {FEED_ACTIVITY, "exdates", "repeat"},      {FEED_ACTIVITY, "signup", "capacity"},
        {FEED_SERVICE, "name", "name"},            {FEED_SERVICE, "description", "description"},
        {FEED_SERVICE, "how_to", "how_to"},        {FEED_SERVICE, "location_id", "location_id"},
        {FEED_SERVICE, "organization", "organization"}, {FEED_SERVICE, "phone", "phone"},
        {FEED_SERVICE, "email", "email"},          {FEED_SERVICE, "url", "url"},
        {FEED_SERVICE, "walk_in", "walk_in_days_1"}, {FEED_ANNOUNCEMENT, "text", "text"},
        {FEED_ANNOUNCEMENT, "from", "from"},       {FEED_ANNOUNCEMENT, "until", "until"},
        {FEED_ANNOUNCEMENT, "location_ids", "location_ids"},
        {FEED_ANNOUNCEMENT, "priority", "priority"},
    };
    size_t n = strspn(reason, "abcdefghijklmnopqrstuvwxyz_");
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (map[i].kind == kind && strlen(map[i].key) == n && strncmp(reason, map[i].key, n) == 0)
            return map[i].field;
    return "";
}

/* Takes the one item of kind that the validator passes and stores it. */
struct one_sink {
    struct hub_db *db;
    enum feed_kind kind;
    int64_t seq;
    bool stored;
};

static bool one_add(void *ctx, const struct feed_item *item)
{
    struct one_sink *s = ctx;
    if (item->kind != s->kind)
        return true;                /* the hub's locations, there to be referred to */
    s->stored = hub_import_store_item(s->db, item, s->seq);
    return s->stored;
}

static bool one_retract(void *ctx, enum feed_kind kind, const char *id)
{
    struct one_sink *s = ctx;
    if (kind != s->kind)
        return true;
    s->stored = false;
    return hub_import_remove_item(s->db, kind, id);
}

static const char *const array_of[FEED_KIND_COUNT] = {"locations", "activities", "services",
                                                      "announcements"};

/* A feed-v1 document of the hub's locations and item; NULL on error. */
static char *one_item_document(struct hub_db *db, enum feed_kind kind, const json_t *item,
                               int64_t now)
{
    static const char sql[] = "SELECT body FROM items WHERE kind = ?1 ORDER BY seq";
    char generated[RFC3339_LEN];
    rfc3339_format_local(now, generated);
    json_t *locations = json_array();
    json_t *doc = json_pack("{sssiss}", "format", "buurtkiosk-feed", "version", 1,
                            "generated_at", generated);
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    bool ok = locations && doc && st;
    int rc = SQLITE_DONE;
    if (st) {
        sqlite3_bind_int(st, 1, FEED_LOCATION);
        while (ok && (rc = hub_db_step(db, st)) == SQLITE_ROW)
            ok = json_array_append_new(locations,
                                       json_loads(hub_db_column_text(st, 0), 0, NULL)) == 0;
        sqlite3_reset(st);
    }
    ok = ok && rc == SQLITE_DONE;
    if (ok) {
        json_object_set(doc, "locations", locations);
        json_object_set_new(doc, array_of[kind], json_pack("[O]", item));
    }
    char *text = ok ? json_dumps(doc, HUB_JSON_FLAGS) : NULL;
    json_decref(locations);
    json_decref(doc);
    return text;
}

/* hub_content_save inside an open write transaction. */
static enum hub_content_result save_locked(struct hub_db *db, enum feed_kind kind,
                                           const json_t *item, bool replace, int64_t now,
                                           const char *who, enum hub_audit_action action,
                                           struct hub_content_errors *errs)
{
    static const char sql_seq[] = "SELECT seq FROM items WHERE kind = ?1 AND id = ?2";
    static const char sql_next[] = "SELECT COALESCE(MAX(seq) + 1, 0) FROM items";
    const char *id = json_string_value(json_object_get(item, "id"));
    if (!id || !feed_id_valid(id) || kind == FEED_LOCATION || kind >= FEED_KIND_COUNT)
        return HUB_CONTENT_NOT_FOUND;
    sqlite3_stmt *st = hub_db_prepare(db, sql_seq);
    if (!st)
        return HUB_CONTENT_FAILED;
    sqlite3_bind_int(st, 1, (int)kind);
    hub_db_bind_text(st, 2, id);
    int rc = hub_db_step(db, st);
    int64_t seq = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return HUB_CONTENT_FAILED;
    if ((rc == SQLITE_ROW) != replace)
        return replace ? HUB_CONTENT_NOT_FOUND : HUB_CONTENT_FAILED;  /* an id drawn twice */
    if (replace && !hub_import_remove_item(db, kind, id))
        return HUB_CONTENT_FAILED;
    if (!replace) {
        st = hub_db_prepare(db, sql_next);
        if (!st || hub_db_step(db, st) != SQLITE_ROW) {
            if (st)
                sqlite3_reset(st);
            return HUB_CONTENT_FAILED;
        }
        seq = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    }
    char *doc = one_item_document(db, kind, item, now);
    if (!doc)
        return HUB_CONTENT_FAILED;
    struct one_sink one = {db, kind, seq, false};
    struct feed_sink sink = {.ctx = &one, .add = one_add, .retract = one_retract};
    struct feed_report rep;
    enum feed_result result = feed_parse(doc, strlen(doc), &sink, &rep);
    free(doc);
    enum hub_content_result answer = HUB_CONTENT_SAVED;
    if (result == FEED_SINK_FAILED) {
        answer = HUB_CONTENT_FAILED;
    } else if (result != FEED_ACCEPTED || !one.stored) {
        answer = HUB_CONTENT_REFUSED;
        bool named = false;
        for (size_t i = 0; i < rep.n_skips; i++)
            if (rep.skips[i].kind == kind) {
                hub_content_add_error(errs, field_of_reason(kind, rep.skips[i].reason), HC_INVALID,
                          rep.skips[i].reason);
                named = true;
            }
        if (!named)
            hub_content_add_error(errs, "", HC_INVALID, rep.reason[0] ? rep.reason : "invalid");
    }
    feed_report_clear(&rep);
    if (answer == HUB_CONTENT_SAVED &&
        (!hub_audit_record(db, now, who, action, id) || !hub_import_content_changed(db, now)))
        answer = HUB_CONTENT_FAILED;
    return answer;
}

static enum hub_content_result finish(struct hub_db *db, enum hub_content_result r)
{
    if (r == HUB_CONTENT_SAVED && hub_db_commit(db))
        return r;
    hub_db_rollback(db);
    return r == HUB_CONTENT_SAVED ? HUB_CONTENT_FAILED : r;
}

enum hub_content_result hub_content_save(struct hub_db *db, enum feed_kind kind,
                                         const json_t *item, bool replace, int64_t now,
                                         const char *who, enum hub_audit_action action,
                                         struct hub_content_errors *errs)
{
    errs->n = 0;
    if (!hub_db_begin_write(db))
        return HUB_CONTENT_FAILED;
    return finish(db, save_locked(db, kind, item, replace, now, who, action, errs));
}

json_t *hub_content_load(struct hub_db *db, enum feed_kind kind, const char *id,
                         const char *locations, bool *failed)
{
    static const char sql[] = "SELECT body FROM items WHERE kind = ?1 AND id = ?2";
    *failed = false;
    if (!id || !feed_id_valid(id))
        return NULL;
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    if (!st) {
        *failed = true;
        return NULL;
    }
    sqlite3_bind_int(st, 1, (int)kind);
    hub_db_bind_text(st, 2, id);
    int rc = hub_db_step(db, st);
    json_t *item = rc == SQLITE_ROW ? json_loads(hub_db_column_text(st, 0), 0, NULL) : NULL;
    sqlite3_reset(st);
    *failed = rc != SQLITE_ROW && rc != SQLITE_DONE;
    if (item && !hub_content_may_touch(kind, item, locations)) {
        json_decref(item);
        item = NULL;
    }
    return item;
}

enum hub_content_result hub_content_remove(struct hub_db *db, enum feed_kind kind,
                                           const char *id, const char *locations, int64_t now,
                                           const char *who, enum hub_audit_action action)
{
    if (!hub_db_begin_write(db))
        return HUB_CONTENT_FAILED;
    bool failed;
    json_t *item = hub_content_load(db, kind, id, locations, &failed);
    enum hub_content_result r = failed ? HUB_CONTENT_FAILED
                                : !item ? HUB_CONTENT_NOT_FOUND
                                        : HUB_CONTENT_SAVED;
    json_decref(item);
    if (r == HUB_CONTENT_SAVED &&
        (!hub_import_remove_item(db, kind, id) || !hub_audit_record(db, now, who, action, id) ||
         !hub_import_content_changed(db, now)))
        r = HUB_CONTENT_FAILED;
    return finish(db, r);
}

enum hub_content_result hub_content_cancel_date(struct hub_db *db, const char *id, int64_t at,
                                                const char *locations, int64_t now,
                                                const char *who)
{
    if (!hub_db_begin_write(db))
        return HUB_CONTENT_FAILED;
    bool failed;
    json_t *item = hub_content_load(db, FEED_ACTIVITY, id, locations, &failed);
    int64_t start;
    enum hub_content_result r = failed ? HUB_CONTENT_FAILED : HUB_CONTENT_NOT_FOUND;
    if (item && hub_content_occurrences(item, at, at + 1, &start, 1) == 1) {
        json_t *ex = json_object_get(item, "exdates");
        if (!json_is_array(ex)) {
            ex = json_array();
            json_object_set_new(item, "exdates", ex);
        }
        char text[RFC3339_LEN];
        rfc3339_format_local(at, text);
        json_array_append_new(ex, json_string(text));
        struct hub_content_errors errs = {0};
        r = save_locked(db, FEED_ACTIVITY, item, true, now, who, HUB_AUDIT_ACTIVITY_CANCEL_DATE,
                        &errs);
        if (r == HUB_CONTENT_REFUSED)
            r = HUB_CONTENT_FAILED;     /* a stored item with one more exdate stays valid */
    }
    json_decref(item);
    return finish(db, r);
}

bool hub_content_each(struct hub_db *db, enum feed_kind kind, const char *locations,
                      void (*fn)(void *ctx, const json_t *item), void *ctx)
{
    static const char sql[] = "SELECT body FROM items WHERE kind = ?1 ORDER BY seq";
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    if (!st)
        return false;
    sqlite3_bind_int(st, 1, (int)kind);
    int rc;
    while ((rc = hub_db_step(db, st)) == SQLITE_ROW) {
        json_t *item = json_loads(hub_db_column_text(st, 0), 0, NULL);
        if (item && hub_content_may_touch(kind, item, locations))
            fn(ctx, item);
        json_decref(item);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE;
}

size_t hub_content_occurrences(const json_t *activity, int64_t from, int64_t to, int64_t *out,
                               size_t max)
{
    int64_t start;
    if (!rfc3339_parse(json_string_value(json_object_get(activity, "starts_at")), &start))
        return 0;
    struct rrule rule;
    const char *text = json_string_value(json_object_get(activity, "rrule"));
    char why[96];
    if (text && !rrule_parse(text, &rule, why, sizeof why))
        return 0;
    json_t *ex = json_object_get(activity, "exdates");
    size_t n_ex = json_array_size(ex);
    int64_t *exdates = n_ex ? calloc(n_ex, sizeof *exdates) : NULL;
    if (n_ex && !exdates)
        return 0;
    for (size_t i = 0; i < n_ex; i++)
        if (!rfc3339_parse(json_string_value(json_array_get(ex, i)), &exdates[i]))
            exdates[i] = INT64_MIN;
    size_t n = rrule_expand(text ? &rule : NULL, start, exdates, n_ex, from, to, out, max);
    free(exdates);
    return n;
}

const char *hub_content_text(const json_t *item, const char *key, const char *lang)
{
    json_t *v = json_object_get(item, key);
    if (json_is_string(v))
        return json_string_value(v);
    const char *s = json_string_value(json_object_get(v, lang));
    if (!s)
        s = json_string_value(json_object_get(v, "nl"));
    if (!s && json_object_size(v)) {
        void *it = json_object_iter(v);
        s = json_string_value(json_object_iter_value(it));
    }
    return s;
}
