/*
 * The script runner against the real core UI: a real store on a temp
 * file holding the sample feed, the real catalogs, a fixed-advance text
 * measure and a manual clock. Only the host (screenshot, sync) is fake.
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
#include <jansson.h>

#include "base/utf8.h"
#include "view/bidi.h"
#include "base/clock.h"
#include "model/config.h"
#include "model/i18n.h"
#include "script/script.h"
#include "model/store.h"
#include "base/timeutil.h"
#include "screens/ui.h"

#define WIDTH 1280
#define HEIGHT 800
#define NOW "2026-11-25T10:00:00+01:00"

struct fixture {
    char dir[64];
    struct store *store;
    struct config *config;
    struct catalogs *catalogs;
    struct clock clock;
    struct ui_env env;           /* must outlive the ui */
    struct ui *ui;
    struct script_host host;
    /* what the fake host saw */
    int screenshots;
    char screenshot_path[256];
    int syncs;
    bool sync_fails;
};

static const char *assets_dir(void)
{
    const char *dir = getenv("BK_ASSETS");
#ifdef BK_ASSET_DIR
    if (!dir || !*dir)
        dir = BK_ASSET_DIR;
#endif
    return dir ? dir : "assets";
}

/* Every code point is 55 % of the font size wide: close enough to a
 * real font for layout, and the same on every machine. */
static int measure(void *ctx, const char *text, size_t len, int font_px, enum font_weight weight,
                   bool rtl)
{
    (void)ctx;
    (void)rtl;
    (void)weight;
    int points = 0;
    /* Directional marks draw nothing, as with the real fonts. */
    for (size_t i = 0; i < len;) {
        unsigned cp;
        i += utf8_decode(text + i, len - i, &cp);
        points += !bidi_is_control(cp);
    }
    return points * font_px * 55 / 100;
}

static bool fake_screenshot(void *ctx, const char *path, char *err, size_t err_len)
{
    struct fixture *f = ctx;
    f->screenshots++;
    snprintf(f->screenshot_path, sizeof f->screenshot_path, "%s", path);
    (void)err;
    (void)err_len;
    return true;
}

static bool fake_sync(void *ctx, char *err, size_t err_len)
{
    struct fixture *f = ctx;
    f->syncs++;
    if (f->sync_fails) {
        snprintf(err, err_len, "feed unreachable");
        return false;
    }
    return true;
}

static char *read_file(const char *path, size_t *len_out)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(fp);
    if (buf) {
        buf[n] = '\0';
        *len_out = (size_t)n;
    }
    return buf;
}

static int setup_common(void **state, bool has_hub)
{
    if (!tz_use_zone("Europe/Amsterdam"))
        return -1;
    struct fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/bk-script-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    char path[128], err[256];
    snprintf(path, sizeof path, "%s/kiosk.db", f->dir);
    f->store = store_open(path, err, sizeof err);
    if (!f->store) {
        fprintf(stderr, "store_open: %s\n", err);
        return -1;
    }
    char feed_path[512];
    snprintf(feed_path, sizeof feed_path, "%s/sample-feed.json", assets_dir());
    size_t len = 0;
    char *feed = read_file(feed_path, &len);
    if (!feed) {
        fprintf(stderr, "cannot read %s\n", feed_path);
        return -1;
    }
    int64_t now = 0;
    if (!rfc3339_parse(NOW, &now))
        return -1;
    struct feed_report report;
    enum feed_result res = store_apply_feed(f->store, feed, len, NULL, now, &report);
    feed_report_clear(&report);
    free(feed);
    if (res != FEED_ACCEPTED) {
        fprintf(stderr, "sample feed not applied\n");
        return -1;
    }
    static const char *const langs[] = {"nl", "en"};
    f->catalogs = catalogs_load(BK_CATALOG_DIR, langs, 2, err, sizeof err);
    if (!f->catalogs) {
        fprintf(stderr, "catalogs_load: %s\n", err);
        return -1;
    }
    f->config = config_new();
    if (!f->config)
        return -1;
    clock_init_manual(&f->clock, now);
    f->env = (struct ui_env){
        .store = f->store,
        .config = f->config,
        .catalogs = f->catalogs,
        .clock = &f->clock,
        .measure = measure,
        .measure_ctx = NULL,
        .has_hub = has_hub,
    };
    f->ui = ui_new(&f->env, WIDTH, HEIGHT);
    if (!f->ui)
        return -1;
    f->host = (struct script_host){f->ui, &f->clock, fake_screenshot, fake_sync, f};
    *state = f;
    return 0;
}

