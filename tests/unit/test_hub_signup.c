/*
 * The hub's sign-up body validator (hub-api-v1.md "Sign-ups"), table-
 * driven: every row is a body and what the hub must make of it: accepted,
 * 400 (not a well-formed sign-up) or 422 (well-formed, but not for this
 * activity), with a word the reason must contain. Must-fail rows cover
 * each field's type and each rule. Also: the "closed" clock rule, UUIDs,
 * the HTTP header helpers, --listen, and the CSV reader and writer.
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
#include "hub/hub_config.h"
#include "hub/hub_csv.h"
#include "hub/hub_feed.h"
#include "hub/hub_http.h"
#include "hub/hub_signup.h"

#define Q(s) "\"" s "\""
#define ID Q("1b4e28ba-2fa1-41d2-883f-0016d3cca427")
#define OCC Q("2026-12-08T10:00:00+01:00")
#define CREATED Q("2026-11-25T09:14:03+01:00")

/* A body with every field of the contract, each given as JSON text. */
#define BODY(id, kiosk, act, occ, name, phone, email, party, remark, wl, lang, created)          \
    "{\"signup_id\":" id ",\"kiosk_id\":" kiosk ",\"activity_id\":" act ",\"occurrence\":" occ \
    ",\"name\":" name ",\"phone\":" phone ",\"email\":" email ",\"party_size\":" party          \
    ",\"remark\":" remark ",\"waitlist_ok\":" wl ",\"language\":" lang ",\"created_at\":"       \
    created "}"

#define GOOD(name, phone, email, party, remark)                                                 \
    BODY(ID, Q("k1"), Q("act-1"), OCC, name, phone, email, party, remark, "false", Q("nl"),      \
         CREATED)

/* Which activity a row is checked against. */
enum activity { ACT_NAME_PHONE, ACT_ALL_FIELDS, ACT_NO_SIGNUP };

enum expect { ACCEPT, BAD_400, BAD_422 };

struct row {
    const char *what;
    const char *body;
    enum activity activity;
    enum expect expect;
    const char *reason;             /* a word the error must contain */
};

#define NAME81 "\"" "1234567890123456789012345678901234567890" \
               "1234567890123456789012345678901234567890x" "\""
#define E10 "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
#define NAME80_UTF8 "\"" E10 E10 E10 E10 E10 E10 E10 E10 "\""
#define R100 "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"

