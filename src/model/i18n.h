/*
 * The interface's strings, one JSON catalog per language in assets/i18n/
 * (nl.json, en.json, ...): an object of key to text. Every string the
 * resident sees comes from a catalog; none is written in code.
 */
#ifndef BK_I18N_H
#define BK_I18N_H

#include <stdbool.h>
#include <stddef.h>

#define I18N_MAX_LANGUAGES 16

struct catalogs;

/* Loads DIR/LANG.json for each language (the first is the fallback).
 * Returns NULL and a reason in err when a catalog is missing or is not a
 * JSON object of strings. */
struct catalogs *catalogs_load(const char *dir, const char *const *languages, size_t n,
                               char *err, size_t err_len);
void catalogs_free(struct catalogs *c);

/* The text for key in lang, else in the first language, else the key
 * itself (so that a missing string shows, and a test can find it). */
const char *tr(const struct catalogs *c, const char *lang, const char *key);

/* True when lang has its own catalog. */
bool catalogs_has(const struct catalogs *c, const char *lang);

/* Keys present in the first catalog but missing from lang; for tests.
 * Writes up to max keys to out and returns how many are missing. */
size_t catalogs_missing(const struct catalogs *c, const char *lang, const char **out, size_t max);

#endif