static int setup(void **state)
{
    return setup_common(state, false);
}

/* With a hub, so that sign-up opens and the keyboard shows. */
static int setup_hub(void **state)
{
    return setup_common(state, true);
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    ui_free(f->ui);
    config_free(f->config);
    catalogs_free(f->catalogs);
    store_close(f->store);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    int rc = system(cmd);
    free(f);
    return rc == 0 ? 0 : -1;
}

/* Parses and runs text; returns whether it passed, the message in err. */
static bool run(struct fixture *f, const char *text, char *err, size_t err_len)
{
    struct script s;
    if (!script_parse(text, strlen(text), &s, err, err_len)) {
        print_error("parse: %s\n", err);
        fail();
    }
    bool ok = script_run(&s, &f->host, err, err_len);
    script_free(&s);
    return ok;
}

static void run_ok(struct fixture *f, const char *text)
{
    char err[512] = "";
    if (!run(f, text, err, sizeof err)) {
        print_error("script failed: %s\n", err);
        fail();
    }
}

static const char *const to_activities =
    "tap \"#attract\"\n"
    "expect-screen home\n"
    "tap \"#home.activities\"\n"
    "expect-screen activities\n";

/* The list widget of the current screen: its viewport. */
static struct rect list_viewport(struct fixture *f)
{
    const struct frame *fr = ui_frame(f->ui);
    for (size_t i = 0; i < fr->n_widgets; i++)
        if (fr->widgets[i].role == ROLE_LIST)
            return fr->widgets[i].rect;
    fail_msg("no list on this screen");
    return (struct rect){0};
}

/* Ids of the visible items, in reading order (first and last). */
static bool visible_items(struct fixture *f, char *first, char *last, size_t len)
{
    const struct frame *fr = ui_frame(f->ui);
    bool any = false;
    for (size_t i = 0; i < fr->n_widgets; i++) {
        const struct widget *w = &fr->widgets[i];
        if (w->role != ROLE_ITEM || !w->visible)
            continue;
        if (!any)
            snprintf(first, len, "%s", w->id);
        snprintf(last, len, "%s", w->id);
        any = true;
    }
    return any;
}

static bool rect_inside(struct rect in, struct rect out)
{
    return in.y >= out.y && in.y + in.h <= out.y + out.h && in.x >= out.x &&
           in.x + in.w <= out.x + out.w;
}

#define MAX_SEEN 400

/* Every item of the current list, in order: the frame only holds what
 * shows, so the list is walked with slow swipes of a third of the
 * viewport (slow enough to barely fling). Then flings back to the top.
 * Returns how many ids it wrote. */
static size_t collect_items(struct fixture *f, char (*ids)[160], size_t max)
{
    struct rect vp = list_viewport(f);
    int x = vp.x + vp.w / 2;
    char step[128], fling_down[128];
    snprintf(step, sizeof step, "swipe %d %d %d %d 2000\nwait 2000\n", x, vp.y + vp.h * 2 / 3,
             x, vp.y + vp.h / 3);
    snprintf(fling_down, sizeof fling_down, "swipe %d %d %d %d 100\nwait 3000\n", x,
             vp.y + vp.h / 10, x, vp.y + vp.h * 9 / 10);
    size_t n = 0;
    for (int round = 0; round < 500; round++) {
        size_t before = n;
        const struct frame *fr = ui_frame(f->ui);
        for (size_t i = 0; i < fr->n_widgets && n < max; i++) {
            const struct widget *w = &fr->widgets[i];
            if (w->role != ROLE_ITEM || !w->visible)
                continue;
            bool seen = false;
            for (size_t k = 0; k < n && !seen; k++)
                seen = strcmp(ids[k], w->id) == 0;
            if (!seen)
                snprintf(ids[n++], 160, "%s", w->id);
        }
        if (round > 0 && n == before)
            break;
        run_ok(f, step);
    }
    char first[160], prev_first[160] = "", dummy[160];
    for (int i = 0; i < 200; i++) {
        run_ok(f, fling_down);
        assert_true(visible_items(f, first, dummy, sizeof dummy));
        if (strcmp(first, prev_first) == 0)
            break;
        snprintf(prev_first, sizeof prev_first, "%s", first);
    }
    return n;
}

