/*
 * The staff console's content side without HTTP (hub_content.h), on a
 * real SQLite file: rows of form values become a feed-v1 item or an error
 * on the right field, whether the form's own rules or the kiosk's feed
 * validator find it; what is saved is what the feed carries; an edit keeps
 * what the form does not show; cancelling a date, removing, who may touch
 * what; a refused form changes nothing, a saved one moves the content's
 * version (the feed's ETag) and writes one audit row.
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
#include <jansson.h>
#include <sodium.h>

#include "base/timeutil.h"
#include "hub/hub_content.h"
#include "hub/hub_db.h"
#include "hub/hub_import.h"

/* ---- a form from "name=value" lines ------------------------------------------------------- */

struct test_form {
    size_t n;
    char *names[64];
    char *values[64];
};

static void form_parse(struct test_form *f, const char *text)
{
    memset(f, 0, sizeof *f);
    char *copy = strdup(text);
    assert_non_null(copy);
    for (char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n")) {
        char *eq = strchr(line, '=');
        assert_non_null(eq);
        *eq = '\0';
        assert_true(f->n < 64);
        f->names[f->n] = strdup(line);
        f->values[f->n] = strdup(eq + 1);
        f->n++;
    }
    free(copy);
}

static void form_add(struct test_form *f, const char *name, const char *value)
{
    f->names[f->n] = strdup(name);
    f->values[f->n] = strdup(value);
    f->n++;
}

static void form_clear(struct test_form *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->names[i]);
        free(f->values[i]);
    }
    f->n = 0;
}

static const char *form_nth(const void *ctx, const char *name, size_t i)
{
    const struct test_form *f = ctx;
    for (size_t k = 0; k < f->n; k++)
        if (strcmp(f->names[k], name) == 0 && i-- == 0)
            return f->values[k];
    return NULL;
}

/* ---- the database ------------------------------------------------------------------------------ */

struct fixture {
    char dir[64];
    char path[128];
    struct hub_db *db;
};

#define NOW 1796000000              /* 2026-11-30, before every row's date */

static const char FEED[] =
    "{\"format\":\"buurtkiosk-feed\",\"version\":1,\"generated_at\":\"2026-11-01T00:00:00Z\","
    "\"locations\":[{\"id\":\"loc-a\",\"name\":\"A\"},{\"id\":\"loc-b\",\"name\":\"B\"}],"
    "\"activities\":[{\"id\":\"act-imported\",\"title\":{\"nl\":\"Koor\",\"ar\":\"جوقة\"},"
    "\"location_id\":\"loc-a\",\"starts_at\":\"2026-12-10T19:00:00+01:00\","
    "\"rrule\":\"FREQ=WEEKLY\",\"cost\":\"Gratis\",\"themes\":[\"leefbaarheid\"]}]}";

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/test_hub_content.XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    snprintf(fx->path, sizeof fx->path, "%s/hub.db", fx->dir);
    char err[256];
    fx->db = hub_db_open(fx->path, HUB_DB_CREATE, err, sizeof err);
    assert_non_null(fx->db);
    FILE *out = fopen("/dev/null", "w");
    assert_int_equal(hub_import_feed(fx->db, FEED, strlen(FEED), NOW - 86400, false, out, out),
                     HUB_IMPORT_OK);
    fclose(out);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    hub_db_close(fx->db);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    assert_int_equal(system(cmd), 0);
    free(fx);
    return 0;
}

