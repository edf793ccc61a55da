/*
 * Which installed face draws a letter (sdl/fonts.h), against the fonts
 * this machine has (fonts-dejavu-core, fonts-noto-core): a table of code
 * points and the family that must draw each, or none. Then the probe
 * itself: font_set_has reads a face's character map through HarfBuzz, not
 * by opening the face at a size, so it is checked against SDL_ttf's own
 * answer (FreeType's) for every letter of the planes the kiosk's
 * languages use, in each face the table opened.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdl/fonts.h"

static int setup(void **state)
{
    if (TTF_Init() != 0)
        return -1;
    char err[256] = "";
    struct font_set *fs = font_set_new(err, sizeof err);
    if (!fs) {
        fprintf(stderr, "font_set_new: %s\n", err);
        return -1;
    }
    *state = fs;
    return 0;
}

static int teardown(void **state)
{
    font_set_free(*state);
    TTF_Quit();
    return 0;
}

static const struct {
    unsigned cp;
    enum font_weight weight;
    const char *family;     /* NULL: no installed face has it */
} rows[] = {
    {'A', FONT_REGULAR, "DejaVu Sans"},
    {'A', FONT_BOLD, "DejaVu Sans"},
    {0x00E9, FONT_REGULAR, "DejaVu Sans"},        /* é */
    {0x015F, FONT_REGULAR, "DejaVu Sans"},        /* ş, Turkish */
    {0x0142, FONT_BOLD, "DejaVu Sans"},           /* ł, Polish */
    {0x0436, FONT_REGULAR, "DejaVu Sans"},        /* ж, Ukrainian */
    /* Arabic: DejaVu has it, the preferred face is drawn for screens. */
    {0x0628, FONT_REGULAR, "Noto Sans Arabic"},   /* ب */
    {0x0628, FONT_BOLD, "Noto Sans Arabic"},
    {0x0661, FONT_REGULAR, "Noto Sans Arabic"},   /* Arabic-Indic one */
    /* Tigrinya: not in DejaVu, found through fontconfig. */
    {0x1275, FONT_REGULAR, "Noto Sans Ethiopic"}, /* ት */
    {0x1275, FONT_BOLD, "Noto Sans Ethiopic"},
    /* Must fail: unassigned, and a private use letter no text face has. */
    {0x0378, FONT_REGULAR, NULL},
    {0x10FFFD, FONT_REGULAR, NULL},
};

static void test_face_for_table(void **state)
{
    struct font_set *fs = *state;
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        int face = font_set_face_for(fs, rows[i].cp, rows[i].weight);
        if (!rows[i].family) {
            if (face != FONT_FACE_NONE)
                fail_msg("row %zu: U+%04X drawn by %s, expected no face", i, rows[i].cp,
                         font_set_family(fs, face, rows[i].weight));
            continue;
        }
        if (face == FONT_FACE_NONE)
            fail_msg("row %zu: no face for U+%04X, expected %s", i, rows[i].cp, rows[i].family);
        const char *family = font_set_family(fs, face, rows[i].weight);
        if (strcmp(family, rows[i].family) != 0)
            fail_msg("row %zu: U+%04X drawn by %s, expected %s", i, rows[i].cp, family,
                     rows[i].family);
        assert_true(font_set_has(fs, face, rows[i].cp, rows[i].weight));
        /* Asked again: the same answer, from the table. */
        assert_int_equal(font_set_face_for(fs, rows[i].cp, rows[i].weight), face);
    }
}

/* Latin, Greek, Cyrillic, Hebrew, Arabic, Ethiopic, punctuation, arrows
 * and the Arabic presentation forms. */
static const struct {
    unsigned from, to;
} ranges[] = {{0x20, 0x58F}, {0x590, 0x8FF}, {0x1200, 0x139F}, {0x2000, 0x21FF},
              {0xFB50, 0xFEFF}};

static void test_has_agrees_with_sdl_ttf(void **state)
{
    struct font_set *fs = *state;
    size_t compared = 0, provided = 0, faces_seen = 0;
    for (int w = 0; w < 2; w++) {
        enum font_weight weight = w ? FONT_BOLD : FONT_REGULAR;
        size_t faces = font_set_faces(fs, weight);
        /* DejaVu, Noto Sans Arabic and Noto Sans Ethiopic at least. */
        assert_true(faces >= 3);
        faces_seen += faces;
        for (size_t f = 0; f < faces; f++) {
            TTF_Font *font = font_set_font(fs, (int)f, 24, weight);
            assert_non_null(font);
            for (size_t r = 0; r < sizeof ranges / sizeof *ranges; r++)
                for (unsigned cp = ranges[r].from; cp <= ranges[r].to; cp++) {
                    bool ttf = TTF_GlyphIsProvided32(font, cp) != 0;
                    if (font_set_has(fs, (int)f, cp, weight) != ttf)
                        fail_msg("%s %s: U+%04X: font_set_has says %d, SDL_ttf %d",
                                 font_set_family(fs, (int)f, weight), w ? "bold" : "regular",
                                 cp, !ttf, ttf);
                    compared++;
                    provided += ttf;
                }
        }
    }
    print_message("%zu faces, %zu answers compared, %zu letters provided\n", faces_seen,
                  compared, provided);
    /* Both answers were asked for, and many letters were there to find. */
    assert_true(compared > 10000);
    assert_true(provided > 3000);
}

static void test_has_rejects_bad_faces(void **state)
{
    struct font_set *fs = *state;
    assert_false(font_set_has(fs, FONT_FACE_NONE, 'A', FONT_REGULAR));
    assert_false(font_set_has(fs, 9999, 'A', FONT_REGULAR));
    assert_false(font_set_has(fs, 0, 0x10FFFD, FONT_REGULAR));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_face_for_table),
        cmocka_unit_test(test_has_agrees_with_sdl_ttf),
        cmocka_unit_test(test_has_rejects_bad_faces),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
