/*
 * The staff console's sessions, CSRF tokens and login limits (issue 13),
 * on a real SQLite file with a clock the test sets: a new token per login
 * and only its hash stored; lookups by good, unknown, malformed and idle
 * tokens; logout; CSRF tokens right, wrong, cut and absent; the login
 * limits per username (5) and per address (20) within 15 minutes and when
 * they lift; who may see which location; the language choice; HTML
 * escaping; the console's config keys, with rows that must fail.
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
#include "hub/hub_config.h"
#include "hub/hub_db.h"
#include "hub/hub_html.h"
#include "hub/hub_session.h"
#include "hub/hub_staff.h"


#define IDLE (30 * 60)

/* The fixture with two accounts: alice of loc-a, and a coordinator. */
static int setup(void **state)
{
    hub_fixture_setup(state);
    struct hub_fixture *f = *state;
    assert_int_equal(hub_staff_add(f->db, "alice", "loc-a", "pw", 1, "cli"), HUB_STAFF_OK);
    assert_int_equal(hub_staff_add(f->db, "coord", NULL, "pw", 1, "cli"), HUB_STAFF_OK);
    return 0;
}

static void test_sessions(void **state)
{
    struct hub_fixture *f = *state;
    struct hub_db *db = f->db;
    char t1[HUB_SESSION_TOKEN_LEN + 1], t2[HUB_SESSION_TOKEN_LEN + 1];
    assert_true(hub_session_create(db, "alice", 1000, t1));
    assert_true(hub_session_create(db, "alice", 1000, t2));
    assert_int_equal(strlen(t1), HUB_SESSION_TOKEN_LEN);
    assert_string_not_equal(t1, t2);
    /* Only hashes are stored. */
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM staff_sessions WHERE instr(token_hash, '%s')"
                              " OR hex(token_hash) = upper(hex('%s'))", t1, t1);
    assert_int_equal(hub_fixture_count(db, sql), 0);

    struct hub_session s;
    assert_int_equal(hub_session_lookup(db, t1, 1000 + IDLE - 1, IDLE, &s), HUB_SESSION_OK);
    assert_string_equal(s.username, "alice");
    assert_string_equal(s.locations, "[\"loc-a\"]");
    char csrf[HUB_CSRF_LEN + 1];
    hub_session_csrf(t1, csrf);
    assert_string_equal(s.csrf, csrf);
    hub_session_clear(&s);

    /* Rows that open nothing. */
    char unknown[HUB_SESSION_TOKEN_LEN + 1];
    memcpy(unknown, t1, sizeof unknown);
    unknown[0] = unknown[0] == 'A' ? 'B' : 'A';
    const char *bad[] = {NULL, "", "short", unknown, "../../../../../../../../../../../../etc/pa",
                         "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" /* 44 */};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (hub_session_lookup(db, bad[i], 1001, IDLE, &s) != HUB_SESSION_NONE)
            fail_msg("bad token row %zu opened a session", i);
        hub_session_clear(&s);
    }

    /* Idle: the last use was at 1000 + IDLE - 1; IDLE later it is gone. */
    assert_int_equal(hub_session_lookup(db, t1, 1000 + 2 * IDLE - 2, IDLE, &s), HUB_SESSION_OK);
    hub_session_clear(&s);
    assert_int_equal(hub_session_lookup(db, t1, 1000 + 3 * IDLE - 2, IDLE, &s), HUB_SESSION_NONE);
    assert_int_equal(hub_session_lookup(db, t1, 1000, IDLE, &s), HUB_SESSION_NONE);
    /* t2 was not used since 1000. */
    assert_int_equal(hub_session_lookup(db, t2, 1000 + IDLE, IDLE, &s), HUB_SESSION_NONE);

    /* Logout. */
    char t3[HUB_SESSION_TOKEN_LEN + 1];
    assert_true(hub_session_create(db, "coord", 5000, t3));
    assert_int_equal(hub_session_lookup(db, t3, 5001, IDLE, &s), HUB_SESSION_OK);
    assert_null(s.locations);
    hub_session_clear(&s);
    assert_true(hub_session_end(db, t3, 5002));
    assert_int_equal(hub_session_lookup(db, t3, 5003, IDLE, &s), HUB_SESSION_NONE);
    assert_true(hub_session_end(db, t3, 5004));     /* twice is fine */
    assert_true(hub_session_end(db, NULL, 5004));
    assert_int_equal(hub_fixture_count(db, "SELECT count(*) FROM audit WHERE action = 'login'"), 3);
    assert_int_equal(hub_fixture_count(db, "SELECT count(*) FROM audit WHERE action = 'logout'"), 1);
}

