/*
 * The SQLite cache on a real file: schema, the swap, the queries the
 * screens use, the occurrence window, and a swap killed at random points.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "model/store.h"
#include "model/store_private.h" /* to break tables under the store */
#include "temp_store.h"
#include "base/timeutil.h"

struct fixture {
    char dir[TEMP_STORE_DIR_LEN];
    char path[TEMP_STORE_PATH_LEN];
    struct store *store;
};

static int64_t at(const char *text)
{
    int64_t t = 0;
    assert_true(rfc3339_parse(text, &t));
    return t;
}

static int setup(void **state)
{
    if (!tz_use_zone("Europe/Amsterdam"))
        return -1;
    struct fixture *f = calloc(1, sizeof *f);
    f->store = temp_store_open("store", f->dir, f->path);
    if (!f->store)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    bool removed = temp_store_remove(f->store, f->dir);
    free(f);
    return removed ? 0 : -1;
}

/* Runs sql on the closed store's file with SQLite alone (to make the
 * file an older kiosk left), then opens the store on it again. */
static void rewrite_then_open(struct fixture *f, const char *sql)
{
    store_close(f->store);
    f->store = NULL;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    char err[256];
    f->store = store_open(f->path, err, sizeof err);
    assert_non_null(f->store);
}

static const char *const small_feed =
    "{\"format\":\"buurtkiosk-feed\",\"version\":1,"
    "\"generated_at\":\"2026-11-24T08:00:00+01:00\","
    "\"locations\":[{\"id\":\"loc-a\",\"name\":\"A\"},{\"id\":\"loc-b\",\"name\":\"B\"}],"
    "\"activities\":["
    /* weekly on Thursday at loc-a, one Thursday cancelled, a capacity */
    "{\"id\":\"koffie\",\"title\":{\"nl\":\"Koffie\",\"en\":\"Coffee\"},"
    "\"starts_at\":\"2026-11-26T10:00:00+01:00\",\"ends_at\":\"2026-11-26T11:30:00+01:00\","
    "\"rrule\":\"FREQ=WEEKLY;BYDAY=TH\",\"exdates\":[\"2026-12-03T09:00:00Z\"],"
    "\"themes\":[\"leefbaarheid\"],\"location_id\":\"loc-a\","
    "\"signup\":{\"capacity\":10,\"taken\":{\"2026-11-26T09:00:00Z\":4},\"waitlist\":true}},"
    /* one-off at loc-b with an unknown theme */
    "{\"id\":\"repair\",\"title\":\"Repair café\",\"starts_at\":\"2026-11-28T13:00:00+01:00\","
    "\"themes\":[\"duurzaamheid\"],\"location_id\":\"loc-b\"},"
    /* yesterday: outside the window */
    "{\"id\":\"gisteren\",\"title\":\"Gisteren\",\"starts_at\":\"2026-11-24T10:00:00+01:00\"}],"
    "\"services\":["
    "{\"id\":\"geld\",\"name\":\"Geldzaken\",\"topics\":[\"geldzaken\"]},"
    "{\"id\":\"nieuw\",\"name\":\"Nieuw\",\"topics\":[\"ruimtevaart\"]}],"
    "\"announcements\":[{\"id\":\"x\",\"text\":\"Gesloten\",\"priority\":\"urgent\"}]}";

static enum feed_result apply(struct store *s, const char *doc, const char *etag, int64_t now)
{
    struct feed_origin origin = {.etag = etag};
    struct feed_report r;
    enum feed_result result = store_apply_feed(s, doc, strlen(doc), &origin, now, &r);
    feed_report_clear(&r);
    return result;
}

static bool count_row(void *ctx, const struct occurrence_row *row)
{
    (void)row;
    (*(int *)ctx)++;
    return true;
}

static bool first_hit(void *ctx, const struct search_hit *hit)
{
    snprintf(ctx, 64, "%s", hit->occurrence ? hit->occurrence->activity_id : hit->service->id);
    return false;
}

static bool first_taken(void *ctx, const struct occurrence_row *row)
{
    *(int64_t *)ctx = row->taken;
    return false;
}

static int count_occurrences(struct store *s, int64_t from, int64_t until, const char *loc,
                             const char *theme)
{
    int n = 0;
    struct occurrence_query q = {.from = from, .until = until, .location_id = loc, .theme = theme};
    assert_true(store_query_occurrences(s, &q, count_row, &n));
    return n;
}

static void test_schema_and_fresh_status(void **state)
{
    struct fixture *f = *state;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), STORE_SCHEMA_VERSION);
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    sqlite3_close(db);

    struct store_status status;
    assert_true(store_status(f->store, &status));
    assert_int_equal(status.activities, 0);
    assert_false(status.has_feed_etag);
    assert_int_equal(status.last_sync_ok_at, 0);
    assert_int_equal(status.outbox_pending, 0);
}

