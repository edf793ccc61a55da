/*
 * The SDL layer's drawing, without a display: SDL's dummy video driver and
 * the software renderer on an RGB888 surface, the set-up of --headless and
 * of the golden images. Frames are built by hand with frame_add_cmd(), so
 * that these tests pin the renderer, not the layout.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <SDL.h>
#include <SDL_image.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "view/frame.h"
#include "view/rotate.h"
#include "sdl/images.h"
#include "sdl/measure_cache.h"
#include "sdl/render.h"
#include "sdl/window.h"

#define W 320
#define H 200

static const struct rgba WHITE = {255, 255, 255, 255};
static const struct rgba BLACK = {0, 0, 0, 255};
static const struct rgba RED = {200, 30, 40, 255};
static const struct rgba BLUE = {20, 60, 180, 255};
static const struct rgba GREEN = {30, 140, 60, 255};

struct fixture {
    SDL_Surface *surface;
    SDL_Renderer *sdl;
    struct renderer *rd;
    struct frame frame;
};

static int setup(void **state)
{
    SDL_SetHintWithPriority(SDL_HINT_VIDEODRIVER, "dummy", SDL_HINT_OVERRIDE);
    if (SDL_Init(SDL_INIT_VIDEO) != 0)
        return -1;
    struct fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    fx->surface = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_RGB888);
    fx->sdl = fx->surface ? SDL_CreateSoftwareRenderer(fx->surface) : NULL;
    char err[256] = "";
    fx->rd = fx->sdl ? renderer_new(fx->sdl, err, sizeof err) : NULL;
    if (!fx->rd) {
        fprintf(stderr, "renderer_new: %s\n", err);
        return -1;
    }
    frame_init(&fx->frame);
    frame_reset(&fx->frame, W, H);
    fx->frame.background = WHITE;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    if (fx) {
        frame_free(&fx->frame);
        renderer_free(fx->rd);
        if (fx->sdl)
            SDL_DestroyRenderer(fx->sdl);
        SDL_FreeSurface(fx->surface);
        free(fx);
    }
    SDL_Quit();
    return 0;
}

static void render(struct fixture *fx)
{
    /* Paint the surface first so that a background that is not drawn
     * would show. */
    SDL_FillRect(fx->surface, NULL, SDL_MapRGB(fx->surface->format, 1, 2, 3));
    renderer_draw(fx->rd, &fx->frame);
    SDL_RenderFlush(fx->sdl);
}

static struct rgba px(const struct fixture *fx, int x, int y)
{
    const Uint8 *row = (const Uint8 *)fx->surface->pixels + (size_t)y * (size_t)fx->surface->pitch;
    Uint32 v;
    memcpy(&v, row + (size_t)x * 4, 4);
    struct rgba c;
    SDL_GetRGBA(v, fx->surface->format, &c.r, &c.g, &c.b, &c.a);
    return c;
}

static bool same_rgb(struct rgba a, struct rgba b)
{
    return a.r == b.r && a.g == b.g && a.b == b.b;
}

#define assert_colour(fx, x, y, want)                                                         \
    do {                                                                                     \
        struct rgba got_ = px(fx, x, y);                                                     \
        if (!same_rgb(got_, want))                                                           \
            fail_msg("pixel (%d,%d) is %d,%d,%d, want %d,%d,%d", x, y, got_.r, got_.g,       \
                     got_.b, (want).r, (want).g, (want).b);                                  \
    } while (0)

static struct draw_cmd *add_rect(struct frame *f, int x, int y, int w, int h, struct rgba c,
                                 int radius)
{
    struct draw_cmd *cmd = frame_add_cmd(f, DRAW_RECT, (struct rect){x, y, w, h});
    assert_non_null(cmd);
    cmd->colour = c;
    cmd->radius = radius;
    return cmd;
}

static struct draw_cmd *add_text(struct frame *f, int x, int y, const char *text, int font_px,
                                 struct rgba c)
{
    struct draw_cmd *cmd = frame_add_cmd(f, DRAW_TEXT, (struct rect){x, y, 0, 0});
    assert_non_null(cmd);
    cmd->text = frame_strdup(f, text, SIZE_MAX);
    cmd->font_px = font_px;
    cmd->colour = c;
    return cmd;
}

/* Something of everything, as a screen would have it. */
static void build_mixed(struct frame *f)
{
    add_rect(f, 10, 10, 100, 50, RED, 0);
    add_rect(f, 150, 10, 100, 60, BLUE, 16);
    struct draw_cmd *c = add_rect(f, 0, 100, 320, 100, GREEN, 0);
    c->clip = (struct rect){0, 100, 160, 100};
    struct draw_cmd *o = frame_add_cmd(f, DRAW_FRAME, (struct rect){10, 70, 80, 20});
    o->thickness = 2;
    o->colour = BLACK;
    o = frame_add_cmd(f, DRAW_FRAME, (struct rect){200, 120, 100, 60});
    o->thickness = 3;
    o->radius = 12;
    o->colour = BLUE;
    add_text(f, 20, 130, "Koffieochtend", 20, WHITE);
    c = add_text(f, 20, 160, "in De Nieuwe Sleutel", 16, BLACK);
    c->weight = FONT_BOLD;
    c->clip = (struct rect){20, 160, 60, 30};
    add_rect(f, 120, 20, 60, 60, (struct rgba){0, 0, 0, 128}, 10);
}

