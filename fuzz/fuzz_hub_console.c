/* Fuzz target: what the staff console reads from a request or a file
 * without the database: Accept-Language and ?lang (the language choice),
 * the text escaper every page writes through, a password file's contents,
 * a username, a CSRF token against a session's, and a session's locations
 * list. The input is split at its first two NUL bytes into three parts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "hub/hub_html.h"
#include "hub/hub_session.h"
#include "hub/hub_staff.h"

static char *part(const uint8_t *data, size_t size, size_t *pos)
{
    size_t start = *pos;
    while (*pos < size && data[*pos] != 0)
        (*pos)++;
    char *text = malloc(*pos - start + 1);
    if (text) {
        memcpy(text, data + start, *pos - start);
        text[*pos - start] = '\0';
    }
    if (*pos < size)
        (*pos)++;
    return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t pos = 0;
    char *a = part(data, size, &pos);
    char *b = part(data, size, &pos);
    char *c = part(data, size, &pos);
    if (a && b && c) {
        bool chosen;
        hub_html_lang_pick(a, b, &chosen);
        hub_html_lang_pick(NULL, a, &chosen);
        FILE *out = fopen("/dev/null", "w");
        if (out) {
            hub_html_text(out, a);
            fclose(out);
        }
        char password[HUB_PASSWORD_MAX + 1], err[200];
        hub_staff_password_from_text((const char *)data, size, password, err, sizeof err);
        hub_staff_username_valid(a);
        struct hub_session s = {0};
        hub_session_csrf(b, s.csrf);
        hub_session_csrf_ok(&s, c);
        hub_session_may_see(b, c);
        hub_session_may_see(NULL, c);
    }
    free(a);
    free(b);
    free(c);
    return 0;
}
