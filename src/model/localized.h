/*
 * Localized texts (feed-v1 "Text"): a plain string (taken as Dutch) or an
 * object of language code to string. The store keeps every localized text
 * as a compact JSON object; the screens pick a language with fallback.
 */
#ifndef BK_LOCALIZED_H
#define BK_LOCALIZED_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest text the kiosk takes, in UTF-8 bytes (feed-v1 limits). */
#define TEXT_MAX_BYTES 8192

enum text_check { TEXT_OK, TEXT_MISSING, TEXT_WRONG_TYPE, TEXT_TOO_LONG, TEXT_EMPTY };

/* Checks a feed value as a localized text and, when it is one, returns a
 * new reference to it as an object ({"nl": s} for a plain string) in *out.
 * value may be NULL (missing). An object needs at least one language with
 * a string value; keys must look like language codes. */
enum text_check localized_normalize(json_t *value, json_t **out);

/* A short English reason for a check result, for sync reports. */
const char *text_check_reason(enum text_check c);

/* The text in lang, else Dutch, else the first language present (feed-v1
 * "Text"); an empty string counts as absent. NULL when text_object is not
 * an object or holds no non-empty string. The result points into the
 * given object, so it lives as long as that does. */
const char *localized_pick(const json_t *text_object, const char *lang);

/* The same, and in *shown_in (may be NULL) the language the text is in:
 * lang itself, or the fallback that was taken ("nl", or the first
 * present). A screen says so when it differs from the resident's. The
 * code points into text_object too; NULL when nothing was picked. */
const char *localized_pick_lang(const json_t *text_object, const char *lang, const char **shown_in);


/* An instant as a JSON string in RFC 3339 with the local offset, or JSON
 * null when t is 0 (never). A new reference. */
json_t *rfc3339_json_or_null(int64_t t);

#endif