/* "name:col,col;" for each index on the content tables, by name. */
static void index_columns(const char *path, char *out, size_t len)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT m.name, group_concat(i.name) FROM sqlite_schema m,"
                                        " pragma_index_info(m.name) i WHERE m.type = 'index'"
                                        " AND m.tbl_name IN ('occurrence', 'activity')"
                                        " GROUP BY m.name ORDER BY m.name",
                                        -1, &st, NULL),
                     SQLITE_OK);
    size_t used = 0;
    out[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW)
        used += (size_t)snprintf(out + used, len - used, "%s:%s;", sqlite3_column_text(st, 0),
                                 sqlite3_column_text(st, 1));
    assert_true(used < len);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* The indexes a swap rebuilds are the ones the migrations made, and a
 * database of schema 2 is brought to the same indexes. */
static void test_indexes_after_migration_and_swap(void **state)
{
    struct fixture *f = *state;
    static const char expected[] =
        "activity_card:id,title,has_signup,capacity;"
        "occurrence_by_start:starts_at,activity_id,ends_at,location_id,taken;"
        "sqlite_autoindex_activity_1:id;";
    char fresh[512], swapped[512], migrated[512];
    index_columns(f->path, fresh, sizeof fresh);
    assert_string_equal(fresh, expected);
    assert_int_equal(apply(f->store, small_feed, NULL, at("2026-11-25T09:00:00+01:00")),
                     FEED_ACCEPTED);
    index_columns(f->path, swapped, sizeof swapped);
    assert_string_equal(swapped, expected);

    /* Back to the indexes of schema 2, then open again. */
    rewrite_then_open(f,
                      "DROP INDEX activity_card; DROP TABLE image;"
                      " ALTER TABLE service DROP COLUMN image;"
                      " ALTER TABLE activity DROP COLUMN lease;"
                      " ALTER TABLE activity DROP COLUMN lease_by_occurrence;"
                      /* schema 2's occurrence: a rowid table, its key an index */
                      " CREATE TABLE occurrence_2(activity_id TEXT NOT NULL,"
                      " starts_at INTEGER NOT NULL, ends_at INTEGER NOT NULL,"
                      " location_id TEXT, taken INTEGER NOT NULL DEFAULT 0);"
                      " INSERT INTO occurrence_2 SELECT activity_id, starts_at,"
                      " ends_at, location_id, taken FROM occurrence;"
                      " DROP TABLE occurrence;"
                      " ALTER TABLE occurrence_2 RENAME TO occurrence;"
                      " CREATE INDEX occurrence_key ON occurrence(activity_id,"
                      " starts_at);"
                      " ALTER TABLE outbox DROP COLUMN within_lease;"
                      " ALTER TABLE outbox DROP COLUMN acked_seq;"
                      " ALTER TABLE outbox DROP COLUMN added_seq;"
                      " ALTER TABLE outbox DROP COLUMN sealed;"
                      " DROP TABLE search_terms; DROP TABLE search_index;"
                      " DROP TABLE search_term;"
                      " CREATE INDEX occurrence_by_start ON occurrence(starts_at);"
                      " CREATE INDEX occurrence_by_location ON occurrence(location_id,"
                      " starts_at); PRAGMA user_version=2;");
    index_columns(f->path, migrated, sizeof migrated);
    assert_string_equal(migrated, expected);
    int64_t today = at("2026-11-25T00:00:00+01:00");
    assert_int_equal(count_occurrences(f->store, today, today + 7 * 86400, NULL, NULL), 2);
    assert_int_equal(count_occurrences(f->store, today, today + 7 * 86400, "loc-b", NULL), 1);

    /* Schemas 4 and 8 filled the search index from the tables: a hit is
     * known by its rowid (an activity's, or a service's past 1 << 40). */
    static const struct {
        const char *query, *want;
    } searches[] = {
        {"coffee", "koffie"},   /* the activity's English title */
        {"geldzaken", "geld"},  /* a service */
        {"leefbaarheid", "koffie"},
        {"nergens", NULL},      /* must fail: nothing says it */
    };
    for (size_t i = 0; i < sizeof searches / sizeof *searches; i++) {
        char hit[64] = "";
        assert_true(store_search(f->store, searches[i].query, at("2026-11-25T09:00:00+01:00"), 5,
                                 first_hit, hit));
        assert_string_equal(hit, searches[i].want ? searches[i].want : "");
    }
}

/* Every occurrence row, in key order, as text. */
static void occurrence_rows(sqlite3 *db, char *out, size_t len)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT activity_id, starts_at, ends_at,"
                                        " ifnull(location_id, '-'), taken, lease FROM occurrence"
                                        " ORDER BY activity_id, starts_at",
                                        -1, &st, NULL),
                     SQLITE_OK);
    size_t used = 0;
    out[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW)
        used += (size_t)snprintf(out + used, len - used, "%s,%lld,%lld,%s,%lld,%lld;",
                                 sqlite3_column_text(st, 0),
                                 (long long)sqlite3_column_int64(st, 1),
                                 (long long)sqlite3_column_int64(st, 2), sqlite3_column_text(st, 3),
                                 (long long)sqlite3_column_int64(st, 4),
                                 (long long)sqlite3_column_int64(st, 5));
    assert_true(used < len);
    sqlite3_finalize(st);
}