static void test_measure(void **state)
{
    struct fixture *fx = *state;
    int w20 = renderer_measure(fx->rd, "Koffie", 6, 20, FONT_REGULAR, false);
    int w40 = renderer_measure(fx->rd, "Koffie", 6, 40, FONT_REGULAR, false);
    int b20 = renderer_measure(fx->rd, "Koffie", 6, 20, FONT_BOLD, false);
    assert_true(w20 > 0);
    assert_true(w40 > w20);
    assert_true(b20 > w20);
    /* len counts, not the NUL: a prefix measures as the word alone. */
    assert_int_equal(renderer_measure(fx->rd, "Koffieochtend", 6, 20, FONT_REGULAR, false), w20);
    assert_int_equal(renderer_measure(fx->rd, "", 0, 20, FONT_REGULAR, false), 0);
    /* Out-of-range sizes are clamped, not refused. */
    assert_int_equal(renderer_measure(fx->rd, "Koffie", 6, 1000, FONT_REGULAR, false),
                     renderer_measure(fx->rd, "Koffie", 6, RENDER_FONT_PX_MAX, FONT_REGULAR, false));
    assert_true(renderer_measure(fx->rd, "Koffie", 6, 1, FONT_REGULAR, false) > 0);
    /* Longer than the stack buffer. */
    char long_text[2000];
    memset(long_text, 'a', sizeof long_text);
    assert_true(renderer_measure(fx->rd, long_text, sizeof long_text, 10, FONT_REGULAR, false) >
                renderer_measure(fx->rd, long_text, 100, 10, FONT_REGULAR, false));
    /* The core assumes a line is font_px * 6 / 5 high; the font must not
     * be taller than that or lines would overlap. */
    for (int size = RENDER_FONT_PX_MIN; size <= RENDER_FONT_PX_MAX; size++)
        assert_true(renderer_text_height(fx->rd, size, FONT_REGULAR) <= size * 6 / 5 + 1);
}

/* What is measured is what is drawn: the ink of black text on white ends
 * within the measured width. */
static void test_measure_matches_drawing(void **state)
{
    struct fixture *fx = *state;
    add_text(&fx->frame, 0, 0, "Koffie", 40, BLACK);
    render(fx);
    int width = renderer_measure(fx->rd, "Koffie", 6, 40, FONT_REGULAR, false);
    int rightmost = -1;
    for (int y = 0; y < 60; y++)
        for (int x = 0; x < W; x++)
            if (!same_rgb(px(fx, x, y), WHITE) && x > rightmost)
                rightmost = x;
    assert_true(rightmost > width - 8);
    assert_true(rightmost < width);
}

/* Every script the feed may carry is drawn with a face that has it,
 * looked up only when text needs it. */
static void test_scripts_have_fonts(void **state)
{
    struct fixture *fx = *state;
    assert_int_equal(renderer_fonts_open(fx->rd), 2);
    static const char *titles[] = {
        "Koffieochtend",            /* Dutch */
        "Ayşe Yılmaz, İstanbul ğ",  /* Turkish */
        "Łucja Wiśniewska żźćńąę",  /* Polish */
        "Оксана Коваленко ї є ґ",   /* Ukrainian */
        "صباح القهوة",              /* Arabic */
        "ቡና ሰዓት",                  /* Tigrinya, in Ethiopic */
        "Καφές",                    /* Greek */
    };
    for (size_t i = 0; i < sizeof titles / sizeof *titles; i++)
        for (int w = 0; w < 2; w++) {
            unsigned cp = renderer_missing_glyph(fx->rd, titles[i], w ? FONT_BOLD : FONT_REGULAR);
            if (cp)
                fail_msg("\"%s\": no font draws U+%04X", titles[i], cp);
        }
    /* Arabic and Ethiopic brought their faces in, in both weights. */
    assert_true(renderer_fonts_open(fx->rd) >= 6);
    /* A private-use character no installed font has is reported. */
    assert_int_equal(renderer_missing_glyph(fx->rd, "a\xEE\x80\x80", FONT_REGULAR), 0xE000);
    /* Formatting characters draw nothing and are not missing. */
    assert_int_equal(renderer_missing_glyph(fx->rd, "\xE2\x81\xA8x\xE2\x81\xA9\xE2\x80\x8F",
                                            FONT_REGULAR),
                     0);
}

/* Arabic letters join: a word is not as wide as its letters alone, and
 * lam + alef become one ligature narrower than the two. */
static void test_arabic_is_shaped(void **state)
{
    struct fixture *fx = *state;
    const char *letters[] = {"ص", "ب", "ا", "ح"};
    int sum = 0;
    for (size_t i = 0; i < 4; i++)
        sum += renderer_measure(fx->rd, letters[i], strlen(letters[i]), 40, FONT_REGULAR, true);
    int word = renderer_measure(fx->rd, "صباح", strlen("صباح"), 40, FONT_REGULAR, true);
    assert_true(word > 0);
    assert_int_not_equal(word, sum);
    int lam = renderer_measure(fx->rd, "ل", strlen("ل"), 40, FONT_REGULAR, true);
    int alef = renderer_measure(fx->rd, "ا", strlen("ا"), 40, FONT_REGULAR, true);
    int lam_alef = renderer_measure(fx->rd, "لا", strlen("لا"), 40, FONT_REGULAR, true);
    assert_true(lam_alef < lam + alef);
}

