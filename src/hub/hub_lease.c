#include "hub/hub_lease.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "model/feed.h"
#include "model/rrule.h"

#define TAG "hub-lease"

/* ---- the arithmetic ------------------------------------------------------------ */

static int64_t max64(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

static int64_t min64(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

int64_t hub_lease_target(int64_t free_places, int64_t kiosks, int lease_max)
{
    if (lease_max <= 0 || kiosks <= 0 || free_places <= 0)
        return 0;
    return min64(lease_max, free_places / kiosks);
}

int64_t hub_lease_commitment(struct hub_lease_state s)
{
    return max64(0, max64(s.offered, s.held));
}

struct hub_lease_state hub_lease_offer(struct hub_lease_state old, int64_t target, int64_t room)
{
    struct hub_lease_state s = old;
    s.offered = max64(0, min64(target, room));
    /* The kiosk may still hold the larger offer of the feed it has: keep
     * counting it until its heartbeat names the new feed. */
    if (s.offered < old.offered)
        s.held = max64(old.held, old.offered);
    return s;
}

enum hub_lease_fit hub_lease_judge(struct hub_lease_state own, int64_t room, int64_t p,
                                   struct hub_lease_state *after)
{
    *after = own;
    if (p <= own.offered) {
        after->offered = own.offered - p;
        after->held = max64(0, own.held - p);
        return HUB_LEASE_WITHIN;
    }
    if (p <= own.held) {
        /* Whichever feed the kiosk holds, what it may still confirm after
         * this is at most the offer, or held - p: both must fit the room
         * left once p is confirmed. held - p always does. */
        after->held = own.held - p;
        after->offered = max64(0, min64(own.offered, room - p));
        return HUB_LEASE_WITHIN;
    }
    return p <= room - hub_lease_commitment(own) ? HUB_LEASE_FITS : HUB_LEASE_NO_ROOM;
}

struct hub_lease_state hub_lease_give_back(struct hub_lease_state s)
{
    s.held = s.offered;
    return s;
}

/* ---- the list -------------------------------------------------------------------- */

void hub_lease_list_clear(struct hub_lease_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->e[i].activity_id);
    free(l->e);
    memset(l, 0, sizeof *l);
}

size_t hub_lease_list_of(const struct hub_lease_list *l, const char *activity_id, size_t *first)
{
    /* Entries are few and grouped by activity: a scan is enough. */
    size_t i = 0;
    while (i < l->n && strcmp(l->e[i].activity_id, activity_id) != 0)
        i++;
    size_t end = i;
    while (end < l->n && strcmp(l->e[end].activity_id, activity_id) == 0)
        end++;
    *first = i;
    return end - i;
}

static bool list_add(struct hub_lease_list *l, const char *activity_id, int64_t occurrence,
                     int64_t lease)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        struct hub_lease_entry *more = realloc(l->e, cap * sizeof *more);
        if (!more)
            return false;
        l->e = more;
        l->cap = cap;
    }
    char *id = strdup(activity_id);
    if (!id)
        return false;
    l->e[l->n++] = (struct hub_lease_entry){.activity_id = id, .occurrence = occurrence,
                                            .lease = lease, .uniform = false};
    return true;
}

/* ---- the kiosks and where they serve ---------------------------------------------- */

struct kiosk_places {
    bool all;
    json_t *locations;              /* JSON array of ids, NULL with all */
};

struct kiosk_set {
    struct kiosk_places *k;
    size_t n;
    long self;                      /* index of the kiosk the feed is for, -1 = gone */
};

static void kiosk_set_clear(struct kiosk_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        json_decref(s->k[i].locations);
    free(s->k);
    memset(s, 0, sizeof *s);
}

static bool kiosk_set_load(struct hub_db *db, const char *self, struct kiosk_set *s)
{
    static const char sql[] = "SELECT id, locations FROM kiosks ORDER BY id";
    memset(s, 0, sizeof *s);
    s->self = -1;
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    if (!st)
        return false;
    size_t cap = 0;
    int rc;
    bool ok = true;
    while (ok && (rc = hub_db_step(db, st)) == SQLITE_ROW) {
        if (s->n == cap) {
            cap = cap ? cap * 2 : 16;
            struct kiosk_places *more = realloc(s->k, cap * sizeof *more);
            if (!more) {
                ok = false;
                break;
            }
            s->k = more;
        }
        struct kiosk_places *k = &s->k[s->n];
        k->all = sqlite3_column_type(st, 1) == SQLITE_NULL;
        k->locations = k->all ? NULL : json_loads(hub_db_column_text(st, 1), 0, NULL);
        if (strcmp(hub_db_column_text(st, 0), self) == 0)
            s->self = (long)s->n;
        s->n++;
    }
    sqlite3_reset(st);
    return ok && rc == SQLITE_DONE;
}

