/*
 * The staff PIN lock-out on a real database file: the back-off table,
 * failures counted across a close and reopen (a restart), the lock still
 * there after it, a right PIN clearing it, and a clock set back after a
 * restart not locking staff out for longer than the longest back-off.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "model/pinlock.h"
#include "model/store.h"
#include "temp_store.h"

static const struct {
    int failures;
    int64_t lock_s;
} backoff_rows[] = {
    {0, 0}, {1, 0}, {4, 0}, {5, 300}, {6, 600}, {7, 1200}, {8, 2400}, {9, 3600},
    {10, 3600}, {11, 3600}, {12, 3600}, {100, 3600}, {1000, 3600},
};

static void test_backoff(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof backoff_rows / sizeof *backoff_rows; i++)
        if (pinlock_backoff_s(backoff_rows[i].failures) != backoff_rows[i].lock_s)
            fail_msg("%d failures: %lld s, want %lld", backoff_rows[i].failures,
                     (long long)pinlock_backoff_s(backoff_rows[i].failures),
                     (long long)backoff_rows[i].lock_s);
}

static struct store *reopen(struct store *store, const char *path)
{
    store_close(store);
    char err[256];
    struct store *s = store_open(path, err, sizeof err);
    if (!s)
        fail_msg("reopen: %s", err);
    return s;
}

static void test_survives_restart(void **state)
{
    (void)state;
    char dir[TEMP_STORE_DIR_LEN], path[TEMP_STORE_PATH_LEN];
    struct store *store = temp_store_open("pinlock", dir, path);
    assert_non_null(store);
    const int64_t t0 = 1795000000;
    struct pinlock lk;
    pinlock_read(store, t0, &lk);
    assert_int_equal(lk.failures, 0);
    assert_int_equal(lk.locked_until_s, 0);
    /* Four wrong PINs, a restart after each: counted, not locked. */
    for (int i = 1; i <= 4; i++) {
        assert_true(pinlock_fail(store, t0 + i, &lk));
        assert_int_equal(lk.failures, i);
        assert_int_equal(lk.locked_until_s, 0);
        store = reopen(store, path);
    }
    /* The fifth locks for five minutes, and a restart keeps it. */
    assert_true(pinlock_fail(store, t0 + 10, &lk));
    assert_int_equal(lk.locked_until_s, t0 + 310);
    store = reopen(store, path);
    pinlock_read(store, t0 + 20, &lk);
    assert_int_equal(lk.failures, 5);
    assert_int_equal(lk.locked_until_s, t0 + 310);
    /* After the lock, the next wrong one locks twice as long. */
    assert_true(pinlock_fail(store, t0 + 320, &lk));
    assert_int_equal(lk.locked_until_s, t0 + 920);
    store = reopen(store, path);
    pinlock_read(store, t0 + 400, &lk);
    assert_int_equal(lk.failures, 6);
    assert_true(lk.locked_until_s > t0 + 400);
    /* The clock set back ten years after a restart: at most an hour. */
    pinlock_read(store, t0 - 315360000, &lk);
    assert_int_equal(lk.locked_until_s, t0 - 315360000 + PINLOCK_MAX_S);
    /* A right PIN clears it, also across a restart. */
    assert_true(pinlock_clear(store));
    store = reopen(store, path);
    pinlock_read(store, t0 + 100, &lk);
    assert_int_equal(lk.failures, 0);
    assert_int_equal(lk.locked_until_s, 0);
    /* A value that is not a number (a damaged file) locks, never opens. */
    assert_true(store_set_meta(store, "pin_failures", "x"));
    pinlock_read(store, t0, &lk);
    assert_int_equal(lk.locked_until_s, t0 + PINLOCK_MAX_S);
    assert_true(temp_store_remove(store, dir));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backoff),
        cmocka_unit_test(test_survives_restart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
