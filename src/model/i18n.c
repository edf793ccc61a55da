#include "model/i18n.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "model/catalog_languages.h"
#include "model/mo.h"
#include "model/plural.h"

#define TAG "i18n"

/* Slot 0 is always Dutch: every key is written in Dutch first, so it is
 * the one catalog that is complete by construction. */
struct catalogs {
    size_t n;
    char lang[I18N_MAX_LANGUAGES][16];
    struct mo *texts[I18N_MAX_LANGUAGES];
};

static const char *const built_languages[] = {BK_CATALOG_LANGUAGES};

bool catalog_language_known(const char *lang, size_t len)
{
    for (size_t i = 0; i < sizeof built_languages / sizeof built_languages[0]; i++)
        if (strlen(built_languages[i]) == len && memcmp(built_languages[i], lang, len) == 0)
            return true;
    return false;
}

size_t catalog_languages(const char **out, size_t max)
{
    size_t n = sizeof built_languages / sizeof built_languages[0];
    for (size_t i = 0; i < n && i < max; i++)
        out[i] = built_languages[i];
    return n;
}

void catalogs_free(struct catalogs *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        mo_free(c->texts[i]);
    free(c);
}

static struct mo *load_one(const char *path, char *err, size_t err_len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_len, "%s: %s", path, strerror(errno));
        return NULL;
    }
    /* One byte more than the limit, so that an oversized file is refused
     * rather than read cut short. */
    unsigned char *buf = malloc(MO_MAX_BYTES + 1);
    size_t len = buf ? fread(buf, 1, MO_MAX_BYTES + 1, f) : 0;
    bool read_error = ferror(f);
    fclose(f);
    struct mo *m = NULL;
    char why[160];
    if (!buf)
        snprintf(err, err_len, "%s: out of memory", path);
    else if (read_error)
        snprintf(err, err_len, "%s: read error", path);
    else if (!(m = mo_parse(buf, len, why, sizeof why)))
        snprintf(err, err_len, "%s: %s", path, why);
    free(buf);
    return m;
}

static bool loaded(const struct catalogs *c, const char *lang)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->lang[i], lang) == 0)
            return true;
    return false;
}

/* True when target can stand in for Dutch's entry of key: it has the
 * key, with plural forms if Dutch has them (one text cannot be right for
 * every count in a language that inflects). */
static bool usable(const struct mo *target, const struct mo *dutch, const char *key)
{
    return mo_lookup(target, key) && (mo_is_plural(target, key) || !mo_is_plural(dutch, key));
}

/* Said once per key and language, here, rather than each time a screen
 * asks for the string (many times a second). */
static void log_fallbacks(const struct catalogs *c, size_t i)
{
    for (size_t k = 0; k < mo_count(c->texts[0]); k++) {
        const char *key = mo_key(c->texts[0], k);
        if (!mo_lookup(c->texts[i], key))
            log_warn(TAG, "catalog %s has no \"%s\"; it is shown in Dutch", c->lang[i], key);
        else if (!usable(c->texts[i], c->texts[0], key))
            log_warn(TAG, "catalog %s has \"%s\" without plural forms; it is shown in Dutch",
                     c->lang[i], key);
    }
}

struct catalogs *catalogs_load(const char *dir, const char *const *languages, size_t n,
                               char *err, size_t err_len)
{
    if (n == 0 || n >= I18N_MAX_LANGUAGES) {
        snprintf(err, err_len, "between 1 and %d languages", I18N_MAX_LANGUAGES - 1);
        return NULL;
    }
    struct catalogs *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i <= n; i++) {
        const char *lang = i == 0 ? I18N_FALLBACK : languages[i - 1];
        if (strlen(lang) >= sizeof c->lang[0] || strchr(lang, '/')) {
            snprintf(err, err_len, "bad language code");
            catalogs_free(c);
            return NULL;
        }
        if (loaded(c, lang))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.mo", dir, lang);
        struct mo *m = load_one(path, err, err_len);
        if (!m) {
            catalogs_free(c);
            return NULL;
        }
        snprintf(c->lang[c->n], sizeof c->lang[0], "%s", lang);
        c->texts[c->n++] = m;
        if (c->n > 1)
            log_fallbacks(c, c->n - 1);
    }
    return c;
}

static const struct mo *catalog_of(const struct catalogs *c, const char *lang)
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
    const char *s = mo_lookup(catalog_of(c, lang), key);
    if (!s && c->n)
        s = mo_lookup(c->texts[0], key);
    return s ? s : key;
}

/* The form of key for n in catalog m, by m's own rule. */
static const char *form_for(const struct mo *m, const char *key, uint64_t n)
{
    if (!mo_is_plural(m, key))
        return mo_lookup(m, key);
    return mo_lookup_form(m, key, plural_form(mo_plural_rule(m), n));
}

const char *tr_plural(const struct catalogs *c, const char *lang, const char *key, int64_t n)
{
    /* The magnitude, computed unsigned so that INT64_MIN has one too. */
    uint64_t count = n < 0 ? 0u - (uint64_t)n : (uint64_t)n;
    const struct mo *own = catalog_of(c, lang);
    const char *s = NULL;
    if (c->n && usable(own, c->texts[0], key))
        s = form_for(own, key, count);
    /* Dutch's form picked by Dutch's rule: another language's form index
     * means nothing in Dutch's list of forms. */
    if (!s && c->n)
        s = form_for(c->texts[0], key, count);
    return s ? s : key;
}

size_t catalogs_missing(const struct catalogs *c, const char *lang, const char **out, size_t max)
{
    const struct mo *target = catalog_of(c, lang);
    size_t missing = 0;
    for (size_t k = 0; k < mo_count(c->texts[0]); k++) {
        const char *key = mo_key(c->texts[0], k);
        if (!usable(target, c->texts[0], key)) {
            if (missing < max)
                out[missing] = key;
            missing++;
        }
    }
    return missing;
}
