/*
 * The script parser: table-driven, one row per script. Must-fail rows
 * check the whole "LINE: reason" message, since that message is what a
 * person fixing a broken acceptance script reads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "script/script.h"

/* ---- scripts that must fail ---- */

struct bad_row {
    const char *text;
    size_t len;          /* 0: strlen(text) */
    const char *error;   /* the whole message */
};

static const struct bad_row bad_rows[] = {
    /* unknown steps and names */
    {"tapp \"x\"", 0, "1: unknown step 'tapp'"},
    {"\n\n# c\nTAP \"x\"", 0, "4: unknown step 'TAP'"},
    {"expect_screen home", 0, "1: unknown step 'expect_screen'"},
    {"\"tap\"", 0, "1: expected a step name, not a string"},
    {"tap\"x\"", 0, "1: expected white space between 'tap' and '\"'"},
    {"sleep 10", 0, "1: unknown step 'sleep'"},
    {"taper-tantrum-with-a-very-long-name-that-goes-on-and-on", 0,
     "1: unknown step 'taper-tantrum-with-a-very-long-name-that...'"},
    {"t\xff\xfe", 0, "1: unknown step 't?" "?'"},

    /* tap */
    {"tap", 0, "1: expected a quoted string after tap"},
    {"tap home", 0, "1: expected a quoted string after tap"},
    {"tap #home", 0, "1: expected a quoted string after tap"},
    {"tap \"a\" \"b\"", 0, "1: trailing '\"b\"' after tap"},
    {"tap \"a\" 5", 0, "1: trailing '5' after tap"},
    {"tap \"a\"b", 0, "1: expected white space after the closing quote"},
    {"tap \"\"", 0, "1: empty string after tap"},
    {"tap \"#\"", 0, "1: empty widget id after tap"},
    {"tap \"# home\"", 0, "1: widget id ' home' has white space"},
    {"tap \"#a\tb\"", 0, "1: control character 0x09 in string"},
    {"tap 10", 0, "1: tap takes \"LABEL\", \"#ID\" or X Y"},
    {"tap 10 20 30", 0, "1: tap takes \"LABEL\", \"#ID\" or X Y"},
    {"tap 10 \"x\"", 0, "1: tap takes \"LABEL\", \"#ID\" or X Y"},
    {"tap -1 10", 0, "1: tap: X must be a whole number from 0 to 100000, not '-1'"},
    {"tap 10 -1", 0, "1: tap: Y must be a whole number from 0 to 100000, not '-1'"},
    {"tap +1 10", 0, "1: tap: X must be a whole number from 0 to 100000, not '+1'"},
    {"tap 10 100001", 0, "1: tap: Y must be a whole number from 0 to 100000, not '100001'"},
    {"tap 1.5 10", 0, "1: tap: X must be a whole number from 0 to 100000, not '1.5'"},
    {"tap 0x10 10", 0, "1: tap: X must be a whole number from 0 to 100000, not '0x10'"},
    {"tap 10 1e3", 0, "1: tap: Y must be a whole number from 0 to 100000, not '1e3'"},
    {"tap 99999999999999999999999 1", 0,
     "1: tap: X must be a whole number from 0 to 100000, not '99999999999999999999999'"},

    /* swipe */
    {"swipe", 0, "1: swipe takes X1 Y1 X2 Y2 MS"},
    {"swipe 1 2 3 4", 0, "1: swipe takes X1 Y1 X2 Y2 MS"},
    {"swipe 1 2 3 4 5 6", 0, "1: swipe takes X1 Y1 X2 Y2 MS"},
    {"swipe 1 2 3 4 5 6 7 8 9 10 11", 0, "1: swipe takes X1 Y1 X2 Y2 MS"},
    {"swipe \"1\" 2 3 4 5", 0,
     "1: swipe: X1 must be a whole number from 0 to 100000, not '\"1\"'"},
    {"swipe 1 2 3 4 -5", 0, "1: swipe: MS must be a whole number from 0 to 3600000, not '-5'"},
    {"swipe 1 2 3 4 3600001", 0,
     "1: swipe: MS must be a whole number from 0 to 3600000, not '3600001'"},
    {"swipe 1 2 x 4 5", 0, "1: swipe: X2 must be a whole number from 0 to 100000, not 'x'"},
    {"swipe 1 2 3 -4 5", 0, "1: swipe: Y2 must be a whole number from 0 to 100000, not '-4'"},
    {"\nswipe 1 2 3 4", 0, "2: swipe takes X1 Y1 X2 Y2 MS"},

    /* hold */
    {"hold", 0, "1: hold takes X Y MS"},
    {"hold 1 2", 0, "1: hold takes X Y MS"},
    {"hold 1 2 3 4", 0, "1: hold takes X Y MS"},
    {"hold 1 2 -3", 0, "1: hold: MS must be a whole number from 0 to 3600000, not '-3'"},
    {"hold -1 2 3", 0, "1: hold: X must be a whole number from 0 to 100000, not '-1'"},
    {"hold 1 200000 3", 0, "1: hold: Y must be a whole number from 0 to 100000, not '200000'"},

    /* wait */
    {"wait", 0, "1: wait takes MS"},
    {"wait 1 2", 0, "1: wait takes MS"},
    {"wait -1", 0, "1: wait: MS must be a whole number from 0 to 3600000, not '-1'"},
    {"wait 1s", 0, "1: wait: MS must be a whole number from 0 to 3600000, not '1s'"},
    {"wait 3600001", 0, "1: wait: MS must be a whole number from 0 to 3600000, not '3600001'"},
    {"wait \"100\"", 0, "1: wait: MS must be a whole number from 0 to 3600000, not '\"100\"'"},
    {"wait +5", 0, "1: wait: MS must be a whole number from 0 to 3600000, not '+5'"},
    {"wait ", 0, "1: wait takes MS"},

    /* the string steps */
    {"type", 0, "1: expected a quoted string after type"},
    {"type abc", 0, "1: expected a quoted string after type"},
    {"type \"a\" \"b\"", 0, "1: trailing '\"b\"' after type"},
    {"expect", 0, "1: expected a quoted string after expect"},
    {"expect Koffie", 0, "1: expected a quoted string after expect"},
    {"expect \"a\" x", 0, "1: trailing 'x' after expect"},
    {"expect \"\"", 0, "1: empty string after expect"},
    {"expect \"#\"", 0, "1: empty widget id after expect"},
    {"expect-not", 0, "1: expected a quoted string after expect-not"},
    {"expect-not \"a\" \"b\"", 0, "1: trailing '\"b\"' after expect-not"},
    {"expect-not \"\"", 0, "1: empty string after expect-not"},
    {"scroll-to", 0, "1: expected a quoted string after scroll-to"},
    {"scroll-to #x", 0, "1: expected a quoted string after scroll-to"},
    {"scroll-to \"#x\" 3", 0, "1: trailing '3' after scroll-to"},
    {"scroll-to \"\"", 0, "1: empty string after scroll-to"},
    {"screenshot", 0, "1: expected a quoted string after screenshot"},
    {"screenshot out.png", 0, "1: expected a quoted string after screenshot"},
    {"screenshot \"a.png\" \"b.png\"", 0, "1: trailing '\"b.png\"' after screenshot"},
    {"screenshot \"\"", 0, "1: empty string after screenshot"},
    {"dump", 0, "1: expected a quoted string after dump"},
    {"dump tree.json", 0, "1: expected a quoted string after dump"},
    {"dump \"a\" b", 0, "1: trailing 'b' after dump"},
    {"dump \"\"", 0, "1: empty string after dump"},

    /* expect-screen */
    {"expect-screen", 0, "1: expect-screen takes a screen name"},
    {"expect-screen homepage", 0, "1: unknown screen 'homepage'"},
    {"expect-screen Home", 0, "1: unknown screen 'Home'"},
    {"expect-screen \"home\"", 0, "1: expect-screen takes a bare screen name, not a string"},
    {"expect-screen home attract", 0, "1: trailing 'attract' after expect-screen"},
    {"expect-screen signup_done", 0, "1: unknown screen 'signup_done'"},
    {"expect-screen staff_pin", 0, "1: unknown screen 'staff_pin'"},
    {"expect-screen 1", 0, "1: unknown screen '1'"},

    /* sync */
    {"sync now", 0, "1: sync takes nothing"},
    {"sync \"x\"", 0, "1: sync takes nothing"},
    {"sync 1 2 3 4 5 6 7 8 9", 0, "1: sync takes nothing"},

    /* strings: escapes, termination, control characters, UTF-8 */
    {"tap \"abc", 0, "1: unterminated string"},
    {"tap \"abc\\\"", 0, "1: unterminated string"},
    {"tap \"abc\\", 0, "1: unterminated string"},
    {"tap \"abc\nexpect \"x\"", 0, "1: unterminated string"},
    {"tap \"a\\nb\"", 0, "1: unknown escape '\\n' in string (only \\\" and \\\\)"},
    {"tap \"a\\tb\"", 0, "1: unknown escape '\\t' in string (only \\\" and \\\\)"},
    {"tap \"a\\#b\"", 0, "1: unknown escape '\\#' in string (only \\\" and \\\\)"},
    {"tap \"a\\'b\"", 0, "1: unknown escape '\\'' in string (only \\\" and \\\\)"},
    {"tap \"a\\u00e9\"", 0, "1: unknown escape '\\u' in string (only \\\" and \\\\)"},
    {"tap \"a\\ b\"", 0,
     "1: unknown escape (\\ before byte 0x20) in string (only \\\" and \\\\)"},
    {"tap \"a\\\xc3\xa9\"", 0,
     "1: unknown escape (\\ before byte 0xC3) in string (only \\\" and \\\\)"},
    {"tap \"a\tb\"", 0, "1: control character 0x09 in string"},
    {"tap \"a\x01" "b\"", 0, "1: control character 0x01 in string"},
    {"tap \"a\x7f" "b\"", 0, "1: control character 0x7F in string"},
    {"tap \"a\rb\"", 0, "1: control character 0x0D in string"},
    {"tap \"a\0b\"", 8, "1: control character 0x00 in string"},
    {"tap \"caf\xe9\"", 0, "1: invalid UTF-8 in string"},              /* Latin-1 */
    {"tap \"\xc3\"", 0, "1: invalid UTF-8 in string"},                  /* cut short */
    {"tap \"\xc0\xaf\"", 0, "1: invalid UTF-8 in string"},              /* overlong */
    {"tap \"\xe0\x80\xaf\"", 0, "1: invalid UTF-8 in string"},          /* overlong */
    {"tap \"\xed\xa0\x80\"", 0, "1: invalid UTF-8 in string"},          /* surrogate */
    {"tap \"\xf4\x90\x80\x80\"", 0, "1: invalid UTF-8 in string"},      /* > U+10FFFF */
    {"tap \"\xf8\x88\x80\x80\x80\"", 0, "1: invalid UTF-8 in string"},
    {"tap \"\x80\"", 0, "1: invalid UTF-8 in string"},

    /* comments: only outside quotes */
    {"# tap \"x\"\ntapp", 0, "2: unknown step 'tapp'"},
    {"tap \"a # b", 0, "1: unterminated string"},

    /* control characters outside strings, line ends */
    {"wait 10\r\r\n", 0, "1: control character 0x0D"},
    {"wait\x0c" "10", 0, "1: control character 0x0C"},
    {"wait 1\0", 7, "1: control character 0x00"},
    {"wait 10\rwait 20", 0, "1: control character 0x0D"},

    /* the step on line 3 of a longer script */
    {"tap \"#attract\"\nexpect-screen home\n  bogus  \nsync\n", 0, "3: unknown step 'bogus'"},
    {"tap \"#attract\"\r\nexpect-screen home\r\ntap \"x\" y\r\n", 0, "3: trailing 'y' after tap"},
};