static const struct row rows[] = {
    /* ---- accepted ---- */
    {"the contract's example", GOOD(Q("Jan Jansen"), Q("0612345678"), "null", "1", "null"),
     ACT_NAME_PHONE, ACCEPT, NULL},
    {"occurrence in UTC", BODY(ID, Q("k1"), Q("act-1"), Q("2026-12-08T09:00:00Z"), Q("Jan"),
                               Q("0612345678"), "null", "1", "null", "true", Q("nl"), CREATED),
     ACT_NAME_PHONE, ACCEPT, NULL},
    {"upper-case UUID", BODY(Q("1B4E28BA-2FA1-41D2-883F-0016D3CCA427"), Q("k1"), Q("act-1"), OCC,
                             Q("Jan"), Q("0612345678"), "null", "1", "null", "false", Q("nl"),
                             CREATED),
     ACT_NAME_PHONE, ACCEPT, NULL},
    {"80 letters of two bytes", GOOD(NAME80_UTF8, Q("0612345678"), "null", "1", "null"),
     ACT_NAME_PHONE, ACCEPT, NULL},
    {"international phone", GOOD(Q("Jan"), Q("+31 (0)6-1234 5678"), "null", "1", "null"),
     ACT_NAME_PHONE, ACCEPT, NULL},
    {"all fields", GOOD(Q("Fatima el Amrani"), Q("0612345678"), Q("f@example.nl"), "20",
                        Q("Met rolstoel.\\nDank!")),
     ACT_ALL_FIELDS, ACCEPT, NULL},
    {"no remark though asked", GOOD(Q("Jan"), Q("0612345678"), Q("j@example.nl"), "2", "null"),
     ACT_ALL_FIELDS, ACCEPT, NULL},
    {"email a number, though not asked", GOOD(Q("Jan"), Q("0612345678"), "12", "1", "null"),
     ACT_NAME_PHONE, BAD_400, "email"},
    {"unknown fields and absent optionals",
     "{\"signup_id\":" ID ",\"kiosk_id\":\"k1\",\"activity_id\":\"act-1\",\"occurrence\":" OCC
     ",\"name\":\"Jan\",\"phone\":\"0612345678\",\"party_size\":1,\"created_at\":" CREATED
     ",\"future\":{\"x\":[1]}}",
     ACT_NAME_PHONE, ACCEPT, NULL},

    /* ---- 400: not a well-formed sign-up ---- */
    {"empty body", "", ACT_NAME_PHONE, BAD_400, "JSON"},
    {"truncated JSON", "{\"signup_id\":", ACT_NAME_PHONE, BAD_400, "JSON"},
    {"trailing garbage", GOOD(Q("Jan"), Q("0612345678"), "null", "1", "null") "x",
     ACT_NAME_PHONE, BAD_400, "JSON"},
    {"an array", "[1,2]", ACT_NAME_PHONE, BAD_400, "object"},
    {"a string", "\"signup\"", ACT_NAME_PHONE, BAD_400, "JSON"},
    {"duplicate key",
     "{\"signup_id\":" ID ",\"signup_id\":" ID ",\"kiosk_id\":\"k1\",\"activity_id\":\"a\","
     "\"occurrence\":" OCC ",\"party_size\":1,\"created_at\":" CREATED "}",
     ACT_NAME_PHONE, BAD_400, "JSON"},
    {"signup_id missing",
     "{\"kiosk_id\":\"k1\",\"activity_id\":\"a\",\"occurrence\":" OCC
     ",\"party_size\":1,\"created_at\":" CREATED "}",
     ACT_NAME_PHONE, BAD_400, "signup_id"},
    {"signup_id a number", BODY("12", Q("k1"), Q("act-1"), OCC, Q("Jan"), Q("0612345678"), "null",
                                "1", "null", "false", Q("nl"), CREATED),
     ACT_NAME_PHONE, BAD_400, "signup_id"},
    {"signup_id not a UUID", BODY(Q("hello"), Q("k1"), Q("act-1"), OCC, Q("Jan"), Q("0612345678"),
                                  "null", "1", "null", "false", Q("nl"), CREATED),
     ACT_NAME_PHONE, BAD_400, "signup_id"},
    {"signup_id UUID v1", BODY(Q("1b4e28ba-2fa1-11d2-883f-0016d3cca427"), Q("k1"), Q("act-1"), OCC,
                               Q("Jan"), Q("0612345678"), "null", "1", "null", "false", Q("nl"),
                               CREATED),
     ACT_NAME_PHONE, BAD_400, "signup_id"},
    {"signup_id wrong variant", BODY(Q("1b4e28ba-2fa1-41d2-c83f-0016d3cca427"), Q("k1"),
                                     Q("act-1"), OCC, Q("Jan"), Q("0612345678"), "null", "1",
                                     "null", "false", Q("nl"), CREATED),
     ACT_NAME_PHONE, BAD_400, "signup_id"},
    {"signup_id with braces", BODY(Q("{1b4e28ba-2fa1-41d2-883f-0016d3cca427}"), Q("k1"),
                                   Q("act-1"), OCC, Q("Jan"), Q("0612345678"), "null", "1", "null",
                                   "false", Q("nl"), CREATED),
     ACT_NAME_PHONE, BAD_400, "signup_id"},
    {"kiosk_id not an id", BODY(ID, Q("k 1"), Q("act-1"), OCC, Q("Jan"), Q("0612345678"), "null",
                                "1", "null", "false", Q("nl"), CREATED),
     ACT_NAME_PHONE, BAD_400, "kiosk_id"},
    {"kiosk_id null", BODY(ID, "null", Q("act-1"), OCC, Q("Jan"), Q("0612345678"), "null", "1",
                           "null", "false", Q("nl"), CREATED),
     ACT_NAME_PHONE, BAD_400, "kiosk_id"},
    {"activity_id a number", BODY(ID, Q("k1"), "7", OCC, Q("Jan"), Q("0612345678"), "null", "1",
                                  "null", "false", Q("nl"), CREATED),
     ACT_NAME_PHONE, BAD_400, "activity_id"},
    {"activity_id empty", BODY(ID, Q("k1"), Q(""), OCC, Q("Jan"), Q("0612345678"), "null", "1",
                               "null", "false", Q("nl"), CREATED),
     ACT_NAME_PHONE, BAD_400, "activity_id"},
    {"occurrence without offset", BODY(ID, Q("k1"), Q("act-1"), Q("2026-12-08T10:00:00"), Q("Jan"),
                                       Q("0612345678"), "null", "1", "null", "false", Q("nl"),
                                       CREATED),
     ACT_NAME_PHONE, BAD_400, "occurrence"},
    {"occurrence a number", BODY(ID, Q("k1"), Q("act-1"), "1796720400", Q("Jan"), Q("0612345678"),
                                 "null", "1", "null", "false", Q("nl"), CREATED),
     ACT_NAME_PHONE, BAD_400, "occurrence"},
    {"created_at missing",
     "{\"signup_id\":" ID ",\"kiosk_id\":\"k1\",\"activity_id\":\"a\",\"occurrence\":" OCC
     ",\"party_size\":1}",
     ACT_NAME_PHONE, BAD_400, "created_at"},
    {"created_at not a time", BODY(ID, Q("k1"), Q("act-1"), OCC, Q("Jan"), Q("0612345678"), "null",
                                   "1", "null", "false", Q("nl"), Q("yesterday")),
     ACT_NAME_PHONE, BAD_400, "created_at"},
    {"party_size a string", GOOD(Q("Jan"), Q("0612345678"), "null", Q("1"), "null"),
     ACT_NAME_PHONE, BAD_400, "party_size"},
    {"party_size a real", GOOD(Q("Jan"), Q("0612345678"), "null", "1.0", "null"), ACT_NAME_PHONE,
     BAD_400, "party_size"},
    {"party_size true", GOOD(Q("Jan"), Q("0612345678"), "null", "true", "null"), ACT_NAME_PHONE,
     BAD_400, "party_size"},
    {"party_size missing",
     "{\"signup_id\":" ID ",\"kiosk_id\":\"k1\",\"activity_id\":\"a\",\"occurrence\":" OCC
     ",\"created_at\":" CREATED "}",
     ACT_NAME_PHONE, BAD_400, "party_size"},
    {"waitlist_ok a string", BODY(ID, Q("k1"), Q("act-1"), OCC, Q("Jan"), Q("0612345678"), "null",
                                  "1", "null", Q("yes"), Q("nl"), CREATED),
     ACT_NAME_PHONE, BAD_400, "waitlist_ok"},
    {"waitlist_ok a number", BODY(ID, Q("k1"), Q("act-1"), OCC, Q("Jan"), Q("0612345678"), "null",
                                  "1", "null", "1", Q("nl"), CREATED),
     ACT_NAME_PHONE, BAD_400, "waitlist_ok"},
    {"name a number", GOOD("42", Q("0612345678"), "null", "1", "null"), ACT_NAME_PHONE, BAD_400,
     "name"},
    {"phone a number", GOOD(Q("Jan"), "612345678", "null", "1", "null"), ACT_NAME_PHONE, BAD_400,
     "phone"},
    {"email false", GOOD(Q("Jan"), Q("0612345678"), "false", "1", "null"), ACT_NAME_PHONE,
     BAD_400, "email"},
    {"remark an array", GOOD(Q("Jan"), Q("0612345678"), "null", "1", "[]"), ACT_NAME_PHONE,
     BAD_400, "remark"},
    {"NUL in a name", GOOD(Q("Ja\\u0000n"), Q("0612345678"), "null", "1", "null"),
     ACT_NAME_PHONE, BAD_400, "JSON"},
    {"language a number", BODY(ID, Q("k1"), Q("act-1"), OCC, Q("Jan"), Q("0612345678"), "null",
                               "1", "null", "false", "5", CREATED),
     ACT_NAME_PHONE, BAD_400, "language"},
    {"language with a space", BODY(ID, Q("k1"), Q("act-1"), OCC, Q("Jan"), Q("0612345678"), "null",
                                   "1", "null", "false", Q("n l"), CREATED),
     ACT_NAME_PHONE, BAD_400, "language"},

    /* ---- 422: well-formed, not for this activity ---- */
    {"no sign-up offered", GOOD(Q("Jan"), Q("0612345678"), "null", "1", "null"), ACT_NO_SIGNUP,
     BAD_422, "sign-up"},
    {"not an occurrence (wrong hour)",
     BODY(ID, Q("k1"), Q("act-1"), Q("2026-12-08T11:00:00+01:00"), Q("Jan"), Q("0612345678"),
          "null", "1", "null", "false", Q("nl"), CREATED),
     ACT_NAME_PHONE, BAD_422, "occurrence"},
    {"not an occurrence (wrong weekday)",
     BODY(ID, Q("k1"), Q("act-1"), Q("2026-12-09T10:00:00+01:00"), Q("Jan"), Q("0612345678"),
          "null", "1", "null", "false", Q("nl"), CREATED),
     ACT_NAME_PHONE, BAD_422, "occurrence"},
    {"a cancelled occurrence (exdate)",
     BODY(ID, Q("k1"), Q("act-1"), Q("2026-12-01T10:00:00+01:00"), Q("Jan"), Q("0612345678"),
          "null", "1", "null", "false", Q("nl"), CREATED),
     ACT_NAME_PHONE, BAD_422, "occurrence"},
    {"before the first occurrence",
     BODY(ID, Q("k1"), Q("act-1"), Q("2026-11-17T10:00:00+01:00"), Q("Jan"), Q("0612345678"),
          "null", "1", "null", "false", Q("nl"), CREATED),
     ACT_NAME_PHONE, BAD_422, "occurrence"},
    {"past COUNT",
     BODY(ID, Q("k1"), Q("act-1"), Q("2027-02-02T10:00:00+01:00"), Q("Jan"), Q("0612345678"),
          "null", "1", "null", "false", Q("nl"), CREATED),
     ACT_NAME_PHONE, BAD_422, "occurrence"},
    {"party_size 0", GOOD(Q("Jan"), Q("0612345678"), Q("j@example.nl"), "0", "null"),
     ACT_ALL_FIELDS, BAD_422, "party_size"},
    {"party_size -1", GOOD(Q("Jan"), Q("0612345678"), Q("j@example.nl"), "-1", "null"),
     ACT_ALL_FIELDS, BAD_422, "party_size"},
    {"party_size 21", GOOD(Q("Jan"), Q("0612345678"), Q("j@example.nl"), "21", "null"),
     ACT_ALL_FIELDS, BAD_422, "party_size"},
    {"party_size 2 not asked", GOOD(Q("Jan"), Q("0612345678"), "null", "2", "null"),
     ACT_NAME_PHONE, BAD_422, "party_size"},
    {"name missing", GOOD("null", Q("0612345678"), "null", "1", "null"), ACT_NAME_PHONE, BAD_422,
     "name"},
    {"name empty", GOOD(Q(""), Q("0612345678"), "null", "1", "null"), ACT_NAME_PHONE, BAD_422,
     "name"},
    {"name blank", GOOD(Q("   "), Q("0612345678"), "null", "1", "null"), ACT_NAME_PHONE, BAD_422,
     "name"},
    {"name 81 characters", GOOD(NAME81, Q("0612345678"), "null", "1", "null"), ACT_NAME_PHONE,
     BAD_422, "name"},
    {"name with a line break", GOOD(Q("Jan\\nJansen"), Q("0612345678"), "null", "1", "null"),
     ACT_NAME_PHONE, BAD_422, "name"},
    /* Unicode Cc and Cf (and line separators) in personal text, and names
     * that are nothing but white space of any kind. */
#define NAME_ROW(what, name) \
    {what, GOOD(Q(name), Q("0612345678"), "null", "1", "null"), ACT_NAME_PHONE, BAD_422, "name"}
    NAME_ROW("name with a C1 control (NEL)", "Jan\\u0085Jansen"),
    NAME_ROW("name with a C1 control (CSI)", "Jan\\u009b2J"),
    NAME_ROW("name with DEL", "Jan\\u007f"),
    NAME_ROW("name with a tab", "Jan\\tJansen"),
    NAME_ROW("name with right-to-left override", "Jan \\u202eneznaJ"),
    NAME_ROW("name with left-to-right embedding", "\\u202aJan"),
    NAME_ROW("name with pop directional formatting", "Jan\\u202c"),
    NAME_ROW("name with an isolate", "\\u2066Jan\\u2069"),
    NAME_ROW("name with first strong isolate", "\\u2068Jan"),
    NAME_ROW("name with a zero-width space", "Jan\\u200bJansen"),
    NAME_ROW("name with a zero-width joiner", "Jan\\u200d"),
    NAME_ROW("name with a left-to-right mark", "\\u200eJan"),
    NAME_ROW("name with a right-to-left mark", "Jan\\u200f"),
    NAME_ROW("name with a byte-order mark", "\\ufeffJan"),
    NAME_ROW("name with a soft hyphen", "Jan\\u00adsen"),
    NAME_ROW("name with a word joiner", "Jan\\u2060"),
    NAME_ROW("name with an Arabic letter mark", "\\u061cJan"),
    NAME_ROW("name with a language tag", "Jan\\udb40\\udc01"),
    NAME_ROW("name with a line separator", "Jan\\u2028Jansen"),
    NAME_ROW("name with a paragraph separator", "Jan\\u2029"),
    NAME_ROW("name only zero-width spaces", "\\u200b\\u200b"),
    NAME_ROW("name only no-break spaces", "\\u00a0\\u00a0"),
    NAME_ROW("name only ideographic spaces", "\\u3000"),
    NAME_ROW("name only spaces and an em space", "  \\u2003 "),
    {"email with a bidi override", GOOD(Q("Jan"), Q("0612345678"), Q("jan\\u202e@example.nl"), "1",
                                        "null"),
     ACT_ALL_FIELDS, BAD_422, "email"},
    {"remark with a C1 control", GOOD(Q("Jan"), Q("0612345678"), Q("j@example.nl"), "1",
                                      Q("rolstoel\\u0085")),
     ACT_ALL_FIELDS, BAD_422, "remark"},
    {"remark with a zero-width space", GOOD(Q("Jan"), Q("0612345678"), Q("j@example.nl"), "1",
                                            Q("a\\u200bb")),
     ACT_ALL_FIELDS, BAD_422, "remark"},
    {"remark with an isolate", GOOD(Q("Jan"), Q("0612345678"), Q("j@example.nl"), "1",
                                    Q("\\u2067x")),
     ACT_ALL_FIELDS, BAD_422, "remark"},
    /* What must stay accepted: letters of any script, marks, no-break
     * space inside a name, a remark's line breaks. */
    {"name in Arabic", GOOD(Q("\\u0641\\u0627\\u0637\\u0645\\u0629"), Q("0612345678"), "null", "1",
                            "null"),
     ACT_NAME_PHONE, ACCEPT, NULL},
    {"name with a combining accent", GOOD(Q("Jose\\u0301"), Q("0612345678"), "null", "1", "null"),
     ACT_NAME_PHONE, ACCEPT, NULL},
    {"name with a no-break space", GOOD(Q("Jan\\u00a0de Vries"), Q("0612345678"), "null", "1",
                                        "null"),
     ACT_NAME_PHONE, ACCEPT, NULL},
    {"name in Tigrinya", GOOD(Q("\\u1230\\u120b\\u121d"), Q("0612345678"), "null", "1", "null"),
     ACT_NAME_PHONE, ACCEPT, NULL},
    {"phone missing", GOOD(Q("Jan"), "null", "null", "1", "null"), ACT_NAME_PHONE, BAD_422,
     "phone"},
    {"phone letters", GOOD(Q("Jan"), Q("06-CALL-ME"), "null", "1", "null"), ACT_NAME_PHONE,
     BAD_422, "phone"},
    {"phone too short", GOOD(Q("Jan"), Q("12345"), "null", "1", "null"), ACT_NAME_PHONE, BAD_422,
     "phone"},
    {"phone too long", GOOD(Q("Jan"), Q("06123456780612345678061234567806123456780"), "null",
                            "1", "null"),
     ACT_NAME_PHONE, BAD_422, "phone"},
    {"email missing", GOOD(Q("Jan"), Q("0612345678"), "null", "1", "null"), ACT_ALL_FIELDS,
     BAD_422, "email"},
    {"email without @", GOOD(Q("Jan"), Q("0612345678"), Q("jan.example.nl"), "1", "null"),
     ACT_ALL_FIELDS, BAD_422, "email"},
    {"email without a dot", GOOD(Q("Jan"), Q("0612345678"), Q("jan@localhost"), "1", "null"),
     ACT_ALL_FIELDS, BAD_422, "email"},
    {"email with a space", GOOD(Q("Jan"), Q("0612345678"), Q("jan @example.nl"), "1", "null"),
     ACT_ALL_FIELDS, BAD_422, "email"},
    {"remark 501 characters",
     GOOD(Q("Jan"), Q("0612345678"), Q("j@example.nl"), "1",
          Q(R100 R100 R100 R100 R100 "x")),
     ACT_ALL_FIELDS, BAD_422, "remark"},
};

