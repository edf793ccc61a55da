/*
 * Text in every script, without SDL: UTF-8 decoding, the order of a line
 * (view/bidi.c, FriBidi), line breaking (view/textlayout.c, libunibreak)
 * and mirroring a frame for a right-to-left language (view/mirror.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/utf8.h"
#include "view/bidi.h"
#include "view/frame.h"
#include "view/mirror.h"
#include "view/textlayout.h"

/* ---- UTF-8 ---- */

static void test_utf8_decode(void **state)
{
    (void)state;
    static const struct {
        const char *bytes;
        size_t n;
        unsigned cp;
        size_t len;
    } rows[] = {
        {"A", 1, 'A', 1},
        {"\xC3\xA9", 2, 0xE9, 2},                 /* é */
        {"\xD8\xB9", 2, 0x639, 2},                /* ع */
        {"\xE2\x80\xA6", 3, 0x2026, 3},           /* … */
        {"\xF0\x9F\x98\x80", 4, 0x1F600, 4},
        /* must fail: each is one byte of U+FFFD, so a caller moves on */
        {"\x80", 1, UTF8_REPLACEMENT, 1},          /* a continuation byte alone */
        {"\xC3", 1, UTF8_REPLACEMENT, 1},          /* cut short */
        {"\xE2\x80", 2, UTF8_REPLACEMENT, 1},      /* cut short */
        {"\xC3\x28", 2, UTF8_REPLACEMENT, 1},      /* not a continuation */
        {"\xC0\xAF", 2, UTF8_REPLACEMENT, 1},      /* overlong '/' */
        {"\xE0\x80\xAF", 3, UTF8_REPLACEMENT, 1},  /* overlong */
        {"\xED\xA0\x80", 3, UTF8_REPLACEMENT, 1},  /* a surrogate */
        {"\xF4\x90\x80\x80", 4, UTF8_REPLACEMENT, 1}, /* above U+10FFFF */
        {"\xFF", 1, UTF8_REPLACEMENT, 1},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        unsigned cp = 0;
        size_t len = utf8_decode(rows[i].bytes, rows[i].n, &cp);
        if (cp != rows[i].cp || len != rows[i].len)
            fail_msg("row %zu: U+%04X in %zu bytes, want U+%04X in %zu", i, cp, len,
                     rows[i].cp, rows[i].len);
    }
}

/* ---- bidi ---- */

/* The runs of a line in visual order, as "L:text|R:text": each run's text
 * in logical order without formatting characters, R for a run drawn right
 * to left. */
static void visual(const char *text, bool rtl_default, char *out, size_t cap)
{
    struct bidi_run runs[32];
    size_t n = bidi_visual_runs(text, strlen(text), rtl_default, runs, 32);
    assert_true(n <= 32);
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        used += (size_t)snprintf(out + used, cap - used, "%s%c:", i ? "|" : "",
                                 runs[i].rtl ? 'R' : 'L');
        /* What is drawn: formatting characters in a run draw nothing. */
        const char *s = text + runs[i].start;
        for (size_t k = 0; k < runs[i].len;) {
            unsigned cp;
            size_t len = utf8_decode(s + k, runs[i].len - k, &cp);
            if (!bidi_is_control(cp) && used + len < cap) {
                memcpy(out + used, s + k, len);
                used += len;
            }
            k += len;
        }
        out[used] = '\0';
    }
}

static void test_bidi_lines(void **state)
{
    (void)state;
    static const struct {
        const char *what;
        const char *logical;
        bool rtl_default;
        const char *visual;
    } rows[] = {
        {"Latin", "Koffieochtend", false, "L:Koffieochtend"},
        {"Arabic alone", "صباح القهوة", false, "R:صباح القهوة"},
        {"Arabic in an Arabic interface", "صباح القهوة", true, "R:صباح القهوة"},
        /* A Latin name keeps its order; in a right-to-left line it stands
         * left of the Arabic before it. */
        {"Arabic with a Latin name", "مرحبا Ayşe Yılmaz", false, "L:Ayşe Yılmaz|R:مرحبا "},
        {"Dutch with an Arabic name", "Welkom فاطمة!", false, "L:Welkom |R:فاطمة|L:!"},
        /* A phone number is one left-to-right piece, not four numbers in
         * right-to-left order. */
        {"a phone number", "الهاتف: 033 123 45 67", true, "L:033 123 45 67|R:الهاتف: "},
        {"an international number", "اتصل +31 6 1234 5678", true, "L:+31 6 1234 5678|R:اتصل "},
        {"a dashed number", "الهاتف: 033-000 04 42", true, "L:033-000 04 42|R:الهاتف: "},
        {"a time", "يبدأ 10:00", true, "L:10:00|R:يبدأ "},
        /* A time range reads from the right: 10:00 first. */
        {"a time range", "الساعة 10:00–11:30", true, "L:11:30|R:–|L:10:00|R:الساعة "},
        {"digits only, Arabic interface", "10:00", true, "L:10:00"},
        {"a count in brackets, Arabic interface", "(3)", true, "R:)|L:3|R:("},
        /* Two Latin places: isolated (as the formatter writes lists), the
         * first stands right, where an Arabic reader starts. */
        {"a list of two places", "المكان: \xE2\x81\xA8" "De Ooievaar\xE2\x81\xA9، \xE2\x81\xA8"
                                 "De Lindeboom\xE2\x81\xA9",
         true, "L:De Lindeboom|R:، |L:De Ooievaar|R:المكان: "},
        {"a list joined by the interface's separator", "المكان: De Ooievaar · De Lindeboom", true,
         "L: De Lindeboom|R: ·|L:De Ooievaar|R:المكان: "},
        {"a Dutch list line in an Arabic interface", "wo 25 nov · 10:00 · De Ooievaar", true,
         "L:wo 25 nov · 10:00 · De Ooievaar"},
        {"an isolate steers and is not drawn", "\xE2\x81\xA7عربي\xE2\x81\xA9 test", false,
         "R:عربي|L: test"},
        {"Cyrillic and a number", "Оксана 033 123 45 67", false, "L:Оксана 033 123 45 67"},
        {"Cyrillic in an Arabic interface", "Оксана", true, "L:Оксана"},
        {"five digits are not a phone number", "رقم 12 345", true, "L:345|R: |L:12|R:رقم "},
    };
    char got[512];
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        visual(rows[i].logical, rows[i].rtl_default, got, sizeof got);
        if (strcmp(got, rows[i].visual) != 0)
            fail_msg("%s: got \"%s\", want \"%s\"", rows[i].what, got, rows[i].visual);
    }
}

