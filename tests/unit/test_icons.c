/*
 * The pictograms (view/icons.h) against the installed icon font: every
 * name in the compiled-in table has a glyph at its code point, and that
 * code point is the one the font itself gives the name. Material Icons
 * maps each name to its glyph by a ligature, so HarfBuzz shaping the name
 * must land on the same glyph as the code point: a wrong or stale code
 * point fails here, not on a kiosk. Then the drawing: a pictogram shows
 * in its colour, and a pointing one is mirrored in a right-to-left frame.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <SDL.h>
#include <SDL_ttf.h>
#include <hb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdl/fonts.h"
#include "sdl/render.h"
#include "view/frame.h"
#include "view/icons.h"
#include "view/theme.h"
#include "view/widgets.h"

struct fixture {
    struct font_set *fs;
    TTF_Font *ttf;
    hb_blob_t *blob;
    hb_face_t *face;
    hb_font_t *font;
};

static int setup(void **state)
{
    if (TTF_Init() != 0)
        return -1;
    struct fixture *fx = calloc(1, sizeof *fx);
    char err[256] = "";
    fx->fs = font_set_new(err, sizeof err);
    if (!fx->fs) {
        fprintf(stderr, "font_set_new: %s\n", err);
        return -1;
    }
    const char *path = font_set_icon_path(fx->fs);
    if (!path) {
        fprintf(stderr, "the icon font is not installed (fonts-material-design-icons-iconfont)\n");
        return -1;
    }
    fx->ttf = font_set_icon_font(fx->fs, ICON_MIN_PX);
    fx->blob = hb_blob_create_from_file(path);
    fx->face = hb_face_create(fx->blob, 0);
    fx->font = hb_font_create(fx->face);
    if (!fx->ttf || hb_face_get_glyph_count(fx->face) == 0)
        return -1;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    hb_font_destroy(fx->font);
    hb_face_destroy(fx->face);
    hb_blob_destroy(fx->blob);
    font_set_free(fx->fs);
    free(fx);
    TTF_Quit();
    return 0;
}

/* NULL when name and cp agree with the font, else what is wrong. */
static const char *check_icon(const struct fixture *fx, const char *name, uint32_t cp)
{
    if (!TTF_GlyphIsProvided32(fx->ttf, cp))
        return "the font has no glyph at the code point";
    hb_codepoint_t by_cp = 0;
    if (!hb_font_get_nominal_glyph(fx->font, cp, &by_cp))
        return "HarfBuzz finds no glyph at the code point";
    hb_buffer_t *buf = hb_buffer_create();
    hb_buffer_add_utf8(buf, name, -1, 0, -1);
    hb_buffer_guess_segment_properties(buf);
    hb_shape(fx->font, buf, NULL, 0);
    unsigned n = 0;
    const hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, &n);
    hb_codepoint_t by_name = n == 1 ? info[0].codepoint : 0;
    hb_buffer_destroy(buf);
    if (n != 1)
        return "the name is no ligature of the font";
    if (by_name != by_cp)
        return "the name's glyph is not the code point's";
    return NULL;
}

static void test_table_matches_font(void **state)
{
    const struct fixture *fx = *state;
    size_t n = 0;
    const struct icon *table = icon_table(&n);
    assert_true(n >= 20);
    for (size_t i = 0; i < n; i++) {
        const char *why = check_icon(fx, table[i].name, table[i].cp);
        if (why)
            fail_msg("%s (U+%04X): %s", table[i].name, (unsigned)table[i].cp, why);
        /* names are unique: icon_named finds each row itself */
        assert_ptr_equal(icon_named(table[i].name), &table[i]);
    }
}

/* The checker itself: right rows pass, and a wrong code point, an unknown
 * name or a code point without a glyph fail. */
static void test_check_catches_mistakes(void **state)
{
    const struct fixture *fx = *state;
    static const struct {
        const char *name;
        uint32_t cp;
        bool ok;
    } rows[] = {
        {"home", 0xe88a, true},
        {"arrow_back", 0xe5c4, true},
        {"touch_app", 0xe913, true},
        {"home", 0xe88b, false},            /* a neighbour's code point */
        {"search", 0xe88a, false},          /* another name's */
        {"not_an_icon_name", 0xe88a, false},
        {"home", 0xe000 - 1, false},        /* outside the font */
        {"", 0xe88a, false},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        const char *why = check_icon(fx, rows[i].name, rows[i].cp);
        if (rows[i].ok != (why == NULL))
            fail_msg("row %zu (%s U+%04X): expected %s, got %s", i, rows[i].name,
                     (unsigned)rows[i].cp, rows[i].ok ? "ok" : "a failure", why ? why : "ok");
    }
}

/* Every main choice has its pictogram (issue 11), and only a pointing one
 * is mirrored. */
