/*
 * The content layer on a real SQLite file holding the sample feed: every
 * part loads what the screens show, in the asked language; this kiosk's
 * pending sign-ups count against the places left; and the readers of the
 * store's JSON values (stored.c) take bad input without failing loudly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/timeutil.h"
#include "model/outbox.h"
#include "model/store.h"
#include "model/stored.h"
#include "screens/content.h"
#include "temp_store.h"

#define ACTIVITY "act-ouderavond-schermtijd"

struct fixture {
    char dir[TEMP_STORE_DIR_LEN], path[TEMP_STORE_PATH_LEN];
    struct store *store;
    struct config *config;
    struct catalogs *catalogs;
    int64_t now;
};

static int64_t at(const char *text)
{
    int64_t t = 0;
    assert_true(rfc3339_parse(text, &t));
    return t;
}

static bool apply_sample(struct store *store, const char *assets, int64_t now)
{
    char path[512];
    snprintf(path, sizeof path, "%s/sample-feed.json", assets);
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    static const size_t cap = 1 << 20;
    char *body = malloc(cap);
    size_t len = body ? fread(body, 1, cap, f) : 0;
    fclose(f);
    struct feed_report report;
    enum feed_result r = body ? store_apply_feed(store, body, len, NULL, now, &report)
                              : FEED_REJECTED;
    if (body)
        feed_report_clear(&report);
    free(body);
    return r == FEED_ACCEPTED;
}

static int setup(void **state)
{
    if (!tz_use_zone("Europe/Amsterdam"))
        return -1;
    struct fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    fx->now = at("2026-11-25T10:00:00+01:00");
    fx->store = temp_store_open("content", fx->dir, fx->path);
    const char *assets = getenv("BK_ASSETS");
    if (!fx->store || !assets || !apply_sample(fx->store, assets, fx->now))
        return -1;
    fx->config = config_new();
    char err[256];
    const char *langs[] = {"nl", "en"};
    fx->catalogs = catalogs_load(BK_CATALOG_DIR, langs, 2, err, sizeof err);
    *state = fx;
    return fx->config && fx->catalogs ? 0 : -1;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    catalogs_free(fx->catalogs);
    config_free(fx->config);
    temp_store_remove(fx->store, fx->dir);
    free(fx);
    return 0;
}

static struct content_request request(const struct fixture *fx, const char *lang, unsigned parts)
{
    struct content_request req = {.now = fx->now, .parts = parts};
    snprintf(req.lang, sizeof req.lang, "%s", lang);
    req.list_from = tz_start_of_day(fx->now);
    req.list_until = req.list_from + 7 * 86400;
    snprintf(req.activity_id, sizeof req.activity_id, "%s", ACTIVITY);
    req.occurrence = at("2026-11-26T19:30:00+01:00");
    snprintf(req.service_id, sizeof req.service_id, "%s", "svc-wijkteam");
    return req;
}

static void test_every_part(void **state)
{
    struct fixture *fx = *state;
    struct content_env env = {fx->catalogs, fx->config};
    struct content c;
    content_init(&c);
    struct content_request req = request(fx, "nl", CONTENT_BASE | CONTENT_NOW | CONTENT_OCCURRENCES |
                                                       CONTENT_SERVICES | CONTENT_ACTIVITY |
                                                       CONTENT_SERVICE);
    assert_true(content_load(&c, fx->store, &env, &req));
    assert_int_equal(c.failed, 0);
    assert_false(c.cache_empty);
    assert_int_equal(c.n_locations, 5);
    assert_true(c.n_themes > 0);
    assert_true(c.n_topics > 0);
    /* Shown at this kiosk now: not the one for loc-liendert only (this
     * kiosk has no locations), not the one from 1 December on. */
    assert_int_equal(c.n_announcements, 3);
    for (size_t i = 0; i < c.n_announcements; i++) {
        assert_string_not_equal(c.announcements[i].id, "ann-lift-lindeboom");
        assert_string_not_equal(c.announcements[i].id, "ann-feestdagen-gesloten");
    }
    assert_true(c.n_today > 0);
    assert_true(c.n_occurrences > c.n_today);
    for (size_t i = 1; i < c.n_occurrences; i++)
        assert_true(c.occurrences[i - 1].starts_at <= c.occurrences[i].starts_at);
    assert_true(c.n_services > 0);
    assert_non_null(c.activity);
    assert_string_equal(c.activity->title, "Ouderavond: kinderen en schermtijd");
    assert_int_equal(c.activity->capacity, 25);
    assert_int_equal(c.activity->occurrence, req.occurrence);
    assert_int_equal(c.activity->n_next, 0); /* a one-off: no next dates */
    assert_non_null(c.service);
    assert_non_null(c.service->name);
    /* The same place in English. */
    req.lang[0] = '\0';
    snprintf(req.lang, sizeof req.lang, "en");
    assert_true(content_load(&c, fx->store, &env, &req));
    assert_string_not_equal(c.activity->title, "Ouderavond: kinderen en schermtijd");
    assert_string_equal(c.req.lang, "en");
    /* Dropping a part frees it; the others stay. */
    content_drop(&c, CONTENT_OCCURRENCES);
    assert_int_equal(c.n_occurrences, 0);
    assert_false(c.loaded & CONTENT_OCCURRENCES);
    assert_true(c.n_services > 0);
    content_clear(&c);
}

