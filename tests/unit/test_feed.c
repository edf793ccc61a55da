/*
 * Feed validation (feed-v1.md "Validation"): table-driven, with a row for
 * every rule, the whole-feed rejections and the per-item skips.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/feed.h"
#include "model/store.h"
#include "base/timeutil.h"

/* The feed's and the store's public types are plain C: whoever takes feed
 * items or reads the store needs neither a JSON library nor SQLite. */
#if defined(JANSSON_H) || defined(SQLITE3_H)
#error "model/feed.h or model/store.h pulls in jansson or SQLite"
#endif

/* Only to say what the texts must look like (test_texts_as_jansson_dumps_them). */
#include <jansson.h>

/* A header without generated_at (which every feed needs), and one with it. */
#define HEAD0 "{\"format\":\"buurtkiosk-feed\",\"version\":1,"
#define GEN "\"generated_at\":\"2026-11-25T08:00:00+01:00\""
#define HEAD HEAD0 GEN ","
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
    int64_t last_lease;
    size_t last_n_lease;
    int64_t last_lease_first;        /* the first per-occurrence lease, -1 = none */
    bool last_signup_present;
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
        const struct feed_signup *su = &item->u.activity.signup;
        c->last_lease = su->lease;
        c->last_n_lease = su->n_lease_by_occurrence;
        c->last_lease_first = su->n_lease_by_occurrence ? su->lease_by_occurrence[0].taken : -1;
        c->last_signup_present = su->present;
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
    {"arrays may be missing", HEAD0 GEN "}", FEED_ACCEPTED, ""},
    {"empty arrays are empty, not broken", HEAD "\"locations\":[],\"activities\":[],"
     "\"services\":[],\"announcements\":[]}", FEED_ACCEPTED, ""},
    {"one good activity among bad ones", HEAD "\"activities\":[1,{\"id\":\"a\",\"title\":\"x\","
     START "},null]}", FEED_ACCEPTED, ""},
    {"generated_at with Z", HEAD0 "\"generated_at\":\"2026-11-25T07:00:00Z\"}", FEED_ACCEPTED, ""},
    {"unknown top-level fields ignored", HEAD "\"future\":{\"x\":[1,2,{\"y\":null}]},\"n\":3}",
     FEED_ACCEPTED, ""},
    {"version after the arrays", "{\"locations\":[" LOC "],\"format\":\"buurtkiosk-feed\","
                                 "\"version\":1," GEN "}", FEED_ACCEPTED, ""},
    {"byte-order mark tolerated", "\xEF\xBB\xBF" HEAD "\"locations\":[]}", FEED_ACCEPTED, ""},
    {"full header", HEAD0 "\"generated_at\":\"2026-11-25T08:00:00+01:00\",\"publisher\":"
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
    {"generated_at without offset", HEAD0 "\"generated_at\":\"2026-11-25T08:00:00\"}",
     FEED_REJECTED, "generated_at"},
    {"generated_at a number", HEAD0 "\"generated_at\":5}", FEED_REJECTED, "generated_at"},
    {"generated_at missing", HEAD0 "\"locations\":[" LOC "]}", FEED_REJECTED,
     "generated_at is missing"},
    {"generated_at null", HEAD0 "\"generated_at\":null,\"locations\":[" LOC "]}", FEED_REJECTED,
     "generated_at"},
    {"generated_at empty", HEAD0 "\"generated_at\":\"\"}", FEED_REJECTED, "generated_at"},
    /* A non-empty array in which every item is skipped is broken, not empty. */
    {"the issue's garbage feed", HEAD0 "\"activities\":[1,\"x\",null,{\"id\":{}}]}",
     FEED_REJECTED, "generated_at"},
    {"every activity skipped", HEAD "\"activities\":[1,\"x\",null,{\"id\":{}}]}", FEED_REJECTED,
     "every one of the 4 activities was skipped"},
    {"every location skipped", HEAD "\"locations\":[{\"id\":\"l\"}]}", FEED_REJECTED,
     "locations"},
    {"every service skipped", HEAD "\"services\":[{\"id\":\"s\"},{\"name\":\"x\"}]}",
     FEED_REJECTED, "every one of the 2 services"},
    {"every announcement skipped", HEAD "\"announcements\":[{\"id\":\"a b\",\"text\":\"x\"}]}",
     FEED_REJECTED, "announcements"},
    {"every activity skipped only at the end (dangling location_id)",
     HEAD "\"locations\":[" LOC "],\"activities\":[{\"id\":\"a\",\"title\":\"x\"," START
     ",\"location_id\":\"nowhere\"}]}", FEED_REJECTED, "activities"},
    {"every activity a duplicate but the first", HEAD "\"activities\":[{\"id\":\"a\",\"title\":\"x\"," START
     "},{\"id\":\"a\",\"title\":\"y\"," START "}]}", FEED_ACCEPTED, ""},
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

struct item_rule {
    const char *name;
    enum feed_kind kind;
    const char *item;
    bool kept;
    /* skipped items: in the reason; kept items: NULL for no warning, else
     * in the one warning (an invalid optional field, dropped) */
    const char *reason_has;
};

#define ACT(extra) "{\"id\":\"act-1\",\"title\":\"Koffie\"," START extra "}"
#define SVC(extra) "{\"id\":\"svc-1\",\"name\":\"Hulp\"" extra "}"
#define A64 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define ANN(extra) "{\"id\":\"ann-1\",\"text\":\"Gesloten\"" extra "}"

static const struct item_rule item_rows[] = {
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
    /* invalid optional fields: dropped with a warning, the item kept */
    {"url not a URL", FEED_ACTIVITY, ACT(",\"url\":\"kijk op de website\""), true, "url is not"},
    {"url ftp", FEED_ACTIVITY, ACT(",\"url\":\"ftp://e.org/a\""), true, "url"},
    {"url a file", FEED_ACTIVITY, ACT(",\"url\":\"file:///etc/passwd\""), true, "url"},
    {"url without host", FEED_ACTIVITY, ACT(",\"url\":\"https:///x\""), true, "url"},
    {"url with a space", FEED_ACTIVITY, ACT(",\"url\":\"https://e.org/a b\""), true, "url"},
    {"image not a URL", FEED_ACTIVITY, ACT(",\"image\":\"foto.png\""), true, "image is not"},
    {"image javascript", FEED_ACTIVITY, ACT(",\"image\":\"javascript:alert(1)\""), true, "image"},
    {"image a number", FEED_ACTIVITY, ACT(",\"image\":3"), true, "image"},
    {"image from a file", FEED_ACTIVITY, ACT(",\"image\":\"file:///srv/feed/a.png\""), true, NULL},
    {"image in capitals", FEED_ACTIVITY, ACT(",\"image\":\"HTTPS://E.ORG/A.PNG\""), true, NULL},
    {"summary an array", FEED_ACTIVITY, ACT(",\"summary\":[\"s\"]"), true, "summary"},
    {"description a number", FEED_ACTIVITY, ACT(",\"description\":1"), true, "description"},
    {"lease negative drops the signup", FEED_ACTIVITY, ACT(",\"signup\":{\"lease\":-1}"), true,
     "signup dropped"},
    {"location lon out of range", FEED_LOCATION,
     "{\"id\":\"loc-2\",\"name\":\"x\",\"lat\":52,\"lon\":180.5}", true, "out of range"},
    {"location lat far out of range", FEED_LOCATION,
     "{\"id\":\"loc-2\",\"name\":\"x\",\"lat\":1e999,\"lon\":5}", true, "lat/lon"},
    {"location lat without lon", FEED_LOCATION, "{\"id\":\"loc-2\",\"name\":\"x\",\"lat\":52}",
     true, "lat without lon"},
    {"location lon without lat", FEED_LOCATION,
     "{\"id\":\"loc-2\",\"name\":\"x\",\"lat\":null,\"lon\":5}", true, "lon without lat"},
    {"location on the edges", FEED_LOCATION,
     "{\"id\":\"loc-2\",\"name\":\"x\",\"lat\":-90,\"lon\":180}", true, NULL},
    {"location coordinates null", FEED_LOCATION,
     "{\"id\":\"loc-2\",\"name\":\"x\",\"lat\":null,\"lon\":null}", true, NULL},
    {"location accessibility a number", FEED_LOCATION,
     "{\"id\":\"loc-2\",\"name\":\"x\",\"accessibility\":4}", true, "accessibility"},
    {"service url not a URL", FEED_SERVICE, SVC(",\"url\":\"www.e.org\""), true, "url"},
    {"service image not a URL", FEED_SERVICE, SVC(",\"image\":\"a.png\""), true, "image"},
    {"service organization a number", FEED_SERVICE, SVC(",\"organization\":1"), true,
     "organization"},
    {"service phone an object", FEED_SERVICE, SVC(",\"phone\":{}"), true, "phone"},
    /* activities that must be skipped */
    {"location_id not an id", FEED_ACTIVITY, ACT(",\"location_id\":\"loc 1\""), false,
     "location_id"},
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
    {"themes not an array", FEED_ACTIVITY, ACT(",\"themes\":\"leefbaarheid\""), true, "themes"},
    {"themes with a number", FEED_ACTIVITY, ACT(",\"themes\":[1]"), true, "themes"},
    {"audience with an empty tag", FEED_ACTIVITY, ACT(",\"audience\":[\"\"]"), true, "audience"},
    {"cost a number", FEED_ACTIVITY, ACT(",\"cost\":2.5"), true, "cost"},
    {"url a number", FEED_ACTIVITY, ACT(",\"url\":5"), true, "url"},
    {"signup not an object", FEED_ACTIVITY, ACT(",\"signup\":true"), true, "signup"},
    {"capacity negative", FEED_ACTIVITY, ACT(",\"signup\":{\"capacity\":-1}"), true, "capacity"},
    {"capacity fractional", FEED_ACTIVITY, ACT(",\"signup\":{\"capacity\":2.5}"), true, "capacity"},
    {"capacity huge", FEED_ACTIVITY, ACT(",\"signup\":{\"capacity\":99999999999999999999999}"),
     true, "capacity"},
    {"taken negative", FEED_ACTIVITY, ACT(",\"signup\":{\"taken\":-2}"), true, "taken"},
    {"taken key not a timestamp", FEED_ACTIVITY, ACT(",\"signup\":{\"taken\":{\"morgen\":1}}"), true,
     "taken"},
    {"taken value negative", FEED_ACTIVITY,
     ACT(",\"signup\":{\"taken\":{\"2026-11-26T09:00:00Z\":-1}}"), true, "taken"},
    {"waitlist not boolean", FEED_ACTIVITY, ACT(",\"signup\":{\"waitlist\":\"ja\"}"), true,
     "waitlist"},
    {"closes_before_min negative", FEED_ACTIVITY, ACT(",\"signup\":{\"closes_before_min\":-5}"),
     true, "closes_before_min"},
    {"unknown signup field", FEED_ACTIVITY, ACT(",\"signup\":{\"fields\":[\"name\",\"bsn\"]}"), true,
     "fields"},
    {"signup fields not an array", FEED_ACTIVITY, ACT(",\"signup\":{\"fields\":\"name\"}"), true,
     "fields"},
    {"contact not an object", FEED_ACTIVITY, ACT(",\"contact\":\"0330000000\""), true, "contact"},
    {"contact phone a number", FEED_ACTIVITY, ACT(",\"contact\":{\"phone\":330000000}"), true,
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
     true, "lat"},
    {"location lat out of range", FEED_LOCATION,
     "{\"id\":\"loc-2\",\"name\":\"x\",\"lat\":91,\"lon\":5}", true, "lat"},
    {"location address an object", FEED_LOCATION,
     "{\"id\":\"loc-2\",\"name\":\"x\",\"address\":{}}", true, "address"},
    {"duplicate location id", FEED_LOCATION, LOC, false, "duplicate"},
    /* services */
    {"service", FEED_SERVICE,
     SVC(",\"organization\":\"Wijkteam\",\"topics\":[\"geldzaken\",\"nieuw-onderwerp\"],"
         "\"location_id\":\"loc-1\",\"walk_in\":[{\"days\":[\"mo\",\"we\"],\"opens\":\"09:00\","
         "\"closes\":\"12:00\"}],\"phone\":\"0330000000\",\"how_to\":{\"nl\":\"Loop binnen\"}"),
     true, NULL},
    {"service without name", FEED_SERVICE, "{\"id\":\"svc-1\"}", false, "name"},
    {"walk_in not an array", FEED_SERVICE, SVC(",\"walk_in\":{}"), true, "walk_in"},
    {"walk_in unknown day", FEED_SERVICE,
     SVC(",\"walk_in\":[{\"days\":[\"maandag\"],\"opens\":\"09:00\",\"closes\":\"12:00\"}]"), true,
     "walk_in"},
    {"walk_in closes before opens", FEED_SERVICE,
     SVC(",\"walk_in\":[{\"days\":[\"mo\"],\"opens\":\"13:00\",\"closes\":\"12:00\"}]"), true,
     "walk_in"},
    {"walk_in bad time", FEED_SERVICE,
     SVC(",\"walk_in\":[{\"days\":[\"mo\"],\"opens\":\"9\",\"closes\":\"12:00\"}]"), true,
     "walk_in"},
    {"walk_in without days", FEED_SERVICE,
     SVC(",\"walk_in\":[{\"opens\":\"09:00\",\"closes\":\"12:00\"}]"), true, "walk_in"},
    {"service dangling location", FEED_SERVICE, SVC(",\"location_id\":\"loc-x\""), false, "loc-x"},
    {"topics not an array", FEED_SERVICE, SVC(",\"topics\":\"geldzaken\""), true, "topics"},
    /* announcements */
    {"announcement", FEED_ANNOUNCEMENT,
     ANN(",\"from\":\"2026-11-25T00:00:00+01:00\",\"until\":\"2026-12-01T00:00:00+01:00\","
         "\"location_ids\":[\"loc-1\"],\"priority\":\"urgent\""),
     true, NULL},
    {"announcement without text", FEED_ANNOUNCEMENT, "{\"id\":\"ann-1\"}", false, "text"},
    {"announcement bad priority", FEED_ANNOUNCEMENT, ANN(",\"priority\":\"hoog\""), true,
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

/* A good item of each kind, so that a skipped row does not leave its array
 * with nothing (which rejects the feed whole). */
static const char *const good_item[FEED_KIND_COUNT] = {
    LOC,
    "{\"id\":\"act-ok\",\"title\":\"x\"," START "}",
    "{\"id\":\"svc-ok\",\"name\":\"x\"}",
    "{\"id\":\"ann-ok\",\"text\":\"x\"}",
};

static void test_item_rules(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof item_rows / sizeof *item_rows; i++) {
        const struct item_rule *row = &item_rows[i];
        char doc[4096];
        /* loc-1 always exists; the row's item comes second in its own array. */
        if (row->kind == FEED_LOCATION)
            snprintf(doc, sizeof doc, HEAD "\"locations\":[" LOC ",%s]}", row->item);
        else
            snprintf(doc, sizeof doc, HEAD "\"locations\":[" LOC "],\"%s\":[%s,%s]}",
                     array_key[row->kind], good_item[row->kind], row->item);
        struct collected c = {0};
        struct feed_report r;
        enum feed_result got = parse(doc, &c, &r);
        size_t want_kept = 1 + (row->kept ? 1 : 0);
        bool ok = got == FEED_ACCEPTED && c.added[row->kind] == want_kept &&
                  r.kept[row->kind] == want_kept && r.skipped == (row->kept ? 0u : 1u);
        if (ok && !row->kept)
            ok = r.n_skips == 1 && strstr(r.skips[0].reason, row->reason_has) != NULL &&
                 r.skips[0].kind == row->kind && r.skips[0].index == 1 && r.n_warnings == 0;
        if (ok && row->kept && !row->reason_has)
            ok = r.n_warnings == 0 && r.warned == 0;
        if (ok && row->kept && row->reason_has)
            ok = r.n_warnings == 1 && r.warned == 1 &&
                 strstr(r.warnings[0].message, row->reason_has) != NULL &&
                 r.warnings[0].kind == row->kind && r.warnings[0].index == 1 &&
                 strstr(row->item, r.warnings[0].id) != NULL;
        if (!ok)
            fail_msg("row '%s': result %d, kept %zu (want %zu), skipped %zu, reason '%s', "
                     "%zu warnings ('%s')",
                     row->name, got, c.added[row->kind], want_kept, r.skipped,
                     r.n_skips ? r.skips[0].reason : r.reason, r.n_warnings,
                     r.n_warnings ? r.warnings[0].message : "");
        /* Without a sink the parser builds none of the items' plain data:
         * the verdict must be the same. */
        struct feed_report alone;
        assert_int_equal(feed_parse(doc, strlen(doc), NULL, &alone), got);
        if (alone.kept[row->kind] != r.kept[row->kind] || alone.skipped != r.skipped ||
            alone.warned != r.warned ||
            (r.n_skips && strcmp(alone.skips[0].reason, r.skips[0].reason) != 0))
            fail_msg("row '%s': another verdict without a sink", row->name);
        feed_report_clear(&alone);
        feed_report_clear(&r);
    }
}

/* ---- what the sink gets: plain C data, texts as their JSON ---- */

struct described {
    char text[4096];    /* the last item, one "field=value" per field, ";" between */
    size_t len;
};

static void put(struct described *d, const char *field, const char *value)
{
    d->len += (size_t)snprintf(d->text + d->len, sizeof d->text - d->len, "%s%s=%s",
                               d->len ? ";" : "", field, value ? value : "-");
    assert_true(d->len < sizeof d->text);
}

/* A list as its items and its JSON: "a|b [\"a\",\"b\"]", or "-" when empty. */
static void put_list(struct described *d, const char *field, const struct feed_strings *list)
{
    char value[1024] = "";
    size_t n = 0;
    if (!list->count) {
        assert_null(list->json);
        put(d, field, NULL);
        return;
    }
    for (size_t i = 0; i < list->count; i++)
        n += (size_t)snprintf(value + n, sizeof value - n, "%s%s", i ? "|" : "", list->items[i]);
    snprintf(value + n, sizeof value - n, " %s", list->json);
    put(d, field, value);
}

static bool describe_add(void *ctx, const struct feed_item *item)
{
    struct described *d = ctx;
    d->len = 0;
    d->text[0] = '\0';
    switch (item->kind) {
    case FEED_LOCATION:
        put(d, "name", item->u.location.name_json);
        put(d, "accessibility", item->u.location.accessibility_json);
        break;
    case FEED_ACTIVITY: {
        const struct feed_activity *a = &item->u.activity;
        put(d, "title", a->title_json);
        put(d, "summary", a->summary_json);
        put(d, "description", a->description_json);
        put(d, "cost", a->cost_json);
        put_list(d, "themes", &a->themes);
        put_list(d, "functions", &a->functions);
        put_list(d, "audience", &a->audience);
        put(d, "contact", a->contact.json);
        put(d, "phone", a->contact.phone);
        put(d, "email", a->contact.email);
        put(d, "url", a->contact.url);
        break;
    }
    case FEED_SERVICE:
        put(d, "name", item->u.service.name_json);
        put(d, "description", item->u.service.description_json);
        put(d, "how_to", item->u.service.how_to_json);
        put_list(d, "topics", &item->u.service.topics);
        put(d, "walk_in", item->u.service.walk_in_json);
        break;
    case FEED_ANNOUNCEMENT:
        put(d, "text", item->u.announcement.text_json);
        put_list(d, "location_ids", &item->u.announcement.location_ids);
        break;
    case FEED_KIND_COUNT:
        return false;
    }
    return true;
}

struct plain_row {
    const char *name;
    enum feed_kind kind;
    const char *item;
    const char *want;
};

#define NO_TEXTS "summary=-;description=-;cost=-;themes=-;functions=-;audience=-"
#define NO_CONTACT "contact=-;phone=-;email=-;url=-"

static const struct plain_row plain_rows[] = {
    {"a plain string is Dutch", FEED_ACTIVITY, ACT(""),
     "title={\"nl\":\"Koffie\"};" NO_TEXTS ";" NO_CONTACT},
    {"an object keeps its order and every language", FEED_ACTIVITY,
     "{\"id\":\"a\",\"title\":{\"en\":\"Coffee\",\"nl\":\"Koffie\",\"ar\":\"قهوة\"}," START "}",
     "title={\"en\":\"Coffee\",\"nl\":\"Koffie\",\"ar\":\"قهوة\"};" NO_TEXTS ";" NO_CONTACT},
    {"escapes as JSON writes them", FEED_ACTIVITY,
     "{\"id\":\"a\",\"title\":\"\\\"a\\\"/b\\n\\u0001\"," START "}",
     "title={\"nl\":\"\\\"a\\\"/b\\n\\u0001\"};" NO_TEXTS ";" NO_CONTACT},
    {"an empty optional text is absent", FEED_ACTIVITY, ACT(",\"summary\":\"\",\"cost\":{}"),
     "title={\"nl\":\"Koffie\"};" NO_TEXTS ";" NO_CONTACT},
    {"lists as items and as JSON, duplicates kept", FEED_ACTIVITY,
     ACT(",\"themes\":[\"leefbaarheid\",\"nieuw\",\"leefbaarheid\"],\"functions\":[],"
         "\"audience\":[\"ouderen\"]"),
     "title={\"nl\":\"Koffie\"};summary=-;description=-;cost=-;"
     "themes=leefbaarheid|nieuw|leefbaarheid [\"leefbaarheid\",\"nieuw\",\"leefbaarheid\"];"
     "functions=-;audience=ouderen [\"ouderen\"];" NO_CONTACT},
    {"contact: its strings, and the object as written", FEED_ACTIVITY,
     ACT(",\"contact\":{\"email\":\"a@b.nl\",\"phone\":null,\"extra\":1}"),
     "title={\"nl\":\"Koffie\"};" NO_TEXTS ";"
     "contact={\"email\":\"a@b.nl\",\"phone\":null,\"extra\":1};phone=-;email=a@b.nl;url=-"},
    {"every text of a location", FEED_LOCATION,
     "{\"id\":\"l\",\"name\":{\"nl\":\"Sleutel\"},\"accessibility\":\"lift\"}",
     "name={\"nl\":\"Sleutel\"};accessibility={\"nl\":\"lift\"}"},
    {"walk_in as written", FEED_SERVICE,
     SVC(",\"how_to\":\"Bel\",\"topics\":[\"wonen\"],\"walk_in\":[{\"days\":[\"we\",\"mo\"],"
         "\"opens\":\"09:00\",\"closes\":\"12:00\",\"note\":2}]"),
     "name={\"nl\":\"Hulp\"};description=-;how_to={\"nl\":\"Bel\"};topics=wonen [\"wonen\"];"
     "walk_in=[{\"days\":[\"we\",\"mo\"],\"opens\":\"09:00\",\"closes\":\"12:00\",\"note\":2}]"},
    {"an announcement for two locations", FEED_ANNOUNCEMENT,
     ANN(",\"location_ids\":[\"loc-1\",\"loc-2\"]"),
     "text={\"nl\":\"Gesloten\"};location_ids=loc-1|loc-2 [\"loc-1\",\"loc-2\"]"},
    {"an announcement everywhere", FEED_ANNOUNCEMENT, ANN(",\"location_ids\":[]"),
     "text={\"nl\":\"Gesloten\"};location_ids=-"},
};

static void test_items_are_plain_data(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof plain_rows / sizeof *plain_rows; i++) {
        const struct plain_row *row = &plain_rows[i];
        char doc[4096];
        snprintf(doc, sizeof doc, HEAD "\"%s\":[%s]}", array_key[row->kind], row->item);
        struct described d = {0};
        struct feed_sink sink = {.ctx = &d, .add = describe_add};
        struct feed_report r;
        enum feed_result got = feed_parse(doc, strlen(doc), &sink, &r);
        if (got != FEED_ACCEPTED || r.kept[row->kind] != 1 || strcmp(d.text, row->want) != 0)
            fail_msg("row '%s': result %d, kept %zu, got\n  %s\nwant\n  %s", row->name, got,
                     r.kept[row->kind], d.text, row->want);
        feed_report_clear(&r);
    }
}

/* Texts of one item stay where they are while later, longer ones are
 * added, and the next item starts afresh: long descriptions (three
 * languages of nearly 8 KiB) between short texts, item after item. */
struct long_texts {
    size_t items;
    bool all_intact;
};

static bool check_long_texts(void *ctx, const struct feed_item *item)
{
    struct long_texts *c = ctx;
    const struct feed_activity *a = &item->u.activity;
    char want_title[64];
    snprintf(want_title, sizeof want_title, "{\"nl\":\"titel %zu\"}", c->items);
    /* {"nl":"ddd...","en":"eee...","ar":"aaa..."}: 9 bytes of syntax per language */
    size_t dlen = strlen(a->description_json);
    bool ok = strcmp(a->title_json, want_title) == 0 &&
              strcmp(a->cost_json, "{\"nl\":\"Gratis\"}") == 0 && dlen == 3 * (8000 + 9) - 2 &&
              strncmp(a->description_json, "{\"nl\":\"ddd", 9) == 0 &&
              a->description_json[dlen - 1] == '}' && a->themes.count == 1 &&
              strcmp(a->themes.items[0], "taal") == 0 && strcmp(a->themes.json, "[\"taal\"]") == 0;
    /* Each item's own rule, parsed into storage of its own. */
    ok = ok && a->rule && a->rule->freq == RRULE_WEEKLY &&
         a->rule->interval == (int)(c->items % 5) + 1;
    c->all_intact = c->all_intact && ok;
    c->items++;
    return true;
}

/* The same with a threaded sink (feed.h): more items than the parser's
 * hand-over holds, so that every slot is reused while the sink thread
 * reads the ones before. */
static void long_texts(bool threaded)
{
    enum { N = 80, LONG = 8000 };
    size_t cap = N * (3 * LONG + 256) + 256;
    char *doc = malloc(cap);
    assert_non_null(doc);
    size_t len = (size_t)snprintf(doc, cap, HEAD "\"activities\":[");
    for (size_t i = 0; i < N; i++) {
        len += (size_t)snprintf(doc + len, cap - len,
                                "%s{\"id\":\"a%zu\",\"title\":\"titel %zu\"," START
                                ",\"rrule\":\"FREQ=WEEKLY;INTERVAL=%zu\",\"description\":{",
                                i ? "," : "", i, i, i % 5 + 1);
        static const char *const langs[] = {"nl", "en", "ar"};
        for (size_t k = 0; k < 3; k++) {
            len += (size_t)snprintf(doc + len, cap - len, "%s\"%s\":\"", k ? "," : "", langs[k]);
            memset(doc + len, "dea"[k], LONG);
            len += LONG;
            doc[len++] = '"';
        }
        len += (size_t)snprintf(doc + len, cap - len,
                                "},\"cost\":\"Gratis\",\"themes\":[\"taal\"]}");
    }
    len += (size_t)snprintf(doc + len, cap - len, "]}");
    struct long_texts c = {.all_intact = true};
    struct feed_sink sink = {.ctx = &c, .add = check_long_texts, .threaded = threaded};
    struct feed_report r;
    assert_int_equal(feed_parse(doc, len, &sink, &r), FEED_ACCEPTED);
    assert_int_equal(c.items, N);
    assert_int_equal(r.kept[FEED_ACTIVITY], N);
    assert_true(c.all_intact);
    feed_report_clear(&r);
    free(doc);
}

static void test_long_texts_stay_intact(void **state)
{
    (void)state;
    long_texts(false);
    long_texts(true);
}

/* A threaded sink gets the items in document order, one at a time, on a
 * thread of its own; when it refuses one, the parse ends as a sink
 * failure naming that item, nothing after it is stored, and retract()
 * comes only after every add() has returned. */
struct ordered {
    size_t n_added;
    char ids[64][FEED_ID_MAX + 1];
    const char *refuse;             /* the id add() says no to, or NULL */
    bool in_add;                    /* an add() is running */
    bool overlapped;                /* two at once, or a retract during one */
    bool other_thread;              /* add() ran off the caller's thread */
    pthread_t caller;
    size_t added_at_retract;
};

static bool ordered_add(void *ctx, const struct feed_item *item)
{
    struct ordered *o = ctx;
    if (o->in_add)
        o->overlapped = true;
    o->in_add = true;
    if (!pthread_equal(pthread_self(), o->caller))
        o->other_thread = true;
    bool refuse = o->refuse && strcmp(item->u.activity.id, o->refuse) == 0;
    if (!refuse && o->n_added < 64)
        snprintf(o->ids[o->n_added++], sizeof o->ids[0], "%s", item->u.activity.id);
    o->in_add = false;
    return !refuse;
}

static bool ordered_retract(void *ctx, enum feed_kind kind, const char *id)
{
    struct ordered *o = ctx;
    (void)kind;
    (void)id;
    if (o->in_add)
        o->overlapped = true;
    o->added_at_retract = o->n_added;
    return true;
}

static void test_threaded_sink(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        const char *refuse;
        enum feed_result expect;
        size_t added;
        const char *reason_has;
    } rows[] = {
        {"every item stored, in order", NULL, FEED_ACCEPTED, 60, ""},
        {"the sink refuses the first", "a00", FEED_SINK_FAILED, 0, "could not store activity a00"},
        {"the sink refuses one in the middle", "a37", FEED_SINK_FAILED, 37,
         "could not store activity a37"},
        {"the sink refuses the last", "a59", FEED_SINK_FAILED, 59, "could not store activity a59"},
    };
    char doc[16384];
    size_t len = (size_t)snprintf(doc, sizeof doc, HEAD "\"activities\":[");
    for (int i = 0; i < 60; i++)
        len += (size_t)snprintf(doc + len, sizeof doc - len,
                                "%s{\"id\":\"a%02d\",\"title\":\"t\"," START "%s}", i ? "," : "",
                                i, i == 59 ? ",\"location_id\":\"loc-never\"" : "");
    len += (size_t)snprintf(doc + len, sizeof doc - len, "]}");
    assert_true(len < sizeof doc);
    for (size_t k = 0; k < sizeof rows / sizeof *rows; k++) {
        struct ordered o = {.refuse = rows[k].refuse, .caller = pthread_self()};
        struct feed_sink sink = {.ctx = &o, .add = ordered_add, .retract = ordered_retract,
                                 .threaded = true};
        struct feed_report r;
        enum feed_result got = feed_parse(doc, len, &sink, &r);
        bool order = true;
        for (size_t i = 0; i < o.n_added; i++) {
            char want[32];
            snprintf(want, sizeof want, "a%02zu", i);
            order = order && strcmp(o.ids[i], want) == 0;
        }
        if (got != rows[k].expect || o.n_added != rows[k].added || !order || o.overlapped ||
            !o.other_thread || !strstr(r.reason, rows[k].reason_has) ||
            (got == FEED_ACCEPTED && o.added_at_retract != 60))
            fail_msg("row '%s': result %d, %zu added (order %s), overlapped %d, other thread %d,"
                     " retract after %zu, reason '%s'",
                     rows[k].name, got, o.n_added, order ? "ok" : "wrong", o.overlapped,
                     o.other_thread, o.added_at_retract, r.reason);
        feed_report_clear(&r);
    }
}