/* A weekly Tuesday 10:00 activity from 2026-11-24, ten times, without
 * 2026-12-01. */
static void activity_rules(enum activity which, struct rrule *rule, int64_t *exdate,
                           struct hub_activity_rules *a)
{
    char why[96];
    assert_true(rrule_parse("FREQ=WEEKLY;BYDAY=TU;COUNT=10", rule, why, sizeof why));
    assert_true(rfc3339_parse("2026-12-01T10:00:00+01:00", exdate));
    memset(a, 0, sizeof *a);
    assert_true(rfc3339_parse("2026-11-24T10:00:00+01:00", &a->starts_at));
    a->rule = rule;
    a->exdates = exdate;
    a->n_exdates = 1;
    a->has_signup = which != ACT_NO_SIGNUP;
    a->capacity = 10;
    a->closes_before_min = 60;
    a->fields = which == ACT_ALL_FIELDS
                    ? SIGNUP_NAME | SIGNUP_PHONE | SIGNUP_EMAIL | SIGNUP_PARTY_SIZE | SIGNUP_REMARK
                    : SIGNUP_NAME | SIGNUP_PHONE;
}

static void test_rows(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        const struct row *r = &rows[i];
        struct hub_signup_request req;
        char err[160] = "";
        enum expect got;
        if (!hub_signup_parse(r->body, strlen(r->body), &req, err, sizeof err)) {
            got = BAD_400;
        } else {
            struct rrule rule;
            int64_t exdate;
            struct hub_activity_rules a;
            activity_rules(r->activity, &rule, &exdate, &a);
            got = hub_signup_check(&req, &a, err, sizeof err) ? ACCEPT : BAD_422;
            hub_signup_request_clear(&req);
        }
        bool ok = got == r->expect && (!r->reason || strstr(err, r->reason));
        if (!ok) {
            printf("row %zu \"%s\": expected %d (%s), got %d: %s\n", i, r->what, r->expect,
                   r->reason ? r->reason : "-", got, err);
            failures++;
        }
        /* No reason may repeat what was typed. */
        assert_null(strstr(err, "Jansen"));
        assert_null(strstr(err, "0612345678"));
    }
    assert_int_equal(failures, 0);
}