static void test_bad_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_rows / sizeof bad_rows[0]; i++) {
        const struct bad_row *r = &bad_rows[i];
        size_t len = r->len ? r->len : strlen(r->text);
        struct script s = {(struct step *)1, 99}; /* must be reset */
        char err[256] = "untouched";
        bool ok = script_parse(r->text, len, &s, err, sizeof err);
        if (ok || strcmp(err, r->error) != 0) {
            print_error("row %zu: %s\n  want: %s\n  got:  %s\n", i, r->text, r->error,
                        ok ? "(parsed)" : err);
            fail();
        }
        assert_null(s.steps);
        assert_int_equal(s.n, 0);
    }
}

/* ---- scripts that parse ---- */

struct good_step {
    enum step_kind kind;
    int line;
    const char *arg;     /* NULL: none */
    bool is_id;
    int x1, y1, x2, y2, ms;
};

struct good_row {
    const char *text;
    size_t n;
    struct good_step steps[4];
};

static const struct good_row good_rows[] = {
    {"", 0, {{0}}},
    {"\n\n   \n\t\n", 0, {{0}}},
    {"# only a comment", 0, {{0}}},
    {"   # indented comment\n#\n", 0, {{0}}},
    {"tap \"Activiteiten\"", 1, {{STEP_TAP, 1, "Activiteiten", false, 0, 0, 0, 0, 0}}},
    {"tap \"#home.activities\"", 1, {{STEP_TAP, 1, "home.activities", true, 0, 0, 0, 0, 0}}},
    {"tap \"#home\" # comment \"", 1, {{STEP_TAP, 1, "home", true, 0, 0, 0, 0, 0}}},
    {"tap \"#home\"# no space", 1, {{STEP_TAP, 1, "home", true, 0, 0, 0, 0, 0}}},
    {"tap \"a # not a comment\"", 1,
     {{STEP_TAP, 1, "a # not a comment", false, 0, 0, 0, 0, 0}}},
    {"tap \"  Koffie  \"", 1, {{STEP_TAP, 1, "  Koffie  ", false, 0, 0, 0, 0, 0}}},
    {"tap \" #x\"", 1, {{STEP_TAP, 1, " #x", false, 0, 0, 0, 0, 0}}},
    {"tap \"say \\\"hi\\\" \\\\ bye\"", 1,
     {{STEP_TAP, 1, "say \"hi\" \\ bye", false, 0, 0, 0, 0, 0}}},
    {"tap \"#key.\xc3\xa9\"", 1, {{STEP_TAP, 1, "key.\xc3\xa9", true, 0, 0, 0, 0, 0}}},
    {"tap \"Caf\xc3\xa9 \xe2\x80\x93 \xf0\x9f\x98\x80\"", 1,
     {{STEP_TAP, 1, "Caf\xc3\xa9 \xe2\x80\x93 \xf0\x9f\x98\x80", false, 0, 0, 0, 0, 0}}},
    {"tap \"\\\"quoted\\\"\"", 1, {{STEP_TAP, 1, "\"quoted\"", false, 0, 0, 0, 0, 0}}},
    {"tap 10 20", 1, {{STEP_TAP_AT, 1, NULL, false, 10, 20, 0, 0, 0}}},
    {"tap 0 100000", 1, {{STEP_TAP_AT, 1, NULL, false, 0, 100000, 0, 0, 0}}},
    {"tap 007 010", 1, {{STEP_TAP_AT, 1, NULL, false, 7, 10, 0, 0, 0}}},
    {"tap 10 20#c", 1, {{STEP_TAP_AT, 1, NULL, false, 10, 20, 0, 0, 0}}},
    {"\t tap\t10\t20 \t", 1, {{STEP_TAP_AT, 1, NULL, false, 10, 20, 0, 0, 0}}},
    {"swipe 1 2 3 4 5", 1, {{STEP_SWIPE, 1, NULL, false, 1, 2, 3, 4, 5}}},
    {"swipe 640 600 640 100 0", 1, {{STEP_SWIPE, 1, NULL, false, 640, 600, 640, 100, 0}}},
    {"swipe 100000 0 0 100000 3600000", 1,
     {{STEP_SWIPE, 1, NULL, false, 100000, 0, 0, 100000, 3600000}}},
    {"hold 10 20 5000", 1, {{STEP_HOLD, 1, NULL, false, 10, 20, 0, 0, 5000}}},
    {"wait 0", 1, {{STEP_WAIT, 1, NULL, false, 0, 0, 0, 0, 0}}},
    {"wait 3600000", 1, {{STEP_WAIT, 1, NULL, false, 0, 0, 0, 0, 3600000}}},
    {"type \"Jan de Vries\"", 1, {{STEP_TYPE, 1, "Jan de Vries", false, 0, 0, 0, 0, 0}}},
    {"type \"\"", 1, {{STEP_TYPE, 1, "", false, 0, 0, 0, 0, 0}}},
    {"type \"#1\"", 1, {{STEP_TYPE, 1, "#1", false, 0, 0, 0, 0, 0}}},
    {"expect \"Koffie\"", 1, {{STEP_EXPECT, 1, "Koffie", false, 0, 0, 0, 0, 0}}},
    {"expect \"#activity.signup\"", 1,
     {{STEP_EXPECT, 1, "activity.signup", true, 0, 0, 0, 0, 0}}},
    {"expect-not \"#idle.stay\"", 1, {{STEP_EXPECT_NOT, 1, "idle.stay", true, 0, 0, 0, 0, 0}}},
    {"expect-not \"vol\"", 1, {{STEP_EXPECT_NOT, 1, "vol", false, 0, 0, 0, 0, 0}}},
    {"expect-screen signup-done", 1,
     {{STEP_EXPECT_SCREEN, 1, "signup-done", false, 0, 0, 0, 0, 0}}},
    {"expect-screen staff-pin # the pad", 1,
     {{STEP_EXPECT_SCREEN, 1, "staff-pin", false, 0, 0, 0, 0, 0}}},
    {"scroll-to \"#activity.x.20261125T1000\"", 1,
     {{STEP_SCROLL_TO, 1, "activity.x.20261125T1000", true, 0, 0, 0, 0, 0}}},
    {"scroll-to \"Repair caf\xc3\xa9\"", 1,
     {{STEP_SCROLL_TO, 1, "Repair caf\xc3\xa9", false, 0, 0, 0, 0, 0}}},
    {"screenshot \"/tmp/a b.png\"", 1,
     {{STEP_SCREENSHOT, 1, "/tmp/a b.png", false, 0, 0, 0, 0, 0}}},
    {"screenshot \"#1.png\"", 1, {{STEP_SCREENSHOT, 1, "#1.png", false, 0, 0, 0, 0, 0}}},
    {"dump \"out/tree.json\"", 1, {{STEP_DUMP, 1, "out/tree.json", false, 0, 0, 0, 0, 0}}},
    {"sync", 1, {{STEP_SYNC, 1, NULL, false, 0, 0, 0, 0, 0}}},
    {"sync # pull the feed", 1, {{STEP_SYNC, 1, NULL, false, 0, 0, 0, 0, 0}}},
    /* line numbers count blank lines, comments and CRLF line ends */
    {"# start\r\n\r\ntap \"#attract\"\r\n  \r\n expect-screen home\r\nwait 100", 3,
     {{STEP_TAP, 3, "attract", true, 0, 0, 0, 0, 0},
      {STEP_EXPECT_SCREEN, 5, "home", false, 0, 0, 0, 0, 0},
      {STEP_WAIT, 6, NULL, false, 0, 0, 0, 0, 100}}},
    /* a byte-order mark, and a final line end with a carriage return only */
    {"\xef\xbb\xbfsync\nwait 5\r", 2,
     {{STEP_SYNC, 1, NULL, false, 0, 0, 0, 0, 0},
      {STEP_WAIT, 2, NULL, false, 0, 0, 0, 0, 5}}},
    {"expect-screen attract\nexpect-screen off\nexpect-screen staff\nexpect-screen search", 4,
     {{STEP_EXPECT_SCREEN, 1, "attract", false, 0, 0, 0, 0, 0},
      {STEP_EXPECT_SCREEN, 2, "off", false, 0, 0, 0, 0, 0},
      {STEP_EXPECT_SCREEN, 3, "staff", false, 0, 0, 0, 0, 0},
      {STEP_EXPECT_SCREEN, 4, "search", false, 0, 0, 0, 0, 0}}},
};