/* The last item of the current list; the list is back at its top. */
static void find_last_item(struct fixture *f, char *id, size_t len)
{
    char (*ids)[160] = calloc(MAX_SEEN, sizeof *ids); /* 64 KB: not for the stack */
    assert_non_null(ids);
    size_t n = collect_items(f, ids, MAX_SEEN);
    assert_true(n > 0);
    snprintf(id, len, "%s", ids[n - 1]);
    free(ids);
}

/* ---- tests ---- */

static void test_navigate(void **state)
{
    struct fixture *f = *state;
    run_ok(f, to_activities);
    assert_int_equal(ui_screen(f->ui), SCREEN_ACTIVITIES);
}

static void test_expect_fails_on_its_line(void **state)
{
    struct fixture *f = *state;
    char err[512];
    int64_t t0 = clock_now_ms(&f->clock);
    assert_false(run(f,
                     "tap \"#attract\"\n"
                     "expect-screen home\n"
                     "\n"
                     "# a comment\n"
                     "expect \"Nonexistent text xyz\"\n"
                     "sync\n",
                     err, sizeof err));
    assert_string_equal(err, "5: expect: no visible widget with 'Nonexistent text xyz'");
    /* It waited its 2 s (and no more than a poll beyond), and stopped. */
    int64_t waited = clock_now_ms(&f->clock) - t0;
    assert_true(waited >= 2000 && waited < 2000 + 80 + 200);
    assert_int_equal(f->syncs, 0);

    assert_false(run(f, "expect \"#home.nope\"", err, sizeof err));
    assert_string_equal(err, "1: expect: no visible widget with '#home.nope'");
}

static void test_expect_and_expect_not(void **state)
{
    struct fixture *f = *state;
    run_ok(f, "tap \"#attract\"\nexpect \"#home.activities\"\nexpect-not \"#attract\"\n"
              "expect-not \"Nonexistent text xyz\"");
    char err[512];
    int64_t t0 = clock_now_ms(&f->clock);
    assert_false(run(f, "expect-not \"#home.activities\"", err, sizeof err));
    assert_string_equal(err, "1: expect-not: a visible widget has '#home.activities'");
    /* checked once, at once */
    assert_int_equal(clock_now_ms(&f->clock), t0);
}

static void test_expect_screen_fails(void **state)
{
    struct fixture *f = *state;
    char err[512];
    int64_t t0 = clock_now_ms(&f->clock);
    assert_false(run(f, "expect-screen services", err, sizeof err));
    assert_string_equal(err, "1: expect-screen: on 'attract', not 'services'");
    assert_true(clock_now_ms(&f->clock) - t0 >= 2000);
}

static void test_wait_moves_clock_exactly(void **state)
{
    struct fixture *f = *state;
    int64_t t0 = clock_now_ms(&f->clock);
    run_ok(f, "wait 1234");
    assert_int_equal(clock_now_ms(&f->clock), t0 + 1234);
    run_ok(f, "wait 0");
    assert_int_equal(clock_now_ms(&f->clock), t0 + 1234);
    /* across a minute boundary (a deadline on attract) all the same */
    run_ok(f, "wait 125001");
    assert_int_equal(clock_now_ms(&f->clock), t0 + 1234 + 125001);
}

/* The idle timers run during a wait: warning, then back to attract. */
static void test_wait_runs_idle_timers(void **state)
{
    struct fixture *f = *state;
    int warn = f->config->ui_idle_warn_s * 1000;
    int countdown = f->config->ui_idle_countdown_s * 1000;
    char script[512];
    snprintf(script, sizeof script,
             "tap \"#attract\"\nexpect-screen home\nwait %d\nexpect-not \"#idle.stay\"\n"
             "wait 2\nexpect \"#idle.stay\"\nexpect-not \"#home.activities\"\n"
             "expect-screen home\n"
             "wait %d\nexpect-screen attract\n",
             warn - 2, countdown);
    run_ok(f, script);
}

