/*
 * Leases, cancelling and contact details of refusals (issue 12), on a real
 * SQLite file without HTTP: the lease arithmetic row by row; scripted
 * steps of feeds, sign-ups, heartbeats and the clock for two kiosks and 4
 * places, with the invariant (confirmed + commitments <= capacity -
 * imported taken) checked after every step; random runs where kiosks
 * confirm offline within the lease they see and every such promise must be
 * confirmed by the hub; the waiting list moving up after a cancel, with
 * the call flag; contact details of full and closed sign-ups kept, then
 * erased to the last byte after the retention period; lease_max in the
 * config, with must-fail rows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "base/timeutil.h"
#include "hub/hub_config.h"
#include "hub/hub_db.h"
#include "hub/hub_feed.h"
#include "hub/hub_import.h"
#include "hub/hub_lease.h"
#include "hub/hub_signup.h"

static int64_t t(const char *text)
{
    int64_t v = 0;
    assert_true(rfc3339_parse(text, &v));
    return v;
}

/* ---- the arithmetic, row by row ------------------------------------------------------ */

static void test_target(void **state)
{
    (void)state;
    static const struct {
        int64_t free_places, kiosks;
        int lease_max;
        int64_t want;
    } rows[] = {
        {4, 2, 2, 2},   {3, 2, 2, 1},   {2, 2, 2, 1},   /* at least 1 while free >= kiosks */
        {1, 2, 2, 0},   {0, 2, 2, 0},   {-3, 2, 2, 0},  /* over-full: nothing */
        {100, 1, 2, 2}, {100, 3, 5, 5}, {7, 3, 5, 2},
        {10, 2, 0, 0},                                  /* lease_max 0: leases off */
        {10, 0, 2, 0},                                  /* no kiosk serves it */
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        int64_t got = hub_lease_target(rows[i].free_places, rows[i].kiosks, rows[i].lease_max);
        if (got != rows[i].want)
            fail_msg("row %zu: target(%lld, %lld, %d) = %lld, want %lld", i,
                     (long long)rows[i].free_places, (long long)rows[i].kiosks,
                     rows[i].lease_max, (long long)got, (long long)rows[i].want);
    }
}

static void test_offer_spend_give_back(void **state)
{
    (void)state;
    static const struct {
        const char *what;
        struct hub_lease_state old;
        int64_t target, room;
        struct hub_lease_state want;
    } offers[] = {
        {"first offer", {0, 0}, 2, 4, {2, 0}},
        {"room limits it", {0, 0}, 2, 1, {1, 0}},
        {"no room", {0, 0}, 2, 0, {0, 0}},
        {"negative room", {0, 0}, 2, -2, {0, 0}},
        {"grows", {1, 0}, 2, 5, {2, 0}},
        {"shrinks: held keeps the old offer", {2, 0}, 1, 5, {1, 2}},
        {"shrinks again: held keeps the larger", {1, 2}, 0, 5, {0, 2}},
        {"shrinks below an older held", {2, 3}, 1, 5, {1, 3}},
        {"grows back, held stays until a heartbeat", {1, 2}, 2, 5, {2, 2}},
        {"same", {2, 0}, 2, 2, {2, 0}},
    };
    for (size_t i = 0; i < sizeof offers / sizeof *offers; i++) {
        struct hub_lease_state got = hub_lease_offer(offers[i].old, offers[i].target, offers[i].room);
        if (got.offered != offers[i].want.offered || got.held != offers[i].want.held)
            fail_msg("offer row %zu (%s): got {%lld, %lld}", i, offers[i].what,
                     (long long)got.offered, (long long)got.held);
    }
    static const struct {
        const char *what;
        struct hub_lease_state old;
        int64_t room, p;
        enum hub_lease_fit fit;
        struct hub_lease_state want;
    } judged[] = {
        {"within the offer", {2, 0}, 4, 1, HUB_LEASE_WITHIN, {1, 0}},
        {"all of the offer", {2, 0}, 2, 2, HUB_LEASE_WITHIN, {0, 0}},
        {"within the offer, held too", {1, 2}, 4, 1, HUB_LEASE_WITHIN, {0, 1}},
        {"within an older offer only, room for both", {1, 2}, 4, 2, HUB_LEASE_WITHIN, {1, 0}},
        {"within an older offer only, no room to keep the new one", {1, 2}, 2, 2,
         HUB_LEASE_WITHIN, {0, 0}},
        {"beyond, places nobody holds", {1, 0}, 4, 3, HUB_LEASE_FITS, {1, 0}},
        {"beyond, only its own lease left", {2, 0}, 3, 3, HUB_LEASE_NO_ROOM, {2, 0}},
        {"no lease, room", {0, 0}, 1, 1, HUB_LEASE_FITS, {0, 0}},
        {"no lease, no room", {0, 0}, 0, 1, HUB_LEASE_NO_ROOM, {0, 0}},
        {"over-full (an import lowered capacity)", {0, 0}, -2, 1, HUB_LEASE_NO_ROOM, {0, 0}},
    };
    for (size_t i = 0; i < sizeof judged / sizeof *judged; i++) {
        struct hub_lease_state got;
        enum hub_lease_fit fit = hub_lease_judge(judged[i].old, judged[i].room, judged[i].p, &got);
        if (fit != judged[i].fit || got.offered != judged[i].want.offered ||
            got.held != judged[i].want.held)
            fail_msg("judge row %zu (%s): fit %d {%lld, %lld}", i, judged[i].what, fit,
                     (long long)got.offered, (long long)got.held);
        /* The invariant for this kiosk: what is confirmed now plus what it
         * may still confirm fits the room it had. */
        if (fit != HUB_LEASE_NO_ROOM && judged[i].room >= hub_lease_commitment(judged[i].old) &&
            judged[i].p + hub_lease_commitment(got) > judged[i].room)
            fail_msg("judge row %zu (%s): breaks the invariant", i, judged[i].what);
    }
    struct hub_lease_state back = hub_lease_give_back((struct hub_lease_state){1, 2});
    assert_int_equal(back.offered, 1);
    assert_int_equal(back.held, 1);
    assert_int_equal(hub_lease_commitment((struct hub_lease_state){0, 0}), 0);
    assert_int_equal(hub_lease_commitment((struct hub_lease_state){1, 3}), 3);
}

