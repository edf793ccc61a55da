/*
 * Picking a language from a stored localized text (stored_text):
 * feed-v1's fallback (the chosen language, else Dutch, else the first
 * language present), and the texts that give nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/localized.h"
#include "model/stored.h"

struct pick_row {
    const char *name;
    const char *json_text;
    const char *lang;
    const char *want;    /* NULL = must give NULL */
    const char *shown_in; /* the language the text is in: lang, or where it fell back to */
};

#define NL_EN "{\"nl\":\"Koffie\",\"en\":\"Coffee\"}"

static const struct pick_row pick_rows[] = {
    {"the chosen language", NL_EN, "en", "Coffee", "en"},
    {"Dutch chosen", NL_EN, "nl", "Koffie", "nl"},
    {"missing language falls back to Dutch", NL_EN, "ar", "Koffie", "nl"},
    {"no language chosen: Dutch", NL_EN, NULL, "Koffie", "nl"},
    {"neither chosen nor Dutch: the first present", "{\"en\":\"Coffee\",\"ar\":\"قهوة\"}", "tr",
     "Coffee", "en"},
    {"first means first written", "{\"ar\":\"قهوة\",\"en\":\"Coffee\"}", "tr", "قهوة", "ar"},
    {"an empty chosen text counts as missing", "{\"en\":\"\",\"nl\":\"Koffie\"}", "en", "Koffie", "nl"},
    {"an empty Dutch text counts as missing", "{\"nl\":\"\",\"en\":\"Coffee\"}", "ar", "Coffee", "en"},
    {"a non-string value is skipped", "{\"nl\":5,\"en\":\"Coffee\"}", "ar", "Coffee", "en"},
    {"paragraphs and escapes come back as text", "{\"nl\":\"a\\nb \\\"c\\\" \\u00e9\"}", "nl",
     "a\nb \"c\" é", "nl"},
    {"a region code is its own language", "{\"pt-BR\":\"Café\",\"nl\":\"Koffie\"}", "pt-BR",
     "Café", "pt-BR"},
    /* must fail: nothing to show */
    {"no text", NULL, "nl", NULL, NULL},
    {"empty", "", "nl", NULL, NULL},
    {"not JSON", "Koffie", "nl", NULL, NULL},
    {"cut short", "{\"nl\":\"Koffie\"", "nl", NULL, NULL},
    {"trailing garbage", "{\"nl\":\"Koffie\"} x", "nl", NULL, NULL},
    {"a JSON string is not a stored text", "\"Koffie\"", "nl", NULL, NULL},
    {"an array", "[\"Koffie\"]", "nl", NULL, NULL},
    {"a number", "42", "nl", NULL, NULL},
    {"null", "null", "nl", NULL, NULL},
    {"an empty object", "{}", "nl", NULL, NULL},
    {"only empty texts", "{\"nl\":\"\",\"en\":\"\"}", "en", NULL, NULL},
    {"no strings at all", "{\"nl\":5,\"en\":null,\"ar\":[\"x\"]}", "nl", NULL, NULL},
};

static void test_pick_text(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof pick_rows / sizeof *pick_rows; i++) {
        const struct pick_row *row = &pick_rows[i];
        char *got = stored_text(row->json_text, row->lang);
        bool ok = row->want ? got && strcmp(got, row->want) == 0 : got == NULL;
        if (!ok)
            fail_msg("row '%s': got '%s', want '%s'", row->name, got ? got : "(null)",
                     row->want ? row->want : "(null)");
        free(got);
        /* The language it is shown in, for the screens' "(in Dutch)". */
        json_t *object = row->json_text ? json_loads(row->json_text, 0, NULL) : NULL;
        const char *shown_in = "unset";
        const char *picked = localized_pick_lang(object, row->lang, &shown_in);
        bool same = row->want ? picked && strcmp(picked, row->want) == 0 : picked == NULL;
        bool lang_ok = row->shown_in ? shown_in && strcmp(shown_in, row->shown_in) == 0
                                     : shown_in == NULL;
        if (!same || !lang_ok)
            fail_msg("row '%s': shown in '%s', want '%s'", row->name, shown_in ? shown_in : "(null)",
                     row->shown_in ? row->shown_in : "(null)");
        json_decref(object);
    }
}

/* The copy is the caller's: it outlives the text it came from. */
static void test_pick_text_is_a_copy(void **state)
{
    (void)state;
    char stored[] = NL_EN;
    char *picked = stored_text(stored, "en");
    assert_non_null(picked);
    memset(stored, 'x', sizeof stored - 1);
    assert_string_equal(picked, "Coffee");
    free(picked);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pick_text),
        cmocka_unit_test(test_pick_text_is_a_copy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