static void test_good_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof good_rows / sizeof good_rows[0]; i++) {
        const struct good_row *r = &good_rows[i];
        struct script s;
        char err[256] = "";
        if (!script_parse(r->text, strlen(r->text), &s, err, sizeof err)) {
            print_error("row %zu: %s\n  error: %s\n", i, r->text, err);
            fail();
        }
        assert_int_equal(s.n, r->n);
        for (size_t k = 0; k < r->n; k++) {
            const struct good_step *w = &r->steps[k];
            const struct step *g = &s.steps[k];
            assert_int_equal(g->kind, w->kind);
            assert_int_equal(g->line, w->line);
            if (w->arg)
                assert_string_equal(g->arg, w->arg);
            else
                assert_null(g->arg);
            assert_int_equal(g->arg_is_id, w->is_id);
            assert_int_equal(g->x1, w->x1);
            assert_int_equal(g->y1, w->y1);
            assert_int_equal(g->x2, w->x2);
            assert_int_equal(g->y2, w->y2);
            assert_int_equal(g->ms, w->ms);
        }
        script_free(&s);
        assert_null(s.steps);
        assert_int_equal(s.n, 0);
    }
}

/* Every screen name of automation-v1 parses, and maps to itself. */
static void test_every_screen_name(void **state)
{
    (void)state;
    static const char *const names[] = {
        "attract", "home", "activities", "activity", "signup", "signup-done", "services",
        "service", "announcements", "search", "off", "staff-pin", "staff",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char text[64];
        snprintf(text, sizeof text, "expect-screen %s", names[i]);
        struct script s;
        char err[128];
        assert_true(script_parse(text, strlen(text), &s, err, sizeof err));
        assert_int_equal(s.n, 1);
        assert_string_equal(s.steps[0].arg, names[i]);
        script_free(&s);
    }
}

