#include "base/strset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash_string(const char *s)
{
    /* FNV-1a: ids are short and not adversarial enough to matter; a bad
     * spread only costs time, and the feed's item limit bounds that. */
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

void strset_init(struct strset *set)
{
    set->slots = NULL;
    set->capacity = 0;
    set->count = 0;
}

void strset_clear(struct strset *set)
{
    for (size_t i = 0; i < set->capacity; i++) {
        free(set->slots[i].key);
        free(set->slots[i].value);
    }
    free(set->slots);
    strset_init(set);
}

static size_t find_slot(const struct strset_entry *slots, size_t capacity, const char *s)
{
    size_t i = (size_t)hash_string(s) & (capacity - 1);
    while (slots[i].key && strcmp(slots[i].key, s) != 0)
        i = (i + 1) & (capacity - 1);
    return i;
}

const struct strset_entry *strset_find(const struct strset *set, const char *s)
{
    if (set->capacity == 0)
        return NULL;
    const struct strset_entry *e = &set->slots[find_slot(set->slots, set->capacity, s)];
    return e->key ? e : NULL;
}

bool strset_contains(const struct strset *set, const char *s)
{
    return strset_find(set, s) != NULL;
}

static bool grow(struct strset *set)
{
    size_t capacity = set->capacity ? set->capacity * 2 : 64;
    struct strset_entry *slots = calloc(capacity, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < set->capacity; i++)
        if (set->slots[i].key)
            slots[find_slot(slots, capacity, set->slots[i].key)] = set->slots[i];
    free(set->slots);
    set->slots = slots;
    set->capacity = capacity;
    return true;
}

const struct strset_entry *strset_put(struct strset *set, const char *s, char *value)
{
    if ((set->count + 1) * 2 > set->capacity && !grow(set)) {
        free(value);
        return NULL;
    }
    struct strset_entry *e = &set->slots[find_slot(set->slots, set->capacity, s)];
    if (e->key) {
        free(value);
        return e;
    }
    e->key = strdup(s);
    if (!e->key) {
        free(value);
        return NULL;
    }
    e->value = value;
    set->count++;
    return e;
}

bool strset_add(struct strset *set, const char *s)
{
    return strset_put(set, s, NULL) != NULL;
}
