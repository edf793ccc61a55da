/*
 * The hub's database side on a real SQLite file, without HTTP: importing
 * (JSON and CSV, refusals changing nothing), the feed a kiosk gets (valid
 * by the kiosk's own validator, filtered, byte-stable, counts added), the
 * sign-up decision (idempotency, capacity, waiting list, closed, the
 * created_at rule), many connections racing for one last place, and the
 * erasure of personal data after the retention period.
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
#include <pthread.h>
#include <sodium.h>

#include "model/feed.h"
#include "base/timeutil.h"
#include "hub/hub_db.h"
#include "hub/hub_feed.h"
#include "hub/hub_import.h"
#include "hub/hub_signup.h"

struct fixture {
    char dir[64];
    char path[128];
    struct hub_db *db;
    struct failing_disk *disk;      /* registered as SQLite's default VFS, or NULL */
};

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static char *data_path(const char *env, const char *name)
{
    const char *dir = getenv(env);
    static char path[4][512];
    static int next;
    char *p = path[next++ % 4];
    snprintf(p, 512, "%s/%s", dir ? dir : ".", name);
    return p;
}

static FILE *null_out(void)
{
    FILE *f = fopen("/dev/null", "w");
    assert_non_null(f);
    return f;
}

static enum hub_import_result import_path_forced(struct hub_db *db, const char *path,
                                                 int64_t now, bool force)
{
    FILE *out = null_out();
    enum hub_import_result r = hub_import_file(db, path, now, force, out, out);
    fclose(out);
    return r;
}

static enum hub_import_result import_path(struct hub_db *db, const char *path, int64_t now)
{
    FILE *out = null_out();
    enum hub_import_result r = hub_import_file(db, path, now, false, out, out);
    fclose(out);
    return r;
}

static int64_t t(const char *text)
{
    int64_t v = 0;
    assert_true(rfc3339_parse(text, &v));
    return v;
}

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/hub-unit.XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    snprintf(fx->path, sizeof fx->path, "%s/hub.db", fx->dir);
    char err[256];
    fx->db = hub_db_open(fx->path, HUB_DB_CREATE, err, sizeof err);
    assert_non_null(fx->db);
    assert_int_equal(import_path(fx->db, data_path("BK_ASSETS", "sample-feed.json"),
                                 t("2026-11-20T08:00:00+01:00")),
                     HUB_IMPORT_OK);
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

/* ---- the feed ------------------------------------------------------------------ */

static void parse_feed(const struct hub_feed_body *b, struct feed_report *rep)
{
    assert_int_equal(feed_parse(b->body, b->len, NULL, rep), FEED_ACCEPTED);
    assert_int_equal(rep->skipped, 0);
}

static json_t *activity_in(const struct hub_feed_body *b, const char *id)
{
    json_t *doc = json_loadb(b->body, b->len, 0, NULL);
    assert_non_null(doc);
    size_t i;
    json_t *a, *found = NULL;
    json_array_foreach(json_object_get(doc, "activities"), i, a) {
        if (strcmp(json_string_value(json_object_get(a, "id")), id) == 0)
            found = json_incref(a);
    }
    json_decref(doc);
    return found;
}

static void test_feed_all(void **state)
{
    struct fixture *fx = *state;
    struct hub_feed_body a, b;
    assert_true(hub_feed_build(fx->db, NULL, &a));
    struct feed_report rep;
    parse_feed(&a, &rep);
    assert_int_equal(rep.kept[FEED_LOCATION], 5);
    assert_int_equal(rep.kept[FEED_ACTIVITY], 31);
    assert_int_equal(rep.kept[FEED_SERVICE], 21);
    assert_int_equal(rep.kept[FEED_ANNOUNCEMENT], 5);
    assert_int_equal(rep.generated_at, t("2026-11-20T08:00:00+01:00"));
    assert_string_equal(rep.publisher_name, "Buurtnetwerk Amersfoort (voorbeeld)");
    feed_report_clear(&rep);
    /* Byte-identical while nothing changes, and the ETag is its hash. */
    assert_true(hub_feed_build(fx->db, NULL, &b));
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.body, b.body, a.len);
    assert_string_equal(a.etag, b.etag);
    assert_int_equal(strlen(a.etag), HUB_ETAG_LEN);
    assert_true(a.gz_len > 0 && a.gz_len < a.len);
    hub_feed_body_clear(&b);
    /* Re-importing the same document changes nothing, not even the time. */
    assert_int_equal(import_path(fx->db, data_path("BK_ASSETS", "sample-feed.json"),
                                 t("2026-11-21T08:00:00+01:00")),
                     HUB_IMPORT_OK);
    assert_true(hub_feed_build(fx->db, NULL, &b));
    assert_string_equal(a.etag, b.etag);
    assert_int_equal(a.state_version, b.state_version);
    hub_feed_body_clear(&a);
    hub_feed_body_clear(&b);
}

