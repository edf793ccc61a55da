/*
 * A set of short strings (feed ids), open addressing, each with an
 * optional string value the set owns. Used to find duplicate ids and
 * dangling references while a feed streams past, and to share one copy
 * of an activity's picked title among its occurrences on the screen.
 */
#ifndef BK_STRSET_H
#define BK_STRSET_H

#include <stdbool.h>
#include <stddef.h>

struct strset_entry {
    char *key;
    char *value;       /* NULL for a plain member */
};

struct strset {
    struct strset_entry *slots;
    size_t capacity;   /* power of two, or 0 */
    size_t count;
};

void strset_init(struct strset *set);
/* Frees every key and value. */
void strset_clear(struct strset *set);
bool strset_contains(const struct strset *set, const char *s);
/* Adds a copy of s. Returns false when out of memory. */
bool strset_add(struct strset *set, const char *s);

/* The entry of s, or NULL. Its strings stay where they are until
 * strset_clear, however the set grows. */
const struct strset_entry *strset_find(const struct strset *set, const char *s);

/* Adds a copy of s with value, which the set takes over (NULL is allowed).
 * When s is there already its entry is returned and value freed. NULL when
 * out of memory (value is freed then too). */
const struct strset_entry *strset_put(struct strset *set, const char *s, char *value);

#endif
