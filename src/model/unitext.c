#include "model/unitext.h"

#include <string.h>

#include <hb.h>

#include "base/utf8.h"

static hb_unicode_general_category_t category(unsigned cp)
{
    return hb_unicode_general_category(hb_unicode_funcs_get_default(), cp);
}

bool unitext_unprintable(unsigned cp)
{
    switch (category(cp)) {
    case HB_UNICODE_GENERAL_CATEGORY_CONTROL:
    case HB_UNICODE_GENERAL_CATEGORY_FORMAT:
    case HB_UNICODE_GENERAL_CATEGORY_SURROGATE:
    case HB_UNICODE_GENERAL_CATEGORY_LINE_SEPARATOR:
    case HB_UNICODE_GENERAL_CATEGORY_PARAGRAPH_SEPARATOR:
        return true;
    default:
        return false;
    }
}

bool unitext_letter(unsigned cp)
{
    switch (category(cp)) {
    case HB_UNICODE_GENERAL_CATEGORY_UPPERCASE_LETTER:
    case HB_UNICODE_GENERAL_CATEGORY_LOWERCASE_LETTER:
    case HB_UNICODE_GENERAL_CATEGORY_TITLECASE_LETTER:
    case HB_UNICODE_GENERAL_CATEGORY_MODIFIER_LETTER:
    case HB_UNICODE_GENERAL_CATEGORY_OTHER_LETTER:
        return true;
    default:
        return false;
    }
}

bool unitext_space(unsigned cp)
{
    return cp == '\t' || cp == '\n' || cp == '\r' ||
           category(cp) == HB_UNICODE_GENERAL_CATEGORY_SPACE_SEPARATOR;
}

/* The character at s[0..n): its code point and length, and whether the
 * bytes are well-formed (utf8_decode reads a bad byte as a one-byte
 * U+FFFD; a real U+FFFD is three bytes). */
static size_t next_char(const char *s, size_t n, unsigned *cp, bool *bad)
{
    size_t len = utf8_decode(s, n, cp);
    *bad = *cp == UTF8_REPLACEMENT && len == 1;
    return len;
}

bool unitext_clean(const char *s, bool breaks_ok)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        unsigned cp;
        bool bad;
        i += next_char(s + i, n - i, &cp, &bad);
        if (bad || (unitext_unprintable(cp) && !(breaks_ok && (cp == '\n' || cp == '\t'))))
            return false;
    }
    return true;
}

bool unitext_blank(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        unsigned cp;
        bool bad;
        i += next_char(s + i, n - i, &cp, &bad);
        if (bad || !unitext_space(cp))
            return false;
    }
    return true;
}

void unitext_print_escaped(FILE *out, const char *s, size_t max_bytes)
{
    if (!s)
        return;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        unsigned cp;
        bool bad;
        size_t len = next_char(s + i, n - i, &cp, &bad);
        if (i + len > max_bytes)
            break;
        if (bad)
            fprintf(out, "\\x{%02X}", (unsigned char)s[i]);
        else if (unitext_unprintable(cp))
            fprintf(out, "\\u{%X}", cp);
        else if (cp == '\\')
            fputs("\\\\", out);
        else
            fwrite(s + i, 1, len, out);
        i += len;
    }
}