static void test_feed_filtered(void **state)
{
    struct fixture *fx = *state;
    struct hub_feed_body b;
    assert_true(hub_feed_build(fx->db, "[\"loc-nieuwe-sleutel\"]", &b));
    struct feed_report rep;
    parse_feed(&b, &rep);
    assert_int_equal(rep.kept[FEED_LOCATION], 1);
    feed_report_clear(&rep);
    json_t *doc = json_loadb(b.body, b.len, 0, NULL);
    size_t i;
    json_t *item;
    size_t activities = 0;
    json_array_foreach(json_object_get(doc, "activities"), i, item) {
        const char *loc = json_string_value(json_object_get(item, "location_id"));
        assert_true(!loc || strcmp(loc, "loc-nieuwe-sleutel") == 0);
        activities++;
    }
    assert_true(activities > 0 && activities < 31);
    json_array_foreach(json_object_get(doc, "services"), i, item) {
        const char *loc = json_string_value(json_object_get(item, "location_id"));
        assert_true(!loc || strcmp(loc, "loc-nieuwe-sleutel") == 0);
    }
    size_t announcements = 0;
    json_array_foreach(json_object_get(doc, "announcements"), i, item) {
        /* The lift notice is for De Lindeboom only. */
        assert_string_not_equal(json_string_value(json_object_get(item, "id")),
                                "ann-lift-lindeboom");
        announcements++;
    }
    assert_int_equal(announcements, 4);
    json_decref(doc);
    hub_feed_body_clear(&b);
}

/* ---- sign-ups --------------------------------------------------------------------- */

static struct hub_signup_answer submit_answer(struct hub_db *db, const char *id,
                                              const char *kiosk, const char *activity,
                                              const char *occurrence, int party,
                                              bool waitlist_ok, const char *created,
                                              int64_t received)
{
    char text[1024];
    snprintf(text, sizeof text,
             "{\"signup_id\":\"%s\",\"kiosk_id\":\"%s\",\"activity_id\":\"%s\","
             "\"occurrence\":\"%s\",\"name\":\"Jan Jansen\",\"phone\":\"0612345678\","
             "\"email\":null,\"party_size\":%d,\"remark\":null,\"waitlist_ok\":%s,"
             "\"language\":\"nl\",\"created_at\":\"%s\"}",
             id, kiosk, activity, occurrence, party, waitlist_ok ? "true" : "false", created);
    struct hub_signup_request req;
    char err[160];
    assert_true(hub_signup_parse(text, strlen(text), &req, err, sizeof err));
    struct hub_signup_answer answer;
    /* false goes with a 5xx answer, which the callers check for */
    bool answered = hub_signup_submit(db, &req, received, &answer);
    assert_true(answered || answer.status >= 500);
    hub_signup_request_clear(&req);
    return answer;
}

static unsigned submit(struct hub_db *db, const char *id, const char *kiosk, const char *activity,
                       const char *occurrence, int party, bool waitlist_ok, const char *created,
                       int64_t received, char *body_out)
{
    struct hub_signup_answer answer = submit_answer(db, id, kiosk, activity, occurrence, party,
                                                    waitlist_ok, created, received);
    if (body_out)
        strcpy(body_out, answer.body);
    return answer.status;
}

static void uuid(int n, char out[37])
{
    snprintf(out, 37, "%08x-0000-4000-8000-000000000000", (unsigned)n);
}

#define RECEIVED "2026-11-25T09:00:00+01:00"
#define CREATED "2026-11-25T08:59:00+01:00"

