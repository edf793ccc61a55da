#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/timeutil.h"

/* Expected instants are written as UTC text; this keeps the tables
 * readable and makes failures print something a person can check. */
static int64_t utc(const char *text)
{
    int64_t t = 0;
    assert_true(rfc3339_parse(text, &t));
    return t;
}

static void assert_utc(int64_t t, const char *expected)
{
    char buf[RFC3339_LEN];
    rfc3339_format_utc(t, buf);
    assert_string_equal(buf, expected);
}

static struct local_time lt_of(int y, int mo, int d, int h, int mi, int s)
{
    struct local_time lt = {.year = y, .month = mo, .day = d,
                            .hour = h, .minute = mi, .second = s, .wday = -1};
    return lt;
}

static int setup_amsterdam(void **state)
{
    return tz_use_zone("Europe/Amsterdam") ? 0 : -1;
}

static int setup_new_york(void **state)
{
    return tz_use_zone("America/New_York") ? 0 : -1;
}

static int setup_adelaide(void **state)
{
    return tz_use_zone("Australia/Adelaide") ? 0 : -1;
}

static int setup_kolkata(void **state)
{
    return tz_use_zone("Asia/Kolkata") ? 0 : -1;
}

/* ----------------------------------------------------------- rfc3339 */

static void test_rfc3339_valid(void **state)
{
    static const struct {
        const char *text;
        int64_t instant;
    } rows[] = {
        {"1970-01-01T00:00:00Z", 0},
        {"2026-11-26T10:00:00+01:00", 1795683600},
        {"2026-11-26T09:00:00Z", 1795683600},
        {"2026-11-26t09:00:00z", 1795683600},
        {"2026-11-26T09:00:00.5Z", 1795683600},
        {"2026-11-26T09:00:00.123456789+00:00", 1795683600},
        {"2026-11-26T04:00:00-05:00", 1795683600},
        {"2026-11-26T14:30:00+05:30", 1795683600},
        {"2026-11-26T09:00:00-00:00", 1795683600},
        {"2024-02-29T12:00:00Z", 1709208000},
        {"2026-06-30T23:59:60Z", 1782863999},
        {"1900-01-01T00:00:00Z", -2208988800},
        {"2200-12-31T23:59:59Z", 7289654399},
        {"2026-03-29T03:30:00+05:30", 1774735200},
        {"2026-01-01T00:00:00+23:59", 1767139260},
        {"1969-12-31T23:59:59Z", -1},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int64_t t = 42;
        if (!rfc3339_parse(rows[i].text, &t))
            fail_msg("rejected valid %s", rows[i].text);
        if (t != rows[i].instant)
            fail_msg("%s: got %lld want %lld", rows[i].text, (long long)t,
                     (long long)rows[i].instant);
    }
}

static void test_rfc3339_invalid(void **state)
{
    static const char *const rows[] = {
        "",
        "2026-11-26T10:00:00",          /* no offset */
        "2026-11-26T10:00:00.5",        /* no offset */
        "2026-02-29T10:00:00Z",         /* not a leap year */
        "2100-02-29T10:00:00Z",         /* century, not a leap year */
        "2026-04-31T10:00:00Z",
        "2026-13-01T10:00:00Z",
        "2026-00-10T10:00:00Z",
        "2026-11-00T10:00:00Z",
        "2026-11-26T24:00:00Z",
        "2026-11-26T10:60:00Z",
        "2026-11-26T10:00:61Z",
        "2026-11-26T10:00:00Zjunk",
        "2026-11-26T10:00:00+01:00 ",
        "2026-11-26T10:00:00+01:00Z",
        "2026-11-26 10:00:00Z",         /* space separator */
        "2026-11-26_10:00:00Z",
        "2026-11-26T10:00:00+24:00",
        "2026-11-26T10:00:00+01:60",
        "2026-11-26T10:00:00+0100",
        "2026-11-26T10:00:00+01",
        "2026-11-26T10:00:00+1:00",
        "2026-11-26T10:00Z",            /* seconds are required */
        "2026-11-26T10:00:00.Z",        /* empty fraction */
        "2026-11-26T10:00:00,5Z",
        "2026-1-26T10:00:00Z",
        "26-11-26T10:00:00Z",
        "+2026-11-26T10:00:00Z",
        "1800-01-01T00:00:00Z",
        "1899-12-31T23:59:59Z",
        "2201-01-01T00:00:00Z",
        "2026-11-26",
        "2026-11-26T",
        "2026-11-26T10:00:00 Z",
        "2026-11-26T10:00:00-",
        "2026-11-26T10:00:00+01:0",
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int64_t t = 42;
        if (rfc3339_parse(rows[i], &t))
            fail_msg("accepted invalid \"%s\"", rows[i]);
        assert_int_equal(t, 42);
    }
    int64_t t;
    assert_false(rfc3339_parse(NULL, &t));
}