static void test_parsed_values(void **state)
{
    (void)state;
    const char *body = rows[5].body;
    struct hub_signup_request req;
    char err[160];
    assert_true(hub_signup_parse(body, strlen(body), &req, err, sizeof err));
    assert_string_equal(req.kiosk_id, "k1");
    assert_string_equal(req.activity_id, "act-1");
    assert_int_equal(req.party_size, 20);
    assert_string_equal(req.email, "f@example.nl");
    assert_false(req.waitlist_ok);
    int64_t occ;
    assert_true(rfc3339_parse("2026-12-08T10:00:00+01:00", &occ));
    assert_int_equal(req.occurrence, occ);
    hub_signup_request_clear(&req);
    hub_signup_request_clear(NULL);
}

static void test_judged_at(void **state)
{
    (void)state;
    int64_t now = 1795683600;
    assert_int_equal(hub_signup_judged_at(now - 3600, now), now - 3600);
    assert_int_equal(hub_signup_judged_at(now - 24 * 3600, now), now - 24 * 3600);
    assert_int_equal(hub_signup_judged_at(now - 24 * 3600 - 1, now), now);
    assert_int_equal(hub_signup_judged_at(now + 300, now), now + 300);
    assert_int_equal(hub_signup_judged_at(now + 301, now), now);
}

