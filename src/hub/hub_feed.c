#include "hub/hub_feed.h"

#include <ctype.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "base/log.h"
#include "model/rrule.h"
#include "base/strset.h"
#include "base/timeutil.h"
#include "hub/hub_json.h"
#include "hub/hub_lease.h"
#include "hub/hub_signup.h"

#define TAG "hub-feed"

/* ---- the hub's own counts --------------------------------------------------- */

/* Places taken by the hub per activity and occurrence, sorted by activity:
 * confirmed party sizes plus the other kiosks' unused leases of open
 * occurrences (hub-api-v1.md: a kiosk's own lease is not in its taken). */
struct count {
    char *activity_id;
    int64_t occurrence;
    int64_t places;
    int64_t last_change;            /* the latest received_at among them */
};

struct counts {
    struct count *items;
    size_t n;
};

static void counts_clear(struct counts *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->items[i].activity_id);
    free(c->items);
    memset(c, 0, sizeof *c);
}

static bool counts_load(struct hub_db *db, const struct hub_feed_for *who, struct counts *c)
{
    static const char sql[] =
        "SELECT activity_id, occurrence, SUM(places), MAX(changed) FROM ("
        "  SELECT activity_id, occurrence, party_size AS places, received_at AS changed"
        "  FROM signups WHERE status = ?1"
        "  UNION ALL"
        "  SELECT activity_id, occurrence, MAX(offered, held), changed_at FROM leases"
        "  WHERE kiosk_id != ?2 AND closes_at > ?3 AND MAX(offered, held) > 0)"
        " GROUP BY activity_id, occurrence ORDER BY activity_id, occurrence";
    sqlite3_stmt *st = hub_db_prepare(db, sql);
    if (!st)
        return false;
    hub_db_bind_text(st, 1, hub_signup_status_name(HUB_SIGNUP_CONFIRMED));
    hub_db_bind_text(st, 2, who->kiosk_id ? who->kiosk_id : "");
    sqlite3_bind_int64(st, 3, who->now);
    size_t cap = 0;
    int rc;
    while ((rc = hub_db_step(db, st)) == SQLITE_ROW) {
        if (c->n == cap) {
            cap = cap ? cap * 2 : 64;
            struct count *more = realloc(c->items, cap * sizeof *more);
            if (!more)
                break;
            c->items = more;
        }
        struct count *e = &c->items[c->n];
        e->activity_id = strdup(hub_db_column_text(st, 0));
        if (!e->activity_id)
            break;
        e->occurrence = sqlite3_column_int64(st, 1);
        e->places = sqlite3_column_int64(st, 2);
        e->last_change = sqlite3_column_int64(st, 3);
        c->n++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        log_error(TAG, "counts: %s", rc == SQLITE_ROW ? "out of memory"
                                                      : sqlite3_errmsg(hub_db_handle(db)));
        return false;
    }
    return true;
}

/* The counts of one activity: [*first, *first + n). */
static size_t counts_of(const struct counts *c, const char *activity_id, size_t *first)
{
    /* SQLite sorted with BINARY collation, which is strcmp's order. */
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(c->items[mid].activity_id, activity_id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < c->n && strcmp(c->items[end].activity_id, activity_id) == 0)
        end++;
    *first = lo;
    return end - lo;
}

/* ---- filtering by the kiosk's locations ------------------------------------- */

struct filter {
    bool all;
    struct strset locations;
};

static bool filter_init(struct filter *f, const char *locations_json)
{
    strset_init(&f->locations);
    f->all = locations_json == NULL;
    if (f->all)
        return true;
    json_t *list = json_loads(locations_json, 0, NULL);
    bool ok = json_is_array(list);
    size_t i;
    json_t *id;
    json_array_foreach(list, i, id) {
        if (json_is_string(id))
            ok = ok && strset_add(&f->locations, json_string_value(id));
    }
    json_decref(list);
    return ok;
}

static bool filter_location(const struct filter *f, const char *location_id)
{
    return f->all || !location_id || strset_contains(&f->locations, location_id);
}