/* In a right-to-left line a Latin name stands at the left: the first
 * columns of "قهوة Koffie" are those of "Koffie" alone (to a rounding
 * step). A mixed line is drawn as wide as it measures. */
static void test_mixed_line_order(void **state)
{
    struct fixture *fx = *state;
    const char *mixed = "قهوة Koffie";
    int koffie = renderer_measure(fx->rd, "Koffie", 6, 30, FONT_REGULAR, true);
    int whole = renderer_measure(fx->rd, mixed, strlen(mixed), 30, FONT_REGULAR, true);
    assert_true(whole > koffie + 20);

    fx->frame.rtl = true;
    add_text(&fx->frame, 0, 0, "Koffie", 30, BLACK);
    add_text(&fx->frame, 0, 60, mixed, 30, BLACK);
    render(fx);
    int differ = 0, ink = 0, rightmost = -1;
    for (int y = 0; y < 40; y++)
        for (int x = 0; x < koffie - 2; x++) {
            struct rgba a = px(fx, x, y), b = px(fx, x, y + 60);
            /* Composing pieces rounds a blended edge by a step or two. */
            differ += abs(a.r - b.r) > 2 || abs(a.g - b.g) > 2 || abs(a.b - b.b) > 2;
            ink += !same_rgb(a, WHITE);
        }
    for (int y = 50; y < 110; y++)
        for (int x = 0; x < W; x++)
            if (!same_rgb(px(fx, x, y), WHITE) && x > rightmost)
                rightmost = x;
    assert_true(ink > 100);
    assert_int_equal(differ, 0);
    assert_true(rightmost > whole - 8 && rightmost < whole + 2);
}

/* Widths are remembered per line, size, weight and direction, and the
 * table empties itself before it overflows. */
static void test_measure_cache(void **state)
{
    (void)state;
    struct measure_cache *mc = measure_cache_new();
    assert_non_null(mc);
    assert_int_equal(measure_cache_get(mc, "Koffie", 6, 20, FONT_REGULAR, false), -1);
    measure_cache_put(mc, "Koffie", 6, 20, FONT_REGULAR, false, 61);
    assert_int_equal(measure_cache_get(mc, "Koffie", 6, 20, FONT_REGULAR, false), 61);
    assert_int_equal(measure_cache_get(mc, "Koffie", 6, 20, FONT_BOLD, false), -1);
    assert_int_equal(measure_cache_get(mc, "Koffie", 6, 21, FONT_REGULAR, false), -1);
    assert_int_equal(measure_cache_get(mc, "Koffie", 6, 20, FONT_REGULAR, true), -1);
    assert_int_equal(measure_cache_get(mc, "Koffi", 5, 20, FONT_REGULAR, false), -1);
    char text[32];
    for (int i = 0; i < MEASURE_CACHE_SLOTS; i++) {
        int n = snprintf(text, sizeof text, "line %d", i);
        measure_cache_put(mc, text, (size_t)n, 20, FONT_REGULAR, false, i);
    }
    struct measure_cache_stats st;
    measure_cache_stats(mc, &st);
    assert_true(st.clears >= 1);
    assert_true(st.entries <= MEASURE_CACHE_SLOTS * 3 / 4);
    int n = snprintf(text, sizeof text, "line %d", MEASURE_CACHE_SLOTS - 1);
    assert_int_equal(measure_cache_get(mc, text, (size_t)n, 20, FONT_REGULAR, false),
                     MEASURE_CACHE_SLOTS - 1);
    measure_cache_free(mc);
}

static void test_deterministic(void **state)
{
    struct fixture *fx = *state;
    build_mixed(&fx->frame);
    size_t n = (size_t)fx->surface->pitch * H;
    unsigned char *first = malloc(n);
    assert_non_null(first);
    render(fx);
    memcpy(first, fx->surface->pixels, n);
    render(fx);   /* warm cache: copies textures instead of rendering text */
    assert_memory_equal(first, fx->surface->pixels, n);

    /* A new renderer (cold cache, fonts opened anew) draws the same bytes. */
    renderer_free(fx->rd);
    char err[256];
    fx->rd = renderer_new(fx->sdl, err, sizeof err);
    assert_non_null(fx->rd);
    render(fx);
    assert_memory_equal(first, fx->surface->pixels, n);
    free(first);
}

static void test_rects_and_clips(void **state)
{
    struct fixture *fx = *state;
    build_mixed(&fx->frame);
    render(fx);
    assert_colour(fx, 0, 0, WHITE);          /* background */
    assert_colour(fx, 10, 10, RED);          /* a rect's corners are inside */
    assert_colour(fx, 109, 59, RED);
    assert_colour(fx, 110, 59, WHITE);       /* and its right edge is exclusive */
    assert_colour(fx, 109, 60, WHITE);
    assert_colour(fx, 100, 150, GREEN);      /* inside the clip */
    assert_colour(fx, 159, 150, GREEN);
    assert_colour(fx, 160, 150, WHITE);      /* right of the clip */
    assert_colour(fx, 200, 105, WHITE);
    /* outline: the border is drawn, the inside is not */
    assert_colour(fx, 10, 70, BLACK);
    assert_colour(fx, 11, 71, BLACK);
    assert_colour(fx, 12, 72, WHITE);
    assert_colour(fx, 89, 89, BLACK);
    assert_colour(fx, 50, 80, WHITE);
    assert_colour(fx, 50, 71, BLACK);
    assert_colour(fx, 50, 72, WHITE);
}

