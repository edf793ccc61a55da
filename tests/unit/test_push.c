/*
 * The outbox push without a network: how each hub answer is judged
 * (table-driven, with must-stay-temporary rows), the words on the wire,
 * Retry-After, and the outbox backoff.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/push.h"

struct row {
    long status;
    const char *body;
    bool final;
    const char *want_status;
    int want_position;
    const char *want_error;
};

static const struct row rows[] = {
    /* the hub's final answers */
    {201, "{\"status\":\"confirmed\"}", true, "confirmed", 0, ""},
    {200, "{\"status\": \"confirmed\"}\n", true, "confirmed", 0, ""},
    {201, "{\"status\":\"waitlisted\",\"position\":3}", true, "waitlisted", 3, ""},
    {200, "{\"position\":1,\"status\":\"waitlisted\"}", true, "waitlisted", 1, ""},
    {409, "{\"status\":\"full\"}", true, "full", 0, ""},
    {409, "{\"status\":\"closed\"}", true, "closed", 0, ""},
    {422, "{\"error\":\"party_size must be 1-10\"}", true, "rejected", 0, "party_size must be 1-10"},
    {400, "{\"error\":\"\"}", true, "rejected", 0, ""},
    {404, "{\"error\":\"no such activity\"}", true, "rejected", 0, "no such activity"},
    /* everything else keeps the item */
    {201, "", false, NULL, 0, NULL},
    {201, "{\"status\":\"confirmed\"", false, NULL, 0, NULL},
    {201, "{\"status\":\"confirmed\"} x", false, NULL, 0, NULL},
    {201, "{\"status\":\"confirmed\",\"extra\":1}", false, NULL, 0, NULL},
    {201, "{\"status\":\"confirmed\",\"status\":\"confirmed\"}", false, NULL, 0, NULL},
    {201, "{\"status\":\"Confirmed\"}", false, NULL, 0, NULL},
    {201, "{\"status\":\"full\"}", false, NULL, 0, NULL},
    {201, "{\"status\":\"waitlisted\"}", false, NULL, 0, NULL},
    {201, "{\"status\":\"waitlisted\",\"position\":0}", false, NULL, 0, NULL},
    {201, "{\"status\":\"waitlisted\",\"position\":\"3\"}", false, NULL, 0, NULL},
    {201, "{\"status\":\"waitlisted\",\"position\":3.5}", false, NULL, 0, NULL},
    {201, "{\"status\":\"waitlisted\",\"position\":99999999999}", false, NULL, 0, NULL},
    {201, "[\"confirmed\"]", false, NULL, 0, NULL},
    {201, "\"confirmed\"", false, NULL, 0, NULL},
    {201, "<html>ok</html>", false, NULL, 0, NULL},
    {202, "{\"status\":\"confirmed\"}", false, NULL, 0, NULL},
    {204, "", false, NULL, 0, NULL},
    {409, "{\"status\":\"confirmed\"}", false, NULL, 0, NULL},
    {201, "{\"status\":\"rejected\"}", false, NULL, 0, NULL}, /* the outbox's word only */
    {409, "{\"status\":\"rejected\"}", false, NULL, 0, NULL},
    {409, "{\"error\":\"conflict\"}", false, NULL, 0, NULL},
    {409, "", false, NULL, 0, NULL},
    {404, "<html><body>404 Not Found</body></html>", false, NULL, 0, NULL},
    {400, "", false, NULL, 0, NULL},
    {422, "{\"error\":42}", false, NULL, 0, NULL},
    {401, "{\"error\":\"bad token\"}", false, NULL, 0, NULL},
    {403, "{\"error\":\"not your kiosk\"}", false, NULL, 0, NULL},
    {429, "{\"error\":\"slow down\"}", false, NULL, 0, NULL},
    {500, "{\"status\":\"confirmed\"}", false, NULL, 0, NULL},
    {503, "", false, NULL, 0, NULL},
    {302, "", false, NULL, 0, NULL},
    {0, "", false, NULL, 0, NULL},
};

static void test_classify_table(void **state)
{
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        const struct row *r = &rows[i];
        struct push_final fin;
        enum push_answer a = push_classify(r->status, r->body, strlen(r->body), &fin);
        if (a != (r->final ? PUSH_FINAL : PUSH_TEMPORARY))
            fail_msg("row %zu (%ld %s): wrong verdict", i, r->status, r->body);
        if (r->final) {
            assert_string_equal(push_status_name(fin.status), r->want_status);
            assert_int_equal(fin.position, r->want_position);
            assert_string_equal(fin.error, r->want_error);
        }
    }
    struct push_final fin;
    assert_int_equal(push_classify(201, NULL, 0, &fin), PUSH_TEMPORARY);
}

static void test_classify_long_error(void **state)
{
    char body[3000] = "{\"error\":\"";
    for (int i = 0; i < 400; i++)
        strcat(body, "\\u00e9"); /* é, two bytes each */
    strcat(body, "\"}");
    struct push_final fin;
    assert_int_equal(push_classify(422, body, strlen(body), &fin), PUSH_FINAL);
    size_t len = strlen(fin.error);
    assert_true(len < sizeof fin.error);
    assert_true(len >= 400); /* room for the 200 characters the outbox keeps */
    assert_int_equal(len % 2, 0); /* not cut inside a character */
}