static void test_signup_decisions(void **state)
{
    struct fixture *fx = *state;
    int64_t received = t(RECEIVED);
    char body[200], id[37];
    struct hub_feed_body before;
    assert_true(hub_feed_build(fx->db, NULL, &before));

    /* Digicafé: capacity 8, 3 taken (one integer for every occurrence). */
    for (int i = 0; i < 5; i++) {
        uuid(100 + i, id);
        assert_int_equal(submit(fx->db, id, "k1", "act-digicafe", "2026-12-03T10:00:00+01:00", 1,
                                false, CREATED, received, body),
                         201);
        assert_string_equal(body, "{\"status\":\"confirmed\"}");
    }
    uuid(105, id);
    assert_int_equal(submit(fx->db, id, "k1", "act-digicafe", "2026-12-03T10:00:00+01:00", 1,
                            true, CREATED, received, body),
                     409);
    assert_string_equal(body, "{\"status\":\"full\"}");
    /* Repeats get the first answer: confirmed with 200 even now it is
     * full, and the refusal again as a refusal. */
    uuid(100, id);
    assert_int_equal(submit(fx->db, id, "k1", "act-digicafe", "2026-12-03T10:00:00+01:00", 1,
                            false, CREATED, received + 60, body),
                     200);
    assert_string_equal(body, "{\"status\":\"confirmed\"}");
    uuid(105, id);
    assert_int_equal(submit(fx->db, id, "k1", "act-digicafe", "2026-12-03T10:00:00+01:00", 1,
                            true, CREATED, received, body),
                     409);
    assert_string_equal(body, "{\"status\":\"full\"}");
    /* The same id from another kiosk is not a repeat. */
    uuid(100, id);
    assert_int_equal(submit(fx->db, id, "k2", "act-digicafe", "2026-12-03T10:00:00+01:00", 1,
                            false, CREATED, received, body),
                     422);

    /* Kookles: full (10 of 10) with a waiting list. */
    uuid(200, id);
    assert_int_equal(submit(fx->db, id, "k1", "act-kookles", "2026-12-08T18:00:00+01:00", 1, true,
                            CREATED, received, body),
                     201);
    assert_string_equal(body, "{\"status\":\"waitlisted\",\"position\":1}");
    uuid(201, id);
    assert_int_equal(submit(fx->db, id, "k2", "act-kookles", "2026-12-08T18:00:00+01:00", 1, true,
                            CREATED, received, body),
                     201);
    assert_string_equal(body, "{\"status\":\"waitlisted\",\"position\":2}");
    uuid(202, id);
    assert_int_equal(submit(fx->db, id, "k1", "act-kookles", "2026-12-08T18:00:00+01:00", 1, false,
                            CREATED, received, body),
                     409);
    assert_string_equal(body, "{\"status\":\"full\"}");
    uuid(200, id);
    assert_int_equal(submit(fx->db, id, "k1", "act-kookles", "2026-12-08T18:00:00+01:00", 1, true,
                            CREATED, received, body),
                     200);
    assert_string_equal(body, "{\"status\":\"waitlisted\",\"position\":1}");

    /* Kerstdiner asks for party_size: 19 of 60 - 41 fit exactly, one more does not. */
    uuid(300, id);
    assert_int_equal(submit(fx->db, id, "k1", "act-kerstdiner", "2026-12-23T17:30:00+01:00", 19,
                            true, CREATED, received, body),
                     201);
    assert_string_equal(body, "{\"status\":\"confirmed\"}");
    uuid(301, id);
    assert_int_equal(submit(fx->db, id, "k1", "act-kerstdiner", "2026-12-23T17:30:00+01:00", 1,
                            true, CREATED, received, body),
                     201);
    assert_string_equal(body, "{\"status\":\"waitlisted\",\"position\":1}");

    /* Samen eten on the 26th closes a day before (17:30 on the 25th). A
     * sign-up made before that but received after it keeps its place... */
    int64_t late = t("2026-11-25T18:00:00+01:00");
    uuid(400, id);
    assert_int_equal(submit(fx->db, id, "k1", "act-samen-eten-liendert",
                            "2026-11-26T17:30:00+01:00", 1, false, "2026-11-25T17:00:00+01:00",
                            late, body),
                     201);
    /* ...made after it is closed... */
    uuid(401, id);
    assert_int_equal(submit(fx->db, id, "k1", "act-samen-eten-liendert",
                            "2026-11-26T17:30:00+01:00", 1, false, "2026-11-25T17:45:00+01:00",
                            late, body),
                     409);
    assert_string_equal(body, "{\"status\":\"closed\"}");
    /* ...and one whose created_at is more than 24 h old is judged by the
     * hub's clock, as is one from further in the future than clock skew. */
    uuid(402, id);
    assert_int_equal(submit(fx->db, id, "k1", "act-samen-eten-liendert",
                            "2026-11-26T17:30:00+01:00", 1, false, "2026-11-24T17:00:00+01:00",
                            late, body),
                     409);
    uuid(403, id);
    assert_int_equal(submit(fx->db, id, "k1", "act-samen-eten-liendert",
                            "2026-11-26T17:30:00+01:00", 1, false, "2026-11-25T17:45:00+01:00",
                            t("2026-11-25T16:50:00+01:00"), body),
                     201);

    /* Unknown activity, an activity without sign-up, a non-occurrence. */
    uuid(500, id);
    assert_int_equal(submit(fx->db, id, "k1", "act-nope", "2026-12-03T10:00:00+01:00", 1, false,
                            CREATED, received, body),
                     404);
    assert_string_equal(body, "{\"error\":\"unknown activity\"}");
    assert_int_equal(submit(fx->db, id, "k1", "act-kinderdisco", "2026-12-18T18:30:00+01:00", 1,
                            false, CREATED, received, body),
                     422);
    assert_int_equal(submit(fx->db, id, "k1", "act-digicafe", "2026-12-04T10:00:00+01:00", 1,
                            false, CREATED, received, body),
                     422);

    /* The feed now counts the hub's confirmed places, keyed per occurrence. */
    struct hub_feed_body after;
    assert_true(hub_feed_build(fx->db, NULL, &after));
    assert_string_not_equal(before.etag, after.etag);
    struct feed_report rep;
    parse_feed(&after, &rep);
    assert_int_equal(rep.generated_at, late);
    feed_report_clear(&rep);
    json_t *digicafe = activity_in(&after, "act-digicafe");
    json_t *taken = json_object_get(json_object_get(digicafe, "signup"), "taken");
    assert_true(json_is_object(taken));
    assert_int_equal(json_integer_value(json_object_get(taken, "2026-12-03T10:00:00+01:00")), 8);
    assert_int_equal(json_integer_value(json_object_get(taken, "2026-12-10T10:00:00+01:00")), 3);
    json_decref(digicafe);
    json_t *eten = activity_in(&after, "act-samen-eten-liendert");
    taken = json_object_get(json_object_get(eten, "signup"), "taken");
    assert_int_equal(json_integer_value(json_object_get(taken, "2026-11-26T17:30:00+01:00")), 26);
    assert_int_equal(json_integer_value(json_object_get(taken, "2026-12-03T17:30:00+01:00")), 15);
    json_decref(eten);
    json_t *kookles = activity_in(&after, "act-kookles");
    assert_true(json_is_integer(json_object_get(json_object_get(kookles, "signup"), "taken")));
    json_decref(kookles);
    hub_feed_body_clear(&before);
    hub_feed_body_clear(&after);

    /* Stored once each, refusals with their contact details too (staff
     * call those residents back). */
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(hub_db_handle(fx->db),
                                        "SELECT COUNT(*), COUNT(name) FROM signups", -1, &st,
                                        NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 15);
    assert_int_equal(sqlite3_column_int(st, 1), 15);
    sqlite3_finalize(st);
}

