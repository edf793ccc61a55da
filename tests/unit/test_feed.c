/*
 * Feed validation (feed-v1.md "Validation"): table-driven, with a row for
 * every rule, the whole-feed rejections and the per-item skips.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/feed.h"
#include "base/timeutil.h"

#define HEAD "{\"format\":\"buurtkiosk-feed\",\"version\":1,"
#define LOC "{\"id\":\"loc-1\",\"name\":\"De Sleutel\"}"
#define START "\"starts_at\":\"2026-11-26T10:00:00+01:00\""

/* A sink that remembers what it was given, to check what a swap would hold. */
struct collected {
    size_t added[FEED_KIND_COUNT];
    size_t retracted;
    char last_id[FEED_ID_MAX + 1];
    int64_t last_start;
    int64_t last_capacity;
    unsigned last_fields;
    size_t last_n_exdates;
    bool fail_on_add;
};

static bool collect_add(void *ctx, const struct feed_item *item)
{
    struct collected *c = ctx;
    if (c->fail_on_add)
        return false;
    c->added[item->kind]++;
    if (item->kind == FEED_ACTIVITY) {
        snprintf(c->last_id, sizeof c->last_id, "%s", item->u.activity.id);
        c->last_start = item->u.activity.starts_at;
        c->last_capacity = item->u.activity.signup.capacity;
        c->last_fields = item->u.activity.signup.fields;
        c->last_n_exdates = item->u.activity.n_exdates;
    }
    return true;
}

static bool collect_retract(void *ctx, enum feed_kind kind, const char *id)
{
    struct collected *c = ctx;
    c->added[kind]--;
    c->retracted++;
    return true;
}

static enum feed_result parse(const char *doc, struct collected *c, struct feed_report *r)
{
    struct feed_sink sink = {.ctx = c, .add = collect_add, .retract = collect_retract};
    return feed_parse(doc, strlen(doc), &sink, r);
}

/* ---- whole-feed rules ---- */

struct whole_row {
    const char *name;
    const char *doc;
    enum feed_result expect;
    const char *reason_has;   /* must appear in report.reason for rejections */
};

static const struct whole_row whole_rows[] = {
    {"minimal", HEAD "\"locations\":[]}", FEED_ACCEPTED, ""},
    {"arrays may be missing", "{\"format\":\"buurtkiosk-feed\",\"version\":1}", FEED_ACCEPTED, ""},
    {"unknown top-level fields ignored", HEAD "\"future\":{\"x\":[1,2,{\"y\":null}]},\"n\":3}",
     FEED_ACCEPTED, ""},
    {"version after the arrays", "{\"locations\":[" LOC "],\"format\":\"buurtkiosk-feed\","
                                 "\"version\":1}", FEED_ACCEPTED, ""},
    {"byte-order mark tolerated", "\xEF\xBB\xBF" HEAD "\"locations\":[]}", FEED_ACCEPTED, ""},
    {"full header", HEAD "\"generated_at\":\"2026-11-25T08:00:00+01:00\",\"publisher\":"
                    "{\"name\":\"Hub\"},\"languages\":[\"nl\",\"en\"]}", FEED_ACCEPTED, ""},
    /* must fail: rejected whole */
    {"not JSON", "koffie", FEED_REJECTED, "JSON"},
    {"empty body", "", FEED_REJECTED, "JSON"},
    {"truncated", HEAD "\"locations\":[" LOC, FEED_REJECTED, "JSON"},
    {"trailing garbage", HEAD "\"locations\":[]} x", FEED_REJECTED, "JSON"},
    {"not UTF-8", HEAD "\"publisher\":{\"name\":\"\xff\xfe\"}}", FEED_REJECTED, "JSON"},
    {"top level is an array", "[1,2]", FEED_REJECTED, "object"},
    {"wrong format", "{\"format\":\"other\",\"version\":1}", FEED_REJECTED, "format"},
    {"format missing", "{\"version\":1}", FEED_REJECTED, "format"},
    {"version missing", "{\"format\":\"buurtkiosk-feed\"}", FEED_REJECTED, "version"},
    {"version 2", "{\"format\":\"buurtkiosk-feed\",\"version\":2}", FEED_REJECTED, "version 2"},
    {"version as string", "{\"format\":\"buurtkiosk-feed\",\"version\":\"1\"}", FEED_REJECTED,
     "version"},
    {"version 1.5", "{\"format\":\"buurtkiosk-feed\",\"version\":1.5}", FEED_REJECTED, "version"},
    {"activities not an array", HEAD "\"activities\":{}}", FEED_REJECTED, "activities"},
    {"locations null", HEAD "\"locations\":null}", FEED_REJECTED, "locations"},
    {"services a string", HEAD "\"services\":\"x\"}", FEED_REJECTED, "services"},
    {"announcements a number", HEAD "\"announcements\":3}", FEED_REJECTED, "announcements"},
    {"publisher not an object", HEAD "\"publisher\":\"Hub\"}", FEED_REJECTED, "publisher"},
    {"languages not strings", HEAD "\"languages\":[1]}", FEED_REJECTED, "languages"},
    {"generated_at without offset", HEAD "\"generated_at\":\"2026-11-25T08:00:00\"}",
     FEED_REJECTED, "generated_at"},
    {"generated_at a number", HEAD "\"generated_at\":5}", FEED_REJECTED, "generated_at"},
    {"duplicate top-level field", HEAD "\"locations\":[],\"locations\":[]}", FEED_REJECTED,
     "twice"},
};

