#include "core/strset.h"

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
    for (size_t i = 0; i < set->capacity; i++)
        free(set->slots[i]);
    free(set->slots);
    strset_init(set);
}

static size_t find_slot(char *const *slots, size_t capacity, const char *s)
{
    size_t i = (size_t)hash_string(s) & (capacity - 1);
    while (slots[i] && strcmp(slots[i], s) != 0)
        i = (i + 1) & (capacity - 1);
    return i;
}

bool strset_contains(const struct strset *set, const char *s)
{
    if (set->capacity == 0)
        return false;
    return set->slots[find_slot(set->slots, set->capacity, s)] != NULL;
}

static bool grow(struct strset *set)
{
    size_t capacity = set->capacity ? set->capacity * 2 : 64;
    char **slots = calloc(capacity, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < set->capacity; i++)
        if (set->slots[i])
            slots[find_slot(slots, capacity, set->slots[i])] = set->slots[i];
    free(set->slots);
    set->slots = slots;
    set->capacity = capacity;
    return true;
}

bool strset_add(struct strset *set, const char *s)
{
    if ((set->count + 1) * 2 > set->capacity && !grow(set))
        return false;
    size_t i = find_slot(set->slots, set->capacity, s);
    if (set->slots[i])
        return true;
    set->slots[i] = strdup(s);
    if (!set->slots[i])
        return false;
    set->count++;
    return true;
}