/* ---- racing for the last place ----------------------------------------------------- */

#define RACERS 6
#define ROUNDS 10

struct racer {
    const char *path;
    pthread_barrier_t *start;
    int index;
    int round;
    bool waitlist;
    unsigned status;
    char body[200];
};

static void *race(void *arg)
{
    struct racer *r = arg;
    char err[256];
    struct hub_db *db = hub_db_open(r->path, HUB_DB_EXISTING, err, sizeof err);
    char id[37], occurrence[RFC3339_LEN], text[1024];
    snprintf(id, sizeof id, "%08x-%04x-4000-8000-000000000000", (unsigned)r->index,
             (unsigned)r->round + (r->waitlist ? 0x100 : 0));
    struct local_time lt = {2026, 12, 1 + r->round, 10, 0, 0, 0};
    rfc3339_format_local(tz_from_local(&lt), occurrence);
    snprintf(text, sizeof text,
             "{\"signup_id\":\"%s\",\"kiosk_id\":\"k%d\",\"activity_id\":\"%s\","
             "\"occurrence\":\"%s\",\"name\":\"Racer\",\"party_size\":1,\"waitlist_ok\":true,"
             "\"created_at\":\"%s\"}",
             id, r->index, r->waitlist ? "race-wait" : "race-full", occurrence, CREATED);
    struct hub_signup_request req;
    bool parsed = hub_signup_parse(text, strlen(text), &req, err, sizeof err);
    pthread_barrier_wait(r->start);
    struct hub_signup_answer answer = {0};
    if (db && parsed)
        hub_signup_submit(db, &req, t(RECEIVED), &answer);
    r->status = answer.status;
    snprintf(r->body, sizeof r->body, "%s", answer.body);
    hub_signup_request_clear(&req);
    hub_db_close(db);
    return NULL;
}

static void test_last_place_race(void **state)
{
    struct fixture *fx = *state;
    char doc[] = "{\"format\":\"buurtkiosk-feed\",\"version\":1,\"generated_at\":\"2026-11-25T08:00:00+01:00\",\"activities\":["
                 "{\"id\":\"race-full\",\"title\":\"Een plek\",\"starts_at\":"
                 "\"2026-12-01T10:00:00+01:00\",\"rrule\":\"FREQ=DAILY\","
                 "\"signup\":{\"capacity\":1,\"fields\":[\"name\"]}},"
                 "{\"id\":\"race-wait\",\"title\":\"Een plek, wachtlijst\",\"starts_at\":"
                 "\"2026-12-01T10:00:00+01:00\",\"rrule\":\"FREQ=DAILY\","
                 "\"signup\":{\"capacity\":1,\"waitlist\":true,\"fields\":[\"name\"]}}]}";
    FILE *out = null_out();
    /* Forced: two activities in place of the sample's 31 (import safety). */
    assert_int_equal(hub_import_feed(fx->db, doc, strlen(doc), t(RECEIVED), true, out, out),
                     HUB_IMPORT_OK);
    fclose(out);
    for (int waitlist = 0; waitlist < 2; waitlist++) {
        for (int round = 0; round < ROUNDS; round++) {
            pthread_barrier_t start;
            pthread_barrier_init(&start, NULL, RACERS);
            struct racer racers[RACERS];
            pthread_t threads[RACERS];
            for (int i = 0; i < RACERS; i++) {
                racers[i] = (struct racer){.path = fx->path, .start = &start, .index = i,
                                           .round = round, .waitlist = waitlist};
                assert_int_equal(pthread_create(&threads[i], NULL, race, &racers[i]), 0);
            }
            int confirmed = 0, waitlisted = 0, full = 0;
            for (int i = 0; i < RACERS; i++) {
                pthread_join(threads[i], NULL);
                if (strcmp(racers[i].body, "{\"status\":\"confirmed\"}") == 0)
                    confirmed++;
                else if (strstr(racers[i].body, "waitlisted"))
                    waitlisted++;
                else if (strcmp(racers[i].body, "{\"status\":\"full\"}") == 0)
                    full++;
                else
                    printf("racer %d: %u %s\n", i, racers[i].status, racers[i].body);
            }
            pthread_barrier_destroy(&start);
            assert_int_equal(confirmed, 1);
            assert_int_equal(waitlist ? waitlisted : full, RACERS - 1);
        }
    }
}

/* ---- refusals change nothing -------------------------------------------------------- */

static void test_refused_imports(void **state)
{
    struct fixture *fx = *state;
    struct hub_feed_body before, after;
    assert_true(hub_feed_build(fx->db, NULL, &before));
    size_t len;
    char *sample = read_file(data_path("BK_ASSETS", "sample-feed.json"), &len);
    char broken[] = "/tmp/hub-unit-broken-XXXXXX";
    int fd = mkstemp(broken);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, sample, len / 2), (ssize_t)(len / 2));
    close(fd);
    free(sample);
    assert_int_equal(import_path(fx->db, broken, t(RECEIVED)), HUB_IMPORT_REFUSED);
    unlink(broken);
    const char *v2 = "{\"format\":\"buurtkiosk-feed\",\"version\":2}";
    FILE *out = null_out();
    assert_int_equal(hub_import_feed(fx->db, v2, strlen(v2), t(RECEIVED), false, out, out),
                     HUB_IMPORT_REFUSED);
    const char *bad_csv = "id,title_nl,starts_at,location_id\n"
                          "ok-1,Goed,2026-12-01 10:00,loc-liendert\n"
                          "bad-1,Fout,2026-12-01 10:00,loc-nergens\n";
    assert_int_equal(hub_import_csv(fx->db, bad_csv, strlen(bad_csv), t(RECEIVED), false, out, out),
                     HUB_IMPORT_REFUSED);
    const char *unknown_column = "id,title_nl,starts_at,colour\nx,y,2026-12-01 10:00,red\n";
    assert_int_equal(hub_import_csv(fx->db, unknown_column, strlen(unknown_column), t(RECEIVED), false,
                                    out, out),
                     HUB_IMPORT_REFUSED);
    fclose(out);
    assert_true(hub_feed_build(fx->db, NULL, &after));
    assert_string_equal(before.etag, after.etag);
    hub_feed_body_clear(&before);
    hub_feed_body_clear(&after);
}

