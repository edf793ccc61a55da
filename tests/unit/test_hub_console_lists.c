/*
 * The console's list and kiosk pages (issue 13): what they parse (whole
 * numbers of a form: party sizes, present=0|1), when a kiosk earns a
 * warning, row by row with rows that must fail; and attendance on a real
 * SQLite file: only a confirmed sign-up of the named occurrence can be
 * marked, the mark is audited by id and shows in the CSV's attended
 * column, and can be taken away. The week page's counts kept by schema
 * 8's triggers agree with the sign-ups after every kind of change, and
 * a schema 7 file gains them, and the activities' titles, on opening.
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

#include "hub_fixture.h"
#include "hub/hub_admin_page.h"
#include "hub/hub_db.h"
#include "hub/hub_signup.h"

static void test_parse_int(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int64_t min, max;
        bool ok;
        int64_t want;
    } rows[] = {
        {"1", 1, 20, true, 1},
        {"20", 1, 20, true, 20},
        {"007", 1, 20, true, 7},
        {"0", 0, 1, true, 0},
        {"1", 0, 1, true, 1},
        {"999999999999999999", 0, INT64_MAX, true, 999999999999999999},
        /* must fail */
        {"0", 1, 20, false, 0},
        {"21", 1, 20, false, 0},
        {"2", 0, 1, false, 0},
        {"", 1, 20, false, 0},
        {NULL, 1, 20, false, 0},
        {"-1", -5, 20, false, 0},
        {"+1", 1, 20, false, 0},
        {" 1", 1, 20, false, 0},
        {"1 ", 1, 20, false, 0},
        {"1.5", 1, 20, false, 0},
        {"1e1", 1, 20, false, 0},
        {"0x10", 0, 100, false, 0},
        {"abc", 1, 20, false, 0},
        {"1\n", 1, 20, false, 0},
        {"9999999999999999999", 0, INT64_MAX, false, 0},  /* 19 digits: too long */
        {"99999999999999999999999", 0, INT64_MAX, false, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        int64_t v = -42;
        bool ok = admin_parse_int(rows[i].text, rows[i].min, rows[i].max, &v);
        if (ok != rows[i].ok)
            fail_msg("row %zu [%s]: %s", i, rows[i].text ? rows[i].text : "(null)",
                     ok ? "accepted" : "refused");
        if (ok && v != rows[i].want)
            fail_msg("row %zu: %lld", i, (long long)v);
        if (!ok && v != -42)
            fail_msg("row %zu: refused but wrote %lld", i, (long long)v);
    }
}

static void test_kiosk_warnings(void **state)
{
    (void)state;
    const int64_t now = 1800000000, hb = 300;
    static const struct {
        int64_t heartbeat_ago;      /* -1 = never */
        int64_t sync_ago;           /* -1 = never */
        unsigned want;
    } rows[] = {
        {0, 0, 0},
        {60, 3600, 0},
        {900, 86400, 0},                                  /* exactly three, exactly a day */
        {901, 0, KIOSK_WARN_SILENT},
        {7200, 0, KIOSK_WARN_SILENT},
        {0, 86401, KIOSK_WARN_STALE},
        {0, -1, KIOSK_WARN_STALE},                        /* never synced */
        {3600, 2 * 86400, KIOSK_WARN_SILENT | KIOSK_WARN_STALE},
        {-1, -1, KIOSK_WARN_NEVER},
        {-1, 0, KIOSK_WARN_NEVER},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        int64_t h = rows[i].heartbeat_ago < 0 ? -1 : now - rows[i].heartbeat_ago;
        int64_t s = rows[i].sync_ago < 0 ? -1 : now - rows[i].sync_ago;
        unsigned got = admin_kiosk_warnings(now, h, s, hb);
        if (got != rows[i].want)
            fail_msg("row %zu: warnings %u, want %u", i, got, rows[i].want);
    }
    /* The interval counts: a kiosk told to beat hourly is not silent
     * after an hour and a half. */
    assert_int_equal(admin_kiosk_warnings(now, now - 5400, now, 3600), 0);
}


