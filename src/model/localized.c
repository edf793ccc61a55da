#include "model/localized.h"

#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"

static bool looks_like_language_code(const char *key)
{
    /* ISO 639 codes with an optional region or script: nl, en, ar, pap,
     * zh-Hant, pt-BR. Anything else is not a language and is ignored. */
    size_t n = strlen(key);
    if (n < 2 || n > 16)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = key[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c == '-' && i >= 2);
        if (!ok)
            return false;
    }
    return true;
}

enum text_check localized_normalize(json_t *value, json_t **out)
{
    *out = NULL;
    if (!value || json_is_null(value))
        return TEXT_MISSING;
    if (json_is_string(value)) {
        if (json_string_length(value) > TEXT_MAX_BYTES)
            return TEXT_TOO_LONG;
        if (json_string_length(value) == 0)
            return TEXT_EMPTY;
        *out = json_pack("{sO}", "nl", value);
        return *out ? TEXT_OK : TEXT_WRONG_TYPE;
    }
    if (!json_is_object(value))
        return TEXT_WRONG_TYPE;

    const char *lang;
    json_t *text;
    size_t usable = 0;
    json_object_foreach(value, lang, text) {
        if (!json_is_string(text) || !looks_like_language_code(lang))
            return TEXT_WRONG_TYPE;
        if (json_string_length(text) > TEXT_MAX_BYTES)
            return TEXT_TOO_LONG;
        if (json_string_length(text) > 0)
            usable++;
    }
    if (usable == 0)
        return TEXT_EMPTY;
    *out = json_incref(value);
    return TEXT_OK;
}

const char *text_check_reason(enum text_check c)
{
    switch (c) {
    case TEXT_OK: return "ok";
    case TEXT_MISSING: return "missing";
    case TEXT_WRONG_TYPE: return "not a text";
    case TEXT_TOO_LONG: return "text over 8 KiB";
    case TEXT_EMPTY: return "empty text";
    }
    return "not a text";
}

static const char *nonempty(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s && *s ? s : NULL;
}

const char *localized_pick_lang(const json_t *text_object, const char *lang, const char **shown_in)
{
    if (shown_in)
        *shown_in = NULL;
    if (!json_is_object(text_object))
        return NULL;
    const char *from = lang;
    const char *s = lang ? nonempty(text_object, lang) : NULL;
    if (!s) {
        from = "nl";
        s = nonempty(text_object, from);
    }
    if (!s) {
        const char *key;
        json_t *v;
        json_object_foreach((json_t *)text_object, key, v) {
            const char *t = json_string_value(v);
            if (t && *t) {
                from = key;
                s = t;
                break;
            }
        }
    }
    if (s && shown_in)
        *shown_in = from;
    return s;
}

const char *localized_pick(const json_t *text_object, const char *lang)
{
    return localized_pick_lang(text_object, lang, NULL);
}

json_t *rfc3339_json_or_null(int64_t t)
{
    if (!t)
        return json_null();
    char buf[RFC3339_LEN];
    rfc3339_format_local(t, buf);
    return json_string(buf);
}