static void test_bidi_edges(void **state)
{
    (void)state;
    struct bidi_run runs[4];
    assert_int_equal(bidi_visual_runs("", 0, true, runs, 4), 0);
    /* Malformed UTF-8 is kept, one byte per character, and covered. */
    const char *bad = "a\xC3(b";
    size_t n = bidi_visual_runs(bad, strlen(bad), false, runs, 4);
    assert_int_equal(n, 1);
    assert_int_equal(runs[0].len, strlen(bad));
    /* More runs than room: the count says so. */
    const char *many = "a ب c د e ف g";
    assert_true(bidi_visual_runs(many, strlen(many), false, runs, 2) > 2);
    /* A long line (more than the stack holds) still works. */
    char longer[2048] = "";
    for (int i = 0; i < 100; i++)
        strcat(longer, "قهوة koffie ");
    n = bidi_visual_runs(longer, strlen(longer), false, NULL, 0);
    assert_true(n >= 199);
    assert_int_equal(bidi_first_strong("10:00 قهوة", strlen("10:00 قهوة")), TEXT_DIR_RTL);
    assert_int_equal(bidi_first_strong("10:00 Koffie", strlen("10:00 Koffie")), TEXT_DIR_LTR);
    assert_int_equal(bidi_first_strong("10:00", 5), TEXT_DIR_NEUTRAL);
}

/* ---- line breaking ---- */

/* Every character 10 px wide, directional marks none. */
static int measure(void *ctx, const char *text, size_t len, int font_px, enum font_weight weight,
                   bool rtl)
{
    (void)ctx, (void)font_px, (void)weight, (void)rtl;
    int chars = 0;
    for (size_t i = 0; i < len;) {
        unsigned cp;
        i += utf8_decode(text + i, len - i, &cp);
        chars += !bidi_is_control(cp); /* marks draw nothing, as with the real fonts */
    }
    return chars * 10;
}

static void test_line_breaks(void **state)
{
    (void)state;
    static const struct {
        const char *what;
        const char *text;
        int width;              /* characters per line */
        const char *lines;      /* joined by '/' */
    } rows[] = {
        {"at spaces", "Koffie in de buurt", 10, "Koffie in/de buurt"},
        {"after a hyphen", "DigiD-gegevens mee", 10, "DigiD-/gegevens/mee"},
        {"never before a question mark", "Wat is er te doen ?", 17, "Wat is er te/doen ?"},
        {"never inside a time", "om 10:00 uur", 6, "om/10:00/uur"},
        {"Arabic words at spaces", "ماذا يحدث في الحي", 9, "ماذا يحدث/في الحي"},
        {"a word wider than the line", "Huiswerkbegeleiding", 8, "Huiswerk/begeleid/ing"},
        {"a forced break", "Eerste\nTweede", 20, "Eerste/Tweede"},
        {"after a slash", "Tijd en/of plaats", 8, "Tijd en//of/plaats"},
        /* Regional indicators: each pair is a flag, never split, with a
         * break allowed between flags (libunibreak 1.1 asserts on them). */
        {"a flag between letters", "a\U0001F1F3\U0001F1F1b", 20, "a\U0001F1F3\U0001F1F1b"},
        {"flags break between pairs", "Taal \U0001F1F3\U0001F1F1\U0001F1F9\U0001F1F7"
         "\U0001F1F5\U0001F1F1 kies", 5,
         "Taal/\U0001F1F3\U0001F1F1\U0001F1F9\U0001F1F7/\U0001F1F5\U0001F1F1/kies"},
        {"a flag stays whole", "\U0001F1F3\U0001F1F1\U0001F1F9\U0001F1F7\U0001F1F9", 3,
         "\U0001F1F3\U0001F1F1/\U0001F1F9\U0001F1F7\U0001F1F9"},
    };
    struct text_measurer m = {measure, NULL, false};
    struct frame f;
    frame_init(&f);
    text_layout_init();
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        frame_reset(&f, 800, 480);
        struct text_block b;
        text_layout(&f, &m, rows[i].text, 20, FONT_REGULAR, rows[i].width * 10, 10, &b);
        char got[256] = "";
        for (size_t l = 0; l < b.n_lines; l++) {
            if (l)
                strcat(got, "/");
            strcat(got, b.lines[l]);
        }
        if (strcmp(got, rows[i].lines) != 0)
            fail_msg("%s: got \"%s\", want \"%s\"", rows[i].what, got, rows[i].lines);
        assert_false(b.cut);
    }
    frame_free(&f);
}