static void test_rfc3339_format(void **state)
{
    char buf[RFC3339_LEN];
    rfc3339_format_utc(0, buf);
    assert_string_equal(buf, "1970-01-01T00:00:00Z");
    rfc3339_format_utc(-1, buf);
    assert_string_equal(buf, "1969-12-31T23:59:59Z");
    rfc3339_format_utc(-2208988800, buf);
    assert_string_equal(buf, "1900-01-01T00:00:00Z");
    rfc3339_format_utc(7289654399, buf);
    assert_string_equal(buf, "2200-12-31T23:59:59Z");

    rfc3339_format_local(utc("2026-11-26T09:00:00Z"), buf);
    assert_string_equal(buf, "2026-11-26T10:00:00+01:00");
    rfc3339_format_local(utc("2026-07-01T08:00:00Z"), buf);
    assert_string_equal(buf, "2026-07-01T10:00:00+02:00");

    /* Round trip through both formats. */
    for (int64_t t = utc("2026-01-01T00:00:00Z"); t < utc("2027-01-01T00:00:00Z");
         t += 3 * 3600 + 7) {
        int64_t back;
        rfc3339_format_local(t, buf);
        assert_true(rfc3339_parse(buf, &back));
        assert_int_equal(back, t);
        rfc3339_format_utc(t, buf);
        assert_true(rfc3339_parse(buf, &back));
        assert_int_equal(back, t);
    }
}

/* ------------------------------------------------------------- civil */