static void test_csv_import(void **state)
{
    struct fixture *fx = *state;
    /* 3 rows in place of the sample's 31 activities: refused, then forced. */
    assert_int_equal(import_path(fx->db, data_path("BK_TEST_DATA", "hub/activities.csv"),
                                 t(RECEIVED)),
                     HUB_IMPORT_REFUSED);
    assert_int_equal(import_path_forced(fx->db, data_path("BK_TEST_DATA", "hub/activities.csv"),
                                        t(RECEIVED), true),
                     HUB_IMPORT_OK);
    struct hub_feed_body b;
    assert_true(hub_feed_build(fx->db, NULL, &b));
    struct feed_report rep;
    parse_feed(&b, &rep);
    assert_int_equal(rep.kept[FEED_LOCATION], 5);
    assert_int_equal(rep.kept[FEED_ACTIVITY], 3);
    assert_int_equal(rep.kept[FEED_SERVICE], 21);
    feed_report_clear(&rep);
    json_t *brei = activity_in(&b, "act-breicafe");
    assert_non_null(brei);
    assert_string_equal(json_string_value(json_object_get(brei, "starts_at")),
                        "2026-12-01T14:00:00+01:00");
    assert_string_equal(json_string_value(json_object_get(brei, "ends_at")),
                        "2026-12-01T16:00:00+01:00");
    assert_string_equal(json_string_value(json_array_get(json_object_get(brei, "exdates"), 0)),
                        "2026-12-29T14:00:00+01:00");
    json_t *signup = json_object_get(brei, "signup");
    assert_int_equal(json_integer_value(json_object_get(signup, "capacity")), 12);
    assert_true(json_is_true(json_object_get(signup, "waitlist")));
    assert_int_equal(json_array_size(json_object_get(signup, "fields")), 2);
    assert_int_equal(json_array_size(json_object_get(brei, "audience")), 2);
    json_decref(brei);
    json_t *markt = activity_in(&b, "act-kerstmarkt");
    assert_string_equal(json_string_value(json_object_get(markt, "starts_at")),
                        "2026-12-19T11:00:00+01:00");
    assert_null(json_object_get(markt, "signup"));
    json_decref(markt);
    hub_feed_body_clear(&b);

    /* A sign-up for a CSV activity works like any other. */
    char body[200];
    assert_int_equal(submit(fx->db, "00000001-0000-4000-8000-000000000001", "k1", "act-breicafe",
                            "2026-12-08T14:00:00+01:00", 1, false, CREATED, t(RECEIVED), body),
                     201);
    assert_int_equal(submit(fx->db, "00000001-0000-4000-8000-000000000002", "k1", "act-breicafe",
                            "2026-12-29T14:00:00+01:00", 1, false, CREATED, t(RECEIVED), body),
                     422);
}

/* ---- retention ------------------------------------------------------------------------- */

static void test_retention(void **state)
{
    struct fixture *fx = *state;
    char body[200];
    assert_int_equal(submit(fx->db, "00000002-0000-4000-8000-000000000001", "k1", "act-digicafe",
                            "2026-12-03T10:00:00+01:00", 1, false, CREATED, t(RECEIVED), body),
                     201);
    int64_t occurrence = t("2026-12-03T10:00:00+01:00");
    assert_int_equal(hub_signup_erase_expired(fx->db, occurrence + 29 * 86400, 30), 0);
    assert_int_equal(hub_signup_erase_expired(fx->db, occurrence + 31 * 86400, 30), 1);
    assert_int_equal(hub_signup_erase_expired(fx->db, occurrence + 32 * 86400, 30), 0);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(hub_db_handle(fx->db),
                                        "SELECT name, phone, status, party_size FROM signups",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_type(st, 0), SQLITE_NULL);
    assert_int_equal(sqlite3_column_type(st, 1), SQLITE_NULL);
    assert_string_equal((const char *)sqlite3_column_text(st, 2), "confirmed");
    assert_int_equal(sqlite3_column_int(st, 3), 1);
    sqlite3_finalize(st);
    /* The bytes are gone from the file and the WAL as SQLite sees them. */
    char cmd[300];
    snprintf(cmd, sizeof cmd, "cat %s* | grep -c 'Jan Jansen' >/dev/null", fx->path);
    assert_int_not_equal(system(cmd), 0);
}

/* Many sign-ups with random ids (as kiosks make them) for two dates: after
 * the earlier date's retention has passed, no byte of its personal data is
 * left in the file or the WAL, while the later date's is still there. Page
 * splits and rebalancing happen on the way, which is where an old copy of
 * a row could hide from secure_delete. */