static void test_whole_feed_rules(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof whole_rows / sizeof *whole_rows; i++) {
        const struct whole_row *row = &whole_rows[i];
        struct collected c = {0};
        struct feed_report r;
        enum feed_result got = parse(row->doc, &c, &r);
        if (got != row->expect || !strstr(r.reason, row->reason_has)) {
            fail_msg("row '%s': result %d (want %d), reason '%s' (want '%s')", row->name, got,
                     row->expect, r.reason, row->reason_has);
        }
        feed_report_clear(&r);
    }
}

/* ---- per-item rules: the row's item goes in an array of an otherwise good feed ---- */

struct item_row {
    const char *name;
    enum feed_kind kind;
    const char *item;
    bool kept;
    const char *reason_has;   /* for skipped items */
};

#define ACT(extra) "{\"id\":\"act-1\",\"title\":\"Koffie\"," START extra "}"
#define SVC(extra) "{\"id\":\"svc-1\",\"name\":\"Hulp\"" extra "}"
#define A64 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define ANN(extra) "{\"id\":\"ann-1\",\"text\":\"Gesloten\"" extra "}"

static const struct item_row item_rows[] = {
    /* activities that are fine */
    {"plain activity", FEED_ACTIVITY, ACT(""), true, NULL},
    {"localized title", FEED_ACTIVITY,
     "{\"id\":\"a\",\"title\":{\"nl\":\"Koffie\",\"en\":\"Coffee\",\"ar\":\"قهوة\"}," START "}",
     true, NULL},
    {"title in English only", FEED_ACTIVITY, "{\"id\":\"a\",\"title\":{\"en\":\"Coffee\"}," START "}",
     true, NULL},
    {"every field", FEED_ACTIVITY,
     ACT(",\"summary\":\"s\",\"description\":{\"nl\":\"d\"},\"themes\":[\"leefbaarheid\"],"
         "\"functions\":[\"ontmoeting\"],\"audience\":[\"ouderen\"],\"location_id\":\"loc-1\","
         "\"ends_at\":\"2026-11-26T11:30:00+01:00\",\"rrule\":\"FREQ=WEEKLY;BYDAY=TH\","
         "\"exdates\":[\"2026-12-24T09:00:00Z\"],\"cost\":\"Gratis\",\"url\":\"https://e.org\","
         "\"signup\":{\"capacity\":12,\"taken\":3,\"waitlist\":true,\"closes_before_min\":60,"
         "\"fields\":[\"name\",\"phone\",\"party_size\"]},\"contact\":{\"phone\":\"0330000000\"},"
         "\"image\":\"https://e.org/a.png\",\"updated_at\":\"2026-11-20T10:00:00Z\"," 
         "\"unknown_field\":[1]"),
     true, NULL},
    {"unknown theme code kept", FEED_ACTIVITY, ACT(",\"themes\":[\"duurzaamheid\"]"), true, NULL},
    {"taken per occurrence", FEED_ACTIVITY,
     ACT(",\"signup\":{\"capacity\":5,\"taken\":{\"2026-11-26T09:00:00Z\":2}}"), true, NULL},
    {"ends_at equal to starts_at", FEED_ACTIVITY, ACT(",\"ends_at\":\"2026-11-26T09:00:00Z\""),
     true, NULL},
    {"id of 128 characters", FEED_ACTIVITY, "{\"id\":\"" A64 A64 "\",\"title\":\"x\"," START "}",
     true, NULL},
    /* activities that must be skipped */
    {"not an object", FEED_ACTIVITY, "\"act-1\"", false, "not an object"},
    {"id missing", FEED_ACTIVITY, "{\"title\":\"Koffie\"," START "}", false, "id"},
    {"id with a space", FEED_ACTIVITY, "{\"id\":\"act 1\",\"title\":\"x\"," START "}", false, "id"},
    {"id with a slash", FEED_ACTIVITY, "{\"id\":\"a/b\",\"title\":\"x\"," START "}", false, "id"},
    {"id empty", FEED_ACTIVITY, "{\"id\":\"\",\"title\":\"x\"," START "}", false, "id"},
    {"id a number", FEED_ACTIVITY, "{\"id\":7,\"title\":\"x\"," START "}", false, "id"},
    {"id of 129 characters", FEED_ACTIVITY, "{\"id\":\"" A64 A64 "a\",\"title\":\"x\"," START "}",
     false, "id"},
    {"title missing", FEED_ACTIVITY, "{\"id\":\"a\"," START "}", false, "title"},
    {"title empty", FEED_ACTIVITY, "{\"id\":\"a\",\"title\":\"\"," START "}", false, "title"},
    {"title a number", FEED_ACTIVITY, "{\"id\":\"a\",\"title\":5," START "}", false, "title"},
    {"title object with a number", FEED_ACTIVITY, "{\"id\":\"a\",\"title\":{\"nl\":5}," START "}",
     false, "title"},
    {"title object empty", FEED_ACTIVITY, "{\"id\":\"a\",\"title\":{}," START "}", false, "title"},
    {"starts_at missing", FEED_ACTIVITY, "{\"id\":\"a\",\"title\":\"x\"}", false, "starts_at"},
    {"starts_at without offset", FEED_ACTIVITY,
     "{\"id\":\"a\",\"title\":\"x\",\"starts_at\":\"2026-11-26T10:00:00\"}", false, "starts_at"},
    {"starts_at a date only", FEED_ACTIVITY,
     "{\"id\":\"a\",\"title\":\"x\",\"starts_at\":\"2026-11-26\"}", false, "starts_at"},
    {"starts_at impossible date", FEED_ACTIVITY,
     "{\"id\":\"a\",\"title\":\"x\",\"starts_at\":\"2026-02-30T10:00:00Z\"}", false, "starts_at"},
    {"ends_at before starts_at", FEED_ACTIVITY, ACT(",\"ends_at\":\"2026-11-26T08:59:00Z\""), false,
     "ends_at"},
    {"ends_at without offset", FEED_ACTIVITY, ACT(",\"ends_at\":\"2026-11-26T11:00:00\""), false,
     "ends_at"},
    {"unsupported rrule part", FEED_ACTIVITY, ACT(",\"rrule\":\"FREQ=WEEKLY;BYMONTHDAY=3\""), false,
     "rrule"},
    {"yearly rrule", FEED_ACTIVITY, ACT(",\"rrule\":\"FREQ=YEARLY\""), false, "rrule"},
    {"rrule garbage", FEED_ACTIVITY, ACT(",\"rrule\":\"elke week\""), false, "rrule"},
    {"rrule a number", FEED_ACTIVITY, ACT(",\"rrule\":7"), false, "rrule"},
    {"exdates not an array", FEED_ACTIVITY, ACT(",\"exdates\":\"2026-12-24T09:00:00Z\""), false,
     "exdates"},
    {"exdate without offset", FEED_ACTIVITY, ACT(",\"exdates\":[\"2026-12-24T10:00:00\"]"), false,
     "exdates"},
    {"dangling location_id", FEED_ACTIVITY, ACT(",\"location_id\":\"loc-nowhere\""), false,
     "loc-nowhere"},
    {"location_id not a string", FEED_ACTIVITY, ACT(",\"location_id\":1"), false, "location_id"},
    {"themes not an array", FEED_ACTIVITY, ACT(",\"themes\":\"leefbaarheid\""), false, "themes"},
    {"themes with a number", FEED_ACTIVITY, ACT(",\"themes\":[1]"), false, "themes"},
    {"audience with an empty tag", FEED_ACTIVITY, ACT(",\"audience\":[\"\"]"), false, "audience"},
    {"cost a number", FEED_ACTIVITY, ACT(",\"cost\":2.5"), false, "cost"},
    {"url a number", FEED_ACTIVITY, ACT(",\"url\":5"), false, "url"},
    {"signup not an object", FEED_ACTIVITY, ACT(",\"signup\":true"), false, "signup"},
    {"capacity negative", FEED_ACTIVITY, ACT(",\"signup\":{\"capacity\":-1}"), false, "capacity"},
    {"capacity fractional", FEED_ACTIVITY, ACT(",\"signup\":{\"capacity\":2.5}"), false, "capacity"},
    {"capacity huge", FEED_ACTIVITY, ACT(",\"signup\":{\"capacity\":99999999999999999999999}"),
     false, "capacity"},
    {"taken negative", FEED_ACTIVITY, ACT(",\"signup\":{\"taken\":-2}"), false, "taken"},
    {"taken key not a timestamp", FEED_ACTIVITY, ACT(",\"signup\":{\"taken\":{\"morgen\":1}}"), false,
     "taken"},
    {"taken value negative", FEED_ACTIVITY,
     ACT(",\"signup\":{\"taken\":{\"2026-11-26T09:00:00Z\":-1}}"), false, "taken"},
    {"waitlist not boolean", FEED_ACTIVITY, ACT(",\"signup\":{\"waitlist\":\"ja\"}"), false,
     "waitlist"},
    {"closes_before_min negative", FEED_ACTIVITY, ACT(",\"signup\":{\"closes_before_min\":-5}"),
     false, "closes_before_min"},
    {"unknown signup field", FEED_ACTIVITY, ACT(",\"signup\":{\"fields\":[\"name\",\"bsn\"]}"), false,
     "fields"},
    {"signup fields not an array", FEED_ACTIVITY, ACT(",\"signup\":{\"fields\":\"name\"}"), false,
     "fields"},
    {"contact not an object", FEED_ACTIVITY, ACT(",\"contact\":\"0330000000\""), false, "contact"},
    {"contact phone a number", FEED_ACTIVITY, ACT(",\"contact\":{\"phone\":330000000}"), false,
     "contact"},
    {"updated_at without offset", FEED_ACTIVITY, ACT(",\"updated_at\":\"2026-11-20 10:00\""), false,
     "updated_at"},
    {"NUL in a text", FEED_ACTIVITY, ACT(",\"summary\":\"a\\u0000b\""), false, "NUL"},
    /* locations */
    {"location", FEED_LOCATION,
     "{\"id\":\"loc-2\",\"name\":{\"nl\":\"Huis\"},\"address\":\"Straat 1\",\"neighbourhood\":"
     "\"Kruiskamp\",\"lat\":52.15,\"lon\":5.38,\"accessibility\":\"lift\"}",
     true, NULL},
    {"location without name", FEED_LOCATION, "{\"id\":\"loc-2\"}", false, "name"},
    {"location lat a string", FEED_LOCATION, "{\"id\":\"loc-2\",\"name\":\"x\",\"lat\":\"52\"}",
     false, "lat"},
    {"location lat out of range", FEED_LOCATION,
     "{\"id\":\"loc-2\",\"name\":\"x\",\"lat\":91,\"lon\":5}", false, "lat"},
    {"location address an object", FEED_LOCATION,
     "{\"id\":\"loc-2\",\"name\":\"x\",\"address\":{}}", false, "address"},
    {"duplicate location id", FEED_LOCATION, LOC, false, "duplicate"},
    /* services */
    {"service", FEED_SERVICE,
     SVC(",\"organization\":\"Wijkteam\",\"topics\":[\"geldzaken\",\"nieuw-onderwerp\"],"
         "\"location_id\":\"loc-1\",\"walk_in\":[{\"days\":[\"mo\",\"we\"],\"opens\":\"09:00\","
         "\"closes\":\"12:00\"}],\"phone\":\"0330000000\",\"how_to\":{\"nl\":\"Loop binnen\"}"),
     true, NULL},
    {"service without name", FEED_SERVICE, "{\"id\":\"svc-1\"}", false, "name"},
    {"walk_in not an array", FEED_SERVICE, SVC(",\"walk_in\":{}"), false, "walk_in"},
    {"walk_in unknown day", FEED_SERVICE,
     SVC(",\"walk_in\":[{\"days\":[\"maandag\"],\"opens\":\"09:00\",\"closes\":\"12:00\"}]"), false,
     "walk_in"},
    {"walk_in closes before opens", FEED_SERVICE,
     SVC(",\"walk_in\":[{\"days\":[\"mo\"],\"opens\":\"13:00\",\"closes\":\"12:00\"}]"), false,
     "walk_in"},
    {"walk_in bad time", FEED_SERVICE,
     SVC(",\"walk_in\":[{\"days\":[\"mo\"],\"opens\":\"9\",\"closes\":\"12:00\"}]"), false,
     "walk_in"},
    {"walk_in without days", FEED_SERVICE,
     SVC(",\"walk_in\":[{\"opens\":\"09:00\",\"closes\":\"12:00\"}]"), false, "walk_in"},
    {"service dangling location", FEED_SERVICE, SVC(",\"location_id\":\"loc-x\""), false, "loc-x"},
    {"topics not an array", FEED_SERVICE, SVC(",\"topics\":\"geldzaken\""), false, "topics"},
    /* announcements */
    {"announcement", FEED_ANNOUNCEMENT,
     ANN(",\"from\":\"2026-11-25T00:00:00+01:00\",\"until\":\"2026-12-01T00:00:00+01:00\","
         "\"location_ids\":[\"loc-1\"],\"priority\":\"urgent\""),
     true, NULL},
    {"announcement without text", FEED_ANNOUNCEMENT, "{\"id\":\"ann-1\"}", false, "text"},
    {"announcement bad priority", FEED_ANNOUNCEMENT, ANN(",\"priority\":\"hoog\""), false,
     "priority"},
    {"announcement until before from", FEED_ANNOUNCEMENT,
     ANN(",\"from\":\"2026-12-01T00:00:00Z\",\"until\":\"2026-11-01T00:00:00Z\""), false, "until"},
    {"announcement from without offset", FEED_ANNOUNCEMENT, ANN(",\"from\":\"2026-12-01\""), false,
     "from"},
    {"announcement location_ids not an array", FEED_ANNOUNCEMENT, ANN(",\"location_ids\":\"loc-1\""),
     false, "location_ids"},
};