static void test_csrf(void **state)
{
    (void)state;
    struct hub_session s = {0};
    const char *token = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";
    hub_session_csrf(token, s.csrf);
    char other[HUB_CSRF_LEN + 1];
    hub_session_csrf("bbcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ", other);
    assert_string_not_equal(s.csrf, other);
    assert_string_not_equal(s.csrf, token);
    char cut[HUB_CSRF_LEN + 1];
    memcpy(cut, s.csrf, HUB_CSRF_LEN - 1);
    cut[HUB_CSRF_LEN - 1] = '\0';
    char longer[HUB_CSRF_LEN + 2];
    snprintf(longer, sizeof longer, "%sx", s.csrf);
    char flipped[HUB_CSRF_LEN + 1];
    memcpy(flipped, s.csrf, sizeof flipped);
    flipped[HUB_CSRF_LEN - 1] ^= 1;
    const struct {
        const char *given;
        bool ok;
    } rows[] = {{s.csrf, true}, {NULL, false}, {"", false}, {other, false},
                {cut, false},   {longer, false}, {flipped, false}, {token, false}};
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
        if (hub_session_csrf_ok(&s, rows[i].given) != rows[i].ok)
            fail_msg("csrf row %zu", i);
    /* A session without a token (never filled) accepts nothing. */
    struct hub_session none = {0};
    assert_false(hub_session_csrf_ok(&none, ""));
    assert_false(hub_session_csrf_ok(&none, s.csrf));
}

static void test_login_limits(void **state)
{
    struct hub_fixture *f = *state;
    struct hub_db *db = f->db;
    int64_t t0 = 100000;
    for (int i = 0; i < 4; i++) {
        assert_int_equal(hub_login_retry_after(db, "alice", "10.0.0.1", t0 + i), 0);
        assert_true(hub_login_failed(db, "alice", "10.0.0.1", t0 + i));
    }
    assert_int_equal(hub_login_retry_after(db, "alice", "10.0.0.1", t0 + 4), 0);
    assert_true(hub_login_failed(db, "alice", "10.0.0.2", t0 + 4)); /* the fifth */
    /* Blocked from any address until the first failure leaves the window. */
    assert_int_equal(hub_login_retry_after(db, "alice", "10.0.0.3", t0 + 5),
                     HUB_LOGIN_WINDOW_S - 5);
    assert_int_equal(hub_login_retry_after(db, "alice", "10.0.0.3", t0 + HUB_LOGIN_WINDOW_S - 1),
                     1);
    assert_int_equal(hub_login_retry_after(db, "alice", "10.0.0.3", t0 + HUB_LOGIN_WINDOW_S), 0);
    assert_int_equal(hub_login_retry_after(db, "coord", "10.0.0.1", t0 + 5), 0);

    /* Twenty from one address, whatever the usernames. */
    int64_t t1 = t0 + 10 * HUB_LOGIN_WINDOW_S;
    for (int i = 0; i < 19; i++)
        assert_true(hub_login_failed(db, i % 2 ? "x" : "y", "192.0.2.1", t1));
    /* x and y each have 9 or 10 failures now: blocked by username too;
     * a fresh username from that address is still allowed at 19. */
    assert_int_equal(hub_login_retry_after(db, "z", "192.0.2.1", t1), 0);
    assert_true(hub_login_failed(db, "z", "192.0.2.1", t1));
    assert_int_equal(hub_login_retry_after(db, "fresh", "192.0.2.1", t1 + 1),
                     HUB_LOGIN_WINDOW_S - 1);
    assert_int_equal(hub_login_retry_after(db, "fresh", "192.0.2.2", t1 + 1), 0);
    /* Old failures are forgotten by the next one. */
    assert_true(hub_login_failed(db, "q", "192.0.2.3", t1 + HUB_LOGIN_WINDOW_S + 1));
    assert_int_equal(hub_fixture_count(db, "SELECT count(*) FROM staff_login_failures"), 1);
}

static void test_may_see(void **state)
{
    (void)state;
    const struct {
        const char *locations, *location;
        bool ok;
    } rows[] = {
        {NULL, "loc-a", true},          {NULL, NULL, true},
        {"[\"loc-a\"]", "loc-a", true}, {"[\"loc-a\",\"loc-b\"]", "loc-b", true},
        {"[\"loc-a\"]", "loc-b", false}, {"[\"loc-a\"]", NULL, false},
        {"[\"loc-a\"]", "loc-", false}, {"[]", "loc-a", false},
        {"not json", "loc-a", false},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
        if (hub_session_may_see(rows[i].locations, rows[i].location) != rows[i].ok)
            fail_msg("may_see row %zu", i);
}

static void test_lang(void **state)
{
    (void)state;
    const struct {
        const char *query, *accept;
        enum hub_lang want;
        bool chosen;
    } rows[] = {
        {NULL, NULL, HUB_LANG_NL, false},
        {NULL, "en-GB,en;q=0.8", HUB_LANG_EN, false},
        {NULL, "de-DE, en;q=0.5", HUB_LANG_EN, false},
        {NULL, "nl-NL,en;q=0.5", HUB_LANG_NL, false},
        {NULL, "fr", HUB_LANG_NL, false},
        {NULL, "eng", HUB_LANG_NL, false},
        {"en", "nl", HUB_LANG_EN, true},
        {"nl", "en", HUB_LANG_NL, true},
        {"EN", "nl", HUB_LANG_NL, false},
        {"xx", "en", HUB_LANG_EN, false},
        {"", NULL, HUB_LANG_NL, false},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        bool chosen;
        enum hub_lang got = hub_html_lang_pick(rows[i].query, rows[i].accept, &chosen);
        if (got != rows[i].want || chosen != rows[i].chosen)
            fail_msg("lang row %zu", i);
    }
}

static void test_escape(void **state)
{
    (void)state;
    const struct {
        const char *in, *want;
    } rows[] = {
        {"Jan", "Jan"},
        {"<script>alert('x')</script>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"},
        {"a & b \"c\"", "a &amp; b &quot;c&quot;"},
        {"tab\there\x01", "tab\there "},
        {"Zoë", "Zoë"},
        {NULL, ""},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        char *text = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&text, &len);
        hub_html_text(out, rows[i].in);
        fclose(out);
        if (strcmp(text, rows[i].want) != 0)
            fail_msg("escape row %zu: %s", i, text);
        free(text);
    }
}