/* ---- limits ---- */

static char *repeat_lines(const char *line, size_t count, size_t *len_out)
{
    size_t l = strlen(line);
    char *buf = malloc(l * count + 1);
    assert_non_null(buf);
    for (size_t i = 0; i < count; i++)
        memcpy(buf + i * l, line, l);
    buf[l * count] = '\0';
    *len_out = l * count;
    return buf;
}

static void test_step_limit(void **state)
{
    (void)state;
    size_t len;
    char *text = repeat_lines("sync\n", 10000, &len);
    struct script s;
    char err[128];
    assert_true(script_parse(text, len, &s, err, sizeof err));
    assert_int_equal(s.n, 10000);
    assert_int_equal(s.steps[9999].line, 10000);
    script_free(&s);
    free(text);

    /* blank and comment lines do not count as steps */
    text = repeat_lines("sync\n# note\n\n", 10000, &len);
    assert_true(script_parse(text, len, &s, err, sizeof err));
    assert_int_equal(s.n, 10000);
    script_free(&s);
    free(text);

    text = repeat_lines("sync\n", 10001, &len);
    assert_false(script_parse(text, len, &s, err, sizeof err));
    assert_string_equal(err, "10001: more than 10000 steps");
    assert_null(s.steps);
    free(text);
}

static void test_line_limit(void **state)
{
    (void)state;
    /* 4096 bytes of line is fine, with or without a CR before the LF */
    char *text = malloc(5000);
    assert_non_null(text);
    memset(text, ' ', 4096);
    memcpy(text, "tap \"", 5);
    memset(text + 5, 'a', 4090);
    text[4095] = '"';
    struct script s;
    char err[128];
    memcpy(text + 4096, "\r\n", 2);
    assert_true(script_parse(text, 4098, &s, err, sizeof err));
    assert_int_equal(s.n, 1);
    assert_int_equal(strlen(s.steps[0].arg), 4090);
    script_free(&s);

    /* 4097 is not */
    memmove(text + 1, text, 4098);
    text[0] = ' ';
    assert_false(script_parse(text, 4099, &s, err, sizeof err));
    assert_string_equal(err, "1: line longer than 4096 bytes");

    /* a long comment line counts too, on the line it is on */
    memcpy(text, "sync\n#", 6);
    memset(text + 6, 'x', 4095);
    assert_true(script_parse(text, 6 + 4095, &s, err, sizeof err));
    script_free(&s);
    text[6 + 4095] = 'x';
    assert_false(script_parse(text, 6 + 4096, &s, err, sizeof err));
    assert_string_equal(err, "2: line longer than 4096 bytes");
    free(text);
}