static void test_civil_days_in_month(void **state)
{
    static const struct {
        int year, month, days;
    } rows[] = {
        {2026, 1, 31}, {2026, 2, 28}, {2024, 2, 29}, {2000, 2, 29},
        {1900, 2, 28}, {2100, 2, 28}, {2200, 2, 28}, {2026, 4, 30},
        {2026, 6, 30}, {2026, 9, 30}, {2026, 11, 30}, {2026, 12, 31},
        {2026, 0, 0},  {2026, 13, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        assert_int_equal(civil_days_in_month(rows[i].year, rows[i].month),
                         rows[i].days);
}

static void test_civil_weekday(void **state)
{
    static const struct {
        int year, month, day, wday;
    } rows[] = {
        {1970, 1, 1, 3},  {2026, 1, 1, 3},   {2026, 3, 29, 6},
        {2026, 3, 19, 3}, {1900, 1, 1, 0},   {2000, 2, 29, 1},
        {2200, 12, 31, 2}, {1969, 12, 31, 2}, {2024, 2, 29, 3},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        assert_int_equal(civil_weekday(rows[i].year, rows[i].month, rows[i].day),
                         rows[i].wday);
}

/* Walk every day from 1900 to 2200 with a naive counter and check the
 * closed-form arithmetic against it, and against the C library's timegm. */
static void test_civil_exhaustive(void **state)
{
    struct local_time lt = lt_of(1900, 1, 1, 12, 34, 56);
    int wday = 0; /* 1900-01-01 was a Monday */
    int y = 1900, m = 1, d = 1;
    while (y <= 2200) {
        assert_int_equal(civil_weekday(y, m, d), wday);
        assert_int_equal(lt.year, y);
        assert_int_equal(lt.month, m);
        assert_int_equal(lt.day, d);
        if (d == 1) {
            struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
            char text[RFC3339_LEN];
            snprintf(text, sizeof text, "%04d-%02d-%02dT00:00:00Z", y, m, d);
            assert_int_equal(utc(text), (int64_t)timegm(&tm));
        }
        civil_add_days(&lt, 1);
        assert_int_equal(lt.wday, (wday + 1) % 7);
        assert_int_equal(lt.hour, 12);
        assert_int_equal(lt.minute, 34);
        assert_int_equal(lt.second, 56);
        wday = (wday + 1) % 7;
        if (++d > civil_days_in_month(y, m)) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
    }
}

static void test_civil_add_days(void **state)
{
    static const struct {
        int y, m, d, add, ey, em, ed;
    } rows[] = {
        {2026, 1, 31, 1, 2026, 2, 1},    {2024, 2, 28, 1, 2024, 2, 29},
        {2026, 2, 28, 1, 2026, 3, 1},    {2026, 12, 31, 1, 2027, 1, 1},
        {2026, 3, 1, -1, 2026, 2, 28},   {2024, 3, 1, -1, 2024, 2, 29},
        {2026, 1, 1, -1, 2025, 12, 31},  {2026, 1, 1, 365, 2027, 1, 1},
        {2000, 1, 1, 36525, 2100, 1, 1}, {2026, 5, 15, 0, 2026, 5, 15},
        {2026, 13, 1, 0, 2027, 1, 1},    {2026, 0, 1, 0, 2025, 12, 1},
        {2026, 1, 32, 0, 2026, 2, 1},    {2026, 3, 0, 0, 2026, 2, 28},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct local_time lt = lt_of(rows[i].y, rows[i].m, rows[i].d, 7, 8, 9);
        civil_add_days(&lt, rows[i].add);
        assert_int_equal(lt.year, rows[i].ey);
        assert_int_equal(lt.month, rows[i].em);
        assert_int_equal(lt.day, rows[i].ed);
        assert_int_equal(lt.wday, civil_weekday(rows[i].ey, rows[i].em, rows[i].ed));
        assert_int_equal(lt.hour, 7);
    }
}

/* ------------------------------------------------------------ zones */

static void test_tz_use_zone_rejects(void **state)
{
    static const char *const bad[] = {
        "Mars/Olympus", "../etc/passwd", "Europe/../../etc/passwd",
        "/usr/share/zoneinfo/Europe/Amsterdam", "/etc/localtime", "",
        "Europe", "Europe/", "zone.tab", "iso3166.tab", "Europe/Amsterdam/",
        "CET-1CEST,M3.5.0,M10.5.0/3",
    };
    int64_t summer = utc("2026-07-01T12:00:00Z");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (tz_use_zone(bad[i]))
            fail_msg("accepted zone \"%s\"", bad[i]);
        /* Nothing changed. */
        assert_string_equal(getenv("TZ"), "Europe/Amsterdam");
        assert_int_equal(tz_offset_at(summer), 7200);
    }
    assert_false(tz_use_zone(NULL));
    assert_true(tz_use_zone("UTC"));
    assert_int_equal(tz_offset_at(summer), 0);
    assert_true(tz_use_zone("Europe/Amsterdam"));
    assert_int_equal(tz_offset_at(summer), 7200);
}

static void test_amsterdam_offsets(void **state)
{
    assert_int_equal(tz_offset_at(utc("2026-01-15T12:00:00Z")), 3600);
    assert_int_equal(tz_offset_at(utc("2026-07-15T12:00:00Z")), 7200);
    assert_int_equal(tz_offset_at(utc("2026-03-29T00:59:59Z")), 3600);
    assert_int_equal(tz_offset_at(utc("2026-03-29T01:00:00Z")), 7200);
    assert_int_equal(tz_offset_at(utc("2026-10-25T00:59:59Z")), 7200);
    assert_int_equal(tz_offset_at(utc("2026-10-25T01:00:00Z")), 3600);

    struct local_time lt;
    tz_to_local(utc("2026-03-29T01:30:00Z"), &lt);
    assert_int_equal(lt.year, 2026);
    assert_int_equal(lt.month, 3);
    assert_int_equal(lt.day, 29);
    assert_int_equal(lt.hour, 3);
    assert_int_equal(lt.minute, 30);
    assert_int_equal(lt.second, 0);
    assert_int_equal(lt.wday, 6);
}

struct from_local_row {
    int y, mo, d, h, mi;
    const char *expected_utc;
};

static void check_from_local(const struct from_local_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct local_time lt = lt_of(rows[i].y, rows[i].mo, rows[i].d,
                                     rows[i].h, rows[i].mi, 0);
        assert_utc(tz_from_local(&lt), rows[i].expected_utc);
    }
}

static void test_amsterdam_from_local(void **state)
{
    static const struct from_local_row rows[] = {
        {2026, 1, 15, 10, 0, "2026-01-15T09:00:00Z"},
        {2026, 7, 15, 10, 0, "2026-07-15T08:00:00Z"},
        /* Spring gap: 02:00-03:00 does not exist; moves forward an hour. */
        {2026, 3, 29, 1, 59, "2026-03-29T00:59:00Z"},
        {2026, 3, 29, 2, 0, "2026-03-29T01:00:00Z"},
        {2026, 3, 29, 2, 30, "2026-03-29T01:30:00Z"},
        {2026, 3, 29, 3, 0, "2026-03-29T01:00:00Z"},
        {2026, 3, 29, 3, 30, "2026-03-29T01:30:00Z"},
        /* Autumn overlap: 02:00-03:00 happens twice; the first wins. */
        {2026, 10, 25, 1, 59, "2026-10-24T23:59:00Z"},
        {2026, 10, 25, 2, 0, "2026-10-25T00:00:00Z"},
        {2026, 10, 25, 2, 30, "2026-10-25T00:30:00Z"},
        {2026, 10, 25, 3, 0, "2026-10-25T02:00:00Z"},
        {2026, 10, 25, 0, 0, "2026-10-24T22:00:00Z"},
        {1900, 1, 1, 0, 0, "1899-12-31T23:40:28Z"}, /* local mean time */
    };
    check_from_local(rows, sizeof rows / sizeof rows[0]);

    struct local_time back;
    struct local_time gap = lt_of(2026, 3, 29, 2, 30, 0);
    tz_to_local(tz_from_local(&gap), &back);
    assert_int_equal(back.hour, 3);
    assert_int_equal(back.minute, 30);
}

/* The per-day cache answers as tz_from_local does, on the days of a
 * change of offset and beside them too, whatever filled the cache first.
 * The rows say the instants outright: a cache that took one offset for
 * the whole day of a switch gets the rows after it wrong by an hour. */
static void test_amsterdam_from_local_cached(void **state)
{
    static const struct from_local_row rows[] = {
        {2026, 3, 28, 2, 30, "2026-03-28T01:30:00Z"},   /* the day before: +01:00 */
        {2026, 3, 29, 1, 59, "2026-03-29T00:59:00Z"},
        {2026, 3, 29, 2, 30, "2026-03-29T01:30:00Z"},   /* in the gap */
        {2026, 3, 29, 3, 0, "2026-03-29T01:00:00Z"},
        {2026, 3, 29, 23, 0, "2026-03-29T21:00:00Z"},   /* must fail with +01:00 all day */
        {2026, 3, 30, 2, 30, "2026-03-30T00:30:00Z"},   /* the day after: +02:00 */
        {2026, 10, 24, 2, 30, "2026-10-24T00:30:00Z"},
        {2026, 10, 25, 0, 0, "2026-10-24T22:00:00Z"},
        {2026, 10, 25, 2, 30, "2026-10-25T00:30:00Z"},  /* the overlap: the first */
        {2026, 10, 25, 3, 0, "2026-10-25T02:00:00Z"},
        {2026, 10, 25, 23, 0, "2026-10-25T22:00:00Z"},  /* must fail with +02:00 all day */
        {2026, 10, 26, 2, 30, "2026-10-26T01:30:00Z"},
        {2026, 7, 15, 10, 0, "2026-07-15T08:00:00Z"},
    };
    /* Forwards, then backwards, into one cache and into a fresh one. */
    struct tz_day_cache shared, fresh;
    memset(&shared, 0, sizeof shared);
    size_t n = sizeof rows / sizeof *rows;
    for (size_t k = 0; k < 2 * n; k++) {
        size_t i = k < n ? k : 2 * n - 1 - k;
        struct local_time lt = lt_of(rows[i].y, rows[i].mo, rows[i].d, rows[i].h, rows[i].mi, 0);
        memset(&fresh, 0, sizeof fresh);
        assert_utc(tz_from_local_cached(&lt, &shared), rows[i].expected_utc);
        assert_utc(tz_from_local_cached(&lt, &fresh), rows[i].expected_utc);
    }
    /* Every quarter hour of wall-clock time in 2026, the gap and the
     * overlap included, through one cache whose 128 slots are reused
     * about three times over. */
    memset(&shared, 0, sizeof shared);
    struct local_time lt = lt_of(2026, 1, 1, 0, 0, 0);
    for (int day = 0; day < 365; day++) {
        for (int q = 0; q < 96; q++) {
            lt.hour = q / 4;
            lt.minute = q % 4 * 15;
            assert_int_equal(tz_from_local_cached(&lt, &shared), tz_from_local(&lt));
        }
        civil_add_days(&lt, 1);
    }
}

/* Every instant round-trips through local time, except the second pass
 * through the autumn overlap, which maps to the first. */
static void test_amsterdam_round_trip(void **state)
{
    int64_t overlap_from = utc("2026-10-25T01:00:00Z");
    int64_t overlap_to = utc("2026-10-25T02:00:00Z");
    for (int64_t t = utc("2025-12-31T00:00:00Z"); t < utc("2027-01-02T00:00:00Z");
         t += 15 * 60) {
        struct local_time lt;
        tz_to_local(t, &lt);
        int64_t back = tz_from_local(&lt);
        if (t >= overlap_from && t < overlap_to)
            assert_int_equal(back, t - 3600);
        else
            assert_int_equal(back, t);
    }
}

static void test_amsterdam_start_of_day(void **state)
{
    assert_utc(tz_start_of_day(utc("2026-03-29T10:00:00Z")), "2026-03-28T23:00:00Z");
    assert_utc(tz_start_of_day(utc("2026-03-28T22:59:59Z")), "2026-03-27T23:00:00Z");
    assert_utc(tz_start_of_day(utc("2026-10-25T23:00:00Z")), "2026-10-25T23:00:00Z");
    assert_utc(tz_start_of_day(utc("2026-10-25T12:00:00Z")), "2026-10-24T22:00:00Z");
    assert_utc(tz_start_of_day(utc("2026-07-01T21:59:59Z")), "2026-06-30T22:00:00Z");
}

static void test_new_york(void **state)
{
    static const struct from_local_row rows[] = {
        {2026, 1, 15, 10, 0, "2026-01-15T15:00:00Z"},
        {2026, 7, 15, 10, 0, "2026-07-15T14:00:00Z"},
        {2026, 3, 8, 2, 30, "2026-03-08T07:30:00Z"},  /* gap -> 03:30 EDT */
        {2026, 11, 1, 1, 30, "2026-11-01T05:30:00Z"}, /* overlap -> EDT */
        {2026, 11, 1, 2, 0, "2026-11-01T07:00:00Z"},
    };
    check_from_local(rows, sizeof rows / sizeof rows[0]);
    assert_int_equal(tz_offset_at(utc("2026-01-15T15:00:00Z")), -18000);
    assert_int_equal(tz_offset_at(utc("2026-07-15T15:00:00Z")), -14400);
    char buf[RFC3339_LEN];
    rfc3339_format_local(utc("2026-01-15T15:00:00Z"), buf);
    assert_string_equal(buf, "2026-01-15T10:00:00-05:00");
    assert_utc(tz_start_of_day(utc("2026-01-15T04:00:00Z")), "2026-01-14T05:00:00Z");
}

static void test_adelaide(void **state)
{
    static const struct from_local_row rows[] = {
        {2026, 1, 15, 10, 0, "2026-01-14T23:30:00Z"},  /* ACDT +10:30 */
        {2026, 7, 15, 10, 0, "2026-07-15T00:30:00Z"},  /* ACST +09:30 */
        {2026, 10, 4, 2, 30, "2026-10-03T17:00:00Z"},  /* gap -> 03:30 ACDT */
        {2026, 4, 5, 2, 30, "2026-04-04T16:00:00Z"},   /* overlap -> ACDT */
    };
    check_from_local(rows, sizeof rows / sizeof rows[0]);
    assert_int_equal(tz_offset_at(utc("2026-07-15T00:30:00Z")), 34200);
    char buf[RFC3339_LEN];
    rfc3339_format_local(utc("2026-07-15T00:30:00Z"), buf);
    assert_string_equal(buf, "2026-07-15T10:00:00+09:30");
    rfc3339_format_local(utc("2026-01-14T23:30:00Z"), buf);
    assert_string_equal(buf, "2026-01-15T10:00:00+10:30");
}

static void test_kolkata(void **state)
{
    static const struct from_local_row rows[] = {
        {2026, 1, 15, 10, 0, "2026-01-15T04:30:00Z"},
        {2026, 7, 15, 0, 0, "2026-07-14T18:30:00Z"},
    };
    check_from_local(rows, sizeof rows / sizeof rows[0]);
    assert_int_equal(tz_offset_at(utc("2026-07-15T00:30:00Z")), 19800);
    char buf[RFC3339_LEN];
    rfc3339_format_local(utc("2026-01-15T04:30:00Z"), buf);
    assert_string_equal(buf, "2026-01-15T10:00:00+05:30");
    assert_utc(tz_start_of_day(utc("2026-01-15T20:00:00Z")), "2026-01-15T18:30:00Z");
}

/* ------------------------------------------------------------ hh:mm */

static void test_hhmm(void **state)
{
    static const struct {
        const char *text;
        bool ok;
        int minutes;
    } rows[] = {
        {"00:00", true, 0},    {"09:30", true, 570},  {"23:59", true, 1439},
        {"24:00", true, 1440}, {"24:01", false, 0},   {"25:00", false, 0},
        {"12:60", false, 0},   {"9:30", false, 0},    {"09:3", false, 0},
        {"09:30 ", false, 0},  {"0930", false, 0},    {"", false, 0},
        {"ab:cd", false, 0},   {"-1:00", false, 0},   {"09.30", false, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int m = -7;
        bool ok = hhmm_parse(rows[i].text, &m);
        if (ok != rows[i].ok)
            fail_msg("hhmm_parse(\"%s\") = %d", rows[i].text, ok);
        assert_int_equal(m, rows[i].ok ? rows[i].minutes : -7);
    }
    int m;
    assert_false(hhmm_parse(NULL, &m));
}

int main(void)
{
    const struct CMUnitTest amsterdam[] = {
        cmocka_unit_test(test_rfc3339_valid),
        cmocka_unit_test(test_rfc3339_invalid),
        cmocka_unit_test(test_rfc3339_format),
        cmocka_unit_test(test_civil_days_in_month),
        cmocka_unit_test(test_civil_weekday),
        cmocka_unit_test(test_civil_exhaustive),
        cmocka_unit_test(test_civil_add_days),
        cmocka_unit_test(test_tz_use_zone_rejects),
        cmocka_unit_test(test_amsterdam_offsets),
        cmocka_unit_test(test_amsterdam_from_local),
        cmocka_unit_test(test_amsterdam_from_local_cached),
        cmocka_unit_test(test_amsterdam_round_trip),
        cmocka_unit_test(test_amsterdam_start_of_day),
        cmocka_unit_test(test_hhmm),
    };
    const struct CMUnitTest new_york[] = {cmocka_unit_test(test_new_york)};
    const struct CMUnitTest adelaide[] = {cmocka_unit_test(test_adelaide)};
    const struct CMUnitTest kolkata[] = {cmocka_unit_test(test_kolkata)};
    int failed = 0;
    failed += cmocka_run_group_tests_name("timeutil Europe/Amsterdam", amsterdam,
                                          setup_amsterdam, NULL);
    failed += cmocka_run_group_tests_name("timeutil America/New_York", new_york,
                                          setup_new_york, NULL);
    failed += cmocka_run_group_tests_name("timeutil Australia/Adelaide", adelaide,
                                          setup_adelaide, NULL);
    failed += cmocka_run_group_tests_name("timeutil Asia/Kolkata", kolkata,
                                          setup_kolkata, NULL);
    return failed == 0 ? 0 : 1;
}
