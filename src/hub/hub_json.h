/*
 * JSON that more than one part of the hub reads or writes the same way:
 * the flags of every stored and served text, a request body as an object,
 * a member that may be a string or null, and the {"error": "..."} body of
 * every refusal.
 */
#ifndef BK_HUB_JSON_H
#define BK_HUB_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* The flags every stored and served JSON text is written with, so that a
 * body rebuilt from the same rows is byte-identical (the feed's ETag
 * stays). 15 significant digits print coordinates as they were written
 * (52.1652, not 52.165199999999999). */
#define HUB_JSON_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(15))

/* A request body (not necessarily NUL-terminated) as a JSON object, or
 * NULL with a short English reason in err for a 400 answer. Duplicate
 * keys are refused: two readers of one body could otherwise see two
 * different requests. The caller owns the result. */
json_t *hub_json_load_object(const char *body, size_t len, char *err, size_t err_len);

/* A member that may be a string, null or absent (*out NULL for the last
 * two). false, with a reason naming the key in err, for anything else. */
bool hub_json_optional_string(json_t *object, const char *key, const char **out, char *err,
                              size_t err_len);

/* {"error": message} as compact text (malloc'd), NULL without memory. */
char *hub_json_error(const char *message);

#endif