static void test_rounded_corners(void **state)
{
    struct fixture *fx = *state;
    add_rect(&fx->frame, 150, 10, 100, 60, BLUE, 16);
    render(fx);
    /* The outermost pixel of every corner is background. */
    assert_colour(fx, 150, 10, WHITE);
    assert_colour(fx, 249, 10, WHITE);
    assert_colour(fx, 150, 69, WHITE);
    assert_colour(fx, 249, 69, WHITE);
    /* The straight edges start where the corners end. */
    assert_colour(fx, 166, 10, BLUE);
    assert_colour(fx, 233, 10, BLUE);
    assert_colour(fx, 150, 26, BLUE);
    assert_colour(fx, 249, 53, BLUE);
    /* Well inside the corner's circle: full colour. */
    assert_colour(fx, 156, 16, BLUE);
    /* The curve is anti-aliased: somewhere along the diagonal a pixel is
     * neither background nor the colour, and between them. */
    bool blended = false;
    for (int d = 0; d < 16; d++) {
        struct rgba c = px(fx, 150 + d, 10 + d);
        if (!same_rgb(c, WHITE) && !same_rgb(c, BLUE)) {
            blended = true;
            assert_true(c.r <= WHITE.r && c.r >= BLUE.r);
            assert_true(c.b <= WHITE.b && c.b >= BLUE.b);
        }
    }
    assert_true(blended);
    /* Symmetric: mirrored pixels of the four corners are equal. */
    for (int i = 0; i < 16; i++)
        for (int j = 0; j < 16; j++) {
            struct rgba a = px(fx, 150 + j, 10 + i);
            assert_true(same_rgb(a, px(fx, 249 - j, 10 + i)));
            assert_true(same_rgb(a, px(fx, 150 + j, 69 - i)));
            assert_true(same_rgb(a, px(fx, 249 - j, 69 - i)));
        }
}

/* Translucent shapes: every pixel is blended once, never twice where the
 * pieces of a rounded shape or an outline meet. */
static void test_translucent_no_overlap(void **state)
{
    struct fixture *fx = *state;
    struct rgba half = {0, 0, 0, 128};
    add_rect(&fx->frame, 10, 10, 80, 60, half, 20);
    struct draw_cmd *o = frame_add_cmd(&fx->frame, DRAW_FRAME, (struct rect){110, 10, 80, 60});
    o->colour = half;
    o->radius = 12;
    o->thickness = 5;
    o = frame_add_cmd(&fx->frame, DRAW_FRAME, (struct rect){210, 10, 80, 60});
    o->colour = half;
    o->radius = 3;
    o->thickness = 9;  /* thicker than the radius */
    o = frame_add_cmd(&fx->frame, DRAW_FRAME, (struct rect){10, 100, 80, 60});
    o->colour = half;
    o->thickness = 4;  /* square */
    render(fx);
    int once = px(fx, 50, 40).r;    /* the middle of the filled shape */
    assert_in_range(once, 126, 128);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            if (px(fx, x, y).r < once)
                fail_msg("pixel (%d,%d) was blended twice: %d < %d", x, y, px(fx, x, y).r,
                         once);
    assert_int_equal(px(fx, 112, 40).r, once);   /* the outline's left side */
    assert_int_equal(px(fx, 150, 40).r, 255);    /* its hole */
    assert_int_equal(px(fx, 150, 12).r, once);   /* its top */
    assert_int_equal(px(fx, 218, 18).r, once);   /* thick outline's inner corner */
    assert_int_equal(px(fx, 219, 19).r, 255);
}

static void test_text_clip(void **state)
{
    struct fixture *fx = *state;
    const char *text = "Koffieochtend in De Nieuwe Sleutel";
    struct draw_cmd *c = add_text(&fx->frame, 20, 50, text, 24, BLACK);
    render(fx);
    /* Unclipped, the text has ink right of x = 80. */
    int ink = 0;
    for (int y = 50; y < 80; y++)
        for (int x = 80; x < W; x++)
            ink += !same_rgb(px(fx, x, y), WHITE);
    assert_true(ink > 50);

    c->clip = (struct rect){20, 50, 60, 30};
    render(fx);
    int inside = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            bool in = x >= 20 && x < 80 && y >= 50 && y < 80;
            if (!in)
                assert_colour(fx, x, y, WHITE);
            else
                inside += !same_rgb(px(fx, x, y), WHITE);
        }
    assert_true(inside > 20);
}

static void test_skips_and_empty(void **state)
{
    struct fixture *fx = *state;
    struct draw_cmd *c = add_rect(&fx->frame, 0, 0, W, H, RED, 0);
    c->clip = (struct rect){10, 10, 0, 0};     /* empty: SDL would not clip at all */
    c = add_rect(&fx->frame, 0, 0, W, H, RED, 0);
    c->clip = (struct rect){400, 0, 50, 50};   /* off the frame */
    add_rect(&fx->frame, 5, 5, 0, 10, RED, 4);
    add_rect(&fx->frame, 5, 5, 10, -3, RED, 0);
    add_text(&fx->frame, 5, 5, "", 20, RED);
    add_text(&fx->frame, 5, 5, "invisible", 20, (struct rgba){255, 0, 0, 0});
    c = add_text(&fx->frame, 5, 500, "below the frame", 20, RED);
    render(fx);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            assert_colour(fx, x, y, WHITE);
    struct render_cache_stats st;
    renderer_cache_stats(fx->rd, &st);
    assert_int_equal(st.misses, 0);            /* nothing off screen was rendered */
}