static const char *const array_key[FEED_KIND_COUNT] = {"locations", "activities", "services",
                                                        "announcements"};

static void test_item_rules(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof item_rows / sizeof *item_rows; i++) {
        const struct item_row *row = &item_rows[i];
        char doc[4096];
        /* loc-1 always exists; the row's item is added to its own array. */
        if (row->kind == FEED_LOCATION)
            snprintf(doc, sizeof doc, HEAD "\"locations\":[" LOC ",%s]}", row->item);
        else
            snprintf(doc, sizeof doc, HEAD "\"locations\":[" LOC "],\"%s\":[%s]}",
                     array_key[row->kind], row->item);
        struct collected c = {0};
        struct feed_report r;
        enum feed_result got = parse(doc, &c, &r);
        size_t want_kept = (row->kind == FEED_LOCATION ? 1 : 0) + (row->kept ? 1 : 0);
        bool ok = got == FEED_ACCEPTED && c.added[row->kind] == want_kept &&
                  r.kept[row->kind] == want_kept && r.skipped == (row->kept ? 0u : 1u);
        if (ok && !row->kept)
            ok = r.n_skips == 1 && strstr(r.skips[0].reason, row->reason_has) != NULL &&
                 r.skips[0].kind == row->kind;
        if (!ok)
            fail_msg("row '%s': result %d, kept %zu (want %zu), skipped %zu, reason '%s'",
                     row->name, got, c.added[row->kind], want_kept, r.skipped,
                     r.n_skips ? r.skips[0].reason : "");
        feed_report_clear(&r);
    }
}