static void test_retention_leaves_no_bytes(void **state)
{
    struct fixture *fx = *state;
    static const char *const dates[] = {"2026-12-03T10:00:00+01:00", "2026-12-10T10:00:00+01:00"};
    static const char *const names[] = {"Oud-Persoon", "Nieuw-Persoon"};
    for (int i = 0; i < 400; i++) {
        unsigned char b[16];
        randombytes_buf(b, sizeof b);
        char text[1024];
        snprintf(text, sizeof text,
                 "{\"signup_id\":\"%02x%02x%02x%02x-%02x%02x-4%01x%02x-8%01x%02x-"
                 "%02x%02x%02x%02x%02x%02x\",\"kiosk_id\":\"k1\",\"activity_id\":"
                 "\"act-digicafe\",\"occurrence\":\"%s\",\"name\":\"%s %d\","
                 "\"phone\":\"0612345678\",\"email\":\"%s-%d@example.org\",\"party_size\":1,"
                 "\"remark\":\"%s rolstoel\",\"waitlist_ok\":true,\"language\":\"nl\","
                 "\"created_at\":\"" CREATED "\"}",
                 b[0], b[1], b[2], b[3], b[4], b[5], b[6] & 15, b[7], b[8] & 15, b[9], b[10], b[11],
                 b[12], b[13], b[14], b[15], dates[i % 2], names[i % 2], i, names[i % 2], i,
                 names[i % 2]);
        struct hub_signup_request req;
        char err[160];
        assert_true(hub_signup_parse(text, strlen(text), &req, err, sizeof err));
        struct hub_signup_answer answer;
        assert_true(hub_signup_submit(fx->db, &req, t(RECEIVED), &answer));
        hub_signup_request_clear(&req);
    }
    char cmd[300];
    snprintf(cmd, sizeof cmd, "cat %s* | grep -c -a 'Oud-Persoon' >/dev/null", fx->path);
    assert_int_equal(system(cmd), 0); /* sanity: the search finds what is there */
    int64_t first = t(dates[0]);
    assert_int_equal(hub_signup_erase_expired(fx->db, first + 31 * 86400, 30), 200);
    assert_int_not_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "cat %s* | grep -c -a 'Nieuw-Persoon' >/dev/null", fx->path);
    assert_int_equal(system(cmd), 0);
}

/* Tokens are 43 URL-safe base64 characters, and never start with '-' (a
 * technician pastes them into shell commands). With 300 tokens a leading
 * '-' would show up 99 times in 100 if it were allowed. */
static void test_tokens_never_start_with_a_dash(void **state)
{
    struct fixture *fx = *state;
    for (int i = 0; i < 300; i++) {
        char id[32], token[HUB_TOKEN_LEN + 1];
        snprintf(id, sizeof id, "kiosk-%d", i);
        assert_int_equal(hub_db_kiosk_add(fx->db, id, NULL, t(RECEIVED), token), HUB_KIOSK_OK);
        assert_int_equal(strlen(token), HUB_TOKEN_LEN);
        if (token[0] == '-')
            fail_msg("token %d starts with '-'", i);
        assert_int_equal(strspn(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                       "0123456789-_"),
                         HUB_TOKEN_LEN);
    }
}

/* A hub whose database cannot grow (SQLite's own SQLITE_FULL, through
 * max_page_count) answers 503 with a Retry-After, stores nothing half, and
 * takes the same sign-up once there is room. */
static void test_full_database_is_temporary(void **state)
{
    struct fixture *fx = *state;
    sqlite3 *db = hub_db_handle(fx->db);
    assert_int_equal(sqlite3_exec(db, "PRAGMA max_page_count = 1", NULL, NULL, NULL), SQLITE_OK);
    char id[37], body[200];
    unsigned status = 0;
    int stored = 0, i;
    /* max_page_count cannot go below the current size: the file is now
     * capped where it stands, and a few rows may still fit. */
    for (i = 0; i < 200; i++) {
        uuid(500 + i, id);
        status = submit(fx->db, id, "k1", "act-samen-eten-liendert",
                        "2026-12-10T17:30:00+01:00", 1, true,
                        CREATED, t(RECEIVED), body);
        if (status != 201)
            break;
        stored++;
    }
    assert_int_equal(status, 503);
    assert_string_equal(body, "{\"error\":\"the hub cannot store sign-ups now, try again later\"}");
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM signups", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), stored);
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_exec(db, "PRAGMA max_page_count = 1000000", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(submit(fx->db, id, "k1", "act-samen-eten-liendert",
                        "2026-12-10T17:30:00+01:00", 1,
                            true, CREATED, t(RECEIVED), body),
                     201);
}

/* ---- a disk that fills up or fails -------------------------------------------------------
 *
 * A VFS in front of the default one whose writes and reads fail, once told
 * to, the way the unix VFS fails them on a full disk (SQLITE_FULL) or a
 * failing one (SQLITE_IOERR_*). max_page_count above makes SQLite refuse a
 * page while a statement runs; a real disk in WAL mode fills up later, at
 * COMMIT, when the transaction's pages reach the WAL, and a failing one can
 * fail any read of the transaction, the first one included. */

struct failing_disk {
    sqlite3_vfs vfs;                /* first: SQLite hands this pointer back */
    sqlite3_vfs *real;
    int write_error;                /* SQLITE_OK = writes go through */
    int read_error;                 /* for reads of the database file ... */
    sqlite3_int64 read_error_from;  /* ... at this offset or later */
};

struct failing_file {
    sqlite3_file base;              /* first: SQLite hands this pointer back */
    struct failing_disk *disk;
    bool main_db;                   /* the database file, not its WAL or -shm */
    sqlite3_file *real;             /* the real VFS's file, right after this struct */
};

static sqlite3_file *real_file(sqlite3_file *f)
{
    return ((struct failing_file *)f)->real;
}

static int ff_close(sqlite3_file *f)
{
    return real_file(f)->pMethods->xClose(real_file(f));
}

static int ff_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
    const struct failing_file *ff = (const struct failing_file *)f;
    if (ff->main_db && ff->disk->read_error != SQLITE_OK && off >= ff->disk->read_error_from)
        return ff->disk->read_error;
    return real_file(f)->pMethods->xRead(real_file(f), buf, n, off);
}

