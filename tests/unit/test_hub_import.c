/*
 * Import safety (hub-api-v1 "The hub's command line", issue 14) on a real
 * SQLite file: every row starts from a hub holding the sample feed (5
 * locations, 31 activities, 21 services, 5 announcements) and imports a
 * document made from it. An import that would leave no items, or keep
 * fewer than half the ids of a kind that held at least 10, is refused
 * unless forced; a document rejected whole is refused even when forced;
 * a refusal changes nothing.
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

#include "base/timeutil.h"
#include "hub/hub_db.h"
#include "hub/hub_feed.h"
#include "hub/hub_import.h"
#include "model/feed.h"

static int64_t t(const char *text)
{
    int64_t v = 0;
    assert_true(rfc3339_parse(text, &v));
    return v;
}

static json_t *sample(void)
{
    const char *assets = getenv("BK_ASSETS");
    char path[512];
    snprintf(path, sizeof path, "%s/sample-feed.json", assets ? assets : "assets");
    json_t *doc = json_load_file(path, 0, NULL);
    assert_non_null(doc);
    return doc;
}

/* What a row does to the sample before importing it. */
static void keep_first(json_t *doc, const char *array, size_t n)
{
    json_t *items = json_object_get(doc, array);
    while (json_array_size(items) > n)
        json_array_remove(items, json_array_size(items) - 1);
}

static void rename_ids(json_t *doc, const char *array, size_t from)
{
    json_t *items = json_object_get(doc, array);
    for (size_t i = from; i < json_array_size(items); i++) {
        json_t *item = json_array_get(items, i);
        char id[200];
        snprintf(id, sizeof id, "nieuw-%s", json_string_value(json_object_get(item, "id")));
        json_object_set_new(item, "id", json_string(id));
    }
}

enum edit {
    SAME,
    KEEP_16_ACTIVITIES,         /* 16 of 31: half or more */
    KEEP_15_ACTIVITIES,         /* 15 of 31: fewer than half */
    RENAME_11_SERVICES,         /* 10 of 21 ids kept: fewer than half */
    RENAME_10_SERVICES,         /* 11 of 21 kept */
    NO_ANNOUNCEMENTS,           /* 5 held: under 10, no rule */
    EVERYTHING_EMPTY,           /* no items at all */
    NO_ACTIVITIES_AT_ALL,       /* the activities array empty: 0 of 31 */
    ACTIVITIES_ALL_SKIPPED,     /* rejected whole */
    NO_GENERATED_AT,            /* rejected whole */
    GROW,                       /* only additions */
};

static char *edited(enum edit e)
{
    json_t *doc = sample();
    switch (e) {
    case SAME: break;
    case KEEP_16_ACTIVITIES: keep_first(doc, "activities", 16); break;
    case KEEP_15_ACTIVITIES: keep_first(doc, "activities", 15); break;
    case RENAME_11_SERVICES: rename_ids(doc, "services", 10); break;
    case RENAME_10_SERVICES: rename_ids(doc, "services", 11); break;
    case NO_ANNOUNCEMENTS: json_object_del(doc, "announcements"); break;
    case EVERYTHING_EMPTY:
        json_object_set_new(doc, "locations", json_array());
        json_object_set_new(doc, "activities", json_array());
        json_object_set_new(doc, "services", json_array());
        json_object_set_new(doc, "announcements", json_array());
        break;
    case NO_ACTIVITIES_AT_ALL: json_object_set_new(doc, "activities", json_array()); break;
    case ACTIVITIES_ALL_SKIPPED:
        json_object_set_new(doc, "activities", json_pack("[i,s,n,{s{}}]", 1, "x", "id"));
        break;
    case NO_GENERATED_AT: json_object_del(doc, "generated_at"); break;
    case GROW: {
        json_t *more = json_deep_copy(json_array_get(json_object_get(doc, "activities"), 0));
        json_object_set_new(more, "id", json_string("act-extra"));
        json_array_append_new(json_object_get(doc, "activities"), more);
        break;
    }
    }
    char *text = json_dumps(doc, 0);
    json_decref(doc);
    assert_non_null(text);
    return text;
}