/* ---- pictures ---- */

static const struct rgba LOGO_ORANGE = {242, 169, 0, 255};
static const struct rgba LOGO_BLUE = {20, 80, 110, 255};

static void data_path(char *buf, size_t n, const char *name)
{
    const char *data = getenv("BK_TEST_DATA");
    if (!data)
        fail_msg("BK_TEST_DATA is not set (run through ctest)");
    snprintf(buf, n, "%s/%s", data, name);
}

static struct draw_cmd *add_image(struct frame *f, struct rect r, const char *path)
{
    struct draw_cmd *cmd = frame_add_cmd(f, DRAW_IMAGE, r);
    assert_non_null(cmd);
    cmd->image = frame_strdup(f, path, SIZE_MAX);
    return cmd;
}

static bool near_rgb(struct rgba a, struct rgba b, int tolerance)
{
    return abs(a.r - b.r) <= tolerance && abs(a.g - b.g) <= tolerance &&
           abs(a.b - b.b) <= tolerance;
}

#define assert_near(fx, x, y, want, tol)                                                      \
    do {                                                                                     \
        struct rgba got_ = px(fx, x, y);                                                     \
        if (!near_rgb(got_, want, tol))                                                      \
            fail_msg("pixel (%d,%d) is %d,%d,%d, want %d,%d,%d +-%d", x, y, got_.r, got_.g,  \
                     got_.b, (want).r, (want).g, (want).b, tol);                             \
    } while (0)

/* tests/data/logo.png is 240x120: an orange roof over a blue house with an
 * orange door, a blue ring round an orange dot, the rest transparent. */
static void test_image_png(void **state)
{
    struct fixture *fx = *state;
    char path[512], err[512] = "";
    data_path(path, sizeof path, "logo.png");
    int w = 0, h = 0;
    assert_true(renderer_load_image(fx->rd, path, &w, &h, err, sizeof err));
    assert_int_equal(w, 240);
    assert_int_equal(h, 120);

    /* At half size, where the core asks for exactly the picture's shape. */
    fx->frame.background = GREEN;
    add_image(&fx->frame, (struct rect){10, 10, 120, 60}, path);
    /* Wider than the picture: it is centred at 80x40 in x 70..150. */
    add_image(&fx->frame, (struct rect){10, 120, 200, 40}, path);
    /* A file never loaded draws nothing. */
    add_image(&fx->frame, (struct rect){220, 10, 90, 90}, "/nonexistent/logo.png");
    render(fx);
    assert_colour(fx, 10 + 35, 10 + 22, LOGO_ORANGE);   /* roof: (70, 45) halved */
    assert_colour(fx, 10 + 22, 10 + 45, LOGO_BLUE);     /* wall: (45, 90) */
    assert_colour(fx, 10 + 35, 10 + 50, LOGO_ORANGE);   /* door: (70, 100) */
    assert_colour(fx, 10 + 90, 10 + 32, LOGO_ORANGE);   /* dot: (180, 65) */
    assert_colour(fx, 10 + 2, 10 + 2, WHITE);           /* transparent shows as white */
    assert_colour(fx, 10 + 119, 10 + 59, WHITE);
    assert_colour(fx, 10 + 120, 10 + 30, GREEN);        /* just outside */
    assert_colour(fx, 9, 10 + 30, GREEN);
    assert_colour(fx, 69, 140, GREEN);                  /* left of the centred copy */
    assert_colour(fx, 70, 140, WHITE);
    assert_colour(fx, 149, 140, WHITE);
    assert_colour(fx, 150, 140, GREEN);
    assert_colour(fx, 70 + 60, 120 + 22, LOGO_ORANGE);  /* its dot: (180, 65) / 3 */
    for (int y = 10; y < 100; y++)
        for (int x = 220; x < 310; x++)
            assert_colour(fx, x, y, GREEN);

    /* After a device reset the textures are made again, the same. */
    Uint8 before[4];
    memcpy(before, (Uint8 *)fx->surface->pixels + 32 * fx->surface->pitch + 45 * 4, 4);
    renderer_cache_clear(fx->rd);
    render(fx);
    assert_memory_equal(before, (Uint8 *)fx->surface->pixels + 32 * fx->surface->pitch + 45 * 4,
                        4);
    assert_colour(fx, 10 + 90, 10 + 32, LOGO_ORANGE);
}

