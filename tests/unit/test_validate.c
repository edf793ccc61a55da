/* Sign-up form checks: table-driven, with must-fail rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "model/validate.h"

struct row {
    const char *input;
    bool ok;
    const char *normalized; /* phones only */
};

static const struct row phones[] = {
    {"0612345678", true, "0612345678"},
    {"06-12345678", true, "0612345678"},
    {"06 12 34 56 78", true, "0612345678"},
    {"+31612345678", true, "0612345678"},
    {"+31 6 12345678", true, "0612345678"},
    {"+31 (0)6 12345678", true, "0612345678"},
    {"0031612345678", true, "0612345678"},
    {"033-1234567", true, "0331234567"},
    {"(033) 123 45 67", true, "0331234567"},
    {"020 123 4567", true, "0201234567"},
    {"+31 33 123 4567", true, "0331234567"},
    /* must fail */
    {"", false, NULL},
    {"06123", false, NULL},
    {"061234567890", false, NULL},
    {"6123456789", false, NULL},
    {"0012345678", false, NULL},
    {"+32612345678", false, NULL},
    {"+3161234567", false, NULL},
    {"06-1234567a", false, NULL},
    {"0800-1234567", false, NULL},
    {"0900-1234567", false, NULL},
    {"06+12345678", false, NULL},
    {"++31612345678", false, NULL},
    {"0031+612345678", false, NULL},
    {"06123456789012345678901234567890", false, NULL},
};

static const struct row names[] = {
    {"Jan", true, NULL},
    {"Jan Jansen", true, NULL},
    {"Anne-Marie van 't Hof", true, NULL},
    {"J. de Vries", true, NULL},
    {"Zoë Çelik", true, NULL},
    {"  Fatima  ", true, NULL},
    {"محمد", true, NULL},
    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true, NULL},
    /* must fail */
    {"", false, NULL},
    {"   ", false, NULL},
    {"-", false, NULL},
    {"Jan2", false, NULL},
    {"Jan@home", false, NULL},
    {"Jan\tJansen", false, NULL},
    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false, NULL},
    {"<script>", false, NULL},
    /* Unicode Cc/Cf and separators: what the keyboard cannot type but a
     * script's type step (or a hand-edited outbox) can. */
    {"Jan\xc2\x85Jansen", false, NULL},          /* NEL, C1 */
    {"Jan\xc2\x9b" "2J", false, NULL},           /* CSI, C1 */
    {"Jan \xe2\x80\xae" "neznaJ", false, NULL},  /* RLO */
    {"\xe2\x80\xaaJan", false, NULL},            /* LRE */
    {"Jan\xe2\x80\xac", false, NULL},            /* PDF */
    {"\xe2\x81\xa6Jan\xe2\x81\xa9", false, NULL}, /* LRI ... PDI */
    {"Jan\xe2\x80\x8bJansen", false, NULL},      /* ZWSP */
    {"Jan\xe2\x80\x8d", false, NULL},            /* ZWJ */
    {"\xe2\x80\x8fJan", false, NULL},            /* RLM */
    {"\xef\xbb\xbfJan", false, NULL},            /* BOM */
    {"Jan\xc2\xadsen", false, NULL},              /* soft hyphen */
    {"Jan\xe2\x80\xa8Jansen", false, NULL},      /* line separator */
    {"\xe2\x80\x8b\xe2\x80\x8b", false, NULL},  /* only zero-width spaces */
    {"\xc2\xa0\xc2\xa0", false, NULL},            /* only no-break spaces */
    {"\xe3\x80\x80", false, NULL},               /* only an ideographic space */
    {"Jan\x80", false, NULL},                      /* not UTF-8 */
    {"\xe2\x82\xac\xe2\x82\xac", false, NULL},  /* no letter: only symbols */
    /* must stay accepted */
    {"Jan\xc2\xa0" "de Vries", true, NULL},
    {"Jose\xcc\x81", true, NULL},
    {"\xe1\x88\xb0\xe1\x88\x8b\xe1\x88\x9d", true, NULL},
};

static const struct row remarks[] = {
    {"Met rolstoel.\nDank!", true, NULL},
    {"", true, NULL},
    {"tab\tok", true, NULL},
    /* must fail */
    {"a\xe2\x80\xae" "b", false, NULL},
    {"a\xc2\x85" "b", false, NULL},
    {"a\xe2\x80\x8b" "b", false, NULL},
    {"a\x1b[2J", false, NULL},
    {"a\rb", false, NULL},
    {"a\x80", false, NULL},
};

static const struct row emails[] = {
    {"jan@example.org", true, NULL},
    {"jan.jansen+kiosk@mail.example.nl", true, NULL},
    {"a@b.co", true, NULL},
    {"o'brien@example.org", true, NULL},
    /* must fail */
    {"", false, NULL},
    {"jan", false, NULL},
    {"jan@", false, NULL},
    {"@example.org", false, NULL},
    {"jan@example", false, NULL},
    {"jan@@example.org", false, NULL},
    {"jan@exa mple.org", false, NULL},
    {"jan..j@example.org", false, NULL},
    {".jan@example.org", false, NULL},
    {"jan@-example.org", false, NULL},
    {"jan@example.o", false, NULL},
    {"jan@example.123", false, NULL},
    {"jan@example..org", false, NULL},
    {"j an@example.org", false, NULL},
};

static void test_phones(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof phones / sizeof *phones; i++) {
        char out[16] = "";
        bool ok = validate_phone(phones[i].input, out, sizeof out);
        if (ok != phones[i].ok)
            fail_msg("phone '%s': got %d", phones[i].input, ok);
        if (ok && strcmp(out, phones[i].normalized) != 0)
            fail_msg("phone '%s': normalized to '%s'", phones[i].input, out);
    }
}

static void test_names(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (validate_name(names[i].input) != names[i].ok)
            fail_msg("name '%s': want %d", names[i].input, names[i].ok);
}

static void test_remarks(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof remarks / sizeof *remarks; i++)
        if (validate_remark(remarks[i].input) != remarks[i].ok)
            fail_msg("remark %zu '%s': want %d", i, remarks[i].input, remarks[i].ok);
}

static void test_emails(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof emails / sizeof *emails; i++)
        if (validate_email(emails[i].input) != emails[i].ok)
            fail_msg("email '%s': want %d", emails[i].input, emails[i].ok);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phones),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_remarks),
        cmocka_unit_test(test_emails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
