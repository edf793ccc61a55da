/*
 * The values the store keeps as JSON text (localized texts, walk-in
 * hours, contact details, location lists), read into plain C for the
 * layers above, which never parse JSON or include jansson themselves. Every function
 * accepts NULL or malformed text and then returns "nothing", never fails
 * loudly: the store only holds what the feed parser validated.
 */
#ifndef BK_STORED_H
#define BK_STORED_H

#include <stdbool.h>
#include <stddef.h>

#include "model/config.h"

/* A stored localized text (a JSON object of language to string) in lang,
 * else Dutch, else the first language present, as a malloc'd copy; NULL
 * when json_text is NULL, not JSON, not an object, holds no string, or on
 * out of memory. */
char *stored_text(const char *json_text, const char *lang);

/* One walk-in slot of a service: the days in the feed's order (0..6,
 * Monday = 0) and the opening hours as the feed wrote them ("09:00"). */
#define STORED_DAYS_MAX 7
struct walk_in_slot {
    int days[STORED_DAYS_MAX];
    size_t n_days;
    char opens[6], closes[6];
};

/* Reads up to max slots of a stored walk_in array; returns how many. */
size_t stored_walk_in(const char *json_array, struct walk_in_slot *slots, size_t max);

/* The contact kinds the screens show, in their order. */
enum contact_kind { CONTACT_PHONE, CONTACT_EMAIL, CONTACT_URL, CONTACT_KINDS };

/* The wire key of a contact kind: "phone", "email", "url". */
const char *contact_key(enum contact_kind kind);

/* A stored contact object's values as malloc'd copies (NULL where absent).
 * Free each with free(). */
void stored_contact(const char *json_object, char *out[CONTACT_KINDS]);

/* True when a stored location_ids array (NULL = everywhere) names one of
 * ids. */
bool stored_ids_meet(const char *json_array, const struct string_list *ids);

#endif