static int count_sql(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Schema 9 keys occurrence by (activity_id, starts_at) WITHOUT ROWID: a
 * schema 8 cache keeps every row, a row stored twice comes out once, and
 * the queries find the same occurrences. */
/* Applies small_feed, writes its occurrence rows to rows and returns
 * what count_query counts (some). */
static int apply_small_feed(struct fixture *f, int64_t now, char *rows, size_t len,
                            const char *count_query)
{
    assert_int_equal(apply(f->store, small_feed, NULL, now), FEED_ACCEPTED);
    occurrence_rows(store_db(f->store), rows, len);
    int n = count_sql(store_db(f->store), count_query);
    assert_true(n > 0);
    return n;
}

static void test_occurrence_key_migration(void **state)
{
    struct fixture *f = *state;
    int64_t now = at("2026-11-25T09:00:00+01:00");
    char before[1024], after[1024];
    int rows = apply_small_feed(f, now, before, sizeof before, "SELECT count(*) FROM occurrence");

    /* Back to schema 8's occurrence, with one row stored twice (a plain
     * table took it). */
    store_close(f->store);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE TABLE occurrence_8(activity_id TEXT NOT NULL,"
                                  " starts_at INTEGER NOT NULL, ends_at INTEGER NOT NULL,"
                                  " location_id TEXT, taken INTEGER NOT NULL DEFAULT 0,"
                                  " lease INTEGER NOT NULL DEFAULT 0);"
                                  " INSERT INTO occurrence_8 SELECT activity_id, starts_at,"
                                  " ends_at, location_id, taken, lease FROM occurrence;"
                                  " INSERT INTO occurrence_8 SELECT * FROM occurrence_8"
                                  " WHERE activity_id = 'repair';"
                                  " DROP TABLE occurrence;"
                                  " ALTER TABLE occurrence_8 RENAME TO occurrence;"
                                  " CREATE INDEX occurrence_key ON occurrence(activity_id,"
                                  " starts_at);"
                                  " CREATE INDEX occurrence_by_start ON occurrence(starts_at,"
                                  " activity_id, ends_at, location_id, taken);"
                                  " PRAGMA user_version=8;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(count_sql(db, "SELECT count(*) FROM occurrence"), rows + 1);
    sqlite3_close(db);

    char err[256];
    f->store = store_open(f->path, err, sizeof err);
    assert_non_null(f->store);
    db = store_db(f->store);
    assert_int_equal(count_sql(db, "PRAGMA user_version"), 9);
    occurrence_rows(db, after, sizeof after);
    assert_string_equal(after, before);
    /* The key is the table's own: no rowid, no separate index. */
    sqlite3_stmt *st = NULL;
    assert_int_not_equal(sqlite3_prepare_v2(db, "SELECT rowid FROM occurrence", -1, &st, NULL),
                         SQLITE_OK);
    sqlite3_finalize(st);
    assert_int_equal(count_sql(db, "SELECT count(*) FROM pragma_table_info('occurrence')"
                                   " WHERE (pk, name) IN (VALUES(1, 'activity_id'),"
                                   " (2, 'starts_at'))"),
                     2);
    assert_int_equal(count_sql(db, "SELECT count(*) FROM sqlite_schema"
                                   " WHERE name = 'occurrence_key'"),
                     0);

    int64_t today = at("2026-11-25T00:00:00+01:00");
    assert_int_equal(count_occurrences(f->store, today, today + 7 * 86400, NULL, NULL), 2);
    assert_int_equal(count_occurrences(f->store, today, today + 7 * 86400, "loc-b", NULL), 1);
    int64_t lease = -1;
    assert_int_equal(store_occurrence_lease(f->store, "koffie", at("2026-11-26T10:00:00+01:00"),
                                            &lease),
                     STORE_FOUND);
    assert_int_equal(store_occurrence_lease(f->store, "koffie", at("2026-11-26T10:00:01+01:00"),
                                            &lease),
                     STORE_NOT_FOUND);
    /* A swap afterwards stores the same rows again. */
    assert_int_equal(apply(f->store, small_feed, NULL, now), FEED_ACCEPTED);
    occurrence_rows(store_db(f->store), after, sizeof after);
    assert_string_equal(after, before);
}

/* A cache from before 16 KiB pages: store_open_checked rewrites it once,
 * content and all; while another connection holds the file it is left as
 * it is and still serves. */
static void test_page_size_conversion(void **state)
{
    struct fixture *f = *state;
    int64_t now = at("2026-11-25T09:00:00+01:00");
    store_close(f->store);
    f->store = NULL;
    unlink(f->path);
    rewrite_then_open(f, "PRAGMA page_size=4096; PRAGMA journal_mode=WAL;"
                         " CREATE TABLE early(x); DROP TABLE early;");
    assert_int_equal(count_sql(store_db(f->store), "PRAGMA page_size"), 4096);
    char before[1024], after[1024];
    int activities = apply_small_feed(f, now, before, sizeof before,
                                      "SELECT count(*) FROM activity");
    store_close(f->store);

    /* Another process has it open (a `buurtkiosk sync` beside the kiosk):
     * no conversion, no wait, the cache as it was. */
    sqlite3 *db;
    char err[256];
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(count_sql(db, "SELECT count(*) FROM activity"), activities);
    f->store = store_open_checked(f->path, err, sizeof err);
    assert_non_null(f->store);
    assert_int_equal(count_sql(store_db(f->store), "PRAGMA page_size"), 4096);
    assert_int_equal(count_sql(store_db(f->store), "SELECT count(*) FROM activity"), activities);
    assert_int_equal(apply(f->store, small_feed, NULL, now), FEED_ACCEPTED);
    store_close(f->store);
    sqlite3_close(db);

    /* Alone: rewritten with 16 KiB pages, in WAL again, the same rows. */
    f->store = store_open_checked(f->path, err, sizeof err);
    assert_non_null(f->store);
    db = store_db(f->store);
    assert_int_equal(count_sql(db, "PRAGMA page_size"), 16384);
    assert_int_equal(count_sql(db, "SELECT count(*) FROM pragma_journal_mode"
                                   " WHERE journal_mode = 'wal'"),
                     1);
    assert_int_equal(count_sql(db, "SELECT count(*) FROM activity"), activities);
    occurrence_rows(db, after, sizeof after);
    assert_string_equal(after, before);
    assert_int_equal(count_sql(db, "SELECT count(*) FROM pragma_integrity_check"
                                   " WHERE integrity_check = 'ok'"),
                     1);
    assert_int_equal(apply(f->store, small_feed, NULL, now), FEED_ACCEPTED);
    /* A new file has them from the start. */
    char dir2[TEMP_STORE_DIR_LEN], path2[TEMP_STORE_PATH_LEN];
    struct store *fresh = temp_store_open("pages", dir2, path2);
    assert_non_null(fresh);
    assert_int_equal(count_sql(store_db(fresh), "PRAGMA page_size"), 16384);
    assert_true(temp_store_remove(fresh, dir2));
}

static void test_apply_and_query(void **state)
{
    struct fixture *f = *state;
    int64_t now = at("2026-11-25T09:00:00+01:00");
    assert_int_equal(apply(f->store, small_feed, "\"v1\"", now), FEED_ACCEPTED);

    struct store_status status;
    assert_true(store_status(f->store, &status));
    assert_int_equal(status.locations, 2);
    assert_int_equal(status.activities, 3);
    assert_int_equal(status.services, 2);
    assert_int_equal(status.announcements, 1);
    assert_true(status.has_feed_etag);
    assert_string_equal(status.feed_etag, "\"v1\"");
    assert_int_equal(status.feed_generated_at, at("2026-11-24T08:00:00+01:00"));

    int64_t today = at("2026-11-25T00:00:00+01:00");
    int64_t week_end = at("2026-12-02T00:00:00+01:00");
    /* This week: koffie on the 26th, repair on the 28th; not yesterday's. */
    assert_int_equal(count_occurrences(f->store, today, week_end, NULL, NULL), 2);
    assert_int_equal(count_occurrences(f->store, today, week_end, "loc-a", NULL), 1);
    assert_int_equal(count_occurrences(f->store, today, week_end, "loc-b", NULL), 1);
    /* Two weeks: Dec 3 is cancelled by the exdate (written in UTC). */
    assert_int_equal(count_occurrences(f->store, today, at("2026-12-09T00:00:00+01:00"), "loc-a",
                                       NULL), 1);
    assert_int_equal(count_occurrences(f->store, today, at("2026-12-11T00:00:00+01:00"), "loc-a",
                                       NULL), 2);
    /* Themes: a known code and "other" for a code feed-v1 does not know. */
    assert_int_equal(count_occurrences(f->store, today, week_end, NULL, "leefbaarheid"), 1);
    assert_int_equal(count_occurrences(f->store, today, week_end, NULL, STORE_THEME_OTHER), 1);
    assert_int_equal(count_occurrences(f->store, today, week_end, NULL, "kwetsbaarheid"), 0);

    /* taken per occurrence, matched by instant. */
    int64_t taken = -1;
    struct occurrence_query q = {.from = today, .until = week_end, .location_id = "loc-a"};
    assert_true(store_query_occurrences(f->store, &q, first_taken, &taken));
    assert_int_equal(taken, 4);
}

/* An idle connection gives its page cache back, and reads again after. */
static void test_release_memory(void **state)
{
    struct fixture *f = *state;
    int64_t now = at("2026-11-25T09:00:00+01:00");
    assert_int_equal(apply(f->store, small_feed, "\"v1\"", now), FEED_ACCEPTED);
    int64_t today = at("2026-11-25T00:00:00+01:00");
    int64_t week_end = at("2026-12-02T00:00:00+01:00");
    assert_int_equal(count_occurrences(f->store, today, week_end, NULL, NULL), 2);
    /* The apply and the query left pages in the cache (16 KiB each). */
    size_t freed = store_release_memory(f->store);
    assert_true(freed >= 16 * 1024);
    assert_int_equal(store_release_memory(f->store), 0);   /* nothing left to give */
    assert_int_equal(count_occurrences(f->store, today, week_end, NULL, NULL), 2);
    assert_true(store_release_memory(f->store) > 0);       /* the query read pages again */
    assert_int_equal(store_release_memory(NULL), 0);
}

static bool count_service(void *ctx, const struct service_row *row)
{
    (void)row;
    (*(int *)ctx)++;
    return true;
}

static void test_services_by_topic(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(apply(f->store, small_feed, NULL, at("2026-11-25T09:00:00+01:00")),
                     FEED_ACCEPTED);
    int all = 0, geld = 0, overig = 0, wonen = 0;
    assert_true(store_query_services(f->store, NULL, count_service, &all));
    assert_true(store_query_services(f->store, "geldzaken", count_service, &geld));
    assert_true(store_query_services(f->store, "overig", count_service, &overig));
    assert_true(store_query_services(f->store, "wonen", count_service, &wonen));
    assert_int_equal(all, 2);
    assert_int_equal(geld, 1);
    assert_int_equal(overig, 1); /* the unknown topic is listed under overig */
    assert_int_equal(wonen, 0);
}

static void test_rejected_feed_keeps_content(void **state)
{
    struct fixture *f = *state;
    int64_t now = at("2026-11-25T09:00:00+01:00");
    assert_int_equal(apply(f->store, small_feed, "\"v1\"", now), FEED_ACCEPTED);
    assert_int_equal(apply(f->store, "{\"format\":\"buurtkiosk-feed\",\"version\":2}", "\"v2\"", now),
                     FEED_REJECTED);
    assert_int_equal(apply(f->store, "{\"format\":\"buurtkiosk-feed\",\"version\":1,\"activities\":[",
                           "\"v3\"", now),
                     FEED_REJECTED);
    /* Issue 14: a peer's garbage (no generated_at, every activity invalid)
     * and the same with a generated_at (every activity skipped) must not
     * empty the screen. */
    assert_int_equal(apply(f->store,
                           "{\"format\":\"buurtkiosk-feed\",\"version\":1,"
                           "\"activities\":[1,\"x\",null,{\"id\":{}}]}",
                           "\"v4\"", now),
                     FEED_REJECTED);
    assert_int_equal(apply(f->store,
                           "{\"format\":\"buurtkiosk-feed\",\"version\":1,"
                           "\"generated_at\":\"2026-11-25T08:00:00+01:00\","
                           "\"activities\":[1,\"x\",null,{\"id\":{}}]}",
                           "\"v5\"", now),
                     FEED_REJECTED);
    struct store_status status;
    assert_true(store_status(f->store, &status));
    assert_int_equal(status.activities, 3);
    assert_string_equal(status.feed_etag, "\"v1\"");
}

static void test_swap_replaces_everything(void **state)
{
    struct fixture *f = *state;
    int64_t now = at("2026-11-25T09:00:00+01:00");
    assert_int_equal(apply(f->store, small_feed, "\"v1\"", now), FEED_ACCEPTED);
    const char *smaller = "{\"format\":\"buurtkiosk-feed\",\"version\":1,"
                          "\"generated_at\":\"2026-11-25T08:00:00+01:00\",\"activities\":["
                          "{\"id\":\"n\",\"title\":\"Nieuw\",\"starts_at\":\"2026-11-27T10:00:00Z\"}]}";
    assert_int_equal(apply(f->store, smaller, "\"v2\"", now), FEED_ACCEPTED);
    struct store_status status;
    assert_true(store_status(f->store, &status));
    assert_int_equal(status.locations, 0);
    assert_int_equal(status.activities, 1);
    assert_int_equal(status.services, 0);
    assert_int_equal(status.announcements, 0);
    assert_int_equal(status.occurrences, 1);
    int64_t today = at("2026-11-25T00:00:00+01:00");
    assert_int_equal(count_occurrences(f->store, today, today + 7 * 86400, NULL, "leefbaarheid"), 0);
}

static void test_staff_choices_survive_a_swap(void **state)
{
    struct fixture *f = *state;
    int64_t now = at("2026-11-25T09:00:00+01:00");
    assert_int_equal(apply(f->store, small_feed, NULL, now), FEED_ACCEPTED);
    int64_t today = at("2026-11-25T00:00:00+01:00"), week = today + 7 * 86400;
    assert_int_equal(count_occurrences(f->store, today, week, NULL, NULL), 2);
    assert_true(store_set_override(f->store, "activity", "koffie", true, false));
    assert_true(store_set_override(f->store, "service", "geld", true, false));
    assert_int_equal(count_occurrences(f->store, today, week, NULL, NULL), 1);
    /* A new feed does not undo what staff chose. */
    assert_int_equal(apply(f->store, small_feed, "\"v2\"", now), FEED_ACCEPTED);
    assert_int_equal(count_occurrences(f->store, today, week, NULL, NULL), 1);
    int services = 0;
    assert_true(store_query_services(f->store, NULL, count_service, &services));
    assert_int_equal(services, 1);
    assert_true(store_set_override(f->store, "activity", "koffie", false, true));
    assert_int_equal(count_occurrences(f->store, today, week, NULL, NULL), 2);
}

static bool collect_announcement_ids(void *ctx, const struct announcement_row *row)
{
    char *ids = ctx;
    strcat(ids, row->id);
    strcat(ids, " ");
    return true;
}

static void announcement_ids(struct store *s, int64_t now, char *ids)
{
    ids[0] = '\0';
    assert_true(store_query_announcements(s, now, collect_announcement_ids, ids));
}

/* Local announcements live by the kiosk's clock (--now), never the system's:
 * these dates are years before the machine's own time, and still count. */
static void test_local_announcements_follow_the_kiosk_clock(void **state)
{
    struct fixture *f = *state;
    int64_t now = at("2020-03-02T09:00:00+01:00"), day = 86400;
    char ids[256];
    assert_true(store_add_local_announcement(f->store, "zaal dicht", now, now, now + 7 * day));
    announcement_ids(f->store, now, ids);
    assert_string_equal(ids, "local-1 ");
    announcement_ids(f->store, now + 8 * day, ids);
    assert_string_equal(ids, "");
    /* Adding one 9 days later drops the first (ended more than a day ago). */
    int64_t later = now + 9 * day;
    assert_true(store_add_local_announcement(f->store, "koffie op", later, later, later + day));
    announcement_ids(f->store, later, ids);
    assert_string_equal(ids, "local-2 ");
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    sqlite3_stmt *count = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM local_announcement", -1,
                                        &count, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(count), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(count, 0), 1);
    sqlite3_finalize(count);
    sqlite3_close(db);
}

static void test_window_moves_with_the_day(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(apply(f->store, small_feed, NULL, at("2026-11-25T09:00:00+01:00")),
                     FEED_ACCEPTED);
    struct store_status before, after;
    assert_true(store_status(f->store, &before));
    /* Same day: nothing to do. */
    assert_true(store_refresh_occurrences(f->store, at("2026-11-25T23:00:00+01:00"), false));
    assert_true(store_status(f->store, &after));
    assert_int_equal(before.occurrences, after.occurrences);
    /* Ten days on: the 26th and the one-off on the 28th have dropped out,
     * and later Thursdays came in at the far end. */
    assert_true(store_refresh_occurrences(f->store, at("2026-12-05T08:00:00+01:00"), false));
    int64_t day = at("2026-12-05T00:00:00+01:00");
    assert_int_equal(count_occurrences(f->store, 0, day, NULL, NULL), 0);
    assert_int_equal(count_occurrences(f->store, day, day + 7 * 86400, "loc-a", NULL), 1);
    /* 90 days from Dec 5: Thursdays from Dec 10 up to Mar 4 = 13. */
    assert_int_equal(count_occurrences(f->store, day, INT64_MAX, "loc-a", NULL), 13);
}

static void test_sync_log_and_status(void **state)
{
    struct fixture *f = *state;
    int64_t t1 = at("2026-11-25T09:00:00+01:00");
    assert_true(store_log_sync(f->store, t1, "applied", NULL, 2, NULL));
    assert_true(store_log_sync(f->store, t1 + 300, "unreachable", "Could not connect", 0, NULL));
    struct store_status st;
    assert_true(store_status(f->store, &st));
    assert_int_equal(st.last_sync_ok_at, t1);
    assert_int_equal(st.last_sync_at, t1 + 300);
    assert_true(st.has_last_sync_error);
    assert_string_equal(st.last_sync_error, "unreachable: Could not connect");
    /* The main loop's cheap read says the same. */
    struct store_sync_state sync;
    assert_true(store_sync_state(f->store, &sync));
    assert_int_equal(sync.last_sync_ok_at, t1);
    assert_true(sync.last_sync_failed);
    assert_int_equal(sync.feed_applied_at, st.feed_applied_at);
    assert_true(store_log_sync(f->store, t1 + 600, "unchanged", NULL, 0, NULL));
    assert_true(store_status(f->store, &st));
    assert_int_equal(st.last_sync_ok_at, t1 + 600);
    assert_false(st.has_last_sync_error);
    assert_true(store_sync_state(f->store, &sync));
    assert_int_equal(sync.last_sync_ok_at, t1 + 600);
    assert_false(sync.last_sync_failed);
}


/* ---- power loss during a swap ---- */

/* A feed of n activities whose titles carry a marker, so that a mix of
 * two feeds would show. */
static char *marked_feed(int n, const char *marker)
{
    size_t cap = 256 + (size_t)n * 200;
    char *doc = malloc(cap);
    assert_non_null(doc);
    size_t len = (size_t)snprintf(doc, cap,
                                  "{\"format\":\"buurtkiosk-feed\",\"version\":1,"
                                  "\"generated_at\":\"2026-11-25T08:00:00+01:00\","
                                  "\"publisher\":{\"name\":\"%s\"},\"activities\":[",
                                  marker);
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(doc + len, cap - len,
                                "%s{\"id\":\"a%d\",\"title\":\"%s %d\",\"starts_at\":"
                                "\"2026-11-26T10:00:00+01:00\",\"rrule\":\"FREQ=WEEKLY\"}",
                                i ? "," : "", i, marker, i);
    snprintf(doc + len, cap - len, "]}");
    return doc;
}

static void test_empty_until_a_feed(void **state)
{
    struct fixture *f = *state;
    bool empty = false;
    assert_true(store_is_empty(f->store, &empty));
    assert_true(empty);
    struct store_sync_state sync;
    assert_true(store_sync_state(f->store, &sync));
    assert_int_equal(sync.feed_applied_at, 0);
    int64_t now = at("2026-11-25T09:00:00+01:00");
    char *doc = marked_feed(3, "leeg");
    assert_int_equal(apply(f->store, doc, NULL, now), FEED_ACCEPTED);
    free(doc);
    assert_true(store_is_empty(f->store, &empty));
    assert_false(empty);
    assert_true(store_sync_state(f->store, &sync));
    assert_int_equal(sync.feed_applied_at, now);
}

static int64_t single_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    int64_t v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void test_swap_survives_sigkill(void **state)
{
    struct fixture *f = *state;
    const int n_old = 1500, n_new = 2500;
    char *old_feed = marked_feed(n_old, "OUD");
    char *new_feed = marked_feed(n_new, "NIEUW");
    int64_t now = at("2026-11-25T09:00:00+01:00");
    assert_int_equal(apply(f->store, old_feed, "\"old\"", now), FEED_ACCEPTED);
    store_close(f->store);
    f->store = NULL;

    unsigned seed = (unsigned)time(NULL);
    int saw_old = 0, saw_new = 0;
    for (int round = 0; round < 12; round++) {
        pid_t child = fork();
        assert_true(child >= 0);
        if (child == 0) {
            char err[256];
            struct store *s = store_open(f->path, err, sizeof err);
            if (!s)
                _exit(1);
            for (int i = 0;; i++)
                apply(s, i % 2 ? old_feed : new_feed, i % 2 ? "\"old\"" : "\"new\"", now);
        }
        /* Somewhere inside one of the swaps (each takes tens of ms). */
        struct timespec pause = {0, (long)(rand_r(&seed) % 400 + 20) * 1000000L};
        nanosleep(&pause, NULL);
        kill(child, SIGKILL);
        int status;
        waitpid(child, &status, 0);

        sqlite3 *db;
        assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
        sqlite3_finalize(st);
        int64_t activities = single_int(db, "SELECT count(*) FROM activity");
        int64_t old_titles = single_int(db, "SELECT count(*) FROM activity WHERE title LIKE '%OUD%'");
        int64_t new_titles =
            single_int(db, "SELECT count(*) FROM activity WHERE title LIKE '%NIEUW%'");
        int64_t occurrences = single_int(db, "SELECT count(*) FROM occurrence");
        sqlite3_close(db);
        char etag[32] = "";
        char err[256];
        struct store *s = store_open(f->path, err, sizeof err);
        assert_non_null(s);
        assert_true(store_get_meta(s, "feed_etag", etag, sizeof etag));
        store_close(s);

        if (activities == n_old) {
            assert_int_equal(old_titles, n_old);
            assert_int_equal(new_titles, 0);
            assert_string_equal(etag, "\"old\"");
            saw_old++;
        } else {
            assert_int_equal(activities, n_new);
            assert_int_equal(new_titles, n_new);
            assert_int_equal(old_titles, 0);
            assert_string_equal(etag, "\"new\"");
            saw_new++;
        }
        /* Weekly from Nov 26, 90 days from Nov 25: 13 each. */
        assert_int_equal(occurrences, activities * 13);
    }
    print_message("swap killed 12 times: old content %d, new content %d\n", saw_old, saw_new);
    free(old_feed);
    free(new_feed);
    char err[256];
    f->store = store_open(f->path, err, sizeof err);
    assert_non_null(f->store);
}

/* ---- an error is never "nothing" ---- */

struct calls {
    int n;
    char last_id[64];
};

static bool note_activity(void *ctx, const struct activity_row *row)
{
    struct calls *c = ctx;
    c->n++;
    snprintf(c->last_id, sizeof c->last_id, "%s", row->id);
    return true;
}

static bool note_service(void *ctx, const struct service_row *row)
{
    struct calls *c = ctx;
    c->n++;
    snprintf(c->last_id, sizeof c->last_id, "%s", row->id);
    return true;
}

static bool count_location(void *ctx, const struct location_row *row)
{
    (void)row;
    ((struct calls *)ctx)->n++;
    return true;
}

static bool count_announcement(void *ctx, const struct announcement_row *row)
{
    (void)row;
    ((struct calls *)ctx)->n++;
    return true;
}

static bool count_code(void *ctx, const char *code)
{
    (void)code;
    ((struct calls *)ctx)->n++;
    return true;
}

static bool count_item(void *ctx, const struct item_row *row)
{
    (void)row;
    ((struct calls *)ctx)->n++;
    return true;
}

/* Every query, each expected to give want; returns how many rows came. */
static int run_every_query(struct store *s, bool want)
{
    struct calls c = {0};
    int64_t now = at("2026-11-25T09:00:00+01:00");
    struct occurrence_query q = {.from = now - 86400, .until = now + 30 * 86400};
    assert_int_equal(store_query_occurrences(s, &q, count_row, &c.n), want);
    q.theme = STORE_THEME_OTHER;
    assert_int_equal(store_query_occurrences(s, &q, count_row, &c.n), want);
    assert_int_equal(store_query_services(s, NULL, note_service, &c), want);
    assert_int_equal(store_query_services(s, "overig", note_service, &c), want);
    assert_int_equal(store_query_services(s, "wonen", note_service, &c), want);
    assert_int_equal(store_query_locations(s, count_location, &c), want);
    assert_int_equal(store_query_announcements(s, now, count_announcement, &c), want);
    assert_int_equal(store_query_themes(s, count_code, &c), want);
    assert_int_equal(store_query_topics(s, count_code, &c), want);
    assert_int_equal(store_query_items(s, count_item, &c), want);
    return c.n;
}

static void test_no_rows_is_not_an_error(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(run_every_query(f->store, true), 0);
    struct calls c = {0};
    char buf[64] = "untouched";
    assert_int_equal(store_lookup_activity(f->store, "koffie", note_activity, &c), STORE_NOT_FOUND);
    assert_int_equal(store_lookup_service(f->store, "geld", note_service, &c), STORE_NOT_FOUND);
    assert_int_equal(store_lookup_meta(f->store, "feed_etag", buf, sizeof buf), STORE_NOT_FOUND);
    assert_false(store_get_activity(f->store, "koffie", note_activity, &c));
    assert_false(store_get_service(f->store, "geld", note_service, &c));
    assert_false(store_get_meta(f->store, "feed_etag", buf, sizeof buf));
    assert_int_equal(c.n, 0);
    assert_string_equal(buf, "untouched");
}

static void test_lookups_find_their_row(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(apply(f->store, small_feed, "\"v1\"", at("2026-11-25T09:00:00+01:00")),
                     FEED_ACCEPTED);
    assert_true(run_every_query(f->store, true) > 0);
    struct calls c = {0};
    assert_int_equal(store_lookup_activity(f->store, "koffie", note_activity, &c), STORE_FOUND);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.last_id, "koffie");
    assert_int_equal(store_lookup_activity(f->store, "nope", note_activity, &c), STORE_NOT_FOUND);
    assert_int_equal(store_lookup_service(f->store, "geld", note_service, &c), STORE_FOUND);
    assert_int_equal(c.n, 2);
    assert_string_equal(c.last_id, "geld");
    assert_int_equal(store_lookup_service(f->store, "nope", note_service, &c), STORE_NOT_FOUND);
    assert_int_equal(c.n, 2);
    char etag[64];
    assert_int_equal(store_lookup_meta(f->store, "feed_etag", etag, sizeof etag), STORE_FOUND);
    assert_string_equal(etag, "\"v1\"");
    /* A hidden item is still found by id: an open detail screen shows it. */
    assert_true(store_set_override(f->store, "activity", "koffie", true, false));
    assert_int_equal(store_lookup_activity(f->store, "koffie", note_activity, &c), STORE_FOUND);
}