static void test_gone_activity_is_none(void **state)
{
    struct fixture *fx = *state;
    struct content_env env = {fx->catalogs, fx->config};
    struct content c;
    content_init(&c);
    struct content_request req = request(fx, "nl", CONTENT_ACTIVITY);
    snprintf(req.activity_id, sizeof req.activity_id, "act-not-in-the-feed");
    assert_true(content_load(&c, fx->store, &env, &req));
    assert_null(c.activity);
    assert_int_equal(c.failed, 0);
    content_clear(&c);
}

static void test_pending_places_count(void **state)
{
    struct fixture *fx = *state;
    struct content_env env = {fx->catalogs, fx->config};
    int64_t occ = at("2026-11-26T19:30:00+01:00");
    for (int party = 2; party <= 3; party++) {
        struct signup_request r = {.occurrence = occ, .name = "Test Persoon",
                                   .phone = "0612345678", .party_size = party};
        snprintf(r.activity_id, sizeof r.activity_id, "%s", ACTIVITY);
        snprintf(r.language, sizeof r.language, "nl");
        char id[OUTBOX_ID_LEN + 1];
        assert_true(outbox_add(fx->store, &r, fx->now, id));
    }
    struct content c;
    content_init(&c);
    struct content_request req = request(fx, "nl", CONTENT_BASE | CONTENT_ACTIVITY);
    assert_true(content_load(&c, fx->store, &env, &req));
    assert_int_equal(content_pending_places(&c, ACTIVITY, occ), 5);
    assert_int_equal(content_pending_places(&c, ACTIVITY, occ + 7 * 86400), 0);
    assert_int_equal(content_pending_places(&c, "act-other", occ), 0);
    assert_int_equal(content_places_left(&c, ACTIVITY, occ, 25, c.activity->taken),
                     25 - c.activity->taken - 5);
    content_clear(&c);
}

/* ---- stored.c: table-driven, with rows that must come back empty ---- */

static void test_stored_text(void **state)
{
    (void)state;
    static const struct {
        const char *json, *lang, *want; /* want NULL: nothing */
    } rows[] = {
        {"{\"nl\":\"Koffie\",\"en\":\"Coffee\"}", "en", "Coffee"},
        {"{\"nl\":\"Koffie\",\"en\":\"Coffee\"}", "ar", "Koffie"},   /* Dutch first */
        {"{\"en\":\"Coffee\",\"tr\":\"Kahve\"}", "pl", "Coffee"},    /* then the first */
        {"{\"nl\":\"Koffie\"}", "nl", "Koffie"},
        {NULL, "nl", NULL},
        {"", "nl", NULL},
        {"{\"nl\":", "nl", NULL},                                     /* cut short */
        {"[\"Koffie\"]", "nl", NULL},                                 /* not an object */
        {"\"Koffie\"", "nl", NULL},
        {"{\"nl\":42}", "nl", NULL},                                   /* not a string */
        {"{}", "nl", NULL},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        char *got = stored_text(rows[i].json, rows[i].lang);
        if (rows[i].want) {
            assert_non_null(got);
            assert_string_equal(got, rows[i].want);
        } else if (got) {
            fail_msg("row %zu: expected nothing, got \"%s\"", i, got);
        }
        free(got);
    }
}

