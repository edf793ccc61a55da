/*
 * The interface's strings: one gettext catalog per language, written as
 * assets/po/LANG.po (msgid = key, msgstr = text; see docs/translations.md)
 * and compiled by the build with msgfmt into LANG.mo, which is what is
 * loaded here. Every string the resident sees comes from a catalog; none is
 * written in code.
 */
#ifndef BK_I18N_H
#define BK_I18N_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define I18N_MAX_LANGUAGES 16
/* Every key is written in Dutch first: a string missing in another
 * language is shown in Dutch. */
#define I18N_FALLBACK "nl"

struct catalogs;

/* True when the build compiled a catalog for the language code (the first
 * len bytes of lang): the languages a config may offer. */
bool catalog_language_known(const char *lang, size_t len);

/* The codes the build compiled a catalog for; writes up to max of them to
 * out and returns how many there are. */
size_t catalog_languages(const char **out, size_t max);

/* Loads DIR/LANG.mo for Dutch (the fallback, whether offered or not) and
 * for each language. A key Dutch has and another language lacks (or has
 * without Dutch's plural forms) is logged here, once. Returns NULL and a
 * reason naming the file in err when a catalog is missing, is not a
 * well-formed .mo, or has a Plural-Forms line that cannot be parsed. */
struct catalogs *catalogs_load(const char *dir, const char *const *languages, size_t n,
                               char *err, size_t err_len);
void catalogs_free(struct catalogs *c);

/* The text for key in lang, else in Dutch, else the key
 * itself (so that a missing string shows, and a test can find it). */
const char *tr(const struct catalogs *c, const char *lang, const char *key);

/* The text for the count n (a msgid_plural entry): the form lang's
 * Plural-Forms rule picks for n; else, when lang lacks the key or has it
 * without plural forms, the form Dutch's rule picks; else the key. A
 * plain (singular) entry serves every n. A negative n counts as its
 * magnitude. The text keeps its "{n}" for the caller to fill. */
const char *tr_plural(const struct catalogs *c, const char *lang, const char *key, int64_t n);

/* True when lang has its own catalog. */
bool catalogs_has(const struct catalogs *c, const char *lang);

/* Keys present in the Dutch catalog but missing from lang, or present
 * without the plural forms Dutch has for them; for tests.
 * Writes up to max keys to out and returns how many are missing. */
size_t catalogs_missing(const struct catalogs *c, const char *lang, const char **out, size_t max);

#endif