/* As the feed filters (hub_feed.c): an activity at no location is at every
 * kiosk. */
static bool serves(const struct kiosk_places *k, const char *location_id)
{
    if (k->all || !location_id)
        return true;
    size_t i;
    json_t *id;
    json_array_foreach(k->locations, i, id) {
        if (json_is_string(id) && strcmp(json_string_value(id), location_id) == 0)
            return true;
    }
    return false;
}

/* ---- one activity ------------------------------------------------------------------ */

static const char SQL_ACTIVITIES[] =
    "SELECT a.id, a.starts_at, a.rrule, a.exdates, a.capacity, a.taken, a.taken_by_occurrence,"
    " a.closes_before_min, i.location_id FROM activities a"
    " JOIN items i ON i.kind = ?1 AND i.id = a.id"
    " WHERE a.has_signup != 0 AND a.capacity >= 0 ORDER BY a.id";
static const char SQL_CONFIRMED[] =
    "SELECT COALESCE((SELECT places FROM confirmed_places"
    " WHERE activity_id = ?1 AND occurrence = ?2), 0)";
static const char SQL_ROWS[] =
    "SELECT kiosk_id, offered, held FROM leases WHERE activity_id = ?1 AND occurrence = ?2";
static const char SQL_UPSERT[] =
    "INSERT INTO leases(activity_id, occurrence, kiosk_id, offered, held, closes_at, changed_at)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(activity_id, occurrence, kiosk_id)"
    " DO UPDATE SET offered = excluded.offered, held = excluded.held,"
    " closes_at = excluded.closes_at, changed_at = excluded.changed_at";

/* What an activity row says about its occurrences. */
struct activity {
    const char *id;
    int64_t starts_at;
    struct rrule rule;
    bool has_rule;
    int64_t *exdates;
    size_t n_exdates;
    int64_t capacity;
    int64_t taken;
    json_t *taken_pairs;            /* [[instant, n], ...] or NULL */
    int64_t closes_before_s;
};

static int64_t imported_taken(const struct activity *a, int64_t occurrence)
{
    if (!a->taken_pairs)
        return a->taken;
    /* The object form: an occurrence it does not name has none taken. */
    size_t i;
    json_t *pair;
    json_array_foreach(a->taken_pairs, i, pair) {
        if (json_integer_value(json_array_get(pair, 0)) == occurrence)
            return json_integer_value(json_array_get(pair, 1));
    }
    return 0;
}

static int64_t one_int(struct hub_db *db, const char *sql, const char *activity_id,
                       int64_t occurrence, bool *ok)
{
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    int64_t v = 0;
    if (st) {
        hub_db_bind_text(st, 1, activity_id);
        sqlite3_bind_int64(st, 2, occurrence);
        if (hub_db_step(db, st) == SQLITE_ROW)
            v = sqlite3_column_int64(st, 0);
        else
            *ok = false;
        sqlite3_reset(st);
    } else {
        *ok = false;
    }
    return v;
}

/* The other kiosks' commitments and this kiosk's state for one occurrence. */
static bool rows_of(struct hub_db *db, const char *activity_id, int64_t occurrence,
                    const char *kiosk_id, int64_t *others, struct hub_lease_state *own,
                    bool *has_own)
{
    sqlite3_stmt *st = hub_db_prepare(db, SQL_ROWS);
    if (!st)
        return false;
    hub_db_bind_text(st, 1, activity_id);
    sqlite3_bind_int64(st, 2, occurrence);
    *others = 0;
    *own = (struct hub_lease_state){0, 0};
    *has_own = false;
    int rc;
    while ((rc = hub_db_step(db, st)) == SQLITE_ROW) {
        struct hub_lease_state s = {sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2)};
        if (kiosk_id && strcmp(hub_db_column_text(st, 0), kiosk_id) == 0) {
            *own = s;
            *has_own = true;
        } else {
            *others += hub_lease_commitment(s);
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE;
}

static bool upsert(struct hub_db *db, const char *activity_id, int64_t occurrence,
                   const char *kiosk_id, struct hub_lease_state s, int64_t closes_at, int64_t now)
{
    sqlite3_stmt *st = hub_db_prepare(db, SQL_UPSERT);
    if (!st)
        return false;
    hub_db_bind_text(st, 1, activity_id);
    sqlite3_bind_int64(st, 2, occurrence);
    hub_db_bind_text(st, 3, kiosk_id);
    sqlite3_bind_int64(st, 4, s.offered);
    sqlite3_bind_int64(st, 5, s.held);
    sqlite3_bind_int64(st, 6, closes_at);
    sqlite3_bind_int64(st, 7, now);
    return hub_db_step_done(db, st);
}

/* The kiosk's rows with an offer of an open occurrence, to find the ones
 * this refresh no longer offers (an activity removed, a location dropped). */
struct stale {
    char *activity_id;
    int64_t occurrence;
    struct hub_lease_state s;
    int64_t closes_at;
    bool seen;
};

struct stale_set {
    struct stale *e;
    size_t n;
};

static void stale_clear(struct stale_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->e[i].activity_id);
    free(s->e);
    memset(s, 0, sizeof *s);
}