#define CONFIRMED "11111111-1111-4111-8111-111111111111"
#define WAITING "22222222-2222-4222-8222-222222222222"

static char *csv_of(struct hub_db *db)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_true(hub_signup_list_occurrence(db, "act", 5000, out));
    fclose(out);
    /* A copy: gcc -O2 takes pointers into the stream's buffer for
     * pointers to the local it was set through (-Wdangling-pointer). */
    char *copy = strdup(text);
    free(text);
    assert_non_null(copy);
    return copy;
}

static void test_attendance(void **state)
{
    struct hub_fixture *f = *state;
    struct hub_db *db = f->db;
    assert_true(hub_db_exec(db,
        "INSERT INTO signups(signup_id, kiosk_id, activity_id, occurrence, status, position,"
        " party_size, name, waitlist_ok, created_at, received_at, response) VALUES"
        " ('" CONFIRMED "', 'k1', 'act', 5000, 'confirmed', NULL, 1, 'Jan', 0, 1, 1, '{}'),"
        " ('" WAITING "', 'k1', 'act', 5000, 'waitlisted', 1, 1, 'Piet', 1, 1, 1, '{}')"));
    char *csv = csv_of(db);
    assert_non_null(strstr(csv, ",call,position,language,attended\r\n"));
    assert_null(strstr(csv, ",yes\r\n"));
    free(csv);

    /* Must fail: another occurrence, another activity, not confirmed,
     * unknown. Nothing is marked or audited. */
    assert_int_equal(hub_signup_attend(db, CONFIRMED, "act", 5001, true, 100, "alice"),
                     HUB_ATTEND_UNKNOWN);
    assert_int_equal(hub_signup_attend(db, CONFIRMED, "other", 5000, true, 100, "alice"),
                     HUB_ATTEND_UNKNOWN);
    assert_int_equal(hub_signup_attend(db, WAITING, "act", 5000, true, 100, "alice"),
                     HUB_ATTEND_UNKNOWN);
    assert_int_equal(hub_signup_attend(db, "33333333-3333-4333-8333-333333333333", "act", 5000,
                                       true, 100, "alice"),
                     HUB_ATTEND_UNKNOWN);
    assert_int_equal(
        hub_fixture_count(db, "SELECT count(*) FROM signups WHERE attended_at IS NOT NULL"), 0);
    assert_int_equal(hub_fixture_count(db, "SELECT count(*) FROM audit"), 0);

    assert_int_equal(hub_signup_attend(db, CONFIRMED, "act", 5000, true, 100, "alice"),
                     HUB_ATTEND_OK);
    assert_int_equal(hub_fixture_count(db, "SELECT attended_at FROM signups WHERE signup_id = '" CONFIRMED
                               "'"), 100);
    assert_int_equal(hub_fixture_count(db, "SELECT count(*) FROM audit WHERE who = 'alice' AND action ="
                               " 'signup.attend' AND item = '" CONFIRMED "'"), 1);
    csv = csv_of(db);
    const char *row = strstr(csv, CONFIRMED ",");
    assert_non_null(row);
    assert_true(strncmp(strchr(row, '\n') - 5, ",yes\r", 5) == 0);
    assert_null(strstr(csv, "Jan,yes"));    /* the column is the last, not beside the name */
    free(csv);

    assert_int_equal(hub_signup_attend(db, CONFIRMED, "act", 5000, false, 110, "alice"),
                     HUB_ATTEND_OK);
    assert_int_equal(
        hub_fixture_count(db, "SELECT count(*) FROM signups WHERE attended_at IS NOT NULL"), 0);
    assert_int_equal(hub_fixture_count(db, "SELECT count(*) FROM audit"), 2);
    csv = csv_of(db);
    assert_null(strstr(csv, ",yes\r\n"));
    free(csv);
    /* The audit log names ids, never the resident. */
    assert_int_equal(hub_fixture_count(db, "SELECT count(*) FROM audit WHERE item LIKE '%Jan%'"), 0);
}