/* The texts and lists the sink gets are byte for byte what jansson's
 * compact dump of the parsed value writes (what the store has always
 * kept), whatever needs escaping. */
struct dumped {
    char title[512], themes[512];
};

static bool keep_dumped(void *ctx, const struct feed_item *item)
{
    struct dumped *d = ctx;
    const struct feed_activity *a = &item->u.activity;
    snprintf(d->title, sizeof d->title, "%s", a->title_json);
    snprintf(d->themes, sizeof d->themes, "%s", a->themes.json ? a->themes.json : "");
    return true;
}

static void test_texts_as_jansson_dumps_them(void **state)
{
    (void)state;
    static const char *const titles[] = {
        "\"plain\"",
        "\"quote \\\" backslash \\\\ slash / \\/\"",
        "\"\\b\\f\\n\\r\\t\"",
        "\"\\u0001 \\u001f \\u007f \x7f\"",
        "\"\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80 \\u00e9 \\ud83d\\ude00\"",
        "\"\\u2028\\u2029\"",
        "{\"nl\":\"a\",\"en\":\"\\\"b\\\"\",\"ar\":\"\\u0627\"}",
        "{\"nl\":\"x\",\"en\":\"\"}",
    };
    static const char themes[] = "[\"a/b\",\"c\\\"d\",\"\\t\",\"\xc3\xa9\"]";
    for (size_t i = 0; i < sizeof titles / sizeof *titles; i++) {
        char doc[1024];
        snprintf(doc, sizeof doc,
                 HEAD "\"activities\":[{\"id\":\"a\",\"title\":%s," START ",\"themes\":%s}]}",
                 titles[i], themes);
        struct dumped d = {0};
        struct feed_sink sink = {.ctx = &d, .add = keep_dumped};
        struct feed_report r;
        assert_int_equal(feed_parse(doc, strlen(doc), &sink, &r), FEED_ACCEPTED);
        feed_report_clear(&r);

        json_t *title = json_loads(titles[i], JSON_DECODE_ANY, NULL);
        assert_non_null(title);
        if (json_is_string(title)) {
            json_t *wrapped = json_pack("{sO}", "nl", title);
            json_decref(title);
            title = wrapped;
        }
        json_t *list = json_loads(themes, 0, NULL);
        char *want_title = json_dumps(title, JSON_COMPACT | JSON_ENCODE_ANY);
        char *want_themes = json_dumps(list, JSON_COMPACT | JSON_ENCODE_ANY);
        if (strcmp(d.title, want_title) != 0 || strcmp(d.themes, want_themes) != 0)
            fail_msg("row %zu: got %s %s, jansson writes %s %s", i, d.title, d.themes,
                     want_title, want_themes);
        free(want_title);
        free(want_themes);
        json_decref(title);
        json_decref(list);
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

/* signup.lease (feed-v1): an integer >= 0 or an object of occurrence start
 * -> integer >= 0, like taken; anything else drops the signup with a
 * warning (an invalid optional field) and keeps the activity. */
static const struct lease_row {
    const char *name;
    const char *signup;
    bool kept;
    int64_t lease;                 /* the integer form */
    size_t n_by_occurrence;
    int64_t first;                 /* the first per-occurrence value, -1 = none */
    const char *reason_has;
} lease_rows[] = {
    {"absent is 0", "{\"capacity\":4}", true, 0, 0, -1, NULL},
    {"null is 0", "{\"capacity\":4,\"lease\":null}", true, 0, 0, -1, NULL},
    {"integer", "{\"capacity\":4,\"lease\":2}", true, 2, 0, -1, NULL},
    {"zero", "{\"capacity\":4,\"lease\":0}", true, 0, 0, -1, NULL},
    {"per occurrence", "{\"capacity\":4,\"lease\":{\"2026-11-26T10:00:00+01:00\":1}}", true, 0, 1,
     1, NULL},
    {"empty object", "{\"capacity\":4,\"lease\":{}}", true, 0, 0, -1, NULL},
    {"with taken too", "{\"taken\":{\"2026-11-26T09:00:00Z\":3},\"lease\":{\"2026-11-26T09:00:00Z\":2,"
     "\"2026-12-03T09:00:00Z\":1}}", true, 0, 2, 2, NULL},
    /* must fail */
    {"negative", "{\"lease\":-1}", false, 0, 0, -1, "signup.lease"},
    {"fractional", "{\"lease\":1.5}", false, 0, 0, -1, "signup.lease"},
    {"string", "{\"lease\":\"2\"}", false, 0, 0, -1, "signup.lease"},
    {"boolean", "{\"lease\":true}", false, 0, 0, -1, "signup.lease"},
    {"array", "{\"lease\":[1]}", false, 0, 0, -1, "signup.lease"},
    {"huge", "{\"lease\":99999999999999999999999}", false, 0, 0, -1, "signup.lease"},
    {"key not a timestamp", "{\"lease\":{\"morgen\":1}}", false, 0, 0, -1, "signup.lease key"},
    {"key without offset", "{\"lease\":{\"2026-11-26T10:00:00\":1}}", false, 0, 0, -1,
     "signup.lease key"},
    {"value negative", "{\"lease\":{\"2026-11-26T09:00:00Z\":-1}}", false, 0, 0, -1,
     "signup.lease value"},
    {"value a string", "{\"lease\":{\"2026-11-26T09:00:00Z\":\"1\"}}", false, 0, 0, -1,
     "signup.lease value"},
    {"value null", "{\"lease\":{\"2026-11-26T09:00:00Z\":null}}", false, 0, 0, -1,
     "signup.lease value"},
};

static void test_signup_lease(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof lease_rows / sizeof *lease_rows; i++) {
        const struct lease_row *row = &lease_rows[i];
        char doc[1024];
        snprintf(doc, sizeof doc, HEAD "\"activities\":[{\"id\":\"act-1\",\"title\":\"Koffie\","
                 START ",\"signup\":%s}]}", row->signup);
        struct collected c = {0};
        struct feed_report r;
        if (parse(doc, &c, &r) != FEED_ACCEPTED)
            fail_msg("row '%s': feed rejected: %s", row->name, r.reason);
        if (r.kept[FEED_ACTIVITY] != 1 || r.skipped != 0)
            fail_msg("row '%s': the activity was skipped: %s", row->name,
                     r.n_skips ? r.skips[0].reason : "");
        bool kept = c.last_signup_present;
        if (kept != row->kept)
            fail_msg("row '%s': signup kept %d, want %d", row->name, kept, row->kept);
        if (kept && (c.last_lease != row->lease || c.last_n_lease != row->n_by_occurrence ||
                     c.last_lease_first != row->first || r.warned != 0))
            fail_msg("row '%s': lease %lld, %zu per occurrence (first %lld), %zu warnings",
                     row->name, (long long)c.last_lease, c.last_n_lease,
                     (long long)c.last_lease_first, r.warned);
        if (!kept && (r.n_warnings != 1 || !strstr(r.warnings[0].message, row->reason_has) ||
                      !strstr(r.warnings[0].message, "signup dropped") || c.last_lease != 0 ||
                      c.last_capacity != 0))
            fail_msg("row '%s': warning '%s', want '%s'", row->name,
                     r.n_warnings ? r.warnings[0].message : "", row->reason_has);
        feed_report_clear(&r);
    }
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
        int len = snprintf(doc, n + 256, HEAD "\"activities\":[{\"id\":\"b\",\"title\":\"x\","
                           START "},{\"id\":\"a\"," START ",\"title\":\"");
        memset(doc + len, 'k', n);
        len += (int)n;
        len += snprintf(doc + len, 64, "\"}]}");
        struct feed_report r;
        assert_int_equal(feed_parse(doc, (size_t)len, NULL, &r), FEED_ACCEPTED);
        assert_int_equal(r.kept[FEED_ACTIVITY], extra ? 1 : 2);
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

/* automation-v1: "skipped KIND ID (#N): REASON", N 0-based, "(no id)" for
 * an item without a valid id; the same function for every command. */
static const struct line_row {
    const char *name;
    const char *items;           /* the activities array */
    const char *want;            /* every skip line, "\n" after each */
} line_rows[] = {
    {"the issue's example", "1,\"x\",null,{\"id\":{}}," "{\"id\":\"ok\",\"title\":\"x\"," START "}",
     "skipped activity (no id) (#0): not an object\n"
     "skipped activity (no id) (#1): not an object\n"
     "skipped activity (no id) (#2): not an object\n"
     "skipped activity (no id) (#3): id is not [A-Za-z0-9_-]{1,128}\n"},
    {"an id and its place", "{\"id\":\"ok\",\"title\":\"x\"," START "},{\"id\":\"a-1\"," START "}",
     "skipped activity a-1 (#1): title: missing\n"},
    {"a dangling location, found at the end, keeps its place",
     "{\"id\":\"b\",\"title\":\"x\"," START ",\"location_id\":\"nergens\"},"
     "{\"id\":\"ok\",\"title\":\"x\"," START "}",
     "skipped activity b (#0): location_id nergens names no location in this feed\n"},
    {"nothing skipped, no lines", "{\"id\":\"ok\",\"title\":\"x\"," START "}", ""},
};

static void test_skip_lines(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof line_rows / sizeof *line_rows; i++) {
        const struct line_row *row = &line_rows[i];
        char doc[2048];
        snprintf(doc, sizeof doc, HEAD "\"activities\":[%s]}", row->items);
        struct feed_report r;
        assert_int_equal(feed_parse(doc, strlen(doc), NULL, &r), FEED_ACCEPTED);
        char *text = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&text, &size);
        assert_non_null(f);
        feed_report_print(&r, f, NULL);
        fclose(f);
        if (strcmp(text, row->want) != 0)
            fail_msg("row '%s': got\n%s\nwant\n%s", row->name, text, row->want);
        free(text);
        feed_report_clear(&r);
    }
}