/* lease_max in the hub's config: 0..20, anything else refused. */
static void test_config_lease_max(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        bool ok;
        int want;
    } rows[] = {
        {"", true, HUB_LEASE_DEFAULT_MAX},
        {"lease_max = 0\n", true, 0},
        {"[hub]\nlease_max = 5\n", true, 5},
        {"lease_max = 20\n", true, 20},
        {"lease_max = 21\n", false, 0},
        {"lease_max = -1\n", false, 0},
        {"lease_max = two\n", false, 0},
        {"lease_max = 2x\n", false, 0},
        {"lease_max =\n", false, 0},
    };
    char path[] = "/tmp/hub-lease-config.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(rows[i].text, f);
        fclose(f);
        struct hub_config cfg;
        hub_config_defaults(&cfg);
        char err[400];
        bool ok = hub_config_load(&cfg, path, err, sizeof err);
        if (ok != rows[i].ok || (ok && cfg.lease_max != rows[i].want))
            fail_msg("config row %zu (%s): ok=%d lease_max=%d", i, rows[i].text, ok,
                     cfg.lease_max);
        if (!ok)
            assert_non_null(strstr(err, "lease_max"));
    }
    unlink(path);
}

/* ---- a hub with two kiosks ----------------------------------------------------------- */

#define NOW "2026-12-01T09:00:00+01:00"
#define KERST "2026-12-23T17:30:00+01:00"      /* capacity 4, closes 60 min before */
#define WACHT "2026-12-10T10:00:00+01:00"      /* capacity 2, waiting list */

static const char FEED[] =
    "{\"format\": \"buurtkiosk-feed\", \"version\": 1, \"generated_at\": \"2026-11-25T08:00:00+01:00\", \"publisher\": {\"name\": \"Test\"},"
    " \"languages\": [\"nl\"],"
    " \"locations\": [{\"id\": \"loc-a\", \"name\": \"A\"}, {\"id\": \"loc-b\", \"name\": \"B\"}],"
    " \"activities\": ["
    "  {\"id\": \"act-kerst\", \"title\": \"Kerstdiner\", \"location_id\": \"loc-a\","
    "   \"starts_at\": \"" KERST "\", \"signup\": {\"capacity\": 4, \"waitlist\": true,"
    "   \"closes_before_min\": 60, \"fields\": [\"name\", \"phone\", \"party_size\"]}},"
    "  {\"id\": \"act-wacht\", \"title\": \"Workshop\", \"location_id\": \"loc-a\","
    "   \"starts_at\": \"" WACHT "\", \"signup\": {\"capacity\": 2, \"waitlist\": true,"
    "   \"fields\": [\"name\", \"phone\", \"party_size\"]}},"
    "  {\"id\": \"act-week\", \"title\": \"Breien\", \"location_id\": \"loc-b\","
    "   \"starts_at\": \"2026-12-02T10:00:00+01:00\", \"rrule\": \"FREQ=WEEKLY;COUNT=4\","
    "   \"signup\": {\"capacity\": 3, \"taken\": 1, \"fields\": [\"name\"]}},"
    "  {\"id\": \"act-vrij\", \"title\": \"Inloop\", \"location_id\": \"loc-a\","
    "   \"starts_at\": \"2026-12-03T10:00:00+01:00\", \"signup\": {\"fields\": [\"name\"]}}]}";

struct fixture {
    char dir[64];
    char path[128];
    struct hub_db *db;
    int64_t now;
    int serial;                     /* for signup ids */
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/hub-lease.XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    snprintf(fx->path, sizeof fx->path, "%s/hub.db", fx->dir);
    char feed[160];
    snprintf(feed, sizeof feed, "%s/feed.json", fx->dir);
    FILE *f = fopen(feed, "w");
    assert_non_null(f);
    fputs(FEED, f);
    fclose(f);
    char err[256];
    fx->db = hub_db_open(fx->path, HUB_DB_CREATE, err, sizeof err);
    assert_non_null(fx->db);
    fx->now = t(NOW);
    FILE *devnull = fopen("/dev/null", "w");
    assert_int_equal(hub_import_file(fx->db, feed, fx->now, false, devnull, devnull), HUB_IMPORT_OK);
    fclose(devnull);
    char token[HUB_TOKEN_LEN + 1];
    assert_int_equal(hub_db_kiosk_add(fx->db, "ka", NULL, fx->now, token), HUB_KIOSK_OK);
    assert_int_equal(hub_db_kiosk_add(fx->db, "kb", "loc-a", fx->now, token), HUB_KIOSK_OK);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    hub_db_close(fx->db);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", fx->dir);
    assert_int_equal(system(cmd), 0);
    free(fx);
    return 0;
}

/* A number in a feed's signup object: an integer for every occurrence,
 * or an object keyed by start (any offset), absent = 0. */
static int64_t signup_number(const struct hub_feed_body *b, const char *activity,
                             const char *field, int64_t occurrence)
{
    json_t *doc = json_loadb(b->body, b->len, 0, NULL);
    assert_non_null(doc);
    int64_t v = 0;
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(doc, "activities"), i, a) {
        if (strcmp(json_string_value(json_object_get(a, "id")), activity) != 0)
            continue;
        json_t *x = json_object_get(json_object_get(a, "signup"), field);
        if (json_is_integer(x))
            v = json_integer_value(x);
        const char *key;
        json_t *n;
        json_object_foreach(x, key, n) {
            if (t(key) == occurrence)
                v = json_integer_value(n);
        }
    }
    json_decref(doc);
    return v;
}

/* What a kiosk last got: its feed's ETag, the one before, and its lease
 * and taken for act-kerst. */
struct seen {
    char etag[HUB_ETAG_LEN + 1];
    char previous[HUB_ETAG_LEN + 1];
    int64_t lease, taken;
};

static void pull(struct fixture *fx, const char *kiosk, struct seen *s)
{
    struct hub_feed_for who = {.kiosk_id = kiosk, .locations = NULL, .now = fx->now,
                               .lease_max = HUB_LEASE_DEFAULT_MAX};
    struct hub_feed_body b;
    assert_true(hub_feed_build_for(fx->db, &who, &b));
    memcpy(s->previous, s->etag, sizeof s->etag);
    memcpy(s->etag, b.etag, sizeof s->etag);
    s->lease = signup_number(&b, "act-kerst", "lease", t(KERST));
    s->taken = signup_number(&b, "act-kerst", "taken", t(KERST));
    hub_feed_body_clear(&b);
}

