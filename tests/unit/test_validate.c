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
        cmocka_unit_test(test_emails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