static void test_config(void **state)
{
    (void)state;
    const struct {
        const char *text;
        bool ok;
        bool secure;
        int idle;
    } rows[] = {
        {"", true, false, 30},
        {"secure_cookies = true\n", true, true, 30},
        {"secure_cookies = false\nsession_idle_min = 5\n", true, false, 5},
        {"[hub]\nsession_idle_min = 1440\n", true, false, 1440},
        {"secure_cookies = yes\n", false, false, 0},
        {"secure_cookies = TRUE\n", false, false, 0},
        {"secure_cookies =\n", false, false, 0},
        {"session_idle_min = 0\n", false, false, 0},
        {"session_idle_min = 1441\n", false, false, 0},
        {"session_idle_min = 10m\n", false, false, 0},
        {"session_idle_min = -5\n", false, false, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        char path[] = "/tmp/test_hub_session_cfg.XXXXXX";
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, rows[i].text, strlen(rows[i].text)),
                         (ssize_t)strlen(rows[i].text));
        close(fd);
        struct hub_config cfg;
        hub_config_defaults(&cfg);
        char err[300];
        bool ok = hub_config_load(&cfg, path, err, sizeof err);
        unlink(path);
        if (ok != rows[i].ok)
            fail_msg("config row %zu: %s", i, ok ? "accepted, must fail" : err);
        if (ok && (cfg.secure_cookies != rows[i].secure || cfg.session_idle_min != rows[i].idle))
            fail_msg("config row %zu: values", i);
    }
}

/* A posted form as MHD's post processor hands it over: pieces of fields
 * (name, data, offset; offset 0 starts a value). A multipart part without
 * a name comes with a NULL name (the fuzzer found that it crashed the
 * hub): it is no field and is left out. Rows that must fail mark the
 * form bad, which refuses it whole. */
static void test_form(void **state)
{
    (void)state;
    struct piece {
        const char *name, *data;
        uint64_t offset;
    };
    static char long_name[300];
    memset(long_name, 'n', sizeof long_name - 1);
    const struct {
        const char *what;
        struct piece pieces[4];
        bool bad;
        const char *name;           /* then its values, as "a|b" */
        const char *values;
    } rows[] = {
        {"one field", {{"csrf", "abc", 0}}, false, "csrf", "abc"},
        {"a value in two pieces", {{"title", "Koffie", 0}, {"title", "ochtend", 6}}, false,
         "title", "Koffieochtend"},
        {"a repeated name", {{"weekday", "MO", 0}, {"weekday", "TH", 0}}, false, "weekday",
         "MO|TH"},
        {"an empty value", {{"remark", "", 0}}, false, "remark", ""},
        {"a part without a name", {{NULL, "x", 0}, {"csrf", "abc", 0}}, false, "csrf", "abc"},
        {"only parts without a name", {{NULL, "x", 0}, {NULL, "y", 1}}, false, "x", ""},
        /* must fail */
        {"a name over its limit", {{long_name, "x", 0}}, true, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        struct admin_form *form = admin_form_new();
        assert_non_null(form);
        for (size_t k = 0; k < 4 && rows[i].pieces[k].data; k++) {
            const struct piece *p = &rows[i].pieces[k];
            assert_true(admin_form_add(form, p->name, p->data, strlen(p->data), p->offset));
        }
        if (admin_form_bad(form) != rows[i].bad)
            fail_msg("form row %zu (%s): %s", i, rows[i].what,
                     rows[i].bad ? "accepted, must fail" : "refused");
        if (rows[i].name) {
            char got[200] = "";
            for (size_t k = 0; k < admin_form_count(form, rows[i].name); k++)
                snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", k ? "|" : "",
                         admin_form_nth(form, rows[i].name, k));
            if (strcmp(got, rows[i].values) != 0)
                fail_msg("form row %zu (%s): %s=\"%s\"", i, rows[i].what, rows[i].name, got);
        }
        admin_form_free(form);
    }
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sessions, setup, hub_fixture_teardown),
        cmocka_unit_test(test_csrf),
        cmocka_unit_test_setup_teardown(test_login_limits, setup, hub_fixture_teardown),
        cmocka_unit_test(test_may_see),
        cmocka_unit_test(test_lang),
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_config),
        cmocka_unit_test(test_form),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