static void test_duplicate_keeps_first(void **state)
{
    (void)state;
    const char *doc = HEAD "\"activities\":["
                           "{\"id\":\"a\",\"title\":\"eerste\"," START "},"
                           "{\"id\":\"a\",\"title\":\"tweede\",\"starts_at\":\"2026-12-01T10:00:00Z\"}]}";
    struct collected c = {0};
    struct feed_report r;
    assert_int_equal(parse(doc, &c, &r), FEED_ACCEPTED);
    assert_int_equal(c.added[FEED_ACTIVITY], 1);
    assert_string_equal(c.last_id, "a");
    int64_t first;
    assert_true(rfc3339_parse("2026-11-26T10:00:00+01:00", &first));
    assert_int_equal(c.last_start, first);
    assert_int_equal(r.skipped, 1);
    assert_int_equal(r.skips[0].index, 1);
    assert_non_null(strstr(r.skips[0].reason, "duplicate"));
    feed_report_clear(&r);
}

static void test_location_after_activities(void **state)
{
    (void)state;
    /* An activity may name a location that comes later in the document;
     * one naming a location that never comes is retracted at the end. */
    const char *doc = HEAD "\"activities\":["
                           "{\"id\":\"a\",\"title\":\"x\"," START ",\"location_id\":\"loc-late\"},"
                           "{\"id\":\"b\",\"title\":\"y\"," START ",\"location_id\":\"loc-never\"}],"
                           "\"locations\":[{\"id\":\"loc-late\",\"name\":\"Later\"}]}";
    struct collected c = {0};
    struct feed_report r;
    assert_int_equal(parse(doc, &c, &r), FEED_ACCEPTED);
    assert_int_equal(c.added[FEED_ACTIVITY], 1);
    assert_int_equal(c.retracted, 1);
    assert_int_equal(r.kept[FEED_ACTIVITY], 1);
    assert_int_equal(r.skipped, 1);
    assert_string_equal(r.skips[0].id, "b");
    assert_non_null(strstr(r.skips[0].reason, "loc-never"));
    feed_report_clear(&r);
}