/* Every occurrence's kept counts equal a fresh sum over its sign-ups;
 * the number of occurrences where they differ. */
static int64_t counts_off(struct hub_db *db)
{
    return hub_fixture_count(db,
        "SELECT count(*) FROM (SELECT occurrence, activity_id,"
        " SUM(CASE WHEN status = 'confirmed' THEN party_size ELSE 0 END) c,"
        " SUM(status = 'waitlisted') w,"
        " SUM(status != 'cancelled' AND (to_call != 0 OR status IN ('full','closed'))) t"
        " FROM signups GROUP BY occurrence, activity_id) s"
        " FULL JOIN occurrence_counts k USING (occurrence, activity_id)"
        " WHERE COALESCE(s.c, 0) != COALESCE(k.confirmed, 0)"
        " OR COALESCE(s.w, 0) != COALESCE(k.waiting, 0)"
        " OR COALESCE(s.t, 0) != COALESCE(k.to_call, 0)");
}

#define SIGNUP_ROW(id, occ, status, position, party)                                              \
    "INSERT INTO signups(signup_id, kiosk_id, activity_id, occurrence, status, position,"          \
    " party_size, name, waitlist_ok, created_at, received_at, response) VALUES ('" id "', 'k1',"  \
    " 'act', " occ ", '" status "', " position ", " party ", 'X', 1, 1, 1, '{}')"

static void test_occurrence_counts(void **state)
{
    struct hub_fixture *f = *state;
    struct hub_db *db = f->db;
    /* Each change, then what occurrence (act, 5000) counts: confirmed
     * places, waiting, to call back. */
    static const struct {
        const char *sql;
        int64_t confirmed, waiting, to_call;
    } steps[] = {
        {SIGNUP_ROW(CONFIRMED, "5000", "confirmed", "NULL", "3"), 3, 0, 0},
        {SIGNUP_ROW(WAITING, "5000", "waitlisted", "1", "2"), 3, 1, 0},
        {SIGNUP_ROW("f", "5000", "full", "NULL", "1"), 3, 1, 1},
        {SIGNUP_ROW("c", "5000", "closed", "NULL", "1"), 3, 1, 2},
        {SIGNUP_ROW("other", "6000", "confirmed", "NULL", "4"), 3, 1, 2},
        {"UPDATE signups SET to_call = 1 WHERE signup_id = '" CONFIRMED "'", 3, 1, 3},
        {"UPDATE signups SET party_size = 5 WHERE signup_id = '" CONFIRMED "'", 5, 1, 3},
        {"UPDATE signups SET status = 'cancelled' WHERE signup_id = 'f'", 5, 1, 2},
        {"UPDATE signups SET occurrence = 5000 WHERE signup_id = 'other'", 9, 1, 2},
        /* Erasing personal data leaves the counts alone. */
        {"UPDATE signups SET name = NULL, erased_at = 7 WHERE signup_id = 'c'", 9, 1, 2},
        {"DELETE FROM signups WHERE signup_id = 'c'", 9, 1, 1},
    };
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        assert_true(hub_db_exec(db, steps[i].sql));
        assert_int_equal(counts_off(db), 0);
        assert_int_equal(hub_fixture_count(db, "SELECT confirmed FROM occurrence_counts"
                                               " WHERE activity_id = 'act' AND occurrence = 5000"),
                         steps[i].confirmed);
        assert_int_equal(hub_fixture_count(db, "SELECT waiting FROM occurrence_counts"
                                               " WHERE activity_id = 'act' AND occurrence = 5000"),
                         steps[i].waiting);
        assert_int_equal(hub_fixture_count(db, "SELECT to_call FROM occurrence_counts"
                                               " WHERE activity_id = 'act' AND occurrence = 5000"),
                         steps[i].to_call);
    }
    /* The hub's own cancelling moves the waiting list up. */
    enum hub_signup_status was;
    int promoted;
    assert_int_equal(hub_signup_cancel(db, CONFIRMED, &was, &promoted), HUB_CANCEL_OK);
    assert_int_equal(counts_off(db), 0);
    assert_int_equal(hub_fixture_count(db, "SELECT waiting FROM occurrence_counts"
                                           " WHERE activity_id = 'act' AND occurrence = 5000"),
                     1 - promoted);
}