static bool filter_location_ids(const struct filter *f, const char *location_ids_json)
{
    if (f->all || !location_ids_json)
        return true;
    json_t *ids = json_loads(location_ids_json, 0, NULL);
    bool meets = false;
    size_t i;
    json_t *id;
    json_array_foreach(ids, i, id) {
        meets = meets || (json_is_string(id) && strset_contains(&f->locations, json_string_value(id)));
    }
    json_decref(ids);
    return meets;
}

/* ---- signup.taken ------------------------------------------------------------ */

struct taken_entry {
    int64_t occurrence;
    int64_t taken;
};

static int taken_cmp(const void *a, const void *b)
{
    int64_t x = ((const struct taken_entry *)a)->occurrence;
    int64_t y = ((const struct taken_entry *)b)->occurrence;
    return (x > y) - (x < y);
}

struct taken_map {
    struct taken_entry *e;
    size_t n, cap;
};

static bool map_add(struct taken_map *m, int64_t occurrence, int64_t taken, int64_t base)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->e[i].occurrence == occurrence) {
            m->e[i].taken += taken;
            return true;
        }
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 32;
        struct taken_entry *more = realloc(m->e, cap * sizeof *more);
        if (!more)
            return false;
        m->e = more;
        m->cap = cap;
    }
    m->e[m->n].occurrence = occurrence;
    m->e[m->n++].taken = base + taken;
    return true;
}

/* The activity's schedule and imported count, from the activities row. */
struct activity_row {
    int64_t starts_at;
    const char *rrule_text;
    const char *exdates_json;
    int64_t taken;
    const char *taken_by_occurrence;    /* JSON [[instant, n], ...] or NULL */
};

/* The integer form stays an integer until the hub has a sign-up for the
 * activity; then every occurrence is spelled out, because in the object
 * form an occurrence it does not name has none taken. */
static json_t *taken_json(const struct activity_row *a, const struct counts *c, size_t first,
                          size_t n_counts, int64_t generated_at)
{
    /* Occurrences that ended before the kiosk's oldest possible "today"
     * interest no kiosk: leaving them out keeps the body from growing. */
    int64_t oldest = generated_at - 2 * 86400;
    size_t shown = 0;
    for (size_t i = first; i < first + n_counts; i++)
        shown += c->items[i].occurrence >= oldest;
    json_t *pairs = a->taken_by_occurrence ? json_loads(a->taken_by_occurrence, 0, NULL) : NULL;
    if (shown == 0 && !pairs)
        return json_integer(a->taken);

    struct taken_map m = {0};
    bool ok = true;
    size_t i;
    json_t *pair;
    json_array_foreach(pairs, i, pair) {
        ok = ok && map_add(&m, json_integer_value(json_array_get(pair, 0)),
                           json_integer_value(json_array_get(pair, 1)), 0);
    }
    json_decref(pairs);
    int64_t base = a->taken_by_occurrence ? 0 : a->taken;
    if (ok && base > 0 && shown > 0) {
        struct rrule rule;
        char why[96];
        bool has_rule = a->rrule_text && rrule_parse(a->rrule_text, &rule, why, sizeof why);
        json_t *ex = a->exdates_json ? json_loads(a->exdates_json, 0, NULL) : NULL;
        size_t n_ex = json_array_size(ex);
        int64_t *exdates = calloc(n_ex ? n_ex : 1, sizeof *exdates);
        int64_t *starts = calloc(HUB_FEED_TAKEN_MAX, sizeof *starts);
        ok = exdates && starts;
        for (size_t k = 0; ok && k < n_ex; k++)
            exdates[k] = json_integer_value(json_array_get(ex, k));
        size_t n = 0;
        if (ok)
            n = rrule_expand(has_rule ? &rule : NULL, a->starts_at, exdates, n_ex,
                             tz_start_of_day(generated_at) - 86400,
                             generated_at + (int64_t)HUB_FEED_TAKEN_DAYS * 86400, starts,
                             HUB_FEED_TAKEN_MAX);
        for (size_t k = 0; ok && k < n; k++)
            ok = map_add(&m, starts[k], 0, base);
        free(exdates);
        free(starts);
        json_decref(ex);
    }
    for (size_t k = first; ok && k < first + n_counts; k++)
        if (c->items[k].occurrence >= oldest)
            ok = map_add(&m, c->items[k].occurrence, c->items[k].places, base);
    json_t *object = ok ? json_object() : NULL;
    if (object) {
        qsort(m.e, m.n, sizeof *m.e, taken_cmp);
        for (size_t k = 0; k < m.n; k++) {
            char key[RFC3339_LEN];
            rfc3339_format_local(m.e[k].occurrence, key);
            json_object_set_new(object, key, json_integer(m.e[k].taken));
        }
    }
    free(m.e);
    return object;
}