/* A line cut inside an isolate ends its dots inside it, so that they stand
 * at the end of the cut text; a line broken inside one closes it and the
 * next line opens it again. */
static void test_isolates_across_cuts(void **state)
{
    (void)state;
    struct text_measurer m = {measure, NULL, true};
    struct frame f;
    frame_init(&f);
    frame_reset(&f, 800, 480);
    struct text_block b;
    const char *line = "\xE2\x80\x8F" "10:00 \xC2\xB7 \xE2\x81\xA8" "Bibliotheek Schothorst\xE2\x81\xA9";
    text_layout(&f, &m, line, 20, FONT_REGULAR, 200, 1, &b);
    assert_int_equal(b.n_lines, 1);
    assert_true(b.cut);
    const char *end = b.lines[0] + strlen(b.lines[0]);
    assert_memory_equal(end - 6, "\xE2\x80\xA6\xE2\x81\xA9", 6); /* "…" then PDI */

    text_layout(&f, &m, "\xE2\x80\x8F\xE2\x81\xA8" "Koffie in de buurt\xE2\x81\xA9", 20,
                FONT_REGULAR, 100, 4, &b);
    assert_int_equal(b.n_lines, 2);
    /* RLM FSI "Koffie in" PDI / RLM FSI "de buurt" PDI */
    assert_string_equal(b.lines[0], "\xE2\x80\x8F\xE2\x81\xA8" "Koffie in\xE2\x81\xA9");
    assert_string_equal(b.lines[1], "\xE2\x80\x8F\xE2\x81\xA8" "de buurt\xE2\x81\xA9");
    frame_free(&f);
}

/* ---- mirroring ---- */

static void test_mirror(void **state)
{
    (void)state;
    struct text_measurer m = {measure, NULL, true};
    struct frame f;
    frame_init(&f);
    frame_reset(&f, 1000, 600);
    f.rtl = true;
    frame_add_widget(&f, "nav.back", ROLE_BUTTON, "رجوع", (struct rect){20, 10, 100, 50});
    frame_add_widget(&f, "nav.home", ROLE_BUTTON, "البداية", (struct rect){140, 10, 100, 50});
    struct draw_cmd *t = frame_add_cmd(&f, DRAW_TEXT, (struct rect){300, 20, 0, 24});
    t->text = "الأنشطة";      /* 7 characters: 70 px */
    t->font_px = 20;
    size_t keys_w = f.n_widgets, keys_c = f.n_cmds;
    frame_add_widget(&f, "key.1", ROLE_KEY, "1", (struct rect){0, 500, 100, 100});
    frame_add_widget(&f, "key.2", ROLE_KEY, "2", (struct rect){100, 500, 100, 100});
    frame_add_cmd(&f, DRAW_RECT, (struct rect){0, 500, 1000, 100});
    frame_keep_ltr_since(&f, keys_w, keys_c);

    frame_mirror(&f, &m);
    frame_sort_reading_order(&f);
    /* back and home on the right, back rightmost: read first */
    assert_string_equal(f.widgets[0].id, "nav.back");
    assert_int_equal(f.widgets[0].rect.x, 1000 - 20 - 100);
    assert_string_equal(f.widgets[1].id, "nav.home");
    assert_int_equal(f.widgets[1].rect.x, 1000 - 140 - 100);
    /* the title ends where it started: its width kept */
    assert_int_equal(f.cmds[0].rect.x, 1000 - 300 - 70);
    assert_int_equal(f.cmds[0].rect.w, 70);
    /* the keyboard stays left to right */
    assert_string_equal(f.widgets[2].id, "key.1");
    assert_int_equal(f.widgets[2].rect.x, 0);
    assert_int_equal(f.widgets[3].rect.x, 100);
    assert_int_equal(f.cmds[1].rect.x, 0);
    frame_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_decode),
        cmocka_unit_test(test_bidi_lines),
        cmocka_unit_test(test_bidi_edges),
        cmocka_unit_test(test_line_breaks),
        cmocka_unit_test(test_isolates_across_cuts),
        cmocka_unit_test(test_mirror),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