static void test_tap_xy_on_attract(void **state)
{
    struct fixture *f = *state;
    int64_t t0 = clock_now_ms(&f->clock);
    run_ok(f, "tap 10 10");
    assert_int_equal(clock_now_ms(&f->clock), t0 + 80);
    assert_int_equal(ui_screen(f->ui), SCREEN_HOME);
}

static void test_tap_missing_widget(void **state)
{
    struct fixture *f = *state;
    char err[512];
    assert_false(run(f, "tap \"#attract\"\n\ntap \"#no.such.widget\"", err, sizeof err));
    assert_string_equal(err, "3: tap: no visible, enabled widget '#no.such.widget'");
    assert_false(run(f, "tap \"No such label\"", err, sizeof err));
    assert_string_equal(err, "1: tap: no visible, enabled widget 'No such label'");
}

/* tap "LABEL" matches the whole label after trimming, not a part. */
static void test_tap_by_label(void **state)
{
    struct fixture *f = *state;
    run_ok(f, "tap \"#attract\"");
    const struct frame *fr = ui_frame(f->ui);
    const struct widget *w = frame_find_id(fr, "home.activities");
    assert_non_null(w);
    char label[256];
    snprintf(label, sizeof label, "%s", w->label);
    assert_true(strlen(label) > 2);
    char script[400];
    /* a part of it is not enough */
    snprintf(script, sizeof script, "tap \"%.*s\"", (int)strlen(label) - 1, label);
    char err[512];
    assert_false(run(f, script, err, sizeof err));
    /* the whole, with white space around, is */
    snprintf(script, sizeof script, "tap \"  %s \"\nexpect-screen activities", label);
    run_ok(f, script);
}

/* On the week's list (where the screen opens): the 90 days of
 * filter.all are longer than 50 half-viewport swipes reach, which is
 * the contract's limit (see test_scroll_to_gives_up). */
static void test_scroll_to_last_item(void **state)
{
    struct fixture *f = *state;
    run_ok(f, to_activities);
    char last[160];
    find_last_item(f, last, sizeof last);
    assert_true(strncmp(last, "activity.", 9) == 0);

    char selector[170];
    snprintf(selector, sizeof selector, "#%s", last);
    struct rect item, vp;
    assert_true(ui_locate(f->ui, selector, &item, &vp));
    assert_false(rect_inside(item, vp)); /* back at the top: far below */

    char script[512];
    snprintf(script, sizeof script, "scroll-to \"#%s\"\nexpect \"#%s\"", last, last);
    run_ok(f, script);
    assert_true(ui_locate(f->ui, selector, &item, &vp));
    assert_true(rect_inside(item, vp));
    const struct widget *w = frame_find_id(ui_frame(f->ui), last);
    assert_non_null(w);
    assert_true(w->visible);

    /* No fling after a scroll-to: the item stays where it was put. */
    run_ok(f, "wait 2000");
    struct rect again;
    assert_true(ui_locate(f->ui, selector, &again, &vp));
    assert_int_equal(again.y, item.y);

    /* And back up to the first item, the other way. */
    char first[160], dummy[160];
    run_ok(f, "tap \"#nav.home\"\ntap \"#home.activities\"");
    assert_true(visible_items(f, first, dummy, sizeof dummy));
    snprintf(script, sizeof script, "scroll-to \"#%s\"", last);
    run_ok(f, script);
    snprintf(script, sizeof script, "scroll-to \"#%s\"", first);
    run_ok(f, script);
    snprintf(selector, sizeof selector, "#%s", first);
    assert_true(ui_locate(f->ui, selector, &item, &vp));
    assert_true(rect_inside(item, vp));
}

