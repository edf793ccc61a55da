/*
 * A set of short strings (feed ids), open addressing. Used to find
 * duplicate ids and dangling references while a feed streams past.
 */
#ifndef BK_STRSET_H
#define BK_STRSET_H

#include <stdbool.h>
#include <stddef.h>

struct strset {
    char **slots;
    size_t capacity;   /* power of two, or 0 */
    size_t count;
};

void strset_init(struct strset *set);
void strset_clear(struct strset *set);
bool strset_contains(const struct strset *set, const char *s);
/* Adds a copy of s. Returns false when out of memory. */
bool strset_add(struct strset *set, const char *s);

#endif