static void test_unreadable_tables_are_errors(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(apply(f->store, small_feed, "\"v1\"", at("2026-11-25T09:00:00+01:00")),
                     FEED_ACCEPTED);
    /* Warm the cached statements first: an error must also come through
     * a statement prepared while the tables were still there. */
    assert_true(run_every_query(f->store, true) > 0);
    static const char *const tables[] = {"location", "activity", "activity_theme", "occurrence",
                                         "service", "service_topic", "announcement", "meta"};
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "ALTER TABLE %s RENAME TO gone_%s", tables[i], tables[i]);
        assert_int_equal(sqlite3_exec(store_db(f->store), sql, NULL, NULL, NULL), SQLITE_OK);
    }
    run_every_query(f->store, false);
    struct calls c = {0};
    char buf[64];
    assert_int_equal(store_lookup_activity(f->store, "koffie", note_activity, &c), STORE_ERROR);
    assert_int_equal(store_lookup_service(f->store, "geld", note_service, &c), STORE_ERROR);
    assert_int_equal(store_lookup_meta(f->store, "feed_etag", buf, sizeof buf), STORE_ERROR);
    assert_int_equal(c.n, 0);
    struct store_status status;
    assert_false(store_status(f->store, &status));
    assert_false(store_refresh_occurrences(f->store, at("2026-11-26T09:00:00+01:00"), true));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_schema_and_fresh_status, setup, teardown),
        cmocka_unit_test_setup_teardown(test_indexes_after_migration_and_swap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_occurrence_key_migration, setup, teardown),
        cmocka_unit_test_setup_teardown(test_page_size_conversion, setup, teardown),
        cmocka_unit_test_setup_teardown(test_apply_and_query, setup, teardown),
        cmocka_unit_test_setup_teardown(test_release_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_services_by_topic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rejected_feed_keeps_content, setup, teardown),
        cmocka_unit_test_setup_teardown(test_swap_replaces_everything, setup, teardown),
        cmocka_unit_test_setup_teardown(test_window_moves_with_the_day, setup, teardown),
        cmocka_unit_test_setup_teardown(test_staff_choices_survive_a_swap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_local_announcements_follow_the_kiosk_clock, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_sync_log_and_status, setup, teardown),
        cmocka_unit_test_setup_teardown(test_swap_survives_sigkill, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_until_a_feed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_rows_is_not_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lookups_find_their_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unreadable_tables_are_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