/* ---- the document ------------------------------------------------------------ */

static const char SQL_ITEMS[] =
    "SELECT i.kind, i.id, i.location_id, i.location_ids, i.body, a.has_signup, a.starts_at,"
    " a.rrule, a.exdates, a.taken, a.taken_by_occurrence"
    " FROM items i LEFT JOIN activities a ON i.kind = ?1 AND a.id = i.id"
    " ORDER BY i.kind, i.seq";
static const char SQL_ACTIVITY_LOCATION[] =
    "SELECT location_id FROM items WHERE kind = ?2 AND id = ?1";

static const char *const array_names[FEED_KIND_COUNT] = {"locations", "activities", "services",
                                                          "announcements"};

/* generated_at: the content's time, or the last change of a count that
 * this kiosk's feed shows, whichever is later. */
static bool feed_time(struct hub_db *db, const struct filter *f, const struct counts *c,
                      int64_t *t)
{
    sqlite3_stmt *st = hub_db_prepare(db, SQL_ACTIVITY_LOCATION);
    if (!st)
        return false;
    sqlite3_bind_int(st, 2, FEED_ACTIVITY);
    int rc = SQLITE_DONE;
    for (size_t i = 0; i < c->n && (rc == SQLITE_ROW || rc == SQLITE_DONE);) {
        size_t first;
        size_t n = counts_of(c, c->items[i].activity_id, &first);
        sqlite3_reset(st);
        hub_db_bind_text(st, 1, c->items[i].activity_id);
        rc = hub_db_step(db, st);
        if (rc == SQLITE_ROW && filter_location(f, hub_db_column_text(st, 0))) {
            for (size_t k = first; k < first + n; k++)
                if (c->items[k].last_change > *t)
                    *t = c->items[k].last_change;
        }
        i = first + n;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        /* A change missed here would keep an old generated_at and ETag. */
        log_error(TAG, "feed time: %s", hub_db_failure_text(db));
        return false;
    }
    return true;
}

/* signup.lease: one integer when it is the same for every occurrence a
 * kiosk could sign up for, else an object of occurrence start -> places,
 * where an occurrence not named has none (feed-v1.md). NULL = none. */
static json_t *lease_json(const struct hub_lease_list *l, const char *activity_id)
{
    size_t first;
    size_t n = hub_lease_list_of(l, activity_id, &first);
    if (n == 0)
        return NULL;
    if (l->e[first].uniform)
        return json_integer(l->e[first].lease);
    json_t *object = json_object();
    for (size_t i = first; object && i < first + n; i++) {
        char key[RFC3339_LEN];
        rfc3339_format_local(l->e[i].occurrence, key);
        json_object_set_new(object, key, json_integer(l->e[i].lease));
    }
    return object;
}

