/*
 * Tests of the Plural-Forms parser and evaluator (model/plural.c): the
 * real rules of the six catalogs checked against rules written out here
 * by hand for every n up to 10000 and some far beyond, the operators'
 * precedence and associativity, and must-fail rows for every way a header
 * can be wrong.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "model/plural.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* The Plural-Forms values of the catalogs in assets/po/, as msgfmt writes them. */
#define RULE_GERMANIC "nplurals=2; plural=(n != 1);"
#define RULE_AR                                                                          \
    "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : " \
    "n%100>=11 ? 4 : 5);"
#define RULE_PL \
    "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
#define RULE_UK                                                                    \
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 " \
    "|| n%100>=20) ? 1 : 2);"

static struct plural_rule parse_ok(const char *text)
{
    struct plural_rule r;
    char err[160] = "";
    if (!plural_parse(text, strlen(text), &r, err, sizeof err))
        fail_msg("refused \"%s\": %s", text, err);
    return r;
}

/* The CLDR rules, written out in C, independently of the headers. */
static unsigned ref_germanic(uint64_t n) { return n != 1; }
static unsigned ref_ar(uint64_t n)
{
    uint64_t m = n % 100;
    return n == 0 ? 0 : n == 1 ? 1 : n == 2 ? 2 : m >= 3 && m <= 10 ? 3 : m >= 11 ? 4 : 5;
}
static unsigned ref_pl(uint64_t n)
{
    uint64_t d = n % 10, m = n % 100;
    return n == 1 ? 0 : d >= 2 && d <= 4 && (m < 12 || m > 14) ? 1 : 2;
}
static unsigned ref_uk(uint64_t n)
{
    uint64_t d = n % 10, m = n % 100;
    return d == 1 && m != 11 ? 0 : d >= 2 && d <= 4 && (m < 12 || m > 14) ? 1 : 2;
}

static const struct {
    const char *lang, *rule;
    unsigned nplurals;
    unsigned (*ref)(uint64_t);
} languages[] = {
    {"nl", RULE_GERMANIC, 2, ref_germanic}, {"en", RULE_GERMANIC, 2, ref_germanic},
    {"tr", RULE_GERMANIC, 2, ref_germanic}, {"ar", RULE_AR, 6, ref_ar},
    {"pl", RULE_PL, 3, ref_pl},             {"uk", RULE_UK, 3, ref_uk},
};

