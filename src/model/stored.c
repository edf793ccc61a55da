#include "model/stored.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/localized.h"
#include "model/vocab.h"

char *stored_text(const char *json_text, const char *lang)
{
    if (!json_text)
        return NULL;
    /* Without JSON_DECODE_ANY a bare string or number is not JSON here:
     * stored texts are always objects. */
    json_t *text_object = json_loads(json_text, 0, NULL);
    const char *picked = localized_pick(text_object, lang);
    char *copy = picked ? strdup(picked) : NULL;
    json_decref(text_object);
    return copy;
}

size_t stored_walk_in(const char *json_array, struct walk_in_slot *slots, size_t max)
{
    json_t *array = json_array ? json_loads(json_array, 0, NULL) : NULL;
    size_t n = 0, i;
    json_t *slot;
    json_array_foreach(array, i, slot) {
        if (n == max)
            break;
        struct walk_in_slot *s = &slots[n];
        memset(s, 0, sizeof *s);
        size_t k;
        json_t *day;
        json_array_foreach(json_object_get(slot, "days"), k, day) {
            int d = vocab_day_index(json_string_value(day));
            if (d >= 0 && s->n_days < STORED_DAYS_MAX)
                s->days[s->n_days++] = d;
        }
        const char *opens = json_string_value(json_object_get(slot, "opens"));
        const char *closes = json_string_value(json_object_get(slot, "closes"));
        snprintf(s->opens, sizeof s->opens, "%s", opens ? opens : "");
        snprintf(s->closes, sizeof s->closes, "%s", closes ? closes : "");
        n++;
    }
    json_decref(array);
    return n;
}

const char *contact_key(enum contact_kind kind)
{
    static const char *const keys[CONTACT_KINDS] = {"phone", "email", "url"};
    return (unsigned)kind < CONTACT_KINDS ? keys[kind] : "";
}

void stored_contact(const char *json_object, char *out[CONTACT_KINDS])
{
    json_t *contact = json_object ? json_loads(json_object, 0, NULL) : NULL;
    for (int k = 0; k < CONTACT_KINDS; k++) {
        const char *v = json_string_value(json_object_get(contact, contact_key(k)));
        out[k] = v ? strdup(v) : NULL;
    }
    json_decref(contact);
}

bool stored_ids_meet(const char *json_array, const struct string_list *ids)
{
    if (!json_array)
        return true;
    json_t *array = json_loads(json_array, 0, NULL);
    bool met = false;
    size_t i;
    json_t *id;
    json_array_foreach(array, i, id) {
        const char *s = json_string_value(id);
        for (size_t k = 0; s && k < ids->n; k++)
            met = met || strcmp(s, ids->items[k]) == 0;
    }
    json_decref(array);
    return met;
}