static void test_main_choices_have_icons(void **state)
{
    (void)state;
    static const struct {
        const char *id, *icon;
    } rows[] = {
        {"nav.back", "arrow_back"},       {"nav.home", "home"},
        {"home.search", "search"},        {"home.activities", "event"},
        {"home.services", "help"},        {"home.announcements", "campaign"},
        {"attract.help", "help"},         {"a11y.contrast", "contrast"},
        {"a11y.large", "text_increase"},  {"a11y.speak", "record_voice_over"},
        {"a11y.volume", "volume_up"},     {"activity.signup", "how_to_reg"},
        {"topic.geldzaken", "euro"},      {"topic.wonen", "house"},
        {"topic.opvoeden", "child_care"}, {"topic.eenzaamheid", "groups"},
        {"topic.taal", "translate"},      {"topic.overig", "more_horiz"},
        {"filter.theme.other", "more_horiz"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        const struct icon *icon = icon_for_id(rows[i].id);
        if (!icon)
            fail_msg("%s has no pictogram", rows[i].id);
        assert_string_equal(icon->name, rows[i].icon);
    }
    /* every code of feed-v1 */
    static const char *const topics[] = {"mantelzorg", "geldzaken", "wonen", "opvoeden",
                                         "gezondheid", "eenzaamheid", "vrijwilligerswerk",
                                         "werk-inkomen", "taal", "veiligheid", "buurtinitiatief",
                                         "overig"};
    static const char *const themes[] = {"opgroeien-opvoeden", "kwetsbaarheid", "leefbaarheid",
                                         "other"};
    char id[64];
    for (size_t i = 0; i < sizeof topics / sizeof *topics; i++) {
        snprintf(id, sizeof id, "topic.%s", topics[i]);
        if (!icon_for_id(id))
            fail_msg("%s has no pictogram", id);
    }
    for (size_t i = 0; i < sizeof themes / sizeof *themes; i++) {
        snprintf(id, sizeof id, "filter.theme.%s", themes[i]);
        if (!icon_for_id(id))
            fail_msg("%s has no pictogram", id);
    }
    assert_null(icon_for_id("topic.nonsense"));
    assert_null(icon_for_id(""));
    assert_null(icon_for_id(NULL));
    assert_null(icon_named("nonsense"));
    assert_true(icon_named("arrow_back")->directional);
    assert_false(icon_named("home")->directional);
    assert_false(icon_named("search")->directional);
    /* never below 48 px, and larger with large text */
    for (int large = 0; large < 2; large++) {
        struct theme t;
        theme_for(&t, 800, 480, large, false);
        assert_true(icon_px(&t) >= ICON_MIN_PX);
        assert_true(t.button_h >= icon_px(&t));
        theme_for(&t, 1080, 1920, large, false);
        assert_true(icon_px(&t) >= ICON_MIN_PX);
        assert_true(t.button_h >= icon_px(&t));
    }
    struct theme normal, large;
    theme_for(&normal, 1080, 1920, false, false);
    theme_for(&large, 1080, 1920, true, false);
    assert_true(icon_px(&large) > icon_px(&normal));
}

/* ---- drawing ---- */

#define W 96
#define H 64

static SDL_Surface *draw_one(const char *name, bool rtl, struct rgba colour)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_RGB888);
    SDL_Renderer *sdl = s ? SDL_CreateSoftwareRenderer(s) : NULL;
    char err[256] = "";
    struct renderer *rd = sdl ? renderer_new(sdl, err, sizeof err) : NULL;
    assert_non_null(rd);
    struct frame f;
    frame_init(&f);
    frame_reset(&f, W, H);
    f.background = (struct rgba){255, 255, 255, 255};
    f.rtl = rtl;
    struct theme t;
    theme_for(&t, W, H, false, false);
    struct text_measurer m = {renderer_measure, rd, rtl};
    struct canvas c = {.f = &f, .t = &t, .m = &m, .clip = {0, 0, W, H}};
    /* centred, so that mirroring the frame does not move it */
    canvas_icon(&c, icon_named(name), (W - ICON_MIN_PX) / 2, (H - ICON_MIN_PX) / 2, ICON_MIN_PX,
                colour, (struct rect){0, 0, W, H});
    renderer_draw(rd, &f);
    SDL_RenderPresent(sdl);
    frame_free(&f);
    renderer_free(rd);
    SDL_DestroyRenderer(sdl);
    return s;
}

static uint32_t pixel(const SDL_Surface *s, int x, int y)
{
    return ((const uint32_t *)((const uint8_t *)s->pixels + y * s->pitch))[x] & 0xffffff;
}

/* How many pixels differ between a and b, b read mirrored when mirror. */
static int differing(const SDL_Surface *a, const SDL_Surface *b, bool mirror)
{
    int n = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            n += pixel(a, x, y) != pixel(b, mirror ? W - 1 - x : x, y);
    return n;
}

static void test_draw_and_mirror(void **state)
{
    (void)state;
    SDL_SetHintWithPriority(SDL_HINT_VIDEODRIVER, "dummy", SDL_HINT_OVERRIDE);
    assert_int_equal(SDL_Init(SDL_INIT_VIDEO), 0);
    const struct rgba red = {200, 30, 40, 255};
    SDL_Surface *ltr = draw_one("arrow_back", false, red);
    SDL_Surface *rtl = draw_one("arrow_back", true, red);
    SDL_Surface *home_ltr = draw_one("home", false, red);
    SDL_Surface *home_rtl = draw_one("home", true, red);
    /* drawn, in its colour */
    int inked = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            inked += pixel(ltr, x, y) == 0xc81e28;
    assert_true(inked > 100);
    /* an arrow points the other way in a right-to-left frame: exactly the
     * mirror image, and not the same picture */
    assert_true(differing(ltr, rtl, false) > 100);
    assert_int_equal(differing(ltr, rtl, true), 0);
    /* a house is not mirrored */
    assert_int_equal(differing(home_ltr, home_rtl, false), 0);
    SDL_FreeSurface(ltr);
    SDL_FreeSurface(rtl);
    SDL_FreeSurface(home_ltr);
    SDL_FreeSurface(home_rtl);
    SDL_Quit();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_matches_font),
        cmocka_unit_test(test_check_catches_mistakes),
        cmocka_unit_test(test_main_choices_have_icons),
        cmocka_unit_test(test_draw_and_mirror),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