static void test_real_rules(void **state)
{
    (void)state;
    static const uint64_t far[] = {100000, 1000001, 1000011, 1000022, 4294967295u, 4294967296u,
                                   UINT64_MAX, UINT64_MAX - 1, UINT64_MAX - 90};
    for (size_t l = 0; l < sizeof languages / sizeof languages[0]; l++) {
        struct plural_rule r = parse_ok(languages[l].rule);
        assert_int_equal(r.nplurals, languages[l].nplurals);
        for (uint64_t n = 0; n <= 10000; n++)
            if (plural_form(&r, n) != languages[l].ref(n))
                fail_msg("%s, n=%llu: form %u, expected %u", languages[l].lang,
                         (unsigned long long)n, plural_form(&r, n), languages[l].ref(n));
        for (size_t i = 0; i < sizeof far / sizeof far[0]; i++)
            if (plural_form(&r, far[i]) != languages[l].ref(far[i]))
                fail_msg("%s, n=%llu: form %u", languages[l].lang, (unsigned long long)far[i],
                         plural_form(&r, far[i]));
    }
    /* The same, spelled out for a reader, from CLDR's examples. */
    static const struct {
        const char *rule;
        uint64_t n;
        unsigned form;
    } rows[] = {
        {RULE_GERMANIC, 0, 1}, {RULE_GERMANIC, 1, 0}, {RULE_GERMANIC, 2, 1},
        {RULE_AR, 0, 0},       {RULE_AR, 1, 1},       {RULE_AR, 2, 2},       {RULE_AR, 3, 3},
        {RULE_AR, 10, 3},      {RULE_AR, 11, 4},      {RULE_AR, 99, 4},      {RULE_AR, 100, 5},
        {RULE_AR, 101, 5},     {RULE_AR, 102, 5},     {RULE_AR, 103, 3},     {RULE_AR, 111, 4},
        {RULE_PL, 0, 2},       {RULE_PL, 1, 0},       {RULE_PL, 2, 1},       {RULE_PL, 4, 1},
        {RULE_PL, 5, 2},       {RULE_PL, 12, 2},      {RULE_PL, 21, 2},      {RULE_PL, 22, 1},
        {RULE_PL, 25, 2},      {RULE_PL, 112, 2},     {RULE_PL, 122, 1},     {RULE_UK, 0, 2},
        {RULE_UK, 1, 0},       {RULE_UK, 2, 1},       {RULE_UK, 5, 2},       {RULE_UK, 11, 2},
        {RULE_UK, 21, 0},      {RULE_UK, 22, 1},      {RULE_UK, 111, 2},     {RULE_UK, 101, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct plural_rule r = parse_ok(rows[i].rule);
        if (plural_form(&r, rows[i].n) != rows[i].form)
            fail_msg("row %zu (n=%llu): form %u, expected %u", i, (unsigned long long)rows[i].n,
                     plural_form(&r, rows[i].n), rows[i].form);
    }
    /* Without a Plural-Forms line: gettext's default, that of Dutch. */
    struct plural_rule d;
    plural_default(&d);
    assert_int_equal(d.nplurals, 2);
    for (uint64_t n = 0; n < 50; n++)
        assert_int_equal(plural_form(&d, n), n != 1);
}

/* C's precedence and associativity: each EXPR's value at n is checked
 * through "(EXPR) == VALUE" (1) and "(EXPR) == VALUE + 1" (0), since a
 * rule's own value must stay below nplurals. */
static void test_operators(void **state)
{
    (void)state;
    static const struct {
        const char *expr;
        uint64_t n, value;
    } rows[] = {
        {"2+3*4", 0, 14},          {"(2+3)*4", 0, 20},           {"10-3-2", 0, 5},
        {"100/10/5", 0, 2},        {"100%7%4", 0, 2},            {"7*n%10", 3, 1},
        {"!0", 0, 1},              {"!n", 0, 1},                 {"!n", 9, 0},
        {"!!5", 0, 1},             {"!n+1", 0, 2},               {"3 < 4 == 1", 0, 1},
        {"1 == 1 < 2", 0, 1},      {"2 <= 2", 0, 1},             {"3 >= 4", 0, 0},
        {"5 > 4 > 3", 0, 0},       {"1 || 0 && 0", 0, 1},        {"(1 || 0) && 0", 0, 0},
        {"1 ? 2 : 3 ? 4 : 5", 0, 2}, {"0 ? 2 : 0 ? 4 : 5", 0, 5}, {"0 ? 2 : 1 ? 4 : 5", 0, 4},
        {"n ? n > 5 ? 7 : 8 : 9", 6, 7}, {"n ? n > 5 ? 7 : 8 : 9", 2, 8},
        {"n ? n > 5 ? 7 : 8 : 9", 0, 9}, {"n % 10", 123, 3},      {"n / 100", 12345, 123},
        {"\tn\t-\t1 ", 8, 7},      {"18446744073709551615 + 2", 0, 1}, /* unsigned: wraps */
        {"0 - 1 > 0", 0, 1},       {"n % 100 >= 11", 1000011, 1},
        /* Short-circuits: the division by zero is not taken. */
        {"n == 0 || 10 / n > 1", 0, 1}, {"n != 0 && 10 / n > 1", 0, 0},
        {"n == 0 ? 0 : 10 / n", 5, 2},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        for (int wrong = 0; wrong < 2; wrong++) {
            char text[200];
            snprintf(text, sizeof text, "nplurals=2; plural=(%s) == %llu;", rows[i].expr,
                     (unsigned long long)(rows[i].value + (uint64_t)wrong));
            struct plural_rule r = parse_ok(text);
            if (plural_value(&r, rows[i].n) != (uint64_t)!wrong)
                fail_msg("row %zu: %s at n=%llu is not %llu", i, rows[i].expr,
                         (unsigned long long)rows[i].n, (unsigned long long)rows[i].value);
        }
    }
}

/* What a header may look like besides msgfmt's own spelling. */
static void test_accepted_spellings(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        unsigned nplurals;
        uint64_t n;
        unsigned form;
    } rows[] = {
        {"nplurals=1; plural=0;", 1, 7, 0},
        {" nplurals = 2 ; plural = n > 1 ", 2, 1, 0}, /* no final ';' */
        {"plural=(n != 1); nplurals=2;", 2, 1, 0},    /* the other order */
        {"nplurals=2;\tplural=n!=1;", 2, 3, 1},
        {"nplurals=6; plural=n%6;", 6, 11, 5},
        {"nplurals=2; plural=((((n != 1))));", 2, 2, 1},
        {"nplurals=3; plural=n==1 ? 0 : n==2 ? 1 : 2", 3, 2, 1},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct plural_rule r = parse_ok(rows[i].text);
        assert_int_equal(r.nplurals, rows[i].nplurals);
        if (plural_form(&r, rows[i].n) != rows[i].form)
            fail_msg("row %zu: form %u", i, plural_form(&r, rows[i].n));
    }
    /* Only len bytes are read: what follows is not part of the header. */
    const char *text = "nplurals=2; plural=n != 1;garbage";
    struct plural_rule r;
    char err[160];
    assert_true(plural_parse(text, strlen(text) - 7, &r, err, sizeof err));
}

