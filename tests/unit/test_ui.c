/*
 * The resident screens without SDL: navigation by widget id, the idle
 * timeout, kinetic scrolling, and layout rules (targets >= 44 px, no text
 * overflow, contrast) at every supported size. The store is a real SQLite
 * file holding the sample feed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/utf8.h"
#include "view/bidi.h"
#include "view/frame.h"
#include "model/i18n.h"
#include "view/rotate.h"
#include "model/outbox.h"
#include "model/store.h"
#include "model/store_private.h" /* the raw connection, to count rows or fake a read-only disk */
#include "view/theme.h"
#include "base/timeutil.h"
#include "screens/ui.h"

#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <time.h>

struct fixture {
    char dir[64];
    struct store *store;
    struct config *config;
    struct catalogs *catalogs;
    struct clock clock;
    struct ui *ui;
};

/* A stand-in for SDL_ttf: every character advances 0.55 em, which is
 * close to DejaVu Sans' average and errs on the wide side. */
static int measure(void *ctx, const char *text, size_t len, int font_px, enum font_weight weight,
                   bool rtl)
{
    (void)ctx;
    (void)rtl;
    size_t chars = 0;
    /* Directional marks draw nothing, as with the real fonts. */
    for (size_t i = 0; i < len;) {
        unsigned cp;
        i += utf8_decode(text + i, len - i, &cp);
        chars += !bidi_is_control(cp);
    }
    return (int)(chars * (size_t)font_px * (weight == FONT_BOLD ? 60 : 55) / 100);
}

static int64_t at(const char *text)
{
    int64_t t = 0;
    assert_true(rfc3339_parse(text, &t));
    return t;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static const size_t cap = 1 << 20;
    char *buf = malloc(cap);
    assert_non_null(buf);
    *len = fread(buf, 1, cap, f);
    fclose(f);
    return buf;
}

static struct ui *make_ui_hub(struct fixture *fx, int w, int h, bool has_hub)
{
    struct ui_env env = {
        .store = fx->store,
        .config = fx->config,
        .catalogs = fx->catalogs,
        .clock = &fx->clock,
        .measure = measure,
        .has_hub = has_hub,
    };
    return ui_new(&env, w, h);
}

/* With a logo of logo_w x logo_h px, as the SDL layer reports it. */
static struct ui *make_ui_logo(struct fixture *fx, int w, int h, int logo_w, int logo_h)
{
    struct ui_env env = {
        .store = fx->store,
        .config = fx->config,
        .catalogs = fx->catalogs,
        .clock = &fx->clock,
        .measure = measure,
        .logo_image = "/etc/buurtkiosk/logo.png",
        .logo_w = logo_w,
        .logo_h = logo_h,
    };
    return ui_new(&env, w, h);
}

static struct ui *make_ui(struct fixture *fx, int w, int h)
{
    return make_ui_hub(fx, w, h, false);
}

static int setup(void **state)
{
    if (!tz_use_zone("Europe/Amsterdam"))
        return -1;
    struct fixture *fx = calloc(1, sizeof *fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/bk-ui-XXXXXX");
    if (!fx || !mkdtemp(fx->dir))
        return -1;
    char path[128], err[256];
    snprintf(path, sizeof path, "%s/kiosk.db", fx->dir);
    fx->store = store_open(path, err, sizeof err);
    const char *assets = getenv("BK_ASSETS");
    if (!fx->store || !assets)
        return -1;
    char feed_path[512];
    snprintf(feed_path, sizeof feed_path, "%s/sample-feed.json", assets);
    size_t len;
    char *body = read_all(feed_path, &len);
    struct feed_report report;
    int64_t now = at("2026-11-25T10:00:00+01:00");
    enum feed_result r = store_apply_feed(fx->store, body, len, NULL, now, &report);
    feed_report_clear(&report);
    free(body);
    if (r != FEED_ACCEPTED)
        return -1;
    fx->config = config_new();
    const char *langs[] = {"nl", "en"};
    fx->catalogs = catalogs_load(BK_CATALOG_DIR, langs, 2, err, sizeof err);
    if (!fx->config || !fx->catalogs)
        return -1;
    clock_init_manual(&fx->clock, now);
    fx->ui = make_ui(fx, 1280, 800);
    *state = fx;
    return fx->ui ? 0 : -1;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    ui_free(fx->ui);
    catalogs_free(fx->catalogs);
    config_free(fx->config);
    store_close(fx->store);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    int rc = system(cmd);
    free(fx);
    return rc == 0 ? 0 : -1;
}

/* ---- driving ---- */

static void advance(struct fixture *fx, struct ui *ui, int64_t ms)
{
    int64_t end = clock_now_ms(&fx->clock) + ms;
    while (clock_now_ms(&fx->clock) < end) {
        int64_t step = end - clock_now_ms(&fx->clock);
        if (step > 16)
            step = 16;
        clock_advance_ms(&fx->clock, step);
        ui_tick(ui);
    }
}

static void tap_at(struct fixture *fx, struct ui *ui, int x, int y)
{
    ui_touch_down(ui, x, y);
    advance(fx, ui, 80);
    ui_touch_up(ui, x, y);
}

static const struct widget *find(struct ui *ui, const char *id)
{
    return frame_find_id(ui_frame(ui), id);
}

static void tap_id(struct fixture *fx, struct ui *ui, const char *id)
{
    const struct widget *w = find(ui, id);
    if (!w || !w->visible || !w->enabled)
        fail_msg("no visible widget %s on %s", id, screen_name(ui_screen(ui)));
    tap_at(fx, ui, w->clip.x + w->clip.w / 2, w->clip.y + w->clip.h / 2);
}

static const struct widget *first_with_prefix(struct ui *ui, const char *prefix)
{
    const struct frame *f = ui_frame(ui);
    for (size_t i = 0; i < f->n_widgets; i++)
        if (strncmp(f->widgets[i].id, prefix, strlen(prefix)) == 0 && f->widgets[i].visible)
            return &f->widgets[i];
    return NULL;
}

/* ---- tests ---- */

static void test_walk_every_screen(void **state)
{
    struct fixture *fx = *state;
    struct ui *ui = fx->ui;
    assert_int_equal(ui_screen(ui), SCREEN_ATTRACT);
    assert_non_null(find(ui, "attract"));
    tap_at(fx, ui, 10, 10); /* beside today's list, which opens an activity */
    assert_int_equal(ui_screen(ui), SCREEN_HOME);
    assert_string_equal(find(ui, "home.activities")->label, "Activiteiten");
    assert_int_equal(find(ui, "lang.nl")->checked, CHECKED_TRUE);
    assert_int_equal(find(ui, "lang.en")->checked, CHECKED_FALSE);

    tap_id(fx, ui, "home.activities");
    assert_int_equal(ui_screen(ui), SCREEN_ACTIVITIES);
    assert_int_equal(find(ui, "filter.week")->checked, CHECKED_TRUE);
    assert_non_null(find(ui, "filter.theme.leefbaarheid"));
    assert_non_null(find(ui, "filter.theme.other")); /* the sample has an unknown theme */
    const struct widget *item = first_with_prefix(ui, "activity.");
    assert_non_null(item);
    assert_int_equal(item->role, ROLE_ITEM);
    assert_non_null(item->text);
    char id[256];
    snprintf(id, sizeof id, "%s", item->id);
    tap_id(fx, ui, id);
    assert_int_equal(ui_screen(ui), SCREEN_ACTIVITY);
    assert_non_null(find(ui, "activity.title"));
    assert_non_null(find(ui, "activity.when"));
    assert_null(find(ui, "activity.signup")); /* no hub configured */
    tap_id(fx, ui, "nav.back");
    assert_int_equal(ui_screen(ui), SCREEN_ACTIVITIES);
    tap_id(fx, ui, "nav.home");
    assert_int_equal(ui_screen(ui), SCREEN_HOME);

    tap_id(fx, ui, "home.services");
    assert_int_equal(ui_screen(ui), SCREEN_SERVICES);
    static const char *const topics[] = {"mantelzorg", "geldzaken", "wonen", "opvoeden",
                                         "gezondheid", "eenzaamheid", "vrijwilligerswerk",
                                         "werk-inkomen", "taal", "veiligheid", "buurtinitiatief",
                                         "overig"};
    for (size_t i = 0; i < sizeof topics / sizeof *topics; i++) {
        char topic[64];
        snprintf(topic, sizeof topic, "topic.%s", topics[i]);
        if (!find(ui, topic))
            fail_msg("no %s on services", topic);
    }
    tap_id(fx, ui, "topic.geldzaken");
    assert_int_equal(find(ui, "topic.geldzaken")->checked, CHECKED_TRUE);
    const struct widget *service = first_with_prefix(ui, "service.");
    assert_non_null(service);
    snprintf(id, sizeof id, "%s", service->id);
    tap_id(fx, ui, id);
    assert_int_equal(ui_screen(ui), SCREEN_SERVICE);
    assert_non_null(find(ui, "service.title"));
    tap_id(fx, ui, "nav.home");
    tap_id(fx, ui, "home.announcements");
    assert_int_equal(ui_screen(ui), SCREEN_ANNOUNCEMENTS);
    assert_non_null(first_with_prefix(ui, "announcement."));
}

static void test_list_order_and_ids(void **state)
{
    struct fixture *fx = *state;
    struct ui *ui = fx->ui;
    tap_at(fx, ui, 10, 10);
    tap_id(fx, ui, "home.activities");
    tap_id(fx, ui, "filter.all");
    const struct frame *f = ui_frame(ui);
    char previous[256] = "";
    size_t items = 0;
    for (size_t i = 0; i < f->n_widgets; i++) {
        const struct widget *w = &f->widgets[i];
        if (w->role != ROLE_ITEM)
            continue;
        /* activity.ID.YYYYMMDDTHHMM, and the stamps never go down. */
        const char *stamp = strrchr(w->id, '.');
        assert_non_null(stamp);
        assert_int_equal(strlen(stamp + 1), 13);
        assert_int_equal(stamp[9], 'T');
        assert_true(strcmp(previous, stamp + 1) <= 0);
        snprintf(previous, sizeof previous, "%s", stamp + 1);
        items++;
    }
    assert_true(items >= 3);
}

static void test_language_switch(void **state)
{
    struct fixture *fx = *state;
    struct ui *ui = fx->ui;
    tap_at(fx, ui, 10, 10);
    tap_id(fx, ui, "lang.en");
    assert_string_equal(find(ui, "home.activities")->label, "Activities");
    assert_int_equal(find(ui, "lang.en")->checked, CHECKED_TRUE);
    tap_id(fx, ui, "home.activities");
    assert_string_equal(find(ui, "filter.week")->label, "This week");
}

static void test_idle_timeout(void **state)
{
    struct fixture *fx = *state;
    struct ui *ui = fx->ui;
    tap_at(fx, ui, 10, 10);
    tap_id(fx, ui, "lang.en");
    tap_id(fx, ui, "home.activities");
    tap_id(fx, ui, "filter.all");
    int64_t warn_ms = (int64_t)fx->config->ui_idle_warn_s * 1000;
    /* Nothing is due before the warning: the loop may sleep until then. */
    int64_t due = ui_next_deadline_ms(ui) - clock_now_ms(&fx->clock);
    assert_true(due > warn_ms - 200 && due <= warn_ms);
    advance(fx, ui, warn_ms - 100);
    assert_null(find(ui, "idle.stay"));
    advance(fx, ui, 200);
    const struct widget *stay = find(ui, "idle.stay");
    assert_non_null(stay);
    assert_true(stay->visible);
    assert_false(find(ui, "filter.all")->visible); /* under the overlay */
    assert_non_null(strstr(find(ui, "idle.countdown")->label, "30"));
    tap_id(fx, ui, "idle.stay");
    assert_null(find(ui, "idle.stay"));
    assert_int_equal(ui_screen(ui), SCREEN_ACTIVITIES);
    assert_int_equal(find(ui, "filter.all")->checked, CHECKED_TRUE);

    /* No touch: warning, countdown, then back to attract with everything reset. */
    advance(fx, ui, warn_ms + (int64_t)fx->config->ui_idle_countdown_s * 1000 + 100);
    assert_int_equal(ui_screen(ui), SCREEN_ATTRACT);
    tap_at(fx, ui, 10, 10);
    assert_int_equal(find(ui, "lang.nl")->checked, CHECKED_TRUE);
    tap_id(fx, ui, "home.activities");
    assert_int_equal(find(ui, "filter.week")->checked, CHECKED_TRUE);
}

static void test_no_frames_at_rest(void **state)
{
    struct fixture *fx = *state;
    struct ui *ui = fx->ui;
    ui_frame(ui);
    uint64_t built = ui_frames_built(ui);
    /* Thirty seconds on attract: only the minute changes the clock text. */
    for (int i = 0; i < 30; i++) {
        clock_advance_ms(&fx->clock, 1000);
        ui_tick(ui);
        if (ui_needs_frame(ui))
            ui_frame(ui);
    }
    assert_true(ui_frames_built(ui) - built <= 1);
}

static void test_kinetic_scroll(void **state)
{
    struct fixture *fx = *state;
    struct ui *ui = fx->ui;
    tap_at(fx, ui, 10, 10);
    tap_id(fx, ui, "home.activities");
    tap_id(fx, ui, "filter.all");
    const struct widget *list = find(ui, "activities.list");
    assert_non_null(list);
    int x = list->rect.x + list->rect.w / 2;
    int y0 = list->rect.y + list->rect.h - 20, y1 = list->rect.y + 20;
    char first_before[256];
    snprintf(first_before, sizeof first_before, "%s", first_with_prefix(ui, "activity.")->id);
    /* A quick upward swipe, lifted while moving: the list keeps going. */
    ui_touch_down(ui, x, y0);
    for (int i = 1; i <= 10; i++) {
        advance(fx, ui, 16);
        ui_touch_move(ui, x, y0 + (y1 - y0) * i / 10);
    }
    ui_touch_up(ui, x, y1);
    assert_true(ui_next_deadline_ms(ui) <= clock_now_ms(&fx->clock) + 16);
    struct rect item, viewport;
    char selector[260];
    snprintf(selector, sizeof selector, "#%s", first_before);
    assert_true(ui_locate(ui, selector, &item, &viewport));
    int top_after_lift = item.y;
    advance(fx, ui, 500);
    assert_true(ui_locate(ui, selector, &item, &viewport));
    assert_true(item.y < top_after_lift); /* it kept moving after the finger left */
    advance(fx, ui, 10000);
    assert_int_equal(ui_next_deadline_ms(ui) > clock_now_ms(&fx->clock) + 1000, true);
    /* A swipe is not a tap: still on the list. */
    assert_int_equal(ui_screen(ui), SCREEN_ACTIVITIES);
}

/* Every visible, tappable widget is at least 44 x 44 and inside the frame,
 * and no text is cut, on every screen at every supported size. */
static void check_layout(struct ui *ui, int w, int h, const char *where)
{
    const struct frame *f = ui_frame(ui);
    for (size_t i = 0; i < f->n_widgets; i++) {
        const struct widget *wd = &f->widgets[i];
        if (!wd->visible)
            continue;
        bool tappable = wd->role == ROLE_BUTTON || wd->role == ROLE_TOGGLE || wd->role == ROLE_ITEM ||
                        wd->role == ROLE_KEY;
        if (tappable && (wd->rect.w < THEME_MIN_TARGET || wd->rect.h < THEME_MIN_TARGET))
            fail_msg("%dx%d %s: %s is %dx%d", w, h, where, wd->id, wd->rect.w, wd->rect.h);
        if (wd->text_overflows)
            fail_msg("%dx%d %s: text of '%s' (%s) overflows", w, h, where, wd->id, wd->label);
        if (wd->list < 0 && (wd->rect.x < 0 || wd->rect.y < 0 || wd->rect.x + wd->rect.w > w ||
                             wd->rect.y + wd->rect.h > h))
            fail_msg("%dx%d %s: %s sticks out of the frame", w, h, where, wd->id);
    }
}

static void test_layout_at_every_size(void **state)
{
    struct fixture *fx = *state;
    static const int sizes[][2] = {{800, 480}, {1024, 600}, {1280, 800}, {1920, 1080}, {1080, 1920},
                                   {480, 800}};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        int w = sizes[s][0], h = sizes[s][1];
        for (int lang = 0; lang < 2; lang++) {
            struct ui *ui = make_ui(fx, w, h);
            assert_non_null(ui);
            if (lang)
                assert_true(ui_set_language(ui, "en"));
            check_layout(ui, w, h, "attract");
            tap_at(fx, ui, 10, 10);
            check_layout(ui, w, h, "home");
            tap_id(fx, ui, "home.activities");
            check_layout(ui, w, h, "activities");
            tap_id(fx, ui, first_with_prefix(ui, "activity.")->id);
            check_layout(ui, w, h, "activity");
            tap_id(fx, ui, "nav.home");
            tap_id(fx, ui, "home.services");
            check_layout(ui, w, h, "services");
            tap_id(fx, ui, first_with_prefix(ui, "service.")->id);
            check_layout(ui, w, h, "service");
            tap_id(fx, ui, "nav.home");
            tap_id(fx, ui, "home.announcements");
            check_layout(ui, w, h, "announcements");
            tap_id(fx, ui, "a11y.large");
            check_layout(ui, w, h, "announcements, large text");
            ui_free(ui);
        }
    }
}