static void heartbeat(struct fixture *fx, const char *kiosk, const char *etag, int64_t pending)
{
    bool changed = false;
    assert_true(hub_db_begin_write(fx->db));
    assert_true(hub_lease_heartbeat(fx->db, kiosk, etag, pending, fx->now, &changed));
    assert_true(!changed || hub_db_bump_state(fx->db));
    assert_true(hub_db_commit(fx->db));
}

/* Submits a sign-up; returns the answer. created: seconds before now. */
static struct hub_signup_answer signup_as(struct fixture *fx, const char *id, const char *kiosk,
                                          const char *activity, const char *occurrence,
                                          int party, bool waitlist_ok, const char *name,
                                          int64_t created)
{
    char created_text[RFC3339_LEN];
    rfc3339_format_local(created, created_text);
    char text[1024];
    snprintf(text, sizeof text,
             "{\"signup_id\":\"%s\",\"kiosk_id\":\"%s\",\"activity_id\":\"%s\","
             "\"occurrence\":\"%s\",\"name\":\"%s\",\"phone\":\"0612345678\","
             "\"email\":null,\"party_size\":%d,\"remark\":null,\"waitlist_ok\":%s,"
             "\"language\":\"nl\",\"created_at\":\"%s\"}",
             id, kiosk, activity, occurrence, name, party, waitlist_ok ? "true" : "false",
             created_text);
    struct hub_signup_request req;
    char err[160];
    assert_true(hub_signup_parse(text, strlen(text), &req, err, sizeof err));
    struct hub_signup_answer answer;
    assert_true(hub_signup_submit(fx->db, &req, fx->now, &answer));
    hub_signup_request_clear(&req);
    return answer;
}

static void next_id(struct fixture *fx, char out[37])
{
    snprintf(out, 37, "%08x-0000-4000-8000-000000000000", (unsigned)++fx->serial);
}

static struct hub_signup_answer signup(struct fixture *fx, const char *kiosk, int party,
                                       bool waitlist_ok, int64_t created)
{
    char id[37];
    next_id(fx, id);
    return signup_as(fx, id, kiosk, "act-kerst", KERST, party, waitlist_ok, "Jan Jansen",
                     created);
}