static void test_scroll_to_missing(void **state)
{
    struct fixture *f = *state;
    run_ok(f, to_activities);
    char err[512];
    int64_t t0 = clock_now_ms(&f->clock);
    assert_false(run(f, "scroll-to \"#activity.nope.20261125T1000\"", err, sizeof err));
    assert_string_equal(err, "1: scroll-to: no item '#activity.nope.20261125T1000'");
    assert_true(clock_now_ms(&f->clock) - t0 >= 2000);
}

/* An item in the middle of the list: the list then could move either
 * way, and must not drift (fling) after the scroll-to's last swipe. */
static void test_scroll_to_middle_item_stays(void **state)
{
    struct fixture *f = *state;
    run_ok(f, to_activities);
    char (*ids)[160] = calloc(MAX_SEEN, sizeof *ids);
    assert_non_null(ids);
    size_t n = collect_items(f, ids, MAX_SEEN);
    assert_true(n > 8); /* more than a viewport's worth */
    char middle[160];
    snprintf(middle, sizeof middle, "%s", ids[n / 2]);
    free(ids);
    char selector[170], script[512];
    snprintf(selector, sizeof selector, "#%s", middle);
    snprintf(script, sizeof script, "scroll-to \"%s\"", selector);
    run_ok(f, script);
    struct rect item, vp, later;
    assert_true(ui_locate(f->ui, selector, &item, &vp));
    assert_true(rect_inside(item, vp));
    run_ok(f, "wait 3000");
    assert_true(ui_locate(f->ui, selector, &later, &vp));
    assert_int_equal(later.y, item.y);
}

/* tap "#ID" on an item scrolled out of view scrolls it in, then taps. */
static void test_tap_scrolls_into_view(void **state)
{
    struct fixture *f = *state;
    run_ok(f, to_activities);
    char last[160];
    find_last_item(f, last, sizeof last);
    char script[512];
    snprintf(script, sizeof script, "tap \"#%s\"\nexpect-screen activity", last);
    run_ok(f, script);
}

/* 50 swipes of half a viewport, then a clear message. */
static void test_scroll_to_gives_up(void **state)
{
    struct fixture *f = *state;
    run_ok(f, to_activities);
    run_ok(f, "tap \"#filter.all\"");
    char last[160];
    find_last_item(f, last, sizeof last);
    char selector[170];
    snprintf(selector, sizeof selector, "#%s", last);
    struct rect item, vp;
    assert_true(ui_locate(f->ui, selector, &item, &vp));
    if (item.y - (vp.y + vp.h) < 50 * (vp.h / 2))
        skip(); /* the sample feed got shorter: nothing to give up on */
    char script[512], err[512], want[512];
    snprintf(script, sizeof script, "scroll-to \"#%s\"", last);
    assert_false(run(f, script, err, sizeof err));
    snprintf(want, sizeof want, "1: scroll-to: '#%s' not reached after 50 swipes", last);
    assert_string_equal(err, want);
}

/* A fast swipe flings: the list goes on after the finger lifts. */
static void test_swipe_flings(void **state)
{
    struct fixture *f = *state;
    run_ok(f, to_activities);
    run_ok(f, "tap \"#filter.all\"");
    char first[160], dummy[160];
    assert_true(visible_items(f, first, dummy, sizeof dummy));
    char selector[170];
    snprintf(selector, sizeof selector, "#%s", first);
    struct rect vp = list_viewport(f);
    struct rect before, after_lift, later;
    assert_true(ui_locate(f->ui, selector, &before, &vp));
    int x = vp.x + vp.w / 2;
    int y1 = vp.y + vp.h * 3 / 4, y2 = vp.y + vp.h / 4;
    char script[128];
    snprintf(script, sizeof script, "swipe %d %d %d %d 100", x, y1, x, y2);
    run_ok(f, script);
    assert_true(ui_locate(f->ui, selector, &after_lift, &vp));
    assert_int_equal(before.y - after_lift.y, y1 - y2); /* followed the finger */
    run_ok(f, "wait 3000");
    assert_true(ui_locate(f->ui, selector, &later, &vp));
    assert_true(later.y < after_lift.y); /* and went on */
}