/* The words on the wire, in the outbox's status column and in the sync
 * log never change. */
static void test_wire_words(void **state)
{
    const struct {
        const char *got, *want;
    } words[] = {
        {push_status_name(PUSH_STATUS_CONFIRMED), "confirmed"},
        {push_status_name(PUSH_STATUS_WAITLISTED), "waitlisted"},
        {push_status_name(PUSH_STATUS_FULL), "full"},
        {push_status_name(PUSH_STATUS_CLOSED), "closed"},
        {push_status_name(PUSH_STATUS_REJECTED), "rejected"},
        {sync_screen_name(SYNC_SCREEN_ON), "on"},
        {sync_screen_name(SYNC_SCREEN_OFF), "off"},
        {sync_screen_name(SYNC_SCREEN_FAULT), "fault"},
        {sync_feed_result_name(SYNC_APPLIED), "applied"},
        {sync_feed_result_name(SYNC_UNCHANGED), "unchanged"},
        {sync_feed_result_name(SYNC_REJECTED), "rejected"},
        {sync_feed_result_name(SYNC_UNREACHABLE), "unreachable"},
    };
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        assert_string_equal(words[i].got, words[i].want);
}

static void test_retry_after(void **state)
{
    int64_t ms = -1;
    assert_true(push_parse_retry_after(" 120\r\n", 0, &ms));
    assert_int_equal(ms, 120000);
    assert_true(push_parse_retry_after("0", 0, &ms));
    assert_int_equal(ms, 0);
    assert_true(push_parse_retry_after("3600", 0, &ms));
    assert_int_equal(ms, PUSH_MAX_BACKOFF_MS);
    assert_true(push_parse_retry_after("99999999999999999999", 0, &ms));
    assert_int_equal(ms, PUSH_MAX_BACKOFF_MS);
    /* Wed, 21 Oct 2015 07:28:00 GMT = 1445412480 */
    assert_true(push_parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412480 - 90, &ms));
    assert_int_equal(ms, 90000);
    assert_true(push_parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412480 + 90, &ms));
    assert_int_equal(ms, 0);
    assert_true(push_parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412480 - 86400, &ms));
    assert_int_equal(ms, PUSH_MAX_BACKOFF_MS);
    assert_false(push_parse_retry_after("", 0, &ms));
    assert_false(push_parse_retry_after("  ", 0, &ms));
    assert_false(push_parse_retry_after("-5", 0, &ms));
    assert_false(push_parse_retry_after("soon", 0, &ms));
}

/* Which answers' Retry-After the feed pull and the heartbeat keep to:
 * 429 and 503 only, capped; 0 (no wait beyond their own) otherwise. */
static void test_retry_after_status(void **state)
{
    (void)state;
    static const struct {
        long status;
        const char *value;
        int64_t want;
    } waits[] = {
        {429, "120", 120000},
        {503, "120", 120000},
        {429, " 7 ", 7000},
        {503, "3600", PUSH_MAX_BACKOFF_MS},
        {503, "Wed, 21 Oct 2015 07:28:00 GMT", 90000}, /* now = 90 s before */
        /* must give no wait */
        {429, NULL, 0},
        {429, "", 0},
        {429, "soon", 0},
        {503, "-5", 0},
        {500, "120", 0},
        {502, "120", 0},
        {200, "120", 0},
        {204, "120", 0},
        {301, "120", 0},
        {0, "120", 0},
    };
    for (size_t i = 0; i < sizeof waits / sizeof *waits; i++) {
        int64_t got = push_retry_after_ms(waits[i].status, waits[i].value, 1445412480 - 90);
        if (got != waits[i].want)
            fail_msg("row %zu (%ld, %s): %lld, want %lld", i, waits[i].status,
                     waits[i].value ? waits[i].value : "NULL", (long long)got,
                     (long long)waits[i].want);
    }
}

static void test_backoff(void **state)
{
    const int64_t base[] = {30000, 60000, 120000, 240000, 480000, 900000, 900000, 900000};
    for (int f = 1; f <= 8; f++) {
        for (int k = 0; k < 200; k++) {
            int64_t d = push_backoff_ms(f, 0);
            int64_t b = base[f - 1];
            if (d < b - b / 5 || d > b + b / 5)
                fail_msg("failures %d: %lld outside %lld +-20%%", f, (long long)d, (long long)b);
        }
    }
    assert_int_equal(push_backoff_ms(40, 0) <= 900000 + 180000, 1);
    /* Retry-After wins when longer, capped at 15 min. */
    assert_int_equal(push_backoff_ms(1, 600000), 600000);
    assert_int_equal(push_backoff_ms(1, 3600000), 900000);
    int64_t d = push_backoff_ms(1, 1000);
    assert_true(d >= 24000 && d <= 36000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classify_table),
        cmocka_unit_test(test_classify_long_error),
        cmocka_unit_test(test_wire_words),
        cmocka_unit_test(test_retry_after),
        cmocka_unit_test(test_retry_after_status),
        cmocka_unit_test(test_backoff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