/* A schema 7 file (as the hub left it before the week page kept its
 * counts and titles) gains both when it is opened. */
static void test_schema_8_migration(void **state)
{
    struct hub_fixture *f = *state;
    assert_true(hub_db_exec(f->db,
        "INSERT INTO items(kind, id, seq, location_id, body) VALUES"
        " (1, 'act', 1, 'loc', '{\"title\":{\"nl\":\"Koffie\",\"en\":\"Coffee\"}}'),"
        " (1, 'solo', 2, 'loc', '{\"title\":\"Alleen\"}'),"
        " (1, 'tr', 3, NULL, '{\"title\":{\"tr\":\"Kahve\"}}');"
        "INSERT INTO activities(id, starts_at, has_signup, capacity, taken, waitlist,"
        " closes_before_min, fields) VALUES ('act', 0, 1, 10, 0, 1, 0, 0),"
        " ('solo', 0, 0, -1, 0, 0, 0, 0), ('tr', 0, 0, -1, 0, 0, 0, 0);"
        SIGNUP_ROW(CONFIRMED, "5000", "confirmed", "NULL", "2") ";"
        SIGNUP_ROW(WAITING, "5000", "waitlisted", "1", "1") ";"
        /* back to schema 7 */
        "DROP TRIGGER signups_count_insert; DROP TRIGGER signups_count_delete;"
        "DROP TRIGGER signups_count_update; DROP TABLE occurrence_counts;"
        "DROP INDEX activities_by_location; ALTER TABLE activities DROP COLUMN title_nl;"
        "ALTER TABLE activities DROP COLUMN title_en;"
        "ALTER TABLE activities DROP COLUMN location_id;"
        "CREATE INDEX signups_by_start ON signups(occurrence); PRAGMA user_version = 7;"));
    hub_db_close(f->db);
    char err[256];
    f->db = hub_db_open(f->path, HUB_DB_EXISTING, err, sizeof err);
    assert_non_null(f->db);
    struct hub_db *db = f->db;
    assert_int_equal(hub_fixture_count(db, "PRAGMA user_version"), 8);
    assert_int_equal(counts_off(db), 0);
    assert_int_equal(hub_fixture_count(db, "SELECT confirmed * 10 + waiting FROM occurrence_counts"
                                           " WHERE activity_id = 'act'"), 21);
    static const struct {
        const char *id, *nl, *en;
    } titles[] = {
        {"act", "Koffie", "Coffee"},
        {"solo", "Alleen", "Alleen"},
        {"tr", NULL, NULL},     /* neither language: the page shows the id */
    };
    for (size_t i = 0; i < sizeof titles / sizeof *titles; i++) {
        char sql[160];
        snprintf(sql, sizeof sql,
                 "SELECT (title_nl IS %s%s%s) + (title_en IS %s%s%s) FROM activities WHERE id = '%s'",
                 titles[i].nl ? "'" : "", titles[i].nl ? titles[i].nl : "NULL",
                 titles[i].nl ? "'" : "", titles[i].en ? "'" : "",
                 titles[i].en ? titles[i].en : "NULL", titles[i].en ? "'" : "", titles[i].id);
        assert_int_equal(hub_fixture_count(db, sql), 2);
    }
    assert_int_equal(hub_fixture_count(db, "SELECT count(*) FROM activities WHERE location_id = 'loc'"),
                     2);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_int),
        cmocka_unit_test(test_kiosk_warnings),
        cmocka_unit_test_setup_teardown(test_attendance, hub_fixture_setup, hub_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_occurrence_counts, hub_fixture_setup,
                                        hub_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_schema_8_migration, hub_fixture_setup,
                                        hub_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