/* A slow drag held still before the lift does not fling. */
static void test_swipe_and_hold_do_not_tap(void **state)
{
    struct fixture *f = *state;
    run_ok(f, to_activities);
    struct rect vp = list_viewport(f);
    int x = vp.x + vp.w / 2, y = vp.y + vp.h / 2;
    char script[128];
    /* a hold over an item is not a tap on it */
    snprintf(script, sizeof script, "hold %d %d 1500\nexpect-screen activities", x, y);
    run_ok(f, script);
    /* nor is a swipe that starts on one */
    snprintf(script, sizeof script, "swipe %d %d %d %d 300\nexpect-screen activities", x, y, x,
             y - 100);
    run_ok(f, script);
}

static void test_type_needs_focused_field(void **state)
{
    struct fixture *f = *state;
    char err[512];
    assert_false(run(f, "tap \"#attract\"\ntype \"abc\"", err, sizeof err));
    assert_string_equal(err, "2: type: no focused field");
}

/* A weekly activity with places left (sign-up closes 60 min before),
 * and from it to its form. */
static const char *const to_digicafe = "tap \"#activity.act-digicafe.20261126T1000\"\n"
                                       "expect-screen activity\n";
static const char *const to_its_signup = "tap \"#activity.signup\"\n"
                                         "expect-screen signup\n";

static void open_digicafe_signup(struct fixture *f)
{
    run_ok(f, to_activities);
    run_ok(f, to_digicafe);
    run_ok(f, to_its_signup);
}

/* type taps the keys (shifting for capitals) into the focused field. */
static void test_type_into_signup(void **state)
{
    struct fixture *f = *state;
    open_digicafe_signup(f);
    run_ok(f, "type \"Jan de Vries-O'Neil \xc3\x89lo\xc3\xafse\"\n" /* Éloïse */
              "expect \"Jan de Vries-O'Neil \xc3\x89lo\xc3\xafse\"\n");
    char err[512];
    /* the field must then hold exactly the text: typing appends */
    assert_false(run(f, "type \"x\"", err, sizeof err));
    assert_string_equal(err, "1: type: field holds 'Jan de Vries-O'Neil \xc3\x89lo\xc3\xafse"
                             "x' not 'x'");
    /* a character with no key fails the step */
    assert_false(run(f, "\ntype \"a\\\\b\"", err, sizeof err));
    assert_string_equal(err, "2: type: no key for '\\'");
}

/* On search, key.done puts the keyboard away for the hits; type brings it
 * back by tapping the field, as a resident would. */
static void test_type_after_keyboard_put_away(void **state)
{
    struct fixture *f = *state;
    run_ok(f, "tap \"#attract\"\n"
              "tap \"#home.search\"\n"
              "tap \"#key.done\"\n"
              "expect-not \"#key.k\"\n"
              "type \"kofie\"\n"
              "expect \"#key.k\"\n"
              "expect \"Koffieochtend\"\n");
}

/* Names in the residents' own scripts, capitals included: type shifts
 * and goes round the layouts (key.layout) as it needs; each form is
 * opened afresh, on the Latin layout of a Dutch interface. */
static void test_type_names_in_every_script(void **state)
{
    struct fixture *f = *state;
    run_ok(f, to_activities);
    run_ok(f, to_digicafe);
    static const char *const names[] = {
        "Ay\xc5\x9f" "e Y\xc4\xb1lmaz",                    /* Ayşe Yılmaz */
        "\xc5\x81ucja Wi\xc5\x9bniewska",                  /* Łucja Wiśniewska */
        "\xc4\xb0smail \xc4\x9e\xc3\xbcl I\xc5\x9f\xc4\xb1k", /* İsmail Ğül Işık */
        "\xd0\x9c\xd0\xb0\xd1\x80\xd1\x96\xd1\x8f \xd0\x87\xd0\xb6\xd0\xb0\xd0\xba\xd0\xb5"
        "\xd0\xb2\xd0\xb8\xd1\x87",                        /* Марія Їжакевич */
        "\xd9\x81\xd8\xa7\xd8\xb7\xd9\x85\xd8\xa9 \xd8\xa7\xd9\x84\xd8\xb2\xd9\x87\xd8\xb1"
        "\xd8\xa7\xd8\xa1",                                /* فاطمة الزهراء */
        "Ay\xc5\x9f" "e \xd0\x9e\xd0\xbb\xd0\xb5\xd0\xbd\xd0\xb0 O'Neil", /* Ayşe Олена O'Neil */
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char script[512];
        /* type itself checks that the field then holds the name exactly */
        snprintf(script, sizeof script, "type \"%s\"\ntap \"#signup.cancel\"\n", names[i]);
        run_ok(f, to_its_signup);
        run_ok(f, script);
        run_ok(f, "expect-screen activity\n");
    }
}