static bool add_items(struct hub_db *db, const struct filter *f, const struct counts *c,
                      const struct hub_lease_list *leases, int64_t generated_at,
                      json_t *arrays[FEED_KIND_COUNT])
{
    sqlite3_stmt *st = hub_db_prepare(db, SQL_ITEMS);
    if (!st)
        return false;
    sqlite3_bind_int(st, 1, FEED_ACTIVITY);
    bool ok = true;
    int rc;
    while (ok && (rc = hub_db_step(db, st)) == SQLITE_ROW) {
        int kind = sqlite3_column_int(st, 0);
        if (kind < 0 || kind >= FEED_KIND_COUNT)
            continue;
        const char *id = hub_db_column_text(st, 1);
        bool include;
        if (kind == FEED_LOCATION)
            include = f->all || strset_contains(&f->locations, id);
        else if (kind == FEED_ANNOUNCEMENT)
            include = filter_location_ids(f, hub_db_column_text(st, 3));
        else
            include = filter_location(f, hub_db_column_text(st, 2));
        if (!include)
            continue;
        json_error_t jerr;
        json_t *item = json_loads(hub_db_column_text(st, 4), 0, &jerr);
        if (!json_is_object(item)) {
            log_error(TAG, "stored %s %s is not JSON: %s", feed_kind_name(kind), id, jerr.text);
            json_decref(item);
            ok = false;
            break;
        }
        if (kind == FEED_ACTIVITY && sqlite3_column_int(st, 5)) {
            struct activity_row a = {
                .starts_at = sqlite3_column_int64(st, 6),
                .rrule_text = hub_db_column_text(st, 7),
                .exdates_json = hub_db_column_text(st, 8),
                .taken = sqlite3_column_int64(st, 9),
                .taken_by_occurrence = hub_db_column_text(st, 10),
            };
            size_t first;
            size_t n = counts_of(c, id, &first);
            json_t *taken = taken_json(&a, c, first, n, generated_at);
            json_t *signup = json_object_get(item, "signup");
            ok = taken && json_is_object(signup) && json_object_set_new(signup, "taken", taken) == 0;
            json_t *lease = ok ? lease_json(leases, id) : NULL;
            if (lease)
                ok = json_object_set_new(signup, "lease", lease) == 0;
        }
        ok = ok && json_array_append_new(arrays[kind], item) == 0;
    }
    sqlite3_reset(st);
    if (ok && rc != SQLITE_DONE) {
        log_error(TAG, "items: %s", sqlite3_errmsg(hub_db_handle(db)));
        ok = false;
    }
    return ok;
}

static bool gzip_body(struct hub_feed_body *b)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    /* windowBits 15 + 16: a gzip wrapper, whose header zlib writes with no
     * name and time 0, so that the same body always gives the same bytes. */
    if (deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        return false;
    uLong bound = deflateBound(&zs, (uLong)b->len);
    b->gz = malloc(bound);
    bool ok = b->gz != NULL;
    if (ok) {
        zs.next_in = (Bytef *)b->body;
        zs.avail_in = (uInt)b->len;
        zs.next_out = b->gz;
        zs.avail_out = (uInt)bound;
        ok = deflate(&zs, Z_FINISH) == Z_STREAM_END;
        b->gz_len = zs.total_out;
    }
    deflateEnd(&zs);
    return ok;
}

void hub_feed_body_clear(struct hub_feed_body *body)
{
    if (!body)
        return;
    free(body->body);
    free(body->gz);
    memset(body, 0, sizeof *body);
}

bool hub_feed_build(struct hub_db *db, const char *locations_json, struct hub_feed_body *out)
{
    struct hub_feed_for who = {.kiosk_id = NULL, .locations = locations_json, .now = 0};
    return hub_feed_build_for(db, &who, out);
}

bool hub_feed_build_for(struct hub_db *db, const struct hub_feed_for *who,
                        struct hub_feed_body *out)
{
    memset(out, 0, sizeof *out);
    out->valid_until = INT64_MAX;
    struct filter f;
    struct counts c = {0};
    struct hub_lease_list leases = {0};
    json_t *doc = NULL;
    json_t *arrays[FEED_KIND_COUNT] = {0};
    char *publisher = NULL, *languages = NULL;
    /* A kiosk's feed offers leases, which are written in the same
     * transaction as the feed is read: a write transaction, so that no
     * sign-up is judged against numbers this feed is about to change. */
    bool ok = filter_init(&f, who->locations) &&
              (who->kiosk_id ? hub_db_begin_write(db) : hub_db_begin_read(db));
    if (!ok) {
        strset_clear(&f.locations);
        return false;
    }
    bool leases_moved = false;
    if (who->kiosk_id) {
        ok = hub_lease_refresh(db, who->kiosk_id, who->now, who->lease_max, &leases,
                               &leases_moved) &&
             (!leases_moved || hub_db_bump_state(db));
        out->valid_until = leases.valid_until;
    }
    int64_t changed_at = 0;
    ok = ok && hub_db_meta_get_int(db, HUB_META_STATE_VERSION, &out->state_version) &&
         hub_db_meta_get_int(db, HUB_META_CONTENT_CHANGED_AT, &changed_at) &&
         counts_load(db, who, &c);
    publisher = hub_db_meta_get_text(db, HUB_META_PUBLISHER);
    languages = hub_db_meta_get_text(db, HUB_META_LANGUAGES);
    out->generated_at = changed_at > leases.changed_at ? changed_at : leases.changed_at;
    ok = ok && feed_time(db, &f, &c, &out->generated_at);