static void test_size_limit(void **state)
{
    (void)state;
    /* 1 MiB of comments and blank lines is fine ... */
    size_t mib = 1024 * 1024;
    char *text = malloc(mib + 64);
    assert_non_null(text);
    memset(text, '\n', mib);
    memcpy(text, "sync", 4);
    struct script s;
    char err[128];
    assert_true(script_parse(text, mib, &s, err, sizeof err));
    assert_int_equal(s.n, 1);
    script_free(&s);
    /* ... one byte more is not, named on the line that crosses the limit */
    text[mib] = '\n';
    /* line 1 is "sync", byte b >= 5 is line b - 3 */
    assert_false(script_parse(text, mib + 1, &s, err, sizeof err));
    assert_string_equal(err, "1048573: script larger than 1 MiB");
    /* the line that crosses is the one named, even when it has no end */
    memcpy(text + mib - 2, "sync", 4);
    assert_false(script_parse(text, mib + 2, &s, err, sizeof err));
    assert_string_equal(err, "1048571: script larger than 1 MiB");
    free(text);
}

/* The parser copes with NULL + 0 and with a tiny err buffer. */
static void test_edges(void **state)
{
    (void)state;
    struct script s;
    char err[8];
    assert_true(script_parse(NULL, 0, &s, err, sizeof err));
    assert_int_equal(s.n, 0);
    script_free(&s);
    assert_false(script_parse("tapp", 4, &s, err, sizeof err));
    assert_string_equal(err, "1: unkn");
    assert_false(script_parse("tapp", 4, &s, NULL, 0));
    script_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_rows),
        cmocka_unit_test(test_good_rows),
        cmocka_unit_test(test_every_screen_name),
        cmocka_unit_test(test_step_limit),
        cmocka_unit_test(test_line_limit),
        cmocka_unit_test(test_size_limit),
        cmocka_unit_test(test_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
