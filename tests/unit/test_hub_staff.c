/*
 * Staff accounts and the audit log (issue 13), on a real SQLite file:
 * usernames and password files row by row (with rows that must fail);
 * add, an existing username refused, Argon2id hashes (never the password)
 * stored, verify, a password change and a removal ending the account's
 * sessions; every change audited by id only.
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
#include "hub/hub_audit.h"
#include "hub/hub_db.h"
#include "hub/hub_staff.h"

static void test_username(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        bool valid;
    } rows[] = {
        {"alice", true}, {"a", true}, {"jan.de-vries_2", true}, {"0", true},
        {"----------------------------------------------------------------", true}, /* 64 */
        {"-----------------------------------------------------------------", false}, /* 65 */
        {"", false}, {"Alice", false}, {"al ice", false}, {"al/ice", false},
        {"al@ice", false}, {"älice", false}, {"alice\n", false}, {NULL, false},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
        if (hub_staff_username_valid(rows[i].name) != rows[i].valid)
            fail_msg("row %zu: %s should be %s", i, rows[i].name ? rows[i].name : "(null)",
                     rows[i].valid ? "valid" : "refused");
}

static void test_password_text(void **state)
{
    (void)state;
    char long_line[HUB_PASSWORD_MAX + 2];
    memset(long_line, 'x', sizeof long_line);
    static const struct {
        const char *data;
        size_t len;                 /* 0 = strlen */
        const char *want;           /* NULL = must fail */
    } rows[] = {
        {"geheim\n", 0, "geheim"},
        {"geheim", 0, "geheim"},
        {"geheim\r\n", 0, "geheim"},
        {"twee woorden \nsecond line\n", 0, "twee woorden "},
        {"\tspaties blijven\t\n", 0, "\tspaties blijven\t"},
        {"", 0, NULL},
        {"\n", 0, NULL},
        {"\r\n", 0, NULL},
        {"\nsecond line only\n", 0, NULL},
        {"nul\0byte\n", 9, NULL},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        char out[HUB_PASSWORD_MAX + 1], err[200];
        size_t len = rows[i].len ? rows[i].len : strlen(rows[i].data);
        bool ok = hub_staff_password_from_text(rows[i].data, len, out, err, sizeof err);
        if (ok != (rows[i].want != NULL))
            fail_msg("row %zu: %s", i, ok ? "accepted, must fail" : err);
        if (ok && strcmp(out, rows[i].want) != 0)
            fail_msg("row %zu: got [%s]", i, out);
    }
    char out[HUB_PASSWORD_MAX + 1], err[200];
    assert_true(hub_staff_password_from_text(long_line, HUB_PASSWORD_MAX, out, err, sizeof err));
    assert_false(
        hub_staff_password_from_text(long_line, HUB_PASSWORD_MAX + 1, out, err, sizeof err));
}


static void add_session(struct hub_db *db, const char *username, int seed)
{
    char sql[200];
    snprintf(sql, sizeof sql,
             "INSERT INTO staff_sessions(token_hash, username, created_at, last_seen)"
             " VALUES(x'%02x', '%s', 1, 1)", seed, username);
    assert_true(hub_db_exec(db, sql));
}

static void test_accounts(void **state)
{
    struct hub_fixture *f = *state;
    struct hub_db *db = f->db;
    assert_int_equal(hub_staff_add(db, "alice", "loc-a, loc-b", "eerste wachtwoord", 100, "cli"),
                     HUB_STAFF_OK);
    assert_int_equal(hub_staff_add(db, "alice", NULL, "ander", 101, "cli"), HUB_STAFF_EXISTS);
    assert_int_equal(hub_staff_add(db, "coord", NULL, "coördinator", 102, "cli"), HUB_STAFF_OK);
    /* Argon2id, never the password. */
    assert_int_equal(hub_fixture_count(db, "SELECT count(*) FROM staff WHERE password_hash LIKE "
                               "'$argon2id$%' AND instr(password_hash, 'wachtwoord') = 0"),
                     2);
    assert_int_equal(hub_fixture_count(db, "SELECT count(*) FROM staff WHERE username = 'alice' AND "
                               "locations = '[\"loc-a\",\"loc-b\"]'"), 1);
    assert_int_equal(hub_fixture_count(db, "SELECT count(*) FROM staff WHERE username = 'coord' AND "
                               "locations IS NULL"), 1);

    assert_int_equal(hub_staff_verify(db, "alice", "eerste wachtwoord"), HUB_STAFF_OK);
    assert_int_equal(hub_staff_verify(db, "alice", "eerste wachtwoord "), HUB_STAFF_UNKNOWN);
    assert_int_equal(hub_staff_verify(db, "alice", ""), HUB_STAFF_UNKNOWN);
    assert_int_equal(hub_staff_verify(db, "nobody", "eerste wachtwoord"), HUB_STAFF_UNKNOWN);

    /* A new password ends alice's sessions and no one else's. */
    add_session(db, "alice", 1);
    add_session(db, "alice", 2);
    add_session(db, "coord", 3);
    assert_int_equal(hub_staff_set_password(db, "alice", "tweede", 110, "cli"), HUB_STAFF_OK);
    assert_int_equal(hub_fixture_count(db, "SELECT count(*) FROM staff_sessions WHERE username='alice'"), 0);
    assert_int_equal(hub_fixture_count(db, "SELECT count(*) FROM staff_sessions WHERE username='coord'"), 1);
    assert_int_equal(hub_staff_verify(db, "alice", "eerste wachtwoord"), HUB_STAFF_UNKNOWN);
    assert_int_equal(hub_staff_verify(db, "alice", "tweede"), HUB_STAFF_OK);
    assert_int_equal(hub_staff_set_password(db, "nobody", "x", 111, "cli"), HUB_STAFF_UNKNOWN);

    /* Removal ends the sessions too. */
    add_session(db, "alice", 4);
    assert_int_equal(hub_staff_remove(db, "alice", 120, "cli"), HUB_STAFF_OK);
    assert_int_equal(hub_staff_remove(db, "alice", 121, "cli"), HUB_STAFF_UNKNOWN);
    assert_int_equal(hub_fixture_count(db, "SELECT count(*) FROM staff_sessions WHERE username='alice'"), 0);
    assert_int_equal(hub_staff_verify(db, "alice", "tweede"), HUB_STAFF_UNKNOWN);

    /* The audit log: the four changes that happened, in order, by id. */
    assert_int_equal(hub_fixture_count(db, "SELECT count(*) FROM audit"), 4);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_true(hub_audit_print(db, out));
    fclose(out);
    const char *want[] = {"cli staff.add alice\n", "cli staff.add coord\n",
                          "cli staff.password alice\n", "cli staff.remove alice\n"};
    const char *p = text;
    for (size_t i = 0; i < 4; i++) {
        const char *line = strchr(p, ' ');
        assert_non_null(line);
        size_t n = strlen(want[i]);
        if (strncmp(line + 1, want[i], n) != 0)
            fail_msg("audit line %zu: %s", i, p);
        p = line + 1 + n;
    }
    assert_string_equal(p, "");
    assert_null(strstr(text, "wachtwoord"));
    free(text);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_username),
        cmocka_unit_test(test_password_text),
        cmocka_unit_test_setup_teardown(test_accounts, hub_fixture_setup, hub_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