static bool stale_load(struct hub_db *db, const char *kiosk_id, int64_t now, struct stale_set *s)
{
    static const char sql[] =
        "SELECT activity_id, occurrence, offered, held, closes_at FROM leases"
        " WHERE kiosk_id = ?1 AND offered > 0 AND closes_at > ?2";
    memset(s, 0, sizeof *s);
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    if (!st)
        return false;
    hub_db_bind_text(st, 1, kiosk_id);
    sqlite3_bind_int64(st, 2, now);
    size_t cap = 0;
    int rc;
    bool ok = true;
    while (ok && (rc = hub_db_step(db, st)) == SQLITE_ROW) {
        if (s->n == cap) {
            cap = cap ? cap * 2 : 16;
            struct stale *more = realloc(s->e, cap * sizeof *more);
            if (!more) {
                ok = false;
                break;
            }
            s->e = more;
        }
        struct stale *e = &s->e[s->n];
        e->activity_id = strdup(hub_db_column_text(st, 0));
        if (!e->activity_id) {
            ok = false;
            break;
        }
        e->occurrence = sqlite3_column_int64(st, 1);
        e->s = (struct hub_lease_state){sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3)};
        e->closes_at = sqlite3_column_int64(st, 4);
        e->seen = false;
        s->n++;
    }
    sqlite3_reset(st);
    return ok && rc == SQLITE_DONE;
}

static void stale_mark(struct stale_set *s, const char *activity_id, int64_t occurrence)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->e[i].occurrence == occurrence && strcmp(s->e[i].activity_id, activity_id) == 0)
            s->e[i].seen = true;
}

/* The parts of a refresh that stay the same for every activity. */
struct refresh {
    struct hub_db *db;
    const char *kiosk_id;
    int64_t now;
    int lease_max;
    int64_t window_end;
    const struct kiosk_set *kiosks;
    struct stale_set *stale;
    struct hub_lease_list *out;
    bool changed;
};

static bool refresh_activity(struct refresh *r, const struct activity *a, int64_t n_kiosks)
{
    int64_t *starts = calloc(HUB_LEASE_MAX_OCCURRENCES, sizeof *starts);
    if (!starts)
        return false;
    /* Open: now < start - closes_before, i.e. start > now + closes_before. */
    size_t n = rrule_expand(a->has_rule ? &a->rule : NULL, a->starts_at, a->exdates,
                            a->n_exdates, r->now + a->closes_before_s + 1, r->window_end,
                            starts, HUB_LEASE_MAX_OCCURRENCES);
    int64_t beyond = 0;
    /* An integer lease would apply to occurrences past the window too. */
    bool whole = n < HUB_LEASE_MAX_OCCURRENCES &&
                 rrule_expand(a->has_rule ? &a->rule : NULL, a->starts_at, a->exdates,
                              a->n_exdates, r->window_end, r->window_end + 3660 * (int64_t)86400, &beyond, 1) == 0;
    size_t first = r->out->n;
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++) {
        int64_t o = starts[i];
        int64_t closes_at = o - a->closes_before_s;
        if (closes_at < r->out->valid_until)
            r->out->valid_until = closes_at;
        int64_t confirmed = one_int(r->db, SQL_CONFIRMED, a->id, o, &ok);
        int64_t others = 0;
        struct hub_lease_state own;
        bool has_own = false;
        ok = ok && rows_of(r->db, a->id, o, r->kiosk_id, &others, &own, &has_own);
        if (!ok)
            break;
        int64_t free_places = a->capacity - imported_taken(a, o) - confirmed;
        int64_t target = hub_lease_target(free_places, n_kiosks, r->lease_max);
        struct hub_lease_state next = hub_lease_offer(own, target, free_places - others);
        if (next.offered != own.offered || next.held != own.held) {
            ok = upsert(r->db, a->id, o, r->kiosk_id, next, closes_at, r->now);
            r->changed = true;
        }
        stale_mark(r->stale, a->id, o);
        if (ok && next.offered > 0)
            ok = list_add(r->out, a->id, o, next.offered);
    }
    free(starts);
    /* One integer for the activity only when it says the same for every
     * occurrence a kiosk could sign up for. */
    bool uniform = ok && whole && n > 0 && r->out->n - first == n;
    for (size_t i = first + 1; uniform && i < r->out->n; i++)
        uniform = r->out->e[i].lease == r->out->e[first].lease;
    for (size_t i = first; ok && i < r->out->n; i++)
        r->out->e[i].uniform = uniform;
    return ok;
}