static void test_image_jpeg_and_large(void **state)
{
    struct fixture *fx = *state;
    char path[512], err[512] = "";
    data_path(path, sizeof path, "logo.png");
    char dir[] = "/tmp/bk-render-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char jpeg[128], big[128], huge[128], broken[128];
    snprintf(jpeg, sizeof jpeg, "%s/logo.jpg", dir);
    snprintf(big, sizeof big, "%s/big.png", dir);
    snprintf(huge, sizeof huge, "%s/huge.png", dir);
    snprintf(broken, sizeof broken, "%s/broken.png", dir);

    /* A JPEG of the logo, as a photo editor would save it. */
    SDL_Surface *logo = IMG_Load(path);
    assert_non_null(logo);
    SDL_Surface *opaque = SDL_CreateRGBSurfaceWithFormat(0, logo->w, logo->h, 32,
                                                         SDL_PIXELFORMAT_RGB888);
    assert_non_null(opaque);
    SDL_FillRect(opaque, NULL, SDL_MapRGB(opaque->format, 255, 255, 255));
    assert_int_equal(SDL_BlitSurface(logo, NULL, opaque, NULL), 0);
    assert_int_equal(IMG_SaveJPG(opaque, jpeg, 95), 0);
    SDL_FreeSurface(opaque);
    SDL_FreeSurface(logo);
    int w = 0, h = 0;
    assert_true(renderer_load_image(fx->rd, jpeg, &w, &h, err, sizeof err));
    assert_int_equal(w, 240);
    assert_int_equal(h, 120);

    /* 3000x1500 is kept halved twice, at 750x375: a quarter on each side
     * blue, the rest orange, so the halvings can be seen to average. */
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, 3000, 1500, 32, SDL_PIXELFORMAT_RGB888);
    assert_non_null(s);
    SDL_FillRect(s, NULL, SDL_MapRGB(s->format, LOGO_ORANGE.r, LOGO_ORANGE.g, LOGO_ORANGE.b));
    SDL_FillRect(s, &(SDL_Rect){0, 0, 750, 1500},
                 SDL_MapRGB(s->format, LOGO_BLUE.r, LOGO_BLUE.g, LOGO_BLUE.b));
    assert_int_equal(IMG_SavePNG(s, big), 0);
    SDL_FreeSurface(s);
    assert_true(renderer_load_image(fx->rd, big, &w, &h, err, sizeof err));
    assert_int_equal(w, 750);
    assert_int_equal(h, 375);

    add_image(&fx->frame, (struct rect){0, 0, 160, 80}, jpeg);
    add_image(&fx->frame, (struct rect){0, 100, 200, 100}, big);
    render(fx);
    assert_near(fx, 35, 22, LOGO_ORANGE, 12);   /* the roof, through JPEG's loss */
    assert_near(fx, 24, 62, LOGO_BLUE, 12);     /* the wall */
    assert_colour(fx, 20, 150, LOGO_BLUE);      /* from 3000 px down to 200 */
    assert_colour(fx, 120, 150, LOGO_ORANGE);

    /* Too large to decode for a logo, and a broken file: refused, named. */
    s = SDL_CreateRGBSurfaceWithFormat(0, 4097, 2, 32, SDL_PIXELFORMAT_RGB888);
    assert_non_null(s);
    assert_int_equal(IMG_SavePNG(s, huge), 0);
    SDL_FreeSurface(s);
    assert_false(renderer_load_image(fx->rd, huge, &w, &h, err, sizeof err));
    assert_non_null(strstr(err, "4097x2"));
    assert_non_null(strstr(err, huge));
    FILE *f = fopen(broken, "wb");
    assert_non_null(f);
    fputs("\x89PNG\r\n\x1a\n but nothing a decoder wants", f);
    fclose(f);
    assert_false(renderer_load_image(fx->rd, broken, &w, &h, err, sizeof err));
    assert_non_null(strstr(err, "cannot decode"));
    assert_non_null(strstr(err, broken));

    unlink(jpeg);
    unlink(big);
    unlink(huge);
    unlink(broken);
    rmdir(dir);
}

static void test_cache(void **state)
{
    struct fixture *fx = *state;
    build_mixed(&fx->frame);
    struct render_cache_stats st;
    render(fx);
    renderer_cache_stats(fx->rd, &st);
    assert_int_equal(st.misses, 2);
    assert_int_equal(st.hits, 0);
    assert_int_equal(st.entries, 2);
    assert_true(st.bytes > 0);
    render(fx);
    renderer_cache_stats(fx->rd, &st);
    assert_int_equal(st.misses, 2);
    assert_int_equal(st.hits, 2);

    /* Another colour is another texture. */
    add_text(&fx->frame, 20, 130, "Koffieochtend", 20, RED);
    render(fx);
    renderer_cache_stats(fx->rd, &st);
    assert_int_equal(st.misses, 3);
    assert_int_equal(st.entries, 3);

    /* A budget smaller than one texture: everything still draws, the
     * cache keeps only the texture just drawn. */
    size_t n = (size_t)fx->surface->pitch * H;
    unsigned char *before = malloc(n);
    assert_non_null(before);
    memcpy(before, fx->surface->pixels, n);
    renderer_set_cache_budget(fx->rd, 1);
    renderer_cache_stats(fx->rd, &st);
    assert_int_equal(st.entries, 0);
    assert_int_equal(st.evictions, 3);
    render(fx);
    assert_memory_equal(before, fx->surface->pixels, n);
    renderer_cache_stats(fx->rd, &st);
    assert_int_equal(st.entries, 1);
    assert_int_equal(st.evictions, 5);
    free(before);

    /* LRU: with room for "aaaa" and one other, drawing a, b, a, c, a, b
     * evicts b for c, then c for b. */
    /* Each texture's bytes, as the cache counts them (textures keep only
     * the rows with ink), learnt by drawing each alone. */
    size_t bytes_of[3];
    const char *words[] = {"aaaa", "bbbb", "cccc"};
    renderer_set_cache_budget(fx->rd, RENDER_CACHE_BYTES_DEFAULT);
    for (int i = 0; i < 3; i++) {
        renderer_cache_clear(fx->rd);
        frame_reset(&fx->frame, W, H);
        add_text(&fx->frame, 0, 0, words[i], 20, BLACK);
        render(fx);
        renderer_cache_stats(fx->rd, &st);
        bytes_of[i] = st.bytes;
        assert_true(st.bytes > 0);
    }
    renderer_cache_clear(fx->rd);
    size_t ba = bytes_of[0], bb = bytes_of[1], bc = bytes_of[2];
    renderer_set_cache_budget(fx->rd, ba + (bb > bc ? bb : bc));
    struct render_cache_stats before_seq;
    renderer_cache_stats(fx->rd, &before_seq);
    const char *seq[] = {"aaaa", "bbbb", "aaaa", "cccc", "aaaa", "bbbb"};
    for (size_t i = 0; i < sizeof seq / sizeof *seq; i++) {
        frame_reset(&fx->frame, W, H);
        add_text(&fx->frame, 0, 0, seq[i], 20, BLACK);
        render(fx);
    }
    renderer_cache_stats(fx->rd, &st);
    assert_int_equal(st.hits - before_seq.hits, 2);        /* a, a */
    assert_int_equal(st.misses - before_seq.misses, 4);    /* a, b, c, b again */
    assert_int_equal(st.evictions - before_seq.evictions, 2);
    assert_int_equal(st.entries, 2);
    assert_int_equal(st.bytes, ba + bb);
}