static int64_t count(struct hub_db *db, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(hub_db_handle(db), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static int64_t state_version(struct hub_db *db)
{
    int64_t v = -1;
    assert_true(hub_db_meta_get_int(db, HUB_META_STATE_VERSION, &v));
    return v;
}

/* ---- the table ------------------------------------------------------------------------------------ */

#define COORD NULL
#define STAFF_B "[\"loc-b\"]"

struct row {
    const char *name;
    enum feed_kind kind;
    const char *locations;          /* the user's */
    const char *form;
    const char *field;              /* the error expected, or NULL: saved */
    enum hub_content_problem problem;
    const char *expect;             /* saved: JSON object whose keys the item has; null = absent */
};

static const struct row rows[] = {
    /* activities: saved */
    {"one-off", FEED_ACTIVITY, COORD,
     "title=Koffie\nlocation_id=loc-a\ndate=2026-12-10\nstart=10:00\nend=11:30\nrepeat=none\n"
     "description=Met koek",
     NULL, 0,
     "{\"title\":{\"nl\":\"Koffie\"},\"location_id\":\"loc-a\",\"starts_at\":"
     "\"2026-12-10T10:00:00+01:00\",\"ends_at\":\"2026-12-10T11:30:00+01:00\",\"rrule\":null,"
     "\"description\":{\"nl\":\"Met koek\"},\"signup\":null}"},
    {"the contract's fields alone", FEED_ACTIVITY, COORD,
     "title= Koffie \nlocation_id=loc-a\ndate=2026-12-10\nstart=10:00\nend=\nrepeat=none\n"
     "description=",
     NULL, 0, "{\"title\":{\"nl\":\"Koffie\"},\"ends_at\":null,\"description\":null}"},
    {"summer time", FEED_ACTIVITY, COORD,
     "title=Zomer\nlocation_id=loc-a\ndate=2027-07-01\nstart=10:00\nrepeat=none", NULL, 0,
     "{\"starts_at\":\"2027-07-01T10:00:00+02:00\"}"},
    {"weekly: the date's day", FEED_ACTIVITY, COORD,
     "title=Koor\nlocation_id=loc-a\ndate=2026-12-10\nstart=19:00\nrepeat=weekly", NULL, 0,
     "{\"rrule\":\"FREQ=WEEKLY;BYDAY=TH\",\"starts_at\":\"2026-12-10T19:00:00+01:00\"}"},
    {"weekly: chosen days, from the first of them", FEED_ACTIVITY, COORD,
     "title=Koor\nlocation_id=loc-a\ndate=2026-12-10\nstart=19:00\nrepeat=weekly\nweekday=WE\n"
     "weekday=MO",
     NULL, 0,
     "{\"rrule\":\"FREQ=WEEKLY;BYDAY=MO,WE\",\"starts_at\":\"2026-12-14T19:00:00+01:00\"}"},
    {"weekly until", FEED_ACTIVITY, COORD,
     "title=Koor\nlocation_id=loc-a\ndate=2026-12-10\nstart=19:00\nrepeat=weekly\n"
     "until=2027-03-01",
     NULL, 0, "{\"rrule\":\"FREQ=WEEKLY;BYDAY=TH;UNTIL=20270301\"}"},
    {"monthly: as the date falls", FEED_ACTIVITY, COORD,
     "title=Repair\nlocation_id=loc-a\ndate=2026-12-10\nstart=14:00\nrepeat=monthly", NULL, 0,
     "{\"rrule\":\"FREQ=MONTHLY;BYDAY=2TH\"}"},
    {"monthly: a fifth weekday is the last", FEED_ACTIVITY, COORD,
     "title=Repair\nlocation_id=loc-a\ndate=2026-12-31\nstart=14:00\nrepeat=monthly", NULL, 0,
     "{\"rrule\":\"FREQ=MONTHLY;BYDAY=-1TH\"}"},
    {"monthly: the first, from the next month", FEED_ACTIVITY, COORD,
     "title=Repair\nlocation_id=loc-a\ndate=2026-12-10\nstart=14:00\nrepeat=monthly\n"
     "monthly_nth=1",
     NULL, 0,
     "{\"rrule\":\"FREQ=MONTHLY;BYDAY=1TH\",\"starts_at\":\"2027-01-07T14:00:00+01:00\"}"},
    {"translations", FEED_ACTIVITY, COORD,
     "title=Koffie\ntitle_en=Coffee\ntitle_ar=قهوة\ntitle_tr=\nlocation_id=loc-a\n"
     "date=2026-12-10\nstart=10:00\ndescription_uk=Кава",
     NULL, 0,
     "{\"title\":{\"nl\":\"Koffie\",\"en\":\"Coffee\",\"ar\":\"قهوة\"},"
     "\"description\":{\"uk\":\"Кава\"}}"},
    {"sign-up with places and a waiting list", FEED_ACTIVITY, COORD,
     "title=Koken\nlocation_id=loc-a\ndate=2026-12-10\nstart=17:00\nsignup=yes\ncapacity=8\n"
     "waitlist=1",
     NULL, 0, "{\"signup\":{\"capacity\":8,\"taken\":0,\"waitlist\":true,"
              "\"closes_before_min\":0,\"fields\":[\"name\",\"phone\"]}}"},
    {"sign-up without a limit", FEED_ACTIVITY, STAFF_B,
     "title=Koken\nlocation_id=loc-b\ndate=2026-12-10\nstart=17:00\nsignup=yes\ncapacity=",
     NULL, 0, "{\"location_id\":\"loc-b\",\"signup\":{\"taken\":0,\"waitlist\":false,"
              "\"closes_before_min\":0,\"fields\":[\"name\",\"phone\"]}}"},
    /* activities: must fail */
    {"missing title", FEED_ACTIVITY, COORD,
     "title=\nlocation_id=loc-a\ndate=2026-12-10\nstart=10:00", "title", HC_MISSING, NULL},
    {"a blank title", FEED_ACTIVITY, COORD,
     "title=   \nlocation_id=loc-a\ndate=2026-12-10\nstart=10:00", "title", HC_MISSING, NULL},
    {"a translation without Dutch", FEED_ACTIVITY, COORD,
     "title_en=Coffee\nlocation_id=loc-a\ndate=2026-12-10\nstart=10:00", "title", HC_MISSING,
     NULL},
    {"no such day", FEED_ACTIVITY, COORD,
     "title=X\nlocation_id=loc-a\ndate=2026-02-30\nstart=10:00", "date", HC_BAD_DATE, NULL},
    {"a Dutch date order", FEED_ACTIVITY, COORD,
     "title=X\nlocation_id=loc-a\ndate=10-12-2026\nstart=10:00", "date", HC_BAD_DATE, NULL},
    {"missing date", FEED_ACTIVITY, COORD, "title=X\nlocation_id=loc-a\nstart=10:00", "date",
     HC_MISSING, NULL},
    {"missing start", FEED_ACTIVITY, COORD, "title=X\nlocation_id=loc-a\ndate=2026-12-10",
     "start", HC_MISSING, NULL},
    {"25 o'clock", FEED_ACTIVITY, COORD,
     "title=X\nlocation_id=loc-a\ndate=2026-12-10\nstart=25:00", "start", HC_BAD_TIME, NULL},
    {"a time without its zero", FEED_ACTIVITY, COORD,
     "title=X\nlocation_id=loc-a\ndate=2026-12-10\nstart=7:30", "start", HC_BAD_TIME, NULL},
    {"a bad end", FEED_ACTIVITY, COORD,
     "title=X\nlocation_id=loc-a\ndate=2026-12-10\nstart=10:00\nend=elf", "end", HC_BAD_TIME,
     NULL},
    {"end before start (the validator)", FEED_ACTIVITY, COORD,
     "title=X\nlocation_id=loc-a\ndate=2026-12-10\nstart=10:00\nend=09:00", "end", HC_INVALID,
     NULL},
    {"unknown location (the validator)", FEED_ACTIVITY, COORD,
     "title=X\nlocation_id=loc-zz\ndate=2026-12-10\nstart=10:00", "location_id", HC_INVALID,
     NULL},
    {"a location that is not the user's", FEED_ACTIVITY, STAFF_B,
     "title=X\nlocation_id=loc-a\ndate=2026-12-10\nstart=10:00", "location_id", HC_NOT_YOURS,
     NULL},
    {"no location", FEED_ACTIVITY, COORD, "title=X\ndate=2026-12-10\nstart=10:00",
     "location_id", HC_MISSING, NULL},
    {"bad repeat", FEED_ACTIVITY, COORD,
     "title=X\nlocation_id=loc-a\ndate=2026-12-10\nstart=10:00\nrepeat=daily", "repeat",
     HC_BAD_CHOICE, NULL},
    {"weekly with an empty weekday list", FEED_ACTIVITY, COORD,
     "title=X\nlocation_id=loc-a\ndate=2026-12-10\nstart=10:00\nrepeat=weekly\nweekday=",
     "weekday", HC_NO_WEEKDAY, NULL},
    {"weekly on no such day", FEED_ACTIVITY, COORD,
     "title=X\nlocation_id=loc-a\ndate=2026-12-10\nstart=10:00\nrepeat=weekly\nweekday=XX",
     "weekday", HC_BAD_CHOICE, NULL},
    {"a fifth week", FEED_ACTIVITY, COORD,
     "title=X\nlocation_id=loc-a\ndate=2026-12-10\nstart=10:00\nrepeat=monthly\nmonthly_nth=5",
     "monthly_nth", HC_BAD_CHOICE, NULL},
    {"week zero", FEED_ACTIVITY, COORD,
     "title=X\nlocation_id=loc-a\ndate=2026-12-10\nstart=10:00\nrepeat=monthly\nmonthly_nth=0",
     "monthly_nth", HC_BAD_CHOICE, NULL},
    {"until before the date", FEED_ACTIVITY, COORD,
     "title=X\nlocation_id=loc-a\ndate=2026-12-10\nstart=10:00\nrepeat=weekly\nuntil=2026-12-01",
     "until", HC_BEFORE, NULL},
    {"negative places", FEED_ACTIVITY, COORD,
     "title=X\nlocation_id=loc-a\ndate=2026-12-10\nstart=10:00\nsignup=yes\ncapacity=-1",
     "capacity", HC_BAD_NUMBER, NULL},
    {"places in words", FEED_ACTIVITY, COORD,
     "title=X\nlocation_id=loc-a\ndate=2026-12-10\nstart=10:00\nsignup=yes\ncapacity=tien",
     "capacity", HC_BAD_NUMBER, NULL},
    {"sign-up maybe", FEED_ACTIVITY, COORD,
     "title=X\nlocation_id=loc-a\ndate=2026-12-10\nstart=10:00\nsignup=maybe", "signup",
     HC_BAD_CHOICE, NULL},
    /* services */
    {"service with walk-in hours", FEED_SERVICE, COORD,
     "name=Geldzaken\nname_en=Money matters\nlocation_id=loc-a\norganization=Schuldhulp\n"
     "walk_in_days_1=mo\nwalk_in_days_1=we\nwalk_in_opens_1=09:00\nwalk_in_closes_1=12:00\n"
     "walk_in_opens_2=\nwalk_in_closes_2=\nphone=033 123 45 67\nhow_to=Loop binnen",
     NULL, 0,
     "{\"name\":{\"nl\":\"Geldzaken\",\"en\":\"Money matters\"},\"organization\":\"Schuldhulp\","
     "\"walk_in\":[{\"days\":[\"mo\",\"we\"],\"opens\":\"09:00\",\"closes\":\"12:00\"}],"
     "\"phone\":\"033 123 45 67\",\"how_to\":{\"nl\":\"Loop binnen\"}}"},
    {"service without a name", FEED_SERVICE, COORD, "name=\nlocation_id=loc-a", "name",
     HC_MISSING, NULL},
    {"walk-in closing before it opens", FEED_SERVICE, COORD,
     "name=X\nlocation_id=loc-a\nwalk_in_days_1=mo\nwalk_in_opens_1=12:00\n"
     "walk_in_closes_1=09:00",
     "walk_in_closes_1", HC_BEFORE, NULL},
    {"walk-in days without times", FEED_SERVICE, COORD,
     "name=X\nlocation_id=loc-a\nwalk_in_days_2=fr", "walk_in_opens_2", HC_MISSING, NULL},
    {"walk-in times without days", FEED_SERVICE, COORD,
     "name=X\nlocation_id=loc-a\nwalk_in_opens_1=09:00\nwalk_in_closes_1=10:00",
     "walk_in_days_1", HC_NO_WEEKDAY, NULL},
    {"walk-in on no such day", FEED_SERVICE, COORD,
     "name=X\nlocation_id=loc-a\nwalk_in_days_1=xx\nwalk_in_opens_1=09:00\n"
     "walk_in_closes_1=10:00",
     "walk_in_days_1", HC_BAD_CHOICE, NULL},
    {"service at another's location", FEED_SERVICE, STAFF_B, "name=X\nlocation_id=loc-a",
     "location_id", HC_NOT_YOURS, NULL},
    /* announcements */
    {"urgent, everywhere, by a coordinator", FEED_ANNOUNCEMENT, COORD,
     "text=Vandaag gesloten\npriority=urgent\nfrom=2026-12-10T08:00\nuntil=2026-12-10T18:00",
     NULL, 0,
     "{\"text\":{\"nl\":\"Vandaag gesloten\"},\"priority\":\"urgent\",\"location_ids\":null,"
     "\"from\":\"2026-12-10T08:00:00+01:00\",\"until\":\"2026-12-10T18:00:00+01:00\"}"},
    {"for B, by B's staff", FEED_ANNOUNCEMENT, STAFF_B,
     "text=Nieuwe koffie\nlocation_ids=loc-b\npriority=normal", NULL, 0,
     "{\"location_ids\":[\"loc-b\"],\"priority\":\"normal\"}"},
    {"everywhere, by B's staff", FEED_ANNOUNCEMENT, STAFF_B, "text=Overal\npriority=normal",
     "location_ids", HC_EVERYWHERE, NULL},
    {"for A, by B's staff", FEED_ANNOUNCEMENT, STAFF_B, "text=A\nlocation_ids=loc-a",
     "location_ids", HC_NOT_YOURS, NULL},
    {"until before from (the validator)", FEED_ANNOUNCEMENT, COORD,
     "text=X\nfrom=2026-12-10T08:00\nuntil=2026-12-09T08:00", "until", HC_INVALID, NULL},
    {"a date without a time", FEED_ANNOUNCEMENT, COORD, "text=X\nfrom=2026-12-10", "from",
     HC_BAD_DATE, NULL},
    {"priority high", FEED_ANNOUNCEMENT, COORD, "text=X\npriority=high", "priority",
     HC_BAD_CHOICE, NULL},
    {"no text", FEED_ANNOUNCEMENT, COORD, "text=\npriority=normal", "text", HC_MISSING, NULL},
};

static json_t *build(enum feed_kind kind, const struct test_form *f, const json_t *base,
                     const char *id, const char *locations, struct hub_content_errors *errs)
{
    struct hub_content_form form = {f, form_nth};
    switch (kind) {
    case FEED_ACTIVITY: return hub_content_activity(&form, base, id, locations, errs);
    case FEED_SERVICE: return hub_content_service(&form, base, id, locations, errs);
    case FEED_ANNOUNCEMENT: return hub_content_announcement(&form, base, id, locations, errs);
    default: fail();
    }
    return NULL;
}

static const enum hub_audit_action add_action[FEED_KIND_COUNT] = {
    HUB_AUDIT_ACTIVITY_ADD, HUB_AUDIT_ACTIVITY_ADD, HUB_AUDIT_SERVICE_ADD,
    HUB_AUDIT_ANNOUNCEMENT_ADD};

/* Builds and saves a form; returns the stored item (NULL when refused,
 * with errs filled). */
static json_t *add(struct fixture *fx, enum feed_kind kind, const struct test_form *f,
                   const char *locations, struct hub_content_errors *errs)
{
    char id[FEED_ID_MAX + 1];
    hub_content_new_id(kind, id);
    assert_true(feed_id_valid(id));
    json_t *item = build(kind, f, NULL, id, locations, errs);
    if (!item) {
        assert_true(errs->n > 0);
        return NULL;
    }
    enum hub_content_result r =
        hub_content_save(fx->db, kind, item, false, NOW, "tester", add_action[kind], errs);
    json_decref(item);
    if (r == HUB_CONTENT_REFUSED)
        return NULL;
    assert_int_equal(r, HUB_CONTENT_SAVED);
    bool failed;
    json_t *stored = hub_content_load(fx->db, kind, id, locations, &failed);
    assert_false(failed);
    assert_non_null(stored);
    return stored;
}

static void expect_subset(const char *name, const json_t *item, const char *expect)
{
    json_error_t e;
    json_t *want = json_loads(expect, 0, &e);
    if (!want)
        fail_msg("%s: bad expectation: %s", name, e.text);
    const char *key;
    json_t *value;
    json_object_foreach(want, key, value) {
        json_t *got = json_object_get(item, key);
        bool ok = json_is_null(value) ? got == NULL : got && json_equal(got, value);
        if (!ok) {
            char *text = json_dumps(item, JSON_SORT_KEYS);
            fail_msg("%s: %s: got %s", name, key, text);
        }
    }
    json_decref(want);
}

static void test_rows(void **state)
{
    struct fixture *fx = *state;
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        const struct row *r = &rows[i];
        struct test_form f;
        form_parse(&f, r->form);
        int64_t items = count(fx->db, "SELECT count(*) FROM items");
        int64_t audits = count(fx->db, "SELECT count(*) FROM audit");
        int64_t version = state_version(fx->db);
        struct hub_content_errors errs = {0};
        json_t *stored = add(fx, r->kind, &f, r->locations, &errs);
        if (r->field) {
            if (stored)
                fail_msg("%s: saved, expected an error on %s", r->name, r->field);
            const struct hub_content_error *e = hub_content_error_of(&errs, r->field);
            if (!e)
                fail_msg("%s: no error on %s (first: %s %s)", r->name, r->field,
                         errs.e[0].field, errs.e[0].detail);
            if (e->problem != r->problem)
                fail_msg("%s: problem %d, expected %d", r->name, (int)e->problem,
                         (int)r->problem);
            /* Refused: nothing changed, the ETag stays. */
            assert_int_equal(count(fx->db, "SELECT count(*) FROM items"), items);
            assert_int_equal(count(fx->db, "SELECT count(*) FROM audit"), audits);
            assert_int_equal(state_version(fx->db), version);
        } else {
            if (!stored)
                fail_msg("%s: refused: %s %d %s", r->name, errs.e[0].field,
                         (int)errs.e[0].problem, errs.e[0].detail);
            expect_subset(r->name, stored, r->expect);
            assert_int_equal(count(fx->db, "SELECT count(*) FROM items"), items + 1);
            assert_int_equal(count(fx->db, "SELECT count(*) FROM audit"), audits + 1);
            assert_true(state_version(fx->db) > version);
            json_decref(stored);
        }
        form_clear(&f);
    }
}

/* A title over feed-v1's 8 KiB: the validator's reason, on the title. */
static void test_too_long_title(void **state)
{
    struct fixture *fx = *state;
    struct test_form f;
    form_parse(&f, "location_id=loc-a\ndate=2026-12-10\nstart=10:00");
    char *title = malloc(8194);
    memset(title, 'x', 8193);
    title[8193] = '\0';
    form_add(&f, "title", title);
    struct hub_content_errors errs = {0};
    assert_null(add(fx, FEED_ACTIVITY, &f, NULL, &errs));
    const struct hub_content_error *e = hub_content_error_of(&errs, "title");
    assert_non_null(e);
    assert_int_equal(e->problem, HC_INVALID);
    assert_non_null(strstr(e->detail, "8 KiB"));
    title[8192] = '\0';             /* exactly the limit is fine */
    form_clear(&f);
    form_parse(&f, "location_id=loc-a\ndate=2026-12-10\nstart=10:00");
    form_add(&f, "title", title);
    json_t *stored = add(fx, FEED_ACTIVITY, &f, NULL, &errs);
    assert_non_null(stored);
    json_decref(stored);
    free(title);
    form_clear(&f);
}

/* An edit keeps what the form does not show, and the item's place. */
static void test_edit_keeps_the_rest(void **state)
{
    struct fixture *fx = *state;
    bool failed;
    json_t *base = hub_content_load(fx->db, FEED_ACTIVITY, "act-imported", NULL, &failed);
    assert_non_null(base);
    struct test_form f;
    form_parse(&f, "title=Koor nieuw\nlocation_id=loc-a\ndate=2026-12-10\nstart=19:30\n"
                   "repeat=weekly");
    struct hub_content_errors errs = {0};
    json_t *item = build(FEED_ACTIVITY, &f, base, "act-imported", NULL, &errs);
    assert_non_null(item);
    assert_int_equal(hub_content_save(fx->db, FEED_ACTIVITY, item, true, NOW, "tester",
                                      HUB_AUDIT_ACTIVITY_EDIT, &errs),
                     HUB_CONTENT_SAVED);
    json_decref(item);
    json_t *stored = hub_content_load(fx->db, FEED_ACTIVITY, "act-imported", NULL, &failed);
    expect_subset("edit", stored,
                  "{\"title\":{\"nl\":\"Koor nieuw\",\"ar\":\"جوقة\"},\"cost\":{\"nl\":\"Gratis\"},"
                  "\"themes\":[\"leefbaarheid\"],\"rrule\":\"FREQ=WEEKLY;BYDAY=TH\"}");
    assert_int_equal(count(fx->db, "SELECT seq FROM items WHERE id = 'act-imported'"), 2);
    /* The sign-up rules follow the body. */
    assert_int_equal(count(fx->db, "SELECT count(*) FROM activities WHERE id = 'act-imported'"
                                   " AND rrule = 'FREQ=WEEKLY;BYDAY=TH'"),
                     1);
    json_decref(stored);
    /* Saving as new an id that exists, or replacing one that does not: refused. */
    json_t *other = json_pack("{ssss}", "id", "act-nothere", "title", "X");
    assert_int_equal(hub_content_save(fx->db, FEED_ACTIVITY, other, true, NOW, "tester",
                                      HUB_AUDIT_ACTIVITY_EDIT, &errs),
                     HUB_CONTENT_NOT_FOUND);
    json_decref(other);
    assert_int_equal(hub_content_save(fx->db, FEED_ACTIVITY, base, false, NOW, "tester",
                                      HUB_AUDIT_ACTIVITY_ADD, &errs),
                     HUB_CONTENT_FAILED);
    json_decref(base);
    form_clear(&f);
}

static void test_cancel_date_and_remove(void **state)
{
    struct fixture *fx = *state;
    int64_t at, next;
    assert_true(rfc3339_parse("2026-12-17T19:00:00+01:00", &at));
    assert_true(rfc3339_parse("2026-12-24T19:00:00+01:00", &next));
    /* Not the user's, and not an occurrence: not found, nothing changed. */
    int64_t version = state_version(fx->db);
    assert_int_equal(hub_content_cancel_date(fx->db, "act-imported", at, STAFF_B, NOW, "b"),
                     HUB_CONTENT_NOT_FOUND);
    assert_int_equal(hub_content_cancel_date(fx->db, "act-imported", at + 60, NULL, NOW, "c"),
                     HUB_CONTENT_NOT_FOUND);
    assert_int_equal(hub_content_cancel_date(fx->db, "act-nothere", at, NULL, NOW, "c"),
                     HUB_CONTENT_NOT_FOUND);
    assert_int_equal(state_version(fx->db), version);
    assert_int_equal(hub_content_cancel_date(fx->db, "act-imported", at, NULL, NOW, "c"),
                     HUB_CONTENT_SAVED);
    assert_true(state_version(fx->db) > version);
    bool failed;
    json_t *item = hub_content_load(fx->db, FEED_ACTIVITY, "act-imported", NULL, &failed);
    int64_t starts[2];
    assert_int_equal(hub_content_occurrences(item, at - 3600, next + 1, starts, 2), 1);
    assert_int_equal(starts[0], next);
    json_decref(item);
    /* The rules the hub judges sign-ups by know it too. */
    assert_int_equal(count(fx->db, "SELECT json_array_length(exdates) FROM activities"
                                   " WHERE id = 'act-imported'"),
                     1);
    /* Twice: that date is no occurrence any more. */
    assert_int_equal(hub_content_cancel_date(fx->db, "act-imported", at, NULL, NOW, "c"),
                     HUB_CONTENT_NOT_FOUND);

    assert_int_equal(hub_content_remove(fx->db, FEED_ACTIVITY, "act-imported", STAFF_B, NOW, "b",
                                        HUB_AUDIT_ACTIVITY_CANCEL),
                     HUB_CONTENT_NOT_FOUND);
    assert_int_equal(hub_content_remove(fx->db, FEED_ACTIVITY, "act-imported", NULL, NOW, "c",
                                        HUB_AUDIT_ACTIVITY_CANCEL),
                     HUB_CONTENT_SAVED);
    assert_int_equal(count(fx->db, "SELECT count(*) FROM items WHERE id = 'act-imported'"), 0);
    assert_int_equal(count(fx->db, "SELECT count(*) FROM activities"), 0);
    assert_int_equal(count(fx->db, "SELECT count(*) FROM audit WHERE action ="
                                   " 'activity.cancel-date' AND item = 'act-imported'"),
                     1);
    assert_int_equal(count(fx->db, "SELECT count(*) FROM audit WHERE action ="
                                   " 'activity.cancel' AND item = 'act-imported'"),
                     1);
}

static void test_may_touch(void **state)
{
    (void)state;
    json_t *a = json_pack("{ss}", "location_id", "loc-a");
    json_t *none = json_object();
    json_t *ann_b = json_pack("{s[s]}", "location_ids", "loc-b");
    json_t *ann_ab = json_pack("{s[ss]}", "location_ids", "loc-a", "loc-b");
    assert_true(hub_content_may_touch(FEED_ACTIVITY, a, NULL));
    assert_false(hub_content_may_touch(FEED_ACTIVITY, a, STAFF_B));
    assert_false(hub_content_may_touch(FEED_ACTIVITY, none, STAFF_B));
    assert_true(hub_content_may_touch(FEED_ANNOUNCEMENT, ann_b, STAFF_B));
    assert_false(hub_content_may_touch(FEED_ANNOUNCEMENT, ann_ab, STAFF_B));
    assert_false(hub_content_may_touch(FEED_ANNOUNCEMENT, none, STAFF_B));
    assert_true(hub_content_may_touch(FEED_ANNOUNCEMENT, none, NULL));
    json_decref(a);
    json_decref(none);
    json_decref(ann_b);
    json_decref(ann_ab);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    tz_use_zone("Europe/Amsterdam");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_too_long_title, setup, teardown),
        cmocka_unit_test_setup_teardown(test_edit_keeps_the_rest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cancel_date_and_remove, setup, teardown),
        cmocka_unit_test(test_may_touch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
