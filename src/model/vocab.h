/*
 * feed-v1's fixed vocabularies, defined once for C and SQL alike: the
 * activity themes and service topics in the order the screens show them,
 * and the day codes of walk-in hours and schedules.
 */
#ifndef BK_VOCAB_H
#define BK_VOCAB_H

#include <stddef.h>

size_t vocab_theme_count(void);
const char *vocab_theme(size_t i);          /* feed-v1's theme codes in display order */
int vocab_theme_rank(const char *code);     /* index, or -1 when not a feed-v1 theme */
size_t vocab_topic_count(void);
const char *vocab_topic(size_t i);
int vocab_topic_rank(const char *code);     /* -1 when unknown */
const char *vocab_day_code(int day);        /* "mo".."su" for 0..6, Monday = 0; NULL outside */
int vocab_day_index(const char *code);      /* 0..6, or -1 */

#endif