/* ---- the window, headless ---- */

static void test_window_headless_rotation(void **state)
{
    (void)state;
    const int rotations[] = {0, 90, 180, 270};
    for (size_t k = 0; k < 4; k++) {
        int rot = rotations[k];
        struct ui_window_options opt = {.width = 64, .height = 48, .headless = true,
                                        .rotation = rot};
        char err[256];
        struct ui_window *w = ui_window_open(&opt, err, sizeof err);
        if (!w)
            fail_msg("ui_window_open: %s", err);
        assert_string_equal(ui_window_driver(w), "dummy");
        int fw, fh;
        ui_window_frame_size(w, &fw, &fh);
        assert_int_equal(fw, rot % 180 ? 48 : 64);
        assert_int_equal(fh, rot % 180 ? 64 : 48);

        /* Every panel pixel lands on the frame pixel drawn there. */
        for (int py = 0; py < 48; py++)
            for (int pxl = 0; pxl < 64; pxl++) {
                int tx, ty, bx, by;
                ui_window_touch_to_frame(w, pxl, py, &tx, &ty);
                assert_in_range(tx, 0, fw - 1);
                assert_in_range(ty, 0, fh - 1);
                rotate_frame_to_panel(rot, 64, 48, tx, ty, &bx, &by);
                assert_int_equal(bx, pxl);
                assert_int_equal(by, py);
                int gx, gy;
                ui_window_finger_to_frame(w, ((float)pxl + 0.5f) / 64.0f,
                                          ((float)py + 0.5f) / 48.0f, &gx, &gy);
                assert_int_equal(gx, tx);
                assert_int_equal(gy, ty);
            }
        /* The frame's top-left corner, where the staff gesture lives. */
        int cx, cy, tx, ty;
        rotate_frame_to_panel(rot, 64, 48, 0, 0, &cx, &cy);
        ui_window_touch_to_frame(w, cx, cy, &tx, &ty);
        assert_int_equal(tx, 0);
        assert_int_equal(ty, 0);
        /* Off the panel: clamped into the frame. */
        ui_window_touch_to_frame(w, -10, 1000, &tx, &ty);
        assert_in_range(tx, 0, fw - 1);
        assert_in_range(ty, 0, fh - 1);

        /* Screenshots are the frame, unturned, and the same bytes twice. */
        struct frame f;
        frame_init(&f);
        frame_reset(&f, fw, fh);
        f.background = WHITE;
        struct draw_cmd *c = frame_add_cmd(&f, DRAW_RECT, (struct rect){0, 0, 5, 3});
        c->colour = RED;
        assert_int_equal(ui_window_frames(w), 0);
        ui_window_present(w, &f);
        ui_window_present(w, &f);
        assert_int_equal(ui_window_frames(w), 2);
        const char *tmpdir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
        char dir[256];
        snprintf(dir, sizeof dir, "%s/test_render.XXXXXX", tmpdir);
        assert_non_null(mkdtemp(dir));
        char a[300], b[300];
        snprintf(a, sizeof a, "%s/%d_a.png", dir, rot);
        snprintf(b, sizeof b, "%s/%d_b.png", dir, rot);
        assert_true(ui_window_save_png(w, a));
        ui_window_present(w, &f);
        assert_true(ui_window_save_png(w, b));
        assert_false(ui_window_save_png(w, "/nonexistent-dir/x.png"));
        char tmp[310];
        snprintf(tmp, sizeof tmp, "%s.tmp", a);
        assert_int_not_equal(access(tmp, F_OK), 0);
        FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
        assert_non_null(fa);
        assert_non_null(fb);
        char ba[8192], bb[8192];
        size_t na = fread(ba, 1, sizeof ba, fa), nb = fread(bb, 1, sizeof bb, fb);
        fclose(fa);
        fclose(fb);
        assert_int_equal(na, nb);
        assert_memory_equal(ba, bb, na);
        /* PNG IHDR: width and height, big-endian, at bytes 16 and 20. */
        assert_true(na > 24);
        int pw = (unsigned char)ba[16] << 24 | (unsigned char)ba[17] << 16 |
                 (unsigned char)ba[18] << 8 | (unsigned char)ba[19];
        int ph = (unsigned char)ba[20] << 24 | (unsigned char)ba[21] << 16 |
                 (unsigned char)ba[22] << 8 | (unsigned char)ba[23];
        assert_int_equal(pw, fw);
        assert_int_equal(ph, fh);
        unlink(a);
        unlink(b);
        rmdir(dir);
        frame_free(&f);
        ui_window_close(w);
    }
    ui_window_close(NULL);
    renderer_free(NULL);

    struct ui_window_options bad = {.headless = true, .rotation = 45};
    char err[256];
    assert_null(ui_window_open(&bad, err, sizeof err));
    assert_non_null(strstr(err, "rotation"));
}