static int ff_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
    int error = ((struct failing_file *)f)->disk->write_error;
    if (error != SQLITE_OK)
        return error;
    return real_file(f)->pMethods->xWrite(real_file(f), buf, n, off);
}

static int ff_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    return real_file(f)->pMethods->xTruncate(real_file(f), size);
}

static int ff_sync(sqlite3_file *f, int flags)
{
    return real_file(f)->pMethods->xSync(real_file(f), flags);
}

static int ff_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return real_file(f)->pMethods->xFileSize(real_file(f), size);
}

static int ff_lock(sqlite3_file *f, int level)
{
    return real_file(f)->pMethods->xLock(real_file(f), level);
}

static int ff_unlock(sqlite3_file *f, int level)
{
    return real_file(f)->pMethods->xUnlock(real_file(f), level);
}

static int ff_check_reserved_lock(sqlite3_file *f, int *out)
{
    return real_file(f)->pMethods->xCheckReservedLock(real_file(f), out);
}

static int ff_file_control(sqlite3_file *f, int op, void *arg)
{
    return real_file(f)->pMethods->xFileControl(real_file(f), op, arg);
}

static int ff_sector_size(sqlite3_file *f)
{
    return real_file(f)->pMethods->xSectorSize(real_file(f));
}

static int ff_device_characteristics(sqlite3_file *f)
{
    return real_file(f)->pMethods->xDeviceCharacteristics(real_file(f));
}

static int ff_shm_map(sqlite3_file *f, int region, int size, int extend, void volatile **out)
{
    return real_file(f)->pMethods->xShmMap(real_file(f), region, size, extend, out);
}

static int ff_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    return real_file(f)->pMethods->xShmLock(real_file(f), offset, n, flags);
}

static void ff_shm_barrier(sqlite3_file *f)
{
    real_file(f)->pMethods->xShmBarrier(real_file(f));
}

static int ff_shm_unmap(sqlite3_file *f, int delete_flag)
{
    return real_file(f)->pMethods->xShmUnmap(real_file(f), delete_flag);
}

static int ff_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **out)
{
    return real_file(f)->pMethods->xFetch(real_file(f), off, n, out);
}

static int ff_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    return real_file(f)->pMethods->xUnfetch(real_file(f), off, p);
}

static const sqlite3_io_methods failing_io = {
    .iVersion = 3,
    .xClose = ff_close,
    .xRead = ff_read,
    .xWrite = ff_write,
    .xTruncate = ff_truncate,
    .xSync = ff_sync,
    .xFileSize = ff_file_size,
    .xLock = ff_lock,
    .xUnlock = ff_unlock,
    .xCheckReservedLock = ff_check_reserved_lock,
    .xFileControl = ff_file_control,
    .xSectorSize = ff_sector_size,
    .xDeviceCharacteristics = ff_device_characteristics,
    .xShmMap = ff_shm_map,
    .xShmLock = ff_shm_lock,
    .xShmBarrier = ff_shm_barrier,
    .xShmUnmap = ff_shm_unmap,
    .xFetch = ff_fetch,
    .xUnfetch = ff_unfetch,
};

static int fd_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags,
                   int *out_flags)
{
    struct failing_disk *disk = (struct failing_disk *)vfs;
    struct failing_file *f = (struct failing_file *)file;
    f->disk = disk;
    f->main_db = (flags & SQLITE_OPEN_MAIN_DB) != 0;
    f->real = (sqlite3_file *)(f + 1);
    int rc = disk->real->xOpen(disk->real, name, f->real, flags, out_flags);
    /* SQLite closes a file whose pMethods is set, even after a failed open. */
    f->base.pMethods = f->real->pMethods ? &failing_io : NULL;
    return rc;
}

static sqlite3_vfs *real_vfs(sqlite3_vfs *vfs)
{
    return ((struct failing_disk *)vfs)->real;
}

static int fd_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
    return real_vfs(vfs)->xDelete(real_vfs(vfs), name, sync_dir);
}

static int fd_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    return real_vfs(vfs)->xAccess(real_vfs(vfs), name, flags, out);
}

static int fd_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
    return real_vfs(vfs)->xFullPathname(real_vfs(vfs), name, n, out);
}

static int fd_randomness(sqlite3_vfs *vfs, int n, char *out)
{
    return real_vfs(vfs)->xRandomness(real_vfs(vfs), n, out);
}

static int fd_sleep(sqlite3_vfs *vfs, int microseconds)
{
    return real_vfs(vfs)->xSleep(real_vfs(vfs), microseconds);
}

