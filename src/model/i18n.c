#include "model/i18n.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct catalogs {
    size_t n;
    char lang[I18N_MAX_LANGUAGES][16];
    json_t *texts[I18N_MAX_LANGUAGES];
};

void catalogs_free(struct catalogs *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        json_decref(c->texts[i]);
    free(c);
}

struct catalogs *catalogs_load(const char *dir, const char *const *languages, size_t n,
                               char *err, size_t err_len)
{
    if (n == 0 || n > I18N_MAX_LANGUAGES) {
        snprintf(err, err_len, "between 1 and %d languages", I18N_MAX_LANGUAGES);
        return NULL;
    }
    struct catalogs *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.json", dir, languages[i]);
        json_error_t jerr;
        json_t *texts = json_load_file(path, 0, &jerr);
        const char *key;
        json_t *value;
        bool ok = json_is_object(texts);
        json_object_foreach(texts, key, value) ok = ok && json_is_string(value);
        if (!ok) {
            snprintf(err, err_len, "%s: %s", path,
                     texts ? "not an object of strings" : jerr.text);
            json_decref(texts);
            catalogs_free(c);
            return NULL;
        }
        snprintf(c->lang[i], sizeof c->lang[i], "%s", languages[i]);
        c->texts[i] = texts;
        c->n = i + 1;
    }
    return c;
}

static const json_t *catalog_of(const struct catalogs *c, const char *lang)
{
    for (size_t i = 0; lang && i < c->n; i++)
        if (strcmp(c->lang[i], lang) == 0)
            return c->texts[i];
    return NULL;
}

bool catalogs_has(const struct catalogs *c, const char *lang)
{
    return catalog_of(c, lang) != NULL;
}

const char *tr(const struct catalogs *c, const char *lang, const char *key)
{
    const char *s = json_string_value(json_object_get(catalog_of(c, lang), key));
    if (!s && c->n)
        s = json_string_value(json_object_get(c->texts[0], key));
    return s ? s : key;
}

size_t catalogs_missing(const struct catalogs *c, const char *lang, const char **out, size_t max)
{
    const json_t *target = catalog_of(c, lang);
    size_t missing = 0;
    const char *key;
    json_t *value;
    json_object_foreach(c->texts[0], key, value) {
        if (!json_object_get(target, key)) {
            if (missing < max)
                out[missing] = key;
            missing++;
        }
    }
    return missing;
}