static void test_signup_defaults(void **state)
{
    (void)state;
    const char *doc = HEAD "\"activities\":[" ACT(",\"signup\":{}") "]}";
    struct collected c = {0};
    struct feed_report r;
    assert_int_equal(parse(doc, &c, &r), FEED_ACCEPTED);
    assert_int_equal(c.last_capacity, -1);
    assert_int_equal(c.last_fields, SIGNUP_NAME | SIGNUP_PHONE);
    feed_report_clear(&r);
}

static char *repeat_items(size_t n, size_t *len_out)
{
    size_t cap = 64 + n * 40;
    char *doc = malloc(cap);
    assert_non_null(doc);
    size_t len = (size_t)snprintf(doc, cap, HEAD "\"announcements\":[");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(doc + len, cap - len, "{\"id\":\"a%zu\",\"text\":\"x\"},", i);
    doc[len - 1] = ']';
    len += (size_t)snprintf(doc + len, cap - len, "}");
    *len_out = len;
    return doc;
}

static void test_item_limit(void **state)
{
    (void)state;
    size_t len;
    struct feed_report r;
    char *doc = repeat_items(FEED_MAX_ITEMS, &len);
    assert_int_equal(feed_parse(doc, len, NULL, &r), FEED_ACCEPTED);
    assert_int_equal(r.kept[FEED_ANNOUNCEMENT], FEED_MAX_ITEMS);
    feed_report_clear(&r);
    free(doc);

    doc = repeat_items(FEED_MAX_ITEMS + 1, &len);
    assert_int_equal(feed_parse(doc, len, NULL, &r), FEED_REJECTED);
    assert_non_null(strstr(r.reason, "20000"));
    feed_report_clear(&r);
    free(doc);
}