/* The warning of a dropped field names the item as a skip would, and an
 * item skipped after all (its location never came) takes its warnings
 * with it. */
static void test_warning_lines(void **state)
{
    (void)state;
    const char *doc = HEAD "\"locations\":[{\"id\":\"l1\",\"name\":\"x\",\"lat\":95,\"lon\":5}],"
                      "\"activities\":[{\"id\":\"a\",\"title\":\"x\"," START ",\"location_id\":\"l1\","
                      "\"image\":\"plaatje\"},{\"id\":\"b\",\"title\":\"x\"," START
                      ",\"location_id\":\"later\",\"url\":\"nee\"}]}";
    struct collected c = {0};
    struct feed_report r;
    assert_int_equal(parse(doc, &c, &r), FEED_ACCEPTED);
    assert_int_equal(r.kept[FEED_LOCATION], 1);
    assert_int_equal(r.kept[FEED_ACTIVITY], 1);
    assert_int_equal(r.warned, 2);
    char line[512];
    feed_warning_line(&r.warnings[0], line, sizeof line);
    assert_string_equal(line, "warning location l1 (#0): lat/lon out of range; both dropped");
    feed_warning_line(&r.warnings[1], line, sizeof line);
    assert_string_equal(line, "warning activity a (#0): image is not an http(s) or file URL; dropped");
    feed_report_clear(&r);
}

