#include "model/validate.h"

#include <ctype.h>
#include <string.h>

#include "base/utf8.h"
#include "model/unitext.h"

size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

bool validate_name(const char *name)
{
    while (*name == ' ')
        name++;
    size_t len = strlen(name);
    while (len && name[len - 1] == ' ')
        len--;
    if (len == 0)
        return false;
    size_t chars = 0;
    bool letter = false;
    for (size_t i = 0; i < len;) {
        unsigned cp;
        size_t n = utf8_decode(name + i, len - i, &cp);
        chars++;
        if (cp >= 0x80) {
            /* Any script's letters, marks and spaces, but nothing that is
             * not shown as itself: a control (C1), a bidi override or a
             * zero-width character would make a name read otherwise at
             * the hub. The on-screen keyboard cannot type these, but a
             * script's type step can. A name of only such spaces has no
             * letter. */
            if ((cp == UTF8_REPLACEMENT && n == 1) || unitext_unprintable(cp))
                return false;
            letter = letter || unitext_letter(cp);
        } else if (isalpha((int)cp)) {
            letter = true;
        } else if (cp != ' ' && cp != '-' && cp != '\'' && cp != '.') {
            return false;
        }
        i += n;
    }
    return letter && chars <= NAME_MAX_CHARS;
}

bool validate_remark(const char *remark)
{
    return utf8_chars(remark) <= REMARK_MAX_CHARS && unitext_clean(remark, true);
}

bool validate_phone(const char *phone, char *out, size_t out_len)
{
    char digits[PHONE_MAX_BYTES + 1];
    size_t n = 0;
    bool plus = false;
    for (const char *p = phone; *p; p++) {
        if (*p == ' ' || *p == '-' || *p == '(' || *p == ')' || *p == '.')
            continue;
        if (*p == '+' && n == 0 && !plus) {
            plus = true;
            continue;
        }
        if (!isdigit((unsigned char)*p) || n == PHONE_MAX_BYTES)
            return false;
        digits[n++] = *p;
    }
    digits[n] = '\0';
    const char *national = NULL;
    char buf[PHONE_MAX_BYTES + 2];
    const char *rest = NULL;
    if (plus && n >= 2 && memcmp(digits, "31", 2) == 0)
        rest = digits + 2;
    else if (!plus && n >= 4 && memcmp(digits, "0031", 4) == 0)
        rest = digits + 4;
    else if (!plus && n >= 1 && digits[0] == '0')
        national = digits;
    else
        return false;
    if (rest) {
        /* "+31 (0)6 ..." leaves a 0 that belongs to the national form. */
        if (rest[0] == '0')
            rest++;
        buf[0] = '0';
        strcpy(buf + 1, rest);
        national = buf;
    }
    if (strlen(national) != 10 || national[1] == '0')
        return false;
    if (strncmp(national, "0800", 4) == 0 || strncmp(national, "090", 3) == 0)
        return false;
    if (out && out_len > 10)
        strcpy(out, national);
    return true;
}

static bool label_ok(const char *s, size_t n)
{
    if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '-')
            return false;
    return true;
}

bool validate_email(const char *email)
{
    size_t len = strlen(email);
    const char *at = strchr(email, '@');
    if (len > EMAIL_MAX_BYTES || !at || strchr(at + 1, '@'))
        return false;
    size_t local = (size_t)(at - email);
    if (local == 0 || local > 64 || email[0] == '.' || email[local - 1] == '.')
        return false;
    for (size_t i = 0; i < local; i++) {
        unsigned char c = (unsigned char)email[i];
        if (!isalnum(c) && !strchr(".!#$%&'*+/=?^_`{|}~-", c))
            return false;
        if (c == '.' && email[i + 1] == '.')
            return false;
    }
    const char *domain = at + 1;
    const char *last_dot = strrchr(domain, '.');
    if (!last_dot)
        return false;
    for (const char *label = domain;;) {
        const char *dot = strchr(label, '.');
        size_t n = dot ? (size_t)(dot - label) : strlen(label);
        if (!label_ok(label, n))
            return false;
        if (!dot)
            break;
        label = dot + 1;
    }
    const char *tld = last_dot + 1;
    if (strlen(tld) < 2)
        return false;
    for (const char *p = tld; *p; p++)
        if (!isalpha((unsigned char)*p))
            return false;
    return true;
}