    char generated[RFC3339_LEN];
    rfc3339_format_local(out->generated_at, generated);
    doc = ok ? json_pack("{sssiss}", "format", "buurtkiosk-feed", "version", 1, "generated_at",
                         generated)
             : NULL;
    ok = doc != NULL;
    if (ok && publisher)
        json_object_set_new(doc, "publisher", json_loads(publisher, 0, NULL));
    if (ok && languages)
        json_object_set_new(doc, "languages", json_loads(languages, 0, NULL));
    for (int k = 0; ok && k < FEED_KIND_COUNT; k++) {
        arrays[k] = json_array();
        ok = arrays[k] && json_object_set(doc, array_names[k], arrays[k]) == 0;
    }
    ok = ok && add_items(db, &f, &c, &leases, out->generated_at, arrays);

    char *text = ok ? json_dumps(doc, HUB_JSON_FLAGS) : NULL;
    if (text) {
        out->body = text;
        out->len = strlen(text);
        unsigned char hash[16];
        crypto_generichash(hash, sizeof hash, (const unsigned char *)text, out->len, NULL, 0);
        out->etag[0] = '"';
        sodium_bin2hex(out->etag + 1, sizeof out->etag - 1, hash, sizeof hash);
        out->etag[HUB_ETAG_LEN - 1] = '"';
        out->etag[HUB_ETAG_LEN] = '\0';
    } else {
        ok = false;
    }
    /* The offers stand with the ETag the kiosk will name in its heartbeat. */
    if (who->kiosk_id)
        ok = ok && hub_lease_feed_served(db, who->kiosk_id, out->etag) && hub_db_commit(db);
    else
        hub_db_rollback(db); /* a read: nothing to keep */
    if (!ok)
        hub_db_rollback(db);
    /* Compressing takes longest: outside the transaction. */
    ok = ok && gzip_body(out);
    for (int k = 0; k < FEED_KIND_COUNT; k++)
        json_decref(arrays[k]);
    json_decref(doc);
    free(publisher);
    free(languages);
    counts_clear(&c);
    hub_lease_list_clear(&leases);
    strset_clear(&f.locations);
    if (!ok) {
        log_error(TAG, "could not build a feed");
        hub_feed_body_clear(out);
    }
    return ok;
}

/* ---- the cache ----------------------------------------------------------------- */

/* Entries are few (one per kiosk); past this many, something is odd
 * (kiosks added and removed in a loop) and the cache starts over. */
#define CACHE_MAX 1024

struct cache_entry {
    char kiosk_id[FEED_ID_MAX + 1];
    char *locations;                    /* as the kiosk row had them, NULL = all */
    struct hub_feed_body body;
};

struct hub_feed_cache {
    pthread_mutex_t lock;
    int lease_max;
    struct cache_entry *entries;
    size_t n;
};

struct hub_feed_cache *hub_feed_cache_create(int lease_max)
{
    struct hub_feed_cache *cache = calloc(1, sizeof *cache);
    if (cache) {
        pthread_mutex_init(&cache->lock, NULL);
        cache->lease_max = lease_max;
    }
    return cache;
}

static void cache_empty(struct hub_feed_cache *cache)
{
    for (size_t i = 0; i < cache->n; i++) {
        free(cache->entries[i].locations);
        hub_feed_body_clear(&cache->entries[i].body);
    }
    free(cache->entries);
    cache->entries = NULL;
    cache->n = 0;
}

void hub_feed_cache_destroy(struct hub_feed_cache *cache)
{
    if (!cache)
        return;
    cache_empty(cache);
    pthread_mutex_destroy(&cache->lock);
    free(cache);
}