/* feed_url_valid: what a url (http/https) and an image (also file) may be. */
static const struct url_row {
    const char *url;
    bool as_url, as_image;
} url_rows[] = {
    {"https://example.org", true, true},
    {"http://example.org/a.png?x=1#y", true, true},
    {"HTTPS://EXAMPLE.ORG/", true, true},
    {"http://[::1]:8080/a", true, true},
    {"file:///srv/feed/a.png", false, true},
    /* must fail */
    {"", false, false},
    {"example.org", false, false},
    {"www.example.org/a", false, false},
    {"https://", false, false},
    {"https:///a", false, false},
    {"https://?q", false, false},
    {"https://e.org/a b", false, false},
    {"https://e.org/a\tb", false, false},
    {"https://e.org/\x7f", false, false},
    {"ftp://e.org/a", false, false},
    {"javascript:alert(1)", false, false},
    {"file://host/a.png", false, false},
    {"file:///", false, false},
    {"mailto:a@b.nl", false, false},
    {" https://e.org", false, false},
};

static void test_url_valid(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof url_rows / sizeof *url_rows; i++) {
        const struct url_row *row = &url_rows[i];
        if (feed_url_valid(row->url, false) != row->as_url ||
            feed_url_valid(row->url, true) != row->as_image)
            fail_msg("row '%s': url %d image %d, want %d %d", row->url,
                     feed_url_valid(row->url, false), feed_url_valid(row->url, true), row->as_url,
                     row->as_image);
    }
    char long_url[FEED_URL_MAX + 2];
    memset(long_url, 'a', sizeof long_url - 1);
    long_url[sizeof long_url - 1] = '\0';
    memcpy(long_url, "https://", 8);
    assert_false(feed_url_valid(long_url, true));
    long_url[FEED_URL_MAX] = '\0';
    assert_true(feed_url_valid(long_url, true));
}

