/*
 * The hub's request rates (hub_rate.h): a minute's worth of requests at
 * once, then the rate; each key its own bucket; Retry-After in whole
 * seconds; no limit at 0; a table full of busy keys still limits the key
 * asked about. Time is passed in, so the rows are exact.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "hub/hub_config.h"
#include "hub/hub_rate.h"

/* One step: at at_ms, key asks; want is the answer (0 = allowed). */
struct step {
    int64_t at_ms;
    const char *key;
    int64_t want;
};

struct row {
    const char *what;
    int per_minute;
    int burst_first;                /* requests of "a" at 0 ms before the steps */
    struct step steps[6];
};

static const struct row rows[] = {
    {"a minute's worth at once, then refused", 60, 60,
     {{0, "a", 1}, {999, "a", 1}, {1000, "a", 0}, {1000, "a", 1}, {-1, NULL, 0}}},
    {"other keys are not touched", 60, 60,
     {{0, "a", 1}, {0, "b", 0}, {0, "kiosk-2", 0}, {-1, NULL, 0}}},
    {"Retry-After rounds up to whole seconds", 120, 120,
     {{0, "a", 1}, {499, "a", 1}, {500, "a", 0}, {500, "a", 1}, {-1, NULL, 0}}},
    {"a slow rate waits longer", 2, 2,
     {{0, "a", 30}, {29000, "a", 1}, {30000, "a", 0}, {30000, "a", 30}, {-1, NULL, 0}}},
    {"a bucket refills to a minute's worth, not more", 60, 60,
     {{3600000, "a", 0}, {-1, NULL, 0}}},
    {"0 means no limit", 0, 1000, {{0, "a", 0}, {0, "a", 0}, {-1, NULL, 0}}},
    {"no key is never limited", 1, 1, {{0, "", 0}, {0, NULL, 0}, {-1, NULL, 0}}},
};

static void rows_hold(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        const struct row *r = &rows[i];
        struct hub_rate *rate = hub_rate_create(r->per_minute, 64);
        assert_non_null(rate);
        for (int k = 0; k < r->burst_first; k++)
            assert_int_equal(hub_rate_take(rate, "a", 0), 0);
        for (const struct step *s = r->steps; s->at_ms >= 0; s++) {
            int64_t got = hub_rate_take(rate, s->key, s->at_ms);
            if (got != s->want)
                fail_msg("%s: step at %lld ms: got %lld, want %lld", r->what,
                         (long long)s->at_ms, (long long)got, (long long)s->want);
        }
        hub_rate_destroy(rate);
    }
}

/* The refill after a burst at 60/min: a request a second, and no more. */
static void steady_rate_after_a_burst(void **state)
{
    (void)state;
    struct hub_rate *rate = hub_rate_create(60, 16);
    assert_non_null(rate);
    for (int k = 0; k < 60; k++)
        assert_int_equal(hub_rate_take(rate, "kiosk", 0), 0);
    int allowed = 0;
    for (int64_t t = 0; t <= 60000; t += 100)
        allowed += hub_rate_take(rate, "kiosk", t) == 0;
    assert_int_equal(allowed, 60);
    hub_rate_destroy(rate);
}

/* Many more busy keys than slots: the key under attack keeps its limit
 * as long as it stays busy, and nothing crashes or grows. */
static void a_full_table_still_limits(void **state)
{
    (void)state;
    struct hub_rate *rate = hub_rate_create(10, 32);
    assert_non_null(rate);
    for (int k = 0; k < 10; k++)
        assert_int_equal(hub_rate_take(rate, "target", 0), 0);
    char key[32];
    for (int n = 0; n < 10000; n++) {
        snprintf(key, sizeof key, "10.0.%d.%d", n / 256, n % 256);
        hub_rate_take(rate, key, 1);
        /* The target asks in between: it is the most recently used key
         * of its stretch, so it is never the one forgotten. */
        if (n % 8 == 0)
            assert_int_not_equal(hub_rate_take(rate, "target", 2), 0);
    }
    hub_rate_destroy(rate);
}

/* The contract's defaults (hub-api-v1.md "Limits the hub keeps"). */
static void defaults_are_the_contracts(void **state)
{
    (void)state;
    struct hub_config cfg;
    hub_config_defaults(&cfg);
    assert_int_equal(cfg.rate_per_token, 120);
    assert_int_equal(cfg.rate_per_address, 600);
    assert_true(cfg.connections_per_address > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rows_hold),
        cmocka_unit_test(steady_rate_after_a_burst),
        cmocka_unit_test(a_full_table_still_limits),
        cmocka_unit_test(defaults_are_the_contracts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