static bool activity_from_row(sqlite3_stmt *st, struct activity *a)
{
    memset(a, 0, sizeof *a);
    a->id = hub_db_column_text(st, 0);
    a->starts_at = sqlite3_column_int64(st, 1);
    const char *rule = hub_db_column_text(st, 2);
    char why[96];
    if (rule && !rrule_parse(rule, &a->rule, why, sizeof why)) {
        log_error(TAG, "activity %s: stored rrule no longer parses: %s", a->id, why);
        return false;
    }
    a->has_rule = rule != NULL;
    if (sqlite3_column_type(st, 3) != SQLITE_NULL) {
        json_t *ex = json_loads(hub_db_column_text(st, 3), 0, NULL);
        a->n_exdates = json_array_size(ex);
        a->exdates = calloc(a->n_exdates ? a->n_exdates : 1, sizeof *a->exdates);
        for (size_t i = 0; a->exdates && i < a->n_exdates; i++)
            a->exdates[i] = json_integer_value(json_array_get(ex, i));
        json_decref(ex);
        if (!a->exdates)
            return false;
    }
    a->capacity = sqlite3_column_int64(st, 4);
    a->taken = sqlite3_column_int64(st, 5);
    if (sqlite3_column_type(st, 6) != SQLITE_NULL)
        a->taken_pairs = json_loads(hub_db_column_text(st, 6), 0, NULL);
    a->closes_before_s = sqlite3_column_int64(st, 7) * 60;
    return true;
}

static void activity_clear(struct activity *a)
{
    free(a->exdates);
    json_decref(a->taken_pairs);
    memset(a, 0, sizeof *a);
}

bool hub_lease_refresh(struct hub_db *db, const char *kiosk_id, int64_t now, int lease_max,
                       struct hub_lease_list *out, bool *changed)
{
    memset(out, 0, sizeof *out);
    *changed = false;
    int64_t next_day = tz_start_of_day(now) + 86400;
    out->valid_until = next_day;
    struct kiosk_set kiosks;
    struct stale_set stale = {0};
    bool ok = kiosk_set_load(db, kiosk_id, &kiosks) && stale_load(db, kiosk_id, now, &stale);
    struct refresh r = {.db = db, .kiosk_id = kiosk_id, .now = now, .lease_max = lease_max,
                        .window_end = next_day - 86400 + (int64_t)HUB_LEASE_WINDOW_DAYS * 86400,
                        .kiosks = &kiosks, .stale = &stale, .out = out};
    sqlite3_stmt *st = ok && kiosks.self >= 0 ? hub_db_prepare(db, SQL_ACTIVITIES) : NULL;
    if (st) {
        sqlite3_bind_int(st, 1, FEED_ACTIVITY);
        int rc;
        while (ok && (rc = hub_db_step(db, st)) == SQLITE_ROW) {
            const char *location = hub_db_column_text(st, 8);
            if (!serves(&kiosks.k[kiosks.self], location))
                continue;
            int64_t n = 0;
            for (size_t i = 0; i < kiosks.n; i++)
                n += serves(&kiosks.k[i], location);
            struct activity a;
            ok = activity_from_row(st, &a) && refresh_activity(&r, &a, n);
            activity_clear(&a);
        }
        ok = ok && rc == SQLITE_DONE;
        sqlite3_reset(st);
    } else if (ok && kiosks.self >= 0) {
        ok = false;
    }
    /* Offers of open occurrences that this feed no longer carries: the
     * kiosk may still hold them. */
    for (size_t i = 0; ok && i < stale.n; i++) {
        if (stale.e[i].seen)
            continue;
        struct hub_lease_state next = hub_lease_offer(stale.e[i].s, 0, 0);
        ok = upsert(db, stale.e[i].activity_id, stale.e[i].occurrence, kiosk_id, next,
                    stale.e[i].closes_at, now);
        r.changed = true;
    }
    if (ok) {
        static const char sql[] = "SELECT COALESCE(MAX(changed_at), 0) FROM leases"
                                  " WHERE kiosk_id = ?1";
        sqlite3_stmt *m = hub_db_prepare(db, sql);
        ok = m != NULL;
        if (ok) {
            hub_db_bind_text(m, 1, kiosk_id);
            ok = hub_db_step(db, m) == SQLITE_ROW;
            if (ok)
                out->changed_at = sqlite3_column_int64(m, 0);
            sqlite3_reset(m);
        }
    }
    stale_clear(&stale);
    kiosk_set_clear(&kiosks);
    *changed = r.changed;
    if (!ok) {
        log_error(TAG, "could not work out the leases of %s", kiosk_id);
        hub_lease_list_clear(out);
    }
    return ok;
}