static const struct draw_cmd *first_cmd(const struct frame *f, enum draw_op op)
{
    for (size_t i = 0; i < f->n_cmds; i++)
        if (f->cmds[i].op == op)
            return &f->cmds[i];
    return NULL;
}

static bool overlaps(struct rect a, struct rect b)
{
    return !rect_empty(rect_intersect(a, b));
}

/* The logo on attract and home: the picture's shape, never enlarged,
 * inside its plate, clear of every other widget, at every size. */
static void check_logo(struct ui *ui, int w, int h, const char *where, int logo_w, int logo_h)
{
    check_layout(ui, w, h, where);
    const struct frame *f = ui_frame(ui);
    const struct widget *plate = frame_find_id(f, "logo");
    if (!plate)
        fail_msg("%dx%d %s: no logo for %dx%d", w, h, where, logo_w, logo_h);
    assert_int_equal(plate->role, ROLE_IMAGE);
    assert_true(plate->visible);
    assert_string_equal(plate->label, "Logo van de organisatie");
    const struct draw_cmd *c = first_cmd(f, DRAW_IMAGE);
    assert_non_null(c);
    assert_string_equal(c->image, "/etc/buurtkiosk/logo.png");
    struct rect r = c->rect;
    if (rect_intersect(r, plate->rect).w != r.w || rect_intersect(r, plate->rect).h != r.h)
        fail_msg("%dx%d %s: picture outside its plate", w, h, where);
    assert_true(r.w <= logo_w && r.h <= logo_h);
    /* The shape is kept to within a pixel of rounding. */
    double want = (double)logo_w / logo_h;
    if (r.w < 8 || r.h < 8 || ((double)(r.w + 1) / r.h < want) || ((double)r.w / (r.h + 1) > want))
        fail_msg("%dx%d %s: %dx%d picture drawn at %dx%d", w, h, where, logo_w, logo_h, r.w, r.h);
    for (size_t i = 0; i < f->n_widgets; i++) {
        const struct widget *o = &f->widgets[i];
        if (o == plate || !o->visible || o->role == ROLE_SCREEN || o->list >= 0)
            continue;
        if (overlaps(o->rect, plate->rect))
            fail_msg("%dx%d %s: logo covers %s '%s'", w, h, where, o->id, o->label);
    }
}

static void test_logo(void **state)
{
    struct fixture *fx = *state;
    static const int sizes[][2] = {{800, 480}, {1280, 800}, {1920, 1080}, {1080, 1920}, {480, 800}};
    static const int logos[][2] = {{240, 120}, {2000, 400}, {300, 900}, {40, 20}};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        for (size_t l = 0; l < sizeof logos / sizeof *logos; l++) {
            int w = sizes[s][0], h = sizes[s][1];
            struct ui *ui = make_ui_logo(fx, w, h, logos[l][0], logos[l][1]);
            assert_non_null(ui);
            check_logo(ui, w, h, "attract", logos[l][0], logos[l][1]);
            /* The logo is no button: a tap on it is a tap on attract. */
            const struct widget *plate = find(ui, "logo");
            tap_at(fx, ui, plate->rect.x + plate->rect.w / 2, plate->rect.y + plate->rect.h / 2);
            assert_int_equal(ui_screen(ui), SCREEN_HOME);
            check_logo(ui, w, h, "home", logos[l][0], logos[l][1]);
            tap_id(fx, ui, "a11y.large");
            check_logo(ui, w, h, "home, large text", logos[l][0], logos[l][1]);
            /* Other screens keep their header for navigation. */
            tap_id(fx, ui, "home.activities");
            assert_null(find(ui, "logo"));
            ui_free(ui);
        }
    }
    /* Without one there is neither a plate nor a picture. */
    struct ui *ui = make_ui_logo(fx, 1280, 800, 0, 0);
    assert_non_null(ui);
    assert_null(find(ui, "logo"));
    assert_null(first_cmd(ui_frame(ui), DRAW_IMAGE));
    ui_free(ui);
    assert_null(find(fx->ui, "logo"));
}