static bool same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static struct cache_entry *cache_slot(struct hub_feed_cache *cache, const struct hub_kiosk *k)
{
    for (size_t i = 0; i < cache->n; i++)
        if (strcmp(cache->entries[i].kiosk_id, k->id) == 0)
            return &cache->entries[i];
    if (cache->n == CACHE_MAX)
        cache_empty(cache);
    struct cache_entry *more = realloc(cache->entries, (cache->n + 1) * sizeof *more);
    if (!more)
        return NULL;
    cache->entries = more;
    struct cache_entry *e = &cache->entries[cache->n++];
    memset(e, 0, sizeof *e);
    snprintf(e->kiosk_id, sizeof e->kiosk_id, "%s", k->id);
    return e;
}

bool hub_feed_cache_reply(struct hub_feed_cache *cache, struct hub_db *db,
                          const struct hub_kiosk *kiosk, int64_t now, bool want_gzip,
                          const char *if_none_match, struct hub_feed_reply *out)
{
    memset(out, 0, sizeof *out);
    int64_t version = -1;
    if (!hub_db_meta_get_int(db, HUB_META_STATE_VERSION, &version))
        return false;
    pthread_mutex_lock(&cache->lock);
    struct cache_entry *e = cache_slot(cache, kiosk);
    bool ok = e != NULL;
    /* Rebuilt when the database moved, and when a lease in it ends (sign-ups
     * for its occurrence close) or the window of leased days moves on. */
    if (ok && (!e->body.body || e->body.state_version != version ||
               now >= e->body.valid_until || !same_text(e->locations, kiosk->locations))) {
        struct hub_feed_body fresh;
        struct hub_feed_for who = {.kiosk_id = kiosk->id, .locations = kiosk->locations,
                                   .now = now, .lease_max = cache->lease_max};
        ok = hub_feed_build_for(db, &who, &fresh);
        if (ok) {
            char *locs = kiosk->locations ? strdup(kiosk->locations) : NULL;
            ok = !kiosk->locations || locs;
            if (ok) {
                hub_feed_body_clear(&e->body);
                free(e->locations);
                e->body = fresh;
                e->locations = locs;
            } else {
                hub_feed_body_clear(&fresh);
            }
        }
    }
    if (ok) {
        memcpy(out->etag, e->body.etag, sizeof out->etag);
        out->not_modified = hub_etag_matches(if_none_match, e->body.etag);
        if (!out->not_modified) {
            out->gzip = want_gzip;
            const void *src = want_gzip ? (const void *)e->body.gz : (const void *)e->body.body;
            out->len = want_gzip ? e->body.gz_len : e->body.len;
            out->data = malloc(out->len ? out->len : 1);
            ok = out->data != NULL;
            if (ok)
                memcpy(out->data, src, out->len);
        }
    }
    pthread_mutex_unlock(&cache->lock);
    return ok;
}

/* ---- headers ------------------------------------------------------------------- */

bool hub_etag_matches(const char *header, const char *etag)
{
    if (!header)
        return false;
    size_t etag_len = strlen(etag);
    const char *p = header;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (!*p)
            break;
        if (*p == '*')
            return true;
        if (strncmp(p, "W/", 2) == 0)
            p += 2;
        if (*p == '"') {
            const char *end = strchr(p + 1, '"');
            if (!end)
                return false;
            if ((size_t)(end - p + 1) == etag_len && memcmp(p, etag, etag_len) == 0)
                return true;
            p = end + 1;
        } else {
            p += strcspn(p, ",");
        }
    }
    return false;
}

bool hub_accepts_gzip(const char *header)
{
    if (!header)
        return false;
    double gzip_q = -1, any_q = -1;
    const char *p = header;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        size_t n = strcspn(p, ",; \t");
        bool gzip = (n == 4 && strncasecmp(p, "gzip", 4) == 0) ||
                    (n == 6 && strncasecmp(p, "x-gzip", 6) == 0);
        bool any = n == 1 && *p == '*';
        p += n;
        double q = 1.0;
        /* Parameters: only q matters. */
        while (*p && *p != ',') {
            while (*p == ' ' || *p == '\t' || *p == ';')
                p++;
            if ((p[0] == 'q' || p[0] == 'Q') && p[1] == '=')
                q = strtod(p + 2, NULL);
            p += strcspn(p, ";,");
        }
        if (gzip)
            gzip_q = q;
        else if (any)
            any_q = q;
    }
    return gzip_q > 0 || (gzip_q < 0 && any_q > 0);
}