static void test_body_limit(void **state)
{
    (void)state;
    size_t len = FEED_MAX_BODY + 1;
    char *doc = malloc(len);
    assert_non_null(doc);
    memset(doc, ' ', len);
    memcpy(doc, HEAD "\"x\":1}", strlen(HEAD "\"x\":1}"));
    struct feed_report r;
    assert_int_equal(feed_parse(doc, len, NULL, &r), FEED_REJECTED);
    assert_non_null(strstr(r.reason, "16 MiB"));
    feed_report_clear(&r);
    free(doc);
}

static void test_text_limit(void **state)
{
    (void)state;
    /* 8 KiB of UTF-8 bytes is fine, one byte more skips the item. */
    for (int extra = 0; extra <= 1; extra++) {
        size_t n = 8192 + (size_t)extra;
        char *doc = malloc(n + 256);
        assert_non_null(doc);
        int len = snprintf(doc, n + 256, HEAD "\"activities\":[{\"id\":\"a\"," START ",\"title\":\"");
        memset(doc + len, 'k', n);
        len += (int)n;
        len += snprintf(doc + len, 64, "\"}]}");
        struct feed_report r;
        assert_int_equal(feed_parse(doc, (size_t)len, NULL, &r), FEED_ACCEPTED);
        assert_int_equal(r.kept[FEED_ACTIVITY], extra ? 0 : 1);
        assert_int_equal(r.skipped, extra ? 1 : 0);
        feed_report_clear(&r);
        free(doc);
    }
}

