#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "model/rrule.h"
#include "base/timeutil.h"

static int64_t ts(const char *text)
{
    int64_t t = 0;
    if (!rfc3339_parse(text, &t))
        fail_msg("bad timestamp in test: %s", text);
    return t;
}

static int setup_amsterdam(void **state)
{
    return tz_use_zone("Europe/Amsterdam") ? 0 : -1;
}

/* ------------------------------------------------------------- parse */

/* BYDAY rendered back as text, e.g. "2TU,-1FR", to compare in tables. */
static void render_byday(const struct rrule *r, char *buf, size_t len)
{
    static const char codes[7][3] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < r->n_byday; i++) {
        char ord[8] = "";
        if (r->byday[i].ordinal != 0)
            snprintf(ord, sizeof ord, "%d", r->byday[i].ordinal);
        used += (size_t)snprintf(buf + used, len - used, "%s%s%s", i ? "," : "",
                                 ord, codes[r->byday[i].weekday]);
        assert_true(used < len);
    }
}

static void test_parse_valid(void **state)
{
    enum { NONE, DATE, DATETIME };
    static const struct {
        const char *text;
        enum rrule_freq freq;
        int interval, count, until_kind;
        const char *until_utc;
        const char *byday;
    } rows[] = {
        {"FREQ=WEEKLY", RRULE_WEEKLY, 1, 0, NONE, NULL, ""},
        {"FREQ=DAILY", RRULE_DAILY, 1, 0, NONE, NULL, ""},
        {"FREQ=MONTHLY", RRULE_MONTHLY, 1, 0, NONE, NULL, ""},
        {"RRULE:FREQ=DAILY;INTERVAL=3", RRULE_DAILY, 3, 0, NONE, NULL, ""},
        {"FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20261231", RRULE_WEEKLY, 1, 0, DATE,
         "2026-12-31T23:00:00Z", "TU,TH"},
        {"FREQ=WEEKLY;UNTIL=20260701", RRULE_WEEKLY, 1, 0, DATE,
         "2026-07-01T22:00:00Z", ""},
        {"FREQ=WEEKLY;UNTIL=20261231T235959Z", RRULE_WEEKLY, 1, 0, DATETIME,
         "2026-12-31T23:59:59Z", ""},
        {"FREQ=WEEKLY;UNTIL=20261231T235960Z", RRULE_WEEKLY, 1, 0, DATETIME,
         "2026-12-31T23:59:59Z", ""},
        {"FREQ=MONTHLY;BYDAY=2TU", RRULE_MONTHLY, 1, 0, NONE, NULL, "2TU"},
        {"FREQ=MONTHLY;BYDAY=-1FR,+1MO,5SU,FR", RRULE_MONTHLY, 1, 0, NONE, NULL,
         "-1FR,1MO,5SU,FR"},
        {"FREQ=MONTHLY;BYDAY=-5SA", RRULE_MONTHLY, 1, 0, NONE, NULL, "-5SA"},
        {"FREQ=DAILY;COUNT=10", RRULE_DAILY, 1, 10, NONE, NULL, ""},
        {"FREQ=DAILY;COUNT=100000;INTERVAL=1000", RRULE_DAILY, 1000, 100000,
         NONE, NULL, ""},
        {"BYDAY=MO;INTERVAL=2;FREQ=WEEKLY", RRULE_WEEKLY, 2, 0, NONE, NULL, "MO"},
        {"FREQ=WEEKLY;BYDAY=MO,MO,TU,MO", RRULE_WEEKLY, 1, 0, NONE, NULL, "MO,TU"},
        {"FREQ=DAILY;BYDAY=MO,WE", RRULE_DAILY, 1, 0, NONE, NULL, "MO,WE"},
        {"FREQ=WEEKLY;INTERVAL=007", RRULE_WEEKLY, 7, 0, NONE, NULL, ""},
        {"FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU", RRULE_WEEKLY, 1, 0, NONE, NULL,
         "MO,TU,WE,TH,FR,SA,SU"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct rrule r;
        char err[128] = "untouched";
        if (!rrule_parse(rows[i].text, &r, err, sizeof err))
            fail_msg("rejected \"%s\": %s", rows[i].text, err);
        assert_int_equal(r.freq, rows[i].freq);
        assert_int_equal(r.interval, rows[i].interval);
        assert_int_equal(r.count, rows[i].count);
        assert_int_equal(r.has_until, rows[i].until_kind != NONE);
        if (rows[i].until_kind != NONE) {
            char buf[RFC3339_LEN];
            assert_int_equal(r.until_is_date, rows[i].until_kind == DATE);
            rfc3339_format_utc(r.until, buf);
            assert_string_equal(buf, rows[i].until_utc);
        }
        char byday[256];
        render_byday(&r, byday, sizeof byday);
        assert_string_equal(byday, rows[i].byday);
    }
}

static void test_parse_invalid(void **state)
{
    static const struct {
        const char *text;
        const char *reason; /* a substring of the reason given */
    } rows[] = {
        {"", "empty"},
        {"RRULE:", "empty"},
        {"FREQ=YEARLY", "unsupported FREQ YEARLY"},
        {"FREQ=HOURLY", "unsupported FREQ HOURLY"},
        {"FREQ=MINUTELY", "unsupported FREQ MINUTELY"},
        {"FREQ=SECONDLY", "unsupported FREQ SECONDLY"},
        {"FREQ=FORTNIGHTLY", "bad FREQ"},
        {"FREQ=weekly", "bad FREQ"},
        {"freq=weekly", "unsupported rrule part freq"},
        {"rrule:FREQ=WEEKLY", "unsupported rrule part rrule:FREQ"},
        {" FREQ=WEEKLY", "unsupported rrule part"},
        {"FREQ=MONTHLY;BYMONTHDAY=15", "unsupported rrule part BYMONTHDAY"},
        {"FREQ=WEEKLY;WKST=SU", "unsupported rrule part WKST"},
        {"FREQ=MONTHLY;BYDAY=TU;BYSETPOS=-1", "unsupported rrule part BYSETPOS"},
        {"FREQ=MONTHLY;BYMONTH=3", "unsupported rrule part BYMONTH"},
        {"FREQ=DAILY;BYYEARDAY=100", "unsupported rrule part BYYEARDAY"},
        {"FREQ=WEEKLY;BYWEEKNO=20", "unsupported rrule part BYWEEKNO"},
        {"FREQ=DAILY;BYHOUR=10", "unsupported rrule part BYHOUR"},
        {"FREQ=DAILY;BYMINUTE=30", "unsupported rrule part BYMINUTE"},
        {"FREQ=DAILY;BYSECOND=0", "unsupported rrule part BYSECOND"},
        {"FREQ=DAILY;X-NAME=1", "unsupported rrule part X-NAME"},
        {"INTERVAL=2", "missing FREQ"},
        {"BYDAY=MO", "missing FREQ"},
        {"FREQ=WEEKLY;FREQ=DAILY", "duplicate"},
        {"FREQ=WEEKLY;INTERVAL=2;INTERVAL=2", "duplicate"},
        {"FREQ=WEEKLY;BYDAY=MO;BYDAY=TU", "duplicate"},
        {"FREQ=DAILY;COUNT=2;COUNT=3", "duplicate"},
        {"FREQ=WEEKLY;INTERVAL=0", "INTERVAL"},
        {"FREQ=WEEKLY;INTERVAL=1001", "INTERVAL"},
        {"FREQ=WEEKLY;INTERVAL=-1", "INTERVAL"},
        {"FREQ=WEEKLY;INTERVAL=+2", "INTERVAL"},
        {"FREQ=WEEKLY;INTERVAL=two", "INTERVAL"},
        {"FREQ=WEEKLY;INTERVAL=99999999999999999999", "INTERVAL"},
        {"FREQ=WEEKLY;INTERVAL=", "empty value"},
        {"FREQ=DAILY;COUNT=0", "COUNT"},
        {"FREQ=DAILY;COUNT=100001", "COUNT"},
        {"FREQ=DAILY;COUNT=5x", "COUNT"},
        {"FREQ=DAILY;COUNT=5;UNTIL=20261231", "COUNT and UNTIL"},
        {"FREQ=DAILY;UNTIL=20261231T000000Z;COUNT=1", "COUNT and UNTIL"},
        {"FREQ=WEEKLY;BYDAY=2TU", "ordinal"},
        {"FREQ=DAILY;BYDAY=-1FR", "ordinal"},
        {"BYDAY=MO,1TU;FREQ=WEEKLY", "ordinal"},
        {"FREQ=MONTHLY;BYDAY=6TU", "BYDAY"},
        {"FREQ=MONTHLY;BYDAY=0TU", "BYDAY"},
        {"FREQ=MONTHLY;BYDAY=-6TU", "BYDAY"},
        {"FREQ=MONTHLY;BYDAY=-TU", "BYDAY"},
        {"FREQ=MONTHLY;BYDAY=+TU", "BYDAY"},
        {"FREQ=MONTHLY;BYDAY=+-1TU", "BYDAY"},
        {"FREQ=MONTHLY;BYDAY=0001TU", "BYDAY"},
        {"FREQ=WEEKLY;BYDAY=TUE", "BYDAY"},
        {"FREQ=WEEKLY;BYDAY=XX", "BYDAY"},
        {"FREQ=WEEKLY;BYDAY=mo", "BYDAY"},
        {"FREQ=WEEKLY;BYDAY=MO,", "BYDAY"},
        {"FREQ=WEEKLY;BYDAY=,MO", "BYDAY"},
        {"FREQ=WEEKLY;BYDAY=MO,,TU", "BYDAY"},
        {"FREQ=WEEKLY;BYDAY=MO TU", "BYDAY"},
        {"FREQ=WEEKLY;BYDAY=", "empty value"},
        {"FREQ=WEEKLY;UNTIL=20261231T235959", "unsupported UNTIL local date-time"},
        {"FREQ=WEEKLY;UNTIL=20260231", "UNTIL"},
        {"FREQ=WEEKLY;UNTIL=2026123", "UNTIL"},
        {"FREQ=WEEKLY;UNTIL=202612311", "UNTIL"},
        {"FREQ=WEEKLY;UNTIL=20261231T2359Z", "UNTIL"},
        {"FREQ=WEEKLY;UNTIL=20261231T240000Z", "UNTIL"},
        {"FREQ=WEEKLY;UNTIL=20261231T236000Z", "UNTIL"},
        {"FREQ=WEEKLY;UNTIL=20261231t235959z", "UNTIL"},
        {"FREQ=WEEKLY;UNTIL=20261231T235959+0100", "UNTIL"},
        {"FREQ=WEEKLY;UNTIL=20261231Z", "UNTIL"},
        {"FREQ=WEEKLY;UNTIL=2026-12-31", "UNTIL"},
        {"FREQ=WEEKLY;UNTIL=18991231", "UNTIL"},
        {"FREQ=WEEKLY;UNTIL=22010101", "UNTIL"},
        {"FREQ=WEEKLY;", "empty rrule part"},
        {"FREQ=WEEKLY;;BYDAY=MO", "empty rrule part"},
        {";FREQ=WEEKLY", "empty rrule part"},
        {"FREQ", "malformed"},
        {"FREQ=WEEKLY;BYDAY", "malformed"},
        {"FREQ=WEEKLY;=MO", "unsupported rrule part"},
        {"RRULE:RRULE:FREQ=WEEKLY", "unsupported rrule part"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct rrule r;
        memset(&r, 0x5a, sizeof r);
        struct rrule before = r;
        char err[128] = "";
        if (rrule_parse(rows[i].text, &r, err, sizeof err))
            fail_msg("accepted \"%s\"", rows[i].text);
        if (strstr(err, rows[i].reason) == NULL)
            fail_msg("\"%s\": reason \"%s\" lacks \"%s\"", rows[i].text, err,
                     rows[i].reason);
        /* A failed parse leaves the output alone. */
        assert_memory_equal(&r, &before, sizeof r);
        /* Without a buffer for the reason it still fails, safely. */
        assert_false(rrule_parse(rows[i].text, &r, NULL, 0));
        char tiny[4];
        assert_false(rrule_parse(rows[i].text, &r, tiny, sizeof tiny));
        assert_true(strlen(tiny) < sizeof tiny);
    }
    struct rrule r;
    char err[64];
    assert_false(rrule_parse(NULL, &r, err, sizeof err));
}

static void test_parse_too_many_byday(void **state)
{
    /* 7 weekdays x (every, 1..5, -1..-5) = 77 distinct entries. */
    static const char codes[7][3] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
    char text[1024] = "FREQ=MONTHLY;BYDAY=";
    size_t distinct = 0;
    for (int ord = -5; ord <= 5; ord++) {
        for (int wd = 0; wd < 7; wd++) {
            char item[32];
            if (ord == 0)
                snprintf(item, sizeof item, "%s%s", distinct ? "," : "", codes[wd]);
            else
                snprintf(item, sizeof item, "%s%d%s", distinct ? "," : "", ord,
                         codes[wd]);
            strcat(text, item);
            distinct++;
            struct rrule r;
            char err[128];
            bool ok = rrule_parse(text, &r, err, sizeof err);
            if (distinct <= RRULE_MAX_BYDAY) {
                assert_true(ok);
                assert_int_equal(r.n_byday, distinct);
            } else {
                assert_false(ok);
                assert_non_null(strstr(err, "BYDAY"));
            }
        }
    }
}

/* ------------------------------------------------------------ expand */

#define MAX_ROWS_OUT 16

struct expand_row {
    const char *name;
    const char *rule;         /* NULL: a one-off */
    const char *dtstart;
    const char *window_start, *window_end;
    size_t max_out;           /* 0: MAX_ROWS_OUT */
    const char *exdates[4];
    const char *expected[MAX_ROWS_OUT + 1]; /* local RFC 3339, NULL-ended */
};

static const struct expand_row expand_rows[] = {
    {"monthly 2TU over a year", "FREQ=MONTHLY;BYDAY=2TU",
     "2026-01-13T19:30:00+01:00", "2026-01-01T00:00:00+01:00",
     "2027-01-01T00:00:00+01:00", 0, {NULL},
     {"2026-01-13T19:30:00+01:00", "2026-02-10T19:30:00+01:00",
      "2026-03-10T19:30:00+01:00", "2026-04-14T19:30:00+02:00",
      "2026-05-12T19:30:00+02:00", "2026-06-09T19:30:00+02:00",
      "2026-07-14T19:30:00+02:00", "2026-08-11T19:30:00+02:00",
      "2026-09-08T19:30:00+02:00", "2026-10-13T19:30:00+02:00",
      "2026-11-10T19:30:00+01:00", "2026-12-08T19:30:00+01:00", NULL}},
    {"monthly -1MO over a year", "FREQ=MONTHLY;BYDAY=-1MO",
     "2026-01-26T14:00:00+01:00", "2026-01-01T00:00:00+01:00",
     "2027-01-01T00:00:00+01:00", 0, {NULL},
     {"2026-01-26T14:00:00+01:00", "2026-02-23T14:00:00+01:00",
      "2026-03-30T14:00:00+02:00", "2026-04-27T14:00:00+02:00",
      "2026-05-25T14:00:00+02:00", "2026-06-29T14:00:00+02:00",
      "2026-07-27T14:00:00+02:00", "2026-08-31T14:00:00+02:00",
      "2026-09-28T14:00:00+02:00", "2026-10-26T14:00:00+01:00",
      "2026-11-30T14:00:00+01:00", "2026-12-28T14:00:00+01:00", NULL}},
    {"monthly 5FR only in months that have one", "FREQ=MONTHLY;BYDAY=5FR",
     "2026-01-30T20:00:00+01:00", "2026-01-01T00:00:00+01:00",
     "2027-01-01T00:00:00+01:00", 0, {NULL},
     {"2026-01-30T20:00:00+01:00", "2026-05-29T20:00:00+02:00",
      "2026-07-31T20:00:00+02:00", "2026-10-30T20:00:00+01:00", NULL}},
    {"monthly 1MO,-1FR every other month",
     "FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO,-1FR", "2026-01-05T11:00:00+01:00",
     "2026-01-01T00:00:00+01:00", "2026-06-01T00:00:00+02:00", 0, {NULL},
     {"2026-01-05T11:00:00+01:00", "2026-01-30T11:00:00+01:00",
      "2026-03-02T11:00:00+01:00", "2026-03-27T11:00:00+01:00",
      "2026-05-04T11:00:00+02:00", "2026-05-29T11:00:00+02:00", NULL}},
    {"monthly FR without ordinal is every Friday", "FREQ=MONTHLY;BYDAY=FR",
     "2026-02-06T15:00:00+01:00", "2026-02-01T00:00:00+01:00",
     "2026-03-01T00:00:00+01:00", 0, {NULL},
     {"2026-02-06T15:00:00+01:00", "2026-02-13T15:00:00+01:00",
      "2026-02-20T15:00:00+01:00", "2026-02-27T15:00:00+01:00", NULL}},
    {"monthly on the 31st skips short months", "FREQ=MONTHLY",
     "2026-01-31T10:00:00+01:00", "2026-01-01T00:00:00+01:00",
     "2027-01-01T00:00:00+01:00", 0, {NULL},
     {"2026-01-31T10:00:00+01:00", "2026-03-31T10:00:00+02:00",
      "2026-05-31T10:00:00+02:00", "2026-07-31T10:00:00+02:00",
      "2026-08-31T10:00:00+02:00", "2026-10-31T10:00:00+01:00",
      "2026-12-31T10:00:00+01:00", NULL}},
    {"yearly-by-months on 29 February", "FREQ=MONTHLY;INTERVAL=12",
     "2024-02-29T12:00:00+01:00", "2024-01-01T00:00:00+01:00",
     "2030-01-01T00:00:00+01:00", 0, {NULL},
     {"2024-02-29T12:00:00+01:00", "2028-02-29T12:00:00+01:00", NULL}},
    {"COUNT counts a dtstart that does not match BYDAY",
     "FREQ=WEEKLY;BYDAY=MO;COUNT=3", "2026-01-07T10:00:00+01:00",
     "2026-01-01T00:00:00+01:00", "2026-03-01T00:00:00+01:00", 0, {NULL},
     {"2026-01-07T10:00:00+01:00", "2026-01-12T10:00:00+01:00",
      "2026-01-19T10:00:00+01:00", NULL}},
    {"COUNT does not count a matching dtstart twice",
     "FREQ=WEEKLY;BYDAY=MO;COUNT=3", "2026-01-05T10:00:00+01:00",
     "2026-01-01T00:00:00+01:00", "2026-03-01T00:00:00+01:00", 0, {NULL},
     {"2026-01-05T10:00:00+01:00", "2026-01-12T10:00:00+01:00",
      "2026-01-19T10:00:00+01:00", NULL}},
    {"COUNT=1 is dtstart alone", "FREQ=DAILY;COUNT=1",
     "2026-01-05T10:00:00+01:00", "2026-01-01T00:00:00+01:00",
     "2026-03-01T00:00:00+01:00", 0, {NULL},
     {"2026-01-05T10:00:00+01:00", NULL}},
    {"UNTIL as a date includes that day", "FREQ=DAILY;UNTIL=20260110",
     "2026-01-05T18:00:00+01:00", "2026-01-01T00:00:00+01:00",
     "2026-03-01T00:00:00+01:00", 0, {NULL},
     {"2026-01-05T18:00:00+01:00", "2026-01-06T18:00:00+01:00",
      "2026-01-07T18:00:00+01:00", "2026-01-08T18:00:00+01:00",
      "2026-01-09T18:00:00+01:00", "2026-01-10T18:00:00+01:00", NULL}},
    {"UNTIL as a date, late evening", "FREQ=WEEKLY;UNTIL=20260120",
     "2026-01-06T23:30:00+01:00", "2026-01-01T00:00:00+01:00",
     "2026-03-01T00:00:00+01:00", 0, {NULL},
     {"2026-01-06T23:30:00+01:00", "2026-01-13T23:30:00+01:00",
      "2026-01-20T23:30:00+01:00", NULL}},
    {"UNTIL as UTC date-time is inclusive", "FREQ=DAILY;UNTIL=20260110T170000Z",
     "2026-01-05T18:00:00+01:00", "2026-01-01T00:00:00+01:00",
     "2026-03-01T00:00:00+01:00", 0, {NULL},
     {"2026-01-05T18:00:00+01:00", "2026-01-06T18:00:00+01:00",
      "2026-01-07T18:00:00+01:00", "2026-01-08T18:00:00+01:00",
      "2026-01-09T18:00:00+01:00", "2026-01-10T18:00:00+01:00", NULL}},
    {"UNTIL as UTC date-time a second early", "FREQ=DAILY;UNTIL=20260110T165959Z",
     "2026-01-05T18:00:00+01:00", "2026-01-01T00:00:00+01:00",
     "2026-03-01T00:00:00+01:00", 0, {NULL},
     {"2026-01-05T18:00:00+01:00", "2026-01-06T18:00:00+01:00",
      "2026-01-07T18:00:00+01:00", "2026-01-08T18:00:00+01:00",
      "2026-01-09T18:00:00+01:00", NULL}},
    {"UNTIL before dtstart leaves dtstart", "FREQ=DAILY;UNTIL=20251231",
     "2026-01-05T18:00:00+01:00", "2026-01-01T00:00:00+01:00",
     "2026-03-01T00:00:00+01:00", 0, {NULL},
     {"2026-01-05T18:00:00+01:00", NULL}},
    {"weekly INTERVAL=2 from a Wednesday, weeks start Monday",
     "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR", "2026-01-07T10:00:00+01:00",
     "2026-01-01T00:00:00+01:00", "2026-02-08T00:00:00+01:00", 0, {NULL},
     {"2026-01-07T10:00:00+01:00", "2026-01-09T10:00:00+01:00",
      "2026-01-19T10:00:00+01:00", "2026-01-23T10:00:00+01:00",
      "2026-02-02T10:00:00+01:00", "2026-02-06T10:00:00+01:00", NULL}},
    {"weekly INTERVAL=2 without BYDAY keeps dtstart's weekday",
     "FREQ=WEEKLY;INTERVAL=2", "2026-01-08T10:00:00+01:00",
     "2026-01-01T00:00:00+01:00", "2026-02-08T00:00:00+01:00", 0, {NULL},
     {"2026-01-08T10:00:00+01:00", "2026-01-22T10:00:00+01:00",
      "2026-02-05T10:00:00+01:00", NULL}},
    {"daily INTERVAL=3", "FREQ=DAILY;INTERVAL=3", "2026-01-01T09:00:00+01:00",
     "2026-01-01T00:00:00+01:00", "2026-01-14T00:00:00+01:00", 0, {NULL},
     {"2026-01-01T09:00:00+01:00", "2026-01-04T09:00:00+01:00",
      "2026-01-07T09:00:00+01:00", "2026-01-10T09:00:00+01:00",
      "2026-01-13T09:00:00+01:00", NULL}},
    {"daily BYDAY=MO,WE", "FREQ=DAILY;BYDAY=MO,WE", "2026-01-05T09:00:00+01:00",
     "2026-01-01T00:00:00+01:00", "2026-01-22T00:00:00+01:00", 0, {NULL},
     {"2026-01-05T09:00:00+01:00", "2026-01-07T09:00:00+01:00",
      "2026-01-12T09:00:00+01:00", "2026-01-14T09:00:00+01:00",
      "2026-01-19T09:00:00+01:00", "2026-01-21T09:00:00+01:00", NULL}},
    {"daily 02:30 on the spring-gap day lands at 03:30", "FREQ=DAILY;COUNT=4",
     "2026-03-27T02:30:00+01:00", "2026-03-01T00:00:00+01:00",
     "2026-04-30T00:00:00+02:00", 0, {NULL},
     {"2026-03-27T02:30:00+01:00", "2026-03-28T02:30:00+01:00",
      "2026-03-29T03:30:00+02:00", "2026-03-30T02:30:00+02:00", NULL}},
    {"daily 02:30 in the autumn overlap takes the first", "FREQ=DAILY;COUNT=3",
     "2026-10-24T02:30:00+02:00", "2026-10-01T00:00:00+02:00",
     "2026-11-30T00:00:00+01:00", 0, {NULL},
     {"2026-10-24T02:30:00+02:00", "2026-10-25T02:30:00+02:00",
      "2026-10-26T02:30:00+01:00", NULL}},
    {"dtstart in the second pass of the overlap", "FREQ=DAILY;COUNT=2",
     "2026-10-25T02:30:00+01:00", "2026-10-01T00:00:00+02:00",
     "2026-11-30T00:00:00+01:00", 0, {NULL},
     {"2026-10-25T02:30:00+01:00", "2026-10-26T02:30:00+01:00", NULL}},
    {"exdates written with other offsets match by instant",
     "FREQ=WEEKLY;BYDAY=TH", "2026-01-08T10:00:00+01:00",
     "2026-01-01T00:00:00+01:00", "2026-02-06T00:00:00+01:00", 0,
     {"2026-01-15T09:00:00Z", "2026-01-22T04:00:00-05:00",
      "2026-01-29T10:01:00+01:00", NULL},
     {"2026-01-08T10:00:00+01:00", "2026-01-29T10:00:00+01:00",
      "2026-02-05T10:00:00+01:00", NULL}},
    {"COUNT applies before exdates", "FREQ=WEEKLY;COUNT=4",
     "2026-01-08T10:00:00+01:00", "2026-01-01T00:00:00+01:00",
     "2026-03-01T00:00:00+01:00", 0, {"2026-01-15T10:00:00+01:00", NULL},
     {"2026-01-08T10:00:00+01:00", "2026-01-22T10:00:00+01:00",
      "2026-01-29T10:00:00+01:00", NULL}},
    {"an exdate can cancel dtstart, which still counts", "FREQ=WEEKLY;COUNT=3",
     "2026-01-08T10:00:00+01:00", "2026-01-01T00:00:00+01:00",
     "2026-03-01T00:00:00+01:00", 0, {"2026-01-08T09:00:00Z", NULL},
     {"2026-01-15T10:00:00+01:00", "2026-01-22T10:00:00+01:00", NULL}},
    {"window start inclusive, end exclusive", "FREQ=WEEKLY",
     "2026-01-08T10:00:00+01:00", "2026-01-15T10:00:00+01:00",
     "2026-01-29T10:00:00+01:00", 0, {NULL},
     {"2026-01-15T10:00:00+01:00", "2026-01-22T10:00:00+01:00", NULL}},
    {"window a second later misses the start", "FREQ=WEEKLY",
     "2026-01-08T10:00:00+01:00", "2026-01-15T10:00:01+01:00",
     "2026-01-29T10:00:01+01:00", 0, {NULL},
     {"2026-01-22T10:00:00+01:00", "2026-01-29T10:00:00+01:00", NULL}},
    {"max_out stops early", "FREQ=DAILY", "2026-01-08T10:00:00+01:00",
     "2026-01-01T00:00:00+01:00", "2026-03-01T00:00:00+01:00", 3, {NULL},
     {"2026-01-08T10:00:00+01:00", "2026-01-09T10:00:00+01:00",
      "2026-01-10T10:00:00+01:00", NULL}},
    {"empty window", "FREQ=DAILY", "2026-01-08T10:00:00+01:00",
     "2026-01-10T00:00:00+01:00", "2026-01-10T00:00:00+01:00", 0, {NULL},
     {NULL}},
    {"window before dtstart", "FREQ=DAILY", "2026-01-08T10:00:00+01:00",
     "2025-01-01T00:00:00+01:00", "2026-01-08T10:00:00+01:00", 0, {NULL},
     {NULL}},
    {"one-off", NULL, "2026-01-08T10:00:00+01:00", "2026-01-01T00:00:00+01:00",
     "2026-03-01T00:00:00+01:00", 0, {NULL},
     {"2026-01-08T10:00:00+01:00", NULL}},
    {"one-off, cancelled", NULL, "2026-01-08T10:00:00+01:00",
     "2026-01-01T00:00:00+01:00", "2026-03-01T00:00:00+01:00", 0,
     {"2026-01-08T09:00:00Z", NULL}, {NULL}},
    {"one-off outside the window", NULL, "2026-01-08T10:00:00+01:00",
     "2026-02-01T00:00:00+01:00", "2026-03-01T00:00:00+01:00", 0, {NULL},
     {NULL}},
    {"a pattern that never matches yields dtstart and ends",
     "FREQ=DAILY;INTERVAL=7;BYDAY=MO", "2026-01-06T10:00:00+01:00",
     "2026-01-01T00:00:00+01:00", "2199-01-01T00:00:00+01:00", 0, {NULL},
     {"2026-01-06T10:00:00+01:00", NULL}},
    {"...also with COUNT", "FREQ=DAILY;INTERVAL=7;BYDAY=MO;COUNT=5",
     "2026-01-06T10:00:00+01:00", "2026-01-01T00:00:00+01:00",
     "2199-01-01T00:00:00+01:00", 0, {NULL},
     {"2026-01-06T10:00:00+01:00", NULL}},
};

static void run_expand_row(const struct expand_row *row)
{
    struct rrule rule;
    char err[128];
    if (row->rule && !rrule_parse(row->rule, &rule, err, sizeof err))
        fail_msg("%s: %s", row->name, err);
    int64_t ex[4];
    size_t n_ex = 0;
    for (; n_ex < 4 && row->exdates[n_ex]; n_ex++)
        ex[n_ex] = ts(row->exdates[n_ex]);
    int64_t out[MAX_ROWS_OUT + 4];
    size_t max_out = row->max_out ? row->max_out : MAX_ROWS_OUT;
    /* Poison beyond max_out to catch writes past it. */
    for (size_t i = 0; i < sizeof out / sizeof out[0]; i++)
        out[i] = -12345;
    size_t n = rrule_expand(row->rule ? &rule : NULL, ts(row->dtstart), ex, n_ex,
                            ts(row->window_start), ts(row->window_end), out,
                            max_out);
    size_t want = 0;
    while (row->expected[want])
        want++;
    for (size_t i = 0; i < n || i < want; i++) {
        char got[RFC3339_LEN] = "(none)";
        if (i < n)
            rfc3339_format_local(out[i], got);
        const char *exp = i < want ? row->expected[i] : "(none)";
        if (strcmp(got, exp) != 0)
            fail_msg("%s: occurrence %zu is %s, want %s", row->name, i, got, exp);
    }
    for (size_t i = max_out; i < sizeof out / sizeof out[0]; i++)
        assert_int_equal(out[i], -12345);
}

static void test_expand_table(void **state)
{
    for (size_t i = 0; i < sizeof expand_rows / sizeof expand_rows[0]; i++)
        run_expand_row(&expand_rows[i]);
}

static void test_expand_max_out_zero(void **state)
{
    struct rrule rule;
    assert_true(rrule_parse("FREQ=DAILY", &rule, NULL, 0));
    int64_t out[1] = {-1};
    int64_t start = ts("2026-01-08T10:00:00+01:00");
    assert_int_equal(rrule_expand(&rule, start, NULL, 0, start - 86400,
                                  start + 86400 * 10, out, 0), 0);
    assert_int_equal(out[0], -1);
    assert_int_equal(rrule_expand(NULL, start, NULL, 0, start, start + 1, out, 1), 1);
    assert_int_equal(out[0], start);
}

/* INT64_MIN/MAX as an unbounded window must neither overflow nor hang. */
static void test_expand_unbounded_window(void **state)
{
    static const struct {
        const char *rule;
        size_t want;
    } rows[] = {
        {"FREQ=WEEKLY;BYDAY=MO,TH;COUNT=7", 7},
        {"FREQ=MONTHLY;BYDAY=-1SU;UNTIL=20261231", 13}, /* dtstart + 12 */
        {"FREQ=DAILY;UNTIL=20260131T090000Z", 31},
        {"FREQ=DAILY", 50},
        {"FREQ=DAILY;INTERVAL=7;BYDAY=MO", 1},
    };
    int64_t out[50];
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct rrule rule;
        assert_true(rrule_parse(rows[i].rule, &rule, NULL, 0));
        size_t n = rrule_expand(&rule, ts("2026-01-01T10:00:00+01:00"), NULL, 0,
                                INT64_MIN, INT64_MAX, out, 50);
        if (n != rows[i].want)
            fail_msg("%s: %zu occurrences, want %zu", rows[i].rule, n, rows[i].want);
        for (size_t k = 1; k < n; k++)
            assert_true(out[k] > out[k - 1]);
    }
    struct rrule rule;
    assert_true(rrule_parse("FREQ=DAILY", &rule, NULL, 0));
    assert_int_equal(rrule_expand(&rule, ts("2026-01-01T10:00:00+01:00"), NULL, 0,
                                  INT64_MAX - 10, INT64_MAX, out, 50), 0);
}

/* A weekly Thursday 10:00 across both 2026 changes stays at 10:00 local;
 * its instants shift by an hour each time. */
static void test_expand_weekly_across_dst(void **state)
{
    struct rrule rule;
    assert_true(rrule_parse("FREQ=WEEKLY;BYDAY=TH", &rule, NULL, 0));
    int64_t out[64];
    size_t n = rrule_expand(&rule, ts("2026-03-19T10:00:00+01:00"), NULL, 0,
                            ts("2026-03-01T00:00:00+01:00"),
                            ts("2026-11-15T00:00:00+01:00"), out, 64);
    /* 19 March to 12 November: 238 days, 35 Thursdays. */
    assert_int_equal(n, 35);
    for (size_t i = 0; i < n; i++) {
        struct local_time lt;
        tz_to_local(out[i], &lt);
        assert_int_equal(lt.wday, 3);
        assert_int_equal(lt.hour, 10);
        assert_int_equal(lt.minute, 0);
        assert_int_equal(lt.second, 0);
    }
    char buf[RFC3339_LEN];
    rfc3339_format_utc(out[1], buf);
    assert_string_equal(buf, "2026-03-26T09:00:00Z");
    rfc3339_format_utc(out[2], buf);
    assert_string_equal(buf, "2026-04-02T08:00:00Z");
    rfc3339_format_utc(out[n - 4], buf);
    assert_string_equal(buf, "2026-10-22T08:00:00Z");
    rfc3339_format_utc(out[n - 3], buf);
    assert_string_equal(buf, "2026-10-29T09:00:00Z");
    rfc3339_format_utc(out[n - 1], buf);
    assert_string_equal(buf, "2026-11-12T09:00:00Z");
    int shorter = 0, longer = 0;
    for (size_t i = 1; i < n; i++) {
        int64_t gap = out[i] - out[i - 1];
        if (gap == 7 * 86400 - 3600)
            shorter++;
        else if (gap == 7 * 86400 + 3600)
            longer++;
        else
            assert_int_equal(gap, 7 * 86400);
    }
    assert_int_equal(shorter, 1);
    assert_int_equal(longer, 1);
}

static double seconds_since(clock_t start)
{
    return (double)(clock() - start) / CLOCKS_PER_SEC;
}

/* A rule from 2020 seen through a 2026 window: the kiosk does this for
 * every item on every refresh, so it must not walk six years of days. */
static void test_expand_old_rule_is_fast(void **state)
{
    struct rrule rule;
    assert_true(rrule_parse("FREQ=DAILY", &rule, NULL, 0));
    int64_t ws = ts("2026-06-01T00:00:00+02:00");
    int64_t we = ws + 90 * 86400;
    int64_t out[1000];
    clock_t start = clock();
    size_t n = 0;
    for (int rep = 0; rep < 100; rep++)
        n = rrule_expand(&rule, ts("2020-01-01T10:00:00+01:00"), NULL, 0, ws, we,
                         out, 1000);
    /* 100 runs; generous for sanitizers, far below a day-by-day walk. */
    assert_true(seconds_since(start) < 2.0);
    assert_int_equal(n, 90);
    char buf[RFC3339_LEN];
    rfc3339_format_local(out[0], buf);
    assert_string_equal(buf, "2026-06-01T10:00:00+02:00");
    rfc3339_format_local(out[89], buf);
    assert_string_equal(buf, "2026-08-29T10:00:00+02:00");
    for (size_t i = 1; i < n; i++)
        assert_int_equal(out[i] - out[i - 1], 86400);

    /* Centuries ahead: a walk from dtstart would take seconds here. */
    start = clock();
    for (int rep = 0; rep < 100; rep++)
        n = rrule_expand(&rule, ts("1900-01-01T09:40:28Z"), NULL, 0,
                         ts("2199-06-01T00:00:00+02:00"),
                         ts("2199-06-01T00:00:00+02:00") + 90 * 86400, out, 1000);
    assert_true(seconds_since(start) < 2.0);
    assert_int_equal(n, 90);
    rfc3339_format_local(out[0], buf);
    assert_string_equal(buf, "2199-06-01T10:00:00+02:00");

    /* With COUNT every earlier occurrence has to be counted, but it still
     * comes out right and bounded. */
    assert_true(rrule_parse("FREQ=DAILY;COUNT=2200", &rule, NULL, 0));
    n = rrule_expand(&rule, ts("2020-01-01T10:00:00+01:00"), NULL, 0,
                     ts("2026-01-01T00:00:00+01:00"),
                     ts("2027-01-01T00:00:00+01:00"), out, 1000);
    assert_int_equal(n, 8);
    rfc3339_format_local(out[7], buf);
    assert_string_equal(buf, "2026-01-08T10:00:00+01:00");
}

/* Jumping ahead, or counting by date alone, must give exactly what
 * walking from dtstart instant by instant gives. */
static void test_expand_jump_matches_walk(void **state)
{
    static const struct {
        const char *rule, *dtstart;
    } rows[] = {
        {"FREQ=DAILY", "2020-01-01T10:00:00+01:00"},
        {"FREQ=DAILY;INTERVAL=7", "2020-02-03T02:30:00+01:00"},
        {"FREQ=DAILY;INTERVAL=3;BYDAY=SA,SU", "2020-02-03T23:59:59+01:00"},
        {"FREQ=WEEKLY", "2020-03-05T10:00:00+01:00"},
        {"FREQ=WEEKLY;INTERVAL=3;BYDAY=TU,SA", "2020-03-05T00:00:00+01:00"},
        {"FREQ=WEEKLY;INTERVAL=2;BYDAY=SU", "2020-03-29T02:30:00+02:00"},
        {"FREQ=MONTHLY", "2020-01-31T19:00:00+01:00"},
        {"FREQ=MONTHLY;INTERVAL=5;BYDAY=-1FR,2MO", "2020-01-31T19:00:00+01:00"},
        {"FREQ=MONTHLY;BYDAY=5SU", "2020-03-29T02:30:00+02:00"},
        {"FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20260704", "2021-06-10T09:15:00+02:00"},
        /* COUNT rules ending inside a window: counted, not jumped. */
        {"FREQ=DAILY;COUNT=2300", "2020-01-01T10:00:00+01:00"},
        {"FREQ=WEEKLY;BYDAY=MO,TH;COUNT=700", "2020-03-05T02:30:00+01:00"},
        {"FREQ=MONTHLY;BYDAY=-1FR;COUNT=79", "2020-01-31T19:00:00+01:00"},
    };
    static const char *const windows[][2] = {
        {"2026-06-01T00:00:00+02:00", "2026-08-30T00:00:00+02:00"},
        {"2026-03-01T00:00:00+01:00", "2026-05-30T00:00:00+02:00"},
        {"2026-10-20T00:00:00+02:00", "2027-01-18T00:00:00+01:00"},
        {"2020-03-05T10:00:00+01:00", "2020-04-05T00:00:00+02:00"},
    };
    int64_t all[4096], part[4096];
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        struct rrule rule;
        assert_true(rrule_parse(rows[r].rule, &rule, NULL, 0));
        int64_t dtstart = ts(rows[r].dtstart);
        for (size_t w = 0; w < sizeof windows / sizeof windows[0]; w++) {
            int64_t ws = ts(windows[w][0]), we = ts(windows[w][1]);
            size_t n_all = rrule_expand(&rule, dtstart, NULL, 0, dtstart, we,
                                        all, 4096);
            assert_true(n_all < 4096);
            size_t n_part = rrule_expand(&rule, dtstart, NULL, 0, ws, we, part,
                                         4096);
            size_t j = 0;
            for (size_t i = 0; i < n_all; i++) {
                if (all[i] < ws)
                    continue;
                if (j >= n_part || part[j] != all[i])
                    fail_msg("%s window %zu: mismatch at %zu", rows[r].rule, w, j);
                j++;
            }
            assert_int_equal(j, n_part);
            for (size_t i = 1; i < n_all; i++)
                assert_true(all[i] > all[i - 1]);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_valid),
        cmocka_unit_test(test_parse_invalid),
        cmocka_unit_test(test_parse_too_many_byday),
        cmocka_unit_test(test_expand_table),
        cmocka_unit_test(test_expand_max_out_zero),
        cmocka_unit_test(test_expand_unbounded_window),
        cmocka_unit_test(test_expand_weekly_across_dst),
        cmocka_unit_test(test_expand_old_rule_is_fast),
        cmocka_unit_test(test_expand_jump_matches_walk),
    };
    return cmocka_run_group_tests_name("rrule Europe/Amsterdam", tests,
                                       setup_amsterdam, NULL);
}