static const struct safety_row {
    const char *name;
    enum edit edit;
    bool force;
    enum hub_import_result want;
    const char *err_has;             /* in stderr; NULL = anything */
} safety_rows[] = {
    {"the same content", SAME, false, HUB_IMPORT_OK, NULL},
    {"additions only", GROW, false, HUB_IMPORT_OK, NULL},
    {"16 of 31 activities kept", KEEP_16_ACTIVITIES, false, HUB_IMPORT_OK, NULL},
    {"11 of 21 services kept", RENAME_10_SERVICES, false, HUB_IMPORT_OK, NULL},
    {"5 announcements removed (under 10 held)", NO_ANNOUNCEMENTS, false, HUB_IMPORT_OK, NULL},
    {"15 of 31 activities, forced", KEEP_15_ACTIVITIES, true, HUB_IMPORT_OK, NULL},
    {"nothing left, forced", EVERYTHING_EMPTY, true, HUB_IMPORT_OK, NULL},
    /* must fail */
    {"15 of 31 activities kept", KEEP_15_ACTIVITIES, false, HUB_IMPORT_REFUSED,
     "it would keep 15 of the 31 activities and remove 16: "},
    {"10 of 21 services kept", RENAME_11_SERVICES, false, HUB_IMPORT_REFUSED,
     "it would keep 10 of the 21 services and remove 11"},
    {"no activities left", NO_ACTIVITIES_AT_ALL, false, HUB_IMPORT_REFUSED,
     "keep 0 of the 31 activities"},
    {"nothing left", EVERYTHING_EMPTY, false, HUB_IMPORT_REFUSED,
     "it would leave no items (it would remove 5 locations, 31 activities, 21 services, "
     "5 announcements)"},
    {"every activity skipped, forced", ACTIVITIES_ALL_SKIPPED, true, HUB_IMPORT_REFUSED,
     "every one of the 4 activities was skipped"},
    {"no generated_at, forced", NO_GENERATED_AT, true, HUB_IMPORT_REFUSED, "generated_at"},
};

struct hub {
    char dir[64], path[128];
    struct hub_db *db;
};

static void hub_open(struct hub *h)
{
    snprintf(h->dir, sizeof h->dir, "/tmp/hub-import.XXXXXX");
    assert_non_null(mkdtemp(h->dir));
    snprintf(h->path, sizeof h->path, "%s/hub.db", h->dir);
    char err[256];
    h->db = hub_db_open(h->path, HUB_DB_CREATE, err, sizeof err);
    assert_non_null(h->db);
    char *doc = edited(SAME);
    FILE *devnull = fopen("/dev/null", "w");
    assert_int_equal(hub_import_feed(h->db, doc, strlen(doc), t("2026-11-20T08:00:00+01:00"),
                                     false, devnull, devnull),
                     HUB_IMPORT_OK);
    fclose(devnull);
    free(doc);
}

static void hub_close(struct hub *h)
{
    hub_db_close(h->db);
    char p[200];
    const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", h->path, suffix[i]);
        unlink(p);
    }
    rmdir(h->dir);
}

static char *etag_of(struct hub_db *db)
{
    struct hub_feed_body b;
    assert_true(hub_feed_build(db, NULL, &b));
    char *etag = strdup(b.etag);
    hub_feed_body_clear(&b);
    return etag;
}

