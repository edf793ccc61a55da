/*
 * The feed images' cache (model/image_cache.c) on a real SQLite file: the
 * header sizes (table with must-fail rows), the hashed file names, which
 * URLs are due when, what a failure keeps, and the clean-up of files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "model/image_cache.h"
#include "model/store.h"
#include "temp_store.h"

static const unsigned char PNG_HEAD[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13,
                                         'I', 'H', 'D', 'R', 0, 0, 0x01, 0x2c, 0, 0, 0, 0xc8};
/* SOI, an APP0 of 4 bytes, SOF0: 8 bit, 480 high, 640 wide */
static const unsigned char JPEG_HEAD[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 'J', 'F', 0xFF, 0xC0,
                                          0, 11, 8, 0x01, 0xE0, 0x02, 0x80, 3, 1, 0x22, 0};
static const unsigned char JPEG_DHT_ONLY[] = {0xFF, 0xD8, 0xFF, 0xC4, 0, 4, 0, 0, 0xFF, 0xD9};
static const unsigned char JPEG_CUT_SOF[] = {0xFF, 0xD8, 0xFF, 0xC0, 0, 11, 8, 0x01};
static const unsigned char PNG_ZERO[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13,
                                         'I', 'H', 'D', 'R', 0, 0, 0, 0, 0, 0, 0, 5};
static const unsigned char PNG_NOT_IHDR[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0,
                                             13, 'I', 'D', 'A', 'T', 0, 0, 1, 0, 0, 0, 1, 0};
static const unsigned char GIF[] = {'G', 'I', 'F', '8', '9', 'a', 10, 0, 10, 0};

static void test_header_sizes(void **state)
{
    (void)state;
    static const struct {
        const unsigned char *body;
        size_t len;
        bool ok;
        int w, h;
    } rows[] = {
        {PNG_HEAD, sizeof PNG_HEAD, true, 300, 200},
        {JPEG_HEAD, sizeof JPEG_HEAD, true, 640, 480},
        {PNG_HEAD, sizeof PNG_HEAD - 1, false, 0, 0},     /* cut */
        {PNG_ZERO, sizeof PNG_ZERO, false, 0, 0},         /* width 0 */
        {PNG_NOT_IHDR, sizeof PNG_NOT_IHDR, false, 0, 0}, /* IHDR not first */
        {JPEG_DHT_ONLY, sizeof JPEG_DHT_ONLY, false, 0, 0}, /* no frame */
        {JPEG_CUT_SOF, sizeof JPEG_CUT_SOF, false, 0, 0}, /* segment past the end */
        {GIF, sizeof GIF, false, 0, 0},                   /* not PNG or JPEG */
        {(const unsigned char *)"", 0, false, 0, 0},
        {NULL, 0, false, 0, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        int w = -1, h = -1;
        bool ok = image_cache_header_size(rows[i].body, rows[i].len, &w, &h);
        if (ok != rows[i].ok)
            fail_msg("row %zu: %s", i, ok ? "accepted" : "refused");
        if (ok) {
            assert_int_equal(w, rows[i].w);
            assert_int_equal(h, rows[i].h);
        }
    }
}

static void test_names(void **state)
{
    (void)state;
    char a[IMAGE_CACHE_NAME_MAX], at[IMAGE_CACHE_NAME_MAX], b[IMAGE_CACHE_NAME_MAX],
        bt[IMAGE_CACHE_NAME_MAX];
    image_cache_names("https://example.org/a.png", a, at);
    image_cache_names("https://example.org/b.png", b, bt);
    assert_int_equal(strlen(a), 32 + 4);
    assert_string_equal(a + 32, ".png");
    assert_string_equal(at + 32, "-thumb.png");
    assert_memory_equal(a, at, 32);
    assert_string_not_equal(a, b);
    char again[IMAGE_CACHE_NAME_MAX], again_t[IMAGE_CACHE_NAME_MAX];
    image_cache_names("https://example.org/a.png", again, again_t);
    assert_string_equal(a, again);
}

#define FEED                                                                                      \
    "{\"format\": \"buurtkiosk-feed\", \"version\": 1, \"publisher\": {\"name\": \"P\"}, \"languages\": [\"nl\"], \"generated_at\": \"2026-11-20T08:00:00Z\","                                \
    " \"locations\": [], \"announcements\": [],"                                                  \
    " \"activities\": [{\"id\": \"a1\", \"title\": {\"nl\": \"Een\"},"                          \
    "   \"starts_at\": \"2026-11-26T10:00:00+01:00\", \"image\": \"http://x.test/1.png\"},"       \
    "  {\"id\": \"a2\", \"title\": {\"nl\": \"Twee\"},"                                          \
    "   \"starts_at\": \"2026-11-26T11:00:00+01:00\", \"image\": \"http://x.test/2.png\"}],"      \
    " \"services\": [{\"id\": \"s1\", \"name\": {\"nl\": \"Dienst\"},"                           \
    "   \"image\": \"http://x.test/1.png\"}, {\"id\": \"s2\", \"name\": {\"nl\": \"Twee\"},"      \
    "   \"image\": 7}]}"

struct seen {
    char urls[8][64];
    char items[8][16];
    bool has_copy[8];
    size_t n;
};

static bool collect_due(void *ctx, const struct image_due *due)
{
    struct seen *s = ctx;
    assert_true(s->n < 8);
    snprintf(s->urls[s->n], sizeof s->urls[0], "%s", due->url);
    snprintf(s->items[s->n], sizeof s->items[0], "%s", due->item_id);
    s->has_copy[s->n++] = due->has_copy;
    return true;
}

static bool count_rows(void *ctx, const struct image_row *row)
{
    (void)row;
    (*(int *)ctx)++;
    return true;
}

static void touch(const char *dir, const char *name)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
}