/* The keys of every layout by the contract's ids; key.layout goes round. */
static void test_layout_key_goes_round(void **state)
{
    struct fixture *f = *state;
    open_digicafe_signup(f);
    run_ok(f, "expect \"#key.\xc5\x9f\"\n"       /* ş */
              "expect \"#key.\xc5\x82\"\n"       /* ł */
              "expect \"#key.\xc4\xb0\"\n"       /* İ */
              "expect \"#key.next\"\n"
              "expect-not \"#key.\xd0\xb6\"\n"   /* ж */
              "tap \"#key.layout\"\n"
              "expect \"#key.\xd0\xb6\"\n"
              "expect \"#key.\xd2\x91\"\n"       /* ґ */
              "expect-not \"#key.q\"\n"
              "tap \"#key.layout\"\n"
              "expect \"#key.\xd8\xb9\"\n"       /* ع */
              "expect-not \"#key.\xd0\xb6\"\n"
              "tap \"#key.layout\"\n"
              "expect \"#key.q\"\n");
    /* A character no layout has fails the step, and leaves the keyboard
     * on the layout it was on, unshifted. */
    run_ok(f, "type \"\xd0\xb6\"\n");
    char err[512];
    assert_false(run(f, "type \"\\\\\"", err, sizeof err));
    assert_string_equal(err, "1: type: no key for '\\'");
    run_ok(f, "expect \"#key.\xd0\xb6\"\nexpect-not \"#key.q\"\n");
    const struct widget *shift = frame_find_id(ui_frame(f->ui), "key.shift");
    assert_non_null(shift);
    assert_int_not_equal(shift->checked, CHECKED_TRUE);
}

/* key.next moves to the next field; the phone pad has a space. */
static void test_next_field_and_phone_space(void **state)
{
    struct fixture *f = *state;
    open_digicafe_signup(f);
    run_ok(f, "type \"Jan\"\n"
              "tap \"#key.next\"\n"
              "expect-not \"#key.q\"\n"
              "type \"06 123 456 78\"\n"
              "expect \"06 123 456 78\"\n"
              "tap \"#key.next\"\n"
              "expect-not \"#key.next\"\n"
              "expect \"#signup.consent\"\n"
              "tap \"#field.name\"\n"
              "expect \"#key.q\"\n");
}

static void test_dump_writes_json(void **state)
{
    struct fixture *f = *state;
    char path[160], script[512];
    snprintf(path, sizeof path, "%s/tree.json", f->dir);
    snprintf(script, sizeof script, "tap \"#attract\"\ndump \"%s\"", path);
    run_ok(f, script);
    json_error_t jerr;
    json_t *tree = json_load_file(path, 0, &jerr);
    assert_non_null(tree);
    assert_true(json_is_array(tree));
    bool found = false;
    for (size_t i = 0; i < json_array_size(tree); i++) {
        const char *id = json_string_value(json_object_get(json_array_get(tree, i), "id"));
        if (id && strcmp(id, "home.activities") == 0)
            found = true;
    }
    assert_true(found);
    json_decref(tree);
    char tmp[170];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    assert_int_not_equal(access(tmp, F_OK), 0);

    char err[512];
    snprintf(script, sizeof script, "dump \"%s/no/such/dir/tree.json\"", f->dir);
    assert_false(run(f, script, err, sizeof err));
    assert_true(strncmp(err, "1: dump: cannot write '", 23) == 0);
}