static void test_import_safety(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof safety_rows / sizeof *safety_rows; i++) {
        const struct safety_row *row = &safety_rows[i];
        struct hub h;
        hub_open(&h);
        char *before = etag_of(h.db);
        char *doc = edited(row->edit);
        char *err_text = NULL, *out_text = NULL;
        size_t err_size = 0, out_size = 0;
        FILE *errs = open_memstream(&err_text, &err_size);
        FILE *out = open_memstream(&out_text, &out_size);
        enum hub_import_result got = hub_import_feed(h.db, doc, strlen(doc),
                                                     t("2026-11-21T08:00:00+01:00"), row->force,
                                                     out, errs);
        fclose(errs);
        fclose(out);
        char *after = etag_of(h.db);
        bool ok = got == row->want && (!row->err_has || strstr(err_text, row->err_has));
        /* A refusal changes nothing; an import that went through says so. */
        if (row->want == HUB_IMPORT_REFUSED)
            ok = ok && strcmp(before, after) == 0 && out_size == 0;
        else
            ok = ok && strstr(out_text, "imported: ") != NULL &&
                 (row->edit == SAME) == (strcmp(before, after) == 0);
        if (!ok)
            fail_msg("row '%s': result %d (want %d), stderr:\n%s\nstdout:\n%s", row->name, got,
                     row->want, err_text, out_text);
        free(before);
        free(after);
        free(err_text);
        free(out_text);
        free(doc);
        hub_close(&h);
    }
}

/* The CSV replaces every activity: the same rule for its 3 rows against
 * the 31 activities held. */
static void test_csv_import_safety(void **state)
{
    (void)state;
    const char *csv = "id,title_nl,starts_at,location_id\n"
                      "x-1,Breien,2026-12-01 10:00,loc-liendert\n"
                      "x-2,Koffie,2026-12-02 10:00,loc-liendert\n";
    for (int force = 0; force <= 1; force++) {
        struct hub h;
        hub_open(&h);
        char *before = etag_of(h.db);
        char *err_text = NULL;
        size_t err_size = 0;
        FILE *errs = open_memstream(&err_text, &err_size);
        FILE *devnull = fopen("/dev/null", "w");
        enum hub_import_result got = hub_import_csv(h.db, csv, strlen(csv),
                                                    t("2026-11-21T08:00:00+01:00"), force,
                                                    devnull, errs);
        fclose(errs);
        fclose(devnull);
        char *after = etag_of(h.db);
        if (force) {
            if (got != HUB_IMPORT_OK || strcmp(before, after) == 0)
                fail_msg("forced CSV: result %d\n%s", got, err_text);
        } else if (got != HUB_IMPORT_REFUSED || strcmp(before, after) != 0 ||
                   !strstr(err_text, "it would keep 0 of the 31 activities and remove 31")) {
            fail_msg("CSV: result %d\n%s", got, err_text);
        }
        free(before);
        free(after);
        free(err_text);
        hub_close(&h);
    }
}

/* The same skipped-item lines as the kiosk's validate-feed, and a warning
 * for an out-of-range coordinate that keeps the location and every
 * service there. */
static void test_import_lines_and_warnings(void **state)
{
    (void)state;
    struct hub h;
    hub_open(&h);
    json_t *doc = sample();
    json_t *loc = json_array_get(json_object_get(doc, "locations"), 0);
    json_object_set_new(loc, "lat", json_real(123.0));
    json_array_append_new(json_object_get(doc, "activities"), json_pack("{ss}", "title", "x"));
    char *text = json_dumps(doc, 0);
    json_decref(doc);
    char *err_text = NULL, *out_text = NULL;
    size_t err_size = 0, out_size = 0;
    FILE *errs = open_memstream(&err_text, &err_size);
    FILE *out = open_memstream(&out_text, &out_size);
    assert_int_equal(hub_import_feed(h.db, text, strlen(text), t("2026-11-21T08:00:00+01:00"),
                                     false, out, errs),
                     HUB_IMPORT_OK);
    fclose(errs);
    fclose(out);
    if (!strstr(err_text, "skipped activity (no id) (#31): id is missing\n") ||
        !strstr(err_text, "warning location loc-nieuwe-sleutel (#0): lat/lon out of range; both "
                          "dropped\n") ||
        !strstr(out_text, "locations=5 activities=31 services=21 announcements=5 skipped=1"))
        fail_msg("stderr:\n%s\nstdout:\n%s", err_text, out_text);
    free(err_text);
    free(out_text);
    free(text);
    hub_close(&h);
}

int main(void)
{
    if (!tz_use_zone("Europe/Amsterdam"))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_safety),
        cmocka_unit_test(test_csv_import_safety),
        cmocka_unit_test(test_import_lines_and_warnings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