static bool exists(const char *dir, const char *name)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return access(path, F_OK) == 0;
}

static void test_due_record_collect(void **state)
{
    (void)state;
    char tmp[TEMP_STORE_DIR_LEN];
    char db_path[TEMP_STORE_PATH_LEN];
    struct store *store = temp_store_open("images", tmp, db_path);
    assert_non_null(store);
    struct feed_report report;
    assert_int_equal(store_apply_feed(store, FEED, strlen(FEED), NULL, 1000, &report),
                     FEED_ACCEPTED);
    feed_report_clear(&report);

    struct seen s = {0};
    assert_true(image_cache_due(store, 1000, collect_due, &s));
    assert_int_equal(s.n, 2); /* two URLs, the shared one once */
    assert_string_equal(s.urls[0], "http://x.test/1.png");
    assert_string_equal(s.items[0], "a1");
    assert_false(s.has_copy[0]);

    assert_true(image_cache_record_kept(store, "http://x.test/1.png", 800, 600, 160, 120,
                                        "\"e1\"", NULL, 1000));
    assert_true(image_cache_record_error(store, "http://x.test/2.png", "HTTP status 404", 1000));
    memset(&s, 0, sizeof s);
    assert_true(image_cache_due(store, 1000 + 60, collect_due, &s));
    assert_int_equal(s.n, 0); /* kept a minute ago, failed a minute ago */
    assert_true(image_cache_due(store, 1000 + IMAGE_CACHE_RETRY_S, collect_due, &s));
    assert_int_equal(s.n, 1); /* the failure is tried again after an hour */
    assert_string_equal(s.urls[0], "http://x.test/2.png");
    memset(&s, 0, sizeof s);
    assert_true(image_cache_due(store, 1000 + IMAGE_CACHE_RECHECK_S, collect_due, &s));
    assert_int_equal(s.n, 2); /* and the kept one after a day, with its copy */
    assert_true(s.has_copy[0]);

    /* a failure keeps the kept copy */
    assert_true(image_cache_record_error(store, "http://x.test/1.png", "timeout", 2000));
    int n = 0;
    assert_true(image_cache_items(store, "activity", NULL, count_rows, &n));
    assert_int_equal(n, 1);
    n = 0;
    assert_true(image_cache_items(store, "service", "s1", count_rows, &n));
    assert_int_equal(n, 1);
    n = 0;
    assert_true(image_cache_items(store, "activity", "a2", count_rows, &n));
    assert_int_equal(n, 0);

    /* the clean-up: files of kept rows stay, everything else goes */
    char dir[600];
    assert_true(image_cache_dir(store, dir, sizeof dir));
    assert_int_equal(mkdir(dir, 0755), 0);
    char file[IMAGE_CACHE_NAME_MAX], thumb[IMAGE_CACHE_NAME_MAX];
    image_cache_names("http://x.test/1.png", file, thumb);
    touch(dir, file);
    touch(dir, thumb);
    touch(dir, "stale.png");
    touch(dir, "x.png.tmp");
    size_t removed = 0;
    assert_true(image_cache_collect(store, dir, &removed));
    assert_int_equal(removed, 2);
    assert_true(exists(dir, file));
    assert_true(exists(dir, thumb));
    assert_false(exists(dir, "stale.png"));

    /* a feed without images: rows and files go */
    static const char bare[] = "{\"format\": \"buurtkiosk-feed\", \"version\": 1, \"publisher\": {\"name\": \"P\"}, \"languages\": [\"nl\"], \"generated_at\": \"2026-11-21T08:00:00Z\","
                               " \"locations\": [], \"activities\": [], \"services\": [],"
                               " \"announcements\": []}";
    assert_int_equal(store_apply_feed(store, bare, strlen(bare), NULL, 3000, &report),
                     FEED_ACCEPTED);
    feed_report_clear(&report);
    assert_true(image_cache_collect(store, dir, &removed));
    assert_int_equal(removed, 2);
    assert_false(exists(dir, file));
    memset(&s, 0, sizeof s);
    assert_true(image_cache_due(store, 3000, collect_due, &s));
    assert_int_equal(s.n, 0);
    assert_true(temp_store_remove(store, tmp));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_sizes),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_due_record_collect),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