static void test_contrast(void **state)
{
    (void)state;
    for (int hc = 0; hc < 2; hc++) {
        struct theme t;
        theme_for(&t, 1280, 800, false, hc);
        double need = hc ? 7.0 : 4.5;
        struct {
            struct rgba ink, bg;
        } pairs[] = {{t.ink, t.background}, {t.ink, t.surface},       {t.ink_soft, t.background},
                     {t.ink_soft, t.surface}, {t.on_primary, t.primary}, {t.primary, t.surface},
                     {t.primary, t.on_primary}, {t.accent_ink, t.accent_bg}, {t.alert, t.surface}};
        for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
            if (theme_contrast(pairs[i].ink, pairs[i].bg) < need)
                fail_msg("pair %zu: contrast %.2f < %.1f (high contrast %d)", i,
                         theme_contrast(pairs[i].ink, pairs[i].bg), need, hc);
    }
}

static void test_rotation_round_trip(void **state)
{
    (void)state;
    static const int rotations[] = {0, 90, 180, 270};
    for (size_t r = 0; r < 4; r++) {
        int fw, fh;
        rotate_frame_size(rotations[r], 1280, 800, &fw, &fh);
        assert_int_equal(fw, rotations[r] % 180 ? 800 : 1280);
        static const int points[][2] = {{0, 0}, {10, 20}, {799, 0}, {0, 1279}, {400, 640}};
        for (size_t p = 0; p < 5; p++) {
            int fx = points[p][0] % fw, fy = points[p][1] % fh, px, py, bx, by;
            rotate_frame_to_panel(rotations[r], 1280, 800, fx, fy, &px, &py);
            assert_true(px >= 0 && px < 1280 && py >= 0 && py < 800);
            rotate_panel_to_frame(rotations[r], 1280, 800, px, py, &bx, &by);
            assert_int_equal(bx, fx);
            assert_int_equal(by, fy);
        }
    }
    /* Turned 90 degrees clockwise: the frame's top-left is the panel's top-right. */
    int px, py;
    rotate_frame_to_panel(90, 1280, 800, 0, 0, &px, &py);
    assert_int_equal(px, 1279);
    assert_int_equal(py, 0);
}

/* Taps the keys that type text (lower case, digits, space). */
static void type_text(struct fixture *fx, struct ui *ui, const char *text)
{
    for (const char *p = text; *p; p++) {
        char id[32];
        if (*p == ' ')
            snprintf(id, sizeof id, "key.space");
        else
            snprintf(id, sizeof id, "key.%c", *p);
        tap_id(fx, ui, id);
    }
}

/* From home to the form of an activity that takes sign-ups. */
/* Drags the screen's list, slowly (no fling), until item id is wholly in
 * view, then taps it: in large text on a small panel it may start below. */
static void tap_in_list(struct fixture *fx, struct ui *ui, const char *id)
{
    char selector[260];
    snprintf(selector, sizeof selector, "#%s", id);
    for (int tries = 0; tries < 40; tries++) {
        struct rect item, viewport;
        if (!ui_locate(ui, selector, &item, &viewport))
            fail_msg("no %s on %s", id, screen_name(ui_screen(ui)));
        if (item.y >= viewport.y && item.y + item.h <= viewport.y + viewport.h) {
            tap_id(fx, ui, id);
            return;
        }
        int dy = item.y - viewport.y;
        int most = viewport.h * 3 / 4;
        dy = dy > most ? most : dy < -most ? -most : dy;
        int x = viewport.x + viewport.w / 2;
        int y0 = dy > 0 ? viewport.y + viewport.h - 4 : viewport.y + 4;
        ui_touch_down(ui, x, y0);
        ui_touch_move(ui, x, dy > 0 ? y0 - dy - 40 : y0 - dy + 40);
        ui_touch_move(ui, x, y0 - dy);
        advance(fx, ui, 120);
        ui_touch_up(ui, x, y0 - dy);
        advance(fx, ui, 50);
    }
    fail_msg("could not bring %s into view", id);
}

static void open_signup_from_home(struct fixture *fx, struct ui *ui)
{
    tap_id(fx, ui, "home.activities");
    /* Huiswerkbegeleiding on the 25th at 15:30 takes sign-ups with places left. */
    tap_in_list(fx, ui, "activity.act-huiswerkbegeleiding.20261125T1530");
    assert_non_null(find(ui, "activity.places"));
    tap_id(fx, ui, "activity.signup");
    assert_int_equal(ui_screen(ui), SCREEN_SIGNUP);
}

static void open_signup(struct fixture *fx, struct ui *ui)
{
    tap_at(fx, ui, 10, 10);
    open_signup_from_home(fx, ui);
}

static void test_signup_by_touch(void **state)
{
    struct fixture *fx = *state;
    struct ui *ui = make_ui_hub(fx, 1280, 800, true);
    open_signup(fx, ui);
    const struct widget *name = find(ui, "field.name");
    assert_non_null(name);
    assert_true(name->focused);
    assert_false(find(ui, "signup.submit")->enabled);
    /* Shift makes one capital, then the keyboard is lower case again. */
    tap_id(fx, ui, "key.shift");
    type_text(fx, ui, "jan jansen");
    assert_string_equal(find(ui, "field.name")->text, "Jan jansen");
    tap_id(fx, ui, "key.next");
    assert_true(find(ui, "field.phone")->focused);
    assert_null(find(ui, "key.q")); /* the phone pad */
    type_text(fx, ui, "06123");
    assert_non_null(find(ui, "field.phone.error"));
    type_text(fx, ui, "45678");
    assert_null(find(ui, "field.phone.error"));
    tap_id(fx, ui, "key.next"); /* past the last field: the consent in sight */
    assert_false(find(ui, "signup.submit")->enabled); /* no consent yet */
    tap_id(fx, ui, "signup.consent");
    assert_true(find(ui, "signup.submit")->enabled);
    tap_id(fx, ui, "signup.submit");
    assert_int_equal(ui_screen(ui), SCREEN_SIGNUP_DONE);
    /* No lease, nobody answers here: it checks for 3 s, then says the
     * sign-up is received, never that a place is Jan's. */
    assert_non_null(find(ui, "done.checking"));
    advance(fx, ui, 2900);
    assert_non_null(find(ui, "done.checking"));
    assert_null(find(ui, "done.pending"));
    advance(fx, ui, 200);
    assert_null(find(ui, "done.checking"));
    assert_non_null(find(ui, "done.pending"));
    assert_null(find(ui, "signup.done.bye"));
    struct store_status st;
    assert_true(store_status(fx->store, &st));
    assert_int_equal(st.outbox_pending, 1);
    /* The done screen goes back to attract by itself. */
    advance(fx, ui, 21000);
    assert_int_equal(ui_screen(ui), SCREEN_ATTRACT);
    ui_free(ui);
}

/* ---- the done screen's answers (hub-api-v1 "Telling the resident the truth") ---- */

#define HUISWERK "act-huiswerkbegeleiding"
#define HUISWERK_25 "2026-11-25T15:30:00+01:00"

