/*
 * The fixed vocabularies of feed-v1 ("Codes", walk_in days): the one
 * place they are written down. The store's filters, the feed's and the
 * config's day checks and the screens' filter buttons all read them here.
 *
 * Every string returned is a constant that lives as long as the program;
 * nothing here allocates or fails.
 */
#ifndef BK_VOCAB_H
#define BK_VOCAB_H

#include <stddef.h>

/* feed-v1's theme codes ("opgroeien-opvoeden", ...) in display order.
 * vocab_theme returns NULL for i >= vocab_theme_count(). A code not in the
 * list is kept by the kiosk and filed under the filter "other". */
size_t vocab_theme_count(void);
const char *vocab_theme(size_t i);
/* The code's index in that order, or -1 when code is not a feed-v1 theme
 * (or NULL). */
int vocab_theme_rank(const char *code);

/* feed-v1's topic codes in display order, "overig" (the catch-all, which
 * also holds codes not in the list) last. vocab_topic returns NULL for
 * i >= vocab_topic_count(). */
size_t vocab_topic_count(void);
const char *vocab_topic(size_t i);
/* The code's index in that order, or -1 when unknown (or NULL). */
int vocab_topic_rank(const char *code);

/* The day codes of walk_in and of the config's schedules: "mo" .. "su"
 * for 0 .. 6, Monday = 0 (as struct local_time's wday counts); NULL
 * outside 0 .. 6. */
const char *vocab_day_code(int day);
/* 0 .. 6 for an exact, lower-case day code; -1 for anything else. */
int vocab_day_index(const char *code);

#endif