static const struct coord_row {
    double lat, lon;
    bool valid;
} coord_rows[] = {
    {52.15, 5.38, true}, {-90, -180, true}, {90, 180, true}, {0, 0, true},
    /* must fail */
    {90.0001, 0, false}, {-90.0001, 0, false}, {0, 180.0001, false}, {0, -180.0001, false},
    {HUGE_VAL, 0, false}, {0, -HUGE_VAL, false}, {NAN, 0, false}, {0, NAN, false},
};

static void test_coordinates_valid(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof coord_rows / sizeof *coord_rows; i++)
        if (feed_coordinates_valid(coord_rows[i].lat, coord_rows[i].lon) != coord_rows[i].valid)
            fail_msg("row %zu: %g %g", i, coord_rows[i].lat, coord_rows[i].lon);
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
        cmocka_unit_test(test_items_are_plain_data),
        cmocka_unit_test(test_long_texts_stay_intact),
        cmocka_unit_test(test_threaded_sink),
        cmocka_unit_test(test_texts_as_jansson_dumps_them),
        cmocka_unit_test(test_duplicate_keeps_first),
        cmocka_unit_test(test_location_after_activities),
        cmocka_unit_test(test_signup_defaults),
        cmocka_unit_test(test_signup_lease),
        cmocka_unit_test(test_item_limit),
        cmocka_unit_test(test_body_limit),
        cmocka_unit_test(test_text_limit),
        cmocka_unit_test(test_deep_nesting_rejected),
        cmocka_unit_test(test_sink_failure_reported),
        cmocka_unit_test(test_sample_feed_is_clean),
        cmocka_unit_test(test_skip_lines),
        cmocka_unit_test(test_warning_lines),
        cmocka_unit_test(test_url_valid),
        cmocka_unit_test(test_coordinates_valid),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