static void test_deep_nesting_rejected(void **state)
{
    (void)state;
    char doc[4096];
    int len = snprintf(doc, sizeof doc, HEAD "\"activities\":[");
    for (int i = 0; i < 100; i++)
        doc[len++] = '[';
    for (int i = 0; i < 100; i++)
        doc[len++] = ']';
    len += snprintf(doc + len, sizeof doc - (size_t)len, "]}");
    struct feed_report r;
    assert_int_equal(feed_parse(doc, (size_t)len, NULL, &r), FEED_REJECTED);
    assert_non_null(strstr(r.reason, "nested"));
    feed_report_clear(&r);
}

static void test_sink_failure_reported(void **state)
{
    (void)state;
    struct collected c = {.fail_on_add = true};
    struct feed_report r;
    assert_int_equal(parse(HEAD "\"locations\":[" LOC "]}", &c, &r), FEED_SINK_FAILED);
    assert_non_null(strstr(r.reason, "could not store"));
    feed_report_clear(&r);
}

static void test_sample_feed_is_clean(void **state)
{
    (void)state;
    const char *assets = getenv("BK_ASSETS");
    if (!assets)
        skip();
    char path[1024];
    snprintf(path, sizeof path, "%s/sample-feed.json", assets);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char body[1 << 20];
    size_t len = fread(body, 1, sizeof body, f);
    fclose(f);
    struct feed_report r;
    assert_int_equal(feed_parse(body, len, NULL, &r), FEED_ACCEPTED);
    assert_int_equal(r.skipped, 0);
    assert_true(r.kept[FEED_LOCATION] >= 4);
    assert_true(r.kept[FEED_ACTIVITY] >= 25);
    assert_true(r.kept[FEED_SERVICE] >= 12);
    assert_true(r.kept[FEED_ANNOUNCEMENT] >= 3);
    feed_report_clear(&r);
}

static int setup(void **state)
{
    (void)state;
    return tz_use_zone("Europe/Amsterdam") ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_feed_rules),
        cmocka_unit_test(test_item_rules),
        cmocka_unit_test(test_duplicate_keeps_first),
        cmocka_unit_test(test_location_after_activities),
        cmocka_unit_test(test_signup_defaults),
        cmocka_unit_test(test_item_limit),
        cmocka_unit_test(test_body_limit),
        cmocka_unit_test(test_text_limit),
        cmocka_unit_test(test_deep_nesting_rejected),
        cmocka_unit_test(test_sink_failure_reported),
        cmocka_unit_test(test_sample_feed_is_clean),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
