#include "hub/hub_json.h"

#include <stdio.h>

json_t *hub_json_load_object(const char *body, size_t len, char *err, size_t err_len)
{
    json_error_t jerr;
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        snprintf(err, err_len, "not valid JSON: %.80s", jerr.text);
        return NULL;
    }
    if (!json_is_object(root)) {
        snprintf(err, err_len, "the body is not a JSON object");
        json_decref(root);
        return NULL;
    }
    return root;
}

bool hub_json_optional_string(json_t *object, const char *key, const char **out, char *err,
                              size_t err_len)
{
    json_t *v = json_object_get(object, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return true;
    if (!json_is_string(v)) {
        snprintf(err, err_len, "%s is not a string or null", key);
        return false;
    }
    *out = json_string_value(v);
    return true;
}

char *hub_json_error(const char *message)
{
    json_t *body = json_pack("{ss}", "error", message);
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    return text;
}