static void sql(struct fixture *fx, const char *text)
{
    char *msg = NULL;
    if (sqlite3_exec(store_db(fx->store), text, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", text, msg);
}

/* Jan signs up for Huiswerkbegeleiding on the 25th, party of one. */
static void sign_up_jan(struct fixture *fx, struct ui *ui)
{
    open_signup(fx, ui);
    tap_id(fx, ui, "key.shift");
    type_text(fx, ui, "jan jansen");
    tap_id(fx, ui, "key.next");
    type_text(fx, ui, "0612345678");
    tap_id(fx, ui, "key.next");
    tap_id(fx, ui, "signup.consent");
    tap_id(fx, ui, "signup.submit");
    assert_int_equal(ui_screen(ui), SCREEN_SIGNUP_DONE);
}

static void pending_id(struct fixture *fx, char id[64])
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(store_db(fx->store), "SELECT signup_id FROM outbox"
                                        " WHERE status = 'pending'", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(id, 64, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

static const char *const done_ids[] = {"done.checking", "done.confirmed", "done.waitlisted",
                                       "done.full", "done.closed", "done.pending"};

/* Exactly one of the done screen's states is shown, and it is want. */
static void expect_done(struct ui *ui, const char *want)
{
    for (size_t i = 0; i < sizeof done_ids / sizeof *done_ids; i++) {
        bool shown = find(ui, done_ids[i]) != NULL;
        if (shown != (strcmp(done_ids[i], want) == 0))
            fail_msg("%s %s (want only %s)", done_ids[i], shown ? "shown" : "missing", want);
    }
}

/* What the hub answers while the screen checks is what the screen says. */
static void test_done_shows_the_hubs_answer(void **state)
{
    static const struct {
        const char *status;
        int position;
        const char *shown;
        const char *also;          /* another widget the answer brings, or NULL */
    } rows[] = {
        {"confirmed", 0, "done.confirmed", "signup.done.bye"},
        {"waitlisted", 3, "done.waitlisted", "signup.done.position"},
        {"full", 0, "done.full", "signup.again.20261130T1530"},
        {"closed", 0, "done.closed", "signup.again.20261130T1530"},
        /* a refusal with an error is no place: received, staff see why */
        {"rejected", 0, "done.pending", NULL},
    };
    struct fixture *fx = *state;
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        sql(fx, "DELETE FROM outbox");
        struct ui *ui = make_ui_hub(fx, 1280, 800, true);
        sign_up_jan(fx, ui);
        expect_done(ui, "done.checking");
        char id[64];
        pending_id(fx, id);
        advance(fx, ui, 500);
        assert_true(outbox_record_final(fx->store, id, rows[i].status, rows[i].position,
                                        strcmp(rows[i].status, "rejected") == 0 ? "nee" : NULL,
                                        0));
        advance(fx, ui, 50);
        expect_done(ui, rows[i].shown);
        if (rows[i].also && !find(ui, rows[i].also))
            fail_msg("row %s: no %s", rows[i].status, rows[i].also);
        if (rows[i].position)
            assert_non_null(strstr(find(ui, "signup.done.position")->label, "3"));
        /* The one thing said stays said. */
        advance(fx, ui, 5000);
        expect_done(ui, rows[i].shown);
        ui_free(ui);
    }
}

/* An answer after the 3 s does not change what the resident was told. */
static void test_done_pending_stays(void **state)
{
    struct fixture *fx = *state;
    struct ui *ui = make_ui_hub(fx, 1080, 1920, true);
    sign_up_jan(fx, ui);
    advance(fx, ui, 3100);
    expect_done(ui, "done.pending");
    char id[64];
    pending_id(fx, id);
    assert_true(outbox_record_final(fx->store, id, "confirmed", 0, NULL, 0));
    advance(fx, ui, 1000);
    expect_done(ui, "done.pending");
    ui_free(ui);
}

/* Within this kiosk's lease the kiosk confirms on its own, at once. */
static void test_done_within_lease(void **state)
{
    struct fixture *fx = *state;
    sql(fx, "UPDATE occurrence SET lease = 1 WHERE activity_id = '" HUISWERK "'");
    struct ui *ui = make_ui_hub(fx, 1280, 800, true);
    sign_up_jan(fx, ui);
    expect_done(ui, "done.confirmed");
    assert_non_null(strstr(find(ui, "signup.done.bye")->label, "Jan"));
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(store_db(fx->store), "SELECT within_lease, status FROM outbox",
                                        -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 1);
    assert_string_equal((const char *)sqlite3_column_text(st, 1), "pending"); /* still to send */
    sqlite3_finalize(st);
    ui_free(ui);
    /* The lease is used up: the next one asks. */
    ui = make_ui_hub(fx, 1280, 800, true);
    sign_up_jan(fx, ui);
    expect_done(ui, "done.checking");
    ui_free(ui);
}

/* The hub cannot be asked: sign-up is offered only within the lease. */
static void test_offline_offers_only_the_lease(void **state)
{
    struct fixture *fx = *state;
    struct ui *ui = make_ui_hub(fx, 1280, 800, true);
    ui_set_hub_reachable(ui, false);
    tap_at(fx, ui, 10, 10);
    tap_id(fx, ui, "home.activities");
    tap_in_list(fx, ui, "activity." HUISWERK ".20261125T1530");
    assert_non_null(find(ui, "activity.places"));
    assert_null(find(ui, "activity.signup"));
    /* There are places: the kiosk says it cannot sign up here now, never "vol". */
    assert_non_null(find(ui, "activity.signup-offline"));
    assert_null(find(ui, "activity.signup-closed"));
    ui_free(ui);
    sql(fx, "UPDATE occurrence SET lease = 2 WHERE activity_id = '" HUISWERK "'");
    ui = make_ui_hub(fx, 1280, 800, true);
    ui_set_hub_reachable(ui, false);
    tap_at(fx, ui, 10, 10);
    tap_id(fx, ui, "home.activities");
    tap_in_list(fx, ui, "activity." HUISWERK ".20261125T1530");
    assert_non_null(find(ui, "activity.signup"));
    ui_free(ui);
}

/* Full: another occurrence is one tap from the form, with what was typed. */
static void test_full_offers_the_next(void **state)
{
    struct fixture *fx = *state;
    struct ui *ui = make_ui_hub(fx, 1280, 800, true);
    sign_up_jan(fx, ui);
    char id[64];
    pending_id(fx, id);
    assert_true(outbox_record_final(fx->store, id, "full", 0, NULL, 0));
    advance(fx, ui, 50);
    expect_done(ui, "done.full");
    /* The 25th itself is not offered again; a full occurrence neither. */
    assert_null(find(ui, "signup.again.20261125T1530"));
    tap_id(fx, ui, "signup.again.20261130T1530");
    assert_int_equal(ui_screen(ui), SCREEN_SIGNUP);
    assert_string_equal(find(ui, "field.name")->text, "Jan jansen");
    assert_string_equal(find(ui, "field.phone")->text, "0612345678");
    tap_id(fx, ui, "signup.consent");
    tap_id(fx, ui, "signup.submit");
    expect_done(ui, "done.checking");
    ui_free(ui);
}

/* The first screen invites: every one of today's activities that has not
 * ended is a row that opens it, "need help?" goes to the help topics, and
 * a tap beside them still starts at home. */
static void test_attract_invites(void **state)
{
    struct fixture *fx = *state;
    struct ui *ui = make_ui(fx, 1080, 1920);
    /* 10:00 on Wednesday 25 November: four activities still to come today. */
    const char *today[] = {"activity.act-wandelgroep.20261125T1000",
                           "activity.act-handwerkcafe.20261125T1330",
                           "activity.act-taalcafe-bieb.20261125T1400",
                           "activity.act-huiswerkbegeleiding.20261125T1530"};
    for (size_t i = 0; i < 4; i++) {
        const struct widget *w = find(ui, today[i]);
        if (!w || w->role != ROLE_ITEM)
            fail_msg("attract lacks %s", today[i]);
    }
    assert_non_null(find(ui, "attract.help"));
    tap_id(fx, ui, "activity.act-taalcafe-bieb.20261125T1400");
    assert_int_equal(ui_screen(ui), SCREEN_ACTIVITY);
    tap_id(fx, ui, "nav.back");
    assert_int_equal(ui_screen(ui), SCREEN_ATTRACT);
    tap_id(fx, ui, "attract.help");
    assert_int_equal(ui_screen(ui), SCREEN_SERVICES);
    ui_free(ui);

    /* Later in the day what has ended is gone from the list. */
    clock_init_manual(&fx->clock, at("2026-11-25T16:00:00+01:00"));
    ui = make_ui(fx, 1080, 1920);
    assert_null(find(ui, today[0]));
    assert_non_null(find(ui, today[3]));
    tap_at(fx, ui, 10, 10);
    assert_int_equal(ui_screen(ui), SCREEN_HOME);
    ui_free(ui);
}

/* "Bijgewerkt om 10:00" today; the day when the last good sync was on an
 * earlier day; a warning (updated.stale) after a day without one. */
static void test_updated_says_when(void **state)
{
    struct fixture *fx = *state;
    struct ui *ui = make_ui(fx, 1280, 800);
    tap_at(fx, ui, 10, 10);
    assert_int_equal(ui_screen(ui), SCREEN_HOME);
    ui_set_sync_state(ui, at("2026-11-25T09:58:00+01:00"), false);
    ui_frame(ui);
    assert_string_equal(find(ui, "updated")->label, "Bijgewerkt om 09:58");
    assert_null(find(ui, "updated.stale"));
    ui_set_sync_state(ui, at("2026-11-24T16:05:00+01:00"), true);
    ui_frame(ui);
    assert_string_equal(find(ui, "updated")->label, "Bijgewerkt op di 24 nov om 16:05");
    ui_set_sync_state(ui, at("2026-11-24T09:00:00+01:00"), true);
    ui_frame(ui);
    assert_null(find(ui, "updated"));
    assert_string_equal(find(ui, "updated.stale")->label, "Let op: niet bijgewerkt sinds di 24 nov 09:00");
    ui_free(ui);
}

/* Wednesday 25 November, 10:00: the Jeugd- en gezinsteam takes walk-ins
 * on Wednesdays 09:00-11:00 (now open); the Wijkteam on Mondays and
 * Thursdays (not); the activity list says "vandaag" for today's. */
static void test_now_open_and_today(void **state)
{
    struct fixture *fx = *state;
    struct ui *ui = make_ui(fx, 1080, 1920);
    tap_at(fx, ui, 10, 10);
    tap_id(fx, ui, "home.services");
    const struct widget *jgt = NULL, *wijkteam = NULL;
    const struct frame *f = ui_frame(ui);
    for (size_t i = 0; i < f->n_widgets; i++) {
        if (f->widgets[i].text && strstr(f->widgets[i].text, "Jeugd- en gezinsteam"))
            jgt = &f->widgets[i];
        if (f->widgets[i].text && strstr(f->widgets[i].text, "Wijkteam Amersfoort"))
            wijkteam = &f->widgets[i];
    }
    assert_non_null(jgt);
    assert_non_null(wijkteam);
    assert_non_null(strstr(jgt->text, "Nu open"));
    assert_null(strstr(wijkteam->text, "Nu open"));
    tap_id(fx, ui, jgt->id);
    assert_non_null(find(ui, "service.open_now"));
    tap_id(fx, ui, "nav.home");
    tap_id(fx, ui, "home.activities");
    assert_non_null(strstr(find(ui, "activity.act-wandelgroep.20261125T1000")->text, "vandaag"));
    assert_null(strstr(find(ui, "activity.act-beweegclub-65.20261126T1000")->text, "vandaag"));
    ui_free(ui);

    /* At 11:00 the walk-in hour is over. */
    clock_init_manual(&fx->clock, at("2026-11-25T11:00:00+01:00"));
    ui = make_ui(fx, 1080, 1920);
    tap_at(fx, ui, 10, 10);
    tap_id(fx, ui, "home.services");
    f = ui_frame(ui);
    for (size_t i = 0; i < f->n_widgets; i++)
        if (f->widgets[i].text && strstr(f->widgets[i].text, "Jeugd- en gezinsteam"))
            assert_null(strstr(f->widgets[i].text, "Nu open"));
    ui_free(ui);
}

/* The privacy text says what this form keeps, in the resident's language;
 * an organisation's own text (in Dutch) says that it is Dutch. */
static void test_consent_text_in_the_residents_language(void **state)
{
    struct fixture *fx = *state;
    struct ui *ui = make_ui_hub(fx, 1280, 800, true);
    open_signup(fx, ui);
    const char *nl = find(ui, "signup.consent-text")->label;
    assert_non_null(strstr(nl, "Wij bewaren uw naam en telefoonnummer om u aan te melden"));
    assert_non_null(strstr(nl, "30 dagen na de activiteit"));
    assert_non_null(strstr(nl, "kiosk wist uw gegevens"));
    assert_null(find(ui, "signup.consent-text")->lang);
    assert_true(ui_set_language(ui, "en"));
    ui_frame(ui);
    const char *en = find(ui, "signup.consent-text")->label;
    assert_non_null(strstr(en, "We keep your name and phone number to sign you up"));
    ui_free(ui);

    fx->config->privacy_consent_text = strdup("Buurthuis De Kamers bewaart {fields}.");
    assert_non_null(fx->config->privacy_consent_text);
    ui = make_ui_hub(fx, 1280, 800, true);
    open_signup(fx, ui);
    assert_string_equal(find(ui, "signup.consent-text")->label,
                        "Buurthuis De Kamers bewaart uw naam en telefoonnummer.");
    assert_true(ui_set_language(ui, "en"));
    ui_frame(ui);
    const struct widget *w = find(ui, "signup.consent-text");
    assert_string_equal(w->label, "Buurthuis De Kamers bewaart uw naam en telefoonnummer. (in Dutch)");
    assert_string_equal(w->lang, "nl");
    ui_free(ui);
}

/* When the sign-up cannot be stored (the disk is full), the resident is
 * told so on the form, nothing is promised, and what was typed stays for
 * a second try, which works once the store takes writes again. */
static void test_signup_not_stored_keeps_the_form(void **state)
{
    struct fixture *fx = *state;
    struct ui *ui = make_ui_hub(fx, 1280, 800, true);
    open_signup(fx, ui);
    type_text(fx, ui, "jan jansen");
    tap_id(fx, ui, "key.next");
    type_text(fx, ui, "0612345678");
    tap_id(fx, ui, "key.next");
    tap_id(fx, ui, "signup.consent");
    sqlite3 *db = store_db(fx->store);
    assert_int_equal(sqlite3_exec(db, "PRAGMA query_only=1", NULL, NULL, NULL), SQLITE_OK);
    tap_id(fx, ui, "signup.submit");
    assert_int_equal(ui_screen(ui), SCREEN_SIGNUP);
    const struct widget *message = find(ui, "signup.error.store");
    assert_non_null(message);
    assert_true(message->visible);
    assert_true(find(ui, "signup.submit")->visible);
    assert_string_equal(find(ui, "field.name")->text, "jan jansen");
    struct store_status st;
    assert_true(store_status(fx->store, &st));
    assert_int_equal(st.outbox_pending, 0);
    assert_int_equal(sqlite3_exec(db, "PRAGMA query_only=0", NULL, NULL, NULL), SQLITE_OK);
    tap_id(fx, ui, "signup.submit");
    assert_int_equal(ui_screen(ui), SCREEN_SIGNUP_DONE);
    assert_true(store_status(fx->store, &st));
    assert_int_equal(st.outbox_pending, 1);
    ui_free(ui);
}

/* The top of the keyboard: its highest key. */
static int keyboard_top(const struct frame *f)
{
    int top = f->height;
    for (size_t k = 0; k < f->n_widgets; k++)
        if (f->widgets[k].role == ROLE_KEY && f->widgets[k].rect.y < top)
            top = f->widgets[k].rect.y;
    return top;
}

/* The focused field and the submit button whole, in sight and above the
 * keyboard; every key at least 44 px with its label uncut. */
static void check_typing(struct ui *ui, int w, int h, const char *field_id, const char *where)
{
    const struct frame *f = ui_frame(ui);
    const struct widget *field = frame_find_id(f, field_id);
    assert_non_null(field);
    if (!field->focused)
        fail_msg("%dx%d %s: %s has no focus", w, h, where, field_id);
    int top = keyboard_top(f);
    if (!field->visible || field->rect.y + field->rect.h > top || field->clip.h != field->rect.h ||
        field->clip.w != field->rect.w)
        fail_msg("%dx%d %s: %s at y %d..%d, keyboard from %d", w, h, where, field_id, field->rect.y,
                 field->rect.y + field->rect.h, top);
    const struct widget *submit = frame_find_id(f, "signup.submit");
    if (!submit || !submit->visible || submit->rect.y + submit->rect.h > top ||
        submit->clip.h != submit->rect.h || submit->clip.w != submit->rect.w)
        fail_msg("%dx%d %s: the submit button is not in sight above the keyboard", w, h, where);
    check_layout(ui, w, h, where);
}

static const int every_size[][2] = {{800, 480}, {1024, 600}, {1280, 800}, {1920, 1080}, {1080, 1920},
                                    {480, 800}};
#define N_SIZES (sizeof every_size / sizeof *every_size)

/* At every size, on every layout, shifted or not, and on the phone pad:
 * the focused field and the submit button stay in sight above the
 * keyboard, and every key keeps 44 px and its whole label. */
static void test_keyboard_never_covers_the_field(void **state)
{
    struct fixture *fx = *state;
    for (size_t s = 0; s < 2 * N_SIZES; s++) {
        int w = every_size[s % N_SIZES][0], h = every_size[s % N_SIZES][1];
        struct ui *ui = make_ui_hub(fx, w, h, true);
        tap_at(fx, ui, 10, 10);
        if (s >= N_SIZES)
            tap_id(fx, ui, "a11y.large");
        open_signup_from_home(fx, ui);
        /* The name, then round the layouts and back to the first. */
        char first_layout[32];
        snprintf(first_layout, sizeof first_layout, "%s", find(ui, "key.layout")->label);
        for (int layout = 0; layout < 3; layout++) {
            char where[64];
            snprintf(where, sizeof where, "name, layout %d", layout);
            check_typing(ui, w, h, "field.name", where);
            tap_id(fx, ui, "key.shift");
            snprintf(where, sizeof where, "name, layout %d shifted", layout);
            check_typing(ui, w, h, "field.name", where);
            tap_id(fx, ui, "key.shift");
            tap_id(fx, ui, "key.layout");
        }
        assert_string_equal(find(ui, "key.layout")->label, first_layout);
        /* Next field: the phone, on its pad; past the last field the
         * keyboard goes away, showing the consent; a tap on a field
         * brings it back. */
        tap_id(fx, ui, "key.next");
        check_typing(ui, w, h, "field.phone", "phone");
        assert_null(find(ui, "key.layout"));
        tap_id(fx, ui, "key.next");
        assert_null(find(ui, "key.next"));
        assert_true(find(ui, "signup.consent")->visible);
        assert_true(find(ui, "signup.submit")->visible);
        check_layout(ui, w, h, "no field");
        tap_id(fx, ui, "field.name");
        check_typing(ui, w, h, "field.name", "name again");
        ui_free(ui);
    }
}

/* The keyboard opens on the interface language's script: Cyrillic for
 * Ukrainian, Arabic for Arabic, Latin otherwise; key.layout goes on to
 * the others. */
static void test_keyboard_follows_the_language(void **state)
{
    struct fixture *fx = *state;
    char err[256];
    const char *langs[] = {"nl", "en", "uk", "ar"};
    struct catalogs *shown = fx->catalogs;
    fx->catalogs = catalogs_load(BK_CATALOG_DIR, langs, 4, err, sizeof err);
    assert_non_null(fx->catalogs);
    assert_true(config_set(fx->config, "ui.languages=nl,en,uk,ar", err, sizeof err));
    static const struct {
        const char *lang, *first_key, *next_key;
    } rows[] = {
        {"nl", "key.q", "key.\xd0\xb6"},              /* ж */
        {"en", "key.q", "key.\xd0\xb6"},
        {"uk", "key.\xd0\xb6", "key.\xd8\xb9"},        /* ж, then ع */
        {"ar", "key.\xd8\xb9", "key.q"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        struct ui *ui = make_ui_hub(fx, 1280, 800, true);
        assert_true(ui_set_language(ui, rows[i].lang));
        open_signup(fx, ui);
        if (!find(ui, rows[i].first_key))
            fail_msg("%s: the keyboard opens without %s", rows[i].lang, rows[i].first_key);
        tap_id(fx, ui, "key.layout");
        if (!find(ui, rows[i].next_key))
            fail_msg("%s: key.layout leads to no %s", rows[i].lang, rows[i].next_key);
        ui_free(ui);
    }
    catalogs_free(fx->catalogs);
    fx->catalogs = shown;
}

static void test_idle_wipes_the_form(void **state)
{
    struct fixture *fx = *state;
    struct ui *ui = make_ui_hub(fx, 1280, 800, true);
    open_signup(fx, ui);
    type_text(fx, ui, "geheim");
    assert_string_equal(find(ui, "field.name")->text, "geheim");
    advance(fx, ui, (int64_t)(fx->config->ui_idle_warn_s + fx->config->ui_idle_countdown_s) * 1000 + 100);
    assert_int_equal(ui_screen(ui), SCREEN_ATTRACT);
    open_signup(fx, ui);
    assert_string_equal(find(ui, "field.name")->text, "");
    struct store_status st;
    assert_true(store_status(fx->store, &st));
    assert_int_equal(st.outbox_pending, 0);
    ui_free(ui);
}

static void test_no_signup_without_hub(void **state)
{
    struct fixture *fx = *state;
    struct ui *ui = fx->ui;
    tap_at(fx, ui, 10, 10);
    tap_id(fx, ui, "home.activities");
    tap_id(fx, ui, "activity.act-huiswerkbegeleiding.20261125T1530");
    assert_null(find(ui, "activity.signup"));
}

static void hold(struct fixture *fx, struct ui *ui, int x, int y, int64_t ms)
{
    ui_touch_down(ui, x, y);
    advance(fx, ui, ms);
    ui_touch_up(ui, x, y);
}

static void enter_pin(struct fixture *fx, struct ui *ui, const char *pin)
{
    for (const char *p = pin; *p; p++) {
        char id[16];
        snprintf(id, sizeof id, "pin.%c", *p);
        tap_id(fx, ui, id);
    }
    tap_id(fx, ui, "pin.ok");
}

/* Staff PIN 246813 (a cheap hash: tests, not security). */
static void set_staff_pin(struct fixture *fx)
{
    char hash[crypto_pwhash_STRBYTES];
    assert_int_equal(crypto_pwhash_str(hash, "246813", 6, crypto_pwhash_OPSLIMIT_MIN,
                                       crypto_pwhash_MEMLIMIT_MIN), 0);
    char set[sizeof hash + 32], err[256];
    snprintf(set, sizeof set, "staff.pin_hash=%s", hash);
    assert_true(config_set(fx->config, set, err, sizeof err));
}

static void test_staff_mode(void **state)
{
    struct fixture *fx = *state;
    set_staff_pin(fx);
    struct ui *ui = make_ui(fx, 1280, 800);
    tap_at(fx, ui, 10, 10);
    /* A short hold in the corner, or a long one elsewhere, does nothing. */
    hold(fx, ui, 20, 20, 4000);
    assert_int_equal(ui_screen(ui), SCREEN_HOME);
    hold(fx, ui, 400, 400, 6000);
    assert_int_equal(ui_screen(ui), SCREEN_HOME);
    hold(fx, ui, 30, 30, 5100);
    assert_int_equal(ui_screen(ui), SCREEN_STAFF_PIN);
    /* Five wrong PINs lock the pad for a minute; the right one then
     * still does not open it. A PIN of four digits is never right. */
    for (int i = 0; i < 5; i++)
        enter_pin(fx, ui, "111111");
    assert_non_null(find(ui, "staff.pin.message"));
    assert_false(find(ui, "pin.1")->enabled);
    advance(fx, ui, 50 * 1000);
    assert_int_equal(ui_screen(ui), SCREEN_STAFF_PIN);
    assert_false(find(ui, "pin.ok")->enabled);
    /* The PIN pad logs out after the idle time, the lock has ended. */
    advance(fx, ui, 250 * 1000);
    assert_int_equal(ui_screen(ui), SCREEN_ATTRACT);
    hold(fx, ui, 30, 30, 5100);
    assert_int_equal(ui_screen(ui), SCREEN_STAFF_PIN);
    assert_true(find(ui, "pin.ok")->enabled);
    enter_pin(fx, ui, "246813");
    assert_int_equal(ui_screen(ui), SCREEN_STAFF);
    assert_non_null(find(ui, "staff.sync"));
    assert_non_null(find(ui, "staff.touch-test"));
    assert_non_null(find(ui, "staff.screen-off"));
    assert_non_null(strstr(find(ui, "staff.info.0")->label, "demo"));
    /* Never synced is said as such, not as a success. */
    assert_string_equal(find(ui, "staff.info.1")->label, "Laatst bijgewerkt: nog nooit");
    assert_non_null(strstr(find(ui, "staff.info.5")->label, "nog niet geprobeerd"));
    assert_true(store_log_sync(fx->store, clock_now_s(&fx->clock), "unreachable", "timeout", 0, NULL));
    ui_set_sync_state(ui, 0, true); /* as the run loop does after each pass */
    assert_string_equal(find(ui, "staff.info.1")->label,
                        "Laatst bijgewerkt: 25-11-2026 10:05 (unreachable: timeout)");
    assert_non_null(strstr(find(ui, "staff.info.5")->label, "geen verbinding"));
    /* The touch test shows where a tap landed. */
    tap_id(fx, ui, "staff.touch-test");
    tap_at(fx, ui, 321, 456);
    assert_string_equal(find(ui, "staff.touch-test.at")->label, "321, 456");
    tap_id(fx, ui, "staff.touch-test.done");
    /* Hide an activity on this kiosk: gone from the residents' list. */
    tap_id(fx, ui, "staff.items");
    tap_id(fx, ui, "staff.hide.activity.act-beweegclub-65");
    assert_int_equal(find(ui, "staff.hide.activity.act-beweegclub-65")->checked, CHECKED_TRUE);
    tap_id(fx, ui, "staff.items.done");
    /* A local announcement, typed on the kiosk, shown on attract. */
    tap_id(fx, ui, "staff.announce");
    type_text(fx, ui, "zaal dicht");
    assert_string_equal(find(ui, "staff.announce.text")->text, "zaal dicht");
    /* An announcement's punctuation: shift on the digits gives : ? ! €. */
    static const char *const shifted_digits[] = {"key.3", "key.2", "key.1", "key.4"};
    for (size_t i = 0; i < 4; i++) {
        tap_id(fx, ui, "key.shift");
        tap_id(fx, ui, shifted_digits[i]);
    }
    tap_id(fx, ui, "key.comma");
    assert_string_equal(find(ui, "staff.announce.text")->text, "zaal dicht:?!\xe2\x82\xac,");
    check_layout(ui, 1280, 800, "staff announcement");
    for (int i = 0; i < 5; i++)
        tap_id(fx, ui, "key.backspace");
    assert_string_equal(find(ui, "staff.announce.text")->text, "zaal dicht");
    tap_id(fx, ui, "staff.announce.days.7");
    tap_id(fx, ui, "staff.announce.save");
    tap_id(fx, ui, "staff.exit");
    assert_non_null(find(ui, "announcement.local-1"));
    assert_string_equal(find(ui, "announcement.local-1")->label, "zaal dicht");
    assert_int_equal(ui_screen(ui), SCREEN_ATTRACT);
    tap_at(fx, ui, 10, 10);
    tap_id(fx, ui, "home.activities");
    assert_null(first_with_prefix(ui, "activity.act-beweegclub-65."));
    assert_non_null(first_with_prefix(ui, "activity.act-handwerkcafe."));
    /* ... and back after unhiding. */
    assert_true(store_set_override(fx->store, "activity", "act-beweegclub-65", false, false));
    tap_id(fx, ui, "filter.week");
    assert_non_null(first_with_prefix(ui, "activity.act-beweegclub-65."));
    tap_id(fx, ui, "nav.home");
    advance(fx, ui, 200 * 1000);
    assert_int_equal(ui_screen(ui), SCREEN_ATTRACT);
    /* Without a PIN hash the gesture does nothing (and a hold is no tap). */
    free(fx->config->staff_pin_hash);
    fx->config->staff_pin_hash = NULL;
    hold(fx, ui, 30, 30, 5100);
    assert_int_equal(ui_screen(ui), SCREEN_ATTRACT);
    ui_free(ui);
}

/* Staff mode opens in staff.language (Dutch by default) whatever the
 * resident before chose, and leaving it gives the residents' first
 * language back. */
static void test_staff_opens_in_its_language(void **state)
{
    struct fixture *fx = *state;
    set_staff_pin(fx);
    char set[64], err[256];
    static const struct {
        const char *staff_language, *resident;
    } rows[] = {{"nl", "en"}, {"en", "nl"}, {"en", "en"}};
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        snprintf(set, sizeof set, "staff.language=%s", rows[i].staff_language);
        assert_true(config_set(fx->config, set, err, sizeof err));
        struct ui *ui = make_ui(fx, 1280, 800);
        tap_at(fx, ui, 10, 10);
        assert_true(ui_set_language(ui, rows[i].resident));
        hold(fx, ui, 30, 30, 5100);
        assert_int_equal(ui_screen(ui), SCREEN_STAFF_PIN);
        assert_string_equal(find(ui, "title")->label,
                            tr(fx->catalogs, rows[i].staff_language, "staff.title"));
        tap_id(fx, ui, "pin.cancel");
        assert_int_equal(ui_screen(ui), SCREEN_ATTRACT);
        tap_at(fx, ui, 10, 10);
        assert_int_equal(find(ui, "lang.nl")->checked, CHECKED_TRUE);
        ui_free(ui);
    }
}

static void test_opening_hours(void **state)
{
    struct fixture *fx = *state;
    char err[256];
    /* 2026-11-25 is a Wednesday; the fixture's clock says 10:00. */
    assert_true(config_set(fx->config, "display.schedule=mo-fr 13:00-17:00", err, sizeof err));
    struct ui *ui = make_ui(fx, 1280, 800);
    assert_int_equal(ui_screen(ui), SCREEN_OFF);
    assert_true(ui_is_dark(ui));
    ui_frame(ui);
    uint64_t built = ui_frames_built(ui);
    for (int i = 0; i < 600; i++) {
        clock_advance_ms(&fx->clock, 1000);
        ui_tick(ui);
        if (ui_needs_frame(ui))
            ui_frame(ui);
    }
    assert_int_equal(ui_frames_built(ui), built); /* ten dark minutes, no frames */
    tap_at(fx, ui, 500, 500);
    assert_int_equal(ui_screen(ui), SCREEN_ATTRACT);
    advance(fx, ui, 5 * 60 * 1000 + 1000);
    assert_int_equal(ui_screen(ui), SCREEN_OFF);
    /* At 13:00 it opens by itself. */
    int64_t now = clock_now_ms(&fx->clock);
    int64_t open = at("2026-11-25T13:00:00+01:00") * 1000;
    advance(fx, ui, open - now + 1000);
    assert_int_equal(ui_screen(ui), SCREEN_ATTRACT);
    assert_false(ui_is_dark(ui));
    ui_free(ui);
}

static void test_clock_not_plausible(void **state)
{
    struct fixture *fx = *state;
    /* A board without a real-time clock boots in 1970. */
    clock_init_manual(&fx->clock, 86400);
    struct ui *ui = make_ui(fx, 1280, 800);
    assert_string_equal(find(ui, "clock")->label, "tijd onbekend");
    ui_free(ui);
    clock_init_manual(&fx->clock, at("2026-11-25T10:00:00+01:00"));
    ui = make_ui(fx, 1280, 800);
    assert_string_equal(find(ui, "clock")->label, "woensdag 25 november, 10:00");
    ui_free(ui);
}


/* Runs sql on the kiosk's database from a connection of its own, as
 * another process (or a failing disk) would. */
static void exec_beside(struct fixture *fx, const char *sql)
{
    char path[128];
    snprintf(path, sizeof path, "%s/kiosk.db", fx->dir);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", sql, err ? err : "?");
    sqlite3_close(db);
}

/* Builders lay out the content they were given: with the store's tables
 * gone, the list still scrolls and draws. The next load fails, and the
 * screen says the cache could not be read, never "nothing this week". */
static void test_screens_draw_from_content(void **state)
{
    struct fixture *fx = *state;
    struct ui *ui = fx->ui;
    tap_at(fx, ui, 10, 10);
    tap_id(fx, ui, "home.activities");
    tap_id(fx, ui, "filter.all");
    const struct widget *first = first_with_prefix(ui, "activity.");
    assert_non_null(first);
    char first_id[256];
    snprintf(first_id, sizeof first_id, "%s", first->id);
    exec_beside(fx, "DROP TABLE occurrence; DROP TABLE activity;");
    /* A drag through the list: every frame built, from the content alone. */
    const struct widget *list = find(ui, "activities.list");
    int x = list->rect.x + list->rect.w / 2, y = list->rect.y + list->rect.h - 10;
    uint64_t built = ui_frames_built(ui);
    ui_touch_down(ui, x, y);
    for (int i = 1; i <= 10; i++) {
        advance(fx, ui, 16);
        ui_touch_move(ui, x, y - 40 * i);
        ui_frame(ui);
    }
    ui_touch_up(ui, x, y - 400);
    assert_true(ui_frames_built(ui) - built >= 10);
    assert_non_null(first_with_prefix(ui, "activity."));
    assert_null(find(ui, "empty"));

    tap_id(fx, ui, "filter.today");
    const struct widget *empty = find(ui, "empty");
    assert_non_null(empty);
    const char *unreadable = tr(fx->catalogs, "nl", "content.unreadable");
    assert_string_equal(empty->label, unreadable);
    assert_string_not_equal(unreadable, tr(fx->catalogs, "nl", "activities.empty"));
    assert_null(find(ui, first_id));
}

/* Listed on the current screen, shown or scrolled away. */
static bool listed(struct ui *ui, const char *title)
{
    struct rect item, viewport;
    return ui_locate(ui, title, &item, &viewport);
}

struct ready_flag {
    atomic_int calls;
};

static void on_ready(void *ctx)
{
    struct ready_flag *r = ctx;
    atomic_fetch_add(&r->calls, 1);
}

/* Waits (up to 10 s) for the loader's n-th callback, then lets the UI take
 * what it loaded. */
static void wait_loaded(struct ui *ui, struct ready_flag *r, int n)
{
    for (int i = 0; i < 1000 && atomic_load(&r->calls) < n; i++)
        nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
    assert_true(atomic_load(&r->calls) >= n);
    ui_tick(ui);
}

/* After a sync the new content loads on the loader's thread and is swapped
 * in whole; a load for a place the resident has left is thrown away and
 * asked again for where they are. */
static void test_content_loads_in_background(void **state)
{
    struct fixture *fx = *state;
    char path[128];
    snprintf(path, sizeof path, "%s/kiosk.db", fx->dir);
    struct ready_flag ready;
    atomic_init(&ready.calls, 0);
    struct ui_env env = {
        .store = fx->store, .config = fx->config, .catalogs = fx->catalogs,
        .clock = &fx->clock, .measure = measure, .db_path = path,
        .load_in_background = true, .content_ready = on_ready, .content_ctx = &ready,
    };
    struct ui *ui = ui_new(&env, 1280, 800);
    assert_non_null(ui);
    tap_at(fx, ui, 10, 10);
    tap_id(fx, ui, "home.activities");
    tap_id(fx, ui, "filter.all");
    assert_true(listed(ui, "Koffieochtend"));

    /* A sync renames an activity. */
    exec_beside(fx, "UPDATE activity SET title = json_object('nl', 'Koffie-inloop')"
                    " WHERE title LIKE '%Koffieochtend%'");
    ui_content_changed(ui);
    assert_true(ui_content_loading(ui));
    /* Until the new content is taken, the screen shows the old. */
    assert_true(listed(ui, "Koffieochtend"));
    wait_loaded(ui, &ready, 1);
    assert_false(ui_content_loading(ui));
    assert_true(listed(ui, "Koffie-inloop"));
    assert_false(listed(ui, "Koffieochtend"));

    /* The resident moves on while it loads: that load is not shown. */
    exec_beside(fx, "UPDATE activity SET title = json_object('nl', 'Koffie en thee')"
                    " WHERE title LIKE '%Koffie-inloop%'");
    ui_content_changed(ui);
    /* A tap with no tick in between, so that nothing is taken before it. */
    const struct widget *week = find(ui, "filter.week");
    int wx = week->rect.x + week->rect.w / 2, wy = week->rect.y + week->rect.h / 2;
    ui_touch_down(ui, wx, wy);
    ui_touch_up(ui, wx, wy);
    wait_loaded(ui, &ready, 2);
    assert_true(ui_content_loading(ui)); /* asked again, for this week */
    wait_loaded(ui, &ready, 3);
    assert_false(ui_content_loading(ui));
    assert_int_equal(find(ui, "filter.week")->checked, CHECKED_TRUE);
    assert_true(listed(ui, "Koffie en thee"));
    ui_free(ui);
}

/* Every catalog the build compiled has every key of Dutch (a draft marked
 * fuzzy counts: the build keeps it), keeps the {placeholders} of the Dutch
 * text, and names each offered language in that language's own words. */
static void test_catalogs_complete(void **state)
{
    (void)state;
    const char *langs[I18N_MAX_LANGUAGES];
    size_t n_langs = catalog_languages(langs, I18N_MAX_LANGUAGES - 1);
    assert_in_range(n_langs, 6, I18N_MAX_LANGUAGES - 1);
    char err[256];
    struct catalogs *c = catalogs_load(BK_CATALOG_DIR, langs, n_langs, err, sizeof err);
    if (!c)
        fail_msg("%s", err);
    static const char *const placeholders[] = {"{n}", "{name}", "{time}"};
    static const char *const keys[] = {"footer.updated", "idle.countdown", "places.left",
                                       "signup.done.bye", "staff.pin.locked"};
    for (size_t i = 0; i < n_langs; i++) {
        const char *missing[8];
        size_t n = catalogs_missing(c, langs[i], missing, 8);
        if (n)
            fail_msg("%s lacks %zu strings, first %s", langs[i], n, missing[0]);
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
            for (size_t p = 0; p < sizeof placeholders / sizeof placeholders[0]; p++)
                if (!strstr(tr(c, "nl", keys[k]), placeholders[p]) !=
                    !strstr(tr(c, langs[i], keys[k]), placeholders[p]))
                    fail_msg("%s: %s does not keep %s", langs[i], keys[k], placeholders[p]);
    }
    static const struct {
        const char *lang, *name;
    } own[] = {{"nl", "Nederlands"}, {"en", "English"}, {"tr", "Türkçe"},
               {"ar", "العربية"},   {"pl", "Polski"},  {"uk", "Українська"}};
    for (size_t i = 0; i < n_langs; i++)
        for (size_t o = 0; o < sizeof own / sizeof own[0]; o++) {
            char key[32];
            snprintf(key, sizeof key, "lang.name.%s", own[o].lang);
            assert_string_equal(tr(c, langs[i], key), own[o].name);
        }
    catalogs_free(c);
}

/* ---- the language choice, fallback notes, dump fields ---- */

/* Every catalog the build compiled, and the first n of them (and, past
 * them, made-up codes whose names fall back to the key, longer than any
 * real one) offered in ui.languages. */
static void offer_languages(struct fixture *fx, size_t n)
{
    static const char *const codes[] = {"nl", "en", "tr", "ar", "pl", "uk", "fy", "so"};
    assert_true(n <= sizeof codes / sizeof *codes);
    if (!fx->catalogs || !catalogs_has(fx->catalogs, "ar")) {
        const char *langs[I18N_MAX_LANGUAGES];
        size_t n_langs = catalog_languages(langs, I18N_MAX_LANGUAGES - 1);
        char err[256];
        struct catalogs *all = catalogs_load(BK_CATALOG_DIR, langs, n_langs, err, sizeof err);
        if (!all)
            fail_msg("%s", err);
        ui_free(fx->ui);
        fx->ui = NULL;
        catalogs_free(fx->catalogs);
        fx->catalogs = all;
    }
    struct string_list *l = &fx->config->ui_languages;
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    l->n = 0;
    for (size_t i = 0; i < n; i++) {
        l->items[i] = strdup(codes[i]);
        assert_non_null(l->items[i]);
        l->n++;
    }
}

static bool on_screen(struct rect r, int w, int h)
{
    return r.x >= 0 && r.y >= 0 && r.x + r.w <= w && r.y + r.h <= h;
}

/* The lang.CODE toggles of a frame: one per offered language, each at
 * least 44 x 44 and wholly on screen, the current language checked. */
static void check_language_toggles(struct fixture *fx, struct ui *ui, int w, int h, const char *where,
                                   const char *current)
{
    const struct string_list *l = &fx->config->ui_languages;
    for (size_t i = 0; i < l->n; i++) {
        char id[32];
        snprintf(id, sizeof id, "lang.%s", l->items[i]);
        const struct widget *t = find(ui, id);
        if (!t)
            fail_msg("%dx%d %s with %zu languages: no %s", w, h, where, l->n, id);
        if (t->role != ROLE_TOGGLE || !t->visible)
            fail_msg("%dx%d %s: %s is not a visible toggle", w, h, where, id);
        if (t->rect.w < THEME_MIN_TARGET || t->rect.h < THEME_MIN_TARGET || !on_screen(t->rect, w, h))
            fail_msg("%dx%d %s with %zu languages: %s is %dx%d at %d,%d", w, h, where, l->n, id,
                     t->rect.w, t->rect.h, t->rect.x, t->rect.y);
        if (t->clipped || t->text_overflows)
            fail_msg("%dx%d %s: the name on %s is cut", w, h, where, id);
        if (t->checked != (strcmp(l->items[i], current) == 0 ? CHECKED_TRUE : CHECKED_FALSE))
            fail_msg("%dx%d %s: %s checked wrongly", w, h, where, id);
        if (t->size <= 0)
            fail_msg("%dx%d %s: %s has no font size", w, h, where, id);
    }
}

/* However many languages are offered (1 to 8), at every size the tests
 * use: nothing on home is off screen, cut or on top of something else,
 * the title keeps its words, and every language is a full-size target;
 * attract offers each language too. */
static void test_languages_never_squeeze(void **state)
{
    struct fixture *fx = *state;
    static const int sizes[][2] = {{1080, 1920}, {1280, 800}, {800, 480}, {480, 800}, {1920, 1080}};
    for (size_t n = 1; n <= 8; n++) {
        offer_languages(fx, n);
        for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
            int w = sizes[s][0], h = sizes[s][1];
            struct ui *ui = make_ui(fx, w, h);
            assert_non_null(ui);
            check_layout(ui, w, h, "attract");
            check_language_toggles(fx, ui, w, h, "attract", "nl");
            /* The languages on attract stay clear of each other and of
             * what else attract shows (the screen widget holds them all). */
            const struct frame *f = ui_frame(ui);
            for (size_t i = 0; i < f->n_widgets; i++)
                for (size_t j = i + 1; j < f->n_widgets; j++) {
                    const struct widget *a = &f->widgets[i], *b = &f->widgets[j];
                    /* The screen holds them all; a list holds its rows. */
                    if (a->role == ROLE_SCREEN || b->role == ROLE_SCREEN ||
                        a->role == ROLE_LIST || b->role == ROLE_LIST)
                        continue;
                    /* What shows of each: a row half scrolled away is cut by its list. */
                    if (overlaps(a->clip, b->clip))
                        fail_msg("%dx%d attract, %zu languages: %s (%s) overlaps %s (%s)", w, h, n,
                                 a->id, a->label, b->id, b->label);
                }
            tap_at(fx, ui, w - 5, h / 2 + 7);
            assert_int_equal(ui_screen(ui), SCREEN_HOME);
            check_layout(ui, w, h, "home");
            check_language_toggles(fx, ui, w, h, "home", "nl");
            f = ui_frame(ui);
            const struct widget *title = find(ui, "title");
            assert_non_null(title);
            if (title->clipped)
                fail_msg("%dx%d home with %zu languages: the title is shortened", w, h, n);
            for (size_t i = 0; i < f->n_widgets; i++) {
                const struct widget *a = &f->widgets[i];
                if (!on_screen(a->rect, w, h))
                    fail_msg("%dx%d home with %zu languages: %s is off screen", w, h, n, a->id);
                for (size_t j = i + 1; j < f->n_widgets; j++)
                    if (overlaps(a->rect, f->widgets[j].rect))
                        fail_msg("%dx%d home with %zu languages: %s overlaps %s", w, h, n, a->id,
                                 f->widgets[j].id);
            }
            ui_free(ui);
        }
    }
}

/* A language chosen on attract opens home in that language. */
static void test_attract_language_opens_home(void **state)
{
    struct fixture *fx = *state;
    offer_languages(fx, 6);
    struct ui *ui = make_ui(fx, 1280, 800);
    assert_int_equal(ui_screen(ui), SCREEN_ATTRACT);
    const struct widget *ar = find(ui, "lang.ar");
    assert_non_null(ar);
    assert_string_equal(ar->label, "العربية");
    assert_true(ar->size > 0);
    tap_id(fx, ui, "lang.ar");
    assert_int_equal(ui_screen(ui), SCREEN_HOME);
    assert_int_equal(find(ui, "lang.ar")->checked, CHECKED_TRUE);
    assert_int_equal(find(ui, "lang.nl")->checked, CHECKED_FALSE);
    assert_string_equal(find(ui, "home.activities")->label, tr(fx->catalogs, "ar", "home.activities.title"));
    ui_free(ui);
    /* Elsewhere on attract is still "start": home in the first language. */
    ui = make_ui(fx, 1280, 800);
    tap_id(fx, ui, "attract");
    assert_int_equal(ui_screen(ui), SCREEN_HOME);
    assert_int_equal(find(ui, "lang.nl")->checked, CHECKED_TRUE);
    ui_free(ui);
}

/* On a detail screen that scrolls, nothing inside the list reaches under
 * its scrollbar (the bar's strip at the trailing edge): in Dutch the bar
 * stands at the right, in Arabic, mirrored, at the left. */
static void test_details_clear_of_scrollbar(void **state)
{
    struct fixture *fx = *state;
    offer_languages(fx, 6);
    static const char *const langs[] = {"lang.nl", "lang.ar"};
    for (size_t l = 0; l < 2; l++) {
        struct ui *ui = make_ui(fx, 1280, 800);
        tap_id(fx, ui, langs[l]);
        tap_id(fx, ui, "home.activities");
        tap_id(fx, ui, "filter.all");
        char id[256];
        snprintf(id, sizeof id, "%s", first_with_prefix(ui, "activity.")->id);
        tap_id(fx, ui, id);
        assert_int_equal(ui_screen(ui), SCREEN_ACTIVITY);
        const struct frame *f = ui_frame(ui);
        const struct widget *list = NULL;
        for (size_t i = 0; i < f->n_widgets && !list; i++)
            if (f->widgets[i].role == ROLE_LIST)
                list = &f->widgets[i];
        assert_non_null(list);
        int bar = 800 / 100;        /* the theme's unit: 1 % of the shorter side */
        bool rtl = l == 1;
        int inside = 0, lowest = 0;
        for (size_t i = 0; i < f->n_widgets; i++) {
            const struct widget *w = &f->widgets[i];
            if (w->list < 0 || &f->widgets[w->list] != list)
                continue;
            if (w->rect.y + w->rect.h > lowest)
                lowest = w->rect.y + w->rect.h;
            if (!w->visible)
                continue;
            inside++;
            bool clear = rtl ? w->rect.x >= list->rect.x + bar
                             : w->rect.x + w->rect.w <= list->rect.x + list->rect.w - bar;
            if (!clear)
                fail_msg("%s: %s at x %d..%d reaches under the scrollbar of %d..%d", langs[l],
                         w->id, w->rect.x, w->rect.x + w->rect.w, list->rect.x,
                         list->rect.x + list->rect.w);
        }
        assert_true(inside >= 3);
        /* It does scroll (content below the viewport): the test would
         * prove nothing otherwise. */
        assert_true(lowest > list->rect.y + list->rect.h);
        ui_free(ui);
    }
}

static bool drawn(const struct frame *f, const char *text)
{
    for (size_t i = 0; i < f->n_cmds; i++)
        if (f->cmds[i].op == DRAW_TEXT && f->cmds[i].text && strstr(f->cmds[i].text, text))
            return true;
    return false;
}

static size_t widgets_with_lang(const struct frame *f, const char *lang)
{
    size_t n = 0;
    for (size_t i = 0; i < f->n_widgets; i++)
        if (f->widgets[i].lang && strcmp(f->widgets[i].lang, lang) == 0)
            n++;
    return n;
}

/* The sample feed is in Dutch and English. An Arabic reader sees its
 * Dutch titles and texts followed by "(in Dutch)" in Arabic, and the
 * widgets say lang "nl"; in English or Dutch nothing says so. A list
 * item's label stays its title, so that a tap by label finds it. */
static void test_fallback_says_so(void **state)
{
    struct fixture *fx = *state;
    offer_languages(fx, 6);
    static const struct {
        const char *lang;
        bool falls_back;
    } rows[] = {{"ar", true}, {"uk", true}, {"en", false}, {"nl", false}};
    for (size_t r = 0; r < sizeof rows / sizeof *rows; r++) {
        struct ui *ui = make_ui(fx, 1280, 800);
        tap_at(fx, ui, 5, 400);
        assert_true(ui_set_language(ui, rows[r].lang));
        const char *note = tr(fx->catalogs, rows[r].lang, "feed.lang.nl");
        const char *where[] = {"activities", "activity", "services", "service", "announcements"};
        for (size_t k = 0; k < sizeof where / sizeof *where; k++) {
            if (k == 0)
                tap_id(fx, ui, "home.activities");
            else if (k == 1)
                tap_id(fx, ui, first_with_prefix(ui, "activity.")->id);
            else if (k == 2) {
                tap_id(fx, ui, "nav.home");
                tap_id(fx, ui, "home.services");
            } else if (k == 3)
                tap_id(fx, ui, first_with_prefix(ui, "service.")->id);
            else {
                tap_id(fx, ui, "nav.home");
                tap_id(fx, ui, "home.announcements");
            }
            const struct frame *f = ui_frame(ui);
            bool has_note = drawn(f, note);
            size_t marked = widgets_with_lang(f, "nl");
            if (rows[r].falls_back && (!has_note || marked == 0))
                fail_msg("%s %s: note drawn %d, %zu widgets with lang nl", rows[r].lang, where[k],
                         has_note, marked);
            if (!rows[r].falls_back && (has_note || marked || widgets_with_lang(f, "en")))
                fail_msg("%s %s: a note where every text is in place", rows[r].lang, where[k]);
            for (size_t i = 0; i < f->n_widgets; i++) {
                const struct widget *w = &f->widgets[i];
                if (w->role == ROLE_ITEM && strstr(w->label, note))
                    fail_msg("%s %s: the note is in %s's label", rows[r].lang, where[k], w->id);
            }
            if (k == 1 && rows[r].falls_back) {
                const struct widget *t = find(ui, "activity.title");
                assert_non_null(t);
                assert_string_equal(t->lang, "nl");
                assert_non_null(strstr(t->label, note));
            }
        }
        ui_free(ui);
    }
}

/* dump: clipped on every widget with words, size where a label is drawn,
 * lang only on a text that fell back. */
static void test_dump_fields(void **state)
{
    struct fixture *fx = *state;
    offer_languages(fx, 6);
    struct ui *ui = make_ui(fx, 1280, 800);
    tap_at(fx, ui, 5, 400);
    char *json = frame_dump_json(ui_frame(ui));
    assert_non_null(json);
    json_t *tree = json_loads(json, 0, NULL);
    free(json);
    assert_true(json_is_array(tree));
    size_t i;
    json_t *o;
    bool saw_lang_toggle = false;
    json_array_foreach(tree, i, o) {
        const char *id = json_string_value(json_object_get(o, "id"));
        assert_true(json_is_false(json_object_get(o, "clipped")));
        assert_null(json_object_get(o, "lang"));
        if (strncmp(id, "lang.", 5) == 0 || strcmp(id, "title") == 0 || strncmp(id, "a11y.", 5) == 0 ||
            strncmp(id, "home.", 5) == 0) {
            json_int_t size = json_integer_value(json_object_get(o, "size"));
            if (size < 16)
                fail_msg("%s: size %lld", id, (long long)size);
            saw_lang_toggle = saw_lang_toggle || strcmp(id, "lang.uk") == 0;
        }
        /* icon: the pictogram's Material name on the main choices only */
        const char *icon = json_string_value(json_object_get(o, "icon"));
        if (strcmp(id, "home.activities") == 0)
            assert_string_equal(icon, "event");
        else if (strcmp(id, "home.search") == 0)
            assert_string_equal(icon, "search");
        else if (strcmp(id, "a11y.large") == 0)
            assert_string_equal(icon, "text_increase");
        else if (strcmp(id, "title") == 0 || strncmp(id, "lang.", 5) == 0)
            assert_null(json_object_get(o, "icon"));
    }
    assert_true(saw_lang_toggle);
    json_decref(tree);
    /* In Arabic the activity list's items fell back to Dutch. */
    assert_true(ui_set_language(ui, "ar"));
    tap_id(fx, ui, "home.activities");
    json = frame_dump_json(ui_frame(ui));
    tree = json_loads(json, 0, NULL);
    free(json);
    size_t items = 0;
    json_array_foreach(tree, i, o) {
        if (strcmp(json_string_value(json_object_get(o, "role")), "item") != 0)
            continue;
        items++;
        assert_string_equal(json_string_value(json_object_get(o, "lang")), "nl");
        assert_true(json_is_boolean(json_object_get(o, "clipped")));
        assert_true(json_integer_value(json_object_get(o, "size")) > 0);
    }
    assert_true(items > 0);
    json_decref(tree);
    /* A text cut short says so. */
    struct frame f;
    frame_init(&f);
    frame_reset(&f, 100, 100);
    struct widget *w = frame_add_widget(&f, "x", ROLE_TEXT, "long", (struct rect){0, 0, 10, 10});
    w->clipped = true;
    w->size = 20;
    w->lang = "nl";
    w->icon = "home";
    json = frame_dump_json(&f);
    tree = json_loads(json, 0, NULL);
    free(json);
    o = json_array_get(tree, 0);
    assert_true(json_is_true(json_object_get(o, "clipped")));
    assert_int_equal(json_integer_value(json_object_get(o, "size")), 20);
    assert_string_equal(json_string_value(json_object_get(o, "lang")), "nl");
    assert_string_equal(json_string_value(json_object_get(o, "icon")), "home");
    json_decref(tree);
    frame_free(&f);
    ui_free(ui);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_walk_every_screen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_order_and_ids, setup, teardown),
        cmocka_unit_test_setup_teardown(test_language_switch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_idle_timeout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_frames_at_rest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kinetic_scroll, setup, teardown),
        cmocka_unit_test_setup_teardown(test_layout_at_every_size, setup, teardown),
        cmocka_unit_test_setup_teardown(test_logo, setup, teardown),
        cmocka_unit_test(test_contrast),
        cmocka_unit_test(test_rotation_round_trip),
        cmocka_unit_test_setup_teardown(test_catalogs_complete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signup_by_touch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_done_shows_the_hubs_answer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_done_pending_stays, setup, teardown),
        cmocka_unit_test_setup_teardown(test_done_within_lease, setup, teardown),
        cmocka_unit_test_setup_teardown(test_offline_offers_only_the_lease, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full_offers_the_next, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attract_invites, setup, teardown),
        cmocka_unit_test_setup_teardown(test_updated_says_when, setup, teardown),
        cmocka_unit_test_setup_teardown(test_now_open_and_today, setup, teardown),
        cmocka_unit_test_setup_teardown(test_consent_text_in_the_residents_language, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signup_not_stored_keeps_the_form, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyboard_never_covers_the_field, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyboard_follows_the_language, setup, teardown),
        cmocka_unit_test_setup_teardown(test_idle_wipes_the_form, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_signup_without_hub, setup, teardown),
        cmocka_unit_test_setup_teardown(test_staff_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_staff_opens_in_its_language, setup, teardown),
        cmocka_unit_test_setup_teardown(test_opening_hours, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clock_not_plausible, setup, teardown),
        cmocka_unit_test_setup_teardown(test_screens_draw_from_content, setup, teardown),
        cmocka_unit_test_setup_teardown(test_content_loads_in_background, setup, teardown),
        cmocka_unit_test_setup_teardown(test_languages_never_squeeze, setup, teardown),
        cmocka_unit_test_setup_teardown(test_details_clear_of_scrollbar, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attract_language_opens_home, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fallback_says_so, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dump_fields, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