static int fd_current_time(sqlite3_vfs *vfs, double *out)
{
    return real_vfs(vfs)->xCurrentTime(real_vfs(vfs), out);
}

static int fd_get_last_error(sqlite3_vfs *vfs, int n, char *out)
{
    return real_vfs(vfs)->xGetLastError(real_vfs(vfs), n, out);
}

static int fd_current_time_int64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
    return real_vfs(vfs)->xCurrentTimeInt64(real_vfs(vfs), out);
}

/* A failing disk as the default VFS, so that hub_db_open() uses it. */
static struct failing_disk *failing_disk_register(void)
{
    struct failing_disk *disk = calloc(1, sizeof *disk);
    assert_non_null(disk);
    disk->real = sqlite3_vfs_find(NULL);
    assert_non_null(disk->real);
    assert_true(disk->real->iVersion >= 2);
    disk->vfs = (sqlite3_vfs){
        .iVersion = 2,
        .szOsFile = (int)sizeof(struct failing_file) + disk->real->szOsFile,
        .mxPathname = disk->real->mxPathname,
        .zName = "failing-disk",
        .xOpen = fd_open,
        .xDelete = fd_delete,
        .xAccess = fd_access,
        .xFullPathname = fd_full_pathname,
        .xRandomness = fd_randomness,
        .xSleep = fd_sleep,
        .xCurrentTime = fd_current_time,
        .xGetLastError = fd_get_last_error,
        .xCurrentTimeInt64 = fd_current_time_int64,
    };
    assert_int_equal(sqlite3_vfs_register(&disk->vfs, 1), SQLITE_OK);
    return disk;
}

static int signups_with_id(struct hub_db *db, const char *id)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(hub_db_handle(db),
                                        "SELECT count(*) FROM signups WHERE signup_id = ?1", -1,
                                        &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Also after a failed assertion, the tests that follow get the real disk. */
static int teardown_failing_disk(void **state)
{
    struct fixture *fx = *state;
    if (fx->disk) {
        sqlite3_vfs_unregister(&fx->disk->vfs);
        free(fx->disk);
    }
    return teardown(state);
}

/* Every page this connection has cached is read again from the database
 * file: another connection writes, and moves the whole WAL into the file. */
static void make_cache_stale(struct hub_db *other)
{
    assert_true(hub_db_bump_state(other));
    assert_int_equal(sqlite3_wal_checkpoint_v2(hub_db_handle(other), NULL,
                                               SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL),
                     SQLITE_OK);
}

/* A disk that is full or fails wherever a sign-up's transaction meets it
 * answers 503 with the storage Retry-After (the kiosk keeps the sign-up),
 * never 500, stores nothing, and takes the same sign-up once the disk
 * works again. */
static void test_failing_disk_is_temporary(void **state)
{
    struct fixture *fx = *state;
    int page_size = 0;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(hub_db_handle(fx->db), "PRAGMA page_size", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    page_size = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    const struct {
        const char *where;
        int write_error, read_error;
        sqlite3_int64 read_error_from;
    } cases[] = {
        {"full at COMMIT", SQLITE_FULL, SQLITE_OK, 0},
        {"failing at COMMIT", SQLITE_IOERR_WRITE, SQLITE_OK, 0},
        {"failing at BEGIN (page 1)", SQLITE_OK, SQLITE_IOERR_READ, 0},
        {"failing after BEGIN (looking for an earlier answer)", SQLITE_OK, SQLITE_IOERR_READ,
         page_size},
    };
    struct failing_disk *disk = fx->disk = failing_disk_register();
    char err[256];
    struct hub_db *db = hub_db_open(fx->path, HUB_DB_EXISTING, err, sizeof err);
    assert_non_null(db);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char id[37];
        uuid(600 + (int)i, id);
        make_cache_stale(fx->db);
        disk->write_error = cases[i].write_error;
        disk->read_error = cases[i].read_error;
        disk->read_error_from = cases[i].read_error_from;
        struct hub_signup_answer answer =
            submit_answer(db, id, "k1", "act-samen-eten-liendert", "2026-12-10T17:30:00+01:00",
                          1, false, CREATED, t(RECEIVED));
        disk->write_error = disk->read_error = SQLITE_OK;
        if (answer.status != 503 || answer.retry_after_s != HUB_STORAGE_RETRY_AFTER_S)
            fail_msg("a disk %s answered %u (Retry-After %u) %s", cases[i].where, answer.status,
                     answer.retry_after_s, answer.body);
        assert_string_equal(answer.body,
                            "{\"error\":\"the hub cannot store sign-ups now, try again later\"}");
        assert_int_equal(signups_with_id(fx->db, id), 0);
        answer = submit_answer(db, id, "k1", "act-samen-eten-liendert",
                               "2026-12-10T17:30:00+01:00", 1, false, CREATED, t(RECEIVED));
        assert_int_equal(answer.status, 201);
        assert_int_equal(signups_with_id(fx->db, id), 1);
    }
    hub_db_close(db);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    tz_use_zone("Europe/Amsterdam");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_feed_all, setup, teardown),
        cmocka_unit_test_setup_teardown(test_feed_filtered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signup_decisions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_last_place_race, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_imports, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_import, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retention, setup, teardown),
        cmocka_unit_test_setup_teardown(test_retention_leaves_no_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tokens_never_start_with_a_dash, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full_database_is_temporary, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failing_disk_is_temporary, setup,
                                        teardown_failing_disk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
