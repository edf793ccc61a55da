/*
 * feed-v1's vocabularies (model/vocab.h): the lists as the spec writes
 * them, their order, and the look-ups' answers for codes that are not in
 * them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "model/vocab.h"

static void test_themes_as_feed_v1_lists_them(void **state)
{
    (void)state;
    static const char *const spec[] = {"opgroeien-opvoeden", "kwetsbaarheid", "leefbaarheid"};
    assert_int_equal(vocab_theme_count(), 3);
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(vocab_theme(i), spec[i]);
        assert_int_equal(vocab_theme_rank(spec[i]), (int)i);
    }
    assert_null(vocab_theme(3));
    assert_null(vocab_theme((size_t)-1));
}

static void test_topics_as_feed_v1_lists_them(void **state)
{
    (void)state;
    static const char *const spec[] = {
        "mantelzorg", "geldzaken",  "wonen",           "opvoeden",
        "gezondheid", "eenzaamheid", "vrijwilligerswerk", "werk-inkomen",
        "taal",       "veiligheid", "buurtinitiatief", "overig",
    };
    assert_int_equal(vocab_topic_count(), 12);
    for (size_t i = 0; i < 12; i++) {
        assert_string_equal(vocab_topic(i), spec[i]);
        assert_int_equal(vocab_topic_rank(spec[i]), (int)i);
    }
    assert_null(vocab_topic(12));
    /* The catch-all comes last: the screens list it after every other. */
    assert_int_equal(vocab_topic_rank("overig"), (int)vocab_topic_count() - 1);
}

/* What is not a code of that list: -1, never a crash or a near match. */
static void test_unknown_codes(void **state)
{
    (void)state;
    static const char *const not_themes[] = {"", "other", "overig", "Kwetsbaarheid",
                                             "kwetsbaarheid ", "leefbaar", "wonen"};
    for (size_t i = 0; i < sizeof not_themes / sizeof *not_themes; i++)
        assert_int_equal(vocab_theme_rank(not_themes[i]), -1);
    assert_int_equal(vocab_theme_rank(NULL), -1);
    static const char *const not_topics[] = {"", "Wonen", "ruimtevaart", "leefbaarheid", "taal\n"};
    for (size_t i = 0; i < sizeof not_topics / sizeof *not_topics; i++)
        assert_int_equal(vocab_topic_rank(not_topics[i]), -1);
    assert_int_equal(vocab_topic_rank(NULL), -1);
}

/* The store writes the codes into SQL as quoted literals: they must stay
 * plain lower-case words. */
static void assert_plain_code(const char *code)
{
    assert_non_null(code);
    assert_true(*code);
    for (const char *c = code; *c; c++)
        assert_true((*c >= 'a' && *c <= 'z') || *c == '-');
}

static void test_codes_are_plain_words(void **state)
{
    (void)state;
    for (size_t i = 0; i < vocab_theme_count(); i++)
        assert_plain_code(vocab_theme(i));
    for (size_t i = 0; i < vocab_topic_count(); i++)
        assert_plain_code(vocab_topic(i));
}

static void test_days(void **state)
{
    (void)state;
    static const char *const spec[7] = {"mo", "tu", "we", "th", "fr", "sa", "su"};
    for (int d = 0; d < 7; d++) {
        assert_string_equal(vocab_day_code(d), spec[d]);
        assert_int_equal(vocab_day_index(spec[d]), d);
    }
    assert_null(vocab_day_code(-1));
    assert_null(vocab_day_code(7));
    static const char *const not_days[] = {"", "Mo", "MO", "mon", "m", "zo", "mo "};
    for (size_t i = 0; i < sizeof not_days / sizeof *not_days; i++)
        assert_int_equal(vocab_day_index(not_days[i]), -1);
    assert_int_equal(vocab_day_index(NULL), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_themes_as_feed_v1_lists_them),
        cmocka_unit_test(test_topics_as_feed_v1_lists_them),
        cmocka_unit_test(test_unknown_codes),
        cmocka_unit_test(test_codes_are_plain_words),
        cmocka_unit_test(test_days),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