/* The names are the wire's (hub-api-v1.md) and the database's: they must
 * never change. */
static void test_statuses(void **state)
{
    (void)state;
    static const struct {
        enum hub_signup_status status;
        const char *name;
        bool accepted;
    } expected[] = {
        {HUB_SIGNUP_CONFIRMED, "confirmed", true},
        {HUB_SIGNUP_WAITLISTED, "waitlisted", true},
        {HUB_SIGNUP_FULL, "full", false},
        {HUB_SIGNUP_CLOSED, "closed", false},
        {HUB_SIGNUP_CANCELLED, "cancelled", false},
    };
    assert_int_equal(sizeof expected / sizeof *expected, HUB_SIGNUP_STATUS_COUNT);
    for (size_t i = 0; i < sizeof expected / sizeof *expected; i++) {
        assert_string_equal(hub_signup_status_name(expected[i].status), expected[i].name);
        assert_int_equal(hub_signup_status_accepted(expected[i].status), expected[i].accepted);
        enum hub_signup_status parsed = HUB_SIGNUP_STATUS_COUNT;
        assert_true(hub_signup_status_parse(expected[i].name, &parsed));
        assert_int_equal(parsed, expected[i].status);
    }
    enum hub_signup_status parsed;
    assert_false(hub_signup_status_parse("Confirmed", &parsed));
    assert_false(hub_signup_status_parse("rejected", &parsed));
    assert_false(hub_signup_status_parse("", &parsed));
    assert_false(hub_signup_status_parse(NULL, &parsed));
}