static int64_t query_int(struct fixture *fx, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(hub_db_handle(fx->db), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* confirmed places + every kiosk's commitment <= capacity (4, none
 * imported), and the kept count agrees with the rows. */
static void check_invariant(struct fixture *fx, const char *where)
{
    int64_t confirmed = query_int(fx, "SELECT COALESCE(SUM(party_size), 0) FROM signups"
                                      " WHERE activity_id = 'act-kerst' AND status = 'confirmed'");
    int64_t counted = query_int(fx, "SELECT COALESCE(SUM(places), 0) FROM confirmed_places"
                                    " WHERE activity_id = 'act-kerst'");
    int64_t committed = query_int(fx, "SELECT COALESCE(SUM(MAX(offered, held)), 0) FROM leases"
                                      " WHERE activity_id = 'act-kerst'");
    if (confirmed != counted || confirmed + committed > 4)
        fail_msg("%s: confirmed %lld (counted %lld) + committed %lld > 4", where,
                 (long long)confirmed, (long long)counted, (long long)committed);
}

/* ---- scripted steps ------------------------------------------------------------------ */

enum op { PULL, SIGNUP, HEARTBEAT_LATEST, HEARTBEAT_PREVIOUS, CLOCK, END };

struct step {
    enum op op;
    int kiosk;                      /* 0 = ka, 1 = kb */
    int64_t a;                      /* PULL: lease; SIGNUP: party; HEARTBEAT: outbox_pending; CLOCK: seconds from NOW */
    int64_t b;                      /* PULL: taken (-1 = not checked); SIGNUP: seconds the sign-up was made before now */
    const char *want;               /* SIGNUP: "201 {...}" */
};

static const char *const KIOSKS[] = {"ka", "kb"};

#define CONFIRMED "201 {\"status\":\"confirmed\"}"
#define FULL "409 {\"status\":\"full\"}"
#define CLOSES_S (22 * 86400 + 8 * 3600 + 30 * 60 - 3600) /* KERST - 60 min, from NOW */

static void run_steps(struct fixture *fx, const char *name, const struct step *steps)
{
    struct seen seen[2] = {0};
    for (int i = 0; steps[i].op != END; i++) {
        const struct step *s = &steps[i];
        const char *k = KIOSKS[s->kiosk];
        char where[120];
        snprintf(where, sizeof where, "%s, step %d", name, i + 1);
        switch (s->op) {
        case PULL:
            pull(fx, k, &seen[s->kiosk]);
            if (seen[s->kiosk].lease != s->a || (s->b >= 0 && seen[s->kiosk].taken != s->b))
                fail_msg("%s: %s got lease %lld taken %lld, want %lld and %lld", where, k,
                         (long long)seen[s->kiosk].lease, (long long)seen[s->kiosk].taken,
                         (long long)s->a, (long long)s->b);
            break;
        case SIGNUP: {
            struct hub_signup_answer a = signup(fx, k, (int)s->a, true, fx->now - s->b);
            char got[200];
            snprintf(got, sizeof got, "%u %s", a.status, a.body);
            if (strcmp(got, s->want) != 0)
                fail_msg("%s: %s party %lld: %s, want %s", where, k, (long long)s->a, got,
                         s->want);
            break;
        }
        case HEARTBEAT_LATEST:
            heartbeat(fx, k, seen[s->kiosk].etag, s->a);
            break;
        case HEARTBEAT_PREVIOUS:
            heartbeat(fx, k, seen[s->kiosk].previous, s->a);
            break;
        case CLOCK:
            fx->now = t(NOW) + s->a;
            break;
        case END:
            break;
        }
        check_invariant(fx, where);
    }
}

/* Within the lease, beyond it with and without room, the waiting list. */
static void test_steps_lease_and_beyond(void **state)
{
    static const struct step steps[] = {
        {PULL, 0, 2, 0, NULL},              /* min(2, 4 free / 2 kiosks) */
        {PULL, 1, 2, 2, NULL},              /* kb's taken counts ka's lease */
        {SIGNUP, 0, 1, 60, CONFIRMED},      /* within ka's lease */
        {PULL, 0, 1, 3, NULL},              /* free 3: target 1; kb holds 2 */
        {SIGNUP, 1, 2, 60, CONFIRMED},      /* within kb's lease */
        {PULL, 1, 0, 4, NULL},              /* free 1 < 2 kiosks: no lease */
        {SIGNUP, 1, 1, 60, "201 {\"status\":\"waitlisted\",\"position\":1}"}, /* beyond, no room */
        {SIGNUP, 0, 1, 60, CONFIRMED},      /* within ka's last place */
        {PULL, 0, 0, 4, NULL},
        {END, 0, 0, 0, NULL},
    };
    run_steps(*state, "lease and beyond", steps);
    /* Beyond the lease with room: kb has no lease yet, 4 free, ka holds 2. */
    struct fixture *fx = *state;
    (void)fx;
}

static void test_steps_beyond_with_room(void **state)
{
    static const struct step steps[] = {
        {PULL, 0, 2, 0, NULL},
        {SIGNUP, 1, 2, 60, CONFIRMED},      /* kb has no lease: 4 - 2 (ka's) = 2 fit */
        {SIGNUP, 1, 1, 60, "201 {\"status\":\"waitlisted\",\"position\":1}"},
        {SIGNUP, 0, 2, 60, CONFIRMED},      /* ka's lease was kept for it */
        {PULL, 1, 0, 4, NULL},
        {END, 0, 0, 0, NULL},
    };
    run_steps(*state, "beyond with room", steps);
}

/* A lease that shrinks: held keeps the old offer until the heartbeat
 * names the new feed with nothing left to send. */
static void test_steps_shrink_and_give_back(void **state)
{
    static const struct step steps[] = {
        {PULL, 0, 2, 0, NULL},
        {PULL, 1, 2, 2, NULL},
        {SIGNUP, 0, 2, 60, CONFIRMED},
        {PULL, 1, 1, 2, NULL},              /* 2 free / 2 kiosks: 1 */
        {PULL, 0, 0, 4, NULL},              /* kb may still hold 2 */
        {HEARTBEAT_PREVIOUS, 1, 0, 0, NULL},
        {PULL, 0, 0, 4, NULL},              /* an older ETag gives nothing back */
        {HEARTBEAT_LATEST, 1, 1, 0, NULL},
        {PULL, 0, 0, 4, NULL},              /* a sign-up still unsent: nothing either */
        {HEARTBEAT_LATEST, 1, 0, 0, NULL},
        {PULL, 0, 1, 3, NULL},              /* given back: ka gets the place */
        {SIGNUP, 1, 1, 60, CONFIRMED},
        {SIGNUP, 0, 1, 60, CONFIRMED},
        {SIGNUP, 1, 1, 60, "201 {\"status\":\"waitlisted\",\"position\":1}"},
        {END, 0, 0, 0, NULL},
    };
    run_steps(*state, "shrink and give back", steps);
}

/* kb confirmed 2 offline with the feed that gave it 2, after the hub had
 * shrunk its lease to 1 but before any heartbeat: still confirmed. */
static void test_steps_held_covers_old_feed(void **state)
{
    static const struct step steps[] = {
        {PULL, 0, 2, 0, NULL},
        {PULL, 1, 2, 2, NULL},
        {SIGNUP, 0, 2, 60, CONFIRMED},
        {PULL, 1, 1, 2, NULL},
        {SIGNUP, 1, 2, 600, CONFIRMED},     /* made with the old feed */
        {SIGNUP, 0, 1, 60, "201 {\"status\":\"waitlisted\",\"position\":1}"},
        {PULL, 0, 0, 4, NULL},
        {PULL, 1, 0, 4, NULL},
        {END, 0, 0, 0, NULL},
    };
    run_steps(*state, "held covers the old feed", steps);
}

/* A lease ends when sign-ups close: not served, but a sign-up made within
 * it before closing and received after is still confirmed, and the rows
 * go a day later. */
static void test_steps_lease_ends_at_close(void **state)
{
    struct fixture *fx = *state;
    static const struct step steps[] = {
        {PULL, 0, 2, 0, NULL},
        {PULL, 1, 2, 2, NULL},
        {CLOCK, 0, CLOSES_S + 600, 0, NULL},
        {PULL, 0, 0, 0, NULL},              /* ended: no lease, kb's not counted */
        {SIGNUP, 1, 1, 300, "409 {\"status\":\"closed\"}"}, /* made after closing */
        {SIGNUP, 0, 2, 1200, CONFIRMED},    /* made within ka's lease before closing */
        {SIGNUP, 1, 3, 1200, "201 {\"status\":\"waitlisted\",\"position\":1}"}, /* kb's 2 kept */
        {SIGNUP, 1, 2, 1200, CONFIRMED},    /* within kb's lease */
        {END, 0, 0, 0, NULL},
    };
    run_steps(fx, "lease ends at close", steps);
    /* (Other activities' leases closed long ago and go at once.) */
    assert_true(hub_lease_expire(fx->db, fx->now) >= 0);
    assert_int_equal(query_int(fx, "SELECT COUNT(*) FROM leases WHERE activity_id = 'act-kerst'"),
                     2);
    assert_true(hub_lease_expire(fx->db, fx->now + HUB_LEASE_KEEP_AFTER_CLOSE_S) > 0);
    assert_int_equal(query_int(fx, "SELECT COUNT(*) FROM leases WHERE activity_id = 'act-kerst'"),
                     0);
}

/* Two kiosks, 4 places, in other orders. */
static void test_steps_two_kiosks_orders(void **state)
{
    static const struct step a_first[] = {
        {PULL, 0, 2, 0, NULL}, {PULL, 1, 2, 2, NULL},
        {SIGNUP, 0, 2, 60, CONFIRMED}, {SIGNUP, 1, 2, 60, CONFIRMED},
        {SIGNUP, 0, 1, 60, "201 {\"status\":\"waitlisted\",\"position\":1}"},
        {SIGNUP, 1, 1, 60, "201 {\"status\":\"waitlisted\",\"position\":2}"},
        {END, 0, 0, 0, NULL},
    };
    run_steps(*state, "A first", a_first);
}

static void test_steps_two_kiosks_b_first(void **state)
{
    static const struct step b_first[] = {
        {PULL, 1, 2, 0, NULL},
        {SIGNUP, 0, 1, 60, CONFIRMED},      /* ka never pulled: 4 - 2 held by kb */
        {PULL, 0, 1, 3, NULL},              /* free 3: 1 each; kb keeps 2 */
        {SIGNUP, 1, 2, 60, CONFIRMED},
        {SIGNUP, 0, 1, 60, CONFIRMED},
        {SIGNUP, 0, 1, 60, "201 {\"status\":\"waitlisted\",\"position\":1}"},
        {PULL, 1, 0, 4, NULL},
        {END, 0, 0, 0, NULL},
    };
    run_steps(*state, "B first", b_first);
}

/* ---- random runs: every promise made offline is kept ---------------------------------- */

struct sim_kiosk {
    struct seen seen;
    int64_t unsent[16];             /* party sizes confirmed within the lease, not yet sent */
    size_t n_unsent;
    int64_t promised_unacked;       /* within-lease sign-ups not acknowledged before the pull */
};

static void test_random_offline_promises(void **state)
{
    struct fixture *fx = *state;
    unsigned seed = 12;
    for (int run = 0; run < 40; run++) {
        /* Each run on a fresh occurrence: the weekly one has 4 dates,
         * so use act-kerst and start over by cancelling everything. */
        assert_true(hub_db_exec(fx->db, "DELETE FROM signups; DELETE FROM confirmed_places;"
                                        " DELETE FROM leases; DELETE FROM lease_feeds;"));
        struct sim_kiosk k[2];
        memset(k, 0, sizeof k);
        int promised = 0;
        for (int step = 0; step < 60; step++) {
            int who = rand_r(&seed) % 2;
            struct sim_kiosk *s = &k[who];
            int action = rand_r(&seed) % 5;
            char where[80];
            snprintf(where, sizeof where, "random run %d step %d", run, step);
            if (action == 0) {
                /* A pull: the new lease counts the sign-ups the hub has;
                 * those still unsent are subtracted by the kiosk. */
                pull(fx, KIOSKS[who], &s->seen);
                s->promised_unacked = 0;
                for (size_t i = 0; i < s->n_unsent; i++)
                    s->promised_unacked += s->unsent[i];
            } else if (action == 1) {
                /* Offline: a resident confirmed within what the kiosk sees. */
                int64_t p = 1 + rand_r(&seed) % 2;
                if (s->seen.lease - s->promised_unacked >= p && s->n_unsent < 16) {
                    s->unsent[s->n_unsent++] = p;
                    s->promised_unacked += p;
                    promised++;
                }
            } else if (action == 2 && s->n_unsent > 0) {
                /* Back online: the oldest is sent, and must be confirmed. */
                struct hub_signup_answer a = signup(fx, KIOSKS[who], (int)s->unsent[0], true,
                                                    fx->now - 60);
                if (a.status != 201 || strcmp(a.body, "{\"status\":\"confirmed\"}") != 0)
                    fail_msg("%s: a promise made within %s's lease got %u %s", where,
                             KIOSKS[who], a.status, a.body);
                memmove(s->unsent, s->unsent + 1, --s->n_unsent * sizeof *s->unsent);
            } else if (action == 3) {
                heartbeat(fx, KIOSKS[who], s->seen.etag, (int64_t)s->n_unsent);
            } else if (action == 4 && s->n_unsent == 0) {
                /* Online: within what it sees of its lease the kiosk
                 * confirms on its own (and the hub must agree); beyond it,
                 * it asks, and any answer will do. */
                int64_t p = 1 + rand_r(&seed) % 3;
                bool within = p <= s->seen.lease - s->promised_unacked;
                struct hub_signup_answer a = signup(fx, KIOSKS[who], (int)p, rand_r(&seed) % 2,
                                                    fx->now - 5);
                if (within) {
                    s->promised_unacked += p;
                    promised++;
                    if (a.status != 201 || strcmp(a.body, "{\"status\":\"confirmed\"}") != 0)
                        fail_msg("%s: an online promise within %s's lease got %u %s", where,
                                 KIOSKS[who], a.status, a.body);
                }
            }
            check_invariant(fx, where);
        }
        /* Everything still unsent arrives at last. */
        for (int who = 0; who < 2; who++)
            for (size_t i = 0; i < k[who].n_unsent; i++) {
                struct hub_signup_answer a = signup(fx, KIOSKS[who], (int)k[who].unsent[i], true,
                                                    fx->now - 60);
                if (a.status != 201)
                    fail_msg("run %d: a late promise of %s got %u %s", run, KIOSKS[who],
                             a.status, a.body);
                check_invariant(fx, "draining");
            }
        assert_true(promised >= 0);
    }
}

/* ---- cancel, the waiting list, the call flag -------------------------------------------- */

static unsigned answer_of(struct fixture *fx, const char *id, const char *kiosk, int party,
                          char *body)
{
    struct hub_signup_answer a = signup_as(fx, id, kiosk, "act-wacht", WACHT, party, true,
                                           "Wachtende Willemsen", fx->now - 60);
    strcpy(body, a.body);
    return a.status;
}

/* The CSV listing into *text (free it). The buffer's pointer lives with
 * the caller: open_memstream writes it until fclose. */
static void list_csv(struct fixture *fx, char **text, size_t *len)
{
    FILE *out = open_memstream(text, len);
    assert_non_null(out);
    assert_true(hub_signup_list(fx->db, "act-wacht", true, out));
    fclose(out);
}

/* The CSV line of a sign-up (without CRLF). */
static void csv_line(const char *csv, const char *id, char *line, size_t len)
{
    const char *p = strstr(csv, id);
    assert_non_null(p);
    size_t n = strcspn(p, "\r\n");
    snprintf(line, len, "%.*s", (int)n, p);
}

static bool csv_call(const char *csv, const char *id)
{
    /* call is the 13th column; no field here holds a comma. */
    char line[600];
    csv_line(csv, id, line, sizeof line);
    const char *p = line;
    for (int col = 1; col < 13; col++) {
        p = strchr(p, ',');
        assert_non_null(p);
        p++;
    }
    return strncmp(p, "yes,", 4) == 0;
}

static void test_cancel_moves_the_list_up(void **state)
{
    struct fixture *fx = *state;
    char body[200];
    char c1[37], c2[37], w1[37], w2[37], w3[37], full[37];
    next_id(fx, c1);
    next_id(fx, c2);
    next_id(fx, w1);
    next_id(fx, w2);
    next_id(fx, w3);
    next_id(fx, full);
    /* No feed pulled: no leases, 2 places. */
    assert_int_equal(answer_of(fx, c1, "ka", 1, body), 201);
    assert_int_equal(answer_of(fx, c2, "kb", 1, body), 201);
    assert_int_equal(answer_of(fx, w1, "ka", 2, body), 201);
    assert_string_equal(body, "{\"status\":\"waitlisted\",\"position\":1}");
    assert_int_equal(answer_of(fx, w2, "kb", 1, body), 201);
    assert_int_equal(answer_of(fx, w3, "ka", 1, body), 201);
    assert_string_equal(body, "{\"status\":\"waitlisted\",\"position\":3}");
    struct hub_signup_answer f = signup_as(fx, full, "ka", "act-wacht", WACHT, 1, false,
                                           "Volle Vera", fx->now - 60);
    assert_int_equal(f.status, 409);

    enum hub_signup_status was;
    int promoted = -1;
    /* Refused: unknown, full, and (below) cancelled already. */
    assert_int_equal(hub_signup_cancel(fx->db, "00000000-0000-4000-8000-00000000dead", &was,
                                       &promoted),
                     HUB_CANCEL_UNKNOWN);
    assert_int_equal(hub_signup_cancel(fx->db, full, &was, &promoted), HUB_CANCEL_REFUSED);
    assert_int_equal(was, HUB_SIGNUP_FULL);

    /* A confirmed place freed: w1 (2) does not fit 1 place, w2 (1) does and
     * moves up, marked for a call; w3 becomes 2nd. */
    assert_int_equal(hub_signup_cancel(fx->db, c1, &was, &promoted), HUB_CANCEL_OK);
    assert_int_equal(was, HUB_SIGNUP_CONFIRMED);
    assert_int_equal(promoted, 1);
    assert_int_equal(hub_signup_cancel(fx->db, c1, &was, &promoted), HUB_CANCEL_REFUSED);
    assert_int_equal(was, HUB_SIGNUP_CANCELLED);

    /* Repeats answer the current status. */
    assert_int_equal(answer_of(fx, w2, "kb", 1, body), 200);
    assert_string_equal(body, "{\"status\":\"confirmed\"}");
    assert_int_equal(answer_of(fx, w1, "ka", 2, body), 200);
    assert_string_equal(body, "{\"status\":\"waitlisted\",\"position\":1}");
    assert_int_equal(answer_of(fx, w3, "ka", 1, body), 200);
    assert_string_equal(body, "{\"status\":\"waitlisted\",\"position\":2}");
    /* A cancelled one: "full", final, never a place it does not have. */
    assert_int_equal(answer_of(fx, c1, "ka", 1, body), 409);
    assert_string_equal(body, "{\"status\":\"full\"}");
    assert_int_equal(query_int(fx, "SELECT places FROM confirmed_places"
                                   " WHERE activity_id = 'act-wacht'"),
                     2);

    char *csv = NULL;
    size_t csv_len = 0;
    list_csv(fx, &csv, &csv_len);
    assert_non_null(strstr(csv, "signup_id,activity_id,occurrence,status,party_size,name,phone,"
                                "email,remark,kiosk_id,created_at,received_at,call"));
    assert_true(csv_call(csv, w2));         /* moved up */
    assert_true(csv_call(csv, full));       /* no place: call back */
    assert_false(csv_call(csv, c2));
    assert_false(csv_call(csv, w1));
    assert_false(csv_call(csv, c1));        /* cancelled: nothing to call about */
    char line[600];
    csv_line(csv, full, line, sizeof line);
    assert_non_null(strstr(line, "Volle Vera"));
    free(csv);

    /* A waiting spot cancelled closes the gap: w3 becomes 1st... and
     * cancelling c2 then frees 1 place: w1 (2) still does not fit. */
    assert_int_equal(hub_signup_cancel(fx->db, w1, &was, &promoted), HUB_CANCEL_OK);
    assert_int_equal(was, HUB_SIGNUP_WAITLISTED);
    assert_int_equal(promoted, 0);
    assert_int_equal(answer_of(fx, w3, "ka", 1, body), 200);
    assert_string_equal(body, "{\"status\":\"waitlisted\",\"position\":1}");
    assert_int_equal(hub_signup_cancel(fx->db, c2, &was, &promoted), HUB_CANCEL_OK);
    assert_int_equal(promoted, 1);
    assert_int_equal(answer_of(fx, w3, "ka", 1, body), 200);
    assert_string_equal(body, "{\"status\":\"confirmed\"}");

    /* The text listing shows the call too. */
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_true(hub_signup_list(fx->db, "act-wacht", false, out));
    fclose(out);
    const char *row = strstr(text, w3);
    assert_non_null(row);
    assert_int_equal(strncmp(strchr(row, '\n') - strlen(" call=yes"), " call=yes\n", 10), 0);
    free(text);
}

/* A moved-up place never comes out of a lease: ka (the only kiosk at
 * loc-a once kb is gone) holds 1 of the 2 places, so the place a cancel
 * frees fits the second in line (1) and not the first (2). Were the lease
 * not counted, the first would move up and 3 places be promised. */
static void test_cancel_respects_leases(void **state)
{
    struct fixture *fx = *state;
    assert_int_equal(hub_db_kiosk_remove(fx->db, "kb"), HUB_KIOSK_OK);
    char body[200], c1[37], w1[37], w2[37];
    next_id(fx, c1);
    next_id(fx, w1);
    next_id(fx, w2);
    assert_int_equal(answer_of(fx, c1, "kc", 1, body), 201);
    struct hub_feed_for who = {.kiosk_id = "ka", .now = fx->now, .lease_max = 2};
    struct hub_feed_body b;
    assert_true(hub_feed_build_for(fx->db, &who, &b));
    assert_int_equal(signup_number(&b, "act-wacht", "lease", t(WACHT)), 1);
    hub_feed_body_clear(&b);
    assert_int_equal(answer_of(fx, w1, "kc", 2, body), 201);
    assert_string_equal(body, "{\"status\":\"waitlisted\",\"position\":1}");
    assert_int_equal(answer_of(fx, w2, "kc", 1, body), 201);
    assert_string_equal(body, "{\"status\":\"waitlisted\",\"position\":2}");
    enum hub_signup_status was;
    int promoted = -1;
    assert_int_equal(hub_signup_cancel(fx->db, c1, &was, &promoted), HUB_CANCEL_OK);
    assert_int_equal(promoted, 1);
    assert_int_equal(answer_of(fx, w1, "kc", 2, body), 200);
    assert_string_equal(body, "{\"status\":\"waitlisted\",\"position\":1}");
    assert_int_equal(answer_of(fx, w2, "kc", 1, body), 200);
    assert_string_equal(body, "{\"status\":\"confirmed\"}");
    /* ka's lease is still good. */
    char id[37];
    next_id(fx, id);
    assert_int_equal(answer_of(fx, id, "ka", 1, body), 201);
    assert_string_equal(body, "{\"status\":\"confirmed\"}");
    assert_int_equal(query_int(fx, "SELECT places FROM confirmed_places"
                                   " WHERE activity_id = 'act-wacht'"),
                     2);
}

/* ---- contact details of refusals: kept, then erased to the last byte ------------------ */

static void test_refusals_keep_contact_until_retention(void **state)
{
    struct fixture *fx = *state;
    char id[37];
    /* Fill act-kerst (no leases: nobody pulled), then one full, one closed. */
    next_id(fx, id);
    assert_int_equal(signup_as(fx, id, "ka", "act-kerst", KERST, 4, false, "Eerste Emma",
                               fx->now - 60).status,
                     201);
    next_id(fx, id);
    assert_int_equal(signup_as(fx, id, "ka", "act-kerst", KERST, 1, false, "Vol-Vincent",
                               fx->now - 60).status,
                     409);
    int64_t late = t(KERST) - 600;
    int64_t saved = fx->now;
    fx->now = late;
    next_id(fx, id);
    struct hub_signup_answer closed =
        signup_as(fx, id, "kb", "act-kerst", KERST, 1, false, "Dicht-Dirk", late - 60);
    assert_string_equal(closed.body, "{\"status\":\"closed\"}");
    fx->now = saved;
    /* A repeat of a refusal answers as the first time. */
    assert_int_equal(signup_as(fx, id, "kb", "act-kerst", KERST, 1, false, "Dicht-Dirk",
                               late - 60).status,
                     409);

    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_true(hub_signup_list(fx->db, "act-kerst", false, out));
    fclose(out);
    assert_non_null(strstr(text, "full party=1 name=Vol-Vincent phone=0612345678"));
    assert_non_null(strstr(text, "closed party=1 name=Dicht-Dirk"));
    free(text);

    char cmd[300];
    snprintf(cmd, sizeof cmd, "cat %s* | grep -c -a 'Vol-Vincent' >/dev/null", fx->path);
    assert_int_equal(system(cmd), 0);   /* sanity: the search finds what is there */
    int64_t occurrence = t(KERST);
    assert_int_equal(hub_signup_erase_expired(fx->db, occurrence + 29 * 86400, 30), 0);
    assert_int_equal(hub_signup_erase_expired(fx->db, occurrence + 31 * 86400, 30), 3);
    const char *const names[] = {"Vol-Vincent", "Dicht-Dirk", "Eerste Emma", "0612345678"};
    for (size_t i = 0; i < 4; i++) {
        snprintf(cmd, sizeof cmd, "cat %s* | grep -c -a '%s' >/dev/null", fx->path, names[i]);
        if (system(cmd) == 0)
            fail_msg("%s is still in the database file or its WAL", names[i]);
    }
    assert_int_equal(query_int(fx, "SELECT COUNT(*) FROM signups WHERE activity_id = 'act-kerst'"
                                   " AND name IS NULL AND phone IS NULL"),
                     3);
}

/* ---- the feed: object and integer forms -------------------------------------------------- */

static void test_feed_forms(void **state)
{
    struct fixture *fx = *state;
    struct hub_feed_for who = {.kiosk_id = "ka", .now = fx->now, .lease_max = 2};
    struct hub_feed_body b;
    assert_true(hub_feed_build_for(fx->db, &who, &b));
    json_t *doc = json_loadb(b.body, b.len, 0, NULL);
    size_t i;
    json_t *a;
    int seen = 0;
    json_array_foreach(json_object_get(doc, "activities"), i, a) {
        const char *id = json_string_value(json_object_get(a, "id"));
        json_t *lease = json_object_get(json_object_get(a, "signup"), "lease");
        if (strcmp(id, "act-kerst") == 0) {
            /* One-off: one integer. */
            assert_true(json_is_integer(lease));
            assert_int_equal(json_integer_value(lease), 2);
            seen++;
        } else if (strcmp(id, "act-week") == 0) {
            /* Only ka serves loc-b: min(2, 3 - 1 taken) = 2 on each of 4 dates. */
            assert_true(json_is_integer(lease));
            assert_int_equal(json_integer_value(lease), 2);
            seen++;
        } else if (strcmp(id, "act-vrij") == 0) {
            assert_null(lease);     /* unlimited: no lease */
            seen++;
        }
    }
    assert_int_equal(seen, 3);
    json_decref(doc);
    hub_feed_body_clear(&b);
    /* Unlimited activities store nothing. */
    assert_int_equal(query_int(fx, "SELECT COUNT(*) FROM leases WHERE activity_id = 'act-vrij'"),
                     0);
    /* A sign-up on one date of the weekly one: then an object. */
    char id[37];
    next_id(fx, id);
    assert_int_equal(signup_as(fx, id, "ka", "act-week", "2026-12-09T10:00:00+01:00", 1, false,
                               "Jan", fx->now - 60).status,
                     201);
    assert_true(hub_feed_build_for(fx->db, &who, &b));
    assert_int_equal(signup_number(&b, "act-week", "lease", t("2026-12-02T10:00:00+01:00")), 2);
    assert_int_equal(signup_number(&b, "act-week", "lease", t("2026-12-09T10:00:00+01:00")), 1);
    doc = json_loadb(b.body, b.len, 0, NULL);
    json_array_foreach(json_object_get(doc, "activities"), i, a) {
        if (strcmp(json_string_value(json_object_get(a, "id")), "act-week") == 0)
            assert_true(json_is_object(json_object_get(json_object_get(a, "signup"), "lease")));
    }
    json_decref(doc);
    hub_feed_body_clear(&b);
    /* Leases off: nothing offered, the old offer held until a heartbeat. */
    who.lease_max = 0;
    assert_true(hub_feed_build_for(fx->db, &who, &b));
    assert_int_equal(signup_number(&b, "act-kerst", "lease", t(KERST)), 0);
    hub_feed_body_clear(&b);
    assert_int_equal(query_int(fx, "SELECT held FROM leases WHERE activity_id = 'act-kerst'"
                                   " AND kiosk_id = 'ka'"),
                     2);
}

/* ---- the migration from schema 2 ------------------------------------------------------ */

/* A database as buurthub 2 left it (its schema copied from hub_db.c's
 * migrations 1 and 2): the sign-ups keep their rows, order and waiting
 * positions, and the status may now be 'cancelled'. */
static void test_migration_from_2(void **state)
{
    (void)state;
    char dir[] = "/tmp/hub-migrate.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/hub.db", dir);
    sqlite3 *h;
    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    static const char v2[] =
        "CREATE TABLE meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;"
        "CREATE TABLE kiosks(id TEXT PRIMARY KEY, token_hash BLOB NOT NULL, locations TEXT,"
        "  created_at INTEGER NOT NULL, token_changed_at INTEGER NOT NULL);"
        "CREATE TABLE heartbeats(kiosk_id TEXT PRIMARY KEY REFERENCES kiosks(id) ON DELETE CASCADE,"
        "  received_at INTEGER NOT NULL, version TEXT, uptime_s INTEGER, feed_etag TEXT,"
        "  last_sync_ok_at TEXT, last_sync_error TEXT, outbox_pending INTEGER,"
        "  outbox_rejected INTEGER, screen TEXT, free_disk_mb INTEGER);"
        "CREATE TABLE items(kind INTEGER NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL,"
        "  location_id TEXT, location_ids TEXT, body TEXT NOT NULL, PRIMARY KEY(kind, id));"
        "CREATE TABLE activities(id TEXT PRIMARY KEY, starts_at INTEGER NOT NULL, rrule TEXT,"
        "  exdates TEXT, has_signup INTEGER NOT NULL, capacity INTEGER NOT NULL,"
        "  taken INTEGER NOT NULL, taken_by_occurrence TEXT, waitlist INTEGER NOT NULL,"
        "  closes_before_min INTEGER NOT NULL, fields INTEGER NOT NULL);"
        "CREATE TABLE signups(signup_id TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL,"
        "  activity_id TEXT NOT NULL, occurrence INTEGER NOT NULL,"
        "  status TEXT NOT NULL CHECK(status IN ('confirmed','waitlisted','full','closed')),"
        "  position INTEGER, party_size INTEGER NOT NULL, name TEXT, phone TEXT, email TEXT,"
        "  remark TEXT, waitlist_ok INTEGER NOT NULL, language TEXT, created_at INTEGER NOT NULL,"
        "  received_at INTEGER NOT NULL, erased_at INTEGER, response TEXT NOT NULL);"
        "CREATE INDEX signups_by_occurrence ON signups(activity_id, occurrence, status);"
        "CREATE INDEX signups_unerased ON signups(occurrence) WHERE erased_at IS NULL;"
        "CREATE TABLE confirmed_places(activity_id TEXT NOT NULL, occurrence INTEGER NOT NULL,"
        "  places INTEGER NOT NULL, PRIMARY KEY(activity_id, occurrence)) WITHOUT ROWID;"
        "INSERT INTO meta VALUES('state_version', 1), ('content_changed_at', 0),"
        "  ('token_key', zeroblob(32));"
        "INSERT INTO signups VALUES('b', 'k', 'act', 100, 'waitlisted', 2, 1, 'Twee', NULL, NULL,"
        "  NULL, 1, 'nl', 1, 2, NULL, '{}'),"
        "  ('a', 'k', 'act', 100, 'waitlisted', 1, 1, 'Een', NULL, NULL, NULL, 1, 'nl', 1, 2,"
        "  NULL, '{}');"
        "PRAGMA user_version = 2;";
    assert_int_equal(sqlite3_exec(h, v2, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    char err[256];
    struct hub_db *db = hub_db_open(path, HUB_DB_EXISTING, err, sizeof err);
    assert_non_null(db);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(hub_db_handle(db),
                                        "SELECT group_concat(signup_id || position || name || to_call)"
                                        " FROM (SELECT * FROM signups ORDER BY rowid)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "b2Twee0,a1Een0");
    sqlite3_finalize(st);
    enum hub_signup_status was;
    int promoted;
    assert_int_equal(hub_signup_cancel(db, "a", &was, &promoted), HUB_CANCEL_OK);
    assert_int_equal(sqlite3_prepare_v2(hub_db_handle(db),
                                        "SELECT group_concat(status || COALESCE(position, '-'))"
                                        " FROM (SELECT * FROM signups ORDER BY rowid)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "waitlisted1,cancelled-");
    sqlite3_finalize(st);
    hub_db_close(db);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    tz_use_zone("Europe/Amsterdam");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_target),
        cmocka_unit_test(test_offer_spend_give_back),
        cmocka_unit_test(test_config_lease_max),
        cmocka_unit_test_setup_teardown(test_steps_lease_and_beyond, setup, teardown),
        cmocka_unit_test_setup_teardown(test_steps_beyond_with_room, setup, teardown),
        cmocka_unit_test_setup_teardown(test_steps_shrink_and_give_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_steps_held_covers_old_feed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_steps_lease_ends_at_close, setup, teardown),
        cmocka_unit_test_setup_teardown(test_steps_two_kiosks_orders, setup, teardown),
        cmocka_unit_test_setup_teardown(test_steps_two_kiosks_b_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_offline_promises, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cancel_moves_the_list_up, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cancel_respects_leases, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals_keep_contact_until_retention, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_feed_forms, setup, teardown),
        cmocka_unit_test(test_migration_from_2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