static void test_screenshot_and_sync_use_host(void **state)
{
    struct fixture *f = *state;
    run_ok(f, "screenshot \"/tmp/x.png\"\nsync\nsync");
    assert_int_equal(f->screenshots, 1);
    assert_string_equal(f->screenshot_path, "/tmp/x.png");
    assert_int_equal(f->syncs, 2);

    char err[512];
    f->sync_fails = true;
    assert_false(run(f, "wait 1\nsync\nwait 1", err, sizeof err));
    assert_string_equal(err, "2: sync: feed unreachable");
    assert_int_equal(f->syncs, 3);

    f->host.screenshot = NULL;
    f->host.sync = NULL;
    assert_false(run(f, "screenshot \"a.png\"", err, sizeof err));
    assert_string_equal(err, "1: screenshot: not available here");
    assert_false(run(f, "sync", err, sizeof err));
    assert_string_equal(err, "1: sync: not available here");
}

/* Which key types which character (no UI needed). */
static void test_key_for(void **state)
{
    (void)state;
    static const struct {
        uint32_t cp;
        const char *id;
        bool shift;
    } rows[] = {
        {'a', "key.a", false},      {'z', "key.z", false},       {'A', "key.a", true},
        {'Z', "key.z", true},       {'0', "key.0", false},       {'9', "key.9", false},
        {' ', "key.space", false},  {'@', "key.at", false},      {'.', "key.period", false},
        {'-', "key.minus", false},  {'\'', "key.apostrophe", false}, {'+', "key.plus", false},
        {',', "key.comma", false},  {0xE9, "key.\xc3\xa9", false}, /* é */
        {0xC9, "key.\xc3\xa9", true},                               /* É */
        {0xEB, "key.\xc3\xab", false},                              /* ë */
        {0xCB, "key.\xc3\xab", true},                               /* Ë */
        {0xC0, "key.\xc3\xa0", true},                               /* À */
        {0xDE, "key.\xc3\xbe", true},                               /* Þ */
        {0xD7, "key.\xc3\x97", false},                              /* × has no case */
        {0xDF, "key.\xc3\x9f", false},                              /* ß */
        {0xFF, "key.\xc3\xbf", false},                              /* ÿ */
        {'!', "key.!", false},      {'#', "key.#", false},       {'"', "key.\"", false},
        {0x20AC, "key.\xe2\x82\xac", false},                        /* € */
        {0x1F600, "key.\xf0\x9f\x98\x80", false},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char id[16];
        bool shift = !rows[i].shift;
        script_key_for(rows[i].cp, id, sizeof id, &shift);
        if (strcmp(id, rows[i].id) != 0 || shift != rows[i].shift) {
            print_error("row %zu: U+%04X -> %s %d\n", i, (unsigned)rows[i].cp, id, shift);
            fail();
        }
    }
    char tiny[6];
    bool shift;
    script_key_for('a', tiny, sizeof tiny, &shift);
    assert_string_equal(tiny, "key.a");
    script_key_for(' ', tiny, sizeof tiny, &shift);
    assert_string_equal(tiny, "key.s"); /* cut, and terminated */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_for),
        cmocka_unit_test_setup_teardown(test_navigate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expect_fails_on_its_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expect_and_expect_not, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expect_screen_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wait_moves_clock_exactly, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wait_runs_idle_timers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tap_xy_on_attract, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tap_missing_widget, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tap_by_label, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scroll_to_last_item, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scroll_to_middle_item_stays, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scroll_to_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tap_scrolls_into_view, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scroll_to_gives_up, setup, teardown),
        cmocka_unit_test_setup_teardown(test_swipe_flings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_swipe_and_hold_do_not_tap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_type_needs_focused_field, setup, teardown),
        cmocka_unit_test_setup_teardown(test_type_after_keyboard_put_away, setup, teardown),
        cmocka_unit_test_setup_teardown(test_type_into_signup, setup_hub, teardown),
        cmocka_unit_test_setup_teardown(test_type_names_in_every_script, setup_hub, teardown),
        cmocka_unit_test_setup_teardown(test_layout_key_goes_round, setup_hub, teardown),
        cmocka_unit_test_setup_teardown(test_next_field_and_phone_space, setup_hub, teardown),
        cmocka_unit_test_setup_teardown(test_dump_writes_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_screenshot_and_sync_use_host, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