static void test_uuid(void **state)
{
    (void)state;
    assert_true(hub_uuid_v4_valid("1b4e28ba-2fa1-41d2-883f-0016d3cca427"));
    assert_true(hub_uuid_v4_valid("00000000-0000-4000-b000-000000000000"));
    assert_false(hub_uuid_v4_valid("1b4e28ba-2fa1-41d2-883f-0016d3cca42"));
    assert_false(hub_uuid_v4_valid("1b4e28ba-2fa1-41d2-883f-0016d3cca4277"));
    assert_false(hub_uuid_v4_valid("1b4e28ba02fa1-41d2-883f-0016d3cca427"));
    assert_false(hub_uuid_v4_valid("1b4e28ba-2fa1-51d2-883f-0016d3cca427"));
    assert_false(hub_uuid_v4_valid("1b4e28ba-2fa1-41d2-783f-0016d3cca427"));
    assert_false(hub_uuid_v4_valid("gb4e28ba-2fa1-41d2-883f-0016d3cca427"));
    assert_false(hub_uuid_v4_valid(""));
}

static void test_heartbeat(void **state)
{
    (void)state;
    struct hub_heartbeat_request hb;
    char err[160];
    const char *good = "{\"kiosk_id\":\"k1\",\"version\":\"1.2.0\",\"uptime_s\":86400,"
                       "\"feed_etag\":\"\\\"abc\\\"\",\"last_sync_error\":null,"
                       "\"outbox_pending\":3,\"screen\":\"on\",\"free_disk_mb\":812}";
    assert_true(hub_heartbeat_parse(good, strlen(good), &hb, err, sizeof err));
    assert_string_equal(hb.kiosk_id, "k1");
    assert_int_equal(hb.hb.outbox_pending, 3);
    assert_int_equal(hb.hb.outbox_rejected, -1);
    assert_string_equal(hb.hb.feed_etag, "\"abc\"");
    hub_heartbeat_request_clear(&hb);
    static const char *const bad[] = {"", "nope", "[]", "{\"uptime_s\":\"1\"}",
                                      "{\"outbox_pending\":-1}", "{\"version\":1.2}",
                                      "{\"screen\":true}", "{\"kiosk_id\":7}"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_false(hub_heartbeat_parse(bad[i], strlen(bad[i]), &hb, err, sizeof err));
}

static void test_etag_and_gzip_headers(void **state)
{
    (void)state;
    const char *etag = "\"abc\"";
    assert_true(hub_etag_matches("\"abc\"", etag));
    assert_true(hub_etag_matches("W/\"abc\"", etag));
    assert_true(hub_etag_matches("\"x\", \"abc\"", etag));
    assert_true(hub_etag_matches("*", etag));
    assert_false(hub_etag_matches(NULL, etag));
    assert_false(hub_etag_matches("\"abcd\"", etag));
    assert_false(hub_etag_matches("abc", etag));
    assert_false(hub_etag_matches("\"ab", etag));
    assert_true(hub_accepts_gzip("gzip"));
    assert_true(hub_accepts_gzip("deflate, gzip;q=0.5"));
    assert_true(hub_accepts_gzip("*"));
    assert_true(hub_accepts_gzip("x-gzip"));
    assert_false(hub_accepts_gzip(NULL));
    assert_false(hub_accepts_gzip("identity"));
    assert_false(hub_accepts_gzip("gzip;q=0"));
    assert_false(hub_accepts_gzip("*, gzip;q=0"));
    assert_false(hub_accepts_gzip("gzipped"));
}

static void test_listen(void **state)
{
    (void)state;
    char host[64];
    unsigned port;
    assert_true(hub_listen_parse("127.0.0.1:8080", host, sizeof host, &port));
    assert_string_equal(host, "127.0.0.1");
    assert_int_equal(port, 8080);
    assert_true(hub_listen_parse("[::1]:0", host, sizeof host, &port));
    assert_string_equal(host, "::1");
    assert_int_equal(port, 0);
    assert_true(hub_listen_parse("localhost:1", host, sizeof host, &port));
    assert_false(hub_listen_parse("127.0.0.1", host, sizeof host, &port));
    assert_false(hub_listen_parse("::1:80", host, sizeof host, &port));
    assert_false(hub_listen_parse("127.0.0.1:65536", host, sizeof host, &port));
    assert_false(hub_listen_parse("127.0.0.1:-1", host, sizeof host, &port));
    assert_false(hub_listen_parse(":80", host, sizeof host, &port));
    assert_false(hub_listen_parse("h:80x", host, sizeof host, &port));
}

static void test_csv_reader(void **state)
{
    (void)state;
    const char *text = "\xEF\xBB\xBFid;title_nl;themes\r\n"
                       "a-1;\"Koffie; thee\";\"x, y\"\r\n"
                       "\r\n"
                       "a-2;\"Twee\nregels met \"\"quotes\"\"\";\n";
    struct hub_csv_reader r;
    struct hub_csv_record rec = {0};
    char err[160];
    hub_csv_reader_init(&r, text, strlen(text));
    assert_int_equal(r.separator, ';');
    assert_int_equal(hub_csv_next(&r, &rec, err, sizeof err), HUB_CSV_RECORD);
    assert_int_equal(rec.n_fields, 3);
    assert_string_equal(rec.fields[0], "id");
    assert_int_equal(hub_csv_next(&r, &rec, err, sizeof err), HUB_CSV_RECORD);
    assert_int_equal(rec.line, 2);
    assert_string_equal(rec.fields[1], "Koffie; thee");
    assert_string_equal(rec.fields[2], "x, y");
    assert_int_equal(hub_csv_next(&r, &rec, err, sizeof err), HUB_CSV_RECORD);
    assert_int_equal(rec.line, 4);
    assert_string_equal(rec.fields[1], "Twee\nregels met \"quotes\"");
    assert_string_equal(rec.fields[2], "");
    assert_int_equal(hub_csv_next(&r, &rec, err, sizeof err), HUB_CSV_END);

    static const char *const bad[] = {"id,x\na\"b,c\n", "id,x\n\"open,c\n", "id,x\n\"a\"b,c\n"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        hub_csv_reader_init(&r, bad[i], strlen(bad[i]));
        assert_int_equal(r.separator, ',');
        assert_int_equal(hub_csv_next(&r, &rec, err, sizeof err), HUB_CSV_RECORD);
        assert_int_equal(hub_csv_next(&r, &rec, err, sizeof err), HUB_CSV_ERROR);
        assert_non_null(strstr(err, "line 2"));
    }
    hub_csv_record_clear(&rec);
}

/* The CSV writer against formula injection: each row's text, what is
 * written, and then the written field read back by a spreadsheet that
 * splits on ';' and by one that splits on ',': one cell, equal to the
 * text (after the apostrophe), never starting with a formula character. */
struct csv_row {
    const char *text;
    const char *written;
};

static const struct csv_row csv_rows[] = {
    {"plain", "plain"},
    {"Jan Jansen", "Jan Jansen"},
    {"", ""},
    {"a,b \"c\"", "\"a,b \"\"c\"\"\""},
    {"Jan;=1+1", "\"Jan;=1+1\""},
    {"Jan;+1", "\"Jan;+1\""},
    {"a;b", "\"a;b\""},
    {"=HYPERLINK(\"http://x\";\"y\")", "\"'=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\""},
    {"=1+1", "\"'=1+1\""},
    {"+31 6", "\"'+31 6\""},
    {"-2+3", "\"'-2+3\""},
    {"@SUM(A1)", "\"'@SUM(A1)\""},
    {"\t=1", "\"'\t=1\""},
    {"\r=1", "\"'\r=1\""},
    {"twee\nregels", "\"twee\nregels\""},
    {"x\n=1+1", "\"x\n=1+1\""},
    {"a\r\nb", "\"a\r\nb\""},
    {"\"", "\"\"\"\""},
    {"0612345678", "0612345678"},
    {"jan@example.org", "jan@example.org"},
};

static void test_csv_writer(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof csv_rows / sizeof *csv_rows; i++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        assert_non_null(f);
        fputs("x,", f);
        hub_csv_write_field(f, csv_rows[i].text);
        fputs(";y\r\n", f);
        assert_int_equal(fclose(f), 0);
        char want[256];
        snprintf(want, sizeof want, "x,%s;y\r\n", csv_rows[i].written);
        if (strcmp(buf, want) != 0)
            fail_msg("csv row %zu: wrote [%s], want [%s]", i, buf, want);
        /* Read back on each separator: the row's text is one cell. */
        for (int s = 0; s < 2; s++) {
            char sep = s == 0 ? ';' : ',';
            char line[256];
            snprintf(line, sizeof line, "x%c%s%cy\r\n", sep, csv_rows[i].written, sep);
            struct hub_csv_reader r;
            struct hub_csv_record rec = {0};
            char err[160] = "";
            hub_csv_reader_init(&r, line, strlen(line));
            r.separator = sep;
            if (hub_csv_next(&r, &rec, err, sizeof err) != HUB_CSV_RECORD || rec.n_fields != 3)
                fail_msg("csv row %zu split on '%c': %zu cells %s", i, sep, rec.n_fields, err);
            const char *cell = rec.fields[1];
            const char *t = csv_rows[i].text;
            bool formula = t[0] && strchr("=+-@\t\r", t[0]);
            if (formula && cell[0] != '\'')
                fail_msg("csv row %zu: cell [%s] is not defused", i, cell);
            if (strcmp(cell + (formula ? 1 : 0), t) != 0)
                fail_msg("csv row %zu split on '%c': cell [%s]", i, sep, cell);
            hub_csv_record_clear(&rec);
        }
        free(buf);
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    hub_csv_write_field(f, NULL);
    fclose(f);
    assert_int_equal(len, 0);
    free(buf);
}

int main(void)
{
    tz_use_zone("Europe/Amsterdam");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_parsed_values),
        cmocka_unit_test(test_judged_at),
        cmocka_unit_test(test_statuses),
        cmocka_unit_test(test_uuid),
        cmocka_unit_test(test_heartbeat),
        cmocka_unit_test(test_etag_and_gzip_headers),
        cmocka_unit_test(test_listen),
        cmocka_unit_test(test_csv_reader),
        cmocka_unit_test(test_csv_writer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