static void test_window_default_size(void **state)
{
    (void)state;
    struct ui_window_options opt = {.headless = true, .rotation = 90};
    char err[256];
    struct ui_window *w = ui_window_open(&opt, err, sizeof err);
    if (!w)
        fail_msg("ui_window_open: %s", err);
    int fw, fh;
    ui_window_frame_size(w, &fw, &fh);
    assert_int_equal(fw, 800);
    assert_int_equal(fh, 1280);
    assert_true(renderer_measure(ui_window_renderer(w), "Koffie", 6, 20, FONT_REGULAR, false) > 0);
    ui_window_close(w);
}

/* A feed picture lets go of its pixels once its texture is made; asked
 * at another size it is read again, and a file that fails stays failed. */
static void test_feed_picture_at_two_sizes(void **state)
{
    (void)state;
    char path[1024];
    data_path(path, sizeof path, "logo.png");
    SDL_Surface *target = SDL_CreateRGBSurfaceWithFormat(0, 300, 200, 32, SDL_PIXELFORMAT_ARGB8888);
    assert_non_null(target);
    SDL_Renderer *r = SDL_CreateSoftwareRenderer(target);
    assert_non_null(r);
    struct image_set *set = image_set_new();
    assert_non_null(set);
    int w = 0, h = 0;
    assert_true(image_set_ensure(set, path, &w, &h));
    assert_int_equal(w, 240);
    assert_int_equal(h, 120);
    static const int sizes[][2] = {{120, 60}, {60, 30}, {120, 60}};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        SDL_Texture *t = image_set_texture(set, r, path, sizes[i][0], sizes[i][1]);
        assert_non_null(t);
        int tw = 0, th = 0;
        assert_int_equal(SDL_QueryTexture(t, NULL, NULL, &tw, &th), 0);
        assert_int_equal(tw, sizes[i][0]);
        assert_int_equal(th, sizes[i][1]);
        /* the size stays known without the pixels */
        assert_true(image_set_size(set, path, &w, &h));
        assert_int_equal(w, 240);
    }
    assert_false(image_set_ensure(set, "/nonexistent/picture.png", &w, &h));
    assert_false(image_set_ensure(set, "/nonexistent/picture.png", &w, &h));
    assert_null(image_set_texture(set, r, "/nonexistent/picture.png", 10, 10));
    image_set_free(set);
    SDL_DestroyRenderer(r);
    SDL_FreeSurface(target);
}

/* A feed picture that failed is tried again once its file changes (a sync
 * wrote it anew), and failed files do not pile up without end. */
static void test_failed_feed_pictures(void **state)
{
    (void)state;
    char logo[1024];
    data_path(logo, sizeof logo, "logo.png");
    char dir[] = "/tmp/bk-images-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/picture.png", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("not a picture", f);
    fclose(f);
    struct image_set *set = image_set_new();
    assert_non_null(set);
    int w = 0, h = 0;
    assert_false(image_set_ensure(set, path, &w, &h));
    assert_false(image_set_ensure(set, path, &w, &h)); /* remembered, not read again */

    /* The same path, now a good picture with another mtime. */
    FILE *in = fopen(logo, "rb");
    f = fopen(path, "wb");
    assert_non_null(in);
    assert_non_null(f);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, f), n);
    fclose(in);
    fclose(f);
    struct timespec later[2] = {{.tv_sec = 2000000000}, {.tv_sec = 2000000000}};
    assert_int_equal(utimensat(AT_FDCWD, path, later, 0), 0);
    assert_true(image_set_ensure(set, path, &w, &h));
    assert_int_equal(w, 240);

    /* Two hundred files that fail: the set keeps the newest of them only. */
    for (int i = 0; i < 200; i++) {
        char missing[256];
        snprintf(missing, sizeof missing, "%s/missing-%d.png", dir, i);
        assert_false(image_set_ensure(set, missing, &w, &h));
    }
    assert_int_equal(image_set_entries(set), 1 + IMAGES_FAILED_KEPT);
    assert_true(image_set_ensure(set, path, &w, &h)); /* the good one stays */
    image_set_free(set);
    unlink(path);
    assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_measure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_measure_matches_drawing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scripts_have_fonts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_arabic_is_shaped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mixed_line_order, setup, teardown),
        cmocka_unit_test(test_measure_cache),
        cmocka_unit_test_setup_teardown(test_deterministic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rects_and_clips, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rounded_corners, setup, teardown),
        cmocka_unit_test_setup_teardown(test_translucent_no_overlap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_clip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_skips_and_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cache, setup, teardown),
        cmocka_unit_test_setup_teardown(test_image_png, setup, teardown),
        cmocka_unit_test_setup_teardown(test_image_jpeg_and_large, setup, teardown),
        cmocka_unit_test_setup_teardown(test_feed_picture_at_two_sizes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_feed_pictures, setup, teardown),
        cmocka_unit_test(test_window_headless_rotation),
        cmocka_unit_test(test_window_default_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