static void test_stored_walk_in(void **state)
{
    (void)state;
    struct walk_in_slot slots[4];
    size_t n = stored_walk_in("[{\"days\":[\"we\",\"mo\"],\"opens\":\"09:00\",\"closes\":\"12:00\"},"
                              "{\"days\":[\"fr\"],\"opens\":\"13:00\",\"closes\":\"16:30\"}]",
                              slots, 4);
    assert_int_equal(n, 2);
    assert_int_equal(slots[0].n_days, 2);
    assert_int_equal(slots[0].days[0], 2); /* the feed's order is kept */
    assert_int_equal(slots[0].days[1], 0);
    assert_string_equal(slots[0].opens, "09:00");
    assert_string_equal(slots[1].closes, "16:30");
    /* At most max slots. */
    assert_int_equal(stored_walk_in("[{\"days\":[\"mo\"]},{\"days\":[\"tu\"]}]", slots, 1), 1);
    /* Unknown days are left out, missing hours are empty. */
    n = stored_walk_in("[{\"days\":[\"xx\",\"su\",7]}]", slots, 4);
    assert_int_equal(n, 1);
    assert_int_equal(slots[0].n_days, 1);
    assert_int_equal(slots[0].days[0], 6);
    assert_string_equal(slots[0].opens, "");
    static const char *const nothing[] = {NULL, "", "{", "{\"days\":[\"mo\"]}", "42", "[]"};
    for (size_t i = 0; i < sizeof nothing / sizeof *nothing; i++)
        assert_int_equal(stored_walk_in(nothing[i], slots, 4), 0);
}

static void test_stored_contact_and_ids(void **state)
{
    (void)state;
    char *c[CONTACT_KINDS];
    stored_contact("{\"phone\":\"033 123 45 67\",\"url\":\"https://example.org\",\"fax\":\"x\"}", c);
    assert_string_equal(c[CONTACT_PHONE], "033 123 45 67");
    assert_null(c[CONTACT_EMAIL]);
    assert_string_equal(c[CONTACT_URL], "https://example.org");
    for (int k = 0; k < CONTACT_KINDS; k++)
        free(c[k]);
    static const char *const no_contact[] = {NULL, "", "[1]", "{\"phone\":5}", "{\"phone\":"};
    for (size_t i = 0; i < sizeof no_contact / sizeof *no_contact; i++) {
        stored_contact(no_contact[i], c);
        for (int k = 0; k < CONTACT_KINDS; k++)
            assert_null(c[k]);
    }
    assert_string_equal(contact_key(CONTACT_EMAIL), "email");

    struct string_list mine = {.n = 1, .items = {"loc-a"}};
    struct string_list none = {0};
    assert_true(stored_ids_meet(NULL, &mine));              /* everywhere */
    assert_true(stored_ids_meet(NULL, &none));
    assert_true(stored_ids_meet("[\"loc-b\",\"loc-a\"]", &mine));
    assert_false(stored_ids_meet("[\"loc-b\"]", &mine));
    assert_false(stored_ids_meet("[\"loc-a\"]", &none));
    assert_false(stored_ids_meet("[1,null]", &mine));
    assert_false(stored_ids_meet("{\"loc-a\":1}", &mine));
    assert_false(stored_ids_meet("[\"loc-a\"", &mine));      /* cut short */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_every_part, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gone_activity_is_none, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pending_places_count, setup, teardown),
        cmocka_unit_test(test_stored_text),
        cmocka_unit_test(test_stored_walk_in),
        cmocka_unit_test(test_stored_contact_and_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