bool hub_lease_feed_served(struct hub_db *db, const char *kiosk_id, const char *etag)
{
    static const char sql[] = "INSERT OR REPLACE INTO lease_feeds(kiosk_id, etag) VALUES(?1, ?2)";
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    if (!st)
        return false;
    hub_db_bind_text(st, 1, kiosk_id);
    hub_db_bind_text(st, 2, etag);
    return hub_db_step_done(db, st);
}

bool hub_lease_load(struct hub_db *db, const char *activity_id, int64_t occurrence,
                    const char *kiosk_id, int64_t *all, struct hub_lease_state *own)
{
    int64_t others = 0;
    bool has_own = false;
    if (!rows_of(db, activity_id, occurrence, kiosk_id, &others, own, &has_own))
        return false;
    *all = others + hub_lease_commitment(*own);
    return true;
}

bool hub_lease_store(struct hub_db *db, const char *activity_id, int64_t occurrence,
                     const char *kiosk_id, struct hub_lease_state s, int64_t now)
{
    static const char sql[] =
        "UPDATE leases SET offered = ?4, held = ?5, changed_at = ?6"
        " WHERE activity_id = ?1 AND occurrence = ?2 AND kiosk_id = ?3";
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    if (!st)
        return false;
    hub_db_bind_text(st, 1, activity_id);
    sqlite3_bind_int64(st, 2, occurrence);
    hub_db_bind_text(st, 3, kiosk_id);
    sqlite3_bind_int64(st, 4, s.offered);
    sqlite3_bind_int64(st, 5, s.held);
    sqlite3_bind_int64(st, 6, now);
    return hub_db_step_done(db, st);
}

bool hub_lease_heartbeat(struct hub_db *db, const char *kiosk_id, const char *etag,
                         int64_t outbox_pending, int64_t now, bool *changed)
{
    static const char sql[] =
        "UPDATE leases SET held = offered, changed_at = ?3 WHERE kiosk_id = ?1 AND held > offered"
        " AND EXISTS(SELECT 1 FROM lease_feeds f WHERE f.kiosk_id = ?1 AND f.etag = ?2)";
    *changed = false;
    /* Sign-ups still in the kiosk's outbox may have been confirmed within
     * the older, larger lease: give nothing back until they are in. */
    if (!etag || outbox_pending > 0)
        return true;
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    if (!st)
        return false;
    hub_db_bind_text(st, 1, kiosk_id);
    hub_db_bind_text(st, 2, etag);
    sqlite3_bind_int64(st, 3, now);
    if (!hub_db_step_done(db, st))
        return false;
    *changed = sqlite3_changes(hub_db_handle(db)) > 0;
    return true;
}

int hub_lease_expire(struct hub_db *db, int64_t now)
{
    static const char sql[] =
        "DELETE FROM leases WHERE closes_at < ?1"
        " OR kiosk_id NOT IN (SELECT id FROM kiosks)";
    static const char feeds[] =
        "DELETE FROM lease_feeds WHERE kiosk_id NOT IN (SELECT id FROM kiosks)";
    if (!hub_db_begin_write(db))
        return -1;
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    bool ok = st != NULL;
    if (ok) {
        sqlite3_bind_int64(st, 1, now - HUB_LEASE_KEEP_AFTER_CLOSE_S);
        ok = hub_db_step_done(db, st);
    }
    int n = ok ? sqlite3_changes(hub_db_handle(db)) : 0;
    sqlite3_stmt *f = ok ? hub_db_prepare(db, feeds) : NULL;
    ok = f && hub_db_step_done(db, f);
    if (!ok || !hub_db_commit(db)) {
        hub_db_rollback(db);
        return -1;
    }
    return n;
}