static void repeat(char *buf, size_t cap, const char *head, const char *unit, int times,
                   const char *middle, const char *close, const char *tail)
{
    size_t used = (size_t)snprintf(buf, cap, "%s", head);
    for (int i = 0; i < times; i++)
        used += (size_t)snprintf(buf + used, cap - used, "%s", unit);
    used += (size_t)snprintf(buf + used, cap - used, "%s", middle);
    for (int i = 0; i < times; i++)
        used += (size_t)snprintf(buf + used, cap - used, "%s", close);
    snprintf(buf + used, cap - used, "%s", tail);
}

static void test_refused(void **state)
{
    (void)state;
    static char deep_parens[512], deep_nots[512], deep_conds[2048], long_sum[2048];
    repeat(deep_parens, sizeof deep_parens, "nplurals=2; plural=", "(", PLURAL_MAX_DEPTH + 2, "n",
           ")", ";");
    repeat(deep_nots, sizeof deep_nots, "nplurals=2; plural=", "!", PLURAL_MAX_DEPTH + 2, "n",
           "", ";");
    repeat(deep_conds, sizeof deep_conds, "nplurals=2; plural=", "n==9 ? 1 : ",
           PLURAL_MAX_DEPTH + 2, "0", "", ";");
    repeat(long_sum, sizeof long_sum, "nplurals=2; plural=0", "+0", PLURAL_MAX_NODES, "", "",
           ";");
    static const struct {
        const char *text, *why;
    } rows[] = {
        /* unbalanced parentheses */
        {"nplurals=2; plural=(n != 1;", "')' expected"},
        {"nplurals=2; plural=n != 1);", "';' expected"},
        {"nplurals=2; plural=((n != 1);", "')' expected"},
        {"nplurals=2; plural=();", "unexpected character"},
        /* unknown identifiers */
        {"nplurals=2; plural=(m != 1);", "unknown name"},
        {"nplurals=2; plural=(nn != 1);", "unknown name"},
        {"nplurals=2; plural=N != 1;", "unknown name"},
        {"nplurals=2; plural=n_ != 1;", "unknown name"},
        {"nplurals=2; plural=abs(n);", "unknown name"},
        /* division by zero, found when checking n = 0..1000 */
        {"nplurals=2; plural=n / 0;", "divides by zero for n=0"},
        {"nplurals=2; plural=n % (n - n);", "divides by zero"},
        {"nplurals=2; plural=(1 / (n - 500)) > 0;", "divides by zero for n=500"},
        /* nesting and length beyond the bounds */
        {deep_parens, "nested too deep"},
        {deep_nots, "nested too deep"},
        {deep_conds, "nested too deep"},
        {long_sum, "expression too long"},
        /* garbage */
        {"", "needs both"},
        {"hello", "expected"},
        {"nplurals=2;", "needs both"},
        {"plural=n != 1;", "needs both"},
        {"nplurals=2; plural=;", "unexpected character"},
        {"nplurals=2; plural=", "expression ends early"},
        {"nplurals=x; plural=0;", "a number expected"},
        {"nplurals=2; plural=n != 1; extra=1;", "unknown or repeated"},
        {"nplurals=2; nplurals=2; plural=0;", "unknown or repeated"},
        {"nplurals=2; plural=0; plural=1;", "unknown or repeated"},
        {"nplurals=2;; plural=0;", "expected"},
        {"nplurals=2 plural=0;", "';' expected"},
        {"nplurals=2; plural=n $ 1;", "';' expected"},
        {"nplurals=2; plural=n | 1;", "';' expected"},
        {"nplurals=2; plural=n & 1;", "';' expected"},
        {"nplurals=2; plural=n = 1;", "';' expected"},
        {"nplurals=2; plural=n != ;", "unexpected character"},
        {"nplurals=2; plural=-1;", "unexpected character"},
        {"nplurals=2; plural=n ? 1;", "':' expected"},
        {"nplurals=2; plural=n ? 1 : ;", "unexpected character"},
        {"nplurals=2; plural=n\xc3\xa9;", "';' expected"},
        {"nplurals=2; plural=99999999999999999999;", "number too large"},
        /* nplurals out of range */
        {"nplurals=0; plural=0;", "nplurals=0, not 1 to 6"},
        {"nplurals=7; plural=0;", "nplurals=7, not 1 to 6"},
        {"nplurals=4294967298; plural=0;", "not 1 to 6"},
        {"nplurals=99999999999999999999; plural=0;", "number too large"},
        /* a result >= nplurals */
        {"nplurals=2; plural=n;", "gives form 2 for n=2"},
        {"nplurals=1; plural=n==5;", "gives form 1 for n=5"},
        {"nplurals=3; plural=n==1000 ? 3 : 0;", "for n=1000"},
        {"nplurals=2; plural=0 - 1;", "gives form 18446744073709551615"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct plural_rule r;
        char err[160] = "";
        if (plural_parse(rows[i].text, strlen(rows[i].text), &r, err, sizeof err))
            fail_msg("row %zu accepted: %.80s", i, rows[i].text);
        if (!strstr(err, rows[i].why))
            fail_msg("row %zu: \"%s\", expected \"%s\"", i, err, rows[i].why);
        assert_non_null(strstr(err, "Plural-Forms"));
    }
    /* Just inside the bounds is accepted. */
    repeat(deep_parens, sizeof deep_parens, "nplurals=2; plural=", "(", PLURAL_MAX_DEPTH - 1, "n",
           ")", " != 1;");
    parse_ok(deep_parens);
    repeat(deep_conds, sizeof deep_conds, "nplurals=2; plural=", "n==9 ? 1 : ",
           PLURAL_MAX_DEPTH - 1, "0", "", ";");
    parse_ok(deep_conds);
}

/* Beyond the n the parser tries, a division by zero or a form past the
 * last is defined: 0, and form 0 (as gettext picks), never a crash. */
static void test_defined_beyond_the_check(void **state)
{
    (void)state;
    struct plural_rule r = parse_ok("nplurals=2; plural=(5 / (n - 2000)) > 0;");
    assert_int_equal(plural_value(&r, 2000), 0);
    assert_int_equal(plural_form(&r, 2000), 0);
    assert_int_equal(plural_value(&r, 2001), 1);
    r = parse_ok("nplurals=2; plural=n % (n - 5000) == 1;");
    assert_int_equal(plural_value(&r, 5000), 0);
    r = parse_ok("nplurals=2; plural=n > 5000 ? 7 : n != 1;");
    assert_int_equal(plural_value(&r, 6000), 7);
    assert_int_equal(plural_form(&r, 6000), 0);
    assert_int_equal(plural_form(&r, 2), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_rules),
        cmocka_unit_test(test_operators),
        cmocka_unit_test(test_accepted_spellings),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_defined_beyond_the_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
